//! The pieces every chart shares: the document frame, text, palette,
//! legend, axes and the empty chart.

use std::fmt::Write as _;

use crate::format::{format_tick, num};
use crate::options::ChartOptions;
use crate::scale::{Linear, fit_ticks};
use crate::text::{clean, escape, text_width, truncate, wrap};

/// Okabe–Ito colours, in the order series use them. They stay apart for the
/// common colour-vision deficiencies; line charts also vary the marker
/// shape (and, past eight series, the dash pattern) so they survive
/// grey-scale printing too.
pub const PALETTE: [&str; 8] = [
    "#0072B2", // blue
    "#E69F00", // orange
    "#009E73", // bluish green
    "#D55E00", // vermillion
    "#56B4E9", // sky blue
    "#CC79A7", // reddish purple
    "#F0E442", // yellow
    "#000000", // black
];

/// The font stack set on every chart.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei',sans-serif";

/// Shown by every chart that has nothing to draw.
pub const NO_DATA: &str = "暂无数据 / No data";

pub(crate) const INK: &str = "#1a1a1a";
pub(crate) const MUTED: &str = "#4d4d4d";
pub(crate) const GRID: &str = "#dcdcdc";
pub(crate) const AXIS: &str = "#666666";
pub(crate) const WHITE: &str = "#ffffff";

/// Outer padding.
pub(crate) const PAD: f64 = 12.0;
/// Size of labels, ticks and legend text.
pub(crate) const FONT: f64 = 12.0;
pub(crate) const TITLE_FONT: f64 = 16.0;

/// The colour of series `i` (the palette repeats past eight).
pub(crate) fn series_color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The width and height to draw at, clamped to sensible bounds.
pub(crate) fn chart_size(opts: &ChartOptions) -> (f64, f64) {
    (
        f64::from(opts.width.clamp(240, 4000)),
        f64::from(opts.height.clamp(160, 4000)),
    )
}

/// Makes the id prefix a safe XML name (see [`ChartOptions::id`]).
pub(crate) fn sanitize_id(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert_str(0, "chart-");
    }
    s
}

/// The `<desc>` text: the caller's description, then the data summary.
pub(crate) fn compose_desc(description: &str, summary: &str) -> String {
    let d = clean(description);
    if d.is_empty() {
        summary.to_owned()
    } else if summary.is_empty() {
        d
    } else {
        format!("{d} {summary}")
    }
}

/// A value with its unit, for summaries and tooltips: "3.5万家".
pub(crate) fn with_unit(v: f64, unit: &str) -> String {
    format!("{}{}", crate::format_value(v), clean(unit))
}

/// Parses `#rrggbb`.
pub(crate) fn rgb(hex: &str) -> (u8, u8, u8) {
    let h = hex.trim_start_matches('#');
    let p = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .unwrap_or(0)
    };
    (p(0), p(2), p(4))
}

/// WCAG relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// White or near-black, whichever contrasts more with `fill`.
pub(crate) fn text_on(fill: (u8, u8, u8)) -> &'static str {
    let l = luminance(fill);
    let on_white = 1.05 / (l + 0.05);
    let on_ink = (l + 0.05) / (luminance(rgb(INK)) + 0.05);
    if on_white >= on_ink { WHITE } else { INK }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// How a piece of text is drawn.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub fill: &'static str,
}

impl Style {
    pub(crate) const fn new(size: f64, anchor: Anchor, fill: &'static str) -> Style {
        Style {
            size,
            anchor,
            bold: false,
            fill,
        }
    }

    pub(crate) const fn bold(mut self) -> Style {
        self.bold = true;
        self
    }
}

/// An SVG document being written.
pub(crate) struct Doc {
    out: String,
    pub id: String,
    pub w: f64,
    pub h: f64,
}

impl Doc {
    /// Opens the `<svg>` with its `<title>`, `<desc>` and white background, as one image.
    pub(crate) fn begin(opts: &ChartOptions, w: f64, h: f64, desc: &str) -> Doc {
        Doc::begin_as(opts, w, h, desc, "img")
    }

