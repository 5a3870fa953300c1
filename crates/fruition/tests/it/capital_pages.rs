//! The capital pages used as a browser would (cookies, form tokens, redirects, no JavaScript):
//! every signed-in role reaches the funds from the main navigation; an investor registers its
//! fund through the form (a size that is not an amount comes back with the Chinese message
//! beside the field and stores nothing), the bureau registers one for another investor; an
//! investment by an unregistered code is refused beside the field and writes nothing, one by a
//! registered enterprise's code is recorded and shows in the portfolio; an exit with proceeds
//! that are not an amount is refused, then recorded; the enterprise and another investor see
//! the fund but neither its portfolio nor its forms; the investments list shows each role its
//! own; the workbook import lists every bad row and writes nothing; the capital statistics read
//! the year; the funds, investments and statistics download as workbooks.

use fruition_sheets::read_table;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::pages::{form_token, sign_in};
use crate::registry_pages::{Answer, get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, incubate_at, on_both, test_uscc};

fn assert_redirect(a: &Answer, to: &str) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    assert!(
        a.location.starts_with(to),
        "redirected to {} rather than {to}",
        a.location
    );
}

/// The text of the element with `id` up to its next tag (`<dd id="x">…</dd>`).
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

/// A page's workbook, read back.
async fn workbook(app: &TestApp, browser: &reqwest::Client, path: &str) -> fruition_sheets::Table {
    let res = browser.get(app.url(path)).send().await.expect("export");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(
        res.headers()["content-type"],
        fruition_web::download::XLSX,
        "{path}"
    );
    read_table(&res.bytes().await.expect("bytes"), "x.xlsx").expect("reads")
}

async fn investments(app: &TestApp) -> Vec<Value> {
    let all = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/capital/investments",
            None,
            StatusCode::OK,
        )
        .await;
    all.as_array().cloned().unwrap_or_default()
}

