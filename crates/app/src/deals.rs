//! Deals in the technology elements market: an organisation declares intent on another's
//! published listing; the two write to each other privately, propose and accept terms; the
//! bureau's registrar registers the agreed deal as a technology contract (or refuses, with a
//! reason); the contract is then recorded as fulfilled or terminated. Registered contracts feed
//! the statistics by year, field and carrier, and the annual report.
//!
//! Who does what: the parties' users who can write take the negotiating steps; the bureau reads
//! every deal and posts nothing; the registrar (bureau administrators and staff) registers;
//! either party or the registrar records the outcome (the parties know first, the bureau may
//! learn it from its own follow-up). A deal is invisible (404) to every other organisation.

use fruition_domain::annual::ContractTally;
use fruition_domain::authz::{Action, OrgScope, can, org_scope};
use fruition_domain::contract::{ContractSource, in_city};
use fruition_domain::date::IsoDate;
use fruition_domain::deal::{
    self, ContractOutcome, ContractType, DealStatus, DealStep, REASON_MAX, StepBy, Terms,
    TermsInput as DomainTerms,
};
use fruition_domain::lang::Lang;
use fruition_domain::market;
use fruition_domain::tech_field::TechField;
use fruition_store::deals::{
    self as store, Contract, ContractFilter, ContractTotal, Deal, DealFilter, Message, NewDeal,
    Registration, TermsRow,
};
use fruition_store::users::Principal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::reference::Lookups;
use super::{Ctx, Problems};
use crate::App;
use crate::clock::{rfc3339, today};
use crate::error::{AppError, Problem};

// ---------------------------------------------------------------------------------------------
// What the API and the pages show

/// A deal between two organisations on a listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DealView {
    pub id: i64,
    pub listing_id: i64,
    pub listing_title: String,
    pub listing_kind: market::ListingKind,
    /// The listing's owner, and the organisation that declared intent.
    pub owner_org_id: i64,
    pub initiator_org_id: i64,
    /// 技术输出方: an achievement's, service's or expert's owner; on a need, the initiator.
    pub seller_org_id: i64,
    pub seller_name: String,
    /// 技术吸纳方.
    pub buyer_org_id: i64,
    pub buyer_name: String,
    pub status: DealStatus,
    pub status_label: String,
    /// The latest proposal of terms, which the other party may accept.
    pub terms_id: Option<i64>,
    /// Why the registrar refused registration, why a party withdrew or the contract was terminated.
    pub status_reason: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip)]
    pub updated_ms: i64,
}

impl DealView {
    pub fn new(d: Deal) -> DealView {
        DealView {
            id: d.id,
            listing_id: d.listing_id,
            listing_title: d.listing_title,
            listing_kind: d.listing_kind,
            owner_org_id: d.owner_org_id,
            initiator_org_id: d.initiator_org_id,
            seller_org_id: d.seller_org_id,
            seller_name: d.seller_name,
            buyer_org_id: d.buyer_org_id,
            buyer_name: d.buyer_name,
            status_label: d.status.label_on(d.listing_kind, Lang::ZhCn).into(),
            status: d.status,
            terms_id: d.terms_id,
            status_reason: d.status_reason,
            created_at: rfc3339(d.created_at),
            updated_at: rfc3339(d.updated_at),
            updated_ms: d.updated_at,
        }
    }

    /// The other party, seen from `org_id`: (id, name).
    pub fn counterpart(&self, org_id: i64) -> (i64, &str) {
        if org_id == self.seller_org_id {
            (self.buyer_org_id, &self.buyer_name)
        } else {
            (self.seller_org_id, &self.seller_name)
        }
    }
}

/// A private message between the two organisations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub deal_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub author_name: Option<String>,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
    #[serde(skip)]
    pub created_ms: i64,
}

impl MessageView {
    fn new(m: Message) -> MessageView {
        MessageView {
            id: m.id,
            deal_id: m.deal_id,
            org_id: m.org_id,
            org_name: m.org_name,
            author_name: m.author_name,
            body: m.body,
            created_at: rfc3339(m.created_at),
            created_ms: m.created_at,
        }
    }
}

/// Terms one party proposed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermsView {
    pub id: i64,
    /// The proposing organisation.
    pub org_id: i64,
    pub org_name: String,
    pub contract_type: ContractType,
    pub contract_type_label: String,
    /// 千元.
    pub contract_amount_k: i64,
    /// 千元; at most the contract amount.
    pub tech_amount_k: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub proposed_at: String,
    /// When the other party accepted them (RFC 3339).
    pub accepted_at: Option<String>,
    /// Whether these are the deal's latest proposal.
    pub latest: bool,
    #[serde(skip)]
    pub proposed_ms: i64,
    #[serde(skip)]
    pub accepted_ms: Option<i64>,
}

