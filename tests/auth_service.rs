//! The sign-in service end to end on a real database (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`), an ephemeral store that can be switched off (in-process, or Redis with
//! `TEST_REDIS_URL`), a movable clock and a capturing code sender.

mod support;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{NaiveDate, TimeZone, Utc};
use futures::future::join_all;
use support::pg::TestDb;
use zeinet::clock::FixedClock;
use zeinet::config::Config;
use zeinet::domain::{Email, Iin, Lang, Money, NewPassword, Password, Phone, Sex};
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::ephemeral::redis_store::RedisStore;
use zeinet::ephemeral::{self, Ephemeral, EphemeralError, Versioned};
use zeinet::gateways::{CaptureSender, Delivery, DeliveryError, Destination, OutboundMessage};
use zeinet::i18n::{I18n, Msg};
use zeinet::services::auth::{
    AccountKind, AuthError, AuthService, AuthSettings, Channel, CodeCheck, CodePurpose,
    ContactsLookup, LoginState, PasswordSignIn, SendOutcome,
};
use zeinet::store::accounts::{self, NewAccount, NewOperation, OperationKind};
use zeinet::store::audit::{self, AuditEntry};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::{Db, chats, codes, credentials, password_locks};

const PASSWORD: &str = "taubatyrqaraqum";
const PHONE_A: &str = "+77781234567";
const EMAIL_A: &str = "aliya.sapar@mail.kz";
const SHARED_PHONE: &str = "+77011112233";

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

fn seconds(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

/// The `n`-th valid IIN of men born on 12 July 1979.
fn iin(n: u32) -> Iin {
    let birth = NaiveDate::from_ymd_opt(1979, 7, 12).expect("date");
    (1..10_000)
        .filter_map(|serial| Iin::from_parts(birth, Sex::Male, serial))
        .nth(n as usize)
        .expect("enough IINs")
}

/// Who is in the registry.
mod who {
    /// Phone and e-mail.
    pub const BOTH: u32 = 1;
    /// Phone only.
    pub const PHONE: u32 = 2;
    /// No contacts.
    pub const NONE: u32 = 3;
    /// These two share a phone number.
    pub const SHARED_1: u32 = 4;
    pub const SHARED_2: u32 = 5;
    /// E-mail only.
    pub const EMAIL: u32 = 6;
    /// Not in the registry.
    pub const UNKNOWN: u32 = 40;
}

/// An ephemeral store that can be "down": every call fails as an unreachable Redis would.
/// Over Redis when `TEST_REDIS_URL` is set (under a prefix of its own), in memory otherwise.
struct SwitchableStore {
    inner: Arc<dyn Ephemeral>,
    down: AtomicBool,
}

impl SwitchableStore {
    async fn new() -> SwitchableStore {
        let inner: Arc<dyn Ephemeral> = match std::env::var("TEST_REDIS_URL") {
            Ok(url) if !url.is_empty() => {
                let prefix = format!(
                    "test-auth-{}-{}:",
                    std::process::id(),
                    rand::random::<u64>()
                );
                Arc::new(
                    RedisStore::connect(&url)
                        .await
                        .expect("connect TEST_REDIS_URL")
                        .with_prefix(&prefix),
                )
            }
            _ => Arc::new(MemoryStore::new()),
        };
        SwitchableStore {
            inner,
            down: AtomicBool::new(false),
        }
    }

    fn check(&self) -> ephemeral::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            Err(EphemeralError::Unavailable(
                "switched off by the test".into(),
            ))
        } else {
            Ok(())
        }
    }
}

#[async_trait]
impl Ephemeral for SwitchableStore {
    async fn get(&self, key: &str) -> ephemeral::Result<Option<Versioned>> {
        self.check()?;
        self.inner.get(key).await
    }
    async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &[u8],
        ttl: Duration,
    ) -> ephemeral::Result<Option<u64>> {
        self.check()?;
        self.inner.compare_and_set(key, expected, value, ttl).await
    }
    async fn delete(&self, key: &str) -> ephemeral::Result<()> {
        self.check()?;
        self.inner.delete(key).await
    }
    async fn set_if_absent(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> ephemeral::Result<bool> {
        self.check()?;
        self.inner.set_if_absent(key, value, ttl).await
    }
    async fn delete_if_equals(&self, key: &str, value: &[u8]) -> ephemeral::Result<bool> {
        self.check()?;
        self.inner.delete_if_equals(key, value).await
    }
    async fn increment(&self, key: &str, ttl: Duration) -> ephemeral::Result<u64> {
        self.check()?;
        self.inner.increment(key, ttl).await
    }
    async fn ttl(&self, key: &str) -> ephemeral::Result<Option<Duration>> {
        self.check()?;
        self.inner.ttl(key).await
    }
    async fn ping(&self) -> ephemeral::Result<()> {
        self.check()
    }
}

struct Env {
    test_db: TestDb,
    db: Db,
    clock: FixedClock,
    sender: CaptureSender,
    store: Arc<SwitchableStore>,
    i18n: Arc<I18n>,
    auth: AuthService,
    depositor_ids: HashMap<u32, i64>,
}

impl Env {
    async fn new() -> Env {
        Env::with_settings(&[]).await
    }

    async fn with_settings(pairs: &[(&str, &str)]) -> Env {
        let test_db = TestDb::new().await;
        let db = test_db.db.clone();
        let start = Utc
            .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
            .single()
            .expect("time");
        let clock = FixedClock::new(start);
        let sender = CaptureSender::new();
        let store = Arc::new(SwitchableStore::new().await);
        let i18n = Arc::new(I18n::load().expect("locales"));
        let delivery = Delivery {
            sms: Some(Arc::new(sender.clone())),
            email: Some(Arc::new(sender.clone())),
        };
        let vars = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let config = Config::from_map(&vars).expect("config");
        let settings = AuthSettings::from_config(&config).expect("settings");
        let auth = AuthService::new(
            db.clone(),
            store.clone(),
            Arc::new(clock.clone()),
            i18n.clone(),
            delivery,
            settings,
        );
        let mut env = Env {
            test_db,
            db,
            clock,
            sender,
            store,
            i18n,
            auth,
            depositor_ids: HashMap::new(),
        };
        env.seed().await;
        env
    }

