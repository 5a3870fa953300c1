//! The statistics dashboard and the annual report: tables with server-drawn SVG charts beside them.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_charts::{ChartOptions, Series, Tile};
use fruition_domain::annual::AnnualReport;
use fruition_domain::carrier::{CarrierKind, Level};
use fruition_sheets::{Sheet, Value};
use serde::Deserialize;

use super::export::{self, Export};
use super::{Chrome, error_page, render};
use crate::AppState;
use crate::auth::PageUser;
use fruition_app::clock::this_year;
use fruition_app::credit::target::{TallyLine, TargetQuery};
use fruition_app::deals::ContractStatistics;
use fruition_app::statistics::{self, Dashboard, Filters, KindRow, Place, YearRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(dashboard_page))
        .route("/statistics/export.xlsx", get(dashboard_page))
        .route("/annual-report", get(annual_page))
        .route("/annual-report/export.xlsx", get(annual_page))
        .route("/annual-report/export.docx", get(annual_docx))
}

/// The charts and tables of a dashboard, drawn for a language.
pub struct Charts {
    pub by_kind_svg: String,
    pub by_place_svg: String,
    pub map_svg: String,
    pub by_chain_svg: String,
    pub trend_svg: String,
    pub employees_svg: String,
}

fn opts(
    id: &str,
    title: &str,
    description: &str,
    unit: &str,
    width: u32,
    height: u32,
) -> ChartOptions {
    ChartOptions {
        id: id.into(),
        title: title.into(),
        description: description.into(),
        width,
        height,
        unit: unit.into(),
    }
}

const TILES_TSV: &str = include_str!("../../../../data/tiles.tsv");

/// Where each place sits on the city's schematic map (`data/tiles.tsv`), or a plain grid.
fn tile_position(city: &str, code: &str, index: usize) -> (u32, u32) {
    TILES_TSV
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f.len() == 4 && f[0] == city && f[1] == code)
                .then(|| (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0)))
        })
        .next()
        .unwrap_or(((index % 4) as u32, (index / 4) as u32))
}

