//! Reminders (催报、催办、催缴): the bureau reminds carriers whose yearly report is late, a party
//! reminds the registration office of its waiting contract and the office a party of the one it
//! returned, an issuer (or the bureau) reminds the payer of an overdue bill. One at a time or all
//! at once; each matter is told at most once a China day — the claim is made in the transaction
//! that records it with its audit entry (`store::reminders::claim`) — and the inbox notices go
//! out after that commits.

use fruition_domain::authz::Action;
use fruition_domain::contract::SubmissionStatus;
use fruition_domain::money::yuan;
use fruition_domain::reminder::{self, ReminderKind};
use fruition_domain::report::ReportStatus;
use fruition_store::billing::{self as bills, Bill, BillFilter};
use fruition_store::reminders::{self as store, NewReminder};
use fruition_store::reports::{self as reports, Late};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::clock::{today, today_date};
use crate::error::AppError;
use crate::inbox::{self, InboxKind, Notice};
use crate::{App, Ctx};

/// A matter reminded of, and whom.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reminded {
    pub kind: ReminderKind,
    /// The carrier (late_report), the contract submission or the bill.
    pub subject_id: i64,
    pub subject: String,
    pub recipient_org_id: i64,
    pub recipient_name: String,
}

/// What a reminder did: who was told now, and who had been told today already (nobody is
/// told of one matter twice a day).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ReminderOutcome {
    pub told: Vec<Reminded>,
    pub already_today: Vec<Reminded>,
}

/// One matter to remind of: what is recorded, and what the recipient reads.
struct Matter {
    reminded: Reminded,
    period: i64,
    detail: serde_json::Value,
    notice: Notice,
}

/// Claims each matter's reminder for today in one transaction, then tells the recipients.
async fn send(
    state: &App,
    ctx: &Ctx<'_>,
    matters: Vec<Matter>,
) -> Result<ReminderOutcome, AppError> {
    let day = today();
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let mut claimed = Vec::with_capacity(matters.len());
    for m in matters {
        let new = store::claim(
            &mut tx,
            &audit,
            &NewReminder {
                kind: m.reminded.kind,
                subject_id: m.reminded.subject_id,
                period: m.period,
                recipient_org_id: m.reminded.recipient_org_id,
                day: &day,
                detail: &m.detail,
            },
        )
        .await?;
        claimed.push((new, m));
    }
    tx.commit().await?;
    let mut out = ReminderOutcome::default();
    for (new, m) in claimed {
        if new {
            inbox::tell(state, &[m.reminded.recipient_org_id], m.notice).await;
            out.told.push(m.reminded);
        } else {
            out.already_today.push(m.reminded);
        }
    }
    Ok(out)
}

fn late_matter(
    year: i64,
    l: &Late,
    sender: &str,
    day: &str,
    due: &crate::reports::DeadlineView,
) -> Matter {
    let when =
        fruition_domain::report::days_left_words(due.days_left, fruition_domain::lang::Lang::ZhCn);
    let status = l
        .status
        .as_deref()
        .and_then(ReportStatus::parse)
        .map_or("尚未填报", |s| {
            s.label(fruition_domain::lang::Lang::ZhCn)
        });
    Matter {
        reminded: Reminded {
            kind: ReminderKind::LateReport,
            subject_id: l.carrier_id,
            subject: format!("{} {year} 年度年报", l.carrier_name),
            recipient_org_id: l.operator_org_id,
            recipient_name: l.operator_name.clone(),
        },
        period: year,
        detail: json!({"year": year, "carrier": l.carrier_name, "status": l.status, "recipient": l.operator_name}),
        notice: Notice {
            kind: InboxKind::Report,
            title: format!("请尽快提交{}的 {year} 年度年报", l.carrier_name),
            body: format!(
                "{sender}提醒：{}的 {year} 年度年报尚未通过审核（目前：{status}），报送截止日期为 {}（{when}）。请填写统计指标并提交，以免影响年度统计和评价。",
                l.carrier_name, due.due_on
            ),
            link: Some(format!("/reports?year={year}")),
            ref_key: reminder::ref_key(ReminderKind::LateReport, l.carrier_id, year, day),
        },
    }
}

