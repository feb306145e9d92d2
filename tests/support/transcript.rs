//! Transcript replay: reads a conversation from `dialogues/`, plays the user's lines
//! against the real engine (embedded stores, fixed clock) and compares the bot's lines.
//!
//! Format (one flow per file, one language per file):
//! ```text
//! # comment
//! lang: kk                 Telegram's language_code of the user (header)
//! language: ru             optional header: the chat already chose this language
//! > /start                 the user sends a text (or command)
//! > [Қазақша]              the user presses the button with this label in the latest messages
//! > [Қазақша] (stale)      ... the same label from an earlier keyboard
//! > (sticker)              (photo) (voice) (long 5000) (contact +77011234567 own|other)
//! > {code}                 the one-time password the bot sent last (the demo registry is
//!                          seeded; SMS and e-mail are captured)
//! password: IIN PASSWORD   optional header: that depositor already has this password
//! staff: ROLE              optional header: the transcript's user holds this staff role
//! maintenance: until DD.MM.YYYY HH:MM      optional header: a maintenance window from the
//!                          start (or `from DD.MM.YYYY HH:MM until ...`), Kazakhstan time
//! setting: KEY VALUE       optional header: a configuration setting (e.g. PAYMENT_URL)
//! x message deleted        the bot deleted the user's message above (it carried a password)
//! < first line of a bot message
//! | a further line of the same message ("|" alone: an empty line)
//! | [Button] [Button]      a row of buttons, rendered like that
//! ~ wait 15m 1s            moves the fixed clock
//! ~ corrupt-session        overwrites the stored session with bytes that do not parse
//! ~ maintenance until DD.MM.YYYY HH:MM    sets a maintenance window from now (as the header)
//! ~ maintenance clear      removes it
//! ~ eds-signed             the signing page of the latest link shown was signed and posted
//!                          successfully (the link is spent as `submit` spends it; real
//!                          signatures are posted to the real endpoint in tests/signing_flow.rs)
//! > (eds-continue)         the "Continue" button of the message the server sends after an
//!                          EDS sign-in (it comes through the outbox, not as a reply)
//! [Label ↗ https://zeinet.test/sign/{token}]   a link button; the random token is masked
//! ```
//! Set `BLESS=1` to rewrite the bot lines of every file from what the engine says now
//! (then read the diff before committing it).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use zeinet::channels::console::render_plain;
use zeinet::clock::{Clock, FixedClock};
use zeinet::config::Config;
use zeinet::conversation::{ChatRef, Incoming, OutMessage, Outgoing};
use zeinet::dialogue::UnsupportedKind;
use zeinet::domain::{Iin, NewPassword};
use zeinet::ephemeral::Ephemeral;
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::gateways::capture::CaptureSender;
use zeinet::gateways::{CodeSender, Delivery};
use zeinet::store::Db;

pub const CHAT_ID: i64 = 424242;
/// A chat of the same depositor elsewhere (used to set up passwords).
pub const OTHER_CHAT: i64 = 515151;

#[derive(Debug, Clone)]
enum Line {
    Header(String, String),
    User(String),
    Bot(String),
    Directive(String),
    Other,
}

fn classify(raw: &str) -> Line {
    if let Some(rest) = raw.strip_prefix("> ") {
        Line::User(rest.to_string())
    } else if raw == "<"
        || raw.starts_with("< ")
        || raw == "|"
        || raw.starts_with("| ")
        || raw.starts_with("x ")
    {
        Line::Bot(raw.to_string())
    } else if let Some(rest) = raw.strip_prefix("~ ") {
        Line::Directive(rest.trim().to_string())
    } else if let Some((k, v)) = raw.split_once(':').filter(|_| !raw.starts_with('#')) {
        if k.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !k.is_empty() {
            Line::Header(k.to_string(), v.trim().to_string())
        } else {
            Line::Other
        }
    } else {
        Line::Other
    }
}

