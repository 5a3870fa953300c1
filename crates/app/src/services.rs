//! One-stop services (一站式服务): the bureau, carrier operators and service agencies keep a
//! catalogue of what they offer; an enterprise asks for a service (or, generally, for help from
//! the carrier incubating it); the provider accepts or declines with a reason, records each of
//! the service's steps and completes the request (recording the charge, for a priced service);
//! the enterprise rates it once. A request not answered within the promised time is overdue.
//! Each provider's figures (volume, acceptance, response and completion times, rating, overdue)
//! come from one aggregate statement.
//!
//! A request is its two parties' and the bureau's; anyone else is told it does not exist.

use fruition_domain::attachment::{self, AttachmentKind};
use fruition_domain::authz::Action;
use fruition_domain::billing as billing_rule;
use fruition_domain::lang::Lang;
use fruition_domain::money;
use fruition_domain::org::OrgKind;
use fruition_domain::service::{
    self as rule, GENERAL_RESPONSE_HOURS, MAX_PRICE_FEN, ServiceAudience, ServiceCategory,
    ServiceRequestStatus, ServiceRequestStep, Side,
};
use fruition_store::StoreError;
use fruition_store::billing as bills;
use fruition_store::services::{
    self as store, NewRequest, ProviderStats, Request, RequestFilter, RequestStepRow, Service,
    ServiceFilter, ServiceTerms, StepFields, StepFile,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::{now_ms, rfc3339, today_date};
use crate::error::{AppError, Problem};
use crate::inbox::{self, Notice};
use crate::input::{page, problem};
use crate::{App, Ctx};

/// A service in the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub category: ServiceCategory,
    pub category_label: String,
    pub title: String,
    pub description: String,
    pub audience: ServiceAudience,
    pub audience_label: String,
    /// For `chains`: the chains' codes.
    pub audience_chains: Vec<String>,
    /// What to bring (材料清单).
    pub materials: Vec<String>,
    /// The promised time to answer, hours.
    pub response_hours: i64,
    /// `2 天` / `8 小时`.
    pub response_label: String,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// 0 is free.
    pub price_fen: i64,
    /// `免费` or `1,200.00 元`.
    pub price: String,
    /// Whether innovation vouchers may pay for it (as the provider states).
    pub voucher_payable: bool,
    pub active: bool,
    pub updated_at: String,
}

fn split_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `48` → `2 天`; `8` → `8 小时`.
pub fn hours_label(hours: i64) -> String {
    if hours % 24 == 0 {
        format!("{} 天", hours / 24)
    } else {
        format!("{hours} 小时")
    }
}

/// `免费` for 0, else yuan.
pub fn price_label(fen: i64) -> String {
    if fen == 0 {
        "免费".into()
    } else {
        format!("{} 元", money::yuan(fen))
    }
}

impl ServiceView {
    pub fn new(s: Service) -> ServiceView {
        ServiceView {
            category_label: s.category.label(Lang::ZhCn).into(),
            audience_label: s.audience.label(Lang::ZhCn).into(),
            audience_chains: s
                .audience_chains
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            materials: split_lines(&s.materials),
            response_label: hours_label(s.response_hours),
            steps: split_lines(&s.steps),
            price: price_label(s.price_fen),
            updated_at: rfc3339(s.updated_at),
            id: s.id,
            provider_org_id: s.provider_org_id,
            provider_name: s.provider_name,
            category: s.category,
            title: s.title,
            description: s.description,
            audience: s.audience,
            response_hours: s.response_hours,
            price_fen: s.price_fen,
            voucher_payable: s.voucher_payable,
            active: s.active,
        }
    }
}

/// A service with what the caller may do with it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceDetail {
    pub service: ServiceView,
    /// The caller may change it.
    pub can_edit: bool,
    /// The caller may switch it off or on.
    pub can_set_active: bool,
    /// The caller may ask for it (an enterprise, the service active and meant for it).
    pub can_request: bool,
}

/// A service as its provider writes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    #[schema(value_type = ServiceCategory)]
    pub category: String,
    /// 2 to 100 characters.
    pub title: String,
    /// What the service does, 10 to 4000 characters.
    pub description: String,
    /// Who may ask: anyone (default), incubatees (a carrier operator's own), chains.
    #[serde(default)]
    #[schema(value_type = Option<ServiceAudience>)]
    pub audience: Option<String>,
    /// For `chains`: the industrial chains' codes.
    #[serde(default)]
    pub audience_chains: Vec<String>,
    /// What to bring, one item each (at most 30, each at most 100 characters).
    #[serde(default)]
    pub materials: Vec<String>,
    /// The promised time to answer, in `response_unit` (1 hour to 90 days).
    pub response_time: i64,
    /// `hours` (default) or `days`.
    #[serde(default)]
    pub response_unit: Option<String>,
    /// The steps, in order (at most 20, each at most 50 characters).
    #[serde(default)]
    pub steps: Vec<String>,
    /// 0 (免费) to 1,000万元, fen.
    #[serde(default)]
    pub price_fen: i64,
    /// Innovation vouchers may pay for it (only for a priced service).
    #[serde(default)]
    pub voucher_payable: bool,
}

/// Switch a service off or on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceActiveInput {
    pub active: bool,
}

