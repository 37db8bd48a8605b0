//! The one error type of server functions and HTTP handlers.
//!
//! It crosses the wire as JSON, so the browser can show each field's problem next to the
//! field, in the reader's language. Internal details never leave the server: they are
//! logged and the client gets [`AppError::Internal`].

use gongzhi_domain::{FieldError, Problem};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::{msg, Lang, Msg};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Some fields are wrong; nothing was saved.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("email or password is incorrect")]
    BadCredentials,
    #[error("account not activated")]
    NotActivated,
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// Suspended from posting (or banned, with no end): why and until when.
    #[error("suspended from posting")]
    Suspended(gongzhi_domain::model::moderation::Suspension),
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function or its answer was unreadable.
    #[error("request failed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        crate::state::unreadable_request_status(&value);
        AppError::Transport(value.to_string())
    }
}

impl AppError {
    /// The problem with one field, if the error names it.
    pub fn field(&self, name: &str) -> Option<&Problem> {
        match self {
            AppError::Invalid(list) => list.iter().find(|f| f.field == name).map(|f| &f.problem),
            _ => None,
        }
    }

    /// A sentence for the whole form, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Invalid(_) => msg::ERR_INVALID.get(lang).to_string(),
            AppError::BadCredentials => msg::ERR_BAD_CREDENTIALS.get(lang).to_string(),
            AppError::NotActivated => msg::ERR_NOT_ACTIVATED.get(lang).to_string(),
            AppError::Unauthenticated => msg::ERR_UNAUTHENTICATED.get(lang).to_string(),
            AppError::Forbidden => msg::ERR_FORBIDDEN.get(lang).to_string(),
            AppError::NotFound => msg::ERR_NOT_FOUND.get(lang).to_string(),
            AppError::RateLimited { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                match lang {
                    Lang::Zh => format!("操作过于频繁，请在 {minutes} 分钟后再试。"),
                    Lang::En => {
                        format!("You are doing that too often. Please try again in {minutes} minute(s).")
                    }
                }
            }
            AppError::Suspended(s) => {
                let why = crate::i18n::reason_name(s.reason).get(lang);
                let note = if s.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.note)
                };
                match (s.ends_at, lang) {
                    (Some(t), Lang::Zh) => format!(
                        "您已被暂停发言，至 {} 为止。原因：{why}{note}。在此期间您仍可以浏览。",
                        crate::util::local_datetime(t)
                    ),
                    (Some(t), Lang::En) => format!(
                        "You are suspended from posting until {}. Reason: {why}{note}. You can still read everything.",
                        crate::util::local_datetime(t)
                    ),
                    (None, Lang::Zh) => format!("您的账号已被禁止发言。原因：{why}{note}。"),
                    (None, Lang::En) => {
                        format!("Your account is banned from posting. Reason: {why}{note}.")
                    }
                }
            }
            AppError::Internal => msg::ERR_INTERNAL.get(lang).to_string(),
            AppError::Transport(_) => msg::ERR_TRANSPORT.get(lang).to_string(),
        }
    }
}

