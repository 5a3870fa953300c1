//! The bureau's versioned credit scorecards and the enterprises' scores: the grade and line an
//! enterprise's approved figures earn and the working it sees; a new version with higher bars
//! lowers the grade after rescoring while the old score reads as it did; the negative list (the
//! bureau's notes, an overdue loan); scorecards refused naming the field; counts by grade; who
//! may see a score.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::pages::sign_in;
use crate::registry_pages::{get, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both, test_uscc};
use fruition_store::Db;

const WAN: i64 = 1_000_000;

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

/// Calls the API and insists on the status.
async fn expect(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) -> Value {
    let (got, answer) = call(app, token, method.clone(), path, body).await;
    assert_eq!(got, status, "{method} {path}: {answer}");
    answer
}

/// A knowledge-value loan application straight into the table (the loans capability writes
/// them; here only its enterprise, bank and status matter).
pub async fn insert_loan(
    app: &TestApp,
    enterprise_id: i64,
    borrower_org: i64,
    bank_org: i64,
    status: &str,
) {
    let sql = "INSERT INTO loans (enterprise_id, borrower_org_id, bank_org_id, kind, status, requested_fen, requested_months, \
               purpose, consent_text, consent_at, county_code, created_at, updated_at) \
               VALUES ($1, $2, $3, 'credit', $4, 100000000, 12, '流动资金', '同意向该银行提供企业数据', 0, '430211', 0, 0)";
    match &app.db {
        Db::Sqlite(p) => {
            sqlx::query(sql)
                .bind(enterprise_id)
                .bind(borrower_org)
                .bind(bank_org)
                .bind(status)
                .execute(p)
                .await
                .expect("loan");
        }
        Db::Postgres(p) => {
            sqlx::query(sql)
                .bind(enterprise_id)
                .bind(borrower_org)
                .bind(bank_org)
                .bind(status)
                .execute(p)
                .await
                .expect("loan");
        }
    }
}

/// A loan application of the enterprise to the bank, unless it has one already.
pub async fn apply_once(app: &TestApp, enterprise_id: i64, borrower_org: i64, bank_org: i64) {
    let sql = "INSERT INTO loans (enterprise_id, borrower_org_id, bank_org_id, kind, status, requested_fen, requested_months, \
               purpose, consent_text, consent_at, county_code, created_at, updated_at) \
               SELECT $1, $2, $3, 'credit', 'applied', 100000000, 12, '流动资金', '同意向该银行提供企业数据', 0, '430211', 0, 0 \
               WHERE NOT EXISTS (SELECT 1 FROM loans WHERE enterprise_id = $1 AND bank_org_id = $3)";
    match &app.db {
        Db::Sqlite(p) => {
            sqlx::query(sql)
                .bind(enterprise_id)
                .bind(borrower_org)
                .bind(bank_org)
                .execute(p)
                .await
                .expect("loan");
        }
        Db::Postgres(p) => {
            sqlx::query(sql)
                .bind(enterprise_id)
                .bind(borrower_org)
                .bind(bank_org)
                .execute(p)
                .await
                .expect("loan");
        }
    }
}

/// The yearly figures the scorecard reads, the rest plausible.
fn figures(valid_ip: i64, rd_spending_k: i64, talent: i64, patent_grants: i64) -> Value {
    json!({
        "employees": 60, "doctors": 2, "returnees": 1, "fresh_graduates": 3, "high_level_talent": talent,
        "revenue_k": 30_000, "rd_spending_k": rd_spending_k, "taxes_k": 900, "funding_raised_k": 0,
        "patent_applications": patent_grants + 2, "invention_applications": 1, "patent_grants": patent_grants,
        "invention_grants": 0, "valid_ip": valid_ip, "software_copyrights": 1, "tech_contracts": 0,
        "tech_contract_amount_k": 0
    })
}

