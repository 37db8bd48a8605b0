//! Plain axum routes outside the Leptos app.

pub mod cases;
pub mod deliberation;
pub mod feeds;
mod form;
pub mod health;
pub mod hooks;
pub mod lang;
pub mod live;
pub mod open311;
pub mod open311_cache;
pub mod open311_spec;
pub mod opendata;
pub mod questions;
pub mod reports;
