//! Need-collection campaigns through the API: the bureau opens one and every carrier operator is
//! told; a carrier records the incubatees it asked and collects their needs, which are published
//! market needs under the firm's own organisation (or the carrier's when the firm has none);
//! a deal on one counts as matched; each carrier's coverage as the bureau and the carrier see
//! it; closing stops collection; bad input names its field; the audit log keeps every change.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both, test_uscc};

/// A carrier operator with its user's token and one carrier; returns (operator, token, carrier).
pub async fn carrier(app: &TestApp, login: &str, name: &str) -> (i64, String, i64) {
    let (operator, token) = app.org_with_user("carrier_operator", login).await;
    let c = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/carriers",
            Some(json!({
                "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
                "established_year": 2015, "floor_area_m2": 10000
            })),
            StatusCode::CREATED,
        )
        .await;
    (operator, token, c["id"].as_i64().expect("carrier id"))
}

/// An enterprise incubated at `carrier` since `entered_on`; with `org` its own organisation
/// (matched by the code). Returns the registry id.
pub async fn incubatee(
    app: &TestApp,
    carrier: i64,
    uscc: &str,
    name: &str,
    entered_on: &str,
) -> i64 {
    let e = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/enterprises",
            Some(json!({
                "enterprise": {"uscc": uscc, "name": name, "county": "天元区", "chain": "轨道交通"},
                "carrier_id": carrier, "entered_on": entered_on
            })),
            StatusCode::CREATED,
        )
        .await;
    e["enterprise"]["id"].as_i64().expect("enterprise id")
}

/// An enterprise organisation with a user, incubated at `carrier`: (org, token, registry id).
pub async fn firm_with_org(app: &TestApp, carrier: i64, login: &str) -> (i64, String, i64) {
    let (org, token) = app.org_with_user("enterprise", login).await;
    let (_, o) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{org}"), None)
        .await;
    let id = incubatee(
        app,
        carrier,
        o["uscc"].as_str().expect("uscc"),
        o["name"].as_str().expect("name"),
        "2024-01-10",
    )
    .await;
    (org, token, id)
}

fn days_from_today(n: i64) -> String {
    fruition_domain::date::IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(n)
        .to_string()
}

/// A need of an industrial chain; its technical field the chain's (轨道交通 → 现代交通).
fn need(title: &str, chain: &str) -> Value {
    let field = match chain {
        "轨道交通" => "现代交通",
        other => other,
    };
    json!({
        "kind": "need", "title": title,
        "summary": "企业希望解决牵引变流器功率模块散热问题，提升长期运行可靠性",
        "field": field, "chain": chain, "trl": 6, "modes": ["commissioned"],
        "deadline": days_from_today(90), "indicators": "结温降低10℃以上"
    })
}

