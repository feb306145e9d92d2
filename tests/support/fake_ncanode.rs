//! A stand-in for NCANode 3.x, started inside a test on 127.0.0.1:0.
//!
//! It serves `POST /cms/verify`, records every request body, and answers with whatever the
//! test told it to (status and JSON), in NCANode's shapes: the helpers below build the
//! answers NCANode gives for a valid signature, and tests change single fields from there.
//! It does not verify anything itself: the point is how our client reads NCANode.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use url::Url;

struct Shared {
    requests: Mutex<Vec<Value>>,
    reply: Mutex<(StatusCode, Value)>,
}

pub struct FakeNcaNode {
    pub url: Url,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeNcaNode {
    /// Starts the fake; until told otherwise it answers 500 (so a test that forgot to set an
    /// answer cannot pass by accident).
    pub async fn start() -> FakeNcaNode {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            reply: Mutex::new((
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"status": 500, "message": "no answer set"}),
            )),
        });
        let app = Router::new()
            .route("/cms/verify", post(verify))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake NCANode");
        let address = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeNcaNode {
            url: Url::parse(&format!("http://{address}")).expect("URL"),
            shared,
            task,
        }
    }

    /// Answer every following request with `status` and `body`.
    pub fn reply(&self, status: StatusCode, body: Value) {
        *lock(&self.shared.reply) = (status, body);
    }

    /// The request bodies received so far.
    pub fn requests(&self) -> Vec<Value> {
        lock(&self.shared.requests).clone()
    }
}

impl Drop for FakeNcaNode {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn verify(State(shared): State<Arc<Shared>>, body: String) -> Response {
    let parsed = serde_json::from_str(&body).unwrap_or(Value::String(body));
    lock(&shared.requests).push(parsed);
    let (status, answer) = lock(&shared.reply).clone();
    (status, axum::Json(answer)).into_response()
}

/// NCANode's description of a signer's certificate: valid, not revoked (OCSP), the given
/// IIN and key usage (`SIGN` or `AUTH`).
pub fn signer_certificate(iin: &str, key_usage: &str) -> Value {
    json!({
        "valid": true,
        "revocations": [{"revoked": false, "by": "OCSP", "revocationTime": null, "reason": null}],
        "notBefore": "2025-01-01T00:00:00.000+00:00",
        "notAfter": "2026-01-01T00:00:00.000+00:00",
        "keyUsage": key_usage,
        "serialNumber": "4d0a",
        "signAlg": "SHA256withRSA",
        "keyUser": ["INDIVIDUAL"],
        "publicKey": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        "signature": "AAAA",
        "subject": {
            "commonName": "ТЕСТОВ ТЕСТ",
            "lastName": "ТЕСТОВ",
            "surName": "ТЕСТОВ",
            "iin": iin,
            "bin": null,
            "country": "KZ",
            "dn": format!("CN=ТЕСТОВ ТЕСТ,SURNAME=ТЕСТОВ,SERIALNUMBER=IIN{iin},C=KZ,G=ТЕСТОВИЧ")
        },
        "issuer": {"commonName": "TEST NATIONAL CA (RSA)", "iin": null, "bin": null}
    })
}

/// NCANode's description of the issuing CA's certificate.
pub fn ca_certificate() -> Value {
    json!({
        "valid": true,
        "revocations": [],
        "notBefore": "2020-01-01T00:00:00.000+00:00",
        "notAfter": "2040-01-01T00:00:00.000+00:00",
        "keyUsage": "UNKNOWN",
        "keyUser": [],
        "subject": {"commonName": "TEST NATIONAL CA (RSA)", "iin": null, "bin": null},
        "issuer": {"commonName": "TEST ROOT CA (RSA)", "iin": null, "bin": null}
    })
}

/// A `/cms/verify` answer with one signer whose certificates are `certificates` (the list
/// named as the Java code names it).
pub fn answer(valid: bool, certificates: Vec<Value>) -> Value {
    json!({
        "status": 200,
        "message": "OK",
        "valid": valid,
        "signers": [{"certificates": certificates, "signingTime": "2025-06-01T12:00:00.000+00:00"}]
    })
}

/// The same, with the inner list named `signers` as NCANode's OpenAPI file has it.
pub fn answer_openapi_shape(valid: bool, certificates: Vec<Value>) -> Value {
    json!({
        "status": 200,
        "message": "OK",
        "valid": valid,
        "signers": [{"signers": certificates}]
    })
}

/// NCANode's error shape.
pub fn error(status: u16, message: &str) -> Value {
    json!({"status": status, "message": message})
}
