//! The outbox: claims, priorities, deduplication, retries, Telegram's answers, the limits as
//! a fake Bot API measures them, priority over a running broadcast, two workers sharing a
//! broadcast, broadcasts' progress and cancellation, and staff roles.
//!
//! On SQLite always; on PostgreSQL with `TEST_DATABASE_URL`, and with the Redis limiter with
//! `TEST_REDIS_URL` (`tests/support/pg.rs`). Rates are measured by the fake: every sendMessage
//! call is stamped when it arrives; "calls in any second" is the most calls arriving less than
//! a second after one of them, and the per-chat gap is the shortest time between two calls to
//! one chat.

#[allow(dead_code)]
#[path = "support/fake_bot_bulk.rs"]
mod fake_bot_bulk;
#[allow(dead_code)]
#[path = "support/pg.rs"]
mod pg;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_bot_bulk::{Behaviour, FakeBulk, TOKEN, max_in_window};
use pg::TestDb;
use url::Url;
use zeinet::channels::telegram::Stop;
use zeinet::domain::Lang;
use zeinet::outbox::limiter::{Decision, InProcessLimiter, Lane, Limits, RateLimiter};
use zeinet::outbox::payload::{BroadcastTexts, Content, RenderedMessage};
use zeinet::outbox::redis_limiter::RedisLimiter;
use zeinet::outbox::worker::{Worker, WorkerSettings};
use zeinet::store::outbox::{
    self, BroadcastStatus, Enqueued, NewBroadcast, NewOutboxMessage, OutboxKind, Recipients,
};
use zeinet::store::{Db, StoreError, audit, chats, staff};

const PATIENCE: Duration = Duration::from_secs(60);

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn text(body: &str) -> Content {
    Content::Message(RenderedMessage::text(body))
}

fn message(chat_id: i64, kind: OutboxKind, body: &str) -> NewOutboxMessage {
    NewOutboxMessage::new(chat_id, kind, text(body))
}

/// The Redis limiter under a prefix of its own when `TEST_REDIS_URL` is set, else in-process.
async fn limiter(limits: Limits) -> Arc<dyn RateLimiter> {
    match std::env::var("TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => {
            let prefix = format!(
                "test-outbox-{}-{:x}:{{outbox}}:",
                std::process::id(),
                rand::random::<u64>()
            );
            Arc::new(
                RedisLimiter::connect(&url, &prefix, limits)
                    .await
                    .expect("connect TEST_REDIS_URL"),
            )
        }
        _ => Arc::new(InProcessLimiter::new(limits)),
    }
}

/// Settings for tests: short backoffs, a lease long enough for any test machine.
fn settings(per_second: u32) -> WorkerSettings {
    let mut settings = WorkerSettings::for_rate(per_second);
    settings.backoff_base = Duration::from_millis(20);
    settings.backoff_max = Duration::from_millis(100);
    settings.idle_poll = Duration::from_millis(20);
    settings
}

fn worker(
    db: &Db,
    fake: &FakeBulk,
    limiter: Arc<dyn RateLimiter>,
    settings: WorkerSettings,
) -> Worker {
    let url = Url::parse(fake.url()).expect("fake URL");
    Worker::new(db.clone(), &url, TOKEN, limiter, settings).expect("worker builds")
}

async fn touch(db: &Db, chat_ids: impl IntoIterator<Item = i64>) {
    for chat_id in chat_ids {
        chats::touch(db, chat_id, chat_id, now_ms())
            .await
            .expect("chat recorded");
    }
}

async fn enqueue_all(db: &Db, messages: &[NewOutboxMessage]) -> Vec<i64> {
    let mut tx = db.begin_write().await.expect("begin");
    let mut ids = Vec::new();
    for message in messages {
        match outbox::enqueue_in(&mut tx, message, now_ms())
            .await
            .expect("enqueue")
        {
            Enqueued::New(id) => ids.push(id),
            Enqueued::Duplicate => panic!("unexpected duplicate"),
        }
    }
    tx.commit().await.expect("commit");
    ids
}

