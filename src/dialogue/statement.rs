//! Statements and certificates (the memo's services 1 and 3) as PDF documents in the chat,
//! and `/verify NUMBER` for anyone holding one. The depositor picks the accounts and the
//! period; typed dates are checked (a real day, from ≤ to, not in the future, not before the
//! account was opened), each fault with its own reason.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::cabinet::account_kind_key;
use super::engine::{StepContext, StepOutcome, StepResult, hint, home};
use super::start::{date_problem, unexpected};
use super::{Action, Button, Input, Reply, State};
use crate::domain::dates::{format_day, parse_day};
use crate::i18n::Msg;
use crate::services::documents::{DocumentError, Issued};
use crate::store::accounts::AccountKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "at", content = "v", rename_all = "snake_case")]
pub enum StatementState {
    /// Which accounts: all, or one of these (the depositor's, with their opening dates).
    Accounts {
        accounts: Vec<(AccountKind, NaiveDate)>,
    },
    /// Which period, for the chosen account (`None`: all) opened on `opened`.
    Period {
        kind: Option<AccountKind>,
        opened: NaiveDate,
    },
    /// The first day, typed.
    From {
        kind: Option<AccountKind>,
        opened: NaiveDate,
    },
    /// The last day, typed.
    To {
        kind: Option<AccountKind>,
        opened: NaiveDate,
        from: NaiveDate,
    },
    /// Which certificate.
    Certificates,
    /// A document number to check.
    Verify,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "s", content = "v")]
pub enum StatementAction {
    AllAccounts,
    Account(AccountKind),
    ThisYear,
    LastYear,
    LastTwelveMonths,
    WholeHistory,
    TypeDates,
    AccountsCertificate,
    OppvCertificate,
}

fn button(key: &str, action: StatementAction) -> Button {
    Button::new(key, Action::Statement(action))
}

fn back() -> Vec<Button> {
    vec![Button::new("button-back", Action::Back)]
}

fn go(ctx: &StepContext<'_>, s: StatementState, notice: Option<Msg>) -> StepOutcome {
    let reply = prompt(&s);
    let reply = match notice {
        Some(msg) => reply.prepend(msg),
        None => reply,
    };
    StepOutcome::go(State::Statement(s), ctx, vec![reply])
}

pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let profile = ctx.auth.profile(login.depositor_id).await?;
    let accounts: Vec<(AccountKind, NaiveDate)> = profile
        .accounts
        .iter()
        .map(|a| (a.kind, a.opened_on))
        .collect();
    if accounts.is_empty() {
        return Ok(home(ctx, Some(Msg::new("statement-no-accounts"))));
    }
    Ok(go(ctx, StatementState::Accounts { accounts }, None))
}

pub fn start_certificates(ctx: &StepContext<'_>) -> StepOutcome {
    go(ctx, StatementState::Certificates, None)
}

/// `/verify` without a number asks for one; with a number answers at once.
pub async fn verify(ctx: &StepContext<'_>, typed: Option<&str>) -> StepResult {
    match typed {
        Some(number) => {
            let answer = ctx
                .documents
                .verify_reply(number)
                .await
                .map_err(document_failure)?;
            Ok(home(ctx, Some(answer)))
        }
        None => Ok(go(ctx, StatementState::Verify, None)),
    }
}

