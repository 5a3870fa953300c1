//! Importing a carrier's incubatees and their yearly figures from .xlsx and CSV (all rows or
//! none, every bad row named by row and column), the template, the page, the command line, and
//! the lists exported as .xlsx.

use fruition_domain::indicators::FIELDS;
use fruition_sheets::{
    Cell, Date, ReadOptions, Sheet, Value, read_table, read_table_with, write_xlsx,
};
use fruition_store::Db;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{Value as Json, json};

use crate::pages::{form_token, sign_in};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both, test_uscc};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The template's headers (required ones marked `*`, as the template writes them).
fn headers() -> Vec<String> {
    fruition_app::import::columns()
        .iter()
        .map(|c| c.template_header())
        .collect()
}

/// Row `i` of a valid file: a new enterprise in 天元区 on the rail-transit chain, entered in 2023.
fn row(i: u64, base: u64) -> Vec<Value> {
    let n = i as i64;
    let figures = [
        10 + n, // employees
        1,      // doctors
        0,
        2,
        0,
        1_000 * (n + 1), // revenue_k
        100,
        50,
        0,
        2, // patent applications
        1,
        1,
        0,
        3,
        1,
        0,
        0,
    ];
    let mut r: Vec<Value> = vec![
        test_uscc(base + i).into(),
        format!("导入测试企业{base}-{i:03}有限公司").into(),
        Date::new(2020, 1, 1 + (i % 28) as u8).map_or(Value::Empty, Value::Date),
        "天元区".into(),
        if i.is_multiple_of(2) {
            "株洲国家高新区".into()
        } else {
            Value::Empty
        },
        "轨道交通".into(),
        "37".into(),
        if i.is_multiple_of(3) { "是" } else { "否" }.into(),
        "否".into(),
        Date::new(2023, 3, 1).map_or(Value::Empty, Value::Date),
    ];
    r.extend(figures.iter().map(|v| Value::Int(*v)));
    assert_eq!(r.len(), 10 + FIELDS.len());
    r
}

fn workbook(rows: Vec<Vec<Value>>) -> Vec<u8> {
    write_xlsx(&[Sheet {
        name: "在孵企业".into(),
        headers: headers(),
        rows,
    }])
    .expect("workbook")
}

/// The rows as a UTF-8 CSV file under the template's headers.
fn csv_of(rows: &[Vec<Value>]) -> Vec<u8> {
    let mut out = headers().join(",");
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r
            .iter()
            .map(|v| match v {
                Value::Text(s) => s.clone(),
                Value::Int(i) => i.to_string(),
                Value::Date(d) => d.to_string(),
                _ => String::new(),
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

/// The same code with a wrong check character (position 18).
fn with_wrong_check(code: &str) -> String {
    let (first17, check) = code.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{first17}{wrong}")
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
    }
}

async fn upload(
    app: &TestApp,
    token: &str,
    carrier: i64,
    year: i64,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Json) {
    let res = app
        .client
        .post(app.url(&format!("/api/v1/carriers/{carrier}/imports?year={year}")))
        .bearer_auth(token)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("post");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Json::String(text)),
    )
}

