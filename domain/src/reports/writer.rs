//! Writing a checked report: group commit through one writer task.
//!
//! A report is one transaction: the report, its first timeline entry, its photos, the
//! reporter's follow, the job that passes it to the case system, the rate-limit count and
//! the end of its kept draft. A report is acknowledged only once the commit that holds it
//! is on disk (so it survives a power cut), and a commit's wait for the disk is the
//! longest part of a small transaction. SQLite writes one transaction at a time, so a
//! flood of reports, one commit each, would queue behind the disk.
//!
//! So one writer task writes every report: it takes all the reports queued while
//! it wrote the last batch and commits them together. On SQLite the batch is written with
//! one statement per table, whatever its size, and the whole transaction (`BEGIN` to
//! `COMMIT`) goes to SQLite's connection thread as one request on a connection the writer
//! keeps (every request is a hand-off between threads, and the writer works alone); a
//! report whose form was filed a moment ago is left out and answered as such. Should the
//! batch fail for any other reason, it is rolled back and written again one report at a
//! time, each in its own savepoint, so only the faulty one fails.
//!
//! On SQLite the writer does not wait for the disk itself: its connection commits with
//! `synchronous = NORMAL` (the WAL's new pages are written, not yet synced), and a thread
//! of its own, the [`Syncer`], syncs the WAL (`fdatasync`) and only then answers the
//! batch's reports, while the writer already writes the next batch. Batches committed
//! while a sync runs share the next one. After a power cut SQLite's recovery keeps every
//! commit whose pages were synced (a commit is whole or not there at all), so every
//! acknowledged report is kept, as with `synchronous = FULL`, where the writer would wait
//! for the disk between batches. Other connections keep `FULL`; the job runner claims the
//! report's forwarding job in a commit of its own, synced, so a report is never passed to
//! the case system before it is on disk.
//!
//! PostgreSQL writes concurrent transactions at once and groups their WAL flushes, but a
//! transaction per report is a round trip, a turn of a server process, a plan and a commit
//! record each, several times the cost of the rows themselves. There the writer sends the
//! whole batch as one statement ([`write_postgres`]), its own transaction, and answers
//! once it has committed (PostgreSQL flushes its WAL at the commit); a batch that
//! fails is written again one report per statement. Every instance of a scaled-out
//! server has its own writer; they meet only at the form tokens' unique index.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures::FutureExt;
use sqlx::postgres::{PgConnection, PgPool};
use sqlx::sqlite::{SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::db::Db;
use crate::jobs::JobSettings;
use crate::ratelimit::{self, Scope};

/// The columns a new report is written with, in the order every insert gives them (one
/// report at a time in [`write_report`] and on PostgreSQL, a batch at once on SQLite;
/// their values in [`push_report_values!`]).
pub(crate) const REPORT_COLUMNS: &str = "category_id, grid_id, department_id, status, description, lat, lon, \
     address, attributes, reporter_id, hide_name, tracking_hash, submit_token, due_at, created_at, updated_at, api_key_id";

/// A report goes to its category's department as it is when the report is written (a
/// department retired a moment ago has handed its categories on).
pub(crate) const DEPARTMENT_OF_CATEGORY: &str = "(SELECT department_id FROM categories WHERE id = ";

/// How often the writer forgets old rate-limit counts (with the batch at hand).
const FORGET_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// The most reports one commit holds.
const BATCH_MAX: usize = 256;

/// A report ready to be written: checked, nothing left to decide.
#[derive(Debug)]
pub(crate) struct Filed {
    pub category_id: i64,
    pub grid_id: Option<i64>,
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

/// Pushes the values of the report `$r` (a [`Filed`]) for [`REPORT_COLUMNS`], in their
/// order, onto `$b`, a `Separated` of a `QueryBuilder` of either database (its separator
/// `", "`). The one place the columns and their values are matched.
macro_rules! push_report_values {
    ($b:expr, $r:expr) => {{
        let r: &Filed = $r;
        $b.push_bind(r.category_id)
            .push_bind(r.grid_id)
            .push(DEPARTMENT_OF_CATEGORY)
            .push_bind_unseparated(r.category_id)
            .push_unseparated(")")
            .push("'submitted'")
            .push_bind(&r.description)
            .push_bind(r.lat)
            .push_bind(r.lon)
            .push_bind(&r.address)
            .push_bind(&r.answers_json)
            .push_bind(r.reporter_id)
            .push_bind(r.hide_name)
            .push_bind(r.tracking_hash.as_deref())
            .push_bind(&r.token_hash)
            .push_bind(r.due)
            .push_bind(r.at)
            .push_bind(r.at)
            .push_bind(r.api_key);
    }};
}

/// Writes the report `r` in the transaction on `tx` and queues its forwarding, a
/// statement per row; returns the new report's id. SQLite's writer uses it for a batch
/// that failed, one report at a time.
async fn write_report(
    tx: &mut SqliteConnection,
    jobs: &JobSettings,
    r: &Filed,
) -> Result<i64, sqlx::Error> {
    let mut q: sqlx::QueryBuilder<sqlx::Sqlite> =
        sqlx::QueryBuilder::new(format!("INSERT INTO reports ({REPORT_COLUMNS}) VALUES ("));
    push_report_values!(q.separated(", "), r);
    q.push(") RETURNING id");
    let id: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_id, note, at) \
         VALUES ($1, 'submitted', 'submitted', TRUE, 'resident', $2, '', $3)",
    )
    .bind(id)
    .bind(r.reporter_id)
    .bind(r.at)
    .execute(&mut *tx)
    .await?;
    for (position, uid) in r.photo_uids.iter().enumerate() {
        sqlx::query(
            "UPDATE photos SET report_id = $1, position = $2 WHERE uid = $3 AND form_token = $4 AND report_id IS NULL",
        )
        .bind(id)
        .bind(position as i64)
        .bind(uid)
        .bind(&r.token_hash)
        .execute(&mut *tx)
        .await?;
    }
    // Passed to the case system by the job runner, once this commits.
    crate::enqueue_in!(
        &mut *tx,
        jobs,
        crate::jobs::Task::ForwardReport { report_id: id }
    )?;
    if let Some(user_id) = r.reporter_id {
        sqlx::query(
            "INSERT INTO report_follows (report_id, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(user_id)
        .bind(r.at)
        .execute(&mut *tx)
        .await?;
    }
    for (scope, key) in &r.attempts {
        sqlx::query(ratelimit::RECORD_SQL)
            .bind(scope.as_str())
            .bind(key)
            .bind(r.at)
            .execute(&mut *tx)
            .await?;
    }
    // The form was kept while it had problems; filed, it is not needed any more.
    sqlx::query("DELETE FROM form_flash WHERE token_hash = $1")
        .bind(&r.token_hash)
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// The job payload of `Task::ForwardReport` for the report id `id` (an SQL expression), as
/// serde writes it (a test reads it back as the task).
const FORWARD_PAYLOAD: &str = "'{\"kind\":\"forward_report\",\"report_id\":' || id || '}'";

/// The first row of each form token in a batch: the one written.
fn first_of_each_token<'a>(rows: &[&'a Filed]) -> Vec<&'a Filed> {
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    rows.iter()
        .copied()
        .filter(|r| seen.insert(r.token_hash.as_str()))
        .collect()
}

