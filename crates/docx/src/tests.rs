use std::io::{Cursor, Read};

use proptest::prelude::*;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::xml::{escape, kept};
use crate::{Block, Chart, ChartKind, Document, Series, Table, write};

/// The elements of a well-formed XML document in order: (name, attributes, direct text), or
/// why it is not well-formed.
type Element = (String, Vec<(String, String)>, String);

fn parse(xml: &str) -> Result<Vec<Element>, String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut roots = 0;
    loop {
        let ev = reader.read_event().map_err(|e| e.to_string())?;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if stack.is_empty() {
                    roots += 1;
                }
                let mut attrs = Vec::new();
                for a in s.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let v = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    attrs.push((a.key.as_ref().to_owned(), v));
                }
                out.push((s.name().as_ref().to_owned(), attrs, String::new()));
                if matches!(ev, Event::Start(_)) {
                    stack.push(out.len() - 1);
                }
            }
            Event::End(_) => {
                stack.pop().ok_or("end without start")?;
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                match stack.last() {
                    Some(&top) => out[top].2.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(format!("text outside the root: {s:?}")),
                }
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(|e| e.to_string())?
                        .ok_or("empty char ref")?
                } else {
                    match &*r.xml10_content() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(format!("undefined entity &{other};")),
                    }
                };
                if !crate::xml::allowed(c) {
                    return Err(format!("forbidden character {c:?}"));
                }
                let top = *stack.last().ok_or("reference outside the root")?;
                out[top].2.push(c);
            }
            Event::Decl(_) => {}
            Event::Eof => break,
            other => return Err(format!("unexpected {other:?}")),
        }
    }
    if !stack.is_empty() || roots != 1 {
        return Err("not one closed root".into());
    }
    if let Some(c) = xml.chars().find(|c| !crate::xml::allowed(*c)) {
        return Err(format!("forbidden character {c:?}"));
    }
    Ok(out)
}

proptest! {
    /// Any text, escaped, is well-formed as content and as an attribute, and reads back as
    /// itself without the characters XML forbids.
    #[test]
    fn any_text_escapes_to_valid_xml(s in any::<String>()) {
        let doc = format!("<a b=\"{0}\">{0}</a>", escape(&s));
        let parsed = parse(&doc).map_err(|e| TestCaseError::fail(format!("{e}: {doc:?}")))?;
        prop_assert_eq!(&parsed[0].2, &kept(&s));
        prop_assert_eq!(&parsed[0].1[0].1, &kept(&s));
    }

    /// Any text in any block makes a document whose every part is well-formed.
    #[test]
    fn any_text_makes_a_valid_document(s in "\\PC*|[\\x00-\\x1f\u{fffe}\u{ffff}<>&\"']{0,12}") {
        let doc = sample(&s);
        let bytes = write(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (name, text) in xml_parts(&bytes) {
            parse(&text).map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
        }
    }
}

fn sample(s: &str) -> Document {
    Document {
        title: format!("{s}年报"),
        blocks: vec![
            Block::Title(format!("株洲市{s}年度报告")),
            Block::Heading(1, format!("一、{s}")),
            Block::Paragraph(format!("截至2024年底，{s}\n第二行\t制表")),
            Block::Note(s.to_string()),
            Block::Heading(2, "附表".into()),
            Block::Table(Table {
                caption: format!("表1 {s}"),
                header: vec!["类型".into(), s.to_string(), "合计".into()],
                rows: vec![
                    vec!["孵化器".into(), "4".into(), "10".into()],
                    vec![s.to_string()],
                ],
            }),
            Block::Chart(Chart {
                title: format!("{s}数量"),
                description: s.to_string(),
                kind: ChartKind::StackedColumn,
                categories: vec!["孵化器".into(), s.to_string()],
                series: vec![
                    Series {
                        name: "国家级".into(),
                        values: vec![4.0, f64::NAN],
                    },
                    Series {
                        name: s.to_string(),
                        values: vec![6.0],
                    },
                ],
            }),
            Block::Chart(Chart {
                title: "趋势".into(),
                description: String::new(),
                kind: ChartKind::Line,
                categories: vec!["2023".into(), "2024".into()],
                series: vec![Series {
                    name: "在孵企业".into(),
                    values: vec![1800.0, 2100.5],
                }],
            }),
            Block::Chart(Chart {
                title: String::new(),
                description: String::new(),
                kind: ChartKind::Bar,
                categories: (0..100).map(|i| format!("地区{i}")).collect(),
                series: vec![Series {
                    name: "载体".into(),
                    values: (0..100).map(f64::from).collect(),
                }],
            }),
        ],
    }
}

/// Every XML part of a package, by name.
fn xml_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("a name").to_string();
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let mut text = String::new();
            f.read_to_string(&mut text).expect("utf-8");
            out.push((name, text));
        }
    }
    out
}

