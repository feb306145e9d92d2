//! EDS signing end to end, with real cryptography: the started service (`serve` on a random
//! port, a fake Bot API), links issued by `SigningService`, CMS signatures made with the
//! throwaway PKI of tests/support/pki.rs and POSTed to the real `POST /sign/{token}` endpoint,
//! checked by the built-in verifier against the pinned test root (`EDS_TRUSTED_ROOTS`).
//!
//! The clock is fixed inside the test certificates' validity (`pki::now()`), so the outcome
//! never depends on the day the tests run. Outbox workers are off (`OUTBOX_WORKERS=0`): the
//! chat's messages stay in the outbox for the test to read. With `TEST_DATABASE_URL` set the
//! records are a fresh PostgreSQL schema per test.

mod support;

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use support::fake_bot_api::FakeBotApi;
use support::pki::{self, Holder, pki};
use support::service::{Mode, Service};
use zeinet::clock::{Clock, FixedClock};
use zeinet::conversation::{ChatRef, Incoming};
use zeinet::domain::application::{ApplicationKind, ApplicationNumber, ApplicationStatus};
use zeinet::domain::{Iin, Lang, Sex};
use zeinet::gateways::Delivery;
use zeinet::i18n::Msg;
use zeinet::outbox::payload::Content;
use zeinet::services::signing::{EDS_CONTINUE_CALLBACK, token_hash};
use zeinet::store::applications::{self, NewApplication};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::signing as requests;

const CHAT_A: i64 = 7_100_001;
const CHAT_B: i64 = 7_100_002;

fn no_delivery() -> Delivery {
    Delivery {
        sms: None,
        email: None,
    }
}

/// The service with the test root pinned, on a fixed clock.
struct Env {
    service: Service,
    clock: FixedClock,
    http: reqwest::Client,
    _fake: FakeBotApi,
    _roots: tempfile::TempDir,
}

impl Env {
    async fn start() -> Env {
        Env::start_with(true).await
    }

    async fn start_with(trust_test_root: bool) -> Env {
        let fake = FakeBotApi::start().await;
        let roots = tempfile::tempdir().expect("temp dir");
        let root_path = roots.path().join("root.pem");
        std::fs::write(&root_path, &pki().root.pem).expect("write the root");
        let root_setting = root_path.display().to_string();
        let mut settings = vec![("OUTBOX_WORKERS", "0")];
        if trust_test_root {
            settings.push(("EDS_TRUSTED_ROOTS", root_setting.as_str()));
        }
        let clock = FixedClock::new(pki::now());
        let service = Service::start_at(
            fake.url(),
            Mode::Polling,
            no_delivery(),
            &settings,
            Arc::new(clock.clone()),
        )
        .await;
        Env {
            service,
            clock,
            http: reqwest::Client::new(),
            _fake: fake,
            _roots: roots,
        }
    }

    fn db(&self) -> &zeinet::store::Db {
        &self.service.app.db
    }

    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The depositor with `iin` (inserted unless the demo registry has one).
    async fn depositor(&self, iin: &Iin, last_name: &str) -> i64 {
        if let Some(found) = depositors::find_by_iin(self.db(), iin)
            .await
            .expect("look up")
        {
            return found.id;
        }
        let new = NewDepositor {
            iin: iin.clone(),
            last_name: last_name.into(),
            first_name: "Test".into(),
            patronymic: None,
            birth_date: iin.birth_date(),
            sex: Sex::Male,
            phone: None,
            email: None,
            disability: None,
            created_at_ms: self.now_ms(),
        };
        depositors::insert(self.db(), &new)
            .await
            .expect("insert")
            .id
    }

    /// A draft application with its canonical document.
    async fn draft(&self, depositor_id: i64, iin: &Iin, iban: &str) -> (ApplicationNumber, String) {
        let document = json!({
            "kind": "bank_details_change",
            "iin": iin.as_str(),
            "full_name": "TEST DEPOSITOR",
            "created_at": "2025-06-01T17:00:00+05:00",
            "iban": iban,
        })
        .to_string();
        let new = NewApplication {
            depositor_id,
            kind: ApplicationKind::BankDetailsChange,
            status: ApplicationStatus::Draft,
            created_at_ms: self.now_ms(),
            document: Some(document.clone()),
            note: None,
        };
        let summary = applications::insert(self.db(), &new).await.expect("insert");
        (summary.number, document)
    }

