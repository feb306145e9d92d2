//! Depositors' password hashes (argon2id PHC strings, made by `services::passwords`).
//!
//! Nothing here sees a password; `Debug` of a record leaves the hash out as well.

use std::fmt;

use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};

const TABLE: &str = "credentials";

#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub depositor_id: i64,
    pub password_hash: String,
    pub updated_at_ms: i64,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("depositor_id", &self.depositor_id)
            .field("updated_at_ms", &self.updated_at_ms)
            .finish_non_exhaustive()
    }
}

fn from_row(row: &AnyRow) -> Result<Credential, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(Credential {
        depositor_id: c.i64("depositor_id")?,
        password_hash: c.text("password_hash")?,
        updated_at_ms: c.i64("updated_at_ms")?,
    })
}

/// The depositor's credential, `None` while no password was ever set.
pub async fn get(db: &Db, depositor_id: i64) -> Result<Option<Credential>, StoreError> {
    let row = sqlx::query(
        "SELECT depositor_id, password_hash, updated_at_ms FROM credentials \
         WHERE depositor_id = $1",
    )
    .bind(depositor_id)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Sets or replaces the depositor's password hash.
pub async fn upsert(
    db: &Db,
    depositor_id: i64,
    password_hash: &str,
    now_ms: i64,
) -> Result<Credential, StoreError> {
    let row = sqlx::query(
        "INSERT INTO credentials (depositor_id, password_hash, updated_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (depositor_id) DO UPDATE SET \
           password_hash = excluded.password_hash, updated_at_ms = excluded.updated_at_ms \
         RETURNING depositor_id, password_hash, updated_at_ms",
    )
    .bind(depositor_id)
    .bind(password_hash)
    .bind(now_ms)
    .fetch_one(db.pool())
    .await?;
    from_row(&row)
}

/// Removes the depositor's password (they sign in by code or EDS until they set a new one);
/// true when there was one.
pub async fn delete(db: &Db, depositor_id: i64) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM credentials WHERE depositor_id = $1")
        .bind(depositor_id)
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected() == 1)
}
