//! Innovation vouchers (科技创新券) and reimbursement claims.
//!
//! The bureau issues vouchers to enterprises and revokes what is left of one; the holder and the
//! bureau see a voucher and its ledger entry by entry. Owners of resources claim back the vouchers'
//! part of their bills; the bureau approves or rejects the claim and records its payment.

use fruition_domain::authz::{Action, OrgScope, org_scope};
use fruition_domain::billing::BillSubject;
use fruition_domain::lang::Lang;
use fruition_domain::market;
use fruition_domain::money;
use fruition_domain::numbers::Numbered;
use fruition_domain::org::OrgKind;
use fruition_domain::voucher::{
    self, ClaimStatus, ClaimStep, EntryKind, VoucherInput, VoucherTerms,
};
use fruition_store::vouchers::{self as store, Claim, Entry, Voucher};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Ctx;
use crate::App;
use crate::clock::rfc3339;
use crate::clock::today_date;
use crate::error::{AppError, Problem};

/// A voucher.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoucherView {
    pub id: i64,
    /// `CXQ2026-000123`.
    pub code: String,
    pub org_id: i64,
    pub org_name: String,
    /// Fen: face value and what is left.
    pub face_fen: i64,
    pub balance_fen: i64,
    pub face: String,
    pub balance: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The most of one bill it may pay, percent.
    pub share_pct: i64,
    /// The most the holder may pay with vouchers in a year, fen.
    pub yearly_cap_fen: i64,
    pub kinds: Vec<BillSubject>,
    /// `中试线、大型仪器`.
    pub kinds_label: String,
    pub active: bool,
    pub year: i64,
    pub issued_at: String,
}

impl VoucherView {
    pub fn new(v: Voucher) -> VoucherView {
        let kinds = voucher::kinds_of(&v.kinds);
        VoucherView {
            code: v.code(),
            kinds_label: kinds
                .iter()
                .map(|k| k.label(Lang::ZhCn))
                .collect::<Vec<_>>()
                .join("、"),
            kinds,
            id: v.id,
            org_id: v.org_id,
            org_name: v.org_name,
            face: money::yuan(v.face_fen),
            balance: money::yuan(v.balance_fen),
            face_fen: v.face_fen,
            balance_fen: v.balance_fen,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            share_pct: v.share_pct,
            yearly_cap_fen: v.yearly_cap_fen,
            active: v.active,
            year: v.year,
            issued_at: rfc3339(v.created_at),
        }
    }
}

/// One ledger entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    pub voucher_id: i64,
    pub kind: EntryKind,
    pub kind_label: String,
    /// Signed fen: + issued, − spent or revoked.
    pub amount_fen: i64,
    /// The balance after this entry, fen.
    pub balance_fen: i64,
    pub bill_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub at: String,
    /// The numbers people read: the voucher's (CXQ…), the bill's (ZS…), the claim's (DF…).
    pub voucher_number: String,
    pub bill_number: Option<String>,
    pub claim_number: Option<String>,
}

impl EntryView {
    fn new(e: Entry) -> EntryView {
        EntryView {
            id: e.id,
            voucher_id: e.voucher_id,
            kind_label: e.kind.label(Lang::ZhCn).into(),
            kind: e.kind,
            amount_fen: e.amount_fen,
            balance_fen: e.balance_fen,
            bill_id: e.bill_id,
            payment_id: e.payment_id,
            claim_id: e.claim_id,
            at: rfc3339(e.created_at),
            voucher_number: Numbered::Voucher.number(e.voucher_year, e.voucher_id),
            bill_number: e
                .bill_id
                .zip(e.bill_year)
                .map(|(id, y)| Numbered::Bill.number(y, id)),
            claim_number: e
                .claim_id
                .zip(e.claim_at)
                .map(|(id, at)| Numbered::VoucherClaim.number_at(at, id)),
        }
    }
}

/// A voucher with its ledger, oldest entry first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VoucherDetail {
    pub voucher: VoucherView,
    pub entries: Vec<EntryView>,
}

/// A reimbursement claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimView {
    pub id: i64,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub status: ClaimStatus,
    pub status_label: String,
    pub amount_fen: i64,
    pub amount: String,
    /// Voucher spends it covers.
    pub entries: i64,
    pub year: i64,
    pub status_reason: Option<String>,
    pub paid_on: Option<String>,
    pub paid_reference: Option<String>,
    pub submitted_at: String,
    pub updated_at: String,
}

