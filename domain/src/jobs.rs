//! The job queue: work that must follow a write (forward a report to the case system, send
//! a mail) is written to the `jobs` table in the same transaction as the write, so it is
//! never lost and never happens for a write that was rolled back.
//!
//! A runner claims due jobs under a lease with one atomic statement (`FOR UPDATE SKIP
//! LOCKED` on PostgreSQL; SQLite runs one writer at a time), so two runners never hold the
//! same job. A runner that dies loses its claim when the lease ends and another runner
//! picks the job up again, which is why every job must be idempotent. A failure is retried
//! after an exponential backoff with jitter; after `max_attempts` tries the job is
//! dead-lettered: kept with its last error for an admin, who can retry it.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::db::{BeginWrite, Db};
use crate::error::Error;
pub use crate::model::job::{JobCounts, JobRow, JobView};
use crate::time::now;
use crate::with_db;

/// One piece of work. Serialized as the job's payload; `kind` is also its own column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    /// Pass a report to the case system.
    ForwardReport { report_id: i64 },
    /// Send one message from the outbox by SMTP.
    SendMail { outbox_id: i64 },
    /// Ask the case system for news since `since`; runs again every poll interval.
    PollUpdates { since: Option<DateTime<Utc>> },
    /// Pass a reporter's follow-up or reopen (a timeline entry) to the case system.
    SendUpdate { event_id: i64 },
}

impl Task {
    pub fn kind(&self) -> &'static str {
        match self {
            Task::ForwardReport { .. } => "forward_report",
            Task::SendMail { .. } => "send_mail",
            Task::PollUpdates { .. } => "poll_updates",
            Task::SendUpdate { .. } => "send_update",
        }
    }

    /// Work that must happen however long the other side is away: a transient failure
    /// is retried (at most `backoff_max` apart) and never dead-lettered; only a failure
    /// trying cannot fix is.
    pub fn retries_forever(&self) -> bool {
        matches!(
            self,
            Task::ForwardReport { .. } | Task::PollUpdates { .. } | Task::SendUpdate { .. }
        )
    }

    /// The key that makes enqueuing the same work twice one job.
    pub fn dedupe_key(&self) -> String {
        match self {
            Task::ForwardReport { report_id } => format!("forward_report:{report_id}"),
            Task::SendMail { outbox_id } => format!("send_mail:{outbox_id}"),
            Task::SendUpdate { event_id } => format!("send_update:{event_id}"),
            // One poller for the whole city, however many instances run.
            Task::PollUpdates { .. } => "poll_updates".into(),
        }
    }
}

/// How the queue retries, from config.
#[derive(Clone, Debug)]
pub struct JobSettings {
    /// Tries before a job is dead-lettered.
    pub max_attempts: i64,
    /// The wait after the first failure; each further failure doubles it.
    pub backoff_base: Duration,
    /// The longest wait between tries.
    pub backoff_max: Duration,
    /// How long a claim lasts unless renewed. The runner renews its claims every third of
    /// it while alive ([`renew_leases`]), so a job is claimed again soon after its runner
    /// dies (killed, power cut) and never while it is being worked.
    pub lease: Duration,
    /// Wakes this instance's runner when a job is enqueued (other instances poll).
    pub wake: Arc<tokio::sync::Notify>,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            max_attempts: 10,
            backoff_base: Duration::seconds(5),
            backoff_max: Duration::hours(1),
            lease: Duration::seconds(30),
            wake: Arc::new(tokio::sync::Notify::new()),
        }
    }
}

impl JobSettings {
    /// Tells this instance's runner there is work.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// The insert that queues a job; bind kind, payload, dedupe key, max attempts, run at.
/// A job with the same dedupe key is left as it is.
pub const ENQUEUE_SQL: &str = "INSERT INTO jobs (kind, payload, dedupe_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
     VALUES ($1, $2, $3, 'queued', 0, $4, $5, $5, $5) ON CONFLICT (dedupe_key) DO NOTHING";

/// Queues `task` inside an open transaction (`$conn` is `&mut *tx`), so the job exists
/// exactly when the write that causes it commits. Evaluates to `Result<_, sqlx::Error>`.
#[macro_export]
macro_rules! enqueue_in {
    ($conn:expr, $settings:expr, $task:expr) => {{
        let task: &$crate::jobs::Task = &$task;
        let payload = serde_json::to_string(task).unwrap_or_default();
        sqlx::query($crate::jobs::ENQUEUE_SQL)
            .bind(task.kind())
            .bind(payload)
            .bind(task.dedupe_key())
            .bind($settings.max_attempts)
            .bind($crate::time::now())
            .execute($conn)
            .await
    }};
}

/// Queues `task` on its own (when there is no other write to share a transaction with).
pub async fn enqueue(db: &Db, settings: &JobSettings, task: &Task) -> Result<(), Error> {
    with_db!(db, p => enqueue_in!(p, settings, *task).map(|_| ()))?;
    settings.wake();
    Ok(())
}

/// A job a runner holds.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Tries so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
}

