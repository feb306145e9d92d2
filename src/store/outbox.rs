//! The outbox: messages waiting to be delivered, written by producers in the same transaction
//! as the change that causes them, claimed by workers under a lease, settled with an outcome.
//!
//! A row is due when it has no outcome and `next_attempt_ms <= now`. A claim leases due rows to
//! one worker and moves their `next_attempt_ms` to the lease's end, so the rows of a worker that
//! died come due again by themselves; only those rows (the ones in flight) can be sent twice.
//! PostgreSQL claims with `FOR UPDATE SKIP LOCKED`; SQLite, which lets one writer in at a time,
//! with a single `UPDATE … RETURNING`. Either way two workers never hold one row.
//! Broadcasts (many rows keyed to one stored text) are in [`broadcasts`].

pub mod broadcasts;

use std::collections::HashSet;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Backend, Db, StoreError};
use crate::outbox::payload::Content;

pub use broadcasts::{
    Broadcast, BroadcastProgress, BroadcastStatus, NewBroadcast, Recipients, broadcast_progress,
    broadcast_texts, cancel_broadcast, create_broadcast, create_broadcast_held, get_broadcast,
    list_broadcasts,
};

const TABLE: &str = "outbox";

/// The longest error text kept in `last_error`.
const ERROR_LIMIT: usize = 300;

/// What a message is about; decides its default priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxKind {
    /// An answer the user is waiting for.
    Interactive,
    /// A change of state the user should know about (a request done, a sign-in elsewhere).
    Status,
    Reminder,
    /// A new contribution arrived on an account.
    Contribution,
    /// A requested document (statement, certificate) is ready.
    Document,
    /// One recipient of a broadcast (rows made by [`create_broadcast`] only).
    Broadcast,
}

impl OutboxKind {
    pub const ALL: [OutboxKind; 6] = [
        OutboxKind::Interactive,
        OutboxKind::Status,
        OutboxKind::Reminder,
        OutboxKind::Contribution,
        OutboxKind::Document,
        OutboxKind::Broadcast,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxKind::Interactive => "interactive",
            OutboxKind::Status => "status",
            OutboxKind::Reminder => "reminder",
            OutboxKind::Contribution => "contribution",
            OutboxKind::Document => "document",
            OutboxKind::Broadcast => "broadcast",
        }
    }

    pub fn parse(text: &str) -> Option<OutboxKind> {
        OutboxKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// Lower goes sooner: interactive, then status-like notices, then broadcasts.
    pub fn default_priority(self) -> i64 {
        match self {
            OutboxKind::Interactive => PRIORITY_INTERACTIVE,
            OutboxKind::Status
            | OutboxKind::Reminder
            | OutboxKind::Contribution
            | OutboxKind::Document => PRIORITY_STATUS,
            OutboxKind::Broadcast => PRIORITY_BROADCAST,
        }
    }

    /// Broadcast rows share the bulk part of the rate; everything else is served first.
    pub fn is_bulk(self) -> bool {
        self == OutboxKind::Broadcast
    }
}

pub const PRIORITY_INTERACTIVE: i64 = 0;
pub const PRIORITY_STATUS: i64 = 10;
pub const PRIORITY_BROADCAST: i64 = 20;

/// A message for a producer to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxMessage {
    pub chat_id: i64,
    pub kind: OutboxKind,
    pub content: Content,
    /// A key unique to this message (e.g. `contribution:812:2026-03`): enqueueing the same key
    /// again does nothing, so a producer's retry cannot send twice.
    pub dedupe_key: Option<String>,
    /// Not sent before this instant (unix ms); now when `None`.
    pub not_before_ms: Option<i64>,
    /// Overrides the kind's default priority (lower = sooner).
    pub priority: Option<i64>,
}

impl NewOutboxMessage {
    pub fn new(chat_id: i64, kind: OutboxKind, content: Content) -> NewOutboxMessage {
        NewOutboxMessage {
            chat_id,
            kind,
            content,
            dedupe_key: None,
            not_before_ms: None,
            priority: None,
        }
    }

    pub fn dedupe_key(mut self, key: impl Into<String>) -> NewOutboxMessage {
        self.dedupe_key = Some(key.into());
        self
    }

