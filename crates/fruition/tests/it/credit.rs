//! Knowledge-value credit loans and the risk compensation pool through the API: the loan's life
//! from application to compensation with each party's rights, the pool's double-entry books
//! (balanced, append-only, as of any day), compensation split across funders and recoveries
//! flowing back, the non-performing ratio's warning and breaker, and limits that hold under
//! concurrent requests (a claim paid once, the pool's balance, the bank's yearly cap).

use fruition_store::Db;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, at_once, count, incubate_at, on_both};

const WAN: i64 = 10_000 * 100;

/// The parties of a loan: an enterprise (with its registry record), two banks, a guarantor.
struct Parties {
    firm: String,
    firm_org: i64,
    bank: String,
    bank_org: i64,
    other_bank: String,
    guarantor: String,
    guarantor_org: i64,
}

async fn parties(app: &TestApp, tag: &str) -> Parties {
    let (firm_org, firm) = app
        .org_with_user("enterprise", &format!("firm-{tag}"))
        .await;
    let (operator, _) = app
        .org_with_user("carrier_operator", &format!("op-{tag}"))
        .await;
    incubate_at(
        app,
        operator,
        firm_org,
        &format!("孵化器{tag}"),
        "incubator",
    )
    .await;
    let (bank_org, bank) = app.org_with_user("bank", &format!("bank-{tag}")).await;
    let (_, other_bank) = app.org_with_user("bank", &format!("otherbank-{tag}")).await;
    let (guarantor_org, guarantor) = app.org_with_user("guarantor", &format!("guar-{tag}")).await;
    Parties {
        firm,
        firm_org,
        bank,
        bank_org,
        other_bank,
        guarantor,
        guarantor_org,
    }
}

/// Funders province 5 : city 3 : district 2, each contributing `wan` × its ratio 万元.
async fn fund_pool(app: &TestApp, wan: i64) -> Vec<i64> {
    let t = &app.admin_token;
    let mut ids = Vec::new();
    for (name, level, ratio) in [
        ("湖南省财政厅", "province", 5),
        ("株洲市财政局", "city", 3),
        ("天元区财政局", "district", 2),
    ] {
        let f = app
            .expect(
                t,
                Method::POST,
                "/credit/pool/funders",
                Some(json!({"name": name, "level": level, "ratio": ratio})),
                StatusCode::CREATED,
            )
            .await;
        let id = f["id"].as_i64().expect("funder id");
        app.expect(
            t,
            Method::POST,
            "/credit/pool/contributions",
            Some(json!({"funder_id": id, "amount_fen": wan * ratio * WAN})),
            StatusCode::CREATED,
        )
        .await;
        ids.push(id);
    }
    ids
}

async fn apply(app: &TestApp, p: &Parties, amount_wan: i64, guarantor: Option<i64>) -> i64 {
    let l = app
        .expect(
            &p.firm,
            Method::POST,
            "/credit/loans",
            Some(json!({
                "bank_org_id": p.bank_org, "guarantor_org_id": guarantor,
                "requested_fen": amount_wan * WAN, "requested_months": 24,
                "purpose": "购置碳化硅衬底检测设备，扩大中试产能", "consent": true
            })),
            StatusCode::CREATED,
        )
        .await;
    l["loan"]["id"].as_i64().expect("loan id")
}

async fn step(app: &TestApp, token: &str, loan: i64, body: Value, status: StatusCode) -> Value {
    app.expect(
        token,
        Method::POST,
        &format!("/credit/loans/{loan}/actions"),
        Some(body),
        status,
    )
    .await
}

