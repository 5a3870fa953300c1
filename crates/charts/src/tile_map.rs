//! Schematic map: one labelled square per place on a grid.

use std::fmt::Write as _;

use crate::format::{format_value, num};
use crate::options::ChartOptions;
use crate::scale::sanitize;
use crate::svg::{
    Anchor, Doc, FONT, GRID, MUTED, PAD, Rect, Style, chart_size, compose_desc, empty_chart,
    text_on, tooltip, with_unit,
};
use crate::text::{clean, escape, truncate, wrap};

/// One place on a [`tile_map`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tile {
    pub label: String,
    /// Grid column, 0 at the left (only the span actually used is drawn).
    pub col: u32,
    /// Grid row, 0 at the top.
    pub row: u32,
    pub value: f64,
    /// A short note shown under the value when the tile is big enough,
    /// e.g. "含国家级孵化器4家".
    pub note: Option<String>,
    /// A link for the whole tile. `javascript:`, `vbscript:` and `data:`
    /// links are dropped.
    pub href: Option<String>,
}

/// The shading scale, light to dark, evenly spaced (ColorBrewer "Blues"
/// without its near-white first step). Mixing through these stops keeps the
/// middle shades blue rather than grey.
const RAMP: [(u8, u8, u8); 8] = [
    (0xde, 0xeb, 0xf7),
    (0xc6, 0xdb, 0xef),
    (0x9e, 0xca, 0xe1),
    (0x6b, 0xae, 0xd6),
    (0x42, 0x92, 0xc6),
    (0x21, 0x71, 0xb5),
    (0x08, 0x51, 0x9c),
    (0x08, 0x30, 0x6b),
];
/// Grids wider or taller than this are cut (tiles outside are not drawn,
/// but stay in the `<desc>`).
const MAX_SPAN: u32 = 48;
const MAX_TILE: f64 = 150.0;
const LEGEND_H: f64 = 52.0;

/// The shade for `t` in 0..=1.
fn shade(t: f64) -> (u8, u8, u8) {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (RAMP.len() - 1) as f64;
    let k = (pos.floor() as usize).min(RAMP.len() - 2);
    let f = pos - k as f64;
    let (a, b) = (RAMP[k], RAMP[k + 1]);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The link to use, if it is one we are willing to print.
fn safe_href(href: Option<&str>) -> Option<String> {
    let h = clean(href?);
    let scheme: String = h
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    let bad = ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s));
    (!h.is_empty() && !bad).then_some(h)
}

/// A schematic map: each tile is a square at (`col`, `row`) with the place
/// name, its value (with the unit) and, room permitting, its note; shaded
/// from light to dark blue by value relative to the largest value, with
/// white or black text, whichever contrasts more. Negative values are shaded
/// as 0 but printed as given. A legend under the map shows the scale.
///
/// Tiles are as large as the grid allows in `width` × `height`, up to 150
/// wide, and the grid is centred. Tiles sharing a cell overlap (the later
/// one on top). A tile with an `href` becomes a link (`<a href>`) named by
/// its place and value (`aria-label`); a map with links is a `role="group"`
/// (still labelled by its `<title>` and `<desc>`) rather than a
/// `role="img"`, whose links screen readers would not reach.
pub fn tile_map(opts: &ChartOptions, tiles: &[Tile]) -> String {
    if tiles.is_empty() {
        return empty_chart(opts);
    }
    let labels: Vec<String> = tiles.iter().map(|t| clean(&t.label)).collect();
    let notes: Vec<String> = tiles
        .iter()
        .map(|t| t.note.as_deref().map(clean).unwrap_or_default())
        .collect();
    let vals: Vec<f64> = tiles.iter().map(|t| sanitize(t.value)).collect();
    let max = vals.iter().copied().fold(0.0, f64::max);
    let summary = summary(&labels, &vals, &notes, &opts.unit);

    let (w, h) = chart_size(opts);
    let linked = tiles.iter().any(|t| safe_href(t.href.as_deref()).is_some());
    let role = if linked { "group" } else { "img" };
    let mut doc = Doc::begin_as(opts, w, h, &compose_desc(&opts.description, &summary), role);
    let top = doc.title(opts);

    let min_col = tiles.iter().map(|t| t.col).min().unwrap_or(0);
    let min_row = tiles.iter().map(|t| t.row).min().unwrap_or(0);
    let cols = tiles
        .iter()
        .map(|t| t.col - min_col)
        .max()
        .unwrap_or(0)
        .min(MAX_SPAN - 1)
        + 1;
    let rows = tiles
        .iter()
        .map(|t| t.row - min_row)
        .max()
        .unwrap_or(0)
        .min(MAX_SPAN - 1)
        + 1;
    let area = Rect {
        x: PAD,
        y: top,
        w: (w - 2.0 * PAD).max(10.0),
        h: (h - top - LEGEND_H - PAD).max(10.0),
    };
    let size = (area.w / f64::from(cols))
        .min(area.h / f64::from(rows))
        .min(MAX_TILE);
    let gap = (size * 0.05).clamp(1.0, 6.0);
    let t_size = (size - gap).max(1.0);
    let x0 = area.x + (area.w - size * f64::from(cols)) / 2.0 + gap / 2.0;
    let y0 = area.y + (area.h - size * f64::from(rows)) / 2.0 + gap / 2.0;

    for (i, tile) in tiles.iter().enumerate() {
        let (dc, dr) = (tile.col - min_col, tile.row - min_row);
        if dc >= MAX_SPAN || dr >= MAX_SPAN {
            continue;
        }
        let r = Rect {
            x: x0 + f64::from(dc) * size,
            y: y0 + f64::from(dr) * size,
            w: t_size,
            h: t_size,
        };
        let t = if max > 0.0 {
            vals[i].max(0.0) / max
        } else {
            0.0
        };
        let fill = shade(t);
        let href = safe_href(tile.href.as_deref());
        let mut tip = format!("{}：{}", labels[i], with_unit(vals[i], &opts.unit));
        if !notes[i].is_empty() {
            let _ = write!(tip, "（{}）", notes[i]);
        }
        match &href {
            Some(href) => doc.raw(&format!(
                "<a href=\"{}\" aria-label=\"{}\">",
                escape(href),
                escape(&tip)
            )),
            None => doc.raw("<g>"),
        }
        doc.raw(&tooltip(&tip));
        doc.raw("\n");
        doc.rect(
            r,
            &format!(
                "rx=\"3\" fill=\"{}\" stroke=\"#9ecae1\" stroke-width=\"1\"",
                hex(fill)
            ),
            "",
        );
        let content = TileText {
            label: &labels[i],
            value: format!("{}{}", format_value(vals[i]), clean(&opts.unit)),
            note: &notes[i],
            fill: text_on(fill),
        };
        content.draw(&mut doc, r);
        doc.raw(if href.is_some() { "</a>\n" } else { "</g>\n" });
    }

    draw_scale(&mut doc, max, &clean(&opts.unit));
    doc.finish()
}

