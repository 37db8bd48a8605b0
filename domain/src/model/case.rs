//! The built-in case workflow (Gongzhi as the city's case system), as the back office
//! sees it: stages, the steps between them, and what each role may do.
//!
//! 受理 → 立案 (or 不予立案) → 派遣 → 处置 → 核查 → 结案; a department may 退回 a case
//! (not ours) to the dispatcher, and a failed 核查 sends it back for another 处置 round.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::report::{PhotoRef, ReportDetail, ReportStatus};

/// Where a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Arrived, waiting for the dispatcher (待受理).
    New,
    /// Accepted, waiting for the decision to register it (待立案).
    Accepted,
    /// Registered as a case, waiting to be dispatched (待派遣).
    Registered,
    /// With the handling department (待处置).
    Dispatched,
    /// The department says it is done, waiting for verification (待核查).
    Handled,
    /// Verified on site, waiting to be closed (待结案).
    Verified,
    /// Closed (已结案).
    Closed,
    /// Not registered, with a public reason (不予立案).
    Declined,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::New,
        Stage::Accepted,
        Stage::Registered,
        Stage::Dispatched,
        Stage::Handled,
        Stage::Verified,
        Stage::Closed,
        Stage::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Accepted => "accepted",
            Stage::Registered => "registered",
            Stage::Dispatched => "dispatched",
            Stage::Handled => "handled",
            Stage::Verified => "verified",
            Stage::Closed => "closed",
            Stage::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Stage::Closed | Stage::Declined)
    }

    /// The report status the public sees at this stage.
    pub fn status(self) -> ReportStatus {
        match self {
            Stage::New => ReportStatus::Submitted,
            Stage::Accepted | Stage::Registered => ReportStatus::Accepted,
            Stage::Dispatched => ReportStatus::InProgress,
            Stage::Handled | Stage::Verified => ReportStatus::Resolved,
            Stage::Closed => ReportStatus::Closed,
            Stage::Declined => ReportStatus::Rejected,
        }
    }

    /// Whose move it is: the dispatch centre's, or the handling department's.
    pub fn with_department(self) -> bool {
        self == Stage::Dispatched
    }
}

/// A step of the workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 受理
    Accept,
    /// 立案
    Register,
    /// 不予立案 (reason required, public)
    Decline,
    /// 派遣 to a department
    Dispatch,
    /// 退回: the department says it is not theirs (reason required)
    Return,
    /// 处置: the department's account of what it did (note required, photos optional)
    Handle,
    /// 核查通过
    Verify,
    /// 核查未通过: back to the department for another round (reason required)
    VerifyFailed,
    /// 结案
    Close,
    /// A note that moves nothing (internal unless made public)
    Note,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::Accept,
        Step::Register,
        Step::Decline,
        Step::Dispatch,
        Step::Return,
        Step::Handle,
        Step::Verify,
        Step::VerifyFailed,
        Step::Close,
        Step::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Accept => "accept",
            Step::Register => "register",
            Step::Decline => "decline",
            Step::Dispatch => "dispatch",
            Step::Return => "return",
            Step::Handle => "handle",
            Step::Verify => "verify",
            Step::VerifyFailed => "verify_failed",
            Step::Close => "close",
            Step::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The stage a step starts from and the stage it leads to; `None` for a step that does
    /// not apply at `from`.
    pub fn next(self, from: Stage) -> Option<Stage> {
        use Stage as S;
        Some(match (self, from) {
            (Step::Accept, S::New) => S::Accepted,
            (Step::Register, S::Accepted) => S::Registered,
            (Step::Decline, S::New | S::Accepted) => S::Declined,
            (Step::Dispatch, S::Registered) => S::Dispatched,
            (Step::Return, S::Dispatched) => S::Registered,
            (Step::Handle, S::Dispatched) => S::Handled,
            (Step::Verify, S::Handled) => S::Verified,
            (Step::VerifyFailed, S::Handled) => S::Dispatched,
            (Step::Close, S::Verified) => S::Closed,
            (Step::Note, s) if s.is_open() => s,
            _ => return None,
        })
    }

    /// Steps that must say why.
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Step::Decline | Step::Return | Step::Handle | Step::VerifyFailed | Step::Note
        )
    }

    /// Taken by the handling department; every other step but notes is the dispatcher's.
    pub fn by_department(self) -> bool {
        matches!(self, Step::Return | Step::Handle)
    }

    /// Whether the step's entry is public. Only notes may stay internal.
    pub fn always_public(self) -> bool {
        self != Step::Note
    }
}

