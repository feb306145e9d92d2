//! Long polling: getUpdates in a loop. A batch is handed to the dispatcher and fully handled
//! before the next call confirms it (the next offset), so an update Telegram considers
//! delivered has always been handled. Errors back off and retry; only shutdown ends the loop.

use std::time::Duration;

use teloxide::payloads::GetUpdates;
use teloxide::types::Update;

use super::api::CallError;
use super::retry::Backoff;
use super::startup::allowed_updates;
use super::{Stop, Telegram};

/// Updates asked for per call (Telegram's maximum).
const BATCH_LIMIT: u8 = 100;

pub async fn run(telegram: &Telegram, stop: &Stop) {
    let tuning = telegram.tuning();
    let mut backoff = Backoff::new(tuning.backoff_base, tuning.backoff_max);
    let mut offset: Option<i32> = None;
    tracing::info!("long polling started");
    while !stop.is_stopped() {
        let mut request = GetUpdates::new();
        request.offset = offset;
        request.limit = Some(BATCH_LIMIT);
        request.timeout = Some(u32::try_from(tuning.poll_timeout.as_secs()).unwrap_or(u32::MAX));
        request.allowed_updates = Some(allowed_updates());
        let call = telegram
            .api()
            .call_as::<_, Vec<Update>>(&request, tuning.poll_timeout);
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
        let Some(next) = next_offset(&updates) else {
            continue;
        };
        if !handle_batch(telegram, stop, updates).await {
            return;
        }
        offset = Some(next);
    }
    if let Some(offset) = offset {
        confirm(telegram, offset).await;
    }
    tracing::info!("long polling stopped");
}

/// One past the highest id of the batch; `None` for an empty batch.
fn next_offset(updates: &[Update]) -> Option<i32> {
    let highest = updates.iter().map(|u| u.id.0).max()?;
    Some(i32::try_from(u64::from(highest) + 1).unwrap_or(i32::MAX))
}

/// Handles a batch; `false` when shutdown's grace ran out first.
async fn handle_batch(telegram: &Telegram, stop: &Stop, updates: Vec<Update>) -> bool {
    let count = updates.len();
    let pending: Vec<_> = updates
        .into_iter()
        .map(|update| telegram.dispatcher().dispatch(update))
        .collect();
    let all = futures::future::join_all(pending);
    let grace = telegram.tuning().shutdown_grace;
    tokio::select! {
        _ = all => true,
        _ = async { stop.stopped().await; tokio::time::sleep(grace).await } => {
            tracing::warn!(count, "shutdown: stopped waiting for a batch of updates in flight");
            false
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
