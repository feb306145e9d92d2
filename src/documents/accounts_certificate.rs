//! The certificate of the existence of pension accounts (memo service 3): each account, the
//! date it was opened and its balance at the end of a given day.

use chrono::NaiveDate;

use super::fonts::Fonts;
use super::format;
use super::layout::{Align, Column, Row, Table};
use super::pdf::PdfError;
use super::render::{self, Head, Texts};
use crate::domain::Money;
use crate::i18n::{I18n, Msg};
use crate::store::accounts::AccountKind;

/// One account as the certificate lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountBalanceLine {
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    /// At the end of the certificate's date.
    pub balance: Money,
}

#[derive(Debug, Clone, Copy)]
pub struct AccountsCertificateDocument<'a> {
    pub head: Head<'a>,
    /// The day the balances are given for (at its end).
    pub on: NaiveDate,
    pub accounts: &'a [AccountBalanceLine],
}

pub fn render(
    i18n: &I18n,
    fonts: &Fonts,
    doc: &AccountsCertificateDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    let texts = Texts::new(i18n, doc.head.lang);
    let on = format::date(doc.on);
    let mut flow = render::start(fonts, &texts, &doc.head);
    flow.label_value(&texts.get("doc-balance-date"), &on);
    flow.gap(10.0);
    if doc.accounts.is_empty() {
        render::note(&mut flow, &texts.get("doc-no-accounts"));
    } else {
        render::note(
            &mut flow,
            &texts.render(&Msg::new("doc-accounts-certificate-intro").text("date", on.clone())),
        );
        flow.gap(8.0);
        let column = |title: String, width: f32, align: Align| Column {
            title,
            width,
            align,
        };
        flow.table(&Table {
            columns: vec![
                column(texts.get("doc-col-account"), 5.0, Align::Left),
                column(texts.get("doc-col-opened"), 1.6, Align::Left),
                column(
                    texts.render(&Msg::new("doc-col-balance").text("date", on)),
                    2.0,
                    Align::Right,
                ),
            ],
            rows: doc
                .accounts
                .iter()
                .map(|a| {
                    Row::plain(vec![
                        texts.account(a.kind),
                        format::date(a.opened_on),
                        texts.money(a.balance),
                    ])
                })
                .collect(),
            continued: None,
        });
    }
    render::finish(
        flow,
        fonts,
        &texts,
        &doc.head,
        "doc-accounts-certificate-title",
    )
}
