//! Building the path from a signer certificate up to a pinned root.
//!
//! Only the configured roots are trusted. Intermediates may come from the CMS's own
//! certificate set, but every link's signature is checked with the issuer's key and every
//! issuer must be a CA allowed to sign certificates, so a CMS that carries its own "root"
//! (what fake-NCALayer tools do) gets nowhere unless that root is one we pinned.

use std::collections::HashMap;

use x509_cert::Certificate;
use x509_cert::der::Encode;

use super::Refusal;
use super::certificate::{can_issue, critical_extensions_understood};
use super::rsa_check::{SigFailure, certificate_hash, verify_pkcs1};

/// Intermediate CAs between a signer and a root; the national CA uses one.
const MAX_INTERMEDIATES: usize = 4;

/// The path `[leaf, intermediates…, root]` from `leaf` to one of `roots`, using `pool` (the
/// CMS's certificates) for intermediates. Dates are not looked at here (the caller checks
/// them on the path found). No path: [`Refusal::UntrustedChain`], or
/// [`Refusal::Unsupported`] when a link could not be checked for its algorithm (GOST).
pub(crate) fn path_to_root<'a>(
    leaf: &'a Certificate,
    pool: &'a [Certificate],
    roots: &'a [Certificate],
) -> Result<Vec<&'a Certificate>, Refusal> {
    let mut search = Search {
        pool,
        roots,
        checked: HashMap::new(),
        saw_unsupported: false,
    };
    let mut path = vec![leaf];
    if search.extend(&mut path) {
        Ok(path)
    } else if search.saw_unsupported {
        Err(Refusal::Unsupported)
    } else {
        Err(Refusal::UntrustedChain)
    }
}

struct Search<'a> {
    pool: &'a [Certificate],
    roots: &'a [Certificate],
    /// Link checks already made, by (child, issuer) address: each signature is checked once
    /// however the search turns.
    checked: HashMap<(usize, usize), bool>,
    saw_unsupported: bool,
}

impl<'a> Search<'a> {
    /// Depth-first: a pinned root that issued the last certificate ends the path; otherwise
    /// each intermediate that issued it is tried in turn.
    fn extend(&mut self, path: &mut Vec<&'a Certificate>) -> bool {
        let Some(&current) = path.last() else {
            return false;
        };
        let below = path.len() - 1;
        let roots = self.roots;
        for root in roots {
            if self.links(current, root, below) {
                path.push(root);
                return true;
            }
        }
        if below >= MAX_INTERMEDIATES {
            return false;
        }
        let pool = self.pool;
        for candidate in pool {
            let already_in_path = path
                .iter()
                .any(|c| std::ptr::eq(*c, candidate) || *c == candidate);
            if already_in_path || !self.links(current, candidate, below) {
                continue;
            }
            path.push(candidate);
            if self.extend(path) {
                return true;
            }
            path.pop();
        }
        false
    }

    /// `issuer` issued `child`: names match, `issuer` is a CA that may have `below`
    /// intermediates under it, and its key verifies `child`'s signature.
    fn links(&mut self, child: &Certificate, issuer: &Certificate, below: usize) -> bool {
        if child.tbs_certificate().issuer() != issuer.tbs_certificate().subject()
            || !can_issue(issuer, below)
            || !critical_extensions_understood(issuer)
        {
            return false;
        }
        let key = (
            child as *const Certificate as usize,
            issuer as *const Certificate as usize,
        );
        if let Some(known) = self.checked.get(&key) {
            return *known;
        }
        let outcome = match signed_by(child, issuer) {
            Ok(()) => true,
            Err(SigFailure::Unsupported) => {
                self.saw_unsupported = true;
                false
            }
            Err(SigFailure::Invalid) => false,
        };
        self.checked.insert(key, outcome);
        outcome
    }
}

/// `issuer`'s key made `child`'s signature.
pub(crate) fn signed_by(child: &Certificate, issuer: &Certificate) -> Result<(), SigFailure> {
    // The algorithm inside the signed part must be the one the signature claims (RFC 5280).
    if child.tbs_certificate().signature() != child.signature_algorithm() {
        return Err(SigFailure::Invalid);
    }
    let hash = certificate_hash(child.signature_algorithm())?;
    let signed = child
        .tbs_certificate()
        .to_der()
        .map_err(|_| SigFailure::Invalid)?;
    let signature = child.signature().as_bytes().ok_or(SigFailure::Invalid)?;
    verify_pkcs1(
        issuer.tbs_certificate().subject_public_key_info(),
        hash,
        &signed,
        signature,
    )
}
