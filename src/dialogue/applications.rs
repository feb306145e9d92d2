//! Status tracking (the memo's service 9): the depositor's applications, a page at a time,
//! and one application with its whole history. Reads go through the chat's own login.

use serde::{Deserialize, Serialize};

use super::cabinet::local_time;
use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::unexpected;
use super::{Action, Button, Input, Reply, State};
use crate::domain::application::ApplicationNumber;
use crate::i18n::Msg;
use crate::services::applications::Page;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum ApplicationsState {
    /// A page of the list; the numbers behind its buttons.
    List {
        page: u32,
        pages: u32,
        numbers: Vec<String>,
    },
    /// One application, opened from `page` of the list.
    Detail { number: String, page: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "p", content = "v")]
pub enum ApplicationsAction {
    /// Open the application at this index of the page.
    Open(u32),
    Page(u32),
}

pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    list(ctx, 0, None).await
}

async fn list(ctx: &StepContext<'_>, page: u32, notice: Option<Msg>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let page = ctx.applications.page(login.depositor_id, page).await?;
    let (text, s) = render_page(&page);
    let mut reply = match text {
        Some(text) => prompt_state(&s).prepend(text),
        None => prompt_state(&s),
    };
    if let Some(msg) = notice {
        reply = reply.prepend(msg);
    }
    Ok(StepOutcome::go(State::Applications(s), ctx, vec![reply]))
}

/// The list's text (none for an empty list: its prompt says so) and the state behind it.
fn render_page(page: &Page) -> (Option<Msg>, ApplicationsState) {
    let numbers: Vec<String> = page.items.iter().map(|a| a.number.to_string()).collect();
    let text = if page.items.is_empty() {
        None
    } else {
        let lines = page
            .items
            .iter()
            .map(|a| {
                Msg::new("applications-item")
                    .text("number", a.number.to_string())
                    .msg("kind", Msg::new(a.kind.message_key()))
                    .text("date", local_time(a.created_at_ms))
                    .msg("status", Msg::new(a.status.message_key()))
            })
            .collect();
        Some(
            Msg::new("applications-list")
                .number("total", i64::try_from(page.total).unwrap_or(i64::MAX))
                .number("page", i64::from(page.page) + 1)
                .number("pages", i64::from(page.pages))
                .list("items", lines),
        )
    };
    (
        text,
        ApplicationsState::List {
            page: page.page,
            pages: page.pages,
            numbers,
        },
    )
}

pub fn prompt(s: &ApplicationsState) -> Reply {
    prompt_state(s)
}

fn prompt_state(s: &ApplicationsState) -> Reply {
    let back = vec![Button::new("button-back", Action::Back)];
    match s {
        ApplicationsState::List { numbers, .. } if numbers.is_empty() => {
            Reply::key("applications-empty").row(back)
        }
        ApplicationsState::List {
            page,
            pages,
            numbers,
        } => {
            let mut reply = Reply::key("applications-prompt");
            for (i, number) in numbers.iter().enumerate() {
                reply = reply.row(vec![Button::with_label(
                    Msg::new("applications-open").text("number", number.clone()),
                    Action::Applications(ApplicationsAction::Open(i as u32)),
                )]);
            }
            let mut paging = Vec::new();
            if *page > 0 {
                paging.push(Button::new(
                    "button-previous-page",
                    Action::Applications(ApplicationsAction::Page(page - 1)),
                ));
            }
            if page + 1 < *pages {
                paging.push(Button::new(
                    "button-next-page",
                    Action::Applications(ApplicationsAction::Page(page + 1)),
                ));
            }
            if !paging.is_empty() {
                reply = reply.row(paging);
            }
            reply.row(back)
        }
        ApplicationsState::Detail { .. } => Reply::key("application-detail-prompt").row(back),
    }
}

pub async fn step(ctx: &StepContext<'_>, s: &ApplicationsState, input: Input) -> StepResult {
    let current = State::Applications(s.clone());
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    match (s, input) {
        (
            ApplicationsState::List { page, numbers, .. },
            Input::Action(Action::Applications(action)),
        ) => match action {
            ApplicationsAction::Page(p) => list(ctx, p, None).await,
            ApplicationsAction::Open(i) => {
                let Some(number) = numbers.get(i as usize) else {
                    return Ok(hint(ctx, &current, Msg::new("hint-stale-button")));
                };
                detail(ctx, login.depositor_id, number, *page, &current).await
            }
        },
        // A number typed on the list opens it too (only if it is this depositor's).
        (ApplicationsState::List { page, .. }, Input::Text(text)) => {
            detail(ctx, login.depositor_id, text.trim(), *page, &current).await
        }
        (_, other) => Ok(hint(ctx, &current, unexpected(&other))),
    }
}

async fn detail(
    ctx: &StepContext<'_>,
    depositor_id: i64,
    typed: &str,
    page: u32,
    current: &State,
) -> StepResult {
    let Ok(number) = ApplicationNumber::parse(typed) else {
        return Ok(hint(ctx, current, Msg::new("applications-not-a-number")));
    };
    let Some(found) = ctx.applications.detail(depositor_id, &number).await? else {
        return Ok(hint(ctx, current, Msg::new("applications-not-found")));
    };
    let history = found
        .history
        .iter()
        .map(|event| {
            let (key, note) = match event.note {
                Some(note) => ("application-history-item-note", Some(note)),
                None => ("application-history-item", None),
            };
            let line = Msg::new(key)
                .text("date", local_time(event.at_ms))
                .msg("status", Msg::new(event.status.message_key()));
            match note {
                Some(note) => line.msg("note", Msg::new(note.message_key())),
                None => line,
            }
        })
        .collect();
    let text = Msg::new("application-detail")
        .text("number", found.summary.number.to_string())
        .msg("kind", Msg::new(found.summary.kind.message_key()))
        .text("date", local_time(found.summary.created_at_ms))
        .msg("status", Msg::new(found.summary.status.message_key()))
        .list("history", history);
    let s = ApplicationsState::Detail {
        number: number.to_string(),
        page,
    };
    let reply = prompt_state(&s).prepend(text);
    Ok(StepOutcome::go(State::Applications(s), ctx, vec![reply]))
}

/// Back from the detail returns to its page of the list; from the list, to the cabinet.
pub async fn back_from(ctx: &StepContext<'_>, s: &ApplicationsState) -> StepResult {
    match s {
        ApplicationsState::Detail { page, .. } => list(ctx, *page, None).await,
        ApplicationsState::List { .. } => Ok(home(ctx, None)),
    }
}
