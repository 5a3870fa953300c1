//! Funds as everyone reads them and their managers keep them: the table of funds (names,
//! managers and sizes are public; the portfolio figures only for the funds the viewer manages,
//! or all for the bureau) with its workbook and the registration form; a fund's page with its
//! profile, sub-funds and — for its manager and the bureau — its portfolio, positions,
//! investments and exits, and the forms that change the fund and record an investment or an
//! exit.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::fund::{FundKind, FundStatus, MAX_SIZE_K};
use fruition_domain::investment::{ExitRoute, Instrument, Round};
use fruition_domain::lang::Lang;
use fruition_domain::money::MAX_CAPITAL_FEN;
use fruition_domain::org::OrgKind;
use fruition_domain::uscc::Uscc;
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::credit::{SubNav, renamed, wan};
use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, ctx, problem, whole_number};
use super::super::pilot::{Done, scoped};
use super::super::{Chrome, PageId, error_page, render_status};
use super::{
    bureau, fen_as_wan, is_zero, k_as_wan, pct, subnav, wan_k, wan_k_or_zero, with_notice,
};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use fruition_app::capital::capital_label;
use fruition_app::capital::funds::{self as actions, FundDetail, FundInput, FundQuery, FundView};
use fruition_app::capital::investments::{
    self as investments, InvestmentExitInput, InvestmentExitView, InvestmentInput, InvestmentQuery,
    InvestmentView,
};
use fruition_app::capital::portfolio::PositionView;
use fruition_app::reference::Lookups;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/funds", get(list).post(register))
        .route("/capital/funds/export.xlsx", get(list))
        .route("/capital/funds/{id}", get(detail).post(update))
        .route("/capital/funds/{id}/investments", post(record))
        .route("/capital/funds/{id}/exits", post(exit))
}

// ---------------------------------------------------------------------------------------------
// The fund form, shared by the registration (funds' page) and the change (a fund's page)

/// The fund form as typed (kept when it comes back with problems). Its fields are named
/// `fund_<field>` on the page.
#[derive(Debug, Clone, Default)]
pub struct FundForm {
    pub name: String,
    pub kind: String,
    pub status: String,
    pub manager_org_id: String,
    pub parent_fund_id: String,
    pub carrier_id: String,
    pub size: String,
    pub paid_in: String,
    pub government: String,
    pub from_parent: String,
    pub for_incubatees: bool,
    pub established_year: String,
    pub closed_year: String,
    pub chain_codes: Vec<String>,
}

/// The fund form's fields, which [`scoped`] names `fund_field`.
const FUND_FIELDS: &[&str] = &[
    "name",
    "kind",
    "status",
    "manager_org_id",
    "parent_fund_id",
    "carrier_id",
    "size",
    "paid_in",
    "government",
    "from_parent",
    "for_incubatees",
    "established_year",
    "closed_year",
    "chain_codes",
];

/// The action's names for the fund's figures, and the form's (typed in 万元).
const FUND_NAMES: &[(&str, &str)] = &[
    ("size_k", "size"),
    ("paid_in_k", "paid_in"),
    ("government_k", "government"),
    ("from_parent_k", "from_parent"),
];

/// 千元 in fen.
const K_FEN: i64 = 100_000;

fn id_or_zero(raw: &str) -> Option<i64> {
    let t = raw.trim();
    // Not an id: one nobody has, which the action refuses beside the field.
    (!t.is_empty()).then(|| t.parse().unwrap_or(0))
}

impl FundForm {
    fn of(form: &PageForm) -> FundForm {
        FundForm {
            name: form.get("name"),
            kind: form.get("kind"),
            status: form.get("status"),
            manager_org_id: form.get("manager_org_id"),
            parent_fund_id: form.get("parent_fund_id"),
            carrier_id: form.get("carrier_id"),
            size: form.get("size"),
            paid_in: form.get("paid_in"),
            government: form.get("government"),
            from_parent: form.get("from_parent"),
            for_incubatees: form.get("for_incubatees") == "true",
            established_year: form.get("established_year"),
            closed_year: form.get("closed_year"),
            chain_codes: form.fields.all("chain_codes"),
        }
    }

