//! Configuration from the environment (and `.env`, read by dotenvy in `main`).
//!
//! Every setting is declared once in [`SETTINGS`] with its key, default and meaning;
//! `.env.example` lists the same keys (a test keeps them in step). A bad value stops
//! start-up with one line naming the key, never a panic.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::services::otp::OtpKey;

/// One configuration key: its name, its default (None = unset by default) and what it does.
pub struct Setting {
    pub key: &'static str,
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "DATABASE_URL",
        default: Some("sqlite://zeinet.db"),
        doc: "Records: sqlite://FILE (embedded default) or postgres://USER@HOST/DB (production).",
    },
    Setting {
        key: "REDIS_URL",
        default: None,
        doc: "Sessions, one-time codes, rate limits: redis://HOST:PORT; unset = in-process store.",
    },
    Setting {
        key: "TELEGRAM_BOT_TOKEN",
        default: None,
        doc: "The bot's token from @BotFather; required by `serve`.",
    },
    Setting {
        key: "TELEGRAM_API_URL",
        default: Some("https://api.telegram.org"),
        doc: "Bot API server: a local Bot API server or a test fake.",
    },
    Setting {
        key: "PUBLIC_URL",
        default: None,
        doc: "Public https URL of this service; set = webhook mode, unset = long polling.",
    },
    Setting {
        key: "TELEGRAM_WEBHOOK_SECRET",
        default: None,
        doc: "Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token; required with PUBLIC_URL (1-256 of A-Z a-z 0-9 _ -).",
    },
    Setting {
        key: "BIND_ADDR",
        default: Some("0.0.0.0:8080"),
        doc: "Address of the web side (webhook, /healthz).",
    },
    Setting {
        key: "CHAT_WEB_ADDR",
        default: Some("127.0.0.1:0"),
        doc: "Where `zeinet chat` serves the signing pages, so its EDS links open on this machine (port 0 = any free port; off = not served).",
    },
    Setting {
        key: "SESSION_IDLE_MINUTES",
        default: Some("15"),
        doc: "Minutes of silence after which a conversation ends and the menu is shown again.",
    },
    Setting {
        key: "SMS_API_URL",
        default: None,
        doc: "SMS gateway with a Mobizon-compatible API, e.g. https://api.mobizon.kz; with SMS_API_KEY.",
    },
    Setting {
        key: "SMS_API_KEY",
        default: None,
        doc: "The SMS gateway's API key; required with SMS_API_URL.",
    },
    Setting {
        key: "SMTP_URL",
        default: None,
        doc: "Mail relay for one-time codes: smtp://host:25, smtps://user:pass@host:465 or smtp://host:587?tls=required.",
    },
    Setting {
        key: "SMTP_FROM",
        default: Some("ENPF Zeinet <no-reply@zeinet.kz>"),
        doc: "Sender address of one-time-code e-mails.",
    },
    Setting {
        key: "OTP_KEY",
        default: None,
        doc: "Server key for one-time code MACs: hex or base64, at least 32 bytes (openssl rand -hex 32); required by `serve`.",
    },
    Setting {
        key: "OTP_TTL_MINUTES",
        default: Some("15"),
        doc: "Minutes a one-time code lives: 15 as the fund tells its users; set 10 for OWASP ASVS / NIST SP 800-63B.",
    },
    Setting {
        key: "OTP_MAX_ATTEMPTS",
        default: Some("5"),
        doc: "Wrong entries after which a one-time code is dead and a new one must be asked for.",
    },
    Setting {
        key: "OTP_RESEND_SECONDS",
        default: Some("60"),
        doc: "Seconds before a new code may be asked for the same IIN and purpose.",
    },
    Setting {
        key: "OTP_PER_HOUR",
        default: Some("5"),
        doc: "Codes per IIN per hour, all purposes together.",
    },
    Setting {
        key: "PASSWORD_MAX_FAILURES",
        default: Some("5"),
        doc: "Wrong passwords for one IIN within PASSWORD_LOCK_MINUTES that lock password sign-in (sign-in by code still works).",
    },
    Setting {
        key: "PASSWORD_LOCK_MINUTES",
        default: Some("15"),
        doc: "The window wrong passwords are counted in, and how long the lock lasts.",
    },
    Setting {
        key: "LOGIN_IDLE_MINUTES",
        default: Some("15"),
        doc: "A signed-in chat idle this long is signed out.",
    },
    Setting {
        key: "LOGIN_ABSOLUTE_HOURS",
        default: Some("12"),
        doc: "A sign-in ends this many hours after it began, however active.",
    },
    Setting {
        key: "SIGN_IN_SLOW_AFTER_IINS",
        default: Some("5"),
        doc: "Different IINs one chat may try within SIGN_IN_IIN_WINDOW_MINUTES before each further attempt is delayed.",
    },
    Setting {
        key: "SIGN_IN_REFUSE_AFTER_IINS",
        default: Some("15"),
        doc: "Different IINs after which the chat is refused until the window ends.",
    },
    Setting {
        key: "SIGN_IN_IIN_WINDOW_MINUTES",
        default: Some("15"),
        doc: "The window of the two limits above.",
    },
    Setting {
        key: "NCANODE_URL",
        default: None,
        doc: "NCANode 3.x signature verifier on a private network, e.g. http://ncanode:14579; set = it verifies signatures (RSA and GOST, with revocation), unset = the built-in RSA verifier with EDS_TRUSTED_ROOTS.",
    },
    Setting {
        key: "NCANODE_TIMEOUT_SECONDS",
        default: Some("10"),
        doc: "Seconds one NCANode request may take before the user is told to try again later.",
    },
    Setting {
        key: "EDS_TRUSTED_ROOTS",
        default: None,
        doc: "Comma-separated paths of the root CA certificates (PEM or DER) the built-in verifier trusts; required when NCANODE_URL is unset.",
    },
    Setting {
        key: "EDS_REVOCATION",
        default: Some("ocsp"),
        doc: "What NCANode is asked to check: ocsp, crl, or none (test stands only). The built-in verifier checks no revocation.",
    },
    Setting {
        key: "NCALAYER_URL",
        default: Some("wss://127.0.0.1:13579"),
        doc: "WebSocket address of NCALayer on the user's computer, which the signing page connects to (ws:// or wss://); the page's Content-Security-Policy allows exactly this origin.",
    },
    Setting {
        key: "TELEGRAM_RATE_PER_SECOND",
        default: Some("30"),
        doc: "Messages a second the outbox sends in all, across every process (Telegram allows about 30); up to 1000 with PAID_BROADCAST=true.",
    },
    Setting {
        key: "PAID_BROADCAST",
        default: Some("false"),
        doc: "true: broadcast messages go with allow_paid_broadcast (0.1 Telegram Star each) and TELEGRAM_RATE_PER_SECOND may be up to 1000.",
    },
    Setting {
        key: "OUTBOX_WORKERS",
        default: Some("1"),
        doc: "Outbox workers in each serve process (0 = this process delivers nothing queued).",
    },
    Setting {
        key: "OUTBOX_LEASE_SECONDS",
        default: Some("60"),
        doc: "How long a claimed message stays reserved to its worker; after a crash, its messages are taken over when this runs out.",
    },
    Setting {
        key: "OUTBOX_MAX_ATTEMPTS",
        default: Some("5"),
        doc: "Attempts of a message when Telegram fails on its side (5xx, network) before it is given up as failed.",
    },
    Setting {
        key: "METRICS_TOKEN",
        default: None,
        doc: "Bearer token that GET /metrics requires (Authorization: Bearer ...); unset = /metrics is open (keep it on a private network then).",
    },
    Setting {
        key: "PAYMENT_URL",
        default: None,
        doc: "https page that takes a voluntary pension contribution; set = the bot adds a payment button with ?amount=…&currency=KZT&reference=<application number>, unset = payment details only.",
    },
    Setting {
        key: "LOG_FORMAT",
        default: None,
        doc: "json or pretty; default: json for `serve`, pretty for the other commands.",
    },
];

