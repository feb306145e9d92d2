//! The NCANode 3.x client: `POST {NCANODE_URL}/cms/verify`.
//!
//! NCANode checks the signature, the chain to the roots it is configured with, and revocation
//! — but only when asked (`revocationCheck`), so every request asks. It does not compare the
//! signed content with what we issued, does not check the key's purpose beyond SIGN/AUTH and
//! does not know the session's IIN (eds.md): those checks are made here, on our own parse of
//! the same CMS, before and after the call.
//!
//! NCANode down, slow, or answering with a server error is [`VerifyError::Unavailable`]: the
//! user tries again later and nothing is spent.

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::certificate::{self, check_purpose, valid_at};
use super::envelope::Envelope;
use super::{Expected, Purpose, Refusal, SignatureVerifier, Verified, VerifyError, normalize_cms};
use crate::config::EdsRevocation;

/// Verifies CMS signatures through an NCANode 3.x server.
#[derive(Debug, Clone)]
pub struct NcaNodeVerifier {
    client: reqwest::Client,
    endpoint: Url,
    revocation: EdsRevocation,
}

impl NcaNodeVerifier {
    /// The value of [`Verified::verifier`] for signatures this verifier accepted.
    pub const NAME: &'static str = "ncanode";

    /// `base` is NCANode's root (`http://ncanode:14579`); `timeout` bounds each request from
    /// connecting to the last byte; `revocation` is what NCANode is asked to check.
    pub fn new(
        base: &Url,
        timeout: Duration,
        revocation: EdsRevocation,
    ) -> Result<NcaNodeVerifier, String> {
        let mut endpoint = base.clone();
        endpoint
            .path_segments_mut()
            .map_err(|_| "not a base URL".to_string())?
            .pop_if_empty()
            .push("cms")
            .push("verify");
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|_| "the HTTP client could not be initialised".to_string())?;
        Ok(NcaNodeVerifier {
            client,
            endpoint,
            revocation,
        })
    }

    /// The full URL requests go to.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    async fn ask(&self, request: &VerifyRequest) -> Result<VerifyAnswer, VerifyError> {
        let response = self
            .client
            .post(self.endpoint.clone())
            .json(request)
            .send()
            .await
            .map_err(|e| unavailable(describe(&e)))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(unavailable(format!("HTTP {}", status.as_u16())));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| unavailable(describe(&e)))?;
        let answer: VerifyAnswer = serde_json::from_slice(&body)
            .map_err(|_| unavailable(format!("unreadable answer (HTTP {})", status.as_u16())))?;
        let reported = answer.status.unwrap_or(status.as_u16());
        if !status.is_success() || reported != 200 {
            return Err(status_error(reported.max(status.as_u16())));
        }
        Ok(answer)
    }
}

#[async_trait]
impl SignatureVerifier for NcaNodeVerifier {
    async fn verify(&self, cms: &str, expected: &Expected<'_>) -> Result<Verified, VerifyError> {
        let der = normalize_cms(cms)?;
        let envelope = Envelope::parse(&der)?;
        envelope.check_content(expected.content)?;
        let signer_cert = envelope.signer_certificate()?;

        let request = VerifyRequest {
            cms: STANDARD.encode(&der),
            revocation_check: match self.revocation {
                EdsRevocation::Ocsp => vec!["OCSP"],
                EdsRevocation::Crl => vec!["CRL"],
                EdsRevocation::None => Vec::new(),
            },
            data: envelope
                .is_detached()
                .then(|| STANDARD.encode(expected.content)),
        };
        let answer = self.ask(&request).await?;
        let locally_current = valid_at(signer_cert, expected.now);
        let revocation_checked = judge(&answer, expected, self.revocation, locally_current)?;

        // Our own checks on the same certificate NCANode found valid.
        if !locally_current {
            return Err(Refusal::Expired.into());
        }
        check_purpose(signer_cert, expected.purpose)?;
        let iin = certificate::iin(signer_cert).ok_or(Refusal::IinMismatch)?;
        if &iin != expected.iin {
            return Err(Refusal::IinMismatch.into());
        }
        Ok(Verified {
            iin,
            common_name: certificate::common_name(signer_cert),
            serial: certificate::serial_hex(signer_cert),
            not_after: certificate::not_after(signer_cert).ok_or(Refusal::Malformed)?,
            verifier: Self::NAME,
            revocation_checked,
        })
    }
}

