//! Staff training (从业人员培训): a year's courses, attendance, hours per person and per carrier
//! and certificates (expired ones marked, those expiring within 60 days flagged), the forms that
//! record them, and the workbook of the year's records and certificates.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_app::alliance::training::{
    self as actions, CertificateInput, CertificateView, CourseInput, TrainingOverview,
    TrainingQuery, TrainingRecordInput, TrainingRecordView,
};
use fruition_domain::alliance::CertificateKind;
use serde::Deserialize;

use super::super::credit::{SubNav, renamed};
use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, Typed, ctx};
use super::super::{Chrome, error_page, render_status};
use super::{number, opt_id, refusal, subnav, with_notice};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance/training", get(page))
        .route("/alliance/training/export.xlsx", get(page))
        .route("/alliance/training/courses", post(add_course))
        .route("/alliance/training/records", post(add_record))
        .route("/alliance/training/certificates", post(add_certificate))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "alliance_training.html")]
struct TrainingPage {
    c: Chrome,
    sub: SubNav,
    t: TrainingOverview,
    years: Vec<Opt>,
    courses: Vec<Opt>,
    carriers: Vec<Opt>,
    kinds: Vec<Opt>,
    export_href: String,
    /// A refused form's values, shown again.
    typed: Typed,
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<YearQuery>,
) -> Response {
    let year = q
        .year
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|y| (1949..=2200).contains(y))
        .unwrap_or_else(fruition_app::clock::this_year);
    if export.xlsx {
        let cx = ctx(&authed, ip);
        let c = Chrome::new(
            &state,
            &headers,
            Some(&authed),
            "/alliance/training",
            "alliance_training",
        );
        return match actions::overview(&state, &cx, &TrainingQuery { year: Some(year) }).await {
            Ok(t) => workbook(&c, &t),
            Err(e) => error_page(&state, &headers, Some(&authed), &e),
        };
    }
    show(&state, &headers, &authed, ip, year, q.done.as_deref(), None).await
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    year: i64,
    done: Option<&str>,
    refused: Option<(&AppError, Typed)>,
) -> Response {
    let (err, typed) = match refused {
        Some((e, typed)) => (Some(e), typed),
        None => (None, Typed::default()),
    };
    let cx = ctx(authed, ip);
    let t = match actions::overview(state, &cx, &TrainingQuery { year: Some(year) }).await {
        Ok(t) => t,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = with_notice(
        Chrome::new(
            state,
            headers,
            Some(authed),
            "/alliance/training",
            "alliance_training",
        ),
        done,
    );
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let this_year = fruition_app::clock::this_year();
    let lang = c.lang;
    let page = TrainingPage {
        sub: subnav(&c, "/alliance/training"),
        years: (2020.min(year)..=this_year.max(year))
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), y == year))
            .collect(),
        courses: t
            .courses
            .iter()
            .map(|k| {
                Opt::new(
                    k.id.to_string(),
                    format!("{} {}", k.held_on, k.title),
                    false,
                )
            })
            .collect(),
        carriers: t
            .keeps
            .iter()
            .map(|k| Opt::new(k.carrier_id.to_string(), k.carrier_name.clone(), false))
            .collect(),
        kinds: CertificateKind::ALL
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), false))
            .collect(),
        export_href: format!("/alliance/training/export.xlsx?year={year}"),
        t,
        c,
        typed,
    };
    let mut page = page;
    page.typed
        .select("/alliance/training/records", "course_id", &mut page.courses);
    page.typed.select(
        "/alliance/training/records",
        "carrier_id",
        &mut page.carriers,
    );
    page.typed
        .select("/alliance/training/certificates", "kind", &mut page.kinds);
    page.typed.select(
        "/alliance/training/certificates",
        "cert_carrier_id",
        &mut page.carriers,
    );
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

