//! The database: SQLite by default, PostgreSQL for a `postgres://` URL.
//!
//! Queries are written once with `$1` placeholders (both backends accept them) and run
//! on either pool through [`with_db!`]; only migrations and a few marked dialect spots
//! differ between the backends.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// A connection pool for one of the two backends.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on whichever pool `db` holds. The body is compiled once per
/// backend, so it may use backend-generic sqlx calls only.
///
/// ```ignore
/// let n: i64 = with_db!(db, pool => sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(pool).await)?;
/// ```
#[macro_export]
macro_rules! with_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// How often the SQLite WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);
/// The WAL's length (in pages) from which it is started over (about 16 MB).
const WAL_RESTART_PAGES: i64 = 4_000;

/// Copies the WAL's committed pages back into the database file, every
/// [`CHECKPOINT_EVERY`] until the pool is closed. SQLite would otherwise do it in the
/// commit that takes the WAL past 1,000 pages: under a stream of reports that was the
/// report writer's, a thousand page writes and an fsync of the database file while new
/// reports waited. Here a passive checkpoint (no lock taken: writers go on) copies what
/// it can on a core that is otherwise idle. While writes keep coming it never catches up
/// with the last ones, and SQLite starts the WAL over only once everything in it is
/// copied: past [`WAL_RESTART_PAGES`] the checkpointer takes the write turn, copies the
/// little left and has the WAL started over (`RESTART`), so the WAL stays bounded under
/// any load. Nothing of durability changes: a commit is on disk when its WAL frames are.
fn checkpoint_in_background(pool: SqlitePool) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                break;
            }
            if let Err(e) = checkpoint(&pool).await {
                if pool.is_closed() {
                    break;
                }
                tracing::warn!(error = %e, "copying the SQLite WAL into the database failed");
            }
        }
    });
}

