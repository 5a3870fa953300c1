//! Inputs shared by every chart.

/// Options common to every chart.
///
/// `width` and `height` are in CSS pixels (user units of the `viewBox`); they
/// are clamped to 240–4000 × 160–4000. Text sizes are fixed in those units
/// (12 for labels, 16 for the title), so a chart drawn at 640 wide and shown
/// at 640 CSS px (or printed about 16–17 cm wide) reads at about 9 pt.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    /// Prefix for the ids inside the SVG (`{id}-title`, `{id}-desc`, …); it
    /// must be unique on the page. ASCII letters, digits, `-` and `_` are
    /// kept, any other character becomes `-`, and `chart-` is put in front
    /// when it does not start with an ASCII letter.
    pub id: String,
    /// Shown at the top left of the chart and used as its `<title>`.
    pub title: String,
    /// Put in the `<desc>`, followed by a plain-text summary of the data.
    pub description: String,
    pub width: u32,
    pub height: u32,
    /// Unit of the values, e.g. "家", "人", "件"; shown as "单位：家".
    pub unit: String,
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions {
            id: "chart".to_owned(),
            title: String::new(),
            description: String::new(),
            width: 640,
            height: 360,
            unit: String::new(),
        }
    }
}

/// One named series of values, one value per category (extra values are
/// ignored; see each chart for missing ones).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        Series {
            name: name.into(),
            values,
        }
    }
}
