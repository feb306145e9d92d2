//! Notifications to depositors, written to the outbox in the same transaction as the change
//! that causes them, so a message exists exactly when its change commits:
//! - a status change of one of the depositor's applications ([`status_changed_in`]): always
//!   sent (no `/settings` switch), never held by quiet hours;
//! - a new contribution on one of the depositor's accounts ([`contribution_recorded_in`]):
//!   sent to the chats whose contributions switch is on, held from 22:00 until 08:00;
//! - a statement or certificate issued for the depositor ([`document_issued_in`]): told to the
//!   depositor's other chats whose document switch is on, held likewise.
//!
//! The recipients are the depositor's chats with a sign-in not ended, or, when there is none,
//! the chat the depositor signed in from last ([`logins::notify_chats_in`]); each message is
//! rendered in that chat's language. [`set_status`] and [`record_contribution`] are what the
//! command line (and, later, the signing acceptance and registry imports) run.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sqlx::AnyConnection;

use crate::domain::application::{ApplicationNumber, ApplicationStatus, StatusNote};
use crate::domain::{Iin, Lang, Money};
use crate::i18n::{I18n, Msg};
use crate::outbox::payload::{Content, RenderedMessage};
use crate::outbox::quiet;
use crate::store::accounts::{self, AccountKind, NewOperation, OperationKind};
use crate::store::applications::{
    self, ApplicationSummary, StatusChange, StatusChangeError, change_status_in,
};
use crate::store::audit::AuditEntry;
use crate::store::documents::DocumentKind;
use crate::store::notification_settings::{self, NotifyKind};
use crate::store::outbox::{self, Enqueued, NewOutboxMessage, OutboxKind};
use crate::store::staff::audit_in;
use crate::store::{Db, StoreError, depositors, logins};

/// The language of a chat that never chose one.
const DEFAULT_LANG: Lang = Lang::Kk;

fn chat_lang(code: Option<&str>) -> Lang {
    code.and_then(Lang::from_code).unwrap_or(DEFAULT_LANG)
}

/// The text of a status-change notice in one language.
pub fn status_text(
    i18n: &I18n,
    lang: Lang,
    application: &ApplicationSummary,
    note: Option<StatusNote>,
) -> String {
    let mut text = i18n.render(
        lang,
        &Msg::new("notice-status-changed")
            .text("number", application.number.to_string())
            .msg("kind", Msg::new(application.kind.message_key()))
            .msg("status", Msg::new(application.status.message_key())),
    );
    if let Some(note) = note {
        text.push('\n');
        text.push_str(&i18n.render(
            lang,
            &Msg::new("notice-status-note").msg("note", Msg::new(note.message_key())),
        ));
    }
    text
}

/// Tells the depositor of `application` (as it is after the change) that its status changed,
/// inside the caller's transaction: one outbox row per recipient chat, in its language. Not
/// switchable and not held. Returns how many rows were written (a repeated call for the same
/// change writes none).
pub async fn status_changed_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    application: &ApplicationSummary,
    note: Option<StatusNote>,
    now_ms: i64,
) -> Result<usize, StoreError> {
    let mut written = 0;
    for (chat_id, lang) in logins::notify_chats_in(conn, application.depositor_id).await? {
        let text = status_text(i18n, chat_lang(lang.as_deref()), application, note);
        let message = NewOutboxMessage::new(
            chat_id,
            OutboxKind::Status,
            Content::Message(RenderedMessage {
                protect: true,
                ..RenderedMessage::text(text)
            }),
        )
        .dedupe_key(format!(
            "status:{}:{}:{}:{chat_id}",
            application.id,
            application.status.code(),
            application.updated_at_ms
        ));
        if let Enqueued::New(_) = outbox::enqueue_in(conn, &message, now_ms).await? {
            written += 1;
        }
    }
    Ok(written)
}

/// A status change of the depositor's application and its notices, inside the caller's
/// transaction (the signing acceptance and other producers call this): the change is checked
/// and recorded by [`change_status_in`], then [`status_changed_in`] queues the notices.
pub async fn change_status_and_notify_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    depositor_id: i64,
    number: &ApplicationNumber,
    change: &StatusChange,
    now_ms: i64,
) -> Result<(ApplicationSummary, usize), StatusChangeError> {
    let changed = change_status_in(conn, depositor_id, number, change).await?;
    let sent = status_changed_in(conn, i18n, &changed, change.note, now_ms).await?;
    Ok((changed, sent))
}

