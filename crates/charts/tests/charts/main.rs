//! Tests for every chart: well-formed, escaped, accessible, deterministic,
//! robust; and (with CHARTS_WRITE_EXAMPLES=1) example files to look at.

mod basics;
mod examples;
mod props;
mod xml;

use fruition_charts::{ChartOptions, Series, Tile};

pub fn opts(id: &str, title: &str) -> ChartOptions {
    ChartOptions {
        id: id.to_owned(),
        title: title.to_owned(),
        description: "测试用图表。".to_owned(),
        width: 640,
        height: 360,
        unit: "家".to_owned(),
    }
}

pub fn strings(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

/// Every chart kind drawn from the same labels and values.
pub fn all_kinds(
    o: &ChartOptions,
    labels: &[String],
    values: &[f64],
) -> Vec<(&'static str, String)> {
    let series = vec![
        Series::new("国家级", values.to_vec()),
        Series::new("省级", values.iter().map(|v| v / 2.0).collect()),
    ];
    let tiles: Vec<Tile> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| Tile {
            label: l.clone(),
            col: (i % 3) as u32,
            row: (i / 3) as u32,
            value: values.get(i).copied().unwrap_or(0.0),
            note: Some(format!("备注{l}")),
            href: Some(format!("/places/{i}?q={l}")),
        })
        .collect();
    vec![
        ("bar", fruition_charts::bar(o, labels, values)),
        (
            "horizontal_bar",
            fruition_charts::horizontal_bar(o, labels, values),
        ),
        (
            "stacked_bar",
            fruition_charts::stacked_bar(o, labels, &series),
        ),
        ("line", fruition_charts::line(o, labels, &series)),
        ("tile_map", fruition_charts::tile_map(o, &tiles)),
    ]
}
