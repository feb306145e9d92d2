//! One-time codes: six digits from the operating system's random generator, and the server key
//! (`OTP_KEY`) that turns a code into the HMAC-SHA256 we store instead of it.
//!
//! The MAC binds the code to its purpose, IIN and chat, so a registration code fails in
//! recovery, a code for one IIN fails for another and a code asked in one chat fails in
//! another, even if a row were looked up wrongly. MACs are compared in constant time.
//! The key also makes short tags of IINs for keys of the ephemeral store, so Redis never holds
//! an IIN in clear.

use std::fmt;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};
use hmac::{Hmac, KeyInit as _, Mac as _};
use rand::TryRng as _;
use rand::rngs::SysRng;
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::domain::Iin;
use crate::store::codes::CodePurpose;

/// Digits in a code: 10^6 possibilities (≥ 20 bits, NIST SP 800-63B).
pub const CODE_DIGITS: usize = 6;
/// Shortest accepted server key.
pub const MIN_KEY_BYTES: usize = 32;

const CODE_SPACE: u32 = 1_000_000;
/// The largest multiple of `CODE_SPACE` that fits in a u32: draws at or above it are redrawn,
/// so every code is equally likely.
const UNBIASED_LIMIT: u32 = u32::MAX - (u32::MAX % CODE_SPACE);

/// The operating system's random generator failed (it practically never does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random generator failed")]
pub struct RandomError;

/// Why an `OTP_KEY` value is refused. Never echoes the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OtpKeyError {
    #[error("expected hex digits or base64")]
    NotHexOrBase64,
    #[error("shorter than {MIN_KEY_BYTES} bytes (e.g. `openssl rand -hex 32`)")]
    TooShort,
}

/// The server key for code MACs. `Debug` does not show it.
#[derive(Clone)]
pub struct OtpKey(Arc<[u8]>);

impl fmt::Debug for OtpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OtpKey(***)")
    }
}

impl OtpKey {
    /// Parses the `OTP_KEY` setting: hex (an even number of hex digits) or base64 (standard or
    /// URL-safe, padded or not), at least 32 bytes once decoded.
    pub fn parse(text: &str) -> Result<OtpKey, OtpKeyError> {
        let text = text.trim();
        let bytes = if !text.is_empty()
            && text.len().is_multiple_of(2)
            && text.bytes().all(|b| b.is_ascii_hexdigit())
        {
            hex::decode(text).map_err(|_| OtpKeyError::NotHexOrBase64)?
        } else {
            STANDARD_PAD_INDIFFERENT
                .decode(text)
                .or_else(|_| URL_SAFE_PAD_INDIFFERENT.decode(text))
                .map_err(|_| OtpKeyError::NotHexOrBase64)?
        };
        if bytes.len() < MIN_KEY_BYTES {
            return Err(OtpKeyError::TooShort);
        }
        Ok(OtpKey(bytes.into()))
    }

    /// A fresh random key of 32 bytes.
    pub fn generate() -> Result<OtpKey, RandomError> {
        let mut bytes = [0u8; MIN_KEY_BYTES];
        SysRng.try_fill_bytes(&mut bytes).map_err(|_| RandomError)?;
        Ok(OtpKey(bytes.to_vec().into()))
    }

    /// The key of this process when `OTP_KEY` is not set (`zeinet chat`, tests): made once,
    /// with a warning that codes will not survive a restart. `serve` refuses to start without
    /// `OTP_KEY` (`Config::check_for_serve`).
    pub fn process_fallback() -> Result<OtpKey, RandomError> {
        static KEY: OnceLock<OtpKey> = OnceLock::new();
        if let Some(key) = KEY.get() {
            return Ok(key.clone());
        }
        let fresh = OtpKey::generate()?;
        Ok(KEY
            .get_or_init(|| {
                tracing::warn!(
                    "OTP_KEY is not set: one-time codes use a key made for this process and \
                     will not survive a restart"
                );
                fresh
            })
            .clone())
    }

    /// The hex HMAC-SHA256 of `code` bound to its purpose, IIN and chat.
    pub fn code_mac(&self, purpose: CodePurpose, iin: &Iin, chat_id: i64, code: &str) -> String {
        hex::encode(self.code_mac_bytes(purpose, iin, chat_id, code))
    }

    /// Whether `code` is the one whose MAC is `stored_mac` (hex), for this purpose, IIN and
    /// chat. Constant time in the MAC; a stored value that is not hex never matches.
    pub fn code_matches(
        &self,
        stored_mac: &str,
        purpose: CodePurpose,
        iin: &Iin,
        chat_id: i64,
        code: &str,
    ) -> bool {
        let Ok(stored) = hex::decode(stored_mac) else {
            return false;
        };
        let computed = self.code_mac_bytes(purpose, iin, chat_id, code);
        stored.ct_eq(&computed).into()
    }

    /// A short keyed tag of `data` (32 hex digits) for keys of the ephemeral store: stable
    /// within a key, meaningless without it.
    pub fn tag(&self, label: &str, data: &str) -> String {
        let mut mac = self.mac();
        for part in ["zeinet/tag/v1", label, data] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        let digest = mac.finalize().into_bytes();
        hex::encode(&digest[..16])
    }

