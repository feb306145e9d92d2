//! Webhook delivery, without HTTP: check the secret in constant time, read the update,
//! handle it, and say which status Telegram should get. The axum route is in `crate::web`.
//!
//! 200 only after the update was handled, so a crash mid-way makes Telegram deliver it
//! again; 500 when our side failed (database or ephemeral store down) for the same reason;
//! 401 for a wrong or missing secret, with nothing processed; a body that is not an update
//! gets 200 (redelivering garbage would not help) and is logged without its content.
//! A button press handled is answered in the 200 itself: its body is the answerCallbackQuery
//! call, which Telegram executes (one request fewer per press).

use subtle::ConstantTimeEq;
use teloxide::types::{CallbackQueryId, Update};

use super::{CallbackAnswer, Outcome, Telegram};

/// The header Telegram puts our secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// The answer for Telegram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// 200: handled, a duplicate, or nothing for us.
    Done,
    /// 401: not from Telegram.
    Unauthorized,
    /// 500: our failure; please deliver again.
    RetryLater,
}

impl Verdict {
    pub fn status(self) -> u16 {
        match self {
            Verdict::Done => 200,
            Verdict::Unauthorized => 401,
            Verdict::RetryLater => 500,
        }
    }
}

/// Whether `provided` is our secret; compared in constant time. Without a configured
/// secret nothing is accepted.
pub fn secret_matches(expected: Option<&str>, provided: Option<&[u8]>) -> bool {
    match (expected, provided) {
        (Some(expected), Some(provided)) => provided.ct_eq(expected.as_bytes()).into(),
        _ => false,
    }
}

/// What to answer Telegram: the status and, with a 200, maybe a Bot API call as the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub verdict: Verdict,
    /// A callback query to answer in the body (only with [`Verdict::Done`]).
    pub answer_callback: Option<CallbackQueryId>,
}

impl Answer {
    fn only(verdict: Verdict) -> Answer {
        Answer {
            verdict,
            answer_callback: None,
        }
    }

    /// The body for Telegram: the answerCallbackQuery call, or nothing.
    pub fn body(&self) -> Option<String> {
        let id = self.answer_callback.as_ref()?;
        let call = serde_json::json!({
            "method": "answerCallbackQuery",
            "callback_query_id": id.0,
        });
        Some(call.to_string())
    }
}

pub async fn receive(telegram: &Telegram, secret: Option<&[u8]>, body: &[u8]) -> Answer {
    let expected = telegram.app().config.webhook_secret.as_deref();
    if !secret_matches(expected, secret) {
        tracing::warn!(
            secret_present = secret.is_some(),
            "webhook call with a wrong secret refused"
        );
        return Answer::only(Verdict::Unauthorized);
    }
    let update: Update = match serde_json::from_slice(body) {
        Ok(update) => update,
        Err(error) => {
            // serde's message can quote the body; only its category and position are logged.
            tracing::warn!(
                category = ?error.classify(),
                line = error.line(),
                column = error.column(),
                bytes = body.len(),
                "webhook body is not an update; ignored"
            );
            return Answer::only(Verdict::Done);
        }
    };
    let handled = telegram
        .dispatcher()
        .dispatch_answering(update, CallbackAnswer::InResponse)
        .await;
    match handled.outcome {
        // The dispatcher answered the query itself: a 500's body is not executed.
        Outcome::Failed => Answer::only(Verdict::RetryLater),
        Outcome::Handled | Outcome::Duplicate | Outcome::Ignored => Answer {
            verdict: Verdict::Done,
            answer_callback: handled.unanswered,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_secret_matches() {
        let secret = Some("s3cret_-X");
        assert!(secret_matches(secret, Some(b"s3cret_-X")));
        assert!(!secret_matches(secret, Some(b"s3cret_-x")));
        assert!(!secret_matches(secret, Some(b"s3cret_-X ")));
        assert!(!secret_matches(secret, Some(b"")));
        assert!(!secret_matches(secret, None));
        assert!(!secret_matches(None, Some(b"anything")));
        assert!(!secret_matches(None, None));
    }
}
