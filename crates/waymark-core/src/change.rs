//! A change as every device reads it: which record, what was done to it,
//! when (a [`Stamp`]), by which device and schema. It travels sealed and
//! signed inside a sync envelope.
//!
//! The JSON is the wire form, and a signature covers its bytes: a change
//! written (and signed) before an upgrade is read back and sent after it, so
//! the typed form writes exactly the bytes the untyped one did. serde_json's
//! maps are sorted, so an operation's keys go out in sorted order
//! (`base_version`, `fields`, `op`, `prev`, `supersedes`).

use crate::hlc::Stamp;
use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeBody {
    pub change_id: Uuid,
    pub clock: Stamp,
    pub device_id: Uuid,
    pub schema_version: i64,
    pub kind: String,
    pub record_id: Uuid,
    pub case_id: Option<Uuid>,
    pub payload: Op,
}

/// What a change does to its record.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Writes fields: all of them when the record is new, else those that
    /// changed.
    Put {
        /// The record's version the writer changed (0: it was new).
        base_version: i64,
        fields: Map<String, Value>,
        /// Per field written, the stamp of the value it replaced (none when
        /// the record was new).
        prev: BTreeMap<String, Option<Stamp>>,
        /// Per field, the other heads a conflict's resolution replaces.
        supersedes: Option<BTreeMap<String, Vec<Stamp>>>,
    },
    /// Removes the record (a tombstone).
    Remove,
    /// An operation this version does not know (a newer device's), kept as
    /// it came: held until an upgrade reads it, refused if it claims to be
    /// of this schema.
    Unknown(Map<String, Value>),
}

impl Op {
    /// The fields a put writes (none for anything else).
    pub fn fields(&self) -> Option<&Map<String, Value>> {
        match self {
            Op::Put { fields, .. } => Some(fields),
            _ => None,
        }
    }

    /// The stamps a change supersedes for `field`: the head it replaced,
    /// and any heads a conflict's resolution names.
    pub fn superseded(&self, field: &str) -> Vec<Stamp> {
        let Op::Put {
            prev, supersedes, ..
        } = self
        else {
            return Vec::new();
        };
        let mut stamps: Vec<Stamp> = prev.get(field).copied().flatten().into_iter().collect();
        if let Some(more) = supersedes.as_ref().and_then(|s| s.get(field)) {
            stamps.extend(more.iter().copied());
        }
        stamps
    }
}

