//! The records layer against real databases.
//!
//! Every backend test runs twice: on SQLite (a file in a temporary directory) always, and on
//! PostgreSQL when `TEST_DATABASE_URL` is set (e.g. `postgres://postgres@127.0.0.1:5432/test`).
//! Each PostgreSQL run gets its own fresh schema (dropped afterwards, even when the test fails),
//! so tests run in parallel and repeatedly. Without the variable the PostgreSQL runs say that
//! they were skipped.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{Datelike, NaiveDate};
use sqlx::Executor;
use zeinet::demo::{self, DemoPerson, SeedReport};
use zeinet::domain::{Email, Iin, Money, Phone, Sex};
use zeinet::store::accounts::{
    self, AccountKind, NewAccount, NewOperation, Operation, OperationKind,
};
use zeinet::store::audit::{self, AuditEntry};
use zeinet::store::chats;
use zeinet::store::depositors::{self, Depositor, Disability, NewDepositor};
use zeinet::store::{Backend, Db, StoreError, migrations};

// ---------------------------------------------------------------------------------------------
// Harness

/// What a test gets: a connected (not yet migrated) database and the URL to open it again.
#[derive(Clone)]
struct Env {
    url: String,
    db: Db,
}

impl Env {
    async fn migrated(&self) -> Db {
        self.db.migrate().await.expect("migrate");
        self.db.clone()
    }

    /// A second, independent pool on the same database (another "process").
    async fn connect_again(&self) -> Db {
        Db::connect(&self.url).await.expect("connect again")
    }
}

async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("records.db").display());
    let db = Db::connect(&url).await.expect("connect sqlite");
    assert_eq!(db.backend(), Backend::Sqlite);
    let outcome = tokio::spawn(test(Env {
        url,
        db: db.clone(),
    }))
    .await;
    db.close().await;
    drop(dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn run_postgres<F, Fut>(test: F)
where
    F: FnOnce(Env) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
        return;
    };
    let admin = Db::connect(&base)
        .await
        .expect("connect to TEST_DATABASE_URL");
    let schema = unique_schema_name();
    exec(&admin, &format!("CREATE SCHEMA {schema}")).await;
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
    let db = Db::connect(&url).await.expect("connect postgres");
    assert_eq!(db.backend(), Backend::Postgres);
    let outcome = tokio::spawn(test(Env {
        url,
        db: db.clone(),
    }))
    .await;
    db.close().await;
    exec(&admin, &format!("DROP SCHEMA {schema} CASCADE")).await;
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "s_{}_{}_{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Generates `mod sqlite` and `mod postgres`, each with one `#[tokio::test]` per listed test.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run_sqlite(super::$name).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run_postgres(super::$name).await
                }
            )*
        }
    };
}

on_both_backends!(
    migrate_fresh_then_rerun_is_a_no_op,
    migrate_concurrently_applies_each_migration_once,
    ping_answers,
    foreign_keys_are_enforced,
    chats_touch_creates_then_refreshes,
    chats_setters_and_count,
    chats_unknown_chat_is_not_found,
    audit_records_and_answers_between,
    depositors_round_trip,
    depositors_duplicate_iin_is_refused_without_leaking_it,
    depositors_duplicate_contact_counts,
    depositors_invalid_disability_group_is_refused,
    depositors_corrupt_rows_name_the_column,
    accounts_insert_list_and_duplicate_kind,
    operations_batched_filtered_and_balanced,
    operations_batch_is_all_or_nothing,
    operations_corrupt_date_names_the_column,
    seed_counts_and_idempotence,
    seed_is_deterministic,
    seed_balances_add_up,
    seed_duplicate_contacts_exist,
    seed_twice_at_once_writes_once,
    database_errors_do_not_quote_bound_values,
);

/// The application spawns these futures on the runtime: they must stay `Send`.
#[allow(dead_code)]
fn public_futures_are_send(db: Db, new: NewDepositor, ops: Vec<NewOperation>) {
    fn send<T: Send>(_: T) {}
    send(async move {
        let _ = db.migrate().await;
        let _ = db.ping().await;
        let _ = chats::touch(&db, 1, 1, 1).await;
        let _ = audit::between(&db, 0, 1, None).await;
        let _ = depositors::insert(&db, &new).await;
        let _ = accounts::insert_operations(&db, &ops).await;
        let _ = accounts::balance(&db, 1, today()).await;
        let _ = demo::seed(&db, today(), NOW_MS).await;
    });
}

// ---------------------------------------------------------------------------------------------
// Fixtures

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The demo's "today" in these tests.
fn today() -> NaiveDate {
    date(2026, 3, 15)
}

const NOW_MS: i64 = 1_773_532_800_000;

fn iin(birth: NaiveDate, sex: Sex, serial: u32) -> Iin {
    (serial..serial + 100)
        .find_map(|s| Iin::from_parts(birth, sex, s))
        .expect("some serial gives a valid IIN")
}

fn new_depositor(serial: u32) -> NewDepositor {
    let birth = date(1985, 4, 12);
    NewDepositor {
        iin: iin(birth, Sex::Female, serial),
        last_name: "Сейтқали".into(),
        first_name: "Айгерім".into(),
        patronymic: Some("Нұрланқызы".into()),
        birth_date: birth,
        sex: Sex::Female,
        phone: Some(Phone::parse("+7 701 555 12 34").expect("phone")),
        email: Some(Email::parse("aigerim@example.com").expect("email")),
        disability: Some(Disability {
            group: 2,
            indefinite: true,
        }),
        created_at_ms: NOW_MS,
    }
}

async fn insert_depositor(db: &Db, serial: u32) -> Depositor {
    depositors::insert(db, &new_depositor(serial))
        .await
        .expect("insert depositor")
}

async fn insert_account(db: &Db, depositor_id: i64, kind: AccountKind) -> i64 {
    accounts::insert_account(
        db,
        &NewAccount {
            depositor_id,
            kind,
            opened_on: date(2010, 1, 1),
            manager: accounts::DEFAULT_MANAGER.into(),
        },
    )
    .await
    .expect("insert account")
    .id
}

