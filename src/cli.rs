//! Command line: `chat`, `serve`, `migrate`, `seed-demo [--list]`, `import branches FILE`,
//! `staff grant|revoke|list`, `maintenance set|clear|show`, `applications set-status`,
//! `contributions record|import`, `loadtest`.
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
    /// The maintenance window: service requests are answered with a notice while it lasts
    /// (audited; every process sees it at once).
    Maintenance {
        #[command(subcommand)]
        action: MaintenanceAction,
    },
    /// Applications in the fund's registry.
    Applications {
        #[command(subcommand)]
        action: ApplicationsAction,
    },
    /// Contributions the registry received.
    Contributions {
        #[command(subcommand)]
        action: ContributionsAction,
    },
    /// Load test: `serve` against a local fake Bot API, played by virtual users
    /// (figures in docs/benchmarks.md).
    Loadtest(crate::loadtest::LoadArgs),
    /// The bare teloxide echo bot `loadtest --echo` measures against (internal).
    #[command(hide = true)]
    LoadtestEchoBot {
        /// Take updates by webhook on this address (long polling when left out).
        #[arg(long, requires = "webhook_secret")]
        webhook_bind: Option<std::net::SocketAddr>,
        /// The secret Telegram's webhook calls carry.
        #[arg(long)]
        webhook_secret: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MaintenanceAction {
    /// Set the window, in Kazakhstan time (UTC+5), e.g. --until "25.11.2026 06:00".
    Set {
        /// When it starts, "dd.mm.yyyy HH:MM"; now when left out.
        #[arg(long)]
        from: Option<String>,
        /// When it is expected to end, "dd.mm.yyyy HH:MM".
        #[arg(long)]
        until: String,
    },
    /// Remove the window: every service works again.
    Clear,
    /// Print the window set, if any.
    Show,
}

#[derive(Debug, Subcommand)]
pub enum ApplicationsAction {
    /// Change an application's status (allowed transitions only) and notify the depositor.
    SetStatus {
        /// The application number, e.g. Z-2026-000123.
        number: String,
        /// The new status: accepted, under_review, executed, refused, returned, cancelled, ...
        status: String,
        /// Why (refused, returned, cancelled): a note code such as bank_details_mismatch.
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContributionsAction {
    /// Record a contribution on a depositor's account (the statement shows it) and notify
    /// the depositor (per /settings, held during quiet hours).
    Record {
        iin: String,
        /// opv, oppv, opvr or dpv.
        account: String,
        /// In tenge: 42500, 42 500,50 or 42500.50.
        amount: String,
        /// The day it was credited: dd.mm.yyyy or yyyy-mm-dd.
        date: String,
        /// The employer (name or BIN) who paid it.
        #[arg(long)]
        employer: Option<String>,
        /// The month it is for, yyyy-mm; the month before DATE when left out.
        #[arg(long)]
        period: Option<String>,
    },
    /// Record every contribution of a registry file (IIN;ACCOUNT;AMOUNT;DATE[;EMPLOYER[;PERIOD]]
    /// a line): all lines are checked first; contributions recorded already are skipped.
    Import { file: PathBuf },
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
        // The figures are the output; the echo bot is a child whose log nobody reads.
        CommandLine::Loadtest(_) | CommandLine::LoadtestEchoBot { .. } => "warn",
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
        CommandLine::Maintenance { action } => maintenance(config, action).await,
        CommandLine::Applications { action } => applications(config, action).await,
        CommandLine::Contributions { action } => contributions(config, action).await,
        CommandLine::Loadtest(args) => crate::loadtest::run(args).await,
        CommandLine::LoadtestEchoBot {
            webhook_bind,
            webhook_secret,
        } => {
            let webhook = webhook_bind
                .zip(webhook_secret)
                .map(|(bind, secret)| crate::loadtest::echo::EchoWebhook { bind, secret });
            echo_bot(config, webhook).await
        }
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
    let web = serve_chat_web(&app).await;
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    let mut stdout = std::io::stdout();
    let result =
        crate::channels::console::run(&app.conversation, &sink, chat, stdin, &mut stdout).await;
    if let Some(web) = web {
        web.abort();
    }
    result?;
    Ok(())
}

/// The web routes (the signing page among them) on `CHAT_WEB_ADDR`, so that the EDS links the
/// terminal chat prints open in this machine's browser. A failure to listen is only reported:
/// the chat works without it.
async fn serve_chat_web(app: &Arc<App>) -> Option<tokio::task::JoinHandle<()>> {
    let addr = app.config.chat_web_addr?;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::warn!(%addr, %error, "signing pages not served (CHAT_WEB_ADDR)");
            return None;
        }
    };
    let local = listener.local_addr().ok()?;
    if app.config.public_url.is_none() {
        app.signing.serve_links_from(local);
    }
    let router = crate::web::router_with(app.clone(), None);
    Some(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::warn!(%error, "the signing pages stopped");
        }
    }))
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

async fn echo_bot(
    config: Config,
    webhook: Option<crate::loadtest::echo::EchoWebhook>,
) -> anyhow::Result<()> {
    let token = config
        .telegram_token
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("TELEGRAM_BOT_TOKEN is not set"))?;
    crate::loadtest::echo::run(&config.telegram_api_url, token, webhook).await
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

