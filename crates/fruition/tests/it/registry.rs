//! The registry as its users meet it: the bureau registers, rates and revokes carriers; carrier
//! managers keep their carrier's profile, enter and graduate incubatees and file yearly reports;
//! the bureau returns or approves them; every step is in the audit log.

use fruition_domain::uscc::{check_char, org_code_check_char};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

/// A valid unified social credit code registered in 天元区 around the organisation code body
/// `org8`, whose own GB 11714 check character is right (`org_ok`) or deliberately wrong.
fn uscc(org8: &str, org_ok: bool) -> String {
    let right = org_code_check_char(org8).expect("an organisation code body");
    let ninth = match (org_ok, right) {
        (true, c) => c,
        (false, '0') => '1',
        (false, _) => '0',
    };
    let first17 = format!("91430211{org8}{ninth}");
    let check = check_char(&first17).expect("a check character");
    format!("{first17}{check}")
}

/// The same code with a wrong check character (position 18).
fn with_wrong_check(code: &str) -> String {
    let (first17, check) = code.split_at(17);
    let wrong = if check == "0" { '1' } else { '0' };
    format!("{first17}{wrong}")
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .collect()
}

fn field<'a>(body: &'a Value, name: &str) -> &'a str {
    body["error"]["fields"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no problem named `{name}` in {body}"))
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    app.call_with(token, method, &format!("/api/v1{path}"), body)
        .await
}

fn carrier_body(name: &str, operator: i64) -> Value {
    json!({
        "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
        "zone": "株洲国家高新区", "address": "株洲市天元区黄河南路 1 号", "floor_area_m2": 20000,
        "focus_chains": ["轨道交通"], "established_year": 2015
    })
}