/// How NCANode is asked to check that a signer's certificate is not revoked (`EDS_REVOCATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdsRevocation {
    Ocsp,
    Crl,
    /// No revocation check: for test stands whose CA has no reachable OCSP or CRL.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// The parsed configuration. Secrets are kept out of `Debug`.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub redis_url: Option<String>,
    pub telegram_token: Option<String>,
    pub telegram_api_url: Url,
    pub public_url: Option<Url>,
    pub webhook_secret: Option<String>,
    pub bind_addr: SocketAddr,
    /// Where `chat` serves the web routes (the signing page); `None` = not served.
    pub chat_web_addr: Option<SocketAddr>,
    pub session_idle: Duration,
    pub log_format: Option<LogFormat>,
    pub metrics_token: Option<String>,
    /// The payment page of voluntary contributions (`PAYMENT_URL`), https only.
    pub payment_url: Option<Url>,
    pub sms_api_url: Option<Url>,
    pub sms_api_key: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    /// `None` in `chat` and tests: a key is made per process (see `OtpKey::process_fallback`).
    pub otp_key: Option<OtpKey>,
    pub otp_ttl: Duration,
    pub otp_max_attempts: u32,
    pub otp_resend: Duration,
    pub otp_per_hour: u32,
    pub password_max_failures: u32,
    pub password_lock: Duration,
    pub login_idle: Duration,
    pub login_absolute: Duration,
    pub sign_in_slow_after_iins: u32,
    pub sign_in_refuse_after_iins: u32,
    pub sign_in_iin_window: Duration,
    pub ncanode_url: Option<Url>,
    pub ncanode_timeout: Duration,
    /// Files only: they are read (and a bad one reported) by `signing::from_config`.
    pub eds_trusted_roots: Vec<PathBuf>,
    pub eds_revocation: EdsRevocation,
    /// Where the signing page's script finds NCALayer (`ws://` or `wss://`).
    pub ncalayer_url: Url,
    pub telegram_rate_per_second: u32,
    pub paid_broadcast: bool,
    pub outbox_workers: u32,
    pub outbox_lease: Duration,
    pub outbox_max_attempts: u32,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database", &self.database_scheme())
            .field("redis", &self.redis_url.is_some())
            .field(
                "telegram_token",
                &self.telegram_token.as_ref().map(|_| "<set>"),
            )
            .field("public_url", &self.public_url.as_ref().map(Url::as_str))
            .field("bind_addr", &self.bind_addr)
            .field("chat_web_addr", &self.chat_web_addr)
            .field("session_idle", &self.session_idle)
            .field("sms", &self.sms_api_url.is_some())
            .field("smtp", &self.smtp_url.is_some())
            .field("otp_key", &self.otp_key.as_ref().map(|_| "<set>"))
            .field("otp_ttl", &self.otp_ttl)
            .field("ncanode_url", &self.ncanode_url.as_ref().map(Url::as_str))
            .field("eds_trusted_roots", &self.eds_trusted_roots)
            .field("eds_revocation", &self.eds_revocation)
            .field("ncalayer_url", &self.ncalayer_url.as_str())
            .finish_non_exhaustive()
    }
}

