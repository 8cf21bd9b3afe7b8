//! Configuration: built-in defaults, then the TOML file, then `PAPERBOY_*` environment
//! overrides, resolved into a validated [`Config`] before any work starts.
