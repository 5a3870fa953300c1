//! Issue 15: the statistics, the annual report and the yearly reports open on the latest year
//! with approved reports; a trend stops at the last year with data; a year without data says
//! so; and the annual report downloads as a Word document with its headings, tables and native
//! charts.

use std::io::{Cursor, Read};

use fruition::demo;
use fruition_app::Settings;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const TITLE: &str = "株洲市科技成果转化平台体系2024年度发展情况";

/// The paragraphs of a document.xml: (style, text) in order, after checking that the XML is
/// well-formed; and the relationship ids of its charts.
fn paragraphs(xml: &str) -> (Vec<(String, String)>, Vec<String>, usize) {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut charts = Vec::new();
    let mut tables = 0;
    let mut in_text = false;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("document.xml is not well-formed: {e}"));
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let name = s.name().as_ref().to_owned();
                let attr = |key: &str| {
                    s.attributes()
                        .map(|a| a.expect("attribute"))
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.to_string())
                };
                match name.as_str() {
                    "w:p" => out.push((String::new(), String::new())),
                    "w:pStyle" => {
                        if let Some(p) = out.last_mut() {
                            p.0 = attr("w:val").unwrap_or_default();
                        }
                    }
                    "w:t" => in_text = matches!(ev, Event::Start(_)),
                    "w:tbl" => tables += 1,
                    "c:chart" => charts.push(attr("r:id").expect("a chart's relationship")),
                    _ => {}
                }
            }
            Event::End(ref e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Text(t) if in_text => {
                if let Some(p) = out.last_mut() {
                    p.1.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                let c = match &*r.xml10_content() {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected reference &{other};"),
                };
                if let Some(p) = out.last_mut() {
                    p.1.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (out, charts, tables)
}

fn part(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> String {
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

/// The chart SVG with `id` in a page.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("chart {id}"));
    let end = html[start..].find("</svg>").expect("end of the chart") + start;
    &html[start..end]
}

async fn page(browser: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = browser.get(app.url(path)).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.expect("html")
}

on_both!(the_annual_report_opens_on_the_latest_year_and_downloads_as_word);

async fn the_annual_report_opens_on_the_latest_year_and_downloads_as_word(app: TestApp) {
    demo::load(&app.db, &Settings::default())
        .await
        .expect("the demo loads");
    let browser = crate::pages::sign_in(&app, "admin", ADMIN_PASSWORD).await;

    // Without a year, the pages open on 2024, the latest year with approved reports (the demo
    // has none for later years), not on last year.
    let html = page(&browser, &app, "/statistics").await;
    assert!(
        html.contains("<option value=\"2024\" selected>"),
        "2024 selected"
    );
    assert!(!html.contains("id=\"no-reports\""), "2024 has reports");
    assert!(
        html.contains("id=\"carriers-total\">69<"),
        "the seed's 69 carriers"
    );
    let html = page(&browser, &app, "/annual-report").await;
    assert!(html.contains("<option value=\"2024\" selected>"));
    assert!(html.contains("截至2024年底，株洲市共有各级双创孵化载体69家"));
    assert!(html.contains("href=\"/annual-report/export.docx?year=2024\""));
    assert!(html.contains("下载 Word 文档"));
    let html = page(&browser, &app, "/reports").await;
    assert!(
        html.contains("<option value=\"2024\" selected>"),
        "the reports list too"
    );
    let (status, v) = app
        .admin(reqwest::Method::GET, "/api/v1/statistics", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["year"], 2024, "the API's default");
    assert_eq!(
        v["trend"]
            .as_array()
            .and_then(|t| t.last())
            .map(|t| t["year"].clone()),
        Some(2024.into())
    );

    // A year after the last with reports says so, and its trend stops at 2024 rather than
    // falling to zero.
    let html = page(&browser, &app, "/statistics?year=2025").await;
    assert!(
        html.contains("2025年尚无已审核的年报数据"),
        "the year without data says so"
    );
    let trend = svg(&html, "trend-title");
    assert!(trend.contains("· 2024："), "2024 is drawn: {trend}");
    assert!(!trend.contains("2025"), "no point for 2025: {trend}");
    let (_, v) = app
        .admin(reqwest::Method::GET, "/api/v1/statistics?year=2025", None)
        .await;
    let years: Vec<i64> = v["trend"]
        .as_array()
        .expect("trend")
        .iter()
        .filter_map(|t| t["year"].as_i64())
        .collect();
    assert_eq!(years, vec![2021, 2022, 2023, 2024]);
    let html = page(&browser, &app, "/annual-report?year=2025").await;
    assert!(html.contains("2025年尚无已审核的年报数据"));

    // The Word document, from the page and from the API (its default year).
    let sections: Vec<String> = {
        let (_, r) = app
            .admin(
                reqwest::Method::GET,
                "/api/v1/annual-report?year=2024",
                None,
            )
            .await;
        r["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| s["heading"].as_str().expect("heading").to_string())
            .collect()
    };
    assert_eq!(sections.len(), 5, "{sections:?}");
    let from_page = browser
        .get(app.url("/annual-report/export.docx?year=2024"))
        .send()
        .await
        .expect("docx");
    let from_api = app
        .client
        .get(app.url("/api/v1/annual-report/export.docx"))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("docx");
    for res in [from_page, from_api] {
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[CONTENT_TYPE], DOCX);
        let disposition = res.headers()[CONTENT_DISPOSITION].to_str().expect("ascii");
        assert!(
            disposition.starts_with("attachment;")
                && disposition.contains(&format!(
                    "filename*=UTF-8''{}",
                    fruition_app::links::url_encode(&format!("{TITLE}.docx"))
                )),
            "{disposition}"
        );
        let bytes = res.bytes().await.expect("bytes").to_vec();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip package");
        let (paras, charts, tables) = paragraphs(&part(&mut zip, "word/document.xml"));
        let styled = |style: &str| -> Vec<&str> {
            paras
                .iter()
                .filter(|(s, _)| s == style)
                .map(|(_, t)| t.as_str())
                .collect()
        };
        assert_eq!(styled("Title"), vec![TITLE]);
        let headings = styled("Heading1");
        for s in &sections {
            assert!(headings.contains(&s.as_str()), "{s} in {headings:?}");
        }
        assert!(headings.contains(&"附表"), "{headings:?}");
        let body: String = paras.iter().map(|(_, t)| t.as_str()).collect();
        assert!(body.contains("截至2024年底，株洲市共有各级双创孵化载体69家"));
        assert!(body.contains("省级以上孵化器10家，其中国家级孵化器4家，省级孵化器6家"));
        assert!(body.contains("专利申请数达3000多件"));
        // Tables: carriers by kind, the places with the high-tech zone's 31, and more.
        assert!(tables >= 6, "{tables} tables");
        assert!(body.contains("株洲国家高新区31"), "the zone's row");
        // Native charts, each a part the document's relationships name.
        assert!(charts.len() >= 5, "{charts:?}");
        let rels = part(&mut zip, "word/_rels/document.xml.rels");
        let types = part(&mut zip, "[Content_Types].xml");
        for (i, id) in charts.iter().enumerate() {
            let target = format!("charts/chart{}.xml", i + 1);
            assert!(
                rels.contains(&format!("Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"{target}\"")),
                "{id} → {target}"
            );
            assert!(types.contains(&format!("PartName=\"/word/{target}\"")));
            let chart = part(&mut zip, &format!("word/{target}"));
            let mut reader = Reader::from_str(&chart);
            while !matches!(
                reader
                    .read_event()
                    .unwrap_or_else(|e| panic!("{target}: {e}")),
                Event::Eof
            ) {}
            assert!(chart.contains("<c:numCache>"), "cached values");
        }
        // The first chart is the carriers by kind and level, stacked, with the four national
        // incubators among its cached values.
        let kinds = part(&mut zip, "word/charts/chart1.xml");
        assert!(kinds.contains("<c:grouping val=\"stacked\"/>"));
        assert!(kinds.contains("<c:v>孵化器</c:v>") || kinds.contains("<c:v>科技企业孵化器</c:v>"));
        assert!(kinds.contains("<c:v>4</c:v>"));
        let styles = part(&mut zip, "word/styles.xml");
        assert!(styles.contains("w:styleId=\"Heading1\"") && styles.contains("仿宋_GB2312"));
    }

    // Signed out, neither answers with the document.
    let res = app
        .browser()
        .get(app.url("/annual-report/export.docx?year=2024"))
        .send()
        .await
        .expect("get");
    assert!(res.status().is_redirection(), "{}", res.status());
    let res = app
        .client
        .get(app.url("/api/v1/annual-report/export.docx"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // The Word document of a year without reports says so too.
    let res = browser
        .get(app.url("/annual-report/export.docx?year=2025"))
        .send()
        .await
        .expect("docx");
    assert_eq!(res.status(), StatusCode::OK);
    let mut zip =
        zip::ZipArchive::new(Cursor::new(res.bytes().await.expect("bytes").to_vec())).expect("zip");
    let (paras, _, _) = paragraphs(&part(&mut zip, "word/document.xml"));
    assert!(
        paras
            .iter()
            .any(|(_, t)| t.contains("2025年尚无已审核的年报数据")),
        "the sentence"
    );
}
