//! The signing page's HTML: what is signed, the Sign button, and one hidden block per answer
//! the script can show (the script only chooses which block to show, so every text stays in
//! the Fluent files). Everything from outside — document fields, numbers, texts — is escaped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::DateTime;
use url::Url;

use super::fields::{self, Line, Shown};
use crate::documents::format::kazakhstan_time;
use crate::domain::Lang;
use crate::domain::application::ApplicationKind;
use crate::i18n::{I18n, Msg};
use crate::signing::Purpose;

/// Where the page's own script and style are served (same origin, see `sign_page::routes`).
pub const SCRIPT_PATH: &str = "/static/sign-page.js";
pub const STYLE_PATH: &str = "/static/sign-page.css";

/// NCALayer's installer, on the national CA's site.
pub const INSTALLER_URL: &str = "https://pki.gov.kz/ncalayer/";

/// ExtendedKeyUsage NCALayer is asked to offer: the signing key for documents, the
/// authentication key for sign-in (eds.md, "Purpose").
pub fn key_usage_oid(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Document => "1.3.6.1.5.5.7.3.4",
        Purpose::SignIn => "1.3.6.1.5.5.7.3.2",
    }
}

/// NCALayer's dialogs speak Kazakh or Russian.
pub fn ncalayer_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "kk",
        Lang::Ru | Lang::En => "ru",
    }
}

/// What one signing page shows.
#[derive(Debug, Clone)]
pub struct PageView<'a> {
    pub lang: Lang,
    pub purpose: Purpose,
    /// The depositor's IIN in full: NCALayer lists only this person's keys.
    pub iin: &'a str,
    /// The application's number and kind (none for sign-in).
    pub application: Option<(String, ApplicationKind)>,
    /// The exact text to sign.
    pub document: &'a str,
    pub document_sha256: &'a str,
    pub expires_at_ms: i64,
}