/// What a tile shows.
struct TileText<'a> {
    label: &'a str,
    /// The value with its unit.
    value: String,
    note: &'a str,
    /// Text colour.
    fill: &'static str,
}

impl TileText<'_> {
    /// Draws the label, value and note inside `r`, centred vertically;
    /// parts that do not fit are left out (note first, then the label's
    /// second line, then the value).
    fn draw(&self, doc: &mut Doc, r: Rect) {
        let (label, note, fill) = (self.label, self.note, self.fill);
        let inner = r.w - 8.0;
        let lf = (r.w * 0.13).clamp(9.0, 14.0);
        let vf = (r.w * 0.17).clamp(10.0, 20.0);
        let nf = (r.w * 0.095).clamp(8.0, 11.0);
        let mut label_lines = wrap(label, inner, lf, 2);
        let value_text = truncate(&self.value, inner, vf);
        let mut note_lines = wrap(note, inner, nf, 2);
        let height = |l: usize, n: usize| {
            l as f64 * lf * 1.25
                + vf * 1.25
                + if n > 0 {
                    3.0 + n as f64 * nf * 1.3
                } else {
                    0.0
                }
        };
        let room = r.h - 6.0;
        while height(label_lines.len(), note_lines.len()) > room && !note_lines.is_empty() {
            note_lines.pop();
        }
        if height(label_lines.len(), 0) > room && label_lines.len() > 1 {
            label_lines.truncate(1);
            label_lines[0] = truncate(label, inner, lf);
        }
        let mut y = r.y + (r.h - height(label_lines.len(), note_lines.len())).max(0.0) / 2.0;
        let cx = r.x + r.w / 2.0;
        for l in &label_lines {
            y += lf * 1.25;
            doc.text(cx, y - lf * 0.3, Style::new(lf, Anchor::Middle, fill), l);
        }
        if height(label_lines.len(), 0) <= room + 1.0 || label_lines.is_empty() {
            y += vf * 1.25;
            doc.text(
                cx,
                y - vf * 0.28,
                Style::new(vf, Anchor::Middle, fill).bold(),
                &value_text,
            );
        }
        if !note_lines.is_empty() {
            y += 3.0;
            for l in &note_lines {
                y += nf * 1.3;
                doc.text(cx, y - nf * 0.35, Style::new(nf, Anchor::Middle, fill), l);
            }
        }
    }
}