impl TermsView {
    fn new(t: TermsRow, latest: Option<i64>) -> TermsView {
        TermsView {
            latest: latest == Some(t.id),
            id: t.id,
            org_id: t.org_id,
            org_name: t.org_name,
            contract_type_label: t.contract_type.label(Lang::ZhCn).into(),
            contract_type: t.contract_type,
            contract_amount_k: t.contract_amount_k,
            tech_amount_k: t.tech_amount_k,
            starts_on: t.starts_on,
            ends_on: t.ends_on,
            proposed_at: rfc3339(t.created_at),
            accepted_at: t.accepted_at.map(rfc3339),
            proposed_ms: t.created_at,
            accepted_ms: t.accepted_at,
        }
    }
}

/// A registered technology contract as the register keeps it, reached in the market or
/// concluded anywhere and submitted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub source: ContractSource,
    pub source_label: String,
    /// The market deal it was registered from.
    pub deal_id: Option<i64>,
    /// The submission it was recognised from (a contract concluded outside the market).
    pub submission_id: Option<i64>,
    /// City code + year + serial, e.g. 4302002025000123.
    pub registration_no: String,
    pub year: i64,
    pub registered_on: String,
    pub contract_type: ContractType,
    pub contract_type_label: String,
    /// 技术输出方; the organisation on the platform, when it is one.
    pub seller_org_id: Option<i64>,
    pub seller_name: String,
    pub seller_uscc: Option<String>,
    /// The county that registered the seller, when it is in the city.
    pub seller_county: Option<String>,
    pub seller_in_city: bool,
    /// 技术吸纳方.
    pub buyer_org_id: Option<i64>,
    pub buyer_name: String,
    pub buyer_uscc: Option<String>,
    pub buyer_county: Option<String>,
    pub buyer_in_city: bool,
    /// 合同成交额, fen.
    pub contract_amount_fen: i64,
    /// 技术交易额, fen.
    pub tech_amount_fen: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// The technical field at registration (national classification) and its Chinese name.
    #[schema(value_type = Option<fruition_domain::tech_field::TechField>)]
    pub field: Option<String>,
    pub field_name: Option<String>,
    /// The industrial chain at registration, when the contract had one, and its name.
    pub chain: Option<String>,
    pub chain_name: Option<String>,
    /// The carrier incubating the seller (else the buyer) on the day of registration.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    /// fulfilled | terminated, once recorded.
    pub outcome: Option<ContractOutcome>,
    pub outcome_on: Option<String>,
    pub outcome_reason: Option<String>,
}

fn county_of(division: Option<&str>, city_code: &str) -> Option<String> {
    division
        .filter(|d| in_city(d, city_code))
        .map(|d| super::reference::county_name(d))
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

impl ContractView {
    pub fn new(k: Contract, lookups: &Lookups, city_code: &str) -> ContractView {
        ContractView {
            id: k.id,
            source_label: k.source.label(Lang::ZhCn).into(),
            source: k.source,
            deal_id: k.deal_id,
            submission_id: k.submission_id,
            registration_no: k.registration_no,
            year: k.year,
            registered_on: k.registered_on,
            contract_type_label: k.contract_type.label(Lang::ZhCn).into(),
            contract_type: k.contract_type,
            seller_org_id: k.seller_org_id,
            seller_name: k.seller_name,
            seller_county: county_of(k.seller_division.as_deref(), city_code),
            seller_in_city: k
                .seller_division
                .as_deref()
                .is_some_and(|d| in_city(d, city_code)),
            seller_uscc: k.seller_uscc,
            buyer_org_id: k.buyer_org_id,
            buyer_name: k.buyer_name,
            buyer_county: county_of(k.buyer_division.as_deref(), city_code),
            buyer_in_city: k
                .buyer_division
                .as_deref()
                .is_some_and(|d| in_city(d, city_code)),
            buyer_uscc: k.buyer_uscc,
            contract_amount_fen: k.contract_amount_fen,
            tech_amount_fen: k.tech_amount_fen,
            starts_on: k.starts_on,
            ends_on: k.ends_on,
            field_name: crate::listing::field_name(k.tech_field.as_deref()),
            field: k.tech_field,
            chain_name: lookups
                .chain(k.chain_code.as_deref())
                .map(|c| c.name_zh.clone()),
            chain: k.chain_code,
            carrier_id: k.carrier_id,
            carrier_name: k.carrier_name,
            outcome: k.outcome.as_deref().and_then(ContractOutcome::parse),
            outcome_on: k.outcome_on,
            outcome_reason: k.outcome_reason,
        }
    }
}

/// A deal with its messages, every proposal, the contract once registered, and what the caller
/// may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DealDetail {
    pub deal: DealView,
    pub messages: Vec<MessageView>,
    /// Every proposal, oldest first.
    pub proposals: Vec<TermsView>,
    pub contract: Option<ContractView>,
    /// Whether the caller may write a message.
    pub may_write: bool,
    /// The steps the caller may take now (propose, accept, withdraw, register,
    /// refuse_registration, fulfil, terminate).
    pub steps: Vec<DealStep>,
}

