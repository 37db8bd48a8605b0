//! Sign-up and activation.
//!
//! Sign-up always answers the same way ("check your email"), whether or not the address
//! already has an account, so the form cannot be used to find out who is registered. The
//! owner of an existing address gets a mail saying so instead of an activation link.

use chrono::Duration;

use crate::error::{Error, Problems};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::time::now;
use crate::validate;
use crate::with_db;
use crate::Services;

use super::tokens::{hash_token, new_token};
use super::{find_by_email, password, sessions, UserRow, USER_COLUMNS};

/// What the sign-up form submits.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub password_confirm: String,
}

/// How long an activation link works.
const ACTIVATION_TTL_HOURS: i64 = 48;

/// Validates the form, then creates an inactive account and mails its activation link.
pub async fn sign_up(svc: &Services, input: SignUp, ip: &str) -> Result<(), Error> {
    let mut problems = Problems::default();
    problems.check("email", validate::email(&input.email));
    problems.check("display_name", validate::display_name(&input.display_name));
    problems.check("password", validate::password(&input.password));
    if input.password_confirm != input.password {
        problems.add("password_confirm", crate::Problem::PasswordMismatch);
    }
    problems.into_result()?;

    let limits = &svc.limits;
    ratelimit::check(
        &svc.db,
        Scope::SignupIp,
        ip,
        limits.signup_per_ip,
        limits.signup_window,
    )
    .await?;
    ratelimit::record(&svc.db, Scope::SignupIp, ip).await?;

    let email = validate::normalize_email(&input.email);
    // Hash before looking the address up, so both outcomes take the same time.
    let hash = password::hash(&input.password).await?;
    let t = now();
    let inserted: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) \
             VALUES ($1, $2, $3, 'resident', $4, $4) ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&email)
        .bind(input.display_name.trim())
        .bind(&hash)
        .bind(t)
        .fetch_optional(p)
        .await
    })?;

    match inserted {
        Some(user_id) => send_activation(svc, user_id, &email).await,
        None => {
            let existing = find_by_email(&svc.db, &email)
                .await?
                .ok_or(Error::NotFound)?;
            if existing.activated_at.is_none() {
                send_activation(svc, existing.id, &email).await
            } else {
                let body = format!(
                    "有人用这个邮箱地址申请注册共治账号，但它已经注册过了。\n\
                     如果是您本人，请直接登录；忘记密码可在此重设：{url}/reset\n\
                     如果不是您，请忽略本邮件。\n\n\
                     Someone tried to sign up for Gongzhi with this email address, which already has an account.\n\
                     If it was you, just log in; if you forgot your password, reset it here: {url}/reset\n\
                     If it was not you, ignore this message.\n",
                    url = svc.public_url
                );
                svc.mailer
                    .send(
                        &svc.db,
                        &svc.jobs,
                        &email,
                        "共治账号 / Your Gongzhi account",
                        &body,
                    )
                    .await
            }
        }
    }
}

pub(crate) async fn send_activation(
    svc: &Services,
    user_id: i64,
    email: &str,
) -> Result<(), Error> {
    let token = new_token();
    let t = now();
    with_db!(&svc.db, p => {
        sqlx::query(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, 'activate', $3, $4)",
        )
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(t)
        .bind(t + Duration::hours(ACTIVATION_TTL_HOURS))
        .execute(p)
        .await.map(|r| r.rows_affected())
    })?;
    let link = format!("{}/activate/{}", svc.public_url, token);
    let body = format!(
        "欢迎加入共治！请在 {ACTIVATION_TTL_HOURS} 小时内打开以下链接激活账号：\n{link}\n\n\
         Welcome to Gongzhi! Open this link within {ACTIVATION_TTL_HOURS} hours to activate your account:\n{link}\n\n\
         如果您没有注册，请忽略本邮件。 If you did not sign up, ignore this message.\n"
    );
    svc.mailer
        .send(
            &svc.db,
            &svc.jobs,
            email,
            "激活共治账号 / Activate your Gongzhi account",
            &body,
        )
        .await
}

/// Uses a one-time link of `purpose` and returns its user id. The token is marked used in
/// the same statement that checks it, so a link works once even when clicked twice at once.
pub(crate) async fn consume_token(
    svc: &Services,
    token: &str,
    purpose: &str,
    field: &str,
) -> Result<i64, Error> {
    let t = now();
    let user_id: Option<i64> = with_db!(&svc.db, p => {
        sqlx::query_scalar(
            "UPDATE email_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(t)
        .bind(hash_token(token))
        .bind(purpose)
        .fetch_optional(p)
        .await
    })?;
    user_id.ok_or_else(|| Error::field(field, crate::Problem::ExpiredLink))
}

/// Follows an activation link: activates the account and signs it in.
/// Returns the user and the new session token.
pub async fn activate(
    svc: &Services,
    token: &str,
    user_agent: Option<&str>,
) -> Result<(Me, String), Error> {
    let user_id = consume_token(svc, token, "activate", "token").await?;
    let t = now();
    let sql = format!(
        "UPDATE users SET activated_at = COALESCE(activated_at, $1), updated_at = $1 WHERE id = $2 RETURNING {USER_COLUMNS}"
    );
    let row: UserRow =
        with_db!(&svc.db, p => sqlx::query_as(&sql).bind(t).bind(user_id).fetch_one(p).await)?;
    let session = sessions::create(svc, user_id, user_agent).await?;
    Ok((row.into_me(), session))
}