    fn from_view(f: &FundView) -> FundForm {
        let wan_or_blank = |k: i64| if k == 0 { String::new() } else { k_as_wan(k) };
        FundForm {
            name: f.name.clone(),
            kind: f.kind.code().into(),
            status: f.status.code().into(),
            manager_org_id: f.manager_org_id.map(|m| m.to_string()).unwrap_or_default(),
            parent_fund_id: f.parent_fund_id.map(|m| m.to_string()).unwrap_or_default(),
            carrier_id: f.carrier_id.map(|m| m.to_string()).unwrap_or_default(),
            size: k_as_wan(f.size_k),
            paid_in: wan_or_blank(f.paid_in_k),
            government: wan_or_blank(f.government_k),
            from_parent: wan_or_blank(f.from_parent_k),
            for_incubatees: f.for_incubatees,
            established_year: f.established_year.to_string(),
            closed_year: f.closed_year.map(|y| y.to_string()).unwrap_or_default(),
            chain_codes: f.chain_codes.clone(),
        }
    }

    /// A fresh registration: open to incubatees, established this year.
    fn fresh() -> FundForm {
        FundForm {
            for_incubatees: true,
            established_year: fruition_app::clock::this_year().to_string(),
            ..FundForm::default()
        }
    }

    /// The action's input, and the problems the page found in what was typed. A problem the
    /// page finds is also one the action refuses (a size of 0, a share of -1, year 0).
    fn input(&self) -> (FundInput, Vec<Problem>) {
        let mut local = Vec::new();
        let size_k = wan_k(&mut local, "size", &self.size, MAX_SIZE_K).unwrap_or(0);
        let paid_in_k = wan_k_or_zero(&mut local, "paid_in", &self.paid_in, MAX_SIZE_K);
        let government_k = wan_k_or_zero(&mut local, "government", &self.government, MAX_SIZE_K);
        let from_parent_k = wan_k_or_zero(&mut local, "from_parent", &self.from_parent, MAX_SIZE_K);
        let established_year =
            whole_number(&mut local, "established_year", &self.established_year).unwrap_or(0);
        let closed_year = if self.closed_year.trim().is_empty() {
            None
        } else {
            Some(whole_number(&mut local, "closed_year", &self.closed_year).unwrap_or(-1))
        };
        let input = FundInput {
            name: self.name.clone(),
            kind: self.kind.trim().to_string(),
            status: Some(self.status.trim().to_string()).filter(|s| !s.is_empty()),
            manager_org_id: id_or_zero(&self.manager_org_id),
            parent_fund_id: id_or_zero(&self.parent_fund_id),
            carrier_id: id_or_zero(&self.carrier_id),
            size_k,
            paid_in_k,
            government_k,
            from_parent_k,
            for_incubatees: Some(self.for_incubatees),
            established_year,
            closed_year,
            chain_codes: self.chain_codes.clone(),
        };
        (input, local)
    }
}

/// The fund form with its choices, as a page shows it.
#[derive(Default)]
pub struct FundFormBox {
    pub f: FundForm,
    pub kinds: Vec<Opt>,
    pub statuses: Vec<Opt>,
    /// The managers to choose from (the bureau's form only; others manage their own).
    pub managers: Vec<Opt>,
    pub parents: Vec<Opt>,
    pub carriers: Vec<Opt>,
    pub chains: Vec<Opt>,
}

