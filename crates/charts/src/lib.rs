//! SVG charts drawn on the server, for statistics pages and the printed
//! annual report: no JavaScript, no external fonts, images or stylesheets.
//!
//! Every chart is a function returning an SVG document as a `String`:
//!
//! - [`bar`]: vertical bars, value on each bar;
//! - [`horizontal_bar`]: horizontal bars, for long Chinese category names;
//! - [`stacked_bar`]: bars stacked by series, totals on top, legend;
//! - [`line()`]: trends over years, points marked, last values labelled;
//! - [`tile_map`]: a schematic map, one shaded square per place.
//!
//! Each document
//! - is well-formed XML with `xmlns`, `width`, `height`, a `viewBox`,
//!   `role="img"` (a [`tile_map`] with links: `role="group"`, each link named
//!   by `aria-label`) and `aria-labelledby="{id}-title {id}-desc"` pointing at
//!   its `<title>` and `<desc>`; the `<desc>` holds the caller's description
//!   followed by a plain-text summary of all the data ("数据：…"), since
//!   screen readers do not read the text inside a `role="img"`;
//! - escapes every text it prints and drops characters XML cannot hold;
//! - uses only presentation attributes (no `<style>`, so nothing leaks into
//!   the page), the CJK font stack [`FONT_FAMILY`], a white background, and
//!   colours from the Okabe–Ito [`PALETTE`];
//! - depends only on its inputs: the same inputs give byte-identical output;
//! - never panics: no data draws "暂无数据 / No data" ([`NO_DATA`]); NaN and
//!   infinities count as 0; magnitudes beyond 10¹⁵ are clamped; long labels
//!   are cut with "…" (by characters and estimated width, never bytes).
//!
//! Numbers are formatted by [`format_value`]: below 10,000 with thousands
//! separators (`"1,234.5"`), from 10,000 in 万 with at most one decimal
//! (`"3.5万"`), from 10⁸ in 亿. Value axes start at 0 and step by 1, 2, 2.5
//! or 5 × 10ⁿ ([`nice_ticks`]); when every value is a whole number the step
//! is too.
//!
//! Sizes: text is 12 user units (title 16) whatever the size, so pick the
//! size the chart is shown at. 640 × 360 suits a page column and prints
//! about 9 pt when the chart is 16–17 cm wide (A4 text width); 320 × 240
//! suits a phone. [`horizontal_bar`] grows taller (24 per row) when needed;
//! [`tile_map`] tiles are at most 150 wide. The SVG has `width`, `height`
//! and a `viewBox`, so CSS `width: 100%; height: auto` scales it.
//!
//! ```
//! use fruition_charts::{bar, ChartOptions};
//! let opts = ChartOptions {
//!     id: "carriers".into(),
//!     title: "各区县科技创新载体数量".into(),
//!     description: "2024年底统计。".into(),
//!     unit: "家".into(),
//!     ..ChartOptions::default()
//! };
//! let svg = bar(&opts, &["天元区".to_string(), "芦淞区".to_string()], &[42.0, 17.0]);
//! assert!(svg.starts_with("<svg"));
//! ```

mod bar;
mod format;
mod horizontal_bar;
mod line;
mod options;
mod scale;
mod stacked_bar;
mod svg;
mod text;
mod tile_map;
mod tree;

pub use bar::bar;
pub use format::format_value;
pub use horizontal_bar::horizontal_bar;
pub use line::line;
pub use options::{ChartOptions, Series};
pub use scale::nice_ticks;
pub use stacked_bar::stacked_bar;
pub use svg::{FONT_FAMILY, NO_DATA, PALETTE};
pub use tile_map::{Tile, tile_map};
pub use tree::{TreeNode, lineage_tree};
