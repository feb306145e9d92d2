//! The payout applications' own steps: who may file (checked before any data is asked), the
//! refusals with what to do instead, and the choice of source (ОПВ/ОППВ) or ground (age,
//! disability) when there is one.

use super::{Draft, FilingState, SourceChoice, blocked, go, login_lost, stay, to_kinds, today};
use crate::dialogue::cabinet::local_time;
use crate::dialogue::engine::{StepContext, StepOutcome, StepResult};
use crate::domain::application::ApplicationKind;
use crate::domain::dates::format_day;
use crate::domain::eligibility::{
    self, DisabilityRecord, DisabilityRefusal, PayoutSource, VoluntaryBasis, VoluntaryRefusal,
};
use crate::i18n::Msg;
use crate::services::filing::Applicant;
use crate::store::StoreError;
use crate::store::applications::ApplicationSummary;

/// The kinds of the voluntary payout.
pub const VOLUNTARY_KINDS: [ApplicationKind; 2] = [
    ApplicationKind::VoluntaryPayoutAge,
    ApplicationKind::VoluntaryPayoutDisability,
];

pub fn voluntary_kind(basis: VoluntaryBasis) -> ApplicationKind {
    match basis {
        VoluntaryBasis::Age => ApplicationKind::VoluntaryPayoutAge,
        VoluntaryBasis::Disability => ApplicationKind::VoluntaryPayoutDisability,
    }
}

/// The kinds a new application of `kind` would repeat while one is on its way.
pub fn same_kinds(kind: ApplicationKind) -> Vec<ApplicationKind> {
    if VOLUNTARY_KINDS.contains(&kind) {
        VOLUNTARY_KINDS.to_vec()
    } else {
        vec![kind]
    }
}

/// The applicant of this chat's login, or `None` when the login is gone.
pub async fn applicant(ctx: &StepContext<'_>) -> Result<Option<Applicant>, StoreError> {
    let Some(login) = ctx.login else {
        return Ok(None);
    };
    ctx.applications
        .applicant(login.depositor_id, today(ctx))
        .await
}

/// "You already have application Z-… (kind), status …".
pub fn in_progress_msg(open: &ApplicationSummary) -> Msg {
    Msg::new("filing-refused-in-progress")
        .text("number", open.number.to_string())
        .msg("kind", Msg::new(open.kind.message_key()))
        .text("date", local_time(open.created_at_ms))
        .msg("status", Msg::new(open.status.message_key()))
}

/// Why a disability payout cannot be filed, and what to do.
pub fn disability_refusal(refusal: DisabilityRefusal, record: Option<DisabilityRecord>) -> Msg {
    let group = i64::from(record.map(|r| r.group).unwrap_or(0));
    match refusal {
        DisabilityRefusal::NoDisability => Msg::new("filing-refused-no-disability"),
        DisabilityRefusal::GroupThree => Msg::new("filing-refused-group-three"),
        DisabilityRefusal::NotIndefinite => {
            Msg::new("filing-refused-not-indefinite").number("group", group)
        }
        DisabilityRefusal::NoSavings => Msg::new("filing-refused-no-mandatory-savings"),
    }
}

/// Why a voluntary payout cannot be filed, and what to do.
pub fn voluntary_refusal(refusal: VoluntaryRefusal) -> Msg {
    match refusal {
        VoluntaryRefusal::NoBalance => Msg::new("filing-refused-no-voluntary-savings"),
        VoluntaryRefusal::UnderAge { eligible_on } => Msg::new("filing-refused-under-age").text(
            "date",
            eligible_on.map(format_day).unwrap_or_else(|| "—".into()),
        ),
    }
}

/// The disability line of a summary: "group 2, indefinitely" or "group 3, for a term".
pub fn disability_fact(record: DisabilityRecord) -> Msg {
    Msg::new("filing-fact-disability")
        .number("group", i64::from(record.group))
        .text("indefinite", if record.indefinite { "yes" } else { "no" })
}

/// The sources of a payout in words: "ОПВ", "ОППВ" or "ОПВ and ОППВ".
pub fn sources_msg(sources: &[PayoutSource]) -> Msg {
    Msg::new(match sources {
        [PayoutSource::Opv] => "filing-sources-value-opv",
        [PayoutSource::Oppv] => "filing-sources-value-oppv",
        _ => "filing-sources-value-both",
    })
}

/// Whether the payout on disability may be filed for `applicant`: `Err` says why not.
pub fn check_disability(applicant: &Applicant) -> Result<Vec<PayoutSource>, Msg> {
    eligibility::disability_payout(applicant.disability, applicant.opv, applicant.oppv)
        .map_err(|r| disability_refusal(r, applicant.disability))
}

