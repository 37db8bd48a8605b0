//! What every path that publishes residents' words passes first: suspended users are
//! refused, and content the rules hold (pre-moderation, the word list, a new account's first
//! posts) is stored 'held' and queued instead of published.

use crate::error::Error;
use crate::model::moderation::{Cause, Mode};
use crate::model::{Me, Role};
use crate::{with_db, Services};

/// Refuses a suspended or banned user, telling why and until when.
pub async fn ensure_can_post(svc: &Services, me: &Me) -> Result<(), Error> {
    match super::suspensions::current(svc, me.id).await? {
        Some(s) => Err(Error::Suspended(s)),
        None => Ok(()),
    }
}

/// Checks that `me` may post `text` where the moderation mode is `mode`, and says whether
/// the new content must be held for review (and why). Staff (moderators, officials,
/// admins) are never held.
pub async fn screen(
    svc: &Services,
    me: &Me,
    mode: Mode,
    text: &str,
) -> Result<Option<Cause>, Error> {
    ensure_can_post(svc, me).await?;
    if me.role != Role::Resident {
        return Ok(None);
    }
    if mode == Mode::Pre {
        return Ok(Some(Cause::Premoderation));
    }
    if super::settings::matches_word_list(svc, text).await? {
        return Ok(Some(Cause::WordList));
    }
    let rules = &svc.moderation;
    if rules.hold_new_accounts {
        let posts: i64 = with_db!(&svc.db, p => {
            sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM comments WHERE author_id = $1) \
                 + (SELECT count(*) FROM proposals WHERE author_id = $1)",
            )
            .bind(me.id)
            .fetch_one(p)
            .await
        })?;
        if posts < rules.new_account_posts {
            return Ok(Some(Cause::NewAccount));
        }
    }
    Ok(None)
}
