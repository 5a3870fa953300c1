//! Reference data the bureau keeps: functional zones and industrial chains.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_store::reference::{Chain, Zone};
use serde::Deserialize;

use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::Ctx;
use fruition_app::reference::{self, ChainEdit, Lookups, ZoneInput, county_name};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reference", get(show))
        .route("/reference/zones", post(add_zone))
        .route("/reference/chains", post(add_chain))
        .route("/reference/chains/{id}", post(edit_chain))
}

#[derive(Template)]
#[template(path = "reference.html")]
struct ReferencePage {
    c: Chrome,
    zones: Vec<(Zone, &'static str)>,
    chains: Vec<Chain>,
    counties: Vec<(String, &'static str)>,
    zone_form: ZoneForm,
    chain_form: ChainForm,
}

#[derive(Deserialize, Default)]
struct ZoneForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    county: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize, Default)]
struct ChainForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_zh: String,
    #[serde(default)]
    name_en: String,
    /// Comma- or space-separated division codes.
    #[serde(default)]
    divisions: String,
    #[serde(default)]
    sort_order: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    csrf_token: String,
}

impl ChainForm {
    fn edit(&self) -> ChainEdit {
        ChainEdit {
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            divisions: self
                .divisions
                .split([',', '，', ' ', '、'])
                .map(str::to_string)
                .collect(),
            sort_order: self.sort_order.trim().parse().unwrap_or(0),
            active: self.active.is_some(),
        }
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    c: Chrome,
    zone_form: ZoneForm,
    chain_form: ChainForm,
) -> Result<ReferencePage, AppError> {
    let l = Lookups::load(&state.db).await?;
    Ok(ReferencePage {
        zones: l
            .zones
            .into_iter()
            .map(|z| {
                let n = county_name(&z.county_code);
                (z, n)
            })
            .collect(),
        chains: l.chains,
        counties: reference::counties(state)
            .into_iter()
            .map(|d| (d.code.as_str().to_string(), d.name))
            .collect(),
        zone_form,
        chain_form,
        c,
    })
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    if let Err(d) = can(&authed.principal.actor(), &Action::EditReference) {
        return error_page(&state, &headers, Some(&authed), &AppError::denied(d));
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/reference",
        "reference_data",
    )
    .with_notice(q.done.as_deref());
    match page(
        &state,
        c,
        ZoneForm::default(),
        ChainForm {
            active: Some("on".into()),
            ..Default::default()
        },
    )
    .await
    {
        Ok(p) => render(&p),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn add_zone(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<ZoneForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let input = ZoneInput {
        code: f.code.clone(),
        name_zh: f.name_zh.clone(),
        name_en: f.name_en.clone(),
        county: f.county.clone(),
    };
    match reference::create_zone(&state, &ctx, &input).await {
        Ok(_) => Redirect::to("/reference?done=saved").into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/reference",
                "reference_data",
            )
            .with_errors(&err);
            match page(&state, c, f, ChainForm::default()).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn add_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<ChainForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match reference::create_chain(&state, &ctx, &f.edit()).await {
        Ok(_) => Redirect::to("/reference?done=saved").into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/reference",
                "reference_data",
            )
            .with_errors(&err);
            match page(&state, c, ZoneForm::default(), f).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn edit_chain(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ChainForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match reference::update_chain(&state, &ctx, id, &f.edit()).await {
        Ok(_) => Redirect::to("/reference?done=saved").into_response(),
        Err(err @ AppError::Invalid(_)) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/reference",
                "reference_data",
            )
            .with_errors(&err);
            match page(&state, c, ZoneForm::default(), ChainForm::default()).await {
                Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
