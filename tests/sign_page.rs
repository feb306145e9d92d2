//! `GET /sign/{token}` over HTTP on the running service: the page shows what is signed in the
//! language of the signing request, it and its files carry the strict headers, a link that is
//! unknown, spent or expired gets one and the same "ask the bot for a new link" page, and no
//! token reaches the logs.
//!
//! Every log line of this test binary (every target, level TRACE) is captured for the last
//! point. Records: the demo registry on SQLite (or PostgreSQL with `TEST_DATABASE_URL`), the
//! in-process store (or Redis with `TEST_REDIS_URL`).

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::DateTime;
use reqwest::header::HeaderMap;
use support::log_capture::captured_logs;
use support::pki::{depositor_iin, pki};
use support::sign_stand::SignStand;
use zeinet::documents::format::kazakhstan_time;
use zeinet::domain::application::{ApplicationKind, ApplicationStatus, document_digest};
use zeinet::domain::{Lang, Money};
use zeinet::i18n::Msg;
use zeinet::web::sign_page::escape;

/// A port nothing needs to listen on: the page only names it.
const NCALAYER: &str = "ws://127.0.0.1:47913";

// ------------------------------------------------------------------------------ helpers

struct Fetched {
    status: u16,
    headers: HeaderMap,
    body: String,
}

async fn fetch(url: &str) -> Fetched {
    let response = reqwest::get(url).await.expect("the service answers");
    Fetched {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.expect("a text body"),
    }
}

fn header<'a>(fetched: &'a Fetched, name: &str) -> &'a str {
    fetched
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("no {name} header"))
}

