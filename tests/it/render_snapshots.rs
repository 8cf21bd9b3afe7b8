//! Integration tests: render_snapshots.
