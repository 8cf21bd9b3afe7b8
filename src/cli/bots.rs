//! Starting the platforms' receiving sides (commands) for `paperboy run`.

use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::adapters::Couriers;
use crate::archive::Archive;
use crate::config::Config;
use crate::delivery::engine::Engine;
use crate::summarize::Backend;

/// Spawns each configured bot's command loop into `tasks`.
pub fn spawn(
    _config: &Config,
    _tasks: &mut JoinSet<anyhow::Result<()>>,
    _engine: &Arc<Engine<Couriers>>,
    _archive: &Archive,
    _backend: &Backend,
    _stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    Ok(())
}
