//! Components shared by pages.

pub mod form;
pub mod layout;
pub mod reports;