    fn code_mac_bytes(&self, purpose: CodePurpose, iin: &Iin, chat_id: i64, code: &str) -> Vec<u8> {
        let mut mac = self.mac();
        let chat = chat_id.to_string();
        // NUL-separated fields: none of them can contain a NUL, so no two inputs collide.
        for part in ["zeinet/otp/v1", purpose.code(), iin.as_str(), &chat, code] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        mac.finalize().into_bytes().to_vec()
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length; the `Err` arm cannot happen but must not panic.
        <Hmac<Sha256>>::new_from_slice(&self.0)
            .unwrap_or_else(|_| <Hmac<Sha256>>::new(&Default::default()))
    }
}

/// A fresh code: six decimal digits, every value equally likely, from the OS generator.
pub fn generate_code() -> Result<String, RandomError> {
    loop {
        let draw = SysRng.try_next_u32().map_err(|_| RandomError)?;
        if draw < UNBIASED_LIMIT {
            return Ok(format!("{:06}", draw % CODE_SPACE));
        }
    }
}

/// What the user typed, as a code: whitespace anywhere removed (`123 456`). `None` when the
/// rest is not exactly six ASCII digits.
pub fn normalize_code(input: &str) -> Option<String> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn iin(text: &str) -> Iin {
        Iin::parse(text).expect("valid test IIN")
    }

    fn key() -> OtpKey {
        OtpKey::parse(&"ab".repeat(32)).unwrap()
    }

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: HashSet<String> = (0..200).map(|_| generate_code().unwrap()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        // 200 draws from a million values: a handful of repeats at most.
        assert!(codes.len() > 190, "{}", codes.len());
    }

    #[test]
    fn keys_parse_from_hex_or_base64_and_must_be_long_enough() {
        assert!(OtpKey::parse(&"0f".repeat(32)).is_ok());
        assert!(OtpKey::parse(&STANDARD_PAD_INDIFFERENT.encode([7u8; 32])).is_ok());
        assert!(OtpKey::parse(&URL_SAFE_PAD_INDIFFERENT.encode([0xfbu8; 40])).is_ok());
        assert_eq!(
            OtpKey::parse(&"0f".repeat(31)).err(),
            Some(OtpKeyError::TooShort)
        );
        assert_eq!(
            OtpKey::parse("not a key!").err(),
            Some(OtpKeyError::NotHexOrBase64)
        );
        assert_eq!(OtpKey::parse("").err(), Some(OtpKeyError::TooShort));
        assert_eq!(format!("{:?}", key()), "OtpKey(***)");
    }

    #[test]
    fn the_mac_binds_purpose_iin_and_chat() {
        let key = key();
        let a = iin("880101300123");
        let b = iin("900202400230");
        let mac = key.code_mac(CodePurpose::Registration, &a, 1, "123456");
        assert_eq!(mac.len(), 64);
        assert!(!mac.contains("123456"));
        let ok = |p, i: &Iin, chat, code| key.code_matches(&mac, p, i, chat, code);
        assert!(ok(CodePurpose::Registration, &a, 1, "123456"));
        assert!(!ok(CodePurpose::Recovery, &a, 1, "123456"));
        assert!(!ok(CodePurpose::SignIn, &a, 1, "123456"));
        assert!(!ok(CodePurpose::Registration, &b, 1, "123456"));
        assert!(!ok(CodePurpose::Registration, &a, 2, "123456"));
        assert!(!ok(CodePurpose::Registration, &a, 1, "123457"));
        assert!(!key.code_matches("zz", CodePurpose::Registration, &a, 1, "123456"));
        let other = OtpKey::parse(&"cd".repeat(32)).unwrap();
        assert!(!other.code_matches(&mac, CodePurpose::Registration, &a, 1, "123456"));
    }

    #[test]
    fn tags_are_keyed_and_stable() {
        let key = key();
        assert_eq!(
            key.tag("iin", "880101300123"),
            key.tag("iin", "880101300123")
        );
        assert_ne!(
            key.tag("iin", "880101300123"),
            key.tag("iin", "900202400230")
        );
        assert_ne!(key.tag("iin", "880101300123"), key.tag("x", "880101300123"));
        let other = OtpKey::parse(&"cd".repeat(32)).unwrap();
        assert_ne!(
            key.tag("iin", "880101300123"),
            other.tag("iin", "880101300123")
        );
        assert_eq!(key.tag("iin", "880101300123").len(), 32);
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(normalize_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalize_code("012345").as_deref(), Some("012345"));
        for bad in ["12345", "1234567", "12a456", "１２３４５６", ""] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_process_key_is_made_once() {
        let first = OtpKey::process_fallback().unwrap();
        let second = OtpKey::process_fallback().unwrap();
        let i = iin("880101300123");
        let mac = first.code_mac(CodePurpose::SignIn, &i, 5, "000000");
        assert!(second.code_matches(&mac, CodePurpose::SignIn, &i, 5, "000000"));
    }
}