    async fn seed(&mut self) {
        let rows: [(u32, Option<&str>, Option<&str>); 6] = [
            (who::BOTH, Some(PHONE_A), Some(EMAIL_A)),
            (who::PHONE, Some("+77051234567"), None),
            (who::NONE, None, None),
            (who::SHARED_1, Some(SHARED_PHONE), Some("first@example.kz")),
            (who::SHARED_2, Some(SHARED_PHONE), None),
            (who::EMAIL, None, Some("only.mail@example.kz")),
        ];
        for (n, phone, email) in rows {
            let new = NewDepositor {
                iin: iin(n),
                last_name: "Сапарова".into(),
                first_name: "Әлия".into(),
                patronymic: Some("Маратқызы".into()),
                birth_date: NaiveDate::from_ymd_opt(1979, 7, 12).expect("date"),
                sex: Sex::Male,
                phone: phone.map(|p| Phone::parse(p).expect("phone")),
                email: email.map(|e| Email::parse(e).expect("email")),
                disability: None,
                created_at_ms: self.now_ms(),
            };
            let id = depositors::insert(&self.db, &new).await.expect("seed").id;
            self.depositor_ids.insert(n, id);
        }
    }

    fn id(&self, n: u32) -> i64 {
        self.depositor_ids[&n]
    }

    fn now_ms(&self) -> i64 {
        use zeinet::clock::Clock;
        self.clock.now_ms()
    }

    async fn send(&self, purpose: CodePurpose, n: u32, chat: i64) -> SendOutcome {
        self.auth
            .send_code(purpose, &iin(n), chat, Channel::Sms, Lang::Kk)
            .await
            .expect("send_code")
    }

    async fn check(&self, purpose: CodePurpose, n: u32, chat: i64, code: &str) -> CodeCheck {
        self.auth
            .check_code(purpose, &iin(n), chat, code)
            .await
            .expect("check_code")
    }

    /// The code in the last message the gateway accepted.
    fn last_code(&self) -> String {
        let (_, message) = self.sender.sent().pop().expect("a message was sent");
        code_in(&message)
    }

    /// Asks for a code, enters it: the chat is verified for `purpose`.
    async fn verify(&self, purpose: CodePurpose, n: u32, chat: i64) {
        assert!(matches!(
            self.send(purpose, n, chat).await,
            SendOutcome::Sent { .. }
        ));
        let code = self.last_code();
        assert_eq!(self.check(purpose, n, chat, &code).await, CodeCheck::Valid);
    }

    async fn register(&self, n: u32, chat: i64) -> i64 {
        self.verify(CodePurpose::Registration, n, chat).await;
        let password = NewPassword::parse(PASSWORD, &iin(n)).expect("acceptable password");
        self.auth
            .set_password(&iin(n), &password, chat)
            .await
            .expect("set_password")
            .login_id
    }

    async fn sign_in(&self, n: u32, password: &str, chat: i64) -> PasswordSignIn {
        self.auth
            .sign_in_with_password(&iin(n), &Password::new(password), chat)
            .await
            .expect("sign_in_with_password")
    }

    async fn audit(&self) -> Vec<AuditEntry> {
        audit::between(&self.db, 0, i64::MAX, None)
            .await
            .expect("audit")
    }

    async fn cleanup(self) {
        self.test_db.cleanup().await;
    }
}

/// The six-digit run in a message body.
fn code_in(message: &OutboundMessage) -> String {
    let digits: Vec<char> = message.body.chars().collect();
    digits
        .windows(6)
        .find(|w| w.iter().all(char::is_ascii_digit))
        .map(|w| w.iter().collect())
        .expect("a six-digit code in the body")
}

/// A wrong code that differs from `code`.
fn other_than(code: &str) -> String {
    if code == "000000" {
        "111111".into()
    } else {
        "000000".into()
    }
}

// ---------------------------------------------------------------------------------------------
// Contacts