/// The bureau registers a carrier; returns its id.
async fn carrier(app: &TestApp, name: &str, operator: i64) -> i64 {
    let (status, body) = call(
        app,
        &app.admin_token,
        Method::POST,
        "/carriers",
        Some(carrier_body(name, operator)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("carrier id")
}

fn enterprise_body(code: &str, name: &str) -> Value {
    json!({"uscc": code, "name": name, "county": "天元区", "chain": "轨道交通", "founded_on": "2021-05-01"})
}

/// A carrier's manager (or the bureau) registers an enterprise entering the carrier; returns its id.
async fn incubatee(
    app: &TestApp,
    token: &str,
    carrier_id: i64,
    code: &str,
    name: &str,
    entered_on: &str,
) -> i64 {
    let (status, body) = call(
        app,
        token,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(code, name), "carrier_id": carrier_id, "entered_on": entered_on})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["enterprise"]["id"].as_i64().expect("enterprise id")
}

async fn carriers_are_registered_rated_and_revoked(app: TestApp) {
    let admin = app.admin_token.clone();
    let (operator, _) = app.org_with_user("carrier_operator", "op.tianyuan").await;

    // By county name, with a zone and chains given by name or code.
    let mut body = carrier_body("天元创新创业孵化器", operator);
    body["focus_chains"] = json!(["轨道交通", "new_materials", "轨道交通"]);
    let (status, created) = call(&app, &admin, Method::POST, "/carriers", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["county_code"], "430211");
    assert_eq!(created["county_name"], "天元区");
    assert!(created["zone_id"].as_i64().is_some(), "{created}");
    assert_eq!(created["kind"], "incubator");
    assert_eq!(created["status"], "active");
    assert_eq!(created["level"], Value::Null);
    assert_eq!(
        created["focus_chains"],
        json!(["rail_transit", "new_materials"])
    );
    let (_, detail) = call(&app, &admin, Method::GET, &format!("/carriers/{id}"), None).await;
    assert_eq!(detail["zone_name"], "株洲国家高新区", "{detail}");

    // By county code.
    let mut body = carrier_body("高新区众创空间", operator);
    body["county"] = json!("430211");
    body["kind"] = json!("maker_space");
    let (status, by_code) = call(&app, &admin, Method::POST, "/carriers", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{by_code}");
    assert_eq!(by_code["county_name"], "天元区");
    let unrated = by_code["id"].as_i64().expect("id");

    // The high-tech zone lies in 天元区, not in 芦淞区.
    let mut body = carrier_body("芦淞孵化基地", operator);
    body["county"] = json!("芦淞区");
    let (status, refused) = call(&app, &admin, Method::POST, "/carriers", Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        field(&refused, "zone").contains("株洲国家高新区"),
        "{refused}"
    );

    // 株洲县 was abolished: the message names its successor.
    let mut body = carrier_body("渌口孵化器", operator);
    body["county"] = json!("株洲县");
    body["zone"] = Value::Null;
    let (status, refused) = call(&app, &admin, Method::POST, "/carriers", Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(field(&refused, "county").contains("渌口区"), "{refused}");

    // An unknown chain is named.
    let mut body = carrier_body("区块链孵化器", operator);
    body["focus_chains"] = json!(["轨道交通", "元宇宙"]);
    let (status, refused) = call(&app, &admin, Method::POST, "/carriers", Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        field(&refused, "focus_chains").contains("元宇宙"),
        "{refused}"
    );

    // An enterprise cannot operate a carrier.
    let (enterprise_org, _) = app.org_with_user("enterprise", "not.operator").await;
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        "/carriers",
        Some(carrier_body("企业自办孵化器", enterprise_org)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "operator_org_id");

    // The same name twice.
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        "/carriers",
        Some(carrier_body("天元创新创业孵化器", operator)),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    field(&refused, "name");

    // Ratings: municipal 2018, provincial 2020, national 2023.
    for (level, year, body) in [
        ("municipal", 2018, "株洲市科学技术局"),
        ("provincial", 2020, "湖南省科学技术厅"),
        ("national", 2023, "科学技术部"),
    ] {
        let (status, rating) = call(
            &app,
            &admin,
            Method::POST,
            &format!("/carriers/{id}/ratings"),
            Some(json!({"level": level, "year_granted": year, "granting_body": body, "document_no": format!("第{year}号")})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{rating}");
        assert_eq!(rating["level"], level);
    }
    // A rating before the carrier existed is refused.
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        &format!("/carriers/{id}/ratings"),
        Some(json!({"level": "municipal", "year_granted": 2010, "granting_body": "株洲市科学技术局"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "year_granted");
    let (_, detail) = call(&app, &admin, Method::GET, &format!("/carriers/{id}"), None).await;
    assert_eq!(detail["carrier"]["level"], "national", "{detail}");
    assert_eq!(detail["ratings"].as_array().expect("ratings").len(), 3);

    let level_of = |list: &Value, id: i64| {
        list.as_array()
            .expect("list")
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["level"].clone())
    };
    let (_, in_2021) = call(&app, &admin, Method::GET, "/carriers?year=2021", None).await;
    assert_eq!(level_of(&in_2021, id), Some(json!("provincial")));
    let (_, in_2017) = call(&app, &admin, Method::GET, "/carriers?year=2017", None).await;
    assert_eq!(level_of(&in_2017, id), Some(Value::Null));
    let (status, national) =
        call(&app, &admin, Method::GET, "/carriers?level=national", None).await;
    assert_eq!(status, StatusCode::OK, "{national}");
    assert_eq!(ids(&national), vec![id]);
    let (_, provincial_2021) = call(
        &app,
        &admin,
        Method::GET,
        "/carriers?level=provincial&year=2021",
        None,
    )
    .await;
    assert_eq!(ids(&provincial_2021), vec![id]);
    let (_, national_2021) = call(
        &app,
        &admin,
        Method::GET,
        "/carriers?level=national&year=2021",
        None,
    )
    .await;
    assert_eq!(ids(&national_2021), Vec::<i64>::new());

    // Revocation needs a date and a reason.
    let path = format!("/carriers/{id}/revocation");
    let (status, refused) = call(&app, &admin, Method::PUT, &path, Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "revoked_on");
    field(&refused, "reason");
    let (status, revoked) = call(
        &app,
        &admin,
        Method::PUT,
        &path,
        Some(json!({"revoked_on": "2024-06-30", "reason": "连续两年未报送年度报告"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revoked_on"], "2024-06-30");
    assert_eq!(revoked["revoked_reason"], "连续两年未报送年度报告");
    let (_, detail) = call(&app, &admin, Method::GET, &format!("/carriers/{id}"), None).await;
    assert_eq!(detail["carrier"]["status"], "revoked");
    let (_, revoked_list) = call(&app, &admin, Method::GET, "/carriers?status=revoked", None).await;
    assert_eq!(ids(&revoked_list), vec![id]);
    let (_, active_list) = call(&app, &admin, Method::GET, "/carriers?status=active", None).await;
    assert_eq!(ids(&active_list), vec![unrated]);
    let (status, restored) = call(
        &app,
        &admin,
        Method::PUT,
        &path,
        Some(json!({"restore": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["status"], "active");
    assert_eq!(restored["revoked_on"], Value::Null);
    assert_eq!(restored["revoked_reason"], Value::Null);
}

async fn carrier_managers_keep_their_own_profile(app: TestApp) {
    let (operator, manager) = app.org_with_user("carrier_operator", "mgr.own").await;
    let (other_operator, _) = app.org_with_user("carrier_operator", "mgr.other").await;
    let own = carrier(&app, "动力谷孵化器", operator).await;
    let other = carrier(&app, "河西孵化器", other_operator).await;

    let mut profile = carrier_body("动力谷孵化器", operator);
    profile["address"] = json!("株洲市天元区栗雨工业园");
    profile["floor_area_m2"] = json!(35000);
    profile["focus_chains"] = json!(["轨道交通", "先进制造"]);
    let (status, updated) = call(
        &app,
        &manager,
        Method::PATCH,
        &format!("/carriers/{own}"),
        Some(profile.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["address"], "株洲市天元区栗雨工业园");
    assert_eq!(updated["floor_area_m2"], 35000);
    assert_eq!(
        updated["focus_chains"],
        json!(["rail_transit", "advanced_manufacturing"])
    );

    // Only the bureau changes the kind or the operator.
    let mut new_kind = profile.clone();
    new_kind["kind"] = json!("maker_space");
    let (status, refused) = call(
        &app,
        &manager,
        Method::PATCH,
        &format!("/carriers/{own}"),
        Some(new_kind.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "operator_org_id");
    let mut new_operator = profile.clone();
    new_operator["operator_org_id"] = json!(other_operator);
    let (status, refused) = call(
        &app,
        &manager,
        Method::PATCH,
        &format!("/carriers/{own}"),
        Some(new_operator),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "operator_org_id");
    let (status, by_bureau) = call(
        &app,
        &app.admin_token,
        Method::PATCH,
        &format!("/carriers/{own}"),
        Some(new_kind),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{by_bureau}");
    assert_eq!(by_bureau["kind"], "maker_space");

    // Another operator's carrier, ratings and revocation are not theirs to change.
    let (status, _) = call(
        &app,
        &manager,
        Method::PATCH,
        &format!("/carriers/{other}"),
        Some(carrier_body("河西孵化器", other_operator)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        &manager,
        Method::POST,
        &format!("/carriers/{own}/ratings"),
        Some(json!({"level": "national", "year_granted": 2024, "granting_body": "科学技术部"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        &manager,
        Method::PUT,
        &format!("/carriers/{own}/revocation"),
        Some(json!({"restore": true})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &app,
        &manager,
        Method::POST,
        "/carriers",
        Some(carrier_body("自封孵化器", operator)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Everyone signed in browses the registry.
    let (status, all) = call(&app, &manager, Method::GET, "/carriers", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ids(&all).contains(&other));
    let (status, _) = call(
        &app,
        &manager,
        Method::GET,
        &format!("/carriers/{other}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn enterprises_and_their_incubation_spells(app: TestApp) {
    let admin = app.admin_token.clone();
    let (op_a, mgr_a) = app.org_with_user("carrier_operator", "spell.a").await;
    let (op_b, mgr_b) = app.org_with_user("carrier_operator", "spell.b").await;
    let (op_c, mgr_c) = app.org_with_user("carrier_operator", "spell.c").await;
    let a = carrier(&app, "甲孵化器", op_a).await;
    let b = carrier(&app, "乙孵化器", op_b).await;
    let _c = carrier(&app, "丙孵化器", op_c).await;

    // A carrier's manager registers an incubatee; the code is stored upper-cased.
    let code = uscc("MA4LK1P2", true);
    let (status, saved) = call(
        &app,
        &mgr_a,
        Method::POST,
        "/enterprises",
        Some(json!({
            "enterprise": enterprise_body(&code.to_lowercase(), "株洲星辰轨道科技有限公司"),
            "carrier_id": a, "entered_on": "2023-03-01"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["enterprise"]["uscc"], code.as_str());
    assert_eq!(saved["warnings"], json!([]), "{saved}");
    let star = saved["enterprise"]["id"].as_i64().expect("id");
    let (_, detail) = call(
        &app,
        &mgr_a,
        Method::GET,
        &format!("/enterprises/{star}"),
        None,
    )
    .await;
    assert_eq!(detail["incubations"][0]["carrier_id"], a, "{detail}");
    assert_eq!(detail["incubations"][0]["entered_on"], "2023-03-01");
    // While the spell is open, the enterprise's detail names its current carrier.
    assert_eq!(detail["enterprise"]["carrier_id"], a, "{detail}");
    assert!(detail["enterprise"]["carrier_name"].is_string(), "{detail}");

    // A wrong check character is named; the same code twice is a conflict.
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&with_wrong_check(&uscc("MA4LK1P3", true)), "抄错代码的公司"), "carrier_id": a, "entered_on": "2023-03-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(field(&refused, "uscc").contains("校验码"), "{refused}");
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&code, "重复登记的公司"), "carrier_id": a, "entered_on": "2023-03-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    field(&refused, "uscc");
    // Without an entry date a carrier cannot register an incubatee.
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&uscc("MA4LK1P4", true), "没有入孵日期的公司"), "carrier_id": a})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "entered_on");

    // An embedded organisation code failing GB 11714 saves, with a warning.
    let odd = uscc("MA4LK1P5", false);
    assert!(fruition_domain::uscc::Uscc::parse(&odd).is_ok());
    let (status, saved) = call(
        &app,
        &mgr_a,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&odd, "株洲月光新材料有限公司"), "carrier_id": a, "entered_on": "2024-02-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let warnings = saved["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{saved}");
    assert!(
        warnings[0].as_str().expect("text").contains("组织机构代码"),
        "{saved}"
    );
    let moon = saved["enterprise"]["id"].as_i64().expect("id");

    // One open spell at a time.
    let (status, refused) = call(
        &app,
        &mgr_b,
        Method::POST,
        &format!("/enterprises/{star}/incubations"),
        Some(json!({"carrier_id": b, "entered_on": "2024-01-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        field(&refused, "carrier_id").contains("甲孵化器"),
        "{refused}"
    );

    // Leaving needs a reason; graduating does not.
    let exit = format!("/enterprises/{star}/exit");
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::POST,
        &exit,
        Some(json!({"exited_on": "2024-09-30", "kind": "left"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "reason");
    // Only the carrier where it incubates closes the spell.
    let (status, _) = call(
        &app,
        &mgr_b,
        Method::POST,
        &exit,
        Some(json!({"exited_on": "2024-09-30", "kind": "graduated"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, closed) = call(
        &app,
        &mgr_a,
        Method::POST,
        &exit,
        Some(json!({"exited_on": "2024-09-30", "kind": "graduated"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["exit_kind"], "graduated");
    assert_eq!(closed["exited_on"], "2024-09-30");
    // Then it enters another carrier.
    let (status, entered) = call(
        &app,
        &mgr_b,
        Method::POST,
        &format!("/enterprises/{star}/incubations"),
        Some(json!({"carrier_id": b, "entered_on": "2024-10-08"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{entered}");
    assert_eq!(entered["carrier_id"], b);
    let (_, detail) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/enterprises/{star}"),
        None,
    )
    .await;
    assert_eq!(detail["incubations"].as_array().expect("spells").len(), 2);
    assert_eq!(
        detail["enterprise"]["carrier_id"], b,
        "the open spell's carrier"
    );

    // Lists by carrier show current incubatees only.
    let (_, at_a) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/enterprises?carrier_id={a}"),
        None,
    )
    .await;
    assert_eq!(ids(&at_a), vec![moon]);
    let (_, at_b) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/enterprises?carrier_id={b}"),
        None,
    )
    .await;
    assert_eq!(ids(&at_b), vec![star]);
    assert_eq!(at_b[0]["carrier_name"], "乙孵化器");

    // Who sees the enterprise: the carriers that incubate or incubated it, not a third one.
    for (token, expected) in [
        (&mgr_a, StatusCode::OK),
        (&mgr_b, StatusCode::OK),
        (&mgr_c, StatusCode::FORBIDDEN),
    ] {
        let (status, _) = call(
            &app,
            token,
            Method::GET,
            &format!("/enterprises/{star}"),
            None,
        )
        .await;
        assert_eq!(status, expected);
    }
    // The carrier it left no longer changes its profile; the one it is at now does.
    let profile = enterprise_body(&code, "株洲星辰轨道科技股份有限公司");
    let (status, _) = call(
        &app,
        &mgr_a,
        Method::PATCH,
        &format!("/enterprises/{star}"),
        Some(profile.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, renamed) = call(
        &app,
        &mgr_b,
        Method::PATCH,
        &format!("/enterprises/{star}"),
        Some(profile),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(
        renamed["enterprise"]["name"],
        "株洲星辰轨道科技股份有限公司"
    );

    // An operator's list shows its own incubatees.
    let (_, bureau_only) = call(
        &app,
        &admin,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&uscc("MA4LK1P6", true), "尚未入孵的公司")})),
    )
    .await;
    let unplaced = bureau_only["enterprise"]["id"].as_i64().expect("id");
    let (_, list_a) = call(&app, &mgr_a, Method::GET, "/enterprises", None).await;
    assert_eq!(ids(&list_a), vec![moon]);
    let (_, list_b) = call(&app, &mgr_b, Method::GET, "/enterprises", None).await;
    assert_eq!(ids(&list_b), vec![star]);
    let (_, list_c) = call(&app, &mgr_c, Method::GET, "/enterprises", None).await;
    assert_eq!(ids(&list_c), Vec::<i64>::new());
    let (_, all) = call(&app, &admin, Method::GET, "/enterprises", None).await;
    assert_eq!(ids(&all), vec![star, moon, unplaced]);

    // A subsidiary names its parent's code (in any case); the parent's list finds it.
    let mut sub = enterprise_body(&uscc("MA4LK1P7", true), "星辰轨道（株洲）检测有限公司");
    sub["parent_uscc"] = json!(code.to_lowercase());
    let (status, saved) = call(
        &app,
        &admin,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": sub})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["enterprise"]["parent_id"], star);
    let subsidiary = saved["enterprise"]["id"].as_i64().expect("id");
    let (_, children) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/enterprises?parent_id={star}"),
        None,
    )
    .await;
    assert_eq!(ids(&children), vec![subsidiary]);
    let mut orphan = enterprise_body(&uscc("MA4LK1P8", true), "找不到母公司的公司");
    orphan["parent_uscc"] = json!(uscc("MA4LK1P9", true));
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": orphan})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "parent_uscc");
}

/// An enterprise's own organisation sees its record, however many others there are.
async fn an_enterprise_sees_its_own_record(app: TestApp) {
    let admin = app.admin_token.clone();
    let (org, user) = app.org_with_user("enterprise", "self.seer").await;
    let (_, stranger) = app.org_with_user("enterprise", "stranger").await;
    let (_, org_view) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/organisations/{org}"),
        None,
    )
    .await;
    let org_code = org_view["uscc"].as_str().expect("uscc").to_string();
    // Someone else's record first, so the own one is not the first in id order.
    let (status, _) = call(
        &app,
        &admin,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&uscc("MA4LK2P1", true), "别家公司")})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, saved) = call(
        &app,
        &admin,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": enterprise_body(&org_code, "自家公司")})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let own = saved["enterprise"]["id"].as_i64().expect("id");
    let (status, detail) = call(
        &app,
        &user,
        Method::GET,
        &format!("/enterprises/{own}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let (_, mine) = call(&app, &user, Method::GET, "/enterprises?limit=1", None).await;
    assert_eq!(ids(&mine), vec![own]);
    let (status, _) = call(
        &app,
        &stranger,
        Method::GET,
        &format!("/enterprises/{own}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, theirs) = call(&app, &stranger, Method::GET, "/enterprises", None).await;
    assert_eq!(ids(&theirs), Vec::<i64>::new());
    // Its users keep the profile.
    let (status, renamed) = call(
        &app,
        &user,
        Method::PATCH,
        &format!("/enterprises/{own}"),
        Some(enterprise_body(&org_code, "自家科技公司")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
}

fn figures(employees: i64, revenue_k: i64) -> Value {
    json!({
        "employees": employees, "doctors": 1, "returnees": 0, "fresh_graduates": 2, "high_level_talent": 1,
        "revenue_k": revenue_k, "rd_spending_k": revenue_k / 10, "taxes_k": revenue_k / 20, "funding_raised_k": 0,
        "patent_applications": 3, "invention_applications": 1, "patent_grants": 1, "invention_grants": 0,
        "valid_ip": 4, "software_copyrights": 2, "tech_contracts": 1, "tech_contract_amount_k": 300
    })
}

async fn open_report(app: &TestApp, token: &str, carrier_id: i64, year: i64) -> i64 {
    let (status, report) = call(
        app,
        token,
        Method::POST,
        &format!("/carriers/{carrier_id}/reports"),
        Some(json!({"year": year})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report["id"].as_i64().expect("report id")
}

async fn yearly_reports_are_filed_and_reviewed(app: TestApp) {
    let admin = app.admin_token.clone();
    let (op_a, mgr_a) = app.org_with_user("carrier_operator", "report.a").await;
    let (op_b, mgr_b) = app.org_with_user("carrier_operator", "report.b").await;
    let (op_c, _) = app.org_with_user("carrier_operator", "report.c").await;
    let a = carrier(&app, "报告甲孵化器", op_a).await;
    let b = carrier(&app, "报告乙孵化器", op_b).await;
    let c = carrier(&app, "报告丙孵化器", op_c).await;
    let sun = incubatee(
        &app,
        &mgr_a,
        a,
        &uscc("MA4LK3P1", true),
        "太阳能科技有限公司",
        "2023-03-01",
    )
    .await;
    let wind = incubatee(
        &app,
        &mgr_a,
        a,
        &uscc("MA4LK3P2", true),
        "风电装备有限公司",
        "2024-02-01",
    )
    .await;
    let elsewhere = incubatee(
        &app,
        &mgr_b,
        b,
        &uscc("MA4LK3P3", true),
        "别处孵化有限公司",
        "2024-01-15",
    )
    .await;

    // Last year's figures, for the year-on-year checks.
    let r2023 = open_report(&app, &mgr_a, a, 2023).await;
    let (status, row) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &format!("/reports/{r2023}/indicators"),
        Some(json!({"enterprise_id": sun, "indicators": figures(12, 1000)})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{row}");

    let report = open_report(&app, &mgr_a, a, 2024).await;
    assert_eq!(
        open_report(&app, &mgr_a, a, 2024).await,
        report,
        "opening again returns the same report"
    );
    let (_, detail) = call(
        &app,
        &mgr_a,
        Method::GET,
        &format!("/reports/{report}"),
        None,
    )
    .await;
    assert_eq!(detail["report"]["status"], "draft", "{detail}");

    // Submitting an incomplete report lists every blocking problem.
    let submit = format!("/reports/{report}/submission");
    let (status, refused) = call(&app, &mgr_a, Method::POST, &submit, None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "staff");
    field(&refused, "floor_area_m2");
    assert!(
        field(&refused, &format!("enterprises.{sun}.indicators")).contains("太阳能科技有限公司")
    );
    field(&refused, &format!("enterprises.{wind}.indicators"));

    // Impossible figures are refused at once, naming the field.
    let indicators = format!("/reports/{report}/indicators");
    let mut bad = figures(3, 500);
    bad["doctors"] = json!(5);
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &indicators,
        Some(json!({"enterprise_id": sun, "indicators": bad})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "doctors");
    // An enterprise not incubating at the carrier that year.
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &indicators,
        Some(json!({"enterprise_id": elsewhere, "indicators": figures(5, 100)})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "enterprise_id");

    // Filled in correctly; revenue grew twentyfold, which is unusual but possible.
    let (status, filed) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 12, "mentors": 6, "floor_area_m2": 20000, "incubation_fund_k": 5000, "events_held": 24, "graduated_in_year": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{filed}");
    assert_eq!(filed["figures"]["staff"], 12);
    for (enterprise, values) in [(sun, figures(15, 20_000)), (wind, figures(6, 800))] {
        let (status, row) = call(
            &app,
            &mgr_a,
            Method::PUT,
            &indicators,
            Some(json!({"enterprise_id": enterprise, "indicators": values})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{row}");
    }
    let (_, detail) = call(
        &app,
        &mgr_a,
        Method::GET,
        &format!("/reports/{report}"),
        None,
    )
    .await;
    assert_eq!(detail["errors"], json!([]), "{detail}");
    assert_eq!(detail["rows"].as_array().expect("rows").len(), 2);
    let jumps: Vec<&Value> = detail["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter(|w| w["field"] == "revenue_k")
        .collect();
    assert_eq!(jumps.len(), 1, "{detail}");
    assert_eq!(jumps[0]["enterprise_id"], sun);

    let (status, submitted) = call(&app, &mgr_a, Method::POST, &submit, None).await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["incubatees"], 2);
    // A submitted report is no longer the carrier's to change.
    let (status, refused) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 13, "floor_area_m2": 20000})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let (status, _) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &indicators,
        Some(json!({"enterprise_id": wind, "indicators": figures(7, 800)})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Nor is it the carrier's to approve.
    let review = format!("/reports/{report}/review");
    let (status, _) = call(
        &app,
        &mgr_a,
        Method::POST,
        &review,
        Some(json!({"step": "approve"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The bureau returns it with a comment (and only with one).
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        &review,
        Some(json!({"step": "return"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    field(&refused, "comment");
    let (status, returned) = call(
        &app,
        &admin,
        Method::POST,
        &review,
        Some(json!({"step": "return", "comment": "请核实太阳能科技的总收入"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{returned}");
    assert_eq!(returned["status"], "returned");
    let (_, detail) = call(
        &app,
        &mgr_a,
        Method::GET,
        &format!("/reports/{report}"),
        None,
    )
    .await;
    let reviews = detail["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 2, "{detail}");
    assert_eq!(reviews[0]["action"], "submit");
    assert_eq!(reviews[0]["actor_login"], "report.a");
    assert_eq!(reviews[1]["action"], "return");
    assert_eq!(reviews[1]["comment"], "请核实太阳能科技的总收入");
    assert_eq!(reviews[1]["actor_login"], "admin");
    // The carrier is told in its inbox, with the bureau's reasons.
    let (_, inbox) = call(&app, &mgr_a, Method::GET, "/me/inbox", None).await;
    assert!(
        inbox
            .as_array()
            .expect("inbox")
            .iter()
            .any(|m| m["kind"] == "report"
                && m["title"]
                    .as_str()
                    .unwrap_or("")
                    .contains("请核实太阳能科技的总收入")),
        "{inbox}"
    );

    // Resubmitted and approved.
    let (status, again) = call(&app, &mgr_a, Method::POST, &submit, None).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["status"], "submitted");
    let (status, approved) = call(
        &app,
        &admin,
        Method::POST,
        &review,
        Some(json!({"step": "approve"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert!(approved["decided_at"].as_str().is_some());
    let (status, _) = call(&app, &mgr_a, Method::POST, &submit, None).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an approved report is not submitted again"
    );

    // Who is late for 2024: the others, not this one.
    let (status, late) = call(&app, &admin, Method::GET, "/reports/late?year=2024", None).await;
    assert_eq!(status, StatusCode::OK, "{late}");
    let late_ids: Vec<i64> = late
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|l| l["carrier_id"].as_i64())
        .collect();
    assert!(late_ids.contains(&b) && late_ids.contains(&c), "{late}");
    assert!(!late_ids.contains(&a), "{late}");
    let (status, _) = call(&app, &mgr_a, Method::GET, "/reports/late?year=2024", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Each sees its own reports; the bureau sees all.
    let (_, mine) = call(&app, &mgr_a, Method::GET, "/reports?year=2024", None).await;
    assert_eq!(ids(&mine), vec![report]);
    let (_, theirs) = call(&app, &mgr_b, Method::GET, "/reports", None).await;
    assert_eq!(ids(&theirs), Vec::<i64>::new());
    let (status, _) = call(
        &app,
        &mgr_b,
        Method::GET,
        &format!("/reports/{report}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, approved_list) =
        call(&app, &admin, Method::GET, "/reports?status=approved", None).await;
    assert_eq!(ids(&approved_list), vec![report]);

    // The enterprise graduates from A and moves to B within 2024: its 2024 figures are already
    // filed in A's report, so B cannot file them again — and B's report is complete without them.
    let (status, _) = call(
        &app,
        &mgr_a,
        Method::POST,
        &format!("/enterprises/{sun}/exit"),
        Some(json!({"exited_on": "2024-09-30", "kind": "graduated"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &mgr_b,
        Method::POST,
        &format!("/enterprises/{sun}/incubations"),
        Some(json!({"carrier_id": b, "entered_on": "2024-10-08"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let report_b = open_report(&app, &mgr_b, b, 2024).await;
    let (status, refused) = call(
        &app,
        &mgr_b,
        Method::PUT,
        &format!("/reports/{report_b}/indicators"),
        Some(json!({"enterprise_id": sun, "indicators": figures(15, 20_000)})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    field(&refused, "enterprise_id");
    let (status, _) = call(
        &app,
        &mgr_b,
        Method::PUT,
        &format!("/reports/{report_b}/figures"),
        Some(json!({"staff": 5, "floor_area_m2": 3000})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &mgr_b,
        Method::PUT,
        &format!("/reports/{report_b}/indicators"),
        Some(json!({"enterprise_id": elsewhere, "indicators": figures(8, 600)})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, submitted_b) = call(
        &app,
        &mgr_b,
        Method::POST,
        &format!("/reports/{report_b}/submission"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{submitted_b}");
    let (_, detail_b) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/reports/{report_b}"),
        None,
    )
    .await;
    assert!(
        detail_b["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w["enterprise_id"] == sun && w["field"] == "indicators"),
        "the reviewer is told where the figures are: {detail_b}"
    );

    // Removing a row from an editable report.
    let (status, row) = call(
        &app,
        &mgr_a,
        Method::PUT,
        &format!("/reports/{r2023}/indicators"),
        Some(json!({"enterprise_id": sun, "indicators": figures(12, 1100)})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{row}");
    let (status, _) = call(
        &app,
        &mgr_a,
        Method::DELETE,
        &format!("/reports/{r2023}/indicators/{sun}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, detail) = call(
        &app,
        &mgr_a,
        Method::GET,
        &format!("/reports/{r2023}"),
        None,
    )
    .await;
    assert_eq!(detail["rows"], json!([]), "{detail}");
}

async fn ratings_and_approvals_are_audited(app: TestApp) {
    let admin = app.admin_token.clone();
    let (operator, manager) = app.org_with_user("carrier_operator", "audit.op").await;
    let id = carrier(&app, "审计孵化器", operator).await;
    let (status, rating) = call(
        &app,
        &admin,
        Method::POST,
        &format!("/carriers/{id}/ratings"),
        Some(json!({"level": "provincial", "year_granted": 2022, "granting_body": "湖南省科学技术厅"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{rating}");
    let rating_id = rating["id"].as_i64().expect("id");
    let (status, entries) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/audit-entries?entity=carrier_rating&entity_id={rating_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{entries}");
    let entries = entries.as_array().expect("list");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"], "create");
    assert_eq!(entries[0]["actor_login"], "admin");
    assert_eq!(entries[0]["org_id"], operator);
    assert_eq!(entries[0]["before"], Value::Null);
    assert_eq!(entries[0]["after"]["level"], "provincial");
    assert_eq!(entries[0]["after"]["year_granted"], 2022);

    let report = open_report(&app, &manager, id, 2024).await;
    let (status, _) = call(
        &app,
        &manager,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 3, "floor_area_m2": 1500})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &manager,
        Method::POST,
        &format!("/reports/{report}/submission"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &app,
        &admin,
        Method::POST,
        &format!("/reports/{report}/review"),
        Some(json!({"step": "approve"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, entries) = call(
        &app,
        &admin,
        Method::GET,
        &format!("/audit-entries?entity=carrier_report&entity_id={report}"),
        None,
    )
    .await;
    let entries = entries.as_array().expect("list");
    let approval = entries
        .iter()
        .find(|e| e["after"]["status"] == "approved")
        .unwrap_or_else(|| panic!("no approval among {entries:?}"));
    assert_eq!(approval["action"], "update");
    assert_eq!(approval["actor_login"], "admin");
    assert_eq!(approval["before"]["status"], "submitted");
    assert_eq!(approval["org_id"], operator);
    // Newest first: the approval, the submission, the figures, the opening.
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert_eq!(entries[0]["id"], approval["id"]);
    assert_eq!(entries[3]["action"], "create");
}

/// A carrier revoked on 2024-06-30 was in the registry during 2024: it still opens, fills and
/// submits its 2024 report (and earlier ones), but files nothing for a later year — neither a new
/// report nor one opened before the revocation was recorded; restored, it files again.
async fn a_revoked_carrier_reports_up_to_its_revocation_year(app: TestApp) {
    let admin = app.admin_token.clone();
    let (operator, manager) = app.org_with_user("carrier_operator", "revoked.mgr").await;
    let id = carrier(&app, "撤销年报孵化器", operator).await;
    let sun = incubatee(
        &app,
        &manager,
        id,
        &uscc("MA4LK3R1", true),
        "撤销前入孵有限公司",
        "2023-03-01",
    )
    .await;
    // Opened before the revocation was recorded.
    let r2025 = open_report(&app, &manager, id, 2025).await;
    let revocation = format!("/carriers/{id}/revocation");
    let (status, body) = call(
        &app,
        &admin,
        Method::PUT,
        &revocation,
        Some(json!({"revoked_on": "2024-06-30", "reason": "不再符合认定条件"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The year of the revocation and the years before: filed as ever.
    let r2024 = open_report(&app, &manager, id, 2024).await;
    open_report(&app, &manager, id, 2023).await;
    let (status, body) = call(
        &app,
        &manager,
        Method::PUT,
        &format!("/reports/{r2024}/figures"),
        Some(json!({"staff": 3, "floor_area_m2": 5000})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call(
        &app,
        &manager,
        Method::PUT,
        &format!("/reports/{r2024}/indicators"),
        Some(json!({"enterprise_id": sun, "indicators": figures(12, 1000)})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = call(
        &app,
        &manager,
        Method::POST,
        &format!("/reports/{r2024}/submission"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "submitted", "{body}");

    // A later year: not opened (422 naming the year), whether a report exists or not.
    for year in [2025, 2026] {
        let (status, body) = call(
            &app,
            &manager,
            Method::POST,
            &format!("/carriers/{id}/reports"),
            Some(json!({"year": year})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{year}: {body}");
        let reason = field(&body, "year");
        assert!(
            reason.contains("2024-06-30") && reason.contains(&format!("{year} 年度")),
            "{body}"
        );
    }
    let (_, listed) = call(&app, &admin, Method::GET, "/reports?year=2026", None).await;
    assert!(
        listed
            .as_array()
            .expect("list")
            .iter()
            .all(|r| r["carrier_id"] != id),
        "no 2026 report was started: {listed}"
    );
    // Nor changed or submitted (409 naming the year); it can still be read.
    let refused = [
        (
            Method::PUT,
            format!("/reports/{r2025}/figures"),
            Some(json!({"staff": 3, "floor_area_m2": 5000})),
        ),
        (
            Method::PUT,
            format!("/reports/{r2025}/indicators"),
            Some(json!({"enterprise_id": sun, "indicators": figures(12, 1000)})),
        ),
        (
            Method::DELETE,
            format!("/reports/{r2025}/indicators/{sun}"),
            None,
        ),
        (Method::POST, format!("/reports/{r2025}/submission"), None),
    ];
    for (method, path, body) in refused.clone() {
        let (status, answer) = call(&app, &manager, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{method} {path}: {answer}");
        assert!(field(&answer, "year").contains("2025"), "{answer}");
    }
    let (status, detail) = call(
        &app,
        &manager,
        Method::GET,
        &format!("/reports/{r2025}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["report"]["status"], "draft");
    assert_eq!(
        detail["report"]["figures"]["staff"],
        Value::Null,
        "nothing was written"
    );
    assert_eq!(detail["rows"].as_array().map(Vec::len), Some(0));
    // Its page says why and offers no form.
    let browser = crate::pages::sign_in(&app, "revoked.mgr", "revoked.mgr-secret-pw").await;
    let html = browser
        .get(app.url(&format!("/reports/{r2025}")))
        .send()
        .await
        .expect("report page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("撤销当年以后年度的年报不能再填报或修改"),
        "{html}"
    );
    assert!(
        !html.contains(&format!("action=\"/reports/{r2025}/figures\"")),
        "{html}"
    );

    // Restored, the carrier files for the later year again.
    let (status, body) = call(
        &app,
        &admin,
        Method::PUT,
        &revocation,
        Some(json!({"restore": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (method, path, body) = refused[0].clone();
    let (status, answer) = call(&app, &manager, method, &path, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    open_report(&app, &manager, id, 2026).await;
}

on_both!(
    a_revoked_carrier_reports_up_to_its_revocation_year,
    carriers_are_registered_rated_and_revoked,
    carrier_managers_keep_their_own_profile,
    enterprises_and_their_incubation_spells,
    an_enterprise_sees_its_own_record,
    yearly_reports_are_filed_and_reviewed,
    ratings_and_approvals_are_audited,
);
