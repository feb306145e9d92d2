//! Filing applications (issue 5) against a real database with the demo registry: what the
//! registry tells the eligibility rules (disability, birth date, balances on the day of
//! filing), the draft stored with its canonical document and SHA-256, and the applications
//! in progress that block a second one. SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.

mod support;

use chrono::NaiveDate;
use support::pg::TestDb;
use zeinet::demo;
use zeinet::domain::application::{ApplicationKind, ApplicationStatus, document_digest};
use zeinet::domain::eligibility::{
    self, DisabilityRefusal, PayoutSource, VoluntaryBasis, VoluntaryRefusal,
};
use zeinet::services::applications::ApplicationsService;
use zeinet::services::filing::Applicant;
use zeinet::store::applications::{self, StatusChange};
use zeinet::store::depositors;

/// 2026-03-02 15:00 in Kazakhstan, as the transcripts.
const NOW: i64 = 1_772_445_600_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
}

async fn seeded() -> (TestDb, ApplicationsService) {
    let t = TestDb::new().await;
    demo::seed(&t.db, today(), NOW).await.expect("demo seeds");
    let service = ApplicationsService::new(t.db.clone());
    (t, service)
}

/// The demo person `number` (1-based) as an applicant.
async fn applicant(t: &TestDb, service: &ApplicationsService, number: usize) -> Applicant {
    let person = demo::people()
        .into_iter()
        .find(|p| p.number == number)
        .expect("demo person");
    let depositor = depositors::find_by_iin(&t.db, &person.iin)
        .await
        .expect("read")
        .expect("seeded");
    service
        .applicant(depositor.id, today())
        .await
        .expect("read")
        .expect("found")
}

#[tokio::test]
async fn the_registry_feeds_the_eligibility_rules() {
    let (t, service) = seeded().await;

    // #34: group 2 indefinitely, with ОПВ and ОППВ savings.
    let a = applicant(&t, &service, 34).await;
    assert_eq!(
        eligibility::disability_payout(a.disability, a.opv, a.oppv),
        Ok(vec![PayoutSource::Opv, PayoutSource::Oppv])
    );
    // #18: group 2 for a term.
    let a = applicant(&t, &service, 18).await;
    assert_eq!(
        eligibility::disability_payout(a.disability, a.opv, a.oppv),
        Err(DisabilityRefusal::NotIndefinite)
    );
    // #17: group 3, 56, with ДПВ: no ОПВ payout; ДПВ on both grounds.
    let a = applicant(&t, &service, 17).await;
    assert_eq!(
        eligibility::disability_payout(a.disability, a.opv, a.oppv),
        Err(DisabilityRefusal::GroupThree)
    );
    assert_eq!(
        eligibility::voluntary_payout(a.birth_date, today(), a.disability, a.dpv),
        Ok(vec![VoluntaryBasis::Age, VoluntaryBasis::Disability])
    );
    // #5: 52 with ДПВ.
    let a = applicant(&t, &service, 5).await;
    assert!(a.dpv.is_some_and(|m| m.tiyn() > 0));
    assert_eq!(
        eligibility::voluntary_payout(a.birth_date, today(), a.disability, a.dpv),
        Ok(vec![VoluntaryBasis::Age])
    );
    // #37: 35, disability for a term, ДПВ.
    let a = applicant(&t, &service, 37).await;
    assert_eq!(
        eligibility::voluntary_payout(a.birth_date, today(), a.disability, a.dpv),
        Ok(vec![VoluntaryBasis::Disability])
    );
    // #19: 30, ДПВ, no disability.
    let a = applicant(&t, &service, 19).await;
    assert!(matches!(
        eligibility::voluntary_payout(a.birth_date, today(), a.disability, a.dpv),
        Err(VoluntaryRefusal::UnderAge { .. })
    ));
    // #16: 51 without ДПВ.
    let a = applicant(&t, &service, 16).await;
    assert_eq!(a.dpv, None);
    assert_eq!(
        eligibility::voluntary_payout(a.birth_date, today(), a.disability, a.dpv),
        Err(VoluntaryRefusal::NoBalance)
    );
}

#[tokio::test]
async fn a_draft_keeps_its_document_and_digest_and_blocks_a_second_once_sent() {
    let (t, service) = seeded().await;
    let a = applicant(&t, &service, 28).await;
    let kind = ApplicationKind::BankDetailsChange;
    assert_eq!(
        service
            .in_progress(a.depositor_id, &[kind])
            .await
            .expect("read"),
        None
    );

    let document = r#"{"kind":"bank_details_change","iin":"x"}"#.to_owned();
    let filed = service
        .file_draft(a.depositor_id, kind, document.clone(), NOW)
        .await
        .expect("filed");
    assert_eq!(filed.status, ApplicationStatus::Draft);
    let stored = applications::get_for_depositor(&t.db, a.depositor_id, &filed.number)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(stored.document.as_deref(), Some(document.as_str()));
    assert_eq!(stored.document_sha256, Some(document_digest(&document)));
    // A draft alone does not block: the depositor may have abandoned it.
    assert_eq!(
        service
            .in_progress(a.depositor_id, &[kind])
            .await
            .expect("read"),
        None
    );

    let change = StatusChange {
        to: ApplicationStatus::AwaitingSignature,
        at_ms: NOW + 1,
        note: None,
    };
    applications::change_status(&t.db, a.depositor_id, &filed.number, &change)
        .await
        .expect("awaiting signature");
    let open = service
        .in_progress(a.depositor_id, &[kind])
        .await
        .expect("read");
    assert_eq!(open.map(|o| o.number), Some(filed.number));
    // Other kinds are not blocked.
    assert_eq!(
        service
            .in_progress(a.depositor_id, &[ApplicationKind::DisabilityPayout])
            .await
            .expect("read"),
        None
    );
    // An empty document is refused.
    assert!(
        service
            .file_draft(a.depositor_id, kind, String::new(), NOW)
            .await
            .is_err()
    );
}

