//! The pool as the bureau keeps it: the city's credit policy, the funders and their ratios,
//! contributions, every account's balance as of any day, the ledger entry by entry, and the
//! proof that the books balance.

use fruition_domain::authz::Action;
use fruition_domain::credit::PoolRules;
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::loan::TermLimits;
use fruition_domain::money;
use fruition_domain::pool::{AccountKind, CreditPolicy, FunderLevel, TransferKind};
use fruition_store::credit::ledger::{self, EntryLine, Proof};
use fruition_store::credit::policy::{self as store, Funder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{fen, invalid, problem, refused};
use crate::clock::today_date;
use crate::error::AppError;
use crate::{App, Ctx};

/// The city's credit policy, as it is read and written.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyView {
    /// Share of a credit loan's principal loss the pool pays, percent.
    pub credit_pct: i64,
    /// Share of a guaranteed loan's principal loss the pool pays, percent.
    pub guaranteed_pct: i64,
    pub per_loan_cap_fen: i64,
    pub bank_year_cap_fen: i64,
    /// Non-performing ratio that warns, and that stops new registrations, basis points.
    pub warning_bp: i64,
    pub breaker_bp: i64,
    /// The loan prime rate and the most a rate may pass it, basis points.
    pub lpr_bp: i64,
    pub max_spread_bp: i64,
    pub max_term_months: i64,
    /// Knowledge-value loans the city means to see issued, fen.
    pub target_fen: i64,
}

impl From<CreditPolicy> for PolicyView {
    fn from(p: CreditPolicy) -> Self {
        PolicyView {
            credit_pct: p.pool.credit_pct,
            guaranteed_pct: p.pool.guaranteed_pct,
            per_loan_cap_fen: p.pool.per_loan_cap_fen,
            bank_year_cap_fen: p.pool.bank_year_cap_fen,
            warning_bp: p.pool.warning_bp,
            breaker_bp: p.pool.breaker_bp,
            lpr_bp: p.terms.lpr_bp,
            max_spread_bp: p.terms.max_spread_bp,
            max_term_months: p.terms.max_term_months,
            target_fen: p.target_fen,
        }
    }
}

impl From<&PolicyView> for CreditPolicy {
    fn from(v: &PolicyView) -> Self {
        CreditPolicy {
            pool: PoolRules {
                credit_pct: v.credit_pct,
                guaranteed_pct: v.guaranteed_pct,
                per_loan_cap_fen: v.per_loan_cap_fen,
                bank_year_cap_fen: v.bank_year_cap_fen,
                warning_bp: v.warning_bp,
                breaker_bp: v.breaker_bp,
            },
            terms: TermLimits {
                lpr_bp: v.lpr_bp,
                max_spread_bp: v.max_spread_bp,
                max_term_months: v.max_term_months,
            },
            target_fen: v.target_fen,
        }
    }
}

pub async fn policy(state: &App, ctx: &Ctx<'_>) -> Result<PolicyView, AppError> {
    // Every signed-in user may read the rules they borrow and lend under.
    let _ = ctx;
    Ok(store::current(&state.db).await?.into())
}

pub async fn set_policy(
    state: &App,
    ctx: &Ctx<'_>,
    input: &PolicyView,
) -> Result<PolicyView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let p = CreditPolicy::from(input);
    p.check().map_err(invalid)?;
    store::save(&state.db, &ctx.audit(), &p, "").await?;
    Ok(p.into())
}

/// A funder and its money.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunderView {
    pub id: i64,
    pub name: String,
    pub level: FunderLevel,
    pub level_label: String,
    pub ratio: i64,
    pub active: bool,
    /// What it has put in, and its money in the pool now (or on the day asked), fen.
    pub contributed_fen: i64,
    pub pool_balance_fen: i64,
    pub contributed: String,
    pub pool_balance: String,
    pub funder_account_id: i64,
    pub pool_account_id: i64,
}