/// A scorecard body: the default's items with the given bands for IP and R&D spending.
fn card(note: &str, ip: &[(i64, i64)], rd: &[(i64, i64)]) -> Value {
    let bands = |b: &[(i64, i64)]| -> Value {
        b.iter()
            .map(|(from, points)| json!({"from": from, "points": points}))
            .collect()
    };
    json!({
        "note": note,
        "items": [
            {"indicator": "intellectual_property", "bands": bands(ip), "cap": 40},
            {"indicator": "rd_spending", "bands": bands(rd), "cap": 40},
            {"indicator": "talent", "bands": bands(&[(1, 4), (3, 8)]), "cap": 8, "bonus": true},
            {"indicator": "innovative_products", "bands": bands(&[(1, 3), (3, 6)]), "cap": 6, "bonus": true},
            {"indicator": "innovative_enterprise", "bands": bands(&[(1, 3), (2, 6)]), "cap": 6, "bonus": true}
        ],
        "grades": [
            {"grade": "a", "min_score": 80, "line_fen": 300 * WAN},
            {"grade": "b", "min_score": 65, "line_fen": 200 * WAN},
            {"grade": "c", "min_score": 50, "line_fen": 120 * WAN},
            {"grade": "d", "min_score": 35, "line_fen": 80 * WAN},
            {"grade": "e", "min_score": 20, "line_fen": 40 * WAN}
        ]
    })
}

const HIGHER_IP: [(i64, i64); 4] = [(3, 10), (6, 20), (10, 30), (20, 40)];
const HIGHER_RD: [(i64, i64); 4] = [(500, 10), (1_000, 20), (3_000, 30), (5_000, 40)];

/// The registry the scores read: a carrier and four incubatees, their 2024 figures in an
/// approved report.
struct World {
    /// Linked to the enterprise organisation `cs.ent` (token `ent`): 6 IP, 1,200 千元 R&D, 3
    /// high-level talents → 30 + 30 + 8 = 68, B on version 1.
    star: i64,
    ent_org: i64,
    ent: String,
    /// High-tech, linked to `cs.other`: 12 IP, 3,500 R&D, 1 talent, 3 patents → 40+40+4+6+6 = 96, A.
    bright: i64,
    other: String,
    /// 1 IP, 200 R&D → 10 + 10 = 20, E.
    small: i64,
    /// No figures at all: ungraded.
    blank: i64,
    manager: String,
}

async fn uscc_and_name(app: &TestApp, org: i64) -> (String, String) {
    let org = expect(
        app,
        &app.admin_token,
        Method::GET,
        &format!("/organisations/{org}"),
        None,
        StatusCode::OK,
    )
    .await;
    (
        org["uscc"].as_str().expect("uscc").into(),
        org["name"].as_str().expect("name").into(),
    )
}

/// Registers an enterprise, entering the carrier in 2020 when one is given.
async fn enterprise(
    app: &TestApp,
    carrier: Option<i64>,
    uscc: &str,
    name: &str,
    high_tech: bool,
) -> i64 {
    let profile = json!({"uscc": uscc, "name": name, "county": "天元区", "chain": "轨道交通", "high_tech": high_tech});
    let body = match carrier {
        Some(c) => json!({"enterprise": profile, "carrier_id": c, "entered_on": "2020-01-10"}),
        None => json!({"enterprise": profile}),
    };
    expect(
        app,
        &app.admin_token,
        Method::POST,
        "/enterprises",
        Some(body),
        StatusCode::CREATED,
    )
    .await["enterprise"]["id"]
        .as_i64()
        .expect("enterprise id")
}

