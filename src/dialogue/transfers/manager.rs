//! Choosing or changing the investment portfolio manager for a share of the savings, or
//! returning everything to the National Bank (memo service 5).
//!
//! Both start with the registry's checks: at most one new application a year from the last
//! transfer between managers, and none while another manager application is on its way.
//! Choice: savings (asked only with a ДПВ account) → manager (from the reference list, the
//! current one left out) → share in whole percent (1-50 of ОПВ+ОППВ, 1-100 of ДПВ) →
//! summary → confirm. Return: the accounts with a private manager → summary → confirm.

use super::{
    HolderView, ManagerOption, TransfersAction, TransfersState, button, day, file_for_signing, go,
    hint_in, nav_row, now_ms, refuse, savings_key, today, with_confirm,
};
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult, home};
use crate::dialogue::start::unexpected;
use crate::dialogue::{Action, Input, Reply, StepError};
use crate::domain::application::ApplicationKind;
use crate::domain::transfer_documents::{self, Signer};
use crate::domain::transfers::{Savings, Share, ShareError, may_apply};
use crate::i18n::Msg;
use crate::services::auth::Login;
use crate::services::transfers::{Holder, ManagerPosition};
use crate::store::accounts::{AccountKind, DEFAULT_MANAGER};

/// The account kinds whose savings a choice for `savings` moves.
fn kinds_of(savings: Savings) -> &'static [AccountKind] {
    match savings {
        Savings::Mandatory => &[AccountKind::Opv, AccountKind::Oppv],
        Savings::Voluntary => &[AccountKind::Dpv],
    }
}

/// The accounts a choice for `savings` moves that the depositor has.
fn accounts_for(holder: &Holder, savings: Savings) -> Vec<AccountKind> {
    holder
        .accounts
        .iter()
        .map(|a| a.kind)
        .filter(|k| kinds_of(savings).contains(k))
        .collect()
}

fn has_voluntary(holder: &Holder) -> bool {
    holder.accounts.iter().any(|a| a.kind == AccountKind::Dpv)
}

/// Why no new manager application may be filed now, if so.
fn refusal(ctx: &StepContext<'_>, position: &ManagerPosition) -> Option<Msg> {
    let last = position.last_transfer.as_ref().map(|t| t.transferred_on);
    if let (Err(allowed), Some(last)) = (may_apply(last, today(ctx)), last) {
        return Some(
            Msg::new("transfers-refused-within-year")
                .text("last", day(last))
                .text("allowed", day(allowed)),
        );
    }
    position.pending.first().map(|pending| {
        Msg::new("transfers-refused-pending")
            .text("number", pending.number.to_string())
            .msg("status", Msg::new(pending.status.message_key()))
    })
}

/// Loads the position and checks it; `Err` is the refusal to show.
async fn checked_position(
    ctx: &StepContext<'_>,
    login: Login,
) -> Result<Result<ManagerPosition, StepOutcome>, StepError> {
    let position = ctx.transfers.position(login.depositor_id).await?;
    Ok(match refusal(ctx, &position) {
        Some(msg) => Err(refuse(ctx, msg)),
        None => Ok(position),
    })
}

/// "Choose or change the portfolio manager".
pub async fn start_choice(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let position = match checked_position(ctx, login).await? {
        Ok(position) => position,
        Err(refused) => return Ok(refused),
    };
    if has_voluntary(&position.holder) {
        return Ok(go(ctx, TransfersState::ChoiceSavings, None));
    }
    Ok(to_managers(
        ctx,
        &position.holder,
        Savings::Mandatory,
        false,
    ))
}

