use fruition_charts::{
    ChartOptions, NO_DATA, PALETTE, Series, Tile, bar, format_value, horizontal_bar, line,
    nice_ticks, stacked_bar, tile_map,
};

use crate::xml::{Element, check, check_a11y};
use crate::{all_kinds, opts, strings};

const NASTY: &str = r#"<株洲&"高新区">"#;
const NASTY_ESCAPED: &str = "&lt;株洲&amp;&quot;高新区&quot;&gt;";

fn texts(els: &[Element]) -> Vec<&str> {
    els.iter()
        .filter(|e| e.name == "text")
        .map(|e| e.text.as_str())
        .collect()
}

#[test]
fn every_kind_is_well_formed_accessible_and_escaped() {
    let o = ChartOptions {
        title: format!("标题 {NASTY}"),
        description: format!("说明 {NASTY} 'quoted'"),
        ..opts("kinds", "")
    };
    let labels = strings(&[NASTY, "天元区", "芦淞区"]);
    for (kind, svg) in all_kinds(&o, &labels, &[12.0, 30.0, 7.0]) {
        let els = check(&svg);
        check_a11y(&els, "kinds");
        assert!(
            svg.contains(NASTY_ESCAPED),
            "{kind}: escaped label missing\n{svg}"
        );
        assert!(!svg.contains("<株洲"), "{kind}: raw label");
        assert!(!svg.contains("&\""), "{kind}: raw ampersand");
        assert!(
            svg.contains("&#39;quoted&#39;"),
            "{kind}: apostrophes escaped"
        );
        // Visible somewhere as text, and in the title and the description.
        assert!(
            texts(&els).iter().any(|t| t.contains(NASTY)),
            "{kind}: label not drawn"
        );
        assert!(els[1].text.contains(NASTY), "{kind}: title");
        assert!(els[2].text.contains(NASTY), "{kind}: desc");
        // The description ends with the data, for screen readers.
        assert!(els[2].text.contains("数据："), "{kind}: {}", els[2].text);
        assert!(
            els[2].text.contains("30家") || els[2].text.contains("15家"),
            "{kind}: {}",
            els[2].text
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{kind}");
    }
}

#[test]
fn every_kind_is_deterministic() {
    let o = opts("same", "各区县载体数量");
    let labels = strings(&["天元区", "芦淞区", "荷塘区", "石峰区"]);
    let values = [42.0, 17.5, 0.0, 35000.0];
    let a = all_kinds(&o, &labels, &values);
    let b = all_kinds(&o.clone(), &labels.clone(), &values);
    for ((kind, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x, y, "{kind} differs between runs");
    }
}

#[test]
fn empty_inputs_draw_no_data() {
    let o = opts("empty", "空图表");
    let none: Vec<String> = Vec::new();
    let charts = vec![
        bar(&o, &none, &[]),
        bar(&o, &none, &[1.0, 2.0]),
        horizontal_bar(&o, &none, &[]),
        stacked_bar(&o, &none, &[]),
        stacked_bar(&o, &strings(&["天元区"]), &[]),
        line(&o, &none, &[Series::new("a", vec![1.0])]),
        line(&o, &strings(&["2020"]), &[]),
        line(&o, &strings(&["2020"]), &[Series::new("a", vec![])]),
        tile_map(&o, &[]),
    ];
    for svg in charts {
        let els = check(&svg);
        check_a11y(&els, "empty");
        assert!(texts(&els).contains(&NO_DATA), "{svg}");
        assert!(els[2].text.contains(NO_DATA));
    }
}

#[test]
fn odd_values_do_not_break_anything() {
    let o = opts("odd", "异常值");
    let labels = strings(&["a", "b", "c", "d", "e", "f", "g"]);
    let values = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -5.0,
        0.0,
        1e300,
        f64::MIN_POSITIVE,
    ];
    for (kind, svg) in all_kinds(&o, &labels, &values) {
        let els = check(&svg);
        check_a11y(&els, "odd");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{kind}");
    }
    // All zero, and all negative.
    for values in [[0.0; 3], [-1.0, -20.0, -3.5]] {
        for (_, svg) in all_kinds(&o, &labels[..3], &values) {
            check(&svg);
        }
    }
    // Fewer values than categories, more values than categories.
    for values in [
        &[1.0][..],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],
    ] {
        for (_, svg) in all_kinds(&o, &labels[..3], values) {
            check(&svg);
        }
    }
}

#[test]
fn nan_counts_as_zero() {
    let o = opts("nan", "");
    let svg = bar(&o, &strings(&["a", "b"]), &[f64::NAN, 4.0]);
    let els = check(&svg);
    assert!(els[2].text.contains("a 0家"), "{}", els[2].text);
    assert!(texts(&els).contains(&"0"));
    assert!(texts(&els).contains(&"4"));
}

