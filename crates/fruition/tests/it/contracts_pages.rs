//! The contract registration pages used as a browser would (cookies, form tokens, redirects, no
//! JavaScript): an enterprise finds 登记技术合同 in its navigation with its own organisation
//! prefilled as the seller; a form with an amount that is not one and no file comes back with
//! the Chinese messages beside the fields and what was typed; the submission with its signed
//! file goes to the office's queue; the office returns it with a reason, which the enterprise
//! reads on the submission's page and resubmits corrected; the office recognises it and it
//! appears in the register with its number, in the register's workbook (page and API) and in
//! the statistics page; the enterprise may not open the office's pages. Past registrations
//! import from a workbook all or nothing: one bad row names its row and column and nothing is
//! stored; a good file keeps its historical number and counts in that year's statistics.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::pages::{form_token, sign_in};
use crate::registry_pages::{Answer, answer, get, id_in};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

/// A valid USCC registered in the division `division`.
fn uscc_in(division: &str, n: u32) -> String {
    let first17 = format!("91{division}MA{n:07}");
    let c = fruition_domain::uscc::check_char(&first17).expect("check char");
    format!("{first17}{c}")
}

/// A multipart body of text fields and, when given, a file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----fruition-contracts-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Answer {
    let (ct, body) = multipart(fields, file);
    let res = browser
        .post(app.url(path))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("post");
    answer(res).await
}

async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let res = browser
        .post(app.url(path))
        .form(fields)
        .send()
        .await
        .expect("post");
    answer(res).await
}

/// The text of the element with `id` up to its next tag.
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} on the page:\n{html}"))
        + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

async fn workbook_rows(res: reqwest::Response) -> Vec<Vec<String>> {
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], fruition_web::download::XLSX);
    let t =
        fruition_sheets::read_table(&res.bytes().await.expect("bytes"), "x.xlsx").expect("reads");
    t.rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.as_text()).collect())
        .collect()
}