impl FunderView {
    fn new(f: Funder) -> FunderView {
        FunderView {
            level_label: f.level.label(Lang::ZhCn).into(),
            contributed: money::yuan(f.contributed_fen),
            pool_balance: money::yuan(f.pool_balance_fen),
            id: f.id,
            name: f.name,
            level: f.level,
            ratio: f.ratio,
            active: f.active,
            contributed_fen: f.contributed_fen,
            pool_balance_fen: f.pool_balance_fen,
            funder_account_id: f.funder_account_id,
            pool_account_id: f.pool_account_id,
        }
    }
}

/// The pool on a day: each funder's contributions and money in the pool, the total, and what
/// has been paid out to banks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PoolView {
    pub as_of: String,
    pub funders: Vec<FunderView>,
    pub balance_fen: i64,
    pub balance: String,
    pub contributed_fen: i64,
    pub compensated_fen: i64,
    pub compensated: String,
}

/// Which day's balances (YYYY-MM-DD, default today).
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOfQuery {
    #[serde(default)]
    pub as_of: Option<String>,
}

fn as_of(input: Option<&str>) -> Result<IsoDate, AppError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => IsoDate::parse_field(s, "as_of").map_err(|e| invalid(vec![e])),
        None => Ok(today_date()),
    }
}

pub async fn pool(state: &App, ctx: &Ctx<'_>, q: &AsOfQuery) -> Result<PoolView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let day = as_of(q.as_of.as_deref())?;
    let mut funders = Vec::new();
    for mut f in store::funders(&state.db).await? {
        f.contributed_fen = -ledger::balance_as_of(&state.db, f.funder_account_id, day).await?;
        f.pool_balance_fen = ledger::balance_as_of(&state.db, f.pool_account_id, day).await?;
        funders.push(FunderView::new(f));
    }
    let banks = ledger::balances_as_of(&state.db, AccountKind::Bank, day).await?;
    let balance: i64 = funders.iter().map(|f| f.pool_balance_fen).sum();
    let contributed: i64 = funders.iter().map(|f| f.contributed_fen).sum();
    let compensated: i64 = banks.iter().map(|(_, b)| b).sum();
    Ok(PoolView {
        as_of: day.to_string(),
        funders,
        balance: money::yuan(balance),
        balance_fen: balance,
        contributed_fen: contributed,
        compensated: money::yuan(compensated),
        compensated_fen: compensated,
    })
}

/// A new funder.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunderInput {
    pub name: String,
    #[schema(value_type = FunderLevel)]
    pub level: String,
    /// Its part of each payment relative to the others' (e.g. 4 and 6).
    pub ratio: i64,
}

fn check_ratio(ratio: i64) -> Result<i64, AppError> {
    if !(1..=1000).contains(&ratio) {
        return Err(problem(
            "ratio",
            "出资比例应为 1 到 1000 的整数",
            "The ratio is a whole number from 1 to 1,000",
        ));
    }
    Ok(ratio)
}

pub async fn add_funder(
    state: &App,
    ctx: &Ctx<'_>,
    input: &FunderInput,
) -> Result<FunderView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let name = input.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        return Err(problem(
            "name",
            "出资方名称应为 2 到 100 字",
            "The funder's name is 2 to 100 characters",
        ));
    }
    let level = FunderLevel::parse(input.level.trim())
        .ok_or_else(|| problem("level", "请选择财政层级", "Choose the level"))?;
    let ratio = check_ratio(input.ratio)?;
    let f = store::add_funder(&state.db, &ctx.audit(), name, level, ratio)
        .await
        .map_err(refused)?;
    Ok(FunderView::new(f))
}

/// A funder's new ratio, or its leaving new payments.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunderUpdate {
    pub ratio: i64,
    pub active: bool,
}

pub async fn update_funder(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &FunderUpdate,
) -> Result<FunderView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let ratio = check_ratio(input.ratio)?;
    store::funder(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = store::update_funder(&state.db, &ctx.audit(), id, ratio, input.active).await?;
    Ok(FunderView::new(f))
}

/// A contribution paid into the pool today.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionInput {
    pub funder_id: i64,
    pub amount_fen: i64,
    #[serde(default)]
    pub memo: String,
}