/// The fund form's choices for this user: the bureau chooses any investor or carrier operator
/// as manager and any carrier; a carrier operator its own carriers; guidance funds as parents.
async fn fund_form(
    state: &AppState,
    authed: &Authed,
    ip: String,
    lang: Lang,
    f: FundForm,
    editing: Option<i64>,
) -> Result<FundFormBox, AppError> {
    let p = &authed.principal;
    let cx = ctx(authed, ip);
    let is_bureau = bureau(p);
    let mut managers = Vec::new();
    if is_bureau {
        for kind in [OrgKind::Investor, OrgKind::CarrierOperator] {
            let orgs = fruition_app::organisations::list(state, &cx, Some(kind), None).await?;
            managers.extend(orgs.into_iter().filter(|o| o.active).map(|o| {
                let id = o.id.to_string();
                let selected = id == f.manager_org_id.trim();
                Opt::new(id, format!("{}（{}）", o.name, kind.label(lang)), selected)
            }));
        }
    }
    let guidance = actions::list(
        state,
        &cx,
        &FundQuery {
            kind: Some(FundKind::Guidance.code().into()),
            ..FundQuery::default()
        },
    )
    .await?;
    let parents = guidance
        .into_iter()
        .filter(|g| g.parent_fund_id.is_none() && Some(g.id) != editing)
        .map(|g| {
            let id = g.id.to_string();
            let selected = id == f.parent_fund_id.trim();
            Opt::new(id, g.name, selected)
        })
        .collect();
    let carriers = if is_bureau || p.org_kind == OrgKind::CarrierOperator {
        let filter = fruition_store::carriers::CarrierFilter {
            operator_org_id: (!is_bureau).then_some(p.user.org_id),
            ..Default::default()
        };
        fruition_app::carriers::list(state, &cx, fruition_app::clock::this_year(), &filter)
            .await?
            .into_iter()
            .map(|c| {
                let id = c.id.to_string();
                let selected = id == f.carrier_id.trim();
                Opt::new(id, c.name, selected)
            })
            .collect()
    } else {
        Vec::new()
    };
    let lookups = Lookups::cached(state).await?;
    let chains = super::super::forms::chain_opts(&lookups, lang, &f.chain_codes);
    Ok(FundFormBox {
        kinds: FundKind::ALL
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), k.code() == f.kind.trim()))
            .collect(),
        statuses: FundStatus::ALL
            .iter()
            .map(|s| {
                let chosen = if f.status.trim().is_empty() {
                    *s == FundStatus::Investing
                } else {
                    s.code() == f.status.trim()
                };
                Opt::new(s.code(), s.label(lang), chosen)
            })
            .collect(),
        managers,
        parents,
        carriers,
        chains,
        f,
    })
}

// ---------------------------------------------------------------------------------------------
// The funds

#[derive(Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
    done: Option<String>,
}

/// One line of the funds' table.
struct FundLine {
    v: FundView,
    kind_label: &'static str,
    status_label: &'static str,
    government_share: String,
    /// Portfolio figures, where the viewer may see them.
    invested: String,
    firms: String,
    total_multiple: String,
    in_chains: String,
    /// What the parent guidance fund put in (a sub-fund).
    from_parent: String,
}

impl FundLine {
    fn new(v: FundView, lang: Lang) -> FundLine {
        let p = v.portfolio.as_ref();
        FundLine {
            kind_label: v.kind.label(lang),
            status_label: v.status.label(lang),
            government_share: pct(v.government_share_bp),
            invested: p.map(|p| p.invested.clone()).unwrap_or_default(),
            firms: p.map(|p| p.firms.to_string()).unwrap_or_default(),
            total_multiple: p.map(|p| p.total_multiple.clone()).unwrap_or_default(),
            in_chains: p.map(|p| pct(p.in_chains_bp)).unwrap_or_default(),
            from_parent: capital_label(v.from_parent_k.saturating_mul(K_FEN)),
            v,
        }
    }
}

#[derive(Template)]
#[template(path = "capital_funds.html")]
struct ListPage {
    c: Chrome,
    sub: SubNav,
    funds: Vec<FundLine>,
    kinds: Vec<Opt>,
    /// Whether any line carries portfolio figures (their columns are shown).
    shows_portfolio: bool,
    export_href: String,
    /// The registration form, for users who may register a fund.
    can_register: bool,
    ff: FundFormBox,
}

