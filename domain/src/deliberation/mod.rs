//! E-deliberation (网络议事): processes with dated phases, residents' proposals and their
//! supports, the discussion with stances, the department's answers and closing reports, and
//! following with notifications. Markdown is rendered and sanitized once, when saved
//! ([`markdown`]); phase rules and permissions are checked here, whatever the caller.

pub mod comments;
pub mod follows;
pub mod images;
pub mod markdown;
pub mod outcomes;
pub mod processes;
pub mod proposals;
