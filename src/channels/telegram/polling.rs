//! Long polling: getUpdates in a loop. Updates are handed to the dispatcher as they come;
//! the offset sent to Telegram (which confirms everything below it) never passes an update
//! that is still being handled, so an update Telegram considers delivered has always been
//! handled. A slow update (a gateway timing out) holds back only the confirmation, not the
//! other chats: while one is in flight the loop keeps asking from its id and dispatches only
//! what is new. Errors back off and retry; only shutdown ends the loop.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::value::RawValue;
use teloxide::payloads::GetUpdates;
use teloxide::types::Update;
use tokio::sync::Notify;

use super::api::CallError;
use super::retry::Backoff;
use super::startup::allowed_updates;
use super::{Stop, Telegram};

/// Updates asked for per call (Telegram's maximum).
const BATCH_LIMIT: u8 = 100;

/// While an update is in flight, how long to wait for one to finish before asking again.
const IN_FLIGHT_RECHECK: Duration = Duration::from_millis(200);

/// The updates dispatched but not finished, and a bell rung when one finishes.
#[derive(Default)]
struct InFlight {
    ids: Mutex<BTreeSet<u32>>,
    finished: Notify,
}

impl InFlight {
    fn lowest(&self) -> Option<u32> {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .first()
            .copied()
    }

    fn is_empty(&self) -> bool {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }

    fn insert(&self, id: u32) {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id);
    }

    fn remove(&self, id: u32) {
        self.ids
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        self.finished.notify_waiters();
    }
}

pub async fn run(telegram: &Telegram, stop: &Stop) {
    let tuning = telegram.tuning();
    let mut backoff = Backoff::new(tuning.backoff_base, tuning.backoff_max);
    let in_flight = Arc::new(InFlight::default());
    // The highest update id dispatched so far: anything at or below it is handled or in flight.
    let mut highest: Option<u32> = None;
    tracing::info!("long polling started");
    while !stop.is_stopped() {
        let busy = !in_flight.is_empty();
        if busy {
            // Something is in flight: wait a little for it rather than asking in a tight loop.
            tokio::select! {
                _ = in_flight.finished.notified() => {}
                _ = tokio::time::sleep(IN_FLIGHT_RECHECK) => {}
                _ = stop.stopped() => break,
            }
        }
        let mut request = GetUpdates::new();
        request.offset = confirmed_offset(&in_flight, highest);
        request.limit = Some(BATCH_LIMIT);
        let wait = if busy {
            Duration::ZERO
        } else {
            tuning.poll_timeout
        };
        request.timeout = Some(u32::try_from(wait.as_secs()).unwrap_or(u32::MAX));
        request.allowed_updates = Some(allowed_updates());
        let call = telegram
            .api()
            .call_as::<_, Vec<Box<RawValue>>>(&request, wait);
        let result = tokio::select! {
            result = call => result,
            // Nothing is lost: the updates of an unfinished call are not confirmed.
            _ = stop.stopped() => break,
        };
        let updates = match result {
            Ok(updates) => updates,
            Err(error) => {
                let wait = match &error {
                    CallError::RetryAfter(wait) => *wait,
                    _ => backoff.next_wait(),
                };
                tracing::warn!(wait_ms = wait.as_millis() as u64, reason = %error, "getUpdates failed; retrying");
                stop.sleep(wait).await;
                continue;
            }
        };
        backoff.reset();
        let mut fresh: Vec<Update> = Vec::new();
        let mut unreadable_highest = highest;
        for raw in &updates {
            match read_if_new(raw, highest) {
                Some((_, Some(update))) => fresh.push(update),
                // Nothing to handle: confirmed with the next offset like a handled one.
                Some((id, None)) => unreadable_highest = unreadable_highest.max(Some(id)),
                None => {}
            }
        }
        highest = highest.max(unreadable_highest);
        fresh.sort_by_key(|u| u.id.0);
        for update in fresh {
            let id = update.id.0;
            highest = Some(highest.map_or(id, |h| h.max(id)));
            in_flight.insert(id);
            // Dispatching queues the update behind earlier ones of its chat at once, so the
            // order within a chat is fixed here; the handling itself runs on its own.
            let outcome = telegram.dispatcher().dispatch(update);
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                outcome.await;
                in_flight.remove(id);
            });
        }
    }
    drain(telegram, &in_flight).await;
    if let Some(offset) = confirmed_offset(&in_flight, highest) {
        confirm(telegram, offset).await;
    }
    tracing::info!("long polling stopped");
}

/// Only the id of an update.
#[derive(serde::Deserialize)]
struct UpdateId {
    update_id: u32,
}

