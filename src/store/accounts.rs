//! Pension accounts (ОПВ, ОППВ, ОПВР, ДПВ) and the operations on them.
//!
//! Operations are written in batches of multi-row INSERTs inside one transaction, so seeding or
//! importing tens of thousands of rows is quick on PostgreSQL as well as on SQLite.

use chrono::NaiveDate;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::{Columns, date_text};
use super::{Db, StoreError};
use crate::domain::Money;

const ACCOUNTS: &str = "accounts";
const OPERATIONS: &str = "account_operations";
const ACCOUNT_COLUMNS: &str = "id, depositor_id, kind, opened_on, manager";
const OPERATION_COLUMNS: &str = "id, account_id, op_date, kind, amount_tiyn, payer, period";

/// The trust manager of savings by default: the National Bank of Kazakhstan.
pub const DEFAULT_MANAGER: &str = "nbrk";

/// The kinds of pension account. Serialised by their storage codes (`opv`, `oppv`, ...).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// ОПВ / МЗЖ: mandatory contributions (10% of income).
    Opv,
    /// ОППВ / МКЗЖ: mandatory occupational contributions (5%, hazardous jobs).
    Oppv,
    /// ОПВР / ЖМЗЖ: the employer's mandatory contributions (since 2024).
    Opvr,
    /// ДПВ / ЕЗЖ: voluntary contributions.
    Dpv,
}

impl AccountKind {
    pub const ALL: [AccountKind; 4] = [
        AccountKind::Opv,
        AccountKind::Oppv,
        AccountKind::Opvr,
        AccountKind::Dpv,
    ];

    /// The stored code: `opv`, `oppv`, `opvr`, `dpv`.
    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Opv => "opv",
            AccountKind::Oppv => "oppv",
            AccountKind::Opvr => "opvr",
            AccountKind::Dpv => "dpv",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountKind> {
        AccountKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What an operation did to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    Contribution,
    InvestmentIncome,
    Payout,
    Transfer,
    Fee,
}

impl OperationKind {
    pub const ALL: [OperationKind; 5] = [
        OperationKind::Contribution,
        OperationKind::InvestmentIncome,
        OperationKind::Payout,
        OperationKind::Transfer,
        OperationKind::Fee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OperationKind::Contribution => "contribution",
            OperationKind::InvestmentIncome => "investment_income",
            OperationKind::Payout => "payout",
            OperationKind::Transfer => "transfer",
            OperationKind::Fee => "fee",
        }
    }

