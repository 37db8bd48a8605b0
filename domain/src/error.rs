//! Errors the domain reports to its callers.
//!
//! Validation problems are codes, not sentences: the UI turns each [`Problem`] into text in
//! the reader's language, and the JSON APIs into English. Every problem names its field.

use serde::{Deserialize, Serialize};

/// What is wrong with one field's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    /// The field must not be empty.
    Required,
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// Shorter than `min` characters.
    TooShort { min: usize },
    /// Not an email address.
    InvalidEmail,
    /// The two password fields differ.
    PasswordMismatch,
    /// The password is one of the most common ones.
    PasswordTooCommon,
    /// The current password given was not right.
    WrongPassword,
    /// The value is not one of the allowed choices.
    InvalidChoice,
    /// An official must belong to a department.
    DepartmentRequired,
    /// No such department.
    UnknownDepartment,
    /// The department was retired in a reorganisation; its successor took over its work.
    DepartmentRetired,
    /// A link or code that has expired or was already used.
    ExpiredLink,
    /// Not a number.
    NotANumber,
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// Latitude/longitude missing or out of range.
    InvalidLocation,
    /// The place is outside every management grid of the city.
    OutsideGrids,
    /// No known place is named in the typed address.
    AddressNotFound,
    /// No such category, or it is no longer offered.
    UnknownCategory,
    /// More photos than allowed.
    TooManyPhotos { max: usize },
    /// A photo larger than allowed.
    PhotoTooBig { max_mb: usize },
    /// Not a JPEG, PNG or WebP image (judged by content).
    NotAnImage,
    /// The image is damaged or too large in pixels.
    PhotoUnreadable,
    /// The live session has started: it can no longer be changed or called off.
    SessionStarted,
    /// The live session was called off.
    SessionCancelled,
    /// More attached files than allowed.
    TooManyFiles { max: usize },
    /// An attached file larger than allowed.
    FileTooBig { max_mb: usize },
    /// Not a PDF document or a JPEG, PNG or WebP image (judged by content).
    NotADocument,
    /// The value is already used by another record (e.g. a code).
    AlreadyTaken,
    /// Not valid GeoJSON for grids; the detail says where.
    InvalidGeoJson { detail: String },
    /// Not valid JSON of the expected shape; the detail says where.
    InvalidJson { detail: String },
    /// Someone else moved the case on since the page was opened.
    CaseMoved,
    /// Only a closed report can be reopened.
    NotClosed,
    /// A closed report can be reopened for this many days after it closed.
    ReopenTooLate { days: i64 },
    /// A phase's date before the previous phase's.
    DateOrder,
    /// The process is not in its proposal phase.
    ProposalsClosed,
    /// The process does not take supports now (only during proposals and discussion).
    SupportsClosed,
    /// Supported or discussed already: no longer editable.
    EditLocked,
    /// Supported already (one support per resident).
    AlreadySupported,
    /// The process does not take comments now.
    CommentsClosed,
    /// Comments can be edited this many minutes after posting, no later.
    EditWindowOver { minutes: i64 },
    /// Not on one's own content (e.g. "helpful" on one's own comment).
    OwnContent,
    /// A number outside its range.
    OutOfRange { min: i64, max: i64 },
    /// Only from the decision phase on (a closing report).
    BeforeDecision,
    /// The proposal was merged into another; act on that one.
    MergedAway,
    /// Moderators, officials and admins cannot be suspended (lower the role first).
    StaffAccount,
    /// Flagged by this user already (one flag per user per item).
    AlreadyFlagged,
    /// Another moderator (named) is reviewing the item now.
    ClaimedByOther { name: String },
    /// An appeal is decided by someone other than who hid the item.
    OwnDecision,
    /// Only hidden content can be appealed.
    NotHidden,
    /// Appealed already (once per item).
    AlreadyAppealed,
    /// The thread was locked by moderators: no new replies.
    ThreadLocked,
    /// The discussion was locked by moderators: no new comments.
    DiscussionLocked,
    /// The question was answered already: edit the answer instead.
    AlreadyAnswered,
    /// Handing or routing a question to the department it is with.
    SameDepartment,
    /// "I want to know too" given already.
    AlreadyWanted,
    /// A follow-up needs an answer to follow up on.
    NotAnswered,
    /// The asker's one follow-up was used.
    FollowUpUsed,
    /// A rating can be changed only for some days after it was given.
    RatingLocked { days: i64 },
    /// A date that must be today or later.
    DateInPast,
    /// Not a date and time (YYYY-MM-DDTHH:MM).
    NotADateTime,
    /// A live session that has not started.
    NotStarted,
    /// A live session that has ended.
    SessionOver,
    /// Not a month (YYYY-MM).
    NotAMonth,
    /// The end of a range before its start.
    BeforeStart,
    /// Not a code: 1–40 ASCII letters, digits, `_`, `-` or `.`.
    BadCode,
    /// A line of a choice list that is not `key | 中文 | English`.
    BadChoiceLine { line: usize },
    /// A choice key used on an earlier line too.
    DuplicateChoice { line: usize },
    /// More entries than allowed.
    TooMany { max: usize },
}