async fn checkpoint(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    // (busy, pages in the WAL, pages copied)
    let (_, pages, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    if pages >= WAL_RESTART_PAGES {
        // Other writers of this process wait for their turn, not on SQLite's lock; the
        // restart waits at most a moment for readers (a long export would otherwise hold
        // every writer up for the whole busy timeout) and is tried again on a later tick.
        let _turn = sqlite_turn().await?;
        let mut c = pool.acquire().await?;
        sqlx::query("PRAGMA busy_timeout = 100")
            .execute(&mut *c)
            .await?;
        let restarted = sqlx::query("PRAGMA wal_checkpoint(RESTART)")
            .execute(&mut *c)
            .await;
        let restored = sqlx::query(&format!(
            "PRAGMA busy_timeout = {}",
            SQLITE_BUSY_TIMEOUT.as_millis()
        ))
        .execute(&mut *c)
        .await;
        if let Err(e) = restored {
            // The short timeout must not go back to the pool with the connection (a
            // fresh connection replaces it; opening one for every restart instead cost
            // the pool its warm connections 40 times in 10 s under a stream of reports).
            let _ = sqlx::Connection::close(c.detach()).await;
            return Err(e);
        }
        restarted?;
    }
    Ok(())
}

/// How long a writer waits for SQLite: its turn in this process, then the file lock.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// This process's SQLite writers, in arrival order. SQLite lets one connection write at a
/// time and makes the others poll with growing sleeps (up to 100 ms each): a writer that
/// keeps coming back (the job runner working through a backlog) takes the lock again and
/// again while a waiting one sleeps, and a resident's report waited a third of a second.
/// Writers of this process take their turn here first, first come first served, and meet
/// SQLite's lock only when another process writes. One line for every SQLite database the
/// process has open (tests open several; their writes queue together, which is harmless).
static SQLITE_TURN: std::sync::LazyLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
    std::sync::LazyLock::new(Default::default);

/// This process's turn to write to SQLite, waited for as long as the busy timeout; held
/// until dropped. Taken by [`BeginWrite::begin_write`]; statements that write outside a
/// transaction in a busy loop (the job runner's) take it themselves through [`turn`].
pub async fn sqlite_turn() -> Result<tokio::sync::OwnedMutexGuard<()>, sqlx::Error> {
    tokio::time::timeout(SQLITE_BUSY_TIMEOUT, SQLITE_TURN.clone().lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)
}

/// The turn to write, on SQLite; nothing to wait for on PostgreSQL.
pub async fn turn(db: &Db) -> Result<Option<tokio::sync::OwnedMutexGuard<()>>, sqlx::Error> {
    match db {
        Db::Sqlite(_) => sqlite_turn().await.map(Some),
        Db::Postgres(_) => Ok(None),
    }
}

/// A write transaction on SQLite, holding this process's turn to write until it ends.
/// Statements run on it as on a transaction: `&mut *tx`.
pub struct SqliteWrite {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl SqliteWrite {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for SqliteWrite {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for SqliteWrite {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Begins a transaction that will write. On SQLite it waits for this process's turn to
/// write, then takes the write lock first (`BEGIN IMMEDIATE`, waiting for it like any
/// write, up to the busy timeout): a deferred transaction that reads and then writes fails
/// at once with "database is locked" when another writer commits in between, which under
/// load turns into refused submissions. Every domain transaction writes, so every one
/// begins this way.
pub trait BeginWrite {
    /// The transaction: `&mut *tx` runs statements in it, `tx.commit()` ends it.
    type Write: Send;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<Self::Write, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Write = SqliteWrite;
    async fn begin_write(&self) -> Result<SqliteWrite, sqlx::Error> {
        let turn = sqlite_turn().await?;
        let tx = self.begin_with("BEGIN IMMEDIATE").await?;
        Ok(SqliteWrite { tx, _turn: turn })
    }
}

impl BeginWrite for PgPool {
    type Write = sqlx::Transaction<'static, sqlx::Postgres>;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<Self::Write, sqlx::Error>> + Send {
        self.begin()
    }
}

/// SQLite connections kept out of the pool for the reads on a new report's way: every
/// report filed first reads its form token, the catalogue's version and its sender's
/// rate-limit window in one statement, and an Open311 client's key is looked up before.
///
/// A statement on the pool costs more than the statement: the connection is taken from
/// the pool, and sqlx pings every connection handed back, one more hand-off to the
/// connection's thread and back. And each of the pool's connections keeps its own page
/// cache, which SQLite throws away whenever another connection has committed since the
/// connection last read: under a stream of reports nearly every read on the pool found its
/// cache stale and read its pages again from the file (`pread`). A kept connection is
/// used by one read after another and handed back to no one: no ping, and the reads
/// between two commits share one refill of its cache. They are few (two, one per core of
/// the machines we run on); a read takes a free one, or waits its turn at the next.
///
/// Only single statements outside a transaction run on them: a read cancelled half-way
/// leaves nothing open (sqlx resets the statement when its rows are dropped). A
/// connection whose statement failed is closed and opened again from the pool next time.
#[derive(Debug)]
pub struct KeptConnections {
    slots: Box<[tokio::sync::Mutex<Option<sqlx::SqliteConnection>>]>,
    next: std::sync::atomic::AtomicUsize,
}

/// How many connections [`KeptConnections`] keeps.
const KEPT_CONNECTIONS: usize = 2;

impl Default for KeptConnections {
    fn default() -> Self {
        KeptConnections {
            slots: (0..KEPT_CONNECTIONS).map(|_| Default::default()).collect(),
            next: Default::default(),
        }
    }
}

impl KeptConnections {
    /// Runs `read` on a kept connection (opened from `pool` when there is none yet): a
    /// free one, or the next in turn once it is free.
    pub async fn read<T, F>(&self, pool: &SqlitePool, read: F) -> Result<T, sqlx::Error>
    where
        F: for<'c> FnOnce(
            &'c mut sqlx::SqliteConnection,
        ) -> futures::future::BoxFuture<'c, Result<T, sqlx::Error>>,
    {
        let mut slot = match self.slots.iter().find_map(|s| s.try_lock().ok()) {
            Some(free) => free,
            None => {
                let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                self.slots[i % self.slots.len()].lock().await
            }
        };
        if pool.is_closed() {
            *slot = None;
            return Err(sqlx::Error::PoolClosed);
        }
        let conn = match slot.as_mut() {
            Some(c) => c,
            None => slot.insert(pool.acquire().await?.detach()),
        };
        let out = read(conn).await;
        if out.is_err() {
            // Whatever went wrong, the next read starts on a fresh connection.
            *slot = None;
        }
        out
    }
}

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("a database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the data directory {dir}: {source}")]
    DataDir { dir: String, source: std::io::Error },
}

/// `n` numbered placeholders from `$first` on, comma-separated: the list of an `IN (…)`
/// whose values are bound one by one (the same text on both backends).
pub fn marks(first: usize, n: usize) -> String {
    NUMBERED.marks(first, n)
}

/// `rows` parenthesised groups of `cols` numbered placeholders from `$first` on: the
/// `VALUES` of a multi-row insert whose values are bound row by row.
pub fn rows(first: usize, rows: usize, cols: usize) -> String {
    NUMBERED.rows(first, rows, cols)
}

/// Numbered placeholders on either backend (`$1` is SQLite's too).
const NUMBERED: InOrder = InOrder { numbered: true };

/// Placeholders for a statement of many values bound in order, one value per
/// placeholder (a batch's ids, its rows): `$1, $2, …` on PostgreSQL, `?` on SQLite.
///
/// SQLite keeps the names of numbered placeholders in a list, and sqlx looks up the name
/// of every value it binds, walking the list from its start: a statement of 1,500 values
/// walked it a million steps, and the statistics' counting of a stream of reports spent
/// 2.4 % of the server's time there. Plain `?` has no name. Every placeholder of such a
/// statement must come from here, in order (sqlx numbers the unnamed ones by counting).
#[derive(Clone, Copy, Debug)]
pub struct InOrder {
    numbered: bool,
}

impl InOrder {
    pub fn of(db: &Db) -> InOrder {
        InOrder {
            numbered: matches!(db, Db::Postgres(_)),
        }
    }

    /// The placeholder of the `i`th value (from 1).
    pub fn one(self, i: usize) -> String {
        if self.numbered {
            format!("${i}")
        } else {
            "?".to_string()
        }
    }

    /// `n` placeholders from the `first`th value on, comma-separated.
    pub fn marks(self, first: usize, n: usize) -> String {
        (first..first + n)
            .map(|i| self.one(i))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `rows` parenthesised groups of `cols` placeholders from the `first`th value on.
    pub fn rows(self, first: usize, rows: usize, cols: usize) -> String {
        (0..rows)
            .map(|r| format!("({})", self.marks(first + r * cols, cols)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which backend a URL selects.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Db {
    /// Opens a pool for `url`: PostgreSQL for `postgres://`, otherwise SQLite (creating the
    /// file and its directory when missing) in WAL mode with foreign keys on and a busy
    /// timeout, and full fsync so an acknowledged write survives a power cut.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        let err = |source| DbError::Connect {
            url: redact_url(url),
            source,
        };
        if is_postgres_url(url) {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(err)?;
            return Ok(Db::Postgres(pool));
        }
        let opts = SqliteConnectOptions::from_str(url)
            .map_err(err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Pages are copied in by `pread`, not read from a memory map (`mmap_size`):
            // mapped, each commit that grew the file had every connection map it again,
            // and the unmapping (with the other cores' TLBs flushed) cost more of the
            // server's time under a stream of reports (9 %) than the copies it saved (3 %).
            .busy_timeout(SQLITE_BUSY_TIMEOUT)
            // The WAL is copied back into the database file by a task of its own (see
            // `checkpoint_in_background`), not by whichever commit crosses the
            // threshold: that was mostly the report writer, with new reports waiting.
            .pragma("wal_autocheckpoint", "0")
            // Statement journals (the pages a statement changed, kept until it finishes
            // so a failing one can be undone alone) and temporary tables stay in memory.
            // Written to a file, every batch of reports created a file in the temporary
            // directory, wrote it about 180 pages (nearly half the writer's `pwrite`s) and
            // deleted it again.
            .pragma("temp_store", "memory");
        if let Some(dir) = opts.get_filename().parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir {
                    dir: dir.display().to_string(),
                    source,
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            // sqlx would ping a connection each time it is taken from the pool, a round
            // trip to the connection's thread before every statement; a SQLite connection
            // is a file handle in this process, with no other end to hang up.
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(opts)
            .await
            .map_err(err)?;
        checkpoint_in_background(pool.clone());
        Ok(Db::Sqlite(pool))
    }

    /// Brings the schema up to date. A failure leaves the database as the failed
    /// migration's transaction left it and is reported, never ignored.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`, for logs and `/readyz`.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        with_db!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))
    }

    /// Tables and their columns, sorted; used to prove both schemas are the same.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        let mut cols: Vec<(String, String)> = match self {
            // Dialect spot: schema introspection. The full-text index's tables are SQLite's
            // alone (PostgreSQL indexes the columns instead, migration 0023).
            Db::Sqlite(p) => {
                sqlx::query_as(
                    "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
                     AND m.name NOT LIKE 'reports_search%'",
                )
                .fetch_all(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(p)
                .await?
            }
        };
        cols.sort();
        Ok(cols)
    }

    pub async fn close(&self) {
        with_db!(self, p => p.close().await)
    }

    /// The raw commit rate, a reference point for the benchmarks: one-row inserts of about
    /// a report's size, each its own transaction, one after another on one connection of
    /// this pool (so with the server's durability settings), for `seconds`. Works in a
    /// scratch table it drops afterwards. Returns the commits made and the seconds taken.
    pub async fn commit_rate(&self, seconds: f64) -> Result<(u64, f64), crate::error::Error> {
        let body = "这里的问题已经持续好几天了，影响附近居民出行，希望尽快处理。".repeat(3);
        let limit = Duration::from_secs_f64(seconds.max(0.1));
        with_db!(self, p => async {
            let mut c = p.acquire().await?;
            sqlx::query("DROP TABLE IF EXISTS commit_rate_probe").execute(&mut *c).await?;
            sqlx::query("CREATE TABLE commit_rate_probe (id BIGINT PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)")
                .execute(&mut *c)
                .await?;
            let started = std::time::Instant::now();
            let mut n: u64 = 0;
            while started.elapsed() < limit {
                n += 1;
                sqlx::query("INSERT INTO commit_rate_probe (id, body, at) VALUES ($1, $2, $3)")
                    .bind(n as i64)
                    .bind(&body)
                    .bind(crate::time::now().to_rfc3339())
                    .execute(&mut *c)
                    .await?;
            }
            let took = started.elapsed().as_secs_f64();
            sqlx::query("DROP TABLE commit_rate_probe").execute(&mut *c).await?;
            Ok::<_, sqlx::Error>((n, took))
        }.await)
        .map_err(Into::into)
    }
}

/// Hides a password in a database URL, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// True when the error is a unique-constraint violation (on either backend).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_or_plain_by_backend() {
        assert_eq!(marks(3, 3), "$3, $4, $5");
        assert_eq!(rows(2, 2, 2), "($2, $3), ($4, $5)");
        let plain = InOrder { numbered: false };
        assert_eq!(plain.marks(3, 3), "?, ?, ?");
        assert_eq!(plain.rows(2, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(marks(1, 0), "");
    }

    #[test]
    fn urls_pick_the_backend_and_hide_passwords() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://u@h/db"));
        assert!(!is_postgres_url("sqlite://data/gongzhi.db"));
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    /// The bundled SQLite is compiled as `.cargo/config.toml` asks (no allocation
    /// statistics behind a process-wide mutex; plans that do not depend on bound values).
    /// A build that lost a flag fails here.
    /// (Of SQLite's build alone: PostgreSQL has nothing to compare.)
    #[tokio::test]
    async fn the_bundled_sqlite_is_built_with_our_flags() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("database");
        let Db::Sqlite(pool) = &db else {
            unreachable!("a sqlite: URL")
        };
        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(pool)
            .await
            .expect("compile options");
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "allocation statistics are on: {options:?}"
        );
        assert!(options.iter().any(|o| o == "ENABLE_FTS5"), "{options:?}");
        assert!(options.iter().any(|o| o == "ENABLE_STAT4"), "{options:?}");
        assert!(
            options.iter().any(|o| o == "ENABLE_QPSG"),
            "plans depend on bound values: {options:?}"
        );
    }

    /// Every connection of a database file commits durably (WAL, full sync) and keeps
    /// statement journals and temporary tables in memory (a file for them cost the report
    /// writer a file created, written and deleted per batch).
    /// (SQLite's settings: PostgreSQL has no such thing to set.)
    #[tokio::test]
    async fn file_connections_sync_fully_and_keep_temporary_data_in_memory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/settings.db", dir.path().display());
        let db = Db::connect(&url, 2).await.expect("database");
        let Db::Sqlite(pool) = &db else {
            unreachable!("a sqlite: URL")
        };
        // Both connections of the pool, held at once.
        let mut a = pool.acquire().await.expect("first connection");
        let mut b = pool.acquire().await.expect("second connection");
        for c in [&mut a, &mut b] {
            let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(&mut **c)
                .await
                .expect("journal_mode");
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&mut **c)
                .await
                .expect("synchronous");
            let temp: i64 = sqlx::query_scalar("PRAGMA temp_store")
                .fetch_one(&mut **c)
                .await
                .expect("temp_store");
            assert_eq!((journal.as_str(), sync, temp), ("wal", 2, 2));
        }
        drop((a, b));
        db.close().await;
    }

    /// Kept connections read what the pool's connections committed a moment before (each
    /// read is its own snapshot, whatever their page caches held), serve a second read
    /// while the first holds a connection, start again on a fresh connection after a
    /// statement failed, and refuse once the pool is closed.
    /// (SQLite's alone: PostgreSQL reads on its pool.)
    #[tokio::test]
    async fn kept_connections_read_the_latest_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/kept.db", dir.path().display());
        let db = Db::connect(&url, 4).await.expect("database");
        let Db::Sqlite(pool) = &db else {
            unreachable!("a sqlite: URL")
        };
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(pool)
            .await
            .expect("table");
        let kept = KeptConnections::default();
        let count = || {
            kept.read(pool, |c| {
                Box::pin(async move {
                    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM t")
                        .fetch_one(&mut *c)
                        .await
                })
            })
        };
        for n in 0..3 {
            assert_eq!(count().await.expect("count"), n);
            sqlx::query("INSERT INTO t (n) VALUES (1)")
                .execute(pool)
                .await
                .expect("insert");
        }

        // One read holds a kept connection; another is served meanwhile.
        let (held, release) = tokio::sync::oneshot::channel::<()>();
        let holding = kept.read(pool, |c| {
            Box::pin(async move {
                let n = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM t")
                    .fetch_one(&mut *c)
                    .await;
                let _ = release.await;
                n
            })
        });
        let second = async {
            let n = count().await;
            let _ = held.send(());
            n
        };
        let (first, second) = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            futures::future::join(holding, second),
        )
        .await
        .expect("the second read waited for the first");
        assert_eq!((first.expect("first"), second.expect("second")), (3, 3));

        let failed = kept
            .read(pool, |c| {
                Box::pin(async move {
                    sqlx::query_scalar::<_, i64>("SELECT n FROM no_such_table")
                        .fetch_one(&mut *c)
                        .await
                })
            })
            .await;
        assert!(failed.is_err(), "{failed:?}");
        assert_eq!(count().await.expect("count after a failure"), 3);

        pool.close().await;
        assert!(matches!(count().await, Err(sqlx::Error::PoolClosed)));
    }
}