mod confirm {
    //! Eligibility is checked again when the summary is confirmed: the registry may have
    //! changed while the depositor was typing.

    use super::support::transcript::{Harness, preset_password};
    use zeinet::conversation::{Incoming, Outgoing};
    use zeinet::domain::{Iin, NewPassword};

    const IIN: &str = "900905430185"; // demo #37: under 50, disability for a term, ДПВ
    const PASSWORD: &str = "Qarlygash-2024";

    fn text(out: &Outgoing) -> String {
        out.messages
            .iter()
            .map(|m| m.text.clone())
            .collect::<Vec<_>>()
            .join("\n")
    }

    async fn press(h: &mut Harness, label: &str) -> Outgoing {
        let data = h.button(label, false).expect("the button is on screen");
        h.send(Incoming::Callback(data)).await
    }

    async fn say(h: &mut Harness, words: &str) -> Outgoing {
        h.send(Incoming::Text(words.into())).await
    }

    async fn at_the_summary() -> Harness {
        let mut h = Harness::new(Some("ru")).await;
        let iin = Iin::parse(IIN).expect("demo IIN");
        let password = NewPassword::parse(PASSWORD, &iin).expect("password");
        preset_password(&mut h, &iin, &password)
            .await
            .expect("preset");
        say(&mut h, "/start").await;
        say(&mut h, "русский").await;
        press(&mut h, "Войти").await;
        say(&mut h, IIN).await;
        say(&mut h, PASSWORD).await;
        press(&mut h, "Новое заявление").await;
        press(&mut h, "Выплата из добровольных накоплений (ДПВ)").await;
        say(&mut h, "KZ18722S000012345678").await;
        let summary = say(&mut h, "Жанұзақова Индира Ерболқызы").await;
        assert!(
            text(&summary).contains("Проверьте заявление"),
            "{}",
            text(&summary)
        );
        assert!(
            summary.messages.iter().all(|m| m.protect),
            "the summary carries personal data"
        );
        h
    }

    #[tokio::test]
    async fn a_disability_removed_meanwhile_refuses_the_application() {
        let mut h = at_the_summary().await;
        sqlx::query("UPDATE depositors SET disability_group = NULL WHERE iin = $1")
            .bind(IIN)
            .execute(h.app.db.pool())
            .await
            .expect("registry changes");
        let answer = press(&mut h, "✅ Подтвердить").await;
        let shown = text(&answer);
        assert!(shown.contains("данные фонда изменились"), "{shown}");
        assert!(shown.contains("50 лет"), "{shown}");
        let (none, total) = zeinet::store::applications::list_for_depositor(
            &h.app.db,
            depositor_id(&h).await,
            0,
            10,
        )
        .await
        .expect("read");
        assert!(none.is_empty() && total == 0, "nothing was filed");
    }

    #[tokio::test]
    async fn confirmed_it_is_awaiting_signature_with_a_link() {
        let mut h = at_the_summary().await;
        let answer = press(&mut h, "✅ Подтвердить").await;
        let shown = text(&answer);
        assert!(shown.contains("Подпишите его ЭЦП"), "{shown}");
        assert!(
            answer.messages[0].protect,
            "the signing link is not to be forwarded"
        );
        let id = depositor_id(&h).await;
        let (items, _) = zeinet::store::applications::list_for_depositor(&h.app.db, id, 0, 10)
            .await
            .expect("read");
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].status,
            zeinet::domain::application::ApplicationStatus::AwaitingSignature
        );
        assert_eq!(
            items[0].kind,
            zeinet::domain::application::ApplicationKind::VoluntaryPayoutDisability
        );
        let detail =
            zeinet::store::applications::get_for_depositor(&h.app.db, id, &items[0].number)
                .await
                .expect("read")
                .expect("found");
        let document = detail.document.expect("a document");
        assert!(document.starts_with(
            "{\"kind\":\"voluntary_payout_disability\",\"iin\":\"900905430185\",\
             \"full_name\":\"Жанұзақова Индира Ерболқызы\",\"created_at\":\"2026-03-02T15:00:00+05:00\","
        ), "{document}");
        assert!(document.contains("\"iban\":\"KZ18722S000012345678\",\"bank_bic\":\"CASPKZKA\""));
        assert_eq!(
            detail.document_sha256,
            Some(zeinet::domain::application::document_digest(&document))
        );
    }

    async fn depositor_id(h: &Harness) -> i64 {
        let iin = Iin::parse(IIN).expect("demo IIN");
        zeinet::store::depositors::find_by_iin(&h.app.db, &iin)
            .await
            .expect("read")
            .expect("seeded")
            .id
    }
}
