//! The bridge to the city's case system. Every report is passed on by a `forward_report`
//! job, queued in the report's own transaction; the report shows "waiting to be sent"
//! with the last failure's reason until the case system has accepted it.
//!
//! Connectors, chosen by config:
//! - `builtin`: Gongzhi is the case system; a forwarded report enters the responsible
//!   department's inbox.
//! - `open311`: an external GeoReport v2 server (see [`open311`]).

pub mod builtin;
pub mod open311;
pub mod webhook;

use crate::db::BeginWrite;
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
        let mut tx = p.begin_write().await?;
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
        if n == 1 && external_id.is_none() {
            // The built-in case system: the report enters the dispatch centre's inbox.
            sqlx::query(
                "INSERT INTO cases (report_id, stage, created_at, updated_at) VALUES ($1, 'new', $2, $2) \
                 ON CONFLICT (report_id) DO NOTHING",
            )
            .bind(report_id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
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

/// The built-in case system takes several reports at once: each one still waiting becomes
/// a new case in the dispatch centre's inbox, as [`forward`] does one at a time (a report
/// sent already, or deleted, is left alone). The job runner runs these two statements in the
/// transaction that claims the forwarding jobs and marks them done (see
/// [`crate::jobs::run_due`]), so a flood of reports costs it one commit per batch. Each
/// statement binds `$1` to the time and `$2…` to the `n` reports' ids; the first one's
/// affected rows are the reports taken.
pub(crate) fn builtin_take_statements(n: usize) -> [String; 2] {
    let list = crate::db::marks(2, n);
    [
        format!(
            "UPDATE reports SET forward_state = 'sent', forward_error = '', forward_attempts = forward_attempts + 1, \
             external_id = NULL, sent_at = $1 WHERE forward_state = 'waiting' AND id IN ({list})"
        ),
        // Each report the built-in system holds has its case; those taken before keep theirs.
        format!(
            "INSERT INTO cases (report_id, stage, created_at, updated_at) \
             SELECT id, 'new', $1, $1 FROM reports WHERE forward_state = 'sent' AND external_id IS NULL AND id IN ({list}) \
             ON CONFLICT (report_id) DO NOTHING"
        ),
    ]
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

#[derive(sqlx::FromRow)]
struct RelayRow {
    report_id: i64,
    kind: String,
    note: String,
    at: chrono::DateTime<chrono::Utc>,
    relay: Option<String>,
    status: String,
    forward_state: String,
    external_id: Option<String>,
}

/// Passes a reporter's follow-up or reopen (timeline entry `event_id`) to the external
/// case system as an update, once the report itself is there. Idempotent: an entry already
/// passed on (or refused) is left alone, and the update carries a stable `update_id`.
pub async fn relay(svc: &Services, event_id: i64) -> Result<(), ForwardError> {
    let row: Option<RelayRow> = with_db!(&svc.db, p => {
        sqlx::query_as(
            "SELECT e.report_id, e.kind, e.note, e.at, e.relay, r.status, r.forward_state, r.external_id \
             FROM report_events e JOIN reports r ON r.id = e.report_id WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_optional(p)
        .await
    })
    .map_err(Error::from)?;
    let Some(row) = row else {
        return Ok(());
    };
    if row.relay.as_deref() != Some("waiting") {
        return Ok(());
    }
    let CaseSystem::Open311(target) = &svc.cases else {
        // Gongzhi became the case system since: the entry is already where it belongs.
        set_relay(svc, event_id, None, "").await?;
        return Ok(());
    };
    let request = match (&row.external_id, row.forward_state.as_str()) {
        (Some(id), "sent") if !id.starts_with("token:") => id.clone(),
        (Some(_), "sent") => {
            return Err(ForwardError::Retry(
                "waiting for the case system to name the request".into(),
            ))
        }
        _ => {
            return Err(ForwardError::Retry(
                "waiting for the report itself to reach the case system".into(),
            ))
        }
    };
    let status = if row.kind == "reopen" {
        "REOPEN".to_string()
    } else {
        status_out(ReportStatus::parse(&row.status).unwrap_or(ReportStatus::Submitted))
            .to_uppercase()
    };
    let update = open311::OutgoingUpdate {
        service_request_id: request,
        update_id: target.update_reference(event_id),
        status,
        updated_datetime: crate::open311::iso_precise(row.at, svc.reports.utc_offset_minutes),
        description: row.note,
    };
    match open311::post_update(target, &update).await {
        Ok(open311::UpdateOutcome::Taken) => {
            set_relay(svc, event_id, Some("sent"), "").await?;
            tracing::info!(
                report = row.report_id,
                event = event_id,
                "update passed to the case system"
            );
            Ok(())
        }
        Ok(open311::UpdateOutcome::Refused(why)) => {
            set_relay(svc, event_id, Some("refused"), &why).await?;
            tracing::warn!(report = row.report_id, event = event_id, reason = %why, "the case system refused an update");
            Ok(())
        }
        // Still waiting; the reason shows to admins in the job list.
        Err(e) => Err(e),
    }
}

async fn set_relay(
    svc: &Services,
    event_id: i64,
    relay: Option<&str>,
    error: &str,
) -> Result<(), Error> {
    let error: String = error.chars().take(500).collect();
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE report_events SET relay = $1, relay_error = $2 WHERE id = $3")
            .bind(relay)
            .bind(&error)
            .bind(event_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Brings news from the case system: names for tokens, then status updates since `since`
/// (or, from a case system without the update extension, the state of every open request
/// we sent). Each update becomes a public timeline entry once; a repeat is dropped. Returns
/// the time the next poll starts from.
pub async fn poll(
    svc: &Services,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let t = now();
    let CaseSystem::Open311(target) = &svc.cases else {
        return Ok(t);
    };
    resolve_tokens(svc, target).await?;
    // A little overlap covers clocks that disagree; repeats are dropped by their ids.
    let start = since.unwrap_or(t - chrono::Duration::days(1)) - chrono::Duration::minutes(5);
    let start = start.max(t - chrono::Duration::days(89));
    let offset = svc.reports.utc_offset_minutes;
    match open311::poll_updates(
        target,
        &crate::open311::iso(start, offset),
        &crate::open311::iso(t, offset),
    )
    .await?
    {
        open311::Polled::Updates(list) => {
            for u in list {
                let key = format!("u:{}", u.update_id);
                apply(
                    svc,
                    &u.service_request_id,
                    &key,
                    &u.status,
                    u.description.as_deref().unwrap_or(""),
                    u.updated_datetime.as_deref(),
                )
                .await
                .map_err(|e| e.to_string())?;
            }
        }
        open311::Polled::Unsupported => poll_open_requests(svc, target).await?,
    }
    Ok(t)
}

/// Reports sent with a token only: ask which id the token became.
async fn resolve_tokens(svc: &Services, target: &open311::Target) -> Result<(), String> {
    let waiting: Vec<(i64, String)> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, external_id FROM reports WHERE external_id LIKE 'token:%' ORDER BY id LIMIT 100")
            .fetch_all(p)
            .await
    })
    .map_err(|e| e.to_string())?;
    for (id, ext) in waiting {
        let token = ext.trim_start_matches("token:");
        if let Some(real) = open311::resolve_token(target, token).await? {
            with_db!(&svc.db, p => {
                sqlx::query("UPDATE reports SET external_id = $1 WHERE id = $2")
                    .bind(&real)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            })
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The fallback: the state of our open requests, 100 at a time.
async fn poll_open_requests(svc: &Services, target: &open311::Target) -> Result<(), String> {
    let open: Vec<String> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "SELECT external_id FROM reports WHERE forward_state = 'sent' AND external_id IS NOT NULL \
             AND external_id NOT LIKE 'token:%' AND status NOT IN ('closed', 'rejected') ORDER BY id",
        )
        .fetch_all(p)
        .await
    })
    .map_err(|e| e.to_string())?;
    for chunk in open.chunks(100) {
        for r in open311::poll_requests(target, chunk).await? {
            let key = format!(
                "s:{}:{}",
                r.status,
                r.updated_datetime.as_deref().unwrap_or("")
            );
            apply(
                svc,
                &r.service_request_id,
                &key,
                &r.status,
                r.status_notes.as_deref().unwrap_or(""),
                r.updated_datetime.as_deref(),
            )
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// Records one update from the case system on the report it concerns (if it is ours).
/// Returns whether it became a timeline entry.
///
/// Updates may arrive late or again (polls overlap, webhooks retry): one older than the
/// newest already taken (by `updated_datetime`) is dropped, so a stale status never
/// undoes a newer one.
pub async fn apply(
    svc: &Services,
    external_request: &str,
    update_key: &str,
    status_word: &str,
    description: &str,
    updated_datetime: Option<&str>,
) -> Result<bool, Error> {
    type Row = (i64, String, Option<chrono::DateTime<chrono::Utc>>);
    let row: Option<Row> = with_db!(&svc.db, p => {
        sqlx::query_as("SELECT id, status, external_updated_at FROM reports WHERE external_id = $1")
            .bind(external_request)
            .fetch_optional(p)
            .await
    })?;
    let Some((report_id, current, newest)) = row else {
        // Not a request we sent (the case system has other clients).
        return Ok(false);
    };
    let when = updated_datetime
        .and_then(|s| crate::open311::parse_time(s, svc.reports.utc_offset_minutes));
    if let Some(when) = when {
        if newest.is_some_and(|n| when < n) {
            return Ok(false);
        }
        with_db!(&svc.db, p => {
            sqlx::query(
                "UPDATE reports SET external_updated_at = $1 WHERE id = $2 \
                 AND (external_updated_at IS NULL OR external_updated_at < $1)",
            )
            .bind(when)
            .bind(report_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
    }
    let status = status_in(status_word)
        .flatten()
        .filter(|s| s.as_str() != current);
    let description = description.trim();
    if status.is_none() {
        // No change of status: worth an entry only for news in words, not said before.
        if description.is_empty() {
            return Ok(false);
        }
        let last: Option<String> = with_db!(&svc.db, p => {
            sqlx::query_scalar(
                "SELECT note FROM report_events WHERE report_id = $1 AND external_id IS NOT NULL ORDER BY id DESC LIMIT 1",
            )
            .bind(report_id)
            .fetch_optional(p)
            .await
        })?;
        if last.as_deref() == Some(description) {
            return Ok(false);
        }
    }
    let note: String = description.chars().take(crate::reports::NOTE_MAX).collect();
    let by = crate::reports::UpdateBy {
        role: "system",
        department_id: None,
        actor_id: None,
        external_id: Some(update_key),
    };
    let update = crate::reports::Update {
        status,
        note,
        public: true,
    };
    let (_, new) = crate::reports::record_update(svc, report_id, &by, update).await?;
    Ok(new)
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