/// Reads NCANode's verdict. `Ok(revocation_checked)` when it found the signature valid, the
/// signer's key fit for the purpose and the IIN the expected one.
fn judge(
    answer: &VerifyAnswer,
    expected: &Expected<'_>,
    revocation: EdsRevocation,
    locally_current: bool,
) -> Result<bool, VerifyError> {
    let [signer] = answer.signers.as_slice() else {
        return Err(if answer.valid == Some(true) {
            unavailable("the answer does not list exactly one signer".to_string())
        } else {
            Refusal::BadSignature.into()
        });
    };
    let certificates = signer.certificates();
    if certificates
        .iter()
        .flat_map(|c| &c.revocations)
        .any(|r| r.revoked == Some(true))
    {
        return Err(Refusal::Revoked.into());
    }
    let any_invalid = certificates.iter().any(|c| c.valid == Some(false));
    if answer.valid != Some(true) || any_invalid {
        let out_of_dates =
            !locally_current || certificates.iter().any(|c| c.dates_exclude(expected.now));
        return Err(if out_of_dates {
            Refusal::Expired
        } else if any_invalid {
            Refusal::UntrustedChain
        } else {
            Refusal::BadSignature
        }
        .into());
    }
    // The signer's own certificate is the one naming a person; CA certificates have no IIN.
    let Some(own) = certificates
        .iter()
        .find(|c| c.subject.as_ref().is_some_and(|s| s.iin.is_some()))
        .or(certificates.first())
    else {
        return Err(unavailable("the answer lists no certificate".to_string()));
    };
    let wanted_usage = match expected.purpose {
        Purpose::Document => "SIGN",
        Purpose::SignIn => "AUTH",
    };
    if !own
        .key_usage
        .as_deref()
        .is_some_and(|usage| usage.eq_ignore_ascii_case(wanted_usage))
    {
        return Err(Refusal::WrongPurpose.into());
    }
    let their_iin = own.subject.as_ref().and_then(|s| s.iin.as_deref());
    if their_iin != Some(expected.iin.as_str()) {
        return Err(Refusal::IinMismatch.into());
    }
    if revocation == EdsRevocation::None {
        return Ok(false);
    }
    if own.revocations.iter().any(|r| r.revoked == Some(false)) {
        Ok(true)
    } else {
        // Asked and not answered (the OCSP responder may be down): decide nothing.
        Err(unavailable(
            "no revocation status for the signer certificate".to_string(),
        ))
    }
}

fn unavailable(reason: String) -> VerifyError {
    VerifyError::Unavailable(format!("NCANode: {reason}"))
}

/// NCANode's own error statuses: 400 means it could not read the CMS we parsed; anything else
/// is its (or its configuration's) trouble.
fn status_error(status: u16) -> VerifyError {
    match status {
        400 | 422 => Refusal::Malformed.into(),
        other => unavailable(format!("status {other}")),
    }
}

/// A reqwest error without its URL (which is only configuration, but keeps log lines short).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".to_string()
    } else if error.is_connect() {
        "cannot connect".to_string()
    } else {
        "request failed".to_string()
    }
}

#[derive(Debug, Serialize)]
struct VerifyRequest {
    cms: String,
    /// Always sent: without it NCANode checks no revocation at all.
    #[serde(rename = "revocationCheck")]
    revocation_check: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<String>,
}

/// NCANode's answer; every field optional so a missing one is judged, never a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VerifyAnswer {
    status: Option<u16>,
    valid: Option<bool>,
    signers: Vec<SignerAnswer>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignerAnswer {
    /// The name in NCANode's Java code.
    certificates: Vec<CertificateAnswer>,
    /// The name in its OpenAPI file (eds.md): accepted too.
    signers: Vec<CertificateAnswer>,
}

impl SignerAnswer {
    fn certificates(&self) -> &[CertificateAnswer] {
        if self.certificates.is_empty() {
            &self.signers
        } else {
            &self.certificates
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct CertificateAnswer {
    valid: Option<bool>,
    revocations: Vec<RevocationAnswer>,
    not_before: Option<String>,
    not_after: Option<String>,
    key_usage: Option<String>,
    subject: Option<SubjectAnswer>,
}

impl CertificateAnswer {
    /// The reported validity period is readable and leaves `now` out.
    fn dates_exclude(&self, now: DateTime<Utc>) -> bool {
        let before = self.not_before.as_deref().and_then(parse_time);
        let after = self.not_after.as_deref().and_then(parse_time);
        before.is_some_and(|from| now < from) || after.is_some_and(|until| now > until)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RevocationAnswer {
    revoked: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SubjectAnswer {
    iin: Option<String>,
}

/// NCANode's dates: ISO 8601 with an offset (`2025-01-31T10:00:00.000+05:00`), or without one
/// (taken as UTC).
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_keeps_a_base_path() {
        let at = |base: &str| {
            NcaNodeVerifier::new(
                &Url::parse(base).unwrap(),
                Duration::from_secs(1),
                EdsRevocation::Ocsp,
            )
            .unwrap()
            .endpoint()
            .to_string()
        };
        assert_eq!(
            at("http://ncanode:14579"),
            "http://ncanode:14579/cms/verify"
        );
        assert_eq!(at("http://h/ncanode/"), "http://h/ncanode/cms/verify");
        assert_eq!(at("http://h/ncanode"), "http://h/ncanode/cms/verify");
    }

    #[test]
    fn dates_in_the_shapes_ncanode_writes_are_read() {
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            parse_time("2025-01-31T10:00:00.000+05:00"),
            Some(utc("2025-01-31T05:00:00Z"))
        );
        assert_eq!(
            parse_time("2025-01-31T10:00:00.000+0500"),
            Some(utc("2025-01-31T05:00:00Z"))
        );
        assert_eq!(
            parse_time("2025-01-31T10:00:00"),
            Some(utc("2025-01-31T10:00:00Z"))
        );
        assert_eq!(parse_time("31.01.2025"), None);
    }

    #[test]
    fn the_request_always_names_revocation_checks() {
        let request = VerifyRequest {
            cms: "MAA=".to_string(),
            revocation_check: Vec::new(),
            data: None,
        };
        let json = serde_json::to_value(&request).unwrap();
        assert_eq!(json["revocationCheck"], serde_json::json!([]));
        assert!(json.get("data").is_none());
    }
}
