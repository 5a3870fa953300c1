//! Every endpoint, for every role, on the user's own organisation and on another's: allowed or denied.
//! The expectations are written out here, independently of `fruition_domain::authz`.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

/// The columns of the table: the acting users.
const ROLES: [&str; 8] = [
    "bureau_admin",
    "bureau_staff",
    "carrier_manager",
    "enterprise_manager",
    "enterprise_user",
    "institution_user",
    "financier",
    "viewer",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Own,
    Other,
    None,
}

use Target::{None as Nil, Other, Own};

/// (endpoint, target, allowed for each role in `ROLES` order).
const TABLE: &[(&str, Target, [bool; 8])] = &[
    (
        "GET /me",
        Nil,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "PATCH /me",
        Nil,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "GET /me/tokens",
        Nil,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "POST /me/tokens",
        Nil,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations",
        Nil,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "POST /organisations",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "GET /organisations/{id}",
        Own,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations/{id}",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "PATCH /organisations/{id}",
        Own,
        [true, true, true, true, false, true, true, false],
    ),
    (
        "PATCH /organisations/{id}",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /organisations/{id}/active",
        Own,
        [false, false, false, false, false, false, false, false],
    ),
    (
        "PUT /organisations/{id}/active",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "GET /organisations/{id}/users",
        Own,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "GET /organisations/{id}/users",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "POST /organisations/{id}/users",
        Own,
        [true, false, true, true, false, true, true, false],
    ),
    (
        "POST /organisations/{id}/users",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "GET /users/{id}",
        Own,
        [true, true, true, true, true, true, true, true],
    ),
    (
        "GET /users/{id}",
        Other,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "PUT /users/{id}/active",
        Own,
        [true, false, true, true, false, true, true, false],
    ),
    (
        "PUT /users/{id}/active",
        Other,
        [true, false, false, false, false, false, false, false],
    ),
    (
        "POST /users/{id}/password-reset",
        Own,
        [true, false, true, true, false, true, true, false],
    ),
    (
        "POST /users/{id}/password-reset",
        Other,
        [true, false, false, false, false, false, false, false],
    ),
    (
        "GET /audit-entries",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "GET /applications",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "GET /applications/{id}",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "POST /applications/{id}/approval",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
    (
        "POST /applications/{id}/decline",
        Nil,
        [true, true, false, false, false, false, false, false],
    ),
];

struct Actor {
    token: String,
    org_id: i64,
    /// A colleague in the same organisation whom the actor may act upon.
    colleague: i64,
}

struct World {
    actors: Vec<Actor>,
    other_org: i64,
    other_user: i64,
}

async fn add_user(app: &TestApp, org_id: i64, login: &str, role: &str) -> (i64, String) {
    let (status, body) = app
        .admin(
            Method::POST,
            &format!("/api/v1/organisations/{org_id}/users"),
            Some(json!({"login": login, "display_name": "成员", "role": role})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["user"]["id"].as_i64().expect("id");
    (
        id,
        body["one_time_password"]
            .as_str()
            .expect("one-time password")
            .to_string(),
    )
}

async fn world(app: &TestApp) -> World {
    let (_, me) = app.admin(Method::GET, "/api/v1/me", None).await;
    let bureau = me["organisation"]["id"].as_i64().expect("bureau id");
    let (staff_id, staff_pw) = add_user(app, bureau, "staff1", "bureau_staff").await;
    let _ = staff_id;
    let staff = app.ready_token("staff1", &staff_pw).await;
    let (bureau_colleague, _) = add_user(app, bureau, "bureau.viewer", "viewer").await;

    let (carrier, carrier_token) = app.org_with_user("carrier_operator", "carrier1").await;
    let (enterprise, ent_token) = app.org_with_user("enterprise", "ent1").await;
    let (institution, inst_token) = app.org_with_user("institution", "inst1").await;
    let (bank, bank_token) = app.org_with_user("bank", "bank1").await;
    let (other_org, _) = app.org_with_user("enterprise", "other1").await;

    let (_, plain_pw) = add_user(app, enterprise, "ent.plain", "enterprise_user").await;
    let plain = app.ready_token("ent.plain", &plain_pw).await;
    let (_, viewer_pw) = add_user(app, enterprise, "ent.viewer", "viewer").await;
    let viewer = app.ready_token("ent.viewer", &viewer_pw).await;

    let colleague =
        |org: i64, login: &'static str| async move { add_user(app, org, login, "viewer").await.0 };
    let c_carrier = colleague(carrier, "c.colleague").await;
    let c_ent = colleague(enterprise, "e.colleague").await;
    let c_inst = colleague(institution, "i.colleague").await;
    let c_bank = colleague(bank, "b.colleague").await;
    let other_user = colleague(other_org, "o.colleague").await;

    World {
        actors: vec![
            Actor {
                token: app.admin_token.clone(),
                org_id: bureau,
                colleague: bureau_colleague,
            },
            Actor {
                token: staff,
                org_id: bureau,
                colleague: bureau_colleague,
            },
            Actor {
                token: carrier_token,
                org_id: carrier,
                colleague: c_carrier,
            },
            Actor {
                token: ent_token,
                org_id: enterprise,
                colleague: c_ent,
            },
            Actor {
                token: plain,
                org_id: enterprise,
                colleague: c_ent,
            },
            Actor {
                token: inst_token,
                org_id: institution,
                colleague: c_inst,
            },
            Actor {
                token: bank_token,
                org_id: bank,
                colleague: c_bank,
            },
            Actor {
                token: viewer,
                org_id: enterprise,
                colleague: c_ent,
            },
        ],
        other_org,
        other_user,
    }
}

async fn new_application(app: &TestApp, n: usize) -> i64 {
    let body = json!({
        "name": format!("申请机构{n}"), "kind": "enterprise", "uscc": crate::support::test_uscc(500_000 + n as u64),
        "contact_name": "张三", "contact_phone": "13800138000", "login": format!("applicant{n}")
    });
    let (status, created) = app
        .call_with("", Method::POST, "/api/v1/applications", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("id")
}

async fn org_profile(app: &TestApp, id: i64) -> Value {
    let (_, org) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{id}"), None)
        .await;
    json!({"name": org["name"], "uscc": org["uscc"]})
}

async fn matrix(app: TestApp) {
    let w = world(&app).await;
    let mut failures = Vec::new();
    let mut n = 0usize;
    for (endpoint, target, allowed) in TABLE {
        for (col, actor) in w.actors.iter().enumerate() {
            n += 1;
            let (org, user) = match target {
                Own => (actor.org_id, actor.colleague),
                Other => (w.other_org, w.other_user),
                Nil => (actor.org_id, actor.colleague),
            };
            let (method, path) = endpoint.split_once(' ').expect("method and path");
            let (path, body): (String, Option<Value>) = match *endpoint {
                "PATCH /me" => (path.into(), Some(json!({"display_name": "改名"}))),
                "POST /me/tokens" => (path.into(), Some(json!({"name": "脚本"}))),
                "POST /organisations" => (
                    path.into(),
                    Some(
                        json!({"kind": "enterprise", "name": format!("矩阵企业{n}"), "uscc": crate::support::test_uscc(700_000 + n as u64)}),
                    ),
                ),
                "PATCH /organisations/{id}" => (
                    format!("/organisations/{org}"),
                    Some(org_profile(&app, org).await),
                ),
                "PUT /organisations/{id}/active" => (
                    format!("/organisations/{org}/active"),
                    Some(json!({"active": true})),
                ),
                "POST /organisations/{id}/users" => (
                    format!("/organisations/{org}/users"),
                    Some(
                        json!({"login": format!("matrix{n}"), "display_name": "新成员", "role": "viewer"}),
                    ),
                ),
                "PUT /users/{id}/active" => (
                    format!("/users/{user}/active"),
                    Some(json!({"active": true})),
                ),
                "POST /applications/{id}/decline" => {
                    let id = new_application(&app, n).await;
                    (
                        format!("/applications/{id}/decline"),
                        Some(json!({"reason": "材料不全，请补充"})),
                    )
                }
                e if e.contains("/applications/{id}") => {
                    let id = new_application(&app, n).await;
                    (path.replace("{id}", &id.to_string()), None)
                }
                _ => (
                    path.replace("/organisations/{id}", &format!("/organisations/{org}"))
                        .replace("/users/{id}", &format!("/users/{user}")),
                    None,
                ),
            };
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let (status, answer) = app
                .call_with(&actor.token, method, &format!("/api/v1{path}"), body)
                .await;
            let ok = status.is_success();
            let denied = status == StatusCode::FORBIDDEN;
            if allowed[col] && !ok || !allowed[col] && !denied {
                failures.push(format!(
                    "{endpoint} ({target:?}) as {}: got {status} {answer}",
                    ROLES[col]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Lists are filtered rather than refused: only the bureau sees other organisations.
    for (col, actor) in w.actors.iter().enumerate() {
        let (_, orgs) = app
            .call_with(&actor.token, Method::GET, "/api/v1/organisations", None)
            .await;
        let ids: Vec<i64> = orgs
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|o| o["id"].as_i64())
            .collect();
        let sees_other = ids.contains(&w.other_org);
        assert_eq!(sees_other, col < 2, "{} sees {ids:?}", ROLES[col]);
        assert!(
            ids.contains(&actor.org_id),
            "{} must see their own organisation",
            ROLES[col]
        );
    }
    // The same for the list of users: the bureau sees everyone, others their own colleagues only.
    for (col, actor) in w.actors.iter().enumerate() {
        let (_, users) = app
            .call_with(&actor.token, Method::GET, "/api/v1/users", None)
            .await;
        let orgs: Vec<i64> = users
            .as_array()
            .expect("list")
            .iter()
            .filter_map(|u| u["org_id"].as_i64())
            .collect();
        assert_eq!(
            orgs.contains(&w.other_org),
            col < 2,
            "{} sees users of {orgs:?}",
            ROLES[col]
        );
        assert!(
            orgs.iter().all(|o| col < 2 || *o == actor.org_id),
            "{} sees only colleagues",
            ROLES[col]
        );
    }
    // Another user's token cannot be revoked: it is not found among the caller's own.
    let (_, mine) = app
        .call_with(&w.actors[2].token, Method::GET, "/api/v1/me/tokens", None)
        .await;
    let token_id = mine[0]["id"].as_i64().expect("token id");
    let (status, _) = app
        .call_with(
            &w.actors[3].token,
            Method::DELETE,
            &format!("/api/v1/me/tokens/{token_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nobody signed in: every endpoint but applying answers 401.
    for (endpoint, _, _) in TABLE {
        let (method, path) = endpoint.split_once(' ').expect("split");
        let path = path.replace("{id}", "1");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, _) = app
            .call_with("", method, &format!("/api/v1{path}"), Some(json!({})))
            .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{endpoint} without signing in"
        );
    }
}

on_both!(matrix);
