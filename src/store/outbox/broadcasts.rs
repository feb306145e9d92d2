//! Broadcasts: one message (per language) to many chats. The text is stored once in the
//! broadcast; each recipient is an outbox row keyed to it by language. Creating and cancelling
//! are staff actions and are audited in the same transaction.

use std::collections::HashSet;

use sqlx::any::AnyRow;

use super::super::staff::{actor_name, audit_in};
use super::super::values::Columns;
use super::super::{Db, StoreError};
use super::{OutboxKind, placeholders};
use crate::domain::Lang;
use crate::outbox::payload::BroadcastTexts;
use crate::store::audit::AuditEntry;

const TABLE: &str = "broadcasts";
const COLUMNS: &str = "id, created_by, created_at_ms, audience, texts, status, total, \
                       started_at_ms, finished_at_ms, cancelled_by";

/// Recipients inserted per statement when they are listed one by one.
const INSERT_CHUNK: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastStatus {
    /// Created; no worker has taken a row yet.
    Queued,
    Running,
    /// Every row has an outcome.
    Done,
    Cancelled,
}

impl BroadcastStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BroadcastStatus::Queued => "queued",
            BroadcastStatus::Running => "running",
            BroadcastStatus::Done => "done",
            BroadcastStatus::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Option<BroadcastStatus> {
        [
            BroadcastStatus::Queued,
            BroadcastStatus::Running,
            BroadcastStatus::Done,
            BroadcastStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub id: i64,
    /// The staff member's Telegram user id.
    pub created_by: i64,
    pub created_at_ms: i64,
    /// Who it is for, as the staff member chose it (a label shown in progress pages).
    pub audience: String,
    pub texts: BroadcastTexts,
    pub status: BroadcastStatus,
    /// Recipients (outbox rows) made.
    pub total: i64,
    pub started_at_ms: Option<i64>,
    pub finished_at_ms: Option<i64>,
    pub cancelled_by: Option<i64>,
}

fn from_row(row: &AnyRow) -> Result<Broadcast, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(Broadcast {
        id: c.i64("id")?,
        created_by: c.i64("created_by")?,
        created_at_ms: c.i64("created_at_ms")?,
        audience: c.text("audience")?,
        texts: c.parsed("texts", BroadcastTexts::from_json)?,
        status: c.parsed("status", |s| BroadcastStatus::parse(s).ok_or(()))?,
        total: c.i64("total")?,
        started_at_ms: c.opt_i64("started_at_ms")?,
        finished_at_ms: c.opt_i64("finished_at_ms")?,
        cancelled_by: c.opt_i64("cancelled_by")?,
    })
}

/// A broadcast to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBroadcast {
    pub created_by: i64,
    pub audience: String,
    pub texts: BroadcastTexts,
}

/// Who gets a broadcast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// Every chat the bot knows that is not marked unreachable.
    AllReachable,
    /// Reachable chats whose chosen language is one of these.
    Languages(Vec<Lang>),
    /// These chats (repeats are dropped). Chats marked unreachable are skipped when their
    /// turn comes; chats unknown to `chats` get the default language.
    Chats(Vec<i64>),
}

/// Counts of a broadcast's rows by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BroadcastProgress {
    /// No outcome yet.
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    pub unreachable: i64,
    pub cancelled: i64,
}

impl BroadcastProgress {
    pub fn total(&self) -> i64 {
        self.pending + self.sent + self.failed + self.unreachable + self.cancelled
    }
}

/// The payload of a recipient row, built in SQL from the chat's language (a `chats` CHECK
/// keeps it to `kk`, `ru` or `en`) or the broadcast's default.
const PAYLOAD_SQL: &str =
    "'{\"broadcast_text\":{\"lang\":\"' || COALESCE(c.language, $2) || '\"}}'";

/// Creates the broadcast and one outbox row per recipient, in one transaction, and audits it.
/// Returns the broadcast (its `total` counts the rows made).
pub async fn create_broadcast(
    db: &Db,
    new: &NewBroadcast,
    recipients: &Recipients,
    now_ms: i64,
) -> Result<Broadcast, StoreError> {
    create_broadcast_held(db, new, recipients, now_ms, now_ms).await
}

