//! Queue booking against a real database (a temporary SQLite file, or a fresh PostgreSQL
//! schema when `TEST_DATABASE_URL` is set): branch import, seats and capacity, the
//! depositor's limits, cancelling and rescheduling with their reminders, 50 concurrent
//! attempts on the last place; a property test of the slot generator; a lost race in the
//! dialogue; and `zeinet import branches`.

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use futures::future::join_all;
use proptest::prelude::*;
use support::pg::TestDb;
use zeinet::booking::hours::{DayHours, WeekHours};
use zeinet::booking::slots::{self, CLOSES_BEFORE_MINUTES};
use zeinet::booking::{
    BranchFile, Catalogue, Holidays, Names, ReminderKind, Slot, local_to_ms, ms_to_local,
};
use zeinet::clock::FixedClock;
use zeinet::domain::{Iin, Sex};
use zeinet::services::booking::{BookOutcome, BookingService, LimitRefusal, TimeAnswer};
use zeinet::store::bookings::{self, BookingStatus};
use zeinet::store::depositors::{self, NewDepositor};
use zeinet::store::{Db, StoreError};

/// One city, one branch: Monday–Friday 09:00–18:00 with lunch 13:00–14:00, Saturday
/// 10:00–14:00; two consultation windows, one window for heirs and for payout documents.
const BRANCH_FILE: &str = r#"{
  "cities": [{"code": "testgrad", "name": {"kk": "Тестқала", "ru": "Тестоград", "en": "Testgrad"}}],
  "branches": [{
    "code": "tst-1", "city": "testgrad",
    "name": {"kk": "Орталық", "ru": "Центральное", "en": "Central"},
    "address": {"kk": "Бас көше, 1", "ru": "ул. Главная, 1", "en": "1 Main St"},
    "lat": 51.1, "lon": 71.4,
    "hours": {
      "mon-fri": {"open": "09:00", "close": "18:00", "lunch": "13:00-14:00"},
      "sat": {"open": "10:00", "close": "14:00"}
    },
    "services": {"consultation": 2, "heirs": 1, "payout_documents": 1}
  }]
}"#;

const CHAT: i64 = 777;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// Unix ms of a Kazakhstan wall-clock time in March 2026.
fn at(day: u32, hour: u32, minute: u32) -> i64 {
    local_to_ms(
        date(2026, 3, day)
            .and_hms_opt(hour, minute, 0)
            .expect("time"),
    )
}

/// The `n`-th valid IIN of men born on 12 June 1970.
fn iin(n: usize) -> Iin {
    let birth = date(1970, 6, 12);
    (1..10_000)
        .filter_map(|serial| Iin::from_parts(birth, Sex::Male, serial))
        .nth(n)
        .expect("enough IINs")
}

struct Env {
    t: TestDb,
    clock: FixedClock,
    service: Arc<BookingService>,
    branch_id: i64,
    people: Vec<i64>,
}

impl Env {
    /// A migrated database with the test branch and `people` depositors; the clock at
    /// Monday 2 March 2026, 15:00 in Kazakhstan.
    async fn new(people: usize) -> Env {
        let t = TestDb::new().await;
        let catalogue = Catalogue::embedded().expect("catalogue");
        let file = BranchFile::parse_named("test.json", BRANCH_FILE, &catalogue).expect("file");
        bookings::import(&t.db, &file, 0).await.expect("import");
        let mut ids = Vec::new();
        for n in 0..people {
            let new = NewDepositor {
                iin: iin(n),
                last_name: "Қасымов".into(),
                first_name: "Ерлан".into(),
                patronymic: None,
                birth_date: date(1970, 6, 12),
                sex: Sex::Male,
                phone: None,
                email: None,
                disability: None,
                created_at_ms: 0,
            };
            ids.push(depositors::insert(&t.db, &new).await.expect("depositor").id);
        }
        let clock = FixedClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
                .single()
                .expect("now"),
        );
        let service = Arc::new(BookingService::new(
            t.db.clone(),
            Arc::new(clock.clone()),
            catalogue,
            Arc::new(zeinet::i18n::I18n::load().expect("texts load")),
        ));
        let branch_id = bookings::branch_id_by_code_in(
            &mut t.db.pool().acquire().await.expect("connection"),
            "tst-1",
        )
        .await
        .expect("query")
        .expect("the test branch");
        Env {
            t,
            clock,
            service,
            branch_id,
            people: ids,
        }
    }

    fn db(&self) -> &Db {
        &self.t.db
    }

    async fn book(&self, person: usize, service: &str, start_ms: i64) -> BookOutcome {
        self.service
            .book(
                self.people[person],
                Some(CHAT + person as i64),
                self.branch_id,
                service,
                start_ms,
            )
            .await
            .expect("book")
    }

    async fn free(&self, service: &str, day: NaiveDate) -> Vec<i64> {
        let branch = self
            .service
            .branch(self.branch_id)
            .await
            .expect("read")
            .expect("branch");
        let service = self
            .service
            .catalogue()
            .service(service)
            .expect("service")
            .clone();
        self.service
            .free_slots(&branch, &service, day)
            .await
            .expect("free")
            .iter()
            .map(Slot::start_ms)
            .collect()
    }
}

