//! Moderation: residents' flags and appeals, the moderators' queue and actions, the public
//! log, suspensions, and the admins' settings. The pages are plain HTML (no wasm); their
//! forms are server functions posted as plain forms.

use gongzhi_domain::model::moderation::{LogPage, Mode, QueueEntry, Suspension};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;

#[cfg(feature = "ssr")]
fn kind(kind: &str) -> Result<gongzhi_domain::model::moderation::ItemKind, AppError> {
    gongzhi_domain::model::moderation::ItemKind::parse(kind).ok_or(AppError::NotFound)
}

/// A resident flags an item; true when this flag held it for review.
#[server(prefix = "/api", endpoint = "flag")]
pub async fn flag_item(
    kind: String,
    id: i64,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] target: String,
) -> Result<bool, AppError> {
    with_status(
        async move {
            use gongzhi_domain::moderation::flags::{flag, Flagged};
            let st = state()?;
            keep_typed(&[("flag_note", &note), ("target", &target)]);
            let me = current_user().await?;
            let k = self::kind(&kind)?;
            Ok(flag(&st.svc, me.as_ref(), k, id, &reason, &note).await? == Flagged::Held)
        }
        .await,
    )
}

/// The author appeals the hiding of their item (once).
#[server(prefix = "/api", endpoint = "appeal")]
pub async fn appeal_item(
    kind: String,
    id: i64,
    body: String,
    #[server(default)] target: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("appeal_body", &body), ("target", &target)]);
            let me = current_user().await?;
            let k = self::kind(&kind)?;
            Ok(
                gongzhi_domain::moderation::appeals::appeal(&st.svc, me.as_ref(), k, id, &body)
                    .await?,
            )
        }
        .await,
    )
}

/// The review queue page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub entries: Vec<QueueEntry>,
    /// Who is suspended from posting now.
    pub suspended: Vec<gongzhi_domain::model::moderation::SuspendedUser>,
    /// The viewer is an admin (may ban, and decide appeals on their own hidings' peers).
    pub admin: bool,
    pub me: i64,
}

#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue() -> Result<Queue, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            let entries = gongzhi_domain::moderation::queue::list(&st.svc, me.as_ref()).await?;
            let suspended =
                gongzhi_domain::moderation::suspensions::list(&st.svc, me.as_ref()).await?;
            let me = me.ok_or(AppError::Unauthenticated)?;
            Ok(Queue {
                entries,
                suspended,
                admin: me.role == gongzhi_domain::model::Role::Admin,
                me: me.id,
            })
        }
        .await,
    )
}

/// A moderator claims an item while judging it.
#[server(prefix = "/api", endpoint = "moderation_claim")]
pub async fn claim_item(
    kind: String,
    id: i64,
    #[server(default)] target: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("target", &target)]);
            let me = current_user().await?;
            let k = self::kind(&kind)?;
            Ok(gongzhi_domain::moderation::queue::claim(&st.svc, me.as_ref(), k, id).await?)
        }
        .await,
    )
}

/// A moderator acts on an item.
#[server(prefix = "/api", endpoint = "moderate")]
pub async fn moderate(
    kind: String,
    id: i64,
    action: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] target: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            use gongzhi_domain::moderation::queue::{act, Decision};
            let st = state()?;
            keep_typed(&[("mod_note", &note), ("target", &target)]);
            let me = current_user().await?;
            let k = self::kind(&kind)?;
            let d = Decision {
                action,
                reason,
                note,
            };
            Ok(act(&st.svc, me.as_ref(), k, id, d).await?)
        }
        .await,
    )
}

/// A page of the public log, older than entry `before` (0: the newest).
#[server(prefix = "/api", endpoint = "moderation_log")]
pub async fn moderation_log(before: i64) -> Result<LogPage, AppError> {
    with_status(
        async move {
            let st = state()?;
            Ok(
                gongzhi_domain::moderation::log::page(&st.svc, (before > 0).then_some(before))
                    .await?,
            )
        }
        .await,
    )
}

