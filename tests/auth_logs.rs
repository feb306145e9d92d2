//! No personal data in the logs: every log line of this test binary — every target, level
//! TRACE, the `log` records of the libraries included — is captured while the sign-in,
//! registration and recovery flows run in-process (`App.conversation.handle`, codes captured
//! by `CaptureSender`), including a failing SMS gateway. The captured text must hold none of
//! the IINs, phones (in any form), e-mails, passwords and codes that went through, and must not
//! be empty (the "one-time code not delivered" warning is there).
//!
//! Records: the demo registry on SQLite (or PostgreSQL with `TEST_DATABASE_URL`), the
//! in-process store (or Redis with `TEST_REDIS_URL`).

mod support;

use std::sync::Arc;

use chrono::Utc;
use support::log_capture::captured_logs;
use support::service::{Registry, fresh_chat_id, fresh_ephemeral};
use zeinet::app::App;
use zeinet::clock::FixedClock;
use zeinet::config::Config;
use zeinet::conversation::{ChatRef, Incoming, Outgoing};
use zeinet::demo::DemoPerson;
use zeinet::domain::Lang;
use zeinet::gateways::{CaptureSender, CodeSender, Delivery, DeliveryError};
use zeinet::i18n::Msg;

// ------------------------------------------------------------------------------ chatting

struct Env {
    app: Arc<App>,
    sms: CaptureSender,
    email: CaptureSender,
    registry: Registry,
}

impl Env {
    async fn new() -> Env {
        let registry = Registry::new().await;
        let sms = CaptureSender::new();
        let email = CaptureSender::new();
        let delivery = Delivery {
            sms: Some(Arc::new(sms.clone()) as Arc<dyn CodeSender>),
            email: Some(Arc::new(email.clone()) as Arc<dyn CodeSender>),
        };
        let config = Config::from_map(&Default::default()).expect("default config");
        let app = App::assemble(
            config,
            registry.db.clone(),
            fresh_ephemeral("auth-logs").await,
            Arc::new(FixedClock::new(Utc::now())),
            delivery,
        )
        .expect("app assembles");
        Env {
            app,
            sms,
            email,
            registry,
        }
    }

    fn chat(&self) -> Chat {
        let chat_id = fresh_chat_id();
        Chat {
            app: self.app.clone(),
            chat: ChatRef {
                chat_id,
                user_id: chat_id,
                language_code: Some("ru".into()),
            },
            last: Outgoing::default(),
        }
    }

    fn ru(&self, key: &str) -> String {
        self.app.i18n.get(Lang::Ru, key)
    }

    /// Every code sent so far, by SMS or e-mail.
    fn codes(&self) -> Vec<String> {
        self.sms
            .sent()
            .into_iter()
            .chain(self.email.sent())
            .map(|(_, message)| code_in(&message.body))
            .collect()
    }

    fn last_sms_code(&self) -> String {
        let (_, message) = self.sms.sent().pop().expect("an SMS was sent");
        code_in(&message.body)
    }

    fn last_email_code(&self) -> String {
        let (_, message) = self.email.sent().pop().expect("an e-mail was sent");
        code_in(&message.body)
    }
}

fn code_in(body: &str) -> String {
    body.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_string()
}

/// One private chat in Russian.
struct Chat {
    app: Arc<App>,
    chat: ChatRef,
    /// The bot's last answer (its buttons are the ones that can be pressed).
    last: Outgoing,
}

impl Chat {
    async fn send(&mut self, incoming: Incoming) -> String {
        let out = self
            .app
            .conversation
            .handle(&self.chat, incoming)
            .await
            .expect("the conversation answers");
        let text = out
            .messages
            .iter()
            .map(|m| m.text.as_str())
            .collect::<Vec<_>>()
            .join("\n---\n");
        if out.messages.iter().any(|m| !m.buttons.is_empty()) {
            self.last = out;
        }
        text
    }

    async fn says(&mut self, text: &str) -> String {
        self.send(Incoming::Text(text.to_string())).await
    }

    async fn presses(&mut self, label: &str) -> String {
        let data = self
            .last
            .messages
            .iter()
            .flat_map(|m| m.buttons.iter().flatten())
            .find(|b| b.label == label)
            .map(|b| b.data.clone())
            .unwrap_or_else(|| panic!("no button [{label}] on screen"));
        self.send(Incoming::Callback(data)).await
    }

    async fn starts_in_russian(&mut self) {
        self.says("/start").await;
        self.presses("Русский").await;
    }
}

fn demo(number: usize) -> DemoPerson {
    zeinet::demo::people()
        .into_iter()
        .find(|p| p.number == number)
        .unwrap_or_else(|| panic!("demo depositor #{number}"))
}

