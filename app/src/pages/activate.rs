use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::auth::use_auth;
use crate::components::form::{action_error, FormAlert, Submit};
use crate::i18n::{msg, t};

/// The activation link opens this page; the account is activated only by pressing the
/// button (a POST), so mail scanners that follow links do not use it up.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let error = action_error(auth.activate);
    let pending = auth.activate.pending().into();
    view! {
        <Title text=t(msg::ACTIVATE_TITLE)/>
        <div class="narrow">
            <h1>{t(msg::ACTIVATE_TITLE)}</h1>
            <p>{t(msg::ACTIVATE_TEXT)}</p>
            <ActionForm action=auth.activate attr:class="stack">
                <FormAlert error/>
                {move || error.get().and_then(|e| e.field("token").cloned()).map(|p| view! {
                    <p class="field-error">{crate::error::problem_text(&p, crate::i18n::use_lang())}</p>
                })}
                <input type="hidden" name="token" value=token/>
                <Submit label=msg::ACTIVATE_BUTTON pending/>
            </ActionForm>
        </div>
    }
}
