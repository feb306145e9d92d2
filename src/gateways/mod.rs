//! Delivery of one-time codes to a depositor's phone (SMS) or mailbox (e-mail).
//!
//! One small trait, [`CodeSender`], with the real gateways ([`sms::MobizonSms`],
//! [`email::SmtpMailer`]), the terminal demo's queue ([`console::ConsoleSink`]) and a recorder
//! for tests ([`capture::CaptureSender`]). [`Delivery`] routes a [`Destination`] to the sender
//! of its channel and answers [`DeliveryError::NotConfigured`] when that channel has none
//! (`zeinet serve` without `SMS_API_URL` or `SMTP_URL`).
//!
//! Nothing here ever formats a number, an address, a message body or a secret in clear: the
//! `Debug` and `Display` of every type are safe to log.

pub mod capture;
pub mod console;
pub mod email;
pub mod sms;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use url::Url;

use crate::domain::{Email, Phone};

pub use capture::CaptureSender;
pub use console::ConsoleSink;
pub use email::SmtpMailer;
pub use sms::MobizonSms;

/// How long one request to a gateway may take unless the caller says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The user waits in the chat while a code is sent, and security.md asks for an answer
/// within seconds: an SMS request gets 3 s and one retry (about 6.5 s at the worst), a mail
/// relay 5 s.
pub const SMS_TIMEOUT: Duration = Duration::from_secs(3);
pub const SMS_RETRIES: u32 = 1;
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a code goes. `Debug` shows the masked number or address only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Sms(Phone),
    Email(Email),
}

impl Destination {
    /// `"sms"` or `"email"`: the channel's name in errors and logs.
    pub fn channel(&self) -> &'static str {
        match self {
            Destination::Sms(_) => "sms",
            Destination::Email(_) => "email",
        }
    }

    /// The destination as the fund's memo shows it (`8778*****`, `Al*****@ma****`).
    pub fn masked(&self) -> String {
        match self {
            Destination::Sms(phone) => phone.masked(),
            Destination::Email(email) => email.masked(),
        }
    }
}

/// A message already rendered in the depositor's language by the caller. It carries the code
/// and its purpose only (no IIN, no name, no balance). SMS gateways send the body alone.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboundMessage {
    pub subject: String,
    pub body: String,
}

impl OutboundMessage {
    pub fn new(subject: impl Into<String>, body: impl Into<String>) -> OutboundMessage {
        OutboundMessage {
            subject: subject.into(),
            body: body.into(),
        }
    }
}

/// The body holds a one-time code: `Debug` shows only the sizes, so a message that ends up
/// in a log line by accident gives nothing away.
impl fmt::Debug for OutboundMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboundMessage")
            .field("subject_chars", &self.subject.chars().count())
            .field("body_chars", &self.body.chars().count())
            .finish()
    }
}

/// Why a message was not handed over. The texts are ours, never a gateway's echo, so they
/// hold no number, address, key or message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The gateway is down, overloaded, slow or answered nonsense: try again later.
    #[error("delivery gateway unavailable: {0}")]
    Unavailable(String),
    /// The gateway refused: wrong key or credentials, a number or address it will not serve.
    /// Trying again will not help.
    #[error("delivery refused by the gateway: {0}")]
    Rejected(String),
    /// No sender is configured for this channel (`"sms"` or `"email"`).
    #[error("no {0} gateway is configured")]
    NotConfigured(&'static str),
}

impl DeliveryError {
    /// Whether the same message may succeed later without any change on our side.
    pub fn is_temporary(&self) -> bool {
        matches!(self, DeliveryError::Unavailable(_))
    }
}

/// A gateway that hands one message to one destination.
#[async_trait]
pub trait CodeSender: Send + Sync + 'static {
    /// `Ok` once the gateway has accepted the message (not necessarily delivered it).
    async fn send(&self, to: &Destination, message: &OutboundMessage) -> Result<(), DeliveryError>;
}

/// A gateway could not be set up from the settings. The texts name the setting, never its
/// value (the values hold keys and passwords).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("{0}")]
    Incomplete(&'static str),
    #[error("{setting} is not valid: {reason}")]
    Invalid {
        setting: &'static str,
        reason: &'static str,
    },
}

/// The senders of both channels. Cheap to clone.
#[derive(Clone, Default)]
pub struct Delivery {
    pub sms: Option<Arc<dyn CodeSender>>,
    pub email: Option<Arc<dyn CodeSender>>,
}

impl Delivery {
    /// Both channels into the terminal demo's queue (`zeinet chat`).
    pub fn console(sink: ConsoleSink) -> Delivery {
        let sink: Arc<dyn CodeSender> = Arc::new(sink);
        Delivery {
            sms: Some(Arc::clone(&sink)),
            email: Some(sink),
        }
    }

    /// The real gateways from the settings (`SMS_API_URL`, `SMS_API_KEY`, `SMTP_URL`,
    /// `SMTP_FROM`). A channel whose settings are absent has no sender; a half-configured
    /// channel is an error, so a typo does not silently switch SMS off. Empty values count as
    /// absent (`SMS_API_KEY=` in a `.env`).
    pub fn from_settings(
        sms_api_url: Option<Url>,
        sms_api_key: Option<String>,
        smtp_url: Option<String>,
        smtp_from: String,
    ) -> Result<Delivery, SetupError> {
        let sms_api_key = sms_api_key.filter(|key| !key.trim().is_empty());
        let sms: Option<Arc<dyn CodeSender>> = match (sms_api_url, sms_api_key) {
            (Some(url), Some(key)) => Some(Arc::new(
                MobizonSms::new(url, key, SMS_TIMEOUT)?
                    .with_retries(SMS_RETRIES, Duration::from_millis(250)),
            )),
            (Some(_), None) => {
                return Err(SetupError::Incomplete(
                    "SMS_API_KEY is required when SMS_API_URL is set",
                ));
            }
            (None, Some(_)) => {
                return Err(SetupError::Incomplete(
                    "SMS_API_URL is required when SMS_API_KEY is set",
                ));
            }
            (None, None) => None,
        };
        let email: Option<Arc<dyn CodeSender>> = match smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => Some(Arc::new(SmtpMailer::from_url(
                &url,
                &smtp_from,
                SMTP_TIMEOUT,
            )?)),
            None => None,
        };
        Ok(Delivery { sms, email })
    }

    /// Hands the message to the sender of the destination's channel.
    pub async fn send(
        &self,
        to: &Destination,
        message: &OutboundMessage,
    ) -> Result<(), DeliveryError> {
        let sender = match to {
            Destination::Sms(_) => self.sms.as_ref(),
            Destination::Email(_) => self.email.as_ref(),
        };
        match sender {
            Some(sender) => sender.send(to, message).await,
            None => Err(DeliveryError::NotConfigured(to.channel())),
        }
    }

    /// Whether codes can go to this channel at all (to offer only channels that work).
    pub fn can_send(&self, to: &Destination) -> bool {
        match to {
            Destination::Sms(_) => self.sms.is_some(),
            Destination::Email(_) => self.email.is_some(),
        }
    }
}

/// Says which channels are configured and nothing else: the senders hold keys and passwords.
impl fmt::Debug for Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state =
            |s: &Option<Arc<dyn CodeSender>>| if s.is_some() { "configured" } else { "none" };
        f.debug_struct("Delivery")
            .field("sms", &state(&self.sms))
            .field("email", &state(&self.email))
            .finish()
    }
}
