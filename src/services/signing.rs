//! EDS signing through the hand-off page: one-time links, the page's data, and the page's post.
//!
//! - [`SigningService::request_application_signature`] moves a draft to awaiting signature
//!   and issues a link; [`SigningService::request_sign_in`] issues a link to sign a server nonce
//!   with the authentication key. A link is `{base}/sign/{token}`: 256 random bits, only their
//!   SHA-256 stored, bound to the chat, the IIN and the exact bytes to sign, 15 minutes, once.
//! - [`SigningService::page`] is what the page shows; [`SigningService::submit`] is its post:
//!   verify (a [`SignatureVerifier`] from configuration), then in ONE transaction spend the
//!   link (a conditional update: exactly one post wins, across processes), move the application
//!   awaiting signature → signed → accepted with its history, and queue the chat's message in
//!   the outbox. A refusal spends nothing, is counted, and is told on the page and in the chat;
//!   after [`MAX_REFUSED_POSTS`] refusals the link answers "too many".
//! - EDS sign-in: the post only spends the link and queues "press Continue"; the chat's login
//!   is opened by [`SigningService::complete_sign_in`] from that chat, once.
//!
//! Tokens never reach a log line, an error or the database.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use rand::TryRng as _;
use rand::rngs::SysRng;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, document_digest,
};
use crate::domain::{Iin, Lang};
use crate::i18n::{I18n, Msg};
use crate::outbox::payload::{Button, Content, RenderedMessage};
use crate::services::auth::{AuthError, AuthService, Login};
use crate::signing::{Expected, Purpose, Refusal, SignatureVerifier, VerifyError};
use crate::store::applications::{self, ApplicationSummary, StatusChange, StatusChangeError};
use crate::store::audit::{self, AuditEntry};
use crate::store::outbox::{self, NewOutboxMessage, OutboxKind};
use crate::store::signing::{
    self as requests, NewSigningRequest, PostClaim, PostLimits, SigningRequest,
};
use crate::store::{Db, StoreError, depositors};

/// How long a link lives.
pub const LINK_LIFETIME_MS: i64 = 15 * 60_000;
/// Refused posts after which a link answers "too many" (a new link is needed). Only refusals
/// count here: twenty simultaneous posts of one good signature must give one acceptance and
/// nineteen "gone", not "too many".
pub const MAX_REFUSED_POSTS: i64 = 5;
/// Posts of one link that may reach verification at all, whatever their outcome: a bound on the
/// work one link can cause, even when many bad posts arrive at once.
pub const MAX_POSTS: i64 = 30;
/// How long after signing on the page the chat may still open its login with "Continue".
pub const SIGN_IN_REDEEM_WINDOW_MS: i64 = 15 * 60_000;
/// Random bytes in a token (256 bits; the brief asks at least 128).
const TOKEN_BYTES: usize = 32;
/// A token as it appears in a link: base64url without padding of [`TOKEN_BYTES`].
const TOKEN_CHARS: usize = 43;
/// The callback data of the "Continue" button in the outbox message after an EDS sign-in. The
/// button is sent outside a conversation step, so it cannot carry a session's `{nonce}:{index}`:
/// the runner maps this fixed id to [`crate::dialogue::Action::ContinueEdsSignIn`], whose
/// handler acts only on a signed request bound to the pressing chat.
pub const EDS_CONTINUE_CALLBACK: &str = "eds:continue";

/// A one-time link to the signing page.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningLink {
    /// `{base}/sign/{token}`: secret, never logged.
    pub url: String,
    pub expires_at_ms: i64,
}

impl std::fmt::Debug for SigningLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningLink")
            .field("url", &"<secret>")
            .field("expires_at_ms", &self.expires_at_ms)
            .finish()
    }
}

