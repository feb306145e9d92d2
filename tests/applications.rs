//! Applications and their status history (migration 0004) against a real database: a
//! temporary SQLite file, or a fresh PostgreSQL schema when `TEST_DATABASE_URL` is set
//! (`tests/support/pg.rs`).
//!
//! Besides each function's behaviour: one depositor never reaches another's application,
//! a status and its history row commit together, and of parallel final decisions exactly one
//! wins.

mod support;

use chrono::NaiveDate;
use futures::future::join_all;
use support::pg::TestDb;
use zeinet::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, StatusNote, document_digest,
};
use zeinet::domain::{Iin, Sex};
use zeinet::store::applications::{
    self, ApplicationSummary, NewApplication, StatusChange, StatusChangeError,
};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::{Db, StoreError};

/// 2026-03-02 10:00 in Kazakhstan.
const T0: i64 = 1_772_427_600_000;
const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

use ApplicationStatus::*;

/// The `n`-th valid IIN of men born on 7 July 1988 (different for different `n`).
fn iin(n: u32) -> Iin {
    let birth = NaiveDate::from_ymd_opt(1988, 7, 7).expect("date");
    (1..10_000)
        .filter_map(|serial| Iin::from_parts(birth, Sex::Male, serial))
        .nth(n as usize)
        .expect("enough IINs")
}

async fn depositor(db: &Db, n: u32) -> i64 {
    let new = NewDepositor {
        iin: iin(n),
        last_name: "Омаров".into(),
        first_name: "Ерлан".into(),
        patronymic: None,
        birth_date: NaiveDate::from_ymd_opt(1988, 7, 7).expect("date"),
        sex: Sex::Male,
        phone: None,
        email: None,
        disability: None,
        created_at_ms: T0,
    };
    depositors::insert(db, &new).await.expect("depositor").id
}

fn draft(depositor_id: i64, kind: ApplicationKind, at: i64) -> NewApplication {
    NewApplication {
        depositor_id,
        kind,
        status: Draft,
        created_at_ms: at,
        document: None,
        note: None,
    }
}

async fn file(db: &Db, depositor_id: i64, at: i64) -> ApplicationSummary {
    applications::insert(
        db,
        &draft(depositor_id, ApplicationKind::BankDetailsChange, at),
    )
    .await
    .expect("insert")
}

fn to(status: ApplicationStatus, at: i64) -> StatusChange {
    StatusChange {
        to: status,
        at_ms: at,
        note: None,
    }
}

/// Walks an application from draft to under review, a minute a step.
async fn submit(db: &Db, depositor_id: i64, number: &ApplicationNumber, from: i64) -> i64 {
    let mut at = from;
    for status in [AwaitingSignature, Signed, Accepted, UnderReview] {
        at += MINUTE;
        applications::change_status(db, depositor_id, number, &to(status, at))
            .await
            .expect("allowed step");
    }
    at
}

#[tokio::test]
async fn insert_numbers_by_year_and_stores_the_document_digest() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 0).await;

    let first = file(db, who, T0).await;
    let second = file(db, who, T0 + MINUTE).await;
    assert_eq!(first.number.to_string(), "Z-2026-000001");
    assert_eq!(second.number.to_string(), "Z-2026-000002");
    assert_eq!(
        (first.status, first.created_at_ms, first.updated_at_ms),
        (Draft, T0, T0)
    );
    // 2025-12-31 23:59 in Kazakhstan is still 2025.
    let old = file(db, who, 1_767_207_540_000).await;
    assert_eq!(old.number.to_string(), "Z-2025-000001");
    assert_eq!(file(db, who, T0 + 2 * MINUTE).await.number.sequence(), 3);

    let document = r#"{"iban":"KZ00DEMO0000000001","kind":"bank_details_change"}"#;
    let with_document = applications::insert(
        db,
        &NewApplication {
            document: Some(document.to_owned()),
            status: Accepted,
            ..draft(who, ApplicationKind::BankDetailsChange, T0 + 3 * MINUTE)
        },
    )
    .await
    .expect("an imported, accepted application");
    let detail = applications::get_for_depositor(db, who, &with_document.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.document.as_deref(), Some(document));
    assert_eq!(
        detail.document_sha256.as_deref(),
        Some(document_digest(document).as_str())
    );
    let plain = applications::get_for_depositor(db, who, &first.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!((plain.document, plain.document_sha256), (None, None));

    let executed = NewApplication {
        status: Executed,
        ..draft(who, ApplicationKind::ManagerChoice, T0)
    };
    let refused = applications::insert(db, &executed).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid { .. })),
        "{refused:?}"
    );
    let nobody =
        applications::insert(db, &draft(who + 1_000, ApplicationKind::ManagerChoice, T0)).await;
    assert!(nobody.is_err(), "the depositor must exist");
    t.cleanup().await;
}

