//! Reading the first (or a named) sheet of an .xlsx/.xls/.ods workbook or a CSV file into a
//! [`Table`].
//!
//! # Bounds
//!
//! A workbook is compressed, and a few hostile bytes can expand to gigabytes (a 1 MB .xlsx whose
//! shared strings unpack to 1 GB, a sheet whose two cells lie a million rows apart, an .ods cell
//! repeated 16,384 times on every row). Every read is therefore bounded by [`ReadOptions`], and
//! each bound is checked *before* the work it bounds, failing with [`SheetError::TooLarge`]
//! naming the limit. What the file's structure gives away (declared sizes, counts, layouts) is
//! refused before calamine opens it, at about the file's own size in memory; the table's cells
//! and text are counted as they are read, so they hold at most what their bounds allow:
//!
//! - zip workbooks (.xlsx, .xlsb, .ods): at most [`DEFAULT_MAX_PARTS`] parts, each unpacking to at
//!   most [`DEFAULT_MAX_PART_SIZE`] and all together to [`DEFAULT_MAX_TOTAL_SIZE`], none over
//!   [`DEFAULT_MAX_COMPRESSION_RATIO`]:1 once above [`RATIO_CHECKED_ABOVE`]; read from the zip
//!   central directory, and held to when unpacking, so a part that declares less than it holds
//!   fails too;
//! - the shared strings, which calamine holds whole: [`DEFAULT_MAX_SHARED_STRINGS_SIZE`] and
//!   [`DEFAULT_MAX_SHARED_STRINGS`] strings, counted in the file before calamine opens it;
//! - the styles and other parts parsed whole: [`DEFAULT_MAX_METADATA_SIZE`] each and
//!   [`DEFAULT_MAX_STYLES`] formats;
//! - text: [`DEFAULT_MAX_TEXT_SIZE`] in the cells read, a shared string counted each time a cell
//!   uses it;
//! - cells: [`DEFAULT_MAX_CELLS`], counted as rows × columns of what would be held: the table
//!   being built, and for .xls and .ods the block calamine lays out for each sheet (counted in
//!   the file first), as well as [`DEFAULT_MAX_ROWS`] and [`DEFAULT_MAX_COLUMNS`];
//! - .xls (an OLE container, not compressed): its sector chains may not loop or repeat past the
//!   file's own size, and its workbook stream is held to the same part, string and cell bounds;
//! - CSV (not compressed, but UTF-16 or GB18030 grows when decoded to UTF-8): the text, as
//!   stored and at its largest once decoded, at most [`DEFAULT_MAX_PART_SIZE`], and the cells as
//!   above.
//!
//! The defaults let a legitimate 200,000-row × 30-column workbook through: the import
//! benchmark's 100,000 rows × 27 columns, as `rust_xlsxwriter` writes them, is a 88 MB worksheet
//! part and 9 MB of shared strings, 2.7 million cells.

use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};

use crate::cell::{Cell, Date, beyond_exact};
use crate::error::{Limit, SheetError};

/// Data rows accepted by default before reading stops with [`SheetError::TooManyRows`].
pub const DEFAULT_MAX_ROWS: usize = 200_000;
/// Columns accepted by default before reading stops with [`SheetError::TooManyColumns`].
pub const DEFAULT_MAX_COLUMNS: usize = 1_000;
/// The progress callback is called after every this many data rows (and once at the end).
pub const PROGRESS_EVERY: usize = 1_000;

const MIB: u64 = 1024 * 1024;

