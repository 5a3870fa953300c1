//! The demo's knowledge-value credit loans (知识价值信用贷款) and the shared risk compensation
//! pool (风险补偿资金池) in 2025, the year after the registry's figures (the reply of 2025 sets
//! the 30亿元 target; 2024 has no loans, so its annual report reads as the reply does).
//!
//! - Five partner banks (the demo bank the `demo.bank` account works for, and four more) and one
//!   partner guarantor (`demo.guarantor`), all synthetic with fictional names (the pages say the
//!   data are synthetic).
//! - The pool's funders, province : city : districts = 5 : 3 : 2 (`FUNDERS`, marked 演示), paying
//!   in 5000万, 3000万 and 2000万元 in January and February.
//! - About a hundred loans to the registry's synthetic enterprises (each given an organisation of
//!   its own, linked by `enterprises.org_id`), scored on the default scorecard with their 2024
//!   figures: applications waiting, approved, declined and withdrawn; loans disbursed and waiting
//!   for registration (备案), registered and repaid on schedule, repaid early, or at the end of
//!   their term; a few overdue; four defaulted, with the bank's claim submitted, approved, paid from
//!   the pool (split across the funders by their ratios) and, for one, a recovery flowing back.
//!
//! The book stands as at 2025-12-31: the demo bank's non-performing ratio is past the 5 % warning
//! line and below the 8 % breaker, every other bank's below the warning line (the store's
//! `risk::recompute` says so once everything is written). Planned in memory first (pure, from the
//! registry's plan and a fixed seed, checked by the tests below), then written through the store
//! in date order, so the pool's ledger receives its transfers in the order of their value dates.

use std::collections::BTreeMap;

use anyhow::{Context, ensure};
use fruition_domain::credit::{
    Facts, Grade, Indicator, LoanKind, Outcome, PoolRules, RiskLevel, Scorecard, npl_bp, score,
};
use fruition_domain::date::IsoDate;
use fruition_domain::indicators::Indicators;
use fruition_domain::loan::{
    Installment, LoanStatus, LoanTerms, RepaymentMethod, TermLimits, schedule,
};
use fruition_domain::org::OrgKind;
use fruition_domain::pool::{CompensationStatus, FunderLevel};
use fruition_store::Tx;
use fruition_store::audit::AuditCtx;
use fruition_store::credit::loans::{self, NewLoan, NewRepayment, StepFields};
use fruition_store::credit::{claims, policy, risk};
use fruition_store::enterprises::{self, EnterpriseProfile};
use fruition_store::organisations::{self, OrgProfile};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::plan::{self, OrgPlan, Plan};

/// The year of the demo's loans.
pub const YEAR: i64 = 2025;
const SEED: u64 = 4_302_002_025;

/// The guarantor's demo account.
pub const GUARANTOR_LOGIN: &str = "demo.guarantor";

/// The partner guarantor: (name, county of registration).
const GUARANTOR: (&str, &str) = ("株洲建宁科技融资担保有限公司", "430211");

/// The partner banks besides the demo bank: (name, county of registration).
const OTHER_BANKS: [(&str, &str); 4] = [
    ("建宁农村商业银行株洲高新区支行", "430211"),
    ("神农城市商业银行株洲分行", "430202"),
    ("湘江科创银行株洲天元支行", "430211"),
    ("渌江村镇银行醴陵支行", "430281"),
];

/// The pool's funders: (name, level, ratio, contribution in 万元, day paid in).
pub const FUNDERS: [(&str, FunderLevel, i64, i64, &str); 3] = [
    (
        "湖南省财政厅（演示）",
        FunderLevel::Province,
        5,
        5_000,
        "2025-01-10",
    ),
    (
        "株洲市财政局（演示）",
        FunderLevel::City,
        3,
        3_000,
        "2025-01-10",
    ),
    (
        "县市区财政（演示）",
        FunderLevel::District,
        2,
        2_000,
        "2025-02-14",
    ),
];

/// The demo bank's non-performing ratio the plan aims at, basis points (between the lines).
const AIM_BP: i64 = 650;

/// 万元 in fen.
const WAN: i64 = 10_000 * 100;

const PURPOSES: &[&str] = &[
    "采购原材料，保障新签订单按期交付",
    "新产品小批量试制及中试验证",
    "研发人员薪酬及研发材料投入",
    "购置检测设备，建设企业研发中心",
    "流动资金周转（下游回款周期较长）",
    "扩大生产线产能，承接批量订单",
    "新产品市场推广及参展",
    "支付专利许可费，推进成果产业化",
    "数字化车间改造",
    "首台（套）产品验证及用户试用",
];

const DECLINE_REASONS: &[&str] = &[
    "企业近两年经营性现金流持续为负，第一还款来源不足",
    "实际控制人存在较大金额对外担保，代偿风险较高",
    "申请用途与企业主营业务关联度不足，建议调整用途后重新申请",
];

const OVER_LINE_REASON: &str = "企业新获整车厂批量订单，经实地核查流动资金缺口超过推荐额度";