impl ClaimView {
    fn new(c: Claim) -> ClaimView {
        ClaimView {
            id: c.id,
            owner_org_id: c.owner_org_id,
            owner_name: c.owner_name,
            status_label: c.status.label(Lang::ZhCn).into(),
            status: c.status,
            amount: money::yuan(c.amount_fen),
            amount_fen: c.amount_fen,
            entries: c.entries,
            year: c.year,
            status_reason: c.status_reason,
            paid_on: c.paid_on,
            paid_reference: c.paid_reference,
            submitted_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
        }
    }
}

/// A claim with the voucher spends it covers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimDetail {
    pub claim: ClaimView,
    pub entries: Vec<EntryView>,
    /// The steps the caller may take now: approve, reject, record_payment (the bureau).
    pub steps: Vec<ClaimStep>,
}

/// What an owner could claim now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Claimable {
    pub spends: i64,
    pub amount_fen: i64,
    pub amount: String,
}

/// The bureau's decision on a claim.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimStepInput {
    /// approve | reject | record_payment.
    #[serde(default)]
    #[schema(value_type = fruition_domain::voucher::ClaimStep)]
    pub step: String,
    /// Required to reject.
    #[serde(default)]
    pub reason: Option<String>,
    /// record_payment: the day paid (YYYY-MM-DD, default today) and the transfer's reference.
    #[serde(default)]
    pub paid_on: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
}

fn invalid(errors: Vec<fruition_domain::FieldError>) -> AppError {
    AppError::Invalid(errors.into_iter().map(Problem::from).collect())
}

/// Issues a voucher to an enterprise (the bureau).
pub async fn issue(
    state: &App,
    ctx: &Ctx<'_>,
    input: &VoucherInput,
) -> Result<VoucherDetail, AppError> {
    ctx.require(Action::ManageVouchers)?;
    let t = VoucherTerms::parse(input).map_err(invalid)?;
    let org = fruition_store::organisations::get(&state.db, t.org_id).await?;
    if org.is_none_or(|o| o.kind != OrgKind::Enterprise) {
        return Err(invalid(vec![fruition_domain::FieldError::new(
            "org_id",
            "not_enterprise",
            "创新券只发给企业",
            "Vouchers are issued to enterprises",
        )]));
    }
    let mut tx = state.db.begin().await?;
    let v = store::issue(&mut tx, &ctx.audit(), &t, today_date()).await?;
    tx.commit().await?;
    get(state, ctx, v.id).await
}

