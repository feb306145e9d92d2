//! The step function: global commands and hints first, then the current flow's own rules.

use chrono::{DateTime, Utc};

use super::{Action, Command, Input, MAX_TEXT_CHARS, Reply, State, start};
use crate::domain::Lang;
use crate::i18n::Msg;

/// What a step may read besides the state and the input.
#[derive(Debug, Clone)]
pub struct StepContext {
    /// The chat's current language.
    pub lang: Lang,
    /// The language proposed from Telegram's `language_code` (for the first choice).
    pub proposed: Lang,
    pub now: DateTime<Utc>,
}

/// The next state, the (possibly changed) language and the replies to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    pub state: State,
    pub lang: Lang,
    pub replies: Vec<Reply>,
}

impl StepOutcome {
    pub fn stay(state: &State, ctx: &StepContext, replies: Vec<Reply>) -> StepOutcome {
        StepOutcome {
            state: state.clone(),
            lang: ctx.lang,
            replies,
        }
    }

    pub fn go(state: State, ctx: &StepContext, replies: Vec<Reply>) -> StepOutcome {
        StepOutcome {
            state,
            lang: ctx.lang,
            replies,
        }
    }
}

/// Handles one input. Never fails: anything unexpected becomes a hint and leaves the state
/// as it was.
pub async fn step(ctx: &StepContext, state: &State, input: Input) -> StepOutcome {
    match input {
        Input::Command(command) => command_step(ctx, state, command),
        Input::Unsupported(_) => hint(ctx, state, Msg::new("hint-unsupported")),
        Input::Text(text) if text.chars().count() > MAX_TEXT_CHARS => hint(
            ctx,
            state,
            Msg::new("hint-too-long").number("max", MAX_TEXT_CHARS as i64),
        ),
        Input::Action(Action::MainMenu) => start::to_menu(ctx, None),
        Input::Action(Action::Back) => back(ctx, state),
        other => flow_step(ctx, state, other),
    }
}

fn command_step(ctx: &StepContext, state: &State, command: Command) -> StepOutcome {
    match command {
        Command::Start => match state {
            State::ChooseLanguage { first_time: true } => {
                StepOutcome::stay(state, ctx, vec![prompt(ctx, state)])
            }
            _ => start::to_menu(ctx, Some(Msg::new("welcome"))),
        },
        Command::Help => start::to_help(ctx),
        Command::Menu => start::to_menu(ctx, None),
        Command::Cancel if state.is_at_rest() => {
            start::to_menu(ctx, Some(Msg::new("nothing-to-cancel")))
        }
        Command::Cancel => start::to_menu(ctx, Some(Msg::new("cancelled"))),
        Command::Language => start::to_language(ctx, false),
        Command::Unknown(name) => hint(
            ctx,
            state,
            Msg::new("hint-unknown-command").text("command", format!("/{name}")),
        ),
    }
}

fn flow_step(ctx: &StepContext, state: &State, input: Input) -> StepOutcome {
    match state {
        State::ChooseLanguage { first_time } => {
            start::language_step(ctx, state, *first_time, input)
        }
        State::Menu => start::menu_step(ctx, state, input),
        State::Help => start::help_step(ctx, state, input),
    }
}

fn back(ctx: &StepContext, state: &State) -> StepOutcome {
    match state {
        // Nothing before the first choice of language: ask again.
        State::ChooseLanguage { first_time: true } => {
            StepOutcome::stay(state, ctx, vec![prompt(ctx, state)])
        }
        State::ChooseLanguage { .. } | State::Help | State::Menu => start::to_menu(ctx, None),
    }
}

/// The question and buttons of a state, as shown when entering it.
pub fn prompt(ctx: &StepContext, state: &State) -> Reply {
    match state {
        State::ChooseLanguage { first_time } => start::language_prompt(ctx, *first_time),
        State::Menu => start::menu_prompt(),
        State::Help => start::help_prompt(),
    }
}

/// A hint above the current prompt; the state stays as it was.
pub fn hint(ctx: &StepContext, state: &State, msg: Msg) -> StepOutcome {
    StepOutcome::stay(state, ctx, vec![prompt(ctx, state).prepend(msg)])
}

/// What the runner says when the chat was silent longer than the idle limit.
pub fn expired(ctx: &StepContext) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-expired")))
}

/// What the runner says when the stored session could not be read (an upgrade changed it).
pub fn reset(ctx: &StepContext) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-reset")))
}

/// What the runner says for a button that belongs to an earlier message.
pub fn stale_button(ctx: &StepContext, state: &State) -> StepOutcome {
    hint(ctx, state, Msg::new("hint-stale-button"))
}
