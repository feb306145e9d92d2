//! Reading a CMS SignedData (RFC 5652) as NCALayer makes it: one signer, the content
//! encapsulated (`encapsulate: true`) or detached, the signer's certificate in the set.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode, Tag, Tagged};
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::{Refusal, oids};

/// More certificates than a signer, its CAs and a spare: refuse before searching paths.
const MAX_CERTIFICATES: usize = 8;

/// The parts of a SignedData the verifiers look at.
pub(crate) struct Envelope {
    pub(crate) signer: SignerInfo,
    /// The eContentType (id-data for NCALayer).
    pub(crate) content_type: x509_cert::der::asn1::ObjectIdentifier,
    /// The encapsulated content; `None` for a detached signature.
    pub(crate) encapsulated: Option<Vec<u8>>,
    /// The CMS's certificate set (certificates only; attribute certificates are ignored).
    pub(crate) certificates: Vec<Certificate>,
}

impl Envelope {
    /// Parses DER (or BER, which some signers emit) into the one signer's view.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Envelope, Refusal> {
        let info = ContentInfo::from_der(bytes)
            .or_else(|_| ContentInfo::from_ber(bytes))
            .map_err(|_| Refusal::Malformed)?;
        if info.content_type != oids::SIGNED_DATA {
            return Err(Refusal::Malformed);
        }
        let inner = info.content.to_der().map_err(|_| Refusal::Malformed)?;
        let signed = SignedData::from_der(&inner)
            .or_else(|_| SignedData::from_ber(&inner))
            .map_err(|_| Refusal::Malformed)?;

        let mut signers = signed.signer_infos.0.iter();
        let (Some(signer), None) = (signers.next(), signers.next()) else {
            return Err(Refusal::Malformed);
        };
        let encap = &signed.encap_content_info;
        let encapsulated = match &encap.econtent {
            None => None,
            Some(any) if any.tag() == Tag::OctetString => Some(any.value().to_vec()),
            Some(_) => return Err(Refusal::Malformed),
        };
        let certificates: Vec<Certificate> = signed
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|choice| match choice {
                CertificateChoices::Certificate(cert) => Some(cert.clone()),
                _ => None,
            })
            .collect();
        if certificates.len() > MAX_CERTIFICATES {
            return Err(Refusal::Malformed);
        }
        Ok(Envelope {
            signer: signer.clone(),
            content_type: encap.econtent_type,
            encapsulated,
            certificates,
        })
    }

    pub(crate) fn is_detached(&self) -> bool {
        self.encapsulated.is_none()
    }

    /// The encapsulated content is, byte for byte, what we issued. A detached signature has
    /// nothing to compare here: it is checked over `expected` itself.
    pub(crate) fn check_content(&self, expected: &[u8]) -> Result<(), Refusal> {
        if self.content_type != oids::DATA {
            return Err(Refusal::Malformed);
        }
        match &self.encapsulated {
            Some(content) if content.as_slice() != expected => Err(Refusal::ContentMismatch),
            _ => Ok(()),
        }
    }

    /// The bytes the signature covers: the encapsulated content, or `expected` when detached.
    pub(crate) fn signed_content<'a>(&'a self, expected: &'a [u8]) -> &'a [u8] {
        self.encapsulated.as_deref().unwrap_or(expected)
    }

    /// The one certificate in the set that the signer identifier names.
    pub(crate) fn signer_certificate(&self) -> Result<&Certificate, Refusal> {
        let mut matching = self
            .certificates
            .iter()
            .filter(|cert| identifies(&self.signer.sid, cert));
        let first = matching.next().ok_or(Refusal::Malformed)?;
        if matching.any(|other| other != first) {
            return Err(Refusal::Malformed);
        }
        Ok(first)
    }
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    let tbs = cert.tbs_certificate();
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            tbs.issuer() == &isn.issuer && tbs.serial_number() == &isn.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => matches!(
            tbs.get_extension::<SubjectKeyIdentifier>(),
            Ok(Some((_, own))) if own == *ski
        ),
    }
}
