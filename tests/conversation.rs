//! The conversation runner against real stores: ordering under concurrency, failure of the
//! ephemeral store, persistence of the language, and a property test that drives the engine
//! with random input from every state.
//!
//! Runs on temp SQLite + the in-process store; on PostgreSQL / Redis too when
//! `TEST_DATABASE_URL` / `TEST_REDIS_URL` are set.

mod support;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use support::pg::TestDb;
use zeinet::app::App;
use zeinet::clock::FixedClock;
use zeinet::config::Config;
use zeinet::conversation::{ChatRef, Incoming, Outgoing};
use zeinet::dialogue::UnsupportedKind;
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::ephemeral::redis_store::RedisStore;
use zeinet::ephemeral::{Ephemeral, EphemeralError, Versioned};
use zeinet::store::Db;

struct Stores {
    db: Db,
    ephemeral: Arc<dyn Ephemeral>,
    test_db: TestDb,
}

async fn stores() -> Stores {
    let test_db = TestDb::new().await;
    let ephemeral: Arc<dyn Ephemeral> = match std::env::var("TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => Arc::new(
            RedisStore::connect(&url)
                .await
                .expect("redis connects")
                .with_prefix(&format!("zeinet-test-{}:", rand_suffix())),
        ),
        _ => Arc::new(MemoryStore::new()),
    };
    Stores {
        db: test_db.db.clone(),
        ephemeral,
        test_db,
    }
}

/// These tests send no one-time codes.
fn no_delivery() -> zeinet::gateways::Delivery {
    zeinet::gateways::Delivery {
        sms: None,
        email: None,
    }
}

fn rand_suffix() -> String {
    format!("{:x}", rand::random::<u64>())
}

/// Chat ids unique per run so PostgreSQL runs never meet each other's rows.
fn fresh_chat() -> ChatRef {
    let id = (rand::random::<u32>() as i64) + 1_000_000;
    ChatRef {
        chat_id: id,
        user_id: id,
        language_code: Some("ru".into()),
    }
}

fn app(stores: &Stores, clock: &FixedClock) -> Arc<App> {
    let config = Config::from_map(&Default::default()).expect("default config");
    App::assemble(
        config,
        stores.db.clone(),
        stores.ephemeral.clone(),
        Arc::new(clock.clone()),
        no_delivery(),
    )
    .expect("app assembles")
}

fn clock() -> FixedClock {
    FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap())
}

async fn session_seq(store: &dyn Ephemeral, chat: &ChatRef) -> u64 {
    let stored = store
        .get(&format!("session:{}", chat.chat_id))
        .await
        .expect("store answers")
        .expect("session exists");
    let json: serde_json::Value = serde_json::from_slice(&stored.value).expect("session is JSON");
    json["seq"].as_u64().expect("seq is a number")
}

fn all_buttons(out: &Outgoing) -> Vec<(String, String)> {
    out.messages
        .iter()
        .flat_map(|m| m.buttons.iter().flatten())
        .map(|b| (b.label.clone(), b.data.clone()))
        .collect()
}

#[tokio::test]
async fn two_engines_sharing_one_store_apply_every_message_of_a_chat() {
    let stores = stores().await;
    let clock = clock();
    let (a, b) = (app(&stores, &clock), app(&stores, &clock));
    let chat = fresh_chat();
    // Choose a language first so later messages are ordinary menu traffic.
    a.conversation
        .handle(&chat, Incoming::Text("/start".into()))
        .await
        .unwrap();
    a.conversation
        .handle(&chat, Incoming::Text("русский".into()))
        .await
        .unwrap();
    let before = session_seq(stores.ephemeral.as_ref(), &chat).await;

    let rounds = 20;
    for _ in 0..rounds {
        let (ra, rb) = tokio::join!(
            a.conversation.handle(&chat, Incoming::Text("/help".into())),
            b.conversation.handle(&chat, Incoming::Text("/menu".into())),
        );
        assert!(!ra.expect("first engine answers").messages.is_empty());
        assert!(!rb.expect("second engine answers").messages.is_empty());
    }
    let after = session_seq(stores.ephemeral.as_ref(), &chat).await;
    assert_eq!(
        after - before,
        2 * rounds,
        "every message was applied exactly once"
    );
    stores.test_db.cleanup().await;
}

