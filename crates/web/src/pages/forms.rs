//! What the pages' forms share: a posted form read and answered one way ([`PageForm`]), select
//! options, posted fields as name–value pairs, whole-number fields, merging a page's own problems
//! with an action's, the refusal page, and the choices of counties, zones and industrial chains.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use fruition_domain::authz::{OrgScope, org_scope};
use fruition_domain::lang::Lang;
use fruition_domain::org::OrgKind;
use fruition_store::users::Principal;

use super::{Chrome, error_page, form_token_ok, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, PageUser, client_ip};
use crate::error::HttpError;
use crate::error::{AppError, Problem};
use fruition_app::Ctx;
use fruition_app::reference::{self, Lookups};

/// One option of a select box, a checkbox group or a radio group.
pub struct Opt {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    pub fn new(code: impl Into<String>, label: impl Into<String>, selected: bool) -> Opt {
        Opt {
            code: code.into(),
            label: label.into(),
            selected,
        }
    }
}

/// What a refused form was typed with, shown again on the page that answers the refusal: the
/// path the form was posted to (a page with several forms knows which one it was) and its fields.
/// Empty when the page is shown fresh.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    path: String,
    fields: Vec<(String, String)>,
}

impl Typed {
    /// What a form posted to `path` sent (a multipart form, read apart).
    pub fn new(path: &str, fields: Vec<(String, String)>) -> Typed {
        Typed {
            path: path.to_string(),
            fields,
        }
    }

    pub fn of(form: &PageForm) -> Typed {
        Typed {
            path: form.path.clone(),
            fields: form.fields.0.clone(),
        }
    }

    /// What was typed into `name` of the form posted to `path`, else `fallback`.
    pub fn or(&self, path: &str, name: &str, fallback: &str) -> String {
        if self.path != path {
            return fallback.to_string();
        }
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or_else(|| fallback.to_string(), |(_, v)| v.clone())
    }

    /// What was typed into `name` of the form posted to `path` ("" when that form was not posted).
    pub fn v(&self, path: &str, name: &str) -> String {
        self.or(path, name, "")
    }

    /// Selects in `options` what was chosen under `name` in the form posted to `path`.
    pub fn select(&self, path: &str, name: &str, options: &mut [Opt]) {
        if self.path != path {
            return;
        }
        if let Some((_, chosen)) = self.fields.iter().find(|(k, _)| k == name) {
            for o in options.iter_mut() {
                o.selected = o.code == *chosen;
            }
        }
    }
}

