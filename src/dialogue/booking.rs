//! Queue booking at the fund's branches (the memo's service 8).
//!
//! Signed out, anyone can look at branches: city (paged) → branch → the card with address,
//! hours and services, and the branch on the map (a Telegram venue). Signed in, the cabinet's
//! "Branch visit" shows the depositor's bookings and leads through city → branch → service →
//! day (the next working days with free time) → time (free slots only) → summary → booking
//! code; a booking is opened to reschedule it, cancel it, or see it on the map.
//! Typed dates (`25.12`) and times (`14:30`) are taken when they name a free slot, and refused
//! with the reason otherwise. The rules live in `crate::booking`, seats and limits in
//! `services::booking`; states keep what their prompt shows, in the chat's language.

mod view;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::{self, unexpected};
use super::{Action, Button, Input, MenuItem, State, Venue, signin};
use crate::booking::hours::{WeekHours, hhmm};
use crate::booking::slots::{CLOSES_BEFORE_MINUTES, DayCheck, HORIZON_WORKING_DAYS, TimeCheck};
use crate::booking::typed::{TypedDate, parse_date, parse_time};
use crate::booking::{Branch, Service, Slot, ms_to_local};
use crate::domain::Lang;
use crate::i18n::Msg;
use crate::services::booking::{
    BookOutcome, BookingService, HeldBooking, LimitRefusal, TimeAnswer,
};
use crate::store::StoreError;
use view::{CITIES_PER_PAGE, WEEKDAY_FULL, day_month, weekday_index, when};

/// A button's choice: an id and its name in the chat's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// A branch as shown, in the chat's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub branch_id: i64,
    pub city_id: i64,
    /// "Алматы, Медеуский район".
    pub title: String,
    pub address: String,
    pub latitude_e6: i64,
    pub longitude_e6: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceChoice {
    pub id: u16,
    pub name: String,
    pub minutes: u16,
}

/// A booking of the depositor as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub id: i64,
    pub code: String,
    pub place: Place,
    pub service: String,
    pub service_name: String,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// What is being booked: the branch and service, and the booking being moved, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pick {
    pub place: Place,
    pub service: String,
    pub service_name: String,
    pub minutes: u16,
    pub moving: Option<Held>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum BookingState {
    /// Signed in: the depositor's bookings and "book a visit".
    Home {
        held: Vec<Held>,
    },
    /// Cities with branches, sorted by name, one page shown.
    Cities {
        page: usize,
        cities: Vec<Choice>,
    },
    Branches {
        city: Choice,
        branches: Vec<Choice>,
    },
    /// A branch's card; `alone` when it is its city's only branch (back goes to the cities).
    Branch {
        place: Place,
        hours: WeekHours,
        services: Vec<String>,
        alone: bool,
    },
    Service {
        place: Place,
        services: Vec<ServiceChoice>,
    },
    /// The working days of the horizon that have free time.
    Date {
        pick: Pick,
        days: Vec<NaiveDate>,
    },
    /// The free slots of a day (their starts, unix ms).
    Time {
        pick: Pick,
        date: NaiveDate,
        starts: Vec<i64>,
    },
    /// The slot was taken first: the nearest free ones.
    Nearest {
        pick: Pick,
        starts: Vec<i64>,
    },
    Confirm {
        pick: Pick,
        start_ms: i64,
    },
    Detail {
        held: Held,
    },
    ConfirmCancel {
        held: Held,
    },
}

impl BookingState {
    /// States that act for a signed-in depositor.
    fn needs_login(&self) -> bool {
        !matches!(
            self,
            BookingState::Cities { .. }
                | BookingState::Branches { .. }
                | BookingState::Branch { .. }
        )
    }
}

/// What a booking button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingAction {
    /// Book a new visit (from the bookings).
    New,
    Page(usize),
    City(i64),
    Branch(i64),
    /// Send the shown branch as a venue.
    Map,
    BookHere,
    Service(u16),
    Day(NaiveDate),
    Slot(i64),
    Confirm,
    Open(i64),
    Reschedule,
    Cancel,
    CancelConfirmed,
}

fn button(label: Msg, action: BookingAction) -> Button {
    Button::with_label(label, Action::Booking(action))
}

fn back_row() -> Vec<Button> {
    vec![Button::new("button-back", Action::Back)]
}

