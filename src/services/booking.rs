//! Queue booking at the fund's branches: the use cases behind the booking dialogue.
//!
//! Reads (cities, branches, free days and slots) combine the pure rules of
//! [`crate::booking`] with the seats already taken. Writes own their transaction:
//! booking, rescheduling and cancelling check the depositor's limits (one active booking per
//! service, [`MAX_ACTIVE_BOOKINGS`] in all) under a per-depositor lock, take a seat with one
//! conditional insert, and queue or cancel the visit's reminders in the same transaction.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use sqlx::AnyConnection;

use crate::booking::reference::DEMO_VISITS;
use crate::booking::slots::{self, DayCheck, Slot, TimeCheck};
use crate::booking::{
    Branch, BranchFile, Catalogue, City, MAX_ACTIVE_BOOKINGS, ReminderKind, Service, booking_code,
    local_now, local_to_ms, ms_to_local,
};
use crate::clock::SharedClock;
use crate::domain::Lang;
use crate::i18n::{I18n, Msg};
use crate::store::bookings::{self, BookingRecord, BookingStatus, NewBooking, NewReminder};
use crate::store::notification_settings::{self, NotifyKind};
use crate::store::{Db, StoreError};

/// How many nearby free slots a depositor who lost a slot is offered.
pub const NEAREST_OFFERED: usize = 6;

/// A booking as the depositor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBooking {
    pub id: i64,
    /// What to name at the branch (`ALA1-0042`).
    pub code: String,
    pub branch: Branch,
    pub service: Service,
    pub slot: Slot,
}

/// Why a depositor may not book (more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitRefusal {
    /// Already [`MAX_ACTIVE_BOOKINGS`] upcoming visits.
    TooMany { max: usize },
    /// Already booked for this service.
    SameService(Box<HeldBooking>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookOutcome {
    Booked(Box<HeldBooking>),
    /// The last place was taken first: the nearest free slots, soonest first.
    Taken {
        nearest: Vec<Slot>,
    },
    /// The slot is not (or no longer) open for booking: past, closing within half an hour,
    /// beyond the horizon, or not in the branch's schedule.
    Closed,
    Limit(LimitRefusal),
    /// The branch, the service or the booking being moved is gone.
    Gone,
}

/// What a typed time is, seats included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeAnswer {
    Free(Slot),
    Full(Slot),
    Rule(TimeCheck),
    /// The day itself is not open (a caller's mistake or a stale state).
    DayClosed,
}

pub struct BookingService {
    db: Db,
    clock: SharedClock,
    catalogue: Arc<Catalogue>,
    /// Reminders are rendered when queued, in the chat's language.
    i18n: Arc<I18n>,
}

impl BookingService {
    pub fn new(
        db: Db,
        clock: SharedClock,
        catalogue: Catalogue,
        i18n: Arc<I18n>,
    ) -> BookingService {
        BookingService {
            db,
            clock,
            catalogue: Arc::new(catalogue),
            i18n,
        }
    }

    /// The language a chat chose (Kazakh when it never chose).
    async fn chat_language(&self, chat_id: Option<i64>) -> Result<Lang, StoreError> {
        let Some(chat_id) = chat_id else {
            return Ok(Lang::Kk);
        };
        Ok(crate::store::chats::get(&self.db, chat_id)
            .await?
            .and_then(|chat| chat.language.as_deref().and_then(Lang::from_code))
            .unwrap_or(Lang::Kk))
    }