/// Whether the user may register a fund (the bureau for any manager, a manager for itself).
fn may_register(authed: &Authed) -> bool {
    let p = &authed.principal;
    can(
        &p.actor(),
        &Action::RegisterFund {
            manager_org_id: Some(p.user.org_id),
        },
    )
    .is_ok()
        || bureau(p)
}

fn kind_filter(q: &ListQuery) -> Option<FundKind> {
    q.kind.as_deref().and_then(|k| FundKind::parse(k.trim()))
}

struct Listing<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
}

async fn show_list(
    r: &Listing<'_>,
    q: &ListQuery,
    typed: Option<FundForm>,
    err: Option<&AppError>,
) -> Response {
    let (state, headers, authed) = (r.state, r.headers, r.authed);
    let cx = ctx(authed, r.ip.clone());
    let kind = kind_filter(q);
    let query = FundQuery {
        kind: kind.map(|k| k.code().to_string()),
        ..FundQuery::default()
    };
    let funds = match actions::list(state, &cx, &query).await {
        Ok(f) => f,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        "/capital/funds",
        "capital_funds",
    );
    c = with_notice(c, q.done.as_deref());
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let can_register = may_register(authed);
    let ff = if can_register {
        let f = typed.unwrap_or_else(FundForm::fresh);
        match fund_form(state, authed, r.ip.clone(), lang, f, None).await {
            Ok(b) => b,
            Err(e) => return error_page(state, headers, Some(authed), &e),
        }
    } else {
        FundFormBox::default()
    };
    let href = match kind {
        Some(k) => format!("/capital/funds/export.xlsx?kind={}", k.code()),
        None => "/capital/funds/export.xlsx".into(),
    };
    let page = ListPage {
        sub: subnav(&c, authed, "/capital/funds"),
        shows_portfolio: funds.iter().any(|f| f.portfolio.is_some()),
        funds: funds.into_iter().map(|f| FundLine::new(f, lang)).collect(),
        kinds: FundKind::ALL
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), Some(*k) == kind))
            .collect(),
        export_href: href,
        can_register,
        ff,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    if export.xlsx {
        let cx = ctx(&authed, ip);
        let query = FundQuery {
            kind: kind_filter(&q).map(|k| k.code().to_string()),
            ..FundQuery::default()
        };
        let c = Chrome::new(
            &state,
            &headers,
            Some(&authed),
            "/capital/funds",
            "capital_funds",
        );
        return match actions::list(&state, &cx, &query).await {
            Ok(rows) => workbook(&c, &rows),
            Err(e) => error_page(&state, &headers, Some(&authed), &e),
        };
    }
    let r = Listing {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
    };
    show_list(&r, &q, None, None).await
}

/// The funds as a workbook: sizes and amounts in 万元, shares in percent; the portfolio's
/// columns only when the viewer sees some fund's portfolio.
fn workbook(c: &Chrome, rows: &[FundView]) -> Response {
    let lang = c.lang;
    let text = |s: &Option<String>| export::opt_text(s);
    let portfolio_num =
        |f: &FundView,
         get: &dyn Fn(&fruition_app::capital::portfolio::FundPortfolioView) -> f64| {
            f.portfolio
                .as_ref()
                .map_or(Value::Empty, |p| Value::Float(get(p)))
        };
    let name = |f: &FundView| Value::from(f.name.as_str());
    let kind = |f: &FundView| Value::from(f.kind.label(lang));
    let status = |f: &FundView| Value::from(f.status.label(lang));
    let manager = |f: &FundView| text(&f.manager_name);
    let parent = |f: &FundView| text(&f.parent_name);
    let carrier = |f: &FundView| text(&f.carrier_name);
    let size = |f: &FundView| Value::Float(f.size_k as f64 / 10.0);
    let government = |f: &FundView| Value::Float(f.government_share_bp as f64 / 100.0);
    let established = |f: &FundView| Value::from(f.established_year);
    let invested = |f: &FundView| portfolio_num(f, &|p| fen_as_wan(p.invested_fen));
    let firms = |f: &FundView| portfolio_num(f, &|p| p.firms as f64);
    let multiple = |f: &FundView| {
        f.portfolio
            .as_ref()
            .and_then(|p| p.total_x100)
            .map_or(Value::Empty, |m| Value::Float(m as f64 / 100.0))
    };
    let chains = |f: &FundView| portfolio_num(f, &|p| p.in_chains_bp as f64 / 100.0);
    let mut columns: Vec<export::Column<'_, FundView>> = vec![
        (c.t("fund_name"), &name),
        (c.t("fund_kind"), &kind),
        (c.t("status"), &status),
        (c.t("fund_manager"), &manager),
        (c.t("parent_fund"), &parent),
        (c.t("fund_carrier"), &carrier),
        (c.t("fund_size_wan"), &size),
        (c.t("government_share_pct"), &government),
        (c.t("fund_established_year"), &established),
    ];
    if rows.iter().any(|f| f.portfolio.is_some()) {
        columns.extend([
            (
                c.t("invested_wan"),
                &invested as &dyn Fn(&FundView) -> Value,
            ),
            (c.t("portfolio_firms"), &firms),
            (c.t("total_multiple"), &multiple),
            (c.t("in_chains_pct"), &chains),
        ]);
    }
    let sheet = export::sheet(c.t("capital_funds"), rows, &columns);
    export::download(c.t("capital_funds"), &[sheet])
}