async fn exec(db: &Db, sql: &str) {
    db.pool().execute(sql).await.expect(sql);
}

async fn exec_bound(db: &Db, sql: &str, text: &str, id: i64) {
    sqlx::query(sql)
        .bind(text)
        .bind(id)
        .execute(db.pool())
        .await
        .expect(sql);
}

// ---------------------------------------------------------------------------------------------
// Connection and migrations

async fn migrate_fresh_then_rerun_is_a_no_op(env: Env) {
    let known: Vec<i64> = migrations().iter().map(|m| m.version).collect();
    assert!(
        env.db
            .applied_versions()
            .await
            .expect("versions")
            .is_empty()
    );

    let applied = env.db.migrate().await.expect("first migrate");
    assert_eq!(applied as usize, known.len());
    assert_eq!(env.db.applied_versions().await.expect("versions"), known);

    assert_eq!(env.db.migrate().await.expect("second migrate"), 0);
    let other = env.connect_again().await;
    assert_eq!(other.migrate().await.expect("migrate from another pool"), 0);
    assert_eq!(env.db.applied_versions().await.expect("versions"), known);
    // The tables are there and usable.
    assert_eq!(depositors::count(&env.db).await.expect("count"), 0);
    assert_eq!(chats::count(&env.db).await.expect("count"), 0);
}

async fn migrate_concurrently_applies_each_migration_once(env: Env) {
    let first = env.connect_again().await;
    let second = env.connect_again().await;
    let (a, b, c) = tokio::join!(first.migrate(), second.migrate(), env.db.migrate());
    let total = a.expect("first") + b.expect("second") + c.expect("third");
    assert_eq!(total as usize, migrations().len());
    let versions = env.db.applied_versions().await.expect("versions");
    assert_eq!(versions.len(), migrations().len());
    assert_eq!(
        versions.iter().collect::<BTreeSet<_>>().len(),
        versions.len()
    );
}

async fn ping_answers(env: Env) {
    env.db.ping().await.expect("ping");
}

async fn foreign_keys_are_enforced(env: Env) {
    let db = env.migrated().await;
    let orphan = NewAccount {
        depositor_id: 987_654,
        kind: AccountKind::Opv,
        opened_on: date(2020, 1, 1),
        manager: "nbrk".into(),
    };
    let err = accounts::insert_account(&db, &orphan).await;
    assert!(matches!(err, Err(StoreError::Database(_))), "{err:?}");
}

async fn database_errors_do_not_quote_bound_values(env: Env) {
    let db = env.migrated().await;
    let secret = "870101300123";
    // A CHECK violation: PostgreSQL puts the failing row in the error's detail, not its message.
    let refused = sqlx::query(
        "INSERT INTO chats (chat_id, user_id, language, created_at_ms, last_seen_ms) \
         VALUES (1, 1, $1, 0, 0)",
    )
    .bind(secret)
    .execute(db.pool())
    .await
    .expect_err("check constraint");
    let shown = StoreError::from(refused).to_string();
    assert!(!shown.contains(secret), "{shown}");
    assert!(
        shown.to_lowercase().contains("check constraint"),
        "the message still says what: {shown}"
    );

    if db.backend() == Backend::Postgres {
        // "invalid input syntax for type bigint: \"...\"" quotes the value: it must not show.
        let cast = sqlx::query("SELECT CAST($1 AS BIGINT) AS n")
            .bind(format!("x{secret}"))
            .execute(db.pool())
            .await
            .expect_err("not a number");
        let raw = cast.to_string();
        assert!(
            raw.contains(secret),
            "the driver's own message quotes it: {raw}"
        );
        let err = StoreError::from(cast);
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(secret), "{shown}");
            assert!(shown.contains("22P02"), "{shown}");
        }
    }
}

#[tokio::test]
async fn postgresql_scheme_is_accepted() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
        return;
    };
    let Some(rest) = base.strip_prefix("postgres://") else {
        return;
    };
    let db = Db::connect(&format!("postgresql://{rest}"))
        .await
        .expect("connect with postgresql://");
    assert_eq!(db.backend(), Backend::Postgres);
    db.ping().await.expect("ping");
    db.close().await;
}

