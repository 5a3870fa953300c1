//! Hostile workbooks ("zip bombs" and their kin) are refused before the work, with a clear
//! [`SheetError::TooLarge`], and without the process's memory growing: each test reads its
//! peak resident memory (`VmHWM`) before and after (cargo-nextest runs every test in its own
//! process). The bombs are built here, streamed through the zip writer, so that no test holds
//! what its bomb expands to.

use std::io::{Cursor, Write};

use fruition_sheets::{
    DEFAULT_MAX_PART_SIZE, Limit, ReadOptions, Sheet, SheetError, Value, read_table,
    read_table_with, write_xlsx,
};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// The most a refused bomb may add to the process's peak memory.
const MAX_GROWTH_KB: u64 = 100 * 1024;

/// Peak resident memory so far, in kB (Linux).
fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Reads `bytes` with `options`, asserting that the peak memory grows by less than
/// [`MAX_GROWTH_KB`]; returns the error and the growth.
fn read_bounded(bytes: &[u8], name: &str, options: &ReadOptions) -> (SheetError, u64) {
    let before = peak_kb();
    let result = read_table_with(bytes, name, options, None);
    let grown = peak_kb().saturating_sub(before);
    eprintln!(
        "{name}: peak memory grew by {grown} kB reading {} bytes",
        bytes.len()
    );
    assert!(
        grown < MAX_GROWTH_KB,
        "peak memory grew by {grown} kB reading {name}"
    );
    match result {
        Ok(t) => panic!("{name} was read: {} rows", t.rows.len()),
        Err(e) => (e, grown),
    }
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";
const SMALL_SHEET: &str =
    r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>"#;

/// A minimal valid .xlsx whose shared strings and sheet data are written by the callers, in
/// pieces, through the zip writer.
fn xlsx(
    shared_strings: impl FnOnce(&mut dyn Write),
    sheet_data: impl FnOnce(&mut dyn Write),
) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated())
        .unwrap();
    zip.write_all(SHEET_HEAD.as_bytes()).unwrap();
    sheet_data(&mut zip);
    zip.write_all(SHEET_TAIL.as_bytes()).unwrap();
    zip.start_file("xl/sharedStrings.xml", deflated()).unwrap();
    shared_strings(&mut zip);
    zip.finish().unwrap().into_inner()
}

/// `<sst>` with `count` copies of one string of `len` letters, written a megabyte at a time.
fn repeated_strings(w: &mut dyn Write, count: usize, len: usize) {
    write!(
        w,
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">"#
    )
    .unwrap();
    let item = format!("<si><t>{}</t></si>", "a".repeat(len));
    let per_chunk = ((1 << 20) / item.len()).max(1);
    let chunk = item.repeat(per_chunk);
    let mut left = count;
    while left >= per_chunk {
        w.write_all(chunk.as_bytes()).unwrap();
        left -= per_chunk;
    }
    w.write_all(item.repeat(left).as_bytes()).unwrap();
    w.write_all(b"</sst>").unwrap();
}

/// ~1 GB of shared strings (1,000,000 strings of 1,000 letters) deflated to about a megabyte.
fn shared_strings_bomb() -> Vec<u8> {
    xlsx(
        |w| repeated_strings(w, 1_000_000, 1_000),
        |w| w.write_all(SMALL_SHEET.as_bytes()).unwrap(),
    )
}

#[test]
fn shared_strings_bomb_is_refused_by_its_declared_size() {
    let bomb = shared_strings_bomb();
    assert!(bomb.len() < 8 << 20, "the bomb is {} bytes", bomb.len());
    let (e, _) = read_bounded(&bomb, "bomb.xlsx", &ReadOptions::default());
    assert_eq!(
        e,
        SheetError::TooLarge {
            what: Limit::PartSize,
            limit: DEFAULT_MAX_PART_SIZE
        }
    );
    assert!(e.is_too_large());
    assert!(e.en().contains("256 MB"), "{}", e.en());
    assert!(e.zh().contains("256 MB"), "{}", e.zh());
}

#[test]
fn compression_ratio_alone_refuses_a_bomb() {
    // 64 MB of shared strings, within every size limit, but packed far beyond 100:1.
    let bomb = xlsx(
        |w| repeated_strings(w, 64_000, 1_000),
        |w| w.write_all(SMALL_SHEET.as_bytes()).unwrap(),
    );
    let (e, _) = read_bounded(&bomb, "ratio.xlsx", &ReadOptions::default());
    assert_eq!(
        e,
        SheetError::TooLarge {
            what: Limit::CompressionRatio,
            limit: 100
        }
    );
    assert!(e.en().contains("100:1"), "{}", e.en());
}

