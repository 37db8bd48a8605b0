//! In-app notifications: news on followed reports, replies to one's comments, the
//! department's answers on proposals one supports or follows, merged duplicates, closing
//! reports and phase changes of followed processes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A public timeline entry on a followed report.
    ReportUpdate,
    /// A reply to one's comment, or a comment on one's proposal.
    Reply,
    /// The department answered a proposal one made, supports or follows.
    Outcome,
    /// A proposal one supports was merged into another (the support moved with it).
    Merged,
    /// A followed process (or one whose proposals one supports) published its closing report.
    ClosingReport,
    /// A followed process entered a new phase.
    Phase,
    /// Moderators hid one's content, restored it, or refused one's appeal (the detail is
    /// the action).
    Moderation,
    /// News on a followed question (the detail is the event: answered, handed_over, ...).
    Question,
    /// A question needs one's department (officials) or a department (admins); the detail
    /// is why: received, follow_up, due_soon, overdue, routing.
    Inbox,
    /// A report one rated poorly was rectified and closed again: rate it again.
    RateAgain,
    /// A poor rating of a service: for its department's officials (`new`), and for the
    /// rater once the department recorded what it did (`done`).
    ServiceRectify,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::ReportUpdate => "report_update",
            NotificationKind::Reply => "reply",
            NotificationKind::Outcome => "outcome",
            NotificationKind::Merged => "merged",
            NotificationKind::ClosingReport => "closing_report",
            NotificationKind::Phase => "phase",
            NotificationKind::Moderation => "moderation",
            NotificationKind::Question => "question",
            NotificationKind::Inbox => "inbox",
            NotificationKind::RateAgain => "rate_again",
            NotificationKind::ServiceRectify => "service_rectify",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        [
            NotificationKind::ReportUpdate,
            NotificationKind::Reply,
            NotificationKind::Outcome,
            NotificationKind::Merged,
            NotificationKind::ClosingReport,
            NotificationKind::Phase,
            NotificationKind::Moderation,
            NotificationKind::Question,
            NotificationKind::Inbox,
            NotificationKind::RateAgain,
            NotificationKind::ServiceRectify,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One notification as its recipient sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub report_id: Option<i64>,
    /// The status the entry moved the report to, if any.
    pub status: Option<String>,
    pub note: Option<String>,
    pub process_id: Option<i64>,
    pub proposal_id: Option<i64>,
    pub comment_id: Option<i64>,
    #[cfg_attr(feature = "server", sqlx(default))]
    #[serde(default)]
    pub question_id: Option<i64>,
    /// The thread the comment is in (its first comment's id), to open the discussion there.
    pub thread_id: Option<i64>,
    /// The service a service notice is about.
    #[cfg_attr(feature = "server", sqlx(default))]
    #[serde(default)]
    pub service_code: Option<String>,
    /// The proposal's title, else the process's, else the question's, else the service's.
    pub title: Option<String>,
    /// The outcome or the phase, for kinds that have one.
    pub detail: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    pub fn kind(&self) -> Option<NotificationKind> {
        NotificationKind::parse(&self.kind)
    }
}
