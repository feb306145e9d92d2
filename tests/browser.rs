//! The signing page in a real browser: Debian's headless Chromium, driven through
//! chromedriver's WebDriver API, opens `/sign/{token}` on the running service, presses Sign,
//! and the page's own script talks to a fake NCALayer (`support::fake_ncalayer`, a WebSocket
//! server on a loopback port that signs with the test PKI) and posts the signature back.
//!
//! These tests need `/usr/bin/chromium` and `/usr/bin/chromedriver` and FAIL without them
//! (`apt-get install -y chromium chromium-driver`; `.ci/run` installs them).
//!
//! Records: the demo registry on SQLite (or PostgreSQL with `TEST_DATABASE_URL`), the
//! in-process store (or Redis with `TEST_REDIS_URL`).

mod support;

use support::fake_ncalayer::{Answer, FakeNcaLayer};
use support::pki::{depositor_iin, pki};
use support::sign_stand::SignStand;
use support::webdriver::Browser;

/// The states after which the page waits for the user again (or is finished).
const SETTLED: &[&str] = &[
    "not-running",
    "cancelled",
    "failed",
    "wrong-iin",
    "wrong-purpose",
    "refused",
    "unavailable",
    "network",
    "error",
    "done",
    "gone",
];

/// Waits until the page has settled after a click and returns the state it shows.
async fn settled_state(browser: &Browser) -> String {
    browser
        .wait_for_attribute("#status", "data-current", |state| SETTLED.contains(&state))
        .await
}

