//! Where the money goes, shared by every application of this module: the bank (chosen from
//! the reference list, or found from the IBAN typed right away), the IBAN (country, length,
//! check digits, a bank code we know, the bank chosen) and the holder's name, which must be
//! the depositor's own as the registry has it.

use super::payouts::applicant;
use super::{Draft, FilingAction, FilingState, back_row, blocked, go, login_lost, stay};
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult};
use crate::dialogue::{Action, Button, Reply};
use crate::domain::application::ApplicationKind;
use crate::domain::names;
use crate::domain::{Iban, IbanError};
use crate::i18n::Msg;
use crate::reference::Bank;

/// Banks shown side by side in the bank step.
const BANKS_PER_ROW: usize = 2;

/// "Change of bank details" from the list.
pub async fn start_bank_details(ctx: &StepContext<'_>) -> StepResult {
    let Some(applicant) = applicant(ctx).await? else {
        return Ok(login_lost(ctx));
    };
    let kind = ApplicationKind::BankDetailsChange;
    if let Some(open) = ctx
        .applications
        .in_progress(applicant.depositor_id, &[kind])
        .await?
    {
        return Ok(blocked(ctx, &open));
    }
    Ok(go(
        ctx,
        FilingState::Bank {
            draft: Draft::for_applicant(kind, &applicant),
        },
        Some(Msg::new("filing-bank-details-intro")),
    ))
}

fn bank_code_number(bank: &Bank) -> Option<u16> {
    bank.iban_code.parse().ok()
}

pub fn bank_prompt(ctx: &StepContext<'_>, draft: &Draft) -> Reply {
    let key = if draft.is_payout() {
        "filing-bank-prompt-payout"
    } else {
        "filing-bank-prompt-details"
    };
    let mut reply = Reply::key(key);
    let buttons: Vec<Button> = ctx
        .reference
        .banks()
        .iter()
        .filter_map(|bank| {
            let code = bank_code_number(bank)?;
            Some(Button::with_label(
                Msg::new("filing-bank-button").text("name", bank.name(ctx.lang)),
                Action::Filing(FilingAction::Bank(code)),
            ))
        })
        .collect();
    for row in buttons.chunks(BANKS_PER_ROW) {
        reply = reply.row(row.to_vec());
    }
    reply.row(back_row())
}

pub fn iban_prompt(ctx: &StepContext<'_>, draft: &Draft) -> Reply {
    let bank = draft
        .bank
        .as_deref()
        .and_then(|code| ctx.reference.bank_by_code(code));
    let msg = match bank {
        Some(bank) => Msg::new("filing-iban-prompt").text("bank", bank.name(ctx.lang)),
        None => Msg::new("filing-iban-prompt-any"),
    };
    Reply::new(msg).row(back_row())
}

pub fn choose_bank(
    ctx: &StepContext<'_>,
    state: &FilingState,
    draft: &Draft,
    code: u16,
) -> StepOutcome {
    let Some(bank) = ctx
        .reference
        .banks()
        .iter()
        .find(|b| bank_code_number(b) == Some(code))
    else {
        return stay(ctx, state, Msg::new("hint-stale-button"));
    };
    let mut draft = draft.clone();
    draft.bank = Some(bank.iban_code.clone());
    go(ctx, FilingState::Iban { draft }, None)
}

/// The translated reason a typed IBAN was refused.
pub fn iban_problem(error: IbanError) -> Msg {
    match error {
        IbanError::Empty | IbanError::BadCharacters => Msg::new("filing-iban-bad-characters"),
        IbanError::NotKazakh => Msg::new("filing-iban-not-kazakh"),
        IbanError::WrongLength { len } => {
            Msg::new("filing-iban-wrong-length").number("len", len as i64)
        }
        IbanError::BadBankCode => Msg::new("filing-iban-bad-bank-code"),
        IbanError::BadCheckDigits => Msg::new("filing-iban-check-digits"),
    }
}

/// An IBAN typed at the bank or IBAN step: checked, its bank found, then the holder's name.
pub fn take_iban(
    ctx: &StepContext<'_>,
    state: &FilingState,
    draft: &Draft,
    text: &str,
) -> StepOutcome {
    let iban = match Iban::parse(text) {
        Ok(iban) => iban,
        Err(e) => return stay(ctx, state, iban_problem(e)),
    };
    let Some(bank) = ctx.reference.bank_of(&iban) else {
        return stay(
            ctx,
            state,
            Msg::new("filing-iban-unknown-bank").text("code", iban.bank_code()),
        );
    };
    if let Some(chosen) = draft.bank.as_deref()
        && chosen != bank.iban_code
    {
        let chosen_name = ctx
            .reference
            .bank_by_code(chosen)
            .map(|b| b.name(ctx.lang).to_owned())
            .unwrap_or_default();
        return stay(
            ctx,
            state,
            Msg::new("filing-iban-other-bank")
                .text("bank", bank.name(ctx.lang))
                .text("chosen", chosen_name),
        );
    }
    let notice = Msg::new("filing-iban-accepted")
        .text("bank", bank.name(ctx.lang))
        .text("iban", iban.grouped());
    let mut draft = draft.clone();
    draft.bank = Some(bank.iban_code.clone());
    draft.iban = Some(iban);
    go(ctx, FilingState::Holder { draft }, Some(notice))
}

/// The holder's name: the account must be the depositor's own.
pub async fn take_holder(
    ctx: &StepContext<'_>,
    state: &FilingState,
    draft: &Draft,
    text: &str,
) -> StepResult {
    let typed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if typed.chars().count() > names::MAX_NAME_CHARS || !typed.chars().any(char::is_alphabetic) {
        return Ok(stay(ctx, state, Msg::new("filing-holder-not-a-name")));
    }
    let Some(applicant) = applicant(ctx).await? else {
        return Ok(login_lost(ctx));
    };
    let same = names::same_person(
        &typed,
        &applicant.last_name,
        &applicant.first_name,
        applicant.patronymic.as_deref(),
    );
    if !same {
        return Ok(stay(ctx, state, Msg::new("filing-holder-mismatch")));
    }
    // The name as the registry writes it: the typed one matched it, and the document should
    // not carry a casing or spelling of the moment.
    let with_patronymic = names::normalise(&typed).split(' ').count()
        == names::normalise(&applicant.full_name()).split(' ').count();
    let holder = if with_patronymic {
        applicant.full_name()
    } else {
        format!("{} {}", applicant.last_name, applicant.first_name)
    };
    let mut draft = draft.clone();
    draft.holder = Some(holder);
    Ok(go(ctx, FilingState::Confirm { draft }, None))
}
