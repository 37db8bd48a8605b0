//! E-deliberation (网络议事): processes with dated phases, residents' proposals and their
//! supports, and the discussion with stances. Markdown is rendered and sanitized once, when saved ([`markdown`]); phase rules
//! and permissions are checked here, whatever the caller.

pub mod comments;
pub mod markdown;
pub mod processes;
pub mod proposals;