/// The photos of a batch's reports: (form token, position, photo uid).
fn batch_photos<'a>(fresh: &[&'a Filed]) -> Vec<(&'a str, i64, &'a str)> {
    fresh
        .iter()
        .flat_map(|r| {
            r.photo_uids
                .iter()
                .enumerate()
                .map(move |(position, uid)| (r.token_hash.as_str(), position as i64, uid.as_str()))
        })
        .collect()
}

/// The rate-limit attempts a batch's reports count: (form token, scope, key).
fn batch_attempts<'a>(fresh: &[&'a Filed]) -> Vec<(&'a str, &'static str, &'a str)> {
    fresh
        .iter()
        .flat_map(|r| {
            r.attempts
                .iter()
                .map(move |(scope, key)| (r.token_hash.as_str(), scope.as_str(), key.as_str()))
        })
        .collect()
}

/// Writes the reports `rows` on PostgreSQL in one statement, its own transaction: the
/// reports and everything they set off, as data-modifying `WITH` parts (the reports' rows
/// are inserted once and read by the other parts from `filed`). The batch is one round
/// trip, one turn of the server's process and one commit, whatever its size; a statement
/// per table and report made a report cost several times the raw commit. A report whose
/// form token is taken (filed a moment ago, or twice in `rows`) is left out and answered
/// [`Written::Duplicate`]. Old rate-limit counts are forgotten when `forget_before` is given.
async fn write_postgres(
    conn: &mut sqlx::PgConnection,
    jobs: &JobSettings,
    rows: &[&Filed],
    forget_before: Option<DateTime<Utc>>,
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    use sqlx::{Postgres, QueryBuilder};
    // The first row of a form token is the one written. In the order of the tokens, so
    // two instances writing the same forms at once take their locks in the same order
    // (and wait for each other rather than deadlock).
    let mut fresh = first_of_each_token(rows);
    fresh.sort_by(|a, b| a.token_hash.cmp(&b.token_hash));

    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "WITH filed AS (INSERT INTO reports ({REPORT_COLUMNS}) "
    ));
    q.push_values(&fresh, |mut b, r| push_report_values!(b, r));
    q.push(" ON CONFLICT (submit_token) DO NOTHING RETURNING id, submit_token, reporter_id, created_at)");
    // The first timeline entry, at the moment the report was filed.
    q.push(
        ", event AS (INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_id, note, at) \
         SELECT id, 'submitted', 'submitted', TRUE, 'resident', reporter_id, '', created_at FROM filed)",
    );
    let photos = batch_photos(&fresh);
    if !photos.is_empty() {
        q.push(", photo AS (UPDATE photos SET report_id = filed.id, position = v.position FROM filed JOIN (");
        q.push_values(&photos, |mut b, &(token, position, uid)| {
            b.push_bind(token).push_bind(position).push_bind(uid);
        });
        q.push(
            ") AS v (form_token, position, uid) ON v.form_token = filed.submit_token \
             WHERE photos.uid = v.uid AND photos.form_token = v.form_token AND photos.report_id IS NULL)",
        );
    }
    // Passed to the case system by the job runner, once this commits.
    q.push(format!(
        ", job AS (INSERT INTO jobs (kind, payload, dedupe_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
         SELECT 'forward_report', {FORWARD_PAYLOAD}, 'forward_report:' || id, 'queued', 0, "
    ));
    q.push_bind(jobs.max_attempts);
    q.push(", created_at, created_at, created_at FROM filed ORDER BY id ON CONFLICT (dedupe_key) DO NOTHING)");
    // Residents with an account follow what they reported.
    if fresh.iter().any(|r| r.reporter_id.is_some()) {
        q.push(
            ", follow AS (INSERT INTO report_follows (report_id, user_id, created_at) \
             SELECT id, reporter_id, created_at FROM filed WHERE reporter_id IS NOT NULL)",
        );
    }
    // The rate limits count the reports written (not those filed twice).
    let attempts = batch_attempts(&fresh);
    if !attempts.is_empty() {
        q.push(", attempt AS (INSERT INTO auth_attempts (scope, key, at) SELECT v.scope, v.key, filed.created_at FROM filed JOIN (");
        q.push_values(&attempts, |mut b, &(token, scope, key)| {
            b.push_bind(token).push_bind(scope).push_bind(key);
        });
        q.push(") AS v (form_token, scope, key) ON v.form_token = filed.submit_token)");
    }
    if let Some(before) = forget_before {
        q.push(", forgotten AS (DELETE FROM auth_attempts WHERE at < ");
        q.push_bind(before);
        q.push(")");
    }
    // The forms were kept while they had problems; filed, they are not needed any more.
    q.push(", kept AS (DELETE FROM form_flash WHERE token_hash IN (SELECT submit_token FROM filed)) SELECT id, submit_token FROM filed");
    // Not kept prepared: the text differs with the batch's size.
    let inserted: Vec<(i64, String)> = q
        .build_query_as()
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    Ok(matched(rows, inserted))
}