async fn outcome_of(db: &Db, id: i64) -> Option<String> {
    outbox::get(db, id)
        .await
        .expect("read row")
        .expect("row exists")
        .outcome
}

fn texts(body: &str) -> BroadcastTexts {
    BroadcastTexts::same_for_all(RenderedMessage::text(body))
}

async fn broadcast(db: &Db, recipients: Recipients) -> outbox::Broadcast {
    let new = NewBroadcast {
        created_by: 77,
        audience: "test".into(),
        texts: texts("Хабарландыру"),
    };
    outbox::create_broadcast(db, &new, &recipients, now_ms())
        .await
        .expect("broadcast created")
}

#[tokio::test]
async fn claims_never_overlap_under_concurrency() {
    let test = TestDb::new().await;
    let messages: Vec<_> = (0..400)
        .map(|i| message(1_000 + i, OutboxKind::Status, "Өтініш қабылданды"))
        .collect();
    enqueue_all(&test.db, &messages).await;
    // A second pool to the same database stands for a second process.
    let other = Db::connect(&test.url).await.expect("second pool");
    let mut tasks = Vec::new();
    for n in 0..8 {
        let db = if n % 2 == 0 {
            test.db.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            let owner = format!("claimer-{n}");
            let mut got = Vec::new();
            loop {
                let rows = outbox::claim(&db, &owner, now_ms(), 600_000, 7)
                    .await
                    .expect("claim");
                if rows.is_empty() {
                    return (owner, got);
                }
                got.extend(rows.into_iter().map(|r| r.id));
            }
        }));
    }
    let mut seen = HashSet::new();
    let mut owners = HashMap::new();
    for task in tasks {
        let (owner, ids) = task.await.expect("claimer ends");
        for id in ids {
            assert!(seen.insert(id), "row {id} claimed twice");
            owners.insert(id, owner.clone());
        }
    }
    assert_eq!(seen.len(), 400, "every row claimed once");
    for (id, owner) in owners.iter().take(20) {
        let row = outbox::get(&test.db, *id).await.unwrap().unwrap();
        assert_eq!(row.lease_owner.as_ref(), Some(owner));
    }
    assert_eq!(outbox::held_count(&test.db).await.unwrap(), 400);
    other.close().await;
    test.cleanup().await;
}

#[tokio::test]
async fn due_rows_are_claimed_most_urgent_first() {
    let test = TestDb::new().await;
    let db = &test.db;
    let now = now_ms();
    broadcast(db, Recipients::Chats(vec![1, 2, 3])).await;
    let later = message(6, OutboxKind::Reminder, "Еске салу").not_before_ms(now + 60_000);
    let ids = enqueue_all(
        db,
        &[
            message(4, OutboxKind::Status, "Күй"),
            later,
            message(5, OutboxKind::Interactive, "Жауап"),
        ],
    )
    .await;
    let now = now_ms();
    let depth = |priority, due, in_flight, later| outbox::Depth {
        priority,
        due,
        in_flight,
        later,
    };
    assert_eq!(
        outbox::depth_by_priority(db, now).await.unwrap(),
        [depth(0, 1, 0, 0), depth(10, 1, 0, 1), depth(20, 3, 0, 0)]
    );
    let first = outbox::claim(db, "w", now, 3_600_000, 2).await.unwrap();
    assert_eq!(
        outbox::depth_by_priority(db, now).await.unwrap(),
        [depth(0, 0, 1, 0), depth(10, 0, 1, 1), depth(20, 3, 0, 0)]
    );
    let kinds: Vec<_> = first.iter().map(|r| (r.kind, r.chat_id)).collect();
    assert_eq!(
        kinds,
        [(OutboxKind::Interactive, 5), (OutboxKind::Status, 4)]
    );
    let rest = outbox::claim(db, "w", now, 3_600_000, 10).await.unwrap();
    assert_eq!(rest.len(), 3, "the reminder is not due yet");
    assert!(rest.iter().all(|r| r.kind == OutboxKind::Broadcast));
    let at_its_time = outbox::claim(db, "w", now + 60_000, 3_600_000, 10)
        .await
        .unwrap();
    assert_eq!(at_its_time.len(), 1);
    assert_eq!(at_its_time[0].id, ids[1]);
    test.cleanup().await;
}

