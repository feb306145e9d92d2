//! The three languages the bot speaks.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Parses our own stored code (`kk`, `ru`, `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Proposes a language from Telegram's `language_code` (an IETF tag such as `ru-RU`).
    /// Kazakh is the fund's first language, so anything unknown proposes Kazakh.
    pub fn from_telegram(code: Option<&str>) -> Lang {
        let primary = code
            .and_then(|c| c.split(['-', '_']).next())
            .map(str::to_ascii_lowercase);
        match primary.as_deref() {
            Some("ru") | Some("be") | Some("uk") => Lang::Ru,
            Some("en") => Lang::En,
            _ => Lang::Kk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn telegram_codes_propose_a_language() {
        assert_eq!(Lang::from_telegram(Some("ru-RU")), Lang::Ru);
        assert_eq!(Lang::from_telegram(Some("en")), Lang::En);
        assert_eq!(Lang::from_telegram(Some("kk")), Lang::Kk);
        assert_eq!(Lang::from_telegram(Some("de")), Lang::Kk);
        assert_eq!(Lang::from_telegram(None), Lang::Kk);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }
}