pub fn draw(d: &Dashboard, city_code: &str) -> Charts {
    let kinds: Vec<String> = d.by_kind.iter().map(|k| k.kind_label.clone()).collect();
    let series = vec![
        Series::new(
            "国家级",
            d.by_kind.iter().map(|k| k.national as f64).collect(),
        ),
        Series::new(
            "省级",
            d.by_kind.iter().map(|k| k.provincial as f64).collect(),
        ),
        Series::new(
            "市级",
            d.by_kind.iter().map(|k| k.municipal as f64).collect(),
        ),
        Series::new(
            "未认定",
            d.by_kind.iter().map(|k| k.unrated as f64).collect(),
        ),
    ];
    let by_kind_svg = fruition_charts::stacked_bar(
        &opts(
            "kind",
            &format!("{}年底各类载体数量（按级别）", d.year),
            "各类双创孵化载体按认定级别分的数量",
            "家",
            640,
            360,
        ),
        &kinds,
        &series,
    );
    let places: Vec<String> = d.by_place.iter().map(|(p, _)| p.name.clone()).collect();
    let counts: Vec<f64> = d.by_place.iter().map(|(_, n)| *n as f64).collect();
    let by_place_svg = fruition_charts::horizontal_bar(
        &opts(
            "place",
            "载体区域分布",
            "各功能区和区县的载体数量（功能区单列）",
            "家",
            640,
            360,
        ),
        &places,
        &counts,
    );
    let all_places: Vec<&Place> = d.places.iter().collect();
    let tiles: Vec<Tile> = all_places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (col, row) = tile_position(city_code, &p.code, i);
            let value = d
                .by_place
                .iter()
                .find(|(q, _)| q == *p)
                .map(|(_, n)| *n as f64)
                .unwrap_or(0.0);
            Tile {
                label: p.name.clone(),
                col,
                row,
                value,
                note: None,
                href: Some(format!("/carriers?place={}", p.code)),
            }
        })
        .collect();
    let map_svg = fruition_charts::tile_map(
        &opts(
            "map",
            "载体分布示意图",
            "各区县和功能区的载体数量，颜色越深数量越多",
            "家",
            640,
            640,
        ),
        &tiles,
    );
    let chains: Vec<String> = d
        .incubatees_by_chain
        .iter()
        .map(|(c, _)| c.clone())
        .collect();
    let chain_counts: Vec<f64> = d
        .incubatees_by_chain
        .iter()
        .map(|(_, n)| *n as f64)
        .collect();
    let by_chain_svg = fruition_charts::horizontal_bar(
        &opts(
            "chain",
            &format!("{}年在孵企业产业链分布", d.year),
            "已通过年报中的在孵企业按产业链分的数量",
            "家",
            640,
            360,
        ),
        &chains,
        &chain_counts,
    );
    let years: Vec<String> = d.trend.iter().map(|t| t.year.to_string()).collect();
    let trend_svg = fruition_charts::line(
        &opts(
            "trend",
            "在孵企业与专利趋势",
            "近五年在孵企业数、专利申请数和授权数",
            "",
            640,
            360,
        ),
        &years,
        &[
            Series::new(
                "在孵企业",
                d.trend.iter().map(|t| t.incubatees as f64).collect(),
            ),
            Series::new(
                "专利申请",
                d.trend
                    .iter()
                    .map(|t| t.patent_applications as f64)
                    .collect(),
            ),
            Series::new(
                "专利授权",
                d.trend.iter().map(|t| t.patent_grants as f64).collect(),
            ),
        ],
    );
    let employees_svg = fruition_charts::line(
        &opts(
            "employees",
            "从业人员与高层次人才趋势",
            "近五年在孵企业从业人员和高层次人才",
            "人",
            640,
            360,
        ),
        &years,
        &[
            Series::new(
                "从业人员",
                d.trend.iter().map(|t| t.employees as f64).collect(),
            ),
            Series::new(
                "高层次人才",
                d.trend.iter().map(|t| t.high_level_talent as f64).collect(),
            ),
        ],
    );
    Charts {
        by_kind_svg,
        by_place_svg,
        map_svg,
        by_chain_svg,
        trend_svg,
        employees_svg,
    }
}

