//! Running the `paperboy` binary as a user would, with a clean environment.

use std::path::Path;
use std::process::{Command, Output};

/// A `paperboy` command with no `PAPERBOY_*`, `RUST_LOG` or `HF_TOKEN` inherited, run in
/// `dir` so that no `config/paperboy.toml` of the checkout is picked up by accident.
pub fn paperboy(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paperboy"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().to_string();
        if key.starts_with("PAPERBOY_") || key == "RUST_LOG" || key == "HF_TOKEN" {
            cmd.env_remove(&key);
        }
    }
    cmd.current_dir(dir);
    cmd
}

/// Runs `cmd` off the async runtime's threads (fake servers keep serving meanwhile).
pub async fn output(mut cmd: Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("the paperboy binary runs"))
        .await
        .expect("the blocking task finishes")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
