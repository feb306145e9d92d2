//! The records layer: one connection pool over SQLite (embedded) or PostgreSQL (production),
//! our own migrator, and repositories as free async functions taking `&Db`.
//!
//! All SQL of the crate lives under this module. The same statements run on both backends
//! through sqlx's `AnyPool`, so they keep to a portable subset: `$1` placeholders, `RETURNING`,
//! `ON CONFLICT`, BIGINT for every integer (booleans are 0/1), money in tiyn, instants in unix
//! milliseconds, dates as `YYYY-MM-DD` text. Where a backend needs its own SQL, both variants
//! sit side by side in the same function, chosen by [`Db::backend`].

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod bookings;
pub mod chats;
pub mod codes;
pub mod credentials;
pub mod depositors;
pub mod documents;
mod error;
pub mod logins;
pub mod maintenance;
pub mod manager_transfers;
mod migrate;
pub mod notification_settings;
pub mod outbox;
pub mod password_locks;
pub mod signing;
pub mod staff;
mod values;

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};

pub use error::{SafeSqlxError, StoreError};
pub use migrate::{Migration, migrations};

/// Which database sits behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to the records database; cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Opens a pool for `sqlite://path` (the file is created on first run) or
    /// `postgres://...` / `postgresql://...`. Any other scheme is refused.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = prepare_url(url)?;
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            // A user waiting on a dead database gets "try later" within seconds, not half a minute.
            .acquire_timeout(Duration::from_secs(5))
            // A SQLite connection is a file handle in this process: nothing can drop it under
            // us, and the liveness query sqlx sends before every checkout was a second trip
            // to the connection's thread per query. A PostgreSQL server can close connections.
            .test_before_acquire(backend == Backend::Postgres);
        let options = match backend {
            Backend::Sqlite => options
                .after_connect(|conn, _meta| Box::pin(async move { configure_sqlite(conn).await })),
            Backend::Postgres => options,
        };
        let pool = options.connect(&url).await?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Round trip to the database (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Applies the migrations this binary knows and the database has not seen yet; returns how
    /// many were newly applied (0 on a re-run).
    pub async fn migrate(&self) -> Result<u32, StoreError> {
        migrate::run(self).await
    }

    /// Migration versions recorded in the database, ascending.
    pub async fn applied_versions(&self) -> Result<Vec<i64>, StoreError> {
        migrate::applied_versions(self).await
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue on the busy timeout instead of one failing
    /// when it upgrades a read lock.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, StoreError> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Inside a write transaction, waits until no other transaction holds the lock `name`, and
    /// keeps it until this one ends. PostgreSQL: an advisory transaction lock keyed on the
    /// current schema and `name`. SQLite: nothing to do, `BEGIN IMMEDIATE` already lets one
    /// writer in at a time.
    pub async fn lock_in(&self, conn: &mut AnyConnection, name: &str) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            // `hashtext` gives an int4, which PostgreSQL widens to the lock's bigint key. The
            // outer SELECT gives the Any driver a column type it can read (the lock returns void).
            sqlx::query(
                "SELECT 1 AS locked FROM \
                 (SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))) AS l",
            )
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// Closes every connection (waits for those in use to come back).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn configure_sqlite(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    // The busy timeout first, so that switching to WAL waits for other connections.
    for pragma in SQLITE_PRAGMAS {
        conn.execute(*pragma).await?;
    }
    Ok(())
}

/// Applied to every new SQLite connection, in this order.
const SQLITE_PRAGMAS: &[&str] = &[
    "PRAGMA busy_timeout = 10000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
];

/// Decides the backend from the URL's scheme and adds what our defaults need.
fn prepare_url(url: &str) -> Result<(Backend, String), StoreError> {
    let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => Ok((Backend::Sqlite, with_create_mode(url))),
        "postgres" | "postgresql" => Ok((Backend::Postgres, url.to_owned())),
        _ => Err(StoreError::UnsupportedScheme {
            scheme: scheme.chars().take(32).collect(),
        }),
    }
}

/// `sqlite://zeinet.db` -> `sqlite://zeinet.db?mode=rwc`, so the file is created on first run;
/// an explicit `mode=` is respected.
fn with_create_mode(url: &str) -> String {
    match url.split_once('?') {
        None => format!("{url}?mode=rwc"),
        Some((_, query)) if query.split('&').any(|p| p.starts_with("mode=")) => url.to_owned(),
        Some((_, "")) => format!("{url}mode=rwc"),
        Some(_) => format!("{url}&mode=rwc"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_unless_they_choose_one() {
        assert_eq!(with_create_mode("sqlite://z.db"), "sqlite://z.db?mode=rwc");
        assert_eq!(with_create_mode("sqlite://z.db?"), "sqlite://z.db?mode=rwc");
        assert_eq!(
            with_create_mode("sqlite://z.db?cache=shared"),
            "sqlite://z.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            with_create_mode("sqlite://z.db?mode=ro"),
            "sqlite://z.db?mode=ro"
        );
    }

    #[test]
    fn schemes_choose_the_backend() {
        assert_eq!(
            prepare_url("sqlite://a.db").map(|r| r.0).ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            prepare_url("postgres://u@h/db").map(|r| r.0).ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            prepare_url("postgresql://u@h/db").map(|r| r.0).ok(),
            Some(Backend::Postgres)
        );
        let err = prepare_url("mysql://root:secret@h/db").err();
        assert!(
            matches!(&err, Some(StoreError::UnsupportedScheme { scheme }) if scheme == "mysql")
        );
        let shown = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(!shown.contains("secret"), "{shown}");
    }
}
