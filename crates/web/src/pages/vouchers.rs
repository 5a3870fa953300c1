//! The pages of pay after use (先用后付) and innovation vouchers (科技创新券): bills with their
//! payments and the payment forms, vouchers with their ledgers (and the bureau's issue form), and
//! the owners' reimbursement claims with the bureau's decisions.
//!
//! Every rule is the actions' (`actions::billing`, `actions::vouchers`, the same the API calls).

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::billing::BillSubject;
use fruition_domain::billing::{BillKind, PaymentInput};
use fruition_domain::date::IsoDate;
use fruition_domain::org::OrgKind;
use fruition_domain::voucher::{ClaimStatus, EntryKind, VoucherInput};
use serde::Deserialize;

use super::forms::{
    Fields, Opt, ctx, is_bureau, is_form_error, merged, refusal_page, whole_number,
};
use super::pilot::{Done, SubNav, local, scoped, subnav, yuan_helper};
use super::{Chrome, PageId, error_page, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::billing::{self, BillDetail, BillQuery, BillView};
use fruition_app::vouchers::{
    self, ClaimDetail, ClaimStepInput, ClaimView, Claimable, VoucherDetail, VoucherView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pilot/bills", get(bills))
        .route("/pilot/bills/export.xlsx", get(bills))
        .route("/pilot/bills/{id}", get(bill))
        .route("/pilot/bills/{id}/payments", post(pay))
        .route("/pilot/bills/reminders", post(remind_payers))
        .route("/pilot/bills/{id}/reminders", post(remind_payer))
        .route("/pilot/vouchers", get(voucher_list).post(issue))
        .route("/pilot/vouchers/export.xlsx", get(export_vouchers))
        .route("/pilot/vouchers/{id}", get(voucher))
        .route("/pilot/vouchers/{id}/revoke", post(revoke))
        .route("/pilot/claims", get(claims).post(submit_claim))
        .route("/pilot/claims/export.xlsx", get(export_claims))
        .route("/pilot/claims/{id}", get(claim))
        .route("/pilot/claims/{id}/actions", post(decide))
}

// ---------------------------------------------------------------------------------------------
// Bills

#[derive(Template)]
#[template(path = "pilot_bills.html")]
struct BillsPage {
    c: Chrome,
    sub: SubNav,
    bureau: bool,
    /// Bills the organisation owes, and bills it issued (the bureau: every bill).
    to_pay: Vec<BillView>,
    issued: Vec<BillView>,
    overdue: bool,
    /// The same lists as a workbook.
    export_href: String,
    /// The user may remind payers of overdue bills it issued (the bureau: of any).
    may_remind: bool,
}

/// One worksheet of bills: numbers in 元 with two decimals, dates as dates.
fn bills_sheet(c: &Chrome, name: &str, rows: &[BillView]) -> fruition_sheets::Sheet {
    let yuan = |fen: i64| fruition_sheets::Value::Float(fen as f64 / 100.0);
    let day = |s: &str| match fruition_sheets::Date::parse(s) {
        Some(d) => fruition_sheets::Value::Date(d),
        None => fruition_sheets::Value::from(s),
    };
    let yes_no = |b: bool| fruition_sheets::Value::from(if b { c.t("yes") } else { c.t("no") });
    super::export::sheet(
        name,
        rows,
        &[
            (c.t("bill_number"), &|b: &BillView| b.number.as_str().into()),
            (c.t("bill_subject"), &|b: &BillView| {
                b.subject_name.as_str().into()
            }),
            (c.t("resource_owner"), &|b: &BillView| {
                b.owner_name.as_str().into()
            }),
            (c.t("payer"), &|b: &BillView| b.payer_name.as_str().into()),
            (c.t("issued_on"), &|b: &BillView| day(&b.issued_on)),
            (c.t("due_on"), &|b: &BillView| day(&b.due_on)),
            (c.t("amount_yuan"), &|b: &BillView| yuan(b.amount_fen)),
            (c.t("paid_yuan"), &|b: &BillView| yuan(b.paid_fen)),
            (c.t("voucher_yuan"), &|b: &BillView| yuan(b.voucher_fen)),
            (c.t("outstanding_yuan"), &|b: &BillView| {
                yuan(b.outstanding_fen)
            }),
            (c.t("overdue"), &|b: &BillView| yes_no(b.overdue)),
        ],
    )
}

/// The table of bills (`pilot_bill_rows.html`).
struct BillRows<'a> {
    id: &'static str,
    caption_key: &'static str,
    bills: &'a [BillView],
    /// Overdue bills here get a 催缴 button.
    remind: bool,
}

