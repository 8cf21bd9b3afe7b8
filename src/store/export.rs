//! `paperboy db export` and `db import`: every record of every tree as versioned JSON, for
//! backups, moving hosts, and reading a store without sled.
//!
//! The file is
//! `{"format":"paperboy-export","version":1,"schema_version":N,"records":{TREE:[{"key":K,"value":V}]}}`
//! with keys in their text form (see `key::to_text`) and values as stored (with their `v`).
//! Import checks the whole file before writing anything, stores each record exactly as a put
//! would, and compares with what is there, so importing the same file twice changes nothing
//! the second time.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufReader, BufWriter, Read, Write};

use serde_json::Value;
use tracing::warn;

use super::key;
use super::meta::{self, Schema};
use super::record;
use super::tree::Tree;
use super::{Error, Store, SCHEMA_VERSION};

/// The `format` field of an export.
pub const FORMAT: &str = "paperboy-export";
/// The version of the export layout this code writes and reads.
pub const VERSION: u32 = 1;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Records written, per tree, in table order.
    pub per_tree: Vec<(&'static str, u64)>,
    /// Undecodable records left out (each logged).
    pub skipped: u64,
}

impl ExportSummary {
    pub fn records(&self) -> u64 {
        self.per_tree.iter().map(|(_, n)| n).sum()
    }
}

impl fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exported {} records", self.records())?;
        let trees: Vec<String> = self
            .per_tree
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        if !trees.is_empty() {
            write!(f, " ({})", trees.join(", "))?;
        }
        if self.skipped > 0 {
            write!(f, "; skipped {} undecodable", self.skipped)?;
        }
        Ok(())
    }
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Records that were not in the store.
    pub inserted: u64,
    /// Records already stored exactly so.
    pub unchanged: u64,
    /// Records stored under the same key with a different value, now replaced.
    pub replaced: u64,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported: {} inserted, {} replaced, {} unchanged",
            self.inserted, self.replaced, self.unchanged
        )
    }
}

impl Store {
    /// Writes every readable record of every tree to `w`. Undecodable records are left out
    /// and counted, so the export always imports.
    pub fn export(&self, w: impl Write) -> Result<ExportSummary, Error> {
        let mut w = BufWriter::new(w);
        let io = |source| Error::ExportWrite { source };
        write!(
            w,
            "{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"schema_version\":{SCHEMA_VERSION},\"records\":{{"
        )
        .map_err(io)?;
        let mut summary = ExportSummary::default();
        for (i, tree) in Tree::ALL.into_iter().enumerate() {
            let comma = if i == 0 { "" } else { "," };
            write!(w, "{comma}\n\"{}\":[", tree.name()).map_err(io)?;
            let mut written = 0u64;
            for item in self.tree(tree).iter() {
                let (k, v) = item.map_err(Error::db("scan"))?;
                let Some((text, value)) = exportable(tree, &k, &v) else {
                    summary.skipped += 1;
                    continue;
                };
                let comma = if written == 0 { "" } else { "," };
                writeln!(w, "{comma}").map_err(io)?;
                let line = serde_json::json!({ "key": text, "value": value });
                serde_json::to_writer(&mut w, &line).map_err(|e| io(e.into()))?;
                written += 1;
            }
            write!(w, "]").map_err(io)?;
            summary.per_tree.push((tree.name(), written));
        }
        writeln!(w, "}}}}").map_err(io)?;
        w.flush().map_err(io)?;
        Ok(summary)
    }

