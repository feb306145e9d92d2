//! What the engine answers: text made of message keys, with optional buttons.

use serde::{Deserialize, Serialize};

use super::Action;
use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: Msg,
    pub action: Action,
}

impl Button {
    pub fn new(label_key: &str, action: Action) -> Button {
        Button {
            label: Msg::new(label_key),
            action,
        }
    }
}

/// One message to the user: paragraphs (each a message key) and rows of buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub parts: Vec<Msg>,
    pub buttons: Vec<Vec<Button>>,
}

impl Reply {
    pub fn new(msg: Msg) -> Reply {
        Reply {
            parts: vec![msg],
            buttons: Vec::new(),
        }
    }

    pub fn key(key: &str) -> Reply {
        Reply::new(Msg::new(key))
    }

    /// Puts a paragraph before the existing ones (a hint or a notice above a prompt).
    pub fn prepend(mut self, msg: Msg) -> Reply {
        self.parts.insert(0, msg);
        self
    }

    pub fn row(mut self, row: Vec<Button>) -> Reply {
        self.buttons.push(row);
        self
    }

    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.buttons.iter().flatten().map(|b| &b.action)
    }
}
