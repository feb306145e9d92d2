//! The load tool's stand-in for the Telegram Bot API (axum on 127.0.0.1:0).
//!
//! getUpdates long-polls a queue the virtual users fill; each update is stamped when it first
//! leaves in a getUpdates answer ("delivered"). Every reply method answers as Telegram would
//! and is stamped when it arrives; the stamp goes to the virtual user of that chat through
//! its own channel, so a user waits for its own replies without scanning anybody else's.
//! A callback query's id starts with the chat id (`{chat}-{n}`), so answerCallbackQuery,
//! which names no chat, still reaches its user.
//!
//! The fake shares the machine's two cores with the bot it measures, so it does as little as
//! it can per call: an update is written to JSON once, when queued (a poll while updates are
//! in flight repeats them), and a request is read into a struct of the few fields it needs.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinHandle;

/// The token the fake accepts; the child processes are given it.
pub const TOKEN: &str = "123456789:LOAD-fake_token_part";

/// The longest one getUpdates call waits, whatever timeout it asks for.
const MAX_POLL_WAIT: Duration = Duration::from_secs(10);

/// What the fake saw for one chat.
#[derive(Debug, Clone)]
pub enum Event {
    /// The update left in a getUpdates answer for the first time.
    Delivered { update_id: u32, at: Instant },
    /// sendMessage or editMessageText; `buttons` are the inline keyboard's (label, data).
    Message {
        at: Instant,
        text: String,
        buttons: Vec<(String, String)>,
    },
    /// sendDocument (a statement).
    Document,
    /// answerCallbackQuery.
    Answered { query_id: String },
    /// deleteMessage (the password message).
    Deleted,
    /// sendVenue, sendPhoto and other sends without text of ours.
    Other,
}

struct Pending {
    id: u32,
    chat_id: i64,
    /// The update as JSON, written once.
    body: Box<RawValue>,
    delivered: bool,
}

/// The fields of a Bot API call the fake reads; the rest is skipped unread.
#[derive(Deserialize, Default)]
struct Params {
    chat_id: Option<i64>,
    text: Option<String>,
    reply_markup: Option<Markup>,
    callback_query_id: Option<String>,
    offset: Option<i64>,
    limit: Option<u64>,
    timeout: Option<u64>,
}

#[derive(Deserialize)]
struct Markup {
    inline_keyboard: Option<Vec<Vec<InlineButton>>>,
}

#[derive(Deserialize)]
struct InlineButton {
    text: String,
    callback_data: Option<String>,
}

#[derive(Default)]
struct Counters {
    get_updates: AtomicU64,
    set_webhook: AtomicU64,
    delete_webhook: AtomicU64,
    get_me: AtomicU64,
    /// Methods the fake does not know, or calls it could not attribute to a chat.
    unknown: AtomicU64,
    /// Replies to chats no virtual user owns.
    strays: AtomicU64,
}

