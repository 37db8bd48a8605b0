//! The command line: `gongzhi [serve]`, `migrate`, `seed-demo`, `seed-load`, `commit-rate`,
//! `admin create`.

use clap::{Parser, Subcommand};

use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "gongzhi",
    version,
    about = "Gongzhi (共治): public participation platform for cities"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web app and APIs (the default). The address comes from LEPTOS_SITE_ADDR.
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load the demo city (departments, one account per role); safe to run again.
    SeedDemo,
    /// Add synthetic reports to the demo city, for benchmarks (never for a real city).
    SeedLoad {
        /// How many reports to add.
        #[arg(long, default_value_t = 100_000)]
        reports: usize,
        /// Also add a proposal with this many comments (its id is printed as `proposal <id>`).
        #[arg(long, default_value_t = 0)]
        comments: usize,
        /// Also add this many questions to the departments, most of them answered.
        #[arg(long, default_value_t = 0)]
        questions: usize,
    },
    /// Measure the database's raw commit rate: one-row inserts, each its own transaction,
    /// one after another, with the server's own connection settings (durability included).
    /// Prints `commits <n> seconds <s> per_second <r>`; a reference point for `make bench`.
    CommitRate {
        /// How long to measure, in seconds.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an activated admin account, or make an existing account an admin.
    Create {
        /// The admin's email address.
        #[arg(long)]
        email: String,
        /// The name others see.
        #[arg(long, default_value = "管理员 Admin")]
        name: String,
        /// The password; read from GONGZHI_ADMIN_PASSWORD, else from the first line of
        /// standard input, so it stays out of shell history.
        #[arg(long, env = "GONGZHI_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}
