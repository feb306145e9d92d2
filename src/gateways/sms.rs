//! SMS through a Mobizon-compatible HTTP API (`SMS_API_URL`, `SMS_API_KEY`).
//!
//! One request per message: `POST {base}/service/message/sendsmsmessage?output=json&api=v1&apiKey=…`
//! with the form fields `recipient` (the number without `+`) and `text`. The answer's `code`
//! decides: 0 accepted, a server-side failure or an unreadable answer is retried a few times
//! with a short backoff, a refusal (bad key, bad number, bad request) is not.
//!
//! The URL of every request holds the API key, so no reqwest error is formatted with its URL
//! and no error text is taken from the gateway (it may echo the number or the text).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use reqwest::StatusCode;
use url::Url;

use super::{CodeSender, DeliveryError, Destination, OutboundMessage, SetupError};

/// Extra attempts after a first one that found the gateway unavailable.
pub const DEFAULT_RETRIES: u32 = 2;
/// Wait before the first retry; each further retry waits twice as long.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(250);

const SEND_PATH: [&str; 3] = ["service", "message", "sendsmsmessage"];

/// Mobizon's answer codes: 0 done, 100 done in the background.
const ACCEPTED_CODES: [i64; 2] = [0, 100];
/// Unidentified application error, data saving error, unknown error: the gateway's own
/// trouble, which may pass.
const TRANSIENT_CODES: [i64; 3] = [3, 10, 999];
/// Login failed, method access denied: the key is wrong or lacks the right.
const KEY_CODES: [i64; 2] = [8, 9];

pub struct MobizonSms {
    client: reqwest::Client,
    /// The full request URL, API key included. Never formatted anywhere.
    request_url: Url,
    /// Scheme, host and path only, for `Debug`.
    endpoint: String,
    timeout: Duration,
    retries: u32,
    backoff: Duration,
}

impl MobizonSms {
    /// `base_url` is the API's root (`https://api.mobizon.kz`); `timeout` bounds each request
    /// from connecting to the last byte of the answer.
    pub fn new(
        base_url: Url,
        api_key: String,
        timeout: Duration,
    ) -> Result<MobizonSms, SetupError> {
        if api_key.trim().is_empty() {
            return Err(SetupError::Invalid {
                setting: "SMS_API_KEY",
                reason: "it is empty",
            });
        }
        let request_url = request_url(base_url, &api_key)?;
        let endpoint = format!(
            "{}://{}{}",
            request_url.scheme(),
            request_url.host_str().unwrap_or_default(),
            request_url.path()
        );
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // A redirect would carry the key in its query to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|_| SetupError::Invalid {
                setting: "SMS_API_URL",
                reason: "the HTTP client could not be initialised",
            })?;
        Ok(MobizonSms {
            client,
            request_url,
            endpoint,
            timeout,
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
        })
    }

    /// At most `retries` more attempts after an unavailable gateway, the first after
    /// `backoff`, each further one after twice the previous wait.
    pub fn with_retries(mut self, retries: u32, backoff: Duration) -> MobizonSms {
        self.retries = retries;
        self.backoff = backoff;
        self
    }

    /// One request, classified.
    async fn post_once(&self, recipient: &str, text: &str) -> Result<(), DeliveryError> {
        let response = self
            .client
            .post(self.request_url.clone())
            .form(&[("recipient", recipient), ("text", text)])
            .send()
            .await
            .map_err(transport_failure)?;
        let status = response.status();
        if let Some(error) = status_failure(status) {
            return Err(error);
        }
        let body = response.bytes().await.map_err(transport_failure)?;
        let code = answer_code(&body).ok_or_else(|| {
            DeliveryError::Unavailable("the SMS gateway answered with malformed JSON".into())
        })?;
        code_outcome(code)
    }

    fn backoff_before(&self, retry: u32) -> Duration {
        self.backoff
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16))
    }
}

#[async_trait]
impl CodeSender for MobizonSms {
    async fn send(&self, to: &Destination, message: &OutboundMessage) -> Result<(), DeliveryError> {
        let Destination::Sms(phone) = to else {
            return Err(DeliveryError::NotConfigured(to.channel()));
        };
        let recipient = phone.e164().trim_start_matches('+');
        let mut retry = 0;
        loop {
            match self.post_once(recipient, &message.body).await {
                Ok(()) => {
                    tracing::debug!(to = %to.masked(), "SMS accepted by the gateway");
                    return Ok(());
                }
                Err(error) if error.is_temporary() && retry < self.retries => {
                    retry += 1;
                    tracing::warn!(to = %to.masked(), retry, %error, "SMS gateway unavailable, retrying");
                    tokio::time::sleep(self.backoff_before(retry)).await;
                }
                Err(error) => {
                    tracing::warn!(to = %to.masked(), %error, "SMS not sent");
                    return Err(error);
                }
            }
        }
    }
}

