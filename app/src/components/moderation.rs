//! What moderation adds to content wherever it is shown: the flag form, the author's appeal
//! form, and the tombstone text of hidden content.

use gongzhi_domain::model::moderation::{HiddenWhy, ItemKind, Reason, Suspension};
use leptos::prelude::*;

use crate::api::moderation::{AppealItem, FlagItem};
use crate::components::form::{action_error, ErrorSignal};
use crate::error::problem_text;
use crate::i18n::{msg, reason_name, t, use_lang};

/// The hiding reason as a tombstone says it: "Hidden by moderators. Reason: Spam (note)".
pub fn hidden_text(why: &HiddenWhy, lang: crate::i18n::Lang) -> String {
    let mut s = reason_name(why.reason).get(lang).to_string();
    if !why.note.is_empty() {
        s.push_str(match lang {
            crate::i18n::Lang::Zh => "。",
            crate::i18n::Lang::En => ". ",
        });
        s.push_str(&why.note);
    }
    s
}

/// The problem of the first of `fields` that has one, else the error's sentence.
#[component]
pub fn ErrorLine(error: ErrorSignal, fields: &'static [&'static str]) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        error.get().map(|e| {
            fields
                .iter()
                .find_map(|f| e.field(f).map(|p| problem_text(p, lang)))
                .unwrap_or_else(|| e.message(lang))
        })
    };
    view! {
        <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{text}</p>
    }
}

/// Whether a form posted without wasm that came back was this one (`target`): only it shows
/// the refusal and opens.
pub(crate) fn came_back(target: &str) -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::state::typed_value("target").as_deref() == Some(target)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = target;
        false
    }
}

/// What was typed into `name` of this form, when it came back refused.
pub(crate) fn typed(name: &str, here: bool) -> String {
    #[cfg(feature = "ssr")]
    {
        if here {
            return crate::state::typed_value(name).unwrap_or_default();
        }
    }
    let _ = (name, here);
    String::new()
}