#[test]
fn shared_strings_are_counted_before_calamine_reserves_room_for_them() {
    // A tiny file that declares 2 billion strings (calamine would reserve 48 GB for them).
    let bomb = xlsx(
        |w| {
            w.write_all(
                br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="2000000000"><si><t>a</t></si></sst>"#,
            )
            .unwrap()
        },
        |w| w.write_all(SMALL_SHEET.as_bytes()).unwrap(),
    );
    let (e, _) = read_bounded(&bomb, "declared.xlsx", &ReadOptions::default());
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::SharedStrings,
                limit: 2_000_000
            }
        ),
        "{e:?}"
    );

    // Many small strings, well within the size limits: counted as they are.
    let options = ReadOptions {
        max_shared_strings: 10_000,
        ..ReadOptions::default()
    };
    let many = xlsx(
        |w| repeated_strings(w, 10_001, 3),
        |w| w.write_all(SMALL_SHEET.as_bytes()).unwrap(),
    );
    let (e, _) = read_bounded(&many, "many.xlsx", &options);
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::SharedStrings,
                limit: 10_000
            }
        ),
        "{e:?}"
    );
}

/// Overwrites the uncompressed size that the central directory and the local header declare
/// for `name`.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let mut i = 0;
    let mut patched = false;
    while i + 46 <= zip.len() {
        if zip[i..i + 4] == *b"PK\x01\x02" {
            let name_len = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if &zip[i + 46..i + 46 + name_len] == name.as_bytes() {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                let local = u32::from_le_bytes(zip[i + 42..i + 46].try_into().unwrap()) as usize;
                assert_eq!(&zip[local..local + 4], b"PK\x03\x04");
                zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
                patched = true;
            }
        }
        i += 1;
    }
    assert!(patched, "{name} not found");
}

#[test]
fn a_part_that_lies_about_its_size_is_cut_off_at_the_size_it_declares() {
    let mut bomb = shared_strings_bomb();
    // Claims 50 MB (within every size limit; the ratio check is turned off), holds 1 GB: only
    // the reading itself can stop it, at the 50 MB it declared.
    declare_size(&mut bomb, "xl/sharedStrings.xml", 50 << 20);
    let options = ReadOptions {
        max_compression_ratio: u64::MAX,
        ..ReadOptions::default()
    };
    let (e, _) = read_bounded(&bomb, "liar.xlsx", &options);
    assert!(
        matches!(&e, SheetError::Corrupt(d) if d.contains("declared")),
        "{e:?}"
    );
}