    /// Opens the `<svg>` with `role` (`"img"`, or `"group"` for a chart holding links: links
    /// inside an image are a nested interactive control screen readers do not reach).
    pub(crate) fn begin_as(opts: &ChartOptions, w: f64, h: f64, desc: &str, role: &str) -> Doc {
        let id = sanitize_id(&opts.id);
        let title = clean(&opts.title);
        let title = if title.is_empty() {
            "图表 / Chart".to_owned()
        } else {
            title
        };
        let mut out = String::with_capacity(8192);
        let (wn, hn) = (num(w), num(h));
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{wn}\" height=\"{hn}\" \
             viewBox=\"0 0 {wn} {hn}\" role=\"{role}\" aria-labelledby=\"{id}-title {id}-desc\" \
             xml:lang=\"zh-CN\" font-family=\"{FONT_FAMILY}\" font-size=\"{}\" fill=\"{INK}\">\n\
             <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n\
             <rect width=\"{wn}\" height=\"{hn}\" fill=\"{WHITE}\"/>\n",
            num(FONT),
            escape(&title),
            escape(desc),
        );
        Doc { out, id, w, h }
    }

    /// Closes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    /// Appends markup written by the caller (which escapes what it prints).
    pub(crate) fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Draws the visible title, if any; returns the y below it.
    pub(crate) fn title(&mut self, opts: &ChartOptions) -> f64 {
        let title = clean(&opts.title);
        if title.is_empty() {
            return content_top(opts);
        }
        let t = truncate(&title, self.w - 2.0 * PAD, TITLE_FONT);
        self.text(
            PAD,
            PAD + TITLE_FONT,
            Style::new(TITLE_FONT, Anchor::Start, INK).bold(),
            &t,
        );
        content_top(opts)
    }

    /// `<text>` at (`x`, baseline `y`); `content` is escaped here.
    pub(crate) fn text(&mut self, x: f64, y: f64, style: Style, content: &str) {
        self.text_with(x, y, style, content, "");
    }

    /// Like [`Doc::text`], with extra attributes (already escaped).
    pub(crate) fn text_with(&mut self, x: f64, y: f64, style: Style, content: &str, extra: &str) {
        if content.is_empty() {
            return;
        }
        let _ = write!(self.out, "<text x=\"{}\" y=\"{}\"", num(x), num(y));
        if style.size != FONT {
            let _ = write!(self.out, " font-size=\"{}\"", num(style.size));
        }
        match style.anchor {
            Anchor::Start => {}
            Anchor::Middle => self.out.push_str(" text-anchor=\"middle\""),
            Anchor::End => self.out.push_str(" text-anchor=\"end\""),
        }
        if style.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if style.fill != INK {
            let _ = write!(self.out, " fill=\"{}\"", style.fill);
        }
        self.out.push_str(extra);
        let _ = writeln!(self.out, ">{}</text>", escape(content));
    }

    /// Lines of text centred on `x`, first baseline at `y`.
    pub(crate) fn lines(&mut self, x: f64, y: f64, line_h: f64, style: Style, lines: &[String]) {
        for (i, l) in lines.iter().enumerate() {
            self.text(x, y + i as f64 * line_h, style, l);
        }
    }

    /// A `<rect>`; `inner` goes inside it (e.g. a `<title>` tooltip).
    pub(crate) fn rect(&mut self, r: Rect, attrs: &str, inner: &str) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}",
            num(r.x),
            num(r.y),
            num(r.w.max(0.0)),
            num(r.h.max(0.0)),
        );
        if inner.is_empty() {
            self.out.push_str("/>\n");
        } else {
            let _ = writeln!(self.out, ">{inner}</rect>");
        }
    }

    /// A `<line>`.
    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let sep = if attrs.is_empty() { "" } else { " " };
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{sep}{attrs}/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }
}

/// The y below the visible title (or the top padding without a title).
pub(crate) fn content_top(opts: &ChartOptions) -> f64 {
    if clean(&opts.title).is_empty() {
        PAD
    } else {
        PAD + TITLE_FONT + 14.0
    }
}

/// A `<title>` tooltip element (escaped).
pub(crate) fn tooltip(s: &str) -> String {
    format!("<title>{}</title>", escape(s))
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The chart drawn when there is nothing to draw.
pub(crate) fn empty_chart(opts: &ChartOptions) -> String {
    let (w, h) = chart_size(opts);
    let mut doc = Doc::begin(opts, w, h, &compose_desc(&opts.description, NO_DATA));
    let top = doc.title(opts);
    let frame = Rect {
        x: PAD,
        y: top,
        w: w - 2.0 * PAD,
        h: h - top - PAD,
    };
    doc.rect(
        frame,
        &format!("fill=\"none\" stroke=\"{GRID}\" stroke-dasharray=\"4 4\""),
        "",
    );
    doc.text(
        w / 2.0,
        frame.y + frame.h / 2.0 + 5.0,
        Style::new(14.0, Anchor::Middle, MUTED),
        NO_DATA,
    );
    doc.finish()
}

/// What a legend entry shows next to its name.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    /// A filled square (bars).
    Square,
    /// A short line with the marker of series `i` (line charts).
    Line(usize),
}

