//! One scenario: a fresh fake Bot API, the bot process started against it, the virtual users
//! played until done, and the figures gathered (the bot's CPU time over the play only).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::domain::Lang;
use crate::i18n::I18n;

use super::child::{self, BotProcess};
use super::fake::{self, FakeBotApi};
use super::paths::{self, Account, Labels, Path};
use super::report::{self, Percentiles, Scenario};
use super::user::{Bot, Tally, Transport, VirtualUser};
use super::{OTP_KEY, ScratchDir, Stores};

const WEBHOOK_SECRET: &str = "zeinet-loadtest-secret";
/// How long a bot process may take to start.
const START_PATIENCE: Duration = Duration::from_secs(60);

pub(super) enum Passes {
    Count(u64),
    For(Duration),
}

pub(super) struct Plan {
    pub(super) users: usize,
    pub(super) passes: Passes,
}

/// Ids no earlier run used: a Redis store remembers handled update ids and sessions. Above
/// the ranges the test suites draw from, and below `i32::MAX`, which getUpdates' offset is.
fn fresh_ids() -> (u32, i64) {
    let update = 1_100_000_000 + rand::random::<u32>() % 900_000_000;
    let chat = 10_000_000_000 + i64::from(rand::random::<u32>() % 1_000_000) * 10_000;
    (update, chat)
}

pub(super) async fn run_zeinet(
    plan: &Plan,
    stores: &Stores,
    webhook: bool,
    path: Path,
    i18n: &Arc<I18n>,
    accounts: &[Account],
    work: &ScratchDir,
) -> anyhow::Result<Scenario> {
    let (first_update, first_chat) = fresh_ids();
    let fake = Arc::new(FakeBotApi::start(first_update).await?);
    let port = child::free_port()?;
    let mut env = vec![
        ("DATABASE_URL".to_string(), stores.database_url.clone()),
        ("TELEGRAM_BOT_TOKEN".to_string(), fake::TOKEN.to_string()),
        ("TELEGRAM_API_URL".to_string(), fake.url().to_string()),
        ("OTP_KEY".to_string(), OTP_KEY.to_string()),
        ("BIND_ADDR".to_string(), format!("127.0.0.1:{port}")),
        ("LOG_FORMAT".to_string(), "json".to_string()),
        ("RUST_LOG".to_string(), "warn".to_string()),
    ];
    if let Some(redis) = &stores.redis_url {
        env.push(("REDIS_URL".to_string(), redis.clone()));
    }
    if webhook {
        env.push((
            "PUBLIC_URL".to_string(),
            "https://loadtest.invalid".to_string(),
        ));
        env.push((
            "TELEGRAM_WEBHOOK_SECRET".to_string(),
            WEBHOOK_SECRET.to_string(),
        ));
    }
    let mode = if webhook { "webhook" } else { "polling" };
    let log = work.0.join(format!("serve-{mode}-{}.log", path.name()));
    let mut bot = BotProcess::spawn(&["serve"], &env, &log)?;
    let bind = format!("127.0.0.1:{port}");
    wait_until_ready(&mut bot, &log, &fake, webhook.then_some(bind.as_str())).await?;
    let transport = transport(webhook, format!("http://{bind}/telegram/webhook"));
    let scenario = measure(
        plan,
        &mut bot,
        &fake,
        Bot::Zeinet,
        transport,
        path,
        i18n,
        accounts,
        first_chat,
    )
    .await;
    let running = bot.running();
    bot.stop().await;
    let mut scenario = scenario?;
    scenario.mode = mode.to_string();
    scenario.stores = stores.label.clone();
    if !running {
        scenario.errors += 1;
        scenario
            .error_kinds
            .insert("bot process exited during the run".into(), 1);
    }
    Ok(scenario)
}

pub(super) async fn run_echo(
    plan: &Plan,
    webhook: bool,
    i18n: &Arc<I18n>,
    work: &ScratchDir,
) -> anyhow::Result<Scenario> {
    let (first_update, first_chat) = fresh_ids();
    let fake = Arc::new(FakeBotApi::start(first_update).await?);
    let env = vec![
        ("TELEGRAM_BOT_TOKEN".to_string(), fake::TOKEN.to_string()),
        ("TELEGRAM_API_URL".to_string(), fake.url().to_string()),
    ];
    let port = child::free_port()?;
    let bind = format!("127.0.0.1:{port}");
    let mut args = vec!["loadtest-echo-bot"];
    if webhook {
        args.extend(["--webhook-bind", &bind, "--webhook-secret", WEBHOOK_SECRET]);
    }
    let mode = if webhook { "webhook" } else { "polling" };
    let log = work.0.join(format!("echo-{mode}.log"));
    let mut bot = BotProcess::spawn(&args, &env, &log)?;
    wait_until_ready(&mut bot, &log, &fake, webhook.then_some(bind.as_str())).await?;
    let transport = transport(
        webhook,
        format!("http://{bind}{}", super::echo::WEBHOOK_PATH),
    );
    let scenario = measure(
        plan,
        &mut bot,
        &fake,
        Bot::Echo,
        transport,
        Path::Menu,
        i18n,
        &[],
        first_chat,
    )
    .await;
    bot.stop().await;
    let mut scenario = scenario?;
    scenario.bot = "echo".into();
    scenario.mode = mode.into();
    scenario.stores = "-".into();
    Ok(scenario)
}

