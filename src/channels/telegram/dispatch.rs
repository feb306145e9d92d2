//! Ordering: the updates of one chat are handled one after another in the order they were
//! handed over; different chats run in parallel, at most `Tuning::max_concurrent` at once.
//!
//! Each chat with work has a queue and one worker task draining it; the worker ends when its
//! queue is empty. An update is queued synchronously in [`Dispatcher::dispatch`], so the
//! order of calls is the order of handling, whatever the order the returned futures are
//! polled in.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};

use futures::FutureExt;
use futures::future::BoxFuture;
use teloxide::types::Update;
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::api::BotApi;
use super::convert::{Converted, Event, convert};
use super::handle::Handler;
use super::send::Replier;
use super::{CallbackAnswer, Handled, Outcome, Tuning};
use crate::app::App;

struct Job {
    update_id: u32,
    event: Event,
    answer: CallbackAnswer,
    done: oneshot::Sender<Handled>,
}

struct Inner {
    handler: Handler,
    queues: Mutex<HashMap<i64, mpsc::UnboundedSender<Job>>>,
    permits: Semaphore,
}

#[derive(Clone)]
pub struct Dispatcher {
    inner: Arc<Inner>,
}

impl Dispatcher {
    pub fn new(app: Arc<App>, api: Arc<BotApi>, tuning: Tuning) -> Dispatcher {
        let permits = Semaphore::new(tuning.max_concurrent.max(1));
        let replier = Replier::new(api, app.db.clone(), tuning);
        Dispatcher {
            inner: Arc::new(Inner {
                handler: Handler::new(app, replier),
                queues: Mutex::new(HashMap::new()),
                permits,
            }),
        }
    }

    /// Queues the update behind the earlier ones of its chat (now, before returning) and
    /// gives a future that resolves once it has been handled (long polling: a button's
    /// callback query is answered with a call).
    pub fn dispatch(&self, update: Update) -> BoxFuture<'static, Outcome> {
        let handled = self.dispatch_answering(update, CallbackAnswer::Call);
        Box::pin(async move { handled.await.outcome })
    }

    /// The same, with the callback query's answer left to the caller when `answer` is
    /// [`CallbackAnswer::InResponse`] (the webhook puts it in its HTTP answer).
    pub fn dispatch_answering(
        &self,
        update: Update,
        answer: CallbackAnswer,
    ) -> BoxFuture<'static, Handled> {
        let update_id = update.id.0;
        match convert(&update) {
            Converted::Event(event) => {
                let (done, handled) = oneshot::channel();
                self.enqueue(Job {
                    update_id,
                    event,
                    answer,
                    done,
                });
                // A worker that vanished without answering counts as our failure.
                Box::pin(async move {
                    handled.await.unwrap_or(Handled {
                        outcome: Outcome::Failed,
                        unanswered: None,
                    })
                })
            }
            Converted::Ignored {
                reason,
                callback_id,
            } => {
                tracing::debug!(update_id, reason, "update ignored");
                let inner = self.inner.clone();
                Box::pin(async move {
                    let unanswered = match (callback_id, answer) {
                        (Some(id), CallbackAnswer::InResponse) => Some(id),
                        (Some(id), CallbackAnswer::Call) => {
                            inner.handler.replier().answer_callback(&id).await;
                            None
                        }
                        (None, _) => None,
                    };
                    Handled {
                        outcome: Outcome::Ignored,
                        unanswered,
                    }
                })
            }
        }
    }

    fn enqueue(&self, job: Job) {
        let chat_id = job.event.chat.chat_id;
        let mut queues = self
            .inner
            .queues
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // A worker only drops its receiver after removing its entry under this lock, so a
        // sender found here always reaches a live worker.
        let job = match queues.get(&chat_id) {
            Some(sender) => match sender.send(job) {
                Ok(()) => return,
                Err(mpsc::error::SendError(job)) => job,
            },
            None => job,
        };
        let (sender, receiver) = mpsc::unbounded_channel();
        // Cannot fail: the receiver is right here.
        let _ = sender.send(job);
        queues.insert(chat_id, sender);
        tokio::spawn(drain(self.inner.clone(), chat_id, receiver));
    }
}

/// Handles a chat's queued updates in order, then removes the queue and ends.
async fn drain(inner: Arc<Inner>, chat_id: i64, mut receiver: mpsc::UnboundedReceiver<Job>) {
    loop {
        let job = match receiver.try_recv() {
            Ok(job) => job,
            Err(_) => {
                let mut queues = inner.queues.lock().unwrap_or_else(PoisonError::into_inner);
                match receiver.try_recv() {
                    Ok(job) => job,
                    Err(_) => {
                        queues.remove(&chat_id);
                        return;
                    }
                }
            }
        };
        let permit = inner.permits.acquire().await;
        // One span per update: every log line of its handling carries the chat and update ids
        // (never the user's text or personal data).
        let span = tracing::info_span!("update", update_id = job.update_id, chat_id);
        let handled = AssertUnwindSafe(tracing::Instrument::instrument(
            inner.handler.process(job.update_id, job.event, job.answer),
            span,
        ))
        .catch_unwind()
        .await;
        drop(permit);
        let handled = handled.unwrap_or_else(|_| {
            tracing::error!(
                update_id = job.update_id,
                chat_id,
                "update handler panicked"
            );
            Handled {
                outcome: Outcome::Failed,
                unanswered: None,
            }
        });
        // The caller may have stopped waiting (shutdown); the work is done either way.
        let _ = job.done.send(handled);
    }
}