/// Document numbers are random (`ZS-` + 11 characters): transcripts show them as `ZS-…`.
fn hide_document_numbers(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("ZS-") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let len = after
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            .count();
        if len == 11 {
            out.push_str("ZS-…");
            rest = &after[len..];
        } else {
            out.push_str("ZS-");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Where the transcripts' signing links point.
pub const SIGN_BASE: &str = "https://zeinet.test";

/// Signing tokens are random: transcripts show `…/sign/{token}`.
fn hide_sign_tokens(line: &str) -> String {
    let marker = "/sign/";
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at + marker.len()]);
        let after = &rest[at + marker.len()..];
        let len = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .count();
        if len > 0 {
            out.push_str("{token}");
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// The bot lines a set of messages renders to.
pub fn bot_lines(outgoing: &Outgoing) -> Vec<String> {
    let mut lines = Vec::new();
    if outgoing.delete_incoming {
        lines.push("x message deleted".to_string());
    }
    for message in &outgoing.messages {
        for (i, line) in render_plain(message)
            .lines()
            .map(|line| hide_sign_tokens(&hide_document_numbers(line)))
            .enumerate()
        {
            let marker = if i == 0 { "<" } else { "|" };
            if line.is_empty() {
                lines.push(marker.to_string());
            } else {
                lines.push(format!("{marker} {line}"));
            }
        }
    }
    lines
}

/// The moment every transcript starts at (10:00 UTC, 15:00 in Kazakhstan).
fn start_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

/// A migrated SQLite file with the demo registry, made once per test binary and copied for
/// each transcript (seeding takes longer than a whole conversation).
async fn seeded_template() -> &'static Path {
    static TEMPLATE: tokio::sync::OnceCell<(tempfile::TempDir, PathBuf)> =
        tokio::sync::OnceCell::const_new();
    let (_, path) = TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("template.db");
            let db = Db::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("sqlite opens");
            db.migrate().await.expect("migrations apply");
            let now = start_time();
            zeinet::demo::seed(&db, now.date_naive(), now.timestamp_millis())
                .await
                .expect("demo registry seeds");
            // Fold the write-ahead log into the file itself, so a copy of the file is whole.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(db.pool())
                .await
                .expect("checkpoint");
            db.close().await;
            (dir, path)
        })
        .await;
    path
}

pub struct Harness {
    pub app: Arc<zeinet::app::App>,
    pub clock: FixedClock,
    pub store: Arc<MemoryStore>,
    pub sms: Arc<CaptureSender>,
    pub email: Arc<CaptureSender>,
    /// The one-time password sent last, and how many messages each capture had then.
    pub last_code: Option<String>,
    seen: (usize, usize),
    pub chat: ChatRef,
    /// Every set of messages shown so far, newest last.
    shown: Vec<Vec<OutMessage>>,
    /// The token of the latest signing link shown.
    last_sign_token: Option<String>,
    _dir: tempfile::TempDir,
}

impl Harness {
    pub async fn new(language_code: Option<&str>) -> Harness {
        Harness::with_settings(language_code, Default::default()).await
    }