/// Why no link was issued.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// No application with this number belongs to this depositor (or it has no document).
    #[error("no such application")]
    NotFound,
    /// The application is not a draft (or already awaiting signature).
    #[error("the application cannot be signed in its status")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<StatusChangeError> for RequestError {
    fn from(error: StatusChangeError) -> Self {
        match error {
            StatusChangeError::NotFound => RequestError::NotFound,
            StatusChangeError::Store(e) => RequestError::Store(e),
            StatusChangeError::NotAllowed { .. }
            | StatusChangeError::BeforeLastChange
            | StatusChangeError::Conflict => RequestError::NotAllowed,
        }
    }
}

/// What the page shows and asks NCALayer to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningPage {
    /// The chat's language when the link was issued.
    pub lang: Lang,
    /// Document: the signing key (EKU 1.3.6.1.5.5.7.3.4); sign-in: the authentication key.
    pub purpose: Purpose,
    /// Who must sign (the page passes it to NCALayer as `signerParams.iin`).
    pub iin: Iin,
    pub application: Option<(ApplicationNumber, ApplicationKind)>,
    /// The exact bytes to sign: the application's canonical JSON, or the sign-in nonce.
    pub document: String,
    pub document_sha256: String,
    pub expires_at_ms: i64,
}

/// Why the page cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum PageRefusal {
    /// Unknown, spent or expired: one answer for all, so a guess learns nothing.
    #[error("the link is no longer valid")]
    Gone,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A post that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedOutcome {
    /// The application is accepted; the chat was told through the outbox.
    Accepted {
        lang: Lang,
        number: ApplicationNumber,
        kind: ApplicationKind,
    },
    /// The sign-in nonce is signed; the chat opens its login with "Continue".
    SignedIn { lang: Lang },
}

/// A post that did not succeed; nothing was accepted or spent.
#[derive(Debug, thiserror::Error)]
pub enum SubmitRefusal {
    /// Unknown, spent, expired, or its application moved on (one answer, no oracle).
    #[error("the link is no longer valid")]
    Gone,
    /// [`MAX_REFUSED_POSTS`] posts of this link were refused already.
    #[error("too many refused posts for this link")]
    TooManyPosts { lang: Lang },
    /// The signature is refused; the chat was told too.
    #[error("signature refused: {refusal}")]
    Refused { lang: Lang, refusal: Refusal },
    /// The verifier is down or not configured; nothing was counted as refused.
    #[error("the signature verifier is unavailable")]
    Unavailable { lang: Lang },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SubmitRefusal {
    /// The language of the link, when the link is known.
    pub fn lang(&self) -> Option<Lang> {
        match self {
            SubmitRefusal::TooManyPosts { lang }
            | SubmitRefusal::Refused { lang, .. }
            | SubmitRefusal::Unavailable { lang } => Some(*lang),
            SubmitRefusal::Gone | SubmitRefusal::Store(_) => None,
        }
    }

    /// The translated explanation for the page.
    pub fn message(&self) -> Msg {
        match self {
            SubmitRefusal::Gone => Msg::new("signing-gone"),
            SubmitRefusal::TooManyPosts { .. } => Msg::new("signing-too-many"),
            SubmitRefusal::Refused { refusal, .. } => refusal_msg(*refusal),
            SubmitRefusal::Unavailable { .. } | SubmitRefusal::Store(_) => {
                Msg::new("signing-unavailable")
            }
        }
    }
}

impl SignedOutcome {
    pub fn lang(&self) -> Lang {
        match self {
            SignedOutcome::Accepted { lang, .. } | SignedOutcome::SignedIn { lang } => *lang,
        }
    }

    /// The translated "done, return to Telegram" for the page.
    pub fn message(&self) -> Msg {
        match self {
            SignedOutcome::Accepted { number, .. } => {
                Msg::new("signing-page-accepted").text("number", number.to_string())
            }
            SignedOutcome::SignedIn { .. } => Msg::new("signing-page-signed-in"),
        }
    }
}

/// The reason of a refusal, in words: `eds-refused-<code>`.
pub fn refusal_msg(refusal: Refusal) -> Msg {
    Msg::new(&format!("eds-refused-{}", refusal.code()))
}

/// What "Continue" after an EDS sign-in found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdsSignIn {
    /// The chat is signed in now.
    SignedIn(Login),
    /// No signature from this chat is waiting (not signed yet, used, or too old).
    NotSigned,
    /// Signed, but no depositor of the fund has this IIN.
    UnknownDepositor,
}

