//! Importing a carrier's incubatees and their yearly indicators from a workbook (.xlsx, also .xls
//! and .ods) or a CSV file (UTF-8 or GB18030): every row is checked first — the profile by the
//! rules of [`super::enterprises::check_profile`], the dates, the figures by
//! [`Indicators::errors`], the enterprise's spells and reports elsewhere, duplicates in the file —
//! then everything is written in one transaction (enterprises created or updated by USCC, spells
//! opened, the figures upserted into the carrier's report for the year, an audit entry for each
//! change), or nothing is and the answer is every bad row with its column and reason.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use fruition_domain::authz::Action;
use fruition_domain::indicators::{FIELDS, Indicators};
use fruition_domain::lang::Lang;
use fruition_domain::region::RegionCode;
use fruition_domain::report::ReportStatus;
use fruition_sheets::{
    Cell, Column, HeaderMap, HeaderProblem, ReadOptions, Row, RowError, SheetError, Table, Value,
    map_headers, read_table_with,
};
use fruition_store::audit::AuditCtx;
use fruition_store::carriers::{self, Carrier};
use fruition_store::imports::{self, ImportRow, Target};
use fruition_store::reports;
use serde::Serialize;
use utoipa::ToSchema;

use super::Ctx;
use super::enterprises::{EnterpriseInput, check_profile};
use super::reference::{Lookups, city};
use crate::App;
use crate::error::{AppError, Problem};

/// The name of the template's data sheet.
pub const SHEET_NAME: &str = "在孵企业";

/// The largest file accepted (the API's and the page's body limit for an import).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

/// The refusal of a file over [`MAX_FILE_BYTES`] (413, naming the field and the limit).
pub fn file_over_limit() -> AppError {
    let limit = crate::error::size_words(MAX_FILE_BYTES as u64);
    AppError::file_too_large(
        "file",
        format!("文件过大，上限为 {limit}；请拆分成多个文件分批导入"),
        format!("The file is too large; the limit is {limit}. Split it and import the parts"),
    )
}

/// The enterprise's columns, before the indicators.
const PROFILE_COLUMNS: [Column; 10] = [
    Column {
        key: "uscc",
        zh: "统一社会信用代码",
        en: "USCC",
        required: true,
        hint_zh: "18 位统一社会信用代码（含校验码），按文本填写；已登记的企业按此代码更新",
    },
    Column {
        key: "name",
        zh: "企业名称",
        en: "Enterprise name",
        required: true,
        hint_zh: "营业执照上的企业全称",
    },
    Column {
        key: "founded_on",
        zh: "成立日期",
        en: "Founded on",
        required: false,
        hint_zh: "如 2021-05-01，可不填",
    },
    Column {
        key: "county",
        zh: "所在区县",
        en: "County",
        required: true,
        hint_zh: "区县名称或代码，如 天元区 或 430211",
    },
    Column {
        key: "zone",
        zh: "功能区",
        en: "Functional zone",
        required: false,
        hint_zh: "如 株洲国家高新区；不在功能区内则留空（须位于所填区县）",
    },
    Column {
        key: "chain",
        zh: "产业链",
        en: "Industrial chain",
        required: true,
        hint_zh: "产业链名称或代码，如 轨道交通",
    },
    Column {
        key: "industry_division",
        zh: "行业大类",
        en: "Industry division",
        required: false,
        hint_zh: "GB/T 4754-2017 行业大类两位代码，如 37，可不填",
    },
    Column {
        key: "high_tech",
        zh: "高新技术企业",
        en: "High-tech enterprise",
        required: false,
        hint_zh: "填“是”或“否”，留空为否",
    },
    Column {
        key: "tech_sme",
        zh: "科技型中小企业",
        en: "Technology-based SME",
        required: false,
        hint_zh: "填“是”或“否”，留空为否",
    },
    Column {
        key: "entered_on",
        zh: "入孵日期",
        en: "Entered on",
        required: true,
        hint_zh: "进入本载体孵化的日期，如 2023-03-01，不晚于导入年度的年底",
    },
];

