//! Compensation claims: the bank claims on a registered loan it declared defaulted; the bureau
//! approves or rejects and pays from the pool (split across the funders by their ratios, within
//! the per-loan and the bank's yearly caps and the pool's balance); the bank records what it
//! recovers afterwards and the pool's part flows back to the funders.

use fruition_domain::authz::Action;
use fruition_domain::lang::Lang;
use fruition_domain::loan::LoanStatus;
use fruition_domain::money;
use fruition_domain::pool::{CompensationStatus, CompensationStep};
use fruition_store::credit::claims::{self as store, Claim};
use fruition_store::credit::policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{day_of, fen, problem, refused, risk};
use crate::clock::{rfc3339, today_date};
use crate::error::AppError;
use crate::inbox::{Notice, tell};
use crate::{App, Ctx};

/// A claim as the bank and the bureau see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompensationClaimView {
    pub id: i64,
    pub loan_id: i64,
    pub enterprise_name: String,
    pub bank_org_id: i64,
    pub bank_name: String,
    pub status: CompensationStatus,
    pub status_label: String,
    /// The principal lost, and what the pool pays on it, fen.
    pub loss_fen: i64,
    pub amount_fen: i64,
    pub loss: String,
    pub amount: String,
    pub note: String,
    pub status_reason: Option<String>,
    pub year: i64,
    pub transfer_id: Option<i64>,
    pub paid_on: Option<String>,
    pub recovered_fen: i64,
    pub returned_fen: i64,
    pub submitted_at: String,
    pub updated_at: String,
    /// The steps the caller may take now (the bureau).
    pub steps: Vec<CompensationStep>,
}

