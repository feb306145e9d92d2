//! What a button does. Actions are kept server-side (callback data is only a short id).

use serde::{Deserialize, Serialize};

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
}

impl MenuItem {
    /// The signed-out main menu, in rows as shown.
    pub const SIGNED_OUT: &'static [&'static [MenuItem]] = &[
        &[MenuItem::SignIn, MenuItem::Register],
        &[MenuItem::ForgotPassword],
        &[MenuItem::Calculator, MenuItem::Branches],
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
}
