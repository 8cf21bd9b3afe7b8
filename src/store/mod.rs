//! Everything paperboy keeps on disk, over sled. **No sled type leaves this module**; every
//! record is versioned.
//!
//! The rest of the crate sees a [`Store`] with methods in the problem's terms
//! (subscriptions, the delivery ledger, a day's papers, cached summaries, alert rules) so
//! that the database could change without touching the scheduler or the adapters. Inside,
//! [`tree`] is the one table of trees, [`key`] the one key encoding and [`record`] the
//! versioned value envelope. A record that does not decode is skipped with a warning and
//! counted by `db stats`, never a panic and never a failed scan.

mod alerts;
mod export;
mod key;
mod ledger;
mod meta;
mod papers;
mod photos;
mod record;
mod stats;
mod subscriptions;
mod summaries;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tracing::warn;

use record::Record;
use tree::Tree;

pub use alerts::StoredRule;
pub use export::{ExportSummary, ImportSummary};
pub use ledger::LedgerItem;
pub use papers::StoredDay;
pub use stats::{Stats, TreeStats};
pub use summaries::SummaryKey;

/// The schema version this code writes. An older database is migrated at open; a newer one
/// is refused, since this code could misread it.
pub const SCHEMA_VERSION: u32 = 1;

/// The cache size [`Store::open`] callers use unless configured otherwise, in megabytes.
///
/// Small on purpose: sled's default (1 GB) would let a large store grow the process far
/// past what a small VPS should spend on a bot that idles most of the day.
///
/// Measured with 100,000 subscriptions: sled 0.34 buffers up to 64 page accesses in each of
/// its 256 cache shards before it evicts, so a full scan leaves roughly 25 MB of pages in
/// memory whatever this is set to (1 MB and 16 MB differ by about 5 MB). The other large
/// cost, about 22 MB of metric histograms that sled fills with zeros at open, is avoided by
/// the `miri_optimizations` feature in Cargo.toml, which only makes them lazily zeroed.
pub const DEFAULT_CACHE_MB: u64 = 4;

/// Tries at opening a locked database, 100 ms apart.
const LOCK_ATTEMPTS: u32 = 10;

/// The database handle. A clone is a reference-count bump; every clone is the same store.
///
/// sled keeps its own locks, so the handle needs no mutex: single-key updates are atomic
/// through compare-and-swap and multi-tree moves run as sled transactions.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path())
            .finish_non_exhaustive()
    }
}

struct Inner {
    db: sled::Db,
    /// Indexed by [`Tree::index`].
    trees: Vec<sled::Tree>,
    /// Where the database lives, for messages; `None` for a temporary store.
    path: Option<PathBuf>,
    durability: Durability,
}

/// Group commit for [`Store::flush`].
///
/// sled runs `flush_async` on its small IO thread pool, and the log buffers a flush waits
/// for are written by that same pool: with many flushes at once (one per chat in a busy
/// delivery pass) every pool thread ends up waiting and none is left to write, a deadlock.
/// So one flush runs at a time, and it makes durable every write made before it started:
/// callers that arrive meanwhile are served by the next flush, or return at once when an
/// earlier one already covered them.
#[derive(Default)]
struct Durability {
    /// Tickets handed out; a caller takes one after its writes.
    requested: AtomicU64,
    /// Every ticket up to this one is on disk.
    done: AtomicU64,
    /// One flush at a time.
    gate: tokio::sync::Mutex<()>,
}