impl DealDetail {
    pub fn may(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.code() == step)
    }

    /// The latest proposal.
    pub fn latest(&self) -> Option<&TermsView> {
        self.proposals.iter().find(|t| t.latest)
    }
}

// ---------------------------------------------------------------------------------------------
// What users send

/// Intent on a published listing, with a first message to its owner.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntentInput {
    pub listing_id: i64,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    #[serde(default)]
    pub message: String,
}

/// Proposed terms.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// development | transfer | licence | consulting | service (the Chinese names 技术开发 / 转让 /
    /// 许可 / 咨询 / 服务 are accepted too).
    #[serde(default)]
    #[schema(value_type = fruition_domain::deal::ContractType)]
    pub contract_type: String,
    /// 千元, more than 0.
    #[serde(default)]
    pub contract_amount_k: Option<i64>,
    /// 千元, at most the contract amount.
    #[serde(default)]
    pub tech_amount_k: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub starts_on: String,
    /// YYYY-MM-DD, not before `starts_on`.
    #[serde(default)]
    pub ends_on: String,
}

/// Accepting the terms the caller saw: a conflict if they are no longer the latest proposal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    pub terms_id: i64,
}

/// A reason (required to refuse registration; optional to withdraw).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: Option<String>,
}

/// The registrar's registration of an agreed deal.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    /// The agreed terms the registrar saw (recommended): a conflict if the deal's are others now.
    #[serde(default)]
    pub terms_id: Option<i64>,
    /// The day of registration (YYYY-MM-DD; default today, never in the future) — an earlier day
    /// for a contract registered on paper. Its year numbers the contract.
    #[serde(default)]
    pub registered_on: Option<String>,
}

/// What became of a registered contract.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// fulfilled | terminated.
    #[serde(default)]
    #[schema(value_type = fruition_domain::deal::ContractOutcome)]
    pub outcome: String,
    /// The day (YYYY-MM-DD): not before registration, not in the future.
    #[serde(default)]
    pub on: String,
    /// Required for a termination.
    #[serde(default)]
    pub reason: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Rules