struct FakeState {
    queue: Mutex<VecDeque<Pending>>,
    ready: Notify,
    chats: Mutex<HashMap<i64, mpsc::UnboundedSender<Event>>>,
    next_update_id: AtomicU32,
    next_message_id: AtomicI64,
    counters: Counters,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeState {
    /// answerCallbackQuery: the query's id names its chat (`{chat}-{n}`).
    fn answered(&self, query_id: String) {
        match query_id
            .split_once('-')
            .and_then(|(chat, _)| chat.parse::<i64>().ok())
        {
            Some(chat_id) => self.emit(chat_id, Event::Answered { query_id }),
            None => {
                self.counters.unknown.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn emit(&self, chat_id: i64, event: Event) {
        let chats = lock(&self.chats);
        match chats.get(&chat_id) {
            Some(sender) if sender.send(event).is_ok() => {}
            _ => {
                self.counters.strays.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Counts of the calls that are not replies.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct FakeCounts {
    pub get_updates: u64,
    pub set_webhook: u64,
    pub delete_webhook: u64,
    pub get_me: u64,
    pub unknown_calls: u64,
    pub stray_replies: u64,
}

pub struct FakeBotApi {
    url: String,
    state: Arc<FakeState>,
    task: JoinHandle<()>,
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeBotApi {
    /// Starts the fake; update ids count up from `first_update_id`.
    pub async fn start(first_update_id: u32) -> anyhow::Result<FakeBotApi> {
        let state = Arc::new(FakeState {
            queue: Mutex::new(VecDeque::new()),
            ready: Notify::new(),
            chats: Mutex::new(HashMap::new()),
            next_update_id: AtomicU32::new(first_update_id),
            next_message_id: AtomicI64::new(1),
            counters: Counters::default(),
        });
        let router = Router::new()
            .route("/{bot}/{method}", post(call))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(FakeBotApi {
            url: format!("http://{addr}"),
            state,
            task,
        })
    }

    /// The base URL for `TELEGRAM_API_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The events of `chat_id` from now on.
    pub fn subscribe(&self, chat_id: i64) -> mpsc::UnboundedReceiver<Event> {
        let (sender, receiver) = mpsc::unbounded_channel();
        lock(&self.state.chats).insert(chat_id, sender);
        receiver
    }

    /// A fresh update id (ids only grow, as Telegram's do).
    pub fn next_update_id(&self) -> u32 {
        self.state.next_update_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Queues an update for getUpdates under the next id, returned. The id is taken under
    /// the queue's lock: an id taken earlier but queued later could fall below an offset the
    /// bot already confirmed, and be lost.
    pub fn push(&self, chat_id: i64, update: impl FnOnce(u32) -> String) -> u32 {
        let mut queue = lock(&self.state.queue);
        let id = self.next_update_id();
        queue.push_back(Pending {
            id,
            chat_id,
            // Our own JSON (text_update, callback_update); a malformed one is a bug here.
            body: RawValue::from_string(update(id)).expect("an update is JSON"),
            delivered: false,
        });
        drop(queue);
        self.state.ready.notify_waiters();
        id
    }

    /// A method call the bot gave as its webhook answer, executed as Telegram would (the
    /// load tool's bot only ever gives answerCallbackQuery there).
    pub fn execute_webhook_answer(&self, body: &[u8]) {
        #[derive(Deserialize)]
        struct Call {
            method: String,
            #[serde(default)]
            callback_query_id: Option<String>,
        }
        match serde_json::from_slice::<Call>(body) {
            Ok(call) if call.method.eq_ignore_ascii_case("answerCallbackQuery") => {
                let query_id = call.callback_query_id.unwrap_or_default();
                self.state.answered(query_id);
            }
            _ => {
                self.state.counters.unknown.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn counts(&self) -> FakeCounts {
        let c = &self.state.counters;
        FakeCounts {
            get_updates: c.get_updates.load(Ordering::Relaxed),
            set_webhook: c.set_webhook.load(Ordering::Relaxed),
            delete_webhook: c.delete_webhook.load(Ordering::Relaxed),
            get_me: c.get_me.load(Ordering::Relaxed),
            unknown_calls: c.unknown.load(Ordering::Relaxed),
            stray_replies: c.strays.load(Ordering::Relaxed),
        }
    }
}

fn ok(result: Value) -> Response {
    ok_raw(&result.to_string())
}

/// An `ok` answer around a result already written as JSON.
fn ok_raw(result: &str) -> Response {
    json_response(format!(r#"{{"ok":true,"result":{result}}}"#))
}

fn json_response(body: String) -> Response {
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn error(status: StatusCode, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"ok": false, "error_code": status.as_u16(), "description": description})),
    )
        .into_response()
}

fn bot_user() -> Value {
    json!({"id": 123456789, "is_bot": true, "first_name": "Zeinet", "username": "zeinet_load_bot"})
}

/// A sent message as Telegram describes it, written straight as JSON (it is the answer to
/// most calls of a run).
fn message_json(state: &FakeState, chat_id: i64, text: &str) -> String {
    let message_id = state.next_message_id.fetch_add(1, Ordering::Relaxed);
    format!(
        r#"{{"message_id":{message_id},"date":1772445600,"chat":{{"id":{chat_id},"type":"private","first_name":"Load"}},"from":{BOT_USER},"text":{}}}"#,
        Value::from(text)
    )
}

/// The bot's own user, as JSON.
const BOT_USER: &str =
    r#"{"id":123456789,"is_bot":true,"first_name":"Zeinet","username":"zeinet_load_bot"}"#;

fn message_result(state: &FakeState, chat_id: i64, extra: Value) -> Value {
    let message_id = state.next_message_id.fetch_add(1, Ordering::Relaxed);
    let mut message = json!({
        "message_id": message_id,
        "date": 1_772_445_600,
        "chat": {"id": chat_id, "type": "private", "first_name": "Load"},
        "from": bot_user(),
    });
    if let (Some(map), Value::Object(extra)) = (message.as_object_mut(), extra) {
        map.extend(extra);
    }
    message
}

async fn call(
    State(state): State<Arc<FakeState>>,
    Path((bot, method)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let at = Instant::now();
    if bot.strip_prefix("bot") != Some(TOKEN) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let method = method.to_ascii_lowercase();
    if method == "senddocument" {
        return send_document(&state, &body);
    }
    let params: Params = serde_json::from_slice(&body).unwrap_or_default();
    let chat_id = params.chat_id;
    let counters = &state.counters;
    match (method.as_str(), chat_id) {
        ("getupdates", _) => {
            counters.get_updates.fetch_add(1, Ordering::Relaxed);
            get_updates(&state, &params).await
        }
        ("sendmessage" | "editmessagetext", Some(chat_id)) => {
            let text = params.text.unwrap_or_default();
            let buttons = inline_buttons(params.reply_markup);
            let result = message_json(&state, chat_id, &text);
            state.emit(chat_id, Event::Message { at, text, buttons });
            ok_raw(&result)
        }
        ("answercallbackquery", _) => {
            state.answered(params.callback_query_id.unwrap_or_default());
            ok_raw("true")
        }
        ("deletemessage", Some(chat_id)) => {
            state.emit(chat_id, Event::Deleted);
            ok(json!(true))
        }
        ("sendvenue" | "sendphoto" | "sendlocation" | "sendchataction", Some(chat_id)) => {
            state.emit(chat_id, Event::Other);
            if method == "sendchataction" {
                ok(json!(true))
            } else {
                ok(message_result(&state, chat_id, json!({})))
            }
        }
        ("getme", _) => {
            counters.get_me.fetch_add(1, Ordering::Relaxed);
            ok(json!({
                "id": 123456789, "is_bot": true, "first_name": "Zeinet",
                "username": "zeinet_load_bot", "can_join_groups": false,
                "can_read_all_group_messages": false, "supports_inline_queries": false,
                "can_connect_to_business": false, "has_main_web_app": false
            }))
        }
        ("setwebhook", _) => {
            counters.set_webhook.fetch_add(1, Ordering::Relaxed);
            ok(json!(true))
        }
        ("deletewebhook", _) => {
            counters.delete_webhook.fetch_add(1, Ordering::Relaxed);
            ok(json!(true))
        }
        ("setmycommands" | "deletemycommands" | "setchatmenubutton", _) => ok(json!(true)),
        _ => {
            counters.unknown.fetch_add(1, Ordering::Relaxed);
            error(StatusCode::NOT_FOUND, "Not Found: method not found")
        }
    }
}

/// The inline keyboard of a reply as (label, callback data), row after row.
fn inline_buttons(markup: Option<Markup>) -> Vec<(String, String)> {
    markup
        .and_then(|m| m.inline_keyboard)
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .map(|b| (b.text, b.callback_data.unwrap_or_default()))
        .collect()
}

async fn get_updates(state: &FakeState, params: &Params) -> Response {
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(100).clamp(1, 100) as usize;
    let wait = Duration::from_secs(params.timeout.unwrap_or(0)).min(MAX_POLL_WAIT);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        // Registered before looking, so a push between the look and the wait is not missed.
        let notified = state.ready.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let batch = take_batch(state, offset, limit);
        if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
            return updates_answer(&batch);
        }
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// Drops what `offset` confirms and returns up to `limit` updates, stamping first deliveries.
fn take_batch(state: &FakeState, offset: i64, limit: usize) -> Vec<Box<RawValue>> {
    let at = Instant::now();
    let mut delivered = Vec::new();
    let batch: Vec<Box<RawValue>> = {
        let mut queue = lock(&state.queue);
        while queue.front().is_some_and(|p| i64::from(p.id) < offset) {
            queue.pop_front();
        }
        queue
            .iter_mut()
            .take(limit)
            .map(|p| {
                if !p.delivered {
                    p.delivered = true;
                    delivered.push((p.chat_id, p.id));
                }
                p.body.clone()
            })
            .collect()
    };
    for (chat_id, update_id) in delivered {
        state.emit(chat_id, Event::Delivered { update_id, at });
    }
    batch
}

/// getUpdates' answer from the updates' JSON as written when they were queued.
fn updates_answer(batch: &[Box<RawValue>]) -> Response {
    let mut body =
        String::with_capacity(32 + batch.iter().map(|u| u.get().len() + 1).sum::<usize>());
    body.push_str(r#"{"ok":true,"result":["#);
    for (i, update) in batch.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(update.get());
    }
    body.push_str("]}");
    json_response(body)
}

/// sendDocument comes as multipart: the chat id is read from its `chat_id` field.
fn send_document(state: &FakeState, body: &[u8]) -> Response {
    let Some(chat_id) = multipart_field(body, "chat_id").and_then(|v| v.trim().parse().ok()) else {
        state.counters.unknown.fetch_add(1, Ordering::Relaxed);
        return error(StatusCode::BAD_REQUEST, "Bad Request: chat not found");
    };
    state.emit(chat_id, Event::Document);
    let document = json!({"document": {"file_id": "load-file", "file_unique_id": "load-file"}});
    ok(message_result(state, chat_id, document))
}

/// The value of a small text field of a multipart body.
fn multipart_field(body: &[u8], name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let start = find(body, marker.as_bytes())? + marker.len();
    let value_start = start + find(&body[start..], b"\r\n\r\n")? + 4;
    let value_end = value_start + find(&body[value_start..], b"\r\n")?;
    String::from_utf8(body[value_start..value_end].to_vec()).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A text message from the user of `chat_id` (private chat: chat id = user id), as JSON.
pub fn text_update(update_id: u32, chat_id: i64, text: &str, language_code: &str) -> String {
    format!(
        r#"{{"update_id":{update_id},"message":{{"message_id":{update_id},"date":1772445600,"chat":{{"id":{chat_id},"type":"private","first_name":"Load"}},"from":{},"text":{}}}}}"#,
        user(chat_id, language_code),
        Value::from(text)
    )
}

/// A press of an inline button carrying `data`.
pub fn callback_update(
    update_id: u32,
    chat_id: i64,
    query_id: &str,
    data: &str,
    language_code: &str,
) -> String {
    format!(
        r#"{{"update_id":{update_id},"callback_query":{{"id":{},"from":{},"chat_instance":"load-instance","data":{},"message":{{"message_id":1,"date":1772445600,"chat":{{"id":{chat_id},"type":"private","first_name":"Load"}},"from":{BOT_USER},"text":"…"}}}}}}"#,
        Value::from(query_id),
        user(chat_id, language_code),
        Value::from(data)
    )
}

fn user(id: i64, language_code: &str) -> String {
    format!(
        r#"{{"id":{id},"is_bot":false,"first_name":"Load","language_code":{}}}"#,
        Value::from(language_code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_text_field_is_read() {
        let body = b"--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n4242\r\n--b\r\nContent-Disposition: form-data; name=\"document\"; filename=\"x.pdf\"\r\n\r\n%PDF\r\n--b--\r\n";
        assert_eq!(multipart_field(body, "chat_id").as_deref(), Some("4242"));
        assert_eq!(multipart_field(body, "caption"), None);
    }

    #[tokio::test]
    async fn the_updates_answer_carries_the_queued_json_as_written() {
        let updates = [
            text_update(5, 42, "/start \"quoted\"", "kk"),
            callback_update(6, 42, "42-1", "a:0", "ru"),
        ];
        let batch: Vec<Box<RawValue>> = updates
            .iter()
            .map(|u| RawValue::from_string(u.clone()).unwrap())
            .collect();
        let updates: Vec<Value> = updates
            .iter()
            .map(|u| serde_json::from_str(u).unwrap())
            .collect();
        assert_eq!(updates[0]["message"]["text"], "/start \"quoted\"");
        assert_eq!(
            updates[1]["callback_query"]["message"]["from"]["is_bot"],
            true
        );
        let body = axum::body::to_bytes(updates_answer(&batch).into_body(), usize::MAX)
            .await
            .unwrap();
        let answer: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(answer, json!({"ok": true, "result": updates}));
        let empty = axum::body::to_bytes(updates_answer(&[]).into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&empty).unwrap(),
            json!({"ok": true, "result": []})
        );
    }

    #[test]
    fn inline_buttons_are_read_row_after_row() {
        let markup = json!({"inline_keyboard": [[{"text": "A", "callback_data": "n:0"}], [{"text": "B", "callback_data": "n:1"}, {"text": "C", "callback_data": "n:2"}]]});
        let buttons = inline_buttons(serde_json::from_value(markup).ok());
        assert_eq!(
            buttons,
            vec![
                ("A".to_string(), "n:0".to_string()),
                ("B".to_string(), "n:1".to_string()),
                ("C".to_string(), "n:2".to_string())
            ]
        );
        assert!(
            inline_buttons(serde_json::from_value(json!({"remove_keyboard": true})).ok())
                .is_empty()
        );
        assert!(inline_buttons(None).is_empty());
    }
}