#[tokio::test]
async fn unsupported_schemes_are_refused_without_echoing_the_url() {
    for url in [
        "mysql://root:hunter2@db/x",
        "redis://127.0.0.1",
        "zeinet.db",
    ] {
        match Db::connect(url).await {
            Err(e @ StoreError::UnsupportedScheme { .. }) => {
                assert!(!e.to_string().contains("hunter2"), "{e}");
            }
            other => panic!("{url}: expected UnsupportedScheme, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn sqlite_creates_the_file_and_sets_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("fresh.db");
    assert!(!path.exists());
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("connect");
    db.ping().await.expect("ping");
    assert!(path.exists(), "the database file is created on first run");

    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .expect("journal_mode");
    assert_eq!(mode.to_lowercase(), "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .expect("foreign_keys");
    assert_eq!(fk, 1);
    let busy: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(db.pool())
        .await
        .expect("busy_timeout");
    assert!(busy > 0);
    db.close().await;
}

#[test]
fn both_backends_know_the_same_migrations() {
    for m in migrations() {
        for table in [
            "depositors",
            "accounts",
            "account_operations",
            "chats",
            "audit_log",
        ] {
            let create = format!("CREATE TABLE {table} ");
            assert_eq!(
                m.sqlite.contains(&create),
                m.postgres.contains(&create),
                "migration {} creates {table} on one backend only",
                m.version
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chats

async fn chats_touch_creates_then_refreshes(env: Env) {
    let db = env.migrated().await;
    assert_eq!(chats::get(&db, 42).await.expect("get"), None);

    let created = chats::touch(&db, 42, 7, 1_000).await.expect("touch");
    assert_eq!(
        created,
        chats::ChatRecord {
            chat_id: 42,
            user_id: 7,
            language: None,
            depositor_id: None,
            created_at_ms: 1_000,
            last_seen_ms: 1_000,
            unreachable: false,
        }
    );

    chats::set_unreachable(&db, 42, true)
        .await
        .expect("unreachable");
    let again = chats::touch(&db, 42, 8, 5_000).await.expect("touch again");
    assert_eq!(again.created_at_ms, 1_000, "created_at never changes");
    assert_eq!(again.last_seen_ms, 5_000);
    assert_eq!(again.user_id, 8);
    assert!(
        !again.unreachable,
        "writing to the bot makes the chat reachable"
    );

    // A late, older touch (another instance) does not move last_seen backwards.
    let late = chats::touch(&db, 42, 8, 3_000).await.expect("late touch");
    assert_eq!(late.last_seen_ms, 5_000);
    assert_eq!(chats::get(&db, 42).await.expect("get"), Some(late));

    // Group chats have negative ids.
    let group = chats::touch(&db, -1_001_234_567_890, 7, 9_000)
        .await
        .expect("group");
    assert_eq!(group.chat_id, -1_001_234_567_890);
    assert_eq!(chats::count(&db).await.expect("count"), 2);
}

async fn chats_setters_and_count(env: Env) {
    let db = env.migrated().await;
    chats::touch(&db, 1, 11, 100).await.expect("touch");
    chats::touch(&db, 2, 22, 100).await.expect("touch");
    chats::touch(&db, 3, 33, 100).await.expect("touch");
    assert_eq!(chats::count(&db).await.expect("count"), 3);

    chats::set_language(&db, 2, "kk").await.expect("kk");
    let chat = chats::get(&db, 2).await.expect("get").expect("exists");
    assert_eq!(chat.language.as_deref(), Some("kk"));
    chats::set_language(&db, 2, "en").await.expect("en");
    let chat = chats::get(&db, 2).await.expect("get").expect("exists");
    assert_eq!(chat.language.as_deref(), Some("en"));
    assert!(
        chats::set_language(&db, 2, "de").await.is_err(),
        "only kk, ru and en are stored"
    );

    chats::set_unreachable(&db, 3, true).await.expect("set");
    assert!(
        chats::get(&db, 3)
            .await
            .expect("get")
            .expect("exists")
            .unreachable
    );
    chats::set_unreachable(&db, 3, false).await.expect("clear");
    assert!(
        !chats::get(&db, 3)
            .await
            .expect("get")
            .expect("exists")
            .unreachable
    );

    let depositor = insert_depositor(&db, 100).await;
    chats::set_depositor(&db, 1, Some(depositor.id))
        .await
        .expect("bind");
    let chat = chats::get(&db, 1).await.expect("get").expect("exists");
    assert_eq!(chat.depositor_id, Some(depositor.id));
    chats::set_depositor(&db, 1, None).await.expect("unbind");
    let chat = chats::get(&db, 1).await.expect("get").expect("exists");
    assert_eq!(chat.depositor_id, None);
    // Other chats are untouched.
    let other = chats::get(&db, 3).await.expect("get").expect("exists");
    assert_eq!((other.language, other.depositor_id), (None, None));
}

async fn chats_unknown_chat_is_not_found(env: Env) {
    let db = env.migrated().await;
    assert!(matches!(
        chats::set_language(&db, 404, "ru").await,
        Err(StoreError::NotFound { what: "chat" })
    ));
    assert!(matches!(
        chats::set_unreachable(&db, 404, true).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        chats::set_depositor(&db, 404, None).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(chats::count(&db).await.expect("count"), 0);
}

// ---------------------------------------------------------------------------------------------
// Audit

fn entry(at_ms: i64, chat_id: Option<i64>, action: &str, subject: Option<&str>) -> AuditEntry {
    AuditEntry {
        at_ms,
        chat_id,
        actor: "depositor".into(),
        action: action.into(),
        subject: subject.map(str::to_owned),
        details: Some(format!("{{\"n\":{at_ms}}}")),
    }
}

async fn audit_records_and_answers_between(env: Env) {
    let db = env.migrated().await;
    let entries = [
        entry(100, Some(1), "login", Some("85****1234")),
        entry(200, Some(2), "statement.sent", Some("90****5678")),
        entry(300, Some(1), "statement.sent", Some("85****1234")),
        entry(300, None, "broadcast.started", None),
        entry(400, Some(1), "logout", None),
    ];
    // Written out of order: the query sorts by time.
    for e in entries.iter().rev() {
        audit::record(&db, e).await.expect("record");
    }

    let chat_one = audit::between(&db, 100, 300, Some(1))
        .await
        .expect("between");
    assert_eq!(chat_one, vec![entries[0].clone(), entries[2].clone()]);

    let all = audit::between(&db, 200, 300, None).await.expect("between");
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|e| (200..=300).contains(&e.at_ms)));
    assert!(all.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    assert!(all.contains(&entries[3]), "entries without a chat are kept");

    assert!(
        audit::between(&db, 401, 10_000, None)
            .await
            .expect("between")
            .is_empty()
    );
    assert!(
        audit::between(&db, 0, 10_000, Some(3))
            .await
            .expect("between")
            .is_empty()
    );
    assert_eq!(
        audit::between(&db, 0, 10_000, None)
            .await
            .expect("all")
            .len(),
        5
    );
}

// ---------------------------------------------------------------------------------------------
// Depositors

async fn depositors_round_trip(env: Env) {
    let db = env.migrated().await;
    let new = new_depositor(1);
    let stored = depositors::insert(&db, &new).await.expect("insert");
    assert!(stored.id > 0);
    assert_eq!(stored.iin, new.iin);
    assert_eq!(stored.last_name, "Сейтқали");
    assert_eq!(stored.patronymic.as_deref(), Some("Нұрланқызы"));
    assert_eq!(stored.birth_date, new.birth_date);
    assert_eq!(stored.sex, Sex::Female);
    assert_eq!(stored.phone, new.phone);
    assert_eq!(stored.email, new.email);
    assert_eq!(stored.disability, new.disability);

    assert_eq!(
        depositors::find_by_iin(&db, &new.iin)
            .await
            .expect("by iin"),
        Some(stored.clone())
    );
    assert_eq!(
        depositors::find_by_id(&db, stored.id).await.expect("by id"),
        Some(stored.clone())
    );

    // A depositor with nothing optional.
    let birth = date(1956, 1, 10);
    let bare = NewDepositor {
        iin: iin(birth, Sex::Male, 4321),
        last_name: "Ли".into(),
        first_name: "Дмитрий".into(),
        patronymic: None,
        birth_date: birth,
        sex: Sex::Male,
        phone: None,
        email: None,
        disability: None,
        created_at_ms: NOW_MS,
    };
    let bare_stored = depositors::insert(&db, &bare).await.expect("insert bare");
    let found = depositors::find_by_iin(&db, &bare.iin)
        .await
        .expect("find")
        .expect("exists");
    assert_eq!(found, bare_stored);
    assert_eq!(
        (found.patronymic, found.phone, found.email, found.disability),
        (None, None, None, None)
    );
    assert_eq!(found.sex, Sex::Male);

    let unknown = iin(date(1999, 9, 9), Sex::Male, 1);
    assert_eq!(
        depositors::find_by_iin(&db, &unknown).await.expect("find"),
        None
    );
    assert_eq!(
        depositors::find_by_id(&db, 999_999).await.expect("find"),
        None
    );
    assert_eq!(depositors::count(&db).await.expect("count"), 2);
}

async fn depositors_duplicate_iin_is_refused_without_leaking_it(env: Env) {
    let db = env.migrated().await;
    let new = new_depositor(2);
    depositors::insert(&db, &new).await.expect("first insert");
    let err = depositors::insert(&db, &new)
        .await
        .expect_err("second insert");
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err:?}");
    assert!(err.is_unique_violation());
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(new.iin.as_str()), "{shown}");
    }
    assert_eq!(depositors::count(&db).await.expect("count"), 1);
}

async fn depositors_duplicate_contact_counts(env: Env) {
    let db = env.migrated().await;
    let shared_phone = Phone::parse("8 778 123 45 67").expect("phone");
    let shared_email = Email::parse("family@example.org").expect("email");
    let mut a = new_depositor(10);
    a.phone = Some(shared_phone.clone());
    a.email = Some(shared_email.clone());
    let mut b = new_depositor(20);
    // Typed differently, stored the same (E.164).
    b.phone = Some(Phone::parse("+7(778)1234567").expect("phone"));
    b.email = None;
    let mut c = new_depositor(30);
    c.phone = Some(Phone::parse("+77051112233").expect("phone"));
    c.email = Some(shared_email.clone());
    for d in [&a, &b, &c] {
        depositors::insert(&db, d).await.expect("insert");
    }
    assert_eq!(
        depositors::count_with_phone(&db, &shared_phone)
            .await
            .expect("n"),
        2
    );
    let own = Phone::parse("+77051112233").expect("phone");
    assert_eq!(depositors::count_with_phone(&db, &own).await.expect("n"), 1);
    let nobody = Phone::parse("+77770000000").expect("phone");
    assert_eq!(
        depositors::count_with_phone(&db, &nobody).await.expect("n"),
        0
    );
    assert_eq!(
        depositors::count_with_email(&db, &shared_email)
            .await
            .expect("n"),
        2
    );
    let unused = Email::parse("nobody@example.net").expect("email");
    assert_eq!(
        depositors::count_with_email(&db, &unused).await.expect("n"),
        0
    );
}

async fn depositors_invalid_disability_group_is_refused(env: Env) {
    let db = env.migrated().await;
    let mut new = new_depositor(3);
    new.disability = Some(Disability {
        group: 4,
        indefinite: false,
    });
    assert!(matches!(
        depositors::insert(&db, &new).await,
        Err(StoreError::Invalid {
            what: "disability",
            ..
        })
    ));
    assert_eq!(depositors::count(&db).await.expect("count"), 0);
}

async fn depositors_corrupt_rows_name_the_column(env: Env) {
    let db = env.migrated().await;
    let cases = [
        ("iin", "000000000000"),
        ("birth_date", "1985-02-30"),
        ("phone", "+79161234567"),
        ("email", "no-at-sign"),
    ];
    for (serial, (column, bad)) in (40u32..).step_by(10).zip(cases) {
        let d = insert_depositor(&db, serial).await;
        exec_bound(
            &db,
            &format!("UPDATE depositors SET {column} = $1 WHERE id = $2"),
            bad,
            d.id,
        )
        .await;
        let err = depositors::find_by_id(&db, d.id)
            .await
            .expect_err("corrupt");
        match &err {
            StoreError::Corrupt { table, column: c } => {
                assert_eq!((*table, *c), ("depositors", column));
            }
            other => panic!("{column}: expected Corrupt, got {other:?}"),
        }
        assert!(!err.to_string().contains(bad), "{err}");
        if column != "iin" {
            assert!(depositors::find_by_iin(&db, &d.iin).await.is_err());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts and operations

async fn accounts_insert_list_and_duplicate_kind(env: Env) {
    let db = env.migrated().await;
    let owner = insert_depositor(&db, 200).await;
    let other = insert_depositor(&db, 300).await;
    // Inserted out of order; listed ОПВ, ОППВ, ОПВР, ДПВ.
    for kind in [AccountKind::Dpv, AccountKind::Opv, AccountKind::Opvr] {
        insert_account(&db, owner.id, kind).await;
    }
    let private = accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: other.id,
            kind: AccountKind::Dpv,
            opened_on: date(2021, 6, 1),
            manager: "halyk-gm".into(),
        },
    )
    .await
    .expect("insert");
    assert_eq!(private.manager, "halyk-gm");
    assert_eq!(private.opened_on, date(2021, 6, 1));

    let listed = accounts::accounts_of(&db, owner.id).await.expect("list");
    let kinds: Vec<AccountKind> = listed.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [AccountKind::Opv, AccountKind::Opvr, AccountKind::Dpv]
    );
    assert!(
        listed
            .iter()
            .all(|a| a.depositor_id == owner.id && a.manager == "nbrk")
    );
    assert_eq!(
        accounts::accounts_of(&db, other.id).await.expect("list"),
        vec![private]
    );
    assert!(
        accounts::accounts_of(&db, 999_999)
            .await
            .expect("list")
            .is_empty()
    );

    let again = accounts::insert_account(
        &db,
        &NewAccount {
            depositor_id: owner.id,
            kind: AccountKind::Opv,
            opened_on: date(2022, 1, 1),
            manager: "nbrk".into(),
        },
    )
    .await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists { .. })),
        "{again:?}"
    );
}

/// An operation without its ids: date, kind, tiyn, payer, period.
type OpFields = (
    NaiveDate,
    OperationKind,
    i64,
    Option<String>,
    Option<String>,
);

fn op(account_id: i64, op_date: NaiveDate, kind: OperationKind, tiyn: i64) -> NewOperation {
    NewOperation {
        account_id,
        op_date,
        kind,
        amount: Money::from_tiyn(tiyn),
        payer: (kind == OperationKind::Contribution).then(|| "ТОО «Дала Құрылыс»".to_owned()),
        period: (kind == OperationKind::Contribution)
            .then(|| format!("{:04}-{:02}", op_date.year(), op_date.month())),
        created_at_ms: NOW_MS,
    }
}

async fn operations_batched_filtered_and_balanced(env: Env) {
    let db = env.migrated().await;
    let owner = insert_depositor(&db, 400).await;
    let opv = insert_account(&db, owner.id, AccountKind::Opv).await;
    let dpv = insert_account(&db, owner.id, AccountKind::Dpv).await;

    // 1 234 operations on ОПВ (more than two statements' worth), a few on ДПВ; one per day,
    // with a payout and a fee now and then.
    let start = date(2020, 1, 1);
    let mut ops = Vec::new();
    for i in 0..1234i64 {
        let day = start + chrono::Days::new(i as u64);
        let (kind, tiyn) = match i % 50 {
            49 => (OperationKind::Payout, -300_000),
            25 => (OperationKind::Fee, -1_234),
            _ => (OperationKind::Contribution, 5_000_000 + i),
        };
        ops.push(op(opv, day, kind, tiyn));
    }
    for i in 0..3 {
        ops.push(op(
            dpv,
            date(2021, 1 + i, 10),
            OperationKind::Contribution,
            1_000_000,
        ));
    }
    let written = accounts::insert_operations(&db, &ops)
        .await
        .expect("insert ops");
    assert_eq!(written, ops.len() as u64);
    assert_eq!(
        accounts::insert_operations(&db, &[]).await.expect("empty"),
        0
    );

    let all = accounts::operations(&db, opv, None, None)
        .await
        .expect("all");
    assert_eq!(all.len(), 1234);
    assert!(all.windows(2).all(|w| w[0].op_date <= w[1].op_date));
    let expected: Vec<OpFields> = ops
        .iter()
        .filter(|o| o.account_id == opv)
        .map(|o| {
            (
                o.op_date,
                o.kind,
                o.amount.tiyn(),
                o.payer.clone(),
                o.period.clone(),
            )
        })
        .collect();
    let got: Vec<_> = all
        .iter()
        .map(|o: &Operation| {
            (
                o.op_date,
                o.kind,
                o.amount.tiyn(),
                o.payer.clone(),
                o.period.clone(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    assert!(all.iter().all(|o| o.account_id == opv));

    let (from, to) = (date(2021, 3, 1), date(2021, 3, 31));
    let march = accounts::operations(&db, opv, Some(from), Some(to))
        .await
        .expect("march");
    assert_eq!(march.len(), 31);
    assert!(march.iter().all(|o| (from..=to).contains(&o.op_date)));
    let since = accounts::operations(&db, opv, Some(date(2023, 5, 1)), None)
        .await
        .expect("since");
    assert_eq!(
        since.len(),
        expected.iter().filter(|e| e.0 >= date(2023, 5, 1)).count()
    );
    let until = accounts::operations(&db, opv, None, Some(start))
        .await
        .expect("until");
    assert_eq!(until.len(), 1);

    let sum_until =
        |on: NaiveDate| -> i64 { expected.iter().filter(|e| e.0 <= on).map(|e| e.2).sum() };
    for on in [
        date(2019, 12, 31),
        start,
        date(2021, 3, 31),
        date(2023, 5, 18),
        date(2030, 1, 1),
    ] {
        let balance = accounts::balance(&db, opv, on).await.expect("balance");
        assert_eq!(balance.tiyn(), sum_until(on), "ОПВ balance on {on}");
    }
    // Opening balance + movements in the period = closing balance.
    let before = accounts::balance(&db, opv, from.pred_opt().expect("day"))
        .await
        .expect("b");
    let after = accounts::balance(&db, opv, to).await.expect("b");
    let moved: i64 = march.iter().map(|o| o.amount.tiyn()).sum();
    assert_eq!(before.tiyn() + moved, after.tiyn());

    assert_eq!(
        accounts::balance(&db, dpv, date(2021, 2, 10))
            .await
            .expect("dpv")
            .tiyn(),
        2_000_000
    );
    assert_eq!(
        accounts::balance(&db, 999_999, today())
            .await
            .expect("none")
            .tiyn(),
        0
    );
}

async fn operations_batch_is_all_or_nothing(env: Env) {
    let db = env.migrated().await;
    let owner = insert_depositor(&db, 500).await;
    let opv = insert_account(&db, owner.id, AccountKind::Opv).await;
    let mut ops: Vec<NewOperation> = (0..1100)
        .map(|i| {
            op(
                opv,
                date(2022, 1, 1) + chrono::Days::new(i),
                OperationKind::Contribution,
                100,
            )
        })
        .collect();
    // The last statement fails on the foreign key: the first two must not stay.
    ops.push(op(
        987_654,
        date(2024, 1, 1),
        OperationKind::Contribution,
        100,
    ));
    assert!(accounts::insert_operations(&db, &ops).await.is_err());
    assert!(
        accounts::operations(&db, opv, None, None)
            .await
            .expect("ops")
            .is_empty()
    );
    assert_eq!(
        accounts::balance(&db, opv, today())
            .await
            .expect("b")
            .tiyn(),
        0
    );
}

async fn operations_corrupt_date_names_the_column(env: Env) {
    let db = env.migrated().await;
    let owner = insert_depositor(&db, 600).await;
    let opv = insert_account(&db, owner.id, AccountKind::Opv).await;
    accounts::insert_operations(
        &db,
        &[op(opv, date(2024, 1, 10), OperationKind::Contribution, 1)],
    )
    .await
    .expect("insert");
    exec_bound(
        &db,
        "UPDATE account_operations SET op_date = $1 WHERE account_id = $2",
        "2024-13-10",
        opv,
    )
    .await;
    let err = accounts::operations(&db, opv, None, None)
        .await
        .expect_err("corrupt");
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                table: "account_operations",
                column: "op_date"
            }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Demo registry

async fn seed_counts_and_idempotence(env: Env) {
    let db = env.migrated().await;
    let people = demo::people();
    let expected_accounts: usize = people.iter().map(|p| p.accounts(today()).len()).sum();
    let expected_ops: usize = people
        .iter()
        .flat_map(|p| p.accounts(today()))
        .map(|a| a.operations.len())
        .sum();

    let report = demo::seed(&db, today(), NOW_MS).await.expect("seed");
    assert_eq!(
        report,
        SeedReport::Seeded {
            depositors: people.len() as u64,
            accounts: expected_accounts as u64,
            operations: expected_ops as u64,
        }
    );
    assert!(
        expected_ops > 5_000,
        "years of monthly history: {expected_ops}"
    );
    assert_eq!(
        depositors::count(&db).await.expect("count"),
        people.len() as i64
    );

    let again = demo::seed(&db, today(), NOW_MS).await.expect("seed again");
    assert_eq!(
        again,
        SeedReport::AlreadyPresent {
            depositors: people.len() as i64
        }
    );
    assert!(again.to_string().contains("not seeded"));
    assert_eq!(
        depositors::count(&db).await.expect("count"),
        people.len() as i64
    );
    assert_eq!(dump(&db).await.len(), expected_ops);
}

/// Everything the seed wrote, without database ids, in the generator's order.
async fn dump(db: &Db) -> Vec<String> {
    let mut lines = Vec::new();
    for person in demo::people() {
        let d = depositors::find_by_iin(db, &person.iin)
            .await
            .expect("find")
            .expect("seeded");
        let head = format!(
            "{} {} {:?} {:?} {} {:?} {:?} {:?} {:?}",
            d.iin.as_str(),
            d.last_name,
            d.first_name,
            d.patronymic,
            d.birth_date,
            d.sex,
            d.phone.as_ref().map(Phone::e164),
            d.email.as_ref().map(Email::as_str),
            d.disability
        );
        for account in accounts::accounts_of(db, d.id).await.expect("accounts") {
            for o in accounts::operations(db, account.id, None, None)
                .await
                .expect("ops")
            {
                lines.push(format!(
                    "{head} | {:?} {} {} | {} {:?} {} {:?} {:?}",
                    account.kind,
                    account.opened_on,
                    account.manager,
                    o.op_date,
                    o.kind,
                    o.amount.tiyn(),
                    o.payer,
                    o.period
                ));
            }
        }
    }
    lines
}

async fn seed_is_deterministic(env: Env) {
    let db = env.migrated().await;
    demo::seed(&db, today(), NOW_MS).await.expect("seed");
    let first = dump(&db).await;
    exec(
        &db,
        "DELETE FROM account_operations; DELETE FROM accounts; DELETE FROM depositors;",
    )
    .await;
    assert_eq!(depositors::count(&db).await.expect("count"), 0);
    let report = demo::seed(&db, today(), NOW_MS + 1)
        .await
        .expect("seed again");
    assert!(matches!(report, SeedReport::Seeded { .. }));
    let second = dump(&db).await;
    assert_eq!(first.len(), second.len());
    assert!(first == second, "the same seed gave different data");
}

async fn seed_balances_add_up(env: Env) {
    let db = env.migrated().await;
    demo::seed(&db, today(), NOW_MS).await.expect("seed");
    let mid_year = date(2020, 6, 30);
    for person in demo::people() {
        let d = depositors::find_by_iin(&db, &person.iin)
            .await
            .expect("find")
            .expect("seeded");
        assert_eq!(d.last_name, person.last_name);
        assert_eq!(d.phone, person.phone);
        assert_eq!(d.email, person.email);
        assert_eq!(d.disability, person.disability);
        let expected = person.accounts(today());
        let stored = accounts::accounts_of(&db, d.id).await.expect("accounts");
        assert_eq!(
            stored
                .iter()
                .map(|a| (a.kind, a.opened_on))
                .collect::<Vec<_>>(),
            expected
                .iter()
                .map(|a| (a.kind, a.opened_on))
                .collect::<Vec<_>>(),
            "accounts of #{}",
            person.number
        );
        for (account, generated) in stored.iter().zip(&expected) {
            let balance = accounts::balance(&db, account.id, today())
                .await
                .expect("balance");
            assert_eq!(
                balance,
                generated.balance(),
                "#{} {:?}",
                person.number,
                account.kind
            );
            assert!(
                !balance.is_negative(),
                "#{} {:?}",
                person.number,
                account.kind
            );
            let ops = accounts::operations(&db, account.id, None, None)
                .await
                .expect("ops");
            let sum: i64 = ops.iter().map(|o| o.amount.tiyn()).sum();
            assert_eq!(sum, balance.tiyn());
            let until_mid: i64 = ops
                .iter()
                .filter(|o| o.op_date <= mid_year)
                .map(|o| o.amount.tiyn())
                .sum();
            let at_mid = accounts::balance(&db, account.id, mid_year)
                .await
                .expect("balance");
            assert_eq!(at_mid.tiyn(), until_mid);
        }
    }
}

async fn seed_duplicate_contacts_exist(env: Env) {
    let db = env.migrated().await;
    demo::seed(&db, today(), NOW_MS).await.expect("seed");
    let people = demo::people();
    let mut shared_phones = 0;
    let mut shared_emails = 0;
    for person in &people {
        if let Some(phone) = &person.phone
            && depositors::count_with_phone(&db, phone)
                .await
                .expect("count")
                > 1
        {
            shared_phones += 1;
        }
        if let Some(email) = &person.email
            && depositors::count_with_email(&db, email)
                .await
                .expect("count")
                > 1
        {
            shared_emails += 1;
        }
    }
    assert_eq!(shared_phones, 2, "one pair shares a phone");
    assert_eq!(shared_emails, 2, "one pair shares an e-mail");
}

async fn seed_twice_at_once_writes_once(env: Env) {
    let db = env.migrated().await;
    let other = env.connect_again().await;
    let (a, b) = tokio::join!(
        demo::seed(&db, today(), NOW_MS),
        demo::seed(&other, today(), NOW_MS)
    );
    let reports = [a.expect("first"), b.expect("second")];
    let seeded = reports
        .iter()
        .filter(|r| matches!(r, SeedReport::Seeded { .. }))
        .count();
    assert_eq!(seeded, 1, "{reports:?}");
    assert_eq!(
        depositors::count(&db).await.expect("count"),
        demo::people().len() as i64
    );
}

// ---------------------------------------------------------------------------------------------
// Demo registry, pure properties

fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

fn is_cyrillic_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| ('\u{0400}'..='\u{04FF}').contains(&c) || c == '-')
}

#[test]
fn demo_people_are_the_same_every_time() {
    let first = demo::people();
    let second = demo::people();
    assert_eq!(first, second);
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.accounts(today()), b.accounts(today()));
    }
}

#[test]
fn demo_people_are_valid_and_varied() {
    let people = demo::people();
    assert!(people.len() >= 32, "{} people", people.len());
    let numbers: Vec<usize> = people.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=people.len()).collect::<Vec<_>>());

    let iins: BTreeSet<&str> = people.iter().map(|p| p.iin.as_str()).collect();
    assert_eq!(iins.len(), people.len(), "IINs are unique");
    let mut sexes = BTreeSet::new();
    for p in &people {
        let reparsed = Iin::parse(p.iin.as_str()).expect("every IIN parses");
        assert_eq!(reparsed.birth_date(), p.birth_date, "#{}", p.number);
        assert_eq!(reparsed.sex(), p.sex, "#{}", p.number);
        let age = age_on(p.birth_date, today());
        assert!((19..=70).contains(&age), "#{} is {age}", p.number);
        assert!(
            is_cyrillic_name(p.last_name),
            "#{} {}",
            p.number,
            p.last_name
        );
        assert!(
            is_cyrillic_name(p.first_name),
            "#{} {}",
            p.number,
            p.first_name
        );
        if let Some(patronymic) = p.patronymic {
            assert!(is_cyrillic_name(patronymic), "#{} {patronymic}", p.number);
        }
        assert!(!p.purpose.is_empty(), "#{} needs a purpose", p.number);
        if let Some(phone) = &p.phone {
            assert_eq!(Phone::parse(phone.e164()).as_ref(), Ok(phone));
        }
        sexes.insert(format!("{:?}", p.sex));
    }
    assert_eq!(sexes.len(), 2);
    assert!(people.iter().any(|p| p.patronymic.is_none()));
    assert!(
        people
            .iter()
            .any(|p| p.last_name.contains(['қ', 'ә', 'ұ', 'ғ', 'ө', 'і']))
    );

    let phone_only = people
        .iter()
        .filter(|p| p.phone.is_some() && p.email.is_none());
    let both = people
        .iter()
        .filter(|p| p.phone.is_some() && p.email.is_some());
    let email_only = people
        .iter()
        .filter(|p| p.phone.is_none() && p.email.is_some());
    let none = people
        .iter()
        .filter(|p| p.phone.is_none() && p.email.is_none());
    assert!(phone_only.count() >= 5);
    assert!(both.count() >= 3);
    assert!(email_only.count() >= 2);
    assert!(none.count() >= 1);

    let group = |g: u8, indefinite: bool| {
        people
            .iter()
            .filter(|p| {
                p.disability
                    == Some(Disability {
                        group: g,
                        indefinite,
                    })
            })
            .count()
    };
    assert!(group(1, true) >= 1 && group(2, true) >= 1 && group(3, true) >= 1);
    assert!(people.iter().filter(|p| p.disability.is_none()).count() >= 20);
}

#[test]
fn demo_duplicate_pairs_are_in_the_list() {
    let people = demo::people();
    let mut phones = std::collections::BTreeMap::<&str, Vec<usize>>::new();
    let mut emails = std::collections::BTreeMap::<&str, Vec<usize>>::new();
    for p in &people {
        if let Some(phone) = &p.phone {
            phones.entry(phone.e164()).or_default().push(p.number);
        }
        if let Some(email) = &p.email {
            emails.entry(email.as_str()).or_default().push(p.number);
        }
    }
    let shared_phones: Vec<_> = phones.values().filter(|v| v.len() > 1).collect();
    let shared_emails: Vec<_> = emails.values().filter(|v| v.len() > 1).collect();
    assert_eq!(shared_phones.len(), 1, "{shared_phones:?}");
    assert_eq!(shared_emails.len(), 1, "{shared_emails:?}");
    for pair in shared_phones.iter().chain(&shared_emails) {
        assert_eq!(pair.len(), 2);
        for n in pair.iter() {
            let purpose = people[n - 1].purpose;
            assert!(purpose.contains("duplicate"), "#{n}: {purpose}");
        }
    }
}

fn accounts_by_kind(person: &DemoPerson) -> Vec<AccountKind> {
    person.accounts(today()).iter().map(|a| a.kind).collect()
}

#[test]
fn demo_histories_follow_the_rules() {
    let people = demo::people();
    let mut negative_income_years = 0;
    let mut with_dpv = 0;
    let mut with_oppv = 0;
    for p in &people {
        let accounts = p.accounts(today());
        let kinds = accounts_by_kind(p);
        assert_eq!(
            kinds.first(),
            Some(&AccountKind::Opv),
            "#{} has ОПВ",
            p.number
        );
        let has_opvr = kinds.contains(&AccountKind::Opvr);
        if p.birth_date.year() < 1975 {
            assert!(!has_opvr, "#{} born before 1975 has no ОПВР", p.number);
        }
        with_dpv += usize::from(kinds.contains(&AccountKind::Dpv));
        with_oppv += usize::from(kinds.contains(&AccountKind::Oppv));

        for account in &accounts {
            assert!(account.opened_on <= today());
            assert!(
                account
                    .operations
                    .windows(2)
                    .all(|w| w[0].op_date <= w[1].op_date)
            );
            assert!(account.operations.iter().all(|o| o.op_date <= today()));
            assert!(
                account
                    .operations
                    .iter()
                    .all(|o| o.op_date >= account.opened_on)
            );
            let mut running = 0i64;
            for o in &account.operations {
                running += o.amount.tiyn();
                assert!(
                    running >= 0,
                    "#{} {:?} went negative",
                    p.number,
                    account.kind
                );
                match o.kind {
                    OperationKind::Contribution => {
                        assert!(o.amount.tiyn() > 0);
                        assert!(o.payer.as_deref().is_some_and(|s| !s.is_empty()));
                        let period = o.period.as_deref().expect("period");
                        assert!(period < &o.op_date.format("%Y-%m").to_string()[..]);
                    }
                    OperationKind::InvestmentIncome => {
                        assert_eq!((o.op_date.month(), o.op_date.day()), (12, 31));
                        negative_income_years += usize::from(o.amount.is_negative());
                    }
                    OperationKind::Payout => assert!(o.amount.is_negative()),
                    _ => {}
                }
            }
            if account.kind == AccountKind::Opvr {
                assert!(account.opened_on >= date(2024, 1, 1));
                let first_period = account
                    .operations
                    .iter()
                    .find_map(|o| o.period.clone())
                    .expect("ОПВР contributions");
                assert!(first_period.as_str() >= "2024-01");
            }
        }

        // ОПВ: 3 to 25 years of monthly contributions, 10% of a plausible salary.
        let opv = &accounts[0];
        let contributions: Vec<_> = opv
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Contribution)
            .collect();
        assert!(
            (30..=12 * 26 + 3).contains(&contributions.len()),
            "#{}: {} contributions",
            p.number,
            contributions.len()
        );
        for c in &contributions {
            let salary_kzt = c.amount.tiyn() * 10 / 100;
            assert!(
                (15_000..=2_000_000).contains(&salary_kzt),
                "#{} salary {salary_kzt}",
                p.number
            );
        }
    }
    assert!(negative_income_years > 0, "some years have negative income");
    assert!(with_dpv >= 5, "{with_dpv} with ДПВ");
    assert!((1..=6).contains(&with_oppv), "{with_oppv} with ОППВ");
    // Born 1975 or later and still working: ОПВР.
    let young_workers = people
        .iter()
        .filter(|p| p.birth_date.year() >= 1975)
        .filter(|p| accounts_by_kind(p).contains(&AccountKind::Opvr))
        .count();
    assert!(young_workers >= 15, "{young_workers} with ОПВР");
    // Someone already receives disability payouts.
    assert!(people.iter().any(|p| {
        p.accounts(today())
            .iter()
            .flat_map(|a| &a.operations)
            .any(|o| o.kind == OperationKind::Payout)
    }));
}

