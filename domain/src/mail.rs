//! Outgoing mail. Every message is written to the `outbox` table first; with SMTP
//! configured it is then sent (and its body dropped from the outbox, since it may hold a
//! one-time link), otherwise it stays there for the admin to read and is written to the
//! log. Mail is never silently dropped.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::Db;
use crate::error::Error;
use crate::model::OutboxMessage;
use crate::time::now;
use crate::with_db;

/// How mail leaves the server.
#[derive(Clone)]
pub enum Mailer {
    /// No SMTP server: keep mail in the outbox and the log.
    OutboxOnly,
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::OutboxOnly => f.write_str("Mailer::OutboxOnly"),
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp {{ from: {from} }}"),
        }
    }
}

impl Mailer {
    /// An SMTP mailer from a URL such as `smtps://user:pass@smtp.example.org:465`.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("GONGZHI_SMTP_URL is not a valid SMTP URL: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("GONGZHI_MAIL_FROM is not a valid address: {e}"))?;
        Ok(Mailer::Smtp {
            transport: Box::new(transport),
            from,
        })
    }

    /// Queues a message in the outbox, then sends it when SMTP is configured.
    pub async fn send(&self, db: &Db, to: &str, subject: &str, body: &str) -> Result<(), Error> {
        let id: i64 = with_db!(db, p => {
            sqlx::query_scalar(
                "INSERT INTO outbox (to_address, subject, body_text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now())
            .fetch_one(p)
            .await
        })?;
        match self {
            Mailer::OutboxOnly => {
                tracing::info!(
                    outbox_id = id,
                    to,
                    subject,
                    "mail kept in the outbox (no SMTP configured):\n{body}"
                );
            }
            Mailer::Smtp { transport, from } => {
                let result = match (to.parse::<Mailbox>(), Message::builder().from(from.clone())) {
                    (Ok(to_box), builder) => {
                        match builder.to(to_box).subject(subject).body(body.to_string()) {
                            Ok(msg) => transport
                                .send(msg)
                                .await
                                .map(|_| ())
                                .map_err(|e| e.to_string()),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    (Err(e), _) => Err(e.to_string()),
                };
                match result {
                    Ok(()) => {
                        with_db!(db, p => sqlx::query(
                            "UPDATE outbox SET sent_at = $1, body_text = '(sent by SMTP; body not kept)' WHERE id = $2",
                        ).bind(now()).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
                    }
                    Err(e) => {
                        tracing::warn!(outbox_id = id, error = %e, "SMTP send failed; the message stays in the outbox");
                        with_db!(db, p => sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
                            .bind(&e).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The newest messages in the outbox, for the admin.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<OutboxMessage>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, to_address, subject, body_text, created_at, sent_at, last_error \
             FROM outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await
    })?)
}
