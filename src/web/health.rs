//! Liveness and readiness for the orchestrator: `/healthz` says the process answers,
//! `/readyz` that the database and the ephemeral store answer too.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;

use crate::app::App;

/// A dependency slower than this counts as down.
const PING_TIMEOUT: Duration = Duration::from_secs(3);

pub(super) async fn healthz() -> &'static str {
    "ok"
}

pub(super) async fn readyz(State(app): State<Arc<App>>) -> (StatusCode, String) {
    let (db, ephemeral) = tokio::join!(
        tokio::time::timeout(PING_TIMEOUT, app.db.ping()),
        tokio::time::timeout(PING_TIMEOUT, app.ephemeral.ping()),
    );
    let mut down = Vec::new();
    match db {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "readiness: database unavailable");
            down.push("database");
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            down.push("database");
        }
    }
    match ephemeral {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "readiness: ephemeral store unavailable");
            down.push("ephemeral store");
        }
        Err(_) => {
            tracing::warn!("readiness: ephemeral store did not answer in time");
            down.push("ephemeral store");
        }
    }
    if down.is_empty() {
        (StatusCode::OK, "ok".to_string())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("unavailable: {}", down.join(", ")),
        )
    }
}
