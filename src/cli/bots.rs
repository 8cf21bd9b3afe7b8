//! Starting the platforms' receiving sides (commands) for `paperboy run`.

use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::adapters::{discord, telegram, Couriers};
use crate::archive::Archive;
use crate::command::{AlertLimits, Defaults};
use crate::config::Config;
use crate::delivery::engine::Engine;
use crate::summarize::Backend;

/// Spawns each configured bot's command loop into `tasks`; each ends when `stop` turns true.
pub fn spawn(
    config: &Config,
    tasks: &mut JoinSet<anyhow::Result<()>>,
    engine: &Arc<Engine<Couriers>>,
    archive: &Archive,
    backend: &Backend,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    if let Some(token) = &config.secrets.telegram_token {
        let parts = telegram::Parts {
            archive: archive.clone(),
            backend: backend.clone(),
            defaults: Defaults::from_config(config, backend.is_llm()),
            engine: engine.clone(),
            lookback_days: config.source.lookback_days,
            owner_ids: config.telegram.owner_ids.clone(),
        };
        let bot = telegram::Bot::new(
            token,
            &config.telegram.api_url,
            config.telegram.timeout,
            parts,
        )?
        .with_alert_limits(AlertLimits {
            max_rules: config.alerts.max_rules_per_person,
            max_chars: config.alerts.max_rule_chars,
        });
        tasks.spawn(bot.serve(stop.clone()));
    }
    if config.secrets.discord_token.is_some() {
        let (config, store, archive, backend) = (
            config.clone(),
            engine.store.clone(),
            archive.clone(),
            backend.clone(),
        );
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let stopped = async move {
                // An error means the sender is gone, which also means stop.
                let _ = stop.wait_for(|s| *s).await;
            };
            discord::run(&config, store, archive, backend, stopped).await
        });
    }
    Ok(())
}
