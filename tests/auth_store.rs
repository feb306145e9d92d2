//! The sign-in repositories (migration 0002) against a real database: a temporary SQLite file,
//! or a fresh PostgreSQL schema when `TEST_DATABASE_URL` is set (`tests/support/pg.rs`).
//!
//! Besides each function's behaviour, the races the service relies on: of 50 parallel
//! spends of one code exactly one wins, and 50 parallel wrong entries (or password attempts)
//! never count past the maximum.

mod support;

use std::sync::Arc;

use chrono::NaiveDate;
use futures::future::join_all;
use support::pg::TestDb;
use zeinet::domain::{Iin, Sex};
use zeinet::store::codes::{self, Channel, CodePurpose, DeliveryState, NewCode};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::logins::{self, EndReason};
use zeinet::store::password_locks::{self, Claim, LockPolicy};
use zeinet::store::{Db, StoreError, chats, credentials};

const T0: i64 = 1_772_000_000_000;
const MINUTE: i64 = 60_000;

/// The `n`-th valid IIN of people born on 1 March 1985 (different for different `n`).
fn iin(n: u32) -> Iin {
    let birth = NaiveDate::from_ymd_opt(1985, 3, 1).expect("date");
    let mut found = 0;
    for serial in 1..10_000 {
        if let Some(iin) = Iin::from_parts(birth, Sex::Female, serial) {
            if found == n {
                return iin;
            }
            found += 1;
        }
    }
    panic!("not enough IINs");
}

async fn depositor(db: &Db, n: u32) -> i64 {
    let new = NewDepositor {
        iin: iin(n),
        last_name: "Сапарова".into(),
        first_name: "Әйгерім".into(),
        patronymic: None,
        birth_date: NaiveDate::from_ymd_opt(1985, 3, 1).expect("date"),
        sex: Sex::Female,
        phone: None,
        email: None,
        disability: None,
        created_at_ms: T0,
    };
    depositors::insert(db, &new).await.expect("depositor").id
}

fn new_code(n: u32, purpose: CodePurpose, chat_id: i64, at: i64) -> NewCode {
    NewCode {
        purpose,
        iin: iin(n),
        chat_id,
        channel: Channel::Sms,
        code_mac: format!("{:064x}", at),
        created_at_ms: at,
        expires_at_ms: at + 15 * MINUTE,
    }
}

async fn sent_code(db: &Db, n: u32, purpose: CodePurpose, chat_id: i64, at: i64) -> i64 {
    let record = codes::insert(db, &new_code(n, purpose, chat_id, at))
        .await
        .expect("insert");
    assert!(codes::mark_sent(db, record.id).await.expect("mark sent"));
    record.id
}

// ---------------------------------------------------------------------------------------------
// credentials

