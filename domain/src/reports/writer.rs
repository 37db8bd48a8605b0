//! Writing a checked report, and group commit on SQLite.
//!
//! A report is one transaction: the report, its first timeline entry, its photos, the
//! reporter's follow, the job that passes it to the case system, the rate-limit count and
//! the end of its kept draft. Commits are durable (WAL, `synchronous = FULL`): each waits
//! for the disk, a few milliseconds. SQLite writes one transaction at a time, so a flood of
//! reports, one commit each, would queue behind the disk.
//!
//! So on SQLite one writer task writes every report: it takes all the reports queued while
//! its last commit was on its way to the disk and commits them together, one disk wait for
//! the lot. Each report is written inside its own savepoint, so one that fails (its form was
//! filed a moment ago) is rolled back alone. A report is acknowledged only once the commit
//! that holds it is on disk, as before. PostgreSQL groups the WAL flushes of concurrent
//! commits itself, so there each report keeps its own transaction.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use crate::db::BeginWrite;
use crate::jobs::JobSettings;
use crate::ratelimit::{self, Scope};

/// The most reports one commit holds.
const BATCH_MAX: usize = 256;

/// A report ready to be written: checked, nothing left to decide.
#[derive(Debug)]
pub(crate) struct Filed {
    pub category_id: i64,
    pub grid_id: Option<i64>,
    pub department_id: i64,
    pub description: String,
    pub lat: f64,
    pub lon: f64,
    pub address: String,
    pub answers_json: String,
    pub reporter_id: Option<i64>,
    pub hide_name: bool,
    pub tracking_hash: Option<String>,
    /// The form token's hash (also the key of the form's kept draft).
    pub token_hash: String,
    pub due: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub api_key: Option<i64>,
    /// Photos uploaded with the form, in order.
    pub photo_uids: Vec<String>,
    /// Rate-limit attempts to count: (scope, key).
    pub attempts: Vec<(Scope, String)>,
}

/// Why a report was not written.
#[derive(Debug)]
pub(crate) enum Written {
    /// A report with this form token exists: the same form was filed a moment ago.
    Duplicate,
    Failed(String),
}

impl From<sqlx::Error> for Written {
    fn from(e: sqlx::Error) -> Self {
        if crate::db::is_unique_violation(&e) {
            Written::Duplicate
        } else {
            Written::Failed(e.to_string())
        }
    }
}

/// Writes the report `$r` (a [`Filed`]) in the transaction `$tx` (an identifier) and
/// queues its forwarding; evaluates to the new report's id. Compiled for either backend.
macro_rules! write_report {
    ($tx:ident, $jobs:expr, $r:expr) => {
        async {
            let r: &$crate::reports::writer::Filed = $r;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO reports (category_id, grid_id, department_id, status, description, lat, lon, address, attributes, \
                 reporter_id, hide_name, tracking_hash, submit_token, due_at, created_at, updated_at, api_key_id) \
                 VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15) RETURNING id",
            )
            .bind(r.category_id)
            .bind(r.grid_id)
            .bind(r.department_id)
            .bind(&r.description)
            .bind(r.lat)
            .bind(r.lon)
            .bind(&r.address)
            .bind(&r.answers_json)
            .bind(r.reporter_id)
            .bind(r.hide_name)
            .bind(r.tracking_hash.as_deref())
            .bind(&r.token_hash)
            .bind(r.due)
            .bind(r.at)
            .bind(r.api_key)
            .fetch_one(&mut *$tx)
            .await?;
            sqlx::query(
                "INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_id, note, at) \
                 VALUES ($1, 'submitted', 'submitted', TRUE, 'resident', $2, '', $3)",
            )
            .bind(id)
            .bind(r.reporter_id)
            .bind(r.at)
            .execute(&mut *$tx)
            .await?;
            for (position, uid) in r.photo_uids.iter().enumerate() {
                sqlx::query(
                    "UPDATE photos SET report_id = $1, position = $2 WHERE uid = $3 AND form_token = $4 AND report_id IS NULL",
                )
                .bind(id)
                .bind(position as i64)
                .bind(uid)
                .bind(&r.token_hash)
                .execute(&mut *$tx)
                .await?;
            }
            // Passed to the case system by the job runner, once this commits.
            $crate::enqueue_in!(&mut *$tx, $jobs, $crate::jobs::Task::ForwardReport { report_id: id })?;
            if let Some(user_id) = r.reporter_id {
                sqlx::query("INSERT INTO report_follows (report_id, user_id, created_at) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(user_id)
                    .bind(r.at)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (scope, key) in &r.attempts {
                sqlx::query($crate::ratelimit::RECORD_SQL)
                    .bind(scope.as_str())
                    .bind(key)
                    .bind(r.at)
                    .execute(&mut *$tx)
                    .await?;
            }
            // The form was kept while it had problems; filed, it is not needed any more.
            sqlx::query("DELETE FROM form_flash WHERE token_hash = $1")
                .bind(&r.token_hash)
                .execute(&mut *$tx)
                .await?;
            Ok::<i64, sqlx::Error>(id)
        }
        .await
    };
}
pub(crate) use write_report;