/// A moderator suspends a user from posting (`days` empty: a ban, admins only).
#[server(prefix = "/api", endpoint = "suspend")]
pub async fn suspend_user(
    user_id: i64,
    #[server(default)] reason: String,
    #[server(default)] note: String,
    #[server(default)] days: String,
    #[server(default)] target: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            use gongzhi_domain::moderation::suspensions::{suspend, SuspendInput};
            let st = state()?;
            keep_typed(&[("suspend_note", &note), ("target", &target)]);
            let me = current_user().await?;
            let input = SuspendInput {
                user_id,
                reason,
                note,
                days,
            };
            Ok(suspend(&st.svc, me.as_ref(), input).await?)
        }
        .await,
    )
}

/// Ends a user's suspension now.
#[server(prefix = "/api", endpoint = "lift_suspension")]
pub async fn lift_suspension(user_id: i64) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(
                gongzhi_domain::moderation::suspensions::lift(&st.svc, me.as_ref(), user_id)
                    .await?,
            )
        }
        .await,
    )
}

/// The signed-in user's own suspension, if any (for the account page).
#[server(prefix = "/api", endpoint = "my_suspension")]
pub async fn my_suspension() -> Result<Option<Suspension>, AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = require_user().await?;
            Ok(gongzhi_domain::moderation::suspensions::current(&st.svc, me.id).await?)
        }
        .await,
    )
}

/// The admins' moderation settings page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationSettingsView {
    pub words: Vec<(i64, String)>,
    pub qa_mode: Mode,
    /// Every process: id, title, mode.
    pub processes: Vec<(i64, String, Mode)>,
    /// From config: flags that hold an item, and whether new accounts' first posts are held.
    pub flags_to_hold: i64,
    pub hold_new_accounts: bool,
    pub new_account_posts: i64,
}

#[server(prefix = "/api", endpoint = "moderation_settings")]
pub async fn moderation_settings() -> Result<ModerationSettingsView, AppError> {
    with_status(
        async move {
            use gongzhi_domain::moderation::settings;
            let st = state()?;
            let me = current_user().await?;
            gongzhi_domain::accounts::require_admin(me.as_ref())?;
            let rules = &st.svc.moderation;
            Ok(ModerationSettingsView {
                words: settings::words(&st.svc).await?,
                qa_mode: settings::qa_mode(&st.svc).await?,
                processes: settings::process_modes(&st.svc).await?,
                flags_to_hold: rules.flags_to_hold,
                hold_new_accounts: rules.hold_new_accounts,
                new_account_posts: rules.new_account_posts,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "moderation_add_word")]
pub async fn add_word(word: String) -> Result<i64, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("word", &word)]);
            let me = current_user().await?;
            Ok(gongzhi_domain::moderation::settings::add_word(&st.svc, me.as_ref(), &word).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "moderation_remove_word")]
pub async fn remove_word(id: i64) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = current_user().await?;
            Ok(gongzhi_domain::moderation::settings::remove_word(&st.svc, me.as_ref(), id).await?)
        }
        .await,
    )
}

/// An admin sets pre- or post-moderation for a process (`process` > 0) or for Q&A (0).
#[server(prefix = "/api", endpoint = "moderation_mode")]
pub async fn set_mode(process: i64, mode: String) -> Result<(), AppError> {
    with_status(
        async move {
            use gongzhi_domain::moderation::settings;
            let st = state()?;
            let me = current_user().await?;
            let mode = match mode.as_str() {
                "pre" | "post" => Mode::parse(&mode),
                _ => {
                    return Err(AppError::Invalid(vec![gongzhi_domain::FieldError::new(
                        "mode",
                        gongzhi_domain::Problem::InvalidChoice,
                    )]))
                }
            };
            if process > 0 {
                settings::set_process_mode(&st.svc, me.as_ref(), process, mode).await?;
            } else {
                settings::set_qa_mode(&st.svc, me.as_ref(), mode).await?;
            }
            Ok(())
        }
        .await,
    )
}
