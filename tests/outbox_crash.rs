//! The outbox across real processes: `zeinet serve` killed with SIGKILL in the middle of a
//! 10 000-message broadcast and started again, and two `zeinet serve` processes sharing one
//! broadcast. Both send to a local fake Bot API that records every call.
//!
//! The crash bound: a killed worker may have sent, without recording it, only the rows it held
//! (claimed, no outcome written yet). The test counts them right after the kill (rows with a
//! lease owner and no outcome) and checks that duplicates do not exceed that count, and that
//! the count does not exceed what a worker can hold (`batch_size + concurrency`, 500 at
//! 1 000/s). Nothing may be lost.
//!
//! SQLite by default; PostgreSQL with `TEST_DATABASE_URL`; the two processes share the rate
//! limiter through Redis with `TEST_REDIS_URL`.

#[allow(dead_code)]
#[path = "support/fake_bot_bulk.rs"]
mod fake_bot_bulk;
#[allow(dead_code)]
#[path = "support/pg.rs"]
mod pg;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fake_bot_bulk::{Behaviour, FakeBulk, TOKEN};
use pg::TestDb;
use zeinet::outbox::payload::{BroadcastTexts, RenderedMessage};
use zeinet::outbox::worker::WorkerSettings;
use zeinet::store::Db;
use zeinet::store::outbox::{self, BroadcastStatus, NewBroadcast, Recipients};

/// Fast enough that 10 000 messages take seconds (needs PAID_BROADCAST=true).
const RATE: u32 = 1000;
const PATIENCE: Duration = Duration::from_secs(180);
const OTP_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// `zeinet`, copied into `dir`, so that another build into a shared target directory cannot
/// swap the binary between the two starts of a test; checked to be this crate's build.
fn own_binary(dir: &Path) -> PathBuf {
    let copy = dir.join("zeinet");
    // A hard link keeps the file even if the build replaces it; a copy where it cannot be made.
    if std::fs::hard_link(env!("CARGO_BIN_EXE_zeinet"), &copy).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_zeinet"), &copy).expect("copy the binary");
    }
    // A freshly written file cannot be run while a process forked meanwhile (the other test
    // starting its server) still has it open for writing: "text file busy" until it execs.
    let help = (0..50)
        .find_map(
            |_| match Command::new(&copy).args(["staff", "--help"]).output() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                    std::thread::sleep(Duration::from_millis(20));
                    None
                }
                other => Some(other.expect("binary runs")),
            },
        )
        .expect("the binary could be run");
    assert!(
        help.status.success(),
        "{} is not this crate's build (another build shares the target directory): rebuild",
        env!("CARGO_BIN_EXE_zeinet")
    );
    copy
}

/// A `zeinet serve` process; killed if the test ends without stopping it.
struct Serve {
    child: Child,
    log: PathBuf,
}

