//! A knowledge-value loan's life as each party lives it: the enterprise applies (consenting to
//! share its data with the bank it picks) or withdraws; the bank approves within the terms' limits
//! or declines with a reason, disburses, records repayments, marks a loan overdue, cures it or
//! declares a default; the bureau registers a disbursed loan for compensation (备案). Every step
//! that moves the bank's book recomputes its non-performing ratio in the same transaction.

use fruition_domain::authz::Action;
use fruition_domain::credit::LoanKind;
use fruition_domain::lang::Lang;
use fruition_domain::loan::{
    self, LoanParty, LoanStatus, LoanStep, LoanTerms, RepaymentMethod, check_terms,
};
use fruition_domain::money;
use fruition_domain::org::OrgKind;
use fruition_store::credit::loans::{
    self as store, Loan, LoanFilter, NewLoan, NewRepayment, Repayment, ScheduleLine, StepFields,
};
use fruition_store::credit::policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::claims::CompensationClaimView;
use super::{day_of, invalid, problem, rate_label, refused, risk};
use crate::clock::{rfc3339, today_date};
use crate::error::AppError;
use crate::inbox::{Notice, tell};
use crate::{App, Ctx};

/// A loan as its parties and the bureau see it; money in fen with a yuan label beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoanView {
    pub id: i64,
    /// `ZSD2025-000123`.
    pub code: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub borrower_org_id: i64,
    pub bank_org_id: i64,
    pub bank_name: String,
    pub guarantor_org_id: Option<i64>,
    pub guarantor_name: Option<String>,
    pub kind: LoanKind,
    pub kind_label: String,
    pub status: LoanStatus,
    pub status_label: String,
    pub requested_fen: i64,
    pub requested: String,
    pub requested_months: i64,
    pub purpose: String,
    /// The consent the applicant gave to share its data with the bank, and when.
    pub consent_text: String,
    pub consent_at: String,
    pub score_id: Option<i64>,
    /// The scorecard's grade (a–e) at application, if graded.
    pub grade: Option<String>,
    /// The recommended credit line at application, fen.
    pub line_fen: i64,
    pub line: String,
    pub amount_fen: Option<i64>,
    pub amount: Option<String>,
    pub rate_bp: Option<i64>,
    /// `3.85%`.
    pub rate: Option<String>,
    pub term_months: Option<i64>,
    pub repayment_method: Option<RepaymentMethod>,
    pub over_line_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub disbursed_on: Option<String>,
    pub disbursed_fen: Option<i64>,
    pub maturity_on: Option<String>,
    pub registered_on: Option<String>,
    pub principal_repaid_fen: i64,
    pub recovered_fen: i64,
    pub interest_paid_fen: i64,
    /// Principal still owed, fen.
    pub outstanding_fen: i64,
    pub outstanding: String,
    pub overdue_since: Option<String>,
    pub defaulted_on: Option<String>,
    pub county_code: String,
    pub industry_division: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl LoanView {
    pub fn new(l: Loan) -> LoanView {
        LoanView {
            code: l.code(),
            outstanding_fen: l.outstanding_fen(),
            outstanding: money::yuan(l.outstanding_fen()),
            kind_label: l.kind.label(Lang::ZhCn).into(),
            status_label: l.status.label(Lang::ZhCn).into(),
            requested: money::yuan(l.requested_fen),
            line: money::yuan(l.line_fen),
            amount: l.amount_fen.map(money::yuan),
            rate: l.rate_bp.map(rate_label),
            repayment_method: l
                .repayment_method
                .as_deref()
                .and_then(RepaymentMethod::parse),
            consent_at: rfc3339(l.consent_at),
            created_at: rfc3339(l.created_at),
            updated_at: rfc3339(l.updated_at),
            id: l.id,
            enterprise_id: l.enterprise_id,
            enterprise_name: l.enterprise_name,
            borrower_org_id: l.borrower_org_id,
            bank_org_id: l.bank_org_id,
            bank_name: l.bank_name,
            guarantor_org_id: l.guarantor_org_id,
            guarantor_name: l.guarantor_name,
            kind: l.kind,
            status: l.status,
            requested_fen: l.requested_fen,
            requested_months: l.requested_months,
            purpose: l.purpose,
            consent_text: l.consent_text,
            score_id: l.score_id,
            grade: l.grade,
            line_fen: l.line_fen,
            amount_fen: l.amount_fen,
            rate_bp: l.rate_bp,
            term_months: l.term_months,
            over_line_reason: l.over_line_reason,
            decline_reason: l.decline_reason,
            disbursed_on: l.disbursed_on,
            disbursed_fen: l.disbursed_fen,
            maturity_on: l.maturity_on,
            registered_on: l.registered_on,
            principal_repaid_fen: l.principal_repaid_fen,
            recovered_fen: l.recovered_fen,
            interest_paid_fen: l.interest_paid_fen,
            overdue_since: l.overdue_since,
            defaulted_on: l.defaulted_on,
            county_code: l.county_code,
            industry_division: l.industry_division,
        }
    }
}

