//! Writing .xlsx workbooks: list exports, import templates and error reports.

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatBorder, IgnoreError, Note, Workbook, Worksheet,
};

use crate::cell::{Date, beyond_exact, format_number, parse_number};
use crate::error::SheetError;
use crate::headers::{Column, RowError};

/// A value to write into a cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Written as text, always: `"0731"`, a USCC or a phone number stays exactly as given.
    Text(String),
    /// A number cell (integers beyond ±2^53, which Excel cannot hold exactly, are written as
    /// text so that no digit is lost).
    Int(i64),
    /// A number cell (NaN and infinities are written as empty cells).
    Float(f64),
    /// A date cell formatted `yyyy-mm-dd`.
    Date(Date),
    #[default]
    Empty,
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Self {
        Value::Text(s.clone())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Int(n.into())
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Int(n.into())
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        i64::try_from(n).map_or_else(|_| Value::Text(n.to_string()), Value::Int)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Float(n)
    }
}

impl From<Date> for Value {
    fn from(d: Date) -> Self {
        Value::Date(d)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Empty, Into::into)
    }
}

/// One worksheet to write: a header row and data rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// Sanitised to Excel's rules when written (see [`sanitize_sheet_name`]).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Excel's limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;
const MAX_STRING_CHARS: usize = 32_767;
/// Column widths are measured on the header and the first rows only.
const WIDTH_SAMPLE_ROWS: usize = 2_000;

/// Makes `name` a valid, unique worksheet name: `[]:*?/\` replaced by `_`, no leading or
/// trailing apostrophe, at most 31 characters (UTF-16 units, as Excel counts), not blank, not
/// the reserved `History`, and different (ignoring case) from every name in `taken`.
pub fn sanitize_sheet_name(name: &str, taken: &[String]) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut base = cleaned.trim().trim_matches('\'').trim().to_owned();
    if base.is_empty() || base.eq_ignore_ascii_case("history") {
        base = if base.is_empty() {
            "Sheet".into()
        } else {
            format!("{base}_")
        };
    }
    let fits = |s: &str, limit: usize| -> String {
        let mut out = String::new();
        let mut units = 0;
        for c in s.chars() {
            units += c.len_utf16();
            if units > limit {
                break;
            }
            out.push(c);
        }
        // Truncation may have exposed an apostrophe at the end.
        out.trim_end_matches('\'').to_owned()
    };
    let is_taken = |s: &str| taken.iter().any(|t| t.to_lowercase() == s.to_lowercase());
    let first = fits(&base, 31);
    if !first.is_empty() && !is_taken(&first) {
        return first;
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            format!("{}{suffix}", fits(&base, 31 - suffix.len()))
        })
        .find(|candidate| !is_taken(candidate))
        .unwrap_or_else(|| "Sheet".into())
}

/// Display width of text in Excel's character units: CJK and other wide characters count 2.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|line| line.chars().map(char_width).sum())
        .max()
        .unwrap_or(0)
}

fn char_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x20000..=0x3fffd => 2,
        _ => 1,
    }
}

fn column_width(chars: usize) -> f64 {
    (chars as f64 + 2.0).clamp(8.0, 60.0)
}

/// The formats shared by every sheet of a workbook.
struct Formats {
    header: Format,
    header_required: Format,
    date: Format,
    text: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin);
        Formats {
            header_required: header.clone().set_font_color(Color::RGB(0xC00000)),
            header,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            text: Format::new().set_num_format("@"),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// Writes the sheets into one workbook: bold, frozen header row with an autofilter, column
/// widths from the content (CJK counted double), numbers as numbers, dates as `yyyy-mm-dd`
/// dates, and text as text (a code such as `0731` or a USCC is never turned into a number).
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets {
        let name = sanitize_sheet_name(&sheet.name, &names);
        names.push(name.clone());
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        write_sheet(worksheet, sheet, &formats)?;
    }
    // Most of the time of saving a large workbook is deflating its XML; level 3 is about 30%
    // faster than the default 6 for files about 6% larger.
    workbook.set_zip_compression_level(3);
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, formats: &Formats) -> Result<(), SheetError> {
    let width = sheet
        .rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(sheet.headers.len());
    if width > MAX_COLS {
        return Err(SheetError::TooManyColumns { limit: MAX_COLS });
    }
    if sheet.rows.len() >= MAX_ROWS {
        return Err(SheetError::TooManyRows {
            limit: MAX_ROWS - 1,
        });
    }
    let mut widths: Vec<usize> = vec![0; width];
    for (c, header) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, clip(header), &formats.header)?;
        widths[c] = display_width(header);
    }
    let mut numeric_text = false;
    for (r, row) in sheet.rows.iter().enumerate() {
        let r32 = (r + 1) as u32;
        let sample = r < WIDTH_SAMPLE_ROWS;
        for (c, value) in row.iter().enumerate() {
            let c16 = c as u16;
            let shown = write_value(ws, r32, c16, value, formats, &mut numeric_text)?;
            if sample {
                widths[c] = widths[c].max(shown);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, column_width(*w))?;
    }
    if !sheet.headers.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        let last_col = (width.max(1) - 1) as u16;
        ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    }
    if numeric_text && width > 0 {
        ws.ignore_error_range(
            1,
            0,
            sheet.rows.len() as u32,
            (width - 1) as u16,
            IgnoreError::NumberStoredAsText,
        )?;
    }
    Ok(())
}

