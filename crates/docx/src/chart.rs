//! A native Word chart (DrawingML `c:chartSpace`): the figures cached in the chart, so that Word
//! draws it without opening anything, and the same figures as an embedded workbook laid out
//! the way the chart's references read them (categories in column A from row 2, a series per
//! column from B, its name in row 1), so that Word's 编辑数据 opens them.

use std::fmt::Write as _;

use fruition_sheets::{Sheet, Value, column_letter};

use crate::xml::escape;
use crate::{Chart, ChartKind, DocxError, MAX_CATEGORIES, MAX_SERIES};

/// The series' colours: dark blue, orange, grey, gold, and on (print well in greys too).
const COLOURS: [&str; 8] = [
    "1F4E79", "C55A11", "7F7F7F", "BF9000", "2E75B6", "548235", "843C0C", "3A3A3A",
];

/// The categories and series drawn: at most [`MAX_CATEGORIES`] and [`MAX_SERIES`].
fn bounded(c: &Chart) -> (&[String], &[crate::Series]) {
    (
        &c.categories[..c.categories.len().min(MAX_CATEGORIES)],
        &c.series[..c.series.len().min(MAX_SERIES)],
    )
}

fn str_cache(out: &mut String, f: &str, items: &[String]) {
    let _ = write!(
        out,
        "<c:strRef><c:f>{f}</c:f><c:strCache><c:ptCount val=\"{}\"/>",
        items.len()
    );
    for (i, s) in items.iter().enumerate() {
        let _ = write!(out, "<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", escape(s));
    }
    out.push_str("</c:strCache></c:strRef>");
}

fn num_cache(out: &mut String, f: &str, values: &[f64], count: usize) {
    let _ = write!(
        out,
        "<c:numRef><c:f>{f}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"{count}\"/>"
    );
    for (i, v) in values.iter().take(count).enumerate() {
        if v.is_finite() {
            let _ = write!(out, "<c:pt idx=\"{i}\"><c:v>{v}</c:v></c:pt>");
        }
    }
    out.push_str("</c:numCache></c:numRef>");
}

const TEXT_FONT: &str = "<a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"宋体\"/>";

pub fn xml(c: &Chart) -> String {
    let (categories, series) = bounded(c);
    let n = categories.len();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<c:chartSpace xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" \
xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<c:date1904 val=\"0\"/><c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart>",
    );
    if !c.title.is_empty() {
        let _ = write!(
            out,
            "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr>\
<a:r><a:rPr lang=\"zh-CN\" sz=\"1200\" b=\"1\"><a:latin typeface=\"Times New Roman\"/><a:ea typeface=\"黑体\"/></a:rPr><a:t>{}</a:t></a:r></a:p></c:rich></c:tx>\
<c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/>",
            escape(&c.title)
        );
    } else {
        out.push_str("<c:autoTitleDeleted val=\"1\"/>");
    }
    out.push_str("<c:plotArea><c:layout/>");
    let (open, grouping) = match c.kind {
        ChartKind::Column => ("<c:barChart><c:barDir val=\"col\"/>", "clustered"),
        ChartKind::StackedColumn => ("<c:barChart><c:barDir val=\"col\"/>", "stacked"),
        ChartKind::Bar => ("<c:barChart><c:barDir val=\"bar\"/>", "clustered"),
        ChartKind::Line => ("<c:lineChart>", "standard"),
    };
    let _ = write!(
        out,
        "{open}<c:grouping val=\"{grouping}\"/><c:varyColors val=\"0\"/>"
    );
    let last_row = n + 1;
    for (i, s) in series.iter().enumerate() {
        let col = column_letter(i + 1);
        let colour = COLOURS[i % COLOURS.len()];
        let _ = write!(
            out,
            "<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/><c:tx>"
        );
        str_cache(
            &mut out,
            &format!("Sheet1!${col}$1"),
            std::slice::from_ref(&s.name),
        );
        out.push_str("</c:tx>");
        if c.kind == ChartKind::Line {
            let _ = write!(
                out,
                "<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill><a:round/></a:ln></c:spPr>\
<c:marker><c:symbol val=\"circle\"/><c:size val=\"6\"/><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr></c:marker>"
            );
        } else {
            let _ = write!(
                out,
                "<c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
            );
        }
        out.push_str("<c:cat>");
        str_cache(&mut out, &format!("Sheet1!$A$2:$A${last_row}"), categories);
        out.push_str("</c:cat><c:val>");
        num_cache(
            &mut out,
            &format!("Sheet1!${col}$2:${col}${last_row}"),
            &s.values,
            n,
        );
        out.push_str("</c:val>");
        if c.kind == ChartKind::Line {
            out.push_str("<c:smooth val=\"0\"/>");
        }
        out.push_str("</c:ser>");
    }
    match c.kind {
        ChartKind::Line => out.push_str("<c:marker val=\"1\"/>"),
        ChartKind::StackedColumn => {
            out.push_str("<c:gapWidth val=\"80\"/><c:overlap val=\"100\"/>")
        }
        _ => out.push_str("<c:gapWidth val=\"80\"/>"),
    }
    out.push_str("<c:axId val=\"500000001\"/><c:axId val=\"500000002\"/>");
    out.push_str(if c.kind == ChartKind::Line {
        "</c:lineChart>"
    } else {
        "</c:barChart>"
    });
    // A horizontal chart lists its first category on top, its value axis below.
    let horizontal = c.kind == ChartKind::Bar;
    let (cat_pos, val_pos, orientation, crosses) = if horizontal {
        ("l", "b", "maxMin", "max")
    } else {
        ("b", "l", "minMax", "autoZero")
    };
    let axis_text = format!(
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1000\">{TEXT_FONT}</a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
    );
    let _ = write!(
        out,
        "<c:catAx><c:axId val=\"500000001\"/><c:scaling><c:orientation val=\"{orientation}\"/></c:scaling><c:delete val=\"0\"/>\
<c:axPos val=\"{cat_pos}\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>\
<c:tickLblPos val=\"nextTo\"/>{axis_text}<c:crossAx val=\"500000002\"/><c:crosses val=\"{crosses}\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>\
<c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>\
<c:valAx><c:axId val=\"500000002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"{val_pos}\"/>\
<c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>\
<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>\
{axis_text}<c:crossAx val=\"500000001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx></c:plotArea>"
    );
    if series.len() > 1 {
        out.push_str("<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>");
    }
    let _ = write!(
        out,
        "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>\
<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1000\">{TEXT_FONT}</a:defRPr></a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>\
<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData></c:chartSpace>"
    );
    out
}

/// The chart's relationship to its workbook (`rId1`).
pub fn rels(n: usize) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/package\" \
Target=\"../embeddings/Microsoft_Excel_Worksheet{n}.xlsx\"/></Relationships>"
    )
}

/// The chart's figures as the workbook its references read (`Sheet1`).
pub fn workbook(c: &Chart) -> Result<Vec<u8>, DocxError> {
    let (categories, series) = bounded(c);
    let mut headers = vec![String::new()];
    headers.extend(series.iter().map(|s| s.name.clone()));
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, cat)| {
            let mut row = vec![Value::from(cat.as_str())];
            row.extend(series.iter().map(|s| {
                s.values
                    .get(i)
                    .copied()
                    .filter(|v| v.is_finite())
                    .map_or(Value::Empty, Value::Float)
            }));
            row
        })
        .collect();
    Ok(fruition_sheets::write_xlsx(&[Sheet {
        name: "Sheet1".into(),
        headers,
        rows,
    }])?)
}
