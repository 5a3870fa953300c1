//! The pages in a real browser: headless Chromium driven through chromedriver (WebDriver).
//!
//! Runs only when `FRUITION_TEST_CHROMEDRIVER` names a chromedriver binary (in CI
//! `/usr/bin/chromedriver`); the browser is `/usr/bin/chromium` unless `FRUITION_TEST_CHROMIUM`
//! says otherwise. Like the other integration tests it runs on SQLite, and on PostgreSQL when
//! `FRUITION_TEST_DATABASE_URL` is set. Everything a scenario tells as its story is done in the
//! browser: following links, typing, pressing keys, choosing and uploading files, submitting
//! forms; only what comes before the story (accounts, a carrier) may be set up through the API.
//!
//! - `foundation`: the administrator's first sign-in, registering an organisation, its user's
//!   first sign-in, with the keyboard and the error summary.
//! - `registry`: a carrier manager imports a workbook with bad rows, fixes them, files the yearly
//!   report; the bureau returns it once, then approves it; the dashboard and the annual report
//!   show the figures.
//! - `market`: an institution publishes an achievement; an enterprise posts a need, finds the
//!   achievement among its suggestions with the reasons and declares intent; they agree licence
//!   terms in messages; the registrar registers the contract; the statistics count its amount.
//! - `pilot`: a pilot base offers a pilot line; an incubated enterprise books it, accepting the
//!   safety notes; the base confirms, records the use and bills it; the enterprise pays with its
//!   innovation voucher and money; the base claims the voucher's part; the bureau approves and pays.
//! - `capital`: an investor registers its fund and records an investment in an incubated
//!   enterprise; the enterprise sees the fund without its portfolio; the bureau reads the year's
//!   capital statistics.
//! - `credit`: the bureau funds the risk compensation pool; an enterprise applies for a
//!   knowledge-value loan; the bank approves and disburses; the bureau registers it; the bank
//!   marks it overdue, declares a default and claims; the bureau approves and pays from the pool.
//! - `alliance`: an enterprise user registers for a member carrier's event and gets the
//!   check-in code; the organiser checks the code in and sees the attendance.
//! - `grants`: the bureau grants 先投后股 project funding, records a milestone, notes the
//!   triggering round and converts the grant into shares.
//! - `contracts`: an enterprise submits a contract signed outside the market with its file; the
//!   office recognises it from its queue; the register lists it and the statistics count it.
//! - `roles`: on the demo data, each role's account signs in and opens its home page and every
//!   page of its navigation, on a desktop and on a phone (each page checked for accessibility).
//! - `services`: a service agency offers a service; an enterprise finds it and asks; the agency
//!   accepts, records the steps and completes it; the enterprise rates it.

// The `it` target's support module; this target uses only part of it.
#[allow(dead_code, unused_macros, unused_imports)]
#[path = "../it/support.rs"]
mod support;

mod alliance;
mod capital;
mod contracts;
mod credit;
mod foundation;
mod grants;
mod harness;
mod market;
mod pilot;
mod registry;
mod roles;
mod services;

use harness::{ChromeDriver, in_browser};
use support::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foundation_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let (app, one_time) = TestApp::sqlite_fresh().await;
    in_browser(&driver, &app, move |b| foundation::scenario(b, one_time)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn foundation_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some((app, one_time)) = TestApp::postgres_fresh().await else {
        return;
    };
    in_browser(&driver, &app, move |b| foundation::scenario(b, one_time)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = registry::set_up(&app).await;
    in_browser(&driver, &app, move |b| registry::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = registry::set_up(&app).await;
    in_browser(&driver, &app, move |b| registry::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn market_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = market::set_up(&app).await;
    in_browser(&driver, &app, move |b| market::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn market_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = market::set_up(&app).await;
    in_browser(&driver, &app, move |b| market::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pilot_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = pilot::set_up(&app).await;
    in_browser(&driver, &app, move |b| pilot::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pilot_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = pilot::set_up(&app).await;
    in_browser(&driver, &app, move |b| pilot::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = credit::set_up(&app).await;
    in_browser(&driver, &app, move |b| credit::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credit_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = credit::set_up(&app).await;
    in_browser(&driver, &app, move |b| credit::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capital_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = capital::set_up(&app).await;
    in_browser(&driver, &app, move |b| capital::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capital_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = capital::set_up(&app).await;
    in_browser(&driver, &app, move |b| capital::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = grants::set_up(&app).await;
    in_browser(&driver, &app, move |b| grants::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grants_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = grants::set_up(&app).await;
    in_browser(&driver, &app, move |b| grants::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    services::set_up(&app).await;
    in_browser(&driver, &app, move |b| services::scenario(b, ())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    services::set_up(&app).await;
    in_browser(&driver, &app, move |b| services::scenario(b, ())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alliance_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    let setup = alliance::set_up(&app).await;
    in_browser(&driver, &app, move |b| alliance::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alliance_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let setup = alliance::set_up(&app).await;
    in_browser(&driver, &app, move |b| alliance::scenario(b, setup)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contracts_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    contracts::set_up(&app).await;
    in_browser(&driver, &app, move |b| contracts::scenario(b, ())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contracts_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    contracts::set_up(&app).await;
    in_browser(&driver, &app, move |b| contracts::scenario(b, ())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    roles::set_up(&app).await;
    in_browser(&driver, &app, move |b| roles::scenario(b, ())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    roles::set_up(&app).await;
    in_browser(&driver, &app, move |b| roles::scenario(b, ())).await;
}