#[tokio::test]
async fn credentials_are_set_replaced_and_removed() {
    let t = TestDb::new().await;
    let db = &t.db;
    let id = depositor(db, 0).await;
    assert_eq!(credentials::get(db, id).await.unwrap(), None);

    let first = credentials::upsert(db, id, "$argon2id$first", T0)
        .await
        .unwrap();
    assert_eq!(first.password_hash, "$argon2id$first");
    let replaced = credentials::upsert(db, id, "$argon2id$second", T0 + 1)
        .await
        .unwrap();
    assert_eq!(replaced.updated_at_ms, T0 + 1);
    let stored = credentials::get(db, id).await.unwrap().expect("stored");
    assert_eq!(stored.password_hash, "$argon2id$second");
    assert!(
        !format!("{stored:?}").contains("argon2id"),
        "Debug hides the hash"
    );

    assert!(credentials::delete(db, id).await.unwrap());
    assert!(!credentials::delete(db, id).await.unwrap());
    assert_eq!(credentials::get(db, id).await.unwrap(), None);

    // Only depositors have credentials.
    assert!(credentials::upsert(db, id + 1000, "$x", T0).await.is_err());
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// one-time codes

#[tokio::test]
async fn a_code_is_usable_only_once_delivered() {
    let t = TestDb::new().await;
    let db = &t.db;
    let record = codes::insert(db, &new_code(1, CodePurpose::Registration, 7, T0))
        .await
        .unwrap();
    assert_eq!(record.delivery, DeliveryState::Pending);
    assert_eq!(record.attempts, 0);
    assert_eq!(record.used_at_ms, None);
    assert!(!format!("{record:?}").contains(&record.code_mac));
    assert_eq!(
        codes::get(db, record.id).await.unwrap(),
        Some(record.clone())
    );

    // Pending codes cannot be entered.
    assert_eq!(
        codes::current(db, &iin(1), CodePurpose::Registration, 7)
            .await
            .unwrap(),
        None
    );
    assert!(codes::mark_sent(db, record.id).await.unwrap());
    assert!(!codes::mark_sent(db, record.id).await.unwrap(), "only once");
    let current = codes::current(db, &iin(1), CodePurpose::Registration, 7)
        .await
        .unwrap()
        .expect("current");
    assert_eq!(current.id, record.id);
    assert_eq!(current.delivery, DeliveryState::Sent);
    // Another purpose, IIN or chat does not see it.
    for (n, purpose, chat) in [
        (1, CodePurpose::Recovery, 7),
        (2, CodePurpose::Registration, 7),
        (1, CodePurpose::Registration, 8),
    ] {
        assert_eq!(
            codes::current(db, &iin(n), purpose, chat).await.unwrap(),
            None
        );
    }
    t.cleanup().await;
}

#[tokio::test]
async fn failed_deliveries_are_revoked_and_count_for_nothing() {
    let t = TestDb::new().await;
    let db = &t.db;
    let iin1 = iin(1);
    let mut conn = db.pool().acquire().await.unwrap();
    assert_eq!(
        codes::last_created_at_in(&mut conn, &iin1, CodePurpose::SignIn)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        codes::count_created_since_in(&mut conn, &iin1, 0)
            .await
            .unwrap(),
        0
    );

    let sent = sent_code(db, 1, CodePurpose::SignIn, 7, T0).await;
    let pending = codes::insert(db, &new_code(1, CodePurpose::Recovery, 7, T0 + MINUTE))
        .await
        .unwrap();
    let failed = codes::insert(db, &new_code(1, CodePurpose::SignIn, 7, T0 + 2 * MINUTE))
        .await
        .unwrap();
    assert!(
        codes::mark_failed(db, failed.id, T0 + 3 * MINUTE)
            .await
            .unwrap()
    );
    assert!(
        !codes::mark_failed(db, sent, T0).await.unwrap(),
        "only pending"
    );
    let failed = codes::get(db, failed.id).await.unwrap().expect("row");
    assert_eq!(failed.delivery, DeliveryState::Failed);
    assert_eq!(failed.revoked_at_ms, Some(T0 + 3 * MINUTE));

    // The failed code is ignored by the resend interval and the hourly count.
    assert_eq!(
        codes::last_created_at_in(&mut conn, &iin1, CodePurpose::SignIn)
            .await
            .unwrap(),
        Some(T0)
    );
    assert_eq!(
        codes::last_created_at_in(&mut conn, &iin1, CodePurpose::Recovery)
            .await
            .unwrap(),
        Some(T0 + MINUTE)
    );
    // All purposes count; the window's start is inclusive.
    assert_eq!(
        codes::count_created_since_in(&mut conn, &iin1, T0)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        codes::count_created_since_in(&mut conn, &iin1, T0 + 1)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        codes::count_created_since_in(&mut conn, &iin(2), 0)
            .await
            .unwrap(),
        0
    );
    drop(conn);
    assert_eq!(pending.delivery, DeliveryState::Pending);
    t.cleanup().await;
}

#[tokio::test]
async fn a_new_code_revokes_the_others_of_its_iin_and_purpose() {
    let t = TestDb::new().await;
    let db = &t.db;
    let old = sent_code(db, 1, CodePurpose::Recovery, 7, T0).await;
    let old_other_chat = sent_code(db, 1, CodePurpose::Recovery, 8, T0).await;
    let other_purpose = sent_code(db, 1, CodePurpose::SignIn, 7, T0).await;
    let other_iin = sent_code(db, 2, CodePurpose::Recovery, 7, T0).await;
    let new = sent_code(db, 1, CodePurpose::Recovery, 7, T0 + MINUTE).await;

    let revoked = codes::revoke_others(db, &iin(1), CodePurpose::Recovery, new, T0 + MINUTE)
        .await
        .unwrap();
    assert_eq!(revoked, 2);
    for id in [old, old_other_chat] {
        let row = codes::get(db, id).await.unwrap().expect("row");
        assert_eq!(row.revoked_at_ms, Some(T0 + MINUTE));
    }
    for id in [other_purpose, other_iin, new] {
        let row = codes::get(db, id).await.unwrap().expect("row");
        assert_eq!(row.revoked_at_ms, None);
    }
    // Revoked codes are no longer current, nor can they be spent.
    assert_eq!(
        codes::current(db, &iin(1), CodePurpose::Recovery, 8)
            .await
            .unwrap(),
        None
    );
    assert!(!codes::mark_used(db, old, T0 + MINUTE).await.unwrap());
    assert_eq!(
        codes::current(db, &iin(1), CodePurpose::Recovery, 7)
            .await
            .unwrap()
            .map(|c| c.id),
        Some(new)
    );
    t.cleanup().await;
}

#[tokio::test]
async fn attempts_stop_at_the_maximum() {
    let t = TestDb::new().await;
    let db = &t.db;
    let id = sent_code(db, 1, CodePurpose::SignIn, 7, T0).await;
    for expected in 1..=5 {
        assert_eq!(
            codes::count_attempt(db, id, 5).await.unwrap(),
            Some(expected)
        );
    }
    assert_eq!(codes::count_attempt(db, id, 5).await.unwrap(), None);
    assert_eq!(
        codes::get(db, id).await.unwrap().map(|c| c.attempts),
        Some(5)
    );
    assert_eq!(codes::count_attempt(db, id + 1000, 5).await.unwrap(), None);
    t.cleanup().await;
}

#[tokio::test]
async fn fifty_parallel_wrong_entries_never_count_past_the_maximum() {
    let t = TestDb::new().await;
    let db = Arc::new(t.db.clone());
    let id = sent_code(&db, 1, CodePurpose::SignIn, 7, T0).await;
    let results = join_all((0..50).map(|_| {
        let db = Arc::clone(&db);
        tokio::spawn(async move { codes::count_attempt(&db, id, 5).await })
    }))
    .await;
    let counted: Vec<i64> = results
        .into_iter()
        .filter_map(|r| r.expect("task").expect("statement"))
        .collect();
    let mut sorted = counted.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![1, 2, 3, 4, 5], "each count handed out once");
    assert_eq!(
        codes::get(&db, id).await.unwrap().map(|c| c.attempts),
        Some(5)
    );
    t.cleanup().await;
}

