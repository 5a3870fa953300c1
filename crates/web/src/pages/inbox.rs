//! The inbox (消息): every notice a capability sends the user, newest first, with the count of
//! unread ones in the navigation; marking one or all read; the kept searches that feed it.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fruition_app::matching;

use super::forms::{Fields, ctx};
use super::pilot::Done;
use super::{Chrome, PageId, error_page, render, stale_form};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use crate::error::AppError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(inbox))
        .route("/inbox/read-all", post(read_all))
        .route("/inbox/{id}/read", post(mark_read))
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    c: Chrome,
    messages: Vec<(fruition_store::matching::InboxMessage, String)>,
    searches: Vec<matching::SavedSearchView>,
}

async fn inbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(d): PageQuery<Done>,
) -> Response {
    let c = ctx(&authed, ip);
    let result = async {
        let messages = matching::inbox(&state, &c).await?;
        let searches = matching::searches(&state, &c).await?;
        Ok::<_, AppError>((messages, searches))
    }
    .await;
    match result {
        Ok((messages, searches)) => {
            let chrome = Chrome::new(&state, &headers, Some(&authed), "/inbox", "inbox")
                .with_notice(d.done.as_deref());
            render(&InboxPage {
                messages: messages
                    .into_iter()
                    .map(|m| {
                        let at = fruition_app::clock::local_time(m.created_at);
                        (m, at)
                    })
                    .collect(),
                searches,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn mark_read(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    match matching::mark_read(&state, &c, id).await {
        Ok(()) => {
            let next = crate::pages::safe_back(Some(&fields.get("next")));
            let next = if next == "/" {
                "/inbox".to_string()
            } else {
                next
            };
            Redirect::to(&next).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// Marks every message read.
async fn read_all(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !Fields(pairs).token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    match fruition_app::inbox::mark_all_read(&state, &c).await {
        Ok(_) => Redirect::to("/inbox?done=inbox_all_read").into_response(),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
