//! The Telegram transport and `serve`, end to end: the real service on a random port, a fake
//! Bot API (tests/support/fake_bot_api.rs) on another, and the embedded stores (temp SQLite
//! and the in-process store), or PostgreSQL / Redis when `TEST_DATABASE_URL` /
//! `TEST_REDIS_URL` are set (chat and update ids are random, Redis keys get a fresh prefix).
//! Waits are bounded by a patience limit; nothing asserts on timing.

mod support;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use support::fake_bot_api::{FakeBotApi, SendFailure, Sent, TOKEN, callback_update, text_update};
use zeinet::app::App;
use zeinet::channels::telegram::Tuning;
use zeinet::channels::telegram::send::{TEXT_LIMIT, split_text};
use zeinet::clock::SystemClock;
use zeinet::config::Config;
use zeinet::domain::Lang;
use zeinet::ephemeral::Ephemeral;
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::ephemeral::redis_store::RedisStore;
use zeinet::store::{self, Db};

/// These tests send no one-time codes.
fn no_delivery() -> zeinet::gateways::Delivery {
    zeinet::gateways::Delivery {
        sms: None,
        email: None,
    }
}

const SECRET: &str = "test-webhook-secret_42";
const PUBLIC_URL: &str = "https://bot.example.kz";

fn fast_tuning() -> Tuning {
    Tuning {
        poll_timeout: Duration::from_secs(1),
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        send_attempts: 4,
        max_retry_after: Duration::from_secs(5),
        max_concurrent: 8,
        request_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(5),
    }
}

/// A chat id no other test (or earlier run on a shared database) uses.
fn fresh_chat_id() -> i64 {
    1_000_000_000 + i64::from(rand::random::<u32>() % 1_000_000_000)
}

/// A starting update id; tests count up from it.
fn fresh_update_id() -> u32 {
    1 + rand::random::<u32>() % 1_000_000_000
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Polling,
    Webhook,
}

