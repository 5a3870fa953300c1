//! Stacked vertical bar chart.

use crate::format::format_value;
use crate::options::{ChartOptions, Series};
use crate::scale::sanitize;
use crate::svg::{
    Anchor, CartesianSpec, Doc, INK, LegendEntry, PAD, Rect, Style, Swatch, WHITE, all_integers,
    chart_size, compose_desc, draw_legend, empty_chart, fitting_size, legend_height,
    plan_cartesian, rgb, series_color, text_on, tooltip, with_unit,
};
use crate::text::clean;

/// Bars stacked by series (e.g. carriers per place, stacked by level), with
/// the total above each bar and a legend on top.
///
/// Series are stacked bottom-up in the order given, coloured from
/// [`crate::PALETTE`]. Negative values cannot be stacked meaningfully and
/// count as 0 (the `<desc>` still lists what was given); so do missing ones.
/// A segment shows its own value when it is tall and wide enough.
pub fn stacked_bar(opts: &ChartOptions, categories: &[String], series: &[Series]) -> String {
    let labels: Vec<String> = categories.iter().map(|c| clean(c)).collect();
    if labels.is_empty() || series.is_empty() {
        return empty_chart(opts);
    }
    let names = series_names(series);
    // vals[s][i]: value of series s in category i, drawable (≥ 0).
    let given: Vec<Vec<f64>> = series
        .iter()
        .map(|s| {
            (0..labels.len())
                .map(|i| sanitize(s.values.get(i).copied().unwrap_or(0.0)))
                .collect()
        })
        .collect();
    let vals: Vec<Vec<f64>> = given
        .iter()
        .map(|row| row.iter().map(|v| v.max(0.0)).collect())
        .collect();
    let totals: Vec<f64> = (0..labels.len())
        .map(|i| vals.iter().map(|row| row[i]).sum())
        .collect();

    let summary = summary(&labels, &names, &given, &totals, &opts.unit);
    let (w, h) = chart_size(opts);
    let mut doc = Doc::begin(opts, w, h, &compose_desc(&opts.description, &summary));
    let mut top = doc.title(opts);
    let entries: Vec<LegendEntry> = names
        .iter()
        .enumerate()
        .map(|(i, n)| LegendEntry {
            name: n.clone(),
            color: series_color(i),
            swatch: Swatch::Square,
        })
        .collect();
    let legend_w = w - 2.0 * PAD;
    if legend_height(&entries, legend_w) > 0.0 {
        top += draw_legend(&mut doc, &entries, PAD, top - 4.0, legend_w);
    }
    let c = plan_cartesian(&CartesianSpec {
        w,
        h,
        top,
        unit: &opts.unit,
        labels: &labels,
        lo: 0.0,
        hi: totals.iter().copied().fold(0.0, f64::max),
        integer: all_integers(vals.iter().flatten().copied()),
        right_extra: 0.0,
    });
    c.draw_axis(&mut doc);
    let bw = (c.band * 0.62).clamp(1.0, 72.0);
    for (i, label) in labels.iter().enumerate() {
        let cx = c.x(i);
        let mut acc = 0.0;
        for (s, row) in vals.iter().enumerate() {
            let v = row[i];
            if v <= 0.0 {
                continue;
            }
            let (y_lo, y_hi) = (c.y.map(acc), c.y.map(acc + v));
            acc += v;
            let color = series_color(s);
            let seg = Rect {
                x: cx - bw / 2.0,
                y: y_hi,
                w: bw,
                h: y_lo - y_hi,
            };
            doc.rect(
                seg,
                &format!("fill=\"{color}\" stroke=\"{WHITE}\" stroke-width=\"1\""),
                &tooltip(&format!(
                    "{label} · {}：{}",
                    names[s],
                    with_unit(v, &opts.unit)
                )),
            );
            let text = format_value(v);
            if seg.h >= 16.0
                && let Some(size) = fitting_size(&text, bw - 4.0)
            {
                let fill = text_on(rgb(color));
                doc.text(
                    cx,
                    y_hi + seg.h / 2.0 + size / 3.0,
                    Style::new(size, Anchor::Middle, fill),
                    &text,
                );
            }
        }
        let total = format_value(totals[i]);
        if let Some(size) = fitting_size(&total, c.band - 2.0) {
            let y = c.y.map(totals[i]) - 5.0;
            doc.text(cx, y, Style::new(size, Anchor::Middle, INK).bold(), &total);
        }
    }
    c.draw_baseline_and_categories(&mut doc, &labels);
    doc.finish()
}

/// Cleaned series names; "系列1", "系列2", … for empty ones.
pub(crate) fn series_names(series: &[Series]) -> Vec<String> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let n = clean(&s.name);
            if n.is_empty() {
                format!("系列{}", i + 1)
            } else {
                n
            }
        })
        .collect()
}

/// "数据：A：甲 3家，乙 4家，合计 7家；B：…。"
fn summary(
    labels: &[String],
    names: &[String],
    vals: &[Vec<f64>],
    totals: &[f64],
    unit: &str,
) -> String {
    let items: Vec<String> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let parts: Vec<String> = names
                .iter()
                .zip(vals)
                .map(|(n, row)| format!("{n} {}", with_unit(row[i], unit)))
                .collect();
            format!(
                "{l}：{}，合计 {}",
                parts.join("，"),
                with_unit(totals[i], unit)
            )
        })
        .collect();
    format!("数据：{}。", items.join("；"))
}
