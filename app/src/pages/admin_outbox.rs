use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::admin::outbox;
use crate::i18n::{msg, t};
use crate::pages::LoadError;

/// Mail that left, or is waiting because no SMTP server is configured.
#[component]
pub fn AdminOutboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| outbox());
    view! {
        <Title text=t(msg::ADMIN_OUTBOX_TITLE)/>
        <h1>{t(msg::ADMIN_OUTBOX_TITLE)}</h1>
        <p><A href="/admin/users">{t(msg::ADMIN_USERS_TITLE)}</A></p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || messages.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>{t(msg::OUTBOX_EMPTY)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="outbox">
                        {list.into_iter().map(|m| view! {
                            <li class="mail">
                                <p><strong>{t(msg::SUBJECT)}": "</strong>{m.subject}</p>
                                <p><strong>{t(msg::TO)}": "</strong><span class="mail-to">{m.to_address}</span></p>
                                <p class="muted">
                                    {m.created_at.format("%Y-%m-%d %H:%M UTC").to_string()}" · "
                                    {if m.sent_at.is_some() { t(msg::SENT) } else { t(msg::NOT_SENT) }}
                                    {m.last_error.map(|e| format!(" · {e}"))}
                                </p>
                                <pre class="mail-body">{m.body_text}</pre>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
    }
}