/// The managers offered for `savings`, leaving out the one that manages them now.
fn to_managers(
    ctx: &StepContext<'_>,
    holder: &Holder,
    savings: Savings,
    asked_savings: bool,
) -> StepOutcome {
    let accounts: Vec<_> = holder
        .accounts
        .iter()
        .filter(|a| kinds_of(savings).contains(&a.kind))
        .collect();
    if accounts.is_empty() {
        return refuse(ctx, Msg::new("transfers-refused-no-savings"));
    }
    let current: Vec<&str> = accounts.iter().map(|a| a.manager.as_str()).collect();
    let managers: Vec<ManagerOption> = ctx
        .reference
        .portfolio_managers_on(today(ctx))
        .into_iter()
        .filter(|m| !current.contains(&m.code.as_str()))
        .map(|m| ManagerOption {
            code: m.code.clone(),
            name: m.name(ctx.lang).to_owned(),
        })
        .collect();
    if managers.is_empty() {
        return refuse(ctx, Msg::new("transfers-refused-no-managers"));
    }
    go(
        ctx,
        TransfersState::ChoiceManager {
            savings,
            managers,
            asked_savings,
        },
        None,
    )
}

/// "Return my savings to the National Bank".
pub async fn start_return(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let position = match checked_position(ctx, login).await? {
        Ok(position) => position,
        Err(refused) => return Ok(refused),
    };
    let accounts = private_accounts(ctx, &position.holder);
    if accounts.is_empty() {
        return Ok(refuse(ctx, Msg::new("transfers-return-nothing")));
    }
    Ok(go(
        ctx,
        TransfersState::ReturnSummary {
            accounts,
            holder: HolderView::of(&position.holder),
        },
        None,
    ))
}

/// The accounts (ОПВ, ОППВ, ДПВ) with a private manager now, and the managers' names.
fn private_accounts(ctx: &StepContext<'_>, holder: &Holder) -> Vec<(AccountKind, String)> {
    holder
        .accounts
        .iter()
        .filter(|a| a.kind != AccountKind::Opvr && a.manager != DEFAULT_MANAGER)
        .map(|a| {
            let name = ctx
                .reference
                .manager(&a.manager)
                .map(|m| m.name(ctx.lang).to_owned())
                .unwrap_or_else(|| a.manager.clone());
            (a.kind, name)
        })
        .collect()
}

fn share_buttons(savings: Savings) -> Vec<u8> {
    match savings {
        Savings::Mandatory => vec![10, 25, 50],
        Savings::Voluntary => vec![25, 50, 100],
    }
}

pub fn prompt(_ctx: &StepContext<'_>, s: &TransfersState) -> Reply {
    match s {
        TransfersState::ChoiceSavings => Reply::key("transfers-choice-savings-prompt")
            .row(vec![
                button(
                    Msg::new("transfers-savings-mandatory"),
                    TransfersAction::Savings(Savings::Mandatory),
                ),
                button(
                    Msg::new("transfers-savings-voluntary"),
                    TransfersAction::Savings(Savings::Voluntary),
                ),
            ])
            .row(nav_row()),
        TransfersState::ChoiceManager {
            savings, managers, ..
        } => {
            let mut reply = Reply::new(
                Msg::new("transfers-choice-manager-prompt")
                    .msg("savings", Msg::new(savings_key(*savings))),
            );
            for (i, m) in managers.iter().enumerate() {
                reply = reply.row(vec![button(
                    Msg::new("transfers-manager-button").text("name", m.name.clone()),
                    TransfersAction::Manager(i as u32),
                )]);
            }
            reply.row(nav_row())
        }
        TransfersState::ChoiceShare {
            savings, manager, ..
        } => Reply::new(
            Msg::new("transfers-choice-share-prompt")
                .msg("savings", Msg::new(savings_key(*savings)))
                .text("manager", manager.name.clone())
                .number("max", i64::from(savings.max_share())),
        )
        .row(
            share_buttons(*savings)
                .into_iter()
                .map(|p| {
                    button(
                        Msg::new("transfers-share-button").number("percent", i64::from(p)),
                        TransfersAction::Share(p),
                    )
                })
                .collect(),
        )
        .row(nav_row()),
        TransfersState::ChoiceSummary {
            savings,
            manager,
            share,
            holder,
            ..
        } => {
            let rest = match savings {
                Savings::Mandatory => Msg::new("transfers-choice-rest-mandatory")
                    .number("rest", 100 - i64::from(share.percent())),
                Savings::Voluntary => Msg::new("transfers-choice-rest-voluntary")
                    .number("rest", 100 - i64::from(share.percent())),
            };
            with_confirm(
                Reply::new(
                    Msg::new("transfers-choice-summary")
                        .text("name", holder.full_name.clone())
                        .text("iin", holder.iin_masked.clone())
                        .msg("savings", Msg::new(savings_key(*savings)))
                        .text("manager", manager.name.clone())
                        .number("share", i64::from(share.percent())),
                )
                .append(rest)
                .append(Msg::new("transfers-manager-terms")),
            )
        }
        TransfersState::ReturnSummary { accounts, holder } => {
            let lines = accounts
                .iter()
                .map(|(kind, name)| {
                    Msg::new("transfers-return-item")
                        .msg(
                            "account",
                            Msg::new(crate::dialogue::cabinet::account_kind_key(*kind)),
                        )
                        .text("manager", name.clone())
                })
                .collect();
            with_confirm(
                Reply::new(
                    Msg::new("transfers-return-summary")
                        .text("name", holder.full_name.clone())
                        .text("iin", holder.iin_masked.clone())
                        .list("items", lines),
                )
                .append(Msg::new("transfers-manager-terms")),
            )
        }
        _ => Reply::key("filing-kinds-prompt"),
    }
}