async fn status_text(browser: &Browser) -> String {
    let status = browser.find("#status").await;
    browser.text(&status).await
}
use zeinet::domain::Lang;
use zeinet::domain::application::{ApplicationKind, ApplicationStatus};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_the_browser_accepts_the_application_and_tells_the_chat() {
    let ncalayer = FakeNcaLayer::start(Answer::SignWith(&pki().signing)).await;
    let stand = SignStand::start(&ncalayer.url).await;
    let pending = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Ru)
        .await;

    let browser = Browser::start().await;
    browser.open(&stand.page_url(&pending.token)).await;
    let button = browser.find("#sign-button").await;
    assert_eq!(
        browser.text(&button).await,
        stand.service.text(Lang::Ru, "sign-page-sign")
    );
    browser.click(&button).await;
    let state = settled_state(&browser).await;
    let shown = status_text(&browser).await;
    assert_eq!(state, "done", "the page shows: {shown}");
    // The server's answer, in the link's language, names the application; the button is gone.
    assert!(shown.contains(&pending.number.to_string()), "{shown}");
    assert!(shown.contains("Telegram"), "{shown}");
    assert_eq!(
        browser.attribute(&button, "hidden").await.as_deref(),
        Some("true")
    );
    browser.quit().await;

    // NCALayer was asked exactly as eds.md says, for the exact document bytes.
    let requests = ncalayer.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request["module"], "kz.gov.pki.knca.basics");
    assert_eq!(request["method"], "sign");
    let args = &request["args"];
    assert_eq!(args["format"], "cms");
    assert_eq!(
        args["data"].as_str().map(|d| {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(d)
                .expect("base64")
        }),
        Some(pending.document.as_bytes().to_vec())
    );
    assert_eq!(args["signingParams"]["decode"], true);
    assert_eq!(args["signingParams"]["encapsulate"], true);
    assert_eq!(args["signingParams"]["digested"], false);
    assert_eq!(
        args["signerParams"]["extKeyUsageOids"],
        serde_json::json!(["1.3.6.1.5.5.7.3.4"])
    );
    assert_eq!(args["signerParams"]["iin"], depositor_iin().as_str());
    assert_eq!(args["signerParams"]["chain"], serde_json::json!([]));
    assert_eq!(args["locale"], "ru");

    // The application is accepted and the chat is told.
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::Accepted
    );
    let told = stand.bot.wait_for_sent_to(pending.chat_id, 1).await;
    assert!(
        told.iter()
            .any(|m| m.text.contains(&pending.number.to_string())),
        "the chat was not told about {}: {told:?}",
        pending.number
    );
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_ncalayer_the_page_explains_how_to_install_and_start_it() {
    // A port nothing listens on: bind, note the port, let it go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let stand = SignStand::start(&format!("ws://{closed}")).await;
    let pending = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Kk)
        .await;
    let title = stand.service.text(Lang::Kk, "sign-page-not-running-title");
    let installer = stand.service.text(Lang::Kk, "sign-page-installer");
    let retry = stand.service.text(Lang::Kk, "sign-page-try-again");

    let browser = Browser::start().await;
    browser.open(&stand.page_url(&pending.token)).await;
    let button = browser.find("#sign-button").await;
    browser.click(&button).await;
    assert_eq!(settled_state(&browser).await, "not-running");
    let shown = status_text(&browser).await;
    for text in [&title, &installer, &retry] {
        assert!(shown.contains(text.as_str()), "{text:?} not in {shown:?}");
    }
    let link = browser
        .find("#status [data-state=not-running] a[href]")
        .await;
    assert_eq!(
        browser.attribute(&link, "href").await.as_deref(),
        Some("https://pki.gov.kz/ncalayer/")
    );
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::AwaitingSignature
    );

    // The user starts NCALayer and presses "Try again": now the page reaches it (and the user
    // cancels in its window).
    let ncalayer = FakeNcaLayer::start_on(closed, vec![Answer::Cancel]).await;
    let again = browser
        .find("#status [data-state=not-running] button[data-action=sign]")
        .await;
    browser.click(&again).await;
    assert_eq!(settled_state(&browser).await, "cancelled");
    browser.quit().await;
    assert_eq!(ncalayer.requests().len(), 1);
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::AwaitingSignature
    );
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_signing_says_so_and_leaves_the_application_waiting() {
    let ncalayer = FakeNcaLayer::start(Answer::Cancel).await;
    let stand = SignStand::start(&ncalayer.url).await;
    let pending = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::En)
        .await;
    let cancelled = stand.service.text(Lang::En, "sign-page-cancelled");

    let browser = Browser::start().await;
    // A phone-sized window: the page fits its width (nothing to scroll sideways).
    browser.resize(390, 800).await;
    browser.open(&stand.page_url(&pending.token)).await;
    let fits = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, \
             getComputedStyle(document.getElementById('sign-button')).width];",
        )
        .await;
    let (page_width, window_width) = (fits[0].as_u64(), fits[1].as_u64());
    assert!(
        window_width.is_some_and(|w| w <= 400),
        "the window is not phone-sized: {fits}"
    );
    assert!(
        page_width.is_some() && page_width <= window_width,
        "the page is wider than a phone: {fits}"
    );
    // The Sign button spans the narrow card (a large target for a thumb).
    let button_width: f64 = fits[2]
        .as_str()
        .and_then(|w| w.trim_end_matches("px").parse().ok())
        .expect("the button's width");
    assert!(button_width > 250.0, "{fits}");
    let button = browser.find("#sign-button").await;
    browser.click(&button).await;
    assert_eq!(settled_state(&browser).await, "cancelled");
    let shown = status_text(&browser).await;
    assert!(shown.contains(&cancelled), "{shown}");
    // The Sign button is back for another try.
    assert_eq!(browser.attribute(&button, "disabled").await, None);
    browser.quit().await;
    assert_eq!(ncalayer.requests().len(), 1);
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::AwaitingSignature
    );
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_keys_are_explained_and_the_right_one_then_signs() {
    // Somebody else's key, then the authentication key (cannot sign documents), then the
    // signing key.
    let ncalayer = FakeNcaLayer::start_sequence(vec![
        Answer::SignWith(&pki().other_person),
        Answer::SignWith(&pki().auth),
        Answer::SignWith(&pki().signing),
    ])
    .await;
    let stand = SignStand::start(&ncalayer.url).await;
    let pending = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Kk)
        .await;
    let wrong = stand
        .service
        .text(Lang::Kk, "sign-page-wrong-purpose-document");

    let other_person = stand.service.text(Lang::Kk, "sign-page-wrong-iin");

    let browser = Browser::start().await;
    browser.open(&stand.page_url(&pending.token)).await;
    let button = browser.find("#sign-button").await;
    browser.click(&button).await;
    assert_eq!(settled_state(&browser).await, "wrong-iin");
    let shown = status_text(&browser).await;
    assert!(shown.contains(&other_person), "{shown}");
    browser.click(&button).await;
    browser
        .wait_for_attribute("#status", "data-current", |state| state == "wrong-purpose")
        .await;
    let shown = status_text(&browser).await;
    assert!(shown.contains(&wrong), "{shown}");
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::AwaitingSignature
    );
    // Nothing was spent: the same link signs with the right key.
    browser.click(&button).await;
    browser
        .wait_for_attribute("#status", "data-current", |state| state == "done")
        .await;
    browser.quit().await;
    assert_eq!(ncalayer.requests().len(), 3);
    assert_eq!(
        stand.status(&pending.number).await,
        ApplicationStatus::Accepted
    );
    stand.shutdown().await;
}
