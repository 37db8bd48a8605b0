//! The page frame: skip link, header with navigation, language switch and account links,
//! main content, footer.

use gongzhi_domain::model::Role;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::use_auth;
use crate::i18n::{msg, t, use_lang, Lang};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{t(msg::SKIP_TO_CONTENT)}</a>
        <Header/>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t(msg::FOOTER_TEXT)}</p>
            <p>
                <a href="/moderation/log" rel="external">{t(msg::MOD_LOG_TITLE)}</a>" · "
                <a href="/open-data" rel="external">{t(msg::NAV_OPEN_DATA)}</a>
            </p>
        </footer>
    }
}

#[component]
fn Header() -> impl IntoView {
    let auth = use_auth();
    let is_admin = move || {
        auth.me
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|m| m.role == Role::Admin)
    };
    // Officials and admins work cases in the back office.
    let is_staff = move || {
        auth.me
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|m| matches!(m.role, Role::Admin | Role::Official))
    };
    // Moderators and admins work the review queue.
    let moderates = move || {
        auth.me
            .get()
            .and_then(|r| r.ok())
            .flatten()
            .is_some_and(|m| matches!(m.role, Role::Admin | Role::Moderator))
    };
    view! {
        <header class="site-header">
            <div class="header-top">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"共"</span>
                    <span>{t(msg::APP_NAME)}</span>
                </A>
                <div class="header-tools">
                    <LangSwitch/>
                    <AccountLinks/>
                </div>
            </div>
            <nav aria-label=t(msg::NAV_LABEL) class="main-nav">
                <ul>
                    <li><A href="/reports" attr:rel="external">{t(msg::NAV_REPORTS)}</A></li>
                    <li><A href="/deliberation" attr:rel="external">{t(msg::NAV_DELIBERATION)}</A></li>
                    <li><A href="/ask" attr:rel="external">{t(msg::NAV_ASK)}</A></li>
                    <li><A href="/services" attr:rel="external">{t(msg::NAV_SERVICES)}</A></li>
                    <li><A href="/results" attr:rel="external">{t(msg::NAV_RESULTS)}</A></li>
                    <Transition fallback=|| ()>
                        {move || is_staff().then(|| view! {
                            <li><A href="/cases" attr:rel="external">{t(msg::NAV_CASES)}</A></li>
                        })}
                        {move || moderates().then(|| view! {
                            <li><A href="/moderation" attr:rel="external">{t(msg::NAV_MODERATION)}</A></li>
                        })}
                        {move || is_admin().then(|| view! {
                            <li><A href="/admin/users">{t(msg::NAV_ADMIN)}</A></li>
                        })}
                    </Transition>
                </ul>
            </nav>
        </header>
    }
}

/// A plain form, so switching works without wasm too: the server sets the `lang` cookie and
/// sends the browser back to the same page, now in the other language.
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let other = match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let next = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <input type="hidden" name="lang" value=other.tag()/>
            <input type="hidden" name="next" value=next/>
            <button type="submit" class="btn btn-link">
                <span class="visually-hidden">{t(msg::LANG_SWITCH_LABEL)}": "</span>
                <span lang=other.tag()>{msg::LANG_OTHER.get(lang)}</span>
            </button>
        </form>
    }
}

#[component]
fn AccountLinks() -> impl IntoView {
    let auth = use_auth();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let me = auth.me.get().and_then(|r| r.ok()).flatten();
                match me {
                    Some(me) => view! {
                        <A href="/me" attr:class="account-link">
                            <span class="visually-hidden">{t(msg::MY_ACCOUNT)}": "</span>
                            <span class="user-name">{me.display_name}</span>
                        </A>
                        <A href="/me/reports" attr:class="btn btn-link">{t(msg::MY_REPORTS)}</A>
                        <A href="/me/notifications" attr:class="btn btn-link">{t(msg::NOTIFICATIONS)}</A>
                        <ActionForm action=auth.log_out attr:class="inline-form">
                            <button type="submit" class="btn btn-link">{t(msg::LOG_OUT)}</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <A href="/login" attr:class="btn btn-link">{t(msg::LOG_IN)}</A>
                        <A href="/signup" attr:class="btn btn-small">{t(msg::SIGN_UP)}</A>
                    }.into_any(),
                }
            }}
        </Transition>
    }
}
