//! A stand-in for the Telegram Bot API, started inside a test on 127.0.0.1:0.
//!
//! It serves `/bot<TOKEN>/<method>` for the methods the bot uses, records what it was asked
//! (messages sent with their `protect_content`, messages deleted, callback queries answered,
//! commands, webhook), hands out updates the test queues (getUpdates honours `offset` and
//! waits briefly when there is nothing), and can be told to fail: the first N getMe calls
//! with 500, the next sendMessage calls with 429, 500 or 403. Answers have the Bot API's
//! shape, so the real client parses them.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// The token the fake accepts.
pub const TOKEN: &str = "123456789:TEST-fake_token_part";

/// How long a test waits for something to happen before it fails (a bound, not a timing).
const PATIENCE: Duration = Duration::from_secs(15);

/// The longest an empty getUpdates waits for an update to arrive.
const EMPTY_POLL_WAIT: Duration = Duration::from_millis(300);

/// A sendMessage the fake accepted.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    pub text: String,
    pub reply_markup: Option<Value>,
    /// `protect_content: true` was asked (no forwarding or saving).
    pub protect_content: bool,
}

impl Sent {
    /// The inline keyboard as rows of (label, callback data).
    pub fn buttons(&self) -> Vec<Vec<(String, String)>> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        rows.iter()
            .map(|row| {
                row.as_array()
                    .map(|buttons| {
                        buttons
                            .iter()
                            .map(|b| {
                                (
                                    b["text"].as_str().unwrap_or_default().to_string(),
                                    b["callback_data"].as_str().unwrap_or_default().to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect()
    }

    pub fn labels(&self) -> Vec<Vec<String>> {
        self.buttons()
            .into_iter()
            .map(|row| row.into_iter().map(|(label, _)| label).collect())
            .collect()
    }

    /// The callback data of the button labelled `label`.
    pub fn data_of(&self, label: &str) -> Option<String> {
        self.buttons()
            .into_iter()
            .flatten()
            .find(|(l, _)| l == label)
            .map(|(_, data)| data)
    }
}

/// How the next sendMessage call fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendFailure {
    /// 429 with `retry_after` seconds.
    TooManyRequests(u64),
    /// 500.
    ServerError,
    /// 403: the user blocked the bot.
    Blocked,
}

/// A setMyCommands call: the language (None = default) and (command, description) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commands {
    pub language_code: Option<String>,
    pub commands: Vec<(String, String)>,
}

/// A setWebhook call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub url: String,
    pub secret_token: Option<String>,
    pub allowed_updates: Vec<String>,
}

/// A deleteMessage call, and how many messages had been sent by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deleted {
    pub chat_id: i64,
    pub message_id: i64,
    pub sent_before: usize,
}

/// A getUpdates call: the offset asked for and how many messages had been sent by then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poll {
    pub offset: Option<i64>,
    pub sent_before: usize,
}

#[derive(Default)]
struct FakeState {
    updates: Mutex<Vec<Value>>,
    updates_ready: Notify,
    sent: Mutex<Vec<Sent>>,
    deleted: Mutex<Vec<Deleted>>,
    send_attempts: AtomicUsize,
    send_failures: Mutex<VecDeque<SendFailure>>,
    get_me_failures: AtomicUsize,
    get_me_calls: AtomicUsize,
    answered: Mutex<Vec<String>>,
    commands: Mutex<Vec<Commands>>,
    webhook: Mutex<Option<Webhook>>,
    delete_webhook_calls: AtomicUsize,
    polls: Mutex<Vec<Poll>>,
    next_message_id: AtomicI64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
    pub async fn start() -> FakeBotApi {
        let state = Arc::new(FakeState::default());
        let router = Router::new()
            .route("/{bot}/{method}", post(call))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake Bot API binds");
        let addr = listener.local_addr().expect("fake Bot API has an address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeBotApi {
            url: format!("http://{addr}"),
            state,
            task,
        }
    }

    /// The base URL to put in `TELEGRAM_API_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Queues updates for getUpdates (all in one go, so one call can return them together).
    pub fn push_updates(&self, updates: Vec<Value>) {
        lock(&self.state.updates).extend(updates);
        self.state.updates_ready.notify_one();
    }

    pub fn fail_get_me(&self, times: usize) {
        self.state.get_me_failures.store(times, Ordering::SeqCst);
    }

    pub fn fail_next_send(&self, failure: SendFailure) {
        lock(&self.state.send_failures).push_back(failure);
    }

