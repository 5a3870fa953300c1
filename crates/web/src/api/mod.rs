//! The JSON API under `/api/v1/`, one module per resource, described by the OpenAPI document
//! served at `/api/openapi.json`.

mod alliance;
mod applications;
mod audit;
mod campaigns;
mod capital;
mod carriers;
mod contracts;
mod credit;
mod deals;
mod enterprises;
mod evaluations;
pub(crate) mod imports;
mod market;
mod matching;
mod me;
mod mentors;
mod organisations;
mod pilot;
mod reference;
mod reports;
mod services;
mod spinoffs;
mod statistics;
mod users;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

pub use alliance::events::ics_response as alliance_ics;
pub use fruition_app::applications::ApplicationView;
pub use fruition_app::audit::AuditEntryView;
pub use fruition_app::organisations::OrgView;
pub use fruition_app::tokens::TokenView;
pub use fruition_app::users::UserView;

use crate::AppState;
use crate::auth::{ApiUser, client_ip};
use crate::error::{ApiError, AppError, ErrorBody};
use fruition_app::Ctx;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(me::router())
        .merge(organisations::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(applications::router())
        .merge(reference::router())
        .merge(carriers::router())
        .merge(enterprises::router())
        .merge(reports::router())
        .merge(imports::router())
        .merge(statistics::router())
        .merge(spinoffs::router())
        .merge(market::router())
        .merge(matching::router())
        .merge(deals::router())
        .merge(contracts::router())
        .merge(pilot::router())
        .merge(capital::router())
        .merge(services::router())
        .merge(credit::router())
        .merge(campaigns::router())
        .merge(evaluations::router())
        .merge(mentors::router())
        .merge(alliance::router())
        .fallback(|| async { ApiError(AppError::NotFound) })
        .method_not_allowed_fallback(method_not_allowed)
}

pub fn openapi_router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/openapi.json",
            get(|| async { Json(ApiDoc::openapi()) }),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

/// 405 for a method a path does not take, in the error shape (axum adds the `Allow` header).
async fn method_not_allowed() -> axum::response::Response {
    use axum::response::IntoResponse;
    let lang = crate::error::request_lang();
    let body = ErrorBody {
        error: crate::error::ErrorDetail {
            code: "method_not_allowed".into(),
            message: lang
                .pick(
                    "此地址不接受该请求方法。",
                    "This address does not take this method.",
                )
                .into(),
            fields: Default::default(),
        },
    };
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response()
}

/// A year a query or a body names: 1949–2200 (the document says so); anything else is refused
/// with 422 before it reaches an action, so no sum or date over a year can overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "i64")]
pub struct Year(pub i64);

pub const MIN_YEAR: i64 = 1949;
pub const MAX_YEAR: i64 = 2200;

impl TryFrom<i64> for Year {
    type Error = String;
    fn try_from(year: i64) -> Result<Self, String> {
        if (MIN_YEAR..=MAX_YEAR).contains(&year) {
            Ok(Year(year))
        } else {
            Err(format!(
                "a year is between {MIN_YEAR} and {MAX_YEAR}, not {year}"
            ))
        }
    }
}

/// The signed-in caller of an API endpoint with their address: what the actions need.
pub struct Caller {
    pub authed: crate::auth::Authed,
    pub ip: String,
}

impl Caller {
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            principal: &self.authed.principal,
            ip: self.ip.clone(),
        }
    }
}

