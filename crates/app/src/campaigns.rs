//! Need-collection campaigns (挖掘双创载体在孵企业需求) as the bureau and the carriers work them:
//! the bureau opens a campaign (theme, chains, deadline) and every carrier operator is told;
//! a carrier manager records each incubatee asked and what came of it, and writes the needs
//! heard as market need listings, published at once under the firm's own organisation when it
//! has one (else under the carrier's operator, who collected it); the bureau follows each
//! carrier's coverage: firms asked, needs collected, needs matched (a deal started), deals
//! agreed.

use fruition_domain::authz::Action;
use fruition_domain::campaign::{self as rule, CampaignStatus, ContactOutcome, Coverage};
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::market::{self as market_rule, ListingKind, ListingStatus};
use fruition_store::campaigns::{
    self as store, Campaign, CampaignFields, CarrierCoverage, CollectedNeed, Contact, NewContact,
};
use fruition_store::{StoreError, carriers, enterprises};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::{rfc3339, today};
use crate::error::AppError;
use crate::inbox::{self, Notice};
use crate::input::{day_into, gather, page, problem};
use crate::market::ListingInput;
use crate::reference::Lookups;
use crate::{App, Ctx, Problems};

/// A campaign as the bureau writes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    pub title: String,
    /// What the campaign asks about, in a few sentences.
    #[serde(default)]
    pub theme: String,
    /// The first day needs are taken (YYYY-MM-DD; default today).
    #[serde(default)]
    pub opens_on: Option<String>,
    /// The last day (YYYY-MM-DD).
    pub deadline: String,
    /// The industrial chains asked about, by code or name; none: every chain.
    #[serde(default)]
    pub chains: Vec<String>,
}

/// A chain a campaign asks about.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignChainView {
    pub code: String,
    pub name: String,
}

/// A campaign.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub opens_on: String,
    pub deadline: String,
    pub status: CampaignStatus,
    pub status_label: String,
    /// Whether needs are taken today (open, started, not past the deadline).
    pub takes_needs: bool,
    pub chains: Vec<CampaignChainView>,
    pub created_at: String,
    pub updated_at: String,
}

impl CampaignView {
    fn new(c: Campaign, lookups: &Lookups) -> CampaignView {
        CampaignView {
            takes_needs: rule::takes_needs(c.status, &c.opens_on, &c.deadline, &today()),
            status_label: c.status.label(Lang::ZhCn).into(),
            chains: c
                .chains
                .iter()
                .map(|code| CampaignChainView {
                    name: lookups
                        .chain(Some(code))
                        .map_or_else(|| code.clone(), |ch| ch.name_zh.clone()),
                    code: code.clone(),
                })
                .collect(),
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            id: c.id,
            title: c.title,
            theme: c.theme,
            opens_on: c.opens_on,
            deadline: c.deadline,
            status: c.status,
        }
    }
}

/// A carrier's (or the whole campaign's) coverage.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct CampaignCoverageView {
    /// Firms incubated while the campaign ran.
    pub incubatees: i64,
    /// Firms asked.
    pub asked: i64,
    /// The share asked, whole percent.
    pub asked_percent: i64,
    /// Needs collected (each a market listing).
    pub needs: i64,
    /// Collected needs on which a deal was started.
    pub matched: i64,
    /// Collected needs that reached an agreed deal.
    pub deals: i64,
}

impl From<Coverage> for CampaignCoverageView {
    fn from(c: Coverage) -> Self {
        CampaignCoverageView {
            incubatees: c.incubatees,
            asked: c.asked,
            asked_percent: c.asked_percent(),
            needs: c.needs,
            matched: c.matched,
            deals: c.deals,
        }
    }
}

/// One carrier's row of the coverage table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierCoverageView {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub coverage: CampaignCoverageView,
}

/// A firm asked, and what came of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignContactView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub outcome: ContactOutcome,
    pub outcome_label: String,
    pub note: String,
    pub asked_on: String,
}

impl From<Contact> for CampaignContactView {
    fn from(k: Contact) -> Self {
        CampaignContactView {
            outcome_label: k.outcome.label(Lang::ZhCn).into(),
            id: k.id,
            carrier_id: k.carrier_id,
            carrier_name: k.carrier_name,
            enterprise_id: k.enterprise_id,
            enterprise_name: k.enterprise_name,
            outcome: k.outcome,
            note: k.note,
            asked_on: k.asked_on,
        }
    }
}

