//! The maintenance window (migration 0010): one row at most, read by every process at every
//! message, so a window set from any process applies everywhere at once. Setting and clearing
//! are audited in the same transaction.

use super::audit::AuditEntry;
use super::staff::audit_in;
use super::values::Columns;
use super::{Db, StoreError};

const TABLE: &str = "maintenance_window";

/// A maintenance window as stored: `[starts_at_ms, ends_at_ms)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWindow {
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    /// `cli` or `staff:<telegram user id>`.
    pub set_by: String,
    pub set_at_ms: i64,
}

/// The window set, if any (past, current or upcoming).
pub async fn get(db: &Db) -> Result<Option<StoredWindow>, StoreError> {
    let row = sqlx::query(
        "SELECT starts_at_ms, ends_at_ms, set_by, set_at_ms FROM maintenance_window WHERE id = 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let c = Columns::new(&row, TABLE);
    Ok(Some(StoredWindow {
        starts_at_ms: c.i64("starts_at_ms")?,
        ends_at_ms: c.i64("ends_at_ms")?,
        set_by: c.text("set_by")?,
        set_at_ms: c.i64("set_at_ms")?,
    }))
}

/// Sets (or replaces) the window; audited.
pub async fn set(db: &Db, window: &StoredWindow) -> Result<(), StoreError> {
    if window.ends_at_ms <= window.starts_at_ms {
        return Err(StoreError::Invalid {
            what: "maintenance window",
            reason: "it must end after it starts",
        });
    }
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO maintenance_window (id, starts_at_ms, ends_at_ms, set_by, set_at_ms) \
         VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET starts_at_ms = excluded.starts_at_ms, \
           ends_at_ms = excluded.ends_at_ms, set_by = excluded.set_by, \
           set_at_ms = excluded.set_at_ms",
    )
    .bind(window.starts_at_ms)
    .bind(window.ends_at_ms)
    .bind(&window.set_by)
    .bind(window.set_at_ms)
    .execute(&mut *tx)
    .await?;
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: window.set_at_ms,
            chat_id: None,
            actor: window.set_by.clone(),
            action: "maintenance.set".into(),
            subject: None,
            details: Some(format!(
                "from_ms={}; until_ms={}",
                window.starts_at_ms, window.ends_at_ms
            )),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the window; `true` when there was one. Audited either way.
pub async fn clear(db: &Db, by: &str, now_ms: i64) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    let removed = sqlx::query("DELETE FROM maintenance_window WHERE id = 1")
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: by.to_owned(),
            action: "maintenance.clear".into(),
            subject: None,
            details: Some(if removed { "cleared" } else { "none set" }.into()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(removed)
}
