//! `GET /metrics`: Prometheus text format, behind a bearer token when `METRICS_TOKEN` is set
//! (compared in constant time). The outbox depth is read at scrape time.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::app::App;

pub(super) async fn metrics(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(token) = &app.config.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        let matches: bool = presented.as_bytes().ct_eq(token.as_bytes()).into();
        if !matches {
            return (StatusCode::UNAUTHORIZED, "unauthorized").into_response();
        }
    }
    let now_ms = app.clock.now_ms();
    match crate::store::outbox::depth_by_priority(&app.db, now_ms).await {
        Ok(depths) => {
            let waiting: i64 = depths.iter().map(|d| d.due + d.in_flight + d.later).sum();
            crate::metrics::global().outbox_depth.set(waiting);
        }
        Err(error) => tracing::warn!(error = %error, "metrics: outbox depth unavailable"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        crate::metrics::global().render(),
    )
        .into_response()
}