/// One installment of the schedule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstallmentView {
    pub seq: i64,
    pub due_on: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub principal: String,
    pub interest: String,
}

impl InstallmentView {
    fn new(s: ScheduleLine) -> InstallmentView {
        InstallmentView {
            principal: money::yuan(s.principal_fen),
            interest: money::yuan(s.interest_fen),
            seq: s.seq,
            due_on: s.due_on,
            principal_fen: s.principal_fen,
            interest_fen: s.interest_fen,
        }
    }
}

/// A repayment the bank recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RepaymentView {
    pub id: i64,
    pub paid_on: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub principal: String,
    pub interest: String,
    /// The workbook it came in, if any.
    pub batch_id: Option<i64>,
    pub recorded_at: String,
}

impl RepaymentView {
    pub fn new(r: Repayment) -> RepaymentView {
        RepaymentView {
            principal: money::yuan(r.principal_fen),
            interest: money::yuan(r.interest_fen),
            recorded_at: rfc3339(r.created_at),
            id: r.id,
            paid_on: r.paid_on,
            principal_fen: r.principal_fen,
            interest_fen: r.interest_fen,
            batch_id: r.batch_id,
        }
    }
}

/// A loan with its schedule, repayments and claims, and the steps the caller may take now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoanDetail {
    pub loan: LoanView,
    pub schedule: Vec<InstallmentView>,
    pub repayments: Vec<RepaymentView>,
    pub claims: Vec<CompensationClaimView>,
    pub steps: Vec<LoanStep>,
    /// Whether the caller (the bank) may claim compensation on it now.
    pub can_claim: bool,
}

/// An application.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// The partner bank (an organisation of kind bank).
    pub bank_org_id: i64,
    /// A partner guarantor (kind guarantor), for a guaranteed loan.
    #[serde(default)]
    pub guarantor_org_id: Option<i64>,
    /// The amount asked for, in fen.
    pub requested_fen: i64,
    /// The term asked for, in months.
    pub requested_months: i64,
    pub purpose: String,
    /// The applicant agrees to share its registry data and score with the bank.
    pub consent: bool,
    /// The registry enterprise applying, when the organisation has several (default: its own).
    #[serde(default)]
    pub enterprise_id: Option<i64>,
}

/// A bank or guarantor an enterprise may choose (and the bureau filter by).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Partner {
    pub id: i64,
    pub name: String,
}

/// The active organisations of `kind` (banks or guarantors) a loan may name, by name: their
/// names are public, so any signed-in user may read them.
pub async fn partners(state: &App, ctx: &Ctx<'_>, kind: OrgKind) -> Result<Vec<Partner>, AppError> {
    let _ = ctx;
    if !matches!(kind, OrgKind::Bank | OrgKind::Guarantor) {
        return Ok(Vec::new());
    }
    Ok(fruition_store::organisations::list(
        &state.db,
        fruition_domain::authz::OrgScope::All,
        Some(kind),
        None,
    )
    .await?
    .into_iter()
    .filter(|o| o.active)
    .map(|o| Partner {
        id: o.id,
        name: o.name,
    })
    .collect())
}

/// The consent an applicant gives, kept with the loan word for word.
pub fn consent_text(bank: &str) -> String {
    format!(
        "本企业同意将在株洲科技成果转化平台登记的企业信息、年度指标和知识价值信用评分提供给{bank}，仅用于本次知识价值信用贷款的审查和贷后管理。"
    )
}