/// The bureau registers a carrier operated by `operator`; returns its id.
async fn carrier(app: &TestApp, name: &str, operator: i64) -> i64 {
    let (status, body) = app
        .admin(
            Method::POST,
            "/api/v1/carriers",
            Some(json!({
                "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
                "zone": "株洲国家高新区", "focus_chains": ["轨道交通"], "established_year": 2015
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("carrier id")
}

fn field<'a>(body: &'a Json, name: &str) -> &'a str {
    body["error"]["fields"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no problem named `{name}` in {body}"))
}

async fn import_all_or_nothing(app: TestApp) {
    let (operator, manager) = app.org_with_user("carrier_operator", "imp.manager").await;
    let (other_operator, other_manager) = app.org_with_user("carrier_operator", "imp.other").await;
    let id = carrier(&app, "导入测试孵化器", operator).await;
    let other_carrier = carrier(&app, "另一家孵化器", other_operator).await;

    // The template: the columns, no data on the sheet that is imported.
    let res = app
        .client
        .get(app.url("/api/v1/import-template"))
        .bearer_auth(&manager)
        .send()
        .await
        .expect("template");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], XLSX);
    let template = res.bytes().await.expect("bytes");
    let t = read_table(&template, "template.xlsx").expect("the template reads");
    assert_eq!(t.headers, headers());
    assert!(t.rows.is_empty(), "the data sheet holds no example");
    // The template's example row imports as it is (checked on the rows sheet's own rules below).

    // 50 rows, 3 of them bad: a wrong check character, more doctors than employees, no such county.
    let base = 7_100_000;
    let mut rows: Vec<Vec<Value>> = (0..50).map(|i| row(i, base)).collect();
    let good_code = test_uscc(base + 10);
    rows[10][0] = with_wrong_check(&good_code).into();
    rows[20][10 + 1] = Value::Int(99); // doctors > employees (30)
    rows[30][3] = "火星区".into();
    let enterprises_before = count(&app.db, "SELECT COUNT(*) FROM enterprises").await;
    let audit_before = count(&app.db, "SELECT COUNT(*) FROM audit_log").await;
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, workbook(rows.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        field(&body, "row 12: 统一社会信用代码*").contains("校验码"),
        "{body}"
    );
    assert!(
        field(&body, "row 22: 其中：博士").contains("博士"),
        "{body}"
    );
    assert!(
        field(&body, "row 32: 所在区县*").contains("火星区"),
        "{body}"
    );
    let listed = body["error"]["rows"].as_array().expect("rows");
    assert_eq!(listed.len(), 3, "{body}");
    assert_eq!(listed[0]["row"], 12);
    assert_eq!(listed[0]["value"], with_wrong_check(&good_code));
    assert_eq!(listed[1]["column"], "其中：博士");
    assert_eq!(listed[2]["value"], "火星区");
    // Nothing was written: no enterprise, no report, no audit entry.
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM enterprises").await,
        enterprises_before
    );
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM carrier_reports").await,
        0
    );
    // The same problems as an .xlsx report.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/carriers/{id}/imports?year=2024")))
        .bearer_auth(&manager)
        .header(CONTENT_TYPE, XLSX)
        .header(ACCEPT, XLSX)
        .body(workbook(rows.clone()))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report = res.bytes().await.expect("bytes");
    let report = read_table(&report, "report.xlsx").expect("the report reads");
    assert_eq!(report.rows.len(), 3);
    assert_eq!(report.rows[0].cells[0], Cell::Number(12.0));

    // Another carrier's manager may not import here.
    let (status, body) = upload(&app, &other_manager, id, 2024, XLSX, workbook(rows.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Fixed: all 50 are registered, enter the carrier and fill the draft report.
    rows[10][0] = good_code.clone().into();
    rows[20][10 + 1] = Value::Int(2);
    rows[30][3] = "430211".into();
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, workbook(rows.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["rows"], 50);
    assert_eq!(body["created"], 50);
    assert_eq!(body["spells_opened"], 50);
    assert_eq!(body["indicators_written"], 50);
    let report_id = body["report_id"].as_i64().expect("report id");
    let (_, report) = app
        .call_with(
            &manager,
            Method::GET,
            &format!("/api/v1/reports/{report_id}"),
            None,
        )
        .await;
    assert_eq!(report["report"]["status"], "draft", "{report}");
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(50));
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM enterprises").await,
        enterprises_before + 50
    );
    // Every change is in the audit log: the report, and per row the enterprise, its spell, its figures.
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before + 1 + 150
    );
    assert_eq!(
        count(
            &app.db,
            "SELECT COUNT(*) FROM audit_log WHERE actor_login = 'imp.manager' AND after_json IS NOT NULL AND entity IN ('enterprise', 'incubation', 'enterprise_indicators', 'carrier_report')"
        )
        .await,
        151,
        "who made each change, and what it became"
    );

    // Again with changes: updated in place, nothing duplicated.
    rows[5][1] = "改名后的导入测试企业有限公司".into();
    for r in rows.iter_mut() {
        if let Value::Int(e) = r[10] {
            r[10] = Value::Int(e + 1);
        }
    }
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, workbook(rows.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 0, "{body}");
    assert_eq!(body["updated"], 1, "{body}");
    assert_eq!(body["unchanged"], 49, "{body}");
    assert_eq!(body["spells_opened"], 0, "{body}");
    assert_eq!(body["indicators_written"], 50, "{body}");
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM enterprises").await,
        enterprises_before + 50
    );
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM incubations").await, 50);
    let (_, report) = app
        .call_with(
            &manager,
            Method::GET,
            &format!("/api/v1/reports/{report_id}"),
            None,
        )
        .await;
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(50));
    let renamed = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["uscc"] == test_uscc(base + 5))
        .expect("row 5");
    assert_eq!(renamed["enterprise_name"], "改名后的导入测试企业有限公司");
    assert_eq!(renamed["indicators"]["employees"], 16);

    // A CSV file saved by Excel on Chinese Windows (GB18030), English headers accepted too.
    let mut csv = String::from("USCC,企业名称,所在区县,产业链,入孵日期,Employees,其中：博士\r\n");
    for i in 0..5 {
        csv.push_str(&format!(
            "{},南方导入测试{i}有限公司,芦淞区,新材料,2024/6/1,{},0\r\n",
            test_uscc(7_200_000 + i),
            5 + i
        ));
    }
    let (encoded, _, unmappable) = encoding_rs::GB18030.encode(&csv);
    assert!(!unmappable);
    let (status, body) = upload(&app, &manager, id, 2024, "text/csv", encoded.to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 5, "{body}");
    let (_, report) = app
        .call_with(
            &manager,
            Method::GET,
            &format!("/api/v1/reports/{report_id}"),
            None,
        )
        .await;
    assert_eq!(report["rows"].as_array().map(Vec::len), Some(55));

    // The same enterprise cannot be imported by another carrier while it incubates here.
    let (status, body) = upload(
        &app,
        &other_manager,
        other_carrier,
        2024,
        XLSX,
        workbook(vec![row(0, base)]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        field(&body, "row 2: 统一社会信用代码*").contains("导入测试孵化器"),
        "names the carrier: {body}"
    );

    // A submitted report refuses imports.
    let (status, body) = app
        .call_with(
            &manager,
            Method::PUT,
            &format!("/api/v1/reports/{report_id}/figures"),
            Some(json!({"staff": 8, "floor_area_m2": 12000})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call_with(
            &manager,
            Method::POST,
            &format!("/api/v1/reports/{report_id}/submission"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let audit_before = count(&app.db, "SELECT COUNT(*) FROM audit_log").await;
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, workbook(rows)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(field(&body, "report").contains("已提交"), "{body}");
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM audit_log").await,
        audit_before
    );

    // Files that are no table at all, and bodies that are no file.
    let (status, body) = upload(&app, &manager, id, 2023, XLSX, b"%PDF-1.7".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    field(&body, "file");
    let (status, body) = upload(&app, &manager, id, 2023, "application/json", b"{}".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // A missing column is reported on the header row.
    let (status, body) = upload(
        &app,
        &manager,
        id,
        2023,
        "text/csv",
        "企业名称,所在区县\n某公司,天元区\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        field(&body, "row 1: 统一社会信用代码").contains("缺少必填列"),
        "{body}"
    );
    // Files larger than the usual 1 MB body limit are accepted (50 MB for imports).
    let big: Vec<Vec<Value>> = (0..8_000).map(|i| row(i, 7_300_000)).collect();
    let big = csv_of(&big);
    assert!(big.len() > 1024 * 1024, "{} bytes", big.len());
    let (status, body) = upload(&app, &manager, id, 2023, "text/csv", big).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 8_000);

    // The enterprises list exports to .xlsx: every row (not one page), codes kept as text.
    let browser = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let html = browser
        .get(app.url("/enterprises?q=导入测试"))
        .send()
        .await
        .expect("list")
        .text()
        .await
        .expect("html");
    assert!(html.contains("/enterprises/export.xlsx?q="), "{html}");
    let res = browser
        .get(app.url("/enterprises/export.xlsx"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], XLSX);
    let exported = read_table(&res.bytes().await.expect("bytes"), "export.xlsx").expect("reads");
    assert_eq!(exported.headers[0], "统一社会信用代码");
    assert!(exported.rows.len() >= 8_055, "{}", exported.rows.len());
    let first = exported
        .rows
        .iter()
        .find(|r| r.cells[0] == Cell::Text(test_uscc(base)))
        .expect("the first imported enterprise, its code as text");
    assert_eq!(
        first.cells[1],
        Cell::Text(format!("导入测试企业{base}-000有限公司"))
    );
    // Filtered: only what the list shows.
    let res = browser
        .get(app.url("/enterprises/export.xlsx?q=%E5%8D%97%E6%96%B9"))
        .send()
        .await
        .expect("export");
    let filtered = read_table(&res.bytes().await.expect("bytes"), "export.xlsx").expect("reads");
    assert_eq!(filtered.rows.len(), 5);
    // Every other list exports too.
    for path in [
        "/organisations/export.xlsx",
        "/users/export.xlsx",
        "/audit/export.xlsx?entity=enterprise",
        "/carriers/export.xlsx",
        "/reports/export.xlsx?year=2024",
        "/statistics/export.xlsx?year=2024",
        "/annual-report/export.xlsx?year=2024",
    ] {
        let res = browser.get(app.url(path)).send().await.expect("export");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.headers()[CONTENT_TYPE], XLSX, "{path}");
        let t = read_table(&res.bytes().await.expect("bytes"), "x.xlsx")
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(!t.headers.is_empty(), "{path}");
    }
    let audit = browser
        .get(app.url("/audit/export.xlsx?entity=enterprise"))
        .send()
        .await
        .expect("audit export")
        .bytes()
        .await
        .expect("bytes");
    let audit = read_table(&audit, "audit.xlsx").expect("reads");
    assert!(
        audit.rows.len() >= 8_055,
        "every page of the log: {}",
        audit.rows.len()
    );
}

/// A multipart body with a form token, a year and a file.
fn multipart(token: &str, year: &str, name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----fruition-test-boundary";
    let mut body = Vec::new();
    for (k, v) in [("csrf_token", token), ("year", year)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {XLSX}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn import_page(app: TestApp) {
    let (operator, api_token) = app.org_with_user("carrier_operator", "page.manager").await;
    let id = carrier(&app, "页面导入孵化器", operator).await;
    let browser = sign_in(&app, "page.manager", "page.manager-secret-pw").await;

    // The carrier's page links to the import; the import page to the template.
    let html = browser
        .get(app.url(&format!("/carriers/{id}")))
        .send()
        .await
        .expect("carrier page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(&format!("/carriers/{id}/import")), "{html}");
    let html = browser
        .get(app.url(&format!("/carriers/{id}/import")))
        .send()
        .await
        .expect("import page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("/api/v1/import-template"), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let token = form_token(&html);

    // A bad row: the table names it, and the list downloads as .xlsx.
    let base = 7_400_000;
    let mut rows: Vec<Vec<Value>> = (0..4).map(|i| row(i, base)).collect();
    rows[2][3] = "火星区".into();
    let (ct, body) = multipart(&token, "2024", "incubatees.xlsx", &workbook(rows.clone()));
    let res = browser
        .post(app.url(&format!("/carriers/{id}/import")))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(html.contains("<th scope=\"row\">4</th>"), "{html}");
    assert!(html.contains("火星区"), "{html}");
    assert!(
        html.contains(&format!("href=\"data:{XLSX};base64,")),
        "the list of problems to download: {html}"
    );
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM carrier_reports").await,
        0
    );

    // Fixed: the summary links to the year's report.
    rows[2][3] = "天元区".into();
    let (ct, body) = multipart(&token, "2024", "incubatees.xlsx", &workbook(rows));
    let res = browser
        .post(app.url(&format!("/carriers/{id}/import")))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("导入完成"), "{html}");
    assert!(html.contains("href=\"/reports/"), "{html}");

    // Someone else's carrier: refused.
    let (other_operator, _) = app.org_with_user("carrier_operator", "page.other").await;
    let other = carrier(&app, "别家孵化器", other_operator).await;
    let res = browser
        .get(app.url(&format!("/carriers/{other}/import")))
        .send()
        .await
        .expect("page");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The template's example row imports as it is.
    let res = app
        .client
        .get(app.url("/api/v1/import-template"))
        .bearer_auth(&api_token)
        .send()
        .await
        .expect("template");
    assert_eq!(res.status(), StatusCode::OK);
    let template = res.bytes().await.expect("bytes");
    let options = ReadOptions {
        sheet: Some("填写示例".into()),
        ..ReadOptions::default()
    };
    let example = read_table_with(&template, "template.xlsx", &options, None).expect("example");
    assert_eq!(example.rows.len(), 1);
    let rows: Vec<Vec<Value>> = example
        .rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => Value::Text(t.clone()),
                    Cell::Number(n) => Value::Int(*n as i64),
                    Cell::Date(d) => Value::Date(*d),
                    _ => Value::Empty,
                })
                .collect()
        })
        .collect();
    let file = write_xlsx(&[Sheet {
        name: "在孵企业".into(),
        headers: example.headers.clone(),
        rows,
    }])
    .expect("workbook");
    let (status, body) = upload(&app, &api_token, id, 2024, XLSX, file).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 1, "{body}");
}

