//! One-time-code flows, as the fund's memo describes them: registration and password
//! recovery (IIN → registry look-up → contact choice, masked → code → new password twice →
//! signed in), and sign-in by code (IIN → contact → code → signed in). During registration
//! the bot also offers to share the Telegram phone; it only tells whether it matches the
//! fund's records and never replaces the code.

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::signin::iin_problem;
use super::start::unexpected;
use super::state::{CodeFlow, ContactChannel};
use super::{Action, Button, FieldKeyboard, Input, Reply, State, cabinet};
use crate::domain::{Iin, NewPassword, PasswordProblem, Phone};
use crate::i18n::Msg;
use crate::services::auth::{Channel, CodeCheck, CodePurpose, ContactsLookup, SendOutcome};

fn purpose(flow: CodeFlow) -> CodePurpose {
    match flow {
        CodeFlow::Registration => CodePurpose::Registration,
        CodeFlow::Recovery => CodePurpose::Recovery,
        CodeFlow::SignIn => CodePurpose::SignIn,
    }
}

fn channel(c: ContactChannel) -> Channel {
    match c {
        ContactChannel::Sms => Channel::Sms,
        ContactChannel::Email => Channel::Email,
    }
}

/// Starts a flow by asking for the IIN.
pub fn start(ctx: &StepContext<'_>, flow: CodeFlow) -> StepOutcome {
    let state = State::CodeIin { flow };
    StepOutcome::go(state.clone(), ctx, vec![prompt(&state)])
}

/// Starts a flow for a known IIN: looks the depositor up and sends the code or asks where.
pub async fn start_with_iin(ctx: &StepContext<'_>, flow: CodeFlow, iin: Iin) -> StepResult {
    let lookup = ctx.auth.contacts_for(purpose(flow), &iin).await?;
    Ok(match lookup {
        ContactsLookup::NotFound => {
            let state = State::CodeIin { flow };
            StepOutcome::go(
                state.clone(),
                ctx,
                vec![prompt(&state).prepend(Msg::new("code-depositor-not-found"))],
            )
        }
        ContactsLookup::Duplicate => home(ctx, Some(Msg::new("code-duplicate-contact"))),
        ContactsLookup::NoContacts => home(ctx, Some(Msg::new("code-no-contacts"))),
        ContactsLookup::Contacts {
            phone: Some(phone),
            email: Some(email),
        } => {
            let state = State::CodeChannel {
                flow,
                iin,
                phone,
                email,
            };
            StepOutcome::go(state.clone(), ctx, vec![prompt(&state)])
        }
        ContactsLookup::Contacts {
            phone: Some(phone),
            email: None,
        } => send(ctx, None, flow, iin, ContactChannel::Sms, phone).await?,
        ContactsLookup::Contacts {
            phone: None,
            email: Some(email),
        } => send(ctx, None, flow, iin, ContactChannel::Email, email).await?,
        ContactsLookup::Contacts {
            phone: None,
            email: None,
        } => home(ctx, Some(Msg::new("code-no-contacts"))),
    })
}

/// Sends a code. `current` is the state to stay in when nothing was sent (None: the flow's
/// IIN question).
async fn send(
    ctx: &StepContext<'_>,
    current: Option<&State>,
    flow: CodeFlow,
    iin: Iin,
    via: ContactChannel,
    masked: String,
) -> StepResult {
    let stay_state = current.cloned().unwrap_or(State::CodeIin { flow });
    let outcome = ctx
        .auth
        .send_code(purpose(flow), &iin, ctx.chat_id, channel(via), ctx.lang)
        .await?;
    let entering = State::EnterCode {
        flow,
        iin,
        channel: via,
        masked: masked.clone(),
    };
    Ok(match outcome {
        SendOutcome::Sent { .. } => {
            let minutes = ctx.auth.settings().otp_ttl.as_secs().div_ceil(60) as i64;
            let sent = match via {
                ContactChannel::Sms => Msg::new("code-sent-sms"),
                ContactChannel::Email => Msg::new("code-sent-email"),
            }
            .text("contact", masked)
            .number("minutes", minutes);
            let mut replies = vec![prompt(&entering).prepend(sent)];
            if flow == CodeFlow::Registration && via == ContactChannel::Sms {
                replies.push(
                    Reply::key("register-share-phone-offer").field_keyboard(
                        FieldKeyboard::ShareContact(Msg::new("button-share-phone")),
                    ),
                );
            }
            StepOutcome::go(entering, ctx, replies)
        }
        // An earlier code is still on its way: let it be entered, and say when to ask again.
        SendOutcome::TooSoon { wait_secs } => StepOutcome::go(
            entering.clone(),
            ctx,
            vec![
                prompt(&entering)
                    .prepend(Msg::new("code-too-soon").number("seconds", wait_secs.max(1) as i64)),
            ],
        ),
        SendOutcome::TooMany => home(ctx, Some(Msg::new("code-too-many-codes"))),
        SendOutcome::DeliveryFailed => hint(ctx, &stay_state, Msg::new("code-delivery-failed")),
        SendOutcome::NoSuchChannel => hint(ctx, &stay_state, Msg::new("code-no-such-channel")),
    })
}

