//! Issue 7's notifications and technical work, against a real database (a temporary SQLite
//! file, or a fresh PostgreSQL schema when `TEST_DATABASE_URL` is set):
//! - a status change notifies every signed-in chat of the depositor in its language, in the
//!   transaction of the change, whatever `/settings` says and at any hour; a forbidden
//!   transition changes and sends nothing; `zeinet applications set-status` does the same;
//! - a contribution lands on the ledger and is notified per chat switch, held by quiet hours;
//! - the maintenance window is stored, audited and seen through any connection;
//! - a broadcast by city reaches the chats with recent or upcoming bookings in that city.

#[allow(dead_code)]
#[path = "support/pg.rs"]
mod pg;

use std::process::Command;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use pg::TestDb;
use zeinet::domain::application::{
    ApplicationKind, ApplicationNumber, ApplicationStatus, StatusNote,
};
use zeinet::domain::{Iin, Money, Sex};
use zeinet::i18n::I18n;
use zeinet::outbox::payload::{BroadcastTexts, Content, RenderedMessage};
use zeinet::services::maintenance::{MaintenanceService, window_from_text};
use zeinet::services::notifications::{
    Contribution, ContributionError, SetStatusError, record_contribution, set_status,
};
use zeinet::services::staff::{Audience, StaffService};
use zeinet::store::accounts::{self, AccountKind, NewAccount};
use zeinet::store::applications::{self, NewApplication, StatusChange, StatusChangeError};
use zeinet::store::bookings::{self, NewBooking};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::logins::{self, EndReason};
use zeinet::store::notification_settings::{self, NotifyKind};
use zeinet::store::outbox::{self, Claimed, OutboxKind};
use zeinet::store::{Db, audit, chats};

use ApplicationStatus::*;

const LEASE_MS: i64 = 60_000;

fn kz() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("offset")
}