fn conflict(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Conflict {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

fn stale_terms() -> AppError {
    conflict(
        "terms_id",
        "条款已被新的提议替换或已不在洽谈中，请查看最新条款后再操作",
        "These terms were replaced by a newer proposal or are no longer open; review the latest terms and try again",
    )
}

/// A step that the deal's status does not allow now.
fn not_now(d: &Deal, step: DealStep) -> AppError {
    conflict(
        "status",
        &format!(
            "“{}”的洽谈不能{}",
            d.status.label(Lang::ZhCn),
            step.label(Lang::ZhCn)
        ),
        &format!(
            "A deal that is {} cannot take the step “{}”",
            d.status.label(Lang::En).to_lowercase(),
            step.label(Lang::En).to_lowercase()
        ),
    )
}

fn invalid(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![Problem {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

/// Whether the actor may take `step` on the deal now (its status and who they are).
fn may_take(p: &Principal, d: &Deal, latest: Option<&TermsRow>, step: DealStep) -> bool {
    if d.status.after_on(d.listing_kind, step).is_none() {
        return false;
    }
    let actor = p.actor();
    let parties = d.parties();
    let party = can(
        &actor,
        &Action::ActOnDeal {
            party_org_ids: parties,
        },
    )
    .is_ok();
    let registrar = can(&actor, &Action::RegisterContracts).is_ok();
    match step.by() {
        StepBy::Parties if step == DealStep::Accept => {
            party && latest.is_some_and(|t| t.org_id != actor.org_id && Some(t.id) == d.terms_id)
        }
        StepBy::Parties => party,
        StepBy::Registrar => registrar,
        StepBy::PartiesOrRegistrar => can(
            &actor,
            &Action::RecordContractOutcome {
                party_org_ids: parties,
            },
        )
        .is_ok(),
    }
}

/// A deal the actor may see; any other is not found.
async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Deal, AppError> {
    let d = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewDeal {
        party_org_ids: d.parties(),
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(d)
}

fn reason(
    p: &mut Problems,
    field: &'static str,
    input: Option<&str>,
    required: bool,
) -> Option<String> {
    let text = input.unwrap_or("");
    if required {
        p.check(market::text(field, text, REASON_MAX))
    } else {
        p.check(market::optional_text(field, text, REASON_MAX))
            .flatten()
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// A deal with everything the parties and the bureau see on it.
pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    detail(state, ctx, d).await
}

async fn detail(state: &App, ctx: &Ctx<'_>, d: Deal) -> Result<DealDetail, AppError> {
    let db = &state.db;
    let (messages, proposals, contract, lookups) = tokio::try_join!(
        store::messages(db, d.id),
        store::proposals(db, d.id),
        store::contract_of(db, d.id),
        async { Lookups::load(db).await },
    )?;
    let latest = proposals.iter().find(|t| Some(t.id) == d.terms_id);
    let steps = DealStep::ALL
        .iter()
        .copied()
        .filter(|s| may_take(ctx.principal, &d, latest, *s))
        .collect();
    let may_write = d.status.takes_messages()
        && can(
            &ctx.principal.actor(),
            &Action::ActOnDeal {
                party_org_ids: d.parties(),
            },
        )
        .is_ok();
    let terms_id = d.terms_id;
    Ok(DealDetail {
        messages: messages.into_iter().map(MessageView::new).collect(),
        proposals: proposals
            .into_iter()
            .map(|t| TermsView::new(t, terms_id))
            .collect(),
        contract: contract.map(|k| ContractView::new(k, &lookups, &state.settings.city_code)),
        may_write,
        steps,
        deal: DealView::new(d),
    })
}

/// The deals of the actor's organisation (the bureau: every deal), most recently changed first.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    status: Option<DealStatus>,
) -> Result<Vec<DealView>, AppError> {
    let org_id = match org_scope(&ctx.principal.actor()) {
        OrgScope::All => None,
        OrgScope::Own(id) => Some(id),
    };
    let rows = store::list(
        &state.db,
        &DealFilter {
            org_id,
            status,
            limit: 1000,
            ..DealFilter::default()
        },
    )
    .await?;
    Ok(rows.into_iter().map(DealView::new).collect())
}

/// The register of technology contracts (the registrar), one year's or all, of one source or both.
pub async fn contracts(
    state: &App,
    ctx: &Ctx<'_>,
    year: Option<i64>,
    source: Option<ContractSource>,
) -> Result<Vec<ContractView>, AppError> {
    ctx.require(Action::RegisterContracts)?;
    let lookups = Lookups::cached(state).await?;
    Ok(store::contracts(
        &state.db,
        &ContractFilter {
            year,
            source,
            org_id: None,
            limit: 10_000,
        },
    )
    .await?
    .into_iter()
    .map(|k| ContractView::new(k, &lookups, &state.settings.city_code))
    .collect())
}

// ---------------------------------------------------------------------------------------------
// Negotiating

/// Declares intent on another organisation's published listing: opens a deal with its owner,
/// with a first message.
pub async fn declare_intent(
    state: &App,
    ctx: &Ctx<'_>,
    input: &IntentInput,
) -> Result<DealDetail, AppError> {
    let listing = fruition_store::market::get(&state.db, input.listing_id)
        .await?
        .filter(|l| l.status.is_public() || l.org_id == ctx.principal.user.org_id)
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::DeclareIntent {
        owner_org_id: listing.org_id,
    })?;
    if !listing.status.is_public() {
        return Err(AppError::NotFound);
    }
    let me = ctx.principal.user.org_id;
    let Some((seller, buyer)) = deal::parties(listing.kind, listing.org_id, me) else {
        return Err(invalid(
            "listing_id",
            &format!(
                "“{}”类发布信息不洽谈技术合同",
                listing.kind.label(Lang::ZhCn)
            ),
            &format!(
                "A listing of the kind “{}” leads to no technology contract",
                listing.kind.label(Lang::En)
            ),
        ));
    };
    let mut p = Problems::default();
    let message = p.check(deal::message("message", &input.message));
    p.into_result()?;
    if let Some(open) = store::open_for(&state.db, listing.id, me).await? {
        return Err(already_open(open));
    }
    let mut tx = state.db.begin().await?;
    let (d, _) = store::open(
        &mut tx,
        &ctx.audit(),
        &NewDeal {
            listing_id: listing.id,
            owner_org_id: listing.org_id,
            initiator_org_id: me,
            seller_org_id: seller,
            buyer_org_id: buyer,
        },
        &message.unwrap_or_default(),
    )
    .await
    .map_err(|e| match e {
        fruition_store::StoreError::Conflict { .. } => already_open(0),
        e => e.into(),
    })?;
    tx.commit().await?;
    tell_parties(state, &d, me, "intent", "对方表达了合作意向").await;
    detail(state, ctx, d).await
}

fn already_open(id: i64) -> AppError {
    let (zh, en) = if id > 0 {
        (
            format!("你方已就该发布信息在洽谈中（洽谈 #{id}），请在那里继续"),
            format!(
                "Your organisation already has an open deal on this listing (#{id}); continue there"
            ),
        )
    } else {
        (
            "你方已就该发布信息在洽谈中，请在“我的洽谈”中继续".to_string(),
            "Your organisation already has an open deal on this listing; continue under “My deals”"
                .to_string(),
        )
    };
    AppError::Conflict {
        field: "listing_id".into(),
        zh,
        en,
    }
}

/// Writes a message to the other party (the parties' users who can write; not once the deal is closed).
pub async fn post_message(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &MessageInput,
) -> Result<MessageView, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnDeal {
        party_org_ids: d.parties(),
    })?;
    if !d.status.takes_messages() {
        return Err(conflict(
            "status",
            &format!("“{}”的洽谈不能再留言", d.status.label(Lang::ZhCn)),
            "A closed deal takes no more messages",
        ));
    }
    let mut p = Problems::default();
    let body = p.check(deal::message("message", &input.message));
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let m = store::add_message(
        &mut tx,
        &ctx.audit(),
        d.id,
        ctx.principal.user.org_id,
        &body.unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    tell_parties(
        state,
        &d,
        ctx.principal.user.org_id,
        &format!("message:{}", m.id),
        "对方发来新留言",
    )
    .await;
    Ok(MessageView::new(m))
}

/// Checks terms as typed (every problem at once, each naming its field).
pub fn check_terms(input: &TermsInput) -> Result<Terms, AppError> {
    Terms::parse(&DomainTerms {
        contract_type: &input.contract_type,
        contract_amount_k: input.contract_amount_k,
        tech_amount_k: input.tech_amount_k,
        starts_on: &input.starts_on,
        ends_on: &input.ends_on,
    })
    .map_err(|errors| AppError::Invalid(errors.into_iter().map(Problem::from).collect()))
}

/// Proposes terms; they replace an unaccepted proposal (and reopen agreed ones before registration).
pub async fn propose(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &TermsInput,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnDeal {
        party_org_ids: d.parties(),
    })?;
    if d.status
        .after_on(d.listing_kind, DealStep::Propose)
        .is_none()
    {
        return Err(not_now(&d, DealStep::Propose));
    }
    let terms = check_terms(input)?;
    let mut tx = state.db.begin().await?;
    let (d, t) = store::propose(
        &mut tx,
        &ctx.audit(),
        d.id,
        ctx.principal.user.org_id,
        &terms,
    )
    .await?;
    tx.commit().await?;
    tell_parties(
        state,
        &d,
        ctx.principal.user.org_id,
        &format!("terms:{}", t.id),
        "对方提出了合同条款，请确认",
    )
    .await;
    detail(state, ctx, d).await
}

/// Accepts the other party's latest proposal, naming it: terms that were replaced meanwhile, or
/// that the caller's own organisation proposed, cannot be accepted.
pub async fn accept(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    terms_id: i64,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnDeal {
        party_org_ids: d.parties(),
    })?;
    if d.status
        .after_on(d.listing_kind, DealStep::Accept)
        .is_none()
    {
        return Err(not_now(&d, DealStep::Accept));
    }
    let terms = store::terms(&state.db, terms_id)
        .await?
        .filter(|t| t.deal_id == d.id)
        .ok_or_else(|| {
            invalid(
                "terms_id",
                "该洽谈没有这项条款提议",
                "This deal has no such proposal",
            )
        })?;
    if d.terms_id != Some(terms.id) {
        return Err(stale_terms());
    }
    if terms.org_id == ctx.principal.user.org_id {
        return Err(conflict(
            "terms_id",
            "你方提出的条款需由对方接受",
            "Terms your organisation proposed are for the other party to accept",
        ));
    }
    let mut tx = state.db.begin().await?;
    let d = store::accept(&mut tx, &ctx.audit(), d.id, terms.id)
        .await
        .map_err(|e| match e {
            fruition_store::StoreError::Conflict { .. } => stale_terms(),
            e => e.into(),
        })?;
    tx.commit().await?;
    tell_parties(
        state,
        &d,
        ctx.principal.user.org_id,
        &format!("accepted:{}", terms.id),
        "对方已接受条款，待科技局登记",
    )
    .await;
    detail(state, ctx, d).await
}

/// Withdraws from a deal before its contract is registered (either party), with an optional reason.
pub async fn withdraw(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ReasonInput,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnDeal {
        party_org_ids: d.parties(),
    })?;
    let Some(to) = d.status.after_on(d.listing_kind, DealStep::Withdraw) else {
        return Err(not_now(&d, DealStep::Withdraw));
    };
    let mut p = Problems::default();
    let why = reason(&mut p, "reason", input.reason.as_deref(), false);
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let d = store::set_status(
        &mut tx,
        &ctx.audit(),
        d.id,
        d.status,
        to,
        why.as_deref(),
        false,
    )
    .await?;
    tx.commit().await?;
    detail(state, ctx, d).await
}

// ---------------------------------------------------------------------------------------------
// Registration and outcome

/// A date the registrar or a party gives: required or defaulting to today, never in the future,
/// not before `not_before`.
fn past_date(
    p: &mut Problems,
    field: &'static str,
    input: Option<&str>,
    not_before: Option<&str>,
) -> Option<IsoDate> {
    let today = today();
    let raw = input.map(str::trim).filter(|s| !s.is_empty());
    let date = match raw {
        Some(s) => p.check(IsoDate::parse_field(s, field))?,
        None => p.check(IsoDate::parse_field(&today, field))?,
    };
    let text = date.to_string();
    if text > today {
        p.push(
            field,
            "日期不能晚于今天",
            "The date cannot be in the future",
        );
        return None;
    }
    if let Some(min) = not_before
        && text.as_str() < min
    {
        p.push(
            field,
            &format!("日期不能早于合同登记日期（{min}）"),
            &format!("The date cannot be before the contract's registration ({min})"),
        );
        return None;
    }
    Some(date)
}

/// Registers an agreed deal as a technology contract with the next registration number of the
/// year (the registrar).
pub async fn register(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &RegisterInput,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::RegisterContracts)?;
    if d.status
        .after_on(d.listing_kind, DealStep::Register)
        .is_none()
    {
        return Err(not_now(&d, DealStep::Register));
    }
    if input.terms_id.is_some() && input.terms_id != d.terms_id {
        return Err(stale_terms());
    }
    let mut p = Problems::default();
    let on = past_date(
        &mut p,
        "registered_on",
        input.registered_on.as_deref(),
        None,
    );
    p.into_result()?;
    let Some(on) = on else {
        return Err(AppError::Invalid(Vec::new()));
    };
    let mut tx = state.db.begin().await?;
    let (d, c) = store::register(
        &mut tx,
        &ctx.audit(),
        d.id,
        &Registration {
            city_code: state.settings.city_code.clone(),
            registered_on: on.to_string(),
            year: i64::from(on.year()),
            terms_id: input.terms_id,
        },
    )
    .await
    .map_err(|e| match e {
        fruition_store::StoreError::Conflict { field } if field == "terms_id" => stale_terms(),
        e => e.into(),
    })?;
    tx.commit().await?;
    tell_parties(
        state,
        &d,
        ctx.principal.user.org_id,
        "registered",
        &format!("技术合同已登记，登记号 {}", c.registration_no),
    )
    .await;
    detail(state, ctx, d).await
}

