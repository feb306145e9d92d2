//! `zeinet loadtest`: the service under load, end to end, on this machine.
//!
//! A fake Bot API ([`fake`]) runs in this process; `zeinet serve` runs as a child process
//! against it ([`child`]), in long-polling or webhook mode, on the embedded stores (a fresh
//! SQLite file and the in-process store) or on `DATABASE_URL` / `REDIS_URL` when set. The
//! registry is seeded with the demo depositors, each given a password. Virtual users
//! ([`user`]) play realistic paths ([`paths`]) in closed loop, each in its own chat. `--echo`
//! adds the same users' menu messages against a bare teloxide echo bot ([`echo`]), the ceiling
//! of the stack, in each mode played (each Zeinet mode is compared with the echo bot's); `--sessions N` measures the memory of N sessions in the in-process store
//! ([`sessions`]). Figures: [`report`].

mod child;
pub mod echo;
mod fake;
mod paths;
mod report;
mod scenario;
mod sessions;
mod user;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::clock::{Clock, SystemClock};
use crate::i18n::I18n;
use crate::store::{Db, credentials, depositors};

use paths::{Account, Path};
use report::{Machine, Report};
use scenario::{Passes, Plan, run_echo, run_zeinet};

/// The password every demo depositor gets for the run.
const PASSWORD: &str = "Zeinet-Load-2026!";
/// A fixed key for one-time codes (the paths played send none).
const OTP_KEY: &str = "4c6f61642d746573742d6f74702d6b65792d6f6e6c792d666f722d6c6f616421";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModeChoice {
    Polling,
    Webhook,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PathChoice {
    Menu,
    SignIn,
    Both,
}

#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// Virtual users, each in its own chat.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=5000))]
    pub users: u16,
    /// Passes of the path per user (default 3 when --duration is not given).
    #[arg(long, conflicts_with = "duration")]
    pub iterations: Option<u64>,
    /// Play for this many seconds instead (each user finishes its current pass).
    #[arg(long)]
    pub duration: Option<u64>,
    /// How updates reach `zeinet serve`.
    #[arg(long, value_enum, default_value = "both")]
    pub mode: ModeChoice,
    /// Which path the users play.
    #[arg(long, value_enum, default_value = "both")]
    pub path: PathChoice,
    /// Also run the users' menu messages against a bare teloxide echo bot, in the same modes.
    #[arg(long)]
    pub echo: bool,
    /// Instead: create this many chat sessions in the in-process store and report memory.
    #[arg(long, conflicts_with_all = ["echo", "iterations", "duration"])]
    pub sessions: Option<usize>,
    /// Play everything this many times, the echo bot and Zeinet alternating mode by mode, and
    /// report the median ratio (a shared machine's speed drifts from one minute to the next).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub rounds: u32,
    /// Print the figures as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: LoadArgs) -> anyhow::Result<()> {
    if let Some(count) = args.sessions {
        let report = sessions::run(count).await?;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", report.table());
        }
        return Ok(());
    }
    let load_before = child::load_average();
    let work = tempfile_dir()?;
    let stores = Stores::from_env(&work)?;
    let accounts = prepare_registry(&stores.database_url).await?;
    let i18n = Arc::new(I18n::load()?);
    let plan = Plan {
        users: usize::from(args.users),
        passes: match (args.iterations, args.duration) {
            (_, Some(seconds)) => Passes::For(Duration::from_secs(seconds)),
            (Some(n), None) => Passes::Count(n),
            (None, None) => Passes::Count(3),
        },
    };
    let modes: &[(&str, bool)] = match args.mode {
        ModeChoice::Polling => &[("polling", false)],
        ModeChoice::Webhook => &[("webhook", true)],
        ModeChoice::Both => &[("polling", false), ("webhook", true)],
    };
    let chosen_paths: &[Path] = match args.path {
        PathChoice::Menu => &[Path::Menu],
        PathChoice::SignIn => &[Path::SignIn],
        PathChoice::Both => &[Path::Menu, Path::SignIn],
    };
    let mut scenarios = Vec::new();
    for round in 1..=args.rounds {
        for &(mode, webhook) in modes {
            if args.echo {
                eprintln!("loadtest: round {round}, echo bot, {mode}, menu");
                let mut scenario = run_echo(&plan, webhook, &i18n, &work).await?;
                scenario.round = round;
                scenarios.push(scenario);
            }
            for &path in chosen_paths {
                eprintln!("loadtest: round {round}, zeinet, {mode}, {}", path.name());
                let mut scenario =
                    run_zeinet(&plan, &stores, webhook, path, &i18n, &accounts, &work)
                        .await
                        .with_context(|| format!("the {mode} {} scenario failed", path.name()))?;
                scenario.round = round;
                scenarios.push(scenario);
            }
        }
    }
    let ratios = Report::ratios(&scenarios);
    let report = Report {
        machine: Machine {
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            load_average_before: load_before,
            load_average_after: child::load_average(),
        },
        echo_ratios: ratios.clone(),
        median_ratios: Report::medians(&ratios),
        scenarios,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    Ok(())
}

/// A scratch directory removed at the end of the run (the SQLite file, the bots' logs).
fn tempfile_dir() -> anyhow::Result<ScratchDir> {
    let path = std::env::temp_dir().join(format!(
        "zeinet-loadtest-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&path).context("cannot create a scratch directory")?;
    Ok(ScratchDir(path))
}

struct ScratchDir(pub(crate) std::path::PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Stores {
    database_url: String,
    redis_url: Option<String>,
    label: String,
}

impl Stores {
    /// `DATABASE_URL` and `REDIS_URL` when set; else a fresh SQLite file and the in-process
    /// store.
    fn from_env(work: &ScratchDir) -> anyhow::Result<Stores> {
        let var = |key: &str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());
        let database_url = var("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", work.0.join("loadtest.db").display()));
        let redis_url = var("REDIS_URL");
        let database = database_url.split(':').next().unwrap_or("?").to_string();
        let label = format!(
            "{}+{}",
            if database.starts_with("postgres") {
                "postgres"
            } else {
                database.as_str()
            },
            if redis_url.is_some() {
                "redis"
            } else {
                "memory"
            }
        );
        Ok(Stores {
            database_url,
            redis_url,
            label,
        })
    }
}

/// Migrates, seeds the demo registry (once) and gives every demo depositor the run's password.
async fn prepare_registry(database_url: &str) -> anyhow::Result<Vec<Account>> {
    let db = Db::connect(database_url)
        .await
        .context("cannot open the database")?;
    db.migrate().await.context("cannot apply migrations")?;
    let now = SystemClock.now();
    crate::demo::seed(&db, now.date_naive(), now.timestamp_millis())
        .await
        .context("cannot seed the demo registry")?;
    let hash = crate::services::passwords::PasswordHasher::with_permits(1)
        .hash(PASSWORD)
        .await
        .context("cannot hash the password")?;
    let mut accounts = Vec::new();
    for person in crate::demo::people() {
        let Some(depositor) = depositors::find_by_iin(&db, &person.iin).await? else {
            continue;
        };
        credentials::upsert(&db, depositor.id, &hash, now.timestamp_millis()).await?;
        accounts.push(Account {
            iin: person.iin.as_str().to_string(),
            password: PASSWORD.to_string(),
        });
    }
    db.close().await;
    anyhow::ensure!(!accounts.is_empty(), "no demo depositor in the registry");
    Ok(accounts)
}