/// What becomes of a loan by the end of 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Waiting for the bank.
    Applied,
    /// Approved, not yet disbursed.
    Approved,
    Declined(&'static str),
    /// Withdrawn by the enterprise (after approval when `true`).
    Withdrawn(bool),
    /// Disbursed, waiting for the bureau's registration.
    Disbursed,
    /// Registered and repaid on schedule (repaid when its last installment fell due in 2025).
    Performing,
    /// Registered, repaid in full early on this day.
    RepaidEarly(IsoDate),
    /// Registered; installment `missed` (from 1) was not paid: overdue from the day after.
    Overdue {
        missed: i64,
    },
    /// As overdue, declared defaulted 90 days on; the bank's claim went this far.
    Defaulted {
        missed: i64,
        claim: ClaimFate,
    },
}

/// How far a bank's compensation claim went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimFate {
    Submitted,
    Approved,
    Paid,
    /// Paid, then the bank recovered this much of the principal.
    Recovered(i64),
}

/// One loan of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanPlan {
    /// Index into the registry plan's enterprises.
    pub enterprise: usize,
    /// 0: the demo bank; 1–4: [`CreditPlan::other_banks`].
    pub bank: usize,
    pub guaranteed: bool,
    pub requested_fen: i64,
    pub requested_months: i64,
    pub purpose: &'static str,
    pub grade: Grade,
    pub line_fen: i64,
    /// The terms the bank approves (pending applications: what it would).
    pub terms: LoanTerms,
    pub method: RepaymentMethod,
    pub fate: Fate,
    /// The day the money went out (loans that were disbursed).
    pub disbursed_on: Option<IsoDate>,
    /// Days from disbursement to the bureau's registration.
    pub register_after: i64,
}

impl LoanPlan {
    pub fn disbursed(&self) -> bool {
        self.disbursed_on.is_some()
    }

    pub fn schedule(&self) -> Vec<Installment> {
        match self.disbursed_on {
            Some(d) => schedule(
                self.terms.amount_fen,
                self.terms.rate_bp,
                self.terms.term_months,
                self.method,
                d,
            ),
            None => Vec::new(),
        }
    }
}

/// The whole year's credit, planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditPlan {
    pub other_banks: Vec<OrgPlan>,
    pub guarantor: OrgPlan,
    /// In the order the applications are made: disbursed loans by day, then the ones waiting.
    pub loans: Vec<LoanPlan>,
}

/// What happens to a loan on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    Disburse,
    Register,
    /// An installment paid on its due day (bank debit).
    Repay(i64),
    /// The rest of the principal paid early.
    RepayRest,
    MarkOverdue,
    Default,
    Claim,
    ApproveClaim,
    PayClaim,
    Recover,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dated {
    pub on: IsoDate,
    pub loan: usize,
    pub event: Event,
}

fn day(month: u8, d: u8) -> IsoDate {
    IsoDate::new(YEAR as u16, month, d).expect("a day of the demo's year")
}

fn end_of_year() -> IsoDate {
    day(12, 31)
}

/// A working day: a Saturday or Sunday moves to the Monday after.
fn workday(d: IsoDate) -> IsoDate {
    // 1970-01-01 was a Thursday: 0 = Monday.
    match (d.days_since_epoch() + 3).rem_euclid(7) {
        5 => d.plus_days(2),
        6 => d.plus_days(1),
        _ => d,
    }
}