impl Problem {
    /// English text, used by JSON APIs and logs; the UI has its own translations.
    pub fn english(&self) -> String {
        match self {
            Problem::Required => "is required".into(),
            Problem::TooLong { max } => format!("must be at most {max} characters"),
            Problem::TooShort { min } => format!("must be at least {min} characters"),
            Problem::InvalidEmail => "is not a valid email address".into(),
            Problem::PasswordMismatch => "does not match the password".into(),
            Problem::PasswordTooCommon => "is too common; choose another".into(),
            Problem::WrongPassword => "is not your current password".into(),
            Problem::InvalidChoice => "is not one of the allowed values".into(),
            Problem::DepartmentRequired => "is required for an official".into(),
            Problem::UnknownDepartment => "is not a known department".into(),
            Problem::DepartmentRetired => {
                "is a retired department; choose the department that took over its work".into()
            }
            Problem::ExpiredLink => "has expired or was already used".into(),
            Problem::NotANumber => "must be a number".into(),
            Problem::NotADate => "must be a date (YYYY-MM-DD)".into(),
            Problem::InvalidLocation => "must be a valid latitude and longitude".into(),
            Problem::OutsideGrids => "is outside the city's service area".into(),
            Problem::AddressNotFound => {
                "names no place we know; give coordinates or pin the map".into()
            }
            Problem::UnknownCategory => "is not a category that can be reported".into(),
            Problem::TooManyPhotos { max } => format!("may have at most {max} photos"),
            Problem::PhotoTooBig { max_mb } => format!("must be at most {max_mb} MB per photo"),
            Problem::NotAnImage => "must be a JPEG, PNG or WebP image".into(),
            Problem::PhotoUnreadable => "is damaged or too large to read".into(),
            Problem::SessionStarted => "the session has started and can no longer be changed".into(),
            Problem::SessionCancelled => "the session was called off".into(),
            Problem::TooManyFiles { max } => format!("may have at most {max} files"),
            Problem::FileTooBig { max_mb } => format!("must be at most {max_mb} MB per file"),
            Problem::NotADocument => "must be a PDF document or a JPEG, PNG or WebP image".into(),
            Problem::AlreadyTaken => "is already used".into(),
            Problem::InvalidGeoJson { detail } => format!("is not valid grid GeoJSON: {detail}"),
            Problem::InvalidJson { detail } => format!("is not valid: {detail}"),
            Problem::CaseMoved => {
                "has changed since the page was opened; reload it and look again".into()
            }
            Problem::NotClosed => "applies only to a closed report".into(),
            Problem::DateOrder => "must not be before the phase that comes before it".into(),
            Problem::ProposalsClosed => {
                "is not open: proposals are taken only during the proposal phase".into()
            }
            Problem::SupportsClosed => {
                "is not open: supports are taken only during the proposal and discussion phases"
                    .into()
            }
            Problem::EditLocked => {
                "can no longer be edited: it has supports or comments".into()
            }
            Problem::AlreadySupported => "is already supported by you".into(),
            Problem::CommentsClosed => {
                "is not open: comments are taken only during the proposal and discussion phases"
                    .into()
            }
            Problem::EditWindowOver { minutes } => {
                format!("can no longer be edited: comments can be edited for {minutes} minutes")
            }
            Problem::OwnContent => "cannot be given to your own content".into(),
            Problem::OutOfRange { min, max } => format!("must be between {min} and {max}"),
            Problem::BeforeDecision => {
                "can be published only from the decision phase on".into()
            }
            Problem::MergedAway => {
                "is not possible: the proposal was merged into another; use that one".into()
            }
            Problem::ReopenTooLate { days } => format!(
                "is too late: a report can be reopened within {days} days of closing; please file a new report"
            ),
            Problem::StaffAccount => {
                "is a staff account: lower its role before suspending it".into()
            }
            Problem::AlreadyFlagged => "was already flagged by you".into(),
            Problem::ClaimedByOther { name } => {
                format!("is being reviewed by {name} right now; reload the queue")
            }
            Problem::OwnDecision => {
                "must be decided by another moderator: you hid this item".into()
            }
            Problem::NotHidden => "applies only to hidden content".into(),
            Problem::AlreadyAppealed => "was already appealed (once per item)".into(),
            Problem::ThreadLocked => "is not possible: moderators locked this thread".into(),
            Problem::DiscussionLocked => {
                "is not possible: moderators locked this discussion".into()
            }
            Problem::AlreadyAnswered => {
                "is not possible: the question was answered; edit the answer instead".into()
            }
            Problem::SameDepartment => "is the department the question is with already".into(),
            Problem::AlreadyWanted => "was already added by you".into(),
            Problem::NotAnswered => "is possible only after the department answered".into(),
            Problem::FollowUpUsed => "was already used: the asker may follow up once".into(),
            Problem::RatingLocked { days } => {
                format!("can no longer be changed: ratings can be changed for {days} days")
            }
            Problem::DateInPast => "must be today or a later date".into(),
            Problem::NotADateTime => "must be a date and time (YYYY-MM-DDTHH:MM)".into(),
            Problem::NotStarted => "is not open: the session has not started".into(),
            Problem::SessionOver => "is not open: the session has ended".into(),
            Problem::NotAMonth => "must be a month (YYYY-MM)".into(),
            Problem::BeforeStart => "must not be before the start of the range".into(),
            Problem::BadCode => {
                "must be 1–40 letters, digits, underscores, hyphens or dots".into()
            }
            Problem::BadChoiceLine { line } => {
                format!("line {line} must read: key | Chinese name | English name")
            }
            Problem::DuplicateChoice { line } => {
                format!("line {line} uses a key that an earlier line uses")
            }
            Problem::TooMany { max } => format!("may have at most {max} entries"),
        }
    }
}

