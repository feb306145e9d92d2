//! Logins: a depositor signed in in one chat, from the sign-in until it ends (logout, idle or
//! absolute expiry, ended from another chat, or replaced by a new sign-in in the same chat).
//!
//! Ended rows are kept: they answer "who was signed in where, and until when". Every function
//! that ends or refreshes a login does it with one conditional statement, so a login ends once.

use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};

const TABLE: &str = "logins";
const COLUMNS: &str =
    "id, depositor_id, chat_id, created_at_ms, last_active_ms, ended_at_ms, end_reason";

/// Why a login ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndReason {
    /// `/logout` in its chat.
    Logout,
    /// Idle longer than the idle limit.
    Idle,
    /// Older than the absolute limit.
    Absolute,
    /// Ended by the depositor from another chat.
    EndedElsewhere,
    /// A new sign-in in the same chat took its place.
    Replaced,
}

impl EndReason {
    pub const ALL: [EndReason; 5] = [
        EndReason::Logout,
        EndReason::Idle,
        EndReason::Absolute,
        EndReason::EndedElsewhere,
        EndReason::Replaced,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EndReason::Logout => "logout",
            EndReason::Idle => "idle",
            EndReason::Absolute => "absolute",
            EndReason::EndedElsewhere => "ended_elsewhere",
            EndReason::Replaced => "replaced",
        }
    }

    pub fn from_code(code: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    pub id: i64,
    pub depositor_id: i64,
    pub chat_id: i64,
    pub created_at_ms: i64,
    pub last_active_ms: i64,
    pub ended_at_ms: Option<i64>,
    pub end_reason: Option<EndReason>,
}

fn from_row(row: &AnyRow) -> Result<LoginRecord, StoreError> {
    let c = Columns::new(row, TABLE);
    let end_reason = match c.opt_text("end_reason")? {
        None => None,
        Some(code) => Some(EndReason::from_code(&code).ok_or_else(|| c.corrupt("end_reason"))?),
    };
    Ok(LoginRecord {
        id: c.i64("id")?,
        depositor_id: c.i64("depositor_id")?,
        chat_id: c.i64("chat_id")?,
        created_at_ms: c.i64("created_at_ms")?,
        last_active_ms: c.i64("last_active_ms")?,
        ended_at_ms: c.opt_i64("ended_at_ms")?,
        end_reason,
    })
}

/// Starts a login of `depositor_id` in `chat_id` at `now_ms`.
pub async fn create(
    db: &Db,
    depositor_id: i64,
    chat_id: i64,
    now_ms: i64,
) -> Result<LoginRecord, StoreError> {
    let sql = format!(
        "INSERT INTO logins (depositor_id, chat_id, created_at_ms, last_active_ms) \
         VALUES ($1, $2, $3, $3) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(chat_id)
        .bind(now_ms)
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<LoginRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM logins WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// Marks the login active at `now_ms`, only while it is open, was active at or after
/// `idle_cutoff_ms` and started at or after `absolute_cutoff_ms`. True when refreshed; false
/// when ended, expired or unknown (the caller then looks at why).
pub async fn touch_if_fresh(
    db: &Db,
    id: i64,
    now_ms: i64,
    idle_cutoff_ms: i64,
    absolute_cutoff_ms: i64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE logins SET last_active_ms = CASE WHEN last_active_ms > $1 \
                                             THEN last_active_ms ELSE $1 END \
         WHERE id = $2 AND ended_at_ms IS NULL \
           AND last_active_ms >= $3 AND created_at_ms >= $4",
    )
    .bind(now_ms)
    .bind(id)
    .bind(idle_cutoff_ms)
    .bind(absolute_cutoff_ms)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends an open login; true when this call ended it.
pub async fn end(db: &Db, id: i64, now_ms: i64, reason: EndReason) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE logins SET ended_at_ms = $1, end_reason = $2 \
         WHERE id = $3 AND ended_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(reason.code())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends an open login only if it belongs to `depositor_id`; true when this call ended it.
pub async fn end_of_depositor(
    db: &Db,
    depositor_id: i64,
    id: i64,
    now_ms: i64,
    reason: EndReason,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE logins SET ended_at_ms = $1, end_reason = $2 \
         WHERE id = $3 AND depositor_id = $4 AND ended_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(reason.code())
    .bind(id)
    .bind(depositor_id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends every open login in `chat_id`; returns how many.
pub async fn end_all_in_chat(
    db: &Db,
    chat_id: i64,
    now_ms: i64,
    reason: EndReason,
) -> Result<u64, StoreError> {
    let result = sqlx::query(
        "UPDATE logins SET ended_at_ms = $1, end_reason = $2 \
         WHERE chat_id = $3 AND ended_at_ms IS NULL",
    )
    .bind(now_ms)
    .bind(reason.code())
    .bind(chat_id)
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected())
}

/// The depositor's open logins that are still within both limits (active at or after
/// `idle_cutoff_ms`, started at or after `absolute_cutoff_ms`), oldest first.
pub async fn active_of(
    db: &Db,
    depositor_id: i64,
    idle_cutoff_ms: i64,
    absolute_cutoff_ms: i64,
) -> Result<Vec<LoginRecord>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM logins \
         WHERE depositor_id = $1 AND ended_at_ms IS NULL \
           AND last_active_ms >= $2 AND created_at_ms >= $3 \
         ORDER BY created_at_ms, id"
    );
    let rows = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(idle_cutoff_ms)
        .bind(absolute_cutoff_ms)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

/// Sign-ins not ended (for staff statistics).
pub async fn count_active(db: &Db) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM logins WHERE ended_at_ms IS NULL")
        .fetch_one(db.pool())
        .await?;
    Columns::new(&row, TABLE).i64("n")
}

/// The chats with a sign-in not ended (the audience "signed-in depositors").
pub async fn active_chat_ids(db: &Db) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT DISTINCT chat_id FROM logins WHERE ended_at_ms IS NULL ORDER BY chat_id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| Columns::new(row, TABLE).i64("chat_id"))
        .collect()
}

/// The chats a depositor's notifications go to, with each chat's language (`None` until it
/// chose one), in the caller's transaction: every chat with a sign-in not ended; when there is
/// none, the chat of the latest sign-in (the chat the depositor used last).
pub async fn notify_chats_in(
    conn: &mut sqlx::AnyConnection,
    depositor_id: i64,
) -> Result<Vec<(i64, Option<String>)>, StoreError> {
    let open = sqlx::query(
        "SELECT DISTINCT l.chat_id, c.language FROM logins l \
         LEFT JOIN chats c ON c.chat_id = l.chat_id \
         WHERE l.depositor_id = $1 AND l.ended_at_ms IS NULL ORDER BY l.chat_id",
    )
    .bind(depositor_id)
    .fetch_all(&mut *conn)
    .await?;
    let rows = if open.is_empty() {
        sqlx::query(
            "SELECT l.chat_id, c.language FROM logins l \
             LEFT JOIN chats c ON c.chat_id = l.chat_id \
             WHERE l.depositor_id = $1 ORDER BY l.created_at_ms DESC, l.id DESC LIMIT 1",
        )
        .bind(depositor_id)
        .fetch_all(&mut *conn)
        .await?
    } else {
        open
    };
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, TABLE);
            Ok((c.i64("chat_id")?, c.opt_text("language")?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip() {
        for r in EndReason::ALL {
            assert_eq!(EndReason::from_code(r.code()), Some(r));
        }
        assert_eq!(EndReason::from_code("timeout"), None);
    }
}