#[tokio::test]
async fn parallel_inserts_get_distinct_consecutive_numbers() {
    let t = TestDb::new().await;
    let who = depositor(&t.db, 0).await;
    let results = join_all((0..20).map(|i| {
        let db = t.db.clone();
        async move { file(&db, who, T0 + i).await.number.sequence() }
    }))
    .await;
    let mut sequences = results;
    sequences.sort_unstable();
    assert_eq!(sequences, (1..=20).collect::<Vec<u32>>());
    t.cleanup().await;
}

#[tokio::test]
async fn transitions_are_checked() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 0).await;
    let app = file(db, who, T0).await;
    let n = &app.number;

    let skip = applications::change_status(db, who, n, &to(Accepted, T0 + MINUTE)).await;
    assert!(matches!(
        skip,
        Err(StatusChangeError::NotAllowed {
            from: Draft,
            to: Accepted
        })
    ));
    let at = submit(db, who, n, T0).await;
    let back = applications::change_status(db, who, n, &to(Accepted, at + MINUTE)).await;
    assert!(matches!(
        back,
        Err(StatusChangeError::NotAllowed {
            from: UnderReview,
            to: Accepted
        })
    ));
    let backdated = applications::change_status(db, who, n, &to(Executed, at - 1)).await;
    assert!(matches!(
        backdated,
        Err(StatusChangeError::BeforeLastChange)
    ));

    let done = applications::change_status(db, who, n, &to(Executed, at + DAY))
        .await
        .expect("under review -> executed");
    assert_eq!((done.status, done.updated_at_ms), (Executed, at + DAY));
    for next in ApplicationStatus::ALL {
        let after = applications::change_status(db, who, n, &to(next, at + 2 * DAY)).await;
        assert!(
            matches!(
                after,
                Err(StatusChangeError::NotAllowed { from: Executed, .. })
            ),
            "executed -> {next:?}: {after:?}"
        );
    }
    let stored = applications::get_for_depositor(db, who, n)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(stored.summary.status, Executed);
    assert_eq!(stored.history.len(), 6, "refused changes left no trace");
    t.cleanup().await;
}

#[tokio::test]
async fn history_records_every_status_with_its_note() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 0).await;
    let app = file(db, who, T0).await;
    let at = submit(db, who, &app.number, T0).await;
    let refusal = StatusChange {
        to: Refused,
        at_ms: at + DAY,
        note: Some(StatusNote::ManagerChangeTooSoon),
    };
    applications::change_status(db, who, &app.number, &refusal)
        .await
        .expect("refused");
    let detail = applications::get_for_depositor(db, who, &app.number)
        .await
        .expect("read")
        .expect("found");
    let statuses: Vec<_> = detail.history.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            Draft,
            AwaitingSignature,
            Signed,
            Accepted,
            UnderReview,
            Refused
        ]
    );
    let times: Vec<_> = detail.history.iter().map(|e| e.at_ms).collect();
    assert_eq!(
        times,
        [
            T0,
            T0 + MINUTE,
            T0 + 2 * MINUTE,
            T0 + 3 * MINUTE,
            at,
            at + DAY
        ]
    );
    let notes: Vec<_> = detail.history.iter().map(|e| e.note).collect();
    assert_eq!(notes[..5], [None; 5]);
    assert_eq!(notes[5], Some(StatusNote::ManagerChangeTooSoon));
    assert_eq!(detail.summary.status, Refused);
    assert_eq!(detail.summary.updated_at_ms, at + DAY);
    t.cleanup().await;
}

