//! `POST /api/v1/credit/what-if`: the risk pool's what-if, run on the assumptions sent (the
//! defaults for what is left out). Nothing is stored.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};

use super::super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiResult, ErrorBody};
use fruition_app::credit::whatif::{self, WhatIfInput, WhatIfView};

pub fn router() -> Router<AppState> {
    Router::new().route("/credit/what-if", post(run_what_if))
}

/// Runs the risk compensation pool's what-if (the bureau): per grade A–E the loans a month, their
/// amount and term, the yearly default rate and what is recovered; the pool's opening balance,
/// monthly contribution, compensation share, per-loan cap and breaker; the funders' ratios; and
/// how many seeded runs over how many months. Answers, month by month, the pool's balance (median
/// and 5th percentile of the runs), the median compensation paid with each funder's share, and
/// the share of runs in which the breaker tripped or the pool fell short. The same input and seed
/// always give the same answer; `{}` runs the defaults. Every field and the work asked for (runs
/// × months × loans outstanding) are checked before any run starts: 422 names the field.
#[utoipa::path(post, path = "/api/v1/credit/what-if", tag = "credit", request_body = WhatIfInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The outlook, with the scenario that was run", body = WhatIfView),
        (status = 403, description = "Refused: only the bureau's administrators and staff run the what-if; or a one-time \
            password still to be changed (`password_change_required`), a session's write without its form token, or a \
            request from another site's page (`cross_site_request`)", body = ErrorBody),
        (status = 422, description = "The body does not fit (a wrong type, an unknown field), a figure is out of its \
            range, or the work asked for (runs × months × loans outstanding) is more than a what-if may do, named under \
            `runs`; each named in `fields`", body = ErrorBody),
        (status = 429, description = "Every core is running a what-if; `Retry-After` says when to try again", body = ErrorBody)))]
pub async fn run_what_if(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<WhatIfInput>,
) -> ApiResult<Json<WhatIfView>> {
    Ok(Json(whatif::run(&state, &caller.ctx(), &input).await?))
}