    /// The text of a reminder of this visit.
    fn reminder_text(
        &self,
        lang: Lang,
        kind: ReminderKind,
        branch: &Branch,
        service: &str,
        code: &str,
        slot: Slot,
    ) -> String {
        let key = match kind {
            ReminderKind::DayBefore => "booking-reminder-day-before",
            ReminderKind::HourBefore => "booking-reminder-hour-before",
        };
        let service_name = self
            .catalogue
            .service(service)
            .map(|s| s.name.get(lang).to_string())
            .unwrap_or_else(|| service.to_string());
        self.i18n.render(
            lang,
            &Msg::new(key)
                .text("code", code)
                .text("branch", branch.name.get(lang))
                .text("address", branch.address.get(lang))
                .text("service", service_name)
                .text("date", slot.start.format("%d.%m.%Y").to_string())
                .text("time", slot.start.format("%H:%M").to_string()),
        )
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// Kazakhstan wall-clock time now.
    pub fn local_now(&self) -> NaiveDateTime {
        local_now(self.clock.now())
    }

    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    pub async fn cities(&self) -> Result<Vec<City>, StoreError> {
        bookings::cities(&self.db).await
    }

    pub async fn branches_in(&self, city_id: i64) -> Result<Vec<Branch>, StoreError> {
        bookings::branches_in_city(&self.db, city_id).await
    }

    pub async fn branch(&self, id: i64) -> Result<Option<Branch>, StoreError> {
        bookings::branch(&self.db, id).await
    }

    /// The services of a branch, in the catalogue's order.
    pub fn services_of(&self, branch: &Branch) -> Vec<Service> {
        self.catalogue
            .services()
            .iter()
            .filter(|s| branch.windows(&s.code) > 0)
            .cloned()
            .collect()
    }

    /// The branch's bookable working days, today first when it is one.
    pub fn horizon(&self, branch: &Branch) -> Vec<NaiveDate> {
        slots::horizon(&branch.hours, self.catalogue.holidays(), self.today())
    }

    pub fn check_day(&self, branch: &Branch, date: NaiveDate) -> DayCheck {
        slots::check_day(&branch.hours, self.catalogue.holidays(), self.today(), date)
    }

    /// Free slots of the given days (each day's list soonest first; days without a free slot
    /// are left out). One query for all the days.
    async fn free_on(
        &self,
        branch: &Branch,
        service: &Service,
        days: &[NaiveDate],
    ) -> Result<BTreeMap<NaiveDate, Vec<Slot>>, StoreError> {
        let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
            return Ok(BTreeMap::new());
        };
        let capacity = i64::from(branch.windows(&service.code));
        let from_ms = local_to_ms(first.and_time(chrono::NaiveTime::MIN));
        let to_ms = local_to_ms((*last + Duration::days(1)).and_time(chrono::NaiveTime::MIN));
        let taken =
            bookings::taken_counts(&self.db, branch.id, &service.code, from_ms, to_ms).await?;
        let now = self.local_now();
        let mut free = BTreeMap::new();
        for day in days {
            let slots: Vec<Slot> = slots::bookable_slots(
                &branch.hours,
                self.catalogue.holidays(),
                *day,
                service.slot_minutes,
                now,
            )
            .into_iter()
            .filter(|slot| taken.get(&slot.start_ms()).copied().unwrap_or(0) < capacity)
            .collect();
            if !slots.is_empty() {
                free.insert(*day, slots);
            }
        }
        Ok(free)
    }

    /// The days of the horizon that still have a free slot.
    pub async fn free_days(
        &self,
        branch: &Branch,
        service: &Service,
    ) -> Result<Vec<NaiveDate>, StoreError> {
        let days = self.horizon(branch);
        Ok(self
            .free_on(branch, service, &days)
            .await?
            .into_keys()
            .collect())
    }

    /// The free slots of one day (empty for a day outside the horizon).
    pub async fn free_slots(
        &self,
        branch: &Branch,
        service: &Service,
        date: NaiveDate,
    ) -> Result<Vec<Slot>, StoreError> {
        if self.check_day(branch, date) != DayCheck::Open {
            return Ok(Vec::new());
        }
        Ok(self
            .free_on(branch, service, &[date])
            .await?
            .remove(&date)
            .unwrap_or_default())
    }

    /// Up to `n` free slots nearest to `around` within the horizon, soonest first.
    pub async fn nearest_free(
        &self,
        branch: &Branch,
        service: &Service,
        around: NaiveDateTime,
        n: usize,
    ) -> Result<Vec<Slot>, StoreError> {
        let days = self.horizon(branch);
        let mut all: Vec<Slot> = self
            .free_on(branch, service, &days)
            .await?
            .into_values()
            .flatten()
            .collect();
        all.sort_by_key(|slot| ((slot.start - around).num_minutes().abs(), slot.start));
        all.truncate(n);
        all.sort();
        Ok(all)
    }