pub(crate) struct LegendEntry {
    pub name: String,
    pub color: &'static str,
    pub swatch: Swatch,
}

const LEGEND_ROW: f64 = 20.0;
const LEGEND_NAME_MAX: f64 = 180.0;

impl Swatch {
    fn width(self) -> f64 {
        match self {
            Swatch::Square => 12.0,
            Swatch::Line(_) => 24.0,
        }
    }
}

/// Lays the legend out in rows within `max_w`: (x offset, row, name shown) per entry.
fn legend_layout(entries: &[LegendEntry], max_w: f64) -> Vec<(f64, usize, String)> {
    let mut x = 0.0;
    let mut row = 0;
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let sw = e.swatch.width() + 5.0;
        let name = truncate(&e.name, LEGEND_NAME_MAX.min(max_w - sw).max(0.0), FONT);
        let item_w = sw + text_width(&name, FONT);
        if x > 0.0 && x + item_w > max_w {
            x = 0.0;
            row += 1;
        }
        out.push((x, row, name));
        x += item_w + 16.0;
    }
    out
}

/// Height the legend takes (0 without entries).
pub(crate) fn legend_height(entries: &[LegendEntry], max_w: f64) -> f64 {
    legend_layout(entries, max_w)
        .last()
        .map_or(0.0, |(_, row, _)| (*row as f64 + 1.0) * LEGEND_ROW + 4.0)
}

/// Draws the legend with its top left at (`x0`, `y0`); returns its height.
pub(crate) fn draw_legend(
    doc: &mut Doc,
    entries: &[LegendEntry],
    x0: f64,
    y0: f64,
    max_w: f64,
) -> f64 {
    let layout = legend_layout(entries, max_w);
    for (e, (dx, row, name)) in entries.iter().zip(&layout) {
        let x = x0 + dx;
        let cy = y0 + *row as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        match e.swatch {
            Swatch::Square => doc.rect(
                Rect {
                    x,
                    y: cy - 6.0,
                    w: 12.0,
                    h: 12.0,
                },
                &format!("fill=\"{}\"", e.color),
                "",
            ),
            Swatch::Line(i) => {
                doc.line(
                    x,
                    cy,
                    x + 24.0,
                    cy,
                    &format!("stroke=\"{}\" stroke-width=\"2.5\"{}", e.color, dash(i)),
                );
                let m = marker(i, x + 12.0, cy, e.color, "");
                doc.raw(&m);
            }
        }
        doc.text(
            x + e.swatch.width() + 5.0,
            cy + 4.0,
            Style::new(FONT, Anchor::Start, INK),
            name,
        );
    }
    legend_height(entries, max_w)
}

/// The dash pattern of series `i` (solid for the first eight).
pub(crate) fn dash(i: usize) -> &'static str {
    match (i / PALETTE.len()) % 3 {
        0 => "",
        1 => " stroke-dasharray=\"6 3\"",
        _ => " stroke-dasharray=\"2 3\"",
    }
}

/// The marker of series `i` centred at (`x`, `y`): circle, square,
/// triangle or diamond in turn. `inner` goes inside (a tooltip).
pub(crate) fn marker(i: usize, x: f64, y: f64, color: &str, inner: &str) -> String {
    let attrs = format!("fill=\"{color}\" stroke=\"{WHITE}\" stroke-width=\"1\"");
    let r = 4.5;
    let open = match i % 4 {
        0 => format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {attrs}",
            num(x),
            num(y),
            num(r)
        ),
        1 => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {attrs}",
            num(x - r),
            num(y - r),
            num(2.0 * r),
            num(2.0 * r)
        ),
        2 => format!(
            "<path d=\"M{} {}L{} {}L{} {}Z\" {attrs}",
            num(x),
            num(y - r - 1.0),
            num(x + r + 1.0),
            num(y + r),
            num(x - r - 1.0),
            num(y + r)
        ),
        _ => format!(
            "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" {attrs}",
            num(x),
            num(y - r - 1.0),
            num(x + r + 1.0),
            num(y),
            num(x),
            num(y + r + 1.0),
            num(x - r - 1.0),
            num(y)
        ),
    };
    if inner.is_empty() {
        format!("{open}/>\n")
    } else {
        let tag = match i % 4 {
            0 => "circle",
            1 => "rect",
            _ => "path",
        };
        format!("{open}>{inner}</{tag}>\n")
    }
}

