//! Word documents (.docx, Office Open XML) written from a simple outline: a title, headings,
//! paragraphs, tables and bar or line charts. No database and no async.
//!
//! The document follows the style of the bureau's official documents (GB/T 9704): A4 with the
//! standard margins, the title in 方正小标宋简体 二号 (黑体 where it is not installed), headings in
//! 黑体 and 楷体 三号, the body in 仿宋_GB2312 三号 (仿宋 where it is not installed) with a
//! fixed 28-point line and a two-character first-line indent, tables in 宋体.
//!
//! - Headings are Word's own Heading styles (the navigation pane and a table of contents see
//!   them).
//! - Tables are Word tables whose header row repeats on every page and whose rows are not split
//!   across pages.
//! - Charts are native Word charts (`word/charts/chartN.xml`, DrawingML) with their figures
//!   cached in the chart and in an embedded workbook, so that they print crisply and can be
//!   restyled and edited in Word.
//!
//! Every text is escaped, and characters XML 1.0 forbids are left out ([`xml::escape`]).

mod chart;
mod parts;
pub mod xml;

#[cfg(test)]
mod tests;

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

/// The media type of a .docx document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A document: its title (also the file's properties) and its blocks, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title, centred.
    Title(String),
    /// A heading of level 1 to 3 (Word's 标题 1–3 styles; other levels are read as the nearest).
    Heading(u8, String),
    /// A body paragraph; a line break in the text is a line break in the paragraph.
    Paragraph(String),
    /// A small note (a source, a remark), not indented.
    Note(String),
    Table(Table),
    Chart(Chart),
}

/// A table with a caption above it and one header row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars, side by side.
    Column,
    /// Vertical bars, stacked.
    StackedColumn,
    /// Horizontal bars, the first category on top.
    Bar,
    /// Lines with markers.
    Line,
}

/// A chart's series: its name and one value per category (a non-finite value is left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A native Word chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// The chart's alternative text (what it shows, for readers who cannot see it).
    pub description: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("the document could not be packed: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the document could not be written: {0}")]
    Io(#[from] std::io::Error),
    #[error("a chart's workbook could not be written: {0}")]
    Sheet(#[from] fruition_sheets::SheetError),
}

/// The most categories and series a chart draws; more would not be legible on a page.
pub const MAX_CATEGORIES: usize = 60;
pub const MAX_SERIES: usize = 12;

/// The document as a .docx file.
pub fn write(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let charts: Vec<&Chart> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), DocxError> {
        zip.start_file(name, opts)?;
        zip.write_all(bytes)?;
        Ok(())
    };
    put(
        "[Content_Types].xml",
        parts::content_types(charts.len()).as_bytes(),
    )?;
    put("_rels/.rels", parts::ROOT_RELS.as_bytes())?;
    put("docProps/core.xml", parts::core(&doc.title).as_bytes())?;
    put("docProps/app.xml", parts::APP.as_bytes())?;
    put("word/document.xml", parts::document(doc).as_bytes())?;
    put(
        "word/_rels/document.xml.rels",
        parts::document_rels(charts.len()).as_bytes(),
    )?;
    put("word/styles.xml", parts::STYLES.as_bytes())?;
    put("word/fontTable.xml", parts::FONT_TABLE.as_bytes())?;
    put("word/settings.xml", parts::SETTINGS.as_bytes())?;
    for (i, c) in charts.iter().enumerate() {
        let n = i + 1;
        put(
            &format!("word/charts/chart{n}.xml"),
            chart::xml(c).as_bytes(),
        )?;
        put(
            &format!("word/charts/_rels/chart{n}.xml.rels"),
            chart::rels(n).as_bytes(),
        )?;
        put(
            &format!("word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"),
            &chart::workbook(c)?,
        )?;
    }
    Ok(zip.finish()?.into_inner())
}
