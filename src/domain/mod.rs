//! Pure types and rules of the fund's domain. No I/O, no async.
//!
//! Values here are built only by their parsers (`Iin::parse`, `Phone::parse`, ...): once a
//! value exists it is valid, and the rest of the code never checks it again.

pub mod application;
pub mod dates;
pub mod email;
pub mod forecast;
pub mod iin;
pub mod lang;
pub mod mask;
pub mod money;
pub mod password;
pub mod phone;

pub use email::{Email, EmailError};
pub use iin::{Iin, IinError, Sex};
pub use lang::Lang;
pub use money::{Money, MoneyError};
pub use password::{NewPassword, Password, PasswordProblem};
pub use phone::{Phone, PhoneError};
