//! Telegram chats the bot has seen: language, the depositor signed in, reachability.

use sqlx::any::AnyRow;

use super::values::{Columns, bool_value};
use super::{Db, StoreError};
use crate::domain::Iin;

const TABLE: &str = "chats";
const COLUMNS: &str =
    "chat_id, user_id, language, depositor_id, created_at_ms, last_seen_ms, unreachable";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRecord {
    pub chat_id: i64,
    pub user_id: i64,
    /// `kk`, `ru` or `en`, once the user has chosen.
    pub language: Option<String>,
    pub depositor_id: Option<i64>,
    pub created_at_ms: i64,
    pub last_seen_ms: i64,
    /// The bot was blocked (Telegram answered 403); cleared when the user writes again.
    pub unreachable: bool,
}

fn from_row(row: &AnyRow) -> Result<ChatRecord, StoreError> {
    let c = Columns::new(row, TABLE);
    Ok(ChatRecord {
        chat_id: c.i64("chat_id")?,
        user_id: c.i64("user_id")?,
        language: c.opt_text("language")?,
        depositor_id: c.opt_i64("depositor_id")?,
        created_at_ms: c.i64("created_at_ms")?,
        last_seen_ms: c.i64("last_seen_ms")?,
        unreachable: c.bool("unreachable")?,
    })
}

/// Records that `chat_id` wrote now: creates the chat on first contact, otherwise refreshes
/// `user_id` and `last_seen_ms` (never moving it backwards) and marks the chat reachable.
pub async fn touch(
    db: &Db,
    chat_id: i64,
    user_id: i64,
    now_ms: i64,
) -> Result<ChatRecord, StoreError> {
    let sql = format!(
        "INSERT INTO chats (chat_id, user_id, created_at_ms, last_seen_ms, unreachable) \
         VALUES ($1, $2, $3, $3, 0) \
         ON CONFLICT (chat_id) DO UPDATE SET \
           user_id = excluded.user_id, \
           last_seen_ms = CASE WHEN excluded.last_seen_ms > chats.last_seen_ms \
                               THEN excluded.last_seen_ms ELSE chats.last_seen_ms END, \
           unreachable = 0 \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(chat_id)
        .bind(user_id)
        .bind(now_ms)
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

pub async fn get(db: &Db, chat_id: i64) -> Result<Option<ChatRecord>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM chats WHERE chat_id = $1");
    let row = sqlx::query(&sql)
        .bind(chat_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Stores the chat's language (`kk`, `ru` or `en`; the table refuses anything else).
pub async fn set_language(db: &Db, chat_id: i64, lang_code: &str) -> Result<(), StoreError> {
    let result = sqlx::query("UPDATE chats SET language = $1 WHERE chat_id = $2")
        .bind(lang_code)
        .bind(chat_id)
        .execute(db.pool())
        .await?;
    expect_one(result.rows_affected())
}

pub async fn set_unreachable(db: &Db, chat_id: i64, unreachable: bool) -> Result<(), StoreError> {
    let result = sqlx::query("UPDATE chats SET unreachable = $1 WHERE chat_id = $2")
        .bind(bool_value(unreachable))
        .bind(chat_id)
        .execute(db.pool())
        .await?;
    expect_one(result.rows_affected())
}

/// Binds the chat to a signed-in depositor, or clears the binding on sign-out.
pub async fn set_depositor(
    db: &Db,
    chat_id: i64,
    depositor_id: Option<i64>,
) -> Result<(), StoreError> {
    let result = sqlx::query("UPDATE chats SET depositor_id = $1 WHERE chat_id = $2")
        .bind(depositor_id)
        .bind(chat_id)
        .execute(db.pool())
        .await?;
    expect_one(result.rows_affected())
}

/// Remembers the IIN to propose at the next sign-in in this chat (the user asked for it), or
/// forgets it with `None`. `NotFound` when the chat is unknown.
pub async fn set_remembered_iin(
    db: &Db,
    chat_id: i64,
    iin: Option<&Iin>,
) -> Result<(), StoreError> {
    let result = sqlx::query("UPDATE chats SET remember_iin = $1 WHERE chat_id = $2")
        .bind(iin.map(|iin| iin.as_str().to_owned()))
        .bind(chat_id)
        .execute(db.pool())
        .await?;
    expect_one(result.rows_affected())
}

/// The IIN remembered for this chat; `None` when none is, or the chat is unknown.
pub async fn remembered_iin(db: &Db, chat_id: i64) -> Result<Option<Iin>, StoreError> {
    let row = sqlx::query("SELECT remember_iin FROM chats WHERE chat_id = $1")
        .bind(chat_id)
        .fetch_optional(db.pool())
        .await?;
    match row {
        None => Ok(None),
        Some(row) => Columns::new(&row, TABLE).opt_parsed("remember_iin", Iin::parse),
    }
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM chats")
        .fetch_one(db.pool())
        .await?;
    Columns::new(&row, TABLE).i64("n")
}

fn expect_one(rows_affected: u64) -> Result<(), StoreError> {
    if rows_affected == 0 {
        Err(StoreError::NotFound { what: "chat" })
    } else {
        Ok(())
    }
}