#[tokio::test]
async fn fifty_parallel_spends_of_one_code_have_exactly_one_winner() {
    let t = TestDb::new().await;
    let db = Arc::new(t.db.clone());
    let id = sent_code(&db, 1, CodePurpose::Registration, 7, T0).await;
    let results = join_all((0..50).map(|i| {
        let db = Arc::clone(&db);
        tokio::spawn(async move { codes::mark_used(&db, id, T0 + i).await })
    }))
    .await;
    let winners = results
        .into_iter()
        .map(|r| r.expect("task").expect("statement"))
        .filter(|won| *won)
        .count();
    assert_eq!(winners, 1);
    let row = codes::get(&db, id).await.unwrap().expect("row");
    assert!(row.used_at_ms.is_some());
    assert!(!codes::mark_used(&db, id, T0 + 100).await.unwrap());
    t.cleanup().await;
}

#[tokio::test]
async fn a_verification_is_redeemed_once_in_its_chat_and_for_its_purposes() {
    let t = TestDb::new().await;
    let db = &t.db;
    let both = [CodePurpose::Registration, CodePurpose::Recovery];
    let id = sent_code(db, 1, CodePurpose::Recovery, 7, T0).await;
    // Not yet entered: nothing to redeem.
    assert!(
        !codes::redeem_verified(db, &iin(1), 7, &both, T0, T0)
            .await
            .unwrap()
    );
    assert!(codes::mark_used(db, id, T0 + MINUTE).await.unwrap());

    // Wrong purpose, chat, IIN, or too old a verification: refused.
    assert!(
        !codes::redeem_verified(db, &iin(1), 7, &[CodePurpose::SignIn], T0, T0)
            .await
            .unwrap()
    );
    assert!(
        !codes::redeem_verified(db, &iin(1), 8, &both, T0, T0)
            .await
            .unwrap()
    );
    assert!(
        !codes::redeem_verified(db, &iin(2), 7, &both, T0, T0)
            .await
            .unwrap()
    );
    assert!(
        !codes::redeem_verified(db, &iin(1), 7, &both, T0 + 2 * MINUTE, T0)
            .await
            .unwrap()
    );
    assert!(
        !codes::redeem_verified(db, &iin(1), 7, &[], T0, T0)
            .await
            .unwrap()
    );

    // 20 parallel redeems: one wins.
    let db2 = Arc::new(db.clone());
    let results = join_all((0..20).map(|_| {
        let db = Arc::clone(&db2);
        tokio::spawn(async move {
            codes::redeem_verified(&db, &iin(1), 7, &both, T0, T0 + 2 * MINUTE).await
        })
    }))
    .await;
    let winners = results
        .into_iter()
        .map(|r| r.expect("task").expect("statement"))
        .filter(|won| *won)
        .count();
    assert_eq!(winners, 1);
    let row = codes::get(db, id).await.unwrap().expect("row");
    assert_eq!(row.redeemed_at_ms, Some(T0 + 2 * MINUTE));

    // A used verification dies with a newer code of its purpose.
    let sign_in = sent_code(db, 1, CodePurpose::SignIn, 7, T0).await;
    assert!(codes::mark_used(db, sign_in, T0).await.unwrap());
    let newer = sent_code(db, 1, CodePurpose::SignIn, 7, T0 + MINUTE).await;
    codes::revoke_others(db, &iin(1), CodePurpose::SignIn, newer, T0 + MINUTE)
        .await
        .unwrap();
    assert!(
        !codes::redeem_verified(db, &iin(1), 7, &[CodePurpose::SignIn], T0, T0 + MINUTE)
            .await
            .unwrap()
    );
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// password locks

const POLICY: LockPolicy = LockPolicy {
    max_failures: 5,
    window_ms: 15 * MINUTE,
    lock_ms: 15 * MINUTE,
};

#[tokio::test]
async fn five_attempts_set_the_lock_which_neither_counts_nor_grows() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = iin(1);
    assert_eq!(password_locks::get(db, &who).await.unwrap(), None);
    for n in 1..=4 {
        assert_eq!(
            password_locks::claim_attempt(db, &who, T0 + n, POLICY)
                .await
                .unwrap(),
            Claim::Counted {
                failures: n,
                locks_until_ms: 0
            }
        );
    }
    let until = T0 + 5 + 15 * MINUTE;
    assert_eq!(
        password_locks::claim_attempt(db, &who, T0 + 5, POLICY)
            .await
            .unwrap(),
        Claim::Counted {
            failures: 5,
            locks_until_ms: until
        }
    );
    let before = password_locks::get(db, &who).await.unwrap().expect("row");
    for later in [T0 + 6, T0 + 10 * MINUTE, until - 1] {
        assert_eq!(
            password_locks::claim_attempt(db, &who, later, POLICY)
                .await
                .unwrap(),
            Claim::Locked { until_ms: until }
        );
    }
    assert_eq!(
        password_locks::get(db, &who).await.unwrap(),
        Some(before),
        "attempts during the lock change nothing"
    );
    // Another IIN is not affected.
    assert!(matches!(
        password_locks::claim_attempt(db, &iin(2), T0 + 6, POLICY)
            .await
            .unwrap(),
        Claim::Counted { failures: 1, .. }
    ));
    // When the lock ends, counting starts afresh.
    assert_eq!(
        password_locks::claim_attempt(db, &who, until, POLICY)
            .await
            .unwrap(),
        Claim::Counted {
            failures: 1,
            locks_until_ms: 0
        }
    );
    let row = password_locks::get(db, &who).await.unwrap().expect("row");
    assert_eq!((row.window_start_ms, row.locked_until_ms), (until, 0));
    t.cleanup().await;
}

