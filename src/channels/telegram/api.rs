//! The Bot API client: one POST per method with teloxide's payload and answer types.
//!
//! teloxide's own `Bot` is not used for the calls: it sleeps ten seconds inside every 5xx
//! answer before returning (no backoff of ours could be shorter), it drops Telegram's
//! `error_code` (so a 403 could only be guessed from its wording), and its errors carry the
//! request URL (with the token) or the raw answer (with message texts) in their `Display`.
//! Here the caller gets a [`CallError`] that says what to do next and is safe to log.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::requests::Payload;
use url::Url;

/// How long to wait for a connection to the Bot API server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a call did not succeed, in terms of what the caller should do.
/// `Display` never shows a URL, the token or an answer's body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// 429: Telegram asks to wait this long before trying again.
    #[error("rate limited by Telegram: retry after {0:?}")]
    RetryAfter(Duration),
    /// 403: the user blocked the bot, deleted the account, or the bot is not in the chat.
    #[error("forbidden by Telegram: {0}")]
    Forbidden(String),
    /// 401 or 404 for the method: Telegram does not know the token.
    #[error("Telegram refused the bot token")]
    Unauthorized,
    /// Any other 4xx: the request itself was refused; sending it again will not help.
    #[error("refused by Telegram ({status}): {description}")]
    Rejected { status: u16, description: String },
    /// 5xx: Telegram's side failed.
    #[error("Telegram server error ({status})")]
    Server { status: u16 },
    /// The connection failed, broke or timed out.
    #[error("network error: {0}")]
    Network(String),
    /// The answer is not the Bot API's JSON envelope (a proxy's error page, say).
    #[error("unreadable answer from the Bot API (HTTP {status})")]
    Malformed { status: u16 },
    /// Telegram said `ok`, but its result has a shape we do not read. The call took effect.
    #[error("Telegram accepted the call but its result did not parse")]
    UnexpectedResult,
}

impl CallError {
    /// Whether the same call may succeed if sent again after a pause.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            CallError::Server { .. } | CallError::Network(_) | CallError::Malformed { .. }
        )
    }
}

/// The Bot API's answer envelope without its result (read when the answer as a whole did
/// not, to tell a refusal from a result of an unexpected shape; see [`interpret`]).
#[derive(serde::Deserialize)]
struct Envelope {
    ok: bool,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<ResponseParameters>,
}

/// The whole answer in one reading: a success carries `result`, a refusal does not.
#[derive(serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct Answer<T> {
    ok: bool,
    #[serde(default = "Option::default", deserialize_with = "present")]
    result: Option<T>,
}

/// `result` as given, `null` included (for `T` that reads it): absent is the only `None`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

#[derive(serde::Deserialize)]
struct ResponseParameters {
    #[serde(default)]
    retry_after: Option<u64>,
}

/// The client of the JSON calls: hyper's pooled client itself. Every reply is one of these
/// calls, and reqwest's layers around the same client (redirects, URL parsing twice per
/// request, a boxed body) were a tenth of the bot's time under load.
type JsonClient =
    hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A Bot API client bound to one token. Cheap to share behind an `Arc`.
#[derive(Clone)]
pub struct BotApi {
    json: JsonClient,
    /// For the multipart upload of documents only.
    client: reqwest::Client,
    /// `{api_url}/bot{token}`; never logged.
    base: Url,
    /// `{base}/{method}` by payload name, built once each (building one costs a URL parse).
    method_urls: Arc<RwLock<HashMap<&'static str, Url>>>,
    request_timeout: Duration,
}

impl fmt::Debug for BotApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BotApi")
            .field("host", &self.base.host_str())
            .finish_non_exhaustive()
    }
}

