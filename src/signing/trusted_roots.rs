//! The pinned root certificates the built-in verifier trusts (`EDS_TRUSTED_ROOTS`).
//!
//! Read once at start-up; a file that cannot be read or holds anything but CA certificates
//! stops start-up with an error naming the key and the file, never a silent empty trust list.

use std::path::{Path, PathBuf};

use x509_cert::Certificate;
use x509_cert::der::Decode;

use super::certificate::can_issue;
use crate::config::ConfigError;

const KEY: &str = "EDS_TRUSTED_ROOTS";

/// CA certificates to end every chain at.
#[derive(Clone, Default)]
pub struct TrustedRoots {
    certificates: Vec<Certificate>,
}

impl std::fmt::Debug for TrustedRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedRoots")
            .field("count", &self.certificates.len())
            .finish()
    }
}

impl TrustedRoots {
    /// Certificates from one file's bytes: PEM (one or several `CERTIFICATE` blocks) or DER.
    /// Each must be a CA certificate allowed to sign certificates.
    pub fn from_bytes(bytes: &[u8]) -> Result<TrustedRoots, String> {
        let certificates = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            Certificate::load_pem_chain(bytes)
                .map_err(|e| format!("not a PEM certificate ({e})"))?
        } else {
            vec![Certificate::from_der(bytes).map_err(|e| format!("not a DER certificate ({e})"))?]
        };
        if certificates.is_empty() {
            return Err("no certificate in it".to_string());
        }
        if let Some(position) = certificates.iter().position(|c| !can_issue(c, 0)) {
            return Err(format!(
                "certificate {} is not a CA certificate (needs basicConstraints CA:true and keyCertSign)",
                position + 1
            ));
        }
        Ok(TrustedRoots { certificates })
    }

    /// Reads every file in `paths` (`EDS_TRUSTED_ROOTS`).
    pub fn load(paths: &[PathBuf]) -> Result<TrustedRoots, ConfigError> {
        let mut roots = TrustedRoots::default();
        for path in paths {
            roots.extend(read_file(path)?);
        }
        Ok(roots)
    }

    /// Adds `other`'s certificates.
    pub fn extend(&mut self, other: TrustedRoots) {
        for cert in other.certificates {
            if !self.certificates.contains(&cert) {
                self.certificates.push(cert);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    pub(crate) fn certificates(&self) -> &[Certificate] {
        &self.certificates
    }
}

fn read_file(path: &Path) -> Result<TrustedRoots, ConfigError> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| ConfigError {
        key: KEY,
        reason: format!("cannot read {shown} ({e})"),
    })?;
    TrustedRoots::from_bytes(&bytes).map_err(|reason| ConfigError {
        key: KEY,
        reason: format!("{shown}: {reason}"),
    })
}
