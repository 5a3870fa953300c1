//! The pages of knowledge-value credit loans (知识价值信用贷款) and the risk compensation pool
//! (风险补偿资金池), one module per part, merged here: loans from application to default and
//! each role's queue of them (`loans`), compensation claims and recoveries (`claims`), the pool,
//! its ledger and the city's policy (`pool`), banks' non-performing ratios and breakers (`risk`),
//! the lending target (`target`), the pool's what-if for the bureau (`whatif`).
//!
//! What they share lives here: the credit pages' own links under the heading (each role sees the
//! pages it may use), the notices their forms' redirects may ask for, and amounts typed as 元,
//! 万元 or 亿元 and rates as percentages. Every rule is the actions' (`fruition_app::credit`).

mod claims;
mod loans;
mod pool;
mod risk;
pub mod scores;
mod target;
mod whatif;

use axum::Router;
use fruition_domain::authz::{Action, can};
use fruition_domain::org::OrgKind;
use fruition_store::users::Principal;

use super::Chrome;
use super::forms::problem;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, Problem};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(loans::router())
        .merge(claims::router())
        .merge(pool::router())
        .merge(risk::router())
        .merge(scores::router())
        .merge(target::router())
        .merge(whatif::router())
}

/// Whether the user's role has credit pages of its own (the main navigation's "金融服务"): an
/// enterprise's, a bank's or a guarantor's users, and the bureau's administrators and staff.
pub fn has_credit_pages(p: &Principal) -> bool {
    matches!(
        p.org_kind,
        OrgKind::Enterprise | OrgKind::Bank | OrgKind::Guarantor
    ) || bureau(p)
}

/// The bureau's administrators and staff, who keep the pool.
pub fn bureau(p: &Principal) -> bool {
    can(&p.actor(), &Action::ManageCreditPool).is_ok()
}

/// The credit pages' own links under the heading: (href, label, current).
pub type SubNav = Vec<(String, &'static str, bool)>;

/// The links the user's role may use; `current` is the one this page is (path and query).
pub fn subnav(c: &Chrome, authed: &Authed, current: &str) -> SubNav {
    let p = &authed.principal;
    let mut links: Vec<(&str, &str)> = Vec::new();
    if bureau(p) {
        links.extend([
            ("/credit/loans", "credit_all_loans"),
            ("/credit/loans?view=register", "loans_to_register"),
            ("/credit/claims", "claims_queue"),
            ("/credit/pool", "credit_pool"),
            ("/credit/pool/ledger", "pool_ledger"),
            ("/credit/policy", "credit_policy"),
            ("/credit/risk", "bank_risk"),
            ("/credit/scorecards", "credit_scorecards"),
            ("/credit/what-if", "whatif_link"),
        ]);
    } else {
        match p.org_kind {
            OrgKind::Enterprise => {
                if p.own_enterprise_id.is_some() {
                    links.push(("/credit/score", "credit_my_score"));
                }
                links.push(("/credit/loans", "my_loan_applications"));
                if can(
                    &p.actor(),
                    &Action::Borrow {
                        borrower_org_id: p.user.org_id,
                    },
                )
                .is_ok()
                {
                    links.push(("/credit/loans/new", "apply_for_loan"));
                }
            }
            OrgKind::Bank => links.extend([
                ("/credit/loans", "bank_loans"),
                ("/credit/claims", "my_claims"),
                ("/credit/risk", "my_risk"),
            ]),
            OrgKind::Guarantor => links.push(("/credit/loans", "guaranteed_loans")),
            _ => {}
        }
    }
    links.push(("/credit/target", "credit_target"));
    links
        .into_iter()
        .map(|(href, key)| (href.to_string(), c.t(key), href == current))
        .collect()
}

/// Notices the credit pages' redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "loan_applied",
    "loan_approved",
    "loan_declined",
    "loan_withdrawn",
    "loan_disbursed",
    "loan_registered",
    "loan_marked_overdue",
    "loan_cured",
    "loan_settled",
    "loan_defaulted",
    "repayment_recorded",
    "credit_claim_submitted",
    "credit_claim_approved",
    "credit_claim_rejected",
    "credit_claim_paid",
    "recovery_recorded",
    "funder_added",
    "funder_updated",
    "contribution_recorded",
    "policy_saved",
    "breaker_lifted",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
pub fn with_notice(c: Chrome, done: Option<&str>) -> Chrome {
    c.with_done(done, NOTICES)
}

/// An action's refusal with its fields named as the page's form names them (`requested_fen` is
/// the form's `requested`, typed in 万元); a field mapped to "" becomes a message of its own.
pub fn renamed(err: AppError, names: &[(&str, &str)]) -> AppError {
    let name = |f: String| {
        names
            .iter()
            .find(|(from, _)| *from == f)
            .map_or(f, |(_, to)| (*to).to_string())
    };
    match err {
        AppError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    field: name(p.field),
                    ..p
                })
                .collect(),
        ),
        AppError::Conflict { field, zh, en } => AppError::Conflict {
            field: name(field),
            zh,
            en,
        },
        other => other,
    }
}

