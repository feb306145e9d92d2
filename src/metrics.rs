//! Prometheus metrics: what an operator watches. One process-wide registry (the counters are
//! bumped from wherever the event happens), rendered on `GET /metrics` in the text format.
//! Labels carry kinds and outcomes only, never personal data.

use std::sync::OnceLock;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

type Labels = Vec<(String, String)>;

pub struct Metrics {
    registry: Registry,
    /// Telegram updates handled, by kind (text, command, button, contact, unsupported).
    pub updates: Family<Labels, Counter>,
    /// Seconds from an update's arrival to its reply being sent.
    pub reply_seconds: Histogram,
    /// Sign-ins by outcome (ok, invalid, locked, throttled).
    pub sign_ins: Family<Labels, Counter>,
    /// One-time codes sent, by channel (sms, email).
    pub codes_sent: Family<Labels, Counter>,
    /// Failures of outside services, by gateway (sms, email, telegram).
    pub gateway_errors: Family<Labels, Counter>,
    /// Outbox deliveries by outcome (sent, failed, unreachable, cancelled, retry).
    pub outbox_deliveries: Family<Labels, Counter>,
    /// Outbox messages waiting, read at scrape time.
    pub outbox_depth: Gauge,
    /// Posts of the EDS signing page by outcome (accepted, signed_in, refused, gone, too_many,
    /// unavailable, bad_request); refused ones also by reason (`Refusal::code`).
    pub eds_posts: Family<Labels, Counter>,
}

fn label(name: &str, value: &str) -> Labels {
    vec![(name.to_string(), value.to_string())]
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("zeinet");
        let updates = Family::<Labels, Counter>::default();
        registry.register(
            "updates",
            "Telegram updates handled, by kind",
            updates.clone(),
        );
        // 1 ms to 10 s: menu replies take a millisecond, a slow gateway several seconds.
        let reply_seconds = Histogram::new([
            0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ]);
        registry.register(
            "reply_seconds",
            "Time from an update's arrival to its reply being sent",
            reply_seconds.clone(),
        );
        let sign_ins = Family::<Labels, Counter>::default();
        registry.register("sign_ins", "Sign-ins by outcome", sign_ins.clone());
        let codes_sent = Family::<Labels, Counter>::default();
        registry.register(
            "codes_sent",
            "One-time codes sent, by channel",
            codes_sent.clone(),
        );
        let gateway_errors = Family::<Labels, Counter>::default();
        registry.register(
            "gateway_errors",
            "Failures of outside services, by gateway",
            gateway_errors.clone(),
        );
        let outbox_deliveries = Family::<Labels, Counter>::default();
        registry.register(
            "outbox_deliveries",
            "Outbox deliveries by outcome",
            outbox_deliveries.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Outbox messages waiting",
            outbox_depth.clone(),
        );
        let eds_posts = Family::<Labels, Counter>::default();
        registry.register(
            "eds_posts",
            "Posts of the EDS signing page by outcome",
            eds_posts.clone(),
        );
        Metrics {
            eds_posts,
            registry,
            updates,
            reply_seconds,
            sign_ins,
            codes_sent,
            gateway_errors,
            outbox_deliveries,
            outbox_depth,
        }
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail; an encoder error would only cut the output.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// The process's metrics.
pub fn global() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

pub fn count_update(kind: &str) {
    global().updates.get_or_create(&label("kind", kind)).inc();
}

pub fn observe_reply(seconds: f64) {
    global().reply_seconds.observe(seconds);
}

pub fn count_sign_in(outcome: &str) {
    global()
        .sign_ins
        .get_or_create(&label("outcome", outcome))
        .inc();
}

/// One post of the signing page; `reason` is the refusal's code when refused.
pub fn count_eds_post(outcome: &str, reason: Option<&str>) {
    let mut labels = label("outcome", outcome);
    if let Some(reason) = reason {
        labels.push(("reason".to_string(), reason.to_string()));
    }
    global().eds_posts.get_or_create(&labels).inc();
}

pub fn count_code_sent(channel: &str) {
    global()
        .codes_sent
        .get_or_create(&label("channel", channel))
        .inc();
}

pub fn count_gateway_error(gateway: &str) {
    global()
        .gateway_errors
        .get_or_create(&label("gateway", gateway))
        .inc();
}

pub fn count_delivery(outcome: &str) {
    global()
        .outbox_deliveries
        .get_or_create(&label("outcome", outcome))
        .inc();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_show_in_the_exposition() {
        count_update("command");
        count_sign_in("ok");
        observe_reply(0.004);
        let text = global().render();
        assert!(
            text.contains("zeinet_updates_total{kind=\"command\"}"),
            "{text}"
        );
        assert!(
            text.contains("zeinet_sign_ins_total{outcome=\"ok\"}"),
            "{text}"
        );
        assert!(text.contains("zeinet_reply_seconds_bucket"), "{text}");
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
