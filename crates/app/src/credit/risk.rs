//! Each bank's non-performing ratio and its circuit breaker, as the bureau and the bank see them;
//! the inbox notice when a bank passes the warning or the breaker line; the bureau lifting a
//! breaker with its reason.

use fruition_domain::authz::Action;
use fruition_domain::credit::{PoolRules, RiskLevel};
use fruition_domain::lang::Lang;
use fruition_domain::loan::LoanStep;
use fruition_domain::money;
use fruition_domain::org::OrgKind;
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::credit::policy;
use fruition_store::credit::risk::{self as store, BankRisk, Recomputed};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{problem, refused};
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::inbox::{Notice, tell};
use crate::{App, Ctx};

/// Whether a loan step moves the bank's book (outstanding or non-performing principal).
pub fn moves_book(step: LoanStep) -> bool {
    matches!(
        step,
        LoanStep::Disburse
            | LoanStep::MarkOverdue
            | LoanStep::Cure
            | LoanStep::Default
            | LoanStep::Repay
    )
}

pub(crate) async fn recompute_in(
    tx: &mut Tx,
    audit: &AuditCtx,
    bank_org_id: i64,
    rules: &PoolRules,
) -> Result<Recomputed, AppError> {
    Ok(store::recompute(tx, audit, bank_org_id, rules).await?)
}

/// Tells the bureau and the bank when the bank's ratio has risen to the warning or breaker line.
pub(crate) async fn tell_if_rose(state: &App, c: &Recomputed) {
    if !c.rose {
        return;
    }
    let a = &c.after;
    let ratio = super::rate_label(a.npl_bp);
    let (title, body) = if c.tripped {
        (
            format!("{}不良率 {ratio}，已触发风险补偿熔断", a.bank_name),
            "熔断期间暂停该行新的贷款备案，由科技局核查后解除。".to_string(),
        )
    } else {
        (
            format!("{}不良率 {ratio}，超过预警线", a.bank_name),
            "请银行加强贷后管理，科技局关注风险变化。".to_string(),
        )
    };
    let mut orgs = crate::inbox::bureau_orgs(state).await;
    orgs.push(a.bank_org_id);
    tell(
        state,
        &orgs,
        Notice {
            kind: crate::inbox::InboxKind::CreditRisk,
            title,
            body,
            link: Some("/credit/risk".into()),
            ref_key: format!(
                "credit_risk:{}:{}:{}",
                a.bank_org_id,
                a.level.code(),
                a.updated_at
            ),
        },
    )
    .await;
}

/// A bank's standing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BankRiskView {
    pub bank_org_id: i64,
    pub bank_name: String,
    pub outstanding_fen: i64,
    pub nonperforming_fen: i64,
    pub outstanding: String,
    pub nonperforming: String,
    /// Non-performing ratio in basis points, and as a person reads it (`5.20%`).
    pub npl_bp: i64,
    pub npl: String,
    pub level: RiskLevel,
    pub level_label: String,
    pub breaker_on: bool,
    pub tripped_at: Option<String>,
    pub lifted_at: Option<String>,
    pub lift_reason: Option<String>,
    pub updated_at: String,
}

impl BankRiskView {
    pub fn new(r: BankRisk) -> BankRiskView {
        BankRiskView {
            outstanding: money::yuan(r.outstanding_fen),
            nonperforming: money::yuan(r.nonperforming_fen),
            npl: super::rate_label(r.npl_bp),
            level_label: r.level.label(Lang::ZhCn).into(),
            tripped_at: r.tripped_at.map(rfc3339),
            lifted_at: r.lifted_at.map(rfc3339),
            updated_at: rfc3339(r.updated_at),
            bank_org_id: r.bank_org_id,
            bank_name: r.bank_name,
            outstanding_fen: r.outstanding_fen,
            nonperforming_fen: r.nonperforming_fen,
            npl_bp: r.npl_bp,
            level: r.level,
            breaker_on: r.breaker_on,
            lift_reason: r.lift_reason,
        }
    }
}

/// Every bank's standing and the city's overall ratio (a bank sees only its own line).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskOverview {
    pub outstanding_fen: i64,
    pub nonperforming_fen: i64,
    pub npl_bp: i64,
    pub npl: String,
    pub warning_bp: i64,
    pub breaker_bp: i64,
    pub banks: Vec<BankRiskView>,
}

pub async fn overview(state: &App, ctx: &Ctx<'_>) -> Result<RiskOverview, AppError> {
    let me = ctx.principal.user.org_id;
    let bureau = ctx.require(Action::ManageCreditPool).is_ok();
    if !bureau {
        ctx.require(Action::ViewBankCredit { bank_org_id: me })?;
        if ctx.principal.actor().org_kind != OrgKind::Bank {
            return Err(AppError::Forbidden("forbidden"));
        }
    }
    let rules = policy::current(&state.db).await?.pool;
    let (outstanding, nonperforming) = store::book(&state.db, (!bureau).then_some(me)).await?;
    let banks = store::list(&state.db)
        .await?
        .into_iter()
        .filter(|b| bureau || b.bank_org_id == me)
        .map(BankRiskView::new)
        .collect();
    let bp = fruition_domain::credit::npl_bp(nonperforming, outstanding);
    Ok(RiskOverview {
        outstanding_fen: outstanding,
        nonperforming_fen: nonperforming,
        npl_bp: bp,
        npl: super::rate_label(bp),
        warning_bp: rules.warning_bp,
        breaker_bp: rules.breaker_bp,
        banks,
    })
}

/// Why the bureau lifts a bank's breaker.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftInput {
    pub reason: String,
}

pub async fn lift(
    state: &App,
    ctx: &Ctx<'_>,
    bank_org_id: i64,
    input: &LiftInput,
) -> Result<BankRiskView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let reason = input.reason.trim();
    if reason.chars().count() < 4 || reason.chars().count() > 500 {
        return Err(problem(
            "reason",
            "请用 4 到 500 字说明解除熔断的理由",
            "Say in 4 to 500 characters why the breaker is lifted",
        ));
    }
    store::get(&state.db, bank_org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let after = store::lift(&state.db, &ctx.audit(), bank_org_id, reason)
        .await
        .map_err(|e| match e {
            fruition_store::StoreError::Conflict { .. } => AppError::Conflict {
                field: "status".into(),
                zh: "该银行未处于熔断状态".into(),
                en: "The bank's breaker is not on".into(),
            },
            e => refused(e),
        })?;
    tell(
        state,
        &[bank_org_id],
        Notice {
            kind: crate::inbox::InboxKind::CreditRisk,
            title: format!("{}的风险补偿熔断已解除", after.bank_name),
            body: reason.to_string(),
            link: Some("/credit/risk".into()),
            ref_key: format!("credit_risk:{bank_org_id}:lifted:{}", after.updated_at),
        },
    )
    .await;
    Ok(BankRiskView::new(after))
}
