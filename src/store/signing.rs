//! EDS signing requests (migration 0009): the one-time links `PUBLIC_URL/sign/{token}`.
//!
//! A row holds the SHA-256 of the token (never the token), the chat, language and IIN it is
//! bound to, what must be signed (an application, or a sign-in nonce) and its lifetime. The
//! rules that make a link single-use are single statements here, so they hold across processes
//! and on both backends:
//! - a post is counted with one conditional `UPDATE … RETURNING` that also refuses spent,
//!   expired and over-refused requests ([`claim_post`]);
//! - a refused post is counted in its own statement ([`record_refusal_in`]);
//! - the request is spent by one `UPDATE … WHERE spent_at_ms IS NULL` that changes exactly one
//!   row for exactly one caller ([`spend_in`]);
//! - a spent sign-in request opens a login once ([`redeem_sign_in`]).

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};
use crate::domain::{Iin, Lang};
use crate::signing::Purpose;

const TABLE: &str = "signing_requests";
const COLUMNS: &str = "id, purpose, chat_id, lang, iin, depositor_id, application_id, nonce, \
                       document_sha256, created_at_ms, expires_at_ms, posts, refusals, \
                       spent_at_ms, redeemed_at_ms";

/// The stored code of a purpose.
pub fn purpose_code(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Document => "document",
        Purpose::SignIn => "sign_in",
    }
}

fn purpose_from_code(code: &str) -> Result<Purpose, ()> {
    match code {
        "document" => Ok(Purpose::Document),
        "sign_in" => Ok(Purpose::SignIn),
        _ => Err(()),
    }
}

/// A request to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSigningRequest {
    /// Lowercase hex SHA-256 of the token.
    pub token_sha256: String,
    pub purpose: Purpose,
    pub chat_id: i64,
    pub lang: Lang,
    pub iin: Iin,
    /// The depositor whose application is signed (documents only).
    pub depositor_id: Option<i64>,
    /// The application signed (documents only).
    pub application_id: Option<i64>,
    /// The text signed to sign in (sign-in only).
    pub nonce: Option<String>,
    /// Lowercase hex SHA-256 of the exact bytes to sign.
    pub document_sha256: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

/// A stored request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningRequest {
    pub id: i64,
    pub purpose: Purpose,
    pub chat_id: i64,
    pub lang: Lang,
    pub iin: Iin,
    pub depositor_id: Option<i64>,
    pub application_id: Option<i64>,
    pub nonce: Option<String>,
    pub document_sha256: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    /// Posts counted so far (all outcomes).
    pub posts: i64,
    /// Posts whose signature was refused.
    pub refusals: i64,
    pub spent_at_ms: Option<i64>,
    pub redeemed_at_ms: Option<i64>,
}

impl SigningRequest {
    /// Neither spent nor expired at `now_ms`.
    pub fn is_open(&self, now_ms: i64) -> bool {
        self.spent_at_ms.is_none() && now_ms < self.expires_at_ms
    }
}

fn request_from_row(row: &AnyRow) -> Result<SigningRequest, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(SigningRequest {
        id: c.i64("id")?,
        purpose: c.parsed("purpose", purpose_from_code)?,
        chat_id: c.i64("chat_id")?,
        lang: c.parsed("lang", |s| Lang::from_code(s).ok_or(()))?,
        iin: c.parsed("iin", Iin::parse)?,
        depositor_id: c.opt_i64("depositor_id")?,
        application_id: c.opt_i64("application_id")?,
        nonce: c.opt_text("nonce")?,
        document_sha256: c.text("document_sha256")?,
        created_at_ms: c.i64("created_at_ms")?,
        expires_at_ms: c.i64("expires_at_ms")?,
        posts: c.i64("posts")?,
        refusals: c.i64("refusals")?,
        spent_at_ms: c.opt_i64("spent_at_ms")?,
        redeemed_at_ms: c.opt_i64("redeemed_at_ms")?,
    })
}

/// Stores a request; its id.
pub async fn insert_in(
    conn: &mut AnyConnection,
    new: &NewSigningRequest,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO signing_requests (token_sha256, purpose, chat_id, lang, iin, depositor_id, \
         application_id, nonce, document_sha256, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(new.token_sha256.clone())
    .bind(purpose_code(new.purpose))
    .bind(new.chat_id)
    .bind(new.lang.code())
    .bind(new.iin.as_str().to_owned())
    .bind(new.depositor_id)
    .bind(new.application_id)
    .bind(new.nonce.clone())
    .bind(new.document_sha256.clone())
    .bind(new.created_at_ms)
    .bind(new.expires_at_ms)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| StoreError::from(e).unique_as("signing request with this token"))?;
    Columns::new(&row, TABLE).i64("id")
}

