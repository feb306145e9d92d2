//! Sign-in with IIN and password (the memo's second way). The remembered IIN, when the
//! depositor opted in, skips the IIN question. Every message that carried a password is
//! deleted from the chat.

use super::engine::{StepContext, StepOutcome, StepResult, hint};
use super::start::unexpected;
use super::state::CodeFlow;
use super::{Action, Button, Input, MenuItem, Reply, State, cabinet, code, eds};
use crate::domain::{Iin, IinError, Password};
use crate::i18n::Msg;
use crate::services::auth::PasswordSignIn;

pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    Ok(match ctx.auth.remembered_iin(ctx.chat_id).await? {
        Some(iin) => to_password(ctx, iin, true, None),
        None => to_iin(ctx, None),
    })
}

fn to_iin(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepOutcome {
    let state = State::SignInIin;
    let reply = with_notice(prompt(&state), notice);
    StepOutcome::go(state, ctx, vec![reply])
}

fn to_password(
    ctx: &StepContext<'_>,
    iin: Iin,
    remembered: bool,
    notice: Option<Msg>,
) -> StepOutcome {
    let state = State::SignInPassword { iin, remembered };
    let reply = with_notice(prompt(&state), notice);
    StepOutcome::go(state, ctx, vec![reply])
}

fn with_notice(reply: Reply, notice: Option<Msg>) -> Reply {
    match notice {
        Some(msg) => reply.prepend(msg),
        None => reply,
    }
}

pub fn prompt(state: &State) -> Reply {
    match state {
        State::SignInPassword { iin, remembered } => {
            let mut reply = Reply::new(Msg::new("signin-enter-password").text("iin", iin.masked()))
                .row(vec![Button::new(
                    "button-sign-in-by-code",
                    Action::SignInByCode,
                )])
                .row(vec![Button::new(
                    "button-sign-in-eds",
                    Action::SignInWithEds,
                )])
                .row(vec![Button::new(
                    "menu-forgot-password",
                    Action::Menu(MenuItem::ForgotPassword),
                )]);
            reply = if *remembered {
                reply.row(vec![
                    Button::new("button-other-iin", Action::OtherIin),
                    Button::new("button-forget-iin", Action::ForgetIin),
                ])
            } else {
                reply.row(vec![Button::new("button-other-iin", Action::OtherIin)])
            };
            reply.row(vec![Button::new("button-back", Action::Back)])
        }
        _ => Reply::key("signin-enter-iin").row(vec![Button::new("button-back", Action::Back)]),
    }
}

/// The translated reason an IIN was refused.
pub fn iin_problem(error: IinError) -> Msg {
    Msg::new(match error {
        IinError::Empty => "iin-error-empty",
        IinError::NotDigits => "iin-error-not-digits",
        IinError::WrongLength { .. } => "iin-error-length",
        IinError::BadCentury | IinError::BadDate => "iin-error-date",
        IinError::BadChecksum => "iin-error-checksum",
    })
}

pub async fn step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    match (state, input) {
        (State::SignInIin, Input::Text(text)) => Ok(match Iin::parse(&text) {
            Ok(iin) => to_password(ctx, iin, false, None),
            Err(e) => hint(ctx, state, iin_problem(e)),
        }),
        (State::SignInPassword { iin, remembered }, Input::Text(text)) => {
            password_entered(ctx, state, iin, *remembered, &text).await
        }
        (State::SignInPassword { iin, .. }, Input::Action(action)) => match action {
            Action::SignInByCode => code::start_with_iin(ctx, CodeFlow::SignIn, iin.clone()).await,
            Action::SignInWithEds => eds::start(ctx, iin).await,
            Action::Menu(MenuItem::ForgotPassword) => {
                code::start_with_iin(ctx, CodeFlow::Recovery, iin.clone()).await
            }
            Action::OtherIin => Ok(to_iin(ctx, None)),
            Action::ForgetIin => {
                ctx.auth.remember_iin(ctx.chat_id, None).await?;
                Ok(to_iin(ctx, Some(Msg::new("iin-forgotten"))))
            }
            _ => Ok(hint(ctx, state, Msg::new("hint-stale-button"))),
        },
        (_, other) => Ok(hint(ctx, state, unexpected(&other))),
    }
}

async fn password_entered(
    ctx: &StepContext<'_>,
    state: &State,
    iin: &Iin,
    remembered: bool,
    text: &str,
) -> StepResult {
    let deleted = Msg::new("password-message-deleted");
    let result = ctx
        .auth
        .sign_in_with_password(iin, &Password::new(text), ctx.chat_id)
        .await?;
    let outcome = match result {
        PasswordSignIn::Ok(login) => {
            let offer = (!remembered).then(|| iin.clone());
            cabinet::signed_in(ctx, login, offer, Some(deleted)).await?
        }
        PasswordSignIn::Invalid => {
            hint(ctx, state, Msg::new("signin-invalid")).prepend_notice(deleted)
        }
        PasswordSignIn::Locked { until_ms } => {
            let minutes = minutes_until(ctx, until_ms);
            hint(
                ctx,
                state,
                Msg::new("signin-locked").number("minutes", minutes),
            )
            .prepend_notice(deleted)
        }
        PasswordSignIn::ChatThrottled { retry_after_secs } => {
            let minutes = (retry_after_secs as i64 + 59) / 60;
            hint(
                ctx,
                state,
                Msg::new("signin-throttled").number("minutes", minutes.max(1)),
            )
            .prepend_notice(deleted)
        }
    };
    Ok(outcome.deleting_incoming())
}

fn minutes_until(ctx: &StepContext<'_>, until_ms: i64) -> i64 {
    let left = until_ms - ctx.now.timestamp_millis();
    ((left + 59_999) / 60_000).max(1)
}
