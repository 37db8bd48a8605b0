//! Rate limits on sign-in, sign-up, password-reset requests and new reports, kept in the database so
//! they hold across restarts and across several server instances.

use chrono::Duration;

use crate::db::Db;
use crate::error::Error;
use crate::time::now;
use crate::with_db;

/// How many attempts are allowed per window. Defaults follow common practice (OWASP
/// Authentication Cheat Sheet): a handful of failures per account, more per address since
/// many residents may share one network (a library, an office).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Failed sign-ins per account (by email) per window.
    pub login_per_account: u32,
    /// Failed sign-ins per client IP per window.
    pub login_per_ip: u32,
    pub login_window: Duration,
    /// Sign-ups per client IP per window.
    pub signup_per_ip: u32,
    pub signup_window: Duration,
    /// Password-reset requests per IP and per account per window.
    pub reset_per_ip: u32,
    pub reset_per_account: u32,
    pub reset_window: Duration,
    /// New reports per client IP and per account per window (anonymous reports count by IP).
    pub report_per_ip: u32,
    pub report_per_account: u32,
    pub report_window: Duration,
    /// Reporters' follow-ups per report per window.
    pub follow_up_per_report: u32,
    pub follow_up_window: Duration,
    /// New proposals per account per window.
    pub proposal_per_account: u32,
    pub proposal_window: Duration,
    /// Comments per account per window.
    pub comment_per_account: u32,
    pub comment_window: Duration,
    /// Comments and proposals per client IP per window (many residents may share one).
    pub post_per_ip: u32,
    pub post_window: Duration,
    /// Questions to departments per account per window.
    pub question_per_account: u32,
    pub question_window: Duration,
    /// Flags per account per window.
    pub flag_per_account: u32,
    pub flag_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            login_per_account: 5,
            login_per_ip: 30,
            login_window: Duration::minutes(15),
            signup_per_ip: 10,
            signup_window: Duration::hours(1),
            reset_per_ip: 10,
            reset_per_account: 3,
            reset_window: Duration::hours(1),
            report_per_ip: 30,
            report_per_account: 20,
            report_window: Duration::hours(1),
            follow_up_per_report: 10,
            follow_up_window: Duration::hours(1),
            proposal_per_account: 10,
            proposal_window: Duration::hours(1),
            comment_per_account: 30,
            comment_window: Duration::hours(1),
            post_per_ip: 120,
            post_window: Duration::hours(1),
            question_per_account: 10,
            question_window: Duration::hours(1),
            flag_per_account: 30,
            flag_window: Duration::hours(1),
        }
    }
}

/// What a counted attempt is about.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    LoginIp,
    LoginAccount,
    SignupIp,
    ResetIp,
    ResetAccount,
    ReportIp,
    ReportAccount,
    FollowUp,
    ProposalAccount,
    CommentAccount,
    PostIp,
    FlagAccount,
    QuestionAccount,
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::LoginIp => "login_ip",
            Scope::LoginAccount => "login_account",
            Scope::SignupIp => "signup_ip",
            Scope::ResetIp => "reset_ip",
            Scope::ResetAccount => "reset_account",
            Scope::ReportIp => "report_ip",
            Scope::ReportAccount => "report_account",
            Scope::FollowUp => "follow_up",
            Scope::ProposalAccount => "proposal_account",
            Scope::CommentAccount => "comment_account",
            Scope::PostIp => "post_ip",
            Scope::FlagAccount => "flag_account",
            Scope::QuestionAccount => "question_account",
        }
    }
}

/// A resident's post (a proposal, a comment, a question): counted per account under its own
/// scope and, when the client's address is known, under the per-address limit all posts
/// share (many residents may share one address, so that limit is higher).
pub struct Post<'a> {
    pub scope: Scope,
    pub account: i64,
    pub max: u32,
    pub window: Duration,
    /// The client's address (empty: not counted).
    pub ip: &'a str,
}

impl Post<'_> {
    /// Refuses with [`Error::RateLimited`] when either limit is reached.
    pub async fn check(&self, db: &Db, limits: &Limits) -> Result<(), Error> {
        check(
            db,
            self.scope,
            &self.account.to_string(),
            self.max,
            self.window,
        )
        .await?;
        if !self.ip.is_empty() {
            check(
                db,
                Scope::PostIp,
                self.ip,
                limits.post_per_ip,
                limits.post_window,
            )
            .await?;
        }
        Ok(())
    }

    /// Counts the post, once it is saved.
    pub async fn record(&self, db: &Db) -> Result<(), Error> {
        record(db, self.scope, &self.account.to_string()).await?;
        if !self.ip.is_empty() {
            record(db, Scope::PostIp, self.ip).await?;
        }
        Ok(())
    }
}