/// Which services to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    #[serde(default)]
    #[param(value_type = Option<ServiceCategory>)]
    pub category: Option<String>,
    #[serde(default)]
    pub provider_org_id: Option<i64>,
    /// Only free services.
    #[serde(default)]
    pub free: Option<bool>,
    /// Only services vouchers may pay for.
    #[serde(default)]
    pub voucher: Option<bool>,
    /// Words in the title or description.
    #[serde(default)]
    pub q: Option<String>,
    /// The caller's own services, inactive ones too.
    #[serde(default)]
    pub mine: Option<bool>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

fn category_of(field: &str, raw: Option<&str>) -> Result<Option<ServiceCategory>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => ServiceCategory::parse(s)
            .map(Some)
            .ok_or_else(|| problem(field, "未知的服务类别", "Unknown service category")),
    }
}

/// The active catalogue, filtered; with `mine`, the caller's own services (inactive too); the
/// bureau sees inactive services of a provider it names.
pub async fn list_services(
    state: &App,
    ctx: &Ctx<'_>,
    q: &ServiceQuery,
) -> Result<Vec<ServiceView>, AppError> {
    ctx.require(Action::BrowseServices)?;
    let category = category_of("category", q.category.as_deref())?;
    let (limit, offset) = page(q.limit, q.offset, 200, 1000)?;
    let text =
        q.q.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(100).collect::<String>());
    let mine = q.mine.unwrap_or(false);
    let own = ctx.principal.user.org_id;
    let provider = if mine { Some(own) } else { q.provider_org_id };
    let bureau = ctx
        .require(Action::SetServiceActive {
            provider_org_id: -1,
        })
        .is_ok();
    let f = ServiceFilter {
        category,
        provider_org_id: provider,
        free: q.free.unwrap_or(false),
        voucher_payable: q.voucher.unwrap_or(false),
        text,
        include_inactive: mine || (bureau && provider.is_some()),
        limit,
        offset,
    };
    Ok(store::list_services(&state.db, &f)
        .await?
        .into_iter()
        .map(ServiceView::new)
        .collect())
}

