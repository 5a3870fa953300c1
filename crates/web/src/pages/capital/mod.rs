//! The pages of the capital side of incubation, one module per part, merged here: funds and
//! their portfolios (`funds`), investments and the investors' workbook (`investments`), the
//! city's capital statistics (`statistics`), 先投后股 projects (`grants`).
//!
//! What they share lives here: the capital pages' own links under the heading (each role sees
//! the pages it may use), the notices their forms' redirects may ask for, and fund sizes typed
//! in 万元 and kept in 千元. Every rule is the actions' (`fruition_app::capital`).

mod funds;
mod grants;
mod investments;
mod statistics;

use axum::Router;
use fruition_domain::authz::{Action, can};
use fruition_domain::org::OrgKind;
use fruition_store::users::Principal;

use super::Chrome;
use super::credit::{SubNav, wan};
use super::forms::problem;
use crate::AppState;
use crate::auth::Authed;
use crate::error::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(funds::router())
        .merge(investments::router())
        .merge(statistics::router())
        .merge(grants::router())
}

/// The bureau, who sees every fund's portfolio and keeps any fund.
pub fn bureau(p: &Principal) -> bool {
    can(
        &p.actor(),
        &Action::ViewPortfolio {
            manager_org_id: None,
        },
    )
    .is_ok()
}

/// Whether the user's organisation manages funds (an investor, or a carrier operator for its
/// seed funds) and the user may keep them: the investors' workbook is theirs.
pub fn keeps_own_funds(p: &Principal) -> bool {
    matches!(p.org_kind, OrgKind::Investor | OrgKind::CarrierOperator)
        && can(
            &p.actor(),
            &Action::KeepFund {
                manager_org_id: Some(p.user.org_id),
            },
        )
        .is_ok()
}

/// The capital pages' links under the heading, for the user's role; `current` is this page's.
pub fn subnav(c: &Chrome, authed: &Authed, current: &str) -> SubNav {
    let p = &authed.principal;
    let is_bureau = bureau(p);
    let mut links: Vec<(&str, &str)> = vec![("/capital/funds", "capital_funds")];
    // Investments: the bureau's every one, an enterprise's in it, a manager's of its funds.
    if is_bureau
        || matches!(
            p.org_kind,
            OrgKind::Investor | OrgKind::Enterprise | OrgKind::CarrierOperator
        )
    {
        links.push(("/capital/investments", "capital_investments"));
    }
    if is_bureau || keeps_own_funds(p) {
        links.push(("/capital/investments/import", "capital_import"));
    }
    if is_bureau || matches!(p.org_kind, OrgKind::Investor | OrgKind::Enterprise) {
        links.push(("/capital/grants", "capital_grants"));
    }
    links.push(("/capital/statistics", "capital_statistics"));
    links
        .into_iter()
        .map(|(href, key)| (href.to_string(), c.t(key), href == current))
        .collect()
}

/// Notices the capital pages' redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "fund_registered",
    "fund_saved",
    "investment_recorded",
    "exit_recorded",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
pub fn with_notice(c: Chrome, done: Option<&str>) -> Chrome {
    c.with_done(done, NOTICES)
}

/// 万元 in fen.
const WAN: i64 = 10_000 * 100;
/// 千元 in fen.
const K: i64 = 1_000 * 100;

/// A fund's figure typed in 万元 (`5000`, `12.5`): 千元, at most `max_k`. A figure kept in
/// 千元 takes at most one decimal of 万元.
pub fn wan_k(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    max_k: i64,
) -> Option<i64> {
    let fen = wan(problems, field, raw, max_k.saturating_mul(K))?;
    if fen % K != 0 {
        problems.push(problem(
            field,
            "以万元为单位时最多保留一位小数（如 12.5）",
            "At most one decimal in 10,000 yuan (like 12.5)",
        ));
        return None;
    }
    Some(fen / K)
}

/// Whether an amount typed in 万元 is zero (`0`, `0.0`, `0万元`).
pub fn is_zero(raw: &str) -> bool {
    let t = raw.trim();
    let number = t
        .strip_suffix("万元")
        .or_else(|| t.strip_suffix('万'))
        .unwrap_or(t);
    matches!(fruition_domain::money::parse_yuan("amount", number), Ok(0))
}

/// An optional figure in 万元: blank or 0 is 0; anything else as [`wan_k`], and a problem gives
/// -1 (which the action refuses too).
pub fn wan_k_or_zero(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    max_k: i64,
) -> i64 {
    if raw.trim().is_empty() || is_zero(raw) {
        return 0;
    }
    wan_k(problems, field, raw, max_k).unwrap_or(-1)
}

/// 千元 as 万元 typed back into a form or shown (`5000`, `12.5`).
pub fn k_as_wan(k: i64) -> String {
    if k % 10 == 0 {
        (k / 10).to_string()
    } else {
        format!("{}.{}", k / 10, (k % 10).abs())
    }
}

/// Fen as 万元 with two decimals for a workbook's number.
pub fn fen_as_wan(fen: i64) -> f64 {
    fen as f64 / WAN as f64
}

/// Basis points as a percentage (`12.34%`).
pub fn pct(bp: i64) -> String {
    fruition_domain::wording::bp_percent(bp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fund_figures_typed_in_wan_are_kept_in_thousands() {
        let mut p = Vec::new();
        assert_eq!(wan_k(&mut p, "size", "500", i64::MAX / K), Some(5_000));
        assert_eq!(wan_k(&mut p, "size", "12.5万元", i64::MAX / K), Some(125));
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(wan_k(&mut p, "size", "12.55", i64::MAX / K), None);
        assert!(p[0].zh.contains("一位小数"), "{}", p[0].zh);
        assert_eq!(wan_k(&mut p, "size", "abc", i64::MAX / K), None);
        assert_eq!(wan_k_or_zero(&mut p, "paid_in", "", 100), 0);
        assert_eq!(wan_k_or_zero(&mut p, "paid_in", "0", 100), 0);
        assert_eq!(wan_k_or_zero(&mut p, "paid_in", "0.0万元", 100), 0);
        assert!(is_zero("０") && !is_zero("0.1") && !is_zero("") && !is_zero("零"));
        assert_eq!(wan_k_or_zero(&mut p, "paid_in", "x", 100), -1);
        assert_eq!(k_as_wan(5_000), "500");
        assert_eq!(k_as_wan(125), "12.5");
        assert_eq!(pct(1234), "12.34%");
    }

    #[test]
    fn the_links_and_notices_are_translated() {
        let links = [
            "capital",
            "capital_funds",
            "capital_investments",
            "capital_import",
            "capital_grants",
            "capital_statistics",
        ];
        for key in NOTICES.iter().chain(links.iter()) {
            assert!(crate::i18n::lookup(key).is_some(), "{key}");
        }
    }
}
