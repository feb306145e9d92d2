//! The registry of issued documents (statements and certificates): what `/verify NUMBER`
//! looks up. A row keeps no personal data beyond the masked IIN, and the SHA-256 of the PDF
//! that was sent, so a file shown later can be matched to what was issued.

use chrono::NaiveDate;
use sqlx::any::AnyRow;

use super::values::{Columns, date_text};
use super::{Db, StoreError};
use crate::domain::Lang;

const TABLE: &str = "issued_documents";
const COLUMNS: &str = "number, kind, depositor_id, iin_masked, period_from, period_to, \
                       issued_at_ms, sha256, lang";

/// What was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// A statement of pension accounts for a period.
    Statement,
    /// The certificate of the existence of accounts (balances on a date).
    AccountsCertificate,
    /// The certificate on mandatory occupational contributions (ОППВ).
    OppvCertificate,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Statement,
        DocumentKind::AccountsCertificate,
        DocumentKind::OppvCertificate,
    ];

    /// The stored code: `statement`, `accounts_certificate`, `oppv_certificate`.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Statement => "statement",
            DocumentKind::AccountsCertificate => "accounts_certificate",
            DocumentKind::OppvCertificate => "oppv_certificate",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One issued document. `period_to` is the day the figures are as of (a statement's last
/// day, a certificate's date); `period_from` is a statement's first day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedDocument {
    pub number: String,
    pub kind: DocumentKind,
    pub depositor_id: i64,
    pub iin_masked: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub issued_at_ms: i64,
    /// Lowercase hex SHA-256 of the PDF.
    pub sha256: String,
    pub lang: Lang,
}

fn from_row(row: &AnyRow) -> Result<IssuedDocument, StoreError> {
    let c = Columns::new(row, TABLE);
    let optional_date = |column: &'static str| -> Result<Option<NaiveDate>, StoreError> {
        match c.opt_text(column)? {
            None => Ok(None),
            Some(text) => super::values::parse_date(&text, TABLE, column).map(Some),
        }
    };
    Ok(IssuedDocument {
        number: c.text("number")?,
        kind: c.parsed("kind", |s| DocumentKind::from_code(s).ok_or(()))?,
        depositor_id: c.i64("depositor_id")?,
        iin_masked: c.text("iin_masked")?,
        period_from: optional_date("period_from")?,
        period_to: optional_date("period_to")?,
        issued_at_ms: c.i64("issued_at_ms")?,
        sha256: c.text("sha256")?,
        lang: c.parsed("lang", |s| Lang::from_code(s).ok_or(()))?,
    })
}

/// Records an issued document; `AlreadyExists` when the number is taken (draw another).
pub async fn insert(db: &Db, doc: &IssuedDocument) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO issued_documents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    );
    sqlx::query(&sql)
        .bind(&doc.number)
        .bind(doc.kind.code())
        .bind(doc.depositor_id)
        .bind(&doc.iin_masked)
        .bind(doc.period_from.map(date_text))
        .bind(doc.period_to.map(date_text))
        .bind(doc.issued_at_ms)
        .bind(&doc.sha256)
        .bind(doc.lang.code())
        .execute(db.pool())
        .await
        .map_err(|e| StoreError::from(e).unique_as("document number"))?;
    Ok(())
}

/// The document with this exact (canonical) number.
pub async fn find(db: &Db, number: &str) -> Result<Option<IssuedDocument>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM issued_documents WHERE number = $1");
    let row = sqlx::query(&sql)
        .bind(number)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The documents issued to a depositor, newest first.
pub async fn issued_to(db: &Db, depositor_id: i64) -> Result<Vec<IssuedDocument>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM issued_documents WHERE depositor_id = $1 \
         ORDER BY issued_at_ms DESC, number"
    );
    let rows = sqlx::query(&sql)
        .bind(depositor_id)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(DocumentKind::from_code("Statement"), None);
    }
}
