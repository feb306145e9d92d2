//! Branches and bookings: the branch reference (cities, branches, hours, services) as
//! imported from branch files, the bookings with their seats, and the bookings' reminders.
//!
//! A booking holds one seat of its slot, `1..=windows`. The partial unique index
//! `bookings_seat_taken` lets only one active booking hold a seat, so taking a seat is one
//! `INSERT ... ON CONFLICT DO NOTHING`: of any number of concurrent attempts on the last seat
//! exactly one gets a row back. Ending a booking is one conditional `UPDATE`, so a booking
//! ends once, and its seat is free the moment that commits.

use std::collections::BTreeMap;

use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::Columns;
use super::{Db, StoreError};
use crate::booking::hours::{DayHours, WeekHours, weekday};
use crate::booking::{Branch, BranchFile, City, Names, ReminderKind};
use crate::domain::Iin;

const BOOKINGS: &str = "bookings";
const BOOKING_COLUMNS: &str = "id, depositor_id, chat_id, branch_id, service, slot_start_ms, \
     slot_end_ms, seat, status, moved_from, created_at_ms, ended_at_ms";

// ---------------------------------------------------------------------------------------
// The branch reference
// ---------------------------------------------------------------------------------------

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub cities: u64,
    pub branches_added: u64,
    pub branches_updated: u64,
}

/// Writes a checked branch file in one transaction: cities and branches are matched by code,
/// added or updated; a branch's hours and services are replaced by the file's. Branches the
/// file does not name are left as they are.
pub async fn import(db: &Db, file: &BranchFile, now_ms: i64) -> Result<ImportReport, StoreError> {
    let mut tx = db.begin_write().await?;
    db.lock_in(&mut tx, "branches-import").await?;
    let report = import_in(&mut tx, file, now_ms).await?;
    tx.commit().await?;
    Ok(report)
}