async fn register(form: PageForm) -> Response {
    let typed = FundForm::of(&form);
    let (input, mut local) = typed.input();
    // The bureau names the manager (its own organisation manages no fund, which the action
    // refuses too).
    if bureau(&form.authed.principal) && typed.manager_org_id.trim().is_empty() {
        local.push(problem(
            "manager_org_id",
            "请选择基金管理人",
            "Choose the fund's manager",
        ));
    }
    let result = actions::create(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, FUND_NAMES));
    let page = &form;
    form.finish(
        result,
        local,
        |d| format!("/capital/funds/{}?done=fund_registered", d.fund.id),
        |e| async move {
            let e = scoped(e, "fund", FUND_FIELDS);
            let r = Listing {
                state: &page.state,
                headers: &page.headers,
                authed: &page.authed,
                ip: page.ip.clone(),
            };
            show_list(&r, &ListQuery::default(), Some(typed), Some(&e)).await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A fund

/// The investment form as typed (named `investment_<field>` on the page).
#[derive(Debug, Clone, Default)]
struct InvestmentForm {
    uscc: String,
    round: String,
    instrument: String,
    amount: String,
    invested_on: String,
    post_money: String,
    note: String,
}

const INVESTMENT_FIELDS: &[&str] = &[
    "uscc",
    "round",
    "instrument",
    "amount",
    "invested_on",
    "post_money",
    "note",
];

/// The exit form as typed (named `exit_<field>` on the page).
#[derive(Debug, Clone, Default)]
struct ExitForm {
    enterprise_id: String,
    kind: String,
    exited_on: String,
    cost: String,
    proceeds: String,
    note: String,
}

const EXIT_FIELDS: &[&str] = &[
    "enterprise_id",
    "kind",
    "exited_on",
    "cost",
    "proceeds",
    "note",
];

/// The fund page's forms as typed; `form` is the one posted (`fund`, `investment`, `exit`).
#[derive(Debug, Clone, Default)]
struct Typed {
    form: &'static str,
    fund: Option<FundForm>,
    investment: InvestmentForm,
    exit: ExitForm,
}

/// A position's line with its amounts as a page reads them.
struct PositionLine {
    p: PositionView,
    invested: String,
    remaining: String,
    proceeds: String,
    value: String,
}

#[derive(Template)]
#[template(path = "capital_fund.html")]
struct FundPage {
    c: Chrome,
    sub: SubNav,
    d: FundDetail,
    kind_label: &'static str,
    status_label: &'static str,
    government_share: String,
    paid_in: String,
    from_parent: String,
    chain_names: String,
    sub_funds: Vec<FundLine>,
    /// The manager and the bureau see the portfolio: positions, investments, exits.
    sees_portfolio: bool,
    positions: Vec<PositionLine>,
    investments: Vec<InvestmentView>,
    exits: Vec<InvestmentExitView>,
    /// The forms, when the user keeps the fund (`d.can_keep`).
    ff: FundFormBox,
    inv: InvestmentForm,
    ex: ExitForm,
    rounds: Vec<Opt>,
    instruments: Vec<Opt>,
    exit_kinds: Vec<Opt>,
    held: Vec<Opt>,
    /// The fund still invests (raising or investing).
    invests: bool,
}

impl FundPage {
    fn pct(&self, bp: &i64) -> String {
        pct(*bp)
    }

    fn round(&self, r: &Round) -> &'static str {
        r.label(self.c.lang)
    }

    fn instrument(&self, i: &Instrument) -> &'static str {
        i.label(self.c.lang)
    }

    fn exit_kind(&self, k: &ExitRoute) -> &'static str {
        k.label(self.c.lang)
    }

    fn money(&self, fen: &i64) -> String {
        capital_label(*fen)
    }

    fn multiple(&self, x100: &Option<i64>) -> String {
        fruition_domain::investment::multiple_text(*x100)
    }
}

