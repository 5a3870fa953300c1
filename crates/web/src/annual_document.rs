//! The annual report as a Word document (.docx), the format the bureau's documents travel in:
//! the report's text under its headings, then the tables of the annual report page with native
//! Word charts of what the page charts. The page (`/annual-report/export.docx`) and the API
//! (`/api/v1/annual-report/export.docx`) answer with it.

use fruition_app::Ctx;
use fruition_app::credit::target::{TallyLine, TargetQuery};
use fruition_app::statistics::{self, Annual};
use fruition_docx::{Block, Chart, ChartKind, Document, Series, Table};
use fruition_domain::lang::Lang;

use crate::AppState;
use crate::error::AppError;
use crate::i18n::t;

/// The sentence that stands for the report-based figures of a year without approved reports
/// (by reference, as templates call it).
pub fn no_reports_sentence(lang: &Lang, year: &i64) -> String {
    match lang {
        Lang::ZhCn => format!(
            "{year}年尚无已审核的年报数据：在孵企业、从业人员、人才和专利的统计暂缺，载体数量按年底登记情况列出。"
        ),
        Lang::En => format!(
            "There are no approved yearly reports for {year} yet: incubatees, employees, talent and patents are not counted; carriers are listed as registered at the year's end."
        ),
    }
}

/// The document's file name (with `.docx`): the report's title.
pub fn file_name(a: &Annual) -> String {
    format!("{}.docx", a.report.title)
}

/// The year's annual report as a .docx file: (file name, bytes).
pub async fn docx(
    state: &AppState,
    ctx: &Ctx<'_>,
    year: i64,
    lang: Lang,
) -> Result<(String, Vec<u8>), AppError> {
    let a = statistics::annual(state, year).await?;
    let pilot = fruition_app::pilot::year_figures(state, year).await?;
    let credit =
        fruition_app::credit::target::target(state, ctx, &TargetQuery { year: Some(year) }).await?;
    let training = fruition_store::alliance::training::year_tally(&state.db, year).await?;
    let doc = document(lang, &a, &pilot, &credit, training);
    let bytes = fruition_docx::write(&doc).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    Ok((file_name(&a), bytes))
}

fn table(caption: String, header: &[&str], rows: Vec<Vec<String>>) -> Block {
    Block::Table(Table {
        caption,
        header: header.iter().map(|h| (*h).to_string()).collect(),
        rows,
    })
}

fn chart(
    title: String,
    description: &str,
    kind: ChartKind,
    categories: Vec<String>,
    series: Vec<Series>,
) -> Block {
    Block::Chart(Chart {
        title,
        description: description.to_string(),
        kind,
        categories,
        series,
    })
}

fn series(name: &str, values: impl Iterator<Item = i64>) -> Series {
    Series {
        name: name.to_string(),
        values: values.map(|v| v as f64).collect(),
    }
}

fn credit_rows(rows: &[TallyLine]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            vec![
                r.label.clone(),
                r.loans.to_string(),
                r.enterprises.to_string(),
                r.amount.clone(),
            ]
        })
        .collect()
}

