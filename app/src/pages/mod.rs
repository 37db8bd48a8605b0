//! One page component per file.

mod account;
mod activate;
mod admin_cases;
mod admin_catalog;
mod admin_departments;
mod admin_outbox;
mod admin_users;
#[cfg(feature = "ssr")]
mod cases;
#[cfg(feature = "ssr")]
mod deliberation;
mod home;
#[cfg(feature = "ssr")]
mod live;
mod login;
#[cfg(feature = "ssr")]
mod moderation;
mod not_found;
mod notifications;
#[cfg(feature = "ssr")]
mod opendata;
#[cfg(feature = "ssr")]
mod outcomes;
#[cfg(feature = "ssr")]
mod questions;
#[cfg(feature = "ssr")]
pub(crate) mod report;
mod report_new;
mod reports;
mod reset;
#[cfg(feature = "ssr")]
mod results;
#[cfg(feature = "ssr")]
mod results_lists;
#[cfg(feature = "ssr")]
mod services;
mod signup;
#[cfg(feature = "ssr")]
mod track;

pub use account::AccountPage;
pub use activate::ActivatePage;
pub use admin_cases::{AdminApiKeysPage, AdminJobsPage};
pub use admin_catalog::{AdminCategoriesPage, AdminCategoryEditPage, AdminGridsPage};
pub use admin_departments::AdminDepartmentsPage;
pub use admin_outbox::AdminOutboxPage;
pub use admin_users::AdminUsersPage;
#[cfg(feature = "ssr")]
pub use cases::{CaseInboxPage, CaseWorkPage};
#[cfg(feature = "ssr")]
pub use deliberation::{ProcessFormPage, ProcessListPage, ProcessPage, ProposalPage};
pub use home::HomePage;
#[cfg(feature = "ssr")]
pub use live::{LiveListPage, LivePage};
pub use login::LoginPage;
#[cfg(feature = "ssr")]
pub use moderation::{ModerationLogPage, ModerationQueuePage, ModerationSettingsPage};
pub use not_found::NotFound;
pub use notifications::NotificationsPage;
#[cfg(feature = "ssr")]
pub use opendata::OpenDataPage;
#[cfg(feature = "ssr")]
pub use questions::{
    AdminDeadlinesPage, AskPage, DepartmentPage, DepartmentsPage, QuestionListPage, QuestionPage,
};
#[cfg(feature = "ssr")]
pub use report::ReportPage;
pub use report_new::NewReportPage;
pub use reports::{MyReportsPage, ReportsMapPage, ReportsPage};
pub use reset::{ResetPasswordPage, ResetRequestPage};
#[cfg(feature = "ssr")]
pub use results::ResultsPage;
#[cfg(feature = "ssr")]
pub use results_lists::{RatingsListPage, RectificationsListPage};
#[cfg(feature = "ssr")]
pub use services::{ServicePage, ServicesPage};
pub use signup::SignUpPage;
#[cfg(feature = "ssr")]
pub use track::{TrackFormPage, TrackPage};
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ProcessListPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ProcessPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ProcessFormPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ProposalPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ReportPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as CaseInboxPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as CaseWorkPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as TrackPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as TrackFormPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ModerationQueuePage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ModerationLogPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ModerationSettingsPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as QuestionListPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as AskPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as QuestionPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as DepartmentsPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as DepartmentPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as AdminDeadlinesPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as LiveListPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as LivePage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ServicesPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ServicePage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as ResultsPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as RatingsListPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as RectificationsListPage;
#[cfg(not(feature = "ssr"))]
pub use FullPageLoad as OpenDataPage;

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

/// In the browser build, a page that is always served as plain HTML (see
/// `PAGES_WITHOUT_WASM`): its view code stays out of the wasm bundle, and should the
/// client-side router ever reach it, the browser loads it in full.
#[cfg(not(feature = "ssr"))]
#[component]
pub fn FullPageLoad() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    view! { <p><a href=move || location.pathname.get() rel="external">{t(msg::LOADING)}</a></p> }
}