/// A moment in Kazakhstan time, in March 2026.
fn local(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    kz().with_ymd_and_hms(2026, 3, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn iin(n: u32) -> Iin {
    let birth = NaiveDate::from_ymd_opt(1990, 5, 17).expect("date");
    (1..10_000)
        .filter_map(|serial| Iin::from_parts(birth, Sex::Female, serial))
        .nth(n as usize)
        .expect("enough IINs")
}

async fn depositor(db: &Db, n: u32) -> i64 {
    let new = NewDepositor {
        iin: iin(n),
        last_name: "Сейітова".into(),
        first_name: "Айгерім".into(),
        patronymic: None,
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17).expect("date"),
        sex: Sex::Female,
        phone: None,
        email: None,
        disability: None,
        created_at_ms: 0,
    };
    depositors::insert(db, &new).await.expect("depositor").id
}

/// A chat that chose `lang` and is signed in as the depositor.
async fn signed_in_chat(db: &Db, chat_id: i64, lang: &str, depositor_id: i64) -> i64 {
    chats::touch(db, chat_id, chat_id, 0).await.expect("chat");
    chats::set_language(db, chat_id, lang).await.expect("lang");
    logins::create(db, depositor_id, chat_id, 1)
        .await
        .expect("login")
        .id
}

/// An application of the depositor walked to `under review`; its number.
async fn under_review(db: &Db, depositor_id: i64) -> ApplicationNumber {
    let t0 = local(1, 10, 0).timestamp_millis();
    let app = applications::insert(
        db,
        &NewApplication {
            depositor_id,
            kind: ApplicationKind::BankDetailsChange,
            status: Draft,
            created_at_ms: t0,
            document: None,
            note: None,
        },
    )
    .await
    .expect("insert");
    for (i, status) in [AwaitingSignature, Signed, Accepted, UnderReview]
        .into_iter()
        .enumerate()
    {
        let change = StatusChange {
            to: status,
            at_ms: t0 + 60_000 * (i as i64 + 1),
            note: None,
        };
        applications::change_status(db, depositor_id, &app.number, &change)
            .await
            .expect("step");
    }
    app.number
}

fn text_of(row: &Claimed) -> String {
    match Content::from_json(&row.payload).expect("payload") {
        Content::Message(message) => {
            assert!(message.protect, "personal notices are protected");
            message.text
        }
        other => panic!("not a message: {other:?}"),
    }
}

async fn due_rows(db: &Db, at: DateTime<Utc>) -> Vec<Claimed> {
    outbox::claim(db, "test", at.timestamp_millis(), LEASE_MS, 100)
        .await
        .expect("claim")
}

#[tokio::test]
async fn a_status_change_reaches_every_signed_in_chat_in_its_language_whatever_the_settings() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let i18n = I18n::load().expect("texts");
    let me = depositor(&db, 1).await;
    let other = depositor(&db, 2).await;
    signed_in_chat(&db, 501, "kk", me).await;
    signed_in_chat(&db, 502, "ru", me).await;
    signed_in_chat(&db, 503, "ru", other).await;
    // Every switch off: status changes of one's own applications are not switchable.
    for kind in NotifyKind::ALL {
        notification_settings::set(&db, 501, kind, false, 0)
            .await
            .expect("off");
    }
    let number = under_review(&db, me).await;

    // 23:00: quiet hours do not hold status changes.
    let night = local(2, 23, 0);
    let (changed, notified) = set_status(
        &db,
        &i18n,
        &number,
        Refused,
        Some(StatusNote::BankDetailsMismatch),
        "cli",
        night,
    )
    .await
    .expect("allowed");
    assert_eq!(changed.status, Refused);
    assert_eq!(notified, 2);

    let rows = due_rows(&db, night).await;
    let mut chats: Vec<i64> = rows.iter().map(|r| r.chat_id).collect();
    chats.sort();
    assert_eq!(chats, vec![501, 502], "the depositor's chats only, at once");
    for row in &rows {
        assert_eq!(row.kind, OutboxKind::Status);
        let text = text_of(row);
        assert!(text.contains(&number.to_string()), "{text}");
        if row.chat_id == 501 {
            assert!(text.contains("Бас тартылды"), "{text}");
            assert!(text.contains("Банк деректемелерін өзгерту"), "{text}");
            assert!(text.contains("банк деректемелері"), "{text}");
        } else {
            assert!(text.contains("Отказано"), "{text}");
            assert!(text.contains("Изменение банковских реквизитов"), "{text}");
            assert!(text.contains("Причина"), "{text}");
        }
    }
    let detail = applications::get_for_depositor(&db, me, &number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.summary.status, Refused);
    assert_eq!(
        detail.history.last().and_then(|e| e.note),
        Some(StatusNote::BankDetailsMismatch)
    );
    let audited = audit::between(&db, 0, i64::MAX, None).await.expect("audit");
    assert!(
        audited
            .iter()
            .any(|e| e.action == "application.status" && e.actor == "cli")
    );
    test.cleanup().await;
}

#[tokio::test]
async fn a_forbidden_transition_or_unknown_number_changes_and_sends_nothing() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let i18n = I18n::load().expect("texts");
    let me = depositor(&db, 1).await;
    signed_in_chat(&db, 501, "ru", me).await;
    let number = under_review(&db, me).await;
    let now = local(2, 12, 0);

    let refused = set_status(&db, &i18n, &number, Draft, None, "cli", now).await;
    assert!(
        matches!(
            refused,
            Err(SetStatusError::Change(StatusChangeError::NotAllowed {
                from: UnderReview,
                to: Draft
            }))
        ),
        "{refused:?}"
    );
    let unknown = ApplicationNumber::parse("Z-2026-999999").expect("number");
    let missing = set_status(&db, &i18n, &unknown, Executed, None, "cli", now).await;
    assert!(
        matches!(missing, Err(SetStatusError::NotFound(_))),
        "{missing:?}"
    );

    let detail = applications::get_for_depositor(&db, me, &number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(detail.summary.status, UnderReview);
    assert_eq!(detail.history.len(), 5);
    assert_eq!(outbox::pending_count(&db).await.expect("count"), 0);
    test.cleanup().await;
}

