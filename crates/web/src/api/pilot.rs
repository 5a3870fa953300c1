//! `/api/v1/resources`: pilot lines, instruments and testing services with their calendars and
//! maintenance; `/api/v1/bookings`; `/api/v1/bills` (pay after use); `/api/v1/vouchers` and
//! `/api/v1/voucher-claims` (innovation vouchers and their reimbursement); `/api/v1/pilot-statistics`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use fruition_domain::billing::PaymentInput;
use fruition_domain::pilot::{BookingStatus, ResourceInput, ResourceKind};
use fruition_domain::voucher::{ClaimStatus, VoucherInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Caller, MaybeCaller};
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id, Ids};
use fruition_app::billing::{self, BillDetail, BillQuery, BillView};
use fruition_app::pilot::{
    self, BlockInput, BookingDetail, BookingInput, BookingSide, BookingView, CalendarView,
    PilotYearView, ResourceView, StepInput,
};
use fruition_app::vouchers::{
    self, ClaimDetail, ClaimStepInput, ClaimView, Claimable, VoucherDetail, VoucherView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/resources", get(catalogue).post(create))
        .route("/resources/{id}", get(get_one).put(update))
        .route("/resources/{id}/activation", post(set_active))
        .route("/resources/{id}/calendar", get(calendar))
        .route("/resources/{id}/maintenance", post(add_block))
        .route(
            "/resources/{id}/maintenance/{block_id}",
            delete(remove_block),
        )
        .route("/resources/{id}/bookings", post(request))
        .route("/me/resources", get(mine))
        .route("/bookings", get(bookings))
        .route("/bookings/{id}", get(get_booking))
        .route("/bookings/{id}/actions", post(step))
        .route("/bills", get(bills))
        .route("/bills/{id}", get(get_bill))
        .route("/bills/{id}/payments", post(pay))
        .route("/bills/reminders", post(remind_payers))
        .route("/bills/{id}/reminders", post(remind_payer))
        .route("/vouchers", get(list_vouchers).post(issue_voucher))
        .route("/vouchers/{id}", get(get_voucher))
        .route("/vouchers/{id}/revocation", post(revoke_voucher))
        .route("/voucher-claims", get(claims).post(submit_claim))
        .route("/voucher-claims/claimable", get(claimable))
        .route("/voucher-claims/{id}", get(get_claim))
        .route("/voucher-claims/{id}/actions", post(decide_claim))
        .route("/pilot-statistics", get(statistics))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogueQuery {
    /// pilot_line | instrument | testing.
    pub kind: Option<ResourceKind>,
    /// The owning organisation.
    pub owner: Option<i64>,
    /// Words in the name, capabilities, place or owner.
    pub q: Option<String>,
}

/// The public catalogue of resources offered for booking.
#[utoipa::path(get, path = "/api/v1/resources", tag = "pilot", params(CatalogueQuery),
    responses((status = 200, body = [ResourceView])))]
pub async fn catalogue(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CatalogueQuery>,
) -> ApiResult<Json<Vec<ResourceView>>> {
    Ok(Json(pilot::catalogue(&state, q.kind, q.owner, q.q).await?))
}

/// A resource: active ones for everyone; withdrawn ones for the owner and the bureau.
#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "pilot", params(("id" = i64, Path)),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResourceView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: MaybeCaller,
    Id(id): Id,
) -> ApiResult<Json<ResourceView>> {
    let p = caller.0.as_ref().map(|c| &c.authed.principal);
    Ok(Json(pilot::get_resource(&state, p, id).await?))
}

