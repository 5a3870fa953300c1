//! The credit pages used as a browser would (cookies, form tokens, redirects, no JavaScript):
//! every role reaches its queue from the main navigation and sees only its own loans (another
//! bank gets the not-found page); an application with an amount that is not one comes back with
//! the Chinese message beside the field and stores nothing; an approval over the recommended line
//! without a reason is refused naming the reason's field; the bank records a repayment, declares
//! a default and claims; the bureau keeps the pool through its forms, sees its balances as of a
//! day, approves and pays the claim, lifts the bank's breaker and changes the policy; loans,
//! claims and the ledger download as workbooks with the rows each role may see.

use fruition_sheets::{Cell, read_table};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::pages::sign_in;
use crate::registry_pages::{Answer, get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, incubate_at, on_both};

/// A page's workbook, read back: its header row and its rows.
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

/// The text of the element with `id` up to its closing tag (`<dd id="x">…</dd>`).
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

fn assert_redirect(a: &Answer, to: &str) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    assert!(
        a.location.starts_with(to),
        "redirected to {} rather than {to}",
        a.location
    );
}

async fn api_loan(app: &TestApp, id: i64) -> Value {
    let (status, l) = app
        .admin(Method::GET, &format!("/api/v1/credit/loans/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    l
}

async fn credit_pages(app: TestApp) {
    // Who takes part: an enterprise with its registry record (incubated at a carrier), two banks,
    // a guarantor; the bureau is the administrator.
    let (base_org, _) = app.org_with_user("carrier_operator", "cp.base").await;
    let (firm_org, _) = app.org_with_user("enterprise", "cp.firm").await;
    incubate_at(&app, base_org, firm_org, "株洲动力谷孵化器", "incubator").await;
    let (bank_org, _) = app.org_with_user("bank", "cp.bank").await;
    let (rival_org, _) = app.org_with_user("bank", "cp.rival").await;
    let (guarantor_org, _) = app.org_with_user("guarantor", "cp.guar").await;
    let firm = sign_in(&app, "cp.firm", "cp.firm-secret-pw").await;
    let bank = sign_in(&app, "cp.bank", "cp.bank-secret-pw").await;
    let rival = sign_in(&app, "cp.rival", "cp.rival-secret-pw").await;
    let guarantor = sign_in(&app, "cp.guar", "cp.guar-secret-pw").await;
    let base = sign_in(&app, "cp.base", "cp.base-secret-pw").await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;

    // "信用贷款" (under 科技金融) is in the navigation of the roles that have credit pages, and no
    // other.
    for who in [&firm, &bank, &guarantor, &bureau] {
        let home = get(&app, who, "/").await;
        assert!(
            home.html.contains("<a href=\"/credit/loans\">信用贷款</a>"),
            "{}",
            home.html
        );
    }
    let home = get(&app, &base, "/").await;
    assert!(!home.html.contains("/credit/loans"), "{}", home.html);

    // The application form shows the consent in full; an amount that is not one comes back
    // with the message beside the field (and the missing consent beside its box), storing
    // nothing.
    let new = "/credit/loans/new";
    let form = get(&app, &firm, new).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.html
            .contains("本企业同意将在株洲科技成果转化平台登记的企业信息、年度指标和知识价值信用评分提供给所选合作银行"),
        "{}",
        form.html
    );
    let bank_s = bank_org.to_string();
    let guarantor_s = guarantor_org.to_string();
    let mut fields = vec![
        ("bank_org_id", bank_s.as_str()),
        ("guarantor_org_id", guarantor_s.as_str()),
        ("requested", "一百万"),
        ("requested_months", "12"),
        ("purpose", "研发投入与订单备货"),
    ];
    let refused = submit(&app, &firm, new, new, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(
            "<p class=\"error-message\" id=\"f-requested-error\">“一百万”不是有效金额，应为 200 或 12.5 这样的万元数</p>"
        ),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("id=\"f-consent-error\""),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("value=\"研发投入与订单备货\"")
            || refused.html.contains(">研发投入与订单备货</textarea>"),
        "what was typed is kept"
    );
    let (_, none) = app.admin(Method::GET, "/api/v1/credit/loans", None).await;
    assert_eq!(none, serde_json::json!([]), "nothing stored");
    // Another organisation's users have no application form.
    assert_eq!(get(&app, &bank, new).await.status, StatusCode::FORBIDDEN);

    fields[2] = ("requested", "100");
    fields.push(("consent", "true"));
    let applied = submit(&app, &firm, new, new, &fields).await;
    assert_redirect(&applied, "/credit/loans/");
    let loan = id_in(&applied.location);
    let page = get(&app, &firm, &applied.location).await;
    assert!(page.html.contains("贷款申请已提交"), "{}", page.html);
    assert_eq!(text_of(&page.html, "loan-status"), "已申请");
    assert_eq!(text_of(&page.html, "loan-requested"), "1,000,000.00");
    let l = api_loan(&app, loan).await;
    let code = l["loan"]["code"].as_str().expect("code").to_string();
    assert!(
        l["loan"]["consent_text"]
            .as_str()
            .expect("consent")
            .contains("测试机构cp.bank"),
        "the consent names the bank chosen: {l}"
    );

    // Each role's queue: the enterprise's applications, the bank's loans to review (not those
    // to disburse), the guarantor's, the bureau's; another bank sees nothing and gets 404.
    for (who, path) in [
        (&firm, "/credit/loans"),
        (&bank, "/credit/loans"),
        (&bank, "/credit/loans?tab=review"),
        (&guarantor, "/credit/loans"),
        (&bureau, "/credit/loans"),
        (
            &bureau,
            &format!("/credit/loans?bank={bank_org}&status=applied"),
        ),
    ] {
        let list = get(&app, who, path).await;
        assert_eq!(list.status, StatusCode::OK, "{path}");
        assert!(
            list.html
                .contains(&format!("/credit/loans/{loan}\">{code}</a>")),
            "{path}: {}",
            list.html
        );
    }
    let list = get(&app, &firm, "/credit/loans").await;
    assert!(list.html.contains("<h1>我的贷款申请</h1>"), "{}", list.html);
    let list = get(&app, &bank, "/credit/loans").await;
    assert!(
        list.html
            .contains("<a class=\"button secondary\" href=\"/credit/loans?tab=review\" aria-current=\"page\">待审批</a>"),
        "the bank's queue opens on what awaits review: {}",
        list.html
    );
    for (who, path) in [
        (&bank, "/credit/loans?tab=disburse".to_string()),
        (&rival, "/credit/loans?tab=all".to_string()),
        (&bureau, format!("/credit/loans?bank={rival_org}")),
        (&bureau, "/credit/loans?view=register".to_string()),
    ] {
        let list = get(&app, who, &path).await;
        assert_eq!(list.status, StatusCode::OK, "{path}");
        assert!(
            !list.html.contains(&format!("/credit/loans/{loan}\"")),
            "{path}: {}",
            list.html
        );
    }
    let loan_page = format!("/credit/loans/{loan}");
    // The bank reviews with the score: the loan's page leads to the enterprise's score and its
    // working, which the bank may open because the enterprise applied to it.
    let page = get(&app, &bank, &loan_page).await;
    let score_href = page
        .html
        .split("id=\"loan-score-link\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|tail| tail.split('"').next())
        .unwrap_or_default()
        .to_string();
    assert!(score_href.ends_with("/credit-score"), "{}", page.html);
    let score = get(&app, &bank, &score_href).await;
    assert_eq!(score.status, StatusCode::OK, "{}", score.html);
    assert_eq!(
        get(&app, &rival, &loan_page).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &base, &loan_page).await.status,
        StatusCode::NOT_FOUND
    );
    let seen = get(&app, &guarantor, &loan_page).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.html.contains("id=\"form-approve\""), "{}", seen.html);

    // The bank approves over the line (no score: a line of 0) without a reason and above the
    // rate cap: refused with both fields named; the loan is unchanged.
    let actions = format!("/credit/loans/{loan}/actions");
    let page = get(&app, &bank, &loan_page).await;
    assert!(page.html.contains("id=\"form-approve\""), "{}", page.html);
    assert!(
        page.html.contains("id=\"f-approve_over_line_reason\""),
        "the reason is asked for when the amount asked passes the line"
    );
    let mut approve = vec![
        ("step", "approve"),
        ("amount", "100"),
        ("rate", "9"),
        ("term_months", "12"),
        ("repayment_method", "equal_principal"),
        ("over_line_reason", ""),
    ];
    let refused = submit(&app, &bank, &loan_page, &actions, &approve).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(
            "<p class=\"error-message\" id=\"f-approve_over_line_reason-error\">金额超过评分卡推荐额度（0.00），请说明理由</p>"
        ),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("id=\"f-approve_rate-error\""),
        "{}",
        refused.html
    );
    assert!(
        refused
            .html
            .contains("href=\"#f-approve_over_line_reason\"")
    );
    assert_eq!(api_loan(&app, loan).await["loan"]["status"], "applied");

    approve[2] = ("rate", "3.85");
    approve[5] = (
        "over_line_reason",
        "企业新获整车厂订单，经实地核查流动资金需求",
    );
    let approved = submit(&app, &bank, &loan_page, &actions, &approve).await;
    assert_redirect(
        &approved,
        &format!("/credit/loans/{loan}?done=loan_approved"),
    );
    let page = get(&app, &bank, &approved.location).await;
    assert_eq!(text_of(&page.html, "loan-rate"), "3.85%");
    assert_eq!(text_of(&page.html, "loan-amount"), "1,000,000.00");
    let today = fruition_app::clock::today();
    let disbursed = submit(
        &app,
        &bank,
        &loan_page,
        &actions,
        &[("step", "disburse"), ("date", &today)],
    )
    .await;
    assert_redirect(
        &disbursed,
        &format!("/credit/loans/{loan}?done=loan_disbursed"),
    );
    let page = get(&app, &bank, &loan_page).await;
    assert!(page.html.contains("id=\"schedule-rows\""), "{}", page.html);

    // The bureau's queue of loans to register, and registering from the loan's page.
    let queue = get(&app, &bureau, "/credit/loans?view=register").await;
    assert!(queue.html.contains("<h1>待备案</h1>"), "{}", queue.html);
    assert!(queue.html.contains(&format!("/credit/loans/{loan}\"")));
    let registered = submit(&app, &bureau, &loan_page, &actions, &[("step", "register")]).await;
    assert_redirect(
        &registered,
        &format!("/credit/loans/{loan}?done=loan_registered"),
    );

    // A repayment in 元 through the bank's form; a principal that is not an amount is refused
    // beside its field and records nothing.
    let repayments = format!("/credit/loans/{loan}/repayments");
    let bad = submit(
        &app,
        &bank,
        &loan_page,
        &repayments,
        &[
            ("paid_on", &today),
            ("principal", "1万"),
            ("interest", "3208"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains("id=\"f-repayment_principal-error\""),
        "{}",
        bad.html
    );
    let repaid = submit(
        &app,
        &bank,
        &loan_page,
        &repayments,
        &[
            ("paid_on", &today),
            ("principal", "10000"),
            ("interest", "3208.33"),
        ],
    )
    .await;
    assert_redirect(
        &repaid,
        &format!("/credit/loans/{loan}?done=repayment_recorded"),
    );
    let page = get(&app, &firm, &loan_page).await;
    assert_eq!(text_of(&page.html, "loan-outstanding"), "990,000.00");

    // Overdue, then defaulted, then the claim from the loan's page.
    for step in ["mark_overdue", "default"] {
        let done = submit(
            &app,
            &bank,
            &loan_page,
            &actions,
            &[("step", step), ("date", &today)],
        )
        .await;
        assert_redirect(&done, &loan_page);
    }
    let claimed = submit(
        &app,
        &bank,
        &loan_page,
        &format!("/credit/loans/{loan}/claims"),
        &[("note", "已电话及上门催收，企业停产")],
    )
    .await;
    assert_redirect(&claimed, "/credit/claims/");
    let claim = id_in(&claimed.location);
    let claim_page = format!("/credit/claims/{claim}");
    let page = get(&app, &bank, &claimed.location).await;
    assert!(page.html.contains("风险补偿申请已提交"), "{}", page.html);
    // 60 % of a guaranteed loan's 990,000 owed.
    assert_eq!(text_of(&page.html, "claim-amount"), "594,000.00");
    assert_eq!(
        get(&app, &rival, &claim_page).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &firm, "/credit/claims").await.status,
        StatusCode::FORBIDDEN
    );

    // The bureau approves the claim from its queue; paying it before the pool has a funder is
    // refused with the reason on the claim's page.
    let queue = get(&app, &bureau, "/credit/claims").await;
    assert!(
        queue
            .html
            .contains(&format!("id=\"approve-claim-{claim}\"")),
        "{}",
        queue.html
    );
    let claim_actions = format!("/credit/claims/{claim}/actions");
    let no_reason = submit(
        &app,
        &bureau,
        &claim_page,
        &claim_actions,
        &[("step", "reject"), ("reason", " ")],
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason
            .html
            .contains("id=\"f-reject_reason-error\">请说明驳回理由"),
        "{}",
        no_reason.html
    );
    let approved = submit(
        &app,
        &bureau,
        "/credit/claims",
        &claim_actions,
        &[("step", "approve")],
    )
    .await;
    assert_redirect(
        &approved,
        &format!("/credit/claims/{claim}?done=credit_claim_approved"),
    );
    let unfunded = submit(
        &app,
        &bureau,
        &claim_page,
        &claim_actions,
        &[("step", "pay")],
    )
    .await;
    assert_eq!(unfunded.status, StatusCode::CONFLICT);
    assert!(
        unfunded.html.contains("资金池还没有出资方"),
        "{}",
        unfunded.html
    );
    assert_eq!(text_of(&unfunded.html, "claim-status"), "已审核");

    // The bureau keeps the pool through its forms: two funders (one refused first for a ratio
    // that is not a number), and a contribution from each.
    let pool = "/credit/pool";
    assert_eq!(get(&app, &bank, pool).await.status, StatusCode::FORBIDDEN);
    let refused = submit(
        &app,
        &bureau,
        pool,
        "/credit/pool/funders",
        &[
            ("name", "湖南省财政厅"),
            ("level", "province"),
            ("ratio", "四"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-funder_ratio-error\">“四”不是整数"),
        "{}",
        refused.html
    );
    for (name, level, ratio) in [
        ("湖南省财政厅", "province", "4"),
        ("株洲市财政局", "city", "6"),
    ] {
        let added = submit(
            &app,
            &bureau,
            pool,
            "/credit/pool/funders",
            &[("name", name), ("level", level), ("ratio", ratio)],
        )
        .await;
        assert_redirect(&added, "/credit/pool?done=funder_added");
    }
    let (_, p) = app.admin(Method::GET, "/api/v1/credit/pool", None).await;
    let funder = |i: usize| {
        p["funders"][i]["id"]
            .as_i64()
            .expect("funder id")
            .to_string()
    };
    let (province, city) = (funder(0), funder(1));
    for (f, wan) in [(&province, "100"), (&city, "150")] {
        let done = submit(
            &app,
            &bureau,
            pool,
            "/credit/pool/contributions",
            &[("funder_id", f), ("amount", wan), ("memo", "")],
        )
        .await;
        assert_redirect(&done, "/credit/pool?done=contribution_recorded");
    }
    let page = get(&app, &bureau, pool).await;
    assert_eq!(text_of(&page.html, "pool-balance"), "2,500,000.00");
    assert_eq!(text_of(&page.html, "proof-sum"), "0.00");
    assert_eq!(text_of(&page.html, "proof-entries"), "4");
    assert!(page.html.contains("账目平衡"), "{}", page.html);
    // As of yesterday the pool was empty; a day that is not one is named beside the field.
    let yesterday = fruition_domain::date::IsoDate::parse(&today)
        .expect("today")
        .plus_days(-1)
        .to_string();
    let before = get(&app, &bureau, &format!("/credit/pool?as_of={yesterday}")).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(text_of(&before.html, "pool-as-of"), yesterday);
    assert_eq!(text_of(&before.html, "pool-balance"), "0.00");
    let bad_day = get(&app, &bureau, "/credit/pool?as_of=2025-13-40").await;
    assert_eq!(bad_day.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_day.html.contains("id=\"f-as_of-error\""),
        "{}",
        bad_day.html
    );

    // The bureau pays the claim from the pool, split 4 : 6.
    let paid = submit(
        &app,
        &bureau,
        &claim_page,
        &claim_actions,
        &[("step", "pay")],
    )
    .await;
    assert_redirect(
        &paid,
        &format!("/credit/claims/{claim}?done=credit_claim_paid"),
    );
    let page = get(&app, &bank, &claim_page).await;
    assert_eq!(text_of(&page.html, "claim-status"), "已补偿");
    assert_eq!(text_of(&page.html, "claim-paid-on"), today);
    let page = get(&app, &bureau, pool).await;
    assert_eq!(text_of(&page.html, "pool-balance"), "1,906,000.00");
    assert_eq!(text_of(&page.html, "pool-compensated"), "594,000.00");
    assert!(
        page.html.contains("<td class=\"num\">762,400.00</td>")
            && page.html.contains("<td class=\"num\">1,143,600.00</td>"),
        "the province's and the city's money after paying 237,600 and 356,400: {}",
        page.html
    );

    // The city's ratio changes from its row (a ratio of 0 is refused beside it).
    let ratio_path = format!("/credit/pool/funders/{city}");
    let zero = submit(
        &app,
        &bureau,
        pool,
        &ratio_path,
        &[("ratio", "0"), ("active", "true")],
    )
    .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        zero.html.contains(&format!(
            "id=\"f-funder_{city}_ratio-error\">出资比例应为 1 到 1000 的整数"
        )),
        "{}",
        zero.html
    );
    let changed = submit(
        &app,
        &bureau,
        pool,
        &ratio_path,
        &[("ratio", "5"), ("active", "true")],
    )
    .await;
    assert_redirect(&changed, "/credit/pool?done=funder_updated");
    let page = get(&app, &bureau, pool).await;
    assert!(
        page.html.contains(&format!(
            "id=\"f-funder_{city}_ratio\" name=\"ratio\" value=\"5\""
        )),
        "{}",
        page.html
    );

    // The bank records a recovery; the pool's 60 % of it goes back.
    let recovered = submit(
        &app,
        &bank,
        &claim_page,
        &format!("/credit/claims/{claim}/recoveries"),
        &[("recovered", "100000")],
    )
    .await;
    assert_redirect(
        &recovered,
        &format!("/credit/claims/{claim}?done=recovery_recorded"),
    );
    let page = get(&app, &bank, &claim_page).await;
    assert_eq!(text_of(&page.html, "claim-returned"), "60,000.00");

    // The default tripped the bank's breaker: the bank sees its own line, the bureau every bank,
    // and lifts it with a reason (too short a one is named beside the field).
    let risk = get(&app, &bank, "/credit/risk").await;
    assert_eq!(risk.status, StatusCode::OK);
    assert!(
        risk.html.contains("<span class=\"tag off\">熔断</span>"),
        "{}",
        risk.html
    );
    assert!(!risk.html.contains("/lift"), "{}", risk.html);
    assert_eq!(
        get(&app, &firm, "/credit/risk").await.status,
        StatusCode::FORBIDDEN
    );
    let lift = format!("/credit/risk/{bank_org}/lift");
    let short = submit(&app, &bureau, "/credit/risk", &lift, &[("reason", "好")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short
            .html
            .contains(&format!("id=\"f-lift_{bank_org}_reason-error\"")),
        "{}",
        short.html
    );
    let lifted = submit(
        &app,
        &bureau,
        "/credit/risk",
        &lift,
        &[("reason", "违约系单一企业停产所致，银行已完成整改")],
    )
    .await;
    assert_redirect(&lifted, "/credit/risk?done=breaker_lifted");

    // The policy: in 万元, 亿元 and percentages; a target that is not an amount is refused.
    let policy = "/credit/policy";
    assert_eq!(get(&app, &bank, policy).await.status, StatusCode::FORBIDDEN);
    let page = get(&app, &bureau, policy).await;
    assert_eq!(text_of(&page.html, "policy-target"), "30亿元");
    assert_eq!(text_of(&page.html, "policy-per-loan-cap"), "240万元");
    let mut terms = vec![
        ("credit_pct", "80"),
        ("guaranteed_pct", "60"),
        ("per_loan_cap", "240"),
        ("bank_year_cap", "2000"),
        ("warning", "5"),
        ("breaker", "8"),
        ("lpr", "3.1"),
        ("max_spread", "1.5"),
        ("max_term_months", "36"),
        ("target", "三十"),
    ];
    let bad = submit(&app, &bureau, policy, policy, &terms).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.html.contains("id=\"f-target-error\""), "{}", bad.html);
    terms[9] = ("target", "35");
    let saved = submit(&app, &bureau, policy, policy, &terms).await;
    assert_redirect(&saved, "/credit/policy?done=policy_saved");
    let page = get(&app, &bureau, policy).await;
    assert_eq!(text_of(&page.html, "policy-lpr"), "3.10%");
    assert_eq!(text_of(&page.html, "policy-target"), "35亿元");

    // The target counts the loan for everyone signed in.
    let target = get(&app, &base, "/credit/target").await;
    assert_eq!(target.status, StatusCode::OK);
    assert_eq!(text_of(&target.html, "target-issued"), "100万元");
    assert_eq!(text_of(&target.html, "target-loans"), "1");
    assert!(target.html.contains("<svg"), "charts are drawn");

    // Workbooks with the rows each may see.
    let loans = workbook(&app, &bank, "/credit/loans/export.xlsx?tab=all").await;
    assert_eq!(loans.headers[0], "贷款编号");
    assert_eq!(loans.rows.len(), 1);
    assert_eq!(loans.rows[0].cells[0], Cell::Text(code.clone()));
    let loans = workbook(&app, &rival, "/credit/loans/export.xlsx?tab=all").await;
    assert!(
        loans.rows.is_empty(),
        "another bank's loans are not its rows"
    );
    let loans = workbook(&app, &bureau, "/credit/loans/export.xlsx?status=defaulted").await;
    assert_eq!(loans.rows.len(), 1);
    let loans = workbook(&app, &bureau, "/credit/loans/export.xlsx?status=repaid").await;
    assert!(loans.rows.is_empty(), "the filter holds in the workbook");
    let claims = workbook(&app, &bank, "/credit/claims/export.xlsx").await;
    assert_eq!(claims.headers[0], "补偿申请号");
    assert_eq!(claims.rows.len(), 1);
    assert_eq!(claims.rows[0].cells[0], Cell::Number(claim as f64));
    assert_eq!(claims.rows[0].cells[6], Cell::Number(594_000.0));
    let claims = workbook(&app, &rival, "/credit/claims/export.xlsx").await;
    assert!(claims.rows.is_empty());
    assert_eq!(
        firm.get(app.url("/credit/claims/export.xlsx"))
            .send()
            .await
            .expect("export")
            .status(),
        StatusCode::FORBIDDEN
    );
    // Contributions (2 × 2 entries), the compensation (3) and the recovery (3).
    let ledger = workbook(&app, &bureau, "/credit/pool/ledger/export.xlsx").await;
    assert_eq!(ledger.headers[2], "记账日期");
    assert_eq!(ledger.rows.len(), 10);
    let list = get(&app, &bureau, "/credit/pool/ledger?offset=0").await;
    assert!(
        list.html
            .contains("href=\"/credit/pool/ledger/export.xlsx\""),
        "{}",
        list.html
    );
    let (_, p) = app.admin(Method::GET, "/api/v1/credit/pool", None).await;
    let province_pool = p["funders"][0]["pool_account_id"]
        .as_i64()
        .expect("account");
    let one = workbook(
        &app,
        &bureau,
        &format!("/credit/pool/ledger/export.xlsx?account={province_pool}"),
    )
    .await;
    assert_eq!(
        one.rows.len(),
        3,
        "the province's pool account: in, out, back"
    );
    assert_eq!(
        bank.get(app.url("/credit/pool/ledger/export.xlsx"))
            .send()
            .await
            .expect("export")
            .status(),
        StatusCode::FORBIDDEN
    );
}

on_both!(credit_pages);
