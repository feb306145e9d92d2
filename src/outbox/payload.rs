//! What an outbox row sends, as stored in its `payload` column (JSON), and how it becomes a
//! `sendMessage` call.
//!
//! A row either carries its message already rendered ([`Content::Message`]) or, for the rows of
//! a broadcast, only the language it wants ([`Content::BroadcastText`]): the text itself is
//! stored once, in the broadcast (`broadcasts.texts`, a [`BroadcastTexts`]), not 100 000 times.
//! Everything is checked when written, so a row that reaches a worker fits Telegram's limits.

use serde::{Deserialize, Serialize};
use teloxide::payloads::SendMessage;
use teloxide::types::{
    ChatId, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ParseMode,
};
use url::Url;

use crate::channels::telegram::send::{CALLBACK_DATA_LIMIT, TEXT_LIMIT};
use crate::conversation::OutMessage;
use crate::domain::Lang;

/// Telegram's limit on the buttons of one inline keyboard.
pub const BUTTONS_LIMIT: usize = 100;

/// The content of one outbox row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// A message rendered by the producer.
    Message(RenderedMessage),
    /// The text of the row's broadcast in this language (or the broadcast's default language
    /// when it has no text in this one).
    BroadcastText { lang: Lang },
}

/// How Telegram should read the text's markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextFormat {
    #[serde(rename = "HTML")]
    Html,
    MarkdownV2,
}

/// A message ready to send: the text, its buttons and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RenderedMessage {
    pub text: String,
    /// Rows of inline buttons under the message.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<Button>>,
    /// Personal data or balances: no forwarding or saving from the chat.
    #[serde(default, skip_serializing_if = "is_false")]
    pub protect: bool,
    /// Markup in the text; plain text when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
    /// No preview of the first link.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_link_preview: bool,
    /// Delivered without a sound.
    #[serde(default, skip_serializing_if = "is_false")]
    pub silent: bool,
}

/// An inline button: either callback data or a link (exactly one of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Button {
    pub fn callback(label: impl Into<String>, data: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            callback: Some(data.into()),
            url: None,
        }
    }

    pub fn link(label: impl Into<String>, url: impl Into<String>) -> Button {
        Button {
            label: label.into(),
            callback: None,
            url: Some(url.into()),
        }
    }
}

/// A broadcast's message in each language it was written in, and the language to fall back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BroadcastTexts {
    pub default_lang: Lang,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<RenderedMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<RenderedMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<RenderedMessage>,
}

/// Why a message cannot be stored for sending. Never quotes the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("the text is empty")]
    EmptyText,
    #[error("the text is longer than Telegram's 4096 characters")]
    TextTooLong,
    #[error("a button has no label")]
    EmptyLabel,
    #[error("a button needs either callback data or a link, not both or neither")]
    ButtonAction,
    #[error("a button's callback data is longer than 64 bytes")]
    CallbackTooLong,
    #[error("a button's link is not an http, https or tg URL")]
    BadLink,
    #[error("more than 100 buttons")]
    TooManyButtons,
    #[error("the broadcast has no text in its default language")]
    NoDefaultText,
    #[error("the stored payload does not parse")]
    Unreadable,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

impl RenderedMessage {
    /// A plain text message without buttons.
    pub fn text(text: impl Into<String>) -> RenderedMessage {
        RenderedMessage {
            text: text.into(),
            ..RenderedMessage::default()
        }
    }

    /// Checks Telegram's limits, so that a stored row is never refused for its shape.
    pub fn check(&self) -> Result<(), PayloadError> {
        if self.text.trim().is_empty() {
            return Err(PayloadError::EmptyText);
        }
        if self.text.chars().map(char::len_utf16).sum::<usize>() > TEXT_LIMIT {
            return Err(PayloadError::TextTooLong);
        }
        if self.buttons.iter().map(Vec::len).sum::<usize>() > BUTTONS_LIMIT {
            return Err(PayloadError::TooManyButtons);
        }
        for button in self.buttons.iter().flatten() {
            if button.label.trim().is_empty() {
                return Err(PayloadError::EmptyLabel);
            }
            match (&button.callback, &button.url) {
                (Some(data), None) if data.is_empty() || data.len() > CALLBACK_DATA_LIMIT => {
                    return Err(PayloadError::CallbackTooLong);
                }
                (Some(_), None) => {}
                (None, Some(link)) => {
                    let parsed = Url::parse(link).map_err(|_| PayloadError::BadLink)?;
                    if !matches!(parsed.scheme(), "http" | "https" | "tg") {
                        return Err(PayloadError::BadLink);
                    }
                }
                _ => return Err(PayloadError::ButtonAction),
            }
        }
        Ok(())
    }

