//! A tiny SMTP server for tests: listens on 127.0.0.1 on a free port, speaks enough of
//! RFC 5321 for a client to hand over a message (EHLO/HELO, MAIL FROM, RCPT TO, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT), and records what it received. It can be told to answer
//! DATA with a given reply (a 5xx or 4xx) instead of accepting.
//!
//! It also decodes what a client typically encodes (RFC 2047 subjects, quoted-printable and
//! base64 bodies) so tests can compare the text a reader would see.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub helo: String,
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The DATA section after dot-unstuffing, CRLF line ends kept, final `.` line removed.
    pub data: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    received: Vec<ReceivedMail>,
    data_reply: Option<String>,
}

pub struct SmtpServer {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: JoinHandle<()>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the SMTP test server");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let accept_shared = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, Arc::clone(&accept_shared)));
            }
        });
        SmtpServer { addr, shared, task }
    }

    /// `smtp://127.0.0.1:port`: plain SMTP, as `SmtpMailer::from_url` takes it.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// From now on DATA is answered with `reply` (e.g. `554 5.7.1 Message rejected`).
    pub fn answer_data_with(&self, reply: &str) {
        lock(&self.shared).data_reply = Some(reply.to_owned());
    }

    /// Every message accepted so far, oldest first.
    pub fn received(&self) -> Vec<ReceivedMail> {
        lock(&self.shared).received.clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The state of one SMTP transaction on a connection.
#[derive(Default)]
struct Transaction {
    helo: String,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

async fn serve(stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    if write
        .write_all(b"220 localhost test SMTP ready\r\n")
        .await
        .is_err()
    {
        return;
    }
    let mut txn = Transaction::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let argument = text.get(verb.len()..).unwrap_or_default().trim().to_owned();
        let reply: String = match verb.as_str() {
            "EHLO" => {
                txn = Transaction {
                    helo: argument,
                    ..Transaction::default()
                };
                "250-localhost greets you\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".into()
            }
            "HELO" => {
                txn = Transaction {
                    helo: argument,
                    ..Transaction::default()
                };
                "250 localhost\r\n".into()
            }
            "MAIL" => match path_after(&argument, "FROM:") {
                Some(from) => {
                    txn.mail_from = Some(from);
                    txn.rcpt_to.clear();
                    "250 2.1.0 OK\r\n".into()
                }
                None => "501 5.5.4 Syntax: MAIL FROM:<address>\r\n".into(),
            },
            "RCPT" => match (&txn.mail_from, path_after(&argument, "TO:")) {
                (None, _) => "503 5.5.1 MAIL first\r\n".into(),
                (Some(_), Some(to)) => {
                    txn.rcpt_to.push(to);
                    "250 2.1.5 OK\r\n".into()
                }
                (Some(_), None) => "501 5.5.4 Syntax: RCPT TO:<address>\r\n".into(),
            },
            "DATA" if txn.rcpt_to.is_empty() => "503 5.5.1 RCPT first\r\n".into(),
            "DATA" => {
                if write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let Some(data) = read_data(&mut reader).await else {
                    return;
                };
                let mail = ReceivedMail {
                    helo: txn.helo.clone(),
                    mail_from: txn.mail_from.take().unwrap_or_default(),
                    rcpt_to: std::mem::take(&mut txn.rcpt_to),
                    data,
                };
                let mut shared = lock(&shared);
                match &shared.data_reply {
                    Some(reply) => format!("{reply}\r\n"),
                    None => {
                        shared.received.push(mail);
                        "250 2.0.0 OK queued\r\n".into()
                    }
                }
            }
            "RSET" => {
                txn.mail_from = None;
                txn.rcpt_to.clear();
                "250 2.0.0 OK\r\n".into()
            }
            "NOOP" => "250 2.0.0 OK\r\n".into(),
            "QUIT" => {
                let _ = write.write_all(b"221 2.0.0 Bye\r\n").await;
                return;
            }
            _ => "502 5.5.2 Command not recognised\r\n".into(),
        };
        if write.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// `<address>` after `FROM:` / `TO:` (case-insensitive), ignoring ESMTP parameters.
fn path_after(argument: &str, keyword: &str) -> Option<String> {
    let head = argument.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = argument.get(keyword.len()..)?.trim_start();
    let inner = rest.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some(inner[..end].to_owned())
}

/// Lines up to a lone `.`, with a leading `.` removed from every other line that has one.
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Option<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        if line == b".\r\n" || line == b".\n" {
            return Some(data);
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        data.extend_from_slice(unstuffed);
    }
}

impl ReceivedMail {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }

    /// The unfolded value of the first header called `name`, as sent (still encoded).
    pub fn header(&self, name: &str) -> Option<String> {
        let text = self.text();
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(v) = value.as_mut() {
                    v.push_str(line);
                }
                continue;
            }
            if value.is_some() {
                break;
            }
            if let Some((key, rest)) = line.split_once(':')
                && key.trim().eq_ignore_ascii_case(name)
            {
                value = Some(rest.trim().to_owned());
            }
        }
        value
    }

    /// The subject as a reader sees it (RFC 2047 encoded words decoded).
    pub fn subject(&self) -> Option<String> {
        self.header("Subject").map(|raw| decode_encoded_words(&raw))
    }

    /// The body as a reader sees it: transfer encoding undone, UTF-8 decoded.
    pub fn body(&self) -> String {
        let text = self.text();
        let raw = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b)
            .unwrap_or_default();
        let encoding = self
            .header("Content-Transfer-Encoding")
            .unwrap_or_else(|| "7bit".into())
            .to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "base64" => {
                let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                BASE64.decode(compact).expect("a valid base64 body")
            }
            "quoted-printable" => decode_quoted_printable(raw),
            _ => raw.as_bytes().to_vec(),
        };
        String::from_utf8(bytes).expect("a UTF-8 body")
    }
}

/// RFC 2045 quoted-printable: `=XX` bytes and `=` soft line breaks.
pub fn decode_quoted_printable(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let rest = &bytes[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = rest.get(..2).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// RFC 2047: `=?charset?B|Q?text?=` words decoded (UTF-8 assumed), whitespace between two
/// adjacent encoded words dropped.
pub fn decode_encoded_words(raw: &str) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut rest = raw;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        if !(last_was_word && before.trim().is_empty()) {
            out.extend_from_slice(before.as_bytes());
        }
        let after = &rest[start + 2..];
        let parts: Vec<&str> = after.splitn(3, '?').collect();
        let decoded = match parts.as_slice() {
            [_charset, encoding, tail] => tail.find("?=").map(|end| {
                let text = &tail[..end];
                let bytes = if encoding.eq_ignore_ascii_case("b") {
                    BASE64.decode(text).expect("a valid base64 encoded word")
                } else {
                    decode_quoted_printable(&text.replace('_', " "))
                };
                let consumed = start + 2 + parts[0].len() + 1 + parts[1].len() + 1 + end + 2;
                (bytes, consumed)
            }),
            _ => None,
        };
        match decoded {
            Some((bytes, consumed)) => {
                out.extend_from_slice(&bytes);
                rest = &rest[consumed..];
                last_was_word = true;
            }
            None => {
                out.extend_from_slice(&rest.as_bytes()[start..]);
                rest = "";
                last_was_word = false;
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
    String::from_utf8(out).expect("a UTF-8 header")
}
