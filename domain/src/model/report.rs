//! Reports of problems in public space, as the public and the reporter see them.
//!
//! Nothing here names a reporter: public types carry no user ids, names, emails or phones.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::catalog::Answer;
use crate::model::Role;

/// Where a report is in the case workflow (受理 → 处置 → 办结).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Received, not yet accepted by the department (待受理).
    Submitted,
    /// Accepted and registered as a case (已受理).
    Accepted,
    /// Being handled (处置中).
    InProgress,
    /// The department says it is fixed; awaiting verification (已处置).
    Resolved,
    /// Closed (已办结).
    Closed,
    /// Not a case for the city, with a public reason (不予受理).
    Rejected,
    /// Sent back for handling again (整改中).
    Reopened,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 7] = [
        ReportStatus::Submitted,
        ReportStatus::Accepted,
        ReportStatus::InProgress,
        ReportStatus::Resolved,
        ReportStatus::Closed,
        ReportStatus::Rejected,
        ReportStatus::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Accepted => "accepted",
            ReportStatus::InProgress => "in_progress",
            ReportStatus::Resolved => "resolved",
            ReportStatus::Closed => "closed",
            ReportStatus::Rejected => "rejected",
            ReportStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<ReportStatus> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Open reports still need work; duplicates are looked for among them.
    pub fn is_open(self) -> bool {
        !matches!(self, ReportStatus::Closed | ReportStatus::Rejected)
    }

    /// The Open311 status: `open` or `closed`.
    pub fn open311(self) -> &'static str {
        if self.is_open() {
            "open"
        } else {
            "closed"
        }
    }
}

/// A closed report's reporter may ask for it to be handled again (要求重新办理) for this many
/// days after it closed; later, a new report is the way.
pub const REOPEN_DAYS: i64 = 30;

/// Whether a report in `status`, closed at `closed_at`, may be reopened at `now`: checked
/// by the server, and used by pages to offer the choice only when it applies.
pub fn reopen_problem(
    status: ReportStatus,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<crate::Problem> {
    if status.is_open() {
        return Some(crate::Problem::NotClosed);
    }
    match closed_at {
        Some(c) if now - c > chrono::Duration::days(REOPEN_DAYS) => {
            Some(crate::Problem::ReopenTooLate { days: REOPEN_DAYS })
        }
        _ => None,
    }
}

/// A photo of a report, named by its random id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub uid: String,
    pub display_width: i64,
    pub display_height: i64,
    pub thumb_width: i64,
    pub thumb_height: i64,
}

impl PhotoRef {
    pub fn display_url(&self) -> String {
        format!("/photos/{}.jpg", self.uid)
    }
    pub fn thumb_url(&self) -> String {
        format!("/photos/{}-thumb.jpg", self.uid)
    }
}

/// One line of a public list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub id: i64,
    pub category_id: i64,
    pub status: ReportStatus,
    /// The first characters of the description.
    pub excerpt: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub grid_id: Option<i64>,
    pub department_id: i64,
    pub support_count: i64,
    pub thumb: Option<PhotoRef>,
    pub created_at: DateTime<Utc>,
    /// Moderators hold or hid its text (the excerpt is empty).
    #[serde(default)]
    pub text_withheld: bool,
}

/// Who acted on a timeline entry, as the public sees it: a role and a department, never a
/// person's name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// `None` for the system (e.g. the case-system bridge) and for the reporter.
    pub role: Option<Role>,
    pub department_id: Option<i64>,
    /// The report's own reporter (a follow-up or a reopen), named by that role only.
    #[serde(default)]
    pub reporter: bool,
}

/// How a resident's timeline entry travelled on to an external case system.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relay {
    /// Queued; sent once the case system answers.
    Waiting,
    Sent,
    /// The case system does not take it, for the reason given.
    Refused(String),
}

