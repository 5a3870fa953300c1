//! Matching a table's header row to the columns an import expects, and row-level errors.

use std::collections::HashMap;
use std::fmt;

use crate::cell::{Cell, CellProblem, normalize_width};
use crate::read::{EMPTY, Row, Table};

/// A column an import expects (and a template offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable key the code uses to look the column up (`"uscc"`).
    pub key: &'static str,
    /// Chinese header (`"统一社会信用代码"`), as written in the template.
    pub zh: &'static str,
    /// English header (`"USCC"`), also accepted on import.
    pub en: &'static str,
    /// Required columns must be present in the file (whether each cell may be blank is the
    /// validator's business). Templates mark them with a trailing `*`.
    pub required: bool,
    /// How to fill the column in, shown in the template's notes and 说明 sheet.
    pub hint_zh: &'static str,
}

impl Column {
    /// The header the template shows: the Chinese name, with `*` when required.
    pub fn template_header(&self) -> String {
        if self.required {
            format!("{}*", self.zh)
        } else {
            self.zh.to_owned()
        }
    }
}

/// A problem with the header row, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} / {}", self.zh(), self.en())]
pub enum HeaderProblem {
    /// A required column is not in the file.
    Missing {
        key: &'static str,
        zh: &'static str,
        en: &'static str,
    },
    /// A header that is not one of the expected columns. `index` is 0-based.
    Unknown { index: usize, header: String },
    /// Two headers name the same column. Indexes are 0-based.
    Duplicate {
        key: &'static str,
        header: String,
        first: usize,
        second: usize,
    },
    /// A column with data but an empty header cell. `index` is 0-based.
    Unnamed { index: usize },
}

impl HeaderProblem {
    pub fn zh(&self) -> String {
        match self {
            HeaderProblem::Missing { zh, .. } => {
                format!("缺少必填列“{zh}”，请使用最新模板并保留表头")
            }
            HeaderProblem::Unknown { index, header } => format!(
                "第 {} 列“{header}”不是模板中的列，请删除该列或改正列名",
                column_letter(*index)
            ),
            HeaderProblem::Duplicate {
                header,
                first,
                second,
                ..
            } => format!(
                "列“{header}”重复出现（第 {} 列和第 {} 列），请只保留一列",
                column_letter(*first),
                column_letter(*second)
            ),
            HeaderProblem::Unnamed { index } => {
                format!(
                    "第 {} 列有数据但没有列名，请补上列名或删除该列",
                    column_letter(*index)
                )
            }
        }
    }

    pub fn en(&self) -> String {
        match self {
            HeaderProblem::Missing { en, .. } => {
                format!(
                    "Missing required column \"{en}\"; use the latest template and keep its header row"
                )
            }
            HeaderProblem::Unknown { index, header } => format!(
                "Column {} \"{header}\" is not a template column; delete it or correct its name",
                column_letter(*index)
            ),
            HeaderProblem::Duplicate {
                header,
                first,
                second,
                ..
            } => format!(
                "Column \"{header}\" appears twice (columns {} and {}); keep only one",
                column_letter(*first),
                column_letter(*second)
            ),
            HeaderProblem::Unnamed { index } => format!(
                "Column {} has data but no header; add a header or delete the column",
                column_letter(*index)
            ),
        }
    }
}

/// Excel's letters for a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Where each expected column sits in a table; built by [`map_headers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    positions: HashMap<&'static str, usize>,
    /// Header text per expected key: as the user wrote it when present, else the Chinese name.
    shown: HashMap<&'static str, String>,
}

