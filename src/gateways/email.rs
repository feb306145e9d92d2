//! E-mail through an SMTP relay (`SMTP_URL`, `SMTP_FROM`), with lettre.
//!
//! `SMTP_URL` takes lettre's forms: `smtps://user:pass@host:465` (implicit TLS),
//! `smtp://user:pass@host:587?tls=required` (STARTTLS, refused when the server does not offer
//! it) and plain `smtp://host:port` for a relay on the same machine (and the tests).
//! One connection per message; the whole exchange is bounded by the timeout.
//! A 5xx reply means the server will not take the message (`Rejected`); a 4xx reply, a
//! connection or TLS failure and a timeout may pass (`Unavailable`).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use url::Url;

use super::{CodeSender, DeliveryError, Destination, OutboundMessage, SetupError};

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `smtps://host:port`-like, without credentials, for `Debug`.
    endpoint: String,
    timeout: Duration,
}

impl SmtpMailer {
    /// `from` is the sender as the depositor sees it: `Zeinet <noreply@zeinet.kz>` or a bare
    /// address.
    pub fn from_url(
        smtp_url: &str,
        from: &str,
        timeout: Duration,
    ) -> Result<SmtpMailer, SetupError> {
        let invalid_url = SetupError::Invalid {
            setting: "SMTP_URL",
            reason: "expected smtp://host:port, smtp://user:pass@host:port?tls=required \
                     or smtps://user:pass@host:port",
        };
        // Parsed here too, only to describe the endpoint without the credentials; lettre's
        // own errors are not passed on because they may quote parts of the URL.
        let parsed = Url::parse(smtp_url).map_err(|_| invalid_url.clone())?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|_| invalid_url)?
            .timeout(Some(timeout))
            .build();
        let from: Mailbox = from.trim().parse().map_err(|_| SetupError::Invalid {
            setting: "SMTP_FROM",
            reason: "expected an address such as `Zeinet <noreply@example.kz>`",
        })?;
        Ok(SmtpMailer {
            transport,
            from,
            endpoint: describe_endpoint(&parsed),
            timeout,
        })
    }

    fn compose(&self, to: Address, message: &OutboundMessage) -> Result<Message, DeliveryError> {
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(message.subject.as_str())
            // Not every relay adds one, and mail without it looks like spam to some filters.
            .message_id(None)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|_| DeliveryError::Rejected("the message could not be composed".into()))
    }
}

#[async_trait]
impl CodeSender for SmtpMailer {
    async fn send(&self, to: &Destination, message: &OutboundMessage) -> Result<(), DeliveryError> {
        let Destination::Email(email) = to else {
            return Err(DeliveryError::NotConfigured(to.channel()));
        };
        // Our parser accepts a few addresses lettre does not (Unicode local parts): those
        // cannot be sent, now or later.
        let address: Address = email.as_str().parse().map_err(|_| {
            DeliveryError::Rejected("the address cannot be used for sending mail".into())
        })?;
        let mail = self.compose(address, message)?;
        let outcome = match tokio::time::timeout(self.timeout, self.transport.send(mail)).await {
            Ok(Ok(_response)) => Ok(()),
            Ok(Err(error)) => Err(smtp_failure(&error)),
            Err(_elapsed) => Err(DeliveryError::Unavailable(
                "the mail server did not answer in time".into(),
            )),
        };
        match &outcome {
            Ok(()) => tracing::debug!(to = %to.masked(), "e-mail accepted by the mail server"),
            Err(error) => tracing::warn!(to = %to.masked(), %error, "e-mail not sent"),
        }
        outcome
    }
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("endpoint", &self.endpoint)
            .field("from", &self.from.email.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// An SMTP failure in our words: the server's reply text may quote the address, so only its
/// code is kept.
fn smtp_failure(error: &SmtpError) -> DeliveryError {
    if error.is_permanent() {
        let code = error.status().map(|c| c.to_string()).unwrap_or_default();
        DeliveryError::Rejected(format!("the mail server refused the message (SMTP {code})"))
    } else if error.is_transient() {
        let code = error.status().map(|c| c.to_string()).unwrap_or_default();
        DeliveryError::Unavailable(format!("the mail server asked to try later (SMTP {code})"))
    } else if error.is_client() {
        // lettre could not go on: no authentication mechanism in common, an extension the
        // message needs is missing. The server's configuration will not change by itself.
        DeliveryError::Rejected("the mail server cannot take this message".into())
    } else if error.is_timeout() {
        DeliveryError::Unavailable("the mail server did not answer in time".into())
    } else if error.is_tls() {
        DeliveryError::Unavailable("the TLS handshake with the mail server failed".into())
    } else {
        DeliveryError::Unavailable("the mail server could not be reached".into())
    }
}

/// `scheme://host:port?tls=…` with no user, password or EHLO name.
fn describe_endpoint(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let tls = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| format!("?tls={value}"))
        .unwrap_or_default();
    format!("{}://{host}{port}{tls}", url.scheme())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_description_has_no_credentials() {
        let url = Url::parse("smtps://mailer:s3cret@smtp.example.kz:465/zeinet.kz?tls=required")
            .expect("url");
        assert_eq!(
            describe_endpoint(&url),
            "smtps://smtp.example.kz:465?tls=required"
        );
    }
}