/// Each row's report id (by its form token) among those `inserted`; a row whose token
/// is not among them, or is again, is a duplicate.
fn matched(rows: &[&Filed], inserted: Vec<(i64, String)>) -> Vec<Result<i64, Written>> {
    let mut ids: std::collections::HashMap<String, i64> = inserted
        .into_iter()
        .map(|(id, token)| (token, id))
        .collect();
    rows.iter()
        .map(|r| ids.remove(&r.token_hash).ok_or(Written::Duplicate))
        .collect()
}

struct Pending {
    row: Filed,
    reply: oneshot::Sender<Result<i64, Written>>,
}

/// A written report's answer, given once its commit is on disk.
type Answer = (oneshot::Sender<Result<i64, Written>>, Result<i64, Written>);

/// The thread that makes the SQLite writer's commits durable and only then answers their
/// reports (see the module's documentation). Each sync covers every batch committed
/// before it began: batches committed while one sync runs wait for the next, together.
struct Syncer {
    committed: std::sync::mpsc::Sender<Vec<Answer>>,
}

impl Syncer {
    /// Starts the thread; `sync` puts on disk everything committed before it is called.
    /// The thread ends once the `Syncer` is dropped and what it was given is answered.
    fn start(
        mut sync: impl FnMut() -> std::io::Result<()> + Send + 'static,
    ) -> std::io::Result<Syncer> {
        let (committed, queue) = std::sync::mpsc::channel::<Vec<Answer>>();
        std::thread::Builder::new()
            .name("gongzhi-report-sync".into())
            .spawn(move || {
                while let Ok(mut answers) = queue.recv() {
                    answers.extend(queue.try_iter().flatten());
                    match sync() {
                        Ok(()) => {
                            for (reply, result) in answers {
                                let _ = reply.send(result);
                            }
                        }
                        Err(e) => {
                            // The reports are in the database, but whether they would
                            // survive a power cut is unknown: none is acknowledged (filed
                            // again, the form finds its report).
                            tracing::error!(reports = answers.len(), error = %e, "syncing new reports to disk failed");
                            for (reply, _) in answers {
                                let _ = reply.send(Err(Written::Failed(format!(
                                    "syncing the database to disk: {e}"
                                ))));
                            }
                        }
                    }
                }
            })?;
        Ok(Syncer { committed })
    }

