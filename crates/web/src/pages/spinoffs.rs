//! Spin-off lineages: each parent's tree (SVG) with counts, and the forms that move projects along.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_charts::{ChartOptions, TreeNode};
use fruition_store::spinoffs::{Milestone, Parent, Project, Stage};
use serde::Deserialize;

use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::Ctx;
use fruition_app::enterprises::EnterpriseInput;
use fruition_app::spinoffs::{self, AdvanceInput, PathInput, ProjectInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/spinoffs", get(list))
        .route("/spinoffs/{id}", get(detail))
        .route("/spinoffs/{id}/path", post(set_path))
        .route("/spinoffs/{id}/projects", post(start))
        .route("/spinoff-projects/{id}/advance", post(advance))
}

fn tree(parent: &str, stages: &[Stage], projects: &[(Project, Vec<Milestone>)], id: i64) -> String {
    let nodes: Vec<TreeNode> = projects
        .iter()
        .map(|(p, _)| TreeNode {
            label: p.name.clone(),
            note: p.stage_name.clone().unwrap_or_default(),
            done: p.enterprise_id.is_some(),
        })
        .collect();
    let path: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let opts = ChartOptions {
        id: format!("lineage-{id}"),
        title: parent.to_string(),
        description: format!("孵化路径：{}", path.join("→")),
        width: 720,
        height: 300,
        unit: String::new(),
    };
    fruition_charts::lineage_tree(&opts, parent, &nodes)
}

#[derive(Template)]
#[template(path = "spinoffs.html")]
struct ListPage {
    c: Chrome,
    parents: Vec<(Parent, String)>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let result: Result<Vec<(Parent, String)>, AppError> = async {
        let mut out = Vec::new();
        for p in spinoffs::parents(&state).await? {
            let l = spinoffs::lineage(&state, &ctx, p.parent_id).await?;
            let svg = tree(&p.parent_name, &l.stages, &l.projects, p.parent_id);
            out.push((p, svg));
        }
        Ok(out)
    }
    .await;
    match result {
        Ok(parents) => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/spinoffs", "spinoffs");
            render(&ListPage { c, parents })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "spinoff.html")]
struct DetailPage {
    c: Chrome,
    l: spinoffs::Lineage,
    svg: String,
    path_text: String,
    last: i64,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: &crate::auth::Authed,
    ip: String,
    id: i64,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match spinoffs::lineage(state, &ctx, id).await {
        Ok(l) => {
            let mut c = Chrome::new(
                state,
                headers,
                Some(authed),
                &format!("/spinoffs/{id}"),
                "spinoffs",
            )
            .with_notice(done);
            if let Some(e) = err {
                c = c.with_errors(e);
            }
            let svg = tree(&l.parent.name, &l.stages, &l.projects, id);
            let path_text = l
                .stages
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
                .join("\n");
            let last = l.stages.len() as i64;
            let page = DetailPage {
                c,
                l,
                svg,
                path_text,
                last,
            };
            match err {
                Some(e) => render_status(e.status(), &page),
                None => render(&page),
            }
        }
        Err(e) => error_page(state, headers, Some(authed), &e),
    }
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show(&state, &headers, &authed, ip, id, None, q.done.as_deref()).await
}

#[derive(Deserialize, Default)]
struct PathForm {
    #[serde(default)]
    stages: String,
    #[serde(default)]
    csrf_token: String,
}

async fn set_path(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<PathForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip: ip.clone(),
    };
    let input = PathInput {
        stages: f.stages.lines().map(str::to_string).collect(),
    };
    match spinoffs::set_path(&state, &ctx, id, &input).await {
        Ok(_) => Redirect::to(&format!("/spinoffs/{id}?done=saved")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            show(&state, &headers, &authed, ip, id, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize, Default)]
struct ProjectForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    started_on: String,
    #[serde(default)]
    notable: Option<String>,
    #[serde(default)]
    csrf_token: String,
}

async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ProjectForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip: ip.clone(),
    };
    let input = ProjectInput {
        name: f.name,
        started_on: f.started_on,
        notable: f.notable.is_some(),
    };
    match spinoffs::start(&state, &ctx, id, &input).await {
        Ok(_) => Redirect::to(&format!("/spinoffs/{id}?done=created")).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            show(&state, &headers, &authed, ip, id, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize, Default)]
struct AdvanceForm {
    #[serde(default)]
    parent_id: i64,
    #[serde(default)]
    position: String,
    #[serde(default)]
    reached_on: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    company_name: String,
    #[serde(default)]
    county: String,
    #[serde(default)]
    csrf_token: String,
}

async fn advance(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<AdvanceForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip: ip.clone(),
    };
    let enterprise =
        (!f.uscc.trim().is_empty() || !f.company_name.trim().is_empty()).then(|| EnterpriseInput {
            uscc: f.uscc.clone(),
            name: f.company_name.clone(),
            county: f.county.clone(),
            ..EnterpriseInput::default()
        });
    let input = AdvanceInput {
        position: f.position.trim().parse().unwrap_or(0),
        reached_on: f.reached_on.clone(),
        enterprise,
    };
    match spinoffs::advance(&state, &ctx, id, &input).await {
        Ok(p) => Redirect::to(&format!("/spinoffs/{}?done=saved", p.parent_id)).into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            show(&state, &headers, &authed, ip, f.parent_id, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