/// Refuses to register an agreed deal, with a reason: it returns to negotiation, and terms must be
/// proposed and accepted again (the registrar).
pub async fn refuse(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ReasonInput,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::RegisterContracts)?;
    let Some(to) = d
        .status
        .after_on(d.listing_kind, DealStep::RefuseRegistration)
    else {
        return Err(not_now(&d, DealStep::RefuseRegistration));
    };
    let mut p = Problems::default();
    let why = reason(&mut p, "reason", input.reason.as_deref(), true);
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let d = store::set_status(
        &mut tx,
        &ctx.audit(),
        d.id,
        d.status,
        to,
        why.as_deref(),
        true,
    )
    .await?;
    tx.commit().await?;
    detail(state, ctx, d).await
}

/// Records a registered contract as fulfilled or terminated (either party, or the registrar),
/// on a day not before its registration; a termination needs a reason.
pub async fn record_outcome(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &OutcomeInput,
) -> Result<DealDetail, AppError> {
    let d = visible(state, ctx, id).await?;
    ctx.require(Action::RecordContractOutcome {
        party_org_ids: d.parties(),
    })?;
    let Some(outcome) = ContractOutcome::parse(input.outcome.trim()) else {
        return Err(invalid(
            "outcome",
            "请选择合同履行完毕（fulfilled）或终止（terminated）",
            "The outcome must be fulfilled or terminated",
        ));
    };
    if d.status.after_on(d.listing_kind, outcome.step()).is_none() {
        return Err(not_now(&d, outcome.step()));
    }
    let contract = store::contract_of(&state.db, d.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut p = Problems::default();
    let on = if input.on.trim().is_empty() {
        p.push("on", "必填", "is required");
        None
    } else {
        past_date(
            &mut p,
            "on",
            Some(&input.on),
            Some(contract.registered_on.as_str()),
        )
    };
    let why = reason(
        &mut p,
        "reason",
        input.reason.as_deref(),
        outcome == ContractOutcome::Terminated,
    );
    p.into_result()?;
    let on = on.map(|d| d.to_string()).unwrap_or_default();
    let mut tx = state.db.begin().await?;
    let (d, _) =
        store::record_outcome(&mut tx, &ctx.audit(), d.id, outcome, &on, why.as_deref()).await?;
    tx.commit().await?;
    detail(state, ctx, d).await
}

// ---------------------------------------------------------------------------------------------
// Statistics

/// Registered contracts counted and summed: a year, a type, a field, a carrier, a place, a side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContractRow {
    /// The year, the type's code, the technical field's code, the chain's code, the carrier's id, the county's code
    /// (`outside`: outside the city), the side (`seller_inside`, …) or the source (None: none).
    pub code: Option<String>,
    pub name: String,
    pub contracts: i64,
    /// 合同成交额, fen.
    pub contract_amount_fen: i64,
    /// 技术交易额, fen.
    pub tech_amount_fen: i64,
}

