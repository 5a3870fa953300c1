//! Generates a 100,000-row × 20-column workbook with `write_xlsx`, reads it back with
//! `read_table_with` and prints the timings.
//!
//! ```sh
//! cargo run --release -p fruition-sheets --example read_bench [ROWS]
//! ```

use std::time::Instant;

use fruition_sheets::{
    Column, Date, ReadOptions, Sheet, Value, map_headers, read_table_with, write_xlsx,
};

const COLS: usize = 20;

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let headers: Vec<String> = (0..COLS).map(header).collect();

    let t = Instant::now();
    let data: Vec<Vec<Value>> = (0..rows).map(row).collect();
    let sheet = Sheet {
        name: "孵化企业".into(),
        headers,
        rows: data,
    };
    let generated = t.elapsed();

    let t = Instant::now();
    let bytes = write_xlsx(std::slice::from_ref(&sheet)).expect("write");
    let written = t.elapsed();
    drop(sheet);

    let mut calls = 0usize;
    let mut last = 0usize;
    let mut progress = |n: usize| {
        calls += 1;
        last = n;
    };
    let t = Instant::now();
    let options = ReadOptions {
        max_rows: rows.max(1),
        ..ReadOptions::default()
    };
    let table = read_table_with(&bytes, "bench.xlsx", &options, Some(&mut progress)).expect("read");
    let read = t.elapsed();

    // What an import does next: map the headers and convert every cell once.
    let columns: Vec<Column> = (0..COLS)
        .map(|i| Column {
            key: Box::leak(format!("c{i}").into_boxed_str()),
            zh: Box::leak(header(i).into_boxed_str()),
            en: "",
            required: true,
            hint_zh: "",
        })
        .collect();
    let t = Instant::now();
    let map = map_headers(&table, &columns).expect("headers");
    let mut numbers = 0.0;
    let mut text_len = 0usize;
    let mut dates = 0usize;
    for r in &table.rows {
        for (i, c) in columns.iter().enumerate() {
            let cell = map.get(r, c.key);
            match i % 5 {
                2 => dates += usize::from(cell.as_date().is_ok()),
                3 | 4 => numbers += cell.as_f64().unwrap_or(0.0),
                _ => text_len += cell.as_text().len(),
            }
        }
    }
    let converted = t.elapsed();

    assert_eq!(table.rows.len(), rows);
    assert_eq!(table.rows[rows - 1].number, rows + 1);
    println!(
        "rows: {rows} × {COLS} columns, workbook {:.1} MiB",
        bytes.len() as f64 / (1024.0 * 1024.0)
    );
    println!("generate values:     {:>8.3} s", generated.as_secs_f64());
    println!("write_xlsx:          {:>8.3} s", written.as_secs_f64());
    println!(
        "read_table_with:     {:>8.3} s  ({calls} progress calls, last {last})",
        read.as_secs_f64()
    );
    println!(
        "map + convert cells: {:>8.3} s  (checksum {numbers:.0} {text_len} {dates})",
        converted.as_secs_f64()
    );
}

fn header(i: usize) -> String {
    match i {
        0 => "企业名称".into(),
        1 => "统一社会信用代码".into(),
        2 => "成立日期".into(),
        _ => format!("指标{i}"),
    }
}

fn row(i: usize) -> Vec<Value> {
    (0..COLS)
        .map(|c| match (c, c % 5) {
            (0, _) => Value::Text(format!("株洲市某某科技有限公司第{i}号")),
            (1, _) => Value::Text(format!("91430200MA4L{:06}", i % 1_000_000)),
            (_, 2) => Value::Date(
                Date::new(
                    2000 + (i % 25) as u16,
                    (i % 12) as u8 + 1,
                    (i % 28) as u8 + 1,
                )
                .unwrap(),
            ),
            (_, 3) => Value::Int((i * c) as i64),
            (_, 4) => Value::Float(i as f64 * 0.37 + c as f64),
            _ => Value::Text(format!("说明{}", i % 97)),
        })
        .collect()
}
