//! Sign-in load: while 20 chats sign in with IIN + password at once (argon2id hashing on the
//! blocking pool), how fast do other chats get their menu replies? Also the cost of one
//! argon2id verification. Figures go to docs/benchmarks.md.
//!
//! Run: `cargo bench --bench signin_load` (release build; embedded stores, demo registry).

use std::sync::Arc;
use std::time::{Duration, Instant};

use zeinet::app::App;
use zeinet::clock::SystemClock;
use zeinet::config::Config;
use zeinet::conversation::{ChatRef, Incoming};
use zeinet::domain::{Iin, Lang, NewPassword};
use zeinet::ephemeral::Ephemeral;
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::gateways::capture::CaptureSender;
use zeinet::gateways::{CodeSender, Delivery};
use zeinet::services::auth::{Channel, CodeCheck, CodePurpose, ContactsLookup};
use zeinet::services::passwords::PasswordHasher;
use zeinet::store::Db;

const SIGNING_IN: usize = 20;
const ROUNDS: usize = 5;
const PASSWORD: &str = "Bench-Password-2026";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn chat(id: i64) -> ChatRef {
    ChatRef {
        chat_id: id,
        user_id: id,
        language_code: Some("ru".into()),
    }
}

async fn say(app: &App, chat: &ChatRef, text: &str) -> Duration {
    let started = Instant::now();
    app.conversation
        .handle(chat, Incoming::Text(text.into()))
        .await
        .expect("conversation answers");
    started.elapsed()
}

async fn press(app: &App, chat: &ChatRef, label: &str, last: &zeinet::conversation::Outgoing) {
    let data = last
        .messages
        .iter()
        .flat_map(|m| m.buttons.iter().flatten())
        .find(|b| b.label == label)
        .map(|b| b.data.clone())
        .unwrap_or_else(|| panic!("no button {label}"));
    app.conversation
        .handle(chat, Incoming::Callback(data))
        .await
        .expect("conversation answers");
}

