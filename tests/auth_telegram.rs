//! Registration, sign-in and gateway faults end to end: the real `serve` (polling, and the
//! webhook for the e-mail registration), the fake Bot API (tests/support/fake_bot_api.rs),
//! one-time codes through the real gateways — `MobizonSms` against a wiremock Mobizon API,
//! `SmtpMailer` against the local SMTP server (tests/support/smtp_server.rs) — on the demo
//! registry (tests/support/service.rs: SQLite and the in-process store, or PostgreSQL and
//! Redis when `TEST_DATABASE_URL` / `TEST_REDIS_URL` are set).
//!
//! What the user sees is compared with the translated texts (locales/ru), in order; the
//! messages that carried a password must be deleted before the reply; the cards with personal
//! data must go out with `protect_content`; code messages carry the code and nothing about
//! the depositor. Every wait is bounded by a patience limit; nothing asserts on timing.

mod support;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::Value;
use support::fake_bot_api::{FakeBotApi, Sent, callback_update, text_update};
use support::service::{Mode, Service, fresh_chat_id, fresh_update_id};
use support::smtp_server::SmtpServer;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zeinet::demo::DemoPerson;
use zeinet::domain::Lang;
use zeinet::gateways::{CodeSender, Delivery, MobizonSms, SmtpMailer};
use zeinet::i18n::Msg;

const SEND_PATH: &str = "/service/message/sendsmsmessage";
const SMS_KEY: &str = "test-mobizon-key-0123456789";
const ACCEPTED: &str = r#"{"code":0,"data":{"messageId":"1"},"message":""}"#;
/// Mobizon's "login failed": the API key is refused.
const KEY_REFUSED: &str = r#"{"code":8,"data":"","message":"Login failed"}"#;
const MAIL_FROM: &str = "ENPF Zeinet <no-reply@zeinet.kz>";
const PATIENCE: Duration = Duration::from_secs(20);
/// The code's life in the texts (the default `OTP_TTL_MINUTES`).
const CODE_MINUTES: i64 = 15;
const LANG: Lang = Lang::Ru;

fn demo(number: usize) -> DemoPerson {
    zeinet::demo::people()
        .into_iter()
        .find(|p| p.number == number)
        .unwrap_or_else(|| panic!("demo depositor #{number}"))
}

fn phone_of(person: &DemoPerson) -> zeinet::domain::Phone {
    person.phone.clone().expect("the depositor has a phone")
}

fn email_of(person: &DemoPerson) -> zeinet::domain::Email {
    person.email.clone().expect("the depositor has an e-mail")
}

// ------------------------------------------------------------------------------ gateways

/// A Mobizon sender against `server`: short timeout, one retry after a short wait.
fn mobizon(server: &MockServer, timeout: Duration) -> MobizonSms {
    MobizonSms::new(
        Url::parse(&server.uri()).expect("mock url"),
        SMS_KEY.into(),
        timeout,
    )
    .expect("SMS sender")
    .with_retries(1, Duration::from_millis(10))
}

fn sms_delivery(sender: MobizonSms) -> Delivery {
    Delivery {
        sms: Some(std::sync::Arc::new(sender) as std::sync::Arc<dyn CodeSender>),
        email: None,
    }
}

async fn answer_sms_with(server: &MockServer, answer: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(answer)
        .mount(server)
        .await;
}