/// Why the command line could not change a status.
#[derive(Debug, thiserror::Error)]
pub enum SetStatusError {
    #[error("no application has the number {0}")]
    NotFound(String),
    #[error(transparent)]
    Change(#[from] StatusChangeError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A status change made by staff (the command line): the change, its history row, the
/// depositor's notifications and an audit entry, in one transaction. `by` is the audit actor.
pub async fn set_status(
    db: &Db,
    i18n: &I18n,
    number: &ApplicationNumber,
    to: ApplicationStatus,
    note: Option<StatusNote>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(ApplicationSummary, usize), SetStatusError> {
    let now_ms = now.timestamp_millis();
    let mut tx = db.begin_write().await?;
    let current = applications::find_by_number_in(&mut tx, number)
        .await?
        .ok_or_else(|| SetStatusError::NotFound(number.to_string()))?;
    let change = StatusChange {
        to,
        at_ms: now_ms.max(current.updated_at_ms),
        note,
    };
    let (changed, sent) =
        change_status_and_notify_in(&mut tx, i18n, current.depositor_id, number, &change, now_ms)
            .await?;
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: by.to_owned(),
            action: "application.status".into(),
            subject: Some(format!("application:{number}")),
            details: Some(format!(
                "from={}; to={}; notified chats={sent}",
                current.status.code(),
                to.code()
            )),
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    crate::outbox::wake();
    Ok((changed, sent))
}

/// A contribution as the registry reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub account: AccountKind,
    pub amount: Money,
    /// The day it was credited.
    pub date: NaiveDate,
    /// The employer (name or BIN) who paid it, when known.
    pub employer: Option<String>,
    /// The month it is for, `YYYY-MM`.
    pub period: String,
}

/// The month before `date` as `YYYY-MM` (contributions are paid for the previous month).
pub fn previous_month(date: NaiveDate) -> String {
    let (year, month) = if date.month() == 1 {
        (date.year() - 1, 12)
    } else {
        (date.year(), date.month() - 1)
    };
    format!("{year:04}-{month:02}")
}

fn account_key(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Opv => "account-opv",
        AccountKind::Oppv => "account-oppv",
        AccountKind::Opvr => "account-opvr",
        AccountKind::Dpv => "account-dpv",
    }
}

/// The text of a new-contribution notice in one language.
pub fn contribution_text(i18n: &I18n, lang: Lang, contribution: &Contribution) -> String {
    let mut msg = Msg::new("notice-contribution")
        .msg("account", Msg::new(account_key(contribution.account)))
        .money("amount", contribution.amount)
        .text("date", contribution.date.format("%d.%m.%Y").to_string())
        .text("period", contribution.period.clone());
    if let Some(employer) = &contribution.employer {
        msg = Msg::new("notice-contribution-with-payer")
            .msg("contribution", msg)
            .text("payer", employer.clone());
    }
    i18n.render(lang, &msg)
}

/// Tells the depositor about contribution `operation_id`, inside the caller's transaction:
/// one row per recipient chat whose contributions switch is on, held by quiet hours. Returns
/// how many rows were written.
pub async fn contribution_recorded_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    depositor_id: i64,
    operation_id: i64,
    contribution: &Contribution,
    now_ms: i64,
) -> Result<usize, StoreError> {
    let mut written = 0;
    for (chat_id, lang) in logins::notify_chats_in(conn, depositor_id).await? {
        if !notification_settings::is_enabled_in(conn, chat_id, NotifyKind::Contribution).await? {
            continue;
        }
        let text = contribution_text(i18n, chat_lang(lang.as_deref()), contribution);
        let dedupe = format!("contribution:{operation_id}:{chat_id}");
        if enqueue_protected_notice(
            conn,
            chat_id,
            OutboxKind::Contribution,
            text,
            dedupe,
            now_ms,
        )
        .await?
        {
            written += 1;
        }
    }
    Ok(written)
}

/// Queues a notice about the depositor's money or documents to one chat: protected from
/// forwarding, written once per `dedupe` key, held by quiet hours. `true` when newly written.
async fn enqueue_protected_notice(
    conn: &mut AnyConnection,
    chat_id: i64,
    kind: OutboxKind,
    text: String,
    dedupe: String,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let content = Content::Message(RenderedMessage {
        protect: true,
        ..RenderedMessage::text(text)
    });
    let message = NewOutboxMessage::new(chat_id, kind, content)
        .dedupe_key(dedupe)
        .not_before_ms(quiet::not_before_ms(kind, now_ms));
    let enqueued = outbox::enqueue_in(conn, &message, now_ms).await?;
    Ok(matches!(enqueued, Enqueued::New(_)))
}

fn document_key(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Statement => "notice-document-statement",
        DocumentKind::AccountsCertificate => "notice-document-accounts-certificate",
        DocumentKind::OppvCertificate => "notice-document-oppv-certificate",
    }
}

