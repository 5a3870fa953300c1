use proptest::prelude::*;

use crate::*;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

const COLUMNS: &[Column] = &[
    Column {
        key: "name",
        zh: "企业名称",
        en: "Company name",
        required: true,
        hint_zh: "营业执照上的全称",
    },
    Column {
        key: "uscc",
        zh: "统一社会信用代码",
        en: "USCC",
        required: true,
        hint_zh: "18 位代码，字母大写",
    },
    Column {
        key: "revenue",
        zh: "营业收入(万元)",
        en: "Revenue (10k CNY)",
        required: false,
        hint_zh: "上一年度营业收入，单位万元",
    },
    Column {
        key: "founded",
        zh: "成立日期",
        en: "Founded",
        required: false,
        hint_zh: "如 2020-05-01",
    },
];

fn table_with_headers(headers: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| Row {
                number: i + 2,
                cells,
            })
            .collect(),
        header_row: 1,
        sheet: None,
        format: SourceFormat::Xlsx,
    }
}

// --- Round trip ------------------------------------------------------------------------------

#[test]
fn round_trip_every_value_kind() {
    let sheet = Sheet {
        name: "企业".into(),
        headers: vec![
            "文本".into(),
            "整数".into(),
            "小数".into(),
            "日期".into(),
            "空".into(),
        ],
        rows: vec![
            vec![
                Value::Text("株洲某某科技有限公司".into()),
                Value::Int(42),
                Value::Float(0.1 + 0.2),
                Value::Date(d(2024, 3, 1)),
                Value::Empty,
            ],
            vec![
                Value::Text("0731".into()),
                Value::Int(-7),
                Value::Float(1234.5),
                Value::Date(d(1999, 12, 31)),
                Value::Empty,
            ],
            vec![
                Value::Text("91430200MA4L12345X".into()),
                Value::Int(9_143_021_112_345_678_901 / 10), // beyond 2^53: kept as text
                Value::Float(f64::NAN),                     // written empty
                Value::Date(d(2000, 2, 29)),
                Value::Text("x".into()),
            ],
        ],
    };
    let bytes = write_xlsx(std::slice::from_ref(&sheet)).unwrap();
    let table = read_table(&bytes, "export.xlsx").unwrap();
    assert_eq!(table.headers, sheet.headers);
    assert_eq!(table.sheet.as_deref(), Some("企业"));
    assert_eq!(table.header_row, 1);
    assert_eq!(table.rows.len(), 3);
    assert_eq!(
        table.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    let r = &table.rows[0].cells;
    assert_eq!(r[0], text("株洲某某科技有限公司"));
    assert_eq!(r[1], Cell::Number(42.0));
    assert_eq!(r[2].as_text(), "0.3");
    assert_eq!(r[3], Cell::Date(d(2024, 3, 1)));
    assert_eq!(r[4], Cell::Empty);
    let r = &table.rows[1].cells;
    assert_eq!(r[0], text("0731"));
    assert_eq!(r[0].as_text(), "0731");
    assert_eq!(r[1].as_i64(), Ok(-7));
    assert_eq!(r[2].as_f64(), Ok(1234.5));
    assert_eq!(r[3].as_date(), Ok(d(1999, 12, 31)));
    let r = &table.rows[2].cells;
    assert_eq!(r[0].as_text(), "91430200MA4L12345X");
    assert_eq!(r[1], text("914302111234567890"));
    assert_eq!(r[1].as_i64(), Ok(914_302_111_234_567_890));
    assert_eq!(r[2], Cell::Empty);
    assert_eq!(r[3], Cell::Date(d(2000, 2, 29)));
    assert_eq!(r[4], text("x"));
}

#[test]
fn several_sheets_and_reading_one_by_name() {
    let a = Sheet {
        name: "甲".into(),
        headers: vec!["a".into()],
        rows: vec![vec![1.into()]],
    };
    let b = Sheet {
        name: "乙".into(),
        headers: vec!["b".into()],
        rows: vec![vec![2.into()]],
    };
    let bytes = write_xlsx(&[a, b]).unwrap();
    assert_eq!(read_table(&bytes, "").unwrap().headers, vec!["a"]);
    let options = ReadOptions {
        sheet: Some(" 乙 ".into()),
        ..ReadOptions::default()
    };
    let t = read_table_with(&bytes, "", &options, None).unwrap();
    assert_eq!(t.headers, vec!["b"]);
    assert_eq!(t.rows[0].cells[0], Cell::Number(2.0));
    let options = ReadOptions {
        sheet: Some("丙".into()),
        ..ReadOptions::default()
    };
    match read_table_with(&bytes, "", &options, None) {
        Err(SheetError::SheetNotFound { name, available }) => {
            assert_eq!(name, "丙");
            assert_eq!(available, vec!["甲", "乙"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn blank_rows_are_skipped_and_numbers_kept() {
    let sheet = Sheet {
        name: "s".into(),
        headers: vec!["a".into(), "b".into()],
        rows: vec![
            vec!["1".into(), Value::Empty],
            vec![Value::Empty, Value::Empty],
            vec![Value::Text("   ".into()), Value::Empty],
            vec![Value::Empty, "4".into()],
            vec![Value::Empty, Value::Empty],
        ],
    };
    let t = read_table(&write_xlsx(&[sheet]).unwrap(), "").unwrap();
    assert_eq!(
        t.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![2, 5]
    );
    assert!(t.rows.iter().all(|r| r.cells.len() == 2));
}

#[test]
fn sheet_names_are_sanitised() {
    assert_eq!(sanitize_sheet_name("a/b:c*d?[e]\\f", &[]), "a_b_c_d__e__f");
    assert_eq!(sanitize_sheet_name("", &[]), "Sheet");
    assert_eq!(sanitize_sheet_name("'引号'", &[]), "引号");
    assert_eq!(sanitize_sheet_name("History", &[]), "History_");
    let long = "株洲市科技成果转化平台孵化企业年度指标汇总表二〇二四年度第一批次名单";
    let name = sanitize_sheet_name(long, &[]);
    assert!(name.encode_utf16().count() <= 31);
    assert!(long.starts_with(&name));
    let taken = vec![name.clone()];
    let second = sanitize_sheet_name(long, &taken);
    assert!(second.ends_with("(2)") && second.encode_utf16().count() <= 31);
    assert_eq!(sanitize_sheet_name("sheet", &["SHEET".into()]), "sheet(2)");
    // The workbook accepts them all, duplicates included.
    let sheets: Vec<Sheet> = ["a/b", "a/b", "", long]
        .iter()
        .map(|n| Sheet {
            name: n.to_string(),
            ..Sheet::default()
        })
        .collect();
    write_xlsx(&sheets).unwrap();
}

#[test]
fn text_cells_that_look_like_numbers_stay_text_in_the_file() {
    let sheet = Sheet {
        name: "s".into(),
        headers: vec!["电话".into()],
        rows: vec![vec!["07312345678".into()], vec!["13800138000".into()]],
    };
    let bytes = write_xlsx(&[sheet]).unwrap();
    let t = read_table(&bytes, "").unwrap();
    assert_eq!(t.rows[0].cells[0], text("07312345678"));
    assert_eq!(t.rows[1].cells[0], text("13800138000"));
}

#[test]
fn display_width_counts_cjk_double() {
    assert_eq!(display_width("abc"), 3);
    assert_eq!(display_width("企业名称"), 8);
    assert_eq!(display_width("（万元）"), 8);
    assert_eq!(display_width("a\n企业"), 4);
}

// --- CSV ---------------------------------------------------------------------------------------

#[test]
fn csv_with_bom() {
    let bytes = "\u{feff}企业名称,数量\r\n甲公司,1\r\n\"乙,公司\",\"2\"\r\n\r\n".as_bytes();
    let t = read_table(bytes, "list.csv").unwrap();
    assert_eq!(t.format, SourceFormat::Csv(TextEncoding::Utf8Bom));
    assert_eq!(t.headers, vec!["企业名称", "数量"]);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[1].cells[0], text("乙,公司"));
    assert_eq!(t.rows[1].cells[1].as_i64(), Ok(2));
    assert_eq!(t.rows[1].number, 3);
}

#[test]
fn csv_without_bom_and_ragged_rows() {
    let t = read_table(b"a,b,c\n1\n\n2,,3,\n", "").unwrap();
    assert_eq!(t.format, SourceFormat::Csv(TextEncoding::Utf8));
    assert_eq!(t.headers, vec!["a", "b", "c"]);
    assert_eq!(t.rows[0].cells, vec![text("1"), Cell::Empty, Cell::Empty]);
    assert_eq!(t.rows[1].number, 4);
    assert_eq!(t.rows[1].cells, vec![text("2"), Cell::Empty, text("3")]);

    // A quoted field spanning lines is one row; blank lines still count.
    let t = read_table(b"a,b\r\n\"x\r\ny\",1\r\n\r\n\r\nz,2\r\n", "").unwrap();
    assert_eq!(t.rows[0].cells[0], text("x\r\ny"));
    assert_eq!(
        t.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![2, 5]
    );
    let t = read_table(b"\n\na,b\n1,2", "").unwrap();
    assert_eq!(t.header_row, 3);
    assert_eq!(t.rows[0].number, 4);
}

#[test]
fn gbk_csv() {
    let source = "企业名称,统一社会信用代码,成立日期\r\n株洲某某科技有限公司,91430200MA4L000000,2020年5月1日\r\n";
    let (encoded, _, unmappable) = encoding_rs::GBK.encode(source);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&encoded).is_err());
    let t = read_table(&encoded, "企业.csv").unwrap();
    assert_eq!(t.format, SourceFormat::Csv(TextEncoding::Gb18030));
    assert_eq!(t.headers, vec!["企业名称", "统一社会信用代码", "成立日期"]);
    assert_eq!(t.rows[0].cells[0], text("株洲某某科技有限公司"));
    assert_eq!(t.rows[0].cells[1].as_text(), "91430200MA4L000000");
    assert_eq!(t.rows[0].cells[2].as_date(), Ok(d(2020, 5, 1)));
}

#[test]
fn utf8_cut_inside_a_character_is_still_utf8() {
    let full = "名称\n株洲".as_bytes();
    let t = read_table(&full[..full.len() - 1], "").unwrap();
    assert_eq!(t.format, SourceFormat::Csv(TextEncoding::Utf8));
    assert_eq!(t.headers, vec!["名称"]);
    assert_eq!(t.rows[0].cells[0], text("株"));
}

#[test]
fn utf16_tab_separated_text() {
    // Excel's "Unicode text" export: UTF-16LE with BOM, tab-separated.
    let mut bytes = vec![0xff, 0xfe];
    for unit in "名称\t数量\r\n甲\t3\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let t = read_table(&bytes, "x.txt").unwrap();
    assert_eq!(t.format, SourceFormat::Csv(TextEncoding::Utf16));
    assert_eq!(t.headers, vec!["名称", "数量"]);
    assert_eq!(t.rows[0].cells[1].as_i64(), Ok(3));
}

#[test]
fn semicolons_and_sep_line() {
    let t = read_table(b"a;b\n1;2\n", "").unwrap();
    assert_eq!(t.headers, vec!["a", "b"]);
    let t = read_table(b"sep=|\na|b\n1|2\n", "").unwrap();
    assert_eq!(t.headers, vec!["a", "b"]);
    assert_eq!(t.header_row, 2);
    assert_eq!(t.rows[0].number, 3);
}

// --- Numbers as text -------------------------------------------------------------------------

#[test]
fn uscc_typed_as_a_number_prints_in_full() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let ws = workbook.add_worksheet();
    ws.write_string(0, 0, "代码").unwrap();
    // 15 digits: exact.
    ws.write_number(1, 0, 914_302_111_234_567.0).unwrap();
    // 18 digits: Excel keeps the first 15, and shows the rest as zeros.
    ws.write_number(2, 0, 914_302_111_234_567_000.0).unwrap();
    ws.write_number(3, 0, 12.0).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let t = read_table(&bytes, "").unwrap();
    assert_eq!(t.rows[0].cells[0].as_text(), "914302111234567");
    assert_eq!(t.rows[1].cells[0].as_text(), "914302111234567000");
    assert_eq!(t.rows[2].cells[0].as_text(), "12");
    assert_eq!(t.rows[0].cells[0].as_i64(), Ok(914_302_111_234_567));
}

#[test]
fn numbers_print_without_float_noise() {
    let cases: &[(f64, &str)] = &[
        (12.0, "12"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.3"),
        (1.0 / 3.0, "0.333333333333333"),
        (1234.5, "1234.5"),
        (-2.75, "-2.75"),
        (9_007_199_254_740_992.0, "9007199254740992"),
        (1e-12, "1e-12"),
        (1.5e300, "1.5e300"),
        (-914_302_111_234_567_000.0, "-914302111234567000"),
    ];
    for (n, want) in cases {
        assert_eq!(Cell::Number(*n).as_text(), *want, "{n}");
    }
}

#[test]
fn conversions() {
    assert_eq!(text(" 1,200 ").as_i64(), Ok(1200));
    assert_eq!(text("１２").as_i64(), Ok(12));
    assert_eq!(text("12.0").as_i64(), Ok(12));
    assert_eq!(text("12.5").as_i64(), Err(CellProblem::NotAnInteger));
    assert_eq!(text("abc").as_i64(), Err(CellProblem::NotAnInteger));
    assert_eq!(Cell::Number(2.5).as_i64(), Err(CellProblem::NotAnInteger));
    assert_eq!(Cell::Number(1e30).as_i64(), Err(CellProblem::OutOfRange));
    assert_eq!(Cell::Empty.as_i64(), Err(CellProblem::Blank));
    assert_eq!(text("  ").as_f64(), Err(CellProblem::Blank));
    assert_eq!(text("5%").as_f64(), Ok(0.05));
    assert_eq!(text("inf").as_f64(), Err(CellProblem::NotANumber));
    assert_eq!(text("NaN").as_f64(), Err(CellProblem::NotANumber));
    assert_eq!(text("-3.5e2").as_f64(), Ok(-350.0));
    assert_eq!(
        Cell::Error("#N/A".into()).as_f64(),
        Err(CellProblem::ErrorValue("#N/A".into()))
    );
    assert_eq!(Cell::Bool(true).as_f64(), Err(CellProblem::NotANumber));
    assert_eq!(text("是").as_bool(), Ok(true));
    assert_eq!(text("否").as_bool(), Ok(false));
    assert_eq!(Cell::Number(1.0).as_bool(), Ok(true));
    assert_eq!(text("也许").as_bool(), Err(CellProblem::NotABool));
    assert!(text(" \u{3000}").is_blank());
    assert!(!Cell::Number(0.0).is_blank());
    assert_eq!(text("  株洲 \u{3000}").as_text(), "株洲");
    assert_eq!(Cell::Bool(false).as_text(), "FALSE");
    assert_eq!(text(" ").as_opt_text(), None);
    assert!(CellProblem::NotADate.to_string().contains("2024-03-01"));
}

// --- Dates -------------------------------------------------------------------------------------

#[test]
fn dates_from_serial_numbers() {
    assert_eq!(Date::from_excel_serial(45352.0, false), Some(d(2024, 3, 1)));
    assert_eq!(
        Date::from_excel_serial(45352.75, false),
        Some(d(2024, 3, 1))
    );
    assert_eq!(
        Date::from_excel_serial(45_352.999_999_999_9, false),
        Some(d(2024, 3, 2))
    );
    assert_eq!(Date::from_excel_serial(1.0, false), Some(d(1900, 1, 1)));
    assert_eq!(Date::from_excel_serial(59.0, false), Some(d(1900, 2, 28)));
    assert_eq!(Date::from_excel_serial(60.0, false), None); // Excel's phantom 1900-02-29
    assert_eq!(Date::from_excel_serial(61.0, false), Some(d(1900, 3, 1)));
    assert_eq!(
        Date::from_excel_serial(2_958_465.0, false),
        Some(d(9999, 12, 31))
    );
    assert_eq!(Date::from_excel_serial(0.5, false), None);
    assert_eq!(Date::from_excel_serial(f64::NAN, false), None);
    // 1904 date system (old Mac workbooks): 2024-03-01 is 1462 days fewer.
    assert_eq!(
        Date::from_excel_serial(45352.0 - 1462.0, true),
        Some(d(2024, 3, 1))
    );
    assert_eq!(Date::from_excel_serial(0.0, true), Some(d(1904, 1, 1)));
    for date in [
        d(1900, 1, 1),
        d(1900, 3, 1),
        d(2024, 2, 29),
        d(9999, 12, 31),
    ] {
        assert_eq!(
            Date::from_excel_serial(date.to_excel_serial(), false),
            Some(date)
        );
    }
    assert_eq!(d(2024, 3, 1).to_excel_serial(), 45352.0);
}

#[test]
fn date_cells_in_both_date_systems() {
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    let dt = ExcelDateTime::new(45352.5, ExcelDateTimeType::DateTime, false);
    assert_eq!(crate::read::datetime_cell(&dt), Cell::Date(d(2024, 3, 1)));
    let dt = ExcelDateTime::new(45352.0 - 1462.0, ExcelDateTimeType::DateTime, true);
    assert_eq!(crate::read::datetime_cell(&dt), Cell::Date(d(2024, 3, 1)));
    let dt = ExcelDateTime::new(0.5, ExcelDateTimeType::DateTime, false);
    assert_eq!(crate::read::datetime_cell(&dt), text("12:00"));
    let dt = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
    assert_eq!(crate::read::datetime_cell(&dt), Cell::Number(1.5));
}

#[test]
fn date_formatted_numbers_read_as_dates() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let ws = workbook.add_worksheet();
    ws.write_string(0, 0, "日期").unwrap();
    let formats = [
        "yyyy-mm-dd",
        "yyyy\"年\"m\"月\"d\"日\"",
        "m/d/yyyy",
        "yyyy/m/d h:mm",
    ];
    for (i, f) in formats.iter().enumerate() {
        let format = rust_xlsxwriter::Format::new().set_num_format(*f);
        ws.write_number_with_format(i as u32 + 1, 0, 45352.25, &format)
            .unwrap();
    }
    ws.write_number(5, 0, 45352.0).unwrap(); // General: a plain number
    let t = read_table(&workbook.save_to_buffer().unwrap(), "").unwrap();
    for row in &t.rows[..4] {
        assert_eq!(
            row.cells[0],
            Cell::Date(d(2024, 3, 1)),
            "row {}",
            row.number
        );
        assert_eq!(row.cells[0].as_text(), "2024-03-01");
    }
    assert_eq!(t.rows[4].cells[0], Cell::Number(45352.0));
    assert_eq!(t.rows[4].cells[0].as_date(), Err(CellProblem::NotADate));
}

#[test]
fn dates_from_text() {
    for s in [
        "2024-03-01",
        "2024-3-1",
        "2024/3/1",
        "2024/03/01",
        "2024.3.1",
        "2024年3月1日",
        "2024年03月01日",
        "2024年3月1号",
        "20240301",
        " 2024-03-01 08:30:00 ",
        "2024-03-01T08:30:00Z",
        "２０２４－０３－０１",
    ] {
        assert_eq!(text(s).as_date(), Ok(d(2024, 3, 1)), "{s}");
    }
    for s in [
        "2024-02-30",
        "2023-02-29",
        "24-3-1",
        "2024-3",
        "3/1/2024",
        "2024-13-01",
        "明天",
        "0000-01-01",
    ] {
        assert_eq!(text(s).as_date(), Err(CellProblem::NotADate), "{s}");
    }
    assert_eq!(text("2024-02-29").as_date(), Ok(d(2024, 2, 29)));
    assert_eq!(Cell::Number(20_240_301.0).as_date(), Ok(d(2024, 3, 1)));
    assert_eq!(Cell::Empty.as_date(), Err(CellProblem::Blank));
    assert_eq!(d(2024, 3, 1).to_string(), "2024-03-01");
}

// --- Headers -----------------------------------------------------------------------------------

#[test]
fn chinese_and_english_headers_map() {
    let zh = table_with_headers(
        &[
            "企业名称*",
            " 统一社会信用代码 * ",
            "营业收入（万元）",
            "成立日期",
        ],
        vec![vec![
            text("甲"),
            text("91430200MA4L000000"),
            Cell::Number(12.0),
            Cell::Date(d(2020, 5, 1)),
        ]],
    );
    let map = map_headers(&zh, COLUMNS).unwrap();
    let row = &zh.rows[0];
    assert_eq!(map.get(row, "name"), &text("甲"));
    assert_eq!(map.get(row, "revenue").as_f64(), Ok(12.0));
    assert_eq!(map.header("uscc"), " 统一社会信用代码 * ");
    assert_eq!(map.index("founded"), Some(3));

    // English, in another order, other case, and without the optional columns.
    let en = table_with_headers(&["usccc", "USCC", "COMPANY NAME"], vec![]);
    assert!(map_headers(&en, COLUMNS).is_err());
    let en = table_with_headers(
        &["uscc", "COMPANY  NAME", "Revenue（10k CNY）"],
        vec![vec![text("91430200MA4L000000"), text("乙"), Cell::Empty]],
    );
    let map = map_headers(&en, COLUMNS).unwrap();
    let row = &en.rows[0];
    assert_eq!(map.get(row, "name"), &text("乙"));
    assert_eq!(map.get(row, "uscc").as_text(), "91430200MA4L000000");
    assert!(!map.has("founded"));
    assert_eq!(map.get(row, "founded"), &Cell::Empty);
    assert_eq!(map.header("founded"), "成立日期");

    let err = map.problem(row, "founded", &CellProblem::Blank);
    assert_eq!(err.row, 2);
    assert_eq!(err.column, "成立日期");
    let err = map.error(row, "uscc", "格式不对", "bad format");
    assert_eq!(err.value, "91430200MA4L000000");
    assert_eq!(err.column, "uscc");
}

#[test]
fn missing_unknown_duplicate_and_unnamed_columns_are_reported() {
    let t = table_with_headers(
        &["企业名称", "备注", "Company Name", "", "", "成立日期"],
        vec![vec![
            text("甲"),
            text("x"),
            text("甲"),
            Cell::Empty,
            text("stray"),
            Cell::Empty,
        ]],
    );
    let problems = map_headers(&t, COLUMNS).unwrap_err();
    assert_eq!(
        problems,
        vec![
            HeaderProblem::Missing {
                key: "uscc",
                zh: "统一社会信用代码",
                en: "USCC"
            },
            HeaderProblem::Unknown {
                index: 1,
                header: "备注".into()
            },
            HeaderProblem::Duplicate {
                key: "name",
                header: "Company Name".into(),
                first: 0,
                second: 2
            },
            HeaderProblem::Unnamed { index: 4 },
        ]
    );
    assert!(problems[0].zh().contains("统一社会信用代码"));
    assert!(problems[0].en().contains("USCC"));
    assert!(problems[1].zh().contains("第 B 列"));
    assert!(problems[1].en().contains("Column B"));
    assert!(problems[2].zh().contains("第 A 列和第 C 列"));
    assert!(problems[3].to_string().contains("E"));

    // Lenient mapping still finds what it can.
    let (map, problems) = map_headers_lenient(&t, COLUMNS);
    assert_eq!(problems.len(), 4);
    assert_eq!(map.index("name"), Some(0));
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

// --- Templates and error reports ----------------------------------------------------------------

#[test]
fn template_reads_back_and_maps() {
    let examples = vec![vec![
        Value::Text("株洲某某科技有限公司".into()),
        Value::Text("91430200MA4L000000".into()),
        Value::Float(1234.5),
        Value::Date(d(2020, 5, 1)),
    ]];
    let bytes = template_xlsx("孵化企业", COLUMNS, &examples).unwrap();
    let t = read_table(&bytes, "模板.xlsx").unwrap();
    assert_eq!(t.sheet.as_deref(), Some("孵化企业"));
    assert_eq!(
        t.headers,
        vec![
            "企业名称*",
            "统一社会信用代码*",
            "营业收入(万元)",
            "成立日期"
        ]
    );
    assert!(t.rows.is_empty(), "the data sheet holds no example rows");
    map_headers(&t, COLUMNS).unwrap();

    let help = ReadOptions {
        sheet: Some("说明".into()),
        ..ReadOptions::default()
    };
    let t = read_table_with(&bytes, "", &help, None).unwrap();
    assert_eq!(
        t.headers,
        vec!["列名", "英文列名", "是否必填", "填写说明", "示例"]
    );
    assert_eq!(t.rows[1].cells[0], text("统一社会信用代码"));
    assert_eq!(t.rows[1].cells[2], text("必填"));
    assert_eq!(t.rows[1].cells[3], text("18 位代码，字母大写"));
    assert_eq!(t.rows[3].cells[4], Cell::Date(d(2020, 5, 1)));

    let ex = ReadOptions {
        sheet: Some("填写示例".into()),
        ..ReadOptions::default()
    };
    let t = read_table_with(&bytes, "", &ex, None).unwrap();
    let map = map_headers(&t, COLUMNS).unwrap();
    assert_eq!(map.get(&t.rows[0], "uscc"), &text("91430200MA4L000000"));
    assert_eq!(map.get(&t.rows[0], "revenue"), &Cell::Number(1234.5));
}

#[test]
fn error_report_opens() {
    let errors = vec![
        RowError::new(
            7,
            "成立日期",
            "2024-02-30",
            "不是有效的日期",
            "not a valid date",
        ),
        RowError::new(
            3,
            "统一社会信用代码",
            "914302111234567000",
            "校验位错误",
            "bad check digit",
        ),
        RowError::new(3, "", "", "与第 2 行重复", "duplicates row 2"),
    ];
    let bytes = error_report_xlsx(&errors).unwrap();
    let t = read_table(&bytes, "问题.xlsx").unwrap();
    assert_eq!(
        t.headers,
        vec!["行号 Row", "列 Column", "值 Value", "问题", "Problem"]
    );
    assert_eq!(t.rows.len(), 3);
    let first = &t.rows[0].cells;
    assert_eq!(first[0], Cell::Number(3.0));
    assert_eq!(first[1], text("统一社会信用代码"));
    assert_eq!(first[2], text("914302111234567000"));
    assert_eq!(first[3], text("校验位错误"));
    assert_eq!(first[4], text("bad check digit"));
    assert_eq!(t.rows[2].cells[0].as_i64(), Ok(7));
    assert!(errors[0].to_string().contains("第 7 行"));

    let empty = read_table(&error_report_xlsx(&[]).unwrap(), "").unwrap();
    assert!(empty.rows.is_empty());
}

// --- Limits and progress ------------------------------------------------------------------------

fn numbered_sheet(rows: usize) -> Vec<u8> {
    let sheet = Sheet {
        name: "s".into(),
        headers: vec!["n".into()],
        rows: (0..rows).map(|i| vec![Value::from(i)]).collect(),
    };
    write_xlsx(&[sheet]).unwrap()
}

#[test]
fn too_many_rows_is_a_clear_error() {
    let options = ReadOptions {
        max_rows: 10,
        ..ReadOptions::default()
    };
    assert!(read_table_with(&numbered_sheet(10), "", &options, None).is_ok());
    let err = read_table_with(&numbered_sheet(11), "", &options, None).unwrap_err();
    assert_eq!(err, SheetError::TooManyRows { limit: 10 });
    assert!(err.zh().contains("10"));
    let csv: String = std::iter::once("n\n".to_string())
        .chain((0..11).map(|i| format!("{i}\n")))
        .collect();
    let err = read_table_with(csv.as_bytes(), "", &options, None).unwrap_err();
    assert_eq!(err, SheetError::TooManyRows { limit: 10 });
}

#[test]
fn too_many_columns_is_a_clear_error() {
    let options = ReadOptions {
        max_columns: 3,
        ..ReadOptions::default()
    };
    assert!(read_table_with(b"a,b,c,,\n1,2,3\n", "", &options, None).is_ok());
    let err = read_table_with(b"a,b,c,d\n", "", &options, None).unwrap_err();
    assert_eq!(err, SheetError::TooManyColumns { limit: 3 });
    let sheet = Sheet {
        name: "s".into(),
        headers: vec!["a".into(); 4],
        rows: vec![],
    };
    let err = read_table_with(&write_xlsx(&[sheet]).unwrap(), "", &options, None).unwrap_err();
    assert_eq!(err, SheetError::TooManyColumns { limit: 3 });
}

#[test]
fn progress_is_reported() {
    let bytes = numbered_sheet(2500);
    let mut seen = Vec::new();
    let mut progress = |n: usize| seen.push(n);
    let t = read_table_with(&bytes, "", &ReadOptions::default(), Some(&mut progress)).unwrap();
    assert_eq!(t.rows.len(), 2500);
    assert_eq!(seen, vec![1000, 2000, 2500]);

    let mut seen = Vec::new();
    let mut progress = |n: usize| seen.push(n);
    read_table_with(b"a\n1\n", "", &ReadOptions::default(), Some(&mut progress)).unwrap();
    assert_eq!(seen, vec![1]);
}

// --- Bad input -----------------------------------------------------------------------------------

#[test]
fn garbage_gives_errors_not_panics() {
    assert_eq!(read_table(b"", "a.xlsx"), Err(SheetError::Empty));
    assert_eq!(
        read_table(b"\xef\xbb\xbf \r\n", "a.csv"),
        Err(SheetError::Empty)
    );
    assert_eq!(
        read_table(b"\n\n,,\n", "a.csv"),
        Err(SheetError::NoHeaderRow)
    );
    assert_eq!(
        read_table(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a.xlsx"),
        Err(SheetError::NotASpreadsheet)
    );
    assert_eq!(
        read_table(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", ""),
        Err(SheetError::NotASpreadsheet)
    );
    assert_eq!(read_table(&[0u8; 64], ""), Err(SheetError::NotASpreadsheet));
    assert_eq!(
        read_table(
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "a.xls"
        ),
        Err(SheetError::HtmlDisguisedAsExcel)
    );
    assert!(matches!(
        read_table(b"PK\x03\x04garbage garbage", "a.xlsx"),
        Err(SheetError::Corrupt(_))
    ));
    assert!(read_table(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", "").is_err());
    let mut ole = vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    ole.extend_from_slice(&[0u8; 600]);
    assert!(read_table(&ole, "a.xls").is_err());
    // Bytes that are neither UTF-8 nor GB18030.
    assert_eq!(
        read_table(b"name\n\x80\x80\xff\xfe\xfd", ""),
        Err(SheetError::UnknownEncoding)
    );

    // A valid workbook cut short.
    let bytes = numbered_sheet(50);
    for len in [10, bytes.len() / 2, bytes.len() - 10] {
        assert!(read_table(&bytes[..len], "").is_err(), "truncated to {len}");
    }
}

#[test]
fn errors_have_both_languages() {
    let e = SheetError::Encrypted;
    assert!(e.zh().contains("密码"));
    assert!(e.en().contains("password"));
    assert_eq!(e.to_string(), format!("{} / {}", e.zh(), e.en()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_table(&bytes, "x.xlsx");
        let _ = read_table(&bytes, "x.csv");
    }

    #[test]
    fn arbitrary_bytes_after_a_zip_or_ole_signature_never_panic(
        ole in any::<bool>(),
        tail in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut bytes = if ole {
            vec![0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]
        } else {
            b"PK\x03\x04".to_vec()
        };
        bytes.extend_from_slice(&tail);
        prop_assert!(read_table(&bytes, "x.xlsx").is_err());
    }

    #[test]
    fn damaged_workbooks_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = small_workbook().to_vec();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = read_table(&bytes, "x.xlsx");
    }

    #[test]
    fn text_cells_round_trip(chars in proptest::collection::vec(any::<char>(), 0..40)) {
        let s: String = chars.into_iter().collect();
        let sheet = Sheet {
            name: "s".into(),
            headers: vec!["h".into()],
            rows: vec![vec![Value::Text(s.clone())]],
        };
        let t = read_table(&write_xlsx(&[sheet]).unwrap(), "").unwrap();
        let got = t.rows.first().map(|r| r.cells[0].clone()).unwrap_or_default();
        // Blank as the reader sees it: whitespace, zero-width spaces and byte-order marks only.
        if Cell::Text(s.clone()).is_blank() {
            prop_assert!(got.is_blank());
        } else {
            prop_assert_eq!(got, Cell::Text(s));
        }
    }

    #[test]
    fn numbers_round_trip(n in any::<f64>().prop_filter("finite", |n| n.is_finite())) {
        let sheet = Sheet { name: "s".into(), headers: vec!["h".into()], rows: vec![vec![Value::Float(n)]] };
        let t = read_table(&write_xlsx(&[sheet]).unwrap(), "").unwrap();
        prop_assert_eq!(&t.rows[0].cells[0], &Cell::Number(n));
        let shown = t.rows[0].cells[0].as_text();
        let back: f64 = shown.parse().unwrap();
        // What is shown is the number to Excel's 15 significant digits.
        prop_assert!((back - n).abs() <= n.abs() * 1e-14, "{} shown as {}", n, shown);
    }
}

fn small_workbook() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let sheet = Sheet {
            name: "企业".into(),
            headers: vec!["名称".into(), "数量".into(), "日期".into()],
            rows: (0..20)
                .map(|i| {
                    vec![
                        Value::Text(format!("公司{i}")),
                        Value::Int(i),
                        Value::Date(d(2024, 1, 1)),
                    ]
                })
                .collect(),
        };
        write_xlsx(&[sheet]).unwrap()
    })
}