impl ContractRow {
    fn add(&mut self, f: &ContractTotal) {
        self.contracts += f.contracts;
        self.contract_amount_fen += f.contract_amount_fen;
        self.tech_amount_fen += f.tech_amount_fen;
    }

    fn named(code: Option<String>, name: impl Into<String>) -> ContractRow {
        ContractRow {
            code,
            name: name.into(),
            ..ContractRow::default()
        }
    }
}

/// Registered technology contracts — reached in the market and concluded anywhere — by year of
/// registration (every year), and for the year asked for (or every year) by type, field,
/// carrier, source, the county of each side and each side inside or outside the city.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ContractStatistics {
    pub year: Option<i64>,
    /// The year's (or every year's) totals.
    pub total: ContractRow,
    pub by_year: Vec<ContractRow>,
    /// By the five contract types, in their order.
    pub by_type: Vec<ContractRow>,
    /// By technical field of the national classification (电子信息, 先进制造, 农业, …), in its
    /// order; contracts without one last (未分类).
    pub by_field: Vec<ContractRow>,
    /// By the city's industrial chain, in the chains' order; contracts without one last.
    pub by_chain: Vec<ContractRow>,
    /// By the carrier incubating the seller (else the buyer) at registration; contracts of
    /// parties not incubated anywhere last.
    pub by_carrier: Vec<ContractRow>,
    /// Reached in the market, or submitted from outside it.
    pub by_source: Vec<ContractRow>,
    /// By the county that registered the seller (技术输出方); `outside` the city; None unknown.
    pub by_seller_place: Vec<ContractRow>,
    /// By the county that registered the buyer (技术吸纳方).
    pub by_buyer_place: Vec<ContractRow>,
    /// seller_inside, seller_outside, buyer_inside, buyer_outside: each side inside or outside
    /// the city (a contract with a side of unknown place counts in neither of that side's rows).
    pub by_side: Vec<ContractRow>,
}

