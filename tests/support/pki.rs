//! A throwaway PKI shaped like the national CA's (НУЦ РК), and CMS signatures made with it.
//!
//! Everything is real cryptography made on the spot: RSA-2048 keys from the `rsa` crate,
//! certificates issued by rcgen (root → intermediate → depositor), CMS SignedData built with
//! the `cms` crate's builder exactly as NCALayer makes it (attached content, signed attributes
//! contentType + messageDigest + signingTime, SHA-256 with RSA). No canned blobs.
//!
//! The keys take a moment to generate, so [`pki()`] builds the whole set once per test
//! binary. Validity periods are fixed dates around [`now()`], which tests pass as
//! `Expected::now`, so the outcome never depends on the day the tests run.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDate, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, CustomExtension, DistinguishedName,
    DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SerialNumber,
    date_time_ymd,
};
use rsa::PrivateKey as RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::asn1::{ObjectIdentifier, OctetString};
use x509_cert::der::{Any, Decode, Encode, Tag};
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::ext::pkix::certpolicy::{CertificatePolicies, PolicyInformation};
use x509_cert::spki::AlgorithmIdentifierOwned;
use zeinet::domain::{Iin, Sex};
use zeinet::signing::TrustedRoots;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const SHA256_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA1_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

/// Subject attributes of the national CA's individual certificates.
const SURNAME: &[u64] = &[2, 5, 4, 4];
const SERIAL_NUMBER: &[u64] = &[2, 5, 4, 5];
const GIVEN_NAME: &[u64] = &[2, 5, 4, 42];
/// Certificate policies extension, and the individual's signing/authentication policies.
const CERTIFICATE_POLICIES: &[u64] = &[2, 5, 29, 32];
const POLICY_SIGNING: &str = "1.2.398.3.3.2.3";
const POLICY_AUTH: &str = "1.2.398.3.3.2.4";
/// "Individual" role OID the national CA puts in the EKU.
const ROLE_INDIVIDUAL: &[u64] = &[1, 2, 398, 3, 3, 4, 1, 1];

/// The moment tests verify at: inside every valid certificate, after the expired one.
pub fn now() -> DateTime<Utc> {
    utc(2025, 6, 1)
}

pub fn utc(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("a real date")
        .and_utc()
}

/// The depositor whose keys the PKI holds.
pub fn depositor_iin() -> Iin {
    Iin::from_parts(
        NaiveDate::from_ymd_opt(1988, 1, 1).expect("date"),
        Sex::Male,
        123,
    )
    .expect("a valid IIN")
}

/// Somebody else.
pub fn other_iin() -> Iin {
    Iin::from_parts(
        NaiveDate::from_ymd_opt(1990, 5, 17).expect("date"),
        Sex::Female,
        4567,
    )
    .expect("a valid IIN")
}

/// A CA certificate.
pub struct Ca {
    pub der: Vec<u8>,
    pub pem: String,
}

/// A certificate holder: the certificate, its private key and the CA certificates a CMS made
/// with it carries along.
pub struct Holder {
    pub cert_der: Vec<u8>,
    key: RsaPrivateKey,
    chain: Vec<Vec<u8>>,
}

/// How to build a CMS; [`SignOptions::default`] is what NCALayer does.
#[derive(Debug, Clone, Copy)]
pub struct SignOptions {
    /// The content outside the CMS (`encapsulate: false`).
    pub detached: bool,
    /// Signed attributes present (NCALayer always has them); without, the signature is made
    /// directly over the content.
    pub signed_attributes: bool,
    /// Identify the signer by subject key identifier instead of issuer and serial number.
    pub sid_by_key_id: bool,
    /// Put the issuing CA certificates into the CMS.
    pub include_chain: bool,
    /// Declare SHA-1 as the digest algorithm (refused by the verifiers).
    pub sha1: bool,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            detached: false,
            signed_attributes: true,
            sid_by_key_id: false,
            include_chain: true,
            sha1: false,
        }
    }
}

