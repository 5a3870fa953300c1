//! `/api/v1/credit/scorecards` (the bureau's versioned scorecards), `/api/v1/credit/rescore`
//! (every enterprise on the version in force), and an enterprise's score, its history and the
//! bureau's negative-list notes under `/api/v1/enterprises/{id}/`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id, Ids};
use fruition_app::credit::scores::{
    self, ExclusionInput, ExclusionView, RescoreView, ScoreDetail, ScoreView, ScorecardInput,
    ScorecardView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/credit/scorecards",
            get(list_scorecards).post(create_scorecard),
        )
        .route("/credit/scorecards/{version}", get(get_scorecard))
        .route("/credit/rescore", post(rescore))
        .route("/enterprises/{id}/credit-score", get(current_score))
        .route("/enterprises/{id}/credit-scores", get(score_history))
        .route("/enterprises/{id}/credit-exclusions", post(note_exclusion))
        .route(
            "/enterprises/{id}/credit-exclusions/{exclusion_id}",
            delete(lift_exclusion),
        )
}

/// Every version of the scorecard, newest first; the highest is in force (everyone signed in:
/// the scorecard is the published rule every score follows).
#[utoipa::path(get, path = "/api/v1/credit/scorecards", tag = "credit",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ScorecardView])))]
pub async fn list_scorecards(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ScorecardView>>> {
    Ok(Json(scores::list_scorecards(&state, &caller.ctx()).await?))
}

/// One version of the scorecard: its items, bands, caps, bonus items, grades with their lines,
/// and the negative list.
#[utoipa::path(get, path = "/api/v1/credit/scorecards/{version}", tag = "credit",
    params(("version" = i64, Path, description = "The scorecard version")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ScorecardView), (status = 404, body = ErrorBody)))]
pub async fn get_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    Id(version): Id,
) -> ApiResult<Json<ScorecardView>> {
    Ok(Json(
        scores::get_scorecard(&state, &caller.ctx(), version).await?,
    ))
}

/// Makes the next version of the scorecard, in force at once (the bureau). Every problem is
/// refused with 422 naming its field: `items.<indicator>.bands` (bands that do not rise),
/// `items.<indicator>.cap`, `grades` (not A–E in order), `grades.<grade>.min_score`,
/// `grades.<grade>.line_fen`. Scores already made keep their version until the bureau rescores.
#[utoipa::path(post, path = "/api/v1/credit/scorecards", tag = "credit", request_body = ScorecardInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ScorecardView), (status = 403, body = ErrorBody),
        (status = 409, description = "Another version was saved at the same moment", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_scorecard(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ScorecardInput>,
) -> ApiResult<(StatusCode, Json<ScorecardView>)> {
    let v = scores::create_scorecard(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Rescores every enterprise on the version in force, in one transaction (the bureau); answers
/// the counts by grade and how long it took.
#[utoipa::path(post, path = "/api/v1/credit/rescore", tag = "credit",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RescoreView), (status = 403, body = ErrorBody)))]
pub async fn rescore(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<RescoreView>> {
    Ok(Json(scores::rescore(&state, &caller.ctx()).await?))
}

/// The enterprise's current score on the version in force, with its working indicator by
/// indicator, its version and its data date (scored now if it has none yet): the bureau, the
/// enterprise's own users, and a bank the enterprise has asked for a loan.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/credit-score", tag = "credit",
    params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ScoreDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn current_score(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ScoreDetail>> {
    Ok(Json(
        scores::enterprise_score(&state, &caller.ctx(), id).await?,
    ))
}

/// Every score the enterprise has had, newest version first: each reads as it did when it was
/// made (its version, data date and working).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/credit-scores", tag = "credit",
    params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ScoreView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn score_history(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Vec<ScoreView>>> {
    Ok(Json(
        scores::enterprise_history(&state, &caller.ctx(), id).await?,
    ))
}

/// Puts the enterprise on the negative list (负面清单) for a reason, with its grounds (the
/// bureau); its score is redone at once. The same reason while a note holds: 409 naming
/// `exclusion`.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/credit-exclusions", tag = "credit",
    params(("id" = i64, Path)), request_body = ExclusionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ExclusionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already noted for this reason", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn note_exclusion(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ExclusionInput>,
) -> ApiResult<(StatusCode, Json<ExclusionView>)> {
    let v = scores::note_exclusion(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Lifts a note of the negative list (the bureau); the score is redone at once. The note is kept,
/// marked lifted.
#[utoipa::path(delete, path = "/api/v1/enterprises/{id}/credit-exclusions/{exclusion_id}", tag = "credit",
    params(("id" = i64, Path), ("exclusion_id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Lifted"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already lifted", body = ErrorBody)))]
pub async fn lift_exclusion(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, exclusion_id): Ids,
) -> ApiResult<StatusCode> {
    scores::lift_exclusion(&state, &caller.ctx(), id, exclusion_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
