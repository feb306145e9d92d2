//! One-time codes as stored: never the code, only its keyed MAC, with the purpose, IIN and chat
//! it was asked for, its life, its attempts and what became of it.
//!
//! The race-sensitive steps are single conditional statements: counting a wrong entry
//! ([`count_attempt`]) and spending a code ([`mark_used`], [`redeem_verified`]) each touch a row
//! only while its condition still holds, so of many parallel callers exactly as many win as
//! the condition allows.

use std::fmt;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};
use crate::domain::Iin;

const TABLE: &str = "one_time_codes";
const COLUMNS: &str = "id, purpose, iin, chat_id, channel, code_mac, created_at_ms, expires_at_ms, \
                       attempts, delivery, used_at_ms, redeemed_at_ms, revoked_at_ms";

/// What a code is for. A code of one purpose never serves another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodePurpose {
    Registration,
    Recovery,
    SignIn,
}

impl CodePurpose {
    pub const ALL: [CodePurpose; 3] = [
        CodePurpose::Registration,
        CodePurpose::Recovery,
        CodePurpose::SignIn,
    ];

    /// The stored code: `registration`, `recovery`, `sign_in`.
    pub fn code(self) -> &'static str {
        match self {
            CodePurpose::Registration => "registration",
            CodePurpose::Recovery => "recovery",
            CodePurpose::SignIn => "sign_in",
        }
    }

    pub fn from_code(code: &str) -> Option<CodePurpose> {
        CodePurpose::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Where a code is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::Sms, Channel::Email];

    /// The stored code: `sms`, `email`.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What the delivery gateway did with the code's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Written, the gateway not yet answered: not usable, but it counts against the limits so
    /// parallel requests cannot slip past them.
    Pending,
    /// The gateway accepted the message: the code can be entered.
    Sent,
    /// The gateway refused or was down: revoked, and counted against nothing.
    Failed,
}

impl DeliveryState {
    fn code(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> Option<DeliveryState> {
        [
            DeliveryState::Pending,
            DeliveryState::Sent,
            DeliveryState::Failed,
        ]
        .into_iter()
        .find(|d| d.code() == code)
    }
}

/// A stored code. `Debug` leaves the MAC out.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeRecord {
    pub id: i64,
    pub purpose: CodePurpose,
    pub iin: Iin,
    pub chat_id: i64,
    pub channel: Channel,
    /// Hex HMAC-SHA256 of the code and what it is bound to (see `services::otp`).
    pub code_mac: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
    pub attempts: i64,
    pub delivery: DeliveryState,
    pub used_at_ms: Option<i64>,
    pub redeemed_at_ms: Option<i64>,
    pub revoked_at_ms: Option<i64>,
}

impl fmt::Debug for CodeRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeRecord")
            .field("id", &self.id)
            .field("purpose", &self.purpose)
            .field("iin", &self.iin)
            .field("chat_id", &self.chat_id)
            .field("channel", &self.channel)
            .field("created_at_ms", &self.created_at_ms)
            .field("expires_at_ms", &self.expires_at_ms)
            .field("attempts", &self.attempts)
            .field("delivery", &self.delivery)
            .field("used_at_ms", &self.used_at_ms)
            .field("redeemed_at_ms", &self.redeemed_at_ms)
            .field("revoked_at_ms", &self.revoked_at_ms)
            .finish_non_exhaustive()
    }
}

/// A code to store (delivery starts `pending`).
#[derive(Clone, PartialEq, Eq)]
pub struct NewCode {
    pub purpose: CodePurpose,
    pub iin: Iin,
    pub chat_id: i64,
    pub channel: Channel,
    pub code_mac: String,
    pub created_at_ms: i64,
    pub expires_at_ms: i64,
}

impl fmt::Debug for NewCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCode")
            .field("purpose", &self.purpose)
            .field("iin", &self.iin)
            .field("chat_id", &self.chat_id)
            .field("channel", &self.channel)
            .finish_non_exhaustive()
    }
}

fn from_row(row: &AnyRow) -> Result<CodeRecord, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(CodeRecord {
        id: c.i64("id")?,
        purpose: c.parsed("purpose", |s| CodePurpose::from_code(s).ok_or(()))?,
        iin: c.parsed("iin", Iin::parse)?,
        chat_id: c.i64("chat_id")?,
        channel: c.parsed("channel", |s| Channel::from_code(s).ok_or(()))?,
        code_mac: c.text("code_mac")?,
        created_at_ms: c.i64("created_at_ms")?,
        expires_at_ms: c.i64("expires_at_ms")?,
        attempts: c.i64("attempts")?,
        delivery: c.parsed("delivery", |s| DeliveryState::from_code(s).ok_or(()))?,
        used_at_ms: c.opt_i64("used_at_ms")?,
        redeemed_at_ms: c.opt_i64("redeemed_at_ms")?,
        revoked_at_ms: c.opt_i64("revoked_at_ms")?,
    })
}

/// Stores a new code, `pending` delivery.
pub async fn insert(db: &Db, new: &NewCode) -> Result<CodeRecord, StoreError> {
    let mut conn = db.pool().acquire().await?;
    insert_in(&mut conn, new).await
}