struct Service {
    app: Arc<App>,
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl Service {
    async fn start(fake: &FakeBotApi, mode: Mode) -> Service {
        Service::start_at(fake.url(), mode).await
    }

    async fn start_at(api_url: &str, mode: Mode) -> Service {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = std::env::var("TEST_DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("t.db").display()));
        let mut vars: HashMap<String, String> = [
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_API_URL", api_url),
            ("DATABASE_URL", database_url.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if mode == Mode::Webhook {
            vars.insert("PUBLIC_URL".into(), PUBLIC_URL.into());
            vars.insert("TELEGRAM_WEBHOOK_SECRET".into(), SECRET.into());
        }
        let config = Config::from_map(&vars).expect("test config");
        let db = Db::connect(&database_url).await.expect("database opens");
        db.migrate().await.expect("migrations apply");
        let ephemeral: Arc<dyn Ephemeral> = match std::env::var("TEST_REDIS_URL") {
            Ok(url) => {
                let prefix = format!("zeinet-telegram-test-{:08x}:", rand::random::<u32>());
                Arc::new(
                    RedisStore::connect(&url)
                        .await
                        .expect("Redis connects")
                        .with_prefix(&prefix),
                )
            }
            Err(_) => Arc::new(MemoryStore::new()),
        };
        let app = App::assemble(config, db, ephemeral, Arc::new(SystemClock), no_delivery())
            .expect("app");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("service binds");
        let addr = listener.local_addr().expect("service address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(zeinet::serve::run_with(
            app.clone(),
            listener,
            fast_tuning(),
            async move {
                let _ = stopped.await;
            },
        ));
        Service {
            app,
            addr,
            stop: Some(stop),
            task,
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Signals shutdown and checks the service returned cleanly.
    async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(Duration::from_secs(15), &mut self.task)
            .await
            .expect("serve returns after shutdown")
            .expect("serve task did not panic");
        assert!(result.is_ok(), "serve failed: {result:?}");
    }

    fn text(&self, lang: Lang, key: &str) -> String {
        self.app.i18n.get(lang, key)
    }

    async fn set_language(&self, chat_id: i64, lang: Lang) {
        store::chats::touch(&self.app.db, chat_id, chat_id, 0)
            .await
            .expect("chat recorded");
        store::chats::set_language(&self.app.db, chat_id, lang.code())
            .await
            .expect("language recorded");
    }

    async fn post_webhook(&self, secret: Option<&str>, body: String) -> u16 {
        self.post_webhook_answer(secret, body).await.0
    }

    /// The status and the body of the webhook's answer.
    async fn post_webhook_answer(&self, secret: Option<&str>, body: String) -> (u16, String) {
        let mut request = reqwest::Client::new()
            .post(self.url("/telegram/webhook"))
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let response = request.send().await.expect("webhook answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("the answer's body"))
    }
}

fn language_labels() -> Vec<String> {
    vec!["Қазақша".into(), "Русский".into(), "English".into()]
}

fn is_menu(service: &Service, lang: Lang, sent: &Sent) -> bool {
    sent.text.ends_with(&service.text(lang, "menu-prompt"))
        && sent
            .labels()
            .iter()
            .flatten()
            .any(|label| *label == service.text(lang, "menu-sign-in"))
}

// ------------------------------------------------------------------------------ polling

#[tokio::test]
async fn polling_start_shows_languages_and_a_button_press_shows_the_menu() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let chat = fresh_chat_id();
    let first = fresh_update_id();

    fake.push_updates(vec![text_update(first, chat, "/start", "kk")]);
    let sent = fake.wait_for_sent_to(chat, 1).await;
    assert_eq!(sent[0].text, service.text(Lang::Kk, "language-prompt"));
    assert_eq!(sent[0].labels(), vec![language_labels()]);

    let data = sent[0].data_of("Русский").expect("a Russian button");
    assert!(data.len() <= 64);
    fake.push_updates(vec![callback_update(
        first + 1,
        chat,
        "query-1",
        &data,
        "kk",
    )]);
    fake.wait_until("the menu in Russian", |f| {
        f.sent_to(chat)
            .iter()
            .any(|s| is_menu(&service, Lang::Ru, s))
    })
    .await;
    fake.wait_until("the callback query answered", |f| {
        f.answered_callbacks().contains(&"query-1".to_string())
    })
    .await;
    let record = store::chats::get(&service.app.db, chat)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.language.as_deref(), Some("ru"));
    assert!(
        fake.delete_webhook_calls() >= 1,
        "polling mode removes any webhook"
    );
    service.shutdown().await;
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let client = reqwest::Client::new();
    let health = client.get(service.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.text().await.unwrap(), "ok");
    let ready = client.get(service.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.text().await.unwrap(), "ok");
    // No webhook route in polling mode.
    let hook = client
        .post(service.url("/telegram/webhook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status().as_u16(), 404);
    service.shutdown().await;
}

#[tokio::test]
async fn start_up_waits_out_failing_get_me_and_sets_commands_in_every_language() {
    let fake = FakeBotApi::start().await;
    fake.fail_get_me(4);
    let service = Service::start(&fake, Mode::Polling).await;
    fake.wait_until("deleteWebhook after start-up", |f| {
        f.delete_webhook_calls() >= 1
    })
    .await;
    assert!(
        fake.get_me_calls() >= 5,
        "getMe called {} times",
        fake.get_me_calls()
    );

    let commands = fake.commands();
    for (code, lang) in [
        (Some("kk"), Lang::Kk),
        (Some("ru"), Lang::Ru),
        (Some("en"), Lang::En),
        (None, Lang::Kk),
    ] {
        let set = commands
            .iter()
            .find(|c| c.language_code.as_deref() == code)
            .unwrap_or_else(|| panic!("no setMyCommands for {code:?}"));
        let expected: Vec<(String, String)> = [
            ("start", "cmd-start"),
            ("menu", "cmd-menu"),
            ("help", "cmd-help"),
            ("language", "cmd-language"),
            ("cancel", "cmd-cancel"),
            ("sessions", "cmd-sessions"),
            ("logout", "cmd-logout"),
            ("verify", "cmd-verify"),
        ]
        .iter()
        .map(|(command, key)| (command.to_string(), service.text(lang, key)))
        .collect();
        assert_eq!(set.commands, expected, "commands for {code:?}");
    }

    // And the bot works once Telegram answers.
    let chat = fresh_chat_id();
    fake.push_updates(vec![text_update(fresh_update_id(), chat, "/start", "en")]);
    fake.wait_for_sent_to(chat, 1).await;
    service.shutdown().await;
}

// ------------------------------------------------------------------------------ sending

#[tokio::test]
async fn a_429_is_waited_out_and_the_message_still_delivered() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let chat = fresh_chat_id();
    fake.fail_next_send(SendFailure::TooManyRequests(1));
    fake.push_updates(vec![text_update(fresh_update_id(), chat, "/start", "ru")]);
    let sent = fake.wait_for_sent_to(chat, 1).await;
    assert_eq!(sent[0].text, service.text(Lang::Ru, "language-prompt"));
    assert_eq!(fake.send_attempts(), 2);
    service.shutdown().await;
}

#[tokio::test]
async fn a_500_is_retried_and_the_message_still_delivered() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let chat = fresh_chat_id();
    fake.fail_next_send(SendFailure::ServerError);
    fake.fail_next_send(SendFailure::ServerError);
    fake.push_updates(vec![text_update(fresh_update_id(), chat, "/start", "ru")]);
    let sent = fake.wait_for_sent_to(chat, 1).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(fake.send_attempts(), 3);
    service.shutdown().await;
}

#[tokio::test]
async fn a_403_marks_the_chat_unreachable_and_the_bot_goes_on() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let blocked = fresh_chat_id();
    let other = blocked + 1;
    let first = fresh_update_id();
    fake.fail_next_send(SendFailure::Blocked);
    fake.push_updates(vec![text_update(first, blocked, "/start", "kk")]);

    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let record = store::chats::get(&service.app.db, blocked).await.unwrap();
        if record.is_some_and(|r| r.unreachable) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "chat never marked unreachable"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(fake.sent_to(blocked).is_empty());
    assert_eq!(fake.send_attempts(), 1, "a 403 is not retried");

    fake.push_updates(vec![text_update(first + 1, other, "/start", "kk")]);
    fake.wait_for_sent_to(other, 1).await;
    service.shutdown().await;
}

#[test]
fn long_texts_split_into_parts_within_the_limit_that_join_back() {
    let line =
        "Қазақстанның бірыңғай жинақтаушы зейнетақы қоры — Единый накопительный пенсионный фонд.\n";
    let mut text = line.repeat(120);
    text.push_str(&"ә".repeat(5000));
    text.push('\n');
    text.push_str(&line.repeat(3));
    assert!(text.chars().count() > 3 * TEXT_LIMIT);

    let parts = split_text(&text, TEXT_LIMIT);
    assert!(parts.len() >= 4, "{} parts", parts.len());
    for part in &parts {
        assert!(
            part.chars().count() <= TEXT_LIMIT,
            "{} characters",
            part.chars().count()
        );
        assert!(!part.is_empty());
    }
    assert_eq!(parts.concat(), text);
    // Line breaks are preferred: the first part ends at a line's end.
    assert!(parts[0].ends_with('\n'));
    assert!(parts[0].chars().count() > TEXT_LIMIT - line.chars().count());
}

// ------------------------------------------------------------------------------ ordering

// Several worker threads, so that only the dispatcher's per-chat queue keeps the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_chats_batch_is_answered_in_order_and_confirmed_only_after() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let chat = fresh_chat_id();
    service.set_language(chat, Lang::Ru).await;
    let first = fresh_update_id();
    let commands = ["/help", "/menu", "/help", "/menu", "/help"];
    fake.push_updates(
        commands
            .iter()
            .enumerate()
            .map(|(i, c)| text_update(first + i as u32, chat, c, "ru"))
            .collect(),
    );
    let sent = fake.wait_for_sent_to(chat, 5).await;
    let help = service.text(Lang::Ru, "help-text");
    let menu = service.text(Lang::Ru, "menu-prompt");
    let texts: Vec<&str> = sent.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, [&help, &menu, &help, &menu, &help]);