    pub fn sent(&self) -> Vec<Sent> {
        lock(&self.state.sent).clone()
    }

    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.chat_id == chat_id)
            .collect()
    }

    /// Every deleteMessage call, oldest first.
    pub fn deleted(&self) -> Vec<Deleted> {
        lock(&self.state.deleted).clone()
    }

    pub fn deleted_in(&self, chat_id: i64) -> Vec<Deleted> {
        self.deleted()
            .into_iter()
            .filter(|d| d.chat_id == chat_id)
            .collect()
    }

    pub fn send_attempts(&self) -> usize {
        self.state.send_attempts.load(Ordering::SeqCst)
    }

    pub fn get_me_calls(&self) -> usize {
        self.state.get_me_calls.load(Ordering::SeqCst)
    }

    pub fn answered_callbacks(&self) -> Vec<String> {
        lock(&self.state.answered).clone()
    }

    pub fn commands(&self) -> Vec<Commands> {
        lock(&self.state.commands).clone()
    }

    pub fn webhook(&self) -> Option<Webhook> {
        lock(&self.state.webhook).clone()
    }

    pub fn delete_webhook_calls(&self) -> usize {
        self.state.delete_webhook_calls.load(Ordering::SeqCst)
    }

    pub fn polls(&self) -> Vec<Poll> {
        lock(&self.state.polls).clone()
    }

    /// Waits until `check` holds; panics with `what` if it does not within the patience.
    pub async fn wait_until(&self, what: &str, check: impl Fn(&FakeBotApi) -> bool) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !check(self) {
            if tokio::time::Instant::now() >= deadline {
                panic!("gave up waiting: {what}");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits until at least `count` messages went to `chat_id` and returns them all.
    pub async fn wait_for_sent_to(&self, chat_id: i64, count: usize) -> Vec<Sent> {
        self.wait_until(&format!("{count} message(s) to chat {chat_id}"), |fake| {
            fake.sent_to(chat_id).len() >= count
        })
        .await;
        self.sent_to(chat_id)
    }
}

// ------------------------------------------------------------------------ updates to queue

fn user(user_id: i64, language_code: &str) -> Value {
    json!({"id": user_id, "is_bot": false, "first_name": "Тест", "language_code": language_code})
}

fn private_chat(chat_id: i64) -> Value {
    json!({"id": chat_id, "type": "private", "first_name": "Тест"})
}

/// A text message from a private chat (the user's id equals the chat's, as in Telegram).
pub fn text_update(update_id: u32, chat_id: i64, text: &str, language_code: &str) -> Value {
    json!({
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_772_445_600,
            "chat": private_chat(chat_id),
            "from": user(chat_id, language_code),
            "text": text,
        }
    })
}

/// A press of an inline button carrying `data` under a message of the bot.
pub fn callback_update(
    update_id: u32,
    chat_id: i64,
    query_id: &str,
    data: &str,
    language_code: &str,
) -> Value {
    json!({
        "update_id": update_id,
        "callback_query": {
            "id": query_id,
            "from": user(chat_id, language_code),
            "chat_instance": "fake-instance",
            "data": data,
            "message": {
                "message_id": 1,
                "date": 1_772_445_600,
                "chat": private_chat(chat_id),
                "from": bot_user(),
                "text": "…",
            }
        }
    })
}

fn bot_user() -> Value {
    json!({"id": 123456789, "is_bot": true, "first_name": "Zeinet", "username": "zeinet_test_bot"})
}

// ------------------------------------------------------------------------------- the server

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn error(status: StatusCode, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let (Some(parameters), Some(map)) = (parameters, body.as_object_mut()) {
        map.insert("parameters".into(), parameters);
    }
    (status, axum::Json(body)).into_response()
}

