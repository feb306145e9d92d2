//! Figures of a run: one row per scenario, printed as a table or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::fake::FakeCounts;
use super::user::Tally;

#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Which round of `--rounds` it was played in, from 1.
    pub round: u32,
    /// "zeinet" or "echo".
    pub bot: String,
    /// "polling" or "webhook".
    pub mode: String,
    /// "menu" or "sign-in".
    pub path: String,
    /// "sqlite+memory", "postgres+redis", ... (echo: "-").
    pub stores: String,
    pub users: usize,
    pub iterations_completed: u64,
    pub updates_sent: u64,
    pub replies: u64,
    pub messages: u64,
    pub documents: u64,
    pub deleted_messages: u64,
    pub seconds: f64,
    pub updates_per_second: f64,
    /// From the update's delivery to the bot (the getUpdates answer that carried it, or the
    /// webhook POST) to the arrival of the reply's last message.
    pub latency_ms: Percentiles,
    /// From the update's hand-over to "Telegram" (queued for getUpdates) to the same arrival.
    pub end_to_end_ms: Percentiles,
    /// CPU time of the bot process while the users played (user + system).
    pub cpu_seconds: f64,
    /// That CPU time per update, in milliseconds.
    pub cpu_ms_per_update: f64,
    /// The bot process's peak resident memory (VmHWM), MiB.
    pub peak_rss_mib: f64,
    pub errors: u64,
    pub error_kinds: BTreeMap<String, u64>,
    pub fake: FakeCounts,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Percentiles {
    pub fn of(mut samples: Vec<Duration>) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort();
        let at = |q: f64| {
            // Nearest rank: the smallest sample with at least q of them at or below it.
            let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            samples[rank - 1].as_secs_f64() * 1000.0
        };
        Percentiles {
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

/// Adds up the users' tallies.
pub fn merge(tallies: Vec<Tally>) -> Tally {
    let mut total = Tally::default();
    for t in tallies {
        total.updates_sent += t.updates_sent;
        total.replies += t.replies;
        total.messages += t.messages;
        total.documents += t.documents;
        total.deleted += t.deleted;
        total.iterations += t.iterations;
        total.latencies.extend(t.latencies);
        total.end_to_end.extend(t.end_to_end);
        for (kind, n) in t.errors {
            *total.errors.entry(kind).or_insert(0) += n;
        }
        total.first_send = match (total.first_send, t.first_send) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        total.last_reply = match (total.last_reply, t.last_reply) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    total
}

/// Zeinet's throughput on a menu path over the echo bot's.
#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub round: u32,
    pub mode: String,
    pub stores: String,
    pub zeinet_updates_per_second: f64,
    pub echo_updates_per_second: f64,
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub machine: Machine,
    pub scenarios: Vec<Scenario>,
    pub echo_ratios: Vec<Ratio>,
    /// Per mode and stores, the median of the rounds' ratios.
    pub median_ratios: Vec<MedianRatio>,
}

/// The ratio of one mode over the rounds: the median is the figure (a shared machine's speed
/// drifts between runs; each round pairs the echo bot and Zeinet minutes apart at most).
#[derive(Debug, Clone, Serialize)]
pub struct MedianRatio {
    pub mode: String,
    pub stores: String,
    pub rounds: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub load_average_before: Option<f64>,
    pub load_average_after: Option<f64>,
}

impl Report {
    /// Each Zeinet menu scenario against the echo bot in the same mode and round (long
    /// polling batches updates, a webhook takes one request each: the ceilings differ).
    pub fn ratios(scenarios: &[Scenario]) -> Vec<Ratio> {
        scenarios
            .iter()
            .filter(|s| s.bot == "zeinet" && s.path == "menu")
            .filter_map(|s| {
                let echo = scenarios
                    .iter()
                    .find(|e| e.bot == "echo" && e.mode == s.mode && e.round == s.round)?;
                Some((s, echo))
            })
            .map(|(s, echo)| Ratio {
                round: s.round,
                mode: s.mode.clone(),
                stores: s.stores.clone(),
                zeinet_updates_per_second: s.updates_per_second,
                echo_updates_per_second: echo.updates_per_second,
                ratio: if echo.updates_per_second > 0.0 {
                    s.updates_per_second / echo.updates_per_second
                } else {
                    0.0
                },
            })
            .collect()
    }

    /// The median of the rounds' ratios, per mode and stores.
    pub fn medians(ratios: &[Ratio]) -> Vec<MedianRatio> {
        let mut keys: Vec<(String, String)> = Vec::new();
        for r in ratios {
            let key = (r.mode.clone(), r.stores.clone());
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys.into_iter()
            .map(|(mode, stores)| {
                let mut values: Vec<f64> = ratios
                    .iter()
                    .filter(|r| r.mode == mode && r.stores == stores)
                    .map(|r| r.ratio)
                    .collect();
                values.sort_by(f64::total_cmp);
                let n = values.len();
                let median = if n % 2 == 1 {
                    values[n / 2]
                } else {
                    (values[n / 2 - 1] + values[n / 2]) / 2.0
                };
                MedianRatio {
                    mode,
                    stores,
                    rounds: n,
                    median,
                    min: values[0],
                    max: values[n - 1],
                }
            })
            .collect()
    }

    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| round | bot | mode | path | stores | users | updates | replies | updates/s | p50 ms | p95 ms | p99 ms | max ms | end-to-end p99 ms | CPU s | CPU ms/update | peak RSS MiB | errors |"
        );
        let _ = writeln!(out, "|{}", "---|".repeat(18));
        for s in &self.scenarios {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.3} | {:.1} | {} |",
                s.round,
                s.bot,
                s.mode,
                s.path,
                s.stores,
                s.users,
                s.updates_sent,
                s.replies,
                s.updates_per_second,
                s.latency_ms.p50,
                s.latency_ms.p95,
                s.latency_ms.p99,
                s.latency_ms.max,
                s.end_to_end_ms.p99,
                s.cpu_seconds,
                s.cpu_ms_per_update,
                s.peak_rss_mib,
                s.errors
            );
        }
        for r in &self.echo_ratios {
            let _ = writeln!(
                out,
                "\nround {}: throughput ratio, menu path, {} ({}): {:.1} ÷ echo {:.1} updates/s = {:.2}",
                r.round,
                r.mode,
                r.stores,
                r.zeinet_updates_per_second,
                r.echo_updates_per_second,
                r.ratio
            );
        }
        for m in &self.median_ratios {
            let _ = writeln!(
                out,
                "\nmedian throughput ratio over {} round(s), menu path, {} ({}): {:.2} (min {:.2}, max {:.2})",
                m.rounds, m.mode, m.stores, m.median, m.min, m.max
            );
        }
        for s in self.scenarios.iter().filter(|s| s.errors > 0) {
            let _ = writeln!(
                out,
                "errors in {} {} {}: {:?}",
                s.bot, s.mode, s.path, s.error_kinds
            );
        }
        let _ = writeln!(
            out,
            "\nmachine: {} CPUs, load average {} before, {} after",
            self.machine.cpus,
            fmt_load(self.machine.load_average_before),
            fmt_load(self.machine.load_average_after)
        );
        out
    }
}

