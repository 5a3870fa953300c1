//! Looks inside a zip workbook (.xlsx, .xlsb, .ods) before calamine opens it, and refuses one
//! that would unpack or expand past the [`ReadOptions`] limits.
//!
//! calamine reads the shared strings, the styles and the sheet list whole when it opens an
//! .xlsx, and an .ods's every sheet; so whatever is refused must be refused here, first:
//!
//! 1. The zip central directory: the number of parts, each part's declared unpacked size, their
//!    total, and each large part's compression ratio. The zip reader (the same version calamine
//!    uses) then fails any part that unpacks to more than it declared, so a part that lies about
//!    its size cannot get past these bounds.
//! 2. The parts calamine holds in memory, unpacked and counted here as a stream through a reader
//!    capped at the part's limit whatever the header says: the shared strings (how many), the
//!    styles (how many), an .xlsb's binary records (no record longer than its part) and an
//!    .ods's `content.xml` (the cells calamine would lay out, repeats included).

use std::io::{self, BufRead, BufReader, Cursor, Read};

use zip::ZipArchive;

use crate::error::{Limit, SheetError};
use crate::read::{RATIO_CHECKED_ABOVE, ReadOptions};

/// Longest start tag the scanner takes apart (a legitimate one is well under a kilobyte).
const MAX_TAG: usize = 1 << 20;

/// Longest record an .xlsb part may hold: calamine allocates a record's declared length before
/// reading it (legitimate records are at most tens of kilobytes).
const MAX_BIN_RECORD: u64 = 8 << 20;

/// What calamine does with a part, by its (lower-case) file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// `sharedStrings.xml`: held in memory whole.
    SharedStringsXml,
    /// `sharedStrings.bin` (.xlsb).
    SharedStringsBin,
    /// `styles.xml`: every cell format parsed into memory.
    StylesXml,
    /// Other parts parsed whole when the workbook is opened.
    Metadata,
    /// `workbook.bin` and `styles.bin` (.xlsb): parsed whole, record by record.
    MetadataBin,
    /// An .xlsb worksheet.
    SheetBin,
    /// An .ods `content.xml`: every sheet laid out in memory.
    OdsContent,
    /// Anything else (a worksheet, read as a stream; pictures, never unpacked).
    Other,
}

fn classify(name: &str) -> Part {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base {
        "sharedstrings.xml" => Part::SharedStringsXml,
        "sharedstrings.bin" => Part::SharedStringsBin,
        "styles.xml" => Part::StylesXml,
        "workbook.bin" | "styles.bin" => Part::MetadataBin,
        "content.xml" => Part::OdsContent,
        "workbook.xml" | "[content_types].xml" | "manifest.xml" | "meta.xml" | "settings.xml" => {
            Part::Metadata
        }
        _ if base.ends_with(".rels") => Part::Metadata,
        _ if name.contains("theme/") && base.ends_with(".xml") => Part::Metadata,
        _ if name.contains("worksheets/") && base.ends_with(".bin") => Part::SheetBin,
        _ => Part::Other,
    }
}

fn too_large(what: Limit, limit: u64) -> SheetError {
    SheetError::TooLarge { what, limit }
}

fn count(n: usize) -> u64 {
    n as u64
}