/// Whether the voluntary payout may be filed for `applicant` on the day of filing.
pub fn check_voluntary(
    ctx: &StepContext<'_>,
    applicant: &Applicant,
) -> Result<Vec<VoluntaryBasis>, Msg> {
    eligibility::voluntary_payout(
        applicant.birth_date,
        today(ctx),
        applicant.disability,
        applicant.dpv,
    )
    .map_err(voluntary_refusal)
}

/// "Payout on disability" from the list: the registry must show group 1 or 2 indefinitely.
pub async fn start_disability(ctx: &StepContext<'_>) -> StepResult {
    let Some(applicant) = applicant(ctx).await? else {
        return Ok(login_lost(ctx));
    };
    let kind = ApplicationKind::DisabilityPayout;
    if let Some(open) = ctx
        .applications
        .in_progress(applicant.depositor_id, &[kind])
        .await?
    {
        return Ok(blocked(ctx, &open));
    }
    let offered = match check_disability(&applicant) {
        Ok(offered) => offered,
        Err(refusal) => return Ok(to_kinds(ctx, Some(refusal))),
    };
    let mut draft = Draft::for_applicant(kind, &applicant);
    let mut intro = Msg::new("filing-disability-intro");
    if let Some(record) = applicant.disability {
        draft.facts.push(disability_fact(record));
        intro = intro.number("group", i64::from(record.group));
    }
    draft.offered = offered.clone();
    if offered.len() > 1 {
        return Ok(go(ctx, FilingState::Sources { draft }, Some(intro)));
    }
    draft.sources = offered;
    Ok(go(ctx, FilingState::Bank { draft }, Some(intro)))
}

/// "Payout from voluntary savings" from the list: 50 or older, or a disability, and savings.
pub async fn start_voluntary(ctx: &StepContext<'_>) -> StepResult {
    let Some(applicant) = applicant(ctx).await? else {
        return Ok(login_lost(ctx));
    };
    if let Some(open) = ctx
        .applications
        .in_progress(applicant.depositor_id, &VOLUNTARY_KINDS)
        .await?
    {
        return Ok(blocked(ctx, &open));
    }
    let grounds = match check_voluntary(ctx, &applicant) {
        Ok(grounds) => grounds,
        Err(refusal) => return Ok(to_kinds(ctx, Some(refusal))),
    };
    let mut draft = Draft::for_applicant(voluntary_kind(grounds[0]), &applicant);
    if let Some(balance) = applicant.dpv {
        draft.facts.push(
            Msg::new("filing-fact-voluntary-balance")
                .money("balance", balance)
                .text("date", format_day(today(ctx))),
        );
    }
    draft.grounds = grounds.clone();
    let intro = Msg::new("filing-voluntary-intro");
    if grounds.len() > 1 {
        if let Some(record) = applicant.disability {
            draft.facts.push(disability_fact(record));
        }
        return Ok(go(ctx, FilingState::Basis { draft }, Some(intro)));
    }
    if grounds[0] == VoluntaryBasis::Disability
        && let Some(record) = applicant.disability
    {
        draft.facts.push(disability_fact(record));
    }
    Ok(go(ctx, FilingState::Bank { draft }, Some(intro)))
}

pub fn choose_sources(
    ctx: &StepContext<'_>,
    state: &FilingState,
    draft: &Draft,
    choice: SourceChoice,
) -> StepOutcome {
    let sources = choice.sources();
    if !sources.iter().all(|s| draft.offered.contains(s)) {
        return stay(ctx, state, Msg::new("hint-stale-button"));
    }
    let mut draft = draft.clone();
    draft.sources = sources;
    go(ctx, FilingState::Bank { draft }, None)
}

pub fn choose_basis(
    ctx: &StepContext<'_>,
    state: &FilingState,
    draft: &Draft,
    basis: VoluntaryBasis,
) -> StepOutcome {
    if !draft.grounds.contains(&basis) {
        return stay(ctx, state, Msg::new("hint-stale-button"));
    }
    let mut draft = draft.clone();
    draft.kind = voluntary_kind(basis);
    go(ctx, FilingState::Bank { draft }, None)
}

/// Back from the bank step: the choice made before it, if there was one, else the list.
pub fn before_bank(ctx: &StepContext<'_>, draft: &Draft) -> StepOutcome {
    let draft = draft.clone();
    if draft.kind == ApplicationKind::DisabilityPayout && draft.offered.len() > 1 {
        return go(ctx, FilingState::Sources { draft }, None);
    }
    if VOLUNTARY_KINDS.contains(&draft.kind) && draft.grounds.len() > 1 {
        return go(ctx, FilingState::Basis { draft }, None);
    }
    to_kinds(ctx, None)
}