impl CompensationClaimView {
    fn new(c: Claim, bureau: bool) -> CompensationClaimView {
        let steps = if bureau {
            CompensationStep::ALL
                .iter()
                .copied()
                .filter(|s| c.status.after(*s).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        CompensationClaimView {
            status_label: c.status.label(Lang::ZhCn).into(),
            loss: money::yuan(c.loss_fen),
            amount: money::yuan(c.amount_fen),
            submitted_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            id: c.id,
            loan_id: c.loan_id,
            enterprise_name: c.enterprise_name,
            bank_org_id: c.bank_org_id,
            bank_name: c.bank_name,
            status: c.status,
            loss_fen: c.loss_fen,
            amount_fen: c.amount_fen,
            note: c.note,
            status_reason: c.status_reason,
            year: c.year,
            transfer_id: c.transfer_id,
            paid_on: c.paid_on,
            recovered_fen: c.recovered_fen,
            returned_fen: c.returned_fen,
            steps,
        }
    }
}

/// A loan's claims (for the loan's page; the caller may already see the loan).
pub(crate) async fn of_loan(
    state: &App,
    loan_id: i64,
) -> Result<Vec<CompensationClaimView>, AppError> {
    Ok(store::list(&state.db, None, None, Some(loan_id), 100, 0)
        .await?
        .into_iter()
        .map(|c| CompensationClaimView::new(c, false))
        .collect())
}

/// The bank's claim.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompensationClaimInput {
    /// What the bank did to recover before claiming.
    #[serde(default)]
    pub note: String,
}

/// The bank claims compensation on a registered loan it declared defaulted: the principal still
/// owed is the loss; the pool owes its share under the rules in force.
pub async fn submit(
    state: &App,
    ctx: &Ctx<'_>,
    loan_id: i64,
    input: &CompensationClaimInput,
) -> Result<CompensationClaimView, AppError> {
    let l = super::loans::visible(state, ctx, loan_id).await?;
    ctx.require(Action::Lend {
        bank_org_id: l.bank_org_id,
    })?;
    if l.status != LoanStatus::Defaulted || l.registered_on.is_none() {
        return Err(AppError::Conflict {
            field: "loan".into(),
            zh: "只有已备案并认定违约的贷款才能申请风险补偿".into(),
            en: "Only a registered loan declared defaulted can be claimed on".into(),
        });
    }
    let note: String = input.note.trim().chars().take(1000).collect();
    let rules = policy::current(&state.db).await?.pool;
    let loss = l.outstanding_fen();
    let amount = rules.compensation(l.kind, loss);
    if loss <= 0 || amount <= 0 {
        return Err(AppError::Conflict {
            field: "loan".into(),
            zh: "这笔贷款没有可补偿的本金损失".into(),
            en: "The loan has no principal loss to compensate".into(),
        });
    }
    let mut tx = state.db.begin().await?;
    let c = store::submit(
        &mut tx,
        &ctx.audit(),
        loan_id,
        l.bank_org_id,
        loss,
        amount,
        &note,
        i64::from(today_date().year()),
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    tell(
        state,
        &crate::inbox::bureau_orgs(state).await,
        Notice {
            kind: crate::inbox::InboxKind::CreditClaim,
            title: format!("{}申请风险补偿 {}", c.bank_name, money::yuan(c.amount_fen)),
            body: format!(
                "{}，本金损失 {}",
                c.enterprise_name,
                money::yuan(c.loss_fen)
            ),
            link: Some(format!("/credit/claims/{}", c.id)),
            ref_key: format!("credit_claim:{}:submitted", c.id),
        },
    )
    .await;
    Ok(CompensationClaimView::new(c, false))
}

async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Claim, AppError> {
    let c = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewBankCredit {
        bank_org_id: c.bank_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(c)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<CompensationClaimView, AppError> {
    let c = visible(state, ctx, id).await?;
    Ok(CompensationClaimView::new(
        c,
        ctx.require(Action::ManageCreditPool).is_ok(),
    ))
}

/// Claims the caller may see: the bureau all, a bank its own.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    status: Option<&str>,
) -> Result<Vec<CompensationClaimView>, AppError> {
    let status = match status.filter(|s| !s.is_empty()) {
        Some(s) => Some(
            CompensationStatus::parse(s)
                .ok_or_else(|| problem("status", "未知的补偿申请状态", "Unknown claim status"))?,
        ),
        None => None,
    };
    let bureau = ctx.require(Action::ManageCreditPool).is_ok();
    let me = ctx.principal.user.org_id;
    if !bureau {
        ctx.require(Action::ViewBankCredit { bank_org_id: me })?;
    }
    Ok(
        store::list(&state.db, (!bureau).then_some(me), status, None, 1000, 0)
            .await?
            .into_iter()
            .map(|c| CompensationClaimView::new(c, bureau))
            .collect(),
    )
}

/// The bureau's decision on a claim.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompensationStepInput {
    #[schema(value_type = CompensationStep)]
    pub step: String,
    /// reject: why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Approves, rejects or pays a claim (the bureau). Paying is today, from the pool.
pub async fn decide(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CompensationStepInput,
) -> Result<CompensationClaimView, AppError> {
    ctx.require(Action::ManageCreditPool)?;
    let c = visible(state, ctx, id).await?;
    let step = CompensationStep::parse(input.step.trim())
        .ok_or_else(|| problem("step", "未知的操作", "Unknown step"))?;
    let to = c.status.after(step).map_err(|e| AppError::Conflict {
        field: "step".into(),
        zh: e.zh,
        en: e.en,
    })?;
    let reason = input
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(500).collect::<String>());
    if step == CompensationStep::Reject && reason.is_none() {
        return Err(problem(
            "reason",
            "请说明驳回理由",
            "Say why the claim is rejected",
        ));
    }
    let audit = ctx.audit();
    // Read before the transaction: it holds SQLite's write lock and a connection of its own.
    let rules = policy::current(&state.db).await?.pool;
    let mut tx = state.db.begin().await?;
    let after = match step {
        CompensationStep::Pay => {
            store::pay(&mut tx, &audit, id, today_date(), rules.bank_year_cap_fen).await
        }
        _ => store::decide(&mut tx, &audit, id, c.status, to, reason.as_deref()).await,
    }
    .map_err(refused)?;
    tx.commit().await?;
    let what = match step {
        CompensationStep::Approve => "审核通过".to_string(),
        CompensationStep::Reject => format!("被驳回：{}", reason.unwrap_or_default()),
        CompensationStep::Pay => format!("已拨付 {}", money::yuan(after.amount_fen)),
    };
    tell(
        state,
        &[after.bank_org_id],
        Notice {
            kind: crate::inbox::InboxKind::CreditClaim,
            title: format!("风险补偿申请（贷款 {}）{what}", after.loan_id),
            body: after.enterprise_name.clone(),
            link: Some(format!("/credit/claims/{}", after.id)),
            ref_key: format!("credit_claim:{}:{}", after.id, step.code()),
        },
    )
    .await;
    Ok(CompensationClaimView::new(after, true))
}

/// What the bank recovered after compensation.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecoveryInput {
    pub recovered_fen: i64,
}

/// The bank records a recovery on a compensated loan; the pool's part goes back to the funders.
pub async fn recover(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &RecoveryInput,
) -> Result<CompensationClaimView, AppError> {
    let c = visible(state, ctx, id).await?;
    ctx.require(Action::Lend {
        bank_org_id: c.bank_org_id,
    })?;
    let amount = fen("recovered_fen", input.recovered_fen)?;
    let day = day_of("date", None)?;
    let policy = policy::current(&state.db).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let (after, _) = store::recover(&mut tx, &audit, id, amount, day)
        .await
        .map_err(refused)?;
    let change = risk::recompute_in(&mut tx, &audit, after.bank_org_id, &policy.pool).await?;
    tx.commit().await?;
    risk::tell_if_rose(state, &change).await;
    Ok(CompensationClaimView::new(after, false))
}
