//! Spreadsheets in and out, with no database and no async.
//!
//! - **Reading** ([`read_table`], [`read_table_with`]): the first visible worksheet of an
//!   `.xlsx` (also `.xls`, `.xlsb`, `.ods`) workbook, or a CSV file in UTF-8 (with or without
//!   BOM), UTF-16 or GB18030/GBK, into a [`Table`] of [`Row`]s of [`Cell`]s that keep the row
//!   numbers the user sees.
//! - **Header mapping** ([`map_headers`]): finds the expected [`Column`]s by Chinese or English
//!   name and reports missing, unknown and duplicate columns ([`HeaderProblem`]).
//! - **Row errors** ([`RowError`], [`error_report_xlsx`]): a workbook of problems for the user.
//! - **Writing** ([`write_xlsx`], [`template_xlsx`]): list exports and import templates.
//!
//! Every message meant for a user comes in Chinese and English.
//!
//! Reading is bounded against hostile files (zip bombs, sheets laid out over millions of empty
//! cells): see [`ReadOptions`] and the `DEFAULT_MAX_*` constants; a file past a bound is
//! refused before the work with [`SheetError::TooLarge`] naming the [`Limit`].

mod cell;
mod error;
mod guard;
mod headers;
mod ole;
mod read;
mod write;

pub use cell::{Cell, CellProblem, Date};
pub use error::{Limit, SheetError};
pub use headers::{
    Column, HeaderMap, HeaderProblem, RowError, column_letter, map_headers, map_headers_lenient,
};
pub use read::{
    DEFAULT_MAX_CELLS, DEFAULT_MAX_COLUMNS, DEFAULT_MAX_COMPRESSION_RATIO,
    DEFAULT_MAX_METADATA_SIZE, DEFAULT_MAX_PART_SIZE, DEFAULT_MAX_PARTS, DEFAULT_MAX_ROWS,
    DEFAULT_MAX_SHARED_STRINGS, DEFAULT_MAX_SHARED_STRINGS_SIZE, DEFAULT_MAX_STYLES,
    DEFAULT_MAX_TEXT_SIZE, DEFAULT_MAX_TOTAL_SIZE, PROGRESS_EVERY, RATIO_CHECKED_ABOVE,
    ReadOptions, Row, SourceFormat, Table, TextEncoding, read_table, read_table_with,
};
pub use write::{
    MAX_REPORT_ERRORS, Sheet, Value, display_width, error_report_xlsx, sanitize_sheet_name,
    template_xlsx, write_xlsx,
};

#[cfg(test)]
mod tests;
