//! The web side (axum): `/healthz`, `/readyz`, and in webhook mode Telegram's webhook.
//! One router for everything HTTP the service serves: health, `/metrics`, the webhook; the
//! signing page (`/sign/{token}`, `sign_page.rs`).

mod health;
mod metrics;
pub mod sign_page;
mod sign_post;
mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

use crate::app::App;
use crate::channels::telegram::{Telegram, Tuning};

/// The router for `app`: health routes, plus the webhook route when `PUBLIC_URL` is set
/// (with the transport's default tuning). Without a usable token the webhook route is
/// left out and the reason logged.
pub fn router(app: Arc<App>) -> Router {
    let telegram = if app.config.public_url.is_some() {
        match Telegram::new(app.clone(), Tuning::default()) {
            Ok(telegram) => Some(telegram),
            Err(error) => {
                tracing::error!(error = %error, "webhook route not mounted");
                None
            }
        }
    } else {
        None
    };
    router_with(app, telegram)
}

/// The router with a given Telegram transport for the webhook route (`None`: no webhook).
pub fn router_with(app: Arc<App>, telegram: Option<Arc<Telegram>>) -> Router {
    let health = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .with_state(app.clone())
        .merge(sign_page::routes(app.clone()))
        .merge(sign_post::routes(app));
    match telegram {
        Some(telegram) => health.merge(webhook::routes(telegram)),
        None => health,
    }
}