pub async fn contribute(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ContributionInput,
) -> Result<FunderView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let amount = fen("amount_fen", input.amount_fen)?;
    let f = store::funder(&state.db, input.funder_id)
        .await?
        .ok_or_else(|| problem("funder_id", "没有这个出资方", "No such funder"))?;
    let memo = match input.memo.trim() {
        "" => format!("{}出资", f.name),
        m => m.chars().take(200).collect(),
    };
    store::contribute(&state.db, &ctx.audit(), f.id, amount, today_date(), &memo)
        .await
        .map_err(refused)?;
    let f = store::funder(&state.db, f.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(FunderView::new(f))
}

/// One ledger entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerEntryView {
    pub id: i64,
    pub transfer_id: i64,
    pub transfer_kind: TransferKind,
    pub transfer_kind_label: String,
    pub memo: String,
    pub claim_id: Option<i64>,
    /// The claim's number (BC…).
    pub claim_number: Option<String>,
    pub account_id: i64,
    pub account_name: String,
    pub account_kind: AccountKind,
    /// Signed fen: + into the account, − out of it.
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub amount: String,
    pub balance_after: String,
    pub value_date: String,
}

impl LedgerEntryView {
    fn new(e: EntryLine) -> LedgerEntryView {
        LedgerEntryView {
            transfer_kind_label: e.transfer_kind.label(Lang::ZhCn).into(),
            amount: money::yuan(e.amount_fen),
            balance_after: money::yuan(e.balance_after_fen),
            id: e.id,
            transfer_id: e.transfer_id,
            transfer_kind: e.transfer_kind,
            memo: e.memo,
            claim_id: e.claim_id,
            claim_number: e.claim_id.zip(e.claim_at).map(|(id, at)| {
                fruition_domain::numbers::Numbered::CompensationClaim.number_at(at, id)
            }),
            account_id: e.account_id,
            account_name: e.account_name,
            account_kind: e.account_kind,
            amount_fen: e.amount_fen,
            balance_after_fen: e.balance_after_fen,
            value_date: e.value_date,
        }
    }
}

/// Which entries.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    #[serde(default)]
    pub account_id: Option<i64>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

pub async fn entries(
    state: &App,
    ctx: &Ctx<'_>,
    q: &LedgerQuery,
) -> Result<Vec<LedgerEntryView>, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let day = |field: &'static str, s: Option<&str>| -> Result<Option<IsoDate>, AppError> {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| IsoDate::parse_field(s, field).map_err(|e| invalid(vec![e])))
            .transpose()
    };
    let (limit, offset) = super::page(q.limit, q.offset, 500, 10_000)?;
    let from = day("from", q.from.as_deref())?;
    let to = day("to", q.to.as_deref())?;
    Ok(
        ledger::entries(&state.db, q.account_id, from, to, limit, offset)
            .await?
            .into_iter()
            .map(LedgerEntryView::new)
            .collect(),
    )
}

/// A ledger account, for choosing one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub kind: AccountKind,
    pub balance_fen: i64,
}

/// Every account of the pool's ledger (funders' contributions, their money in the pool, banks'
/// compensation), in the order they were opened.
pub async fn accounts(state: &App, ctx: &Ctx<'_>) -> Result<Vec<AccountView>, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    Ok(ledger::accounts(&state.db)
        .await?
        .into_iter()
        .map(|a| AccountView {
            id: a.id,
            name: a.name,
            kind: a.kind,
            balance_fen: a.balance_fen,
        })
        .collect())
}

/// The proof that the books balance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProofView {
    pub entries: i64,
    pub transfers: i64,
    /// The sum of every entry: zero when the books balance.
    pub sum_fen: i64,
    pub unbalanced_transfers: i64,
    pub mismatched_accounts: Vec<i64>,
    pub holds: bool,
    pub elapsed_ms: u64,
}

pub async fn proof(state: &App, ctx: &Ctx<'_>) -> Result<ProofView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let started = std::time::Instant::now();
    let p: Proof = ledger::proof(&state.db).await?;
    Ok(ProofView {
        holds: p.holds(),
        entries: p.entries,
        transfers: p.transfers,
        sum_fen: p.sum_fen,
        unbalanced_transfers: p.unbalanced_transfers,
        mismatched_accounts: p.mismatched_accounts,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}
