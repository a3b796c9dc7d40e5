//! The `benefits` command line, built into the integration suite so that its tests can
//! start the real service as separate processes (replicas, jobs fired by cron on each).

use std::process::ExitCode;

fn main() -> ExitCode {
    benefits_api::cli::main()
}
