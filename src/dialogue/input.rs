//! What a user can send, after the transport has turned it into something transport-free.

use serde::{Deserialize, Serialize};

use super::Action;

/// Longer messages are refused with a hint (Telegram's own limit for a text message).
pub const MAX_TEXT_CHARS: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Start,
    Help,
    Menu,
    Cancel,
    Language,
    Logout,
    Sessions,
    /// `/verify` with the document number typed after it, if any.
    Verify(Option<String>),
    /// Which notifications this chat gets.
    Settings,
    /// Staff only (answered like an unknown command for everyone else).
    Broadcast,
    Broadcasts,
    Stats,
    /// Admins only: show, set or end the maintenance window (the words after the command).
    Maintenance(Option<String>),
    /// Any other `/word`; the name is kept only to be shown back, never interpreted.
    Unknown(String),
}

impl Command {
    /// Parses `/name`, `/name@botname` and `/name args`. `None` when the text is no command.
    pub fn parse(text: &str) -> Option<Command> {
        let rest = text.trim_start().strip_prefix('/')?;
        let word = rest.split_whitespace().next().unwrap_or("");
        let name = word.split('@').next().unwrap_or("").to_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        Some(match name.as_str() {
            "start" => Command::Start,
            "help" => Command::Help,
            "menu" => Command::Menu,
            "cancel" => Command::Cancel,
            "language" | "lang" => Command::Language,
            "logout" => Command::Logout,
            "sessions" => Command::Sessions,
            "settings" => Command::Settings,
            "broadcast" => Command::Broadcast,
            "broadcasts" => Command::Broadcasts,
            "stats" => Command::Stats,
            "maintenance" => {
                let args: String = rest
                    .split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(64)
                    .collect();
                Command::Maintenance((!args.is_empty()).then_some(args))
            }
            "verify" => {
                let number: String = rest
                    .split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(64)
                    .collect();
                Command::Verify((!number.is_empty()).then_some(number))
            }
            _ => Command::Unknown(name.chars().take(32).collect()),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsupportedKind {
    Sticker,
    Photo,
    Voice,
    Video,
    Document,
    Location,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    Command(Command),
    Text(String),
    /// A button press, already resolved to its server-side action.
    Action(Action),
    /// A shared contact; `own` is true only when Telegram says it is the sender's own.
    Contact {
        phone: String,
        own: bool,
    },
    Unsupported(UnsupportedKind),
}

impl Input {
    /// Text becomes a command when it is one.
    pub fn from_text(text: &str) -> Input {
        match Command::parse(text) {
            Some(command) => Input::Command(command),
            None => Input::Text(text.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_bot_names_and_arguments() {
        assert_eq!(Command::parse("/start"), Some(Command::Start));
        assert_eq!(
            Command::parse("/start@ZeinetBot payload"),
            Some(Command::Start)
        );
        assert_eq!(Command::parse("/HELP"), Some(Command::Help));
        assert_eq!(Command::parse("/lang"), Some(Command::Language));
        assert_eq!(
            Command::parse("/whatever"),
            Some(Command::Unknown("whatever".into()))
        );
        assert_eq!(Command::parse("hello /start"), None);
        assert_eq!(Command::parse("/"), None);
        assert_eq!(Command::parse("/ёж"), None);
    }
}
