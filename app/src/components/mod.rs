//! Components shared by pages.

pub mod form;
pub mod image;
pub mod layout;
pub mod moderation;
pub mod rating;
pub mod reports;