const WAN: i64 = 10_000 * 100;
const YI: i64 = 10_000 * WAN;

/// An amount typed in 元 (`1200`, `1,200.50`): fen, or a problem for `field` (blank too).
pub fn yuan(problems: &mut Vec<Problem>, field: &'static str, raw: &str) -> Option<i64> {
    match fruition_domain::money::parse_yuan(field, raw) {
        Ok(0) => {
            problems.push(positive(field));
            None
        }
        Ok(fen) => Some(fen),
        Err(e) if e.code == "required" => {
            problems.push(required(field));
            None
        }
        Err(e) => {
            problems.push(e.into());
            None
        }
    }
}

/// An amount typed in 万元 (`200`, `12.5`): fen, at most `max_fen`.
pub fn wan(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    max_fen: i64,
) -> Option<i64> {
    scaled(problems, field, raw, ("万元", "万"), WAN, max_fen)
}

/// An amount typed in 亿元 (`30`, `2.5`): fen, at most `max_fen`.
pub fn yi(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    max_fen: i64,
) -> Option<i64> {
    scaled(problems, field, raw, ("亿元", "亿"), YI, max_fen)
}

fn scaled(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    (unit, short): (&str, &str),
    scale: i64,
    max_fen: i64,
) -> Option<i64> {
    let typed = raw.trim();
    let number = typed
        .strip_suffix(unit)
        .or_else(|| typed.strip_suffix(short))
        .unwrap_or(typed);
    let hundredths = match fruition_domain::money::parse_yuan(field, number) {
        Ok(h) => h,
        Err(e) => {
            problems.push(match e.code {
                "required" => required(field),
                "negative" => e.into(),
                "money_precision" => problem(
                    field,
                    &format!("以{unit}为单位时最多保留两位小数"),
                    "At most two decimals",
                ),
                _ => problem(
                    field,
                    &format!(
                        "“{}”不是有效金额，应为 200 或 12.5 这样的{unit}数",
                        echo(typed)
                    ),
                    &format!(
                        "“{}” is not an amount like 200 or 12.5 (in {})",
                        echo(typed),
                        if scale == WAN {
                            "10,000 yuan"
                        } else {
                            "100 million yuan"
                        }
                    ),
                ),
            });
            return None;
        }
    };
    let fen = hundredths.checked_mul(scale / 100);
    match fen {
        Some(0) => {
            problems.push(positive(field));
            None
        }
        Some(f) if f <= max_fen => Some(f),
        _ => {
            problems.push(problem(
                field,
                &format!("金额不能超过 {}", amount_words(max_fen)),
                &format!("The amount cannot exceed {} yuan", money_plain(max_fen)),
            ));
            None
        }
    }
}

/// 1 亿元, 100 亿元, 1 万亿元: a limit in words.
fn amount_words(fen: i64) -> String {
    if fen >= 10_000 * YI && fen % (10_000 * YI) == 0 {
        format!("{} 万亿元", fen / (10_000 * YI))
    } else if fen >= YI && fen % YI == 0 {
        format!("{} 亿元", fen / YI)
    } else if fen >= WAN && fen % WAN == 0 {
        format!("{} 万元", fen / WAN)
    } else {
        format!("{} 元", fruition_domain::money::yuan(fen))
    }
}

fn money_plain(fen: i64) -> String {
    fruition_domain::money::yuan(fen)
}

