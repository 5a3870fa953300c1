//! The server-rendered pages (askama templates in `crates/web/templates/`), Chinese first.
//! They work without JavaScript: every action is a link or a form.

mod account;
mod alliance;
mod applications;
mod audit;
mod bookings;
mod campaigns;
mod capital;
mod carriers;
pub mod contracts;
mod credit;
mod deals;
mod enterprises;
mod evaluations;
pub mod export;
mod forms;
mod home;
mod import;
mod inbox;
mod market;
mod mentors;
mod nav;
mod organisations;
mod pilot;
pub mod reference;
mod reports;
mod services;
pub mod session;
mod spinoffs;
mod statistics;
mod users;
mod vouchers;

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use fruition_domain::lang::Lang;

use crate::AppState;
use crate::auth::{Authed, Via, cookie_value};
use crate::error::HttpError;
use crate::error::{AppError, Problem};
use crate::i18n::{self, LANG_COOKIE};
use fruition_app::auth::secret::{constant_time_eq, new_token};
pub use nav::{NavArea, NavItem};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(session::router())
        .merge(account::router())
        .merge(organisations::router())
        .merge(applications::router())
        .merge(audit::router())
        .merge(statistics::router())
        .merge(reference::router())
        .merge(spinoffs::router())
        .merge(users::router())
        .merge(carriers::router())
        .merge(enterprises::router())
        .merge(reports::router())
        .merge(import::router())
        .merge(market::router())
        .merge(inbox::router())
        .merge(deals::router())
        .merge(contracts::router())
        .merge(pilot::router())
        .merge(bookings::router())
        .merge(vouchers::router())
        .merge(capital::router())
        .merge(services::router())
        .merge(alliance::router())
        .merge(credit::router())
        .merge(campaigns::router())
        .merge(evaluations::router())
        .merge(mentors::router())
        .route("/static/app.css", get(stylesheet))
        .route("/lang/{tag}", get(switch_lang))
        .fallback(not_found)
}

/// The cookie holding the form token of pages used before signing in (sign-in, apply to join).
pub const FORM_COOKIE: &str = "fruition_form";

/// What every page shows around its content: language, title, the signed-in user, navigation,
/// the form token, the demo banner, a notice, and the form's errors.
pub struct Chrome {
    pub lang: Lang,
    pub title: String,
    pub user: Option<ChromeUser>,
    /// The navigation's areas, each a menu of pages (empty before signing in).
    pub areas: Vec<NavArea>,
    /// The signed-in user's own organisation's page.
    pub own_org: String,
    pub csrf: String,
    pub demo: bool,
    pub notice: Option<&'static str>,
    pub path: String,
    pub errors: Vec<(String, String)>,
    /// The signed-in user's unread inbox messages (a badge on 消息).
    pub unread: i64,
}

pub struct ChromeUser {
    pub display_name: String,
    pub login: String,
    pub org_name: String,
    pub role: &'static str,
}