    /// A link for the application, as the dialogue asks for it.
    async fn link(&self, chat_id: i64, depositor_id: i64, number: &ApplicationNumber) -> String {
        self.service
            .app
            .signing
            .request_application_signature(chat_id, Lang::Ru, depositor_id, number, self.now_ms())
            .await
            .expect("a link")
            .url
    }

    async fn post(&self, url: &str, body: Value) -> (u16, Value, Option<String>) {
        let response = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("the endpoint answers");
        let status = response.status().as_u16();
        let cache = response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let json = response.json().await.expect("a JSON answer");
        (status, json, cache)
    }

    async fn post_cms(&self, url: &str, cms: &str) -> (u16, Value) {
        let (status, json, _) = self.post(url, json!({ "cms": cms })).await;
        (status, json)
    }

    async fn status_of(
        &self,
        depositor_id: i64,
        number: &ApplicationNumber,
    ) -> Vec<ApplicationStatus> {
        applications::get_for_depositor(self.db(), depositor_id, number)
            .await
            .expect("read")
            .expect("exists")
            .history
            .iter()
            .map(|e| e.status)
            .collect()
    }

    /// The messages queued for a chat, oldest first.
    async fn outbox(&self, chat_id: i64) -> Vec<zeinet::outbox::payload::RenderedMessage> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT payload FROM outbox WHERE chat_id = $1 ORDER BY id")
                .bind(chat_id)
                .fetch_all(self.db().pool())
                .await
                .expect("outbox rows");
        rows.into_iter()
            .map(|(payload,)| match Content::from_json(&payload) {
                Ok(Content::Message(message)) => message,
                other => panic!("unexpected outbox content {other:?}"),
            })
            .collect()
    }

    fn text(&self, msg: &Msg) -> String {
        self.service.render(Lang::Ru, msg)
    }

    async fn shutdown(self) {
        self.service.shutdown().await;
    }
}

fn token_of(url: &str) -> &str {
    url.rsplit('/').next().expect("a token")
}