    /// Answers `answers` once what has been committed so far is on disk.
    fn answer_when_synced(&self, answers: Vec<Answer>) {
        if let Err(std::sync::mpsc::SendError(answers)) = self.committed.send(answers) {
            for (reply, _) in answers {
                let _ = reply.send(Err(Written::Failed("the disk sync stopped".into())));
            }
        }
    }
}

/// Puts on disk what has been committed to the SQLite database `file`: its WAL's data
/// (`fdatasync`). The WAL is opened anew each time: SQLite deletes it when the database's
/// last connection closes, after copying it into the database file and syncing that (then
/// the database file is synced here, which holds everything).
fn sync_wal(file: &Path) -> std::io::Result<()> {
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    match std::fs::File::open(&wal) {
        Ok(f) => f.sync_data(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::File::open(file)?.sync_data()
        }
        Err(e) => Err(e),
    }
}

/// The SQLite writer's own connection, out of the pool: one handed back to the pool is
/// pinged (a round trip) every time, and this one is used for every batch. For a database
/// file in WAL mode it commits without waiting for the disk, and its [`Syncer`] answers.
struct OwnSqlite {
    conn: SqliteConnection,
    syncer: Option<Syncer>,
}

impl OwnSqlite {
    async fn open(pool: &SqlitePool) -> Result<OwnSqlite, sqlx::Error> {
        let mut conn = pool.acquire().await?.detach();
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut conn)
            .await?;
        let file: String =
            sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                .fetch_one(&mut conn)
                .await?;
        // An in-memory database (tests) keeps nothing on disk: nothing to wait for.
        if !journal.eq_ignore_ascii_case("wal") || file.is_empty() {
            return Ok(OwnSqlite { conn, syncer: None });
        }
        let file = PathBuf::from(file);
        let syncer = Syncer::start(move || sync_wal(&file))?;
        sqlx::query("PRAGMA synchronous = NORMAL")
            .execute(&mut conn)
            .await?;
        Ok(OwnSqlite {
            conn,
            syncer: Some(syncer),
        })
    }
}