/// The caller of an endpoint open to everyone: signed in (by session or token) or not.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let crate::auth::MaybeUser(authed) =
            crate::auth::MaybeUser::from_request_parts(parts, state).await?;
        Ok(MaybeCaller(authed.map(|authed| Caller {
            authed,
            ip: client_ip(parts, state.web.trust_proxy),
        })))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ApiUser(authed) = ApiUser::from_request_parts(parts, state).await?;
        Ok(Caller {
            authed,
            ip: client_ip(parts, state.web.trust_proxy),
        })
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Fruition 株洲科技成果转化平台 API",
        description = "The platform's JSON API. Authenticate scripts with a personal API token \
                       (`Authorization: Bearer …`, created on the account page). Every error has the shape \
                       `{\"error\": {\"code\", \"message\", \"fields\"}}`; messages follow `Accept-Language` (zh-CN first).",
        version = "1"
    ),
    paths(
        me::get_me, me::work, me::update_me, me::change_password, me::list_tokens, me::create_token, me::revoke_token,
        organisations::list, organisations::create, organisations::get_one, organisations::update, organisations::set_active,
        users::list_for_org, users::create, users::list, users::get_one, users::set_active, users::reset_password,
        audit::list,
        applications::submit, applications::list, applications::get_one, applications::approve, applications::decline,
        reference::list_counties, reference::list_zones, reference::create_zone, reference::list_chains, reference::create_chain, reference::update_chain,
        carriers::list, carriers::create, carriers::get_one, carriers::update, carriers::rate, carriers::revoke,
        enterprises::list, enterprises::create, enterprises::get_one, enterprises::update, enterprises::enter, enterprises::exit,
        reports::list, reports::late, reports::deadline, reports::set_deadline, reports::remind_late, reports::open, reports::get_one, reports::set_figures, reports::set_indicators,
        reports::remove_indicators, reports::submit, reports::review,
        statistics::dashboard, statistics::annual_report, statistics::annual_report_docx,
        spinoffs::list, spinoffs::get_one, spinoffs::set_path, spinoffs::start, spinoffs::advance,
        imports::create, imports::template,
        market::search, market::search_long, market::get_one, market::create, market::update, market::act, market::mine, market::hidden,
        matching::matches, matching::feedback, matching::list_searches, matching::save_search, matching::delete_search, matching::inbox, matching::unread, matching::read_all, matching::mark_read,
        deals::list, deals::declare_intent, deals::get_one, deals::post_message, deals::propose, deals::accept, deals::withdraw,
        deals::register, deals::refuse, deals::record_outcome, deals::contracts, deals::statistics,
        contracts::list, contracts::submit, contracts::get_one, contracts::resubmit, contracts::file, contracts::decide, contracts::remind,
        contracts::export_register, contracts::import_registrations, contracts::import_template,
        pilot::catalogue, pilot::get_one, pilot::create, pilot::update, pilot::set_active, pilot::calendar, pilot::add_block,
        pilot::remove_block, pilot::request, pilot::mine, pilot::bookings, pilot::get_booking, pilot::step,
        pilot::bills, pilot::get_bill, pilot::pay, pilot::remind_payer, pilot::remind_payers,
        pilot::list_vouchers, pilot::issue_voucher, pilot::get_voucher, pilot::revoke_voucher,
        pilot::claims, pilot::submit_claim, pilot::claimable, pilot::get_claim, pilot::decide_claim, pilot::statistics,
        credit::loans::list_loans, credit::loans::apply, credit::loans::get_loan, credit::loans::step, credit::loans::repay,
        credit::loans::claim, credit::claims::list_claims, credit::claims::get_claim, credit::claims::decide, credit::claims::recover,
        credit::pool::get_policy, credit::pool::set_policy, credit::pool::get_pool, credit::pool::add_funder,
        credit::pool::update_funder, credit::pool::contribute, credit::pool::ledger, credit::pool::proof,
        credit::pool::get_risk, credit::pool::lift, credit::pool::get_target,
        credit::repayments::import_repayments, credit::repayments::repayment_template,
        credit::whatif::run_what_if,
        credit::scores::list_scorecards, credit::scores::get_scorecard, credit::scores::create_scorecard, credit::scores::rescore,
        credit::scores::current_score, credit::scores::score_history, credit::scores::note_exclusion, credit::scores::lift_exclusion,
        capital::funds::list_funds, capital::funds::create_fund, capital::funds::get_fund, capital::funds::update_fund,
        capital::funds::fund_exits, capital::funds::capital_statistics,
        capital::investments::list_investments, capital::investments::record_investment, capital::investments::get_investment,
        capital::investments::record_exit, capital::investments::import_investments, capital::investments::investment_template,
        capital::grants::list_grants, capital::grants::create_grant, capital::grants::get_grant,
        capital::grants::add_grant_milestone, capital::grants::achieve_grant_milestone, capital::grants::grant_step,
        campaigns::list_campaigns, campaigns::open_campaign, campaigns::get_campaign, campaigns::update_campaign,
        campaigns::close_campaign, campaigns::record_campaign_contact, campaigns::collect_campaign_need,
        evaluations::list_rounds, evaluations::create_round, evaluations::get_round, evaluations::compute_round,
        evaluations::publish_round, evaluations::export_results, evaluations::get_result, evaluations::adjust_result,
        evaluations::carrier_evaluations,
        mentors::list_mentors, mentors::create_mentor, mentors::get_mentor, mentors::update_mentor, mentors::start_mentorship,
        mentors::list_mentorships, mentors::get_mentorship, mentors::add_mentoring_session, mentors::end_mentorship,
        mentors::mentoring_statistics,
        services::list_services, services::create_service, services::get_service, services::update_service,
        services::set_service_active, services::list_requests, services::create_request, services::get_request,
        services::request_step, services::attach, services::step_file, services::statistics,
        alliance::members::alliance_home, alliance::members::admit_member, alliance::members::set_member_role,
        alliance::members::remove_member, alliance::members::post_notice, alliance::members::make_offer,
        alliance::members::show_interest,
        alliance::events::list_events, alliance::events::create_event, alliance::events::get_event,
        alliance::events::update_event, alliance::events::register, alliance::events::cancel_registration,
        alliance::events::check_in, alliance::events::event_calendar,
        alliance::training::training_overview, alliance::training::add_course, alliance::training::add_record,
        alliance::training::add_certificate,
    ),
    components(schemas(ErrorBody, crate::error::ErrorDetail, UserView, OrgView, TokenView, ApplicationView, AuditEntryView,
        // Types only query parameters name (utoipa collects those of bodies itself).
        fruition_app::pilot::BookingSide, pilot::BillSide, fruition_app::applications::ApplicationStatus,
        fruition_domain::market::ListingStatus, fruition_domain::loan::LoanStatus, fruition_domain::pool::CompensationStatus,
        fruition_domain::equity_grant::GrantStatus, fruition_domain::campaign::CampaignStatus,
        fruition_domain::service::ServiceCategory,
        fruition_domain::service::ServiceRequestStatus, fruition_app::services::ServiceRequestRole)),
    modifiers(&Security, &CommonResponses),
    tags(
        (name = "me", description = "The signed-in user: profile, password, API tokens"),
        (name = "organisations", description = "Organisations and their users"),
        (name = "users", description = "Users"),
        (name = "audit", description = "The audit log (bureau)"),
        (name = "applications", description = "Applications to join (public to submit, bureau to review)"),
        (name = "reference", description = "Counties (GB/T 2260), functional zones, industrial chains"),
        (name = "carriers", description = "Carriers: incubators, maker spaces, pilot bases, science parks"),
        (name = "enterprises", description = "Enterprises, incubation spells and yearly figures"),
        (name = "reports", description = "Carriers' yearly reports: filing, checks, review"),
        (name = "statistics", description = "Statistics and the annual report (approved reports only)"),
        (name = "spinoffs", description = "Spin-off lineages (裂变孵化): stage paths and projects"),
        (name = "imports", description = "Importing a carrier's incubatees and yearly figures from .xlsx or CSV"),
        (name = "market", description = "The technology elements market: listings of achievements, needs, services, instruments, experts, capital and policies; Chinese search open to everyone"),
        (name = "contracts", description = "Technology contracts concluded anywhere, submitted with their signed file to the registration office (技术合同认定登记), which recognises them into the same register as market deals, returns them with a reason or refuses them"),
        (name = "deals", description = "Deals in the market, from intent through private messages and agreed terms to a technology contract registered by the bureau's registrar (技术合同登记), fulfilled or terminated; the register and its statistics by year, field and carrier"),
        (name = "credit", description = "Knowledge-value credit loans (知识价值信用贷款) and the shared risk compensation pool (风险补偿资金池): applications with consent, the bank's review within the line, rate cap and term, disbursement and repayments, registration for compensation, claims paid from a double-entry pool split across funders, recoveries, non-performing ratios with warning and circuit breaker, the city's target, and the what-if of the pool before committing money"),
        (name = "capital", description = "Funds and their managers, a guidance fund's sub-funds and carriers' seed funds; investments, follow-ons and exits (one at a time, from a deal on a capital listing, or by workbook) with each fund's portfolio marked to the latest valuation; the year's capital statistics; 先投后股 projects from grant to conversion, holding and exit"),
        (name = "campaigns", description = "Need-collection campaigns (挖掘双创载体在孵企业需求): the bureau opens a campaign with its theme, chains and deadline; carriers record the incubatees asked and publish the needs collected as market needs; each carrier's coverage — firms asked, needs collected, matched and agreed"),
        (name = "evaluations", description = "The bureau's yearly evaluation of carriers (载体绩效评价, after 国科火字〔2019〕239号): a round per year with its scheme — indicators of 服务能力, 孵化绩效 and 可持续发展 with weights summing to 100 and grade cut-offs A/B/C/D — computed from the approved yearly reports relative to the best carrier of the same kind, adjusted by up to ±10 points with a reason, published and then frozen; each carrier sees its own result with its working"),
        (name = "mentors", description = "Startup mentors (创业导师) kept by carriers: profiles, the incubatees each guides and the sessions held with their hours; each carrier's mentors in a year, the Torch form's figure"),
        (name = "services", description = "One-stop services (一站式服务): the catalogue of what the bureau, carrier operators and service agencies offer; an enterprise's request routed to the provider (or the carrier incubating it), accepted or declined with a reason, its steps recorded, completed and rated once; overdue answers flagged; each provider's figures"),
        (name = "alliance", description = "The carrier alliance (载体联盟): member carriers with their roles, notices to members, shared resources offered between members; events (交流调研、创新创业沙龙、路演、服务能力提升培训) with registration, an ordered waiting list, once-only check-in codes and iCalendar files; staff training (从业人员培训) with hours and certificates"),
        (name = "pilot", description = "Pilot lines, instruments and testing services (中试 / 大型仪器共享): booking without double booking, pay after use (先用后付), innovation vouchers (科技创新券) and their reimbursement"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "fruition_session",
                "The browser session; state-changing requests must also send the form token in X-CSRF-Token.",
            ))),
        );
    }
}

