//! Integration tests: the Discord adapter.
