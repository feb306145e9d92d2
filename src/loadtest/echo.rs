//! The ceiling of the stack: a bare teloxide bot (its own update listener and dispatcher)
//! that answers every message with its text and every button press with its data. Run by
//! `zeinet loadtest --echo` as a child process (`zeinet loadtest-echo-bot`, hidden), so its
//! CPU and memory are measured the same way as `zeinet serve`'s; in long-polling mode
//! (teloxide's `Polling`) or webhook mode (teloxide's axum webhook listener), as Zeinet is.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;
use teloxide::update_listeners::webhooks;

/// The route the echo bot's webhook listens on.
pub const WEBHOOK_PATH: &str = "/echo-webhook";

/// Where the echo bot takes updates in webhook mode.
#[derive(Debug, Clone)]
pub struct EchoWebhook {
    pub bind: SocketAddr,
    pub secret: String,
}

/// Runs until killed: `TELEGRAM_BOT_TOKEN` against `TELEGRAM_API_URL`, long polling unless
/// `webhook` is given.
pub async fn run(
    api_url: &url::Url,
    token: &str,
    webhook: Option<EchoWebhook>,
) -> anyhow::Result<()> {
    let bot = Bot::new(token).set_api_url(api_url.clone());
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(echo_message))
        .branch(Update::filter_callback_query().endpoint(echo_button));
    let mut dispatcher = Dispatcher::builder(bot.clone(), handler).build();
    let errors = LoggingErrorHandler::with_custom_text("echo bot: update listener error");
    match webhook {
        None => {
            let listener = Polling::builder(bot)
                .timeout(Duration::from_secs(10))
                .delete_webhook()
                .await
                .build();
            dispatcher.dispatch_with_listener(listener, errors).await;
        }
        Some(webhook) => {
            // The public URL only names the path: the load tool posts to `bind` directly.
            let url = format!("https://loadtest.invalid{WEBHOOK_PATH}")
                .parse()
                .context("the echo bot's webhook URL")?;
            let options = webhooks::Options::new(webhook.bind, url).secret_token(webhook.secret);
            let listener = webhooks::axum(bot, options)
                .await
                .context("the echo bot's webhook could not be set")?;
            dispatcher.dispatch_with_listener(listener, errors).await;
        }
    }
    Ok::<(), anyhow::Error>(()).context("the echo bot stopped")
}

async fn echo_message(bot: Bot, message: Message) -> ResponseResult<()> {
    if let Some(text) = message.text() {
        bot.send_message(message.chat.id, text).await?;
    }
    Ok(())
}

async fn echo_button(bot: Bot, query: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(query.id.clone()).await?;
    if let Some(data) = query.data {
        // A private chat's id is its user's id.
        bot.send_message(ChatId(query.from.id.0 as i64), data)
            .await?;
    }
    Ok(())
}
