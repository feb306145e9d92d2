//! A worker: claims due rows in small batches (most urgent first), takes a send slot for each
//! from the rate limiter, sends it at its slot and records the outcome.
//!
//! Rows whose chat is not yet allowed go back with `next_attempt_ms` at the chat's next slot;
//! rows of unreachable chats and cancelled broadcasts are settled without a call. Outcomes are
//! written by one recorder in batches (one commit for many rows). A concurrency permit is held
//! from claim to commit, so the rows a worker holds at any moment — all that a crash can send
//! twice — are at most `batch_size + concurrency`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::task::JoinSet;
use url::Url;

use super::limiter::{Decision, Lane, RateLimiter};
use super::payload::{BroadcastTexts, Content, RenderedMessage};
use crate::channels::telegram::Stop;
use crate::channels::telegram::api::{BotApi, BuildError, CallError};
use crate::config::Config;
use crate::store::outbox::{self as store, Claimed, OutboxKind, Resolution, Settle, broadcasts};
use crate::store::{Db, StoreError};

/// The longest a worker waits in line for a slot while holding a row; longer, and the row
/// goes back to the queue until then.
const MAX_INLINE_WAIT: Duration = Duration::from_secs(1);

/// How old the "unreachable / cancelled" check of a batch may get before a row is sent.
/// Well under a chat's interval (over a second), so a chat that answered 403 is known
/// unreachable before its next slot.
const RECHECK_AFTER: Duration = Duration::from_millis(400);

/// How long before its slot a long-waiting row looks again at its chat.
const RECHECK_LEAD: Duration = Duration::from_millis(100);

/// A send may leave at most this long after its slot (well under the limiter's margin of
/// 25 ms); a later one is not made, so a stalled process does not burst when it resumes.
const LATE_LIMIT: Duration = Duration::from_millis(10);

/// Room left in a lease after the send's timeout, so its outcome is written before it ends.
const LEASE_SAFETY: Duration = Duration::from_millis(500);

/// Outcomes written in one transaction at most.
const RECORD_BATCH: usize = 512;

/// Tries at writing a batch of outcomes before giving up (the rows then come due again when
/// their leases end, and may be sent twice: logged as an error).
const RECORD_TRIES: u32 = 5;

/// How a worker works; [`WorkerSettings::for_rate`] sizes it for a rate.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Written into the rows it holds; unique per worker.
    pub owner: String,
    /// Rows claimed at once.
    pub batch_size: usize,
    /// Rows between claim and recorded outcome, sends in flight included.
    pub concurrency: usize,
    /// How long a claimed row stays reserved to this worker.
    pub lease: Duration,
    /// Time limit of one sendMessage call (well inside the lease).
    pub send_timeout: Duration,
    /// Attempts that failed on Telegram's side (5xx, network) before the row fails.
    pub max_attempts: u32,
    /// Wait after the first such failure; it doubles up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Between claims when nothing is due.
    pub idle_poll: Duration,
    /// Broadcast rows go with `allow_paid_broadcast` (`PAID_BROADCAST`).
    pub paid_broadcast: bool,
    /// How long rows wait when Telegram refuses the token (401).
    pub unauthorized_wait: Duration,
    /// How long rows wait when the shared rate limiter cannot be reached.
    pub limiter_down_wait: Duration,
}

impl WorkerSettings {
    /// Batches of about a tenth of a second of sending; enough concurrency to keep the rate
    /// with Telegram answering in a few hundred milliseconds.
    pub fn for_rate(per_second: u32) -> WorkerSettings {
        let rate = per_second.max(1) as usize;
        let lease = Duration::from_secs(60);
        WorkerSettings {
            owner: owner_id(),
            batch_size: (rate / 10).clamp(1, 100),
            concurrency: (rate * 2 / 5).clamp(4, 400),
            lease,
            send_timeout: send_timeout_for(lease),
            max_attempts: 5,
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(300),
            idle_poll: Duration::from_millis(200),
            paid_broadcast: false,
            unauthorized_wait: Duration::from_secs(60),
            limiter_down_wait: Duration::from_secs(5),
        }
    }

