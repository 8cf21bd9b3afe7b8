//! Integration tests: hf_client.
