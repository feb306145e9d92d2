//! `/settings`: which notifications this chat gets. Each switchable kind (booking reminders,
//! new contributions, statement and certificate numbers) is turned on or off per chat;
//! status changes of the user's own applications are always sent and shown as such.

use super::engine::{StepContext, StepOutcome, StepResult};
use super::start::unexpected;
use super::{Action, Button, Input, Reply, State};
use crate::i18n::Msg;
use crate::store::notification_settings::NotifyKind;

fn kind_key(kind: NotifyKind) -> &'static str {
    match kind {
        NotifyKind::Reminder => "settings-kind-reminder",
        NotifyKind::Contribution => "settings-kind-contribution",
        NotifyKind::Document => "settings-kind-document",
    }
}

/// Shows the switches, with an optional notice above.
pub async fn show(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepResult {
    let switches = ctx.settings.of_chat(ctx.chat_id).await?;
    let lines: Vec<Msg> = switches
        .iter()
        .map(|(kind, on)| {
            Msg::new(if *on {
                "settings-line-on"
            } else {
                "settings-line-off"
            })
            .msg("kind", Msg::new(kind_key(*kind)))
        })
        .collect();
    let mut reply = Reply::new(Msg::new("settings-list").list("items", lines));
    if let Some(msg) = notice {
        reply = reply.prepend(msg);
    }
    for (kind, on) in &switches {
        let key = if *on {
            "settings-turn-off"
        } else {
            "settings-turn-on"
        };
        reply = reply.row(vec![Button::with_label(
            Msg::new(key).msg("kind", Msg::new(kind_key(*kind))),
            Action::Settings(*kind),
        )]);
    }
    let reply = reply.row(vec![Button::new("button-back", Action::Back)]);
    Ok(StepOutcome::go(State::Settings, ctx, vec![reply]))
}

pub async fn step(ctx: &StepContext<'_>, input: Input) -> StepResult {
    match input {
        Input::Action(Action::Settings(kind)) => {
            let on = ctx.settings.toggle(ctx.chat_id, kind, ctx.now).await?;
            let key = if on {
                "settings-turned-on"
            } else {
                "settings-turned-off"
            };
            show(
                ctx,
                Some(Msg::new(key).msg("kind", Msg::new(kind_key(kind)))),
            )
            .await
        }
        other => show(ctx, Some(unexpected(&other))).await,
    }
}

/// The prompt shown under a hint (the switches themselves need the database).
pub fn prompt() -> Reply {
    Reply::key("settings-prompt").row(vec![Button::new("button-back", Action::Back)])
}
