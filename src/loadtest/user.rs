//! One virtual user: a chat of its own that sends an update, waits until the bot's reply to
//! it is complete (closed loop), and goes on. It records how long each reply took, from the
//! update's delivery (the getUpdates answer that first carried it, or the webhook POST) to
//! the arrival at the fake of the reply's last message, and end to end, from the moment the
//! update was handed over (in polling mode it waits in the queue until the bot asks).
//!
//! A reply is complete when its last message has arrived — for Zeinet the message with the
//! inline keyboard (every step of the paths played ends with one), for the echo bot any
//! message — and, for a button press, the callback query has been answered.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::fake::{Event, FakeBotApi, callback_update, text_update};

/// How long a user waits for a complete reply before counting an error.
const REPLY_PATIENCE: Duration = Duration::from_secs(20);

/// How updates reach the bot.
#[derive(Clone)]
pub enum Transport {
    /// Queued in the fake for getUpdates.
    Polling,
    /// POSTed to the bot's webhook route with the secret.
    Webhook {
        client: reqwest::Client,
        url: String,
        secret: String,
    },
}

/// What the bot is: Zeinet (replies end with an inline keyboard) or the echo bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bot {
    Zeinet,
    Echo,
}

/// The complete reply to one update.
#[derive(Debug, Default)]
pub struct Reply {
    pub texts: Vec<String>,
    /// The buttons of the last message: (label, callback data).
    pub buttons: Vec<(String, String)>,
    pub documents: usize,
    pub deleted: usize,
}

impl Reply {
    pub fn button(&self, label: &str) -> Option<&str> {
        self.buttons
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, data)| data.as_str())
    }
}

/// Figures one user collected.
#[derive(Debug, Default)]
pub struct Tally {
    pub updates_sent: u64,
    pub replies: u64,
    pub messages: u64,
    pub documents: u64,
    pub deleted: u64,
    pub iterations: u64,
    pub latencies: Vec<Duration>,
    /// From the moment the update was handed to "Telegram" (queued for getUpdates, or the
    /// webhook POST) to the reply: what the person waits, polling's own delay included.
    pub end_to_end: Vec<Duration>,
    pub errors: BTreeMap<String, u64>,
    pub first_send: Option<Instant>,
    pub last_reply: Option<Instant>,
}

impl Tally {
    pub fn error(&mut self, kind: &str) {
        *self.errors.entry(kind.to_string()).or_insert(0) += 1;
    }
}