#[tokio::test]
async fn contacts_are_shown_masked_and_shared_ones_refused() {
    let env = Env::new().await;
    let auth = &env.auth;
    let lookup = |n| async move {
        auth.contacts_for(CodePurpose::Registration, &iin(n))
            .await
            .expect("contacts_for")
    };
    assert_eq!(
        lookup(who::BOTH).await,
        ContactsLookup::Contacts {
            phone: Some("8778*****".into()),
            email: Some("al*****@ma****".into()),
        }
    );
    assert_eq!(
        lookup(who::PHONE).await,
        ContactsLookup::Contacts {
            phone: Some("8705*****".into()),
            email: None
        }
    );
    assert_eq!(lookup(who::NONE).await, ContactsLookup::NoContacts);
    assert_eq!(lookup(who::SHARED_1).await, ContactsLookup::Duplicate);
    assert_eq!(lookup(who::SHARED_2).await, ContactsLookup::Duplicate);
    assert_eq!(lookup(who::UNKNOWN).await, ContactsLookup::NotFound);
    for purpose in [CodePurpose::Recovery, CodePurpose::SignIn] {
        assert_eq!(
            env.auth
                .contacts_for(purpose, &iin(who::SHARED_1))
                .await
                .unwrap(),
            ContactsLookup::Duplicate
        );
    }
    // No code goes to a shared contact, a missing channel or an unknown IIN.
    for (n, channel) in [
        (who::SHARED_1, Channel::Sms),
        (who::PHONE, Channel::Email),
        (who::EMAIL, Channel::Sms),
        (who::NONE, Channel::Sms),
        (who::UNKNOWN, Channel::Sms),
    ] {
        let outcome = env
            .auth
            .send_code(CodePurpose::Registration, &iin(n), 1, channel, Lang::Ru)
            .await
            .unwrap();
        assert_eq!(outcome, SendOutcome::NoSuchChannel, "{n} {channel:?}");
    }
    assert_eq!(env.sender.attempts(), 0);
    env.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// Code lifecycle

#[tokio::test]
async fn a_code_carries_only_the_code_and_its_purpose_and_is_single_use() {
    let env = Env::new().await;
    let outcome = env
        .auth
        .send_code(
            CodePurpose::Registration,
            &iin(who::BOTH),
            1,
            Channel::Email,
            Lang::Kk,
        )
        .await
        .unwrap();
    assert_eq!(
        outcome,
        SendOutcome::Sent {
            channel: Channel::Email,
            masked: "al*****@ma****".into()
        }
    );
    let sent = env.sender.sent();
    assert_eq!(sent.len(), 1);
    let (to, message) = &sent[0];
    assert_eq!(to, &Destination::Email(Email::parse(EMAIL_A).unwrap()));
    let code = code_in(message);
    let expected = env.i18n.render(
        Lang::Kk,
        &Msg::new("code-message-registration")
            .text("code", code.clone())
            .number("minutes", 15),
    );
    assert_eq!(message.body, expected);
    assert!(message.body.contains("тіркелу"), "{}", message.body);
    assert_eq!(
        message.subject,
        env.i18n.get(Lang::Kk, "code-message-subject")
    );
    let who = iin(who::BOTH);
    for secret in [who.as_str(), &who.as_str()[8..], "Сапарова", "Әлия"] {
        assert!(!message.body.contains(secret), "body leaks {secret}");
        assert!(!message.subject.contains(secret));
    }
    // The stored row holds a MAC, never the code.
    let row = codes::current(&env.db, &who, CodePurpose::Registration, 1)
        .await
        .unwrap()
        .expect("row");
    assert!(!row.code_mac.contains(&code));

    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 1, &other_than(&code))
            .await,
        CodeCheck::Wrong { attempts_left: 4 }
    );
    let spaced = format!(" {} {} ", &code[..3], &code[3..]);
    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 1, &spaced)
            .await,
        CodeCheck::Valid
    );
    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 1, &code)
            .await,
        CodeCheck::NoCode,
        "single use"
    );

    let audit = env.audit().await;
    let sent_row = audit
        .iter()
        .find(|e| e.action == "code_sent")
        .expect("code_sent audited");
    assert_eq!(sent_row.subject.as_deref(), Some(who.masked().as_str()));
    assert_eq!(sent_row.chat_id, Some(1));
    assert!(sent_row.details.as_deref().unwrap_or("").contains("email"));
    assert_no_secrets(&audit, &[who.as_str(), &code, &row.code_mac]);
    env.cleanup().await;
}

#[tokio::test]
async fn every_purpose_has_its_own_text_in_every_language() {
    let env = Env::new().await;
    let cases = [
        (CodePurpose::Registration, Lang::Ru, "регистрации"),
        (CodePurpose::Recovery, Lang::En, "recovery"),
        (CodePurpose::SignIn, Lang::Kk, "кіруге"),
    ];
    for (purpose, lang, word) in cases {
        let outcome = env
            .auth
            .send_code(purpose, &iin(who::BOTH), 1, Channel::Sms, lang)
            .await
            .unwrap();
        assert!(matches!(outcome, SendOutcome::Sent { .. }), "{outcome:?}");
        let (_, message) = env.sender.sent().pop().unwrap();
        assert!(message.body.contains(word), "{}", message.body);
        assert!(message.body.contains("15"), "{}", message.body);
        env.clock.advance(seconds(61));
    }
    env.cleanup().await;
}

#[tokio::test]
async fn a_code_lives_fifteen_minutes() {
    let env = Env::new().await;
    env.send(CodePurpose::Recovery, who::BOTH, 1).await;
    let code = env.last_code();
    env.clock.advance(minutes(15));
    assert_eq!(
        env.check(CodePurpose::Recovery, who::BOTH, 1, &code).await,
        CodeCheck::Valid,
        "still valid at exactly 15 minutes"
    );

    env.send(CodePurpose::Recovery, who::BOTH, 1).await;
    let code = env.last_code();
    env.clock.advance(minutes(15) + seconds(1));
    assert_eq!(
        env.check(CodePurpose::Recovery, who::BOTH, 1, &code).await,
        CodeCheck::Expired
    );
    env.cleanup().await;
}

#[tokio::test]
async fn a_ten_minute_lifetime_is_a_setting() {
    let env = Env::with_settings(&[("OTP_TTL_MINUTES", "10")]).await;
    env.send(CodePurpose::SignIn, who::BOTH, 1).await;
    let (_, message) = env.sender.sent().pop().unwrap();
    assert!(message.body.contains("10 минут"), "{}", message.body);
    env.clock.advance(minutes(10) + seconds(1));
    assert_eq!(
        env.check(CodePurpose::SignIn, who::BOTH, 1, &code_in(&message))
            .await,
        CodeCheck::Expired
    );
    env.cleanup().await;
}

#[tokio::test]
async fn five_wrong_entries_kill_the_code() {
    let env = Env::new().await;
    env.send(CodePurpose::SignIn, who::PHONE, 1).await;
    let code = env.last_code();
    let wrong = other_than(&code);
    for left in [4, 3, 2, 1] {
        assert_eq!(
            env.check(CodePurpose::SignIn, who::PHONE, 1, &wrong).await,
            CodeCheck::Wrong {
                attempts_left: left
            }
        );
    }
    // Malformed entries count as wrong too.
    assert_eq!(
        env.check(CodePurpose::SignIn, who::PHONE, 1, "12ab").await,
        CodeCheck::TooManyAttempts
    );
    assert_eq!(
        env.check(CodePurpose::SignIn, who::PHONE, 1, &code).await,
        CodeCheck::TooManyAttempts,
        "dead even for the right code"
    );
    // A new code works again.
    env.clock.advance(seconds(60));
    env.send(CodePurpose::SignIn, who::PHONE, 1).await;
    let fresh = env.last_code();
    assert_eq!(
        env.check(CodePurpose::SignIn, who::PHONE, 1, &fresh).await,
        CodeCheck::Valid
    );
    env.cleanup().await;
}