    // The next getUpdates (which confirms the batch) came only after all five answers.
    let next_offset = i64::from(first) + 5;
    fake.wait_until("the batch confirmed", |f| {
        f.polls().iter().any(|p| p.offset == Some(next_offset))
    })
    .await;
    let confirm = fake
        .polls()
        .into_iter()
        .find(|p| p.offset == Some(next_offset))
        .unwrap();
    assert!(
        confirm.sent_before >= 5,
        "confirmed after {} answers",
        confirm.sent_before
    );
    service.shutdown().await;
}

// Several worker threads, so that only the dispatcher's per-chat queue keeps the order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_chats_interleaved_are_both_answered_each_in_order() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    let a = fresh_chat_id();
    let b = a + 1;
    service.set_language(a, Lang::Ru).await;
    service.set_language(b, Lang::Kk).await;
    let first = fresh_update_id();
    let mut updates = Vec::new();
    for (i, command) in ["/help", "/menu", "/help"].iter().enumerate() {
        let id = first + 2 * i as u32;
        updates.push(text_update(id, a, command, "ru"));
        updates.push(text_update(id + 1, b, command, "kk"));
    }
    fake.push_updates(updates);
    let to_a = fake.wait_for_sent_to(a, 3).await;
    let to_b = fake.wait_for_sent_to(b, 3).await;
    for (sent, lang) in [(to_a, Lang::Ru), (to_b, Lang::Kk)] {
        let help = service.text(lang, "help-text");
        let menu = service.text(lang, "menu-prompt");
        let texts: Vec<&str> = sent.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, [&help, &menu, &help]);
    }
    service.shutdown().await;
}

