//! The city's departments: names in both languages, and which is the dispatch centre
//! (指挥中心) of the built-in case workflow.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{admin_departments, SaveDepartment};
use crate::components::form::{action_error, Field, FormAlert, Submit};
use crate::i18n::{msg, t, use_lang};
use crate::pages::admin_catalog::AdminTabs;
use crate::pages::LoadError;

#[component]
pub fn AdminDepartmentsPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveDepartment>::new();
    let error = action_error(save);
    let pending = save.pending().into();
    let list = Resource::new(move || save.version().get(), |_| admin_departments());
    let saved = move || save.value().get().and_then(|r| r.ok()).is_some();
    view! {
        <Title text=t(msg::ADMIN_DEPTS_TITLE)/>
        <AdminTabs/>
        <h1>{t(msg::ADMIN_DEPTS_TITLE)}</h1>
        <p>{t(msg::DEPTS_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => view! {
                    <ul class="admin-list">
                        {list.into_iter().map(|d| view! {
                            <li class="admin-row">
                                <span><strong>{d.name(lang).to_string()}</strong>" "<code>{d.code.clone()}</code></span>
                                <span class="muted">{match lang {
                                    gongzhi_domain::model::Lang::Zh => d.name_en.clone(),
                                    gongzhi_domain::model::Lang::En => d.name_zh.clone(),
                                }}</span>
                                {d.dispatch.then(|| view! { <span class="badge badge-stage-dispatched">{msg::DISPATCH_CENTRE.get(lang)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
        <section aria-labelledby="dept-form">
            <h2 id="dept-form">{t(msg::SAVE_DEPT)}</h2>
            <div class="alert alert-success" role="status" hidden=move || !saved()>{t(msg::DEPT_SAVED)}</div>
            <ActionForm action=save attr:class="stack" attr:novalidate=true>
                <FormAlert error/>
                <Field name="code" label=msg::CODE hint=msg::DEPT_CODE_HINT required=true maxlength=64 error/>
                <Field name="name_zh" label=msg::NAME_ZH required=true maxlength=100 error/>
                <Field name="name_en" label=msg::NAME_EN required=true maxlength=100 error/>
                <label class="check"><input type="checkbox" name="dispatch" value="on"/>" "{t(msg::DISPATCH_LABEL)}</label>
                <Submit label=msg::SAVE pending/>
            </ActionForm>
        </section>
    }
    .into_any()
}
