//! Replies out: [`Outgoing`] messages as sendMessage calls with inline keyboards, long texts
//! split to Telegram's limit, Telegram's errors handled (429 waits, 5xx retries, 403 marks
//! the chat unreachable). Never logs a text.

use std::sync::Arc;

use teloxide::payloads::{AnswerCallbackQuery, DeleteMessage, SendMessage, SendVenue};
use teloxide::types::{
    ButtonRequest, CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup,
    KeyboardButton, KeyboardMarkup, KeyboardRemove, MessageId, ReplyMarkup,
};

use serde::de::IgnoredAny;

use super::Tuning;
use super::api::{BotApi, CallError, Upload};
use super::retry::{call_with_retries, with_retries};
use crate::conversation::{OutButton, OutField, OutMessage, Outgoing};
use crate::store::{self, Db, StoreError};

/// Telegram's limit for one message's text. Counted in UTF-16 code units, as Telegram does;
/// that is never fewer than the characters, so a part within it is within 4 096 characters.
pub const TEXT_LIMIT: usize = 4096;

/// Telegram's limit for a button's callback data, in bytes.
pub const CALLBACK_DATA_LIMIT: usize = 64;

/// What became of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// Telegram answered 403: the chat is marked unreachable, the rest is not sent.
    Unreachable,
    /// Given up after retries or refused; logged, the rest is not sent.
    Failed,
}