/// [`create_broadcast`] whose rows wait until `not_before_ms` (quiet hours, see
/// [`crate::outbox::quiet`]).
pub async fn create_broadcast_held(
    db: &Db,
    new: &NewBroadcast,
    recipients: &Recipients,
    now_ms: i64,
    not_before_ms: i64,
) -> Result<Broadcast, StoreError> {
    if new.texts.check().is_err() {
        return Err(StoreError::Invalid {
            what: "broadcast",
            reason: "a text is missing or does not fit Telegram's limits",
        });
    }
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(
        "INSERT INTO broadcasts (created_by, created_at_ms, audience, texts, status, total) \
         VALUES ($1, $2, $3, $4, 'queued', 0) RETURNING id",
    )
    .bind(new.created_by)
    .bind(now_ms)
    .bind(&new.audience)
    .bind(new.texts.to_json())
    .fetch_one(&mut *tx)
    .await?;
    let id = Columns::new(&row, TABLE).i64("id")?;
    let default_lang = new.texts.default_lang.code();
    let insert = format!(
        "INSERT INTO outbox (chat_id, kind, priority, payload, broadcast_id, created_at_ms, \
                             not_before_ms, next_attempt_ms) \
         SELECT {{chat}}, '{kind}', {priority}, {PAYLOAD_SQL}, $1, $3, {held}, {held} ",
        kind = OutboxKind::Broadcast.as_str(),
        priority = OutboxKind::Broadcast.default_priority(),
        // An integer we computed, not user input.
        held = not_before_ms.max(now_ms),
    );
    let mut total: u64 = 0;
    match recipients {
        Recipients::AllReachable | Recipients::Languages(_) => {
            let mut sql =
                insert.replace("{chat}", "c.chat_id") + "FROM chats c WHERE c.unreachable = 0";
            let langs: Vec<&str> = match recipients {
                Recipients::Languages(langs) => langs.iter().map(|l| l.code()).collect(),
                _ => Vec::new(),
            };
            if matches!(recipients, Recipients::Languages(_)) {
                if langs.is_empty() {
                    sql.push_str(" AND 1 = 0");
                } else {
                    sql.push_str(&format!(
                        " AND c.language IN ({})",
                        placeholders(4, langs.len())
                    ));
                }
            }
            let mut query = sqlx::query(&sql).bind(id).bind(default_lang).bind(now_ms);
            for lang in &langs {
                query = query.bind(*lang);
            }
            total += query.execute(&mut *tx).await?.rows_affected();
        }
        Recipients::Chats(chat_ids) => {
            let mut seen = HashSet::with_capacity(chat_ids.len());
            let unique: Vec<i64> = chat_ids
                .iter()
                .copied()
                .filter(|c| seen.insert(*c))
                .collect();
            for chunk in unique.chunks(INSERT_CHUNK) {
                let values = (4..4 + chunk.len())
                    .map(|n| format!("(CAST(${n} AS BIGINT))"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = insert.replace("{chat}", "v.column1")
                    + &format!(
                        "FROM (VALUES {values}) AS v LEFT JOIN chats c ON c.chat_id = v.column1"
                    );
                let mut query = sqlx::query(&sql).bind(id).bind(default_lang).bind(now_ms);
                for chat_id in chunk {
                    query = query.bind(*chat_id);
                }
                total += query.execute(&mut *tx).await?.rows_affected();
            }
        }
    }
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    // A broadcast nobody is to get has nothing for a worker to finish: it is done at once
    // (else it would stay queued, and cancellable, for ever).
    let finished = (total == 0).then_some(now_ms);
    sqlx::query(
        "UPDATE broadcasts SET total = $2, finished_at_ms = $3, \
           status = CASE WHEN $3 IS NULL THEN status ELSE 'done' END \
         WHERE id = $1",
    )
    .bind(id)
    .bind(total)
    .bind(finished)
    .execute(&mut *tx)
    .await?;
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: actor_name(Some(new.created_by)),
            action: "broadcast.create".into(),
            subject: None,
            details: Some(format!("broadcast={id}; recipients={total}")),
        },
    )
    .await?;
    tx.commit().await?;
    get_broadcast(db, id)
        .await?
        .ok_or(StoreError::NotFound { what: "broadcast" })
}