/// Checks a zip workbook against the limits, reading nothing that the limits do not allow.
/// A file that is not a readable zip archive passes: calamine's own opening will fail on it.
pub(crate) fn check_zip(bytes: &[u8], o: &ReadOptions) -> Result<(), SheetError> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if zip.len() > o.max_parts {
        return Err(too_large(Limit::Parts, count(o.max_parts)));
    }
    let mut total: u64 = 0;
    let mut scans: Vec<(usize, Part, u64)> = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_data(i).map_err(crate::read::corrupt)?;
        if entry.is_dir() {
            continue;
        }
        let size = entry.size();
        let packed = entry.compressed_size();
        let name = String::from_utf8_lossy(entry.name_raw())
            .replace('\\', "/")
            .to_ascii_lowercase();
        if size > o.max_part_size {
            return Err(too_large(Limit::PartSize, o.max_part_size));
        }
        total = total.saturating_add(size);
        if total > o.max_total_size {
            return Err(too_large(Limit::TotalSize, o.max_total_size));
        }
        if size > RATIO_CHECKED_ABOVE && size > packed.saturating_mul(o.max_compression_ratio) {
            return Err(too_large(Limit::CompressionRatio, o.max_compression_ratio));
        }
        let part = classify(&name);
        let cap = match part {
            Part::SharedStringsXml | Part::SharedStringsBin => {
                if size > o.max_shared_strings_size {
                    return Err(too_large(
                        Limit::SharedStringsSize,
                        o.max_shared_strings_size,
                    ));
                }
                o.max_shared_strings_size
            }
            Part::StylesXml | Part::Metadata | Part::MetadataBin => {
                if size > o.max_metadata_size {
                    return Err(too_large(Limit::MetadataSize, o.max_metadata_size));
                }
                o.max_metadata_size
            }
            Part::SheetBin | Part::OdsContent | Part::Other => o.max_part_size,
        };
        if matches!(
            part,
            Part::SharedStringsXml
                | Part::SharedStringsBin
                | Part::StylesXml
                | Part::MetadataBin
                | Part::SheetBin
                | Part::OdsContent
        ) {
            scans.push((i, part, cap));
        }
    }
    for (i, part, cap) in scans {
        let Ok(file) = zip.by_index(i) else {
            // Encrypted or of an unsupported compression: calamine cannot read it either.
            continue;
        };
        let what = match part {
            Part::SharedStringsXml | Part::SharedStringsBin => Limit::SharedStringsSize,
            Part::StylesXml | Part::MetadataBin => Limit::MetadataSize,
            _ => Limit::PartSize,
        };
        let mut reader = BufReader::with_capacity(64 * 1024, Capped::new(file, cap));
        let result = match part {
            Part::SharedStringsXml => shared_strings_xml(&mut reader, o),
            Part::SharedStringsBin => bin_records(&mut reader, Some(o)),
            Part::StylesXml => styles_xml(&mut reader, o),
            Part::MetadataBin | Part::SheetBin => bin_records(&mut reader, None),
            Part::OdsContent => ods_content(&mut reader, o),
            Part::Metadata | Part::Other => Ok(()),
        };
        if reader.get_ref().exceeded {
            return Err(too_large(what, cap));
        }
        result?;
    }
    Ok(())
}

