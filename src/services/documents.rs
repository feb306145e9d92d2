//! Statements and certificates for the depositor of a session (memo services 1 and 3): gathers
//! that depositor's figures, renders the PDF (on the blocking pool: it is CPU work), records
//! the document in the registry under a fresh random number, and answers `/verify NUMBER`.
//!
//! Every read is scoped by the `depositor_id` the caller got from the chat's session: the
//! accounts are `accounts_of(depositor_id)`, and operations are read only for those accounts.
//! Errors name no personal data (no IIN, no name, no amount), so they are safe to log.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::clock::SharedClock;
use crate::documents::accounts_certificate::{AccountBalanceLine, AccountsCertificateDocument};
use crate::documents::number::{self, RandomUnavailable};
use crate::documents::oppv_certificate::{self, OppvCertificateDocument, OppvMonth};
use crate::documents::render::{Head, account_short_key};
use crate::documents::statement::{self, AccountStatement, StatementError};
use crate::documents::statement_pdf::StatementDocument;
use crate::documents::{self, PdfError, format};
use crate::domain::{Lang, Money};
use crate::i18n::{I18n, Msg};
use crate::store::accounts::{self, Account};
use crate::store::depositors::{self, Depositor};
use crate::store::documents::{self as registry, IssuedDocument};
use crate::store::{Db, StoreError};

pub use crate::store::accounts::AccountKind;
pub use crate::store::documents::DocumentKind;

