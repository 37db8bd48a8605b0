//! E-deliberation (网络议事) as pages see it: processes and their dated phases, residents'
//! proposals, and supports.
//!
//! A process runs through four phases, each starting at its own time: information (信息公开)
//! → proposals (征集建议) → discussion (讨论) → decision (决策), then it is closed. Residents
//! propose during the proposal phase, and support proposals while proposals or discussion
//! run.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const PROCESS_TITLE_MAX: usize = 200;
pub const PROCESS_SUMMARY_MAX: usize = 500;
pub const PROCESS_BODY_MAX: usize = 20_000;
pub const PROPOSAL_TITLE_MAX: usize = 150;
pub const PROPOSAL_BODY_MAX: usize = 5_000;
/// Longest text alternative of a cover or proposal image.
pub const IMAGE_ALT_MAX: usize = 300;

/// A process's cover or a proposal's image: a re-encoded photo (served at
/// `/photos/{uid}.jpg` and `/photos/{uid}-thumb.jpg`) and its text alternative (empty: the
/// uploader gave none, and the picture is treated as decorative).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub photo: crate::model::report::PhotoRef,
    pub alt: String,
}

/// Where a process is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Announced, not started yet.
    Upcoming,
    /// 信息公开: the facts and the question are published.
    Information,
    /// 征集建议: residents make proposals.
    Proposals,
    /// 讨论: residents discuss and support the proposals.
    Discussion,
    /// 决策: the department decides and answers.
    Decision,
    /// Over; the closing report stays.
    Closed,
}

impl Phase {
    /// The four phases a process runs through, in order.
    pub const RUNNING: [Phase; 4] = [
        Phase::Information,
        Phase::Proposals,
        Phase::Discussion,
        Phase::Decision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Upcoming => "upcoming",
            Phase::Information => "information",
            Phase::Proposals => "proposals",
            Phase::Discussion => "discussion",
            Phase::Decision => "decision",
            Phase::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        [Phase::Upcoming, Phase::Closed]
            .into_iter()
            .chain(Self::RUNNING)
            .find(|p| p.as_str() == s)
    }
}

/// When each phase starts, and when the process closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct PhaseDates {
    pub information_at: DateTime<Utc>,
    pub proposals_at: DateTime<Utc>,
    pub discussion_at: DateTime<Utc>,
    pub decision_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl PhaseDates {
    /// The phase at time `t`. A phase whose start equals the next one's is skipped.
    pub fn phase_at(&self, t: DateTime<Utc>) -> Phase {
        if t < self.information_at {
            Phase::Upcoming
        } else if t < self.proposals_at {
            Phase::Information
        } else if t < self.discussion_at {
            Phase::Proposals
        } else if t < self.decision_at {
            Phase::Discussion
        } else if t < self.closes_at {
            Phase::Decision
        } else {
            Phase::Closed
        }
    }

    /// Residents may make proposals.
    pub fn takes_proposals(&self, t: DateTime<Utc>) -> bool {
        self.phase_at(t) == Phase::Proposals
    }

    /// Residents may support proposals, and take a support back.
    pub fn takes_supports(&self, t: DateTime<Utc>) -> bool {
        matches!(self.phase_at(t), Phase::Proposals | Phase::Discussion)
    }

    /// Each running phase with its start and end (the time line). Skipped phases (no
    /// time between start and end) are left out.
    pub fn steps(&self) -> Vec<(Phase, DateTime<Utc>, DateTime<Utc>)> {
        [
            (Phase::Information, self.information_at, self.proposals_at),
            (Phase::Proposals, self.proposals_at, self.discussion_at),
            (Phase::Discussion, self.discussion_at, self.decision_at),
            (Phase::Decision, self.decision_at, self.closes_at),
        ]
        .into_iter()
        .filter(|(_, start, end)| start < end)
        .collect()
    }
}

/// Which processes a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessView {
    /// Running now (any of the four phases).
    #[default]
    Open,
    Upcoming,
    Closed,
}

impl ProcessView {
    pub const ALL: [ProcessView; 3] = [
        ProcessView::Open,
        ProcessView::Upcoming,
        ProcessView::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProcessView::Open => "open",
            ProcessView::Upcoming => "upcoming",
            ProcessView::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ProcessView> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A process in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub department_id: i64,
    pub dates: PhaseDates,
    /// Visible proposals.
    pub proposal_count: i64,
    pub cover: Option<Image>,
}

/// Whether the public sees a piece of residents' content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Visible,
    /// Waiting for a moderator; only its author (and moderators) see it.
    Held,
    /// Hidden by moderators: a tombstone with the reason stays.
    Hidden,
}

