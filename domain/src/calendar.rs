//! Working days: the city's week (Monday to Friday), its public holidays, and the weekend
//! days it makes working days (调休). Deadlines such as "answer within 5 working days" are
//! counted here.
//!
//! A deadline of `n` working days starts counting on the first working day after the day
//! something arrives (by the city's local date) and ends at the close of the `n`-th: asked on
//! a Monday, 5 working days are due by the end of the next Monday; asked on a Saturday, by
//! the end of Friday.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

pub use crate::model::question::DayKind;

/// The longest deadline counted, in working days (a guard against endless loops).
pub const MAX_DAYS: u32 = 60;

/// The city's working calendar.
#[derive(Clone, Debug, Default)]
pub struct Calendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
    /// The city's offset from UTC, in minutes east.
    pub offset_minutes: i32,
}

impl Calendar {
    pub fn new(
        offset_minutes: i32,
        exceptions: impl IntoIterator<Item = (NaiveDate, DayKind)>,
    ) -> Self {
        Calendar {
            exceptions: exceptions.into_iter().collect(),
            offset_minutes,
        }
    }

    /// Whether people work on the day.
    pub fn is_working(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The city's local date at `t`.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        (t + Duration::minutes(i64::from(self.offset_minutes))).date_naive()
    }

    /// The `n`-th working day after the local date of `from` (`n` ≥ 1, at most [`MAX_DAYS`]).
    pub fn nth_working_day_after(&self, from: DateTime<Utc>, n: u32) -> NaiveDate {
        let n = n.clamp(1, MAX_DAYS);
        let mut day = self.local_date(from);
        let mut counted = 0;
        // A year of holidays cannot hold more than 366 days; the bound keeps a bad calendar
        // (every day a holiday) from looping forever.
        for _ in 0..(n as usize + 400) {
            day = day.succ_opt().unwrap_or(day);
            if self.is_working(day) {
                counted += 1;
                if counted == n {
                    break;
                }
            }
        }
        day
    }

    /// When something arriving at `from` is due, `n` working days on: the end of that day in
    /// the city's time (the start of the next local day, as UTC).
    pub fn due(&self, from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
        let last = self.nth_working_day_after(from, n);
        crate::time::day_start(last.succ_opt().unwrap_or(last), self.offset_minutes)
    }

    /// The end of local day `day` (the start of the next), in UTC.
    pub fn end_of(&self, day: NaiveDate) -> DateTime<Utc> {
        crate::time::day_start(day.succ_opt().unwrap_or(day), self.offset_minutes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Beijing time (UTC+8) at the given local date and hour.
    fn bj(y: i32, m: u32, day: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, day, h, 0, 0).unwrap() - Duration::hours(8)
    }

    #[test]
    fn five_working_days_skip_the_weekend() {
        let cal = Calendar::new(480, []);
        // 2026-11-23 is a Monday: due by the end of Monday 2026-11-30 (Beijing time).
        let due = cal.due(bj(2026, 11, 23, 10), 5);
        assert_eq!(due, bj(2026, 12, 1, 0));
        // Asked on Friday evening: Mon..Fri of the next week.
        assert_eq!(
            cal.nth_working_day_after(bj(2026, 11, 27, 23), 5),
            d(2026, 12, 4)
        );
        // Asked on Saturday or Sunday: the same Friday.
        assert_eq!(
            cal.nth_working_day_after(bj(2026, 11, 28, 9), 5),
            d(2026, 12, 4)
        );
        assert_eq!(
            cal.nth_working_day_after(bj(2026, 11, 29, 9), 5),
            d(2026, 12, 4)
        );
        // One working day from Friday is Monday.
        assert_eq!(
            cal.nth_working_day_after(bj(2026, 11, 27, 9), 1),
            d(2026, 11, 30)
        );
    }

    #[test]
    fn local_date_not_utc_date_starts_the_count() {
        let cal = Calendar::new(480, []);
        // 2026-11-23 01:00 in Beijing is still Sunday 22 November in UTC; the count starts
        // from the local Monday.
        let t = bj(2026, 11, 23, 1);
        assert_eq!(t.date_naive(), d(2026, 11, 22));
        assert_eq!(cal.nth_working_day_after(t, 1), d(2026, 11, 24));
    }

    #[test]
    fn holidays_are_skipped_and_make_up_workdays_count() {
        // National Day week 2026: 1–7 October off; Saturday 10 October worked (调休).
        let mut days: Vec<_> = (1..=7)
            .map(|n| (d(2026, 10, n), DayKind::Holiday))
            .collect();
        days.push((d(2026, 10, 10), DayKind::Workday));
        let cal = Calendar::new(480, days);
        assert!(!cal.is_working(d(2026, 10, 1)), "Thursday holiday");
        assert!(cal.is_working(d(2026, 10, 10)), "Saturday worked");
        assert!(!cal.is_working(d(2026, 10, 11)), "Sunday rest");
        // Asked on Wednesday 30 September: Thu 1 – Wed 7 are off, so day 1 is Thu 8, day 2
        // Fri 9, day 3 Sat 10 (worked), day 4 Mon 12, day 5 Tue 13.
        assert_eq!(
            cal.nth_working_day_after(bj(2026, 9, 30, 15), 5),
            d(2026, 10, 13)
        );
        assert_eq!(cal.due(bj(2026, 9, 30, 15), 5), bj(2026, 10, 14, 0));
    }

    #[test]
    fn a_calendar_without_working_days_still_ends() {
        let days = (0..800).map(|n| (d(2026, 1, 1) + Duration::days(n), DayKind::Holiday));
        let cal = Calendar::new(0, days);
        let day = cal.nth_working_day_after(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), 5);
        assert!(day > d(2026, 1, 1));
    }
}
