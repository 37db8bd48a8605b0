//! Ask the government (网络问政) as pages show it: questions, their timelines and answers.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::deliberation::Visibility;
use super::moderation::HiddenWhy;
use super::rating::Rating;

/// The longest title of a question.
pub const TITLE_MAX: usize = 200;
/// The longest details of a question, and of the asker's follow-up.
pub const BODY_MAX: usize = 2000;
/// The longest answer.
pub const ANSWER_MAX: usize = 10_000;
/// The longest public note on a hand-over or "being looked into".
pub const NOTE_MAX: usize = 500;
/// Questions on one list page.
pub const PAGE_SIZE: i64 = 30;
/// The default answer deadline, in working days.
pub const DEFAULT_ANSWER_DAYS: i64 = 5;

/// Where a question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The asker was not sure which department; an admin routes it.
    Routing,
    /// With the department, waiting for its answer.
    Open,
    /// The department said it is looking into it, with the date it expects to answer.
    LookingInto,
    Answered,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Routing,
        Status::Open,
        Status::LookingInto,
        Status::Answered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Routing => "routing",
            Status::Open => "open",
            Status::LookingInto => "looking_into",
            Status::Answered => "answered",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The list's "which questions" filter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    #[default]
    All,
    Answered,
    Unanswered,
    /// Unanswered past the department's deadline.
    Overdue,
    /// Waiting for an admin to choose the department.
    Routing,
}

impl Show {
    pub const ALL: [Show; 5] = [
        Show::All,
        Show::Answered,
        Show::Unanswered,
        Show::Overdue,
        Show::Routing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Answered => "answered",
            Show::Unanswered => "unanswered",
            Show::Overdue => "overdue",
            Show::Routing => "routing",
        }
    }

    pub fn parse(s: &str) -> Show {
        Show::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or_default()
    }
}

/// The list's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Most "I want to know too" first.
    Wanted,
    #[default]
    Newest,
    /// Unanswered questions, longest waiting first.
    OldestUnanswered,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Wanted, Sort::Newest, Sort::OldestUnanswered];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Wanted => "wanted",
            Sort::Newest => "newest",
            Sort::OldestUnanswered => "oldest_unanswered",
        }
    }

    pub fn parse(s: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or_default()
    }
}

/// What the public list is asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub department: Option<i64>,
    pub show: Show,
    pub sort: Sort,
    /// Words to find in titles and details.
    pub q: String,
    /// Asked on or after / on or before these local dates.
    pub asked_from: Option<chrono::NaiveDate>,
    pub asked_to: Option<chrono::NaiveDate>,
    /// First answered on or after / on or before these local dates.
    pub answered_from: Option<chrono::NaiveDate>,
    pub answered_to: Option<chrono::NaiveDate>,
    /// Zero-based page.
    pub page: i64,
}

/// A question in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub id: i64,
    pub title: String,
    pub department_id: Option<i64>,
    pub status: Status,
    pub want_count: i64,
    pub comment_count: i64,
    pub visibility: Visibility,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One page of questions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuestionPage {
    pub items: Vec<QuestionSummary>,
    pub total: i64,
    pub page: i64,
    pub has_more: bool,
}

/// Why a department's officials (or the admins) were told of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxDetail {
    /// It reached the department: published, routed or handed over to it.
    Received,
    /// The asker's follow-up gave it back to the department.
    FollowUp,
    /// Its deadline is near.
    DueSoon,
    /// Its deadline has passed.
    Overdue,
    /// It waits for an admin to choose the department.
    Routing,
}

impl InboxDetail {
    pub const ALL: [InboxDetail; 5] = [
        InboxDetail::Received,
        InboxDetail::FollowUp,
        InboxDetail::DueSoon,
        InboxDetail::Overdue,
        InboxDetail::Routing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboxDetail::Received => "received",
            InboxDetail::FollowUp => "follow_up",
            InboxDetail::DueSoon => "due_soon",
            InboxDetail::Overdue => "overdue",
            InboxDetail::Routing => "routing",
        }
    }

    pub fn parse(s: &str) -> Option<InboxDetail> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// What happened to a question, on its public timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Asked,
    /// Passed review and became public.
    Published,
    /// An admin chose the department.
    Routed,
    /// A department handed it to another, with a public note.
    HandedOver,
    LookingInto,
    Answered,
    AnswerEdited,
    /// The asker's follow-up reopened it.
    FollowUp,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::Asked,
        EventKind::Published,
        EventKind::Routed,
        EventKind::HandedOver,
        EventKind::LookingInto,
        EventKind::Answered,
        EventKind::AnswerEdited,
        EventKind::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Asked => "asked",
            EventKind::Published => "published",
            EventKind::Routed => "routed",
            EventKind::HandedOver => "handed_over",
            EventKind::LookingInto => "looking_into",
            EventKind::Answered => "answered",
            EventKind::AnswerEdited => "answer_edited",
            EventKind::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One public timeline entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub department_id: Option<i64>,
    pub from_department_id: Option<i64>,
    pub note: String,
    pub expected_on: Option<NaiveDate>,
    pub at: DateTime<Utc>,
}

