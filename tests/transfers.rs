//! The transfer applications' service over a real (SQLite) database: `apply_accepted`
//! cancels the application a manager cancellation names — only the same depositor's, only
//! a manager application, only while accepted or under review — and the reads the flows
//! rely on (pending applications, cancellable ones, the registry's last transfer).

mod support;

use chrono::NaiveDate;
use support::pg::TestDb;
use zeinet::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, StatusNote,
};
use zeinet::domain::transfer_documents::{self, Signer};
use zeinet::domain::transfers::Savings;
use zeinet::domain::{Iin, Sex};
use zeinet::reference::payment_details;
use zeinet::services::transfers::{TransfersService, apply_accepted};
use zeinet::store::Db;
use zeinet::store::applications::{self, ApplicationSummary, NewApplication, StatusChange};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::manager_transfers::{self, Transfer};

const NOW: i64 = 1_772_445_600_000; // 2026-03-02 10:00 UTC
const MINUTE: i64 = 60_000;

/// Runs `test` on a migrated SQLite database, and on PostgreSQL (a schema of its own) when
/// `TEST_DATABASE_URL` is set.
async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Db) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let sqlite = TestDb::sqlite().await;
    test(sqlite.db.clone()).await;
    sqlite.cleanup().await;
    match TestDb::postgres().await {
        Some(postgres) => {
            test(postgres.db.clone()).await;
            postgres.cleanup().await;
        }
        None => eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set"),
    }
}

async fn depositor(db: &Db, serial: u32) -> (i64, Iin) {
    let birth = NaiveDate::from_ymd_opt(1985, 5, 17).expect("a date");
    let iin = (serial..serial + 100)
        .find_map(|s| Iin::from_parts(birth, Sex::Male, s))
        .expect("an IIN");
    let new = NewDepositor {
        iin: iin.clone(),
        last_name: "Тестов".into(),
        first_name: "Тест".into(),
        patronymic: None,
        birth_date: birth,
        sex: Sex::Male,
        phone: None,
        email: None,
        disability: None,
        created_at_ms: 0,
    };
    let stored = depositors::insert(db, &new).await.expect("depositor");
    (stored.id, iin)
}

/// An application imported as accepted (filed elsewhere), then moved through `then`.
async fn filed(
    db: &Db,
    depositor_id: i64,
    kind: ApplicationKind,
    then: &[ApplicationStatus],
) -> ApplicationSummary {
    let new = NewApplication {
        depositor_id,
        kind,
        status: ApplicationStatus::Accepted,
        created_at_ms: NOW - 10 * 24 * 60 * MINUTE,
        document: Some("{\"kind\":\"manager_choice\"}".into()),
        note: None,
    };
    let mut summary = applications::insert(db, &new).await.expect("insert");
    for (i, status) in then.iter().enumerate() {
        let change = StatusChange {
            to: *status,
            at_ms: NOW - 5 * 24 * 60 * MINUTE + i as i64 * MINUTE,
            note: None,
        };
        summary = applications::change_status(db, depositor_id, &summary.number, &change)
            .await
            .expect("status change");
    }
    summary
}

fn cancellation_document(iin: &Iin, target: &ApplicationNumber) -> String {
    let signer = Signer {
        iin: iin.clone(),
        full_name: "Тестов Тест".into(),
        created_at: transfer_documents::created_at(NOW).expect("in range"),
    };
    transfer_documents::manager_cancellation(
        &signer,
        target,
        ApplicationKind::ManagerChoice,
        "2026-02-20T10:00:00+05:00",
    )
}

/// A cancellation signed and accepted the way the signing page does it; returns it and its
/// document.
async fn accepted_cancellation(db: &Db, depositor_id: i64, document: String) -> ApplicationSummary {
    let new = NewApplication {
        depositor_id,
        kind: ApplicationKind::ManagerCancellation,
        status: ApplicationStatus::Draft,
        created_at_ms: NOW,
        document: Some(document),
        note: None,
    };
    let mut summary = applications::insert(db, &new).await.expect("insert");
    for (i, status) in [
        ApplicationStatus::AwaitingSignature,
        ApplicationStatus::Signed,
        ApplicationStatus::Accepted,
    ]
    .into_iter()
    .enumerate()
    {
        let change = StatusChange {
            to: status,
            at_ms: NOW + (i as i64 + 1) * MINUTE,
            note: None,
        };
        summary = applications::change_status(db, depositor_id, &summary.number, &change)
            .await
            .expect("status change");
    }
    summary
}

async fn apply(db: &Db, application: &ApplicationSummary, document: &str) {
    let mut tx = db.begin_write().await.expect("transaction");
    let i18n = zeinet::i18n::I18n::load().expect("locales");
    apply_accepted(&mut tx, &i18n, application, document)
        .await
        .expect("apply_accepted");
    tx.commit().await.expect("commit");
}

