//! One page component per file.

mod account;
mod activate;
mod admin_outbox;
mod admin_users;
mod coming_soon;
mod home;
mod login;
mod not_found;
mod reset;
mod signup;

pub use account::AccountPage;
pub use activate::ActivatePage;
pub use admin_outbox::AdminOutboxPage;
pub use admin_users::AdminUsersPage;
pub use coming_soon::ComingSoon;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use reset::{ResetPasswordPage, ResetRequestPage};
pub use signup::SignUpPage;

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{msg, t, use_lang};

/// What a page shows when its data could not be loaded: the reason, and a way on.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let lang = use_lang();
    let signin = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="alert alert-error" role="alert">
            <p>{error.message(lang)}</p>
            {signin.then(|| view! { <p><a href="/login">{t(msg::LOG_IN)}</a></p> })}
        </div>
    }
}