/// Reminds the carriers whose report for `year` is not approved yet — one (`carrier_id`) or
/// all of them: the bureau. A carrier that is not late is a 409.
pub async fn late_reports(
    state: &App,
    ctx: &Ctx<'_>,
    year: i64,
    carrier_id: Option<i64>,
) -> Result<ReminderOutcome, AppError> {
    ctx.require(Action::ReviewReports)?;
    let mut late = reports::late(&state.db, year).await?;
    if let Some(id) = carrier_id {
        late.retain(|l| l.carrier_id == id);
        if late.is_empty() {
            return Err(AppError::conflict(fruition_domain::FieldError::new(
                "carrier_id",
                "not_late",
                "该载体当年的年报不在逾期名单中",
                "That carrier's report for the year is not late",
            )));
        }
    }
    let day = today();
    let sender = ctx.principal.org_name.clone();
    let due = crate::reports::due(&state.db, year).await?;
    let matters = late
        .iter()
        .map(|l| late_matter(year, l, &sender, &day, &due))
        .collect();
    send(state, ctx, matters).await
}

/// When each late carrier was last reminded of `year`'s report (epoch ms), for the late list.
pub async fn late_reminded(
    state: &App,
    ctx: &Ctx<'_>,
    year: i64,
) -> Result<std::collections::HashMap<i64, i64>, AppError> {
    ctx.require(Action::ReviewReports)?;
    Ok(store::last_sent(&state.db, ReminderKind::LateReport, year)
        .await?
        .into_iter()
        .collect())
}

