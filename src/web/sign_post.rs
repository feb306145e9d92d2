//! `POST /sign/{token}`: the signing page posts NCALayer's answer here.
//!
//! Body: `{"cms": <string, or the array NCALayer 1.4 returns>}`. The answer is JSON, never
//! cached: 200 `accepted` (with the application number) or `signed_in`; 422 `refused` with the
//! refusal's code; 410 `gone` (unknown, spent or expired — one answer); 429 `too_many`; 503
//! `unavailable` (nothing spent, try again); 400 `bad_request`. Each carries a translated
//! `message`. The token is in the path: nothing here logs the path or the body.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use crate::app::App;
use crate::domain::Lang;
use crate::i18n::Msg;
use crate::services::signing::{SignedOutcome, SubmitRefusal};

pub fn routes(app: Arc<App>) -> Router {
    Router::new()
        .route("/sign/{token}", post(post_signature))
        .with_state(app)
}

async fn post_signature(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let asked_lang = accept_language(&headers);
    let Some(cms) = cms_of(&body) else {
        crate::metrics::count_eds_post("bad_request", None);
        let message = app
            .i18n
            .render(asked_lang, &Msg::new("signing-bad-request"));
        return answer(
            StatusCode::BAD_REQUEST,
            json!({"status": "bad_request", "message": message}),
        );
    };
    let now_ms = app.clock.now_ms();
    match app.signing.submit(&token, &cms, now_ms).await {
        Ok(outcome) => {
            let message = app.i18n.render(outcome.lang(), &outcome.message());
            let body = match &outcome {
                SignedOutcome::Accepted { number, .. } => json!({
                    "status": "accepted",
                    "number": number.to_string(),
                    "message": message,
                }),
                SignedOutcome::SignedIn { .. } => {
                    json!({"status": "signed_in", "message": message})
                }
            };
            let outcome = body["status"].as_str().unwrap_or_default();
            crate::metrics::count_eds_post(outcome, None);
            answer(StatusCode::OK, body)
        }
        Err(refusal) => {
            let lang = refusal.lang().unwrap_or(asked_lang);
            let message = app.i18n.render(lang, &refusal.message());
            let (status, body) = match &refusal {
                SubmitRefusal::Refused { refusal, .. } => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"status": "refused", "code": refusal.code(), "message": message}),
                ),
                SubmitRefusal::Gone => (
                    StatusCode::GONE,
                    json!({"status": "gone", "message": message}),
                ),
                SubmitRefusal::TooManyPosts { .. } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    json!({"status": "too_many", "message": message}),
                ),
                SubmitRefusal::Unavailable { .. } => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    json!({"status": "unavailable", "message": message}),
                ),
                SubmitRefusal::Store(error) => {
                    tracing::error!(error = %error, "signing post failed: records unavailable");
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        json!({"status": "unavailable", "message": message}),
                    )
                }
            };
            let outcome = body["status"].as_str().unwrap_or_default();
            crate::metrics::count_eds_post(outcome, body["code"].as_str());
            answer(status, body)
        }
    }
}

/// The `cms` of the body as the verifier takes it: the string itself, or the array as JSON
/// text (the verifier unwraps a one-element array). `None` for anything else.
fn cms_of(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    match value.get("cms")? {
        Value::String(text) => Some(text.clone()),
        array @ Value::Array(_) => serde_json::to_string(array).ok(),
        _ => None,
    }
}

/// The first language of `Accept-Language` we speak, else Kazakh.
fn accept_language(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',').find_map(|tag| {
                let primary = tag.split([';', '-', '_']).next()?.trim();
                Lang::from_code(&primary.to_ascii_lowercase())
            })
        })
        .unwrap_or(Lang::Kk)
}

fn answer(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cms_is_a_string_or_an_array() {
        assert_eq!(cms_of(br#"{"cms":"MIIB"}"#).as_deref(), Some("MIIB"));
        assert_eq!(
            cms_of(br#"{"cms":["MIIB"]}"#).as_deref(),
            Some(r#"["MIIB"]"#)
        );
        for bad in [
            &b"not json"[..],
            br#"{"cms":1}"#,
            br#"{"sig":"x"}"#,
            br#"["MIIB"]"#,
        ] {
            assert_eq!(cms_of(bad), None);
        }
    }

    #[test]
    fn the_language_comes_from_accept_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(accept_language(&headers), Lang::Kk);
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE, ru-RU;q=0.8, en;q=0.5"),
        );
        assert_eq!(accept_language(&headers), Lang::Ru);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("EN"));
        assert_eq!(accept_language(&headers), Lang::En);
    }
}