/// A problem with a named field of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, as in the HTML form and the JSON body.
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> Self {
        Self {
            field: field.to_string(),
            problem,
        }
    }
}

/// Everything a domain service can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; nothing was saved.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Sign-in failed. Deliberately says nothing about which part was wrong.
    #[error("email or password is incorrect")]
    BadCredentials,
    /// Right password, but the account's activation link was never followed; a new one
    /// has been sent.
    #[error("account not activated yet")]
    NotActivated,
    /// The action needs a signed-in user.
    #[error("not signed in")]
    Unauthenticated,
    /// The signed-in user may not do this.
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The user is suspended from posting (or banned): why and until when.
    #[error("suspended from posting")]
    Suspended(crate::model::moderation::Suspension),
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts, retry after {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    /// Storage or another internal failure; details are logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// One invalid field.
    pub fn field(field: &str, problem: Problem) -> Self {
        Error::Invalid(vec![FieldError::new(field, problem)])
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Internal(format!("database: {e}"))
    }
}

/// Collects field problems while validating a whole form, so the user sees all at once.
#[derive(Default, Debug)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: &str, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }
    /// Adds the problem if `result` is one.
    pub fn check(&mut self, field: &str, result: Result<(), Problem>) {
        if let Err(p) = result {
            self.add(field, p);
        }
    }
    pub fn into_result(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}