/// A rate typed as a percentage (`3.85`, `3.85%`): basis points.
pub fn percent(problems: &mut Vec<Problem>, field: &'static str, raw: &str) -> Option<i64> {
    let typed = raw.trim();
    let number = typed
        .strip_suffix('%')
        .or_else(|| typed.strip_suffix('％'))
        .unwrap_or(typed);
    match fruition_domain::money::parse_yuan(field, number) {
        Ok(bp) => Some(bp),
        Err(e) => {
            problems.push(match e.code {
                "required" => required(field),
                "negative" => problem(field, "不能为负数", "Cannot be negative"),
                "money_precision" => problem(
                    field,
                    "百分数最多保留两位小数（如 3.85）",
                    "A percentage has at most two decimals (like 3.85)",
                ),
                _ => problem(
                    field,
                    &format!("“{}”不是有效的百分数，应为 3.85 这样的数", echo(typed)),
                    &format!("“{}” is not a percentage like 3.85", echo(typed)),
                ),
            });
            None
        }
    }
}

use fruition_domain::echo;

fn required(field: &str) -> Problem {
    problem(field, "必填", "Required")
}

fn positive(field: &str) -> Problem {
    problem(field, "金额应大于零", "The amount must be above zero")
}

/// Fen as 万元 typed back into a form (`200`, `12.5`).
pub fn plain_wan(fen: i64) -> String {
    plain_scaled(fen, WAN)
}

/// Fen as 亿元 typed back into a form (`30`).
pub fn plain_yi(fen: i64) -> String {
    plain_scaled(fen, YI)
}

fn plain_scaled(fen: i64, scale: i64) -> String {
    let whole = fen / scale;
    let rest = fen % scale;
    if rest == 0 {
        return whole.to_string();
    }
    // Up to the two decimals a form takes; more are cut (never shown for stored values that
    // came from a form).
    let hundredths = rest * 100 / scale;
    let s = format!("{whole}.{hundredths:02}");
    s.trim_end_matches('0').to_string()
}

/// Basis points as a percentage typed back into a form (`3.85`, `5`).
pub fn plain_pct(bp: i64) -> String {
    if bp % 100 == 0 {
        (bp / 100).to_string()
    } else {
        format!("{}.{:02}", bp / 100, bp % 100)
            .trim_end_matches('0')
            .to_string()
    }
}

/// 万元 with up to two decimals, as a page shows a large amount (`200万元`).
pub fn wan_label(fen: i64) -> String {
    format!("{}万元", plain_wan(fen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_wan_and_yi_and_rates_in_percent() {
        let mut p = Vec::new();
        assert_eq!(wan(&mut p, "a", "200", i64::MAX), Some(200 * WAN));
        assert_eq!(wan(&mut p, "a", "12.5万元", i64::MAX), Some(125 * WAN / 10));
        assert_eq!(wan(&mut p, "a", "１２万", i64::MAX), Some(12 * WAN));
        assert_eq!(yi(&mut p, "a", "30", i64::MAX), Some(30 * YI));
        assert_eq!(percent(&mut p, "r", "3.85"), Some(385));
        assert_eq!(percent(&mut p, "r", "4%"), Some(400));
        assert_eq!(yuan(&mut p, "y", "1,200.50"), Some(120_050));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(wan(&mut p, "a", "abc", i64::MAX), None);
        assert!(p[0].zh.contains("万元数"), "{}", p[0].zh);
        assert_eq!(wan(&mut p, "a", "20000", 10_000 * WAN), None);
        assert_eq!(p[1].zh, "金额不能超过 1 亿元");
        assert_eq!(wan(&mut p, "a", "", i64::MAX), None);
        assert_eq!(p[2].zh, "必填");
        assert_eq!(wan(&mut p, "a", "0", i64::MAX), None);
        assert_eq!(percent(&mut p, "r", "3.855"), None);
        assert_eq!(p.len(), 5);
        assert_eq!(plain_wan(125 * WAN / 10), "12.5");
        assert_eq!(plain_wan(200 * WAN), "200");
        assert_eq!(plain_yi(30 * YI), "30");
        assert_eq!(plain_pct(385), "3.85");
        assert_eq!(plain_pct(150), "1.5");
        assert_eq!(plain_pct(500), "5");
    }
}
