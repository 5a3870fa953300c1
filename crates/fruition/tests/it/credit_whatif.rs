//! The risk pool's what-if as the bureau uses it, through the API and the page: the defaults show
//! three years of the pool's balance, a worse default rate costs the pool more, the same seed
//! gives the same answer, too much work is refused on `runs` before it starts, only the bureau
//! runs it, and the page shows the form, the outlook with its chart, and a bad figure's problem in
//! Chinese beside its field.

use std::time::Instant;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::pages::sign_in;
use crate::registry_pages::{Answer, answer, get};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

const API: &str = "/api/v1/credit/what-if";
const PAGE: &str = "/credit/what-if";

async fn what_if(app: &TestApp, body: Value) -> (StatusCode, Value) {
    app.admin(Method::POST, API, Some(body)).await
}

fn fen(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not fen: {v}"))
}

async fn the_defaults_show_three_years_of_the_pool(app: TestApp) {
    let (status, o) = what_if(&app, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{o}");
    assert_eq!(
        (o["input"]["runs"].as_i64(), o["input"]["months"].as_i64()),
        (Some(1000), Some(36))
    );
    let months = o["balances"].as_array().expect("balances");
    assert_eq!(months.len(), 36);
    for (i, m) in months.iter().enumerate() {
        assert_eq!(m["month"].as_i64(), Some(i as i64 + 1));
        assert!(
            fen(&m["p5_fen"]) <= fen(&m["median_fen"]),
            "month {}: {m}",
            i + 1
        );
    }
    assert_eq!(o["end"], months[35]);
    // Money comes in fen and as yuan with separators.
    let end = fen(&o["end"]["median_fen"]);
    assert_eq!(
        o["end"]["median"].as_str(),
        Some(fruition_domain::money::yuan(end).as_str())
    );
    // The default assumptions cost the pool something; the funders' shares (2:4:4) add up to it.
    let paid = fen(&o["compensation_median_fen"]);
    assert!(paid > 0, "{o}");
    let funders = o["funders"].as_array().expect("funders");
    let labels: Vec<&str> = funders.iter().filter_map(|f| f["label"].as_str()).collect();
    assert_eq!(labels, ["省级财政", "市级财政", "区县财政"]);
    let shares: Vec<i64> = funders.iter().map(|f| fen(&f["share_fen"])).collect();
    assert_eq!(shares.iter().sum::<i64>(), paid);
    assert!((shares[1] - 2 * shares[0]).abs() <= 2, "{shares:?}");
    for pct in ["breaker_runs_pct", "short_runs_pct"] {
        let p = o[pct].as_f64().expect("percent");
        assert!((0.0..=100.0).contains(&p), "{pct} {p}");
    }
}

async fn a_worse_default_rate_costs_the_pool_more(app: TestApp) {
    let (status, base) = what_if(&app, json!({"runs": 200})).await;
    assert_eq!(status, StatusCode::OK, "{base}");
    // The scenario that was run comes back whole: send it again with four times the defaults.
    let mut worse = base["input"].clone();
    for g in worse["grades"].as_array_mut().expect("grades") {
        g["annual_default_bp"] = json!(fen(&g["annual_default_bp"]) * 4);
    }
    let (status, stressed) = what_if(&app, worse).await;
    assert_eq!(status, StatusCode::OK, "{stressed}");
    assert!(
        fen(&stressed["end"]["median_fen"]) < fen(&base["end"]["median_fen"]),
        "{} vs {}",
        stressed["end"],
        base["end"]
    );
    assert!(fen(&stressed["compensation_median_fen"]) > fen(&base["compensation_median_fen"]));
    assert!(
        stressed["breaker_runs_pct"].as_f64() >= base["breaker_runs_pct"].as_f64(),
        "{} vs {}",
        stressed["breaker_runs_pct"],
        base["breaker_runs_pct"]
    );
}

async fn the_same_seed_gives_the_same_answer(app: TestApp) {
    let body = json!({"runs": 150, "months": 24, "seed": 7});
    let (status, first) = what_if(&app, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (_, again) = what_if(&app, body).await;
    assert_eq!(first, again);
    let (_, other) = what_if(&app, json!({"runs": 150, "months": 24, "seed": 8})).await;
    assert_ne!(first["balances"], other["balances"]);
    assert_eq!(other["balances"].as_array().map(Vec::len), Some(24));
}

async fn too_much_work_is_refused_before_it_starts(app: TestApp) {
    // More runs than a what-if may ask for.
    let started = Instant::now();
    let (status, e) = what_if(&app, json!({"runs": 10_001})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "invalid_input");
    let runs = e["error"]["fields"]["runs"].as_str().expect("runs named");
    assert!(runs.contains("10000"), "{runs}");
    // Within every bound but too much together (10,000 runs × 120 months): refused on `runs` at
    // once, where the work would take minutes.
    let (status, e) = what_if(&app, json!({"runs": 10_000, "months": 120})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let runs = e["error"]["fields"]["runs"].as_str().expect("runs named");
    assert!(runs.contains("亿") && runs.contains("模拟次数"), "{runs}");
    assert!(
        started.elapsed().as_secs_f64() < 3.0,
        "refusals took {:?}",
        started.elapsed()
    );
    // Every field out of range is named, in Chinese by default.
    let (status, e) = what_if(
        &app,
        json!({
            "months": 0, "breaker_bp": 0, "opening_balance_fen": -1,
            "funders": [{"label": "市级财政", "ratio": 0}],
            "grades": [{"grade": "c", "loans_per_month": 10, "amount_fen": 1_200_000_000, "term_months": 12,
                        "annual_default_bp": 12_000, "recovery_pct": 30, "recovery_after_months": 6}]
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = &e["error"]["fields"];
    for f in [
        "months",
        "breaker_bp",
        "opening_balance_fen",
        "funders",
        "grades.c.annual_default_bp",
    ] {
        assert!(fields[f].is_string(), "{f} not named: {e}");
    }
    assert!(
        fields["grades.c.annual_default_bp"]
            .as_str()
            .is_some_and(|m| m.contains("C级年违约率")),
        "{e}"
    );
    // A field the what-if does not know is refused, named.
    let (status, e) = what_if(&app, json!({"run": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["error"]["fields"].to_string().contains("run"), "{e}");
}

async fn only_the_bureau_runs_it(app: TestApp) {
    let (_, enterprise) = app.org_with_user("enterprise", "cw.firm").await;
    let (_, bank) = app.org_with_user("bank", "cw.bank").await;
    for token in [&enterprise, &bank] {
        let (status, e) = app
            .call_with(token, Method::POST, API, Some(json!({"runs": 10})))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
        // Refused before the input is even looked at.
        let (status, _) = app
            .call_with(token, Method::POST, API, Some(json!({"runs": 99_999})))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = app.call_with("", Method::POST, API, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The page and its navigation entry are the bureau's too.
    let firm = sign_in(&app, "cw.firm", "cw.firm-secret-pw").await;
    let page = get(&app, &firm, PAGE).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let home = get(&app, &firm, "/").await;
    assert!(!home.html.contains("href=\"/credit/what-if\""));
}

/// Every input of the page's form with its value (`name="…" value="…"`), in order.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let form = &html[html.find("id=\"whatif-form\"").expect("the what-if form")..];
    form.split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let attr = |name: &str| {
                let marker = format!(" {name}=\"");
                let start = tag.find(&marker)? + marker.len();
                Some(tag[start..start + tag[start..].find('"')?].to_string())
            };
            Some((attr("name")?, attr("value")?))
        })
        .collect()
}

/// Posts the form as it is on `page`'s HTML, with `changes` made.
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    html: &str,
    changes: &[(&str, &str)],
) -> Answer {
    let mut fields = form_fields(html);
    for (name, value) in changes {
        let f = fields
            .iter_mut()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no field {name}"));
        f.1 = value.to_string();
    }
    let res = browser
        .post(app.url(PAGE))
        .form(&fields)
        .send()
        .await
        .expect("post");
    answer(res).await
}

async fn the_page_shows_the_outlook_and_problems_in_chinese(app: TestApp) {
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let home = get(&app, &admin, "/").await;
    assert!(
        home.html.contains("href=\"/credit/loans\">信用贷款</a>"),
        "{}",
        home.html
    );
    // The credit pages lead the bureau to its what-if.
    let loans = get(&app, &admin, "/credit/loans").await;
    assert!(
        loans.html.contains("href=\"/credit/what-if\""),
        "{}",
        loans.html
    );

    // The form, filled with the defaults (money in 万元, rates in percent), and no outlook yet.
    let form = get(&app, &admin, PAGE).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(form.html.contains("风险补偿资金池压力测算"));
    assert!(!form.html.contains("id=\"whatif-results\""));
    let fields = form_fields(&form.html);
    let value = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    assert_eq!(value("opening_balance"), "10000");
    assert_eq!(value("breaker_pct"), "8");
    assert_eq!(value("grades.a.annual_default_pct"), "0.75");
    assert_eq!(value("funders.0.label"), "省级财政");
    assert_eq!(value("runs"), "1000");

    // Run it (fewer runs): the outlook with its chart, the years' ends and the funders' shares.
    let done = post_form(&app, &admin, &form.html, &[("runs", "100")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.html);
    for text in [
        "id=\"whatif-results\"",
        "100 次模拟，36 个月，随机种子 2026。",
        "<svg",
        "资金池余额（按月）",
        "第 12 个月末",
        "第 36 个月末",
        "区县财政",
        "触发熔断的模拟占比",
    ] {
        assert!(done.html.contains(text), "{text} missing: {}", done.html);
    }
    let chart = &done.html[done.html.find("id=\"whatif-chart\"").expect("chart")..];
    assert!(chart.contains("<svg") && chart.contains("中位数") && chart.contains("第 5 百分位"));
    // What was typed stays in the form.
    assert!(form_fields(&done.html).contains(&("runs".to_string(), "100".to_string())));

    // Bad figures come back beside their fields, in Chinese, with what was typed.
    let bad = post_form(
        &app,
        &admin,
        &form.html,
        &[
            ("runs", "20000"),
            ("grades.c.annual_default_pct", "150"),
            ("opening_balance", "很多"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    for text in [
        "模拟次数应为 1 到 10000 次",
        "C级年违约率应在 0% 到 100% 之间",
        "“很多”不是数字",
        "id=\"f-runs-error\"",
        "id=\"f-grades.c.annual_default_pct-error\"",
        "href=\"#f-opening_balance\"",
    ] {
        assert!(bad.html.contains(text), "{text} missing: {}", bad.html);
    }
    assert!(!bad.html.contains("id=\"whatif-results\""));
    assert!(form_fields(&bad.html).contains(&("runs".to_string(), "20000".to_string())));

    // A form without its token is not run.
    let res = admin
        .post(app.url(PAGE))
        .form(&[("runs", "100")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

on_both!(
    the_defaults_show_three_years_of_the_pool,
    a_worse_default_rate_costs_the_pool_more,
    the_same_seed_gives_the_same_answer,
    too_much_work_is_refused_before_it_starts,
    only_the_bureau_runs_it,
    the_page_shows_the_outlook_and_problems_in_chinese,
);