fn form_field(request: &wiremock::Request, name: &str) -> Option<String> {
    url::form_urlencoded::parse(&request.body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The SMS requests the gateway has received.
async fn sms_requests(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

async fn wait_for_sms(server: &MockServer, count: usize) -> Vec<wiremock::Request> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let requests = sms_requests(server).await;
        if requests.len() >= count {
            return requests;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "gave up waiting for {count} SMS request(s)"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The runs of digits in a text.
fn digit_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        .map(str::to_string)
        .collect()
}

/// The one-time code in a code message, after checking the message says nothing else a
/// stranger could use: its only numbers are the code and the minutes it lives, and neither
/// the IIN nor the name is there.
fn code_in(body: &str, person: &DemoPerson) -> String {
    let runs = digit_runs(body);
    let codes: Vec<&String> = runs.iter().filter(|run| run.len() == 6).collect();
    assert_eq!(codes.len(), 1, "one 6-digit code in {body:?}");
    let code = codes[0].clone();
    for run in &runs {
        assert!(
            *run == code || *run == CODE_MINUTES.to_string(),
            "the code message carries another number ({run}): {body:?}"
        );
    }
    assert!(!body.contains(person.iin.as_str()), "the IIN in {body:?}");
    let last4 = &person.iin.as_str()[8..];
    assert!(!body.contains(last4), "a part of the IIN in {body:?}");
    for name in [
        Some(person.last_name),
        Some(person.first_name),
        person.patronymic,
    ]
    .into_iter()
    .flatten()
    {
        assert!(!body.contains(name), "the name {name:?} in {body:?}");
    }
    assert!(
        !body.contains('₸') && !body.contains("ОПВ"),
        "savings in {body:?}"
    );
    code
}

// ------------------------------------------------------------------------------ chatting

/// Delivers updates to the service the way the mode does.
struct Bot<'a> {
    fake: &'a FakeBotApi,
    service: &'a Service,
    mode: Mode,
    next_update: AtomicU32,
}

impl<'a> Bot<'a> {
    fn new(fake: &'a FakeBotApi, service: &'a Service, mode: Mode) -> Bot<'a> {
        Bot {
            fake,
            service,
            mode,
            next_update: AtomicU32::new(fresh_update_id()),
        }
    }

    fn update_id(&self) -> u32 {
        self.next_update.fetch_add(1, Ordering::SeqCst)
    }

    async fn deliver(&self, update: Value) {
        match self.mode {
            Mode::Polling => self.fake.push_updates(vec![update]),
            Mode::Webhook => assert_eq!(self.service.post_webhook(&update).await, 200),
        }
    }

    fn user(&'a self) -> User<'a> {
        User {
            bot: self,
            chat: fresh_chat_id(),
            seen: 0,
        }
    }

    fn ru(&self, key: &str) -> String {
        self.service.text(LANG, key)
    }

    fn render(&self, msg: Msg) -> String {
        self.service.render(LANG, &msg)
    }

    /// Paragraphs as the bot joins them into one message.
    fn join(&self, parts: &[String]) -> String {
        parts.join("\n\n")
    }
}

/// One Telegram user in a private chat (its id is the chat's), writing in Russian.
struct User<'a> {
    bot: &'a Bot<'a>,
    chat: i64,
    /// Messages of this chat already looked at.
    seen: usize,
}

impl User<'_> {
    /// Sends a text and returns the bot's `replies` messages; also the message's id.
    async fn says(&mut self, text: &str, replies: usize) -> (i64, Vec<Sent>) {
        let id = self.bot.update_id();
        // The fake's text updates use the update id as the message id.
        self.bot
            .deliver(text_update(id, self.chat, text, "ru"))
            .await;
        (i64::from(id), self.replies(replies).await)
    }

    /// Presses the button labelled `label` under the bot's latest message that has one.
    async fn presses(&mut self, label: &str, replies: usize) -> Vec<Sent> {
        let data = self
            .bot
            .fake
            .sent_to(self.chat)
            .iter()
            .rev()
            .find_map(|sent| sent.data_of(label))
            .unwrap_or_else(|| panic!("no button [{label}] in chat {}", self.chat));
        let id = self.bot.update_id();
        let query = format!("query-{id}");
        self.bot
            .deliver(callback_update(id, self.chat, &query, &data, "ru"))
            .await;
        self.replies(replies).await
    }

    /// The next `count` messages to this chat (waiting for them), and no more.
    async fn replies(&mut self, count: usize) -> Vec<Sent> {
        let all = self
            .bot
            .fake
            .wait_for_sent_to(self.chat, self.seen + count)
            .await;
        assert_eq!(
            all.len(),
            self.seen + count,
            "more messages than expected: {:#?}",
            &all[self.seen..]
        );
        let new = all[self.seen..].to_vec();
        self.seen = all.len();
        new
    }

    /// `/start` in a chat the bot has never seen, then Russian: the main menu.
    async fn starts_in_russian(&mut self) {
        let (_, sent) = self.says("/start", 1).await;
        assert_eq!(sent[0].text, self.bot.ru("language-prompt"));
        let sent = self.presses("Русский", 1).await;
        assert_eq!(
            sent[0].text,
            self.bot
                .join(&[self.bot.ru("welcome"), self.bot.ru("menu-prompt")])
        );
    }
}