#[derive(Clone)]
pub struct SigningService {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    verifier: Option<Arc<dyn SignatureVerifier>>,
    auth: Arc<AuthService>,
    i18n: Arc<I18n>,
    clock: SharedClock,
    /// Links start with this (no trailing slash).
    base_url: RwLock<String>,
}

impl SigningService {
    /// `verifier`: `None` when neither `NCANODE_URL` nor `EDS_TRUSTED_ROOTS` is set — links are
    /// issued, and every post answers "unavailable" without spending anything.
    pub fn new(
        db: Db,
        verifier: Option<Arc<dyn SignatureVerifier>>,
        auth: Arc<AuthService>,
        i18n: Arc<I18n>,
        clock: SharedClock,
        base_url: String,
    ) -> SigningService {
        SigningService {
            inner: Arc::new(Inner {
                db,
                verifier,
                auth,
                i18n,
                clock,
                base_url: RwLock::new(base_url.trim_end_matches('/').to_owned()),
            }),
        }
    }

    /// Where links point before anything is served: `PUBLIC_URL`, else `BIND_ADDR` as seen
    /// from this machine (see [`SigningService::serve_links_from`]).
    pub fn base_url_from(config: &Config) -> String {
        match &config.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => local_base(config.bind_addr),
        }
    }

    /// Without `PUBLIC_URL`, links point at the address this process actually serves on (a
    /// developer's machine: `serve` in polling mode, or `chat`).
    pub fn serve_links_from(&self, addr: SocketAddr) {
        let mut base = self
            .inner
            .base_url
            .write()
            .unwrap_or_else(|e| e.into_inner());
        *base = local_base(addr);
    }

    pub fn base_url(&self) -> String {
        self.inner
            .base_url
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether a verifier is configured (posts answer "unavailable" otherwise).
    pub fn can_verify(&self) -> bool {
        self.inner.verifier.is_some()
    }

    /// Moves this depositor's draft application to awaiting signature and issues a one-time
    /// link for it, in one transaction. An application already awaiting signature gets a new
    /// link and its earlier links stop working.
    pub async fn request_application_signature(
        &self,
        chat_id: i64,
        lang: Lang,
        depositor_id: i64,
        number: &ApplicationNumber,
        now_ms: i64,
    ) -> Result<SigningLink, RequestError> {
        let db = &self.inner.db;
        let depositor = depositors::find_by_id(db, depositor_id)
            .await?
            .ok_or(RequestError::NotFound)?;
        let detail = applications::get_for_depositor(db, depositor_id, number)
            .await?
            .ok_or(RequestError::NotFound)?;
        let (Some(_), Some(document_sha256)) = (&detail.document, &detail.document_sha256) else {
            return Err(RequestError::NotFound);
        };
        let (token, token_sha256) = new_token()?;
        let mut tx = db.begin_write().await?;
        let summary = match detail.summary.status {
            ApplicationStatus::Draft => {
                let change = StatusChange {
                    to: ApplicationStatus::AwaitingSignature,
                    at_ms: now_ms.max(detail.summary.updated_at_ms),
                    note: None,
                };
                applications::change_status_in(&mut tx, depositor_id, number, &change).await?
            }
            ApplicationStatus::AwaitingSignature => detail.summary.clone(),
            _ => return Err(RequestError::NotAllowed),
        };
        requests::revoke_for_application_in(&mut tx, summary.id, now_ms).await?;
        let expires_at_ms = now_ms + LINK_LIFETIME_MS;
        let new = NewSigningRequest {
            token_sha256,
            purpose: Purpose::Document,
            chat_id,
            lang,
            iin: depositor.iin.clone(),
            depositor_id: Some(depositor_id),
            application_id: Some(summary.id),
            nonce: None,
            document_sha256: document_sha256.clone(),
            created_at_ms: now_ms,
            expires_at_ms,
        };
        let id = requests::insert_in(&mut tx, &new).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.audit(
            chat_id,
            "signing.requested",
            &depositor.iin,
            format!("request={id} application={number}"),
        )
        .await?;
        Ok(self.link(&token, expires_at_ms))
    }

    /// Issues a one-time link to sign a fresh server nonce with the authentication key of
    /// `iin`; the chat's earlier sign-in links stop working. Whether `iin` belongs to a
    /// depositor is not looked at here (only a signature by that IIN's key gets further).
    pub async fn request_sign_in(
        &self,
        chat_id: i64,
        lang: Lang,
        iin: &Iin,
        now_ms: i64,
    ) -> Result<SigningLink, RequestError> {
        let (token, token_sha256) = new_token()?;
        let nonce = format!("Zeinet EDS sign-in {}", hex::encode(random_bytes()?));
        let expires_at_ms = now_ms + LINK_LIFETIME_MS;
        let new = NewSigningRequest {
            token_sha256,
            purpose: Purpose::SignIn,
            chat_id,
            lang,
            iin: iin.clone(),
            depositor_id: None,
            application_id: None,
            document_sha256: document_digest(&nonce),
            nonce: Some(nonce),
            created_at_ms: now_ms,
            expires_at_ms,
        };
        let mut tx = self.inner.db.begin_write().await?;
        requests::revoke_sign_in_of_chat_in(&mut tx, chat_id, now_ms).await?;
        let id = requests::insert_in(&mut tx, &new).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.audit(
            chat_id,
            "signing.sign_in_requested",
            iin,
            format!("request={id}"),
        )
        .await?;
        Ok(self.link(&token, expires_at_ms))
    }

    /// What the page for `token` shows: refused when the link is unknown, spent or expired, or
    /// its application is no longer awaiting this signature.
    pub async fn page(&self, token: &str, now_ms: i64) -> Result<SigningPage, PageRefusal> {
        let Some(token_sha256) = token_hash(token) else {
            return Err(PageRefusal::Gone);
        };
        let request = requests::find_by_token_hash(&self.inner.db, &token_sha256)
            .await?
            .filter(|r| r.is_open(now_ms))
            .ok_or(PageRefusal::Gone)?;
        let (document, application) = match self.signed_bytes(&request).await? {
            Some(found) => found,
            None => return Err(PageRefusal::Gone),
        };
        Ok(SigningPage {
            lang: request.lang,
            purpose: request.purpose,
            iin: request.iin.clone(),
            application: application.map(|a| (a.number, a.kind)),
            document,
            document_sha256: request.document_sha256.clone(),
            expires_at_ms: request.expires_at_ms,
        })
    }

    /// The page's post: `cms` exactly as NCALayer returned it (a string, or a JSON array of
    /// one). Verifies, then accepts in one transaction (see the module's top comment).
    pub async fn submit(
        &self,
        token: &str,
        cms: &str,
        now_ms: i64,
    ) -> Result<SignedOutcome, SubmitRefusal> {
        let db = &self.inner.db;
        let Some(token_sha256) = token_hash(token) else {
            return Err(SubmitRefusal::Gone);
        };
        let limits = PostLimits {
            max_refusals: MAX_REFUSED_POSTS,
            max_posts: MAX_POSTS,
        };
        let request = match requests::claim_post(db, &token_sha256, now_ms, limits).await? {
            PostClaim::Counted(request) => request,
            PostClaim::Gone => return Err(SubmitRefusal::Gone),
            PostClaim::TooMany => {
                let lang = requests::find_by_token_hash(db, &token_sha256)
                    .await?
                    .map_or(Lang::Kk, |r| r.lang);
                return Err(SubmitRefusal::TooManyPosts { lang });
            }
        };
        let lang = request.lang;
        let Some((content, application)) = self.signed_bytes(&request).await? else {
            return Err(SubmitRefusal::Gone);
        };
        let Some(verifier) = &self.inner.verifier else {
            tracing::warn!(
                request = request.id,
                "EDS post refused: no verifier configured (NCANODE_URL or EDS_TRUSTED_ROOTS)"
            );
            return Err(SubmitRefusal::Unavailable { lang });
        };
        let now = DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
        let expected = Expected {
            content: content.as_bytes(),
            iin: &request.iin,
            purpose: request.purpose,
            now,
        };
        let verified = match verifier.verify(cms, &expected).await {
            Ok(verified) => verified,
            Err(VerifyError::Unavailable(reason)) => {
                tracing::warn!(request = request.id, %reason, "EDS verifier unavailable");
                return Err(SubmitRefusal::Unavailable { lang });
            }
            Err(VerifyError::Refused(refusal)) => {
                self.refuse(&request, application.as_ref(), refusal, now_ms)
                    .await?;
                return Err(SubmitRefusal::Refused { lang, refusal });
            }
        };

        let mut tx = db.begin_write().await?;
        if !requests::spend_in(
            &mut tx,
            request.id,
            now_ms,
            &verified.serial,
            verified.verifier,
        )
        .await?
        {
            // Another post won the race (or the link expired meanwhile): nothing happens here.
            return Err(SubmitRefusal::Gone);
        }
        let outcome = match (&application, request.depositor_id) {
            (Some(application), Some(depositor_id)) => {
                match accept_in(&mut tx, &self.inner.i18n, depositor_id, application, now_ms).await
                {
                    Ok(()) => {}
                    Err(StatusChangeError::Store(e)) => return Err(SubmitRefusal::Store(e)),
                    // Cancelled (or otherwise moved on) since the page was opened: roll back.
                    Err(_) => return Err(SubmitRefusal::Gone),
                }
                let outcome = SignedOutcome::Accepted {
                    lang,
                    number: application.number,
                    kind: application.kind,
                };
                let text = self.render(
                    lang,
                    &Msg::new("signing-chat-accepted")
                        .text("number", application.number.to_string())
                        .msg("kind", Msg::new(application.kind.message_key()))
                        .msg(
                            "status",
                            Msg::new(ApplicationStatus::Accepted.message_key()),
                        ),
                );
                self.enqueue_in(&mut tx, &request, RenderedMessage::text(text), now_ms)
                    .await?;
                outcome
            }
            _ => {
                let text = self.render(lang, &Msg::new("signing-chat-signed-in"));
                let continue_label = self.render(lang, &Msg::new("button-eds-continue"));
                let message = RenderedMessage {
                    buttons: vec![vec![Button::callback(
                        continue_label,
                        EDS_CONTINUE_CALLBACK,
                    )]],
                    ..RenderedMessage::text(text)
                };
                self.enqueue_in(&mut tx, &request, message, now_ms).await?;
                SignedOutcome::SignedIn { lang }
            }
        };
        tx.commit().await.map_err(StoreError::from)?;
        crate::outbox::wake();
        let details = match &outcome {
            SignedOutcome::Accepted { number, .. } => {
                format!("request={} application={number}", request.id)
            }
            SignedOutcome::SignedIn { .. } => format!("request={}", request.id),
        };
        self.audit(
            request.chat_id,
            "signing.signed",
            &request.iin,
            format!(
                "{details} verifier={} revocation_checked={}",
                verified.verifier, verified.revocation_checked
            ),
        )
        .await?;
        Ok(outcome)
    }

    /// After an EDS sign-in was signed on the page: opens this chat's login from the chat's
    /// newest signed, unused sign-in request (at most [`SIGN_IN_REDEEM_WINDOW_MS`] old), once.
    pub async fn complete_sign_in(&self, chat_id: i64) -> Result<EdsSignIn, AuthError> {
        let now_ms = self.inner.clock.now_ms();
        let since = now_ms.saturating_sub(SIGN_IN_REDEEM_WINDOW_MS);
        let Some(iin) = requests::redeem_sign_in(&self.inner.db, chat_id, since, now_ms).await?
        else {
            return Ok(EdsSignIn::NotSigned);
        };
        Ok(
            match self.inner.auth.sign_in_with_eds(&iin, chat_id).await? {
                Some(login) => EdsSignIn::SignedIn(login),
                None => EdsSignIn::UnknownDepositor,
            },
        )
    }

    // ----------------------------------------------------------------------------------------

    fn link(&self, token: &str, expires_at_ms: i64) -> SigningLink {
        SigningLink {
            url: format!("{}/sign/{token}", self.base_url()),
            expires_at_ms,
        }
    }

    fn render(&self, lang: Lang, msg: &Msg) -> String {
        self.inner.i18n.render(lang, msg)
    }

    /// The exact bytes the request asks to be signed, and its application (documents): `None`
    /// when the application no longer awaits this signature or its document changed.
    async fn signed_bytes(
        &self,
        request: &SigningRequest,
    ) -> Result<Option<(String, Option<ApplicationSummary>)>, StoreError> {
        match (request.purpose, request.application_id, &request.nonce) {
            (Purpose::SignIn, _, Some(nonce)) => Ok(Some((nonce.clone(), None))),
            (Purpose::Document, Some(application_id), _) => {
                let mut conn = self.inner.db.pool().acquire().await?;
                let found = applications::get_with_document_in(&mut conn, application_id).await?;
                Ok(match found {
                    Some((summary, Some(document), Some(sha)))
                        if summary.status == ApplicationStatus::AwaitingSignature
                            && sha == request.document_sha256
                            && Some(summary.depositor_id) == request.depositor_id =>
                    {
                        Some((document, Some(summary)))
                    }
                    _ => None,
                })
            }
            _ => Ok(None),
        }
    }

    /// A refused post: counted, and the chat is told why, in one transaction.
    async fn refuse(
        &self,
        request: &SigningRequest,
        application: Option<&ApplicationSummary>,
        refusal: Refusal,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let lang = request.lang;
        let reason = refusal_msg(refusal);
        let msg = match application {
            Some(a) => Msg::new("signing-chat-refused")
                .text("number", a.number.to_string())
                .msg("reason", reason),
            None => Msg::new("signing-chat-sign-in-refused").msg("reason", reason),
        };
        let text = self.render(lang, &msg);
        let mut tx = self.inner.db.begin_write().await?;
        requests::record_refusal_in(&mut tx, request.id).await?;
        self.enqueue_in(&mut tx, request, RenderedMessage::text(text), now_ms)
            .await?;
        tx.commit().await?;
        crate::outbox::wake();
        self.audit(
            request.chat_id,
            "signing.refused",
            &request.iin,
            format!("request={} reason={}", request.id, refusal.code()),
        )
        .await
    }

    async fn enqueue_in(
        &self,
        conn: &mut AnyConnection,
        request: &SigningRequest,
        message: RenderedMessage,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let new = NewOutboxMessage::new(
            request.chat_id,
            OutboxKind::Interactive,
            Content::Message(message),
        );
        outbox::enqueue_in(conn, &new, now_ms).await?;
        Ok(())
    }

    async fn audit(
        &self,
        chat_id: i64,
        action: &str,
        iin: &Iin,
        details: String,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at_ms: self.inner.clock.now_ms(),
            chat_id: Some(chat_id),
            actor: "depositor".to_owned(),
            action: action.to_owned(),
            subject: Some(iin.masked()),
            details: Some(details),
        };
        audit::record(&self.inner.db, &entry).await
    }
}

