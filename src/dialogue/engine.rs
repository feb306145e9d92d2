//! The step function: global commands and hints first, then the current flow's own rules.

use chrono::{DateTime, Utc};

use super::{
    Action, Command, Input, MAX_TEXT_CHARS, Reply, State, applications, booking, cabinet, code,
    eds, filing, forecast, maintenance, settings, signin, staff, start, statement, transfers,
};
use crate::domain::Lang;
use crate::i18n::Msg;
use crate::reference::Reference;
use crate::services::applications::ApplicationsService;
use crate::services::auth::{AuthError, AuthService, Login};
use crate::services::booking::BookingService;
use crate::services::documents::{DocumentError, DocumentService};
use crate::services::maintenance::{MaintenanceService, Window};
use crate::services::settings::SettingsService;
use crate::services::signing::SigningService;
use crate::services::staff::StaffService;
use crate::services::transfers::TransfersService;
use crate::store::StoreError;

/// What a step may read besides the state and the input.
#[derive(Clone)]
pub struct StepContext<'a> {
    /// The chat's current language.
    pub lang: Lang,
    /// The language proposed from Telegram's `language_code` (for the first choice).
    pub proposed: Lang,
    pub now: DateTime<Utc>,
    pub chat_id: i64,
    /// The Telegram user who wrote (staff roles are granted to users, not chats).
    pub user_id: i64,
    /// The depositor this chat is signed in as, if any (checked by the runner).
    pub login: Option<Login>,
    pub auth: &'a AuthService,
    pub applications: &'a ApplicationsService,
    pub documents: &'a DocumentService,
    pub reference: &'a Reference,
    pub booking: &'a BookingService,
    pub staff: &'a StaffService,
    pub settings: &'a SettingsService,
    /// Setting and ending maintenance windows (`/maintenance`).
    pub maintenance: &'a MaintenanceService,
    /// The maintenance window in force now, if any (read by the runner at every message).
    pub maintenance_window: Option<Window>,
    /// EDS signing links (applications, sign-in).
    pub signing: &'a SigningService,
    /// Manager choice, its cancellation and voluntary contributions (`transfers/`).
    pub transfers: &'a TransfersService,
}

/// What happens to the chat's sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginChange {
    Keep,
    Set(Login),
    Clear,
}

/// The next state, the (possibly changed) language, the replies, and side orders for the
/// transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOutcome {
    pub state: State,
    pub lang: Lang,
    pub replies: Vec<Reply>,
    pub login: LoginChange,
    /// Delete the user's message from the chat (it carried a password).
    pub delete_incoming: bool,
}

impl StepOutcome {
    pub fn stay(state: &State, ctx: &StepContext<'_>, replies: Vec<Reply>) -> StepOutcome {
        StepOutcome::go(state.clone(), ctx, replies)
    }

    pub fn go(state: State, ctx: &StepContext<'_>, replies: Vec<Reply>) -> StepOutcome {
        StepOutcome {
            state,
            lang: ctx.lang,
            replies,
            login: LoginChange::Keep,
            delete_incoming: false,
        }
    }

    pub fn with_login(mut self, login: LoginChange) -> StepOutcome {
        self.login = login;
        self
    }

    /// Puts a notice above the first reply (e.g. "your password message was deleted").
    pub fn prepend_notice(mut self, msg: Msg) -> StepOutcome {
        match self.replies.first_mut() {
            Some(first) => first.parts.insert(0, msg),
            None => self.replies.push(Reply::new(msg)),
        }
        self
    }

    /// Takes away a field keyboard shown earlier (the "share my phone" button). Telegram
    /// carries that order on a message without buttons, so the first paragraph becomes a
    /// message of its own when the first reply has buttons.
    pub fn with_field_keyboard_removed(mut self) -> StepOutcome {
        let remove = Some(super::FieldKeyboard::Remove);
        match self.replies.first_mut() {
            Some(first) if first.buttons.is_empty() => first.field_keyboard = remove,
            Some(first) if first.parts.len() > 1 => {
                let notice = first.parts.remove(0);
                let mut alone = Reply::new(notice);
                alone.field_keyboard = remove;
                self.replies.insert(0, alone);
            }
            _ => {
                let mut alone = Reply::key("keyboard-removed");
                alone.field_keyboard = remove;
                self.replies.insert(0, alone);
            }
        }
        self
    }