pub fn to_new_password(
    ctx: &StepContext<'_>,
    flow: CodeFlow,
    iin: Iin,
    notice: Option<Msg>,
) -> StepOutcome {
    let state = State::NewPassword { flow, iin };
    let reply = match notice {
        Some(msg) => prompt(&state).prepend(msg),
        None => prompt(&state),
    };
    StepOutcome::go(state, ctx, vec![reply])
}

pub fn prompt(state: &State) -> Reply {
    let back = || vec![Button::new("button-back", Action::Back)];
    match state {
        State::CodeIin { flow } => Reply::key(match flow {
            CodeFlow::Registration => "register-enter-iin",
            CodeFlow::Recovery => "recovery-enter-iin",
            CodeFlow::SignIn => "signin-enter-iin",
        })
        .row(back()),
        State::CodeChannel { phone, email, .. } => Reply::key("code-choose-channel")
            .row(vec![Button::with_label(
                Msg::new("button-channel-sms").text("contact", phone.clone()),
                Action::Channel(ContactChannel::Sms),
            )])
            .row(vec![Button::with_label(
                Msg::new("button-channel-email").text("contact", email.clone()),
                Action::Channel(ContactChannel::Email),
            )])
            .row(back()),
        State::EnterCode { .. } => Reply::key("code-enter")
            .row(vec![Button::new("button-resend-code", Action::ResendCode)])
            .row(back()),
        State::NewPassword { .. } => Reply::new(
            Msg::new("password-new-prompt")
                .number("min", crate::domain::password::MIN_CHARS as i64)
                .number("max", crate::domain::password::MAX_CHARS as i64),
        )
        .row(back()),
        State::RepeatPassword { .. } => Reply::key("password-repeat-prompt").row(back()),
        _ => Reply::key("menu-prompt"),
    }
}

fn password_problem(problem: PasswordProblem) -> Msg {
    match problem {
        PasswordProblem::TooShort => {
            Msg::new("password-too-short").number("min", crate::domain::password::MIN_CHARS as i64)
        }
        PasswordProblem::TooLong => {
            Msg::new("password-too-long").number("max", crate::domain::password::MAX_CHARS as i64)
        }
        PasswordProblem::Common => Msg::new("password-common"),
        PasswordProblem::SameAsIin => Msg::new("password-same-as-iin"),
        PasswordProblem::SameAsBirthDate => Msg::new("password-same-as-birth-date"),
    }
}