impl Claimed {
    pub fn task(&self) -> Result<Task, String> {
        serde_json::from_str(&self.payload)
            .map_err(|e| format!("unreadable job payload ({}): {e}", self.kind))
    }
}

/// Claims up to `limit` due jobs for `worker`: queued jobs whose time has come, and
/// running jobs whose lease has ended (their runner died). Each claim counts as a try.
pub async fn claim(
    db: &Db,
    worker: &str,
    limit: i64,
    lease: Duration,
) -> Result<Vec<Claimed>, Error> {
    // The runner writes in a loop: it waits its turn like every writer (see db::turn).
    let _turn = crate::db::turn(db).await?;
    let t = now();
    let until = t + lease;
    let sql = claim_sql(db);
    let mut jobs: Vec<Claimed> = with_db!(db, p => {
        sqlx::query_as(&sql)
            .bind(worker)
            .bind(until)
            .bind(t)
            .bind(limit)
            .fetch_all(p)
            .await
    })?;
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

/// The claiming statement: binds the worker, the lease's end, now and the limit.
fn claim_sql(db: &Db) -> String {
    // Dialect spot: row locking. SQLite runs one writing statement at a time, so the
    // statement is atomic there without it. Each half reads the `jobs_due` index in order
    // and stops at the limit, so a claim costs the same with a backlog of a hundred
    // thousand jobs (after a storm of reports) as with none; one query with an OR sorted
    // the whole backlog while holding the write lock. The jobs claimed are then found by
    // id (`UPDATE … FROM`): with `WHERE id IN (…)` SQLite read every job, the finished
    // ones too (2.4 ms a claim, holding the write turn, with 18,000 done).
    let lock = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
    };
    format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, attempts = jobs.attempts + 1, updated_at = $3 \
         FROM (SELECT id FROM ( \
           SELECT id FROM (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4{lock}) AS due \
           UNION ALL \
           SELECT id FROM (SELECT id FROM jobs WHERE state = 'running' AND locked_until < $3 ORDER BY run_at, id LIMIT $4{lock}) AS lost \
         ) AS claimable LIMIT $4) AS claimed \
         WHERE jobs.id = claimed.id \
         RETURNING jobs.id, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts"
    )
}

