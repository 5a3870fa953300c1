//! Deals in the market: intent on a listing, private messages, terms proposed and accepted, a
//! technology contract registered by the bureau's registrar, fulfilled or terminated, and the
//! statistics of registered contracts by year, field and carrier.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::registry_pages::{get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

/// The technical field of the chains these tests use (their default mapping).
fn field_of(chain: &str) -> &'static str {
    match chain {
        "轨道交通" | "rail_transit" => "modern_transport",
        "新材料" | "new_materials" => "new_materials",
        other => panic!("no field for {other}"),
    }
}

/// An achievement tagged with an industrial chain, its technical field the chain's.
fn achievement(title: &str, chain: &str) -> Value {
    json!({
        "kind": "achievement", "title": title,
        "summary": "面向轨道交通牵引系统的碳化硅功率模块与牵引变流器集成技术，已完成装车试验。",
        "field": field_of(chain), "chain": chain, "trl": 7, "price_k": 3000, "modes": ["licence"]
    })
}

fn need(title: &str, field: &str) -> Value {
    json!({
        "kind": "need", "title": title, "summary": "寻求硬质合金刀具涂层技术，提高数控刀片寿命。",
        "field": field, "trl": 6, "price_k": 500, "modes": ["commissioned"],
        "deadline": "2099-12-31", "indicators": "刀具寿命提高一倍以上"
    })
}

fn terms(kind: &str, contract_k: i64, tech_k: i64) -> Value {
    json!({
        "contract_type": kind, "contract_amount_k": contract_k, "tech_amount_k": tech_k,
        "starts_on": "2025-01-01", "ends_on": "2026-12-31"
    })
}