/// A service: active ones to everyone, inactive ones to the provider and the bureau.
async fn visible_service(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Service, AppError> {
    let s = store::get_service(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !s.active
        && ctx
            .require(Action::SetServiceActive {
                provider_org_id: s.provider_org_id,
            })
            .is_err()
    {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

pub async fn get_service(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ServiceDetail, AppError> {
    let s = visible_service(state, ctx, id).await?;
    service_detail(state, ctx, s).await
}

async fn service_detail(state: &App, ctx: &Ctx<'_>, s: Service) -> Result<ServiceDetail, AppError> {
    let can_request = s.active
        && ctx
            .require(Action::RequestService {
                provider_org_id: s.provider_org_id,
            })
            .is_ok()
        && eligible(state, ctx, &s).await?.is_ok();
    Ok(ServiceDetail {
        can_edit: ctx
            .require(Action::KeepService {
                provider_org_id: s.provider_org_id,
            })
            .is_ok(),
        can_set_active: ctx
            .require(Action::SetServiceActive {
                provider_org_id: s.provider_org_id,
            })
            .is_ok(),
        can_request,
        service: ServiceView::new(s),
    })
}

/// Checks a service's terms into what the store writes, every problem at once.
async fn terms(
    state: &App,
    provider_kind: OrgKind,
    input: &ServiceInput,
) -> Result<ServiceTerms, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let category = ServiceCategory::parse(input.category.trim());
    if category.is_none() {
        problems.push(Problem::new(
            "category",
            "请选择服务类别",
            "Choose the service's category",
        ));
    }
    let title = input.title.trim().to_string();
    if !(2..=100).contains(&title.chars().count()) {
        problems.push(Problem::new(
            "title",
            "请用 2 到 100 字写明服务名称",
            "Name the service in 2 to 100 characters",
        ));
    }
    let description = input.description.trim().to_string();
    if !(10..=4000).contains(&description.chars().count()) {
        problems.push(Problem::new(
            "description",
            "请用 10 到 4000 字说明服务内容",
            "Describe the service in 10 to 4,000 characters",
        ));
    }
    let audience = match input
        .audience
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(ServiceAudience::Anyone),
        Some(a) => {
            let parsed = ServiceAudience::parse(a);
            if parsed.is_none() {
                problems.push(Problem::new(
                    "audience",
                    "服务对象应为所有企业、本载体在孵企业或指定产业链企业",
                    "The audience is anyone, incubatees or chains",
                ));
            }
            parsed
        }
    };
    if audience == Some(ServiceAudience::Incubatees) && provider_kind != OrgKind::CarrierOperator {
        problems.push(Problem::new(
            "audience",
            "只有孵化载体运营主体可以限定为本载体在孵企业",
            "Only a carrier operator may limit a service to its incubatees",
        ));
    }
    let mut chains: Vec<String> = input
        .audience_chains
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    chains.sort();
    chains.dedup();
    if audience == Some(ServiceAudience::Chains) {
        let known: Vec<String> = fruition_store::reference::chains(&state.db)
            .await?
            .into_iter()
            .map(|c| c.code)
            .collect();
        if chains.is_empty() || chains.len() > 20 || chains.iter().any(|c| !known.contains(c)) {
            problems.push(Problem::new(
                "audience_chains",
                "请选择平台已有的产业链（1 到 20 条）",
                "Choose 1 to 20 of the platform's industrial chains",
            ));
        }
    } else {
        chains.clear();
    }
    let materials = rule::lines("materials", &input.materials.join("\n"), 30, 100);
    let steps = rule::lines("steps", &input.steps.join("\n"), 20, 50);
    let materials = match materials {
        Ok(m) => Some(m),
        Err(e) => {
            problems.push(e.into());
            None
        }
    };
    let steps = match steps {
        Ok(s) => Some(s),
        Err(e) => {
            problems.push(e.into());
            None
        }
    };
    let hours = match rule::response_hours(
        input.response_time,
        input.response_unit.as_deref().unwrap_or(""),
    ) {
        Ok(h) => Some(h),
        Err(e) => {
            problems.push(e.into());
            None
        }
    };
    if !(0..=MAX_PRICE_FEN).contains(&input.price_fen) {
        problems.push(Problem::new(
            "price_fen",
            "价格以分为单位，应为 0（免费）到 1000 万元之间的整数",
            "The price in fen: 0 (free) to 10 million yuan",
        ));
    }
    if input.voucher_payable && input.price_fen == 0 {
        problems.push(Problem::new(
            "voucher_payable",
            "免费服务无需创新券支付",
            "A free service is not paid by vouchers",
        ));
    }
    let (Some(category), Some(audience), Some(materials), Some(steps), Some(hours), true) = (
        category,
        audience,
        materials,
        steps,
        hours,
        problems.is_empty(),
    ) else {
        return Err(AppError::Invalid(problems));
    };
    Ok(ServiceTerms {
        category,
        title,
        description,
        audience,
        audience_chains: chains.join(","),
        materials: materials.join("\n"),
        response_hours: hours,
        steps: steps.join("\n"),
        price_fen: input.price_fen,
        voucher_payable: input.voucher_payable,
    })
}

/// A provider offers a new service.
pub async fn create_service(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ServiceInput,
) -> Result<ServiceDetail, AppError> {
    ctx.require(Action::OfferService)?;
    let t = terms(state, ctx.principal.org_kind, input).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let s = store::create_service(&mut tx, &audit, ctx.principal.user.org_id, &t).await?;
    tx.commit().await?;
    service_detail(state, ctx, s).await
}

/// A provider changes its service (requests already made keep the steps they were made with).
pub async fn update_service(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ServiceInput,
) -> Result<ServiceDetail, AppError> {
    let s = visible_service(state, ctx, id).await?;
    ctx.require(Action::KeepService {
        provider_org_id: s.provider_org_id,
    })?;
    let t = terms(state, ctx.principal.org_kind, input).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let s = store::update_service(&mut tx, &audit, id, &t).await?;
    tx.commit().await?;
    service_detail(state, ctx, s).await
}

/// The provider, or the bureau, switches a service off or on.
pub async fn set_service_active(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    active: bool,
) -> Result<ServiceDetail, AppError> {
    let s = visible_service(state, ctx, id).await?;
    ctx.require(Action::SetServiceActive {
        provider_org_id: s.provider_org_id,
    })?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let s = store::set_service_active(&mut tx, &audit, id, active).await?;
    tx.commit().await?;
    service_detail(state, ctx, s).await
}

/// Whether the caller's enterprise may ask for `s`: `Ok(Ok(enterprise))` or `Ok(Err(problem))`.
async fn eligible(
    state: &App,
    ctx: &Ctx<'_>,
    s: &Service,
) -> Result<Result<Option<i64>, Problem>, AppError> {
    let enterprise = store::enterprise_of(&state.db, ctx.principal.user.org_id).await?;
    match s.audience {
        ServiceAudience::Anyone => Ok(Ok(enterprise.map(|e| e.0))),
        ServiceAudience::Incubatees => {
            let carrier = match enterprise {
                Some((id, _)) => store::incubating_carrier(&state.db, id).await?,
                None => None,
            };
            if carrier.is_some_and(|(_, op)| op == s.provider_org_id) {
                Ok(Ok(enterprise.map(|e| e.0)))
            } else {
                Ok(Err(Problem::new(
                    "service_id",
                    "该服务仅面向本载体在孵企业",
                    "This service is for the carrier's incubatees only",
                )))
            }
        }
        ServiceAudience::Chains => {
            let chain = enterprise.as_ref().and_then(|e| e.1.clone());
            if chain.is_some_and(|c| s.audience_chains.split(',').any(|x| x == c)) {
                Ok(Ok(enterprise.map(|e| e.0)))
            } else {
                Ok(Err(Problem::new(
                    "service_id",
                    "该服务仅面向指定产业链的企业",
                    "This service is for enterprises in the given chains only",
                )))
            }
        }
    }
}

/// A request as the enterprise makes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequestInput {
    /// The service asked for. Leave out, with `to_my_carrier`, to ask the carrier incubating
    /// the enterprise generally.
    #[serde(default)]
    pub service_id: Option<i64>,
    /// Ask the carrier that incubates the enterprise now (no particular service).
    #[serde(default)]
    pub to_my_carrier: bool,
    /// For a general request: what kind of help (default 其他).
    #[serde(default)]
    #[schema(value_type = Option<ServiceCategory>)]
    pub category: Option<String>,
    /// What the enterprise needs, 5 to 2000 characters.
    pub need: String,
}

/// A request with its service, parties and times; `overdue` when it waits past its promise.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRequestView {
    pub id: i64,
    pub service_id: Option<i64>,
    /// The service's title, or 向所在载体求助 for a general request.
    pub service_title: String,
    pub provider_org_id: i64,
    pub provider_name: String,
    pub requester_org_id: i64,
    pub requester_name: String,
    pub carrier_id: Option<i64>,
    pub category: ServiceCategory,
    pub category_label: String,
    pub need: String,
    pub status: ServiceRequestStatus,
    pub status_label: String,
    pub requested_at: String,
    /// The promised answer's deadline.
    pub due_at: String,
    pub answered_at: Option<String>,
    pub completed_at: Option<String>,
    /// Waiting for an answer past the promised time.
    pub overdue: bool,
    pub decline_reason: Option<String>,
    pub charge_fen: Option<i64>,
    pub charge: Option<String>,
    /// 1 to 5 stars, once rated.
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<String>,
}

impl ServiceRequestView {
    pub fn new(r: Request, now: i64) -> ServiceRequestView {
        ServiceRequestView {
            overdue: rule::overdue(r.status, r.due_at, now),
            service_title: r
                .service_title
                .unwrap_or_else(|| "向所在载体求助".to_string()),
            category_label: r.category.label(Lang::ZhCn).into(),
            status_label: r.status.label(Lang::ZhCn).into(),
            requested_at: rfc3339(r.requested_at),
            due_at: rfc3339(r.due_at),
            answered_at: r.answered_at.map(rfc3339),
            completed_at: r.completed_at.map(rfc3339),
            charge: r.charge_fen.map(money::yuan),
            rated_at: r.rated_at.map(rfc3339),
            id: r.id,
            service_id: r.service_id,
            provider_org_id: r.provider_org_id,
            provider_name: r.provider_name,
            requester_org_id: r.requester_org_id,
            requester_name: r.requester_name,
            carrier_id: r.carrier_id,
            category: r.category,
            need: r.need,
            status: r.status,
            decline_reason: r.decline_reason,
            charge_fen: r.charge_fen,
            rating: r.rating,
            rating_comment: r.rating_comment,
        }
    }
}

/// A step of a request's service.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRequestStepView {
    /// 1, 2, … in the service's order.
    pub position: i64,
    pub name: String,
    pub done_at: Option<String>,
    pub note: Option<String>,
    /// Files recorded with the step (a report, a certificate, a receipt).
    pub files: Vec<ServiceStepFileView>,
}