/// English headers where [`FIELDS`]' labels repeat ("of which inventions" is said of both
/// applications and grants).
fn english_header(key: &str, label: &'static str) -> &'static str {
    match key {
        "invention_applications" => "Invention patent applications",
        "invention_grants" => "Invention patents granted",
        _ => label,
    }
}

static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let mut columns = PROFILE_COLUMNS.to_vec();
    columns.extend(FIELDS.iter().map(|(key, zh, en)| Column {
        key,
        zh,
        en: english_header(key, en),
        required: false,
        hint_zh: if key.ends_with("_k") {
            "单位：千元；非负整数，空白按 0 计"
        } else {
            "非负整数，空白按 0 计"
        },
    }));
    columns
});

/// The import's columns in template order: the enterprise, the entry date, the 17 indicators.
pub fn columns() -> &'static [Column] {
    &COLUMNS
}

/// The .xlsx template: the columns with hints and one example row.
pub fn template() -> Result<Vec<u8>, AppError> {
    let mut example: Vec<Value> = vec![
        "91430211MA4L0XXX0X".into(),
        "株洲示例科技有限公司".into(),
        fruition_sheets::Date::new(2021, 5, 1).map_or(Value::Empty, Value::Date),
        "天元区".into(),
        "株洲国家高新区".into(),
        "轨道交通".into(),
        "37".into(),
        "是".into(),
        "否".into(),
        fruition_sheets::Date::new(2023, 3, 1).map_or(Value::Empty, Value::Date),
    ];
    // A valid code for the example, so that it imports as it is.
    let body = "91430211MA4L0A2B3";
    if let Some(check) = fruition_domain::uscc::check_char(body) {
        example[0] = format!("{body}{check}").into();
    }
    let figures = Indicators {
        employees: 35,
        doctors: 2,
        returnees: 1,
        fresh_graduates: 6,
        high_level_talent: 1,
        revenue_k: 12_500,
        rd_spending_k: 1_800,
        taxes_k: 420,
        funding_raised_k: 5_000,
        patent_applications: 6,
        invention_applications: 3,
        patent_grants: 4,
        invention_grants: 1,
        valid_ip: 15,
        software_copyrights: 3,
        tech_contracts: 2,
        tech_contract_amount_k: 600,
    };
    example.extend(
        FIELDS
            .iter()
            .map(|(key, _, _)| Value::Int(figures.get(key).unwrap_or(0))),
    );
    fruition_sheets::template_xlsx(SHEET_NAME, columns(), &[example]).map_err(sheet_failed)
}

pub(crate) fn sheet_failed(e: SheetError) -> AppError {
    AppError::Internal(anyhow::anyhow!("{e}"))
}

/// A stage of an import, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file: rows read so far (the total is not known yet).
    Reading,
    /// Checking the rows: rows checked of the total.
    Checking,
    /// Writing (one transaction).
    Writing,
}

/// Called with the stage, the rows done and the total (0 while unknown).
pub type Progress = Arc<dyn Fn(Stage, usize, usize) + Send + Sync>;

/// How long each part of an import took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    pub read: Duration,
    /// Checking the rows, all told: by themselves, then against the database.
    pub check: Duration,
    /// Of `check`: reading, in the transaction, what the rows are checked against.
    pub lookups: Duration,
    pub write: Duration,
    /// Of `write`: the statements for each kind of row.
    pub statements: fruition_store::imports::WriteTimings,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportSummary {
    pub carrier_id: i64,
    pub year: i64,
    /// The carrier's report for the year, which now holds the rows' figures.
    pub report_id: i64,
    /// Data rows in the file.
    pub rows: usize,
    /// Enterprises registered by the import.
    pub created: usize,
    /// Registered enterprises whose profile the import changed.
    pub updated: usize,
    /// Registered enterprises whose profile was already as in the file.
    pub unchanged: usize,
    /// Incubation spells opened at the carrier.
    pub spells_opened: usize,
    /// Enterprises whose figures for the year were written (new or changed).
    pub indicators_written: usize,
    /// Enterprises whose figures were already as in the file.
    pub indicators_unchanged: usize,
    /// Entries added to the audit log.
    pub audit_entries: usize,
    #[serde(skip)]
    pub timings: Timings,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// Rows (or the header row) with problems: every one, by row and column.
    Rows(Vec<RowError>),
    /// Refused as a whole: not allowed, no such carrier, an unreadable file, a closed report.
    Refused(AppError),
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        ImportError::Refused(e)
    }
}

impl From<fruition_store::StoreError> for ImportError {
    fn from(e: fruition_store::StoreError) -> Self {
        ImportError::Refused(e.into())
    }
}