struct Pending {
    row: Filed,
    reply: oneshot::Sender<Result<i64, Written>>,
}

/// The way to SQLite's report writer task, started on first use (and again should it have
/// stopped, e.g. with the runtime that ran it).
#[derive(Clone, Debug, Default)]
pub struct Filing {
    queue: Arc<Mutex<Option<mpsc::UnboundedSender<Pending>>>>,
    /// Transactions the writer has committed (each holding one or more reports).
    commits: Arc<AtomicU64>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("row", &self.row).finish()
    }
}

impl Filing {
    /// How many transactions the writer has committed so far.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Writes `row` with the reports queued with it; answers once they are on disk.
    pub(crate) async fn write(
        &self,
        pool: &SqlitePool,
        jobs: &JobSettings,
        row: Filed,
    ) -> Result<i64, Written> {
        let (reply, answer) = oneshot::channel();
        let sent = {
            let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            let sender = match queue.as_ref() {
                Some(s) if !s.is_closed() => s.clone(),
                _ => {
                    let (tx, rx) = mpsc::unbounded_channel();
                    tokio::spawn(run(pool.clone(), jobs.clone(), rx, self.commits.clone()));
                    *queue = Some(tx.clone());
                    tx
                }
            };
            sender.send(Pending { row, reply })
        };
        let stopped = || Written::Failed("the report writer stopped".into());
        if sent.is_err() {
            return Err(stopped());
        }
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }
}

/// The writer task: until every sender is gone, writes what is queued, a batch per commit.
async fn run(
    pool: SqlitePool,
    jobs: JobSettings,
    mut queue: mpsc::UnboundedReceiver<Pending>,
    commits: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    while queue.recv_many(&mut batch, BATCH_MAX).await > 0 {
        match write_batch(&pool, &jobs, &batch).await {
            Ok(results) => {
                commits.fetch_add(1, Ordering::Relaxed);
                for (p, result) in batch.drain(..).zip(results) {
                    let _ = p.reply.send(result);
                }
            }
            Err(e) => {
                let e = e.to_string();
                tracing::warn!(reports = batch.len(), error = %e, "writing reports failed");
                for p in batch.drain(..) {
                    let _ = p.reply.send(Err(Written::Failed(e.clone())));
                }
            }
        }
    }
}

async fn write_batch(
    pool: &SqlitePool,
    jobs: &JobSettings,
    batch: &[Pending],
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let mut out = Vec::with_capacity(batch.len());
    for p in batch {
        let mut one = sqlx::Acquire::begin(&mut *tx).await?;
        match write_report!(one, jobs, &p.row) {
            Ok(id) => {
                one.commit().await?;
                out.push(Ok(id));
            }
            Err(e) => {
                one.rollback().await?;
                out.push(Err(e.into()));
            }
        }
    }
    sqlx::query(ratelimit::FORGET_SQL)
        .bind(ratelimit::forget_before(crate::time::now()))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(out)
}
