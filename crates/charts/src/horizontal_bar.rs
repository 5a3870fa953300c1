//! Horizontal bar chart, for long category names.

use crate::format::{format_tick, format_value};
use crate::options::ChartOptions;
use crate::scale::{Linear, fit_ticks, sanitize};
use crate::svg::{
    AXIS, Anchor, Doc, FONT, GRID, INK, MUTED, PAD, PALETTE, Rect, Style, all_integers, chart_size,
    compose_desc, content_top, empty_chart, fitting_size, tooltip, with_unit,
};
use crate::text::{clean, text_width, truncate, wrap};

const MIN_ROW: f64 = 24.0;
const LINE: f64 = 14.0;

/// Horizontal bars, one row per category: names on the left (up to 38 % of
/// the width, wrapped to two lines when rows are tall enough, else cut with
/// "…"), the value at the end of each bar, the value axis at the bottom.
///
/// The height grows beyond `opts.height` when rows would be less than 24
/// high, so every name stays legible; the returned `viewBox`, `width` and
/// `height` say how tall it is. Missing values count as 0; negative bars
/// extend left of the zero line, with their label to its right.
pub fn horizontal_bar(opts: &ChartOptions, categories: &[String], values: &[f64]) -> String {
    let labels: Vec<String> = categories.iter().map(|c| clean(c)).collect();
    if labels.is_empty() {
        return empty_chart(opts);
    }
    let n = labels.len();
    let vals: Vec<f64> = (0..n)
        .map(|i| sanitize(values.get(i).copied().unwrap_or(0.0)))
        .collect();
    let summary = crate::bar::summary(&labels, &vals, &opts.unit);
    let (w, h0) = chart_size(opts);
    let unit = clean(&opts.unit);

    let plot_top = content_top(opts) + 6.0;
    let bottom = 8.0 + FONT + if unit.is_empty() { 0.0 } else { 18.0 } + PAD;
    let row = ((h0 - plot_top - bottom) / n as f64).max(MIN_ROW);
    let plot_h = row * n as f64;
    let h = (plot_top + plot_h + bottom).max(h0);

    let label_w = labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        .clamp(24.0, w * 0.38);
    let value_texts: Vec<String> = vals.iter().map(|v| format_value(*v)).collect();
    let value_w = value_texts
        .iter()
        .map(|t| text_width(t, FONT))
        .fold(0.0, f64::max);
    let left = PAD + label_w + 10.0;
    let right = PAD + value_w + 6.0;
    let plot_w = (w - left - right).max(10.0);
    let lo = vals.iter().copied().fold(0.0, f64::min);
    let hi = vals.iter().copied().fold(0.0, f64::max);
    // Tick labels sit side by side: keep them a label and a gap apart.
    let ticks = fit_ticks(lo, hi, all_integers(vals.iter().copied()), plot_w, 6, |t| {
        t.iter()
            .map(|v| text_width(&format_tick(*v), FONT))
            .fold(0.0, f64::max)
            + 20.0
    });
    let x = Linear {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        r0: left,
        r1: left + plot_w,
    };

    let mut doc = Doc::begin(opts, w, h, &compose_desc(&opts.description, &summary));
    doc.title(opts);
    let plot_bottom = plot_top + plot_h;
    doc.raw(&format!(
        "<g stroke=\"{GRID}\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n"
    ));
    for t in &ticks {
        doc.line(x.map(*t), plot_top, x.map(*t), plot_bottom, "");
    }
    doc.raw("</g>\n");
    let tick_style = Style::new(FONT, Anchor::Middle, MUTED);
    for t in &ticks {
        doc.text(
            x.map(*t),
            plot_bottom + 8.0 + FONT,
            tick_style,
            &format_tick(*t),
        );
    }
    if !unit.is_empty() {
        let u = truncate(&format!("单位：{unit}"), w - 2.0 * PAD, FONT);
        doc.text(
            left + plot_w,
            plot_bottom + 8.0 + FONT + 18.0,
            Style::new(FONT, Anchor::End, MUTED),
            &u,
        );
    }

    let bh = (row * 0.62).min(36.0);
    let x0 = x.map(0.0);
    let fill = format!("fill=\"{}\"", PALETTE[0]);
    let max_lines = if row >= 2.0 * LINE + 6.0 { 2 } else { 1 };
    for (i, ((label, v), text)) in labels.iter().zip(&vals).zip(&value_texts).enumerate() {
        let cy = plot_top + (i as f64 + 0.5) * row;
        let xv = x.map(*v);
        doc.rect(
            Rect {
                x: xv.min(x0),
                y: cy - bh / 2.0,
                w: (xv - x0).abs(),
                h: bh,
            },
            &fill,
            &tooltip(&format!("{label}：{}", with_unit(*v, &opts.unit))),
        );
        if let Some(size) = fitting_size(text, value_w + 4.0) {
            let tx = if *v >= 0.0 { xv } else { x0 } + 5.0;
            doc.text(
                tx,
                cy + size / 3.0,
                Style::new(size, Anchor::Start, INK),
                text,
            );
        }
        let lines = wrap(label, label_w, FONT, max_lines);
        let first = cy + FONT / 3.0 - (lines.len().max(1) - 1) as f64 * LINE / 2.0;
        doc.lines(
            left - 10.0,
            first,
            LINE,
            Style::new(FONT, Anchor::End, INK),
            &lines,
        );
    }
    doc.line(
        x0,
        plot_top,
        x0,
        plot_bottom,
        &format!("stroke=\"{AXIS}\" stroke-width=\"1\" shape-rendering=\"crispEdges\""),
    );
    doc.finish()
}