impl ServiceRequestStepView {
    fn new(s: RequestStepRow, files: &[StepFile]) -> ServiceRequestStepView {
        ServiceRequestStepView {
            files: files
                .iter()
                .filter(|f| f.position == s.position)
                .map(ServiceStepFileView::new)
                .collect(),
            position: s.position,
            name: s.name,
            done_at: s.done_at.map(rfc3339),
            note: s.note,
        }
    }
}

/// A file recorded with a step.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceStepFileView {
    pub id: i64,
    pub position: i64,
    pub name: String,
    pub kind: AttachmentKind,
    pub size_bytes: i64,
    /// `1.2 MB`.
    pub size: String,
    pub sha256: String,
    pub uploaded_at: String,
    /// Where it downloads (`GET`, for the request's parties and the bureau).
    pub href: String,
}

impl ServiceStepFileView {
    fn new(f: &StepFile) -> ServiceStepFileView {
        ServiceStepFileView {
            id: f.id,
            position: f.position,
            name: f.name.clone(),
            kind: f.kind,
            size_bytes: f.size_bytes,
            size: crate::error::size_words(f.size_bytes.max(0) as u64),
            sha256: f.sha256.clone(),
            uploaded_at: rfc3339(f.uploaded_at),
            href: format!("/api/v1/services/requests/{}/files/{}", f.request_id, f.id),
        }
    }
}

/// A request with its steps and what the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRequestDetail {
    pub request: ServiceRequestView,
    pub steps: Vec<ServiceRequestStepView>,
    /// The steps the caller may take now.
    pub actions: Vec<ServiceRequestStep>,
    /// The caller may record files with the steps (the provider, while the request is worked
    /// or after it is completed).
    pub may_attach: bool,
    /// The bill of a completed request with a charge (paid on the bill's page, vouchers
    /// included when the service takes them).
    pub bill: Option<crate::billing::BillView>,
}

/// A step on a request, with what that step needs.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequestStepInput {
    #[schema(value_type = ServiceRequestStep)]
    pub step: String,
    /// decline: why (required, 2 to 1000 characters).
    #[serde(default)]
    pub reason: Option<String>,
    /// record: which step of the service (1, 2, …).
    #[serde(default)]
    pub position: Option<i64>,
    /// record: what was done (up to 1000 characters); rate: the comment (up to 1000).
    #[serde(default)]
    pub note: Option<String>,
    /// complete: the charge, fen (default the service's price; 0 for free). A charge is billed
    /// to the requester (pay after use; vouchers pay part when the service takes them).
    #[serde(default)]
    pub charge_fen: Option<i64>,
    /// complete: the bill's due date, `YYYY-MM-DD` (default 30 days after today; at most 180).
    #[serde(default)]
    pub due_on: Option<String>,
    /// rate: 1 to 5.
    #[serde(default)]
    pub stars: Option<i64>,
}