    /// The sendMessage call for `chat_id`; `paid` sets `allow_paid_broadcast`.
    pub fn request(&self, chat_id: i64, paid: bool) -> SendMessage {
        let mut request = SendMessage::new(ChatId(chat_id), self.text.clone());
        request.protect_content = self.protect.then_some(true);
        request.disable_notification = self.silent.then_some(true);
        request.allow_paid_broadcast = paid.then_some(true);
        request.parse_mode = self.format.map(|format| match format {
            TextFormat::Html => ParseMode::Html,
            TextFormat::MarkdownV2 => ParseMode::MarkdownV2,
        });
        if self.no_link_preview {
            request.link_preview_options = Some(LinkPreviewOptions {
                is_disabled: true,
                url: None,
                prefer_small_media: false,
                prefer_large_media: false,
                show_above_text: false,
            });
        }
        let rows: Vec<Vec<InlineKeyboardButton>> = self
            .buttons
            .iter()
            .map(|row| row.iter().filter_map(inline_button).collect::<Vec<_>>())
            .filter(|row| !row.is_empty())
            .collect();
        if !rows.is_empty() {
            request.reply_markup = Some(InlineKeyboardMarkup::new(rows).into());
        }
        request
    }
}

/// A checked button as Telegram's type; `None` only for a button [`RenderedMessage::check`]
/// would have refused.
fn inline_button(button: &Button) -> Option<InlineKeyboardButton> {
    match (&button.callback, &button.url) {
        (Some(data), None) => Some(InlineKeyboardButton::callback(
            button.label.clone(),
            data.clone(),
        )),
        (None, Some(link)) => Url::parse(link)
            .ok()
            .map(|url| InlineKeyboardButton::url(button.label.clone(), url)),
        _ => None,
    }
}

/// A dialogue's reply as an outbox message: the text, the inline buttons and protection.
/// A keyboard under the text field (`OutMessage::field`) belongs to a live conversation and
/// is not carried over.
impl From<&OutMessage> for RenderedMessage {
    fn from(message: &OutMessage) -> RenderedMessage {
        RenderedMessage {
            text: message.text.clone(),
            buttons: message
                .buttons
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|b| match &b.url {
                            Some(url) => Button::link(b.label.clone(), url.clone()),
                            None => Button::callback(b.label.clone(), b.data.clone()),
                        })
                        .collect()
                })
                .collect(),
            protect: message.protect,
            ..RenderedMessage::default()
        }
    }
}

impl Content {
    /// Checks a rendered message; a broadcast key is checked against its broadcast later.
    pub fn check(&self) -> Result<(), PayloadError> {
        match self {
            Content::Message(message) => message.check(),
            Content::BroadcastText { .. } => Ok(()),
        }
    }

    /// The JSON stored in `outbox.payload`.
    pub fn to_json(&self) -> String {
        // Plain structs of strings, booleans and enums: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Result<Content, PayloadError> {
        serde_json::from_str(json).map_err(|_| PayloadError::Unreadable)
    }
}

