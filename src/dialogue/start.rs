//! The first flow: language choice, the main menu and help.

use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::state::CodeFlow;
use super::{Action, Button, Input, MenuItem, Reply, State};
use super::{booking, code, forecast, signin};
use crate::domain::Lang;
use crate::i18n::Msg;

pub fn to_menu(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepOutcome {
    let reply = match notice {
        Some(msg) => menu_prompt().prepend(msg),
        None => menu_prompt(),
    };
    StepOutcome::go(State::Menu, ctx, vec![reply])
}

pub fn to_help(ctx: &StepContext<'_>) -> StepOutcome {
    StepOutcome::go(State::Help, ctx, vec![help_prompt()])
}

pub fn to_language(ctx: &StepContext<'_>, first_time: bool) -> StepOutcome {
    StepOutcome::go(
        State::ChooseLanguage { first_time },
        ctx,
        vec![language_prompt(ctx, first_time)],
    )
}

pub fn menu_prompt() -> Reply {
    let mut reply = Reply::key("menu-prompt");
    for row in MenuItem::SIGNED_OUT {
        reply = reply.row(
            row.iter()
                .map(|item| Button::new(item.label_key(), Action::Menu(*item)))
                .collect(),
        );
    }
    reply
}

pub fn help_prompt() -> Reply {
    Reply::key("help-text").row(vec![Button::new("button-back", Action::Back)])
}

/// The language question; the proposed (or current) language comes first.
pub fn language_prompt(ctx: &StepContext<'_>, first_time: bool) -> Reply {
    let first = if first_time { ctx.proposed } else { ctx.lang };
    let mut order = vec![first];
    order.extend(Lang::ALL.iter().copied().filter(|l| *l != first));
    let mut reply = Reply::key("language-prompt").row(
        order
            .into_iter()
            .map(|lang| Button::new(language_label(lang), Action::Language(lang)))
            .collect(),
    );
    if !first_time {
        reply = reply.row(vec![Button::new("button-back", Action::Back)]);
    }
    reply
}

fn language_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "language-name-kk",
        Lang::Ru => "language-name-ru",
        Lang::En => "language-name-en",
    }
}

/// Language names typed instead of pressing a button are understood too.
fn language_from_text(text: &str) -> Option<Lang> {
    let word = text.trim().to_lowercase();
    match word.as_str() {
        "kk" | "kz" | "қазақша" | "қазақ" | "казахский" | "kazakh" => {
            Some(Lang::Kk)
        }
        "ru" | "русский" | "орысша" | "russian" => Some(Lang::Ru),
        "en" | "english" | "ағылшынша" | "английский" => Some(Lang::En),
        _ => None,
    }
}

pub fn language_step(
    ctx: &StepContext<'_>,
    state: &State,
    first_time: bool,
    input: Input,
) -> StepOutcome {
    let chosen = match &input {
        Input::Action(Action::Language(lang)) => Some(*lang),
        Input::Text(text) => language_from_text(text),
        _ => None,
    };
    let Some(lang) = chosen else {
        return hint(ctx, state, unexpected(&input));
    };
    let ctx = StepContext {
        lang,
        ..ctx.clone()
    };
    let notice = if first_time {
        Msg::new("welcome")
    } else {
        Msg::new("language-changed")
    };
    home(&ctx, Some(notice))
}

pub async fn menu_step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    Ok(match input {
        Input::Action(Action::Menu(item)) => match item {
            MenuItem::Language => to_language(ctx, false),
            MenuItem::Help => to_help(ctx),
            MenuItem::SignIn => signin::start(ctx).await?,
            MenuItem::Register => code::start(ctx, CodeFlow::Registration),
            MenuItem::ForgotPassword => code::start(ctx, CodeFlow::Recovery),
            MenuItem::Calculator => forecast::start(ctx).await?,
            MenuItem::Branches => booking::browse(ctx).await?,
            MenuItem::Savings
            | MenuItem::Applications
            | MenuItem::Statement
            | MenuItem::Certificates
            | MenuItem::Booking
            | MenuItem::NewApplication
            | MenuItem::Sessions
            | MenuItem::Logout => hint(ctx, state, Msg::new("hint-stale-button")),
        },
        other => hint(ctx, state, unexpected(&other)),
    })
}

pub fn help_step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepOutcome {
    hint(ctx, state, unexpected(&input))
}

/// The hint for input that the current step does not take.
pub fn unexpected(input: &Input) -> Msg {
    match input {
        Input::Action(_) => Msg::new("hint-stale-button"),
        Input::Contact { .. } => Msg::new("hint-contact-not-needed"),
        _ => Msg::new("hint-use-buttons"),
    }
}

/// The translated reason a typed date was refused.
pub fn date_problem(e: crate::domain::dates::DateError) -> Msg {
    match e {
        crate::domain::dates::DateError::Format => Msg::new("date-format"),
        crate::domain::dates::DateError::NoSuchDay => Msg::new("date-no-such-day"),
    }
}
