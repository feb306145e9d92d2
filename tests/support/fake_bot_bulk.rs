//! A stand-in for the Bot API for bulk sending, started on 127.0.0.1:0.
//!
//! It records every sendMessage call with the instant it arrived and answers as told: 403 for
//! blocked chats, 500 for failing chats and at random (seeded), 429 with `retry_after` at
//! chosen calls. It also measures what Telegram would: the most calls that arrived within any
//! one second (a sliding window over arrival instants: for each call, the calls that arrived
//! less than a second after it), and the shortest gap between two calls to one chat. It also
//! answers what `zeinet serve` asks at start-up (getMe, setMyCommands, deleteWebhook) and
//! long polls (getUpdates, always empty).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// The token the fake accepts.
pub const TOKEN: &str = "123456789:TEST-fake_token_part";

/// How the fake answers sendMessage.
#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Always 403 ("bot was blocked by the user").
    pub blocked: HashSet<i64>,
    /// Always 500.
    pub failing: HashSet<i64>,
    /// Share of the other calls answered 500, drawn from `seed`.
    pub server_error_rate: f64,
    pub seed: u64,
    /// Calls (counted from 1 over every sendMessage) answered 429, unless to a blocked chat.
    pub too_many_at: Vec<usize>,
    /// The `retry_after` of those answers, in seconds.
    pub retry_after: u64,
}

/// One sendMessage call.
#[derive(Debug, Clone)]
pub struct Call {
    pub chat_id: i64,
    pub at: Instant,
    /// The HTTP status answered.
    pub status: u16,
    pub text: String,
    pub paid: bool,
}

struct FakeState {
    behaviour: Behaviour,
    calls: Mutex<Vec<Call>>,
    rng: Mutex<StdRng>,
    next_message_id: AtomicI64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct FakeBulk {
    url: String,
    state: Arc<FakeState>,
    task: JoinHandle<()>,
}

impl Drop for FakeBulk {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeBulk {
    pub async fn start(behaviour: Behaviour) -> FakeBulk {
        let state = Arc::new(FakeState {
            rng: Mutex::new(StdRng::seed_from_u64(behaviour.seed)),
            behaviour,
            calls: Mutex::new(Vec::new()),
            next_message_id: AtomicI64::new(0),
        });
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
        FakeBulk {
            url: format!("http://{addr}"),
            state,
            task,
        }
    }

    /// The base URL for `TELEGRAM_API_URL`.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn calls(&self) -> Vec<Call> {
        lock(&self.state.calls).clone()
    }

    pub fn call_count(&self) -> usize {
        lock(&self.state.calls).len()
    }

    /// Calls answered 200.
    pub fn delivered_count(&self) -> usize {
        lock(&self.state.calls)
            .iter()
            .filter(|c| c.status == 200)
            .count()
    }

    /// Messages delivered (answered 200) per chat.
    pub fn delivered_per_chat(&self) -> HashMap<i64, usize> {
        let mut counts = HashMap::new();
        for call in lock(&self.state.calls).iter().filter(|c| c.status == 200) {
            *counts.entry(call.chat_id).or_insert(0) += 1;
        }
        counts
    }

    pub fn calls_to(&self, chat_id: i64) -> usize {
        lock(&self.state.calls)
            .iter()
            .filter(|c| c.chat_id == chat_id)
            .count()
    }

    pub fn calls_with_status(&self, status: u16) -> usize {
        lock(&self.state.calls)
            .iter()
            .filter(|c| c.status == status)
            .count()
    }

    /// The most calls that arrived within one second of each other (any status).
    pub fn max_calls_in_any_second(&self) -> usize {
        let mut times: Vec<Instant> = lock(&self.state.calls).iter().map(|c| c.at).collect();
        times.sort();
        max_in_window(&times, Duration::from_secs(1))
    }