/// Extends every claim `worker` holds to `lease` from now: the heartbeat of a live runner.
/// Returns how many jobs it holds.
pub async fn renew_leases(db: &Db, worker: &str, lease: Duration) -> Result<u64, Error> {
    // The runner writes in a loop: it waits its turn like every writer (see db::turn).
    let _turn = crate::db::turn(db).await?;
    let t = now();
    Ok(with_db!(db, p => {
        sqlx::query("UPDATE jobs SET locked_until = $1 WHERE locked_by = $2 AND state = 'running'")
            .bind(t + lease)
            .bind(worker)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?)
}

/// Marks a claimed job done. False when the claim was lost (the lease ended and another
/// runner took the job): that runner's outcome counts.
pub async fn complete(db: &Db, id: i64, worker: &str) -> Result<bool, Error> {
    Ok(complete_all(db, &[id], worker).await? == 1)
}

/// Marks claimed jobs done in one write (one commit for a runner's whole batch); returns
/// how many were still `worker`'s to mark.
pub async fn complete_all(db: &Db, ids: &[i64], worker: &str) -> Result<u64, Error> {
    if ids.is_empty() {
        return Ok(0);
    }
    // The runner writes in a loop: it waits its turn like every writer (see db::turn).
    let _turn = crate::db::turn(db).await?;
    let t = now();
    let sql = complete_sql(ids.len());
    Ok(with_db!(db, p => {
        let mut q = sqlx::query(&sql).bind(t).bind(worker);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(p).await.map(|r| r.rows_affected())
    })?)
}

/// Marks `n` jobs done: binds the time, the worker and the jobs' ids.
fn complete_sql(n: usize) -> String {
    let list = crate::db::marks(3, n);
    format!(
        "UPDATE jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = '', finished_at = $1, updated_at = $1 \
         WHERE locked_by = $2 AND state = 'running' AND id IN ({list})"
    )
}

/// What happened to a failed job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failed {
    /// It will be tried again at this time.
    Retry(DateTime<Utc>),
    /// No tries left (or the failure cannot be fixed by trying again): dead-lettered.
    Dead,
    /// The claim had been lost; nothing changed.
    Lost,
}

/// Records a failed try: the job waits out its backoff, or is dead-lettered when it has
/// no tries left (unless its task [retries forever](Task::retries_forever)) or `permanent`
/// says trying again cannot help.
pub async fn fail(
    db: &Db,
    settings: &JobSettings,
    job: &Claimed,
    worker: &str,
    error: &str,
    permanent: bool,
) -> Result<Failed, Error> {
    // The runner writes in a loop: it waits its turn like every writer (see db::turn).
    let _turn = crate::db::turn(db).await?;
    let t = now();
    let error: String = error.chars().take(2000).collect();
    let forever = job.task().map(|t| t.retries_forever()).unwrap_or(false);
    let dead = permanent || (job.attempts >= job.max_attempts && !forever);
    let (state, run_at, finished, outcome) = if dead {
        ("dead", t, Some(t), Failed::Dead)
    } else {
        let at = t + backoff(job.attempts, settings, &mut rand::thread_rng());
        ("queued", at, None, Failed::Retry(at))
    };
    let n = with_db!(db, p => {
        sqlx::query(
            "UPDATE jobs SET state = $1, run_at = $2, finished_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL, updated_at = $5 \
             WHERE id = $6 AND locked_by = $7 AND state = 'running'",
        )
        .bind(state)
        .bind(run_at)
        .bind(finished)
        .bind(&error)
        .bind(t)
        .bind(job.id)
        .bind(worker)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(if n == 1 { outcome } else { Failed::Lost })
}

/// Puts a periodic job back in the queue with its next task, due at `at`. With `error`,
/// the failed try stays visible (as a failing job) until a later one succeeds.
pub async fn reschedule(
    db: &Db,
    job: &Claimed,
    worker: &str,
    next: &Task,
    at: DateTime<Utc>,
    error: Option<&str>,
) -> Result<bool, Error> {
    // The runner writes in a loop: it waits its turn like every writer (see db::turn).
    let _turn = crate::db::turn(db).await?;
    let t = now();
    let payload = serde_json::to_string(next).map_err(|e| Error::Internal(e.to_string()))?;
    let attempts = if error.is_some() { job.attempts } else { 0 };
    let n = with_db!(db, p => {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', payload = $1, run_at = $2, attempts = $3, last_error = $4, \
             locked_by = NULL, locked_until = NULL, updated_at = $5 WHERE id = $6 AND locked_by = $7 AND state = 'running'",
        )
        .bind(&payload)
        .bind(at)
        .bind(attempts)
        .bind(error.unwrap_or(""))
        .bind(t)
        .bind(job.id)
        .bind(worker)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// The case system answered again: reports waiting out a backoff are sent now instead of
/// at the end of their wait. Returns how many were brought forward.
pub async fn nudge_forwarding(db: &Db, settings: &JobSettings) -> Result<u64, Error> {
    let t = now();
    let n = with_db!(db, p => {
        sqlx::query(
            "UPDATE jobs SET run_at = $1 WHERE kind IN ('forward_report', 'send_update') AND state = 'queued' AND attempts > 0 AND run_at > $1",
        )
        .bind(t)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n > 0 {
        settings.wake();
    }
    Ok(n)
}

/// The wait after the `attempt`-th failed try: `base · 2^(attempt-1)`, at most `max`, with
/// "equal jitter" (a random point in its upper half), so runners that failed together do
/// not all come back at the same moment.
pub fn backoff(attempt: i64, settings: &JobSettings, rng: &mut impl Rng) -> Duration {
    let base = settings.backoff_base.num_milliseconds().max(1);
    let max = settings.backoff_max.num_milliseconds().max(base);
    let exp = (attempt.clamp(1, 40) - 1) as u32;
    let full = base.saturating_mul(1_i64 << exp.min(40)).min(max);
    let half = full / 2;
    Duration::milliseconds(half + rng.gen_range(0..=full - half))
}

pub async fn counts(db: &Db) -> Result<JobCounts, Error> {
    let rows: Vec<(String, i64, i64)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT state, count(*), sum(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) FROM jobs GROUP BY state",
        )
        .fetch_all(p)
        .await
    })?;
    let mut c = JobCounts::default();
    for (state, n, tried) in rows {
        match state.as_str() {
            "queued" => {
                c.queued = n;
                c.failing = tried;
            }
            "running" => c.running = n,
            "dead" => c.dead = n,
            "done" => c.done = n,
            _ => {}
        }
    }
    Ok(c)
}

/// Jobs in one view, oldest first (the ones that wait longest matter most).
pub async fn list(db: &Db, view: JobView, limit: i64) -> Result<Vec<JobRow>, Error> {
    let filter = match view {
        JobView::Queued => "state = 'queued' AND attempts = 0",
        JobView::Failing => "state = 'queued' AND attempts > 0",
        JobView::Running => "state = 'running'",
        JobView::Dead => "state = 'dead'",
    };
    let sql = format!(
        "SELECT id, kind, payload, state, attempts, max_attempts, run_at, last_error, created_at, updated_at \
         FROM jobs WHERE {filter} ORDER BY id LIMIT $1"
    );
    Ok(with_db!(db, p => sqlx::query_as(&sql).bind(limit).fetch_all(p).await)?)
}

/// An admin's retry: a dead or waiting job runs again now with a fresh set of tries.
/// False when the job is running or done (nothing to retry).
pub async fn retry(db: &Db, settings: &JobSettings, id: i64) -> Result<bool, Error> {
    let t = now();
    let n = with_db!(db, p => {
        sqlx::query(
            "UPDATE jobs SET state = 'queued', attempts = 0, run_at = $1, finished_at = NULL, updated_at = $1 \
             WHERE id = $2 AND state IN ('dead', 'queued')",
        )
        .bind(t)
        .bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
    })?;
    if n == 1 {
        settings.wake();
    }
    Ok(n == 1)
}

/// When the next queued job is due, if any.
pub async fn next_due(db: &Db) -> Result<Option<DateTime<Utc>>, Error> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar("SELECT min(run_at) FROM jobs WHERE state = 'queued'")
            .fetch_one(p)
            .await
    })?)
}

