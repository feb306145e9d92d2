//! The bot under load as a child process (`zeinet serve` or the hidden echo bot), and what
//! Linux says about it: CPU time from `/proc/<pid>/stat` (utime + stime, in USER_HZ ticks,
//! which the kernel fixes at 100 a second for this interface) and the peak resident set
//! (`VmHWM` in `/proc/<pid>/status`).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use tokio::process::{Child, Command};

/// Ticks per second of the times in `/proc/<pid>/stat` (USER_HZ).
const USER_HZ: f64 = 100.0;

pub struct BotProcess {
    child: Child,
    pid: u32,
}

impl BotProcess {
    /// Starts this binary with `args` and exactly `env` (plus PATH), logging to `log`.
    pub fn spawn(
        args: &[&str],
        env: &[(String, String)],
        log: &Path,
    ) -> anyhow::Result<BotProcess> {
        let exe = std::env::current_exe().context("cannot find the zeinet binary")?;
        let log = std::fs::File::create(log).context("cannot create the child's log file")?;
        let mut command = Command::new(exe);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true);
        let child = command.spawn().context("cannot start the bot process")?;
        let pid = child.id().context("the bot process has no pid")?;
        Ok(BotProcess { child, pid })
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// CPU time used so far (user + system).
    pub fn cpu(&self) -> Option<Duration> {
        cpu_time(self.pid)
    }

    /// Peak resident memory so far, in KiB.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        status_kib(self.pid, "VmHWM:")
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

/// utime + stime of a process.
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after its ')' are plain.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ')': state is field 3, so utime (14) and stime (15) are at 11 and 12.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_secs_f64((utime + stime) as f64 / USER_HZ))
}

/// A `kB` line of `/proc/<pid>/status` (`VmHWM:`, `VmRSS:`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The same for this process.
pub fn own_status_kib(field: &str) -> Option<u64> {
    status_kib(std::process::id(), field)
}

/// A port on 127.0.0.1 free right now (for the child's `BIND_ADDR`).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// The machine's load average over one minute, for the report.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_cpu_time_and_memory() {
        let pid = std::process::id();
        assert!(cpu_time(pid).is_some());
        assert!(status_kib(pid, "VmHWM:").unwrap() > 0);
        assert!(status_kib(pid, "NoSuchField:").is_none());
    }
}