fn fields_of(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

async fn a_campaign_from_opening_to_coverage(app: TestApp) {
    let (operator_a, a, carrier_a) = carrier(&app, "camp.a", "征集甲孵化器").await;
    let (_, b, carrier_b) = carrier(&app, "camp.b", "征集乙孵化器").await;
    let (firm_org, firm, e1) = firm_with_org(&app, carrier_a, "camp.firm").await;
    let e2 = incubatee(
        &app,
        carrier_a,
        &test_uscc(880_001),
        "株洲征集无账号企业",
        "2023-05-01",
    )
    .await;
    let e3 = incubatee(
        &app,
        carrier_b,
        &test_uscc(880_002),
        "株洲乙方在孵企业",
        "2024-02-01",
    )
    .await;

    // Bad input names its fields; nothing is written.
    let bad = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/campaigns",
            Some(json!({"title": " ", "deadline": "2020-01-01", "opens_on": "2020-02-01", "chains": ["不存在的链"]})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for f in ["title", "deadline", "chains"] {
        assert!(fields_of(&bad).iter().any(|g| g == f), "{f} in {bad}");
    }
    // Only the bureau opens; an enterprise does not even see campaigns.
    app.expect(
        &a,
        Method::POST,
        "/campaigns",
        Some(json!({"title": "载体自开", "deadline": days_from_today(5)})),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &firm,
        Method::GET,
        "/campaigns",
        None,
        StatusCode::FORBIDDEN,
    )
    .await;

    let c = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/campaigns",
            Some(json!({
                "title": "2026年轨道交通在孵企业技术需求征集", "theme": "走访在孵企业，挖掘关键零部件技术需求",
                "deadline": days_from_today(30), "chains": ["轨道交通"]
            })),
            StatusCode::CREATED,
        )
        .await;
    let id = c["id"].as_i64().expect("id");
    assert_eq!(c["status"], "open");
    assert_eq!(c["takes_needs"], true);
    assert_eq!(c["chains"][0]["name"], "轨道交通");
    // Every carrier operator is told.
    for token in [&a, &b] {
        let inbox = app
            .expect(token, Method::GET, "/me/inbox", None, StatusCode::OK)
            .await;
        let told = inbox.as_array().expect("inbox").iter().any(|m| {
            m["title"]
                .as_str()
                .is_some_and(|t| t.contains("2026年轨道交通在孵企业技术需求征集"))
        });
        assert!(told, "{inbox}");
    }

    // Carrier A asks a firm that has no need.
    let k = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/contacts"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e2, "outcome": "no_need", "note": "今年暂无外部技术需求"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(k["outcome_label"], "暂无需求");
    // Another carrier's incubatee is not A's to ask, and B's carrier is not A's to act for.
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/contacts"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e3, "outcome": "no_need"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(fields_of(&e), vec!["enterprise_id"]);
    app.expect(
        &a,
        Method::POST,
        &format!("/campaigns/{id}/contacts"),
        Some(json!({"carrier_id": carrier_b, "enterprise_id": e3, "outcome": "no_need"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    // A need outside the campaign's chains is refused naming the chain.
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/needs"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e1, "need": need("高性能陶瓷粉体", "新材料")})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        e["error"]["fields"]["chain"]
            .as_str()
            .is_some_and(|m| m.contains("轨道交通")),
        "{e}"
    );

    // Collected needs are published market needs: under the firm's organisation when it has
    // one, else under the carrier's operator.
    let n1 = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/needs"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e1, "need": need("牵引变流器功率模块散热改进", "轨道交通")})),
            StatusCode::CREATED,
        )
        .await;
    let n2 = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/needs"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e2, "need": need("车体铝型材焊接变形控制", "轨道交通")})),
            StatusCode::CREATED,
        )
        .await;
    let l1 = app
        .expect(
            "",
            Method::GET,
            &format!("/listings/{}", n1["listing_id"]),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(l1["status"], "published", "{l1}");
    assert_eq!(l1["org_id"].as_i64(), Some(firm_org));
    let l2 = app
        .expect(
            "",
            Method::GET,
            &format!("/listings/{}", n2["listing_id"]),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(l2["org_id"].as_i64(), Some(operator_a));
    // The market finds it.
    let found = app
        .expect(
            "",
            Method::GET,
            "/listings?q=%E5%8A%9F%E7%8E%87%E6%A8%A1%E5%9D%97%E6%95%A3%E7%83%AD&kind=need",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        found.to_string().contains("牵引变流器功率模块散热改进"),
        "{found}"
    );

    // Someone answers the first need: it counts as matched.
    let (_, solver, _) = {
        let (org, token) = app.org_with_user("institution", "camp.solver").await;
        (org, token, 0)
    };
    app.expect(
        &solver,
        Method::POST,
        "/deals",
        Some(json!({"listing_id": n1["listing_id"], "message": "我院有功率模块液冷散热成果，可合作开发"})),
        StatusCode::CREATED,
    )
    .await;

    let d = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/campaigns/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    let row = |d: &Value, carrier: i64| -> Value {
        d["carriers"]
            .as_array()
            .expect("carriers")
            .iter()
            .find(|r| r["carrier_id"].as_i64() == Some(carrier))
            .map(|r| r["coverage"].clone())
            .unwrap_or(Value::Null)
    };
    let ra = row(&d, carrier_a);
    assert_eq!(
        (
            ra["incubatees"].as_i64(),
            ra["asked"].as_i64(),
            ra["needs"].as_i64(),
            ra["matched"].as_i64(),
            ra["deals"].as_i64()
        ),
        (Some(2), Some(2), Some(2), Some(1), Some(0)),
        "{d}"
    );
    assert_eq!(ra["asked_percent"], 100);
    let rb = row(&d, carrier_b);
    assert_eq!(
        (rb["incubatees"].as_i64(), rb["asked"].as_i64()),
        (Some(1), Some(0)),
        "{d}"
    );
    assert!(d["total"]["needs"].as_i64() >= Some(2));
    // The firm asked with no need, then collected, stays "need collected".
    let e2_contact = d["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .find(|k| k["enterprise_id"].as_i64() == Some(e2))
        .cloned()
        .expect("e2 asked");
    assert_eq!(e2_contact["outcome"], "need_collected");

    // A carrier sees only its own rows.
    let mine = app
        .expect(
            &b,
            Method::GET,
            &format!("/campaigns/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    let carriers: Vec<i64> = mine["carriers"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["carrier_id"].as_i64())
        .collect();
    assert_eq!(carriers, vec![carrier_b]);
    assert!(mine["needs"].as_array().expect("needs").is_empty());

    // Closed: no more needs, and closing twice is a conflict.
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/campaigns/{id}/closure"),
        None,
        StatusCode::OK,
    )
    .await;
    let e = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/campaigns/{id}/closure"),
            None,
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields_of(&e), vec!["status"]);
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/campaigns/{id}/needs"),
            Some(json!({"carrier_id": carrier_a, "enterprise_id": e1, "need": need("闭幕后的需求", "轨道交通")})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields_of(&e), vec!["status"]);

    // The audit log keeps who opened and closed it, and each firm asked.
    let log = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/audit-entries?entity=need_campaign&entity_id={id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");
    let asked = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/audit-entries?entity=campaign_contact",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        asked
            .as_array()
            .is_some_and(|v| v.iter().any(|x| x["actor_login"] == "camp.a")),
        "{asked}"
    );
}

on_both!(a_campaign_from_opening_to_coverage);