/// Forgets finished jobs older than `age`; dead jobs stay until an admin retries them.
pub async fn prune(db: &Db, age: Duration) -> Result<u64, Error> {
    Ok(with_db!(db, p => {
        sqlx::query("DELETE FROM jobs WHERE state = 'done' AND finished_at < $1")
            .bind(now() - age)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    })?)
}

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFailure {
    /// Try again after the backoff.
    Retry(String),
    /// Trying again cannot help: dead-letter at once, for an admin.
    Permanent(String),
}

/// Does the work of one task. Every task is idempotent: running it again after an unknown
/// outcome (a runner that died mid-way) does it once. A periodic task answers its next
/// run: the task and when.
pub async fn perform(
    svc: &crate::Services,
    task: &Task,
) -> Result<Option<(Task, DateTime<Utc>)>, JobFailure> {
    match task {
        Task::ForwardReport { report_id } => {
            crate::cases::forward(svc, *report_id)
                .await
                .map_err(|e| match e {
                    crate::cases::ForwardError::Retry(m) => JobFailure::Retry(m),
                    crate::cases::ForwardError::Permanent(m) => JobFailure::Permanent(m),
                })?;
            // It answered: whatever waits for it need not wait any longer.
            if matches!(svc.cases, crate::cases::CaseSystem::Open311(_)) {
                nudge_forwarding(&svc.db, &svc.jobs)
                    .await
                    .map_err(|e| JobFailure::Retry(e.to_string()))?;
            }
            Ok(None)
        }
        Task::SendUpdate { event_id } => crate::cases::relay(svc, *event_id)
            .await
            .map(|_| None)
            .map_err(|e| match e {
                crate::cases::ForwardError::Retry(m) => JobFailure::Retry(m),
                crate::cases::ForwardError::Permanent(m) => JobFailure::Permanent(m),
            }),
        Task::SendMail { outbox_id } => svc
            .mailer
            .deliver(&svc.db, *outbox_id)
            .await
            .map(|_| None)
            .map_err(JobFailure::Retry),
        Task::PollUpdates { since } => {
            // The next poll is one interval after this one started, not after it ended.
            let started = now();
            let next_since = crate::cases::poll(svc, *since)
                .await
                .map_err(JobFailure::Retry)?;
            if matches!(svc.cases, crate::cases::CaseSystem::Open311(_)) {
                nudge_forwarding(&svc.db, &svc.jobs)
                    .await
                    .map_err(|e| JobFailure::Retry(e.to_string()))?;
            }
            Ok(Some((
                Task::PollUpdates {
                    since: Some(next_since),
                },
                started + poll_interval(svc),
            )))
        }
    }
}

