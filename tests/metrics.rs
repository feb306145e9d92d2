//! `/metrics` through the real service: refused without the bearer token when one is set,
//! and the counters move when updates are handled.

mod support;

use support::fake_bot_api::{FakeBotApi, text_update};
use support::service::{Mode, Service};
use zeinet::gateways::Delivery;

const TOKEN: &str = "metrics-test-token";

fn no_delivery() -> Delivery {
    Delivery {
        sms: None,
        email: None,
    }
}

async fn get(url: &str, bearer: Option<&str>) -> (u16, String) {
    let client = reqwest::Client::new();
    let mut request = client.get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("metrics answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_and_count_updates() {
    let fake = FakeBotApi::start().await;
    let service = Service::start(
        fake.url(),
        Mode::Polling,
        no_delivery(),
        &[("METRICS_TOKEN", TOKEN)],
    )
    .await;
    let url = service.url("/metrics");
    assert_eq!(get(&url, None).await.0, 401, "no token");
    assert_eq!(get(&url, Some("wrong")).await.0, 401, "wrong token");

    let chat = 7_700_000_000 + i64::from(rand::random::<u16>());
    fake.push_updates(vec![text_update(
        rand::random::<u32>() % 1_000_000 + 1,
        chat,
        "/start",
        "ru",
    )]);
    fake.wait_for_sent_to(chat, 1).await;

    let (status, body) = get(&url, Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("zeinet_updates_total{kind=\"command\"}"),
        "{body}"
    );
    assert!(body.contains("zeinet_reply_seconds_count"), "{body}");
    assert!(body.contains("zeinet_outbox_depth"), "{body}");
    assert!(!body.contains(&chat.to_string()), "no chat ids in metrics");
    service.shutdown().await;
}
