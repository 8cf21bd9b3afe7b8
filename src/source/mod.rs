//! The Hugging Face Daily Papers client.