fn assert_strict_headers(fetched: &Fetched, what: &str) {
    let csp = header(fetched, "content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        &format!("connect-src 'self' {NCALAYER}"),
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.split(';').any(|d| d.trim() == directive),
            "{what}: CSP lacks {directive:?}: {csp}"
        );
    }
    assert_eq!(header(fetched, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(fetched, "cache-control"), "no-store", "{what}");
    assert_eq!(header(fetched, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        header(fetched, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
}

/// What the page must call a field: the document's label, the page's own, or the name.
fn expected_label(stand: &SignStand, lang: Lang, name: &str) -> String {
    let slug = name.replace('_', "-");
    let i18n = &stand.service.app.i18n;
    for key in [
        format!("doc-field-{slug}"),
        format!("sign-page-field-{slug}"),
    ] {
        if i18n.has(lang, &key) {
            return i18n.get(lang, &key);
        }
    }
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    let first = chars.next().expect("a name");
    first.to_uppercase().chain(chars).collect()
}

// ------------------------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_shows_what_is_signed_in_the_language_of_the_request() {
    captured_logs();
    let stand = SignStand::start(NCALAYER).await;
    for lang in [Lang::Ru, Lang::Kk, Lang::En] {
        let pending = stand
            .awaiting_signature(ApplicationKind::ManagerChoice, lang)
            .await;
        let page = fetch(&stand.page_url(&pending.token)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            header(&page, "content-type").starts_with("text/html"),
            "{:?}",
            page.headers
        );
        assert_strict_headers(&page, "the page");
        let html = &page.body;
        let text = |key: &str| escape(&stand.service.text(lang, key));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        assert!(html.contains(&text("sign-page-title-document")));
        assert!(html.contains(&format!(">{}</button>", text("sign-page-sign"))));
        // Kind and number.
        assert!(html.contains(&text(ApplicationKind::ManagerChoice.message_key())));
        assert!(html.contains(&pending.number.to_string()));
        // Every field, labelled, in the document's order.
        let mut at = 0;
        for name in [
            "kind",
            "iin",
            "full_name",
            "created_at",
            "amount",
            "currency",
            "zz_unlabelled_note",
        ] {
            let label = format!("<dt>{}</dt>", escape(&expected_label(&stand, lang, name)));
            let found = html[at..]
                .find(&label)
                .unwrap_or_else(|| panic!("{}: no {label} after byte {at}", lang.code()));
            at += found + label.len();
        }
        assert!(html.contains(depositor_iin().as_str()));
        assert!(html.contains("Тестов Тест Тестович"));
        assert!(html.contains(&escape(&Money::from_tiyn(12_500_000).format(lang))));
        assert!(
            html.contains("01.06.2025 17:00"),
            "created_at in Astana time"
        );
        assert!(html.contains("Қосымша &lt;мәлімет&gt;"));
        // The digest, the expiry, and the exact bytes handed to NCALayer.
        assert!(html.contains(&document_digest(&pending.document)));
        let expires = kazakhstan_time(
            DateTime::from_timestamp_millis(pending.expires_at_ms).expect("an instant"),
        );
        assert!(
            html.contains(&escape(
                &stand
                    .service
                    .render(lang, &Msg::new("sign-page-time").text("time", expires))
            ))
        );
        assert!(html.contains(&format!(
            "data-document=\"{}\"",
            STANDARD.encode(pending.document.as_bytes())
        )));
        assert!(html.contains(&format!("data-ncalayer=\"{NCALAYER}/\"")));
        // Nothing from elsewhere, nothing inline the policy would block.
        assert!(!html.contains("<style") && !html.contains(" style="));
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains("<script src=\"/static/sign-page.js\"></script>"));
        for attribute in ["src=\"", "href=\""] {
            for (i, _) in html.match_indices(attribute) {
                let target = &html[i + attribute.len()..];
                assert!(
                    target.starts_with('/')
                        || target.starts_with("data:")
                        || target.starts_with("https://pki.gov.kz/ncalayer/"),
                    "an outside resource: {}",
                    &target[..target.len().min(60)]
                );
            }
        }
        // Showing the page spends nothing.
        assert_eq!(
            stand.status(&pending.number).await,
            ApplicationStatus::AwaitingSignature
        );
        assert_eq!(fetch(&stand.page_url(&pending.token)).await.status, 200);
    }
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_page_asks_for_the_authentication_key_and_shows_no_application() {
    captured_logs();
    let stand = SignStand::start(NCALAYER).await;
    let app = &stand.service.app;
    let link = app
        .signing
        .request_sign_in(
            support::service::fresh_chat_id(),
            Lang::Kk,
            &depositor_iin(),
            app.clock.now_ms(),
        )
        .await
        .expect("a sign-in link");
    let token = link.url.rsplit_once("/sign/").expect("a /sign/ link").1;
    let page = fetch(&stand.page_url(token)).await;
    assert_eq!(page.status, 200);
    assert_strict_headers(&page, "the sign-in page");
    let html = &page.body;
    let text = |key: &str| escape(&stand.service.text(Lang::Kk, key));
    assert!(html.contains(&text("sign-page-title-sign-in")));
    assert!(html.contains("data-eku=\"1.3.6.1.5.5.7.3.2\""));
    assert!(html.contains(&format!("data-iin=\"{}\"", depositor_iin().as_str())));
    assert!(!html.contains(&text("sign-page-contents")));
    assert!(!html.contains("class=\"summary\""));
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_and_style_are_served_with_the_same_headers() {
    captured_logs();
    let stand = SignStand::start(NCALAYER).await;
    let script = fetch(&stand.service.url("/static/sign-page.js")).await;
    assert_eq!(script.status, 200);
    assert!(header(&script, "content-type").starts_with("text/javascript"));
    assert_strict_headers(&script, "the script");
    assert!(script.body.contains("kz.gov.pki.knca.basics"));
    // Every state the script can show has its block in the page.
    for state in zeinet::web::sign_page::STATES {
        assert!(
            script.body.contains(&format!("show(\"{state}\"")),
            "the script never shows {state}"
        );
    }
    let style = fetch(&stand.service.url("/static/sign-page.css")).await;
    assert_eq!(style.status, 200);
    assert!(header(&style, "content-type").starts_with("text/css"));
    assert_strict_headers(&style, "the style");
    assert!(
        style.body.contains("@media"),
        "a layout for narrow and wide screens"
    );
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_spent_and_expired_links_get_one_and_the_same_answer() {
    captured_logs();
    let stand = SignStand::start(NCALAYER).await;
    let expiring = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Ru)
        .await;
    let spent = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Ru)
        .await;
    let app = &stand.service.app;
    let cms = pki().signing.sign(spent.document.as_bytes());
    app.signing
        .submit(&spent.token, &cms, app.clock.now_ms())
        .await
        .expect("the signature is accepted");
    assert_eq!(
        stand.status(&spent.number).await,
        ApplicationStatus::Accepted
    );
    stand.clock.advance(chrono::Duration::minutes(16));

    let unknown = "A".repeat(expiring.token.len());
    let answers = [
        ("unknown", fetch(&stand.page_url(&unknown)).await),
        ("garbage", fetch(&stand.page_url("%3Cscript%3E")).await),
        ("spent", fetch(&stand.page_url(&spent.token)).await),
        ("expired", fetch(&stand.page_url(&expiring.token)).await),
    ];
    let (_, first) = &answers[0];
    for (what, answer) in &answers {
        assert_eq!(answer.status, 410, "{what}");
        assert_strict_headers(answer, what);
        assert_eq!(answer.body, first.body, "{what} answers differently");
    }
    for lang in Lang::ALL {
        assert!(
            first
                .body
                .contains(&escape(&stand.service.text(lang, "sign-page-gone"))),
            "{}",
            lang.code()
        );
    }
    assert!(!first.body.contains("<script"));
    assert!(!first.body.contains(&spent.number.to_string()));
    stand.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_never_reach_the_logs() {
    let logs = captured_logs();
    let stand = SignStand::start(NCALAYER).await;
    let pending = stand
        .awaiting_signature(ApplicationKind::ManagerChoice, Lang::Kk)
        .await;
    assert_eq!(fetch(&stand.page_url(&pending.token)).await.status, 200);
    // A refused post, then the accepted one, then the page of the spent link.
    let client = reqwest::Client::new();
    let refused = client
        .post(stand.page_url(&pending.token))
        .json(&serde_json::json!({"cms": "not a signature"}))
        .send()
        .await
        .expect("the post is answered");
    assert!(refused.status().is_client_error(), "{}", refused.status());
    let cms = pki().signing.sign(pending.document.as_bytes());
    let accepted = client
        .post(stand.page_url(&pending.token))
        .json(&serde_json::json!({"cms": [support::pki::to_pem(&cms)]}))
        .send()
        .await
        .expect("the post is answered");
    assert!(accepted.status().is_success(), "{}", accepted.status());
    assert_eq!(fetch(&stand.page_url(&pending.token)).await.status, 410);
    stand.bot.wait_for_sent_to(pending.chat_id, 1).await;
    let token = pending.token.clone();
    stand.shutdown().await;

    let text = logs.text();
    assert!(
        text.contains("/sign/{token}"),
        "the page's log line names the route: {text}"
    );
    assert!(!text.contains(&token), "a signing token was logged");
}