fn upsert(
    rows: &mut Vec<ContractRow>,
    code: Option<String>,
    name: impl FnOnce() -> String,
    t: &ContractTotal,
) {
    match rows.iter_mut().find(|x| x.code == code) {
        Some(x) => x.add(t),
        None => {
            let mut x = ContractRow::named(code, name());
            x.add(t);
            rows.push(x);
        }
    }
}

/// Every signed-in user may read these aggregates (they name carriers and counties, not
/// enterprises). They read the register's running totals, a few rows per year.
pub async fn statistics(state: &App, year: Option<i64>) -> Result<ContractStatistics, AppError> {
    let (rows, lookups, carriers) = tokio::try_join!(
        async { Ok::<_, AppError>(store::contract_totals(&state.db).await?) },
        async { Ok(Lookups::cached(state).await?) },
        async { Ok(store::carrier_names(&state.db).await?) },
    )?;
    let city_code = state.settings.city_code.as_str();
    let mut out = ContractStatistics {
        year,
        total: ContractRow::named(None, "合计"),
        ..ContractStatistics::default()
    };
    for t in rows.iter().filter(|r| r.dimension == "all") {
        let y = t.year.to_string();
        upsert(&mut out.by_year, Some(y.clone()), || format!("{y}年"), t);
    }
    out.by_year.sort_by(|a, b| a.code.cmp(&b.code));
    let opt = |code: &str| (!code.is_empty()).then(|| code.to_string());
    for t in rows.iter().filter(|r| year.is_none_or(|y| r.year == y)) {
        match t.dimension.as_str() {
            "all" => out.total.add(t),
            "type" => upsert(
                &mut out.by_type,
                opt(&t.code),
                || {
                    ContractType::parse(&t.code)
                        .map(|k| k.label(Lang::ZhCn).to_string())
                        .unwrap_or_else(|| t.code.clone())
                },
                t,
            ),
            "field" => upsert(
                &mut out.by_field,
                opt(&t.code),
                || crate::listing::field_name(Some(&t.code)).unwrap_or_else(|| "未分类".into()),
                t,
            ),
            "chain" => upsert(
                &mut out.by_chain,
                opt(&t.code),
                || {
                    lookups
                        .chain(Some(&t.code))
                        .map(|c| c.name_zh.clone())
                        .unwrap_or_else(|| "不属于产业链".into())
                },
                t,
            ),
            "carrier" => upsert(
                &mut out.by_carrier,
                opt(&t.code),
                || {
                    t.code
                        .parse::<i64>()
                        .ok()
                        .and_then(|id| carriers.iter().find(|c| c.0 == id))
                        .map(|c| c.1.clone())
                        .unwrap_or_else(|| "未在孵化载体".into())
                },
                t,
            ),
            "source" => upsert(
                &mut out.by_source,
                opt(&t.code),
                || {
                    ContractSource::parse(&t.code)
                        .map(|k| k.label(Lang::ZhCn).to_string())
                        .unwrap_or_else(|| t.code.clone())
                },
                t,
            ),
            side @ ("seller_place" | "buyer_place") => {
                let inside = in_city(&t.code, city_code);
                let (code, name) = if t.code.is_empty() {
                    (None, "未知".to_string())
                } else if inside {
                    (Some(t.code.clone()), {
                        let n = super::reference::county_name(&t.code);
                        if n.is_empty() {
                            t.code.clone()
                        } else {
                            n.to_string()
                        }
                    })
                } else {
                    (Some("outside".to_string()), "市外".to_string())
                };
                let (rows, prefix, who) = if side == "seller_place" {
                    (&mut out.by_seller_place, "seller", "卖方")
                } else {
                    (&mut out.by_buyer_place, "buyer", "买方")
                };
                upsert(rows, code, || name, t);
                if !t.code.is_empty() {
                    let (key, words) = if inside {
                        (format!("{prefix}_inside"), format!("{who}在市内"))
                    } else {
                        (format!("{prefix}_outside"), format!("{who}在市外"))
                    };
                    upsert(&mut out.by_side, Some(key), || words, t);
                }
            }
            _ => {}
        }
    }
    out.by_type.sort_by_key(|x| {
        ContractType::ALL
            .iter()
            .position(|t| Some(t.code()) == x.code.as_deref())
            .unwrap_or(usize::MAX)
    });
    let order = |code: &Option<String>| {
        lookups
            .chains
            .iter()
            .position(|c| Some(&c.code) == code.as_ref())
            .unwrap_or(usize::MAX)
    };
    out.by_chain.sort_by_key(|x| order(&x.code));
    out.by_field.sort_by_key(|x| {
        TechField::ALL
            .iter()
            .position(|f| Some(f.code()) == x.code.as_deref())
            .unwrap_or(usize::MAX)
    });
    out.by_carrier.sort_by(|a, b| {
        a.code
            .is_none()
            .cmp(&b.code.is_none())
            .then(b.tech_amount_fen.cmp(&a.tech_amount_fen))
            .then(a.name.cmp(&b.name))
    });
    for rows in [&mut out.by_seller_place, &mut out.by_buyer_place] {
        rows.sort_by_key(|x| match x.code.as_deref() {
            None => (2, String::new()),
            Some("outside") => (1, String::new()),
            Some(c) => (0, c.to_string()),
        });
    }
    out.by_side.sort_by_key(|x| {
        [
            "seller_inside",
            "seller_outside",
            "buyer_inside",
            "buyer_outside",
        ]
        .iter()
        .position(|k| Some(*k) == x.code.as_deref())
    });
    Ok(out)
}