/// Tells the depositor's other chats (all recipients but `requested_in`, where the document
/// was just sent) that document `number` was issued for their accounts, inside the caller's
/// transaction: per chat switch for document numbers, held by quiet hours. How many rows.
pub async fn document_issued_in(
    conn: &mut AnyConnection,
    i18n: &I18n,
    depositor_id: i64,
    kind: DocumentKind,
    number: &str,
    requested_in: i64,
    now_ms: i64,
) -> Result<usize, StoreError> {
    let mut written = 0;
    for (chat_id, lang) in logins::notify_chats_in(conn, depositor_id).await? {
        if chat_id == requested_in
            || !notification_settings::is_enabled_in(conn, chat_id, NotifyKind::Document).await?
        {
            continue;
        }
        let text = i18n.render(
            chat_lang(lang.as_deref()),
            &Msg::new("notice-document-issued")
                .msg("kind", Msg::new(document_key(kind)))
                .text("number", number.to_string())
                .text("time", crate::services::maintenance::format_local(now_ms)),
        );
        let dedupe = format!("document:{number}:{chat_id}");
        if enqueue_protected_notice(conn, chat_id, OutboxKind::Document, text, dedupe, now_ms)
            .await?
        {
            written += 1;
        }
    }
    Ok(written)
}

/// Why a contribution was not recorded. Names no personal data.
#[derive(Debug, thiserror::Error)]
pub enum ContributionError {
    #[error("no depositor has this IIN")]
    UnknownDepositor,
    #[error("the depositor has no {} account", .0.code())]
    NoSuchAccount(AccountKind),
    #[error("a contribution must be more than zero")]
    NotPositive,
    /// The account has this contribution already (same day, amount, payer and period).
    #[error("this contribution is recorded already")]
    AlreadyRecorded,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What recording a contribution did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub operation_id: i64,
    /// Notifications queued (chats with the switch off get none).
    pub notified: usize,
    /// When they go out, if quiet hours hold them.
    pub held_until_ms: Option<i64>,
}

/// Records a contribution the registry reported for the depositor with this IIN: the
/// operation on the account's ledger (statements show it), the notifications and an audit
/// entry, in one transaction. `by` is the audit actor.
pub async fn record_contribution(
    db: &Db,
    i18n: &I18n,
    iin: &Iin,
    contribution: &Contribution,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Recorded, ContributionError> {
    if contribution.amount.tiyn() <= 0 {
        return Err(ContributionError::NotPositive);
    }
    let now_ms = now.timestamp_millis();
    let depositor = depositors::find_by_iin(db, iin)
        .await?
        .ok_or(ContributionError::UnknownDepositor)?;
    let account = accounts::accounts_of(db, depositor.id)
        .await?
        .into_iter()
        .find(|a| a.kind == contribution.account)
        .ok_or(ContributionError::NoSuchAccount(contribution.account))?;
    let operation = NewOperation {
        account_id: account.id,
        op_date: contribution.date,
        kind: OperationKind::Contribution,
        amount: contribution.amount,
        payer: contribution.employer.clone(),
        period: Some(contribution.period.clone()),
        created_at_ms: now_ms,
    };
    let mut tx = db.begin_write().await?;
    // One writer per account between the check and the insert (PostgreSQL; SQLite lets one
    // writer in anyway), so a contribution reported twice at once is written once.
    db.lock_in(&mut tx, &format!("contribution:{}", account.id))
        .await?;
    if accounts::contribution_exists_in(&mut tx, &operation).await? {
        return Err(ContributionError::AlreadyRecorded);
    }
    let operation_id = accounts::insert_operation_in(&mut tx, &operation).await?;
    let notified = contribution_recorded_in(
        &mut tx,
        i18n,
        depositor.id,
        operation_id,
        contribution,
        now_ms,
    )
    .await?;
    audit_in(
        &mut tx,
        &AuditEntry {
            at_ms: now_ms,
            chat_id: None,
            actor: by.to_owned(),
            action: "contribution.record".into(),
            subject: Some(iin.masked()),
            details: Some(format!(
                "operation={operation_id}; account={}; notified chats={notified}",
                contribution.account.code()
            )),
        },
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    crate::outbox::wake();
    let held = quiet::not_before_ms(OutboxKind::Contribution, now_ms);
    Ok(Recorded {
        operation_id,
        notified,
        held_until_ms: (held > now_ms && notified > 0).then_some(held),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contributions_are_for_the_previous_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(previous_month(d(2026, 3, 15)), "2026-02");
        assert_eq!(previous_month(d(2026, 1, 5)), "2025-12");
    }
}