impl Visibility {
    pub fn parse(s: &str) -> Visibility {
        match s {
            "held" => Visibility::Held,
            "hidden" => Visibility::Hidden,
            _ => Visibility::Visible,
        }
    }
}

/// A proposal in a process's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: i64,
    pub title: String,
    pub author_name: Option<String>,
    pub support_count: i64,
    pub comment_count: i64,
    pub visibility: Visibility,
    /// The department's newest answer, if any.
    pub outcome: Option<Outcome>,
    /// Merged into another proposal (a duplicate).
    pub merged_into: Option<i64>,
    pub image: Option<Image>,
    pub created_at: DateTime<Utc>,
}

/// How a process's proposals are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalOrder {
    /// Most supported first.
    #[default]
    Supports,
    Newest,
}

impl ProposalOrder {
    pub fn parse(s: &str) -> ProposalOrder {
        match s {
            "newest" => ProposalOrder::Newest,
            _ => ProposalOrder::Supports,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalOrder::Supports => "supports",
            ProposalOrder::Newest => "newest",
        }
    }
}

/// One process's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessDetail {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// The description as typed (for its editors).
    pub body: String,
    /// The description rendered and sanitized.
    pub body_html: String,
    pub department_id: i64,
    pub dates: PhaseDates,
    pub support_threshold: Option<i64>,
    /// The closing report (结果公开), as typed and rendered; empty until published.
    pub closing_report: String,
    pub closing_report_html: String,
    pub closing_report_at: Option<DateTime<Utc>>,
    pub cover: Option<Image>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the pages and rules about a proposal need of its process (no description, no
/// report: the light read).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessBrief {
    pub id: i64,
    pub title: String,
    pub department_id: i64,
    pub dates: PhaseDates,
    pub support_threshold: Option<i64>,
}

/// One proposal's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub id: i64,
    pub process_id: i64,
    pub process: ProcessBrief,
    pub title: String,
    /// As typed (for its author's edit form).
    pub body: String,
    pub body_html: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: String,
    pub image: Option<Image>,
    pub author_name: Option<String>,
    pub support_count: i64,
    pub comment_count: i64,
    pub visibility: Visibility,
    /// Why moderators hid it.
    pub hidden: Option<super::moderation::HiddenWhy>,
    /// Moderators locked its discussion.
    pub locked: bool,
    pub edited_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The department's answers, oldest first; the last is the outcome.
    pub outcomes: Vec<OutcomeEntry>,
    /// The proposal this duplicate was merged into.
    pub merged_into: Option<ProposalRef>,
    pub merged_at: Option<DateTime<Utc>>,
    /// Duplicates merged into this one.
    pub merged_from: Vec<ProposalRef>,
}

/// A proposal named by another page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRef {
    pub id: i64,
    pub title: String,
}

/// The department's answer to a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 采纳
    Accepted,
    /// 不予采纳, with the reasons.
    Rejected,
    /// 研究中
    UnderStudy,
    /// 已实施 (or being implemented), with progress.
    Implemented,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Accepted,
        Outcome::Rejected,
        Outcome::UnderStudy,
        Outcome::Implemented,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::UnderStudy => "under_study",
            Outcome::Implemented => "implemented",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// One answer the department published on a proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeEntry {
    pub outcome: Outcome,
    /// The reasons, the plan, what was done (rendered and sanitized).
    pub body_html: String,
    /// Implemented: how far, in per cent.
    pub progress: Option<i64>,
    pub department_id: i64,
    pub created_at: DateTime<Utc>,
}

/// The longest answer on a proposal, and the longest closing report.
pub const OUTCOME_BODY_MAX: usize = 5_000;
pub const CLOSING_REPORT_MAX: usize = 20_000;

/// What the viewer of a proposal may do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalViewer {
    pub signed_in: bool,
    pub supported: bool,
    pub following: bool,
    pub is_author: bool,
    /// An official of the process's department (or an admin): may answer and merge.
    pub can_answer: bool,
    /// Where an official may merge this proposal: the process's other open proposals.
    pub merge_targets: Vec<ProposalRef>,
    /// The author may still edit (no support and no comment yet).
    pub can_edit: bool,
    /// The process takes supports now.
    pub can_support: bool,
    /// The viewer flagged it.
    pub flagged: bool,
    /// The author may appeal its hiding (once).
    pub can_appeal: bool,
    /// The author appealed.
    pub appealed: bool,
    /// A moderator (or admin) is looking: moderation controls are offered.
    pub moderator: bool,
}

