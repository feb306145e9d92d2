//! The last steps: the summary (protected, it carries personal data), the checks made again
//! on confirmation (the registry may have changed since the start), the canonical document,
//! the draft with its number, and the signing link.

use super::payouts::{applicant, check_disability, check_voluntary, same_kinds, sources_msg};
use super::{
    Draft, FilingAction, FilingState, back_row, blocked, button, go, login_lost, stay, to_kinds,
};
use crate::dialogue::Reply;
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult, home};
use crate::domain::application::{ApplicationKind, ApplicationNumber, ApplicationStatus};
use crate::domain::eligibility::VoluntaryBasis;
use crate::domain::filing::{
    BankDetailsDocument, DisabilityPayoutDocument, Head, Payee, VoluntaryPayoutDocument, canonical,
};
use crate::i18n::Msg;
use crate::services::filing::Applicant;

/// The summary of the draft with the confirm, back and cancel buttons.
pub fn summary(ctx: &StepContext<'_>, draft: &Draft) -> Reply {
    let mut lines: Vec<Msg> = draft.facts.clone();
    if draft.kind == ApplicationKind::DisabilityPayout {
        lines.push(Msg::new("filing-fact-sources").msg("sources", sources_msg(&draft.sources)));
    }
    let bank = draft
        .bank
        .as_deref()
        .and_then(|code| ctx.reference.bank_by_code(code));
    if let (Some(bank), Some(iban)) = (bank, &draft.iban) {
        lines.push(
            Msg::new("filing-fact-bank")
                .text("bank", bank.name(ctx.lang))
                .text("bic", bank.bic.clone()),
        );
        lines.push(Msg::new("filing-fact-iban").text("iban", iban.grouped()));
    }
    if let Some(holder) = &draft.holder {
        lines.push(Msg::new("filing-fact-holder").text("name", holder.clone()));
    }
    Reply::new(
        Msg::new("filing-summary")
            .msg("kind", Msg::new(draft.kind.message_key()))
            .list("lines", lines),
    )
    .append(Msg::new("filing-confirm-prompt"))
    .row(vec![button("filing-button-confirm", FilingAction::Confirm)])
    .row(back_row())
    .protected()
}

/// Checks the application again on today's registry data; `Err` says why it cannot go.
fn recheck(ctx: &StepContext<'_>, draft: &Draft, applicant: &Applicant) -> Result<(), Msg> {
    match draft.kind {
        ApplicationKind::DisabilityPayout => {
            let offered = check_disability(applicant)?;
            if draft.sources.iter().all(|s| offered.contains(s)) && !draft.sources.is_empty() {
                Ok(())
            } else {
                Err(Msg::new("filing-refused-no-mandatory-savings"))
            }
        }
        ApplicationKind::VoluntaryPayoutAge | ApplicationKind::VoluntaryPayoutDisability => {
            let grounds = check_voluntary(ctx, applicant)?;
            let basis = voluntary_basis(draft.kind);
            if grounds.contains(&basis) {
                Ok(())
            } else {
                Err(Msg::new("filing-refused-ground-gone"))
            }
        }
        _ => Ok(()),
    }
}

fn voluntary_basis(kind: ApplicationKind) -> VoluntaryBasis {
    if kind == ApplicationKind::VoluntaryPayoutDisability {
        VoluntaryBasis::Disability
    } else {
        VoluntaryBasis::Age
    }
}

/// The canonical document of the draft; `None` when a step's data is missing.
fn document(ctx: &StepContext<'_>, draft: &Draft, applicant: &Applicant) -> Option<String> {
    let iban = draft.iban.as_ref()?;
    let bank = ctx.reference.bank_of(iban)?;
    let payee = Payee::new(iban, &bank.bic, draft.holder.as_deref()?);
    let head = Head::new(draft.kind, &applicant.iin, &applicant.full_name(), ctx.now);
    Some(match draft.kind {
        ApplicationKind::DisabilityPayout => {
            let record = applicant.disability?;
            canonical(&DisabilityPayoutDocument {
                head,
                disability_group: record.group,
                disability_indefinite: record.indefinite,
                sources: draft.sources.clone(),
                payee,
            })
        }
        ApplicationKind::VoluntaryPayoutAge | ApplicationKind::VoluntaryPayoutDisability => {
            let (voluntary_balance, currency) = VoluntaryPayoutDocument::balance(applicant.dpv?);
            canonical(&VoluntaryPayoutDocument {
                head,
                basis: voluntary_basis(draft.kind),
                birth_date: applicant.birth_date.format("%Y-%m-%d").to_string(),
                voluntary_balance,
                currency,
                payee,
            })
        }
        ApplicationKind::BankDetailsChange => canonical(&BankDetailsDocument { head, payee }),
        _ => return None,
    })
}

