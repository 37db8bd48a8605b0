//! Sign-up, activation, sign-in and out, password change and reset.

use gongzhi_domain::model::{Department, Me};
use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::*;
#[cfg(feature = "ssr")]
use gongzhi_domain::accounts;

/// Only same-site paths are followed after sign-in, never another site.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/me".to_string()
    }
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    with_status(async move { current_user().await }.await)
}

/// The signed-in user with their department, for the account page.
#[server(prefix = "/api", endpoint = "account")]
pub async fn get_account() -> Result<(Me, Option<Department>), AppError> {
    with_status(
        async move {
            let me = require_user().await?;
            let dept = match me.department_id {
                Some(id) => gongzhi_domain::departments::get(&state()?.svc.db, id).await?,
                None => None,
            };
            Ok((me, dept))
        }
        .await,
    )
}

/// What the sign-up form shows after a successful submission.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignUpDone {
    /// False when mail stays in the outbox (no SMTP server configured).
    pub mail_sent: bool,
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    display_name: String,
    password: String,
    password_confirm: String,
) -> Result<SignUpDone, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("email", &email), ("display_name", &display_name)]);
            let input = accounts::signup::SignUp {
                email,
                display_name,
                password,
                password_confirm,
            };
            accounts::sign_up(&st.svc, input, &client_ip()).await?;
            Ok(SignUpDone {
                mail_sent: st.smtp_configured,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "activate")]
pub async fn activate(token: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let (_, session) = accounts::activate(&st.svc, &token, user_agent().as_deref()).await?;
            start_session(&session)?;
            leptos_axum::redirect("/me");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: String) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("email", &email)]);
            let previous = session_token();
            let (_, token) = accounts::log_in(
                &st.svc,
                &email,
                &password,
                &client_ip(),
                user_agent().as_deref(),
                previous.as_deref(),
            )
            .await?;
            start_session(&token)?;
            leptos_axum::redirect(&safe_next(&next));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    with_status(
        async move {
            if let Some(token) = session_token() {
                accounts::log_out(&state()?.svc, &token).await?;
            }
            clear_session_cookie();
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            let me = require_user().await?;
            let token = accounts::change_password(
                &st.svc,
                &me,
                &current_password,
                &new_password,
                &new_password_confirm,
                user_agent().as_deref(),
            )
            .await?;
            start_session(&token)?;
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "request_reset")]
pub async fn request_reset(email: String) -> Result<SignUpDone, AppError> {
    with_status(
        async move {
            let st = state()?;
            keep_typed(&[("email", &email)]);
            accounts::request_reset(&st.svc, &email, &client_ip()).await?;
            Ok(SignUpDone {
                mail_sent: st.smtp_configured,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    token: String,
    new_password: String,
    new_password_confirm: String,
) -> Result<(), AppError> {
    with_status(
        async move {
            let st = state()?;
            accounts::reset_password(&st.svc, &token, &new_password, &new_password_confirm).await?;
            clear_session_cookie();
            Ok(())
        }
        .await,
    )
}
