//! The real service (`zeinet::serve::run_with`) for end-to-end tests, on a registry seeded
//! with the demo depositors (`zeinet::demo`), talking to a fake Bot API.
//!
//! Records: a copy of a seeded SQLite file (seeded once per test binary), or — when
//! `TEST_DATABASE_URL` is set — a fresh PostgreSQL schema seeded for the one test. The
//! ephemeral store: the in-process one, or Redis under a fresh key prefix when
//! `TEST_REDIS_URL` is set. The clock is the system's; the caller gives the code delivery
//! and any further settings (`OTP_RESEND_SECONDS`, ...).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use zeinet::app::App;
use zeinet::channels::telegram::Tuning;
use zeinet::clock::{SharedClock, SystemClock};
use zeinet::config::Config;
use zeinet::domain::Lang;
use zeinet::ephemeral::Ephemeral;
use zeinet::ephemeral::memory::MemoryStore;
use zeinet::ephemeral::redis_store::RedisStore;
use zeinet::gateways::Delivery;
use zeinet::i18n::Msg;
use zeinet::store::Db;

use super::fake_bot_api::TOKEN;
use super::pg::TestDb;

pub const WEBHOOK_SECRET: &str = "auth-webhook-secret_7";
const PUBLIC_URL: &str = "https://bot.example.kz";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Polling,
    Webhook,
}

/// Short backoffs and a short poll, so that tests take seconds.
pub fn fast_tuning() -> Tuning {
    Tuning {
        poll_timeout: Duration::from_secs(1),
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(50),
        send_attempts: 4,
        max_retry_after: Duration::from_secs(5),
        max_concurrent: 8,
        request_timeout: Duration::from_secs(10),
        shutdown_grace: Duration::from_secs(5),
    }
}

/// A chat id no other test (or earlier run on a shared Redis) uses.
pub fn fresh_chat_id() -> i64 {
    1_000_000_000 + i64::from(rand::random::<u32>() % 1_000_000_000)
}

/// A starting update id; tests count up from it.
pub fn fresh_update_id() -> u32 {
    1 + rand::random::<u32>() % 1_000_000_000
}

/// A migrated database holding the demo registry, for one test.
pub struct Registry {
    pub db: Db,
    pub url: String,
    keep: Keep,
}

enum Keep {
    Sqlite(tempfile::TempDir),
    Postgres(TestDb),
}

impl Registry {
    pub async fn new() -> Registry {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => {
                let test_db = TestDb::new().await;
                let now = Utc::now();
                zeinet::demo::seed(&test_db.db, now.date_naive(), now.timestamp_millis())
                    .await
                    .expect("demo registry seeds");
                Registry {
                    db: test_db.db.clone(),
                    url: test_db.url.clone(),
                    keep: Keep::Postgres(test_db),
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let file = dir.path().join("registry.db");
                std::fs::copy(seeded_sqlite_template().await, &file)
                    .expect("copy the seeded database");
                let url = format!("sqlite://{}", file.display());
                let db = Db::connect(&url).await.expect("sqlite opens");
                db.migrate().await.expect("migrations apply");
                Registry {
                    db,
                    url,
                    keep: Keep::Sqlite(dir),
                }
            }
        }
    }

    /// Closes the database; a PostgreSQL schema is dropped.
    pub async fn cleanup(self) {
        match self.keep {
            Keep::Postgres(test_db) => test_db.cleanup().await,
            Keep::Sqlite(_dir) => self.db.close().await,
        }
    }
}

/// A migrated SQLite file with the demo registry, made once per test binary (seeding takes
/// longer than a conversation) and copied for each test.
async fn seeded_sqlite_template() -> &'static Path {
    static TEMPLATE: tokio::sync::OnceCell<(tempfile::TempDir, PathBuf)> =
        tokio::sync::OnceCell::const_new();
    let (_, path) = TEMPLATE
        .get_or_init(|| async {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("template.db");
            let db = Db::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("sqlite opens");
            db.migrate().await.expect("migrations apply");
            let now = Utc::now();
            zeinet::demo::seed(&db, now.date_naive(), now.timestamp_millis())
                .await
                .expect("demo registry seeds");
            // Fold the write-ahead log into the file itself, so a copy of the file is whole.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(db.pool())
                .await
                .expect("checkpoint");
            db.close().await;
            (dir, path)
        })
        .await;
    path
}

