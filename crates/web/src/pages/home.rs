//! The home page: what the platform is; for a signed-in user, the work queue — what waits for
//! them, each item a link to where it is done, with its count and how long the oldest waited.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_app::Ctx;
use fruition_app::queue::{self, Headline, WorkItem};
use fruition_domain::org::OrgKind;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::MaybeUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    city: String,
    org_id: Option<i64>,
    /// What waits, as the page shows it.
    work: Vec<WorkLine>,
    /// The user's organisation kind (what to suggest when nothing waits).
    org_kind: Option<OrgKind>,
    /// The city's headline figures (the bureau and viewers).
    headlines: Vec<HeadlineLine>,
}

/// A headline figure in words: "在孵企业 2,316 家", "知识价值信用贷款 12.3 亿元 / 目标 30 亿元（41.0%）".
struct HeadlineLine {
    label: &'static str,
    value: String,
    /// The target and progress, where there is one.
    target: Option<String>,
    /// Progress as a whole percentage for the bar, 0–100.
    percent: Option<i64>,
    href: String,
}

/// Fen as 亿元 or 万元 with one decimal, as a headline reads.
fn big_money(c: &Chrome, fen: i64) -> String {
    let yuan = fen as f64 / 100.0;
    if yuan.abs() >= 1e8 {
        format!("{:.2} {}", yuan / 1e8, c.t("yi_yuan"))
    } else {
        format!("{:.1} {}", yuan / 1e4, c.t("wan_yuan"))
    }
}

fn headline(c: &Chrome, h: Headline) -> HeadlineLine {
    let count = h
        .count
        .map(|n| format!("{n} {}", c.t(&format!("headline_{}_unit", h.kind.code()))));
    let money = h.amount_fen.map(|f| big_money(c, f));
    let value = match (count, money) {
        (Some(n), Some(m)) => format!("{n} · {m}"),
        (Some(n), None) => n,
        (None, Some(m)) => m,
        (None, None) => String::new(),
    };
    let target = h.target_fen.zip(h.progress_permille).map(|(t, p)| {
        format!(
            "{} {}（{}.{}%）",
            c.t("headline_target"),
            big_money(c, t),
            p / 10,
            p % 10
        )
    });
    HeadlineLine {
        label: c.t(&format!("headline_{}", h.kind.code())),
        value,
        target,
        percent: h.progress_permille.map(|p| (p / 10).clamp(0, 100)),
        href: h.href,
    }
}

/// One work item in words.
struct WorkLine {
    label: &'static str,
    count: i64,
    href: String,
    act: bool,
    /// "最早一件已等待 3 天", or an amount.
    detail: Option<String>,
}

fn line(c: &Chrome, item: WorkItem) -> WorkLine {
    let key = format!("work_{}", item.kind.code());
    let due = item
        .due_on
        .as_deref()
        .zip(item.days_left)
        .map(|(d, left)| c.deadline(d, left));
    let detail = match (item.amount_fen, item.oldest_days) {
        _ if due.is_some() => due,
        (Some(fen), _) => Some(format!(
            "{} {}",
            fruition_domain::money::yuan(fen),
            c.t("yuan")
        )),
        (None, Some(d)) if d > 0 => Some(format!(
            "{} {d} {}",
            c.t("work_oldest_waited"),
            c.t("work_days")
        )),
        _ => None,
    };
    WorkLine {
        label: c.t(&key),
        count: item.count,
        href: item.href,
        act: item.act,
        detail,
    }
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Response {
    if let Some(u) = &user
        && crate::auth::held_for_password_change(u)
    {
        return axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            "/account/password",
        ));
    }
    let c = Chrome::new(&state, &headers, user.as_ref(), "/", "home");
    let mut work = Vec::new();
    let mut headlines = Vec::new();
    if let Some(u) = &user {
        let ctx = Ctx {
            principal: &u.principal,
            ip: String::new(),
        };
        match queue::work(&state, &ctx).await {
            Ok(q) => {
                work = q.items.into_iter().map(|i| line(&c, i)).collect();
                headlines = q.headlines.into_iter().map(|h| headline(&c, h)).collect();
            }
            Err(err) => return super::error_page(&state, &headers, user.as_ref(), &err),
        }
    }
    let page = HomePage {
        city: state.settings.city_name.clone(),
        org_id: user.as_ref().map(|u| u.principal.user.org_id),
        org_kind: user.as_ref().map(|u| u.principal.org_kind),
        work,
        headlines,
        c,
    };
    render(&page)
}