/// A new update (id above `highest`) as its id and, when it reads, the update. While
/// updates are in flight each answer repeats them (the offset stays at the lowest), and reading
/// teloxide's `Update` is the costly part of a poll: the id is read first, the rest only for an
/// update not seen yet. One that does not read is logged without its content and skipped.
fn read_if_new(raw: &RawValue, highest: Option<u32>) -> Option<(u32, Option<Update>)> {
    let id = match leading_update_id(raw.get()) {
        Some(id) => id,
        None => match serde_json::from_str::<UpdateId>(raw.get()) {
            Ok(id) => id.update_id,
            Err(error) => {
                tracing::warn!(category = ?error.classify(), "an update without a readable id skipped");
                return None;
            }
        },
    };
    if highest.is_some_and(|h| id <= h) {
        return None;
    }
    match serde_json::from_str::<Update>(raw.get()) {
        Ok(update) => Some((id, Some(update))),
        Err(error) => {
            tracing::warn!(update_id = id, category = ?error.classify(), "an update that does not read skipped");
            Some((id, None))
        }
    }
}

/// The id of an update written as Telegram writes it, `{"update_id":123,...`, without reading
/// the rest (a JSON reader must walk the whole object to be sure of a field); `None` for any
/// other layout, which is then read in full.
fn leading_update_id(raw: &str) -> Option<u32> {
    let rest = raw.strip_prefix(r#"{"update_id":"#)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest.as_bytes().get(digits) {
        Some(b',' | b'}') if digits > 0 && !(digits > 1 && rest.starts_with('0')) => {
            rest[..digits].parse().ok()
        }
        _ => None,
    }
}

/// The offset that confirms exactly what is done: the lowest update still in flight, or one
/// past the highest dispatched; `None` before the first update.
fn confirmed_offset(in_flight: &InFlight, highest: Option<u32>) -> Option<i32> {
    let next = match in_flight.lowest() {
        Some(lowest) => u64::from(lowest),
        None => u64::from(highest?) + 1,
    };
    Some(i32::try_from(next).unwrap_or(i32::MAX))
}

/// On shutdown: lets the updates in flight finish, within the grace period.
async fn drain(telegram: &Telegram, in_flight: &InFlight) {
    let deadline = tokio::time::Instant::now() + telegram.tuning().shutdown_grace;
    while !in_flight.is_empty() {
        let now = tokio::time::Instant::now();
        if now >= deadline {
            tracing::warn!(
                "shutdown: stopped waiting for updates in flight; they stay unconfirmed"
            );
            return;
        }
        tokio::select! {
            _ = in_flight.finished.notified() => {}
            _ = tokio::time::sleep(deadline - now) => {}
        }
    }
}

/// Tells Telegram the last batch is done, so it is not delivered again after a restart.
async fn confirm(telegram: &Telegram, offset: i32) {
    let mut request = GetUpdates::new();
    request.offset = Some(offset);
    request.limit = Some(1);
    request.timeout = Some(0);
    let call = telegram
        .api()
        .call_as::<_, serde::de::IgnoredAny>(&request, Duration::ZERO);
    match tokio::time::timeout(telegram.tuning().shutdown_grace, call).await {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => {
            tracing::debug!(error = %error, "could not confirm the last batch on shutdown")
        }
        Err(_) => tracing::debug!("confirming the last batch on shutdown timed out"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_string()).unwrap()
    }

    const TEXT: &str = r#"{"update_id":7,"message":{"message_id":1,"date":1772445600,"chat":{"id":42,"type":"private","first_name":"A"},"from":{"id":42,"is_bot":false,"first_name":"A"},"text":"/start"}}"#;

    #[test]
    fn only_updates_above_the_highest_dispatched_are_read() {
        let (id, update) = read_if_new(&raw(TEXT), Some(6)).expect("new");
        assert_eq!(id, 7);
        assert_eq!(update.expect("reads").id.0, 7);
        assert!(read_if_new(&raw(TEXT), None).is_some());
        assert!(
            read_if_new(&raw(TEXT), Some(7)).is_none(),
            "already dispatched"
        );
        assert!(read_if_new(&raw(TEXT), Some(9)).is_none());
    }

    #[test]
    fn the_leading_id_is_read_only_in_telegrams_layout() {
        assert_eq!(leading_update_id(TEXT), Some(7));
        assert_eq!(
            leading_update_id(r#"{"update_id":4294967295}"#),
            Some(u32::MAX)
        );
        for other in [
            r#"{"update_id":4294967296,"message":{}}"#,
            r#"{"update_id": 7,"message":{}}"#,
            r#"{"update_id":07,"message":{}}"#,
            r#"{"update_id":-7,"message":{}}"#,
            r#"{"update_id":7.5,"message":{}}"#,
            r#"{"update_id":,"message":{}}"#,
            r#"{"message":{},"update_id":7}"#,
        ] {
            assert_eq!(leading_update_id(other), None, "{other}");
        }
        let (id, _) = read_if_new(&raw(r#"{"message":{},"update_id":9}"#), Some(8)).expect("new");
        assert_eq!(id, 9, "any other layout is read in full");
    }

    #[test]
    fn an_update_that_does_not_read_is_skipped_by_its_id() {
        let odd = read_if_new(&raw(r#"{"update_id":8,"message":42}"#), Some(7));
        assert!(matches!(odd, Some((8, _))), "its id still counts");
        assert!(read_if_new(&raw(r#"{"no_id":true}"#), None).is_none());
    }
}
