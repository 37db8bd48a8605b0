//! The bridge to the city's case system. Every report is passed on by a `forward_report`
//! job, queued in the report's own transaction; the report shows "waiting to be sent"
//! with the last failure's reason until the case system has accepted it.
//!
//! Connectors, chosen by config:
//! - `builtin`: Gongzhi is the case system; a forwarded report enters the responsible
//!   department's inbox.
//! - `open311`: an external GeoReport v2 server (see [`open311`]).

pub mod open311;

use crate::error::Error;
use crate::model::report::ReportStatus;
use crate::time::now;
use crate::{with_db, Services};

/// Which case system reports go to.
#[derive(Clone, Debug, Default)]
pub enum CaseSystem {
    /// Gongzhi's own back office.
    #[default]
    Builtin,
    /// An external Open311 GeoReport v2 endpoint.
    Open311(open311::Target),
}

impl CaseSystem {
    pub fn name(&self) -> &'static str {
        match self {
            CaseSystem::Builtin => "builtin",
            CaseSystem::Open311(_) => "open311",
        }
    }
}

/// Our status in the words of the update extension (lower case).
pub fn status_out(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Submitted => "open",
        ReportStatus::Accepted => "investigating",
        ReportStatus::InProgress => "in_progress",
        ReportStatus::Resolved => "fixed",
        ReportStatus::Closed => "closed",
        ReportStatus::Rejected => "no_further_action",
        ReportStatus::Reopened => "reopen",
    }
}

/// A case system's status (any case) as ours; `None` for a word we do not know. `open`
/// keeps whatever open status the report has.
pub fn status_in(status: &str) -> Option<Option<ReportStatus>> {
    Some(match status.trim().to_lowercase().as_str() {
        "open" => None,
        "investigating" | "action_scheduled" | "for_triage" | "internal_referral" => {
            Some(ReportStatus::Accepted)
        }
        "in_progress" => Some(ReportStatus::InProgress),
        "fixed" => Some(ReportStatus::Resolved),
        "closed" => Some(ReportStatus::Closed),
        "duplicate" | "not_councils_responsibility" | "no_further_action" => {
            Some(ReportStatus::Rejected)
        }
        "reopen" => Some(ReportStatus::Reopened),
        _ => return None,
    })
}

/// Why forwarding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardError {
    /// Worth another try later (network, timeouts, 5xx).
    Retry(String),
    /// Trying again cannot help until someone changes something (e.g. a category with no
    /// mapping, a key the case system refuses); kept for an admin to fix and retry.
    Permanent(String),
}

impl ForwardError {
    pub fn message(&self) -> &str {
        match self {
            ForwardError::Retry(m) | ForwardError::Permanent(m) => m,
        }
    }
}

impl From<Error> for ForwardError {
    fn from(e: Error) -> Self {
        ForwardError::Retry(e.to_string())
    }
}

/// A report as the case system needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Outgoing {
    pub id: i64,
    pub category_code: String,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub attributes: String,
    pub forward_state: String,
    pub external_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

async fn outgoing(svc: &Services, report_id: i64) -> Result<Option<Outgoing>, Error> {
    Ok(with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT r.id, c.code AS category_code, r.description, r.lat, r.lon, r.address, r.attributes, \
             r.forward_state, r.external_id, r.created_at \
             FROM reports r JOIN categories c ON c.id = r.category_id WHERE r.id = $1",
        )
        .bind(report_id)
        .fetch_optional(p)
        .await
    })?)
}

/// Passes one report to the case system. Idempotent: a report already sent is left alone,
/// and the Open311 connector looks for an earlier, unacknowledged post before posting again.
pub async fn forward(svc: &Services, report_id: i64) -> Result<(), ForwardError> {
    let Some(report) = outgoing(svc, report_id).await? else {
        // Deleted since (e.g. by an admin): nothing to send.
        return Ok(());
    };
    if report.forward_state == "sent" {
        return Ok(());
    }
    let result = match &svc.cases {
        CaseSystem::Builtin => Ok(None),
        CaseSystem::Open311(target) => open311::forward(target, &report).await.map(Some),
    };
    match result {
        Ok(external_id) => {
            mark_sent(svc, report_id, external_id.as_deref()).await?;
            Ok(())
        }
        Err(e) => {
            record_failure(svc, report_id, e.message()).await?;
            Err(e)
        }
    }
}

async fn mark_sent(svc: &Services, report_id: i64, external_id: Option<&str>) -> Result<(), Error> {
    let t = now();
    with_db!(&svc.db, p => async {
        let mut tx = p.begin().await?;
        let n = sqlx::query(
            "UPDATE reports SET forward_state = 'sent', forward_error = '', forward_attempts = forward_attempts + 1, \
             external_id = $1, sent_at = $2 WHERE id = $3 AND forward_state = 'waiting'",
        )
        .bind(external_id)
        .bind(t)
        .bind(report_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            if let Some(ext) = external_id {
                sqlx::query(
                    "INSERT INTO report_events (report_id, kind, public, actor_role, note, at) \
                     VALUES ($1, 'forwarded', TRUE, 'system', $2, $3)",
                )
                .bind(report_id)
                .bind(ext)
                .bind(t)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await
    }.await)?;
    tracing::info!(report = report_id, external = ?external_id, "report passed to the case system");
    Ok(())
}

async fn record_failure(svc: &Services, report_id: i64, error: &str) -> Result<(), Error> {
    let error: String = error.chars().take(500).collect();
    with_db!(&svc.db, p => {
        sqlx::query(
            "UPDATE reports SET forward_error = $1, forward_attempts = forward_attempts + 1 \
             WHERE id = $2 AND forward_state = 'waiting'",
        )
        .bind(&error)
        .bind(report_id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    tracing::warn!(report = report_id, error = %error, "forwarding failed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_survive_the_trip_through_the_update_extension() {
        for s in ReportStatus::ALL {
            let word = status_out(s);
            let back = status_in(&word.to_uppercase()).expect("a known word");
            match s {
                ReportStatus::Submitted => assert_eq!(back, None),
                other => assert_eq!(back, Some(other)),
            }
        }
        assert_eq!(
            status_in("NOT_COUNCILS_RESPONSIBILITY"),
            Some(Some(ReportStatus::Rejected))
        );
        assert_eq!(status_in("pending"), None);
    }
}