#[tokio::test]
async fn without_an_open_sign_in_the_chat_used_last_is_told() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let i18n = I18n::load().expect("texts");
    let me = depositor(&db, 1).await;
    let first = signed_in_chat(&db, 501, "ru", me).await;
    logins::end(&db, first, 2, EndReason::Logout)
        .await
        .expect("end");
    let last = signed_in_chat(&db, 502, "kk", me).await;
    logins::end(&db, last, 3, EndReason::Idle)
        .await
        .expect("end");
    let number = under_review(&db, me).await;
    let now = local(2, 12, 0);
    let (_, notified) = set_status(&db, &i18n, &number, Executed, None, "cli", now)
        .await
        .expect("allowed");
    assert_eq!(notified, 1);
    let rows = due_rows(&db, now).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].chat_id, 502);
    assert!(text_of(&rows[0]).contains("Орындалды"));
    test.cleanup().await;
}

#[tokio::test]
async fn the_command_line_changes_a_status_and_queues_the_notice() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let me = depositor(&db, 1).await;
    signed_in_chat(&db, 501, "ru", me).await;
    let number = under_review(&db, me).await;
    let zeinet = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_zeinet"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &test.url)
            .output()
            .expect("binary runs")
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();

    let bad = zeinet(&["applications", "set-status", "Z-2026", "executed"]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("not an application number"));
    let bad = zeinet(&["applications", "set-status", &number.to_string(), "done"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("unknown status"),
        "{}",
        text(&bad.stderr)
    );
    let bad = zeinet(&["applications", "set-status", &number.to_string(), "signed"]);
    assert!(!bad.status.success());
    let stderr = text(&bad.stderr);
    assert!(
        stderr.contains("cannot go from under_review to signed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("executed, refused, returned, cancelled"),
        "{stderr}"
    );
    assert_eq!(outbox::pending_count(&db).await.expect("count"), 0);

    let ok = zeinet(&[
        "applications",
        "set-status",
        &number.to_string(),
        "returned",
        "--note",
        "documents_incomplete",
    ]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(
        text(&ok.stdout).contains("now returned"),
        "{}",
        text(&ok.stdout)
    );
    let rows = due_rows(&db, Utc::now() + Duration::minutes(1)).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].chat_id, 501);
    let notice = text_of(&rows[0]);
    assert!(notice.contains("Возвращено"), "{notice}");
    assert!(notice.contains(&number.to_string()), "{notice}");
    test.cleanup().await;
}