#[tokio::test]
async fn fifty_parallel_guesses_are_counted_five_times_and_never_succeed() {
    let env = Env::new().await;
    env.send(CodePurpose::SignIn, who::PHONE, 1).await;
    let code = env.last_code();
    let wrong = other_than(&code);
    let results = join_all((0..50).map(|_| {
        let auth = env.auth.clone();
        let wrong = wrong.clone();
        tokio::spawn(async move {
            auth.check_code(CodePurpose::SignIn, &iin(who::PHONE), 1, &wrong)
                .await
        })
    }))
    .await;
    let checks: Vec<CodeCheck> = results
        .into_iter()
        .map(|r| r.expect("task").expect("check"))
        .collect();
    let wrong_answers = checks
        .iter()
        .filter(|c| matches!(c, CodeCheck::Wrong { .. }))
        .count();
    assert_eq!(wrong_answers, 4);
    assert!(checks.iter().all(|c| *c != CodeCheck::Valid));
    assert_eq!(
        env.check(CodePurpose::SignIn, who::PHONE, 1, &code).await,
        CodeCheck::TooManyAttempts
    );
    env.cleanup().await;
}

#[tokio::test]
async fn a_new_code_waits_a_minute_and_revokes_the_old_one() {
    let env = Env::new().await;
    env.send(CodePurpose::Registration, who::BOTH, 1).await;
    let old = env.last_code();
    assert_eq!(
        env.send(CodePurpose::Registration, who::BOTH, 1).await,
        SendOutcome::TooSoon { wait_secs: 60 }
    );
    env.clock.advance(seconds(45));
    assert_eq!(
        env.send(CodePurpose::Registration, who::BOTH, 1).await,
        SendOutcome::TooSoon { wait_secs: 15 }
    );
    // Another purpose is not held back.
    assert!(matches!(
        env.send(CodePurpose::Recovery, who::BOTH, 1).await,
        SendOutcome::Sent { .. }
    ));
    env.clock.advance(seconds(15));
    assert!(matches!(
        env.send(CodePurpose::Registration, who::BOTH, 1).await,
        SendOutcome::Sent { .. }
    ));
    let new = env.last_code();
    if old != new {
        assert_eq!(
            env.check(CodePurpose::Registration, who::BOTH, 1, &old)
                .await,
            CodeCheck::Wrong { attempts_left: 4 },
            "the old code is dead"
        );
    }
    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 1, &new)
            .await,
        CodeCheck::Valid
    );
    env.cleanup().await;
}

#[tokio::test]
async fn at_most_five_codes_an_hour_per_iin() {
    let env = Env::new().await;
    let purposes = [
        CodePurpose::Registration,
        CodePurpose::Recovery,
        CodePurpose::SignIn,
        CodePurpose::Registration,
        CodePurpose::Recovery,
    ];
    for purpose in purposes {
        assert!(matches!(
            env.send(purpose, who::BOTH, 1).await,
            SendOutcome::Sent { .. }
        ));
        env.clock.advance(seconds(61));
    }
    assert_eq!(
        env.send(CodePurpose::SignIn, who::BOTH, 1).await,
        SendOutcome::TooMany
    );
    // Another IIN has its own quota.
    assert!(matches!(
        env.send(CodePurpose::SignIn, who::PHONE, 1).await,
        SendOutcome::Sent { .. }
    ));
    // An hour after the first code, one more is allowed.
    env.clock
        .advance(minutes(60) - seconds(5 * 61) + seconds(1));
    assert!(matches!(
        env.send(CodePurpose::SignIn, who::BOTH, 1).await,
        SendOutcome::Sent { .. }
    ));
    env.cleanup().await;
}

#[tokio::test]
async fn a_code_is_bound_to_its_purpose_iin_and_chat() {
    let env = Env::new().await;
    env.send(CodePurpose::Registration, who::BOTH, 1).await;
    let registration = env.last_code();
    env.send(CodePurpose::Recovery, who::BOTH, 1).await;
    let recovery = env.last_code();
    if registration != recovery {
        assert_eq!(
            env.check(CodePurpose::Recovery, who::BOTH, 1, &registration)
                .await,
            CodeCheck::Wrong { attempts_left: 4 },
            "a registration code fails in recovery"
        );
    }
    assert_eq!(
        env.check(CodePurpose::SignIn, who::BOTH, 1, &registration)
            .await,
        CodeCheck::NoCode
    );
    assert_eq!(
        env.check(CodePurpose::Registration, who::PHONE, 1, &registration)
            .await,
        CodeCheck::NoCode,
        "a code for one IIN fails for another"
    );
    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 2, &registration)
            .await,
        CodeCheck::NoCode,
        "a code asked in one chat fails in another"
    );
    assert_eq!(
        env.check(CodePurpose::Registration, who::BOTH, 1, &registration)
            .await,
        CodeCheck::Valid
    );
    env.cleanup().await;
}

