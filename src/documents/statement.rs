//! The figures of a statement, per account: the opening balance, the operations of the
//! period, totals per kind of operation and the closing balance. Pure and checked: an
//! overflow is an error, never a panic or a wrapped number.

use chrono::NaiveDate;

use crate::domain::Money;
use crate::store::accounts::{AccountKind, Operation, OperationKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    /// The period ends before it starts.
    #[error("the period ends before it starts")]
    InvalidPeriod,
    /// A sum does not fit in 64 bits of tiyn (corrupt records).
    #[error("an amount does not fit")]
    Overflow,
}

/// How many operations of one kind the period has, and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindTotal {
    pub kind: OperationKind,
    pub count: usize,
    pub sum: Money,
}

/// One account over one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatement {
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The balance at the end of the day before `from`.
    pub opening: Money,
    /// The operations dated within `from..=to`, in date order.
    pub operations: Vec<Operation>,
    /// One entry per kind in [`OperationKind::ALL`] order, zero counts included.
    pub totals: Vec<KindTotal>,
    /// The balance at the end of `to`: opening plus every operation of the period.
    pub closing: Money,
}

impl AccountStatement {
    /// The sum of the period's positive operations.
    pub fn inflow(&self) -> Money {
        self.signed_sum(|m| !m.is_negative())
    }

    /// The sum of the period's negative operations (a negative amount, or zero).
    pub fn outflow(&self) -> Money {
        self.signed_sum(Money::is_negative)
    }

    fn signed_sum(&self, keep: impl Fn(Money) -> bool) -> Money {
        // `build` already summed every operation without overflow, and a part of the
        // positive (or negative) ones is never larger; saturate anyway rather than panic.
        let tiyn = self
            .operations
            .iter()
            .map(|op| op.amount)
            .filter(|m| keep(*m))
            .fold(0i64, |acc, m| acc.saturating_add(m.tiyn()));
        Money::from_tiyn(tiyn)
    }

    pub fn total(&self, kind: OperationKind) -> Option<&KindTotal> {
        self.totals.iter().find(|t| t.kind == kind)
    }
}

/// The statement of one account for `from..=to` out of its operations (any order, any dates;
/// those after `to` are ignored).
pub fn build(
    kind: AccountKind,
    opened_on: NaiveDate,
    all_operations: &[Operation],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<AccountStatement, StatementError> {
    if from > to {
        return Err(StatementError::InvalidPeriod);
    }
    let opening = Money::checked_sum(
        all_operations
            .iter()
            .filter(|op| op.op_date < from)
            .map(|op| op.amount),
    )
    .ok_or(StatementError::Overflow)?;
    let mut operations: Vec<Operation> = all_operations
        .iter()
        .filter(|op| op.op_date >= from && op.op_date <= to)
        .cloned()
        .collect();
    // Stable: operations of one day keep the order they were written in.
    operations.sort_by_key(|op| op.op_date);

    let mut totals: Vec<KindTotal> = OperationKind::ALL
        .iter()
        .map(|kind| KindTotal {
            kind: *kind,
            count: 0,
            sum: Money::ZERO,
        })
        .collect();
    let mut closing = opening;
    for op in &operations {
        closing = closing
            .checked_add(op.amount)
            .ok_or(StatementError::Overflow)?;
        if let Some(total) = totals.iter_mut().find(|t| t.kind == op.kind) {
            total.count += 1;
            total.sum = total
                .sum
                .checked_add(op.amount)
                .ok_or(StatementError::Overflow)?;
        }
    }
    Ok(AccountStatement {
        kind,
        opened_on,
        from,
        to,
        opening,
        operations,
        totals,
        closing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn op(date: NaiveDate, kind: OperationKind, tiyn: i64) -> Operation {
        Operation {
            id: 0,
            account_id: 1,
            op_date: date,
            kind,
            amount: Money::from_tiyn(tiyn),
            payer: None,
            period: None,
        }
    }

    #[test]
    fn opening_is_before_the_period_and_closing_adds_the_period() {
        let ops = vec![
            op(day(2024, 1, 10), OperationKind::Contribution, 10_000),
            op(day(2024, 2, 10), OperationKind::Contribution, 20_000),
            op(day(2024, 2, 29), OperationKind::Fee, -500),
            op(day(2024, 3, 1), OperationKind::Payout, -7_000),
            op(day(2024, 4, 1), OperationKind::Contribution, 1_000_000),
        ];
        let s = build(
            AccountKind::Opv,
            day(2024, 1, 1),
            &ops,
            day(2024, 2, 1),
            day(2024, 3, 31),
        )
        .unwrap();
        assert_eq!(s.opening, Money::from_tiyn(10_000));
        assert_eq!(s.operations.len(), 3);
        assert_eq!(s.closing, Money::from_tiyn(10_000 + 20_000 - 500 - 7_000));
        assert_eq!(s.inflow(), Money::from_tiyn(20_000));
        assert_eq!(s.outflow(), Money::from_tiyn(-7_500));
        let contributions = s.total(OperationKind::Contribution).unwrap();
        assert_eq!((contributions.count, contributions.sum.tiyn()), (1, 20_000));
        assert_eq!(s.total(OperationKind::InvestmentIncome).unwrap().count, 0);
        assert_eq!(s.totals.len(), OperationKind::ALL.len());
    }

    #[test]
    fn a_period_without_operations_keeps_the_balance() {
        let ops = vec![op(day(2020, 5, 5), OperationKind::Contribution, 123)];
        let s = build(
            AccountKind::Dpv,
            day(2020, 1, 1),
            &ops,
            day(2021, 1, 1),
            day(2021, 1, 1),
        )
        .unwrap();
        assert!(s.operations.is_empty());
        assert_eq!((s.opening.tiyn(), s.closing.tiyn()), (123, 123));
    }

    #[test]
    fn reversed_periods_and_overflow_are_errors() {
        let d = day(2024, 1, 1);
        assert_eq!(
            build(AccountKind::Opv, d, &[], d, day(2023, 12, 31)).err(),
            Some(StatementError::InvalidPeriod)
        );
        let huge = vec![
            op(d, OperationKind::Contribution, i64::MAX),
            op(d, OperationKind::Contribution, 1),
        ];
        assert_eq!(
            build(AccountKind::Opv, d, &huge, d, d).err(),
            Some(StatementError::Overflow)
        );
        assert_eq!(
            build(AccountKind::Opv, d, &huge, day(2024, 1, 2), day(2024, 1, 2)).err(),
            Some(StatementError::Overflow)
        );
    }
}