/// Whether a statement that finds attempts (by key or by time) may be kept prepared on
/// `db`. Not on PostgreSQL: `auth_attempts` starts empty and grows by thousands in a storm
/// of reports, and the plan PostgreSQL makes for a prepared statement (and keeps for the
/// connection's life) while the table is small reads the whole table every time, 1 to 6 ms
/// a request after a few thousand attempts, until autovacuum happens to analyze it. A
/// statement planned for each execution sees the table's size and takes the index. SQLite
/// takes the index whatever the table's size. (The new report's read, by far the most
/// frequent, is kept prepared on both: the report writer, which writes nearly all
/// attempts in a storm, keeps the table's statistics current.)
pub(crate) fn keep_prepared(db: &Db) -> bool {
    matches!(db, Db::Sqlite(_))
}

/// Refuses with [`Error::RateLimited`] when `key` already has `max` attempts in `window`.
pub async fn check(
    db: &Db,
    scope: Scope,
    key: &str,
    max: u32,
    window: Duration,
) -> Result<(), Error> {
    let since = now() - window;
    let (count, oldest): (i64, Option<chrono::DateTime<chrono::Utc>>) = with_db!(db, p => {
        sqlx::query_as(
            "SELECT count(*), min(at) FROM auth_attempts WHERE scope = $1 AND key = $2 AND at > $3",
        )
        .bind(scope.as_str())
        .bind(key)
        .bind(since)
        .persistent(keep_prepared(db))
        .fetch_one(p)
        .await
    })?;
    verdict(count, oldest, max, window)
}

/// The two columns `count, oldest` of the attempts of one key in a window, to read as
/// part of a larger statement; binds `$first`: scope, `$first+1`: key, `$first+2`: the
/// window's start.
pub(crate) fn window_columns(first: usize) -> String {
    let w = format!(
        "FROM auth_attempts WHERE scope = ${first} AND key = ${} AND at > ${}",
        first + 1,
        first + 2
    );
    format!("(SELECT count(*) {w}), (SELECT min(at) {w})")
}

/// Refuses with [`Error::RateLimited`] when `count` attempts (the oldest at `oldest`) in
/// `window` reach `max`.
pub(crate) fn verdict(
    count: i64,
    oldest: Option<chrono::DateTime<chrono::Utc>>,
    max: u32,
    window: Duration,
) -> Result<(), Error> {
    if count >= i64::from(max) {
        let retry = oldest
            .map(|o| (o + window - now()).num_seconds().max(1))
            .unwrap_or(60);
        return Err(Error::RateLimited {
            retry_after_secs: retry as u64,
        });
    }
    Ok(())
}

/// Counts one attempt (binds: scope, key, time).
pub(crate) const RECORD_SQL: &str =
    "INSERT INTO auth_attempts (scope, key, at) VALUES ($1, $2, $3)";
/// Forgets attempts older than [`forget_before`] (bind: that time).
pub(crate) const FORGET_SQL: &str = "DELETE FROM auth_attempts WHERE at < $1";

/// Attempts before this time no longer count for anything.
pub(crate) fn forget_before(t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    t - Duration::days(1)
}

/// Counts one attempt, and forgets attempts older than a day.
pub async fn record(db: &Db, scope: Scope, key: &str) -> Result<(), Error> {
    let t = now();
    // Two writes: wait for this process's turn rather than poll SQLite's lock behind a
    // stream of reports.
    let _turn = crate::db::turn(db).await?;
    with_db!(db, p => {
        sqlx::query(RECORD_SQL)
            .bind(scope.as_str())
            .bind(key)
            .bind(t)
            .execute(p)
            .await.map(|r| r.rows_affected())?;
        sqlx::query(FORGET_SQL)
            .bind(forget_before(t))
            .persistent(keep_prepared(db))
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Forgets the attempts of `key`, e.g. an account's failures after it signs in.
pub async fn clear(db: &Db, scope: Scope, key: &str) -> Result<(), Error> {
    with_db!(db, p => {
        sqlx::query("DELETE FROM auth_attempts WHERE scope = $1 AND key = $2")
            .bind(scope.as_str())
            .bind(key)
            .persistent(keep_prepared(db))
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}
