//! Integration tests: render_props.
