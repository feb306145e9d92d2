//! Statements and certificates as PDF documents: the figures (`statement`, the ОППВ months in
//! `oppv_certificate`), their layout on A4 pages with embedded DejaVu fonts (`layout`, `pdf`,
//! `fonts`), one renderer per kind of document, and the unguessable numbers printed on every
//! page (`number`). Pure: no database, no clock; `services::documents` gathers the data,
//! records what was issued and answers `/verify`.

pub mod accounts_certificate;
mod fonts;
pub mod format;
mod layout;
pub mod number;
pub mod oppv_certificate;
mod pdf;
pub mod render;
pub mod statement;
pub mod statement_pdf;

pub use fonts::FontError;
pub use pdf::PdfError;
pub use render::Head;

use crate::i18n::I18n;
use crate::store::documents::DocumentKind;

/// The name the PDF is sent under: ASCII, so every client shows and saves it as is.
pub fn file_name(kind: DocumentKind, number: &str) -> String {
    let what = match kind {
        DocumentKind::Statement => "statement",
        DocumentKind::AccountsCertificate => "accounts-certificate",
        DocumentKind::OppvCertificate => "oppv-certificate",
    };
    format!("enpf-{what}-{number}.pdf")
}

/// A statement as PDF bytes.
pub fn statement_pdf(
    i18n: &I18n,
    doc: &statement_pdf::StatementDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    statement_pdf::render(i18n, fonts::fonts()?, doc)
}

/// The certificate of the existence of accounts as PDF bytes.
pub fn accounts_certificate_pdf(
    i18n: &I18n,
    doc: &accounts_certificate::AccountsCertificateDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    accounts_certificate::render(i18n, fonts::fonts()?, doc)
}

/// The ОППВ certificate as PDF bytes.
pub fn oppv_certificate_pdf(
    i18n: &I18n,
    doc: &oppv_certificate::OppvCertificateDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    oppv_certificate::render(i18n, fonts::fonts()?, doc)
}