/// A sheet of `rows` rows of `cols` one-digit numbers, written a row at a time.
fn many_cells(w: &mut dyn Write, rows: usize, cols: usize) {
    let mut row = String::new();
    for r in 1..=rows {
        row.clear();
        row.push_str(&format!(r#"<row r="{r}">"#));
        for _ in 0..cols {
            row.push_str("<c><v>1</v></c>");
        }
        row.push_str("</row>");
        w.write_all(row.as_bytes()).unwrap();
    }
}

#[test]
fn a_sheet_of_millions_of_cells_is_refused() {
    // 20 million cells: 300 MB of XML... over the part limit and the ratio, refused unread.
    let bomb = xlsx(
        |w| repeated_strings(w, 1, 1),
        |w| many_cells(w, 200_000, 100),
    );
    let (e, _) = read_bounded(&bomb, "cells.xlsx", &ReadOptions::default());
    assert!(e.is_too_large(), "{e:?}");

    // With the size checks out of the way, the cell count still stops it as it is read.
    let bomb = xlsx(
        |w| repeated_strings(w, 1, 1),
        |w| many_cells(w, 100_000, 100),
    );
    let options = ReadOptions {
        max_compression_ratio: u64::MAX,
        max_cells: 1_000_000,
        ..ReadOptions::default()
    };
    let (e, _) = read_bounded(&bomb, "cells.xlsx", &options);
    assert_eq!(
        e,
        SheetError::TooLarge {
            what: Limit::Cells,
            limit: 1_000_000
        }
    );
    assert!(e.en().contains("1000000 cells"), "{}", e.en());
}

#[test]
fn a_shared_string_copied_into_every_cell_is_bounded() {
    // One 1 MB string used by 100,000 cells: 100 GB once copied out.
    let bomb = xlsx(
        |w| repeated_strings(w, 1, 1 << 20),
        |w| {
            let row = r#"<c t="s"><v>0</v></c>"#.repeat(10);
            for r in 1..=10_000 {
                write!(w, r#"<row r="{r}">{row}</row>"#).unwrap();
            }
        },
    );
    // The default allows 256 MB of text; a smaller bound shows that it holds.
    let options = ReadOptions {
        max_text_size: 32 << 20,
        ..ReadOptions::default()
    };
    let (e, _) = read_bounded(&bomb, "copies.xlsx", &options);
    assert_eq!(
        e,
        SheetError::TooLarge {
            what: Limit::TextSize,
            limit: 32 << 20
        }
    );
    assert!(e.en().contains("32 MB"), "{}", e.en());
}

#[test]
fn a_sheet_with_a_cell_far_out_is_bounded_by_what_would_be_held() {
    // Every row has a value in column ALL (the 1000th): rows × width grows fast.
    let bomb = xlsx(
        |w| repeated_strings(w, 1, 1),
        |w| {
            for r in 1..=100_000 {
                write!(w, r#"<row r="{r}"><c r="ALL{r}"><v>1</v></c></row>"#).unwrap();
            }
        },
    );
    let options = ReadOptions {
        max_cells: 1_000_000,
        ..ReadOptions::default()
    };
    let (e, _) = read_bounded(&bomb, "wide.xlsx", &options);
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::Cells,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn ods_repeats_are_counted_before_calamine_lays_them_out() {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated()).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">"#).unwrap();
    // A million rows of 16,384 copies of one value: a sheet of 17 billion cells in 300 bytes.
    zip.write_all(br#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>"#).unwrap();
    zip.write_all(b"</table:table></office:spreadsheet></office:body></office:document-content>")
        .unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    let (e, _) = read_bounded(&bomb, "bomb.ods", &ReadOptions::default());
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::Cells,
                ..
            }
        ),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// .xls

/// A BIFF8 record.
fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn number(row: u16, col: u16, value: f64) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&row.to_le_bytes());
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&value.to_le_bytes());
    d
}

/// A workbook stream with one sheet holding `cells`.
fn biff(cells: &[(u16, u16)]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    // Padding, so that the stream lives in ordinary sectors.
    record(&mut globals, 0x1234, &[0u8; 4200]);
    let boundsheet_at = globals.len();
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 2, 0, b'S', b'1']);
    record(&mut globals, 0x000A, &[]);
    let pos = globals.len() as u32;
    globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&pos.to_le_bytes());
    record(&mut globals, 0x0809, &bof(0x0010));
    for (i, (row, col)) in cells.iter().enumerate() {
        record(&mut globals, 0x0203, &number(*row, *col, i as f64));
    }
    record(&mut globals, 0x000A, &[]);
    globals
}