/// Applies, approves `amount_wan` 万元, disburses and registers; returns the loan id.
async fn registered_loan(app: &TestApp, p: &Parties, amount_wan: i64) -> i64 {
    let id = apply(app, p, amount_wan, None).await;
    step(
        app,
        &p.bank,
        id,
        json!({"step": "approve", "amount_fen": amount_wan * WAN, "rate_bp": 400, "term_months": 24,
               "over_line_reason": "企业订单增长，经实地核查现金流稳定"}),
        StatusCode::OK,
    )
    .await;
    step(
        app,
        &p.bank,
        id,
        json!({"step": "disburse"}),
        StatusCode::OK,
    )
    .await;
    step(
        app,
        &app.admin_token,
        id,
        json!({"step": "register"}),
        StatusCode::OK,
    )
    .await;
    id
}

/// Takes a registered loan through overdue and default to a claim approved by the bureau;
/// returns the claim.
async fn approved_claim(app: &TestApp, p: &Parties, loan: i64) -> Value {
    step(
        app,
        &p.bank,
        loan,
        json!({"step": "mark_overdue"}),
        StatusCode::OK,
    )
    .await;
    step(
        app,
        &p.bank,
        loan,
        json!({"step": "default"}),
        StatusCode::OK,
    )
    .await;
    let c = app
        .expect(
            &p.bank,
            Method::POST,
            &format!("/credit/loans/{loan}/claims"),
            Some(json!({"note": "已起诉并申请财产保全"})),
            StatusCode::CREATED,
        )
        .await;
    let id = c["id"].as_i64().expect("claim id");
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/credit/claims/{id}/actions"),
        Some(json!({"step": "approve"})),
        StatusCode::OK,
    )
    .await
}

