//! `GET /sign/{token}`: the page where a depositor signs an application (or a sign-in nonce)
//! with NCALayer, and its same-origin script and style. The page's `POST` (checking the
//! signature) is `sign_post.rs`; this module only shows what is signed and runs the browser
//! side.
//!
//! Every answer of these routes carries the same strict headers: a Content-Security-Policy
//! that allows our own script and style and one WebSocket origin — NCALayer's, from
//! `NCALAYER_URL` — and nothing else; no framing, no caching, no referrer. The token is a
//! bearer secret: it is never logged (the log line names the route, not the path) and never
//! repeated in the page (the script posts to its own address).

mod fields;
mod render;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::App;
use crate::services::signing::PageRefusal;

pub use render::{
    INSTALLER_URL, PageView, SCRIPT_PATH, STATES, STYLE_PATH, escape, gone as render_gone,
    key_usage_oid, ncalayer_locale, page as render_page,
};

/// The route of the page, as logs name it (never the path itself: it holds the token).
pub const ROUTE: &str = "/sign/{token}";

const SCRIPT: &str = include_str!("../../assets/web/sign-page.js");
const STYLE: &str = include_str!("../../assets/web/sign-page.css");

/// What the page's headers say, built once from the configuration.
#[derive(Clone)]
struct Headers {
    csp: HeaderValue,
}

#[derive(Clone)]
struct PageState {
    app: Arc<App>,
    headers: Headers,
}

/// The Content-Security-Policy of the page and its files: our own script and style, images
/// only from us or inline data, connections only to us and to NCALayer's origin.
pub fn content_security_policy(ncalayer_url: &url::Url) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self' {}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ncalayer_url.origin().ascii_serialization()
    )
}

/// The page, its script and its style.
pub(super) fn routes(app: Arc<App>) -> Router {
    let csp = content_security_policy(&app.config.ncalayer_url);
    // The configuration only lets scheme, host, port and path through, so this holds; should it
    // not, the page would go out with the strictest policy rather than none.
    let csp = HeaderValue::from_str(&csp).unwrap_or_else(|_| {
        tracing::error!("NCALAYER_URL does not fit a header; the signing page cannot reach it");
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")
    });
    let state = PageState {
        app,
        headers: Headers { csp },
    };
    Router::new()
        .route(ROUTE, get(page))
        .route(SCRIPT_PATH, get(script))
        .route(STYLE_PATH, get(style))
        .with_state(state)
}

async fn page(State(state): State<PageState>, Path(token): Path<String>) -> Response {
    let app = &state.app;
    let (status, html, outcome) = match load(app, &token).await {
        Loaded::Page(html) => (StatusCode::OK, html, "shown"),
        Loaded::Gone => (StatusCode::GONE, render::gone(&app.i18n), "gone"),
        Loaded::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            render::unavailable(&app.i18n),
            "unavailable",
        ),
    };
    tracing::info!(
        route = ROUTE,
        status = status.as_u16(),
        outcome,
        "signing page"
    );
    secured(
        &state.headers,
        status,
        "text/html; charset=utf-8",
        html.into_bytes(),
    )
}

/// What a token leads to.
enum Loaded {
    Page(String),
    /// Unknown, spent or expired: one answer for all three.
    Gone,
    /// The records cannot be read right now.
    Unavailable,
}

/// Tokens are long random strings of URL-safe characters; anything else is not looked up.
fn plausible_token(token: &str) -> bool {
    (16..=128).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn load(app: &App, token: &str) -> Loaded {
    if !plausible_token(token) {
        return Loaded::Gone;
    }
    match app.signing.page(token, app.clock.now_ms()).await {
        Ok(page) => {
            let view = PageView {
                lang: page.lang,
                purpose: page.purpose,
                iin: page.iin.as_str(),
                application: page
                    .application
                    .as_ref()
                    .map(|(number, kind)| (number.to_string(), *kind)),
                document: &page.document,
                document_sha256: &page.document_sha256,
                expires_at_ms: page.expires_at_ms,
            };
            Loaded::Page(render::page(&app.i18n, &view, &app.config.ncalayer_url))
        }
        Err(PageRefusal::Gone) => Loaded::Gone,
        Err(PageRefusal::Store(error)) => {
            tracing::warn!(route = ROUTE, error = %error, "signing page: records unavailable");
            Loaded::Unavailable
        }
    }
}

async fn script(State(state): State<PageState>) -> Response {
    secured(
        &state.headers,
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
    )
}

async fn style(State(state): State<PageState>) -> Response {
    secured(
        &state.headers,
        StatusCode::OK,
        "text/css; charset=utf-8",
        STYLE.as_bytes().to_vec(),
    )
}

fn secured(headers: &Headers, status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let map = response.headers_mut();
    let set = |map: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        map.insert(name, HeaderValue::from_static(value));
    };
    map.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or_else(|_| HeaderValue::from_static("text/plain")),
    );
    map.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    set(map, header::X_FRAME_OPTIONS, "DENY");
    set(map, header::CACHE_CONTROL, "no-store");
    set(map, header::REFERRER_POLICY, "no-referrer");
    set(map, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        map,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_exactly_the_configured_ncalayer_origin() {
        let url = url::Url::parse("wss://127.0.0.1:13579").unwrap();
        let csp = content_security_policy(&url);
        assert!(
            csp.contains("connect-src 'self' wss://127.0.0.1:13579;"),
            "{csp}"
        );
        assert!(csp.starts_with("default-src 'none';"));
        let url = url::Url::parse("ws://localhost:4000/path").unwrap();
        assert!(content_security_policy(&url).contains("connect-src 'self' ws://localhost:4000;"));
    }

    #[test]
    fn only_plausible_tokens_are_looked_up() {
        assert!(plausible_token("AbCdEf0123456789_-xyzXYZ"));
        for bad in [
            "short",
            "../../etc/passwd",
            "a b c d e f g h i j k",
            &"x".repeat(129),
        ] {
            assert!(!plausible_token(bad), "{bad}");
        }
    }
}
