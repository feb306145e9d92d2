//! `zeinet loadtest --sessions N`: memory of N chat sessions in the in-process ephemeral
//! store, made through the real session code (`Conversation::handle`) on the embedded stores.
//!
//! Each chat does what a visitor does: /start, picks a language from the prompt (the menu);
//! every third chat then opens the pension calculator and answers two questions, so its
//! session holds a flow in the middle. The figure is this process's resident memory
//! (`VmRSS`, `VmHWM`) after all sessions exist, against the same process before.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use crate::app::App;
use crate::clock::{SharedClock, SystemClock};
use crate::config::Config;
use crate::conversation::{ChatRef, Incoming, Outgoing};
use crate::domain::Lang;
use crate::ephemeral::Ephemeral;
use crate::ephemeral::memory::MemoryStore;
use crate::gateways::Delivery;
use crate::store::Db;

use super::child::own_status_kib;

/// Chats handled at once (the per-chat lock keeps each chat's own steps in order anyway).
const CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct SessionsReport {
    pub sessions: usize,
    pub entries_in_store: usize,
    pub updates_handled: u64,
    pub seconds: f64,
    pub rss_before_mib: f64,
    pub rss_after_mib: f64,
    pub peak_rss_mib: f64,
    pub bytes_per_session: f64,
    pub target_mib: f64,
}

impl SessionsReport {
    pub fn table(&self) -> String {
        format!(
            "| figure | value |\n|---|---|\n\
             | sessions created | {} |\n\
             | entries in the in-process store | {} |\n\
             | updates handled | {} in {:.1} s |\n\
             | process RSS before | {:.1} MiB |\n\
             | process RSS after | {:.1} MiB |\n\
             | process peak RSS (VmHWM) | {:.1} MiB (target < {:.0} MiB) |\n\
             | growth per session | {:.0} bytes |\n",
            self.sessions,
            self.entries_in_store,
            self.updates_handled,
            self.seconds,
            self.rss_before_mib,
            self.rss_after_mib,
            self.peak_rss_mib,
            self.target_mib,
            self.bytes_per_session
        )
    }
}

fn mib(kib: Option<u64>) -> f64 {
    kib.unwrap_or(0) as f64 / 1024.0
}

pub async fn run(count: usize) -> anyhow::Result<SessionsReport> {
    let dir = std::env::temp_dir().join(format!(
        "zeinet-sessions-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).context("cannot create a scratch directory")?;
    let result = measure(count, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(count: usize, dir: &std::path::Path) -> anyhow::Result<SessionsReport> {
    let url = format!("sqlite://{}", dir.join("sessions.db").display());
    let vars = [
        ("DATABASE_URL".to_string(), url.clone()),
        ("OTP_KEY".to_string(), super::OTP_KEY.to_string()),
    ]
    .into_iter()
    .collect();
    let config = Config::from_map(&vars)?;
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let store = Arc::new(MemoryStore::new());
    let clock: SharedClock = Arc::new(SystemClock);
    let app = App::assemble(
        config,
        db,
        store.clone() as Arc<dyn Ephemeral>,
        clock,
        Delivery::default(),
    )?;
    // One chat first, so that lazily built parts (texts, pools) are in the baseline.
    let mut handled = visit(&app, 0).await?;
    let rss_before = mib(own_status_kib("VmRSS:"));
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(1));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let app = app.clone();
        let next = next.clone();
        workers.push(tokio::spawn(async move {
            let mut handled = 0u64;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= count {
                    return Ok::<u64, anyhow::Error>(handled);
                }
                handled += visit(&app, i).await?;
            }
        }));
    }
    for worker in workers {
        handled += worker.await.context("a worker panicked")??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rss_after = mib(own_status_kib("VmRSS:"));
    Ok(SessionsReport {
        sessions: count,
        entries_in_store: store.stored_entries(),
        updates_handled: handled,
        seconds,
        rss_before_mib: rss_before,
        rss_after_mib: rss_after,
        peak_rss_mib: mib(own_status_kib("VmHWM:")),
        bytes_per_session: (rss_after - rss_before) * 1024.0 * 1024.0 / count.max(1) as f64,
        target_mib: 150.0,
    })
}

/// One chat's visit; returns the updates handled.
async fn visit(app: &App, i: usize) -> anyhow::Result<u64> {
    let lang = Lang::ALL[i % Lang::ALL.len()];
    let chat = ChatRef {
        chat_id: 20_000_000_000 + i as i64,
        user_id: 20_000_000_000 + i as i64,
        language_code: Some(lang.code().to_string()),
    };
    let i18n = &app.i18n;
    let conversation = &app.conversation;
    let mut out = conversation
        .handle(&chat, Incoming::Text("/start".into()))
        .await?;
    let mut handled = 1;
    let press = |out: &Outgoing, key: &str| -> anyhow::Result<Incoming> {
        let label = i18n.get(lang, key);
        out.messages
            .iter()
            .flat_map(|m| m.buttons.iter().flatten())
            .find(|b| b.label == label)
            .map(|b| Incoming::Callback(b.data.clone()))
            .with_context(|| format!("no button {key}"))
    };
    let choose = press(&out, &format!("language-name-{}", lang.code()))?;
    out = conversation.handle(&chat, choose).await?;
    handled += 1;
    if i.is_multiple_of(3) {
        let calculator = press(&out, "menu-calculator")?;
        out = conversation.handle(&chat, calculator).await?;
        let female = press(&out, "forecast-sex-female")?;
        conversation.handle(&chat, female).await?;
        conversation
            .handle(&chat, Incoming::Text("14.03.1990".into()))
            .await?;
        handled += 3;
    }
    Ok(handled)
}