impl Relay {
    /// From the stored `relay` and `relay_error` columns.
    pub fn from_columns(relay: Option<&str>, error: &str) -> Option<Relay> {
        match relay? {
            "waiting" => Some(Relay::Waiting),
            "sent" => Some(Relay::Sent),
            "refused" => Some(Relay::Refused(error.to_string())),
            _ => None,
        }
    }
}

/// A public entry of a report's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    /// `submitted`, `forwarded`, `status`, `note`, `follow_up` (the reporter's), `reopen`
    /// (the reporter asked for it to be handled again).
    pub kind: String,
    /// The case workflow step it records (`accept`, `dispatch`, `handle`, …), if any.
    #[serde(default)]
    pub step: Option<String>,
    /// The status this entry moved the report to, when it changed it.
    pub status: Option<ReportStatus>,
    pub actor: Actor,
    pub note: String,
    /// Photos taken with this entry (a department's after-photos).
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
    pub at: DateTime<Utc>,
    /// A reporter's entry passed on to an external case system: how that went.
    #[serde(default)]
    pub relay: Option<Relay>,
}

/// A report's public page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDetail {
    pub id: i64,
    pub category_id: i64,
    pub status: ReportStatus,
    /// Empty for the public while moderators hold or hid it.
    pub description: String,
    /// Whether the text is public, held for review, or hidden by moderators.
    pub visibility: super::deliberation::Visibility,
    /// Why moderators hid the text.
    pub hidden: Option<super::moderation::HiddenWhy>,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub grid_id: Option<i64>,
    pub department_id: i64,
    /// Answers to the category's extra fields, by attribute code.
    pub answers: std::collections::BTreeMap<String, Answer>,
    /// The reporter's display name, only when signed in and not hidden.
    pub reporter_name: Option<String>,
    pub support_count: i64,
    pub photos: Vec<PhotoRef>,
    pub timeline: Vec<TimelineEntry>,
    pub due_at: DateTime<Utc>,
    /// Past its deadline: still open after it, or closed after it (超期).
    pub overdue: bool,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where the report stands with the case system.
    pub forwarding: Forwarding,
}

/// Whether the case system has the report yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Forwarding {
    /// Not yet accepted; `error` says why the last try failed (it is tried again).
    Waiting {
        error: Option<String>,
    },
    Sent {
        at: Option<DateTime<Utc>>,
    },
}

/// What the viewer has done with a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    pub supported: bool,
    pub following: bool,
    /// The viewer filed it.
    pub is_reporter: bool,
}

/// Filters of the public list; every one is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportFilter {
    pub category: Option<String>,
    pub group: Option<String>,
    pub status: Option<ReportStatus>,
    /// `open` or `closed` as a whole, like Open311.
    pub open: Option<bool>,
    pub grid: Option<String>,
    pub department: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Closed (结案) on or after / on or before these local dates.
    pub closed_from: Option<chrono::NaiveDate>,
    pub closed_to: Option<chrono::NaiveDate>,
    /// Closed by the deadline (`true`) or after it (`false`).
    pub on_time: Option<bool>,
    pub q: Option<String>,
    /// Only this reporter's (My reports); set by the server, never from a query string.
    #[serde(skip)]
    pub reporter_id: Option<i64>,
}

/// A page of the list and the cursor of the next one (keyset pagination: ids below it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportPage {
    pub reports: Vec<ReportSummary>,
    pub next_before: Option<i64>,
}

/// An open report near a new one's place, offered instead of filing again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nearby {
    pub report: ReportSummary,
    pub distance_m: f64,
}

/// What the reporter gets back after submitting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submitted {
    pub id: i64,
    /// Only for anonymous reports, and only in this one answer: the code to follow it.
    pub tracking_code: Option<String>,
}

/// Limits of the report form, shown live in the browser and enforced on the server.
pub const DESCRIPTION_MIN: usize = 4;
pub const DESCRIPTION_MAX: usize = 2000;
pub const ADDRESS_MAX: usize = 200;
pub const PHOTOS_MAX: usize = 5;
