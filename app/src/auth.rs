//! Who is signed in, as seen by the UI. The server decides on every request; the UI only
//! hides what a user cannot do.

use gongzhi_domain::model::Me;
use leptos::prelude::*;

use crate::api::auth::{get_me, Activate, LogIn, LogOut};
use crate::error::AppError;

/// The signed-in user and the actions that change it; provided at the root of the app.
#[derive(Clone, Copy)]
pub struct Auth {
    pub me: Resource<Result<Option<Me>, AppError>>,
    pub log_in: ServerAction<LogIn>,
    pub log_out: ServerAction<LogOut>,
    pub activate: ServerAction<Activate>,
}

pub fn provide_auth() {
    let log_in = ServerAction::<LogIn>::new();
    let log_out = ServerAction::<LogOut>::new();
    let activate = ServerAction::<Activate>::new();
    // Fetched again whenever one of the actions has run.
    let me = Resource::new(
        move || {
            (
                log_in.version().get(),
                log_out.version().get(),
                activate.version().get(),
            )
        },
        |_| get_me(),
    );
    provide_context(Auth {
        me,
        log_in,
        log_out,
        activate,
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
