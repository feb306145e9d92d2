//! The ceiling of the stack: a bare teloxide bot (its own long polling and dispatcher) that
//! answers every message with its text and every button press with its data. Run by
//! `zeinet loadtest --echo` as a child process (`zeinet loadtest-echo-bot`, hidden), so its
//! CPU and memory are measured the same way as `zeinet serve`'s.

use std::time::Duration;

use anyhow::Context;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::Polling;

/// Runs until killed: `TELEGRAM_BOT_TOKEN` against `TELEGRAM_API_URL`.
pub async fn run(api_url: &url::Url, token: &str) -> anyhow::Result<()> {
    let bot = Bot::new(token).set_api_url(api_url.clone());
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(echo_message))
        .branch(Update::filter_callback_query().endpoint(echo_button));
    let listener = Polling::builder(bot.clone())
        .timeout(Duration::from_secs(10))
        .delete_webhook()
        .await
        .build();
    Dispatcher::builder(bot, handler)
        .build()
        .dispatch_with_listener(
            listener,
            LoggingErrorHandler::with_custom_text("echo bot: update listener error"),
        )
        .await;
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
