//! Changing a password, and resetting a forgotten one by a one-time link.

use chrono::Duration;

use crate::error::{Error, Problems};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::validate;
use crate::with_db;
use crate::{Problem, Services};

use super::signup::consume_token;
use super::tokens::{hash_token, new_token};
use super::{find_by_email, find_by_id, password, sessions};

const RESET_TTL_MINUTES: i64 = 60;

fn check_new_password(problems: &mut Problems, new: &str, confirm: &str) {
    problems.check("new_password", validate::password(new));
    if new != confirm {
        problems.add("new_password_confirm", Problem::PasswordMismatch);
    }
}

async fn store_password(svc: &Services, user_id: i64, new: &str) -> Result<(), Error> {
    let hash = password::hash(new).await?;
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(now())
            .bind(user_id)
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Changes the signed-in user's password. Every session of the user ends (a stolen
/// session dies with the old password) and a new one is returned for this browser.
pub async fn change_password(
    svc: &Services,
    me: &Me,
    current: &str,
    new: &str,
    confirm: &str,
    user_agent: Option<&str>,
) -> Result<String, Error> {
    let mut problems = Problems::default();
    if current.is_empty() {
        problems.add("current_password", Problem::Required);
    }
    check_new_password(&mut problems, new, confirm);
    problems.into_result()?;

    let user = find_by_id(&svc.db, me.id)
        .await?
        .ok_or(Error::Unauthenticated)?;
    if !password::verify(current, Some(user.password_hash)).await? {
        return Err(Error::field("current_password", Problem::WrongPassword));
    }
    store_password(svc, me.id, new).await?;
    sessions::delete_all_for(&svc.db, me.id).await?;
    sessions::create(svc, me.id, user_agent).await
}

/// Mails a reset link when the address has an account. Answers the same either way.
pub async fn request_reset(svc: &Services, email: &str, ip: &str) -> Result<(), Error> {
    validate::email(email).map_err(|p| Error::field("email", p))?;
    let email = validate::normalize_email(email);
    let l = &svc.limits;
    ratelimit::check(&svc.db, Scope::ResetIp, ip, l.reset_per_ip, l.reset_window).await?;
    ratelimit::record(&svc.db, Scope::ResetIp, ip).await?;
    // Per account, silently: saying "too many" would tell that the account exists.
    if ratelimit::check(
        &svc.db,
        Scope::ResetAccount,
        &email,
        l.reset_per_account,
        l.reset_window,
    )
    .await
    .is_err()
    {
        return Ok(());
    }
    ratelimit::record(&svc.db, Scope::ResetAccount, &email).await?;

    let Some(user) = find_by_email(&svc.db, &email).await? else {
        return Ok(());
    };
    let token = new_token();
    let t = now();
    with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, 'reset', $3, $4)",
        )
        .bind(hash_token(&token))
        .bind(user.id)
        .bind(t)
        .bind(t + Duration::minutes(RESET_TTL_MINUTES))
        .execute(p)
        .await.map(|r| r.rows_affected())
    })?;
    let link = format!("{}/reset/{}", svc.public_url, token);
    let body = format!(
        "您申请了重设共治账号的密码。请在 {RESET_TTL_MINUTES} 分钟内打开以下链接设置新密码：\n{link}\n\
         如果不是您本人操作，请忽略本邮件，您的密码不会改变。\n\n\
         You asked to reset your Gongzhi password. Open this link within {RESET_TTL_MINUTES} minutes to choose a new one:\n{link}\n\
         If it was not you, ignore this message; your password stays the same.\n"
    );
    svc.mailer
        .send(
            &svc.db,
            &svc.jobs,
            &email,
            "重设共治密码 / Reset your Gongzhi password",
            &body,
        )
        .await
}

/// Sets a new password through a reset link. Ends all sessions; the user then signs in.
/// Following the link also proves the address, so an inactive account becomes active.
pub async fn reset_password(
    svc: &Services,
    token: &str,
    new: &str,
    confirm: &str,
) -> Result<(), Error> {
    let mut problems = Problems::default();
    check_new_password(&mut problems, new, confirm);
    problems.into_result()?;
    let user_id = consume_token(svc, token, "reset", "token").await?;
    store_password(svc, user_id, new).await?;
    with_db!(&svc.db, p => {
        sqlx::query("UPDATE users SET activated_at = COALESCE(activated_at, $1) WHERE id = $2")
            .bind(now())
            .bind(user_id)
            .execute(p)
            .await.map(|r| r.rows_affected())
    })?;
    sessions::delete_all_for(&svc.db, user_id).await
}
