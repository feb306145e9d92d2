//! Failed password sign-ins per IIN, and the lock they lead to.
//!
//! An attempt is counted *before* the password is checked ([`claim_attempt`], one conditional
//! upsert), so parallel guesses cannot all reach the check: once the limit is reached the
//! remaining ones are refused. A success clears the row ([`clear`]). Attempts while locked are
//! refused without touching the row, so they neither count nor extend the lock. Rows are kept
//! for unknown IINs too, so an unknown IIN behaves exactly like a known one.

use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};
use crate::domain::Iin;

const TABLE: &str = "password_locks";
const COLUMNS: &str = "iin, window_start_ms, failures, locked_until_ms";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordLock {
    pub iin: Iin,
    pub window_start_ms: i64,
    pub failures: i64,
    /// 0 when not locked.
    pub locked_until_ms: i64,
}

/// How failures turn into a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures within the window that lock the password.
    pub max_failures: i64,
    /// Length of the window failures are counted in.
    pub window_ms: i64,
    /// How long the lock lasts.
    pub lock_ms: i64,
}

/// The outcome of [`claim_attempt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The attempt is counted (`failures` includes it). When it is the last one allowed,
    /// `locks_until_ms` is when the lock now set ends (cleared again if the password is right);
    /// otherwise 0.
    Counted { failures: i64, locks_until_ms: i64 },
    /// Locked (or the limit already reached): nothing was counted.
    Locked { until_ms: i64 },
}

fn from_row(row: &AnyRow) -> Result<PasswordLock, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(PasswordLock {
        iin: c.parsed("iin", Iin::parse)?,
        window_start_ms: c.i64("window_start_ms")?,
        failures: c.i64("failures")?,
        locked_until_ms: c.i64("locked_until_ms")?,
    })
}

pub async fn get(db: &Db, iin: &Iin) -> Result<Option<PasswordLock>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM password_locks WHERE iin = $1");
    let row = sqlx::query(&sql)
        .bind(iin.as_str())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A fresh count starts when the window is over or a lock has ended.
const FRESH: &str = "(password_locks.window_start_ms <= $2 - $3 \
                      OR (password_locks.locked_until_ms > 0 AND password_locks.locked_until_ms <= $2))";

/// Counts one password attempt for `iin` at `now_ms`, unless it is locked or has no attempts
/// left in the current window. One statement: of parallel attempts at most `max_failures`
/// are counted per window.
pub async fn claim_attempt(
    db: &Db,
    iin: &Iin,
    now_ms: i64,
    policy: LockPolicy,
) -> Result<Claim, StoreError> {
    let sql = format!(
        "INSERT INTO password_locks (iin, window_start_ms, failures, locked_until_ms) \
         VALUES ($1, $2, 1, CASE WHEN 1 >= $4 THEN $2 + $5 ELSE 0 END) \
         ON CONFLICT (iin) DO UPDATE SET \
           window_start_ms = CASE WHEN {FRESH} THEN $2 ELSE password_locks.window_start_ms END, \
           failures = CASE WHEN {FRESH} THEN 1 ELSE password_locks.failures + 1 END, \
           locked_until_ms = CASE \
             WHEN (CASE WHEN {FRESH} THEN 1 ELSE password_locks.failures + 1 END) >= $4 \
             THEN $2 + $5 ELSE 0 END \
         WHERE password_locks.locked_until_ms <= $2 \
           AND ({FRESH} OR password_locks.failures < $4) \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(iin.as_str())
        .bind(now_ms)
        .bind(policy.window_ms)
        .bind(policy.max_failures)
        .bind(policy.lock_ms)
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = row {
        let lock = from_row(&row)?;
        return Ok(Claim::Counted {
            failures: lock.failures,
            locks_until_ms: lock.locked_until_ms,
        });
    }
    // Not counted: a lock is on, or (after the limit was lowered) the window is used up.
    let until_ms = match get(db, iin).await? {
        Some(lock) if lock.locked_until_ms > now_ms => lock.locked_until_ms,
        Some(lock) => lock.window_start_ms.saturating_add(policy.window_ms),
        // Cleared in between by a correct password: the caller may simply try again.
        None => now_ms,
    };
    Ok(Claim::Locked { until_ms })
}

/// Forgets the failures and any lock of `iin` (after a correct password or a new one).
pub async fn clear(db: &Db, iin: &Iin) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM password_locks WHERE iin = $1")
        .bind(iin.as_str())
        .execute(db.pool())
        .await?;
    Ok(())
}
