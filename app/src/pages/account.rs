use gongzhi_domain::validate::PASSWORD_MAX;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::{get_account, ChangePassword};
use crate::api::moderation::my_suspension;
use crate::auth::use_auth;
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::components::moderation::SuspensionNotice;
use crate::i18n::{msg, role_name, t, use_lang};
use crate::pages::LoadError;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    let lang = use_lang();
    let account = Resource::new(
        move || auth.me.get().map(|r| r.ok().flatten().map(|m| m.id)),
        |_| get_account(),
    );
    // Told why and until when, if suspended from posting.
    let suspension = Resource::new(
        move || auth.me.get().map(|r| r.ok().flatten().map(|m| m.id)),
        |_| my_suspension(),
    );
    let change = ServerAction::<ChangePassword>::new();
    let error = action_error(change);
    let pending = change.pending().into();
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <Title text=t(msg::ACCOUNT_TITLE)/>
        <h1>{t(msg::ACCOUNT_TITLE)}</h1>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || account.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok((me, dept)) => view! {
                    {suspension.get().and_then(|r| r.ok()).flatten().map(|s| view! { <SuspensionNotice s/> })}
                    <dl class="facts">
                        <dt>{t(msg::DISPLAY_NAME)}</dt><dd class="user-name">{me.display_name.clone()}</dd>
                        <dt>{t(msg::EMAIL)}</dt><dd>{me.email.clone()}</dd>
                        <dt>{t(msg::ROLE)}</dt><dd>{role_name(me.role).get(lang)}</dd>
                        <dt>{t(msg::DEPARTMENT)}</dt>
                        <dd>{dept.map(|d| d.name(lang).to_string()).unwrap_or_else(|| msg::NO_DEPARTMENT.get(lang).to_string())}</dd>
                    </dl>
                    <section class="narrow" aria-labelledby="change-password">
                        <h2 id="change-password">{t(msg::CHANGE_PASSWORD)}</h2>
                        <div class="alert alert-success" role="status" hidden=move || !changed()>
                            {t(msg::PASSWORD_CHANGED)}
                        </div>
                        <ActionForm action=change attr:class="stack" attr:novalidate=true>
                            <FormAlert error/>
                            <Field name="current_password" label=msg::CURRENT_PASSWORD input_type="password" autocomplete="current-password" required=true error/>
                            <Field name="new_password" label=msg::NEW_PASSWORD hint=msg::PASSWORD_HINT input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                            <Field name="new_password_confirm" label=msg::NEW_PASSWORD_CONFIRM input_type="password" autocomplete="new-password" required=true maxlength=PASSWORD_MAX error/>
                            <Submit label=msg::CHANGE_PASSWORD pending/>
                        </ActionForm>
                    </section>
                    <ActionForm action=auth.log_out attr:class="stack">
                        <button type="submit" class="btn">{t(msg::LOG_OUT)}</button>
                    </ActionForm>
                }.into_any(),
            })}
        </Transition>
    }
}