/// A configuration problem: which key and what is wrong with it. Never echoes a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {key}: {reason}")]
pub struct ConfigError {
    pub key: &'static str,
    pub reason: String,
}

fn error(key: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        key,
        reason: reason.into(),
    }
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = std::env::vars().collect();
        Config::from_map(&vars)
    }

    /// Reads settings from a map (the environment, or a test's own map).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |key: &'static str| -> Option<String> {
            vars.get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .or_else(|| default_of(key).map(str::to_string))
        };

        let database_url = get("DATABASE_URL").unwrap_or_default();
        check_database_url(&database_url)?;

        let redis_url = get("REDIS_URL");
        if let Some(url) = &redis_url {
            let parsed =
                Url::parse(url).map_err(|e| error("REDIS_URL", format!("not a URL ({e})")))?;
            if !matches!(parsed.scheme(), "redis" | "rediss") {
                return Err(error("REDIS_URL", "must start with redis:// or rediss://"));
            }
        }

        let telegram_token = get("TELEGRAM_BOT_TOKEN");
        if let Some(token) = &telegram_token
            && !looks_like_bot_token(token)
        {
            return Err(error(
                "TELEGRAM_BOT_TOKEN",
                "not a bot token (expected digits, a colon and the secret part)",
            ));
        }

        let telegram_api_url = parse_http_url(
            "TELEGRAM_API_URL",
            &get("TELEGRAM_API_URL").unwrap_or_default(),
        )?;

        let public_url = get("PUBLIC_URL")
            .map(|v| parse_http_url("PUBLIC_URL", &v))
            .transpose()?;

        let webhook_secret = get("TELEGRAM_WEBHOOK_SECRET");
        if let Some(secret) = &webhook_secret
            && !valid_webhook_secret(secret)
        {
            return Err(error(
                "TELEGRAM_WEBHOOK_SECRET",
                "must be 1-256 characters of A-Z, a-z, 0-9, _ and -",
            ));
        }
        if public_url.is_some() && webhook_secret.is_none() {
            return Err(error(
                "TELEGRAM_WEBHOOK_SECRET",
                "required when PUBLIC_URL is set (webhook mode)",
            ));
        }

        let bind_addr = get("BIND_ADDR")
            .unwrap_or_default()
            .parse()
            .map_err(|_| error("BIND_ADDR", "expected HOST:PORT such as 0.0.0.0:8080"))?;

        let chat_web_addr = match get("CHAT_WEB_ADDR").as_deref() {
            None | Some("off") => None,
            Some(addr) => Some(addr.parse().map_err(|_| {
                error(
                    "CHAT_WEB_ADDR",
                    "expected HOST:PORT such as 127.0.0.1:8081, or off",
                )
            })?),
        };

        let idle_minutes: u64 = get("SESSION_IDLE_MINUTES")
            .unwrap_or_default()
            .parse()
            .ok()
            .filter(|m| (1..=24 * 60).contains(m))
            .ok_or_else(|| {
                error(
                    "SESSION_IDLE_MINUTES",
                    "expected whole minutes from 1 to 1440",
                )
            })?;

        let sms_api_url = get("SMS_API_URL")
            .map(|v| parse_http_url("SMS_API_URL", &v))
            .transpose()?;
        let sms_api_key = get("SMS_API_KEY");
        if sms_api_url.is_some() != sms_api_key.is_some() {
            return Err(error(
                if sms_api_url.is_some() {
                    "SMS_API_KEY"
                } else {
                    "SMS_API_URL"
                },
                "SMS_API_URL and SMS_API_KEY go together",
            ));
        }
        let smtp_url = get("SMTP_URL");
        if let Some(url) = &smtp_url {
            let scheme = Url::parse(url)
                .map_err(|e| error("SMTP_URL", format!("not a URL ({e})")))?
                .scheme()
                .to_string();
            if !matches!(scheme.as_str(), "smtp" | "smtps") {
                return Err(error("SMTP_URL", "must start with smtp:// or smtps://"));
            }
        }
        let smtp_from = get("SMTP_FROM").unwrap_or_default();

        let otp_key = get("OTP_KEY")
            .map(|v| OtpKey::parse(&v).map_err(|e| error("OTP_KEY", e.to_string())))
            .transpose()?;
        let number = |key: &'static str, range: RangeInclusive<u32>| -> Result<u32, ConfigError> {
            get(key)
                .unwrap_or_default()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    error(
                        key,
                        format!(
                            "expected a whole number from {} to {}",
                            range.start(),
                            range.end()
                        ),
                    )
                })
        };
        let minutes = |m: u32| Duration::from_secs(u64::from(m) * 60);
        let otp_ttl = minutes(number("OTP_TTL_MINUTES", 1..=60)?);
        let otp_max_attempts = number("OTP_MAX_ATTEMPTS", 1..=20)?;
        let otp_resend = Duration::from_secs(u64::from(number("OTP_RESEND_SECONDS", 0..=3600)?));
        let otp_per_hour = number("OTP_PER_HOUR", 1..=100)?;
        let password_max_failures = number("PASSWORD_MAX_FAILURES", 1..=100)?;
        let password_lock = minutes(number("PASSWORD_LOCK_MINUTES", 1..=24 * 60)?);
        let login_idle = minutes(number("LOGIN_IDLE_MINUTES", 1..=24 * 60)?);
        let login_absolute =
            Duration::from_secs(u64::from(number("LOGIN_ABSOLUTE_HOURS", 1..=30 * 24)?) * 3600);
        let sign_in_slow_after_iins = number("SIGN_IN_SLOW_AFTER_IINS", 1..=1000)?;
        let sign_in_refuse_after_iins = number("SIGN_IN_REFUSE_AFTER_IINS", 1..=1000)?;
        if sign_in_refuse_after_iins < sign_in_slow_after_iins {
            return Err(error(
                "SIGN_IN_REFUSE_AFTER_IINS",
                "must not be below SIGN_IN_SLOW_AFTER_IINS",
            ));
        }
        let sign_in_iin_window = minutes(number("SIGN_IN_IIN_WINDOW_MINUTES", 1..=24 * 60)?);

        let ncanode_url = get("NCANODE_URL")
            .map(|v| parse_http_url("NCANODE_URL", &v))
            .transpose()?;
        let ncanode_timeout =
            Duration::from_secs(u64::from(number("NCANODE_TIMEOUT_SECONDS", 1..=120)?));
        let eds_trusted_roots: Vec<PathBuf> = get("EDS_TRUSTED_ROOTS")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .collect()
            })
            .unwrap_or_default();
        let eds_revocation = match get("EDS_REVOCATION")
            .unwrap_or_default()
            .to_ascii_lowercase()
            .as_str()
        {
            "ocsp" => EdsRevocation::Ocsp,
            "crl" => EdsRevocation::Crl,
            "none" => EdsRevocation::None,
            _ => return Err(error("EDS_REVOCATION", "expected ocsp, crl or none")),
        };
        let ncalayer_url = parse_ws_url("NCALAYER_URL", &get("NCALAYER_URL").unwrap_or_default())?;
        let paid_broadcast = match get("PAID_BROADCAST").unwrap_or_default().as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => return Err(error("PAID_BROADCAST", "expected true or false")),
        };
        // Telegram allows about 30 a second; paid broadcasts go up to 1000.
        let max_rate = if paid_broadcast { 1000 } else { 30 };
        let telegram_rate_per_second =
            number("TELEGRAM_RATE_PER_SECOND", 1..=1000).and_then(|rate| {
                if rate > max_rate {
                    Err(error(
                        "TELEGRAM_RATE_PER_SECOND",
                        "at most 30 without PAID_BROADCAST=true (then at most 1000)",
                    ))
                } else {
                    Ok(rate)
                }
            })?;
        let outbox_workers = number("OUTBOX_WORKERS", 0..=16)?;
        let outbox_lease =
            Duration::from_secs(u64::from(number("OUTBOX_LEASE_SECONDS", 2..=3600)?));
        let outbox_max_attempts = number("OUTBOX_MAX_ATTEMPTS", 1..=50)?;

        let metrics_token = get("METRICS_TOKEN");

        let payment_url = get("PAYMENT_URL")
            .map(|v| parse_http_url("PAYMENT_URL", &v))
            .transpose()?;
        if payment_url.as_ref().is_some_and(|u| u.scheme() != "https") {
            return Err(error("PAYMENT_URL", "a payment page must be https://"));
        }

        let log_format = match get("LOG_FORMAT").as_deref() {
            None => None,
            Some("json") => Some(LogFormat::Json),
            Some("pretty") => Some(LogFormat::Pretty),
            Some(_) => return Err(error("LOG_FORMAT", "expected json or pretty")),
        };

        Ok(Config {
            database_url,
            redis_url,
            telegram_token,
            telegram_api_url,
            public_url,
            webhook_secret,
            bind_addr,
            chat_web_addr,
            session_idle: Duration::from_secs(idle_minutes * 60),
            log_format,
            metrics_token,
            payment_url,
            sms_api_url,
            sms_api_key,
            smtp_url,
            smtp_from,
            otp_key,
            otp_ttl,
            otp_max_attempts,
            otp_resend,
            otp_per_hour,
            password_max_failures,
            password_lock,
            login_idle,
            login_absolute,
            sign_in_slow_after_iins,
            sign_in_refuse_after_iins,
            sign_in_iin_window,
            ncanode_url,
            ncanode_timeout,
            eds_trusted_roots,
            eds_revocation,
            ncalayer_url,
            telegram_rate_per_second,
            paid_broadcast,
            outbox_workers,
            outbox_lease,
            outbox_max_attempts,
        })
    }

    /// What `serve` needs beyond `chat`.
    pub fn check_for_serve(&self) -> Result<(), ConfigError> {
        if self.telegram_token.is_none() {
            return Err(error("TELEGRAM_BOT_TOKEN", "required by `serve`"));
        }
        if self.otp_key.is_none() {
            // Without a fixed key, codes asked before a restart (or on another instance)
            // would never match.
            return Err(error(
                "OTP_KEY",
                "required by `serve` (hex or base64 of at least 32 bytes, e.g. openssl rand -hex 32)",
            ));
        }
        Ok(())
    }

    /// `sqlite` or `postgres`, for log lines (the URL itself may hold a password).
    pub fn database_scheme(&self) -> &str {
        self.database_url.split(':').next().unwrap_or("")
    }
}

