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

/// A button that opens a web page (Telegram's URL button), alone in its row. It does nothing
/// in the conversation, so it has no action; the URL may hold a secret (a signing token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    pub label: Msg,
    pub url: String,
    /// How many rows of action buttons come before it (its place among them).
    pub before_row: usize,
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
    /// Rows with one link button each, placed among `buttons` in the order they were added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkButton>,
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
            links: Vec::new(),
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

    /// Adds a row with one button that opens `url` in the browser (after the rows so far).
    pub fn link(mut self, label: Msg, url: String) -> Reply {
        self.links.push(LinkButton {
            label,
            url,
            before_row: self.buttons.len(),
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_place_among_the_rows_and_have_no_action() {
        let reply = Reply::key("x")
            .link(Msg::new("first"), "https://a.kz/1".into())
            .row(vec![Button::new("b", Action::Back)])
            .link(Msg::new("second"), "https://a.kz/2".into());
        let places: Vec<usize> = reply.links.iter().map(|l| l.before_row).collect();
        assert_eq!(places, [0, 1]);
        assert_eq!(reply.actions().count(), 1);
    }
}