impl Chrome {
    /// A page's surroundings for this request. `title_key` is a catalogue key.
    pub fn new(
        state: &AppState,
        headers: &HeaderMap,
        authed: Option<&Authed>,
        path: &str,
        title_key: &str,
    ) -> Chrome {
        let lang = i18n::lang_of(headers);
        let t = |k: &str| i18n::t(lang, k);
        let user = authed.map(|a| {
            let p = &a.principal;
            ChromeUser {
                display_name: p.user.display_name.clone(),
                login: p.user.login.clone(),
                org_name: p.org_name.clone(),
                role: p.user.role.label(lang),
            }
        });
        let csrf = match authed.map(|a| &a.via) {
            Some(Via::Session { csrf, .. }) => csrf.clone(),
            _ => cookie_value(headers, FORM_COOKIE)
                .unwrap_or_default()
                .to_string(),
        };
        let areas = authed.map_or_else(Vec::new, |a| nav::areas(a, path, &t));
        Chrome {
            lang,
            title: t(title_key).to_string(),
            user,
            areas,
            own_org: authed.map_or_else(String::new, |a| {
                format!("/organisations/{}", a.principal.user.org_id)
            }),
            csrf,
            demo: state.settings.demo,
            notice: None,
            path: path.to_string(),
            errors: Vec::new(),
            unread: authed.and_then(|a| a.nav).map_or(0, |n| n.unread),
        }
    }

    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }

    /// The message for a field, if the form had an error there.
    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// The notice a redirect asked for (`?done=…`), when it is one of the page's `allowed` keys
    /// (anything else shows nothing).
    pub fn with_done(mut self, done: Option<&str>, allowed: &[&str]) -> Chrome {
        if let Some(key) = done.filter(|k| allowed.contains(k)) {
            self.notice = Some(self.t(key));
        }
        self
    }

    pub fn with_notice(mut self, key: Option<&str>) -> Chrome {
        self.notice = key
            .and_then(notice_text)
            .map(|(zh, en)| self.lang.pick(zh, en));
        self
    }

    /// Fills the error summary from an action's refusal; other errors become error pages.
    pub fn with_errors(mut self, err: &AppError) -> Chrome {
        let lang = self.lang;
        match err {
            AppError::Invalid(problems) => {
                self.errors = problems
                    .iter()
                    .map(|Problem { field, zh, en }| (field.clone(), lang.pick(zh, en).to_string()))
                    .collect();
            }
            AppError::Conflict { field, zh, en } | AppError::TooLarge { field, zh, en } => {
                self.errors = vec![(field.clone(), lang.pick(zh, en).to_string())]
            }
            other => {
                let body = other.body(lang);
                self.errors = vec![("".into(), body.error.message)];
            }
        }
        self
    }

    pub fn lang_tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// The link that switches to the other language and comes back here.
    pub fn other_lang_href(&self) -> String {
        let other = match self.lang {
            Lang::ZhCn => "en",
            Lang::En => "zh-CN",
        };
        format!("/lang/{other}?back={}", url_encode(&self.path))
    }

    pub fn time(&self, ms: &i64) -> String {
        fruition_app::clock::local_time(*ms)
    }

    /// A record's business number, made at `at` (ms): `kind` is booking, deal, voucher_claim,
    /// credit_claim or service_request (预约 YY2026-000123 …).
    pub fn no(&self, kind: &str, at: &dyn Moment, id: &i64) -> String {
        use fruition_domain::numbers::Numbered;
        let k = match kind {
            "booking" => Numbered::Booking,
            "deal" => Numbered::Deal,
            "voucher_claim" => Numbered::VoucherClaim,
            "credit_claim" => Numbered::CompensationClaim,
            "service_request" => Numbered::ServiceRequest,
            _ => return format!("#{id}"),
        };
        k.number_at(at.ms(), *id)
    }

    /// A deadline and what is left of it: "截止 2026年3月31日，还剩 30 天", "今天截止",
    /// "截止 2026年3月31日，已逾期 2 天".
    pub fn deadline(&self, due_on: &str, days_left: i64) -> String {
        let day = match (self.lang, fruition_domain::date::IsoDate::parse(due_on)) {
            (Lang::ZhCn, Ok(d)) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            _ => due_on.to_string(),
        };
        let left = fruition_domain::report::days_left_words(days_left, self.lang);
        let sep = self.lang.pick("，", ", ");
        format!("{} {day}{sep}{left}", self.t("deadline"))
    }

    pub fn opt_time(&self, ms: &Option<i64>) -> String {
        ms.map(fruition_app::clock::local_time)
            .unwrap_or_else(|| self.t("never").to_string())
    }
}

/// A moment as the pages receive it: epoch milliseconds (store rows) or RFC 3339 (API views).
pub trait Moment {
    fn ms(&self) -> i64;
}

impl Moment for i64 {
    fn ms(&self) -> i64 {
        *self
    }
}

impl Moment for String {
    fn ms(&self) -> i64 {
        time::OffsetDateTime::parse(self, &time::format_description::well_known::Rfc3339)
            .ok()
            .and_then(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok())
            .unwrap_or(0)
    }
}

