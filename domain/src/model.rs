//! Plain model types shared by the server and the browser.

use serde::{Deserialize, Serialize};

pub mod case;
pub mod catalog;
pub mod deliberation;
pub mod job;
pub mod live;
pub mod moderation;
pub mod notification;
pub mod opendata;
pub mod question;
pub mod rating;
pub mod report;
pub mod stats;

/// What a user may do. Officials belong to exactly one department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    /// A civic volunteer who moderates discussions.
    Moderator,
    /// Belongs to a department; handles its cases and answers its questions.
    Official,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Resident, Role::Moderator, Role::Official, Role::Admin];

    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Moderator => "moderator",
            Role::Official => "official",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The two UI languages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文, the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The BCP 47 tag used in `<html lang>` and the `lang` cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        let t = tag.trim().to_ascii_lowercase();
        if t.starts_with("zh") {
            Some(Lang::Zh)
        } else if t.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut tags: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::from_tag(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        // Stable sort keeps header order among equal qualities.
        tags.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        tags.first().map(|t| t.1)
    }
}

/// A user as the UI sees them: no password hash, no email of others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
}

/// A department, with its names in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The dispatch centre (指挥中心) of the built-in case workflow.
    #[serde(default)]
    #[cfg_attr(feature = "server", sqlx(default))]
    pub dispatch: bool,
    /// Retired in a reorganisation: kept for its history, no longer offered as a choice.
    #[serde(default)]
    #[cfg_attr(feature = "server", sqlx(default))]
    pub retired: bool,
    /// The department that took over a retired department's work.
    #[serde(default)]
    #[cfg_attr(feature = "server", sqlx(default))]
    pub successor_id: Option<i64>,
}

impl Department {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// What retiring a department moved to its successor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub reports: u64,
    pub questions: u64,
    pub officials: u64,
    pub categories: u64,
    pub grids: u64,
    pub services: u64,
    pub processes: u64,
    pub live_sessions: u64,
    pub rectifications: u64,
}

/// One row of the admin's user list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
    pub activated: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// One message in the outbox, as the admin sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct OutboxMessage {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_supported_tag() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("fr;q=1, zh-TW;q=0.5, en;q=0.4"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0.2,zh;q=0.9"),
            Some(Lang::Zh)
        );
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