/// The document: the report, then its tables with their charts.
pub fn document(
    lang: Lang,
    a: &Annual,
    pilot: &fruition_app::pilot::PilotYearView,
    credit: &fruition_app::credit::target::TargetView,
    training: (i64, i64),
) -> Document {
    let d = &a.dashboard;
    let year = d.year;
    let tr = |key: &str| t(lang, key);
    let mut b = vec![
        Block::Title(a.report.title.clone()),
        Block::Note(tr("annual_basis").to_string()),
    ];
    for s in &a.report.sections {
        b.push(Block::Heading(1, s.heading.clone()));
        b.extend(s.paragraphs.iter().cloned().map(Block::Paragraph));
    }
    b.push(Block::Heading(1, tr("annual_tables").to_string()));
    if !d.has_reports {
        b.push(Block::Paragraph(no_reports_sentence(&lang, &year)));
    }

    // Carriers by kind and level.
    b.push(Block::Heading(2, tr("by_kind_level").to_string()));
    if !d.by_kind.is_empty() {
        b.push(chart(
            format!("{}（{year}）", tr("by_kind_level")),
            tr("by_kind_level"),
            ChartKind::StackedColumn,
            d.by_kind.iter().map(|k| k.kind_label.clone()).collect(),
            vec![
                series(tr("national"), d.by_kind.iter().map(|k| k.national)),
                series(tr("provincial"), d.by_kind.iter().map(|k| k.provincial)),
                series(tr("municipal"), d.by_kind.iter().map(|k| k.municipal)),
                series(tr("unrated"), d.by_kind.iter().map(|k| k.unrated)),
            ],
        ));
    }
    b.push(table(
        format!("{}（{year}）", tr("by_kind_level")),
        &[
            tr("carrier_kind"),
            tr("national"),
            tr("provincial"),
            tr("municipal"),
            tr("unrated"),
            tr("total"),
        ],
        d.by_kind
            .iter()
            .map(|k| {
                vec![
                    k.kind_label.clone(),
                    k.national.to_string(),
                    k.provincial.to_string(),
                    k.municipal.to_string(),
                    k.unrated.to_string(),
                    k.total.to_string(),
                ]
            })
            .collect(),
    ));

    // Carriers by place.
    b.push(Block::Heading(2, tr("by_place").to_string()));
    if !d.by_place.is_empty() {
        b.push(chart(
            format!("{}（{year}）", tr("by_place")),
            tr("zone_first"),
            ChartKind::Bar,
            d.by_place.iter().map(|(p, _)| p.name.clone()).collect(),
            vec![series(tr("carriers"), d.by_place.iter().map(|(_, n)| *n))],
        ));
    }
    b.push(table(
        format!("{}（{}）", tr("by_place"), tr("zone_first")),
        &[tr("place"), tr("carriers")],
        d.by_place
            .iter()
            .map(|(p, n)| vec![p.name.clone(), n.to_string()])
            .collect(),
    ));

    // Incubatees by chain, from approved reports.
    if d.has_reports {
        b.push(Block::Heading(2, tr("incubatees_by_chain").to_string()));
        b.push(chart(
            format!("{}（{year}）", tr("incubatees_by_chain")),
            tr("incubatees_by_chain"),
            ChartKind::Bar,
            d.incubatees_by_chain
                .iter()
                .map(|(c, _)| c.clone())
                .collect(),
            vec![series(
                tr("incubatees"),
                d.incubatees_by_chain.iter().map(|(_, n)| *n),
            )],
        ));
        b.push(table(
            format!("{}（{year}）", tr("incubatees_by_chain")),
            &[tr("chain"), tr("incubatees")],
            d.incubatees_by_chain
                .iter()
                .map(|(c, n)| vec![c.clone(), n.to_string()])
                .collect(),
        ));
    }
    if !d.by_focus_chain.is_empty() {
        b.push(table(
            tr("by_focus_chain").to_string(),
            &[tr("chain"), tr("carriers")],
            d.by_focus_chain
                .iter()
                .map(|(c, n)| vec![c.clone(), n.to_string()])
                .collect(),
        ));
    }

    // The trend, up to the last year with approved reports.
    if !d.trend.is_empty() {
        b.push(Block::Heading(2, tr("trend").to_string()));
        let years: Vec<String> = d.trend.iter().map(|r| r.year.to_string()).collect();
        b.push(chart(
            format!(
                "{}、{}、{}",
                tr("incubatees"),
                tr("patent_applications"),
                tr("patent_grants")
            ),
            tr("trend"),
            ChartKind::Line,
            years.clone(),
            vec![
                series(tr("incubatees"), d.trend.iter().map(|r| r.incubatees)),
                series(
                    tr("patent_applications"),
                    d.trend.iter().map(|r| r.patent_applications),
                ),
                series(tr("patent_grants"), d.trend.iter().map(|r| r.patent_grants)),
            ],
        ));
        b.push(chart(
            format!("{}、{}", tr("employees"), tr("high_level_talent")),
            tr("trend"),
            ChartKind::Line,
            years,
            vec![
                series(tr("employees"), d.trend.iter().map(|r| r.employees)),
                series(
                    tr("high_level_talent"),
                    d.trend.iter().map(|r| r.high_level_talent),
                ),
            ],
        ));
        b.push(table(
            tr("trend").to_string(),
            &[
                tr("year"),
                tr("incubatees"),
                tr("employees"),
                tr("high_level_talent"),
                tr("patent_applications"),
                tr("patent_grants"),
            ],
            d.trend
                .iter()
                .map(|r| {
                    vec![
                        r.year.to_string(),
                        r.incubatees.to_string(),
                        r.employees.to_string(),
                        r.high_level_talent.to_string(),
                        r.patent_applications.to_string(),
                        r.patent_grants.to_string(),
                    ]
                })
                .collect(),
        ));
    }

    // Pilot lines, instruments and vouchers.
    let yuan = fruition_domain::money::yuan;
    b.push(Block::Heading(
        2,
        format!("{}（{year}）", tr("pilot_statistics")),
    ));
    b.push(table(
        format!("{}（{year}）", tr("pilot_statistics")),
        &[
            tr("vouchers_issued"),
            tr("vouchers_issued_yuan"),
            tr("voucher_enterprises"),
            tr("vouchers_spent_yuan"),
            tr("vouchers_reimbursed_yuan"),
        ],
        vec![vec![
            pilot.vouchers_issued.to_string(),
            yuan(pilot.vouchers_issued_fen),
            pilot.voucher_enterprises.to_string(),
            yuan(pilot.vouchers_spent_fen),
            yuan(pilot.vouchers_reimbursed_fen),
        ]],
    ));
    if pilot.bases.is_empty() {
        b.push(Block::Paragraph(tr("no_pilot_use").to_string()));
    } else {
        b.push(table(
            format!("{}（{year}）", tr("pilot_by_owner")),
            &[
                tr("resource_owner"),
                tr("pilot_resources_used"),
                tr("pilot_uses"),
                tr("pilot_users"),
                tr("bill_amount"),
                tr("paid_money"),
                tr("paid_voucher"),
            ],
            pilot
                .bases
                .iter()
                .chain([&pilot.totals])
                .map(|r| {
                    vec![
                        r.owner_name.clone(),
                        r.resources.to_string(),
                        r.bookings.to_string(),
                        r.users.to_string(),
                        yuan(r.billed_fen),
                        yuan(r.paid_fen),
                        yuan(r.voucher_fen),
                    ]
                })
                .collect(),
        ));
    }

    // Knowledge-value credit loans.
    b.push(Block::Heading(2, tr("stats_credit").to_string()));
    b.push(Block::Paragraph(format!(
        "{}：{}；{}：{}；{}：{}%。",
        tr("stats_credit_target"),
        credit.target,
        tr("stats_credit_issued"),
        credit.issued,
        tr("stats_credit_progress"),
        fruition_domain::wording::percent(credit.issued_fen, credit.target_fen)
    )));
    let credit_header = [
        tr("year"),
        tr("stats_credit_loans"),
        tr("stats_credit_enterprises"),
        tr("stats_credit_amount"),
    ];
    if credit.by_year.is_empty() {
        b.push(Block::Paragraph(tr("stats_credit_none").to_string()));
    } else {
        b.push(chart(
            tr("stats_credit_chart_years").to_string(),
            tr("stats_credit_chart_years_desc"),
            ChartKind::Column,
            credit.by_year.iter().map(|l| l.label.clone()).collect(),
            vec![Series {
                name: tr("stats_credit_unit_wan").to_string(),
                values: credit
                    .by_year
                    .iter()
                    .map(|l| l.amount_fen as f64 / 1_000_000.0)
                    .collect(),
            }],
        ));
        b.push(table(
            tr("stats_credit_by_year").to_string(),
            &credit_header,
            credit_rows(&credit.by_year),
        ));
        if credit.by_bank.is_empty() {
            b.push(Block::Paragraph(
                tr("stats_credit_none_in_year").to_string(),
            ));
        } else {
            let mut header = credit_header;
            header[0] = tr("stats_credit_bank");
            b.push(table(
                format!("{}（{year}）", tr("stats_credit_by_bank")),
                &header,
                credit_rows(&credit.by_bank),
            ));
        }
    }

    // Staff training.
    b.push(Block::Heading(2, tr("alliance_training").to_string()));
    b.push(table(
        format!("{}（{year}）", tr("alliance_training")),
        &[tr("alliance_courses_held"), tr("alliance_attendances")],
        vec![vec![training.0.to_string(), training.1.to_string()]],
    ));

    // Funds and spin-offs.
    if !a.funds.is_empty() {
        b.push(Block::Heading(2, tr("funds").to_string()));
        b.push(table(
            tr("funds").to_string(),
            &[tr("name"), tr("fund_size")],
            a.funds
                .iter()
                .map(|(n, k)| vec![n.clone(), fruition_domain::wording::yi_yuan(*k)])
                .collect(),
        ));
    }
    if !a.lineages.is_empty() {
        b.push(Block::Heading(2, tr("spinoffs").to_string()));
        b.push(table(
            tr("spinoffs").to_string(),
            &[
                tr("parent"),
                tr("stage_path"),
                tr("named_spinoffs"),
                tr("companies"),
            ],
            a.lineages
                .iter()
                .map(|(parent, path, named, n)| {
                    vec![
                        parent.clone(),
                        path.join(" → "),
                        named.join("、"),
                        n.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    Document {
        title: a.report.title.clone(),
        blocks: b,
    }
}