/// A revoked carrier takes no imports — on the API, on the page, as the bureau too — and
/// nothing is written; restored, it does again.
async fn a_revoked_carrier_takes_no_imports(app: TestApp) {
    let (operator, manager) = app.org_with_user("carrier_operator", "rev.manager").await;
    let id = carrier(&app, "已撤销孵化器", operator).await;
    let (status, body) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/carriers/{id}/revocation"),
            Some(json!({"revoked_on": "2024-06-30", "reason": "连续两年未报送年度报告"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let base = 7_600_000;
    let rows: Vec<Vec<Value>> = (0..3).map(|i| row(i, base)).collect();
    let tables = [
        "SELECT COUNT(*) FROM enterprises",
        "SELECT COUNT(*) FROM incubations",
        "SELECT COUNT(*) FROM carrier_reports",
        "SELECT COUNT(*) FROM enterprise_indicators",
        // Signing in to the page below is an audit entry of its own.
        "SELECT COUNT(*) FROM audit_log WHERE entity <> 'sign_in'",
    ];
    let mut before = Vec::new();
    for sql in tables {
        before.push(count(&app.db, sql).await);
    }

    // The API: 409 naming the carrier, with the day it was revoked; for any year, for the bureau too.
    for (token, year) in [(&manager, 2024), (&manager, 2023), (&app.admin_token, 2024)] {
        let (status, body) = upload(&app, token, id, year, XLSX, workbook(rows.clone())).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "conflict", "{body}");
        let reason = field(&body, "carrier");
        assert!(
            reason.contains("已撤销孵化器")
                && reason.contains("2024-06-30")
                && reason.contains("撤销"),
            "{body}"
        );
        assert_eq!(body["error"]["message"], reason, "{body}");
    }
    let res = app
        .client
        .post(app.url(&format!("/api/v1/carriers/{id}/imports?year=2024")))
        .bearer_auth(&manager)
        .header(CONTENT_TYPE, "text/csv")
        .header("Accept-Language", "en")
        .body(csv_of(&rows))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Json = res.json().await.expect("json");
    assert!(
        field(&body, "carrier").contains("revoked on 2024-06-30"),
        "{body}"
    );

    // The page says so at once, in Chinese, and offers no form; an upload is refused all the same.
    let browser = sign_in(&app, "rev.manager", "rev.manager-secret-pw").await;
    let res = browser
        .get(app.url(&format!("/carriers/{id}/import")))
        .send()
        .await
        .expect("import page");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("载体“已撤销孵化器”已于 2024-06-30 撤销，不能再导入"),
        "{html}"
    );
    assert!(!html.contains("enctype=\"multipart/form-data\""), "{html}");
    let account = browser
        .get(app.url("/account"))
        .send()
        .await
        .expect("account")
        .text()
        .await
        .expect("html");
    let token = form_token(&account);
    let (ct, body) = multipart(&token, "2024", "incubatees.xlsx", &workbook(rows.clone()));
    let res = browser
        .post(app.url(&format!("/carriers/{id}/import")))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.expect("html");
    assert!(html.contains("error-summary"), "{html}");
    assert!(html.contains("已于 2024-06-30 撤销"), "{html}");
    assert!(!html.contains("导入完成"), "{html}");

    // Nothing was written anywhere: no enterprise, spell, report, figures or audit entry.
    for (sql, was) in tables.iter().zip(&before) {
        assert_eq!(count(&app.db, sql).await, *was, "{sql}");
    }

    // Restored, it takes the same file.
    let (status, body) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/carriers/{id}/revocation"),
            Some(json!({"restore": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, workbook(rows)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["created"], 3, "{body}");
}

on_both!(
    import_all_or_nothing,
    import_page,
    a_revoked_carrier_takes_no_imports,
    a_zip_bomb_is_refused_before_it_is_unpacked
);

/// `fruition import`: 0 when everything was written, non-zero with every problem on stderr.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_on_the_command_line() {
    use fruition_store::audit::AuditCtx;
    use fruition_store::carriers::{self, CarrierProfile};
    use fruition_store::organisations::{self, OrgProfile};

    let dir = crate::support::tempfile_dir::TempDir::new();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let db = Db::open_sqlite(&data.join("fruition.db"))
        .await
        .expect("open");
    db.migrate().await.expect("migrate");
    fruition::bootstrap::seed_reference(&db, &fruition_app::Settings::default())
        .await
        .expect("reference");
    let ctx = AuditCtx::system("test");
    let mut tx = db.begin().await.expect("tx");
    let org = organisations::insert(
        &mut tx,
        &ctx,
        fruition_domain::org::OrgKind::CarrierOperator,
        &OrgProfile {
            name: "命令行运营机构".into(),
            uscc: Some(test_uscc(7_500_999)),
            ..OrgProfile::default()
        },
    )
    .await
    .expect("org");
    let carrier = carriers::insert(
        &mut tx,
        &ctx,
        &CarrierProfile {
            name: "命令行孵化器".into(),
            kind: fruition_domain::carrier::CarrierKind::Incubator,
            operator_org_id: org.id,
            county_code: "430211".into(),
            zone_id: None,
            address: None,
            floor_area_m2: None,
            focus_chains: String::new(),
            established_year: 2015,
        },
    )
    .await
    .expect("carrier");
    tx.commit().await.expect("commit");
    db.close().await;

    let base = 7_500_000;
    let mut rows: Vec<Vec<Value>> = (0..20).map(|i| row(i, base)).collect();
    rows[3][10] = "很多".into();
    rows[7][0] = "123".into();
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, workbook(rows.clone())).expect("write");
    let run = |file: &std::path::Path, carrier: i64| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_fruition"))
            .arg("--data")
            .arg(&data)
            .args([
                "import",
                "--carrier",
                &carrier.to_string(),
                "--year",
                "2024",
            ])
            .arg(file)
            .env_remove("FRUITION_DATABASE_URL")
            .output()
            .expect("run");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (ok, out, err) = run(&bad, carrier.id);
    assert!(!ok, "bad rows fail: {out}{err}");
    assert!(err.contains("第 5 行"), "{err}");
    assert!(err.contains("从业人员"), "{err}");
    assert!(err.contains("第 9 行"), "{err}");
    assert!(err.contains("2 处问题"), "{err}");

    rows[3][10] = Value::Int(12);
    rows[7][0] = test_uscc(base + 7).into();
    let good = dir.path().join("good.xlsx");
    std::fs::write(&good, workbook(rows)).expect("write");
    let (ok, out, err) = run(&good, carrier.id);
    assert!(ok, "{out}{err}");
    assert!(out.contains("新登记企业 20"), "{out}");

    let (ok, _, err) = run(&good, carrier.id + 100);
    assert!(!ok && err.contains("No carrier"), "{err}");

    // Written as the system, acting for the bureau.
    let db = Db::open_sqlite(&data.join("fruition.db"))
        .await
        .expect("open");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM enterprises").await, 20);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE actor_login = 'system:command-line'"
        )
        .await,
        61
    );
}