    pub fn not_before_ms(mut self, at_ms: i64) -> NewOutboxMessage {
        self.not_before_ms = Some(at_ms);
        self
    }

    pub fn priority(mut self, priority: i64) -> NewOutboxMessage {
        self.priority = Some(priority);
        self
    }
}

/// What became of an enqueue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// A new row with this id.
    New(i64),
    /// A row with the same dedupe key exists already; nothing was written.
    Duplicate,
}

/// A row leased to a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub chat_id: i64,
    pub kind: OutboxKind,
    pub priority: i64,
    /// The stored JSON (see [`Content::from_json`]).
    pub payload: String,
    pub broadcast_id: Option<i64>,
    /// Failed attempts so far (429 answers and rows given back untried do not count).
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub lease_until_ms: i64,
}

const CLAIMED_COLUMNS: &str = "id, chat_id, kind, priority, payload, broadcast_id, attempts, \
                               next_attempt_ms, lease_until_ms";

/// `a, b` -> `outbox.a, outbox.b` (RETURNING after `FROM picked` must name the table).
fn qualified(columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("outbox.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn claimed_from_row(row: &AnyRow) -> Result<Claimed, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(Claimed {
        id: c.i64("id")?,
        chat_id: c.i64("chat_id")?,
        kind: OutboxKind::parse(&c.text("kind")?).ok_or_else(|| c.corrupt("kind"))?,
        priority: c.i64("priority")?,
        payload: c.text("payload")?,
        broadcast_id: c.opt_i64("broadcast_id")?,
        attempts: c.i64("attempts")?,
        next_attempt_ms: c.i64("next_attempt_ms")?,
        lease_until_ms: c.opt_i64("lease_until_ms")?.unwrap_or_default(),
    })
}

/// How a worker settles (or gives back) a claimed row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Telegram accepted it; the message id when its answer said.
    Sent { telegram_message_id: Option<i64> },
    /// Try again at `next_attempt_ms`. `count_attempt` is false for a 429 (Telegram asked to
    /// wait, nothing failed).
    Retry {
        next_attempt_ms: i64,
        error: String,
        count_attempt: bool,
    },
    /// Given up: refused by Telegram or out of attempts.
    Failed { error: String },
    /// Telegram answered 403: the chat is marked unreachable too.
    Unreachable { error: String },
    /// Its broadcast was cancelled.
    Cancelled,
    /// Not tried (the chat's rate, the lease too short, shutting down): back to the queue
    /// at `next_attempt_ms`, attempts unchanged.
    Release { next_attempt_ms: i64 },
}

impl Resolution {
    /// Whether the row is settled for good.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Resolution::Sent { .. }
                | Resolution::Failed { .. }
                | Resolution::Unreachable { .. }
                | Resolution::Cancelled
        )
    }
}

/// One row's resolution, for [`resolve_many`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settle {
    pub id: i64,
    pub chat_id: i64,
    pub resolution: Resolution,
}

fn short(error: &str) -> String {
    error.chars().take(ERROR_LIMIT).collect()
}

/// Enqueues a message inside the producer's transaction, so it exists exactly when the
/// change that causes it commits. Checks the content against Telegram's limits first.
pub async fn enqueue_in(
    conn: &mut AnyConnection,
    message: &NewOutboxMessage,
    now_ms: i64,
) -> Result<Enqueued, StoreError> {
    if message.kind == OutboxKind::Broadcast
        || matches!(message.content, Content::BroadcastText { .. })
    {
        return Err(StoreError::Invalid {
            what: "outbox message",
            reason: "broadcast rows are made by create_broadcast",
        });
    }
    if message.content.check().is_err() {
        return Err(StoreError::Invalid {
            what: "outbox message",
            reason: "the message does not fit Telegram's limits",
        });
    }
    let not_before = message.not_before_ms.unwrap_or(now_ms);
    let row = sqlx::query(
        "INSERT INTO outbox (chat_id, kind, priority, payload, dedupe_key, created_at_ms, \
                             not_before_ms, next_attempt_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING \
         RETURNING id",
    )
    .bind(message.chat_id)
    .bind(message.kind.as_str())
    .bind(
        message
            .priority
            .unwrap_or_else(|| message.kind.default_priority()),
    )
    .bind(message.content.to_json())
    .bind(message.dedupe_key.as_deref())
    .bind(now_ms)
    .bind(not_before)
    .fetch_optional(conn)
    .await?;
    match row {
        Some(row) => Ok(Enqueued::New(Columns::new(&row, TABLE).i64("id")?)),
        None => Ok(Enqueued::Duplicate),
    }
}

