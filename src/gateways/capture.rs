//! A sender for tests: it records every message it accepts and can be told to fail the next
//! sends, to exercise what the callers do when a gateway is down or refuses.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use async_trait::async_trait;

use super::{CodeSender, DeliveryError, Destination, OutboundMessage};

/// Clones share the record: give one to the code under test and keep one to look at.
#[derive(Debug, Clone, Default)]
pub struct CaptureSender {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    sent: Vec<(Destination, OutboundMessage)>,
    failures: VecDeque<DeliveryError>,
    attempts: usize,
}

impl CaptureSender {
    pub fn new() -> CaptureSender {
        CaptureSender::default()
    }

    /// The next `count` sends fail with `error` (after any failures already planned) and
    /// record nothing.
    pub fn fail_next(&self, count: usize, error: DeliveryError) {
        let mut state = self.lock();
        state.failures.extend(std::iter::repeat_n(error, count));
    }

    /// Every accepted message, oldest first.
    pub fn sent(&self) -> Vec<(Destination, OutboundMessage)> {
        self.lock().sent.clone()
    }

    /// The last message accepted for `to`.
    pub fn last_to(&self, to: &Destination) -> Option<OutboundMessage> {
        self.lock()
            .sent
            .iter()
            .rev()
            .find(|(dest, _)| dest == to)
            .map(|(_, message)| message.clone())
    }

    /// How many sends were asked for, failed ones included.
    pub fn attempts(&self) -> usize {
        self.lock().attempts
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock leaves a record that is still valid.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[async_trait]
impl CodeSender for CaptureSender {
    async fn send(&self, to: &Destination, message: &OutboundMessage) -> Result<(), DeliveryError> {
        let mut state = self.lock();
        state.attempts += 1;
        if let Some(error) = state.failures.pop_front() {
            return Err(error);
        }
        state.sent.push((to.clone(), message.clone()));
        Ok(())
    }
}