#[tokio::test]
async fn a_contribution_is_on_the_ledger_and_notified_per_switch_after_quiet_hours() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let i18n = I18n::load().expect("texts");
    let me = depositor(&db, 1).await;
    let account = accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: me,
            kind: AccountKind::Opv,
            opened_on: NaiveDate::from_ymd_opt(2015, 1, 1).expect("date"),
            manager: accounts::DEFAULT_MANAGER.into(),
        },
    )
    .await
    .expect("account");
    signed_in_chat(&db, 601, "kk", me).await;
    signed_in_chat(&db, 602, "ru", me).await;
    notification_settings::set(&db, 601, NotifyKind::Contribution, false, 0)
        .await
        .expect("off");
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
    let contribution = Contribution {
        account: AccountKind::Opv,
        amount: Money::from_tiyn(4_250_050),
        date,
        employer: Some("ТОО «Дала Сервис»".into()),
        period: "2026-02".into(),
    };

    // Refusals write nothing.
    let stranger =
        record_contribution(&db, &i18n, &iin(9), &contribution, "cli", local(2, 12, 0)).await;
    assert!(matches!(stranger, Err(ContributionError::UnknownDepositor)));
    let no_dpv = Contribution {
        account: AccountKind::Dpv,
        ..contribution.clone()
    };
    let missing = record_contribution(&db, &i18n, &iin(1), &no_dpv, "cli", local(2, 12, 0)).await;
    assert!(matches!(
        missing,
        Err(ContributionError::NoSuchAccount(AccountKind::Dpv))
    ));
    assert!(
        accounts::operations(&db, account.id, None, None)
            .await
            .expect("ops")
            .is_empty()
    );

    // 23:30: on the ledger at once, the notice waits until 08:00.
    let night = local(2, 23, 30);
    let recorded = record_contribution(&db, &i18n, &iin(1), &contribution, "cli", night)
        .await
        .expect("recorded");
    let morning = local(3, 8, 0);
    assert_eq!(
        recorded.notified, 1,
        "the chat with the switch off gets none"
    );
    assert_eq!(recorded.held_until_ms, Some(morning.timestamp_millis()));
    let ops = accounts::operations(&db, account.id, None, None)
        .await
        .expect("ops");
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].id, recorded.operation_id);
    assert_eq!(ops[0].amount, contribution.amount);
    assert_eq!(ops[0].payer.as_deref(), Some("ТОО «Дала Сервис»"));
    assert_eq!(ops[0].period.as_deref(), Some("2026-02"));
    assert_eq!(
        accounts::balance(&db, account.id, date)
            .await
            .expect("balance"),
        contribution.amount
    );

    assert!(due_rows(&db, night).await.is_empty(), "held at night");
    let rows = due_rows(&db, morning).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].chat_id, 602);
    assert_eq!(rows[0].kind, OutboxKind::Contribution);
    let text = text_of(&rows[0]);
    assert!(text.contains("42\u{202f}500,50\u{a0}₸"), "{text}");
    assert!(text.contains("ОПВ"), "{text}");
    assert!(text.contains("02.03.2026"), "{text}");
    assert!(text.contains("ТОО «Дала Сервис»"), "{text}");
    let audited = audit::between(&db, 0, i64::MAX, None).await.expect("audit");
    let entry = audited
        .iter()
        .find(|e| e.action == "contribution.record")
        .expect("audited");
    let subject = entry.subject.clone().unwrap_or_default();
    assert!(
        !subject.contains(&iin(1).as_str()[..6]),
        "masked: {subject}"
    );
    test.cleanup().await;
}

/// The chat's handle keeps the stored row for a while: what it does and does not delay.
#[tokio::test]
async fn the_chats_maintenance_handle_rereads_the_window_only_after_its_recheck_period() {
    let test = TestDb::new().await;
    let now = local(2, 15, 0);
    let window = window_from_text(None, "02.03.2026 18:00", now).expect("window");
    let elsewhere = MaintenanceService::new(test.db.clone());
    let chat = MaintenanceService::cached(test.db.clone(), std::time::Duration::from_secs(3600));
    assert_eq!(chat.active(now).await.expect("read"), None);

    // Set by another process: not seen until the recheck period is over (an hour here)...
    elsewhere.set(window, "cli", now).await.expect("set");
    assert_eq!(chat.active(now).await.expect("read"), None, "kept");
    // ...but set or cleared through the handle itself, at once.
    chat.set(window, "staff:7", now).await.expect("set");
    assert_eq!(chat.active(now).await.expect("read"), Some(window));
    // Start and end are decided against the clock at every read, whatever is kept.
    assert_eq!(chat.active(local(2, 14, 59)).await.expect("read"), None);
    assert_eq!(chat.active(local(2, 18, 0)).await.expect("read"), None);
    assert!(chat.clear("staff:7", now).await.expect("clear"));
    assert_eq!(chat.active(now).await.expect("read"), None);

    // With a short period, another process's window arrives once it has passed.
    let quick = MaintenanceService::cached(test.db.clone(), std::time::Duration::from_millis(50));
    assert_eq!(quick.active(now).await.expect("read"), None);
    elsewhere.set(window, "cli", now).await.expect("set");
    tokio::time::sleep(std::time::Duration::from_millis(60)).await;
    assert_eq!(quick.active(now).await.expect("read"), Some(window));
    test.cleanup().await;
}