#[tokio::test]
async fn a_status_and_its_history_row_commit_or_roll_back_together() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 0).await;
    let app = file(db, who, T0).await;

    let mut tx = db.begin_write().await.expect("begin");
    applications::change_status_in(&mut tx, who, &app.number, &to(AwaitingSignature, T0 + 1))
        .await
        .expect("allowed");
    tx.rollback().await.expect("rollback");
    let detail = applications::get_for_depositor(db, who, &app.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.summary.status, Draft);
    assert_eq!(detail.history.len(), 1);

    let mut tx = db.begin_write().await.expect("begin");
    applications::change_status_in(&mut tx, who, &app.number, &to(AwaitingSignature, T0 + 1))
        .await
        .expect("allowed");
    tx.commit().await.expect("commit");
    let detail = applications::get_for_depositor(db, who, &app.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.summary.status, AwaitingSignature);
    assert_eq!(detail.history.len(), 2);
    t.cleanup().await;
}

#[tokio::test]
async fn of_parallel_final_decisions_exactly_one_wins() {
    let t = TestDb::new().await;
    let db = &t.db;
    let who = depositor(db, 0).await;
    let app = file(db, who, T0).await;
    let at = submit(db, who, &app.number, T0).await;
    let finals = [Executed, Refused, Returned, Cancelled];
    let results = join_all((0..16).map(|i| {
        let db = db.clone();
        let number = app.number;
        async move {
            let change = to(finals[i % finals.len()], at + DAY);
            applications::change_status(&db, who, &number, &change).await
        }
    }))
    .await;
    let winners: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    for loser in results.iter().filter(|r| r.is_err()) {
        assert!(
            matches!(loser, Err(StatusChangeError::NotAllowed { .. })),
            "{loser:?}"
        );
    }
    let detail = applications::get_for_depositor(db, who, &app.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.history.len(), 6);
    assert_eq!(detail.summary.status, winners[0].status);
    assert_eq!(
        detail.history.last().map(|e| e.status),
        Some(winners[0].status)
    );
    t.cleanup().await;
}

#[tokio::test]
async fn pages_are_newest_first_with_totals() {
    let t = TestDb::new().await;
    let db = &t.db;
    let me = depositor(db, 0).await;
    let other = depositor(db, 1).await;
    let mut mine = Vec::new();
    for i in 0..12 {
        // Several share a creation time; then the later insert counts as newer.
        let at = T0 + (i / 2 + i % 2 * (i / 6)) * MINUTE;
        mine.push(file(db, me, at).await);
        if i < 3 {
            file(db, other, T0 + 100 * MINUTE).await;
        }
    }
    let mut newest_first = mine.clone();
    newest_first.sort_by_key(|a| std::cmp::Reverse((a.created_at_ms, a.id)));

    let (page, total) = applications::list_for_depositor(db, me, 0, 5)
        .await
        .expect("page 1");
    assert_eq!(total, 12);
    assert_eq!(page, newest_first[..5]);
    let (page, _) = applications::list_for_depositor(db, me, 5, 5)
        .await
        .expect("page 2");
    assert_eq!(page, newest_first[5..10]);
    let (page, total) = applications::list_for_depositor(db, me, 10, 5)
        .await
        .expect("page 3");
    assert_eq!((page.as_slice(), total), (&newest_first[10..], 12));
    let (page, total) = applications::list_for_depositor(db, me, 12, 5)
        .await
        .expect("past the end");
    assert!(page.is_empty());
    assert_eq!(total, 12);
    let (page, total) = applications::list_for_depositor(db, me, 0, 0)
        .await
        .expect("empty page");
    assert_eq!((page.len(), total), (0, 12));
    let (page, _) = applications::list_for_depositor(db, me, 0, u32::MAX)
        .await
        .expect("capped page");
    assert_eq!(page, newest_first);

    let (theirs, total) = applications::list_for_depositor(db, other, 0, 100)
        .await
        .expect("other's list");
    assert_eq!(total, 3);
    assert!(theirs.iter().all(|a| a.depositor_id == other));
    let (nobody, total) = applications::list_for_depositor(db, other + 1_000, 0, 10)
        .await
        .expect("unknown depositor");
    assert_eq!((nobody.len(), total), (0, 0));
    t.cleanup().await;
}