fn assert_has(reply: &str, expected: &str) {
    assert!(
        reply.contains(expected),
        "expected {expected:?} in the reply:\n{reply}"
    );
}

// ------------------------------------------------------------------------------ the test

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_reaches_the_logs_in_any_flow() {
    let logs = captured_logs();
    let env = Env::new().await;
    let phone_only = demo(1);
    let both = demo(2);
    let email_only = demo(3);
    let mut passwords: Vec<&str> = Vec::new();
    // Looks like an IIN, fails the checksum: what the user typed is not logged either.
    let typo_iin = "900314485488";

    // #1: registration by SMS, the gateway failing first; the Telegram phone shared.
    let mut a = env.chat();
    a.starts_in_russian().await;
    a.presses(&env.ru("menu-register")).await;
    assert_has(&a.says(typo_iin).await, &env.ru("iin-error-checksum"));
    env.sms.fail_next(
        1,
        DeliveryError::Unavailable("the SMS gateway answered HTTP 500".into()),
    );
    assert_has(
        &a.says(phone_only.iin.as_str()).await,
        &env.ru("code-delivery-failed"),
    );
    assert_has(
        &a.says(phone_only.iin.as_str()).await,
        &env.ru("code-enter"),
    );
    let phone = phone_only.phone.clone().expect("#1 has a phone");
    let shared = a
        .send(Incoming::Contact {
            phone: phone.e164().to_string(),
            user_id: Some(a.chat.user_id),
        })
        .await;
    assert_has(&shared, &env.ru("contact-matches"));
    assert_has(
        &a.says(&env.last_sms_code()).await,
        &env.ru("code-accepted"),
    );
    let first_password = "Jibek-Joly-77";
    passwords.push(first_password);
    a.says(first_password).await;
    assert_has(&a.says(first_password).await, &env.ru("password-set"));
    assert_has(&a.says("/sessions").await, &env.ru("sessions-prompt"));
    assert_has(&a.says("/logout").await, &env.ru("logged-out"));

    // #1: five wrong passwords lock password sign-in; sign-in by code still works.
    a.presses(&env.ru("menu-sign-in")).await;
    a.says(phone_only.iin.as_str()).await;
    let wrong = [
        "Wrong-Guess-01",
        "Wrong-Guess-02",
        "Wrong-Guess-03",
        "Wrong-Guess-04",
        "Wrong-Guess-05",
    ];
    let mut last = String::new();
    for guess in wrong {
        passwords.push(guess);
        last = a.says(guess).await;
    }
    let locked = env
        .app
        .i18n
        .render(Lang::Ru, &Msg::new("signin-locked").number("minutes", 15));
    assert_has(&last, &locked);
    assert_has(
        &a.presses(&env.ru("button-sign-in-by-code")).await,
        &env.ru("code-enter"),
    );
    assert_has(
        &a.says(&env.last_sms_code()).await,
        &env.ru("cabinet-prompt"),
    );
    assert_has(&a.says("/logout").await, &env.ru("logged-out"));

    // #1: recovery by SMS, then sign-in with the new password.
    a.presses(&env.ru("menu-forgot-password")).await;
    assert_has(
        &a.says(phone_only.iin.as_str()).await,
        &env.ru("code-enter"),
    );
    assert_has(
        &a.says(&env.last_sms_code()).await,
        &env.ru("code-accepted"),
    );
    let new_password = "Tau-Samal-2030";
    passwords.push(new_password);
    a.says(new_password).await;
    assert_has(&a.says(new_password).await, &env.ru("password-changed"));
    assert_has(&a.says("/logout").await, &env.ru("logged-out"));
    a.presses(&env.ru("menu-sign-in")).await;
    a.says(phone_only.iin.as_str()).await;
    assert_has(&a.says(new_password).await, &env.ru("cabinet-prompt"));
    assert_has(&a.says("/sessions").await, &env.ru("sessions-prompt"));

    // #3: registration by e-mail, logout, sign-in by password.
    let mut b = env.chat();
    b.starts_in_russian().await;
    b.presses(&env.ru("menu-register")).await;
    assert_has(
        &b.says(email_only.iin.as_str()).await,
        &env.ru("code-enter"),
    );
    assert_has(
        &b.says(&env.last_email_code()).await,
        &env.ru("code-accepted"),
    );
    let email_password = "Saryarqa-Dala-1985";
    passwords.push(email_password);
    b.says(email_password).await;
    assert_has(&b.says(email_password).await, &env.ru("password-set"));
    assert_has(&b.says("/logout").await, &env.ru("logged-out"));
    b.presses(&env.ru("menu-sign-in")).await;
    b.says(email_only.iin.as_str()).await;
    assert_has(&b.says(email_password).await, &env.ru("cabinet-prompt"));

    // #2: registration with the channel chosen (e-mail), a password that is refused first.
    let mut c = env.chat();
    c.starts_in_russian().await;
    c.presses(&env.ru("menu-register")).await;
    assert_has(
        &c.says(both.iin.as_str()).await,
        &env.ru("code-choose-channel"),
    );
    let email = both.email.clone().expect("#2 has an e-mail");
    let label = env.app.i18n.render(
        Lang::Ru,
        &Msg::new("button-channel-email").text("contact", email.masked()),
    );
    assert_has(&c.presses(&label).await, &env.ru("code-enter"));
    assert_has(
        &c.says(&env.last_email_code()).await,
        &env.ru("code-accepted"),
    );
    let birth = both.birth_date.format("%d.%m.%Y").to_string();
    passwords.push(both.iin.as_str());
    assert_has(
        &c.says(both.iin.as_str()).await,
        &env.ru("password-same-as-iin"),
    );
    let both_password = "Qarlygash-2024";
    passwords.push(both_password);
    c.says(both_password).await;
    assert_has(&c.says(both_password).await, &env.ru("password-set"));
    assert_has(&c.says("/logout").await, &env.ru("logged-out"));

    let codes = env.codes();
    assert_eq!(codes.len(), 5, "codes sent: 3 by SMS, 2 by e-mail");
    env.registry.cleanup().await;

    // ------------------------------------------------------------------ what was logged
    let text = logs.text();
    assert!(
        text.contains("one-time code not delivered"),
        "the delivery failure was not logged: is the capture working?\n{text}"
    );
    assert!(
        text.lines().count() > 20,
        "too little was captured:\n{text}"
    );

    let mut secrets: Vec<String> = vec![typo_iin.to_string(), birth];
    for person in [&phone_only, &both, &email_only] {
        secrets.push(person.iin.as_str().to_string());
        if let Some(phone) = &person.phone {
            // +7XXXXXXXXXX, 7XXXXXXXXXX and 8XXXXXXXXXX all contain the ten national digits.
            let national = phone.e164().trim_start_matches("+7").to_string();
            secrets.push(national.clone());
            secrets.push(format!(
                "{} {} {} {}",
                &national[..3],
                &national[3..6],
                &national[6..8],
                &national[8..]
            ));
        }
        if let Some(email) = &person.email {
            secrets.push(email.as_str().to_string());
            let local = email.as_str().split('@').next().unwrap_or_default();
            secrets.push(format!("{local}@"));
        }
    }
    secrets.extend(passwords.iter().map(|p| p.to_string()));
    // The TLS library dumps bytes as hex at TRACE: a secret in such a dump counts too.
    let lowercase = text.to_lowercase();
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "{secret:?} is in the logs:\n{}",
            lines_with(&text, secret)
        );
        let hex = hex::encode(secret.as_bytes());
        assert!(
            !lowercase.contains(&hex),
            "{secret:?} is in the logs as hex:\n{}",
            lines_with(&lowercase, &hex)
        );
    }
    // Codes are six digits: a match counts only as a whole number, not inside a longer one,
    // and not in sqlx's durations (`elapsed=2.076886ms`) or hex dumps, where digits line up
    // by chance.
    let numbers = digit_runs(&without_noise(&text));
    for code in &codes {
        assert!(
            !numbers.contains(code),
            "the code {code} is in the logs:\n{}",
            lines_with(&text, code)
        );
    }
    // No IIN-sized number at all, whoever it belongs to.
    if let Some(number) = numbers.iter().find(|n| n.len() == 12) {
        panic!(
            "a 12-digit number is in the logs:\n{}",
            lines_with(&text, number)
        );
    }
}

fn digit_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text without the `elapsed=…` fields of sqlx's query lines and without hex dumps
/// (a run of 16 or more hexadecimal digits with a letter among them).
fn without_noise(text: &str) -> String {
    let is_hex_dump = |token: &str| {
        let token = token.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        token.len() >= 16
            && token.chars().all(|c| c.is_ascii_hexdigit())
            && token.chars().any(|c| c.is_ascii_alphabetic())
    };
    text.split_whitespace()
        .filter(|token| !token.starts_with("elapsed") && !is_hex_dump(token))
        .collect::<Vec<_>>()
        .join(" ")
}

fn lines_with(text: &str, needle: &str) -> String {
    text.lines()
        .filter(|line| line.contains(needle))
        .take(5)
        .collect::<Vec<_>>()
        .join("\n")
}
