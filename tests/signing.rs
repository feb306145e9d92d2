//! EDS signature verification: the built-in verifier against a throwaway PKI made with real
//! keys (`support::pki`), and the NCANode client against a stand-in NCANode
//! (`support::fake_ncanode`). Every refusal is checked for its specific reason.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use support::fake_ncanode::{self, FakeNcaNode};
use support::pki::{self, Holder, SignOptions, pki};
use url::Url;
use zeinet::config::{Config, EdsRevocation};
use zeinet::domain::Iin;
use zeinet::signing::{
    self, BuiltinVerifier, Expected, NcaNodeVerifier, Purpose, Refusal, SignatureVerifier,
    TrustedRoots, Verified, VerifyError,
};

const DOCUMENT: &[u8] = "Өтініш №42: зейнетақы жинағын біржолғы төлеу\n".as_bytes();
const NONCE: &[u8] = b"sign-in nonce 6f1c2a9e0b7d4e53";

fn expected<'a>(content: &'a [u8], iin: &'a Iin, purpose: Purpose) -> Expected<'a> {
    Expected {
        content,
        iin,
        purpose,
        now: pki::now(),
    }
}

fn builtin() -> BuiltinVerifier {
    BuiltinVerifier::new(pki().trusted_roots())
}

async fn builtin_verdict(cms: &str, expected: &Expected<'_>) -> Result<Verified, VerifyError> {
    builtin().verify(cms, expected).await
}

/// The depositor's document signed by `holder`, checked by the built-in verifier as a document
/// of the depositor.
async fn document_verdict(holder: &Holder) -> Result<Verified, VerifyError> {
    let iin = pki::depositor_iin();
    builtin_verdict(
        &holder.sign(DOCUMENT),
        &expected(DOCUMENT, &iin, Purpose::Document),
    )
    .await
}

fn refused(refusal: Refusal) -> Result<Verified, VerifyError> {
    Err(VerifyError::Refused(refusal))
}

// ---- built-in verifier: accepted ------------------------------------------------------------

#[tokio::test]
async fn the_signing_key_over_the_exact_bytes_is_accepted() {
    let verified = document_verdict(&pki().signing).await.expect("accepted");
    assert_eq!(verified.iin, pki::depositor_iin());
    assert_eq!(verified.common_name, "ТЕСТОВ ТЕСТ");
    assert_eq!(verified.serial, "4D0A");
    assert_eq!(verified.not_after.to_rfc3339(), "2026-01-01T00:00:00+00:00");
    assert_eq!(verified.verifier, BuiltinVerifier::NAME);
    assert!(
        !verified.revocation_checked,
        "the built-in verifier checks no revocation"
    );
    assert!(
        !format!("{verified:?}").contains("ТЕСТОВ"),
        "Debug hides the name"
    );
}

#[tokio::test]
async fn pem_and_one_element_array_forms_are_accepted() {
    let iin = pki::depositor_iin();
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    let cms = pki().signing.sign(DOCUMENT);
    let with_breaks: String = cms
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    for form in [
        pki::to_pem(&cms),
        pki::as_json_array(&cms),
        pki::as_json_array(&pki::to_pem(&cms)),
        with_breaks,
    ] {
        let verified = builtin_verdict(&form, &want).await;
        assert!(verified.is_ok(), "{verified:?} for {}", &form[..30]);
    }
}

#[tokio::test]
async fn a_detached_signature_over_the_expected_bytes_is_accepted() {
    let iin = pki::depositor_iin();
    let detached = SignOptions {
        detached: true,
        ..SignOptions::default()
    };
    let cms = pki().signing.sign_with(DOCUMENT, detached);
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    assert!(builtin_verdict(&cms, &want).await.is_ok());
    let other = expected(b"another document", &iin, Purpose::Document);
    assert_eq!(
        builtin_verdict(&cms, &other).await,
        refused(Refusal::ContentMismatch)
    );
}

#[tokio::test]
async fn signatures_without_signed_attributes_or_with_a_key_id_are_accepted() {
    let iin = pki::depositor_iin();
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    for options in [
        SignOptions {
            signed_attributes: false,
            ..SignOptions::default()
        },
        SignOptions {
            sid_by_key_id: true,
            ..SignOptions::default()
        },
    ] {
        let cms = pki().signing.sign_with(DOCUMENT, options);
        let verdict = builtin_verdict(&cms, &want).await;
        assert!(verdict.is_ok(), "{options:?}: {verdict:?}");
        let tampered = pki::tamper_signature(&cms);
        assert_eq!(
            builtin_verdict(&tampered, &want).await,
            refused(Refusal::BadSignature),
            "{options:?}"
        );
    }
}