    pub fn from_config(config: &Config) -> WorkerSettings {
        let mut settings = WorkerSettings::for_rate(config.telegram_rate_per_second);
        settings.lease = config.outbox_lease;
        settings.send_timeout = send_timeout_for(config.outbox_lease);
        settings.max_attempts = config.outbox_max_attempts;
        settings.paid_broadcast = config.paid_broadcast;
        settings
    }

    /// The most rows this worker can hold at once (and so send twice if it is killed).
    pub fn max_held(&self) -> usize {
        self.batch_size + self.concurrency
    }
}

/// A third of the lease, at most 30 s: a send started inside the lease ends inside it.
pub fn send_timeout_for(lease: Duration) -> Duration {
    (lease / 3).clamp(Duration::from_millis(200), Duration::from_secs(30))
}

/// `pid-random`: unique across processes and restarts.
pub fn owner_id() -> String {
    format!("{}-{:08x}", std::process::id(), rand::random::<u32>())
}

/// What one or more batches came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub unreachable: usize,
    pub cancelled: usize,
    /// Given back untried (a chat's rate, a short lease, shutting down).
    pub released: usize,
}

impl DrainReport {
    fn count(&mut self, resolution: &Resolution) {
        crate::metrics::count_delivery(match resolution {
            Resolution::Sent { .. } => "sent",
            Resolution::Retry { .. } => "retry",
            Resolution::Failed { .. } => "failed",
            Resolution::Unreachable { .. } => "unreachable",
            Resolution::Cancelled => "cancelled",
            Resolution::Release { .. } => "released",
        });
        match resolution {
            Resolution::Sent { .. } => self.sent += 1,
            Resolution::Retry { .. } => self.retried += 1,
            Resolution::Failed { .. } => self.failed += 1,
            Resolution::Unreachable { .. } => self.unreachable += 1,
            Resolution::Cancelled => self.cancelled += 1,
            Resolution::Release { .. } => self.released += 1,
        }
    }

    fn add(&mut self, other: DrainReport) {
        self.claimed += other.claimed;
        self.sent += other.sent;
        self.retried += other.retried;
        self.failed += other.failed;
        self.unreachable += other.unreachable;
        self.cancelled += other.cancelled;
        self.released += other.released;
    }
}

/// Rows of these chats and broadcasts are settled without a call.
struct Skip {
    unreachable: HashSet<i64>,
    cancelled: HashSet<i64>,
    /// The broadcasts of the rows checked.
    broadcasts: Vec<i64>,
    checked: Instant,
}

impl Skip {
    async fn check(db: &Db, rows: &[Claimed]) -> Result<Skip, StoreError> {
        let chats: Vec<i64> = rows.iter().map(|r| r.chat_id).collect();
        let mut broadcasts: Vec<i64> = rows.iter().filter_map(|r| r.broadcast_id).collect();
        broadcasts.sort_unstable();
        broadcasts.dedup();
        Ok(Skip {
            unreachable: store::unreachable_among(db, &chats).await?,
            cancelled: broadcasts::cancelled_among(db, &broadcasts).await?,
            broadcasts,
            checked: Instant::now(),
        })
    }
}

/// A row settled, on its way to the recorder with its permit.
struct Done {
    settle: Settle,
    broadcast_id: Option<i64>,
    _permit: OwnedSemaphorePermit,
}

/// The part of Telegram's answer we keep.
#[derive(Deserialize)]
struct SentMessage {
    message_id: i64,
}

struct Inner {
    db: Db,
    api: BotApi,
    limiter: Arc<dyn RateLimiter>,
    settings: WorkerSettings,
    permits: Arc<Semaphore>,
    texts: Mutex<HashMap<i64, Arc<BroadcastTexts>>>,
    started: Mutex<HashSet<i64>>,
}