fn texts(sent: &[Sent]) -> Vec<&str> {
    sent.iter().map(|s| s.text.as_str()).collect()
}

/// Checks the "personal data and savings" card that follows a sign-in.
fn assert_card(bot: &Bot<'_>, card: &Sent, notice: &str, person: &DemoPerson) {
    assert!(
        card.text.starts_with(&format!("{notice}\n\n")),
        "{:?}",
        card.text
    );
    assert!(card.text.contains(&person.full_name()), "{:?}", card.text);
    assert!(card.text.contains(&person.iin.masked()), "{:?}", card.text);
    assert!(!card.text.contains(person.iin.as_str()), "{:?}", card.text);
    assert!(
        card.text.contains(&bot.ru("account-opv")),
        "{:?}",
        card.text
    );
    assert!(
        card.protect_content,
        "personal data and savings must go out with protect_content"
    );
}

fn assert_cabinet_menu(bot: &Bot<'_>, menu: &Sent) {
    assert_eq!(menu.text, bot.ru("cabinet-prompt"));
    assert!(!menu.protect_content);
    let labels: Vec<String> = menu.labels().into_iter().flatten().collect();
    assert!(labels.contains(&bot.ru("menu-logout")), "{labels:?}");
}

/// The new password, entered twice; both messages are deleted before the bot answers.
/// Returns the card and the cabinet menu.
async fn sets_password(user: &mut User<'_>, password: &str) -> Vec<Sent> {
    let bot = user.bot;
    let before = bot.fake.sent().len();
    let (first, sent) = user.says(password, 1).await;
    assert_eq!(
        texts(&sent),
        [bot.join(&[
            bot.ru("password-message-deleted"),
            bot.ru("password-repeat-prompt")
        ])]
    );
    assert_deleted_before_reply(bot, user.chat, first, before);
    let before = bot.fake.sent().len();
    let (second, sent) = user.says(password, 2).await;
    assert_deleted_before_reply(bot, user.chat, second, before);
    sent
}

/// The message `message_id` was deleted, and before the bot sent anything in reply to it.
fn assert_deleted_before_reply(bot: &Bot<'_>, chat: i64, message_id: i64, sent_before: usize) {
    let deleted: Vec<_> = bot
        .fake
        .deleted_in(chat)
        .into_iter()
        .filter(|d| d.message_id == message_id)
        .collect();
    assert_eq!(
        deleted.len(),
        1,
        "the message with the password ({message_id}) deleted once"
    );
    assert_eq!(
        deleted[0].sent_before, sent_before,
        "the password message is deleted before the reply"
    );
}

fn code_sent_sms(bot: &Bot<'_>, person: &DemoPerson) -> String {
    bot.join(&[
        bot.render(
            Msg::new("code-sent-sms")
                .text("contact", phone_of(person).masked())
                .number("minutes", CODE_MINUTES),
        ),
        bot.ru("code-enter"),
    ])
}

fn new_password_prompt(bot: &Bot<'_>) -> String {
    bot.render(
        Msg::new("password-new-prompt")
            .number("min", zeinet::domain::password::MIN_CHARS as i64)
            .number("max", zeinet::domain::password::MAX_CHARS as i64),
    )
}