/// Ends the open requests of an application (a new link replaces the old one); how many.
pub async fn revoke_for_application_in(
    conn: &mut AnyConnection,
    application_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE signing_requests SET expires_at_ms = $2 \
         WHERE application_id = $1 AND spent_at_ms IS NULL AND expires_at_ms > $2",
    )
    .bind(application_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ends the chat's open sign-in requests (a new sign-in link replaces the old one); how many.
pub async fn revoke_sign_in_of_chat_in(
    conn: &mut AnyConnection,
    chat_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "UPDATE signing_requests SET expires_at_ms = $2 \
         WHERE chat_id = $1 AND purpose = 'sign_in' AND spent_at_ms IS NULL \
         AND expires_at_ms > $2",
    )
    .bind(chat_id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// The request with this token hash, whatever its state.
pub async fn find_by_token_hash(
    db: &Db,
    token_sha256: &str,
) -> Result<Option<SigningRequest>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM signing_requests WHERE token_sha256 = $1");
    let row = sqlx::query(&sql)
        .bind(token_sha256.to_owned())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(request_from_row).transpose()
}

/// The request with this id.
pub async fn get(db: &Db, id: i64) -> Result<Option<SigningRequest>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM signing_requests WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(request_from_row).transpose()
}

/// What counting a post found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostClaim {
    /// Counted; the request is open and under its refusal limit.
    Counted(SigningRequest),
    /// Unknown, spent or expired (one answer for all three).
    Gone,
    /// Open, but its refused posts or all its posts reached their limits.
    TooMany,
}

/// How many posts of one link may be refused, and how many may reach verification at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostLimits {
    pub max_refusals: i64,
    pub max_posts: i64,
}

/// Counts a post of the page, in one statement that only matches an open request under both
/// limits: parallel posts each take their own count, so no more than `max_posts` of them ever
/// reach verification.
pub async fn claim_post(
    db: &Db,
    token_sha256: &str,
    now_ms: i64,
    limits: PostLimits,
) -> Result<PostClaim, StoreError> {
    let sql = format!(
        "UPDATE signing_requests SET posts = posts + 1 \
         WHERE token_sha256 = $1 AND spent_at_ms IS NULL AND expires_at_ms > $2 \
         AND refusals < $3 AND posts < $4 RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(token_sha256.to_owned())
        .bind(now_ms)
        .bind(limits.max_refusals)
        .bind(limits.max_posts)
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = row {
        return Ok(PostClaim::Counted(request_from_row(&row)?));
    }
    Ok(match find_by_token_hash(db, token_sha256).await? {
        Some(request) if request.is_open(now_ms) => PostClaim::TooMany,
        _ => PostClaim::Gone,
    })
}

/// Counts one refused post (its own statement: parallel refusals all count).
pub async fn record_refusal_in(conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE signing_requests SET refusals = refusals + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Spends the request for the one post that succeeded: true for exactly one caller, false when
/// it was spent (or expired) meanwhile. Call it first in the transaction that acts on it.
pub async fn spend_in(
    conn: &mut AnyConnection,
    id: i64,
    now_ms: i64,
    signer_serial: &str,
    verifier: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE signing_requests SET spent_at_ms = $2, signer_serial = $3, verifier = $4 \
         WHERE id = $1 AND spent_at_ms IS NULL AND expires_at_ms > $2",
    )
    .bind(id)
    .bind(now_ms)
    .bind(signer_serial.to_owned())
    .bind(verifier.to_owned())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the chat's newest sign-in request that was spent (signed) since `spent_since_ms` and
/// has not opened a login yet, and marks it redeemed: its IIN for exactly one caller.
pub async fn redeem_sign_in(
    db: &Db,
    chat_id: i64,
    spent_since_ms: i64,
    now_ms: i64,
) -> Result<Option<Iin>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM signing_requests \
         WHERE chat_id = $1 AND purpose = 'sign_in' AND spent_at_ms IS NOT NULL \
         AND spent_at_ms >= $2 AND redeemed_at_ms IS NULL \
         ORDER BY spent_at_ms DESC, id DESC LIMIT 1"
    );
    let Some(row) = sqlx::query(&sql)
        .bind(chat_id)
        .bind(spent_since_ms)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let request = request_from_row(&row)?;
    let done = sqlx::query(
        "UPDATE signing_requests SET redeemed_at_ms = $2 \
         WHERE id = $1 AND chat_id = $3 AND redeemed_at_ms IS NULL",
    )
    .bind(request.id)
    .bind(now_ms)
    .bind(chat_id)
    .execute(db.pool())
    .await?;
    Ok((done.rows_affected() == 1).then_some(request.iin))
}