/// A request to a fund's page: who asks, and for which fund.
struct FundReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    id: i64,
}

async fn show(
    r: &FundReq<'_>,
    typed: Option<Typed>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, id) = (r.state, r.headers, r.authed, r.id);
    let cx = ctx(authed, r.ip.clone());
    let d = match actions::get(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    // The portfolio's lists are the manager's and the bureau's: anyone else is not shown them
    // (the actions answer not-found).
    let (sees_portfolio, exits) = match investments::exits(state, &cx, id).await {
        Ok(x) => (true, x),
        Err(AppError::NotFound) => (false, Vec::new()),
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let invested = if sees_portfolio {
        let q = InvestmentQuery {
            fund_id: Some(id),
            limit: Some(1000),
            ..InvestmentQuery::default()
        };
        match investments::list(state, &cx, &q).await {
            Ok(v) => v,
            Err(e) => return error_page(state, headers, Some(authed), &e),
        }
    } else {
        Vec::new()
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/capital/funds/{id}"),
        "capital_funds",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = d.fund.name.clone();
    let lang = c.lang;
    let typed = typed.unwrap_or_default();
    let ff = if d.can_keep {
        let f = typed
            .fund
            .clone()
            .unwrap_or_else(|| FundForm::from_view(&d.fund));
        match fund_form(state, authed, r.ip.clone(), lang, f, Some(id)).await {
            Ok(b) => b,
            Err(e) => return error_page(state, headers, Some(authed), &e),
        }
    } else {
        FundFormBox::default()
    };
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &AppError::from(e)),
    };
    let chain_names = d
        .fund
        .chain_codes
        .iter()
        .map(|code| {
            lookups
                .chains
                .iter()
                .find(|ch| &ch.code == code)
                .map_or_else(
                    || code.clone(),
                    |ch| lang.pick(&ch.name_zh, &ch.name_en).to_string(),
                )
        })
        .collect::<Vec<_>>()
        .join("、");
    let today = fruition_app::clock::today();
    let mut inv = typed.investment.clone();
    if typed.form != "investment" {
        inv.invested_on = today.clone();
    }
    let mut ex = typed.exit.clone();
    if typed.form != "exit" {
        ex.exited_on = today.clone();
    }
    let positions: Vec<PositionLine> = d
        .positions
        .iter()
        .map(|p| PositionLine {
            invested: capital_label(p.invested_fen),
            remaining: capital_label(p.remaining_cost_fen),
            proceeds: capital_label(p.proceeds_fen),
            value: capital_label(p.value_fen),
            p: p.clone(),
        })
        .collect();
    let held = d
        .positions
        .iter()
        .filter(|p| p.remaining_cost_fen > 0 && !p.written_off)
        .map(|p| {
            let id = p.enterprise_id.to_string();
            let selected = id == ex.enterprise_id.trim();
            Opt::new(id, p.enterprise_name.clone(), selected)
        })
        .collect();
    let page = FundPage {
        sub: subnav(&c, authed, "/capital/funds"),
        kind_label: d.fund.kind.label(lang),
        status_label: d.fund.status.label(lang),
        government_share: pct(d.fund.government_share_bp),
        paid_in: capital_label(d.fund.paid_in_k.saturating_mul(K_FEN)),
        from_parent: capital_label(d.fund.from_parent_k.saturating_mul(K_FEN)),
        sub_funds: d
            .sub_funds
            .iter()
            .cloned()
            .map(|f| FundLine::new(f, lang))
            .collect(),
        rounds: Round::ALL
            .iter()
            .map(|x| Opt::new(x.code(), x.label(lang), x.code() == inv.round.trim()))
            .collect(),
        instruments: Instrument::ALL
            .iter()
            .map(|x| {
                let chosen = if inv.instrument.trim().is_empty() {
                    *x == Instrument::Equity
                } else {
                    x.code() == inv.instrument.trim()
                };
                Opt::new(x.code(), x.label(lang), chosen)
            })
            .collect(),
        exit_kinds: ExitRoute::ALL
            .iter()
            .map(|x| Opt::new(x.code(), x.label(lang), x.code() == ex.kind.trim()))
            .collect(),
        invests: d.fund.status.invests(),
        held,
        positions,
        investments: invested,
        exits,
        sees_portfolio,
        chain_names,
        ff,
        inv,
        ex,
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let r = FundReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        id,
    };
    show(&r, None, None, q.done.as_deref()).await
}

