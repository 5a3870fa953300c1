//! Technology contracts concluded anywhere: a party submits one with its signed file, the
//! registration office returns it with a reason, the party corrects and resubmits it, the office
//! recognises it into the same register and serials as market deals, and the statistics count it
//! by type, field, county, side and source; the running totals equal the register's own sums.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

/// A valid USCC registered in the division `division`.
pub(crate) fn uscc_in(division: &str, n: u32) -> String {
    let first17 = format!("91{division}MA{n:07}");
    let c = fruition_domain::uscc::check_char(&first17).expect("check char");
    format!("{first17}{c}")
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

fn b64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn contract(
    seller: (&str, &str),
    buyer: (&str, &str),
    amount_fen: i64,
    tech_fen: i64,
) -> Value {
    json!({
        "contract_type": "技术开发",
        "title": "牵引变流器碳化硅功率模块散热结构联合开发合同",
        "seller_name": seller.0, "seller_uscc": seller.1,
        "buyer_name": buyer.0, "buyer_uscc": buyer.1,
        "contract_amount_fen": amount_fen, "tech_amount_fen": tech_fen,
        "tech_field": "modern_transport", "chain_code": "rail_transit",
        "signed_on": "2025-03-01", "starts_on": "2025-03-15", "ends_on": "2026-03-14",
        "file_name": "合同扫描件.pdf", "file_base64": b64(PDF)
    })
}

pub(crate) async fn org_uscc(app: &TestApp, org_id: i64) -> (String, String) {
    let (_, o) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}"),
            None,
        )
        .await;
    let o = if o.get("organisation").is_some() {
        o["organisation"].clone()
    } else {
        o
    };
    (
        o["name"].as_str().expect("name").to_string(),
        o["uscc"].as_str().expect("uscc").to_string(),
    )
}