#[tokio::test]
async fn a_failed_delivery_consumes_nothing() {
    let env = Env::new().await;
    // A code that did arrive stays good when a later request fails.
    env.send(CodePurpose::Recovery, who::BOTH, 1).await;
    let good = env.last_code();
    env.clock.advance(seconds(61));
    env.sender
        .fail_next(3, DeliveryError::Unavailable("test".into()));
    for _ in 0..3 {
        assert_eq!(
            env.send(CodePurpose::Recovery, who::BOTH, 1).await,
            SendOutcome::DeliveryFailed
        );
    }
    assert_eq!(
        env.check(CodePurpose::Recovery, who::BOTH, 1, &good).await,
        CodeCheck::Valid
    );

    // Failures do not count for the resend interval or the hourly quota.
    env.sender.fail_next(1, DeliveryError::NotConfigured("sms"));
    assert_eq!(
        env.send(CodePurpose::SignIn, who::PHONE, 1).await,
        SendOutcome::DeliveryFailed
    );
    assert_eq!(
        env.check(CodePurpose::SignIn, who::PHONE, 1, "123456")
            .await,
        CodeCheck::NoCode,
        "an undelivered code cannot be entered"
    );
    for _ in 0..5 {
        assert!(matches!(
            env.send(CodePurpose::SignIn, who::PHONE, 1).await,
            SendOutcome::Sent { .. }
        ));
        env.clock.advance(seconds(61));
    }
    assert_eq!(
        env.send(CodePurpose::SignIn, who::PHONE, 1).await,
        SendOutcome::TooMany
    );
    env.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// Passwords

#[tokio::test]
async fn set_password_then_sign_in_with_it() {
    let env = Env::new().await;
    let login_id = env.register(who::BOTH, 1).await;
    assert_eq!(
        env.auth.touch_login(login_id).await.unwrap(),
        LoginState::Active
    );
    let stored = credentials::get(&env.db, env.id(who::BOTH))
        .await
        .unwrap()
        .expect("stored");
    assert!(stored.password_hash.starts_with("$argon2id$"));
    assert!(!stored.password_hash.contains(PASSWORD));

    match env.sign_in(who::BOTH, PASSWORD, 2).await {
        PasswordSignIn::Ok(login) => {
            assert_eq!(login.depositor_id, env.id(who::BOTH));
            assert_ne!(login.login_id, login_id);
        }
        other => panic!("expected a sign-in, got {other:?}"),
    }
    // A sign-in from another chat does not end the first one.
    assert_eq!(
        env.auth.touch_login(login_id).await.unwrap(),
        LoginState::Active
    );

    // The verification was spent: a second set_password needs a new code.
    let again = NewPassword::parse("another long phrase", &iin(who::BOTH)).unwrap();
    assert!(matches!(
        env.auth.set_password(&iin(who::BOTH), &again, 1).await,
        Err(AuthError::NotVerified)
    ));
    // Recovery sets a new password; the old one stops working.
    env.clock.advance(seconds(61));
    env.verify(CodePurpose::Recovery, who::BOTH, 1).await;
    env.auth
        .set_password(&iin(who::BOTH), &again, 1)
        .await
        .unwrap();
    assert_eq!(
        env.sign_in(who::BOTH, PASSWORD, 3).await,
        PasswordSignIn::Invalid
    );
    assert!(matches!(
        env.sign_in(who::BOTH, "another long phrase", 3).await,
        PasswordSignIn::Ok(_)
    ));

    let audit = env.audit().await;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for expected in ["password_changed", "sign_in_ok", "sign_in_failed"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing: {actions:?}"
        );
    }
    assert_no_secrets(
        &audit,
        &[
            iin(who::BOTH).as_str(),
            PASSWORD,
            "another long phrase",
            &stored.password_hash,
        ],
    );
    env.cleanup().await;
}

#[tokio::test]
async fn a_sign_in_code_or_a_registration_needs_its_own_verification() {
    let env = Env::new().await;
    // Nothing verified.
    assert!(matches!(
        env.auth.sign_in_with_code(&iin(who::BOTH), 1).await,
        Err(AuthError::NotVerified)
    ));
    // A sign-in verification does not set a password, and vice versa.
    env.verify(CodePurpose::SignIn, who::BOTH, 1).await;
    let password = NewPassword::parse(PASSWORD, &iin(who::BOTH)).unwrap();
    assert!(matches!(
        env.auth.set_password(&iin(who::BOTH), &password, 1).await,
        Err(AuthError::NotVerified)
    ));
    // Not in another chat either.
    assert!(matches!(
        env.auth.sign_in_with_code(&iin(who::BOTH), 2).await,
        Err(AuthError::NotVerified)
    ));
    let login = env
        .auth
        .sign_in_with_code(&iin(who::BOTH), 1)
        .await
        .unwrap();
    assert_eq!(login.depositor_id, env.id(who::BOTH));
    assert!(matches!(
        env.auth.sign_in_with_code(&iin(who::BOTH), 1).await,
        Err(AuthError::NotVerified)
    ));
    env.cleanup().await;
}

#[tokio::test]
async fn wrong_password_unknown_iin_and_no_password_get_the_same_answer() {
    let env = Env::new().await;
    env.register(who::BOTH, 1).await;
    assert_eq!(
        env.sign_in(who::BOTH, "wrong password", 2).await,
        PasswordSignIn::Invalid
    );
    assert_eq!(
        env.sign_in(who::UNKNOWN, PASSWORD, 2).await,
        PasswordSignIn::Invalid
    );
    assert_eq!(
        env.sign_in(who::PHONE, PASSWORD, 2).await,
        PasswordSignIn::Invalid
    );
    let failed: Vec<AuditEntry> = env
        .audit()
        .await
        .into_iter()
        .filter(|e| e.action == "sign_in_failed")
        .collect();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|e| {
        e.subject
            .as_deref()
            .is_some_and(|s| s.starts_with("********"))
    }));
    env.cleanup().await;
}