// ------------------------------------------------------------------------------ webhook

#[tokio::test]
async fn webhook_checks_the_secret_answers_after_handling_and_ignores_repeats() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Webhook).await;
    fake.wait_until("setWebhook", |f| f.webhook().is_some())
        .await;
    let webhook = fake.webhook().unwrap();
    assert_eq!(webhook.url, format!("{PUBLIC_URL}/telegram/webhook"));
    assert_eq!(webhook.secret_token.as_deref(), Some(SECRET));
    assert_eq!(webhook.allowed_updates, ["message", "callback_query"]);
    assert_eq!(fake.delete_webhook_calls(), 0);

    let chat = fresh_chat_id();
    let first = fresh_update_id();
    let start = text_update(first, chat, "/start", "kk").to_string();

    // Wrong or missing secret: 401 and nothing processed.
    assert_eq!(
        service
            .post_webhook(Some("wrong-secret"), start.clone())
            .await,
        401
    );
    assert_eq!(service.post_webhook(None, start.clone()).await, 401);
    assert_eq!(service.post_webhook(Some(""), start.clone()).await, 401);
    assert!(fake.sent_to(chat).is_empty());
    assert!(
        store::chats::get(&service.app.db, chat)
            .await
            .unwrap()
            .is_none()
    );

    // The right secret: 200 only once the reply has gone out.
    assert_eq!(service.post_webhook(Some(SECRET), start.clone()).await, 200);
    let sent = fake.sent_to(chat);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text, service.text(Lang::Kk, "language-prompt"));

    // The same update again (Telegram redelivering): handled once.
    assert_eq!(service.post_webhook(Some(SECRET), start).await, 200);
    assert_eq!(fake.sent_to(chat).len(), 1);

    // A button press: the menu is sent before the 200, and the query is answered in the 200
    // itself (Telegram executes a method call given as the webhook's answer).
    let data = sent[0].data_of("Қазақша").expect("a Kazakh button");
    let press = callback_update(first + 1, chat, "query-w", &data, "kk").to_string();
    let (status, body) = service
        .post_webhook_answer(Some(SECRET), press.clone())
        .await;
    assert_eq!(status, 200);
    assert!(
        fake.sent_to(chat)
            .iter()
            .any(|s| is_menu(&service, Lang::Kk, s))
    );
    let call: serde_json::Value = serde_json::from_str(&body).expect("a JSON call");
    assert_eq!(
        call,
        serde_json::json!({"method": "answerCallbackQuery", "callback_query_id": "query-w"})
    );
    assert!(
        !fake.answered_callbacks().contains(&"query-w".to_string()),
        "not also answered with a call"
    );
    // Redelivered: still answered (the spinner stops), still handled once.
    let menus = fake.sent_to(chat).len();
    let (status, body) = service.post_webhook_answer(Some(SECRET), press).await;
    assert_eq!((status, body.contains("query-w")), (200, true));
    assert_eq!(fake.sent_to(chat).len(), menus);
    // A text message's 200 has no body.
    let help = text_update(first + 2, chat, "/help", "kk").to_string();
    assert_eq!(
        service.post_webhook_answer(Some(SECRET), help).await,
        (200, String::new())
    );

    // A body that is no update: 200 (no redelivery of garbage) and nothing sent.
    let before = fake.sent().len();
    assert_eq!(
        service.post_webhook(Some(SECRET), "not json".into()).await,
        200
    );
    assert_eq!(
        service
            .post_webhook(Some(SECRET), r#"{"update_id":"x"}"#.into())
            .await,
        200
    );
    assert_eq!(fake.sent().len(), before);

    let ready = reqwest::get(service.url("/readyz")).await.unwrap();
    assert_eq!(ready.status().as_u16(), 200);
    service.shutdown().await;
}

