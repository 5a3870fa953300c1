//! The carriers' evaluation as the bureau and the carriers see it: the rounds (with the bureau's
//! form to start one), a round's ranking with compute, publish and the workbook link, a carrier's
//! result with its working and — for the bureau before publication — the adjustment form with
//! its reason. Every rule is the actions' (`fruition_app::evaluations`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use serde::Deserialize;

use super::export::xlsx_response;
use super::forms::{PageForm, ctx};
use super::{Chrome, PageId, PageIds, error_page, render_status};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use fruition_app::evaluations::{
    self as actions, AdjustInput, ResultDetail, RoundDetail, RoundInput, RoundView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluations", get(list).post(create))
        .route("/evaluations/{id}", get(round))
        .route("/evaluations/{id}/compute", post(compute))
        .route("/evaluations/{id}/publish", post(publish))
        .route("/evaluations/{id}/export.xlsx", get(export))
        .route(
            "/evaluations/{id}/carriers/{carrier_id}",
            get(result).post(adjust),
        )
}

/// Notices the redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "evaluation_created",
    "evaluation_computed_done",
    "evaluation_published",
    "evaluation_adjusted",
];

fn manages(authed: &Authed) -> bool {
    can(&authed.principal.actor(), &Action::ManageEvaluations).is_ok()
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The rounds

#[derive(Debug, Clone, Default)]
struct RoundForm {
    year: String,
    name: String,
}

#[derive(Template)]
#[template(path = "evaluations.html")]
struct ListPage {
    c: Chrome,
    rounds: Vec<RoundView>,
    can_manage: bool,
    f: RoundForm,
}

async fn list_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    done: Option<&str>,
    f: RoundForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let rounds = match actions::list(state, &c).await {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        "/evaluations",
        "evaluations_title",
    )
    .with_done(done, NOTICES);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let page = ListPage {
        can_manage: manages(authed),
        rounds,
        f: RoundForm {
            year: if f.year.is_empty() && err.is_none() {
                (fruition_app::clock::this_year() - 1).to_string()
            } else {
                f.year.clone()
            },
            ..f
        },
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    list_page(
        &state,
        &headers,
        &authed,
        ip,
        q.done.as_deref(),
        RoundForm::default(),
        None,
    )
    .await
}

fn year_problem() -> Problem {
    Problem {
        field: "year".into(),
        zh: "请填写评价年度，如 2024".into(),
        en: "Give the year, e.g. 2024".into(),
    }
}

async fn create(form: PageForm) -> Response {
    let f = RoundForm {
        year: form.get("year"),
        name: form.get("name"),
    };
    let year = f.year.trim().parse::<i64>();
    let local = if year.is_err() {
        vec![year_problem()]
    } else {
        Vec::new()
    };
    let result = match year {
        Ok(year) => {
            let input = RoundInput {
                year,
                name: Some(f.name.clone()),
                weights: None,
                cutoffs: None,
            };
            actions::create(&form.state, &form.ctx(), &input).await
        }
        Err(_) => Err(AppError::Invalid(Vec::new())),
    };
    let page = &form;
    form.finish(
        result,
        local,
        |r| format!("/evaluations/{}?done=evaluation_created", r.id),
        |e| async move {
            list_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                None,
                f,
                Some(&e),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A round

#[derive(Template)]
#[template(path = "evaluation.html")]
struct RoundPage {
    c: Chrome,
    d: RoundDetail,
    can_compute: bool,
    can_publish: bool,
}

async fn round_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    done: Option<&str>,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let d = match actions::get(state, &c, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let path = format!("/evaluations/{id}");
    let mut chrome = Chrome::new(state, headers, Some(authed), &path, "evaluation_title")
        .with_done(done, NOTICES);
    chrome.title = d.round.name.clone();
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    use fruition_domain::evaluation::RoundStatus;
    let page = RoundPage {
        can_compute: d.can_manage && d.round.status.can_compute(),
        can_publish: d.can_manage && d.round.status == RoundStatus::Computed,
        d,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn round(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    round_page(&state, &headers, &authed, ip, id, q.done.as_deref(), None).await
}

async fn compute(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::compute(&form.state, &form.ctx(), id).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/evaluations/{id}?done=evaluation_computed_done"),
        |e| async move {
            round_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                Some(&e),
            )
            .await
        },
    )
    .await
}

async fn publish(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::publish(&form.state, &form.ctx(), id).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/evaluations/{id}?done=evaluation_published"),
        |e| async move {
            round_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                Some(&e),
            )
            .await
        },
    )
    .await
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    match actions::workbook(&state, &ctx(&authed, ip), id).await {
        Ok((name, bytes)) => xlsx_response(StatusCode::OK, &name, bytes),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// A carrier's result

#[derive(Debug, Clone, Default)]
struct AdjustForm {
    points: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "evaluation_result.html")]
struct ResultPage {
    c: Chrome,
    d: ResultDetail,
    can_adjust: bool,
    f: AdjustForm,
}

#[allow(clippy::too_many_arguments)]
async fn result_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    carrier_id: i64,
    done: Option<&str>,
    f: Option<AdjustForm>,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let d = match actions::result(state, &c, id, carrier_id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let path = format!("/evaluations/{id}/carriers/{carrier_id}");
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        &path,
        "evaluation_result_title",
    )
    .with_done(done, NOTICES);
    chrome.title = format!("{}：{}", d.round.name, d.result.carrier_name);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let f = f.unwrap_or_else(|| AdjustForm {
        points: d.result.adjustment.to_string(),
        reason: d.result.adjustment_reason.clone().unwrap_or_default(),
    });
    let page = ResultPage {
        can_adjust: d.can_manage && d.round.status.can_adjust(),
        d,
        f,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn result(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, carrier_id): PageIds,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    result_page(
        &state,
        &headers,
        &authed,
        ip,
        id,
        carrier_id,
        q.done.as_deref(),
        None,
        None,
    )
    .await
}

async fn adjust(PageIds(id, carrier_id): PageIds, form: PageForm) -> Response {
    let f = AdjustForm {
        points: form.get("points"),
        reason: form.get("reason"),
    };
    let points = f.points.trim().parse::<i64>();
    let local = if points.is_err() {
        vec![Problem {
            field: "points".into(),
            zh: "调整分值应为 -10 至 10 之间的整数".into(),
            en: "The adjustment is a whole number from -10 to 10".into(),
        }]
    } else {
        Vec::new()
    };
    let result = match points {
        Ok(points) => {
            let input = AdjustInput {
                points,
                reason: f.reason.clone(),
            };
            actions::adjust(&form.state, &form.ctx(), id, carrier_id, &input).await
        }
        Err(_) => Err(AppError::Invalid(Vec::new())),
    };
    let page = &form;
    form.finish(
        result,
        local,
        |_| format!("/evaluations/{id}/carriers/{carrier_id}?done=evaluation_adjusted"),
        |e| async move {
            result_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                carrier_id,
                None,
                Some(f),
                Some(&e),
            )
            .await
        },
    )
    .await
}
