//! Published results: what the results page, department pages and open data show, and the
//! rules that turn stored counts into them.
//!
//! Periods are whole months of the city's local calendar. Times to close and to answer are
//! counted in classes (by the hour up to a day, by six hours up to a week, by the day up
//! to 60 days, by the week up to 368 days, then one class for longer), so that medians
//! and 90th percentiles come from counts kept as things happen instead of a scan of every
//! report; a percentile is the upper bound of the class it falls in ("half were closed
//! within 3 days").

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::rating::{Level, Subject};

/// A month of the city's calendar, e.g. 2026-11.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `YYYY-MM`; anything else, or a month outside 1..=12 or years 2000..=2100, is `None`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// The stored key, `YYYY-MM`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day() - Duration::days(1)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// `n` months before this one.
    pub fn back(self, n: u32) -> Month {
        let total = self.year * 12 + self.month as i32 - 1 - n as i32;
        Month {
            year: total.div_euclid(12),
            month: total.rem_euclid(12) as u32 + 1,
        }
    }
}

/// A period of whole months, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    /// The twelve months up to and including `this`.
    pub fn last_twelve(this: Month) -> Period {
        Period {
            from: this.back(11),
            to: this,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.from.first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.to.last_day()
    }

    /// Every month of the period, in order (at most 1,200).
    pub fn months(self) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self.from;
        while m <= self.to && out.len() < 1200 {
            out.push(m);
            m = m.next();
        }
        out
    }
}

/// How many duration classes there are; the last is "longer than 368 days".
pub const CLASSES: i64 = 146;

/// The class of a duration in seconds (1 ..= [`CLASSES`]).
pub fn class_of(secs: i64) -> i64 {
    const H: i64 = 3600;
    const D: i64 = 24 * H;
    let s = secs.max(1);
    // Whole units, rounded up.
    let up = |unit: i64| (s + unit - 1) / unit;
    if s <= D {
        up(H)
    } else if s <= 7 * D {
        24 + up(6 * H) - 4
    } else if s <= 60 * D {
        48 + up(D) - 7
    } else if s <= 368 * D {
        101 + (s - 60 * D + 7 * D - 1) / (7 * D)
    } else {
        CLASSES
    }
}

/// The longest duration a class holds, in seconds; `None` for the last, open-ended class.
pub fn class_upper(class: i64) -> Option<i64> {
    const H: i64 = 3600;
    const D: i64 = 24 * H;
    match class {
        c if c <= 24 => Some(c.max(1) * H),
        c if c <= 48 => Some(D + (c - 24) * 6 * H),
        c if c <= 101 => Some(7 * D + (c - 48) * D),
        c if c < CLASSES => Some(60 * D + (c - 101) * 7 * D),
        _ => None,
    }
}

/// A percentile (0 < p ≤ 1) of durations counted by class, by the nearest rank: the upper
/// bound of the class holding the ⌈p·n⌉-th shortest. `None` when nothing was counted;
/// `Some(None)` when it falls in the open-ended class.
pub fn percentile(classes: &BTreeMap<i64, i64>, p: f64) -> Option<Option<i64>> {
    let n: i64 = classes.values().sum();
    if n <= 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as i64).clamp(1, n);
    let mut seen = 0;
    for (&class, &count) in classes {
        seen += count;
        if seen >= rank {
            return Some(class_upper(class));
        }
    }
    Some(None)
}

/// What is counted for a department (or the city) over a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Reports received (by the month they were made).
    pub received: i64,
    /// Reports closed (by the month of their last closing; a reopened report counts when
    /// it closes again, not before).
    pub closed: i64,
    /// Of those, closed by their deadline.
    pub closed_on_time: i64,
    /// Time from receipt to closing, median and 90th percentile, in seconds (class upper
    /// bounds); `Some(None)` means "longer than 368 days".
    pub close_median: Option<Option<i64>>,
    pub close_p90: Option<Option<i64>>,
    /// Current ratings given in the period (a rectified report's newest round counts), by level.
    pub ratings: BTreeMap<String, i64>,
    /// The same by what was rated: `report`, `answer`, `service`.
    pub ratings_by_subject: BTreeMap<String, BTreeMap<String, i64>>,
    /// Rectifications sent back in the period, done in the period, done by their deadline.
    pub rectifications_opened: i64,
    pub rectifications_done: i64,
    pub rectifications_done_on_time: i64,
    /// Public questions asked, answered (first answer), answered on time, and the median
    /// time to the first answer in seconds.
    pub asked: i64,
    pub answered: i64,
    pub answered_on_time: i64,
    pub answer_median: Option<Option<i64>>,
}