#[tokio::test]
async fn webhook_answers_500_and_apologises_when_the_database_is_down() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Webhook).await;
    service.app.db.close().await;

    let ready = reqwest::get(service.url("/readyz")).await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    assert!(ready.text().await.unwrap().contains("database"));

    let chat = fresh_chat_id();
    let update = text_update(fresh_update_id(), chat, "/start", "ru").to_string();
    assert_eq!(
        service.post_webhook(Some(SECRET), update.clone()).await,
        500
    );
    let apology = service.text(Lang::Ru, "error-temporary");
    let texts: Vec<String> = fake.sent_to(chat).into_iter().map(|s| s.text).collect();
    assert_eq!(texts, [apology]);

    // The failed update was not recorded as handled: Telegram's redelivery is processed.
    assert_eq!(service.post_webhook(Some(SECRET), update).await, 500);
    assert_eq!(fake.sent_to(chat).len(), 2);

    // A button press that fails: Telegram ignores a 500's body, so the query is answered
    // with a call instead, and the spinner stops.
    let press = callback_update(fresh_update_id(), chat, "query-down", "1:0", "ru").to_string();
    let (status, body) = service.post_webhook_answer(Some(SECRET), press).await;
    assert_eq!((status, body.as_str()), (500, ""));
    fake.wait_until("the failed press answered", |f| {
        f.answered_callbacks().contains(&"query-down".to_string())
    })
    .await;
    service.shutdown().await;
}

#[tokio::test]
async fn polling_apologises_when_the_database_is_down_and_goes_on() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Polling).await;
    service.app.db.close().await;
    let chat = fresh_chat_id();
    let first = fresh_update_id();
    fake.push_updates(vec![text_update(first, chat, "/start", "en")]);
    let sent = fake.wait_for_sent_to(chat, 1).await;
    assert_eq!(sent[0].text, service.text(Lang::En, "error-temporary"));
    fake.push_updates(vec![text_update(first + 1, chat, "/menu", "en")]);
    fake.wait_for_sent_to(chat, 2).await;
    service.shutdown().await;
}

// ------------------------------------------------------------------------------ logging

/// On a single-threaded runtime every task logs to the subscriber set here.
#[tokio::test(flavor = "current_thread")]
async fn logs_never_show_the_token_or_what_users_wrote() {
    let captured = support::log_capture::Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_env_filter(tracing_subscriber::EnvFilter::new("zeinet=trace"))
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Telegram unreachable: getMe fails with connection errors.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let service = Service::start_at(&closed_url, Mode::Polling).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while captured.text().matches("getMe failed").count() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no getMe failures logged"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    service.shutdown().await;

    // Replies failing with 500 until given up, and a webhook body quoting personal data.
    let fake = FakeBotApi::start().await;
    let service = Service::start(&fake, Mode::Webhook).await;
    for _ in 0..fast_tuning().send_attempts {
        fake.fail_next_send(SendFailure::ServerError);
    }
    let marker = "880101300123";
    let chat = fresh_chat_id();
    let update = text_update(fresh_update_id(), chat, &format!("ЖСН {marker}"), "kk");
    assert_eq!(
        service.post_webhook(Some(SECRET), update.to_string()).await,
        200
    );
    let garbage = format!(r#"{{"update_id": "ЖСН {marker}"}}"#);
    assert_eq!(service.post_webhook(Some(SECRET), garbage).await, 200);
    service.shutdown().await;

    let text = captured.text();
    assert!(text.contains("reply not delivered"), "{text}");
    assert!(text.contains("webhook body is not an update"), "{text}");
    let secret_part = TOKEN.split(':').nth(1).unwrap();
    assert!(
        !text.contains(secret_part),
        "the token leaked into the logs"
    );
    assert!(
        !text.contains(marker),
        "what the user wrote leaked into the logs"
    );
}