/// Ends one of the fund page's forms: back to the fund with a notice, or the fund's page again
/// with the form as typed and its problems beside its fields (named `form_field`).
async fn finish<T>(
    form: &PageForm,
    id: i64,
    typed: Typed,
    result: Result<T, AppError>,
    local: Vec<Problem>,
    done: &str,
    fields: &[&str],
) -> Response {
    let prefix = typed.form;
    form.finish(
        result,
        local,
        |_| format!("/capital/funds/{id}?done={done}"),
        |e| async move {
            let e = scoped(e, prefix, fields);
            let r = FundReq {
                state: &form.state,
                headers: &form.headers,
                authed: &form.authed,
                ip: form.ip.clone(),
                id,
            };
            show(&r, Some(typed), Some(&e), None).await
        },
    )
    .await
}

async fn update(PageId(id): PageId, form: PageForm) -> Response {
    let f = FundForm::of(&form);
    let (input, local) = f.input();
    let result = actions::update(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| renamed(e, FUND_NAMES));
    let typed = Typed {
        form: "fund",
        fund: Some(f),
        ..Typed::default()
    };
    finish(&form, id, typed, result, local, "fund_saved", FUND_FIELDS).await
}

/// The enterprise a USCC names, or the problem beside the field.
async fn enterprise_of(
    state: &AppState,
    local: &mut Vec<Problem>,
    raw: &str,
) -> Result<Option<i64>, AppError> {
    let typed = raw.trim();
    if typed.is_empty() {
        local.push(problem(
            "uscc",
            "请填写被投资企业的统一社会信用代码",
            "Give the enterprise's unified social credit code",
        ));
        return Ok(None);
    }
    let code = match Uscc::parse(typed) {
        Ok(c) => c,
        Err(e) => {
            local.push(problem("uscc", &e.zh, &e.en));
            return Ok(None);
        }
    };
    match fruition_store::enterprises::find_by_uscc(&state.db, code.as_str()).await? {
        Some(e) => Ok(Some(e.id)),
        None => {
            local.push(problem(
                "uscc",
                &format!(
                    "平台上没有登记统一社会信用代码为 {} 的企业，请先登记该企业",
                    code.as_str()
                ),
                &format!(
                    "No enterprise with the code {} is registered; register it first",
                    code.as_str()
                ),
            ));
            Ok(None)
        }
    }
}

