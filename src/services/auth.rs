//! Sign-in, registration and password recovery, and the logins they start: the rules of
//! `security.md` ("One-time codes", "Passwords and sign-in", "Sessions") in one service.
//!
//! - One-time codes: asked for per IIN and purpose (resend interval, hourly quota, a new code
//!   revokes the old ones), delivered by SMS or e-mail, checked with an attempt counted before
//!   the comparison, spent once. A failed delivery costs the user nothing.
//! - Passwords: argon2id; an unknown IIN or a depositor without a password gets the same answer
//!   after the same work as a wrong password; failures lock password sign-in per IIN (attempts
//!   during the lock neither count nor extend it; sign-in by code still works).
//! - The chat throttle slows, then refuses, a chat that tries many different IINs; its counters
//!   are in the ephemeral store and it fails closed when that store is down.
//! - Logins expire on the server (idle and absolute limits); ending one is scoped to its
//!   depositor.
//!
//! Every audit subject is a masked IIN; no password, code, MAC or hash reaches a log line, an
//! audit row or an error message.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::dates::KAZAKHSTAN_TIME;
use crate::domain::{Iin, Lang, Money, NewPassword, Password, Phone};
use crate::ephemeral::{Ephemeral, EphemeralError};
use crate::gateways::{Delivery, Destination, OutboundMessage};
use crate::i18n::{I18n, Msg};
use crate::services::otp::{self, OtpKey, RandomError};
use crate::services::passwords::{HashError, PasswordHasher};
use crate::services::throttle::{ChatThrottle, ThrottleSettings, Verdict};
use crate::store::accounts;
use crate::store::audit::{self, AuditEntry};
use crate::store::codes::{self, CodeRecord, NewCode};
use crate::store::depositors::{self, Depositor};
use crate::store::logins::{self, EndReason};
use crate::store::password_locks::{self, Claim, LockPolicy};
use crate::store::{Db, StoreError, chats, credentials};

pub use crate::store::accounts::AccountKind;
pub use crate::store::codes::{Channel, CodePurpose};

const HOUR_MS: i64 = 3_600_000;

/// Throttle actions (part of the ephemeral keys).
const THROTTLE_PASSWORD: &str = "password";
const THROTTLE_CODE: &str = "code";