/// [`enqueue_in`] in a transaction of its own, for producers with nothing else to write.
pub async fn enqueue(
    db: &Db,
    message: &NewOutboxMessage,
    now_ms: i64,
) -> Result<Enqueued, StoreError> {
    let mut tx = db.begin_write().await?;
    let enqueued = enqueue_in(&mut tx, message, now_ms).await?;
    tx.commit().await?;
    Ok(enqueued)
}

/// Leases up to `limit` due rows to `owner` until `now_ms + lease_ms`, most urgent first
/// (priority, then due time, then age). Rows another worker holds are never returned.
pub async fn claim(
    db: &Db,
    owner: &str,
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let lease_until = now_ms.saturating_add(lease_ms.max(1));
    let sql = match db.backend() {
        // Rows locked by a concurrent claim are skipped rather than waited for. The choice is
        // a CTE, evaluated once: inside `WHERE id IN (…)` the planner may run a locking
        // subquery again per row and lease more than `limit` rows.
        Backend::Postgres => format!(
            "WITH picked AS (SELECT id FROM outbox \
                             WHERE outcome IS NULL AND next_attempt_ms <= $3 \
                             ORDER BY priority, next_attempt_ms, id LIMIT $4 \
                             FOR UPDATE SKIP LOCKED) \
             UPDATE outbox SET lease_owner = $1, lease_until_ms = $2, next_attempt_ms = $2 \
             FROM picked WHERE outbox.id = picked.id \
               AND outbox.outcome IS NULL AND outbox.next_attempt_ms <= $3 \
             RETURNING {}",
            qualified(CLAIMED_COLUMNS)
        ),
        // One statement is one write transaction: no other writer runs between the choice of
        // rows and their lease.
        Backend::Sqlite => format!(
            "UPDATE outbox SET lease_owner = $1, lease_until_ms = $2, next_attempt_ms = $2 \
             WHERE id IN (SELECT id FROM outbox \
                          WHERE outcome IS NULL AND next_attempt_ms <= $3 \
                          ORDER BY priority, next_attempt_ms, id LIMIT $4) \
               AND outcome IS NULL AND next_attempt_ms <= $3 \
             RETURNING {CLAIMED_COLUMNS}"
        ),
    };
    let rows = sqlx::query(&sql)
        .bind(owner)
        .bind(lease_until)
        .bind(now_ms)
        .bind(limit.max(0))
        .fetch_all(db.pool())
        .await?;
    let mut claimed = rows
        .iter()
        .map(claimed_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    // RETURNING keeps no order; the worker sends in this one.
    claimed.sort_by_key(|c| (c.priority, c.id));
    Ok(claimed)
}

/// Applies one resolution inside a transaction. `false` when nothing changed: the row is
/// settled already, or (for a retry or release) another worker holds it now.
pub async fn resolve_in(
    conn: &mut AnyConnection,
    owner: &str,
    now_ms: i64,
    settle: &Settle,
) -> Result<bool, StoreError> {
    // Final outcomes are recorded whoever holds the lease now: a delivered message is a fact.
    // Giving a row back requires still holding it.
    let query = match &settle.resolution {
        Resolution::Sent {
            telegram_message_id,
        } => sqlx::query(
            "UPDATE outbox SET outcome = 'sent', outcome_at_ms = $3, telegram_message_id = $4, \
             lease_owner = $2, lease_until_ms = NULL, last_error = NULL \
             WHERE id = $1 AND outcome IS NULL",
        )
        .bind(settle.id)
        .bind(owner)
        .bind(now_ms)
        .bind(*telegram_message_id),
        // A failure is the last failed attempt; unreachable is a fact about the chat.
        Resolution::Failed { error } | Resolution::Unreachable { error } => {
            let (outcome, attempt) = if matches!(settle.resolution, Resolution::Failed { .. }) {
                ("failed", 1)
            } else {
                ("unreachable", 0)
            };
            sqlx::query(
                "UPDATE outbox SET outcome = $4, outcome_at_ms = $3, last_error = $5, \
                 attempts = attempts + $6, lease_owner = $2, lease_until_ms = NULL \
                 WHERE id = $1 AND outcome IS NULL",
            )
            .bind(settle.id)
            .bind(owner)
            .bind(now_ms)
            .bind(outcome)
            .bind(short(error))
            .bind(attempt)
        }
        Resolution::Cancelled => sqlx::query(
            "UPDATE outbox SET outcome = 'cancelled', outcome_at_ms = $3, \
             lease_owner = $2, lease_until_ms = NULL \
             WHERE id = $1 AND outcome IS NULL",
        )
        .bind(settle.id)
        .bind(owner)
        .bind(now_ms),
        Resolution::Retry {
            next_attempt_ms,
            error,
            count_attempt,
        } => sqlx::query(
            "UPDATE outbox SET attempts = attempts + $3, next_attempt_ms = $4, last_error = $5, \
             lease_owner = NULL, lease_until_ms = NULL \
             WHERE id = $1 AND outcome IS NULL AND lease_owner = $2",
        )
        .bind(settle.id)
        .bind(owner)
        .bind(i64::from(*count_attempt))
        .bind(*next_attempt_ms)
        .bind(short(error)),
        Resolution::Release { next_attempt_ms } => sqlx::query(
            "UPDATE outbox SET next_attempt_ms = $3, lease_owner = NULL, lease_until_ms = NULL \
             WHERE id = $1 AND outcome IS NULL AND lease_owner = $2",
        )
        .bind(settle.id)
        .bind(owner)
        .bind(*next_attempt_ms),
    };
    let changed = query.execute(&mut *conn).await?.rows_affected() > 0;
    if let Resolution::Unreachable { .. } = settle.resolution {
        // The chat may be unknown to `chats` (nothing to mark then).
        sqlx::query("UPDATE chats SET unreachable = 1 WHERE chat_id = $1")
            .bind(settle.chat_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(changed)
}

/// Deliveries recorded per statement by [`resolve_many`].
const SENT_CHUNK: usize = 400;

/// Applies many resolutions in one transaction (one commit instead of one per row; the
/// deliveries, nearly all of them, in one statement per few hundred); returns how many rows
/// changed.
pub async fn resolve_many(
    db: &Db,
    owner: &str,
    now_ms: i64,
    settles: &[Settle],
) -> Result<usize, StoreError> {
    if settles.is_empty() {
        return Ok(0);
    }
    let (sent, others): (Vec<&Settle>, Vec<&Settle>) = settles
        .iter()
        .partition(|s| matches!(s.resolution, Resolution::Sent { .. }));
    let mut tx = db.begin_write().await?;
    let mut changed = 0;
    for chunk in sent.chunks(SENT_CHUNK) {
        changed += record_sent_in(&mut tx, owner, now_ms, chunk).await?;
    }
    for settle in others {
        if resolve_in(&mut tx, owner, now_ms, settle).await? {
            changed += 1;
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// Records deliveries with one `UPDATE … FROM (VALUES …)` (PostgreSQL, and SQLite since 3.33).
async fn record_sent_in(
    conn: &mut AnyConnection,
    owner: &str,
    now_ms: i64,
    sent: &[&Settle],
) -> Result<usize, StoreError> {
    let values = (0..sent.len())
        .map(|i| {
            let (id, message) = (3 + 2 * i, 4 + 2 * i);
            format!("(CAST(${id} AS BIGINT), CAST(${message} AS BIGINT))")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE outbox SET outcome = 'sent', outcome_at_ms = $1, lease_owner = $2, \
           lease_until_ms = NULL, last_error = NULL, telegram_message_id = v.column2 \
         FROM (VALUES {values}) AS v \
         WHERE outbox.id = v.column1 AND outbox.outcome IS NULL"
    );
    let mut query = sqlx::query(&sql).bind(now_ms).bind(owner);
    for settle in sent {
        let message_id = match settle.resolution {
            Resolution::Sent {
                telegram_message_id,
            } => telegram_message_id,
            _ => None,
        };
        query = query.bind(settle.id).bind(message_id);
    }
    let changed = query.execute(conn).await?.rows_affected();
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

async fn resolve_one(
    db: &Db,
    owner: &str,
    now_ms: i64,
    row: &Claimed,
    resolution: Resolution,
) -> Result<bool, StoreError> {
    let settle = Settle {
        id: row.id,
        chat_id: row.chat_id,
        resolution,
    };
    Ok(resolve_many(db, owner, now_ms, &[settle]).await? == 1)
}

pub async fn mark_sent(
    db: &Db,
    owner: &str,
    row: &Claimed,
    telegram_message_id: Option<i64>,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let resolution = Resolution::Sent {
        telegram_message_id,
    };
    resolve_one(db, owner, now_ms, row, resolution).await
}

/// Back to the queue at `next_attempt_ms`, counting a failed attempt when `count_attempt`.
pub async fn mark_retry(
    db: &Db,
    owner: &str,
    row: &Claimed,
    next_attempt_ms: i64,
    error: &str,
    count_attempt: bool,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let resolution = Resolution::Retry {
        next_attempt_ms,
        error: error.to_owned(),
        count_attempt,
    };
    resolve_one(db, owner, now_ms, row, resolution).await
}

pub async fn mark_failed(
    db: &Db,
    owner: &str,
    row: &Claimed,
    error: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let resolution = Resolution::Failed {
        error: error.to_owned(),
    };
    resolve_one(db, owner, now_ms, row, resolution).await
}

/// Settles the row as unreachable and marks its chat unreachable.
pub async fn mark_unreachable(
    db: &Db,
    owner: &str,
    row: &Claimed,
    error: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let resolution = Resolution::Unreachable {
        error: error.to_owned(),
    };
    resolve_one(db, owner, now_ms, row, resolution).await
}

/// Cancels, inside the caller's transaction, the waiting rows enqueued with these dedupe keys
/// (a reminder whose booking was cancelled, say); rows being sent right now go out. Returns
/// how many were cancelled. The keys stay taken: enqueueing one again does nothing.
pub async fn cancel_keyed_in(
    conn: &mut AnyConnection,
    dedupe_keys: &[&str],
    now_ms: i64,
) -> Result<u64, StoreError> {
    if dedupe_keys.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE outbox SET outcome = 'cancelled', outcome_at_ms = $1 \
         WHERE outcome IS NULL AND (lease_until_ms IS NULL OR lease_until_ms <= $1) \
           AND dedupe_key IN ({})",
        placeholders(2, dedupe_keys.len())
    );
    let mut query = sqlx::query(&sql).bind(now_ms);
    for key in dedupe_keys {
        query = query.bind(*key);
    }
    Ok(query.execute(conn).await?.rows_affected())
}

/// Gives back every row `owner` still holds (graceful shutdown), due at `now_ms`.
pub async fn release_leases(db: &Db, owner: &str, now_ms: i64) -> Result<u64, StoreError> {
    let result = sqlx::query(
        "UPDATE outbox SET lease_owner = NULL, lease_until_ms = NULL, next_attempt_ms = $2 \
         WHERE lease_owner = $1 AND outcome IS NULL",
    )
    .bind(owner)
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected())
}

/// The chats among `chat_ids` marked unreachable.
pub async fn unreachable_among(db: &Db, chat_ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if chat_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT chat_id FROM chats WHERE unreachable = 1 AND chat_id IN ({})",
        placeholders(1, chat_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in chat_ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(db.pool()).await?;
    rows.iter()
        .map(|row| Columns::new(row, "chats").i64("chat_id"))
        .collect()
}

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of one priority that have no outcome yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    pub priority: i64,
    /// Waiting for a worker now.
    pub due: i64,
    /// Leased to a worker.
    pub in_flight: i64,
    /// Waiting for a later time (a retry, a chat's rate, `not_before`).
    pub later: i64,
}

/// The queue by priority, most urgent first.
pub async fn depth_by_priority(db: &Db, now_ms: i64) -> Result<Vec<Depth>, StoreError> {
    let rows = sqlx::query(
        "SELECT priority, \
           CAST(SUM(CASE WHEN lease_until_ms > $1 THEN 1 ELSE 0 END) AS BIGINT) AS in_flight, \
           CAST(SUM(CASE WHEN (lease_until_ms IS NULL OR lease_until_ms <= $1) \
                          AND next_attempt_ms <= $1 THEN 1 ELSE 0 END) AS BIGINT) AS due, \
           COUNT(*) AS pending \
         FROM outbox WHERE outcome IS NULL GROUP BY priority ORDER BY priority",
    )
    .bind(now_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, TABLE);
            let (due, in_flight) = (c.i64("due")?, c.i64("in_flight")?);
            Ok(Depth {
                priority: c.i64("priority")?,
                due,
                in_flight,
                later: c.i64("pending")? - due - in_flight,
            })
        })
        .collect()
}

/// Rows without an outcome.
pub async fn pending_count(db: &Db) -> Result<i64, StoreError> {
    count(db, "SELECT COUNT(*) AS n FROM outbox WHERE outcome IS NULL").await
}

/// Rows without an outcome that a worker holds (or held when it died, until the lease
/// expires and another worker claims them): the most a crash can send twice.
pub async fn held_count(db: &Db) -> Result<i64, StoreError> {
    count(
        db,
        "SELECT COUNT(*) AS n FROM outbox WHERE outcome IS NULL AND lease_owner IS NOT NULL",
    )
    .await
}

/// The earliest `next_attempt_ms` among rows without an outcome.
pub async fn next_due_ms(db: &Db) -> Result<Option<i64>, StoreError> {
    let row =
        sqlx::query("SELECT MIN(next_attempt_ms) AS next_ms FROM outbox WHERE outcome IS NULL")
            .fetch_one(db.pool())
            .await?;
    Columns::new(&row, TABLE).opt_i64("next_ms")
}

async fn count(db: &Db, sql: &str) -> Result<i64, StoreError> {
    let row = sqlx::query(sql).fetch_one(db.pool()).await?;
    Columns::new(&row, TABLE).i64("n")
}

/// A row as stored, for progress pages, support and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    pub chat_id: i64,
    pub kind: OutboxKind,
    pub priority: i64,
    pub broadcast_id: Option<i64>,
    pub attempts: i64,
    pub next_attempt_ms: i64,
    pub lease_owner: Option<String>,
    /// `sent`, `failed`, `unreachable` or `cancelled`; `None` while pending.
    pub outcome: Option<String>,
    pub outcome_at_ms: Option<i64>,
    pub telegram_message_id: Option<i64>,
    pub last_error: Option<String>,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<OutboxRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT id, chat_id, kind, priority, broadcast_id, attempts, next_attempt_ms, \
                lease_owner, outcome, outcome_at_ms, telegram_message_id, last_error \
         FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let c = Columns::new(&row, TABLE);
    Ok(Some(OutboxRecord {
        id: c.i64("id")?,
        chat_id: c.i64("chat_id")?,
        kind: OutboxKind::parse(&c.text("kind")?).ok_or_else(|| c.corrupt("kind"))?,
        priority: c.i64("priority")?,
        broadcast_id: c.opt_i64("broadcast_id")?,
        attempts: c.i64("attempts")?,
        next_attempt_ms: c.i64("next_attempt_ms")?,
        lease_owner: c.opt_text("lease_owner")?,
        outcome: c.opt_text("outcome")?,
        outcome_at_ms: c.opt_i64("outcome_at_ms")?,
        telegram_message_id: c.opt_i64("telegram_message_id")?,
        last_error: c.opt_text("last_error")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_order_their_priorities() {
        for kind in OutboxKind::ALL {
            assert_eq!(OutboxKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OutboxKind::parse("spam"), None);
        assert!(OutboxKind::Interactive.default_priority() < OutboxKind::Status.default_priority());
        assert!(OutboxKind::Reminder.default_priority() < OutboxKind::Broadcast.default_priority());
        assert!(OutboxKind::Broadcast.is_bulk() && !OutboxKind::Document.is_bulk());
    }

    #[test]
    fn placeholders_number_from_the_first() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        assert_eq!(placeholders(1, 0), "");
    }

    #[test]
    fn only_outcomes_are_final() {
        assert!(Resolution::Cancelled.is_final());
        assert!(!Resolution::Release { next_attempt_ms: 0 }.is_final());
        assert!(
            !Resolution::Retry {
                next_attempt_ms: 0,
                error: String::new(),
                count_attempt: true
            }
            .is_final()
        );
    }
}
