//! The signed-in user's notifications: news on the reports they follow.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::reports::{notifications, MarkNotificationsRead, SetEmailNotifications};
use crate::i18n::{msg, status_name, t, use_lang};
use crate::pages::LoadError;
use crate::util::local_datetime;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let email = ServerAction::<SetEmailNotifications>::new();
    let data = Resource::new(
        move || (mark.version().get(), email.version().get()),
        |_| notifications(),
    );
    view! {
        <Title text=t(msg::NOTIFICATIONS)/>
        <h1>{t(msg::NOTIFICATIONS)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => view! {
                    <ActionForm action=email attr:class="card stack">
                        <label class="check"><input type="checkbox" name="on" value="on" checked=list.email/>" "{t(msg::EMAIL_NOTIFICATIONS)}</label>
                        {(!list.smtp).then(|| view! { <p class="hint">{t(msg::EMAIL_NOT_CONFIGURED)}</p> })}
                        <button type="submit" class="btn">{t(msg::SAVE)}</button>
                    </ActionForm>
                    {(list.unread > 0).then(|| view! {
                        <ActionForm action=mark attr:class="stack">
                            <button type="submit" class="btn">{t(msg::MARK_ALL_READ)}" ("{list.unread}")"</button>
                        </ActionForm>
                    })}
                    {list.items.is_empty().then(|| view! { <p class="notice">{t(msg::NOTIFICATIONS_EMPTY)}</p> })}
                    <ul class="notifications">
                        {list.items.into_iter().map(|n| {
                            let status = n.status.as_deref().and_then(gongzhi_domain::model::report::ReportStatus::parse);
                            view! {
                                <li class="notification" class:unread=n.read_at.is_none()>
                                    {n.read_at.is_none().then(|| view! { <span class="badge badge-unread">{t(msg::UNREAD)}</span>" " })}
                                    {n.report_id.map(|id| view! {
                                        <A href=format!("/reports/{id}") attr:rel="external">{t(msg::NOTIF_UPDATE)}" #"{id}</A>
                                    })}
                                    {status.map(|s| view! { " · "<strong>{status_name(s).get(lang)}</strong> })}
                                    {n.note.clone().filter(|n| !n.is_empty()).map(|note| view! { <p class="timeline-note">{note}</p> })}
                                    <p class="muted"><time datetime=n.created_at.to_rfc3339()>{local_datetime(n.created_at)}</time></p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
    .into_any()
}