/// Notices a redirect may ask a page to show (`?done=…`): only these keys, so no text can be injected.
fn notice_text(key: &str) -> Option<(&'static str, &'static str)> {
    const NOTICES: &[&str] = &[
        "saved",
        "password_changed",
        "created",
        "user_deactivated",
        "user_reactivated",
        "org_deactivated",
        "org_reactivated",
        "approved_created",
        "rating_recorded",
        "carrier_revoked",
        "carrier_restored",
        "entered",
        "exited",
        "indicators_saved",
        "report_submitted",
        "report_returned",
        "report_approved",
        "report_reopened",
        "listing_published",
        "listing_closed",
        "listing_hidden",
        "listing_restored",
        "feedback_saved",
        "search_saved",
        "search_deleted",
        "inbox_all_read",
        "reminded",
        "deal_opened",
        "message_sent",
        "terms_proposed",
        "terms_accepted",
        "deal_withdrawn",
        "contract_registered",
        "registration_refused",
        "outcome_recorded",
        "booking_requested",
        "booking_confirmed",
        "booking_declined",
        "booking_cancelled",
        "use_recorded",
        "bill_issued",
        "resource_withdrawn",
        "resource_offered",
        "maintenance_added",
        "maintenance_removed",
        "payment_recorded",
        "refund_recorded",
        "voucher_issued",
        "voucher_revoked",
        "claim_submitted",
        "claim_approved",
        "claim_rejected",
        "claim_paid",
        "credit_scorecard_created",
        "credit_rescored",
        "credit_exclusion_noted",
        "credit_exclusion_lifted",
    ];
    NOTICES.contains(&key).then(|| i18n::lookup(key)).flatten()
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// Renders a template with a status (a form with errors answers 422, as the API does).
pub fn render_status<T: Template>(status: StatusCode, template: &T) -> Response {
    let mut res = render(template);
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub heading: &'static str,
    pub body: &'static str,
}

/// An error page for an action's refusal that is not about a form field.
pub fn error_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: Option<&Authed>,
    err: &AppError,
) -> Response {
    let (status, title, body) = match err {
        AppError::NotFound => (StatusCode::NOT_FOUND, "not_found_title", "not_found_body"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden_title", "forbidden_body"),
        AppError::TooManyRequests { .. } | AppError::Busy { .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_title",
            "error_body",
        ),
        AppError::Unauthorized => return Redirect::to("/sign-in").into_response(),
        AppError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "error_title", "refused_body"),
        _ => {
            if let AppError::Internal(e) = err {
                tracing::error!(error = %e, "page failed");
            }
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error_title",
                "error_body",
            )
        }
    };
    let c = Chrome::new(state, headers, authed, "", title);
    let page = ErrorPage {
        heading: c.t(title),
        body: c.t(body),
        c,
    };
    let mut res = render_status(status, &page);
    crate::error::with_retry_after(&mut res, err);
    res
}

async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: HeaderMap,
    crate::auth::MaybeUser(user): crate::auth::MaybeUser,
) -> Response {
    error_page(&state, &headers, user.as_ref(), &AppError::NotFound)
}

/// A record's id in a page's path; anything that is not one (letters, a number too large for an
/// id) is a record that does not exist: the not-found page, as for an id nobody has.
pub struct PageId(pub i64);

/// Two ids in a page's path (`/market/listings/{id}/suggestions/{suggested}`); as [`PageId`].
pub struct PageIds(pub i64, pub i64);

async fn not_found_page(parts: &mut axum::http::request::Parts, state: &AppState) -> Response {
    use axum::extract::FromRequestParts;
    let user = crate::auth::MaybeUser::from_request_parts(parts, state)
        .await
        .map(|crate::auth::MaybeUser(u)| u)
        .unwrap_or(None);
    error_page(state, &parts.headers, user.as_ref(), &AppError::NotFound)
}

impl axum::extract::FromRequestParts<AppState> for PageId {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(PageId(id)),
            Err(_) => Err(not_found_page(parts, state).await),
        }
    }
}

impl axum::extract::FromRequestParts<AppState> for PageIds {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path((a, b))) => Ok(PageIds(a, b)),
            Err(_) => Err(not_found_page(parts, state).await),
        }
    }
}

/// A page's query string. One that cannot be read (a number that is no number, a choice that
/// is none of the choices) answers the error page in the visitor's language with 400, never
/// axum's plain-text rejection.
pub struct PageQuery<T>(pub T);

impl<T> axum::extract::FromRequestParts<AppState> for PageQuery<T>
where
    T: serde::de::DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let read = axum::extract::Query::<T>::try_from_uri(&parts.uri).ok();
        if let Some(axum::extract::Query(q)) = read {
            return Ok(PageQuery(q));
        }
        let user = crate::auth::MaybeUser::from_request_parts(parts, state)
            .await
            .map(|crate::auth::MaybeUser(u)| u)
            .unwrap_or(None);
        Err(bad_address_page(state, &parts.headers, user.as_ref()))
    }
}

/// A 400 page for an address whose query string the page cannot read.
pub fn bad_address_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: Option<&Authed>,
) -> Response {
    let c = Chrome::new(state, headers, authed, "", "bad_address_title");
    let page = ErrorPage {
        heading: c.t("bad_address_title"),
        body: c.t("bad_address_body"),
        c,
    };
    render_status(StatusCode::BAD_REQUEST, &page)
}

/// Checks the form token a page form sent: the session's when signed in, else the pre-session cookie's.
pub fn form_token_ok(headers: &HeaderMap, authed: Option<&Authed>, sent: &str) -> bool {
    let expected = match authed.map(|a| &a.via) {
        Some(Via::Session { csrf, .. }) => csrf.as_str(),
        _ => cookie_value(headers, FORM_COOKIE).unwrap_or(""),
    };
    !expected.is_empty() && constant_time_eq(expected, sent)
}