/// Every dated step of the plan, in the order it is written: by day, then loan, then step.
pub fn events(plan: &CreditPlan) -> Vec<Dated> {
    let end = end_of_year();
    let mut out = Vec::new();
    for (i, l) in plan.loans.iter().enumerate() {
        let Some(d) = l.disbursed_on else {
            continue;
        };
        let mut push = |on: IsoDate, event: Event| out.push(Dated { on, loan: i, event });
        push(d, Event::Disburse);
        if l.fate == Fate::Disbursed {
            continue;
        }
        push(d.plus_days(l.register_after), Event::Register);
        let stop = match l.fate {
            Fate::Overdue { missed } | Fate::Defaulted { missed, .. } => missed,
            _ => i64::MAX,
        };
        for x in l.schedule() {
            let early = match l.fate {
                Fate::RepaidEarly(on) => x.due_on >= on,
                _ => false,
            };
            if x.due_on > end || x.seq >= stop || early {
                break;
            }
            push(x.due_on, Event::Repay(x.seq));
        }
        match l.fate {
            Fate::RepaidEarly(on) => push(on, Event::RepayRest),
            Fate::Overdue { missed } | Fate::Defaulted { missed, .. } => {
                let due = d.plus_months(missed);
                let overdue = due.plus_days(1);
                push(overdue, Event::MarkOverdue);
                if let Fate::Defaulted { claim, .. } = l.fate {
                    let defaulted = overdue.plus_days(90);
                    push(defaulted, Event::Default);
                    push(defaulted.plus_days(14), Event::Claim);
                    if claim != ClaimFate::Submitted {
                        push(defaulted.plus_days(35), Event::ApproveClaim);
                    }
                    if matches!(claim, ClaimFate::Paid | ClaimFate::Recovered(_)) {
                        push(defaulted.plus_days(49), Event::PayClaim);
                    }
                    if matches!(claim, ClaimFate::Recovered(_)) {
                        push(defaulted.plus_days(79), Event::Recover);
                    }
                }
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// A loan's standing as the events leave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub status: LoanStatus,
    pub disbursed_fen: i64,
    pub repaid_fen: i64,
    pub recovered_fen: i64,
}

impl Standing {
    pub fn outstanding_fen(&self) -> i64 {
        self.disbursed_fen - self.repaid_fen - self.recovered_fen
    }
}

/// Every loan's standing at the end of the year, by replaying the events in memory.
pub fn standings(plan: &CreditPlan) -> Vec<Standing> {
    let mut s: Vec<Standing> = plan
        .loans
        .iter()
        .map(|l| Standing {
            status: match l.fate {
                Fate::Applied => LoanStatus::Applied,
                Fate::Approved => LoanStatus::Approved,
                Fate::Declined(_) => LoanStatus::Declined,
                Fate::Withdrawn(_) => LoanStatus::Withdrawn,
                _ => LoanStatus::Approved,
            },
            disbursed_fen: 0,
            repaid_fen: 0,
            recovered_fen: 0,
        })
        .collect();
    let schedules: Vec<Vec<Installment>> = plan.loans.iter().map(LoanPlan::schedule).collect();
    for e in events(plan) {
        let l = &plan.loans[e.loan];
        let x = &mut s[e.loan];
        match e.event {
            Event::Disburse => {
                x.status = LoanStatus::Disbursed;
                x.disbursed_fen = l.terms.amount_fen;
            }
            Event::Register => x.status = LoanStatus::Registered,
            Event::Repay(seq) => {
                x.repaid_fen += schedules[e.loan][(seq - 1) as usize].principal_fen;
                if x.outstanding_fen() == 0 {
                    x.status = LoanStatus::Repaid;
                }
            }
            Event::RepayRest => {
                x.repaid_fen = x.disbursed_fen;
                x.status = LoanStatus::Repaid;
            }
            Event::MarkOverdue => x.status = LoanStatus::Overdue,
            Event::Default => x.status = LoanStatus::Defaulted,
            Event::Recover => {
                if let Fate::Defaulted {
                    claim: ClaimFate::Recovered(r),
                    ..
                } = l.fate
                {
                    x.recovered_fen += r;
                }
            }
            Event::Claim | Event::ApproveClaim | Event::PayClaim => {}
        }
    }
    s
}

/// Each bank's (principal outstanding, non-performing) at the end of the year, counted the way
/// the store counts them (`risk::book`).
pub fn book(plan: &CreditPlan) -> Vec<(i64, i64)> {
    let mut out = vec![(0, 0); 1 + plan.other_banks.len()];
    for (l, s) in plan.loans.iter().zip(standings(plan)) {
        let counted = s.status.outstanding() || s.status == LoanStatus::Defaulted;
        if !counted {
            continue;
        }
        out[l.bank].0 += s.outstanding_fen();
        if matches!(s.status, LoanStatus::Overdue | LoanStatus::Defaulted) {
            out[l.bank].1 += s.outstanding_fen();
        }
    }
    out
}

/// Each enterprise's score on the default scorecard with its latest yearly figures: (grade, line).
fn graded(p: &Plan) -> Vec<Option<(Grade, i64)>> {
    let card = Scorecard::default_v1();
    let data_day = IsoDate::new(plan::LAST_YEAR as u16, 12, 31).expect("a day");
    let mut latest: Vec<Option<(i64, &Indicators)>> = vec![None; p.enterprises.len()];
    for r in &p.reports {
        for (e, v) in &r.rows {
            if latest[*e].is_none_or(|(y, _)| y <= r.year) {
                latest[*e] = Some((r.year, v));
            }
        }
    }
    p.enterprises
        .iter()
        .zip(latest)
        .map(|(e, figures)| {
            let (year, v) = figures?;
            if year != plan::LAST_YEAR {
                return None;
            }
            let mut f = Facts::default();
            f.set(Indicator::IntellectualProperty, v.valid_ip);
            f.set(Indicator::RdSpending, v.rd_spending_k);
            f.set(Indicator::Talent, v.high_level_talent);
            f.set(Indicator::InnovativeProducts, v.patent_grants);
            f.set(
                Indicator::InnovativeEnterprise,
                if e.high_tech {
                    2
                } else {
                    i64::from(e.tech_sme)
                },
            );
            match score(&card, &f, data_day).outcome {
                Outcome::Graded { grade, line_fen } => Some((grade, line_fen)),
                _ => None,
            }
        })
        .collect()
}

/// The borrowers still to choose from: synthetic enterprises with a grade, shuffled.
struct Pool {
    left: Vec<(usize, Grade, i64)>,
}

impl Pool {
    /// The next enterprise whose recommended line is at least `min_line`.
    fn take(&mut self, min_line: i64) -> (usize, Grade, i64) {
        let i = self
            .left
            .iter()
            .position(|x| x.2 >= min_line)
            .expect("enough graded demo enterprises");
        self.left.remove(i)
    }
}

fn round_wan(fen: i64, step_wan: i64) -> i64 {
    let step = step_wan * WAN;
    ((fen + step / 2) / step * step).max(step)
}

/// Plans the year's credit from the registry's plan.
pub fn build(p: &Plan) -> CreditPlan {
    let mut rng = StdRng::seed_from_u64(SEED);
    let grades = graded(p);
    let left: Vec<(usize, Grade, i64)> = p
        .enterprises
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != p.demo_enterprise && p.is_plain_firm(*i))
        .filter_map(|(i, _)| grades[i].map(|(g, line)| (i, g, line)))
        .collect();
    // Banks lend first to the better rated: drawn without replacement, each with a weight of its
    // line squared (Efraimidis–Spirakis keys), so most borrowers are graded C or B.
    let mut keyed: Vec<(f64, (usize, Grade, i64))> = left
        .into_iter()
        .map(|x| {
            let w = (x.2 / WAN) as f64;
            (rng.random::<f64>().powf(1.0 / (w * w)), x)
        })
        .collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.0.cmp(&b.1.0)));
    let mut pool = Pool {
        left: keyed.into_iter().map(|(_, x)| x).collect(),
    };
    let limits = TermLimits::default();
    let spreads = [35, 45, 55, 65, 80, 100, 120, 150];
    let bank_weights = [34, 22, 19, 13, 12];
    let pick_bank = |rng: &mut StdRng| {
        let mut x = rng.random_range(0..bank_weights.iter().sum::<i64>());
        for (i, w) in bank_weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        0
    };
    let mut loans: Vec<LoanPlan> = Vec::new();
    // A loan of `fate` to a chosen enterprise: terms drawn within its line.
    let loan = |rng: &mut StdRng,
                (enterprise, grade, line): (usize, Grade, i64),
                bank: usize,
                fate: Fate,
                disbursed_on: Option<IsoDate>,
                term: Option<i64>|
     -> LoanPlan {
        let term_months = term.unwrap_or_else(|| *[12, 12, 24, 24, 36].choose(rng).expect("terms"));
        let share = rng.random_range(50..=100);
        let mut amount = round_wan(line * share / 100, 10);
        let mut over_line_reason = None;
        if rng.random_range(0..100) < 4 {
            amount = line + 50 * WAN;
            over_line_reason = Some(OVER_LINE_REASON.to_string());
        }
        let method = if rng.random_range(0..100) < 25 {
            RepaymentMethod::InterestOnly
        } else {
            RepaymentMethod::EqualPrincipal
        };
        let requested_fen = round_wan(amount * rng.random_range(100..=130) / 100, 10);
        LoanPlan {
            enterprise,
            bank,
            guaranteed: rng.random_range(0..100) < 20,
            requested_fen,
            requested_months: term_months,
            purpose: PURPOSES.choose(rng).expect("purposes"),
            grade,
            line_fen: line,
            terms: LoanTerms {
                amount_fen: amount,
                rate_bp: limits.lpr_bp + spreads.choose(rng).expect("spreads"),
                term_months,
                over_line_reason,
            },
            method,
            fate,
            disbursed_on,
            register_after: rng.random_range(5..=20),
        }
    };
    let any_day = |rng: &mut StdRng, from: IsoDate, to: IsoDate| {
        let span = to.days_since_epoch() - from.days_since_epoch();
        workday(from.plus_days(rng.random_range(0..=span)))
    };

    // Registered loans repaid on schedule through the year, the demo enterprise's among them.
    for n in 0..78 {
        let borrower = if n == 0 {
            grades[p.demo_enterprise]
                .map(|(g, line)| (p.demo_enterprise, g, line))
                .unwrap_or_else(|| pool.take(0))
        } else {
            pool.take(0)
        };
        let bank = if n == 0 { 0 } else { pick_bank(&mut rng) };
        let on = any_day(&mut rng, day(1, 6), day(12, 5));
        loans.push(loan(
            &mut rng,
            borrower,
            bank,
            Fate::Performing,
            Some(on),
            None,
        ));
    }
    // Six-month loans repaid at the end of their term; three of the borrowers borrow again.
    for n in 0..6 {
        let borrower = pool.take(0);
        let bank = if n == 3 { 0 } else { pick_bank(&mut rng) };
        // Those who borrow again did so after the first loan, by the autumn.
        let last = if n < 3 { day(4, 15) } else { day(5, 30) };
        let on = any_day(&mut rng, day(1, 6), last);
        let first = loan(
            &mut rng,
            borrower,
            bank,
            Fate::Performing,
            Some(on),
            Some(6),
        );
        if n < 3 {
            let again = workday(on.plus_months(6).plus_days(rng.random_range(10..=30)));
            loans.push(loan(
                &mut rng,
                borrower,
                bank,
                Fate::Performing,
                Some(again),
                None,
            ));
        }
        loans.push(first);
    }
    // Two repaid early.
    for (from, repaid) in [(day(2, 3), day(9, 18)), (day(3, 10), day(11, 20))] {
        let borrower = pool.take(0);
        let bank = pick_bank(&mut rng);
        let on = any_day(&mut rng, from, from.plus_days(20));
        loans.push(loan(
            &mut rng,
            borrower,
            bank,
            Fate::RepaidEarly(repaid),
            Some(on),
            Some(24),
        ));
    }
    // Disbursed in the last weeks, waiting for registration.
    for _ in 0..3 {
        let borrower = pool.take(0);
        let bank = pick_bank(&mut rng);
        let on = any_day(&mut rng, day(12, 15), day(12, 22));
        loans.push(loan(
            &mut rng,
            borrower,
            bank,
            Fate::Disbursed,
            Some(on),
            None,
        ));
    }
    // Loans that went wrong: fixed amounts, banks and days, so the ratios are what the demo
    // shows (the demo bank past the warning line, the others below it).
    let troubled: [(usize, bool, i64, i64, RepaymentMethod, IsoDate, Fate); 5] = [
        (
            0,
            false,
            80,
            12,
            RepaymentMethod::EqualPrincipal,
            day(1, 15),
            Fate::Defaulted {
                missed: 3,
                claim: ClaimFate::Recovered(24 * WAN),
            },
        ),
        (
            2,
            true,
            50,
            24,
            RepaymentMethod::EqualPrincipal,
            day(2, 20),
            Fate::Defaulted {
                missed: 4,
                claim: ClaimFate::Paid,
            },
        ),
        (
            1,
            false,
            40,
            36,
            RepaymentMethod::InterestOnly,
            day(3, 12),
            Fate::Defaulted {
                missed: 5,
                claim: ClaimFate::Approved,
            },
        ),
        (
            0,
            false,
            60,
            24,
            RepaymentMethod::EqualPrincipal,
            day(3, 26),
            Fate::Defaulted {
                missed: 5,
                claim: ClaimFate::Submitted,
            },
        ),
        (
            3,
            false,
            40,
            12,
            RepaymentMethod::EqualPrincipal,
            day(2, 5),
            Fate::Overdue { missed: 10 },
        ),
    ];
    for (bank, guaranteed, wan, term, method, on, fate) in troubled {
        let borrower = pool.take(wan * WAN);
        let mut l = loan(&mut rng, borrower, bank, fate, Some(on), Some(term));
        l.guaranteed = guaranteed;
        l.method = method;
        l.terms.amount_fen = wan * WAN;
        l.terms.over_line_reason = None;
        l.requested_fen = l.requested_fen.max(l.terms.amount_fen);
        loans.push(l);
    }
    // The demo bank's overdue loan, sized so its ratio lands between the lines.
    {
        let borrower = pool.take(120 * WAN);
        let mut l = loan(
            &mut rng,
            borrower,
            0,
            Fate::Overdue { missed: 6 },
            Some(day(5, 19)),
            Some(24),
        );
        l.method = RepaymentMethod::EqualPrincipal;
        l.terms.over_line_reason = None;
        l.guaranteed = false;
        let at = loans.len();
        loans.push(l);
        let mut best: Option<(i64, i64)> = None;
        for wan in (2..=borrower.2 / WAN / 10).map(|k| k * 10) {
            loans[at].terms.amount_fen = wan * WAN;
            let trial = CreditPlan {
                other_banks: Vec::new(),
                guarantor: OrgPlan {
                    name: String::new(),
                    uscc: None,
                },
                loans: loans.clone(),
            };
            let (outstanding, np) = book_of(&trial, 0);
            let miss = (npl_bp(np, outstanding) - AIM_BP).abs();
            if best.is_none_or(|(m, _)| miss < m) {
                best = Some((miss, wan));
            }
        }
        let wan = best.map_or(100, |(_, w)| w);
        loans[at].terms.amount_fen = wan * WAN;
        loans[at].requested_fen = loans[at].requested_fen.max(wan * WAN);
    }
    // Applications still open or closed without a loan.
    let waiting = [
        Fate::Applied,
        Fate::Applied,
        Fate::Applied,
        Fate::Approved,
        Fate::Approved,
        Fate::Declined(DECLINE_REASONS[0]),
        Fate::Declined(DECLINE_REASONS[1]),
        Fate::Declined(DECLINE_REASONS[2]),
        Fate::Withdrawn(false),
        Fate::Withdrawn(true),
    ];
    let mut pending = Vec::new();
    for (n, fate) in waiting.into_iter().enumerate() {
        let borrower = pool.take(0);
        let bank = if n % 5 == 0 { 0 } else { pick_bank(&mut rng) };
        let mut l = loan(&mut rng, borrower, bank, fate, None, None);
        // One application with the guarantor waits, one was declined.
        l.guaranteed = n == 0 || n == 5;
        pending.push(l);
    }

    // Applications in the order they were made: disbursed loans by day, then the rest.
    loans.sort_by_key(|l| l.disbursed_on);
    loans.extend(pending);
    let other_banks = OTHER_BANKS
        .iter()
        .enumerate()
        .map(|(i, (name, county))| OrgPlan {
            name: (*name).to_string(),
            uscc: Some(plan::uscc(county, 990_001 + i as u32)),
        })
        .collect();
    CreditPlan {
        other_banks,
        guarantor: OrgPlan {
            name: GUARANTOR.0.to_string(),
            uscc: Some(plan::uscc(GUARANTOR.1, 990_101)),
        },
        loans,
    }
}