impl fmt::Debug for MobizonSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MobizonSms")
            .field("endpoint", &self.endpoint)
            .field("api_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// `{base}/service/message/sendsmsmessage?output=json&api=v1&apiKey={key}`.
fn request_url(mut base: Url, api_key: &str) -> Result<Url, SetupError> {
    let invalid = SetupError::Invalid {
        setting: "SMS_API_URL",
        reason: "it must be an http:// or https:// URL with a host",
    };
    if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
        return Err(invalid);
    }
    base.set_query(None);
    base.set_fragment(None);
    base.path_segments_mut()
        .map_err(|()| invalid)?
        .pop_if_empty()
        .extend(SEND_PATH);
    base.query_pairs_mut()
        .append_pair("output", "json")
        .append_pair("api", "v1")
        .append_pair("apiKey", api_key);
    Ok(base)
}

/// A failed request as an error without its URL (which holds the key): all of these may
/// pass, so all are `Unavailable`.
fn transport_failure(error: reqwest::Error) -> DeliveryError {
    let error = error.without_url();
    let reason = if error.is_timeout() {
        "the SMS gateway did not answer in time"
    } else if error.is_connect() {
        "the SMS gateway could not be reached"
    } else {
        "the request to the SMS gateway failed"
    };
    DeliveryError::Unavailable(reason.into())
}

/// The HTTP status alone decides unless it is a success.
fn status_failure(status: StatusCode) -> Option<DeliveryError> {
    let code = status.as_u16();
    if status.is_success() {
        None
    } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        Some(DeliveryError::Rejected(format!(
            "the SMS gateway refused the API key (HTTP {code})"
        )))
    } else if status.is_server_error()
        || matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::REQUEST_TIMEOUT
        )
    {
        Some(DeliveryError::Unavailable(format!(
            "the SMS gateway answered HTTP {code}"
        )))
    } else {
        // Other 4xx (a wrong SMS_API_URL path) and 3xx (redirects are not followed) will
        // not change by themselves.
        Some(DeliveryError::Rejected(format!(
            "the SMS gateway refused the request (HTTP {code})"
        )))
    }
}

/// The `code` of a JSON answer (a number, or a string of digits as some versions send).
fn answer_code(body: &[u8]) -> Option<i64> {
    let answer: serde_json::Value = serde_json::from_slice(body).ok()?;
    match answer.get("code")? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn code_outcome(code: i64) -> Result<(), DeliveryError> {
    if ACCEPTED_CODES.contains(&code) {
        Ok(())
    } else if TRANSIENT_CODES.contains(&code) {
        Err(DeliveryError::Unavailable(format!(
            "the SMS gateway failed (code {code})"
        )))
    } else if KEY_CODES.contains(&code) {
        Err(DeliveryError::Rejected(format!(
            "the SMS gateway refused the API key (code {code})"
        )))
    } else {
        Err(DeliveryError::Rejected(format!(
            "the SMS gateway refused the message (code {code})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_url_keeps_a_base_path_and_drops_a_trailing_slash() {
        let base = Url::parse("https://sms.example.kz/proxy/").expect("url");
        let url = request_url(base, "k e+y").expect("request url");
        assert_eq!(url.path(), "/proxy/service/message/sendsmsmessage");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [
                ("output".into(), "json".into()),
                ("api".into(), "v1".into()),
                ("apiKey".into(), "k e+y".into()),
            ]
        );
    }

    #[test]
    fn request_url_refuses_what_is_not_http() {
        for base in ["ftp://sms.example.kz", "mailto:a@b.kz"] {
            let base = Url::parse(base).expect("url");
            assert!(request_url(base, "key").is_err());
        }
    }

    #[test]
    fn answer_codes_are_read_from_numbers_and_strings() {
        assert_eq!(
            answer_code(br#"{"code":0,"data":{},"message":""}"#),
            Some(0)
        );
        assert_eq!(
            answer_code(br#"{"code":"8","data":"","message":"x"}"#),
            Some(8)
        );
        assert_eq!(answer_code(br#"{"data":{}}"#), None);
        assert_eq!(answer_code(b"<html>"), None);
    }

    #[test]
    fn codes_split_into_accepted_temporary_and_refused() {
        assert_eq!(code_outcome(0), Ok(()));
        assert_eq!(code_outcome(100), Ok(()));
        assert!(code_outcome(3).is_err_and(|e| e.is_temporary()));
        assert!(code_outcome(999).is_err_and(|e| e.is_temporary()));
        for refused in [1, 2, 8, 9, 11, 12] {
            assert!(
                matches!(code_outcome(refused), Err(DeliveryError::Rejected(_))),
                "code {refused}"
            );
        }
    }
}