    /// A harness whose configuration has these settings besides the defaults.
    pub async fn with_settings(
        language_code: Option<&str>,
        settings: std::collections::HashMap<String, String>,
    ) -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("t.db");
        std::fs::copy(seeded_template().await, &file).expect("copy the seeded database");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("sqlite opens");
        db.migrate().await.expect("migrations apply");
        let clock = FixedClock::new(start_time());
        let store = Arc::new(MemoryStore::new());
        // Signing links start with PUBLIC_URL (the webhook itself is never started here).
        let mut config_map: std::collections::HashMap<String, String> = [
            ("PUBLIC_URL", SIGN_BASE),
            ("TELEGRAM_WEBHOOK_SECRET", "transcript-secret"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        // The transcript's own `setting:` headers come on top.
        config_map.extend(settings);
        let config = Config::from_map(&config_map).expect("transcript config");
        let sms = Arc::new(CaptureSender::new());
        let email = Arc::new(CaptureSender::new());
        let delivery = Delivery {
            sms: Some(sms.clone() as Arc<dyn CodeSender>),
            email: Some(email.clone() as Arc<dyn CodeSender>),
        };
        let app = zeinet::app::App::assemble(
            config,
            db,
            store.clone() as Arc<dyn Ephemeral>,
            Arc::new(clock.clone()),
            delivery,
        )
        .expect("app assembles");
        Harness {
            app,
            clock,
            store,
            sms,
            email,
            last_code: None,
            seen: (0, 0),
            chat: ChatRef {
                chat_id: CHAT_ID,
                user_id: CHAT_ID,
                language_code: language_code.map(str::to_string),
            },
            shown: Vec::new(),
            last_sign_token: None,
            _dir: dir,
        }
    }

    pub async fn send(&mut self, incoming: Incoming) -> Outgoing {
        let out = self
            .app
            .conversation
            .handle(&self.chat, incoming)
            .await
            .expect("conversation answers");
        let links = out.messages.iter().flat_map(|m| m.buttons.iter().flatten());
        for url in links.filter_map(|b| b.url.as_deref()) {
            if let Some(token) = url.split("/sign/").nth(1) {
                self.last_sign_token = Some(token.to_string());
            }
        }
        if out.messages.iter().any(|m| !m.buttons.is_empty()) {
            self.shown.push(out.messages.clone());
        }
        self.watch_codes();
        out
    }

    /// Notes the one-time password of any message sent since the last look.
    pub fn watch_codes(&mut self) {
        let sms = self.sms.sent();
        let email = self.email.sent();
        for (_, message) in sms[self.seen.0..].iter().chain(email[self.seen.1..].iter()) {
            if let Some(code) = message
                .body
                .split(|c: char| !c.is_ascii_digit())
                .find(|run| run.len() == 6)
            {
                self.last_code = Some(code.to_string());
            }
        }
        self.seen = (sms.len(), email.len());
    }

    /// The callback data of the button labelled `label`: in the latest keyboard, or with
    /// `stale` in the newest earlier keyboard that has such a label.
    pub fn button(&self, label: &str, stale: bool) -> Result<String, String> {
        let keyboards: Vec<&Vec<OutMessage>> = if stale {
            self.shown.iter().rev().skip(1).collect()
        } else {
            self.shown.iter().rev().take(1).collect()
        };
        for messages in keyboards {
            for button in messages.iter().flat_map(|m| m.buttons.iter().flatten()) {
                if button.label == label {
                    return Ok(button.data.clone());
                }
            }
        }
        Err(format!("no button [{label}] on screen"))
    }
}

fn parse_user(h: &Harness, text: &str) -> Result<Incoming, String> {
    if let Some(inner) = text.strip_prefix('[') {
        let (label, rest) = inner
            .split_once(']')
            .ok_or_else(|| format!("unclosed button: {text}"))?;
        let stale = rest.trim() == "(stale)";
        return Ok(Incoming::Callback(h.button(label, stale)?));
    }
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        let mut words = inner.split_whitespace();
        return match words.next() {
            Some("eds-continue") => Ok(Incoming::Callback(
                zeinet::services::signing::EDS_CONTINUE_CALLBACK.to_string(),
            )),
            Some("sticker") => Ok(Incoming::Unsupported(UnsupportedKind::Sticker)),
            Some("photo") => Ok(Incoming::Unsupported(UnsupportedKind::Photo)),
            Some("voice") => Ok(Incoming::Unsupported(UnsupportedKind::Voice)),
            Some("long") => {
                let n: usize = words
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("(long N) needs a number")?;
                Ok(Incoming::Text("ә".repeat(n)))
            }
            Some("contact") => {
                let phone = words.next().ok_or("(contact PHONE own|other)")?.to_string();
                let own = words.next() == Some("own");
                Ok(Incoming::Contact {
                    phone,
                    user_id: Some(if own { CHAT_ID } else { CHAT_ID + 1 }),
                })
            }
            _ => Err(format!("unknown event {text}")),
        };
    }
    if text == "{code}" {
        return h.last_code.clone().map(Incoming::Text).ok_or_else(|| {
            format!(
                "{{code}}: no one-time password was sent (captured: {} SMS, {} e-mail)",
                h.sms.sent().len(),
                h.email.sent().len()
            )
        });
    }
    Ok(Incoming::Text(text.to_string()))
}

fn parse_duration(spec: &str) -> Result<chrono::Duration, String> {
    let mut total = chrono::Duration::zero();
    for part in spec.split_whitespace() {
        let (num, unit) = part.split_at(part.len().saturating_sub(1));
        let n: i64 = num.parse().map_err(|_| format!("bad duration {part}"))?;
        total += match unit {
            "s" => chrono::Duration::seconds(n),
            "m" => chrono::Duration::minutes(n),
            "h" => chrono::Duration::hours(n),
            "d" => chrono::Duration::days(n),
            _ => return Err(format!("bad duration unit in {part}")),
        };
    }
    Ok(total)
}

