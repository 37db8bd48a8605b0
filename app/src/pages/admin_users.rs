use gongzhi_domain::model::{Department, Role, UserSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::admin::{list_users, SetRole, USERS_PAGE};
use crate::components::page_in;
use crate::error::problem_text;
use crate::i18n::{msg, role_name, t, use_lang};
use crate::pages::LoadError;
use crate::util::query_escape;

/// Admins list users and change their roles and departments.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = page_in(query);
    let users = Resource::new(move || (q(), page()), |(q, page)| list_users(q, page));
    view! {
        <Title text=t(msg::ADMIN_USERS_TITLE)/>
        <h1>{t(msg::ADMIN_USERS_TITLE)}</h1>
        <p><A href="/admin/outbox">{t(msg::ADMIN_OUTBOX_TITLE)}</A></p>
        <form method="get" action="/admin/users" class="search-form" role="search">
            <label for="q">{t(msg::ADMIN_SEARCH)}</label>
            <div class="row">
                <input id="q" name="q" type="search" value=q/>
                <button type="submit" class="btn">{t(msg::SEARCH)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <p>{t(msg::LOADING)}</p> }>
            {move || users.get().map(|r| match r {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => {
                    let total = p.total;
                    let depts = p.departments.clone();
                    let pg = page();
                    let qs = q();
                    view! {
                        <p>{t(msg::USERS_TOTAL)}": "{total}</p>
                        {p.users.is_empty().then(|| view! { <p>{t(msg::NO_USERS)}</p> })}
                        <ul class="user-list">
                            {p.users.into_iter().map(|u| view! { <UserRow user=u departments=depts.clone()/> }).collect_view()}
                        </ul>
                        <nav class="pager" aria-label=t(msg::PAGES)>
                            {(pg > 0).then(|| view! {
                                <A href=format!("/admin/users?q={}&page={}", query_escape(&qs), pg - 1)>{t(msg::PREVIOUS_PAGE)}</A>
                            })}
                            {((pg + 1) * USERS_PAGE < total).then(|| view! {
                                <A href=format!("/admin/users?q={}&page={}", query_escape(&qs), pg + 1)>{t(msg::NEXT_PAGE)}</A>
                            })}
                        </nav>
                    }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn UserRow(user: UserSummary, departments: Vec<Department>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SetRole>::new();
    let saved = move || matches!(action.value().get(), Some(Ok(_)));
    let problem = move || match action.value().get() {
        Some(Err(e)) => Some(
            e.field("role")
                .or(e.field("department_id"))
                .map(|p| problem_text(p, lang))
                .unwrap_or_else(|| e.message(lang)),
        ),
        _ => None,
    };
    let id = user.id;
    let role_id = format!("role-{id}");
    let dept_id = format!("dept-{id}");
    let err_id = format!("row-error-{id}");
    view! {
        <li class="user-row" data-email=user.email.clone()>
            <div class="user-facts">
                <strong>{user.display_name.clone()}</strong>
                <span class="muted">{user.email.clone()}</span>
                <span class="muted">
                    {if user.activated { t(msg::ACTIVE) } else { t(msg::NOT_ACTIVE) }}
                    " · "{t(msg::JOINED)}" "{user.created_at.format("%Y-%m-%d").to_string()}
                </span>
            </div>
            <ActionForm action attr:class="role-form">
                <input type="hidden" name="user_id" value=id.to_string()/>
                <div class="field">
                    <label for=role_id.clone()>{t(msg::ROLE)}</label>
                    <select id=role_id name="role" aria-describedby=err_id.clone()>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{role_name(r).get(lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=dept_id.clone()>{t(msg::DEPARTMENT)}</label>
                    <select id=dept_id name="department_id" aria-describedby=err_id.clone()>
                        <option value="" selected=user.department_id.is_none()>{t(msg::NO_DEPARTMENT)}</option>
                        {departments.into_iter().filter(|d| !d.retired).map(|d| view! {
                            <option value=d.id.to_string() selected=user.department_id == Some(d.id)>{d.name(lang).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="btn">{t(msg::SAVE)}</button>
                <span class="saved" role="status">{move || saved().then(|| t(msg::SAVED))}</span>
                <p class="field-error" id=err_id hidden=move || problem().is_none()>{problem}</p>
            </ActionForm>
        </li>
    }
}
