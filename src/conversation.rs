//! The runner between a transport and the dialogue engine.
//!
//! For one incoming event of one chat it: takes the chat's short lock, loads the session
//! (state, language, the buttons last shown), resolves a button press to its server-side
//! action, applies idle expiry, runs [`dialogue::step`], saves the session with
//! compare-and-set on its version, and renders the replies through [`I18n`].
//! Both the Telegram adapter and the terminal chat call [`Conversation::handle`].

use std::sync::Arc;
use std::time::Duration;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::clock::SharedClock;
use crate::dialogue::{
    self, Action, FieldKeyboard, Input, LinkButton, LoginChange, Reply, State, StepContext,
    StepOutcome, UnsupportedKind,
};
use crate::domain::Lang;
use crate::ephemeral::{Acquired, Ephemeral, EphemeralError, Once, Versioned};
use crate::i18n::I18n;
use crate::reference::Reference;
use crate::services::applications::ApplicationsService;
use crate::services::auth::{AuthError, AuthService, Login, LoginState};
use crate::services::booking::BookingService;
use crate::services::documents::DocumentService;
use crate::services::maintenance::{MaintenanceService, WINDOW_RECHECK, Window};
use crate::services::settings::SettingsService;
use crate::services::signing::{EDS_CONTINUE_CALLBACK, SigningService};
use crate::services::staff::StaffService;
use crate::services::transfers::TransfersService;
use crate::store::{self, Db, StoreError};

/// Who wrote: the chat, the Telegram user, and the user's interface language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRef {
    pub chat_id: i64,
    pub user_id: i64,
    pub language_code: Option<String>,
}

/// One event from a transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// A text message (commands included).
    Text(String),
    /// A button press: the callback data we put on the button.
    Callback(String),
    /// A shared contact; `user_id` is Telegram's `contact.user_id`.
    Contact { phone: String, user_id: Option<i64> },
    /// A sticker, photo, voice message and the like.
    Unsupported(UnsupportedKind),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutButton {
    pub label: String,
    /// Opaque callback data: `{nonce}:{index}`, at most 17 bytes; empty for a link.
    pub data: String,
    /// A link button opens this URL instead (it may hold a secret token: never log it).
    pub url: Option<String>,
}

impl OutButton {
    pub fn callback(label: String, data: String) -> OutButton {
        OutButton {
            label,
            data,
            url: None,
        }
    }

    pub fn link(label: String, url: String) -> OutButton {
        OutButton {
            label,
            data: String::new(),
            url: Some(url),
        }
    }
}

/// A keyboard under the text field rather than buttons on the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutField {
    /// One button that shares the user's own phone number.
    ShareContact { label: String },
    /// Take such a keyboard away.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMessage {
    pub text: String,
    pub buttons: Vec<Vec<OutButton>>,
    pub field: Option<OutField>,
    /// Personal data or balances: the transport forbids forwarding and saving.
    pub protect: bool,
    /// A file sent before the text.
    pub document: Option<OutDocument>,
    /// A place on the map sent before the text.
    pub venue: Option<OutVenue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutVenue {
    /// Degrees × 1 000 000.
    pub latitude_e6: i64,
    pub longitude_e6: i64,
    pub title: String,
    pub address: String,
}

