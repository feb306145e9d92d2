//! A service ready for the signing page: the real `serve` on the clock of the test PKI
//! (`pki::now()`, when its certificates are valid), the built-in verifier trusting the test
//! root, NCALayer where the test says, the fake Bot API, and the PKI's depositor in the
//! registry. [`SignStand::awaiting_signature`] files an application and asks for its
//! signature the way the bot does (store insert + `SigningService`), giving the link's token.

use std::sync::Arc;

use zeinet::clock::FixedClock;
use zeinet::domain::Lang;
use zeinet::domain::application::{ApplicationKind, ApplicationNumber, ApplicationStatus};
use zeinet::gateways::Delivery;
use zeinet::store::applications::{self, NewApplication};
use zeinet::store::depositors::{self, NewDepositor};

use super::fake_bot_api::FakeBotApi;
use super::pki::{depositor_iin, now, pki};
use super::service::{Mode, Service, fresh_chat_id};

pub struct SignStand {
    pub bot: FakeBotApi,
    pub service: Service,
    pub clock: FixedClock,
    pub depositor_id: i64,
    _roots: tempfile::TempDir,
}

/// An application waiting for its signature.
pub struct Pending {
    pub chat_id: i64,
    pub number: ApplicationNumber,
    pub document: String,
    /// The secret part of the link (`/sign/{token}`).
    pub token: String,
    pub expires_at_ms: i64,
}

impl SignStand {
    pub async fn start(ncalayer_url: &str) -> SignStand {
        let roots = tempfile::tempdir().expect("temp dir");
        let root_file = roots.path().join("root.pem");
        std::fs::write(&root_file, &pki().root.pem).expect("root certificate written");
        let root_path = root_file.display().to_string();
        let bot = FakeBotApi::start().await;
        let clock = FixedClock::new(now());
        let service = Service::start_at(
            bot.url(),
            Mode::Polling,
            Delivery {
                sms: None,
                email: None,
            },
            &[
                ("NCALAYER_URL", ncalayer_url),
                ("EDS_TRUSTED_ROOTS", &root_path),
            ],
            Arc::new(clock.clone()),
        )
        .await;
        let db = &service.app.db;
        let depositor_id = match depositors::find_by_iin(db, &depositor_iin())
            .await
            .expect("depositors readable")
        {
            Some(existing) => existing.id,
            None => {
                depositors::insert(
                    db,
                    &NewDepositor {
                        iin: depositor_iin(),
                        last_name: "Тестов".into(),
                        first_name: "Тест".into(),
                        patronymic: Some("Тестович".into()),
                        birth_date: chrono::NaiveDate::from_ymd_opt(1988, 1, 1).expect("date"),
                        sex: zeinet::domain::Sex::Male,
                        phone: None,
                        email: None,
                        disability: None,
                        created_at_ms: now().timestamp_millis(),
                    },
                )
                .await
                .expect("the PKI's depositor is added")
                .id
            }
        };
        SignStand {
            bot,
            service,
            clock,
            depositor_id,
            _roots: roots,
        }
    }

    /// A canonical document of the PKI's depositor (field order as the applications write it),
    /// with one field no label exists for.
    pub fn document(kind: ApplicationKind) -> String {
        format!(
            r#"{{"kind":"{}","iin":"{}","full_name":"Тестов Тест Тестович","created_at":"2025-06-01T17:00:00+05:00","amount":12500000,"currency":"KZT","zz_unlabelled_note":"Қосымша <мәлімет>"}}"#,
            kind.code(),
            depositor_iin().as_str()
        )
    }

    /// Files an application of `kind` and asks for its signature in `lang`, from a new chat.
    pub async fn awaiting_signature(&self, kind: ApplicationKind, lang: Lang) -> Pending {
        let app = &self.service.app;
        let document = SignStand::document(kind);
        let summary = applications::insert(
            &app.db,
            &NewApplication {
                depositor_id: self.depositor_id,
                kind,
                status: ApplicationStatus::Draft,
                created_at_ms: now().timestamp_millis(),
                document: Some(document.clone()),
                note: None,
            },
        )
        .await
        .expect("application filed");
        let chat_id = fresh_chat_id();
        let link = app
            .signing
            .request_application_signature(
                chat_id,
                lang,
                self.depositor_id,
                &summary.number,
                app.clock.now_ms(),
            )
            .await
            .expect("signature requested");
        let token = link
            .url
            .rsplit_once("/sign/")
            .map(|(_, token)| token.to_string())
            .expect("a /sign/ link");
        Pending {
            chat_id,
            number: summary.number,
            document,
            token,
            expires_at_ms: link.expires_at_ms,
        }
    }

    /// The page of `token` on this service.
    pub fn page_url(&self, token: &str) -> String {
        self.service.url(&format!("/sign/{token}"))
    }

    /// The application's status now.
    pub async fn status(&self, number: &ApplicationNumber) -> ApplicationStatus {
        applications::get_for_depositor(&self.service.app.db, self.depositor_id, number)
            .await
            .expect("applications readable")
            .expect("the application exists")
            .summary
            .status
    }

    pub async fn shutdown(self) {
        self.service.shutdown().await;
    }
}