/// The fields an error names.
fn field_names(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn fen(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not fen: {v}"))
}

/// Each funder's money in the pool, in the funders' order.
fn pool_balances(pool: &Value) -> Vec<i64> {
    pool["funders"]
        .as_array()
        .expect("funders")
        .iter()
        .map(|f| fen(&f["pool_balance_fen"]))
        .collect()
}

async fn pool(app: &TestApp) -> Value {
    app.expect(
        &app.admin_token,
        Method::GET,
        "/credit/pool",
        None,
        StatusCode::OK,
    )
    .await
}

async fn loan_story(app: TestApp) {
    let p = parties(&app, "story").await;
    fund_pool(&app, 100).await;
    let admin = app.admin_token.clone();

    // The application needs consent and sound figures, and names each bad field.
    let bad = app
        .expect(
            &p.firm,
            Method::POST,
            "/credit/loans",
            Some(
                json!({"bank_org_id": p.guarantor_org, "requested_fen": 0, "requested_months": 48,
                        "purpose": "购设备", "consent": false}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields = field_names(&bad);
    for f in [
        "consent",
        "requested_fen",
        "requested_months",
        "purpose",
        "bank_org_id",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} in {bad}");
    }
    // A bank cannot apply; the application is kept with the consent given.
    app.expect(
        &p.bank,
        Method::POST,
        "/credit/loans",
        Some(
            json!({"bank_org_id": p.bank_org, "requested_fen": WAN, "requested_months": 12,
                    "purpose": "流动资金周转", "consent": true}),
        ),
        StatusCode::FORBIDDEN,
    )
    .await;
    let id = apply(&app, &p, 150, Some(p.guarantor_org)).await;
    let d = app
        .expect(
            &p.bank,
            Method::GET,
            &format!("/credit/loans/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["loan"]["status"], "applied");
    assert_eq!(d["loan"]["kind"], "guaranteed");
    assert_eq!(d["loan"]["borrower_org_id"], p.firm_org);
    assert!(
        d["loan"]["consent_text"]
            .as_str()
            .expect("consent")
            .contains("同意"),
        "{d}"
    );
    assert_eq!(d["steps"], json!(["approve", "decline"]));
    // Each party sees it; another bank does not know it exists.
    for t in [&p.firm, &p.guarantor, &admin] {
        app.expect(
            t,
            Method::GET,
            &format!("/credit/loans/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    }
    app.expect(
        &p.other_bank,
        Method::GET,
        &format!("/credit/loans/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let mine = app
        .expect(
            &p.other_bank,
            Method::GET,
            "/credit/loans",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine.as_array().expect("list").len(), 0);
    // The borrower cannot approve its own loan; the guarantor cannot either.
    for t in [&p.firm, &p.guarantor] {
        step(
            &app,
            t,
            id,
            json!({"step": "approve", "amount_fen": WAN, "rate_bp": 400, "term_months": 12}),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    // Terms beyond the line without a reason, above LPR + 150 bp, longer than 36 months: all
    // named at once; nothing changes.
    let e = step(
        &app,
        &p.bank,
        id,
        json!({"step": "approve", "amount_fen": 150 * WAN, "rate_bp": 451, "term_months": 37}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        field_names(&e),
        ["over_line_reason", "rate", "term_months"],
        "{e}"
    );
    step(
        &app,
        &p.bank,
        id,
        json!({"step": "approve", "amount_fen": 150 * WAN, "rate_bp": 420, "term_months": 24,
               "over_line_reason": "担保机构全额担保，企业订单充足"}),
        StatusCode::OK,
    )
    .await;
    // Registration comes after disbursement, and only from the bureau.
    step(
        &app,
        &admin,
        id,
        json!({"step": "register"}),
        StatusCode::CONFLICT,
    )
    .await;
    let d = step(
        &app,
        &p.bank,
        id,
        json!({"step": "disburse"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["loan"]["status"], "disbursed");
    let schedule = d["schedule"].as_array().expect("schedule");
    assert_eq!(schedule.len(), 24);
    let principal: i64 = schedule.iter().map(|i| fen(&i["principal_fen"])).sum();
    assert_eq!(principal, 150 * WAN);
    step(
        &app,
        &p.bank,
        id,
        json!({"step": "register"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = step(
        &app,
        &admin,
        id,
        json!({"step": "register"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["loan"]["status"], "registered");

    // Repayments never pass what is owed; amounts are whole fen.
    let path = format!("/credit/loans/{id}/repayments");
    app.expect(
        &p.bank,
        Method::POST,
        &path,
        Some(json!({"principal_fen": 151 * WAN, "interest_fen": 0})),
        StatusCode::CONFLICT,
    )
    .await;
    app.expect(
        &p.bank,
        Method::POST,
        &path,
        Some(json!({"principal_fen": 1.5, "interest_fen": 0})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    app.expect(
        &p.firm,
        Method::POST,
        &path,
        Some(json!({"principal_fen": WAN, "interest_fen": 0})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = app
        .expect(
            &p.bank,
            Method::POST,
            &path,
            Some(json!({"principal_fen": 30 * WAN, "interest_fen": 525_000})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(fen(&d["loan"]["outstanding_fen"]), 120 * WAN);

    // A second loan, disbursed before the first goes overdue.
    let second = apply(&app, &p, 50, None).await;
    step(
        &app,
        &p.bank,
        second,
        json!({"step": "approve", "amount_fen": 50 * WAN, "rate_bp": 400,
        "term_months": 12, "over_line_reason": "老客户续贷"}),
        StatusCode::OK,
    )
    .await;
    step(
        &app,
        &p.bank,
        second,
        json!({"step": "disburse"}),
        StatusCode::OK,
    )
    .await;
    // Overdue: 120万 of the bank's 170万 outstanding is non-performing → warning and breaker, the
    // bureau and the bank are told.
    step(
        &app,
        &p.bank,
        id,
        json!({"step": "mark_overdue"}),
        StatusCode::OK,
    )
    .await;
    let risk = app
        .expect(&admin, Method::GET, "/credit/risk", None, StatusCode::OK)
        .await;
    let line = risk["banks"]
        .as_array()
        .expect("banks")
        .iter()
        .find(|b| b["bank_org_id"] == p.bank_org)
        .expect("the bank's line")
        .clone();
    assert_eq!(line["level"], "breaker");
    assert_eq!(line["npl_bp"], 7_059);
    assert_eq!(line["breaker_on"], true);
    let inbox = app
        .expect(&p.bank, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    assert!(inbox.to_string().contains("熔断"), "{inbox}");
    // The overdue loan puts the enterprise on the negative list: its score says so, and a new
    // application is refused.
    let score = app
        .expect(
            &admin,
            Method::GET,
            &format!("/enterprises/{}/credit-score", d["loan"]["enterprise_id"]),
            None,
            StatusCode::OK,
        )
        .await;
    assert!(score.to_string().contains("overdue_loan"), "{score}");
    let refused = app
        .expect(
            &p.firm,
            Method::POST,
            "/credit/loans",
            Some(
                json!({"bank_org_id": p.bank_org, "requested_fen": WAN, "requested_months": 12,
                        "purpose": "再申请一笔流动资金", "consent": true}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(refused.to_string().contains("负面清单"), "{refused}");
    // The bank sees its own line only; an enterprise sees none.
    let own = app
        .expect(&p.bank, Method::GET, "/credit/risk", None, StatusCode::OK)
        .await;
    assert_eq!(own["banks"].as_array().expect("banks").len(), 1);
    app.expect(
        &p.firm,
        Method::GET,
        "/credit/risk",
        None,
        StatusCode::FORBIDDEN,
    )
    .await;

    // While the breaker is on, no new loan of that bank is registered.
    let e = step(
        &app,
        &admin,
        second,
        json!({"step": "register"}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(field_names(&e), ["breaker"], "{e}");

    // Default → claim: 60 % of the principal lost on a guaranteed loan; one live claim a loan.
    step(
        &app,
        &p.bank,
        id,
        json!({"step": "default"}),
        StatusCode::OK,
    )
    .await;
    let claims_path = format!("/credit/loans/{id}/claims");
    let c = app
        .expect(
            &p.bank,
            Method::POST,
            &claims_path,
            Some(json!({"note": "担保代偿后仍有损失"})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(fen(&c["loss_fen"]), 120 * WAN);
    assert_eq!(fen(&c["amount_fen"]), 72 * WAN);
    app.expect(
        &p.bank,
        Method::POST,
        &claims_path,
        Some(json!({})),
        StatusCode::CONFLICT,
    )
    .await;
    let claim = c["id"].as_i64().expect("claim");
    let decide = format!("/credit/claims/{claim}/actions");
    // Paying needs approval first; the bank cannot decide its own claim.
    app.expect(
        &admin,
        Method::POST,
        &decide,
        Some(json!({"step": "pay"})),
        StatusCode::CONFLICT,
    )
    .await;
    app.expect(
        &p.bank,
        Method::POST,
        &decide,
        Some(json!({"step": "approve"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &admin,
        Method::POST,
        &decide,
        Some(json!({"step": "approve"})),
        StatusCode::OK,
    )
    .await;
    let before = pool(&app).await;
    assert_eq!(fen(&before["balance_fen"]), 1_000 * WAN);
    let paid = app
        .expect(
            &admin,
            Method::POST,
            &decide,
            Some(json!({"step": "pay"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(paid["status"], "paid");
    app.expect(
        &admin,
        Method::POST,
        &decide,
        Some(json!({"step": "pay"})),
        StatusCode::CONFLICT,
    )
    .await;
    // Split 5 : 3 : 2 across the funders; the bank's account holds it.
    let after = pool(&app).await;
    assert_eq!(fen(&after["balance_fen"]), 1_000 * WAN - 72 * WAN);
    assert_eq!(fen(&after["compensated_fen"]), 72 * WAN);
    let left = pool_balances(&after);
    assert_eq!(
        left,
        [
            500 * WAN - 36 * WAN,
            300 * WAN - 21_600_000,
            200 * WAN - 14_400_000
        ]
    );

    // A recovery of 50万 after compensation: the pool bore 60 %, so 30万 comes back by the
    // shares the funders paid.
    let r = app
        .expect(
            &p.bank,
            Method::POST,
            &format!("/credit/claims/{claim}/recoveries"),
            Some(json!({"recovered_fen": 50 * WAN})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(fen(&r["returned_fen"]), 30 * WAN);
    let back = pool(&app).await;
    assert_eq!(fen(&back["balance_fen"]), 1_000 * WAN - 42 * WAN);
    let left = pool_balances(&back);
    assert_eq!(
        left,
        [
            500 * WAN - 21 * WAN,
            300 * WAN - 12_600_000,
            200 * WAN - 8_400_000
        ]
    );

    // The books balance, entry by entry; before today the pool held nothing.
    let proof = app
        .expect(
            &admin,
            Method::GET,
            "/credit/pool/proof",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(proof["holds"], true, "{proof}");
    assert_eq!(proof["sum_fen"], 0);
    assert_eq!(proof["entries"], 3 * 2 + 4 + 4);
    let yesterday = fruition_app::clock::today_date().plus_days(-1);
    let then = app
        .expect(
            &admin,
            Method::GET,
            &format!("/credit/pool?as_of={yesterday}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(then["balance_fen"], 0);
    let ledger = app
        .expect(
            &admin,
            Method::GET,
            "/credit/pool/ledger",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(ledger.as_array().expect("entries").len(), 14);
    app.expect(
        &p.bank,
        Method::GET,
        "/credit/pool/ledger",
        None,
        StatusCode::FORBIDDEN,
    )
    .await;

    // The bureau lifts the breaker saying why; the audit log keeps the reason.
    let lift = format!("/credit/risk/{}/lift", p.bank_org);
    app.expect(
        &admin,
        Method::POST,
        &lift,
        Some(json!({"reason": ""})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let lifted = app
        .expect(
            &admin,
            Method::POST,
            &lift,
            Some(json!({"reason": "银行已完成风险处置并提交整改报告"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(lifted["breaker_on"], false);
    app.expect(
        &admin,
        Method::POST,
        &lift,
        Some(json!({"reason": "再次解除熔断试试"})),
        StatusCode::CONFLICT,
    )
    .await;
    let audit = app
        .expect(
            &admin,
            Method::GET,
            "/audit-entries?entity=credit_bank_risk",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(audit.to_string().contains("整改报告"), "{audit}");
    step(
        &app,
        &admin,
        second,
        json!({"step": "register"}),
        StatusCode::OK,
    )
    .await;

    // The target counts what was disbursed.
    let target = app
        .expect(&p.firm, Method::GET, "/credit/target", None, StatusCode::OK)
        .await;
    assert_eq!(fen(&target["issued_fen"]), 200 * WAN);
    assert_eq!(target["enterprises"], 1);
    assert_eq!(target["loans"], 2);
    assert_eq!(fen(&target["target_fen"]), 30 * 10_000 * WAN);
}

/// Ledger entries and transfers cannot be changed or deleted, even by SQL.
async fn the_ledger_is_append_only(app: TestApp) {
    fund_pool(&app, 1).await;
    for sql in [
        "UPDATE ledger_entries SET amount_fen = amount_fen + 1",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_transfers SET memo = 'x'",
        "DELETE FROM ledger_transfers",
    ] {
        let refused = match &app.db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.is_err(),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.is_err(),
        };
        assert!(refused, "{sql} was allowed");
    }
    let proof = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/credit/pool/proof",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(proof["entries"], 6);
    assert_eq!(proof["holds"], true);
}

/// Fires the same request `n` times at once; returns the statuses.
/// Six claims on one default at once: one claim. Ten payments of it at once: one compensation. Then three claims that together pass
/// the pool's balance, paid at once: only what the pool holds is paid, and it never goes below
/// zero.
async fn limits_hold_under_concurrent_payments(app: TestApp) {
    let p = parties(&app, "race").await;
    // A pool of 100万 (50 + 30 + 20).
    fund_pool(&app, 10).await;
    // Registered before any default trips this bank's breaker.
    let loan = registered_loan(&app, &p, 60).await;
    let mut more = Vec::new();
    for _ in 0..3 {
        more.push(registered_loan(&app, &p, 30).await);
    }
    // Two clerks claiming on the same default at once: one claim.
    step(
        &app,
        &p.bank,
        loan,
        json!({"step": "mark_overdue"}),
        StatusCode::OK,
    )
    .await;
    step(
        &app,
        &p.bank,
        loan,
        json!({"step": "default"}),
        StatusCode::OK,
    )
    .await;
    let claims = format!("/credit/loans/{loan}/claims");
    let statuses = at_once(&app, &p.bank, vec![(claims.clone(), json!({})); 6]).await;
    assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 5, "{statuses:?}");
    let listed = app
        .expect(&p.bank, Method::GET, "/credit/claims", None, StatusCode::OK)
        .await;
    let c = listed[0].clone();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/credit/claims/{}/actions", c["id"]),
        Some(json!({"step": "approve"})),
        StatusCode::OK,
    )
    .await;
    let pay = format!("/credit/claims/{}/actions", c["id"]);
    let statuses = at_once(
        &app,
        &app.admin_token,
        vec![(pay, json!({"step": "pay"})); 10],
    )
    .await;
    assert_eq!(count(&statuses, StatusCode::OK), 1, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 9, "{statuses:?}");
    let after = pool(&app).await;
    assert_eq!(fen(&after["balance_fen"]), 100 * WAN - 48 * WAN);

    // 52万 left; three claims of 24万 (80 % of 30万): two fit, the third finds the pool short.
    let mut calls = Vec::new();
    for loan in more {
        let c = approved_claim(&app, &p, loan).await;
        calls.push((
            format!("/credit/claims/{}/actions", c["id"]),
            json!({"step": "pay"}),
        ));
    }
    let statuses = at_once(&app, &app.admin_token, calls).await;
    assert_eq!(count(&statuses, StatusCode::OK), 2, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 1, "{statuses:?}");
    let after = pool(&app).await;
    assert_eq!(fen(&after["balance_fen"]), 4 * WAN);
    assert!(pool_balances(&after).iter().all(|b| *b >= 0), "{after}");
    let proof = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/credit/pool/proof",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(proof["holds"], true, "{proof}");
}

/// The bank's yearly cap holds under concurrent payments too.
async fn the_bank_yearly_cap_holds(app: TestApp) {
    let p = parties(&app, "cap").await;
    fund_pool(&app, 100).await;
    let mut policy = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/credit/policy",
            None,
            StatusCode::OK,
        )
        .await;
    policy["bank_year_cap_fen"] = json!(50 * WAN);
    // A bad policy is refused naming the field; a good one is kept.
    let mut bad = policy.clone();
    bad["breaker_bp"] = json!(100);
    let e = app
        .expect(
            &app.admin_token,
            Method::PUT,
            "/credit/policy",
            Some(bad),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_names(&e), ["breaker_bp"], "{e}");
    app.expect(
        &p.bank,
        Method::PUT,
        "/credit/policy",
        Some(policy.clone()),
        StatusCode::FORBIDDEN,
    )
    .await;
    app.expect(
        &app.admin_token,
        Method::PUT,
        "/credit/policy",
        Some(policy),
        StatusCode::OK,
    )
    .await;
    let mut loans = Vec::new();
    for _ in 0..3 {
        loans.push(registered_loan(&app, &p, 25).await);
    }
    let mut calls = Vec::new();
    for loan in loans {
        // 80 % of 25万 = 20万 each: two fit under 50万, the third passes the cap.
        let c = approved_claim(&app, &p, loan).await;
        calls.push((
            format!("/credit/claims/{}/actions", c["id"]),
            json!({"step": "pay"}),
        ));
    }
    let statuses = at_once(&app, &app.admin_token, calls).await;
    assert_eq!(count(&statuses, StatusCode::OK), 2, "{statuses:?}");
    let after = pool(&app).await;
    assert_eq!(fen(&after["compensated_fen"]), 40 * WAN);
}

/// A bank's repayment workbook: one bad row (principal past what is owed, counting the rows
/// above), a bad day and another bank's loan change nothing and are each listed by row and
/// column; the corrected file is written whole, settles a loan and tells its borrower.
async fn repayment_workbook_is_all_or_nothing(app: TestApp) {
    let p = parties(&app, "book").await;
    let a = registered_loan(&app, &p, 10).await;
    let b = registered_loan(&app, &p, 20).await;
    // A loan of another bank.
    let (other_org, other_bank) = app.org_with_user("bank", "book-bank3").await;
    let theirs = app
        .expect(
            &p.firm,
            Method::POST,
            "/credit/loans",
            Some(
                json!({"bank_org_id": other_org, "requested_fen": WAN, "requested_months": 6,
                        "purpose": "原材料采购周转", "consent": true}),
            ),
            StatusCode::CREATED,
        )
        .await["loan"]["id"]
        .as_i64()
        .expect("loan");
    let _ = other_bank;
    let today = fruition_app::clock::today();
    let header = "贷款编号,还款日期,归还本金（元）,支付利息（元）";
    let bad = format!(
        "{header}\nZSD2025-{a:06},{today},60000,300\n{a},{today},50000,0\n{b},2099-01-01,1000,0\n{theirs},{today},100,0\n{b},{today},1.234,0\n"
    );
    let (status, answer) = app
        .send_csv(&p.bank, "/credit/repayments/imports", bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let rows: Vec<(i64, String)> = answer["error"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["row"].as_i64().unwrap_or(0),
                r["column"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    // Rows 4 and 6 fail on their own; row 3 passes what is owed after row 2, row 5 is another
    // bank's loan: all listed at once.
    assert_eq!(
        rows,
        [
            (3, "归还本金（元）".to_string()),
            (4, "还款日期".to_string()),
            (5, "贷款编号".to_string()),
            (6, "归还本金（元）".to_string()),
        ],
        "{answer}"
    );
    for (loan, owed) in [(a, 10 * WAN), (b, 20 * WAN)] {
        let d = app
            .expect(
                &p.bank,
                Method::GET,
                &format!("/credit/loans/{loan}"),
                None,
                StatusCode::OK,
            )
            .await;
        assert_eq!(fen(&d["loan"]["outstanding_fen"]), owed, "nothing written");
        assert_eq!(d["repayments"].as_array().map(Vec::len), Some(0));
    }
    // Only the bank may send one.
    let fine =
        format!("{header}\n{a},{today},60000,300\n{a},{today},40000,0\n{b},{today},5000.50,820\n");
    let (status, _) = app
        .send_csv(&p.firm, "/credit/repayments/imports", fine.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, summary) = app
        .send_csv(&p.bank, "/credit/repayments/imports", fine)
        .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["loans_settled"], 1);
    assert_eq!(fen(&summary["principal_fen"]), 10 * WAN + 500_050);
    let d = app
        .expect(
            &p.firm,
            Method::GET,
            &format!("/credit/loans/{a}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["loan"]["status"], "repaid");
    let d = app
        .expect(
            &p.firm,
            Method::GET,
            &format!("/credit/loans/{b}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(fen(&d["loan"]["outstanding_fen"]), 20 * WAN - 500_050);
    let inbox = app
        .expect(&p.firm, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    assert!(inbox.to_string().contains("贷款已结清"), "{inbox}");
}

on_both!(
    repayment_workbook_is_all_or_nothing,
    loan_story,
    the_ledger_is_append_only,
    limits_hold_under_concurrent_payments,
    the_bank_yearly_cap_holds
);
