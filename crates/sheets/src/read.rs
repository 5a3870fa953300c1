//! Reading the first (or a named) sheet of an .xlsx/.xls/.ods workbook or a CSV file into a
//! [`Table`].

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};

use crate::cell::{Cell, Date, beyond_exact};
use crate::error::SheetError;

/// Data rows accepted by default before reading stops with [`SheetError::TooManyRows`].
pub const DEFAULT_MAX_ROWS: usize = 200_000;
/// Columns accepted by default before reading stops with [`SheetError::TooManyColumns`].
pub const DEFAULT_MAX_COLUMNS: usize = 1_000;
/// The progress callback is called after every this many data rows (and once at the end).
pub const PROGRESS_EVERY: usize = 1_000;

/// A sheet read into memory: the column names from the header row and the data rows below it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column names, trimmed, one per column (`""` for a column that has data but no name).
    pub headers: Vec<String>,
    /// Data rows, in sheet order; fully empty rows are left out (each row keeps its number).
    /// Every row has exactly `headers.len()` cells.
    pub rows: Vec<Row>,
    /// The spreadsheet row number of the header row (1 unless rows above it are empty).
    pub header_row: usize,
    /// The worksheet that was read (`None` for CSV).
    pub sheet: Option<String>,
    pub format: SourceFormat,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The 1-based row number the user sees in Excel (the header row is normally 1).
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell in column `index` (0-based), or an empty cell past the end.
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&EMPTY)
    }
}

pub(crate) static EMPTY: Cell = Cell::Empty;

/// What kind of file a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceFormat {
    #[default]
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// Excel binary workbook.
    Xlsb,
    /// OpenDocument spreadsheet (LibreOffice, WPS can save it).
    Ods,
    Csv(TextEncoding),
}

/// The text encoding a CSV file turned out to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16,
    /// GB18030 (a superset of GBK and GB2312): what Excel on Chinese Windows writes as "CSV".
    Gb18030,
}

/// Options for [`read_table_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read this worksheet (by name; case and surrounding spaces ignored) instead of the first
    /// visible one. Ignored for CSV.
    pub sheet: Option<String>,
    /// More data rows than this give [`SheetError::TooManyRows`] as soon as they are seen.
    pub max_rows: usize,
    /// A value in a column past this gives [`SheetError::TooManyColumns`].
    pub max_columns: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            sheet: None,
            max_rows: DEFAULT_MAX_ROWS,
            max_columns: DEFAULT_MAX_COLUMNS,
        }
    }
}

/// Reads the first visible worksheet of a workbook, or a CSV file, with default options.
///
/// The format is detected from the content, not the name: `.xlsx` (and `.xlsm`, `.ods`,
/// `.xlsb`) are zip files, `.xls` is an OLE file, everything else is tried as CSV (UTF-8 with
/// or without BOM, UTF-16 with BOM, or GB18030/GBK). `filename_hint` only helps to tell zip
/// formats apart; pass `""` if unknown.
pub fn read_table(bytes: &[u8], filename_hint: &str) -> Result<Table, SheetError> {
    read_table_with(bytes, filename_hint, &ReadOptions::default(), None)
}

/// [`read_table`] with options and an optional progress callback, called with the number of
/// data rows read so far every [`PROGRESS_EVERY`] rows and once at the end.
pub fn read_table_with(
    bytes: &[u8],
    filename_hint: &str,
    options: &ReadOptions,
    progress: Option<&mut dyn FnMut(usize)>,
) -> Result<Table, SheetError> {
    let mut builder = Builder::new(options, progress);
    if bytes.is_empty() {
        return Err(SheetError::Empty);
    }
    let hint = filename_hint.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        guarded(&mut builder, |b| read_zip(bytes, &hint, b))
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        guarded(&mut builder, |b| read_ole(bytes, b))
    } else if bytes.starts_with(b"PK") {
        // An empty or spanned zip archive: not something Excel writes.
        Err(SheetError::Corrupt("zip".into()))
    } else {
        read_csv(bytes, &mut builder)
    }
}