#[tokio::test]
async fn failures_outside_the_window_are_forgotten_and_clear_resets() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = iin(3);
    for n in 0..4 {
        password_locks::claim_attempt(db, &who, T0 + n * MINUTE, POLICY)
            .await
            .unwrap();
    }
    // 15 minutes after the first failure, the window starts again.
    assert_eq!(
        password_locks::claim_attempt(db, &who, T0 + 15 * MINUTE, POLICY)
            .await
            .unwrap(),
        Claim::Counted {
            failures: 1,
            locks_until_ms: 0
        }
    );
    password_locks::clear(db, &who).await.unwrap();
    assert_eq!(password_locks::get(db, &who).await.unwrap(), None);
    password_locks::clear(db, &who).await.unwrap();
    // A limit of one locks at once.
    let strict = LockPolicy {
        max_failures: 1,
        ..POLICY
    };
    assert_eq!(
        password_locks::claim_attempt(db, &who, T0, strict)
            .await
            .unwrap(),
        Claim::Counted {
            failures: 1,
            locks_until_ms: T0 + 15 * MINUTE
        }
    );
    t.cleanup().await;
}

#[tokio::test]
async fn fifty_parallel_password_attempts_count_at_most_five() {
    let t = TestDb::new().await;
    let db = Arc::new(t.db.clone());
    let results = join_all((0..50).map(|_| {
        let db = Arc::clone(&db);
        tokio::spawn(async move { password_locks::claim_attempt(&db, &iin(4), T0, POLICY).await })
    }))
    .await;
    let claims: Vec<Claim> = results
        .into_iter()
        .map(|r| r.expect("task").expect("statement"))
        .collect();
    let counted = claims
        .iter()
        .filter(|c| matches!(c, Claim::Counted { .. }))
        .count();
    assert_eq!(counted, 5);
    let row = password_locks::get(&db, &iin(4))
        .await
        .unwrap()
        .expect("row");
    assert_eq!(row.failures, 5);
    assert_eq!(row.locked_until_ms, T0 + 15 * MINUTE);
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// logins

#[tokio::test]
async fn logins_are_touched_within_their_limits_and_end_once() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 1).await;
    let login = logins::create(db, who, 7, T0).await.unwrap();
    assert_eq!(
        (login.created_at_ms, login.last_active_ms, login.ended_at_ms),
        (T0, T0, None)
    );
    assert_eq!(
        logins::get(db, login.id).await.unwrap(),
        Some(login.clone())
    );

    // Fresh: refreshed (and never moved backwards).
    assert!(
        logins::touch_if_fresh(db, login.id, T0 + MINUTE, T0 - MINUTE, T0 - MINUTE)
            .await
            .unwrap()
    );
    assert!(
        logins::touch_if_fresh(db, login.id, T0, T0 - MINUTE, T0 - MINUTE)
            .await
            .unwrap()
    );
    assert_eq!(
        logins::get(db, login.id)
            .await
            .unwrap()
            .map(|l| l.last_active_ms),
        Some(T0 + MINUTE)
    );
    // Idle or too old: not refreshed.
    assert!(
        !logins::touch_if_fresh(db, login.id, T0 + 2 * MINUTE, T0 + MINUTE + 1, 0)
            .await
            .unwrap()
    );
    assert!(
        !logins::touch_if_fresh(db, login.id, T0 + 2 * MINUTE, 0, T0 + 1)
            .await
            .unwrap()
    );
    assert!(
        !logins::touch_if_fresh(db, login.id + 99, T0, 0, 0)
            .await
            .unwrap()
    );

    assert!(
        logins::end(db, login.id, T0 + 3 * MINUTE, EndReason::Idle)
            .await
            .unwrap()
    );
    assert!(
        !logins::end(db, login.id, T0 + 4 * MINUTE, EndReason::Logout)
            .await
            .unwrap()
    );
    let ended = logins::get(db, login.id).await.unwrap().expect("row");
    assert_eq!(ended.ended_at_ms, Some(T0 + 3 * MINUTE));
    assert_eq!(ended.end_reason, Some(EndReason::Idle));
    assert!(
        !logins::touch_if_fresh(db, login.id, T0, 0, 0)
            .await
            .unwrap()
    );
    t.cleanup().await;
}

