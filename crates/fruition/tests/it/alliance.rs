//! The carrier alliance through the API: the bureau admits members and sets roles (one chair),
//! the chair posts notices members read (and find in their inbox), members offer resources and
//! others show interest; events with registration, an ordered waiting list, cancellation that
//! promotes the first waiting person, once-only check-in codes and the iCalendar file; staff
//! training with hours and certificates, and the annual report's sentence. The limits hold
//! under concurrent requests on both engines.

use fruition::bootstrap;
use fruition_domain::org::Role;
use fruition_store::audit::AuditCtx;
use fruition_store::users::{self, NewUser};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, count, on_both};

/// Two carrier operators with a manager each and a carrier each, an enterprise user.
struct World {
    chair: String,
    chair_carrier: i64,
    member: String,
    member_carrier: i64,
    member_org: i64,
    firm: String,
}

async fn carrier(app: &TestApp, operator: i64, name: &str) -> i64 {
    app.expect(
        &app.admin_token,
        Method::POST,
        "/carriers",
        Some(json!({
            "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
            "established_year": 2015, "floor_area_m2": 10000
        })),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("carrier id")
}

async fn world(app: &TestApp, tag: &str) -> World {
    let (op1, chair) = app
        .org_with_user("carrier_operator", &format!("chair-{tag}"))
        .await;
    let (op2, member) = app
        .org_with_user("carrier_operator", &format!("member-{tag}"))
        .await;
    let (_, firm) = app
        .org_with_user("enterprise", &format!("firm-{tag}"))
        .await;
    let chair_carrier = carrier(app, op1, &format!("联盟理事长孵化器{tag}")).await;
    let member_carrier = carrier(app, op2, &format!("联盟成员众创空间{tag}")).await;
    for (c, role) in [(chair_carrier, "chair"), (member_carrier, "member")] {
        app.expect(
            &app.admin_token,
            Method::POST,
            "/alliance/members",
            Some(json!({"carrier_id": c, "role": role, "joined_on": "2023-06-01"})),
            StatusCode::CREATED,
        )
        .await;
    }
    World {
        chair,
        chair_carrier,
        member,
        member_carrier,
        member_org: op2,
        firm,
    }
}

async fn inbox_titles(app: &TestApp, token: &str) -> Vec<String> {
    app.expect(token, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await
        .as_array()
        .expect("inbox")
        .iter()
        .filter_map(|m| m["title"].as_str().map(String::from))
        .collect()
}

/// Members and roles, notices, offers and interest; who may do what; the audit.
async fn alliance_members_story(app: TestApp) {
    let w = world(&app, "m").await;
    let admin = app.admin_token.clone();
    // A carrier is admitted once; the alliance has one chair; a bad role names the field.
    app.expect(
        &admin,
        Method::POST,
        "/alliance/members",
        Some(json!({"carrier_id": w.member_carrier, "role": "member"})),
        StatusCode::CONFLICT,
    )
    .await;
    let e = app
        .expect(
            &admin,
            Method::PUT,
            &format!("/alliance/members/{}", w.member_carrier),
            Some(json!({"role": "chair"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(e["error"]["fields"]["role"].is_string(), "{e}");
    let e = app
        .expect(
            &admin,
            Method::POST,
            "/alliance/members",
            Some(json!({"carrier_id": 999_999, "role": "理事"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e["error"]["fields"]["role"].is_string(), "{e}");
    assert!(e["error"]["fields"]["carrier_id"].is_string(), "{e}");
    // Only the bureau admits members.
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/members",
        Some(json!({"carrier_id": w.member_carrier, "role": "member"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let m = app
        .expect(
            &admin,
            Method::PUT,
            &format!("/alliance/members/{}", w.member_carrier),
            Some(json!({"role": "vice_chair"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(m["role_label"], "副理事长单位");

    // The chair posts a notice; the other member reads it and finds it in the inbox; an
    // enterprise sees the members but not the notices; a member that is not the chair may not post.
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/notices",
        Some(json!({"title": " ", "body": "内容"})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    app.expect(&w.chair, Method::POST, "/alliance/notices",
        Some(json!({"title": "关于召开联盟年度工作会议的通知", "body": "请各成员单位于6月20日前报送年度工作总结。"})),
        StatusCode::CREATED).await;
    app.expect(
        &w.member,
        Method::POST,
        "/alliance/notices",
        Some(json!({"title": "成员单位通知", "body": "正文"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let home = app
        .expect(&w.member, Method::GET, "/alliance", None, StatusCode::OK)
        .await;
    assert_eq!(
        home["notices"][0]["title"], "关于召开联盟年度工作会议的通知",
        "{home}"
    );
    assert_eq!(home["members"][0]["role"], "chair", "{home}");
    assert!(
        inbox_titles(&app, &w.member)
            .await
            .iter()
            .any(|t| t.contains("关于召开联盟年度工作会议的通知"))
    );
    let outside = app
        .expect(&w.firm, Method::GET, "/alliance", None, StatusCode::OK)
        .await;
    assert_eq!(outside["notices"], json!([]), "{outside}");
    assert_eq!(outside["can_read_notices"], false);
    assert_eq!(outside["members"].as_array().map(Vec::len), Some(2));

    // The member offers its venue; not for another's carrier; a bad kind names the field.
    let e = app.expect(&w.member, Method::POST, "/alliance/offers",
        Some(json!({"carrier_id": w.member_carrier, "kind": "房子", "title": "", "description": "x", "contact": "x"})),
        StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        e["error"]["fields"]["kind"].is_string() && e["error"]["fields"]["title"].is_string(),
        "{e}"
    );
    app.expect(&w.member, Method::POST, "/alliance/offers",
        Some(json!({"carrier_id": w.chair_carrier, "kind": "venue", "title": "路演厅", "description": "x", "contact": "x"})),
        StatusCode::FORBIDDEN).await;
    let offer = app.expect(&w.member, Method::POST, "/alliance/offers",
        Some(json!({"carrier_id": w.member_carrier, "kind": "venue", "title": "200人路演厅",
                    "description": "工作日免费向成员单位开放，需提前三天预约。", "contact": "王老师 0731-28800000"})),
        StatusCode::CREATED).await;
    let offer = offer["id"].as_i64().expect("offer id");
    // The chair shows interest once; the offerer is told; the offerer itself and an enterprise may not.
    let path = format!("/alliance/offers/{offer}/interest");
    let o = app
        .expect(
            &w.chair,
            Method::POST,
            &path,
            Some(json!({"note": "拟于下月举办路演"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(o["interest"], 1);
    app.expect(
        &w.chair,
        Method::POST,
        &path,
        Some(json!({})),
        StatusCode::CONFLICT,
    )
    .await;
    app.expect(
        &w.member,
        Method::POST,
        &path,
        Some(json!({})),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &w.firm,
        Method::POST,
        &path,
        Some(json!({})),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/offers/999999/interest",
        Some(json!({})),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert!(
        inbox_titles(&app, &w.member)
            .await
            .iter()
            .any(|t| t.contains("对“200人路演厅”有意向"))
    );

    // Every change is in the audit log with its actor.
    let audit = app
        .expect(
            &admin,
            Method::GET,
            &format!(
                "/audit-entries?entity=alliance_member&entity_id={}",
                w.member_carrier
            ),
            None,
            StatusCode::OK,
        )
        .await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"create") && actions.contains(&"update"),
        "{audit}"
    );
    // Removing a member: the bureau only.
    app.expect(
        &w.chair,
        Method::DELETE,
        &format!("/alliance/members/{}", w.member_carrier),
        None,
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &admin,
        Method::DELETE,
        &format!("/alliance/members/{}", w.member_carrier),
        None,
        StatusCode::OK,
    )
    .await;
    app.expect(
        &admin,
        Method::DELETE,
        &format!("/alliance/members/{}", w.member_carrier),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let _ = w.member_org;
}

fn event_body(carrier: Option<i64>, capacity: i64) -> Value {
    json!({
        "kind": "roadshow", "title": "新材料项目路演, 第二场", "description": "路演企业5家；投资机构8家。",
        "place": "株洲市天元区; 中小企业促进中心", "starts_at": "2030-05-18 14:30", "ends_at": "2030-05-18 17:00",
        "register_by": "2030-05-17 18:00", "capacity": capacity, "carrier_id": carrier
    })
}

async fn event(app: &TestApp, token: &str, body: Value) -> i64 {
    app.expect(
        token,
        Method::POST,
        "/alliance/events",
        Some(body),
        StatusCode::CREATED,
    )
    .await["event"]["id"]
        .as_i64()
        .expect("event id")
}

/// Registration, the waiting list, cancellation that promotes, check-in once, changes that
/// tell the registered, the calendar file.
async fn events_story(app: TestApp) {
    let w = world(&app, "e").await;
    let (_, a) = app.org_with_user("enterprise", "ev-a").await;
    let (_, b) = app.org_with_user("institution", "ev-b").await;
    // Bad input names every field at once.
    let e = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/events",
            Some(json!({
                "kind": "party", "title": "", "place": "会议室", "starts_at": "2030-05-18 25:00",
                "ends_at": "明天", "capacity": 0, "carrier_id": w.chair_carrier
            })),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for f in ["kind", "title", "starts_at", "ends_at", "capacity"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    let e = app.expect(&w.chair, Method::POST, "/alliance/events", Some(json!({
        "kind": "salon", "title": "沙龙", "place": "会议室", "starts_at": "2030-05-18 14:00",
        "ends_at": "2030-05-18 13:00", "capacity": 10, "carrier_id": w.chair_carrier
    })), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(e["error"]["fields"]["ends_at"].is_string(), "{e}");
    // Not in another member's name; an enterprise organises nothing; the bureau its own.
    app.expect(
        &w.member,
        Method::POST,
        "/alliance/events",
        Some(event_body(Some(w.chair_carrier), 2)),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &w.firm,
        Method::POST,
        "/alliance/events",
        Some(event_body(None, 2)),
        StatusCode::FORBIDDEN,
    )
    .await;
    event(&app, &app.admin_token, event_body(None, 50)).await;
    let id = event(&app, &w.chair, event_body(Some(w.chair_carrier), 2)).await;
    let reg = format!("/alliance/events/{id}/registration");

    // Two places: a and b register, the firm waits first in line; nobody registers twice.
    let d = app
        .expect(&a, Method::POST, &reg, None, StatusCode::CREATED)
        .await;
    assert_eq!(d["mine"]["registration"]["status"], "registered", "{d}");
    let code_a = d["mine"]["code"].as_str().expect("code").to_string();
    assert_eq!(code_a.len(), 10);
    app.expect(&a, Method::POST, &reg, None, StatusCode::CONFLICT)
        .await;
    let d = app
        .expect(&b, Method::POST, &reg, None, StatusCode::CREATED)
        .await;
    let code_b = d["mine"]["code"].as_str().expect("code").to_string();
    let d = app
        .expect(&w.firm, Method::POST, &reg, None, StatusCode::CREATED)
        .await;
    assert_eq!(d["mine"]["registration"]["status"], "waiting", "{d}");
    assert_eq!(d["mine"]["registration"]["position"], 1, "{d}");
    assert_eq!(d["event"]["registered"], 2);
    assert_eq!(d["event"]["waiting"], 1);
    // Only the organiser sees the lists.
    assert_eq!(d["registered"], json!([]));
    let o = app
        .expect(
            &w.chair,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(o["registered"].as_array().map(Vec::len), Some(2), "{o}");
    assert_eq!(o["waiting"][0]["position"], 1, "{o}");
    assert_eq!(o["event"]["can_manage"], true);

    // a cancels: the firm moves up in the same step and is told.
    let d = app
        .expect(&a, Method::DELETE, &reg, None, StatusCode::OK)
        .await;
    assert_eq!(d["mine"]["registration"]["status"], "cancelled", "{d}");
    assert_eq!(d["event"]["registered"], 2);
    assert_eq!(d["event"]["waiting"], 0);
    let firm = app
        .expect(
            &w.firm,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        firm["mine"]["registration"]["status"], "registered",
        "{firm}"
    );
    let code_firm = firm["mine"]["code"].as_str().expect("code").to_string();
    assert!(
        inbox_titles(&app, &w.firm)
            .await
            .iter()
            .any(|t| t.starts_with("候补成功"))
    );
    app.expect(&a, Method::DELETE, &reg, None, StatusCode::NOT_FOUND)
        .await;

    // Check-in: the organiser enters the code (as typed: lower case, with a dash) once.
    let check = format!("/alliance/events/{id}/check-ins");
    app.expect(
        &w.member,
        Method::POST,
        &check,
        Some(json!({"code": code_b})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let typed = format!("{}-{}", &code_b[..5], &code_b[5..]).to_lowercase();
    let r = app
        .expect(
            &w.chair,
            Method::POST,
            &check,
            Some(json!({"code": typed})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(r["checked_in"], true, "{r}");
    let e = app
        .expect(
            &w.chair,
            Method::POST,
            &check,
            Some(json!({"code": code_b})),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(e["error"]["fields"]["code"].is_string(), "{e}");
    for bad in ["", "ABC", "不是签到码", &code_a] {
        let e = app
            .expect(
                &w.chair,
                Method::POST,
                &check,
                Some(json!({"code": bad})),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(e["error"]["fields"]["code"].is_string(), "{bad}: {e}");
    }
    // A used code is no longer shown; one checked in cannot cancel.
    let mine = app
        .expect(
            &b,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine["mine"]["code"], Value::Null, "{mine}");
    app.expect(&b, Method::DELETE, &reg, None, StatusCode::CONFLICT)
        .await;
    let o = app
        .expect(
            &w.chair,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(o["attendance"].as_array().map(Vec::len), Some(1), "{o}");
    assert_eq!(o["event"]["attended"], 1);

    // The calendar file: one VEVENT in UTC with escaped text.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/alliance/events/{id}/calendar")))
        .bearer_auth(&a)
        .send()
        .await
        .expect("calendar");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/calendar")
    );
    let ics = res.text().await.expect("text");
    assert!(ics.contains("BEGIN:VEVENT\r\n"), "{ics}");
    assert!(ics.contains("DTSTART:20300518T063000Z\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:新材料项目路演\\, 第二场"), "{ics}");
    assert!(
        ics.contains("LOCATION:株洲市天元区\\; 中小企业促进中心"),
        "{ics}"
    );

    // The capacity cannot fall below the places taken; a new place tells the registered.
    let mut body = event_body(Some(w.chair_carrier), 1);
    let e = app
        .expect(
            &w.chair,
            Method::PUT,
            &format!("/alliance/events/{id}"),
            Some(body.clone()),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(e["error"]["fields"]["capacity"].is_string(), "{e}");
    body["capacity"] = json!(2);
    body["place"] = json!("株洲市石峰区创新大厦");
    app.expect(
        &w.member,
        Method::PUT,
        &format!("/alliance/events/{id}"),
        Some(body.clone()),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &w.chair,
        Method::PUT,
        &format!("/alliance/events/{id}"),
        Some(body.clone()),
        StatusCode::OK,
    )
    .await;
    assert!(
        inbox_titles(&app, &w.firm)
            .await
            .iter()
            .any(|t| t.contains("时间或地点有变更"))
    );
    // Cancelled: the registered are told, nobody registers any more, and it stays cancelled.
    body["status"] = json!("cancelled");
    let d = app
        .expect(
            &w.chair,
            Method::PUT,
            &format!("/alliance/events/{id}"),
            Some(body.clone()),
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["event"]["status_label"], "已取消");
    assert!(
        inbox_titles(&app, &w.firm)
            .await
            .iter()
            .any(|t| t.contains("已取消"))
    );
    app.expect(&a, Method::POST, &reg, None, StatusCode::CONFLICT)
        .await;
    body["status"] = json!("open");
    app.expect(
        &w.chair,
        Method::PUT,
        &format!("/alliance/events/{id}"),
        Some(body),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let _ = code_firm;
    // The year's list shows it with its figures.
    let list = app
        .expect(
            &w.firm,
            Method::GET,
            "/alliance/events?year=2030",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .any(|e| e["id"] == id && e["attended"] == 1),
        "{list}"
    );
    app.expect(
        &w.firm,
        Method::GET,
        "/alliance/events?year=99999",
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

/// `n` users of one new enterprise with API tokens (made in the database: faster than the API).
async fn people(app: &TestApp, tag: &str, n: usize) -> Vec<String> {
    let (org, _) = app
        .org_with_user("enterprise", &format!("crowd-{tag}"))
        .await;
    let mut tokens = Vec::new();
    for i in 0..n {
        let login = format!("crowd-{tag}-{i}");
        let mut tx = app.db.begin().await.expect("tx");
        users::insert(
            &mut tx,
            &AuditCtx::system("tests"),
            &NewUser {
                org_id: org,
                login: login.clone(),
                display_name: format!("报名人{i}"),
                role: Role::EnterpriseUser,
                is_manager: false,
                password_hash: "not-a-hash".into(),
                must_change_password: false,
                email: None,
                phone: None,
            },
        )
        .await
        .expect("user");
        tx.commit().await.expect("commit");
        tokens.push(
            bootstrap::create_token(&app.db, &login, "tests")
                .await
                .expect("token"),
        );
    }
    tokens
}

/// Every `(token, method, path, body)` at once; the statuses and answers in the same order.
async fn all_at_once(
    app: &TestApp,
    calls: Vec<(String, Method, String, Option<Value>)>,
) -> Vec<(StatusCode, Value)> {
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(token, method, path, body)| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1{path}"));
            tokio::spawn(async move {
                let mut req = client.request(method, url).bearer_auth(token);
                if let Some(b) = body {
                    req = req.json(&b);
                }
                let res = req.send().await.expect("send");
                let status = res.status();
                (status, res.json::<Value>().await.unwrap_or(Value::Null))
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

/// 100 people register at once for 30 places: exactly 30 registered, 70 waiting in positions
/// 1..70; then 10 registered cancel at once: the first 10 waiting move up, in order.
async fn capacity_holds_under_concurrent_registrations(app: TestApp) {
    let w = world(&app, "c").await;
    let id = event(&app, &w.chair, event_body(Some(w.chair_carrier), 30)).await;
    let crowd = people(&app, "c", 100).await;
    let reg = format!("/alliance/events/{id}/registration");
    let answers = all_at_once(
        &app,
        crowd
            .iter()
            .map(|t| (t.clone(), Method::POST, reg.clone(), None))
            .collect(),
    )
    .await;
    let statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(count(&statuses, StatusCode::CREATED), 100, "{statuses:?}");
    let o = app
        .expect(
            &w.chair,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(o["event"]["registered"], 30, "{}", o["event"]);
    assert_eq!(o["registered"].as_array().map(Vec::len), Some(30));
    let positions: Vec<i64> = o["waiting"]
        .as_array()
        .expect("waiting")
        .iter()
        .filter_map(|r| r["position"].as_i64())
        .collect();
    assert_eq!(positions, (1..=70).collect::<Vec<_>>());
    let first_waiting: Vec<i64> = o["waiting"]
        .as_array()
        .expect("waiting")
        .iter()
        .take(10)
        .filter_map(|r| r["user_id"].as_i64())
        .collect();
    // Ten registered cancel at once: ten move up, the first ten in line.
    let registered: Vec<usize> = answers
        .iter()
        .enumerate()
        .filter(|(_, (_, d))| d["mine"]["registration"]["status"] == "registered")
        .map(|(i, _)| i)
        .take(10)
        .collect();
    let cancels = all_at_once(
        &app,
        registered
            .iter()
            .map(|i| (crowd[*i].clone(), Method::DELETE, reg.clone(), None))
            .collect(),
    )
    .await;
    assert!(
        cancels.iter().all(|(s, _)| *s == StatusCode::OK),
        "{cancels:?}"
    );
    let o = app
        .expect(
            &w.chair,
            Method::GET,
            &format!("/alliance/events/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(o["event"]["registered"], 30);
    assert_eq!(o["event"]["waiting"], 60);
    let now_registered: Vec<i64> = o["registered"]
        .as_array()
        .expect("registered")
        .iter()
        .filter_map(|r| r["user_id"].as_i64())
        .collect();
    assert!(
        first_waiting.iter().all(|u| now_registered.contains(u)),
        "{first_waiting:?} in {now_registered:?}"
    );
    assert_eq!(o["waiting"][0]["position"], 1);
}

/// A code works once even when the organiser's two devices send it at the same moment.
async fn a_code_checks_in_once_under_concurrency(app: TestApp) {
    let w = world(&app, "k").await;
    let id = event(&app, &w.chair, event_body(Some(w.chair_carrier), 5)).await;
    let d = app
        .expect(
            &w.firm,
            Method::POST,
            &format!("/alliance/events/{id}/registration"),
            None,
            StatusCode::CREATED,
        )
        .await;
    let code = d["mine"]["code"].as_str().expect("code").to_string();
    let calls = (0..10)
        .map(|_| {
            (
                w.chair.clone(),
                Method::POST,
                format!("/alliance/events/{id}/check-ins"),
                Some(json!({"code": code})),
            )
        })
        .collect();
    let answers = all_at_once(&app, calls).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 9, "{statuses:?}");
    let audit = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/audit-entries?entity=alliance_registration",
            None,
            StatusCode::OK,
        )
        .await;
    let check_ins = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| {
            e["after"]["checked_in_at"].is_i64()
                && e["before"]["checked_in_at"].is_null()
                && e["action"] == "update"
        })
        .count();
    assert_eq!(check_ins, 1, "{audit}");
}

/// Courses, attendance and hours, certificates with their expiry, who sees what; the annual
/// report's sentence.
async fn training_story(app: TestApp) {
    let w = world(&app, "t").await;
    let admin = app.admin_token.clone();
    let e = app
        .expect(
            &admin,
            Method::POST,
            "/alliance/training/courses",
            Some(json!({"title": "", "provider": "省科技厅", "hours": 0, "held_on": "2024-13-01"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for f in ["title", "hours", "held_on"] {
        assert!(e["error"]["fields"][f].is_string(), "{f}: {e}");
    }
    app.expect(&w.firm, Method::POST, "/alliance/training/courses",
        Some(json!({"title": "技术经纪人培训", "provider": "x", "hours": 8, "held_on": "2024-04-10"})), StatusCode::FORBIDDEN).await;
    let course = app.expect(&admin, Method::POST, "/alliance/training/courses",
        Some(json!({"title": "孵化载体服务能力提升培训班", "provider": "湖南省科技厅", "hours": 16, "held_on": "2024-04-10"})),
        StatusCode::CREATED).await["id"].as_i64().expect("course");
    let member_course = app.expect(&w.member, Method::POST, "/alliance/training/courses",
        Some(json!({"title": "创业导师沙龙", "provider": "成员单位", "hours": 4, "held_on": "2024-09-01"})),
        StatusCode::CREATED).await["id"].as_i64().expect("course");
    // The chair's manager records its staff; not another carrier's; hours at most the course's.
    let rec = |course: i64, name: &str, carrier: i64, hours: Option<i64>| json!({"course_id": course, "person_name": name, "carrier_id": carrier, "hours": hours});
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/training/records",
        Some(rec(course, "张敏", w.chair_carrier, None)),
        StatusCode::CREATED,
    )
    .await;
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/training/records",
        Some(rec(member_course, "张敏", w.chair_carrier, Some(3))),
        StatusCode::CREATED,
    )
    .await;
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/training/records",
        Some(rec(course, "张敏", w.chair_carrier, None)),
        StatusCode::CONFLICT,
    )
    .await;
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/training/records",
        Some(rec(course, "李强", w.member_carrier, None)),
        StatusCode::FORBIDDEN,
    )
    .await;
    let e = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/training/records",
            Some(rec(course, "李强", w.chair_carrier, Some(17))),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e["error"]["fields"]["hours"].is_string(), "{e}");
    app.expect(
        &w.member,
        Method::POST,
        "/alliance/training/records",
        Some(rec(course, "李强", w.member_carrier, Some(8))),
        StatusCode::CREATED,
    )
    .await;
    // Certificates: expired, expiring within 60 days, valid.
    let cert = |number: &str, expires: &str| {
        json!({"person_name": "张敏", "carrier_id": w.chair_carrier, "kind": "tech_broker",
        "number": number, "issuer": "湖南省技术市场协会", "issued_on": "2020-01-01", "expires_on": expires})
    };
    let today = fruition_app::clock::today_date();
    let soon = today.plus_days(30).to_string();
    let later = today.plus_days(400).to_string();
    let s = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/training/certificates",
            Some(cert("JSJJR-001", "2021-01-01")),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(s["state"], "expired");
    let s = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/training/certificates",
            Some(cert("JSJJR-002", &soon)),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(s["state"], "expiring");
    let s = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/training/certificates",
            Some(cert("JSJJR-003", &later)),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(s["state"], "valid");
    app.expect(
        &w.chair,
        Method::POST,
        "/alliance/training/certificates",
        Some(cert("JSJJR-003", &later)),
        StatusCode::CONFLICT,
    )
    .await;
    let e = app
        .expect(
            &w.chair,
            Method::POST,
            "/alliance/training/certificates",
            Some(cert("JSJJR-004", "2019-01-01")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e["error"]["fields"]["expires_on"].is_string(), "{e}");
    // Hours per person and per carrier; each operator sees its own, the bureau everyone's.
    let t = app
        .expect(
            &w.chair,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(t["by_person"][0]["person_name"], "张敏", "{t}");
    assert_eq!(t["by_person"][0]["hours"], 19, "{t}");
    assert_eq!(t["by_person"].as_array().map(Vec::len), Some(1), "{t}");
    assert_eq!(t["certificates"].as_array().map(Vec::len), Some(3));
    assert_eq!(t["courses_held"], 2);
    assert_eq!(t["attendances"], 3);
    let t = app
        .expect(
            &w.member,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(t["certificates"], json!([]), "{t}");
    assert_eq!(t["by_carrier"][0]["hours"], 8, "{t}");
    let t = app
        .expect(
            &admin,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(t["by_carrier"].as_array().map(Vec::len), Some(2), "{t}");
    let t = app
        .expect(
            &w.firm,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(t["records"], json!([]));
    assert_eq!(t["courses"].as_array().map(Vec::len), Some(2));
    // The annual report counts the year's training.
    let annual = app
        .expect(
            &admin,
            Method::GET,
            "/annual-report?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        annual["text"]
            .as_str()
            .unwrap_or("")
            .contains("全年开展孵化载体从业人员培训2场，培训3人次。"),
        "{annual}"
    );
}

on_both!(
    alliance_members_story,
    events_story,
    capacity_holds_under_concurrent_registrations,
    a_code_checks_in_once_under_concurrency,
    training_story,
);

/// The demo's alliance as the demo carrier manager sees it: its carrier chairs ten members,
/// notices and offers are there, 2024's events were attended, two are open, and the year's
/// training counts in the annual report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_alliance() {
    let app = TestApp::sqlite().await;
    fruition::demo::load(&app.db, &fruition_app::Settings::default())
        .await
        .expect("the demo loads");
    let token = bootstrap::create_token(&app.db, "demo.carrier", "tests")
        .await
        .expect("token");
    let home = app
        .expect(&token, Method::GET, "/alliance", None, StatusCode::OK)
        .await;
    assert_eq!(home["members"].as_array().map(Vec::len), Some(10), "{home}");
    assert_eq!(home["members"][0]["role"], "chair");
    assert_eq!(
        home["can_post_notice"], true,
        "the demo carrier chairs: {home}"
    );
    assert!(home["notices"].as_array().is_some_and(|n| n.len() >= 3));
    assert!(home["offers"].as_array().is_some_and(|o| o.len() >= 5));
    let events = app
        .expect(
            &token,
            Method::GET,
            "/alliance/events?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let events = events.as_array().expect("events");
    assert_eq!(events.len(), 8);
    assert!(
        events
            .iter()
            .all(|e| e["status"] == "finished" && e["attended"].as_i64() > Some(0))
    );
    assert!(events.iter().any(|e| e["waiting"].as_i64() > Some(0)));
    let t = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(t["courses_held"], 6);
    let states: Vec<&str> = t["certificates"]
        .as_array()
        .expect("certificates")
        .iter()
        .filter_map(|s| s["state"].as_str())
        .collect();
    for s in ["expired", "expiring", "valid"] {
        assert!(states.contains(&s), "{s} in {states:?}");
    }
    let annual = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/annual-report?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let text = annual["text"].as_str().expect("text");
    assert!(
        text.contains(&format!(
            "全年开展孵化载体从业人员培训6场，培训{}人次。",
            t["attendances"]
        )),
        "{text}"
    );
}
