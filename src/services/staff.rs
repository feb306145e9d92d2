//! Staff use cases behind the chat's staff commands: who holds which role, statistics,
//! creating, listing and cancelling broadcasts. Every action is written to the audit log
//! (creating and cancelling by the broadcast store, in their own transactions).

use chrono::{DateTime, Duration, Months, TimeZone, Utc};

use crate::booking::City;

use crate::domain::Lang;
use crate::domain::application::ApplicationStatus;
use crate::outbox::payload::BroadcastTexts;
use crate::outbox::quiet;
use crate::store::audit::{self, AuditEntry};
use crate::store::outbox::OutboxKind;
use crate::store::outbox::{
    Broadcast, BroadcastProgress, NewBroadcast, Recipients, broadcast_progress, cancel_broadcast,
    create_broadcast_held, list_broadcasts,
};
use crate::store::staff::{Role, actor_name, roles_of};
use crate::store::{Db, StoreError, applications, bookings, chats, logins, outbox};

/// How many broadcasts `/broadcasts` shows.
pub const RECENT_BROADCASTS: i64 = 5;

/// Kazakhstan's single time zone (UTC+5): "today" for the statistics.
use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;

/// Who gets a broadcast, as a staff member chooses it in the chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "to", content = "lang")]
pub enum Audience {
    /// Every chat not marked unreachable.
    All,
    /// Chats with a sign-in not ended.
    SignedIn,
    /// Chats that chose this language.
    Language(Lang),
    /// Chats that booked a visit at a branch of this city (`branch_cities.id`) with a slot
    /// from [`CITY_AUDIENCE_MONTHS`] months ago on: recent and upcoming visitors, whatever
    /// became of the booking (a cancelled visit still says where the person lives).
    City(i64),
}

/// How far back a booking counts for the audience "by city".
pub const CITY_AUDIENCE_MONTHS: u32 = 6;

impl Audience {
    /// The label stored with the broadcast and shown in progress pages.
    pub fn label(self) -> String {
        match self {
            Audience::All => "all".to_string(),
            Audience::SignedIn => "signed_in".to_string(),
            Audience::Language(lang) => format!("lang:{}", lang.code()),
            Audience::City(id) => format!("city:{id}"),
        }
    }

    /// Reads a stored label back; `None` for anything [`Audience::label`] does not make.
    pub fn from_label(label: &str) -> Option<Audience> {
        match label {
            "all" => Some(Audience::All),
            "signed_in" => Some(Audience::SignedIn),
            other => match other.strip_prefix("city:") {
                Some(id) => id.parse().ok().map(Audience::City),
                None => Lang::from_code(other.strip_prefix("lang:")?).map(Audience::Language),
            },
        }
    }
}

/// The figures of `/stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub chats: i64,
    pub active_logins: i64,
    /// Statuses with at least one application, in the order of [`ApplicationStatus::ALL`].
    pub applications: Vec<(ApplicationStatus, i64)>,
    pub bookings_today: i64,
    pub outbox_pending: i64,
}

/// A broadcast with its counts, for `/broadcasts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastView {
    pub broadcast: Broadcast,
    pub progress: BroadcastProgress,
    /// Messages sent per second since it started (0 before).
    pub rate_per_s: i64,
}

/// A broadcast just created, and when its sending starts if quiet hours hold it.
#[derive(Debug, Clone)]
pub struct Created {
    pub broadcast: Broadcast,
    pub held_until_ms: Option<i64>,
}

#[derive(Clone)]
pub struct StaffService {
    db: Db,
}

impl StaffService {
    pub fn new(db: Db) -> StaffService {
        StaffService { db }
    }

    /// The cities with active branches (the choices of the audience "by city").
    pub async fn cities(&self) -> Result<Vec<City>, StoreError> {
        bookings::cities(&self.db).await
    }

    /// The roles of a Telegram user; empty for everyone who is not staff.
    pub async fn roles(&self, user_id: i64) -> Result<Vec<Role>, StoreError> {
        roles_of(&self.db, user_id).await
    }

