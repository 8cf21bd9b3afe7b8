//! Integration tests: telegram.