    /// What a typed time on an open day is: a free slot, a full one, or the rule it breaks.
    pub async fn check_time(
        &self,
        branch: &Branch,
        service: &Service,
        date: NaiveDate,
        minute: u16,
    ) -> Result<TimeAnswer, StoreError> {
        let Some(hours) = slots::working_hours(&branch.hours, self.catalogue.holidays(), date)
        else {
            return Ok(TimeAnswer::DayClosed);
        };
        if self.check_day(branch, date) != DayCheck::Open {
            return Ok(TimeAnswer::DayClosed);
        }
        match slots::check_time(hours, date, service.slot_minutes, minute, self.local_now()) {
            TimeCheck::Slot(slot) => {
                let free = self.free_slots(branch, service, date).await?;
                Ok(if free.contains(&slot) {
                    TimeAnswer::Free(slot)
                } else {
                    TimeAnswer::Full(slot)
                })
            }
            rule => Ok(TimeAnswer::Rule(rule)),
        }
    }

    /// The depositor's upcoming bookings, soonest first.
    pub async fn upcoming(&self, depositor_id: i64) -> Result<Vec<HeldBooking>, StoreError> {
        let now_ms = self.clock.now_ms();
        let records = bookings::upcoming_for_depositor(&self.db, depositor_id, now_ms).await?;
        let mut held = Vec::new();
        for record in records {
            if let Some(view) = self.view(&record).await? {
                held.push(view);
            }
        }
        Ok(held)
    }

    /// One of the depositor's upcoming bookings.
    pub async fn held(
        &self,
        depositor_id: i64,
        booking_id: i64,
    ) -> Result<Option<HeldBooking>, StoreError> {
        Ok(self
            .upcoming(depositor_id)
            .await?
            .into_iter()
            .find(|b| b.id == booking_id))
    }

    async fn view(&self, record: &BookingRecord) -> Result<Option<HeldBooking>, StoreError> {
        let Some(service) = self.catalogue.service(&record.service) else {
            return Ok(None);
        };
        let Some(branch) = bookings::branch_any(&self.db, record.branch_id).await? else {
            return Ok(None);
        };
        let (Some(start), Some(end)) = (
            ms_to_local(record.slot_start_ms),
            ms_to_local(record.slot_end_ms),
        ) else {
            return Ok(None);
        };
        Ok(Some(HeldBooking {
            id: record.id,
            code: booking_code(&branch.code, record.id),
            branch,
            service: service.clone(),
            slot: Slot { start, end },
        }))
    }

    /// Whether the depositor may book `service` (or any, with `None`), not counting the
    /// booking being moved.
    pub fn limit_for(
        upcoming: &[HeldBooking],
        service: Option<&str>,
        moving: Option<i64>,
    ) -> Option<LimitRefusal> {
        let others: Vec<&HeldBooking> = upcoming.iter().filter(|b| Some(b.id) != moving).collect();
        if let Some(code) = service
            && let Some(same) = others.iter().find(|b| b.service.code == code)
        {
            return Some(LimitRefusal::SameService(Box::new((*same).clone())));
        }
        (others.len() >= MAX_ACTIVE_BOOKINGS).then_some(LimitRefusal::TooMany {
            max: MAX_ACTIVE_BOOKINGS,
        })
    }

    /// Books the slot of `service` starting at `start_ms` at the branch.
    pub async fn book(
        &self,
        depositor_id: i64,
        chat_id: Option<i64>,
        branch_id: i64,
        service: &str,
        start_ms: i64,
    ) -> Result<BookOutcome, StoreError> {
        let Some(branch) = self.branch(branch_id).await? else {
            return Ok(BookOutcome::Gone);
        };
        let Some(service) = self.catalogue.service(service).cloned() else {
            return Ok(BookOutcome::Gone);
        };
        self.take(depositor_id, chat_id, &branch, &service, start_ms, None)
            .await
    }

