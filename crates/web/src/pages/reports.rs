//! Carriers' yearly reports: the bureau's overview of a year (with the carriers that are late), a
//! carrier manager's carriers with their report of the year, a report's page (the carrier's own
//! figures, the incubatees' indicators, the checks, submission, review and its history) and the
//! form for one incubatee's indicators.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::indicators::{FIELDS, Indicators};
use fruition_domain::report::ReportStatus;
use fruition_sheets::Value;
use fruition_store::carriers::{CURRENT, CarrierFilter};
use fruition_store::reports::{CarrierFigures, Report};
use serde::Deserialize;

use super::export::{self, Export};
use super::forms::{
    Fields, Opt, ctx, is_bureau, is_form_error, problem, refusal_page, whole_number,
};
use super::{
    Chrome, PageId, PageIds, error_page, form_token_ok, render, render_status, stale_form,
};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::reports::{self, Finding, IndicatorInput, ReportDetail, ReviewInput};
use fruition_app::{Ctx, carriers};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list))
        .route("/reports/export.xlsx", get(list))
        .route("/carriers/{id}/reports", post(open))
        .route("/reports/{id}", get(detail))
        .route("/reports/{id}/figures", post(set_figures))
        .route(
            "/reports/{id}/indicators/{enterprise_id}",
            get(indicators_form).post(save_indicators),
        )
        .route("/reports/{id}/submission", post(submit))
        .route("/reports/{id}/review", post(review))
        .route("/reports/late/reminders", post(remind_late))
        .route("/reports/deadline", post(set_deadline))
}

/// The carrier's own figures: field, catalogue key of the label.
const CARRIER_FIGURES: &[(&str, &str)] = &[
    ("staff", "fig_staff"),
    ("mentors", "fig_mentors"),
    ("floor_area_m2", "fig_floor_area"),
    ("incubation_fund_k", "fig_incubation_fund"),
    ("events_held", "fig_events_held"),
    ("graduated_in_year", "fig_graduated"),
];

fn figure_value(f: &CarrierFigures, field: &str) -> Option<i64> {
    match field {
        "staff" => f.staff,
        "mentors" => f.mentors,
        "floor_area_m2" => f.floor_area_m2,
        "incubation_fund_k" => f.incubation_fund_k,
        "events_held" => f.events_held,
        "graduated_in_year" => f.graduated_in_year,
        _ => None,
    }
}