/// A need collected: its listing and how far the market took it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CollectedNeedView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub listing_id: i64,
    pub title: String,
    #[schema(value_type = fruition_domain::market::ListingStatus)]
    pub listing_status: String,
    /// Deals started on it.
    pub deals: i64,
    /// Deals agreed (or registered, fulfilled).
    pub agreed: i64,
    pub collected_at: String,
}

impl From<CollectedNeed> for CollectedNeedView {
    fn from(n: CollectedNeed) -> Self {
        CollectedNeedView {
            collected_at: rfc3339(n.collected_at),
            id: n.id,
            carrier_id: n.carrier_id,
            carrier_name: n.carrier_name,
            enterprise_id: n.enterprise_id,
            enterprise_name: n.enterprise_name,
            listing_id: n.listing_id,
            title: n.title,
            listing_status: n.listing_status,
            deals: n.deals,
            agreed: n.agreed,
        }
    }
}

/// A campaign with its coverage: every carrier's for the bureau, a carrier operator's own.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignDetailView {
    pub campaign: CampaignView,
    pub carriers: Vec<CarrierCoverageView>,
    /// The rows above added up.
    pub total: CampaignCoverageView,
    pub contacts: Vec<CampaignContactView>,
    pub needs: Vec<CollectedNeedView>,
}

/// A firm a carrier asked.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignContactInput {
    pub carrier_id: i64,
    pub enterprise_id: i64,
    /// `no_need` or `declined` (a need collected is recorded by collecting it).
    #[schema(value_type = fruition_domain::campaign::ContactOutcome)]
    pub outcome: String,
    #[serde(default)]
    pub note: String,
    /// The day asked (default today).
    #[serde(default)]
    pub asked_on: Option<String>,
}

/// A need a carrier heard from an incubatee: it becomes a published market need listing.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectNeedInput {
    pub carrier_id: i64,
    pub enterprise_id: i64,
    /// The need as a listing (its kind is `need`).
    pub need: ListingInput,
}

/// Which campaigns to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CampaignQuery {
    #[serde(default)]
    #[param(value_type = Option<CampaignStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The most a note holds.
const NOTE_MAX: usize = 500;

fn fields(input: &CampaignInput, lookups: &Lookups) -> Result<CampaignFields, AppError> {
    let mut p = Problems::default();
    let title = p.check(market_rule::text("title", &input.title, 100));
    let theme = p
        .check(market_rule::optional_text("theme", &input.theme, 2000))
        .flatten()
        .unwrap_or_default();
    let opens_on = match input.opens_on.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => p.check(IsoDate::parse_field(s, "opens_on")),
        _ => Some(crate::clock::today_date()),
    };
    let deadline = p.check(IsoDate::parse_field(input.deadline.trim(), "deadline"));
    if let (Some(o), Some(d)) = (opens_on, deadline) {
        p.check(rule::check_window(o, d));
    }
    let mut chains = Vec::new();
    for c in input.chains.iter().filter(|c| !c.trim().is_empty()) {
        match lookups.find_chain(c) {
            Some(ch) if !chains.contains(&ch.code) => chains.push(ch.code.clone()),
            Some(_) => {}
            None => p.push("chains", "没有这个产业链", "No such chain"),
        }
    }
    if chains.len() > 20 {
        p.push("chains", "最多选择 20 条产业链", "At most 20 chains");
    }
    p.into_result()?;
    Ok(CampaignFields {
        title: title.unwrap_or_default(),
        theme,
        opens_on: opens_on.map(|d| d.to_string()).unwrap_or_default(),
        deadline: deadline.map(|d| d.to_string()).unwrap_or_default(),
        chains,
    })
}

fn refused(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { field } if field == "status" => AppError::Conflict {
            field,
            zh: "征集活动已结束，不能再修改".into(),
            en: "The campaign has closed".into(),
        },
        e => e.into(),
    }
}