#[tokio::test]
async fn a_dedupe_key_enqueues_once_and_a_rolled_back_producer_enqueues_nothing() {
    let test = TestDb::new().await;
    let db = &test.db;
    let keyed =
        message(9, OutboxKind::Contribution, "Жарна түсті").dedupe_key("contribution:9:2026-03");

    let mut tx = db.begin_write().await.unwrap();
    outbox::enqueue_in(&mut tx, &keyed, now_ms()).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(outbox::pending_count(db).await.unwrap(), 0);

    let first = outbox::enqueue(db, &keyed, now_ms()).await.unwrap();
    assert!(matches!(first, Enqueued::New(_)));
    let mut tx = db.begin_write().await.unwrap();
    let again = outbox::enqueue_in(&mut tx, &keyed, now_ms()).await.unwrap();
    // The producer's transaction goes on after a duplicate (PostgreSQL would abort it after a
    // failed insert; ON CONFLICT DO NOTHING does not fail).
    let other = message(10, OutboxKind::Status, "Басқа");
    outbox::enqueue_in(&mut tx, &other, now_ms()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, Enqueued::Duplicate);
    assert_eq!(outbox::pending_count(db).await.unwrap(), 2);

    // A producer cancels a keyed message it no longer wants, in its own transaction.
    let mut tx = db.begin_write().await.unwrap();
    let keys = ["contribution:9:2026-03", "no-such-key"];
    assert_eq!(
        outbox::cancel_keyed_in(&mut tx, &keys, now_ms())
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    assert_eq!(outbox::pending_count(db).await.unwrap(), 1);
    assert_eq!(
        outbox::enqueue(db, &keyed, now_ms()).await.unwrap(),
        Enqueued::Duplicate
    );

    let too_long = message(9, OutboxKind::Status, &"ә".repeat(4097));
    assert!(matches!(
        outbox::enqueue(db, &too_long, now_ms()).await,
        Err(StoreError::Invalid { .. })
    ));
    let bulk = message(9, OutboxKind::Broadcast, "x");
    assert!(matches!(
        outbox::enqueue(db, &bulk, now_ms()).await,
        Err(StoreError::Invalid { .. })
    ));
    test.cleanup().await;
}

#[tokio::test]
async fn leases_expire_to_another_worker_and_release_gives_rows_back() {
    let test = TestDb::new().await;
    let db = &test.db;
    enqueue_all(
        db,
        &[
            message(1, OutboxKind::Status, "a"),
            message(2, OutboxKind::Status, "b"),
        ],
    )
    .await;
    let t = now_ms();
    let a = outbox::claim(db, "A", t, 1_000, 10).await.unwrap();
    assert_eq!(a.len(), 2);
    assert!(
        outbox::claim(db, "B", t + 500, 1_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(outbox::release_leases(db, "A", t + 500).await.unwrap(), 2);
    let b = outbox::claim(db, "B", t + 500, 1_000, 10).await.unwrap();
    assert_eq!(b.len(), 2, "given-back rows are due at once");
    // B dies; its lease runs out and A takes the rows over.
    assert!(
        outbox::claim(db, "A", t + 1_400, 1_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let again = outbox::claim(db, "A", t + 1_501, 60_000, 10).await.unwrap();
    assert_eq!(again.len(), 2);
    // B, back, can no longer give the row back; a delivery is recorded whoever holds it.
    assert!(
        !outbox::mark_retry(db, "B", &b[0], t, "late", true, t + 1_600)
            .await
            .unwrap()
    );
    assert!(
        outbox::mark_sent(db, "A", &again[0], Some(5), t + 1_600)
            .await
            .unwrap()
    );
    assert!(
        !outbox::mark_failed(db, "B", &again[0], "late", t + 1_700)
            .await
            .unwrap()
    );
    let row = outbox::get(db, again[0].id).await.unwrap().unwrap();
    assert_eq!(row.outcome.as_deref(), Some("sent"));
    assert_eq!(row.telegram_message_id, Some(5));
    assert_eq!(row.lease_owner.as_deref(), Some("A"));
    assert_eq!(outbox::held_count(db).await.unwrap(), 1);
    test.cleanup().await;
}

#[tokio::test]
async fn server_errors_back_off_then_fail_visibly_without_holding_others() {
    let test = TestDb::new().await;
    let db = &test.db;
    let fake = FakeBulk::start(Behaviour {
        failing: HashSet::from([66]),
        ..Behaviour::default()
    })
    .await;
    let ids = enqueue_all(
        db,
        &[
            message(66, OutboxKind::Status, "a"),
            message(67, OutboxKind::Status, "b"),
        ],
    )
    .await;
    let mut settings = settings(100);
    settings.max_attempts = 3;
    let worker = worker(db, &fake, limiter(Limits::new(100)).await, settings);
    let report = worker.run_until_idle(PATIENCE).await.unwrap();
    assert_eq!(outbox::pending_count(db).await.unwrap(), 0);
    assert_eq!((report.sent, report.failed, report.retried), (1, 1, 2));
    assert_eq!(fake.calls_to(66), 3, "three attempts, then given up");
    let failed = outbox::get(db, ids[0]).await.unwrap().unwrap();
    assert_eq!(failed.outcome.as_deref(), Some("failed"));
    assert_eq!(failed.attempts, 3);
    assert!(
        failed
            .last_error
            .unwrap_or_default()
            .contains("server error")
    );
    assert_eq!(outcome_of(db, ids[1]).await.as_deref(), Some("sent"));
    test.cleanup().await;
}

#[tokio::test]
async fn a_429_waits_retry_after_and_is_not_counted_as_an_attempt() {
    let test = TestDb::new().await;
    let db = &test.db;
    let fake = FakeBulk::start(Behaviour {
        too_many_at: vec![1],
        retry_after: 1,
        ..Behaviour::default()
    })
    .await;
    let ids = enqueue_all(db, &[message(5, OutboxKind::Document, "Анықтама дайын")]).await;
    let mut settings = settings(100);
    // One attempt only: a 429 that counted would fail the message.
    settings.max_attempts = 1;
    let worker = worker(db, &fake, limiter(Limits::new(100)).await, settings);
    let before = now_ms();
    let first = worker.drain_once().await.unwrap();
    assert_eq!(first.retried, 1);
    let row = outbox::get(db, ids[0]).await.unwrap().unwrap();
    assert_eq!(row.outcome, None);
    assert_eq!(row.attempts, 0);
    assert!(row.next_attempt_ms >= before + 1_000, "waits retry_after");
    worker.run_until_idle(PATIENCE).await.unwrap();
    assert_eq!(outcome_of(db, ids[0]).await.as_deref(), Some("sent"));
    assert_eq!(fake.calls_to(5), 2);
    assert_eq!(fake.delivered_count(), 1);
    test.cleanup().await;
}

#[tokio::test]
async fn a_403_marks_the_chat_unreachable_and_its_later_messages_are_skipped() {
    let test = TestDb::new().await;
    let db = &test.db;
    touch(db, [40, 41]).await;
    let fake = FakeBulk::start(Behaviour {
        blocked: HashSet::from([40]),
        ..Behaviour::default()
    })
    .await;
    let ids = enqueue_all(
        db,
        &[
            message(40, OutboxKind::Interactive, "1"),
            message(40, OutboxKind::Status, "2"),
            message(40, OutboxKind::Reminder, "3"),
            message(41, OutboxKind::Status, "4"),
        ],
    )
    .await;
    let worker = worker(db, &fake, limiter(Limits::new(100)).await, settings(100));
    let report = worker.run_until_idle(PATIENCE).await.unwrap();
    assert_eq!((report.sent, report.unreachable), (1, 3));
    assert!(chats::get(db, 40).await.unwrap().unwrap().unreachable);
    assert!(!chats::get(db, 41).await.unwrap().unwrap().unreachable);
    for id in &ids[..3] {
        assert_eq!(outcome_of(db, *id).await.as_deref(), Some("unreachable"));
    }
    assert_eq!(fake.calls_to(40), 1, "after the 403 the chat is skipped");
    assert_eq!(fake.delivered_per_chat().get(&41), Some(&1));
    test.cleanup().await;
}

#[tokio::test]
async fn the_limits_hold_through_429_403_and_random_500_answers() {
    const RATE: u32 = 100;
    let test = TestDb::new().await;
    let db = &test.db;
    let chats: Vec<i64> = (0..240).map(|i| 70_000 + i).collect();
    touch(db, chats.iter().copied()).await;
    let blocked: HashSet<i64> = chats.iter().copied().step_by(24).collect();
    let fake = FakeBulk::start(Behaviour {
        blocked: blocked.clone(),
        server_error_rate: 0.05,
        seed: 7,
        too_many_at: vec![40, 160],
        retry_after: 1,
        ..Behaviour::default()
    })
    .await;
    // One status message for every chat, and an interactive one more for every fourth: 300.
    let mut messages: Vec<_> = chats
        .iter()
        .map(|c| message(*c, OutboxKind::Status, "Өтініш орындалды"))
        .collect();
    messages.extend(
        chats
            .iter()
            .step_by(4)
            .map(|c| message(*c, OutboxKind::Interactive, "Жауап")),
    );
    assert_eq!(messages.len(), 300);
    let mut expected: HashMap<i64, usize> = HashMap::new();
    for m in &messages {
        *expected.entry(m.chat_id).or_insert(0) += 1;
    }
    enqueue_all(db, &messages).await;

    // Two workers on two pools share one limiter, as two processes would.
    let shared = limiter(Limits::new(RATE)).await;
    let other = Db::connect(&test.url).await.expect("second pool");
    let a = worker(db, &fake, shared.clone(), settings(RATE));
    let b = worker(&other, &fake, shared, settings(RATE));
    let (ra, rb) = tokio::join!(a.run_until_idle(PATIENCE), b.run_until_idle(PATIENCE));
    ra.unwrap();
    rb.unwrap();
    assert_eq!(outbox::pending_count(db).await.unwrap(), 0);

    let delivered = fake.delivered_per_chat();
    for (chat, count) in &expected {
        if blocked.contains(chat) {
            assert_eq!(delivered.get(chat), None);
            assert_eq!(
                fake.calls_to(*chat),
                1,
                "chat {chat}: skipped after its 403"
            );
            assert!(chats::get(db, *chat).await.unwrap().unwrap().unreachable);
        } else {
            assert_eq!(delivered.get(chat), Some(count), "chat {chat}");
        }
    }
    assert_eq!(fake.calls_with_status(429), 2);
    assert!(
        fake.calls_with_status(500) > 0,
        "the fake did fail some calls"
    );
    let busiest = fake.max_calls_in_any_second();
    assert!(
        busiest <= RATE as usize,
        "{busiest} calls within one second"
    );
    let gap = fake
        .min_gap_per_chat()
        .expect("some chats had two messages");
    assert!(
        gap >= Duration::from_secs(1),
        "two calls to one chat {gap:?} apart"
    );
    other.close().await;
    test.cleanup().await;
}

#[tokio::test]
async fn an_interactive_message_is_not_stuck_behind_a_running_broadcast() {
    const RATE: u32 = 100;
    let test = TestDb::new().await;
    let db = &test.db;
    let fake = FakeBulk::start(Behaviour::default()).await;
    let recipients: Vec<i64> = (0..400).map(|i| 90_000 + i).collect();
    broadcast(db, Recipients::Chats(recipients)).await;
    let worker = worker(db, &fake, limiter(Limits::new(RATE)).await, settings(RATE));
    let held = worker.settings().max_held();
    let stop = Stop::new();
    let running = tokio::spawn(worker.clone().run(stop.clone()));

    fake.wait_until("the broadcast is under way", PATIENCE, |f| {
        f.delivered_count() >= 50
    })
    .await;
    let before = fake.delivered_count();
    const USER: i64 = 12_345;
    enqueue_all(
        db,
        &[message(USER, OutboxKind::Interactive, "Сіздің сұрауыңыз")],
    )
    .await;
    zeinet::outbox::wake();
    fake.wait_until("the interactive message", PATIENCE, |f| {
        f.calls_to(USER) == 1
    })
    .await;
    let calls = fake.calls();
    let position = calls
        .iter()
        .position(|c| c.chat_id == USER)
        .expect("the interactive message arrived");
    let overtaken_by = position - before;
    // Without priorities it would wait for the ~350 broadcast messages left. With them, only
    // rows the worker held already (at most `held`) and the slots reserved ahead of it (the
    // bulk horizon, 50 ms, at most 6 at this rate) can go first.
    assert!(
        overtaken_by <= held + 6,
        "{overtaken_by} broadcast messages went first (bound {})",
        held + 6
    );
    fake.wait_until("the broadcast ends", PATIENCE, |f| {
        f.delivered_count() == 401
    })
    .await;
    assert!(
        fake.delivered_count() - position > 200,
        "the broadcast was still running when the interactive message went out"
    );
    stop.trigger();
    running.await.unwrap();
    test.cleanup().await;
}

#[tokio::test]
async fn two_workers_share_one_broadcast_and_send_nothing_twice() {
    const RATE: u32 = 1000;
    let test = TestDb::new().await;
    let fake = FakeBulk::start(Behaviour::default()).await;
    let recipients: Vec<i64> = (0..1000).map(|i| 300_000 + i).collect();
    let created = broadcast(&test.db, Recipients::Chats(recipients.clone())).await;
    assert_eq!(created.total, 1000);
    let other = Db::connect(&test.url).await.expect("second pool");
    let shared = limiter(Limits::new(RATE)).await;
    let a = worker(&test.db, &fake, shared.clone(), settings(RATE));
    let b = worker(&other, &fake, shared, settings(RATE));
    let (ra, rb) = tokio::join!(a.run_until_idle(PATIENCE), b.run_until_idle(PATIENCE));
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 1000);
    assert!(
        ra.sent > 0 && rb.sent > 0,
        "both took part: {} + {}",
        ra.sent,
        rb.sent
    );
    assert_eq!(fake.call_count(), 1000, "no message sent twice");
    let delivered = fake.delivered_per_chat();
    assert!(recipients.iter().all(|c| delivered.get(c) == Some(&1)));
    let calls = fake.calls();
    assert!(calls.iter().all(|c| c.text == "Хабарландыру" && !c.paid));
    let done = outbox::get_broadcast(&test.db, created.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.status, BroadcastStatus::Done);
    assert!(done.started_at_ms.is_some() && done.finished_at_ms.is_some());
    let progress = outbox::broadcast_progress(&test.db, created.id)
        .await
        .unwrap();
    assert_eq!((progress.sent, progress.pending), (1000, 0));
    other.close().await;
    test.cleanup().await;
}

#[tokio::test]
async fn broadcasts_pick_their_audience_report_progress_and_cancel() {
    let test = TestDb::new().await;
    let db = &test.db;
    touch(db, [1, 2, 3, 4, 5, 6]).await;
    chats::set_unreachable(db, 6, true).await.unwrap();
    chats::set_language(db, 1, "ru").await.unwrap();
    chats::set_language(db, 2, "ru").await.unwrap();
    chats::set_language(db, 3, "en").await.unwrap();

    let texts = BroadcastTexts {
        default_lang: Lang::Kk,
        kk: Some(RenderedMessage::text("Сәлем")),
        ru: Some(RenderedMessage::text("Привет")),
        en: None,
    };
    let new = NewBroadcast {
        created_by: 77,
        audience: "Russian speakers".into(),
        texts: texts.clone(),
    };
    let russian =
        outbox::create_broadcast(db, &new, &Recipients::Languages(vec![Lang::Ru]), now_ms())
            .await
            .unwrap();
    assert_eq!(russian.total, 2);
    let everyone = NewBroadcast {
        audience: "everyone".into(),
        ..new.clone()
    };
    let all = outbox::create_broadcast(db, &everyone, &Recipients::AllReachable, now_ms())
        .await
        .unwrap();
    assert_eq!(all.total, 5, "the unreachable chat is left out");
    assert_eq!(all.status, BroadcastStatus::Queued);

    // Each recipient gets its language, English falls back to the default (Kazakh).
    let fake = FakeBulk::start(Behaviour::default()).await;
    let worker = worker(db, &fake, limiter(Limits::new(100)).await, settings(100));
    let cancelled = outbox::cancel_broadcast(db, russian.id, 78, now_ms())
        .await
        .unwrap();
    assert_eq!(cancelled, 2);
    worker.run_until_idle(PATIENCE).await.unwrap();
    let sent: HashMap<i64, String> = fake
        .calls()
        .into_iter()
        .map(|c| (c.chat_id, c.text))
        .collect();
    assert_eq!(sent.len(), 5);
    assert_eq!(sent[&1], "Привет");
    assert_eq!(sent[&3], "Сәлем");
    assert_eq!(sent[&4], "Сәлем");

    let progress = outbox::broadcast_progress(db, russian.id).await.unwrap();
    assert_eq!(
        (progress.cancelled, progress.sent, progress.total()),
        (2, 0, 2)
    );
    let russian = outbox::get_broadcast(db, russian.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(russian.status, BroadcastStatus::Cancelled);
    assert_eq!(russian.cancelled_by, Some(78));
    assert_eq!(
        outbox::cancel_broadcast(db, all.id, 78, now_ms())
            .await
            .unwrap(),
        0
    );
    assert!(matches!(
        outbox::cancel_broadcast(db, 999_999, 78, now_ms()).await,
        Err(StoreError::NotFound { .. })
    ));
    let listed = outbox::list_broadcasts(db, 10).await.unwrap();
    assert_eq!(
        listed.iter().map(|b| b.id).collect::<Vec<_>>(),
        [all.id, russian.id]
    );

    let trail = audit::between(db, 0, i64::MAX, None).await.unwrap();
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert!(actions.contains(&("staff:77", "broadcast.create")));
    assert!(actions.contains(&("staff:78", "broadcast.cancel")));
    test.cleanup().await;
}

#[tokio::test]
async fn staff_roles_are_granted_revoked_listed_and_audited() {
    let test = TestDb::new().await;
    let db = &test.db;
    assert!(
        staff::grant(db, 42, staff::Role::Broadcaster, None, 1)
            .await
            .unwrap()
    );
    assert!(
        !staff::grant(db, 42, staff::Role::Broadcaster, None, 2)
            .await
            .unwrap()
    );
    assert!(
        staff::grant(db, 42, staff::Role::Admin, Some(7), 3)
            .await
            .unwrap()
    );
    assert!(
        staff::grant(db, 43, staff::Role::Operator, Some(42), 4)
            .await
            .unwrap()
    );
    assert_eq!(
        staff::roles_of(db, 42).await.unwrap(),
        [staff::Role::Admin, staff::Role::Broadcaster]
    );
    assert!(
        staff::revoke(db, 42, staff::Role::Admin, Some(7), 5)
            .await
            .unwrap()
    );
    assert!(
        !staff::revoke(db, 42, staff::Role::Admin, Some(7), 6)
            .await
            .unwrap()
    );
    assert!(staff::roles_of(db, 99).await.unwrap().is_empty());
    let list = staff::list(db).await.unwrap();
    assert_eq!(
        list.iter()
            .map(|s| (s.user_id, s.role, s.granted_by))
            .collect::<Vec<_>>(),
        [
            (42, staff::Role::Broadcaster, None),
            (43, staff::Role::Operator, Some(42))
        ]
    );
    let trail = audit::between(db, 0, 10, None).await.unwrap();
    assert_eq!(trail.len(), 6, "every staff action, changed or not");
    assert_eq!(trail[2].actor, "staff:7");
    assert_eq!(trail[2].action, "staff.grant");
    assert_eq!(trail[2].subject.as_deref(), Some("telegram_user:42"));
    assert_eq!(
        trail[5].details.as_deref(),
        Some("role=admin; was not held")
    );
    test.cleanup().await;
}

#[test]
fn the_staff_command_grants_lists_and_revokes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("staff.db").display());
    // Another build sharing the target directory could have put its own binary there.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_zeinet"))
        .args(["staff", "--help"])
        .output()
        .expect("binary runs");
    assert!(
        help.status.success(),
        "the zeinet binary is another build's: rebuild"
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_zeinet"))
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("DATABASE_URL", &url)
            .output()
            .expect("binary runs")
    };
    let out = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    let granted = run(&["staff", "grant", "42", "admin"]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    assert!(out(&granted).contains("42: admin granted"));
    run(&["staff", "grant", "43", "operator"]);
    let listed = run(&["staff", "list"]);
    assert_eq!(out(&listed), "42\tadmin\n43\toperator\n");
    let revoked = run(&["staff", "revoke", "42", "admin"]);
    assert!(out(&revoked).contains("42: admin revoked"));
    assert_eq!(out(&run(&["staff", "list"])), "43\toperator\n");
    let bad = run(&["staff", "grant", "42", "root"]);
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("unknown role"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[tokio::test]
async fn the_limiter_spaces_slots_keeps_chats_apart_and_pauses() {
    let limits = Limits::new(10);
    let interval = Duration::from_micros(limits.interval_us());
    let limiter = limiter(limits.clone()).await;
    let started = Instant::now();
    let mut waits = Vec::new();
    for chat in 1..=5 {
        match limiter.reserve(Lane::Priority, chat).await.unwrap() {
            Decision::Go(wait) => waits.push(wait),
            other => panic!("expected a slot, got {other:?}"),
        }
    }
    // The fifth slot is four intervals after the first, whatever time the calls took.
    assert!(
        waits[4] + started.elapsed() >= waits[0] + interval * 4,
        "{waits:?}"
    );
    match limiter.reserve(Lane::Priority, 1).await.unwrap() {
        Decision::ChatBusy(wait) => assert!(wait <= limits.chat_interval + limits.margin),
        other => panic!("chat 1 had a slot just now: {other:?}"),
    }
    let paused_at = Instant::now();
    limiter.pause(Duration::from_secs(3)).await.unwrap();
    match limiter.reserve(Lane::Bulk, 99).await.unwrap() {
        // (1 ms for the rounding of microseconds between the two clocks.)
        Decision::Later(wait) => assert!(
            wait + limits.bulk_horizon + paused_at.elapsed() + Duration::from_millis(1)
                >= Duration::from_secs(3),
            "{wait:?}"
        ),
        other => panic!("expected to wait out the pause, got {other:?}"),
    }
}

#[test]
fn the_fakes_window_counts_calls_less_than_a_second_apart() {
    let base = Instant::now();
    let at = |ms: u64| base + Duration::from_millis(ms);
    let times = [at(0), at(400), at(999), at(1000), at(1500), at(1998)];
    // [999 ms, 1999 ms) holds the calls at 999, 1000, 1500 and 1998.
    assert_eq!(max_in_window(&times, Duration::from_secs(1)), 4);
    assert_eq!(max_in_window(&[], Duration::from_secs(1)), 0);
}
