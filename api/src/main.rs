//! The `benefits` binary.

use std::process::ExitCode;

fn main() -> ExitCode {
    benefits_api::cli::main()
}
