//! The signed-in side: the cabinet menu, personal data and savings (as the memo shows them
//! after sign-in), the list of signed-in chats, and logout. Every read goes through the
//! depositor of this chat's own login.

use chrono::TimeZone;

use super::engine::{LoginChange, StepContext, StepOutcome, StepResult, hint, home};
use super::start::{self, unexpected};
use super::{
    Action, Button, Input, MenuItem, Reply, State, applications, booking, filing, forecast,
    statement,
};
use crate::domain::Iin;
use crate::i18n::{Arg, Msg};
use crate::services::auth::{Login, Profile};
use crate::store::accounts::AccountKind;

/// Kazakhstan has one time zone, UTC+5, since March 2024.
use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;

pub fn to_cabinet(ctx: &StepContext<'_>, notice: Option<Msg>, offer: Option<Iin>) -> StepOutcome {
    let state = State::Cabinet {
        offer_remember: offer,
    };
    let reply = match notice {
        Some(msg) => prompt(&state).prepend(msg),
        None => prompt(&state),
    };
    StepOutcome::go(state, ctx, vec![reply])
}

/// The chat is now signed in: personal data and savings, then the cabinet menu.
pub async fn signed_in(
    ctx: &StepContext<'_>,
    login: Login,
    offer_remember: Option<Iin>,
    notice: Option<Msg>,
) -> StepResult {
    let profile = ctx.auth.profile(login.depositor_id).await?;
    let mut card = profile_reply(ctx, &profile);
    if let Some(msg) = notice {
        card = card.prepend(msg);
    }
    let state = State::Cabinet { offer_remember };
    let menu = prompt(&state);
    Ok(StepOutcome::go(state, ctx, vec![card, menu]).with_login(LoginChange::Set(login)))
}

pub fn prompt(state: &State) -> Reply {
    match state {
        State::Sessions { others } => {
            let mut reply = Reply::key("sessions-prompt");
            for (n, id) in others.iter().enumerate() {
                reply = reply.row(vec![Button::with_label(
                    Msg::new("button-end-session").number("n", n as i64 + 2),
                    Action::EndSession(*id),
                )]);
            }
            if others.len() > 1 {
                reply = reply.row(vec![Button::new(
                    "button-end-other-sessions",
                    Action::EndOtherSessions,
                )]);
            }
            reply.row(vec![Button::new("button-back", Action::Back)])
        }
        State::Cabinet { offer_remember } => {
            let mut reply = Reply::key("cabinet-prompt");
            for row in MenuItem::SIGNED_IN {
                reply = reply.row(
                    row.iter()
                        .map(|item| Button::new(item.label_key(), Action::Menu(*item)))
                        .collect(),
                );
            }
            if offer_remember.is_some() {
                reply = reply.row(vec![Button::new(
                    "button-remember-iin",
                    Action::RememberIin,
                )]);
            }
            reply
        }
        _ => Reply::key("cabinet-prompt"),
    }
}

pub async fn step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    let Some(login) = ctx.login else {
        // A cabinet state without a sign-in: the runner ended it; show the signed-out menu.
        return Ok(start::to_menu(ctx, Some(Msg::new("session-expired"))));
    };
    match (state, input) {
        (State::Cabinet { .. }, Input::Action(Action::Menu(item))) => match item {
            MenuItem::Savings => {
                let profile = ctx.auth.profile(login.depositor_id).await?;
                Ok(StepOutcome::stay(
                    state,
                    ctx,
                    vec![profile_reply(ctx, &profile), prompt(state)],
                ))
            }
            MenuItem::Applications => applications::start(ctx).await,
            MenuItem::Statement => statement::start(ctx).await,
            MenuItem::Certificates => Ok(statement::start_certificates(ctx)),
            MenuItem::Calculator => forecast::start(ctx).await,
            MenuItem::Sessions => sessions(ctx).await,
            MenuItem::Logout => logout(ctx).await,
            MenuItem::Booking => booking::open_home(ctx).await,
            MenuItem::NewApplication => filing::open(ctx).await,
            MenuItem::Language => Ok(start::to_language(ctx, false)),
            MenuItem::Help => Ok(start::to_help(ctx)),
            _ => Ok(hint(ctx, state, Msg::new("hint-stale-button"))),
        },
        (
            State::Cabinet {
                offer_remember: Some(iin),
            },
            Input::Action(Action::RememberIin),
        ) => {
            ctx.auth.remember_iin(ctx.chat_id, Some(iin)).await?;
            Ok(to_cabinet(ctx, Some(Msg::new("iin-remembered")), None))
        }
        (State::Sessions { others }, Input::Action(Action::EndSession(id))) => {
            if others.contains(&id) && ctx.auth.end_login(login.depositor_id, id).await? {
                sessions_with(ctx, Some(Msg::new("session-ended-other"))).await
            } else {
                Ok(hint(ctx, state, Msg::new("hint-stale-button")))
            }
        }
        (State::Sessions { others }, Input::Action(Action::EndOtherSessions)) => {
            for id in others {
                ctx.auth.end_login(login.depositor_id, *id).await?;
            }
            sessions_with(ctx, Some(Msg::new("sessions-others-ended"))).await
        }
        (_, other) => Ok(hint(ctx, state, unexpected(&other))),
    }
}