/// Writes one value and returns its display width.
fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    formats: &Formats,
    numeric_text: &mut bool,
) -> Result<usize, SheetError> {
    Ok(match value {
        Value::Empty => 0,
        Value::Text(s) if s.is_empty() => 0,
        Value::Text(s) => {
            let s = clip(s);
            if !*numeric_text && parse_number(s).is_some() {
                *numeric_text = true;
            }
            // Text format, so that editing the cell in Excel keeps it text.
            ws.write_string_with_format(row, col, s, &formats.text)?;
            display_width(s)
        }
        Value::Int(i) if beyond_exact(*i) => {
            let s = i.to_string();
            *numeric_text = true;
            ws.write_string_with_format(row, col, &s, &formats.text)?;
            s.len()
        }
        Value::Int(i) => {
            ws.write_number(row, col, *i as f64)?;
            i.to_string().len()
        }
        Value::Float(f) if !f.is_finite() => 0,
        Value::Float(f) => {
            ws.write_number(row, col, *f)?;
            format_number(*f).len()
        }
        Value::Date(d) => match ExcelDateTime::from_ymd(d.year(), d.month(), d.day()) {
            Ok(dt) => {
                ws.write_datetime_with_format(row, col, dt, &formats.date)?;
                10
            }
            // Before 1900 Excel has no date cells: write the date as text.
            Err(_) => {
                ws.write_string_with_format(row, col, d.to_string(), &formats.text)?;
                10
            }
        },
    })
}

/// Excel cells hold at most 32,767 characters.
fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_STRING_CHARS) {
        Some((cut, _)) => &s[..cut],
        None => s,
    }
}