/// A database error, opaque so that no sled type leaves this module.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DbError(sled::Error);

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Another process holds sled's lock on the database.
    #[error("the database {} is in use by another paperboy process; stop it first, or point this command at another database", path.display())]
    Locked { path: PathBuf },
    #[error("cannot open the database {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: DbError,
    },
    #[error("cannot create the directory {}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the database {} has schema version {found}, newer than this paperboy supports ({supported}); upgrade paperboy", path.display())]
    SchemaTooNew {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("the database {} has an unreadable schema version: {reason}", path.display())]
    SchemaUnreadable { path: PathBuf, reason: String },
    #[error("the migration of {} from schema version {from} failed: {reason}", path.display())]
    Migration {
        path: PathBuf,
        from: u32,
        reason: String,
    },
    #[error("database operation {op:?} failed")]
    Db {
        op: &'static str,
        #[source]
        source: DbError,
    },
    #[error("cannot encode a {kind} record")]
    Encode {
        kind: &'static str,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write the export")]
    ExportWrite {
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the import as JSON")]
    ImportRead {
        #[source]
        source: serde_json::Error,
    },
    #[error("not a paperboy export: format is {found:?}, expected \"paperboy-export\"")]
    ImportFormat { found: Option<String> },
    #[error("unsupported export version {found:?}: this paperboy reads version {supported}")]
    ImportVersion { found: Option<u64>, supported: u32 },
    #[error("the export comes from schema version {found}, newer than this paperboy supports ({supported}); upgrade paperboy")]
    ImportSchemaTooNew { found: u64, supported: u32 },
    #[error("the export has an unknown tree {tree:?}")]
    ImportTree { tree: String },
    #[error("record {index} of tree {tree:?} in the export is invalid: {reason}")]
    ImportRecord {
        tree: String,
        index: usize,
        reason: String,
    },
}

impl Error {
    fn db(op: &'static str) -> impl FnOnce(sled::Error) -> Error {
        move |source| Error::Db {
            op,
            source: DbError(source),
        }
    }

    fn encode<T: Record>(source: serde_json::Error) -> Error {
        Error::Encode {
            kind: T::KIND,
            source,
        }
    }
}

/// True when sled failed to take its exclusive file lock. sled 0.34 reports it as an
/// `io::ErrorKind::Other` error whose text starts "could not acquire lock", wrapping the
/// `WouldBlock` of `flock`; both are checked so a wording change in a patch release still
/// gives the clear message.
fn is_lock_error(err: &sled::Error) -> bool {
    match err {
        sled::Error::Io(io) => {
            io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock")
        }
        _ => false,
    }
}

impl Store {
    /// Opens (creating when missing) the database at `path`, with a page cache of
    /// `cache_mb` megabytes, and migrates it to [`SCHEMA_VERSION`].
    pub fn open(path: &Path, cache_mb: u64) -> Result<Store, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(cache_mb.max(1).saturating_mul(1024 * 1024));
        // sled lets go of its file lock a moment after the last handle drops (its background
        // threads finish first), so a process restarting at once, or a test reopening, may
        // find it still held: try for up to a second before saying another process has it.
        let mut attempts = 0;
        let db = loop {
            match config.open() {
                Ok(db) => break db,
                Err(source) if is_lock_error(&source) => {
                    attempts += 1;
                    if attempts >= LOCK_ATTEMPTS {
                        return Err(Error::Locked {
                            path: path.to_path_buf(),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(source) => {
                    return Err(Error::Open {
                        path: path.to_path_buf(),
                        source: DbError(source),
                    })
                }
            }
        };
        Store::init(db, Some(path.to_path_buf()))
    }

    /// A store in a temporary directory, deleted when the last clone drops. For tests.
    pub fn temporary() -> Result<Store, Error> {
        let db = sled::Config::new()
            .temporary(true)
            .cache_capacity(DEFAULT_CACHE_MB * 1024 * 1024)
            .open()
            .map_err(|source| Error::Open {
                path: PathBuf::from("(temporary)"),
                source: DbError(source),
            })?;
        Store::init(db, None)
    }

    fn init(db: sled::Db, path: Option<PathBuf>) -> Result<Store, Error> {
        let trees = Tree::ALL
            .into_iter()
            .map(|t| db.open_tree(t.name()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(Error::db("open trees"))?;
        let store = Store {
            inner: Arc::new(Inner {
                db,
                trees,
                path,
                durability: Durability::default(),
            }),
        };
        meta::migrate(&store)?;
        Ok(store)
    }

    /// Writes everything to disk. sled flushes on its own every 500 ms; call this where a
    /// write must survive a crash that comes sooner.
    ///
    /// Concurrent callers share flushes (group commit, see `Durability`): each waits until
    /// a flush that started after its writes has finished.
    pub async fn flush(&self) -> Result<(), Error> {
        let durability = &self.inner.durability;
        let ticket = durability.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let _gate = durability.gate.lock().await;
        if durability.done.load(Ordering::SeqCst) >= ticket {
            return Ok(());
        }
        // Every ticket handed out so far was taken after its writes: this flush covers them.
        let covered = durability.requested.load(Ordering::SeqCst);
        // sled's own `flush_async` finishes on its IO pool, which may still hold the database
        // for a moment after the future resolves; a blocking task drops its handle before
        // the await returns, so a store closed after a flush is really closed.
        let db = self.inner.db.clone();
        match tokio::task::spawn_blocking(move || db.flush()).await {
            Ok(flushed) => flushed.map_err(Error::db("flush"))?,
            // The blocking task only panics if sled does; flush in place then.
            Err(_) => self.inner.db.flush().map_err(Error::db("flush"))?,
        };
        durability.done.fetch_max(covered, Ordering::SeqCst);
        Ok(())
    }

    /// Where the database lives, or `(temporary)`.
    pub fn path(&self) -> PathBuf {
        self.inner
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from("(temporary)"))
    }

    fn tree(&self, tree: Tree) -> &sled::Tree {
        &self.inner.trees[tree.index()]
    }

    /// The record under `key`; an undecodable one reads as absent, with a warning.
    fn get<T: Record>(&self, tree: Tree, key: &[u8]) -> Result<Option<T>, Error> {
        let Some(bytes) = self.tree(tree).get(key).map_err(Error::db("get"))? else {
            return Ok(None);
        };
        Ok(decode_or_warn(tree, key, &bytes))
    }

    fn put<T: Record>(&self, tree: Tree, key: &[u8], value: &T) -> Result<(), Error> {
        let bytes = record::encode(value).map_err(Error::encode::<T>)?;
        self.tree(tree)
            .insert(key, bytes)
            .map_err(Error::db("insert"))?;
        Ok(())
    }

    fn remove(&self, tree: Tree, key: &[u8]) -> Result<bool, Error> {
        self.tree(tree)
            .remove(key)
            .map(|old| old.is_some())
            .map_err(Error::db("remove"))
    }

    /// The decodable records whose keys start with `prefix`, with their decoded keys.
    /// Undecodable keys and values are skipped with a warning.
    fn scan<T: Record>(
        &self,
        tree: Tree,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<(Vec<key::Part>, T), Error>> + Send + 'static {
        self.tree(tree)
            .scan_prefix(prefix)
            .filter_map(move |item| {
                let (k, v) = match item {
                    Ok(kv) => kv,
                    Err(e) => return Some(Err(Error::db("scan")(e))),
                };
                let parts = match key::decode(&k) {
                    Ok(parts) => parts,
                    Err(error) => {
                        warn!(tree = tree.name(), key = %key::Display(&k), %error, "skipping a record with an undecodable key");
                        return None;
                    }
                };
                decode_or_warn(tree, &k, &v).map(|value| Ok((parts, value)))
            })
    }

    /// Updates one record atomically: `f` sees the current record (`None` when absent or
    /// undecodable) and returns the new one, or `None` to leave the stored bytes as they
    /// are. sled may call `f` more than once when another writer races; the result of the
    /// last call is stored and returned.
    fn update<T: Record>(
        &self,
        tree: Tree,
        key: &[u8],
        mut f: impl FnMut(Option<T>) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        let mut failure = None;
        let mut result = None;
        self.tree(tree)
            .update_and_fetch(key, |old| {
                failure = None;
                let current = old.and_then(|bytes| decode_or_warn::<T>(tree, key, bytes));
                result = f(current);
                match &result {
                    None => old.map(<[u8]>::to_vec),
                    Some(value) => match record::encode(value) {
                        Ok(bytes) => Some(bytes),
                        Err(e) => {
                            failure = Some(Error::encode::<T>(e));
                            // Keep what was there rather than lose it.
                            old.map(<[u8]>::to_vec)
                        }
                    },
                }
            })
            .map_err(Error::db("update"))?;
        match failure {
            Some(e) => Err(e),
            None => Ok(result),
        }
    }

    /// Test hook: stores raw bytes under a key given in its export text form (a string, or
    /// an array of strings and numbers), to show that a damaged record is survived.
    #[doc(hidden)]
    pub fn put_raw_for_test(
        &self,
        tree: &str,
        key: &serde_json::Value,
        value: &[u8],
    ) -> Result<(), Error> {
        let tree = Tree::from_name(tree).ok_or_else(|| Error::ImportTree {
            tree: tree.to_string(),
        })?;
        let parts = key::from_text(key).map_err(|reason| Error::ImportRecord {
            tree: tree.name().to_string(),
            index: 0,
            reason: reason.to_string(),
        })?;
        self.tree(tree)
            .insert(key::encode(&parts), value)
            .map_err(Error::db("insert"))?;
        Ok(())
    }

    /// Test hook: writes a schema version, to show that a newer database is refused.
    #[doc(hidden)]
    pub fn set_schema_version_for_test(&self, version: u32) -> Result<(), Error> {
        meta::write_version(self, version)
    }
}

/// Decodes a stored value, or logs why it cannot and gives `None`.
fn decode_or_warn<T: Record>(tree: Tree, key: &[u8], bytes: &[u8]) -> Option<T> {
    match record::decode(bytes) {
        Ok(value) => Some(value),
        Err(error) => {
            warn!(
                tree = tree.name(),
                kind = T::KIND,
                key = %key::Display(key),
                %error,
                "skipping an undecodable record"
            );
            None
        }
    }
}

#[cfg(test)]
pub(crate) mod sample {
    //! Records for the store's unit tests.
    use chrono::{NaiveDate, TimeZone, Utc};

    use crate::domain::{ChatRef, DeliveryTime, Language, Subscription};

    pub(crate) fn subscription(chat: ChatRef) -> Subscription {
        Subscription {
            chat,
            time: DeliveryTime::default(),
            timezone: chrono_tz::Asia::Seoul,
            top_n: 5,
            language: Language::KOREAN,
            is_active: true,
            consecutive_failures: 0,
            inactive_reason: None,
            created_at: Utc.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap(),
            last_delivered: NaiveDate::from_ymd_opt(2026, 10, 31),
        }
    }
}
