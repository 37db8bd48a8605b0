//! The city's departments: names in both languages, which is the dispatch centre (指挥中心)
//! of the built-in case workflow, and retiring one into a successor in a reorganisation.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{admin_departments, RetireDepartment, SaveDepartment};
use crate::components::form::{action_error, DepartmentField, Field, FormAlert, Submit, TextArea};
use crate::i18n::{msg, t, use_lang};
use crate::pages::admin_catalog::AdminTabs;
use crate::pages::LoadError;

#[component]
pub fn AdminDepartmentsPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveDepartment>::new();
    let error = action_error(save);
    let pending = save.pending().into();
    let retire = ServerAction::<RetireDepartment>::new();
    let retire_error = action_error(retire);
    let retire_pending = retire.pending().into();
    // A refused retirement must not re-render the form (what was typed would go): the list
    // is read again only after one went through.
    // After one went through, the form is emptied: nothing chosen, not confirmed.
    let retired = RwSignal::new(0u32);
    let retire_form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(retire.value().get(), Some(Ok(_))) {
            retired.update(|n| *n += 1);
            if let Some(form) = retire_form.get_untracked() {
                form.reset();
            }
        }
    });
    let list = Resource::new(
        move || (save.version().get(), retired.get()),
        |_| admin_departments(),
    );
    let saved = move || save.value().get().and_then(|r| r.ok()).is_some();
    let moved = move || retire.value().get().and_then(|r| r.ok());
    // The one problem a checkbox has: it was not ticked.
    let confirm_problem = move || {
        retire_error.get().and_then(|e| {
            e.field("confirm")
                .is_some()
                .then(|| msg::P_CONFIRM.get(lang))
        })
    };
    view! {
        <Title text=t(msg::ADMIN_DEPTS_TITLE)/>
        <AdminTabs/>
        <h1>{t(msg::ADMIN_DEPTS_TITLE)}</h1>
        <p>{t(msg::DEPTS_INTRO)}</p>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) => {
                    let successor = |id: Option<i64>| {
                        id.and_then(|id| list.iter().find(|d| d.id == id)).map(|d| d.name(lang).to_string())
                    };
                    let rows = list.iter().map(|d| view! {
                        <li class="admin-row">
                            <span><strong>{d.name(lang).to_string()}</strong>" "<code>{d.code.clone()}</code></span>
                            <span class="muted">{match lang {
                                gongzhi_domain::model::Lang::Zh => d.name_en.clone(),
                                gongzhi_domain::model::Lang::En => d.name_zh.clone(),
                            }}</span>
                            {d.dispatch.then(|| view! { <span class="badge badge-stage-dispatched">{msg::DISPATCH_CENTRE.get(lang)}</span> })}
                            {d.retired.then(|| view! {
                                <span class="muted">{msg::DEPT_RETIRED_TO.get(lang)}{successor(d.successor_id)}</span>
                            })}
                        </li>
                    }).collect_view();
                    view! { <ul class="admin-list">{rows}</ul> }.into_any()
                }
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
        <section aria-labelledby="dept-retire">
            <h2 id="dept-retire">{t(msg::RETIRE_DEPT)}</h2>
            <p>{t(msg::RETIRE_INTRO)}</p>
            <div class="alert alert-success" role="status" hidden=move || moved().is_none()>
                {move || moved().map(|m| crate::i18n::moved_summary(&m, lang))}
            </div>
            <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
                {move || list.get().and_then(|r| r.ok()).map(|list| view! {
                    <ActionForm action=retire node_ref=retire_form attr:class="stack" attr:novalidate=true>
                        <FormAlert error=retire_error/>
                        <DepartmentField id="f-retire" label=msg::DEPT_TO_RETIRE departments=list.clone() error=retire_error/>
                        <DepartmentField id="f-successor" name="successor" label=msg::DEPT_SUCCESSOR departments=list error=retire_error/>
                        <TextArea name="note" label=msg::RETIRE_NOTE hint=msg::RETIRE_NOTE_HINT required=true maxlength=500 rows=2 error=retire_error/>
                        <div class="field">
                            <label class="check"><input type="checkbox" id="f-confirm" name="confirm" value="on" required=true
                                aria-describedby="f-confirm-error" aria-invalid=move || confirm_problem().is_some().then_some("true")/>
                                " "{t(msg::RETIRE_CONFIRM)}</label>
                            <p class="field-error" id="f-confirm-error" hidden=move || confirm_problem().is_none()>{confirm_problem}</p>
                        </div>
                        <Submit label=msg::RETIRE_BUTTON pending=retire_pending/>
                    </ActionForm>
                })}
            </Transition>
        </section>
    }
    .into_any()
}