/// A multipart body with a form token and a file.
fn multipart(token: &str, name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----fruition-capital-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn capital_pages(app: TestApp) {
    // Who takes part: an enterprise incubated at a carrier, two investors, the bureau.
    let (base_org, _) = app.org_with_user("carrier_operator", "kp.base").await;
    let (firm_org, _) = app.org_with_user("enterprise", "kp.firm").await;
    let carrier = incubate_at(&app, base_org, firm_org, "株洲资本孵化器", "incubator").await;
    let (_, _) = app.org_with_user("investor", "kp.vc").await;
    let (rival_org, _) = app.org_with_user("investor", "kp.rival").await;
    let firm = sign_in(&app, "kp.firm", "kp.firm-secret-pw").await;
    let vc = sign_in(&app, "kp.vc", "kp.vc-secret-pw").await;
    let rival = sign_in(&app, "kp.rival", "kp.rival-secret-pw").await;
    let base = sign_in(&app, "kp.base", "kp.base-secret-pw").await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let org = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/organisations/{firm_org}"),
            None,
            StatusCode::OK,
        )
        .await;
    let firm_uscc = org["uscc"].as_str().expect("uscc").to_string();

    // The funds are in every signed-in user's navigation: 基金与投资 in the 科技金融 menu, or the
    // area's own link where it is the area's only page.
    for who in [&firm, &vc, &base, &bureau] {
        let home = get(&app, who, "/").await;
        assert!(
            home.html
                .contains("<a href=\"/capital/funds\">基金与投资</a>")
                || home
                    .html
                    .contains("<a href=\"/capital/funds\">科技金融</a>"),
            "{}",
            home.html
        );
    }

    // The investor registers its fund: a size that is not an amount comes back beside the
    // field, with what was typed kept, and nothing is stored.
    let funds = "/capital/funds";
    let page = get(&app, &vc, funds).await;
    assert!(page.html.contains("id=\"form-fund\""), "{}", page.html);
    assert!(
        !page.html.contains("id=\"f-fund_manager_org_id\""),
        "an investor registers its own funds: {}",
        page.html
    );
    let mut fields = vec![
        ("name", "株洲天使一号基金"),
        ("kind", "angel"),
        ("status", "investing"),
        ("size", "一千万"),
        ("government", "1000"),
        ("established_year", "2020"),
        ("for_incubatees", "true"),
        ("chain_codes", "rail_transit"),
    ];
    let refused = submit(&app, &vc, funds, funds, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(
            "<p class=\"error-message\" id=\"f-fund_size-error\">“一千万”不是有效金额，应为 200 或 12.5 这样的万元数</p>"
        ),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("value=\"株洲天使一号基金\""),
        "what was typed is kept"
    );
    let none = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/capital/funds",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(none, serde_json::json!([]), "nothing stored");
    fields[3] = ("size", "5000");
    let registered = submit(&app, &vc, funds, funds, &fields).await;
    assert_redirect(&registered, "/capital/funds/");
    let fund = id_in(&registered.location);
    let fund_page = format!("/capital/funds/{fund}");
    let page = get(&app, &vc, &registered.location).await;
    assert!(page.html.contains("基金已登记"), "{}", page.html);
    assert_eq!(text_of(&page.html, "fund-size"), "5000.00 万元");
    assert_eq!(text_of(&page.html, "fund-government-share"), "20.00%");
    assert!(
        page.html.contains("id=\"form-investment\""),
        "{}",
        page.html
    );

    // The bureau registers a fund for the other investor, chosen from the managers.
    let page = get(&app, &bureau, funds).await;
    assert!(
        page.html.contains("id=\"f-fund_manager_org_id\""),
        "{}",
        page.html
    );
    let refused = submit(
        &app,
        &bureau,
        funds,
        funds,
        &[
            ("name", "株洲创投二号基金"),
            ("kind", "venture"),
            ("size", "20000"),
            ("established_year", "2019"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-fund_manager_org_id-error\">请选择基金管理人"),
        "{}",
        refused.html
    );
    let rival_s = rival_org.to_string();
    let registered = submit(
        &app,
        &bureau,
        funds,
        funds,
        &[
            ("name", "株洲创投二号基金"),
            ("kind", "venture"),
            ("manager_org_id", &rival_s),
            ("size", "20000"),
            ("established_year", "2019"),
            ("for_incubatees", "true"),
        ],
    )
    .await;
    assert_redirect(&registered, "/capital/funds/");
    let rival_fund = id_in(&registered.location);
    let page = get(&app, &rival, &format!("/capital/funds/{rival_fund}")).await;
    assert!(page.html.contains("测试机构kp.rival"), "{}", page.html);
    assert!(
        page.html.contains("id=\"form-fund\""),
        "its manager keeps it"
    );

    // An investment by a code no enterprise has: refused beside the field, nothing written.
    let record = format!("/capital/funds/{fund}/investments");
    let unknown = test_uscc(987_654);
    let mut inv = vec![
        ("uscc", unknown.as_str()),
        ("round", "a"),
        ("instrument", "equity"),
        ("amount", "500"),
        ("invested_on", "2024-06-30"),
        ("post_money", "5000"),
        ("note", "A 轮领投"),
    ];
    let refused = submit(&app, &vc, &fund_page, &record, &inv).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-investment_uscc-error\">平台上没有登记统一社会信用代码为"),
        "{}",
        refused.html
    );
    assert!(investments(&app).await.is_empty(), "nothing written");
    // An amount that is not one, and a code that is not one: both beside their fields.
    let refused = submit(
        &app,
        &vc,
        &fund_page,
        &record,
        &[
            ("uscc", "1234"),
            ("round", "a"),
            ("amount", "五百"),
            ("invested_on", "2024-06-30"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-investment_uscc-error\""),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(
            "id=\"f-investment_amount-error\">“五百”不是有效金额，应为 200 或 12.5 这样的万元数"
        ),
        "{}",
        refused.html
    );
    assert!(investments(&app).await.is_empty(), "nothing written");
    inv[0] = ("uscc", firm_uscc.as_str());
    let recorded = submit(&app, &vc, &fund_page, &record, &inv).await;
    assert_redirect(&recorded, &format!("{fund_page}?done=investment_recorded"));
    let page = get(&app, &vc, &recorded.location).await;
    assert!(page.html.contains("投资已登记"), "{}", page.html);
    assert_eq!(text_of(&page.html, "portfolio-invested"), "500.00 万元");
    assert_eq!(text_of(&page.html, "portfolio-firms"), "1");
    assert_eq!(text_of(&page.html, "portfolio-deployed"), "10.00%");
    assert_eq!(text_of(&page.html, "portfolio-in-chains"), "100.00%");
    assert!(page.html.contains("id=\"position-rows\""), "{}", page.html);
    assert_eq!(investments(&app).await.len(), 1);

    // An exit with proceeds that are not an amount: refused beside the field; then recorded.
    let firm_enterprise = investments(&app).await[0]["enterprise_id"]
        .as_i64()
        .expect("enterprise id")
        .to_string();
    let exits = format!("/capital/funds/{fund}/exits");
    let mut exit = vec![
        ("enterprise_id", firm_enterprise.as_str()),
        ("kind", "transfer"),
        ("exited_on", "2025-01-10"),
        ("cost", "200"),
        ("proceeds", "很多"),
    ];
    let refused = submit(&app, &vc, &fund_page, &exits, &exit).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-exit_proceeds-error\""),
        "{}",
        refused.html
    );
    exit[4] = ("proceeds", "600");
    let recorded = submit(&app, &vc, &fund_page, &exits, &exit).await;
    assert_redirect(&recorded, &format!("{fund_page}?done=exit_recorded"));
    let page = get(&app, &vc, &recorded.location).await;
    assert!(page.html.contains("id=\"exit-rows\""), "{}", page.html);
    assert_eq!(text_of(&page.html, "portfolio-proceeds"), "600.00 万元");

    // The enterprise and another investor see the fund, but neither its portfolio nor a form.
    for who in [&firm, &rival, &base] {
        let page = get(&app, who, &fund_page).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.html.contains("5000.00 万元"), "{}", page.html);
        for hidden in [
            "id=\"portfolio-figures\"",
            "id=\"position-rows\"",
            "id=\"exit-rows\"",
            "id=\"form-investment\"",
            "id=\"form-exit\"",
            "id=\"form-fund\"",
        ] {
            assert!(!page.html.contains(hidden), "{hidden}: {}", page.html);
        }
        // Another's form refuses them too.
        let res = submit(&app, who, &fund_page, &record, &inv).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.html);
    }
    assert_eq!(investments(&app).await.len(), 1, "nothing more written");
    // The funds' table: the portfolio's figures for the manager and the bureau only.
    for (who, sees) in [
        (&vc, true),
        (&bureau, true),
        (&rival, false),
        (&firm, false),
    ] {
        let page = get(&app, who, funds).await;
        assert!(page.html.contains("株洲天使一号基金"), "{}", page.html);
        assert_eq!(page.html.contains("500.00 万元"), sees, "{}", page.html);
    }
    let enterprise_list = get(&app, &firm, funds).await;
    assert!(
        !enterprise_list.html.contains("id=\"form-fund\""),
        "an enterprise registers no fund"
    );

    // The investments: the manager's, the enterprise's, the bureau's; not another investor's.
    for (who, sees) in [(&vc, true), (&firm, true), (&bureau, true), (&rival, false)] {
        let page = get(&app, who, "/capital/investments").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            page.html.contains("id=\"investment-rows\""),
            sees,
            "{}",
            page.html
        );
    }
    let page = get(&app, &vc, "/capital/investments?year=2023").await;
    assert!(page.html.contains("id=\"no-investments\""), "{}", page.html);
    let page = get(&app, &vc, "/capital/investments?year=abc").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "a year that is none is ignored"
    );

    // The workbook import: every bad row listed, nothing written.
    let import = "/capital/investments/import";
    assert_eq!(get(&app, &firm, import).await.status, StatusCode::FORBIDDEN);
    let page = get(&app, &vc, import).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("href=\"/api/v1/capital/investments/template\""),
        "{}",
        page.html
    );
    let token = form_token(&page.html);
    let csv = format!(
        "基金名称,被投企业统一社会信用代码,轮次,投资工具,投资金额（元）,投资日期,投后估值（元）,备注\n\
         株洲天使一号基金,{firm_uscc},B轮,股权,1000000,2024-09-01,,\n\
         不存在的基金,{firm_uscc},E轮,股权,100,2024-09-01,,\n\
         株洲天使一号基金,{unknown},A轮,股权,200000,2024-09-01,,\n"
    );
    let (ct, body) = multipart(&token, "investments.csv", csv.as_bytes());
    let res = vc
        .post(app.url(import))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(html.contains("<th scope=\"row\">3</th>"), "{html}");
    assert!(html.contains("<th scope=\"row\">4</th>"), "{html}");
    assert!(html.contains("本机构没有登记这个名称的基金"), "{html}");
    assert!(html.contains("平台上没有登记这家企业"), "{html}");
    assert!(
        html.contains("href=\"data:"),
        "the list to download: {html}"
    );
    assert_eq!(
        investments(&app).await.len(),
        1,
        "nothing of the file written"
    );
    // The good row alone is written.
    let csv = format!(
        "基金名称,被投企业统一社会信用代码,轮次,投资工具,投资金额（元）,投资日期,投后估值（元）,备注\n\
         株洲天使一号基金,{firm_uscc},B轮,股权,1000000,2024-09-01,,\n"
    );
    let (ct, body) = multipart(&token, "investments.csv", csv.as_bytes());
    let res = vc
        .post(app.url(import))
        .header(CONTENT_TYPE, ct)
        .body(body)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert_eq!(text_of(&html, "import-rows"), "1");
    assert_eq!(investments(&app).await.len(), 2);

    // The capital statistics: every role reads them; the carrier's lines are marked.
    for who in [&firm, &vc, &bureau] {
        let page = get(&app, who, "/capital/statistics?year=2024").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.html);
        assert_eq!(text_of(&page.html, "capital-year"), "2024");
        assert!(
            page.html.contains("id=\"capital-available\""),
            "{}",
            page.html
        );
    }
    let page = get(&app, &bureau, "/capital/statistics?year=2024").await;
    assert_eq!(text_of(&page.html, "capital-investments"), "2");
    if page.html.contains("id=\"carrier-rows\"") {
        assert!(
            page.html.contains(&format!("id=\"carrier-{carrier}\"")),
            "{}",
            page.html
        );
        assert!(page.html.contains("未达标"), "{}", page.html);
    }
    let page = get(&app, &bureau, "/capital/statistics?year=年").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"f-year-error\""), "{}", page.html);

    // The workbooks: the funds (with the portfolio for its manager), the investments, the
    // statistics.
    let table = workbook(&app, &vc, "/capital/funds/export.xlsx").await;
    assert_eq!(table.rows.len(), 2);
    let table = workbook(&app, &rival, "/capital/funds/export.xlsx?kind=angel").await;
    assert_eq!(table.rows.len(), 1);
    let table = workbook(&app, &vc, "/capital/investments/export.xlsx").await;
    assert_eq!(table.rows.len(), 2);
    let table = workbook(&app, &rival, "/capital/investments/export.xlsx").await;
    assert_eq!(table.rows.len(), 0);
    workbook(&app, &firm, "/capital/statistics/export.xlsx?year=2024").await;

    // A fund that does not exist, or an id that is none: the not-found page.
    for path in ["/capital/funds/999999", "/capital/funds/abc"] {
        assert_eq!(
            get(&app, &vc, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// Changing a fund through its page: the manager changes the size (a size below what it has
/// invested is refused beside the field), the kind filter lists the fund under its kind.
async fn changing_a_fund(app: TestApp) {
    let (_, _) = app.org_with_user("investor", "kc.vc").await;
    let vc = sign_in(&app, "kc.vc", "kc.vc-secret-pw").await;
    let funds = "/capital/funds";
    let registered = submit(
        &app,
        &vc,
        funds,
        funds,
        &[
            ("name", "株洲种子基金"),
            ("kind", "seed"),
            ("size", "800"),
            ("established_year", "2021"),
            ("for_incubatees", "true"),
        ],
    )
    .await;
    assert_redirect(&registered, "/capital/funds/");
    let fund = id_in(&registered.location);
    let page = format!("/capital/funds/{fund}");
    let base = [
        ("name", "株洲种子基金"),
        ("kind", "seed"),
        ("status", "investing"),
        ("established_year", "2021"),
        ("for_incubatees", "true"),
    ];
    let mut fields = base.to_vec();
    fields.push(("size", "12.55"));
    let refused = submit(&app, &vc, &page, &page, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-fund_size-error\">以万元为单位时最多保留一位小数"),
        "{}",
        refused.html
    );
    let mut fields = base.to_vec();
    fields.push(("size", "1000"));
    fields.push(("closed_year", "2010"));
    let refused = submit(&app, &vc, &page, &page, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-fund_closed_year-error\">清算年份不能早于设立年份"),
        "{}",
        refused.html
    );
    let mut fields = base.to_vec();
    fields.push(("size", "1000"));
    let saved = submit(&app, &vc, &page, &page, &fields).await;
    assert_redirect(&saved, &format!("{page}?done=fund_saved"));
    let shown = get(&app, &vc, &saved.location).await;
    assert_eq!(text_of(&shown.html, "fund-size"), "1000.00 万元");
    let listed = get(&app, &vc, "/capital/funds?kind=seed").await;
    assert!(listed.html.contains("株洲种子基金"), "{}", listed.html);
    let listed = get(&app, &vc, "/capital/funds?kind=angel").await;
    assert!(!listed.html.contains("株洲种子基金"), "{}", listed.html);
    let listed = get(&app, &vc, "/capital/funds?kind=%3Cscript%3E").await;
    assert_eq!(
        listed.status,
        StatusCode::OK,
        "an unknown kind lists every fund"
    );
    assert!(listed.html.contains("株洲种子基金"), "{}", listed.html);
}

/// A capital listing in the market names one of its owner's funds (chosen in the listing's
/// form), and its page links to the fund; another investor's fund is refused beside the field.
async fn a_capital_listing_names_its_fund(app: TestApp) {
    let (_, _) = app.org_with_user("investor", "kl.vc").await;
    let (rival_org, _) = app.org_with_user("investor", "kl.rival").await;
    let vc = sign_in(&app, "kl.vc", "kl.vc-secret-pw").await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let funds = "/capital/funds";
    let mine = submit(
        &app,
        &vc,
        funds,
        funds,
        &[
            ("name", "株洲天使投资基金"),
            ("kind", "angel"),
            ("size", "3000"),
            ("established_year", "2022"),
            ("for_incubatees", "true"),
        ],
    )
    .await;
    assert_redirect(&mine, "/capital/funds/");
    let fund = id_in(&mine.location);
    let rival_s = rival_org.to_string();
    let theirs = submit(
        &app,
        &bureau,
        funds,
        funds,
        &[
            ("name", "别家创投基金"),
            ("kind", "venture"),
            ("manager_org_id", &rival_s),
            ("size", "3000"),
            ("established_year", "2022"),
        ],
    )
    .await;
    assert_redirect(&theirs, "/capital/funds/");
    let their_fund = id_in(&theirs.location).to_string();

    let new = "/market/new?kind=capital";
    let form = get(&app, &vc, new).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains("id=\"f-fund_id\""), "{}", form.html);
    assert!(form.html.contains("株洲天使投资基金"), "{}", form.html);
    assert!(
        !form.html.contains("别家创投基金"),
        "only the owner's funds"
    );
    let mut fields = vec![
        ("kind", "capital"),
        ("title", "天使轮投资：轨道交通早期项目"),
        (
            "summary",
            "面向在孵企业的天使轮投资，单笔 100 至 500 万元。",
        ),
        ("preferences", "轨道交通、先进材料"),
        ("fund_id", their_fund.as_str()),
    ];
    let refused = submit(&app, &vc, new, "/market/new", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-fund_id-error\">提供方基金应为发布机构管理的基金"),
        "{}",
        refused.html
    );
    let fund_s = fund.to_string();
    fields[4] = ("fund_id", fund_s.as_str());
    let created = submit(&app, &vc, new, "/market/new", &fields).await;
    assert_redirect(&created, "/market/listings/");
    let page = get(&app, &vc, &created.location).await;
    assert!(
        page.html.contains(&format!(
            "id=\"providing-fund\"><a href=\"/capital/funds/{fund}\">株洲天使投资基金</a>"
        )),
        "{}",
        page.html
    );
    // The edit form keeps the fund chosen.
    let listing = id_in(&created.location);
    let edit = get(&app, &vc, &format!("/market/listings/{listing}/edit")).await;
    assert!(
        edit.html.contains(&format!(
            "<option value=\"{fund}\" selected>株洲天使投资基金</option>"
        )),
        "{}",
        edit.html
    );
}

on_both!(
    capital_pages,
    changing_a_fund,
    a_capital_listing_names_its_fund
);