#[tokio::test]
async fn five_failures_lock_password_sign_in_but_not_sign_in_by_code() {
    let env = Env::new().await;
    env.register(who::BOTH, 1).await;
    for _ in 0..4 {
        assert_eq!(
            env.sign_in(who::BOTH, "wrong password", 2).await,
            PasswordSignIn::Invalid
        );
    }
    let until_ms = env.now_ms() + 15 * 60_000;
    assert_eq!(
        env.sign_in(who::BOTH, "wrong password", 2).await,
        PasswordSignIn::Locked { until_ms }
    );
    assert!(
        env.audit()
            .await
            .iter()
            .any(|e| e.action == "password_locked")
    );
    // The right password during the lock: still locked, and the lock does not grow.
    env.clock.advance(minutes(10));
    assert_eq!(
        env.sign_in(who::BOTH, PASSWORD, 2).await,
        PasswordSignIn::Locked { until_ms }
    );
    assert_eq!(
        env.sign_in(who::BOTH, "wrong again", 2).await,
        PasswordSignIn::Locked { until_ms }
    );

    // Sign-in by code still works.
    env.verify(CodePurpose::SignIn, who::BOTH, 3).await;
    let login = env
        .auth
        .sign_in_with_code(&iin(who::BOTH), 3)
        .await
        .unwrap();
    assert_eq!(login.depositor_id, env.id(who::BOTH));

    // The lock ends after 15 minutes.
    env.clock.advance(minutes(5));
    assert!(matches!(
        env.sign_in(who::BOTH, PASSWORD, 2).await,
        PasswordSignIn::Ok(_)
    ));
    // Success reset the count: four more failures do not lock.
    for _ in 0..4 {
        assert_eq!(
            env.sign_in(who::BOTH, "wrong password", 2).await,
            PasswordSignIn::Invalid
        );
    }
    assert!(matches!(
        env.sign_in(who::BOTH, PASSWORD, 2).await,
        PasswordSignIn::Ok(_)
    ));
    env.cleanup().await;
}

#[tokio::test]
async fn an_unknown_iin_locks_like_a_known_one_and_a_new_password_lifts_a_lock() {
    let env = Env::new().await;
    for _ in 0..4 {
        assert_eq!(
            env.sign_in(who::UNKNOWN, PASSWORD, 2).await,
            PasswordSignIn::Invalid
        );
    }
    assert!(matches!(
        env.sign_in(who::UNKNOWN, PASSWORD, 2).await,
        PasswordSignIn::Locked { .. }
    ));

    for _ in 0..5 {
        env.sign_in(who::PHONE, "not set yet", 2).await;
    }
    assert!(matches!(
        env.sign_in(who::PHONE, PASSWORD, 2).await,
        PasswordSignIn::Locked { .. }
    ));
    env.register(who::PHONE, 1).await;
    assert_eq!(
        password_locks::get(&env.db, &iin(who::PHONE))
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        env.sign_in(who::PHONE, PASSWORD, 2).await,
        PasswordSignIn::Ok(_)
    ));
    env.cleanup().await;
}

