//! The evaluation pages used as a browser would (cookies, form tokens, redirects, no
//! JavaScript): the bureau reaches its rounds from the navigation, computes a round, adjusts a
//! result (a missing reason comes back beside the field with what was typed), publishes and
//! downloads the workbook; the statistics page shows the grades; a carrier sees its own result
//! with its working and its carrier page's evaluations, and is refused another's.

use reqwest::StatusCode;

use crate::evaluations::fixture;
use crate::pages::sign_in;
use crate::registry_pages::{get, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

async fn the_bureau_evaluates_and_a_carrier_sees_its_working(app: TestApp) {
    let f = fixture(&app).await;
    let r = f.round;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;

    let home = get(&app, &bureau, "/").await;
    assert!(home.html.contains("href=\"/evaluations\""), "navigation");
    let list = get(&app, &bureau, "/evaluations").await;
    assert!(
        list.html.contains("2024年度双创孵化载体绩效评价"),
        "{}",
        list.html
    );

    // A year that is not one comes back beside the field.
    let bad = submit(
        &app,
        &bureau,
        "/evaluations",
        "/evaluations",
        &[("year", "二〇二四")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad.html.contains("f-year-error"), "{}", bad.html);

    let round = format!("/evaluations/{r}");
    let computed = submit(&app, &bureau, &round, &format!("{round}/compute"), &[]).await;
    assert_eq!(computed.status, StatusCode::SEE_OTHER, "{}", computed.html);
    let page = get(&app, &bureau, &round).await;
    assert!(
        page.html.contains("评价甲孵化器") && page.html.contains("100.00"),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("publish-round"),
        "a computed round can be published"
    );

    // An adjustment without a reason comes back with what was typed.
    let result = format!("{round}/carriers/{}", f.b.1);
    let bad = submit(
        &app,
        &bureau,
        &result,
        &result,
        &[("points", "6"), ("reason", "")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    assert!(bad.html.contains("f-reason-error"), "{}", bad.html);
    assert!(bad.html.contains("value=\"6\""), "what was typed stays");
    let reason = "年度内新增市级以上高层次人才入驻项目，服务成效经核实，酌情加分";
    let ok = submit(
        &app,
        &bureau,
        &result,
        &result,
        &[("points", "6"), ("reason", reason)],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);

    let published = submit(&app, &bureau, &round, &format!("{round}/publish"), &[]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.html
    );
    let page = get(&app, &bureau, &round).await;
    assert!(
        !page.html.contains("compute-round"),
        "published rounds are frozen"
    );
    let book = bureau
        .get(app.url(&format!("{round}/export.xlsx")))
        .send()
        .await
        .expect("export");
    assert_eq!(book.status(), StatusCode::OK);
    let stats = get(&app, &bureau, "/statistics?year=2024").await;
    assert!(stats.html.contains("evaluation-grades"), "{}", stats.html);
    assert!(stats.html.contains("众创空间"), "grades by kind");

    // The carrier sees its own result with the working, and not another's.
    let carrier = sign_in(&app, "eval.b", "eval.b-secret-pw").await;
    let own = get(&app, &carrier, &result).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.html);
    for text in ["working-rows", "同类最高值", "39.32", reason] {
        assert!(own.html.contains(text), "{text}: {}", own.html);
    }
    assert!(
        !own.html.contains("adjust-form"),
        "the carrier does not adjust"
    );
    let other = get(&app, &carrier, &format!("{round}/carriers/{}", f.a.1)).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let profile = get(&app, &carrier, &format!("/carriers/{}", f.b.1)).await;
    assert!(profile.html.contains("evaluation-rows"), "{}", profile.html);
    assert!(
        profile.html.contains(&format!("href=\"{result}\"")),
        "{}",
        profile.html
    );
}
on_both!(the_bureau_evaluates_and_a_carrier_sees_its_working);