/// /start in a new chat, then English: the answer to the language.
async fn start_in_english(app: &App, chat: &ChatRef) -> Outgoing {
    app.conversation
        .handle(chat, Incoming::Text("/start".into()))
        .await
        .unwrap();
    app.conversation
        .handle(chat, Incoming::Text("english".into()))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_chosen_language_outlives_the_session() {
    let stores = stores().await;
    let clock = clock();
    let app = app(&stores, &clock);
    let chat = fresh_chat();
    let out = start_in_english(&app, &chat).await;
    assert!(out.messages[0].text.contains("Main menu"));

    // The session store forgets the chat (a restart of the in-process store).
    stores
        .ephemeral
        .delete(&format!("session:{}", chat.chat_id))
        .await
        .unwrap();
    let out = app
        .conversation
        .handle(&chat, Incoming::Text("/start".into()))
        .await
        .unwrap();
    assert!(
        out.messages[0].text.contains("Main menu"),
        "no second language question: {:?}",
        out.messages[0].text
    );
    stores.test_db.cleanup().await;
}

/// An ephemeral store whose service is down.
struct DownStore;

#[async_trait]
impl Ephemeral for DownStore {
    async fn get(&self, _: &str) -> Result<Option<Versioned>, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn compare_and_set(
        &self,
        _: &str,
        _: Option<u64>,
        _: &[u8],
        _: Duration,
    ) -> Result<Option<u64>, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn delete(&self, _: &str) -> Result<(), EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn set_if_absent(&self, _: &str, _: &[u8], _: Duration) -> Result<bool, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn delete_if_equals(&self, _: &str, _: &[u8]) -> Result<bool, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn increment(&self, _: &str, _: Duration) -> Result<u64, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn ttl(&self, _: &str) -> Result<Option<Duration>, EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
    async fn ping(&self) -> Result<(), EphemeralError> {
        Err(EphemeralError::Unavailable("down".into()))
    }
}

/// A session written by an earlier release in a form this one does not read (the states
/// were internally tagged) resets the chat to the menu with a word about it: no error, no
/// stale state, the chat's language kept.
#[tokio::test]
async fn a_session_in_an_old_form_resets_the_chat_to_the_menu() {
    let stores = stores().await;
    let clock = clock();
    let app = app(&stores, &clock);
    let chat = fresh_chat();
    start_in_english(&app, &chat).await;
    let key = format!("session:{}", chat.chat_id);
    let current = stores.ephemeral.get(&key).await.unwrap().expect("session");
    let mut old: serde_json::Value = serde_json::from_slice(&current.value).unwrap();
    old["state"] = serde_json::json!({"step": "forecast", "at": "sex"});
    stores
        .ephemeral
        .compare_and_set(
            &key,
            Some(current.version),
            &serde_json::to_vec(&old).unwrap(),
            Duration::from_secs(60),
        )
        .await
        .unwrap()
        .expect("replaced");

    let out = app
        .conversation
        .handle(&chat, Incoming::Text("14.03.1990".into()))
        .await
        .expect("an answer, not an error");
    let reset = app.i18n.get(zeinet::domain::Lang::En, "session-reset");
    assert!(
        out.messages[0].text.contains(&reset),
        "{:?}",
        out.messages[0].text
    );
    assert!(out.messages[0].text.contains("Main menu"));
    // Stored again in the current form: the next message goes on from the menu.
    let stored = stores.ephemeral.get(&key).await.unwrap().expect("session");
    let json: serde_json::Value = serde_json::from_slice(&stored.value).unwrap();
    assert_eq!(json["state"], serde_json::json!({"step": "menu"}));
    stores.test_db.cleanup().await;
}

#[tokio::test]
async fn a_down_session_store_gives_an_error_and_a_translated_answer() {
    let stores = stores().await;
    let config = Config::from_map(&Default::default()).unwrap();
    let app = App::assemble(
        config,
        stores.db.clone(),
        Arc::new(DownStore),
        Arc::new(clock()),
        no_delivery(),
    )
    .unwrap();
    let chat = fresh_chat();
    let result = app
        .conversation
        .handle(&chat, Incoming::Text("/start".into()))
        .await;
    assert!(result.is_err(), "nothing can be answered without sessions");
    let answer = app.conversation.temporary_failure(&chat);
    assert_eq!(answer.messages.len(), 1);
    assert!(
        answer.messages[0].text.contains("временно"),
        "{}",
        answer.messages[0].text
    );
    stores.test_db.cleanup().await;
}

/// One random thing a user might do.
#[derive(Debug, Clone)]
enum Act {
    Text(String),
    Command(&'static str),
    PressShown(usize),
    PressForged(String),
    Unsupported,
    Contact(bool),
    Wait(u32),
    Long,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        ".{0,40}".prop_map(Act::Text),
        prop::sample::select(vec![
            "/start",
            "/help",
            "/menu",
            "/cancel",
            "/language",
            "/lang",
            "/nope",
            "/",
            "/start@bot x"
        ])
        .prop_map(Act::Command),
        (0usize..12).prop_map(Act::PressShown),
        "[0-9a-f:]{0,20}|.{0,70}".prop_map(Act::PressForged),
        Just(Act::Unsupported),
        any::<bool>().prop_map(Act::Contact),
        (0u32..40).prop_map(Act::Wait),
        Just(Act::Long),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_input_from_any_state_gets_an_answer_and_keeps_a_valid_session(
        acts in prop::collection::vec(act(), 1..30),
        lang in prop::sample::select(vec![None, Some("kk"), Some("ru"), Some("en-GB"), Some("zz")]),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let stores = stores().await;
            let clock = clock();
            let app = app(&stores, &clock);
            let mut chat = fresh_chat();
            chat.language_code = lang.map(str::to_string);
            let mut shown: Vec<(String, String)> = Vec::new();
            for act in acts {
                let incoming = match act {
                    Act::Text(t) => Incoming::Text(t),
                    Act::Command(c) => Incoming::Text(c.to_string()),
                    Act::PressShown(i) if !shown.is_empty() => {
                        Incoming::Callback(shown[i % shown.len()].1.clone())
                    }
                    Act::PressShown(_) => Incoming::Callback("0:0".into()),
                    Act::PressForged(data) => Incoming::Callback(data),
                    Act::Unsupported => Incoming::Unsupported(UnsupportedKind::Sticker),
                    Act::Contact(own) => Incoming::Contact {
                        phone: "+77011234567".into(),
                        user_id: Some(if own { chat.user_id } else { 1 }),
                    },
                    Act::Wait(minutes) => {
                        clock.advance(chrono::Duration::minutes(minutes as i64));
                        continue;
                    }
                    Act::Long => Incoming::Text("ғ".repeat(5000)),
                };
                let out = app.conversation.handle(&chat, incoming).await.expect("always answers");
                prop_assert!(!out.messages.is_empty(), "every input gets an answer");
                for message in &out.messages {
                    prop_assert!(!message.text.trim().is_empty());
                    // A missing key renders as the key itself: none may reach a user.
                    prop_assert!(!message.text.starts_with("hint-") && !message.text.starts_with("menu-"));
                    for button in message.buttons.iter().flatten() {
                        prop_assert!(!button.data.is_empty() && button.data.len() <= 64);
                        prop_assert!(!button.label.is_empty());
                    }
                }
                let buttons = all_buttons(&out);
                if !buttons.is_empty() {
                    shown = buttons;
                }
                // The stored session still parses.
                let stored = stores.ephemeral.get(&format!("session:{}", chat.chat_id)).await.unwrap();
                let stored = stored.expect("a session exists after any input");
                let json: serde_json::Value = serde_json::from_slice(&stored.value).expect("session is JSON");
                prop_assert!(json.get("state").is_some());
            }
            stores.test_db.cleanup().await;
            Ok(())
        })?;
    }
}
