//! The statement of pension accounts as a PDF: the depositor, the period and, per account,
//! the opening balance, every operation of the period, totals per kind and the closing
//! balance. A period without operations still gives a complete document that says so.

use chrono::NaiveDate;

use super::fonts::{Fonts, Style};
use super::format;
use super::layout::{Align, Column, Flow, Row, TEXT_SIZE, Table};
use super::pdf::PdfError;
use super::render::{self, Head, Texts};
use super::statement::AccountStatement;
use crate::i18n::{I18n, Msg};
use crate::store::accounts::AccountKind;

/// Everything a statement shows.
#[derive(Debug, Clone, Copy)]
pub struct StatementDocument<'a> {
    pub head: Head<'a>,
    /// The account asked for, or `None` for all of them.
    pub scope: Option<AccountKind>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub accounts: &'a [AccountStatement],
}

/// Room a new account section needs on the page before it starts: its heading, the opening
/// line, the table header and a first row.
const SECTION_KEEP: f32 = 60.0;
/// Room the totals need before their heading: the heading, the table header and a row.
const TOTALS_KEEP: f32 = 45.0;

pub fn render(
    i18n: &I18n,
    fonts: &Fonts,
    doc: &StatementDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    let texts = Texts::new(i18n, doc.head.lang);
    let mut flow = render::start(fonts, &texts, &doc.head);
    flow.label_value(
        &texts.get("doc-period"),
        &texts.render(
            &Msg::new("doc-period-value")
                .text("from", format::date(doc.from))
                .text("to", format::date(doc.to)),
        ),
    );
    let scope = match doc.scope {
        Some(kind) => texts.account(kind),
        None => texts.get("doc-accounts-all"),
    };
    flow.label_value(&texts.get("doc-accounts"), &scope);
    flow.gap(4.0);
    render::note(&mut flow, &texts.get("doc-amounts-note"));

    if doc.accounts.is_empty() {
        flow.gap(10.0);
        render::note(&mut flow, &texts.get("doc-no-accounts"));
    }
    for account in doc.accounts {
        account_section(&mut flow, &texts, account);
    }
    render::finish(flow, fonts, &texts, &doc.head, "doc-statement-title")
}

fn account_section(flow: &mut Flow<'_>, texts: &Texts<'_>, account: &AccountStatement) {
    let name = texts.account(account.kind);
    let opened =
        texts.render(&Msg::new("doc-account-opened").text("date", format::date(account.opened_on)));
    render::heading(flow, &format!("{name} — {opened}"), SECTION_KEEP);
    flow.label_value(
        &texts.render(&Msg::new("doc-opening").text("date", format::date(account.from))),
        &texts.money(account.opening),
    );
    flow.gap(4.0);

    if account.operations.is_empty() {
        render::note(flow, &texts.get("doc-no-operations"));
    } else {
        flow.table(&operations_table(texts, account, &name));
        flow.gap(8.0);
        // The totals' heading stays with the totals table's header and first row.
        flow.keep(TOTALS_KEEP);
        flow.paragraph(&texts.get("doc-totals"), Style::Bold, TEXT_SIZE);
        flow.gap(2.0);
        flow.table(&totals_table(texts, account));
    }
    flow.gap(6.0);
    flow.label_value(
        &texts.render(&Msg::new("doc-closing").text("date", format::date(account.to))),
        &texts.money(account.closing),
    );
}

fn operations_table(texts: &Texts<'_>, account: &AccountStatement, name: &str) -> Table {
    let column = |key: &str, width: f32, align: Align| Column {
        title: texts.get(key),
        width,
        align,
    };
    Table {
        columns: vec![
            column("doc-col-date", 62.0, Align::Left),
            column("doc-col-operation", 112.0, Align::Left),
            column("doc-col-payer", 152.0, Align::Left),
            column("doc-col-period", 58.0, Align::Left),
            column("doc-col-amount", 88.0, Align::Right),
        ],
        rows: account
            .operations
            .iter()
            .map(|op| {
                Row::plain(vec![
                    format::date(op.op_date),
                    texts.operation(op.kind),
                    op.payer.clone().unwrap_or_default(),
                    op.period.as_deref().map(format::period).unwrap_or_default(),
                    texts.money(op.amount),
                ])
            })
            .collect(),
        continued: Some(texts.render(&Msg::new("doc-continued").text("account", name))),
    }
}

fn totals_table(texts: &Texts<'_>, account: &AccountStatement) -> Table {
    let mut rows: Vec<Row> = account
        .totals
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| {
            Row::plain(vec![
                texts.operation(t.kind),
                t.count.to_string(),
                texts.money(t.sum),
            ])
        })
        .collect();
    let net = account
        .closing
        .checked_sub(account.opening)
        .map(|m| texts.money(m))
        .unwrap_or_else(|| "—".to_owned());
    rows.push(Row {
        cells: vec![
            texts.get("doc-net-change"),
            account.operations.len().to_string(),
            net,
        ],
        emphasis: true,
    });
    let column = |key: &str, width: f32, align: Align| Column {
        title: texts.get(key),
        width,
        align,
    };
    Table {
        columns: vec![
            column("doc-col-kind", 3.0, Align::Left),
            column("doc-col-count", 1.0, Align::Right),
            column("doc-col-amount", 1.6, Align::Right),
        ],
        rows,
        continued: None,
    }
}
