//! Cancelling an earlier manager application that is not yet executed (memo service 7):
//! the depositor's manager applications that are accepted or under review → the one to
//! cancel → summary → confirm. The cancellation is itself a signed application
//! (`ManagerCancellation`, its document names the target); once the fund accepts it,
//! `services::transfers::apply_accepted` cancels the target.

use super::{
    HolderView, Target, TransfersAction, TransfersState, button, file_for_signing, go, hint_in,
    nav_row, now_ms, refuse, with_confirm,
};
use crate::dialogue::cabinet::local_time;
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult, home};
use crate::dialogue::start::unexpected;
use crate::dialogue::{Action, Input, Reply};
use crate::domain::application::ApplicationKind;
use crate::domain::transfer_documents::{self, Signer};
use crate::i18n::Msg;
use crate::services::auth::Login;

/// "Cancel a manager application".
pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let cancellable = ctx.transfers.cancellable(login.depositor_id).await?;
    let targets: Vec<Target> = cancellable
        .open
        .into_iter()
        .map(|a| Target {
            number: a.number,
            kind: a.kind,
            status: a.status,
            created_at_ms: a.created_at_ms,
        })
        .collect();
    if let (true, Some(pending)) = (targets.is_empty(), cancellable.being_cancelled.first()) {
        return Ok(refuse(
            ctx,
            Msg::new("transfers-cancel-already").text("number", pending.number.to_string()),
        ));
    }
    if targets.is_empty() {
        return Ok(refuse(ctx, Msg::new("transfers-cancel-nothing")));
    }
    Ok(go(ctx, TransfersState::CancelPick { targets }, None))
}

fn target_line(target: &Target) -> Msg {
    Msg::new("transfers-cancel-item")
        .text("number", target.number.to_string())
        .msg("kind", Msg::new(target.kind.message_key()))
        .text("date", local_time(target.created_at_ms))
        .msg("status", Msg::new(target.status.message_key()))
}

pub fn prompt(_ctx: &StepContext<'_>, s: &TransfersState) -> Reply {
    match s {
        TransfersState::CancelPick { targets } => {
            let mut reply = Reply::new(
                Msg::new("transfers-cancel-prompt")
                    .list("items", targets.iter().map(target_line).collect()),
            );
            for (i, target) in targets.iter().enumerate() {
                reply = reply.row(vec![button(
                    Msg::new("transfers-cancel-button").text("number", target.number.to_string()),
                    TransfersAction::Target(i as u32),
                )]);
            }
            reply.row(nav_row())
        }
        TransfersState::CancelSummary { target, holder, .. } => with_confirm(Reply::new(
            Msg::new("transfers-cancel-summary")
                .text("name", holder.full_name.clone())
                .text("iin", holder.iin_masked.clone())
                .msg("target", target_line(target)),
        )),
        _ => Reply::key("filing-kinds-prompt"),
    }
}

pub async fn step(
    ctx: &StepContext<'_>,
    login: Login,
    s: &TransfersState,
    input: Input,
) -> StepResult {
    match (s, input) {
        (
            TransfersState::CancelPick { targets },
            Input::Action(Action::Transfers(TransfersAction::Target(i))),
        ) => {
            let Some(target) = targets.get(i as usize) else {
                return Ok(hint_in(ctx, s, Msg::new("hint-stale-button")));
            };
            let holder = ctx.transfers.holder(login.depositor_id).await?;
            Ok(go(
                ctx,
                TransfersState::CancelSummary {
                    target: target.clone(),
                    targets: targets.clone(),
                    holder: HolderView::of(&holder),
                },
                None,
            ))
        }
        (
            TransfersState::CancelSummary { target, .. },
            Input::Action(Action::Transfers(TransfersAction::Confirm)),
        ) => confirm(ctx, login, target).await,
        (_, other) => Ok(hint_in(ctx, s, unexpected(&other))),
    }
}

async fn confirm(ctx: &StepContext<'_>, login: Login, target: &Target) -> StepResult {
    // Still this depositor's, still cancellable, and not named by another cancellation?
    let still = ctx
        .transfers
        .cancellable(login.depositor_id)
        .await?
        .open
        .into_iter()
        .any(|a| a.number == target.number);
    if !still {
        return Ok(refuse(
            ctx,
            Msg::new("transfers-cancel-no-longer").text("number", target.number.to_string()),
        ));
    }
    let holder = ctx.transfers.holder(login.depositor_id).await?;
    let signer = Signer {
        iin: holder.iin.clone(),
        full_name: holder.full_name.clone(),
        created_at: transfer_documents::created_at(now_ms(ctx)).unwrap_or_default(),
    };
    let document = transfer_documents::manager_cancellation(
        &signer,
        &target.number,
        target.kind,
        &transfer_documents::created_at(target.created_at_ms).unwrap_or_default(),
    );
    file_for_signing(ctx, login, ApplicationKind::ManagerCancellation, document).await
}

pub fn back(ctx: &StepContext<'_>, s: &TransfersState) -> StepOutcome {
    match s {
        TransfersState::CancelSummary { targets, .. } => go(
            ctx,
            TransfersState::CancelPick {
                targets: targets.clone(),
            },
            None,
        ),
        _ => crate::dialogue::filing::to_kinds(ctx, None),
    }
}
