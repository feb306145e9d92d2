//! "New application" (issue 5): the list of application kinds a signed-in depositor can file,
//! and the flows of the payout and bank-details applications (memo, services 2 and 4):
//! eligibility first, then the data, a summary, confirmation, the draft with its canonical
//! document, and the signing link.
//!
//! - `payouts.rs`: payout on disability (ОПВ/ОППВ) and from voluntary savings: who may file,
//!   the refusals with what to do instead, the source or the ground when there is a choice;
//! - `payee.rs`: where the money goes (bank from the list or from the IBAN, the IBAN, the
//!   holder's name), shared by all three;
//! - `confirm.rs`: the summary, the checks again, the document, the draft and the link.
//!
//! The list of kinds is [`filing_menu!`] below: one line per entry. Other kinds (manager
//! choice, cancellation, voluntary transfer) add their line and their own flow module.

mod confirm;

pub(crate) use confirm::sign_reply;
mod payee;
mod payouts;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::{self, unexpected};
use super::{Action, Button, Input, Reply, State};
use crate::domain::Iban;
use crate::domain::application::{ApplicationKind, ApplicationStatus};
use crate::domain::eligibility::{PayoutSource, VoluntaryBasis};
use crate::i18n::Msg;
use crate::services::filing::Applicant;
use crate::store::applications::ApplicationSummary;

/// Kazakhstan has one time zone, UTC+5: "the day of filing" is that day there.
use crate::domain::dates::KAZAKHSTAN_TIME as KZ_TIME;

/// Declares the entries of the "New application" list, one line each:
/// `Variant => <label key literal>, start_fn;` where `start_fn` is
/// `async fn(&StepContext<'_>) -> StepResult`. It makes the
/// [`FilingItem`] enum (kept in buttons), its order and labels, and the dispatch.
macro_rules! filing_menu {
    ($($item:ident => $label:literal, $start:path;)+) => {
        /// An entry of the "New application" list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum FilingItem {
            $($item,)+
        }

        impl FilingItem {
            /// The list, in the order shown.
            pub const ALL: &'static [FilingItem] = &[$(FilingItem::$item,)+];

            pub fn label_key(self) -> &'static str {
                match self {
                    $(FilingItem::$item => $label,)+
                }
            }
        }

        async fn start_item(ctx: &StepContext<'_>, item: FilingItem) -> StepResult {
            match item {
                $(FilingItem::$item => $start(ctx).await,)+
            }
        }
    };
}

filing_menu! {
    DisabilityPayout => "filing-item-disability-payout", payouts::start_disability;
    VoluntaryPayout => "filing-item-voluntary-payout", payouts::start_voluntary;
    BankDetails => "filing-item-bank-details", payee::start_bank_details;
    ManagerChoice => "transfers-kind-manager-choice", super::transfers::manager::start_choice;
    ReturnToNationalBank => "transfers-kind-return", super::transfers::manager::start_return;
    ManagerCancellation => "transfers-kind-cancel", super::transfers::cancel::start;
    VoluntaryContribution => "transfers-kind-contribution", super::transfers::contribution::start;
}

/// What is being filed, as collected so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: ApplicationKind,
    /// Disability payout: the sources with savings, offered to choose from.
    #[serde(default)]
    pub offered: Vec<PayoutSource>,
    /// Disability payout: the sources chosen.
    #[serde(default)]
    pub sources: Vec<PayoutSource>,
    /// Voluntary payout: the grounds that apply (age, disability).
    #[serde(default)]
    pub grounds: Vec<VoluntaryBasis>,
    /// The lines the summary shows about the applicant's situation (disability, savings).
    #[serde(default)]
    pub facts: Vec<Msg>,
    /// The IBAN code of the bank chosen from the list, before the IBAN is typed.
    pub bank: Option<String>,
    pub iban: Option<Iban>,
    /// The holder's name as typed (checked against the registry).
    pub holder: Option<String>,
}

impl Draft {
    pub fn new(kind: ApplicationKind) -> Draft {
        Draft {
            kind,
            offered: Vec::new(),
            sources: Vec::new(),
            grounds: Vec::new(),
            facts: Vec::new(),
            bank: None,
            iban: None,
            holder: None,
        }
    }

    /// A draft of `kind` for this applicant: the summary starts with who files it.
    pub fn for_applicant(kind: ApplicationKind, applicant: &Applicant) -> Draft {
        let mut draft = Draft::new(kind);
        draft.facts.push(
            Msg::new("filing-fact-applicant")
                .text("name", applicant.full_name())
                .text("iin", applicant.iin.masked()),
        );
        draft
    }

