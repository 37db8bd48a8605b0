//! The satisfaction rating's fields (好差评): the five levels overall, the optional
//! dimensions (speed, result, attitude) and a comment. Used by every rating form (answers,
//! reports), each posting to its own server function.

use gongzhi_domain::model::rating::{Level, Rating, COMMENT_MAX};
use leptos::prelude::*;

use crate::components::form::{ErrorSignal, TextArea};
use crate::error::problem_text;
use crate::i18n::{level_name, msg, use_lang, Msg};

/// The five levels as radio buttons (`optional`: with "no rating" first).
#[component]
fn LevelChoice(
    name: &'static str,
    legend: Msg,
    optional: bool,
    chosen: Option<Level>,
    error: ErrorSignal,
) -> impl IntoView {
    let lang = use_lang();
    let problem = move || {
        error
            .get()
            .and_then(|e| e.field(name).cloned())
            .map(|p| problem_text(&p, lang))
    };
    let err_id = format!("rate-{name}-error");
    view! {
        <fieldset class="stance-choice level-choice" aria-describedby=err_id.clone()>
            <legend>{legend.get(lang)}{(!optional).then(|| view! { <span class="req">{msg::REQUIRED_MARK.get(lang)}</span> })}</legend>
            {optional.then(|| {
                let rid = format!("rate-{name}-none");
                view! {
                    <label class="check" for=rid.clone()>
                        <input type="radio" id=rid.clone() name=name value="" checked=chosen.is_none()/>" "{msg::Q_NOT_RATED_DIM.get(lang)}
                    </label>
                }
            })}
            {Level::ALL.into_iter().map(|l| {
                let rid = format!("rate-{name}-{}", l.as_str());
                view! {
                    <label class="check" for=rid.clone()>
                        <input type="radio" id=rid.clone() name=name value=l.as_str() required=!optional
                            checked=chosen == Some(l)/>" "{level_name(l).get(lang)}
                    </label>
                }
            }).collect_view()}
            <p class="field-error" id=err_id.clone() hidden=move || problem().is_none()>{problem}</p>
        </fieldset>
    }
}

/// The fields of a rating, filled with `rating` when it is being changed.
#[component]
pub fn RatingFields(rating: Option<Rating>, error: ErrorSignal) -> impl IntoView {
    let r = rating;
    view! {
        <LevelChoice name="level" legend=msg::Q_F_LEVEL optional=false chosen=r.as_ref().map(|r| r.level) error/>
        <LevelChoice name="speed" legend=msg::Q_F_SPEED optional=true chosen=r.as_ref().and_then(|r| r.speed) error/>
        <LevelChoice name="result" legend=msg::Q_F_RESULT optional=true chosen=r.as_ref().and_then(|r| r.result) error/>
        <LevelChoice name="attitude" legend=msg::Q_F_ATTITUDE optional=true chosen=r.as_ref().and_then(|r| r.attitude) error/>
        <TextArea name="rating_comment" label=msg::Q_F_RATING_COMMENT maxlength=COMMENT_MAX rows=2
            value=r.as_ref().map(|r| r.comment.clone()).unwrap_or_default() error/>
    }
}
