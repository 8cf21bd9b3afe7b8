//! Loading recorded responses.
use std::path::PathBuf;

/// `../shared/fixtures/hf/NAME`: real recorded HF responses, kept outside the repository.
pub fn shared_hf(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/hf")
        .join(name)
}

/// `tests/data/NAME`: the project's own small fixtures.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The bytes of a fixture file; panics with the path when it is missing.
pub fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