#[tokio::test]
async fn the_authentication_key_signs_in() {
    let iin = pki::depositor_iin();
    let cms = pki().auth.sign(NONCE);
    let verified = builtin_verdict(&cms, &expected(NONCE, &iin, Purpose::SignIn))
        .await
        .expect("sign-in accepted");
    assert_eq!(verified.serial, "4D0B");
}

#[tokio::test]
async fn a_pinned_intermediate_needs_no_chain_in_the_cms() {
    let iin = pki::depositor_iin();
    let without_chain = SignOptions {
        include_chain: false,
        ..SignOptions::default()
    };
    let cms = pki().signing.sign_with(DOCUMENT, without_chain);
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    assert_eq!(
        builtin_verdict(&cms, &want).await,
        refused(Refusal::UntrustedChain),
        "the root alone cannot reach the signer without the intermediate"
    );
    let pinned = TrustedRoots::from_bytes(pki().intermediate.pem.as_bytes()).unwrap();
    let verdict = BuiltinVerifier::new(pinned).verify(&cms, &want).await;
    assert!(verdict.is_ok(), "{verdict:?}");
}

// ---- built-in verifier: refused -------------------------------------------------------------

#[tokio::test]
async fn another_iin_is_refused() {
    let cms = pki().signing.sign(DOCUMENT);
    let other = pki::other_iin();
    assert_eq!(
        builtin_verdict(&cms, &expected(DOCUMENT, &other, Purpose::Document)).await,
        refused(Refusal::IinMismatch)
    );
    assert_eq!(
        document_verdict(&pki().other_person).await,
        refused(Refusal::IinMismatch)
    );
}

#[tokio::test]
async fn a_changed_document_is_refused() {
    let iin = pki::depositor_iin();
    let cms = pki().signing.sign(b"the document as it was signed");
    assert_eq!(
        builtin_verdict(&cms, &expected(DOCUMENT, &iin, Purpose::Document)).await,
        refused(Refusal::ContentMismatch)
    );
    // The content swapped for ours, the signature left over the old one.
    let swapped = pki::swap_content(&cms, DOCUMENT);
    assert_eq!(
        builtin_verdict(&swapped, &expected(DOCUMENT, &iin, Purpose::Document)).await,
        refused(Refusal::BadSignature)
    );
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let iin = pki::depositor_iin();
    let cms = pki::tamper_signature(&pki().signing.sign(DOCUMENT));
    assert_eq!(
        builtin_verdict(&cms, &expected(DOCUMENT, &iin, Purpose::Document)).await,
        refused(Refusal::BadSignature)
    );
}

#[tokio::test]
async fn certificates_outside_their_dates_are_refused() {
    assert_eq!(
        document_verdict(&pki().expired).await,
        refused(Refusal::Expired)
    );
    let iin = pki::depositor_iin();
    let cms = pki().signing.sign(DOCUMENT);
    for now in [
        pki::utc(2026, 6, 1),
        pki::utc(2024, 6, 1),
        pki::utc(2041, 1, 1),
    ] {
        let at = Expected {
            now,
            ..expected(DOCUMENT, &iin, Purpose::Document)
        };
        assert_eq!(
            builtin_verdict(&cms, &at).await,
            refused(Refusal::Expired),
            "{now}"
        );
    }
}

#[tokio::test]
async fn a_key_used_for_the_other_purpose_is_refused() {
    assert_eq!(
        document_verdict(&pki().auth).await,
        refused(Refusal::WrongPurpose),
        "an authentication key must not sign a document"
    );
    let iin = pki::depositor_iin();
    let cms = pki().signing.sign(NONCE);
    assert_eq!(
        builtin_verdict(&cms, &expected(NONCE, &iin, Purpose::SignIn)).await,
        refused(Refusal::WrongPurpose),
        "a signing key must not sign in"
    );
}

