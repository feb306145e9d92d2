//! The one error type of the records layer.
//!
//! Its `Display` is safe for logs: it names tables, columns, constraints and SQLSTATE codes, never
//! a bound value (IINs, phones and e-mails are bound values). The underlying `sqlx::Error` is kept
//! for code that must inspect it, but it is deliberately not exposed as `source()`, because some
//! database messages (PostgreSQL's "invalid input syntax ... \"value\"") quote the input.

use std::fmt;

/// Why a records operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names a scheme we do not speak. Only the scheme is kept: the rest of
    /// the URL may hold a password.
    #[error(
        "unsupported database URL scheme `{scheme}`: use sqlite://path/to/file.db or postgres://user@host/db"
    )]
    UnsupportedScheme { scheme: String },

    /// A row that should exist does not (updating an unknown chat, for instance).
    #[error("no such {what}")]
    NotFound { what: &'static str },

    /// An insert hit a unique constraint: the record already exists.
    #[error("{what} already exists")]
    AlreadyExists { what: &'static str },

    /// A stored value does not parse back into its domain type.
    #[error("corrupt row in {table}: column {column} does not hold a valid value")]
    Corrupt {
        table: &'static str,
        column: &'static str,
    },

    /// A value cannot be stored (for example, an amount that does not fit the column).
    #[error("cannot store {what}: {reason}")]
    Invalid {
        what: &'static str,
        reason: &'static str,
    },

    /// Anything the database or the driver reported.
    #[error("database error: {0}")]
    Database(SafeSqlxError),
}

impl StoreError {
    /// True when the database refused the statement because of a unique constraint.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::AlreadyExists { .. } => true,
            StoreError::Database(e) => e.is_unique_violation(),
            _ => false,
        }
    }

    /// The driver's error, when there is one (never log it with `{}` in full: see the module doc).
    pub fn sqlx_error(&self) -> Option<&sqlx::Error> {
        match self {
            StoreError::Database(e) => Some(&e.0),
            _ => None,
        }
    }

    /// Turns a unique violation into `AlreadyExists { what }`, leaving other errors alone.
    pub(crate) fn unique_as(self, what: &'static str) -> StoreError {
        if self.is_unique_violation() {
            StoreError::AlreadyExists { what }
        } else {
            self
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(SafeSqlxError(e))
    }
}

/// A `sqlx::Error` whose `Display` and `Debug` leave out anything that might quote a bound
/// value (PostgreSQL's error detail says `Key (iin)=(...) already exists`).
pub struct SafeSqlxError(pub sqlx::Error);

impl fmt::Debug for SafeSqlxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SafeSqlxError({self})")
    }
}

impl SafeSqlxError {
    fn is_unique_violation(&self) -> bool {
        match &self.0 {
            sqlx::Error::Database(db) => db.is_unique_violation(),
            _ => false,
        }
    }
}

impl fmt::Display for SafeSqlxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // SQLSTATE class 22 ("data exception") messages quote the offending input.
                if code.starts_with("22") {
                    write!(f, "data exception (SQLSTATE {code})")?;
                } else {
                    write!(f, "{}", db.message())?;
                    if !code.is_empty() {
                        write!(f, " (code {code})")?;
                    }
                }
                if let Some(constraint) = db.constraint() {
                    write!(f, " [constraint {constraint}]")?;
                }
                Ok(())
            }
            sqlx::Error::ColumnDecode { index, .. } => {
                write!(f, "cannot decode column {index}")
            }
            sqlx::Error::Decode(_) => f.write_str("cannot decode a value"),
            sqlx::Error::Encode(_) => f.write_str("cannot encode a value"),
            sqlx::Error::RowNotFound => f.write_str("no rows returned"),
            sqlx::Error::PoolTimedOut => f.write_str("timed out waiting for a database connection"),
            sqlx::Error::PoolClosed => f.write_str("the connection pool is closed"),
            sqlx::Error::Configuration(e) => write!(f, "invalid database configuration: {e}"),
            sqlx::Error::Io(e) => write!(f, "I/O error: {}", e.kind()),
            sqlx::Error::Tls(_) => f.write_str("TLS error"),
            other => {
                // Protocol and driver errors describe the conversation, not our data.
                write!(f, "{other}")
            }
        }
    }
}