pub async fn step(
    ctx: &StepContext<'_>,
    login: Login,
    s: &TransfersState,
    input: Input,
) -> StepResult {
    match (s, input) {
        (TransfersState::ChoiceSavings, Input::Action(Action::Transfers(a))) => match a {
            TransfersAction::Savings(savings) => {
                let holder = ctx.transfers.holder(login.depositor_id).await?;
                if savings == Savings::Voluntary && !has_voluntary(&holder) {
                    return Ok(hint_in(ctx, s, Msg::new("hint-stale-button")));
                }
                Ok(to_managers(ctx, &holder, savings, true))
            }
            _ => Ok(hint_in(ctx, s, Msg::new("hint-stale-button"))),
        },
        (
            TransfersState::ChoiceManager {
                savings,
                managers,
                asked_savings,
            },
            Input::Action(Action::Transfers(TransfersAction::Manager(i))),
        ) => {
            let Some(manager) = managers.get(i as usize) else {
                return Ok(hint_in(ctx, s, Msg::new("hint-stale-button")));
            };
            Ok(go(
                ctx,
                TransfersState::ChoiceShare {
                    savings: *savings,
                    manager: manager.clone(),
                    managers: managers.clone(),
                    asked_savings: *asked_savings,
                },
                None,
            ))
        }
        (TransfersState::ChoiceShare { savings, .. }, Input::Text(text)) => {
            match Share::parse(&text, *savings) {
                Ok(share) => to_summary(ctx, login, s, share).await,
                Err(e) => Ok(hint_in(ctx, s, share_problem(e, *savings))),
            }
        }
        (
            TransfersState::ChoiceShare { savings, .. },
            Input::Action(Action::Transfers(TransfersAction::Share(p))),
        ) => match Share::parse(&p.to_string(), *savings) {
            Ok(share) => to_summary(ctx, login, s, share).await,
            Err(_) => Ok(hint_in(ctx, s, Msg::new("hint-stale-button"))),
        },
        (
            TransfersState::ChoiceSummary {
                savings,
                manager,
                share,
                ..
            },
            Input::Action(Action::Transfers(TransfersAction::Confirm)),
        ) => confirm_choice(ctx, login, *savings, manager, *share).await,
        (
            TransfersState::ReturnSummary { .. },
            Input::Action(Action::Transfers(TransfersAction::Confirm)),
        ) => confirm_return(ctx, login).await,
        (_, other) => Ok(hint_in(ctx, s, unexpected(&other))),
    }
}