async fn a_contract_from_anywhere_is_returned_resubmitted_and_registered(app: TestApp) {
    let admin = app.admin_token.clone();
    let (firm_org, firm) = app.org_with_user("enterprise", "kfirm").await;
    let (_, stranger) = app.org_with_user("enterprise", "kother").await;
    let (firm_name, firm_uscc) = org_uscc(&app, firm_org).await;
    let outside = uscc_in("430100", 17);
    let seller = (firm_name.as_str(), firm_uscc.as_str());
    let buyer = ("长沙某轨道装备有限公司（合成数据）", outside.as_str());

    // Every problem at once, each naming its field.
    let mut bad = contract(seller, buyer, 1_000_000, 2_000_000);
    bad["tech_field"] = json!("不存在的领域");
    bad["chain_code"] = json!("不存在的产业链");
    bad["file_base64"] = json!(b64(b"MZ\x90\x00 not a contract"));
    let e = app
        .expect(
            &firm,
            Method::POST,
            "/contract-submissions",
            Some(bad),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let fields: Vec<&str> = e["error"]["fields"]
        .as_object()
        .map(|d| d.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for f in ["tech_amount_fen", "tech_field", "chain_code", "file"] {
        assert!(fields.contains(&f), "{f} in {e}");
    }
    // Both parties outside the city.
    let far = uscc_in("440300", 18);
    let e = app
        .expect(
            &admin,
            Method::POST,
            "/contract-submissions",
            Some(contract(
                ("深圳某公司（合成）", &far),
                buyer,
                1_000_000,
                1_000_000,
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e.to_string().contains("seller_uscc"), "{e}");
    // An organisation that is not a party may not submit the contract.
    let e = app
        .expect(
            &stranger,
            Method::POST,
            "/contract-submissions",
            Some(contract(seller, buyer, 1_000_000, 1_000_000)),
            StatusCode::FORBIDDEN,
        )
        .await;
    assert!(e.to_string().contains("error"), "{e}");

    // The party submits: 120万元, of which 100万元 for technology.
    let s = app
        .expect(
            &firm,
            Method::POST,
            "/contract-submissions",
            Some(contract(seller, buyer, 120_000_000, 100_000_000)),
            StatusCode::CREATED,
        )
        .await;
    let id = s["id"].as_i64().expect("id");
    assert_eq!(s["status"], "submitted");
    assert_eq!(s["seller_in_city"], true);
    assert_eq!(s["buyer_in_city"], false);
    assert_eq!(s["steps"], json!([]), "a party does not decide");
    app.expect(
        &stranger,
        Method::GET,
        &format!("/contract-submissions/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    app.expect(
        &firm,
        Method::POST,
        &format!("/contract-submissions/{id}/decision"),
        Some(json!({"step": "recognise"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    // The signed file comes back as it was sent.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/contract-submissions/{id}/file")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("file");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);

    // The office sees it waiting, and returns it with a reason (required).
    let waiting = app
        .expect(
            &admin,
            Method::GET,
            "/contract-submissions?status=submitted",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        waiting
            .as_array()
            .expect("list")
            .iter()
            .any(|x| x["id"] == id)
    );
    app.expect(
        &admin,
        Method::POST,
        &format!("/contract-submissions/{id}/decision"),
        Some(json!({"step": "return"})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let r = app
        .expect(
            &admin,
            Method::POST,
            &format!("/contract-submissions/{id}/decision"),
            Some(
                json!({"step": "return", "reason": "技术交易额与合同附件的价款条款不一致，请核对"}),
            ),
            StatusCode::OK,
        )
        .await;
    assert_eq!(r["status"], "returned");
    let inbox = app
        .expect(&firm, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    assert!(
        inbox
            .as_array()
            .expect("inbox")
            .iter()
            .any(|m| m["kind"] == "contract_submission"
                && m["title"].as_str().unwrap_or("").contains("价款条款不一致")),
        "{inbox}"
    );
    // A returned contract is not decided on again until it is resubmitted.
    app.expect(
        &admin,
        Method::POST,
        &format!("/contract-submissions/{id}/decision"),
        Some(json!({"step": "recognise"})),
        StatusCode::CONFLICT,
    )
    .await;
    let mut fixed = contract(seller, buyer, 120_000_000, 90_000_000);
    fixed["file_base64"] = Value::Null;
    let again = app
        .expect(
            &firm,
            Method::PUT,
            &format!("/contract-submissions/{id}"),
            Some(fixed),
            StatusCode::OK,
        )
        .await;
    assert_eq!(again["status"], "submitted");
    assert_eq!(again["tech_amount_fen"], 90_000_000);
    assert_eq!(again["file_name"], "合同扫描件.pdf", "the file is kept");

    // Recognised: numbered in the same register and serials as market deals.
    let k = app
        .expect(
            &admin,
            Method::POST,
            &format!("/contract-submissions/{id}/decision"),
            Some(json!({"step": "recognise", "registered_on": "2025-06-30"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(k["status"], "recognised");
    let c = &k["contract"];
    assert_eq!(c["registration_no"], "4302002025000001", "{k}");
    assert_eq!(c["source"], "submitted");
    assert_eq!(c["seller_org_id"], firm_org);
    assert_eq!(
        c["buyer_org_id"],
        Value::Null,
        "the buyer is not on the platform"
    );
    assert_eq!(c["buyer_in_city"], false);
    assert_eq!(c["seller_county"], "天元区");
    app.expect(
        &admin,
        Method::POST,
        &format!("/contract-submissions/{id}/decision"),
        Some(json!({"step": "refuse", "reason": "重复"})),
        StatusCode::CONFLICT,
    )
    .await;
    let register = app
        .expect(
            &admin,
            Method::GET,
            "/contracts?source=submitted",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(register.as_array().expect("register").len(), 1);

    // Statistics count it by type, field, side and source.
    let s = app
        .expect(
            &firm,
            Method::GET,
            "/contract-statistics?year=2025",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(s["total"]["contracts"], 1, "{s}");
    assert_eq!(s["total"]["tech_amount_fen"], 90_000_000);
    assert_eq!(s["by_type"][0]["code"], "development");
    assert_eq!(
        s["by_field"][0]["name"], "现代交通",
        "the national field's name"
    );
    assert_eq!(s["by_chain"][0]["name"], "轨道交通", "and the chain apart");
    assert_eq!(s["by_source"][0]["code"], "submitted");
    let sides: Vec<(&str, i64)> = s["by_side"]
        .as_array()
        .expect("sides")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or(""),
                r["contracts"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(sides, vec![("seller_inside", 1), ("buyer_outside", 1)]);
    assert_eq!(s["by_seller_place"][0]["name"], "天元区");
    assert_eq!(s["by_buyer_place"][0]["code"], "outside");

    // The running totals equal the register's own sums.
    let kept = fruition_store::deals::contract_totals(&app.db)
        .await
        .expect("totals");
    let summed = fruition_store::deals::contract_totals_recomputed(&app.db)
        .await
        .expect("recomputed");
    assert_eq!(kept, summed);

    // Every change is in the audit log.
    let audit = app
        .expect(
            &admin,
            Method::GET,
            &format!("/audit-entries?entity=contract_submission&entity_id={id}"),
            None,
            StatusCode::OK,
        )
        .await;
    let n = audit
        .get("entries")
        .and_then(Value::as_array)
        .or_else(|| audit.as_array())
        .map(Vec::len)
        .unwrap_or(0);
    assert!(n >= 4, "create, return, resubmit, recognise: {audit}");
}

on_both!(a_contract_from_anywhere_is_returned_resubmitted_and_registered);