/// Which cases an official looks at in the inbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxView {
    /// Waiting for the viewer's move (the dispatcher's stages, or the department's).
    #[default]
    Mine,
    /// Open and past the deadline.
    Overdue,
    /// Every open case the viewer can see.
    Open,
    /// Closed or declined.
    Done,
}

impl InboxView {
    pub const ALL: [InboxView; 4] = [
        InboxView::Mine,
        InboxView::Overdue,
        InboxView::Open,
        InboxView::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InboxView::Mine => "mine",
            InboxView::Overdue => "overdue",
            InboxView::Open => "open",
            InboxView::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<InboxView> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One line of the inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct CaseSummary {
    pub report_id: i64,
    pub category_id: i64,
    pub stage: String,
    pub department_id: Option<i64>,
    pub description: String,
    pub address: String,
    pub round: i64,
    pub returns: i64,
    pub due_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CaseSummary {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.stage).unwrap_or(Stage::New)
    }

    /// Past its deadline: still open after it, or closed after it.
    pub fn overdue(&self, now: DateTime<Utc>) -> bool {
        overdue(self.due_at, self.closed_at, now)
    }
}

/// Past the deadline: open after it, or closed after it.
pub fn overdue(
    due_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    closed_at.unwrap_or(now) > due_at
}

/// A page of the inbox, newest first by default, and what each view holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    /// One page of the chosen view.
    pub cases: Vec<CaseSummary>,
    pub mine: i64,
    pub overdue: i64,
    /// Cases in the chosen view, on every page.
    pub total: i64,
    /// This page (from 0), the position of its first case (from 1), and whether another
    /// page follows.
    pub page: i64,
    pub first: i64,
    pub has_more: bool,
    /// The viewer works for the dispatch centre (or is an admin).
    pub dispatcher: bool,
    pub now: Option<DateTime<Utc>>,
}

/// One entry of a case's full record: every step, public or not, with who took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseEntry {
    pub id: i64,
    pub kind: String,
    pub step: Option<String>,
    pub status: Option<ReportStatus>,
    pub public: bool,
    pub actor_role: String,
    pub actor_department_id: Option<i64>,
    /// The official's name (back office only).
    pub actor_name: Option<String>,
    pub note: String,
    pub photos: Vec<PhotoRef>,
    pub at: DateTime<Utc>,
}

/// A case as the back office sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub report: ReportDetail,
    pub stage: Stage,
    pub department_id: Option<i64>,
    pub round: i64,
    pub returns: i64,
    pub record: Vec<CaseEntry>,
    /// The steps the viewer may take now.
    pub steps: Vec<Step>,
    pub overdue: bool,
}

/// Limit of a step's note.
pub const CASE_NOTE_MAX: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_runs_from_arrival_to_close_and_back_where_it_may() {
        let mut s = Stage::New;
        for step in [
            Step::Accept,
            Step::Register,
            Step::Dispatch,
            Step::Handle,
            Step::Verify,
            Step::Close,
        ] {
            s = step
                .next(s)
                .unwrap_or_else(|| panic!("{step:?} from {s:?}"));
        }
        assert_eq!(s, Stage::Closed);
        assert_eq!(Step::Note.next(Stage::Closed), None);
        assert_eq!(
            Step::Return.next(Stage::Dispatched),
            Some(Stage::Registered)
        );
        assert_eq!(
            Step::VerifyFailed.next(Stage::Handled),
            Some(Stage::Dispatched)
        );
        assert_eq!(
            Step::Close.next(Stage::Handled),
            None,
            "核查 comes before 结案"
        );
        assert_eq!(Step::Decline.next(Stage::Dispatched), None);
        for st in Stage::ALL {
            assert_eq!(Stage::parse(st.as_str()), Some(st));
        }
        for st in Step::ALL {
            assert_eq!(Step::parse(st.as_str()), Some(st));
        }
    }

    #[test]
    fn a_case_closed_after_its_deadline_stays_overdue() {
        let due = chrono::DateTime::parse_from_rfc3339("2026-11-20T08:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .expect("a time");
        let before = due - chrono::Duration::hours(1);
        let after = due + chrono::Duration::hours(1);
        assert!(!overdue(due, None, before));
        assert!(overdue(due, None, after));
        assert!(!overdue(due, Some(before), after));
        assert!(overdue(due, Some(after), after));
    }
}