fn go(ctx: &StepContext<'_>, state: BookingState, notice: Option<Msg>) -> StepOutcome {
    let state = State::Booking(Box::new(state));
    let reply = match notice {
        Some(msg) => super::prompt(ctx, &state).prepend(msg),
        None => super::prompt(ctx, &state),
    };
    StepOutcome::go(state, ctx, vec![reply])
}

fn hint_in(ctx: &StepContext<'_>, state: &BookingState, msg: Msg) -> StepOutcome {
    hint(ctx, &State::Booking(Box::new(state.clone())), msg)
}

fn login_lost(ctx: &StepContext<'_>) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-expired")))
}

// ---------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------

/// "Branches" of the signed-out menu: look at branches and hours.
pub async fn browse(ctx: &StepContext<'_>) -> StepResult {
    to_cities(ctx, None, None).await
}

/// "Branch visit" of the cabinet: the depositor's bookings.
pub async fn open_home(ctx: &StepContext<'_>) -> StepResult {
    to_home(ctx, None).await
}

async fn to_home(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, notice));
    };
    let held = ctx
        .booking
        .upcoming(login.depositor_id)
        .await?
        .iter()
        .map(|h| held_view(ctx.lang, h))
        .collect();
    Ok(go(ctx, BookingState::Home { held }, notice))
}

// ---------------------------------------------------------------------------------------
// Cities, branches, the branch card
// ---------------------------------------------------------------------------------------

async fn to_cities(ctx: &StepContext<'_>, focus: Option<i64>, notice: Option<Msg>) -> StepResult {
    let mut cities: Vec<Choice> = ctx
        .booking
        .cities()
        .await?
        .into_iter()
        .map(|c| Choice {
            id: c.id,
            name: c.name.get(ctx.lang).to_string(),
        })
        .collect();
    if cities.is_empty() {
        return Ok(home(ctx, Some(Msg::new("booking-no-branches"))));
    }
    cities.sort_by_key(|c| alphabet_key(&c.name));
    let page = focus
        .and_then(|id| cities.iter().position(|c| c.id == id))
        .map_or(0, |i| i / CITIES_PER_PAGE);
    Ok(go(ctx, BookingState::Cities { page, cities }, notice))
}

async fn to_city(ctx: &StepContext<'_>, city: Choice, notice: Option<Msg>) -> StepResult {
    let branches = ctx.booking.branches_in(city.id).await?;
    match branches.as_slice() {
        [] => to_cities(ctx, None, Some(Msg::new("booking-branch-gone"))).await,
        [only] => Ok(card(ctx, only, true, notice)),
        _ => {
            let branches = branches
                .iter()
                .map(|b| Choice {
                    id: b.id,
                    name: b.name.get(ctx.lang).to_string(),
                })
                .collect();
            Ok(go(ctx, BookingState::Branches { city, branches }, notice))
        }
    }
}

async fn to_branch(ctx: &StepContext<'_>, branch_id: i64, notice: Option<Msg>) -> StepResult {
    let Some(branch) = ctx.booking.branch(branch_id).await? else {
        return to_cities(ctx, None, Some(Msg::new("booking-branch-gone"))).await;
    };
    let alone = ctx.booking.branches_in(branch.city_id).await?.len() <= 1;
    Ok(card(ctx, &branch, alone, notice))
}

fn card(ctx: &StepContext<'_>, branch: &Branch, alone: bool, notice: Option<Msg>) -> StepOutcome {
    let services = ctx
        .booking
        .services_of(branch)
        .iter()
        .map(|s| s.name.get(ctx.lang).to_string())
        .collect();
    let state = BookingState::Branch {
        place: place(ctx.lang, branch),
        hours: branch.hours,
        services,
        alone,
    };
    go(ctx, state, notice)
}

fn place(lang: Lang, branch: &Branch) -> Place {
    Place {
        branch_id: branch.id,
        city_id: branch.city_id,
        title: format!("{}, {}", branch.city.get(lang), branch.name.get(lang)),
        address: branch.address.get(lang).to_string(),
        latitude_e6: branch.latitude_e6,
        longitude_e6: branch.longitude_e6,
    }
}

fn venue(place: &Place) -> Venue {
    Venue {
        latitude_e6: place.latitude_e6,
        longitude_e6: place.longitude_e6,
        title: place.title.clone(),
        address: place.address.clone(),
    }
}