    pub fn deleting_incoming(mut self) -> StepOutcome {
        self.delete_incoming = true;
        self
    }
}

/// A service the step needed is down; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Documents(DocumentError),
}

pub type StepResult = Result<StepOutcome, StepError>;

/// Handles one input. Anything unexpected becomes a hint and leaves the state as it was;
/// an error means a service we depend on is down and nothing was changed.
pub async fn step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    if let Some(window) = ctx.maintenance_window
        && let Some(outcome) = maintenance::gate(ctx, state, &input, window)
    {
        return Ok(outcome);
    }
    let outcome = match input {
        Input::Command(command) => command_step(ctx, state, command).await?,
        Input::Unsupported(_) => hint(ctx, state, Msg::new("hint-unsupported")),
        Input::Text(text) if text.chars().count() > MAX_TEXT_CHARS => {
            let outcome = hint(
                ctx,
                state,
                Msg::new("hint-too-long").number("max", MAX_TEXT_CHARS as i64),
            );
            if state.expects_password() {
                outcome.deleting_incoming()
            } else {
                outcome
            }
        }
        Input::Action(Action::MainMenu) => home(ctx, None),
        Input::Action(Action::Back) => back(ctx, state).await?,
        Input::Action(Action::ContinueEdsSignIn) => eds::continue_sign_in(ctx, state).await?,
        other => flow_step(ctx, state, other).await?,
    };
    Ok(outcome)
}

async fn command_step(ctx: &StepContext<'_>, state: &State, command: Command) -> StepResult {
    Ok(match command {
        Command::Start => match state {
            State::ChooseLanguage { first_time: true } => {
                StepOutcome::stay(state, ctx, vec![prompt(ctx, state)])
            }
            _ => home(ctx, Some(Msg::new("welcome"))),
        },
        Command::Help => start::to_help(ctx),
        Command::Menu => home(ctx, None),
        Command::Cancel if state.is_at_rest() => home(ctx, Some(Msg::new("nothing-to-cancel"))),
        Command::Cancel => home(ctx, Some(Msg::new("cancelled"))),
        Command::Language => start::to_language(ctx, false),
        Command::Logout => cabinet::logout(ctx).await?,
        Command::Sessions => cabinet::sessions(ctx).await?,
        Command::Verify(number) => statement::verify(ctx, number.as_deref()).await?,
        Command::Settings => settings::show(ctx, None).await?,
        Command::Broadcast | Command::Broadcasts | Command::Stats => {
            staff::command(ctx, state, command).await?
        }
        Command::Maintenance(args) => maintenance::command(ctx, state, args.as_deref()).await?,
        Command::Unknown(name) => hint(
            ctx,
            state,
            Msg::new("hint-unknown-command").text("command", format!("/{name}")),
        ),
    })
}

async fn flow_step(ctx: &StepContext<'_>, state: &State, input: Input) -> StepResult {
    match state {
        State::ChooseLanguage { first_time } => {
            Ok(start::language_step(ctx, state, *first_time, input))
        }
        State::Menu => start::menu_step(ctx, state, input).await,
        State::Help => Ok(start::help_step(ctx, state, input)),
        State::SignInIin | State::SignInPassword { .. } => signin::step(ctx, state, input).await,
        State::SignInEds { .. } => eds::step(ctx, state, input).await,
        State::CodeIin { .. }
        | State::CodeChannel { .. }
        | State::EnterCode { .. }
        | State::NewPassword { .. }
        | State::RepeatPassword { .. } => code::step(ctx, state, input).await,
        State::Cabinet { .. } | State::Sessions { .. } => cabinet::step(ctx, state, input).await,
        State::Forecast(s) => forecast::step(ctx, s, input).await,
        State::Applications(s) => applications::step(ctx, s, input).await,
        State::Statement(s) => statement::step(ctx, s, input).await,
        State::Booking(booking) => booking::step(ctx, booking, input).await,
        State::Settings => settings::step(ctx, input).await,
        State::Staff(s) => staff::step(ctx, s, input).await,
        State::Filing(s) => filing::step(ctx, s, input).await,
        State::Transfers(s) => transfers::step(ctx, s, input).await,
    }
}