#[tokio::test]
async fn the_maintenance_window_is_stored_audited_and_seen_through_another_connection() {
    let test = TestDb::new().await;
    let now = local(2, 15, 0);
    let window = window_from_text(None, "02.03.2026 18:00", now).expect("window");
    MaintenanceService::new(test.db.clone())
        .set(window, "staff:7", now)
        .await
        .expect("set");

    // Another pool, as another process would open it.
    let other = Db::connect(&test.url).await.expect("second connection");
    let seen = MaintenanceService::new(other.clone());
    assert_eq!(seen.active(now).await.expect("read"), Some(window));
    assert_eq!(
        seen.active(local(2, 18, 0)).await.expect("read"),
        None,
        "over at its end"
    );
    assert_eq!(seen.active(local(2, 14, 59)).await.expect("read"), None);
    assert!(seen.clear("cli", now).await.expect("clear"));
    assert!(!seen.clear("cli", now).await.expect("clear again"));
    assert_eq!(
        MaintenanceService::new(test.db.clone())
            .active(now)
            .await
            .expect("read"),
        None
    );
    let actions: Vec<(String, String)> = audit::between(&test.db, 0, i64::MAX, None)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action.starts_with("maintenance."))
        .map(|e| (e.action, e.actor))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("maintenance.set".to_string(), "staff:7".to_string()),
            ("maintenance.clear".to_string(), "cli".to_string()),
            ("maintenance.clear".to_string(), "cli".to_string()),
        ]
    );
    other.close().await;
    test.cleanup().await;
}

async fn import_branches(db: &Db) {
    let catalogue = zeinet::booking::Catalogue::embedded().expect("catalogue");
    let file = zeinet::booking::BranchFile::parse_named(
        "branches.json",
        include_str!("../data/booking/branches.json"),
        &catalogue,
    )
    .expect("branch file");
    bookings::import(db, &file, 0).await.expect("import");
}

async fn book(db: &Db, depositor_id: i64, chat_id: Option<i64>, branch: &str, at: DateTime<Utc>) {
    let mut tx = db.begin_write().await.expect("tx");
    let branch_id = bookings::branch_id_by_code_in(&mut tx, branch)
        .await
        .expect("branch")
        .expect("known branch");
    let start = at.timestamp_millis();
    let booking = NewBooking {
        depositor_id,
        chat_id,
        branch_id,
        service: "consultation".into(),
        slot_start_ms: start,
        slot_end_ms: start + 15 * 60_000,
        moved_from: None,
        created_at_ms: start - 86_400_000,
    };
    bookings::take_seat_in(&mut tx, &booking, 1)
        .await
        .expect("seat")
        .expect("free seat");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_broadcast_by_city_reaches_recent_and_upcoming_visitors_of_its_branches() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    import_branches(&db).await;
    let me = depositor(&db, 1).await;
    let now = local(2, 12, 0);
    book(&db, me, Some(701), "ala-1", now + Duration::days(2)).await;
    book(&db, me, Some(702), "ala-2", now - Duration::days(60)).await;
    book(&db, me, Some(702), "ala-3", now + Duration::days(3)).await;
    book(&db, me, Some(703), "ala-1", now - Duration::days(240)).await;
    book(&db, me, Some(704), "ast-1", now + Duration::days(1)).await;
    book(&db, me, None, "ala-1", now + Duration::days(4)).await;

    let staff = StaffService::new(db.clone());
    let cities = staff.cities().await.expect("cities");
    let almaty = cities
        .iter()
        .find(|c| c.code == "almaty")
        .expect("Almaty")
        .id;
    let texts = BroadcastTexts::same_for_all(RenderedMessage::text("8 наурыз"));
    let created = staff
        .broadcast(7, texts, Audience::City(almaty), now)
        .await
        .expect("broadcast");
    assert_eq!(created.broadcast.total, 2);
    assert_eq!(created.broadcast.audience, format!("city:{almaty}"));
    let mut recipients: Vec<i64> = due_rows(&db, now).await.iter().map(|r| r.chat_id).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        vec![701, 702],
        "older than six months and other cities are left out"
    );

    // A city nobody booked in: nothing to send, so the broadcast is done at once.
    let shymkent = cities
        .iter()
        .find(|c| c.code == "shymkent")
        .expect("Shymkent")
        .id;
    let texts = BroadcastTexts::same_for_all(RenderedMessage::text("—"));
    let empty = staff
        .broadcast(7, texts, Audience::City(shymkent), now)
        .await
        .expect("broadcast");
    assert_eq!(empty.broadcast.total, 0);
    assert_eq!(
        empty.broadcast.status,
        zeinet::store::outbox::BroadcastStatus::Done
    );
    test.cleanup().await;
}