/// How category labels under a vertical chart are drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum CatMode {
    /// Horizontal, wrapped to at most this many lines.
    Flat(usize),
    /// Rotated by −45°, every `step`-th label, at most `max_w` long.
    Rotated { step: usize, max_w: f64 },
}

const CAT_LINE: f64 = 15.0;
const ROTATED_MAX: f64 = 110.0;
const SIN45: f64 = std::f64::consts::FRAC_1_SQRT_2;

/// Chooses how to draw category labels in bands `band` wide; returns the
/// mode and the height it needs below the plot.
pub(crate) fn plan_categories(labels: &[String], band: f64) -> (CatMode, f64) {
    let avail = band - 6.0;
    if labels.iter().all(|l| text_width(l, FONT) <= avail) {
        return (CatMode::Flat(1), 8.0 + CAT_LINE);
    }
    if band >= 32.0 {
        let lines = labels
            .iter()
            .map(|l| wrap(l, avail, FONT, 2).len())
            .max()
            .unwrap_or(1)
            .max(1);
        return (CatMode::Flat(lines), 8.0 + lines as f64 * CAT_LINE);
    }
    // Rotated labels are SIN45·band apart; keep them a line height apart.
    let step = (FONT * 1.15 / (band * SIN45).max(1e-6))
        .ceil()
        .clamp(1.0, 1e6) as usize;
    let longest = labels
        .iter()
        .map(|l| text_width(l, FONT).min(ROTATED_MAX))
        .fold(0.0, f64::max);
    (
        CatMode::Rotated {
            step,
            max_w: ROTATED_MAX,
        },
        8.0 + (longest + FONT) * SIN45,
    )
}

/// Draws category labels under the plot; band `i` is centred on `x_of(i)`.
pub(crate) fn draw_categories(
    doc: &mut Doc,
    labels: &[String],
    mode: CatMode,
    band: f64,
    bottom: f64,
    x_of: impl Fn(usize) -> f64,
) {
    let style = Style::new(FONT, Anchor::Middle, INK);
    match mode {
        CatMode::Flat(lines) => {
            for (i, l) in labels.iter().enumerate() {
                let ls = wrap(l, band - 6.0, FONT, lines);
                doc.lines(x_of(i), bottom + 8.0 + FONT, CAT_LINE, style, &ls);
            }
        }
        CatMode::Rotated { step, max_w } => {
            for (i, l) in labels.iter().enumerate().step_by(step.max(1)) {
                let x = x_of(i) + 4.0;
                let y = bottom + 10.0;
                // Keep the start of the text inside the chart.
                let room = ((x - 2.0) / SIN45).min(max_w);
                let t = truncate(l, room, FONT);
                let rot = format!(" transform=\"rotate(-45 {} {})\"", num(x), num(y));
                doc.text_with(x, y, Style::new(FONT, Anchor::End, INK), &t, &rot);
            }
        }
    }
}

/// The layout of a chart with a vertical value axis and categories below.
pub(crate) struct Cartesian {
    pub plot: Rect,
    pub ticks: Vec<f64>,
    pub y: Linear,
    pub band: f64,
    pub cats: CatMode,
    unit: String,
    unit_y: f64,
}

/// What [`plan_cartesian`] needs.
pub(crate) struct CartesianSpec<'a> {
    pub w: f64,
    pub h: f64,
    /// y where the plot area may start (below title and legend).
    pub top: f64,
    pub unit: &'a str,
    pub labels: &'a [String],
    /// Smallest and largest value to show (0 is always included).
    pub lo: f64,
    pub hi: f64,
    /// Whether every value is a whole number (ticks then step by whole numbers).
    pub integer: bool,
    /// Room to keep at the right of the plot (e.g. for end labels).
    pub right_extra: f64,
}