/// The longest comment.
pub const COMMENT_MAX: usize = 4_000;
/// Replies nest to this depth; a reply to the deepest level joins that level.
pub const COMMENT_DEPTH_MAX: i64 = 3;
/// Threads per page.
pub const COMMENT_PAGE: usize = 20;
/// An author may edit a comment for this many minutes after posting it.
pub const COMMENT_EDIT_MINUTES: i64 = 15;
/// The strongest arguments shown for each side.
pub const STRONGEST: usize = 3;

/// Where a comment stands on what it discusses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    For,
    Against,
    Neutral,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::For, Stance::Against, Stance::Neutral];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::For => "for",
            Stance::Against => "against",
            Stance::Neutral => "neutral",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// How a discussion's threads are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentOrder {
    #[default]
    Oldest,
    Newest,
    Helpful,
}

impl CommentOrder {
    pub const ALL: [CommentOrder; 3] = [
        CommentOrder::Oldest,
        CommentOrder::Newest,
        CommentOrder::Helpful,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommentOrder::Oldest => "oldest",
            CommentOrder::Newest => "newest",
            CommentOrder::Helpful => "helpful",
        }
    }

    pub fn parse(s: &str) -> CommentOrder {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or_default()
    }
}

/// What a reader sees of a comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentState {
    Visible,
    /// Waiting for review: shown to its author only.
    Held,
    /// Hidden by moderators, with the public reason (its text is shown to its author only).
    Hidden(super::moderation::HiddenWhy),
    /// Deleted by its author (its text is gone; replies stay).
    Deleted,
}

/// One comment as a page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_name: Option<String>,
    pub stance: Stance,
    /// Empty when hidden or deleted.
    pub body_html: String,
    /// As typed, for its author's edit form (empty for everyone else).
    pub body: String,
    pub helpful_count: i64,
    pub state: CommentState,
    pub edited_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer found it helpful.
    pub voted: bool,
    /// The viewer may still edit it (its author, within the edit window).
    pub can_edit: bool,
    /// The viewer flagged it.
    pub flagged: bool,
    /// Moderators locked the thread it starts: no new replies.
    pub locked: bool,
    /// Its author may appeal its hiding (once).
    pub can_appeal: bool,
    /// Its author appealed.
    pub appealed: bool,
}

/// A thread: its first comment and every reply under it, oldest first (each reply names its
/// parent, so a page can nest them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub root: Comment,
    pub replies: Vec<Comment>,
}

/// One page of a discussion, with the balance of the whole discussion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    pub threads: Vec<Thread>,
    /// Where the next page starts, when there is one.
    pub next: Option<String>,
    /// Visible comments for, against and neutral.
    pub count_for: i64,
    pub count_against: i64,
    pub count_neutral: i64,
    /// The most helpful arguments on each side (with at least one "helpful").
    pub strongest_for: Vec<Comment>,
    pub strongest_against: Vec<Comment>,
    /// The process takes comments now.
    pub open: bool,
    /// Moderators locked this discussion.
    pub locked: bool,
    /// The viewer moderates: moderation controls are offered beside each comment.
    pub moderator: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap()
    }

    #[test]
    fn phases_follow_their_dates_and_empty_ones_are_skipped() {
        let dates = PhaseDates {
            information_at: day(1),
            proposals_at: day(5),
            discussion_at: day(10),
            decision_at: day(10),
            closes_at: day(20),
        };
        assert_eq!(
            dates.phase_at(day(1) - chrono::Duration::seconds(1)),
            Phase::Upcoming
        );
        assert_eq!(dates.phase_at(day(1)), Phase::Information);
        assert_eq!(dates.phase_at(day(5)), Phase::Proposals);
        // No discussion phase: straight to the decision.
        assert_eq!(dates.phase_at(day(10)), Phase::Decision);
        assert_eq!(dates.phase_at(day(20)), Phase::Closed);
        assert!(dates.takes_proposals(day(6)));
        assert!(!dates.takes_proposals(day(2)));
        assert!(dates.takes_supports(day(6)));
        assert!(!dates.takes_supports(day(12)));
        let steps: Vec<Phase> = dates.steps().into_iter().map(|s| s.0).collect();
        assert_eq!(
            steps,
            [Phase::Information, Phase::Proposals, Phase::Decision]
        );
    }
}
