//! The `benefits` binary.

use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: a request allocates and frees many small
/// values on two worker threads, where glibc's arena locks and consolidation cost a
/// fifth of a cached verify (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    benefits_api::cli::main()
}