/// An earlier wording of an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub body_html: String,
    pub written_at: DateTime<Utc>,
    pub replaced_at: DateTime<Utc>,
}

/// A department's public answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub id: i64,
    pub department_id: i64,
    /// Markdown as typed: only sent to those who may edit it.
    pub body: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Answered by the deadline the department had.
    pub on_time: bool,
    /// Earlier wordings, oldest first.
    pub revisions: Vec<Revision>,
    /// The asker's rating of it, when there is one (public: level only).
    pub rating: Option<Rating>,
    /// Attached files, oldest first, removed ones included (listed as removed).
    #[serde(default)]
    pub files: Vec<AnswerFile>,
}

/// Most files attached to one answer at a time.
pub const FILES_MAX: usize = 5;
/// Longest file name kept (longer names are shortened).
pub const FILE_NAME_MAX: usize = 120;

/// A file attached to an answer: a PDF document, or an image re-encoded as JPEG.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerFile {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub created_at: DateTime<Utc>,
    /// Removed files stay listed, without their bytes.
    pub removed_at: Option<DateTime<Utc>>,
}

impl AnswerFile {
    /// Where the file is served (while not removed).
    pub fn url(&self) -> String {
        format!("/answer-files/{}", self.uid)
    }

    pub fn is_pdf(&self) -> bool {
        self.content_type == "application/pdf"
    }
}

/// One question with everything its page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub asker_name: Option<String>,
    pub department_id: Option<i64>,
    pub status: Status,
    pub want_count: i64,
    pub comment_count: i64,
    pub visibility: Visibility,
    pub hidden: Option<HiddenWhy>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub expected_on: Option<NaiveDate>,
    pub overdue: bool,
    pub follow_up: Option<String>,
    pub follow_up_at: Option<DateTime<Utc>>,
    /// The asker's follow-up not (yet) published, shown to the asker and moderators only:
    /// waiting for review, or refused with the reason.
    #[serde(default)]
    pub pending_follow_up: Option<PendingFollowUp>,
    pub answers: Vec<Answer>,
    pub events: Vec<Event>,
    pub created_at: DateTime<Utc>,
}

/// A follow-up waiting for review (`hidden` empty) or refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingFollowUp {
    pub body: String,
    pub hidden: Option<HiddenWhy>,
}

/// What the viewer of a question may do, and has done.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    pub is_asker: bool,
    pub wanted: bool,
    pub following: bool,
    /// An official of the department the question is with.
    pub can_answer: bool,
    /// An admin, while the question waits for routing.
    pub can_route: bool,
    /// The asker, after an answer, before using their one follow-up.
    pub can_follow_up: bool,
    /// The answer the asker may rate (the newest), if any.
    pub can_rate: Option<i64>,
    pub flagged: bool,
    pub can_appeal: bool,
    pub appealed: bool,
    pub moderator: bool,
}

/// A similar question, suggested before asking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Similar {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub want_count: i64,
}

/// A department's accountability figures for questions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFigures {
    pub department_id: i64,
    /// Public questions the department has (or had and answered).
    pub received: i64,
    pub answered: i64,
    /// Answered within the deadline the department had.
    pub answered_on_time: i64,
    /// Unanswered past the deadline now.
    pub overdue: i64,
    /// Median time from reaching the department to its answer, in seconds.
    pub median_answer_secs: Option<i64>,
    /// Average of the askers' ratings, 1 (非常不满意) to 5 (非常满意).
    pub average_rating: Option<f64>,
    pub ratings: i64,
    /// Share of ratings at 基本满意 or better, 0.0–1.0.
    pub satisfied_share: Option<f64>,
}

impl DepartmentFigures {
    /// Answered out of received, 0.0–1.0.
    pub fn answer_rate(&self) -> Option<f64> {
        (self.received > 0).then(|| self.answered as f64 / self.received as f64)
    }
}

/// A calendar exception.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday: no work, even on a weekday.
    Holiday,
    /// A weekend day worked (调休).
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One calendar exception as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// The longest comment on a question.
pub const COMMENT_MAX: usize = 1000;
/// Most comments a question page shows.
pub const COMMENTS_MAX: i64 = 500;

/// A resident's comment on a question, as the viewer may see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionComment {
    pub id: i64,
    pub author_name: Option<String>,
    /// Empty for a hidden comment (its tombstone says why), except to its author.
    pub body: String,
    pub visibility: Visibility,
    pub hidden: Option<HiddenWhy>,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer flagged it.
    pub flagged: bool,
    /// The viewer may appeal its hiding (its author, once).
    pub can_appeal: bool,
    pub appealed: bool,
    pub created_at: DateTime<Utc>,
}