/// Runs a calamine parse, turning a panic inside the third-party parser on a hostile file into
/// [`SheetError::Corrupt`] (a panic from the caller's progress callback is passed on).
fn guarded(
    builder: &mut Builder<'_, '_>,
    parse: impl FnOnce(&mut Builder<'_, '_>) -> Result<Table, SheetError>,
) -> Result<Table, SheetError> {
    match catch_unwind(AssertUnwindSafe(|| parse(&mut *builder))) {
        Ok(result) => result,
        Err(payload) if builder.in_callback => resume_unwind(payload),
        Err(_) => Err(SheetError::Corrupt("parser panic".into())),
    }
}

fn read_zip(bytes: &[u8], hint: &str, builder: &mut Builder<'_, '_>) -> Result<Table, SheetError> {
    if hint.ends_with(".ods") {
        return read_ods(bytes, builder);
    }
    if hint.ends_with(".xlsb") {
        return read_xlsb(bytes, builder);
    }
    match calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
        Ok(workbook) => read_xlsx(workbook, builder),
        Err(calamine::XlsxError::Password) => Err(SheetError::Encrypted),
        Err(xlsx_err) => {
            // Not an Office Open XML package: perhaps OpenDocument or binary Excel.
            if calamine::open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)).is_ok() {
                return read_ods(bytes, builder);
            }
            if calamine::open_workbook_from_rs::<Xlsb<_>, _>(Cursor::new(bytes)).is_ok() {
                return read_xlsb(bytes, builder);
            }
            Err(corrupt(xlsx_err))
        }
    }
}

fn read_ole(bytes: &[u8], builder: &mut Builder<'_, '_>) -> Result<Table, SheetError> {
    // An encrypted .xlsx is an OLE container holding an "EncryptedPackage" stream; calamine's
    // xlsx opener recognises it.
    if let Err(calamine::XlsxError::Password) =
        calamine::open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
    {
        return Err(SheetError::Encrypted);
    }
    match calamine::open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)) {
        Ok(mut workbook) => {
            let name = pick_sheet(workbook.sheets_metadata(), builder.options)?;
            let range = workbook.worksheet_range(&name).map_err(|e| match e {
                calamine::XlsError::Password => SheetError::Encrypted,
                e => corrupt(e),
            })?;
            read_range(&range, name, SourceFormat::Xls, builder)
        }
        Err(calamine::XlsError::Password) => Err(SheetError::Encrypted),
        // A Word document or another OLE file without a workbook stream.
        Err(e @ calamine::XlsError::Cfb(_)) if e.to_string().contains("Workbook") => {
            Err(SheetError::NotASpreadsheet)
        }
        Err(e) => Err(corrupt(e)),
    }
}

fn read_ods(bytes: &[u8], builder: &mut Builder<'_, '_>) -> Result<Table, SheetError> {
    let mut workbook =
        calamine::open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)).map_err(corrupt)?;
    let name = pick_sheet(workbook.sheets_metadata(), builder.options)?;
    let range = workbook.worksheet_range(&name).map_err(corrupt)?;
    read_range(&range, name, SourceFormat::Ods, builder)
}

fn read_xlsb(bytes: &[u8], builder: &mut Builder<'_, '_>) -> Result<Table, SheetError> {
    let mut workbook =
        calamine::open_workbook_from_rs::<Xlsb<_>, _>(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsbError::Password => SheetError::Encrypted,
            e => corrupt(e),
        })?;
    let name = pick_sheet(workbook.sheets_metadata(), builder.options)?;
    let range = workbook.worksheet_range(&name).map_err(corrupt)?;
    read_range(&range, name, SourceFormat::Xlsb, builder)
}