#[tokio::test]
async fn a_document_issued_in_one_chat_is_told_to_the_depositors_other_chats_per_switch() {
    use std::sync::Arc;
    use zeinet::clock::FixedClock;
    use zeinet::services::documents::DocumentService;
    let test = TestDb::new().await;
    let db = test.db.clone();
    let me = depositor(&db, 1).await;
    accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: me,
            kind: AccountKind::Opv,
            opened_on: NaiveDate::from_ymd_opt(2015, 1, 1).expect("date"),
            manager: accounts::DEFAULT_MANAGER.into(),
        },
    )
    .await
    .expect("account");
    signed_in_chat(&db, 801, "ru", me).await;
    signed_in_chat(&db, 802, "ru", me).await;
    signed_in_chat(&db, 803, "kk", me).await;
    notification_settings::set(&db, 803, NotifyKind::Document, false, 0)
        .await
        .expect("off");
    let now = local(2, 12, 0);
    let documents = DocumentService::new(
        db.clone(),
        Arc::new(FixedClock::new(now)),
        Arc::new(I18n::load().expect("texts")),
    );
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
    let issued = documents
        .issue_statement(me, None, day(1, 1), day(3, 1), zeinet::domain::Lang::Ru)
        .await
        .expect("statement");
    documents
        .audit_delivery(801, me, &issued.number)
        .await
        .expect("delivered");

    let rows = due_rows(&db, now).await;
    assert_eq!(
        rows.len(),
        1,
        "not the requesting chat, not a chat with the switch off"
    );
    assert_eq!(rows[0].chat_id, 802);
    assert_eq!(rows[0].kind, OutboxKind::Document);
    let text = text_of(&rows[0]);
    assert!(text.contains(&issued.number), "{text}");
    assert!(text.contains("Выписка со счёта"), "{text}");
    test.cleanup().await;
}

