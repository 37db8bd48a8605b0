//! Satisfaction ratings (好差评) in the five national levels, the shape every rated subject
//! (closed reports, answers to questions, government services) shares.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The five levels, best first: 非常满意, 满意, 基本满意, 不满意, 非常不满意.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    VerySatisfied,
    Satisfied,
    Basic,
    Dissatisfied,
    VeryDissatisfied,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::Basic,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::Basic => "basic",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// 基本满意 or better: what the satisfaction rate counts.
    pub fn satisfied(self) -> bool {
        matches!(self, Level::VerySatisfied | Level::Satisfied | Level::Basic)
    }

    /// 不满意 or 非常不满意: a poor rating, which sends work back.
    pub fn poor(self) -> bool {
        !self.satisfied()
    }

    /// A score for averages: 5 (非常满意) down to 1 (非常不满意).
    pub fn score(self) -> i64 {
        match self {
            Level::VerySatisfied => 5,
            Level::Satisfied => 4,
            Level::Basic => 3,
            Level::Dissatisfied => 2,
            Level::VeryDissatisfied => 1,
        }
    }
}

/// What is rated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Report,
    Answer,
    Service,
}

impl Subject {
    pub const ALL: [Subject; 3] = [Subject::Report, Subject::Answer, Subject::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Report => "report",
            Subject::Answer => "answer",
            Subject::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Days during which a rater may change their rating.
pub const CHANGE_DAYS: i64 = 7;
/// The longest comment on a rating.
pub const COMMENT_MAX: usize = 500;

/// One rating as its rater sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub level: Level,
    pub speed: Option<Level>,
    pub result: Option<Level>,
    pub attitude: Option<Level>,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Still changeable (within [`CHANGE_DAYS`] of the first rating).
    pub changeable: bool,
}

/// One round's rating of a report, as its page shows it (the comment only to its reporter).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoundRating {
    pub round: i64,
    pub rating: Rating,
}

/// Work a poor rating sent back (整改): its deadline and when it was done.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    /// The round whose rating sent it back.
    pub round: i64,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// What the department did (services).
    pub done_note: String,
}

impl Rectification {
    /// Done by its deadline (None while not done).
    pub fn on_time(&self) -> Option<bool> {
        self.done_at.map(|d| d <= self.due_at)
    }
}

/// A report's ratings and rectifications, oldest first, and the round its reporter may
/// rate now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportRatings {
    pub rounds: Vec<RoundRating>,
    pub rectifications: Vec<Rectification>,
    /// The report is closed and its reporter may rate this round (a first rating, or a
    /// change within the days allowed).
    pub open_round: Option<i64>,
    /// Working days a rectification has.
    #[serde(default)]
    pub rectify_days: i64,
}

impl ReportRatings {
    /// The rating of `round`, if given.
    pub fn of_round(&self, round: i64) -> Option<&Rating> {
        self.rounds
            .iter()
            .find(|r| r.round == round)
            .map(|r| &r.rating)
    }
}

/// The longest code, name and description of a government service.
pub const SERVICE_CODE_MAX: usize = 40;
pub const SERVICE_NAME_MAX: usize = 100;
pub const SERVICE_DESCRIPTION_MAX: usize = 1000;
/// The longest case or reference number on a service rating.
pub const REFERENCE_MAX: usize = 64;
/// The longest account of what a department did to rectify.
pub const RECTIFY_NOTE_MAX: usize = 2000;

/// A government service residents rate, run by one department.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Service {
    pub id: i64,
    pub department_id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub active: bool,
}

impl Service {
    pub fn name(&self, lang: crate::model::Lang) -> &str {
        match lang {
            crate::model::Lang::Zh => &self.name_zh,
            crate::model::Lang::En => &self.name_en,
        }
    }

    pub fn description(&self, lang: crate::model::Lang) -> &str {
        match lang {
            crate::model::Lang::Zh => &self.description_zh,
            crate::model::Lang::En => &self.description_en,
        }
    }
}

/// A service's ratings and rectifications, counted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct ServiceFigures {
    pub ratings: i64,
    /// Rated 基本满意 or better.
    pub satisfied: i64,
    /// Sum of the scores (5 … 1), for the average.
    pub score_sum: i64,
    pub rectifications: i64,
    pub rectified: i64,
    pub rectified_on_time: i64,
}

impl ServiceFigures {
    /// The satisfaction rate (share rated 基本满意 or better).
    pub fn satisfaction(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.satisfied as f64 / self.ratings as f64)
    }

    /// The average score, 5 (非常满意) to 1 (非常不满意).
    pub fn average(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.score_sum as f64 / self.ratings as f64)
    }
}

/// One of the viewer's own ratings of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnServiceRating {
    pub reference: String,
    pub rating: Rating,
}

/// A poor service rating sent to the department: what was rated, why, by when, and (once
/// done) what the department did. The rater's words go to the department only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceRectification {
    pub id: i64,
    pub service_id: i64,
    pub service_code: String,
    pub service_name_zh: String,
    pub service_name_en: String,
    pub level: Level,
    /// For the department; empty on public pages.
    pub comment: String,
    pub reference: String,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip_and_split_at_basic() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        assert_eq!(Level::parse("meh"), None);
        let satisfied: Vec<_> = Level::ALL.into_iter().filter(|l| l.satisfied()).collect();
        assert_eq!(
            satisfied,
            vec![Level::VerySatisfied, Level::Satisfied, Level::Basic]
        );
        assert!(Level::Dissatisfied.poor() && Level::VeryDissatisfied.poor());
        assert_eq!(
            Level::ALL.map(Level::score),
            [5, 4, 3, 2, 1],
            "scores run from best to worst"
        );
    }
}
