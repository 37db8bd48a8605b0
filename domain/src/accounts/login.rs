//! Signing in and out.

use crate::error::{Error, Problems};
use crate::model::Me;
use crate::ratelimit::{self, Scope};
use crate::validate;
use crate::Services;

use super::{find_by_email, password, sessions};

/// Signs in with email and password and returns the user and a new session token.
///
/// Any session the browser already had is ended first, so the session id changes at every
/// sign-in (no session fixation). Wrong email and wrong password give the same error after
/// the same amount of work. Failures count against both the account and the client IP.
pub async fn log_in(
    svc: &Services,
    email: &str,
    pw: &str,
    ip: &str,
    user_agent: Option<&str>,
    previous_session: Option<&str>,
) -> Result<(Me, String), Error> {
    let mut problems = Problems::default();
    if email.trim().is_empty() {
        problems.add("email", crate::Problem::Required);
    }
    if pw.is_empty() {
        problems.add("password", crate::Problem::Required);
    }
    problems.into_result()?;

    let email = validate::normalize_email(email);
    let l = &svc.limits;
    ratelimit::check(&svc.db, Scope::LoginIp, ip, l.login_per_ip, l.login_window).await?;
    ratelimit::check(
        &svc.db,
        Scope::LoginAccount,
        &email,
        l.login_per_account,
        l.login_window,
    )
    .await?;

    let user = find_by_email(&svc.db, &email).await?;
    let ok = password::verify(pw, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user = match (ok, user) {
        (true, Some(u)) if u.activated_at.is_some() => u,
        (true, Some(u)) => {
            // Right password, but the account was never activated: send a fresh link.
            super::signup::send_activation(svc, u.id, &u.email).await?;
            return Err(Error::NotActivated);
        }
        _ => {
            ratelimit::record(&svc.db, Scope::LoginIp, ip).await?;
            ratelimit::record(&svc.db, Scope::LoginAccount, &email).await?;
            return Err(Error::BadCredentials);
        }
    };
    ratelimit::clear(&svc.db, Scope::LoginAccount, &email).await?;
    if let Some(old) = previous_session {
        sessions::delete(&svc.db, old).await?;
    }
    let token = sessions::create(svc, user.id, user_agent).await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok((user.into_me(), token))
}

/// Ends the session of `token`.
pub async fn log_out(svc: &Services, token: &str) -> Result<(), Error> {
    sessions::delete(&svc.db, token).await
}
