//! Two `serve` instances on one database and one ephemeral store (PostgreSQL + Redis when
//! `TEST_DATABASE_URL` / `TEST_REDIS_URL` are set), webhook mode, one chat's updates sent to
//! them alternately: the conversation stays in order and consistent, a button shown by one
//! instance works on the other, and a repeated update is handled once across both.

mod support;

use support::fake_bot_api::{FakeBotApi, callback_update, text_update};
use support::service::{Mode, Service};
use zeinet::domain::Lang;
use zeinet::gateways::Delivery;

fn no_delivery() -> Delivery {
    Delivery {
        sms: None,
        email: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_chat_across_two_instances_stays_in_order() {
    let fake = FakeBotApi::start().await;
    let a = Service::start(fake.url(), Mode::Webhook, no_delivery(), &[]).await;
    let b = Service::start_beside(&a, fake.url(), Mode::Webhook, no_delivery(), &[]).await;
    let chat = 9_900_000_000 + i64::from(rand::random::<u16>());
    let mut id = 1 + rand::random::<u32>() % 1_000_000;
    let mut next = || {
        id += 1;
        id
    };

    assert_eq!(
        a.post_webhook(&text_update(next(), chat, "/start", "ru"))
            .await,
        200
    );
    assert_eq!(
        b.post_webhook(&text_update(next(), chat, "русский", "ru"))
            .await,
        200
    );
    // The menu was shown by B; its button is pressed through A.
    let sent = fake.wait_for_sent_to(chat, 2).await;
    let help = sent[1]
        .reply_markup
        .as_ref()
        .and_then(|markup| {
            markup["inline_keyboard"]
                .as_array()?
                .iter()
                .flat_map(|row| row.as_array().cloned().unwrap_or_default())
                .find(|button| button["text"] == "Справка")
                .and_then(|button| button["callback_data"].as_str().map(str::to_string))
        })
        .expect("the menu has Справка");
    let press = callback_update(next(), chat, "q-1", &help, "ru");
    assert_eq!(a.post_webhook(&press).await, 200);
    // The same update again, now to B: already handled, so nothing more is sent.
    assert_eq!(b.post_webhook(&press).await, 200);
    for (service, text) in [(&b, "/menu"), (&a, "/help"), (&b, "/menu"), (&a, "/help")] {
        assert_eq!(
            service
                .post_webhook(&text_update(next(), chat, text, "ru"))
                .await,
            200
        );
    }

    let sent = fake.wait_for_sent_to(chat, 7).await;
    let texts: Vec<&str> = sent.iter().map(|s| s.text.as_str()).collect();
    let (help, menu) = (
        a.text(Lang::Ru, "help-text"),
        a.text(Lang::Ru, "menu-prompt"),
    );
    assert_eq!(texts.len(), 7, "{texts:?}");
    assert_eq!(texts[0], a.text(Lang::Ru, "language-prompt"));
    assert!(texts[1].ends_with(&menu), "{}", texts[1]);
    assert_eq!(
        &texts[2..],
        [&help, &menu, &help, &menu, &help].map(String::as_str),
        "in the order sent, the repeated button press once"
    );
    b.shutdown().await;
    a.shutdown().await;
}