fn corrupt(e: impl std::fmt::Display) -> SheetError {
    let mut detail = e.to_string();
    if detail.len() > 200 {
        let cut = (0..=200)
            .rev()
            .find(|i| detail.is_char_boundary(*i))
            .unwrap_or(0);
        detail.truncate(cut);
    }
    SheetError::Corrupt(detail)
}

/// The sheet named in the options, or else the first visible worksheet (the first worksheet if
/// all are hidden).
fn pick_sheet(sheets: &[calamine::Sheet], options: &ReadOptions) -> Result<String, SheetError> {
    let worksheets: Vec<&calamine::Sheet> = sheets
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .collect();
    if let Some(wanted) = &options.sheet {
        let wanted_norm = wanted.trim().to_lowercase();
        return worksheets
            .iter()
            .find(|s| s.name == *wanted)
            .or_else(|| {
                worksheets
                    .iter()
                    .find(|s| s.name.trim().to_lowercase() == wanted_norm)
            })
            .map(|s| s.name.clone())
            .ok_or_else(|| SheetError::SheetNotFound {
                name: wanted.clone(),
                available: worksheets.iter().map(|s| s.name.clone()).collect(),
            });
    }
    worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or(worksheets.first())
        .map(|s| s.name.clone())
        .ok_or(SheetError::NoWorksheet)
}

/// Streams the cells of an .xlsx worksheet, so that the row limit stops a huge sheet early and
/// progress can be reported.
fn read_xlsx(
    mut workbook: Xlsx<Cursor<&[u8]>>,
    builder: &mut Builder<'_, '_>,
) -> Result<Table, SheetError> {
    let name = pick_sheet(workbook.sheets_metadata(), builder.options)?;
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(corrupt)?;
    let mut current: Option<u32> = None;
    let mut cells: Vec<Cell> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(corrupt)? {
        let (row, col) = cell.get_position();
        let value = from_data_ref(cell.get_value());
        if matches!(value, Cell::Empty) {
            // Formatted but empty cells (a whole row painted yellow) must not widen the table.
            continue;
        }
        if current != Some(row) {
            if let Some(r) = current {
                builder.push_row(r as usize + 1, std::mem::take(&mut cells))?;
            }
            current = Some(row);
        }
        let col = col as usize;
        if col >= builder.options.max_columns {
            return Err(SheetError::TooManyColumns {
                limit: builder.options.max_columns,
            });
        }
        if cells.len() <= col {
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = value;
    }
    if let Some(r) = current {
        builder.push_row(r as usize + 1, cells)?;
    }
    builder.finish(Some(name), SourceFormat::Xlsx)
}

/// Reads an already-loaded range (.xls, .xlsb, .ods).
fn read_range(
    range: &calamine::Range<Data>,
    name: String,
    format: SourceFormat,
    builder: &mut Builder<'_, '_>,
) -> Result<Table, SheetError> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let (col0, width) = (col0 as usize, range.width());
    if width > 0 && col0 + width > builder.options.max_columns {
        // Only a problem if a value really sits past the limit.
        let limit = builder.options.max_columns;
        let beyond = range.rows().any(|r| {
            r.iter()
                .enumerate()
                .any(|(i, d)| col0 + i >= limit && !matches!(d, Data::Empty))
        });
        if beyond {
            return Err(SheetError::TooManyColumns { limit });
        }
    }
    for (i, data_row) in range.rows().enumerate() {
        let mut cells = Vec::with_capacity(col0 + data_row.len());
        cells.resize(col0, Cell::Empty);
        cells.extend(data_row.iter().map(from_data));
        cells.truncate(builder.options.max_columns);
        builder.push_row(row0 as usize + i + 1, cells)?;
    }
    builder.finish(Some(name), format)
}