#[test]
fn long_labels_are_cut_by_chars() {
    let o = opts("long", "");
    let long = "株洲市高新技术产业开发区科技成果转化与技术转移服务中心（国家级）".repeat(3);
    let labels = vec![long.clone(), "芦淞区".to_owned()];
    for (kind, svg) in all_kinds(&o, &labels, &[3.0, 4.0]) {
        let els = check(&svg);
        let drawn = texts(&els);
        assert!(!drawn.contains(&long.as_str()), "{kind}: not cut");
        assert!(
            drawn.iter().any(|t| t.ends_with('…')),
            "{kind}: no ellipsis in {drawn:?}"
        );
        // The full label is still in the description.
        assert!(els[2].text.contains(&long), "{kind}");
    }
}

#[test]
fn bars_label_values_and_axis_has_unit() {
    let o = opts("bars", "各区县科技创新载体");
    let labels = strings(&["天元区", "芦淞区", "荷塘区"]);
    let svg = bar(&o, &labels, &[69.0, 35.0, 8.0]);
    let els = check(&svg);
    let t = texts(&els);
    for want in ["69", "35", "8", "单位：家", "天元区", "各区县科技创新载体"] {
        assert!(t.contains(&want), "missing {want}: {t:?}");
    }
    // Integer data, max 69: ticks 0, 20, …, 80.
    for tick in ["0", "20", "40", "60", "80"] {
        assert!(t.contains(&tick), "tick {tick}: {t:?}");
    }
    let rects: Vec<&Element> = els
        .iter()
        .filter(|e| e.name == "rect" && e.attr("fill") == Some(PALETTE[0]))
        .collect();
    assert_eq!(rects.len(), 3);
    let h = |e: &Element| e.attr("height").unwrap().parse::<f64>().unwrap();
    assert!(h(rects[0]) > h(rects[1]) && h(rects[1]) > h(rects[2]));
}

#[test]
fn big_values_use_wan() {
    let o = opts("wan", "");
    let svg = bar(&o, &strings(&["a", "b"]), &[35000.0, 12000.0]);
    let els = check(&svg);
    let t = texts(&els);
    for want in ["3.5万", "1.2万", "4万", "1万", "0"] {
        assert!(t.contains(&want), "missing {want}: {t:?}");
    }
}