async fn world(app: &TestApp) -> World {
    let (operator, manager) = app.org_with_user("carrier_operator", "cs.op").await;
    let (ent_org, ent) = app.org_with_user("enterprise", "cs.ent").await;
    let (other_org, other) = app.org_with_user("enterprise", "cs.other").await;
    let carrier = expect(
        app,
        &app.admin_token,
        Method::POST,
        "/carriers",
        Some(json!({
            "name": "评分孵化器", "kind": "incubator", "operator_org_id": operator, "county": "天元区",
            "established_year": 2015, "floor_area_m2": 10000
        })),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("carrier id");
    let (code, name) = uscc_and_name(app, ent_org).await;
    let star = enterprise(app, Some(carrier), &code, &name, false).await;
    let (code, name) = uscc_and_name(app, other_org).await;
    let bright = enterprise(app, Some(carrier), &code, &name, true).await;
    let small = enterprise(
        app,
        Some(carrier),
        &test_uscc(880_001),
        "小微评分有限公司",
        false,
    )
    .await;
    // Not incubated anywhere: no yearly figures.
    let blank = enterprise(app, None, &test_uscc(880_002), "尚无数据有限公司", false).await;

    let report = expect(
        app,
        &manager,
        Method::POST,
        &format!("/carriers/{carrier}/reports"),
        Some(json!({"year": 2024})),
        StatusCode::OK,
    )
    .await["id"]
        .as_i64()
        .expect("report id");
    expect(
        app,
        &manager,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 8, "floor_area_m2": 10000})),
        StatusCode::OK,
    )
    .await;
    for (id, values) in [
        (star, figures(6, 1_200, 3, 0)),
        (bright, figures(12, 3_500, 1, 3)),
        (small, figures(1, 200, 0, 0)),
    ] {
        expect(
            app,
            &manager,
            Method::PUT,
            &format!("/reports/{report}/indicators"),
            Some(json!({"enterprise_id": id, "indicators": values})),
            StatusCode::OK,
        )
        .await;
    }
    expect(
        app,
        &manager,
        Method::POST,
        &format!("/reports/{report}/submission"),
        None,
        StatusCode::OK,
    )
    .await;
    expect(
        app,
        &app.admin_token,
        Method::POST,
        &format!("/reports/{report}/review"),
        Some(json!({"step": "approve"})),
        StatusCode::OK,
    )
    .await;
    World {
        star,
        ent_org,
        ent,
        bright,
        other,
        small,
        blank,
        manager,
    }
}

fn line(score: &Value, indicator: &str) -> Value {
    score["working"]
        .as_array()
        .expect("working")
        .iter()
        .find(|w| w["indicator"] == indicator)
        .cloned()
        .unwrap_or_else(|| panic!("no {indicator} in {score}"))
}

/// Counts by grade as (a, b, c, d, e, ungraded, excluded, scored).
fn counts(rescored: &Value) -> [i64; 8] {
    let c = &rescored["counts"];
    let grade = |g: &str| {
        c["grades"]
            .as_array()
            .expect("grades")
            .iter()
            .find(|x| x["grade"] == g)
            .and_then(|x| x["count"].as_i64())
            .expect("count")
    };
    [
        grade("a"),
        grade("b"),
        grade("c"),
        grade("d"),
        grade("e"),
        c["ungraded"].as_i64().expect("ungraded"),
        c["excluded"].as_i64().expect("excluded"),
        c["scored"].as_i64().expect("scored"),
    ]
}

async fn score_of(app: &TestApp, token: &str, enterprise: i64) -> Value {
    expect(
        app,
        token,
        Method::GET,
        &format!("/enterprises/{enterprise}/credit-score"),
        None,
        StatusCode::OK,
    )
    .await
}

async fn rescore(app: &TestApp) -> Value {
    expect(
        app,
        &app.admin_token,
        Method::POST,
        "/credit/rescore",
        None,
        StatusCode::OK,
    )
    .await
}

