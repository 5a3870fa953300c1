//! Fruition's web layer: the JSON API under `/api/v1/` (described by OpenAPI), the server-rendered
//! pages (zh-CN first), authentication, and the operational endpoints.
//!
//! Layout: what a user does lives in the application crate (`fruition_app`); `api/` (JSON) and
//! `pages/` (HTML) are two front ends over it. This crate keeps what is HTTP: routes, extractors,
//! sessions and cookies, security layers, templates, and the one place where the application's
//! errors become status codes and the error shape (`error`).

pub mod annual_document;
pub mod api;
pub mod auth;
pub mod cookies;
pub mod download;
pub mod error;
pub mod i18n;
pub mod ops;
pub mod pages;
pub mod security;
mod state;

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub use state::{AppState, WebSettings};

/// The largest request body accepted (an import is a later capability and brings its own limit).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application: pages, API, operations, with the security layers around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .merge(api::openapi_router())
        .merge(ops::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::cross_site_guard,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(ops::track_metrics))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