fn fmt_load(load: Option<f64>) -> String {
    load.map_or("?".into(), |l| format!("{l:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(round: u32, mode: &str, ratio: f64) -> Ratio {
        Ratio {
            round,
            mode: mode.into(),
            stores: "sqlite+memory".into(),
            zeinet_updates_per_second: ratio,
            echo_updates_per_second: 1.0,
            ratio,
        }
    }

    #[test]
    fn the_median_ratio_is_taken_per_mode_over_the_rounds() {
        let ratios = [
            ratio(1, "polling", 0.70),
            ratio(1, "webhook", 0.90),
            ratio(2, "polling", 0.50),
            ratio(2, "webhook", 0.80),
            ratio(3, "polling", 0.72),
        ];
        let medians = Report::medians(&ratios);
        assert_eq!(medians.len(), 2);
        let polling = &medians[0];
        assert_eq!((polling.mode.as_str(), polling.rounds), ("polling", 3));
        assert_eq!(
            (polling.median, polling.min, polling.max),
            (0.70, 0.50, 0.72)
        );
        let webhook = &medians[1];
        assert_eq!(webhook.rounds, 2);
        assert!((webhook.median - 0.85).abs() < 1e-9);
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(samples);
        assert_eq!((p.p50, p.p95, p.p99, p.max), (50.0, 95.0, 99.0, 100.0));
        let one = Percentiles::of(vec![Duration::from_millis(7)]);
        assert_eq!((one.p50, one.p99), (7.0, 7.0));
        assert_eq!(Percentiles::of(Vec::new()).p99, 0.0);
    }
}