impl ImportError {
    /// As the API's error: 422 with each row's problem under `row N: column`.
    pub fn into_app_error(self) -> AppError {
        match self {
            ImportError::Refused(e) => e,
            ImportError::Rows(rows) => AppError::Invalid(rows.iter().map(row_problem).collect()),
        }
    }
}

/// A row's problem as a field problem keyed `row N: column`.
pub fn row_problem(e: &RowError) -> Problem {
    Problem {
        field: if e.column.is_empty() {
            format!("row {}", e.row)
        } else {
            format!("row {}: {}", e.row, e.column)
        },
        zh: e.zh.clone(),
        en: e.en.clone(),
    }
}

/// A row error's message in a language.
pub fn row_message(e: &RowError, lang: Lang) -> &str {
    lang.pick(&e.zh, &e.en)
}

/// Imports a file for a carrier and a year, as a signed-in user: the bureau or the carrier's
/// managers.
pub async fn import<B>(
    state: &App,
    ctx: &Ctx<'_>,
    carrier_id: i64,
    year: i64,
    bytes: B,
    filename: &str,
    progress: Option<Progress>,
) -> Result<ImportSummary, ImportError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::AddIncubatee {
        operator_org_id: carrier.operator_org_id,
    })?;
    run(
        state,
        &ctx.audit(),
        &carrier,
        year,
        bytes,
        filename,
        progress,
    )
    .await
}

/// Whether the actor may import for a carrier (to show the link and the form).
pub fn may_import(ctx: &Ctx<'_>, carrier: &Carrier) -> bool {
    ctx.require(Action::AddIncubatee {
        operator_org_id: carrier.operator_org_id,
    })
    .is_ok()
}

fn report_closed(status: ReportStatus, carrier: &Carrier, year: i64) -> AppError {
    AppError::Conflict {
        field: "report".into(),
        zh: format!(
            "“{}”的 {year} 年度年报状态为“{}”，不能再导入；如需更正，请联系科技局退回年报",
            carrier.name,
            status.label(Lang::ZhCn)
        ),
        en: format!(
            "{}'s {year} report is {}; nothing can be imported into it. Ask the bureau to return it for correction",
            carrier.name,
            status.code()
        ),
    }
}

