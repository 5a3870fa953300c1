//! `/api/v1/alliance`: the members with their roles, notices to them and what they offer each other.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_app::alliance::members::{
    self, AllianceHome, AllianceNoticeInput, AllianceNoticeView, InterestInput, MemberInput,
    MemberRoleInput, MemberView, OfferInput, OfferView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance", get(alliance_home))
        .route("/alliance/members", post(admit_member))
        .route(
            "/alliance/members/{id}",
            put(set_member_role).delete(remove_member),
        )
        .route("/alliance/notices", post(post_notice))
        .route("/alliance/offers", post(make_offer))
        .route("/alliance/offers/{id}/interest", post(show_interest))
}

/// The alliance: its members with their roles, the latest notices (for members' users and the
/// bureau) and what members offer each other.
#[utoipa::path(get, path = "/api/v1/alliance", tag = "alliance",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AllianceHome)))]
pub async fn alliance_home(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AllianceHome>> {
    Ok(Json(members::home(&state, &caller.ctx()).await?))
}

/// Admits a carrier with its role (理事长单位 / 副理事长单位 / 成员单位): the bureau. The alliance
/// has one chair (409 `role`); a member is admitted once (409 `carrier_id`).
#[utoipa::path(post, path = "/api/v1/alliance/members", tag = "alliance", request_body = MemberInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MemberView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn admit_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<(StatusCode, Json<MemberView>)> {
    let m = members::admit(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Sets a member carrier's role (the path names the carrier): the bureau.
#[utoipa::path(put, path = "/api/v1/alliance/members/{id}", tag = "alliance", params(("id" = i64, Path, description = "The carrier")),
    request_body = MemberRoleInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_member_role(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MemberRoleInput>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(
        members::set_role(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Removes a member carrier (the path names the carrier): the bureau.
#[utoipa::path(delete, path = "/api/v1/alliance/members/{id}", tag = "alliance", params(("id" = i64, Path, description = "The carrier")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MemberView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(members::remove(&state, &caller.ctx(), id).await?))
}

/// Posts a notice to the members (the bureau, or the chair's operator); each member's carrier
/// managers find it in their inbox.
#[utoipa::path(post, path = "/api/v1/alliance/notices", tag = "alliance", request_body = AllianceNoticeInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = AllianceNoticeView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_notice(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<AllianceNoticeInput>,
) -> ApiResult<(StatusCode, Json<AllianceNoticeView>)> {
    let n = members::post_notice(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(n)))
}

/// Offers a venue, equipment, a mentor, a course or something else to the other members, for a
/// member carrier the caller manages (or the bureau).
#[utoipa::path(post, path = "/api/v1/alliance/offers", tag = "alliance", request_body = OfferInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = OfferView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn make_offer(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OfferInput>,
) -> ApiResult<(StatusCode, Json<OfferView>)> {
    let o = members::offer(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Shows the caller's member organisation's interest in another member's offer (once; 409
/// `offer_id` the second time); the offerer's users are told.
#[utoipa::path(post, path = "/api/v1/alliance/offers/{id}/interest", tag = "alliance", params(("id" = i64, Path)),
    request_body = InterestInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = OfferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn show_interest(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<InterestInput>,
) -> ApiResult<(StatusCode, Json<OfferView>)> {
    let o = members::show_interest(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(o)))
}