async fn contract_pages_from_submission_to_statistics(app: TestApp) {
    let (_, _) = app.org_with_user("enterprise", "kc.firm").await;
    let firm = sign_in(&app, "kc.firm", "kc.firm-secret-pw").await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let outside = uscc_in("430100", 23);

    // The navigation leads the enterprise to its submissions; the form prefills its own side.
    let home = get(&app, &firm, "/").await;
    assert!(
        home.html.contains("href=\"/contracts/submissions\""),
        "{}",
        home.html
    );
    let form = get(&app, &firm, "/contracts/submissions/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let own_uscc = {
        let marker = "id=\"f-seller_uscc\" name=\"seller_uscc\" value=\"";
        let at = form.html.find(marker).expect("seller uscc field") + marker.len();
        form.html[at..at + 18].to_string()
    };
    assert!(
        fruition_domain::uscc::Uscc::parse(&own_uscc).is_ok(),
        "{own_uscc}"
    );
    let buyer_side = get(&app, &firm, "/contracts/submissions/new?side=buyer").await;
    assert!(
        buyer_side
            .html
            .contains(&format!("name=\"buyer_uscc\" value=\"{own_uscc}\"")),
        "{}",
        buyer_side.html
    );
    let token = form_token(&form.html);
    let title = "轨道车辆轴箱轴承在线监测系统技术开发合同";
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("contract_type", "development"),
        ("title", title),
        ("seller_name", "株洲合成轨道科技有限公司"),
        ("seller_uscc", own_uscc.as_str()),
        ("buyer_name", "长沙合成装备有限公司"),
        ("buyer_uscc", outside.as_str()),
        ("contract_amount", "12万"),
        ("tech_amount", "800000"),
        ("tech_field", "modern_transport"),
        ("chain_code", "rail_transit"),
        ("signed_on", "2025-03-01"),
        ("starts_on", "2025-03-15"),
        ("ends_on", "2026-03-14"),
    ];
    // Problems in Chinese beside their fields, the typed values kept, nothing stored.
    let bad = post_multipart(&app, &firm, "/contracts/submissions", &fields, None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(
        bad.html.contains("id=\"f-contract_amount-error\""),
        "{}",
        bad.html
    );
    assert!(bad.html.contains("不是有效金额"), "{}", bad.html);
    assert!(bad.html.contains("id=\"f-file-error\""), "{}", bad.html);
    assert!(bad.html.contains("请上传已签订的合同文本"), "{}", bad.html);
    assert!(
        bad.html.contains(&format!("value=\"{title}\"")),
        "{}",
        bad.html
    );
    assert!(bad.html.contains("value=\"12万\""), "{}", bad.html);
    let none = get(&app, &firm, "/contracts/submissions").await;
    assert!(none.html.contains("id=\"no-submissions\""), "{}", none.html);

    fields[7] = ("contract_amount", "1,200,000");
    let done = post_multipart(
        &app,
        &firm,
        "/contracts/submissions",
        &fields,
        Some(("合同扫描件.pdf", PDF)),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let id = id_in(&done.location);
    let page = get(&app, &firm, &done.location).await;
    assert_eq!(text_of(&page.html, "submission-status"), "待认定");
    assert_eq!(text_of(&page.html, "tech-amount"), "800,000.00");
    let file = firm
        .get(app.url(&format!("/contracts/submissions/{id}/file")))
        .send()
        .await
        .expect("file");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.expect("bytes").as_ref(), PDF);
    let mine = get(&app, &firm, "/contracts/submissions").await;
    assert!(mine.html.contains(title), "{}", mine.html);

    // The office's pages are not the enterprise's.
    for path in [
        "/contracts/queue",
        "/contracts/import",
        "/contracts/register",
    ] {
        let p = get(&app, &firm, path).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
    }

    // The office's queue shows it with its age; a return needs a reason.
    let queue = get(&app, &bureau, "/contracts/queue").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.html);
    assert!(queue.html.contains(title), "{}", queue.html);
    assert!(queue.html.contains("不足 1 天"), "{}", queue.html);
    let detail = get(&app, &bureau, &format!("/contracts/submissions/{id}")).await;
    let token = form_token(&detail.html);
    let decision = format!("/contracts/submissions/{id}/decision");
    let no_reason = post_form(
        &app,
        &bureau,
        &decision,
        &[
            ("csrf_token", &token),
            ("decision", "return"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.html.contains("id=\"f-reason-error\""),
        "{}",
        no_reason.html
    );
    let reason = "技术交易额与合同第五条价款条款不一致，请核对后重新提交";
    let returned = post_form(
        &app,
        &bureau,
        &decision,
        &[
            ("csrf_token", &token),
            ("decision", "return"),
            ("reason", reason),
        ],
    )
    .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.html);

    // The enterprise reads the reason and resubmits, keeping the file.
    let page = get(&app, &firm, &format!("/contracts/submissions/{id}")).await;
    assert_eq!(text_of(&page.html, "submission-status"), "已退回修改");
    assert_eq!(text_of(&page.html, "submission-reason"), reason);
    assert!(page.html.contains("id=\"resubmit-form\""), "{}", page.html);
    assert!(
        page.html.contains("value=\"1200000.00\""),
        "prefilled: {}",
        page.html
    );
    let token = form_token(&page.html);
    let mut again = fields.clone();
    again[0] = ("csrf_token", token.as_str());
    again[8] = ("tech_amount", "750000");
    let re = post_multipart(
        &app,
        &firm,
        &format!("/contracts/submissions/{id}/resubmit"),
        &again,
        None,
    )
    .await;
    assert_eq!(re.status, StatusCode::SEE_OTHER, "{}", re.html);
    let page = get(&app, &firm, &format!("/contracts/submissions/{id}")).await;
    assert_eq!(text_of(&page.html, "submission-status"), "待认定");
    assert_eq!(text_of(&page.html, "tech-amount"), "750,000.00");
    assert!(
        page.html.contains("id=\"submission-file\""),
        "{}",
        page.html
    );

    // Recognised: numbered in the register shared with market deals.
    let detail = get(&app, &bureau, &format!("/contracts/submissions/{id}")).await;
    let token = form_token(&detail.html);
    let ok = post_form(
        &app,
        &bureau,
        &decision,
        &[
            ("csrf_token", &token),
            ("decision", "recognise"),
            ("registered_on", "2025-06-30"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    let page = get(&app, &firm, &format!("/contracts/submissions/{id}")).await;
    assert_eq!(text_of(&page.html, "registration-no"), "4302002025000001");
    for path in [
        "/contracts/register?year=2025",
        "/market/deals/registration",
    ] {
        let reg = get(&app, &bureau, path).await;
        assert_eq!(reg.status, StatusCode::OK, "{path}");
        assert!(
            reg.html.contains(&format!(
                "<a href=\"/contracts/submissions/{id}\">4302002025000001</a>"
            )),
            "{path}: {}",
            reg.html
        );
    }

    // The register's workbook, from the page and from the API.
    let register = get(&app, &bureau, "/contracts/register?year=2025").await;
    assert!(
        register
            .html
            .contains("href=\"/contracts/register/export.xlsx?year=2025\""),
        "{}",
        register.html
    );
    let rows = workbook_rows(
        bureau
            .get(app.url("/contracts/register/export.xlsx?year=2025"))
            .send()
            .await
            .expect("export"),
    )
    .await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "4302002025000001");
    assert!(
        rows[0].contains(&"长沙合成装备有限公司".to_string()),
        "{rows:?}"
    );
    assert!(rows[0].contains(&"市外".to_string()), "{rows:?}");
    assert!(rows[0].contains(&"750000".to_string()), "{rows:?}");
    let rows = workbook_rows(
        app.client
            .get(app.url("/api/v1/contracts/export.xlsx?source=submitted"))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .expect("api export"),
    )
    .await;
    assert_eq!(rows.len(), 1);

    // The statistics page counts it.
    let stats = get(&app, &firm, "/statistics?year=2025").await;
    assert_eq!(
        text_of(&stats.html, "contracts-total"),
        "1",
        "{}",
        stats.html
    );
    assert_eq!(text_of(&stats.html, "contracts-tech-amount"), "750,000.00");
    assert!(stats.html.contains("买方在市外"), "{}", stats.html);
}

on_both!(contract_pages_from_submission_to_statistics);

const HEADER: &str = "合同编号,合同类型,合同名称,卖方名称,卖方统一社会信用代码,买方名称,买方统一社会信用代码,合同总额(万元),技术交易额(万元),技术领域,签订日期,登记日期";

async fn register_len(app: &TestApp) -> usize {
    app.expect(
        &app.admin_token,
        Method::GET,
        "/contracts",
        None,
        StatusCode::OK,
    )
    .await
    .as_array()
    .map(Vec::len)
    .unwrap_or(0)
}

async fn past_registrations_import_all_or_nothing(app: TestApp) {
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let zz = |n| uscc_in("430211", n);
    let (s1, b1, s2, b2) = (zz(31), uscc_in("440300", 32), zz(33), uscc_in("430203", 34));
    let good1 = format!(
        "4302002023000157,技术开发,风电叶片气动外形优化设计合同,株洲合成风能研究所,{s1},深圳合成新能源有限公司,{b1},120,100,轨道交通,2023-05-18,2023-06-02"
    );
    let good2 = format!(
        ",技术服务,,株洲合成检测中心,{s2},株洲合成陶瓷有限公司,{b2},8.5,8.5,农业,2024-02-01,2024-02-20"
    );
    let bad = format!(
        ",技术咨询,,株洲合成咨询公司,91430211MA4L00000X,株洲合成材料公司,{b2},10,12,轨道交通,2024-03-01,2024-03-05"
    );

    // One bad row: nothing is stored, the rows and columns are named.
    let page = get(&app, &bureau, "/contracts/import").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let token = form_token(&page.html);
    let csv = format!("{HEADER}\n{good1}\n{bad}\n{good2}\n");
    let res = post_multipart(
        &app,
        &bureau,
        "/contracts/import",
        &[("csrf_token", &token)],
        Some(("历史登记.csv", csv.as_bytes())),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.html);
    assert!(
        res.html.contains("<th scope=\"row\">3</th>"),
        "{}",
        res.html
    );
    assert!(
        res.html.contains("<td>卖方统一社会信用代码</td>"),
        "{}",
        res.html
    );
    assert!(
        res.html.contains("<td>技术交易额(万元)</td>"),
        "{}",
        res.html
    );
    assert!(
        !res.html.contains("<th scope=\"row\">2</th>"),
        "{}",
        res.html
    );
    assert_eq!(register_len(&app).await, 0, "nothing of the file is stored");

    // The API answers the same, naming the row and column.
    let (status, body) = app
        .send_csv(&app.admin_token, "/contracts/imports", csv.clone())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("row 3: 卖方统一社会信用代码"),
        "{body}"
    );
    assert_eq!(register_len(&app).await, 0);

    // The good rows: the historical number kept, the other numbered in its year.
    let csv = format!("{HEADER}\n{good1}\n{good2}\n");
    let res = post_multipart(
        &app,
        &bureau,
        "/contracts/import",
        &[("csrf_token", &token)],
        Some(("历史登记.csv", csv.as_bytes())),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.html);
    assert_eq!(text_of(&res.html, "import-rows"), "2");
    let register = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/contracts",
            None,
            StatusCode::OK,
        )
        .await;
    let numbers: Vec<&str> = register
        .as_array()
        .expect("register")
        .iter()
        .filter_map(|k| k["registration_no"].as_str())
        .collect();
    assert!(numbers.contains(&"4302002023000157"), "{numbers:?}");
    assert!(numbers.contains(&"4302002024000001"), "{numbers:?}");
    // The 技术领域 column reads the national fields' names; an old file's chain name (轨道交通)
    // maps through the default mapping and is kept as the contract's chain.
    let by_number = |n: &str| {
        register
            .as_array()
            .and_then(|r| r.iter().find(|k| k["registration_no"] == n))
            .cloned()
            .expect("registered")
    };
    let old = by_number("4302002023000157");
    assert_eq!(
        (&old["field"], &old["field_name"], &old["chain"]),
        (
            &json!("modern_transport"),
            &json!("现代交通"),
            &json!("rail_transit")
        ),
        "{old}"
    );
    let farm = by_number("4302002024000001");
    assert_eq!(
        (&farm["field"], &farm["field_name"], &farm["chain"]),
        (&json!("agriculture"), &json!("农业"), &Value::Null),
        "{farm}"
    );
    // An imported registration is a recognised submission without a signed file.
    let imported = register
        .as_array()
        .and_then(|r| {
            r.iter()
                .find(|k| k["registration_no"] == "4302002023000157")
        })
        .and_then(|k| k["submission_id"].as_i64())
        .expect("the imported registration's submission");
    let s = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/contract-submissions/{imported}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(s["status"], "recognised", "{s}");
    assert_eq!(s["file_size"], 0, "{s}");
    app.expect(
        &app.admin_token,
        Method::GET,
        &format!("/contract-submissions/{imported}/file"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    // The historical number is unique: importing it again is refused, nothing stored.
    let (status, body) = app
        .send_csv(
            &app.admin_token,
            "/contracts/imports",
            format!("{HEADER}\n{good1}\n"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("合同编号"), "{body}");
    assert_eq!(register_len(&app).await, 2);
    // A new registration of 2023 follows the kept number.
    let (status, body) = app
        .send_csv(
            &app.admin_token,
            "/contracts/imports",
            format!(
                "{HEADER}\n,技术转让,,株洲合成研究院,{s1},株洲合成陶瓷有限公司,{b2},50,40,轨道交通,2023-08-01,2023-08-10\n"
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let register = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/contracts?year=2023",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        register.to_string().contains("4302002023000158"),
        "{register}"
    );

    // Imported rows count in the statistics of their year; the totals equal the register's.
    let s = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/contract-statistics?year=2023",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(s["total"]["contracts"], 2, "{s}");
    assert_eq!(s["total"]["tech_amount_fen"], 140 * 1_000_000, "{s}");
    let sides: Vec<Value> = s["by_side"].as_array().cloned().unwrap_or_default();
    assert!(
        sides
            .iter()
            .any(|r| r["code"] == "buyer_outside" && r["contracts"] == 1),
        "{s}"
    );
    let kept = fruition_store::deals::contract_totals(&app.db)
        .await
        .expect("totals");
    let summed = fruition_store::deals::contract_totals_recomputed(&app.db)
        .await
        .expect("recomputed");
    assert_eq!(kept, summed);
    // Only the office imports.
    let (_, firm_token) = app.org_with_user("enterprise", "kc.importer").await;
    let (status, _) = app
        .send_csv(
            &firm_token,
            "/contracts/imports",
            format!("{HEADER}\n{good2}\n"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

on_both!(past_registrations_import_all_or_nothing);
