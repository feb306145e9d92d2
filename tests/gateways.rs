//! The code delivery gateways against stand-ins of the outside services: the SMS gateway
//! against wiremock, the mailer against a local SMTP server (`support::smtp_server`), plus the
//! routing in `Delivery` and the two in-process senders.

mod support;

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::smtp_server::SmtpServer;
use url::Url;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use zeinet::domain::{Email, Phone};
use zeinet::gateways::{
    CaptureSender, CodeSender, ConsoleSink, Delivery, DeliveryError, Destination, MobizonSms,
    OutboundMessage, SetupError, SmtpMailer,
};

const API_KEY: &str = "kz0123456789abcdef0123456789abcdef0123456789";
const NUMBER: &str = "+77781234567";
const NUMBER_DIGITS: &str = "77781234567";
const SEND_PATH: &str = "/service/message/sendsmsmessage";
const KAZAKH_TEXT: &str = "Бір реттік пароль: 123456. Тіркелу үшін. ә ғ қ ң ө ұ ү һ і";
const ACCEPTED: &str =
    r#"{"code":0,"data":{"campaignId":"12345","messageId":"67890","status":1},"message":""}"#;
/// Long enough that a sender that ignores its timeout gets the (successful) answer and the
/// test sees `Ok` instead of `Unavailable`.
const SLOW_ANSWER: Duration = Duration::from_secs(3);
/// Guards tests that could hang forever if a timeout were ignored.
const HANG_GUARD: Duration = Duration::from_secs(30);

fn phone() -> Destination {
    Destination::Sms(Phone::parse(NUMBER).expect("a valid number"))
}

fn mailbox() -> Destination {
    Destination::Email(Email::parse("depositor@example.kz").expect("a valid address"))
}

fn code_message() -> OutboundMessage {
    OutboundMessage::new("Zeinet: бір реттік пароль", KAZAKH_TEXT)
}

fn base_url(server: &MockServer) -> Url {
    Url::parse(&server.uri()).expect("mock server url")
}

/// A sender with tiny backoff so retries cost nothing in the tests.
fn sms_sender(server: &MockServer, retries: u32, timeout: Duration) -> MobizonSms {
    MobizonSms::new(base_url(server), API_KEY.into(), timeout)
        .expect("sender")
        .with_retries(retries, Duration::from_millis(1))
}

async fn mount_answer(server: &MockServer, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(answer)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

fn form_field(request: &wiremock::Request, name: &str) -> Option<String> {
    url::form_urlencoded::parse(&request.body)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn assert_no_secrets(text: &str) {
    for secret in [
        API_KEY,
        NUMBER,
        NUMBER_DIGITS,
        "123456",
        "depositor@example.kz",
    ] {
        assert!(!text.contains(secret), "{secret:?} leaked into {text:?}");
    }
}

// --- SMS -----------------------------------------------------------------------------------

#[tokio::test]
async fn sms_is_posted_with_key_number_and_text_and_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .and(query_param("apiKey", API_KEY))
        .and(query_param("output", "json"))
        .and(query_param("api", "v1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(ACCEPTED))
        .expect(1)
        .mount(&server)
        .await;
    let sender = sms_sender(&server, 2, Duration::from_secs(5));

    sender
        .send(&phone(), &code_message())
        .await
        .expect("accepted");

    let seen = requests(&server).await;
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(content_type, "application/x-www-form-urlencoded");
    assert_eq!(
        form_field(request, "recipient").as_deref(),
        Some(NUMBER_DIGITS)
    );
    assert_eq!(form_field(request, "text").as_deref(), Some(KAZAKH_TEXT));
}

#[tokio::test]
async fn sms_under_a_base_path_keeps_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/gateway{SEND_PATH}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(ACCEPTED))
        .mount(&server)
        .await;
    let base = Url::parse(&format!("{}/gateway/", server.uri())).expect("url");
    let sender = MobizonSms::new(base, API_KEY.into(), Duration::from_secs(5)).expect("sender");

    assert_eq!(sender.send(&phone(), &code_message()).await, Ok(()));
}

#[tokio::test]
async fn sms_server_errors_are_retried_then_unavailable() {
    let server = MockServer::start().await;
    mount_answer(&server, ResponseTemplate::new(500)).await;
    let sender = sms_sender(&server, 2, Duration::from_secs(5));

    let error = sender
        .send(&phone(), &code_message())
        .await
        .expect_err("gateway down");

    assert!(matches!(error, DeliveryError::Unavailable(_)), "{error:?}");
    assert_eq!(
        requests(&server).await.len(),
        3,
        "one attempt and two retries"
    );
}

#[tokio::test]
async fn sms_succeeds_on_the_retry_after_one_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string(ACCEPTED))
        .with_priority(2)
        .mount(&server)
        .await;
    let sender = sms_sender(&server, 3, Duration::from_secs(5));

    assert_eq!(sender.send(&phone(), &code_message()).await, Ok(()));
    assert_eq!(
        requests(&server).await.len(),
        2,
        "no request after the gateway accepted"
    );
}

