//! `/api/v1/spinoffs`: parents' stage paths and their spin-off projects (裂变孵化).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_store::spinoffs::Stage;

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id};
use fruition_app::spinoffs::{self, AdvanceInput, PathInput, ProjectInput};
use fruition_app::spinoffs::{LineageView, ParentView, ProjectView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/spinoffs", get(list))
        .route("/spinoffs/{id}", get(get_one))
        .route("/spinoffs/{id}/path", put(set_path))
        .route("/spinoffs/{id}/projects", post(start))
        .route("/spinoff-projects/{id}/advance", post(advance))
}

fn names(stages: Vec<Stage>) -> Vec<String> {
    stages.into_iter().map(|s| s.name).collect()
}

/// Parents with a stage path or spin-off projects, with counts.
#[utoipa::path(get, path = "/api/v1/spinoffs", tag = "spinoffs", security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ParentView])))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Vec<ParentView>>> {
    Ok(Json(
        spinoffs::parents(&state)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// A parent's lineage: its path and its projects.
#[utoipa::path(get, path = "/api/v1/spinoffs/{id}", tag = "spinoffs", params(("id" = i64, Path, description = "The parent enterprise")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = LineageView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<LineageView>> {
    let l = spinoffs::lineage(&state, &caller.ctx(), id).await?;
    Ok(Json(LineageView {
        parent_id: l.parent.id,
        parent_name: l.parent.name,
        stages: names(l.stages),
        projects: l.projects.into_iter().map(|(p, _)| p.into()).collect(),
    }))
}

/// Defines the parent's own ordered stage path (the bureau, or the parent's users).
#[utoipa::path(put, path = "/api/v1/spinoffs/{id}/path", tag = "spinoffs", params(("id" = i64, Path)), request_body = PathInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [String]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_path(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<PathInput>,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(names(
        spinoffs::set_path(&state, &caller.ctx(), id, &input).await?,
    )))
}

/// Starts a spin-off project at the first stage.
#[utoipa::path(post, path = "/api/v1/spinoffs/{id}/projects", tag = "spinoffs", params(("id" = i64, Path)), request_body = ProjectInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ProjectInput>,
) -> ApiResult<(StatusCode, Json<ProjectView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            spinoffs::start(&state, &caller.ctx(), id, &input)
                .await?
                .into(),
        ),
    ))
}

/// Moves a project to a later stage with the date; at the last stage it becomes an enterprise linked to its parent.
#[utoipa::path(post, path = "/api/v1/spinoff-projects/{id}/advance", tag = "spinoffs", params(("id" = i64, Path)), request_body = AdvanceInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn advance(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<AdvanceInput>,
) -> ApiResult<Json<ProjectView>> {
    Ok(Json(
        spinoffs::advance(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}
