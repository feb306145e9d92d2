//! Per-chat switches of the notification kinds a user may turn off in `/settings`. A chat
//! without a row for a kind gets it (on by default). Status changes of the user's own
//! applications are not switchable and never stored here.

use sqlx::AnyConnection;

use super::values::{Columns, bool_value};
use super::{Db, StoreError};

const TABLE: &str = "notification_settings";

/// A kind of notification the user may turn off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyKind {
    /// Booking reminders (the evening before and an hour before).
    Reminder,
    /// A new contribution posted to the depositor's account.
    Contribution,
    /// Statement and certificate numbers issued.
    Document,
}

impl NotifyKind {
    pub const ALL: [NotifyKind; 3] = [
        NotifyKind::Reminder,
        NotifyKind::Contribution,
        NotifyKind::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyKind::Reminder => "reminder",
            NotifyKind::Contribution => "contribution",
            NotifyKind::Document => "document",
        }
    }
}

/// Whether the chat gets this kind, in the caller's transaction (where it is produced).
pub async fn is_enabled_in(
    conn: &mut AnyConnection,
    chat_id: i64,
    kind: NotifyKind,
) -> Result<bool, StoreError> {
    let row =
        sqlx::query("SELECT enabled FROM notification_settings WHERE chat_id = $1 AND kind = $2")
            .bind(chat_id)
            .bind(kind.as_str())
            .fetch_optional(conn)
            .await?;
    match row {
        Some(row) => Columns::new(&row, TABLE).bool("enabled"),
        None => Ok(true),
    }
}

/// Whether the chat gets each kind, in the order of [`NotifyKind::ALL`].
pub async fn of_chat(db: &Db, chat_id: i64) -> Result<Vec<(NotifyKind, bool)>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    let mut found = Vec::new();
    for kind in NotifyKind::ALL {
        found.push((kind, is_enabled_in(&mut conn, chat_id, kind).await?));
    }
    Ok(found)
}

/// Turns a kind on or off for the chat.
pub async fn set(
    db: &Db,
    chat_id: i64,
    kind: NotifyKind,
    enabled: bool,
    now_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notification_settings (chat_id, kind, enabled, updated_at_ms) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (chat_id, kind) DO UPDATE \
         SET enabled = excluded.enabled, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(chat_id)
    .bind(kind.as_str())
    .bind(bool_value(enabled))
    .bind(now_ms)
    .execute(db.pool())
    .await?;
    Ok(())
}
