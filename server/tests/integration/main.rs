//! The server's integration tests, in one binary: one link instead of one per file, and
//! a test run's disk and time stay small. Each module is one area of the platform.
//! (`../statements.rs`, which counts every SQL statement the process runs, has a binary
//! of its own.)

#[macro_use]
mod common;

mod accounts;
mod authz;
mod cases;
mod chain;
mod crash;
mod deliberation;
mod deliberation_images;
mod departments;
mod feeds;
mod hooks;
mod jobs;
mod live;
mod moderation;
mod open311;
mod open311_schema;
mod opendata;
mod platform;
mod questions;
mod questions_department;
mod ratings;
mod reports;
mod scale_out;
mod stats;
