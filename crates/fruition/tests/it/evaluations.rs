//! The bureau's evaluation of carriers through the API: a round computed from the approved
//! reports ranks the carriers as the scheme says (each kind against its own best); an adjustment
//! needs a reason and is audited; a published round is frozen; a carrier reads its own result
//! only, and is told in its inbox when the round is published; the workbook has every row.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::campaigns::{carrier, incubatee};
use crate::support::{TestApp, on_both, test_uscc};

/// One incubatee's figures with the funding raised and patents granted given.
fn figures(enterprise: i64, funding_k: i64, patents: i64) -> Value {
    json!({"enterprise_id": enterprise, "indicators": {
        "employees": 10, "doctors": 1, "returnees": 0, "fresh_graduates": 1, "high_level_talent": 0,
        "revenue_k": 1000, "rd_spending_k": 100, "taxes_k": 50, "funding_raised_k": funding_k,
        "patent_applications": patents, "invention_applications": 0, "patent_grants": patents, "invention_grants": 0,
        "valid_ip": patents, "software_copyrights": 0, "tech_contracts": 0, "tech_contract_amount_k": 0
    }})
}

/// A carrier's 2024 report filed with the carrier figures and its incubatees' (funding, patents),
/// then approved by the bureau.
async fn approved_report(
    app: &TestApp,
    manager: &str,
    carrier: i64,
    carrier_figures: Value,
    incubatees: &[(i64, i64, i64)],
) -> i64 {
    let report = app
        .expect(
            manager,
            Method::POST,
            &format!("/carriers/{carrier}/reports"),
            Some(json!({"year": 2024})),
            StatusCode::OK,
        )
        .await["id"]
        .as_i64()
        .expect("report id");
    app.expect(
        manager,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(carrier_figures),
        StatusCode::OK,
    )
    .await;
    for &(e, funding, patents) in incubatees {
        app.expect(
            manager,
            Method::PUT,
            &format!("/reports/{report}/indicators"),
            Some(figures(e, funding, patents)),
            StatusCode::OK,
        )
        .await;
    }
    app.expect(
        manager,
        Method::POST,
        &format!("/reports/{report}/submission"),
        None,
        StatusCode::OK,
    )
    .await;
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/reports/{report}/review"),
        Some(json!({"action": "approve"})),
        StatusCode::OK,
    )
    .await;
    report
}

pub struct Fixture {
    pub round: i64,
    /// (operator manager's token, carrier id) of 甲 (the best incubator), 乙 (an incubator at
    /// about a third of 甲) and 丙 (the only maker space).
    pub a: (String, i64),
    pub b: (String, i64),
    pub m: (String, i64),
}

/// Three carriers with approved 2024 reports and a draft round of 2024.
pub async fn fixture(app: &TestApp) -> Fixture {
    let (_, a, carrier_a) = carrier(app, "eval.a", "评价甲孵化器").await;
    let (_, b, carrier_b) = carrier(app, "eval.b", "评价乙孵化器").await;
    let (operator_m, m) = app.org_with_user("carrier_operator", "eval.m").await;
    let carrier_m = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/carriers",
            Some(json!({
                "name": "评价丙众创空间", "kind": "maker_space", "operator_org_id": operator_m, "county": "芦淞区",
                "established_year": 2018, "floor_area_m2": 1500
            })),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("carrier id");
    let e = |n: u64, c: i64, name: &'static str| async move {
        incubatee(app, c, &test_uscc(720_000 + n), name, "2023-03-01").await
    };
    let a1 = e(1, carrier_a, "评价甲一号科技有限公司").await;
    let a2 = e(2, carrier_a, "评价甲二号科技有限公司").await;
    let b1 = e(3, carrier_b, "评价乙一号科技有限公司").await;
    let m1 = e(4, carrier_m, "评价丙一号科技有限公司").await;
    approved_report(
        app,
        &a,
        carrier_a,
        json!({"staff": 10, "mentors": 6, "events_held": 12, "graduated_in_year": 3, "floor_area_m2": 10000}),
        &[(a1, 500, 4), (a2, 0, 2)],
    )
    .await;
    approved_report(
        app,
        &b,
        carrier_b,
        json!({"staff": 5, "mentors": 3, "events_held": 6, "graduated_in_year": 1, "floor_area_m2": 8000}),
        &[(b1, 0, 1)],
    )
    .await;
    approved_report(
        app,
        &m,
        carrier_m,
        json!({"staff": 2, "mentors": 1, "events_held": 4, "graduated_in_year": 0, "floor_area_m2": 1500}),
        &[(m1, 100, 0)],
    )
    .await;
    let round = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/evaluations",
            Some(json!({"year": 2024})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(round["status"], "draft");
    assert_eq!(round["name"], "2024年度双创孵化载体绩效评价");
    Fixture {
        round: round["id"].as_i64().expect("round id"),
        a: (a, carrier_a),
        b: (b, carrier_b),
        m: (m, carrier_m),
    }
}

