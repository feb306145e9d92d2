//! Verification of EDS (ЭЦП / ЭЦҚ) signatures posted back by the signing page.
//!
//! The page asks NCALayer to sign the exact bytes we issued (a document, or a sign-in nonce)
//! and posts the CMS back; a [`SignatureVerifier`] decides whether that CMS proves that the
//! depositor with the session's IIN signed those bytes with the right kind of key. Two
//! verifiers share the same checks (eds.md, "What the server must check"):
//!
//! - [`NcaNodeVerifier`]: the NCANode 3.x sidecar checks the signature, the chain and
//!   revocation (RSA and GOST); we add what it does not check — the content, the key's
//!   purpose, the dates and the IIN.
//! - [`BuiltinVerifier`]: pure Rust, RSA with SHA-256 only, against pinned root certificates
//!   from configuration; no revocation check (no network).
//!
//! [`from_config`] picks one: NCANode when `NCANODE_URL` is set, else the built-in verifier.

mod builtin;
mod certificate;
mod chain;
mod envelope;
mod ncanode;
mod normalize;
mod oids;
mod rsa_check;
mod trusted_roots;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::config::{Config, ConfigError, EdsRevocation};
use crate::domain::Iin;

pub use builtin::BuiltinVerifier;
pub use ncanode::NcaNodeVerifier;
pub use normalize::normalize_cms;
pub use trusted_roots::TrustedRoots;

/// What the signature is for; it decides which kind of key may make it (eds.md, "Purpose").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A document (an application): the signing key — KeyUsage digitalSignature and
    /// nonRepudiation, ExtendedKeyUsage 1.3.6.1.5.5.7.3.4.
    Document,
    /// A sign-in nonce: the authentication key — KeyUsage digitalSignature,
    /// ExtendedKeyUsage 1.3.6.1.5.5.7.3.2 (client authentication).
    SignIn,
}

/// What we expect the signature to prove.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The exact bytes we issued: the document or the sign-in nonce.
    pub content: &'a [u8],
    /// The session's IIN; the signer certificate's IIN must equal it.
    pub iin: &'a Iin,
    pub purpose: Purpose,
    /// The moment the certificates must be valid at (the caller's clock, so tests can move it).
    pub now: DateTime<Utc>,
}

/// A signature that passed every check.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    /// From the signer certificate's `SERIALNUMBER=IIN…`; equals [`Expected::iin`].
    pub iin: Iin,
    /// The signer certificate's CN (`SURNAME NAME`). Personal data: `Debug` hides it.
    pub common_name: String,
    /// The signer certificate's serial number, upper-case hex.
    pub serial: String,
    /// When the signer certificate expires.
    pub not_after: DateTime<Utc>,
    /// [`BuiltinVerifier::NAME`] or [`NcaNodeVerifier::NAME`].
    pub verifier: &'static str,
    /// Whether the certificates were checked against OCSP or a CRL (NCANode only).
    pub revocation_checked: bool,
}

impl fmt::Debug for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("iin", &self.iin)
            .field("common_name", &"<hidden>")
            .field("serial", &self.serial)
            .field("not_after", &self.not_after)
            .field("verifier", &self.verifier)
            .field("revocation_checked", &self.revocation_checked)
            .finish()
    }
}

/// Why a signature is refused. Each variant gets its own translated message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Refusal {
    #[error("the signature is not a readable CMS")]
    Malformed,
    #[error("the signed content is not the one we issued")]
    ContentMismatch,
    #[error("the certificate does not chain to a trusted root")]
    UntrustedChain,
    #[error("the key is not meant for this purpose")]
    WrongPurpose,
    #[error("a certificate is expired or not yet valid")]
    Expired,
    #[error("the certificate is revoked")]
    Revoked,
    #[error("the certificate belongs to another IIN")]
    IinMismatch,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the signature's algorithm is not supported by this verifier")]
    Unsupported,
}

impl Refusal {
    /// A stable name for logs, metrics and message keys (`eds-refused-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Malformed => "malformed",
            Refusal::ContentMismatch => "content-mismatch",
            Refusal::UntrustedChain => "untrusted-chain",
            Refusal::WrongPurpose => "wrong-purpose",
            Refusal::Expired => "expired",
            Refusal::Revoked => "revoked",
            Refusal::IinMismatch => "iin-mismatch",
            Refusal::BadSignature => "bad-signature",
            Refusal::Unsupported => "unsupported",
        }
    }
}

/// The outcome of a verification that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The signature is refused for good: tell the user why.
    #[error("signature refused: {0}")]
    Refused(#[from] Refusal),
    /// The verifier could not decide (NCANode down, slow or confused): tell the user to try
    /// again later and spend nothing (no token, no attempt). The text is for the log only and
    /// holds no personal data.
    #[error("signature verifier unavailable: {0}")]
    Unavailable(String),
}

/// Checks a CMS posted back by the signing page against what we issued.
#[async_trait]
pub trait SignatureVerifier: Send + Sync {
    /// `cms` is the page's text as NCALayer gave it: base64 DER, PEM, or a one-element JSON
    /// array of either (see [`normalize_cms`]).
    async fn verify(&self, cms: &str, expected: &Expected<'_>) -> Result<Verified, VerifyError>;
}

/// The verifier the configuration asks for: NCANode when `NCANODE_URL` is set, else the
/// built-in one with the roots in `EDS_TRUSTED_ROOTS` (required then: a verifier trusting no
/// root would refuse every signature, which is a configuration mistake, not a state to run in).
pub fn from_config(config: &Config) -> Result<Arc<dyn SignatureVerifier>, ConfigError> {
    if let Some(url) = &config.ncanode_url {
        let verifier = NcaNodeVerifier::new(url, config.ncanode_timeout, config.eds_revocation)
            .map_err(|reason| ConfigError {
                key: "NCANODE_URL",
                reason,
            })?;
        if config.eds_revocation == EdsRevocation::None {
            tracing::warn!("EDS_REVOCATION=none: NCANode checks no revocation (test stands only)");
        }
        return Ok(Arc::new(verifier));
    }
    if config.eds_trusted_roots.is_empty() {
        return Err(ConfigError {
            key: "EDS_TRUSTED_ROOTS",
            reason:
                "required when NCANODE_URL is unset (paths of the trusted root CA certificates)"
                    .to_string(),
        });
    }
    let roots = TrustedRoots::load(&config.eds_trusted_roots)?;
    tracing::info!(
        roots = roots.len(),
        "EDS signatures: built-in verifier (RSA only, no revocation check)"
    );
    Ok(Arc::new(BuiltinVerifier::new(roots)))
}
