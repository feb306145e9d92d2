//! Where a chat is in the conversation. Serialised into the session store, so a change
//! here must keep old values readable or accept that they reset (the runner handles that).
//! States keep what the next step needs (the IIN being signed in, masked contacts shown),
//! never a password or a one-time code.
//!
//! The state enums here and in the flows are adjacently tagged (`{"step": .., "v": ..}`,
//! `{"at": .., "v": ..}`): serde reads those straight from the JSON, where an internally
//! tagged enum is first copied into a buffer to find its tag — a session is read and written
//! at every message. (Sessions of the earlier, internally tagged form reset once.)

use serde::{Deserialize, Serialize};

use super::booking::BookingState;
use crate::domain::Iin;

/// Which one-time-code flow a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeFlow {
    Registration,
    Recovery,
    SignIn,
}

/// Where a one-time code goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    Sms,
    Email,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", content = "v", rename_all = "snake_case")]
pub enum State {
    /// Choosing the language; `first_time` leads to the welcome text afterwards.
    ChooseLanguage { first_time: bool },
    /// The signed-out main menu.
    Menu,
    /// The help page.
    Help,
    /// Sign-in: waiting for the IIN.
    SignInIin,
    /// Sign-in: waiting for the password of this IIN.
    SignInPassword { iin: Iin, remembered: bool },
    /// EDS sign-in: the link to the signing page was given; waiting for "Continue".
    SignInEds { iin: Iin },
    /// Registration or recovery: waiting for the IIN.
    CodeIin { flow: CodeFlow },
    /// Choosing where the code goes (both contacts exist); the masked contacts as shown.
    CodeChannel {
        flow: CodeFlow,
        iin: Iin,
        phone: String,
        email: String,
    },
    /// Waiting for the one-time code sent to `masked`.
    EnterCode {
        flow: CodeFlow,
        iin: Iin,
        channel: ContactChannel,
        masked: String,
    },
    /// The code was right: waiting for the new password.
    NewPassword { flow: CodeFlow, iin: Iin },
    /// Waiting for the repetition; `fingerprint` is a keyed MAC of the first entry, never
    /// the password itself.
    RepeatPassword {
        flow: CodeFlow,
        iin: Iin,
        fingerprint: String,
    },
    /// The signed-in menu; `offer_remember` carries the IIN while "remember my IIN" is offered.
    Cabinet { offer_remember: Option<Iin> },
    /// The list of signed-in chats; the other sessions' ids behind the end buttons.
    Sessions { others: Vec<i64> },
    /// The pension calculator's questions.
    Forecast(super::forecast::ForecastState),
    /// Status tracking of applications.
    Applications(super::applications::ApplicationsState),
    /// Statements, certificates and checking a document number.
    Statement(super::statement::StatementState),
    /// Queue booking at branches (its own steps in `booking.rs`).
    Booking(Box<BookingState>),
    /// The notification switches (`settings.rs`).
    Settings,
    /// Staff commands (`staff.rs`).
    Staff(super::staff::StaffState),
    /// Filing a new application (`filing/`).
    Filing(Box<super::filing::FilingState>),
    /// Manager choice, its cancellation, voluntary contributions (`transfers/`).
    Transfers(Box<super::transfers::TransfersState>),
}

impl State {
    /// Whether the chat is at rest: nothing half-done that idle expiry would interrupt.
    pub fn is_at_rest(&self) -> bool {
        matches!(self, State::Menu | State::Cabinet { .. })
    }

    /// Steps whose own deadline answers a late message better than the conversation's idle
    /// limit: a one-time code says "expired, request it again", as the memo shows.
    pub fn has_own_deadline(&self) -> bool {
        matches!(self, State::EnterCode { .. })
    }

    /// Steps whose text input is a password: that message is deleted from the chat.
    pub fn expects_password(&self) -> bool {
        matches!(
            self,
            State::SignInPassword { .. } | State::NewPassword { .. } | State::RepeatPassword { .. }
        )
    }
}