fn from_data_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::SharedString(s) => text_cell(s),
        DataRef::String(s) => text_cell(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => int_cell(*i),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => datetime_cell(dt),
        DataRef::DateTimeIso(s) => iso_cell(s),
        DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => int_cell(*i),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => datetime_cell(dt),
        Data::DateTimeIso(s) => iso_cell(s),
        Data::DurationIso(s) => text_cell(s),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn text_cell(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

/// Integers too large for an `f64` keep their digits as text.
fn int_cell(i: i64) -> Cell {
    if beyond_exact(i) {
        Cell::Text(i.to_string())
    } else {
        Cell::Number(i as f64)
    }
}

fn iso_cell(s: &str) -> Cell {
    match Date::parse(s) {
        Some(d) => Cell::Date(d),
        None => text_cell(s),
    }
}

/// A date-formatted number: its calendar date (1900 or 1904 system, as the workbook says), a
/// time of day as `HH:MM[:SS]` text, or a duration as its number of days.
pub(crate) fn datetime_cell(dt: &ExcelDateTime) -> Cell {
    let serial = dt.as_f64();
    if dt.is_duration() || !serial.is_finite() {
        return Cell::Number(serial);
    }
    if (0.0..1.0).contains(&serial) {
        let (_, _, _, h, m, s, _) = dt.to_ymd_hms_milli();
        return Cell::Text(if s == 0 {
            format!("{h:02}:{m:02}")
        } else {
            format!("{h:02}:{m:02}:{s:02}")
        });
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    match Date::new(y, m, d) {
        Some(date) => Cell::Date(date),
        None => Cell::Number(serial),
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

fn read_csv(bytes: &[u8], builder: &mut Builder<'_, '_>) -> Result<Table, SheetError> {
    let (text, encoding) = decode_text(bytes)?;
    let text: &str = &text;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(SheetError::Empty);
    }
    let head: String = text.chars().take(4096).collect();
    let lower = head.trim_start().to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<table")
        || (lower.starts_with("<?xml") && lower.contains("urn:schemas-microsoft-com:office"))
    {
        return Err(SheetError::HtmlDisguisedAsExcel);
    }
    if looks_binary(&head) {
        return Err(SheetError::NotASpreadsheet);
    }

    // Excel honours a first line `sep=;` naming the delimiter, and does not show it as a row.
    let (delimiter, body, first_row) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end().len() == 5 && first.starts_with("sep=") => {
            (first.as_bytes()[4], rest, 2)
        }
        _ => (sniff_delimiter(&head), text, 1),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut number = first_row;
    let max_columns = builder.options.max_columns;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(corrupt(e)),
        }
        // The csv crate skips blank lines, which Excel shows as rows: count them back in. A
        // record's position is where the reader started looking for it, just after the previous
        // record's terminator (or inside a CRLF, after its CR).
        if let Some(position) = record.position() {
            number += blank_lines_at(body.as_bytes(), position.byte() as usize);
        }
        let mut cells: Vec<Cell> = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            if i >= max_columns {
                if field.trim().is_empty() {
                    continue;
                }
                return Err(SheetError::TooManyColumns { limit: max_columns });
            }
            cells.push(if field.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(field.to_owned())
            });
        }
        builder.push_row(number, cells)?;
        number += 1;
    }
    builder.finish(None, SourceFormat::Csv(encoding))
}

/// The number of line terminators (CRLF, LF or CR) starting at `at`, not counting the LF of a
/// CRLF whose CR is before `at`.
fn blank_lines_at(text: &[u8], at: usize) -> usize {
    let mut count = 0;
    let mut i = at;
    while let Some(&b) = text.get(i) {
        match b {
            b'\n' if i > 0 && text[i - 1] == b'\r' => {}
            b'\n' | b'\r' => count += 1,
            _ => break,
        }
        i += 1;
    }
    count
}