fn opt_time(c: &Chrome, ms: Option<i64>) -> String {
    ms.map(|m| c.time(&m)).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reports.html")]
struct ListPage {
    c: Chrome,
    year: i64,
    years: Vec<Opt>,
    is_bureau: bool,
    rows: Vec<ReportLine>,
    late: Vec<LateLine>,
    /// A carrier manager's carriers with their report of the year.
    own: Vec<OwnLine>,
    can_file: bool,
    export_href: String,
    /// The year's deadline in words ("截止日期 2026年3月31日，还剩 30 天").
    deadline: String,
    /// The deadline's day, for the bureau's form.
    due_on: String,
    /// Whether the bureau set it (else the default).
    deadline_set: bool,
    /// The bureau may move it.
    can_set_deadline: bool,
}

struct ReportLine {
    id: i64,
    carrier_id: i64,
    carrier_name: String,
    status: &'static str,
    approved: bool,
    incubatees: i64,
    submitted: String,
    decided: String,
}

struct LateLine {
    carrier_id: i64,
    carrier_name: String,
    operator_name: String,
    status: &'static str,
    /// When the bureau last reminded it (China time).
    last_reminded: Option<String>,
}

struct OwnLine {
    carrier_id: i64,
    name: String,
    report: Option<ReportLine>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    year: Option<String>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ListQuery>,
    export: Export,
) -> Response {
    let ctx = ctx(&authed, ip);
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/reports",
        "yearly_reports",
    )
    .with_notice(q.done.as_deref());
    let this_year = fruition_app::clock::this_year();
    let asked = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (2000..=this_year).contains(y));
    let year = match asked {
        Some(y) => y,
        None => match fruition_app::statistics::default_year(&state).await {
            Ok(y) => y,
            Err(e) => return error_page(&state, &headers, Some(&authed), &e),
        },
    };
    match list_page(&state, &ctx, c, year).await {
        Ok(page) if export.xlsx => export_list(page),
        Ok(mut page) => {
            page.export_href = export.href;
            render(&page)
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx<'_>,
    c: Chrome,
    year: i64,
) -> Result<ListPage, AppError> {
    let lang = c.lang;
    let actor = ctx.principal.actor();
    let line = |r: Report| ReportLine {
        id: r.id,
        carrier_id: r.carrier_id,
        status: r.status.label(lang),
        approved: r.status == ReportStatus::Approved,
        incubatees: r.incubatees,
        submitted: opt_time(&c, r.submitted_at),
        decided: opt_time(&c, r.decided_at),
        carrier_name: r.carrier_name,
    };
    let mut found: Vec<ReportLine> = reports::list(state, ctx, Some(year), None)
        .await?
        .into_iter()
        .map(line)
        .collect();
    let bureau = can(&actor, &Action::ReviewReports).is_ok();
    let late = if bureau {
        reports::late(state, ctx, year)
            .await?
            .into_iter()
            .map(|l| LateLine {
                status: l
                    .status
                    .as_deref()
                    .and_then(ReportStatus::parse)
                    .map(|s| s.label(lang))
                    .unwrap_or_else(|| c.t("not_started")),
                carrier_id: l.carrier_id,
                carrier_name: l.carrier_name,
                operator_name: l.operator_name,
                last_reminded: l.last_reminded_ms.map(fruition_app::clock::local_time),
            })
            .collect()
    } else {
        Vec::new()
    };
    let can_file = can(
        &actor,
        &Action::FileReport {
            operator_org_id: actor.org_id,
        },
    )
    .is_ok();
    let own = if can_file {
        let filter = CarrierFilter {
            operator_org_id: Some(actor.org_id),
            ..Default::default()
        };
        carriers::list(state, ctx, CURRENT, &filter)
            .await?
            .into_iter()
            .filter(|carrier| carrier.established_year <= year)
            .map(|carrier| {
                let report = found
                    .iter()
                    .position(|r| r.carrier_id == carrier.id)
                    .map(|i| found.remove(i));
                OwnLine {
                    carrier_id: carrier.id,
                    name: carrier.name,
                    report,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let due = reports::deadline(state, year).await?;
    let this_year = fruition_app::clock::this_year();
    Ok(ListPage {
        deadline: c.deadline(&due.due_on, due.days_left),
        due_on: due.due_on,
        deadline_set: due.set,
        can_set_deadline: bureau,
        years: (this_year - 10..=this_year)
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), y == year))
            .collect(),
        is_bureau: bureau || is_bureau(ctx.principal),
        rows: found,
        late,
        own,
        can_file,
        year,
        export_href: String::new(),
        c,
    })
}

/// The year's reports (and, for the bureau, the carriers whose report is not approved) as a workbook.
fn export_list(page: ListPage) -> Response {
    let c = &page.c;
    let year = page.year;
    let reports: Vec<(&str, &ReportLine)> = page
        .own
        .iter()
        .filter_map(|o| o.report.as_ref().map(|r| (o.name.as_str(), r)))
        .chain(page.rows.iter().map(|r| (r.carrier_name.as_str(), r)))
        .collect();
    let mut sheets = vec![export::sheet(
        &format!("{} {year}", c.t("yearly_reports")),
        &reports,
        &[
            (c.t("carrier"), &|(name, _): &(&str, &ReportLine)| {
                Value::from(*name)
            }),
            (c.t("year"), &|_: &(&str, &ReportLine)| Value::from(year)),
            (c.t("status"), &|(_, r): &(&str, &ReportLine)| {
                Value::from(r.status)
            }),
            (c.t("incubatees"), &|(_, r): &(&str, &ReportLine)| {
                Value::from(r.incubatees)
            }),
            (c.t("submitted_at"), &|(_, r): &(&str, &ReportLine)| {
                Value::from(&r.submitted)
            }),
            (c.t("decided_at"), &|(_, r): &(&str, &ReportLine)| {
                Value::from(&r.decided)
            }),
        ],
    )];
    if page.is_bureau {
        sheets.push(export::sheet(
            &format!("{} {year}", c.t("late_carriers")),
            &page.late,
            &[
                (c.t("carrier"), &|l: &LateLine| Value::from(&l.carrier_name)),
                (c.t("operator"), &|l: &LateLine| {
                    Value::from(&l.operator_name)
                }),
                (c.t("status"), &|l: &LateLine| Value::from(l.status)),
            ],
        ));
    }
    export::download(&format!("{} {year}", c.t("yearly_reports")), &sheets)
}

#[derive(Deserialize)]
struct OpenForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    csrf_token: String,
}

/// Starts (or opens) a carrier's report for a year and goes to it.
async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(carrier_id): PageId,
    Form(f): Form<OpenForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let year = f.year.trim().parse::<i64>().unwrap_or(0);
    match reports::open(&state, &ctx, carrier_id, year).await {
        Ok(r) => Redirect::to(&format!("/reports/{}", r.id)).into_response(),
        Err(err) => refusal_page(&state, &headers, &authed, "/reports", &err),
    }
}

