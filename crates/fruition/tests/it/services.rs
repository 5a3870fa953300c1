//! One-stop services through the API: a provider's catalogue; an enterprise's request from
//! asking to rating (accepted, each step recorded, completed with the charge, rated once — and
//! two ratings at once end in one); a decline needs its reason; a request waiting past its
//! promise is overdue (flag, filter, figures); a general request goes to the carrier incubating
//! the enterprise; another organisation neither sees nor acts; bad input names its fields; the
//! audit entries; the inbox notices; each provider's figures.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, at_once, count, incubate_at, on_both};

/// The fields an error names.
fn fields(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A service body: 3 steps, 24 hours to answer, priced `price_fen`.
pub fn service_body(title: &str, price_fen: i64) -> Value {
    json!({
        "category": "intellectual_property", "title": title,
        "description": "为科技型中小企业提供发明专利检索、撰写与申请代理，含审查意见答复。",
        "materials": ["营业执照复印件", "技术交底书"],
        "response_time": 1, "response_unit": "days",
        "steps": ["需求沟通", "专利检索", "撰写并提交申请"],
        "price_fen": price_fen, "voucher_payable": price_fen > 0
    })
}

/// `token` offers a service; its id.
pub async fn offer(app: &TestApp, token: &str, title: &str, price_fen: i64) -> i64 {
    app.expect(
        token,
        Method::POST,
        "/services",
        Some(service_body(title, price_fen)),
        StatusCode::CREATED,
    )
    .await["service"]["id"]
        .as_i64()
        .expect("service id")
}

/// `token` asks for service `service`; the request's id.
pub async fn ask(app: &TestApp, token: &str, service: i64) -> i64 {
    app.expect(
        token,
        Method::POST,
        "/services/requests",
        Some(json!({"service_id": service, "need": "我公司有两项新型牵引变流器技术需要申请发明专利。"})),
        StatusCode::CREATED,
    )
    .await["request"]["id"]
        .as_i64()
        .expect("request id")
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value, status: StatusCode) -> Value {
    app.expect(
        token,
        Method::POST,
        &format!("/services/requests/{id}/actions"),
        Some(body),
        status,
    )
    .await
}

async fn audit(app: &TestApp, entity: &str, id: i64) -> Vec<Value> {
    app.expect(
        &app.admin_token,
        Method::GET,
        &format!("/audit-entries?entity={entity}&entity_id={id}"),
        None,
        StatusCode::OK,
    )
    .await
    .as_array()
    .cloned()
    .expect("entries")
}

async fn inbox_text(app: &TestApp, token: &str) -> String {
    app.expect(token, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await
        .to_string()
}

async fn service_story(app: TestApp) {
    let admin = app.admin_token.clone();
    let (agency_org, agency) = app.org_with_user("service_agency", "sv.agency").await;
    let (_, firm) = app.org_with_user("enterprise", "sv.firm").await;
    let (_, rival) = app.org_with_user("enterprise", "sv.rival").await;
    let (_, other_agency) = app.org_with_user("service_agency", "sv.other").await;

    // The agency offers a priced service; everyone browses it with filters.
    let id = offer(&app, &agency, "发明专利申请代理", 300_000).await;
    let free = offer(&app, &agency, "专利政策解读", 0).await;
    let list = app
        .expect(
            &firm,
            Method::GET,
            "/services?free=true",
            None,
            StatusCode::OK,
        )
        .await;
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [free]);
    let list = app
        .expect(
            &firm,
            Method::GET,
            "/services?voucher=true&q=%E4%BB%A3%E7%90%86",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(list[0]["id"], id, "{list}");
    assert_eq!(list[0]["price"], "3,000.00 元", "{list}");
    assert_eq!(list[0]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(list[0]["response_label"], "1 天");
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/services/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["can_request"], true, "{d}");
    assert_eq!(d["can_edit"], false, "{d}");

    // The firm asks; the agency is told and sees it in its queue.
    let r = ask(&app, &firm, id).await;
    assert!(inbox_text(&app, &agency).await.contains("收到新的服务申请"));
    let queue = app
        .expect(
            &agency,
            Method::GET,
            "/services/requests?role=incoming",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(queue[0]["id"], r);
    assert_eq!(queue[0]["overdue"], false);
    assert_eq!(queue[0]["status"], "requested");

    // Another organisation neither sees nor acts: not found.
    app.expect(
        &rival,
        Method::GET,
        &format!("/services/requests/{r}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    act(
        &app,
        &other_agency,
        r,
        json!({"step": "accept"}),
        StatusCode::NOT_FOUND,
    )
    .await;
    let theirs = app
        .expect(
            &rival,
            Method::GET,
            "/services/requests",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(theirs.as_array().unwrap().len(), 0);
    // The firm cannot answer its own request; the agency cannot rate.
    act(
        &app,
        &firm,
        r,
        json!({"step": "accept"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    // A step not legal now names `step`.
    let e = act(
        &app,
        &agency,
        r,
        json!({"step": "complete"}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(fields(&e), ["step"]);

    // Accepted: the firm is told; steps are recorded in any order, each once.
    let d = act(&app, &agency, r, json!({"step": "accept"}), StatusCode::OK).await;
    assert_eq!(d["request"]["status"], "accepted");
    assert!(d["request"]["answered_at"].is_string());
    assert!(inbox_text(&app, &firm).await.contains("已受理"));
    let e = act(
        &app,
        &agency,
        r,
        json!({"step": "complete"}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(fields(&e), ["steps"], "steps not done yet: {e}");
    let e = act(
        &app,
        &agency,
        r,
        json!({"step": "record", "position": 9}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&e), ["position"]);
    for p in 1..=3 {
        let d = act(
            &app,
            &agency,
            r,
            json!({"step": "record", "position": p, "note": format!("第{p}步已完成")}),
            StatusCode::OK,
        )
        .await;
        assert_eq!(d["request"]["status"], "in_progress");
        assert!(d["steps"][p as usize - 1]["done_at"].is_string(), "{d}");
    }
    let e = act(
        &app,
        &agency,
        r,
        json!({"step": "record", "position": 1}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(fields(&e), ["position"]);
    // Completed with the service's price as the charge; the firm is told.
    let d = act(
        &app,
        &agency,
        r,
        json!({"step": "complete"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["request"]["status"], "completed");
    assert_eq!(d["request"]["charge_fen"], 300_000);
    assert!(inbox_text(&app, &firm).await.contains("已办结"));

    // The rating: bad stars name the field; two ratings at once end in one; the agency is told.
    let e = act(
        &app,
        &firm,
        r,
        json!({"step": "rate", "stars": 6}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&e), ["stars"]);
    act(
        &app,
        &agency,
        r,
        json!({"step": "rate", "stars": 5}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let path = format!("/services/requests/{r}/actions");
    let statuses = at_once(
        &app,
        &firm,
        (1..=4)
            .map(|s| {
                (
                    path.clone(),
                    json!({"step": "rate", "stars": s + 1, "note": "响应及时，专业"}),
                )
            })
            .collect(),
    )
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 3, "{statuses:?}");
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/services/requests/{r}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        d["request"]["rating"]
            .as_i64()
            .is_some_and(|s| (2..=5).contains(&s))
    );
    assert!(d["actions"].as_array().unwrap().is_empty(), "{d}");
    let e = act(
        &app,
        &firm,
        r,
        json!({"step": "rate", "stars": 3}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(fields(&e), ["rating"]);
    assert!(inbox_text(&app, &agency).await.contains("已评价"));

    // A decline needs its reason; the firm is told.
    let r2 = ask(&app, &firm, free).await;
    let e = act(
        &app,
        &agency,
        r2,
        json!({"step": "decline"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&e), ["reason"]);
    let d = act(
        &app,
        &agency,
        r2,
        json!({"step": "decline", "reason": "本月预约已满，请下月再申请"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["request"]["status"], "declined");
    assert_eq!(d["request"]["decline_reason"], "本月预约已满，请下月再申请");
    assert!(inbox_text(&app, &firm).await.contains("已拒绝"));

    // Audit: the service's creation, the request's creation and every step, with before/after.
    let entries = audit(&app, "service_request", r).await;
    // asked, accepted, 3 steps recorded, completed, rated.
    assert_eq!(entries.len(), 7, "{entries:?}");
    assert_eq!(entries[0]["before"]["rating"], Value::Null);
    assert!(entries[0]["after"]["rating"].is_i64(), "{:?}", entries[0]);
    assert_eq!(audit(&app, "service", id).await.len(), 1);

    // The bureau deactivates the service: it leaves the catalogue and takes no more requests.
    app.expect(
        &admin,
        Method::PUT,
        &format!("/services/{id}/active"),
        Some(json!({"active": false})),
        StatusCode::OK,
    )
    .await;
    app.expect(
        &firm,
        Method::GET,
        &format!("/services/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let e = app
        .expect(
            &firm,
            Method::POST,
            "/services/requests",
            Some(json!({"service_id": id, "need": "再申请一次专利代理服务"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(fields(&e), ["service_id"]);
    let mine = app
        .expect(
            &agency,
            Method::GET,
            "/services?mine=true",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2, "its own, inactive too");

    // The figures: 2 requests, both answered, 1 accepted (50 %), 1 completed, 1 rated.
    let stats = app
        .expect(
            &agency,
            Method::GET,
            "/services/statistics",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(stats.as_array().unwrap().len(), 1, "{stats}");
    let s = &stats[0];
    assert_eq!(s["provider_org_id"], agency_org);
    assert_eq!(
        (
            s["volume"].as_i64(),
            s["answered"].as_i64(),
            s["accepted"].as_i64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(s["acceptance_bp"], 5_000);
    assert_eq!(s["completed"], 1);
    assert_eq!(s["rated"], 1);
    assert!(s["median_response_ms"].as_i64().is_some());
    assert!(s["median_completion_ms"].as_i64().is_some());
    assert_eq!(s["overdue"], 0);
    // Another provider sees only its own (none); asking for the agency's is refused.
    let none = app
        .expect(
            &other_agency,
            Method::GET,
            "/services/statistics",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    app.expect(
        &other_agency,
        Method::GET,
        &format!("/services/statistics?provider_org_id={agency_org}"),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    let all = app
        .expect(
            &admin,
            Method::GET,
            "/services/statistics",
            None,
            StatusCode::OK,
        )
        .await;
    // The bureau's list of every provider reads the running totals: the same counts, shares,
    // means and ratings as the agency's own figures, without the medians.
    let row = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider_org_id"] == agency_org)
        .expect("the agency in the list")
        .clone();
    for key in [
        "volume",
        "answered",
        "accepted",
        "completed",
        "acceptance_bp",
        "mean_response_ms",
        "rated",
        "rating_centi",
        "overdue",
        "overdue_now",
    ] {
        assert_eq!(row[key], s[key], "{key}: {row} vs {s}");
    }
    assert!(row["median_response_ms"].is_null());
}

async fn overdue_and_routing(app: TestApp) {
    let admin = app.admin_token.clone();
    let (agency_org, agency) = app.org_with_user("service_agency", "so.agency").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "so.firm").await;
    let (operator, carrier_token) = app.org_with_user("carrier_operator", "so.carrier").await;
    let (_, outsider) = app.org_with_user("enterprise", "so.outsider").await;

    // A request past its promise is overdue: flagged, filtered, counted.
    let id = offer(&app, &agency, "企业所得税汇算清缴代理", 80_000).await;
    let r = ask(&app, &firm, id).await;
    let past = fruition_store::clock::now_ms() - 30 * fruition_store::clock::HOUR_MS;
    let sql = "UPDATE service_requests SET requested_at = $1, due_at = $2 WHERE id = $3";
    match &app.db {
        fruition_store::Db::Sqlite(p) => {
            sqlx::query(sql)
                .bind(past)
                .bind(past + 24 * 3_600_000)
                .bind(r)
                .execute(p)
                .await
                .expect("age");
        }
        fruition_store::Db::Postgres(p) => {
            sqlx::query(sql)
                .bind(past)
                .bind(past + 24 * 3_600_000)
                .bind(r)
                .execute(p)
                .await
                .expect("age");
        }
    }
    let fresh = ask(&app, &firm, id).await;
    // The reminder sweep tells the provider and the bureau once; the fresh request is not told.
    assert_eq!(
        fruition_app::services::tell_overdue(&app.app)
            .await
            .expect("sweep"),
        1
    );
    assert_eq!(
        fruition_app::services::tell_overdue(&app.app)
            .await
            .expect("sweep"),
        0
    );
    for token in [&agency, &admin] {
        let inbox = app
            .expect(token, Method::GET, "/me/inbox", None, StatusCode::OK)
            .await;
        let told: Vec<&Value> = inbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| {
                m["title"]
                    .as_str()
                    .unwrap_or("")
                    .contains("已超过承诺的答复时间")
            })
            .collect();
        assert_eq!(told.len(), 1, "{inbox}");
        assert_eq!(told[0]["kind"], "service_request");
        assert_eq!(told[0]["link"], format!("/services/requests/{r}"));
    }
    assert!(
        !inbox_text(&app, &firm)
            .await
            .contains("已超过承诺的答复时间")
    );
    let queue = app
        .expect(
            &agency,
            Method::GET,
            "/services/requests?role=incoming",
            None,
            StatusCode::OK,
        )
        .await;
    let flags: Vec<(i64, bool)> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_i64().unwrap(), q["overdue"].as_bool().unwrap()))
        .collect();
    assert_eq!(flags, [(fresh, false), (r, true)]);
    let overdue = app
        .expect(
            &admin,
            Method::GET,
            "/services/requests?overdue=true",
            None,
            StatusCode::OK,
        )
        .await;
    let ids: Vec<i64> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [r]);
    let stats = app
        .expect(
            &admin,
            Method::GET,
            &format!("/services/statistics?provider_org_id={agency_org}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (
            stats[0]["overdue"].as_i64(),
            stats[0]["overdue_now"].as_i64()
        ),
        (Some(1), Some(1))
    );
    // Answered late: no longer overdue now, still counted as late.
    act(&app, &agency, r, json!({"step": "accept"}), StatusCode::OK).await;
    let stats = app
        .expect(
            &agency,
            Method::GET,
            "/services/statistics",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        (
            stats[0]["overdue"].as_i64(),
            stats[0]["overdue_now"].as_i64()
        ),
        (Some(1), Some(0))
    );
    assert!(
        stats[0]["median_response_ms"].as_i64().unwrap() >= 29 * 3_600_000,
        "{stats}"
    );
    let all = app
        .expect(
            &admin,
            Method::GET,
            "/services/statistics",
            None,
            StatusCode::OK,
        )
        .await;
    let row = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider_org_id"] == agency_org)
        .expect("listed")
        .clone();
    assert_eq!(
        (
            row["overdue"].as_i64(),
            row["overdue_now"].as_i64(),
            row["volume"].as_i64()
        ),
        (Some(1), Some(0), Some(2)),
        "{row}"
    );

    // A general request goes to the carrier incubating the enterprise now.
    let e = app
        .expect(
            &outsider,
            Method::POST,
            "/services/requests",
            Some(json!({"to_my_carrier": true, "need": "想了解入驻后的房租补贴政策"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(fields(&e), ["to_my_carrier"], "not incubated anywhere: {e}");
    let carrier = incubate_at(&app, operator, firm_org, "株洲服务测试孵化器", "incubator").await;
    let d = app
        .expect(&firm, Method::POST, "/services/requests",
            Some(json!({"to_my_carrier": true, "category": "policy", "need": "想了解入驻后的房租补贴政策"})), StatusCode::CREATED)
        .await;
    assert_eq!(d["request"]["provider_org_id"], operator);
    assert_eq!(d["request"]["carrier_id"], carrier);
    assert_eq!(d["request"]["category"], "policy");
    let g = d["request"]["id"].as_i64().unwrap();
    let queue = app
        .expect(
            &carrier_token,
            Method::GET,
            "/services/requests?role=incoming",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(queue[0]["id"], g);
    // A general request has no steps: it completes at once after acceptance.
    act(
        &app,
        &carrier_token,
        g,
        json!({"step": "accept"}),
        StatusCode::OK,
    )
    .await;
    let d = act(
        &app,
        &carrier_token,
        g,
        json!({"step": "complete"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["request"]["charge_fen"], 0);

    // A carrier's service for its incubatees only: the firm may ask, the outsider may not.
    let own = app
        .expect(&carrier_token, Method::POST, "/services",
            Some(json!({"category": "mentoring", "title": "创业导师一对一辅导", "description": "由孵化器签约创业导师提供商业模式与融资路演辅导。",
                "audience": "incubatees", "response_time": 8, "steps": ["预约导师", "辅导"]})), StatusCode::CREATED)
        .await["service"]["id"].as_i64().unwrap();
    let d = app
        .expect(
            &outsider,
            Method::GET,
            &format!("/services/{own}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["can_request"], false);
    let e = app
        .expect(
            &outsider,
            Method::POST,
            "/services/requests",
            Some(json!({"service_id": own, "need": "希望得到创业辅导"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(fields(&e), ["service_id"]);
    ask(&app, &firm, own).await;

    // Only a carrier operator limits to incubatees; bad input names every field.
    let e = app
        .expect(&agency, Method::POST, "/services",
            Some(json!({"category": "占卜", "title": "x", "description": "短", "audience": "incubatees",
                "response_time": 0, "price_fen": -1, "steps": ["很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"]})),
            StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let mut got = fields(&e);
    got.sort();
    assert_eq!(
        got,
        [
            "audience",
            "category",
            "description",
            "price_fen",
            "response_time",
            "steps",
            "title"
        ],
        "{e}"
    );
    // Nothing was half-written.
    let mine = app
        .expect(
            &agency,
            Method::GET,
            "/services?mine=true",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    // An enterprise offers nothing; a provider asks for nothing.
    app.expect(
        &firm,
        Method::POST,
        "/services",
        Some(service_body("企业自己的服务", 0)),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &agency,
        Method::POST,
        "/services/requests",
        Some(json!({"service_id": own, "need": "服务机构不能申请"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    // Another provider cannot change the agency's service; the bureau cannot either (only switch it off).
    app.expect(
        &carrier_token,
        Method::PUT,
        &format!("/services/{id}"),
        Some(service_body("改名", 0)),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &admin,
        Method::PUT,
        &format!("/services/{id}"),
        Some(service_body("改名", 0)),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = app
        .expect(
            &agency,
            Method::PUT,
            &format!("/services/{id}"),
            Some(service_body(
                "企业所得税汇算清缴代理（含研发加计扣除）",
                90_000,
            )),
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["service"]["price_fen"], 90_000);
}

/// The demo's services as its users meet them: demo.service has a catalogue and an incoming
/// queue with overdue requests; demo.enterprise has its own requests; every state is there,
/// and the bureau's statistics list the four agencies among the providers.
async fn the_demo_s_services(app: TestApp) {
    fruition::demo::load(&app.db, &fruition_app::Settings::default())
        .await
        .expect("the demo loads");
    let pw = fruition_app::session::DEMO_PASSWORD;
    let json = |client: reqwest::Client, path: &'static str| {
        let url = app.url(&format!("/api/v1{path}"));
        async move {
            let res = client.get(url).send().await.expect("get");
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.json::<Value>().await.expect("json")
        }
    };
    let agency = crate::pages::sign_in(&app, "demo.service", pw).await;
    let mine = json(agency.clone(), "/services?mine=true").await;
    assert!(mine.as_array().unwrap().len() >= 4, "{mine}");
    let queue = json(
        agency.clone(),
        "/services/requests?role=incoming&limit=5000",
    )
    .await;
    let queue = queue.as_array().unwrap().clone();
    assert!(queue.len() > 50, "{}", queue.len());
    assert!(
        queue.iter().any(|r| r["overdue"] == true),
        "an overdue request in the queue"
    );
    let firm = crate::pages::sign_in(&app, "demo.enterprise", pw).await;
    let asked = json(firm, "/services/requests?role=mine&limit=5000").await;
    let asked = asked.as_array().unwrap().clone();
    assert!(asked.len() > 20, "{}", asked.len());
    assert!(
        asked.iter().any(|r| r["service_id"].is_null()),
        "a request to its carrier"
    );
    let bureau = crate::pages::sign_in(&app, "demo.admin", pw).await;
    let all = json(bureau.clone(), "/services/requests?limit=5000").await;
    let all = all.as_array().unwrap().clone();
    for status in [
        "requested",
        "accepted",
        "in_progress",
        "completed",
        "declined",
        "withdrawn",
    ] {
        assert!(all.iter().any(|r| r["status"] == status), "{status}");
    }
    assert!(all.iter().any(|r| r["rating"].is_i64()), "rated");
    assert!(
        all.iter()
            .any(|r| r["status"] == "completed" && r["rating"].is_null()),
        "completed, not rated"
    );
    let stats = json(bureau, "/services/statistics").await;
    assert!(stats.as_array().unwrap().len() >= 7, "{stats}");
    assert!(stats.to_string().contains("株洲智桥知识产权代理有限公司"));
}

/// A priced service is billed when it is completed, and paid after use like a booking: an
/// innovation voucher that names services pays its share of a voucher-payable service (the
/// ledger shows the spend against the bill, the provider claims it back), a voucher only for
/// resources or a service that takes no vouchers is refused naming the voucher, a free service
/// has no bill, a due date out of range names `due_on` and completes nothing.
async fn voucher_paid_services(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, agency) = app.org_with_user("service_agency", "sb.agency").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "sb.firm").await;
    let (_, rival) = app.org_with_user("enterprise", "sb.rival").await;
    let paid = offer(&app, &agency, "发明专利申请代理", 300_000).await;
    let mut cash_only = service_body("商标注册代理", 80_000);
    cash_only["voucher_payable"] = json!(false);
    let cash_only = app
        .expect(
            &agency,
            Method::POST,
            "/services",
            Some(cash_only),
            StatusCode::CREATED,
        )
        .await["service"]["id"]
        .as_i64()
        .unwrap();
    let free = offer(&app, &agency, "专利政策解读", 0).await;

    // Accepted, every step recorded, then completed.
    async fn through(app: &TestApp, agency: &str, id: i64, steps: i64) {
        act(app, agency, id, json!({"step": "accept"}), StatusCode::OK).await;
        for position in 1..=steps {
            act(
                app,
                agency,
                id,
                json!({"step": "record", "position": position, "note": "已办理"}),
                StatusCode::OK,
            )
            .await;
        }
    }
    let r = ask(&app, &firm, paid).await;
    through(&app, &agency, r, 3).await;
    // A due date beyond 180 days names its field and completes nothing.
    let e = act(
        &app,
        &agency,
        r,
        json!({"step": "complete", "due_on": "2099-01-01"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&e), ["due_on"], "{e}");
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/services/requests/{r}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["request"]["status"], "in_progress", "{d}");
    assert!(d["bill"].is_null(), "{d}");
    let d = act(
        &app,
        &agency,
        r,
        json!({"step": "complete"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["request"]["status"], "completed");
    let bill = d["bill"]["id"]
        .as_i64()
        .expect("a completed priced request has its bill");
    assert_eq!(d["bill"]["amount_fen"], 300_000, "{d}");
    assert_eq!(d["bill"]["subject"], "service");
    assert_eq!(d["bill"]["service_request_id"], r);
    assert_eq!(d["bill"]["vouchers_accepted"], true);
    assert!(
        inbox_text(&app, &firm)
            .await
            .contains(d["bill"]["number"].as_str().unwrap())
    );
    // The requester sees it among the bills it owes; another firm does not see it at all.
    let owed = app
        .expect(
            &firm,
            Method::GET,
            "/bills?side=payer",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        owed.as_array().unwrap().iter().any(|b| b["id"] == bill),
        "{owed}"
    );
    let (status, _) = app
        .call_with(&rival, Method::GET, &format!("/api/v1/bills/{bill}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A voucher only for resources cannot pay for a service.
    let mut body = json!({
        "org_id": firm_org, "amount": "1000", "valid_from": "2020-01-01", "valid_to": "2099-12-31",
        "share_pct": 50, "yearly_cap": "100000", "kinds": ["pilot_line", "instrument"]
    });
    let resources_only = app
        .expect(
            &admin,
            Method::POST,
            "/vouchers",
            Some(body.clone()),
            StatusCode::CREATED,
        )
        .await["voucher"]["id"]
        .as_i64()
        .unwrap();
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "0", "voucher_id": resources_only, "voucher_amount": "100"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields(&e), ["voucher_id"], "{e}");
    body["kinds"] = json!(["service"]);
    body["amount"] = json!("5000");
    let voucher = app
        .expect(
            &admin,
            Method::POST,
            "/vouchers",
            Some(body),
            StatusCode::CREATED,
        )
        .await["voucher"]["id"]
        .as_i64()
        .unwrap();
    let bd = app
        .expect(
            &firm,
            Method::GET,
            &format!("/bills/{bill}"),
            None,
            StatusCode::OK,
        )
        .await;
    let usable: Vec<i64> = bd["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["voucher"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(usable, [voucher], "{bd}");
    assert_eq!(bd["vouchers"][0]["max_fen"], 150_000, "half the bill: {bd}");
    // Half by the voucher, half in money: settled; the ledger names the bill.
    let bd = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "1500", "voucher_id": voucher, "voucher_amount": "1500"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 0, "{bd}");
    let v = app
        .expect(
            &firm,
            Method::GET,
            &format!("/vouchers/{voucher}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(v["voucher"]["balance_fen"], 350_000, "{v}");
    assert_eq!(
        v["entries"].as_array().unwrap().last().unwrap()["bill_id"],
        bill,
        "{v}"
    );
    // The agency claims the voucher's part back from the bureau.
    let c = app
        .expect(
            &agency,
            Method::GET,
            "/voucher-claims/claimable",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(c["amount_fen"], 150_000, "{c}");
    app.expect(
        &agency,
        Method::POST,
        "/voucher-claims",
        None,
        StatusCode::CREATED,
    )
    .await;

    // A service that takes no vouchers: billed, but the voucher is refused.
    let r = ask(&app, &firm, cash_only).await;
    through(&app, &agency, r, 3).await;
    let d = act(
        &app,
        &agency,
        r,
        json!({"step": "complete", "charge_fen": 60_000}),
        StatusCode::OK,
    )
    .await;
    let bill = d["bill"]["id"].as_i64().unwrap();
    assert_eq!(d["bill"]["amount_fen"], 60_000);
    assert_eq!(d["bill"]["vouchers_accepted"], false);
    let bd = app
        .expect(
            &firm,
            Method::GET,
            &format!("/bills/{bill}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["vouchers"].as_array().unwrap().len(), 0, "{bd}");
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "300", "voucher_id": voucher, "voucher_amount": "100"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields(&e), ["voucher_id"], "{e}");
    assert!(e.to_string().contains("不接受创新券"), "{e}");

    // A free service (or a charge waived) has no bill.
    let r = ask(&app, &firm, free).await;
    through(&app, &agency, r, 3).await;
    let d = act(
        &app,
        &agency,
        r,
        json!({"step": "complete"}),
        StatusCode::OK,
    )
    .await;
    assert!(d["bill"].is_null(), "{d}");
}

/// Posts `bytes` as a file for step `position` of request `id`.
async fn upload(
    app: &TestApp,
    token: &str,
    id: i64,
    position: i64,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/services/requests/{id}/steps/{position}/files"
        )))
        .query(&[("name", name)])
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("post");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Files with a request's steps: the provider records a PDF with a step; the requester and the
/// bureau download it byte for byte under its Chinese name, another firm cannot; a script named
/// .pdf, a file over 10 MB, a step the service lacks and the requester's own upload are refused
/// naming what is wrong; the upload is audited.
async fn step_files(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, agency) = app.org_with_user("service_agency", "sf.agency").await;
    let (_, firm) = app.org_with_user("enterprise", "sf.firm").await;
    let (_, rival) = app.org_with_user("enterprise", "sf.rival").await;
    let service = offer(&app, &agency, "专利检索分析", 0).await;
    let r = ask(&app, &firm, service).await;
    // Nothing is kept before the request is accepted.
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".to_vec();
    let (status, e) = upload(&app, &agency, r, 1, "检索报告.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    act(&app, &agency, r, json!({"step": "accept"}), StatusCode::OK).await;
    let (status, d) = upload(
        &app,
        &agency,
        r,
        2,
        "C:\\报告\\专利检索报告.pdf",
        pdf.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let file = d["steps"][1]["files"][0].clone();
    assert_eq!(file["name"], "专利检索报告.pdf", "{d}");
    assert_eq!(file["kind"], "pdf");
    assert_eq!(file["size_bytes"], pdf.len());
    assert_eq!(d["may_attach"], true);
    let href = file["href"].as_str().unwrap().to_string();
    // The requester and the bureau download it as it was; another firm does not see it.
    for token in [&firm, &admin] {
        let res = app
            .client
            .get(app.url(&href))
            .bearer_auth(token)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        let disposition = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains("filename*=UTF-8''%E4%B8%93%E5%88%A9"),
            "{disposition}"
        );
        assert_eq!(res.bytes().await.unwrap().to_vec(), pdf);
    }
    let res = app
        .client
        .get(app.url(&href))
        .bearer_auth(&rival)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Refusals name what is wrong.
    let (status, e) = upload(
        &app,
        &agency,
        r,
        1,
        "run.pdf",
        b"#!/bin/sh\nrm -rf /\n".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["file"], "{e}");
    let (status, e) = upload(&app, &agency, r, 9, "a.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["position"], "{e}");
    let mut big = b"%PDF-".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'0');
    let (status, e) = upload(&app, &agency, r, 1, "big.pdf", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    let (status, _) = upload(&app, &firm, r, 1, "mine.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/services/requests/{r}"),
            None,
            StatusCode::OK,
        )
        .await;
    let kept: usize = d["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["files"].as_array().unwrap().len())
        .sum();
    assert_eq!(kept, 1, "only the accepted file is kept: {d}");
    assert_eq!(d["may_attach"], false);
    let id = file["id"].as_i64().unwrap();
    let entries = audit(&app, "service_step_file", id).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
}

on_both!(
    service_story,
    overdue_and_routing,
    the_demo_s_services,
    voucher_paid_services,
    step_files
);
