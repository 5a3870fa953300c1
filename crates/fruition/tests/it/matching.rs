//! Matching supply to demand, with reasons; verdicts; kept searches and the inbox (精准推送).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

async fn publish(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, l) = app
        .call_with(token, Method::POST, "/api/v1/listings", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    let id = l["id"].as_i64().expect("id");
    let (status, l) = app
        .call_with(
            token,
            Method::POST,
            &format!("/api/v1/listings/{id}/actions"),
            Some(json!({"step": "publish"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    id
}

fn achievement(title: &str, summary: &str, field: &str, trl: i64) -> Value {
    json!({
        "kind": "achievement", "title": title, "summary": summary, "field": field, "county": "天元区",
        "trl": trl, "modes": ["licence"], "price_k": 2000
    })
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, v) = app
        .call_with(token, Method::GET, "/api/v1/me/inbox", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v.as_array().cloned().unwrap_or_default()
}

async fn suggestions_with_reasons(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "match.firm").await;
    let (_, uni_a) = app.org_with_user("institution", "match.uni.a").await;
    let (_, uni_b) = app.org_with_user("institution", "match.uni.b").await;
    let (_, outsider) = app.org_with_user("enterprise", "match.outsider").await;

    // The enterprise keeps a search before anything is published.
    let (status, s) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/me/saved-searches",
            Some(json!({"name": "碳化硅成果", "query": {"q": "碳化硅", "kind": "achievement"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    let (status, e) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/me/saved-searches",
            Some(json!({"name": "空的", "query": {}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "城轨车辆牵引变流器碳化硅化改造", "summary": "寻求碳化硅功率模块用于牵引变流器，降低开关损耗。",
            "field": "modern_transport", "county": "天元区", "trl": 6, "modes": ["joint_development"], "deadline": "2099-06-30",
            "indicators": "牵引变流器效率提高两个百分点"
        }),
    )
    .await;
    let fit = publish(
        &app,
        &uni_a,
        achievement(
            "碳化硅牵引变流器",
            "碳化硅功率模块牵引变流器，已完成装车考核，开关损耗降低百分之四十。",
            "modern_transport",
            7,
        ),
    )
    .await;
    let early = publish(
        &app,
        &uni_b,
        achievement(
            "牵引变流器碳化硅驱动电路",
            "面向牵引变流器的碳化硅器件驱动电路，实验室样机阶段。",
            "modern_transport",
            4,
        ),
    )
    .await;
    let unrelated = publish(
        &app,
        &uni_b,
        achievement(
            "医学影像人工智能辅助诊断",
            "基于深度学习的肺结节影像识别。",
            "biomedicine",
            8,
        ),
    )
    .await;

    // The need's suggestions: the fitting achievement first, with its reasons in words.
    let (status, s) = app
        .call_with(
            &firm,
            Method::GET,
            &format!("/api/v1/listings/{need}/matches"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    let list = s.as_array().expect("suggestions");
    let ids: Vec<i64> = list
        .iter()
        .filter_map(|x| x["listing"]["id"].as_i64())
        .collect();
    assert_eq!(ids.first(), Some(&fit), "{s}");
    assert!(ids.contains(&early));
    assert!(!ids.contains(&unrelated), "nothing in common: {s}");
    let reasons: Vec<&str> = list[0]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["zh"].as_str())
        .collect();
    assert!(
        reasons[0].starts_with("共同关键词：") && reasons[0].contains("牵引变流器"),
        "{reasons:?}"
    );
    assert!(reasons.contains(&"同属现代交通领域"), "{reasons:?}");
    assert!(
        reasons.contains(&"技术就绪水平7级，满足需求的≥6级"),
        "{reasons:?}"
    );
    let early_reasons = list
        .iter()
        .find(|x| x["listing"]["id"] == early)
        .expect("early")["reasons"]
        .to_string();
    assert!(
        early_reasons.contains("技术就绪水平4级，低于需求的≥6级"),
        "{early_reasons}"
    );
    assert!(list[0]["score"].as_f64() > list[1]["score"].as_f64());

    // The achievement's owner sees the need among its suggestions.
    let (_, s) = app
        .call_with(
            &uni_a,
            Method::GET,
            &format!("/api/v1/listings/{fit}/matches"),
            None,
        )
        .await;
    assert_eq!(s[0]["listing"]["id"], need, "{s}");

    // Someone else's suggestions do not exist for them.
    let (status, _) = app
        .call_with(
            &outsider,
            Method::GET,
            &format!("/api/v1/listings/{need}/matches"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A verdict: a rejected pair is not suggested again; a bad verdict names the field.
    let path = format!("/api/v1/listings/{need}/matches/{early}/feedback");
    let (status, e) = app
        .call_with(&firm, Method::PUT, &path, Some(json!({"verdict": "meh"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.to_string().contains("verdict"), "{e}");
    let (status, _) = app
        .call_with(
            &outsider,
            Method::PUT,
            &path,
            Some(json!({"verdict": "off_field"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only the owner judges");
    let (status, f) = app
        .call_with(
            &firm,
            Method::PUT,
            &path,
            Some(json!({"verdict": "too_early", "comment": "需要装车验证"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let (_, s) = app
        .call_with(
            &firm,
            Method::GET,
            &format!("/api/v1/listings/{need}/matches"),
            None,
        )
        .await;
    let suggested: Vec<i64> = s
        .as_array()
        .expect("suggestions")
        .iter()
        .filter_map(|x| x["listing"]["id"].as_i64())
        .collect();
    assert!(
        !suggested.contains(&early),
        "a rejected pair is not suggested again: {s}"
    );
    assert!(suggested.contains(&fit), "the others still are: {s}");
    let (status, f) = app
        .call_with(
            &firm,
            Method::PUT,
            &format!("/api/v1/listings/{need}/matches/{fit}/feedback"),
            Some(json!({"verdict": "interested"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let (_, s) = app
        .call_with(
            &firm,
            Method::GET,
            &format!("/api/v1/listings/{need}/matches"),
            None,
        )
        .await;
    assert_eq!(s[0]["listing"]["id"], fit, "interest keeps it: {s}");
    assert_eq!(s[0]["verdict"], "interested");

    // The inbox: the kept search and the need were both told of the fitting achievement.
    let messages = inbox(&app, &firm).await;
    let about = |id: i64, kind: &str| {
        messages
            .iter()
            .filter(|m| m["kind"] == kind && m["link"] == format!("/market/listings/{id}").as_str())
            .count()
    };
    assert_eq!(about(fit, "saved_search"), 1, "{messages:?}");
    assert_eq!(about(fit, "need_match"), 1, "{messages:?}");
    assert_eq!(about(unrelated, "saved_search"), 0, "no 碳化硅 in it");
    assert_eq!(about(unrelated, "need_match"), 0);
    let first = messages[0]["id"].as_i64().expect("id");
    let (status, _) = app
        .call_with(
            &outsider,
            Method::POST,
            &format!("/api/v1/me/inbox/{first}/read"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not theirs");
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("/api/v1/me/inbox/{first}/read"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(inbox(&app, &firm).await[0]["read"], true);
    // Publishing again (closed, then reopened) does not tell twice.
    for action in ["close", "publish"] {
        let (status, _) = app
            .call_with(
                &uni_a,
                Method::POST,
                &format!("/api/v1/listings/{fit}/actions"),
                Some(json!({"step": action})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(inbox(&app, &firm).await.len(), messages.len());
    assert!(
        inbox(&app, &outsider).await.is_empty(),
        "the outsider kept no search and posted no need"
    );
}

on_both!(suggestions_with_reasons);

/// The ids of a listing's suggestions, as its owner sees them.
async fn suggested(app: &TestApp, token: &str, id: i64) -> Vec<i64> {
    let (status, s) = app
        .call_with(
            token,
            Method::GET,
            &format!("/api/v1/listings/{id}/matches"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    s.as_array()
        .expect("suggestions")
        .iter()
        .filter_map(|x| x["listing"]["id"].as_i64())
        .collect()
}

/// Suggestions are kept between views and computed again when something they depend on
/// changes: a new matching achievement is suggested at once, a closed one is gone, a verdict
/// takes its pair out; on PostgreSQL also when the change is made on another app server.
async fn kept_suggestions_follow_changes(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "kept.firm").await;
    let (_, uni) = app.org_with_user("institution", "kept.uni").await;
    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "硬质合金刀具涂层寿命提升", "summary": "寻求硬质合金刀具涂层技术，提高数控刀片寿命。",
            "field": "new_materials", "county": "天元区", "trl": 5, "modes": ["licence"], "deadline": "2099-06-30",
            "indicators": "数控刀片寿命提高一倍"
        }),
    )
    .await;
    let first = publish(
        &app,
        &uni,
        achievement(
            "硬质合金刀具纳米涂层",
            "硬质合金刀具纳米多层涂层，数控刀片寿命提高一倍。",
            "new_materials",
            7,
        ),
    )
    .await;
    assert_eq!(suggested(&app, &firm, need).await, vec![first]);
    // Kept: a second view reads the kept suggestions.
    let generation = app.app.search.generation();
    assert_eq!(suggested(&app, &firm, need).await, vec![first]);
    assert!(
        !app.app.suggestions.is_empty(),
        "the need's suggestions are kept"
    );
    assert_eq!(app.app.search.generation(), generation);

    // A new matching achievement is among them at once.
    let second = publish(
        &app,
        &uni,
        achievement(
            "硬质合金数控刀片涂层工艺",
            "硬质合金数控刀片物理气相沉积涂层工艺，刀具寿命提高百分之六十。",
            "new_materials",
            6,
        ),
    )
    .await;
    let ids = suggested(&app, &firm, need).await;
    assert!(ids.contains(&second) && ids.contains(&first), "{ids:?}");

    // Closed, it is gone.
    let (status, _) = app
        .call_with(
            &uni,
            Method::POST,
            &format!("/api/v1/listings/{second}/actions"),
            Some(json!({"step": "close"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(suggested(&app, &firm, need).await, vec![first]);
    // The need's page (which passes the listing it read to its suggestions) says the same.
    let browser = crate::pages::sign_in(&app, "kept.firm", "kept.firm-secret-pw").await;
    let page_path = format!("/market/listings/{need}");
    let page = crate::registry_pages::get(&app, &browser, &page_path)
        .await
        .html;
    let shown = |id: i64| page.contains(&format!("<a href=\"/market/listings/{id}\">"));
    assert!(shown(first) && !shown(second), "{page}");

    // A verdict that rejects the pair takes it out.
    let (status, f) = app
        .call_with(
            &firm,
            Method::PUT,
            &format!("/api/v1/listings/{need}/matches/{first}/feedback"),
            Some(json!({"verdict": "price"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert!(suggested(&app, &firm, need).await.is_empty());
    let page = crate::registry_pages::get(&app, &browser, &page_path)
        .await
        .html;
    assert!(
        !page.contains(&format!("<a href=\"/market/listings/{first}\">")),
        "{page}"
    );

    // A change made on another server reaches this server's kept suggestions through the log.
    if app.db_url.is_some() {
        let other = app.second_server().await;
        let res = app
            .client
            .post(format!("{other}/api/v1/listings/{second}/actions"))
            .bearer_auth(&uni)
            .json(&json!({"step": "publish"}))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::OK);
        let started = std::time::Instant::now();
        loop {
            let ids = suggested(&app, &firm, need).await;
            if ids == vec![second] {
                break;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "the reopened listing is not suggested: {ids:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

on_both!(kept_suggestions_follow_changes);

async fn matches(app: &TestApp, token: &str, need: i64) -> Vec<Value> {
    let (status, m) = app
        .call_with(
            token,
            Method::GET,
            &format!("/api/v1/listings/{need}/matches"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m.as_array().cloned().unwrap_or_default()
}

/// A suggestion's reasons, as the page says them (Chinese).
fn zh_reasons(m: &Value) -> Vec<String> {
    m["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["zh"].as_str().map(str::to_string))
        .collect()
}

/// Suggestions carry a calibrated confidence. A need whose only candidates share a stray word
/// is answered "no convincing match" (the page says so and offers to keep the need as a saved
/// search, the weak ones folded); once an achievement that addresses it is published, that one
/// is convincing and listed first.
async fn weak_suggestions_are_said_to_be_weak(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "weak.firm").await;
    let (_, uni) = app.org_with_user("institution", "weak.uni").await;
    // Listings of other subjects, sharing at most a word with the need.
    for (title, summary, field) in [
        (
            "稻田绿色高效施肥技术",
            "根据水稻需肥规律配施缓释肥，减少氮肥用量，提高稻谷产量和大米品质。",
            "agriculture",
        ),
        (
            "城市污水处理厂污泥资源化利用",
            "污泥厌氧消化产沼气，残渣制作园林基质。",
            "environment",
        ),
        (
            "中小学校园安全视频分析平台",
            "基于视频的校园周界入侵识别与告警。",
            "electronic_information",
        ),
    ] {
        publish(&app, &uni, achievement(title, summary, field, 6)).await;
    }
    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "大米蛋白中残留杀菌剂的去除工艺", "summary": "大米蛋白粉中检出多菌灵残留，寻求在不破坏蛋白功能的前提下去除残留的工艺。",
            "field": "agriculture", "county": "天元区", "trl": 6, "modes": ["joint_development"], "deadline": "2099-06-30",
            "indicators": "多菌灵残留低于0.01毫克每千克，蛋白溶解度不降低"
        }),
    )
    .await;
    let weak = matches(&app, &firm, need).await;
    assert!(!weak.is_empty(), "still listed, folded: {weak:?}");
    for s in &weak {
        let confidence = s["confidence"].as_f64().expect("confidence");
        assert!((0.0..0.35).contains(&confidence), "{s}");
        assert_eq!(s["convincing"], false, "{s}");
    }
    let browser = crate::pages::sign_in(&app, "weak.firm", "weak.firm-secret-pw").await;
    let page =
        crate::registry_pages::get(&app, &browser, &format!("/market/listings/{need}")).await;
    assert!(
        page.html.contains("暂未找到令人信服的匹配"),
        "{}",
        page.html
    );
    assert!(page.html.contains("保存为订阅检索"), "{}", page.html);
    assert!(page.html.contains("id=\"weak-matches\""), "{}", page.html);

    // An achievement that addresses the need.
    let fit = publish(
        &app,
        &uni,
        achievement(
            "大米蛋白中多菌灵残留的脱除工艺",
            "采用乙醇-水梯度洗脱与活性炭吸附去除大米蛋白中的多菌灵残留，蛋白功能性质保持良好。",
            "agriculture",
            6,
        ),
    )
    .await;
    let found = matches(&app, &firm, need).await;
    assert_eq!(found[0]["listing"]["id"], fit, "{found:?}");
    assert_eq!(found[0]["convincing"], true, "{}", found[0]);
    assert!(
        found[1..].iter().all(|s| s["convincing"] == false),
        "{found:?}"
    );
    let page =
        crate::registry_pages::get(&app, &browser, &format!("/market/listings/{need}")).await;
    assert!(
        !page.html.contains("暂未找到令人信服的匹配"),
        "{}",
        page.html
    );
}

on_both!(weak_suggestions_are_said_to_be_weak);

/// A need and an achievement that name the same thing differently (the synonym dictionary:
/// 绝缘栅双极晶体管 is IGBT, 碳化硅 is SiC): the achievement is suggested, and the reason says
/// both names; a search by the abbreviation finds the need written out in full.
async fn other_names_of_the_same_thing_match(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "names.firm").await;
    let (_, uni) = app.org_with_user("institution", "names.uni").await;
    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "绝缘栅双极晶体管模块国产化封装", "summary": "机车变流器用绝缘栅双极晶体管模块依赖进口，寻求模块封装与可靠性试验技术。",
            "field": "electronic_information", "county": "天元区", "trl": 6, "modes": ["joint_development"], "deadline": "2099-06-30",
            "indicators": "模块功率循环寿命不低于进口产品"
        }),
    )
    .await;
    let fit = publish(
        &app,
        &uni,
        achievement(
            "高可靠IGBT模块封装技术",
            "IGBT模块银烧结封装工艺与功率循环可靠性试验平台，已用于机车变流器。",
            "electronic_information",
            7,
        ),
    )
    .await;
    publish(
        &app,
        &uni,
        achievement(
            "稻田绿色高效施肥技术",
            "根据水稻需肥规律配施缓释肥，减少氮肥用量。",
            "agriculture",
            6,
        ),
    )
    .await;
    let found = matches(&app, &firm, need).await;
    assert_eq!(found[0]["listing"]["id"], fit, "{found:?}");
    let reasons: Vec<&str> = found[0]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["zh"].as_str())
        .collect();
    assert!(
        reasons[0].starts_with("共同关键词：") && reasons[0].contains("绝缘栅双极晶体管=IGBT"),
        "{reasons:?}"
    );
    // Said once, not once per word of the long name.
    assert_eq!(reasons[0].matches("=IGBT").count(), 1, "{reasons:?}");

    let (status, hits) = app
        .call_with(&uni, Method::GET, "/api/v1/listings?q=IGBT&kind=need", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{hits}");
    let ids: Vec<i64> = hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["listing"]["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![need], "{hits}");
}

on_both!(other_names_of_the_same_thing_match);

/// What the owner marks interested teaches the suggestions: an achievement that shares no word
/// with the need but the liked one's own (its method: plasma-sprayed alumina) is suggested
/// once the owner likes the first, with a reason that says so; the need's own words are still
/// the shared key terms.
async fn what_the_owner_liked_teaches_the_suggestions(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "liked.firm").await;
    let (_, uni) = app.org_with_user("institution", "liked.uni").await;
    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "牵引电机轴承电腐蚀防护", "summary": "变频驱动的牵引电机轴承出现电腐蚀，寻求防护技术。",
            "field": "advanced_manufacturing", "county": "天元区", "trl": 6, "modes": ["joint_development"], "deadline": "2099-06-30",
            "indicators": "轴承电腐蚀故障率下降一半以上"
        }),
    )
    .await;
    let liked = publish(
        &app,
        &uni,
        achievement(
            "绝缘轴承等离子喷涂氧化铝陶瓷涂层",
            "在轴承外圈等离子喷涂氧化铝陶瓷涂层，阻断轴电流，防止牵引电机轴承电腐蚀。",
            "advanced_manufacturing",
            7,
        ),
    )
    .await;
    let method = publish(
        &app,
        &uni,
        achievement(
            "大气等离子喷涂氧化铝陶瓷涂层工艺",
            "大气等离子喷涂制备氧化铝陶瓷涂层，涂层致密，结合强度高，用于耐磨部件。",
            "new_materials",
            7,
        ),
    )
    .await;
    let ids = |found: &[Value]| -> Vec<i64> {
        found
            .iter()
            .filter_map(|m| m["listing"]["id"].as_i64())
            .collect()
    };
    let before = matches(&app, &firm, need).await;
    assert_eq!(ids(&before), vec![liked], "{before:?}");

    let (status, f) = app
        .call_with(
            &firm,
            Method::PUT,
            &format!("/api/v1/listings/{need}/matches/{liked}/feedback"),
            Some(json!({"verdict": "interested"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let after = matches(&app, &firm, need).await;
    assert_eq!(ids(&after), vec![liked, method], "{after:?}");
    let taught = zh_reasons(&after[1]);
    assert!(
        taught
            .iter()
            .any(|r| r.starts_with("与您标记为“感兴趣”的推荐相近：") && r.contains("喷涂")),
        "{taught:?}"
    );
    // No word of the need is claimed as shared.
    assert!(
        !taught.iter().any(|r| r.starts_with("共同关键词")),
        "{taught:?}"
    );
    assert!(zh_reasons(&after[0])[0].starts_with("共同关键词："));
    // The liked one is said to be liked; the new one is not convincing on the need's own words.
    assert_eq!(after[0]["verdict"], "interested");
    assert_eq!(after[1]["convincing"], false, "{after:?}");
}

on_both!(what_the_owner_liked_teaches_the_suggestions);

/// Each suggested owner's activity (listings published in the last year, drafts not counted) is
/// said as a reason and counted for every owner at once: an institution with three published
/// achievements is "active (3)", one with two, a closed one and a draft is not.
async fn each_suggested_owner_has_its_own_activity(app: TestApp) {
    let (_, firm) = app.org_with_user("enterprise", "active.firm").await;
    let (_, busy) = app.org_with_user("institution", "active.busy").await;
    let (_, quiet) = app.org_with_user("institution", "active.quiet").await;
    let need = publish(
        &app,
        &firm,
        json!({
            "kind": "need", "title": "硬质合金刀具涂层寿命提升", "summary": "数控加工用硬质合金刀具涂层磨损快，寻求提高刀具涂层寿命的技术。",
            "field": "advanced_manufacturing", "county": "天元区", "trl": 5, "modes": ["licence"], "deadline": "2099-06-30",
            "indicators": "刀具寿命提高50%以上"
        }),
    )
    .await;
    let mut busy_ids = Vec::new();
    for title in [
        "硬质合金刀具纳米多层涂层",
        "硬质合金刀具涂层后处理工艺",
        "高速切削硬质合金刀具涂层",
    ] {
        busy_ids.push(
            publish(
                &app,
                &busy,
                achievement(
                    title,
                    "提高硬质合金刀具涂层的耐磨性和寿命。",
                    "advanced_manufacturing",
                    6,
                ),
            )
            .await,
        );
    }
    let quiet_id = publish(
        &app,
        &quiet,
        achievement(
            "硬质合金刀具涂层磨损检测",
            "检测硬质合金刀具涂层磨损，评估刀具寿命。",
            "advanced_manufacturing",
            6,
        ),
    )
    .await;
    publish(
        &app,
        &quiet,
        achievement(
            "茶叶萎凋连续化设备",
            "茶叶鲜叶萎凋连续化、自动化设备。",
            "agriculture",
            6,
        ),
    )
    .await;
    // A closed listing is not activity (counted, it would make the third); nor is a draft.
    let closed = publish(
        &app,
        &quiet,
        achievement("茶叶揉捻机改进", "已结束对接。", "agriculture", 6),
    )
    .await;
    let (status, c) = app
        .call_with(
            &quiet,
            Method::POST,
            &format!("/api/v1/listings/{closed}/actions"),
            Some(json!({"step": "close"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let (status, draft) = app
        .call_with(
            &quiet,
            Method::POST,
            "/api/v1/listings",
            Some(achievement(
                "硬质合金刀具涂层草稿",
                "尚未发布。",
                "advanced_manufacturing",
                6,
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");

    let found = matches(&app, &firm, need).await;
    let reasons_of = |id: i64| -> Vec<String> {
        zh_reasons(
            found
                .iter()
                .find(|m| m["listing"]["id"].as_i64() == Some(id))
                .unwrap_or_else(|| panic!("{id} is suggested: {found:?}")),
        )
    };
    for id in busy_ids {
        assert!(
            reasons_of(id).contains(&"发布方近一年活跃（发布3条信息）".to_string()),
            "{:?}",
            reasons_of(id)
        );
    }
    assert!(
        !reasons_of(quiet_id).iter().any(|r| r.contains("活跃")),
        "{:?}",
        reasons_of(quiet_id)
    );
}
on_both!(each_suggested_owner_has_its_own_activity);