async fn record(PageId(id): PageId, form: PageForm) -> Response {
    let inv = InvestmentForm {
        uscc: form.get("uscc"),
        round: form.get("round"),
        instrument: form.get("instrument"),
        amount: form.get("amount"),
        invested_on: form.get("invested_on"),
        post_money: form.get("post_money"),
        note: form.get("note"),
    };
    let mut local = Vec::new();
    let enterprise_id = match enterprise_of(&form.state, &mut local, &inv.uscc).await {
        Ok(e) => e,
        Err(e) => return error_page(&form.state, &form.headers, Some(&form.authed), &e),
    };
    // A problem the page finds is also one the action refuses: 0 is never an amount nor a
    // valuation, and no enterprise is refused.
    let amount_fen = wan(&mut local, "amount", &inv.amount, MAX_CAPITAL_FEN).unwrap_or(0);
    let post_money_fen = if inv.post_money.trim().is_empty() {
        None
    } else {
        Some(wan(&mut local, "post_money", &inv.post_money, MAX_CAPITAL_FEN).unwrap_or(0))
    };
    let input = InvestmentInput {
        fund_id: id,
        enterprise_id,
        round: inv.round.trim().to_string(),
        instrument: Some(inv.instrument.trim().to_string()).filter(|s| !s.is_empty()),
        amount_fen,
        invested_on: inv.invested_on.trim().to_string(),
        post_money_fen,
        deal_id: None,
        note: Some(inv.note.clone()),
    };
    let result = investments::record(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| {
            renamed(
                e,
                &[
                    ("enterprise_id", "uscc"),
                    ("amount_fen", "amount"),
                    ("post_money_fen", "post_money"),
                ],
            )
        });
    let typed = Typed {
        form: "investment",
        investment: inv,
        ..Typed::default()
    };
    finish(
        &form,
        id,
        typed,
        result,
        local,
        "investment_recorded",
        INVESTMENT_FIELDS,
    )
    .await
}

async fn exit(PageId(id): PageId, form: PageForm) -> Response {
    let ex = ExitForm {
        enterprise_id: form.get("enterprise_id"),
        kind: form.get("kind"),
        exited_on: form.get("exited_on"),
        cost: form.get("cost"),
        proceeds: form.get("proceeds"),
        note: form.get("note"),
    };
    let mut local = Vec::new();
    let enterprise_id = if ex.enterprise_id.trim().is_empty() {
        local.push(problem(
            "enterprise_id",
            "请选择退出的被投资企业",
            "Choose the enterprise exited",
        ));
        0
    } else {
        ex.enterprise_id.trim().parse().unwrap_or(0)
    };
    // Blank cost: everything still held. A cost that is not an amount is 0, which the action
    // refuses; so are proceeds of -1.
    let cost_fen = if ex.cost.trim().is_empty() {
        None
    } else {
        Some(wan(&mut local, "cost", &ex.cost, MAX_CAPITAL_FEN).unwrap_or(0))
    };
    let proceeds_fen = {
        let t = ex.proceeds.trim();
        if t.is_empty() {
            local.push(problem(
                "proceeds",
                "请填写退出所得（万元），核销填 0",
                "Give the proceeds (10,000 yuan); 0 for a write-off",
            ));
            -1
        } else if is_zero(t) {
            0
        } else {
            wan(&mut local, "proceeds", t, MAX_CAPITAL_FEN).unwrap_or(-1)
        }
    };
    let input = InvestmentExitInput {
        fund_id: id,
        enterprise_id,
        kind: ex.kind.trim().to_string(),
        exited_on: ex.exited_on.trim().to_string(),
        cost_fen,
        proceeds_fen,
        note: Some(ex.note.clone()),
    };
    // A page problem with the enterprise: the action must refuse too (no enterprise 0 is held).
    let result = investments::exit(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, &[("cost_fen", "cost"), ("proceeds_fen", "proceeds")]));
    let typed = Typed {
        form: "exit",
        exit: ex,
        ..Typed::default()
    };
    finish(
        &form,
        id,
        typed,
        result,
        local,
        "exit_recorded",
        EXIT_FIELDS,
    )
    .await
}