/// From the main menu: registration of a phone-only depositor by SMS, up to the cabinet.
/// The SMS gateway must be healthy; `sms_seen` is how many requests it had before.
async fn registers_by_sms(
    user: &mut User<'_>,
    sms: &MockServer,
    sms_seen: usize,
    person: &DemoPerson,
    password: &str,
) {
    let bot = user.bot;
    let sent = user.presses(&bot.ru("menu-register"), 1).await;
    assert_eq!(texts(&sent), [bot.ru("register-enter-iin")]);

    let (_, sent) = user.says(person.iin.as_str(), 2).await;
    assert_eq!(
        texts(&sent),
        [
            code_sent_sms(bot, person),
            bot.ru("register-share-phone-offer")
        ]
    );
    let requests = wait_for_sms(sms, sms_seen + 1).await;
    assert_eq!(requests.len(), sms_seen + 1, "one SMS per code");
    let request = &requests[sms_seen];
    let recipient = phone_of(person).e164().trim_start_matches('+').to_string();
    assert_eq!(
        form_field(request, "recipient").as_deref(),
        Some(recipient.as_str())
    );
    let body = form_field(request, "text").expect("the SMS has a text");
    let code = code_in(&body, person);
    assert_eq!(
        body,
        bot.render(
            Msg::new("code-message-registration")
                .text("code", code.clone())
                .number("minutes", CODE_MINUTES)
        ),
        "the registration text, in the chat's language"
    );

    let (_, sent) = user.says(&code, 2).await;
    assert_eq!(
        texts(&sent),
        [bot.ru("code-accepted"), new_password_prompt(bot)]
    );
    let sent = sets_password(user, password).await;
    let notice = bot.join(&[bot.ru("password-message-deleted"), bot.ru("password-set")]);
    assert_card(bot, &sent[0], &notice, person);
    assert_cabinet_menu(bot, &sent[1]);
}

// ------------------------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_by_sms_then_logout_and_sign_in_with_the_password() {
    let person = demo(1);
    assert_eq!(person.iin.as_str(), "900314485487");
    assert!(person.email.is_none(), "#1 has a phone only");
    let password = "Jibek-Joly-77";

    let sms = MockServer::start().await;
    answer_sms_with(&sms, ResponseTemplate::new(200).set_body_string(ACCEPTED)).await;
    let fake = FakeBotApi::start().await;
    let service = Service::start(
        fake.url(),
        Mode::Polling,
        sms_delivery(mobizon(&sms, Duration::from_secs(5))),
        &[],
    )
    .await;
    let bot = Bot::new(&fake, &service, Mode::Polling);
    let mut user = bot.user();

    user.starts_in_russian().await;
    registers_by_sms(&mut user, &sms, 0, &person, password).await;

    let (_, sent) = user.says("/logout", 1).await;
    assert_eq!(
        texts(&sent),
        [bot.join(&[bot.ru("logged-out"), bot.ru("menu-prompt")])]
    );

    let sent = user.presses(&bot.ru("menu-sign-in"), 1).await;
    assert_eq!(texts(&sent), [bot.ru("signin-enter-iin")]);
    let (iin_message, sent) = user.says(person.iin.as_str(), 1).await;
    assert_eq!(
        texts(&sent),
        [bot.render(Msg::new("signin-enter-password").text("iin", person.iin.masked()))]
    );
    let before = fake.sent().len();
    let (password_message, sent) = user.says(password, 2).await;
    assert_deleted_before_reply(&bot, user.chat, password_message, before);
    assert_card(&bot, &sent[0], &bot.ru("password-message-deleted"), &person);
    assert_cabinet_menu(&bot, &sent[1]);

    // Only the three messages with a password were deleted (not the IIN, not the commands).
    let deleted = fake.deleted_in(user.chat);
    assert_eq!(deleted.len(), 3, "{deleted:?}");
    assert!(deleted.iter().all(|d| d.message_id != iin_message));
    // Signing in with the password sends no code.
    assert_eq!(sms_requests(&sms).await.len(), 1);
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_by_email_through_the_webhook() {
    let person = demo(3);
    assert_eq!(person.iin.as_str(), "850621375064");
    assert!(person.phone.is_none(), "#3 has an e-mail only");
    let address = email_of(&person);
    assert_eq!(address.as_str(), "erlan.zh@example.net");
    let password = "Saryarqa-Dala-1985";

    let smtp = SmtpServer::start().await;
    let mailer =
        SmtpMailer::from_url(&smtp.url(), MAIL_FROM, Duration::from_secs(5)).expect("mailer");
    let delivery = Delivery {
        sms: None,
        email: Some(std::sync::Arc::new(mailer)),
    };
    let fake = FakeBotApi::start().await;
    let service = Service::start(fake.url(), Mode::Webhook, delivery, &[]).await;
    fake.wait_until("setWebhook", |f| f.webhook().is_some())
        .await;
    let bot = Bot::new(&fake, &service, Mode::Webhook);
    let mut user = bot.user();

    user.starts_in_russian().await;
    let sent = user.presses(&bot.ru("menu-register"), 1).await;
    assert_eq!(texts(&sent), [bot.ru("register-enter-iin")]);
    // The webhook answers once the update is handled: the mail has been handed over by then.
    let (_, sent) = user.says(person.iin.as_str(), 1).await;
    assert_eq!(
        texts(&sent),
        [bot.join(&[
            bot.render(
                Msg::new("code-sent-email")
                    .text("contact", address.masked())
                    .number("minutes", CODE_MINUTES)
            ),
            bot.ru("code-enter"),
        ])]
    );
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, [address.as_str()]);
    assert_eq!(mail.mail_from, "no-reply@zeinet.kz");
    assert_eq!(
        mail.subject().as_deref(),
        Some(bot.ru("code-message-subject").as_str())
    );
    let code = code_in(&mail.body(), &person);
    assert!(
        !mail.text().contains(person.iin.as_str()),
        "the IIN nowhere in the mail"
    );

    let (_, sent) = user.says(&code, 2).await;
    assert_eq!(
        texts(&sent),
        [bot.ru("code-accepted"), new_password_prompt(&bot)]
    );
    let sent = sets_password(&mut user, password).await;
    let notice = bot.join(&[bot.ru("password-message-deleted"), bot.ru("password-set")]);
    assert_card(&bot, &sent[0], &notice, &person);
    assert_cabinet_menu(&bot, &sent[1]);
    assert_eq!(fake.deleted_in(user.chat).len(), 2);
    assert_eq!(smtp.received().len(), 1, "one code, one mail");
    service.shutdown().await;
}