/// How the users reach the bot: by getUpdates, or by POSTs to `url` with the secret.
fn transport(webhook: bool, url: String) -> Transport {
    if webhook {
        Transport::Webhook {
            client: reqwest::Client::new(),
            url,
            secret: WEBHOOK_SECRET.to_string(),
        }
    } else {
        Transport::Polling
    }
}

/// Waits until the bot polls the fake, or — in webhook mode, `webhook` being the address it
/// listens on — has registered its webhook and takes connections (teloxide registers first,
/// then listens).
async fn wait_until_ready(
    bot: &mut BotProcess,
    log: &std::path::Path,
    fake: &FakeBotApi,
    webhook: Option<&str>,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + START_PATIENCE;
    loop {
        let counts = fake.counts();
        let ready = match webhook {
            None => counts.get_updates > 0,
            Some(bind) => {
                counts.set_webhook > 0 && tokio::net::TcpStream::connect(bind).await.is_ok()
            }
        };
        if ready {
            return Ok(());
        }
        if !bot.running() || Instant::now() >= deadline {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            anyhow::bail!(
                "the bot process did not get ready; its log ends with:\n{}",
                tail.join("\n")
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Plays the users against a ready bot and gathers the figures.
#[allow(clippy::too_many_arguments)]
async fn measure(
    plan: &Plan,
    bot: &mut BotProcess,
    fake: &Arc<FakeBotApi>,
    kind: Bot,
    transport: Transport,
    path: Path,
    i18n: &Arc<I18n>,
    accounts: &[Account],
    first_chat: i64,
) -> anyhow::Result<Scenario> {
    let cpu_before = bot.cpu().unwrap_or_default();
    let deadline = match plan.passes {
        Passes::For(wait) => Some(Instant::now() + wait),
        Passes::Count(_) => None,
    };
    let count = match plan.passes {
        Passes::Count(n) => Some(n),
        Passes::For(_) => None,
    };
    let mut tasks = Vec::with_capacity(plan.users);
    for i in 0..plan.users {
        let lang = Lang::ALL[i % Lang::ALL.len()];
        let labels = Labels::new(i18n, lang);
        let account = accounts
            .get(i % accounts.len().max(1))
            .cloned()
            .unwrap_or(Account {
                iin: String::new(),
                password: String::new(),
            });
        let mut user = VirtualUser::new(
            first_chat + i as i64,
            lang.code(),
            kind,
            fake.clone(),
            transport.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut passes = 0u64;
            loop {
                let more = match (count, deadline) {
                    (Some(n), _) => passes < n,
                    (None, Some(deadline)) => Instant::now() < deadline,
                    (None, None) => false,
                };
                if !more {
                    break;
                }
                passes += 1;
                if paths::play(&mut user, path, &labels, &account)
                    .await
                    .is_ok()
                {
                    user.tally.iterations += 1;
                }
            }
            user.tally
        }));
    }
    let mut tallies: Vec<Tally> = Vec::with_capacity(tasks.len());
    for task in tasks {
        tallies.push(task.await.context("a virtual user panicked")?);
    }
    let cpu = bot
        .cpu()
        .unwrap_or_default()
        .saturating_sub(cpu_before)
        .as_secs_f64();
    let peak = bot.peak_rss_kib().unwrap_or(0) as f64 / 1024.0;
    let total = report::merge(tallies);
    let seconds = match (total.first_send, total.last_reply) {
        (Some(first), Some(last)) => last.saturating_duration_since(first).as_secs_f64(),
        _ => 0.0,
    };
    let errors: u64 = total.errors.values().sum();
    Ok(Scenario {
        round: 1,
        bot: "zeinet".into(),
        mode: String::new(),
        path: path.name().into(),
        stores: String::new(),
        users: plan.users,
        iterations_completed: total.iterations,
        updates_sent: total.updates_sent,
        replies: total.replies,
        messages: total.messages,
        documents: total.documents,
        deleted_messages: total.deleted,
        seconds,
        updates_per_second: if seconds > 0.0 {
            total.replies as f64 / seconds
        } else {
            0.0
        },
        latency_ms: Percentiles::of(total.latencies),
        end_to_end_ms: Percentiles::of(total.end_to_end),
        cpu_seconds: cpu,
        cpu_ms_per_update: if total.replies > 0 {
            cpu * 1000.0 / total.replies as f64
        } else {
            0.0
        },
        peak_rss_mib: peak,
        errors,
        error_kinds: total.errors,
        fake: fake.counts(),
    })
}