/// A posted form as name–value pairs: checkbox groups repeat a name, which a struct cannot hold.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value sent under `name` ("" when none).
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every non-blank value sent under `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn token_ok(&self, headers: &HeaderMap, authed: &Authed) -> bool {
        form_token_ok(headers, Some(authed), &self.get("csrf_token"))
    }
}

pub fn problem(field: &str, zh: &str, en: &str) -> Problem {
    Problem {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

/// Reads a whole number typed into a form (full-width digits and thousands separators allowed):
/// blank is `None`; anything else that is not a number is a problem for `field`.
pub fn whole_number(problems: &mut Vec<Problem>, field: &str, raw: &str) -> Option<i64> {
    let cleaned: String = fruition_domain::uscc::half_width(raw)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    match cleaned.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(problem(
                field,
                &format!("“{}”不是整数", raw.trim()),
                &format!("“{}” is not a whole number", raw.trim()),
            ));
            None
        }
    }
}

/// 千元 as a person types and reads it in 万元 (the market's unit): 1500 → `150`, 1505 → `150.5`.
pub fn wan_text(k: i64) -> String {
    if k % 10 == 0 {
        (k / 10).to_string()
    } else {
        format!(
            "{}{}.{}",
            if k < 0 { "-" } else { "" },
            (k / 10).unsigned_abs(),
            (k % 10).unsigned_abs()
        )
    }
}

/// An amount typed in 万元 with at most one decimal (`150`, `150.5`, `1,200`), as 千元. Total:
/// anything else is None.
pub fn wan_to_k(raw: &str) -> Option<i64> {
    let cleaned: String = fruition_domain::uscc::half_width(raw)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，'))
        .collect();
    let (whole, tenth) = match cleaned.split_once('.') {
        Some((w, t)) if t.len() == 1 => (w, t),
        Some((w, "")) => (w, "0"),
        Some(_) => return None,
        None => (cleaned.as_str(), "0"),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 12 {
        return None;
    }
    let tenth: i64 = tenth
        .parse()
        .ok()
        .filter(|_| tenth.bytes().all(|b| b.is_ascii_digit()))?;
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(10)?
        .checked_add(tenth)
}

/// A form's amount in 万元 (blank: none), as 千元; a problem naming `field` when it cannot be read.
pub fn wan_number(problems: &mut Vec<Problem>, field: &str, raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    let k = wan_to_k(raw);
    if k.is_none() {
        problems.push(problem(
            field,
            &format!("“{}”不是以万元为单位的金额（最多一位小数）", raw.trim()),
            &format!(
                "“{}” is not an amount in 10,000 yuan (one decimal at most)",
                raw.trim()
            ),
        ));
    }
    k
}

/// The action's refusal with the page's own problems first; the page's problem wins for a field
/// both name.
pub fn merged(local: Vec<Problem>, err: AppError) -> AppError {
    if local.is_empty() {
        return err;
    }
    match err {
        AppError::Invalid(found) => {
            let mut all = local;
            for p in found {
                if !all.iter().any(|l| l.field == p.field) {
                    all.push(p);
                }
            }
            AppError::Invalid(all)
        }
        AppError::Conflict { .. } => AppError::Invalid(local),
        other => other,
    }
}

/// Whether an action's refusal belongs on the form (the rest become error pages).
pub fn is_form_error(err: &AppError) -> bool {
    matches!(
        err,
        AppError::Invalid(_) | AppError::Conflict { .. } | AppError::TooLarge { .. }
    )
}

/// An error page also for refusals that are about the request rather than a field (422, 409).
pub fn refusal_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    path: &str,
    err: &AppError,
) -> Response {
    if !is_form_error(err) {
        return error_page(state, headers, Some(authed), err);
    }
    let c = Chrome::new(state, headers, Some(authed), path, "error_title").with_errors(err);
    let page = super::ErrorPage {
        heading: c.t("error_title"),
        body: c.t("refused_body"),
        c,
    };
    render_status(err.status(), &page)
}

pub fn ctx(authed: &Authed, ip: String) -> Ctx<'_> {
    Ctx {
        principal: &authed.principal,
        ip,
    }
}

pub fn is_bureau(p: &Principal) -> bool {
    org_scope(&p.actor()) == OrgScope::All
}

/// Whether the user works for an organisation that operates carriers (its enterprises and reports).
pub fn operates_carriers(p: &Principal) -> bool {
    p.org_kind == OrgKind::CarrierOperator
}

/// The city's counties, by code.
pub fn county_opts(state: &AppState, selected: &str) -> Vec<Opt> {
    reference::counties(state)
        .into_iter()
        .map(|d| {
            let code = d.code.as_str();
            Opt::new(code, d.name, code == selected)
        })
        .collect()
}

/// The functional zones, by code (inactive ones only when already chosen).
pub fn zone_opts(lookups: &Lookups, lang: Lang, selected: &str) -> Vec<Opt> {
    lookups
        .zones
        .iter()
        .filter(|z| z.active || z.code == selected)
        .map(|z| {
            Opt::new(
                &z.code,
                lang.pick(&z.name_zh, &z.name_en),
                z.code == selected,
            )
        })
        .collect()
}

/// The technical fields of the national classification, in its order, by code.
pub fn tech_field_opts(lang: Lang, selected: &str) -> Vec<Opt> {
    let chosen = fruition_domain::tech_field::TechField::find(selected);
    fruition_domain::tech_field::TechField::ALL
        .iter()
        .map(|f| Opt::new(f.code(), f.label(lang), Some(*f) == chosen))
        .collect()
}

/// The industrial chains, by code (inactive ones only when already chosen).
pub fn chain_opts(lookups: &Lookups, lang: Lang, selected: &[String]) -> Vec<Opt> {
    lookups
        .chains
        .iter()
        .filter(|ch| ch.active || selected.contains(&ch.code))
        .map(|ch| {
            Opt::new(
                &ch.code,
                lang.pick(&ch.name_zh, &ch.name_en),
                selected.contains(&ch.code),
            )
        })
        .collect()
}

/// A posted page form, read and checked the same way for every form of every page: the
/// signed-in user (others go to the sign-in page), the client's address, the fields, and the form
/// token (a missing or stale one answers the "session expired" page before any action runs).
/// A handler builds the action's input from [`PageForm::fields`], runs the action and hands the
/// result to [`PageForm::finish`].
pub struct PageForm {
    pub state: AppState,
    pub headers: HeaderMap,
    pub authed: Authed,
    pub ip: String,
    /// The path the form was posted to (the page an error page belongs to).
    pub path: String,
    pub fields: Fields,
}

impl FromRequest<AppState> for PageForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let PageUser(authed) = PageUser::from_request_parts(&mut parts, state).await?;
        let ip = client_ip(&parts, state.web.trust_proxy);
        let headers = parts.headers.clone();
        let path = parts.uri.path().to_string();
        let req = Request::from_parts(parts, body);
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields = Fields(pairs);
        if !fields.token_ok(&headers, &authed) {
            return Err(stale_form(state, &headers, Some(&authed)));
        }
        Ok(PageForm {
            state: state.clone(),
            headers,
            authed,
            ip,
            path,
            fields,
        })
    }
}

impl PageForm {
    /// Who acts, for the actions.
    pub fn ctx(&self) -> Ctx<'_> {
        ctx(&self.authed, self.ip.clone())
    }

    /// The first value sent under `name` ("" when none).
    pub fn get(&self, name: &str) -> String {
        self.fields.get(name)
    }

    /// Ends a form's request the same way everywhere. `result` is the action's answer, with the
    /// problems the page itself found in what was typed (`local`, e.g. a number that is not one)
    /// merged in. On success: a redirect to what `done` names (a page with its notice). When the
    /// action refused the input (422) or the record's state (409): `again` shows the form once
    /// more with what was typed and the problems beside their fields. Any other refusal (403,
    /// 404, …) is an error page.
    pub async fn finish<T, Fut>(
        &self,
        result: Result<T, AppError>,
        local: Vec<Problem>,
        done: impl FnOnce(T) -> String,
        again: impl FnOnce(AppError) -> Fut,
    ) -> Response
    where
        Fut: std::future::Future<Output = Response>,
    {
        match result.map_err(|e| merged(local, e)) {
            Ok(v) => Redirect::to(&done(v)).into_response(),
            Err(e) if is_form_error(&e) => again(e).await,
            Err(e) => refusal_page(&self.state, &self.headers, &self.authed, &self.path, &e),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn wan_reads_and_writes() {
        use super::{wan_text, wan_to_k};
        assert_eq!(wan_to_k("150"), Some(1500));
        assert_eq!(wan_to_k("150.5"), Some(1505));
        assert_eq!(wan_to_k("１,200"), Some(12000));
        assert_eq!(wan_to_k("0.05"), None);
        assert_eq!(wan_to_k("-3"), None);
        assert_eq!(wan_to_k("abc"), None);
        assert_eq!(wan_to_k("99999999999999999"), None);
        assert_eq!(wan_text(1505), "150.5");
        assert_eq!(wan_text(1500), "150");
        for k in [0, 5, 10, 1505, 123_456] {
            assert_eq!(wan_to_k(&wan_text(k)), Some(k));
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_an_amount_or_not(s in "\\PC{0,30}") {
            let _ = super::wan_to_k(&s);
        }
    }
}
