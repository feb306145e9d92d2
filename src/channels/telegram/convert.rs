//! Telegram updates into transport-free events: who wrote ([`ChatRef`]) and what
//! ([`Incoming`]). Everything we do not serve (edited messages, channel posts, service
//! messages, updates without a chat or a sender) is named as ignored, with a reason fit for
//! a log line (never the content).

use teloxide::types::{
    CallbackQuery, CallbackQueryId, MediaKind, Message, MessageKind, Update, UpdateKind, User,
};

use crate::conversation::{ChatRef, Incoming};
use crate::dialogue::UnsupportedKind;

/// Something a chat said or pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub chat: ChatRef,
    pub incoming: Incoming,
    /// Set for a button press: the query Telegram waits to see answered.
    pub callback_id: Option<CallbackQueryId>,
    /// The user's message, for deleting it when it carried a password.
    pub message_id: Option<i32>,
}

/// What an update amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Converted {
    Event(Event),
    /// Acknowledged and dropped; a button press without a usable chat still needs its
    /// callback query answered.
    Ignored {
        reason: &'static str,
        callback_id: Option<CallbackQueryId>,
    },
}

fn ignored(reason: &'static str) -> Converted {
    Converted::Ignored {
        reason,
        callback_id: None,
    }
}

pub fn convert(update: &Update) -> Converted {
    match &update.kind {
        UpdateKind::Message(message) => from_message(message),
        UpdateKind::CallbackQuery(query) => from_callback(query),
        UpdateKind::EditedMessage(_) => ignored("edited message"),
        UpdateKind::ChannelPost(_) | UpdateKind::EditedChannelPost(_) => ignored("channel post"),
        UpdateKind::Error(_) => ignored("update of a kind we cannot read"),
        _ => ignored("update kind we do not serve"),
    }
}

fn chat_ref(chat_id: i64, user: &User) -> Option<ChatRef> {
    Some(ChatRef {
        chat_id,
        user_id: i64::try_from(user.id.0).ok()?,
        language_code: user.language_code.clone(),
    })
}

fn from_message(message: &Message) -> Converted {
    let Some(user) = message.from.as_ref() else {
        return ignored("message without a sender");
    };
    let Some(chat) = chat_ref(message.chat.id.0, user) else {
        return ignored("message with an unusable sender id");
    };
    // A personal cabinet in a group would show one member's savings to all of them.
    if !message.chat.is_private() {
        return ignored("message outside a private chat");
    }
    let MessageKind::Common(common) = &message.kind else {
        return ignored("service message");
    };
    let incoming = match &common.media_kind {
        MediaKind::Text(text) => Incoming::Text(text.text.clone()),
        MediaKind::Contact(contact) => Incoming::Contact {
            phone: contact.contact.phone_number.clone(),
            user_id: contact
                .contact
                .user_id
                .and_then(|id| i64::try_from(id.0).ok()),
        },
        MediaKind::Migration(_) => return ignored("chat migration"),
        other => Incoming::Unsupported(unsupported_kind(other)),
    };
    Converted::Event(Event {
        chat,
        incoming,
        callback_id: None,
        message_id: Some(message.id.0),
    })
}

fn unsupported_kind(media: &MediaKind) -> UnsupportedKind {
    match media {
        MediaKind::Sticker(_) => UnsupportedKind::Sticker,
        MediaKind::Photo(_) => UnsupportedKind::Photo,
        MediaKind::Voice(_) => UnsupportedKind::Voice,
        MediaKind::Video(_) | MediaKind::VideoNote(_) | MediaKind::Animation(_) => {
            UnsupportedKind::Video
        }
        MediaKind::Document(_) => UnsupportedKind::Document,
        MediaKind::Location(_) | MediaKind::Venue(_) => UnsupportedKind::Location,
        _ => UnsupportedKind::Other,
    }
}