/// How often the case system is polled.
pub fn poll_interval(svc: &crate::Services) -> Duration {
    match &svc.cases {
        crate::cases::CaseSystem::Open311(t) => {
            Duration::from_std(t.poll_interval).unwrap_or(Duration::seconds(60))
        }
        crate::cases::CaseSystem::Builtin => Duration::minutes(10),
    }
}

/// Claims due jobs for `worker` and performs them one after another; returns how many
/// it ran. A runner calls this in a loop and sleeps (or waits for the bell) on zero.
///
/// The jobs done are marked so together at the end, one commit for the batch (jobs are
/// idempotent: should the process die before that, they run again once their lease ends).
/// With Gongzhi as the case system, forwarding jobs are claimed, done and marked done in
/// one transaction.
pub async fn run_due(svc: &crate::Services, worker: &str, limit: i64) -> Result<usize, Error> {
    let (taken, jobs) = match svc.cases {
        crate::cases::CaseSystem::Builtin => match claim_taking_reports(svc, worker, limit).await {
            Ok(claimed) => claimed,
            // Then one at a time, each failing (and retried) on its own.
            Err(e) => {
                tracing::warn!(error = %e, "taking a batch of reports failed");
                (0, claim(&svc.db, worker, limit, svc.jobs.lease).await?)
            }
        },
        crate::cases::CaseSystem::Open311(_) => {
            (0, claim(&svc.db, worker, limit, svc.jobs.lease).await?)
        }
    };
    let n = taken + jobs.len();
    let mut done = Vec::with_capacity(jobs.len());
    let outcome = run_claimed(svc, worker, jobs, &mut done).await;
    complete_all(&svc.db, &done, worker).await?;
    outcome.map(|()| n)
}