pub async fn logout(ctx: &StepContext<'_>) -> StepResult {
    match ctx.login {
        Some(login) => {
            ctx.auth.logout(login.login_id).await?;
            Ok(start::to_menu(ctx, Some(Msg::new("logged-out"))).with_login(LoginChange::Clear))
        }
        None => Ok(home(ctx, Some(Msg::new("not-signed-in")))),
    }
}

pub async fn sessions(ctx: &StepContext<'_>) -> StepResult {
    sessions_with(ctx, None).await
}

async fn sessions_with(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let mut logins = ctx.auth.active_logins(login.depositor_id).await?;
    // This chat first, then the others by most recent activity.
    logins.sort_by_key(|l| (l.login_id != login.login_id, -l.last_active_ms));
    let lines: Vec<Msg> = logins
        .iter()
        .enumerate()
        .map(|(n, l)| {
            Msg::new("sessions-item")
                .number("n", n as i64 + 1)
                .text("since", local_time(l.created_at_ms))
                .text("active", local_time(l.last_active_ms))
                .text(
                    "this",
                    if l.login_id == login.login_id {
                        "yes"
                    } else {
                        "no"
                    },
                )
        })
        .collect();
    let others: Vec<i64> = logins
        .iter()
        .filter(|l| l.login_id != login.login_id)
        .map(|l| l.login_id)
        .collect();
    let state = State::Sessions { others };
    let mut list = Reply::new(Msg::new("sessions-list").list("items", lines));
    if let Some(msg) = notice {
        list = list.prepend(msg);
    }
    let mut reply = prompt(&state);
    reply.parts = [list.parts, reply.parts].concat();
    Ok(StepOutcome::go(state, ctx, vec![reply]))
}

/// The memo's "personal data and savings" card.
pub fn profile_reply(ctx: &StepContext<'_>, profile: &Profile) -> Reply {
    let dash = || "—".to_string();
    let accounts: Vec<Msg> = profile
        .accounts
        .iter()
        .map(|a| {
            // A private manager by its name from the reference data (the code if unknown).
            let manager = if a.manager == "nbrk" {
                Arg::Msg(Box::new(Msg::new("manager-nbrk")))
            } else {
                let name = ctx.reference.manager(&a.manager).map(|m| m.name(ctx.lang));
                Arg::Text(name.unwrap_or(&a.manager).to_owned())
            };
            let mut msg = Msg::new("profile-account")
                .msg("kind", Msg::new(account_kind_key(a.kind)))
                .money("balance", a.balance)
                .text("date", a.as_of.format("%d.%m.%Y").to_string());
            msg.args.push(("manager".into(), manager));
            msg
        })
        .collect();
    let savings = if accounts.is_empty() {
        Msg::new("profile-no-accounts")
    } else {
        Msg::new("profile-accounts").list("items", accounts)
    };
    Reply::new(
        Msg::new("profile-card")
            .text("name", profile.full_name.clone())
            .text("iin", profile.iin_masked.clone())
            .text("birth", profile.birth_date.format("%d.%m.%Y").to_string())
            .text("phone", profile.phone_masked.clone().unwrap_or_else(dash))
            .text("email", profile.email_masked.clone().unwrap_or_else(dash)),
    )
    .append(savings)
    .protected()
}

/// The short name of an account kind in the user's language (МЗЖ / ОПВ / …).
pub fn account_kind_key(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Opv => "account-opv",
        AccountKind::Oppv => "account-oppv",
        AccountKind::Opvr => "account-opvr",
        AccountKind::Dpv => "account-dpv",
    }
}

/// `dd.mm.yyyy HH:MM` in Kazakhstan time.
pub fn local_time(ms: i64) -> String {
    match KZ_TIME.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%d.%m.%Y %H:%M").to_string(),
        None => "—".to_string(),
    }
}