/// Which requests to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceRequestQuery {
    /// `mine` (asked by the caller's organisation), `incoming` (addressed to it); default all
    /// the caller may see.
    #[serde(default)]
    #[param(value_type = Option<ServiceRequestRole>)]
    pub role: Option<String>,
    #[serde(default)]
    #[param(value_type = Option<ServiceRequestStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    #[param(value_type = Option<ServiceCategory>)]
    pub category: Option<String>,
    /// Only requests waiting past their promised answer.
    #[serde(default)]
    pub overdue: Option<bool>,
    #[serde(default)]
    pub provider_org_id: Option<i64>,
    #[serde(default)]
    pub service_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Which side of requests to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceRequestRole {
    Mine,
    Incoming,
}

/// The words for the store's refusals here.
fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (zh, en) = match field.as_str() {
        "status" => (
            "申请状态刚刚变化，请刷新后重试",
            "The request's status has just changed; reload and retry",
        ),
        "rating" => (
            "该申请已评价，不能重复评价",
            "This request is already rated",
        ),
        "steps" => (
            "还有办理步骤未完成，请先记录全部步骤",
            "Some steps are not done yet; record them first",
        ),
        "position" => ("该步骤已记录完成", "This step is already done"),
        _ => ("该值已存在", "This value already exists"),
    };
    AppError::Conflict {
        field,
        zh: zh.into(),
        en: en.into(),
    }
}

/// Requests the caller may see, filtered as asked: the bureau every request; anyone else those
/// its organisation asked or answers.
pub async fn list_requests(
    state: &App,
    ctx: &Ctx<'_>,
    q: &ServiceRequestQuery,
) -> Result<Vec<ServiceRequestView>, AppError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            ServiceRequestStatus::parse(s)
                .ok_or_else(|| problem("status", "未知的申请状态", "Unknown request status"))?,
        ),
        None => None,
    };
    let role = match q.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some("mine") => Some(ServiceRequestRole::Mine),
        Some("incoming") => Some(ServiceRequestRole::Incoming),
        Some(_) => {
            return Err(problem(
                "role",
                "应为 mine（我的申请）或 incoming（待我办理）",
                "mine or incoming",
            ));
        }
    };
    let category = category_of("category", q.category.as_deref())?;
    let (limit, offset) = page(q.limit, q.offset, 200, 5000)?;
    let own = ctx.principal.user.org_id;
    let bureau = ctx
        .require(Action::SetServiceActive {
            provider_org_id: -1,
        })
        .is_ok();
    let now = now_ms();
    let f = RequestFilter {
        visible_to: (!bureau).then_some(own),
        provider_org_id: if role == Some(ServiceRequestRole::Incoming) {
            Some(own)
        } else {
            q.provider_org_id
        },
        requester_org_id: (role == Some(ServiceRequestRole::Mine)).then_some(own),
        service_id: q.service_id,
        status,
        category,
        overdue_at: q.overdue.unwrap_or(false).then_some(now),
        limit,
        offset,
    };
    Ok(store::list_requests(&state.db, &f)
        .await?
        .into_iter()
        .map(|r| ServiceRequestView::new(r, now))
        .collect())
}