#[tokio::test]
async fn an_untrusted_root_is_refused_even_inside_the_cms() {
    // The impostor chain copies the real CA names and travels inside the CMS.
    assert_eq!(
        document_verdict(&pki().impostor).await,
        refused(Refusal::UntrustedChain)
    );
    // Trusting the impostor's root instead turns the tables: the real chain is refused.
    let rogue = TrustedRoots::from_bytes(&pki().rogue_root.der).unwrap();
    let iin = pki::depositor_iin();
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    let verifier = BuiltinVerifier::new(rogue);
    assert!(
        verifier
            .verify(&pki().impostor.sign(DOCUMENT), &want)
            .await
            .is_ok()
    );
    assert_eq!(
        verifier.verify(&pki().signing.sign(DOCUMENT), &want).await,
        refused(Refusal::UntrustedChain)
    );
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused() {
    assert_eq!(
        document_verdict(&pki().self_signed).await,
        refused(Refusal::UntrustedChain)
    );
}

#[tokio::test]
async fn sha1_is_unsupported() {
    let iin = pki::depositor_iin();
    let sha1 = SignOptions {
        sha1: true,
        ..SignOptions::default()
    };
    let cms = pki().signing.sign_with(DOCUMENT, sha1);
    assert_eq!(
        builtin_verdict(&cms, &expected(DOCUMENT, &iin, Purpose::Document)).await,
        refused(Refusal::Unsupported)
    );
}

#[tokio::test]
async fn garbage_is_malformed() {
    let iin = pki::depositor_iin();
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    let cms = pki().signing.sign(DOCUMENT);
    let inputs = [
        String::new(),
        "hello".to_string(),
        STANDARD.encode([0x30, 0x03, 0x02, 0x01, 0x01]),
        // A certificate is DER but not a CMS.
        STANDARD.encode(&pki().signing.cert_der),
        format!("[\"{cms}\",\"{cms}\"]"),
        cms[..cms.len() / 2].to_string(),
    ];
    for input in inputs {
        assert_eq!(
            builtin_verdict(&input, &want).await,
            refused(Refusal::Malformed),
            "{input:.40}"
        );
    }
}

// ---- roots and configuration ----------------------------------------------------------------

#[test]
fn only_ca_certificates_can_be_pinned() {
    assert!(TrustedRoots::from_bytes(&pki().root.der).is_ok());
    let both = format!("{}{}", pki().root.pem, pki().intermediate.pem);
    assert_eq!(TrustedRoots::from_bytes(both.as_bytes()).unwrap().len(), 2);
    let user = TrustedRoots::from_bytes(&pki().signing.cert_der).unwrap_err();
    assert!(user.contains("not a CA"), "{user}");
    assert!(TrustedRoots::from_bytes(b"not a certificate").is_err());
}

fn config(pairs: &[(&str, &str)]) -> Config {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_map(&map).expect("valid configuration")
}

#[tokio::test]
async fn from_config_builds_the_built_in_verifier_from_root_files() {
    let dir = tempfile::tempdir().unwrap();
    let pem = dir.path().join("root.pem");
    let der = dir.path().join("root.cer");
    std::fs::write(&pem, &pki().root.pem).unwrap();
    std::fs::write(&der, &pki().root.der).unwrap();
    let roots = format!("{},{}", pem.display(), der.display());
    let verifier =
        signing::from_config(&config(&[("EDS_TRUSTED_ROOTS", &roots)])).expect("roots load");
    let iin = pki::depositor_iin();
    let verified = verifier
        .verify(
            &pki().signing.sign(DOCUMENT),
            &expected(DOCUMENT, &iin, Purpose::Document),
        )
        .await
        .expect("accepted");
    assert_eq!(verified.verifier, BuiltinVerifier::NAME);
}

#[test]
fn from_config_names_the_key_of_a_bad_root_setting() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let user = dir.path().join("user.cer");
    std::fs::write(&user, &pki().signing.cert_der).unwrap();
    let missing = dir.path().join("missing.pem");
    for path in [&garbage, &user, &missing] {
        let err = signing::from_config(&config(&[("EDS_TRUSTED_ROOTS", path.to_str().unwrap())]))
            .err()
            .expect("refused");
        assert_eq!(err.key, "EDS_TRUSTED_ROOTS");
        assert!(
            err.reason.contains(path.to_str().unwrap()),
            "{}",
            err.reason
        );
    }
    let err = signing::from_config(&config(&[])).err().expect("no roots");
    assert_eq!(err.key, "EDS_TRUSTED_ROOTS");
}

#[test]
fn from_config_prefers_ncanode_when_its_url_is_set() {
    // No roots needed: NCANode holds its own trust store.
    assert!(signing::from_config(&config(&[("NCANODE_URL", "http://127.0.0.1:14579")])).is_ok());
}

// ---- NCANode client -------------------------------------------------------------------------

fn ncanode(fake: &FakeNcaNode, revocation: EdsRevocation) -> NcaNodeVerifier {
    NcaNodeVerifier::new(&fake.url, Duration::from_secs(5), revocation).expect("client")
}