/// Decodes CSV bytes: a BOM decides (UTF-8, UTF-16LE/BE); otherwise valid UTF-8 is UTF-8 and
/// anything else must be GB18030 (which covers GBK and GB2312).
fn decode_text(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), SheetError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == encoding_rs::UTF_8 {
            return match std::str::from_utf8(body) {
                Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8Bom)),
                Err(_) => Err(SheetError::UnknownEncoding),
            };
        }
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(s) => Ok((s, TextEncoding::Utf16)),
            None => Err(SheetError::NotASpreadsheet),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((Cow::Borrowed(s), TextEncoding::Utf8)),
        // UTF-8 cut off inside the last character (a truncated upload): still UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            let s = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            return Ok((Cow::Borrowed(s), TextEncoding::Utf8));
        }
        Err(_) => {}
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s, TextEncoding::Gb18030)),
        None if looks_binary_bytes(bytes) => Err(SheetError::NotASpreadsheet),
        None => Err(SheetError::UnknownEncoding),
    }
}

/// Known binary signatures, NUL bytes or many control characters: not a text table.
fn looks_binary_bytes(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let control = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    head.contains(&0) || control * 100 > head.len()
}

fn looks_binary(head: &str) -> bool {
    const MAGIC: &[&str] = &["%PDF-", "\u{89}PNG", "GIF8", "Rar!"];
    if MAGIC.iter().any(|m| head.starts_with(m)) {
        return true;
    }
    let total = head.chars().count().max(1);
    let control = head
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}')) || *c == '\u{fffd}'
        })
        .count();
    head.contains('\0') || control * 100 > total
}

/// Comma unless the first line has more tabs or semicolons (Excel's "Unicode text" export is
/// tab-separated; some European locales use semicolons).
fn sniff_delimiter(head: &str) -> u8 {
    let first = head.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas && semis > tabs {
        b';'
    } else {
        b','
    }
}

// ---------------------------------------------------------------------------------------------
// Assembling the table

struct Builder<'o, 'p> {
    options: &'o ReadOptions,
    progress: Option<&'p mut dyn FnMut(usize)>,
    in_callback: bool,
    header: Option<(usize, Vec<Cell>)>,
    rows: Vec<Row>,
    width: usize,
}

impl<'o, 'p> Builder<'o, 'p> {
    fn new(options: &'o ReadOptions, progress: Option<&'p mut dyn FnMut(usize)>) -> Self {
        Builder {
            options,
            progress,
            in_callback: false,
            header: None,
            rows: Vec::new(),
            width: 0,
        }
    }

    fn push_row(&mut self, number: usize, mut cells: Vec<Cell>) -> Result<(), SheetError> {
        while cells.last().is_some_and(Cell::is_blank) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        self.width = self.width.max(cells.len());
        if self.header.is_none() {
            self.header = Some((number, cells));
            return Ok(());
        }
        if self.rows.len() >= self.options.max_rows {
            return Err(SheetError::TooManyRows {
                limit: self.options.max_rows,
            });
        }
        self.rows.push(Row { number, cells });
        if self.rows.len().is_multiple_of(PROGRESS_EVERY) {
            self.report();
        }
        Ok(())
    }

    fn report(&mut self) {
        if let Some(progress) = self.progress.as_mut() {
            self.in_callback = true;
            progress(self.rows.len());
            self.in_callback = false;
        }
    }

    fn finish(&mut self, sheet: Option<String>, format: SourceFormat) -> Result<Table, SheetError> {
        let Some((header_row, header_cells)) = self.header.take() else {
            return Err(SheetError::NoHeaderRow);
        };
        if !self.rows.len().is_multiple_of(PROGRESS_EVERY) || self.rows.is_empty() {
            self.report();
        }
        let width = self.width;
        let mut headers: Vec<String> = header_cells.iter().map(Cell::as_text).collect();
        headers.resize(width, String::new());
        let mut rows = std::mem::take(&mut self.rows);
        for row in &mut rows {
            row.cells.resize(width, Cell::Empty);
        }
        if !rows.is_sorted_by_key(|r| r.number) {
            rows.sort_by_key(|r| r.number);
        }
        Ok(Table {
            headers,
            rows,
            header_row,
            sheet,
            format,
        })
    }
}
