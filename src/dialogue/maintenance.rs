//! Technical work: while a maintenance window is in force, service requests (sign-in,
//! registration, the cabinet's services, statements, applications, booking, the calculator)
//! are answered with a notice and the expected end, and the chat returns to its main menu;
//! /start, the language, help, /settings, /logout and staff commands keep working. Admins set
//! and end a window with `/maintenance` (the command line has `zeinet maintenance`).

use super::engine::{StepContext, StepResult, hint, home};
use super::{Action, Command, Input, MenuItem, State};
use crate::i18n::Msg;
use crate::services::maintenance::{Window, format_local, window_from_text};
use crate::store::staff::{Role, actor_name};

/// States whose every step reads or changes the fund's records.
fn in_service(state: &State) -> bool {
    matches!(
        state,
        State::SignInIin
            | State::SignInPassword { .. }
            | State::CodeIin { .. }
            | State::CodeChannel { .. }
            | State::EnterCode { .. }
            | State::NewPassword { .. }
            | State::RepeatPassword { .. }
            | State::Sessions { .. }
            | State::Forecast(_)
            | State::Applications(_)
            | State::Statement(_)
            | State::Booking(_)
    )
}

fn signing_in(state: &State, input: &Input) -> bool {
    matches!(
        input,
        Input::Action(Action::Menu(
            MenuItem::SignIn | MenuItem::Register | MenuItem::ForgotPassword
        ))
    ) || matches!(
        state,
        State::SignInIin
            | State::SignInPassword { .. }
            | State::CodeIin { .. }
            | State::CodeChannel { .. }
            | State::EnterCode { .. }
            | State::NewPassword { .. }
            | State::RepeatPassword { .. }
    )
}

/// Whether `input` in `state` asks for a service that pauses during technical work.
pub fn is_service_request(state: &State, input: &Input) -> bool {
    match input {
        Input::Command(command) => matches!(command, Command::Verify(_) | Command::Sessions),
        Input::Action(Action::MainMenu) => false,
        Input::Action(Action::Menu(item)) => {
            !matches!(item, MenuItem::Language | MenuItem::Help | MenuItem::Logout)
        }
        _ => in_service(state),
    }
}

/// The notice for a service request during `window`, over the chat's main menu; `None` when
/// the input is not a service request.
pub fn gate(
    ctx: &StepContext<'_>,
    state: &State,
    input: &Input,
    window: Window,
) -> Option<super::StepOutcome> {
    if !is_service_request(state, input) {
        return None;
    }
    let key = if signing_in(state, input) {
        "maintenance-signin"
    } else {
        "maintenance-notice"
    };
    let notice = Msg::new(key).text("until", format_local(window.until_ms));
    Some(home(ctx, Some(notice)))
}

/// `/maintenance` (admins only; anyone else gets the unknown-command hint):
/// no argument shows the window; `off` ends it; `DD.MM.YYYY HH:MM` sets one from now to then;
/// `DD.MM.YYYY HH:MM DD.MM.YYYY HH:MM` sets one from the first time to the second.
pub async fn command(ctx: &StepContext<'_>, state: &State, args: Option<&str>) -> StepResult {
    let roles = ctx.staff.roles(ctx.user_id).await?;
    if !roles.contains(&Role::Admin) {
        return Ok(hint(
            ctx,
            state,
            Msg::new("hint-unknown-command").text("command", "/maintenance"),
        ));
    }
    let by = actor_name(Some(ctx.user_id));
    let words: Vec<&str> = args.unwrap_or("").split_whitespace().collect();
    let notice = match words.as_slice() {
        [] => status(ctx).await?,
        [word] if matches!(word.to_lowercase().as_str(), "off" | "clear" | "end") => {
            ctx.maintenance.clear(&by, ctx.now).await?;
            Msg::new("staff-maintenance-cleared")
        }
        [day, time] => set(ctx, &by, None, &format!("{day} {time}")).await?,
        [from_day, from_time, day, time] => {
            let from = format!("{from_day} {from_time}");
            set(ctx, &by, Some(&from), &format!("{day} {time}")).await?
        }
        _ => Msg::new("staff-maintenance-bad").msg("usage", Msg::new("staff-maintenance-usage")),
    };
    Ok(home(ctx, Some(notice)))
}

async fn set(
    ctx: &StepContext<'_>,
    by: &str,
    from: Option<&str>,
    until: &str,
) -> Result<Msg, super::StepError> {
    Ok(match window_from_text(from, until, ctx.now) {
        Ok(window) => {
            ctx.maintenance.set(window, by, ctx.now).await?;
            Msg::new("staff-maintenance-set")
                .text("from", format_local(window.from_ms))
                .text("until", format_local(window.until_ms))
        }
        Err(_) => {
            Msg::new("staff-maintenance-bad").msg("usage", Msg::new("staff-maintenance-usage"))
        }
    })
}

async fn status(ctx: &StepContext<'_>) -> Result<Msg, super::StepError> {
    let now_ms = ctx.now.timestamp_millis();
    let shown = match ctx.maintenance.stored().await? {
        None => Msg::new("staff-maintenance-none"),
        Some(w) if w.ends_at_ms <= now_ms => {
            Msg::new("staff-maintenance-over").text("until", format_local(w.ends_at_ms))
        }
        Some(w) => Msg::new(if w.starts_at_ms <= now_ms {
            "staff-maintenance-current"
        } else {
            "staff-maintenance-upcoming"
        })
        .text("from", format_local(w.starts_at_ms))
        .text("until", format_local(w.ends_at_ms)),
    };
    Ok(Msg::new("staff-maintenance-status")
        .msg("status", shown)
        .msg("usage", Msg::new("staff-maintenance-usage")))
}