#[tokio::test]
async fn sms_slower_than_the_timeout_is_unavailable() {
    let server = MockServer::start().await;
    mount_answer(
        &server,
        ResponseTemplate::new(200)
            .set_body_string(ACCEPTED)
            .set_delay(SLOW_ANSWER),
    )
    .await;
    let sender = sms_sender(&server, 1, Duration::from_millis(100));

    let error = sender
        .send(&phone(), &code_message())
        .await
        .expect_err("timed out");

    assert_eq!(
        error,
        DeliveryError::Unavailable("the SMS gateway did not answer in time".into())
    );
    assert_eq!(requests(&server).await.len(), 2, "a timeout is retried");
}

#[tokio::test]
async fn sms_refusals_are_rejected_without_retry() {
    let refusals = [
        ResponseTemplate::new(200)
            .set_body_string(r#"{"code":8,"data":"","message":"Неверный ключ API"}"#),
        ResponseTemplate::new(200).set_body_string(
            r#"{"code":1,"data":{"recipient":"Номер 77781234567 неверен"},"message":"Ошибка"}"#,
        ),
        ResponseTemplate::new(401).set_body_string("wrong API key"),
        ResponseTemplate::new(403),
        ResponseTemplate::new(404),
    ];
    for answer in refusals {
        let server = MockServer::start().await;
        mount_answer(&server, answer).await;
        let sender = sms_sender(&server, 3, Duration::from_secs(5));

        let error = sender
            .send(&phone(), &code_message())
            .await
            .expect_err("refused");

        assert!(matches!(error, DeliveryError::Rejected(_)), "{error:?}");
        assert!(!error.is_temporary());
        assert_eq!(
            requests(&server).await.len(),
            1,
            "{error}: a refusal is not retried"
        );
        assert_no_secrets(&error.to_string());
        assert_no_secrets(&format!("{error:?}"));
    }
}

#[tokio::test]
async fn sms_malformed_answers_are_unavailable() {
    for body in ["<html>Bad gateway</html>", r#"{"data":{}}"#, ""] {
        let server = MockServer::start().await;
        mount_answer(&server, ResponseTemplate::new(200).set_body_string(body)).await;
        let sender = sms_sender(&server, 1, Duration::from_secs(5));

        let error = sender
            .send(&phone(), &code_message())
            .await
            .expect_err("malformed");

        assert_eq!(
            error,
            DeliveryError::Unavailable("the SMS gateway answered with malformed JSON".into()),
            "answer {body:?}"
        );
        assert_eq!(requests(&server).await.len(), 2);
    }
}

#[tokio::test]
async fn sms_to_a_closed_port_is_unavailable() {
    let port = closed_port().await;
    let base = Url::parse(&format!("http://127.0.0.1:{port}")).expect("url");
    let sender = MobizonSms::new(base, API_KEY.into(), Duration::from_secs(5))
        .expect("sender")
        .with_retries(0, Duration::ZERO);

    let error = sender
        .send(&phone(), &code_message())
        .await
        .expect_err("nothing listens");

    assert_eq!(
        error,
        DeliveryError::Unavailable("the SMS gateway could not be reached".into())
    );
}

#[tokio::test]
async fn sms_errors_debug_and_logs_hold_no_key_number_or_text() {
    let server = MockServer::start().await;
    mount_answer(&server, ResponseTemplate::new(502)).await;
    let sender = sms_sender(&server, 2, Duration::from_secs(5));
    let logs = LogBuffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let error = {
        let _guard = tracing::subscriber::set_default(subscriber);
        sender
            .send(&phone(), &code_message())
            .await
            .expect_err("down")
    };

    let logged = logs.text();
    assert!(
        logged.contains("retrying"),
        "the retries are logged: {logged}"
    );
    assert!(
        logged.contains("8778*****"),
        "the masked number is logged: {logged}"
    );
    assert_no_secrets(&logged);
    assert_no_secrets(&error.to_string());
    assert_no_secrets(&format!("{sender:?}"));
    assert!(!logged.contains("Бір реттік"), "the text is not logged");
}

#[tokio::test]
async fn sms_sender_refuses_an_email_destination() {
    let server = MockServer::start().await;
    let sender = sms_sender(&server, 0, Duration::from_secs(5));

    let error = sender.send(&mailbox(), &code_message()).await;

    assert_eq!(error, Err(DeliveryError::NotConfigured("email")));
    assert!(requests(&server).await.is_empty());
}

#[test]
fn sms_setup_refuses_bad_urls_and_empty_keys() {
    let ftp = Url::parse("ftp://sms.example.kz").expect("url");
    assert!(matches!(
        MobizonSms::new(ftp, API_KEY.into(), Duration::from_secs(1)),
        Err(SetupError::Invalid {
            setting: "SMS_API_URL",
            ..
        })
    ));
    let https = Url::parse("https://api.mobizon.kz").expect("url");
    assert!(matches!(
        MobizonSms::new(https, "  ".into(), Duration::from_secs(1)),
        Err(SetupError::Invalid {
            setting: "SMS_API_KEY",
            ..
        })
    ));
}

// --- E-mail --------------------------------------------------------------------------------

fn mailer(url: &str, timeout: Duration) -> SmtpMailer {
    SmtpMailer::from_url(url, "Zeinet <noreply@zeinet.test>", timeout).expect("mailer")
}

#[tokio::test]
async fn email_is_delivered_with_subject_and_kazakh_body_intact() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server.url(), Duration::from_secs(5));
    let message = OutboundMessage::new(
        "Zeinet: бір реттік пароль",
        "Бір реттік пароль: 123456\nӘріптер: ә ғ қ ң ө ұ ү һ і",
    );

    mailer.send(&mailbox(), &message).await.expect("delivered");

    let received = server.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.mail_from, "noreply@zeinet.test");
    assert_eq!(mail.rcpt_to, ["depositor@example.kz"]);
    assert_eq!(mail.subject().as_deref(), Some("Zeinet: бір реттік пароль"));
    let content_type = mail
        .header("Content-Type")
        .unwrap_or_default()
        .to_lowercase();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(content_type.contains("charset=utf-8"), "{content_type}");
    assert_eq!(
        mail.body().replace("\r\n", "\n").trim_end(),
        "Бір реттік пароль: 123456\nӘріптер: ә ғ қ ң ө ұ ү һ і"
    );
}

