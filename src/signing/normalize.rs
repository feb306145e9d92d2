//! Turns what the signing page posts back into the CMS's DER bytes.
//!
//! NCALayer answers with one CMS string or, in version 1.4, a one-element JSON array of them;
//! each is bare base64 or PEM (`-----BEGIN CMS-----`), with line breaks anywhere (eds.md).
//! Everything else is [`Refusal::Malformed`].

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_PAD_INDIFFERENT, URL_SAFE_PAD_INDIFFERENT};

use super::Refusal;

/// More text than any document we issue signs to: refuse it before decoding anything.
pub const MAX_CMS_CHARS: usize = 4 * 1024 * 1024;

/// The DER bytes of the CMS in `input`. Accepts bare base64 (standard or URL-safe alphabet,
/// padding optional), PEM with any label, whitespace anywhere, and a JSON array holding exactly
/// one such string (or a JSON string). The result starts like a DER SEQUENCE; whether it is a
/// CMS is for the verifier to find out.
pub fn normalize_cms(input: &str) -> Result<Vec<u8>, Refusal> {
    if input.len() > MAX_CMS_CHARS {
        return Err(Refusal::Malformed);
    }
    let trimmed = input.trim();
    let unwrapped = if trimmed.starts_with('[') {
        let mut items: Vec<String> =
            serde_json::from_str(trimmed).map_err(|_| Refusal::Malformed)?;
        if items.len() != 1 {
            return Err(Refusal::Malformed);
        }
        items.pop().unwrap_or_default()
    } else if trimmed.starts_with('"') {
        serde_json::from_str::<String>(trimmed).map_err(|_| Refusal::Malformed)?
    } else {
        trimmed.to_string()
    };
    let body = strip_pem(&unwrapped)?;
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Refusal::Malformed);
    }
    let engine = if compact.contains(['-', '_']) {
        URL_SAFE_PAD_INDIFFERENT
    } else {
        STANDARD_PAD_INDIFFERENT
    };
    let der = engine.decode(compact).map_err(|_| Refusal::Malformed)?;
    // A CMS ContentInfo is a SEQUENCE.
    if der.first() != Some(&0x30) {
        return Err(Refusal::Malformed);
    }
    Ok(der)
}

/// The base64 between `-----BEGIN …-----` and `-----END …-----`, or the text itself when it
/// has no PEM armour. Armour that opens and does not close is malformed.
fn strip_pem(text: &str) -> Result<&str, Refusal> {
    let Some(begin) = text.find("-----BEGIN ") else {
        return Ok(text);
    };
    let after_begin = text.get(begin + "-----BEGIN ".len()..).unwrap_or_default();
    let label_end = after_begin.find("-----").ok_or(Refusal::Malformed)?;
    let body_and_rest = after_begin
        .get(label_end + "-----".len()..)
        .unwrap_or_default();
    let end = body_and_rest.find("-----END ").ok_or(Refusal::Malformed)?;
    Ok(body_and_rest.get(..end).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER SEQUENCE holding an OID: enough for the normaliser, which does not parse CMS.
    const DER: &[u8] = &[
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];

    fn b64() -> String {
        base64::engine::general_purpose::STANDARD.encode(DER)
    }

    #[test]
    fn bare_base64_is_decoded() {
        assert_eq!(normalize_cms(&b64()).unwrap(), DER);
        assert_eq!(normalize_cms(&format!("  {}\r\n", b64())).unwrap(), DER);
    }

    #[test]
    fn line_breaks_and_spaces_inside_are_ignored() {
        let text = b64();
        let (a, b) = text.split_at(7);
        assert_eq!(normalize_cms(&format!("{a}\r\n {b}")).unwrap(), DER);
    }

    #[test]
    fn missing_padding_and_the_url_safe_alphabet_are_accepted() {
        let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(DER);
        assert_eq!(normalize_cms(&unpadded).unwrap(), DER);
        let bytes = [0x30, 0x03, 0xfb, 0xff, 0xfe];
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(bytes);
        assert!(url_safe.contains(['-', '_']));
        assert_eq!(normalize_cms(&url_safe).unwrap(), bytes);
    }

    #[test]
    fn pem_is_unwrapped() {
        let pem = format!("-----BEGIN CMS-----\n{}\n-----END CMS-----\n", b64());
        assert_eq!(normalize_cms(&pem).unwrap(), DER);
        let pkcs7 = format!("-----BEGIN PKCS7-----\r\n{}\r\n-----END PKCS7-----", b64());
        assert_eq!(normalize_cms(&pkcs7).unwrap(), DER);
    }

    #[test]
    fn a_one_element_json_array_is_unwrapped() {
        assert_eq!(normalize_cms(&format!("[\"{}\"]", b64())).unwrap(), DER);
        let pem = format!("-----BEGIN CMS-----\n{}\n-----END CMS-----", b64());
        let array = serde_json::to_string(&vec![pem]).unwrap();
        assert!(array.contains("\\n"));
        assert_eq!(normalize_cms(&array).unwrap(), DER);
        assert_eq!(normalize_cms(&format!("\"{}\"", b64())).unwrap(), DER);
    }

    #[test]
    fn arrays_of_other_sizes_are_malformed() {
        assert_eq!(normalize_cms("[]"), Err(Refusal::Malformed));
        let two = format!("[\"{0}\",\"{0}\"]", b64());
        assert_eq!(normalize_cms(&two), Err(Refusal::Malformed));
        assert_eq!(normalize_cms("[[\"MAA=\"]]"), Err(Refusal::Malformed));
        assert_eq!(normalize_cms("[1]"), Err(Refusal::Malformed));
    }

    #[test]
    fn garbage_is_malformed() {
        for input in [
            "",
            "   ",
            "not base64 at all!",
            "////",
            "aGVsbG8=",
            "-----BEGIN CMS-----\nMAA=",
            "-----BEGIN CMS",
            "{\"cms\":\"MAA=\"}",
            "[\"unterminated",
        ] {
            assert_eq!(normalize_cms(input), Err(Refusal::Malformed), "{input:?}");
        }
    }

    #[test]
    fn oversized_input_is_refused_before_decoding() {
        let huge = "A".repeat(MAX_CMS_CHARS + 1);
        assert_eq!(normalize_cms(&huge), Err(Refusal::Malformed));
    }
}
