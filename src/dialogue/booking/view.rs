//! What the booking steps show: each state's text and buttons, and the formatting of days,
//! times and opening hours, in the chat's language.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

use super::{BookingAction, BookingState, Pick, back_row, button};
use crate::booking::hours::{WeekHours, hhmm};
use crate::booking::ms_to_local;
use crate::booking::slots::{CLOSES_BEFORE_MINUTES, HORIZON_WORKING_DAYS};
use crate::dialogue::engine::StepContext;
use crate::dialogue::{Action, Button, MenuItem, Reply};
use crate::i18n::Msg;

/// Cities on one page of the city list (two a row).
pub(super) const CITIES_PER_PAGE: usize = 10;

const WEEKDAY_SHORT: [&str; 7] = [
    "booking-weekday-mon",
    "booking-weekday-tue",
    "booking-weekday-wed",
    "booking-weekday-thu",
    "booking-weekday-fri",
    "booking-weekday-sat",
    "booking-weekday-sun",
];

pub(super) const WEEKDAY_FULL: [&str; 7] = [
    "booking-weekday-full-mon",
    "booking-weekday-full-tue",
    "booking-weekday-full-wed",
    "booking-weekday-full-thu",
    "booking-weekday-full-fri",
    "booking-weekday-full-sat",
    "booking-weekday-full-sun",
];

pub fn prompt(ctx: &StepContext<'_>, state: &BookingState) -> Reply {
    use BookingAction as A;
    use BookingState as S;
    match state {
        S::Home { held } => {
            let intro = Msg::new("booking-home")
                .number("days", HORIZON_WORKING_DAYS as i64)
                .number("minutes", CLOSES_BEFORE_MINUTES);
            let list = if held.is_empty() {
                Msg::new("booking-home-none")
            } else {
                let items = held
                    .iter()
                    .map(|h| {
                        Msg::new("booking-held-line")
                            .text("code", h.code.clone())
                            .msg("when", when(h.start_ms, h.end_ms))
                            .text("service", h.service_name.clone())
                            .text("branch", h.place.title.clone())
                    })
                    .collect();
                Msg::new("booking-home-list").list("items", items)
            };
            let mut reply = Reply::new(intro)
                .append(list)
                .row(vec![button(Msg::new("booking-new"), A::New)]);
            for h in held {
                let label = Msg::new("booking-held-button")
                    .text("code", h.code.clone())
                    .msg("when", short_when(h.start_ms));
                reply = reply.row(vec![button(label, A::Open(h.id))]);
            }
            reply.row(back_row())
        }
        S::Cities { page, cities } => {
            let pages = cities.len().div_ceil(CITIES_PER_PAGE).max(1);
            let page = (*page).min(pages - 1);
            let mut reply = Reply::key("booking-cities-prompt");
            if pages > 1 {
                reply = reply.append(
                    Msg::new("booking-page")
                        .number("page", page as i64 + 1)
                        .number("pages", pages as i64),
                );
            }
            let shown = cities
                .iter()
                .skip(page * CITIES_PER_PAGE)
                .take(CITIES_PER_PAGE);
            let buttons: Vec<Button> = shown
                .map(|c| {
                    button(
                        Msg::new("booking-label").text("text", c.name.clone()),
                        A::City(c.id),
                    )
                })
                .collect();
            for pair in buttons.chunks(2) {
                reply = reply.row(pair.to_vec());
            }
            let mut nav = Vec::new();
            if page > 0 {
                nav.push(button(Msg::new("booking-page-previous"), A::Page(page - 1)));
            }
            if page + 1 < pages {
                nav.push(button(Msg::new("booking-page-next"), A::Page(page + 1)));
            }
            if !nav.is_empty() {
                reply = reply.row(nav);
            }
            reply.row(back_row())
        }
        S::Branches { city, branches } => {
            let mut reply =
                Reply::new(Msg::new("booking-branches-prompt").text("city", city.name.clone()));
            for b in branches {
                let label = Msg::new("booking-label").text("text", b.name.clone());
                reply = reply.row(vec![button(label, A::Branch(b.id))]);
            }
            reply.row(back_row())
        }
        S::Branch {
            place,
            hours,
            services,
            ..
        } => {
            let mut reply = Reply::new(
                Msg::new("booking-card")
                    .text("branch", place.title.clone())
                    .text("address", place.address.clone())
                    .list("hours", hours_lines(hours))
                    .text("services", services.join("; ")),
            )
            .row(vec![button(Msg::new("booking-map"), A::Map)]);
            reply = match ctx.login {
                Some(_) => reply.row(vec![button(Msg::new("booking-book-here"), A::BookHere)]),
                None => reply
                    .append(Msg::new("booking-sign-in-note"))
                    .row(vec![Button::new(
                        "booking-sign-in",
                        Action::Menu(MenuItem::SignIn),
                    )]),
            };
            reply.row(back_row())
        }
        S::Service { place, services } => {
            let mut reply =
                Reply::new(Msg::new("booking-service-prompt").text("branch", place.title.clone()));
            for s in services {
                let label = Msg::new("booking-service-button")
                    .text("name", s.name.clone())
                    .number("minutes", i64::from(s.minutes));
                reply = reply.row(vec![button(label, A::Service(s.id))]);
            }
            reply.row(back_row())
        }
        S::Date { pick, days } => {
            let mut reply = Reply::new(pick_header(pick)).append(Msg::new("booking-date-prompt"));
            let buttons: Vec<Button> = days
                .iter()
                .map(|d| button(day_label(*d), A::Day(*d)))
                .collect();
            for row in buttons.chunks(3) {
                reply = reply.row(row.to_vec());
            }
            reply.row(back_row())
        }
        S::Time { pick, date, starts } => {
            let mut reply = Reply::new(pick_header(pick))
                .append(Msg::new("booking-time-prompt").msg("day", day_label(*date)));
            let buttons: Vec<Button> = starts
                .iter()
                .map(|ms| {
                    let label = Msg::new("booking-label").text("text", clock_of(*ms));
                    button(label, A::Slot(*ms))
                })
                .collect();
            for row in buttons.chunks(4) {
                reply = reply.row(row.to_vec());
            }
            reply.row(back_row())
        }
        S::Nearest { pick, starts } => {
            let mut reply =
                Reply::new(pick_header(pick)).append(Msg::new("booking-nearest-prompt"));
            let buttons: Vec<Button> = starts
                .iter()
                .map(|ms| button(short_when(*ms), A::Slot(*ms)))
                .collect();
            for row in buttons.chunks(2) {
                reply = reply.row(row.to_vec());
            }
            reply.row(back_row())
        }
        S::Confirm { pick, start_ms } => {
            let end_ms = start_ms + i64::from(pick.minutes) * 60_000;
            let summary = match &pick.moving {
                Some(held) => Msg::new("booking-confirm-move")
                    .text("code", held.code.clone())
                    .msg("was", when(held.start_ms, held.end_ms))
                    .msg("when", when(*start_ms, end_ms)),
                None => Msg::new("booking-confirm-new").msg("when", when(*start_ms, end_ms)),
            }
            .text("branch", pick.place.title.clone())
            .text("address", pick.place.address.clone())
            .text("service", pick.service_name.clone());
            Reply::new(summary).row(vec![
                button(Msg::new("booking-confirm"), A::Confirm),
                Button::new("button-back", Action::Back),
            ])
        }
        S::Detail { held } => Reply::new(
            Msg::new("booking-detail")
                .text("code", held.code.clone())
                .msg("when", when(held.start_ms, held.end_ms))
                .text("service", held.service_name.clone())
                .text("branch", held.place.title.clone())
                .text("address", held.place.address.clone()),
        )
        .row(vec![
            button(Msg::new("booking-reschedule"), A::Reschedule),
            button(Msg::new("booking-cancel"), A::Cancel),
        ])
        .row(vec![button(Msg::new("booking-map"), A::Map)])
        .row(back_row()),
        S::ConfirmCancel { held } => Reply::new(
            Msg::new("booking-cancel-prompt")
                .text("code", held.code.clone())
                .msg("when", when(held.start_ms, held.end_ms)),
        )
        .row(vec![
            button(Msg::new("booking-cancel-yes"), A::CancelConfirmed),
            Button::new("booking-cancel-keep", Action::Back),
        ]),
    }
}