/// The colour scale under the map: a gradient from 0 to the largest value.
fn draw_scale(doc: &mut Doc, max: f64, unit: &str) {
    let y = doc.h - PAD - LEGEND_H + 10.0;
    let caption = if unit.is_empty() {
        "颜色越深，数值越大".to_owned()
    } else {
        format!("颜色越深，数值越大（单位：{unit}）")
    };
    let caption = truncate(&caption, doc.w - 2.0 * PAD, FONT);
    doc.text(
        PAD,
        y + FONT,
        Style::new(FONT, Anchor::Start, MUTED),
        &caption,
    );
    let bar = Rect {
        x: PAD,
        y: y + FONT + 6.0,
        w: (doc.w - 2.0 * PAD).min(240.0),
        h: 10.0,
    };
    let grad = format!("{}-scale", doc.id);
    let mut stops = String::new();
    for (i, c) in RAMP.iter().enumerate() {
        let offset = i as f64 / (RAMP.len() - 1) as f64;
        let _ = write!(
            stops,
            "<stop offset=\"{}\" stop-color=\"{}\"/>",
            num(offset),
            hex(*c)
        );
    }
    doc.raw(&format!(
        "<defs><linearGradient id=\"{grad}\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">\
         {stops}</linearGradient></defs>\n"
    ));
    doc.rect(
        bar,
        &format!("fill=\"url(#{grad})\" stroke=\"{GRID}\" stroke-width=\"1\""),
        "",
    );
    let ty = bar.y + bar.h + FONT + 2.0;
    let style = |a| Style::new(FONT, a, MUTED);
    doc.text(bar.x, ty, style(Anchor::Start), "0");
    if max > 0.0 {
        doc.text(
            bar.x + bar.w / 2.0,
            ty,
            style(Anchor::Middle),
            &format_value(max / 2.0),
        );
        doc.text(bar.x + bar.w, ty, style(Anchor::End), &format_value(max));
    }
}

/// "数据：A 12家（含…）；B 5家。"
fn summary(labels: &[String], vals: &[f64], notes: &[String], unit: &str) -> String {
    let items: Vec<String> = labels
        .iter()
        .zip(vals)
        .zip(notes)
        .map(|((l, v), n)| {
            if n.is_empty() {
                format!("{l} {}", with_unit(*v, unit))
            } else {
                format!("{l} {}（{n}）", with_unit(*v, unit))
            }
        })
        .collect();
    format!("数据：{}。", items.join("；"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shades_run_light_to_dark() {
        assert_eq!(hex(shade(0.0)), "#deebf7");
        assert_eq!(hex(shade(1.0)), "#08306b");
        assert_eq!(hex(shade(f64::NAN)), "#deebf7");
        assert_eq!(hex(shade(7.0)), "#08306b");
        assert_eq!(hex(shade(3.0 / 7.0)), "#6baed6");
        // Darker as the value grows.
        let lum = |t: f64| {
            let (r, g, b) = shade(t);
            u32::from(r) + u32::from(g) + u32::from(b)
        };
        assert!((0..20).all(|i| lum(f64::from(i) / 20.0) > lum(f64::from(i + 1) / 20.0)));
    }

    #[test]
    fn unsafe_links_are_dropped() {
        assert_eq!(
            safe_href(Some("/places/1?a=1&b=2")).as_deref(),
            Some("/places/1?a=1&b=2")
        );
        assert_eq!(safe_href(Some(" JavaScript:alert(1)")), None);
        assert_eq!(safe_href(Some("java\tscript:alert(1)")), None);
        assert_eq!(safe_href(Some("data:text/html,x")), None);
        assert_eq!(safe_href(Some("  ")), None);
        assert_eq!(safe_href(None), None);
    }

    #[test]
    fn a_map_with_links_is_a_group_of_named_links_not_an_image() {
        let opts = ChartOptions {
            id: "m".into(),
            title: "各区县载体".into(),
            unit: "家".into(),
            ..ChartOptions::default()
        };
        let tile = |label: &str, href: Option<&str>| Tile {
            label: label.into(),
            value: 3.0,
            href: href.map(str::to_owned),
            ..Tile::default()
        };
        let linked = tile_map(
            &opts,
            &[tile("天元区", Some("/places/1")), tile("芦淞区", None)],
        );
        let svg_tag = &linked[..linked.find('>').unwrap()];
        assert!(svg_tag.contains("role=\"group\""), "{svg_tag}");
        assert!(svg_tag.contains("aria-labelledby=\"m-title m-desc\""));
        assert!(
            linked.contains("<a href=\"/places/1\" aria-label=\"天元区：3家\">"),
            "{linked}"
        );
        let plain = tile_map(&opts, &[tile("天元区", None)]);
        assert!(plain[..plain.find('>').unwrap()].contains("role=\"img\""));
        assert!(!plain.contains("<a "));
        // A link the map will not print does not make it a group.
        let dropped = tile_map(&opts, &[tile("天元区", Some("javascript:x"))]);
        assert!(dropped[..dropped.find('>').unwrap()].contains("role=\"img\""));
    }
}