fn depositor() -> String {
    pki::depositor_iin().as_str().to_string()
}

fn valid_answer(key_usage: &str) -> Value {
    fake_ncanode::answer(
        true,
        vec![
            fake_ncanode::signer_certificate(&depositor(), key_usage),
            fake_ncanode::ca_certificate(),
        ],
    )
}

async fn ncanode_document_verdict(fake: &FakeNcaNode, cms: &str) -> Result<Verified, VerifyError> {
    let iin = pki::depositor_iin();
    ncanode(fake, EdsRevocation::Ocsp)
        .verify(cms, &expected(DOCUMENT, &iin, Purpose::Document))
        .await
}

#[tokio::test]
async fn ncanode_accepts_a_valid_signature_and_always_asks_for_revocation() {
    let fake = FakeNcaNode::start().await;
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    let cms = pki().signing.sign(DOCUMENT);
    let verified = ncanode_document_verdict(&fake, &pki::to_pem(&cms))
        .await
        .expect("accepted");
    assert_eq!(verified.verifier, NcaNodeVerifier::NAME);
    assert!(verified.revocation_checked);
    assert_eq!(verified.iin, pki::depositor_iin());
    assert_eq!(verified.serial, "4D0A");

    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0]["cms"],
        json!(cms),
        "bare base64 DER, PEM armour removed"
    );
    assert_eq!(requests[0]["revocationCheck"], json!(["OCSP"]));
    assert!(requests[0].get("data").is_none());
}

#[tokio::test]
async fn ncanode_gets_the_data_of_a_detached_signature_and_the_configured_check() {
    let fake = FakeNcaNode::start().await;
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    let detached = SignOptions {
        detached: true,
        ..SignOptions::default()
    };
    let cms = pki().signing.sign_with(DOCUMENT, detached);
    let iin = pki::depositor_iin();
    let want = expected(DOCUMENT, &iin, Purpose::Document);
    ncanode(&fake, EdsRevocation::Crl)
        .verify(&cms, &want)
        .await
        .expect("accepted");
    let verified = ncanode(&fake, EdsRevocation::None)
        .verify(&cms, &want)
        .await
        .expect("accepted");
    assert!(!verified.revocation_checked);

    let requests = fake.requests();
    assert_eq!(requests[0]["data"], json!(STANDARD.encode(DOCUMENT)));
    assert_eq!(requests[0]["revocationCheck"], json!(["CRL"]));
    assert_eq!(requests[1]["revocationCheck"], json!([]));
}

#[tokio::test]
async fn ncanode_answers_in_the_openapi_shape_are_read() {
    let fake = FakeNcaNode::start().await;
    fake.reply(
        StatusCode::OK,
        fake_ncanode::answer_openapi_shape(
            true,
            vec![
                fake_ncanode::ca_certificate(),
                fake_ncanode::signer_certificate(&depositor(), "SIGN"),
            ],
        ),
    );
    let verdict = ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await;
    assert!(verdict.is_ok(), "{verdict:?}");
}

#[tokio::test]
async fn ncanode_invalid_answers_are_refused() {
    let fake = FakeNcaNode::start().await;
    let cms = pki().signing.sign(DOCUMENT);

    let mut broken = valid_answer("SIGN");
    broken["valid"] = json!(false);
    fake.reply(StatusCode::OK, broken);
    assert_eq!(
        ncanode_document_verdict(&fake, &cms).await,
        refused(Refusal::BadSignature)
    );

    let mut untrusted = valid_answer("SIGN");
    untrusted["valid"] = json!(false);
    untrusted["signers"][0]["certificates"][1]["valid"] = json!(false);
    fake.reply(StatusCode::OK, untrusted);
    assert_eq!(
        ncanode_document_verdict(&fake, &cms).await,
        refused(Refusal::UntrustedChain)
    );

    let mut expired = valid_answer("SIGN");
    expired["valid"] = json!(false);
    expired["signers"][0]["certificates"][0]["valid"] = json!(false);
    expired["signers"][0]["certificates"][0]["notAfter"] = json!("2025-05-01T00:00:00.000+00:00");
    fake.reply(StatusCode::OK, expired);
    assert_eq!(
        ncanode_document_verdict(&fake, &cms).await,
        refused(Refusal::Expired)
    );
}