/// Opens a campaign and tells every carrier operator.
pub async fn open(
    state: &App,
    ctx: &Ctx<'_>,
    input: &CampaignInput,
) -> Result<CampaignView, AppError> {
    ctx.require(Action::OpenCampaign)?;
    let lookups = Lookups::cached(state).await?;
    let f = fields(input, &lookups)?;
    let mut tx = state.db.begin().await?;
    let c = store::create(&mut tx, &ctx.audit(), &f).await?;
    tx.commit().await?;
    let operators = store::operators(&state.db).await?;
    inbox::tell(
        state,
        &operators,
        Notice {
            kind: crate::inbox::InboxKind::Campaign,
            title: format!("需求征集：{}", c.title),
            body: format!(
                "请于 {} 前走访在孵企业，征集技术需求并在平台上填报。{}",
                c.deadline, c.theme
            ),
            link: Some(format!("/campaigns/{}", c.id)),
            ref_key: format!("campaign:{}:opened", c.id),
        },
    )
    .await;
    Ok(CampaignView::new(c, &lookups))
}

/// Changes an open campaign.
pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CampaignInput,
) -> Result<CampaignView, AppError> {
    ctx.require(Action::OpenCampaign)?;
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let lookups = Lookups::cached(state).await?;
    let f = fields(input, &lookups)?;
    let mut tx = state.db.begin().await?;
    let c = store::update(&mut tx, &ctx.audit(), id, &f)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    Ok(CampaignView::new(c, &lookups))
}

/// Closes a campaign: it takes no more needs.
pub async fn close(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<CampaignView, AppError> {
    ctx.require(Action::OpenCampaign)?;
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let c = store::close(&mut tx, &ctx.audit(), id)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    Ok(CampaignView::new(c, &*Lookups::cached(state).await?))
}

/// Campaigns, the latest deadline first.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    q: &CampaignQuery,
) -> Result<Vec<CampaignView>, AppError> {
    ctx.require(Action::ViewCampaigns)?;
    let (limit, offset) = page(q.limit, q.offset, 50, 500)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(CampaignStatus::parse(s).ok_or_else(|| {
            problem(
                "status",
                "状态应为 open 或 closed",
                "The status is open or closed",
            )
        })?),
        None => None,
    };
    let lookups = Lookups::cached(state).await?;
    Ok(store::list(&state.db, status, limit, offset)
        .await?
        .into_iter()
        .map(|c| CampaignView::new(c, &lookups))
        .collect())
}

/// The operator whose rows the actor sees: none (every carrier) for the bureau.
fn narrowed(ctx: &Ctx<'_>) -> Option<i64> {
    if ctx.sees_all() {
        None
    } else {
        Some(ctx.principal.user.org_id)
    }
}

/// A campaign with the coverage the actor may see.
pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<CampaignDetailView, AppError> {
    ctx.require(Action::ViewCampaigns)?;
    let c = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let operator = narrowed(ctx);
    let rows: Vec<CarrierCoverage> =
        store::coverage(&state.db, id, &c.opens_on, &c.deadline, operator).await?;
    let mut total = Coverage::default();
    let carriers = rows
        .into_iter()
        .map(|r| {
            let cov: Coverage = r.coverage.into();
            total.add(&cov);
            CarrierCoverageView {
                carrier_id: r.carrier_id,
                carrier_name: r.carrier_name,
                coverage: cov.into(),
            }
        })
        .collect();
    let contacts = store::contacts(&state.db, id, operator).await?;
    let needs = store::needs(&state.db, id, operator).await?;
    Ok(CampaignDetailView {
        campaign: CampaignView::new(c, &*Lookups::cached(state).await?),
        carriers,
        total: total.into(),
        contacts: contacts.into_iter().map(Into::into).collect(),
        needs: needs.into_iter().map(Into::into).collect(),
    })
}

/// The firms a carrier may ask in a campaign: its incubatees while the campaign runs.
pub async fn askable(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    carrier_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    let c = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::CollectNeeds {
        operator_org_id: carrier.operator_org_id,
    })?;
    Ok(store::askable(&state.db, carrier_id, &c.opens_on, &c.deadline).await?)
}

/// Checks that the campaign takes needs today and that the firm was the carrier's incubatee
/// while it ran; answers the campaign.
async fn checked(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    carrier_id: i64,
    enterprise_id: i64,
) -> Result<Campaign, AppError> {
    let c = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or_else(|| problem("carrier_id", "没有这个载体", "No such carrier"))?;
    ctx.require(Action::CollectNeeds {
        operator_org_id: carrier.operator_org_id,
    })?;
    if !rule::takes_needs(c.status, &c.opens_on, &c.deadline, &today()) {
        return Err(AppError::Conflict {
            field: "status".into(),
            zh: format!(
                "征集活动“{}”不在征集期内（{} 至 {}，{}）",
                c.title,
                c.opens_on,
                c.deadline,
                c.status.label(Lang::ZhCn)
            ),
            en: format!("The campaign “{}” is not taking needs now", c.title),
        });
    }
    let firms = store::askable(&state.db, carrier_id, &c.opens_on, &c.deadline).await?;
    if !firms.iter().any(|(e, _)| *e == enterprise_id) {
        return Err(problem(
            "enterprise_id",
            "该企业在征集期内不是本载体的在孵企业",
            "The enterprise was not incubated by this carrier while the campaign ran",
        ));
    }
    Ok(c)
}