/// How many fresh numbers to try when one is taken (with 50 random bits, a second try
/// practically never happens).
const NUMBER_ATTEMPTS: u32 = 4;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("records unavailable: {0}")]
    Store(#[from] StoreError),
    #[error("no such depositor")]
    UnknownDepositor,
    /// A statement of one account kind the depositor does not have.
    #[error("the depositor has no {} account", .0.code())]
    NoSuchAccount(AccountKind),
    /// The ОППВ certificate for a depositor without an occupational account.
    #[error("the depositor has no occupational (oppv) account")]
    NoOppvAccount,
    /// The period ends before it starts, or ends after today (Kazakhstan time).
    #[error("the period ends before it starts or after today")]
    InvalidPeriod,
    #[error("an amount in the records does not fit in 64 bits")]
    Overflow,
    #[error("the document could not be rendered: {0}")]
    Render(#[from] PdfError),
    #[error("{0}")]
    Random(#[from] RandomUnavailable),
    #[error("no free document number after {NUMBER_ATTEMPTS} attempts")]
    NumbersExhausted,
    #[error("the rendering task did not finish")]
    RenderTask,
}

impl From<StatementError> for DocumentError {
    fn from(e: StatementError) -> Self {
        match e {
            StatementError::InvalidPeriod => DocumentError::InvalidPeriod,
            StatementError::Overflow => DocumentError::Overflow,
        }
    }
}

pub type Result<T, E = DocumentError> = std::result::Result<T, E>;

/// An issued document: send `pdf` as `file_name` (with `protect_content`) and a summary text.
#[derive(Debug, Clone)]
pub struct Issued<S> {
    pub number: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub pdf: Vec<u8>,
    /// Lowercase hex SHA-256 of `pdf`, as recorded.
    pub sha256: String,
    pub summary: S,
}

/// One account of a statement in figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountSummary {
    pub kind: AccountKind,
    pub opening: Money,
    pub closing: Money,
    /// The sum of the period's positive operations.
    pub inflow: Money,
    /// The sum of the period's negative operations (zero or negative).
    pub outflow: Money,
    pub operations: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementSummary {
    pub number: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub accounts: Vec<AccountSummary>,
}

impl StatementSummary {
    /// The short text sent with the PDF.
    pub fn message(&self) -> Msg {
        if self.accounts.is_empty() {
            return Msg::new("doc-summary-no-accounts");
        }
        let lines = self
            .accounts
            .iter()
            .map(|a| {
                Msg::new("doc-summary-account")
                    .msg("account", Msg::new(account_short_key(a.kind)))
                    .money("opening", a.opening)
                    .money("closing", a.closing)
                    .money("inflow", a.inflow)
                    // "Paid out" reads as an amount; the sign is already in the word.
                    .money(
                        "outflow",
                        a.outflow
                            .checked_neg()
                            .filter(|m| !m.is_negative())
                            .unwrap_or(a.outflow),
                    )
            })
            .collect();
        Msg::new("doc-summary-statement")
            .text("number", self.number.clone())
            .text("from", format::date(self.from))
            .text("to", format::date(self.to))
            .list("accounts", lines)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountsCertificateSummary {
    pub number: String,
    pub on: NaiveDate,
    pub accounts: Vec<AccountBalanceLine>,
}

impl AccountsCertificateSummary {
    pub fn message(&self) -> Msg {
        if self.accounts.is_empty() {
            return Msg::new("doc-summary-no-accounts");
        }
        let lines = self
            .accounts
            .iter()
            .map(|a| {
                Msg::new("doc-summary-balance")
                    .msg("account", Msg::new(account_short_key(a.kind)))
                    .money("balance", a.balance)
                    .text("opened", format::date(a.opened_on))
            })
            .collect();
        Msg::new("doc-summary-accounts-certificate")
            .text("number", self.number.clone())
            .text("date", format::date(self.on))
            .list("accounts", lines)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OppvSummary {
    pub number: String,
    pub as_of: NaiveDate,
    /// Months with occupational contributions.
    pub months: usize,
    pub total: Money,
    pub balance: Money,
}

impl OppvSummary {
    pub fn message(&self) -> Msg {
        Msg::new("doc-summary-oppv")
            .text("number", self.number.clone())
            .number("months", i64::try_from(self.months).unwrap_or(i64::MAX))
            .money("total", self.total)
    }
}

/// What the registry says about a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub number: String,
    pub kind: DocumentKind,
    pub iin_masked: String,
    pub issued_at_ms: i64,
    /// A statement's first day.
    pub period_from: Option<NaiveDate>,
    /// A statement's last day, or the day a certificate's figures are as of.
    pub period_to: Option<NaiveDate>,
    pub lang: Lang,
    pub sha256: String,
}

impl Verified {
    /// "Document … is genuine: a statement for …, issued … to IIN ********0123."
    pub fn message(&self) -> Msg {
        let kind = match self.kind {
            DocumentKind::Statement => "doc-kind-statement",
            DocumentKind::AccountsCertificate => "doc-kind-accounts-certificate",
            DocumentKind::OppvCertificate => "doc-kind-oppv-certificate",
        };
        let issued = DateTime::<Utc>::from_timestamp_millis(self.issued_at_ms)
            .map(format::kazakhstan_time)
            .unwrap_or_default();
        let msg = match (self.kind, self.period_from, self.period_to) {
            (DocumentKind::Statement, Some(from), Some(to)) => Msg::new("doc-verify-found-period")
                .text("from", format::date(from))
                .text("to", format::date(to)),
            (DocumentKind::AccountsCertificate, _, Some(on)) => {
                Msg::new("doc-verify-found-on").text("date", format::date(on))
            }
            _ => Msg::new("doc-verify-found"),
        };
        msg.text("number", self.number.clone())
            .msg("kind", Msg::new(kind))
            .text("issued", issued)
            .text("iin", self.iin_masked.clone())
    }
}

impl From<IssuedDocument> for Verified {
    fn from(d: IssuedDocument) -> Self {
        Verified {
            number: d.number,
            kind: d.kind,
            iin_masked: d.iin_masked,
            issued_at_ms: d.issued_at_ms,
            period_from: d.period_from,
            period_to: d.period_to,
            lang: d.lang,
            sha256: d.sha256,
        }
    }
}

/// Renders a document for a given number (called again if the number turns out taken).
type Renderer = Arc<dyn Fn(&I18n, &str) -> Result<Vec<u8>, PdfError> + Send + Sync>;

/// The service; cheap to clone.
#[derive(Clone)]
pub struct DocumentService {
    db: Db,
    clock: SharedClock,
    i18n: Arc<I18n>,
}

impl DocumentService {
    pub fn new(db: Db, clock: SharedClock, i18n: Arc<I18n>) -> DocumentService {
        DocumentService { db, clock, i18n }
    }

    /// A statement of the depositor's accounts (all, or the one of `kind`) for `from..=to`.
    pub async fn issue_statement(
        &self,
        depositor_id: i64,
        kind: Option<AccountKind>,
        from: NaiveDate,
        to: NaiveDate,
        lang: Lang,
    ) -> Result<Issued<StatementSummary>> {
        let now = self.clock.now();
        if from > to || to > format::kazakhstan_date(now) {
            return Err(DocumentError::InvalidPeriod);
        }
        let depositor = self.depositor(depositor_id).await?;
        let mut chosen = accounts::accounts_of(&self.db, depositor_id).await?;
        if let Some(kind) = kind {
            chosen.retain(|a| a.kind == kind);
            if chosen.is_empty() {
                return Err(DocumentError::NoSuchAccount(kind));
            }
        }
        let mut statements = Vec::with_capacity(chosen.len());
        for account in &chosen {
            let operations = self.operations_of(account, Some(to)).await?;
            statements.push(statement::build(
                account.kind,
                account.opened_on,
                &operations,
                from,
                to,
            )?);
        }
        let accounts = statements.iter().map(account_summary).collect();

        let name = full_name(&depositor);
        let iin_masked = depositor.iin.masked();
        let iin_for_pdf = iin_masked.clone();
        let renderer: Renderer = Arc::new(move |i18n: &I18n, number: &str| {
            documents::statement_pdf(
                i18n,
                &StatementDocument {
                    head: head(lang, number, &name, &iin_for_pdf, now),
                    scope: kind,
                    from,
                    to,
                    accounts: &statements,
                },
            )
        });
        let record = Record {
            kind: DocumentKind::Statement,
            depositor_id,
            iin_masked,
            period_from: Some(from),
            period_to: Some(to),
            lang,
            issued_at: now,
        };
        let (number, pdf, sha256) = self.issue(record, renderer).await?;
        Ok(Issued {
            file_name: documents::file_name(DocumentKind::Statement, &number),
            kind: DocumentKind::Statement,
            summary: StatementSummary {
                number: number.clone(),
                from,
                to,
                accounts,
            },
            number,
            pdf,
            sha256,
        })
    }

    /// The certificate of the existence of accounts with balances at the end of `on`.
    pub async fn issue_accounts_certificate(
        &self,
        depositor_id: i64,
        on: NaiveDate,
        lang: Lang,
    ) -> Result<Issued<AccountsCertificateSummary>> {
        let now = self.clock.now();
        if on > format::kazakhstan_date(now) {
            return Err(DocumentError::InvalidPeriod);
        }
        let depositor = self.depositor(depositor_id).await?;
        let mut lines = Vec::new();
        for account in accounts::accounts_of(&self.db, depositor_id).await? {
            // An account opened after the date did not exist on it.
            if account.opened_on > on {
                continue;
            }
            lines.push(AccountBalanceLine {
                kind: account.kind,
                opened_on: account.opened_on,
                balance: accounts::balance(&self.db, account.id, on).await?,
            });
        }
        let name = full_name(&depositor);
        let iin_masked = depositor.iin.masked();
        let iin_for_pdf = iin_masked.clone();
        let for_pdf = lines.clone();
        let renderer: Renderer = Arc::new(move |i18n: &I18n, number: &str| {
            documents::accounts_certificate_pdf(
                i18n,
                &AccountsCertificateDocument {
                    head: head(lang, number, &name, &iin_for_pdf, now),
                    on,
                    accounts: &for_pdf,
                },
            )
        });
        let record = Record {
            kind: DocumentKind::AccountsCertificate,
            depositor_id,
            iin_masked,
            period_from: None,
            period_to: Some(on),
            lang,
            issued_at: now,
        };
        let (number, pdf, sha256) = self.issue(record, renderer).await?;
        Ok(Issued {
            file_name: documents::file_name(DocumentKind::AccountsCertificate, &number),
            kind: DocumentKind::AccountsCertificate,
            summary: AccountsCertificateSummary {
                number: number.clone(),
                on,
                accounts: lines,
            },
            number,
            pdf,
            sha256,
        })
    }

    /// The certificate on occupational contributions (ОППВ) up to today;
    /// [`DocumentError::NoOppvAccount`] when the depositor has no such account.
    pub async fn issue_oppv_certificate(
        &self,
        depositor_id: i64,
        lang: Lang,
    ) -> Result<Issued<OppvSummary>> {
        let now = self.clock.now();
        let as_of = format::kazakhstan_date(now);
        let depositor = self.depositor(depositor_id).await?;
        let account = accounts::accounts_of(&self.db, depositor_id)
            .await?
            .into_iter()
            .find(|a| a.kind == AccountKind::Oppv)
            .ok_or(DocumentError::NoOppvAccount)?;
        let operations = self.operations_of(&account, Some(as_of)).await?;
        let months: Vec<OppvMonth> =
            oppv_certificate::months(&operations).ok_or(DocumentError::Overflow)?;
        let total =
            Money::checked_sum(months.iter().map(|m| m.amount)).ok_or(DocumentError::Overflow)?;
        let balance = Money::checked_sum(operations.iter().map(|op| op.amount))
            .ok_or(DocumentError::Overflow)?;
        let summary_months = months.len();

        let name = full_name(&depositor);
        let iin_masked = depositor.iin.masked();
        let iin_for_pdf = iin_masked.clone();
        let opened_on = account.opened_on;
        let renderer: Renderer = Arc::new(move |i18n: &I18n, number: &str| {
            documents::oppv_certificate_pdf(
                i18n,
                &OppvCertificateDocument {
                    head: head(lang, number, &name, &iin_for_pdf, now),
                    as_of,
                    opened_on,
                    months: &months,
                    total,
                    balance,
                },
            )
        });
        let record = Record {
            kind: DocumentKind::OppvCertificate,
            depositor_id,
            iin_masked,
            period_from: None,
            period_to: Some(as_of),
            lang,
            issued_at: now,
        };
        let (number, pdf, sha256) = self.issue(record, renderer).await?;
        Ok(Issued {
            file_name: documents::file_name(DocumentKind::OppvCertificate, &number),
            kind: DocumentKind::OppvCertificate,
            summary: OppvSummary {
                number: number.clone(),
                as_of,
                months: summary_months,
                total,
                balance,
            },
            number,
            pdf,
            sha256,
        })
    }

    /// Looks a typed number up. Case, spaces, dashes and look-alike letters are forgiven; a
    /// malformed number or one whose check symbol is wrong (a typo) is `None` without asking
    /// the database, as is a well-formed number that was never issued.
    pub async fn verify(&self, typed: &str) -> Result<Option<Verified>> {
        let Some(number) = number::normalize(typed) else {
            return Ok(None);
        };
        Ok(registry::find(&self.db, &number).await?.map(Verified::from))
    }

    /// The answer to `/verify …`: genuine (with kind, masked IIN, period and issue time), never
    /// issued, or not a document number at all.
    pub async fn verify_reply(&self, typed: &str) -> Result<Msg> {
        let Some(number) = number::normalize(typed) else {
            return Ok(Msg::new("doc-verify-malformed"));
        };
        Ok(match registry::find(&self.db, &number).await? {
            Some(found) => Verified::from(found).message(),
            None => Msg::new("doc-verify-unknown").text("number", number),
        })
    }

    async fn depositor(&self, depositor_id: i64) -> Result<Depositor> {
        depositors::find_by_id(&self.db, depositor_id)
            .await?
            .ok_or(DocumentError::UnknownDepositor)
    }

    async fn operations_of(
        &self,
        account: &Account,
        to: Option<NaiveDate>,
    ) -> Result<Vec<accounts::Operation>> {
        Ok(accounts::operations(&self.db, account.id, None, to).await?)
    }

    /// Draws a number, renders the PDF with it and records it; a taken number (practically
    /// impossible) is replaced and the PDF rendered again.
    async fn issue(&self, record: Record, render: Renderer) -> Result<(String, Vec<u8>, String)> {
        for _ in 0..NUMBER_ATTEMPTS {
            let number = number::generate()?;
            let i18n = Arc::clone(&self.i18n);
            let render = Arc::clone(&render);
            let for_render = number.clone();
            let pdf = tokio::task::spawn_blocking(move || render(&i18n, &for_render))
                .await
                .map_err(|_| DocumentError::RenderTask)??;
            let sha256 = hex::encode(Sha256::digest(&pdf));
            let row = IssuedDocument {
                number: number.clone(),
                kind: record.kind,
                depositor_id: record.depositor_id,
                iin_masked: record.iin_masked.clone(),
                period_from: record.period_from,
                period_to: record.period_to,
                issued_at_ms: record.issued_at.timestamp_millis(),
                sha256: sha256.clone(),
                lang: record.lang,
            };
            match registry::insert(&self.db, &row).await {
                Ok(()) => {
                    tracing::info!(
                        kind = record.kind.code(),
                        subject = %record.iin_masked,
                        bytes = pdf.len(),
                        "document issued"
                    );
                    return Ok((number, pdf, sha256));
                }
                Err(e) if e.is_unique_violation() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(DocumentError::NumbersExhausted)
    }
}

/// What the registry keeps about a document being issued.
struct Record {
    kind: DocumentKind,
    depositor_id: i64,
    iin_masked: String,
    period_from: Option<NaiveDate>,
    period_to: Option<NaiveDate>,
    lang: Lang,
    issued_at: DateTime<Utc>,
}

fn head<'a>(
    lang: Lang,
    number: &'a str,
    name: &'a str,
    iin_masked: &'a str,
    generated_at: DateTime<Utc>,
) -> Head<'a> {
    Head {
        lang,
        number,
        depositor_name: name,
        iin_masked,
        generated_at,
    }
}

fn full_name(d: &Depositor) -> String {
    match &d.patronymic {
        Some(p) => format!("{} {} {p}", d.last_name, d.first_name),
        None => format!("{} {}", d.last_name, d.first_name),
    }
}

fn account_summary(s: &AccountStatement) -> AccountSummary {
    AccountSummary {
        kind: s.kind,
        opening: s.opening,
        closing: s.closing,
        inflow: s.inflow(),
        outflow: s.outflow(),
        operations: s.operations.len(),
    }
}

impl DocumentService {
    /// Records in the audit log that this chat was sent document `number` of this depositor
    /// (the registry says what was issued; the audit says where it went), and tells the
    /// depositor's other chats that it was issued.
    pub async fn audit_delivery(
        &self,
        chat_id: i64,
        depositor_id: i64,
        number: &str,
    ) -> Result<()> {
        let depositor = self.depositor(depositor_id).await?;
        let kind = registry::find(&self.db, number).await?.map(|d| d.kind);
        let now_ms = self.clock.now().timestamp_millis();
        let mut tx = self.db.begin_write().await?;
        crate::store::staff::audit_in(
            &mut tx,
            &crate::store::audit::AuditEntry {
                at_ms: now_ms,
                chat_id: Some(chat_id),
                actor: "depositor".into(),
                action: "document_sent".into(),
                subject: Some(depositor.iin.masked()),
                details: Some(format!("number={number}")),
            },
        )
        .await?;
        // The depositor's other chats learn that a document was issued for their accounts
        // (in the same transaction as the record of its delivery).
        if let Some(kind) = kind {
            crate::services::notifications::document_issued_in(
                &mut tx,
                &self.i18n,
                depositor_id,
                kind,
                number,
                chat_id,
                now_ms,
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        crate::outbox::wake();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_no_personal_data() {
        let shown = [
            DocumentError::NoSuchAccount(AccountKind::Dpv).to_string(),
            DocumentError::NoOppvAccount.to_string(),
            DocumentError::InvalidPeriod.to_string(),
        ];
        assert!(shown[0].contains("dpv"));
        for text in shown {
            assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
        }
    }
}