/// Why the service could not answer. The user is told to try again later; the details are
/// safe to log (no value of the user's is in them).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("records unavailable: {0}")]
    Store(#[from] StoreError),
    /// The ephemeral store is down: limits fail closed, nothing was consumed.
    #[error("{0}")]
    Ephemeral(#[from] EphemeralError),
    #[error("{0}")]
    Hashing(#[from] HashError),
    #[error("{0}")]
    Random(#[from] RandomError),
    /// `sign_in_with_code` or `set_password` without a fresh, unspent verification of a code of
    /// the right purpose in this chat (a caller's mistake, or a stale dialogue): start again.
    #[error("no verified one-time code for this step")]
    NotVerified,
    /// `profile` of a depositor id that does not exist.
    #[error("no such depositor")]
    UnknownDepositor,
}

/// The limits of this service (from [`Config`], or set directly by tests).
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub otp_key: OtpKey,
    pub otp_ttl: Duration,
    pub otp_max_attempts: u32,
    pub otp_resend: Duration,
    pub otp_per_hour: u32,
    pub password_max_failures: u32,
    /// The window failures are counted in, and the length of the lock.
    pub password_lock: Duration,
    pub login_idle: Duration,
    pub login_absolute: Duration,
    pub chat_throttle: ThrottleSettings,
}

impl AuthSettings {
    /// The settings of `config`; without `OTP_KEY` the process's own key (see
    /// [`OtpKey::process_fallback`]).
    pub fn from_config(config: &Config) -> std::result::Result<AuthSettings, RandomError> {
        let otp_key = match &config.otp_key {
            Some(key) => key.clone(),
            None => OtpKey::process_fallback()?,
        };
        Ok(AuthSettings {
            otp_key,
            otp_ttl: config.otp_ttl,
            otp_max_attempts: config.otp_max_attempts,
            otp_resend: config.otp_resend,
            otp_per_hour: config.otp_per_hour,
            password_max_failures: config.password_max_failures,
            password_lock: config.password_lock,
            login_idle: config.login_idle,
            login_absolute: config.login_absolute,
            chat_throttle: ThrottleSettings {
                slow_after: config.sign_in_slow_after_iins,
                refuse_after: config.sign_in_refuse_after_iins,
                window: config.sign_in_iin_window,
            },
        })
    }
}

/// What the registry has for an IIN, as the memo's step 2–3 needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactsLookup {
    /// No such depositor. For sign-in, show the same text as for a wrong password.
    NotFound,
    /// The depositor's phone or e-mail is also another depositor's: the memo's refusal.
    Duplicate,
    /// Neither a phone nor an e-mail on record.
    NoContacts,
    /// Where a code can go, masked as the memo shows them (`8778*****`, `Al*****@ma****`).
    Contacts {
        phone: Option<String>,
        email: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Handed to the gateway; `masked` is where it went.
    Sent { channel: Channel, masked: String },
    /// A code for this IIN and purpose was asked for too recently (or the chat is slowed down
    /// for trying many IINs): ask again in `wait_secs`.
    TooSoon { wait_secs: u64 },
    /// The hourly quota of this IIN is used up (or the chat tried too many IINs).
    TooMany,
    /// The gateway did not take it; nothing was counted, the user may try again.
    DeliveryFailed,
    /// No such depositor, a shared contact, or no contact of this channel.
    NoSuchChannel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: the code is spent, and this chat may now take the step it was asked for.
    Valid,
    Wrong {
        attempts_left: u32,
    },
    /// Older than the code's life: ask for a new one.
    Expired,
    /// No attempts left (the last wrong entry included): ask for a new one.
    TooManyAttempts,
    /// No live code of this purpose for this IIN in this chat (never asked, revoked by a newer
    /// one, already used, or the delivery failed).
    NoCode,
}

/// A signed-in chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Login {
    pub login_id: i64,
    pub depositor_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSignIn {
    Ok(Login),
    /// Wrong password, unknown IIN, or no password set: one answer for all three.
    Invalid,
    /// Password sign-in of this IIN is locked until then (sign-in by code still works).
    Locked {
        until_ms: i64,
    },
    /// This chat tried too many different IINs: try again later.
    ChatThrottled {
        retry_after_secs: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginState {
    /// Open and within its limits; its activity is refreshed.
    Active,
    /// Idle or too old: ended now, say so.
    Expired,
    /// Ended earlier (logout, from another chat, replaced, expired) or unknown.
    Ended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginSummary {
    pub login_id: i64,
    pub chat_id: i64,
    pub created_at_ms: i64,
    pub last_active_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBalance {
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    pub balance: Money,
    pub as_of: NaiveDate,
    /// `nbrk` (the National Bank) or a portfolio manager's code.
    pub manager: String,
}

/// What the cabinet shows after sign-in: personal data (masked) and savings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub full_name: String,
    pub iin_masked: String,
    pub birth_date: NaiveDate,
    pub sex: crate::domain::Sex,
    pub phone_masked: Option<String>,
    pub email_masked: Option<String>,
    pub accounts: Vec<AccountBalance>,
}

/// The service; cheap to clone (everything is shared).
#[derive(Clone)]
pub struct AuthService {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    clock: SharedClock,
    i18n: Arc<I18n>,
    delivery: Delivery,
    settings: AuthSettings,
    hasher: PasswordHasher,
    throttle: ChatThrottle,
}

/// The outcome of reserving a code in the database.
enum Reservation {
    Created(CodeRecord),
    TooSoon { wait_secs: u64 },
    TooMany,
}

type Result<T> = std::result::Result<T, AuthError>;

impl AuthService {
    pub fn new(
        db: Db,
        ephemeral: Arc<dyn Ephemeral>,
        clock: SharedClock,
        i18n: Arc<I18n>,
        delivery: Delivery,
        settings: AuthSettings,
    ) -> AuthService {
        let throttle =
            ChatThrottle::new(ephemeral, settings.otp_key.clone(), settings.chat_throttle);
        AuthService {
            inner: Arc::new(Inner {
                db,
                clock,
                i18n,
                delivery,
                settings,
                hasher: PasswordHasher::new(),
                throttle,
            }),
        }
    }

    pub fn settings(&self) -> &AuthSettings {
        &self.inner.settings
    }

    // ----------------------------------------------------------------------------------------
    // Contacts and codes

    /// Where a code for `iin` could go. The same for every purpose: the memo refuses shared
    /// contacts for registration, recovery and sign-in by code alike.
    pub async fn contacts_for(&self, _purpose: CodePurpose, iin: &Iin) -> Result<ContactsLookup> {
        let Some(depositor) = depositors::find_by_iin(&self.inner.db, iin).await? else {
            return Ok(ContactsLookup::NotFound);
        };
        self.contacts_of(&depositor).await
    }

    /// Makes a code, stores its MAC and hands it to the gateway of `channel`.
    pub async fn send_code(
        &self,
        purpose: CodePurpose,
        iin: &Iin,
        chat_id: i64,
        channel: Channel,
        lang: Lang,
    ) -> Result<SendOutcome> {
        let outcome = self
            .deliver_code(purpose, iin, chat_id, channel, lang)
            .await;
        match &outcome {
            Ok(SendOutcome::Sent { channel, .. }) => {
                crate::metrics::count_code_sent(channel.code())
            }
            Ok(SendOutcome::DeliveryFailed) => crate::metrics::count_gateway_error(channel.code()),
            _ => {}
        }
        outcome
    }

    async fn deliver_code(
        &self,
        purpose: CodePurpose,
        iin: &Iin,
        chat_id: i64,
        channel: Channel,
        lang: Lang,
    ) -> Result<SendOutcome> {
        let db = &self.inner.db;
        // First, so that with the ephemeral store down nothing at all happens.
        match self
            .inner
            .throttle
            .check(THROTTLE_CODE, chat_id, iin, self.now_ms())
            .await?
        {
            Verdict::Allowed => {}
            Verdict::Wait { retry_after_secs } => {
                return Ok(SendOutcome::TooSoon {
                    wait_secs: retry_after_secs,
                });
            }
            Verdict::Refused { .. } => return Ok(SendOutcome::TooMany),
        }
        let Some(depositor) = depositors::find_by_iin(db, iin).await? else {
            return Ok(SendOutcome::NoSuchChannel);
        };
        if !matches!(
            self.contacts_of(&depositor).await?,
            ContactsLookup::Contacts { .. }
        ) {
            return Ok(SendOutcome::NoSuchChannel);
        }
        let destination = match channel {
            Channel::Sms => depositor.phone.clone().map(Destination::Sms),
            Channel::Email => depositor.email.clone().map(Destination::Email),
        };
        let Some(destination) = destination else {
            return Ok(SendOutcome::NoSuchChannel);
        };

        let code = otp::generate_code()?;
        let record = match self
            .reserve_code(purpose, iin, chat_id, channel, &code)
            .await?
        {
            Reservation::Created(record) => record,
            Reservation::TooSoon { wait_secs } => return Ok(SendOutcome::TooSoon { wait_secs }),
            Reservation::TooMany => return Ok(SendOutcome::TooMany),
        };
        let message = self.code_message(purpose, &code, lang);
        drop(code);

        let details = Some(format!(
            "purpose={} channel={}",
            purpose.code(),
            channel.code()
        ));
        match self.inner.delivery.send(&destination, &message).await {
            Ok(()) => {
                let now = self.now_ms();
                codes::mark_sent(db, record.id).await?;
                codes::revoke_others(db, iin, purpose, record.id, now).await?;
                self.audit(Some(chat_id), "code_sent", Some(iin.masked()), details)
                    .await?;
                Ok(SendOutcome::Sent {
                    channel,
                    masked: destination.masked(),
                })
            }
            Err(error) => {
                codes::mark_failed(db, record.id, self.now_ms()).await?;
                // The error's text is ours (never a gateway's echo), so it is safe to log.
                tracing::warn!(
                    channel = channel.code(),
                    temporary = error.is_temporary(),
                    %error,
                    "one-time code not delivered"
                );
                self.audit(
                    Some(chat_id),
                    "code_not_delivered",
                    Some(iin.masked()),
                    details,
                )
                .await?;
                Ok(SendOutcome::DeliveryFailed)
            }
        }
    }

    /// Checks a typed code against the newest live code of this purpose for `iin` asked in
    /// this chat. The attempt is counted before the comparison.
    pub async fn check_code(
        &self,
        purpose: CodePurpose,
        iin: &Iin,
        chat_id: i64,
        code: &str,
    ) -> Result<CodeCheck> {
        let db = &self.inner.db;
        let settings = &self.inner.settings;
        let now = self.now_ms();
        let Some(record) = codes::current(db, iin, purpose, chat_id).await? else {
            return Ok(CodeCheck::NoCode);
        };
        if record.used_at_ms.is_some() {
            return Ok(CodeCheck::NoCode);
        }
        if now > record.expires_at_ms {
            return Ok(CodeCheck::Expired);
        }
        let max = i64::from(settings.otp_max_attempts);
        let Some(attempts) = codes::count_attempt(db, record.id, max).await? else {
            return Ok(CodeCheck::TooManyAttempts);
        };
        let matches = otp::normalize_code(code).is_some_and(|code| {
            settings
                .otp_key
                .code_matches(&record.code_mac, purpose, iin, chat_id, &code)
        });
        let details = Some(format!("purpose={}", purpose.code()));
        if matches {
            if !codes::mark_used(db, record.id, now).await? {
                // Spent or revoked in the meantime by a parallel entry or a newer code.
                return Ok(CodeCheck::NoCode);
            }
            self.audit(Some(chat_id), "code_verified", Some(iin.masked()), details)
                .await?;
            return Ok(CodeCheck::Valid);
        }
        let left = max.saturating_sub(attempts);
        if left <= 0 {
            self.audit(Some(chat_id), "code_exhausted", Some(iin.masked()), details)
                .await?;
            return Ok(CodeCheck::TooManyAttempts);
        }
        Ok(CodeCheck::Wrong {
            attempts_left: u32::try_from(left).unwrap_or(0),
        })
    }

    // ----------------------------------------------------------------------------------------
    // Sign-in and passwords

    pub async fn sign_in_with_password(
        &self,
        iin: &Iin,
        password: &Password,
        chat_id: i64,
    ) -> Result<PasswordSignIn> {
        let outcome = self.password_sign_in(iin, password, chat_id).await;
        crate::metrics::count_sign_in(match &outcome {
            Ok(PasswordSignIn::Ok(_)) => "ok",
            Ok(PasswordSignIn::Invalid) => "invalid",
            Ok(PasswordSignIn::Locked { .. }) => "locked",
            Ok(PasswordSignIn::ChatThrottled { .. }) => "throttled",
            Err(_) => "error",
        });
        outcome
    }

    async fn password_sign_in(
        &self,
        iin: &Iin,
        password: &Password,
        chat_id: i64,
    ) -> Result<PasswordSignIn> {
        let db = &self.inner.db;
        let now = self.now_ms();
        match self
            .inner
            .throttle
            .check(THROTTLE_PASSWORD, chat_id, iin, now)
            .await?
        {
            Verdict::Allowed => {}
            Verdict::Wait { retry_after_secs } | Verdict::Refused { retry_after_secs } => {
                return Ok(PasswordSignIn::ChatThrottled { retry_after_secs });
            }
        }
        let claim = password_locks::claim_attempt(db, iin, now, self.lock_policy()).await?;
        let locks_until_ms = match claim {
            Claim::Locked { until_ms } => {
                self.audit(
                    Some(chat_id),
                    "sign_in_failed",
                    Some(iin.masked()),
                    Some("method=password reason=locked".into()),
                )
                .await?;
                return Ok(PasswordSignIn::Locked { until_ms });
            }
            Claim::Counted { locks_until_ms, .. } => locks_until_ms,
        };

        let depositor = depositors::find_by_iin(db, iin).await?;
        let stored = match &depositor {
            Some(d) => credentials::get(db, d.id).await?.map(|c| c.password_hash),
            None => None,
        };
        // Same work whether or not there is a hash to check (dummy hash otherwise).
        let matches = self
            .inner
            .hasher
            .verify(password.expose(), stored.as_deref())
            .await?;

        match depositor {
            Some(depositor) if matches => {
                password_locks::clear(db, iin).await?;
                let login = self.start_login(&depositor, chat_id, "password").await?;
                Ok(PasswordSignIn::Ok(login))
            }
            _ => {
                self.audit(
                    Some(chat_id),
                    "sign_in_failed",
                    Some(iin.masked()),
                    Some("method=password".into()),
                )
                .await?;
                if locks_until_ms > 0 {
                    self.audit(Some(chat_id), "password_locked", Some(iin.masked()), None)
                        .await?;
                    return Ok(PasswordSignIn::Locked {
                        until_ms: locks_until_ms,
                    });
                }
                Ok(PasswordSignIn::Invalid)
            }
        }
    }

    /// Signs this chat in after `check_code(SignIn, ..) == Valid` in the same chat (the
    /// verification is spent here; a second call is `NotVerified`).
    pub async fn sign_in_with_code(&self, iin: &Iin, chat_id: i64) -> Result<Login> {
        let depositor = self
            .redeem_verification(iin, chat_id, &[CodePurpose::SignIn])
            .await?;
        self.start_login(&depositor, chat_id, "code").await
    }

    /// Signs this chat in as the depositor with `iin` after an EDS sign-in was verified and
    /// redeemed for this chat (`SigningService::complete_sign_in`, the only caller); `None`
    /// when no depositor has this IIN.
    pub async fn sign_in_with_eds(&self, iin: &Iin, chat_id: i64) -> Result<Option<Login>> {
        let Some(depositor) = depositors::find_by_iin(&self.inner.db, iin).await? else {
            self.audit(
                Some(chat_id),
                "sign_in_failed",
                Some(iin.masked()),
                Some("method=eds reason=unknown".into()),
            )
            .await?;
            return Ok(None);
        };
        let login = self.start_login(&depositor, chat_id, "eds").await?;
        crate::metrics::count_sign_in("ok");
        Ok(Some(login))
    }

    /// Sets the password after `check_code(Registration | Recovery, ..) == Valid` in the same
    /// chat: hashes it, stores it, lifts any password lock, and signs this chat in.
    pub async fn set_password(
        &self,
        iin: &Iin,
        password: &NewPassword,
        chat_id: i64,
    ) -> Result<Login> {
        let db = &self.inner.db;
        // Hash first: a failure here leaves the verification unspent.
        let hash = self.inner.hasher.hash(password.expose()).await?;
        let depositor = self
            .redeem_verification(
                iin,
                chat_id,
                &[CodePurpose::Registration, CodePurpose::Recovery],
            )
            .await?;
        credentials::upsert(db, depositor.id, &hash, self.now_ms()).await?;
        password_locks::clear(db, iin).await?;
        self.audit(Some(chat_id), "password_changed", Some(iin.masked()), None)
            .await?;
        self.start_login(&depositor, chat_id, "password_set").await
    }

    // ----------------------------------------------------------------------------------------
    // Logins

    /// Checks the login before serving its chat: refreshes it when within both limits, ends it
    /// when not.
    pub async fn touch_login(&self, login_id: i64) -> Result<LoginState> {
        let db = &self.inner.db;
        let now = self.now_ms();
        let (idle_cutoff, absolute_cutoff) = self.cutoffs(now);
        if logins::touch_if_fresh(db, login_id, now, idle_cutoff, absolute_cutoff).await? {
            return Ok(LoginState::Active);
        }
        let Some(record) = logins::get(db, login_id).await? else {
            return Ok(LoginState::Ended);
        };
        if record.ended_at_ms.is_some() {
            return Ok(LoginState::Ended);
        }
        let reason = if record.created_at_ms < absolute_cutoff {
            EndReason::Absolute
        } else {
            EndReason::Idle
        };
        if logins::end(db, login_id, now, reason).await? {
            let subject = self.subject_of(record.depositor_id).await?;
            self.audit_as(
                "system",
                Some(record.chat_id),
                "login_expired",
                subject,
                Some(format!("reason={}", reason.code())),
            )
            .await?;
        }
        Ok(LoginState::Expired)
    }

    /// `/logout`: ends the login (nothing happens when it had ended already).
    pub async fn logout(&self, login_id: i64) -> Result<()> {
        let db = &self.inner.db;
        let Some(record) = logins::get(db, login_id).await? else {
            return Ok(());
        };
        if logins::end(db, login_id, self.now_ms(), EndReason::Logout).await? {
            let subject = self.subject_of(record.depositor_id).await?;
            self.audit(Some(record.chat_id), "logout", subject, None)
                .await?;
        }
        Ok(())
    }

    /// The depositor's logins that are open and within their limits, oldest first.
    pub async fn active_logins(&self, depositor_id: i64) -> Result<Vec<LoginSummary>> {
        let (idle_cutoff, absolute_cutoff) = self.cutoffs(self.now_ms());
        let records =
            logins::active_of(&self.inner.db, depositor_id, idle_cutoff, absolute_cutoff).await?;
        Ok(records
            .into_iter()
            .map(|r| LoginSummary {
                login_id: r.id,
                chat_id: r.chat_id,
                created_at_ms: r.created_at_ms,
                last_active_ms: r.last_active_ms,
            })
            .collect())
    }

    /// Ends one of the depositor's own logins (from another chat); false when `login_id` is
    /// not an open login of this depositor.
    pub async fn end_login(&self, depositor_id: i64, login_id: i64) -> Result<bool> {
        let db = &self.inner.db;
        let Some(record) = logins::get(db, login_id).await? else {
            return Ok(false);
        };
        let ended = logins::end_of_depositor(
            db,
            depositor_id,
            login_id,
            self.now_ms(),
            EndReason::EndedElsewhere,
        )
        .await?;
        if ended {
            let subject = self.subject_of(depositor_id).await?;
            self.audit(Some(record.chat_id), "login_ended", subject, None)
                .await?;
        }
        Ok(ended)
    }

    // ----------------------------------------------------------------------------------------
    // What the cabinet shows

    /// Personal data (masked) and each account's balance at the end of today (Kazakhstan time).
    pub async fn profile(&self, depositor_id: i64) -> Result<Profile> {
        let db = &self.inner.db;
        let depositor = depositors::find_by_id(db, depositor_id)
            .await?
            .ok_or(AuthError::UnknownDepositor)?;
        let today = self.today();
        let mut balances = Vec::new();
        for account in accounts::accounts_of(db, depositor_id).await? {
            balances.push(AccountBalance {
                kind: account.kind,
                opened_on: account.opened_on,
                balance: accounts::balance(db, account.id, today).await?,
                as_of: today,
                manager: account.manager,
            });
        }
        let full_name = match &depositor.patronymic {
            Some(p) => format!("{} {} {p}", depositor.last_name, depositor.first_name),
            None => format!("{} {}", depositor.last_name, depositor.first_name),
        };
        Ok(Profile {
            full_name,
            iin_masked: depositor.iin.masked(),
            birth_date: depositor.birth_date,
            sex: depositor.sex,
            phone_masked: depositor.phone.as_ref().map(|p| p.masked()),
            email_masked: depositor.email.as_ref().map(|e| e.masked()),
            accounts: balances,
        })
    }

    /// Remembers (or with `None` forgets) the IIN to propose at the next sign-in in this chat.
    pub async fn remember_iin(&self, chat_id: i64, iin: Option<&Iin>) -> Result<()> {
        chats::set_remembered_iin(&self.inner.db, chat_id, iin).await?;
        Ok(())
    }

    pub async fn remembered_iin(&self, chat_id: i64) -> Result<Option<Iin>> {
        Ok(chats::remembered_iin(&self.inner.db, chat_id).await?)
    }

    // ----------------------------------------------------------------------------------------
    // Helpers

    fn now_ms(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    fn today(&self) -> NaiveDate {
        self.inner
            .clock
            .now()
            .with_timezone(&KAZAKHSTAN_TIME)
            .date_naive()
    }

    fn lock_policy(&self) -> LockPolicy {
        let s = &self.inner.settings;
        LockPolicy {
            max_failures: i64::from(s.password_max_failures),
            window_ms: millis(s.password_lock),
            lock_ms: millis(s.password_lock),
        }
    }

    /// (idle cutoff, absolute cutoff) at `now`: a login is within its limits when it was active
    /// at or after the first and started at or after the second.
    fn cutoffs(&self, now: i64) -> (i64, i64) {
        let s = &self.inner.settings;
        (
            now.saturating_sub(millis(s.login_idle)),
            now.saturating_sub(millis(s.login_absolute)),
        )
    }

    async fn contacts_of(&self, depositor: &Depositor) -> Result<ContactsLookup> {
        let db = &self.inner.db;
        if let Some(phone) = &depositor.phone
            && depositors::count_with_phone(db, phone).await? > 1
        {
            return Ok(ContactsLookup::Duplicate);
        }
        if let Some(email) = &depositor.email
            && depositors::count_with_email(db, email).await? > 1
        {
            return Ok(ContactsLookup::Duplicate);
        }
        if depositor.phone.is_none() && depositor.email.is_none() {
            return Ok(ContactsLookup::NoContacts);
        }
        // Offer only channels a gateway is configured for, unless that leaves none (then the
        // user learns at sending time that delivery is unavailable, rather than being told
        // wrongly that the fund has no contacts).
        let delivery = &self.inner.delivery;
        let phone = depositor.phone.clone().map(Destination::Sms);
        let email = depositor.email.clone().map(Destination::Email);
        let sendable = |d: &Option<Destination>| d.clone().filter(|d| delivery.can_send(d));
        let (phone, email) = match (sendable(&phone), sendable(&email)) {
            (None, None) => (phone, email),
            some => some,
        };
        Ok(ContactsLookup::Contacts {
            phone: phone.map(|d| d.masked()),
            email: email.map(|d| d.masked()),
        })
    }

    /// Checks the resend interval and the hourly quota and stores the code's MAC, in one
    /// transaction serialised per IIN (parallel requests cannot both pass the limits).
    async fn reserve_code(
        &self,
        purpose: CodePurpose,
        iin: &Iin,
        chat_id: i64,
        channel: Channel,
        code: &str,
    ) -> Result<Reservation> {
        let db = &self.inner.db;
        let settings = &self.inner.settings;
        let mut tx = db.begin_write().await?;
        // Keyed by a tag, not the IIN: lock names can show up in database logs.
        let lock_name = format!(
            "one-time-codes:{}",
            settings.otp_key.tag("code-lock", iin.as_str())
        );
        db.lock_in(&mut tx, &lock_name).await?;
        let now = self.now_ms();
        if let Some(last) = codes::last_created_at_in(&mut tx, iin, purpose).await? {
            let ready_at = last.saturating_add(millis(settings.otp_resend));
            if now < ready_at {
                return Ok(Reservation::TooSoon {
                    wait_secs: seconds_until(now, ready_at),
                });
            }
        }
        let recent = codes::count_created_since_in(&mut tx, iin, now - HOUR_MS + 1).await?;
        if recent >= i64::from(settings.otp_per_hour) {
            return Ok(Reservation::TooMany);
        }
        let new = NewCode {
            purpose,
            iin: iin.clone(),
            chat_id,
            channel,
            code_mac: settings.otp_key.code_mac(purpose, iin, chat_id, code),
            created_at_ms: now,
            expires_at_ms: now.saturating_add(millis(settings.otp_ttl)),
        };
        let record = codes::insert_in(&mut tx, &new).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Reservation::Created(record))
    }

    /// The message carrying a code: the code and its purpose, nothing about the depositor.
    fn code_message(&self, purpose: CodePurpose, code: &str, lang: Lang) -> OutboundMessage {
        let key = match purpose {
            CodePurpose::Registration => "code-message-registration",
            CodePurpose::Recovery => "code-message-recovery",
            CodePurpose::SignIn => "code-message-sign-in",
        };
        let minutes =
            i64::try_from(self.inner.settings.otp_ttl.as_secs().div_ceil(60)).unwrap_or(i64::MAX);
        let i18n = &self.inner.i18n;
        let body = i18n.render(
            lang,
            &Msg::new(key).text("code", code).number("minutes", minutes),
        );
        OutboundMessage::new(i18n.get(lang, "code-message-subject"), body)
    }

    /// Spends the newest fresh verification of one of `purposes` for `iin` in this chat and
    /// returns its depositor.
    async fn redeem_verification(
        &self,
        iin: &Iin,
        chat_id: i64,
        purposes: &[CodePurpose],
    ) -> Result<Depositor> {
        let db = &self.inner.db;
        let depositor = depositors::find_by_iin(db, iin)
            .await?
            .ok_or(AuthError::NotVerified)?;
        let now = self.now_ms();
        let used_since = now.saturating_sub(millis(self.inner.settings.otp_ttl));
        if !codes::redeem_verified(db, iin, chat_id, purposes, used_since, now).await? {
            return Err(AuthError::NotVerified);
        }
        Ok(depositor)
    }

    /// Opens a login for the depositor in this chat, ending any earlier one of the chat (one
    /// chat, one login; logins in other chats stay).
    async fn start_login(
        &self,
        depositor: &Depositor,
        chat_id: i64,
        method: &str,
    ) -> Result<Login> {
        let db = &self.inner.db;
        let now = self.now_ms();
        logins::end_all_in_chat(db, chat_id, now, EndReason::Replaced).await?;
        let record = logins::create(db, depositor.id, chat_id, now).await?;
        self.audit(
            Some(chat_id),
            "sign_in_ok",
            Some(depositor.iin.masked()),
            Some(format!("method={method}")),
        )
        .await?;
        Ok(Login {
            login_id: record.id,
            depositor_id: depositor.id,
        })
    }

    async fn subject_of(&self, depositor_id: i64) -> Result<Option<String>> {
        Ok(depositors::find_by_id(&self.inner.db, depositor_id)
            .await?
            .map(|d| d.iin.masked()))
    }

    async fn audit(
        &self,
        chat_id: Option<i64>,
        action: &str,
        subject: Option<String>,
        details: Option<String>,
    ) -> Result<()> {
        self.audit_as("depositor", chat_id, action, subject, details)
            .await
    }

    async fn audit_as(
        &self,
        actor: &str,
        chat_id: Option<i64>,
        action: &str,
        subject: Option<String>,
        details: Option<String>,
    ) -> Result<()> {
        let entry = AuditEntry {
            at_ms: self.now_ms(),
            chat_id,
            actor: actor.to_owned(),
            action: action.to_owned(),
            subject,
            details,
        };
        audit::record(&self.inner.db, &entry).await?;
        Ok(())
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// Whole seconds from `now_ms` to `then_ms`, rounded up, at least 1.
fn seconds_until(now_ms: i64, then_ms: i64) -> u64 {
    let ms = then_ms.saturating_sub(now_ms).max(1);
    u64::try_from(ms.saturating_add(999) / 1000).unwrap_or(1)
}

/// Helpers for the dialogue's password and contact steps.
impl AuthService {
    /// A keyed fingerprint of a new password, kept in the session between its two entries so
    /// the repetition can be compared without the password itself ever being stored.
    pub fn password_fingerprint(&self, iin: &Iin, password: &str) -> String {
        self.inner
            .settings
            .otp_key
            .tag("new-password", &format!("{}\u{0}{password}", iin.as_str()))
    }

    /// Whether `password` is the one `fingerprint` was made from (compared in constant time).
    pub fn fingerprint_matches(&self, iin: &Iin, password: &str, fingerprint: &str) -> bool {
        use subtle::ConstantTimeEq;
        let computed = self.password_fingerprint(iin, password);
        computed.as_bytes().ct_eq(fingerprint.as_bytes()).into()
    }

    /// Whether the registry's phone of this depositor is `phone` (the Telegram contact check
    /// during registration; it never replaces the one-time code).
    pub async fn phone_matches(&self, iin: &Iin, phone: &Phone) -> Result<bool> {
        let depositor = depositors::find_by_iin(&self.inner.db, iin).await?;
        Ok(depositor.is_some_and(|d| d.phone.as_ref() == Some(phone)))
    }
}