impl Serve {
    /// Starts `dir/zeinet serve` (see [`own_binary`]).
    fn start(db_url: &str, fake: &FakeBulk, dir: &Path, name: &str, redis: Option<&str>) -> Serve {
        let log = dir.join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let mut command = Command::new(dir.join("zeinet"));
        command
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", db_url)
            .env("TELEGRAM_BOT_TOKEN", TOKEN)
            .env("TELEGRAM_API_URL", fake.url())
            .env("OTP_KEY", OTP_KEY)
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("PAID_BROADCAST", "true")
            .env("TELEGRAM_RATE_PER_SECOND", RATE.to_string())
            // Short, so the restarted process takes over the killed one's rows soon.
            .env("OUTBOX_LEASE_SECONDS", "2")
            .env("LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file);
        if let Some(url) = redis {
            command.env("REDIS_URL", url);
        }
        let child = command.spawn().expect("zeinet serve starts");
        Serve { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown, no lease given back.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, then waits for a clean exit.
    async fn stop(mut self) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        // SAFETY: sends a signal to our own child process; no memory is involved.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().expect("child status") {
                assert!(
                    status.success(),
                    "serve exited with {status}:\n{}",
                    self.log()
                );
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("serve did not stop on SIGTERM:\n{}", self.log());
    }

    async fn wait_for_log(&self, line: &str) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !self.log().contains(line) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no `{line}` in the log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn create(db: &Db, recipients: &[i64]) -> outbox::Broadcast {
    let new = NewBroadcast {
        created_by: 1,
        audience: "everyone".into(),
        texts: BroadcastTexts::same_for_all(RenderedMessage::text("Құрметті салымшы!")),
    };
    let now = chrono::Utc::now().timestamp_millis();
    outbox::create_broadcast(db, &new, &Recipients::Chats(recipients.to_vec()), now)
        .await
        .expect("broadcast created")
}

async fn wait_until_drained(db: &Db, servers: &[&Serve]) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let pending = outbox::pending_count(db).await.expect("pending count");
        if pending == 0 {
            return;
        }
        if tokio::time::Instant::now() >= deadline {
            let logs: Vec<String> = servers.iter().map(|s| s.log()).collect();
            panic!(
                "{pending} rows still pending; logs:\n{}",
                logs.join("\n----\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_killed_mid_way_reaches_everyone_once_but_the_rows_in_flight() {
    let test = TestDb::new().await;
    let db = &test.db;
    let dir = tempfile::tempdir().expect("temp dir");
    own_binary(dir.path());
    let fake = FakeBulk::start(Behaviour::default()).await;
    let recipients: Vec<i64> = (1..=10_000).map(|i| 5_000_000 + i).collect();
    let broadcast = create(db, &recipients).await;
    assert_eq!(broadcast.total, 10_000);

    let mut first = Serve::start(&test.url, &fake, dir.path(), "first", None);
    fake.wait_until("3 000 messages delivered", PATIENCE, |f| {
        f.delivered_count() >= 3_000
    })
    .await;
    first.kill();
    // Requests already received are answered; nothing more comes from the dead process.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let delivered_at_kill = fake.delivered_count();
    let held_at_kill = outbox::held_count(db).await.expect("held rows") as usize;
    let bound = WorkerSettings::for_rate(RATE).max_held();
    assert!(delivered_at_kill < 10_000, "the kill came mid-way");
    assert!(
        held_at_kill <= bound,
        "{held_at_kill} rows in flight, more than a worker can hold ({bound})"
    );

    let second = Serve::start(&test.url, &fake, dir.path(), "second", None);
    wait_until_drained(db, &[&second]).await;
    second.stop().await;

    let per_chat = fake.delivered_per_chat();
    let expected: HashSet<i64> = recipients.iter().copied().collect();
    let lost: Vec<i64> = recipients
        .iter()
        .copied()
        .filter(|c| !per_chat.contains_key(c))
        .collect();
    let duplicates: usize = per_chat.values().map(|n| n - 1).sum();
    eprintln!(
        "killed after {delivered_at_kill} deliveries holding {held_at_kill} rows (bound {bound}); \
         duplicates {duplicates}, lost {}",
        lost.len()
    );
    assert!(
        lost.is_empty(),
        "{} recipients never got the message",
        lost.len()
    );
    assert!(per_chat.keys().all(|c| expected.contains(c)));
    assert!(
        duplicates <= held_at_kill,
        "{duplicates} duplicates, but only {held_at_kill} rows were in flight"
    );
    assert!(
        fake.calls().iter().all(|c| c.paid),
        "PAID_BROADCAST sets allow_paid_broadcast"
    );
    let progress = outbox::broadcast_progress(db, broadcast.id).await.unwrap();
    assert_eq!((progress.sent, progress.pending), (10_000, 0));
    let done = outbox::get_broadcast(db, broadcast.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, BroadcastStatus::Done);
    test.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_share_one_broadcast_and_send_nothing_twice() {
    let test = TestDb::new().await;
    let db = &test.db;
    let dir = tempfile::tempdir().expect("temp dir");
    own_binary(dir.path());
    let fake = FakeBulk::start(Behaviour::default()).await;
    let redis = std::env::var("TEST_REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let a = Serve::start(&test.url, &fake, dir.path(), "a", redis.as_deref());
    let b = Serve::start(&test.url, &fake, dir.path(), "b", redis.as_deref());
    a.wait_for_log("outbox worker started").await;
    b.wait_for_log("outbox worker started").await;

    let recipients: Vec<i64> = (1..=4_000).map(|i| 7_000_000 + i).collect();
    let broadcast = create(db, &recipients).await;
    wait_until_drained(db, &[&a, &b]).await;
    a.stop().await;
    b.stop().await;

    assert_eq!(fake.call_count(), 4_000, "no message sent twice");
    let per_chat = fake.delivered_per_chat();
    assert!(recipients.iter().all(|c| per_chat.get(c) == Some(&1)));
    let row = sqlx::query(
        "SELECT COUNT(DISTINCT lease_owner) AS owners FROM outbox WHERE broadcast_id = $1",
    )
    .bind(broadcast.id)
    .fetch_one(db.pool())
    .await
    .expect("owners");
    let owners: i64 = sqlx::Row::try_get(&row, "owners").expect("count");
    assert_eq!(owners, 2, "both processes sent part of it");
    let progress = outbox::broadcast_progress(db, broadcast.id).await.unwrap();
    assert_eq!(progress.sent, 4_000);
    test.cleanup().await;
}
