//! Integration tests: each starts the server on a random port with a fresh database, on SQLite
//! and — when FRUITION_TEST_DATABASE_URL is set — on PostgreSQL.

mod support;

mod accounts;
mod alliance;
mod alliance_pages;
mod annual_docx;
mod api_errors;
mod applications;
mod audit;
mod authz_matrix;
mod campaigns;
mod capital;
mod capital_pages;
mod cli;
mod contracts;
mod contracts_pages;
mod credit;
mod credit_demo;
mod credit_pages;
mod credit_scores;
mod credit_whatif;
mod deals;
mod demo;
mod evaluation_pages;
mod evaluations;
mod grants;
mod import;
mod incubation_pages;
mod market;
mod matching;
mod mentors;
mod openapi;
mod ops;
mod organisations;
mod pages;
mod pilot;
mod pilot_pages;
mod reference;
mod registry;
mod registry_pages;
mod reminders;
mod schema;
mod services;
mod services_pages;
mod spinoffs;
mod statistics;
mod work;

/// The ranking measures of the `matching_real` benchmark (nDCG@k, judged@k), tested here because
/// a benchmark without the test harness runs no tests.
#[path = "../../benches/matching_real/metrics.rs"]
mod judged_metrics;