/// Reads an uploaded workbook or CSV file off the async threads, within `options`' bounds (413
/// naming `file` past them, 422 naming `file` for a file that cannot be read), with a progress
/// callback; then maps its header row to `columns` (every header problem as a row error) and
/// refuses a file without data rows.
pub async fn read_upload<B>(
    bytes: B,
    filename: &str,
    options: ReadOptions,
    mut tick: impl FnMut(usize) + Send + 'static,
) -> Result<Table, AppError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let name = filename.to_string();
    tokio::task::spawn_blocking(move || {
        read_table_with(bytes.as_ref(), &name, &options, Some(&mut tick))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(|e| {
        if e.is_too_large() {
            AppError::file_too_large("file", e.zh(), e.en())
        } else {
            AppError::Invalid(vec![Problem {
                field: "file".into(),
                zh: e.zh(),
                en: e.en(),
            }])
        }
    })
}

/// The header row mapped to `columns`, or its problems as row errors; a file without data rows
/// refused naming `file`.
pub fn checked_header(table: &Table, columns: &[Column]) -> Result<HeaderMap, ImportError> {
    let header = match map_headers(table, columns) {
        Ok(h) => h,
        Err(problems) => return Err(ImportError::Rows(header_errors(table, &problems))),
    };
    if table.rows.is_empty() {
        return Err(AppError::Invalid(vec![Problem {
            field: "file".into(),
            zh: "文件中没有数据行：请从表头下一行开始填写".into(),
            en: "The file has no data rows: fill them in below the header row".into(),
        }])
        .into());
    }
    Ok(header)
}

/// The import itself, once the actor is allowed (the command line runs it for the bureau).
pub async fn run<B>(
    state: &App,
    audit: &AuditCtx,
    carrier: &Carrier,
    year: i64,
    bytes: B,
    filename: &str,
    progress: Option<Progress>,
) -> Result<ImportSummary, ImportError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    fruition_domain::carrier::check_import(&carrier.name, carrier.revoked_on.as_deref())
        .map_err(AppError::conflict)?;
    if !(2000..=crate::clock::this_year()).contains(&year) {
        return Err(AppError::invalid(fruition_domain::FieldError::new(
            "year",
            "year",
            "年份无效：须在 2000 年到今年之间",
            "Not a valid year: from 2000 to this year",
        ))
        .into());
    }
    if let Some(r) = reports::find(&state.db, carrier.id, year).await?
        && !r.status.editable()
    {
        return Err(report_closed(r.status, carrier, year).into());
    }

    // Read (off the async threads: a large workbook takes seconds).
    let started = Instant::now();
    let reading = progress.clone();
    let tick = move |n: usize| {
        if let Some(p) = &reading {
            p(Stage::Reading, n, 0);
        }
    };
    let table = read_upload(bytes, filename, ReadOptions::default(), tick).await?;
    let read = started.elapsed();

    // Check: first each row by itself, then against the database inside the transaction.
    let started = Instant::now();
    let header = checked_header(&table, columns())?;
    let rows_in_file = table.rows.len();
    let lookups = Lookups::cached(state).await?;
    let city = city(state);
    let checking = progress.clone();
    let (parsed, mut errors, header) = tokio::task::spawn_blocking(move || {
        let (parsed, errors) = parse_rows(&table, &header, &city, &lookups, year, checking);
        (parsed, errors, header)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;

    let looking = Instant::now();
    let mut tx = state.db.begin().await?;
    let report = reports::get_or_create(&mut tx, audit, carrier.id, year).await?;
    if !report.status.editable() {
        return Err(report_closed(report.status, carrier, year).into());
    }
    let usccs: Vec<String> = parsed.iter().map(|p| p.row.profile.uscc.clone()).collect();
    let known = imports::known(&mut tx, carrier.id, year, &usccs).await?;
    let lookups = looking.elapsed();
    let mut rows: Vec<ImportRow> = Vec::with_capacity(parsed.len());
    for p in parsed {
        let mut row = p.row;
        let uscc_error = |zh: String, en: String| RowError {
            row: p.number,
            column: header.header("uscc").to_string(),
            value: row.profile.uscc.clone(),
            zh,
            en,
        };
        let before = known.enterprises.get(&row.profile.uscc);
        if let Some(e) = before {
            let open = known.open_spells.get(&e.id);
            match open {
                Some(s) if s.carrier_id != carrier.id => {
                    errors.push((
                        0,
                        uscc_error(
                            format!(
                                "该企业正在“{}”孵化（{} 入孵），须先由该载体办理毕业或离开",
                                s.carrier_name, s.entered_on
                            ),
                            format!(
                                "The enterprise is incubating at {} (since {}); that carrier must record its exit first",
                                s.carrier_name, s.entered_on
                            ),
                        ),
                    ));
                    continue;
                }
                Some(s) if s.entered_on.as_str() > format!("{year:04}-12-31").as_str() => {
                    errors.push((
                        0,
                        uscc_error(
                            format!(
                                "该企业在本载体的入孵日期为 {}，晚于 {year} 年底，{year} 年不在本载体孵化",
                                s.entered_on
                            ),
                            format!(
                                "The enterprise entered this carrier on {}, after the end of {year}",
                                s.entered_on
                            ),
                        ),
                    ));
                    continue;
                }
                Some(_) => row.enter_on = None,
                None if known.here_in_year.contains(&e.id) => row.enter_on = None,
                None => {}
            }
            if let Some(f) = known.filed.get(&e.id) {
                if f.row.report_id.is_some_and(|r| r != report.id) {
                    let by = f.filed_carrier_name.clone().unwrap_or_default();
                    errors.push((
                        0,
                        uscc_error(
                            format!("该企业 {year} 年度的指标已由“{by}”的年报报送，不能重复报送"),
                            format!(
                                "The enterprise's {year} figures are already in {by}'s report; they are filed once"
                            ),
                        ),
                    ));
                    continue;
                }
                row.indicators_before = Some(f.row.clone());
            }
            row.profile.parent_id = e.parent_id;
            row.profile.org_id = e.org_id;
            row.before = Some(e.clone());
        }
        if row.profile.org_id.is_none() {
            row.profile.org_id = known.enterprise_orgs.get(&row.profile.uscc).copied();
        }
        rows.push(row);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(order, e)| (e.row, *order));
        return Err(ImportError::Rows(
            errors.into_iter().map(|(_, e)| e).collect(),
        ));
    }
    let check = started.elapsed();

    let started = Instant::now();
    if let Some(p) = &progress {
        p(Stage::Writing, 0, rows.len());
    }
    let target = Target {
        carrier_id: carrier.id,
        carrier_name: carrier.name.clone(),
        operator_org_id: carrier.operator_org_id,
        year,
        report_id: report.id,
    };
    let written = imports::write(&mut tx, audit, &target, &rows).await?;
    tx.commit().await?;
    if written.audit_entries >= 10_000 {
        imports::refresh_statistics(&state.db).await?;
    }
    if let Some(p) = &progress {
        p(Stage::Writing, rows.len(), rows.len());
    }
    Ok(ImportSummary {
        carrier_id: carrier.id,
        year,
        report_id: report.id,
        rows: rows_in_file,
        created: written.enterprises_created,
        updated: written.enterprises_updated,
        unchanged: written.enterprises_unchanged,
        spells_opened: written.spells_opened,
        indicators_written: written.indicators_created + written.indicators_updated,
        indicators_unchanged: written.indicators_unchanged,
        // The draft report, when the import started it, has its own entry.
        audit_entries: written.audit_entries,
        timings: Timings {
            read,
            check,
            lookups,
            write: started.elapsed(),
            statements: written.timings,
        },
    })
}

/// The header row's problems as row errors (on the header row), so they are listed like the rest.
fn header_errors(table: &Table, problems: &[HeaderProblem]) -> Vec<RowError> {
    problems
        .iter()
        .map(|p| {
            let column = match p {
                HeaderProblem::Missing { zh, .. } => (*zh).to_string(),
                HeaderProblem::Unknown { header, .. } | HeaderProblem::Duplicate { header, .. } => {
                    header.clone()
                }
                HeaderProblem::Unnamed { index } => fruition_sheets::column_letter(*index),
            };
            RowError::new(table.header_row.max(1), column, "", p.zh(), p.en())
        })
        .collect()
}

/// A row that passed the checks that need no database.
struct Parsed {
    number: usize,
    row: ImportRow,
}

/// Problems are ordered by row, then by their column's place in the template.
type Ordered = (usize, RowError);

/// The text of a cell; a one-digit number is padded (`6` → `06`) for two-digit codes typed as numbers.
fn code_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && (0.0..10.0).contains(n) => {
            format!("{:02}", *n as i64)
        }
        other => other.as_text(),
    }
}