/// [`insert`] on a connection the caller holds (inside its transaction).
pub async fn insert_in(conn: &mut AnyConnection, new: &NewCode) -> Result<CodeRecord, StoreError> {
    let sql = format!(
        "INSERT INTO one_time_codes \
         (purpose, iin, chat_id, channel, code_mac, created_at_ms, expires_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.purpose.code())
        .bind(new.iin.as_str())
        .bind(new.chat_id)
        .bind(new.channel.code())
        .bind(&new.code_mac)
        .bind(new.created_at_ms)
        .bind(new.expires_at_ms)
        .fetch_one(&mut *conn)
        .await?;
    from_row(&row)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<CodeRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM one_time_codes WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// When the last code of this IIN and purpose that was not a failed delivery was created
/// (for the resend interval); `None` when there is none.
pub async fn last_created_at_in(
    conn: &mut AnyConnection,
    iin: &Iin,
    purpose: CodePurpose,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT MAX(created_at_ms) AS last FROM one_time_codes \
         WHERE iin = $1 AND purpose = $2 AND delivery <> 'failed'",
    )
    .bind(iin.as_str())
    .bind(purpose.code())
    .fetch_one(&mut *conn)
    .await?;
    Columns::new(&row, TABLE).opt_i64("last")
}

/// How many codes of this IIN, of any purpose, were created at or after `since_ms`, failed
/// deliveries left out (for the hourly limit).
pub async fn count_created_since_in(
    conn: &mut AnyConnection,
    iin: &Iin,
    since_ms: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM one_time_codes \
         WHERE iin = $1 AND created_at_ms >= $2 AND delivery <> 'failed'",
    )
    .bind(iin.as_str())
    .bind(since_ms)
    .fetch_one(&mut *conn)
    .await?;
    Columns::new(&row, TABLE).i64("n")
}

/// The gateway accepted the message: a pending code becomes usable. False when the code was
/// not pending.
pub async fn mark_sent(db: &Db, id: i64) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE one_time_codes SET delivery = 'sent' WHERE id = $1 AND delivery = 'pending'",
    )
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The gateway did not take the message: the pending code is revoked and stops counting
/// against the limits. False when the code was not pending.
pub async fn mark_failed(db: &Db, id: i64, now_ms: i64) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE one_time_codes SET delivery = 'failed', revoked_at_ms = $1 \
         WHERE id = $2 AND delivery = 'pending'",
    )
    .bind(now_ms)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Revokes every other code of this IIN and purpose that is not revoked yet (used ones too,
/// so a verification not yet spent dies with them); returns how many.
pub async fn revoke_others(
    db: &Db,
    iin: &Iin,
    purpose: CodePurpose,
    keep_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query(
        "UPDATE one_time_codes SET revoked_at_ms = $1 \
         WHERE iin = $2 AND purpose = $3 AND id <> $4 AND revoked_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(iin.as_str())
    .bind(purpose.code())
    .bind(keep_id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected())
}

/// The newest delivered, unrevoked code of this IIN and purpose asked in this chat (it may be
/// used or expired: the caller tells the user which).
pub async fn current(
    db: &Db,
    iin: &Iin,
    purpose: CodePurpose,
    chat_id: i64,
) -> Result<Option<CodeRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM one_time_codes \
         WHERE iin = $1 AND purpose = $2 AND chat_id = $3 AND delivery = 'sent' \
           AND revoked_at_ms IS NULL \
         ORDER BY id DESC LIMIT 1"
    );
    let row = sqlx::query(&sql)
        .bind(iin.as_str())
        .bind(purpose.code())
        .bind(chat_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Counts one entry against the code, in its own statement and before any comparison, while
/// fewer than `max_attempts` were counted. Returns the new count, or `None` when the code had
/// no attempts left (or does not exist): parallel guesses can never push it past the maximum.
pub async fn count_attempt(db: &Db, id: i64, max_attempts: i64) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "UPDATE one_time_codes SET attempts = attempts + 1 \
         WHERE id = $1 AND attempts < $2 RETURNING attempts",
    )
    .bind(id)
    .bind(max_attempts)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref()
        .map(|row| Columns::new(row, TABLE).i64("attempts"))
        .transpose()
}

/// Spends a code: true for exactly one caller, and only while the code is neither used nor
/// revoked.
pub async fn mark_used(db: &Db, id: i64, now_ms: i64) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE one_time_codes SET used_at_ms = $1 \
         WHERE id = $2 AND used_at_ms IS NULL AND revoked_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Spends the verification a correctly entered code gave: the newest code of this IIN and
/// chat, of one of `purposes`, used at or after `used_since_ms`, not revoked and not redeemed
/// yet. True for exactly one caller per verification.
pub async fn redeem_verified(
    db: &Db,
    iin: &Iin,
    chat_id: i64,
    purposes: &[CodePurpose],
    used_since_ms: i64,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let (first, second) = match purposes {
        [] => return Ok(false),
        [only] => (*only, *only),
        [first, second, ..] => (*first, *second),
    };
    // The inner SELECT picks the candidate; the outer condition makes the spend single even
    // when two callers picked the same row (PostgreSQL re-checks it on the locked row).
    let result = sqlx::query(
        "UPDATE one_time_codes SET redeemed_at_ms = $1 \
         WHERE redeemed_at_ms IS NULL AND revoked_at_ms IS NULL AND id = ( \
           SELECT id FROM one_time_codes \
           WHERE iin = $2 AND chat_id = $3 AND purpose IN ($4, $5) \
             AND used_at_ms IS NOT NULL AND used_at_ms >= $6 \
             AND redeemed_at_ms IS NULL AND revoked_at_ms IS NULL \
           ORDER BY id DESC LIMIT 1)",
    )
    .bind(now_ms)
    .bind(iin.as_str())
    .bind(chat_id)
    .bind(first.code())
    .bind(second.code())
    .bind(used_since_ms)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in CodePurpose::ALL {
            assert_eq!(CodePurpose::from_code(p.code()), Some(p));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(c));
        }
        for d in [
            DeliveryState::Pending,
            DeliveryState::Sent,
            DeliveryState::Failed,
        ] {
            assert_eq!(DeliveryState::from_code(d.code()), Some(d));
        }
        assert_eq!(CodePurpose::from_code("signin"), None);
        assert_eq!(Channel::from_code("SMS"), None);
    }
}