    /// Whether the money of this application is a payout (the bank step's wording).
    pub fn is_payout(&self) -> bool {
        self.kind != ApplicationKind::BankDetailsChange
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum FilingState {
    /// The list of application kinds.
    Kinds,
    /// Disability payout with savings on ОПВ and ОППВ: from which.
    Sources { draft: Draft },
    /// Voluntary payout when both grounds apply: on which.
    Basis { draft: Draft },
    /// Where the money goes: a bank from the list, or the IBAN right away.
    Bank { draft: Draft },
    /// The IBAN at the bank chosen.
    Iban { draft: Draft },
    /// The account holder's name.
    Holder { draft: Draft },
    /// The summary, waiting for confirmation.
    Confirm { draft: Draft },
    /// An application of the kind chosen still waits for its signature: a new link for it.
    Unsigned {
        number: String,
        kind: ApplicationKind,
        created_at_ms: i64,
    },
}

/// Which mandatory savings to pay from, when both have some.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceChoice {
    Both,
    OpvOnly,
    OppvOnly,
}

impl SourceChoice {
    pub fn sources(self) -> Vec<PayoutSource> {
        match self {
            SourceChoice::Both => vec![PayoutSource::Opv, PayoutSource::Oppv],
            SourceChoice::OpvOnly => vec![PayoutSource::Opv],
            SourceChoice::OppvOnly => vec![PayoutSource::Oppv],
        }
    }
}

/// What a button of these flows does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "f", content = "v")]
pub enum FilingAction {
    /// Start filing this kind.
    Open(FilingItem),
    Sources(SourceChoice),
    Basis(VoluntaryBasis),
    /// A bank of the list, by its IBAN code (`601`).
    Bank(u16),
    /// Confirm the summary.
    Confirm,
    /// A new signing link for the application waiting for its signature.
    NewLink,
    /// Drop the application.
    Cancel,
}

fn button(label: &str, action: FilingAction) -> Button {
    Button::new(label, Action::Filing(action))
}

/// Back and cancel, under every step.
fn back_row() -> Vec<Button> {
    vec![
        Button::new("button-back", Action::Back),
        button("filing-button-cancel", FilingAction::Cancel),
    ]
}

/// An application of the same kind is on its way: one waiting for its signature gets a new
/// link; one with the fund is waited for.
fn blocked(ctx: &StepContext<'_>, open: &ApplicationSummary) -> StepOutcome {
    if open.status == ApplicationStatus::AwaitingSignature {
        let state = FilingState::Unsigned {
            number: open.number.to_string(),
            kind: open.kind,
            created_at_ms: open.created_at_ms,
        };
        return go(ctx, state, None);
    }
    to_kinds(ctx, Some(payouts::in_progress_msg(open)))
}

/// "New application" of the cabinet menu: the list of kinds.
pub async fn open(ctx: &StepContext<'_>) -> StepResult {
    Ok(to_kinds(ctx, None))
}

pub(crate) fn to_kinds(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepOutcome {
    go(ctx, FilingState::Kinds, notice)
}

/// Enters a state, showing its prompt under an optional notice.
fn go(ctx: &StepContext<'_>, state: FilingState, notice: Option<Msg>) -> StepOutcome {
    let reply = match notice {
        Some(msg) => prompt(ctx, &state).prepend(msg),
        None => prompt(ctx, &state),
    };
    StepOutcome::go(State::Filing(Box::new(state)), ctx, vec![reply])
}

/// A hint above the current step's prompt; nothing changes.
fn stay(ctx: &StepContext<'_>, state: &FilingState, msg: Msg) -> StepOutcome {
    hint(ctx, &State::Filing(Box::new(state.clone())), msg)
}

fn login_lost(ctx: &StepContext<'_>) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-expired")))
}

/// The day of filing, in Kazakhstan.
fn today(ctx: &StepContext<'_>) -> NaiveDate {
    ctx.now.with_timezone(&KZ_TIME).date_naive()
}

pub fn prompt(ctx: &StepContext<'_>, state: &FilingState) -> Reply {
    match state {
        FilingState::Kinds => {
            let mut reply = Reply::key("filing-kinds-prompt");
            for item in FilingItem::ALL {
                reply = reply.row(vec![button(item.label_key(), FilingAction::Open(*item))]);
            }
            reply.row(vec![Button::new("button-back", Action::Back)])
        }
        FilingState::Sources { .. } => Reply::key("filing-sources-prompt")
            .row(vec![button(
                "filing-sources-both",
                FilingAction::Sources(SourceChoice::Both),
            )])
            .row(vec![button(
                "filing-sources-opv",
                FilingAction::Sources(SourceChoice::OpvOnly),
            )])
            .row(vec![button(
                "filing-sources-oppv",
                FilingAction::Sources(SourceChoice::OppvOnly),
            )])
            .row(back_row()),
        FilingState::Basis { .. } => Reply::key("filing-basis-prompt")
            .row(vec![button(
                "filing-basis-age",
                FilingAction::Basis(VoluntaryBasis::Age),
            )])
            .row(vec![button(
                "filing-basis-disability",
                FilingAction::Basis(VoluntaryBasis::Disability),
            )])
            .row(back_row()),
        FilingState::Bank { draft } => payee::bank_prompt(ctx, draft),
        FilingState::Iban { draft } => payee::iban_prompt(ctx, draft),
        FilingState::Holder { .. } => Reply::key("filing-holder-prompt").row(back_row()),
        FilingState::Confirm { draft } => confirm::summary(ctx, draft),
        FilingState::Unsigned {
            number,
            kind,
            created_at_ms,
        } => Reply::new(
            Msg::new("filing-unsigned-prompt")
                .text("number", number.clone())
                .msg("kind", Msg::new(kind.message_key()))
                .text("date", super::cabinet::local_time(*created_at_ms)),
        )
        .row(vec![button(
            "filing-button-new-link",
            FilingAction::NewLink,
        )])
        .row(vec![Button::new("button-back", Action::Back)]),
    }
}

pub async fn step(ctx: &StepContext<'_>, state: &FilingState, input: Input) -> StepResult {
    if ctx.login.is_none() {
        return Ok(login_lost(ctx));
    }
    if let Input::Action(Action::Filing(FilingAction::Cancel)) = input {
        return Ok(home(ctx, Some(Msg::new("filing-cancelled"))));
    }
    match (state, input) {
        (FilingState::Kinds, Input::Action(Action::Filing(FilingAction::Open(item)))) => {
            start_item(ctx, item).await
        }
        (
            FilingState::Sources { draft },
            Input::Action(Action::Filing(FilingAction::Sources(c))),
        ) => Ok(payouts::choose_sources(ctx, state, draft, c)),
        (FilingState::Basis { draft }, Input::Action(Action::Filing(FilingAction::Basis(b)))) => {
            Ok(payouts::choose_basis(ctx, state, draft, b))
        }
        (FilingState::Bank { draft }, Input::Action(Action::Filing(FilingAction::Bank(code)))) => {
            Ok(payee::choose_bank(ctx, state, draft, code))
        }
        (FilingState::Bank { draft } | FilingState::Iban { draft }, Input::Text(text)) => {
            Ok(payee::take_iban(ctx, state, draft, &text))
        }
        (FilingState::Holder { draft }, Input::Text(text)) => {
            payee::take_holder(ctx, state, draft, &text).await
        }
        (FilingState::Confirm { draft }, Input::Action(Action::Filing(FilingAction::Confirm))) => {
            confirm::submit(ctx, draft).await
        }
        (
            FilingState::Unsigned { number, .. },
            Input::Action(Action::Filing(FilingAction::NewLink)),
        ) => confirm::new_link(ctx, state, number).await,
        (_, other) => Ok(stay(ctx, state, unexpected(&other))),
    }
}

/// One step back; from the list, the cabinet.
pub async fn back_from(ctx: &StepContext<'_>, state: &FilingState) -> StepResult {
    Ok(match state {
        FilingState::Kinds => home(ctx, None),
        FilingState::Sources { .. } | FilingState::Basis { .. } | FilingState::Unsigned { .. } => {
            to_kinds(ctx, None)
        }
        FilingState::Bank { draft } => payouts::before_bank(ctx, draft),
        FilingState::Iban { draft } | FilingState::Holder { draft } => {
            let mut draft = draft.clone();
            draft.bank = None;
            draft.iban = None;
            go(ctx, FilingState::Bank { draft }, None)
        }
        FilingState::Confirm { draft } => {
            let mut draft = draft.clone();
            draft.holder = None;
            go(ctx, FilingState::Holder { draft }, None)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_each_entry_once_with_its_own_label() {
        let labels: std::collections::BTreeSet<&str> =
            FilingItem::ALL.iter().map(|i| i.label_key()).collect();
        assert_eq!(labels.len(), FilingItem::ALL.len());
        // Payouts and bank details (filing.ftl) and the transfer kinds (managers.ftl).
        assert!(
            labels
                .iter()
                .all(|l| l.starts_with("filing-item-") || l.starts_with("transfers-kind-"))
        );
        for item in FilingItem::ALL {
            let action = Action::Filing(FilingAction::Open(*item));
            let json = serde_json::to_string(&action).unwrap_or_default();
            assert_eq!(serde_json::from_str::<Action>(&json).ok(), Some(action));
        }
    }

    #[test]
    fn a_state_survives_the_session_store() {
        let mut draft = Draft::new(ApplicationKind::DisabilityPayout);
        draft.offered = vec![PayoutSource::Opv, PayoutSource::Oppv];
        draft.sources = vec![PayoutSource::Opv];
        draft.iban = Iban::from_parts("722", "S000012345678");
        draft.holder = Some("Шевченко Игорь Васильевич".into());
        let state = State::Filing(Box::new(FilingState::Confirm { draft }));
        let json = serde_json::to_string(&state).unwrap_or_default();
        assert_eq!(serde_json::from_str::<State>(&json).ok(), Some(state));
    }

    #[test]
    fn source_choices_name_their_accounts() {
        assert_eq!(
            SourceChoice::Both.sources(),
            vec![PayoutSource::Opv, PayoutSource::Oppv]
        );
        assert_eq!(SourceChoice::OpvOnly.sources(), vec![PayoutSource::Opv]);
        assert_eq!(SourceChoice::OppvOnly.sources(), vec![PayoutSource::Oppv]);
    }
}
