//! Server functions: thin wrappers that check the session and call one domain service.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod deliberation;
pub mod live;
pub mod moderation;
pub mod questions;
pub mod reports;