async fn status_of(db: &Db, depositor_id: i64, number: &ApplicationNumber) -> ApplicationStatus {
    applications::get_for_depositor(db, depositor_id, number)
        .await
        .expect("read")
        .expect("exists")
        .summary
        .status
}

#[tokio::test]
async fn an_accepted_cancellation_cancels_its_target() {
    on_each_backend(an_accepted_cancellation_cancels_its_target_on).await;
}

async fn an_accepted_cancellation_cancels_its_target_on(db: Db) {
    let (me, iin) = depositor(&db, 101).await;
    let target = filed(
        &db,
        me,
        ApplicationKind::ManagerChoice,
        &[ApplicationStatus::UnderReview],
    )
    .await;
    let document = cancellation_document(&iin, &target.number);
    let cancellation = accepted_cancellation(&db, me, document.clone()).await;
    apply(&db, &cancellation, &document).await;

    let detail = applications::get_for_depositor(&db, me, &target.number)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.summary.status, ApplicationStatus::Cancelled);
    let last = detail.history.last().expect("history");
    assert_eq!(last.note, Some(StatusNote::CancelledByDepositor));
    assert_eq!(last.at_ms, cancellation.updated_at_ms);
    // The cancellation itself stays accepted.
    assert_eq!(
        status_of(&db, me, &cancellation.number).await,
        ApplicationStatus::Accepted
    );
}

#[tokio::test]
async fn an_accepted_target_is_cancelled_too() {
    on_each_backend(an_accepted_target_is_cancelled_too_on).await;
}

async fn an_accepted_target_is_cancelled_too_on(db: Db) {
    let (me, iin) = depositor(&db, 201).await;
    let target = filed(&db, me, ApplicationKind::ReturnToNationalBank, &[]).await;
    let document = cancellation_document(&iin, &target.number);
    let cancellation = accepted_cancellation(&db, me, document.clone()).await;
    apply(&db, &cancellation, &document).await;
    assert_eq!(
        status_of(&db, me, &target.number).await,
        ApplicationStatus::Cancelled
    );
}

#[tokio::test]
async fn another_depositors_application_is_never_touched() {
    on_each_backend(another_depositors_application_is_never_touched_on).await;
}

async fn another_depositors_application_is_never_touched_on(db: Db) {
    let (me, iin) = depositor(&db, 301).await;
    let (other, _) = depositor(&db, 401).await;
    let theirs = filed(&db, other, ApplicationKind::ManagerChoice, &[]).await;
    let document = cancellation_document(&iin, &theirs.number);
    let cancellation = accepted_cancellation(&db, me, document.clone()).await;
    apply(&db, &cancellation, &document).await;
    assert_eq!(
        status_of(&db, other, &theirs.number).await,
        ApplicationStatus::Accepted
    );
}

#[tokio::test]
async fn executed_and_other_kinds_are_left_alone() {
    on_each_backend(executed_and_other_kinds_are_left_alone_on).await;
}

async fn executed_and_other_kinds_are_left_alone_on(db: Db) {
    let (me, iin) = depositor(&db, 501).await;
    let executed = filed(
        &db,
        me,
        ApplicationKind::ManagerChoice,
        &[ApplicationStatus::UnderReview, ApplicationStatus::Executed],
    )
    .await;
    let bank = filed(&db, me, ApplicationKind::BankDetailsChange, &[]).await;
    for target in [&executed, &bank] {
        let document = cancellation_document(&iin, &target.number);
        let cancellation = accepted_cancellation(&db, me, document.clone()).await;
        apply(&db, &cancellation, &document).await;
    }
    assert_eq!(
        status_of(&db, me, &executed.number).await,
        ApplicationStatus::Executed
    );
    assert_eq!(
        status_of(&db, me, &bank.number).await,
        ApplicationStatus::Accepted
    );
}

#[tokio::test]
async fn other_kinds_of_accepted_applications_do_nothing() {
    on_each_backend(other_kinds_of_accepted_applications_do_nothing_on).await;
}

async fn other_kinds_of_accepted_applications_do_nothing_on(db: Db) {
    let (me, iin) = depositor(&db, 601).await;
    let target = filed(&db, me, ApplicationKind::ManagerChoice, &[]).await;
    // A contribution whose document happens to name the target: not a cancellation.
    let document = cancellation_document(&iin, &target.number);
    let contribution = filed(&db, me, ApplicationKind::VoluntaryTransfer, &[]).await;
    apply(&db, &contribution, &document).await;
    // A cancellation whose document does not parse.
    let broken = accepted_cancellation(&db, me, "{}".into()).await;
    apply(&db, &broken, "{}").await;
    assert_eq!(
        status_of(&db, me, &target.number).await,
        ApplicationStatus::Accepted
    );
}

fn service(db: &Db) -> TransfersService {
    TransfersService::new(
        db.clone(),
        None,
        payment_details::embedded().expect("payment details"),
    )
}

#[tokio::test]
async fn cancellable_leaves_out_those_already_being_cancelled() {
    on_each_backend(cancellable_leaves_out_those_already_being_cancelled_on).await;
}

