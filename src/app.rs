//! Wiring: builds the stores, texts, services and the conversation runner from the
//! configuration. Start-up only; no rules live here.

use std::sync::Arc;

use anyhow::Context;

use crate::booking::Catalogue;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::conversation::Conversation;
use crate::ephemeral::Ephemeral;
use crate::ephemeral::memory::MemoryStore;
use crate::ephemeral::redis_store::RedisStore;
use crate::gateways::Delivery;
use crate::i18n::I18n;
use crate::services::applications::ApplicationsService;
use crate::services::auth::{AuthService, AuthSettings};
use crate::services::booking::BookingService;
use crate::services::documents::DocumentService;
use crate::services::signing::SigningService;
use crate::services::transfers::TransfersService;
use crate::store::Db;

pub struct App {
    pub config: Config,
    pub db: Db,
    pub ephemeral: Arc<dyn Ephemeral>,
    pub clock: SharedClock,
    pub i18n: Arc<I18n>,
    pub auth: Arc<AuthService>,
    pub booking: Arc<BookingService>,
    /// EDS signing links and the signing page's post.
    pub signing: SigningService,
    pub conversation: Arc<Conversation>,
}

impl App {
    /// Connects the stores (applying migrations) and builds the services.
    pub async fn start(
        config: Config,
        clock: SharedClock,
        delivery: Delivery,
    ) -> anyhow::Result<Arc<App>> {
        let db = Db::connect(&config.database_url)
            .await
            .with_context(|| format!("cannot open the {} database", config.database_scheme()))?;
        let applied = db.migrate().await.context("cannot apply migrations")?;
        if applied > 0 {
            tracing::info!(applied, "migrations applied");
        }
        let ephemeral: Arc<dyn Ephemeral> = match &config.redis_url {
            Some(url) => Arc::new(
                RedisStore::connect(url)
                    .await
                    .context("cannot connect to Redis (REDIS_URL)")?,
            ),
            None => Arc::new(MemoryStore::new()),
        };
        App::assemble(config, db, ephemeral, clock, delivery)
    }

    /// Builds the application from stores that are already open (tests share stores).
    pub fn assemble(
        config: Config,
        db: Db,
        ephemeral: Arc<dyn Ephemeral>,
        clock: SharedClock,
        delivery: Delivery,
    ) -> anyhow::Result<Arc<App>> {
        let i18n = Arc::new(I18n::load()?);
        let settings =
            AuthSettings::from_config(&config).context("cannot set up one-time codes")?;
        let auth = Arc::new(AuthService::new(
            db.clone(),
            ephemeral.clone(),
            clock.clone(),
            i18n.clone(),
            delivery,
            settings,
        ));
        let reference = crate::reference::embedded().context("the reference data does not load")?;
        let catalogue = Catalogue::embedded().context("booking reference data do not load")?;
        let booking = Arc::new(BookingService::new(
            db.clone(),
            clock.clone(),
            catalogue,
            i18n.clone(),
        ));
        // Without a verifier configured, links are still issued (the dialogues and transcripts
        // work) and every post of the page answers "unavailable", spending nothing.
        let verifier = if config.ncanode_url.is_none() && config.eds_trusted_roots.is_empty() {
            tracing::warn!(
                "EDS signatures cannot be checked: set NCANODE_URL or EDS_TRUSTED_ROOTS"
            );
            None
        } else {
            Some(crate::signing::from_config(&config).context("cannot set up EDS verification")?)
        };
        let signing = SigningService::new(
            db.clone(),
            verifier,
            auth.clone(),
            i18n.clone(),
            clock.clone(),
            SigningService::base_url_from(&config),
        );
        let conversation = Arc::new(Conversation::new(
            db.clone(),
            auth.clone(),
            ApplicationsService::new(db.clone()),
            DocumentService::new(db.clone(), clock.clone(), i18n.clone()),
            reference,
            booking.clone(),
            signing.clone(),
            TransfersService::new(
                db.clone(),
                config.payment_url.clone(),
                crate::reference::payment_details::embedded()
                    .context("payment details do not load")?,
            ),
            ephemeral.clone(),
            i18n.clone(),
            clock.clone(),
            config.session_idle,
        ));
        Ok(Arc::new(App {
            config,
            db,
            ephemeral,
            clock,
            i18n,
            auth,
            booking,
            signing,
            conversation,
        }))
    }
}