#[test]
fn demo_history_before_a_date_does_not_depend_on_today() {
    for p in demo::people() {
        let early = date(2024, 6, 30);
        let short = p.accounts(early);
        let long = p.accounts(today());
        for account in &short {
            let later = long
                .iter()
                .find(|a| a.kind == account.kind)
                .expect("account still there");
            let prefix: Vec<_> = later
                .operations
                .iter()
                .filter(|o| o.op_date <= early)
                .cloned()
                .collect();
            assert_eq!(
                prefix, account.operations,
                "#{} {:?}",
                p.number, account.kind
            );
        }
    }
}

#[test]
fn demo_table_lists_everyone() {
    let people = demo::people();
    let table = demo::format_table(&people);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        people.len() + 2,
        "header, rule, one line per person"
    );
    assert!(lines[0].starts_with('#') && lines[0].contains("Purpose"));
    for (p, line) in people.iter().zip(&lines[2..]) {
        assert!(line.contains(p.iin.as_str()), "{line}");
        assert!(line.contains(&p.full_name()), "{line}");
        assert!(line.contains(p.purpose), "{line}");
        match &p.phone {
            Some(phone) => assert!(line.contains(phone.e164()), "{line}"),
            None => assert!(line.contains('—'), "{line}"),
        }
        if let Some(email) = &p.email {
            assert!(line.contains(email.as_str()), "{line}");
        }
    }
    // Columns line up: the IIN starts at the same character on every line.
    let iin_columns: BTreeSet<usize> = people
        .iter()
        .zip(&lines[2..])
        .map(|(p, line)| {
            let byte = line.find(p.iin.as_str()).expect("iin");
            line[..byte].chars().count()
        })
        .collect();
    assert_eq!(iin_columns.len(), 1);
}