/// What the bank, the bureau or the borrower does to a loan.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoanStepInput {
    #[schema(value_type = LoanStep)]
    pub step: String,
    /// approve: the terms.
    #[serde(default)]
    pub amount_fen: Option<i64>,
    #[serde(default)]
    pub rate_bp: Option<i64>,
    #[serde(default)]
    pub term_months: Option<i64>,
    #[serde(default)]
    #[schema(value_type = Option<RepaymentMethod>)]
    pub repayment_method: Option<String>,
    /// approve: why the amount passes the recommended line, when it does.
    #[serde(default)]
    pub over_line_reason: Option<String>,
    /// decline: why.
    #[serde(default)]
    pub reason: Option<String>,
    /// disburse, mark_overdue, default, repay: the day it happened (YYYY-MM-DD; default today).
    #[serde(default)]
    pub date: Option<String>,
}

/// A repayment as the bank records it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepaymentInput {
    /// YYYY-MM-DD, default today.
    #[serde(default)]
    pub paid_on: Option<String>,
    #[serde(default)]
    pub principal_fen: i64,
    #[serde(default)]
    pub interest_fen: i64,
}

/// Which loans to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoanQuery {
    #[serde(default)]
    #[param(value_type = Option<LoanStatus>)]
    pub status: Option<String>,
    /// Disbursed in this year.
    #[serde(default)]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i64>,
    /// The bureau: one bank's loans.
    #[serde(default)]
    pub bank_org_id: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The loan, if the caller may see it (404 otherwise: its existence is its parties' business).
pub(crate) async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Loan, AppError> {
    let l = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewLoan {
        borrower_org_id: l.borrower_org_id,
        bank_org_id: l.bank_org_id,
        guarantor_org_id: l.guarantor_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(l)
}

/// The parties the caller acts as on this loan.
fn parties(ctx: &Ctx<'_>, l: &Loan) -> Vec<LoanParty> {
    let mut out = Vec::new();
    if ctx
        .require(Action::Borrow {
            borrower_org_id: l.borrower_org_id,
        })
        .is_ok()
    {
        out.push(LoanParty::Borrower);
    }
    if ctx
        .require(Action::Lend {
            bank_org_id: l.bank_org_id,
        })
        .is_ok()
    {
        out.push(LoanParty::Bank);
    }
    if ctx.require(Action::ManageCreditPool).is_ok() {
        out.push(LoanParty::Bureau);
    }
    out
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<LoanDetail, AppError> {
    let l = visible(state, ctx, id).await?;
    detail(state, ctx, l).await
}

async fn detail(state: &App, ctx: &Ctx<'_>, l: Loan) -> Result<LoanDetail, AppError> {
    let schedule = store::schedule(&state.db, l.id).await?;
    let repayments = store::repayments(&state.db, l.id).await?;
    let claims = super::claims::of_loan(state, l.id).await?;
    let me = parties(ctx, &l);
    let steps = LoanStep::ALL
        .iter()
        .copied()
        .filter(|s| me.iter().any(|p| l.status.after(*s, *p).is_ok()))
        .collect();
    let can_claim = me.contains(&LoanParty::Bank)
        && l.status == LoanStatus::Defaulted
        && l.registered_on.is_some()
        && !claims
            .iter()
            .any(|c| c.status != fruition_domain::pool::CompensationStatus::Rejected);
    Ok(LoanDetail {
        loan: LoanView::new(l),
        schedule: schedule.into_iter().map(InstallmentView::new).collect(),
        repayments: repayments.into_iter().map(RepaymentView::new).collect(),
        claims,
        steps,
        can_claim,
    })
}

/// Loans the caller may see: the bureau every loan (or one bank's), anyone else those of its
/// own organisation as borrower, bank or guarantor.
pub async fn list(state: &App, ctx: &Ctx<'_>, q: &LoanQuery) -> Result<Vec<LoanView>, AppError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            LoanStatus::parse(s)
                .ok_or_else(|| problem("status", "未知的贷款状态", "Unknown loan status"))?,
        ),
        None => None,
    };
    if let Some(y) = q.year
        && !(1949..=2200).contains(&y)
    {
        return Err(problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let (limit, offset) = super::page(q.limit, q.offset, 200, 1000)?;
    let bureau = ctx.require(Action::ManageCreditPool).is_ok();
    let f = LoanFilter {
        party: (!bureau).then_some(ctx.principal.user.org_id),
        bank: q.bank_org_id,
        status,
        year: q.year,
        enterprise: q.enterprise_id,
        limit,
        offset,
    };
    Ok(store::list(&state.db, &f)
        .await?
        .into_iter()
        .map(LoanView::new)
        .collect())
}

/// The enterprise applies to a partner bank, consenting to share its data with it.
pub async fn apply(state: &App, ctx: &Ctx<'_>, input: &ApplyInput) -> Result<LoanDetail, AppError> {
    let me = ctx.principal.user.org_id;
    ctx.require(Action::Borrow {
        borrower_org_id: me,
    })?;
    let mut problems = Vec::new();
    let mut bad = |field: &str, zh: &str, en: &str| {
        problems.push(crate::error::Problem {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        })
    };
    if !input.consent {
        bad(
            "consent",
            "须同意向所选银行提供企业数据，银行才能审查申请",
            "Consent to share the enterprise's data with the bank is needed for it to review",
        );
    }
    if input.requested_fen <= 0 || input.requested_fen > money::MAX_FEN {
        bad(
            "requested_fen",
            "申请金额以分为单位，应为大于零且不超过 1 亿元的整数",
            "The amount in fen: above zero, at most 100 million yuan",
        );
    }
    let policy = policy::current(&state.db).await?;
    if !(1..=policy.terms.max_term_months).contains(&input.requested_months) {
        bad(
            "requested_months",
            &format!("期限应为 1 到 {} 个月", policy.terms.max_term_months),
            &format!("The term is 1 to {} months", policy.terms.max_term_months),
        );
    }
    let purpose = input.purpose.trim();
    if purpose.chars().count() < 4 || purpose.chars().count() > 500 {
        bad(
            "purpose",
            "请用 4 到 500 字说明贷款用途",
            "Say what the loan is for in 4 to 500 characters",
        );
    }
    let orgs = fruition_store::organisations::get(&state.db, input.bank_org_id).await?;
    let bank = orgs.filter(|o| o.kind == OrgKind::Bank && o.active);
    if bank.is_none() {
        bad("bank_org_id", "请选择合作银行", "Choose a partner bank");
    }
    if let Some(g) = input.guarantor_org_id {
        let ok = fruition_store::organisations::get(&state.db, g)
            .await?
            .is_some_and(|o| o.kind == OrgKind::Guarantor && o.active);
        if !ok {
            bad(
                "guarantor_org_id",
                "请选择合作担保机构",
                "Choose a partner guarantor",
            );
        }
    }
    let enterprises = fruition_store::enterprises::list(
        &state.db,
        &fruition_store::enterprises::EnterpriseFilter {
            org_id: Some(me),
            limit: 50,
            ..Default::default()
        },
    )
    .await?;
    let enterprise = enterprises
        .into_iter()
        .map(|r| r.enterprise)
        .find(|e| input.enterprise_id.is_none_or(|id| id == e.id));
    if enterprise.is_none() {
        bad(
            "enterprise_id",
            "本单位在平台上还没有登记的企业信息，请先完善企业登记",
            "Your organisation has no enterprise record on the platform yet",
        );
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (Some(bank), Some(enterprise)) = (bank, enterprise) else {
        return Err(AppError::NotFound);
    };
    let score = super::score_for(state, enterprise.id).await?;
    if let Some(ex) = score.as_ref().and_then(|s| s.excluded.clone()) {
        let label = fruition_domain::credit::Exclusion::parse(&ex)
            .map_or(ex.clone(), |e| e.label(Lang::ZhCn).to_string());
        return Err(problem(
            "enterprise_id",
            &format!("企业在知识价值信用贷款负面清单上（{label}），暂不能申请"),
            "The enterprise is on the negative list and cannot apply now",
        ));
    }
    let n = NewLoan {
        enterprise_id: enterprise.id,
        borrower_org_id: me,
        bank_org_id: bank.id,
        guarantor_org_id: input.guarantor_org_id,
        kind: if input.guarantor_org_id.is_some() {
            LoanKind::Guaranteed
        } else {
            LoanKind::Credit
        },
        requested_fen: input.requested_fen,
        requested_months: input.requested_months,
        purpose: purpose.to_string(),
        consent_text: consent_text(&bank.name),
        score_id: score.as_ref().map(|s| s.id),
        grade: score.as_ref().and_then(|s| s.grade.clone()),
        line_fen: score.as_ref().and_then(|s| s.line_fen).unwrap_or(0),
        county_code: enterprise.county_code.clone(),
        industry_division: enterprise.industry_division.clone(),
    };
    let l = store::apply(&state.db, &ctx.audit(), &n).await?;
    let mut orgs = vec![l.bank_org_id];
    orgs.extend(l.guarantor_org_id);
    tell(state, &orgs, notice(&l, "applied", "收到新的贷款申请")).await;
    detail(state, ctx, l).await
}

pub(crate) fn notice(l: &Loan, event: &str, what_zh: &str) -> Notice {
    Notice {
        kind: crate::inbox::InboxKind::Loan,
        title: format!("知识价值信用贷款 {}：{what_zh}", l.code()),
        body: format!("{}，{}", l.enterprise_name, l.bank_name),
        link: Some(format!("/credit/loans/{}", l.id)),
        ref_key: format!("loan:{}:{event}", l.id),
    }
}

/// Takes a step on a loan as the party the caller is.
pub async fn step(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &LoanStepInput,
) -> Result<LoanDetail, AppError> {
    let l = visible(state, ctx, id).await?;
    let step = LoanStep::parse(input.step.trim())
        .ok_or_else(|| problem("step", "未知的操作", "Unknown step"))?;
    let me = parties(ctx, &l);
    let Some(to) = me.iter().find_map(|p| l.status.after(step, *p).ok()) else {
        // Not a step of the caller's at all: forbidden; one of theirs, but not now: a conflict
        // that says where the loan stands.
        let Some(p) = me.iter().find(|p| steps_of(step).contains(p)) else {
            return Err(AppError::Forbidden("forbidden"));
        };
        let e = l.status.after(step, *p).err();
        return Err(AppError::Conflict {
            field: "step".into(),
            zh: e.as_ref().map_or_else(String::new, |e| e.zh.clone()),
            en: e.map_or_else(String::new, |e| e.en),
        });
    };
    let policy = policy::current(&state.db).await?;
    let mut f = StepFields::default();
    let mut event_zh = step.label(Lang::ZhCn).to_string();
    match step {
        LoanStep::Approve => {
            let method = match input.repayment_method.as_deref().map(str::trim) {
                None | Some("") => RepaymentMethod::EqualPrincipal,
                Some(m) => RepaymentMethod::parse(m).ok_or_else(|| {
                    problem(
                        "repayment_method",
                        "未知的还款方式",
                        "Unknown repayment method",
                    )
                })?,
            };
            let terms = LoanTerms {
                amount_fen: input.amount_fen.unwrap_or(0),
                rate_bp: input.rate_bp.unwrap_or(0),
                term_months: input.term_months.unwrap_or(0),
                over_line_reason: input
                    .over_line_reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.chars().take(500).collect()),
            };
            check_terms(&terms, l.line_fen, &policy.terms).map_err(invalid)?;
            f.amount_fen = Some(terms.amount_fen);
            f.rate_bp = Some(terms.rate_bp);
            f.term_months = Some(terms.term_months);
            f.repayment_method = Some(method);
            f.over_line_reason = terms
                .over_line_reason
                .filter(|_| terms.amount_fen > l.line_fen);
            event_zh = format!("已审批，金额 {}", money::yuan(terms.amount_fen));
        }
        LoanStep::Decline => {
            let reason = input
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    problem("reason", "请说明拒绝理由", "Say why the loan is declined")
                })?;
            f.decline_reason = Some(reason.chars().take(500).collect());
            event_zh = format!("未获批准：{}", f.decline_reason.as_deref().unwrap_or(""));
        }
        LoanStep::Disburse => {
            let day = day_of("date", input.date.as_deref())?;
            let term = l.term_months.unwrap_or(12);
            f.disbursed_on = Some(day.to_string());
            f.maturity_on = Some(day.plus_months(term).to_string());
        }
        LoanStep::Register => {
            f.registered_on = Some(today_date().to_string());
        }
        LoanStep::MarkOverdue => {
            f.overdue_since = Some(day_of("date", input.date.as_deref())?.to_string());
        }
        LoanStep::Cure => f.clear_overdue = true,
        LoanStep::Default => {
            f.defaulted_on = Some(day_of("date", input.date.as_deref())?.to_string());
        }
        LoanStep::Repay => {
            // All the principal still owed, recorded as one repayment.
            let input = RepaymentInput {
                paid_on: input.date.clone(),
                principal_fen: l.outstanding_fen(),
                interest_fen: 0,
            };
            return repay(state, ctx, id, &input).await;
        }
        LoanStep::Withdraw => {}
    }
    let ctx_audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let after = store::step(&mut tx, &ctx_audit, id, l.status, to, &f)
        .await
        .map_err(refused)?;
    if step == LoanStep::Disburse {
        let lines = loan::schedule(
            after.amount_fen.unwrap_or(0),
            after.rate_bp.unwrap_or(0),
            after.term_months.unwrap_or(12),
            after
                .repayment_method
                .as_deref()
                .and_then(RepaymentMethod::parse)
                .unwrap_or(RepaymentMethod::EqualPrincipal),
            fruition_domain::date::IsoDate::parse(after.disbursed_on.as_deref().unwrap_or(""))
                .unwrap_or_else(|_| today_date()),
        );
        store::write_schedule(&mut tx, id, &lines).await?;
    }
    let moved = risk::moves_book(step);
    let change = if moved {
        Some(risk::recompute_in(&mut tx, &ctx_audit, after.bank_org_id, &policy.pool).await?)
    } else {
        None
    };
    tx.commit().await?;
    let to_tell: Vec<i64> = match step {
        LoanStep::Withdraw => vec![after.bank_org_id],
        LoanStep::Register => vec![after.bank_org_id, after.borrower_org_id],
        _ => vec![after.borrower_org_id],
    };
    tell(state, &to_tell, notice(&after, step.code(), &event_zh)).await;
    if let Some(c) = change {
        risk::tell_if_rose(state, &c).await;
    }
    if matches!(
        step,
        LoanStep::MarkOverdue | LoanStep::Cure | LoanStep::Default
    ) {
        // An overdue loan puts the enterprise on the negative list (and a cured one takes it off):
        // its score says so at once. The step has committed; a failure here is only logged.
        if let Err(e) = super::scores::score_now(state, after.enterprise_id).await {
            tracing::warn!(error = %e, loan = after.id, "rescoring after a loan step failed");
        }
    }
    detail(state, ctx, after).await
}

/// Which parties take a step at all (for telling a wrong party from a wrong time).
fn steps_of(step: LoanStep) -> &'static [LoanParty] {
    match step {
        LoanStep::Withdraw => &[LoanParty::Borrower],
        LoanStep::Register => &[LoanParty::Bureau],
        _ => &[LoanParty::Bank],
    }
}