impl HeaderMap {
    /// The cell of column `key` in `row`; an empty cell when the (optional) column is absent.
    ///
    /// `key` must be one of the keys passed to [`map_headers`] (checked in debug builds).
    pub fn get<'r>(&self, row: &'r Row, key: &str) -> &'r Cell {
        match self.positions.get(key) {
            Some(&i) => row.cell(i),
            None => {
                debug_assert!(self.shown.contains_key(key), "unknown column key {key:?}");
                &EMPTY
            }
        }
    }

    /// Whether the file has column `key`.
    pub fn has(&self, key: &str) -> bool {
        self.positions.contains_key(key)
    }

    /// The 0-based column index of `key` in the table.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.positions.get(key).copied()
    }

    /// The header of column `key` as the user sees it (the Chinese name if absent).
    pub fn header<'a>(&'a self, key: &'a str) -> &'a str {
        self.shown.get(key).map(String::as_str).unwrap_or(key)
    }

    /// A [`RowError`] for column `key` of `row`, with the cell's text as the value.
    pub fn error(
        &self,
        row: &Row,
        key: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> RowError {
        RowError {
            row: row.number,
            column: self.header(key).to_owned(),
            value: self.get(row, key).as_text(),
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A [`RowError`] for column `key` of `row` from a failed conversion.
    pub fn problem(&self, row: &Row, key: &str, problem: &CellProblem) -> RowError {
        self.error(row, key, problem.zh(), problem.en())
    }
}

/// Normalises a header for matching: full-width forms to half-width (so `（万元）` matches
/// `(万元)`), whitespace and underscores removed, required-marks `*` at either end removed,
/// lower case.
fn normalize_header(s: &str) -> String {
    let s = normalize_width(s);
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    s.trim_matches('*').to_lowercase()
}

/// Matches the table's headers to `columns` by Chinese name, English name or key (see
/// [`normalize_header`] for what is ignored), and reports every problem at once: missing
/// required columns, unknown columns, duplicates, and data under an empty header.
pub fn map_headers(table: &Table, columns: &[Column]) -> Result<HeaderMap, Vec<HeaderProblem>> {
    let (map, problems) = map_headers_lenient(table, columns);
    if problems.is_empty() {
        Ok(map)
    } else {
        Err(problems)
    }
}

/// Like [`map_headers`], but always returns the mapping it could make together with the
/// problems, for callers that tolerate extra columns ([`HeaderProblem::Unknown`]).
pub fn map_headers_lenient(table: &Table, columns: &[Column]) -> (HeaderMap, Vec<HeaderProblem>) {
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (ci, column) in columns.iter().enumerate() {
        for name in [column.zh, column.en, column.key] {
            let n = normalize_header(name);
            if !n.is_empty() {
                by_name.entry(n).or_insert(ci);
            }
        }
    }
    let mut positions: HashMap<&'static str, usize> = HashMap::new();
    let mut shown: HashMap<&'static str, String> =
        columns.iter().map(|c| (c.key, c.zh.to_owned())).collect();
    let mut problems = Vec::new();
    for (index, header) in table.headers.iter().enumerate() {
        let norm = normalize_header(header);
        if norm.is_empty() {
            if table.rows.iter().any(|r| !r.cell(index).is_blank()) {
                problems.push(HeaderProblem::Unnamed { index });
            }
            continue;
        }
        match by_name.get(&norm) {
            Some(&ci) => {
                let key = columns[ci].key;
                if let Some(&first) = positions.get(key) {
                    problems.push(HeaderProblem::Duplicate {
                        key,
                        header: header.clone(),
                        first,
                        second: index,
                    });
                } else {
                    positions.insert(key, index);
                    shown.insert(key, header.clone());
                }
            }
            None => problems.push(HeaderProblem::Unknown {
                index,
                header: header.clone(),
            }),
        }
    }
    let missing = columns
        .iter()
        .filter(|c| c.required && !positions.contains_key(c.key));
    let missing: Vec<HeaderProblem> = missing
        .map(|c| HeaderProblem::Missing {
            key: c.key,
            zh: c.zh,
            en: c.en,
        })
        .collect();
    // Missing columns first: they are the likeliest cause of the other problems.
    problems.splice(0..0, missing);
    (HeaderMap { positions, shown }, problems)
}

/// A problem with one cell (or one row, with an empty `column`), for the user to fix in their
/// file; [`crate::error_report_xlsx`] lists them in a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row number the user sees in Excel.
    pub row: usize,
    /// The column header as the user sees it.
    pub column: String,
    /// The cell's value as text.
    pub value: String,
    pub zh: String,
    pub en: String,
}

impl RowError {
    pub fn new(
        row: usize,
        column: impl Into<String>,
        value: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> RowError {
        RowError {
            row,
            column: column.into(),
            value: value.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(
                f,
                "第 {} 行：{} / row {}: {}",
                self.row, self.zh, self.row, self.en
            )
        } else {
            write!(
                f,
                "第 {} 行“{}”：{} / row {} \"{}\": {}",
                self.row, self.column, self.zh, self.row, self.column, self.en
            )
        }
    }
}

impl std::error::Error for RowError {}