fn pick_header(pick: &Pick) -> Msg {
    match &pick.moving {
        Some(held) => Msg::new("booking-move-header")
            .text("code", held.code.clone())
            .msg("when", when(held.start_ms, held.end_ms)),
        None => Msg::new("booking-pick-header")
            .text("service", pick.service_name.clone())
            .text("branch", pick.place.title.clone()),
    }
}

/// The week's hours, consecutive days with the same hours on one line.
fn hours_lines(hours: &WeekHours) -> Vec<Msg> {
    hours
        .runs()
        .into_iter()
        .map(|(from, to, day)| {
            let days = if from == to {
                Msg::new(WEEKDAY_SHORT[weekday_index(from)])
            } else {
                Msg::new("booking-days-range")
                    .msg("from", Msg::new(WEEKDAY_SHORT[weekday_index(from)]))
                    .msg("to", Msg::new(WEEKDAY_SHORT[weekday_index(to)]))
            };
            match day {
                None => Msg::new("booking-hours-closed").msg("days", days),
                Some(h) => match h.lunch {
                    None => Msg::new("booking-hours-open")
                        .msg("days", days)
                        .text("open", hhmm(h.open))
                        .text("close", hhmm(h.close)),
                    Some((from, to)) => Msg::new("booking-hours-open-lunch")
                        .msg("days", days)
                        .text("open", hhmm(h.open))
                        .text("close", hhmm(h.close))
                        .text("from", hhmm(from))
                        .text("to", hhmm(to)),
                },
            }
        })
        .collect()
}

pub(super) fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

pub(super) fn day_month(date: NaiveDate) -> String {
    date.format("%d.%m").to_string()
}

/// "Tue 03.03".
fn day_label(date: NaiveDate) -> Msg {
    Msg::new("booking-day")
        .msg(
            "weekday",
            Msg::new(WEEKDAY_SHORT[weekday_index(date.weekday())]),
        )
        .text("date", day_month(date))
}

fn local(ms: i64) -> NaiveDateTime {
    ms_to_local(ms).unwrap_or_default()
}

fn clock_of(ms: i64) -> String {
    local(ms).format("%H:%M").to_string()
}

/// "Tue 03.03.2026, 10:30–10:45".
pub(super) fn when(start_ms: i64, end_ms: i64) -> Msg {
    let start = local(start_ms);
    Msg::new("booking-when")
        .msg(
            "weekday",
            Msg::new(WEEKDAY_SHORT[weekday_index(start.weekday())]),
        )
        .text("date", start.format("%d.%m.%Y").to_string())
        .text("start", clock_of(start_ms))
        .text("end", clock_of(end_ms))
}

/// "Tue 03.03 10:30".
fn short_when(start_ms: i64) -> Msg {
    let start = local(start_ms);
    Msg::new("booking-day-time")
        .msg(
            "weekday",
            Msg::new(WEEKDAY_SHORT[weekday_index(start.weekday())]),
        )
        .text("date", day_month(start.date()))
        .text("time", clock_of(start_ms))
}