/// An import template: a data sheet with the column headers (required ones marked `*` and in
/// red, each with a note explaining how to fill it in) and no data, so that nothing but the
/// user's rows is imported; a `说明` sheet listing every column with its hint; and a `填写示例`
/// sheet with the example rows. Columns whose example is text are formatted as text (so a
/// USCC typed in stays text) and those whose example is a date as `yyyy-mm-dd`.
pub fn template_xlsx(
    sheet_name: &str,
    columns: &[Column],
    example_rows: &[Vec<Value>],
) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let data_name = sanitize_sheet_name(sheet_name, &[]);
    let help_name = sanitize_sheet_name("说明", std::slice::from_ref(&data_name));
    let example_name = sanitize_sheet_name("填写示例", &[data_name.clone(), help_name.clone()]);

    // The data sheet, first, so that importing reads it.
    let ws = workbook.add_worksheet();
    ws.set_name(&data_name)?;
    for (c, column) in columns.iter().enumerate() {
        let c16 = c as u16;
        let header = column.template_header();
        let format = if column.required {
            &formats.header_required
        } else {
            &formats.header
        };
        ws.write_string_with_format(0, c16, &header, format)?;
        let mut note = format!(
            "{}（{}）\n{}",
            column.zh,
            if column.required { "必填" } else { "选填" },
            column.hint_zh
        );
        if !column.en.is_empty() {
            note.push_str(&format!("\n{}", column.en));
        }
        let note = Note::new(note)
            .set_author("填写说明")
            .add_author_prefix(false)
            .set_width(260)
            .set_height(110);
        ws.insert_note(0, c16, &note)?;
        let example = example_rows
            .iter()
            .map(|r| r.get(c))
            .find(|v| !matches!(v, None | Some(Value::Empty)));
        match example.flatten() {
            Some(Value::Text(_)) => {
                ws.set_column_format(c16, &formats.text)?;
            }
            Some(Value::Date(_)) => {
                ws.set_column_format(c16, &formats.date)?;
            }
            _ => {}
        }
        let example_width = example_rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(value_width)
            .max()
            .unwrap_or(0);
        ws.set_column_width(c16, column_width(display_width(&header).max(example_width)))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_active(true);

    // 说明: one row per column.
    let help = workbook.add_worksheet();
    help.set_name(&help_name)?;
    let help_headers = ["列名", "英文列名", "是否必填", "填写说明", "示例"];
    for (c, h) in help_headers.iter().enumerate() {
        help.write_string_with_format(0, c as u16, *h, &formats.header)?;
    }
    let mut hint_width = display_width(help_headers[3]);
    for (r, column) in columns.iter().enumerate() {
        let r32 = (r + 1) as u32;
        help.write_string(r32, 0, column.zh)?;
        help.write_string(r32, 1, column.en)?;
        help.write_string(r32, 2, if column.required { "必填" } else { "选填" })?;
        help.write_string_with_format(r32, 3, column.hint_zh, &formats.wrap)?;
        hint_width = hint_width.max(display_width(column.hint_zh));
        if let Some(v) = example_rows
            .iter()
            .filter_map(|row| row.get(r))
            .find(|v| **v != Value::Empty)
        {
            let mut ignored = false;
            write_value(help, r32, 4, v, &formats, &mut ignored)?;
        }
    }
    let name_width = columns
        .iter()
        .map(|c| display_width(c.zh))
        .max()
        .unwrap_or(0);
    let en_width = columns
        .iter()
        .map(|c| display_width(c.en))
        .max()
        .unwrap_or(0);
    help.set_column_width(0, column_width(name_width.max(4)))?;
    help.set_column_width(1, column_width(en_width.max(8)))?;
    help.set_column_width(2, column_width(8))?;
    help.set_column_width(3, column_width(hint_width.min(60)))?;
    help.set_column_width(4, column_width(20))?;
    let footer = columns.len() as u32 + 2;
    help.write_string(
        footer,
        0,
        "带 * 的列为必填列。请在第一个工作表中从第 2 行开始填写，不要修改表头；“填写示例”工作表仅供参考，不会被导入。",
    )?;
    help.set_freeze_panes(1, 0)?;

    // 填写示例: the examples under the same headers.
    let example = Sheet {
        name: example_name.clone(),
        headers: columns.iter().map(Column::template_header).collect(),
        rows: example_rows.to_vec(),
    };
    let ex = workbook.add_worksheet();
    ex.set_name(&example_name)?;
    write_sheet(ex, &example, &formats)?;

    Ok(workbook.save_to_buffer()?)
}

fn value_width(v: &Value) -> usize {
    match v {
        Value::Text(s) => display_width(s),
        Value::Int(i) => i.to_string().len(),
        Value::Float(f) => format_number(*f).len(),
        Value::Date(_) => 10,
        Value::Empty => 0,
    }
}

/// At most this many problems are listed in an error report; a last line says how many more.
pub const MAX_REPORT_ERRORS: usize = 100_000;

/// A workbook listing the problems found in an uploaded file (行号, 列, 值, 问题, Problem), sorted
/// by row, for the user to download and fix their file with.
pub fn error_report_xlsx(errors: &[RowError]) -> Result<Vec<u8>, SheetError> {
    let mut sorted: Vec<&RowError> = errors.iter().collect();
    sorted.sort_by_key(|e| e.row);
    let mut rows: Vec<Vec<Value>> = sorted
        .iter()
        .take(MAX_REPORT_ERRORS)
        .map(|e| {
            vec![
                Value::from(e.row),
                Value::Text(e.column.clone()),
                Value::Text(e.value.clone()),
                Value::Text(e.zh.clone()),
                Value::Text(e.en.clone()),
            ]
        })
        .collect();
    if errors.len() > MAX_REPORT_ERRORS {
        let more = errors.len() - MAX_REPORT_ERRORS;
        rows.push(vec![
            Value::Empty,
            Value::Empty,
            Value::Empty,
            Value::Text(format!(
                "另有 {more} 个问题未列出，请先改正以上问题后重新导入"
            )),
            Value::Text(format!(
                "{more} more problems not listed; fix the ones above and import again"
            )),
        ]);
    }
    let sheet = Sheet {
        name: "问题清单".into(),
        headers: ["行号 Row", "列 Column", "值 Value", "问题", "Problem"]
            .map(String::from)
            .to_vec(),
        rows,
    };
    write_xlsx(&[sheet])
}