/// Gives a depositor a password the way a person would, from another chat (registration
/// with a one-time code), then signs that chat out: the transcript's chat starts clean.
pub async fn preset_password(
    h: &mut Harness,
    iin: &Iin,
    password: &NewPassword,
) -> Result<(), String> {
    use zeinet::services::auth::{Channel, CodeCheck, CodePurpose, ContactsLookup};
    let auth = h.app.auth.clone();
    let purpose = CodePurpose::Registration;
    let channel = match auth
        .contacts_for(purpose, iin)
        .await
        .map_err(|e| e.to_string())?
    {
        ContactsLookup::Contacts { phone: Some(_), .. } => Channel::Sms,
        ContactsLookup::Contacts { email: Some(_), .. } => Channel::Email,
        other => return Err(format!("password header: cannot register ({other:?})")),
    };
    auth.send_code(purpose, iin, OTHER_CHAT, channel, zeinet::domain::Lang::Kk)
        .await
        .map_err(|e| e.to_string())?;
    h.watch_codes();
    let code = h
        .last_code
        .take()
        .ok_or("password header: no code was sent")?;
    match auth.check_code(purpose, iin, OTHER_CHAT, &code).await {
        Ok(CodeCheck::Valid) => {}
        other => return Err(format!("password header: code refused ({other:?})")),
    }
    let login = auth
        .set_password(iin, password, OTHER_CHAT)
        .await
        .map_err(|e| e.to_string())?;
    auth.logout(login.login_id)
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Replays one transcript. Returns the file rewritten with the actual bot lines, and the
/// first mismatch (file:line, expected, actual) if any.
pub async fn replay(path: &Path) -> Result<(String, Option<String>), String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let raw: Vec<&str> = source.lines().collect();
    let lines: Vec<Line> = raw.iter().map(|l| classify(l)).collect();

    let header = |key: &str| {
        lines.iter().find_map(|l| match l {
            Line::Header(k, v) if k == key => Some(v.clone()),
            _ => None,
        })
    };
    let settings = lines
        .iter()
        .filter_map(|l| match l {
            Line::Header(k, v) if k == "setting" => v
                .split_once(' ')
                .map(|(key, value)| (key.to_string(), value.trim().to_string())),
            _ => None,
        })
        .collect();
    let mut h = Harness::with_settings(header("lang").as_deref(), settings).await;
    if let Some(lang) = header("language") {
        zeinet::store::chats::touch(&h.app.db, CHAT_ID, CHAT_ID, 0)
            .await
            .map_err(|e| e.to_string())?;
        zeinet::store::chats::set_language(&h.app.db, CHAT_ID, &lang)
            .await
            .map_err(|e| e.to_string())?;
    }

    for line in &lines {
        if let Line::Header(key, value) = line
            && key == "password"
        {
            let (iin, password) = value.split_once(' ').ok_or("password: IIN PASSWORD")?;
            let iin = Iin::parse(iin).map_err(|e| format!("password header: {e}"))?;
            let password =
                NewPassword::parse(password, &iin).map_err(|e| format!("password header: {e}"))?;
            preset_password(&mut h, &iin, &password).await?;
        }
    }

    for line in &lines {
        if let Line::Header(key, value) = line
            && key == "staff"
        {
            let role: zeinet::store::staff::Role = value
                .parse()
                .map_err(|_| format!("staff header: unknown role {value:?}"))?;
            zeinet::store::staff::grant(&h.app.db, CHAT_ID, role, None, 0)
                .await
                .map_err(|e| format!("staff header: {e}"))?;
        }
    }

    // Last, so the headers above (a preset password) are not refused by the window.
    if let Some(spec) = header("maintenance") {
        set_maintenance(&h, &spec).await?;
    }

    let mut rewritten: Vec<String> = Vec::new();
    let mut mismatch: Option<String> = None;
    let mut i = 0;
    let loc = |i: usize| format!("{}:{}", path.display(), i + 1);
    while i < lines.len() {
        match &lines[i] {
            Line::User(text) => {
                rewritten.push(raw[i].to_string());
                let incoming = match parse_user(&h, text) {
                    Ok(incoming) => incoming,
                    // An earlier difference usually explains this one: report that first.
                    Err(e) => {
                        let here = format!("{}: {e}", loc(i));
                        return Err(match mismatch {
                            Some(earlier) => format!("{earlier}\n  and then {here}"),
                            None => here,
                        });
                    }
                };
                let out = h.send(incoming).await;
                let actual = bot_lines(&out);
                let start = i + 1;
                let mut end = start;
                while end < lines.len() && matches!(lines[end], Line::Bot(_)) {
                    end += 1;
                }
                let expected: Vec<&str> = raw[start..end].to_vec();
                if mismatch.is_none() {
                    for k in 0..expected.len().max(actual.len()) {
                        let e = expected.get(k).copied();
                        let a = actual.get(k).map(String::as_str);
                        if e != a {
                            mismatch = Some(format!(
                                "{}: after `{}`\n  expected: {}\n  actual:   {}",
                                loc(start + k.min(expected.len())),
                                raw[i],
                                e.unwrap_or("(nothing more)"),
                                a.unwrap_or("(nothing more)")
                            ));
                            break;
                        }
                    }
                }
                rewritten.extend(actual);
                i = end;
            }
            Line::Directive(d) => {
                rewritten.push(raw[i].to_string());
                if let Some(spec) = d.strip_prefix("wait ") {
                    h.clock
                        .advance(parse_duration(spec).map_err(|e| format!("{}: {e}", loc(i)))?);
                } else if d == "corrupt-session" {
                    let key = format!("session:{CHAT_ID}");
                    let current = h.store.get(&key).await.map_err(|e| e.to_string())?;
                    h.store
                        .compare_and_set(
                            &key,
                            current.map(|c| c.version),
                            b"{\"state\":\"from-an-older-version\"}",
                            Duration::from_secs(3600),
                        )
                        .await
                        .map_err(|e| e.to_string())?;
                } else if let Some(spec) = d.strip_prefix("maintenance ") {
                    set_maintenance(&h, spec)
                        .await
                        .map_err(|e| format!("{}: {e}", loc(i)))?;
                } else if d == "eds-signed" {
                    let token = h
                        .last_sign_token
                        .clone()
                        .ok_or("eds-signed: no link shown")?;
                    let hash = zeinet::services::signing::token_hash(&token)
                        .ok_or("eds-signed: not a token")?;
                    let spent = sqlx::query(
                        "UPDATE signing_requests SET spent_at_ms = $1, signer_serial = 'T', \
                         verifier = 'transcript' WHERE token_sha256 = $2 AND spent_at_ms IS NULL",
                    )
                    .bind(h.clock.now().timestamp_millis())
                    .bind(hash)
                    .execute(h.app.db.pool())
                    .await
                    .map_err(|e| e.to_string())?;
                    if spent.rows_affected() != 1 {
                        return Err(format!("{}: eds-signed: the link is not open", loc(i)));
                    }
                } else {
                    return Err(format!("{}: unknown directive ~ {d}", loc(i)));
                }
                i += 1;
            }
            Line::Bot(_) => {
                if mismatch.is_none() {
                    mismatch = Some(format!("{}: bot line with no user line before it", loc(i)));
                }
                i += 1;
            }
            Line::Header(..) | Line::Other => {
                rewritten.push(raw[i].to_string());
                i += 1;
            }
        }
    }
    let mut text = rewritten.join("\n");
    text.push('\n');
    Ok((text, mismatch))
}