/// One bank's (outstanding, non-performing) at the end of the year.
fn book_of(plan: &CreditPlan, bank: usize) -> (i64, i64) {
    let mut plan = plan.clone();
    let banks = plan.loans.iter().map(|l| l.bank).max().unwrap_or(0);
    while plan.other_banks.len() < banks {
        plan.other_banks.push(OrgPlan {
            name: String::new(),
            uscc: None,
        });
    }
    book(&plan)[bank]
}

/// Who the demo already holds.
pub struct Parties {
    /// The demo bank (`demo.bank`) and the guarantor (`demo.guarantor`).
    pub bank: i64,
    pub bank_name: String,
    pub guarantor: i64,
    /// The registry's enterprises, by plan index.
    pub enterprises: Vec<i64>,
    /// The demo enterprise's organisation (`demo.enterprise`).
    pub enterprise_org: i64,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub banks: usize,
    pub loans: usize,
    pub disbursed: usize,
    pub claims: usize,
}

/// Writes the year's credit: banks, funders and contributions, borrowers' organisations, loans,
/// their steps and the claims in date order, and each bank's ratio.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    p: &Plan,
    credit: &CreditPlan,
    parties: &Parties,
) -> anyhow::Result<Written> {
    let mut w = Written::default();

    // The banks.
    let mut banks = vec![(parties.bank, parties.bank_name.clone())];
    for b in &credit.other_banks {
        let profile = OrgProfile {
            name: b.name.clone(),
            uscc: b.uscc.clone(),
            ..OrgProfile::default()
        };
        let id = organisations::insert(tx, ctx, OrgKind::Bank, &profile)
            .await?
            .id;
        banks.push((id, b.name.clone()));
    }
    w.banks = banks.len();

    // The pool: its funders pay in early in the year.
    let mut funders = Vec::new();
    for (name, level, ratio, _, _) in FUNDERS {
        funders.push(policy::add_funder_in(tx, ctx, name, level, ratio).await?.id);
    }
    for ((name, _, _, wan, on), id) in FUNDERS.iter().zip(&funders) {
        super::at(super::ms_on(on, 10 * 60));
        let on = IsoDate::parse(on).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        policy::contribute_in(
            tx,
            ctx,
            *id,
            wan * WAN,
            on,
            &format!("{name}{YEAR}年度风险补偿资金"),
        )
        .await?;
    }
    let rules: PoolRules = policy::current_in(tx).await?.pool;

    // Each borrower is an organisation of its own on the platform.
    let mut borrower_orgs: BTreeMap<usize, i64> = BTreeMap::new();
    for l in &credit.loans {
        if borrower_orgs.contains_key(&l.enterprise) {
            continue;
        }
        let e = &p.enterprises[l.enterprise];
        let org = if l.enterprise == p.demo_enterprise {
            parties.enterprise_org
        } else {
            let profile = OrgProfile {
                name: e.name.clone(),
                uscc: Some(e.uscc.clone()),
                ..OrgProfile::default()
            };
            let org = organisations::insert(tx, ctx, OrgKind::Enterprise, &profile)
                .await?
                .id;
            let current = enterprises::find_by_uscc_in(tx, &e.uscc)
                .await?
                .context("a demo enterprise")?;
            let linked = EnterpriseProfile {
                uscc: current.uscc,
                name: current.name,
                founded_on: current.founded_on,
                county_code: current.county_code,
                zone_id: current.zone_id,
                chain_code: current.chain_code,
                industry_division: current.industry_division,
                high_tech: current.high_tech,
                tech_sme: current.tech_sme,
                parent_id: current.parent_id,
                org_id: Some(org),
            };
            enterprises::update(tx, ctx, current.id, &linked).await?;
            org
        };
        borrower_orgs.insert(l.enterprise, org);
    }

    // The applications, and what the banks decided on those not disbursed.
    // Each applied for two to four weeks before the money came (those never disbursed in
    // December), and was decided a few days later.
    let mut ids = Vec::with_capacity(credit.loans.len());
    for (k, l) in credit.loans.iter().enumerate() {
        let e = &p.enterprises[l.enterprise];
        let k = k as i64;
        let applied = match l.disbursed_on {
            Some(d) => super::ms_on(&d.plus_days(-(14 + k % 15)).to_string(), 9 * 60 + k % 300),
            None => super::ms_on(&format!("{YEAR}-12-{:02}", 5 + k % 20), 9 * 60 + k % 300),
        };
        super::at(applied);
        let (bank, bank_name) = &banks[l.bank];
        let n = NewLoan {
            enterprise_id: parties.enterprises[l.enterprise],
            borrower_org_id: borrower_orgs[&l.enterprise],
            bank_org_id: *bank,
            guarantor_org_id: l.guaranteed.then_some(parties.guarantor),
            kind: if l.guaranteed {
                LoanKind::Guaranteed
            } else {
                LoanKind::Credit
            },
            requested_fen: l.requested_fen,
            requested_months: l.requested_months,
            purpose: l.purpose.to_string(),
            consent_text: fruition_app::credit::loans::consent_text(bank_name),
            score_id: None,
            grade: Some(l.grade.code().to_string()),
            line_fen: l.line_fen,
            county_code: e.county.to_string(),
            industry_division: (!e.division.is_empty()).then(|| e.division.clone()),
        };
        let id = loans::apply_in(tx, ctx, &n).await?.id;
        ids.push(id);
        w.loans += 1;
        super::at(applied + (2 + k % 5) * super::day_ms());
        let approve = StepFields {
            amount_fen: Some(l.terms.amount_fen),
            rate_bp: Some(l.terms.rate_bp),
            term_months: Some(l.terms.term_months),
            repayment_method: Some(l.method),
            over_line_reason: l.terms.over_line_reason.clone(),
            ..StepFields::default()
        };
        use LoanStatus::*;
        match l.fate {
            Fate::Applied => {}
            Fate::Declined(reason) => {
                let f = StepFields {
                    decline_reason: Some(reason.to_string()),
                    ..StepFields::default()
                };
                loans::step(tx, ctx, id, Applied, Declined, &f).await?;
            }
            Fate::Withdrawn(after_approval) => {
                let from = if after_approval {
                    loans::step(tx, ctx, id, Applied, Approved, &approve).await?;
                    Approved
                } else {
                    Applied
                };
                loans::step(tx, ctx, id, from, Withdrawn, &StepFields::default()).await?;
            }
            _ => {
                loans::step(tx, ctx, id, Applied, Approved, &approve).await?;
            }
        }
    }

    // The year, day by day.
    let schedules: Vec<Vec<Installment>> = credit.loans.iter().map(LoanPlan::schedule).collect();
    let mut claim_ids: BTreeMap<usize, i64> = BTreeMap::new();
    for e in events(credit) {
        let l = &credit.loans[e.loan];
        let id = ids[e.loan];
        let bank = banks[l.bank].0;
        let on = e.on.to_string();
        super::at(super::ms_on(&on, 10 * 60));
        use LoanStatus::*;
        match e.event {
            Event::Disburse => {
                let f = StepFields {
                    disbursed_on: Some(on.clone()),
                    maturity_on: Some(e.on.plus_months(l.terms.term_months).to_string()),
                    ..StepFields::default()
                };
                loans::step(tx, ctx, id, Approved, Disbursed, &f).await?;
                loans::write_schedule(tx, id, &schedules[e.loan]).await?;
                w.disbursed += 1;
            }
            Event::Register => {
                let f = StepFields {
                    registered_on: Some(on),
                    ..StepFields::default()
                };
                loans::step(tx, ctx, id, Disbursed, Registered, &f).await?;
            }
            Event::Repay(seq) => {
                let x = &schedules[e.loan][(seq - 1) as usize];
                let r = NewRepayment {
                    loan_id: id,
                    paid_on: on,
                    principal_fen: x.principal_fen,
                    interest_fen: x.interest_fen,
                    batch_id: None,
                };
                loans::repay(tx, ctx, bank, &r).await?;
            }
            Event::RepayRest => {
                let loan = loans::get_in(tx, id).await?;
                let next = schedules[e.loan]
                    .iter()
                    .find(|x| x.due_on >= e.on)
                    .map_or(0, |x| x.interest_fen);
                let r = NewRepayment {
                    loan_id: id,
                    paid_on: on,
                    principal_fen: loan.outstanding_fen(),
                    interest_fen: next,
                    batch_id: None,
                };
                loans::repay(tx, ctx, bank, &r).await?;
            }
            Event::MarkOverdue => {
                let f = StepFields {
                    overdue_since: Some(on),
                    ..StepFields::default()
                };
                loans::step(tx, ctx, id, Registered, Overdue, &f).await?;
            }
            Event::Default => {
                let f = StepFields {
                    defaulted_on: Some(on),
                    ..StepFields::default()
                };
                loans::step(tx, ctx, id, Overdue, Defaulted, &f).await?;
            }
            Event::Claim => {
                let loan = loans::get_in(tx, id).await?;
                let loss = loan.outstanding_fen();
                let amount = rules.compensation(loan.kind, loss);
                let note = "已向借款企业发送催收函并提起诉讼，申请法院查封企业设备及应收账款，\
                            现就未收回本金申请风险补偿。";
                let c = claims::submit(tx, ctx, id, bank, loss, amount, note, YEAR).await?;
                claim_ids.insert(e.loan, c.id);
                w.claims += 1;
            }
            Event::ApproveClaim => {
                claims::decide(
                    tx,
                    ctx,
                    claim_ids[&e.loan],
                    CompensationStatus::Submitted,
                    CompensationStatus::Approved,
                    None,
                )
                .await?;
            }
            Event::PayClaim => {
                claims::pay(tx, ctx, claim_ids[&e.loan], e.on, rules.bank_year_cap_fen).await?;
            }
            Event::Recover => {
                let Fate::Defaulted {
                    claim: ClaimFate::Recovered(amount),
                    ..
                } = l.fate
                else {
                    continue;
                };
                claims::recover(tx, ctx, claim_ids[&e.loan], amount, e.on).await?;
            }
        }
    }

    // Each bank's ratio as the store counts it, and as the plan meant it.
    super::at_now();
    let planned = book(credit);
    for (i, (bank, name)) in banks.iter().enumerate() {
        let r = risk::recompute(tx, ctx, *bank, &rules).await?.after;
        let (outstanding, np) = planned[i];
        ensure!(
            (r.outstanding_fen, r.nonperforming_fen) == (outstanding, np),
            "{name}: the store counts {} outstanding and {} non-performing, the plan {outstanding} and {np}",
            r.outstanding_fen,
            r.nonperforming_fen
        );
        let meant = if i == 0 {
            RiskLevel::Warning
        } else {
            RiskLevel::Normal
        };
        ensure!(
            r.level == meant && !r.breaker_on,
            "{name}: non-performing ratio {} bp is {:?}, meant {meant:?}",
            r.npl_bp,
            r.level
        );
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fruition_domain::loan::check_terms;

    fn planned() -> (Plan, CreditPlan) {
        let p = plan::build();
        let c = build(&p);
        (p, c)
    }

    #[test]
    fn the_year_is_planned_the_same_every_time() {
        let p = plan::build();
        assert_eq!(build(&p), build(&p));
    }

    #[test]
    fn every_stage_is_there_and_every_step_in_the_year() {
        let (p, c) = planned();
        let s = standings(&c);
        let count = |st: LoanStatus| s.iter().filter(|x| x.status == st).count();
        for st in LoanStatus::ALL {
            assert!(count(*st) > 0, "a loan {st:?}");
        }
        let claims: Vec<ClaimFate> = c
            .loans
            .iter()
            .filter_map(|l| match l.fate {
                Fate::Defaulted { claim, .. } => Some(claim),
                _ => None,
            })
            .collect();
        assert_eq!(claims.len(), 4);
        let ev = events(&c);
        assert!(ev.iter().all(|e| i64::from(e.on.year()) == YEAR), "{ev:?}");
        assert!(ev.windows(2).all(|w| w[0] <= w[1]));
        // Contributions come before the first payment from the pool.
        let first_pay = ev
            .iter()
            .find(|e| e.event == Event::PayClaim)
            .expect("a payment");
        assert!(first_pay.on > IsoDate::parse(FUNDERS[2].4).expect("day"));
        // Terms within the limits, over the line only with a reason; every borrower a synthetic
        // enterprise with a grade, the demo enterprise among them.
        for l in &c.loans {
            assert_eq!(
                check_terms(&l.terms, l.line_fen, &TermLimits::default()),
                Ok(()),
                "{l:?}"
            );
            assert!(p.is_plain_firm(l.enterprise));
            assert!(l.requested_fen >= l.terms.amount_fen);
        }
        assert!(c.loans.iter().any(|l| l.enterprise == p.demo_enterprise));
        assert!(c.loans.iter().filter(|l| l.guaranteed).count() >= 5);
        let banks: std::collections::BTreeSet<usize> = c.loans.iter().map(|l| l.bank).collect();
        assert_eq!(banks.len(), 5);
        let mut distinct: Vec<usize> = c
            .loans
            .iter()
            .filter(|l| l.disbursed())
            .map(|l| l.enterprise)
            .collect();
        let disbursed = distinct.len();
        distinct.sort();
        distinct.dedup();
        assert!(
            distinct.len() < disbursed,
            "some enterprises borrowed twice"
        );
    }

    #[test]
    fn the_demo_bank_is_past_the_warning_line_and_no_bank_past_the_breaker() {
        let (_, c) = planned();
        let rules = PoolRules::default();
        let total: i64 = c
            .loans
            .iter()
            .filter(|l| l.disbursed())
            .map(|l| l.terms.amount_fen)
            .sum();
        let grades: BTreeMap<&str, usize> = c.loans.iter().fold(BTreeMap::new(), |mut m, l| {
            *m.entry(l.grade.code()).or_default() += 1;
            m
        });
        eprintln!(
            "{} loans, {} disbursed, {total} fen; grades {grades:?}",
            c.loans.len(),
            c.loans.iter().filter(|l| l.disbursed()).count()
        );
        for (i, (outstanding, np)) in book(&c).into_iter().enumerate() {
            let bp = npl_bp(np, outstanding);
            eprintln!("bank {i}: outstanding {outstanding}, non-performing {np}, {bp} bp");
        }
        for (i, (outstanding, np)) in book(&c).into_iter().enumerate() {
            let bp = npl_bp(np, outstanding);
            let level = rules.risk(bp);
            if i == 0 {
                assert_eq!(level, RiskLevel::Warning, "{bp}");
                assert!((550..=750).contains(&bp), "{bp}");
            } else {
                assert!(bp < 450, "bank {i}: {bp}");
            }
        }
    }
}