/// A city typed instead of pressed: its name in the chat's language, or the start of exactly
/// one name (three letters at least).
fn typed_city(cities: &[Choice], text: &str) -> Option<Choice> {
    let wanted = fold(text);
    if let Some(exact) = cities.iter().find(|c| fold(&c.name) == wanted) {
        return Some(exact.clone());
    }
    if wanted.chars().count() < 3 {
        return None;
    }
    let mut starting = cities.iter().filter(|c| fold(&c.name).starts_with(&wanted));
    match (starting.next(), starting.next()) {
        (Some(one), None) => Some(one.clone()),
        _ => None,
    }
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Sorts Kazakh and Russian names in the Kazakh alphabet's order (which keeps the Russian
/// order for Russian letters); Latin letters after Cyrillic ones.
fn alphabet_key(name: &str) -> Vec<u32> {
    const ALPHABET: &str = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match ALPHABET.chars().position(|a| a == c) {
            Some(i) => i as u32,
            None => 1_000 + c as u32,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Service, day, time, confirmation
// ---------------------------------------------------------------------------------------

/// The branch and service of a pick, still offered; `None` when either is gone.
async fn lookup(
    ctx: &StepContext<'_>,
    pick: &Pick,
) -> Result<Option<(Branch, Service)>, StoreError> {
    let Some(branch) = ctx.booking.branch(pick.place.branch_id).await? else {
        return Ok(None);
    };
    let service = ctx
        .booking
        .services_of(&branch)
        .into_iter()
        .find(|s| s.code == pick.service);
    Ok(service.map(|s| (branch, s)))
}

async fn to_services(ctx: &StepContext<'_>, branch_id: i64, notice: Option<Msg>) -> StepResult {
    let Some(branch) = ctx.booking.branch(branch_id).await? else {
        return to_home(ctx, Some(Msg::new("booking-branch-gone"))).await;
    };
    let services = ctx
        .booking
        .services_of(&branch)
        .iter()
        .map(|s| ServiceChoice {
            id: s.id,
            name: s.name.get(ctx.lang).to_string(),
            minutes: s.slot_minutes,
        })
        .collect();
    let state = BookingState::Service {
        place: place(ctx.lang, &branch),
        services,
    };
    Ok(go(ctx, state, notice))
}

/// The day question for a pick; when no day has free time, the step before says so.
async fn to_date(ctx: &StepContext<'_>, pick: Pick, notice: Option<Msg>) -> StepResult {
    let Some((branch, service)) = lookup(ctx, &pick).await? else {
        return to_home(ctx, Some(Msg::new("booking-branch-gone"))).await;
    };
    let days = ctx.booking.free_days(&branch, &service).await?;
    if days.is_empty() {
        let none = Msg::new("booking-date-none").number("days", HORIZON_WORKING_DAYS as i64);
        return match pick.moving {
            Some(held) => Ok(go(ctx, BookingState::Detail { held }, Some(none))),
            None => to_services(ctx, branch.id, Some(none)).await,
        };
    }
    Ok(go(ctx, BookingState::Date { pick, days }, notice))
}

async fn to_time(
    ctx: &StepContext<'_>,
    pick: Pick,
    date: NaiveDate,
    notice: Option<Msg>,
) -> StepResult {
    let Some((branch, service)) = lookup(ctx, &pick).await? else {
        return to_home(ctx, Some(Msg::new("booking-branch-gone"))).await;
    };
    let free = ctx.booking.free_slots(&branch, &service, date).await?;
    if free.is_empty() {
        let full = Msg::new("booking-date-full").text("date", day_month(date));
        return to_date(ctx, pick, Some(full)).await;
    }
    let starts = free.iter().map(Slot::start_ms).collect();
    Ok(go(ctx, BookingState::Time { pick, date, starts }, notice))
}

/// A day chosen or typed: the reason it cannot be booked, or its free times.
async fn day_chosen(
    ctx: &StepContext<'_>,
    state: &BookingState,
    pick: &Pick,
    date: NaiveDate,
) -> StepResult {
    let Some((branch, _)) = lookup(ctx, pick).await? else {
        return to_home(ctx, Some(Msg::new("booking-branch-gone"))).await;
    };
    let shown = day_month(date);
    let refusal = match ctx.booking.check_day(&branch, date) {
        DayCheck::Open => return to_time(ctx, pick.clone(), date, None).await,
        DayCheck::Past => Msg::new("booking-date-past").text("date", shown),
        DayCheck::Holiday(names) => Msg::new("booking-date-holiday")
            .text("date", shown)
            .text("holiday", names.get(ctx.lang)),
        DayCheck::DayOff => Msg::new("booking-date-day-off").text("date", shown).msg(
            "weekday",
            Msg::new(WEEKDAY_FULL[weekday_index(date.weekday())]),
        ),
        DayCheck::BeyondHorizon { last } => Msg::new("booking-date-beyond")
            .number("days", HORIZON_WORKING_DAYS as i64)
            .text("last", day_month(last)),
    };
    Ok(hint_in(ctx, state, refusal))
}

async fn date_typed(
    ctx: &StepContext<'_>,
    state: &BookingState,
    pick: &Pick,
    text: &str,
) -> StepResult {
    match parse_date(text, ctx.booking.today()) {
        TypedDate::Date(date) => day_chosen(ctx, state, pick, date).await,
        TypedDate::NoSuchDate => Ok(hint_in(ctx, state, Msg::new("booking-date-invalid"))),
        TypedDate::NotUnderstood => {
            Ok(hint_in(ctx, state, Msg::new("booking-date-not-understood")))
        }
    }
}

async fn time_typed(
    ctx: &StepContext<'_>,
    state: &BookingState,
    pick: &Pick,
    date: NaiveDate,
    text: &str,
) -> StepResult {
    let Some(minute) = parse_time(text) else {
        return Ok(hint_in(ctx, state, Msg::new("booking-time-not-understood")));
    };
    let Some((branch, service)) = lookup(ctx, pick).await? else {
        return to_home(ctx, Some(Msg::new("booking-branch-gone"))).await;
    };
    let time = hhmm(minute);
    let refusal = match ctx
        .booking
        .check_time(&branch, &service, date, minute)
        .await?
    {
        TimeAnswer::Free(slot) => return Ok(to_confirm(ctx, pick.clone(), slot.start_ms())),
        TimeAnswer::Full(_) => Msg::new("booking-time-full").text("time", time),
        TimeAnswer::Rule(TimeCheck::Past) => Msg::new("booking-time-past").text("time", time),
        TimeAnswer::Rule(TimeCheck::ClosesSoon) => Msg::new("booking-time-closes-soon")
            .text("time", time)
            .number("minutes", CLOSES_BEFORE_MINUTES),
        TimeAnswer::Rule(TimeCheck::Lunch { from, to }) => Msg::new("booking-time-lunch")
            .text("from", hhmm(from))
            .text("to", hhmm(to)),
        TimeAnswer::Rule(TimeCheck::OutsideHours { open, close, last }) => {
            Msg::new("booking-time-outside")
                .text("open", hhmm(open))
                .text("close", hhmm(close))
                .text("last", hhmm(last))
        }
        TimeAnswer::Rule(TimeCheck::OffGrid) => {
            Msg::new("booking-time-off-grid").number("minutes", i64::from(pick.minutes))
        }
        TimeAnswer::Rule(TimeCheck::Slot(_)) | TimeAnswer::DayClosed => {
            return to_date(ctx, pick.clone(), Some(Msg::new("booking-time-closed"))).await;
        }
    };
    // The free times may have changed since they were shown: show them afresh.
    to_time(ctx, pick.clone(), date, Some(refusal)).await
}

fn to_confirm(ctx: &StepContext<'_>, pick: Pick, start_ms: i64) -> StepOutcome {
    go(ctx, BookingState::Confirm { pick, start_ms }, None)
}

async fn confirm(ctx: &StepContext<'_>, pick: &Pick, start_ms: i64) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(login_lost(ctx));
    };
    let chat = Some(ctx.chat_id);
    let outcome = match &pick.moving {
        Some(held) => {
            ctx.booking
                .reschedule(login.depositor_id, chat, held.id, start_ms)
                .await?
        }
        None => {
            ctx.booking
                .book(
                    login.depositor_id,
                    chat,
                    pick.place.branch_id,
                    &pick.service,
                    start_ms,
                )
                .await?
        }
    };
    match outcome {
        BookOutcome::Booked(booked) => {
            let view = held_view(ctx.lang, &booked);
            let key = if pick.moving.is_some() {
                "booking-moved"
            } else {
                "booking-booked"
            };
            let done = Msg::new(key)
                .text("code", view.code.clone())
                .msg("when", when(view.start_ms, view.end_ms))
                .text("service", view.service_name.clone())
                .text("branch", view.place.title.clone())
                .text("address", view.place.address.clone());
            to_home(ctx, Some(done)).await
        }
        BookOutcome::Taken { nearest } if nearest.is_empty() => {
            to_date(ctx, pick.clone(), Some(Msg::new("booking-slot-taken-none"))).await
        }
        BookOutcome::Taken { nearest } => {
            let starts = nearest.iter().map(Slot::start_ms).collect();
            let state = BookingState::Nearest {
                pick: pick.clone(),
                starts,
            };
            Ok(go(ctx, state, Some(Msg::new("booking-slot-taken"))))
        }
        BookOutcome::Closed => match ms_to_local(start_ms) {
            Some(start) => {
                to_time(
                    ctx,
                    pick.clone(),
                    start.date(),
                    Some(Msg::new("booking-time-closed")),
                )
                .await
            }
            None => to_date(ctx, pick.clone(), Some(Msg::new("booking-time-closed"))).await,
        },
        BookOutcome::Limit(refusal) => to_home(ctx, Some(limit_msg(ctx.lang, &refusal))).await,
        BookOutcome::Gone => to_home(ctx, Some(Msg::new("booking-gone"))).await,
    }
}

fn limit_msg(lang: Lang, refusal: &LimitRefusal) -> Msg {
    match refusal {
        LimitRefusal::TooMany { max } => Msg::new("booking-limit-total").number("max", *max as i64),
        LimitRefusal::SameService(held) => {
            let view = held_view(lang, held);
            Msg::new("booking-limit-service")
                .text("code", view.code)
                .msg("when", when(view.start_ms, view.end_ms))
                .text("branch", view.place.title)
        }
    }
}

// ---------------------------------------------------------------------------------------
// The depositor's bookings
// ---------------------------------------------------------------------------------------

fn held_view(lang: Lang, held: &HeldBooking) -> Held {
    Held {
        id: held.id,
        code: held.code.clone(),
        place: place(lang, &held.branch),
        service: held.service.code.clone(),
        service_name: held.service.name.get(lang).to_string(),
        start_ms: held.slot.start_ms(),
        end_ms: held.slot.end_ms(),
    }
}

fn pick_for_move(held: &Held, minutes: u16) -> Pick {
    Pick {
        place: held.place.clone(),
        service: held.service.clone(),
        service_name: held.service_name.clone(),
        minutes,
        moving: Some(held.clone()),
    }
}

/// May this depositor start another booking (of `service`)? The refusal, if not.
async fn limit(
    ctx: &StepContext<'_>,
    depositor_id: i64,
    service: Option<&str>,
) -> Result<Option<Msg>, StoreError> {
    let upcoming = ctx.booking.upcoming(depositor_id).await?;
    Ok(BookingService::limit_for(&upcoming, service, None).map(|r| limit_msg(ctx.lang, &r)))
}

// ---------------------------------------------------------------------------------------
// The step, back, and the prompts
// ---------------------------------------------------------------------------------------

pub async fn step(ctx: &StepContext<'_>, state: &BookingState, input: Input) -> StepResult {
    use BookingAction as A;
    use BookingState as S;
    let login = ctx.login;
    if state.needs_login() && login.is_none() {
        return Ok(login_lost(ctx));
    }
    let depositor = login.map(|l| l.depositor_id).unwrap_or_default();
    let action = match input {
        Input::Action(Action::Booking(action)) => action,
        Input::Action(Action::Menu(MenuItem::SignIn))
            if matches!(state, S::Branch { .. }) && login.is_none() =>
        {
            return signin::start(ctx).await;
        }
        Input::Text(text) => return text_step(ctx, state, &text).await,
        other => return Ok(hint_in(ctx, state, unexpected(&other))),
    };
    match (state, action) {
        (S::Home { .. }, A::New) => match limit(ctx, depositor, None).await? {
            Some(refusal) => Ok(hint_in(ctx, state, refusal)),
            None => to_cities(ctx, None, None).await,
        },
        (S::Home { held }, A::Open(id)) => match held.iter().find(|h| h.id == id) {
            Some(held) => Ok(go(ctx, S::Detail { held: held.clone() }, None)),
            None => Ok(hint_in(ctx, state, Msg::new("hint-stale-button"))),
        },
        (S::Cities { cities, .. }, A::Page(page)) if page * CITIES_PER_PAGE < cities.len() => {
            let cities = cities.clone();
            Ok(go(ctx, S::Cities { page, cities }, None))
        }
        (S::Cities { cities, .. }, A::City(id)) => match cities.iter().find(|c| c.id == id) {
            Some(city) => to_city(ctx, city.clone(), None).await,
            None => Ok(hint_in(ctx, state, Msg::new("hint-stale-button"))),
        },
        (S::Branches { branches, .. }, A::Branch(id)) if branches.iter().any(|b| b.id == id) => {
            to_branch(ctx, id, None).await
        }
        (S::Branch { place, .. }, A::Map)
        | (
            S::Detail {
                held: Held { place, .. },
            },
            A::Map,
        ) => {
            // The venue, and the same buttons under a short line instead of the whole text.
            let current = State::Booking(Box::new(state.clone()));
            let mut reply = super::prompt(ctx, &current).venue(venue(place));
            reply.parts = vec![Msg::new("booking-map-shown")];
            Ok(StepOutcome::go(current, ctx, vec![reply]))
        }
        (S::Branch { place, .. }, A::BookHere) => match login {
            None => Ok(hint_in(ctx, state, Msg::new("booking-sign-in-first"))),
            Some(_) => match limit(ctx, depositor, None).await? {
                Some(refusal) => Ok(hint_in(ctx, state, refusal)),
                None => to_services(ctx, place.branch_id, None).await,
            },
        },
        (S::Service { place, services }, A::Service(id)) => {
            let Some(service) = services
                .iter()
                .find(|s| s.id == id)
                .and_then(|_| ctx.booking.catalogue().service_by_id(id))
            else {
                return Ok(hint_in(ctx, state, Msg::new("hint-stale-button")));
            };
            if let Some(refusal) = limit(ctx, depositor, Some(&service.code)).await? {
                return Ok(hint_in(ctx, state, refusal));
            }
            let pick = Pick {
                place: place.clone(),
                service: service.code.clone(),
                service_name: service.name.get(ctx.lang).to_string(),
                minutes: service.slot_minutes,
                moving: None,
            };
            to_date(ctx, pick, None).await
        }
        (S::Date { pick, days }, A::Day(date)) if days.contains(&date) => {
            day_chosen(ctx, state, pick, date).await
        }
        (S::Time { pick, starts, .. }, A::Slot(start))
        | (S::Nearest { pick, starts }, A::Slot(start))
            if starts.contains(&start) =>
        {
            Ok(to_confirm(ctx, pick.clone(), start))
        }
        (S::Confirm { pick, start_ms }, A::Confirm) => confirm(ctx, pick, *start_ms).await,
        (S::Detail { held }, A::Reschedule) => {
            let minutes = ctx
                .booking
                .catalogue()
                .service(&held.service)
                .map_or(0, |s| s.slot_minutes);
            to_date(ctx, pick_for_move(held, minutes), None).await
        }
        (S::Detail { held }, A::Cancel) => {
            Ok(go(ctx, S::ConfirmCancel { held: held.clone() }, None))
        }
        (S::ConfirmCancel { held }, A::CancelConfirmed) => {
            let notice = if ctx.booking.cancel(depositor, held.id).await? {
                Msg::new("booking-cancelled")
                    .text("code", held.code.clone())
                    .msg("when", when(held.start_ms, held.end_ms))
            } else {
                Msg::new("booking-gone")
            };
            to_home(ctx, Some(notice)).await
        }
        _ => Ok(hint_in(ctx, state, Msg::new("hint-stale-button"))),
    }
}

async fn text_step(ctx: &StepContext<'_>, state: &BookingState, text: &str) -> StepResult {
    match state {
        BookingState::Cities { cities, .. } => match typed_city(cities, text) {
            Some(city) => to_city(ctx, city, None).await,
            None => Ok(hint_in(ctx, state, Msg::new("booking-city-unknown"))),
        },
        BookingState::Date { pick, .. } => date_typed(ctx, state, pick, text).await,
        BookingState::Time { pick, date, .. } => time_typed(ctx, state, pick, *date, text).await,
        _ => Ok(hint_in(ctx, state, Msg::new("hint-use-buttons"))),
    }
}

pub use view::prompt;

pub async fn back(ctx: &StepContext<'_>, state: &BookingState) -> StepResult {
    use BookingState as S;
    if state.needs_login() && ctx.login.is_none() {
        return Ok(login_lost(ctx));
    }
    match state {
        S::Home { .. } => Ok(home(ctx, None)),
        S::Cities { .. } if ctx.login.is_some() => to_home(ctx, None).await,
        S::Cities { .. } => Ok(home(ctx, None)),
        S::Branches { city, .. } => to_cities(ctx, Some(city.id), None).await,
        S::Branch { place, alone, .. } => {
            if *alone {
                to_cities(ctx, Some(place.city_id), None).await
            } else {
                let cities = ctx.booking.cities().await?;
                match cities.into_iter().find(|c| c.id == place.city_id) {
                    Some(city) => {
                        let city = Choice {
                            id: city.id,
                            name: city.name.get(ctx.lang).to_string(),
                        };
                        to_city(ctx, city, None).await
                    }
                    None => to_cities(ctx, None, None).await,
                }
            }
        }
        S::Service { place, .. } => to_branch(ctx, place.branch_id, None).await,
        S::Date { pick, .. } => match &pick.moving {
            Some(held) => Ok(go(ctx, S::Detail { held: held.clone() }, None)),
            None => to_services(ctx, pick.place.branch_id, None).await,
        },
        S::Time { pick, .. } | S::Nearest { pick, .. } => to_date(ctx, pick.clone(), None).await,
        S::Confirm { pick, start_ms } => match ms_to_local(*start_ms) {
            Some(start) => to_time(ctx, pick.clone(), start.date(), None).await,
            None => to_date(ctx, pick.clone(), None).await,
        },
        S::Detail { .. } => to_home(ctx, None).await,
        S::ConfirmCancel { held } => Ok(go(ctx, S::Detail { held: held.clone() }, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cities() -> Vec<Choice> {
        [
            "Алматы",
            "Ақтау",
            "Ақтөбе",
            "Астана",
            "Өскемен",
            "Усть-Каменогорск",
        ]
        .iter()
        .enumerate()
        .map(|(i, name)| Choice {
            id: i as i64,
            name: name.to_string(),
        })
        .collect()
    }

    #[test]
    fn kazakh_names_sort_in_the_kazakh_alphabet() {
        let mut names: Vec<String> = cities().into_iter().map(|c| c.name).collect();
        names.sort_by_key(|n| alphabet_key(n));
        assert_eq!(
            names,
            [
                "Ақтау",
                "Ақтөбе",
                "Алматы",
                "Астана",
                "Өскемен",
                "Усть-Каменогорск"
            ]
        );
        let mut latin = vec![
            "Taraz".to_string(),
            "Aktau".to_string(),
            "Астана".to_string(),
        ];
        latin.sort_by_key(|n| alphabet_key(n));
        assert_eq!(latin, ["Астана", "Aktau", "Taraz"]);
    }

    #[test]
    fn typed_cities_match_whole_names_or_one_beginning() {
        let cities = cities();
        let name = |text: &str| typed_city(&cities, text).map(|c| c.name);
        assert_eq!(name("алматы").as_deref(), Some("Алматы"));
        assert_eq!(
            name("усть каменогорск").as_deref(),
            Some("Усть-Каменогорск")
        );
        assert_eq!(name("Алм").as_deref(), Some("Алматы"));
        assert_eq!(name("Ақт"), None, "two cities start so");
        assert_eq!(name("Ал"), None, "too short to guess");
        assert_eq!(name("Париж"), None);
    }

    #[test]
    fn states_and_actions_survive_the_session_store() {
        let place = Place {
            branch_id: 4,
            city_id: 2,
            title: "Алматы, Медеуский район".into(),
            address: "г. Алматы, пр. Абылай хана, 91".into(),
            latitude_e6: 43_259_000,
            longitude_e6: 76_945_000,
        };
        let state = State::Booking(Box::new(BookingState::Time {
            pick: Pick {
                place,
                service: "heirs".into(),
                service_name: "Выплата наследникам".into(),
                minutes: 30,
                moving: None,
            },
            date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default(),
            starts: vec![1_772_514_000_000],
        }));
        let json = serde_json::to_string(&state).unwrap_or_default();
        assert_eq!(serde_json::from_str::<State>(&json).ok(), Some(state));
        let action = Action::Booking(BookingAction::Day(
            NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default(),
        ));
        let json = serde_json::to_string(&action).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Action>(&json).ok(), Some(action));
    }
}
