//! The technology elements market: writing, publishing, hiding and searching listings.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

fn achievement(title: &str) -> Value {
    json!({
        "kind": "achievement",
        "title": title,
        "summary": "面向轨道交通牵引系统的碳化硅功率模块与牵引变流器集成技术，已完成装车试验。",
        "body": "采用碳化硅功率半导体器件，开关损耗降低百分之四十，适用于城轨车辆与干线机车。",
        "field": "轨道交通",
        "county": "天元区",
        "trl": 7,
        "price_k": 3000,
        "modes": ["licence", "joint_development"],
        "inventors": ["张工", "李工"],
        "patents": ["ZL201710601862.3"]
    })
}

fn need(title: &str, deadline: &str) -> Value {
    json!({
        "kind": "need",
        "title": title,
        "summary": "寻求硬质合金刀具涂层技术，提高数控刀片寿命。",
        "field": "新材料",
        "trl": 6,
        "price_k": 500,
        "modes": ["commissioned"],
        "deadline": deadline,
        "indicators": "刀具寿命提高一倍以上"
    })
}

async fn search(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let res = app
        .client
        .get(app.url("/api/v1/listings"))
        .query(&[("q", query)])
        .send()
        .await
        .expect("search");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn ids(found: &Value) -> Vec<i64> {
    found["hits"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|x| x["listing"]["id"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

async fn publish(app: &TestApp, token: &str, id: i64) -> (StatusCode, Value) {
    app.call_with(
        token,
        Method::POST,
        &format!("/api/v1/listings/{id}/actions"),
        Some(json!({"step": "publish"})),
    )
    .await
}

async fn a_listing_from_draft_to_hidden(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "market.uni").await;
    let (_, firm) = app.org_with_user("enterprise", "market.firm").await;

    // Bad input: every field named at once.
    let mut bad = achievement("");
    bad["trl"] = json!(12);
    bad["patents"] = json!(["ZL201710601862.4"]);
    bad["modes"] = json!(["commissioned"]);
    let (status, e) = app
        .call_with(&uni, Method::POST, "/api/v1/listings", Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = e["error"]["fields"].as_object().expect("fields");
    for f in ["title", "trl", "patents", "modes"] {
        assert!(fields.contains_key(f), "{f} named: {e}");
    }
    assert!(
        fields["patents"]
            .as_str()
            .is_some_and(|m| m.contains("校验位")),
        "{e}"
    );
    let mut long = achievement("标题");
    long["title"] = json!("长".repeat(101));
    let (status, e) = app
        .call_with(&uni, Method::POST, "/api/v1/listings", Some(long))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("100"), "{e}");

    // A draft is the owner's alone.
    let (status, l) = app
        .call_with(
            &uni,
            Method::POST,
            "/api/v1/listings",
            Some(achievement("碳化硅牵引变流器集成技术")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    let id = l["id"].as_i64().expect("id");
    assert_eq!(l["status"], "draft");
    assert_eq!(l["details"]["patents"][0], "ZL201710601862.3");
    let (_, found) = search(&app, "牵引变流器").await;
    assert!(!ids(&found).contains(&id), "a draft is not found: {found}");
    let (status, _) = app
        .call_with("", Method::GET, &format!("/api/v1/listings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a draft is not public");
    let (status, _) = app
        .call_with(&firm, Method::GET, &format!("/api/v1/listings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor another organisation's");

    // Published: everyone finds it, the words marked, signed in or not.
    let (status, l) = publish(&app, &uni, id).await;
    assert_eq!(status, StatusCode::OK, "{l}");
    let (status, found) = search(&app, "牵引变流器").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&found), vec![id], "{found}");
    let hit = &found["hits"][0];
    assert!(
        hit["title_html"]
            .as_str()
            .is_some_and(|t| t.contains("<mark>牵引变流器</mark>")),
        "{hit}"
    );
    // Signed out (no token): the published listing is there for everyone.
    let (status, public) = app
        .call_with("", Method::GET, &format!("/api/v1/listings/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["title"], "碳化硅牵引变流器集成技术");

    // Only the owner changes it.
    let (status, _) = app
        .call_with(
            &firm,
            Method::PUT,
            &format!("/api/v1/listings/{id}"),
            Some(achievement("改掉别人的")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            Some(json!({"step": "close"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An edit is found under its new words at once.
    let (status, l) = app
        .call_with(
            &uni,
            Method::PUT,
            &format!("/api/v1/listings/{id}"),
            Some(achievement("碳化硅功率模块装车技术")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    let (_, found) = search(&app, "装车").await;
    assert_eq!(ids(&found), vec![id]);

    // The bureau hides it with a reason; nobody finds it; the owner sees why.
    let (status, e) = app
        .admin(
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            Some(json!({"step": "hide"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {e}"
    );
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            Some(json!({"step": "hide", "reason": "自己屏蔽"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the bureau hides");
    let (status, l) = app
        .admin(
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            Some(json!({"step": "hide", "reason": "价格信息有误"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    let (_, found) = search(&app, "装车").await;
    assert!(ids(&found).is_empty(), "{found}");
    let (_, mine) = app
        .call_with(&uni, Method::GET, "/api/v1/me/listings", None)
        .await;
    assert_eq!(mine[0]["hidden_reason"], "价格信息有误", "{mine}");
    let (status, _) = publish(&app, &uni, id).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the owner cannot republish it"
    );
    let (_, hidden) = app
        .admin(Method::GET, "/api/v1/moderation/listings", None)
        .await;
    assert_eq!(hidden[0]["id"], id);
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            // The verb was called `action` before it was `step` everywhere: still read.
            Some(json!({"action": "restore"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = search(&app, "装车").await;
    assert_eq!(ids(&found), vec![id]);

    // Every change is in the audit log, with what it was before.
    let (_, audit) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?entity=listing&entity_id={id}"),
            None,
        )
        .await;
    let statuses: Vec<(&str, &str)> = audit
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
        statuses,
        vec![
            ("-", "draft"),
            ("draft", "published"),
            ("published", "published"),
            ("published", "hidden"),
            ("hidden", "published")
        ],
        "created, published, edited, hidden, restored"
    );
}

on_both!(a_listing_from_draft_to_hidden);

async fn needs_and_filters(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "market.needs").await;
    // A need without a deadline or indicators is refused, naming them.
    let mut bad = need("硬质合金刀具涂层", "");
    bad["indicators"] = json!("");
    let (status, e) = app
        .call_with(&firm, Method::POST, "/api/v1/listings", Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = e.to_string();
    assert!(
        text.contains("deadline") && text.contains("indicators"),
        "{e}"
    );
    // A deadline in the past cannot be published.
    let (status, old) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/listings",
            Some(need("硬质合金刀具涂层技术需求", "2020-01-01")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{old}");
    let (status, e) = publish(&app, &firm, old["id"].as_i64().expect("id")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("deadline"), "{e}");
    // An enterprise cannot post a policy.
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/listings",
            Some(json!({"kind": "policy", "title": "政策", "summary": "政策", "issuing_body": "局", "issued_on": "2025-01-01", "applies_to": "企业"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, n) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/listings",
            Some(need("硬质合金刀具涂层技术需求", "2099-12-31")),
        )
        .await;
    let need_id = n["id"].as_i64().expect("id");
    assert_eq!(publish(&app, &firm, need_id).await.0, StatusCode::OK);
    let (_, uni) = app.org_with_user("institution", "market.filters").await;
    let (_, a) = app
        .call_with(
            &uni,
            Method::POST,
            "/api/v1/listings",
            Some(achievement("硬质合金涂层刀具成果")),
        )
        .await;
    let ach_id = a["id"].as_i64().expect("id");
    assert_eq!(publish(&app, &uni, ach_id).await.0, StatusCode::OK);

    let get = |q: &'static str| {
        let app = &app;
        async move {
            let (status, v) = app
                .call_with("", Method::GET, &format!("/api/v1/listings?{q}"), None)
                .await;
            assert_eq!(status, StatusCode::OK, "{q}: {v}");
            ids(&v)
        }
    };
    assert_eq!(get("q=硬质合金&kind=need").await, vec![need_id]);
    assert_eq!(get("q=硬质合金&kind=achievement").await, vec![ach_id]);
    assert_eq!(get("q=硬质合金&trl_min=7").await, vec![ach_id]);
    assert_eq!(
        get("q=硬质合金&field=rail_transit&kind=need").await,
        Vec::<i64>::new()
    );
    assert_eq!(get("q=硬质合金&mode=commissioned").await, vec![need_id]);
    assert_eq!(get("q=硬质合金&price_max_k=1000").await, vec![need_id]);
    assert_eq!(
        get("kind=need").await,
        vec![need_id],
        "filters alone list newest first"
    );
    // Nonsense filters are ignored, not refused.
    assert_eq!(
        get("q=硬质合金&trl_min=abc&kind=nothing&page=-3")
            .await
            .len(),
        2
    );
}

on_both!(needs_and_filters);

async fn any_query_is_answered(app: TestApp) {
    let (_, uni) = app.org_with_user("institution", "market.hostile").await;
    let mut a = achievement("<script>alert(1)</script> 牵引变流器");
    a["summary"] = json!("含有 <b>标记</b> & \"引号\" 的简介");
    let (_, l) = app
        .call_with(&uni, Method::POST, "/api/v1/listings", Some(a))
        .await;
    let id = l["id"].as_i64().expect("id");
    assert_eq!(publish(&app, &uni, id).await.0, StatusCode::OK);
    // Nearly 10,000 characters in a URL (a Chinese one would be 90 kB, beyond what clients send);
    // one more repeat passes the limit and is refused, naming q.
    let long = "traction converter ".repeat(526);
    let (status, refused) = search(&app, &"traction converter ".repeat(527)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["error"]["fields"]["q"].is_string(), "{refused}");
    let long_zh = "牵引变流器".repeat(400);
    for q in [
        "😀🚄",
        "１２３４５",
        "\"牵引",
        "'; DROP TABLE listings; --",
        "<script>alert(1)</script>",
        "title:x AND (",
        "*?~^",
        long.as_str(),
        long_zh.as_str(),
        "",
        "   ",
    ] {
        let (status, found) = search(&app, q).await;
        assert_eq!(status, StatusCode::OK, "{q:.20}: {found}");
        for h in found["hits"].as_array().expect("hits") {
            for part in ["title_html", "snippet_html"] {
                let html = h[part].as_str().unwrap_or("");
                assert!(!html.contains("<script>"), "no markup injected: {html}");
            }
        }
    }
    // A long text goes by POST (10,000 Chinese characters would be a 90 kB URL): it is answered
    // and still finds the listing; past 10,000 characters it is refused, naming q.
    let abstract_zh = format!("{}牵引变流器", "的".repeat(9_990));
    let (status, found) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/listings/search",
            Some(json!({"q": abstract_zh})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let (status, refused) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/listings/search",
            Some(json!({"q": "牵".repeat(10_001)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(
        refused["error"]["fields"]["q"]
            .as_str()
            .unwrap_or("")
            .contains("10000"),
        "{refused}"
    );
    let (status, found) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/listings/search",
            Some(json!({"q": "牵引变流器", "kind": "achievement"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["hits"][0]["listing"]["id"], id, "{found}");
    assert_eq!(
        found["left_out_terms"],
        json!([]),
        "a short text is used whole"
    );
    // A need of many words: the search says which words past the 32nd it left out.
    let words = [
        "牵引变流器",
        "碳化硅",
        "功率模块",
        "封装",
        "散热",
        "基板",
        "焊料",
        "键合",
        "可靠性",
        "寿命",
        "振动",
        "监测",
        "传感器",
        "无线",
        "网络",
        "边缘计算",
        "故障诊断",
        "轴承",
        "齿轮箱",
        "润滑",
        "涂层",
        "硬质合金",
        "刀具",
        "磨削",
        "抛光",
        "激光",
        "熔覆",
        "增材制造",
        "钛合金",
        "铝合金",
        "复合材料",
        "碳纤维",
        "树脂",
        "固化",
        "胶接",
        "无损检测",
        "超声",
        "射线",
    ];
    let long_need = words.join("，");
    let (status, found) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/listings/search",
            Some(json!({"q": long_need})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let left: Vec<&str> = found["left_out_terms"]
        .as_array()
        .expect("left out")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!left.is_empty(), "{found}");
    assert!(
        left.contains(&"射线"),
        "the last words are the ones left out: {left:?}"
    );
    assert!(!left.contains(&"牵引变流器"), "{left:?}");
    let page = app
        .client
        .get(app.url("/market"))
        .query(&[("q", long_need.as_str())])
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("以下词未参与检索"), "{page}");
    let (_, found) = search(&app, "script 牵引变流器").await;
    let title = found["hits"][0]["title_html"].as_str().unwrap_or("");
    assert!(
        title.starts_with("&lt;<mark>script</mark>&gt;") && !title.contains("<script"),
        "escaped, and the words still marked: {title}"
    );
    // The page is escaped too.
    let html = app
        .client
        .get(app.url("/market?q=%3Cscript%3Ealert(1)%3C/script%3E"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        !html.contains("<script>alert(1)"),
        "the query is escaped on the page"
    );
}

on_both!(any_query_is_answered);

/// Issue 15, item 7: the market search's kind filter is a labelled filter ("只看：") whose
/// current kind is marked (`aria-current`, a check mark), the others plain links; with no kind
/// chosen, "all kinds" is the current one.
async fn the_kind_filter_marks_the_current_kind(app: TestApp) {
    let page = |path: &'static str| {
        let app = &app;
        async move {
            let html = app
                .client
                .get(app.url(path))
                .header("accept-language", "zh-CN")
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("html");
            let start = html
                .find("<nav class=\"kind-filter\"")
                .expect("the kind filter");
            let end = start + html[start..].find("</nav>").expect("its end");
            html[start..end].to_string()
        }
    };
    let filter = page("/market?kind=need&q=%E7%94%B5").await;
    assert!(
        filter.contains("aria-labelledby=\"kind-filter-label\"") && filter.contains("只看："),
        "{filter}"
    );
    let current: Vec<&str> = filter
        .split("<li>")
        .filter(|item| item.contains("aria-current=\"true\""))
        .collect();
    assert_eq!(current.len(), 1, "one kind is current: {filter}");
    assert!(
        current[0].contains("kind=need") && current[0].contains("✓"),
        "{}",
        current[0]
    );
    assert_eq!(filter.matches("✓").count(), 1, "{filter}");
    let all = page("/market").await;
    let current: Vec<&str> = all
        .split("<li>")
        .filter(|item| item.contains("aria-current=\"true\""))
        .collect();
    assert_eq!(current.len(), 1, "{all}");
    assert!(
        current[0].contains("全部") && !current[0].contains("kind="),
        "{}",
        current[0]
    );
}

on_both!(the_kind_filter_marks_the_current_kind);

/// A listing published through one app server is found through another within a second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_server_finds_it_within_a_second() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let other = app.second_server().await;
    let (_, uni) = app.org_with_user("institution", "market.servers").await;
    let (_, l) = app
        .call_with(
            &uni,
            Method::POST,
            "/api/v1/listings",
            Some(achievement("航空发动机叶片修复技术")),
        )
        .await;
    let id = l["id"].as_i64().expect("id");
    assert_eq!(publish(&app, &uni, id).await.0, StatusCode::OK);
    let published = Instant::now();
    loop {
        let found: Value = app
            .client
            .get(format!("{other}/api/v1/listings"))
            .query(&[("q", "叶片修复")])
            .send()
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
        if ids(&found).contains(&id) {
            eprintln!(
                "found on the other server {} ms after publication",
                published.elapsed().as_millis()
            );
            break;
        }
        assert!(
            published.elapsed() < Duration::from_secs(1),
            "not found on the other server within a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The pages: a signed-out visitor searches; an institution writes an achievement in the form,
/// fixes what the form says is wrong, publishes it, and it is found.
async fn the_pages(app: TestApp) {
    use crate::registry_pages::{get, id_in, submit};
    let (_, _) = app.org_with_user("institution", "market.page").await;
    let browser = crate::pages::sign_in(&app, "market.page", "market.page-secret-pw").await;
    let page = get(&app, &browser, "/market/new").await;
    assert!(
        page.html.contains("href=\"/market/new?kind=achievement\""),
        "the kinds it may list"
    );
    assert!(!page.html.contains("kind=policy"), "not policies");
    let mut fields = vec![
        ("kind", "achievement"),
        ("title", "硬质合金数控刀片涂层技术"),
        ("summary", "纳米多层涂层，刀片寿命提高一倍。"),
        ("field", "new_materials"),
        ("trl", "6"),
        ("modes", "licence"),
        ("modes", "equity"),
        ("price_k", "八百"),
        ("patents", "ZL201710601862.4"),
    ];
    let wrong = submit(
        &app,
        &browser,
        "/market/new?kind=achievement",
        "/market/new",
        &fields,
    )
    .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.html
    );
    assert!(wrong.html.contains("error-summary"), "the error summary");
    assert!(
        wrong.html.contains("校验位不符"),
        "the patent's reason beside it"
    );
    assert!(
        wrong.html.contains("不是以万元为单位的金额"),
        "the price's reason beside it"
    );
    assert!(
        wrong.html.contains("硬质合金数控刀片涂层技术"),
        "what was typed is kept"
    );
    fields.retain(|(k, _)| *k != "patents" && *k != "price_k");
    fields.push(("patents", "ZL201710601862.3"));
    fields.push(("price_k", "800"));
    let created = submit(
        &app,
        &browser,
        "/market/new?kind=achievement",
        "/market/new",
        &fields,
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let id = id_in(&created.location);
    let published = submit(
        &app,
        &browser,
        &format!("/market/listings/{id}"),
        &format!("/market/listings/{id}/actions"),
        &[("action", "publish")],
    )
    .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    // Signed out, the search page finds it, the words marked.
    let html = app
        .client
        .get(app.url("/market?q=%E5%88%80%E7%89%87%E6%B6%82%E5%B1%82"))
        .send()
        .await
        .expect("search")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(&format!("href=\"/market/listings/{id}\"")),
        "found"
    );
    assert!(html.contains("<mark>"), "marked");
    let detail = app
        .client
        .get(app.url(&format!("/market/listings/{id}")))
        .send()
        .await
        .expect("detail")
        .text()
        .await
        .expect("html");
    // The form's price is in 万元, as the page shows it (the API keeps 千元).
    assert!(detail.contains("ZL201710601862.3") && detail.contains("800 万元"));
    assert!(
        !detail.contains("action=\"/market/listings/{id}/actions\""),
        "no forms for visitors"
    );
}

on_both!(the_pages);
