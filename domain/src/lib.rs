//! Gongzhi's domain: everything that is neither HTTP nor UI.
//!
//! The plain types and validation rules compile everywhere (the wasm front end uses them
//! too); storage, password hashing and mail sit behind the `server` feature so that sqlx,
//! argon2 and lettre never reach the browser bundle.

pub mod error;
pub mod geo;
pub mod model;
pub mod validate;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod apikeys;
#[cfg(feature = "server")]
pub mod blobs;
#[cfg(feature = "server")]
pub mod calendar;
#[cfg(feature = "server")]
pub mod cases;
#[cfg(feature = "server")]
pub mod catalogue;
#[cfg(feature = "server")]
pub mod categories;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod deliberation;
#[cfg(feature = "server")]
pub mod departments;
#[cfg(feature = "server")]
pub mod feeds;
#[cfg(feature = "server")]
pub mod flash;
#[cfg(feature = "server")]
pub mod grids;
#[cfg(feature = "server")]
pub mod jobs;
#[cfg(feature = "server")]
pub mod live;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod moderation;
#[cfg(feature = "server")]
pub mod notifications;
#[cfg(feature = "server")]
pub mod open311;
#[cfg(feature = "server")]
pub mod opendata;
#[cfg(feature = "server")]
pub mod photos;
#[cfg(feature = "server")]
pub mod places;
#[cfg(feature = "server")]
pub mod questions;
#[cfg(feature = "server")]
pub mod ratelimit;
#[cfg(feature = "server")]
pub mod ratings;
#[cfg(feature = "server")]
pub mod reports;
#[cfg(feature = "server")]
pub mod seed;
#[cfg(feature = "server")]
pub mod stats;
#[cfg(feature = "server")]
pub mod time;

pub use error::{Error, FieldError, Problem};

/// What the domain services need from the outside world, built once at start-up.
#[cfg(feature = "server")]
#[derive(Clone, Debug)]
pub struct Services {
    pub db: db::Db,
    pub mailer: mail::Mailer,
    pub limits: ratelimit::Limits,
    /// The public base URL, e.g. `https://gongzhi.example.gov.cn`, for links in mail.
    pub public_url: String,
    /// How long a sign-in lasts.
    pub session_ttl: chrono::Duration,
    /// Where photos are kept.
    pub blobs: blobs::SharedBlobStore,
    /// The city's choices about reporting.
    pub reports: reports::ReportSettings,
    /// How the job queue retries, and the bell that wakes this instance's runner.
    pub jobs: jobs::JobSettings,
    /// Where reports are passed on.
    pub cases: cases::CaseSystem,
    /// The city's moderation rules.
    pub moderation: moderation::ModerationSettings,
    /// Live Q&A events for the browsers connected to this instance.
    pub live: live::Hub,
    /// On SQLite, the task that writes new reports (group commit).
    pub filing: reports::Filing,
    /// This instance's copy of the categories and grids, for new reports.
    pub catalogue: catalogue::Catalogue,
    /// On SQLite, the connections that the reads on a new report's way run on (its
    /// first read, an Open311 client's key).
    pub kept: std::sync::Arc<db::KeptConnections>,
}
