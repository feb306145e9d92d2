//! The terminal demo's "gateway" (`zeinet chat`): codes that would go by SMS or e-mail are
//! queued here and the terminal prints them between the bot's replies. Nothing is written to
//! stdout from here, so the dialogue's output stays in the order the terminal chooses.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use super::{CodeSender, DeliveryError, Destination, OutboundMessage};

/// Messages beyond this many undrained ones push out the oldest: a demo that never drains
/// should not grow without end.
const CAPACITY: usize = 64;

/// A shared queue of (masked destination, message). Clones share the queue: give one to
/// [`super::Delivery::console`] and keep one to drain.
#[derive(Debug, Clone, Default)]
pub struct ConsoleSink {
    queue: Arc<Mutex<VecDeque<(String, OutboundMessage)>>>,
}

impl ConsoleSink {
    pub fn new() -> ConsoleSink {
        ConsoleSink::default()
    }

    /// Everything queued since the last drain, oldest first.
    pub fn drain(&self) -> Vec<(String, OutboundMessage)> {
        self.lock().drain(..).collect()
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<(String, OutboundMessage)>> {
        // A panic elsewhere while holding the lock leaves a queue that is still valid.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl CodeSender for ConsoleSink {
    async fn send(&self, to: &Destination, message: &OutboundMessage) -> Result<(), DeliveryError> {
        let mut queue = self.lock();
        if queue.len() >= CAPACITY {
            queue.pop_front();
        }
        queue.push_back((to.masked(), message.clone()));
        Ok(())
    }
}