#[test]
fn stacked_bars_total_on_top_and_legend() {
    let o = opts("stack", "");
    let labels = strings(&["天元区", "芦淞区"]);
    let series = vec![
        Series::new("国家级", vec![3.0, 1.0]),
        Series::new("省级", vec![5.0, 2.0]),
        Series::new("市级", vec![12.0, -4.0]),
    ];
    let svg = stacked_bar(&o, &labels, &series);
    let els = check(&svg);
    let t = texts(&els);
    for want in ["20", "3", "国家级", "省级", "市级"] {
        assert!(t.contains(&want), "missing {want}: {t:?}");
    }
    let bold: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "text" && e.attr("font-weight") == Some("bold"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(bold, vec!["20", "3"], "totals (the negative counts as 0)");
    // The negative value is still reported as given.
    assert!(els[2].text.contains("市级 -4家"), "{}", els[2].text);
}

#[test]
fn lines_mark_points_and_label_last_values() {
    let o = opts("trend", "");
    let years = strings(&["2020", "2021", "2022", "2023", "2024"]);
    let series = vec![
        Series::new("孵化器", vec![10.0, 12.0, 15.0, 19.0, 24.0]),
        Series::new("众创空间", vec![20.0, 21.0, 22.0, 23.0, 24.0]),
        Series::new("短", vec![5.0, 6.0]),
    ];
    let svg = line(&o, &years, &series);
    let els = check(&svg);
    let paths = els
        .iter()
        .filter(|e| e.name == "path" && e.attr("fill") == Some("none"))
        .count();
    assert_eq!(paths, 3);
    let markers = els
        .iter()
        .filter(|e| e.attr("stroke") == Some("#ffffff"))
        .count();
    assert!(markers >= 12, "{markers} markers");
    let bold: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "text" && e.attr("font-weight") == Some("bold"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(bold.len(), 3);
    assert_eq!(bold.iter().filter(|t| **t == "24").count(), 2);
    assert!(bold.contains(&"6"));
    // Both series ending at 24 get labels apart.
    let ys: Vec<f64> = els
        .iter()
        .filter(|e| e.name == "text" && e.text == "24" && e.attr("font-weight") == Some("bold"))
        .map(|e| e.attr("y").unwrap().parse().unwrap())
        .collect();
    assert!((ys[0] - ys[1]).abs() >= 13.9, "{ys:?}");
    let t = texts(&els);
    assert!(t.contains(&"孵化器") && t.contains(&"2024"));
}

#[test]
fn tile_map_shades_links_and_legend() {
    let o = opts("map", "株洲市各区县");
    let tiles = vec![
        Tile {
            label: "天元区".into(),
            col: 0,
            row: 0,
            value: 40.0,
            note: Some("含国家级孵化器4家".into()),
            href: Some("/places/tianyuan?year=2024&kind=\"all\"".into()),
        },
        Tile {
            label: "炎陵县".into(),
            col: 1,
            row: 1,
            value: 2.0,
            note: None,
            href: Some("javascript:alert(1)".into()),
        },
        Tile {
            label: NASTY.into(),
            col: 1,
            row: 0,
            value: -3.0,
            note: None,
            href: None,
        },
    ];
    let svg = tile_map(&o, &tiles);
    let els = check(&svg);
    let links: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "a")
        .map(|e| e.attr("href").unwrap())
        .collect();
    assert_eq!(links, vec!["/places/tianyuan?year=2024&kind=\"all\""]);
    assert!(svg.contains("href=\"/places/tianyuan?year=2024&amp;kind=&quot;all&quot;\""));
    assert!(!svg.contains("javascript"));
    let fills: Vec<&str> = els
        .iter()
        .filter(|e| e.name == "rect" && e.attr("rx").is_some())
        .map(|e| e.attr("fill").unwrap())
        .collect();
    assert_eq!(fills, vec!["#08306b", "#d6e5f4", "#deebf7"]);
    let t = texts(&els);
    for want in ["天元区", "40家", "含国家级孵化器4家", "-3家", "0", "20"] {
        assert!(t.contains(&want), "missing {want}: {t:?}");
    }
    // Dark tile, white text; light tile, dark text.
    let text_fill = |s: &str| {
        els.iter()
            .find(|e| e.name == "text" && e.text == s)
            .unwrap()
            .attr("fill")
    };
    assert_eq!(text_fill("40家"), Some("#ffffff"));
    assert_eq!(text_fill("2家"), None);
    assert!(
        els.iter()
            .any(|e| e.name == "linearGradient" && e.attr("id") == Some("map-scale"))
    );
}

#[test]
fn tile_map_survives_far_apart_tiles() {
    let o = opts("far", "");
    let tiles: Vec<Tile> = [(0, 0), (u32::MAX, u32::MAX), (3, 2), (3, 2)]
        .iter()
        .map(|&(col, row)| Tile {
            label: format!("{col},{row}"),
            col,
            row,
            value: f64::from(row % 7),
            ..Tile::default()
        })
        .collect();
    let els = check(&tile_map(&o, &tiles));
    assert!(els[2].text.contains("4294967295,4294967295"));
}

#[test]
fn ids_are_prefixed_and_sanitised() {
    let o = opts("图表 1", "");
    let svg = bar(&o, &strings(&["a"]), &[1.0]);
    let els = check(&svg);
    check_a11y(&els, "chart----1");
}

#[test]
fn sizes_are_respected_and_clamped() {
    let mut o = opts("size", "");
    o.width = 800;
    o.height = 450;
    let svg = bar(&o, &strings(&["a"]), &[1.0]);
    assert!(svg.contains("viewBox=\"0 0 800 450\""));
    o.width = 0;
    o.height = u32::MAX;
    let svg = bar(&o, &strings(&["a"]), &[1.0]);
    assert!(svg.contains("viewBox=\"0 0 240 4000\""));
    // Many rows: the horizontal chart grows to keep rows legible.
    let labels: Vec<String> = (0..40).map(|i| format!("地区{i}")).collect();
    let values: Vec<f64> = (0..40).map(f64::from).collect();
    let els = check(&horizontal_bar(&opts("tall", ""), &labels, &values));
    let h: f64 = els[0].attr("height").unwrap().parse().unwrap();
    assert!(h >= 40.0 * 24.0, "{h}");
}

#[test]
fn public_helpers() {
    assert_eq!(nice_ticks(0.0, 69.0), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
    assert_eq!(
        nice_ticks(0.0, 35000.0),
        vec![0.0, 10000.0, 20000.0, 30000.0, 40000.0]
    );
    assert_eq!(format_value(35000.0), "3.5万");
    assert_eq!(format_value(1234.0), "1,234");
    assert!(PALETTE.len() >= 8);
}
