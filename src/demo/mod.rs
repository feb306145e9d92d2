//! The demo registry: a deterministic cast of depositors with years of account history, so
//! `zeinet chat` and the dialogue transcripts have somebody to sign in as.
//!
//! Everything is generated from a fixed seed with our own PRNG: the same build gives the same
//! people, IINs, phones and operations every time. Each person has a `purpose` saying which
//! scenario they exist for; `zeinet seed-demo --list` prints them with [`format_table`].

pub mod applications;
mod history;
mod rng;
mod roster;
mod table;
pub mod transfers;

use std::fmt;

use chrono::NaiveDate;

use crate::domain::{Email, Iin, Money, Phone, Sex};
use crate::store::accounts::{self, AccountKind, NewAccount, NewOperation, OperationKind};
use crate::store::depositors::{self, Disability, NewDepositor};
use crate::store::{Db, StoreError};

pub use history::Career;
use rng::SplitMix64;
use roster::{Contact, EMAIL_DOMAINS, OPERATOR_CODES, ROSTER, Spec};
pub use table::format_table;

/// The seed of the whole registry. Changing it changes every demo IIN and phone.
const SEED: u64 = 0x5A31_4E37_2026_0001;

/// One demo depositor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    /// 1-based position in the list; purposes refer to each other as `#7`.
    pub number: usize,
    pub iin: Iin,
    pub last_name: &'static str,
    pub first_name: &'static str,
    pub patronymic: Option<&'static str>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub disability: Option<Disability>,
    /// What to try with this person.
    pub purpose: &'static str,
    pub career: Career,
    /// The seed of this person's numbers when it is not the position in the list.
    pub stable_seed: Option<u64>,
}

/// An account of a demo person with its operations, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub kind: AccountKind,
    pub opened_on: NaiveDate,
    pub manager: &'static str,
    pub operations: Vec<DemoOperation>,
}

impl DemoAccount {
    /// The sum of all operations: the balance at the end of the generated history.
    pub fn balance(&self) -> Money {
        Money::from_tiyn(self.operations.iter().map(|op| op.amount.tiyn()).sum())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOperation {
    pub op_date: NaiveDate,
    pub kind: OperationKind,
    pub amount: Money,
    pub payer: Option<String>,
    pub period: Option<String>,
}

impl DemoPerson {
    /// "Фамилия Имя Отчество", as the registry writes it.
    pub fn full_name(&self) -> String {
        match self.patronymic {
            Some(p) => format!("{} {} {}", self.last_name, self.first_name, p),
            None => format!("{} {}", self.last_name, self.first_name),
        }
    }

    /// The person's accounts with every operation dated up to and including `today`.
    pub fn accounts(&self, today: NaiveDate) -> Vec<DemoAccount> {
        let mut accounts = history::accounts(&self.career, today);
        for account in &mut accounts {
            if let Some(manager) = transfers::manager_of(self, account.kind) {
                account.manager = manager;
            }
        }
        accounts
    }

    pub fn new_depositor(&self, created_at_ms: i64) -> NewDepositor {
        NewDepositor {
            iin: self.iin.clone(),
            last_name: self.last_name.to_owned(),
            first_name: self.first_name.to_owned(),
            patronymic: self.patronymic.map(str::to_owned),
            birth_date: self.birth_date,
            sex: self.sex,
            phone: self.phone.clone(),
            email: self.email.clone(),
            disability: self.disability,
            created_at_ms,
        }
    }
}

/// The demo cast, always the same. Pure: no I/O, no clock.
pub fn people() -> Vec<DemoPerson> {
    let mut people: Vec<DemoPerson> = Vec::with_capacity(ROSTER.len());
    for (index, spec) in ROSTER.iter().enumerate() {
        if let Some(person) = build(index + 1, spec, &people) {
            people.push(person);
        }
    }
    people
}

fn build(number: usize, spec: &Spec, earlier: &[DemoPerson]) -> Option<DemoPerson> {
    let seed_index = spec.stable_seed.unwrap_or(number as u64);
    let person_seed = SplitMix64::derive(SEED, seed_index).next_u64();
    let mut rng = SplitMix64::new(person_seed);
    let (year, month, day) = spec.born;
    let birth_date = NaiveDate::from_ymd_opt(year, month, day)?;
    let iin = iin_for(birth_date, spec.sex, &mut rng)?;
    let own_phone = own_phone(&mut rng);
    let domain = EMAIL_DOMAINS[rng.range(0, EMAIL_DOMAINS.len() as i64 - 1) as usize];
    let own_email = Email::parse(&format!("{}@{domain}", spec.email_user)).ok();
    let phone = match spec.phone {
        Contact::No => None,
        Contact::Own => own_phone,
        Contact::SameAs(n) => earlier.get(n.checked_sub(1)?)?.phone.clone(),
    };
    let email = match spec.email {
        Contact::No => None,
        Contact::Own => own_email,
        Contact::SameAs(n) => earlier.get(n.checked_sub(1)?)?.email.clone(),
    };
    Some(DemoPerson {
        number,
        iin,
        last_name: spec.last,
        first_name: spec.first,
        patronymic: spec.patronymic,
        birth_date,
        sex: spec.sex,
        phone,
        email,
        disability: spec
            .disability
            .map(|(group, indefinite)| Disability { group, indefinite }),
        purpose: spec.purpose,
        career: Career::draw(spec, &mut rng, person_seed),
        stable_seed: spec.stable_seed,
    })
}

/// A valid IIN for the birth date and sex; serials whose control digit comes out as 10 are
/// skipped, as the registry does.
fn iin_for(birth: NaiveDate, sex: Sex, rng: &mut SplitMix64) -> Option<Iin> {
    let start = rng.range(1, 9999) as u32;
    (0..100).find_map(|step| Iin::from_parts(birth, sex, (start + step) % 10_000))
}

fn own_phone(rng: &mut SplitMix64) -> Option<Phone> {
    let code = OPERATOR_CODES[rng.range(0, OPERATOR_CODES.len() as i64 - 1) as usize];
    let subscriber = rng.range(0, 9_999_999);
    Phone::parse(&format!("+7{code}{subscriber:07}")).ok()
}

/// What [`seed`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedReport {
    Seeded {
        depositors: u64,
        accounts: u64,
        operations: u64,
    },
    /// The registry already had depositors; nothing was written.
    AlreadyPresent { depositors: i64 },
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedReport::Seeded {
                depositors,
                accounts,
                operations,
            } => write!(
                f,
                "demo registry seeded: {depositors} depositors, {accounts} accounts, {operations} operations"
            ),
            SeedReport::AlreadyPresent { depositors } => write!(
                f,
                "the registry already has {depositors} depositors; demo data not seeded"
            ),
        }
    }
}