/// The whole test PKI.
pub struct Pki {
    /// The pinned root.
    pub root: Ca,
    /// Issued by `root`; issues the depositors' certificates.
    pub intermediate: Ca,
    /// A root nobody pinned, with the same name as `root`.
    pub rogue_root: Ca,
    /// The depositor's signing key (KU digitalSignature + nonRepudiation, EKU …3.4).
    pub signing: Holder,
    /// The depositor's authentication key (KU digitalSignature + keyEncipherment, EKU …3.2).
    pub auth: Holder,
    /// A signing key whose certificate expired before [`now()`].
    pub expired: Holder,
    /// Another person's signing key, issued by the same CA.
    pub other_person: Holder,
    /// The depositor's name and IIN on a signing key issued by an impostor CA chain that
    /// copies the real CA names (the CMS carries the impostor intermediate and root).
    pub impostor: Holder,
    /// The depositor's name and IIN on a self-signed signing certificate.
    pub self_signed: Holder,
}

impl Pki {
    /// The roots a verifier should trust: the real root only.
    pub fn trusted_roots(&self) -> TrustedRoots {
        TrustedRoots::from_bytes(self.root.pem.as_bytes()).expect("the test root parses")
    }
}

/// The test PKI, generated on first use.
pub fn pki() -> &'static Pki {
    static PKI: LazyLock<Pki> = LazyLock::new(generate);
    &PKI
}

#[derive(Clone, Copy, PartialEq)]
enum KeyKind {
    Signing,
    Auth,
}

fn generate() -> Pki {
    let mut keys = rsa_keys(10).into_iter();
    let mut next = || keys.next().expect("enough keys");

    let root_key = next();
    let root = self_signed_ca(&root_key, "TEST ROOT CA (RSA)", 1);
    let intermediate_key = next();
    let intermediate = ca_issued_by(&intermediate_key, "TEST NATIONAL CA (RSA)", 2, &root);

    let rogue_root_key = next();
    let rogue_root = self_signed_ca(&rogue_root_key, "TEST ROOT CA (RSA)", 1);
    let rogue_intermediate_key = next();
    let rogue_intermediate = ca_issued_by(
        &rogue_intermediate_key,
        "TEST NATIONAL CA (RSA)",
        2,
        &rogue_root,
    );

    let valid: Period = ((2025, 1, 1), (2026, 1, 1));
    let chain = vec![intermediate.ca.der.clone(), root.ca.der.clone()];
    let depositor = depositor_iin();
    let holder = |key: RsaPrivateKey, kind, iin: &Iin, dates, serial, issuer: &Issued| {
        let cert_der = user_certificate(&key, kind, iin, dates, serial, issuer);
        Holder {
            cert_der,
            key,
            chain: vec![issuer.ca.der.clone()],
        }
    };
    let mut signing = holder(
        next(),
        KeyKind::Signing,
        &depositor,
        valid,
        10,
        &intermediate,
    );
    signing.chain = chain.clone();
    let auth = holder(next(), KeyKind::Auth, &depositor, valid, 11, &intermediate);
    let expired = holder(
        next(),
        KeyKind::Signing,
        &depositor,
        ((2023, 1, 1), (2024, 1, 1)),
        12,
        &intermediate,
    );
    let other_person = holder(
        next(),
        KeyKind::Signing,
        &other_iin(),
        valid,
        13,
        &intermediate,
    );
    let mut impostor = holder(
        next(),
        KeyKind::Signing,
        &depositor,
        valid,
        10,
        &rogue_intermediate,
    );
    impostor.chain = vec![rogue_intermediate.ca.der.clone(), rogue_root.ca.der.clone()];

    let self_key = next();
    let self_pair = key_pair(&self_key);
    let self_params = user_params(KeyKind::Signing, &depositor, valid, 14);
    let self_cert = self_params
        .self_signed(&self_pair)
        .expect("self-signed certificate");
    let self_signed = Holder {
        cert_der: self_cert.der().to_vec(),
        key: self_key,
        chain: Vec::new(),
    };

    Pki {
        root: root.ca,
        intermediate: intermediate.ca,
        rogue_root: rogue_root.ca,
        signing,
        auth,
        expired,
        other_person,
        impostor,
        self_signed,
    }
}

/// `count` RSA-2048 keys, made on two threads (the slow part of the set-up).
fn rsa_keys(count: usize) -> Vec<RsaPrivateKey> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                scope.spawn(move || {
                    (0..count)
                        .filter(|i| i % 2 == worker)
                        .map(|_| {
                            RsaPrivateKey::new(&mut rand::rng(), 2048).expect("an RSA-2048 key")
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("key generation thread"))
            .collect()
    })
}

fn key_pair(key: &RsaPrivateKey) -> KeyPair {
    let pem = key.to_pkcs8_pem(LineEnding::LF).expect("PKCS#8 PEM");
    KeyPair::from_pkcs8_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256).expect("rcgen key pair")
}

