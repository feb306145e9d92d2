//! A chat's notification switches (`/settings`): read them, flip one.

use chrono::{DateTime, Utc};

use crate::store::notification_settings::{self, NotifyKind};
use crate::store::{Db, StoreError};

#[derive(Clone)]
pub struct SettingsService {
    db: Db,
}

impl SettingsService {
    pub fn new(db: Db) -> SettingsService {
        SettingsService { db }
    }

    /// Whether the chat gets each switchable kind, in the order of [`NotifyKind::ALL`].
    pub async fn of_chat(&self, chat_id: i64) -> Result<Vec<(NotifyKind, bool)>, StoreError> {
        notification_settings::of_chat(&self.db, chat_id).await
    }

    /// Turns the kind off when it was on and on when it was off; the new value.
    pub async fn toggle(
        &self,
        chat_id: i64,
        kind: NotifyKind,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let on = self
            .of_chat(chat_id)
            .await?
            .iter()
            .any(|(k, on)| *k == kind && *on);
        notification_settings::set(&self.db, chat_id, kind, !on, now.timestamp_millis()).await?;
        Ok(!on)
    }
}
