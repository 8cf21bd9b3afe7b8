//! The schema version and the migrations that run at open, so a database written by an older
//! paperboy is brought up to date once, before anything reads it, and one written by a newer
//! paperboy is refused instead of misread.

use serde::{Deserialize, Serialize};
use tracing::info;

use super::record::{self, Record};
use super::tree::Tree;
use super::{key, Error, Store, SCHEMA_VERSION};

/// The key of the schema version in the `meta` tree.
pub(crate) const SCHEMA_KEY: &str = "schema";

/// The `meta` tree's only record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Schema {
    pub version: u64,
}

impl Record for Schema {
    const KIND: &'static str = "schema";
    const VERSION: u32 = 1;
}

/// One step: brings a database from version `n` to `n + 1`, where `n` is the step's index
/// plus one. Empty while the schema is at its first version.
type Step = fn(&Store) -> Result<(), String>;
const STEPS: &[Step] = &[];

/// Checks the schema version and runs the steps it is missing.
pub(crate) fn migrate(store: &Store) -> Result<(), Error> {
    let path = store.path();
    let key = key::single(SCHEMA_KEY);
    let stored = store
        .tree(Tree::Meta)
        .get(&key)
        .map_err(Error::db("read schema version"))?;
    let mut version = match stored {
        // A new database, or one from before the version was written (there was none).
        None => {
            write_version(store, SCHEMA_VERSION)?;
            return Ok(());
        }
        Some(bytes) => {
            record::decode::<Schema>(&bytes)
                .map_err(|e| Error::SchemaUnreadable {
                    path: path.clone(),
                    reason: e.to_string(),
                })?
                .version
        }
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(Error::SchemaTooNew {
            path,
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(Error::SchemaUnreadable {
            path,
            reason: "version 0 does not exist".to_string(),
        });
    }
    while version < u64::from(SCHEMA_VERSION) {
        // `1 <= version < SCHEMA_VERSION`, so both conversions hold.
        let from = u32::try_from(version).unwrap_or(SCHEMA_VERSION);
        let step = STEPS
            .get(from as usize - 1)
            .ok_or_else(|| Error::Migration {
                path: path.clone(),
                from,
                reason: "no migration step".to_string(),
            })?;
        info!(from, to = from + 1, "migrating the database");
        step(store).map_err(|reason| Error::Migration {
            path: path.clone(),
            from,
            reason,
        })?;
        write_version(store, from + 1)?;
        version += 1;
    }
    Ok(())
}

pub(crate) fn write_version(store: &Store, version: u32) -> Result<(), Error> {
    store.put(
        Tree::Meta,
        &key::single(SCHEMA_KEY),
        &Schema {
            version: u64::from(version),
        },
    )?;
    // A migrated database must not forget it was migrated.
    store
        .inner
        .db
        .flush()
        .map(|_| ())
        .map_err(Error::db("flush schema version"))
}

/// The version stored, for `db stats`.
pub(crate) fn version(store: &Store) -> Result<Option<u64>, Error> {
    Ok(store
        .get::<Schema>(Tree::Meta, &key::single(SCHEMA_KEY))?
        .map(|s| s.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_gets_the_current_version() {
        let store = Store::temporary().unwrap();
        assert_eq!(version(&store).unwrap(), Some(u64::from(SCHEMA_VERSION)));
    }

    #[test]
    fn every_old_version_has_a_step() {
        assert_eq!(STEPS.len() as u32, SCHEMA_VERSION - 1);
    }

    #[test]
    fn a_newer_version_is_refused() {
        let store = Store::temporary().unwrap();
        write_version(&store, SCHEMA_VERSION + 1).unwrap();
        let err = migrate(&store).unwrap_err();
        assert!(
            matches!(err, Error::SchemaTooNew { found, .. } if found == u64::from(SCHEMA_VERSION) + 1)
        );
        assert!(err
            .to_string()
            .contains("newer than this paperboy supports"));
    }

    #[test]
    fn an_unreadable_version_is_refused() {
        let store = Store::temporary().unwrap();
        store
            .tree(Tree::Meta)
            .insert(key::single(SCHEMA_KEY), &b"garbage"[..])
            .unwrap();
        assert!(matches!(
            migrate(&store),
            Err(Error::SchemaUnreadable { .. })
        ));
        write_version(&store, 0).unwrap();
        assert!(matches!(
            migrate(&store),
            Err(Error::SchemaUnreadable { .. })
        ));
    }
}