/// Checks every row by itself: the profile, the dates, the figures, duplicates in the file.
fn parse_rows(
    table: &Table,
    header: &HeaderMap,
    city: &RegionCode,
    lookups: &Lookups,
    year: i64,
    progress: Option<Progress>,
) -> (Vec<Parsed>, Vec<Ordered>) {
    let order: HashMap<&str, usize> = columns()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key, i))
        .collect();
    let today = crate::clock::today();
    let year_end = format!("{year:04}-12-31");
    let total = table.rows.len();
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(total);
    let mut parsed = Vec::with_capacity(total);
    let mut errors: Vec<Ordered> = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        if let Some(p) = &progress
            && i % fruition_sheets::PROGRESS_EVERY == 0
        {
            p(Stage::Checking, i, total);
        }
        let before = errors.len();
        let mut err = |key: &str, zh: String, en: String| {
            errors.push((
                order.get(key).copied().unwrap_or(usize::MAX),
                header.error(row, key, zh, en),
            ));
        };
        if let Some(p) = parse_row(
            row, header, city, lookups, &today, &year_end, year, &mut err,
        ) {
            match seen.get(&p.profile.uscc) {
                Some(first) => err(
                    "uscc",
                    format!("与第 {first} 行的统一社会信用代码重复，同一企业只能填写一行"),
                    format!("The same code as row {first}; give each enterprise one row"),
                ),
                None => {
                    seen.insert(p.profile.uscc.clone(), row.number);
                    if errors.len() == before {
                        parsed.push(Parsed {
                            number: row.number,
                            row: p,
                        });
                    }
                }
            }
        }
    }
    if let Some(p) = &progress {
        p(Stage::Checking, total, total);
    }
    (parsed, errors)
}