/// A year's registered contracts, for the annual report (amounts in thousand yuan, rounded down).
pub async fn tally(state: &App, year: i64) -> Result<ContractTally, AppError> {
    let rows = store::contract_totals(&state.db).await?;
    Ok(rows
        .iter()
        .filter(|r| r.year == year && r.dimension == "all")
        .fold(ContractTally::default(), |mut t, r| {
            t.contracts += r.contracts;
            t.contract_amount_k += r.contract_amount_fen / 100_000;
            t.tech_amount_k += r.tech_amount_fen / 100_000;
            t
        }))
}

/// Tells the users of the deal's other party (every party but `from_org`; both when the bureau
/// acts) in their inbox what just happened, once per event.
async fn tell_parties(state: &App, d: &store::Deal, from_org: i64, event: &str, what_zh: &str) {
    let others: Vec<i64> = d.parties().into_iter().filter(|&o| o != from_org).collect();
    let notice = crate::inbox::Notice {
        kind: crate::inbox::InboxKind::Deal,
        title: format!("洽谈“{}”：{what_zh}", d.listing_title),
        body: format!("{}（卖方）与{}（买方）", d.seller_name, d.buyer_name),
        link: Some(format!("/market/deals/{}", d.id)),
        ref_key: format!("deal:{}:{event}", d.id),
    };
    crate::inbox::tell(state, &others, notice).await;
}
