//! SIGTERM in the middle of a conversation: the real `zeinet serve` process stops taking
//! updates, finishes the one in flight (a code being sent through a slow SMS gateway), confirms
//! what it handled and exits cleanly; after a restart nothing is handled twice and the
//! conversation goes on.

#![cfg(unix)]

mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::fake_bot_api::{FakeBotApi, Sent, TOKEN, callback_update, text_update};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEMO_IIN: &str = "900314485487"; // demo #1, phone only
const OTP_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

fn zeinet(args: &[&str], env: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zeinet"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command
}

fn wait_for_exit(child: &mut Child, patience: Duration) -> std::process::ExitStatus {
    let until = Instant::now() + patience;
    loop {
        if let Some(status) = child.try_wait().expect("the process can be waited for") {
            return status;
        }
        assert!(Instant::now() < until, "the process did not stop in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn texts(sent: &[Sent]) -> Vec<String> {
    sent.iter().map(|s| s.text.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_update_in_flight_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = FakeBotApi::start().await;
    let sms = MockServer::start().await;
    // Slow, but within the SMS timeout: the code is still on its way when SIGTERM comes.
    Mock::given(method("POST"))
        .and(path("/service/message/sendsmsmessage"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"code":0,"data":{"messageId":"1"},"message":""}"#)
                .set_delay(Duration::from_millis(1500)),
        )
        .mount(&sms)
        .await;
    let env = vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
        ("TELEGRAM_API_URL", fake.url().to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("s.db").display()),
        ),
        ("OTP_KEY", OTP_KEY.to_string()),
        ("SMS_API_URL", sms.uri()),
        ("SMS_API_KEY", "test-key".to_string()),
        ("BIND_ADDR", "127.0.0.1:0".to_string()),
        ("OUTBOX_WORKERS", "0".to_string()),
    ];
    let seeded = zeinet(&["seed-demo"], &env)
        .status()
        .expect("seed-demo runs");
    assert!(seeded.success());

    let mut serve = zeinet(&["serve"], &env).spawn().expect("serve starts");
    let chat = 8_800_000_000 + i64::from(rand::random::<u16>());
    let mut update = 1 + rand::random::<u32>() % 1_000_000;
    let mut next_update = || {
        update += 1;
        update
    };
    fake.push_updates(vec![text_update(next_update(), chat, "/start", "ru")]);
    fake.wait_for_sent_to(chat, 1).await;
    fake.push_updates(vec![text_update(next_update(), chat, "русский", "ru")]);
    let menu = fake.wait_for_sent_to(chat, 2).await;
    let register = menu
        .last()
        .and_then(|m| {
            m.reply_markup.as_ref().and_then(|markup| {
                markup["inline_keyboard"]
                    .as_array()?
                    .iter()
                    .flat_map(|row| row.as_array().cloned().unwrap_or_default())
                    .find(|b| b["text"] == "Регистрация")
                    .and_then(|b| b["callback_data"].as_str().map(str::to_string))
            })
        })
        .expect("the menu has Регистрация");
    fake.push_updates(vec![callback_update(
        next_update(),
        chat,
        "q1",
        &register,
        "ru",
    )]);
    fake.wait_for_sent_to(chat, 3).await;

    // The IIN: its handling waits on the slow gateway; SIGTERM arrives meanwhile.
    fake.push_updates(vec![text_update(next_update(), chat, DEMO_IIN, "ru")]);
    let until = Instant::now() + Duration::from_secs(10);
    while sms.received_requests().await.unwrap_or_default().is_empty() {
        assert!(Instant::now() < until, "the SMS gateway was never asked");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // SAFETY: sending a signal to our own child process.
    let killed = unsafe { libc::kill(serve.id() as i32, libc::SIGTERM) };
    assert_eq!(killed, 0);
    let status = wait_for_exit(&mut serve, Duration::from_secs(20));
    assert!(status.success(), "a clean exit: {status:?}");
    let sent = fake.sent_to(chat);
    // The code-sent reply and the offer to share the phone.
    assert_eq!(
        sent.len(),
        5,
        "the update in flight was answered: {:?}",
        texts(&sent)
    );
    assert!(sent[3].text.contains("SMS"), "{:?}", texts(&sent));

    // Restarted: the handled update is not handled again, and the conversation goes on.
    let mut serve = zeinet(&["serve"], &env).spawn().expect("serve restarts");
    fake.push_updates(vec![text_update(next_update(), chat, "/help", "ru")]);
    let sent = fake.wait_for_sent_to(chat, 6).await;
    assert_eq!(sent.len(), 6, "{:?}", texts(&sent));
    assert!(
        sent[5].text.contains("/menu"),
        "help arrived: {:?}",
        texts(&sent)
    );
    assert_eq!(
        sms.received_requests().await.unwrap_or_default().len(),
        1,
        "the code was sent once"
    );
    // SAFETY: as above.
    unsafe { libc::kill(serve.id() as i32, libc::SIGTERM) };
    assert!(wait_for_exit(&mut serve, Duration::from_secs(20)).success());
}