/// [`import`] inside the caller's transaction.
pub async fn import_in(
    conn: &mut AnyConnection,
    file: &BranchFile,
    now_ms: i64,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    let mut city_ids = BTreeMap::new();
    for city in &file.cities {
        let row = sqlx::query(
            "INSERT INTO branch_cities (code, name_kk, name_ru, name_en) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (code) DO UPDATE SET name_kk = excluded.name_kk, \
               name_ru = excluded.name_ru, name_en = excluded.name_en \
             RETURNING id",
        )
        .bind(&city.code)
        .bind(&city.name.kk)
        .bind(&city.name.ru)
        .bind(&city.name.en)
        .fetch_one(&mut *conn)
        .await?;
        city_ids.insert(
            city.code.as_str(),
            Columns::new(&row, "branch_cities").i64("id")?,
        );
        report.cities += 1;
    }
    for branch in &file.branches {
        let city_id = *city_ids
            .get(branch.city.as_str())
            .ok_or(StoreError::Invalid {
                what: "branch",
                reason: "its city is not in the file",
            })?;
        let existing = sqlx::query("SELECT id FROM branches WHERE code = $1")
            .bind(&branch.code)
            .fetch_optional(&mut *conn)
            .await?;
        let branch_id = match existing {
            Some(row) => {
                let id = Columns::new(&row, "branches").i64("id")?;
                sqlx::query(
                    "UPDATE branches SET city_id = $1, name_kk = $2, name_ru = $3, name_en = $4, \
                       address_kk = $5, address_ru = $6, address_en = $7, latitude_e6 = $8, \
                       longitude_e6 = $9, active = 1, updated_at_ms = $10 WHERE id = $11",
                )
                .bind(city_id)
                .bind(&branch.name.kk)
                .bind(&branch.name.ru)
                .bind(&branch.name.en)
                .bind(&branch.address.kk)
                .bind(&branch.address.ru)
                .bind(&branch.address.en)
                .bind(branch.latitude_e6)
                .bind(branch.longitude_e6)
                .bind(now_ms)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                sqlx::query("DELETE FROM branch_hours WHERE branch_id = $1")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("DELETE FROM branch_services WHERE branch_id = $1")
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
                report.branches_updated += 1;
                id
            }
            None => {
                let row = sqlx::query(
                    "INSERT INTO branches (code, city_id, name_kk, name_ru, name_en, address_kk, \
                       address_ru, address_en, latitude_e6, longitude_e6, active, updated_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) RETURNING id",
                )
                .bind(&branch.code)
                .bind(city_id)
                .bind(&branch.name.kk)
                .bind(&branch.name.ru)
                .bind(&branch.name.en)
                .bind(&branch.address.kk)
                .bind(&branch.address.ru)
                .bind(&branch.address.en)
                .bind(branch.latitude_e6)
                .bind(branch.longitude_e6)
                .bind(now_ms)
                .fetch_one(&mut *conn)
                .await?;
                report.branches_added += 1;
                Columns::new(&row, "branches").i64("id")?
            }
        };
        for (index, hours) in branch.hours.days.iter().enumerate() {
            let Some(hours) = hours else { continue };
            sqlx::query(
                "INSERT INTO branch_hours (branch_id, weekday, open_min, close_min, \
                   lunch_start_min, lunch_end_min) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(branch_id)
            .bind(index as i64 + 1)
            .bind(i64::from(hours.open))
            .bind(i64::from(hours.close))
            .bind(hours.lunch.map(|(from, _)| i64::from(from)))
            .bind(hours.lunch.map(|(_, to)| i64::from(to)))
            .execute(&mut *conn)
            .await?;
        }
        for (service, windows) in &branch.services {
            sqlx::query(
                "INSERT INTO branch_services (branch_id, service, windows) VALUES ($1, $2, $3)",
            )
            .bind(branch_id)
            .bind(service)
            .bind(i64::from(*windows))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(report)
}

pub async fn count_branches(db: &Db) -> Result<i64, StoreError> {
    let mut conn = db.pool().acquire().await?;
    count_branches_in(&mut conn).await
}

pub async fn count_branches_in(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM branches")
        .fetch_one(&mut *conn)
        .await?;
    Columns::new(&row, "branches").i64("n")
}

/// The id of the branch with this code, active or not.
pub async fn branch_id_by_code_in(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT id FROM branches WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| Columns::new(&row, "branches").i64("id"))
        .transpose()
}

/// The id of the depositor with this IIN (the demo seed books visits for demo depositors).
pub async fn depositor_id_by_iin_in(
    conn: &mut AnyConnection,
    iin: &Iin,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query("SELECT id FROM depositors WHERE iin = $1")
        .bind(iin.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|row| Columns::new(&row, "depositors").i64("id"))
        .transpose()
}

/// Cities with at least one active branch, with how many (in no particular order: the
/// dialogue sorts by the name in the reader's language).
pub async fn cities(db: &Db) -> Result<Vec<City>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, c.code, c.name_kk, c.name_ru, c.name_en, COUNT(b.id) AS branches \
         FROM branch_cities c JOIN branches b ON b.city_id = c.id AND b.active = 1 \
         GROUP BY c.id, c.code, c.name_kk, c.name_ru, c.name_en",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, "branch_cities");
            Ok(City {
                id: c.i64("id")?,
                code: c.text("code")?,
                name: names(&c, "name")?,
                branches: c.i64("branches")?,
            })
        })
        .collect()
}

fn names(c: &Columns<'_>, prefix: &'static str) -> Result<Names, StoreError> {
    let (kk, ru, en) = match prefix {
        "name" => ("name_kk", "name_ru", "name_en"),
        "city" => ("city_kk", "city_ru", "city_en"),
        _ => ("address_kk", "address_ru", "address_en"),
    };
    Ok(Names {
        kk: c.text(kk)?,
        ru: c.text(ru)?,
        en: c.text(en)?,
    })
}

/// The active branches of a city, by code.
pub async fn branches_in_city(db: &Db, city_id: i64) -> Result<Vec<Branch>, StoreError> {
    load_branches(db, "b.city_id = $1 AND b.active = 1", city_id).await
}

/// One active branch.
pub async fn branch(db: &Db, id: i64) -> Result<Option<Branch>, StoreError> {
    Ok(load_branches(db, "b.id = $1 AND b.active = 1", id)
        .await?
        .into_iter()
        .next())
}

/// A branch by id, active or not (bookings keep pointing at closed branches).
pub async fn branch_any(db: &Db, id: i64) -> Result<Option<Branch>, StoreError> {
    Ok(load_branches(db, "b.id = $1", id).await?.into_iter().next())
}