/// Registers a demo depositor the way a person would (one-time code), from a setup chat.
/// `false` when the registry refuses this depositor a code (no contact, or a shared one).
async fn give_password(app: &App, capture: &CaptureSender, iin: &Iin, setup_chat: i64) -> bool {
    let auth = &app.auth;
    let channel = match auth
        .contacts_for(CodePurpose::Registration, iin)
        .await
        .expect("lookup")
    {
        ContactsLookup::Contacts { phone: Some(_), .. } => Channel::Sms,
        ContactsLookup::Contacts { email: Some(_), .. } => Channel::Email,
        _ => return false,
    };
    auth.send_code(
        CodePurpose::Registration,
        iin,
        setup_chat,
        channel,
        Lang::Ru,
    )
    .await
    .expect("code sent");
    let body = capture.sent().last().expect("captured").1.body.clone();
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("a code")
        .to_string();
    assert_eq!(
        auth.check_code(CodePurpose::Registration, iin, setup_chat, &code)
            .await
            .expect("check"),
        CodeCheck::Valid
    );
    let password = NewPassword::parse(PASSWORD, iin).expect("strong enough");
    let login = auth
        .set_password(iin, &password, setup_chat)
        .await
        .expect("password set");
    auth.logout(login.login_id).await.expect("logout");
    true
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url).await.expect("sqlite");
    db.migrate().await.expect("migrate");
    let today = chrono::Utc::now();
    zeinet::demo::seed(&db, today.date_naive(), today.timestamp_millis())
        .await
        .expect("seed");
    let capture = Arc::new(CaptureSender::new());
    let delivery = Delivery {
        sms: Some(capture.clone() as Arc<dyn CodeSender>),
        email: Some(capture.clone() as Arc<dyn CodeSender>),
    };
    // Limits far above the load, so the benchmark measures work, not refusals.
    let vars = [
        ("OTP_PER_HOUR", "100"),
        ("OTP_RESEND_SECONDS", "0"),
        ("SIGN_IN_SLOW_AFTER_IINS", "1000"),
        ("SIGN_IN_REFUSE_AFTER_IINS", "1000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let config = Config::from_map(&vars).expect("config");
    let app = App::assemble(
        config,
        db,
        Arc::new(MemoryStore::new()) as Arc<dyn Ephemeral>,
        Arc::new(SystemClock),
        delivery,
    )
    .expect("app");

    // Depositors with a contact, each given the bench password.
    let mut people: Vec<Iin> = Vec::new();
    for (n, person) in zeinet::demo::people().into_iter().enumerate() {
        if people.len() < SIGNING_IN
            && give_password(&app, &capture, &person.iin, 900_000 + n as i64).await
        {
            people.push(person.iin);
        }
    }
    assert_eq!(
        people.len(),
        SIGNING_IN,
        "enough demo depositors can register"
    );

    // 1. One argon2id verification (m = 19 MiB, t = 2, p = 1), alone.
    let hasher = PasswordHasher::new();
    let hash = hasher.hash(PASSWORD).await.expect("hash");
    let mut verify = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        assert!(hasher.verify(PASSWORD, Some(&hash)).await.expect("verify"));
        verify.push(started.elapsed());
    }
    verify.sort();

    // 2. Menu replies with nothing else going on.
    let idle_chat = chat(1);
    say(&app, &idle_chat, "/start").await;
    say(&app, &idle_chat, "русский").await;
    let mut quiet = Vec::new();
    for _ in 0..200 {
        quiet.push(say(&app, &idle_chat, "/menu").await);
    }
    quiet.sort();

    // 3. Menu replies while 20 chats sign in at once, round after round.
    let app_for_load = app.clone();
    let people_for_load = people.clone();
    let started = Instant::now();
    let load = tokio::spawn(async move {
        let mut signed_in = 0usize;
        for round in 0..ROUNDS {
            let mut tasks = Vec::new();
            for (n, iin) in people_for_load.iter().enumerate() {
                let app = app_for_load.clone();
                let iin = iin.as_str().to_string();
                let id = 100_000 + (round * 1000 + n) as i64;
                tasks.push(tokio::spawn(async move {
                    let c = chat(id);
                    say(&app, &c, "/start").await;
                    say(&app, &c, "русский").await;
                    let menu = app
                        .conversation
                        .handle(&c, Incoming::Text("/menu".into()))
                        .await
                        .expect("menu");
                    press(&app, &c, "Войти", &menu).await;
                    say(&app, &c, &iin).await;
                    let out = app
                        .conversation
                        .handle(&c, Incoming::Text(PASSWORD.into()))
                        .await
                        .expect("password step");
                    out.messages
                        .iter()
                        .any(|m| m.text.contains("Личный кабинет"))
                }));
            }
            for task in tasks {
                if task.await.expect("task") {
                    signed_in += 1;
                }
            }
        }
        signed_in
    });
    let mut loaded = Vec::new();
    let menu_chats: Vec<ChatRef> = (0..4).map(|n| chat(2 + n)).collect();
    for c in &menu_chats {
        say(&app, c, "/start").await;
        say(&app, c, "русский").await;
    }
    while !load.is_finished() {
        for c in &menu_chats {
            loaded.push(say(&app, c, "/menu").await);
        }
    }
    let signed_in = load.await.expect("load");
    let load_time = started.elapsed();
    loaded.sort();

    println!("## Sign-in load (cargo bench --bench signin_load)");
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!(
        "| argon2id verify (19 MiB, t=2, p=1), alone: p50 / max | {} / {} |",
        ms(percentile(&verify, 0.5)),
        ms(*verify.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| menu reply, no load: p50 / p99 ({} replies) | {} / {} |",
        quiet.len(),
        ms(percentile(&quiet, 0.5)),
        ms(percentile(&quiet, 0.99))
    );
    println!(
        "| menu reply while {SIGNING_IN} chats sign in at once: p50 / p99 / max ({} replies) | {} / {} / {} |",
        loaded.len(),
        ms(percentile(&loaded, 0.5)),
        ms(percentile(&loaded, 0.99)),
        ms(*loaded.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "| sign-ins completed | {signed_in} of {} in {:.2} s ({:.1}/s) |",
        SIGNING_IN * ROUNDS,
        load_time.as_secs_f64(),
        signed_in as f64 / load_time.as_secs_f64()
    );
    println!(
        "| machine | {} cores |",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
}