// ---------------------------------------------------------------------------------------------
// A report's page
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "report.html")]
struct DetailPage {
    c: Chrome,
    r: Report,
    status: &'static str,
    approved: bool,
    /// The carrier's managers may still change it.
    editable: bool,
    figures: Vec<FigureField>,
    columns: Vec<&'static str>,
    incubatees: Vec<Incubatee>,
    errors: Vec<FindingLine>,
    warnings: Vec<FindingLine>,
    /// The bureau, on a submitted report: return or approve.
    can_decide: bool,
    /// The bureau, on an approved report: reopen it for correction.
    can_reopen: bool,
    comment: String,
    reviews: Vec<ReviewLine>,
    /// The bureau's latest comment when it returned the report.
    returned_with: Option<String>,
}

struct FigureField {
    name: &'static str,
    label: &'static str,
    value: String,
}

struct Incubatee {
    enterprise_id: i64,
    name: String,
    uscc: String,
    cells: Vec<Cell>,
    missing: bool,
}

struct Cell {
    key: &'static str,
    value: i64,
    error: bool,
}

struct FindingLine {
    href: String,
    enterprise: String,
    message: String,
}

struct ReviewLine {
    action: &'static str,
    actor: String,
    at: String,
    comment: String,
}

#[derive(Deserialize, Default)]
struct FiguresForm {
    #[serde(default)]
    staff: String,
    #[serde(default)]
    mentors: String,
    #[serde(default)]
    floor_area_m2: String,
    #[serde(default)]
    incubation_fund_k: String,
    #[serde(default)]
    events_held: String,
    #[serde(default)]
    graduated_in_year: String,
    #[serde(default)]
    csrf_token: String,
}

impl FiguresForm {
    fn get(&self, field: &str) -> &str {
        match field {
            "staff" => &self.staff,
            "mentors" => &self.mentors,
            "floor_area_m2" => &self.floor_area_m2,
            "incubation_fund_k" => &self.incubation_fund_k,
            "events_held" => &self.events_held,
            "graduated_in_year" => &self.graduated_in_year,
            _ => "",
        }
    }
}