/// The translated reason a typed share was refused.
fn share_problem(e: ShareError, savings: Savings) -> Msg {
    let max = i64::from(savings.max_share());
    match e {
        ShareError::NotANumber => Msg::new("transfers-share-not-a-number").number("max", max),
        ShareError::NotWhole => Msg::new("transfers-share-not-whole"),
        ShareError::Zero => Msg::new("transfers-share-zero").number("max", max),
        ShareError::OverMax { max } => match savings {
            Savings::Mandatory => {
                Msg::new("transfers-share-over-mandatory").number("max", i64::from(max))
            }
            Savings::Voluntary => {
                Msg::new("transfers-share-over-voluntary").number("max", i64::from(max))
            }
        },
    }
}

async fn to_summary(
    ctx: &StepContext<'_>,
    login: Login,
    s: &TransfersState,
    share: Share,
) -> StepResult {
    let TransfersState::ChoiceShare {
        savings,
        manager,
        managers,
        asked_savings,
    } = s
    else {
        return Ok(hint_in(ctx, s, Msg::new("hint-stale-button")));
    };
    let holder = ctx.transfers.holder(login.depositor_id).await?;
    Ok(go(
        ctx,
        TransfersState::ChoiceSummary {
            savings: *savings,
            manager: manager.clone(),
            share,
            managers: managers.clone(),
            asked_savings: *asked_savings,
            holder: HolderView::of(&holder),
        },
        None,
    ))
}

fn signer(ctx: &StepContext<'_>, holder: &Holder) -> Signer {
    Signer {
        iin: holder.iin.clone(),
        full_name: holder.full_name.clone(),
        created_at: transfer_documents::created_at(now_ms(ctx)).unwrap_or_default(),
    }
}

async fn confirm_choice(
    ctx: &StepContext<'_>,
    login: Login,
    savings: Savings,
    manager: &super::ManagerOption,
    share: Share,
) -> StepResult {
    // The registry may have changed since the start (another chat, the fund): check again.
    let position = match checked_position(ctx, login).await? {
        Ok(position) => position,
        Err(refused) => return Ok(refused),
    };
    let accounts = accounts_for(&position.holder, savings);
    if accounts.is_empty() {
        return Ok(refuse(ctx, Msg::new("transfers-refused-no-savings")));
    }
    let codes: Vec<&str> = accounts.iter().map(|k| k.code()).collect();
    let document = transfer_documents::manager_choice(
        &signer(ctx, &position.holder),
        savings,
        &codes,
        &manager.code,
        &manager.name,
        share,
    );
    file_for_signing(ctx, login, ApplicationKind::ManagerChoice, document).await
}

async fn confirm_return(ctx: &StepContext<'_>, login: Login) -> StepResult {
    let position = match checked_position(ctx, login).await? {
        Ok(position) => position,
        Err(refused) => return Ok(refused),
    };
    let accounts = private_accounts(ctx, &position.holder);
    if accounts.is_empty() {
        return Ok(refuse(ctx, Msg::new("transfers-return-nothing")));
    }
    let codes: Vec<&str> = accounts.iter().map(|(k, _)| k.code()).collect();
    let national_bank = ctx.reference.default_manager();
    let document = transfer_documents::return_to_national_bank(
        &signer(ctx, &position.holder),
        &codes,
        &national_bank.code,
        national_bank.name(ctx.lang),
    );
    file_for_signing(ctx, login, ApplicationKind::ReturnToNationalBank, document).await
}

pub fn back(ctx: &StepContext<'_>, s: &TransfersState) -> StepOutcome {
    match s {
        TransfersState::ChoiceManager {
            asked_savings: true,
            ..
        } => go(ctx, TransfersState::ChoiceSavings, None),
        TransfersState::ChoiceShare {
            savings,
            managers,
            asked_savings,
            ..
        } => go(
            ctx,
            TransfersState::ChoiceManager {
                savings: *savings,
                managers: managers.clone(),
                asked_savings: *asked_savings,
            },
            None,
        ),
        TransfersState::ChoiceSummary {
            savings,
            manager,
            managers,
            asked_savings,
            ..
        } => go(
            ctx,
            TransfersState::ChoiceShare {
                savings: *savings,
                manager: manager.clone(),
                managers: managers.clone(),
                asked_savings: *asked_savings,
            },
            None,
        ),
        _ => crate::dialogue::filing::to_kinds(ctx, None),
    }
}