/// A compound file (version 3, 512-byte sectors) holding `stream` as "Workbook".
fn ole(stream: &[u8]) -> Vec<u8> {
    const FREESECT: u32 = 0xFFFF_FFFF;
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const FATSECT: u32 = 0xFFFF_FFFD;
    let data_sectors = stream.len().div_ceil(512);
    assert!(data_sectors + 2 <= 128, "one FAT sector only");
    let mut header = vec![0u8; 512];
    header[0..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    header[24..26].copy_from_slice(&0x003Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes()); // FAT sectors
    header[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes()); // no mini FAT
    header[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes()); // no DIFAT sectors
    for (i, chunk) in header[76..512].chunks_exact_mut(4).enumerate() {
        let id = if i == 0 { 0 } else { FREESECT };
        chunk.copy_from_slice(&id.to_le_bytes());
    }
    let mut fat = vec![FREESECT; 128];
    fat[0] = FATSECT;
    fat[1] = ENDOFCHAIN;
    for i in 0..data_sectors {
        fat[2 + i] = if i + 1 == data_sectors {
            ENDOFCHAIN
        } else {
            (3 + i) as u32
        };
    }
    let mut dir = vec![0u8; 512];
    let entry = |dir: &mut [u8], at: usize, name: &str, typ: u8, start: u32, size: u32| {
        let e = &mut dir[at * 128..(at + 1) * 128];
        let units: Vec<u16> = name.encode_utf16().collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[64..66].copy_from_slice(&((units.len() as u16 + 1) * 2).to_le_bytes());
        e[66] = typ;
        e[67] = 1;
        e[68..72].copy_from_slice(&FREESECT.to_le_bytes());
        e[72..76].copy_from_slice(&FREESECT.to_le_bytes());
        e[76..80].copy_from_slice(&FREESECT.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
    };
    entry(&mut dir, 0, "Root Entry", 5, ENDOFCHAIN, 0);
    dir[76..80].copy_from_slice(&1u32.to_le_bytes()); // root's child: entry 1
    entry(&mut dir, 1, "Workbook", 2, 2, stream.len() as u32);
    for i in 2..4 {
        entry(&mut dir, i, "", 0, 0, 0);
    }
    let mut out = header;
    out.extend(fat.iter().flat_map(|id| id.to_le_bytes()));
    out.extend_from_slice(&dir);
    out.extend_from_slice(stream);
    out.resize(512 * (3 + data_sectors), 0);
    out
}

#[test]
fn xls_test_file_reads() {
    // The hand-built .xls is a workbook calamine reads: the bombs below are real ones.
    let bytes = ole(&biff(&[(0, 0), (1, 0), (1, 1)]));
    let t = read_table(&bytes, "ok.xls").expect("reads");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.headers.len(), 2);
}

#[test]
fn xls_cells_far_apart_are_refused_before_calamine_lays_out_the_block() {
    // Two cells 65,535 rows and 255 columns apart: a block of 16.7 million cells (530 MB).
    let bytes = ole(&biff(&[(0, 0), (65_535, 255)]));
    assert!(bytes.len() < 8192);
    let (e, _) = read_bounded(&bytes, "far.xls", &ReadOptions::default());
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::Cells,
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn xls_sector_chain_that_loops_is_refused() {
    let mut bytes = ole(&biff(&[(0, 0), (1, 0)]));
    // The directory's chain points back at itself: calamine would follow it forever.
    let fat = 512;
    bytes[fat + 4..fat + 8].copy_from_slice(&1u32.to_le_bytes());
    let before = peak_kb();
    let e = read_table(&bytes, "loop.xls").unwrap_err();
    assert!(peak_kb() - before < MAX_GROWTH_KB);
    assert!(
        matches!(&e, SheetError::Corrupt(d) if d.contains("loop")),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_is_bounded_as_stored_and_as_decoded() {
    let options = ReadOptions {
        max_part_size: 1 << 20,
        ..ReadOptions::default()
    };
    let plain = "a,b\n".repeat(300_000);
    let e = read_table_with(plain.as_bytes(), "x.csv", &options, None).unwrap_err();
    assert_eq!(
        e,
        SheetError::TooLarge {
            what: Limit::CsvSize,
            limit: 1 << 20
        }
    );
    assert!(e.en().contains("1 MB"), "{}", e.en());

    // 800 kB of UTF-16 Chinese decodes to 1.2 MB of UTF-8: refused before decoding.
    let mut utf16 = vec![0xFF, 0xFE];
    for _ in 0..400_000 {
        utf16.extend_from_slice(&'中'.encode_utf16(&mut [0; 1])[0].to_le_bytes());
    }
    let e = read_table_with(&utf16, "x.csv", &options, None).unwrap_err();
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::CsvSize,
                ..
            }
        ),
        "{e:?}"
    );

    // A line of nothing but commas.
    let commas = format!("a\n{}\n", ",".repeat(1_000_000));
    let e = read_table(commas.as_bytes(), "x.csv").unwrap_err();
    assert!(matches!(e, SheetError::TooManyColumns { .. }), "{e:?}");

    // Many short cells: the cell bound.
    let options = ReadOptions {
        max_cells: 100_000,
        ..ReadOptions::default()
    };
    let cells = "1,2,3,4,5,6,7,8,9,10\n".repeat(20_000);
    let e = read_table_with(cells.as_bytes(), "x.csv", &options, None).unwrap_err();
    assert!(
        matches!(
            e,
            SheetError::TooLarge {
                what: Limit::Cells,
                limit: 100_000
            }
        ),
        "{e:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Legitimate workbooks still read

#[test]
fn a_legitimate_large_workbook_still_reads() {
    const ROWS: usize = 20_000;
    const COLS: usize = 27;
    let rows: Vec<Vec<Value>> = (0..ROWS)
        .map(|r| {
            (0..COLS)
                .map(|c| match c % 3 {
                    0 => Value::Text(format!("企业{r:06}-{c}有限公司")),
                    1 => Value::Int((r * c) as i64),
                    _ => Value::Text(["天元区", "荷塘区", "芦淞区"][r % 3].into()),
                })
                .collect()
        })
        .collect();
    let bytes = write_xlsx(&[Sheet {
        name: "data".into(),
        headers: (0..COLS).map(|c| format!("列{c}")).collect(),
        rows,
    }])
    .unwrap();
    let table = read_table(&bytes, "big.xlsx").expect("a legitimate workbook reads");
    assert_eq!(table.rows.len(), ROWS);
    assert_eq!(table.headers.len(), COLS);
    assert_eq!(
        table.rows[ROWS - 1].cells[1].as_text(),
        (ROWS - 1).to_string()
    );
}
