//! Sign-in with EDS (the memo's "ЭЦҚ арқылы кіру"), handed off to the signing web page.
//!
//! After the IIN, "Sign in with EDS" issues a one-time link (`SigningService::request_sign_in`)
//! to a page where NCALayer signs a server nonce with the authentication key. The page's post
//! only verifies and spends the link; the chat's login is opened here, when this chat presses
//! "Continue" (on the link message, or on the message the server sends after the page
//! succeeded): `SigningService::complete_sign_in` redeems the chat's own signed request, once.

use super::engine::{StepContext, StepError, StepOutcome, StepResult, hint};
use super::start::unexpected;
use super::{Action, Button, Input, Reply, State, cabinet, start};
use crate::domain::Iin;
use crate::i18n::Msg;
use crate::services::signing::{EdsSignIn, RequestError};

/// Issues a sign-in link for `iin` and waits for "Continue".
pub async fn start(ctx: &StepContext<'_>, iin: &Iin) -> StepResult {
    let now_ms = ctx.now.timestamp_millis();
    let link = match ctx
        .signing
        .request_sign_in(ctx.chat_id, ctx.lang, iin, now_ms)
        .await
    {
        Ok(link) => link,
        Err(RequestError::Store(e)) => return Err(StepError::Store(e)),
        // Sign-in links do not depend on an application: these do not happen.
        Err(RequestError::NotFound | RequestError::NotAllowed) => {
            return Ok(start::to_menu(ctx, Some(Msg::new("error-temporary"))));
        }
    };
    let reply = Reply::new(Msg::new("signin-eds-prompt").text("iin", iin.masked()))
        .link(Msg::new("button-open-signing-page"), link.url)
        .row(vec![Button::new(
            "button-eds-continue",
            Action::ContinueEdsSignIn,
        )])
        .row(vec![Button::new("button-back", Action::Back)]);
    Ok(StepOutcome::go(
        State::SignInEds { iin: iin.clone() },
        ctx,
        vec![reply],
    ))
}

/// The waiting step's question, as shown again under a hint (without the link: it is shown
/// once, and a new one can be asked for).
pub fn prompt() -> Reply {
    Reply::key("signin-eds-waiting")
        .row(vec![Button::new(
            "button-eds-continue",
            Action::ContinueEdsSignIn,
        )])
        .row(vec![Button::new(
            "button-eds-new-link",
            Action::SignInWithEds,
        )])
        .row(vec![Button::new("button-back", Action::Back)])
}

pub async fn step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    match (state, input) {
        (State::SignInEds { iin }, Input::Action(Action::SignInWithEds)) => start(ctx, iin).await,
        (State::SignInEds { .. }, Input::Text(_)) => {
            Ok(hint(ctx, state, Msg::new("signin-eds-not-yet")))
        }
        (_, other) => Ok(hint(ctx, state, unexpected(&other))),
    }
}

/// "Continue" after signing on the page, from any state: signs the chat in when this chat's
/// own sign-in request was signed; otherwise says so and changes nothing.
pub async fn continue_sign_in(ctx: &StepContext<'_>, state: &State) -> StepResult {
    match ctx.signing.complete_sign_in(ctx.chat_id).await? {
        EdsSignIn::SignedIn(login) => {
            cabinet::signed_in(ctx, login, None, Some(Msg::new("signin-eds-done"))).await
        }
        EdsSignIn::UnknownDepositor => Ok(start::to_menu(
            ctx,
            Some(Msg::new("signin-eds-unknown-depositor")),
        )),
        EdsSignIn::NotSigned => Ok(match state {
            State::SignInEds { .. } => hint(ctx, state, Msg::new("signin-eds-not-yet")),
            _ => hint(ctx, state, Msg::new("hint-stale-button")),
        }),
    }
}