impl BroadcastTexts {
    /// The same message in every language.
    pub fn same_for_all(message: RenderedMessage) -> BroadcastTexts {
        BroadcastTexts {
            default_lang: Lang::Kk,
            kk: Some(message.clone()),
            ru: Some(message.clone()),
            en: Some(message),
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&RenderedMessage> {
        match lang {
            Lang::Kk => self.kk.as_ref(),
            Lang::Ru => self.ru.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The message for a chat speaking `lang`, else the default language's.
    pub fn for_lang(&self, lang: Lang) -> Option<&RenderedMessage> {
        self.get(lang).or_else(|| self.get(self.default_lang))
    }

    pub fn check(&self) -> Result<(), PayloadError> {
        if self.get(self.default_lang).is_none() {
            return Err(PayloadError::NoDefaultText);
        }
        Lang::ALL
            .iter()
            .filter_map(|lang| self.get(*lang))
            .try_for_each(RenderedMessage::check)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(json: &str) -> Result<BroadcastTexts, PayloadError> {
        serde_json::from_str(json).map_err(|_| PayloadError::Unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_round_trip_through_their_stored_json() {
        let message = RenderedMessage {
            text: "Салым түсті".into(),
            buttons: vec![vec![
                Button::callback("Ашу", "7:0"),
                Button::link("Сайт", "https://www.enpf.kz"),
            ]],
            protect: true,
            format: Some(TextFormat::Html),
            no_link_preview: true,
            silent: false,
        };
        for content in [
            Content::Message(message.clone()),
            Content::BroadcastText { lang: Lang::Ru },
        ] {
            let json = content.to_json();
            assert_eq!(Content::from_json(&json), Ok(content));
        }
        assert_eq!(
            Content::BroadcastText { lang: Lang::Kk }.to_json(),
            r#"{"broadcast_text":{"lang":"kk"}}"#
        );
        assert_eq!(
            Content::from_json("{\"text\":1}"),
            Err(PayloadError::Unreadable)
        );
    }

    #[test]
    fn checks_follow_telegrams_limits() {
        assert_eq!(RenderedMessage::text("ok").check(), Ok(()));
        assert_eq!(
            RenderedMessage::text("  \n").check(),
            Err(PayloadError::EmptyText)
        );
        assert_eq!(
            RenderedMessage::text("ә".repeat(4096)).check(),
            Ok(()),
            "4096 characters of the basic plane fit"
        );
        assert_eq!(
            RenderedMessage::text("😀".repeat(2049)).check(),
            Err(PayloadError::TextTooLong),
            "counted in UTF-16 units as Telegram does"
        );
        let with = |button: Button| RenderedMessage {
            buttons: vec![vec![button]],
            ..RenderedMessage::text("x")
        };
        assert_eq!(
            with(Button::callback("a", "x".repeat(65))).check(),
            Err(PayloadError::CallbackTooLong)
        );
        assert_eq!(
            with(Button::link("a", "javascript:alert(1)")).check(),
            Err(PayloadError::BadLink)
        );
        assert_eq!(
            with(Button::callback(" ", "1")).check(),
            Err(PayloadError::EmptyLabel)
        );
        let both = Button {
            label: "a".into(),
            callback: Some("1".into()),
            url: Some("https://x.kz".into()),
        };
        assert_eq!(with(both).check(), Err(PayloadError::ButtonAction));
    }

    #[test]
    fn requests_carry_the_options_and_buttons() {
        let message = RenderedMessage {
            buttons: vec![vec![Button::callback("A", "1:0")], vec![]],
            protect: true,
            silent: true,
            no_link_preview: true,
            ..RenderedMessage::text("hi")
        };
        let json = serde_json::to_value(message.request(5, true)).unwrap();
        assert_eq!(json["chat_id"], 5);
        assert_eq!(json["protect_content"], true);
        assert_eq!(json["disable_notification"], true);
        assert_eq!(json["allow_paid_broadcast"], true);
        assert_eq!(json["link_preview_options"]["is_disabled"], true);
        assert_eq!(
            json["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
            "1:0"
        );
        assert_eq!(
            json["reply_markup"]["inline_keyboard"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let plain = serde_json::to_value(RenderedMessage::text("hi").request(5, false)).unwrap();
        assert!(plain.get("allow_paid_broadcast").is_none());
        assert!(plain.get("reply_markup").is_none());
    }

    #[test]
    fn broadcasts_fall_back_to_their_default_language() {
        let texts = BroadcastTexts {
            default_lang: Lang::Ru,
            kk: Some(RenderedMessage::text("kk")),
            ru: Some(RenderedMessage::text("ru")),
            en: None,
        };
        assert_eq!(texts.check(), Ok(()));
        assert_eq!(
            texts.for_lang(Lang::Kk).map(|m| m.text.as_str()),
            Some("kk")
        );
        assert_eq!(
            texts.for_lang(Lang::En).map(|m| m.text.as_str()),
            Some("ru")
        );
        let missing = BroadcastTexts {
            default_lang: Lang::En,
            ..texts.clone()
        };
        assert_eq!(missing.check(), Err(PayloadError::NoDefaultText));
        assert_eq!(BroadcastTexts::from_json(&texts.to_json()), Ok(texts));
    }
}