/// Peak resident memory of this process so far, in kB (the server runs in the test's process;
/// nextest runs each test in its own).
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("/proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// A 1.4 MB .xlsx whose shared strings unpack to 1 GB (a million strings of a thousand letters),
/// written through the zip writer a megabyte at a time.
fn shared_strings_bomb() -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, deflated).expect("part");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.start_file("xl/sharedStrings.xml", deflated)
        .expect("part");
    zip.write_all(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000" uniqueCount="1000000">"#)
        .expect("write");
    let item = format!("<si><t>{}</t></si>", "a".repeat(1_000));
    let chunk = item.repeat(1_000);
    for _ in 0..1_000 {
        zip.write_all(chunk.as_bytes()).expect("write");
    }
    zip.write_all(b"</sst>").expect("write");
    zip.finish().expect("zip").into_inner()
}

/// Issue 11: a workbook that unpacks to a gigabyte is refused with 413 naming the limit, through
/// the API and the page, before it is unpacked: the server's memory stays flat and nothing is
/// written.
async fn a_zip_bomb_is_refused_before_it_is_unpacked(app: TestApp) {
    let (operator, manager) = app.org_with_user("carrier_operator", "bomb.manager").await;
    let id = carrier(&app, "压缩炸弹测试孵化器", operator).await;
    let bomb = shared_strings_bomb();
    assert!(bomb.len() < 5 * 1024 * 1024, "{} bytes", bomb.len());
    let enterprises = count(&app.db, "SELECT COUNT(*) FROM enterprises").await;

    let before = peak_kb();
    let (status, body) = upload(&app, &manager, id, 2024, XLSX, bomb.clone()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
    let why = field(&body, "file");
    assert!(why.contains("256 MB"), "the limit is named: {why}");

    // The page shows the form again with the reason beside the file, with 413.
    let browser = sign_in(&app, "bomb.manager", "bomb.manager-secret-pw").await;
    let path = format!("/carriers/{id}/import");
    let html = browser
        .get(app.url(&path))
        .send()
        .await
        .expect("import page")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    let (ct, form) = multipart(&token, "2024", "bomb.xlsx", &bomb);
    let res = browser
        .post(app.url(&path))
        .header(CONTENT_TYPE, ct)
        .body(form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = res.text().await.expect("html");
    assert!(html.contains("256 MB"), "{html}");

    let grown_mb = peak_kb().saturating_sub(before) / 1024;
    eprintln!("peak memory grew by {grown_mb} MB for two bombs");
    assert!(grown_mb < 100, "memory grew by {grown_mb} MB");
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM enterprises").await,
        enterprises
    );
}