fn booked(outcome: &BookOutcome) -> i64 {
    match outcome {
        BookOutcome::Booked(held) => held.id,
        other => panic!("expected a booking, got {other:?}"),
    }
}

#[tokio::test]
async fn importing_branches_adds_then_updates_by_code() {
    let t = TestDb::new().await;
    let catalogue = Catalogue::embedded().expect("catalogue");
    let demo = BranchFile::demo(&catalogue).expect("demo file");
    let first = bookings::import(&t.db, &demo, 1).await.expect("import");
    assert_eq!(first.branches_added as usize, demo.branches.len());
    assert_eq!(first.branches_updated, 0);
    let again = bookings::import(&t.db, &demo, 2)
        .await
        .expect("import again");
    assert_eq!(again.branches_added, 0);
    assert_eq!(again.branches_updated as usize, demo.branches.len());
    assert_eq!(
        bookings::count_branches(&t.db).await.expect("count") as usize,
        demo.branches.len()
    );

    let cities = bookings::cities(&t.db).await.expect("cities");
    assert!(cities.len() >= 14, "{}", cities.len());
    assert_eq!(
        cities.iter().map(|c| c.branches).sum::<i64>() as usize,
        demo.branches.len()
    );
    // What is read back is what the file says.
    let almaty = cities.iter().find(|c| c.code == "almaty").expect("Almaty");
    let branches = bookings::branches_in_city(&t.db, almaty.id)
        .await
        .expect("branches");
    assert_eq!(branches.len(), 3);
    let spec = demo
        .branches
        .iter()
        .find(|b| b.code == "ala-1")
        .expect("spec");
    let read = branches.iter().find(|b| b.code == "ala-1").expect("ala-1");
    assert_eq!(read.name, spec.name);
    assert_eq!(read.address, spec.address);
    assert_eq!(read.hours, spec.hours);
    let mut services = spec.services.clone();
    services.sort();
    assert_eq!(read.services, services, "by code");
    assert_eq!(
        (read.latitude_e6, read.longitude_e6),
        (spec.latitude_e6, spec.longitude_e6)
    );
    assert_eq!(read.city.ru, "Алматы");

    // A changed file replaces hours and services of the branches it names.
    let mut changed = demo.clone();
    let ala = changed
        .branches
        .iter_mut()
        .find(|b| b.code == "ala-1")
        .expect("ala-1");
    ala.services = vec![("consultation".into(), 7)];
    ala.hours.set(Weekday::Sat, None);
    bookings::import(&t.db, &changed, 3)
        .await
        .expect("import changed");
    let read = bookings::branch(&t.db, read.id)
        .await
        .expect("read")
        .expect("branch");
    assert_eq!(read.services, vec![("consultation".to_string(), 7)]);
    assert!(read.hours.on(Weekday::Sat).is_none());
    t.cleanup().await;
}