/// All transcript files under `dialogues/`, sorted.
pub fn all_transcripts() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `until DD.MM.YYYY HH:MM`, `from DD.MM.YYYY HH:MM until DD.MM.YYYY HH:MM` or `clear`.
async fn set_maintenance(h: &Harness, spec: &str) -> Result<(), String> {
    use zeinet::services::maintenance::window_from_text;
    // The conversation's own handle, as `/maintenance` uses: the window applies at once.
    let service = h.app.conversation.maintenance();
    let now = zeinet::clock::Clock::now(&h.clock);
    let spec = spec.trim();
    if spec == "clear" {
        service
            .clear("cli", now)
            .await
            .map_err(|e| format!("maintenance: {e}"))?;
        return Ok(());
    }
    let (from, until) = match spec.strip_prefix("from ") {
        Some(rest) => {
            let (from, until) = rest
                .split_once(" until ")
                .ok_or("maintenance: from DD.MM.YYYY HH:MM until DD.MM.YYYY HH:MM")?;
            (Some(from.trim()), until.trim())
        }
        None => (
            None,
            spec.strip_prefix("until ")
                .ok_or("maintenance: until DD.MM.YYYY HH:MM")?
                .trim(),
        ),
    };
    let window = window_from_text(from, until, now).map_err(|e| format!("maintenance: {e}"))?;
    service
        .set(window, "cli", now)
        .await
        .map_err(|e| format!("maintenance: {e}"))
}