/// Writes the demo registry with histories up to `today`, in one transaction, unless the
/// registry already has depositors (then nothing is written and the report says so).
pub async fn seed(db: &Db, today: NaiveDate, now_ms: i64) -> Result<SeedReport, StoreError> {
    let mut tx = db.begin_write().await?;
    // Two processes seeding an empty database at once: the second waits, then sees the first's.
    db.lock_in(&mut tx, "demo-seed").await?;
    let existing = depositors::count_in(&mut tx).await?;
    if existing > 0 {
        tx.rollback().await?;
        return Ok(SeedReport::AlreadyPresent {
            depositors: existing,
        });
    }
    let mut depositor_count = 0;
    let mut account_count = 0;
    let mut operations = Vec::new();
    for person in people() {
        let depositor = depositors::insert_in(&mut tx, &person.new_depositor(now_ms)).await?;
        applications::seed_for(&mut tx, person.number, depositor.id, now_ms).await?;
        transfers::seed_for(&mut tx, &person, depositor.id, today, now_ms).await?;
        depositor_count += 1;
        for account in person.accounts(today) {
            let new = NewAccount {
                depositor_id: depositor.id,
                kind: account.kind,
                opened_on: account.opened_on,
                manager: account.manager.to_owned(),
            };
            let stored = accounts::insert_account_in(&mut tx, &new).await?;
            account_count += 1;
            operations.extend(account.operations.into_iter().map(|op| NewOperation {
                account_id: stored.id,
                op_date: op.op_date,
                kind: op.kind,
                amount: op.amount,
                payer: op.payer,
                period: op.period,
                created_at_ms: now_ms,
            }));
        }
    }
    let operation_count = accounts::insert_operations_in(&mut tx, &operations).await?;
    // The branches step: demo branches and a few visits of demo depositors.
    crate::services::booking::seed_demo_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(SeedReport::Seeded {
        depositors: depositor_count,
        accounts: account_count,
        operations: operation_count,
    })
}