async fn cancellable_leaves_out_those_already_being_cancelled_on(db: Db) {
    let (me, iin) = depositor(&db, 701).await;
    let first = filed(&db, me, ApplicationKind::ManagerChoice, &[]).await;
    let second = filed(
        &db,
        me,
        ApplicationKind::ReturnToNationalBank,
        &[ApplicationStatus::UnderReview],
    )
    .await;
    let _done = filed(
        &db,
        me,
        ApplicationKind::ManagerChoice,
        &[ApplicationStatus::Cancelled],
    )
    .await;
    let transfers = service(&db);
    let open: Vec<_> = transfers
        .cancellable(me)
        .await
        .expect("read")
        .open
        .iter()
        .map(|a| a.number)
        .collect();
    assert_eq!(open.len(), 2);
    assert!(open.contains(&first.number) && open.contains(&second.number));

    // A cancellation of `first` on its way (awaiting signature, not yet accepted).
    let new = NewApplication {
        depositor_id: me,
        kind: ApplicationKind::ManagerCancellation,
        status: ApplicationStatus::Draft,
        created_at_ms: NOW,
        document: Some(cancellation_document(&iin, &first.number)),
        note: None,
    };
    let draft = applications::insert(&db, &new).await.expect("insert");
    // A draft alone does not count: it may be abandoned.
    assert_eq!(transfers.cancellable(me).await.expect("read").open.len(), 2);
    let change = StatusChange {
        to: ApplicationStatus::AwaitingSignature,
        at_ms: NOW + MINUTE,
        note: None,
    };
    applications::change_status(&db, me, &draft.number, &change)
        .await
        .expect("awaiting signature");
    let now = transfers.cancellable(me).await.expect("read");
    assert_eq!(
        now.open.iter().map(|a| a.number).collect::<Vec<_>>(),
        [second.number]
    );
    assert_eq!(
        now.being_cancelled
            .iter()
            .map(|a| a.number)
            .collect::<Vec<_>>(),
        [first.number]
    );
}

#[tokio::test]
async fn the_position_has_the_last_transfer_and_pending_applications() {
    on_each_backend(the_position_has_the_last_transfer_and_pending_applications_on).await;
}

async fn the_position_has_the_last_transfer_and_pending_applications_on(db: Db) {
    let (me, _) = depositor(&db, 801).await;
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    let mut tx = db.begin_write().await.expect("transaction");
    for (on, savings, manager) in [
        (day(2024, 6, 1), Savings::Mandatory, "halyk_global_markets"),
        (day(2025, 9, 20), Savings::Voluntary, "bcc_invest"),
        (day(2025, 1, 5), Savings::Mandatory, "nbrk"),
    ] {
        let transfer = Transfer {
            depositor_id: me,
            transferred_on: on,
            savings,
            manager: manager.into(),
            share_percent: 40,
        };
        manager_transfers::insert_in(&mut tx, &transfer, NOW)
            .await
            .expect("transfer");
    }
    let bad = Transfer {
        depositor_id: me,
        transferred_on: day(2025, 1, 1),
        savings: Savings::Mandatory,
        manager: "nbrk".into(),
        share_percent: 0,
    };
    assert!(
        manager_transfers::insert_in(&mut tx, &bad, NOW)
            .await
            .is_err()
    );
    tx.commit().await.expect("commit");
    let pending = filed(&db, me, ApplicationKind::ManagerChoice, &[]).await;
    let _other_kind = filed(&db, me, ApplicationKind::BankDetailsChange, &[]).await;

    let position = service(&db).position(me).await.expect("position");
    let last = position.last_transfer.expect("a transfer");
    assert_eq!(last.transferred_on, day(2025, 9, 20));
    assert_eq!(last.manager, "bcc_invest");
    assert_eq!(
        position
            .pending
            .iter()
            .map(|a| a.number)
            .collect::<Vec<_>>(),
        [pending.number]
    );
    assert_eq!(position.holder.iin.as_str().len(), 12);
}

#[tokio::test]
async fn the_payment_link_carries_amount_and_reference_never_the_iin() {
    on_each_backend(the_payment_link_carries_amount_and_reference_never_the_iin_on).await;
}

async fn the_payment_link_carries_amount_and_reference_never_the_iin_on(db: Db) {
    let url = url::Url::parse("https://pay.example.kz/enpf?src=bot").expect("url");
    let transfers = TransfersService::new(
        db.clone(),
        Some(url),
        payment_details::embedded().expect("payment details"),
    );
    let number = ApplicationNumber::new(2026, 42).expect("a number");
    let amount = zeinet::domain::Money::parse("15 000,5").expect("amount");
    assert_eq!(
        transfers.payment_link(amount, &number).as_deref(),
        Some(
            "https://pay.example.kz/enpf?src=bot&amount=15000.50&currency=KZT&reference=Z-2026-000042"
        )
    );
    assert_eq!(service(&db).payment_link(amount, &number), None);
}
