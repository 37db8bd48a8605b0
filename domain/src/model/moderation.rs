//! Moderation as pages show it: flags, the review queue, the public log, appeals and
//! suspensions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a flag or an action is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Comment,
    Proposal,
    /// A report's text.
    Report,
    /// One photo of a report.
    Photo,
    /// An account (suspensions).
    Account,
    /// A public question to a department.
    Question,
    /// A comment on a public question.
    QuestionComment,
    /// A question in a live session.
    LiveQuestion,
    /// The asker's follow-up to an answered question.
    QuestionFollowUp,
}

impl ItemKind {
    /// What residents can flag.
    pub const FLAGGABLE: [ItemKind; 7] = [
        ItemKind::Comment,
        ItemKind::Proposal,
        ItemKind::Report,
        ItemKind::Photo,
        ItemKind::Question,
        ItemKind::QuestionComment,
        ItemKind::LiveQuestion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Comment => "comment",
            ItemKind::Proposal => "proposal",
            ItemKind::Report => "report",
            ItemKind::Photo => "photo",
            ItemKind::Account => "account",
            ItemKind::Question => "question",
            ItemKind::QuestionComment => "question_comment",
            ItemKind::LiveQuestion => "live_question",
            ItemKind::QuestionFollowUp => "question_follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        [
            ItemKind::Comment,
            ItemKind::Proposal,
            ItemKind::Report,
            ItemKind::Photo,
            ItemKind::Account,
            ItemKind::Question,
            ItemKind::QuestionComment,
            ItemKind::LiveQuestion,
            ItemKind::QuestionFollowUp,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Why something is flagged, or was hidden.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Spam,
    /// Insults, harassment, threats.
    Abuse,
    /// Someone's name, phone number, address or face.
    PersonalData,
    OffTopic,
    /// Explained in the note.
    #[default]
    Other,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Spam,
        Reason::Abuse,
        Reason::PersonalData,
        Reason::OffTopic,
        Reason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Spam => "spam",
            Reason::Abuse => "abuse",
            Reason::PersonalData => "personal_data",
            Reason::OffTopic => "off_topic",
            Reason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Why content was hidden, as its tombstone tells it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenWhy {
    pub reason: Reason,
    /// The moderator's public words (may be empty).
    pub note: String,
}

impl HiddenWhy {
    /// From the stored reason code and note. (Content hidden before reasons had codes
    /// keeps its words as the note.)
    pub fn from_stored(reason: &str, note: &str) -> HiddenWhy {
        match Reason::parse(reason) {
            Some(r) => HiddenWhy {
                reason: r,
                note: note.to_string(),
            },
            None => HiddenWhy {
                reason: Reason::Other,
                note: [reason, note]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        }
    }
}

/// Why an item is in the review queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Residents flagged it.
    Flags,
    /// Its process (or Q&A) is pre-moderated.
    Premoderation,
    /// It contains a word of the admins' list.
    WordList,
    /// One of the first posts of a new account.
    NewAccount,
    /// Its author appealed the hiding.
    Appeal,
}

impl Cause {
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::Flags => "flags",
            Cause::Premoderation => "premoderation",
            Cause::WordList => "word_list",
            Cause::NewAccount => "new_account",
            Cause::Appeal => "appeal",
        }
    }

    pub fn parse(s: &str) -> Cause {
        match s {
            "premoderation" => Cause::Premoderation,
            "word_list" => Cause::WordList,
            "new_account" => Cause::NewAccount,
            "appeal" => Cause::Appeal,
            _ => Cause::Flags,
        }
    }
}