pub fn prompt(s: &StatementState) -> Reply {
    match s {
        StatementState::Accounts { accounts } => {
            let mut reply = Reply::key("statement-ask-accounts").row(vec![button(
                "statement-all-accounts",
                StatementAction::AllAccounts,
            )]);
            for (kind, _) in accounts {
                reply = reply.row(vec![Button::with_label(
                    Msg::new("statement-one-account")
                        .msg("kind", Msg::new(account_kind_key(*kind))),
                    Action::Statement(StatementAction::Account(*kind)),
                )]);
            }
            reply.row(back())
        }
        StatementState::Period { .. } => Reply::key("statement-ask-period")
            .row(vec![
                button("statement-this-year", StatementAction::ThisYear),
                button("statement-last-year", StatementAction::LastYear),
            ])
            .row(vec![
                button(
                    "statement-last-12-months",
                    StatementAction::LastTwelveMonths,
                ),
                button("statement-whole-history", StatementAction::WholeHistory),
            ])
            .row(vec![button(
                "statement-type-dates",
                StatementAction::TypeDates,
            )])
            .row(back()),
        StatementState::From { .. } => Reply::key("statement-ask-from").row(back()),
        StatementState::To { from, .. } => {
            Reply::new(Msg::new("statement-ask-to").text("from", format_day(*from))).row(back())
        }
        StatementState::Certificates => Reply::key("certificates-ask")
            .row(vec![button(
                "certificate-accounts",
                StatementAction::AccountsCertificate,
            )])
            .row(vec![button(
                "certificate-oppv",
                StatementAction::OppvCertificate,
            )])
            .row(back()),
        StatementState::Verify => Reply::key("verify-ask").row(back()),
    }
}

pub async fn step(ctx: &StepContext<'_>, s: &StatementState, input: Input) -> StepResult {
    let current = State::Statement(s.clone());
    if let (StatementState::Verify, Input::Text(text)) = (s, &input) {
        return verify(ctx, Some(text)).await;
    }
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let today = ctx.now.date_naive();
    match (s, input) {
        (StatementState::Accounts { accounts }, Input::Action(Action::Statement(action))) => {
            let (kind, opened) = match action {
                StatementAction::AllAccounts => (None, accounts.iter().map(|(_, d)| *d).min()),
                StatementAction::Account(kind) => (
                    Some(kind),
                    accounts.iter().find(|(k, _)| *k == kind).map(|(_, d)| *d),
                ),
                _ => return Ok(hint(ctx, &current, Msg::new("hint-stale-button"))),
            };
            let Some(opened) = opened else {
                return Ok(hint(ctx, &current, Msg::new("hint-stale-button")));
            };
            Ok(go(ctx, StatementState::Period { kind, opened }, None))
        }
        (StatementState::Period { kind, opened }, Input::Action(Action::Statement(action))) => {
            let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
            let (from, to) = match action {
                StatementAction::ThisYear => (year_start(today.year()), Some(today)),
                StatementAction::LastYear => (
                    year_start(today.year() - 1),
                    NaiveDate::from_ymd_opt(today.year() - 1, 12, 31),
                ),
                StatementAction::LastTwelveMonths => (
                    today
                        .checked_sub_months(chrono::Months::new(12))
                        .map(|d| d.succ_opt().unwrap_or(d)),
                    Some(today),
                ),
                StatementAction::WholeHistory => (Some(*opened), Some(today)),
                StatementAction::TypeDates => {
                    return Ok(go(
                        ctx,
                        StatementState::From {
                            kind: *kind,
                            opened: *opened,
                        },
                        None,
                    ));
                }
                _ => return Ok(hint(ctx, &current, Msg::new("hint-stale-button"))),
            };
            let (Some(from), Some(to)) = (from, to) else {
                return Ok(hint(ctx, &current, Msg::new("hint-stale-button")));
            };
            // A preset period never starts before the account existed.
            statement(
                ctx,
                login.depositor_id,
                *kind,
                from.max(*opened),
                to,
                &current,
            )
            .await
        }
        (StatementState::From { kind, opened }, Input::Text(text)) => match parse_day(&text) {
            Err(e) => Ok(hint(ctx, &current, date_problem(e))),
            Ok(day) if day > today => Ok(hint(ctx, &current, Msg::new("statement-date-future"))),
            Ok(day) if day < *opened => Ok(hint(
                ctx,
                &current,
                Msg::new("statement-date-before-opening").text("opened", format_day(*opened)),
            )),
            Ok(from) => Ok(go(
                ctx,
                StatementState::To {
                    kind: *kind,
                    opened: *opened,
                    from,
                },
                None,
            )),
        },
        (StatementState::To { kind, from, .. }, Input::Text(text)) => match parse_day(&text) {
            Err(e) => Ok(hint(ctx, &current, date_problem(e))),
            Ok(day) if day > today => Ok(hint(ctx, &current, Msg::new("statement-date-future"))),
            Ok(day) if day < *from => Ok(hint(
                ctx,
                &current,
                Msg::new("statement-date-before-from").text("from", format_day(*from)),
            )),
            Ok(to) => statement(ctx, login.depositor_id, *kind, *from, to, &current).await,
        },
        (StatementState::Certificates, Input::Action(Action::Statement(action))) => {
            let issued = match action {
                StatementAction::AccountsCertificate => ctx
                    .documents
                    .issue_accounts_certificate(login.depositor_id, today, ctx.lang)
                    .await
                    .map(|i| sent_reply(i, |s| s.message())),
                StatementAction::OppvCertificate => ctx
                    .documents
                    .issue_oppv_certificate(login.depositor_id, ctx.lang)
                    .await
                    .map(|i| sent_reply(i, |s| s.message())),
                _ => return Ok(hint(ctx, &current, Msg::new("hint-stale-button"))),
            };
            deliver(ctx, login.depositor_id, issued, &current).await
        }
        (_, other) => Ok(hint(ctx, &current, unexpected(&other))),
    }
}