/// Cells accepted by default ([`ReadOptions::max_cells`]): 6 million, [`DEFAULT_MAX_ROWS`] rows
/// of 30 columns. A cell held in memory costs 32 bytes plus its text, so this keeps a table
/// within a few hundred megabytes.
pub const DEFAULT_MAX_CELLS: usize = 6_000_000;
/// Bytes one part of a zip workbook may unpack to by default ([`ReadOptions::max_part_size`]),
/// and a CSV file's text may take: 256 MB. The largest part is the worksheet, read as a stream:
/// [`DEFAULT_MAX_ROWS`] rows of 27 columns as Excel or `rust_xlsxwriter` write them come to
/// about 180 MB of XML.
pub const DEFAULT_MAX_PART_SIZE: u64 = 256 * MIB;
/// Bytes a whole zip workbook may unpack to by default ([`ReadOptions::max_total_size`]):
/// 384 MB, the largest worksheet plus the largest shared strings and the rest of a workbook.
pub const DEFAULT_MAX_TOTAL_SIZE: u64 = 384 * MIB;
/// The highest compression ratio (unpacked : packed) accepted by default for a part larger than
/// [`RATIO_CHECKED_ABOVE`] ([`ReadOptions::max_compression_ratio`]): 100. Worksheet XML packs
/// about 5:1 to 30:1 (even rows of one repeated value stay under 30:1); a ratio in the hundreds
/// is repeated filler made to expand, the mark of a zip bomb (deflate's ceiling is about 1000:1).
pub const DEFAULT_MAX_COMPRESSION_RATIO: u64 = 100;
/// Parts up to this size (8 MB) are not held to the compression ratio: a small part may pack
/// well and cannot do harm.
pub const RATIO_CHECKED_ABOVE: u64 = 8 * MIB;
/// Files inside a zip workbook accepted by default ([`ReadOptions::max_parts`]): 10,000. A
/// workbook has tens; thousands of pictures are still fine.
pub const DEFAULT_MAX_PARTS: usize = 10_000;
/// Distinct texts in the shared-strings table accepted by default
/// ([`ReadOptions::max_shared_strings`]): 2 million. calamine holds each as a `String` (about
/// 50 bytes with its allocation besides the text) and reserves room for the number the file
/// declares; 2 million is [`DEFAULT_MAX_ROWS`] rows of 10 columns of different texts.
pub const DEFAULT_MAX_SHARED_STRINGS: usize = 2_000_000;
/// Bytes the shared-strings table may unpack to by default
/// ([`ReadOptions::max_shared_strings_size`]): 100 MB. It is held in memory whole; the import
/// benchmark's 100,000 rows have 9 MB.
pub const DEFAULT_MAX_SHARED_STRINGS_SIZE: u64 = 100 * MIB;
/// Bytes accepted by default for each part that describes the workbook and is parsed whole
/// ([`ReadOptions::max_metadata_size`]): styles, sheet list, relationships, theme (and an .ods's
/// settings): 16 MB. Excel's are kilobytes; a styles part bloated to Excel's 64,000 formats is
/// about 10 MB.
pub const DEFAULT_MAX_METADATA_SIZE: u64 = 16 * MIB;
/// Bytes of text the cells read may hold by default ([`ReadOptions::max_text_size`]): 256 MB.
/// A shared string is stored once in the file but copied into every cell that uses it, so a
/// 1 MB string used by 100,000 cells would be 100 GB; the import benchmark's 100,000 rows hold
/// about 15 MB of text.
pub const DEFAULT_MAX_TEXT_SIZE: u64 = 256 * MIB;
/// Cell formats, fonts, fills, borders and number formats accepted by default
/// ([`ReadOptions::max_styles`]): 200,000. Excel allows 64,000 cell formats; calamine builds an
/// object of a few hundred bytes for each.
pub const DEFAULT_MAX_STYLES: usize = 200_000;

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