fn signed_by(holder: &Holder, document: &str) -> String {
    holder.sign(document.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn accepted_exactly_once_under_twenty_concurrent_posts() {
    let env = Env::start().await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let (number, document) = env.draft(depositor, &iin, "KZ000000000000000001").await;
    let url = env.link(CHAT_A, depositor, &number).await;
    assert!(url.starts_with(&env.service.url("/sign/")), "{url}");
    assert_eq!(
        env.status_of(depositor, &number).await,
        [
            ApplicationStatus::Draft,
            ApplicationStatus::AwaitingSignature
        ]
    );

    // What the page shows: the exact bytes, the signer's IIN, the application.
    let page = env
        .service
        .app
        .signing
        .page(token_of(&url), env.now_ms())
        .await
        .expect("the page");
    assert_eq!(page.document, document);
    assert_eq!(page.iin, iin);
    assert_eq!(
        page.application,
        Some((number, ApplicationKind::BankDetailsChange))
    );

    // NCALayer 1.4 answers with a one-element array of PEM: posted as it came.
    let cms = signed_by(&pki().signing, &document);
    let body = json!({ "cms": [pki::to_pem(&cms)] });
    let posts = (0..20).map(|_| {
        let env = &env;
        let body = body.clone();
        let url = url.clone();
        async move { env.post(&url, body).await }
    });
    let answers = futures::future::join_all(posts).await;
    let accepted: Vec<&Value> = answers
        .iter()
        .filter(|(status, ..)| *status == 200)
        .map(|(_, json, _)| json)
        .collect();
    let gone = answers.iter().filter(|(status, ..)| *status == 410).count();
    assert_eq!(accepted.len(), 1, "{answers:?}");
    assert_eq!(gone, 19, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(.., cache)| cache.as_deref() == Some("no-store"))
    );
    assert_eq!(accepted[0]["status"], "accepted");
    assert_eq!(accepted[0]["number"], number.to_string());
    assert_eq!(
        accepted[0]["message"],
        env.text(&Msg::new("signing-page-accepted").text("number", number.to_string()))
    );

    let history = env.status_of(depositor, &number).await;
    assert_eq!(
        history,
        [
            ApplicationStatus::Draft,
            ApplicationStatus::AwaitingSignature,
            ApplicationStatus::Signed,
            ApplicationStatus::Accepted
        ]
    );
    let chat = env.outbox(CHAT_A).await;
    assert_eq!(chat.len(), 1, "one message for the chat");
    assert!(
        chat[0].text.contains(&number.to_string()),
        "{}",
        chat[0].text
    );
    assert!(
        chat[0]
            .text
            .contains(&env.text(&Msg::new("application-status-accepted")))
    );

    // Spent: a later post, even a correct one, is gone; the page is gone too.
    let (status, json) = env.post_cms(&url, &cms).await;
    assert_eq!((status, json["status"].as_str()), (410, Some("gone")));
    assert!(
        env.service
            .app
            .signing
            .page(token_of(&url), env.now_ms())
            .await
            .is_err()
    );
    // Only the token's hash is stored.
    let stored = requests::find_by_token_hash(env.db(), &token_hash(token_of(&url)).unwrap())
        .await
        .unwrap()
        .expect("stored under its hash");
    assert!(stored.spent_at_ms.is_some());
    // The outcomes are counted for /metrics.
    let metrics = env
        .http
        .get(env.service.url("/metrics"))
        .send()
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("metrics text");
    assert!(
        metrics.contains("zeinet_eds_posts_total{outcome=\"accepted\"} "),
        "{metrics}"
    );
    assert!(metrics.contains("zeinet_eds_posts_total{outcome=\"gone\"} "));
    assert!(!metrics.contains(token_of(&url)));
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_signatures_are_refused_change_nothing_and_are_limited() {
    let env = Env::start().await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let (number, document) = env.draft(depositor, &iin, "KZ000000000000000002").await;
    let url = env.link(CHAT_A, depositor, &number).await;
    let p = pki();
    let tampered = document.replace("KZ000000000000000002", "KZ999999999999999999");
    let cases = [
        ("iin-mismatch", signed_by(&p.other_person, &document)),
        ("content-mismatch", signed_by(&p.signing, &tampered)),
        ("expired", signed_by(&p.expired, &document)),
        ("wrong-purpose", signed_by(&p.auth, &document)),
        ("untrusted-chain", signed_by(&p.impostor, &document)),
    ];
    for (n, (code, cms)) in cases.iter().enumerate() {
        let (status, json) = env.post_cms(&url, cms).await;
        assert_eq!(status, 422, "{code}: {json}");
        assert_eq!(json["status"], "refused");
        assert_eq!(json["code"], *code);
        let reason = Msg::new(&format!("eds-refused-{code}"));
        assert_eq!(json["message"], env.text(&reason));
        // Nothing moved; the chat was told why.
        assert_eq!(
            env.status_of(depositor, &number).await.last(),
            Some(&ApplicationStatus::AwaitingSignature)
        );
        let chat = env.outbox(CHAT_A).await;
        assert_eq!(chat.len(), n + 1);
        let told = Msg::new("signing-chat-refused")
            .text("number", number.to_string())
            .msg("reason", reason);
        assert_eq!(chat[n].text, env.text(&told));
    }
    // Five refusals: even the right signature is now refused for this link, and spends nothing.
    let good = signed_by(&p.signing, &document);
    let (status, json) = env.post_cms(&url, &good).await;
    assert_eq!((status, json["status"].as_str()), (429, Some("too_many")));
    assert_eq!(
        env.status_of(depositor, &number).await,
        [
            ApplicationStatus::Draft,
            ApplicationStatus::AwaitingSignature
        ]
    );

    // A new link for the same application works (and the old one stays refused).
    let fresh = env.link(CHAT_A, depositor, &number).await;
    assert_ne!(fresh, url);
    let (status, json) = env.post_cms(&fresh, &good).await;
    assert_eq!((status, json["status"].as_str()), (200, Some("accepted")));
    let (status, _) = env.post_cms(&url, &good).await;
    assert_eq!(status, 410);
    assert_eq!(
        env.status_of(depositor, &number).await.last(),
        Some(&ApplicationStatus::Accepted)
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_unknown_and_malformed_posts() {
    let env = Env::start().await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let (number, document) = env.draft(depositor, &iin, "KZ000000000000000003").await;
    let url = env.link(CHAT_A, depositor, &number).await;
    let cms = signed_by(&pki().signing, &document);

    // Not JSON with a cms: 400, nothing counted.
    let (status, json, cache) = env.post(&url, json!({"signature": cms})).await;
    assert_eq!(
        (status, json["status"].as_str()),
        (400, Some("bad_request"))
    );
    assert_eq!(cache.as_deref(), Some("no-store"));

    // Unknown tokens: one answer, whatever their shape.
    for path in [
        "/sign/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/sign/short",
        "/sign/..%2F..%2Fetc",
    ] {
        let (status, json) = env.post_cms(&env.service.url(path), &cms).await;
        assert_eq!(
            (status, json["status"].as_str()),
            (410, Some("gone")),
            "{path}"
        );
    }

    // The right document with its signature bytes altered.
    let (status, json) = env.post_cms(&url, &pki::tamper_signature(&cms)).await;
    assert_eq!(
        (status, json["code"].as_str()),
        (422, Some("bad-signature"))
    );

    // Fifteen minutes and a second later the link is gone, and the application still waits.
    env.clock
        .advance(Duration::minutes(15) + Duration::seconds(1));
    let (status, json) = env.post_cms(&url, &cms).await;
    assert_eq!((status, json["status"].as_str()), (410, Some("gone")));
    assert_eq!(
        env.status_of(depositor, &number).await.last(),
        Some(&ApplicationStatus::AwaitingSignature)
    );
    assert_eq!(
        env.outbox(CHAT_A).await.len(),
        1,
        "only the refusal was told"
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_takes_only_its_own_document() {
    let env = Env::start().await;
    let (iin_a, iin_b) = (pki::depositor_iin(), pki::other_iin());
    let depositor_a = env.depositor(&iin_a, "SIGNER").await;
    let depositor_b = env.depositor(&iin_b, "OTHER").await;
    let (number_a, _) = env.draft(depositor_a, &iin_a, "KZ000000000000000004").await;
    let (number_b, document_b) = env.draft(depositor_b, &iin_b, "KZ000000000000000005").await;
    let url_a = env.link(CHAT_A, depositor_a, &number_a).await;
    let url_b = env.link(CHAT_B, depositor_b, &number_b).await;

    // B's own, valid signature of B's document, posted to A's link.
    let cms_b = signed_by(&pki().other_person, &document_b);
    let (status, json) = env.post_cms(&url_a, &cms_b).await;
    assert_eq!(
        (status, json["code"].as_str()),
        (422, Some("content-mismatch"))
    );
    assert_eq!(
        env.status_of(depositor_a, &number_a).await.last(),
        Some(&ApplicationStatus::AwaitingSignature)
    );
    // B's request is untouched: not counted, not spent; B's chat heard nothing.
    let b = requests::find_by_token_hash(env.db(), &token_hash(token_of(&url_b)).unwrap())
        .await
        .unwrap()
        .expect("B's request");
    assert_eq!((b.posts, b.refusals, b.spent_at_ms), (0, 0, None));
    assert!(env.outbox(CHAT_B).await.is_empty());
    assert_eq!(env.outbox(CHAT_A).await.len(), 1);

    // And B's link still takes it.
    let (status, json) = env.post_cms(&url_b, &cms_b).await;
    assert_eq!((status, json["status"].as_str()), (200, Some("accepted")));
    assert_eq!(
        env.status_of(depositor_b, &number_b).await.last(),
        Some(&ApplicationStatus::Accepted)
    );
    assert_eq!(
        env.status_of(depositor_a, &number_a).await.last(),
        Some(&ApplicationStatus::AwaitingSignature)
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eds_sign_in_takes_the_authentication_key_and_signs_in_only_its_chat_once() {
    let env = Env::start().await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let app = &env.service.app;
    let link = app
        .signing
        .request_sign_in(CHAT_A, Lang::Ru, &iin, env.now_ms())
        .await
        .expect("a sign-in link");
    let page = app
        .signing
        .page(token_of(&link.url), env.now_ms())
        .await
        .expect("the page");
    assert_eq!(page.purpose, zeinet::signing::Purpose::SignIn);
    assert_eq!(page.application, None);

    // The signing key is the wrong one for signing in.
    let (status, json) = env
        .post_cms(&link.url, &signed_by(&pki().signing, &page.document))
        .await;
    assert_eq!(
        (status, json["code"].as_str()),
        (422, Some("wrong-purpose"))
    );
    // The authentication key signs the nonce; ten posts of it at once: one succeeds.
    let cms = signed_by(&pki().auth, &page.document);
    let posts = (0..10).map(|_| env.post_cms(&link.url, &cms));
    let answers = futures::future::join_all(posts).await;
    let signed: Vec<&Value> = answers
        .iter()
        .filter(|(status, _)| *status == 200)
        .map(|(_, json)| json)
        .collect();
    assert_eq!(signed.len(), 1, "{answers:?}");
    assert_eq!(answers.iter().filter(|(s, _)| *s == 410).count(), 9);
    assert_eq!(signed[0]["status"], "signed_in");
    assert_eq!(
        signed[0]["message"],
        env.text(&Msg::new("signing-page-signed-in"))
    );

    // The chat's messages: the refusal, then "signed in" with "Continue".
    let chat = env.outbox(CHAT_A).await;
    assert_eq!(chat.len(), 2);
    let last = chat.last().expect("a message");
    assert_eq!(last.text, env.text(&Msg::new("signing-chat-signed-in")));
    assert_eq!(
        last.buttons[0][0].callback.as_deref(),
        Some(EDS_CONTINUE_CALLBACK)
    );

    let press = |chat_id: i64| {
        let chat = ChatRef {
            chat_id,
            user_id: chat_id,
            language_code: Some("ru".into()),
        };
        async move {
            app.conversation
                .handle(&chat, Incoming::Callback(EDS_CONTINUE_CALLBACK.into()))
                .await
                .expect("an answer")
        }
    };
    let logins_in = |chat_id: i64| async move {
        app.auth
            .active_logins(depositor)
            .await
            .expect("logins")
            .iter()
            .filter(|l| l.chat_id == chat_id)
            .count()
    };
    // Another chat pressing the same button gets nothing.
    let other = press(CHAT_B).await;
    assert_eq!(logins_in(CHAT_B).await, 0);
    assert!(
        other.messages[0]
            .text
            .contains(&env.text(&Msg::new("hint-stale-button")))
    );
    // The chat it was for is signed in.
    let mine = press(CHAT_A).await;
    assert!(
        mine.messages[0]
            .text
            .starts_with(&env.text(&Msg::new("signin-eds-done"))),
        "{mine:?}"
    );
    assert_eq!(logins_in(CHAT_A).await, 1);
    // Once: pressing again opens no second login.
    let again = press(CHAT_A).await;
    assert!(
        again.messages[0]
            .text
            .contains(&env.text(&Msg::new("hint-stale-button")))
    );
    assert_eq!(logins_in(CHAT_A).await, 1);
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_verifier_posts_are_unavailable_and_spend_nothing() {
    let env = Env::start_with(false).await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let (number, document) = env.draft(depositor, &iin, "KZ000000000000000006").await;
    let url = env.link(CHAT_A, depositor, &number).await;
    let (status, json) = env
        .post_cms(&url, &signed_by(&pki().signing, &document))
        .await;
    assert_eq!(
        (status, json["status"].as_str()),
        (503, Some("unavailable"))
    );
    assert_eq!(json["message"], env.text(&Msg::new("signing-unavailable")));
    let stored = requests::find_by_token_hash(env.db(), &token_hash(token_of(&url)).unwrap())
        .await
        .unwrap()
        .expect("stored");
    assert_eq!((stored.refusals, stored.spent_at_ms), (0, None));
    assert_eq!(
        env.status_of(depositor, &number).await.last(),
        Some(&ApplicationStatus::AwaitingSignature)
    );
    env.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_cancelled_after_its_link_cannot_be_signed() {
    let env = Env::start().await;
    let iin = pki::depositor_iin();
    let depositor = env.depositor(&iin, "SIGNER").await;
    let (number, document) = env.draft(depositor, &iin, "KZ000000000000000007").await;
    let url = env.link(CHAT_A, depositor, &number).await;
    let change = applications::StatusChange {
        to: ApplicationStatus::Cancelled,
        at_ms: env.now_ms(),
        note: None,
    };
    applications::change_status(env.db(), depositor, &number, &change)
        .await
        .expect("cancelled");
    assert!(
        env.service
            .app
            .signing
            .page(token_of(&url), env.now_ms())
            .await
            .is_err()
    );
    let (status, json) = env
        .post_cms(&url, &signed_by(&pki().signing, &document))
        .await;
    assert_eq!((status, json["status"].as_str()), (410, Some("gone")));
    assert_eq!(
        env.status_of(depositor, &number).await.last(),
        Some(&ApplicationStatus::Cancelled)
    );
    // And no new link for it either.
    let again = env
        .service
        .app
        .signing
        .request_application_signature(CHAT_A, Lang::Ru, depositor, &number, env.now_ms())
        .await;
    assert!(matches!(
        again,
        Err(zeinet::services::signing::RequestError::NotAllowed)
    ));
    env.shutdown().await;
}