/// The answers an operation gives because of how it is reached rather than what it does, added to
/// every operation they apply to (an operation's own entry, with its own words, is kept):
///
/// - a caller is required (`security` without an empty alternative): 401 without a valid
///   credential, 403 when refused — by the role, by a one-time password still unchanged
///   (`password_change_required`), or a session's write without its form token;
/// - a caller is optional: 401 when a credential is sent and is not valid;
/// - a state-changing method: 403 `cross_site_request` from another site's page;
/// - an id in the path: 404 for an id that is not a number or names nothing the caller may see;
/// - query parameters (`ApiQuery`): 422 naming the parameter that does not fit;
/// - a JSON body (`ApiJson`): 400 for malformed JSON or another content type, 413 over the body
///   limit, 422 for wrong types, unknown or missing fields;
/// - a write (any method but GET, searches aside): 429 `busy` when it waited too long for its
///   turn at the database.
///
/// It also makes operation ids unique by their tag (`organisations_list`, `pilot_get_one`).
struct CommonResponses;

impl CommonResponses {
    fn error(description: &str) -> RefOr<Response> {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    }

    fn add(op: &mut Operation, status: &str, description: &str) {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| Self::error(description));
    }

    fn apply(path: &str, method: &str, op: &mut Operation) {
        // Handlers in different modules share names (`list`, `get_one`): the tag makes the
        // operation id unique, as the specification requires and client generators expect.
        if let (Some(id), Some(tag)) = (&op.operation_id, op.tags.as_ref().and_then(|t| t.first()))
            && !id.starts_with(&format!("{tag}_"))
        {
            op.operation_id = Some(format!("{tag}_{id}"));
        }
        let requirements: Vec<serde_json::Value> = op
            .security
            .iter()
            .flatten()
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect();
        let optional = requirements
            .iter()
            .any(|r| r.as_object().is_some_and(|o| o.is_empty()));
        if !requirements.is_empty() && !optional {
            Self::add(
                op,
                "401",
                "No valid credential: no token or session, or one that is unknown, expired or revoked",
            );
        }
        // `/api/v1/me` answers a caller with a one-time password, and reading needs no form token.
        let needs_caller = !requirements.is_empty() && !optional;
        let reads_me = path == "/api/v1/me" && method == "get";
        if needs_caller && !reads_me {
            Self::add(
                op,
                "403",
                "Refused: the caller's role or organisation may not do this, the one-time password \
                 must be changed first (`password_change_required`), or a session's write lacks \
                 its form token",
            );
        }
        if optional {
            Self::add(op, "401", "A credential was sent and is not valid");
        }
        if method != "get" {
            Self::add(
                op,
                "403",
                "Refused: a request from another site's page (`cross_site_request`)",
            );
        }
        // A write waits its turn for the database (SQLite takes one writer at a time) at most
        // `fruition_store::WRITE_WAIT`; longer, it is refused as busy.
        if method != "get" && !path.ends_with("/search") {
            Self::add(
                op,
                "429",
                "The server is busy: the write waited too long for its turn at the database \
                 (`busy`); `Retry-After` says when to try again",
            );
        }
        if path.contains('{') {
            Self::add(
                op,
                "404",
                "Nothing with this id that the caller may see (or an id that is not a number)",
            );
        }
        let has_query = op
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == ParameterIn::Query);
        if has_query {
            Self::add(
                op,
                "422",
                "A query parameter does not fit, named in `fields`",
            );
        }
        let json_body = op
            .request_body
            .as_ref()
            .is_some_and(|b| b.content.contains_key("application/json"));
        if json_body {
            Self::add(
                op,
                "400",
                "Malformed JSON, or a body that is not `application/json`",
            );
            Self::add(op, "413", "The body is larger than the limit");
            Self::add(
                op,
                "422",
                "The body does not fit: a wrong type, an unknown or missing field, or a value refused, each named in `fields`",
            );
        }
    }
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                Self::apply(path, method, op);
            }
        }
    }
}
