//! Where a chat is in the conversation. Serialised into the session store, so a change
//! here must keep old values readable or accept that they reset (the runner handles that).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    /// Choosing the language; `first_time` leads to the welcome text afterwards.
    ChooseLanguage { first_time: bool },
    /// The main menu.
    Menu,
    /// The help page.
    Help,
}

impl State {
    /// Whether the chat is at rest: nothing half-done that idle expiry would interrupt.
    pub fn is_at_rest(&self) -> bool {
        matches!(self, State::Menu)
    }
}
