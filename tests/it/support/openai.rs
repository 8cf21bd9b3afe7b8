//! A loopback stand-in for an OpenAI-compatible chat completions API.
