//! Time in one place: UTC, truncated to microseconds so SQLite and PostgreSQL store the
//! same value and text comparisons in SQLite stay in order.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

/// The start of a local calendar day (the city is `offset_minutes` east of UTC), in UTC.
pub fn day_start(date: NaiveDate, offset_minutes: i32) -> DateTime<Utc> {
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    DateTime::<Utc>::from_naive_utc_and_offset(local, Utc)
        - chrono::Duration::minutes(i64::from(offset_minutes))
}

/// The UTC bounds `[start, end)` of the local days `from` to `to` (both included); a missing
/// end is open (the epoch, or the year 9999).
pub fn day_bounds(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    offset_minutes: i32,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = from
        .map(|d| day_start(d, offset_minutes))
        .unwrap_or(DateTime::UNIX_EPOCH);
    let end = to
        .and_then(|d| d.succ_opt())
        .map(|d| day_start(d, offset_minutes))
        .or_else(|| DateTime::from_timestamp(253_402_300_799, 0))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    (start, end)
}

/// The current UTC time at microsecond precision.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}