impl Figures {
    /// Ratings given.
    pub fn rated(&self) -> i64 {
        self.ratings.values().sum()
    }

    /// Ratings of 基本满意 or better.
    pub fn satisfied(&self) -> i64 {
        satisfied_in(&self.ratings)
    }

    /// Share of closings on time (按期结案率), when anything closed.
    pub fn on_time_rate(&self) -> Option<f64> {
        share(self.closed_on_time, self.closed)
    }

    /// Share of ratings 基本满意 or better (满意率).
    pub fn satisfaction_rate(&self) -> Option<f64> {
        share(self.satisfied(), self.rated())
    }

    pub fn rectified_on_time_rate(&self) -> Option<f64> {
        share(self.rectifications_done_on_time, self.rectifications_done)
    }

    pub fn answered_on_time_rate(&self) -> Option<f64> {
        share(self.answered_on_time, self.answered)
    }
}

/// Ratings of 基本满意 or better among counts by level.
pub fn satisfied_in(levels: &BTreeMap<String, i64>) -> i64 {
    levels
        .iter()
        .filter(|(l, _)| Level::parse(l).is_some_and(Level::satisfied))
        .map(|(_, n)| n)
        .sum()
}

/// `part / whole`, when there is a whole.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The stored code of a rated subject in the counts.
pub fn subject_item(s: Subject) -> i64 {
    match s {
        Subject::Report => 1,
        Subject::Answer => 2,
        Subject::Service => 3,
    }
}

/// A category's reports over the period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryFigures {
    pub category_id: i64,
    pub received: i64,
    pub closed: i64,
    pub closed_on_time: i64,
}

/// A grid's reports over the period (`grid_id` 0: outside every grid).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GridFigures {
    pub grid_id: i64,
    pub received: i64,
    pub closed: i64,
}

/// A week (Monday to Sunday, local dates) of the trend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Week {
    /// Its Monday (weeks at the ends of the period are counted only inside it).
    pub monday: NaiveDate,
    pub received: i64,
    pub closed: i64,
    pub asked: i64,
    pub answered: i64,
}

/// Everything the results page shows for a period, for the city or one department.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub from: Option<Month>,
    pub to: Option<Month>,
    /// The department looked at; `None` for the whole city.
    pub department_id: Option<i64>,
    pub figures: Figures,
    /// Each department's figures (for the city; one entry when a department is chosen).
    pub departments: Vec<(i64, Figures)>,
    pub categories: Vec<CategoryFigures>,
    pub grids: Vec<GridFigures>,
    pub weeks: Vec<Week>,
    /// Things changed but not yet counted when the figures were read (normally 0).
    pub pending: i64,
}

/// A grid drawn for the map of reports by grid: an SVG path and where its label goes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GridShape {
    pub grid_id: i64,
    pub path: String,
    pub label_x: f64,
    pub label_y: f64,
}

/// The Monday of a date's week.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The local days a list of counted items covers (either end open), and its department.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `Some(0)` for items of no department.
    pub department: Option<i64>,
    /// Offset pages of [`ITEMS_PAGE`].
    pub page: i64,
}

/// Items per page of the counted-items lists.
pub const ITEMS_PAGE: i64 = 50;

/// Which ratings the ratings list shows: those the satisfaction figures count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RatingFilter {
    pub range: ItemRange,
    pub subject: Option<Subject>,
    /// Empty for every level.
    pub levels: Vec<Level>,
}

/// One counted rating as the public sees it: its subject and level, never its rater, comment
/// or reference number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RatedItem {
    pub id: i64,
    pub subject: Subject,
    pub subject_id: i64,
    /// A report's category, a public question's title, a service's name (empty when the
    /// question is not public).
    pub title_zh: String,
    pub title_en: String,
    /// Where the subject's page is (`/reports/…`, `/questions/…`, `/services/…`).
    pub href: String,
    pub department_id: Option<i64>,
    pub level: Level,
    /// A report's rating after rectification has round 2 or more.
    pub round: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A page of counted ratings, with the counts per level of the whole list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RatedPage {
    pub items: Vec<RatedItem>,
    pub by_level: BTreeMap<String, i64>,
    pub total: i64,
    pub page: i64,
    pub has_more: bool,
}

/// Which rectifications the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RectState {
    #[default]
    Any,
    /// Not done yet.
    Open,
    /// Not done and past its deadline.
    Overdue,
    Done,
    DoneOnTime,
    DoneLate,
}