/// Splits `text` into parts of at most `limit` UTF-16 code units, preferring line ends;
/// a single line longer than the limit is cut between characters. The parts concatenated
/// give back `text` exactly (each keeps the line break it ends with).
pub fn split_text(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(2);
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut units = 0usize;
    for line in text.split_inclusive('\n') {
        let line_units = utf16_len(line);
        if units + line_units <= limit {
            current.push_str(line);
            units += line_units;
            continue;
        }
        if !current.is_empty() {
            parts.push(std::mem::take(&mut current));
            units = 0;
        }
        if line_units <= limit {
            current.push_str(line);
            units = line_units;
            continue;
        }
        for ch in line.chars() {
            let ch_units = ch.len_utf16();
            if units + ch_units > limit {
                parts.push(std::mem::take(&mut current));
                units = 0;
            }
            current.push(ch);
            units += ch_units;
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Sends replies to chats.
#[derive(Clone)]
pub struct Replier {
    api: Arc<BotApi>,
    db: Db,
    tuning: Tuning,
}

impl Replier {
    pub fn new(api: Arc<BotApi>, db: Db, tuning: Tuning) -> Replier {
        Replier { api, db, tuning }
    }

    /// Deletes the user's message that carried a password.
    pub async fn delete_incoming(&self, chat_id: i64, message_id: i32) -> bool {
        delete_message(&self.api, &self.tuning, chat_id, message_id).await
    }

    /// Sends the messages in order; stops at the first that cannot be delivered.
    pub async fn send(&self, chat_id: i64, outgoing: &Outgoing) -> Delivery {
        for message in &outgoing.messages {
            let delivery = self.send_message(chat_id, message).await;
            if delivery != Delivery::Delivered {
                return delivery;
            }
        }
        Delivery::Delivered
    }

    async fn send_message(&self, chat_id: i64, message: &OutMessage) -> Delivery {
        if let Some(document) = &message.document {
            let upload = Upload {
                chat_id,
                file_name: &document.file_name,
                bytes: &document.bytes,
                caption: None,
                protect: message.protect,
            };
            let sent = with_retries(&self.tuning, "sendDocument", || {
                self.api.send_document(&upload)
            })
            .await;
            match sent {
                Ok(_) | Err(CallError::UnexpectedResult) => {}
                Err(CallError::Forbidden(reason)) => {
                    tracing::info!(chat_id, reason = %reason, "chat unreachable: Telegram answered 403");
                    self.mark_unreachable(chat_id).await;
                    return Delivery::Unreachable;
                }
                Err(error) => {
                    tracing::warn!(chat_id, error = %error, "document not delivered");
                    return Delivery::Failed;
                }
            }
        }
        if let Some(venue) = &message.venue {
            let (latitude, longitude) = venue.degrees();
            let mut request = SendVenue::new(
                ChatId(chat_id),
                latitude,
                longitude,
                venue.title.clone(),
                venue.address.clone(),
            );
            request.protect_content = message.protect.then_some(true);
            match call_with_retries::<_, IgnoredAny>(&self.api, &request, &self.tuning).await {
                Ok(_) | Err(CallError::UnexpectedResult) => {}
                Err(CallError::Forbidden(reason)) => {
                    tracing::info!(chat_id, reason = %reason, "chat unreachable: Telegram answered 403");
                    self.mark_unreachable(chat_id).await;
                    return Delivery::Unreachable;
                }
                // The text still says where the branch is: go on without the map.
                Err(error) => tracing::warn!(chat_id, error = %error, "venue not delivered"),
            }
        }
        // Telegram refuses a text that is only blanks; such a part adds nothing anyway.
        let text = with_local_links(message);
        let parts: Vec<String> = split_text(&text, TEXT_LIMIT)
            .into_iter()
            .filter(|part| !part.trim().is_empty())
            .collect();
        if parts.is_empty() {
            tracing::warn!(chat_id, "a reply with an empty text was not sent");
            return Delivery::Delivered;
        }
        let last = parts.len() - 1;
        for (i, part) in parts.into_iter().enumerate() {
            let mut request = SendMessage::new(ChatId(chat_id), part);
            if message.protect {
                // Balances and personal data: no forwarding or saving from the chat.
                request.protect_content = Some(true);
            }
            if i == last {
                request.reply_markup = markup(chat_id, message);
            }
            match call_with_retries::<_, IgnoredAny>(&self.api, &request, &self.tuning).await {
                // The message went out (its echo is not read: nothing here needs it, and
                // reading teloxide's `Message` was a tenth of a reply's cost).
                Ok(_) | Err(CallError::UnexpectedResult) => {}
                Err(CallError::Forbidden(reason)) => {
                    tracing::info!(chat_id, reason = %reason, "chat unreachable: Telegram answered 403");
                    self.mark_unreachable(chat_id).await;
                    return Delivery::Unreachable;
                }
                Err(error) => {
                    tracing::warn!(chat_id, error = %error, "reply not delivered");
                    return Delivery::Failed;
                }
            }
        }
        Delivery::Delivered
    }

    async fn mark_unreachable(&self, chat_id: i64) {
        match store::chats::set_unreachable(&self.db, chat_id, true).await {
            Ok(()) | Err(StoreError::NotFound { .. }) => {}
            Err(error) => {
                tracing::warn!(chat_id, error = %error, "could not mark the chat unreachable");
            }
        }
    }

    /// Stops the button's spinner. Failures are only worth a debug line: the query may be
    /// too old, and the user sees the reply anyway.
    pub async fn answer_callback(&self, id: &CallbackQueryId) {
        let request = AnswerCallbackQuery::new(id.clone());
        if let Err(error) =
            call_with_retries::<_, IgnoredAny>(&self.api, &request, &self.tuning).await
        {
            tracing::debug!(error = %error, "callback query not answered");
        }
    }
}

/// Buttons on the message, or else a keyboard under the text field (Telegram takes one
/// kind of markup a message).
fn markup(chat_id: i64, message: &OutMessage) -> Option<ReplyMarkup> {
    if !message.buttons.is_empty() {
        return Some(ReplyMarkup::InlineKeyboard(keyboard(
            chat_id,
            &message.buttons,
        )));
    }
    match &message.field {
        Some(OutField::ShareContact { label }) => Some(ReplyMarkup::Keyboard(
            KeyboardMarkup::new(vec![vec![
                KeyboardButton::new(label.clone()).request(ButtonRequest::Contact),
            ]])
            .resize_keyboard()
            .one_time_keyboard(),
        )),
        Some(OutField::Remove) => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
        None => None,
    }
}

/// Deletes the user's message (it carried a password). A failure is logged, not retried
/// for long: the reply says the message was deleted, so it is worth one more try.
pub(crate) async fn delete_message(
    api: &BotApi,
    tuning: &Tuning,
    chat_id: i64,
    message_id: i32,
) -> bool {
    let request = DeleteMessage::new(ChatId(chat_id), MessageId(message_id));
    match call_with_retries::<_, IgnoredAny>(api, &request, tuning).await {
        Ok(_) => true,
        Err(error) => {
            tracing::warn!(chat_id, error = %error, "could not delete a message that carried a password");
            false
        }
    }
}

/// Whether Telegram takes `url` on a URL button: it refuses links to this machine
/// (`localhost`, loopback addresses), which a developer's instance without `PUBLIC_URL` makes.
fn button_url(url: &str) -> Option<url::Url> {
    let parsed = url::Url::parse(url).ok()?;
    let local = match parsed.host()? {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback() || ip.is_unspecified(),
        url::Host::Ipv6(ip) => ip.is_loopback() || ip.is_unspecified(),
    };
    (matches!(parsed.scheme(), "http" | "https") && !local).then_some(parsed)
}

/// The text, with the links Telegram would refuse as buttons written out under it.
fn with_local_links(message: &OutMessage) -> String {
    let mut text = message.text.clone();
    for button in message.buttons.iter().flatten() {
        if let Some(url) = &button.url
            && button_url(url).is_none()
        {
            text.push_str(&format!("\n\n{}: {url}", button.label));
        }
    }
    text
}

/// The inline keyboard of a reply. A button whose data exceeds Telegram's limit would make
/// Telegram refuse the whole message, so it is left out (and logged: it is our bug); a link
/// Telegram refuses is in the text instead ([`with_local_links`]).
fn keyboard(chat_id: i64, rows: &[Vec<OutButton>]) -> InlineKeyboardMarkup {
    let rows = rows.iter().map(|row| {
        row.iter()
            .filter_map(|button| {
                if let Some(url) = &button.url {
                    return button_url(url)
                        .map(|url| InlineKeyboardButton::url(button.label.clone(), url));
                }
                if button.data.len() > CALLBACK_DATA_LIMIT {
                    tracing::error!(chat_id, "button left out: callback data over 64 bytes");
                    return None;
                }
                Some(InlineKeyboardButton::callback(
                    button.label.clone(),
                    button.data.clone(),
                ))
            })
            .collect::<Vec<_>>()
    });
    InlineKeyboardMarkup::new(rows.filter(|row| !row.is_empty()).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, limit: usize) -> Vec<String> {
        let parts = split_text(text, limit);
        assert_eq!(parts.concat(), text);
        for part in &parts {
            assert!(
                utf16_len(part) <= limit,
                "part of {} units",
                utf16_len(part)
            );
            assert!(!part.is_empty());
        }
        parts
    }

    #[test]
    fn short_texts_stay_whole() {
        assert_eq!(check("Сәлем\nәлем", 4096), vec!["Сәлем\nәлем"]);
        assert!(check("", 4096).is_empty());
    }

    #[test]
    fn long_texts_split_at_line_ends() {
        let line = "Қазақстан зейнетақы қоры\n"; // 25 characters
        let text = line.repeat(10);
        let parts = check(&text, 60);
        assert!(parts.iter().all(|p| p.ends_with('\n')));
        assert_eq!(parts[0], line.repeat(2));
    }

    #[test]
    fn an_over_long_line_is_cut_between_characters() {
        let text = "ә".repeat(10) + "\nкөк";
        let parts = check(&text, 4);
        assert_eq!(parts[0], "әәәә");
    }

    #[test]
    fn characters_outside_the_basic_plane_count_double_and_stay_whole() {
        let text = "😀".repeat(5);
        let parts = check(&text, 4);
        assert_eq!(parts, vec!["😀😀", "😀😀", "😀"]);
    }

    #[test]
    fn keyboards_keep_rows_and_leave_out_overlong_data() {
        let button = |label: &str, data: &str| OutButton::callback(label.into(), data.into());
        let markup = keyboard(
            1,
            &[
                vec![button("A", "1:0"), button("B", "1:1")],
                vec![button("C", &"x".repeat(65))],
            ],
        );
        assert_eq!(markup.inline_keyboard.len(), 1);
        assert_eq!(markup.inline_keyboard[0].len(), 2);
        assert_eq!(markup.inline_keyboard[0][1].text, "B");
    }

    #[test]
    fn links_become_url_buttons_unless_telegram_would_refuse_them() {
        let public = OutButton::link("Sign".into(), "https://zeinet.kz/sign/abc".into());
        let local = OutButton::link("Sign".into(), "http://127.0.0.1:8080/sign/abc".into());
        let markup = keyboard(1, &[vec![public.clone()], vec![local.clone()]]);
        assert_eq!(markup.inline_keyboard.len(), 1);
        let json = serde_json::to_value(&markup.inline_keyboard[0][0]).unwrap();
        assert_eq!(json["url"], "https://zeinet.kz/sign/abc");
        let message = OutMessage {
            text: "Open the page".into(),
            buttons: vec![vec![public], vec![local]],
            field: None,
            protect: false,
            document: None,
            venue: None,
        };
        assert_eq!(
            with_local_links(&message),
            "Open the page\n\nSign: http://127.0.0.1:8080/sign/abc"
        );
        assert!(button_url("http://localhost:8080/x").is_none());
        assert!(button_url("javascript:alert(1)").is_none());
    }
}