/// Plans the plot area, value axis and category labels.
pub(crate) fn plan_cartesian(spec: &CartesianSpec) -> Cartesian {
    let unit = clean(spec.unit);
    let unit_y = spec.top + FONT;
    // Room for the unit line, then for value labels above the tallest bar.
    let plot_top = spec.top + if unit.is_empty() { 0.0 } else { 18.0 } + 16.0;
    // Estimated plot height (category labels take about 30).
    let est_h = spec.h - plot_top - 30.0 - PAD;
    let ticks = fit_ticks(spec.lo, spec.hi, spec.integer, est_h, 6, |_| 32.0);
    let tick_w = ticks
        .iter()
        .map(|t| text_width(&format_tick(*t), FONT))
        .fold(0.0, f64::max);
    let left = PAD + tick_w + 8.0;
    let right = PAD + spec.right_extra;
    let plot_w = (spec.w - left - right).max(10.0);
    let n = spec.labels.len().max(1);
    let band = plot_w / n as f64;
    let (cats, cat_h) = plan_categories(spec.labels, band);
    let plot_h = (spec.h - plot_top - cat_h - PAD).max(10.0);
    let plot = Rect {
        x: left,
        y: plot_top,
        w: plot_w,
        h: plot_h,
    };
    let y = Linear {
        d0: ticks[0],
        d1: ticks[ticks.len() - 1],
        r0: plot_top + plot_h,
        r1: plot_top,
    };
    Cartesian {
        plot,
        ticks,
        y,
        band,
        cats,
        unit,
        unit_y,
    }
}

impl Cartesian {
    /// Centre of band `i`.
    pub(crate) fn x(&self, i: usize) -> f64 {
        self.plot.x + (i as f64 + 0.5) * self.band
    }

    /// Gridlines, tick labels and the unit, drawn before the marks.
    pub(crate) fn draw_axis(&self, doc: &mut Doc) {
        doc.raw(&format!(
            "<g stroke=\"{GRID}\" stroke-width=\"1\" shape-rendering=\"crispEdges\">\n"
        ));
        for t in &self.ticks {
            let y = self.y.map(*t);
            doc.line(self.plot.x, y, self.plot.x + self.plot.w, y, "");
        }
        doc.raw("</g>\n");
        let style = Style::new(FONT, Anchor::End, MUTED);
        for t in &self.ticks {
            doc.text(
                self.plot.x - 6.0,
                self.y.map(*t) + 4.0,
                style,
                &format_tick(*t),
            );
        }
        if !self.unit.is_empty() {
            let u = truncate(&format!("单位：{}", self.unit), doc.w - 2.0 * PAD, FONT);
            doc.text(PAD, self.unit_y, Style::new(FONT, Anchor::Start, MUTED), &u);
        }
    }

    /// The zero line and the category labels, drawn after the marks.
    pub(crate) fn draw_baseline_and_categories(&self, doc: &mut Doc, labels: &[String]) {
        let y0 = self.y.map(0.0);
        doc.line(
            self.plot.x,
            y0,
            self.plot.x + self.plot.w,
            y0,
            &format!("stroke=\"{AXIS}\" stroke-width=\"1\" shape-rendering=\"crispEdges\""),
        );
        draw_categories(
            doc,
            labels,
            self.cats,
            self.band,
            self.plot.y + self.plot.h,
            |i| self.x(i),
        );
    }
}

/// Whether every value is a whole number.
pub(crate) fn all_integers(values: impl IntoIterator<Item = f64>) -> bool {
    values.into_iter().all(|v| v.fract() == 0.0)
}

/// A value label: `text` at `size`, or smaller, or nothing if it does not fit `max_w`.
pub(crate) fn fitting_size(text: &str, max_w: f64) -> Option<f64> {
    [FONT, 10.0]
        .into_iter()
        .find(|s| text_width(text, *s) <= max_w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe() {
        assert_eq!(sanitize_id("stats-1"), "stats-1");
        assert_eq!(sanitize_id("1st"), "chart-1st");
        assert_eq!(sanitize_id("a b\"<"), "a-b--");
        assert_eq!(sanitize_id(""), "chart-");
    }

    #[test]
    fn contrast() {
        assert_eq!(text_on(rgb("#0072B2")), WHITE);
        assert_eq!(text_on(rgb("#E69F00")), INK);
        assert_eq!(text_on(rgb("#F0E442")), INK);
        assert_eq!(text_on(rgb("#000000")), WHITE);
        assert_eq!(text_on(rgb("#deebf7")), INK);
        assert_eq!(text_on(rgb("#08306b")), WHITE);
    }

    #[test]
    fn category_modes() {
        let short: Vec<String> = ["2020", "2021"].map(String::from).to_vec();
        assert_eq!(plan_categories(&short, 100.0).0, CatMode::Flat(1));
        let long: Vec<String> = ["株洲高新技术产业开发区"].map(String::from).to_vec();
        assert_eq!(plan_categories(&long, 100.0).0, CatMode::Flat(2));
        assert!(matches!(
            plan_categories(&long, 20.0).0,
            CatMode::Rotated { step: 1, .. }
        ));
        assert!(matches!(
            plan_categories(&long, 5.0).0,
            CatMode::Rotated { step: 4, .. }
        ));
    }
}