impl RectState {
    pub const ALL: [RectState; 6] = [
        RectState::Any,
        RectState::Open,
        RectState::Overdue,
        RectState::Done,
        RectState::DoneOnTime,
        RectState::DoneLate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RectState::Any => "",
            RectState::Open => "open",
            RectState::Overdue => "overdue",
            RectState::Done => "done",
            RectState::DoneOnTime => "done_on_time",
            RectState::DoneLate => "done_late",
        }
    }

    pub fn parse(s: &str) -> Option<RectState> {
        RectState::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Which rectifications: opened in `range`'s days, or done in them (`by_done`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RectFilter {
    pub range: ItemRange,
    pub by_done: bool,
    pub state: RectState,
}

/// One rectification as the public sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RectItem {
    pub id: i64,
    pub subject: Subject,
    /// A report's category or a service's name.
    pub title_zh: String,
    pub title_en: String,
    pub href: String,
    pub department_id: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl RectItem {
    /// Done by its deadline (None while not done).
    pub fn on_time(&self) -> Option<bool> {
        self.done_at.map(|d| d <= self.due_at)
    }
}

/// A page of rectifications, with the counts of the whole list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RectPage {
    pub items: Vec<RectItem>,
    pub total: i64,
    pub done: i64,
    pub done_on_time: i64,
    pub page: i64,
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3600;
    const D: i64 = 24 * H;

    #[test]
    fn classes_run_by_hour_six_hours_day_and_week() {
        assert_eq!(class_of(0), 1);
        assert_eq!(class_of(30 * 60), 1);
        assert_eq!(class_of(H), 1);
        assert_eq!(class_of(H + 1), 2);
        assert_eq!(class_of(D), 24);
        assert_eq!(class_of(D + 1), 25);
        assert_eq!(class_of(3 * D), 32);
        assert_eq!(class_of(7 * D), 48);
        assert_eq!(class_of(7 * D + 1), 49);
        assert_eq!(class_of(60 * D), 101);
        assert_eq!(class_of(60 * D + 1), 102);
        assert_eq!(class_of(67 * D), 102);
        assert_eq!(class_of(368 * D), 145);
        assert_eq!(class_of(368 * D + 1), CLASSES);
        // Every duration lies within its class's bounds, and classes only grow.
        let mut last = 0;
        for s in (0..400 * D).step_by(1789) {
            let c = class_of(s);
            assert!(c >= last, "{s}");
            last = c;
            let upper = class_upper(c).unwrap_or(i64::MAX);
            assert!(s <= upper, "{s} above class {c}");
            if c > 1 {
                assert!(s > class_upper(c - 1).unwrap_or(0), "{s} below class {c}");
            }
        }
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let mut h = BTreeMap::new();
        assert_eq!(percentile(&h, 0.5), None);
        // 3 hours, 5 hours, 3 days, 10 days.
        for s in [3 * H, 5 * H, 3 * D, 10 * D] {
            *h.entry(class_of(s)).or_insert(0) += 1;
        }
        assert_eq!(percentile(&h, 0.5), Some(Some(5 * H)));
        assert_eq!(percentile(&h, 0.9), Some(Some(10 * D)));
        h.insert(CLASSES, 10);
        assert_eq!(percentile(&h, 0.9), Some(None));
    }

    #[test]
    fn months_parse_step_and_bound() {
        let m = Month::parse("2026-01").unwrap();
        assert_eq!(m.back(1).key(), "2025-12");
        assert_eq!(m.back(13).key(), "2024-12");
        assert_eq!(Month::parse("2026-12").unwrap().next().key(), "2027-01");
        assert_eq!(
            Month::parse("2026-02").unwrap().last_day().to_string(),
            "2026-02-28"
        );
        for bad in ["2026-13", "2026-1", "26-01", "x", "1999-01", ""] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let p = Period::last_twelve(Month::parse("2026-11").unwrap());
        assert_eq!(p.from.key(), "2025-12");
        assert_eq!(p.months().len(), 12);
    }

    #[test]
    fn rates_need_a_whole() {
        let mut f = Figures::default();
        assert_eq!(f.on_time_rate(), None);
        assert_eq!(f.satisfaction_rate(), None);
        f.closed = 4;
        f.closed_on_time = 3;
        f.ratings.insert("basic".into(), 1);
        f.ratings.insert("dissatisfied".into(), 1);
        assert_eq!(f.on_time_rate(), Some(0.75));
        assert_eq!(f.satisfaction_rate(), Some(0.5));
    }
}