/// Awaiting signature → signed → accepted with their history rows, then what acceptance of
/// this kind causes — all inside the caller's transaction.
async fn accept_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    depositor_id: i64,
    application: &ApplicationSummary,
    now_ms: i64,
) -> Result<(), StatusChangeError> {
    let at_ms = now_ms.max(application.updated_at_ms);
    let mut accepted = application.clone();
    for to in [ApplicationStatus::Signed, ApplicationStatus::Accepted] {
        let change = StatusChange {
            to,
            at_ms,
            note: None,
        };
        accepted = applications::change_status_in(conn, depositor_id, &application.number, &change)
            .await?;
    }
    after_acceptance_in(conn, i18n, &accepted).await?;
    Ok(())
}

/// What the acceptance of an application of a given kind changes elsewhere, in the same
/// transaction as the acceptance: a cancellation (`ManagerCancellation`) cancels the earlier
/// manager application it names, and the depositor is told of that change too.
async fn after_acceptance_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    accepted: &ApplicationSummary,
) -> Result<(), StatusChangeError> {
    match accepted.kind {
        ApplicationKind::ManagerCancellation => {
            let document = applications::get_with_document_in(conn, accepted.id)
                .await?
                .and_then(|(_, document, _)| document)
                .unwrap_or_default();
            crate::services::transfers::apply_accepted(conn, i18n, accepted, &document).await?;
            Ok(())
        }
        ApplicationKind::DisabilityPayout
        | ApplicationKind::VoluntaryPayoutAge
        | ApplicationKind::VoluntaryPayoutDisability
        | ApplicationKind::BankDetailsChange
        | ApplicationKind::ManagerChoice
        | ApplicationKind::ReturnToNationalBank
        | ApplicationKind::VoluntaryTransfer => Ok(()),
    }
}