/// How the SMS gateway fails.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// HTTP 500 on every request.
    ServerError,
    /// Answers only after the sender's timeout.
    Slow,
    /// Mobizon's "login failed" (code 8): the API key is refused.
    KeyRefused,
}

/// The sender's timeout per request in these tests.
const SMS_TIMEOUT: Duration = Duration::from_millis(700);

impl Fault {
    fn answer(self) -> ResponseTemplate {
        match self {
            Fault::ServerError => ResponseTemplate::new(500).set_body_string("Internal Error"),
            Fault::Slow => ResponseTemplate::new(200)
                .set_body_string(ACCEPTED)
                .set_delay(SMS_TIMEOUT * 8),
            Fault::KeyRefused => ResponseTemplate::new(200).set_body_string(KEY_REFUSED),
        }
    }
}

/// While the SMS gateway fails, a depositor asking for a registration code is told, in their
/// language, that it could not be sent; the bot keeps answering other chats; nothing is used
/// up: with the gateway healthy again the same depositor gets a code at once (the resend
/// interval is a minute and the hourly quota two codes, so a failed delivery counted as a
/// code would show) and registers.
async fn a_failing_sms_gateway_costs_the_user_nothing(fault: Fault) {
    let person = demo(1);
    let sms = MockServer::start().await;
    answer_sms_with(&sms, fault.answer()).await;
    let fake = FakeBotApi::start().await;
    let service = Service::start(
        fake.url(),
        Mode::Polling,
        sms_delivery(mobizon(&sms, SMS_TIMEOUT)),
        &[("OTP_RESEND_SECONDS", "60"), ("OTP_PER_HOUR", "2")],
    )
    .await;
    let bot = Bot::new(&fake, &service, Mode::Polling);
    let mut user = bot.user();
    let mut other = bot.user();
    let mut third = bot.user();
    user.starts_in_russian().await;
    let sent = user.presses(&bot.ru("menu-register"), 1).await;
    assert_eq!(texts(&sent), [bot.ru("register-enter-iin")]);

    let failed = bot.join(&[bot.ru("code-delivery-failed"), bot.ru("register-enter-iin")]);
    // The IIN and another chat's /start in one batch: the other chat is served meanwhile.
    let iin_update = text_update(bot.update_id(), user.chat, person.iin.as_str(), "ru");
    let start_update = text_update(bot.update_id(), other.chat, "/start", "ru");
    fake.push_updates(vec![iin_update, start_update]);
    assert_eq!(texts(&other.replies(1).await), [bot.ru("language-prompt")]);
    assert_eq!(texts(&user.replies(1).await), [failed.as_str()]);
    assert!(
        !sms_requests(&sms).await.is_empty(),
        "the gateway was asked"
    );

    // Again: the same answer (not "too soon", not "too many codes").
    let (_, sent) = user.says(person.iin.as_str(), 1).await;
    assert_eq!(texts(&sent), [failed.as_str()]);

    // The process still serves everyone else after the fault.
    let (_, sent) = third.says("/start", 1).await;
    assert_eq!(texts(&sent), [bot.ru("language-prompt")]);

    answer_sms_with(&sms, ResponseTemplate::new(200).set_body_string(ACCEPTED)).await;
    let (_, sent) = user.says("/menu", 1).await;
    assert_eq!(texts(&sent), [bot.ru("menu-prompt")]);
    registers_by_sms(&mut user, &sms, 0, &person, "Jibek-Joly-77").await;
    service.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_gateway_answering_500_costs_the_user_nothing() {
    a_failing_sms_gateway_costs_the_user_nothing(Fault::ServerError).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_gateway_timing_out_costs_the_user_nothing() {
    a_failing_sms_gateway_costs_the_user_nothing(Fault::Slow).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_gateway_refusing_the_key_costs_the_user_nothing() {
    a_failing_sms_gateway_costs_the_user_nothing(Fault::KeyRefused).await;
}

/// A slow gateway holds back only its own chat: an update that arrives while a code is still
/// being sent (in a later getUpdates) is answered before that slow reply.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_sms_gateway_does_not_hold_up_other_chats() {
    let person = demo(1);
    let sms = MockServer::start().await;
    answer_sms_with(&sms, Fault::Slow.answer()).await;
    let fake = FakeBotApi::start().await;
    let service = Service::start(
        fake.url(),
        Mode::Polling,
        sms_delivery(mobizon(&sms, SMS_TIMEOUT)),
        &[],
    )
    .await;
    let bot = Bot::new(&fake, &service, Mode::Polling);
    let mut user = bot.user();
    let mut other = bot.user();
    user.starts_in_russian().await;
    user.presses(&bot.ru("menu-register"), 1).await;

    fake.push_updates(vec![text_update(
        bot.update_id(),
        user.chat,
        person.iin.as_str(),
        "ru",
    )]);
    // The depositor's update is being handled: the gateway has been asked and not answered.
    let _ = wait_for_sms(&sms, 1).await;
    fake.push_updates(vec![text_update(
        bot.update_id(),
        other.chat,
        "/start",
        "ru",
    )]);
    assert_eq!(texts(&other.replies(1).await), [bot.ru("language-prompt")]);
    assert_eq!(
        texts(&user.replies(1).await),
        [
            bot.join(&[bot.ru("code-delivery-failed"), bot.ru("register-enter-iin")])
                .as_str()
        ]
    );
    let order: Vec<i64> = fake.sent().iter().map(|s| s.chat_id).collect();
    let other_at = order.iter().position(|c| *c == other.chat);
    let user_last = order.iter().rposition(|c| *c == user.chat);
    assert!(
        other_at < user_last,
        "the other chat was answered first: {order:?}"
    );
    service.shutdown().await;
}