pub async fn get_broadcast(db: &Db, id: i64) -> Result<Option<Broadcast>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM broadcasts WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The latest broadcasts, newest first.
pub async fn list_broadcasts(db: &Db, limit: i64) -> Result<Vec<Broadcast>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM broadcasts ORDER BY id DESC LIMIT $1"
    ))
    .bind(limit.max(0))
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Only the stored texts of a broadcast (what a worker needs to send its rows).
pub async fn broadcast_texts(db: &Db, id: i64) -> Result<Option<BroadcastTexts>, StoreError> {
    let row = sqlx::query("SELECT texts FROM broadcasts WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.map(|row| Columns::new(&row, TABLE).parsed("texts", BroadcastTexts::from_json))
        .transpose()
}

pub async fn broadcast_progress(db: &Db, id: i64) -> Result<BroadcastProgress, StoreError> {
    let rows = sqlx::query(
        "SELECT outcome, COUNT(*) AS n FROM outbox WHERE broadcast_id = $1 GROUP BY outcome",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let mut progress = BroadcastProgress::default();
    for row in &rows {
        let c = Columns::new(row, "outbox");
        let n = c.i64("n")?;
        match c.opt_text("outcome")?.as_deref() {
            None => progress.pending += n,
            Some("sent") => progress.sent += n,
            Some("failed") => progress.failed += n,
            Some("unreachable") => progress.unreachable += n,
            Some("cancelled") => progress.cancelled += n,
            Some(_) => return Err(c.corrupt("outcome")),
        }
    }
    Ok(progress)
}

/// Cancels a queued or running broadcast: its waiting rows get the outcome `cancelled` (rows
/// in flight may still go out). Returns how many rows were cancelled; `NotFound` for an
/// unknown id, 0 for a broadcast already done or cancelled. Audited.
pub async fn cancel_broadcast(db: &Db, id: i64, by: i64, now_ms: i64) -> Result<u64, StoreError> {
    let mut tx = db.begin_write().await?;
    let exists = sqlx::query("SELECT id FROM broadcasts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some();
    if !exists {
        return Err(StoreError::NotFound { what: "broadcast" });
    }
    let changed = sqlx::query(
        "UPDATE broadcasts SET status = 'cancelled', finished_at_ms = $2, cancelled_by = $3 \
         WHERE id = $1 AND status IN ('queued', 'running')",
    )
    .bind(id)
    .bind(now_ms)
    .bind(by)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let mut cancelled = 0;
    if changed > 0 {
        cancelled = sqlx::query(
            "UPDATE outbox SET outcome = 'cancelled', outcome_at_ms = $2 \
             WHERE broadcast_id = $1 AND outcome IS NULL \
               AND (lease_until_ms IS NULL OR lease_until_ms <= $2)",
        )
        .bind(id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: actor_name(Some(by)),
            action: "broadcast.cancel".into(),
            subject: None,
            details: Some(if changed > 0 {
                format!("broadcast={id}; rows cancelled={cancelled}")
            } else {
                format!("broadcast={id}; already finished")
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(cancelled)
}

/// The broadcasts among `ids` that were cancelled.
pub async fn cancelled_among(db: &Db, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT id FROM broadcasts WHERE status = 'cancelled' AND id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| Columns::new(row, TABLE).i64("id"))
        .collect()
}

/// Marks queued broadcasts as running once a worker takes their first rows.
pub async fn mark_running(db: &Db, ids: &[i64], now_ms: i64) -> Result<(), StoreError> {
    for id in ids {
        sqlx::query(
            "UPDATE broadcasts SET status = 'running', started_at_ms = $2 \
             WHERE id = $1 AND status = 'queued'",
        )
        .bind(*id)
        .bind(now_ms)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Marks as done the broadcasts among `ids` that have no row left without an outcome.
pub async fn finish_drained(db: &Db, ids: &[i64], now_ms: i64) -> Result<(), StoreError> {
    for id in ids {
        sqlx::query(
            "UPDATE broadcasts SET status = 'done', finished_at_ms = $2 \
             WHERE id = $1 AND status IN ('queued', 'running') \
               AND NOT EXISTS (SELECT 1 FROM outbox WHERE broadcast_id = $1 AND outcome IS NULL)",
        )
        .bind(*id)
        .bind(now_ms)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for status in [
            BroadcastStatus::Queued,
            BroadcastStatus::Running,
            BroadcastStatus::Done,
            BroadcastStatus::Cancelled,
        ] {
            assert_eq!(BroadcastStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(BroadcastStatus::parse("paused"), None);
    }

    #[test]
    fn progress_totals_every_outcome() {
        let p = BroadcastProgress {
            pending: 1,
            sent: 2,
            failed: 3,
            unreachable: 4,
            cancelled: 5,
        };
        assert_eq!(p.total(), 15);
    }
}
