//! The certificate on mandatory occupational pension contributions (ОППВ, memo service 3):
//! the months contributions were paid for, with amounts, and their total. The month count is
//! what the occupational payout rule (84 months) looks at.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::fonts::Fonts;
use super::format;
use super::layout::{Align, Column, Flow, Row, TEXT_SIZE, Table};
use super::pdf::PdfError;
use super::render::{self, Head, Texts};
use crate::domain::Money;
use crate::i18n::{I18n, Msg};
use crate::store::accounts::{AccountKind, Operation, OperationKind};

/// The contributions for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OppvMonth {
    /// `YYYY-MM`.
    pub period: String,
    /// The payers, in the order first seen, joined by `, `.
    pub payers: String,
    /// The day the last contribution for the month was credited.
    pub credited_on: NaiveDate,
    pub amount: Money,
}

/// The account's contributions grouped by the month they are for (a contribution without a
/// period counts for the month it was credited in), oldest first. `None` on overflow.
pub fn months(operations: &[Operation]) -> Option<Vec<OppvMonth>> {
    let mut by_period: BTreeMap<String, OppvMonth> = BTreeMap::new();
    for op in operations
        .iter()
        .filter(|op| op.kind == OperationKind::Contribution)
    {
        let period = op
            .period
            .clone()
            .unwrap_or_else(|| format!("{:04}-{:02}", op.op_date.year(), op.op_date.month()));
        let entry = by_period.entry(period.clone()).or_insert(OppvMonth {
            period,
            payers: String::new(),
            credited_on: op.op_date,
            amount: Money::ZERO,
        });
        entry.amount = entry.amount.checked_add(op.amount)?;
        entry.credited_on = entry.credited_on.max(op.op_date);
        if let Some(payer) = op.payer.as_deref().filter(|p| !p.is_empty())
            && !entry.payers.split(", ").any(|p| p == payer)
        {
            if !entry.payers.is_empty() {
                entry.payers.push_str(", ");
            }
            entry.payers.push_str(payer);
        }
    }
    Some(by_period.into_values().collect())
}

#[derive(Debug, Clone, Copy)]
pub struct OppvCertificateDocument<'a> {
    pub head: Head<'a>,
    /// The figures are as of the end of this day.
    pub as_of: NaiveDate,
    pub opened_on: NaiveDate,
    pub months: &'a [OppvMonth],
    pub total: Money,
    /// The account's balance (contributions plus investment income, less payouts).
    pub balance: Money,
}

pub fn render(
    i18n: &I18n,
    fonts: &Fonts,
    doc: &OppvCertificateDocument<'_>,
) -> Result<Vec<u8>, PdfError> {
    let texts = Texts::new(i18n, doc.head.lang);
    let mut flow = render::start(fonts, &texts, &doc.head);
    flow.label_value(&texts.get("doc-oppv-opened"), &format::date(doc.opened_on));
    flow.gap(10.0);
    render::note(
        &mut flow,
        &texts
            .render(&Msg::new("doc-oppv-certificate-intro").text("date", format::date(doc.as_of))),
    );
    flow.gap(8.0);
    if doc.months.is_empty() {
        render::note(&mut flow, &texts.get("doc-oppv-none"));
    } else {
        let column = |key: &str, width: f32, align: Align| Column {
            title: texts.get(key),
            width,
            align,
        };
        let mut rows: Vec<Row> = doc
            .months
            .iter()
            .map(|m| {
                Row::plain(vec![
                    format::period(&m.period),
                    m.payers.clone(),
                    format::date(m.credited_on),
                    texts.money(m.amount),
                ])
            })
            .collect();
        rows.push(Row {
            cells: vec![
                texts.get("doc-oppv-total"),
                String::new(),
                String::new(),
                texts.money(doc.total),
            ],
            emphasis: true,
        });
        flow.table(&Table {
            columns: vec![
                column("doc-col-month", 1.0, Align::Left),
                column("doc-col-payer", 3.6, Align::Left),
                column("doc-col-credited", 1.3, Align::Left),
                column("doc-col-amount", 1.6, Align::Right),
            ],
            rows,
            continued: Some(texts.render(
                &Msg::new("doc-continued").text("account", texts.account_short(AccountKind::Oppv)),
            )),
        });
    }
    flow.gap(8.0);
    flow.keep(3.0 * Flow::line_height(TEXT_SIZE));
    flow.label_value(&texts.get("doc-oppv-months"), &doc.months.len().to_string());
    flow.label_value(&texts.get("doc-oppv-total"), &texts.money(doc.total));
    flow.label_value(&texts.get("doc-oppv-balance"), &texts.money(doc.balance));
    render::finish(flow, fonts, &texts, &doc.head, "doc-oppv-certificate-title")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(
        date: (i32, u32, u32),
        kind: OperationKind,
        tiyn: i64,
        payer: &str,
        period: Option<&str>,
    ) -> Operation {
        Operation {
            id: 0,
            account_id: 1,
            op_date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
            kind,
            amount: Money::from_tiyn(tiyn),
            payer: Some(payer.to_owned()),
            period: period.map(str::to_owned),
        }
    }

    #[test]
    fn contributions_group_by_the_month_they_are_for() {
        let ops = vec![
            op(
                (2024, 2, 10),
                OperationKind::Contribution,
                100,
                "A",
                Some("2024-01"),
            ),
            op(
                (2024, 2, 20),
                OperationKind::Contribution,
                50,
                "B",
                Some("2024-01"),
            ),
            op(
                (2024, 2, 21),
                OperationKind::Contribution,
                5,
                "A",
                Some("2024-01"),
            ),
            op(
                (2024, 12, 31),
                OperationKind::InvestmentIncome,
                999,
                "",
                None,
            ),
            op((2024, 3, 10), OperationKind::Contribution, 70, "A", None),
        ];
        let months = months(&ops).unwrap();
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].period, "2024-01");
        assert_eq!(months[0].amount, Money::from_tiyn(155));
        assert_eq!(months[0].payers, "A, B");
        assert_eq!(
            months[0].credited_on,
            NaiveDate::from_ymd_opt(2024, 2, 21).unwrap()
        );
        assert_eq!(months[1].period, "2024-03");
        assert_eq!(months[1].amount, Money::from_tiyn(70));
    }

    #[test]
    fn overflow_is_none() {
        let ops = vec![
            op(
                (2024, 2, 10),
                OperationKind::Contribution,
                i64::MAX,
                "A",
                Some("2024-01"),
            ),
            op(
                (2024, 2, 11),
                OperationKind::Contribution,
                1,
                "A",
                Some("2024-01"),
            ),
        ];
        assert_eq!(months(&ops), None);
    }
}
