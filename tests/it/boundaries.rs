//! The architecture's import rules (ARCHITECTURE.md, "Invariants"), checked on the source:
//! a platform, database or HTTP crate used outside its module fails here.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Files under `src/` that name `krate` (as `krate::` or `use krate`) but are not under one of
/// `allowed` (paths relative to `src/`).
fn offenders(krate: &str, allowed: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let needles = [format!("{krate}::"), format!("use {krate}")];
    files
        .into_iter()
        .filter_map(|path| {
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            let uses = text.lines().any(|line| {
                let code = line.split("//").next().unwrap_or_default();
                needles.iter().any(|n| code.contains(n.as_str()))
            });
            (uses && !allowed.iter().any(|a| relative.starts_with(a))).then_some(relative)
        })
        .collect()
}

#[test]
fn only_the_telegram_adapter_imports_teloxide() {
    assert_eq!(
        offenders("teloxide", &["adapters/telegram/"]),
        Vec::<String>::new()
    );
}

#[test]
fn only_the_discord_adapter_imports_serenity() {
    assert_eq!(
        offenders("serenity", &["adapters/discord/"]),
        Vec::<String>::new()
    );
}

#[test]
fn no_sled_type_leaves_the_store() {
    assert_eq!(offenders("sled", &["store/"]), Vec::<String>::new());
}

#[test]
fn http_stays_at_the_edges() {
    let allowed = ["source/", "summarize/llm/", "adapters/"];
    assert_eq!(offenders("reqwest", &allowed), Vec::<String>::new());
}

#[test]
fn the_domain_does_no_io() {
    for krate in [
        "tokio", "reqwest", "sled", "teloxide", "serenity", "std::fs", "std::net",
    ] {
        let inside: Vec<String> = offenders(krate, &[])
            .into_iter()
            .filter(|f| f.starts_with("domain/"))
            .collect();
        assert_eq!(inside, Vec::<String>::new(), "{krate} in domain/");
    }
}

#[test]
fn the_check_finds_what_it_looks_for() {
    // Guards the test itself: teloxide is used in the Telegram adapter, so with nothing
    // allowed the adapter must show up.
    assert!(offenders("teloxide", &[])
        .iter()
        .any(|f| f.starts_with("adapters/telegram/")));
}
