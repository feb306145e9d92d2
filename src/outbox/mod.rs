//! Delivery of queued messages: notifications, reminders, documents ready, broadcasts.
//!
//! Producers write rows with [`crate::store::outbox::enqueue_in`] inside the transaction of the
//! change that causes them (and may call [`wake`] after committing); broadcasts are made with
//! [`crate::store::outbox::create_broadcast`]. Workers ([`worker::Worker`]), started by `serve`
//! through [`start`], claim due rows, take send slots from a [`limiter::RateLimiter`] shared
//! by every worker (Redis when `REDIS_URL` is set, in-process otherwise), send through the
//! Bot API and record outcomes. Interactive replies to a user's message do not come here: the
//! transport sends them at once.

pub mod limiter;
pub mod payload;
pub mod quiet;
pub mod redis_limiter;
pub mod worker;

use std::sync::Arc;

use anyhow::Context;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use self::limiter::{InProcessLimiter, Limits, RateLimiter};
use self::redis_limiter::RedisLimiter;
use self::worker::{Worker, WorkerSettings};
use crate::app::App;
use crate::channels::telegram::Stop;
use crate::config::Config;

/// Wakes this process's idle workers at once (they poll anyway).
static WAKE: Notify = Notify::const_new();

/// Tells idle workers of this process that rows were just committed, so an interactive
/// notice does not wait for the next poll.
pub fn wake() {
    WAKE.notify_waiters();
}

/// The limiter the settings ask for: shared through Redis, or this process's own.
pub async fn limiter_for(config: &Config) -> anyhow::Result<Arc<dyn RateLimiter>> {
    let limits = Limits::new(config.telegram_rate_per_second);
    Ok(match &config.redis_url {
        Some(url) => Arc::new(
            RedisLimiter::connect(url, RedisLimiter::DEFAULT_PREFIX, limits)
                .await
                .context("cannot connect the outbox rate limiter to Redis (REDIS_URL)")?,
        ),
        None => Arc::new(InProcessLimiter::new(limits)),
    })
}

/// Starts `OUTBOX_WORKERS` workers sharing one limiter. The task ends once every worker has
/// stopped (after `stop`) and given back its rows.
pub async fn start(app: &Arc<App>, stop: Stop) -> anyhow::Result<JoinHandle<anyhow::Result<()>>> {
    let config = &app.config;
    if config.outbox_workers == 0 {
        tracing::info!("outbox workers off (OUTBOX_WORKERS=0)");
        return Ok(tokio::spawn(async { Ok(()) }));
    }
    let token = config
        .telegram_token
        .as_deref()
        .context("TELEGRAM_BOT_TOKEN is not set")?;
    let limiter = limiter_for(config).await?;
    if config.redis_url.is_none() {
        tracing::info!(
            "outbox rate limits are kept in this process: run one serve process, or set REDIS_URL"
        );
    }
    let mut workers = Vec::new();
    for _ in 0..config.outbox_workers {
        let worker = Worker::new(
            app.db.clone(),
            &config.telegram_api_url,
            token,
            limiter.clone(),
            WorkerSettings::from_config(config),
        )?;
        workers.push(tokio::spawn(worker.run(stop.clone())));
    }
    Ok(tokio::spawn(async move {
        for worker in workers {
            worker.await.context("an outbox worker failed")?;
        }
        Ok(())
    }))
}
