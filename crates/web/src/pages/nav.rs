//! The main navigation: the platform's areas (登记与统计, 科技要素市场, 中试与仪器, 科技金融,
//! 服务与联盟, 系统管理), each a menu of the pages its user's role can use. An area none of whose
//! pages the user can use is not shown; an area of one page is a plain link. The menus are
//! `<details>` elements, so they open by keyboard and touch without script.

use fruition_domain::authz::{Action, OrgScope, can, org_scope};
use fruition_domain::org::OrgKind;

use crate::auth::Authed;

/// A link of the navigation.
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// An area of the navigation with its pages.
pub struct NavArea {
    pub label: &'static str,
    pub items: Vec<NavItem>,
}

impl NavArea {
    /// Whether the page shown is one of this area's.
    pub fn current(&self) -> bool {
        self.items.iter().any(|i| i.current)
    }
}

/// Whether `path` is the page `href` or one below it (`/market` is current on
/// `/market/listings/3`, not on `/marketing`).
fn under(path: &str, href: &str) -> bool {
    let href = href.split('?').next().unwrap_or(href);
    path == href || (path.starts_with(href) && path[href.len()..].starts_with('/'))
}

struct Builder<'a> {
    path: &'a str,
    t: &'a dyn Fn(&str) -> &'static str,
    areas: Vec<NavArea>,
}

impl Builder<'_> {
    /// An area with its pages: (href, label key, the paths that also count as this page).
    fn area(&mut self, key: &str, items: Vec<(String, &str, &[&str])>) {
        let items: Vec<NavItem> = items
            .into_iter()
            .map(|(href, label, also)| NavItem {
                current: under(self.path, &href) || also.iter().any(|p| under(self.path, p)),
                label: (self.t)(label),
                href,
            })
            .collect();
        if !items.is_empty() {
            self.areas.push(NavArea {
                label: (self.t)(key),
                items,
            });
        }
    }
}

/// The areas the signed-in user sees, in the order of the platform's work.
pub fn areas(a: &Authed, path: &str, t: &dyn Fn(&str) -> &'static str) -> Vec<NavArea> {
    let p = &a.principal;
    let actor = p.actor();
    let sees_all = org_scope(&actor) == OrgScope::All;
    let allowed = |action: Action| can(&actor, &action).is_ok();
    let mut b = Builder {
        path,
        t,
        areas: Vec::new(),
    };

    // 登记与统计: the registry, the carriers' yearly reports (载体年报), statistics and the city's
    // annual report (年度报告).
    let mut registry: Vec<(String, &str, &[&str])> = vec![("/carriers".into(), "carriers", &[])];
    if sees_all || p.org_kind == OrgKind::CarrierOperator {
        registry.push(("/enterprises".into(), "enterprises", &[]));
        registry.push(("/reports".into(), "yearly_reports", &[]));
    } else if let Some(id) = p.own_enterprise_id {
        registry.push((format!("/enterprises/{id}"), "your_enterprise", &[]));
    }
    if allowed(Action::ManageEvaluations) {
        registry.push(("/evaluations".into(), "evaluations_nav", &[]));
    }
    registry.push(("/statistics".into(), "statistics", &[]));
    registry.push(("/spinoffs".into(), "spinoffs", &[]));
    registry.push(("/annual-report".into(), "annual_report", &[]));
    b.area("area_registry", registry);

    // 科技要素市场: listings, deals and the registration of technology contracts.
    let mut market: Vec<(String, &str, &[&str])> = vec![("/market".into(), "market_listings", &[])];
    if let Some(href) = super::contracts::home_of(a) {
        market.push((href.into(), "contracts_nav_label", &["/contracts"]));
    }
    b.area("area_market", market);

    // 中试与仪器: the catalogue and, where the organisation has them, its resources, bookings,
    // bills, vouchers and claims.
    let pilot = super::pilot::links(a)
        .into_iter()
        .map(|(href, key)| (href.to_string(), key, &[][..]))
        .collect();
    b.area("pilot", pilot);

    // 科技金融: knowledge-value credit loans and the risk pool; funds, investments and 先投后股.
    let mut finance: Vec<(String, &str, &[&str])> = Vec::new();
    if super::credit::has_credit_pages(p) {
        finance.push(("/credit/loans".into(), "credit_nav", &["/credit"]));
    }
    finance.push(("/capital/funds".into(), "capital", &["/capital"]));
    b.area("area_finance", finance);

    // 服务与联盟: one-stop services, mentors and need collection, the carrier alliance.
    b.area(
        "area_services",
        vec![
            ("/services".into(), "services", &[]),
            (
                "/mentors".into(),
                "incubation_services",
                &["/mentorships", "/mentoring-statistics", "/campaigns"],
            ),
            ("/alliance".into(), "alliance", &[]),
        ],
    );

    // 系统管理: organisations and users, applications to join, reference data, the audit log.
    let mut admin: Vec<(String, &str, &[&str])> = Vec::new();
    if allowed(Action::CreateOrg) {
        admin.push(("/organisations".into(), "organisations", &[]));
    }
    if sees_all {
        admin.push(("/users".into(), "users", &[]));
    }
    if allowed(Action::ReviewApplications) {
        admin.push(("/applications".into(), "applications", &[]));
    }
    if allowed(Action::EditReference) {
        admin.push(("/reference".into(), "reference_data", &[]));
    }
    if allowed(Action::ViewAudit) {
        admin.push(("/audit".into(), "audit_log", &[]));
    }
    b.area("area_admin", admin);
    b.areas
}

#[cfg(test)]
mod tests {
    use super::under;

    #[test]
    fn a_page_is_under_its_own_address_and_the_ones_below() {
        assert!(under("/market", "/market"));
        assert!(under("/market/listings/3", "/market"));
        assert!(!under("/marketing", "/market"));
        assert!(under("/contracts/queue", "/contracts"));
        assert!(under("/reports", "/reports?year=2024"));
        assert!(!under("/", "/carriers"));
    }
}