#[tokio::test]
async fn email_body_lines_starting_with_a_dot_survive() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server.url(), Duration::from_secs(5));
    let message = OutboundMessage::new("Code", "Your code:\n.\n..123456\n.end");

    mailer.send(&mailbox(), &message).await.expect("delivered");

    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].body().replace("\r\n", "\n").trim_end(),
        "Your code:\n.\n..123456\n.end"
    );
}

#[tokio::test]
async fn email_with_no_server_listening_is_unavailable() {
    let port = closed_port().await;
    let mailer = mailer(&format!("smtp://127.0.0.1:{port}"), Duration::from_secs(5));

    let error = mailer
        .send(&mailbox(), &code_message())
        .await
        .expect_err("no server");

    assert!(matches!(error, DeliveryError::Unavailable(_)), "{error:?}");
    assert_no_secrets(&error.to_string());
}

#[tokio::test]
async fn email_to_a_server_that_never_greets_is_unavailable() {
    // Accepts connections (the kernel does) but never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let mailer = mailer(
        &format!("smtp://127.0.0.1:{port}"),
        Duration::from_millis(200),
    );

    let outcome = tokio::time::timeout(HANG_GUARD, mailer.send(&mailbox(), &code_message()))
        .await
        .expect("the mailer gives up on its own");

    assert!(
        matches!(outcome, Err(DeliveryError::Unavailable(_))),
        "{outcome:?}"
    );
    drop(silent);
}

#[tokio::test]
async fn email_refused_on_data_with_5xx_is_rejected() {
    let server = SmtpServer::start().await;
    server.answer_data_with("554 5.7.1 <depositor@example.kz>: message refused");
    let mailer = mailer(&server.url(), Duration::from_secs(5));

    let error = mailer
        .send(&mailbox(), &code_message())
        .await
        .expect_err("refused");

    assert_eq!(
        error,
        DeliveryError::Rejected("the mail server refused the message (SMTP 554)".into())
    );
    assert_no_secrets(&error.to_string());
    assert!(server.received().is_empty());
}