/// Options for [`read_table_with`]. Build it with `..ReadOptions::default()`: fields may be
/// added. Each `max_*` bound beyond rows and columns is checked before the work it bounds (see
/// its `DEFAULT_MAX_*` constant for what it bounds and why the number) and gives
/// [`SheetError::TooLarge`] naming the [`Limit`](crate::Limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read this worksheet (by name; case and surrounding spaces ignored) instead of the first
    /// visible one. Ignored for CSV.
    pub sheet: Option<String>,
    /// More data rows than this give [`SheetError::TooManyRows`] as soon as they are seen.
    pub max_rows: usize,
    /// A value in a column past this gives [`SheetError::TooManyColumns`].
    pub max_columns: usize,
    /// Cells (data rows × columns) the table, or calamine's layout of an .xls/.ods sheet, may
    /// hold; default [`DEFAULT_MAX_CELLS`].
    pub max_cells: usize,
    /// Bytes one part of a zip workbook may unpack to, and a CSV file's text may take; default
    /// [`DEFAULT_MAX_PART_SIZE`].
    pub max_part_size: u64,
    /// Bytes all parts of a zip workbook may unpack to; default [`DEFAULT_MAX_TOTAL_SIZE`].
    pub max_total_size: u64,
    /// Highest unpacked : packed ratio for a part larger than [`RATIO_CHECKED_ABOVE`]; default
    /// [`DEFAULT_MAX_COMPRESSION_RATIO`].
    pub max_compression_ratio: u64,
    /// Files inside a zip workbook; default [`DEFAULT_MAX_PARTS`].
    pub max_parts: usize,
    /// Strings in the shared-strings table (declared or present); default
    /// [`DEFAULT_MAX_SHARED_STRINGS`].
    pub max_shared_strings: usize,
    /// Bytes of the shared-strings table; default [`DEFAULT_MAX_SHARED_STRINGS_SIZE`].
    pub max_shared_strings_size: u64,
    /// Bytes of each part parsed whole that describes the workbook; default
    /// [`DEFAULT_MAX_METADATA_SIZE`].
    pub max_metadata_size: u64,
    /// Cell formats, fonts, fills, borders and number formats; default [`DEFAULT_MAX_STYLES`].
    pub max_styles: usize,
    /// Bytes of text in the cells read, a shared string counted each time a cell uses it;
    /// default [`DEFAULT_MAX_TEXT_SIZE`].
    pub max_text_size: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            sheet: None,
            max_rows: DEFAULT_MAX_ROWS,
            max_columns: DEFAULT_MAX_COLUMNS,
            max_cells: DEFAULT_MAX_CELLS,
            max_part_size: DEFAULT_MAX_PART_SIZE,
            max_total_size: DEFAULT_MAX_TOTAL_SIZE,
            max_compression_ratio: DEFAULT_MAX_COMPRESSION_RATIO,
            max_parts: DEFAULT_MAX_PARTS,
            max_shared_strings: DEFAULT_MAX_SHARED_STRINGS,
            max_shared_strings_size: DEFAULT_MAX_SHARED_STRINGS_SIZE,
            max_metadata_size: DEFAULT_MAX_METADATA_SIZE,
            max_styles: DEFAULT_MAX_STYLES,
            max_text_size: DEFAULT_MAX_TEXT_SIZE,
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
        guarded(&mut builder, |b| {
            crate::guard::check_zip(bytes, b.options)?;
            read_zip(bytes, &hint, b)
        })
    } else if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        guarded(&mut builder, |b| {
            crate::ole::check_ole(bytes, b.options)?;
            read_ole(bytes, b)
        })
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
    // Streamed like .xlsx: calamine's `worksheet_range` would lay out the whole sheet first.
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(corrupt)?;
    read_cells(|| reader.next_cell().map_err(corrupt), builder)?;
    builder.finish(Some(name), SourceFormat::Xlsb)
}

pub(crate) fn corrupt(e: impl std::fmt::Display) -> SheetError {
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
    read_cells(|| reader.next_cell().map_err(corrupt), builder)?;
    builder.finish(Some(name), SourceFormat::Xlsx)
}