/// Where a finding's link goes: the incubatee's form while the report can be changed, else its
/// place in the table; the carrier's own figures' field.
fn finding_line(c: &Chrome, r: &Report, editable: bool, f: &Finding) -> FindingLine {
    let href = match f.enterprise_id {
        Some(e) if editable => format!("/reports/{}/indicators/{e}", r.id),
        Some(e) => format!("#f-enterprises.{e}.{}", f.field),
        None if f.field == "indicators" => "#incubatees".into(),
        None => format!("#f-{}", f.field),
    };
    FindingLine {
        href,
        enterprise: f
            .enterprise_name
            .clone()
            .unwrap_or_else(|| c.t("carrier_figures").to_string()),
        message: c.lang.pick(&f.zh, &f.en).to_string(),
    }
}

fn detail_page(
    mut c: Chrome,
    d: ReportDetail,
    figures_form: Option<FiguresForm>,
    comment: String,
) -> DetailPage {
    let lang = c.lang;
    let r = d.report;
    let editable = d.can_file && d.year_open && r.status.editable();
    if d.can_file && !d.year_open && c.notice.is_none() {
        c.notice = Some(c.t("report_year_closed"));
    }
    let figures_now = r.figures();
    let figures = CARRIER_FIGURES
        .iter()
        .map(|(name, key)| FigureField {
            name,
            label: c.t(key),
            value: match &figures_form {
                Some(f) => f.get(name).to_string(),
                None => figure_value(&figures_now, name)
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            },
        })
        .collect();
    let has_error = |e: i64, key: &str| {
        d.errors
            .iter()
            .any(|f| f.enterprise_id == Some(e) && f.field == key)
    };
    let mut incubatees: Vec<Incubatee> = d
        .rows
        .iter()
        .map(|row| {
            let ind = row.indicators();
            Incubatee {
                enterprise_id: row.enterprise_id,
                name: row.enterprise_name.clone(),
                uscc: row.uscc.clone(),
                cells: FIELDS
                    .iter()
                    .map(|(key, _, _)| Cell {
                        key,
                        value: ind.get(key).unwrap_or(0),
                        error: has_error(row.enterprise_id, key),
                    })
                    .collect(),
                missing: false,
            }
        })
        .collect();
    // Incubatees of the year without figures: the checks name them.
    for f in d.errors.iter().filter(|f| f.field == "indicators") {
        if let (Some(e), Some(name)) = (f.enterprise_id, &f.enterprise_name)
            && !incubatees.iter().any(|i| i.enterprise_id == e)
        {
            incubatees.push(Incubatee {
                enterprise_id: e,
                name: name.clone(),
                uscc: String::new(),
                cells: Vec::new(),
                missing: true,
            });
        }
    }
    incubatees.sort_by(|a, b| a.name.cmp(&b.name));
    let returned_with = (r.status == ReportStatus::Returned)
        .then(|| {
            d.reviews
                .iter()
                .rev()
                .find(|v| v.action == fruition_domain::report::ReviewAction::Return)
                .and_then(|v| v.comment.clone())
        })
        .flatten();
    c.title = format!("{} {} – {}", r.year, c.t("yearly_report"), r.carrier_name);
    DetailPage {
        status: r.status.label(lang),
        approved: r.status == ReportStatus::Approved,
        editable,
        figures,
        columns: FIELDS.iter().map(|(_, zh, en)| lang.pick(zh, en)).collect(),
        incubatees,
        errors: d
            .errors
            .iter()
            .map(|f| finding_line(&c, &r, editable, f))
            .collect(),
        warnings: d
            .warnings
            .iter()
            .map(|f| finding_line(&c, &r, editable, f))
            .collect(),
        can_decide: d.can_review && r.status == ReportStatus::Submitted,
        can_reopen: d.can_review && r.status == ReportStatus::Approved,
        comment,
        reviews: d
            .reviews
            .iter()
            .map(|v| ReviewLine {
                action: v.action.label(lang),
                actor: v.actor_login.clone().unwrap_or_default(),
                at: c.time(&v.at),
                comment: v.comment.clone().unwrap_or_default(),
            })
            .collect(),
        returned_with,
        r,
        c,
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let ctx = ctx(&authed, ip);
    let d = match reports::get(&state, &ctx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/reports/{id}"),
        "yearly_report",
    )
    .with_notice(q.done.as_deref());
    render(&detail_page(c, d, None, String::new()))
}

/// The report's page again with a form's errors (422 or 409).
async fn detail_with_errors(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ctx: &Ctx<'_>,
    id: i64,
    err: &AppError,
    (figures, comment): (Option<FiguresForm>, String),
) -> Response {
    let d = match reports::get(state, ctx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/reports/{id}"),
        "yearly_report",
    )
    .with_errors(err);
    render_status(err.status(), &detail_page(c, d, figures, comment))
}

async fn set_figures(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<FiguresForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let mut local = Vec::new();
    let figures = CarrierFigures {
        staff: whole_number(&mut local, "staff", &f.staff),
        mentors: whole_number(&mut local, "mentors", &f.mentors),
        floor_area_m2: whole_number(&mut local, "floor_area_m2", &f.floor_area_m2),
        incubation_fund_k: whole_number(&mut local, "incubation_fund_k", &f.incubation_fund_k),
        events_held: whole_number(&mut local, "events_held", &f.events_held),
        graduated_in_year: whole_number(&mut local, "graduated_in_year", &f.graduated_in_year),
    };
    let result = if local.is_empty() {
        reports::set_figures(&state, &ctx, id, &figures).await
    } else {
        Err(AppError::Invalid(local))
    };
    match result {
        Ok(_) => Redirect::to(&format!("/reports/{id}?done=saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (Some(f), String::new()),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    match reports::submit(&state, &ctx, id).await {
        Ok(_) => Redirect::to(&format!("/reports/{id}?done=report_submitted")).into_response(),
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (None, String::new()),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    csrf_token: String,
}

/// The bureau reminds one late carrier (`carrier_id`) or all of the year's late carriers.
async fn remind_late(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = super::forms::Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    let Ok(year) = fields.get("year").trim().parse::<i64>() else {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::invalid(fruition_domain::FieldError::new(
                "year",
                "invalid",
                "年度应为四位数字",
                "The year must be four digits",
            )),
        );
    };
    let carrier = fields.get("carrier_id").trim().parse::<i64>().ok();
    match fruition_app::reminders::late_reports(&state, &c, year, carrier).await {
        Ok(_) => Redirect::to(&format!("/reports?year={year}&done=reminded#late")).into_response(),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// The bureau sets the deadline of a year's reports.
async fn set_deadline(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = super::forms::Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let year = fields
        .get("year")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (2000..=fruition_app::clock::this_year()).contains(y))
        .unwrap_or_else(|| fruition_app::clock::this_year() - 1);
    match reports::set_deadline(&state, &ctx, year, &fields.get("due_on")).await {
        Ok(_) => Redirect::to(&format!("/reports?year={year}&done=saved")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/reports",
                "yearly_reports",
            )
            .with_errors(&e);
            match list_page(&state, &ctx, c, year).await {
                Ok(mut page) => {
                    page.due_on = fields.get("due_on");
                    super::render_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
                }
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ReviewForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let input = ReviewInput {
        step: f.action.clone(),
        comment: Some(f.comment.clone()),
    };
    match reports::review(&state, &ctx, id, &input).await {
        Ok(r) => {
            let done = match r.status {
                ReportStatus::Approved => "report_approved",
                ReportStatus::Returned if f.action == "reopen" => "report_reopened",
                _ => "report_returned",
            };
            Redirect::to(&format!("/reports/{id}?done={done}")).into_response()
        }
        Err(err) if is_form_error(&err) => {
            detail_with_errors(&state, &headers, &authed, &ctx, id, &err, (None, f.comment)).await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

// ---------------------------------------------------------------------------------------------
// One incubatee's indicators
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "report_indicators.html")]
struct IndicatorsPage {
    c: Chrome,
    r: Report,
    enterprise_id: i64,
    enterprise_name: String,
    fields: Vec<IndicatorField>,
}

struct IndicatorField {
    key: &'static str,
    label: &'static str,
    value: String,
}

/// The report (if this user files it and it can still change) and the incubatee's name and
/// current figures; `Err(Ok(response))` sends the user elsewhere.
async fn incubatee(
    state: &AppState,
    ctx: &Ctx<'_>,
    id: i64,
    enterprise_id: i64,
) -> Result<(Report, String, Option<Indicators>), Result<Response, AppError>> {
    let d = reports::get(state, ctx, id).await.map_err(Err)?;
    if !d.can_file {
        return Err(Err(AppError::Forbidden("forbidden")));
    }
    if !d.report.status.editable() || !d.year_open {
        return Err(Ok(Redirect::to(&format!("/reports/{id}")).into_response()));
    }
    if let Some(row) = d.rows.iter().find(|r| r.enterprise_id == enterprise_id) {
        return Ok((
            d.report.clone(),
            row.enterprise_name.clone(),
            Some(row.indicators()),
        ));
    }
    let missing = d
        .errors
        .iter()
        .find(|f| f.field == "indicators" && f.enterprise_id == Some(enterprise_id))
        .and_then(|f| f.enterprise_name.clone());
    match missing {
        Some(name) => Ok((d.report, name, None)),
        None => Err(Err(AppError::NotFound)),
    }
}

fn indicators_page(
    mut c: Chrome,
    r: Report,
    enterprise_id: i64,
    enterprise_name: String,
    value: impl Fn(&str) -> String,
) -> IndicatorsPage {
    let lang = c.lang;
    c.title = format!("{} – {} {}", enterprise_name, r.year, c.t("indicators"));
    IndicatorsPage {
        fields: FIELDS
            .iter()
            .map(|(key, zh, en)| IndicatorField {
                key,
                label: lang.pick(zh, en),
                value: value(key),
            })
            .collect(),
        r,
        enterprise_id,
        enterprise_name,
        c,
    }
}

async fn indicators_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, enterprise_id): PageIds,
) -> Response {
    let ctx = ctx(&authed, ip);
    let (r, name, current) = match incubatee(&state, &ctx, id, enterprise_id).await {
        Ok(x) => x,
        Err(Ok(res)) => return res,
        Err(Err(e)) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/reports/{id}/indicators/{enterprise_id}"),
        "indicators",
    );
    let page = indicators_page(c, r, enterprise_id, name, |key| {
        current
            .and_then(|i| i.get(key))
            .map(|v| v.to_string())
            .unwrap_or_default()
    });
    render(&page)
}

async fn save_indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, enterprise_id): PageIds,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let (r, name, _) = match incubatee(&state, &ctx, id, enterprise_id).await {
        Ok(x) => x,
        Err(Ok(res)) => return res,
        Err(Err(e)) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut local = Vec::new();
    let mut indicators = Indicators::default();
    for (key, zh, en) in FIELDS {
        let raw = fields.get(key);
        if raw.trim().is_empty() {
            local.push(problem(
                key,
                &format!("请填写{zh}（没有的填 0）"),
                &format!("Give {en} (0 if none)"),
            ));
        } else if let Some(v) = whole_number(&mut local, key, &raw) {
            indicators.set(key, v);
        }
    }
    let result = if local.is_empty() {
        let input = IndicatorInput {
            enterprise_id,
            indicators,
        };
        reports::set_indicators(&state, &ctx, id, &input).await
    } else {
        Err(AppError::Invalid(local))
    };
    match result {
        Ok(_) => Redirect::to(&format!("/reports/{id}?done=indicators_saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/reports/{id}/indicators/{enterprise_id}"),
                "indicators",
            )
            .with_errors(&err);
            let page = indicators_page(c, r, enterprise_id, name, |key| fields.get(key));
            render_status(err.status(), &page)
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}
