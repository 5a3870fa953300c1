//! The spreadsheet reader: arbitrary bytes with a filename hint (the first byte picks it).
//!
//! `fruition_sheets` turns a panic inside calamine on a hostile workbook into
//! `SheetError::Corrupt`, so such a panic is not a bug of ours: this target lets caught panics
//! pass (it prints them) and fails only on a panic that escapes `read_table_with`. Set
//! `FUZZ_ABORT_ON_ANY_PANIC=1` to stop at every panic instead, e.g. to report one to calamine.
#![no_main]

use fruition_sheets::{Column, ReadOptions, map_headers_lenient, read_table_with};
use libfuzzer_sys::fuzz_target;

const HINTS: &[&str] = &[
    "",
    "import.xlsx",
    "import.xls",
    "import.xlsb",
    "import.ods",
    "import.csv",
    "IMPORT.XLSX",
    "企业名单.xlsm",
];

const COLUMNS: &[Column] = &[
    Column {
        key: "uscc",
        zh: "统一社会信用代码",
        en: "USCC",
        required: true,
        hint_zh: "18 位",
    },
    Column {
        key: "name",
        zh: "企业名称",
        en: "Name",
        required: true,
        hint_zh: "",
    },
    Column {
        key: "entered_on",
        zh: "入孵日期",
        en: "Entered on",
        required: false,
        hint_zh: "",
    },
];

fuzz_target!(
    init: {
        if std::env::var_os("FUZZ_ABORT_ON_ANY_PANIC").is_none() {
            // Replaces libfuzzer-sys's hook, which aborts even on a panic that is caught. A
            // panic that escapes the target still aborts the run (libfuzzer-sys sees it).
            std::panic::set_hook(Box::new(|info| eprintln!("panic (caught?): {info}")));
        }
    },
    |data: &[u8]| {
        let Some((first, bytes)) = data.split_first() else {
            return;
        };
        let hint = HINTS[usize::from(*first) % HINTS.len()];
        // Small limits keep each run quick; the limits' own checks are exercised too.
        let options = ReadOptions {
            sheet: None,
            max_rows: 2_000,
            max_columns: 100,
        };
        let mut calls = 0usize;
        let mut progress = |_: usize| calls += 1;
        match read_table_with(bytes, hint, &options, Some(&mut progress)) {
            Ok(table) => {
                let mut last = table.header_row;
                for row in &table.rows {
                    assert_eq!(row.cells.len(), table.headers.len());
                    assert!(row.number > last, "rows in sheet order, below the header");
                    last = row.number;
                }
                assert!(table.rows.len() <= options.max_rows);
                for row in table.rows.iter().take(50) {
                    for cell in &row.cells {
                        let _ = (cell.as_text(), cell.as_i64(), cell.as_f64());
                        let _ = (cell.as_date(), cell.as_bool(), cell.is_blank());
                    }
                }
                let (map, problems) = map_headers_lenient(&table, COLUMNS);
                for p in &problems {
                    let _ = (p.zh(), p.en());
                }
                if let Some(row) = table.rows.first() {
                    let _ = map.get(row, "uscc");
                }
            }
            Err(e) => {
                let _ = (e.zh(), e.en());
            }
        }
    }
);