#[allow(clippy::too_many_arguments)]
fn parse_row(
    row: &Row,
    h: &HeaderMap,
    city: &RegionCode,
    lookups: &Lookups,
    today: &str,
    year_end: &str,
    year: i64,
    err: &mut dyn FnMut(&str, String, String),
) -> Option<ImportRow> {
    let text = |key: &str| h.get(row, key).as_text();
    let mut ok = true;
    let mut date = |key: &str, required: bool, err: &mut dyn FnMut(&str, String, String)| {
        let cell = h.get(row, key);
        if cell.is_blank() && !required {
            return None;
        }
        match cell.as_date() {
            Ok(d) => Some(d.to_string()),
            Err(p) => {
                err(key, p.zh(), p.en());
                ok = false;
                None
            }
        }
    };
    let founded_on = date("founded_on", false, err);
    let entered_on = date("entered_on", true, err);
    let mut flag = |key: &str, err: &mut dyn FnMut(&str, String, String)| {
        let cell = h.get(row, key);
        if cell.is_blank() {
            return false;
        }
        cell.as_bool().unwrap_or_else(|p| {
            err(key, p.zh(), p.en());
            ok = false;
            false
        })
    };
    let high_tech = flag("high_tech", err);
    let tech_sme = flag("tech_sme", err);
    let chain = text("chain");
    if chain.is_empty() {
        err(
            "chain",
            "必填：请填写产业链".into(),
            "is required: give the industrial chain".into(),
        );
        ok = false;
    }
    let input = EnterpriseInput {
        uscc: text("uscc"),
        name: text("name"),
        // Already checked as a date: an invalid one was reported above.
        founded_on: founded_on.clone(),
        county: text("county"),
        zone: Some(text("zone")),
        chain: Some(chain),
        industry_division: Some(code_text(h.get(row, "industry_division"))),
        high_tech,
        tech_sme,
        parent_uscc: None,
    };
    let profile = match check_profile(city, lookups, &input) {
        Ok(c) => Some(c.profile),
        Err(problems) => {
            for p in problems {
                err(&p.field, p.zh, p.en);
            }
            None
        }
    };
    if let Some(f) = &founded_on
        && f.as_str() > today
    {
        err(
            "founded_on",
            format!("成立日期 {f} 晚于今天"),
            format!("The founding date {f} is in the future"),
        );
        ok = false;
    }
    if let Some(e) = &entered_on {
        if e.as_str() > today {
            err(
                "entered_on",
                format!("入孵日期 {e} 晚于今天"),
                format!("The entry date {e} is in the future"),
            );
            ok = false;
        } else if e.as_str() > year_end {
            err(
                "entered_on",
                format!("入孵日期 {e} 晚于 {year} 年底：该企业 {year} 年不在本载体孵化"),
                format!("Entered on {e}, after the end of {year}: not an incubatee that year"),
            );
            ok = false;
        }
    }
    let mut figures = Indicators::default();
    for (key, _, _) in FIELDS {
        let cell = h.get(row, key);
        if cell.is_blank() {
            continue;
        }
        match cell.as_i64() {
            Ok(v) => {
                figures.set(key, v);
            }
            Err(p) => {
                err(key, p.zh(), p.en());
                ok = false;
            }
        }
    }
    if ok {
        for e in figures.errors() {
            err(e.field, e.zh, e.en);
            ok = false;
        }
    }
    let profile = profile?;
    ok.then_some(ImportRow {
        profile,
        before: None,
        enter_on: entered_on,
        indicators: figures,
        indicators_before: None,
    })
}

/// A .xlsx listing the problems (行号, 列, 值, 问题, Problem).
pub fn error_report(errors: &[RowError]) -> Result<Vec<u8>, AppError> {
    fruition_sheets::error_report_xlsx(errors).map_err(sheet_failed)
}

#[cfg(test)]
mod tests {
    use fruition_sheets::{ReadOptions, read_table, read_table_with};

    use super::*;

    #[test]
    fn the_template_has_every_column_and_an_example_row() {
        let bytes = template().expect("template");
        let data = read_table(&bytes, "template.xlsx").expect("data sheet");
        let headers: Vec<String> = columns().iter().map(Column::template_header).collect();
        assert_eq!(data.headers, headers);
        assert!(data.rows.is_empty());
        let options = ReadOptions {
            sheet: Some("填写示例".into()),
            ..ReadOptions::default()
        };
        let example = read_table_with(&bytes, "template.xlsx", &options, None).expect("example");
        assert_eq!(example.headers, headers);
        assert_eq!(example.rows.len(), 1, "{example:?}");
    }
}
