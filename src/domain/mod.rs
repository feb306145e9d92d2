//! Pure types and rules of the fund's domain. No I/O, no async.
//!
//! Values here are built only by their parsers (`Iin::parse`, `Phone::parse`, ...): once a
//! value exists it is valid, and the rest of the code never checks it again.

pub mod application;
pub mod dates;
pub mod eligibility;
pub mod email;
pub mod filing;
pub mod forecast;
pub mod iban;
pub mod iin;
pub mod lang;
pub mod mask;
pub mod money;
pub mod names;
pub mod password;
pub mod phone;
pub mod transfer_documents;
pub mod transfers;

pub use email::{Email, EmailError};
pub use iban::{Iban, IbanError};
pub use iin::{Iin, IinError, Sex};
pub use lang::Lang;
pub use money::{Money, MoneyError};
pub use password::{NewPassword, Password, PasswordProblem};
pub use phone::{Phone, PhoneError};
