//! Demo applications with their status histories, for tracking an application's status
//! (memo service 9): several for #31 in every final status and one still under review, a
//! disability payout from 2021 for #13 (whose payouts run since May 2021), none for anybody
//! else.
//!
//! Times count back from the seed's `now`, so the list always looks recent; the same `now`
//! gives the same applications. Every history follows the allowed transitions (a test walks
//! them), and documents are canonical JSON with invented details.

use chrono::{NaiveDate, TimeZone};
use serde_json::json;
use sqlx::AnyConnection;

use crate::domain::application::{ApplicationKind, ApplicationStatus, StatusNote};
use crate::store::StoreError;
use crate::store::applications::{self, NewApplication, StatusChange, StatusChangeError};

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

/// The person who tracks applications, and the one with payouts running since 2021.
pub const TRACKING_PERSON: usize = 31;
pub const DISABILITY_PAYOUT_PERSON: usize = 13;

/// One status of a demo application's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoStep {
    pub status: ApplicationStatus,
    pub at_ms: i64,
    pub note: Option<StatusNote>,
}

/// A demo application: its kind, document and full history (the first step is the status
/// it was created in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoApplication {
    pub kind: ApplicationKind,
    pub document: Option<String>,
    pub steps: Vec<DemoStep>,
}

impl DemoApplication {
    pub fn created_at_ms(&self) -> i64 {
        self.steps.first().map(|s| s.at_ms).unwrap_or_default()
    }

    pub fn status(&self) -> Option<ApplicationStatus> {
        self.steps.last().map(|s| s.status)
    }
}

/// Builds a history the way the bot files an application: a draft, the signing request,
/// the signature, the fund's acceptance a minute later, then whatever the fund does.
struct Filing {
    kind: ApplicationKind,
    document: Option<String>,
    steps: Vec<DemoStep>,
}

impl Filing {
    fn draft(kind: ApplicationKind, at_ms: i64, document: serde_json::Value) -> Filing {
        Filing {
            kind,
            document: Some(document.to_string()),
            steps: vec![DemoStep {
                status: ApplicationStatus::Draft,
                at_ms,
                note: None,
            }],
        }
    }

    fn last_ms(&self) -> i64 {
        self.steps.last().map(|s| s.at_ms).unwrap_or_default()
    }

    fn then(mut self, status: ApplicationStatus, after_ms: i64, note: Option<StatusNote>) -> Self {
        let at_ms = self.last_ms() + after_ms;
        self.steps.push(DemoStep {
            status,
            at_ms,
            note,
        });
        self
    }

    /// Signed in the bot and accepted by the fund within minutes.
    fn submitted(self) -> Self {
        self.then(ApplicationStatus::AwaitingSignature, 2 * MINUTE_MS, None)
            .then(ApplicationStatus::Signed, 3 * MINUTE_MS, None)
            .then(ApplicationStatus::Accepted, MINUTE_MS, None)
    }

    /// Accepted, then under review from the next day.
    fn reviewed(self) -> Self {
        self.submitted()
            .then(ApplicationStatus::UnderReview, DAY_MS, None)
    }

    fn ends(self, status: ApplicationStatus, after_days: i64, note: Option<StatusNote>) -> Self {
        self.then(status, after_days * DAY_MS, note)
    }

    fn done(self) -> DemoApplication {
        DemoApplication {
            kind: self.kind,
            document: self.document,
            steps: self.steps,
        }
    }
}

fn manager_document(manager: &str) -> serde_json::Value {
    json!({ "kind": "manager_choice", "manager": manager, "share_percent": 50 })
}

/// Invented bank details: `KZ00DEMO` is no bank's code.
fn bank_document(account: &str) -> serde_json::Value {
    json!({ "kind": "bank_details_change", "iban": account, "bank": "DEMO BANK" })
}

/// The demo applications of person `number` (1-based, as in `demo::people`), oldest first,
/// none created after `now_ms`.
pub fn applications_of(number: usize, now_ms: i64) -> Vec<DemoApplication> {
    let all = match number {
        TRACKING_PERSON => tracking(now_ms),
        DISABILITY_PAYOUT_PERSON => disability_payout_2021().into_iter().collect(),
        _ => Vec::new(),
    };
    all.into_iter()
        .filter(|a| a.steps.iter().all(|s| s.at_ms <= now_ms))
        .collect()
}

