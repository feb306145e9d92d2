//! Broadcast throughput: 100 000 recipients sent by one `zeinet serve` process (release build)
//! to a local fake Bot API with the rate set to 1 000/s (PAID_BROADCAST=true). Reports the
//! achieved rate (messages between the first and the last arrival), duplicates, losses, the
//! most calls the fake saw within one second, and the serve process's CPU time (getrusage of
//! the waited child) and peak memory (VmHWM). Figures go to docs/benchmarks.md, "Broadcast".
//!
//! Run: `cargo bench --bench broadcast` (SQLite in a temp dir; PostgreSQL in a fresh schema
//! with `TEST_DATABASE_URL`; the shared limiter in Redis with `TEST_REDIS_URL`).
//! `BROADCAST_RECIPIENTS` changes the count.

#[allow(dead_code)]
#[path = "../tests/support/fake_bot_bulk.rs"]
mod fake_bot_bulk;
#[allow(dead_code)]
#[path = "../tests/support/pg.rs"]
mod pg;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_bot_bulk::{Behaviour, FakeBulk, TOKEN};
use zeinet::outbox::payload::{BroadcastTexts, RenderedMessage};
use zeinet::store::outbox::{self, NewBroadcast, Recipients};

const RATE: u32 = 1000;
const OTP_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// VmHWM (peak resident memory) of a live process, in KiB.
fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time and peak RSS of the children waited for so far (getrusage RUSAGE_CHILDREN).
fn children_usage() -> (Duration, u64) {
    // SAFETY: getrusage only writes into the struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_maxrss as u64,
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let recipients_count: i64 = std::env::var("BROADCAST_RECIPIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let test = pg::TestDb::new().await;
    let db = &test.db;
    let backend = if test.url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    let redis = std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());

    let recipients: Vec<i64> = (1..=recipients_count).map(|i| 10_000_000 + i).collect();
    let new = NewBroadcast {
        created_by: 1,
        audience: "benchmark".into(),
        texts: BroadcastTexts::same_for_all(RenderedMessage::text(
            "Құрметті салымшы! БЖЗҚ жеке кабинеті енді Telegram-да.",
        )),
    };
    let started = Instant::now();
    let broadcast = outbox::create_broadcast(
        db,
        &new,
        &Recipients::Chats(recipients.clone()),
        chrono::Utc::now().timestamp_millis(),
    )
    .await
    .expect("broadcast created");
    let enqueue_time = started.elapsed();

    let fake = FakeBulk::start(Behaviour::default()).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let log = std::fs::File::create(dir.path().join("serve.log")).expect("log file");
    let mut command = Command::new(env!("CARGO_BIN_EXE_zeinet"));
    command
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &test.url)
        .env("TELEGRAM_BOT_TOKEN", TOKEN)
        .env("TELEGRAM_API_URL", fake.url())
        .env("OTP_KEY", OTP_KEY)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("PAID_BROADCAST", "true")
        .env("TELEGRAM_RATE_PER_SECOND", RATE.to_string())
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    if let Some(url) = &redis {
        command.env("REDIS_URL", url);
    }
    let mut child = command.spawn().expect("zeinet serve starts");
    let pid = child.id();

    let deadline = Instant::now() + Duration::from_secs(30 + recipients_count as u64 / 500);
    let mut peak_kib = 0;
    loop {
        peak_kib = peak_kib.max(vm_hwm_kib(pid).unwrap_or(0));
        let pending = outbox::pending_count(db).await.expect("pending");
        if pending == 0 {
            break;
        }
        if Instant::now() > deadline {
            eprintln!("gave up with {pending} rows pending");
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    peak_kib = peak_kib.max(vm_hwm_kib(pid).unwrap_or(0));
    // SAFETY: a signal to our own child.
    unsafe {
        libc::kill(pid as i32, libc::SIGTERM);
    }
    let status = child.wait().expect("serve ends");
    let (cpu, max_rss_kib) = children_usage();

    let calls = fake.calls();
    let mut times: Vec<Instant> = calls.iter().map(|c| c.at).collect();
    times.sort();
    let (first, last) = (times[0], times[times.len() - 1]);
    let span = last - first;
    let rate = (calls.len() as f64 - 1.0) / span.as_secs_f64();
    let per_chat = fake.delivered_per_chat();
    let duplicates: usize = per_chat.values().map(|n| n - 1).sum();
    let wanted: HashSet<i64> = recipients.iter().copied().collect();
    let lost = wanted.iter().filter(|c| !per_chat.contains_key(c)).count();
    let strays = per_chat.keys().filter(|c| !wanted.contains(c)).count();
    let busiest = fake.max_calls_in_any_second();
    let progress = outbox::broadcast_progress(db, broadcast.id)
        .await
        .expect("progress");

    println!(
        "## Broadcast ({backend}{})",
        if redis.is_some() {
            ", Redis limiter"
        } else {
            ""
        }
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| recipients | {recipients_count} |");
    println!("| rate set (TELEGRAM_RATE_PER_SECOND) | {RATE}/s |");
    println!(
        "| enqueue (create_broadcast, one transaction) | {:.2} s |",
        enqueue_time.as_secs_f64()
    );
    println!(
        "| sending time, first to last arrival | {:.1} s |",
        span.as_secs_f64()
    );
    println!(
        "| achieved rate | {rate:.1}/s ({:.1} % of the set rate) |",
        rate * 100.0 / f64::from(RATE)
    );
    println!("| most calls within one second (fake) | {busiest} |");
    println!("| calls to the fake | {} |", calls.len());
    println!("| duplicates | {duplicates} |");
    println!("| losses | {lost} (strays {strays}) |");
    println!(
        "| outcomes | sent {}, pending {}, failed {} |",
        progress.sent, progress.pending, progress.failed
    );
    println!(
        "| serve CPU (user + system) | {:.1} s ({:.1} % of one core over the sending time) |",
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 100.0 / span.as_secs_f64()
    );
    println!(
        "| serve peak memory | VmHWM {:.1} MiB (ru_maxrss {:.1} MiB) |",
        peak_kib as f64 / 1024.0,
        max_rss_kib as f64 / 1024.0
    );
    println!("| serve exit | {status} |");
    test.cleanup().await;
}