/// Building the client failed; the message names no secret.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the Bot API client: {0}")]
pub struct BuildError(&'static str);

impl BotApi {
    /// A client for `api_url` (e.g. `https://api.telegram.org`) and `token`.
    /// `request_timeout` bounds every call except `getUpdates`, which adds its long-poll time.
    pub fn new(
        api_url: &Url,
        token: &str,
        request_timeout: Duration,
    ) -> Result<BotApi, BuildError> {
        let mut base = api_url.clone();
        base.path_segments_mut()
            .map_err(|_| BuildError("TELEGRAM_API_URL cannot have paths under it"))?
            .pop_if_empty()
            .push(&format!("bot{token}"));
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|_| BuildError("the HTTP client could not be set up"))?;
        let mut http = HttpConnector::new();
        http.set_connect_timeout(Some(CONNECT_TIMEOUT));
        http.set_nodelay(true);
        http.enforce_http(false);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let json = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https);
        Ok(BotApi {
            json,
            client,
            base,
            method_urls: Arc::default(),
            request_timeout,
        })
    }

    /// The URL of the method named by a payload (`SendMessage`).
    fn method_url(&self, name: &'static str) -> Url {
        let known = self
            .method_urls
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .cloned();
        if let Some(url) = known {
            return url;
        }
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.push(&method_name(name));
        }
        self.method_urls
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name, url.clone());
        url
    }

    /// Calls the method of `payload` and reads its result as the method's own type.
    pub async fn call<P>(&self, payload: &P) -> Result<P::Output, CallError>
    where
        P: Payload + Serialize,
        P::Output: DeserializeOwned,
    {
        self.call_as::<P, P::Output>(payload, Duration::ZERO).await
    }

    /// Calls the method of `payload` and reads its result as `T`; `extra_wait` lengthens the
    /// request timeout (for long polling).
    pub async fn call_as<P, T>(&self, payload: &P, extra_wait: Duration) -> Result<T, CallError>
    where
        P: Payload + Serialize,
        T: DeserializeOwned,
    {
        let url = self.method_url(P::NAME);
        let body = serde_json::to_vec(payload).map_err(|_| CallError::Rejected {
            status: 0,
            description: "the request could not be encoded".into(),
        })?;
        let request = http::Request::post(url.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| CallError::Rejected {
                status: 0,
                description: "the request could not be built".into(),
            })?;
        let exchange = async {
            let response = self.json.request(request).await.map_err(client_error)?;
            let status = response.status().as_u16();
            let body = response.into_body().collect().await.map_err(|error| {
                CallError::Network(format!("the answer broke off{}", causes(&error)))
            })?;
            Ok::<_, CallError>((status, body.to_bytes()))
        };
        let (status, bytes) = tokio::time::timeout(self.request_timeout + extra_wait, exchange)
            .await
            .map_err(|_| CallError::Network("timed out".into()))??;
        interpret(status, &bytes)
    }
}

/// A file to upload with `sendDocument`.
pub struct Upload<'a> {
    pub chat_id: i64,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub caption: Option<&'a str>,
    /// No forwarding or saving from the chat (statements, certificates).
    pub protect: bool,
}

impl BotApi {
    /// `sendDocument` with the file in a multipart body (teloxide's payload types carry files
    /// by reference only).
    pub async fn send_document(&self, upload: &Upload<'_>) -> Result<serde_json::Value, CallError> {
        let url = self.method_url("SendDocument");
        let file = reqwest::multipart::Part::bytes(upload.bytes.to_vec())
            .file_name(upload.file_name.to_string())
            .mime_str("application/pdf")
            .map_err(|_| CallError::Rejected {
                status: 0,
                description: "the file could not be encoded".into(),
            })?;
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", upload.chat_id.to_string())
            .part("document", file);
        if let Some(caption) = upload.caption {
            form = form.text("caption", caption.to_string());
        }
        if upload.protect {
            form = form.text("protect_content", "true");
        }
        let response = self
            .client
            .post(url)
            .timeout(self.request_timeout)
            .multipart(form)
            .send()
            .await
            .map_err(network_error)?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(network_error)?;
        interpret(status, &bytes)
    }
}

/// `SendMessage` -> `sendMessage` (the Bot API ignores case; the usual spelling reads better).
fn method_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Describes a failed exchange of the JSON client. Its errors never carry the request's URL
/// (which holds the token): the connector's name the host at most.
fn client_error(error: hyper_util::client::legacy::Error) -> CallError {
    let kind = if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    CallError::Network(format!("{kind}{}", causes(&error)))
}

/// The chain of an error's causes, each after ": ".
fn causes(error: &dyn std::error::Error) -> String {
    let mut cause = String::new();
    let mut source = error.source();
    while let Some(inner) = source {
        cause.push_str(": ");
        cause.push_str(&inner.to_string());
        source = inner.source();
    }
    cause
}

/// Describes a transport error without its URL (which holds the token).
fn network_error(error: reqwest::Error) -> CallError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "request failed"
    };
    // Without the URL, no part of the chain (hyper, the socket) names the request.
    let error = error.without_url();
    CallError::Network(format!("{kind}{}", causes(&error)))
}

