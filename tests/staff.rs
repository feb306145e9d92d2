//! The staff service: broadcasts written at night wait until 08:00 Kazakhstan time, and
//! every staff action leaves an audit entry.

#[allow(dead_code)]
#[path = "support/pg.rs"]
mod pg;

use chrono::{FixedOffset, TimeZone, Utc};
use pg::TestDb;
use zeinet::domain::Lang;
use zeinet::outbox::payload::{BroadcastTexts, RenderedMessage};
use zeinet::services::staff::{Audience, StaffService};
use zeinet::store::{audit, chats, outbox};

const STAFF: i64 = 777;

fn kz() -> FixedOffset {
    FixedOffset::east_opt(5 * 3600).expect("offset")
}

#[tokio::test]
async fn a_night_broadcast_waits_for_the_morning_and_staff_actions_are_audited() {
    let test = TestDb::new().await;
    let db = test.db.clone();
    chats::touch(&db, 1001, 1001, 0).await.expect("chat");
    chats::set_language(&db, 1001, "ru").await.expect("lang");
    let staff = StaffService::new(db.clone());
    let night = kz()
        .with_ymd_and_hms(2026, 3, 2, 22, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    let texts = BroadcastTexts::same_for_all(RenderedMessage::text("Ертең 09:00-де"));
    let created = staff
        .broadcast(STAFF, texts, Audience::Language(Lang::Ru), night)
        .await
        .expect("broadcast");
    assert_eq!(created.broadcast.total, 1);
    let morning_ms = kz()
        .with_ymd_and_hms(2026, 3, 3, 8, 0, 0)
        .unwrap()
        .timestamp_millis();
    assert_eq!(created.held_until_ms, Some(morning_ms), "held until 08:00");
    let morning = kz().with_ymd_and_hms(2026, 3, 3, 8, 0, 0).unwrap();
    assert_eq!(
        outbox::next_due_ms(&db).await.expect("due"),
        Some(morning.timestamp_millis())
    );

    let stats = staff.stats(STAFF, 55, night).await.expect("stats");
    assert_eq!(stats.chats, 1);
    assert_eq!(stats.outbox_pending, 1);
    let views = staff.recent(STAFF, 55, night).await.expect("recent");
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].progress.pending, 1);
    let cancelled = staff
        .cancel(STAFF, created.broadcast.id, night)
        .await
        .expect("cancel");
    assert_eq!(cancelled, 1);

    let entries = audit::between(&db, 0, i64::MAX, None).await.expect("audit");
    let actions: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor == format!("staff:{STAFF}"))
        .map(|e| e.action.as_str())
        .collect();
    for expected in ["staff.stats", "staff.broadcasts"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    // Creating and cancelling are audited by the broadcast store.
    assert!(actions.len() >= 4, "{actions:?}");
}