/// The states the script can show, in the order they appear in the page.
pub const STATES: &[&str] = &[
    "connecting",
    "choose-key",
    "sending",
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

/// The page for a live link.
pub fn page(i18n: &I18n, view: &PageView<'_>, ncalayer_url: &Url) -> String {
    let lang = view.lang;
    let t = |key: &str| escape(&i18n.get(lang, key));
    let (title, intro) = match view.purpose {
        Purpose::Document => ("sign-page-title-document", "sign-page-intro-document"),
        Purpose::SignIn => ("sign-page-title-sign-in", "sign-page-intro-sign-in"),
    };
    let mut body = String::new();
    body.push_str(&format!(
        "<main class=\"card\" id=\"sign\" data-ncalayer=\"{url}\" data-document=\"{doc}\" \
         data-iin=\"{iin}\" data-eku=\"{eku}\" data-locale=\"{locale}\">\n",
        url = escape(ncalayer_url.as_str()),
        doc = STANDARD.encode(view.document.as_bytes()),
        iin = escape(view.iin),
        eku = key_usage_oid(view.purpose),
        locale = ncalayer_locale(lang),
    ));
    body.push_str(&format!(
        "<p class=\"brand\">{}</p>\n<h1>{}</h1>\n<p class=\"intro\">{}</p>\n",
        t("sign-page-brand"),
        t(title),
        t(intro)
    ));
    body.push_str(&what_is_signed(i18n, view));
    body.push_str(&format!(
        "<dl class=\"meta\">\n<dt>{}</dt><dd class=\"hash\">{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
        t("sign-page-sha256"),
        escape(view.document_sha256),
        t("sign-page-expires"),
        escape(&expiry(i18n, lang, view.expires_at_ms)),
    ));
    body.push_str(&format!(
        "<p class=\"hint\">{}</p>\n<noscript><p class=\"problem\">{}</p></noscript>\n\
         <button type=\"button\" class=\"primary\" id=\"sign-button\" data-action=\"sign\">{}</button>\n",
        t("sign-page-needs-ncalayer"),
        t("sign-page-noscript"),
        t("sign-page-sign"),
    ));
    body.push_str(&status_blocks(i18n, lang, view.purpose));
    body.push_str("</main>\n");
    document(lang, &i18n.get(lang, title), &body, true)
}

/// The kind and number, then the document's fields (or its text when it is not JSON).
fn what_is_signed(i18n: &I18n, view: &PageView<'_>) -> String {
    let lang = view.lang;
    let t = |key: &str| escape(&i18n.get(lang, key));
    let mut out = String::new();
    if let Some((number, kind)) = &view.application {
        out.push_str(&format!(
            "<dl class=\"summary\">\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
            t("sign-page-kind"),
            escape(&i18n.get(lang, kind.message_key())),
            t("sign-page-number"),
            escape(number),
        ));
    }
    match view.purpose {
        Purpose::SignIn => {
            out.push_str(&format!(
                "<h2>{}</h2>\n<pre class=\"document\">{}</pre>\n",
                t("sign-page-sign-in-content"),
                escape(view.document)
            ));
        }
        Purpose::Document => {
            out.push_str(&format!("<h2>{}</h2>\n", t("sign-page-contents")));
            match fields::document_members(view.document) {
                Some(members) => {
                    out.push_str(&list(&fields::lines(i18n, lang, &members), "fields"));
                }
                None => out.push_str(&format!(
                    "<pre class=\"document\">{}</pre>\n",
                    escape(view.document)
                )),
            }
        }
    }
    out
}

fn list(lines: &[Line], class: &str) -> String {
    let mut out = format!("<dl class=\"{class}\">\n");
    for line in lines {
        out.push_str(&format!("<dt>{}</dt>", escape(&line.label)));
        match &line.value {
            Shown::Text(text) => out.push_str(&format!("<dd>{}</dd>\n", escape(text))),
            Shown::Nested(inner) => {
                out.push_str(&format!("<dd>\n{}</dd>\n", list(inner, "nested")))
            }
        }
    }
    out.push_str("</dl>\n");
    out
}

fn expiry(i18n: &I18n, lang: Lang, expires_at_ms: i64) -> String {
    let time = DateTime::from_timestamp_millis(expires_at_ms)
        .map(kazakhstan_time)
        .unwrap_or_default();
    i18n.render(lang, &Msg::new("sign-page-time").text("time", time))
}

/// One hidden block per state; `[data-detail]` takes a text the script gets at run time
/// (NCALayer's error, the server's message).
fn status_blocks(i18n: &I18n, lang: Lang, purpose: Purpose) -> String {
    let t = |key: &str| escape(&i18n.get(lang, key));
    let (choose_key, wrong_purpose, done) = match purpose {
        Purpose::Document => (
            "sign-page-choose-key-document",
            "sign-page-wrong-purpose-document",
            "sign-page-done-document",
        ),
        Purpose::SignIn => (
            "sign-page-choose-key",
            "sign-page-wrong-purpose-sign-in",
            "sign-page-done-sign-in",
        ),
    };
    let retry = format!(
        "<button type=\"button\" class=\"secondary\" data-action=\"sign\">{}</button>",
        t("sign-page-try-again")
    );
    let simple = |state: &str, class: &str, key: &str| {
        format!(
            "<section data-state=\"{state}\" class=\"{class}\" hidden><p>{}</p></section>\n",
            t(key)
        )
    };
    let detailed = |state: &str, key: &str| {
        format!(
            "<section data-state=\"{state}\" class=\"problem\" hidden><p>{}</p>\
             <p class=\"detail\" data-detail></p></section>\n",
            t(key)
        )
    };
    let steps: String = i18n
        .get(lang, "sign-page-not-running")
        .lines()
        .map(|line| format!("<p>{}</p>", escape(line.trim())))
        .collect();
    let mut out = String::from("<div id=\"status\" role=\"status\" aria-live=\"polite\">\n");
    out.push_str(&simple("connecting", "progress", "sign-page-connecting"));
    out.push_str(&simple("choose-key", "progress", choose_key));
    out.push_str(&simple("sending", "progress", "sign-page-sending"));
    out.push_str(&format!(
        "<section data-state=\"not-running\" class=\"problem\" hidden><h2>{}</h2>{steps}\
         <p><a href=\"{INSTALLER_URL}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a></p>\
         {retry}</section>\n",
        t("sign-page-not-running-title"),
        t("sign-page-installer"),
    ));
    out.push_str(&simple("cancelled", "notice", "sign-page-cancelled"));
    out.push_str(&detailed("failed", "sign-page-failed"));
    out.push_str(&simple("wrong-iin", "problem", "sign-page-wrong-iin"));
    out.push_str(&simple("wrong-purpose", "problem", wrong_purpose));
    out.push_str(&detailed("refused", "sign-page-refused"));
    out.push_str(&simple("unavailable", "problem", "sign-page-unavailable"));
    out.push_str(&simple("network", "problem", "sign-page-network"));
    out.push_str(&simple("error", "problem", "sign-page-error"));
    // The server's own message (it names the application) replaces the page's when given.
    out.push_str(&format!(
        "<section data-state=\"done\" class=\"success\" hidden><p data-default>{}</p>\
         <p data-detail></p></section>\n",
        t(done)
    ));
    out.push_str(&format!(
        "<section data-state=\"gone\" class=\"problem\" hidden><h2>{}</h2><p>{}</p></section>\n",
        t("sign-page-gone-title"),
        t("sign-page-gone")
    ));
    out.push_str("</div>\n");
    out
}

/// The answer for a link that is unknown, spent or expired — one page for all three, so
/// the answer tells nothing about which. The language is not known: all three are shown.
pub fn gone(i18n: &I18n) -> String {
    trilingual(i18n, "sign-page-gone-title", "sign-page-gone")
}

/// The answer when the records cannot be read right now.
pub fn unavailable(i18n: &I18n) -> String {
    trilingual(
        i18n,
        "sign-page-unavailable-title",
        "sign-page-unavailable-page",
    )
}

fn trilingual(i18n: &I18n, title_key: &str, text_key: &str) -> String {
    let mut body = String::from("<main class=\"card\">\n");
    for lang in Lang::ALL {
        body.push_str(&format!(
            "<section lang=\"{}\"><h1>{}</h1><p>{}</p></section>\n",
            lang.code(),
            escape(&i18n.get(lang, title_key)),
            escape(&i18n.get(lang, text_key)),
        ));
    }
    body.push_str("</main>\n");
    let title = Lang::ALL
        .iter()
        .map(|lang| i18n.get(*lang, title_key))
        .collect::<Vec<_>>()
        .join(" / ");
    document(Lang::Kk, &title, &body, false)
}

fn document(lang: Lang, title: &str, body: &str, with_script: bool) -> String {
    let script = if with_script {
        format!("<script src=\"{SCRIPT_PATH}\"></script>\n")
    } else {
        String::new()
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <link rel=\"stylesheet\" href=\"{STYLE_PATH}\">\n<title>{title}</title>\n</head>\n\
         <body>\n{body}{script}</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
    )
}

/// HTML text and attribute escaping.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(document: &'a str, purpose: Purpose, lang: Lang) -> PageView<'a> {
        PageView {
            lang,
            purpose,
            iin: "880101300123",
            application: (purpose == Purpose::Document)
                .then(|| ("Z-2026-000042".to_string(), ApplicationKind::ManagerChoice)),
            document,
            document_sha256: "ab12",
            expires_at_ms: 1_790_000_000_000,
        }
    }

    fn ncalayer() -> Url {
        Url::parse("wss://127.0.0.1:13579").unwrap()
    }

    #[test]
    fn the_page_escapes_what_the_document_says() {
        let i18n = I18n::load().unwrap();
        let html = page(
            &i18n,
            &view(
                r#"{"full_name":"<script>alert(1)</script>","x\"y":"a&b"}"#,
                Purpose::Document,
                Lang::En,
            ),
            &ncalayer(),
        );
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a&amp;b"));
        assert!(html.contains("X&quot;y"));
        // The only script is the same-origin file.
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains(&format!("<script src=\"{SCRIPT_PATH}\"></script>")));
    }

    #[test]
    fn the_page_hands_ncalayer_the_exact_bytes_the_key_usage_and_the_locale() {
        let i18n = I18n::load().unwrap();
        let document = r#"{"kind":"manager_choice","full_name":"Әлия Ұлы"}"#;
        let html = page(
            &i18n,
            &view(document, Purpose::Document, Lang::Kk),
            &ncalayer(),
        );
        assert!(html.contains(&format!(
            "data-document=\"{}\"",
            STANDARD.encode(document.as_bytes())
        )));
        assert!(html.contains("data-eku=\"1.3.6.1.5.5.7.3.4\""));
        assert!(html.contains("data-locale=\"kk\""));
        assert!(html.contains("data-ncalayer=\"wss://127.0.0.1:13579/\""));
        let html = page(
            &i18n,
            &view("nonce-123", Purpose::SignIn, Lang::En),
            &ncalayer(),
        );
        assert!(html.contains("data-eku=\"1.3.6.1.5.5.7.3.2\""));
        assert!(html.contains("data-locale=\"ru\""));
        assert!(html.contains("nonce-123"));
        for state in STATES {
            assert!(
                html.contains(&format!("data-state=\"{state}\"")),
                "no block for {state}"
            );
        }
    }

    #[test]
    fn a_document_that_is_not_json_is_shown_as_text() {
        let i18n = I18n::load().unwrap();
        let html = page(
            &i18n,
            &view("plain <text>", Purpose::Document, Lang::Ru),
            &ncalayer(),
        );
        assert!(html.contains("<pre class=\"document\">plain &lt;text&gt;</pre>"));
    }

    /// The page names its keys in calls `tests/texts.rs` does not scan; check them here.
    #[test]
    fn every_key_the_page_names_exists_in_every_language() {
        let i18n = I18n::load().unwrap();
        let mut named = 0;
        for source in [include_str!("render.rs"), include_str!("fields.rs")] {
            for (at, _) in source.match_indices("\"sign-page-") {
                let key: String = source[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                    .collect();
                if key.ends_with('-') {
                    continue; // a prefix (`sign-page-field-{name}`), not a key
                }
                named += 1;
                for lang in Lang::ALL {
                    assert!(i18n.has(lang, &key), "{key} missing in {}", lang.code());
                }
            }
        }
        assert!(named > 30, "found only {named} keys; is the scan broken?");
    }

    #[test]
    fn the_gone_page_speaks_all_three_languages_and_has_no_script() {
        let i18n = I18n::load().unwrap();
        let html = gone(&i18n);
        for lang in Lang::ALL {
            assert!(html.contains(&escape(&i18n.get(lang, "sign-page-gone"))));
        }
        assert!(!html.contains("<script"));
    }
}