#[tokio::test]
async fn the_command_line_sets_shows_and_clears_maintenance_and_records_contributions() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    let me = depositor(&db, 1).await;
    let account = accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: me,
            kind: AccountKind::Opv,
            opened_on: NaiveDate::from_ymd_opt(2015, 1, 1).expect("date"),
            manager: accounts::DEFAULT_MANAGER.into(),
        },
    )
    .await
    .expect("account");
    signed_in_chat(&db, 901, "kk", me).await;
    let zeinet = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_zeinet"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &test.url)
            .output()
            .expect("binary runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };

    let (ok, _, err) = zeinet(&["maintenance", "set", "--until", "tomorrow"]);
    assert!(!ok && err.contains("25.11.2026 06:00"), "{err}");
    let (ok, out, err) = zeinet(&["maintenance", "set", "--until", "31.12.2099 06:00"]);
    assert!(ok, "{err}");
    assert!(out.contains("31.12.2099 06:00"), "{out}");
    let (ok, out, _) = zeinet(&["maintenance", "show"]);
    assert!(
        ok && out.contains("in force") && out.contains("set by cli"),
        "{out}"
    );
    assert!(
        MaintenanceService::new(db.clone())
            .active(Utc::now())
            .await
            .expect("read")
            .is_some(),
        "the bot sees the window the command set"
    );
    let (ok, out, _) = zeinet(&["maintenance", "clear"]);
    assert!(ok && out.contains("removed"), "{out}");
    let (ok, out, _) = zeinet(&["maintenance", "show"]);
    assert!(ok && out.contains("no maintenance window"), "{out}");

    let the_iin = iin(1);
    let (ok, _, err) = zeinet(&["contributions", "record", "123", "opv", "100", "02.03.2026"]);
    assert!(!ok && err.contains("IIN"), "{err}");
    let (ok, _, err) = zeinet(&[
        "contributions",
        "record",
        the_iin.as_str(),
        "pension",
        "100",
        "02.03.2026",
    ]);
    assert!(!ok && err.contains("opv, oppv, opvr, dpv"), "{err}");
    let (ok, _, err) = zeinet(&[
        "contributions",
        "record",
        the_iin.as_str(),
        "dpv",
        "100",
        "02.03.2026",
    ]);
    assert!(!ok && err.contains("no dpv account"), "{err}");
    let (ok, out, err) = zeinet(&[
        "contributions",
        "record",
        the_iin.as_str(),
        "opv",
        "42 500,50",
        "02.03.2026",
        "--employer",
        "ТОО «Дала Сервис»",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("notifications queued: 1"), "{out}");
    assert!(
        !out.contains(&the_iin.as_str()[..6]),
        "the IIN is masked: {out}"
    );
    let (ok, out, err) = zeinet(&[
        "contributions",
        "record",
        the_iin.as_str(),
        "opv",
        "42500.50",
        "2026-03-02",
        "--employer",
        "ТОО «Дала Сервис»",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("recorded already"),
        "the same contribution again: {out}"
    );
    let ops = accounts::operations(&db, account.id, None, None)
        .await
        .expect("ops");
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].amount, Money::from_tiyn(4_250_050));
    assert_eq!(ops[0].period.as_deref(), Some("2026-02"));
    assert_eq!(outbox::pending_count(&db).await.expect("count"), 1);
    test.cleanup().await;
}

#[tokio::test]
async fn a_registry_file_is_checked_whole_then_imported_once() {
    use zeinet::services::contributions::{ImportError, import};
    let test = TestDb::new().await;
    let db = test.db.clone();
    let i18n = I18n::load().expect("texts");
    let me = depositor(&db, 1).await;
    let account = accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: me,
            kind: AccountKind::Opv,
            opened_on: NaiveDate::from_ymd_opt(2015, 1, 1).expect("date"),
            manager: accounts::DEFAULT_MANAGER.into(),
        },
    )
    .await
    .expect("account");
    signed_in_chat(&db, 1001, "ru", me).await;
    let the_iin = iin(1);
    let now = local(2, 12, 0);

    let bad = format!(
        "{0};opv;100;02.03.2026\n{0};opv;abc;02.03.2026\n",
        the_iin.as_str()
    );
    let refused = import(&db, &i18n, &bad, "cli", now).await;
    assert!(matches!(refused, Err(ImportError::Lines(ref l)) if l.len() == 1 && l[0].line == 2));
    let ops = || accounts::operations(&db, account.id, None, None);
    assert!(ops().await.expect("ops").is_empty(), "nothing written");

    let file = format!(
        "# export\n{0};opv;42 500;02.03.2026;ТОО «Дала»\n{0};opv;42 500;02.03.2026;ТОО «Дала»\n\
         {0};opv;1 000;03.03.2026\n",
        the_iin.as_str()
    );
    let report = import(&db, &i18n, &file, "cli", now).await.expect("import");
    assert_eq!((report.recorded, report.already_recorded), (2, 1));
    assert_eq!(report.notices, 2);
    let again = import(&db, &i18n, &file, "cli", now).await.expect("again");
    assert_eq!((again.recorded, again.already_recorded), (0, 3));
    assert_eq!(ops().await.expect("ops").len(), 2);
    assert_eq!(outbox::pending_count(&db).await.expect("count"), 2);

    let stranger = format!("{};opv;100;02.03.2026\n", iin(7).as_str());
    let stopped = import(&db, &i18n, &stranger, "cli", now).await;
    assert!(
        matches!(
            stopped,
            Err(ImportError::Contribution {
                line: 1,
                source: ContributionError::UnknownDepositor
            })
        ),
        "{stopped:?}"
    );
    test.cleanup().await;
}
