//! Vertical bar chart.

use crate::format::format_value;
use crate::options::ChartOptions;
use crate::scale::sanitize;
use crate::svg::{
    Anchor, CartesianSpec, Doc, INK, PALETTE, Rect, Style, all_integers, chart_size, compose_desc,
    empty_chart, fitting_size, plan_cartesian, tooltip, with_unit,
};
use crate::text::clean;

/// Vertical bars, one per category, with the value printed on each bar.
///
/// One bar per entry of `categories`; a missing value counts as 0 and extra
/// values are ignored. Negative values hang below the zero line (their label
/// sits just above it). Value labels shrink, then are left out, when bars
/// are too narrow for them; tooltips and the `<desc>` still carry every
/// value. Long category names wrap to two lines, or turn by 45° when bars
/// are narrow, and end with "…" when cut.
pub fn bar(opts: &ChartOptions, categories: &[String], values: &[f64]) -> String {
    let labels: Vec<String> = categories.iter().map(|c| clean(c)).collect();
    if labels.is_empty() {
        return empty_chart(opts);
    }
    let vals: Vec<f64> = (0..labels.len())
        .map(|i| sanitize(values.get(i).copied().unwrap_or(0.0)))
        .collect();
    let summary = summary(&labels, &vals, &opts.unit);
    let (w, h) = chart_size(opts);
    let mut doc = Doc::begin(opts, w, h, &compose_desc(&opts.description, &summary));
    let top = doc.title(opts);
    let c = plan_cartesian(&CartesianSpec {
        w,
        h,
        top,
        unit: &opts.unit,
        labels: &labels,
        lo: vals.iter().copied().fold(0.0, f64::min),
        hi: vals.iter().copied().fold(0.0, f64::max),
        integer: all_integers(vals.iter().copied()),
        right_extra: 0.0,
    });
    c.draw_axis(&mut doc);
    let bw = (c.band * 0.62).clamp(1.0, 72.0);
    let y0 = c.y.map(0.0);
    let fill = format!("fill=\"{}\"", PALETTE[0]);
    for (i, (label, v)) in labels.iter().zip(&vals).enumerate() {
        let cx = c.x(i);
        let yv = c.y.map(*v);
        doc.rect(
            Rect {
                x: cx - bw / 2.0,
                y: yv.min(y0),
                w: bw,
                h: (yv - y0).abs(),
            },
            &fill,
            &tooltip(&format!("{label}：{}", with_unit(*v, &opts.unit))),
        );
        let text = format_value(*v);
        if let Some(size) = fitting_size(&text, c.band - 2.0) {
            let y = if *v >= 0.0 { yv } else { y0 } - 5.0;
            doc.text(cx, y, Style::new(size, Anchor::Middle, INK), &text);
        }
    }
    c.draw_baseline_and_categories(&mut doc, &labels);
    doc.finish()
}

/// "数据：A 12家；B 5家。"
pub(crate) fn summary(labels: &[String], vals: &[f64], unit: &str) -> String {
    let items: Vec<String> = labels
        .iter()
        .zip(vals)
        .map(|(l, v)| format!("{l} {}", with_unit(*v, unit)))
        .collect();
    format!("数据：{}。", items.join("；"))
}
