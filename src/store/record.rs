//! Versioned envelopes: every value on disk is a JSON object with a `v` field next to the
//! record's own fields, so a later paperboy can tell an old record from a new one and upgrade
//! it, and an export can be read by a human.
//!
//! New optional fields need no new version (they carry `#[serde(default)]`); a version bump
//! is for changes an old reader would misread, and comes with a step in [`Record::upgrade`].

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// A type stored as a value in one tree.
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// What this record is, for logs and errors.
    const KIND: &'static str;
    /// The version this code writes.
    const VERSION: u32;

    /// Brings the fields of a record written at version `from` (older than
    /// [`Record::VERSION`]) up to date. Nothing has changed shape yet.
    fn upgrade(from: u32, fields: Map<String, Value>) -> Result<Map<String, Value>, String> {
        let _ = from;
        Ok(fields)
    }
}

/// Why a stored value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DecodeError {
    #[error("not a JSON object: {0}")]
    NotJson(String),
    #[error("no version field")]
    NoVersion,
    #[error("version {found} is newer than this paperboy knows ({known})")]
    TooNew { found: u64, known: u32 },
    #[error("version 0 does not exist")]
    ZeroVersion,
    #[error("upgrade from version {from} failed: {reason}")]
    Upgrade { from: u32, reason: String },
    #[error("bad fields: {0}")]
    Fields(String),
}

/// The record's bytes: its fields plus `"v"`.
///
/// Serializing the paperboy types cannot fail (no maps with non-string keys, no
/// non-finite floats), but the error is returned rather than assumed.
pub(crate) fn encode<T: Record>(record: &T) -> Result<Vec<u8>, serde_json::Error> {
    let Value::Object(mut fields) = serde_json::to_value(record)? else {
        return Err(serde::ser::Error::custom(format!(
            "a {} record is not a JSON object",
            T::KIND
        )));
    };
    fields.insert("v".to_string(), Value::from(T::VERSION));
    serde_json::to_vec(&Value::Object(fields))
}

/// Reads bytes written by [`encode`], upgrading older versions.
pub(crate) fn decode<T: Record>(bytes: &[u8]) -> Result<T, DecodeError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    from_value(value)
}

/// Reads a record already parsed as JSON (an import).
pub(crate) fn from_value<T: Record>(value: Value) -> Result<T, DecodeError> {
    let Value::Object(mut fields) = value else {
        return Err(DecodeError::NotJson("not an object".to_string()));
    };
    let version = fields
        .remove("v")
        .and_then(|v| v.as_u64())
        .ok_or(DecodeError::NoVersion)?;
    if version > u64::from(T::VERSION) {
        return Err(DecodeError::TooNew {
            found: version,
            known: T::VERSION,
        });
    }
    // `version <= T::VERSION`, a u32, so the conversion holds.
    let version = u32::try_from(version).unwrap_or(T::VERSION);
    if version == 0 {
        return Err(DecodeError::ZeroVersion);
    }
    if version < T::VERSION {
        fields = T::upgrade(version, fields).map_err(|reason| DecodeError::Upgrade {
            from: version,
            reason,
        })?;
    }
    serde_json::from_value(Value::Object(fields)).map_err(|e| DecodeError::Fields(e.to_string()))
}

/// The bytes this code would write for a record given as JSON: the record checked, upgraded
/// and written again, so an import stores exactly what a put would.
pub(crate) fn canonical<T: Record>(value: Value) -> Result<Vec<u8>, DecodeError> {
    let record: T = from_value(value)?;
    encode(&record).map_err(|e| DecodeError::Fields(e.to_string()))
}

/// Whether bytes decode as a `T`, for counting unreadable records.
pub(crate) fn check<T: Record>(bytes: &[u8]) -> Result<(), DecodeError> {
    decode::<T>(bytes).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
        #[serde(default)]
        pinned: bool,
    }

    impl Record for Note {
        const KIND: &'static str = "note";
        const VERSION: u32 = 2;

        fn upgrade(
            from: u32,
            mut fields: Map<String, Value>,
        ) -> Result<Map<String, Value>, String> {
            if from == 1 {
                let body = fields.remove("body").ok_or("no body")?;
                fields.insert("text".to_string(), body);
            }
            Ok(fields)
        }
    }

    #[test]
    fn writes_the_version_and_reads_it_back() {
        let note = Note {
            text: "hi".into(),
            pinned: true,
        };
        let bytes = encode(&note).unwrap();
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(raw["v"], 2);
        assert_eq!(decode::<Note>(&bytes).unwrap(), note);
    }

    #[test]
    fn new_fields_default() {
        let note: Note = decode(br#"{"v":2,"text":"x"}"#).unwrap();
        assert!(!note.pinned);
    }

    #[test]
    fn older_versions_are_upgraded() {
        let note: Note = decode(br#"{"v":1,"body":"old"}"#).unwrap();
        assert_eq!(note.text, "old");
        assert!(matches!(
            decode::<Note>(br#"{"v":1}"#),
            Err(DecodeError::Upgrade { from: 1, .. })
        ));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(matches!(
            decode::<Note>(br#"{"v":3,"text":"x"}"#),
            Err(DecodeError::TooNew { found: 3, known: 2 })
        ));
        assert_eq!(
            decode::<Note>(br#"{"text":"x"}"#),
            Err(DecodeError::NoVersion)
        );
        assert_eq!(
            decode::<Note>(br#"{"v":0,"text":"x"}"#),
            Err(DecodeError::ZeroVersion)
        );
        assert!(matches!(
            decode::<Note>(b"\xff\x00garbage"),
            Err(DecodeError::NotJson(_))
        ));
        assert!(matches!(
            decode::<Note>(br#"{"v":2,"text":5}"#),
            Err(DecodeError::Fields(_))
        ));
        assert!(matches!(
            decode::<Note>(br#"[1,2]"#),
            Err(DecodeError::NotJson(_))
        ));
    }

    #[test]
    fn canonical_matches_a_put() {
        let note = Note {
            text: "a".into(),
            pinned: false,
        };
        let direct = encode(&note).unwrap();
        let via_json = canonical::<Note>(serde_json::from_slice(&direct).unwrap()).unwrap();
        assert_eq!(direct, via_json);
    }
}