fn part(bytes: &[u8], name: &str) -> String {
    xml_parts(bytes)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

#[test]
fn the_package_holds_headings_tables_and_native_charts() {
    let bytes = write(&sample("载体")).expect("writes");
    let document = parse(&part(&bytes, "word/document.xml")).expect("document.xml");
    let styled = |style: &str| -> Vec<String> {
        // A paragraph's style, then its text in the runs that follow.
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        for (name, attrs, text) in &document {
            match name.as_str() {
                "w:p" => {
                    if let Some(t) = current.take() {
                        out.push(t);
                    }
                }
                "w:pStyle" if attrs.iter().any(|(k, v)| k == "w:val" && v == style) => {
                    current = Some(String::new());
                }
                "w:t" => {
                    if let Some(t) = current.as_mut() {
                        t.push_str(text);
                    }
                }
                _ => {}
            }
        }
        out.extend(current);
        out
    };
    assert_eq!(styled("Title"), vec!["株洲市载体年度报告"]);
    assert_eq!(styled("Heading1"), vec!["一、载体"]);
    assert_eq!(styled("Heading2"), vec!["附表"]);
    // A Word table with a header row that repeats on every page.
    let names: Vec<&str> = document.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(names.iter().filter(|n| **n == "w:tbl").count(), 1);
    assert_eq!(names.iter().filter(|n| **n == "w:tblHeader").count(), 1);
    assert_eq!(names.iter().filter(|n| **n == "w:tr").count(), 3);
    // Short rows are filled: every row has as many cells as the header.
    assert_eq!(names.iter().filter(|n| **n == "w:tc").count(), 9);
    // The line break and the tab of the paragraph.
    assert!(names.contains(&"w:br") && names.contains(&"w:tab"));
    // Three charts, each referenced from the document's relationships and typed in the package.
    let chart_refs: Vec<String> = document
        .iter()
        .filter(|e| e.0 == "c:chart")
        .filter_map(|e| {
            e.1.iter()
                .find(|(k, _)| k == "r:id")
                .map(|(_, v)| v.clone())
        })
        .collect();
    assert_eq!(chart_refs.len(), 3);
    let rels = parse(&part(&bytes, "word/_rels/document.xml.rels")).expect("rels");
    let types = part(&bytes, "[Content_Types].xml");
    for (i, id) in chart_refs.iter().enumerate() {
        let target = rels
            .iter()
            .find(|e| e.1.iter().any(|(k, v)| k == "Id" && v == id))
            .and_then(|e| e.1.iter().find(|(k, _)| k == "Target"))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("{id} in the relationships"));
        assert_eq!(target, format!("charts/chart{}.xml", i + 1));
        assert!(types.contains(&format!("/word/{target}")), "{types}");
        parse(&part(&bytes, &format!("word/{target}"))).expect("chart");
    }
    // The stacked chart caches its figures; a value that is not a number is a gap.
    let chart = parse(&part(&bytes, "word/charts/chart1.xml")).expect("chart1");
    let texts: Vec<&str> = chart
        .iter()
        .filter(|e| e.0 == "c:v")
        .map(|e| e.2.as_str())
        .collect();
    assert_eq!(
        texts,
        vec![
            "国家级",
            "孵化器",
            "载体",
            "4",
            "载体",
            "孵化器",
            "载体",
            "6"
        ]
    );
    assert!(
        chart
            .iter()
            .any(|e| e.0 == "c:grouping" && e.1[0].1 == "stacked")
    );
    // The horizontal chart draws at most MAX_CATEGORIES bars.
    let bars = parse(&part(&bytes, "word/charts/chart3.xml")).expect("chart3");
    let counts: Vec<&str> = bars
        .iter()
        .filter(|e| e.0 == "c:ptCount")
        .map(|e| e.1[0].1.as_str())
        .collect();
    assert_eq!(counts, vec!["1", "60", "60"]);
    // Each chart's workbook is in the package and reads back as the chart's figures.
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).expect("zip");
    let mut wb = Vec::new();
    zip.by_name("word/embeddings/Microsoft_Excel_Worksheet2.xlsx")
        .expect("workbook")
        .read_to_end(&mut wb)
        .expect("read");
    let t = fruition_sheets::read_table(&wb, "x.xlsx").expect("reads");
    assert_eq!(t.headers, vec!["", "在孵企业"]);
    assert_eq!(t.rows.len(), 2);
    // The styles name the official fonts, and the font table their stand-ins.
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains("仿宋_GB2312") && styles.contains("方正小标宋简体"));
    let fonts = part(&bytes, "word/fontTable.xml");
    assert!(fonts.contains("<w:altName w:val=\"仿宋\"/>"));
}

#[test]
fn forbidden_characters_are_left_out_and_markup_is_text() {
    assert_eq!(escape("a\u{0}b\u{1b}c\u{fffe}"), "abc");
    assert_eq!(escape("<w:t>&"), "&lt;w:t&gt;&amp;");
    let bytes = write(&sample("\u{7}<b>&\u{ffff}")).expect("writes");
    let document = part(&bytes, "word/document.xml");
    assert!(document.contains("株洲市&lt;b&gt;&amp;年度报告"));
}
