//! The paths the virtual users play, as a person would: buttons are found by their label
//! in the user's language (taken from the bot's own texts), inputs are typed.
//!
//! - menu: /start → language → menu → pension calculator: sex (button), birth date, age,
//!   savings, salary, voluntary percent (typed) → the forecast and the menu;
//! - sign-in: /start → "Sign in" → IIN → password (the bot deletes it) → savings → statement
//!   (all accounts, last year: a PDF) → sign out.

use crate::domain::Lang;
use crate::i18n::I18n;

use super::user::{Bot, StepFailed, VirtualUser};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Path {
    Menu,
    SignIn,
}

impl Path {
    pub fn name(self) -> &'static str {
        match self {
            Path::Menu => "menu",
            Path::SignIn => "sign-in",
        }
    }
}

/// The labels and texts a user of one language looks for.
pub struct Labels {
    lang_name: String,
    menu_language: String,
    calculator: String,
    female: String,
    sign_in: String,
    savings: String,
    statement: String,
    all_accounts: String,
    last_year: String,
    logout: String,
    /// The apology sent when the bot's side failed.
    apology: String,
}

impl Labels {
    pub fn new(i18n: &I18n, lang: Lang) -> Labels {
        let get = |key: &str| i18n.get(lang, key);
        Labels {
            lang_name: get(&format!("language-name-{}", lang.code())),
            menu_language: get("menu-language"),
            calculator: get("menu-calculator"),
            female: get("forecast-sex-female"),
            sign_in: get("menu-sign-in"),
            savings: get("menu-savings"),
            statement: get("menu-statement"),
            all_accounts: get("statement-all-accounts"),
            last_year: get("statement-last-year"),
            logout: get("menu-logout"),
            apology: get("error-temporary"),
        }
    }
}

/// A demo depositor with the password the load tool gave it.
#[derive(Debug, Clone)]
pub struct Account {
    pub iin: String,
    pub password: String,
}

/// One pass of `path`. An `Err` abandons the pass (the error is already counted).
pub async fn play(
    user: &mut VirtualUser,
    path: Path,
    labels: &Labels,
    account: &Account,
) -> Result<(), StepFailed> {
    match path {
        Path::Menu => menu(user, labels).await,
        Path::SignIn => sign_in(user, labels, account).await,
    }
}

/// Counts the apology as an error: the bot answered, but only to say it failed.
fn check(user: &mut VirtualUser, labels: &Labels) -> Result<(), StepFailed> {
    if user.last.texts.iter().any(|t| t == &labels.apology) {
        user.tally.error("bot apologised (its side failed)");
        return Err(StepFailed("bot apologised"));
    }
    Ok(())
}

macro_rules! step {
    ($user:expr, $labels:expr, $call:expr) => {{
        $call.await?;
        check($user, $labels)?;
    }};
}

/// /start, then the language: chosen from the prompt of a new chat, or through the menu's
/// language button in a chat that already has one.
async fn start_and_language(user: &mut VirtualUser, labels: &Labels) -> Result<(), StepFailed> {
    step!(user, labels, user.say("/start"));
    let prompted = user.bot == Bot::Echo || user.last.button(&labels.lang_name).is_some();
    if !prompted {
        step!(user, labels, user.press(&labels.menu_language));
    }
    step!(user, labels, user.press(&labels.lang_name));
    Ok(())
}

async fn menu(user: &mut VirtualUser, labels: &Labels) -> Result<(), StepFailed> {
    start_and_language(user, labels).await?;
    step!(user, labels, user.press(&labels.calculator));
    step!(user, labels, user.press(&labels.female));
    for typed in ["14.03.1990", "63", "2 500 000", "450 000", "5"] {
        step!(user, labels, user.say(typed));
    }
    if user.bot == Bot::Zeinet && user.last.button(&labels.calculator).is_none() {
        user.tally.error("forecast did not end at the menu");
        return Err(StepFailed("forecast did not end at the menu"));
    }
    Ok(())
}

async fn sign_in(
    user: &mut VirtualUser,
    labels: &Labels,
    account: &Account,
) -> Result<(), StepFailed> {
    step!(user, labels, user.say("/start"));
    if user.last.button(&labels.lang_name).is_some() {
        step!(user, labels, user.press(&labels.lang_name));
    }
    step!(user, labels, user.press(&labels.sign_in));
    step!(user, labels, user.say(&account.iin));
    step!(user, labels, user.say(&account.password));
    if user.last.deleted == 0 || user.last.button(&labels.savings).is_none() {
        user.tally.error("password not accepted");
        return Err(StepFailed("password not accepted"));
    }
    step!(user, labels, user.press(&labels.savings));
    step!(user, labels, user.press(&labels.statement));
    step!(user, labels, user.press(&labels.all_accounts));
    step!(user, labels, user.press(&labels.last_year));
    if user.last.documents == 0 {
        user.tally.error("no statement PDF");
        return Err(StepFailed("no statement PDF"));
    }
    step!(user, labels, user.press(&labels.logout));
    Ok(())
}