/// One outbox worker; cheap to clone (clones are the same worker).
#[derive(Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Worker {
    /// A worker sending through the Bot API at `api_url` with `token`.
    pub fn new(
        db: Db,
        api_url: &Url,
        token: &str,
        limiter: Arc<dyn RateLimiter>,
        settings: WorkerSettings,
    ) -> Result<Worker, BuildError> {
        let api = BotApi::new(api_url, token, settings.send_timeout)?;
        let permits = Arc::new(Semaphore::new(settings.concurrency.max(1)));
        Ok(Worker {
            inner: Arc::new(Inner {
                db,
                api,
                limiter,
                settings,
                permits,
                texts: Mutex::new(HashMap::new()),
                started: Mutex::new(HashSet::new()),
            }),
        })
    }

    pub fn owner(&self) -> &str {
        &self.inner.settings.owner
    }

    pub fn settings(&self) -> &WorkerSettings {
        &self.inner.settings
    }

    /// Claims one batch and sees it through: every row sent (or given back, or settled) and
    /// every outcome written before it returns. The deterministic step for tests.
    pub async fn drain_once(&self) -> Result<DrainReport, StoreError> {
        let settings = &self.inner.settings;
        let rows = store::claim(
            &self.inner.db,
            &settings.owner,
            now_ms(),
            millis(settings.lease),
            settings.batch_size as i64,
        )
        .await?;
        let claimed = rows.len();
        let (sender, receiver) = mpsc::channel(RECORD_BATCH * 2);
        let recorder = tokio::spawn(self.clone().record(receiver));
        let mut tasks = JoinSet::new();
        let result = self.dispatch(rows, &sender, &mut tasks, &Stop::new()).await;
        while tasks.join_next().await.is_some() {}
        drop(sender);
        let mut report = recorder.await.unwrap_or_default();
        report.claimed = claimed;
        result.map(|()| report)
    }

    /// Drains until no row is left without an outcome (rows waiting for a later time are
    /// waited for), or until `patience` has passed. For tests and tools.
    pub async fn run_until_idle(&self, patience: Duration) -> Result<DrainReport, StoreError> {
        let deadline = tokio::time::Instant::now() + patience;
        let mut total = DrainReport::default();
        while tokio::time::Instant::now() < deadline {
            let report = self.drain_once().await?;
            total.add(report);
            if report.claimed > 0 {
                continue;
            }
            let Some(next) = store::next_due_ms(&self.inner.db).await? else {
                return Ok(total);
            };
            let wait = (next - now_ms()).clamp(1, 100);
            tokio::time::sleep(Duration::from_millis(wait as u64)).await;
        }
        Ok(total)
    }

    /// Works until `stop`: claims the next batch as soon as the last one is handed out, so
    /// sends keep flowing. On stop, hands out nothing more, waits for the sends in flight,
    /// writes their outcomes and gives back the rows it still holds.
    pub async fn run(self, stop: Stop) {
        let settings = &self.inner.settings;
        tracing::info!(
            owner = %settings.owner,
            batch = settings.batch_size,
            concurrency = settings.concurrency,
            "outbox worker started"
        );
        let (sender, receiver) = mpsc::channel(RECORD_BATCH * 2);
        let recorder = tokio::spawn(self.clone().record(receiver));
        let mut tasks = JoinSet::new();
        while !stop.is_stopped() {
            while tasks.try_join_next().is_some() {}
            let claimed = store::claim(
                &self.inner.db,
                &settings.owner,
                now_ms(),
                millis(settings.lease),
                settings.batch_size as i64,
            )
            .await;
            match claimed {
                Ok(rows) if rows.is_empty() => {
                    tokio::select! {
                        _ = stop.stopped() => {}
                        _ = tokio::time::sleep(settings.idle_poll) => {}
                        _ = super::WAKE.notified() => {}
                    }
                }
                Ok(rows) => {
                    if let Err(error) = self.dispatch(rows, &sender, &mut tasks, &stop).await {
                        tracing::warn!(error = %error, "outbox: a batch could not be prepared");
                        stop.sleep(Duration::from_secs(1)).await;
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, "outbox: claiming failed; trying again");
                    stop.sleep(Duration::from_secs(1)).await;
                }
            }
        }
        while tasks.join_next().await.is_some() {}
        drop(sender);
        let _ = recorder.await;
        match store::release_leases(&self.inner.db, &settings.owner, now_ms()).await {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "outbox: rows given back on shutdown"),
            Err(error) => tracing::warn!(
                error = %error,
                "outbox: could not give back rows on shutdown; they return when their leases end"
            ),
        }
        tracing::info!(owner = %settings.owner, "outbox worker stopped");
    }

    /// Hands out one claimed batch: each row is settled at once, given back, or sent at its
    /// slot by a task of its own.
    async fn dispatch(
        &self,
        rows: Vec<Claimed>,
        done: &mpsc::Sender<Done>,
        tasks: &mut JoinSet<()>,
        stop: &Stop,
    ) -> Result<(), StoreError> {
        let inner = &self.inner;
        let mut rows: VecDeque<Claimed> = rows.into();
        let mut skip = match Skip::check(&inner.db, rows.make_contiguous()).await {
            Ok(skip) => skip,
            Err(error) => {
                self.give_back(rows.into(), done, now_ms()).await;
                return Err(error);
            }
        };
        self.mark_started(&skip.broadcasts).await;

        while let Some(row) = rows.pop_front() {
            let Ok(permit) = inner.permits.clone().acquire_owned().await else {
                break;
            };
            if stop.is_stopped() {
                let now = now_ms();
                finish(
                    done,
                    &row,
                    Resolution::Release {
                        next_attempt_ms: now,
                    },
                    permit,
                )
                .await;
                self.give_back(rows.into(), done, now).await;
                break;
            }
            if skip.checked.elapsed() > RECHECK_AFTER {
                // A slow batch (waiting out a pause): look again before sending more of it.
                let mut remaining = vec![row.clone()];
                remaining.extend(rows.iter().cloned());
                match Skip::check(&inner.db, &remaining).await {
                    Ok(fresh) => skip = fresh,
                    Err(error) => {
                        finish(
                            done,
                            &row,
                            Resolution::Release {
                                next_attempt_ms: now_ms(),
                            },
                            permit,
                        )
                        .await;
                        self.give_back(rows.into(), done, now_ms()).await;
                        return Err(error);
                    }
                }
            }
            let cancelled = &skip.cancelled;
            let unreachable = &skip.unreachable;
            let resolution = if row.broadcast_id.is_some_and(|id| cancelled.contains(&id)) {
                Some(Resolution::Cancelled)
            } else if unreachable.contains(&row.chat_id) {
                Some(Resolution::Unreachable {
                    error: "not sent: the chat is marked unreachable".into(),
                })
            } else {
                None
            };
            if let Some(resolution) = resolution {
                finish(done, &row, resolution, permit).await;
                continue;
            }
            let message = match self.message_of(&row).await {
                Ok(message) => message,
                Err(error) => {
                    tracing::warn!(
                        outbox_id = row.id,
                        chat_id = row.chat_id,
                        error = %error,
                        "outbox: message failed: its content cannot be read"
                    );
                    let resolution = Resolution::Failed { error };
                    finish(done, &row, resolution, permit).await;
                    continue;
                }
            };
            match self.take_slot(&row, stop).await {
                Ok(wait) => {
                    let slot = tokio::time::Instant::now() + wait;
                    let worker = self.clone();
                    let done = done.clone();
                    tasks.spawn(async move {
                        let resolution = worker.send_at(slot, wait, &row, &message).await;
                        finish(&done, &row, resolution, permit).await;
                    });
                }
                Err(resolution) => finish(done, &row, resolution, permit).await,
            }
        }
        Ok(())
    }

    /// Waits in line for a send slot for `row`; `Err` with the resolution when the row should
    /// go back to the queue instead.
    async fn take_slot(&self, row: &Claimed, stop: &Stop) -> Result<Duration, Resolution> {
        let inner = &self.inner;
        let lane = lane_of(row.kind);
        // The send must start early enough to end, and be recorded, inside the lease.
        let latest_start = row.lease_until_ms - millis(inner.settings.send_timeout + LEASE_SAFETY);
        loop {
            let now = now_ms();
            let release = |wait: Duration| Resolution::Release {
                next_attempt_ms: now + millis(wait),
            };
            match inner.limiter.reserve(lane, row.chat_id).await {
                Ok(Decision::Go(wait)) if now + millis(wait) <= latest_start => return Ok(wait),
                Ok(Decision::Go(wait)) | Ok(Decision::ChatBusy(wait)) => return Err(release(wait)),
                Ok(Decision::Later(wait))
                    if wait <= MAX_INLINE_WAIT && now + millis(wait) <= latest_start =>
                {
                    if !stop.sleep(wait).await {
                        return Err(release(Duration::ZERO));
                    }
                }
                Ok(Decision::Later(wait)) => return Err(release(wait)),
                Err(error) => {
                    tracing::warn!(error = %error, "outbox: rate limiter unavailable; not sending");
                    return Err(release(inner.settings.limiter_down_wait));
                }
            }
        }
    }

    /// Sends `row` at its slot, `wait` after it was reserved.
    async fn send_at(
        &self,
        slot: tokio::time::Instant,
        wait: Duration,
        row: &Claimed,
        message: &RenderedMessage,
    ) -> Resolution {
        // After a long wait, look again whether the chat is reachable (another worker may
        // have had a 403 from it meanwhile), a little before the slot. Short waits are covered
        // by the batch's check: a chat's slots are more than a second apart.
        if wait > RECHECK_AFTER {
            tokio::time::sleep_until(slot - RECHECK_LEAD).await;
            if let Ok(unreachable) = store::unreachable_among(&self.inner.db, &[row.chat_id]).await
                && !unreachable.is_empty()
            {
                return Resolution::Unreachable {
                    error: "not sent: the chat is marked unreachable".into(),
                };
            }
        }
        tokio::time::sleep_until(slot).await;
        if slot.elapsed() > LATE_LIMIT {
            // The process stalled past the slot; sending now could bunch up with the slots
            // that follow. The row goes back instead.
            tracing::debug!(outbox_id = row.id, "outbox: slot missed; the row goes back");
            return Resolution::Release {
                next_attempt_ms: now_ms(),
            };
        }
        self.deliver(row, message).await
    }

    /// The message a row sends: its own, or its broadcast's in its language.
    async fn message_of(&self, row: &Claimed) -> Result<RenderedMessage, String> {
        match Content::from_json(&row.payload).map_err(|e| e.to_string())? {
            Content::Message(message) => Ok(message),
            Content::BroadcastText { lang } => {
                let id = row
                    .broadcast_id
                    .ok_or_else(|| "a broadcast text without a broadcast".to_owned())?;
                let texts = self.texts_of(id).await?;
                texts
                    .for_lang(lang)
                    .cloned()
                    .ok_or_else(|| "the broadcast has no text for this chat".to_owned())
            }
        }
    }

    async fn texts_of(&self, broadcast_id: i64) -> Result<Arc<BroadcastTexts>, String> {
        if let Some(texts) = lock(&self.inner.texts).get(&broadcast_id) {
            return Ok(texts.clone());
        }
        let texts = broadcasts::broadcast_texts(&self.inner.db, broadcast_id)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "the broadcast is missing".to_owned())?;
        let texts = Arc::new(texts);
        lock(&self.inner.texts).insert(broadcast_id, texts.clone());
        Ok(texts)
    }

    /// Marks broadcasts running the first time this worker sees them.
    async fn mark_started(&self, ids: &[i64]) {
        let new: Vec<i64> = {
            let mut started = lock(&self.inner.started);
            ids.iter()
                .copied()
                .filter(|id| started.insert(*id))
                .collect()
        };
        if let Err(error) = broadcasts::mark_running(&self.inner.db, &new, now_ms()).await {
            tracing::warn!(error = %error, "outbox: could not mark a broadcast running");
        }
    }

    async fn give_back(&self, rows: Vec<Claimed>, done: &mpsc::Sender<Done>, at_ms: i64) {
        for row in rows {
            if let Ok(permit) = self.inner.permits.clone().acquire_owned().await {
                let resolution = Resolution::Release {
                    next_attempt_ms: at_ms,
                };
                finish(done, &row, resolution, permit).await;
            }
        }
    }

    /// One sendMessage call and what its answer means for the row.
    async fn deliver(&self, row: &Claimed, message: &RenderedMessage) -> Resolution {
        let settings = &self.inner.settings;
        let paid = settings.paid_broadcast && row.kind.is_bulk();
        let request = message.request(row.chat_id, paid);
        let result = self
            .inner
            .api
            .call_as::<_, SentMessage>(&request, Duration::ZERO)
            .await;
        let now = now_ms();
        let error = match result {
            Ok(sent) => {
                return Resolution::Sent {
                    telegram_message_id: Some(sent.message_id),
                };
            }
            // The message went out; only its echo did not parse.
            Err(CallError::UnexpectedResult) => {
                return Resolution::Sent {
                    telegram_message_id: None,
                };
            }
            Err(error) => error,
        };
        match error {
            CallError::RetryAfter(wait) => {
                tracing::info!(
                    wait_ms = millis(wait),
                    "outbox: Telegram asked to wait (429); every worker pauses"
                );
                if let Err(error) = self.inner.limiter.pause(wait).await {
                    tracing::warn!(error = %error, "outbox: could not share the pause");
                }
                Resolution::Retry {
                    next_attempt_ms: now + millis(wait),
                    error: error.to_string(),
                    count_attempt: false,
                }
            }
            CallError::Forbidden(_) => {
                tracing::info!(
                    chat_id = row.chat_id,
                    "chat unreachable: Telegram answered 403"
                );
                Resolution::Unreachable {
                    error: error.to_string(),
                }
            }
            CallError::Unauthorized => {
                tracing::error!("outbox: Telegram refused the bot token; rows wait");
                Resolution::Retry {
                    next_attempt_ms: now + millis(settings.unauthorized_wait),
                    error: error.to_string(),
                    count_attempt: false,
                }
            }
            error if error.is_transient() => {
                let attempts = row.attempts + 1;
                if attempts >= i64::from(settings.max_attempts) {
                    tracing::warn!(
                        outbox_id = row.id,
                        chat_id = row.chat_id,
                        kind = row.kind.as_str(),
                        attempts,
                        error = %error,
                        "outbox: message failed after its last attempt"
                    );
                    Resolution::Failed {
                        error: error.to_string(),
                    }
                } else {
                    Resolution::Retry {
                        next_attempt_ms: now + millis(backoff(settings, attempts)),
                        error: error.to_string(),
                        count_attempt: true,
                    }
                }
            }
            error => {
                tracing::warn!(
                    outbox_id = row.id,
                    chat_id = row.chat_id,
                    kind = row.kind.as_str(),
                    error = %error,
                    "outbox: message failed: Telegram refused it"
                );
                Resolution::Failed {
                    error: error.to_string(),
                }
            }
        }
    }

    /// Writes outcomes as they come, many per transaction; returns what it wrote.
    async fn record(self, mut receiver: mpsc::Receiver<Done>) -> DrainReport {
        let mut report = DrainReport::default();
        while let Some(first) = receiver.recv().await {
            let mut batch = vec![first];
            while batch.len() < RECORD_BATCH {
                match receiver.try_recv() {
                    Ok(done) => batch.push(done),
                    Err(_) => break,
                }
            }
            self.write(&batch).await;
            for done in &batch {
                report.count(&done.settle.resolution);
            }
            let mut finished: Vec<i64> = batch
                .iter()
                .filter(|d| d.settle.resolution.is_final())
                .filter_map(|d| d.broadcast_id)
                .collect();
            finished.sort_unstable();
            finished.dedup();
            if let Err(error) =
                broadcasts::finish_drained(&self.inner.db, &finished, now_ms()).await
            {
                tracing::warn!(error = %error, "outbox: could not mark a broadcast done");
            }
            // The permits go with `batch`: the rows are settled in the database now.
        }
        report
    }

    async fn write(&self, batch: &[Done]) {
        let settles: Vec<Settle> = batch.iter().map(|d| d.settle.clone()).collect();
        let owner = &self.inner.settings.owner;
        for attempt in 1..=RECORD_TRIES {
            match store::resolve_many(&self.inner.db, owner, now_ms(), &settles).await {
                Ok(changed) => {
                    if changed < settles.len() {
                        tracing::warn!(
                            rows = settles.len() - changed,
                            "outbox: rows were settled by another worker (a lease ran out)"
                        );
                    }
                    return;
                }
                Err(error) if attempt < RECORD_TRIES => {
                    tracing::warn!(error = %error, attempt, "outbox: writing outcomes failed; trying again");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                }
                Err(error) => {
                    tracing::error!(
                        error = %error,
                        rows = settles.len(),
                        "outbox: outcomes not written; these rows will be tried again when their leases end"
                    );
                }
            }
        }
    }
}

