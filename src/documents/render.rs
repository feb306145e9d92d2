//! What every document shares: its texts in the reader's language, the block naming the
//! depositor, and the page frame (fund, title, number, generation time, page N of M, how to
//! check the number) drawn once the page count is known.

use chrono::{DateTime, Utc};

use super::fonts::{Fonts, Style};
use super::format;
use super::layout::{Flow, Frame, HEADING_SIZE, TEXT_SIZE};
use super::pdf::{self, Meta, PdfError};
use crate::domain::{Lang, Money};
use crate::i18n::{I18n, Msg};
use crate::store::accounts::{AccountKind, OperationKind};

/// Who and what a document is about, common to every kind.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub lang: Lang,
    /// The registry number, printed on every page.
    pub number: &'a str,
    pub depositor_name: &'a str,
    /// Already masked (`********0123`): the birth date never reaches a document.
    pub iin_masked: &'a str,
    pub generated_at: DateTime<Utc>,
}

/// Texts of one language.
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    i18n: &'a I18n,
    pub lang: Lang,
}

impl<'a> Texts<'a> {
    pub fn new(i18n: &'a I18n, lang: Lang) -> Texts<'a> {
        Texts { i18n, lang }
    }

    pub fn get(&self, key: &str) -> String {
        self.i18n.get(self.lang, key)
    }

    pub fn render(&self, msg: &Msg) -> String {
        self.i18n.render(self.lang, msg)
    }

    pub fn money(&self, amount: Money) -> String {
        amount.format(self.lang)
    }

    pub fn account(&self, kind: AccountKind) -> String {
        self.get(account_key(kind))
    }

    pub fn account_short(&self, kind: AccountKind) -> String {
        self.get(account_short_key(kind))
    }

    pub fn operation(&self, kind: OperationKind) -> String {
        self.get(operation_key(kind))
    }
}

pub fn account_key(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Opv => "doc-account-opv",
        AccountKind::Oppv => "doc-account-oppv",
        AccountKind::Opvr => "doc-account-opvr",
        AccountKind::Dpv => "doc-account-dpv",
    }
}

pub fn account_short_key(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Opv => "doc-account-short-opv",
        AccountKind::Oppv => "doc-account-short-oppv",
        AccountKind::Opvr => "doc-account-short-opvr",
        AccountKind::Dpv => "doc-account-short-dpv",
    }
}

pub fn operation_key(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::Contribution => "doc-op-contribution",
        OperationKind::InvestmentIncome => "doc-op-investment-income",
        OperationKind::Payout => "doc-op-payout",
        OperationKind::Transfer => "doc-op-transfer",
        OperationKind::Fee => "doc-op-fee",
    }
}

/// A flow whose first page starts with the depositor's name and masked IIN.
pub fn start<'f>(fonts: &'f Fonts, texts: &Texts<'_>, head: &Head<'_>) -> Flow<'f> {
    let mut flow = Flow::new(fonts);
    flow.label_value(&texts.get("doc-depositor"), head.depositor_name);
    flow.label_value(&texts.get("doc-iin"), head.iin_masked);
    flow
}

/// A heading in bold, kept on the page with at least `keep_with` points of what follows.
pub fn heading(flow: &mut Flow<'_>, text: &str, keep_with: f32) {
    flow.gap(10.0);
    flow.keep(Flow::line_height(HEADING_SIZE) + keep_with);
    flow.paragraph(text, Style::Bold, HEADING_SIZE);
    flow.gap(3.0);
}

pub fn note(flow: &mut Flow<'_>, text: &str) {
    flow.paragraph(text, Style::Regular, TEXT_SIZE);
}

/// Frames the pages and writes the PDF.
pub fn finish(
    flow: Flow<'_>,
    fonts: &Fonts,
    texts: &Texts<'_>,
    head: &Head<'_>,
    title_key: &str,
) -> Result<Vec<u8>, PdfError> {
    let title = texts.get(title_key);
    let page_label = |page: usize, pages: usize| {
        texts.render(
            &Msg::new("doc-page")
                .number("page", page as i64)
                .number("pages", pages as i64),
        )
    };
    let frame = Frame {
        fund: texts.get("doc-fund-name"),
        title: title.clone(),
        number_line: texts.render(&Msg::new("doc-number").text("number", head.number)),
        generated: texts.render(
            &Msg::new("doc-generated").text("time", format::kazakhstan_time(head.generated_at)),
        ),
        verify_hint: texts.render(&Msg::new("doc-verify-hint").text("number", head.number)),
        page_label: &page_label,
    };
    let pages = flow.finish(&frame);
    let meta = Meta {
        title: format!(
            "{} · {} · {}",
            texts.get("doc-fund-short"),
            title,
            head.number
        ),
        lang: head.lang.code(),
        created: head.generated_at,
    };
    pdf::write(&pages, &meta, fonts)
}