impl Serialize for Op {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Op::Put {
                base_version,
                fields,
                prev,
                supersedes,
            } => {
                let mut map = s.serialize_map(Some(4 + usize::from(supersedes.is_some())))?;
                map.serialize_entry("base_version", base_version)?;
                map.serialize_entry("fields", fields)?;
                map.serialize_entry("op", "put")?;
                map.serialize_entry("prev", prev)?;
                if let Some(supersedes) = supersedes {
                    map.serialize_entry("supersedes", supersedes)?;
                }
                map.end()
            }
            Op::Remove => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("op", "remove")?;
                map.end()
            }
            Op::Unknown(map) => map.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Op, D::Error> {
        // Each part as its raw text first (no value tree for a put, the
        // common case on a first sync's hot path); then either every part
        // typed, or, for an operation this version does not know, the
        // whole as it came.
        let parts = BTreeMap::<String, Box<RawValue>>::deserialize(d)?;
        // Owned: an escaped name ("p\u0075t") reads as what it spells.
        let op = parts
            .get("op")
            .and_then(|op| serde_json::from_str::<String>(op.get()).ok());
        let known = parts
            .keys()
            .all(|k| ["op", "base_version", "fields", "prev", "supersedes"].contains(&k.as_str()));
        match op.as_deref() {
            Some("remove") if parts.len() == 1 => Ok(Op::Remove),
            // A put with a wrong-typed part is unreadable, not unknown.
            Some("put") if known => {
                fn part<'a, T: Deserialize<'a>, E: serde::de::Error>(
                    parts: &'a BTreeMap<String, Box<RawValue>>,
                    key: &str,
                ) -> Result<Option<T>, E> {
                    parts
                        .get(key)
                        .map(|raw| serde_json::from_str(raw.get()).map_err(E::custom))
                        .transpose()
                }
                Ok(Op::Put {
                    base_version: part(&parts, "base_version")?
                        .ok_or_else(|| D::Error::missing_field("base_version"))?,
                    fields: part(&parts, "fields")?
                        .ok_or_else(|| D::Error::missing_field("fields"))?,
                    prev: part(&parts, "prev")?.unwrap_or_default(),
                    supersedes: part::<Option<_>, _>(&parts, "supersedes")?.flatten(),
                })
            }
            _ => parts
                .into_iter()
                .map(|(k, raw)| {
                    Ok((
                        k,
                        serde_json::from_str(raw.get()).map_err(D::Error::custom)?,
                    ))
                })
                .collect::<Result<Map<String, Value>, D::Error>>()
                .map(Op::Unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes as the untyped form wrote and signed them: the first three
    /// written by a store of that version (a new case, an edit, an
    /// attachment's removal), the fourth (a conflict's resolution and an
    /// organisation record) in its format by hand. Each reads, and writes
    /// back to the very same bytes, so its signature still holds.
    const STORED: &[&str] = &[
        r#"{"change_id":"01a22b17-7c46-73d7-80f6-fcb3493c291b","clock":"01a22b177c46.00000000.75e450f7f6a64392ae191d7d35bda059","device_id":"75e450f7-f6a6-4392-ae19-1d7d35bda059","schema_version":13,"kind":"person","record_id":"45be65bd-e2bc-4512-9f07-8b32e06283e8","case_id":"45be65bd-e2bc-4512-9f07-8b32e06283e8","payload":{"base_version":0,"fields":{"address":null,"address_restricted":false,"consents":[],"created_at":"2026-11-30T06:14:49.158Z","created_by":"bde6f6d8-7124-43d7-a3b8-4df72335e552","date_of_birth":null,"email":null,"full_name":"Jo Example","needs":[],"phone":null,"preferred_name":null,"pronouns":null,"safe_contact":{"calls_safe":null,"code_word":null,"instructions":null,"safe_times":null,"texts_safe":null,"voicemail_safe":null}},"op":"put","prev":{"address":null,"address_restricted":null,"consents":null,"created_at":null,"created_by":null,"date_of_birth":null,"email":null,"full_name":null,"needs":null,"phone":null,"preferred_name":null,"pronouns":null,"safe_contact":null}}}"#,
        r#"{"change_id":"01a22b17-7c4a-726b-b5e7-02f5b90f568e","clock":"01a22b177c4a.00000000.75e450f7f6a64392ae191d7d35bda059","device_id":"75e450f7-f6a6-4392-ae19-1d7d35bda059","schema_version":13,"kind":"person","record_id":"45be65bd-e2bc-4512-9f07-8b32e06283e8","case_id":"45be65bd-e2bc-4512-9f07-8b32e06283e8","payload":{"base_version":1,"fields":{"pronouns":"she/her"},"op":"put","prev":{"pronouns":"01a22b177c46.00000000.75e450f7f6a64392ae191d7d35bda059"}}}"#,
        r#"{"change_id":"01a22b17-7c4f-7154-9b5d-43094a43d54c","clock":"01a22b177c4f.00000000.75e450f7f6a64392ae191d7d35bda059","device_id":"75e450f7-f6a6-4392-ae19-1d7d35bda059","schema_version":13,"kind":"attachment","record_id":"01a22b17-7c4c-72ae-8220-9443bc9ea0d9","case_id":"45be65bd-e2bc-4512-9f07-8b32e06283e8","payload":{"op":"remove"}}"#,
        r#"{"change_id":"01a22b17-7d00-7154-9b5d-43094a43d54d","clock":"01a22b177d00.00000003.75e450f7f6a64392ae191d7d35bda059","device_id":"75e450f7-f6a6-4392-ae19-1d7d35bda059","schema_version":13,"kind":"assessment_template","record_id":"01a22b17-7c4c-72ae-8220-9443bc9ea0da","case_id":null,"payload":{"base_version":2,"fields":{"title":"DASH"},"op":"put","prev":{"title":"01a22b177c46.00000000.75e450f7f6a64392ae191d7d35bda059"},"supersedes":{"title":["01a22b177c47.00000001.9a8b7c6d5e4f40318293a4b5c6d7e8f9"]}}}"#,
    ];

    #[test]
    fn changes_stored_before_the_typed_form_read_and_write_back_byte_for_byte() {
        for text in STORED {
            let body: ChangeBody = serde_json::from_str(text).unwrap();
            assert!(!matches!(body.payload, Op::Unknown(_)), "{text}");
            assert_eq!(serde_json::to_string(&body).unwrap(), *text);
        }
        let body: ChangeBody = serde_json::from_str(STORED[3]).unwrap();
        let superseded: Vec<String> = body
            .payload
            .superseded("title")
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            superseded,
            [
                "01a22b177c46.00000000.75e450f7f6a64392ae191d7d35bda059",
                "01a22b177c47.00000001.9a8b7c6d5e4f40318293a4b5c6d7e8f9"
            ]
        );
    }

    #[test]
    fn an_operation_named_with_escapes_reads_as_what_it_spells() {
        let op: Op =
            serde_json::from_str(r#"{"base_version":0,"fields":{},"op":"p\u0075t","prev":{}}"#)
                .unwrap();
        assert!(matches!(op, Op::Put { .. }), "{op:?}");
        let op: Op = serde_json::from_str(r#"{"op":"remov\u0065"}"#).unwrap();
        assert_eq!(op, Op::Remove);
    }

    #[test]
    fn an_operation_from_a_newer_version_is_kept_as_it_came() {
        for payload in [
            r#"{"from":"a","op":"move","to":"b"}"#,
            r#"{"base_version":1,"fields":{},"moved":true,"op":"put","prev":{}}"#,
            r#"{"op":"remove","soft":true}"#,
        ] {
            let op: Op = serde_json::from_str(payload).unwrap();
            assert!(matches!(op, Op::Unknown(_)), "{payload}");
            assert_eq!(serde_json::to_string(&op).unwrap(), payload);
        }
    }

    #[test]
    fn a_put_with_a_malformed_part_is_unreadable() {
        for payload in [
            r#"{"base_version":1,"fields":[],"op":"put","prev":{}}"#,
            r#"{"base_version":1,"fields":{},"op":"put","prev":{"a":"not a stamp"}}"#,
            r#"{"fields":{},"op":"put","prev":{}}"#,
        ] {
            assert!(serde_json::from_str::<Op>(payload).is_err(), "{payload}");
        }
    }
}