/// Text for a field problem, in `lang`.
pub fn problem_text(p: &Problem, lang: Lang) -> String {
    let fixed = |m: Msg| m.get(lang).to_string();
    match (p, lang) {
        (Problem::Required, _) => fixed(msg::P_REQUIRED),
        (Problem::TooLong { max }, Lang::Zh) => format!("最多 {max} 个字符。"),
        (Problem::TooLong { max }, Lang::En) => format!("Use at most {max} characters."),
        (Problem::TooShort { min }, Lang::Zh) => format!("至少需要 {min} 个字符。"),
        (Problem::TooShort { min }, Lang::En) => format!("Use at least {min} characters."),
        (Problem::InvalidEmail, _) => fixed(msg::P_INVALID_EMAIL),
        (Problem::PasswordMismatch, _) => fixed(msg::P_PASSWORD_MISMATCH),
        (Problem::PasswordTooCommon, _) => fixed(msg::P_PASSWORD_COMMON),
        (Problem::WrongPassword, _) => fixed(msg::P_WRONG_PASSWORD),
        (Problem::InvalidChoice, _) => fixed(msg::P_INVALID_CHOICE),
        (Problem::DepartmentRequired, _) => fixed(msg::P_DEPARTMENT_REQUIRED),
        (Problem::UnknownDepartment, _) => fixed(msg::P_UNKNOWN_DEPARTMENT),
        (Problem::DepartmentRetired, _) => fixed(msg::P_DEPARTMENT_RETIRED),
        (Problem::ExpiredLink, _) => fixed(msg::P_EXPIRED_LINK),
        (Problem::NotANumber, _) => fixed(msg::P_NOT_A_NUMBER),
        (Problem::NotADate, _) => fixed(msg::P_NOT_A_DATE),
        (Problem::InvalidLocation, _) => fixed(msg::P_INVALID_LOCATION),
        (Problem::OutsideGrids, _) => fixed(msg::P_OUTSIDE_GRIDS),
        (Problem::AddressNotFound, _) => fixed(msg::P_ADDRESS_NOT_FOUND),
        (Problem::UnknownCategory, _) => fixed(msg::P_UNKNOWN_CATEGORY),
        (Problem::TooManyPhotos { max }, Lang::Zh) => format!("最多只能上传 {max} 张照片。"),
        (Problem::TooManyPhotos { max }, Lang::En) => format!("You can add at most {max} photos."),
        (Problem::PhotoTooBig { max_mb }, Lang::Zh) => format!("每张照片不能超过 {max_mb} MB。"),
        (Problem::PhotoTooBig { max_mb }, Lang::En) => {
            format!("Each photo must be at most {max_mb} MB.")
        }
        (Problem::NotAnImage, _) => fixed(msg::P_NOT_AN_IMAGE),
        (Problem::PhotoUnreadable, _) => fixed(msg::P_PHOTO_UNREADABLE),
        (Problem::SessionStarted, _) => fixed(msg::P_SESSION_STARTED),
        (Problem::SessionCancelled, _) => fixed(msg::P_SESSION_CANCELLED),
        (Problem::TooManyFiles { max }, Lang::Zh) => format!("每条答复最多附 {max} 个文件。"),
        (Problem::TooManyFiles { max }, Lang::En) => {
            format!("An answer can have at most {max} files.")
        }
        (Problem::FileTooBig { max_mb }, Lang::Zh) => format!("每个文件不能超过 {max_mb} MB。"),
        (Problem::FileTooBig { max_mb }, Lang::En) => format!("Each file must be at most {max_mb} MB."),
        (Problem::NotADocument, _) => fixed(msg::P_NOT_A_DOCUMENT),
        (Problem::AlreadyTaken, _) => fixed(msg::P_ALREADY_TAKEN),
        (Problem::InvalidGeoJson { detail }, Lang::Zh) => format!("GeoJSON 无效：{detail}"),
        (Problem::InvalidGeoJson { detail }, Lang::En) => {
            format!("Not valid grid GeoJSON: {detail}")
        }
        (Problem::InvalidJson { detail }, Lang::Zh) => format!("格式无效：{detail}"),
        (Problem::InvalidJson { detail }, Lang::En) => format!("Not valid: {detail}"),
        (Problem::CaseMoved, _) => fixed(msg::P_CASE_MOVED),
        (Problem::NotClosed, _) => fixed(msg::P_NOT_CLOSED),
        (Problem::DateOrder, _) => fixed(msg::P_DATE_ORDER),
        (Problem::ProposalsClosed, _) => fixed(msg::P_PROPOSALS_CLOSED),
        (Problem::SupportsClosed, _) => fixed(msg::P_SUPPORTS_CLOSED),
        (Problem::EditLocked, _) => fixed(msg::P_EDIT_LOCKED),
        (Problem::AlreadySupported, _) => fixed(msg::P_ALREADY_SUPPORTED),
        (Problem::CommentsClosed, _) => fixed(msg::P_COMMENTS_CLOSED),
        (Problem::EditWindowOver { minutes }, Lang::Zh) => {
            format!("评论发表 {minutes} 分钟后就不能再修改了。")
        }
        (Problem::EditWindowOver { minutes }, Lang::En) => {
            format!("Comments can be edited for {minutes} minutes after posting.")
        }
        (Problem::OwnContent, _) => fixed(msg::P_OWN_CONTENT),
        (Problem::OutOfRange { min, max }, Lang::Zh) => format!("请填写 {min} 到 {max} 之间的数。"),
        (Problem::OutOfRange { min, max }, Lang::En) => {
            format!("Enter a number from {min} to {max}.")
        }
        (Problem::BeforeDecision, _) => fixed(msg::P_BEFORE_DECISION),
        (Problem::MergedAway, _) => fixed(msg::P_MERGED_AWAY),
        (Problem::ReopenTooLate { days }, Lang::Zh) => {
            format!("问题办结已超过 {days} 天，不能再要求重新办理；请重新提交一个问题。")
        }
        (Problem::ReopenTooLate { days }, Lang::En) => format!(
            "This report closed more than {days} days ago and can no longer be reopened; please file a new report."
        ),
        (Problem::StaffAccount, _) => fixed(msg::P_STAFF_ACCOUNT),
        (Problem::AlreadyFlagged, _) => fixed(msg::P_ALREADY_FLAGGED),
        (Problem::ClaimedByOther { name }, Lang::Zh) => {
            format!("{name} 正在审核这一条，请刷新队列后再看。")
        }
        (Problem::ClaimedByOther { name }, Lang::En) => {
            format!("{name} is reviewing this item right now; reload the queue.")
        }
        (Problem::OwnDecision, _) => fixed(msg::P_OWN_DECISION),
        (Problem::NotHidden, _) => fixed(msg::P_NOT_HIDDEN),
        (Problem::AlreadyAppealed, _) => fixed(msg::P_ALREADY_APPEALED),
        (Problem::ThreadLocked, _) => fixed(msg::P_THREAD_LOCKED),
        (Problem::DiscussionLocked, _) => fixed(msg::P_DISCUSSION_LOCKED),
        (Problem::AlreadyAnswered, _) => fixed(msg::P_ALREADY_ANSWERED),
        (Problem::SameDepartment, _) => fixed(msg::P_SAME_DEPARTMENT),
        (Problem::AlreadyWanted, _) => fixed(msg::P_ALREADY_WANTED),
        (Problem::NotAnswered, _) => fixed(msg::P_NOT_ANSWERED),
        (Problem::FollowUpUsed, _) => fixed(msg::P_FOLLOW_UP_USED),
        (Problem::RatingLocked { days }, Lang::Zh) => format!("评价提交 {days} 天后就不能再修改了。"),
        (Problem::RatingLocked { days }, Lang::En) => {
            format!("A rating can be changed for {days} days after it was given.")
        }
        (Problem::DateInPast, _) => fixed(msg::P_DATE_IN_PAST),
        (Problem::NotADateTime, _) => fixed(msg::P_NOT_A_DATE_TIME),
        (Problem::NotStarted, _) => fixed(msg::P_NOT_STARTED),
        (Problem::SessionOver, _) => fixed(msg::P_SESSION_OVER),
        (Problem::NotAMonth, _) => fixed(msg::P_NOT_A_MONTH),
        (Problem::BeforeStart, _) => fixed(msg::P_BEFORE_START),
        (Problem::BadCode, _) => fixed(msg::P_BAD_CODE),
        (Problem::BadChoiceLine { line }, Lang::Zh) => {
            format!("第 {line} 行应写成：键 | 中文名称 | English name")
        }
        (Problem::BadChoiceLine { line }, Lang::En) => {
            format!("Line {line} should read: key | 中文名称 | English name")
        }
        (Problem::DuplicateChoice { line }, Lang::Zh) => {
            format!("第 {line} 行的键与前面的行重复。")
        }
        (Problem::DuplicateChoice { line }, Lang::En) => {
            format!("Line {line} repeats a key used above.")
        }
        (Problem::TooMany { max }, Lang::Zh) => format!("最多 {max} 项。"),
        (Problem::TooMany { max }, Lang::En) => format!("At most {max}."),
    }
}

#[cfg(feature = "ssr")]
impl From<gongzhi_domain::Error> for AppError {
    fn from(e: gongzhi_domain::Error) -> Self {
        use gongzhi_domain::Error as E;
        match e {
            E::Invalid(list) => AppError::Invalid(list),
            E::BadCredentials => AppError::BadCredentials,
            E::NotActivated => AppError::NotActivated,
            E::Unauthenticated => AppError::Unauthenticated,
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::RateLimited { retry_after_secs } => AppError::RateLimited { retry_after_secs },
            E::Suspended(s) => AppError::Suspended(s),
            E::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The HTTP status for this error.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
            AppError::BadCredentials | AppError::NotActivated | AppError::Unauthenticated => {
                S::UNAUTHORIZED
            }
            AppError::Forbidden | AppError::Suspended(_) => S::FORBIDDEN,
            AppError::NotFound => S::NOT_FOUND,
            AppError::RateLimited { .. } => S::TOO_MANY_REQUESTS,
            AppError::Internal | AppError::Transport(_) => S::INTERNAL_SERVER_ERROR,
        }
    }
}
