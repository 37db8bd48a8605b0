//! Outgoing mail. Every message is written to the `outbox` table first; with SMTP
//! configured the job queue then sends it (and its body is dropped from the outbox, since
//! it may hold a one-time link), otherwise it stays there for the admin to read and is
//! written to the log. Mail is never silently dropped.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::BeginWrite;
use crate::db::Db;
use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::jobs::{JobSettings, Task};
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

    /// Writes a message to the outbox. With SMTP configured, a job to send it is queued in
    /// the same transaction, and the job runner sends it (retrying while the SMTP server is
    /// down); otherwise it stays in the outbox and the log.
    pub async fn send(
        &self,
        db: &Db,
        jobs: &JobSettings,
        to: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), Error> {
        let smtp = matches!(self, Mailer::Smtp { .. });
        let id: i64 = with_db!(db, p => async {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO outbox (to_address, subject, body_text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(to)
            .bind(subject)
            .bind(body)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            if smtp {
                crate::enqueue_in!(&mut *tx, jobs, Task::SendMail { outbox_id: id })?;
            }
            tx.commit().await?;
            Ok::<i64, sqlx::Error>(id)
        }.await)?;
        if smtp {
            jobs.wake();
        } else {
            tracing::info!(
                outbox_id = id,
                to,
                subject,
                "mail kept in the outbox (no SMTP configured):\n{body}"
            );
        }
        Ok(())
    }

    /// Sends one outbox message by SMTP (the `send_mail` job). A message already sent is
    /// not sent again; a failure is recorded on the message and returned for a retry.
    pub async fn deliver(&self, db: &Db, outbox_id: i64) -> Result<(), String> {
        let Mailer::Smtp { transport, from } = self else {
            return Ok(());
        };
        let row: Option<(String, String, String, Option<DateTime<Utc>>)> = with_db!(db, p => {
            sqlx::query_as("SELECT to_address, subject, body_text, sent_at FROM outbox WHERE id = $1")
                .bind(outbox_id)
                .fetch_optional(p)
                .await
        })
        .map_err(|e| e.to_string())?;
        let Some((to, subject, body, sent_at)) = row else {
            return Ok(());
        };
        if sent_at.is_some() {
            return Ok(());
        }
        let result = match to.parse::<Mailbox>() {
            Ok(to_box) => match Message::builder()
                .from(from.clone())
                .to(to_box)
                .subject(subject)
                .body(body)
            {
                Ok(msg) => transport
                    .send(msg)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            },
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(()) => {
                with_db!(db, p => sqlx::query(
                    "UPDATE outbox SET sent_at = $1, last_error = NULL, body_text = '(sent by SMTP; body not kept)' WHERE id = $2",
                ).bind(now()).bind(outbox_id).execute(p).await.map(|r| r.rows_affected()))
                .map_err(|e| e.to_string())?;
                Ok(())
            }
            Err(e) => {
                tracing::warn!(outbox_id, error = %e, "SMTP send failed; will retry");
                let _ = with_db!(db, p => sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
                    .bind(&e).bind(outbox_id).execute(p).await.map(|r| r.rows_affected()));
                Err(format!("SMTP: {e}"))
            }
        }
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
