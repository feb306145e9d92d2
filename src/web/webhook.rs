//! `POST /telegram/webhook`: our own route for Telegram's webhook (teloxide's listener
//! answers before handling and compares the secret in non-constant time). The decisions
//! are in [`crate::channels::telegram::webhook`]; this is only the HTTP side.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use crate::channels::telegram::Telegram;
use crate::channels::telegram::startup::WEBHOOK_PATH;
use crate::channels::telegram::webhook::{SECRET_HEADER, receive};

pub(super) fn routes(telegram: Arc<Telegram>) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(webhook))
        .with_state(telegram)
}

async fn webhook(
    State(telegram): State<Arc<Telegram>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let secret = headers.get(SECRET_HEADER).map(|value| value.as_bytes());
    let answer = receive(&telegram, secret, &body).await;
    let status =
        StatusCode::from_u16(answer.verdict.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match answer.body() {
        Some(call) => (status, [(header::CONTENT_TYPE, "application/json")], call).into_response(),
        None => status.into_response(),
    }
}