#[tokio::test]
async fn capacity_is_the_windows_serving_the_service() {
    let env = Env::new(4).await;
    let tuesday = date(2026, 3, 3);
    let ten = at(3, 10, 0);
    assert!(env.free("consultation", tuesday).await.contains(&ten));
    booked(&env.book(0, "consultation", ten).await);
    // One of two windows taken: still free.
    assert!(env.free("consultation", tuesday).await.contains(&ten));
    booked(&env.book(1, "consultation", ten).await);
    assert!(!env.free("consultation", tuesday).await.contains(&ten));
    // Another service at the same time has its own windows.
    booked(&env.book(2, "heirs", ten).await);
    match env.book(3, "consultation", ten).await {
        BookOutcome::Taken { nearest } => {
            assert!(!nearest.is_empty());
            assert!(nearest.iter().all(|s| s.start_ms() != ten));
            assert!(
                nearest.iter().any(|s| s.start_ms() == at(3, 10, 15)),
                "{nearest:?}"
            );
            assert!(nearest.windows(2).all(|w| w[0].start < w[1].start));
        }
        other => panic!("expected the slot taken, got {other:?}"),
    }
    env.t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_fifty_concurrent_attempts_on_the_last_place_exactly_one_wins() {
    let env = Env::new(51).await;
    let slot = at(4, 11, 0);
    // Consultation has two windows: one is taken, one place is left.
    booked(&env.book(50, "consultation", slot).await);
    let attempts = (0..50).map(|person| {
        let service = env.service.clone();
        let depositor = env.people[person];
        let branch = env.branch_id;
        tokio::spawn(async move {
            service
                .book(depositor, Some(person as i64), branch, "consultation", slot)
                .await
        })
    });
    let outcomes: Vec<BookOutcome> = join_all(attempts)
        .await
        .into_iter()
        .map(|joined| joined.expect("task").expect("book"))
        .collect();
    let winners = outcomes
        .iter()
        .filter(|o| matches!(o, BookOutcome::Booked(_)))
        .count();
    assert_eq!(winners, 1, "exactly one of the 50 gets the last place");
    for outcome in &outcomes {
        if let BookOutcome::Taken { nearest } = outcome {
            assert!(!nearest.is_empty(), "the losers are offered other times");
            assert!(nearest.iter().all(|s| s.start_ms() != slot));
        } else {
            assert!(matches!(outcome, BookOutcome::Booked(_)), "{outcome:?}");
        }
    }
    let mut conn = env.db().pool().acquire().await.expect("connection");
    let seats = bookings::taken_seats_in(&mut conn, env.branch_id, "consultation", slot)
        .await
        .expect("seats");
    assert_eq!(seats, vec![1, 2]);
    // Closing the pool waits for every connection to come back: this one first.
    drop(conn);
    env.t.cleanup().await;
}

#[tokio::test]
async fn one_booking_per_service_and_two_in_all() {
    let env = Env::new(1).await;
    let first = booked(&env.book(0, "consultation", at(3, 10, 0)).await);
    match env.book(0, "consultation", at(5, 10, 0)).await {
        BookOutcome::Limit(LimitRefusal::SameService(held)) => assert_eq!(held.id, first),
        other => panic!("expected the one-per-service refusal, got {other:?}"),
    }
    booked(&env.book(0, "heirs", at(3, 11, 0)).await);
    assert_eq!(
        env.book(0, "payout_documents", at(3, 12, 0)).await,
        BookOutcome::Limit(LimitRefusal::TooMany { max: 2 })
    );
    let upcoming = env.service.upcoming(env.people[0]).await.expect("upcoming");
    assert_eq!(upcoming.len(), 2);
    assert_eq!(
        BookingService::limit_for(&upcoming, Some("payout_documents"), None),
        Some(LimitRefusal::TooMany { max: 2 })
    );
    // A cancelled booking counts no more.
    assert!(
        env.service
            .cancel(env.people[0], first)
            .await
            .expect("cancel")
    );
    booked(&env.book(0, "payout_documents", at(3, 12, 0)).await);
    // Nor does a visit that is over.
    env.clock.advance(Duration::days(1) + Duration::hours(3));
    booked(&env.book(0, "consultation", at(5, 10, 0)).await);
    env.t.cleanup().await;
}

#[tokio::test]
async fn a_cancelled_place_is_free_at_once_and_its_reminders_are_cancelled() {
    let env = Env::new(2).await;
    let slot = at(4, 10, 0);
    let id = booked(&env.book(0, "heirs", slot).await);
    let reminders = bookings::reminders_of(env.db(), id)
        .await
        .expect("reminders");
    let due: Vec<(ReminderKind, i64, bool)> = reminders
        .iter()
        .map(|r| (r.kind, r.due_ms, r.cancelled))
        .collect();
    assert_eq!(
        due,
        vec![
            (ReminderKind::DayBefore, at(3, 18, 0), false),
            (ReminderKind::HourBefore, at(4, 9, 0), false),
        ]
    );
    assert!(reminders.iter().all(|r| r.chat_id == CHAT));
    // Queued in the outbox, rendered in the chat's language, with the booking code.
    let payload: serde_json::Value =
        serde_json::from_str(&reminders[0].payload).expect("payload is JSON");
    let text = payload.to_string();
    assert!(text.contains(&format!("TST1-{id:04}")), "{text}");
    assert_eq!(reminders[0].dedupe_key, format!("booking:{id}:day_before"));

    // The other depositor finds the only place taken.
    assert!(matches!(
        env.book(1, "heirs", slot).await,
        BookOutcome::Taken { .. }
    ));
    // Only the owner can cancel it, and only once.
    assert!(!env.service.cancel(env.people[1], id).await.expect("cancel"));
    assert!(env.service.cancel(env.people[0], id).await.expect("cancel"));
    assert!(
        !env.service
            .cancel(env.people[0], id)
            .await
            .expect("cancel again")
    );
    let reminders = bookings::reminders_of(env.db(), id)
        .await
        .expect("reminders");
    assert!(reminders.iter().all(|r| r.cancelled));
    let record = bookings::get(env.db(), id)
        .await
        .expect("get")
        .expect("booking");
    assert_eq!(record.status, BookingStatus::Cancelled);
    assert!(env.free("heirs", date(2026, 3, 4)).await.contains(&slot));
    booked(&env.book(1, "heirs", slot).await);
    env.t.cleanup().await;
}

#[tokio::test]
async fn rescheduling_moves_the_seat_and_the_reminders_in_one_go() {
    let env = Env::new(2).await;
    let old_slot = at(4, 10, 0);
    let new_slot = at(5, 14, 30);
    let old = booked(&env.book(0, "heirs", old_slot).await);
    // Another depositor holds a slot the first cannot move into.
    booked(&env.book(1, "heirs", at(5, 15, 0)).await);
    match env
        .service
        .reschedule(env.people[0], Some(CHAT), old, at(5, 15, 0))
        .await
        .expect("reschedule")
    {
        BookOutcome::Taken { nearest } => assert!(!nearest.is_empty()),
        other => panic!("expected the slot taken, got {other:?}"),
    }
    // Nothing changed for the booking that could not move.
    let record = bookings::get(env.db(), old)
        .await
        .expect("get")
        .expect("booking");
    assert_eq!(record.status, BookingStatus::Active);
    assert!(
        bookings::reminders_of(env.db(), old)
            .await
            .expect("reminders")
            .iter()
            .all(|r| !r.cancelled)
    );

    let moved = env
        .service
        .reschedule(env.people[0], Some(CHAT), old, new_slot)
        .await
        .expect("reschedule");
    let new = booked(&moved);
    assert_ne!(new, old);
    let old_record = bookings::get(env.db(), old)
        .await
        .expect("get")
        .expect("old");
    assert_eq!(old_record.status, BookingStatus::Moved);
    let new_record = bookings::get(env.db(), new)
        .await
        .expect("get")
        .expect("new");
    assert_eq!(new_record.moved_from, Some(old));
    assert_eq!(new_record.slot_start_ms, new_slot);
    assert!(
        bookings::reminders_of(env.db(), old)
            .await
            .expect("reminders")
            .iter()
            .all(|r| r.cancelled)
    );
    let due: Vec<i64> = bookings::reminders_of(env.db(), new)
        .await
        .expect("reminders")
        .iter()
        .filter(|r| !r.cancelled)
        .map(|r| r.due_ms)
        .collect();
    assert_eq!(due, vec![at(4, 18, 0), at(5, 13, 30)]);
    // The old place is free for anyone; the moved booking cannot be moved again.
    assert!(
        env.free("heirs", date(2026, 3, 4))
            .await
            .contains(&old_slot)
    );
    assert_eq!(
        env.service
            .reschedule(env.people[0], Some(CHAT), old, at(6, 10, 0))
            .await
            .expect("reschedule"),
        BookOutcome::Gone
    );
    let upcoming = env.service.upcoming(env.people[0]).await.expect("upcoming");
    assert_eq!(upcoming.iter().map(|h| h.id).collect::<Vec<_>>(), vec![new]);
    env.t.cleanup().await;
}

#[tokio::test]
async fn only_reminders_still_ahead_are_queued() {
    let env = Env::new(3).await;
    // Today at 16:00: the evening before is gone, and an hour before is now (15:00).
    let today = booked(&env.book(0, "consultation", at(2, 16, 0)).await);
    assert!(
        bookings::reminders_of(env.db(), today)
            .await
            .expect("r")
            .is_empty()
    );
    // Today at 17:00: only the hour before, at 16:00.
    let later = booked(&env.book(1, "consultation", at(2, 17, 0)).await);
    let kinds: Vec<(ReminderKind, i64)> = bookings::reminders_of(env.db(), later)
        .await
        .expect("r")
        .iter()
        .map(|r| (r.kind, r.due_ms))
        .collect();
    assert_eq!(kinds, vec![(ReminderKind::HourBefore, at(2, 16, 0))]);
    // Booked without a chat (at the branch): no reminders at all.
    let quiet = env
        .service
        .book(
            env.people[2],
            None,
            env.branch_id,
            "consultation",
            at(6, 10, 0),
        )
        .await
        .expect("book");
    let quiet = booked(&quiet);
    assert!(
        bookings::reminders_of(env.db(), quiet)
            .await
            .expect("r")
            .is_empty()
    );
    env.t.cleanup().await;
}

#[tokio::test]
async fn slots_that_are_not_offered_cannot_be_booked() {
    let env = Env::new(1).await;
    for (what, start) in [
        ("already past", at(2, 14, 0)),
        ("closing within 30 minutes", at(2, 15, 15)),
        ("in the lunch break", at(3, 13, 0)),
        ("after closing", at(3, 18, 0)),
        ("between appointments", at(3, 10, 5)),
        ("on a Sunday", at(8, 10, 0)),
        ("on a holiday", at(9, 10, 0)),
        ("beyond the 14 working days", at(31, 10, 0)),
    ] {
        assert_eq!(
            env.book(0, "consultation", start).await,
            BookOutcome::Closed,
            "{what}"
        );
    }
    // A service the branch does not offer, and a branch that does not exist.
    assert_eq!(
        env.book(0, "bank_details", at(3, 10, 0)).await,
        BookOutcome::Closed
    );
    assert_eq!(
        env.service
            .book(env.people[0], None, 9_999, "consultation", at(3, 10, 0))
            .await
            .expect("book"),
        BookOutcome::Gone
    );
    // Exactly half an hour ahead is still open.
    booked(&env.book(0, "consultation", at(2, 15, 30)).await);
    env.t.cleanup().await;
}

#[tokio::test]
async fn typed_times_and_full_days() {
    let env = Env::new(20).await;
    let branch = env
        .service
        .branch(env.branch_id)
        .await
        .expect("read")
        .expect("branch");
    let heirs = env
        .service
        .catalogue()
        .service("heirs")
        .expect("heirs")
        .clone();
    let saturday = date(2026, 3, 7);
    // Saturday 10:00–14:00 has eight half-hour slots for heirs (one window): fill them all.
    let slots = env.free("heirs", saturday).await;
    assert_eq!(slots.len(), 8);
    for (person, start) in slots.iter().enumerate() {
        booked(&env.book(person, "heirs", *start).await);
    }
    assert!(env.free("heirs", saturday).await.is_empty());
    let days = env.service.free_days(&branch, &heirs).await.expect("days");
    assert!(!days.contains(&saturday), "a full day is not offered");
    assert!(days.contains(&date(2026, 3, 10)));
    assert_eq!(
        env.service
            .check_time(&branch, &heirs, saturday, 10 * 60)
            .await
            .expect("check"),
        TimeAnswer::Full(Slot::from_start_ms(at(7, 10, 0), 30).expect("slot"))
    );
    assert_eq!(
        env.service
            .check_time(&branch, &heirs, date(2026, 3, 10), 10 * 60)
            .await
            .expect("check"),
        TimeAnswer::Free(Slot::from_start_ms(at(10, 10, 0), 30).expect("slot"))
    );
    assert_eq!(
        env.service
            .check_time(&branch, &heirs, date(2026, 3, 9), 10 * 60)
            .await
            .expect("check"),
        TimeAnswer::DayClosed,
        "a holiday"
    );
    env.t.cleanup().await;
}

#[tokio::test]
async fn the_demo_seed_adds_branches_and_a_full_slot() {
    let t = TestDb::new().await;
    let now = Utc
        .with_ymd_and_hms(2026, 3, 2, 10, 0, 0)
        .single()
        .expect("now");
    zeinet::demo::seed(&t.db, now.date_naive(), now.timestamp_millis())
        .await
        .expect("seed");
    let catalogue = Catalogue::embedded().expect("catalogue");
    let demo = BranchFile::demo(&catalogue).expect("demo");
    assert_eq!(
        bookings::count_branches(&t.db).await.expect("count") as usize,
        demo.branches.len()
    );
    let mut conn = t.db.pool().acquire().await.expect("connection");
    let ala = bookings::branch_id_by_code_in(&mut conn, "ala-1")
        .await
        .expect("query")
        .expect("ala-1");
    // Tuesday 10:00 at ALA1: the only window for heirs is taken by a demo depositor.
    let seats = bookings::taken_seats_in(&mut conn, ala, "heirs", at(3, 10, 0))
        .await
        .expect("seats");
    assert_eq!(seats, vec![1]);
    drop(conn);
    // Seeding again adds nothing.
    zeinet::demo::seed(&t.db, now.date_naive(), now.timestamp_millis())
        .await
        .expect("seed again");
    assert_eq!(
        bookings::count_branches(&t.db).await.expect("count") as usize,
        demo.branches.len()
    );
    t.cleanup().await;
}

#[tokio::test]
async fn ending_a_booking_needs_an_ended_status() {
    let t = TestDb::new().await;
    let mut conn = t.db.pool().acquire().await.expect("connection");
    let refused = bookings::end_in(&mut conn, 1, 1, BookingStatus::Active, 0).await;
    assert!(matches!(refused, Err(StoreError::Invalid { .. })));
    drop(conn);
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------
// The slot generator, as a property
// ---------------------------------------------------------------------------------------

fn day_hours() -> impl Strategy<Value = Option<DayHours>> {
    // Opening 06:00–12:00, closing 3–12 hours later, maybe a lunch of 30–90 minutes inside.
    (
        prop::bool::weighted(0.8),
        (24u16..48).prop_map(|q| q * 15),
        (12u16..48).prop_map(|q| q * 15),
        prop::option::of((1u16..20, (2u16..6).prop_map(|q| q * 15))),
    )
        .prop_map(|(works, open, length, lunch)| {
            if !works {
                return None;
            }
            let close = (open + length).min(23 * 60 + 45);
            let lunch = lunch.and_then(|(offset, len)| {
                let from = open + offset * 15;
                (from + len < close).then_some((from, from + len))
            });
            DayHours::new(open, close, lunch).ok()
        })
}

fn week() -> impl Strategy<Value = WeekHours> {
    prop::array::uniform7(day_hours()).prop_map(|days| WeekHours { days })
}

fn holidays() -> impl Strategy<Value = Holidays> {
    prop::collection::btree_set(0i64..60, 0..12).prop_map(|offsets| {
        let name = Names {
            kk: "Мереке".into(),
            ru: "Праздник".into(),
            en: "Holiday".into(),
        };
        Holidays::new(
            offsets
                .into_iter()
                .map(|d| (date(2026, 3, 1) + Duration::days(d), name.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    })
}

proptest! {
    #[test]
    fn generated_slots_are_within_hours_outside_lunch_on_working_days_and_ahead(
        week in week(),
        holidays in holidays(),
        slot_minutes in (1u16..=24).prop_map(|q| q * 5),
        now_offset_minutes in 0i64..(40 * 24 * 60),
        day_offset in 0i64..45,
    ) {
        let now: NaiveDateTime = date(2026, 3, 1).and_hms_opt(0, 0, 0).expect("midnight")
            + Duration::minutes(now_offset_minutes);
        let day = date(2026, 3, 1) + Duration::days(day_offset);
        let slots = slots::bookable_slots(&week, &holidays, day, slot_minutes, now);
        for slot in &slots {
            prop_assert_eq!(slot.start.date(), day);
            prop_assert!(!holidays.contains(day), "a slot on a holiday");
            let hours = week.on(chrono::Datelike::weekday(&day));
            prop_assert!(hours.is_some(), "a slot on a day off");
            let hours = hours.expect("checked");
            let start = slot.start_minute();
            let end = start + slot_minutes;
            prop_assert_eq!(slot.end - slot.start, Duration::minutes(i64::from(slot_minutes)));
            prop_assert!(start >= hours.open && end <= hours.close, "outside hours");
            if let Some((from, to)) = hours.lunch {
                prop_assert!(end <= from || start >= to, "in the lunch break");
            }
            prop_assert!(slot.start > now, "in the past");
            prop_assert!(
                slot.start - now >= Duration::minutes(CLOSES_BEFORE_MINUTES),
                "closing within half an hour"
            );
        }
        for day in slots::horizon(&week, &holidays, now.date()) {
            prop_assert!(!holidays.contains(day));
            prop_assert!(week.on(chrono::Datelike::weekday(&day)).is_some());
            prop_assert!(day >= now.date());
        }
    }

    #[test]
    fn instants_and_local_times_round_trip(ms in 0i64..4_102_444_800_000) {
        let local = ms_to_local(ms).expect("in range");
        prop_assert_eq!(local_to_ms(local), ms);
    }
}

// ---------------------------------------------------------------------------------------
// The dialogue: a lost race, and the command line
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_place_taken_while_confirming_offers_the_nearest_free_times() {
    use support::transcript::{Harness, bot_lines};
    use zeinet::conversation::Incoming;

    let mut h = Harness::new(Some("ru")).await;
    let person = zeinet::demo::people()
        .into_iter()
        .find(|p| p.purpose.contains("booking a branch visit"))
        .expect("the booking demo person");
    let rival = depositors::find_by_iin(&h.app.db, &iin_of(33))
        .await
        .expect("query")
        .expect("demo person #33");

    async fn say(h: &mut Harness, text: &str) -> Vec<String> {
        let incoming = if let Some(label) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
        {
            Incoming::Callback(h.button(label, false).expect("button on screen"))
        } else {
            Incoming::Text(text.to_string())
        };
        bot_lines(&h.send(incoming).await)
    }

    // The depositor has a password (registered from another chat), and signs in here.
    set_password(&mut h, &person.iin, "Qarlygash-2024").await;
    say(&mut h, "/start").await;
    say(&mut h, "[Русский]").await;
    say(&mut h, "[Войти]").await;
    say(&mut h, person.iin.as_str()).await;
    let lines = say(&mut h, "Qarlygash-2024").await;
    assert!(
        lines.iter().any(|l| l.contains("Личный кабинет")),
        "{lines:#?}"
    );

    say(&mut h, "[Запись в отделение]").await;
    say(&mut h, "[Записаться на приём]").await;
    say(&mut h, "Алматы").await;
    say(&mut h, "[Медеуский район]").await;
    say(&mut h, "[Записаться сюда]").await;
    say(&mut h, "[Выплата наследникам · 30 мин]").await;
    say(&mut h, "04.03").await;
    let lines = say(&mut h, "11:00").await;
    assert!(
        lines.iter().any(|l| l.contains("Проверьте запись")),
        "{lines:#?}"
    );

    // Someone else takes the only place first.
    let branch = {
        let mut conn = h.app.db.pool().acquire().await.expect("connection");
        bookings::branch_id_by_code_in(&mut conn, "ala-1")
            .await
            .expect("query")
            .expect("ala-1")
    };
    let rival_booking = h
        .app
        .booking
        .book(rival.id, None, branch, "heirs", at(4, 11, 0))
        .await
        .expect("book");
    booked(&rival_booking);

    let lines = say(&mut h, "[Подтвердить]").await;
    assert!(
        lines[0].contains("Пока вы подтверждали, это время заняли"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Ближайшее свободное время"))
    );
    let offered: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("| [Ср 04.03"))
        .collect();
    assert!(!offered.is_empty(), "{lines:#?}");
    assert!(
        lines.iter().all(|l| !l.contains("Ср 04.03 11:00")),
        "{lines:#?}"
    );
    // Taking one of them books it.
    let lines = say(&mut h, "[Ср 04.03 10:30]").await;
    assert!(
        lines.iter().any(|l| l.contains("10:30–11:00")),
        "{lines:#?}"
    );
    let lines = say(&mut h, "[Подтвердить]").await;
    assert!(lines[0].starts_with("< Вы записаны."), "{lines:#?}");
}

/// Registers a password for `iin` the way a person would, from another chat.
async fn set_password(h: &mut support::transcript::Harness, iin: &Iin, password: &str) {
    use zeinet::services::auth::{Channel, CodeCheck, CodePurpose};
    const ELSEWHERE: i64 = 9_191;
    let auth = h.app.auth.clone();
    auth.send_code(
        CodePurpose::Registration,
        iin,
        ELSEWHERE,
        Channel::Sms,
        zeinet::domain::Lang::Ru,
    )
    .await
    .expect("code sent");
    h.watch_codes();
    let code = h.last_code.take().expect("a code");
    let check = auth
        .check_code(CodePurpose::Registration, iin, ELSEWHERE, &code)
        .await
        .expect("check");
    assert_eq!(check, CodeCheck::Valid);
    let password = zeinet::domain::NewPassword::parse(password, iin).expect("a good password");
    let login = auth
        .set_password(iin, &password, ELSEWHERE)
        .await
        .expect("password set");
    auth.logout(login.login_id).await.expect("logout");
}

fn iin_of(number: usize) -> Iin {
    zeinet::demo::people()[number - 1].iin.clone()
}

#[test]
fn the_command_line_imports_a_branch_file_and_refuses_a_bad_one() {
    use std::process::Command;
    let dir = tempfile::tempdir().expect("temp dir");
    let database = format!("sqlite://{}", dir.path().join("import.db").display());
    let good = dir.path().join("branches.json");
    std::fs::write(&good, BRANCH_FILE).expect("write");
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        BRANCH_FILE.replace("\"heirs\": 1", "\"astrology\": 1"),
    )
    .expect("write");
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_zeinet"))
            .args(["import", "branches"])
            .arg(file)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &database)
            .current_dir(dir.path())
            .output()
            .expect("the binary runs")
    };
    let out = run(&good);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 added, 0 updated"), "{stdout}");
    let out = run(&good);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 added, 1 updated"));
    let out = run(&bad);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("branch tst-1: unknown service astrology"),
        "{stderr}"
    );
}

#[tokio::test]
async fn no_reminders_are_queued_for_a_chat_that_turned_them_off() {
    let env = Env::new(2).await;
    zeinet::store::notification_settings::set(
        env.db(),
        CHAT,
        zeinet::store::notification_settings::NotifyKind::Reminder,
        false,
        0,
    )
    .await
    .expect("setting");
    let off = booked(&env.book(0, "heirs", at(4, 10, 0)).await);
    assert!(
        bookings::reminders_of(env.db(), off)
            .await
            .expect("r")
            .is_empty()
    );
    // Turned on again, the next booking gets both reminders.
    zeinet::store::notification_settings::set(
        env.db(),
        CHAT,
        zeinet::store::notification_settings::NotifyKind::Reminder,
        true,
        0,
    )
    .await
    .expect("setting");
    let on = booked(&env.book(1, "heirs", at(5, 10, 0)).await);
    assert_eq!(
        bookings::reminders_of(env.db(), on).await.expect("r").len(),
        2
    );
}