/// A choice in a select box whose values come from data.
pub struct Opt {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct DashboardPage {
    c: Chrome,
    d: Dashboard,
    charts: Charts,
    years: Vec<Opt>,
    kinds: Vec<Opt>,
    levels: Vec<Opt>,
    places: Vec<Opt>,
    export_href: String,
    /// Registered technology contracts of the year (`actions::deals::statistics`).
    contracts: ContractStatistics,
    contracts_svg: String,
    /// Pilot lines, instruments and vouchers of the year (`statistics_body.html`).
    pilot: PilotFigures,
    /// The year's staff training: courses held and attendances (`statistics_body.html`).
    training: (i64, i64),
    /// Knowledge-value credit loans against the target (`statistics_body.html`).
    credit: CreditFigures,
    /// The published evaluation grades by carrier kind and county (the year's round, else the
    /// latest published); none for those who may not read evaluations.
    grades: Option<fruition_app::evaluations::GradeTable>,
}

impl DashboardPage {
    /// The contract tables: (caption key, rows).
    fn contract_tables(&self) -> Vec<(&'static str, &[fruition_app::deals::ContractRow])> {
        vec![
            ("by_contract_type", &self.contracts.by_type),
            ("by_tech_field", &self.contracts.by_field),
            ("by_chain", &self.contracts.by_chain),
            ("by_incubating_carrier", &self.contracts.by_carrier),
            ("by_contract_source", &self.contracts.by_source),
            ("by_seller_place", &self.contracts.by_seller_place),
            ("by_buyer_place", &self.contracts.by_buyer_place),
            ("by_side_place", &self.contracts.by_side),
            ("by_registration_year", &self.contracts.by_year),
        ]
    }
}

/// A bar chart of the year's technology-transaction amounts by field.
fn contracts_chart(k: &ContractStatistics, year: i64) -> String {
    let fields: Vec<String> = k.by_field.iter().map(|r| r.name.clone()).collect();
    let amounts: Vec<f64> = k
        .by_field
        .iter()
        .map(|r| r.tech_amount_fen as f64 / 1_000_000.0)
        .collect();
    fruition_charts::horizontal_bar(
        &opts(
            "contracts",
            &format!("{year}年登记技术合同的技术交易额（按技术领域）"),
            "已登记技术合同的技术交易额按技术领域分布",
            "万元",
            640,
            320,
        ),
        &fields,
        &amounts,
    )
}

/// One owner's (or the total) line of the pilot table, money in 元.
pub struct PilotRow {
    pub name: String,
    pub resources: i64,
    pub bookings: i64,
    pub users: i64,
    pub billed: String,
    pub paid: String,
    pub voucher: String,
}

impl PilotRow {
    fn of(b: &fruition_app::pilot::BaseYearView) -> PilotRow {
        PilotRow {
            name: b.owner_name.clone(),
            resources: b.resources,
            bookings: b.bookings,
            users: b.users,
            billed: fruition_domain::money::yuan(b.billed_fen),
            paid: fruition_domain::money::yuan(b.paid_fen),
            voucher: fruition_domain::money::yuan(b.voucher_fen),
        }
    }
}

/// The year's pilot lines, instruments and innovation vouchers (`actions::pilot::year_figures`).
pub struct PilotFigures {
    pub year: i64,
    pub rows: Vec<PilotRow>,
    pub total: PilotRow,
    pub vouchers_issued: i64,
    pub vouchers_issued_yuan: String,
    pub voucher_enterprises: i64,
    pub vouchers_spent: String,
    pub vouchers_reimbursed: String,
}

async fn pilot_figures(
    state: &AppState,
    year: i64,
) -> Result<PilotFigures, crate::error::AppError> {
    let y = fruition_app::pilot::year_figures(state, year).await?;
    Ok(PilotFigures {
        year: y.year,
        rows: y.bases.iter().map(PilotRow::of).collect(),
        total: PilotRow::of(&y.totals),
        vouchers_issued: y.vouchers_issued,
        vouchers_issued_yuan: fruition_domain::money::yuan(y.vouchers_issued_fen),
        voucher_enterprises: y.voucher_enterprises,
        vouchers_spent: fruition_domain::money::yuan(y.vouchers_spent_fen),
        vouchers_reimbursed: fruition_domain::money::yuan(y.vouchers_reimbursed_fen),
    })
}

/// Knowledge-value credit loans against the city's target (`fruition_app::credit::target`): the
/// progress so far, the loans by year of disbursement, and the year's loans by partner bank.
pub struct CreditFigures {
    pub year: i64,
    /// The target and everything disbursed so far, in the report's words (`30亿元`).
    pub target: String,
    pub issued: String,
    pub loans: i64,
    pub enterprises: i64,
    /// Issued over target, per mille, and as a person reads it (`5.1%`).
    pub progress_permille: i64,
    pub progress: String,
    pub by_year: Vec<TallyLine>,
    /// The year's loans.
    pub by_bank: Vec<TallyLine>,
    pub by_year_svg: String,
    pub by_bank_svg: String,
}

/// An amount in fen as the annual report words it: `1.52亿元`, `356万元`.
fn fen_words(fen: i64) -> String {
    if fen < 1_000_000 {
        format!("{}元", fen / 100)
    } else {
        fruition_domain::deal::amount_words(fen / 100_000)
    }
}

async fn credit_figures(
    state: &AppState,
    c: &Chrome,
    authed: &crate::auth::Authed,
    year: i64,
) -> Result<CreditFigures, crate::error::AppError> {
    let ctx = super::forms::ctx(authed, String::new());
    let t = fruition_app::credit::target::target(state, &ctx, &TargetQuery { year: Some(year) })
        .await?;
    let wan = |fen: i64| fen as f64 / 1_000_000.0;
    let years: Vec<String> = t.by_year.iter().map(|l| l.label.clone()).collect();
    let by_year_svg = fruition_charts::bar(
        &opts(
            "credit-years",
            c.t("stats_credit_chart_years"),
            c.t("stats_credit_chart_years_desc"),
            c.t("stats_credit_unit_wan"),
            640,
            320,
        ),
        &years,
        &t.by_year
            .iter()
            .map(|l| wan(l.amount_fen))
            .collect::<Vec<_>>(),
    );
    let banks: Vec<String> = t.by_bank.iter().map(|l| l.label.clone()).collect();
    let by_bank_svg = fruition_charts::horizontal_bar(
        &opts(
            "credit-banks",
            &format!("{}（{year}）", c.t("stats_credit_chart_banks")),
            c.t("stats_credit_chart_banks_desc"),
            c.t("stats_credit_unit_wan"),
            640,
            320,
        ),
        &banks,
        &t.by_bank
            .iter()
            .map(|l| wan(l.amount_fen))
            .collect::<Vec<_>>(),
    );
    Ok(CreditFigures {
        year,
        target: fen_words(t.target_fen),
        issued: fen_words(t.issued_fen),
        loans: t.loans,
        enterprises: t.enterprises,
        progress: format!(
            "{}%",
            fruition_domain::wording::percent(t.issued_fen, t.target_fen)
        ),
        progress_permille: t.progress_permille.clamp(0, 1000),
        by_year: t.by_year,
        by_bank: t.by_bank,
        by_year_svg,
        by_bank_svg,
    })
}

/// The loans by year and by bank as worksheets, money in 元.
fn credit_sheets(c: &Chrome, k: &CreditFigures) -> Vec<Sheet> {
    let table = |title: String, rows: &[TallyLine]| {
        export::sheet(
            &title,
            rows,
            &[
                (c.t("name"), &|r: &TallyLine| Value::from(&r.label)),
                (c.t("stats_credit_loans"), &|r: &TallyLine| {
                    Value::from(r.loans)
                }),
                (c.t("stats_credit_enterprises"), &|r: &TallyLine| {
                    Value::from(r.enterprises)
                }),
                (c.t("stats_credit_amount"), &|r: &TallyLine| {
                    Value::Float(r.amount_fen as f64 / 100.0)
                }),
            ],
        )
    };
    let title = c.t("stats_credit");
    vec![
        table(
            format!("{title}（{}）", c.t("stats_credit_by_year")),
            &k.by_year,
        ),
        table(
            format!("{title}（{}，{}）", c.t("stats_credit_by_bank"), k.year),
            &k.by_bank,
        ),
    ]
}

#[derive(Deserialize)]
struct StatsQuery {
    year: Option<String>,
    kind: Option<String>,
    level: Option<String>,
    place: Option<String>,
}

/// The year in the query, else the latest year with approved reports (else last year).
async fn asked_year(state: &AppState, q: &StatsQuery) -> Result<i64, crate::error::AppError> {
    match q.year.as_deref().and_then(|y| y.trim().parse().ok()) {
        Some(y) => Ok(y),
        None => statistics::default_year(state).await,
    }
}

fn year_choices(selected: i64) -> Vec<Opt> {
    (2015..=this_year())
        .rev()
        .map(|y| Opt {
            code: y.to_string(),
            label: format!("{y}"),
            selected: y == selected,
        })
        .collect()
}

/// The published grades of `year`'s evaluation, else of the latest published one; none when the
/// user may not read evaluations or none is published.
async fn evaluation_grades(
    state: &AppState,
    authed: &crate::auth::Authed,
    year: i64,
) -> Result<Option<fruition_app::evaluations::GradeTable>, crate::error::AppError> {
    use fruition_app::evaluations::grades;
    let ctx = super::forms::ctx(authed, String::new());
    let table = match grades(state, &ctx, Some(year)).await {
        Ok(t) if t.round.is_some() => t,
        Ok(_) => grades(state, &ctx, None).await?,
        Err(crate::error::AppError::Forbidden(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(table.round.is_some().then_some(table))
}

async fn dashboard_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<StatsQuery>,
    export: Export,
) -> Response {
    let year = match asked_year(&state, &q).await {
        Ok(y) => y,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let f = Filters {
        kind: q.kind.as_deref().and_then(CarrierKind::parse),
        level: q.level.as_deref().and_then(Level::parse),
        place: q.place.clone().filter(|p| !p.is_empty()),
    };
    match statistics::dashboard(&state, year, &f).await {
        Ok(d) if export.xlsx => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/statistics", "statistics");
            let name = format!("{} {}", c.t("statistics"), d.year);
            let contracts = match fruition_app::deals::statistics(&state, Some(year)).await {
                Ok(k) => k,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let pilot = match fruition_app::pilot::year_figures(&state, year).await {
                Ok(p) => p,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let credit = match credit_figures(&state, &c, &authed, year).await {
                Ok(k) => k,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let mut sheets = dashboard_sheets(&c, &d);
            sheets.extend(contract_sheets(&c, &contracts));
            sheets.push(pilot_sheet(&c, &pilot));
            sheets.extend(credit_sheets(&c, &credit));
            export::download(&name, &sheets)
        }
        Ok(d) => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/statistics", "statistics");
            let kinds = CarrierKind::ALL
                .iter()
                .map(|k| Opt {
                    code: k.code().into(),
                    label: k.label(c.lang).into(),
                    selected: f.kind == Some(*k),
                })
                .collect();
            let levels = Level::ALL
                .iter()
                .map(|l| Opt {
                    code: l.code().into(),
                    label: l.label(c.lang).into(),
                    selected: f.level == Some(*l),
                })
                .collect();
            let places = d
                .places
                .iter()
                .map(|p| Opt {
                    code: p.code.clone(),
                    label: p.name.clone(),
                    selected: f.place.as_deref() == Some(&p.code),
                })
                .collect();
            let charts = draw(&d, &state.settings.city_code);
            let contracts = match fruition_app::deals::statistics(&state, Some(year)).await {
                Ok(k) => k,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let contracts_svg = contracts_chart(&contracts, year);
            let pilot = match pilot_figures(&state, year).await {
                Ok(p) => p,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let credit = match credit_figures(&state, &c, &authed, year).await {
                Ok(k) => k,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let training =
                match fruition_store::alliance::training::year_tally(&state.db, year).await {
                    Ok(t) => t,
                    Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
                };
            let grades = match evaluation_grades(&state, &authed, year).await {
                Ok(g) => g,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            render(&DashboardPage {
                grades,
                training,
                credit,
                pilot,
                contracts,
                contracts_svg,
                years: year_choices(year),
                kinds,
                levels,
                places,
                charts,
                export_href: export.href,
                d,
                c,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "annual_report.html")]
struct AnnualPage {
    c: Chrome,
    report: AnnualReport,
    d: Dashboard,
    charts: Charts,
    funds: Vec<(String, i64)>,
    lineages: Vec<(String, Vec<String>, Vec<String>, i64)>,
    years: Vec<Opt>,
    export_href: String,
    /// The report as a Word document, same year.
    docx_href: String,
    pilot: PilotFigures,
    credit: CreditFigures,
    training: (i64, i64),
}

/// The annual report as a Word document (`annual_document`), for those who may read the page.
async fn annual_docx(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Response {
    let year = match asked_year(&state, &q).await {
        Ok(y) => y,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let ctx = super::forms::ctx(&authed, String::new());
    let lang = crate::i18n::lang_of(&headers);
    match crate::annual_document::docx(&state, &ctx, year, lang).await {
        Ok((name, bytes)) => crate::download::file_response(
            axum::http::StatusCode::OK,
            &name,
            fruition_docx::DOCX,
            bytes,
        ),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn annual_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<StatsQuery>,
    export: Export,
) -> Response {
    let year = match asked_year(&state, &q).await {
        Ok(y) => y,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    match statistics::annual(&state, year).await {
        Ok(a) if export.xlsx => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/annual-report",
                "annual_report",
            );
            let mut sheets = dashboard_sheets(&c, &a.dashboard);
            sheets.push(export::sheet(
                c.t("funds"),
                &a.funds,
                &[
                    (c.t("name"), &|(n, _): &(String, i64)| Value::from(n)),
                    (c.t("fund_size_k"), &|(_, k): &(String, i64)| {
                        Value::from(*k)
                    }),
                ],
            ));
            type Lineage = (String, Vec<String>, Vec<String>, i64);
            sheets.push(export::sheet(
                c.t("spinoffs"),
                &a.lineages,
                &[
                    (c.t("parent"), &|l: &Lineage| Value::from(&l.0)),
                    (c.t("stage_path"), &|l: &Lineage| {
                        Value::from(l.1.join(" → "))
                    }),
                    (c.t("named_spinoffs"), &|l: &Lineage| {
                        Value::from(l.2.join("、"))
                    }),
                    (c.t("companies"), &|l: &Lineage| Value::from(l.3)),
                ],
            ));
            let name = format!("{} {}", c.t("annual_report"), a.dashboard.year);
            export::download(&name, &sheets)
        }
        Ok(a) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/annual-report",
                "annual_report",
            );
            let charts = draw(&a.dashboard, &state.settings.city_code);
            let pilot = match pilot_figures(&state, year).await {
                Ok(p) => p,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let credit = match credit_figures(&state, &c, &authed, year).await {
                Ok(k) => k,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let training =
                match fruition_store::alliance::training::year_tally(&state.db, year).await {
                    Ok(t) => t,
                    Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
                };
            render(&AnnualPage {
                training,
                credit,
                pilot,
                report: a.report,
                d: a.dashboard,
                charts,
                funds: a.funds,
                lineages: a.lineages,
                years: year_choices(year),
                export_href: export.href,
                docx_href: format!("/annual-report/export.docx?year={year}"),
                c,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// The dashboard's tables as worksheets, one per table.
fn dashboard_sheets(c: &Chrome, d: &Dashboard) -> Vec<Sheet> {
    let kinds = export::sheet(
        c.t("by_kind_level"),
        &d.by_kind,
        &[
            (c.t("carrier_kind"), &|k: &KindRow| {
                Value::from(&k.kind_label)
            }),
            (c.t("national"), &|k: &KindRow| Value::from(k.national)),
            (c.t("provincial"), &|k: &KindRow| Value::from(k.provincial)),
            (c.t("municipal"), &|k: &KindRow| Value::from(k.municipal)),
            (c.t("unrated"), &|k: &KindRow| Value::from(k.unrated)),
            (c.t("total"), &|k: &KindRow| Value::from(k.total)),
        ],
    );
    let places = export::sheet(
        c.t("by_place"),
        &d.by_place,
        &[
            (c.t("place"), &|(p, _): &(Place, i64)| Value::from(&p.name)),
            (c.t("carriers"), &|(_, n): &(Place, i64)| Value::from(*n)),
        ],
    );
    let by_chain = |name: &str, rows: &[(String, i64)], count_key: &str| {
        export::sheet(
            name,
            rows,
            &[
                (c.t("chain"), &|(ch, _): &(String, i64)| Value::from(ch)),
                (c.t(count_key), &|(_, n): &(String, i64)| Value::from(*n)),
            ],
        )
    };
    let trend = export::sheet(
        c.t("trend"),
        &d.trend,
        &[
            (c.t("year"), &|t: &YearRow| Value::from(t.year)),
            (c.t("incubatees"), &|t: &YearRow| Value::from(t.incubatees)),
            (c.t("employees"), &|t: &YearRow| Value::from(t.employees)),
            (c.t("high_level_talent"), &|t: &YearRow| {
                Value::from(t.high_level_talent)
            }),
            (c.t("patent_applications"), &|t: &YearRow| {
                Value::from(t.patent_applications)
            }),
            (c.t("patent_grants"), &|t: &YearRow| {
                Value::from(t.patent_grants)
            }),
        ],
    );
    vec![
        kinds,
        places,
        by_chain(
            c.t("incubatees_by_chain"),
            &d.incubatees_by_chain,
            "incubatees",
        ),
        by_chain(c.t("by_focus_chain"), &d.by_focus_chain, "carriers"),
        trend,
    ]
}

/// The pilot table (per owner, then the total) as a worksheet, money in 元.
fn pilot_sheet(c: &Chrome, y: &fruition_app::pilot::PilotYearView) -> Sheet {
    use fruition_app::pilot::BaseYearView;
    let mut rows: Vec<&BaseYearView> = y.bases.iter().collect();
    rows.push(&y.totals);
    let yuan = |fen: i64| Value::Float(fen as f64 / 100.0);
    export::sheet(
        &format!("{}（{}）", c.t("pilot_statistics"), y.year),
        &rows,
        &[
            (c.t("resource_owner"), &|b: &&BaseYearView| {
                Value::from(&b.owner_name)
            }),
            (c.t("pilot_resources_used"), &|b: &&BaseYearView| {
                Value::from(b.resources)
            }),
            (c.t("pilot_uses"), &|b: &&BaseYearView| {
                Value::from(b.bookings)
            }),
            (c.t("pilot_users"), &|b: &&BaseYearView| {
                Value::from(b.users)
            }),
            (c.t("bill_amount"), &|b: &&BaseYearView| yuan(b.billed_fen)),
            (c.t("paid_money"), &|b: &&BaseYearView| yuan(b.paid_fen)),
            (c.t("paid_voucher"), &|b: &&BaseYearView| {
                yuan(b.voucher_fen)
            }),
        ],
    )
}

/// The registered technology contracts' tables (by field, by carrier, by year) as worksheets.
fn contract_sheets(c: &Chrome, k: &fruition_app::deals::ContractStatistics) -> Vec<Sheet> {
    use fruition_app::deals::ContractRow;
    let table = |title: String, rows: &[ContractRow]| {
        export::sheet(
            &title,
            rows,
            &[
                (c.t("name"), &|r: &ContractRow| Value::from(&r.name)),
                (c.t("contracts_count"), &|r: &ContractRow| {
                    Value::from(r.contracts)
                }),
                (c.t("contract_amount_yuan"), &|r: &ContractRow| {
                    Value::from(r.contract_amount_fen as f64 / 100.0)
                }),
                (c.t("tech_amount_yuan"), &|r: &ContractRow| {
                    Value::from(r.tech_amount_fen as f64 / 100.0)
                }),
            ],
        )
    };
    let title = c.t("contract_statistics");
    vec![
        table(format!("{title}（{}）", c.t("tech_field")), &k.by_field),
        table(format!("{title}（{}）", c.t("chain")), &k.by_chain),
        table(format!("{title}（{}）", c.t("carriers")), &k.by_carrier),
        table(format!("{title}（{}）", c.t("contract_type")), &k.by_type),
        table(
            format!("{title}（{}）", c.t("by_seller_place")),
            &k.by_seller_place,
        ),
        table(
            format!("{title}（{}）", c.t("by_buyer_place")),
            &k.by_buyer_place,
        ),
        table(format!("{title}（{}）", c.t("by_side_place")), &k.by_side),
        table(format!("{title}（{}）", c.t("year")), &k.by_year),
    ]
}

/// Thousand yuan as 亿元 for tables.
pub fn yi(k: &i64) -> String {
    fruition_domain::wording::yi_yuan(*k)
}

super::pilot::yuan_helper!(DashboardPage);