#[tokio::test]
async fn ending_is_scoped_and_active_logins_are_listed() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = depositor(db, 1).await;
    let b = depositor(db, 2).await;
    let a1 = logins::create(db, a, 10, T0).await.unwrap();
    let a2 = logins::create(db, a, 11, T0 + MINUTE).await.unwrap();
    let a3 = logins::create(db, a, 12, T0 + 2 * MINUTE).await.unwrap();
    let b1 = logins::create(db, b, 20, T0).await.unwrap();

    // B cannot end A's login.
    assert!(
        !logins::end_of_depositor(db, b, a1.id, T0, EndReason::EndedElsewhere)
            .await
            .unwrap()
    );
    assert!(
        logins::end_of_depositor(db, a, a1.id, T0 + 3 * MINUTE, EndReason::EndedElsewhere)
            .await
            .unwrap()
    );
    let ids = |list: Vec<logins::LoginRecord>| list.into_iter().map(|l| l.id).collect::<Vec<_>>();
    assert_eq!(
        ids(logins::active_of(db, a, 0, 0).await.unwrap()),
        vec![a2.id, a3.id]
    );
    assert_eq!(
        ids(logins::active_of(db, b, 0, 0).await.unwrap()),
        vec![b1.id]
    );
    // The limits filter the list.
    assert_eq!(
        ids(logins::active_of(db, a, T0 + 2 * MINUTE, 0).await.unwrap()),
        vec![a3.id]
    );
    assert_eq!(
        ids(logins::active_of(db, a, 0, T0 + MINUTE + 1).await.unwrap()),
        vec![a3.id]
    );

    // A new sign-in in chat 11 ends what was open there, and only there.
    assert_eq!(
        logins::end_all_in_chat(db, 11, T0 + 4 * MINUTE, EndReason::Replaced)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        logins::get(db, a2.id)
            .await
            .unwrap()
            .and_then(|l| l.end_reason),
        Some(EndReason::Replaced)
    );
    assert_eq!(
        ids(logins::active_of(db, a, 0, 0).await.unwrap()),
        vec![a3.id]
    );
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// chats.remember_iin

#[tokio::test]
async fn a_chat_remembers_and_forgets_an_iin() {
    let t = TestDb::new().await;
    let db = &t.db;
    chats::touch(db, 7, 70, T0).await.unwrap();
    assert_eq!(chats::remembered_iin(db, 7).await.unwrap(), None);
    chats::set_remembered_iin(db, 7, Some(&iin(1)))
        .await
        .unwrap();
    assert_eq!(chats::remembered_iin(db, 7).await.unwrap(), Some(iin(1)));
    chats::set_remembered_iin(db, 7, None).await.unwrap();
    assert_eq!(chats::remembered_iin(db, 7).await.unwrap(), None);

    assert_eq!(chats::remembered_iin(db, 8).await.unwrap(), None);
    assert!(matches!(
        chats::set_remembered_iin(db, 8, Some(&iin(1))).await,
        Err(StoreError::NotFound { .. })
    ));
    t.cleanup().await;
}