/// A published listing of the owner's; returns its id.
async fn published(app: &TestApp, owner: &str, body: Value) -> i64 {
    let id = app
        .expect(
            owner,
            Method::POST,
            "/listings",
            Some(body),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("listing id");
    app.expect(
        owner,
        Method::POST,
        &format!("/listings/{id}/actions"),
        Some(json!({"step": "publish"})),
        StatusCode::OK,
    )
    .await;
    id
}

/// A carrier operated by a new operator, and the enterprise of `org_id` (by its code) entered
/// there; returns the carrier's id.
async fn incubate(app: &TestApp, org_id: i64, carrier_name: &str, operator_login: &str) -> i64 {
    let (operator, _) = app.org_with_user("carrier_operator", operator_login).await;
    crate::support::incubate_at(app, operator, org_id, carrier_name, "incubator").await
}

/// Opens a deal by `initiator` on `listing`; returns its id.
async fn intent(app: &TestApp, initiator: &str, listing: i64) -> i64 {
    app.expect(
        initiator,
        Method::POST,
        "/deals",
        Some(json!({"listing_id": listing, "message": "我方对该项目很感兴趣，希望进一步洽谈。"})),
        StatusCode::CREATED,
    )
    .await["deal"]["id"]
        .as_i64()
        .expect("deal id")
}

/// `proposer` proposes, `acceptor` accepts: the deal is agreed. Returns the terms' id.
async fn agree(app: &TestApp, deal: i64, proposer: &str, acceptor: &str, t: Value) -> i64 {
    let d = app
        .expect(
            proposer,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(t),
            StatusCode::OK,
        )
        .await;
    let terms_id = d["deal"]["terms_id"].as_i64().expect("terms id");
    let d = app
        .expect(
            acceptor,
            Method::POST,
            &format!("/deals/{deal}/acceptance"),
            Some(json!({"terms_id": terms_id})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["deal"]["status"], "agreed", "{d}");
    terms_id
}

async fn register(app: &TestApp, deal: i64, on: Option<&str>) -> Value {
    let body = match on {
        Some(d) => json!({"registered_on": d}),
        None => json!({}),
    };
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/deals/{deal}/registration"),
        Some(body),
        StatusCode::OK,
    )
    .await
}

fn this_year() -> i64 {
    fruition_app::clock::this_year()
}

async fn from_intent_to_a_fulfilled_contract(app: TestApp) {
    let (uni_org, uni) = app.org_with_user("institution", "deal.uni").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "deal.firm").await;
    let (_, third) = app.org_with_user("enterprise", "deal.third").await;
    let (_, bank) = app.org_with_user("bank", "deal.bank").await;
    let carrier = incubate(&app, firm_org, "洽谈测试孵化器", "deal.carrier").await;
    let listing = published(&app, &uni, achievement("碳化硅牵引变流器技术", "轨道交通")).await;

    // Nobody declares intent on their own listing; a bank does not trade technology here.
    let (status, e) = app
        .call_with(
            &uni,
            Method::POST,
            "/api/v1/deals",
            Some(json!({"listing_id": listing, "message": "自己的"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "own listing: {e}");
    let (status, _) = app
        .call_with(
            &bank,
            Method::POST,
            "/api/v1/deals",
            Some(json!({"listing_id": listing, "message": "银行"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a bank");
    // A first message is required, and bounded.
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/deals",
            Some(json!({"listing_id": listing, "message": "  "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["error"]["fields"]["message"].is_string(), "{e}");
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/deals",
            Some(json!({"listing_id": listing, "message": "字".repeat(2001)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("2000"), "{e}");

    let d = app
        .expect(
            &firm,
            Method::POST,
            "/deals",
            Some(json!({"listing_id": listing, "message": "我方希望获得该技术的许可。"})),
            StatusCode::CREATED,
        )
        .await;
    let deal = d["deal"]["id"].as_i64().expect("deal id");
    assert_eq!(d["deal"]["status"], "negotiating");
    assert_eq!(
        d["deal"]["seller_org_id"], uni_org,
        "the achievement's owner sells"
    );
    assert_eq!(d["deal"]["buyer_org_id"], firm_org);
    assert_eq!(d["messages"][0]["body"], "我方希望获得该技术的许可。");
    // One open deal per listing and initiating organisation.
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/deals",
            Some(json!({"listing_id": listing, "message": "再来一次"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    assert!(e.to_string().contains(&format!("#{deal}")), "{e}");

    // Only the two organisations and the bureau read it; another organisation finds nothing.
    let path = format!("/api/v1/deals/{deal}");
    for (token, expected) in [
        (&uni, StatusCode::OK),
        (&firm, StatusCode::OK),
        (&app.admin_token, StatusCode::OK),
        (&third, StatusCode::NOT_FOUND),
        (&bank, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            app.call_with(token, Method::GET, &path, None).await.0,
            expected
        );
    }
    let (status, _) = app
        .call_with(
            &third,
            Method::POST,
            &format!("{path}/messages"),
            Some(json!({"message": "我也想看看"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a third party cannot post");
    let (_, listed) = app
        .call_with(&third, Method::GET, "/api/v1/deals", None)
        .await;
    assert_eq!(listed, json!([]), "nor list it");
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("{path}/messages"),
            Some(json!({"message": "科技局留言"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the bureau does not post");

    let m = app
        .expect(
            &uni,
            Method::POST,
            &format!("/deals/{deal}/messages"),
            Some(json!({"message": "欢迎，许可费可以商量。"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(m["org_id"], uni_org);
    let (_, seen) = app.call_with(&firm, Method::GET, &path, None).await;
    assert_eq!(seen["messages"].as_array().map(Vec::len), Some(2));
    assert_eq!(seen["messages"][1]["body"], "欢迎，许可费可以商量。");
    let (_, mine) = app
        .call_with(&firm, Method::GET, "/api/v1/deals", None)
        .await;
    assert_eq!(mine[0]["id"], deal);

    // Terms: the technology-transaction amount cannot exceed the contract amount.
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("{path}/terms"),
            Some(terms("licence", 1000, 1200)),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = e["error"]["fields"].as_object().expect("fields");
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        vec!["tech_amount_k"],
        "{e}"
    );
    assert!(e.to_string().contains("不能超过合同金额"), "{e}");
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("{path}/terms"),
            Some(json!({"contract_type": "贸易", "starts_on": "2025-02-30"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in [
        "contract_type",
        "contract_amount_k",
        "tech_amount_k",
        "starts_on",
        "ends_on",
    ] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }

    // Accepting needs the latest proposal: terms replaced meanwhile are a conflict.
    let first = app
        .expect(
            &firm,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(terms("许可", 3000, 2500)),
            StatusCode::OK,
        )
        .await["deal"]["terms_id"]
        .as_i64()
        .expect("terms");
    let second = app
        .expect(
            &firm,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(terms("licence", 2800, 2800)),
            StatusCode::OK,
        )
        .await;
    let second_id = second["deal"]["terms_id"].as_i64().expect("terms");
    assert_ne!(first, second_id);
    assert_eq!(second["proposals"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["steps"], json!(["propose", "withdraw"]), "{second}");
    let (status, e) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("{path}/acceptance"),
            Some(json!({"terms_id": first})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "stale terms: {e}");
    assert!(e["error"]["fields"]["terms_id"].is_string(), "{e}");
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("{path}/acceptance"),
            Some(json!({"terms_id": second_id})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "nobody accepts their own terms"
    );
    let (_, seen) = app.call_with(&uni, Method::GET, &path, None).await;
    assert!(
        seen["steps"]
            .as_array()
            .is_some_and(|s| s.contains(&json!("accept"))),
        "{seen}"
    );
    let agreed = app
        .expect(
            &uni,
            Method::POST,
            &format!("/deals/{deal}/acceptance"),
            Some(json!({"terms_id": second_id})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(agreed["deal"]["status"], "agreed");

    // Registration: the bureau's registrar only.
    for token in [&uni, &firm, &third] {
        let (status, _) = app
            .call_with(
                token,
                Method::POST,
                &format!("{path}/registration"),
                Some(json!({})),
            )
            .await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{status}"
        );
    }
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("{path}/registration"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a party may not register");
    let (status, e) = app
        .admin(
            Method::POST,
            &format!("{path}/registration"),
            Some(json!({"registered_on": "2999-01-01"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not in the future: {e}"
    );
    let registered = register(&app, deal, None).await;
    assert_eq!(registered["deal"]["status"], "registered");
    let k = &registered["contract"];
    let number = k["registration_no"].as_str().expect("number").to_string();
    assert_eq!(number, format!("430200{}000001", this_year()), "{k}");
    assert_eq!(k["contract_type"], "licence");
    assert_eq!(k["contract_amount_fen"], 280_000_000_i64);
    assert_eq!(k["tech_amount_fen"], 280_000_000_i64);
    assert_eq!(k["source"], "market");
    assert_eq!(k["seller_org_id"], uni_org);
    assert_eq!(k["buyer_org_id"], firm_org);
    assert_eq!(k["field"], "modern_transport");
    assert_eq!(k["field_name"], "现代交通");
    assert_eq!(k["chain"], "rail_transit");
    assert_eq!(
        k["carrier_id"], carrier,
        "the buyer's carrier, the seller not being incubated"
    );
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("{path}/registration"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "registered once");
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("{path}/withdrawal"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a contract is not withdrawn");
    let (_, register_list) = app.admin(Method::GET, "/api/v1/contracts", None).await;
    assert_eq!(register_list[0]["registration_no"], number.as_str());
    let (status, _) = app
        .call_with(&firm, Method::GET, "/api/v1/contracts", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the register is the bureau's"
    );

    // A party records the outcome; another organisation cannot.
    let (status, _) = app
        .call_with(
            &third,
            Method::POST,
            &format!("{path}/outcome"),
            Some(json!({"outcome": "fulfilled", "on": fruition_app::clock::today()})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("{path}/outcome"),
            Some(json!({"outcome": "fulfilled", "on": "2001-01-01"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not before registration"
    );
    assert!(e["error"]["fields"]["on"].is_string(), "{e}");
    let done = app
        .expect(
            &firm,
            Method::POST,
            &format!("/deals/{deal}/outcome"),
            Some(json!({"outcome": "fulfilled", "on": fruition_app::clock::today()})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(done["deal"]["status"], "fulfilled");
    assert_eq!(done["contract"]["outcome"], "fulfilled");
    assert_eq!(done["steps"], json!([]), "the end");
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("{path}/messages"),
            Some(json!({"message": "合作愉快"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a closed deal takes no messages"
    );

    // Every step is in the audit log, with the state before.
    let (_, audit) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?entity=deal&entity_id={deal}"),
            None,
        )
        .await;
    let steps: Vec<(&str, &str)> = audit
        .as_array()
        .expect("entries")
        .iter()
        .rev()
        .map(|e| {
            (
                e["before"]["status"].as_str().unwrap_or("-"),
                e["after"]["status"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("-", "negotiating"),
            ("negotiating", "negotiating"),
            ("negotiating", "negotiating"),
            ("negotiating", "agreed"),
            ("agreed", "registered"),
            ("registered", "fulfilled"),
        ]
    );
    for entity in ["deal_message", "deal_terms", "tech_contract"] {
        let (_, entries) = app
            .admin(
                Method::GET,
                &format!("/api/v1/audit-entries?entity={entity}"),
                None,
            )
            .await;
        assert!(
            entries.as_array().is_some_and(|e| !e.is_empty()),
            "{entity} audited"
        );
    }
}

on_both!(from_intent_to_a_fulfilled_contract);

/// Two users of the buyer accept the same terms at the same moment: one succeeds, the other gets
/// a conflict; a new proposal racing an acceptance never leaves the deal agreed on unseen terms.
async fn acceptance_races(app: TestApp) {
    let (firm_org, firm) = app.org_with_user("enterprise", "race.firm").await;
    let (_, uni) = app.org_with_user("institution", "race.uni").await;
    let (status, body) = app
        .admin(
            Method::POST,
            &format!("/api/v1/organisations/{firm_org}/users"),
            Some(json!({"login": "race.firm2", "display_name": "同事", "role": "enterprise_user"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let pw = body["one_time_password"]
        .as_str()
        .expect("password")
        .to_string();
    let colleague = app.ready_token("race.firm2", &pw).await;
    let listing = published(&app, &firm, need("刀具涂层技术需求", "新材料")).await;
    let deal = intent(&app, &uni, listing).await;
    let d = app
        .expect(
            &uni,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(terms("development", 500, 400)),
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        d["deal"]["seller_org_id"], d["deal"]["initiator_org_id"],
        "on a need the initiator sells"
    );
    let terms_id = d["deal"]["terms_id"].as_i64().expect("terms");
    let path = format!("/api/v1/deals/{deal}/acceptance");
    let body = json!({"terms_id": terms_id});
    let (a, b) = tokio::join!(
        app.call_with(&firm, Method::POST, &path, Some(body.clone())),
        app.call_with(&colleague, Method::POST, &path, Some(body.clone())),
    );
    let mut statuses = vec![a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        vec![StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.1,
        b.1
    );

    // The seller reopens agreed terms while the buyer accepts them again: whichever comes second
    // sees a conflict or leaves the deal negotiating on the new terms, never agreed on them.
    let reopened = app
        .expect(
            &uni,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(terms("development", 600, 400)),
            StatusCode::OK,
        )
        .await;
    let newer = reopened["deal"]["terms_id"].as_i64().expect("terms");
    let terms_path = format!("/api/v1/deals/{deal}/terms");
    let (accepted, proposed) = tokio::join!(
        app.call_with(&firm, Method::POST, &path, Some(json!({"terms_id": newer}))),
        app.call_with(
            &uni,
            Method::POST,
            &terms_path,
            Some(terms("development", 700, 400)),
        ),
    );
    assert_eq!(proposed.0, StatusCode::OK, "{}", proposed.1);
    let (_, now) = app
        .call_with(&firm, Method::GET, &format!("/api/v1/deals/{deal}"), None)
        .await;
    match accepted.0 {
        // Accepted first, then reopened by the new proposal.
        StatusCode::OK => {}
        StatusCode::CONFLICT => {}
        other => panic!("acceptance answered {other}: {}", accepted.1),
    }
    assert_eq!(now["deal"]["status"], "negotiating", "{now}");
    assert_ne!(now["deal"]["terms_id"], json!(newer));
}

on_both!(acceptance_races);

/// Registration numbers count per year and are unique; refusals send a deal back; statistics sum
/// registered contracts by year, field and carrier; the annual report words them.
async fn registration_and_statistics(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "stats.uni").await;
    let (firm_a_org, firm_a) = app.org_with_user("enterprise", "stats.firm.a").await;
    let (_, firm_b) = app.org_with_user("enterprise", "stats.firm.b").await;
    let carrier = incubate(&app, firm_a_org, "统计测试孵化器", "stats.carrier").await;
    let rail = published(&app, &uni, achievement("牵引变流器成果", "轨道交通")).await;
    let materials = published(&app, &uni, achievement("硬质合金涂层成果", "新材料")).await;

    // 2023: firm A (incubated) licenses the rail achievement.
    let d1 = intent(&app, &firm_a, rail).await;
    agree(&app, d1, &firm_a, &uni, terms("licence", 1000, 800)).await;
    let r1 = register(&app, d1, Some("2023-06-30")).await;
    assert_eq!(r1["contract"]["registration_no"], "4302002023000001");
    // 2024: firm A and firm B take the materials achievement; firm B's rail deal is refused once.
    let d2 = intent(&app, &firm_a, materials).await;
    agree(&app, d2, &uni, &firm_a, terms("transfer", 5000, 4000)).await;
    let d3 = intent(&app, &firm_b, materials).await;
    agree(&app, d3, &firm_b, &uni, terms("service", 300, 100)).await;
    let d4 = intent(&app, &firm_b, rail).await;
    let refused_terms = agree(&app, d4, &firm_b, &uni, terms("consulting", 50, 50)).await;
    let (status, e) = app
        .admin(
            Method::POST,
            &format!("/api/v1/deals/{d4}/registration-refusal"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason: {e}");
    assert!(e["error"]["fields"]["reason"].is_string());
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("/api/v1/deals/{d4}/registration-refusal"),
            Some(json!({"reason": "自己不予登记"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the registrar's alone");
    let back = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/deals/{d4}/registration-refusal"),
            Some(json!({"reason": "合同类型与内容不符，咨询合同请补充咨询报告要求"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(back["deal"]["status"], "negotiating");
    assert_eq!(
        back["deal"]["terms_id"],
        Value::Null,
        "terms proposed again"
    );
    assert!(
        back["deal"]["status_reason"]
            .as_str()
            .is_some_and(|r| r.contains("咨询报告")),
        "{back}"
    );
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("/api/v1/deals/{d4}/acceptance"),
            Some(json!({"terms_id": refused_terms})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "refused terms are not accepted again"
    );
    // Firm B withdraws that one instead.
    let gone = app
        .expect(
            &firm_b,
            Method::POST,
            &format!("/deals/{d4}/withdrawal"),
            Some(json!({"reason": "改为自主研发"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(gone["deal"]["status"], "withdrawn");
    assert_eq!(gone["steps"], json!([]));
    // Withdrawn, a new deal on the same listing may begin.
    intent(&app, &firm_b, rail).await;

    let r2 = register(&app, d2, Some("2024-03-01")).await;
    let r3 = register(&app, d3, Some("2024-11-30")).await;
    assert_eq!(r2["contract"]["registration_no"], "4302002024000001");
    assert_eq!(r3["contract"]["registration_no"], "4302002024000002");
    assert_eq!(r2["contract"]["carrier_id"], carrier);
    assert_eq!(
        r3["contract"]["carrier_id"],
        Value::Null,
        "firm B is not incubated"
    );

    // Firm B's service contract is terminated, with a reason.
    let (status, e) = app
        .call_with(
            &firm_b,
            Method::POST,
            &format!("/api/v1/deals/{d3}/outcome"),
            Some(json!({"outcome": "terminated", "on": "2024-12-15"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a reason: {e}");
    let ended = app.expect(&app.admin_token,
        Method::POST,
        &format!("/deals/{d3}/outcome"),
        Some(json!({"outcome": "terminated", "on": "2024-12-15", "reason": "服务方无法按期交付"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["deal"]["status"], "terminated");
    assert_eq!(ended["contract"]["outcome_reason"], "服务方无法按期交付");

    // The database refuses a second contract under a registration number (named constraint).
    let dup = match &app.db {
        fruition_store::Db::Sqlite(p) => sqlx::query(
            "UPDATE tech_contracts SET registration_no = '4302002024000001' WHERE deal_id = $1",
        )
        .bind(d3)
        .execute(p)
        .await
        .map(|r| r.rows_affected()),
        fruition_store::Db::Postgres(p) => sqlx::query(
            "UPDATE tech_contracts SET registration_no = '4302002024000001' WHERE deal_id = $1",
        )
        .bind(d3)
        .execute(p)
        .await
        .map(|r| r.rows_affected()),
    }
    .expect_err("unique");
    match fruition_store::StoreError::from(dup) {
        fruition_store::StoreError::Conflict { field } => assert_eq!(field, "registration_no"),
        other => panic!("{other}"),
    }

    // Statistics: by year (every year), by field and carrier (the year asked for).
    let s = app
        .expect(
            &firm_b,
            Method::GET,
            "/contract-statistics?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        s["total"],
        json!({"code": null, "name": "合计", "contracts": 2, "contract_amount_fen": 530_000_000_i64, "tech_amount_fen": 410_000_000_i64}),
        "{s}"
    );
    let by_year: Vec<(String, i64, i64)> = s["by_year"]
        .as_array()
        .expect("years")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or("").to_string(),
                r["contracts"].as_i64().unwrap_or(0),
                r["contract_amount_fen"].as_i64().unwrap_or(0) / 100_000,
            )
        })
        .collect();
    assert_eq!(
        by_year,
        vec![("2023".into(), 1, 1000), ("2024".into(), 2, 5300)]
    );
    assert_eq!(
        s["by_field"],
        json!([{"code": "new_materials", "name": "新材料及其应用", "contracts": 2, "contract_amount_fen": 530_000_000_i64, "tech_amount_fen": 410_000_000_i64}]),
        "by the national technical field"
    );
    assert_eq!(
        s["by_chain"],
        json!([{"code": "new_materials", "name": "新材料", "contracts": 2, "contract_amount_fen": 530_000_000_i64, "tech_amount_fen": 410_000_000_i64}]),
        "the chain its own breakdown"
    );
    let by_carrier = s["by_carrier"].as_array().expect("carriers");
    assert_eq!(by_carrier.len(), 2, "{s}");
    assert_eq!(by_carrier[0]["code"], carrier.to_string());
    assert_eq!(by_carrier[0]["name"], "统计测试孵化器");
    assert_eq!(by_carrier[0]["contract_amount_fen"], 500_000_000_i64);
    assert_eq!(by_carrier[1]["code"], Value::Null, "not incubated, last");
    assert_eq!(by_carrier[1]["contract_amount_fen"], 30_000_000_i64);
    let all = app
        .expect(
            &uni,
            Method::GET,
            "/contract-statistics",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(all["total"]["contracts"], 3);
    let fields: Vec<&str> = all["by_field"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        fields,
        vec!["新材料及其应用", "现代交通"],
        "in the national classification's order"
    );
    let chains: Vec<&str> = all["by_chain"]
        .as_array()
        .expect("chains")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(chains, vec!["轨道交通", "新材料"], "in the chains' order");

    // The annual report words the year's contracts; a year without any says nothing of them.
    let (_, annual) = app
        .admin(Method::GET, "/api/v1/annual-report?year=2024", None)
        .await;
    let text = annual["text"].as_str().expect("text");
    assert!(
        text.contains("全年登记技术合同2项，合同成交额530万元，其中技术交易额410万元。"),
        "{text}"
    );
    let (_, annual) = app
        .admin(Method::GET, "/api/v1/annual-report?year=2022", None)
        .await;
    assert!(!annual["text"].as_str().unwrap_or("").contains("技术合同"));

    // The statistics page shows the year's contracts in a table and a chart.
    let browser = crate::pages::sign_in(&app, "stats.uni", "stats.uni-secret-pw").await;
    let page = get(&app, &browser, "/statistics?year=2024").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("id=\"contracts-total\">2<"), "count");
    assert!(
        page.html.contains("id=\"contracts-amount\">5,300,000.00<"),
        "amount"
    );
    assert!(page.html.contains("统计测试孵化器"), "by carrier");
    assert!(page.html.contains("<svg"), "a chart");
    // The export carries the contract tables too.
    let bytes = browser
        .get(app.url("/statistics/export.xlsx?year=2024"))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("bytes");
    let t = |k: &str| fruition_web::i18n::t(fruition_domain::lang::Lang::ZhCn, k);
    let options = fruition_sheets::ReadOptions {
        sheet: Some(format!("{}（{}）", t("contract_statistics"), t("year"))),
        ..fruition_sheets::ReadOptions::default()
    };
    let by_year = fruition_sheets::read_table_with(&bytes, "x.xlsx", &options, None)
        .expect("the contracts-by-year sheet");
    let row_2024 = by_year
        .rows
        .iter()
        .find(|r| r.cells[0].as_text().starts_with("2024"))
        .expect("2024");
    assert_eq!(row_2024.cells[1].as_text(), "2", "{by_year:?}");
    assert_eq!(row_2024.cells[2].as_text(), "5300000");
}

on_both!(registration_and_statistics);

/// The pages: an enterprise declares intent from the listing's page; the institution answers and
/// proposes terms (fixing what the form says is wrong); the enterprise accepts; the registrar
/// registers it from the list awaiting registration; its number shows on the deal's page; another
/// organisation cannot open it.
async fn the_deal_pages(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "page.uni").await;
    let (_, _) = app.org_with_user("enterprise", "page.firm").await;
    let (_, _) = app.org_with_user("enterprise", "page.third").await;
    let listing = published(
        &app,
        &uni,
        achievement("轨道车辆轻量化车体技术", "轨道交通"),
    )
    .await;
    let firm = crate::pages::sign_in(&app, "page.firm", "page.firm-secret-pw").await;
    let page = get(&app, &firm, &format!("/market/listings/{listing}")).await;
    assert!(
        page.html
            .contains(&format!("action=\"/market/listings/{listing}/intent\"")),
        "the intent form on the listing"
    );
    let owner = crate::pages::sign_in(&app, "page.uni", "page.uni-secret-pw").await;
    let own_page = get(&app, &owner, &format!("/market/listings/{listing}")).await;
    assert!(
        !own_page.html.contains("/intent\""),
        "not on one's own listing"
    );
    let listing_path = format!("/market/listings/{listing}");
    let intent_path = format!("/market/listings/{listing}/intent");
    let empty = submit(&app, &firm, &listing_path, &intent_path, &[("message", "")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html.contains("error-summary") && empty.html.contains("href=\"#f-message\""));
    let opened = submit(
        &app,
        &firm,
        &listing_path,
        &intent_path,
        &[("message", "我公司希望引进该技术用于新型地铁车辆。")],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.html);
    let deal = id_in(&opened.location);
    let deal_path = format!("/market/deals/{deal}");
    let mine = get(&app, &firm, "/market/deals").await;
    assert!(
        mine.html.contains(&format!("href=\"{deal_path}\"")),
        "my deals list it"
    );

    // The institution answers and proposes terms.
    let page = get(&app, &owner, &deal_path).await;
    assert!(page.html.contains("我公司希望引进该技术用于新型地铁车辆。"));
    let sent = submit(
        &app,
        &owner,
        &deal_path,
        &format!("{deal_path}/messages"),
        &[("message", "欢迎来校详谈。")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let mut fields = vec![
        ("contract_type", "transfer"),
        ("contract_amount_k", "2000"),
        ("tech_amount_k", "二千五"),
        ("starts_on", "2025-03-01"),
        ("ends_on", "2026-02-28"),
    ];
    let wrong = submit(
        &app,
        &owner,
        &deal_path,
        &format!("{deal_path}/terms"),
        &fields,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.html.contains("不是整数"), "the number's reason");
    fields[2] = ("tech_amount_k", "2500");
    let wrong = submit(
        &app,
        &owner,
        &deal_path,
        &format!("{deal_path}/terms"),
        &fields,
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.html.contains("不能超过合同金额") && wrong.html.contains("href=\"#f-tech_amount_k\""),
        "named beside the field"
    );
    assert!(
        wrong.html.contains("value=\"2500\""),
        "what was typed is kept"
    );
    fields[2] = ("tech_amount_k", "1800");
    let proposed = submit(
        &app,
        &owner,
        &deal_path,
        &format!("{deal_path}/terms"),
        &fields,
    )
    .await;
    assert_eq!(proposed.status, StatusCode::SEE_OTHER);

    // The enterprise accepts.
    let page = get(&app, &firm, &deal_path).await;
    assert!(page.html.contains("id=\"accept-terms\""), "{}", page.html);
    let terms_id = {
        let marker = "name=\"terms_id\" value=\"";
        let start = page.html.find(marker).expect("terms id") + marker.len();
        page.html[start..]
            .split('"')
            .next()
            .expect("value")
            .to_string()
    };
    let form = get(&app, &firm, &deal_path).await;
    let token = crate::pages::form_token(&form.html);
    let accepted = firm
        .post(app.url(&format!("{deal_path}/accept")))
        .form(&[
            ("terms_id", terms_id.as_str()),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);

    // Another organisation cannot open the deal.
    let third = crate::pages::sign_in(&app, "page.third", "page.third-secret-pw").await;
    assert_eq!(
        get(&app, &third, &deal_path).await.status,
        StatusCode::NOT_FOUND
    );

    // The registrar registers it from the list awaiting registration.
    let bureau = crate::pages::sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let queue = get(&app, &bureau, "/market/deals/registration").await;
    assert!(
        queue.html.contains(&format!("href=\"{deal_path}\"")),
        "awaiting registration"
    );
    let page = get(&app, &bureau, &deal_path).await;
    assert!(
        page.html.contains("id=\"register-contract\"")
            && !page.html.contains("id=\"send-message\""),
        "the registrar registers and does not post"
    );
    let registered = submit(
        &app,
        &bureau,
        &deal_path,
        &format!("{deal_path}/register"),
        &[("terms_id", terms_id.as_str()), ("registered_on", "")],
    )
    .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.html
    );
    let number = format!("430200{}000001", this_year());
    let page = get(
        &app,
        &firm,
        &format!("{deal_path}?done=contract_registered"),
    )
    .await;
    assert!(
        page.html.contains(&number),
        "the registration number is shown"
    );
    assert!(page.html.contains("技术合同已登记"), "the notice");
    let queue = get(&app, &bureau, "/market/deals/registration").await;
    assert!(queue.html.contains(&number), "in the register");
    let stats = get(&app, &firm, &format!("/statistics?year={}", this_year())).await;
    assert!(
        stats.html.contains("id=\"contracts-amount\">2,000,000.00<"),
        "the statistics count it"
    );
}

on_both!(the_deal_pages);

/// Each step of a deal is told to the other party in their inbox, once, with a link to the deal;
/// the registration to both.
async fn the_other_party_is_told(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "told.uni").await;
    let (_, firm) = app.org_with_user("enterprise", "told.firm").await;
    let (_, outsider) = app.org_with_user("enterprise", "told.outsider").await;
    let listing = published(
        &app,
        &uni,
        achievement("碳化硅牵引变流器告知测试", "rail_transit"),
    )
    .await;
    let deal = intent(&app, &firm, listing).await;
    let link = format!("/market/deals/{deal}");
    let told = |token: String| {
        let app = &app;
        let link = link.clone();
        async move {
            let inbox = app
                .expect(&token, Method::GET, "/me/inbox", None, StatusCode::OK)
                .await;
            inbox
                .as_array()
                .expect("inbox")
                .iter()
                .filter(|m| m["kind"] == "deal" && m["link"] == link.as_str())
                .filter_map(|m| m["title"].as_str().map(str::to_string))
                .collect::<Vec<String>>()
        }
    };
    assert_eq!(
        told(uni.clone()).await,
        vec!["洽谈“碳化硅牵引变流器告知测试”：对方表达了合作意向".to_string()]
    );
    assert!(
        told(firm.clone()).await.is_empty(),
        "not told of its own step"
    );
    app.expect(
        &uni,
        Method::POST,
        &format!("/deals/{deal}/messages"),
        Some(json!({"message": "欢迎，先安排技术交流。"})),
        StatusCode::CREATED,
    )
    .await;
    assert!(told(firm.clone()).await[0].ends_with("对方发来新留言"));
    agree(&app, deal, &uni, &firm, terms("licence", 1500, 1200)).await;
    assert!(
        told(firm.clone())
            .await
            .iter()
            .any(|t| t.ends_with("对方提出了合同条款，请确认"))
    );
    assert!(
        told(uni.clone())
            .await
            .iter()
            .any(|t| t.ends_with("对方已接受条款，待科技局登记"))
    );
    let r = register(&app, deal, None).await;
    let number = r["contract"]["registration_no"]
        .as_str()
        .expect("number")
        .to_string();
    for party in [&uni, &firm] {
        assert!(
            told(party.clone())
                .await
                .iter()
                .any(|t| t.contains(&number)),
            "both parties told the number"
        );
    }
    assert!(told(outsider).await.is_empty(), "nobody else");
}

on_both!(the_other_party_is_told);
