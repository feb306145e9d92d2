//! The Telegram transport: updates in (long polling or webhook), replies out.
//!
//! An update is converted ([`convert`]), queued behind the earlier updates of its chat
//! ([`dispatch`]), checked against the set of update ids already handled, run through
//! [`crate::conversation::Conversation`] and answered ([`send`]). Start-up (getMe, commands,
//! webhook registration) lives in [`startup`]; the loops in [`polling`] and [`webhook`].
//! teloxide supplies the Bot API's types and payloads; its dispatcher (orders per chat only
//! within one process, panics when the first getMe fails), its webhook listener (answers
//! before handling, compares the secret in non-constant time) and its HTTP client (see
//! [`api`]) are not used.

pub mod api;
pub mod convert;
pub mod dispatch;
mod handle;
pub mod polling;
pub mod retry;
pub mod send;
pub mod startup;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::app::App;

use self::api::BotApi;
use self::dispatch::Dispatcher;

/// Timings and limits of the transport. The defaults are for production; tests shorten them.
#[derive(Debug, Clone)]
pub struct Tuning {
    /// How long one getUpdates call may wait for updates.
    pub poll_timeout: Duration,
    /// First wait after a failed call; it doubles up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Attempts of one outgoing call when Telegram fails on its side (5xx, network).
    pub send_attempts: u32,
    /// The longest `retry_after` a reply waits for; a longer one gives the reply up.
    pub max_retry_after: Duration,
    /// Updates handled at the same time, across all chats.
    pub max_concurrent: usize,
    /// Time limit of one Bot API call (getUpdates adds `poll_timeout`).
    pub request_timeout: Duration,
    /// How long shutdown waits for updates in flight.
    pub shutdown_grace: Duration,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            poll_timeout: Duration::from_secs(30),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            send_attempts: 4,
            max_retry_after: Duration::from_secs(60),
            max_concurrent: 32,
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// What became of one update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered (or Telegram refused the answer, which a redelivery would not change).
    Handled,
    /// Its `update_id` was handled (or is being handled) already.
    Duplicate,
    /// Nothing for us in it (an edited message, a channel post, no chat or no user...).
    Ignored,
    /// Our side failed (database or ephemeral store down); a redelivery should be processed.
    Failed,
}

/// How a button press's callback query is answered (it stops the button's spinner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackAnswer {
    /// With an answerCallbackQuery call (long polling).
    Call,
    /// In the webhook's HTTP answer, which Telegram executes as a call: one request fewer
    /// per press. Only when the update was handled: a 500 answer's body is ignored, so then
    /// the call is made.
    InResponse,
}

/// A handled update and, with [`CallbackAnswer::InResponse`], the callback query still to be
/// answered in the webhook's HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub outcome: Outcome,
    pub unanswered: Option<teloxide::types::CallbackQueryId>,
}

/// A shutdown flag many tasks can wait on.
#[derive(Debug, Clone)]
pub struct Stop {
    sender: Arc<watch::Sender<bool>>,
    receiver: watch::Receiver<bool>,
}

impl Default for Stop {
    fn default() -> Stop {
        Stop::new()
    }
}

impl Stop {
    pub fn new() -> Stop {
        let (sender, receiver) = watch::channel(false);
        Stop {
            sender: Arc::new(sender),
            receiver,
        }
    }

    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_stopped(&self) -> bool {
        *self.receiver.borrow()
    }

    /// Resolves once [`Stop::trigger`] was called (at once if it already was).
    pub async fn stopped(&self) {
        let mut receiver = self.receiver.clone();
        // An error means every sender is gone, which cannot happen while `self` holds one.
        let _ = receiver.wait_for(|stopped| *stopped).await;
    }

    /// Sleeps for `wait`; `false` when woken by the stop instead.
    pub async fn sleep(&self, wait: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(wait) => true,
            _ = self.stopped() => false,
        }
    }
}

/// The transport's parts, shared by the polling loop and the webhook route.
pub struct Telegram {
    app: Arc<App>,
    api: Arc<BotApi>,
    tuning: Tuning,
    dispatcher: Dispatcher,
}

impl Telegram {
    /// Builds the client and the dispatcher; fails without a token or with a URL that
    /// cannot carry one.
    pub fn new(app: Arc<App>, tuning: Tuning) -> anyhow::Result<Arc<Telegram>> {
        let token = app
            .config
            .telegram_token
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("TELEGRAM_BOT_TOKEN is not set"))?;
        let api = Arc::new(BotApi::new(
            &app.config.telegram_api_url,
            token,
            tuning.request_timeout,
        )?);
        let dispatcher = Dispatcher::new(app.clone(), api.clone(), tuning.clone());
        Ok(Arc::new(Telegram {
            app,
            api,
            tuning,
            dispatcher,
        }))
    }

    pub fn app(&self) -> &Arc<App> {
        &self.app
    }

    pub fn api(&self) -> &BotApi {
        &self.api
    }

    pub fn tuning(&self) -> &Tuning {
        &self.tuning
    }

    pub fn dispatcher(&self) -> &Dispatcher {
        &self.dispatcher
    }

    /// Whether updates come by webhook (`PUBLIC_URL` set) rather than long polling.
    pub fn webhook_mode(&self) -> bool {
        self.app.config.public_url.is_some()
    }

    /// Start-up, then long polling until `stop` (polling mode) or just waiting for `stop`
    /// while the webhook route does the work. Errors only when Telegram refuses our
    /// configuration (the token, the webhook URL).
    pub async fn run(self: Arc<Self>, stop: Stop) -> anyhow::Result<()> {
        if !startup::prepare(&self, &stop).await? {
            return Ok(());
        }
        if self.webhook_mode() {
            stop.stopped().await;
        } else {
            polling::run(&self, &stop).await;
        }
        Ok(())
    }
}