    /// Moves an upcoming booking to another slot of the same branch and service: the new
    /// booking takes a seat, the old one ends as moved and its reminders are cancelled, all in
    /// one transaction.
    pub async fn reschedule(
        &self,
        depositor_id: i64,
        chat_id: Option<i64>,
        booking_id: i64,
        start_ms: i64,
    ) -> Result<BookOutcome, StoreError> {
        let Some(held) = self.held(depositor_id, booking_id).await? else {
            return Ok(BookOutcome::Gone);
        };
        let Some(branch) = self.branch(held.branch.id).await? else {
            return Ok(BookOutcome::Gone);
        };
        self.take(
            depositor_id,
            chat_id,
            &branch,
            &held.service,
            start_ms,
            Some(booking_id),
        )
        .await
    }

    async fn take(
        &self,
        depositor_id: i64,
        chat_id: Option<i64>,
        branch: &Branch,
        service: &Service,
        start_ms: i64,
        moving: Option<i64>,
    ) -> Result<BookOutcome, StoreError> {
        let Some(slot) = Slot::from_start_ms(start_ms, service.slot_minutes) else {
            return Ok(BookOutcome::Closed);
        };
        let lang = self.chat_language(chat_id).await?;
        let open = self.check_day(branch, slot.start.date()) == DayCheck::Open
            && slots::bookable_slots(
                &branch.hours,
                self.catalogue.holidays(),
                slot.start.date(),
                service.slot_minutes,
                self.local_now(),
            )
            .contains(&slot);
        let capacity = i64::from(branch.windows(&service.code));
        if !open || capacity == 0 {
            return Ok(BookOutcome::Closed);
        }

        let now_ms = self.clock.now_ms();
        let mut tx = self.db.begin_write().await?;
        // One depositor's bookings are decided one at a time (two chats, a double press).
        self.db
            .lock_in(&mut tx, &format!("booking-depositor:{depositor_id}"))
            .await?;
        let upcoming = bookings::upcoming_for_depositor_in(&mut tx, depositor_id, now_ms).await?;
        if let Some(id) = moving
            && !upcoming.iter().any(|b| b.id == id)
        {
            tx.rollback().await?;
            return Ok(BookOutcome::Gone);
        }
        let others: Vec<&BookingRecord> =
            upcoming.iter().filter(|b| Some(b.id) != moving).collect();
        if let Some(same) = others.iter().find(|b| b.service == service.code) {
            let same = (*same).clone();
            tx.rollback().await?;
            return Ok(match self.view(&same).await? {
                Some(view) => BookOutcome::Limit(LimitRefusal::SameService(Box::new(view))),
                None => BookOutcome::Limit(LimitRefusal::TooMany {
                    max: MAX_ACTIVE_BOOKINGS,
                }),
            });
        }
        if others.len() >= MAX_ACTIVE_BOOKINGS {
            tx.rollback().await?;
            return Ok(BookOutcome::Limit(LimitRefusal::TooMany {
                max: MAX_ACTIVE_BOOKINGS,
            }));
        }

        let new = NewBooking {
            depositor_id,
            chat_id,
            branch_id: branch.id,
            service: service.code.clone(),
            slot_start_ms: slot.start_ms(),
            slot_end_ms: slot.end_ms(),
            moved_from: moving,
            created_at_ms: now_ms,
        };
        let taken =
            bookings::taken_seats_in(&mut tx, branch.id, &service.code, new.slot_start_ms).await?;
        let mut record = None;
        // The read above only saves useless attempts: the unique index decides.
        for seat in (1..=capacity).filter(|seat| !taken.contains(seat)) {
            if let Some(won) = bookings::take_seat_in(&mut tx, &new, seat).await? {
                record = Some(won);
                break;
            }
        }
        let Some(record) = record else {
            tx.rollback().await?;
            let nearest = self
                .nearest_free(branch, service, slot.start, NEAREST_OFFERED)
                .await?;
            return Ok(BookOutcome::Taken { nearest });
        };
        if let Some(id) = moving {
            if !bookings::end_in(&mut tx, id, depositor_id, BookingStatus::Moved, now_ms).await? {
                tx.rollback().await?;
                return Ok(BookOutcome::Gone);
            }
            bookings::cancel_reminders_in(&mut tx, id, now_ms).await?;
        }
        let code = booking_code(&branch.code, record.id);
        let reminders_on = match chat_id {
            Some(chat_id) => {
                notification_settings::is_enabled_in(&mut tx, chat_id, NotifyKind::Reminder).await?
            }
            None => false,
        };
        if let Some(chat_id) = chat_id.filter(|_| reminders_on) {
            for kind in ReminderKind::ALL {
                let due_ms = local_to_ms(kind.due(slot.start));
                // Only reminders still ahead: a visit booked late gets those to come.
                if due_ms <= now_ms {
                    continue;
                }
                let reminder = NewReminder {
                    chat_id,
                    booking_id: record.id,
                    kind,
                    text: self.reminder_text(lang, kind, branch, &service.code, &code, slot),
                    not_before_ms: due_ms,
                };
                bookings::enqueue_reminder_in(&mut tx, &reminder, now_ms).await?;
            }
        }
        tx.commit().await?;
        Ok(BookOutcome::Booked(Box::new(HeldBooking {
            id: record.id,
            code,
            branch: branch.clone(),
            service: service.clone(),
            slot,
        })))
    }

