//! A loopback fake of the Discord REST API.
