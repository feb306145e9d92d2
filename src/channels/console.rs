//! The terminal chat (`zeinet chat`): the same conversation runner, text in and out.
//! Buttons are numbered; typing the number presses the button. Works with piped stdin and
//! ends cleanly on end of input. One-time codes that would go by SMS or e-mail are printed
//! here, and only here.

use std::io::Write;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::conversation::{
    ChatRef, Conversation, Incoming, OutField, OutMessage, OutVenue, Outgoing,
};
use crate::gateways::console::ConsoleSink;

/// Renders one message as plain text with `[Label]` buttons, one row a line
/// (the transcript format uses exactly this).
pub fn render_plain(message: &OutMessage) -> String {
    // A venue goes out before the text, as on Telegram.
    let mut out = message.venue.as_ref().map(venue_line).unwrap_or_default();
    out.push_str(&message.text);
    for row in &message.buttons {
        out.push('\n');
        let labels: Vec<String> = row
            .iter()
            .map(|b| match &b.url {
                Some(url) => format!("[{} ↗ {url}]", b.label),
                None => format!("[{}]", b.label),
            })
            .collect();
        out.push_str(&labels.join(" "));
    }
    if let Some(OutField::ShareContact { label }) = &message.field {
        out.push_str(&format!("\n{{{label}}}"));
    }
    if let Some(document) = &message.document {
        out.push_str(&format!("\n📄 {}", document.file_name));
    }
    out
}

/// A venue as one line of text: `📍 title, address (lat, lon)`.
fn venue_line(venue: &OutVenue) -> String {
    let (latitude, longitude) = venue.degrees();
    format!(
        "📍 {}, {} ({latitude:.4}, {longitude:.4})\n",
        venue.title, venue.address
    )
}

/// Where `chat` saves the documents it is sent.
const DOCUMENTS_DIR: &str = "zeinet-documents";

/// Saves the documents of a reply and says where they are.
fn save_documents(outgoing: &Outgoing, out: &mut dyn Write) -> std::io::Result<()> {
    for document in outgoing.messages.iter().filter_map(|m| m.document.as_ref()) {
        std::fs::create_dir_all(DOCUMENTS_DIR)?;
        // Only the last path component: a file name never escapes the folder.
        let name = std::path::Path::new(&document.file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document.pdf".into());
        let path = std::path::Path::new(DOCUMENTS_DIR).join(name);
        std::fs::write(&path, &document.bytes)?;
        writeln!(out, "📄 {}\n", path.display())?;
    }
    Ok(())
}

/// Renders messages for the terminal: buttons numbered from 1 across all messages.
pub fn render_numbered(outgoing: &Outgoing) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut callbacks = Vec::new();
    for message in &outgoing.messages {
        if let Some(venue) = &message.venue {
            out.push_str(&venue_line(venue));
        }
        out.push_str(&message.text);
        out.push('\n');
        for row in &message.buttons {
            // A link is opened in the browser, not pressed here: it gets no number.
            let cells: Vec<String> = row
                .iter()
                .map(|b| match &b.url {
                    Some(url) => format!("{} ↗ {url}", b.label),
                    None => {
                        callbacks.push(b.data.clone());
                        format!("{}) {}", callbacks.len(), b.label)
                    }
                })
                .collect();
            out.push_str("   ");
            out.push_str(&cells.join("   "));
            out.push('\n');
        }
        out.push('\n');
    }
    (out, callbacks)
}

/// Reads lines until end of input, answering each through the conversation.
pub async fn run<R: AsyncBufRead + Unpin>(
    conversation: &Conversation,
    codes: &ConsoleSink,
    chat: ChatRef,
    input: R,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut lines = input.lines();
    let mut callbacks: Vec<String> = Vec::new();
    let first = answer(
        conversation,
        codes,
        &chat,
        Incoming::Text("/start".into()),
        out,
    )
    .await?;
    callbacks = first.unwrap_or(callbacks);
    write!(out, "> ")?;
    out.flush()?;
    while let Some(line) = lines.next_line().await? {
        let line = line.trim().to_string();
        if line.is_empty() {
            write!(out, "> ")?;
            out.flush()?;
            continue;
        }
        let incoming = match line.parse::<usize>() {
            Ok(n) if n >= 1 && n <= callbacks.len() => Incoming::Callback(callbacks[n - 1].clone()),
            _ => Incoming::Text(line),
        };
        if let Some(shown) = answer(conversation, codes, &chat, incoming, out).await? {
            callbacks = shown;
        }
        write!(out, "> ")?;
        out.flush()?;
    }
    writeln!(out)?;
    Ok(())
}

async fn answer(
    conversation: &Conversation,
    codes: &ConsoleSink,
    chat: &ChatRef,
    incoming: Incoming,
    out: &mut dyn Write,
) -> std::io::Result<Option<Vec<String>>> {
    let outgoing = match conversation.handle(chat, incoming).await {
        Ok(outgoing) => outgoing,
        Err(e) => {
            tracing::error!(error = %e, "conversation failed");
            conversation.temporary_failure(chat)
        }
    };
    let (text, callbacks) = render_numbered(&outgoing);
    write!(out, "\n{text}")?;
    save_documents(&outgoing, out)?;
    // Only in this terminal demo: what would have gone by SMS or e-mail.
    for (to, message) in codes.drain() {
        writeln!(out, "📨 [{to}] {}\n", message.body)?;
    }
    Ok((!callbacks.is_empty()).then_some(callbacks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::OutButton;

    #[test]
    fn links_are_printed_not_numbered() {
        let message = OutMessage {
            text: "Sign".into(),
            buttons: vec![
                vec![OutButton::link(
                    "Open".into(),
                    "http://127.0.0.1:1/sign/t".into(),
                )],
                vec![OutButton::callback("Continue".into(), "a:0".into())],
            ],
            field: None,
            protect: false,
            document: None,
            venue: None,
        };
        let outgoing = Outgoing {
            messages: vec![message.clone()],
            delete_incoming: false,
        };
        let (text, callbacks) = render_numbered(&outgoing);
        assert!(text.contains("Open ↗ http://127.0.0.1:1/sign/t"), "{text}");
        assert!(text.contains("1) Continue"), "{text}");
        assert_eq!(callbacks, ["a:0"]);
        assert_eq!(
            render_plain(&message),
            "Sign\n[Open ↗ http://127.0.0.1:1/sign/t]\n[Continue]"
        );
    }
}