/// Why a step failed; the iteration is abandoned and the user starts over.
#[derive(Debug)]
pub struct StepFailed(pub &'static str);

pub struct VirtualUser {
    pub chat_id: i64,
    pub language_code: &'static str,
    pub bot: Bot,
    fake: Arc<FakeBotApi>,
    transport: Transport,
    events: mpsc::UnboundedReceiver<Event>,
    queries: u64,
    /// The buttons of the last complete reply.
    pub last: Reply,
    pub tally: Tally,
}

impl VirtualUser {
    pub fn new(
        chat_id: i64,
        language_code: &'static str,
        bot: Bot,
        fake: Arc<FakeBotApi>,
        transport: Transport,
    ) -> VirtualUser {
        let events = fake.subscribe(chat_id);
        VirtualUser {
            chat_id,
            language_code,
            bot,
            fake,
            transport,
            events,
            queries: 0,
            last: Reply::default(),
            tally: Tally::default(),
        }
    }

    /// Sends a text message and waits for the reply.
    pub async fn say(&mut self, text: &str) -> Result<&Reply, StepFailed> {
        let (chat_id, language_code) = (self.chat_id, self.language_code);
        let text = text.to_string();
        let update = move |id| text_update(id, chat_id, &text, language_code);
        self.exchange(Box::new(update), None).await
    }

    /// Presses the button labelled `label` of the last reply (the echo bot shows none: the
    /// label itself is the callback data) and waits for the reply.
    pub async fn press(&mut self, label: &str) -> Result<&Reply, StepFailed> {
        let data = match self.bot {
            Bot::Echo => label.chars().take(32).collect::<String>(),
            Bot::Zeinet => match self.last.button(label) {
                Some(data) => data.to_string(),
                None => {
                    self.tally.error("button missing");
                    return Err(StepFailed("button missing"));
                }
            },
        };
        self.queries += 1;
        let query_id = format!("{}-{}", self.chat_id, self.queries);
        let (chat_id, language_code) = (self.chat_id, self.language_code);
        let query = query_id.clone();
        let update = move |id| callback_update(id, chat_id, &query, &data, language_code);
        self.exchange(Box::new(update), Some(query_id)).await
    }

    /// `update` builds the update for the id the fake gives it.
    async fn exchange(
        &mut self,
        update: Box<dyn FnOnce(u32) -> String + Send>,
        query_id: Option<String>,
    ) -> Result<&Reply, StepFailed> {
        // Anything left over from an abandoned step is not part of this reply.
        while self.events.try_recv().is_ok() {}
        self.tally.updates_sent += 1;
        let sent_at = Instant::now();
        self.tally.first_send.get_or_insert(sent_at);
        let outcome = match &self.transport {
            Transport::Polling => {
                let update_id = self.fake.push(self.chat_id, update);
                collect(&mut self.events, self.bot, update_id, None, query_id).await
            }
            Transport::Webhook {
                client,
                url,
                secret,
            } => {
                let update_id = self.fake.next_update_id();
                let update = update(update_id);
                let fake = self.fake.clone();
                let post = async move {
                    let response = client
                        .post(url)
                        .header("x-telegram-bot-api-secret-token", secret)
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(update)
                        .send()
                        .await?;
                    let status = response.status();
                    // Telegram executes a method call given as the webhook's answer.
                    let body = response.bytes().await?;
                    if status.is_success() && !body.is_empty() {
                        fake.execute_webhook_answer(&body);
                    }
                    Ok::<_, reqwest::Error>(status)
                };
                let (posted, collected) = tokio::join!(
                    post,
                    collect(
                        &mut self.events,
                        self.bot,
                        update_id,
                        Some(sent_at),
                        query_id
                    )
                );
                match posted {
                    Ok(status) if status.is_success() => collected,
                    Ok(_) => Err(StepFailed("webhook answered an error status")),
                    Err(_) => Err(StepFailed("webhook call failed")),
                }
            }
        };
        match outcome {
            Ok((reply, delivered, done)) => {
                self.tally.replies += 1;
                self.tally.messages += reply.texts.len() as u64;
                self.tally.documents += reply.documents as u64;
                self.tally.deleted += reply.deleted as u64;
                self.tally
                    .latencies
                    .push(done.saturating_duration_since(delivered));
                self.tally
                    .end_to_end
                    .push(done.saturating_duration_since(sent_at));
                self.tally.last_reply = Some(done);
                self.last = reply;
                Ok(&self.last)
            }
            Err(failed) => {
                self.tally.error(failed.0);
                self.last = Reply::default();
                Err(failed)
            }
        }
    }
}

/// Reads the chat's events until the reply is complete: (reply, delivered at, last message at).
async fn collect(
    events: &mut mpsc::UnboundedReceiver<Event>,
    bot: Bot,
    update_id: u32,
    mut delivered: Option<Instant>,
    query_id: Option<String>,
) -> Result<(Reply, Instant, Instant), StepFailed> {
    let deadline = tokio::time::Instant::now() + REPLY_PATIENCE;
    let mut reply = Reply::default();
    let mut last_message: Option<Instant> = None;
    let mut answered = query_id.is_none();
    loop {
        if let (Some(delivered), Some(done), true) = (delivered, last_message, answered) {
            return Ok((reply, delivered, done));
        }
        let event = match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(event)) => event,
            Ok(None) => return Err(StepFailed("event channel closed")),
            Err(_) => return Err(StepFailed("no complete reply in time")),
        };
        match event {
            Event::Delivered { update_id: id, at } if id == update_id => delivered = Some(at),
            Event::Delivered { .. } => {}
            Event::Message { at, text, buttons } => {
                let last = match bot {
                    Bot::Echo => true,
                    Bot::Zeinet => !buttons.is_empty(),
                };
                reply.texts.push(text);
                if last {
                    reply.buttons = buttons;
                    last_message = Some(at);
                }
            }
            Event::Document => reply.documents += 1,
            Event::Deleted => reply.deleted += 1,
            Event::Answered { query_id: id } => {
                if query_id.as_deref() == Some(id.as_str()) {
                    answered = true;
                }
            }
            Event::Other => {}
        }
    }
}