#[tokio::test]
async fn email_deferred_on_data_with_4xx_is_unavailable() {
    let server = SmtpServer::start().await;
    server.answer_data_with("451 4.3.0 try again later");
    let mailer = mailer(&server.url(), Duration::from_secs(5));

    let error = mailer
        .send(&mailbox(), &code_message())
        .await
        .expect_err("deferred");

    assert!(error.is_temporary(), "{error:?}");
}

#[tokio::test]
async fn mailer_refuses_an_sms_destination() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server.url(), Duration::from_secs(5));

    let error = mailer.send(&phone(), &code_message()).await;

    assert_eq!(error, Err(DeliveryError::NotConfigured("sms")));
    assert!(server.received().is_empty());
}

#[test]
fn mailer_setup_errors_and_debug_hold_no_password() {
    let password = "pa55-w0rd-secret";
    for bad_url in [
        format!("http://user:{password}@smtp.example.kz"),
        format!("smtp://user:{password}@smtp.example.kz?tls=sometimes"),
        format!("not a url {password}"),
    ] {
        let error = SmtpMailer::from_url(&bad_url, "noreply@zeinet.test", Duration::from_secs(1))
            .expect_err("invalid url");
        assert!(matches!(
            error,
            SetupError::Invalid {
                setting: "SMTP_URL",
                ..
            }
        ));
        assert!(!error.to_string().contains(password));
    }
    let bad_from = SmtpMailer::from_url(
        "smtp://127.0.0.1:25",
        "not an address",
        Duration::from_secs(1),
    )
    .expect_err("invalid sender");
    assert!(matches!(
        bad_from,
        SetupError::Invalid {
            setting: "SMTP_FROM",
            ..
        }
    ));

    let mailer = SmtpMailer::from_url(
        &format!("smtps://mailer:{password}@smtp.example.kz:465"),
        "Zeinet <noreply@zeinet.test>",
        Duration::from_secs(1),
    )
    .expect("implicit TLS url");
    let debug = format!("{mailer:?}");
    assert!(debug.contains("smtps://smtp.example.kz:465"), "{debug}");
    assert!(
        !debug.contains(password) && !debug.contains("mailer:"),
        "{debug}"
    );
    SmtpMailer::from_url(
        &format!("smtp://mailer:{password}@smtp.example.kz:587?tls=required"),
        "noreply@zeinet.test",
        Duration::from_secs(1),
    )
    .expect("STARTTLS url");
}

// --- Delivery ------------------------------------------------------------------------------

#[tokio::test]
async fn delivery_routes_each_destination_to_its_channel() {
    let sms = CaptureSender::new();
    let email = CaptureSender::new();
    let delivery = Delivery {
        sms: Some(Arc::new(sms.clone())),
        email: Some(Arc::new(email.clone())),
    };
    let to_phone = OutboundMessage::new("", "SMS 111111");
    let to_mail = OutboundMessage::new("Code", "E-mail 222222");

    delivery.send(&phone(), &to_phone).await.expect("sms");
    delivery.send(&mailbox(), &to_mail).await.expect("email");

    assert_eq!(sms.sent(), [(phone(), to_phone)]);
    assert_eq!(email.sent(), [(mailbox(), to_mail)]);
}

#[tokio::test]
async fn delivery_without_a_channel_answers_not_configured() {
    let sms = CaptureSender::new();
    let delivery = Delivery {
        sms: Some(Arc::new(sms.clone())),
        email: None,
    };

    let error = delivery.send(&mailbox(), &code_message()).await;

    assert_eq!(error, Err(DeliveryError::NotConfigured("email")));
    assert!(delivery.can_send(&phone()));
    assert!(!delivery.can_send(&mailbox()));
    assert_eq!(sms.attempts(), 0);
    assert_eq!(
        DeliveryError::NotConfigured("email").to_string(),
        "no email gateway is configured"
    );
}

#[tokio::test]
async fn delivery_from_empty_settings_has_no_channel() {
    let delivery =
        Delivery::from_settings(None, Some(String::new()), Some(" ".into()), String::new())
            .expect("nothing configured is valid");

    assert_eq!(
        delivery.send(&phone(), &code_message()).await,
        Err(DeliveryError::NotConfigured("sms"))
    );
    assert_eq!(
        delivery.send(&mailbox(), &code_message()).await,
        Err(DeliveryError::NotConfigured("email"))
    );
}

