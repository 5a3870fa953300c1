//! Line chart for trends over years.

use std::fmt::Write as _;

use crate::format::{format_value, num};
use crate::options::{ChartOptions, Series};
use crate::scale::sanitize;
use crate::stacked_bar::series_names;
use crate::svg::{
    Anchor, CartesianSpec, Doc, INK, LegendEntry, PAD, Style, Swatch, all_integers, chart_size,
    compose_desc, dash, draw_legend, empty_chart, legend_height, marker, plan_cartesian,
    series_color, tooltip, with_unit,
};
use crate::text::{clean, text_width};

/// Minimum distance between the baselines of two end labels.
const END_LABEL_GAP: f64 = 14.0;

/// Lines over categories (typically years, e.g. 2020–2024), one per series,
/// every point marked and the last value of each series printed next to
/// its last point. Several series get a legend.
///
/// Points sit at the centres of equal bands, so category labels line up
/// with bars in other charts. A series shorter than `categories` simply
/// stops (values past the end of `categories` are ignored); NaN and
/// infinities count as 0. Series past the eighth reuse the colours with
/// dashed lines; markers cycle circle, square, triangle, diamond, so lines
/// are told apart in grey-scale print too.
pub fn line(opts: &ChartOptions, categories: &[String], series: &[Series]) -> String {
    let labels: Vec<String> = categories.iter().map(|c| clean(c)).collect();
    let n = labels.len();
    let vals: Vec<Vec<f64>> = series
        .iter()
        .map(|s| s.values.iter().take(n).map(|v| sanitize(*v)).collect())
        .collect();
    if n == 0 || vals.iter().all(Vec::is_empty) {
        return empty_chart(opts);
    }
    let names = series_names(series);
    let summary = summary(&labels, &names, &vals, &opts.unit);
    let (w, h) = chart_size(opts);
    let mut doc = Doc::begin(opts, w, h, &compose_desc(&opts.description, &summary));
    let mut top = doc.title(opts);
    if series.len() > 1 {
        let entries: Vec<LegendEntry> = names
            .iter()
            .enumerate()
            .map(|(i, n)| LegendEntry {
                name: n.clone(),
                color: series_color(i),
                swatch: Swatch::Line(i),
            })
            .collect();
        let legend_w = w - 2.0 * PAD;
        if legend_height(&entries, legend_w) > 0.0 {
            top += draw_legend(&mut doc, &entries, PAD, top - 4.0, legend_w);
        }
    }
    let end_texts: Vec<String> = vals
        .iter()
        .map(|v| v.last().map(|x| format_value(*x)).unwrap_or_default())
        .collect();
    let end_w = end_texts
        .iter()
        .map(|t| text_width(t, 12.0))
        .fold(0.0, f64::max);
    let all = || vals.iter().flatten().copied();
    let c = plan_cartesian(&CartesianSpec {
        w,
        h,
        top,
        unit: &opts.unit,
        labels: &labels,
        lo: all().fold(0.0, f64::min),
        hi: all().fold(0.0, f64::max),
        integer: all_integers(all()),
        right_extra: end_w + 10.0,
    });
    c.draw_axis(&mut doc);
    c.draw_baseline_and_categories(&mut doc, &labels);

    for (s, row) in vals.iter().enumerate() {
        if row.len() < 2 {
            continue;
        }
        let mut d = String::new();
        for (i, v) in row.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                num(c.x(i)),
                num(c.y.map(*v))
            );
        }
        doc.raw(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" \
             stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>\n",
            series_color(s),
            dash(s)
        ));
    }
    for (s, row) in vals.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            let tip = tooltip(&format!(
                "{} · {}：{}",
                names[s],
                labels[i],
                with_unit(*v, &opts.unit)
            ));
            doc.raw(&marker(s, c.x(i), c.y.map(*v), series_color(s), &tip));
        }
    }

    // End labels: next to each series' last point, nudged apart when
    // several series end at the same place.
    let mut ends: Vec<(usize, f64, usize)> = vals
        .iter()
        .enumerate()
        .filter_map(|(s, row)| {
            let last = row.len().checked_sub(1)?;
            Some((last, c.y.map(row[last]) + 4.0, s))
        })
        .collect();
    ends.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
    let lowest = c.plot.y + c.plot.h + 4.0;
    let mut start = 0;
    while start < ends.len() {
        let mut end = start;
        while end < ends.len() && ends[end].0 == ends[start].0 {
            end += 1;
        }
        spread(&mut ends[start..end], lowest);
        start = end;
    }
    for (last, y, s) in ends {
        let x = c.x(last) + 9.0;
        doc.text(
            x,
            y,
            Style::new(12.0, Anchor::Start, INK).bold(),
            &end_texts[s],
        );
    }
    doc.finish()
}

/// Pushes sorted baselines at least [`END_LABEL_GAP`] apart, keeping the
/// lowest at most at `lowest`.
fn spread(group: &mut [(usize, f64, usize)], lowest: f64) {
    for k in 1..group.len() {
        group[k].1 = group[k].1.max(group[k - 1].1 + END_LABEL_GAP);
    }
    if let Some(last) = group.last_mut() {
        last.1 = last.1.min(lowest);
    }
    for k in (0..group.len().saturating_sub(1)).rev() {
        group[k].1 = group[k].1.min(group[k + 1].1 - END_LABEL_GAP);
    }
}

/// "数据：甲：2020 3家，2021 4家；乙：…。"
fn summary(labels: &[String], names: &[String], vals: &[Vec<f64>], unit: &str) -> String {
    let items: Vec<String> = names
        .iter()
        .zip(vals)
        .map(|(n, row)| {
            let parts: Vec<String> = labels
                .iter()
                .zip(row)
                .map(|(l, v)| format!("{l} {}", with_unit(*v, unit)))
                .collect();
            if parts.is_empty() {
                format!("{n}：无数据")
            } else {
                format!("{n}：{}", parts.join("，"))
            }
        })
        .collect();
    format!("数据：{}。", items.join("；"))
}