/// Turns an HTTP status and body into the call's result. The result is read straight from
/// the body's text: teloxide's `UpdateKind` cannot be read through a `serde_json::Value`
/// (every update would come out as `UpdateKind::Error`).
///
/// A success is read once (a getUpdates answer is most of what the bot reads); anything else
/// is read a second time as the bare envelope.
fn interpret<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, CallError> {
    if let Ok(Answer {
        ok: true,
        result: Some(result),
    }) = serde_json::from_slice::<Answer<T>>(body)
    {
        return Ok(result);
    }
    let envelope: Envelope = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(_) if status >= 500 => return Err(CallError::Server { status }),
        Err(_) => return Err(CallError::Malformed { status }),
    };
    if envelope.ok {
        return Err(CallError::UnexpectedResult);
    }
    let code = envelope.error_code.unwrap_or(status);
    let description = envelope
        .description
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect::<String>();
    if let Some(seconds) = envelope.parameters.and_then(|p| p.retry_after) {
        return Err(CallError::RetryAfter(Duration::from_secs(seconds)));
    }
    Err(match code {
        429 => CallError::RetryAfter(Duration::from_secs(1)),
        401 | 404 => CallError::Unauthorized,
        403 => CallError::Forbidden(description),
        500..=599 => CallError::Server { status: code },
        _ => CallError::Rejected {
            status: code,
            description,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> Result<bool, CallError> {
        interpret::<bool>(status, body.as_bytes())
    }

    #[test]
    fn answers_are_classified_by_error_code() {
        assert_eq!(read(200, r#"{"ok":true,"result":true}"#), Ok(true));
        assert_eq!(
            interpret::<Option<bool>>(200, br#"{"ok":true,"result":null}"#),
            Ok(None)
        );
        assert_eq!(
            read(200, r#"{"ok":true}"#),
            Err(CallError::UnexpectedResult)
        );
        assert_eq!(
            read(
                429,
                r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#
            ),
            Err(CallError::RetryAfter(Duration::from_secs(7)))
        );
        assert!(matches!(
            read(
                403,
                r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#
            ),
            Err(CallError::Forbidden(_))
        ));
        assert_eq!(
            read(
                401,
                r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#
            ),
            Err(CallError::Unauthorized)
        );
        assert!(matches!(
            read(
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#
            ),
            Err(CallError::Rejected { status: 400, .. })
        ));
        assert_eq!(
            read(
                502,
                r#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#
            ),
            Err(CallError::Server { status: 502 })
        );
    }

    #[test]
    fn updates_are_read_with_their_kind() {
        let body = r#"{"ok":true,"result":[{"update_id":5,"message":{"message_id":1,"date":1700000000,
            "chat":{"id":9,"type":"private","first_name":"A"},
            "from":{"id":9,"is_bot":false,"first_name":"A"},"text":"/start"}}]}"#;
        let updates = interpret::<Vec<teloxide::types::Update>>(200, body.as_bytes()).unwrap();
        assert_eq!(updates.len(), 1);
        assert!(matches!(
            updates[0].kind,
            teloxide::types::UpdateKind::Message(_)
        ));
    }

    #[test]
    fn bodies_that_are_not_the_envelope_are_malformed_or_server_errors() {
        assert_eq!(
            read(200, "<html>"),
            Err(CallError::Malformed { status: 200 })
        );
        assert_eq!(read(502, "<html>"), Err(CallError::Server { status: 502 }));
        assert_eq!(
            read(200, r#"{"ok":true,"result":{"unexpected":1}}"#),
            Err(CallError::UnexpectedResult)
        );
    }

    #[test]
    fn only_server_network_and_malformed_errors_are_transient() {
        assert!(CallError::Server { status: 500 }.is_transient());
        assert!(CallError::Network("x".into()).is_transient());
        assert!(CallError::Malformed { status: 200 }.is_transient());
        assert!(!CallError::Forbidden("x".into()).is_transient());
        assert!(!CallError::RetryAfter(Duration::from_secs(1)).is_transient());
        assert!(!CallError::UnexpectedResult.is_transient());
    }

    #[test]
    fn method_urls_keep_the_api_path_and_debug_hides_the_token() {
        let api = BotApi::new(
            &Url::parse("http://127.0.0.1:9/prefix").unwrap(),
            "123:SECRET",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(api.base.as_str(), "http://127.0.0.1:9/prefix/bot123:SECRET");
        let root = BotApi::new(
            &Url::parse("https://api.telegram.org").unwrap(),
            "123:SECRET",
            Duration::from_secs(1),
        )
        .unwrap();
        assert_eq!(root.base.as_str(), "https://api.telegram.org/bot123:SECRET");
        assert_eq!(method_name("SendMessage"), "sendMessage");
        for _ in 0..2 {
            assert_eq!(
                api.method_url("SendMessage").as_str(),
                "http://127.0.0.1:9/prefix/bot123:SECRET/sendMessage"
            );
        }
        assert!(!format!("{api:?}").contains("SECRET"));
    }
}
