//! Applications that move pension savings (memo services 5, 7 and 10): choosing or changing
//! a portfolio manager or returning everything to the National Bank (`manager.rs`),
//! cancelling a manager application not yet executed (`cancel.rs`), and a voluntary
//! contribution into the depositor's own ДПВ account (`contribution.rs`).
//!
//! Each flow collects, checks, shows a protected summary, and on "Confirm" files the
//! application as a draft with its canonical document (`domain::transfer_documents`), then
//! hands out the signing link. Every step has "Back" and "Cancel"; bad input gets a hint
//! and keeps the step. The rules live in `domain::transfers`, the reads and filing in
//! `services::transfers`.

pub mod cancel;
pub mod contribution;
pub mod manager;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::{Action, Button, Input, Reply, State};
use crate::domain::Money;
use crate::domain::application::{ApplicationKind, ApplicationNumber, ApplicationStatus};
use crate::domain::transfers::{Savings, Share};
use crate::i18n::Msg;
use crate::services::auth::Login;
use crate::store::accounts::AccountKind;

/// Kazakhstan time (UTC+5): "today" of the one-year rule is the day in Kazakhstan.
use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;

/// A manager as offered on a button: its code and its name in the chat's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerOption {
    pub code: String,
    pub name: String,
}

/// Who files, as the summaries show it (the IIN masked, as on the cabinet's card).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderView {
    pub full_name: String,
    pub iin_masked: String,
}

impl HolderView {
    pub(crate) fn of(holder: &crate::services::transfers::Holder) -> HolderView {
        HolderView {
            full_name: holder.full_name.clone(),
            iin_masked: holder.iin.masked(),
        }
    }
}

/// An application that may be cancelled, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub number: ApplicationNumber,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum TransfersState {
    /// Manager choice: which savings (only asked when the depositor has ДПВ).
    ChoiceSavings,
    /// Manager choice: the managers offered for these savings (the current one left out).
    ChoiceManager {
        savings: Savings,
        managers: Vec<ManagerOption>,
        /// The savings step was shown (back returns there).
        asked_savings: bool,
    },
    /// Manager choice: the share, typed in whole percent.
    ChoiceShare {
        savings: Savings,
        manager: ManagerOption,
        managers: Vec<ManagerOption>,
        asked_savings: bool,
    },
    ChoiceSummary {
        savings: Savings,
        manager: ManagerOption,
        share: Share,
        managers: Vec<ManagerOption>,
        asked_savings: bool,
        holder: HolderView,
    },
    /// Return to the National Bank: the accounts with a private manager now, and their
    /// managers' names.
    ReturnSummary {
        accounts: Vec<(AccountKind, String)>,
        holder: HolderView,
    },
    /// Cancelling: the applications that may be cancelled.
    CancelPick { targets: Vec<Target> },
    CancelSummary {
        target: Target,
        targets: Vec<Target>,
        holder: HolderView,
    },
    /// Voluntary contribution: the amount, between these bounds.
    ContributionAmount { min: Money, max: Money },
    ContributionSummary {
        amount: Money,
        min: Money,
        max: Money,
        holder: HolderView,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "t", content = "v")]
pub enum TransfersAction {
    Savings(Savings),
    /// The manager at this index of the list shown.
    Manager(u32),
    /// A share offered on a button.
    Share(u8),
    /// The application at this index of the list shown.
    Target(u32),
    /// File the summarised application and get the signing link.
    Confirm,
    /// Leave without filing anything.
    Abandon,
}

pub(crate) fn button(label: Msg, action: TransfersAction) -> Button {
    Button::with_label(label, Action::Transfers(action))
}

/// "Back" and "Cancel" under every step.
pub(crate) fn nav_row() -> Vec<Button> {
    vec![
        Button::new("button-back", Action::Back),
        Button::new(
            "transfers-button-abandon",
            Action::Transfers(TransfersAction::Abandon),
        ),
    ]
}

/// The day in Kazakhstan.
pub(crate) fn today(ctx: &StepContext<'_>) -> NaiveDate {
    ctx.now.with_timezone(&KZ_TIME).date_naive()
}

pub(crate) fn now_ms(ctx: &StepContext<'_>) -> i64 {
    ctx.now.timestamp_millis()
}

/// `dd.mm.yyyy`.
pub(crate) fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The state's prompt with a notice above it.
pub(crate) fn go(ctx: &StepContext<'_>, s: TransfersState, notice: Option<Msg>) -> StepOutcome {
    let reply = match notice {
        Some(msg) => prompt(ctx, &s).prepend(msg),
        None => prompt(ctx, &s),
    };
    StepOutcome::go(State::Transfers(Box::new(s)), ctx, vec![reply])
}

