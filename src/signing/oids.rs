//! The object identifiers the verifiers look for, in one place.

use x509_cert::der::asn1::ObjectIdentifier;

const fn oid(dotted: &str) -> ObjectIdentifier {
    // Evaluated at compile time: a typo fails the build, never a run.
    ObjectIdentifier::new_unwrap(dotted)
}

// CMS (RFC 5652).
pub const SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
pub const DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
pub const CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
pub const MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");

// Algorithms.
pub const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
pub const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
pub const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
pub const SHA384_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
pub const SHA512_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");

// Names.
pub const COMMON_NAME: ObjectIdentifier = oid("2.5.4.3");
pub const SERIAL_NUMBER: ObjectIdentifier = oid("2.5.4.5");

// Extended key usages (eds.md, "Purpose").
pub const EKU_CLIENT_AUTH: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.2");
pub const EKU_EMAIL_PROTECTION: ObjectIdentifier = oid("1.3.6.1.5.5.7.3.4");

// Certificate extensions this code understands; any other marked critical is refused.
pub const EXT_SUBJECT_KEY_ID: ObjectIdentifier = oid("2.5.29.14");
pub const EXT_KEY_USAGE: ObjectIdentifier = oid("2.5.29.15");
pub const EXT_SUBJECT_ALT_NAME: ObjectIdentifier = oid("2.5.29.17");
pub const EXT_BASIC_CONSTRAINTS: ObjectIdentifier = oid("2.5.29.19");
pub const EXT_CRL_DISTRIBUTION_POINTS: ObjectIdentifier = oid("2.5.29.31");
pub const EXT_CERTIFICATE_POLICIES: ObjectIdentifier = oid("2.5.29.32");
pub const EXT_AUTHORITY_KEY_ID: ObjectIdentifier = oid("2.5.29.35");
pub const EXT_EXTENDED_KEY_USAGE: ObjectIdentifier = oid("2.5.29.37");
pub const EXT_AUTHORITY_INFO_ACCESS: ObjectIdentifier = oid("1.3.6.1.5.5.7.1.1");