#[tokio::test]
async fn a_chat_trying_many_iins_is_slowed_then_refused() {
    let env = Env::new().await;
    let chat = 9;
    // Five different IINs pass freely, and so does the sixth (which starts the delay).
    for n in 100..106 {
        assert_eq!(
            env.sign_in(n, PASSWORD, chat).await,
            PasswordSignIn::Invalid,
            "{n}"
        );
    }
    let retry = match env.sign_in(106, PASSWORD, chat).await {
        PasswordSignIn::ChatThrottled { retry_after_secs } => retry_after_secs,
        other => panic!("expected a delay, got {other:?}"),
    };
    assert!(retry >= 1);
    // Other chats are not affected.
    assert_eq!(
        env.sign_in(106, PASSWORD, chat + 1).await,
        PasswordSignIn::Invalid
    );
    // Waiting as told lets the next attempt through; delays grow.
    let mut last_retry = 0;
    let mut n = 106;
    while n < 115 {
        match env.sign_in(n, PASSWORD, chat).await {
            PasswordSignIn::Invalid => n += 1,
            PasswordSignIn::ChatThrottled { retry_after_secs } => {
                assert!(retry_after_secs >= last_retry, "delays grow");
                last_retry = retry_after_secs;
                env.clock.advance(seconds(retry_after_secs as i64));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // The sixteenth different IIN is refused until the 15-minute window ends (the delays so far
    // took most of it: 2 + 4 + ... + 256 + 300 seconds).
    let refused = env.sign_in(115, PASSWORD, chat).await;
    let PasswordSignIn::ChatThrottled { retry_after_secs } = refused else {
        panic!("expected a refusal, got {refused:?}");
    };
    assert!(retry_after_secs > 1);
    env.clock.advance(seconds(retry_after_secs as i64 - 1));
    assert!(matches!(
        env.sign_in(116, PASSWORD, chat).await,
        PasswordSignIn::ChatThrottled { .. }
    ));
    env.clock.advance(seconds(1));
    assert_eq!(
        env.sign_in(116, PASSWORD, chat).await,
        PasswordSignIn::Invalid
    );
    // A throttled attempt is not counted against the IIN it named.
    assert_eq!(password_locks::get(&env.db, &iin(115)).await.unwrap(), None);
    env.cleanup().await;
}

#[tokio::test]
async fn a_refused_chat_stays_refused_until_its_window_ends() {
    let env = Env::with_settings(&[
        ("SIGN_IN_SLOW_AFTER_IINS", "2"),
        ("SIGN_IN_REFUSE_AFTER_IINS", "3"),
    ])
    .await;
    let chat = 9;
    for n in 200..203 {
        match env.sign_in(n, PASSWORD, chat).await {
            PasswordSignIn::Invalid => {}
            PasswordSignIn::ChatThrottled { retry_after_secs } => {
                assert!(retry_after_secs <= 2, "a short delay first");
                env.clock.advance(seconds(retry_after_secs as i64));
                assert_eq!(
                    env.sign_in(n, PASSWORD, chat).await,
                    PasswordSignIn::Invalid
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let PasswordSignIn::ChatThrottled { retry_after_secs } = env.sign_in(203, PASSWORD, chat).await
    else {
        panic!("the fourth IIN is refused");
    };
    assert!(
        retry_after_secs > 60,
        "refused for the window, not delayed: {retry_after_secs}"
    );
    env.clock.advance(minutes(5));
    assert!(matches!(
        env.sign_in(203, PASSWORD, chat).await,
        PasswordSignIn::ChatThrottled { .. }
    ));
    // The IINs already tried in this window are refused too: the chat is refused, not the IIN.
    assert!(matches!(
        env.sign_in(200, PASSWORD, chat).await,
        PasswordSignIn::ChatThrottled { .. }
    ));
    env.clock
        .advance(seconds(retry_after_secs as i64) - minutes(5));
    assert_eq!(
        env.sign_in(203, PASSWORD, chat).await,
        PasswordSignIn::Invalid
    );
    env.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// Logins

#[tokio::test]
async fn a_login_expires_when_idle() {
    let env = Env::new().await;
    let login = env.register(who::BOTH, 1).await;
    env.clock.advance(minutes(15));
    assert_eq!(
        env.auth.touch_login(login).await.unwrap(),
        LoginState::Active
    );
    env.clock
        .advance(minutes(15) + chrono::Duration::milliseconds(1));
    assert_eq!(
        env.auth.touch_login(login).await.unwrap(),
        LoginState::Expired
    );
    assert_eq!(
        env.auth.touch_login(login).await.unwrap(),
        LoginState::Ended
    );
    assert!(
        env.auth
            .active_logins(env.id(who::BOTH))
            .await
            .unwrap()
            .is_empty()
    );
    let expired = env
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == "login_expired")
        .expect("audited");
    assert_eq!(expired.details.as_deref(), Some("reason=idle"));
    env.cleanup().await;
}

#[tokio::test]
async fn a_login_ends_twelve_hours_after_it_began_however_active() {
    let env = Env::new().await;
    let login = env.register(who::BOTH, 1).await;
    for _ in 0..72 {
        env.clock.advance(minutes(10));
        assert_eq!(
            env.auth.touch_login(login).await.unwrap(),
            LoginState::Active
        );
    }
    env.clock.advance(seconds(1));
    assert_eq!(
        env.auth.touch_login(login).await.unwrap(),
        LoginState::Expired
    );
    let expired = env
        .audit()
        .await
        .into_iter()
        .find(|e| e.action == "login_expired")
        .expect("audited");
    assert_eq!(expired.details.as_deref(), Some("reason=absolute"));
    env.cleanup().await;
}

#[tokio::test]
async fn logout_ends_the_login() {
    let env = Env::new().await;
    let login = env.register(who::BOTH, 1).await;
    env.auth.logout(login).await.unwrap();
    assert_eq!(
        env.auth.touch_login(login).await.unwrap(),
        LoginState::Ended
    );
    env.auth.logout(login).await.unwrap();
    env.auth.logout(login + 1000).await.unwrap();
    assert_eq!(
        env.auth.touch_login(login + 1000).await.unwrap(),
        LoginState::Ended
    );
    assert_eq!(
        env.audit()
            .await
            .iter()
            .filter(|e| e.action == "logout")
            .count(),
        1
    );
    env.cleanup().await;
}

#[tokio::test]
async fn logins_across_chats_are_listed_and_ended_only_by_their_depositor() {
    let env = Env::new().await;
    let first = env.register(who::BOTH, 1).await;
    env.clock.advance(minutes(1));
    let PasswordSignIn::Ok(second) = env.sign_in(who::BOTH, PASSWORD, 2).await else {
        panic!("sign-in in chat 2");
    };
    env.clock.advance(minutes(1));
    let other = env.register(who::PHONE, 3).await;

    let mine = env.auth.active_logins(env.id(who::BOTH)).await.unwrap();
    let chats_of: Vec<i64> = mine.iter().map(|l| l.chat_id).collect();
    assert_eq!(chats_of, vec![1, 2]);
    assert_eq!(mine[0].login_id, first);
    assert_eq!(mine[1].login_id, second.login_id);

    // Another depositor cannot end mine; nor can I end theirs.
    assert!(!env.auth.end_login(env.id(who::PHONE), first).await.unwrap());
    assert!(!env.auth.end_login(env.id(who::BOTH), other).await.unwrap());
    assert_eq!(
        env.auth.touch_login(other).await.unwrap(),
        LoginState::Active
    );
    assert_eq!(
        env.auth.touch_login(first).await.unwrap(),
        LoginState::Active
    );

    // From chat 2 I end chat 1.
    assert!(env.auth.end_login(env.id(who::BOTH), first).await.unwrap());
    assert!(!env.auth.end_login(env.id(who::BOTH), first).await.unwrap());
    assert_eq!(
        env.auth.touch_login(first).await.unwrap(),
        LoginState::Ended
    );
    let left: Vec<i64> = env
        .auth
        .active_logins(env.id(who::BOTH))
        .await
        .unwrap()
        .iter()
        .map(|l| l.login_id)
        .collect();
    assert_eq!(left, vec![second.login_id]);

    // A new sign-in in the same chat replaces the chat's login.
    env.clock.advance(minutes(1));
    let PasswordSignIn::Ok(third) = env.sign_in(who::BOTH, PASSWORD, 2).await else {
        panic!("sign-in again in chat 2");
    };
    assert_eq!(
        env.auth.touch_login(second.login_id).await.unwrap(),
        LoginState::Ended
    );
    assert_eq!(
        env.auth.touch_login(third.login_id).await.unwrap(),
        LoginState::Active
    );
    env.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// Profile

#[tokio::test]
async fn the_profile_shows_masked_data_and_balances_equal_to_the_operations() {
    let env = Env::new().await;
    let depositor = env.id(who::BOTH);
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let opv = accounts::insert_account(
        &env.db,
        &NewAccount {
            depositor_id: depositor,
            kind: AccountKind::Opv,
            opened_on: NaiveDate::from_ymd_opt(2010, 1, 5).unwrap(),
            manager: "nbrk".into(),
        },
    )
    .await
    .unwrap();
    let dpv = accounts::insert_account(
        &env.db,
        &NewAccount {
            depositor_id: depositor,
            kind: AccountKind::Dpv,
            opened_on: NaiveDate::from_ymd_opt(2020, 6, 1).unwrap(),
            manager: "halyk".into(),
        },
    )
    .await
    .unwrap();
    let op = |account: i64, date: NaiveDate, kind, tiyn: i64| NewOperation {
        account_id: account,
        op_date: date,
        kind,
        amount: Money::from_tiyn(tiyn),
        payer: None,
        period: None,
        created_at_ms: 0,
    };
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let operations = vec![
        op(
            opv.id,
            d(2010, 2, 10),
            OperationKind::Contribution,
            1_500_000,
        ),
        op(
            opv.id,
            d(2015, 12, 31),
            OperationKind::InvestmentIncome,
            234_567,
        ),
        op(opv.id, d(2024, 5, 10), OperationKind::Fee, -12_345),
        op(opv.id, today, OperationKind::Contribution, 4_200_000),
        // Tomorrow's operation is not in today's balance.
        op(
            opv.id,
            d(2026, 3, 3),
            OperationKind::Contribution,
            9_999_999,
        ),
        op(
            dpv.id,
            d(2021, 1, 1),
            OperationKind::Contribution,
            10_000_000,
        ),
        op(dpv.id, d(2025, 1, 1), OperationKind::Payout, -2_500_000),
    ];
    accounts::insert_operations(&env.db, &operations)
        .await
        .unwrap();

    let profile = env.auth.profile(depositor).await.unwrap();
    assert_eq!(profile.full_name, "Сапарова Әлия Маратқызы");
    assert_eq!(profile.iin_masked, iin(who::BOTH).masked());
    assert!(!profile.iin_masked.contains(&iin(who::BOTH).as_str()[..6]));
    assert_eq!(profile.birth_date, d(1979, 7, 12));
    assert_eq!(profile.phone_masked.as_deref(), Some("8778*****"));
    assert_eq!(profile.email_masked.as_deref(), Some("al*****@ma****"));

    let expected = |account: i64| {
        Money::from_tiyn(
            operations
                .iter()
                .filter(|o| o.account_id == account && o.op_date <= today)
                .map(|o| o.amount.tiyn())
                .sum(),
        )
    };
    let kinds: Vec<AccountKind> = profile.accounts.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![AccountKind::Opv, AccountKind::Dpv]);
    assert_eq!(profile.accounts[0].balance, expected(opv.id));
    assert_eq!(profile.accounts[0].balance, Money::from_tiyn(5_922_222));
    assert_eq!(profile.accounts[1].balance, expected(dpv.id));
    assert_eq!(profile.accounts[1].manager, "halyk");
    assert!(profile.accounts.iter().all(|a| a.as_of == today));

    assert!(matches!(
        env.auth.profile(depositor + 1000).await,
        Err(AuthError::UnknownDepositor)
    ));
    env.cleanup().await;
}

#[tokio::test]
async fn a_chat_remembers_an_iin_on_request() {
    let env = Env::new().await;
    chats::touch(&env.db, 1, 11, env.now_ms()).await.unwrap();
    assert_eq!(env.auth.remembered_iin(1).await.unwrap(), None);
    env.auth
        .remember_iin(1, Some(&iin(who::BOTH)))
        .await
        .unwrap();
    assert_eq!(
        env.auth.remembered_iin(1).await.unwrap(),
        Some(iin(who::BOTH))
    );
    env.auth.remember_iin(1, None).await.unwrap();
    assert_eq!(env.auth.remembered_iin(1).await.unwrap(), None);
    env.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// The ephemeral store down

#[tokio::test]
async fn with_the_ephemeral_store_down_limits_fail_closed_and_nothing_is_consumed() {
    let env = Env::new().await;
    env.register(who::BOTH, 1).await;
    env.clock.advance(seconds(61));
    env.store.down.store(true, Ordering::SeqCst);

    let sent = env
        .auth
        .send_code(
            CodePurpose::SignIn,
            &iin(who::BOTH),
            5,
            Channel::Sms,
            Lang::Ru,
        )
        .await;
    assert!(matches!(sent, Err(AuthError::Ephemeral(_))), "{sent:?}");
    let signed = env
        .auth
        .sign_in_with_password(&iin(who::BOTH), &Password::new(PASSWORD), 5)
        .await;
    assert!(matches!(signed, Err(AuthError::Ephemeral(_))), "{signed:?}");
    let message = signed.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(!message.contains(iin(who::BOTH).as_str()) && !message.contains(PASSWORD));

    // Nothing was sent, stored or counted.
    assert_eq!(env.sender.attempts(), 1, "only the registration code");
    assert_eq!(
        codes::current(&env.db, &iin(who::BOTH), CodePurpose::SignIn, 5)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        password_locks::get(&env.db, &iin(who::BOTH)).await.unwrap(),
        None
    );

    // Back up: everything works, with no limit used up.
    env.store.down.store(false, Ordering::SeqCst);
    assert!(matches!(
        env.send(CodePurpose::SignIn, who::BOTH, 5).await,
        SendOutcome::Sent { .. }
    ));
    assert!(matches!(
        env.sign_in(who::BOTH, PASSWORD, 5).await,
        PasswordSignIn::Ok(_)
    ));
    env.cleanup().await;
}

/// No audit row holds any of `secrets` (IINs in clear, codes, passwords, MACs, hashes).
fn assert_no_secrets(audit: &[AuditEntry], secrets: &[&str]) {
    for entry in audit {
        let text = format!("{entry:?}");
        for secret in secrets {
            assert!(!text.contains(secret), "audit row leaks a secret: {text}");
        }
    }
}
