//! The back office of the case bridge as admins see it: jobs (the queue itself is
//! `crate::jobs`, on the server only) and Open311 API keys.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A job as admins see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: DateTime<Utc>,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// How many jobs are in each state; `failing` counts queued jobs that failed at least once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct JobCounts {
    pub queued: i64,
    pub failing: i64,
    pub running: i64,
    pub dead: i64,
    pub done: i64,
}

/// Which jobs an admin looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobView {
    /// Waiting for their first try.
    Queued,
    /// Failed at least once, will be tried again.
    Failing,
    Running,
    Dead,
}

impl JobView {
    pub fn parse(s: &str) -> Option<JobView> {
        Some(match s {
            "queued" => JobView::Queued,
            "failing" => JobView::Failing,
            "running" => JobView::Running,
            "dead" => JobView::Dead,
            _ => return None,
        })
    }
}

/// An Open311 API key as admins see it (never the key itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub key_prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}
