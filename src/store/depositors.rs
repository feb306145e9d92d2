//! Depositors as the fund's registry knows them: identity, contacts, disability.
//!
//! Rows are parsed back into the domain types; a stored value that does not parse is
//! `StoreError::Corrupt` naming the column.

use chrono::NaiveDate;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use super::values::{Columns, bool_value, date_text};
use super::{Db, StoreError};
use crate::domain::{Email, Iin, Phone, Sex};

const TABLE: &str = "depositors";
const COLUMNS: &str = "id, iin, last_name, first_name, patronymic, birth_date, sex, phone, email, \
                       disability_group, disability_indefinite";

/// An established disability: group 1, 2 or 3, and whether it is established indefinitely
/// (what the payout rules ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disability {
    pub group: u8,
    pub indefinite: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Depositor {
    pub id: i64,
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub disability: Option<Disability>,
}

/// A depositor to add. Birth date and sex are given rather than derived from the IIN: the
/// registry is the authority, and a few real IINs disagree with their holder's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDepositor {
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub disability: Option<Disability>,
    pub created_at_ms: i64,
}

pub(crate) fn sex_code(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "male",
        Sex::Female => "female",
    }
}

fn parse_sex(code: &str) -> Result<Sex, ()> {
    match code {
        "male" => Ok(Sex::Male),
        "female" => Ok(Sex::Female),
        _ => Err(()),
    }
}

fn from_row(row: &AnyRow) -> Result<Depositor, StoreError> {
    let c = Columns::new(row, TABLE);
    let disability = match c.opt_i64("disability_group")? {
        None => None,
        Some(group @ 1..=3) => Some(Disability {
            group: group as u8,
            indefinite: c.bool("disability_indefinite")?,
        }),
        Some(_) => return Err(c.corrupt("disability_group")),
    };
    Ok(Depositor {
        id: c.i64("id")?,
        iin: c.parsed("iin", Iin::parse)?,
        last_name: c.text("last_name")?,
        first_name: c.text("first_name")?,
        patronymic: c.opt_text("patronymic")?,
        birth_date: c.date("birth_date")?,
        sex: c.parsed("sex", parse_sex)?,
        phone: c.opt_parsed("phone", Phone::parse)?,
        email: c.opt_parsed("email", Email::parse)?,
        disability,
    })
}

/// Adds a depositor; `AlreadyExists` when the IIN is taken.
pub async fn insert(db: &Db, new: &NewDepositor) -> Result<Depositor, StoreError> {
    let mut conn = db.pool().acquire().await?;
    insert_in(&mut conn, new).await
}

/// [`insert`] on a connection the caller holds (inside its transaction).
pub async fn insert_in(
    conn: &mut AnyConnection,
    new: &NewDepositor,
) -> Result<Depositor, StoreError> {
    let (group, indefinite) = match new.disability {
        None => (None, false),
        Some(Disability {
            group: group @ 1..=3,
            indefinite,
        }) => (Some(i64::from(group)), indefinite),
        Some(_) => {
            return Err(StoreError::Invalid {
                what: "disability",
                reason: "the group must be 1, 2 or 3",
            });
        }
    };
    let sql = format!(
        "INSERT INTO depositors (iin, last_name, first_name, patronymic, birth_date, sex, phone, \
         email, disability_group, disability_indefinite, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(&sql)
        .bind(new.iin.as_str())
        .bind(&new.last_name)
        .bind(&new.first_name)
        .bind(&new.patronymic)
        .bind(date_text(new.birth_date))
        .bind(sex_code(new.sex))
        .bind(new.phone.as_ref().map(|p| p.e164().to_owned()))
        .bind(new.email.as_ref().map(|e| e.as_str().to_owned()))
        .bind(group)
        .bind(bool_value(indefinite))
        .bind(new.created_at_ms)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| StoreError::from(e).unique_as("depositor with this IIN"))?;
    from_row(&row)
}

pub async fn find_by_iin(db: &Db, iin: &Iin) -> Result<Option<Depositor>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM depositors WHERE iin = $1");
    let row = sqlx::query(&sql)
        .bind(iin.as_str())
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_id(db: &Db, id: i64) -> Result<Option<Depositor>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM depositors WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?;
    row.as_ref().map(from_row).transpose()
}

/// How many depositors have this mobile number. More than one means the memo's
/// "contact coincides with another depositor's" refusal applies.
pub async fn count_with_phone(db: &Db, phone: &Phone) -> Result<i64, StoreError> {
    count_where(
        db,
        "SELECT COUNT(*) AS n FROM depositors WHERE phone = $1",
        phone.e164(),
    )
    .await
}

/// How many depositors have this e-mail address (see [`count_with_phone`]).
pub async fn count_with_email(db: &Db, email: &Email) -> Result<i64, StoreError> {
    count_where(
        db,
        "SELECT COUNT(*) AS n FROM depositors WHERE email = $1",
        email.as_str(),
    )
    .await
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM depositors")
        .fetch_one(db.pool())
        .await?;
    Columns::new(&row, TABLE).i64("n")
}

/// [`count`] on a connection the caller holds.
pub async fn count_in(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM depositors")
        .fetch_one(&mut *conn)
        .await?;
    Columns::new(&row, TABLE).i64("n")
}

async fn count_where(db: &Db, sql: &str, value: &str) -> Result<i64, StoreError> {
    let row = sqlx::query(sql).bind(value).fetch_one(db.pool()).await?;
    Columns::new(&row, TABLE).i64("n")
}