impl BillRows<'_> {
    fn any_overdue(&self) -> bool {
        self.bills.iter().any(|b| b.overdue)
    }
}

impl BillsPage {
    fn tables(&self) -> Vec<BillRows<'_>> {
        if self.bureau {
            return vec![BillRows {
                id: "all-bills",
                caption_key: "all_bills",
                bills: &self.issued,
                remind: self.may_remind,
            }];
        }
        vec![
            BillRows {
                id: "bills-to-pay",
                caption_key: "bills_to_pay",
                bills: &self.to_pay,
                remind: false,
            },
            BillRows {
                id: "bills-issued",
                caption_key: "bills_issued",
                bills: &self.issued,
                remind: self.may_remind,
            },
        ]
    }

    fn kind(&self, k: &BillKind) -> &'static str {
        k.label(self.c.lang)
    }
}

#[derive(Deserialize, Default)]
struct BillsQuery {
    overdue: Option<String>,
    done: Option<String>,
}

async fn bills(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: super::export::Export,
    PageQuery(q): PageQuery<BillsQuery>,
) -> Response {
    let c = ctx(&authed, ip);
    let overdue = q
        .overdue
        .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on"));
    let bureau = is_bureau(&authed.principal);
    let loaded = async {
        let issued = billing::list(
            &state,
            &c,
            BillQuery {
                either: false,
                payer: false,
                overdue,
                ..BillQuery::default()
            },
        )
        .await?;
        let to_pay = if bureau {
            Vec::new()
        } else {
            billing::list(
                &state,
                &c,
                BillQuery {
                    either: false,
                    payer: true,
                    overdue,
                    ..BillQuery::default()
                },
            )
            .await?
        };
        Ok::<_, AppError>((to_pay, issued))
    }
    .await;
    match loaded {
        Ok((to_pay, issued)) => {
            let chrome = Chrome::new(&state, &headers, Some(&authed), "/pilot/bills", "bills")
                .with_notice(q.done.as_deref());
            if export.xlsx {
                let mut sheets = Vec::new();
                if !bureau {
                    sheets.push(bills_sheet(&chrome, chrome.t("bills_to_pay"), &to_pay));
                }
                sheets.push(bills_sheet(&chrome, chrome.t("bills_issued"), &issued));
                return super::export::download(chrome.t("bills"), &sheets);
            }
            render(&BillsPage {
                sub: subnav(&chrome, Some(&authed)),
                export_href: export.href,
                bureau,
                to_pay,
                issued,
                overdue,
                may_remind: can(
                    &authed.principal.actor(),
                    &Action::RemindPayer {
                        owner_org_id: authed.principal.user.org_id,
                    },
                )
                .is_ok(),
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// Reminds the payer of one overdue bill (催缴), back to where the button was.
async fn remind_payer(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    remind(state, headers, authed, ip, Some(id), pairs).await
}

/// Reminds the payers of every overdue bill the organisation issued (the bureau: every one).
async fn remind_payers(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    remind(state, headers, authed, ip, None, pairs).await
}

async fn remind(
    state: AppState,
    headers: HeaderMap,
    authed: Authed,
    ip: String,
    bill: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Response {
    let fields = super::forms::Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    match fruition_app::reminders::overdue_bills(&state, &c, bill).await {
        Ok(_) => {
            let back = super::safe_back(Some(&fields.get("next")));
            let back = if back == "/" {
                "/pilot/bills".to_string()
            } else {
                back
            };
            let sep = if back.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{back}{sep}done=reminded")).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// The payment forms as typed.
#[derive(Debug, Clone, Default)]
struct PayForm {
    cash: String,
    voucher_id: String,
    voucher_amount: String,
    reference: String,
}

#[derive(Template)]
#[template(path = "pilot_bill.html")]
struct BillPage {
    c: Chrome,
    sub: SubNav,
    d: BillDetail,
    f: PayForm,
    kind_label: &'static str,
    vouchers: Vec<Opt>,
    /// Voucher links for those who may open them (the payer and the bureau).
    voucher_links: bool,
}
yuan_helper!(BillPage);

impl BillPage {
    fn pays(&self) -> bool {
        self.d.may_pay && self.d.bill.outstanding_fen > 0
    }

    fn receives(&self) -> bool {
        self.d.may_record && self.d.bill.outstanding_fen > 0
    }

    fn refunds(&self) -> bool {
        self.d.may_record && self.d.bill.outstanding_fen < 0
    }

    fn overpaid(&self) -> String {
        fruition_domain::money::yuan(-self.d.bill.outstanding_fen)
    }

    fn at(&self, rfc: &str) -> String {
        local(rfc)
    }
}

async fn show_bill(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    typed: Option<(PayForm, &AppError)>,
    done: Option<&str>,
) -> Response {
    let cx = ctx(authed, ip);
    let d = match billing::get(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/pilot/bills/{id}"),
        "bill",
    )
    .with_notice(done);
    let (f, err) = match typed {
        Some((f, e)) => (f, Some(e)),
        None => (PayForm::default(), None),
    };
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} {}", c.t("bill"), d.bill.number);
    let vouchers = d
        .vouchers
        .iter()
        .map(|v| {
            let id = v.voucher.id.to_string();
            let label = format!(
                "{}（{} {} {}）",
                v.voucher.code,
                c.t("voucher_max_here"),
                v.max,
                c.t("yuan")
            );
            let sel = id == f.voucher_id;
            Opt::new(id, label, sel)
        })
        .collect();
    let page = BillPage {
        sub: subnav(&c, Some(authed)),
        kind_label: d.bill.kind.label(c.lang),
        voucher_links: d.may_pay || is_bureau(&authed.principal),
        vouchers,
        f,
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn bill(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_bill(&state, &headers, &authed, ip, id, None, q.done.as_deref()).await
}

async fn pay(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let typed = PayForm {
        cash: f.get("cash"),
        voucher_id: f.get("voucher_id"),
        voucher_amount: f.get("voucher_amount"),
        reference: f.get("reference"),
    };
    let refund = f.get("form") == "refund";
    let input = PaymentInput {
        cash: typed.cash.clone(),
        voucher_id: typed.voucher_id.trim().parse().ok(),
        voucher_amount: typed.voucher_amount.clone(),
        reference: typed.reference.clone(),
        refund,
    };
    let c = ctx(&authed, ip.clone());
    match billing::pay(&state, &c, id, &input).await {
        Ok(_) => {
            let done = if refund {
                "refund_recorded"
            } else {
                "payment_recorded"
            };
            Redirect::to(&format!("/pilot/bills/{id}?done={done}")).into_response()
        }
        Err(e) if is_form_error(&e) => {
            let e = scoped(
                e,
                "",
                &["cash", "voucher_id", "voucher_amount", "reference"],
            );
            show_bill(&state, &headers, &authed, ip, id, Some((typed, &e)), None).await
        }
        Err(e) => refusal_page(&state, &headers, &authed, &format!("/pilot/bills/{id}"), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// Vouchers

/// The issue form as typed.
#[derive(Debug, Clone, Default)]
struct VoucherForm {
    org_id: String,
    amount: String,
    valid_from: String,
    valid_to: String,
    share_pct: String,
    yearly_cap: String,
    kinds: Vec<String>,
}

impl VoucherForm {
    /// Valid from today to the end of the year, half of a bill at most.
    fn new() -> VoucherForm {
        let today = fruition_app::clock::today_date();
        VoucherForm {
            valid_from: today.to_string(),
            valid_to: IsoDate::end_of_year(today.year()).to_string(),
            share_pct: "50".into(),
            ..VoucherForm::default()
        }
    }
}

#[derive(Template)]
#[template(path = "vouchers.html")]
struct VouchersPage {
    c: Chrome,
    sub: SubNav,
    vouchers: Vec<VoucherView>,
    may_issue: bool,
    f: VoucherForm,
    enterprises: Vec<Opt>,
    kinds: Vec<Opt>,
}

impl VouchersPage {
    fn kinds_label(&self, kinds: &[BillSubject]) -> String {
        let sep = self.c.lang.pick("、", ", ");
        kinds
            .iter()
            .map(|k| k.label(self.c.lang))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

async fn show_vouchers(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    typed: Option<(VoucherForm, &AppError)>,
) -> Response {
    let cx = ctx(authed, ip);
    let may_issue = can(&authed.principal.actor(), &Action::ManageVouchers).is_ok();
    let loaded = async {
        let list = vouchers::list(state, &cx).await?;
        let orgs = if may_issue {
            fruition_app::organisations::list(state, &cx, Some(OrgKind::Enterprise), None).await?
        } else {
            Vec::new()
        };
        Ok::<_, AppError>((list, orgs))
    }
    .await;
    let (list, mut orgs) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(state, headers, Some(authed), "/pilot/vouchers", "vouchers");
    let (f, err) = match typed {
        Some((f, e)) => (f, Some(e)),
        None => (VoucherForm::new(), None),
    };
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    orgs.retain(|o| o.active);
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    let lang = c.lang;
    let page = VouchersPage {
        sub: subnav(&c, Some(authed)),
        vouchers: list,
        may_issue,
        enterprises: orgs
            .into_iter()
            .map(|o| {
                let id = o.id.to_string();
                let sel = id == f.org_id;
                Opt::new(id, o.name, sel)
            })
            .collect(),
        kinds: BillSubject::ALL
            .iter()
            .map(|k| {
                Opt::new(
                    k.code(),
                    k.label(lang),
                    f.kinds.iter().any(|s| s == k.code()),
                )
            })
            .collect(),
        f,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn voucher_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    show_vouchers(&state, &headers, &authed, ip, None).await
}

/// The vouchers the caller sees (the bureau: all), as a workbook.
async fn export_vouchers(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let c = ctx(&authed, ip);
    let list = match vouchers::list(&state, &c).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/pilot/vouchers",
        "vouchers",
    );
    let yuan = |fen: i64| fruition_sheets::Value::Float(fen as f64 / 100.0);
    let sheet = super::export::sheet(
        chrome.t("vouchers"),
        &list,
        &[
            (chrome.t("voucher_code"), &|v: &VoucherView| {
                v.code.as_str().into()
            }),
            (chrome.t("voucher_holder"), &|v: &VoucherView| {
                v.org_name.as_str().into()
            }),
            (chrome.t("face_yuan"), &|v: &VoucherView| yuan(v.face_fen)),
            (chrome.t("balance_yuan"), &|v: &VoucherView| {
                yuan(v.balance_fen)
            }),
            (chrome.t("valid_from"), &|v: &VoucherView| {
                v.valid_from.as_str().into()
            }),
            (chrome.t("valid_to"), &|v: &VoucherView| {
                v.valid_to.as_str().into()
            }),
            (chrome.t("share_pct"), &|v: &VoucherView| v.share_pct.into()),
            (chrome.t("status"), &|v: &VoucherView| {
                chrome.t(if v.active { "yes" } else { "no" }).into()
            }),
        ],
    );
    super::export::download(chrome.t("vouchers"), &[sheet])
}

/// The claims the caller sees (the bureau: all, or those in `?status=`), as a workbook.
async fn export_claims(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ClaimsQuery>,
) -> Response {
    let c = ctx(&authed, ip);
    let status = q
        .status
        .as_deref()
        .and_then(fruition_domain::voucher::ClaimStatus::parse);
    let list = match vouchers::claims(&state, &c, status).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/pilot/claims",
        "voucher_claims",
    );
    let lang = chrome.lang;
    let sheet = super::export::sheet(
        chrome.t("voucher_claims"),
        &list,
        &[
            (chrome.t("claim_number"), &|k: &ClaimView| k.id.into()),
            (chrome.t("claim_owner"), &|k: &ClaimView| {
                k.owner_name.as_str().into()
            }),
            (chrome.t("amount_yuan"), &|k: &ClaimView| {
                fruition_sheets::Value::Float(k.amount_fen as f64 / 100.0)
            }),
            (chrome.t("status"), &|k: &ClaimView| {
                k.status.label(lang).into()
            }),
            (chrome.t("paid_on"), &|k: &ClaimView| {
                super::export::opt_text(&k.paid_on)
            }),
        ],
    );
    super::export::download(chrome.t("voucher_claims"), &[sheet])
}

async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let typed = VoucherForm {
        org_id: f.get("org_id"),
        amount: f.get("amount"),
        valid_from: f.get("valid_from"),
        valid_to: f.get("valid_to"),
        share_pct: f.get("share_pct"),
        yearly_cap: f.get("yearly_cap"),
        kinds: f.all("kinds"),
    };
    let mut local = Vec::new();
    let input = VoucherInput {
        org_id: typed.org_id.trim().parse().ok(),
        amount: typed.amount.clone(),
        valid_from: typed.valid_from.clone(),
        valid_to: typed.valid_to.clone(),
        share_pct: whole_number(&mut local, "share_pct", &typed.share_pct),
        yearly_cap: typed.yearly_cap.clone(),
        kinds: typed.kinds.clone(),
    };
    let c = ctx(&authed, ip.clone());
    let result = vouchers::issue(&state, &c, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(v) => Redirect::to(&format!(
            "/pilot/vouchers/{}?done=voucher_issued",
            v.voucher.id
        ))
        .into_response(),
        Err(e) if is_form_error(&e) => {
            let e = scoped(
                e,
                "",
                &[
                    "org_id",
                    "amount",
                    "valid_from",
                    "valid_to",
                    "share_pct",
                    "yearly_cap",
                    "kinds",
                ],
            );
            show_vouchers(&state, &headers, &authed, ip, Some((typed, &e))).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "voucher.html")]
struct VoucherPage {
    c: Chrome,
    sub: SubNav,
    d: VoucherDetail,
    kinds_label: String,
    issued_at: String,
    may_revoke: bool,
    /// The bureau follows a spend to its claim.
    bureau: bool,
}
yuan_helper!(VoucherPage);

impl VoucherPage {
    fn entry_kind(&self, k: &EntryKind) -> &'static str {
        k.label(self.c.lang)
    }

    fn at(&self, rfc: &str) -> String {
        local(rfc)
    }
}

async fn show_voucher(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let cx = ctx(authed, ip);
    let d = match vouchers::get(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/pilot/vouchers/{id}"),
        "voucher",
    )
    .with_notice(done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} {}", c.t("voucher"), d.voucher.code);
    let lang = c.lang;
    let bureau = can(&authed.principal.actor(), &Action::ManageVouchers).is_ok();
    let page = VoucherPage {
        sub: subnav(&c, Some(authed)),
        kinds_label: d
            .voucher
            .kinds
            .iter()
            .map(|k| k.label(lang))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", ")),
        issued_at: local(&d.voucher.issued_at),
        may_revoke: bureau && d.voucher.active,
        bureau,
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn voucher(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_voucher(&state, &headers, &authed, ip, id, None, q.done.as_deref()).await
}

async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !Fields(pairs).token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip.clone());
    match vouchers::revoke(&state, &c, id).await {
        Ok(_) => {
            Redirect::to(&format!("/pilot/vouchers/{id}?done=voucher_revoked")).into_response()
        }
        Err(e) if is_form_error(&e) => {
            let e = scoped(e, "", &[]);
            show_voucher(&state, &headers, &authed, ip, id, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// Reimbursement claims

#[derive(Template)]
#[template(path = "voucher_claims.html")]
struct ClaimsPage {
    c: Chrome,
    sub: SubNav,
    claims: Vec<ClaimView>,
    /// What the caller's organisation could claim now (owners of resources).
    claimable: Option<Claimable>,
    bureau: bool,
    statuses: Vec<Opt>,
}

impl ClaimsPage {
    fn status(&self, s: &ClaimStatus) -> &'static str {
        s.label(self.c.lang)
    }

    fn at(&self, rfc: &str) -> String {
        local(rfc)
    }
}

#[derive(Deserialize, Default)]
struct ClaimsQuery {
    status: Option<String>,
    done: Option<String>,
}

async fn show_claims(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    q: ClaimsQuery,
    err: Option<&AppError>,
) -> Response {
    let cx = ctx(authed, ip);
    let code = q.status.unwrap_or_default();
    let claims_owner = can(&authed.principal.actor(), &Action::CreateResource).is_ok();
    let loaded = async {
        let list = vouchers::claims(state, &cx, ClaimStatus::parse(&code)).await?;
        let claimable = if claims_owner {
            Some(vouchers::claimable(state, &cx).await?)
        } else {
            None
        };
        Ok::<_, AppError>((list, claimable))
    }
    .await;
    let (list, claimable) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        "/pilot/claims",
        "voucher_claims",
    )
    .with_notice(q.done.as_deref());
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let page = ClaimsPage {
        sub: subnav(&c, Some(authed)),
        claims: list,
        claimable,
        bureau: is_bureau(&authed.principal),
        statuses: ClaimStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == code))
            .collect(),
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn claims(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ClaimsQuery>,
) -> Response {
    show_claims(&state, &headers, &authed, ip, q, None).await
}

async fn submit_claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !Fields(pairs).token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip.clone());
    match vouchers::submit_claim(&state, &c).await {
        Ok(d) => Redirect::to(&format!(
            "/pilot/claims/{}?done=claim_submitted",
            d.claim.id
        ))
        .into_response(),
        Err(e) if is_form_error(&e) => {
            let e = scoped(e, "", &[]);
            show_claims(
                &state,
                &headers,
                &authed,
                ip,
                ClaimsQuery::default(),
                Some(&e),
            )
            .await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// The bureau's claim forms as typed.
#[derive(Debug, Clone, Default)]
struct ClaimForm {
    reason: String,
    paid_on: String,
    reference: String,
}

#[derive(Template)]
#[template(path = "voucher_claim.html")]
struct ClaimPage {
    c: Chrome,
    sub: SubNav,
    d: ClaimDetail,
    f: ClaimForm,
    status_label: &'static str,
    submitted_at: String,
    bureau: bool,
}

impl ClaimPage {
    /// A spend's amount, as the claim asks for it back.
    fn spent(&self, fen: &i64) -> String {
        fruition_domain::money::yuan(-*fen)
    }

    fn may(&self, step: &str) -> bool {
        self.d.steps.iter().any(|s| s.code() == step)
    }

    fn at(&self, rfc: &str) -> String {
        local(rfc)
    }
}

async fn show_claim(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    typed: Option<(ClaimForm, &AppError)>,
    done: Option<&str>,
) -> Response {
    let cx = ctx(authed, ip);
    let d = match vouchers::claim(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/pilot/claims/{id}"),
        "voucher_claim",
    )
    .with_notice(done);
    let (f, err) = match typed {
        Some((f, e)) => (f, Some(e)),
        None => (ClaimForm::default(), None),
    };
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} #{}", c.t("voucher_claim"), d.claim.id);
    let page = ClaimPage {
        sub: subnav(&c, Some(authed)),
        status_label: d.claim.status.label(c.lang),
        submitted_at: local(&d.claim.submitted_at),
        bureau: is_bureau(&authed.principal),
        f,
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_claim(&state, &headers, &authed, ip, id, None, q.done.as_deref()).await
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let typed = ClaimForm {
        reason: f.get("reason"),
        paid_on: f.get("paid_on"),
        reference: f.get("reference"),
    };
    let step = f.get("step");
    let input = ClaimStepInput {
        step: step.clone(),
        reason: Some(typed.reason.clone()),
        paid_on: Some(typed.paid_on.clone()),
        reference: Some(typed.reference.clone()),
    };
    let c = ctx(&authed, ip.clone());
    match vouchers::decide(&state, &c, id, &input).await {
        Ok(_) => {
            let done = match step.as_str() {
                "approve" => "claim_approved",
                "reject" => "claim_rejected",
                _ => "claim_paid",
            };
            Redirect::to(&format!("/pilot/claims/{id}?done={done}")).into_response()
        }
        Err(e) if is_form_error(&e) => {
            let e = scoped(e, "", &["reason", "paid_on", "reference"]);
            show_claim(&state, &headers, &authed, ip, id, Some((typed, &e)), None).await
        }
        Err(e) => refusal_page(
            &state,
            &headers,
            &authed,
            &format!("/pilot/claims/{id}"),
            &e,
        ),
    }
}