/// Reminds about a contract submission: its submitter reminds the office while it waits for a
/// decision; the office reminds the submitter while a returned one waits for correction.
pub async fn contract(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ReminderOutcome, AppError> {
    let s = crate::contracts::visible(state, ctx, id).await?;
    let office = ctx.require(Action::RegisterContracts).is_ok();
    let submitter = ctx.principal.user.org_id == s.submitter_org_id
        && ctx.require(Action::SubmitContract { party: true }).is_ok();
    let day = today();
    let submitted = crate::clock::china_date(s.submitted_at);
    let mut matters = Vec::new();
    match s.status {
        SubmissionStatus::Submitted if submitter && !office => {
            for org in inbox::bureau_orgs(state).await {
                matters.push(Matter {
                    reminded: Reminded {
                        kind: ReminderKind::WaitingContract,
                        subject_id: s.id,
                        subject: s.title.clone(),
                        recipient_org_id: org,
                        recipient_name: "技术合同登记机构".into(),
                    },
                    period: org,
                    detail: json!({"title": s.title, "submitter": s.submitter_name, "submitted_on": submitted.to_string()}),
                    notice: Notice {
                        kind: InboxKind::ContractSubmission,
                        title: format!("催办：技术合同“{}”等待认定登记", s.title),
                        body: format!(
                            "{}于 {submitted} 提交认定登记申请，请尽快审核。",
                            s.submitter_name
                        ),
                        link: Some(format!("/contracts/submissions/{}", s.id)),
                        ref_key: reminder::ref_key(ReminderKind::WaitingContract, s.id, org, &day),
                    },
                });
            }
        }
        SubmissionStatus::Returned if office => {
            matters.push(Matter {
                reminded: Reminded {
                    kind: ReminderKind::ReturnedContract,
                    subject_id: s.id,
                    subject: s.title.clone(),
                    recipient_org_id: s.submitter_org_id,
                    recipient_name: s.submitter_name.clone(),
                },
                period: 0,
                detail: json!({"title": s.title, "reason": s.reason}),
                notice: Notice {
                    kind: InboxKind::ContractSubmission,
                    title: format!("请修改后重新提交技术合同“{}”", s.title),
                    body: format!(
                        "登记机构退回的原因：{}。请按要求修改后重新提交。",
                        s.reason.as_deref().unwrap_or("见合同页面")
                    ),
                    link: Some(format!("/contracts/submissions/{}", s.id)),
                    ref_key: reminder::ref_key(ReminderKind::ReturnedContract, s.id, 0, &day),
                },
            });
        }
        SubmissionStatus::Submitted | SubmissionStatus::Returned if office || submitter => {
            return Err(AppError::conflict(fruition_domain::FieldError::new(
                "status",
                "not_yours_to_remind",
                "合同等待的是您一方的处理，无需提醒对方",
                "The contract waits on your side; there is nobody to remind",
            )));
        }
        SubmissionStatus::Submitted | SubmissionStatus::Returned => {
            // Only the submitter and the office take part; the other parties read.
            return Err(AppError::Forbidden("remind"));
        }
        _ => {
            return Err(AppError::conflict(fruition_domain::FieldError::new(
                "status",
                "decided",
                "合同已有登记结论，无需提醒",
                "The contract has been decided; there is nothing to remind of",
            )));
        }
    }
    send(state, ctx, matters).await
}

fn bill_matter(b: &Bill, sender: &str, day: &str) -> Matter {
    let owed = yuan(b.outstanding());
    Matter {
        reminded: Reminded {
            kind: ReminderKind::OverdueBill,
            subject_id: b.id,
            subject: format!("账单 {}（{}）", b.number(), b.subject_name),
            recipient_org_id: b.payer_org_id,
            recipient_name: b.payer_name.clone(),
        },
        period: 0,
        detail: json!({"bill": b.number(), "due_on": b.due_on, "outstanding_fen": b.outstanding(), "recipient": b.payer_name}),
        notice: Notice {
            kind: if b.service_request_id.is_some() {
                InboxKind::ServiceRequest
            } else {
                InboxKind::Booking
            },
            title: format!("催缴：账单 {}（{}）已逾期", b.number(), b.subject_name),
            body: format!(
                "{sender}提醒：该账单到期日为 {}，尚欠 {owed} 元，请尽快支付；可使用的创新券可在账单页面抵扣。",
                b.due_on
            ),
            link: Some(format!("/pilot/bills/{}", b.id)),
            ref_key: reminder::ref_key(ReminderKind::OverdueBill, b.id, 0, day),
        },
    }
}

/// Reminds the payers of overdue bills — one (`bill_id`) or all the caller's organisation
/// issued (the bureau: all overdue bills): the issuer's users who can write, and the bureau's.
/// A bill that is not overdue is a 409.
pub async fn overdue_bills(
    state: &App,
    ctx: &Ctx<'_>,
    bill_id: Option<i64>,
) -> Result<ReminderOutcome, AppError> {
    let today_d = today_date();
    let overdue = match bill_id {
        Some(id) => {
            let b = crate::billing::visible(state, ctx, id).await?;
            ctx.require(Action::RemindPayer {
                owner_org_id: b.owner_org_id,
            })?;
            if !b.is_overdue(today_d) {
                return Err(AppError::conflict(fruition_domain::FieldError::new(
                    "bill_id",
                    "not_overdue",
                    "该账单未逾期，无需催缴",
                    "The bill is not overdue",
                )));
            }
            vec![b]
        }
        None => {
            let me = ctx.principal.user.org_id;
            ctx.require(Action::RemindPayer { owner_org_id: me })?;
            let bureau = ctx.principal.user.role.is_bureau();
            bills::list(
                &state.db,
                &BillFilter {
                    owner_org_id: (!bureau).then_some(me),
                    overdue_on: Some(today_d),
                    limit: 10_000,
                    ..BillFilter::default()
                },
            )
            .await?
        }
    };
    let day = today();
    let sender = ctx.principal.org_name.clone();
    let matters = overdue
        .iter()
        .map(|b| bill_matter(b, &sender, &day))
        .collect();
    send(state, ctx, matters).await
}