/// Records a firm asked with no need collected (no need for now, or declined to say).
pub async fn ask(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CampaignContactInput,
) -> Result<CampaignContactView, AppError> {
    let mut p = Problems::default();
    let outcome = match ContactOutcome::parse(input.outcome.trim()) {
        Some(ContactOutcome::NeedCollected) => {
            p.push(
                "outcome",
                "征集到的需求请通过“征集需求”填报",
                "Record a collected need by collecting it",
            );
            None
        }
        Some(o) => Some(o),
        None => {
            p.push(
                "outcome",
                "请选择：暂无需求或不愿填报",
                "Choose no_need or declined",
            );
            None
        }
    };
    let note = p
        .check(market_rule::optional_text("note", &input.note, NOTE_MAX))
        .flatten()
        .unwrap_or_default();
    let asked_on = day_into(&mut p, "asked_on", input.asked_on.as_deref());
    p.into_result()?;
    let (Some(outcome), Some(asked_on)) = (outcome, asked_on) else {
        return Err(problem("outcome", "请选择结果", "Choose an outcome"));
    };
    checked(state, ctx, id, input.carrier_id, input.enterprise_id).await?;
    let mut tx = state.db.begin().await?;
    let k = store::ask(
        &mut tx,
        &ctx.audit(),
        &NewContact {
            campaign_id: id,
            carrier_id: input.carrier_id,
            enterprise_id: input.enterprise_id,
            outcome,
            note,
            asked_on: asked_on.to_string(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(k.into())
}

/// Collects a need: a published market need listing, under the firm's own organisation when
/// it has one (else under the carrier's operator), linked to the campaign; the firm is
/// recorded as asked. The need names its technical field like any need; its industrial chain
/// must be one the campaign asks about (when the campaign names chains).
pub async fn collect(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CollectNeedInput,
) -> Result<CollectedNeedView, AppError> {
    let c = checked(state, ctx, id, input.carrier_id, input.enterprise_id).await?;
    let enterprise = enterprises::get(&state.db, input.enterprise_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = enterprise.org_id.unwrap_or(ctx.principal.user.org_id);
    let mut need = input.need.clone();
    need.kind = ListingKind::Need.code().into();
    let mut problems = Vec::new();
    let fields = gather(
        &mut problems,
        crate::market::validate(state, ListingKind::Need, owner, &need).await,
    )?;
    let lookups = Lookups::cached(state).await?;
    let chosen = need
        .chain
        .as_deref()
        .and_then(|f| lookups.find_chain(f))
        .map(|ch| ch.code.clone());
    if !c.chains.is_empty() && !chosen.is_some_and(|code| c.chains.contains(&code)) {
        let names: Vec<String> = c
            .chains
            .iter()
            .map(|code| {
                lookups
                    .chain(Some(code))
                    .map_or_else(|| code.clone(), |ch| ch.name_zh.clone())
            })
            .collect();
        problems.push(crate::error::Problem {
            field: "chain".into(),
            zh: format!("本次征集面向产业链：{}", names.join("、")),
            en: "The campaign asks about other chains".into(),
        });
    }
    let Some(fields) = fields.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let listing =
        fruition_store::market::insert(&mut tx, &audit, ListingKind::Need, owner, &fields).await?;
    fruition_store::market::set_status(
        &mut tx,
        &audit,
        listing.id,
        ListingStatus::Draft,
        ListingStatus::Published,
        None,
    )
    .await?;
    let n = store::collect(
        &mut tx,
        &audit,
        id,
        input.carrier_id,
        input.enterprise_id,
        listing.id,
        &today(),
    )
    .await?;
    tx.commit().await?;
    state.search.catch_up(&state.db).await;
    crate::matching::notify_published(state, listing.id).await;
    Ok(n.into())
}