/// #31: a year of applications. Her savings are with the National Bank today, as her
/// accounts say: the move to a private manager was undone by a return to the National Bank.
fn tracking(now_ms: i64) -> Vec<DemoApplication> {
    use ApplicationKind::*;
    use ApplicationStatus::*;
    // Mid-morning in Kazakhstan, `days` before now.
    let ago = |days: i64| now_ms - days * DAY_MS - 3 * 60 * MINUTE_MS;
    vec![
        Filing::draft(
            ManagerChoice,
            ago(340),
            manager_document("halyk_global_markets"),
        )
        .reviewed()
        .ends(Executed, 20, None)
        .done(),
        Filing::draft(
            BankDetailsChange,
            ago(200),
            bank_document("KZ00DEMO0000000031"),
        )
        .reviewed()
        .ends(Executed, 6, None)
        .done(),
        Filing::draft(ManagerChoice, ago(130), manager_document("bcc_invest"))
            .reviewed()
            .ends(Refused, 5, Some(StatusNote::ManagerChangeTooSoon))
            .done(),
        Filing::draft(
            ReturnToNationalBank,
            ago(95),
            json!({ "kind": "return_to_national_bank" }),
        )
        .reviewed()
        .ends(Executed, 24, None)
        .done(),
        Filing::draft(
            BankDetailsChange,
            ago(25),
            bank_document("KZ00DEMO0000000131"),
        )
        .reviewed()
        .ends(Returned, 6, Some(StatusNote::BankDetailsMismatch))
        .done(),
        Filing::draft(
            ManagerChoice,
            ago(14),
            manager_document("centras_securities"),
        )
        .submitted()
        .ends(Cancelled, 2, Some(StatusNote::CancelledByDepositor))
        .done(),
        Filing::draft(
            BankDetailsChange,
            ago(3),
            bank_document("KZ00DEMO0000000231"),
        )
        .reviewed()
        .done(),
    ]
}

/// #13: the disability payout applied for in April 2021, executed before the first payout
/// in May 2021.
fn disability_payout_2021() -> Option<DemoApplication> {
    use ApplicationStatus::*;
    let kazakhstan = crate::domain::dates::KAZAKHSTAN_TIME;
    let filed = NaiveDate::from_ymd_opt(2021, 4, 12)?.and_hms_opt(10, 30, 0)?;
    let filed_ms = kazakhstan
        .from_local_datetime(&filed)
        .single()?
        .timestamp_millis();
    let document =
        json!({ "kind": "disability_payout", "disability_group": 1, "indefinite": true });
    Some(
        Filing::draft(ApplicationKind::DisabilityPayout, filed_ms, document)
            .reviewed()
            .ends(Executed, 8, None)
            .done(),
    )
}

/// Writes person `number`'s demo applications for the depositor `depositor_id`, inside the
/// seed's transaction; returns how many.
pub(crate) async fn seed_for(
    conn: &mut AnyConnection,
    number: usize,
    depositor_id: i64,
    now_ms: i64,
) -> Result<u64, StoreError> {
    let mut written = 0;
    for demo in applications_of(number, now_ms) {
        let Some((first, rest)) = demo.steps.split_first() else {
            continue;
        };
        let new = NewApplication {
            depositor_id,
            kind: demo.kind,
            status: first.status,
            created_at_ms: first.at_ms,
            document: demo.document.clone(),
            note: first.note,
        };
        let stored = applications::insert_in(conn, &new).await?;
        for step in rest {
            let change = StatusChange {
                to: step.status,
                at_ms: step.at_ms,
                note: step.note,
            };
            applications::change_status_in(conn, depositor_id, &stored.number, &change)
                .await
                .map_err(|e| match e {
                    StatusChangeError::Store(e) => e,
                    _ => StoreError::Invalid {
                        what: "demo application",
                        reason: "its history breaks the status rules",
                    },
                })?;
        }
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_772_445_600_000; // 2026-03-02 10:00 UTC

    #[test]
    fn histories_follow_the_rules_and_time() {
        for number in [TRACKING_PERSON, DISABILITY_PAYOUT_PERSON] {
            for demo in applications_of(number, NOW) {
                let first = demo.steps.first().map(|s| s.status);
                assert!(first.is_some_and(ApplicationStatus::can_start));
                for pair in demo.steps.windows(2) {
                    assert!(pair[0].status.can_become(pair[1].status), "{pair:?}");
                    assert!(pair[0].at_ms < pair[1].at_ms);
                }
                assert!(demo.steps.iter().all(|s| s.at_ms <= NOW));
                let document = demo.document.as_deref().unwrap_or_default();
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(document);
                assert_eq!(
                    parsed.map(|v| v.to_string()).ok().as_deref(),
                    Some(document)
                );
            }
        }
    }

    #[test]
    fn tracking_covers_every_outcome_newest_still_open() {
        let demos = applications_of(TRACKING_PERSON, NOW);
        let statuses: Vec<_> = demos.iter().filter_map(DemoApplication::status).collect();
        use ApplicationStatus::*;
        assert_eq!(
            statuses,
            [
                Executed,
                Executed,
                Refused,
                Executed,
                Returned,
                Cancelled,
                UnderReview
            ]
        );
        let created: Vec<_> = demos.iter().map(DemoApplication::created_at_ms).collect();
        assert!(created.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn only_two_people_have_applications_and_old_ones_need_their_time() {
        for number in 1..=40 {
            let count = applications_of(number, NOW).len();
            match number {
                TRACKING_PERSON => assert_eq!(count, 7),
                DISABILITY_PAYOUT_PERSON => assert_eq!(count, 1),
                _ => assert_eq!(count, 0, "#{number}"),
            }
        }
        // Seeded "in 2020", the 2021 application does not exist yet.
        assert!(applications_of(DISABILITY_PAYOUT_PERSON, 1_600_000_000_000).is_empty());
    }
}
