//! Test databases: a temp SQLite file, or — when `TEST_DATABASE_URL` is set — a fresh
//! PostgreSQL schema of its own, so runs never meet each other's rows or migrations.

use std::sync::atomic::{AtomicU64, Ordering};

use zeinet::store::Db;

pub struct TestDb {
    pub db: Db,
    pub url: String,
    admin: Option<(Db, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    /// A migrated database for one test: PostgreSQL when `TEST_DATABASE_URL` is set, else
    /// SQLite.
    pub async fn new() -> TestDb {
        match TestDb::postgres().await {
            Some(t) => t,
            None => TestDb::sqlite().await,
        }
    }

    /// A migrated temp SQLite file, whatever the environment.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.expect("sqlite opens");
        db.migrate().await.expect("migrations apply");
        TestDb {
            db,
            url,
            admin: None,
            _dir: dir,
        }
    }

    /// A migrated PostgreSQL schema of its own, when `TEST_DATABASE_URL` is set.
    pub async fn postgres() -> Option<TestDb> {
        let base = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|b| !b.is_empty())?;
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Db::connect(&base).await.expect("connect TEST_DATABASE_URL");
        let schema = unique_schema();
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(admin.pool())
            .await
            .expect("create schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        let db = Db::connect(&url).await.expect("connect schema");
        db.migrate().await.expect("migrations apply");
        Some(TestDb {
            db,
            url,
            admin: Some((admin, schema)),
            _dir: dir,
        })
    }

    /// Drops the PostgreSQL schema (a no-op on SQLite, whose file goes with the temp dir).
    pub async fn cleanup(self) {
        self.db.close().await;
        if let Some((admin, schema)) = self.admin {
            let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(admin.pool())
                .await;
            admin.close().await;
        }
    }
}

fn unique_schema() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "t_{}_{}_{}",
        std::process::id(),
        rand::random::<u32>(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