async fn call(
    State(state): State<Arc<FakeState>>,
    Path((bot, method)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    if bot != format!("bot{TOKEN}") {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
    }
    let params: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(_) => return error(StatusCode::BAD_REQUEST, "Bad Request: invalid JSON", None),
        }
    };
    match method.to_ascii_lowercase().as_str() {
        "getme" => get_me(&state),
        "getupdates" => get_updates(&state, &params).await,
        "sendmessage" => send_message(&state, &params),
        "answercallbackquery" => {
            let id = params["callback_query_id"].as_str().unwrap_or_default();
            lock(&state.answered).push(id.to_string());
            ok(json!(true))
        }
        "setmycommands" => {
            let commands = params["commands"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|c| {
                            (
                                c["command"].as_str().unwrap_or_default().to_string(),
                                c["description"].as_str().unwrap_or_default().to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            lock(&state.commands).push(Commands {
                language_code: params["language_code"].as_str().map(str::to_string),
                commands,
            });
            ok(json!(true))
        }
        "deletewebhook" => {
            state.delete_webhook_calls.fetch_add(1, Ordering::SeqCst);
            ok(json!(true))
        }
        "setwebhook" => {
            let allowed_updates = params["allowed_updates"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .filter_map(|u| u.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            *lock(&state.webhook) = Some(Webhook {
                url: params["url"].as_str().unwrap_or_default().to_string(),
                secret_token: params["secret_token"].as_str().map(str::to_string),
                allowed_updates,
            });
            ok(json!(true))
        }
        "deletemessage" => delete_message(&state, &params),
        "getwebhookinfo" => {
            let url = lock(&state.webhook)
                .as_ref()
                .map(|w| w.url.clone())
                .unwrap_or_default();
            ok(json!({"url": url, "has_custom_certificate": false, "pending_update_count": 0}))
        }
        _ => error(StatusCode::NOT_FOUND, "Not Found", None),
    }
}

fn get_me(state: &FakeState) -> Response {
    state.get_me_calls.fetch_add(1, Ordering::SeqCst);
    let failing = state
        .get_me_failures
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            None,
        );
    }
    let mut me = bot_user();
    if let Some(map) = me.as_object_mut() {
        map.insert("can_join_groups".into(), json!(false));
        map.insert("can_read_all_group_messages".into(), json!(false));
        map.insert("supports_inline_queries".into(), json!(false));
        map.insert("can_connect_to_business".into(), json!(false));
        map.insert("has_main_web_app".into(), json!(false));
    }
    ok(me)
}

async fn get_updates(state: &FakeState, params: &Value) -> Response {
    let offset = params["offset"].as_i64();
    let limit = params["limit"].as_u64().unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(params["timeout"].as_u64().unwrap_or(0));
    lock(&state.polls).push(Poll {
        offset,
        sent_before: lock(&state.sent).len(),
    });
    let deadline = tokio::time::Instant::now() + timeout.min(EMPTY_POLL_WAIT);
    loop {
        {
            let mut queue = lock(&state.updates);
            // As Telegram: asking with an offset confirms (forgets) every earlier update.
            if let Some(offset) = offset {
                queue.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            }
            if !queue.is_empty() {
                let batch: Vec<Value> = queue.iter().take(limit).cloned().collect();
                return ok(Value::Array(batch));
            }
        }
        let now = tokio::time::Instant::now();
        if now >= deadline {
            return ok(json!([]));
        }
        let _ = tokio::time::timeout(deadline - now, state.updates_ready.notified()).await;
    }
}

fn send_message(state: &FakeState, params: &Value) -> Response {
    state.send_attempts.fetch_add(1, Ordering::SeqCst);
    let failure = lock(&state.send_failures).pop_front();
    match failure {
        Some(SendFailure::TooManyRequests(seconds)) => {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too Many Requests: retry after {seconds}"),
                Some(json!({"retry_after": seconds})),
            );
        }
        Some(SendFailure::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
                None,
            );
        }
        Some(SendFailure::Blocked) => {
            return error(
                StatusCode::FORBIDDEN,
                "Forbidden: bot was blocked by the user",
                None,
            );
        }
        None => {}
    }
    let Some(chat_id) = params["chat_id"].as_i64() else {
        return error(StatusCode::BAD_REQUEST, "Bad Request: chat not found", None);
    };
    let text = params["text"].as_str().unwrap_or_default().to_string();
    if text.trim().is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request: message text is empty",
            None,
        );
    }
    if text.chars().count() > 4096 {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request: message is too long",
            None,
        );
    }
    let reply_markup = params.get("reply_markup").cloned();
    lock(&state.sent).push(Sent {
        chat_id,
        text: text.clone(),
        reply_markup: reply_markup.clone(),
        protect_content: params["protect_content"].as_bool() == Some(true),
    });
    let message_id = state.next_message_id.fetch_add(1, Ordering::SeqCst) + 1;
    let mut message = json!({
        "message_id": message_id,
        "date": 1_772_445_600,
        "chat": private_chat(chat_id),
        "from": bot_user(),
        "text": text,
    });
    if let (Some(markup), Some(map)) = (reply_markup, message.as_object_mut()) {
        map.insert("reply_markup".into(), markup);
    }
    ok(message)
}

fn delete_message(state: &FakeState, params: &Value) -> Response {
    let (Some(chat_id), Some(message_id)) =
        (params["chat_id"].as_i64(), params["message_id"].as_i64())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request: message to delete not found",
            None,
        );
    };
    let sent_before = lock(&state.sent).len();
    lock(&state.deleted).push(Deleted {
        chat_id,
        message_id,
        sent_before,
    });
    ok(json!(true))
}