/// Assembles streamed cells (in row order, as .xlsx and .xlsb store them) into rows.
fn read_cells<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, SheetError>,
    builder: &mut Builder<'_, '_>,
) -> Result<(), SheetError> {
    let mut current: Option<u32> = None;
    let mut cells: Vec<Cell> = Vec::new();
    while let Some(cell) = next()? {
        let (row, col) = cell.get_position();
        // Counted before the text is copied out of the workbook (a shared string may be used
        // by every cell).
        builder.take_text(data_ref_text_len(cell.get_value()))?;
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
    Ok(())
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
    let max_columns = builder.options.max_columns;
    for (i, data_row) in range.rows().enumerate() {
        let keep = data_row.len().min(max_columns.saturating_sub(col0));
        let mut cells = Vec::with_capacity(col0 + keep);
        cells.resize(col0.min(max_columns), Cell::Empty);
        for d in &data_row[..keep] {
            builder.take_text(data_text_len(d))?;
            cells.push(from_data(d));
        }
        builder.push_row(row0 as usize + i + 1, cells)?;
    }
    builder.finish(Some(name), format)
}

/// Bytes of text a cell made from `d` will hold.
fn data_ref_text_len(d: &DataRef<'_>) -> usize {
    match d {
        DataRef::SharedString(s) => s.len(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        _ => 0,
    }
}

fn data_text_len(d: &Data) -> usize {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.len(),
        _ => 0,
    }
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
    let (text, encoding) = decode_text(bytes, builder.options.max_part_size)?;
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
    // The csv crate keeps a whole record in memory with 8 bytes per field besides: a line of
    // nothing but delimiters must not make millions of fields.
    if let Some(fields) = widest_line(body.as_bytes(), delimiter)
        && fields > MAX_CSV_FIELDS.max(builder.options.max_columns)
    {
        return Err(SheetError::TooManyColumns {
            limit: builder.options.max_columns,
        });
    }
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
            builder.take_text(field.len())?;
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

/// Delimiters a CSV line may hold before it is refused: beyond any sheet (Excel stops at
/// 16,384 columns), and small enough that one record stays small.
const MAX_CSV_FIELDS: usize = 65_536;

/// The most delimiters on one physical line, plus one (quotes ignored, so this is at least the
/// widest record's number of fields on any line), or `None` for an empty text.
fn widest_line(text: &[u8], delimiter: u8) -> Option<usize> {
    text.split(|b| *b == b'\n' || *b == b'\r')
        .map(|line| line.iter().filter(|b| **b == delimiter).count() + 1)
        .max()
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
/// anything else must be GB18030 (which covers GBK and GB2312). The text, as stored and at the
/// most it can grow to once decoded (UTF-16 and GB18030 Chinese take half again as many bytes
/// in UTF-8), may not pass `max` bytes.
fn decode_text(bytes: &[u8], max: u64) -> Result<(Cow<'_, str>, TextEncoding), SheetError> {
    let too_large = || SheetError::TooLarge {
        what: Limit::CsvSize,
        limit: max,
    };
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    let decoded_fits = |encoding: &'static encoding_rs::Encoding, len: usize| {
        encoding
            .new_decoder_without_bom_handling()
            .max_utf8_buffer_length_without_replacement(len)
            .is_some_and(|n| n as u64 <= max)
    };
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == encoding_rs::UTF_8 {
            return match std::str::from_utf8(body) {
                Ok(s) => Ok((Cow::Borrowed(s), TextEncoding::Utf8Bom)),
                Err(_) => Err(SheetError::UnknownEncoding),
            };
        }
        if !decoded_fits(encoding, body.len()) {
            return Err(too_large());
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
    if !decoded_fits(encoding_rs::GB18030, bytes.len()) {
        return Err(too_large());
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
    /// Bytes of cell text taken so far.
    text: u64,
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
            text: 0,
        }
    }

    /// Counts `bytes` of cell text against [`ReadOptions::max_text_size`], before it is copied.
    fn take_text(&mut self, bytes: usize) -> Result<(), SheetError> {
        self.text = self.text.saturating_add(bytes as u64);
        if self.text > self.options.max_text_size {
            return Err(SheetError::TooLarge {
                what: Limit::TextSize,
                limit: self.options.max_text_size,
            });
        }
        Ok(())
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
        // Every row is widened to the widest one at the end: that is what the table will hold.
        let cells_held = (self.rows.len() as u64 + 1).saturating_mul(self.width as u64);
        if cells_held > self.options.max_cells as u64 {
            return Err(SheetError::TooLarge {
                what: Limit::Cells,
                limit: self.options.max_cells as u64,
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
