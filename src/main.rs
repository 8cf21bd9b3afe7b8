//! The `paperboy` binary: parse the command line, run it, report.

use std::process::ExitCode;

use clap::Parser;

use paperboy::cli::{self, Cli};

fn main() -> ExitCode {
    one_malloc_arena();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("paperboy: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("paperboy: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Asks glibc's allocator for a single arena, before any thread starts.
///
/// By default glibc gives each thread that allocates (tokio's workers, sled's flusher and IO
/// pool) an arena of its own, and memory freed in one is rarely given back to the system.
/// `paperboy run` reads every subscription at each scheduler tick from several threads, and
/// with 100,000 subscriptions that left about 15 MB resident for good (60 MB instead of 45
/// MB idle, `cargo bench --bench idle`). paperboy sends a few dozen messages a second, so one
/// arena's lock costs nothing noticeable. `MALLOC_ARENA_MAX` in the environment still wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    // SAFETY: `mallopt` only sets an allocator parameter; it is called first thing in
    // `main`, before any other thread exists. A refusal (return 0) leaves the default.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