    /// The shortest time between two calls to the same chat; `None` if no chat had two.
    pub fn min_gap_per_chat(&self) -> Option<Duration> {
        let mut by_chat: HashMap<i64, Vec<Instant>> = HashMap::new();
        for call in lock(&self.state.calls).iter() {
            by_chat.entry(call.chat_id).or_default().push(call.at);
        }
        by_chat
            .values_mut()
            .filter(|times| times.len() > 1)
            .filter_map(|times| {
                times.sort();
                times.windows(2).map(|w| w[1] - w[0]).min()
            })
            .min()
    }

    /// Waits until `check` holds; panics with `what` after `patience`.
    pub async fn wait_until(
        &self,
        what: &str,
        patience: Duration,
        check: impl Fn(&FakeBulk) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + patience;
        while !check(self) {
            if tokio::time::Instant::now() >= deadline {
                panic!("gave up waiting: {what}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The most instants of `sorted` inside any half-open window `[t, t + window)`.
pub fn max_in_window(sorted: &[Instant], window: Duration) -> usize {
    let mut best = 0;
    let mut end = 0;
    for (start, at) in sorted.iter().enumerate() {
        while end < sorted.len() && sorted[end] - *at < window {
            end += 1;
        }
        best = best.max(end - start);
    }
    best
}

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
    let at = Instant::now();
    if bot != format!("bot{TOKEN}") {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
    }
    let params: Value = serde_json::from_slice(&body).unwrap_or_else(|_| json!({}));
    match method.to_ascii_lowercase().as_str() {
        "sendmessage" => send_message(&state, &params, at),
        "getme" => ok(json!({
            "id": 123456789, "is_bot": true, "first_name": "Zeinet",
            "username": "zeinet_test_bot", "can_join_groups": false,
            "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "getupdates" => {
            let timeout = params["timeout"].as_u64().unwrap_or(0);
            let wait = Duration::from_secs(timeout).min(Duration::from_millis(250));
            tokio::time::sleep(wait).await;
            ok(json!([]))
        }
        "setmycommands"
        | "deletewebhook"
        | "setwebhook"
        | "deletemessage"
        | "answercallbackquery" => ok(json!(true)),
        _ => error(StatusCode::NOT_FOUND, "Not Found", None),
    }
}

fn send_message(state: &FakeState, params: &Value, at: Instant) -> Response {
    let Some(chat_id) = params["chat_id"].as_i64() else {
        return error(StatusCode::BAD_REQUEST, "Bad Request: chat not found", None);
    };
    let text = params["text"].as_str().unwrap_or_default().to_string();
    let paid = params["allow_paid_broadcast"].as_bool().unwrap_or(false);
    let behaviour = &state.behaviour;
    let mut calls = lock(&state.calls);
    let ordinal = calls.len() + 1;
    let status = if behaviour.blocked.contains(&chat_id) {
        403
    } else if behaviour.too_many_at.contains(&ordinal) {
        429
    } else if behaviour.failing.contains(&chat_id)
        || (behaviour.server_error_rate > 0.0
            && lock(&state.rng).random_bool(behaviour.server_error_rate.min(1.0)))
    {
        500
    } else {
        200
    };
    calls.push(Call {
        chat_id,
        at,
        status,
        text: text.clone(),
        paid,
    });
    drop(calls);
    match status {
        403 => error(
            StatusCode::FORBIDDEN,
            "Forbidden: bot was blocked by the user",
            None,
        ),
        429 => error(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too Many Requests: retry after {}", behaviour.retry_after),
            Some(json!({"retry_after": behaviour.retry_after})),
        ),
        500 => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            None,
        ),
        _ => {
            let message_id = state.next_message_id.fetch_add(1, Ordering::SeqCst) + 1;
            ok(json!({
                "message_id": message_id,
                "date": 1_772_445_600,
                "chat": {"id": chat_id, "type": "private", "first_name": "Тест"},
                "text": text,
            }))
        }
    }
}
