//! The registry in a browser, as issue 3 tells it: a carrier manager downloads the import
//! template and imports a 50-row workbook with 3 bad rows, reads the problems on the page and in
//! the downloaded report, fixes the rows and imports again, and files the yearly report; the
//! bureau returns it once with a comment, which the manager reads and answers, then approves it;
//! the dashboard and the annual report show the 50 incubatees and their figures.
//!
//! Before the browser starts, the API sets up what the story takes as given: the operator with
//! its manager's account and the carrier, rated national.

use std::path::PathBuf;

use fruition_sheets::{Cell, Date, Sheet, Value, read_table, write_xlsx};
use fruition_store::Db;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp, tempfile_dir::TempDir, test_uscc};

/// The year the report is for.
const YEAR: &str = "2024";
const MANAGER: &str = "carrier.manager";
/// What `TestApp::org_with_user` sets the first user's password to.
const MANAGER_PASSWORD: &str = "carrier.manager-secret-pw";
const CARRIER: &str = "动力谷浏览器测试孵化器";
/// The workbook's rows; the USCCs are `test_uscc(CODES + i)`.
const ROWS: u64 = 50;
const CODES: u64 = 5_200_000;
/// The rows a clerk gets wrong (0-based data rows; the sheet's row numbers are 2 more).
const BAD_CODE: usize = 10;
const BAD_EMPLOYEES: usize = 20;
const BAD_COUNTY: usize = 30;
/// What the fixed workbook adds up to (see `row`): employees 10 + i; high-level talent in every
/// fifth row; two patent applications and one grant per row.
const EMPLOYEES: u64 = 10 * ROWS + ROWS * (ROWS - 1) / 2;
const TALENT: u64 = ROWS / 5;
const APPLICATIONS: u64 = 2 * ROWS;
const GRANTS: u64 = ROWS;
/// The bureau's comment when it returns the report.
const COMMENT: &str = "请补充创业导师人数后重新提交";

/// What the story starts from.
pub struct Setup {
    db: Db,
    carrier_id: i64,
    /// Where the clerk keeps the workbooks.
    files: TempDir,
}

