//! The binary as a newcomer meets it: `chat` with piped input, `migrate`, `seed-demo --list`,
//! and start-up refusing bad configuration with one line naming the key.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn zeinet(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_zeinet"));
    command
        .args(args)
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("cli.db").display()),
        )
        .env("LANG", "ru_RU.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().expect("binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn chat_answers_piped_input_and_ends_on_eof() {
    // The first /start is sent by `chat` itself; "2" presses the second button (Қазақша after
    // Русский, proposed from LANG), then the menu's help is asked by command.
    let out = zeinet(&["chat"], &[], "2\n/help\n");
    let stdout = text(&out.stdout);
    assert!(
        out.status.success(),
        "exit: {:?}\n{}",
        out.status,
        text(&out.stderr)
    );
    assert!(stdout.contains("Choose a language"), "{stdout}");
    assert!(
        stdout.contains("1) Русский"),
        "Russian proposed first: {stdout}"
    );
    assert!(stdout.contains("Басты мәзір"), "Kazakh chosen: {stdout}");
    assert!(stdout.contains("/language — тілді ауыстыру"), "{stdout}");
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_key() {
    let cases = [
        ("DATABASE_URL", "mysql://localhost/x", &["chat"][..]),
        ("REDIS_URL", "memcached://x", &["chat"][..]),
        ("SESSION_IDLE_MINUTES", "-1", &["migrate"][..]),
        ("PUBLIC_URL", "not a url", &["serve"][..]),
    ];
    for (key, value, args) in cases {
        let out = zeinet(args, &[(key, value)], "");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{key}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(key), "{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{stderr}"
        );
    }
}

#[test]
fn serve_without_a_token_names_the_key() {
    let out = zeinet(&["serve"], &[], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("TELEGRAM_BOT_TOKEN"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn migrate_applies_then_has_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let first = zeinet(&["migrate"], &[("DATABASE_URL", &url)], "");
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        !text(&first.stdout).contains("applied: 0"),
        "{}",
        text(&first.stdout)
    );
    let second = zeinet(&["migrate"], &[("DATABASE_URL", &url)], "");
    assert!(
        text(&second.stdout).contains("applied: 0"),
        "{}",
        text(&second.stdout)
    );
}

#[test]
fn an_unreachable_database_is_one_clear_line() {
    let out = zeinet(
        &["migrate"],
        &[("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")],
        "",
    );
    let stderr = text(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.starts_with("zeinet: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
