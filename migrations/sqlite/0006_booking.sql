-- Queue booking at fund branches (SQLite): cities and branches (loaded from branch files),
-- their hours and services, bookings, and the bookings' reminders.
-- Same conventions as 0001: BIGINT integers, booleans 0/1, instants in unix milliseconds.
-- Times of day are minutes after local midnight (Kazakhstan, UTC+5).

CREATE TABLE branch_cities (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    code    TEXT    NOT NULL UNIQUE,
    name_kk TEXT    NOT NULL,
    name_ru TEXT    NOT NULL,
    name_en TEXT    NOT NULL
);

CREATE TABLE branches (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    code          TEXT    NOT NULL UNIQUE,
    city_id       BIGINT  NOT NULL REFERENCES branch_cities (id),
    name_kk       TEXT    NOT NULL,
    name_ru       TEXT    NOT NULL,
    name_en       TEXT    NOT NULL,
    address_kk    TEXT    NOT NULL,
    address_ru    TEXT    NOT NULL,
    address_en    TEXT    NOT NULL,
    -- Degrees × 1 000 000.
    latitude_e6   BIGINT  NOT NULL,
    longitude_e6  BIGINT  NOT NULL,
    active        BIGINT  NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at_ms BIGINT  NOT NULL
);
CREATE INDEX branches_city ON branches (city_id);

-- One row per working weekday (1 = Monday ... 7 = Sunday); a missing day is a day off.
CREATE TABLE branch_hours (
    branch_id       BIGINT NOT NULL REFERENCES branches (id),
    weekday         BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    open_min        BIGINT NOT NULL,
    close_min       BIGINT NOT NULL,
    lunch_start_min BIGINT,
    lunch_end_min   BIGINT,
    PRIMARY KEY (branch_id, weekday)
);

-- The services a branch offers and how many windows serve each (a slot's capacity).
CREATE TABLE branch_services (
    branch_id BIGINT NOT NULL REFERENCES branches (id),
    service   TEXT   NOT NULL,
    windows   BIGINT NOT NULL CHECK (windows >= 1),
    PRIMARY KEY (branch_id, service)
);

-- A booked visit. Each active booking holds one seat (1..windows) of its slot; the partial
-- unique index lets one active booking hold a seat, so two people can never both take the
-- last place, and a cancelled or moved booking frees its seat at once.
-- `chat_id` is where reminders go (NULL: booked elsewhere, no reminders). A booking means
-- nothing without its depositor: if a depositor is ever erased, their bookings go too.
CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    depositor_id  BIGINT  NOT NULL REFERENCES depositors (id) ON DELETE CASCADE,
    chat_id       BIGINT,
    branch_id     BIGINT  NOT NULL REFERENCES branches (id),
    service       TEXT    NOT NULL,
    slot_start_ms BIGINT  NOT NULL,
    slot_end_ms   BIGINT  NOT NULL,
    seat          BIGINT  NOT NULL CHECK (seat >= 1),
    status        TEXT    NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'cancelled', 'moved')),
    moved_from    BIGINT  REFERENCES bookings (id) ON DELETE SET NULL,
    created_at_ms BIGINT  NOT NULL,
    ended_at_ms   BIGINT
);
CREATE UNIQUE INDEX bookings_seat_taken
    ON bookings (branch_id, service, slot_start_ms, seat) WHERE status = 'active';
CREATE INDEX bookings_depositor_status ON bookings (depositor_id, status);
CREATE INDEX bookings_slot ON bookings (branch_id, service, slot_start_ms);

-- Reminders of bookings, written in the booking's own transaction. Temporary home until the
-- outbox (migration 0005) is on main: then reminders go there and this table is dropped.
CREATE TABLE booking_reminders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id       BIGINT  NOT NULL,
    booking_id    BIGINT  NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('day_before', 'hour_before')),
    priority      BIGINT  NOT NULL,
    payload       TEXT    NOT NULL,
    dedupe_key    TEXT    NOT NULL UNIQUE,
    due_ms        BIGINT  NOT NULL,
    cancelled     BIGINT  NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
    created_at_ms BIGINT  NOT NULL
);
CREATE INDEX booking_reminders_booking ON booking_reminders (booking_id);
CREATE INDEX booking_reminders_due ON booking_reminders (due_ms);