/// A validity period as (year, month, day) of its first and last day.
type Period = ((i32, u8, u8), (i32, u8, u8));

/// A CA together with what rcgen needs to issue under it.
struct Issued {
    ca: Ca,
    issuer: CertifiedIssuer<'static, KeyPair>,
}

fn ca_params(name: &str, serial: u8) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    dn.push(DnType::CountryName, printable("KZ"));
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2040, 1, 1);
    params.serial_number = Some(SerialNumber::from_slice(&[serial]));
    params
}

fn self_signed_ca(key: &RsaPrivateKey, name: &str, serial: u8) -> Issued {
    let issued = CertifiedIssuer::self_signed(ca_params(name, serial), key_pair(key))
        .expect("root certificate");
    into_issued(issued)
}

fn ca_issued_by(key: &RsaPrivateKey, name: &str, serial: u8, parent: &Issued) -> Issued {
    let mut params = ca_params(name, serial);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let issued = CertifiedIssuer::signed_by(params, key_pair(key), &parent.issuer)
        .expect("intermediate certificate");
    into_issued(issued)
}

fn into_issued(issuer: CertifiedIssuer<'static, KeyPair>) -> Issued {
    let ca = Ca {
        der: issuer.der().to_vec(),
        pem: issuer.pem(),
    };
    Issued { ca, issuer }
}

fn printable(text: &str) -> DnValue {
    DnValue::PrintableString(text.try_into().expect("printable"))
}

/// The national CA's individual subject: `CN=SURNAME NAME, SURNAME=…, SERIALNUMBER=IIN…,
/// C=KZ, G=<patronymic>`, with the purpose's KeyUsage, EKU and policy.
fn user_params(kind: KeyKind, iin: &Iin, (from, until): Period, serial: u8) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "ТЕСТОВ ТЕСТ");
    dn.push(DnType::CustomDnType(SURNAME.to_vec()), "ТЕСТОВ");
    dn.push(
        DnType::CustomDnType(SERIAL_NUMBER.to_vec()),
        printable(&format!("IIN{}", iin.as_str())),
    );
    dn.push(DnType::CountryName, printable("KZ"));
    dn.push(DnType::CustomDnType(GIVEN_NAME.to_vec()), "ТЕСТОВИЧ");
    params.distinguished_name = dn;
    params.not_before = date_time_ymd(from.0, from.1, from.2);
    params.not_after = date_time_ymd(until.0, until.1, until.2);
    params.serial_number = Some(SerialNumber::from_slice(&[0x4d, serial]));
    params.use_authority_key_identifier_extension = true;
    // basicConstraints CA:false, and a subject key identifier, as on the national CA's.
    params.is_ca = IsCa::ExplicitNoCa;
    let role = ExtendedKeyUsagePurpose::Other(ROLE_INDIVIDUAL.to_vec());
    let policy = match kind {
        KeyKind::Signing => {
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection, role];
            POLICY_SIGNING
        }
        KeyKind::Auth => {
            params.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ];
            params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, role];
            POLICY_AUTH
        }
    };
    let policies = CertificatePolicies(vec![PolicyInformation {
        policy_identifier: ObjectIdentifier::new_unwrap(policy),
        policy_qualifiers: None,
    }]);
    params.custom_extensions = vec![CustomExtension::from_oid_content(
        CERTIFICATE_POLICIES,
        policies.to_der().expect("policies DER"),
    )];
    params
}

fn user_certificate(
    key: &RsaPrivateKey,
    kind: KeyKind,
    iin: &Iin,
    dates: Period,
    serial: u8,
    issuer: &Issued,
) -> Vec<u8> {
    user_params(kind, iin, dates, serial)
        .signed_by(&key_pair(key), &issuer.issuer)
        .expect("user certificate")
        .der()
        .to_vec()
}

impl Holder {
    /// A CMS over `content` as NCALayer makes it, base64.
    pub fn sign(&self, content: &[u8]) -> String {
        self.sign_with(content, SignOptions::default())
    }

    /// A CMS over `content` built as `options` say, base64 DER.
    pub fn sign_with(&self, content: &[u8], options: SignOptions) -> String {
        STANDARD.encode(self.sign_der(content, options))
    }

