//! Start-up with Telegram: wait until getMe answers (backing off, saying why, never giving
//! up while Telegram is merely unreachable), publish the command list in each language,
//! then register the webhook or remove it for long polling.

use teloxide::payloads::{DeleteWebhook, GetMe, SetMyCommands, SetWebhook};
use teloxide::types::{AllowedUpdate, BotCommand, Me};
use url::Url;

use super::api::CallError;
use super::retry::{Backoff, call_with_retries};
use super::{Stop, Telegram};
use crate::domain::Lang;
use crate::i18n::I18n;

/// The path of our webhook route under `PUBLIC_URL`.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

/// The commands shown in Telegram's menu, with the key of their description.
const COMMANDS: &[(&str, &str)] = &[
    ("start", "cmd-start"),
    ("menu", "cmd-menu"),
    ("help", "cmd-help"),
    ("language", "cmd-language"),
    ("cancel", "cmd-cancel"),
    ("sessions", "cmd-sessions"),
    ("logout", "cmd-logout"),
    ("verify", "cmd-verify"),
];

/// The update kinds we ask Telegram for.
pub fn allowed_updates() -> Vec<AllowedUpdate> {
    vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery]
}

/// Runs the start-up calls. `Ok(false)` when `stop` came first; an error when Telegram
/// refuses our configuration (the token, the webhook URL), which waiting cannot mend.
pub async fn prepare(telegram: &Telegram, stop: &Stop) -> anyhow::Result<bool> {
    let Some(me) = wait_for_telegram(telegram, stop).await? else {
        return Ok(false);
    };
    tracing::info!(
        bot_id = me.user.id.0,
        username = me.user.username.as_deref().unwrap_or("-"),
        "connected to Telegram"
    );
    set_commands(telegram).await;
    if telegram.webhook_mode() {
        register_webhook(telegram, stop).await
    } else {
        remove_webhook(telegram, stop).await
    }
}

/// getMe until it answers. teloxide's dispatcher panics when this first call fails; a bot
/// that starts while Telegram or the network is down should simply wait.
async fn wait_for_telegram(telegram: &Telegram, stop: &Stop) -> anyhow::Result<Option<Me>> {
    let tuning = telegram.tuning();
    let mut backoff = Backoff::new(tuning.backoff_base, tuning.backoff_max);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let error = match telegram.api().call(&GetMe::new()).await {
            Ok(me) => return Ok(Some(me)),
            Err(CallError::Unauthorized) => {
                anyhow::bail!("Telegram refused TELEGRAM_BOT_TOKEN (getMe answered 401/404)")
            }
            Err(error) => error,
        };
        let wait = match error {
            CallError::RetryAfter(wait) => wait,
            _ => backoff.next_wait(),
        };
        tracing::warn!(
            attempt,
            wait_ms = wait.as_millis() as u64,
            reason = %error,
            "waiting for Telegram: getMe failed"
        );
        if !stop.sleep(wait).await {
            return Ok(None);
        }
    }
}

/// setMyCommands for kk, ru, en and the default list (Kazakh, the fund's first language).
/// The menu is a convenience: a failure is logged and start-up goes on.
async fn set_commands(telegram: &Telegram) {
    let i18n = telegram.app().i18n.clone();
    let scopes = Lang::ALL
        .iter()
        .map(|lang| (Some(*lang), *lang))
        .chain(std::iter::once((None, Lang::from_telegram(None))));
    for (code, lang) in scopes {
        let mut request = SetMyCommands::new(commands(&i18n, lang));
        request.language_code = code.map(|l| l.code().to_string());
        let result = call_with_retries::<_, serde::de::IgnoredAny>(
            telegram.api(),
            &request,
            telegram.tuning(),
        )
        .await;
        if let Err(error) = result {
            tracing::warn!(language = code.map(Lang::code).unwrap_or("default"), error = %error, "could not set the command list");
        }
    }
}

pub fn commands(i18n: &I18n, lang: Lang) -> Vec<BotCommand> {
    COMMANDS
        .iter()
        .map(|(command, key)| BotCommand::new(*command, i18n.get(lang, key)))
        .collect()
}

/// `PUBLIC_URL` + [`WEBHOOK_PATH`], keeping any path `PUBLIC_URL` has.
pub fn webhook_url(public_url: &Url) -> anyhow::Result<Url> {
    let base = public_url.as_str().trim_end_matches('/');
    Ok(Url::parse(&format!("{base}{WEBHOOK_PATH}"))?)
}

async fn register_webhook(telegram: &Telegram, stop: &Stop) -> anyhow::Result<bool> {
    let config = &telegram.app().config;
    let (Some(public_url), Some(secret)) = (&config.public_url, &config.webhook_secret) else {
        anyhow::bail!("webhook mode needs PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET");
    };
    let url = webhook_url(public_url)?;
    let mut request = SetWebhook::new(url.clone());
    request.secret_token = Some(secret.clone());
    request.allowed_updates = Some(allowed_updates());
    let done = retry_until_done(telegram, stop, "setWebhook", &request).await?;
    if done {
        tracing::info!(url = %url, "webhook registered");
    }
    Ok(done)
}

async fn remove_webhook(telegram: &Telegram, stop: &Stop) -> anyhow::Result<bool> {
    let request = DeleteWebhook::new();
    retry_until_done(telegram, stop, "deleteWebhook", &request).await
}

/// A start-up call that must succeed: transient failures are waited out until `stop`;
/// a refusal is returned as an error.
async fn retry_until_done<P>(
    telegram: &Telegram,
    stop: &Stop,
    method: &'static str,
    request: &P,
) -> anyhow::Result<bool>
where
    P: teloxide::requests::Payload + serde::Serialize,
{
    let tuning = telegram.tuning();
    let mut backoff = Backoff::new(tuning.backoff_base, tuning.backoff_max);
    loop {
        let error = match telegram
            .api()
            .call_as::<P, serde::de::IgnoredAny>(request, std::time::Duration::ZERO)
            .await
        {
            Ok(_) => return Ok(true),
            Err(error) => error,
        };
        let wait = match &error {
            CallError::RetryAfter(wait) => *wait,
            e if e.is_transient() => backoff.next_wait(),
            _ => anyhow::bail!("Telegram refused {method}: {error}"),
        };
        tracing::warn!(method, wait_ms = wait.as_millis() as u64, reason = %error, "start-up call failed; retrying");
        if !stop.sleep(wait).await {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_webhook_url_keeps_the_public_path() {
        let url = |s: &str| webhook_url(&Url::parse(s).unwrap()).unwrap().to_string();
        assert_eq!(
            url("https://bot.example.kz"),
            "https://bot.example.kz/telegram/webhook"
        );
        assert_eq!(
            url("https://example.kz/zeinet/"),
            "https://example.kz/zeinet/telegram/webhook"
        );
    }

    #[test]
    fn every_command_has_a_translated_description() {
        let i18n = I18n::load().unwrap();
        for lang in Lang::ALL {
            for command in commands(&i18n, lang) {
                assert!(!command.description.starts_with("cmd-"), "{command:?}");
            }
        }
    }
}
