//! RSA PKCS#1 v1.5 signature checks: the only algorithm the built-in verifier supports.
//!
//! GOST keys and signatures (most of the national CA's certificates) are
//! [`SigFailure::Unsupported`] here; NCANode handles them.

use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, PublicKey as RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::der::Encode;
use x509_cert::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::oids;

/// Keys shorter than this are refused as unsupported (the national CA issues RSA-2048).
const MIN_RSA_BITS: usize = 2048;

/// Why a signature check did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SigFailure {
    /// The key or algorithm is not RSA with SHA-2 (e.g. GOST), or the key is too short.
    Unsupported,
    /// The signature does not match.
    Invalid,
}

/// The digests a signature may be made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => Sha256::digest(message).to_vec(),
            HashAlg::Sha384 => Sha384::digest(message).to_vec(),
            HashAlg::Sha512 => Sha512::digest(message).to_vec(),
        }
    }

    fn scheme(self) -> Pkcs1v15Sign {
        match self {
            HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            HashAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

/// The digest of a certificate's `signatureAlgorithm` (`sha{256,384,512}WithRSAEncryption`).
pub(crate) fn certificate_hash(
    algorithm: &AlgorithmIdentifierOwned,
) -> Result<HashAlg, SigFailure> {
    match algorithm.oid {
        oid if oid == oids::SHA256_WITH_RSA => Ok(HashAlg::Sha256),
        oid if oid == oids::SHA384_WITH_RSA => Ok(HashAlg::Sha384),
        oid if oid == oids::SHA512_WITH_RSA => Ok(HashAlg::Sha512),
        _ => Err(SigFailure::Unsupported),
    }
}

/// The RSA key in a certificate, if it is one we accept.
pub(crate) fn rsa_key(spki: &SubjectPublicKeyInfoOwned) -> Result<RsaPublicKey, SigFailure> {
    if spki.algorithm.oid != oids::RSA_ENCRYPTION {
        return Err(SigFailure::Unsupported);
    }
    let der = spki.to_der().map_err(|_| SigFailure::Unsupported)?;
    let key = RsaPublicKey::from_public_key_der(&der).map_err(|_| SigFailure::Unsupported)?;
    if key.size() * 8 < MIN_RSA_BITS {
        return Err(SigFailure::Unsupported);
    }
    Ok(key)
}

/// Checks an RSA PKCS#1 v1.5 `signature` over `message` hashed with `hash`.
pub(crate) fn verify_pkcs1(
    spki: &SubjectPublicKeyInfoOwned,
    hash: HashAlg,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SigFailure> {
    let key = rsa_key(spki)?;
    key.verify(hash.scheme(), &hash.digest(message), signature)
        .map_err(|_| SigFailure::Invalid)
}
