//! Time in one place: UTC, truncated to microseconds so SQLite and PostgreSQL store the
//! same value and text comparisons in SQLite stay in order.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

/// The start of a local calendar day (the city is `offset_minutes` east of UTC), in UTC.
pub fn day_start(date: NaiveDate, offset_minutes: i32) -> DateTime<Utc> {
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    DateTime::<Utc>::from_naive_utc_and_offset(local, Utc)
        - chrono::Duration::minutes(i64::from(offset_minutes))
}

/// The current UTC time at microsecond precision.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}
