//! A loopback stand-in for the Hugging Face API.
