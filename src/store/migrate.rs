//! Our own small migrator: SQL files per backend embedded in the binary, a `schema_migrations`
//! table, one transaction per migration.
//!
//! Why not `sqlx::migrate!`: it needs one tree per database type at compile time and its own
//! table layout; ours keeps both trees side by side with the same versions and names, and stays
//! readable. Concurrency: on PostgreSQL every migration transaction first takes an advisory
//! transaction lock keyed on the current schema, so two processes starting together apply each
//! migration once; on SQLite `BEGIN IMMEDIATE` plus the busy timeout does the same.

use sqlx::{Executor, Row};

use super::{Backend, Db, StoreError};

/// One schema change, with the SQL for each backend.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl Migration {
    pub fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// One migration from its number, name and file stem: both backends' files, embedded.
macro_rules! migration {
    ($version:literal, $name:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../../migrations/sqlite/", $file, ".sql")),
            postgres: include_str!(concat!("../../migrations/postgres/", $file, ".sql")),
        }
    };
}

/// Every migration this binary knows, in the order they apply. Add new ones at the end, with
/// both files (`migrations/{sqlite,postgres}/NNNN_name.sql`).
static MIGRATIONS: &[Migration] = &[
    migration!(1, "records", "0001_records"),
    migration!(2, "auth", "0002_auth"),
    migration!(3, "documents", "0003_documents"),
    migration!(4, "applications", "0004_applications"),
    migration!(5, "outbox", "0005_outbox"),
    migration!(6, "booking", "0006_booking"),
    migration!(7, "reminders_in_outbox", "0007_reminders_in_outbox"),
    migration!(8, "notification_settings", "0008_notification_settings"),
    migration!(9, "signing", "0009_signing"),
    migration!(10, "maintenance", "0010_maintenance"),
    migration!(12, "manager_transfers", "0012_manager_transfers"),
];

pub fn migrations() -> &'static [Migration] {
    MIGRATIONS
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (\
     version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)";

pub(super) async fn run(db: &Db) -> Result<u32, StoreError> {
    let mut applied = 0;
    for migration in MIGRATIONS {
        if apply_one(db, migration).await? {
            applied += 1;
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "migration applied"
            );
        }
    }
    Ok(applied)
}

/// Applies `migration` unless it is recorded already; true when it was applied now.
async fn apply_one(db: &Db, migration: &Migration) -> Result<bool, StoreError> {
    let mut tx = db.begin_write().await?;
    // Serialises migrators of the same schema (other schemas, e.g. parallel tests, go on).
    db.lock_in(&mut tx, "migrations").await?;
    sqlx::query(CREATE_TABLE).execute(&mut *tx).await?;
    let seen = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
        .bind(migration.version)
        .fetch_optional(&mut *tx)
        .await?;
    if seen.is_some() {
        tx.rollback().await?;
        return Ok(false);
    }
    // A plain string without arguments goes as a simple query, so one file may hold many
    // statements (`raw_sql` would too, but its future is not `Send` in generic callers).
    tx.execute(migration.sql(db.backend())).await?;
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)")
        .bind(migration.version)
        .bind(migration.name)
        .bind(chrono::Utc::now().timestamp_millis())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Versions recorded in the database, ascending (empty before the first migration).
pub(super) async fn applied_versions(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.begin_write().await?;
    sqlx::query(CREATE_TABLE).execute(&mut *tx).await?;
    let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|row| row.try_get::<i64, _>("version").map_err(StoreError::from))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_ascend_and_both_backends_have_sql() {
        let mut last = 0;
        for m in MIGRATIONS {
            assert!(m.version > last, "version {} out of order", m.version);
            last = m.version;
            let changes_schema =
                |sql: &str| ["CREATE", "ALTER", "DROP"].iter().any(|w| sql.contains(w));
            assert!(
                changes_schema(m.sqlite),
                "version {} has no SQLite DDL",
                m.version
            );
            assert!(
                changes_schema(m.postgres),
                "version {} has no PostgreSQL DDL",
                m.version
            );
        }
    }
}