pub(crate) fn hint_in(ctx: &StepContext<'_>, s: &TransfersState, msg: Msg) -> StepOutcome {
    hint(ctx, &State::Transfers(Box::new(s.clone())), msg)
}

/// The cabinet with a refusal or a notice above its menu.
pub(crate) fn refuse(ctx: &StepContext<'_>, msg: Msg) -> StepOutcome {
    home(ctx, Some(msg))
}

/// The filed application's message, then the cabinet menu.
pub(crate) fn filed(ctx: &StepContext<'_>, replies: Vec<Reply>) -> StepOutcome {
    let mut outcome = home(ctx, None);
    let menu = std::mem::take(&mut outcome.replies);
    outcome.replies = replies.into_iter().chain(menu).collect();
    outcome
}

/// Stores `document` as the depositor's draft of `kind`, then answers with its signing link
/// and the cabinet menu (the kinds whose confirmation says nothing more).
pub(crate) async fn file_for_signing(
    ctx: &StepContext<'_>,
    login: Login,
    kind: ApplicationKind,
    document: String,
) -> StepResult {
    let filed_app = ctx
        .transfers
        .file(login.depositor_id, kind, document, now_ms(ctx))
        .await?;
    let reply = signing_reply(ctx, login, &filed_app.number, filed_app.kind).await;
    Ok(filed(ctx, vec![reply]))
}

/// A summary with the confirmation prompt under it, its button and the navigation row;
/// protected (it shows the depositor's name and masked IIN).
pub(crate) fn with_confirm(summary: Reply) -> Reply {
    summary
        .append(Msg::new("transfers-confirm-prompt"))
        .row(vec![button(
            Msg::new("transfers-button-confirm"),
            TransfersAction::Confirm,
        )])
        .row(nav_row())
        .protected()
}

/// The signing step of a filed draft: its number and the one-time link to the signing page
/// (the draft moves to awaiting signature), as for every other kind of application.
pub(crate) async fn signing_reply(
    ctx: &StepContext<'_>,
    login: Login,
    number: &ApplicationNumber,
    kind: ApplicationKind,
) -> Reply {
    crate::dialogue::filing::sign_reply(ctx, login.depositor_id, number, kind, "filing-sign-link")
        .await
}

pub fn prompt(ctx: &StepContext<'_>, s: &TransfersState) -> Reply {
    match s {
        TransfersState::ChoiceSavings
        | TransfersState::ChoiceManager { .. }
        | TransfersState::ChoiceShare { .. }
        | TransfersState::ChoiceSummary { .. }
        | TransfersState::ReturnSummary { .. } => manager::prompt(ctx, s),
        TransfersState::CancelPick { .. } | TransfersState::CancelSummary { .. } => {
            cancel::prompt(ctx, s)
        }
        TransfersState::ContributionAmount { .. } | TransfersState::ContributionSummary { .. } => {
            contribution::prompt(ctx, s)
        }
    }
}

pub async fn step(ctx: &StepContext<'_>, s: &TransfersState, input: Input) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    if let Input::Action(Action::Transfers(TransfersAction::Abandon)) = input {
        return Ok(refuse(ctx, Msg::new("transfers-abandoned")));
    }
    match s {
        TransfersState::ChoiceSavings
        | TransfersState::ChoiceManager { .. }
        | TransfersState::ChoiceShare { .. }
        | TransfersState::ChoiceSummary { .. }
        | TransfersState::ReturnSummary { .. } => manager::step(ctx, login, s, input).await,
        TransfersState::CancelPick { .. } | TransfersState::CancelSummary { .. } => {
            cancel::step(ctx, login, s, input).await
        }
        TransfersState::ContributionAmount { .. } | TransfersState::ContributionSummary { .. } => {
            contribution::step(ctx, login, s, input).await
        }
    }
}

/// One step back; from a flow's first step, to the cabinet.
pub async fn back_from(ctx: &StepContext<'_>, s: &TransfersState) -> StepResult {
    Ok(match s {
        TransfersState::ChoiceSavings
        | TransfersState::ChoiceManager { .. }
        | TransfersState::ChoiceShare { .. }
        | TransfersState::ChoiceSummary { .. }
        | TransfersState::ReturnSummary { .. } => manager::back(ctx, s),
        TransfersState::CancelPick { .. } | TransfersState::CancelSummary { .. } => {
            cancel::back(ctx, s)
        }
        TransfersState::ContributionAmount { .. } | TransfersState::ContributionSummary { .. } => {
            contribution::back(ctx, s)
        }
    })
}

/// `transfers-savings-mandatory` / `transfers-savings-voluntary`.
pub(crate) fn savings_key(savings: Savings) -> &'static str {
    match savings {
        Savings::Mandatory => "transfers-savings-mandatory",
        Savings::Voluntary => "transfers-savings-voluntary",
    }
}