async fn statement(
    ctx: &StepContext<'_>,
    depositor_id: i64,
    kind: Option<AccountKind>,
    from: NaiveDate,
    to: NaiveDate,
    current: &State,
) -> StepResult {
    let issued = ctx
        .documents
        .issue_statement(depositor_id, kind, from, to, ctx.lang)
        .await
        .map(|i| sent_reply(i, |s| s.message()));
    deliver(ctx, depositor_id, issued, current).await
}

/// The PDF and its summary as one reply, plus the document number for the audit log.
fn sent_reply<S>(issued: Issued<S>, summary: impl Fn(&S) -> Msg) -> (String, Reply) {
    let reply = Reply::new(summary(&issued.summary)).attach(issued.file_name, issued.pdf);
    (issued.number, reply)
}

async fn deliver(
    ctx: &StepContext<'_>,
    depositor_id: i64,
    issued: Result<(String, Reply), DocumentError>,
    current: &State,
) -> StepResult {
    match issued {
        Ok((number, reply)) => {
            ctx.documents
                .audit_delivery(ctx.chat_id, depositor_id, &number)
                .await
                .map_err(document_failure)?;
            let menu = home(ctx, None);
            let mut replies = vec![reply];
            replies.extend(menu.replies.clone());
            Ok(StepOutcome { replies, ..menu })
        }
        Err(DocumentError::NoOppvAccount) => {
            Ok(hint(ctx, current, Msg::new("certificate-no-oppv")))
        }
        Err(DocumentError::NoSuchAccount(_)) => {
            Ok(hint(ctx, current, Msg::new("hint-stale-button")))
        }
        Err(DocumentError::InvalidPeriod) => {
            Ok(hint(ctx, current, Msg::new("statement-date-future")))
        }
        Err(other) => Err(document_failure(other)),
    }
}

fn document_failure(e: DocumentError) -> super::engine::StepError {
    super::engine::StepError::Documents(e)
}

/// Back goes one question up; from the first, to the cabinet.
pub async fn back_from(ctx: &StepContext<'_>, s: &StatementState) -> StepResult {
    Ok(match s {
        StatementState::Period { .. } => return start(ctx).await,
        StatementState::From { kind, opened } | StatementState::To { kind, opened, .. } => go(
            ctx,
            StatementState::Period {
                kind: *kind,
                opened: *opened,
            },
            None,
        ),
        _ => home(ctx, None),
    })
}