/// "Flag" on an item: the reasons and a note, sent to the moderators.
#[component]
pub fn FlagForm(kind: ItemKind, id: i64, flagged: bool) -> impl IntoView {
    let lang = use_lang();
    if flagged {
        return view! { <span class="muted flagged">{t(msg::FLAGGED)}</span> }.into_any();
    }
    let action = ServerAction::<FlagItem>::new();
    let target = format!("flag-{}-{id}", kind.as_str());
    let here = came_back(&target);
    let all = action_error(action);
    let error: ErrorSignal = Signal::derive(move || all.get().filter(|_| here));
    let prefix = format!("{}-{id}-flag", kind.as_str());
    let note_id = format!("{prefix}-note");
    view! {
        <details class="flag" open=here>
            <summary>{t(msg::FLAG)}</summary>
            <ActionForm action=action attr:class="stack">
                <ErrorLine error=error fields=&["reason", "note"]/>
                <input type="hidden" name="kind" value=kind.as_str()/>
                <input type="hidden" name="id" value=id.to_string()/>
                <fieldset>
                    <legend>{t(msg::FLAG_LEGEND)}</legend>
                    {Reason::ALL.into_iter().map(|r| {
                        let rid = format!("{prefix}-{}", r.as_str());
                        view! {
                            <label class="check" for=rid.clone()>
                                <input type="radio" id=rid.clone() name="reason" value=r.as_str() required=true/>" "{reason_name(r).get(lang)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for=note_id.clone()>{t(msg::FLAG_NOTE)}</label>
                    <textarea id=note_id name="note" rows="2" maxlength="500">{typed("flag_note", here)}</textarea>
                </div>
                <input type="hidden" name="target" value=target/>
                <button type="submit" class="btn btn-small">{t(msg::FLAG_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// The author's appeal against a hiding, or where it stands.
#[component]
pub fn AppealForm(kind: ItemKind, id: i64, can_appeal: bool, appealed: bool) -> impl IntoView {
    if appealed {
        return view! { <p class="muted">{t(msg::APPEALED)}</p> }.into_any();
    }
    if !can_appeal {
        return ().into_any();
    }
    let action = ServerAction::<AppealItem>::new();
    let target = format!("appeal-{}-{id}", kind.as_str());
    let here = came_back(&target);
    let all = action_error(action);
    let error: ErrorSignal = Signal::derive(move || all.get().filter(|_| here));
    let body_id = format!("{}-{id}-appeal", kind.as_str());
    view! {
        <details class="appeal" open=here>
            <summary>{t(msg::APPEAL)}</summary>
            <ActionForm action=action attr:class="stack">
                <ErrorLine error=error fields=&["body"]/>
                <input type="hidden" name="kind" value=kind.as_str()/>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="target" value=target/>
                <div class="field">
                    <label for=body_id.clone()>{t(msg::APPEAL_BODY)}</label>
                    <p class="hint">{t(msg::APPEAL_HINT)}</p>
                    <textarea id=body_id name="body" rows="3" maxlength="1000" required=true>{typed("appeal_body", here)}</textarea>
                </div>
                <button type="submit" class="btn btn-small">{t(msg::APPEAL_SUBMIT)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// A moderator's decision on one item: the actions that fit it, a reason, a public note.
#[component]
pub fn ModerateForm(
    kind: ItemKind,
    id: i64,
    actions: Vec<gongzhi_domain::model::moderation::Action>,
    #[prop(optional)] open: bool,
) -> impl IntoView {
    use crate::api::moderation::Moderate;
    use crate::i18n::action_button;
    let lang = use_lang();
    let action = ServerAction::<Moderate>::new();
    let target = format!("mod-{}-{id}", kind.as_str());
    let here = came_back(&target);
    let all = action_error(action);
    let error: ErrorSignal = Signal::derive(move || all.get().filter(|_| here));
    let prefix = format!("{}-{id}-mod", kind.as_str());
    let (reason_id, note_id) = (format!("{prefix}-reason"), format!("{prefix}-note"));
    view! {
        <details class="moderate" open=open || here>
            <summary>{t(msg::MOD_DECIDE)}</summary>
            <ActionForm action=action attr:class="stack">
                <ErrorLine error=error fields=&["item", "action", "reason", "note"]/>
                <input type="hidden" name="kind" value=kind.as_str()/>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="target" value=target/>
                <fieldset>
                    <legend>{t(msg::MOD_ACTION)}</legend>
                    {actions.into_iter().map(|a| {
                        let aid = format!("{prefix}-{}", a.as_str());
                        view! {
                            <label class="check" for=aid.clone()>
                                <input type="radio" id=aid.clone() name="action" value=a.as_str() required=true/>" "{action_button(a).get(lang)}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for=reason_id.clone()>{t(msg::MOD_REASON)}</label>
                    <select id=reason_id name="reason">
                        <option value="">"—"</option>
                        {Reason::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{reason_name(r).get(lang)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=note_id.clone()>{t(msg::MOD_NOTE)}</label>
                    <p class="hint">{t(msg::MOD_NOTE_HINT)}</p>
                    <textarea id=note_id name="note" rows="2" maxlength="500">{typed("mod_note", here)}</textarea>
                </div>
                <button type="submit" class="btn btn-small btn-primary">{t(msg::MOD_APPLY)}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// The actions a moderator may take on an item in its present state.
pub fn fitting_actions(
    kind: ItemKind,
    visibility: gongzhi_domain::model::deliberation::Visibility,
    locked: bool,
    appealed: bool,
    blurred: bool,
) -> Vec<gongzhi_domain::model::moderation::Action> {
    use gongzhi_domain::model::deliberation::Visibility as V;
    use gongzhi_domain::model::moderation::Action as A;
    let mut out = Vec::new();
    if kind == ItemKind::Photo {
        out.push(if blurred { A::Unblur } else { A::Blur });
        out.push(A::Dismiss);
        return out;
    }
    match visibility {
        V::Held => out.extend([A::Approve, A::Hide]),
        V::Visible => out.push(A::Hide),
        V::Hidden => {
            out.push(A::Restore);
            if appealed {
                out.push(A::Uphold);
            }
        }
    }
    if !appealed {
        out.push(A::Dismiss);
    }
    if matches!(kind, ItemKind::Comment | ItemKind::Proposal) {
        out.push(if locked { A::Unlock } else { A::Lock });
    }
    out
}

/// The signed-in user's suspension, told on their account page.
#[component]
pub fn SuspensionNotice(s: Suspension) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="alert alert-error" role="status">
            <p><strong>{t(msg::SUSPENDED_TITLE)}</strong></p>
            <p>{match s.ends_at {
                Some(t) => format!("{}{}", msg::SUSPENDED_UNTIL.get(lang), crate::util::local_datetime(t)),
                None => msg::SUSPENDED_BANNED.get(lang).to_string(),
            }}</p>
            <p>{msg::SUSPENDED_REASON.get(lang)}{reason_name(s.reason).get(lang)}
                {(!s.note.is_empty()).then(|| format!(" · {}", s.note))}</p>
            <p>{t(msg::SUSPENDED_READ)}</p>
        </div>
    }
}