/// Counts the bytes read and fails past `cap`, whatever size the zip header declared.
struct Capped<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R> Capped<R> {
    fn new(inner: R, cap: u64) -> Self {
        Capped {
            inner,
            left: cap,
            exceeded: false,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // Read one byte past the cap to tell "exactly at the cap" from "over it".
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.exceeded = true;
            return Err(io::Error::other("part larger than its limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

fn io_corrupt(e: io::Error) -> SheetError {
    crate::read::corrupt(e)
}

// ---------------------------------------------------------------------------------------------
// XML

/// A start tag (or an empty-element tag): its qualified name and its attributes' raw text.
struct Tag<'a> {
    name: &'a [u8],
    attrs: &'a [u8],
    empty: bool,
    /// Bytes of text (and skipped markup) between the previous tag and this one.
    text_before: u64,
}

impl Tag<'_> {
    fn local_name(&self) -> &[u8] {
        match self.name.iter().rposition(|b| *b == b':') {
            Some(i) => &self.name[i + 1..],
            None => self.name,
        }
    }

    /// The raw value of the first attribute named `name` (quotes respected, as quick-xml does).
    fn attr(&self, name: &[u8]) -> Option<&[u8]> {
        let a = self.attrs;
        let mut i = 0;
        loop {
            while i < a.len() && a[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= a.len() {
                return None;
            }
            let start = i;
            while i < a.len() && a[i] != b'=' && !a[i].is_ascii_whitespace() {
                i += 1;
            }
            let key = &a[start..i];
            while i < a.len() && a[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= a.len() || a[i] != b'=' {
                // An attribute without a value: skip it.
                continue;
            }
            i += 1;
            while i < a.len() && a[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = match a.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = a[i + 1..]
                        .iter()
                        .position(|b| *b == q)
                        .map_or(a.len(), |p| i + 1 + p);
                    let v = &a[i + 1..end];
                    i = end + 1;
                    v
                }
                _ => {
                    let s = i;
                    while i < a.len() && !a[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    &a[s..i]
                }
            };
            if key == name {
                return Some(value);
            }
        }
    }

    fn attr_number(&self, name: &[u8]) -> Option<u64> {
        let v = std::str::from_utf8(self.attr(name)?).ok()?;
        v.trim().parse().ok()
    }
}

/// Calls `on_tag` for every start tag of an XML stream, holding no more than one tag at a
/// time. Deliberately simple: comments, CDATA and attribute values holding `<` or `>` can only
/// make it see more elements than an XML parser would, never fewer.
fn scan_xml(
    r: &mut impl BufRead,
    mut on_tag: impl FnMut(&Tag<'_>) -> Result<(), SheetError>,
) -> Result<(), SheetError> {
    let mut tag: Vec<u8> = Vec::with_capacity(256);
    let mut in_tag = false;
    let mut text: u64 = 0;
    loop {
        let buf = r.fill_buf().map_err(io_corrupt)?;
        if buf.is_empty() {
            return Ok(());
        }
        let len = buf.len();
        let mut i = 0;
        while i < len {
            if in_tag {
                match buf[i..].iter().position(|b| *b == b'>') {
                    Some(p) => {
                        tag.extend_from_slice(&buf[i..i + p]);
                        i += p + 1;
                        in_tag = false;
                        if emit(&tag, text, &mut on_tag)? {
                            text = 0;
                        } else {
                            text += tag.len() as u64 + 2;
                        }
                        tag.clear();
                    }
                    None => {
                        tag.extend_from_slice(&buf[i..]);
                        i = len;
                    }
                }
                if tag.len() > MAX_TAG {
                    return Err(SheetError::Corrupt("XML tag too long".into()));
                }
            } else {
                match buf[i..].iter().position(|b| *b == b'<') {
                    Some(p) => {
                        text += p as u64;
                        i += p + 1;
                        in_tag = true;
                    }
                    None => {
                        text += (len - i) as u64;
                        i = len;
                    }
                }
            }
        }
        r.consume(len);
    }
}

/// Passes a start tag to `on_tag`: `Ok(false)` for an end tag, comment or the like (whose
/// bytes the caller counts as text).
fn emit(
    raw: &[u8],
    text_before: u64,
    on_tag: &mut impl FnMut(&Tag<'_>) -> Result<(), SheetError>,
) -> Result<bool, SheetError> {
    if matches!(raw.first(), None | Some(b'/' | b'!' | b'?')) {
        return Ok(false);
    }
    let (raw, empty) = match raw.strip_suffix(b"/") {
        Some(r) => (r, true),
        None => (raw, false),
    };
    let end = raw
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(raw.len());
    on_tag(&Tag {
        name: &raw[..end],
        attrs: &raw[end..],
        empty,
        text_before,
    })?;
    Ok(true)
}

/// `sharedStrings.xml`: the declared count (calamine reserves room for it) and the real one.
fn shared_strings_xml(r: &mut impl BufRead, o: &ReadOptions) -> Result<(), SheetError> {
    let limit = o.max_shared_strings;
    let mut seen = 0usize;
    scan_xml(r, |tag| {
        match tag.local_name() {
            // calamine reserves room for `uniqueCount` strings up front.
            b"sst"
                if tag
                    .attr_number(b"uniqueCount")
                    .is_some_and(|n| n > count(limit)) =>
            {
                return Err(too_large(Limit::SharedStrings, count(limit)));
            }
            b"si" => {
                seen += 1;
                if seen > limit {
                    return Err(too_large(Limit::SharedStrings, count(limit)));
                }
            }
            _ => {}
        }
        Ok(())
    })
}

/// `styles.xml`: every cell format, font, fill, border and number format becomes an object in
/// memory, a few hundred bytes each for a few bytes of XML.
fn styles_xml(r: &mut impl BufRead, o: &ReadOptions) -> Result<(), SheetError> {
    let limit = o.max_styles;
    let mut seen = 0usize;
    scan_xml(r, |tag| {
        if matches!(
            tag.local_name(),
            b"xf" | b"font" | b"fill" | b"border" | b"numFmt"
        ) {
            seen += 1;
            if seen > limit {
                return Err(too_large(Limit::Styles, count(limit)));
            }
        }
        Ok(())
    })
}

/// calamine's caps on an .ods sheet (it lays out at most this many rows and columns).
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// An .ods `content.xml`: calamine lays out every sheet at open, repeats expanded: first each
/// row up to its last non-empty cell, then the block from the first to the last non-empty row
/// and column. Both are counted against [`ReadOptions::max_cells`] (over all sheets), taking
/// every cell with a value type, a formula or content as non-empty; and the text of each cell,
/// copied once per repeat, against [`ReadOptions::max_text_size`].
fn ods_content(r: &mut impl BufRead, o: &ReadOptions) -> Result<(), SheetError> {
    let limit = count(o.max_cells);
    let mut state = Ods::default();
    scan_xml(r, |tag| {
        // Text and attributes belong to the cell being read, until the next cell or row.
        state.cell_text = state
            .cell_text
            .saturating_add(tag.text_before)
            .saturating_add(tag.attrs.len() as u64);
        match tag.name {
            b"table:table" => state.end_sheet(),
            b"table:table-row" => {
                state.end_row();
                let repeats = tag.attr_number(b"table:number-rows-repeated").unwrap_or(1);
                let repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(state.sheet.rows));
                state.sheet.rows += repeats;
                state.row = Some(OdsRow {
                    repeats,
                    ..OdsRow::default()
                });
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                state.end_cell();
                state.cell_text = tag.attrs.len() as u64;
                if let Some(row) = state.row.as_mut() {
                    let repeats = tag
                        .attr_number(b"table:number-columns-repeated")
                        .unwrap_or(1)
                        .min(ODS_MAX_COLUMNS.saturating_sub(row.cursor));
                    let filled = !tag.empty
                        || tag.attr(b"office:value-type").is_some()
                        || tag.attr(b"table:formula").is_some();
                    if filled && repeats > 0 {
                        row.first.get_or_insert(row.cursor);
                        row.last = Some(row.cursor + repeats - 1);
                    }
                    row.cursor += repeats;
                    state.cell_repeats = repeats;
                }
            }
            _ => {}
        }
        state.check(limit, o)
    })?;
    state.end_sheet();
    state.check(limit, o)
}

#[derive(Default)]
struct Ods {
    /// Cells calamine pushes row by row, all sheets.
    pushed: u64,
    /// Cells of the finished sheets' blocks.
    laid_out: u64,
    /// Bytes of cell text copied, all sheets.
    text: u64,
    sheet: OdsSheet,
    row: Option<OdsRow>,
    cell_text: u64,
    cell_repeats: u64,
}

impl Ods {
    fn end_cell(&mut self) {
        if let Some(row) = self.row.as_mut() {
            row.text = row
                .text
                .saturating_add(self.cell_text.saturating_mul(self.cell_repeats));
        }
        self.cell_text = 0;
        self.cell_repeats = 0;
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some(row) = self.row.take() {
            // Copied once into the row, then once per repeat into the sheet's block.
            self.text = self
                .text
                .saturating_add(row.text.saturating_mul(row.repeats + 1));
            self.sheet.add(&row, &mut self.pushed);
        }
    }

    fn end_sheet(&mut self) {
        self.end_row();
        self.laid_out = self.laid_out.saturating_add(self.sheet.area());
        self.sheet = OdsSheet::default();
    }

    fn check(&self, limit: u64, o: &ReadOptions) -> Result<(), SheetError> {
        if self.pushed > limit || self.laid_out.saturating_add(self.sheet.area()) > limit {
            return Err(too_large(Limit::Cells, limit));
        }
        if self.text > o.max_text_size {
            return Err(too_large(Limit::TextSize, o.max_text_size));
        }
        Ok(())
    }
}

#[derive(Default)]
struct OdsRow {
    repeats: u64,
    /// Bytes of text in the row's cells, column repeats included.
    text: u64,
    cursor: u64,
    first: Option<u64>,
    last: Option<u64>,
}

#[derive(Default)]
struct OdsSheet {
    /// Rows so far, repeats included.
    rows: u64,
    /// Rows from the first non-empty row's start to the last non-empty row's end.
    first_row: Option<u64>,
    end_row: u64,
    col_min: u64,
    col_max: u64,
}

impl OdsSheet {
    fn add(&mut self, row: &OdsRow, pushed: &mut u64) {
        let (Some(first), Some(last)) = (row.first, row.last) else {
            return;
        };
        *pushed = pushed.saturating_add(last + 1);
        let start = self.rows - row.repeats;
        if self.first_row.is_none() {
            self.first_row = Some(start);
            self.col_min = first;
            self.col_max = last;
        }
        self.col_min = self.col_min.min(first);
        self.col_max = self.col_max.max(last);
        self.end_row = self.rows;
    }

    /// The block calamine lays out for the values (and again for the formulas).
    fn area(&self) -> u64 {
        match self.first_row {
            Some(first) => (self.end_row - first)
                .saturating_mul(self.col_max - self.col_min + 1)
                .saturating_mul(2),
            None => 0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// .xlsb records

/// Walks an .xlsb part's records (type and length as 7-bit varints, as calamine reads them):
/// no record may claim more than [`MAX_BIN_RECORD`] bytes, and with `strings` the
/// shared-string items (`BrtSSTItem`) are counted.
fn bin_records(r: &mut impl BufRead, strings: Option<&ReadOptions>) -> Result<(), SheetError> {
    let mut items = 0usize;
    loop {
        let Some(first) = read_byte(r)? else {
            return Ok(());
        };
        let typ = if first & 0x80 != 0 {
            let Some(second) = read_byte(r)? else {
                return Ok(());
            };
            u16::from(first & 0x7f) | (u16::from(second & 0x7f) << 7)
        } else {
            u16::from(first)
        };
        let mut len: u64 = 0;
        for i in 0..4 {
            let Some(b) = read_byte(r)? else {
                return Ok(());
            };
            len |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                break;
            }
        }
        if len > MAX_BIN_RECORD {
            return Err(SheetError::Corrupt(format!("binary record of {len} bytes")));
        }
        if let Some(o) = strings
            && typ == 0x0013
        {
            items += 1;
            if items > o.max_shared_strings {
                return Err(too_large(Limit::SharedStrings, count(o.max_shared_strings)));
            }
        }
        let skipped = io::copy(&mut r.by_ref().take(len), &mut io::sink()).map_err(io_corrupt)?;
        if skipped < len {
            return Ok(());
        }
    }
}

fn read_byte(r: &mut impl BufRead) -> Result<Option<u8>, SheetError> {
    let buf = r.fill_buf().map_err(io_corrupt)?;
    match buf.first() {
        Some(&b) => {
            r.consume(1);
            Ok(Some(b))
        }
        None => Ok(None),
    }
}