fn from_callback(query: &CallbackQuery) -> Converted {
    let callback_id = Some(query.id.clone());
    let Some(message) = query.message.as_ref() else {
        return Converted::Ignored {
            reason: "button press without a chat",
            callback_id,
        };
    };
    let Some(data) = query.data.clone() else {
        return Converted::Ignored {
            reason: "button press without data",
            callback_id,
        };
    };
    if !message.chat().is_private() {
        return Converted::Ignored {
            reason: "button press outside a private chat",
            callback_id,
        };
    }
    let Some(chat) = chat_ref(message.chat().id.0, &query.from) else {
        return Converted::Ignored {
            reason: "button press with an unusable sender id",
            callback_id,
        };
    };
    Converted::Event(Event {
        chat,
        incoming: Incoming::Callback(data),
        callback_id,
        message_id: None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn user() -> Value {
        json!({"id": 77, "is_bot": false, "first_name": "Ә", "language_code": "kk"})
    }

    fn message(extra: Value) -> Value {
        let mut m = json!({
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": 5005, "type": "private", "first_name": "Ә"},
            "from": user(),
        });
        if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                m.insert(k.clone(), v.clone());
            }
        }
        m
    }

    fn update(kind: &str, body: Value) -> Update {
        // From text, as on the wire: teloxide's `UpdateKind` cannot be read from a `Value`.
        serde_json::from_str(&json!({"update_id": 10, kind: body}).to_string())
            .expect("update parses")
    }

    fn event(update: &Update) -> Event {
        match convert(update) {
            Converted::Event(event) => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    fn expected_chat() -> ChatRef {
        ChatRef {
            chat_id: 5005,
            user_id: 77,
            language_code: Some("kk".into()),
        }
    }

    #[test]
    fn a_text_message_becomes_text_with_its_chat_and_language() {
        let e = event(&update("message", message(json!({"text": "/start"}))));
        assert_eq!(e.chat, expected_chat());
        assert_eq!(e.incoming, Incoming::Text("/start".into()));
        assert_eq!(e.callback_id, None);
    }

    #[test]
    fn a_contact_keeps_telegrams_user_id() {
        let e = event(&update(
            "message",
            message(
                json!({"contact": {"phone_number": "+77011234567", "first_name": "Ә", "user_id": 77}}),
            ),
        ));
        assert_eq!(
            e.incoming,
            Incoming::Contact {
                phone: "+77011234567".into(),
                user_id: Some(77)
            }
        );
        let e = event(&update(
            "message",
            message(json!({"contact": {"phone_number": "+77011234567", "first_name": "Ә"}})),
        ));
        assert!(matches!(
            e.incoming,
            Incoming::Contact { user_id: None, .. }
        ));
    }

    #[test]
    fn media_becomes_unsupported_of_its_kind() {
        let sticker = json!({"sticker": {"file_id": "f", "file_unique_id": "u", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false}});
        let photo =
            json!({"photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]});
        let voice = json!({"voice": {"file_id": "f", "file_unique_id": "u", "duration": 1,
            "mime_type": "audio/ogg"}});
        let location = json!({"location": {"latitude": 43.2, "longitude": 76.9}});
        for (body, kind) in [
            (sticker, UnsupportedKind::Sticker),
            (photo, UnsupportedKind::Photo),
            (voice, UnsupportedKind::Voice),
            (location, UnsupportedKind::Location),
        ] {
            let e = event(&update("message", message(body)));
            assert_eq!(e.incoming, Incoming::Unsupported(kind));
        }
    }

    #[test]
    fn a_button_press_carries_its_data_and_query_id() {
        let e = event(&update(
            "callback_query",
            json!({"id": "q1", "from": user(), "chat_instance": "c", "data": "ab:1",
                   "message": message(json!({"text": "menu"}))}),
        ));
        assert_eq!(e.chat, expected_chat());
        assert_eq!(e.incoming, Incoming::Callback("ab:1".into()));
        assert_eq!(e.callback_id, Some(CallbackQueryId("q1".into())));
    }

    #[test]
    fn a_button_press_without_a_chat_is_ignored_but_still_answered() {
        let converted = convert(&update(
            "callback_query",
            json!({"id": "q2", "from": user(), "chat_instance": "c", "data": "ab:1",
                   "inline_message_id": "im"}),
        ));
        assert!(matches!(
            converted,
            Converted::Ignored { callback_id: Some(CallbackQueryId(ref id)), .. } if id == "q2"
        ));
    }

    #[test]
    fn edits_channel_posts_and_senderless_messages_are_ignored() {
        let edited = update(
            "edited_message",
            message(json!({"text": "x", "edit_date": 1_700_000_001})),
        );
        let post = update(
            "channel_post",
            json!({"message_id": 1, "date": 1_700_000_000, "text": "x",
                   "chat": {"id": -100, "type": "channel", "title": "c"}}),
        );
        let mut anonymous = message(json!({"text": "x"}));
        if let Some(m) = anonymous.as_object_mut() {
            m.remove("from");
        }
        let anonymous = update("message", anonymous);
        let unknown: Update =
            serde_json::from_str(r#"{"update_id": 11, "something_new": {"a": 1}}"#).unwrap();
        for u in [edited, post, anonymous, unknown] {
            assert!(
                matches!(
                    convert(&u),
                    Converted::Ignored {
                        callback_id: None,
                        ..
                    }
                ),
                "{u:?}"
            );
        }
    }
}