    /// Reads an export made by [`Store::export`]. The whole file is checked first; on any
    /// error nothing is written. The store's own schema version is kept (an export from an
    /// older schema has its records upgraded; one from a newer schema is refused).
    pub fn import(&self, r: impl Read) -> Result<ImportSummary, Error> {
        let file: Value = serde_json::from_reader(BufReader::new(r))
            .map_err(|source| Error::ImportRead { source })?;
        let records = check_header(&file)?;

        // Later duplicates of a key win, as they would if written one by one.
        let mut writes: BTreeMap<(Tree, Vec<u8>), Vec<u8>> = BTreeMap::new();
        let mut summary = ImportSummary::default();
        for (name, list) in records {
            let tree =
                Tree::from_name(name).ok_or_else(|| Error::ImportTree { tree: name.clone() })?;
            let bad = |index: usize, reason: String| Error::ImportRecord {
                tree: name.clone(),
                index,
                reason,
            };
            let list = list
                .as_array()
                .ok_or_else(|| bad(0, "the tree's records are not an array".to_string()))?;
            for (index, item) in list.iter().enumerate() {
                let (Some(text), Some(value)) = (item.get("key"), item.get("value")) else {
                    return Err(bad(
                        index,
                        "expected {\"key\": .., \"value\": ..}".to_string(),
                    ));
                };
                let parts = key::from_text(text).map_err(|r| bad(index, r.to_string()))?;
                tree.check_key(&parts)
                    .map_err(|r| bad(index, format!("key {text}: {r}")))?;
                if tree == Tree::Meta {
                    check_meta(&parts, value).map_err(|r| bad(index, r))?;
                    // The store's schema version stands; the records were upgraded above.
                    summary.unchanged += 1;
                    continue;
                }
                let bytes = tree
                    .canonical(value.clone())
                    .map_err(|e| bad(index, format!("key {text}: {e}")))?;
                writes.insert((tree, key::encode(&parts)), bytes);
            }
        }

        let mut batches: BTreeMap<Tree, sled::Batch> = BTreeMap::new();
        for ((tree, k), bytes) in writes {
            match self.tree(tree).get(&k).map_err(Error::db("read"))? {
                Some(old) if old.as_ref() == bytes.as_slice() => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(_) => summary.replaced += 1,
                None => summary.inserted += 1,
            }
            batches.entry(tree).or_default().insert(k, bytes);
        }
        for (tree, batch) in batches {
            self.tree(tree)
                .apply_batch(batch)
                .map_err(Error::db("import"))?;
        }
        self.inner.db.flush().map_err(Error::db("flush"))?;
        Ok(summary)
    }
}

/// The text key and JSON value of a stored record, or `None` (logged) when either does
/// not decode.
fn exportable(tree: Tree, k: &[u8], v: &[u8]) -> Option<(Value, Value)> {
    let parts = match key::decode(k) {
        Ok(parts) => parts,
        Err(error) => {
            warn!(tree = tree.name(), key = %key::Display(k), %error, "not exporting a record with an undecodable key");
            return None;
        }
    };
    if let Err(error) = tree.check_value(v) {
        warn!(tree = tree.name(), key = %key::Display(k), %error, "not exporting an undecodable record");
        return None;
    }
    // `check_value` parsed it as JSON already.
    let value = serde_json::from_slice(v).ok()?;
    Some((key::to_text(&parts), value))
}