/// "Confirm": the checks again, the draft with its document, then the signing link.
pub async fn submit(ctx: &StepContext<'_>, draft: &Draft) -> StepResult {
    let Some(applicant) = applicant(ctx).await? else {
        return Ok(login_lost(ctx));
    };
    if let Some(open) = ctx
        .applications
        .in_progress(applicant.depositor_id, &same_kinds(draft.kind))
        .await?
    {
        return Ok(blocked(ctx, &open));
    }
    if let Err(refusal) = recheck(ctx, draft, &applicant) {
        let notice = Msg::new("filing-refused-on-confirm").msg("reason", refusal);
        return Ok(to_kinds(ctx, Some(notice)));
    }
    let Some(document) = document(ctx, draft, &applicant) else {
        // A state from an older version without some step's data: start again.
        return Ok(to_kinds(ctx, Some(Msg::new("filing-start-again"))));
    };
    let filed = ctx
        .applications
        .file_draft(
            applicant.depositor_id,
            draft.kind,
            document,
            ctx.now.timestamp_millis(),
        )
        .await?;
    let done = sign_reply(
        ctx,
        applicant.depositor_id,
        &filed.number,
        filed.kind,
        "filing-sign-link",
    )
    .await;
    Ok(with_first(home(ctx, None), done))
}

/// The signing link of the depositor's application `number` (a new one revokes the earlier),
/// or why there is none. Every kind of application ends with it.
pub(crate) async fn sign_reply(
    ctx: &StepContext<'_>,
    depositor_id: i64,
    number: &ApplicationNumber,
    kind: ApplicationKind,
    text_key: &str,
) -> Reply {
    let now_ms = ctx.now.timestamp_millis();
    let link = ctx
        .signing
        .request_application_signature(ctx.chat_id, ctx.lang, depositor_id, number, now_ms)
        .await;
    match link {
        Ok(link) => {
            let minutes = ((link.expires_at_ms - now_ms) / 60_000).max(1);
            // Protected: the link is the depositor's alone and must not be forwarded.
            Reply::new(
                Msg::new(text_key)
                    .text("number", number.to_string())
                    .msg("kind", Msg::new(kind.message_key()))
                    .number("minutes", minutes),
            )
            .append(Msg::new("filing-status-note"))
            .link(Msg::new("filing-sign-button"), link.url)
            .protected()
        }
        Err(error) => {
            // The draft is saved; filing again later gives it a link.
            tracing::warn!(error = %error, kind = kind.code(), "no signing link for an application");
            Reply::new(Msg::new("filing-sign-unavailable").text("number", number.to_string()))
        }
    }
}

/// "New signing link" for an application still waiting for its signature.
pub async fn new_link(ctx: &StepContext<'_>, state: &FilingState, number: &str) -> StepResult {
    let Some(login) = ctx.login else {
        return Ok(login_lost(ctx));
    };
    let Ok(number) = ApplicationNumber::parse(number) else {
        return Ok(stay(ctx, state, Msg::new("hint-stale-button")));
    };
    let Some(found) = ctx.applications.detail(login.depositor_id, &number).await? else {
        return Ok(stay(ctx, state, Msg::new("hint-stale-button")));
    };
    if found.summary.status != ApplicationStatus::AwaitingSignature {
        return Ok(go(
            ctx,
            FilingState::Kinds,
            Some(
                Msg::new("filing-unsigned-gone")
                    .msg("status", Msg::new(found.summary.status.message_key())),
            ),
        ));
    }
    let done = sign_reply(
        ctx,
        login.depositor_id,
        &number,
        found.summary.kind,
        "filing-sign-link-again",
    )
    .await;
    Ok(with_first(home(ctx, None), done))
}

/// Puts `reply` before the replies of `outcome` (the cabinet menu after a result).
fn with_first(mut outcome: StepOutcome, reply: Reply) -> StepOutcome {
    outcome.replies.insert(0, reply);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voluntary_kinds_map_to_their_basis() {
        assert_eq!(
            voluntary_basis(ApplicationKind::VoluntaryPayoutAge),
            VoluntaryBasis::Age
        );
        assert_eq!(
            voluntary_basis(ApplicationKind::VoluntaryPayoutDisability),
            VoluntaryBasis::Disability
        );
    }
}