/// The request, if the caller may see it (404 otherwise).
async fn visible_request(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Request, AppError> {
    let r = store::get_request(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewServiceRequest {
        requester_org_id: r.requester_org_id,
        provider_org_id: r.provider_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(r)
}

fn side_allowed(ctx: &Ctx<'_>, r: &Request, side: Side) -> Result<(), AppError> {
    match side {
        Side::Provider => ctx.require(Action::AnswerServiceRequest {
            provider_org_id: r.provider_org_id,
        }),
        Side::Requester => ctx.require(Action::FollowServiceRequest {
            requester_org_id: r.requester_org_id,
        }),
    }
}

pub async fn get_request(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<ServiceRequestDetail, AppError> {
    let r = visible_request(state, ctx, id).await?;
    request_detail(state, ctx, r).await
}

async fn request_detail(
    state: &App,
    ctx: &Ctx<'_>,
    r: Request,
) -> Result<ServiceRequestDetail, AppError> {
    let steps = store::steps(&state.db, r.id).await?;
    let files = store::step_files(&state.db, r.id).await?;
    let may_attach = matches!(
        r.status,
        ServiceRequestStatus::Accepted
            | ServiceRequestStatus::InProgress
            | ServiceRequestStatus::Completed
    ) && side_allowed(ctx, &r, Side::Provider).is_ok();
    let actions = ServiceRequestStep::ALL
        .iter()
        .copied()
        .filter(|s| r.status.after(*s).is_ok() && side_allowed(ctx, &r, s.side()).is_ok())
        .filter(|s| match s {
            ServiceRequestStep::Rate => r.rating.is_none(),
            ServiceRequestStep::Record => steps.iter().any(|t| t.done_at.is_none()),
            ServiceRequestStep::Complete => steps.iter().all(|t| t.done_at.is_some()),
            _ => true,
        })
        .collect();
    let bill = bills::for_service_request(&state.db, r.id)
        .await?
        .map(|b| crate::billing::BillView::new(b, today_date()));
    Ok(ServiceRequestDetail {
        request: ServiceRequestView::new(r, now_ms()),
        steps: steps
            .into_iter()
            .map(|s| ServiceRequestStepView::new(s, &files))
            .collect(),
        actions,
        may_attach,
        bill,
    })
}

/// An enterprise asks for a service, or generally for help from the carrier incubating it.
/// The request goes to the service's provider (or that carrier's operator), whose users are
/// told in their inbox.
pub async fn create_request(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ServiceRequestInput,
) -> Result<ServiceRequestDetail, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let need = input.need.trim().to_string();
    if !(5..=2000).contains(&need.chars().count()) {
        problems.push(Problem::new(
            "need",
            "请用 5 到 2000 字说明需求",
            "Describe the need in 5 to 2,000 characters",
        ));
    }
    let own = ctx.principal.user.org_id;
    let n = match (input.service_id, input.to_my_carrier) {
        (Some(id), false) => {
            let s = visible_service(state, ctx, id)
                .await
                .map_err(|_| problem("service_id", "没有这项服务", "No such service"))?;
            ctx.require(Action::RequestService {
                provider_org_id: s.provider_org_id,
            })?;
            if !s.active {
                return Err(problem(
                    "service_id",
                    "该服务已停用",
                    "This service is not offered now",
                ));
            }
            let enterprise = match eligible(state, ctx, &s).await? {
                Ok(e) => e,
                Err(p) => {
                    problems.push(p);
                    None
                }
            };
            NewRequest {
                service_id: Some(s.id),
                provider_org_id: s.provider_org_id,
                requester_org_id: own,
                enterprise_id: enterprise,
                carrier_id: None,
                category: s.category,
                need: need.clone(),
                response_hours: s.response_hours,
                steps: split_lines(&s.steps),
                requested_at: now_ms(),
            }
        }
        (None, true) => {
            // Who may ask at all (the carrier is found below).
            ctx.require(Action::RequestService {
                provider_org_id: -1,
            })?;
            let category = category_of("category", input.category.as_deref())?
                .unwrap_or(ServiceCategory::Other);
            let enterprise = store::enterprise_of(&state.db, own).await?;
            let carrier = match enterprise {
                Some((id, _)) => store::incubating_carrier(&state.db, id).await?,
                None => None,
            };
            let Some((carrier_id, operator)) = carrier else {
                return Err(problem(
                    "to_my_carrier",
                    "贵企业目前不在任何孵化载体内孵化，请选择具体服务",
                    "Your enterprise is not incubated at a carrier now; choose a service",
                ));
            };
            ctx.require(Action::RequestService {
                provider_org_id: operator,
            })?;
            NewRequest {
                service_id: None,
                provider_org_id: operator,
                requester_org_id: own,
                enterprise_id: enterprise.map(|e| e.0),
                carrier_id: Some(carrier_id),
                category,
                need: need.clone(),
                response_hours: GENERAL_RESPONSE_HOURS,
                steps: Vec::new(),
                requested_at: now_ms(),
            }
        }
        _ => {
            return Err(problem(
                "service_id",
                "请选择一项服务，或选择向所在载体求助",
                "Choose a service, or ask your carrier",
            ));
        }
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let r = store::create_request(&mut tx, &audit, &n).await?;
    tx.commit().await?;
    inbox::tell(
        state,
        &[r.provider_org_id],
        notice(&r, "assigned", "收到新的服务申请"),
    )
    .await;
    request_detail(state, ctx, r).await
}

fn notice(r: &Request, event: &str, what_zh: &str) -> Notice {
    Notice {
        kind: crate::inbox::InboxKind::ServiceRequest,
        title: format!(
            "服务申请“{}”：{what_zh}",
            r.service_title.as_deref().unwrap_or("向所在载体求助")
        ),
        body: format!("{} → {}", r.requester_name, r.provider_name),
        link: Some(format!("/services/requests/{}", r.id)),
        ref_key: format!("service_request:{}:{event}", r.id),
    }
}

fn note_text(field: &str, raw: Option<&str>, min: usize) -> Result<String, AppError> {
    let t = raw.map(str::trim).unwrap_or("").to_string();
    let n = t.chars().count();
    if n < min || n > 1000 {
        return Err(if min > 0 {
            problem(
                field,
                "请写明原因，2 到 1000 字",
                "Give the reason in 2 to 1,000 characters",
            )
        } else {
            problem(field, "不超过 1000 字", "At most 1,000 characters")
        });
    }
    Ok(t)
}

/// Takes a step on a request: the provider accepts, declines (with a reason), records a step,
/// completes (with the charge); the requester withdraws or rates (once).
pub async fn step(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ServiceRequestStepInput,
) -> Result<ServiceRequestDetail, AppError> {
    let r = visible_request(state, ctx, id).await?;
    let step = ServiceRequestStep::parse(input.step.trim()).ok_or_else(|| {
        problem(
            "step",
            "未知的操作，应为 accept、decline、record、complete、withdraw 或 rate",
            "Unknown step: accept, decline, record, complete, withdraw or rate",
        )
    })?;
    side_allowed(ctx, &r, step.side())?;
    let to = r.status.after(step).map_err(AppError::conflict)?;
    let now = now_ms();
    let audit = ctx.audit();
    let mut bill = None;
    let (after, told) = match step {
        ServiceRequestStep::Accept | ServiceRequestStep::Withdraw => {
            let f = StepFields {
                answered_at: (step == ServiceRequestStep::Accept).then_some(now),
                ..StepFields::default()
            };
            let mut tx = state.db.begin().await?;
            let a = store::step(&mut tx, &audit, id, r.status, to, &f, now)
                .await
                .map_err(refused)?;
            tx.commit().await?;
            let told =
                (step == ServiceRequestStep::Accept).then_some(("accepted", "已受理", false));
            (a, told)
        }
        ServiceRequestStep::Decline => {
            let reason = note_text("reason", input.reason.as_deref(), 2)?;
            let f = StepFields {
                answered_at: Some(now),
                decline_reason: Some(reason),
                ..StepFields::default()
            };
            let mut tx = state.db.begin().await?;
            let a = store::step(&mut tx, &audit, id, r.status, to, &f, now)
                .await
                .map_err(refused)?;
            tx.commit().await?;
            (a, Some(("declined", "已拒绝", false)))
        }
        ServiceRequestStep::Record => {
            let Some(position) = input.position.filter(|p| (1..=1000).contains(p)) else {
                return Err(problem(
                    "position",
                    "请选择完成的办理步骤",
                    "Choose the step that is done",
                ));
            };
            let note = note_text("note", input.note.as_deref(), 0)?;
            let mut tx = state.db.begin().await?;
            let a = store::record_step(&mut tx, &audit, id, position, &note, now)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => {
                        problem("position", "该服务没有这个步骤", "No such step")
                    }
                    e => refused(e),
                })?;
            tx.commit().await?;
            (a, None)
        }
        ServiceRequestStep::Complete => {
            let service = match r.service_id {
                Some(s) => store::get_service(&state.db, s).await?,
                None => None,
            };
            let price = service.as_ref().map(|s| s.price_fen).unwrap_or(0);
            let charge = input.charge_fen.unwrap_or(price);
            if !(0..=MAX_PRICE_FEN).contains(&charge) {
                return Err(problem(
                    "charge_fen",
                    "收费以分为单位，应为 0 到 1000 万元之间的整数",
                    "The charge in fen: 0 to 10 million yuan",
                ));
            }
            let today = today_date();
            let terms =
                billing_rule::bill_terms("", "", input.due_on.as_deref().unwrap_or(""), today)
                    .map_err(|errors| {
                        AppError::Invalid(errors.into_iter().map(Problem::from).collect())
                    })?;
            let f = StepFields {
                completed_at: Some(now),
                charge_fen: Some(charge),
                ..StepFields::default()
            };
            let mut tx = state.db.begin().await?;
            let a = store::step(&mut tx, &audit, id, r.status, to, &f, now)
                .await
                .map_err(refused)?;
            // A charge is billed in the same transaction: a completed request with a charge
            // always has its bill.
            if charge > 0 {
                bill = Some(
                    bills::issue_for_service(
                        &mut tx,
                        &audit,
                        &bills::NewServiceBill {
                            request_id: id,
                            amount_fen: charge,
                            vouchers_accepted: service.is_some_and(|s| s.voucher_payable),
                            issued_on: today,
                            due_on: terms.due_on,
                        },
                    )
                    .await?,
                );
            }
            tx.commit().await?;
            (a, Some(("completed", "已办结", false)))
        }
        ServiceRequestStep::Rate => {
            let stars = input
                .stars
                .ok_or_else(|| problem("stars", "请选择 1 到 5 星", "Choose 1 to 5 stars"))
                .and_then(|s| rule::stars(s).map_err(|e| crate::input::invalid(vec![e])))?;
            let comment = note_text("note", input.note.as_deref(), 0)?;
            let mut tx = state.db.begin().await?;
            let a = store::rate(&mut tx, &audit, id, stars, &comment, now)
                .await
                .map_err(refused)?;
            tx.commit().await?;
            (a, Some(("rated", "已评价", true)))
        }
    };
    if let Some((event, what, to_provider)) = told {
        let org = if to_provider {
            after.provider_org_id
        } else {
            after.requester_org_id
        };
        inbox::tell(state, &[org], notice(&after, event, what)).await;
    }
    if let Some(b) = bill {
        let what = format!("服务已办结，请付款 {} 元", money::yuan(b.amount_fen));
        inbox::tell(
            state,
            &[b.payer_org_id],
            inbox::Notice::bill(&b, "issued", &what),
        )
        .await;
    }
    request_detail(state, ctx, after).await
}

/// The provider records a file with step `position` of a request (at most
/// [`attachment::MAX_BYTES`], a PDF, image or Office document by content; at most
/// [`store::MAX_FILES_PER_REQUEST`] files a request).
pub async fn attach(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    position: i64,
    name: &str,
    bytes: &[u8],
) -> Result<ServiceRequestDetail, AppError> {
    let r = visible_request(state, ctx, id).await?;
    side_allowed(ctx, &r, Side::Provider)?;
    let checked = attachment::check("file", name, bytes).map_err(|e| {
        if e.code == "too_large" {
            AppError::file_too_large("file", e.zh, e.en)
        } else {
            crate::input::invalid(vec![e])
        }
    })?;
    let sha256 = crate::auth::secret::sha256_hex(bytes);
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    store::add_step_file(
        &mut tx,
        &audit,
        &store::NewStepFile {
            request_id: id,
            position,
            name: &checked.name,
            kind: checked.kind,
            sha256: &sha256,
            content: bytes,
            now: now_ms(),
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::NotFound => problem("position", "该服务没有这个步骤", "No such step"),
        StoreError::Conflict { field } if field == "file" => AppError::Conflict {
            field,
            zh: format!("每份申请最多保存 {} 个附件", store::MAX_FILES_PER_REQUEST),
            en: format!(
                "A request keeps at most {} files",
                store::MAX_FILES_PER_REQUEST
            ),
        },
        e => refused(e),
    })?;
    tx.commit().await?;
    let after = store::get_request(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    request_detail(state, ctx, after).await
}

/// A file of a request, with its content, for the request's parties and the bureau.
pub async fn step_file(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    file_id: i64,
) -> Result<(StepFile, Vec<u8>), AppError> {
    visible_request(state, ctx, id).await?;
    store::step_file_content(&state.db, id, file_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Tells the provider and the bureau of each request that has come to wait past its promised
/// answer, once per request; the server sweeps every few minutes. Answers how many it told of.
pub async fn tell_overdue(state: &App) -> Result<usize, AppError> {
    const BATCH: i64 = 200;
    let mut told = 0;
    let bureau = inbox::bureau_orgs(state).await;
    loop {
        let overdue = store::claim_overdue(&state.db, now_ms(), BATCH).await?;
        for r in &overdue {
            let waited = rule::duration_label(now_ms() - r.requested_at, Lang::ZhCn);
            let mut n = notice(
                r,
                "overdue",
                &format!("已超过承诺的答复时间（已等待{waited}）"),
            );
            let mut orgs = vec![r.provider_org_id];
            orgs.extend(bureau.iter().filter(|b| **b != r.provider_org_id));
            n.body = format!("{}；请尽快受理或说明原因", n.body);
            inbox::tell(state, &orgs, n).await;
        }
        told += overdue.len();
        if (overdue.len() as i64) < BATCH {
            return Ok(told);
        }
    }
}

/// A provider's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceProviderStatsView {
    pub provider_org_id: i64,
    pub provider_name: String,
    /// Requests received.
    pub volume: i64,
    pub answered: i64,
    pub accepted: i64,
    pub completed: i64,
    /// Accepted of answered, basis points (8000 = 80 %); none before any answer.
    pub acceptance_bp: Option<i64>,
    pub acceptance: Option<String>,
    /// Mean and median time to answer, ms (the median only for one provider's figures).
    pub mean_response_ms: Option<i64>,
    pub mean_response: Option<String>,
    pub median_response_ms: Option<i64>,
    pub median_response: Option<String>,
    /// Median time from asking to completion, ms (only for one provider's figures).
    pub median_completion_ms: Option<i64>,
    pub median_completion: Option<String>,
    pub rated: i64,
    /// Mean rating in hundredths of a star (435 = 4.35).
    pub rating_centi: Option<i64>,
    pub rating: Option<String>,
    /// Answered late or still waiting past the promise.
    pub overdue: i64,
    /// Waiting past the promise now.
    pub overdue_now: i64,
}

impl ServiceProviderStatsView {
    pub fn new(s: ProviderStats) -> ServiceProviderStatsView {
        let div = |sum: Option<i64>, n: Option<i64>| match (sum, n) {
            (Some(s), Some(n)) if n > 0 => Some(s / n),
            _ => None,
        };
        let acceptance_bp = (s.answered > 0).then(|| s.accepted * 10_000 / s.answered);
        let median_response_ms = div(s.response_mid_sum, s.response_mid_count);
        let median_completion_ms = div(s.completion_mid_sum, s.completion_mid_count);
        let rating_centi = div(s.rating_sum.map(|r| r * 100), Some(s.rated));
        ServiceProviderStatsView {
            acceptance: acceptance_bp.map(fruition_domain::wording::bp_percent),
            mean_response_ms: div(s.response_ms_sum, Some(s.answered)),
            mean_response: div(s.response_ms_sum, Some(s.answered))
                .map(|m| rule::duration_label(m, Lang::ZhCn)),
            median_response: median_response_ms.map(|m| rule::duration_label(m, Lang::ZhCn)),
            median_completion: median_completion_ms.map(|m| rule::duration_label(m, Lang::ZhCn)),
            rating: rating_centi.map(|r| format!("{}.{:02}", r / 100, r % 100)),
            acceptance_bp,
            median_response_ms,
            median_completion_ms,
            rating_centi,
            provider_org_id: s.provider_org_id,
            provider_name: s.provider_name,
            volume: s.volume,
            answered: s.answered,
            accepted: s.accepted,
            completed: s.completed,
            rated: s.rated,
            overdue: s.overdue,
            overdue_now: s.overdue_now,
        }
    }
}

/// Which provider's figures.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceStatsQuery {
    /// The bureau: one provider (default every provider); anyone else sees its own.
    #[serde(default)]
    pub provider_org_id: Option<i64>,
}

/// Providers' figures: the bureau every provider's (or one's), a provider its own.
pub async fn statistics(
    state: &App,
    ctx: &Ctx<'_>,
    q: &ServiceStatsQuery,
) -> Result<Vec<ServiceProviderStatsView>, AppError> {
    let own = ctx.principal.user.org_id;
    let bureau = ctx
        .require(Action::ViewServiceStatistics {
            provider_org_id: -1,
        })
        .is_ok();
    let provider = if bureau {
        q.provider_org_id
    } else {
        let p = q.provider_org_id.unwrap_or(own);
        ctx.require(Action::ViewServiceStatistics { provider_org_id: p })?;
        Some(p)
    };
    Ok(store::provider_stats(&state.db, provider, now_ms())
        .await?
        .into_iter()
        .map(ServiceProviderStatsView::new)
        .collect())
}