/// Branches matching `filter` (a fixed SQL condition on `b` with one bound id), each with its
/// hours and services: three queries whatever the number of branches.
async fn load_branches(db: &Db, filter: &str, id: i64) -> Result<Vec<Branch>, StoreError> {
    let branch_rows = sqlx::query(&format!(
        "SELECT b.id, b.code, b.city_id, b.name_kk, b.name_ru, b.name_en, b.address_kk, \
           b.address_ru, b.address_en, b.latitude_e6, b.longitude_e6, \
           c.name_kk AS city_kk, c.name_ru AS city_ru, c.name_en AS city_en \
         FROM branches b JOIN branch_cities c ON c.id = b.city_id WHERE {filter} ORDER BY b.code"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let hour_rows = sqlx::query(&format!(
        "SELECT h.branch_id, h.weekday, h.open_min, h.close_min, h.lunch_start_min, \
           h.lunch_end_min FROM branch_hours h JOIN branches b ON b.id = h.branch_id \
         WHERE {filter}"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    let service_rows = sqlx::query(&format!(
        "SELECT s.branch_id, s.service, s.windows FROM branch_services s \
         JOIN branches b ON b.id = s.branch_id WHERE {filter} ORDER BY s.branch_id, s.service"
    ))
    .bind(id)
    .fetch_all(db.pool())
    .await?;

    let mut hours: BTreeMap<i64, WeekHours> = BTreeMap::new();
    for row in &hour_rows {
        let c = Columns::new(row, "branch_hours");
        let day = c.i64("weekday")?;
        let minute = |column: &'static str| -> Result<u16, StoreError> {
            u16::try_from(c.i64(column)?).map_err(|_| c.corrupt(column))
        };
        let lunch = match (c.opt_i64("lunch_start_min")?, c.opt_i64("lunch_end_min")?) {
            (Some(_), Some(_)) => Some((minute("lunch_start_min")?, minute("lunch_end_min")?)),
            _ => None,
        };
        let day_hours = DayHours::new(minute("open_min")?, minute("close_min")?, lunch)
            .map_err(|_| c.corrupt("open_min"))?;
        if !(1..=7).contains(&day) {
            return Err(c.corrupt("weekday"));
        }
        hours
            .entry(c.i64("branch_id")?)
            .or_default()
            .set(weekday(day as usize - 1), Some(day_hours));
    }
    let mut services: BTreeMap<i64, Vec<(String, u32)>> = BTreeMap::new();
    for row in &service_rows {
        let c = Columns::new(row, "branch_services");
        let windows = u32::try_from(c.i64("windows")?).map_err(|_| c.corrupt("windows"))?;
        services
            .entry(c.i64("branch_id")?)
            .or_default()
            .push((c.text("service")?, windows));
    }
    branch_rows
        .iter()
        .map(|row| {
            let c = Columns::new(row, "branches");
            let id = c.i64("id")?;
            Ok(Branch {
                id,
                code: c.text("code")?,
                city_id: c.i64("city_id")?,
                city: names(&c, "city")?,
                name: names(&c, "name")?,
                address: names(&c, "address")?,
                latitude_e6: c.i64("latitude_e6")?,
                longitude_e6: c.i64("longitude_e6")?,
                hours: hours.remove(&id).unwrap_or_default(),
                services: services.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingStatus {
    Active,
    Cancelled,
    /// Rescheduled: `moved_from` of the new booking points here.
    Moved,
}

impl BookingStatus {
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Active => "active",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Moved => "moved",
        }
    }

    fn from_code(code: &str) -> Option<BookingStatus> {
        [
            BookingStatus::Active,
            BookingStatus::Cancelled,
            BookingStatus::Moved,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingRecord {
    pub id: i64,
    pub depositor_id: i64,
    pub chat_id: Option<i64>,
    pub branch_id: i64,
    pub service: String,
    pub slot_start_ms: i64,
    pub slot_end_ms: i64,
    pub seat: i64,
    pub status: BookingStatus,
    pub moved_from: Option<i64>,
    pub created_at_ms: i64,
    pub ended_at_ms: Option<i64>,
}

fn booking_from_row(row: &AnyRow) -> Result<BookingRecord, StoreError> {
    let c = Columns::new(row, BOOKINGS);
    let status = c.text("status")?;
    Ok(BookingRecord {
        id: c.i64("id")?,
        depositor_id: c.i64("depositor_id")?,
        chat_id: c.opt_i64("chat_id")?,
        branch_id: c.i64("branch_id")?,
        service: c.text("service")?,
        slot_start_ms: c.i64("slot_start_ms")?,
        slot_end_ms: c.i64("slot_end_ms")?,
        seat: c.i64("seat")?,
        status: BookingStatus::from_code(&status).ok_or_else(|| c.corrupt("status"))?,
        moved_from: c.opt_i64("moved_from")?,
        created_at_ms: c.i64("created_at_ms")?,
        ended_at_ms: c.opt_i64("ended_at_ms")?,
    })
}

/// A booking to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub depositor_id: i64,
    pub chat_id: Option<i64>,
    pub branch_id: i64,
    pub service: String,
    pub slot_start_ms: i64,
    pub slot_end_ms: i64,
    pub moved_from: Option<i64>,
    pub created_at_ms: i64,
}

/// Takes `seat` of the booking's slot: the new booking, or `None` when an active booking
/// already holds that seat (then nothing was written; on PostgreSQL the transaction stays
/// usable).
pub async fn take_seat_in(
    conn: &mut AnyConnection,
    new: &NewBooking,
    seat: i64,
) -> Result<Option<BookingRecord>, StoreError> {
    let sql = format!(
        "INSERT INTO bookings (depositor_id, chat_id, branch_id, service, slot_start_ms, \
           slot_end_ms, seat, status, moved_from, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9) \
         ON CONFLICT DO NOTHING RETURNING {BOOKING_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.depositor_id)
        .bind(new.chat_id)
        .bind(new.branch_id)
        .bind(&new.service)
        .bind(new.slot_start_ms)
        .bind(new.slot_end_ms)
        .bind(seat)
        .bind(new.moved_from)
        .bind(new.created_at_ms)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(booking_from_row).transpose()
}

/// Seats of one slot held by active bookings.
pub async fn taken_seats_in(
    conn: &mut AnyConnection,
    branch_id: i64,
    service: &str,
    slot_start_ms: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT seat FROM bookings WHERE branch_id = $1 AND service = $2 \
         AND slot_start_ms = $3 AND status = 'active' ORDER BY seat",
    )
    .bind(branch_id)
    .bind(service)
    .bind(slot_start_ms)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| Columns::new(row, BOOKINGS).i64("seat"))
        .collect()
}

/// Active bookings per slot start of one branch and service, for slots starting in
/// `[from_ms, to_ms)`.
pub async fn taken_counts(
    db: &Db,
    branch_id: i64,
    service: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<BTreeMap<i64, i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT slot_start_ms, COUNT(*) AS taken FROM bookings \
         WHERE branch_id = $1 AND service = $2 AND status = 'active' \
           AND slot_start_ms >= $3 AND slot_start_ms < $4 \
         GROUP BY slot_start_ms",
    )
    .bind(branch_id)
    .bind(service)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let c = Columns::new(row, BOOKINGS);
            Ok((c.i64("slot_start_ms")?, c.i64("taken")?))
        })
        .collect()
}

/// The depositor's active bookings whose visit has not ended by `now_ms`, soonest first.
pub async fn upcoming_for_depositor(
    db: &Db,
    depositor_id: i64,
    now_ms: i64,
) -> Result<Vec<BookingRecord>, StoreError> {
    let mut conn = db.pool().acquire().await?;
    upcoming_for_depositor_in(&mut conn, depositor_id, now_ms).await
}

pub async fn upcoming_for_depositor_in(
    conn: &mut AnyConnection,
    depositor_id: i64,
    now_ms: i64,
) -> Result<Vec<BookingRecord>, StoreError> {
    let sql = format!(
        "SELECT {BOOKING_COLUMNS} FROM bookings WHERE depositor_id = $1 AND status = 'active' \
         AND slot_end_ms > $2 ORDER BY slot_start_ms, id"
    );
    let rows = sqlx::query(&sql)
        .bind(depositor_id)
        .bind(now_ms)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(booking_from_row).collect()
}

pub async fn get(db: &Db, id: i64) -> Result<Option<BookingRecord>, StoreError> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(booking_from_row).transpose()
}

/// Ends an active booking of `depositor_id` that has not started by `now_ms` (cancelled or
/// moved). True when this call ended it; false when it was not there to end.
pub async fn end_in(
    conn: &mut AnyConnection,
    id: i64,
    depositor_id: i64,
    status: BookingStatus,
    now_ms: i64,
) -> Result<bool, StoreError> {
    if status == BookingStatus::Active {
        return Err(StoreError::Invalid {
            what: "booking",
            reason: "ending a booking needs an ended status",
        });
    }
    let result = sqlx::query(
        "UPDATE bookings SET status = $1, ended_at_ms = $2 \
         WHERE id = $3 AND depositor_id = $4 AND status = 'active' AND slot_start_ms > $2",
    )
    .bind(status.code())
    .bind(now_ms)
    .bind(id)
    .bind(depositor_id)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------
// Reminders: outbox messages keyed by booking, written and cancelled in the booking's own
// transaction.
// ---------------------------------------------------------------------------------------

/// A reminder to deliver through the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReminder {
    pub chat_id: i64,
    pub booking_id: i64,
    pub kind: ReminderKind,
    /// The message, already rendered in the chat's language.
    pub text: String,
    /// Not to be sent before this instant.
    pub not_before_ms: i64,
}

/// A booking's reminder as queued in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderRecord {
    pub id: i64,
    pub chat_id: i64,
    pub booking_id: i64,
    pub kind: ReminderKind,
    pub priority: i64,
    pub payload: String,
    pub dedupe_key: String,
    pub due_ms: i64,
    pub cancelled: bool,
    pub created_at_ms: i64,
}

/// One reminder of each kind per booking, however often a booking is written.
pub fn reminder_key(booking_id: i64, kind: ReminderKind) -> String {
    format!("booking:{booking_id}:{}", kind.code())
}

/// Queues a reminder in the caller's transaction; false when one with the same key is
/// already queued.
pub async fn enqueue_reminder_in(
    conn: &mut AnyConnection,
    reminder: &NewReminder,
    now_ms: i64,
) -> Result<bool, StoreError> {
    use crate::outbox::payload::{Content, RenderedMessage};
    use crate::store::outbox::{self, Enqueued, NewOutboxMessage, OutboxKind};
    let message = NewOutboxMessage::new(
        reminder.chat_id,
        OutboxKind::Reminder,
        Content::Message(RenderedMessage {
            text: reminder.text.clone(),
            ..RenderedMessage::default()
        }),
    )
    .dedupe_key(reminder_key(reminder.booking_id, reminder.kind))
    .not_before_ms(reminder.not_before_ms);
    Ok(matches!(
        outbox::enqueue_in(conn, &message, now_ms).await?,
        Enqueued::New(_)
    ))
}

/// Cancels the booking's reminders still waiting in the outbox, in the caller's transaction;
/// how many.
pub async fn cancel_reminders_in(
    conn: &mut AnyConnection,
    booking_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let keys: Vec<String> = ReminderKind::ALL
        .iter()
        .map(|kind| reminder_key(booking_id, *kind))
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    crate::store::outbox::cancel_keyed_in(conn, &keys, now_ms).await
}

/// The reminders of a booking in the outbox, cancelled ones included, by due time.
pub async fn reminders_of(db: &Db, booking_id: i64) -> Result<Vec<ReminderRecord>, StoreError> {
    let mut found = Vec::new();
    for kind in ReminderKind::ALL {
        let key = reminder_key(booking_id, kind);
        let row = sqlx::query(
            "SELECT id, chat_id, priority, payload, dedupe_key, not_before_ms, outcome, \
               created_at_ms FROM outbox WHERE dedupe_key = $1",
        )
        .bind(&key)
        .fetch_optional(db.pool())
        .await?;
        let Some(row) = row else { continue };
        let c = Columns::new(&row, "outbox");
        found.push(ReminderRecord {
            id: c.i64("id")?,
            chat_id: c.i64("chat_id")?,
            booking_id,
            kind,
            priority: c.i64("priority")?,
            payload: c.text("payload")?,
            dedupe_key: c.text("dedupe_key")?,
            due_ms: c.i64("not_before_ms")?,
            cancelled: c.opt_text("outcome")?.as_deref() == Some("cancelled"),
            created_at_ms: c.i64("created_at_ms")?,
        });
    }
    found.sort_by_key(|r| (r.due_ms, r.id));
    Ok(found)
}

/// Active bookings whose slot starts in `[from_ms, to_ms)` (for staff statistics).
pub async fn count_active_between(db: &Db, from_ms: i64, to_ms: i64) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM bookings \
         WHERE status = 'active' AND slot_start_ms >= $1 AND slot_start_ms < $2",
    )
    .bind(from_ms)
    .bind(to_ms)
    .fetch_one(db.pool())
    .await?;
    Columns::new(&row, "bookings").i64("n")
}

/// The chats that booked a visit at a branch of this city with a slot starting at or after
/// `since_ms` (the broadcast audience "by city": recent and upcoming visitors, whatever became
/// of the booking), by chat id.
pub async fn chats_with_bookings_in_city(
    db: &Db,
    city_id: i64,
    since_ms: i64,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT DISTINCT bk.chat_id FROM bookings bk JOIN branches b ON b.id = bk.branch_id \
         WHERE b.city_id = $1 AND bk.chat_id IS NOT NULL AND bk.slot_start_ms >= $2 \
         ORDER BY bk.chat_id",
    )
    .bind(city_id)
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| Columns::new(row, BOOKINGS).i64("chat_id"))
        .collect()
}
