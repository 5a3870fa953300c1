//! The bureau keeps the functional zones and industrial chains; everyone reads them.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, on_both};

async fn bureau_keeps_zones_and_chains(app: TestApp) {
    // A new installation has the city's nine counties, its zone and the default chains.
    let (_, counties) = app.admin(Method::GET, "/api/v1/counties", None).await;
    let names: Vec<&str> = counties
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names.len(), 9);
    assert!(names.contains(&"渌口区") && !names.contains(&"株洲县"));
    let (_, zones) = app.admin(Method::GET, "/api/v1/zones", None).await;
    assert_eq!(zones[0]["name_zh"], "株洲国家高新区");
    assert_eq!(zones[0]["county_code"], "430211");
    let (_, chains) = app.admin(Method::GET, "/api/v1/chains", None).await;
    assert!(
        chains
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["name_zh"] == "先进制造")
    );

    // Adding a zone: the county is checked; the code must be new.
    let (status, v) = app.admin(Method::POST, "/api/v1/zones", Some(json!({"code": "ll_ceramics", "name_zh": "醴陵陶瓷产业园", "name_en": "Liling Ceramics Park", "county": "株洲县"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["error"]["fields"]["county"]
            .as_str()
            .expect("reason")
            .contains("渌口区")
    );
    let (status, v) = app.admin(Method::POST, "/api/v1/zones", Some(json!({"code": "ll_ceramics", "name_zh": "醴陵陶瓷产业园", "name_en": "Liling Ceramics Park", "county": "醴陵市"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["county_code"], "430281");
    let (status, _) = app.admin(Method::POST, "/api/v1/zones", Some(json!({"code": "ll_ceramics", "name_zh": "另一个园区", "name_en": "Another", "county": "醴陵市"}))).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A chain maps to GB/T 4754 divisions; a section letter stands for its divisions.
    let (status, v) = app.admin(Method::POST, "/api/v1/chains", Some(json!({"code": "software", "name_zh": "软件服务", "name_en": "Software", "divisions": ["I"], "sort_order": 20}))).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["divisions"], json!(["63", "64", "65"]));
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/chains",
            Some(json!({"code": "bad", "name_zh": "错误", "name_en": "Bad", "divisions": ["99"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["divisions"].is_string());
    let id = app
        .admin(Method::GET, "/api/v1/chains", None)
        .await
        .1
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["code"] == "software")
        .and_then(|c| c["id"].as_i64())
        .expect("id");
    let (status, v) = app.admin(Method::PATCH, &format!("/api/v1/chains/{id}"), Some(json!({"code": "software", "name_zh": "软件与信息服务", "name_en": "Software and IT services", "divisions": ["64", "65"], "active": false}))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["active"], false);
    // The new zone is a place carriers can be registered in.
    let (op, _) = app.org_with_user("carrier_operator", "ref.op").await;
    let (status, v) = app
        .admin(Method::POST, "/api/v1/carriers", Some(json!({"name": "陶瓷众创空间", "kind": "maker_space", "operator_org_id": op, "county": "醴陵市", "zone": "醴陵陶瓷产业园", "established_year": 2021})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    // Only the bureau edits; everyone signed in reads.
    let (_, ent) = app.org_with_user("enterprise", "ref.reader").await;
    let (status, _) = app.call_with(&ent, Method::POST, "/api/v1/zones", Some(json!({"code": "x_zone", "name_zh": "某园区", "name_en": "Some park", "county": "天元区"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call_with(&ent, Method::GET, "/api/v1/chains", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    // The page offers the same to the bureau.
    let browser = crate::pages::sign_in(&app, "admin", crate::support::ADMIN_PASSWORD).await;
    let html = browser
        .get(app.url("/reference"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("醴陵陶瓷产业园") && html.contains("软件与信息服务"));
}

on_both!(bureau_keeps_zones_and_chains);

/// Every listing's labels come from the zones and chains, which each server keeps for a moment
/// (`fruition_app::fresh`): a renamed chain shows on the very next read all the same.
async fn a_renamed_chain_shows_at_once(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "ref.uni").await;
    let (status, l) = app
        .call_with(
            &uni,
            Method::POST,
            "/api/v1/listings",
            Some(json!({
                "kind": "achievement",
                "title": "碳化硅牵引变流器集成技术",
                "summary": "面向轨道交通牵引系统的碳化硅功率模块与牵引变流器集成技术。",
                "field": "现代交通",
                "chain": "轨道交通",
                "trl": 6,
                "modes": ["licence"]
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    let path = format!("/api/v1/listings/{}", l["id"]);
    for _ in 0..2 {
        let (_, read) = app.call_with(&uni, Method::GET, &path, None).await;
        assert_eq!(read["chain_name"], "轨道交通", "{read}");
    }
    let (_, chains) = app.admin(Method::GET, "/api/v1/chains", None).await;
    let mut rail = chains
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["name_zh"] == "轨道交通")
        .expect("the rail chain")
        .clone();
    let id = rail["id"].as_i64().expect("id");
    rail["name_zh"] = json!("轨道交通装备");
    let body = json!({
        "code": rail["code"], "name_zh": rail["name_zh"], "name_en": rail["name_en"],
        "divisions": rail["divisions"], "sort_order": rail["sort_order"], "active": true
    });
    let (status, v) = app
        .admin(Method::PATCH, &format!("/api/v1/chains/{id}"), Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, read) = app.call_with(&uni, Method::GET, &path, None).await;
    assert_eq!(read["chain_name"], "轨道交通装备", "{read}");
}

on_both!(a_renamed_chain_shows_at_once);