async fn back(ctx: &StepContext<'_>, state: &State) -> StepResult {
    Ok(match state {
        // Nothing before the first choice of language: ask again.
        State::ChooseLanguage { first_time: true } => {
            StepOutcome::stay(state, ctx, vec![prompt(ctx, state)])
        }
        State::RepeatPassword { flow, iin, .. } => {
            code::to_new_password(ctx, *flow, iin.clone(), None)
        }
        State::Forecast(s) => forecast::back_from(ctx, s),
        State::Applications(s) => applications::back_from(ctx, s).await?,
        State::Statement(s) => statement::back_from(ctx, s).await?,
        State::Booking(booking) => booking::back(ctx, booking).await?,
        State::Filing(s) => filing::back_from(ctx, s).await?,
        State::Transfers(s) => transfers::back_from(ctx, s).await?,
        _ => home(ctx, None),
    })
}

/// The main menu that fits the chat: the cabinet when signed in, else the signed-out menu.
pub fn home(ctx: &StepContext<'_>, notice: Option<Msg>) -> StepOutcome {
    match ctx.login {
        Some(_) => cabinet::to_cabinet(ctx, notice, None),
        None => start::to_menu(ctx, notice),
    }
}

/// The question and buttons of a state, as shown when entering it.
pub fn prompt(ctx: &StepContext<'_>, state: &State) -> Reply {
    match state {
        State::ChooseLanguage { first_time } => start::language_prompt(ctx, *first_time),
        State::Menu => start::menu_prompt(),
        State::Help => start::help_prompt(),
        State::SignInIin | State::SignInPassword { .. } => signin::prompt(state),
        State::SignInEds { .. } => eds::prompt(),
        State::CodeIin { .. }
        | State::CodeChannel { .. }
        | State::EnterCode { .. }
        | State::NewPassword { .. }
        | State::RepeatPassword { .. } => code::prompt(state),
        State::Cabinet { .. } | State::Sessions { .. } => cabinet::prompt(state),
        State::Forecast(s) => forecast::prompt(ctx, s),
        State::Applications(s) => applications::prompt(s),
        State::Statement(s) => statement::prompt(s),
        State::Booking(booking) => booking::prompt(ctx, booking),
        State::Settings => settings::prompt(),
        State::Staff(s) => staff::prompt(s),
        State::Filing(s) => filing::prompt(ctx, s),
        State::Transfers(s) => transfers::prompt(ctx, s),
    }
}

/// A hint above the current prompt; the state stays as it was.
pub fn hint(ctx: &StepContext<'_>, state: &State, msg: Msg) -> StepOutcome {
    StepOutcome::stay(state, ctx, vec![prompt(ctx, state).prepend(msg)])
}

/// What the runner says when the chat was silent longer than the idle limit, or its
/// sign-in expired or was ended elsewhere: the signed-out menu.
pub fn expired(ctx: &StepContext<'_>) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-expired"))).with_login(LoginChange::Clear)
}

/// What the runner says when the stored session could not be read (an upgrade changed it).
pub fn reset(ctx: &StepContext<'_>) -> StepOutcome {
    start::to_menu(ctx, Some(Msg::new("session-reset"))).with_login(LoginChange::Clear)
}

/// What the runner says for a button that belongs to an earlier message.
pub fn stale_button(ctx: &StepContext<'_>, state: &State) -> StepOutcome {
    hint(ctx, state, Msg::new("hint-stale-button"))
}