fn names(results: &Value) -> Vec<String> {
    results
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["carrier_name"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn a_round_ranks_adjusts_publishes_and_freezes(app: TestApp) {
    let f = fixture(&app).await;
    let r = f.round;
    // Nobody but the bureau reads a round before it is published, nor computes one.
    app.expect(
        &f.a.0,
        Method::GET,
        &format!("/evaluations/{r}"),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &f.a.0,
        Method::POST,
        &format!("/evaluations/{r}/compute"),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    // Weights must sum to 100.
    let bad = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/evaluations",
            Some(json!({"year": 2024, "weights": [{"indicator": "mentors", "weight": 60}]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(bad["error"]["fields"].get("weights").is_some(), "{bad}");
    // A draft cannot be published.
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/evaluations/{r}/publish"),
        None,
        StatusCode::CONFLICT,
    )
    .await;

    let d = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/evaluations/{r}/compute"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["round"]["status"], "computed");
    assert_eq!(d["round"]["carriers"], 3);
    let results = &d["results"];
    // 甲 is the best incubator (100); 丙, the only maker space, is its own best except where it
    // has nothing (patents 20, graduates 15): 65; 乙 is measured against 甲: 33.32.
    assert_eq!(
        names(results),
        vec!["评价甲孵化器", "评价丙众创空间", "评价乙孵化器"]
    );
    assert_eq!(results[0]["final_score"], "100.00");
    assert_eq!(results[0]["grade"], "a");
    assert_eq!(results[1]["final_score"], "65.00");
    assert_eq!(results[1]["grade"], "b");
    assert_eq!(results[2]["final_score"], "33.32");
    assert_eq!(results[2]["grade"], "d");
    assert_eq!(results[2]["rank"], 3);

    // 乙's working, line by line.
    let w = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/evaluations/{r}/results/{}", f.b.1),
            None,
            StatusCode::OK,
        )
        .await;
    let line = |key: &str| {
        w["working"]
            .as_array()
            .expect("working")
            .iter()
            .find(|l| l["indicator"] == key)
            .cloned()
            .expect("line")
    };
    let staff = line("service_staff");
    assert_eq!(
        (staff["raw"].as_i64(), staff["best"].as_i64()),
        (Some(5), Some(10))
    );
    assert_eq!(staff["score"], "50.00");
    assert_eq!(staff["points"], "5.00");
    let share = line("financed_share");
    assert_eq!(
        (share["raw"].as_i64(), share["best"].as_i64()),
        (Some(0), Some(500))
    );
    assert_eq!(line("patents")["best"], 6);

    // An adjustment needs a reason and stays within ±10.
    let bad = app
        .expect(
            &app.admin_token,
            Method::PUT,
            &format!("/evaluations/{r}/results/{}", f.b.1),
            Some(json!({"points": 15, "reason": " "})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for field in ["points", "reason"] {
        assert!(bad["error"]["fields"].get(field).is_some(), "{bad}");
    }
    app.expect(
        &f.b.0,
        Method::PUT,
        &format!("/evaluations/{r}/results/{}", f.b.1),
        Some(json!({"points": 5, "reason": "自评加分"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let reason = "现场核查：创业导师服务台账完整，年内组织路演对接成效突出";
    let adjusted = app
        .expect(
            &app.admin_token,
            Method::PUT,
            &format!("/evaluations/{r}/results/{}", f.b.1),
            Some(json!({"points": 8, "reason": reason})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(adjusted["result"]["final_score"], "41.32");
    assert_eq!(adjusted["result"]["grade"], "c");
    assert_eq!(adjusted["result"]["adjustment_reason"], reason);
    // Audited with the result before and after.
    let audit = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/audit-entries?entity=evaluation_results",
            None,
            StatusCode::OK,
        )
        .await;
    let entry = audit
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["after"]["adjustment_reason"] == reason)
        .cloned()
        .unwrap_or_else(|| panic!("audited: {audit}"));
    assert_eq!(entry["before"]["final_centi"], 3332);
    assert_eq!(entry["after"]["final_centi"], 4132);

    // Recomputing keeps the adjustment.
    let again = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/evaluations/{r}/compute"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(again["results"][2]["final_score"], "41.32");

    // Published: the operators are told, and the round is frozen.
    let published = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/evaluations/{r}/publish"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(published["status"], "published");
    for token in [&f.a.0, &f.b.0, &f.m.0] {
        let inbox = app
            .expect(token, Method::GET, "/me/inbox", None, StatusCode::OK)
            .await;
        let told = inbox.as_array().expect("inbox").iter().any(|m| {
            m["kind"] == "evaluation"
                && m["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("2024年度双创孵化载体绩效评价"))
        });
        assert!(told, "{inbox}");
    }
    for (method, path, body) in [
        (Method::POST, format!("/evaluations/{r}/compute"), None),
        (Method::POST, format!("/evaluations/{r}/publish"), None),
        (
            Method::PUT,
            format!("/evaluations/{r}/results/{}", f.a.1),
            Some(json!({"points": -3, "reason": "发布后再调整"})),
        ),
    ] {
        app.expect(&app.admin_token, method, &path, body, StatusCode::CONFLICT)
            .await;
    }

    // A carrier reads its own result with the working, and nobody else's.
    let own = app
        .expect(
            &f.b.0,
            Method::GET,
            &format!("/evaluations/{r}/results/{}", f.b.1),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(own["result"]["final_score"], "41.32");
    assert_eq!(own["working"].as_array().map(Vec::len), Some(7));
    app.expect(
        &f.b.0,
        Method::GET,
        &format!("/evaluations/{r}/results/{}", f.a.1),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    let table = app
        .expect(
            &f.b.0,
            Method::GET,
            &format!("/evaluations/{r}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(names(&table["results"]), vec!["评价乙孵化器"]);
    assert_eq!(
        table["results"][0]["rank"], 3,
        "its rank in the whole round"
    );
    let history = app
        .expect(
            &f.b.0,
            Method::GET,
            &format!("/carriers/{}/evaluations", f.b.1),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(history[0]["year"], 2024);
    assert_eq!(history[0]["grade"], "c");
    app.expect(
        &f.b.0,
        Method::GET,
        &format!("/carriers/{}/evaluations", f.a.1),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    // An enterprise reads none.
    let (_, firm) = app.org_with_user("enterprise", "eval.firm").await;
    app.expect(
        &firm,
        Method::GET,
        "/evaluations",
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    // The bureau's viewer reads the published round whole.
    let (_, me) = app.admin(Method::GET, "/api/v1/me", None).await;
    let bureau = me["organisation"]["id"].as_i64().expect("bureau");
    let (_, created) = app
        .admin(
            Method::POST,
            &format!("/api/v1/organisations/{bureau}/users"),
            Some(json!({"login": "eval.viewer", "display_name": "评价查阅", "role": "viewer"})),
        )
        .await;
    let viewer = app
        .ready_token(
            "eval.viewer",
            created["one_time_password"].as_str().expect("password"),
        )
        .await;
    let whole = app
        .expect(
            &viewer,
            Method::GET,
            &format!("/evaluations/{r}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(whole["results"].as_array().map(Vec::len), Some(3));
    assert_eq!(whole["can_manage"], false);

    // The workbook has a row per carrier.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/evaluations/{r}/results.xlsx")))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.expect("bytes");
    let table = fruition_sheets::read_table(&bytes, "results.xlsx").expect("workbook");
    assert_eq!(table.rows.len(), 3, "a row per carrier");
    assert!(
        table.headers.iter().any(|h| h == "调整理由"),
        "{:?}",
        table.headers
    );
}
on_both!(a_round_ranks_adjusts_publishes_and_freezes);
