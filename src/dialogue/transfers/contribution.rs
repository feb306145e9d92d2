//! A voluntary pension contribution into the depositor's own ДПВ account (memo service 10):
//! the amount (within the bounds of the reference data) → summary → confirm. Confirming
//! files the application (number, canonical document, signing) and gives the payment
//! details with the payment purpose naming the IIN, and a payment button when `PAYMENT_URL`
//! is set. The contribution shows in the account when the fund's registry reports it.

use super::{
    HolderView, TransfersAction, TransfersState, filed, go, hint_in, nav_row, now_ms, refuse,
    signing_reply, with_confirm,
};
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult, home};
use crate::dialogue::start::unexpected;
use crate::dialogue::{Action, Input, Reply};
use crate::domain::application::ApplicationKind;
use crate::domain::transfer_documents::{self, Payee, Signer};
use crate::domain::{Money, MoneyError};
use crate::i18n::Msg;
use crate::services::auth::Login;
use crate::store::accounts::AccountKind;

/// "Pay a voluntary contribution".
pub async fn start(ctx: &StepContext<'_>) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(home(ctx, Some(Msg::new("not-signed-in"))));
    };
    let holder = ctx.transfers.holder(login.depositor_id).await?;
    if !holder.accounts.iter().any(|a| a.kind == AccountKind::Dpv) {
        return Ok(refuse(ctx, Msg::new("transfers-contribution-no-account")));
    }
    let details = ctx.transfers.payment_details();
    Ok(go(
        ctx,
        TransfersState::ContributionAmount {
            min: details.min,
            max: details.max,
        },
        None,
    ))
}

pub fn prompt(ctx: &StepContext<'_>, s: &TransfersState) -> Reply {
    match s {
        TransfersState::ContributionAmount { min, max } => Reply::new(
            Msg::new("transfers-contribution-amount-prompt")
                .money("min", *min)
                .money("max", *max),
        )
        .row(nav_row()),
        TransfersState::ContributionSummary { amount, holder, .. } => {
            let details = ctx.transfers.payment_details();
            with_confirm(Reply::new(
                Msg::new("transfers-contribution-summary")
                    .text("name", holder.full_name.clone())
                    .text("iin", holder.iin_masked.clone())
                    .money("amount", *amount)
                    .text("recipient", details.recipient(ctx.lang)),
            ))
        }
        _ => Reply::key("filing-kinds-prompt"),
    }
}

/// The translated reason an amount was refused.
fn amount_problem(e: MoneyError) -> Msg {
    match e {
        MoneyError::TooManyDecimals => Msg::new("transfers-amount-decimals"),
        MoneyError::BadGrouping => Msg::new("transfers-amount-grouping"),
        MoneyError::Overflow => Msg::new("transfers-amount-too-large"),
        MoneyError::Empty | MoneyError::NotANumber | MoneyError::Negative => {
            Msg::new("transfers-amount-not-a-number")
        }
    }
}

pub async fn step(
    ctx: &StepContext<'_>,
    login: Login,
    s: &TransfersState,
    input: Input,
) -> StepResult {
    match (s, input) {
        (TransfersState::ContributionAmount { min, max }, Input::Text(text)) => {
            let amount = match Money::parse(&text) {
                Ok(amount) => amount,
                Err(e) => return Ok(hint_in(ctx, s, amount_problem(e))),
            };
            if amount < *min {
                return Ok(hint_in(
                    ctx,
                    s,
                    Msg::new("transfers-amount-below-min").money("min", *min),
                ));
            }
            if amount > *max {
                return Ok(hint_in(
                    ctx,
                    s,
                    Msg::new("transfers-amount-above-max").money("max", *max),
                ));
            }
            let holder = ctx.transfers.holder(login.depositor_id).await?;
            Ok(go(
                ctx,
                TransfersState::ContributionSummary {
                    amount,
                    min: *min,
                    max: *max,
                    holder: HolderView::of(&holder),
                },
                None,
            ))
        }
        (
            TransfersState::ContributionSummary { amount, .. },
            Input::Action(Action::Transfers(TransfersAction::Confirm)),
        ) => confirm(ctx, login, *amount).await,
        (_, other) => Ok(hint_in(ctx, s, unexpected(&other))),
    }
}

async fn confirm(ctx: &StepContext<'_>, login: Login, amount: Money) -> StepResult {
    let holder = ctx.transfers.holder(login.depositor_id).await?;
    if !holder.accounts.iter().any(|a| a.kind == AccountKind::Dpv) {
        return Ok(refuse(ctx, Msg::new("transfers-contribution-no-account")));
    }
    let details = ctx.transfers.payment_details();
    let payee = Payee {
        recipient: details.recipient(ctx.lang).to_owned(),
        bin: details.bin.clone(),
        iban: details.iban.clone(),
        bic: details.bic.clone(),
        kbe: details.kbe.clone(),
        knp: details.knp.clone(),
    };
    let signer = Signer {
        iin: holder.iin.clone(),
        full_name: holder.full_name.clone(),
        created_at: transfer_documents::created_at(now_ms(ctx)).unwrap_or_default(),
    };
    let purpose = details.purpose(&holder.iin, &holder.full_name);
    let document = transfer_documents::voluntary_contribution(&signer, amount, &payee, &purpose);
    let filed_app = ctx
        .transfers
        .file(
            login.depositor_id,
            ApplicationKind::VoluntaryTransfer,
            document,
            now_ms(ctx),
        )
        .await?;
    let number = filed_app.number;
    let mut payment = Reply::new(
        Msg::new("transfers-contribution-details")
            .text("recipient", payee.recipient.clone())
            .text("bin", payee.bin.clone())
            .text("iban", payee.iban.clone())
            .text("bic", payee.bic.clone())
            .text("kbe", payee.kbe.clone())
            .text("knp", payee.knp.clone())
            .money("amount", amount)
            .text("purpose", purpose),
    );
    if !details.verified {
        payment = payment.append(Msg::new("transfers-contribution-verify"));
    }
    payment = payment
        .append(Msg::new("transfers-contribution-recorded-later"))
        .protected();
    if let Some(url) = ctx.transfers.payment_link(amount, &number) {
        payment = payment.link(Msg::new("transfers-button-pay"), url);
    }
    let sign = signing_reply(ctx, login, &number, ApplicationKind::VoluntaryTransfer).await;
    Ok(filed(ctx, vec![sign, payment]))
}

pub fn back(ctx: &StepContext<'_>, s: &TransfersState) -> StepOutcome {
    match s {
        TransfersState::ContributionSummary { min, max, .. } => go(
            ctx,
            TransfersState::ContributionAmount {
                min: *min,
                max: *max,
            },
            None,
        ),
        _ => crate::dialogue::filing::to_kinds(ctx, None),
    }
}
