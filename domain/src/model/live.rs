//! Live Q&A sessions (网络问政直播) as pages and browsers see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest title of a session.
pub const TITLE_MAX: usize = 200;
/// The longest description of a session.
pub const DESCRIPTION_MAX: usize = 2000;
/// The longest question in a live session.
pub const QUESTION_MAX: usize = 500;
/// The longest live answer.
pub const ANSWER_MAX: usize = 5000;
/// The longest session, in hours.
pub const LONGEST_HOURS: i64 = 12;
/// Most questions a session page shows.
pub const QUESTIONS_MAX: i64 = 500;

/// Where a session stands in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Upcoming,
    Live,
    /// Over: a read-only archive.
    Archived,
    /// Called off before it started.
    Cancelled,
}

impl State {
    pub fn at(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, t: DateTime<Utc>) -> State {
        if t < starts_at {
            State::Upcoming
        } else if t < ends_at {
            State::Live
        } else {
            State::Archived
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Upcoming => "upcoming",
            State::Live => "live",
            State::Archived => "archived",
            State::Cancelled => "cancelled",
        }
    }
}

/// A session in lists and on its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub department_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub state: State,
    pub question_count: i64,
    /// When an admin called it off, and the public note why.
    #[serde(default)]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub cancel_note: String,
}

/// A question's place in a live session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    Waiting,
    /// The department is answering it now.
    Answering,
    Answered,
}

impl QuestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::Waiting => "waiting",
            QuestionStatus::Answering => "answering",
            QuestionStatus::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> QuestionStatus {
        match s {
            "answering" => QuestionStatus::Answering,
            "answered" => QuestionStatus::Answered,
            _ => QuestionStatus::Waiting,
        }
    }
}

/// One question of a live session, as every browser is sent it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveQuestion {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub votes: i64,
    pub status: QuestionStatus,
    pub answer_html: String,
    pub answered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Waiting for review (only its author sees it).
    #[serde(default)]
    pub held: bool,
}

/// The ranking: most votes first, then the earliest.
pub fn rank(questions: &mut [LiveQuestion]) {
    questions.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.id.cmp(&b.id)));
}

/// What happened in a session, as the event stream carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// Increasing: a browser that reconnects asks for the events after the last it saw.
    pub id: i64,
    pub session_id: i64,
    /// question (new), votes, status, answer.
    pub kind: String,
    /// The question after the change.
    pub question: LiveQuestion,
}

/// A session's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionPage {
    pub session: Session,
    /// Ranked.
    pub questions: Vec<LiveQuestion>,
    /// The questions the viewer upvoted.
    pub voted: Vec<i64>,
    /// The newest event, where a browser's stream starts.
    pub last_event: i64,
    pub signed_in: bool,
    /// An official of the session's department, while it is live.
    pub can_answer: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn q(id: i64, votes: i64) -> LiveQuestion {
        LiveQuestion {
            id,
            body: String::new(),
            author_name: None,
            votes,
            status: QuestionStatus::Waiting,
            answer_html: String::new(),
            answered_at: None,
            created_at: Utc::now(),
            held: false,
        }
    }

    #[test]
    fn most_votes_first_then_the_earliest() {
        let mut list = vec![q(1, 2), q(2, 5), q(3, 2), q(4, 0)];
        rank(&mut list);
        assert_eq!(
            list.iter().map(|q| q.id).collect::<Vec<_>>(),
            vec![2, 1, 3, 4]
        );
    }

    #[test]
    fn state_follows_the_window() {
        let t = Utc::now();
        let (s, e) = (t, t + Duration::hours(1));
        assert_eq!(State::at(s, e, t - Duration::seconds(1)), State::Upcoming);
        assert_eq!(State::at(s, e, t), State::Live);
        assert_eq!(State::at(s, e, e), State::Archived);
    }
}
