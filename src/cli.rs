//! Command line: `chat`, `serve`, `migrate`, `seed-demo [--list]`, `import branches FILE`,
//! `staff grant|revoke|list`.
//! Start-up and wiring only.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::App;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, LogFormat};
use crate::conversation::ChatRef;
use crate::gateways::Delivery;
use crate::gateways::console::ConsoleSink;
use crate::store::Db;

#[derive(Debug, Parser)]
#[command(
    name = "zeinet",
    version,
    about = "ENPF personal cabinet as a Telegram bot"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: CommandLine,
}

#[derive(Debug, Subcommand)]
pub enum CommandLine {
    /// Talk to the bot in this terminal (embedded stores, demo data seeded on first run).
    Chat,
    /// Run the service: Telegram updates, the web side and the background workers.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the registry with deterministic demo depositors.
    SeedDemo {
        /// Only print the demo depositors as a table.
        #[arg(long)]
        list: bool,
    },
    /// Load reference data from a file.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Staff roles by Telegram user id (each change is written to the audit log).
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Fund branches with their hours and services (JSON, as data/booking/branches.json):
    /// added or updated by code, all or nothing.
    Branches { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum StaffAction {
    /// Give a role: admin, broadcaster or operator.
    Grant { user_id: i64, role: String },
    /// Take a role away.
    Revoke { user_id: i64, role: String },
    /// Print every role held.
    List,
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("zeinet: {e}");
            return ExitCode::from(2);
        }
    };
    let default_format = match cli.command {
        CommandLine::Serve => LogFormat::Json,
        _ => LogFormat::Pretty,
    };
    let level = match cli.command {
        // The terminal is the chat itself: only problems are logged there.
        CommandLine::Chat => "warn",
        _ => "info",
    };
    crate::logging::init(config.log_format.unwrap_or(default_format), level);

    let result = match cli.command {
        CommandLine::Chat => chat(config).await,
        CommandLine::Serve => serve(config).await,
        CommandLine::Migrate => migrate(config).await,
        CommandLine::SeedDemo { list } => seed_demo(config, list).await,
        CommandLine::Import {
            what: ImportWhat::Branches { file },
        } => import_branches(config, &file).await,
        CommandLine::Staff { action } => staff(config, action).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(config_error) = e.downcast_ref::<crate::config::ConfigError>() {
                eprintln!("zeinet: {config_error}");
                return ExitCode::from(2);
            }
            eprintln!("zeinet: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn chat(config: Config) -> anyhow::Result<()> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // The terminal demo shows one-time codes on the screen instead of sending them.
    let sink = ConsoleSink::new();
    let app = App::start(config, clock.clone(), Delivery::console(sink.clone())).await?;
    seed_if_empty(&app.db, clock.as_ref()).await?;
    let chat = ChatRef {
        chat_id: 1,
        user_id: 1,
        language_code: std::env::var("LANG").ok(),
    };
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let mut stdout = std::io::stdout();
    crate::channels::console::run(&app.conversation, &sink, chat, stdin, &mut stdout).await?;
    Ok(())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    config.check_for_serve()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Real gateways only: the terminal sink exists for `chat` alone.
    let delivery = Delivery::from_settings(
        config.sms_api_url.clone(),
        config.sms_api_key.clone(),
        config.smtp_url.clone(),
        config.smtp_from.clone(),
    )?;
    if delivery.sms.is_none() && delivery.email.is_none() {
        tracing::warn!("neither SMS_API_URL nor SMTP_URL is set: one-time codes cannot be sent");
    }
    let app = App::start(config, clock, delivery).await?;
    crate::serve::run(app, crate::serve::shutdown_signal()).await
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    let applied = db.migrate().await?;
    println!("migrations applied: {applied}");
    Ok(())
}

async fn seed_demo(config: Config, list: bool) -> anyhow::Result<()> {
    if list {
        print!("{}", crate::demo::format_table(&crate::demo::people()));
        return Ok(());
    }
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let report =
        crate::demo::seed(&db, SystemClock.now().date_naive(), SystemClock.now_ms()).await?;
    println!("{report}");
    let branches = crate::store::bookings::count_branches(&db).await?;
    println!("branches: {branches}");
    Ok(())
}

async fn import_branches(config: Config, file: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let catalogue = crate::booking::Catalogue::embedded()?;
    let name = file.display().to_string();
    let branches = crate::booking::BranchFile::parse_named(&name, &text, &catalogue)?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let report = crate::store::bookings::import(&db, &branches, SystemClock.now_ms()).await?;
    println!(
        "branches imported from {name}: {} added, {} updated ({} cities)",
        report.branches_added, report.branches_updated, report.cities
    );
    Ok(())
}

async fn staff(config: Config, action: StaffAction) -> anyhow::Result<()> {
    use crate::store::staff::{self, Role};
    let now = SystemClock.now_ms();
    match action {
        StaffAction::Grant { user_id, role } => {
            let role: Role = role.parse()?;
            let db = open_migrated(&config).await?;
            let new = staff::grant(&db, user_id, role, None, now).await?;
            println!(
                "{user_id}: {role} {}",
                if new { "granted" } else { "already held" }
            );
        }
        StaffAction::Revoke { user_id, role } => {
            let role: Role = role.parse()?;
            let db = open_migrated(&config).await?;
            let held = staff::revoke(&db, user_id, role, None, now).await?;
            println!(
                "{user_id}: {role} {}",
                if held { "revoked" } else { "was not held" }
            );
        }
        StaffAction::List => {
            let db = open_migrated(&config).await?;
            for entry in staff::list(&db).await? {
                println!("{}\t{}", entry.user_id, entry.role);
            }
        }
    }
    Ok(())
}

async fn open_migrated(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

async fn seed_if_empty(db: &Db, clock: &dyn Clock) -> anyhow::Result<()> {
    crate::demo::seed(db, clock.now().date_naive(), clock.now_ms()).await?;
    Ok(())
}