fn check_header(file: &Value) -> Result<&serde_json::Map<String, Value>, Error> {
    let format = file.get("format").and_then(Value::as_str);
    if format != Some(FORMAT) {
        return Err(Error::ImportFormat {
            found: format.map(str::to_string),
        });
    }
    let version = file.get("version").and_then(Value::as_u64);
    if version != Some(u64::from(VERSION)) {
        return Err(Error::ImportVersion {
            found: version,
            supported: VERSION,
        });
    }
    if let Some(found) = file.get("schema_version").and_then(Value::as_u64) {
        if found > u64::from(SCHEMA_VERSION) {
            return Err(Error::ImportSchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
    }
    file.get("records")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::ImportRecord {
            tree: String::new(),
            index: 0,
            reason: "no \"records\" object".to_string(),
        })
}

fn check_meta(parts: &[key::Part], value: &Value) -> Result<(), String> {
    if parts.first().and_then(key::Part::as_str) != Some(meta::SCHEMA_KEY) {
        return Err("unknown meta record".to_string());
    }
    let schema: Schema = record::from_value(value.clone()).map_err(|e| e.to_string())?;
    if schema.version > u64::from(SCHEMA_VERSION) {
        return Err(format!(
            "schema version {} is newer than this paperboy supports ({SCHEMA_VERSION})",
            schema.version
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ChatRef;
    use crate::store::sample::subscription;

    fn export_of(store: &Store) -> Value {
        let mut out = Vec::new();
        store.export(&mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn the_layout_is_as_documented() {
        let store = Store::temporary().unwrap();
        store
            .put_subscription(&subscription(ChatRef::telegram(-5)))
            .unwrap();
        let file = export_of(&store);
        assert_eq!(file["format"], FORMAT);
        assert_eq!(file["version"], 1);
        let subs = file["records"]["subscriptions"].as_array().unwrap();
        assert_eq!(subs.len(), 1);
        assert_eq!(subs[0]["key"], "telegram:-5");
        assert_eq!(subs[0]["value"]["v"], 1);
        assert_eq!(subs[0]["value"]["tz"], "Asia/Seoul");
        for tree in Tree::ALL {
            assert!(file["records"][tree.name()].is_array(), "{tree:?}");
        }
    }

    #[test]
    fn skips_garbage_and_still_imports() {
        let store = Store::temporary().unwrap();
        store
            .put_subscription(&subscription(ChatRef::telegram(1)))
            .unwrap();
        store
            .put_raw_for_test("subscriptions", &"telegram:2".into(), b"garbage")
            .unwrap();
        let mut out = Vec::new();
        let summary = store.export(&mut out).unwrap();
        assert_eq!(summary.skipped, 1);
        assert_eq!(summary.per_tree[1], ("subscriptions", 1));

        let copy = Store::temporary().unwrap();
        let imported = copy.import(out.as_slice()).unwrap();
        assert_eq!(imported.inserted, 1);
        assert_eq!(copy.subscriptions().unwrap().len(), 1);
    }

    #[test]
    fn refuses_unknown_files_without_writing() {
        let store = Store::temporary().unwrap();
        type Expect = fn(&Error) -> bool;
        let cases: &[(&str, Expect)] = &[
            (
                r#"{"format":"other","version":1,"records":{}}"#,
                |e| matches!(e, Error::ImportFormat { found: Some(f) } if f == "other"),
            ),
            (r#"[1]"#, |e| {
                matches!(e, Error::ImportFormat { found: None })
            }),
            (
                r#"{"format":"paperboy-export","version":2,"records":{}}"#,
                |e| matches!(e, Error::ImportVersion { found: Some(2), .. }),
            ),
            (
                r#"{"format":"paperboy-export","version":1,"schema_version":99,"records":{}}"#,
                |e| matches!(e, Error::ImportSchemaTooNew { found: 99, .. }),
            ),
            (
                r#"{"format":"paperboy-export","version":1,"records":{"nope":[]}}"#,
                |e| matches!(e, Error::ImportTree { tree } if tree == "nope"),
            ),
            (r#"not json"#, |e| matches!(e, Error::ImportRead { .. })),
            (
                r#"{"format":"paperboy-export","version":1,"records":{"photos":[
                    {"key":"https://a","value":{"v":1,"file_id":"ok"}},
                    {"key":"https://b","value":{"v":1}}]}}"#,
                |e| matches!(e, Error::ImportRecord { index: 1, .. }),
            ),
            (
                r#"{"format":"paperboy-export","version":1,"records":{"subscriptions":[
                    {"key":"not a chat","value":{}}]}}"#,
                |e| matches!(e, Error::ImportRecord { index: 0, .. }),
            ),
            (
                r#"{"format":"paperboy-export","version":1,"records":{"meta":[
                    {"key":"schema","value":{"v":1,"version":99}}]}}"#,
                |e| matches!(e, Error::ImportRecord { .. }),
            ),
        ];
        for (input, expected) in cases {
            let err = store.import(input.as_bytes()).unwrap_err();
            assert!(expected(&err), "{input}: {err:?}");
            assert!(!err.to_string().is_empty());
        }
        assert_eq!(store.photo_file_id("https://a").unwrap(), None);
    }

    #[test]
    fn counts_inserted_replaced_unchanged() {
        let source = Store::temporary().unwrap();
        source.put_photo_file_id("https://a", "A").unwrap();
        source.put_photo_file_id("https://b", "B").unwrap();
        let mut out = Vec::new();
        source.export(&mut out).unwrap();

        let target = Store::temporary().unwrap();
        target.put_photo_file_id("https://a", "old").unwrap();
        let first = target.import(out.as_slice()).unwrap();
        // The meta record counts as unchanged: the target keeps its own schema version.
        assert_eq!(
            first,
            ImportSummary {
                inserted: 1,
                replaced: 1,
                unchanged: 1
            }
        );
        let second = target.import(out.as_slice()).unwrap();
        assert_eq!(
            second,
            ImportSummary {
                inserted: 0,
                replaced: 0,
                unchanged: 3
            }
        );
        assert_eq!(
            target.photo_file_id("https://a").unwrap().as_deref(),
            Some("A")
        );
    }
}