/// What a moderator (or a rule) did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Held for review (automatically: flags, word list, pre-moderation, new account).
    Hold,
    /// Published after review.
    Approve,
    Hide,
    Restore,
    /// Flags looked at and found unfounded.
    Dismiss,
    /// A thread or a discussion closed to new comments.
    Lock,
    Unlock,
    /// A photo blurred (faces, number plates).
    Blur,
    Unblur,
    /// An appeal decided: the hiding stands.
    Uphold,
    Suspend,
    Ban,
    /// A suspension or ban ended early.
    Lift,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::Hold,
        Action::Approve,
        Action::Hide,
        Action::Restore,
        Action::Dismiss,
        Action::Lock,
        Action::Unlock,
        Action::Blur,
        Action::Unblur,
        Action::Uphold,
        Action::Suspend,
        Action::Ban,
        Action::Lift,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Hold => "hold",
            Action::Approve => "approve",
            Action::Hide => "hide",
            Action::Restore => "restore",
            Action::Dismiss => "dismiss",
            Action::Lock => "lock",
            Action::Unlock => "unlock",
            Action::Blur => "blur",
            Action::Unblur => "unblur",
            Action::Uphold => "uphold",
            Action::Suspend => "suspend",
            Action::Ban => "ban",
            Action::Lift => "lift",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Flags on one item, per reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagCount {
    pub reason: Reason,
    pub count: i64,
    /// The flaggers' notes (names never shown).
    pub notes: Vec<String>,
}

/// One item in the review queue, with what a moderator needs to judge it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub kind: ItemKind,
    pub item_id: i64,
    pub cause: Cause,
    pub queued_at: DateTime<Utc>,
    /// held, hidden or visible now.
    pub visibility: super::deliberation::Visibility,
    /// A title, where the item has one (proposals; the category of a report).
    pub title: String,
    /// The text (sanitized HTML for markdown content, plain text otherwise, escaped when shown).
    pub body_html: String,
    pub body_text: String,
    /// A photo's display URL path.
    pub photo_url: Option<String>,
    /// Where the item lives, to read it in context.
    pub link: String,
    pub author_name: Option<String>,
    pub author_id: Option<i64>,
    /// How many of the author's items moderators hid before.
    pub author_hidden: i64,
    pub author_suspended: bool,
    pub flags: Vec<FlagCount>,
    /// The author's appeal, when the item is in the queue for it.
    pub appeal: Option<String>,
    /// Who else is looking at it now (their public name), if anyone.
    pub claimed_by: Option<String>,
    pub claimed_by_me: bool,
    /// A comment thread or a proposal's discussion that takes no new comments.
    pub locked: bool,
    pub blurred: bool,
}

/// One line of the public moderation log (never the hidden text, never the author).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    pub kind: ItemKind,
    pub item_id: i64,
    pub action: Action,
    pub reason: Option<Reason>,
    /// Why an automatic hold happened.
    pub cause: Option<Cause>,
    pub note: String,
    /// The moderator's public name; None: an automatic rule.
    pub moderator: Option<String>,
    pub at: DateTime<Utc>,
    /// Where the item can be read (its tombstone, if hidden); None for accounts.
    pub link: Option<String>,
}

/// A page of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogPage {
    pub entries: Vec<LogEntry>,
    /// The cursor of the next (older) page.
    pub next: Option<i64>,
}

/// A user's current suspension from posting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suspension {
    pub reason: Reason,
    pub note: String,
    /// None: banned.
    pub ends_at: Option<DateTime<Utc>>,
}

/// A user suspended now, as the moderators' page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuspendedUser {
    pub user_id: i64,
    pub name: String,
    pub suspension: Suspension,
    /// Who suspended them (their public name).
    pub by: Option<String>,
    pub since: DateTime<Utc>,
}

/// The moderator's choice on a process or on Q&A.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Published at once; flags and rules may hold it later.
    #[default]
    Post,
    /// Held until a moderator approves it.
    Pre,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Post => "post",
            Mode::Pre => "pre",
        }
    }

    pub fn parse(s: &str) -> Mode {
        if s == "pre" {
            Mode::Pre
        } else {
            Mode::Post
        }
    }
}

/// What moderation means for one report's page, as `me` sees it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportMarks {
    /// The report's photos' ids, in page order (what flags and blurs name).
    pub photo_ids: Vec<i64>,
    /// Which of them are blurred.
    pub blurred: Vec<i64>,
    /// `me` flagged the text / these photos.
    pub flagged: bool,
    pub flagged_photos: Vec<i64>,
    /// The reporter may appeal the hiding of the text, or did.
    pub can_appeal: bool,
    pub appealed: bool,
    /// `me` moderates.
    pub moderator: bool,
}