/// The way to the report writer task, started on first use (and again should it have
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
        db: &Db,
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
                    tokio::spawn(run(db.clone(), jobs.clone(), rx, self.commits.clone()));
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
    db: Db,
    jobs: JobSettings,
    mut queue: mpsc::UnboundedReceiver<Pending>,
    commits: Arc<AtomicU64>,
) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    let mut forgot: Option<std::time::Instant> = None;
    // The writer's own connection (see `OwnSqlite`).
    let mut own_sqlite: Option<OwnSqlite> = None;
    let mut own_postgres: Option<PgConnection> = None;
    let mut statistics = AttemptStatistics::new();
    while queue.recv_many(&mut batch, BATCH_MAX).await > 0 {
        // Old rate-limit counts are forgotten with a batch now and then, not with each.
        let forget = forgot.is_none_or(|t| t.elapsed() >= FORGET_EVERY);
        let written = match &db {
            Db::Sqlite(pool) => write_batch(pool, &mut own_sqlite, &jobs, &batch, forget).await,
            Db::Postgres(pool) => {
                write_batch_postgres(pool, &mut own_postgres, &jobs, &batch, forget).await
            }
        };
        match written {
            Ok(results) => {
                commits.fetch_add(1, Ordering::Relaxed);
                if forget {
                    forgot = Some(std::time::Instant::now());
                }
                let mut attempts = 0;
                let answers: Vec<Answer> = batch
                    .drain(..)
                    .zip(results)
                    .map(|(p, result)| {
                        if result.is_ok() {
                            attempts += p.row.attempts.len() as u64;
                        }
                        (p.reply, result)
                    })
                    .collect();
                match own_sqlite.as_ref().and_then(|o| o.syncer.as_ref()) {
                    Some(syncer) => syncer.answer_when_synced(answers),
                    // Committed with `synchronous = FULL` (or PostgreSQL's commit): on disk.
                    None => {
                        for (reply, result) in answers {
                            let _ = reply.send(result);
                        }
                    }
                }
                if let Db::Postgres(pool) = &db {
                    statistics.written(pool, attempts);
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

/// Keeps PostgreSQL's statistics of `auth_attempts` current while reports pour in.
///
/// Each report reads its sender's attempts in the rate limit's window with a statement
/// kept prepared (planned once per connection, not at every request: planning it cost
/// more than running it). PostgreSQL keeps a prepared statement's generic plan until the
/// statistics of a table it reads change; made while `auth_attempts` was small (the
/// table starts empty and forgets attempts after a day), that plan reads the whole table,
/// and in a storm of reports the table grows by thousands a second, far faster than
/// autovacuum (which looks at a database once a minute) analyzes it. So the writer,
/// which writes nearly all attempts, counts them and analyzes the table itself whenever
/// it has written as many as the table held at its last analysis (and at least
/// [`ANALYZE_FROM`]): the analysis replaces every connection's plans with ones made for
/// the table as it is. That is a handful of analyses from empty to millions of rows, each
/// a sample of at most 30,000 rows, run on a pooled connection beside the writer.
struct AttemptStatistics {
    /// Attempts written since the writer last analyzed the table.
    written: u64,
    /// The table's rows at its last analysis (by the writer or by autovacuum), as
    /// PostgreSQL knew them when the writer last looked; 0 until then.
    analyzed: u64,
    /// When the writer last looked.
    looked: std::time::Instant,
    /// The analysis (or the look at `analyzed`) under way.
    running: Option<tokio::task::JoinHandle<Result<u64, sqlx::Error>>>,
}

/// The attempts the writer writes before it first analyzes the table: reading a table of
/// a few pages whole costs little.
const ANALYZE_FROM: u64 = 1_000;

/// How often the writer looks at what PostgreSQL knows of the table's size (autovacuum
/// analyzes it too, and the attempts of a day ago are forgotten).
const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

impl AttemptStatistics {
    fn new() -> Self {
        AttemptStatistics {
            written: 0,
            analyzed: 0,
            looked: std::time::Instant::now(),
            running: None,
        }
    }

    /// Counts `attempts` more written; analyzes the table when they are due (and looks
    /// at its size now and then).
    fn written(&mut self, pool: &PgPool, attempts: u64) {
        self.written += attempts;
        if let Some(running) = self.running.take_if(|r| r.is_finished()) {
            match running.now_or_never() {
                Some(Ok(Ok(rows))) => self.analyzed = rows,
                Some(Ok(Err(e))) => tracing::warn!(error = %e, "analyzing auth_attempts failed"),
                _ => {}
            }
        }
        if self.running.is_some() {
            return;
        }
        let analyze = self.written >= self.analyzed.max(ANALYZE_FROM);
        if !analyze && self.looked.elapsed() < LOOK_EVERY {
            return;
        }
        if analyze {
            self.written = 0;
        }
        self.looked = std::time::Instant::now();
        let pool = pool.clone();
        self.running = Some(tokio::spawn(async move {
            if analyze {
                sqlx::query("ANALYZE auth_attempts").execute(&pool).await?;
            }
            let rows: f32 = sqlx::query_scalar(
                "SELECT reltuples FROM pg_class WHERE oid = 'auth_attempts'::regclass",
            )
            .fetch_one(&pool)
            .await?;
            // -1: never analyzed.
            Ok(rows.max(0.0) as u64)
        }));
    }
}

/// Writes a batch on SQLite: all in one request ([`write_together`]), or should that fail,
/// one report at a time.
async fn write_batch(
    pool: &SqlitePool,
    own: &mut Option<OwnSqlite>,
    jobs: &JobSettings,
    batch: &[Pending],
    forget: bool,
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    let rows: Vec<&Filed> = batch.iter().map(|p| &p.row).collect();
    let _turn = crate::db::sqlite_turn().await?;
    if pool.is_closed() {
        *own = None;
        return Err(sqlx::Error::PoolClosed);
    }
    let conn = match own {
        Some(o) => &mut o.conn,
        None => &mut own.insert(OwnSqlite::open(pool).await?).conn,
    };
    let failed = match write_together(conn, jobs, &rows, forget).await {
        Ok(out) => return Ok(out),
        Err(e) => e,
    };
    // The request stopped at the statement that failed, inside the batch's transaction
    // (or before it began). A connection that cannot be brought back to no transaction
    // is closed; the next batch opens another.
    // (`ROLLBACK` fails also when `BEGIN` did; a `BEGIN` that works shows there is no
    // transaction left open.)
    if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_err()
        && sqlx::query("BEGIN; ROLLBACK")
            .execute(&mut *conn)
            .await
            .is_err()
    {
        *own = None;
    }
    // Something in the batch is wrong beyond a form filed twice (a category deleted a
    // moment ago, say): write the reports one at a time, each in its own savepoint, so
    // only the faulty one fails.
    tracing::debug!(reports = rows.len(), error = %failed, "batch write failed; one at a time");
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let out = write_one_by_one(&mut tx, jobs, &rows).await?;
    if forget {
        sqlx::query(ratelimit::FORGET_SQL)
            .bind(ratelimit::forget_before(crate::time::now()))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(out)
}

/// Writes a batch on PostgreSQL: all in one statement ([`write_postgres`]), or should that
/// fail, one report at a time, each its own statement, so only the faulty one fails.
async fn write_batch_postgres(
    pool: &PgPool,
    own: &mut Option<PgConnection>,
    jobs: &JobSettings,
    batch: &[Pending],
    forget: bool,
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    let rows: Vec<&Filed> = batch.iter().map(|p| &p.row).collect();
    let forget_before = forget.then(|| ratelimit::forget_before(crate::time::now()));
    if pool.is_closed() {
        *own = None;
        return Err(sqlx::Error::PoolClosed);
    }
    let conn = match own {
        Some(c) => c,
        None => own.insert(pool.acquire().await?.detach()),
    };
    let failed = match write_postgres(conn, jobs, &rows, forget_before).await {
        Ok(out) => return Ok(out),
        Err(e) => e,
    };
    // The statement was its own transaction: nothing of it is left. A connection that
    // failed other than by the statement's fault is closed; the next batch opens another.
    if !matches!(failed, sqlx::Error::Database(_)) {
        *own = None;
    }
    tracing::debug!(reports = rows.len(), error = %failed, "batch write failed; one at a time");
    let mut conn = pool.acquire().await?;
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let forget_before = forget_before.filter(|_| i == 0);
        out.push(
            match write_postgres(&mut conn, jobs, &[row], forget_before).await {
                Ok(mut one) => one.pop().unwrap_or(Err(Written::Duplicate)),
                Err(e) => Err(e.into()),
            },
        );
    }
    Ok(out)
}

/// Writes each report in its own savepoint: one that fails is rolled back alone.
async fn write_one_by_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    jobs: &JobSettings,
    rows: &[&Filed],
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut one = sqlx::Acquire::begin(&mut **tx).await?;
        match write_report(&mut one, jobs, row).await {
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
    Ok(out)
}

/// The batch's reports, for the statements after their insert: the ids above the largest
/// one before it (the writer holds SQLite's write lock from `BEGIN IMMEDIATE` on, so no
/// other report can come between).
const BATCH_REPORTS: &str = "FROM reports WHERE id > (SELECT id FROM temp.writer_floor)";

/// Writes and commits the whole batch in one request to SQLite's connection thread (every
/// request is a hand-off between threads, and the writer works alone): `BEGIN IMMEDIATE`,
/// one statement per table, `COMMIT`. The statements after the reports' insert find the
/// batch's reports by id (see [`BATCH_REPORTS`]), so nothing has to come back between
/// them. A report whose form token is taken (filed a moment ago, or twice in this batch)
/// is left out and answered [`Written::Duplicate`]. Any other failure stops the request
/// inside the transaction, which the caller rolls back.
async fn write_together(
    conn: &mut SqliteConnection,
    jobs: &JobSettings,
    rows: &[&Filed],
    forget: bool,
) -> Result<Vec<Result<i64, Written>>, sqlx::Error> {
    use sqlx::{QueryBuilder, Sqlite};

    // A second row of a form token in the batch is a duplicate like one filed earlier
    // (and left out of the request).
    let fresh = first_of_each_token(rows);

    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "BEGIN IMMEDIATE; \
         CREATE TEMP TABLE IF NOT EXISTS writer_floor (one INTEGER PRIMARY KEY CHECK (one = 1), id INTEGER NOT NULL); \
         REPLACE INTO writer_floor (one, id) SELECT 1, coalesce(max(id), 0) FROM main.reports; ",
    );
    q.push(format!("INSERT INTO reports ({REPORT_COLUMNS}) "));
    q.push_values(&fresh, |mut b, r| push_report_values!(b, r));
    // RETURNING lists rows in no set order: they are matched back by form token.
    q.push(" ON CONFLICT (submit_token) DO NOTHING RETURNING id, submit_token");

    // The first timeline entry, at the moment the report was filed.
    q.push(format!(
        "; INSERT INTO report_events (report_id, kind, status, public, actor_role, actor_id, note, at) \
         SELECT id, 'submitted', 'submitted', TRUE, 'resident', reporter_id, '', created_at {BATCH_REPORTS} ORDER BY id"
    ));

    let photos = batch_photos(&fresh);
    if !photos.is_empty() {
        q.push("; WITH v (form_token, position, uid) AS (");
        q.push_values(&photos, |mut b, &(token, position, uid)| {
            b.push_bind(token).push_bind(position).push_bind(uid);
        });
        q.push(format!(
            ") UPDATE photos SET report_id = r.id, position = v.position \
             FROM v JOIN (SELECT id, submit_token {BATCH_REPORTS}) r ON r.submit_token = v.form_token \
             WHERE photos.uid = v.uid AND photos.form_token = v.form_token AND photos.report_id IS NULL"
        ));
    }

    // Passed to the case system by the job runner, once this commits. The payload and
    // the key are `Task::ForwardReport`'s (a test reads them back as one).
    let t = crate::time::now();
    q.push(format!(
        "; INSERT INTO jobs (kind, payload, dedupe_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
         SELECT 'forward_report', {FORWARD_PAYLOAD}, 'forward_report:' || id, 'queued', 0, "
    ));
    q.push_bind(jobs.max_attempts);
    q.push(", ");
    q.push_bind(t);
    q.push(", ");
    q.push_bind(t);
    q.push(", ");
    q.push_bind(t);
    q.push(format!(
        " {BATCH_REPORTS} ORDER BY id ON CONFLICT (dedupe_key) DO NOTHING"
    ));

    // Residents with an account follow what they reported.
    if fresh.iter().any(|r| r.reporter_id.is_some()) {
        q.push(format!(
            "; INSERT INTO report_follows (report_id, user_id, created_at) \
             SELECT id, reporter_id, created_at {BATCH_REPORTS} AND reporter_id IS NOT NULL"
        ));
    }

    // The rate limits count the reports written (not those filed twice).
    let attempts = batch_attempts(&fresh);
    if !attempts.is_empty() {
        q.push("; WITH v (form_token, scope, key) AS (");
        q.push_values(&attempts, |mut b, &(token, scope, key)| {
            b.push_bind(token).push_bind(scope).push_bind(key);
        });
        q.push(format!(
            ") INSERT INTO auth_attempts (scope, key, at) SELECT v.scope, v.key, r.created_at \
             FROM v JOIN (SELECT submit_token, created_at {BATCH_REPORTS}) r ON r.submit_token = v.form_token"
        ));
    }
    if forget {
        q.push("; DELETE FROM auth_attempts WHERE at < ");
        q.push_bind(ratelimit::forget_before(t));
    }

    // The forms were kept while they had problems; filed, they are not needed any more.
    q.push(format!(
        "; DELETE FROM form_flash WHERE token_hash IN (SELECT submit_token {BATCH_REPORTS}); COMMIT"
    ));

    let inserted: Vec<(i64, String)> = q
        .build_query_as()
        .persistent(false)
        .fetch_all(&mut *conn)
        .await?;
    Ok(matched(rows, inserted))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn answer(id: i64) -> (Answer, oneshot::Receiver<Result<i64, Written>>) {
        let (reply, answered) = oneshot::channel();
        ((reply, Ok(id)), answered)
    }

    /// A report is answered only after a sync that began once its batch was committed.
    #[test]
    fn reports_are_answered_only_once_synced() {
        let (began, sync_began) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        let syncer = Syncer::start(move || {
            began.send(()).expect("test listens");
            released.recv().expect("test releases");
            Ok(())
        })
        .expect("thread");

        let (a, mut answered_a) = answer(1);
        syncer.answer_when_synced(vec![a]);
        sync_began
            .recv_timeout(Duration::from_secs(10))
            .expect("a sync began");
        // Committed while that sync runs: it waits for the next one.
        let (b, mut answered_b) = answer(2);
        syncer.answer_when_synced(vec![b]);
        std::thread::sleep(Duration::from_millis(50));
        assert!(matches!(
            answered_a.try_recv(),
            Err(oneshot::error::TryRecvError::Empty)
        ));

        release.send(()).expect("sync waits");
        let a = answered_a.blocking_recv().expect("answered");
        assert!(matches!(a, Ok(1)), "{a:?}");
        // The second batch needs a sync of its own.
        sync_began
            .recv_timeout(Duration::from_secs(10))
            .expect("a second sync began");
        assert!(matches!(
            answered_b.try_recv(),
            Err(oneshot::error::TryRecvError::Empty)
        ));
        release.send(()).expect("sync waits");
        let b = answered_b.blocking_recv().expect("answered");
        assert!(matches!(b, Ok(2)), "{b:?}");
    }

    /// When the disk sync fails, no report of it is acknowledged.
    #[test]
    fn a_failed_sync_acknowledges_nothing() {
        let syncer = Syncer::start(|| Err(std::io::Error::other("disk gone"))).expect("thread");
        let (a, answered) = answer(7);
        syncer.answer_when_synced(vec![a]);
        match answered.blocking_recv().expect("answered") {
            Err(Written::Failed(e)) => assert!(e.contains("disk gone"), "{e}"),
            other => panic!("acknowledged without a sync: {other:?}"),
        }
    }

    /// Syncing a database file syncs its WAL, or the file itself when it has none.
    #[test]
    fn syncing_finds_the_wal_or_the_database_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("g.db");
        assert_eq!(
            sync_wal(&file).expect_err("no database").kind(),
            std::io::ErrorKind::NotFound
        );
        std::fs::write(&file, b"db").expect("write");
        sync_wal(&file).expect("the database file alone");
        std::fs::write(dir.path().join("g.db-wal"), b"wal").expect("write");
        sync_wal(&file).expect("the WAL");
    }
}