    pub async fn stats(
        &self,
        user_id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Stats, StoreError> {
        let (from_ms, to_ms) = local_day(now);
        let mut by_status = applications::count_by_status(&self.db).await?;
        let applications = ApplicationStatus::ALL
            .into_iter()
            .filter_map(|status| {
                let i = by_status
                    .iter()
                    .position(|(code, _)| code == status.code())?;
                Some((status, by_status.swap_remove(i).1))
            })
            .collect();
        let stats = Stats {
            chats: chats::count(&self.db).await?,
            active_logins: logins::count_active(&self.db).await?,
            applications,
            bookings_today: bookings::count_active_between(&self.db, from_ms, to_ms).await?,
            outbox_pending: outbox::pending_count(&self.db).await?,
        };
        self.audit(user_id, chat_id, now, "staff.stats", None)
            .await?;
        Ok(stats)
    }

    /// Creates the broadcast and its recipients; audited by the store.
    pub async fn broadcast(
        &self,
        user_id: i64,
        texts: BroadcastTexts,
        audience: Audience,
        now: DateTime<Utc>,
    ) -> Result<Created, StoreError> {
        let recipients = match audience {
            Audience::All => Recipients::AllReachable,
            Audience::Language(lang) => Recipients::Languages(vec![lang]),
            Audience::SignedIn => Recipients::Chats(logins::active_chat_ids(&self.db).await?),
            Audience::City(city_id) => {
                let since = now
                    .checked_sub_months(Months::new(CITY_AUDIENCE_MONTHS))
                    .unwrap_or(now);
                Recipients::Chats(
                    bookings::chats_with_bookings_in_city(
                        &self.db,
                        city_id,
                        since.timestamp_millis(),
                    )
                    .await?,
                )
            }
        };
        let new = NewBroadcast {
            created_by: user_id,
            audience: audience.label(),
            texts,
        };
        let now_ms = now.timestamp_millis();
        // Broadcasts are not urgent: written at night, they go out at 08:00.
        let held = quiet::not_before_ms(OutboxKind::Broadcast, now_ms);
        let broadcast = create_broadcast_held(&self.db, &new, &recipients, now_ms, held).await?;
        Ok(Created {
            broadcast,
            held_until_ms: (held > now_ms).then_some(held),
        })
    }

    /// The latest broadcasts with their progress, newest first.
    pub async fn recent(
        &self,
        user_id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<BroadcastView>, StoreError> {
        let now_ms = now.timestamp_millis();
        let mut views = Vec::new();
        for broadcast in list_broadcasts(&self.db, RECENT_BROADCASTS).await? {
            let progress = broadcast_progress(&self.db, broadcast.id).await?;
            let end_ms = broadcast.finished_at_ms.unwrap_or(now_ms);
            let rate_per_s = match broadcast.started_at_ms {
                Some(start) if end_ms > start => progress.sent * 1000 / (end_ms - start).max(1000),
                _ => 0,
            };
            views.push(BroadcastView {
                broadcast,
                progress,
                rate_per_s,
            });
        }
        self.audit(user_id, chat_id, now, "staff.broadcasts", None)
            .await?;
        Ok(views)
    }

    /// Cancels the waiting rows of a broadcast; how many were cancelled. Audited by the store.
    pub async fn cancel(
        &self,
        user_id: i64,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        cancel_broadcast(&self.db, id, user_id, now.timestamp_millis()).await
    }

    async fn audit(
        &self,
        user_id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
        action: &str,
        details: Option<String>,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry {
            at_ms: now.timestamp_millis(),
            chat_id: Some(chat_id),
            actor: actor_name(Some(user_id)),
            action: action.to_string(),
            subject: None,
            details,
        };
        audit::record(&self.db, &entry).await
    }
}

/// The start and end (ms) of the Kazakhstan calendar day containing `now`.
fn local_day(now: DateTime<Utc>) -> (i64, i64) {
    let local = now.with_timezone(&KZ_TIME).date_naive();
    let start = local
        .and_hms_opt(0, 0, 0)
        .and_then(|t| KZ_TIME.from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| now.timestamp_millis());
    (start, start + Duration::days(1).num_milliseconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_labels_read_back() {
        for audience in [
            Audience::All,
            Audience::SignedIn,
            Audience::Language(Lang::Ru),
            Audience::City(3),
        ] {
            assert_eq!(Audience::from_label(&audience.label()), Some(audience));
        }
        assert_eq!(Audience::from_label("lang:xx"), None);
        assert_eq!(Audience::from_label("everyone"), None);
        assert_eq!(Audience::from_label("city:almaty"), None);
    }

    #[test]
    fn the_day_is_counted_in_kazakhstan_time() {
        // 20:30 UTC on 1 March is 01:30 on 2 March in Almaty.
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 20, 30, 0).unwrap();
        let (from, to) = local_day(now);
        assert_eq!(
            from,
            Utc.with_ymd_and_hms(2026, 3, 1, 19, 0, 0)
                .unwrap()
                .timestamp_millis()
        );
        assert_eq!(to - from, 86_400_000);
    }
}
