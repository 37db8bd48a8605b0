//! Time in one place: UTC, truncated to microseconds so SQLite and PostgreSQL store the
//! same value and text comparisons in SQLite stay in order.

use chrono::{DateTime, Timelike, Utc};

/// The current UTC time at microsecond precision.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}
