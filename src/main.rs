//! The `paperboy` binary: parse the command line, run it, report.

use std::process::ExitCode;

use clap::Parser;

use paperboy::cli::{self, Cli};

fn main() -> ExitCode {
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