/// Offers a pilot line, instrument or testing service for booking (carrier operators,
/// institutions and enterprises).
#[utoipa::path(post, path = "/api/v1/resources", tag = "pilot", request_body = ResourceInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ResourceView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<ResourceView>)> {
    let v = pilot::create_resource(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Replaces a resource's description, rules and prices (its owner). Existing bookings keep theirs.
#[utoipa::path(put, path = "/api/v1/resources/{id}", tag = "pilot", params(("id" = i64, Path)), request_body = ResourceInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResourceView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<Json<ResourceView>> {
    Ok(Json(
        pilot::update_resource(&state, &caller.ctx(), id, &input).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveInput {
    /// false withdraws the resource from booking; true offers it again.
    pub active: bool,
}

/// Withdraws a resource from booking or offers it again (its owner).
#[utoipa::path(post, path = "/api/v1/resources/{id}/activation", tag = "pilot", params(("id" = i64, Path)), request_body = ActiveInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResourceView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ActiveInput>,
) -> ApiResult<Json<ResourceView>> {
    Ok(Json(
        pilot::set_active(&state, &caller.ctx(), id, input.active).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarQuery {
    /// First day (YYYY-MM-DD; default this week's Monday).
    pub from: Option<String>,
    /// Days to show, 1–400 (default 35).
    pub days: Option<i64>,
}

/// A resource's bookings and maintenance between two dates. Everyone sees what is taken; the
/// booker's name only the booker, the owner and the bureau.
#[utoipa::path(get, path = "/api/v1/resources/{id}/calendar", tag = "pilot", params(("id" = i64, Path), CalendarQuery),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = CalendarView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn calendar(
    State(state): State<AppState>,
    caller: MaybeCaller,
    Id(id): Id,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> ApiResult<Json<CalendarView>> {
    let p = caller.0.as_ref().map(|c| &c.authed.principal);
    Ok(Json(
        pilot::calendar(&state, p, id, q.from.as_deref(), q.days).await?,
    ))
}

/// Closes a time for maintenance (its owner); 409 naming `starts_at` over a booked hour.
#[utoipa::path(post, path = "/api/v1/resources/{id}/maintenance", tag = "pilot", params(("id" = i64, Path)), request_body = BlockInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, description = "The block"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_block(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<BlockInput>,
) -> ApiResult<(StatusCode, Json<fruition_store::pilot::Block>)> {
    let b = pilot::add_block(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(b)))
}

/// Opens a maintenance block's time again (its owner).
#[utoipa::path(delete, path = "/api/v1/resources/{id}/maintenance/{block_id}", tag = "pilot",
    params(("id" = i64, Path), ("block_id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody)))]
pub async fn remove_block(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, block_id): Ids,
) -> ApiResult<StatusCode> {
    pilot::remove_block(&state, &caller.ctx(), id, block_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Requests a slot. The database refuses a slot already held: of requests for the same hour
/// arriving together on any number of servers exactly one succeeds; the rest get 409 naming
/// `starts_at`.
#[utoipa::path(post, path = "/api/v1/resources/{id}/bookings", tag = "pilot", params(("id" = i64, Path)), request_body = BookingInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = BookingDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<BookingInput>,
) -> ApiResult<(StatusCode, Json<BookingDetail>)> {
    let d = pilot::request(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// The caller's organisation's resources, withdrawn ones included.
#[utoipa::path(get, path = "/api/v1/me/resources", tag = "pilot",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ResourceView]), (status = 401, body = ErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ResourceView>>> {
    Ok(Json(pilot::mine(&state, &caller.ctx()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BookingsQuery {
    /// mine (as booker, default) | incoming (as owner) | all (the bureau).
    pub side: Option<BookingSide>,
    pub status: Option<BookingStatus>,
    pub resource_id: Option<i64>,
}

/// Bookings the caller's organisation made or received, most recently changed first.
#[utoipa::path(get, path = "/api/v1/bookings", tag = "pilot", params(BookingsQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [BookingView]), (status = 403, body = ErrorBody)))]
pub async fn bookings(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BookingsQuery>,
) -> ApiResult<Json<Vec<BookingView>>> {
    Ok(Json(
        pilot::bookings(
            &state,
            &caller.ctx(),
            q.side.unwrap_or(BookingSide::Mine),
            q.status,
            q.resource_id,
        )
        .await?,
    ))
}

/// A booking with its bill and the steps the caller may take.
#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = BookingDetail), (status = 404, body = ErrorBody)))]
pub async fn get_booking(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<BookingDetail>> {
    Ok(Json(pilot::get_booking(&state, &caller.ctx(), id).await?))
}

/// Confirms or declines a request, records the use, bills it (the owner); cancels (the booker
/// until the owner's deadline, the owner with a reason).
#[utoipa::path(post, path = "/api/v1/bookings/{id}/actions", tag = "pilot", params(("id" = i64, Path)), request_body = StepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BookingDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<StepInput>,
) -> ApiResult<Json<BookingDetail>> {
    Ok(Json(pilot::step(&state, &caller.ctx(), id, &input).await?))
}

/// Which bills: those the caller's organisation owes (`payer`) or issued (`owner`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillSide {
    Payer,
    Owner,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct BillsQuery {
    /// payer: bills the caller's organisation owes; owner: bills it issued; neither: both (the
    /// bureau: all).
    pub side: Option<BillSide>,
    /// Only bills still owed after their due date.
    pub overdue: bool,
    /// Only bills with money still owed (or a refund due).
    pub open: bool,
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
}

/// Bills, the latest issued first.
#[utoipa::path(get, path = "/api/v1/bills", tag = "pilot", params(BillsQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [BillView]), (status = 401, body = ErrorBody)))]
pub async fn bills(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BillsQuery>,
) -> ApiResult<Json<Vec<BillView>>> {
    let query = BillQuery {
        payer: q.side == Some(BillSide::Payer),
        either: q.side.is_none(),
        overdue: q.overdue,
        open: q.open,
        year: q.year.map(|y| y.0),
    };
    Ok(Json(billing::list(&state, &caller.ctx(), query).await?))
}

/// A bill with its payments and, for the payer, the vouchers that can pay part of it now.
#[utoipa::path(get, path = "/api/v1/bills/{id}", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = BillDetail), (status = 404, body = ErrorBody)))]
pub async fn get_bill(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<BillDetail>> {
    Ok(Json(billing::get(&state, &caller.ctx(), id).await?))
}

/// Reminds the payer of an overdue bill (催缴): the issuer's users who can write, or the
/// bureau's. The payer is told in its inbox at most once a day (a second call that day tells
/// nobody: `already_today`); recorded in the audit log. 409 when the bill is not overdue.
#[utoipa::path(post, path = "/api/v1/bills/{id}/reminders", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = fruition_app::reminders::ReminderOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remind_payer(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<fruition_app::reminders::ReminderOutcome>> {
    Ok(Json(
        fruition_app::reminders::overdue_bills(&state, &caller.ctx(), Some(id)).await?,
    ))
}

/// Reminds the payers of every overdue bill the caller's organisation issued (the bureau:
/// every overdue bill), each at most once a day.
#[utoipa::path(post, path = "/api/v1/bills/reminders", tag = "pilot",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = fruition_app::reminders::ReminderOutcome), (status = 403, body = ErrorBody)))]
pub async fn remind_payers(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<fruition_app::reminders::ReminderOutcome>> {
    Ok(Json(
        fruition_app::reminders::overdue_bills(&state, &caller.ctx(), None).await?,
    ))
}

/// Records a payment: the payer pays money and may apply a voucher's part; the owner records
/// money received or a refund. 409 when it would pay more than is owed or spend a voucher beyond
/// its balance, its share of the bill or the yearly cap — also when payments race.
#[utoipa::path(post, path = "/api/v1/bills/{id}/payments", tag = "pilot", params(("id" = i64, Path)), request_body = PaymentInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BillDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pay(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<PaymentInput>,
) -> ApiResult<Json<BillDetail>> {
    Ok(Json(billing::pay(&state, &caller.ctx(), id, &input).await?))
}

/// The caller's enterprise's vouchers (the bureau: every voucher), newest first.
#[utoipa::path(get, path = "/api/v1/vouchers", tag = "pilot",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [VoucherView]), (status = 401, body = ErrorBody)))]
pub async fn list_vouchers(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<VoucherView>>> {
    Ok(Json(vouchers::list(&state, &caller.ctx()).await?))
}

/// Issues an innovation voucher to an enterprise (the bureau).
#[utoipa::path(post, path = "/api/v1/vouchers", tag = "pilot", request_body = VoucherInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = VoucherDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue_voucher(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<VoucherInput>,
) -> ApiResult<(StatusCode, Json<VoucherDetail>)> {
    let v = vouchers::issue(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A voucher and its ledger, entry by entry (the holder and the bureau).
#[utoipa::path(get, path = "/api/v1/vouchers/{id}", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = VoucherDetail), (status = 404, body = ErrorBody)))]
pub async fn get_voucher(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<VoucherDetail>> {
    Ok(Json(vouchers::get(&state, &caller.ctx(), id).await?))
}

/// Takes back what is left of a voucher (the bureau); past spends stand.
#[utoipa::path(post, path = "/api/v1/vouchers/{id}/revocation", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = VoucherDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_voucher(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<VoucherDetail>> {
    Ok(Json(vouchers::revoke(&state, &caller.ctx(), id).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimsQuery {
    /// submitted | approved | rejected | paid.
    pub status: Option<ClaimStatus>,
}

/// Reimbursement claims: the caller's organisation's (the bureau: all), newest first.
#[utoipa::path(get, path = "/api/v1/voucher-claims", tag = "pilot", params(ClaimsQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ClaimView]), (status = 401, body = ErrorBody)))]
pub async fn claims(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ClaimsQuery>,
) -> ApiResult<Json<Vec<ClaimView>>> {
    Ok(Json(
        vouchers::claims(&state, &caller.ctx(), q.status).await?,
    ))
}

/// Claims back from the bureau every voucher payment on the caller's organisation's bills not
/// yet claimed (409 when there is none).
#[utoipa::path(post, path = "/api/v1/voucher-claims", tag = "pilot",
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ClaimDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn submit_claim(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<ClaimDetail>)> {
    let c = vouchers::submit_claim(&state, &caller.ctx()).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// What the caller's organisation could claim now.
#[utoipa::path(get, path = "/api/v1/voucher-claims/claimable", tag = "pilot",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Claimable), (status = 401, body = ErrorBody)))]
pub async fn claimable(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Claimable>> {
    Ok(Json(vouchers::claimable(&state, &caller.ctx()).await?))
}

/// A claim with the voucher payments it covers (its owner and the bureau).
#[utoipa::path(get, path = "/api/v1/voucher-claims/{id}", tag = "pilot", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ClaimDetail), (status = 404, body = ErrorBody)))]
pub async fn get_claim(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ClaimDetail>> {
    Ok(Json(vouchers::claim(&state, &caller.ctx(), id).await?))
}

/// Approves or rejects a claim (a reason), or records its payment (date and reference): the bureau.
#[utoipa::path(post, path = "/api/v1/voucher-claims/{id}/actions", tag = "pilot", params(("id" = i64, Path)), request_body = ClaimStepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ClaimDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_claim(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ClaimStepInput>,
) -> ApiResult<Json<ClaimDetail>> {
    Ok(Json(
        vouchers::decide(&state, &caller.ctx(), id, &input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct YearQuery {
    /// Default: last year.
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
}

/// A year's use of pilot lines and instruments per resource and per owner, billed and paid
/// amounts, and vouchers issued, spent and reimbursed.
#[utoipa::path(get, path = "/api/v1/pilot-statistics", tag = "pilot", params(YearQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = PilotYearView), (status = 401, body = ErrorBody)))]
pub async fn statistics(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<PilotYearView>> {
    let year = q
        .year
        .map(|y| y.0)
        .unwrap_or_else(|| i64::from(fruition_app::clock::today_date().year()) - 1);
    Ok(Json(pilot::year_figures(&state, year).await?))
}