/// `http://{addr}` with an unspecified address (0.0.0.0, ::) shown as loopback, since a
/// browser on this machine reaches it there.
fn local_base(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

fn random_bytes() -> Result<[u8; TOKEN_BYTES], StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    SysRng
        .try_fill_bytes(&mut bytes)
        .map_err(|_| StoreError::Invalid {
            what: "signing token",
            reason: "the operating system's random generator failed",
        })?;
    Ok(bytes)
}

/// A fresh token and the hash stored for it.
fn new_token() -> Result<(String, String), StoreError> {
    let token = URL_SAFE_NO_PAD.encode(random_bytes()?);
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    Ok((token, hash))
}

/// The stored hash of a token; `None` for text that cannot be one of our tokens (refused
/// without a database look-up).
pub fn token_hash(token: &str) -> Option<String> {
    let plausible = token.len() == TOKEN_CHARS
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then(|| hex::encode(Sha256::digest(token.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_to_what_is_stored() {
        let (a, hash_a) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_CHARS);
        assert_eq!(token_hash(&a), Some(hash_a.clone()));
        assert_eq!(hash_a.len(), 64);
        assert!(!hash_a.contains(&a));
    }

    #[test]
    fn implausible_tokens_are_refused_before_any_lookup() {
        let (token, _) = new_token().unwrap();
        for bad in [
            String::new(),
            token[1..].to_string(),
            format!("{token}A"),
            format!("{}/", &token[1..]),
            format!("{}=", &token[1..]),
            "../".repeat(15),
        ] {
            assert_eq!(token_hash(&bad), None, "{bad}");
        }
    }

    #[test]
    fn local_bases_use_loopback_for_unspecified_addresses() {
        assert_eq!(
            local_base("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            local_base("[::]:9000".parse().unwrap()),
            "http://[::1]:9000"
        );
        assert_eq!(
            local_base("192.168.1.5:80".parse().unwrap()),
            "http://192.168.1.5:80"
        );
    }

    #[test]
    fn refusals_and_outcomes_have_message_keys() {
        assert_eq!(
            refusal_msg(Refusal::IinMismatch).key,
            "eds-refused-iin-mismatch"
        );
        assert_eq!(SubmitRefusal::Gone.message().key, "signing-gone");
        assert_eq!(SubmitRefusal::Gone.lang(), None);
        let refused = SubmitRefusal::Refused {
            lang: Lang::Ru,
            refusal: Refusal::Expired,
        };
        assert_eq!(refused.lang(), Some(Lang::Ru));
        assert_eq!(refused.message().key, "eds-refused-expired");
    }

    #[test]
    fn links_do_not_show_in_debug_output() {
        let link = SigningLink {
            url: "https://x.kz/sign/secret-token".into(),
            expires_at_ms: 1,
        };
        assert!(!format!("{link:?}").contains("secret-token"));
    }
}