/// Gongzhi as the case system: claims due jobs and, in the same transaction, takes the
/// reports of the forwarding jobs among them and marks those jobs done. After a flood of
/// reports a batch then costs one commit, not three (claim, take, done), and each commit
/// is a turn at SQLite's lock that new reports wait for. Returns how many forwarding jobs
/// were done and the other jobs claimed (mail, updates), still to perform.
async fn claim_taking_reports(
    svc: &crate::Services,
    worker: &str,
    limit: i64,
) -> Result<(usize, Vec<Claimed>), Error> {
    let t = now();
    let until = t + svc.jobs.lease;
    let claim = claim_sql(&svc.db);
    Ok(with_db!(&svc.db, p => async {
        let mut tx = p.begin_write().await?;
        let mut claimed: Vec<Claimed> = sqlx::query_as(&claim)
            .bind(worker)
            .bind(until)
            .bind(t)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        claimed.sort_by_key(|j| j.id);
        let (mut reports, mut forwarding, mut rest) = (Vec::new(), Vec::new(), Vec::new());
        for job in claimed {
            match job.task() {
                Ok(Task::ForwardReport { report_id }) => {
                    reports.push(report_id);
                    forwarding.push(job.id);
                }
                _ => rest.push(job),
            }
        }
        if !reports.is_empty() {
            // Marked sent, then given their cases.
            let [mark, open] = crate::cases::builtin_take_statements(reports.len());
            let with_reports = |sql| {
                let mut q = sqlx::query(sql).bind(t);
                for id in &reports {
                    q = q.bind(*id);
                }
                q
            };
            let taken = with_reports(&mark).execute(&mut *tx).await?.rows_affected();
            with_reports(&open).execute(&mut *tx).await?;
            let done = complete_sql(forwarding.len());
            let mut q = sqlx::query(&done).bind(t).bind(worker);
            for id in &forwarding {
                q = q.bind(id);
            }
            q.execute(&mut *tx).await?;
            tracing::info!(
                reports = reports.len(),
                taken,
                "reports taken by the built-in case system"
            );
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>((forwarding.len(), rest))
    }.await)?)
}

async fn run_claimed(
    svc: &crate::Services,
    worker: &str,
    jobs: Vec<Claimed>,
    done: &mut Vec<i64>,
) -> Result<(), Error> {
    let settings = &svc.jobs;
    for job in jobs {
        let task = job.task();
        let result = match &task {
            Ok(task) => perform(svc, task).await,
            Err(e) => Err(JobFailure::Permanent(e.clone())),
        };
        match (result, &task) {
            (Ok(None), _) => done.push(job.id),
            (Ok(Some((next, at))), _) => {
                reschedule(&svc.db, &job, worker, &next, at, None).await?;
            }
            // A periodic task that failed keeps its turn: the next poll comes anyway.
            (Err(JobFailure::Retry(e)), Ok(t @ Task::PollUpdates { .. })) => {
                reschedule(
                    &svc.db,
                    &job,
                    worker,
                    t,
                    now() + poll_interval(svc),
                    Some(&e),
                )
                .await?;
                tracing::warn!(job = job.id, error = %e, "polling the case system failed");
            }
            (Err(JobFailure::Retry(e)), _) => {
                let outcome = fail(&svc.db, settings, &job, worker, &e, false).await?;
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, ?outcome, error = %e, "job failed");
            }
            (Err(JobFailure::Permanent(e)), _) => {
                fail(&svc.db, settings, &job, worker, &e, true).await?;
                tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job dead-lettered");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// SQLite finds the jobs it claims through the `jobs_due` index and by id: never by
    /// reading the whole table, which holds every finished job of the past week. Also
    /// when its statistics were taken while the table was small (as `seed-load` leaves
    /// them): then `WHERE id IN (…)` read every job.
    #[tokio::test]
    async fn a_claim_reads_no_job_it_does_not_claim() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("database");
        db.migrate().await.expect("schema");
        let Db::Sqlite(p) = &db else { unreachable!() };
        sqlx::query(
            "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) \
             INSERT INTO jobs (kind, payload, dedupe_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
             SELECT 'send_mail', '{}', 'k' || i, 'done', 1, 5, '2026-01-01', '2026-01-01', '2026-01-01' FROM n; ANALYZE",
        )
        .execute(p)
        .await
        .expect("a few finished jobs, counted");
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", claim_sql(&db)))
                .bind("w")
                .bind(now())
                .bind(now())
                .bind(10_i64)
                .fetch_all(p)
                .await
                .expect("plan");
        let steps: Vec<&str> = plan.iter().map(|(_, _, _, d)| d.as_str()).collect();
        assert!(
            steps
                .iter()
                .any(|d| d.starts_with("SEARCH jobs USING INTEGER PRIMARY KEY")),
            "{steps:?}"
        );
        assert!(
            !steps.iter().any(|d| d.starts_with("SCAN jobs")),
            "{steps:?}"
        );
    }

    #[test]
    fn backoff_doubles_within_its_jitter_band_and_stops_at_the_cap() {
        let settings = JobSettings {
            backoff_base: Duration::seconds(5),
            backoff_max: Duration::seconds(60),
            ..JobSettings::default()
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for (attempt, full) in [
            (1, 5_000),
            (2, 10_000),
            (3, 20_000),
            (4, 40_000),
            (5, 60_000),
            (30, 60_000),
        ] {
            let mut seen = Vec::new();
            for _ in 0..200 {
                let d = backoff(attempt, &settings, &mut rng).num_milliseconds();
                assert!(
                    (full / 2..=full).contains(&d),
                    "attempt {attempt}: {d} ms outside [{}, {full}]",
                    full / 2
                );
                seen.push(d);
            }
            seen.sort();
            seen.dedup();
            assert!(
                seen.len() > 50,
                "attempt {attempt}: jitter spreads the waits"
            );
        }
    }

    #[test]
    fn tasks_round_trip_and_name_their_work() {
        let t = Task::ForwardReport { report_id: 42 };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"kind":"forward_report","report_id":42}"#);
        assert_eq!(serde_json::from_str::<Task>(&json).unwrap(), t);
        assert_eq!(t.dedupe_key(), "forward_report:42");
        assert_eq!(Task::SendMail { outbox_id: 3 }.kind(), "send_mail");
    }
}
