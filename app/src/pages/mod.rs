//! One page component per file.

mod account;
mod activate;
mod admin_catalog;
mod admin_outbox;
mod admin_users;
mod coming_soon;
mod home;
mod login;
mod not_found;
mod notifications;
pub(crate) mod report;
mod report_new;
mod reports;
mod reset;
mod signup;
mod track;

pub use account::AccountPage;
pub use activate::ActivatePage;
pub use admin_catalog::{AdminCategoriesPage, AdminCategoryEditPage, AdminGridsPage};
pub use admin_outbox::AdminOutboxPage;
pub use admin_users::AdminUsersPage;
pub use coming_soon::ComingSoon;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use notifications::NotificationsPage;
pub use report::ReportPage;
pub use report_new::NewReportPage;
pub use reports::{MyReportsPage, ReportsMapPage, ReportsPage};
pub use reset::{ResetPasswordPage, ResetRequestPage};
pub use signup::SignUpPage;
pub use track::{TrackFormPage, TrackPage};

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