fn default_of(key: &str) -> Option<&'static str> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .and_then(|s| s.default)
}

fn check_database_url(url: &str) -> Result<(), ConfigError> {
    let scheme = url.split("://").next().unwrap_or("");
    match scheme {
        "sqlite" | "postgres" | "postgresql" if url.contains("://") => Ok(()),
        _ if url.starts_with("sqlite:") => Ok(()),
        _ => Err(error(
            "DATABASE_URL",
            "unsupported database (use sqlite://FILE or postgres://USER@HOST/DB)",
        )),
    }
}

fn parse_http_url(key: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(value).map_err(|e| error(key, format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(error(key, "expected an http:// or https:// URL"));
    }
    Ok(url)
}

/// A WebSocket address the browser connects to. Only scheme, host, port and path: it goes
/// into the page's Content-Security-Policy and script, so nothing else may ride along.
fn parse_ws_url(key: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(value).map_err(|e| error(key, format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "ws" | "wss") || url.host_str().is_none() {
        return Err(error(key, "expected a ws:// or wss:// URL"));
    }
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(error(key, "expected only scheme, host, port and path"));
    }
    Ok(url)
}

fn looks_like_bot_token(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !secret.is_empty()
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

fn valid_webhook_secret(secret: &str) -> bool {
    (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_map(&map)
    }

    #[test]
    fn nothing_set_gives_embedded_defaults() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.database_url, "sqlite://zeinet.db");
        assert!(c.redis_url.is_none());
        assert!(c.public_url.is_none());
        assert_eq!(c.session_idle, Duration::from_secs(15 * 60));
        assert_eq!(c.telegram_api_url.as_str(), "https://api.telegram.org/");
    }

    const KEY_HEX: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn serve_needs_a_token() {
        let err = config(&[]).unwrap().check_for_serve().unwrap_err();
        assert_eq!(err.key, "TELEGRAM_BOT_TOKEN");
        assert!(
            config(&[("TELEGRAM_BOT_TOKEN", "123:abc"), ("OTP_KEY", KEY_HEX)])
                .unwrap()
                .check_for_serve()
                .is_ok()
        );
    }

    #[test]
    fn serve_needs_an_otp_key() {
        let err = config(&[("TELEGRAM_BOT_TOKEN", "123:abc")])
            .unwrap()
            .check_for_serve()
            .unwrap_err();
        assert_eq!(err.key, "OTP_KEY");
    }

    #[test]
    fn auth_defaults_follow_the_memo_and_security_md() {
        let c = config(&[]).unwrap();
        assert!(c.otp_key.is_none());
        assert_eq!(c.otp_ttl, Duration::from_secs(15 * 60));
        assert_eq!(c.otp_max_attempts, 5);
        assert_eq!(c.otp_resend, Duration::from_secs(60));
        assert_eq!(c.otp_per_hour, 5);
        assert_eq!(c.password_max_failures, 5);
        assert_eq!(c.password_lock, Duration::from_secs(15 * 60));
        assert_eq!(c.login_idle, Duration::from_secs(15 * 60));
        assert_eq!(c.login_absolute, Duration::from_secs(12 * 3600));
        assert_eq!(c.sign_in_slow_after_iins, 5);
        assert_eq!(c.sign_in_refuse_after_iins, 15);
        assert_eq!(c.sign_in_iin_window, Duration::from_secs(15 * 60));
    }

    #[test]
    fn auth_settings_are_read_and_checked() {
        let c = config(&[
            ("OTP_TTL_MINUTES", "10"),
            ("OTP_KEY", KEY_HEX),
            ("LOGIN_ABSOLUTE_HOURS", "8"),
        ])
        .unwrap();
        assert_eq!(c.otp_ttl, Duration::from_secs(10 * 60));
        assert!(c.otp_key.is_some());
        assert_eq!(c.login_absolute, Duration::from_secs(8 * 3600));
        let cases: &[(&str, &str)] = &[
            ("OTP_KEY", "short"),
            ("OTP_KEY", "00112233"),
            ("OTP_TTL_MINUTES", "0"),
            ("OTP_TTL_MINUTES", "61"),
            ("OTP_MAX_ATTEMPTS", "x"),
            ("OTP_PER_HOUR", "0"),
            ("PASSWORD_MAX_FAILURES", "-1"),
            ("LOGIN_IDLE_MINUTES", "0"),
            ("SIGN_IN_REFUSE_AFTER_IINS", "3"),
        ];
        for (key, value) in cases {
            let err = config(&[(key, value)]).unwrap_err();
            assert_eq!(err.key, *key, "{key}={value}");
        }
    }

    #[test]
    fn outbox_settings_default_to_telegrams_free_limits() {
        let c = config(&[]).unwrap();
        assert_eq!(c.telegram_rate_per_second, 30);
        assert!(!c.paid_broadcast);
        assert_eq!(c.outbox_workers, 1);
        assert_eq!(c.outbox_lease, Duration::from_secs(60));
        assert_eq!(c.outbox_max_attempts, 5);
    }

    #[test]
    fn a_rate_over_30_needs_paid_broadcasts() {
        let err = config(&[("TELEGRAM_RATE_PER_SECOND", "100")]).unwrap_err();
        assert_eq!(err.key, "TELEGRAM_RATE_PER_SECOND");
        let c = config(&[
            ("TELEGRAM_RATE_PER_SECOND", "1000"),
            ("PAID_BROADCAST", "true"),
        ])
        .unwrap();
        assert_eq!(c.telegram_rate_per_second, 1000);
        assert!(c.paid_broadcast);
        let cases: &[(&str, &str)] = &[
            ("PAID_BROADCAST", "maybe"),
            ("TELEGRAM_RATE_PER_SECOND", "0"),
            ("OUTBOX_WORKERS", "17"),
            ("OUTBOX_LEASE_SECONDS", "1"),
            ("OUTBOX_MAX_ATTEMPTS", "0"),
        ];
        for (key, value) in cases {
            let err = config(&[(key, value)]).unwrap_err();
            assert_eq!(err.key, *key, "{key}={value}");
        }
        let err = config(&[
            ("TELEGRAM_RATE_PER_SECOND", "1001"),
            ("PAID_BROADCAST", "true"),
        ])
        .unwrap_err();
        assert_eq!(err.key, "TELEGRAM_RATE_PER_SECOND");
    }

    #[test]
    fn errors_and_debug_never_show_the_otp_key() {
        let bad = "x!".repeat(40);
        let err = config(&[("OTP_KEY", &bad)]).unwrap_err();
        assert!(!err.to_string().contains(&bad));
        let c = config(&[("OTP_KEY", KEY_HEX)]).unwrap();
        assert!(!format!("{c:?}").contains("00112233"));
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases: &[(&str, &str, &str)] = &[
            ("DATABASE_URL", "mysql://x/y", "DATABASE_URL"),
            ("REDIS_URL", "not a url", "REDIS_URL"),
            ("REDIS_URL", "http://x", "REDIS_URL"),
            ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL"),
            ("PUBLIC_URL", "::", "PUBLIC_URL"),
            ("BIND_ADDR", "localhost", "BIND_ADDR"),
            ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES"),
            ("SESSION_IDLE_MINUTES", "ten", "SESSION_IDLE_MINUTES"),
            ("TELEGRAM_BOT_TOKEN", "no-colon", "TELEGRAM_BOT_TOKEN"),
            ("LOG_FORMAT", "xml", "LOG_FORMAT"),
            ("SMS_API_URL", "https://api.mobizon.kz", "SMS_API_KEY"),
            ("SMS_API_KEY", "abc", "SMS_API_URL"),
            ("SMTP_URL", "http://mail", "SMTP_URL"),
        ];
        for (key, value, named) in cases {
            let err = config(&[(key, value)]).unwrap_err();
            assert_eq!(err.key, *named, "{key}={value}");
            assert!(err.to_string().starts_with("configuration error: "));
        }
    }

    #[test]
    fn signature_settings_default_to_the_built_in_verifier_with_ocsp() {
        let c = config(&[]).unwrap();
        assert!(c.ncanode_url.is_none());
        assert_eq!(c.ncanode_timeout, Duration::from_secs(10));
        assert!(c.eds_trusted_roots.is_empty());
        assert_eq!(c.eds_revocation, EdsRevocation::Ocsp);
    }

    #[test]
    fn ncalayer_url_defaults_to_the_local_secure_socket_and_takes_only_websockets() {
        let c = config(&[]).unwrap();
        assert_eq!(c.ncalayer_url.as_str(), "wss://127.0.0.1:13579/");
        let c = config(&[("NCALAYER_URL", "ws://127.0.0.1:40001")]).unwrap();
        assert_eq!(
            c.ncalayer_url.origin().ascii_serialization(),
            "ws://127.0.0.1:40001"
        );
        for bad in [
            "https://127.0.0.1:13579",
            "127.0.0.1:13579",
            "wss://user:pw@127.0.0.1:13579",
            "wss://127.0.0.1:13579/?x=1",
            "wss://127.0.0.1:13579/#x",
        ] {
            let err = config(&[("NCALAYER_URL", bad)]).unwrap_err();
            assert_eq!(err.key, "NCALAYER_URL", "{bad}");
        }
    }

    #[test]
    fn signature_settings_are_read_and_checked() {
        let c = config(&[
            ("NCANODE_URL", "http://ncanode:14579"),
            ("NCANODE_TIMEOUT_SECONDS", "3"),
            (
                "EDS_TRUSTED_ROOTS",
                " /etc/zeinet/root_rsa.pem, ,/etc/zeinet/root_2020.cer ",
            ),
            ("EDS_REVOCATION", "CRL"),
        ])
        .unwrap();
        assert_eq!(
            c.ncanode_url.as_ref().map(Url::as_str),
            Some("http://ncanode:14579/")
        );
        assert_eq!(c.ncanode_timeout, Duration::from_secs(3));
        assert_eq!(
            c.eds_trusted_roots,
            vec![
                PathBuf::from("/etc/zeinet/root_rsa.pem"),
                PathBuf::from("/etc/zeinet/root_2020.cer")
            ]
        );
        assert_eq!(c.eds_revocation, EdsRevocation::Crl);
        assert_eq!(
            config(&[("EDS_REVOCATION", "none")])
                .unwrap()
                .eds_revocation,
            EdsRevocation::None
        );
        let cases: &[(&str, &str)] = &[
            ("NCANODE_URL", "ncanode:14579"),
            ("NCANODE_URL", "ftp://ncanode"),
            ("NCANODE_TIMEOUT_SECONDS", "0"),
            ("NCANODE_TIMEOUT_SECONDS", "121"),
            ("EDS_REVOCATION", "ocsp,crl"),
            ("EDS_REVOCATION", "yes"),
        ];
        for (key, value) in cases {
            let err = config(&[(key, value)]).unwrap_err();
            assert_eq!(err.key, *key, "{key}={value}");
        }
    }

    #[test]
    fn webhook_mode_needs_a_valid_secret() {
        let err = config(&[("PUBLIC_URL", "https://bot.example.kz")]).unwrap_err();
        assert_eq!(err.key, "TELEGRAM_WEBHOOK_SECRET");
        let err = config(&[
            ("PUBLIC_URL", "https://bot.example.kz"),
            ("TELEGRAM_WEBHOOK_SECRET", "has space"),
        ])
        .unwrap_err();
        assert_eq!(err.key, "TELEGRAM_WEBHOOK_SECRET");
        assert!(
            config(&[
                ("PUBLIC_URL", "https://bot.example.kz"),
                ("TELEGRAM_WEBHOOK_SECRET", "s3cret_-X"),
            ])
            .is_ok()
        );
    }

    #[test]
    fn errors_never_echo_a_token() {
        let err = config(&[("TELEGRAM_BOT_TOKEN", "123:bad token!")]).unwrap_err();
        assert!(!err.to_string().contains("bad token"));
    }

    #[test]
    fn debug_hides_secrets() {
        let c = config(&[
            ("TELEGRAM_BOT_TOKEN", "123:SECRETPART"),
            ("DATABASE_URL", "postgres://u:pw@h/db"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("SECRETPART"));
        assert!(!shown.contains("pw@"));
    }

    #[test]
    fn env_example_lists_every_setting() {
        let example = include_str!("../.env.example");
        for setting in SETTINGS {
            assert!(
                example.contains(&format!("{}=", setting.key)),
                "{} missing from .env.example",
                setting.key
            );
        }
    }
}