/// The bank records a repayment.
pub async fn repay(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &RepaymentInput,
) -> Result<LoanDetail, AppError> {
    let l = visible(state, ctx, id).await?;
    ctx.require(Action::Lend {
        bank_org_id: l.bank_org_id,
    })?;
    let paid_on = day_of("paid_on", input.paid_on.as_deref())?;
    let r = checked_repayment(id, paid_on, input.principal_fen, input.interest_fen)?;
    let policy = policy::current(&state.db).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let (_, after) = store::repay(&mut tx, &audit, l.bank_org_id, &r)
        .await
        .map_err(refused)?;
    let change = risk::recompute_in(&mut tx, &audit, l.bank_org_id, &policy.pool).await?;
    tx.commit().await?;
    if after.status == LoanStatus::Repaid {
        tell(
            state,
            &[after.borrower_org_id],
            notice(&after, "repaid", "贷款已结清"),
        )
        .await;
    }
    risk::tell_if_rose(state, &change).await;
    detail(state, ctx, after).await
}

/// Checks one repayment's amounts: whole fen, not negative, not both zero.
pub fn checked_repayment(
    loan_id: i64,
    paid_on: fruition_domain::date::IsoDate,
    principal_fen: i64,
    interest_fen: i64,
) -> Result<NewRepayment, AppError> {
    let within = |v: i64| (0..=money::MAX_FEN).contains(&v);
    if !within(principal_fen) || !within(interest_fen) || principal_fen + interest_fen == 0 {
        return Err(problem(
            "principal_fen",
            "本金和利息以分为单位，各不超过 1 亿元，不能为负，且不能都为零",
            "Principal and interest are whole fen up to 100 million yuan each, not negative, not both zero",
        ));
    }
    Ok(NewRepayment {
        loan_id,
        paid_on: paid_on.to_string(),
        principal_fen,
        interest_fen,
        batch_id: None,
    })
}