impl OutVenue {
    /// Latitude and longitude in degrees.
    pub fn degrees(&self) -> (f64, f64) {
        (
            self.latitude_e6 as f64 / 1_000_000.0,
            self.longitude_e6 as f64 / 1_000_000.0,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDocument {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Rendered answer to one event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outgoing {
    pub messages: Vec<OutMessage>,
    /// Delete the user's message from the chat: it carried a password.
    pub delete_incoming: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConversationError {
    #[error(transparent)]
    Ephemeral(#[from] EphemeralError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Step(#[from] dialogue::StepError),
    #[error("the chat's session kept changing under us")]
    Contention,
}

/// The buttons last shown to a chat: their actions stay here, the chat only sees ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct KeyboardMemo {
    nonce: u32,
    actions: Vec<Action>,
}

/// The sign-in as kept in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct LoginRef {
    login_id: i64,
    depositor_id: i64,
}

impl From<Login> for LoginRef {
    fn from(l: Login) -> LoginRef {
        LoginRef {
            login_id: l.login_id,
            depositor_id: l.depositor_id,
        }
    }
}

impl From<LoginRef> for Login {
    fn from(l: LoginRef) -> Login {
        Login {
            login_id: l.login_id,
            depositor_id: l.depositor_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Session {
    state: State,
    lang: Lang,
    last_active_ms: i64,
    keyboard: KeyboardMemo,
    /// Whether `lang` is already recorded for the chat in the database.
    lang_saved: bool,
    /// The depositor this chat is signed in as (checked against the server at every message).
    #[serde(default)]
    login: Option<LoginRef>,
    /// Events handled in this session, for diagnostics and the ordering tests.
    seq: u64,
}

const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
const LOCK_TTL: Duration = Duration::from_secs(15);
const LOCK_WAIT: Duration = Duration::from_secs(5);
const CAS_ATTEMPTS: usize = 5;
/// How often the chat's "last seen" is written to the database at most.
const TOUCH_EVERY_MS: i64 = 60_000;

pub struct Conversation {
    db: Db,
    auth: Arc<AuthService>,
    applications: ApplicationsService,
    documents: DocumentService,
    reference: &'static Reference,
    booking: Arc<BookingService>,
    staff: StaffService,
    settings: SettingsService,
    maintenance: MaintenanceService,
    signing: SigningService,
    transfers: TransfersService,
    ephemeral: Arc<dyn Ephemeral>,
    i18n: Arc<I18n>,
    clock: SharedClock,
    idle: Duration,
}

/// What loading the session found.
enum Loaded {
    Fresh,
    Found(Session),
    Unreadable,
}

impl Conversation {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Db,
        auth: Arc<AuthService>,
        applications: ApplicationsService,
        documents: DocumentService,
        reference: &'static Reference,
        booking: Arc<BookingService>,
        signing: SigningService,
        transfers: TransfersService,
        ephemeral: Arc<dyn Ephemeral>,
        i18n: Arc<I18n>,
        clock: SharedClock,
        idle: Duration,
    ) -> Conversation {
        Conversation {
            staff: StaffService::new(db.clone()),
            settings: SettingsService::new(db.clone()),
            maintenance: MaintenanceService::cached(db.clone(), WINDOW_RECHECK),
            db,
            auth,
            applications,
            documents,
            reference,
            booking,
            signing,
            transfers,
            ephemeral,
            i18n,
            clock,
            idle,
        }
    }

    /// The maintenance windows as this conversation sees them: a window set through this
    /// handle applies at the next message (another process's within a recheck period).
    pub fn maintenance(&self) -> &MaintenanceService {
        &self.maintenance
    }

    pub fn i18n(&self) -> &I18n {
        &self.i18n
    }

    /// Handles one event of one chat. Events of one chat are serialised by a short lock in
    /// the ephemeral store and, should that lock lapse, by compare-and-set on the session.
    pub async fn handle(
        &self,
        chat: &ChatRef,
        incoming: Incoming,
    ) -> Result<Outgoing, ConversationError> {
        let handled = self.handle_once(chat, incoming, None).await?;
        // Without a once-only mark nothing is a duplicate.
        Ok(handled.unwrap_or_default())
    }

    /// [`Conversation::handle`] for an event that may be delivered more than once: `once` is
    /// claimed with the chat's lock and marked done with the session's write, in the same
    /// store steps. `None` when the event was claimed or handled already (nothing happens).
    pub async fn handle_once(
        &self,
        chat: &ChatRef,
        incoming: Incoming,
        once: Option<Once<'_>>,
    ) -> Result<Option<Outgoing>, ConversationError> {
        let lock_key = format!("lock:chat:{}", chat.chat_id);
        let session_key = format!("session:{}", chat.chat_id);
        let token = random_token();
        // The lock and the session come in one step, and go back in one (the session's write
        // releases the lock): two round trips to Redis per message instead of four.
        let Some((locked, stored)) = self.acquire(&lock_key, &token, &session_key, once).await?
        else {
            return Ok(None);
        };
        let owner = locked.then_some((lock_key.as_str(), token.as_bytes()));
        let result = self
            .handle_locked(chat, incoming, &session_key, stored, owner, once)
            .await;
        let released = matches!(result, Ok((_, true)));
        if locked
            && !released
            && let Err(e) = self
                .ephemeral
                .delete_if_equals(&lock_key, token.as_bytes())
                .await
        {
            tracing::warn!(chat_id = chat.chat_id, error = %e, "could not release chat lock");
        }
        result.map(|(outgoing, _)| Some(outgoing))
    }

    /// The answer when something we depend on is down: translated, with no buttons.
    pub fn temporary_failure(&self, chat: &ChatRef) -> Outgoing {
        let lang = Lang::from_telegram(chat.language_code.as_deref());
        Outgoing {
            messages: vec![OutMessage {
                text: self.i18n.get(lang, "error-temporary"),
                buttons: Vec::new(),
                field: None,
                protect: false,
                document: None,
                venue: None,
            }],
            delete_incoming: false,
        }
    }

    /// Takes the chat's lock (and claims `once`) and reads its session: (whether the lock is
    /// ours, the session); `None` for a duplicate.
    async fn acquire(
        &self,
        key: &str,
        token: &str,
        session_key: &str,
        once: Option<Once<'_>>,
    ) -> Result<Option<(bool, Option<Versioned>)>, ConversationError> {
        let deadline = tokio::time::Instant::now() + LOCK_WAIT;
        loop {
            match self
                .ephemeral
                .lock_and_get(key, token.as_bytes(), LOCK_TTL, session_key, once)
                .await?
            {
                Acquired::Taken(stored) => return Ok(Some((true, stored))),
                Acquired::Duplicate => return Ok(None),
                Acquired::Busy => {}
            }
            if tokio::time::Instant::now() >= deadline {
                // Carry on without the lock: compare-and-set still refuses a lost update.
                tracing::warn!("chat lock wait timed out");
                if let Some(once) = once
                    && !self.claim(once).await?
                {
                    return Ok(None);
                }
                return Ok(Some((false, self.ephemeral.get(session_key).await?)));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Claims `once` on its own (the chat's lock could not be had): `false` for a duplicate.
    async fn claim(&self, once: Once<'_>) -> Result<bool, ConversationError> {
        if self
            .ephemeral
            .set_if_absent(once.key, once.claim, once.claim_ttl)
            .await?
        {
            return Ok(true);
        }
        let held = self.ephemeral.get(once.key).await?;
        Ok(held.is_some_and(|held| held.value == once.claim))
    }

    /// Runs the step on the session read with the lock (`first`) and writes the session
    /// back; on a lost compare-and-set, reads it again and retries. `owner`: the chat's lock
    /// and our token, released with the write. Also says whether the lock was released.
    async fn handle_locked(
        &self,
        chat: &ChatRef,
        incoming: Incoming,
        key: &str,
        first: Option<Versioned>,
        owner: Option<(&str, &[u8])>,
        once: Option<Once<'_>>,
    ) -> Result<(Outgoing, bool), ConversationError> {
        let mut first = Some(first);
        for _ in 0..CAS_ATTEMPTS {
            let stored = match first.take() {
                Some(stored) => stored,
                None => self.ephemeral.get(key).await?,
            };
            let version = stored.as_ref().map(|s| s.version);
            let loaded = match &stored {
                None => Loaded::Fresh,
                Some(v) => match serde_json::from_slice::<Session>(&v.value) {
                    Ok(session) => Loaded::Found(session),
                    Err(_) => Loaded::Unreadable,
                },
            };
            let (session, outcome) = self.run(chat, loaded, incoming.clone()).await?;
            let bytes = serde_json::to_vec(&session).map_err(|_| ConversationError::Contention)?;
            let written = match owner {
                Some((lock, token)) => {
                    self.ephemeral
                        .compare_and_set_unlocking(
                            key,
                            version,
                            &bytes,
                            SESSION_TTL,
                            lock,
                            token,
                            once,
                        )
                        .await?
                }
                None => {
                    let written = self
                        .ephemeral
                        .compare_and_set(key, version, &bytes, SESSION_TTL)
                        .await?;
                    if written.is_some()
                        && let Some(once) = once
                    {
                        // Failing to mark is left to the claim's expiry: the write happened.
                        let _ = self
                            .ephemeral
                            .replace_if_equals(once.key, once.claim, once.done, once.done_ttl)
                            .await;
                    }
                    written
                }
            };
            if written.is_some() {
                let mut out = self.render(session.lang, &session.keyboard, &outcome.replies);
                out.delete_incoming = outcome.delete_incoming;
                return Ok((out, owner.is_some()));
            }
            tracing::debug!(
                chat_id = chat.chat_id,
                "session changed concurrently; retrying"
            );
        }
        Err(ConversationError::Contention)
    }

    /// Decides the step's outcome and the session to store.
    async fn run(
        &self,
        chat: &ChatRef,
        loaded: Loaded,
        incoming: Incoming,
    ) -> Result<(Session, StepOutcome), ConversationError> {
        let now = self.clock.now();
        let now_ms = now.timestamp_millis();
        let proposed = Lang::from_telegram(chat.language_code.as_deref());

        let needs_touch = match &loaded {
            Loaded::Found(s) => now_ms - s.last_active_ms >= TOUCH_EVERY_MS,
            _ => true,
        };
        let stored_lang = if needs_touch {
            let record = store::chats::touch(&self.db, chat.chat_id, chat.user_id, now_ms).await?;
            record.language.as_deref().and_then(Lang::from_code)
        } else {
            None
        };

        // Checked at every message against the clock; the stored row is re-read every
        // couple of seconds, so a window set by any process applies here within that.
        let window = self.maintenance.active(now).await?;
        let (session, outcome) = match loaded {
            Loaded::Found(mut session) => {
                // The sign-in is checked on the server at every message: idle and absolute
                // expiry, logout, or an end ordered from another chat.
                let mut login_lost = false;
                if let Some(login) = session.login
                    && self.auth.touch_login(login.login_id).await? != LoginState::Active
                {
                    session.login = None;
                    login_lost = true;
                }
                let ctx = self.context(chat, session.lang, proposed, now, session.login, window);
                let idle_ms = i64::try_from(self.idle.as_millis()).unwrap_or(i64::MAX);
                let idle = now_ms - session.last_active_ms > idle_ms;
                let interrupted = !session.state.is_at_rest() && !session.state.has_own_deadline();
                let outcome = if login_lost || (idle && interrupted) {
                    dialogue::expired(&ctx)
                } else {
                    match resolve(&session, incoming, chat.user_id) {
                        Resolved::Input(input) => {
                            dialogue::step(&ctx, &session.state, input).await?
                        }
                        Resolved::StaleButton => dialogue::stale_button(&ctx, &session.state),
                    }
                };
                (session, outcome)
            }
            Loaded::Fresh | Loaded::Unreadable => {
                let unreadable = matches!(loaded, Loaded::Unreadable);
                let lang = stored_lang.unwrap_or(proposed);
                let ctx = self.context(chat, lang, proposed, now, None, window);
                let blank = Session {
                    state: State::Menu,
                    lang,
                    last_active_ms: now_ms,
                    keyboard: KeyboardMemo::default(),
                    lang_saved: stored_lang.is_some(),
                    login: None,
                    seq: 0,
                };
                let outcome = if unreadable {
                    tracing::warn!(chat_id = chat.chat_id, "stored session unreadable; reset");
                    dialogue::reset(&ctx)
                } else {
                    // A chat we have never spoken with: the language comes first.
                    let state = if stored_lang.is_none() {
                        State::ChooseLanguage { first_time: true }
                    } else {
                        State::Menu
                    };
                    match to_input(incoming, chat.user_id) {
                        Some(input) => dialogue::step(&ctx, &state, input).await?,
                        None => dialogue::stale_button(&ctx, &state),
                    }
                };
                (blank, outcome)
            }
        };

        // The language is recorded once chosen, and again whenever it changes.
        let choosing_first = matches!(outcome.state, State::ChooseLanguage { first_time: true });
        let lang_saved = if choosing_first {
            false
        } else {
            if !session.lang_saved || outcome.lang != session.lang {
                store::chats::set_language(&self.db, chat.chat_id, outcome.lang.code()).await?;
            }
            true
        };

        let login = match outcome.login {
            LoginChange::Keep => session.login,
            LoginChange::Set(login) => Some(LoginRef::from(login)),
            LoginChange::Clear => None,
        };
        let actions: Vec<Action> = outcome
            .replies
            .iter()
            .flat_map(Reply::actions)
            .copied()
            .collect();
        let next = Session {
            state: outcome.state.clone(),
            lang: outcome.lang,
            last_active_ms: now_ms,
            keyboard: KeyboardMemo {
                nonce: rand::rng().random(),
                actions,
            },
            lang_saved,
            login,
            seq: session.seq + 1,
        };
        Ok((next, outcome))
    }

    fn context<'a>(
        &'a self,
        chat: &ChatRef,
        lang: Lang,
        proposed: Lang,
        now: chrono::DateTime<chrono::Utc>,
        login: Option<LoginRef>,
        maintenance_window: Option<Window>,
    ) -> StepContext<'a> {
        StepContext {
            lang,
            proposed,
            now,
            chat_id: chat.chat_id,
            user_id: chat.user_id,
            login: login.map(Login::from),
            auth: &self.auth,
            applications: &self.applications,
            documents: &self.documents,
            reference: self.reference,
            booking: &self.booking,
            staff: &self.staff,
            settings: &self.settings,
            maintenance: &self.maintenance,
            maintenance_window,
            signing: &self.signing,
            transfers: &self.transfers,
        }
    }

    fn render(&self, lang: Lang, keyboard: &KeyboardMemo, replies: &[Reply]) -> Outgoing {
        let mut index = 0usize;
        let messages = replies
            .iter()
            .map(|reply| {
                let text = reply
                    .parts
                    .iter()
                    .map(|part| self.i18n.render(lang, part))
                    .collect::<Vec<_>>()
                    .join("\n\n");
                let mut buttons: Vec<Vec<OutButton>> = Vec::new();
                let link_row = |link: &LinkButton| {
                    vec![OutButton::link(
                        self.i18n.render(lang, &link.label),
                        link.url.clone(),
                    )]
                };
                for (row_number, row) in reply.buttons.iter().enumerate() {
                    let links = reply.links.iter().filter(|l| l.before_row == row_number);
                    buttons.extend(links.map(link_row));
                    let row = row
                        .iter()
                        .map(|button| {
                            let data = format!("{:x}:{index}", keyboard.nonce);
                            index += 1;
                            OutButton::callback(self.i18n.render(lang, &button.label), data)
                        })
                        .collect();
                    buttons.push(row);
                }
                let trailing = reply
                    .links
                    .iter()
                    .filter(|l| l.before_row >= reply.buttons.len());
                buttons.extend(trailing.map(link_row));
                let field = reply.field_keyboard.as_ref().map(|f| match f {
                    FieldKeyboard::ShareContact(label) => OutField::ShareContact {
                        label: self.i18n.render(lang, label),
                    },
                    FieldKeyboard::Remove => OutField::Remove,
                });
                OutMessage {
                    text,
                    buttons,
                    field,
                    protect: reply.protected,
                    document: reply.attachment.as_ref().map(|a| OutDocument {
                        file_name: a.file_name.clone(),
                        bytes: a.bytes.clone(),
                    }),
                    venue: reply.venue.as_ref().map(|v| OutVenue {
                        latitude_e6: v.latitude_e6,
                        longitude_e6: v.longitude_e6,
                        title: v.title.clone(),
                        address: v.address.clone(),
                    }),
                }
            })
            .collect();
        Outgoing {
            messages,
            delete_incoming: false,
        }
    }
}

enum Resolved {
    Input(Input),
    StaleButton,
}

/// Turns an event into engine input; a button press only counts when it belongs to the
/// buttons this session showed last.
fn resolve(session: &Session, incoming: Incoming, sender: i64) -> Resolved {
    match incoming {
        Incoming::Callback(data) if data == EDS_CONTINUE_CALLBACK => {
            Resolved::Input(Input::Action(Action::ContinueEdsSignIn))
        }
        Incoming::Callback(data) => match parse_callback(&data) {
            Some((nonce, index)) if nonce == session.keyboard.nonce => {
                match session.keyboard.actions.get(index) {
                    Some(action) => Resolved::Input(Input::Action(*action)),
                    None => Resolved::StaleButton,
                }
            }
            _ => Resolved::StaleButton,
        },
        other => match to_input(other, sender) {
            Some(input) => Resolved::Input(input),
            None => Resolved::StaleButton,
        },
    }
}

/// Events that need no session to be understood; a button press needs one.
/// A shared contact is the sender's own only when Telegram names the sender as its user.
fn to_input(incoming: Incoming, sender: i64) -> Option<Input> {
    match incoming {
        Incoming::Text(text) => Some(Input::from_text(&text)),
        // The one button sent outside a conversation step (the outbox message after an EDS
        // sign-in): its action checks everything on the server, for this chat only.
        Incoming::Callback(data) if data == EDS_CONTINUE_CALLBACK => {
            Some(Input::Action(Action::ContinueEdsSignIn))
        }
        Incoming::Callback(_) => None,
        Incoming::Contact { phone, user_id } => Some(Input::Contact {
            phone,
            own: user_id == Some(sender),
        }),
        Incoming::Unsupported(kind) => Some(Input::Unsupported(kind)),
    }
}

fn parse_callback(data: &str) -> Option<(u32, usize)> {
    let (nonce, index) = data.split_once(':')?;
    if nonce.len() > 8 || index.len() > 4 {
        return None;
    }
    Some((u32::from_str_radix(nonce, 16).ok()?, index.parse().ok()?))
}

fn random_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}
