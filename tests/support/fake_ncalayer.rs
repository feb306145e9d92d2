//! A stand-in for NCALayer on the user's computer: a plain `ws://` WebSocket server on
//! 127.0.0.1:0 that speaks NCALayer's protocol as shared/eds.md records it — the version
//! greeting on open, then one answer per `kz.gov.pki.knca.basics` `sign` request.
//!
//! It signs for real: the request's `data` is decoded and signed with a key of the test PKI
//! (`support::pki`), and the answer carries the CMS as current NCALayer does — PEM inside a
//! one-element array. It can also answer as if the user pressed Cancel, or fail.
//!
//! The WebSocket side is written out here (handshake, frames) rather than pulled in as a
//! crate: a fake needs the few lines of RFC 6455 a browser uses, nothing more.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use sha1::{Digest, Sha1};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::pki::{Holder, to_pem};

/// The GUID RFC 6455 appends to the client's key.
const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Frames larger than this end the connection (a document is a few kilobytes).
const MAX_FRAME: u64 = 4 * 1024 * 1024;

/// How the fake answers a sign request.
#[derive(Clone, Copy)]
pub enum Answer {
    /// Sign the decoded data with this key; answer `{"status":true,"body":{"result":[PEM]}}`.
    SignWith(&'static Holder),
    /// The user pressed Cancel: `{"status":true,"body":{}}`.
    Cancel,
    /// NCALayer failed: `{"status":false,"code":…,"message":…}`.
    Fail {
        code: &'static str,
        message: &'static str,
    },
}

pub struct FakeNcaLayer {
    /// `ws://127.0.0.1:PORT` for NCALAYER_URL.
    pub url: String,
    requests: Arc<Mutex<Vec<Value>>>,
    task: JoinHandle<()>,
}

impl FakeNcaLayer {
    /// Answers every request with `answer`.
    pub async fn start(answer: Answer) -> FakeNcaLayer {
        FakeNcaLayer::start_sequence(vec![answer]).await
    }

    /// Answers the n-th request with `answers[n]`, and the later ones with the last.
    pub async fn start_sequence(answers: Vec<Answer>) -> FakeNcaLayer {
        let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
        FakeNcaLayer::start_on(any_port, answers).await
    }

    /// [`FakeNcaLayer::start_sequence`] on a given address (NCALayer starting where the page
    /// already looks for it).
    pub async fn start_on(addr: SocketAddr, answers: Vec<Answer>) -> FakeNcaLayer {
        assert!(!answers.is_empty(), "the fake needs an answer");
        let answers = Arc::new(answers);
        let listener = TcpListener::bind(addr).await.expect("fake NCALayer binds");
        let url = format!("ws://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let task = {
            let requests = requests.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let requests = requests.clone();
                    let answers = answers.clone();
                    tokio::spawn(async move {
                        // A browser that goes away mid-conversation is not the test's concern.
                        let _ = serve(stream, &answers, requests).await;
                    });
                }
            })
        };
        FakeNcaLayer {
            url,
            requests,
            task,
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Value> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for FakeNcaLayer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The answer to one request.
fn respond(answer: Answer, request: &Value) -> Value {
    match answer {
        Answer::Cancel => json!({"status": true, "body": {}}),
        Answer::Fail { code, message } => {
            json!({"status": false, "code": code, "message": message, "details": ""})
        }
        Answer::SignWith(holder) => {
            let data = request["args"]["data"].as_str().unwrap_or_default();
            match STANDARD.decode(data) {
                Ok(bytes) if request["method"] == "sign" => {
                    let cms = to_pem(&holder.sign(&bytes));
                    json!({"status": true, "body": {"result": [cms]}})
                }
                _ => json!({"status": false, "code": "INVOCATION_ERROR",
                            "message": "bad request", "details": ""}),
            }
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    answers: &[Answer],
    requests: Arc<Mutex<Vec<Value>>>,
) -> std::io::Result<()> {
    handshake(&mut stream).await?;
    write_frame(&mut stream, 0x1, br#"{"result":{"version":"1.4"}}"#).await?;
    let mut message = Vec::new();
    loop {
        let (fin, opcode, payload) = read_frame(&mut stream).await?;
        match opcode {
            0x0 | 0x1 => {
                message.extend_from_slice(&payload);
                if !fin {
                    continue;
                }
                let text = std::mem::take(&mut message);
                let request: Value = serde_json::from_slice(&text).unwrap_or(Value::Null);
                let answer = {
                    let mut seen = requests.lock().unwrap_or_else(|e| e.into_inner());
                    seen.push(request.clone());
                    answers[(seen.len() - 1).min(answers.len() - 1)]
                };
                let reply = respond(answer, &request);
                write_frame(&mut stream, 0x1, reply.to_string().as_bytes()).await?;
            }
            0x8 => {
                let _ = write_frame(&mut stream, 0x8, &payload).await;
                return Ok(());
            }
            0x9 => write_frame(&mut stream, 0xA, &payload).await?,
            _ => {}
        }
    }
}

/// Reads the HTTP upgrade request and answers 101 with the key's accept value.
async fn handshake(stream: &mut TcpStream) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 || stream.read(&mut byte).await? == 0 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let key = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("sec-websocket-key"))
        .map(|(_, value)| value.trim().to_string())
        .ok_or(std::io::ErrorKind::InvalidData)?;
    let accept = STANDARD.encode(Sha1::digest(format!("{key}{WEBSOCKET_GUID}").as_bytes()));
    let response = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    stream.write_all(response.as_bytes()).await
}

/// One frame from the browser (always masked): FIN, opcode, unmasked payload.
async fn read_frame(stream: &mut TcpStream) -> std::io::Result<(bool, u8, Vec<u8>)> {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).await?;
    let fin = head[0] & 0x80 != 0;
    let opcode = head[0] & 0x0F;
    let masked = head[1] & 0x80 != 0;
    let length = match head[1] & 0x7F {
        126 => u64::from(stream.read_u16().await?),
        127 => stream.read_u64().await?,
        n => u64::from(n),
    };
    if length > MAX_FRAME {
        return Err(std::io::ErrorKind::InvalidData.into());
    }
    let mut mask = [0u8; 4];
    if masked {
        stream.read_exact(&mut mask).await?;
    }
    let mut payload = vec![0u8; length as usize];
    stream.read_exact(&mut payload).await?;
    if masked {
        for (i, b) in payload.iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
    }
    Ok((fin, opcode, payload))
}

/// One unmasked frame to the browser.
async fn write_frame(stream: &mut TcpStream, opcode: u8, payload: &[u8]) -> std::io::Result<()> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => frame.push(n as u8),
        n if n <= usize::from(u16::MAX) => {
            frame.push(126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    stream.write_all(&frame).await?;
    stream.flush().await
}
