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

    pub fn with_label(label: Msg, action: Action) -> Button {
        Button { label, action }
    }
}

/// A keyboard under the text field (Telegram's reply keyboard), as opposed to buttons
/// attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKeyboard {
    /// One button that shares the user's own phone number (`request_contact`).
    ShareContact(Msg),
    /// Take the field keyboard away.
    Remove,
}

/// A file sent with a message (a PDF statement or certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A place on the map (Telegram's venue), sent before the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    /// Degrees × 1 000 000.
    pub latitude_e6: i64,
    pub longitude_e6: i64,
    pub title: String,
    pub address: String,
}

/// One message to the user: paragraphs (each a message key) and rows of buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub parts: Vec<Msg>,
    pub buttons: Vec<Vec<Button>>,
    pub field_keyboard: Option<FieldKeyboard>,
    /// Carries personal data or balances: not to be forwarded or saved from the chat.
    pub protected: bool,
    /// A file sent before the text.
    pub attachment: Option<Attachment>,
    /// A place on the map sent before the text.
    pub venue: Option<Venue>,
}

impl Reply {
    pub fn new(msg: Msg) -> Reply {
        Reply {
            parts: vec![msg],
            buttons: Vec::new(),
            field_keyboard: None,
            protected: false,
            attachment: None,
            venue: None,
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

    /// Adds a paragraph after the existing ones.
    pub fn append(mut self, msg: Msg) -> Reply {
        self.parts.push(msg);
        self
    }

    pub fn row(mut self, row: Vec<Button>) -> Reply {
        self.buttons.push(row);
        self
    }

    pub fn field_keyboard(mut self, keyboard: FieldKeyboard) -> Reply {
        self.field_keyboard = Some(keyboard);
        self
    }

    /// Sends a file with this message; files carry personal data, so they are protected.
    pub fn attach(mut self, file_name: String, bytes: Vec<u8>) -> Reply {
        self.attachment = Some(Attachment { file_name, bytes });
        self.protected = true;
        self
    }

    pub fn venue(mut self, venue: Venue) -> Reply {
        self.venue = Some(venue);
        self
    }

    pub fn protected(mut self) -> Reply {
        self.protected = true;
        self
    }

    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.buttons.iter().flatten().map(|b| &b.action)
    }
}