pub async fn step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    match (state, input) {
        (State::CodeIin { flow }, Input::Text(text)) => match Iin::parse(&text) {
            Ok(iin) => start_with_iin(ctx, *flow, iin).await,
            Err(e) => Ok(hint(ctx, state, iin_problem(e))),
        },
        (
            State::CodeChannel {
                flow,
                iin,
                phone,
                email,
            },
            Input::Action(Action::Channel(via)),
        ) => {
            let masked = match via {
                ContactChannel::Sms => phone.clone(),
                ContactChannel::Email => email.clone(),
            };
            send(ctx, Some(state), *flow, iin.clone(), via, masked).await
        }
        (
            State::EnterCode {
                flow,
                iin,
                channel: via,
                masked,
            },
            input,
        ) => match input {
            Input::Text(text) => code_entered(ctx, state, *flow, iin, &text).await,
            Input::Action(Action::ResendCode) => {
                send(ctx, Some(state), *flow, iin.clone(), *via, masked.clone()).await
            }
            Input::Contact { phone, own } => contact_shared(ctx, state, iin, &phone, own).await,
            other => Ok(hint(ctx, state, unexpected(&other))),
        },
        (State::NewPassword { flow, iin }, Input::Text(text)) => {
            let deleted = Msg::new("password-message-deleted");
            let outcome = match NewPassword::parse(&text, iin) {
                Err(problem) => hint(ctx, state, password_problem(problem)),
                Ok(password) => {
                    let next = State::RepeatPassword {
                        flow: *flow,
                        iin: iin.clone(),
                        fingerprint: ctx.auth.password_fingerprint(iin, password.expose()),
                    };
                    StepOutcome::go(next.clone(), ctx, vec![prompt(&next)])
                }
            };
            Ok(outcome.prepend_notice(deleted).deleting_incoming())
        }
        (
            State::RepeatPassword {
                flow,
                iin,
                fingerprint,
            },
            Input::Text(text),
        ) => {
            let deleted = Msg::new("password-message-deleted");
            let repeated = ctx.auth.fingerprint_matches(iin, &text, fingerprint);
            let outcome = match NewPassword::parse(&text, iin) {
                Ok(password) if repeated => {
                    let login = ctx.auth.set_password(iin, &password, ctx.chat_id).await?;
                    let done = match flow {
                        CodeFlow::Registration => "password-set",
                        _ => "password-changed",
                    };
                    let mut outcome =
                        cabinet::signed_in(ctx, login, Some(iin.clone()), Some(Msg::new(done)))
                            .await?;
                    // A changed password may mean someone else knew the old one: say where
                    // else this depositor is signed in and how to end it.
                    let others = ctx
                        .auth
                        .active_logins(login.depositor_id)
                        .await?
                        .iter()
                        .filter(|l| l.login_id != login.login_id)
                        .count();
                    if others > 0
                        && let Some(card) = outcome.replies.first_mut()
                    {
                        card.parts.insert(
                            1,
                            Msg::new("password-changed-other-sessions")
                                .number("count", others as i64),
                        );
                    }
                    outcome
                }
                _ => to_new_password(ctx, *flow, iin.clone(), Some(Msg::new("password-mismatch"))),
            };
            Ok(outcome.prepend_notice(deleted).deleting_incoming())
        }
        (_, other) => Ok(hint(ctx, state, unexpected(&other))),
    }
}

async fn code_entered(
    ctx: &StepContext<'_>,
    state: &State,
    flow: CodeFlow,
    iin: &Iin,
    text: &str,
) -> StepResult {
    let check = ctx
        .auth
        .check_code(purpose(flow), iin, ctx.chat_id, text)
        .await?;
    Ok(match check {
        CodeCheck::Valid => match flow {
            CodeFlow::SignIn => {
                let login = ctx.auth.sign_in_with_code(iin, ctx.chat_id).await?;
                cabinet::signed_in(ctx, login, Some(iin.clone()), None).await?
            }
            _ => to_new_password(ctx, flow, iin.clone(), Some(Msg::new("code-accepted")))
                .with_field_keyboard_removed(),
        },
        CodeCheck::Wrong { attempts_left } => hint(
            ctx,
            state,
            Msg::new("code-wrong").number("left", attempts_left as i64),
        ),
        CodeCheck::Expired | CodeCheck::NoCode => hint(ctx, state, Msg::new("code-expired")),
        CodeCheck::TooManyAttempts => hint(ctx, state, Msg::new("code-too-many-attempts")),
    })
}

async fn contact_shared(
    ctx: &StepContext<'_>,
    state: &State,
    iin: &Iin,
    phone: &str,
    own: bool,
) -> StepResult {
    let verdict = if !own {
        Msg::new("contact-not-own")
    } else {
        match Phone::parse(phone) {
            Ok(phone) if ctx.auth.phone_matches(iin, &phone).await? => Msg::new("contact-matches"),
            _ => Msg::new("contact-differs"),
        }
    };
    Ok(hint(ctx, state, verdict).with_field_keyboard_removed())
}