async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Voucher, AppError> {
    let v = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewVoucher {
        holder_org_id: v.org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(v)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<VoucherDetail, AppError> {
    let v = visible(state, ctx, id).await?;
    let entries = store::entries(&state.db, v.id).await?;
    Ok(VoucherDetail {
        voucher: VoucherView::new(v),
        entries: entries.into_iter().map(EntryView::new).collect(),
    })
}

/// The caller's organisation's vouchers (the bureau: every voucher).
pub async fn list(state: &App, ctx: &Ctx<'_>) -> Result<Vec<VoucherView>, AppError> {
    let org = match org_scope(&ctx.principal.actor()) {
        OrgScope::All => None,
        OrgScope::Own(id) => Some(id),
    };
    Ok(store::list(&state.db, org, 2000, 0)
        .await?
        .into_iter()
        .map(VoucherView::new)
        .collect())
}

/// Takes back what is left of a voucher (the bureau).
pub async fn revoke(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<VoucherDetail, AppError> {
    ctx.require(Action::ManageVouchers)?;
    let v = visible(state, ctx, id).await?;
    if !v.active {
        return Err(AppError::Conflict {
            field: "status".into(),
            zh: "这张创新券已收回".into(),
            en: "The voucher has already been revoked".into(),
        });
    }
    let mut tx = state.db.begin().await?;
    store::revoke(&mut tx, &ctx.audit(), id, today_date())
        .await
        .map_err(|e| match e {
            fruition_store::StoreError::Conflict { .. } => AppError::Conflict {
                field: "status".into(),
                zh: "创新券余额刚刚变化，请刷新后重试".into(),
                en: "The voucher's balance just changed; reload and try again".into(),
            },
            e => e.into(),
        })?;
    tx.commit().await?;
    get(state, ctx, id).await
}

// ---------------------------------------------------------------------------------------------
// Claims

/// What the caller's organisation could claim now.
pub async fn claimable(state: &App, ctx: &Ctx<'_>) -> Result<Claimable, AppError> {
    let (spends, amount_fen) = store::unclaimed(&state.db, ctx.principal.user.org_id).await?;
    Ok(Claimable {
        spends,
        amount_fen,
        amount: money::yuan(amount_fen),
    })
}

/// Claims back every unclaimed voucher spend on the caller's organisation's bills.
pub async fn submit_claim(state: &App, ctx: &Ctx<'_>) -> Result<ClaimDetail, AppError> {
    let me = ctx.principal.user.org_id;
    // Owners of resources claim: organisations that offer them, by their users who can write.
    ctx.require(Action::CreateResource)?;
    ctx.require(Action::ManageResource { owner_org_id: me })?;
    let mut tx = state.db.begin().await?;
    let c = store::submit_claim(&mut tx, &ctx.audit(), me, today_date())
        .await
        .map_err(|e| match e {
            fruition_store::StoreError::Conflict { .. } => AppError::Conflict {
                field: "claim".into(),
                zh: "没有可申请兑付的创新券抵扣".into(),
                en: "There are no voucher payments to claim".into(),
            },
            e => e.into(),
        })?;
    tx.commit().await?;
    claim(state, ctx, c.id).await
}

async fn visible_claim(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Claim, AppError> {
    let c = store::claim(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewResourceBookings {
        owner_org_id: c.owner_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(c)
}

pub async fn claim(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ClaimDetail, AppError> {
    let c = visible_claim(state, ctx, id).await?;
    let entries = store::claim_entries(&state.db, c.id).await?;
    let bureau = ctx.require(Action::ManageVouchers).is_ok();
    let steps = ClaimStep::ALL
        .iter()
        .copied()
        .filter(|s| bureau && c.status.after(*s).is_some())
        .collect();
    Ok(ClaimDetail {
        claim: ClaimView::new(c),
        entries: entries.into_iter().map(EntryView::new).collect(),
        steps,
    })
}

/// Claims of the caller's organisation (the bureau: all, optionally in one status).
pub async fn claims(
    state: &App,
    ctx: &Ctx<'_>,
    status: Option<ClaimStatus>,
) -> Result<Vec<ClaimView>, AppError> {
    let org = match org_scope(&ctx.principal.actor()) {
        OrgScope::All => None,
        OrgScope::Own(id) => Some(id),
    };
    Ok(store::claims(&state.db, org, status, 1000, 0)
        .await?
        .into_iter()
        .map(ClaimView::new)
        .collect())
}

/// The bureau approves or rejects a claim, or records its payment.
pub async fn decide(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ClaimStepInput,
) -> Result<ClaimDetail, AppError> {
    let c = visible_claim(state, ctx, id).await?;
    ctx.require(Action::ManageVouchers)?;
    let Some(step) = ClaimStep::parse(input.step.trim()) else {
        return Err(invalid(vec![fruition_domain::FieldError::new(
            "step",
            "invalid",
            "操作应为 approve、reject 或 record_payment",
            "The step is approve, reject or record_payment",
        )]));
    };
    let Some(to) = c.status.after(step) else {
        return Err(AppError::Conflict {
            field: "status".into(),
            zh: format!(
                "“{}”的兑付申请不能{}",
                c.status.label(Lang::ZhCn),
                step.label(Lang::ZhCn)
            ),
            en: format!(
                "A claim that is {} cannot take the step “{}”",
                c.status.label(Lang::En).to_lowercase(),
                step.label(Lang::En).to_lowercase()
            ),
        });
    };
    let mut p = super::Problems::default();
    let reason = match step {
        ClaimStep::Reject => p.check(market::text(
            "reason",
            input.reason.as_deref().unwrap_or(""),
            market::SUMMARY_MAX,
        )),
        _ => None,
    };
    let paid = if step == ClaimStep::RecordPayment {
        let on = p
            .optional(input.paid_on.as_deref(), |s| {
                fruition_domain::date::IsoDate::parse_field(s, "paid_on")
            })
            .unwrap_or_else(today_date);
        if on > today_date() {
            p.push(
                "paid_on",
                "拨付日期不能晚于今天",
                "The payment cannot be in the future",
            );
        }
        let reference = p.check(market::text(
            "reference",
            input.reference.as_deref().unwrap_or(""),
            market::SHORT_MAX,
        ));
        reference.map(|r| (on, r))
    } else {
        None
    };
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    store::decide_claim(
        &mut tx,
        &ctx.audit(),
        c.id,
        c.status,
        to,
        reason.as_deref(),
        paid.as_ref().map(|(d, r)| (*d, r.as_str())),
    )
    .await
    .map_err(|e| match e {
        fruition_store::StoreError::Conflict { .. } => AppError::Conflict {
            field: "status".into(),
            zh: "兑付申请刚刚被处理，请刷新后查看".into(),
            en: "The claim was just decided; reload to see it".into(),
        },
        e => e.into(),
    })?;
    tx.commit().await?;
    claim(state, ctx, id).await
}
