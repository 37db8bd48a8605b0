//! Plain axum routes outside the Leptos app.

pub mod health;
pub mod lang;
pub mod reports;