    /// Cancels an upcoming booking of the depositor and its reminders; its seat is free once
    /// this returns. False when there was nothing to cancel.
    pub async fn cancel(&self, depositor_id: i64, booking_id: i64) -> Result<bool, StoreError> {
        let now_ms = self.clock.now_ms();
        let mut tx = self.db.begin_write().await?;
        self.db
            .lock_in(&mut tx, &format!("booking-depositor:{depositor_id}"))
            .await?;
        let ended = bookings::end_in(
            &mut tx,
            booking_id,
            depositor_id,
            BookingStatus::Cancelled,
            now_ms,
        )
        .await?;
        if ended {
            bookings::cancel_reminders_in(&mut tx, booking_id, now_ms).await?;
            tx.commit().await?;
        } else {
            tx.rollback().await?;
        }
        Ok(ended)
    }
}

/// The branches step of `zeinet seed-demo`: the demo branches when there are none yet, and a
/// few visits already booked by demo depositors on the next working day (so the demo has a
/// full slot: the only window for heirs at ALA1 at 10:00). Returns how many branches were
/// added.
pub async fn seed_demo_in(conn: &mut AnyConnection, now_ms: i64) -> Result<u64, StoreError> {
    if bookings::count_branches_in(conn).await? > 0 {
        return Ok(0);
    }
    let catalogue = Catalogue::embedded().map_err(|_| StoreError::Invalid {
        what: "booking reference data",
        reason: "the embedded catalogue does not load",
    })?;
    let file = BranchFile::demo(&catalogue).map_err(|_| StoreError::Invalid {
        what: "demo branches",
        reason: "the embedded branch file does not load",
    })?;
    let report = bookings::import_in(conn, &file, now_ms).await?;
    let people = crate::demo::people();
    let Some(today) = ms_to_local(now_ms).map(|t| t.date()) else {
        return Ok(report.branches_added);
    };
    for (number, branch_code, service_code, minute) in DEMO_VISITS {
        let (Some(person), Some(service)) =
            (people.get(number - 1), catalogue.service(service_code))
        else {
            continue;
        };
        let Some(depositor_id) = bookings::depositor_id_by_iin_in(conn, &person.iin).await? else {
            continue;
        };
        let Some(spec) = file.branches.iter().find(|b| b.code == branch_code) else {
            continue;
        };
        let next_day = slots::horizon(&spec.hours, catalogue.holidays(), today + Duration::days(1))
            .into_iter()
            .next();
        let Some(day) = next_day else { continue };
        let start = day.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(minute));
        let Some(branch_id) = bookings::branch_id_by_code_in(conn, branch_code).await? else {
            continue;
        };
        let new = NewBooking {
            depositor_id,
            chat_id: None,
            branch_id,
            service: service.code.clone(),
            slot_start_ms: local_to_ms(start),
            slot_end_ms: local_to_ms(start + Duration::minutes(i64::from(service.slot_minutes))),
            moved_from: None,
            created_at_ms: now_ms,
        };
        bookings::take_seat_in(conn, &new, 1).await?;
    }
    Ok(report.branches_added)
}
