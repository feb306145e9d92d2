//! What one X.509 certificate says: the holder's IIN and name, its dates, what its key may be
//! used for. Pure functions over RustCrypto's `x509-cert` types, shared by both verifiers.

use chrono::{DateTime, Utc};
use x509_cert::Certificate;
use x509_cert::der::{Any, Tag, Tagged};
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};
use x509_cert::name::Name;
use x509_cert::time::Time;

use super::{Purpose, Refusal, oids};
use crate::domain::Iin;

/// The prefix of an individual's IIN in the subject's serialNumber (`SERIALNUMBER=IIN…`).
const IIN_PREFIX: &str = "IIN";

/// The subject's IIN, from the serialNumber attribute (2.5.4.5) with the `IIN` prefix — never
/// from the CN. `None` when there is none, or when two such attributes disagree.
pub(crate) fn iin(cert: &Certificate) -> Option<Iin> {
    let mut found: Option<Iin> = None;
    for atav in cert.tbs_certificate().subject().iter() {
        if atav.oid != oids::SERIAL_NUMBER {
            continue;
        }
        let Some(text) = directory_text(&atav.value) else {
            continue;
        };
        let Some(digits) = text.strip_prefix(IIN_PREFIX) else {
            continue;
        };
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let parsed = Iin::parse(digits).ok()?;
        match &found {
            Some(earlier) if *earlier != parsed => return None,
            _ => found = Some(parsed),
        }
    }
    found
}

/// The subject's CN, or an empty string when it has none.
pub(crate) fn common_name(cert: &Certificate) -> String {
    first_text(cert.tbs_certificate().subject(), oids::COMMON_NAME).unwrap_or_default()
}

/// The serial number as upper-case hex without the sign byte.
pub(crate) fn serial_hex(cert: &Certificate) -> String {
    let bytes = cert.tbs_certificate().serial_number().as_bytes();
    let significant = match bytes {
        [0, rest @ ..] if !rest.is_empty() => rest,
        all => all,
    };
    hex::encode_upper(significant)
}

pub(crate) fn not_after(cert: &Certificate) -> Option<DateTime<Utc>> {
    to_utc(cert.tbs_certificate().validity().not_after)
}

/// Whether `now` falls within the certificate's validity period.
pub(crate) fn valid_at(cert: &Certificate, now: DateTime<Utc>) -> bool {
    let validity = cert.tbs_certificate().validity();
    match (to_utc(validity.not_before), to_utc(validity.not_after)) {
        (Some(from), Some(until)) => from <= now && now <= until,
        _ => false,
    }
}

/// The key may make a signature for `purpose` (eds.md's table): KeyUsage and
/// ExtendedKeyUsage must both be present and name the purpose; a CA key never qualifies, nor
/// does "any extended key usage".
pub(crate) fn check_purpose(cert: &Certificate, purpose: Purpose) -> Result<(), Refusal> {
    let tbs = cert.tbs_certificate();
    let constraints = tbs
        .get_extension::<BasicConstraints>()
        .map_err(|_| Refusal::Malformed)?;
    if constraints.is_some_and(|(_, bc)| bc.ca) {
        return Err(Refusal::WrongPurpose);
    }
    let Some((_, usage)) = tbs
        .get_extension::<KeyUsage>()
        .map_err(|_| Refusal::Malformed)?
    else {
        return Err(Refusal::WrongPurpose);
    };
    let Some((_, extended)) = tbs
        .get_extension::<ExtendedKeyUsage>()
        .map_err(|_| Refusal::Malformed)?
    else {
        return Err(Refusal::WrongPurpose);
    };
    let fits = match purpose {
        Purpose::Document => {
            usage.digital_signature()
                && usage.non_repudiation()
                && extended.0.contains(&oids::EKU_EMAIL_PROTECTION)
        }
        Purpose::SignIn => usage.digital_signature() && extended.0.contains(&oids::EKU_CLIENT_AUTH),
    };
    if fits {
        Ok(())
    } else {
        Err(Refusal::WrongPurpose)
    }
}

/// The certificate may issue certificates with `intermediates_below` CA certificates between
/// it and the end entity: basicConstraints CA:true (within its pathLenConstraint) and
/// KeyUsage keyCertSign.
pub(crate) fn can_issue(cert: &Certificate, intermediates_below: usize) -> bool {
    let tbs = cert.tbs_certificate();
    let ca = match tbs.get_extension::<BasicConstraints>() {
        Ok(Some((_, bc))) => {
            bc.ca
                && bc
                    .path_len_constraint
                    .is_none_or(|max| intermediates_below <= usize::from(max))
        }
        _ => false,
    };
    let signs_certificates = matches!(
        tbs.get_extension::<KeyUsage>(),
        Ok(Some((_, usage))) if usage.key_cert_sign()
    );
    ca && signs_certificates
}

/// Every extension marked critical is one this code understands (RFC 5280 §4.2: a
/// certificate with an unknown critical extension must be refused).
pub(crate) fn critical_extensions_understood(cert: &Certificate) -> bool {
    const UNDERSTOOD: [x509_cert::der::asn1::ObjectIdentifier; 9] = [
        oids::EXT_SUBJECT_KEY_ID,
        oids::EXT_KEY_USAGE,
        oids::EXT_SUBJECT_ALT_NAME,
        oids::EXT_BASIC_CONSTRAINTS,
        oids::EXT_CRL_DISTRIBUTION_POINTS,
        oids::EXT_CERTIFICATE_POLICIES,
        oids::EXT_AUTHORITY_KEY_ID,
        oids::EXT_EXTENDED_KEY_USAGE,
        oids::EXT_AUTHORITY_INFO_ACCESS,
    ];
    cert.tbs_certificate()
        .extensions()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|ext| ext.critical)
        .all(|ext| UNDERSTOOD.contains(&ext.extn_id))
}

fn first_text(name: &Name, oid: x509_cert::der::asn1::ObjectIdentifier) -> Option<String> {
    name.iter()
        .filter(|atav| atav.oid == oid)
        .find_map(|atav| directory_text(&atav.value))
        .map(str::to_string)
}

/// The text of a name attribute in any of the string types CAs use for it.
fn directory_text(value: &Any) -> Option<&str> {
    match value.tag() {
        Tag::PrintableString | Tag::Utf8String | Tag::Ia5String | Tag::TeletexString => {
            std::str::from_utf8(value.value()).ok()
        }
        _ => None,
    }
}

fn to_utc(time: Time) -> Option<DateTime<Utc>> {
    let since_epoch = time.to_unix_duration();
    let seconds = i64::try_from(since_epoch.as_secs()).ok()?;
    DateTime::from_timestamp(seconds, since_epoch.subsec_nanos())
}