#[test]
fn delivery_from_half_sms_settings_is_an_error() {
    let url = Url::parse("https://api.mobizon.kz").expect("url");
    assert!(matches!(
        Delivery::from_settings(Some(url), None, None, String::new()),
        Err(SetupError::Incomplete(_))
    ));
    assert!(matches!(
        Delivery::from_settings(None, Some(API_KEY.into()), None, String::new()),
        Err(SetupError::Incomplete(_))
    ));
}

#[tokio::test]
async fn delivery_from_settings_uses_the_real_gateways() {
    let sms_server = MockServer::start().await;
    mount_answer(
        &sms_server,
        ResponseTemplate::new(200).set_body_string(ACCEPTED),
    )
    .await;
    let smtp_server = SmtpServer::start().await;
    let delivery = Delivery::from_settings(
        Some(base_url(&sms_server)),
        Some(API_KEY.into()),
        Some(smtp_server.url()),
        "Zeinet <noreply@zeinet.test>".into(),
    )
    .expect("both channels");

    delivery.send(&phone(), &code_message()).await.expect("sms");
    delivery
        .send(&mailbox(), &code_message())
        .await
        .expect("email");

    let sms_requests = requests(&sms_server).await;
    assert_eq!(sms_requests.len(), 1);
    assert_eq!(
        form_field(&sms_requests[0], "recipient").as_deref(),
        Some(NUMBER_DIGITS)
    );
    assert_eq!(smtp_server.received().len(), 1);
    let debug = format!("{delivery:?}");
    assert_eq!(
        debug,
        r#"Delivery { sms: "configured", email: "configured" }"#
    );
}

// --- In-process senders --------------------------------------------------------------------

#[tokio::test]
async fn capture_sender_fails_the_next_sends_on_demand() {
    let capture = CaptureSender::new();
    let down = DeliveryError::Unavailable("gateway down".into());
    capture.fail_next(2, down.clone());
    let first = OutboundMessage::new("", "code 111111");
    let third = OutboundMessage::new("", "code 333333");

    assert_eq!(capture.send(&phone(), &first).await, Err(down.clone()));
    assert_eq!(capture.send(&phone(), &first).await, Err(down));
    assert_eq!(capture.send(&phone(), &third).await, Ok(()));

    assert_eq!(capture.attempts(), 3);
    assert_eq!(capture.sent(), [(phone(), third.clone())]);
    assert_eq!(capture.last_to(&phone()), Some(third));
    assert_eq!(capture.last_to(&mailbox()), None);
}

#[tokio::test]
async fn capture_sender_can_refuse_and_then_recover() {
    let capture = CaptureSender::new();
    capture.fail_next(1, DeliveryError::Rejected("bad number".into()));
    let delivery = Delivery {
        sms: Some(Arc::new(capture.clone())),
        email: None,
    };

    let refused = delivery.send(&phone(), &code_message()).await;
    let accepted = delivery.send(&phone(), &code_message()).await;

    assert_eq!(refused, Err(DeliveryError::Rejected("bad number".into())));
    assert_eq!(accepted, Ok(()));
    assert_eq!(capture.sent().len(), 1);
}

#[tokio::test]
async fn console_sink_queues_both_channels_with_masked_destinations() {
    let sink = ConsoleSink::new();
    let delivery = Delivery::console(sink.clone());
    let sms = OutboundMessage::new("", "Код: 111111");
    let mail = OutboundMessage::new("Zeinet", "Код: 222222");

    delivery.send(&phone(), &sms).await.expect("sms");
    delivery.send(&mailbox(), &mail).await.expect("email");

    assert_eq!(
        sink.drain(),
        [
            ("8778*****".to_owned(), sms),
            ("de*****@ex****".to_owned(), mail)
        ]
    );
    assert!(sink.drain().is_empty(), "a drain empties the queue");
}

#[test]
fn debug_output_of_messages_and_destinations_is_masked() {
    let message = code_message();
    let rendered = format!("{message:?} {:?} {:?}", phone(), mailbox());
    assert_no_secrets(&rendered);
    assert!(!rendered.contains("Бір"), "{rendered}");
}

// --- Helpers -------------------------------------------------------------------------------

/// A port nothing listens on (bound, then released).
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Log lines written by a test's subscriber.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    fn text(&self) -> String {
        let bytes = self.0.lock().expect("log buffer").clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> LogBuffer {
        self.clone()
    }
}