    pub fn from_code(code: &str) -> Option<OperationKind> {
        OperationKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub depositor_id: i64,
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    /// `nbrk` (the National Bank) or a portfolio manager's code.
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub depositor_id: i64,
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    pub manager: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub id: i64,
    pub account_id: i64,
    pub op_date: NaiveDate,
    pub kind: OperationKind,
    /// Signed: payouts, fees and transfers out are negative.
    pub amount: Money,
    /// For contributions: the employer's name or BIN.
    pub payer: Option<String>,
    /// For contributions: the month they are for, `YYYY-MM`.
    pub period: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOperation {
    pub account_id: i64,
    pub op_date: NaiveDate,
    pub kind: OperationKind,
    pub amount: Money,
    pub payer: Option<String>,
    pub period: Option<String>,
    pub created_at_ms: i64,
}

fn account_from_row(row: &AnyRow) -> Result<Account, StoreError> {
    let c = Columns::new(row, ACCOUNTS);
    Ok(Account {
        id: c.i64("id")?,
        depositor_id: c.i64("depositor_id")?,
        kind: c.parsed("kind", |s| AccountKind::from_code(s).ok_or(()))?,
        opened_on: c.date("opened_on")?,
        manager: c.text("manager")?,
    })
}

fn operation_from_row(row: &AnyRow) -> Result<Operation, StoreError> {
    let c = Columns::new(row, OPERATIONS);
    Ok(Operation {
        id: c.i64("id")?,
        account_id: c.i64("account_id")?,
        op_date: c.date("op_date")?,
        kind: c.parsed("kind", |s| OperationKind::from_code(s).ok_or(()))?,
        amount: Money::from_tiyn(c.i64("amount_tiyn")?),
        payer: c.opt_text("payer")?,
        period: c.opt_text("period")?,
    })
}

/// Opens an account; `AlreadyExists` when the depositor has one of this kind.
pub async fn insert_account(db: &Db, new: &NewAccount) -> Result<Account, StoreError> {
    let mut conn = db.pool().acquire().await?;
    insert_account_in(&mut conn, new).await
}

/// [`insert_account`] on a connection the caller holds (inside its transaction).
pub async fn insert_account_in(
    conn: &mut AnyConnection,
    new: &NewAccount,
) -> Result<Account, StoreError> {
    let sql = format!(
        "INSERT INTO accounts (depositor_id, kind, opened_on, manager) VALUES ($1, $2, $3, $4) \
         RETURNING {ACCOUNT_COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.depositor_id)
        .bind(new.kind.code())
        .bind(date_text(new.opened_on))
        .bind(&new.manager)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::from(e).unique_as("account of this kind"))?;
    account_from_row(&row)
}

/// The depositor's accounts in the order ОПВ, ОППВ, ОПВР, ДПВ.
pub async fn accounts_of(db: &Db, depositor_id: i64) -> Result<Vec<Account>, StoreError> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE depositor_id = $1");
    let rows = sqlx::query(&sql)
        .bind(depositor_id)
        .fetch_all(db.pool())
        .await?;
    let mut accounts = rows
        .iter()
        .map(account_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    accounts.sort_by_key(|a| a.kind);
    Ok(accounts)
}

/// Columns per row of the batched INSERT, and rows per statement: 500 × 7 = 3 500 parameters,
/// well under SQLite's 32 766 and PostgreSQL's 65 535.
const OPERATION_PARAMS: usize = 7;
const OPERATIONS_PER_STATEMENT: usize = 500;

/// Adds all `ops` in one transaction (all or nothing); returns how many were written.
pub async fn insert_operations(db: &Db, ops: &[NewOperation]) -> Result<u64, StoreError> {
    let mut tx = db.begin_write().await?;
    let written = insert_operations_in(&mut tx, ops).await?;
    tx.commit().await?;
    Ok(written)
}

/// [`insert_operations`] on a connection the caller holds; wrap it in a transaction.
pub async fn insert_operations_in(
    conn: &mut AnyConnection,
    ops: &[NewOperation],
) -> Result<u64, StoreError> {
    let mut written = 0;
    for chunk in ops.chunks(OPERATIONS_PER_STATEMENT) {
        let sql = multi_row_insert(chunk.len());
        let mut query = sqlx::query(&sql);
        for op in chunk {
            query = query
                .bind(op.account_id)
                .bind(date_text(op.op_date))
                .bind(op.kind.code())
                .bind(op.amount.tiyn())
                .bind(op.payer.clone())
                .bind(op.period.clone())
                .bind(op.created_at_ms);
        }
        written += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}

/// Adds one operation in the caller's transaction and returns its id (a contribution the
/// registry reports: its notification is keyed to this id).
pub async fn insert_operation_in(
    conn: &mut AnyConnection,
    op: &NewOperation,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO account_operations \
         (account_id, op_date, kind, amount_tiyn, payer, period, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(op.account_id)
    .bind(date_text(op.op_date))
    .bind(op.kind.code())
    .bind(op.amount.tiyn())
    .bind(op.payer.clone())
    .bind(op.period.clone())
    .bind(op.created_at_ms)
    .fetch_one(&mut *conn)
    .await?;
    Columns::new(&row, OPERATIONS).i64("id")
}

/// Whether the account already has this contribution (same day, amount, payer and period):
/// the registry's natural key, so a contribution reported twice is written once.
pub async fn contribution_exists_in(
    conn: &mut AnyConnection,
    op: &NewOperation,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT id FROM account_operations \
         WHERE account_id = $1 AND op_date = $2 AND kind = 'contribution' AND amount_tiyn = $3 \
           AND COALESCE(payer, '') = $4 AND COALESCE(period, '') = $5 \
         LIMIT 1",
    )
    .bind(op.account_id)
    .bind(date_text(op.op_date))
    .bind(op.amount.tiyn())
    .bind(op.payer.clone().unwrap_or_default())
    .bind(op.period.clone().unwrap_or_default())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// `INSERT ... VALUES ($1, ..., $7), ($8, ..., $14), ...` for `rows` rows.
fn multi_row_insert(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO account_operations \
         (account_id, op_date, kind, amount_tiyn, payer, period, created_at_ms) VALUES ",
    );
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for col in 0..OPERATION_PARAMS {
            if col > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * OPERATION_PARAMS + col + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// Operations of the account dated within `from..=to` (either end open when `None`),
/// in date order (then in the order they were written).
pub async fn operations(
    db: &Db,
    account_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Operation>, StoreError> {
    // Open ends become dates no stored `YYYY-MM-DD` text falls outside of.
    let from = from
        .map(date_text)
        .unwrap_or_else(|| "0000-00-00".to_owned());
    let to = to.map(date_text).unwrap_or_else(|| "9999-99-99".to_owned());
    let sql = format!(
        "SELECT {OPERATION_COLUMNS} FROM account_operations \
         WHERE account_id = $1 AND op_date >= $2 AND op_date <= $3 ORDER BY op_date, id"
    );
    let rows = sqlx::query(&sql)
        .bind(account_id)
        .bind(from)
        .bind(to)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(operation_from_row).collect()
}

/// The balance at the end of day `on`: the sum of every operation dated `on` or earlier.
pub async fn balance(db: &Db, account_id: i64, on: NaiveDate) -> Result<Money, StoreError> {
    // SUM of BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot read: cast back.
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount_tiyn), 0) AS BIGINT) AS total \
         FROM account_operations WHERE account_id = $1 AND op_date <= $2",
    )
    .bind(account_id)
    .bind(date_text(on))
    .fetch_one(db.pool())
    .await?;
    Ok(Money::from_tiyn(
        Columns::new(&row, OPERATIONS).i64("total")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in AccountKind::ALL {
            assert_eq!(AccountKind::from_code(kind.code()), Some(kind));
        }
        for kind in OperationKind::ALL {
            assert_eq!(OperationKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(AccountKind::from_code("OPV"), None);
        assert_eq!(OperationKind::from_code(""), None);
    }

    #[test]
    fn multi_row_insert_numbers_every_parameter_once() {
        let sql = multi_row_insert(2);
        assert!(
            sql.ends_with("VALUES ($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14)")
        );
    }
}