/// The year's attendance records and the certificates as a workbook.
fn workbook(c: &Chrome, t: &TrainingOverview) -> Response {
    let records = export::sheet(
        c.t("alliance_records"),
        &t.records,
        &[
            (c.t("alliance_course"), &|r: &TrainingRecordView| {
                r.course_title.as_str().into()
            }),
            (c.t("alliance_held_on"), &|r: &TrainingRecordView| {
                r.held_on.as_str().into()
            }),
            (c.t("alliance_person"), &|r: &TrainingRecordView| {
                r.person_name.as_str().into()
            }),
            (c.t("carrier"), &|r: &TrainingRecordView| {
                r.carrier_name.as_str().into()
            }),
            (c.t("alliance_hours"), &|r: &TrainingRecordView| {
                r.hours.into()
            }),
        ],
    );
    let certificates = export::sheet(
        c.t("alliance_certificates"),
        &t.certificates,
        &[
            (c.t("alliance_person"), &|s: &CertificateView| {
                s.person_name.as_str().into()
            }),
            (c.t("carrier"), &|s: &CertificateView| {
                s.carrier_name.as_str().into()
            }),
            (c.t("alliance_certificate_kind"), &|s: &CertificateView| {
                s.kind_label.as_str().into()
            }),
            (
                c.t("alliance_certificate_number"),
                &|s: &CertificateView| s.number.as_str().into(),
            ),
            (c.t("alliance_issuer"), &|s: &CertificateView| {
                s.issuer.as_str().into()
            }),
            (c.t("alliance_issued_on"), &|s: &CertificateView| {
                s.issued_on.as_str().into()
            }),
            (c.t("alliance_expires_on"), &|s: &CertificateView| {
                export::opt_text(&s.expires_on)
            }),
            (c.t("alliance_certificate_state"), &|s: &CertificateView| {
                s.state_label.as_str().into()
            }),
        ],
    );
    export::download(&format!("从业人员培训{}", t.year), &[records, certificates])
}

async fn finish<T>(form: &PageForm, result: Result<T, AppError>, done: &str) -> Response {
    let page = form;
    let done = done.to_string();
    form.finish(
        result,
        Vec::new(),
        |_| format!("/alliance/training?done={done}"),
        |e| async move {
            if let Some(r) = refusal(&page.state, &page.headers, &page.authed, &e) {
                return r;
            }
            let year = fruition_app::clock::this_year();
            show(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                year,
                None,
                Some((&e, Typed::of(page))),
            )
            .await
        },
    )
    .await
}

async fn add_course(form: PageForm) -> Response {
    let input = CourseInput {
        title: form.get("course_title"),
        provider: form.get("provider"),
        hours: number(&form.get("course_hours")),
        held_on: form.get("held_on"),
        audience: Some(form.get("audience")),
        event_id: opt_id(&form.get("event_id")),
    };
    let result = actions::add_course(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, &[("title", "course_title"), ("hours", "course_hours")]));
    finish(&form, result, "alliance_course_added").await
}

async fn add_record(form: PageForm) -> Response {
    let hours = form.get("record_hours");
    let input = TrainingRecordInput {
        course_id: number(&form.get("course_id")),
        person_name: form.get("person_name"),
        carrier_id: number(&form.get("carrier_id")),
        hours: if hours.trim().is_empty() {
            None
        } else {
            Some(number(&hours))
        },
    };
    let result = actions::add_record(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| {
            renamed(
                e,
                &[
                    ("hours", "record_hours"),
                    ("carrier_id", "record_carrier_id"),
                ],
            )
        });
    finish(&form, result, "alliance_record_added").await
}

async fn add_certificate(form: PageForm) -> Response {
    let input = CertificateInput {
        person_name: form.get("cert_person_name"),
        carrier_id: number(&form.get("cert_carrier_id")),
        kind: form.get("kind"),
        number: form.get("number"),
        issuer: form.get("issuer"),
        issued_on: form.get("issued_on"),
        expires_on: Some(form.get("expires_on")),
    };
    let result = actions::add_certificate(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| {
            renamed(
                e,
                &[
                    ("person_name", "cert_person_name"),
                    ("carrier_id", "cert_carrier_id"),
                ],
            )
        });
    finish(&form, result, "alliance_certificate_added").await
}
