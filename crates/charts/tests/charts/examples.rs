//! Writes one example of each chart to `crates/charts/examples-out/` when
//! `CHARTS_WRITE_EXAMPLES=1` is set (and PNGs too when `rsvg-convert` is on
//! the PATH), to look at by eye. Does nothing otherwise.

use std::path::PathBuf;
use std::process::Command;

use fruition_charts::{
    ChartOptions, Series, Tile, bar, horizontal_bar, line, stacked_bar, tile_map,
};

use crate::strings;
use crate::xml::check;

const PLACES: [&str; 9] = [
    "天元区",
    "芦淞区",
    "荷塘区",
    "石峰区",
    "渌口区",
    "醴陵市",
    "攸县",
    "茶陵县",
    "炎陵县",
];

fn o(id: &str, title: &str, unit: &str, width: u32, height: u32) -> ChartOptions {
    ChartOptions {
        id: id.to_owned(),
        title: title.to_owned(),
        description: format!("{title}（示例数据）。"),
        width,
        height,
        unit: unit.to_owned(),
    }
}

pub fn examples() -> Vec<(&'static str, String)> {
    let places = strings(&PLACES);
    let years = strings(&["2020", "2021", "2022", "2023", "2024"]);
    let orgs = strings(&[
        "株洲高新技术产业开发区科技成果转化中心",
        "中车株洲电力机车研究所有限公司",
        "湖南工业大学",
        "株洲市<创新>&\"孵化\"基地",
        "醴陵陶瓷产业技术研究院",
        "攸县",
    ]);
    let levels = vec![
        Series::new("国家级", vec![6.0, 3.0, 2.0, 2.0, 0.0, 1.0, 0.0, 0.0, 0.0]),
        Series::new("省级", vec![14.0, 8.0, 7.0, 6.0, 3.0, 5.0, 2.0, 1.0, 1.0]),
        Series::new(
            "市级",
            vec![22.0, 15.0, 11.0, 12.0, 6.0, 9.0, 4.0, 3.0, 2.0],
        ),
    ];
    let grid = [
        ("石峰区", 1, 0),
        ("天元区", 0, 1),
        ("荷塘区", 1, 1),
        ("芦淞区", 1, 2),
        ("醴陵市", 2, 2),
        ("渌口区", 1, 3),
        ("攸县", 1, 4),
        ("茶陵县", 2, 4),
        ("炎陵县", 2, 5),
    ];
    let values = [21.0, 42.0, 20.0, 26.0, 15.0, 9.0, 6.0, 4.0, 3.0];
    let tiles: Vec<Tile> = grid
        .iter()
        .zip(values)
        .map(|(&(label, col, row), value)| Tile {
            label: label.to_owned(),
            col,
            row,
            value,
            note: (label == "天元区").then(|| "含国家级孵化器4家".to_owned()),
            href: Some(format!("/places?name={label}&year=2024")),
        })
        .collect();
    vec![
        (
            "bar",
            bar(
                &o("ex-bar", "2024年各区县科技创新载体数量", "家", 640, 360),
                &places,
                &[42.0, 26.0, 20.0, 21.0, 9.0, 15.0, 6.0, 4.0, 3.0],
            ),
        ),
        (
            "bar_wan",
            bar(
                &o("ex-bar-wan", "2024年技术合同成交额", "万元", 640, 360),
                &places[..5],
                &[35000.0, 12500.0, 8800.5, 23000.0, 1200.0],
            ),
        ),
        (
            "bar_many",
            bar(
                &o("ex-bar-many", "各单位成果登记数（多类别）", "件", 640, 360),
                &(0..30)
                    .map(|i| format!("{}{i}", PLACES[i % 9]))
                    .collect::<Vec<_>>(),
                &(0..30)
                    .map(|i| f64::from((i * 37) % 50))
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "horizontal_bar",
            horizontal_bar(
                &o("ex-hbar", "2024年成果转化项目数前六的单位", "件", 640, 300),
                &orgs,
                &[128.0, 96.0, 64.5, 40.0, 12.0, 0.0],
            ),
        ),
        (
            "horizontal_bar_narrow",
            horizontal_bar(
                &o(
                    "ex-hbar-narrow",
                    "成果转化项目数（手机宽度）",
                    "件",
                    320,
                    200,
                ),
                &orgs,
                &[128.0, 96.0, 64.5, 40.0, 12.0, 0.0],
            ),
        ),
        (
            "line_narrow",
            line(
                &o(
                    "ex-line-narrow",
                    "技术合同成交额（手机宽度）",
                    "万元",
                    320,
                    240,
                ),
                &years,
                &[
                    Series::new(
                        "技术开发",
                        vec![52000.0, 61000.0, 70500.0, 88000.0, 123456.0],
                    ),
                    Series::new(
                        "技术服务",
                        vec![30000.0, 28000.0, 41000.0, 39000.0, 56000.0],
                    ),
                ],
            ),
        ),
        (
            "stacked_bar",
            stacked_bar(
                &o("ex-stacked", "各区县科技创新载体（按级别）", "家", 720, 400),
                &places,
                &levels,
            ),
        ),
        (
            "line",
            line(
                &o("ex-line", "2020—2024年科技创新载体数量变化", "家", 640, 360),
                &years,
                &[
                    Series::new("孵化器", vec![18.0, 22.0, 27.0, 31.0, 38.0]),
                    Series::new("众创空间", vec![25.0, 29.0, 30.0, 34.0, 37.0]),
                    Series::new("新型研发机构", vec![3.0, 5.0, 9.0, 14.0, 20.0]),
                ],
            ),
        ),
        (
            "tile_map",
            tile_map(
                &o(
                    "ex-map",
                    "株洲市各区县科技创新载体分布（示意图）",
                    "家",
                    640,
                    720,
                ),
                &tiles,
            ),
        ),
        (
            "bar_narrow_negative",
            bar(
                &o("ex-neg", "2024年各区县载体数量同比增减", "家", 320, 280),
                &places,
                &[12.0, -3.0, 5.0, 0.0, -8.5, 2.0, 1.0, -1.0, 4.0],
            ),
        ),
        (
            "line_many",
            line(
                &o(
                    "ex-line-many",
                    "十个系列（测试虚线与图例换行）",
                    "人",
                    640,
                    400,
                ),
                &years,
                &(0..10)
                    .map(|s| {
                        Series::new(
                            format!("{}科技人才", PLACES[s % 9]),
                            (0..5)
                                .map(|y| f64::from((s * 7 + y * 3) as u32 % 23) * 100.0)
                                .collect(),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "tile_map_small",
            tile_map(
                &o("ex-map-small", "小图块：长名称与备注", "家", 480, 300),
                &(0..24)
                    .map(|i| Tile {
                        label: format!("{}高新技术产业园区{i}", PLACES[i % 9]),
                        col: (i % 8) as u32,
                        row: (i / 8) as u32,
                        value: f64::from(i as u32 * 1500),
                        note: Some("含国家级孵化器4家、省级众创空间2家".to_owned()),
                        href: None,
                    })
                    .collect::<Vec<_>>(),
            ),
        ),
        (
            "empty",
            bar(&o("ex-empty", "暂无数据的图表", "家", 640, 360), &[], &[]),
        ),
    ]
}

#[test]
fn write_examples() {
    if std::env::var("CHARTS_WRITE_EXAMPLES").as_deref() != Ok("1") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples-out");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, svg) in examples() {
        check(&svg);
        let path = dir.join(format!("{name}.svg"));
        std::fs::write(&path, &svg).unwrap();
        // Best effort: a PNG to look at, if rsvg-convert is installed.
        let _ = Command::new("rsvg-convert")
            .arg("--zoom=1.5")
            .arg("-o")
            .arg(dir.join(format!("{name}.png")))
            .arg(&path)
            .status();
    }
}

#[test]
fn examples_are_well_formed() {
    for (_, svg) in examples() {
        check(&svg);
    }
}
