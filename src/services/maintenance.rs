//! Maintenance windows ("except during technical work", the fund's memo): an admin sets one
//! from the command line or with `/maintenance` in the chat; while it lasts the dialogues answer
//! service requests (sign-in, cabinet, statements, applications, booking, the calculator) with
//! a notice and the expected end, and leave /start, language, help, settings and staff
//! commands working. Times are typed and shown in Kazakhstan time (UTC+5).
//!
//! The chat reads the window at every message. A database round trip per message was a third
//! of a menu update's cost, so the conversation's service keeps the stored row for
//! [`WINDOW_RECHECK`]: whether the window is in force is still decided against the clock at
//! every message (it starts and ends to the millisecond), a window set or cleared through the
//! same service applies at once, and one set by another process (the command line, another
//! instance) applies within [`WINDOW_RECHECK`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

use crate::store::maintenance::{self, StoredWindow};
use crate::store::{Db, StoreError};

use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;

/// The format times are typed in: `25.11.2026 06:00`.
pub const LOCAL_FORMAT: &str = "%d.%m.%Y %H:%M";

/// A window `[from_ms, until_ms)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from_ms: i64,
    pub until_ms: i64,
}

impl Window {
    pub fn is_active(&self, now_ms: i64) -> bool {
        self.from_ms <= now_ms && now_ms < self.until_ms
    }
}

/// Why a window was refused. Shown to the admin as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("{0:?} is not a time like 25.11.2026 06:00 (Kazakhstan time, UTC+5)")]
    BadTime(String),
    #[error("the window must end after it starts")]
    EndsBeforeStart,
    #[error("the window has already ended")]
    AlreadyOver,
}

/// Parses `dd.mm.yyyy HH:MM` in Kazakhstan time into unix ms.
pub fn parse_local(text: &str) -> Result<i64, WindowError> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), LOCAL_FORMAT)
        .map_err(|_| WindowError::BadTime(text.chars().take(40).collect()))?;
    KZ_TIME
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| WindowError::BadTime(text.chars().take(40).collect()))
}

/// Unix ms as `dd.mm.yyyy HH:MM` in Kazakhstan time.
pub fn format_local(ms: i64) -> String {
    match KZ_TIME.timestamp_millis_opt(ms).single() {
        Some(t) => t.format(LOCAL_FORMAT).to_string(),
        None => "—".to_string(),
    }
}

/// Checks a window typed by an admin: `from` (now when absent) before `until`, `until` ahead.
pub fn window_from_text(
    from: Option<&str>,
    until: &str,
    now: DateTime<Utc>,
) -> Result<Window, WindowError> {
    let now_ms = now.timestamp_millis();
    let from_ms = match from {
        Some(text) => parse_local(text)?,
        None => now_ms,
    };
    let until_ms = parse_local(until)?;
    if until_ms <= from_ms {
        return Err(WindowError::EndsBeforeStart);
    }
    if until_ms <= now_ms {
        return Err(WindowError::AlreadyOver);
    }
    Ok(Window { from_ms, until_ms })
}

/// How long the chat's service trusts the stored window it read before reading it again.
pub const WINDOW_RECHECK: Duration = Duration::from_secs(2);

/// The stored window as last read, and when (monotonic time: the dialogue's clock may be fixed).
type CachedWindow = Option<(Instant, Option<StoredWindow>)>;

#[derive(Clone)]
pub struct MaintenanceService {
    db: Db,
    /// `None`: read the database every time (the command line, staff tools, tests).
    cache: Option<Arc<Mutex<CachedWindow>>>,
    recheck: Duration,
}

impl MaintenanceService {
    /// Reads the database at every call.
    pub fn new(db: Db) -> MaintenanceService {
        MaintenanceService {
            db,
            cache: None,
            recheck: Duration::ZERO,
        }
    }

    /// Keeps the stored window for `recheck` ([`WINDOW_RECHECK`] in the chat; see the
    /// module's comment).
    pub fn cached(db: Db, recheck: Duration) -> MaintenanceService {
        MaintenanceService {
            db,
            cache: Some(Arc::new(Mutex::new(None))),
            recheck,
        }
    }

    /// The window set, whether it has started, is running or is over.
    pub async fn stored(&self) -> Result<Option<StoredWindow>, StoreError> {
        let Some(cache) = &self.cache else {
            return maintenance::get(&self.db).await;
        };
        let fresh = cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < self.recheck)
            .map(|(_, window)| window.clone());
        if let Some(window) = fresh {
            return Ok(window);
        }
        let window = maintenance::get(&self.db).await?;
        self.remember(window.clone());
        Ok(window)
    }

    fn remember(&self, window: Option<StoredWindow>) {
        if let Some(cache) = &self.cache {
            *cache.lock().unwrap_or_else(PoisonError::into_inner) = Some((Instant::now(), window));
        }
    }

    /// Makes the next read go to the database.
    fn forget(&self) {
        if let Some(cache) = &self.cache {
            *cache.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    /// The window in force at `now`, if any.
    pub async fn active(&self, now: DateTime<Utc>) -> Result<Option<Window>, StoreError> {
        Ok(self
            .stored()
            .await?
            .map(|w| Window {
                from_ms: w.starts_at_ms,
                until_ms: w.ends_at_ms,
            })
            .filter(|w| w.is_active(now.timestamp_millis())))
    }

    /// Sets the window; `by` is `cli` or `staff:<id>`. Audited.
    pub async fn set(
        &self,
        window: Window,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let result = maintenance::set(
            &self.db,
            &StoredWindow {
                starts_at_ms: window.from_ms,
                ends_at_ms: window.until_ms,
                set_by: by.to_owned(),
                set_at_ms: now.timestamp_millis(),
            },
        )
        .await;
        self.forget();
        result
    }

    /// Ends the window now; `true` when one was set. Audited.
    pub async fn clear(&self, by: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let result = maintenance::clear(&self.db, by, now.timestamp_millis()).await;
        self.forget();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_kazakhstan_time() {
        let ms = parse_local("25.11.2026 06:00").unwrap();
        assert_eq!(
            ms,
            Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0)
                .unwrap()
                .timestamp_millis()
        );
        assert_eq!(format_local(ms), "25.11.2026 06:00");
        assert!(matches!(
            parse_local("2026-11-25 06:00"),
            Err(WindowError::BadTime(_))
        ));
        assert!(parse_local("31.02.2026 06:00").is_err());
    }

    #[test]
    fn windows_must_end_after_they_start_and_after_now() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let w = window_from_text(None, "25.11.2026 06:00", now).unwrap();
        assert_eq!(w.from_ms, now.timestamp_millis());
        assert!(w.is_active(now.timestamp_millis()));
        assert!(!w.is_active(w.until_ms));
        assert_eq!(
            window_from_text(Some("25.11.2026 07:00"), "25.11.2026 06:00", now),
            Err(WindowError::EndsBeforeStart)
        );
        assert_eq!(
            window_from_text(Some("24.11.2026 01:00"), "24.11.2026 02:00", now),
            Err(WindowError::AlreadyOver)
        );
    }
}
