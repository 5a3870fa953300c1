//! Statistics and the annual report count approved reports only, by the carriers' state at a year's end.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both, test_uscc};

/// A carrier with one incubatee whose 2024 report is filed and, when `approve`, approved.
async fn carrier_with_report(
    app: &TestApp,
    tag: &str,
    zone: Option<&str>,
    county: &str,
    level: &str,
    employees: i64,
    approve: bool,
) -> (i64, i64) {
    let (operator, manager) = app
        .org_with_user("carrier_operator", &format!("op.{tag}"))
        .await;
    let body = json!({
        "name": format!("统计测试孵化器{tag}"), "kind": "incubator", "operator_org_id": operator,
        "county": county, "zone": zone, "established_year": 2015, "focus_chains": ["先进制造"]
    });
    let (status, carrier) = app
        .admin(Method::POST, "/api/v1/carriers", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{carrier}");
    let id = carrier["id"].as_i64().expect("id");
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("/api/v1/carriers/{id}/ratings"),
            Some(json!({"level": level, "year_granted": 2020, "granting_body": "科学技术部"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let n = tag.bytes().map(u64::from).sum::<u64>() * 7;
    let body = json!({"enterprise": {"uscc": test_uscc(n), "name": format!("统计测试企业{tag}"), "county": county, "chain": "先进制造"}, "carrier_id": id, "entered_on": "2023-05-01"});
    let (status, e) = app
        .call_with(&manager, Method::POST, "/api/v1/enterprises", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let enterprise = e["enterprise"]["id"].as_i64().expect("id");
    let (status, report) = app
        .call_with(
            &manager,
            Method::POST,
            &format!("/api/v1/carriers/{id}/reports"),
            Some(json!({"year": 2024})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let rid = report["id"].as_i64().expect("id");
    let (status, v) = app
        .call_with(
            &manager,
            Method::PUT,
            &format!("/api/v1/reports/{rid}/figures"),
            Some(json!({"staff": 5, "floor_area_m2": 3000})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let ind = json!({"enterprise_id": enterprise, "indicators": {"employees": employees, "high_level_talent": 2, "patent_applications": 4, "invention_applications": 1, "patent_grants": 2, "invention_grants": 1,
        "doctors": 0, "returnees": 0, "fresh_graduates": 0, "revenue_k": 5000, "rd_spending_k": 400, "taxes_k": 100, "funding_raised_k": 0, "valid_ip": 3, "software_copyrights": 0, "tech_contracts": 0, "tech_contract_amount_k": 0}});
    let (status, v) = app
        .call_with(
            &manager,
            Method::PUT,
            &format!("/api/v1/reports/{rid}/indicators"),
            Some(ind),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = app
        .call_with(
            &manager,
            Method::POST,
            &format!("/api/v1/reports/{rid}/submission"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    if approve {
        let (status, v) = app
            .admin(
                Method::POST,
                &format!("/api/v1/reports/{rid}/review"),
                Some(json!({"step": "approve"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    (id, rid)
}

/// The year's incubatees and employees on the dashboard for a query.
async fn year_figures(app: &TestApp, query: &str, year: i64) -> (i64, i64) {
    let (status, s) = app
        .admin(Method::GET, &format!("/api/v1/statistics?{query}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let row = s["trend"]
        .as_array()
        .expect("trend")
        .iter()
        .find(|t| t["year"] == year)
        .expect("the year")
        .clone();
    (
        row["incubatees"].as_i64().expect("incubatees"),
        row["employees"].as_i64().expect("employees"),
    )
}

fn count_of(list: &Value, name: &str) -> i64 {
    list.as_array()
        .expect("list")
        .iter()
        .find(|x| x["name"] == name)
        .and_then(|x| x["count"].as_i64())
        .unwrap_or(0)
}

async fn approved_reports_only(app: TestApp) {
    let (_, report_a) = carrier_with_report(
        &app,
        "a",
        Some("株洲国家高新区"),
        "天元区",
        "national",
        40,
        true,
    )
    .await;
    carrier_with_report(&app, "b", None, "醴陵市", "provincial", 25, true).await;
    carrier_with_report(&app, "c", None, "攸县", "municipal", 1000, false).await;

    let (status, s) = app
        .admin(Method::GET, "/api/v1/statistics?year=2024", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["carriers"], 3, "every carrier in the registry counts");
    let y2024 = s["trend"]
        .as_array()
        .expect("trend")
        .iter()
        .find(|t| t["year"] == 2024)
        .expect("2024")
        .clone();
    assert_eq!(
        y2024["incubatees"], 2,
        "the unapproved report does not count"
    );
    assert_eq!(y2024["employees"], 65);
    assert_eq!(
        count_of(&s["by_place"], "株洲国家高新区"),
        1,
        "the zone is a place of its own: {s}"
    );
    assert_eq!(count_of(&s["by_place"], "天元区"), 0);
    assert_eq!(count_of(&s["incubatees_by_chain"], "先进制造"), 2);
    // Filters narrow the carriers and their incubatees together.
    let (_, s) = app
        .admin(
            Method::GET,
            "/api/v1/statistics?year=2024&level=national",
            None,
        )
        .await;
    assert_eq!(s["carriers"], 1);
    assert_eq!(
        year_figures(&app, "year=2024&level=national", 2024).await,
        (1, 40)
    );
    let (_, s) = app
        .admin(
            Method::GET,
            "/api/v1/statistics?year=2024&place=430281",
            None,
        )
        .await;
    assert_eq!(s["carriers"], 1);
    assert_eq!(
        year_figures(&app, "year=2024&place=430281", 2024).await,
        (1, 25)
    );
    assert_eq!(
        year_figures(&app, "year=2024&kind=incubator", 2024).await,
        year_figures(&app, "year=2024", 2024).await,
        "every carrier here is an incubator"
    );
    // Levels as they stood: none was rated before 2020.
    let (_, s) = app
        .admin(Method::GET, "/api/v1/statistics?year=2019", None)
        .await;
    let unrated: i64 = s["by_kind"]
        .as_array()
        .expect("kinds")
        .iter()
        .map(|k| k["unrated"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(unrated, 3);

    // The annual report words what was counted.
    let (status, r) = app
        .admin(Method::GET, "/api/v1/annual-report?year=2024", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = r["text"].as_str().expect("text");
    assert!(
        text.contains("截至2024年底，株洲市共有各级双创孵化载体3家"),
        "{text}"
    );
    assert!(text.contains("国家级孵化器1家"), "{text}");
    assert!(text.contains("株洲国家高新区"), "{text}");
    assert!(text.contains("从业人员约65人"), "{text}");
    // A year without approved reports says so and names the years that have them (issue 11):
    // no "0家", no empty paragraph.
    let (status, r) = app
        .admin(Method::GET, "/api/v1/annual-report?year=2019", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = r["text"].as_str().expect("text");
    assert!(
        text.contains("2019年尚无审核通过的载体年度报表")
            && text.contains("已有审核通过报表的年份：2024年。"),
        "{text}"
    );
    assert!(!text.contains("共有各级双创孵化载体0家"), "{text}");
    assert!(!text.contains("\n    \n"), "no empty paragraph: {text:?}");
    // The pages show the same, with charts beside their tables.
    let browser = crate::pages::sign_in(&app, "admin", crate::support::ADMIN_PASSWORD).await;
    let html = browser
        .get(app.url("/statistics?year=2024"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("<svg") && html.contains("role=\"img\""),
        "charts drawn on the server"
    );
    assert!(
        html.contains("id=\"incubatees-total\">2<"),
        "the figure shows"
    );
    let html = browser
        .get(app.url("/annual-report?year=2024"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("截至2024年底"), "the report page");
    // An enterprise user sees the aggregates too, but no enterprise names.
    let (_, ent) = app.org_with_user("enterprise", "stats.reader").await;
    let (status, s) = app
        .call_with(&ent, Method::GET, "/api/v1/statistics?year=2024", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!s.to_string().contains("统计测试企业"));

    // A report taken back out of approval leaves the statistics at once, filtered or not.
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/reports/{report_a}/review"),
            Some(json!({"step": "reopen", "comment": "数据需核实"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(year_figures(&app, "year=2024", 2024).await, (1, 25));
    assert_eq!(
        year_figures(&app, "year=2024&level=national", 2024).await,
        (0, 0)
    );
}

on_both!(approved_reports_only);
