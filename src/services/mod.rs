//! Use cases called by the dialogues and the web pages. They own transactions, decide what
//! the user is told, and write the audit trail; the SQL stays in `store`.

pub mod applications;
pub mod auth;
pub mod booking;
pub mod contributions;
pub mod documents;
pub mod filing;
pub mod maintenance;
pub mod notifications;
pub mod otp;
pub mod passwords;
pub mod settings;
pub mod signing;
pub mod staff;
pub mod throttle;
pub mod transfers;
