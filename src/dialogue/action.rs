//! What a button does. Actions are kept server-side (callback data is only a short id).

use serde::{Deserialize, Serialize};

use super::booking::BookingAction;
use super::state::ContactChannel;
use crate::domain::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuItem {
    SignIn,
    Register,
    ForgotPassword,
    Calculator,
    Branches,
    Language,
    Help,
    Savings,
    Applications,
    Statement,
    Certificates,
    Sessions,
    Logout,
    Booking,
    /// "New application": the list of application kinds (`filing/`).
    NewApplication,
}

impl MenuItem {
    /// The signed-out main menu, in rows as shown.
    pub const SIGNED_OUT: &'static [&'static [MenuItem]] = &[
        &[MenuItem::SignIn, MenuItem::Register],
        &[MenuItem::ForgotPassword],
        &[MenuItem::Calculator, MenuItem::Branches],
        &[MenuItem::Language, MenuItem::Help],
    ];

    /// The signed-in menu. Services of later issues join it when they exist.
    pub const SIGNED_IN: &'static [&'static [MenuItem]] = &[
        &[MenuItem::Savings, MenuItem::Applications],
        &[MenuItem::NewApplication],
        &[MenuItem::Statement, MenuItem::Certificates],
        &[MenuItem::Booking, MenuItem::Calculator],
        &[MenuItem::Sessions, MenuItem::Logout],
        &[MenuItem::Language, MenuItem::Help],
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            MenuItem::SignIn => "menu-sign-in",
            MenuItem::Register => "menu-register",
            MenuItem::ForgotPassword => "menu-forgot-password",
            MenuItem::Calculator => "menu-calculator",
            MenuItem::Branches => "menu-branches",
            MenuItem::Language => "menu-language",
            MenuItem::Help => "menu-help",
            MenuItem::Savings => "menu-savings",
            MenuItem::Applications => "menu-applications",
            MenuItem::Statement => "menu-statement",
            MenuItem::Certificates => "menu-certificates",
            MenuItem::Sessions => "menu-sessions",
            MenuItem::Logout => "menu-logout",
            MenuItem::Booking => "menu-booking",
            MenuItem::NewApplication => "menu-new-application",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "a", content = "v")]
pub enum Action {
    /// Choose the conversation language.
    Language(Lang),
    /// A main-menu item.
    Menu(MenuItem),
    /// One step back.
    Back,
    /// Straight to the main menu.
    MainMenu,
    /// Sign in with a one-time code instead of the password.
    SignInByCode,
    /// Sign in with EDS on the signing page (after the IIN).
    SignInWithEds,
    /// Signed on the page: open this chat's login (checked on the server, this chat only).
    ContinueEdsSignIn,
    /// Type another IIN than the remembered one.
    OtherIin,
    /// Forget the IIN remembered in this chat.
    ForgetIin,
    /// Remember the signed-in IIN in this chat.
    RememberIin,
    /// Send the one-time code there.
    Channel(ContactChannel),
    /// Send a new one-time code.
    ResendCode,
    /// End another signed-in chat of the same depositor.
    EndSession(i64),
    /// End every other signed-in chat.
    EndOtherSessions,
    /// A step of the pension calculator.
    Forecast(super::forecast::ForecastAction),
    /// Paging and opening in the list of applications.
    Applications(super::applications::ApplicationsAction),
    /// Choices of the statement and certificate flows.
    Statement(super::statement::StatementAction),
    /// A step of queue booking.
    Booking(BookingAction),
    /// Turn this notification kind on or off (`/settings`).
    Settings(crate::store::notification_settings::NotifyKind),
    /// A step of a staff command.
    Staff(super::staff::StaffAction),
    /// A step of filing a new application.
    Filing(super::filing::FilingAction),
    /// A step of a manager, cancellation or contribution application (`transfers/`).
    Transfers(super::transfers::TransfersAction),
}
