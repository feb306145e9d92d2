//! One update of one chat, start to end: run the conversation with the update's once-only
//! mark (claimed with the chat's lock, marked done with the session's write, so a redelivery
//! is not handled twice), send the reply, answer the button's callback query; when our side
//! failed, release the claim so that Telegram's redelivery is handled.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;

use super::convert::Event;
use super::send::Replier;
use super::{CallbackAnswer, Handled, Outcome};
use crate::app::App;
use crate::ephemeral::Once;

/// How long a claim stays while the update is being handled; a crashed handler's claim
/// lapses after this and a redelivery is handled.
const CLAIM_TTL: Duration = Duration::from_secs(5 * 60);

/// How long a handled id is remembered: Telegram redelivers for about a day.
const DONE_TTL: Duration = Duration::from_secs(25 * 3600);

const DONE: &[u8] = b"done";

pub(crate) struct Handler {
    app: Arc<App>,
    replier: Replier,
}

impl Handler {
    pub(crate) fn new(app: Arc<App>, replier: Replier) -> Handler {
        Handler { app, replier }
    }

    pub(crate) fn replier(&self) -> &Replier {
        &self.replier
    }

    pub(crate) async fn process(
        &self,
        update_id: u32,
        event: Event,
        answer: CallbackAnswer,
    ) -> Handled {
        let outcome = self.process_update(update_id, &event).await;
        let unanswered = match (&event.callback_id, answer, outcome) {
            (Some(id), CallbackAnswer::InResponse, Outcome::Handled | Outcome::Duplicate) => {
                Some(id.clone())
            }
            _ => {
                self.answer_callback(&event).await;
                None
            }
        };
        Handled {
            outcome,
            unanswered,
        }
    }

    /// Everything but the callback query's answer.
    async fn process_update(&self, update_id: u32, event: &Event) -> Outcome {
        let key = format!("update:{update_id}");
        let token: [u8; 16] = rand::random();
        let claim = format!("claim:{}", hex::encode(token)).into_bytes();
        let once = Once {
            key: &key,
            claim: &claim,
            claim_ttl: CLAIM_TTL,
            done: DONE,
            done_ttl: DONE_TTL,
        };
        let chat_id = event.chat.chat_id;
        let responded = AssertUnwindSafe(self.respond(event, once))
            .catch_unwind()
            .await;
        match responded {
            Ok(Some(true)) => Outcome::Handled,
            Ok(None) => {
                tracing::debug!(update_id, chat_id, "repeated update ignored");
                Outcome::Duplicate
            }
            Ok(Some(false)) => {
                self.release(update_id, &key, &claim).await;
                Outcome::Failed
            }
            Err(_) => {
                tracing::error!(update_id, chat_id, "handling an update panicked");
                self.tell_temporary_failure(event).await;
                self.release(update_id, &key, &claim).await;
                Outcome::Failed
            }
        }
    }

    /// Runs the conversation (which claims the update and marks it done with the session's
    /// write) and sends its reply: `Some(false)` when our side failed (the user has then been
    /// told to try again), `None` for an update claimed or handled already.
    async fn respond(&self, event: &Event, once: Once<'_>) -> Option<bool> {
        let chat_id = event.chat.chat_id;
        let started = std::time::Instant::now();
        let kind = match &event.incoming {
            crate::conversation::Incoming::Text(t) if t.starts_with('/') => "command",
            crate::conversation::Incoming::Text(_) => "text",
            crate::conversation::Incoming::Callback(_) => "button",
            crate::conversation::Incoming::Contact { .. } => "contact",
            crate::conversation::Incoming::Unsupported(_) => "unsupported",
        };
        let handled = self
            .app
            .conversation
            .handle_once(&event.chat, event.incoming.clone(), Some(once))
            .await;
        // A repeated delivery is not an update handled.
        if !matches!(handled, Ok(None)) {
            crate::metrics::count_update(kind);
        }
        match handled {
            Ok(Some(outgoing)) => {
                // The password leaves the chat before anything else happens.
                if outgoing.delete_incoming
                    && let Some(message_id) = event.message_id
                {
                    self.replier.delete_incoming(chat_id, message_id).await;
                }
                self.replier.send(chat_id, &outgoing).await;
                crate::metrics::observe_reply(started.elapsed().as_secs_f64());
                Some(true)
            }
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(chat_id, error = %error, "conversation failed; telling the user to try later");
                self.tell_temporary_failure(event).await;
                Some(false)
            }
        }
    }

    async fn tell_temporary_failure(&self, event: &Event) {
        let outgoing = self.app.conversation.temporary_failure(&event.chat);
        self.replier.send(event.chat.chat_id, &outgoing).await;
    }

    async fn answer_callback(&self, event: &Event) {
        if let Some(id) = &event.callback_id {
            self.replier.answer_callback(id).await;
        }
    }

    /// Drops our claim so that Telegram's redelivery is handled.
    async fn release(&self, update_id: u32, key: &str, claim: &[u8]) {
        if let Err(error) = self.app.ephemeral.delete_if_equals(key, claim).await {
            tracing::warn!(update_id, error = %error, "could not release the update claim");
        }
    }
}
