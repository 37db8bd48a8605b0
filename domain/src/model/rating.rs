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
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Report => "report",
            Subject::Answer => "answer",
            Subject::Service => "service",
        }
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
