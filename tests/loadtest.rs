//! `zeinet loadtest`, run briefly: every update the virtual users send is answered, in
//! long-polling and webhook mode, on both paths and against the echo bot, with no error; and
//! `--sessions` creates the sessions it reports. Only counts are checked, never timings
//! (figures belong in docs/benchmarks.md).

use std::process::Command;

use serde_json::Value;

fn loadtest(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_zeinet"))
        .arg("loadtest")
        .args(args)
        .arg("--json")
        // The embedded stores: a fresh SQLite file and the in-process store.
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .output()
        .expect("zeinet loadtest runs");
    assert!(
        output.status.success(),
        "loadtest failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn scenario<'a>(report: &'a Value, bot: &str, mode: &str, path: &str) -> &'a Value {
    report["scenarios"]
        .as_array()
        .expect("scenarios")
        .iter()
        .find(|s| s["bot"] == bot && s["mode"] == mode && s["path"] == path)
        .unwrap_or_else(|| panic!("no {bot} {mode} {path} scenario in {report}"))
}

fn number(value: &Value, key: &str) -> u64 {
    value[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} missing in {value}"))
}

/// Every update answered, no error, and the figures filled in.
fn assert_clean(s: &Value, users: u64, updates_per_user: u64) {
    assert_eq!(number(s, "errors"), 0, "{s}");
    assert_eq!(number(s, "updates_sent"), users * updates_per_user, "{s}");
    assert_eq!(number(s, "replies"), number(s, "updates_sent"), "{s}");
    assert_eq!(number(s, "iterations_completed"), users, "{s}");
    assert!(s["updates_per_second"].as_f64().unwrap() > 0.0, "{s}");
    assert!(s["peak_rss_mib"].as_f64().unwrap() > 0.0, "{s}");
    assert_eq!(s["fake"]["stray_replies"], 0, "{s}");
}

#[test]
fn every_update_is_answered_in_both_modes_on_both_paths_and_by_the_echo_bot() {
    let users = 3;
    let report = loadtest(&["--users", "3", "--iterations", "1", "--echo"]);
    for mode in ["polling", "webhook"] {
        // /start, the language, the calculator, the sex, five typed answers.
        let menu = scenario(&report, "zeinet", mode, "menu");
        assert_clean(menu, users, 9);
        // Zeinet calls only methods the fake knows (teloxide's start-up makes one it does not).
        assert_eq!(menu["fake"]["unknown_calls"], 0, "{menu}");
        // /start, the language, "sign in", IIN, password, savings, statement, all accounts,
        // last year, sign out.
        let sign_in = scenario(&report, "zeinet", mode, "sign-in");
        assert_clean(sign_in, users, 10);
        assert_eq!(number(sign_in, "documents"), users, "one statement each");
        assert_eq!(
            number(sign_in, "deleted_messages"),
            users,
            "passwords deleted"
        );
    }
    let webhook = scenario(&report, "zeinet", "webhook", "menu");
    assert_eq!(webhook["fake"]["set_webhook"], 1, "{webhook}");
    let polling = scenario(&report, "zeinet", "polling", "menu");
    assert!(number(&polling["fake"], "get_updates") > 0, "{polling}");

    // The echo bot in each mode; each Zeinet mode is compared with the echo bot's.
    for mode in ["polling", "webhook"] {
        let echo = scenario(&report, "echo", mode, "menu");
        assert_clean(echo, users, 9);
    }
    let echo_webhook = scenario(&report, "echo", "webhook", "menu");
    assert_eq!(echo_webhook["fake"]["set_webhook"], 1, "{echo_webhook}");
    assert_eq!(echo_webhook["fake"]["get_updates"], 0, "{echo_webhook}");
    let ratios = report["echo_ratios"].as_array().expect("ratios");
    assert_eq!(ratios.len(), 2, "one ratio per mode: {report}");
    for r in ratios {
        let mode = r["mode"].as_str().unwrap();
        let echo = scenario(&report, "echo", mode, "menu");
        assert_eq!(
            r["echo_updates_per_second"], echo["updates_per_second"],
            "{r}"
        );
        assert!(r["ratio"].as_f64().unwrap() > 0.0);
    }
}

#[test]
fn a_timed_run_answers_every_update_it_sent() {
    let report = loadtest(&[
        "--users",
        "2",
        "--duration",
        "1",
        "--mode",
        "webhook",
        "--path",
        "menu",
    ]);
    let s = scenario(&report, "zeinet", "webhook", "menu");
    assert_eq!(number(s, "errors"), 0, "{s}");
    assert!(number(s, "updates_sent") >= 2 * 9, "{s}");
    assert_eq!(number(s, "replies"), number(s, "updates_sent"), "{s}");
}

#[test]
fn the_sessions_mode_creates_the_sessions_it_reports() {
    let report = loadtest(&["--sessions", "300"]);
    assert_eq!(number(&report, "sessions"), 300);
    assert!(number(&report, "entries_in_store") >= 300, "{report}");
    // Two updates per chat, three more for every third chat (the calculator).
    assert_eq!(number(&report, "updates_handled"), 300 * 2 + 100 * 3);
    assert!(report["rss_after_mib"].as_f64().unwrap() > 0.0);
}

#[test]
fn rounds_pair_the_echo_bot_and_zeinet_and_give_the_median_ratio() {
    let report = loadtest(&[
        "--users",
        "2",
        "--iterations",
        "1",
        "--echo",
        "--mode",
        "polling",
        "--path",
        "menu",
        "--rounds",
        "2",
    ]);
    let scenarios = report["scenarios"].as_array().expect("scenarios");
    let played: Vec<(u64, &str)> = scenarios
        .iter()
        .map(|s| (s["round"].as_u64().unwrap(), s["bot"].as_str().unwrap()))
        .collect();
    assert_eq!(
        played,
        [(1, "echo"), (1, "zeinet"), (2, "echo"), (2, "zeinet")],
        "the echo bot, then Zeinet, round after round"
    );
    let ratios: Vec<f64> = report["echo_ratios"]
        .as_array()
        .expect("ratios")
        .iter()
        .map(|r| r["ratio"].as_f64().unwrap())
        .collect();
    assert_eq!(ratios.len(), 2, "{report}");
    let medians = report["median_ratios"].as_array().expect("medians");
    assert_eq!(medians.len(), 1, "{report}");
    let median = medians[0]["median"].as_f64().unwrap();
    assert!(
        (median - (ratios[0] + ratios[1]) / 2.0).abs() < 1e-9,
        "{report}"
    );
    assert_eq!(medians[0]["rounds"], 2);
}