async fn finish(
    done: &mpsc::Sender<Done>,
    row: &Claimed,
    resolution: Resolution,
    permit: OwnedSemaphorePermit,
) {
    let settled = Done {
        settle: Settle {
            id: row.id,
            chat_id: row.chat_id,
            resolution,
        },
        broadcast_id: row.broadcast_id,
        _permit: permit,
    };
    // The recorder ends only after every sender is gone.
    let _ = done.send(settled).await;
}

/// Broadcasts draw on the bulk share of the rate; everything else is served first.
pub fn lane_of(kind: OutboxKind) -> Lane {
    if kind.is_bulk() {
        Lane::Bulk
    } else {
        Lane::Priority
    }
}

/// The wait before attempt `attempts + 1`: doubling from the base, capped.
fn backoff(settings: &WorkerSettings, attempts: i64) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    settings
        .backoff_base
        .saturating_mul(1 << doublings)
        .min(settings.backoff_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_scale_with_the_rate() {
        let slow = WorkerSettings::for_rate(30);
        assert_eq!((slow.batch_size, slow.concurrency), (3, 12));
        let fast = WorkerSettings::for_rate(1000);
        assert_eq!((fast.batch_size, fast.concurrency), (100, 400));
        assert_eq!(fast.max_held(), 500);
        assert!(fast.send_timeout < fast.lease);
        assert_ne!(slow.owner, fast.owner);
    }

    #[test]
    fn backoff_doubles_to_its_cap() {
        let mut settings = WorkerSettings::for_rate(30);
        settings.backoff_base = Duration::from_secs(2);
        settings.backoff_max = Duration::from_secs(10);
        let waits: Vec<u64> = (1..=5).map(|a| backoff(&settings, a).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 10, 10]);
    }

    #[test]
    fn send_timeouts_stay_inside_the_lease() {
        assert_eq!(
            send_timeout_for(Duration::from_secs(3)),
            Duration::from_secs(1)
        );
        assert_eq!(
            send_timeout_for(Duration::from_secs(600)),
            Duration::from_secs(30)
        );
    }
}