#[tokio::test]
async fn ncanode_revoked_is_refused() {
    let fake = FakeNcaNode::start().await;
    let mut revoked = valid_answer("SIGN");
    revoked["valid"] = json!(false);
    revoked["signers"][0]["certificates"][0]["valid"] = json!(false);
    revoked["signers"][0]["certificates"][0]["revocations"] = json!([{"revoked": true, "by": "OCSP", "revocationTime": "2025-05-20T08:00:00.000+00:00", "reason": "keyCompromise"}]);
    fake.reply(StatusCode::OK, revoked);
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await,
        refused(Refusal::Revoked)
    );
}

#[tokio::test]
async fn ncanode_wrong_purpose_is_refused_from_its_answer_and_from_our_own_check() {
    let fake = FakeNcaNode::start().await;
    fake.reply(StatusCode::OK, valid_answer("AUTH"));
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await,
        refused(Refusal::WrongPurpose),
        "NCANode says AUTH for a document"
    );
    // NCANode says SIGN, but the certificate's own KeyUsage/EKU say authentication.
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().auth.sign(DOCUMENT)).await,
        refused(Refusal::WrongPurpose)
    );
}

#[tokio::test]
async fn ncanode_content_mismatch_is_caught_before_asking() {
    let fake = FakeNcaNode::start().await;
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    let cms = pki().signing.sign(b"some other document");
    assert_eq!(
        ncanode_document_verdict(&fake, &cms).await,
        refused(Refusal::ContentMismatch)
    );
    assert!(fake.requests().is_empty(), "NCANode is not asked");
}

#[tokio::test]
async fn ncanode_iin_is_checked_in_its_answer_and_in_the_certificate() {
    let fake = FakeNcaNode::start().await;
    let other = pki::other_iin();
    let mut answer = valid_answer("SIGN");
    answer["signers"][0]["certificates"][0]["subject"]["iin"] = json!(other.as_str());
    fake.reply(StatusCode::OK, answer);
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await,
        refused(Refusal::IinMismatch)
    );
    // NCANode's answer names the depositor, the certificate in the CMS someone else.
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().other_person.sign(DOCUMENT)).await,
        refused(Refusal::IinMismatch)
    );
}

#[tokio::test]
async fn ncanode_without_a_revocation_status_decides_nothing() {
    let fake = FakeNcaNode::start().await;
    let mut answer = valid_answer("SIGN");
    answer["signers"][0]["certificates"][0]["revocations"] = json!([]);
    fake.reply(StatusCode::OK, answer);
    let verdict = ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await;
    assert!(
        matches!(verdict, Err(VerifyError::Unavailable(_))),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn ncanode_down_or_failing_is_unavailable() {
    let cms = pki().signing.sign(DOCUMENT);
    // Nothing listening: bind a port, then free it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let nowhere = NcaNodeVerifier::new(
        &Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        Duration::from_secs(5),
        EdsRevocation::Ocsp,
    )
    .unwrap();
    let iin = pki::depositor_iin();
    let verdict = nowhere
        .verify(&cms, &expected(DOCUMENT, &iin, Purpose::Document))
        .await;
    assert!(
        matches!(verdict, Err(VerifyError::Unavailable(_))),
        "{verdict:?}"
    );

    let fake = FakeNcaNode::start().await;
    fake.reply(
        StatusCode::INTERNAL_SERVER_ERROR,
        fake_ncanode::error(500, "Internal Server Error"),
    );
    let verdict = ncanode_document_verdict(&fake, &cms).await;
    assert!(
        matches!(verdict, Err(VerifyError::Unavailable(_))),
        "{verdict:?}"
    );

    fake.reply(StatusCode::OK, json!("not NCANode"));
    let verdict = ncanode_document_verdict(&fake, &cms).await;
    assert!(
        matches!(verdict, Err(VerifyError::Unavailable(_))),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn ncanode_refusing_to_read_the_cms_is_malformed() {
    let fake = FakeNcaNode::start().await;
    fake.reply(
        StatusCode::BAD_REQUEST,
        fake_ncanode::error(400, "Failed to parse CMS"),
    );
    assert_eq!(
        ncanode_document_verdict(&fake, &pki().signing.sign(DOCUMENT)).await,
        refused(Refusal::Malformed)
    );
}

#[tokio::test]
async fn ncanode_is_not_asked_about_garbage() {
    let fake = FakeNcaNode::start().await;
    fake.reply(StatusCode::OK, valid_answer("SIGN"));
    assert_eq!(
        ncanode_document_verdict(&fake, "garbage").await,
        refused(Refusal::Malformed)
    );
    assert!(fake.requests().is_empty());
}