async fn grades_lines_working_and_new_versions(app: TestApp) {
    let w = world(&app).await;
    let admin = app.admin_token.clone();

    // The shipped default is version 1, in force.
    let cards = expect(
        &app,
        &admin,
        Method::GET,
        "/credit/scorecards",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cards.as_array().expect("list").len(), 1, "{cards}");
    assert_eq!(cards[0]["version"], 1);
    assert_eq!(cards[0]["in_force"], true);
    assert_eq!(cards[0]["grades"][1]["line"], "200万元");

    // Rescoring everyone on it: one action, counts by grade.
    let rescored = rescore(&app).await;
    assert_eq!(counts(&rescored), [1, 1, 0, 0, 1, 1, 0, 4], "{rescored}");
    assert!(rescored["elapsed_ms"].as_i64().is_some());

    // The enterprise sees its grade, line and working, with the version and the data date.
    let mine = score_of(&app, &w.ent, w.star).await;
    let s = &mine["score"];
    assert_eq!(s["version"], 1, "{mine}");
    assert_eq!(s["data_date"], "2024-12-31");
    assert_eq!(
        (s["base"].as_i64(), s["bonus"].as_i64(), s["total"].as_i64()),
        (Some(60), Some(8), Some(68))
    );
    assert_eq!(s["grade"], "b");
    assert_eq!(s["line_fen"], 200 * WAN);
    assert_eq!(s["outcome"], "B级，建议授信额度200万元");
    let ip = line(s, "intellectual_property");
    assert_eq!(
        (
            ip["value"].as_i64(),
            ip["points"].as_i64(),
            ip["cap"].as_i64()
        ),
        (Some(6), Some(30), Some(40))
    );
    assert_eq!(ip["label"], "知识产权（有效知识产权数）");
    assert_eq!(line(s, "rd_spending")["points"], 30);
    let talent = line(s, "talent");
    assert_eq!(
        (talent["points"].as_i64(), talent["bonus"].as_bool()),
        (Some(8), Some(true))
    );
    assert_eq!(line(s, "innovative_enterprise")["value"], 0);
    assert_eq!(
        mine["enterprise_name"]
            .as_str()
            .map(|n| n.contains("测试机构")),
        Some(true)
    );

    let bright = score_of(&app, &admin, w.bright).await;
    assert_eq!(bright["score"]["total"], 96, "{bright}");
    assert_eq!(bright["score"]["grade"], "a");
    assert_eq!(line(&bright["score"], "innovative_enterprise")["points"], 6);
    // No approved figures: nothing but the enterprise's kind, dated the end of last year.
    let blank = score_of(&app, &admin, w.blank).await;
    let last_year = fruition_app::clock::this_year() - 1;
    assert_eq!(
        blank["score"]["data_date"],
        format!("{last_year}-12-31"),
        "{blank}"
    );
    assert_eq!(blank["score"]["grade"], Value::Null);
    assert_eq!(
        line(&blank["score"], "intellectual_property")["value"],
        Value::Null
    );
    assert_eq!(
        line(&blank["score"], "intellectual_property")["value_text"],
        "无数据"
    );
    assert_eq!(blank["score"]["outcome"], "未达到最低等级，不推荐授信");

    // Scoring again with the same version and data: the identical score, in the same row.
    let stored = fruition_store::credit::scores::latest(&app.db, w.star, 1)
        .await
        .expect("read")
        .expect("a score");
    let again = rescore(&app).await;
    assert_eq!(counts(&again), counts(&rescored));
    let restored = fruition_store::credit::scores::latest(&app.db, w.star, 1)
        .await
        .expect("read")
        .expect("a score");
    assert_eq!(
        (restored.id, &restored.score_json),
        (stored.id, &stored.score_json)
    );
    // And it is reproduced from what it keeps: its version's scorecard and its data.
    let v1 = fruition_domain::credit::Scorecard::default_v1();
    assert!(fruition_app::credit::scores::reproduce(&v1, &restored));

    // The rescore is in the audit log with its counts.
    let audit = expect(
        &app,
        &admin,
        Method::GET,
        "/audit-entries?entity=credit_rescore",
        None,
        StatusCode::OK,
    )
    .await;
    let entries = audit.as_array().expect("entries");
    assert_eq!(entries.len(), 2, "{audit}");
    assert_eq!(audit[0]["after"]["ungraded"], 1, "{audit}");
    assert_eq!(audit[0]["entity_id"], "1");

    // A new version with higher bars for IP and R&D spending.
    let v2 = expect(
        &app,
        &admin,
        Method::POST,
        "/credit/scorecards",
        Some(card("提高知识产权和研发投入档次", &HIGHER_IP, &HIGHER_RD)),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        (v2["version"].as_i64(), v2["in_force"].as_bool()),
        (Some(2), Some(true)),
        "{v2}"
    );
    assert_eq!(v2["items"][0]["bands_text"], "3:10, 6:20, 10:30, 20:40");
    let cards = expect(
        &app,
        &admin,
        Method::GET,
        "/credit/scorecards",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (cards[0]["version"].as_i64(), cards[1]["in_force"].as_bool()),
        (Some(2), Some(false))
    );
    let one = expect(
        &app,
        &w.ent,
        Method::GET,
        "/credit/scorecards/1",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(one["items"][0]["bands_text"], "1:10, 3:20, 5:30, 10:40");
    expect(
        &app,
        &w.ent,
        Method::GET,
        "/credit/scorecards/9",
        None,
        StatusCode::NOT_FOUND,
    )
    .await;

    // After rescoring: 6 IP → 20, 1,200 R&D → 20, talent 8 = 48, D.
    let rescored = rescore(&app).await;
    assert_eq!(rescored["counts"]["version"], 2);
    assert_eq!(counts(&rescored), [0, 1, 0, 1, 0, 2, 0, 4], "{rescored}");
    let now = score_of(&app, &w.ent, w.star).await;
    assert_eq!(
        (
            now["score"]["version"].as_i64(),
            now["score"]["total"].as_i64()
        ),
        (Some(2), Some(48)),
        "{now}"
    );
    assert_eq!(now["score"]["grade"], "d");
    assert_eq!(now["score"]["line"], "80万元");
    // The old score still reads the same: its version, data date and working.
    let history = expect(
        &app,
        &w.ent,
        Method::GET,
        &format!("/enterprises/{}/credit-scores", w.star),
        None,
        StatusCode::OK,
    )
    .await;
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["version"], 2);
    let old = &history[1];
    for key in [
        "id",
        "version",
        "data_date",
        "base",
        "bonus",
        "total",
        "grade",
        "line_fen",
        "outcome",
        "working",
    ] {
        assert_eq!(old[key], s[key], "{key}");
    }

    // The enterprise's page: "我的信用评分" with the working, version and data date.
    let browser = sign_in(&app, "cs.ent", "cs.ent-secret-pw").await;
    let home = get(&app, &browser, "/credit/loans").await;
    assert!(
        home.html.contains("href=\"/credit/score\""),
        "the credit pages offer the score"
    );
    let page = get(&app, &browser, "/credit/score").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for text in [
        "我的信用评分",
        "D级",
        "80万元",
        "2024-12-31",
        "知识产权（有效知识产权数）",
        "逐项得分",
        "历史评分",
        "B级",
    ] {
        assert!(page.html.contains(text), "the page shows {text}");
    }
    // Someone else's score page is refused.
    let refused = get(
        &app,
        &browser,
        &format!("/enterprises/{}/credit-score", w.bright),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // 创新积分 where supplied: the latest year up to the data year (2024) counts, a later one not.
    let ctx = fruition_store::audit::AuditCtx::system("tests");
    let mut tx = app.db.begin().await.expect("tx");
    for (year, points) in [(2023, 75), (2025, 95)] {
        fruition_store::credit::scores::set_innovation_points(
            &mut tx,
            &ctx,
            w.star,
            Some(w.ent_org),
            year,
            points,
        )
        .await
        .expect("points");
    }
    tx.commit().await.expect("commit");
    let mut v3 = card("加入创新积分", &HIGHER_IP, &HIGHER_RD);
    v3["items"]
        .as_array_mut()
        .expect("items")
        .push(json!({"indicator": "innovation_points", "bands": [{"from": 60, "points": 5}, {"from": 90, "points": 10}], "cap": 10, "bonus": true}));
    expect(
        &app,
        &admin,
        Method::POST,
        "/credit/scorecards",
        Some(v3),
        StatusCode::CREATED,
    )
    .await;
    let now = score_of(&app, &w.ent, w.star).await;
    let points = line(&now["score"], "innovation_points");
    assert_eq!(
        (points["value"].as_i64(), points["points"].as_i64()),
        (Some(75), Some(5)),
        "{now}"
    );
    assert_eq!(
        (
            now["score"]["version"].as_i64(),
            now["score"]["total"].as_i64()
        ),
        (Some(3), Some(53))
    );
}

async fn the_negative_list(app: TestApp) {
    let w = world(&app).await;
    let admin = app.admin_token.clone();
    let (bank, bank_token) = app.org_with_user("bank", "cs.bank").await;

    // The bureau notes serious dishonesty, with its grounds; the score is redone at once.
    let path = format!("/enterprises/{}/credit-exclusions", w.bright);
    let (status, refused) = call(
        &app,
        &admin,
        Method::POST,
        &path,
        Some(json!({"exclusion": "serious_dishonesty", "note": " "})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused["error"]["fields"]["note"].is_string(), "{refused}");
    let noted = expect(
        &app,
        &admin,
        Method::POST,
        &path,
        Some(json!({"exclusion": "serious_dishonesty", "note": "信用中国 2025-11 公示"})),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(noted["label"], "列入严重失信主体名单");
    let score = score_of(&app, &admin, w.bright).await;
    assert_eq!(score["score"]["excluded"], "serious_dishonesty", "{score}");
    assert_eq!(score["score"]["grade"], Value::Null);
    assert_eq!(score["score"]["total"], 96, "the points are still shown");
    assert_eq!(
        score["score"]["outcome"],
        "列入负面清单：列入严重失信主体名单"
    );
    assert_eq!(score["exclusions"][0]["note"], "信用中国 2025-11 公示");
    // The same reason twice while it holds: 409 naming it.
    let (status, twice) = call(
        &app,
        &admin,
        Method::POST,
        &path,
        Some(json!({"exclusion": "serious_dishonesty", "note": "再次"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
    assert!(twice["error"]["fields"]["exclusion"].is_string(), "{twice}");
    // Only the bureau notes.
    let (status, _) = call(
        &app,
        &w.ent,
        Method::POST,
        &path,
        Some(json!({"exclusion": "abnormal_operation", "note": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An overdue loan excludes too, read from the loans.
    insert_loan(&app, w.small, bank, bank, "overdue").await;
    let rescored = rescore(&app).await;
    assert_eq!(counts(&rescored), [0, 1, 0, 0, 0, 1, 2, 4], "{rescored}");
    let small = score_of(&app, &bank_token, w.small).await;
    assert_eq!(small["score"]["excluded"], "overdue_loan", "{small}");
    assert_eq!(small["score"]["excluded_label"], "存在逾期贷款");

    // Lifted: graded again at once; the note is kept, marked lifted.
    let id = noted["id"].as_i64().expect("id");
    let lift = format!("{path}/{id}");
    let (status, _) = call(&app, &w.ent, Method::DELETE, &lift, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    expect(
        &app,
        &admin,
        Method::DELETE,
        &lift,
        None,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect(
        &app,
        &admin,
        Method::DELETE,
        &lift,
        None,
        StatusCode::CONFLICT,
    )
    .await;
    expect(
        &app,
        &admin,
        Method::DELETE,
        &format!("/enterprises/{}/credit-exclusions/{id}", w.star),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let score = score_of(&app, &admin, w.bright).await;
    assert_eq!(score["score"]["grade"], "a", "{score}");
    assert_eq!(score["exclusions"], json!([]));

    // The bureau's pages: note from the score page, lift from it.
    let browser = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let enterprise_page = get(&app, &browser, &format!("/enterprises/{}", w.star)).await;
    assert!(
        enterprise_page
            .html
            .contains(&format!("href=\"/enterprises/{}/credit-score\"", w.star))
    );
    let score_page = format!("/enterprises/{}/credit-score", w.star);
    let refused = submit(
        &app,
        &browser,
        &score_page,
        &format!("/enterprises/{}/credit-exclusions", w.star),
        &[("exclusion", "abnormal_operation"), ("note", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-note-error\""),
        "the problem is beside the note"
    );
    let done = submit(
        &app,
        &browser,
        &score_page,
        &format!("/enterprises/{}/credit-exclusions", w.star),
        &[
            ("exclusion", "abnormal_operation"),
            ("note", "经营异常名录 2026-01"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = get(&app, &browser, &done.location).await;
    assert!(
        page.html.contains("列入负面清单：列入经营异常名录"),
        "{}",
        page.html
    );
    assert!(page.html.contains("已列入负面清单，评分已更新。"));
    let x = score_of(&app, &admin, w.star).await["exclusions"][0]["id"]
        .as_i64()
        .expect("note id");
    let lifted = submit(
        &app,
        &browser,
        &score_page,
        &format!("/enterprises/{}/credit-exclusions/{x}/lift", w.star),
        &[],
    )
    .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER, "{}", lifted.html);
    assert_eq!(score_of(&app, &admin, w.star).await["score"]["grade"], "b");
    let _ = w.manager;
    let _ = w.ent_org;
}

async fn bad_scorecards_are_refused_naming_the_field(app: TestApp) {
    let admin = app.admin_token.clone();
    let post = |body: Value| {
        let app = &app;
        let admin = admin.clone();
        async move { call(app, &admin, Method::POST, "/credit/scorecards", Some(body)).await }
    };
    // Bands that fall.
    let (status, body) = post(card("", &[(10, 40), (5, 30), (3, 20), (1, 10)], &HIGHER_RD)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["items.intellectual_property.bands"]
            .as_str()
            .is_some_and(|m| m.contains("从低到高")),
        "{body}"
    );
    // Grades out of order.
    let mut swapped = card("", &HIGHER_IP, &HIGHER_RD);
    let grades = swapped["grades"].as_array_mut().expect("grades");
    grades.swap(0, 1);
    let (status, body) = post(swapped).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"]["grades"].is_string(), "{body}");
    // A minimum score above the one before it, and a line above the one before it.
    let mut b = card("", &HIGHER_IP, &HIGHER_RD);
    b["grades"][2]["min_score"] = json!(70);
    b["grades"][3]["line_fen"] = json!(500 * WAN);
    let (status, body) = post(b).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["grades.c.min_score"].is_string(),
        "{body}"
    );
    assert!(
        body["error"]["fields"]["grades.d.line_fen"].is_string(),
        "{body}"
    );
    // A band that is not a number.
    let mut nan = card("", &HIGHER_IP, &HIGHER_RD);
    nan["items"][0]["bands"][1]["from"] = json!("三");
    let (status, body) = post(nan).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = body["error"]["fields"].as_object().expect("fields");
    assert!(
        fields
            .keys()
            .any(|k| k.contains("bands") && k.contains("from")),
        "{body}"
    );
    // Nothing was stored: version 1 (the default) is still in force.
    let cards = expect(
        &app,
        &admin,
        Method::GET,
        "/credit/scorecards",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cards.as_array().map(Vec::len), Some(1), "{cards}");

    // The page: a band typed wrong is refused beside its field, in Chinese, what was typed kept.
    let browser = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let page = get(&app, &browser, "/credit/scorecards").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("现行评分卡") && page.html.contains("制定新版本"));
    let mut fields: Vec<(&str, &str)> = vec![
        ("items.intellectual_property.bands", "1:10, 3:x"),
        ("items.intellectual_property.cap", "40"),
        (
            "items.rd_spending.bands",
            "200:10, 500:20, 1000:30, 3000:40",
        ),
        ("items.rd_spending.cap", "40"),
        ("items.talent.bands", "1:4, 3:8"),
        ("items.talent.bonus", "true"),
        ("grades.a.min_score", "80"),
        ("grades.a.line_wan", "300"),
        ("grades.b.min_score", "65"),
        ("grades.b.line_wan", "200"),
        ("grades.c.min_score", "50"),
        ("grades.c.line_wan", "120"),
        ("grades.d.min_score", "35"),
        ("grades.d.line_wan", "80"),
        ("grades.e.min_score", "20"),
        ("grades.e.line_wan", "四十"),
        ("exclusions", "serious_dishonesty"),
        ("exclusions", "overdue_loan"),
    ];
    let refused = submit(
        &app,
        &browser,
        "/credit/scorecards",
        "/credit/scorecards",
        &fields,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-items.intellectual_property.bands-error\""),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("“3:x”不是“起点:分值”的整数格式"));
    assert!(refused.html.contains("id=\"f-grades.e.line_wan-error\""));
    assert!(
        refused.html.contains("value=\"1:10, 3:x\""),
        "what was typed is kept"
    );
    // Mended: saved as version 2, in force.
    fields[0].1 = "1:10, 3:20, 5:30, 10:40";
    fields[15].1 = "40";
    let saved = submit(
        &app,
        &browser,
        "/credit/scorecards",
        "/credit/scorecards",
        &fields,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let v2 = expect(
        &app,
        &admin,
        Method::GET,
        "/credit/scorecards/2",
        None,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        v2["items"].as_array().map(Vec::len),
        Some(3),
        "blank indicators are left out: {v2}"
    );
    assert_eq!(v2["grades"][4]["line_fen"], 40 * WAN);
    assert_eq!(v2["exclusions"].as_array().map(Vec::len), Some(2));
    // The rescore button: counts by grade afterwards.
    let rescored = submit(&app, &browser, "/credit/scorecards", "/credit/rescore", &[]).await;
    assert_eq!(rescored.status, StatusCode::SEE_OTHER);
    assert!(
        rescored
            .location
            .starts_with("/credit/scorecards?done=credit_rescored&took="),
        "{}",
        rescored.location
    );
    let page = get(&app, &browser, &rescored.location).await;
    assert!(page.html.contains("已按现行评分卡为全部企业重新评分。"));
    assert!(page.html.contains("id=\"grade-counts\""));
    // Not the bureau: no form, and a post is refused.
    let (_, ent) = app.org_with_user("enterprise", "cs.someone").await;
    let (status, _) = call(
        &app,
        &ent,
        Method::POST,
        "/credit/scorecards",
        Some(card("", &HIGHER_IP, &HIGHER_RD)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, &ent, Method::POST, "/credit/rescore", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, cards) = call(&app, &ent, Method::GET, "/credit/scorecards", None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "everyone reads the scorecards: {cards}"
    );
}

async fn who_sees_a_score(app: TestApp) {
    let w = world(&app).await;
    let (bank, bank_token) = app.org_with_user("bank", "cs.lender").await;
    let (idle_org, idle_bank) = app.org_with_user("bank", "cs.idle").await;
    let (status, _) = call(
        &app,
        "",
        Method::GET,
        &format!("/enterprises/{}/credit-score", w.star),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Another enterprise's users, the carrier's manager, a bank it has not asked: refused.
    for token in [&w.other, &w.manager, &bank_token, &idle_bank] {
        for path in ["credit-score", "credit-scores"] {
            let (status, body) = call(
                &app,
                token,
                Method::GET,
                &format!("/enterprises/{}/{path}", w.star),
                None,
            )
            .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        }
    }
    // A bank the enterprise asked for a loan sees it; a withdrawn application does not count.
    insert_loan(&app, w.star, w.ent_org, bank, "applied").await;
    let seen = score_of(&app, &bank_token, w.star).await;
    assert_eq!(seen["score"]["grade"], "b", "{seen}");
    assert_eq!(seen["can_manage"], false);
    insert_loan(&app, w.star, w.ent_org, idle_org, "withdrawn").await;
    let (status, _) = call(
        &app,
        &idle_bank,
        Method::GET,
        &format!("/enterprises/{}/credit-score", w.star),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The enterprise's own users (the other enterprise sees its own).
    assert_eq!(
        score_of(&app, &w.other, w.bright).await["score"]["grade"],
        "a"
    );
    expect(
        &app,
        &w.ent,
        Method::GET,
        "/enterprises/999999/credit-score",
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let _ = (w.small, w.blank);
}

on_both!(
    grades_lines_working_and_new_versions,
    the_negative_list,
    bad_scorecards_are_refused_naming_the_field,
    who_sees_a_score
);