    fn sign_der(&self, content: &[u8], options: SignOptions) -> Vec<u8> {
        let cert = Certificate::from_der(&self.cert_der).expect("holder certificate");
        let econtent = EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: (!options.detached)
                .then(|| Any::new(Tag::OctetString, content).expect("content")),
        };
        let digest = AlgorithmIdentifierOwned {
            oid: if options.sha1 { SHA1_OID } else { SHA256_OID },
            parameters: None,
        };
        let sid = if options.sid_by_key_id {
            let (_, ski) = cert
                .tbs_certificate()
                .get_extension::<SubjectKeyIdentifier>()
                .expect("extensions decode")
                .expect("rcgen adds a subject key identifier");
            SignerIdentifier::SubjectKeyIdentifier(ski)
        } else {
            SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.tbs_certificate().issuer().clone(),
                serial_number: cert.tbs_certificate().serial_number().clone(),
            })
        };
        let external_digest = Sha256::digest(content).to_vec();
        let mut signer_info = SignerInfoBuilder::new(
            sid,
            digest.clone(),
            &econtent,
            options.detached.then_some(external_digest.as_slice()),
        )
        .expect("signer info builder");
        signer_info
            .add_signed_attribute(create_signing_time_attribute().expect("signing time"))
            .expect("signed attribute");

        let signing_key = SigningKey::<Sha256>::new(self.key.clone());
        let mut builder = SignedDataBuilder::new(&econtent);
        builder
            .add_digest_algorithm(digest)
            .expect("digest algorithm");
        builder
            .add_certificate(CertificateChoices::Certificate(cert))
            .expect("signer certificate");
        if options.include_chain {
            for ca in &self.chain {
                let ca = Certificate::from_der(ca).expect("CA certificate");
                builder
                    .add_certificate(CertificateChoices::Certificate(ca))
                    .expect("CA certificate");
            }
        }
        let direct_signature =
            (!options.signed_attributes).then(|| signing_key.sign(content).to_vec());
        builder
            .add_signer_info_cb::<_, rsa::pkcs1v15::Signature, _>(
                signer_info,
                &signing_key,
                |info| {
                    // Without signed attributes the signature is over the content itself.
                    if let Some(signature) = &direct_signature {
                        info.signed_attrs = None;
                        info.signature = OctetString::new(signature.clone())?;
                    }
                    Ok(())
                },
            )
            .expect("signer info");
        builder
            .build()
            .expect("SignedData")
            .to_der()
            .expect("CMS DER")
    }
}

/// The CMS with one bit of the signer's signature flipped.
pub fn tamper_signature(cms_b64: &str) -> String {
    rewrite(cms_b64, |signed| {
        let mut infos: Vec<_> = signed.signer_infos.0.iter().cloned().collect();
        let info = infos.first_mut().expect("one signer");
        let mut bytes = info.signature.as_bytes().to_vec();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        info.signature = OctetString::new(bytes).expect("signature");
        signed.signer_infos = infos.try_into().expect("signer infos");
    })
}

/// The CMS with its encapsulated content replaced, signature untouched.
pub fn swap_content(cms_b64: &str, content: &[u8]) -> String {
    rewrite(cms_b64, |signed| {
        signed.encap_content_info.econtent =
            Some(Any::new(Tag::OctetString, content).expect("content"));
    })
}

fn rewrite(cms_b64: &str, change: impl FnOnce(&mut SignedData)) -> String {
    let der = STANDARD.decode(cms_b64).expect("base64");
    let info = ContentInfo::from_der(&der).expect("ContentInfo");
    let mut signed: SignedData = info.content.decode_as().expect("SignedData");
    change(&mut signed);
    let content = Any::encode_from(&signed).expect("SignedData DER");
    let info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content,
    };
    STANDARD.encode(info.to_der().expect("CMS DER"))
}

/// The CMS as PEM with 64-column lines, the way some NCALayer versions send it.
pub fn to_pem(cms_b64: &str) -> String {
    let lines: Vec<&str> = cms_b64
        .as_bytes()
        .chunks(64)
        .map(|chunk| std::str::from_utf8(chunk).expect("base64 is ASCII"))
        .collect();
    format!(
        "-----BEGIN CMS-----\n{}\n-----END CMS-----\n",
        lines.join("\n")
    )
}

/// NCALayer 1.4's answer shape: a one-element JSON array.
pub fn as_json_array(cms: &str) -> String {
    serde_json::to_string(&[cms]).expect("JSON")
}