async fn maintenance(config: Config, action: MaintenanceAction) -> anyhow::Result<()> {
    use crate::services::maintenance::{MaintenanceService, format_local, window_from_text};
    let now = SystemClock.now();
    let service = MaintenanceService::new(open_migrated(&config).await?);
    match action {
        MaintenanceAction::Set { from, until } => {
            let window = window_from_text(from.as_deref(), &until, now)?;
            service.set(window, "cli", now).await?;
            println!(
                "maintenance window set: {} - {} (UTC+5)",
                format_local(window.from_ms),
                format_local(window.until_ms)
            );
        }
        MaintenanceAction::Clear => {
            let removed = service.clear("cli", now).await?;
            println!(
                "{}",
                if removed {
                    "maintenance window removed"
                } else {
                    "no maintenance window was set"
                }
            );
        }
        MaintenanceAction::Show => match service.stored().await? {
            None => println!("no maintenance window is set"),
            Some(w) => {
                let now_ms = now.timestamp_millis();
                let state = if w.ends_at_ms <= now_ms {
                    "over"
                } else if w.starts_at_ms <= now_ms {
                    "in force"
                } else {
                    "upcoming"
                };
                println!(
                    "maintenance window {} - {} (UTC+5): {state}; set by {}",
                    format_local(w.starts_at_ms),
                    format_local(w.ends_at_ms),
                    w.set_by
                );
            }
        },
    }
    Ok(())
}

async fn applications(config: Config, action: ApplicationsAction) -> anyhow::Result<()> {
    use crate::domain::application::{ApplicationNumber, ApplicationStatus, StatusNote};
    let ApplicationsAction::SetStatus {
        number,
        status,
        note,
    } = action;
    let number = ApplicationNumber::parse(&number)
        .map_err(|e| anyhow::anyhow!("{number:?} is not an application number: {e}"))?;
    let to = ApplicationStatus::from_code(status.trim()).ok_or_else(|| {
        let known: Vec<&str> = ApplicationStatus::ALL.iter().map(|s| s.code()).collect();
        anyhow::anyhow!("unknown status {status:?}; one of: {}", known.join(", "))
    })?;
    let note = match note {
        None => None,
        Some(text) => Some(StatusNote::from_code(text.trim()).ok_or_else(|| {
            let known: Vec<&str> = StatusNote::ALL.iter().map(|n| n.code()).collect();
            anyhow::anyhow!("unknown note {text:?}; one of: {}", known.join(", "))
        })?),
    };
    let db = open_migrated(&config).await?;
    let i18n = crate::i18n::I18n::load()?;
    let result = crate::services::notifications::set_status(
        &db,
        &i18n,
        &number,
        to,
        note,
        "cli",
        SystemClock.now(),
    )
    .await;
    use crate::services::notifications::SetStatusError;
    use crate::store::applications::StatusChangeError;
    match result {
        Ok((changed, notified)) => {
            println!(
                "{number}: now {}; the depositor's chats notified: {notified}",
                changed.status.code()
            );
            Ok(())
        }
        Err(SetStatusError::Change(StatusChangeError::NotAllowed { from, to })) => {
            let allowed: Vec<&str> = from.next().iter().map(|s| s.code()).collect();
            anyhow::bail!(
                "{number} cannot go from {} to {}; allowed next: {}",
                from.code(),
                to.code(),
                if allowed.is_empty() {
                    "none (final status)".to_string()
                } else {
                    allowed.join(", ")
                }
            )
        }
        Err(e) => Err(e.into()),
    }
}

async fn contributions(config: Config, action: ContributionsAction) -> anyhow::Result<()> {
    use crate::services::contributions::{self, contribution_from_fields};
    use crate::services::notifications::{ContributionError, record_contribution};
    match action {
        ContributionsAction::Record {
            iin,
            account,
            amount,
            date,
            employer,
            period,
        } => {
            let (iin, contribution) = contribution_from_fields(
                &iin,
                &account,
                &amount,
                &date,
                employer.as_deref(),
                period.as_deref(),
            )
            .map_err(anyhow::Error::msg)?;
            let db = open_migrated(&config).await?;
            let i18n = crate::i18n::I18n::load()?;
            let now = SystemClock.now();
            let recorded =
                match record_contribution(&db, &i18n, &iin, &contribution, "cli", now).await {
                    Err(ContributionError::AlreadyRecorded) => {
                        println!(
                            "contribution for {} recorded already: nothing written",
                            iin.masked()
                        );
                        return Ok(());
                    }
                    other => other?,
                };
            let held = match recorded.held_until_ms {
                Some(ms) => format!(
                    " (quiet hours: sent at {})",
                    crate::services::maintenance::format_local(ms)
                ),
                None => String::new(),
            };
            println!(
                "contribution recorded for {}: operation {}; notifications queued: {}{held}",
                iin.masked(),
                recorded.operation_id,
                recorded.notified
            );
        }
        ContributionsAction::Import { file } => {
            use anyhow::Context;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let db = open_migrated(&config).await?;
            let i18n = crate::i18n::I18n::load()?;
            let report = contributions::import(&db, &i18n, &text, "cli", SystemClock.now()).await?;
            println!(
                "contributions imported from {}: {} recorded, {} recorded already, {} notifications queued",
                file.display(),
                report.recorded,
                report.already_recorded,
                report.notices
            );
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