/// The ephemeral store of one test: in-process, or Redis under a fresh prefix.
pub async fn fresh_ephemeral(name: &str) -> Arc<dyn Ephemeral> {
    match std::env::var("TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => {
            let prefix = format!("zeinet-{name}-test-{:08x}:", rand::random::<u32>());
            Arc::new(
                RedisStore::connect(&url)
                    .await
                    .expect("Redis connects")
                    .with_prefix(&prefix),
            )
        }
        _ => Arc::new(MemoryStore::new()),
    }
}

/// `zeinet serve` in this process, until [`Service::shutdown`].
pub struct Service {
    pub app: Arc<App>,
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// The records this service made for itself (none when it shares another's).
    registry: Option<Registry>,
}

impl Service {
    /// Starts the service against the Bot API at `api_url`, with `delivery` for one-time
    /// codes and `settings` added to the configuration.
    pub async fn start(
        api_url: &str,
        mode: Mode,
        delivery: Delivery,
        settings: &[(&str, &str)],
    ) -> Service {
        Service::start_at(api_url, mode, delivery, settings, Arc::new(SystemClock)).await
    }

    /// [`Service::start`] on a given clock (a `FixedClock` lets a test move time).
    pub async fn start_at(
        api_url: &str,
        mode: Mode,
        delivery: Delivery,
        settings: &[(&str, &str)],
        clock: SharedClock,
    ) -> Service {
        let registry = Registry::new().await;
        let ephemeral = fresh_ephemeral("auth-telegram").await;
        let (db, url) = (registry.db.clone(), registry.url.clone());
        Service::launch(
            api_url,
            mode,
            delivery,
            settings,
            db,
            &url,
            ephemeral,
            Some(registry),
            clock,
        )
        .await
    }

    /// A second service on the same records and ephemeral store (several instances).
    pub async fn start_beside(
        other: &Service,
        api_url: &str,
        mode: Mode,
        delivery: Delivery,
        settings: &[(&str, &str)],
    ) -> Service {
        let url = other.app.config.database_url.clone();
        Service::launch(
            api_url,
            mode,
            delivery,
            settings,
            other.app.db.clone(),
            &url,
            other.app.ephemeral.clone(),
            None,
            other.app.clock.clone(),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn launch(
        api_url: &str,
        mode: Mode,
        delivery: Delivery,
        settings: &[(&str, &str)],
        db: Db,
        database_url: &str,
        ephemeral: Arc<dyn Ephemeral>,
        registry: Option<Registry>,
        clock: SharedClock,
    ) -> Service {
        let mut vars: HashMap<String, String> = [
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("TELEGRAM_API_URL", api_url),
            ("DATABASE_URL", database_url),
        ]
        .into_iter()
        .chain(settings.iter().copied())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if mode == Mode::Webhook {
            vars.insert("PUBLIC_URL".into(), PUBLIC_URL.into());
            vars.insert("TELEGRAM_WEBHOOK_SECRET".into(), WEBHOOK_SECRET.into());
        }
        let config = Config::from_map(&vars).expect("test config");
        let app = App::assemble(config, db, ephemeral, clock, delivery).expect("app assembles");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("service binds");
        let addr = listener.local_addr().expect("service address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(zeinet::serve::run_with(
            app.clone(),
            listener,
            fast_tuning(),
            async move {
                let _ = stopped.await;
            },
        ));
        Service {
            app,
            addr,
            stop: Some(stop),
            task,
            registry,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Posts an update to the webhook with the right secret; the status code.
    pub async fn post_webhook(&self, update: &Value) -> u16 {
        let response = tokio::time::timeout(
            Duration::from_secs(30),
            reqwest::Client::new()
                .post(self.url("/telegram/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET)
                .json(update)
                .send(),
        )
        .await
        .expect("the webhook answers within the patience")
        .expect("the webhook answers");
        response.status().as_u16()
    }

    /// The text of a message key without arguments.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.app.i18n.get(lang, key)
    }

    /// The text of a message with arguments.
    pub fn render(&self, lang: Lang, msg: &Msg) -> String {
        self.app.i18n.render(lang, msg)
    }

    /// Signals shutdown, checks the service returned cleanly, and drops its records.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(Duration::from_secs(15), &mut self.task)
            .await
            .expect("serve returns after shutdown")
            .expect("serve task did not panic");
        assert!(result.is_ok(), "serve failed: {result:?}");
        if let Some(registry) = self.registry.take() {
            registry.cleanup().await;
        }
    }
}