/// The carrier operator with its manager (password `MANAGER_PASSWORD`) and its carrier in the
/// high-tech zone, rated national in 2019, registered through the API.
pub async fn set_up(app: &TestApp) -> Setup {
    let (operator, _) = app.org_with_user("carrier_operator", MANAGER).await;
    let (status, carrier) = app
        .admin(
            Method::POST,
            "/api/v1/carriers",
            Some(json!({
                "name": CARRIER, "kind": "incubator", "operator_org_id": operator,
                "county": "天元区", "zone": "株洲国家高新区", "focus_chains": ["轨道交通"],
                "established_year": 2015
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{carrier}");
    let carrier_id = carrier["id"].as_i64().expect("carrier id");
    let (status, rated) = app
        .admin(
            Method::POST,
            &format!("/api/v1/carriers/{carrier_id}/ratings"),
            Some(json!({"level": "national", "year_granted": 2019, "granting_body": "科学技术部"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rated}");
    Setup {
        db: app.db.clone(),
        carrier_id,
        files: TempDir::new(),
    }
}

pub async fn scenario(b: Browser, s: Setup) {
    let id = s.carrier_id;
    let carrier_page = format!("/carriers/{id}");
    let import_page = format!("/carriers/{id}/import");

    // The manager signs in and finds the import page from their carrier's page.
    sign_in(&b, MANAGER, MANAGER_PASSWORD).await;
    b.nav_to("/carriers").await;
    b.at("/carriers").await;
    b.click(&format!("main a[href='{carrier_page}']")).await;
    b.at(&carrier_page).await;
    b.click(&format!("main a[href='{import_page}']")).await;
    b.at(&import_page).await;

    // The template, downloaded from the page, gives the columns to fill in.
    b.click("main a[href='/api/v1/import-template']").await;
    let template = b.downloaded("在孵企业导入模板.xlsx").await;
    let template = read_table(&template, "template.xlsx").expect("the template reads");
    let expected: Vec<String> = fruition_app::import::columns()
        .iter()
        .map(|c| c.template_header())
        .collect();
    assert_eq!(template.headers, expected, "the template's columns");
    let headers = template.headers;

    // 50 rows, 3 of them wrong the way a clerk gets them wrong: a mistyped check character, a
    // minus sign before the employees, the county by its name before 2018.
    let good: Vec<Vec<Value>> = (0..ROWS as usize).map(row).collect();
    let mut bad = good.clone();
    let code = test_uscc(CODES + BAD_CODE as u64);
    let wrong_code = with_wrong_check(&code);
    bad[BAD_CODE][col("uscc")] = wrong_code.clone().into();
    let negative = -(10 + BAD_EMPLOYEES as i64);
    bad[BAD_EMPLOYEES][col("employees")] = Value::Int(negative);
    bad[BAD_COUNTY][col("county")] = "株洲县".into();
    let bad_file = workbook(&s.files, "在孵企业2024.xlsx", &headers, bad);

    b.select("#f-year", YEAR).await;
    b.choose_file("#f-file", &bad_file).await;
    b.click("main form[action$='/import'] button[type='submit']")
        .await;

    // Every problem by row, column and reason, in Chinese; nothing was imported.
    let heading = b.text("#import-problems").await;
    assert!(
        heading.contains("（3）"),
        "three problems are counted: {heading:?}"
    );
    let problems = b
        .table_rows("section[aria-labelledby='import-problems'] tbody tr")
        .await;
    assert_eq!(problems.len(), 3, "one line per bad row: {problems:?}");
    let expect = [
        (
            BAD_CODE + 2,
            "统一社会信用代码*",
            wrong_code.as_str(),
            "校验码",
        ),
        (
            BAD_EMPLOYEES + 2,
            "从业人员",
            &negative.to_string(),
            "从业人员不能为负数",
        ),
        (
            BAD_COUNTY + 2,
            "所在区县*",
            "株洲县",
            "株洲县已于2018年撤销，现为渌口区（430212）",
        ),
    ];
    for (line, (row, column, value, reason)) in problems.iter().zip(expect) {
        assert_eq!(line[0], row.to_string(), "the row number: {line:?}");
        assert_eq!(line[1], column, "the column: {line:?}");
        assert_eq!(line[2], value, "the value: {line:?}");
        assert!(line[3].contains(reason), "the reason: {line:?}");
    }
    assert!(
        b.find_all("main .notice").await.is_empty(),
        "no summary of an import"
    );
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM enterprises").await, 0);
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM incubations").await, 0);
    assert_eq!(
        count(&s.db, "SELECT COUNT(*) FROM carrier_reports").await,
        0
    );

    // The same list as a workbook to download.
    b.click("main a[download='import-problems.xlsx']").await;
    let report = b.downloaded("import-problems.xlsx").await;
    let report = read_table(&report, "import-problems.xlsx").expect("the report reads");
    let listed: Vec<(Cell, String)> = report
        .rows
        .iter()
        .map(|r| (r.cells[0].clone(), r.cells[1].as_text()))
        .collect();
    assert_eq!(
        listed,
        expect
            .iter()
            .map(|(row, column, _, _)| (Cell::Number(*row as f64), column.to_string()))
            .collect::<Vec<_>>(),
        "the downloaded report lists the same rows and columns"
    );

    // Fixed and imported again: all 50.
    let fixed_file = workbook(&s.files, "在孵企业2024（已改正）.xlsx", &headers, good);
    b.select("#f-year", YEAR).await;
    b.choose_file("#f-file", &fixed_file).await;
    b.click("main form[action$='/import'] button[type='submit']")
        .await;
    let done = b.text("main .notice h2").await;
    assert_eq!(done, "导入完成");
    assert!(
        b.find_all("#import-problems").await.is_empty(),
        "no problems"
    );
    for (label, value) in [
        ("年度", YEAR),
        ("数据行", "50"),
        ("新登记企业", "50"),
        ("新入孵", "50"),
        ("写入的年度指标", "50"),
    ] {
        assert_eq!(
            b.texts_at(&format!(
                "//main//div[contains(@class,'notice')]//dt[normalize-space()='{label}']/following-sibling::dd[1]"
            ))
            .await,
            vec![value.to_string()],
            "{label} in the summary"
        );
    }
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM enterprises").await, 50);

    // The summary opens the draft report holding the 50 incubatees' figures.
    let report_id = count(&s.db, "SELECT MAX(id) FROM carrier_reports").await;
    b.click(&format!("main .notice a[href='/reports/{report_id}']"))
        .await;
    b.at(&format!("/reports/{report_id}")).await;
    assert_eq!(status(&b).await, "草稿");
    let caption = b.text("main table caption").await;
    assert!(
        caption.contains("在孵企业") && caption.ends_with("50"),
        "50 incubatees in the report: {caption:?}"
    );

    // The carrier's own figures, then it is submitted.
    for (field, value) in [
        ("staff", "12"),
        ("floor_area_m2", "20000"),
        ("incubation_fund_k", "3000"),
        ("events_held", "24"),
        ("graduated_in_year", "2"),
    ] {
        b.fill(&format!("#f-{field}"), value).await;
    }
    b.click(&format!(
        "form[action='/reports/{report_id}/figures'] button[type='submit']"
    ))
    .await;
    b.wait_text("main .notice", "已保存").await;
    submit_report(&b, report_id).await;
    sign_out(&b).await;

    // The bureau finds it among the year's reports; it does not count yet.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    dashboard(&b).await;
    let before = b.texts_at("//dd[@id='incubatees-total']").await;
    assert!(
        before.is_empty() || before == ["0"],
        "a submitted report does not count: {before:?}"
    );
    open_from_list(&b, report_id, "#all").await;
    assert_eq!(status(&b).await, "已提交");
    b.fill("#f-comment", COMMENT).await;
    b.click("button[name='action'][value='return']").await;
    b.wait_text("main .notice", "已退回").await;
    assert_eq!(status(&b).await, "已退回");
    sign_out(&b).await;

    // The manager reads the comment, adds the mentors and submits again.
    sign_in(&b, MANAGER, MANAGER_PASSWORD).await;
    open_from_list(&b, report_id, "#own").await;
    assert_eq!(status(&b).await, "已退回");
    let comment = b.text("main .notice.warning").await;
    assert!(
        comment.contains(COMMENT),
        "the manager sees the bureau's comment: {comment:?}"
    );
    b.fill("#f-mentors", "8").await;
    b.click(&format!(
        "form[action='/reports/{report_id}/figures'] button[type='submit']"
    ))
    .await;
    b.wait_text("main .notice", "已保存").await;
    submit_report(&b, report_id).await;
    sign_out(&b).await;

    // The bureau approves it.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    open_from_list(&b, report_id, "#all").await;
    assert_eq!(status(&b).await, "已提交");
    b.click("button[name='action'][value='approve']").await;
    b.wait_text("main .notice", "计入统计").await;
    assert_eq!(status(&b).await, "已通过");
    let history = b.table_rows("#history + .scroll table tbody tr").await;
    let steps: Vec<&str> = history.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        steps,
        ["提交", "退回", "提交", "通过"],
        "the review history: {history:?}"
    );
    assert!(
        history.iter().any(|r| r[3] == COMMENT),
        "the comment is in the history: {history:?}"
    );

    // The dashboard counts the 50 incubatees and what the rows add up to.
    dashboard(&b).await;
    assert_eq!(b.text("#carriers-total").await, "1");
    assert_eq!(b.text("#incubatees-total").await, ROWS.to_string());
    for (label, value) in [
        ("从业人员", EMPLOYEES),
        ("高层次人才", TALENT),
        ("专利申请", APPLICATIONS),
        ("专利授权", GRANTS),
    ] {
        assert_eq!(
            b.texts_at(&format!(
                "//dl[contains(@class,'figures')]/dt[normalize-space()='{label}']/following-sibling::dd[1]"
            ))
            .await,
            vec![value.to_string()],
            "{label} on the dashboard"
        );
    }
    assert_year_tables(&b).await;

    // So does the annual report, in its tables and in words (1725 employees are "约1700人").
    b.nav_to("/annual-report").await;
    b.at("/annual-report").await;
    b.select("#f-year", YEAR).await;
    b.click("main form.filters button[type='submit']").await;
    b.wait_text("main article h1", &format!("{YEAR}年度")).await;
    let text = b.text("main article").await;
    for words in [
        format!("截至{YEAR}年底，株洲市共有各级双创孵化载体1家，含国家级孵化器1家。"),
        "轨道交通等1个领域在孵企业数量达到50家".to_string(),
        "共有从业人员约1700人，其中市级以上高层次人才10人".to_string(),
        format!("{YEAR}年，全市孵化器在孵企业专利申请数达100件，专利授权数50件"),
    ] {
        assert!(
            text.contains(&words),
            "the annual report says {words:?}:\n{text}"
        );
    }
    assert_year_tables(&b).await;
}

/// The tables the dashboard and the annual report share: the year's line of the trend, and the
/// incubatees by chain.
async fn assert_year_tables(b: &Browser) {
    assert_eq!(
        b.texts_at(&format!(
            "//main//table[caption[normalize-space()='历年趋势']]/tbody/tr[th[normalize-space()='{YEAR}']]/td"
        ))
        .await,
        [ROWS, EMPLOYEES, TALENT, APPLICATIONS, GRANTS].map(|n| n.to_string()),
        "the year in the trend table"
    );
    assert_eq!(
        b.texts_at(
            "//main//table[caption[starts-with(normalize-space(),'在孵企业产业链分布')]]/tbody/tr[th[normalize-space()='轨道交通']]/td"
        )
        .await,
        [ROWS.to_string()],
        "the incubatees by chain"
    );
}

/// From 年报 in the navigation, the year's list, then the report (`table` is `#own` for a
/// carrier's manager, `#all` for the bureau).
async fn open_from_list(b: &Browser, report_id: i64, table: &str) {
    b.nav_to("/reports").await;
    b.at("/reports").await;
    b.select("#f-year", YEAR).await;
    b.click("main form.filters button[type='submit']").await;
    b.wait_text(table, YEAR).await;
    b.click(&format!(
        "{table} + .scroll table a[href='/reports/{report_id}']"
    ))
    .await;
    b.at(&format!("/reports/{report_id}")).await;
}

/// The dashboard for the year, from 统计分析 in the navigation.
async fn dashboard(b: &Browser) {
    b.nav_to("/statistics").await;
    b.at("/statistics").await;
    b.select("#f-year", YEAR).await;
    b.click("main form.filters button[type='submit']").await;
    b.wait_text("main table caption", &format!("（{YEAR}）"))
        .await;
}

async fn submit_report(b: &Browser, report_id: i64) {
    b.click(&format!(
        "form[action='/reports/{report_id}/submission'] button[type='submit']"
    ))
    .await;
    b.wait_text("main .notice", "已提交").await;
    assert_eq!(status(b).await, "已提交");
}

/// The report's status as its page shows it.
async fn status(b: &Browser) -> String {
    b.text("main dl.summary strong").await
}

/// The column's place in the template.
fn col(key: &str) -> usize {
    fruition_app::import::columns()
        .iter()
        .position(|c| c.key == key)
        .unwrap_or_else(|| panic!("no column {key}"))
}

/// Data row `i` as it should be: a new enterprise entered in 2023, on the rail-transit chain,
/// in 天元区 (every other one in the high-tech zone there).
fn row(i: usize) -> Vec<Value> {
    let n = i as i64;
    let mut r = vec![Value::Empty; fruition_app::import::columns().len()];
    let mut set = |key: &str, v: Value| r[col(key)] = v;
    set("uscc", test_uscc(CODES + i as u64).into());
    set(
        "name",
        format!("株洲浏览器导入测试企业{i:02}有限公司").into(),
    );
    set(
        "founded_on",
        Date::new(2020, 1 + (i % 12) as u8, 1 + (i % 28) as u8).into(),
    );
    if i == BAD_COUNTY {
        // The clerk's row for an enterprise in 渌口区.
        set("county", "渌口区".into());
    } else {
        set("county", "天元区".into());
        if i.is_multiple_of(2) {
            set("zone", "株洲国家高新区".into());
        }
    }
    set("chain", "轨道交通".into());
    set("industry_division", "37".into());
    set(
        "high_tech",
        if i.is_multiple_of(3) { "是" } else { "否" }.into(),
    );
    set("tech_sme", "否".into());
    set("entered_on", Date::new(2023, 3, 1).into());
    set("employees", Value::Int(10 + n));
    set("doctors", Value::Int(1));
    set("fresh_graduates", Value::Int(2));
    set(
        "high_level_talent",
        Value::Int(i64::from(i.is_multiple_of(5))),
    );
    set("revenue_k", Value::Int(1_000 * (n + 1)));
    set("rd_spending_k", Value::Int(100));
    set("taxes_k", Value::Int(50));
    set("patent_applications", Value::Int(2));
    set("invention_applications", Value::Int(1));
    set("patent_grants", Value::Int(1));
    set("valid_ip", Value::Int(3));
    set("software_copyrights", Value::Int(1));
    r
}

/// Writes the rows under the template's headers into `dir/name`.
fn workbook(dir: &TempDir, name: &str, headers: &[String], rows: Vec<Vec<Value>>) -> PathBuf {
    let bytes = write_xlsx(&[Sheet {
        name: fruition_app::import::SHEET_NAME.into(),
        headers: headers.to_vec(),
        rows,
    }])
    .expect("workbook");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the workbook");
    path
}

/// The same code with another check character.
fn with_wrong_check(code: &str) -> String {
    let (first17, check) = code.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{first17}{wrong}")
}

/// One number the database holds.
async fn count(db: &Db, sql: &'static str) -> i64 {
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.expect("count"),
    }
}