#[tokio::test]
async fn another_depositors_application_is_out_of_reach() {
    let t = TestDb::new().await;
    let db = &t.db;
    let owner = depositor(db, 0).await;
    let stranger = depositor(db, 1).await;
    let app = file(db, owner, T0).await;

    let peek = applications::get_for_depositor(db, stranger, &app.number)
        .await
        .expect("read");
    assert_eq!(peek, None);
    let tamper =
        applications::change_status(db, stranger, &app.number, &to(Cancelled, T0 + 1)).await;
    assert!(
        matches!(tamper, Err(StatusChangeError::NotFound)),
        "{tamper:?}"
    );
    let detail = applications::get_for_depositor(db, owner, &app.number)
        .await
        .expect("read")
        .expect("the owner sees it");
    assert_eq!((detail.summary.status, detail.history.len()), (Draft, 1));
    let unknown = ApplicationNumber::new(2026, 999).expect("number");
    assert_eq!(
        applications::get_for_depositor(db, owner, &unknown)
            .await
            .expect("read"),
        None
    );
    t.cleanup().await;
}

#[tokio::test]
async fn the_demo_seed_has_applications_to_track() {
    let t = TestDb::new().await;
    let db = &t.db;
    let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    zeinet::demo::seed(db, today, T0).await.expect("demo seeds");

    let people = zeinet::demo::people();
    let mut with_applications = Vec::new();
    for person in &people {
        let depositor = depositors::find_by_iin(db, &person.iin)
            .await
            .expect("read")
            .expect("seeded");
        let (_, total) = applications::list_for_depositor(db, depositor.id, 0, 10)
            .await
            .expect("list");
        if total > 0 {
            with_applications.push((person.number, total, depositor.id));
        }
    }
    let counts: Vec<_> = with_applications
        .iter()
        .map(|(n, total, _)| (*n, *total))
        .collect();
    // #39 (found by its stable seed) has a manager application under review to cancel.
    let pending = people
        .iter()
        .find(|p| p.stable_seed == Some(zeinet::demo::transfers::PENDING_APPLICATION))
        .map(|p| p.number)
        .expect("the demo cast has the pending manager application");
    assert_eq!(counts, [(13, 1), (31, 7), (pending, 1)]);

    let tracker = with_applications[1].2;
    let (page, total) = applications::list_for_depositor(db, tracker, 0, 5)
        .await
        .expect("first page");
    assert_eq!(total, 7);
    let statuses: Vec<_> = page.iter().map(|a| a.status).collect();
    assert_eq!(
        statuses,
        [UnderReview, Cancelled, Returned, Executed, Refused]
    );
    let (rest, _) = applications::list_for_depositor(db, tracker, 5, 5)
        .await
        .expect("second page");
    let statuses: Vec<_> = rest.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Executed, Executed]);
    assert!(page.iter().chain(&rest).all(|a| a.created_at_ms <= T0));

    let refused = &page[4];
    assert_eq!(refused.kind, ApplicationKind::ManagerChoice);
    let detail = applications::get_for_depositor(db, tracker, &refused.number)
        .await
        .expect("read")
        .expect("found");
    let history: Vec<_> = detail.history.iter().map(|e| (e.status, e.note)).collect();
    assert_eq!(
        history,
        [
            (Draft, None),
            (AwaitingSignature, None),
            (Signed, None),
            (Accepted, None),
            (UnderReview, None),
            (Refused, Some(StatusNote::ManagerChangeTooSoon)),
        ]
    );
    let document = detail.document.as_deref().unwrap_or_default();
    assert_eq!(
        detail.document_sha256.as_deref(),
        Some(document_digest(document).as_str())
    );
    // The same number is nothing to the person of the 2021 disability payout.
    let other = with_applications[0].2;
    assert_eq!(
        applications::get_for_depositor(db, other, &refused.number)
            .await
            .expect("read"),
        None
    );
    t.cleanup().await;
}
