//! The built-in verifier: RSA CMS signatures checked in pure Rust against pinned roots.
//!
//! It covers the national CA's RSA-2048/SHA-256 keys; GOST signatures are
//! [`Refusal::Unsupported`] (NCANode verifies those). It does **no revocation check** — no
//! OCSP, no CRL, no network — so a revoked but unexpired certificate passes here and
//! [`Verified::revocation_checked`] is always `false`: production should use NCANode.

use async_trait::async_trait;
use x509_cert::Certificate;
use x509_cert::attr::Attributes;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Encode, Tag, Tagged};

use super::certificate::{self, check_purpose, critical_extensions_understood, valid_at};
use super::chain::path_to_root;
use super::envelope::Envelope;
use super::rsa_check::{HashAlg, SigFailure, rsa_key, verify_pkcs1};
use super::{
    Expected, Refusal, SignatureVerifier, TrustedRoots, Verified, VerifyError, normalize_cms, oids,
};

/// Verifies RSA CMS signatures against [`TrustedRoots`], without revocation checks.
#[derive(Debug, Clone)]
pub struct BuiltinVerifier {
    roots: TrustedRoots,
}

impl BuiltinVerifier {
    /// The value of [`Verified::verifier`] for signatures this verifier accepted.
    pub const NAME: &'static str = "built-in";

    pub fn new(roots: TrustedRoots) -> BuiltinVerifier {
        BuiltinVerifier { roots }
    }

    /// The checks on the CMS's DER bytes, in order: structure, content, algorithms, the
    /// signature, the chain to a pinned root, the dates along it, the key's purpose, the IIN.
    pub fn verify_der(&self, der: &[u8], expected: &Expected<'_>) -> Result<Verified, Refusal> {
        let envelope = Envelope::parse(der)?;
        envelope.check_content(expected.content)?;
        let signer_cert = envelope.signer_certificate()?;
        check_signature(&envelope, signer_cert, expected.content)?;

        let path = path_to_root(
            signer_cert,
            &envelope.certificates,
            self.roots.certificates(),
        )?;
        if !path.iter().all(|cert| valid_at(cert, expected.now)) {
            return Err(Refusal::Expired);
        }
        if !critical_extensions_understood(signer_cert) {
            return Err(Refusal::Unsupported);
        }
        check_purpose(signer_cert, expected.purpose)?;
        let iin = certificate::iin(signer_cert).ok_or(Refusal::IinMismatch)?;
        if &iin != expected.iin {
            return Err(Refusal::IinMismatch);
        }
        Ok(Verified {
            iin,
            common_name: certificate::common_name(signer_cert),
            serial: certificate::serial_hex(signer_cert),
            not_after: certificate::not_after(signer_cert).ok_or(Refusal::Malformed)?,
            verifier: Self::NAME,
            revocation_checked: false,
        })
    }
}

#[async_trait]
impl SignatureVerifier for BuiltinVerifier {
    async fn verify(&self, cms: &str, expected: &Expected<'_>) -> Result<Verified, VerifyError> {
        let der = normalize_cms(cms)?;
        Ok(self.verify_der(&der, expected)?)
    }
}

/// The signer's RSA key signed the content: directly, or through signed attributes whose
/// messageDigest is the content's SHA-256. SHA-256 only (SHA-1 and the rest are refused as
/// unsupported), PKCS#1 v1.5 only.
fn check_signature(
    envelope: &Envelope,
    signer_cert: &Certificate,
    expected_content: &[u8],
) -> Result<(), Refusal> {
    let signer = &envelope.signer;
    if signer.digest_alg.oid != oids::SHA256 {
        return Err(Refusal::Unsupported);
    }
    let algorithm = signer.signature_algorithm.oid;
    if algorithm != oids::RSA_ENCRYPTION && algorithm != oids::SHA256_WITH_RSA {
        return Err(Refusal::Unsupported);
    }
    let spki = signer_cert.tbs_certificate().subject_public_key_info();
    rsa_key(spki).map_err(|_| Refusal::Unsupported)?;

    let content = envelope.signed_content(expected_content);
    let signed_bytes = match &signer.signed_attrs {
        None => content.to_vec(),
        Some(attrs) => {
            let content_type = single_value(attrs, oids::CONTENT_TYPE, Tag::ObjectIdentifier)?;
            if content_type != envelope.content_type.as_bytes() {
                return Err(Refusal::BadSignature);
            }
            let digest = single_value(attrs, oids::MESSAGE_DIGEST, Tag::OctetString)?;
            if digest != HashAlg::Sha256.digest(content).as_slice() {
                // Detached, the content is ours: what was signed is something else. Attached,
                // the content was checked already: the CMS was tampered with.
                return Err(if envelope.is_detached() {
                    Refusal::ContentMismatch
                } else {
                    Refusal::BadSignature
                });
            }
            // RFC 5652 §5.4: the signature covers the DER of the attributes as a SET OF.
            attrs.to_der().map_err(|_| Refusal::Malformed)?
        }
    };
    verify_pkcs1(
        spki,
        HashAlg::Sha256,
        &signed_bytes,
        signer.signature.as_bytes(),
    )
    .map_err(|failure| match failure {
        SigFailure::Unsupported => Refusal::Unsupported,
        SigFailure::Invalid => Refusal::BadSignature,
    })
}

/// The value of the one attribute `oid`, which must have exactly one value of type `tag`.
fn single_value(attrs: &Attributes, oid: ObjectIdentifier, tag: Tag) -> Result<&[u8], Refusal> {
    let mut found = attrs.iter().filter(|attr| attr.oid == oid);
    let (Some(attr), None) = (found.next(), found.next()) else {
        return Err(Refusal::Malformed);
    };
    let mut values = attr.values.iter();
    match (values.next(), values.next()) {
        (Some(value), None) if value.tag() == tag => Ok(value.value()),
        _ => Err(Refusal::Malformed),
    }
}