/// Sets the pre-session form cookie on a response when the visitor has none yet; returns the token.
pub fn ensure_form_cookie(headers: &HeaderMap, secure: bool) -> (String, Option<HeaderValue>) {
    if let Some(existing) = cookie_value(headers, FORM_COOKIE).filter(|v| v.len() == 64) {
        return (existing.to_string(), None);
    }
    let token = new_token();
    let secure_attr = if secure { "; Secure" } else { "" };
    let cookie = format!("{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure_attr}");
    (token, HeaderValue::from_str(&cookie).ok())
}

pub fn with_cookie(mut res: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// A 403 page for a form whose token is missing or stale.
pub fn stale_form(state: &AppState, headers: &HeaderMap, authed: Option<&Authed>) -> Response {
    let c = Chrome::new(state, headers, authed, "", "error_title");
    let page = ErrorPage {
        heading: c.t("error_title"),
        body: c.t("session_expired"),
        c,
    };
    render_status(StatusCode::FORBIDDEN, &page)
}

/// A path on this site to return to (`?back=`, the sign-in page's `next`); anything else goes
/// home (`/`). Kept only: one `/` followed by something other than `/` or `\`, with no control
/// character anywhere (browsers drop tabs and line breaks, so `/<TAB>/evil.example` would be
/// `//evil.example`, another site) and no backslash (which browsers read as `/`). Spaces and
/// characters beyond ASCII are percent-encoded, so the result is always a valid `Location`.
pub fn safe_back(back: Option<&str>) -> String {
    let Some(b) = back else {
        return "/".into();
    };
    let mut chars = b.chars();
    let same_origin_path = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !b.chars().any(|c| c.is_control() || c == '\\');
    if !same_origin_path {
        return "/".into();
    }
    let mut out = String::with_capacity(b.len());
    for c in b.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

async fn switch_lang(
    axum::extract::Path(tag): axum::extract::Path<String>,
    PageQuery(q): PageQuery<Back>,
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Response {
    let lang = Lang::from_tag(&tag).unwrap_or_default();
    let secure_attr = if state.web.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure_attr}",
        lang.tag()
    );
    let mut res = Redirect::to(&safe_back(q.back.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

pub use fruition_app::links::url_encode;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_stay_on_this_site() {
        assert_eq!(safe_back(Some("/account")), "/account");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(None), "/");
        // Browsers drop tabs and line breaks: `/<TAB>/host` is `//host`.
        assert_eq!(safe_back(Some("/\t/evil.example")), "/");
        assert_eq!(safe_back(Some("/\n/evil.example")), "/");
        assert_eq!(safe_back(Some("/\r\n/evil.example")), "/");
        assert_eq!(safe_back(Some("/a\0b")), "/");
        assert_eq!(safe_back(Some("/a\\b")), "/");
        assert_eq!(safe_back(Some("\\\\evil.example")), "/");
        assert_eq!(safe_back(Some("")), "/");
        assert_eq!(
            safe_back(Some("/market?q=牵引 变流")),
            "/market?q=%E7%89%B5%E5%BC%95%20%E5%8F%98%E6%B5%81"
        );
        assert_eq!(
            safe_back(Some("/audit?entity=user&x=1")),
            "/audit?entity=user&x=1"
        );
    }

    /// What `safe_back` answers for any input is home or a path on this site that a browser
    /// cannot read as another site, and always a valid `Location`.
    fn assert_safe(input: &str) {
        let out = safe_back(Some(input));
        assert!(
            axum::http::HeaderValue::from_str(&out).is_ok(),
            "{input:?} gave an invalid Location {out:?}"
        );
        assert!(
            !out.chars().any(|c| c.is_control() || c == '\\'),
            "{input:?} gave {out:?}"
        );
        if out != "/" {
            let mut chars = out.chars();
            assert_eq!(chars.next(), Some('/'), "{input:?} gave {out:?}");
            let second = chars.next();
            assert!(
                second.is_some_and(|c| c != '/' && c != '\\'),
                "{input:?} gave {out:?}"
            );
        }
        let redirect = axum::response::Redirect::to(&out).into_response();
        assert_eq!(redirect.headers()["location"], out.as_str());
    }

    proptest::proptest! {
        #[test]
        fn safe_back_never_leaves_the_site(input in proptest::prelude::any::<String>()) {
            assert_safe(&input);
        }

        #[test]
        fn safe_back_never_leaves_the_site_from_slashes(
            input in "[/\\\\\t\n\r\x00\x0b\x7f\u{85} a-z.:%?#@\u{3000}\u{2028}牵]{0,12}"
        ) {
            assert_safe(&input);
        }

        #[test]
        fn safe_back_keeps_plain_local_paths(input in "/[a-z0-9][a-z0-9/?=&._-]{0,20}") {
            proptest::prop_assert_eq!(safe_back(Some(&input)), input);
        }
    }
}
