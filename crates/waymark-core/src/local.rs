//! What a person keeps on this device only: drafts, settings and the
//! reminders already shown. Never synced, never in the outbox, but inside
//! the encrypted store, so a draft is as protected as a saved note.

use crate::api::{find_template, Session};
use crate::assessment::Answer;
use crate::basics::now;
use crate::error::{Error, Result};
use crate::queries::CaseloadFilter;
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;
use std::collections::BTreeMap;
use uuid::Uuid;
pub use waymark_model::views::{
    CaseloadPage, ConflictView, LiveScore, NoteDraft, Settings, Side, DEFAULT_LOCK_MINUTES,
    LANGUAGES, LOCK_MINUTES_RANGE,
};

/// When and where a field's stamp says it was written. Pure.
pub fn side_of(stamp: &str, this_device: Uuid) -> Side {
    match stamp.parse::<crate::hlc::Stamp>() {
        Ok(s) => Side {
            written_at: DateTime::from_timestamp_millis(s.clock.wall_ms as i64),
            by_this_device: s.device == this_device,
            device: s.device.simple().to_string()[..8].to_owned(),
            by: None,
        },
        Err(_) => Side {
            written_at: None,
            by_this_device: false,
            device: "unknown".into(),
            by: None,
        },
    }
}

const NOTE_DRAFT: &str = "note";

/// The words of an appointment reminder. Only times: a notification may be
/// seen by anyone near the screen and may be kept by the OS.
pub fn reminder_text(starts: &[DateTime<Utc>], zone: chrono_tz::Tz) -> Option<String> {
    let mut times: Vec<String> = starts
        .iter()
        .map(|t| t.with_timezone(&zone).format("%H:%M").to_string())
        .collect();
    times.sort();
    match times.len() {
        0 => None,
        1 => Some(format!("1 appointment at {}", times[0])),
        n => Some(format!("{n} appointments at {}", times.join(", "))),
    }
}

/// Appointments whose reminder is due at `now`: reminder set, no outcome
/// yet, not started, and the reminder window reached. Pure.
pub fn reminder_due(
    starts_at: DateTime<Utc>,
    reminder_minutes: Option<i64>,
    now: DateTime<Utc>,
) -> bool {
    match reminder_minutes {
        Some(m) => starts_at > now && starts_at - chrono::Duration::minutes(m) <= now,
        None => false,
    }
}

impl Session {
    /// Saves what the note form holds for this case (replacing the last save).
    pub fn save_note_draft(&mut self, case_id: Uuid, draft: &NoteDraft) -> Result<DateTime<Utc>> {
        crate::basics::require_case(self.connection(), case_id)?;
        if draft.body.chars().count() > 100_000 {
            return Err(Error::because(
                "body",
                waymark_model::Reason::TooLong { max: 100_000 },
            ));
        }
        let saved_at = now();
        let mut content = draft.clone();
        content.saved_at = None;
        self.connection().execute(
            "INSERT INTO drafts (user_id, case_id, kind, content, saved_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (user_id, case_id, kind) DO UPDATE SET content = excluded.content, saved_at = excluded.saved_at",
            rusqlite::params![
                self.user().id.to_string(),
                case_id.to_string(),
                NOTE_DRAFT,
                serde_json::to_string(&content)?,
                saved_at.timestamp_millis()
            ],
        )?;
        Ok(saved_at)
    }

    /// This person's unsaved note for the case, if any.
    pub fn note_draft(&self, case_id: Uuid) -> Result<Option<NoteDraft>> {
        let row: Option<(String, i64)> = self
            .connection()
            .query_row(
                "SELECT content, saved_at FROM drafts WHERE user_id = ?1 AND case_id = ?2 AND kind = ?3",
                rusqlite::params![self.user().id.to_string(), case_id.to_string(), NOTE_DRAFT],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(content, at)| {
            let mut draft: NoteDraft = serde_json::from_str(&content)?;
            draft.saved_at = DateTime::from_timestamp_millis(at);
            Ok(draft)
        })
        .transpose()
    }

    pub fn discard_note_draft(&mut self, case_id: Uuid) -> Result<()> {
        discard_note_draft(self.connection(), self.user().id, case_id)
    }

    /// Cases where this person has a note draft waiting.
    pub fn drafts(&self) -> Result<Vec<Uuid>> {
        let mut stmt = self.connection().prepare_cached(
            "SELECT case_id FROM drafts WHERE user_id = ?1 ORDER BY saved_at DESC",
        )?;
        let ids = stmt
            .query_map([self.user().id.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter()
            .map(|s| Uuid::parse_str(s).map_err(|e| Error::Storage(e.to_string())))
            .collect()
    }

    pub fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        let mut stmt = self
            .connection()
            .prepare_cached("SELECT key, value FROM user_settings WHERE user_id = ?1")?;
        let rows = stmt.query_map([self.user().id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (key, value) = row?;
            match key.as_str() {
                "lock_minutes" => {
                    settings.lock_minutes = value.parse().unwrap_or(DEFAULT_LOCK_MINUTES)
                }
                "language" => settings.language = value,
                _ => {}
            }
        }
        Ok(settings)
    }

    /// Checks every setting before writing any.
    pub fn save_settings(&mut self, settings: &Settings) -> Result<()> {
        settings.check()?;
        let user = self.user().id.to_string();
        let tx = self.begin_local()?;
        for (key, value) in [
            ("lock_minutes", settings.lock_minutes.to_string()),
            ("language", settings.language.clone()),
        ] {
            tx.execute(
                "INSERT INTO user_settings (user_id, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value",
                [&user, key, &value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The caseload a page at a time: the whole list is scored and sorted in
    /// the core, only the page crosses to the screen.
    pub fn caseload_page(
        &self,
        filter: &CaseloadFilter,
        offset: usize,
        limit: usize,
    ) -> Result<CaseloadPage> {
        if !(1..=500).contains(&limit) {
            return Err(Error::invalid("limit", "must be between 1 and 500"));
        }
        let all = self.caseload(filter)?;
        Ok(CaseloadPage {
            total: all.len(),
            offset,
            entries: all.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// The score so far, shown live while the form is filled in: questions
    /// not answered yet count as "not known" (zero) and are listed, because
    /// saving needs every one answered. Nothing is written.
    pub fn score_assessment(
        &self,
        template_key: &str,
        template_version: Option<i64>,
        answers: &BTreeMap<String, Answer>,
    ) -> Result<LiveScore> {
        let template = find_template(self.connection(), template_key, template_version)?;
        let mut filled = answers.clone();
        let mut unanswered = Vec::new();
        for q in &template.definition.questions {
            if !filled.contains_key(&q.id) {
                filled.insert(q.id.clone(), Answer::NotKnown(()));
                unanswered.push(q.id.clone());
            }
        }
        Ok(LiveScore {
            result: template.definition.score(&filled)?,
            unanswered,
        })
    }

    /// Conflicts for the review screen, open ones unless `all`.
    pub fn conflict_views(&self, all: bool) -> Result<Vec<ConflictView>> {
        let mut name = self.connection().prepare_cached(
            "SELECT coalesce(preferred_name, full_name) FROM persons WHERE id = ?1",
        )?;
        self.conflicts(!all)?
            .into_iter()
            .map(|c| {
                let case_name = match c.case_id {
                    Some(id) => name.query_row([id.to_string()], |r| r.get(0)).optional()?,
                    None => None,
                };
                Ok(ConflictView {
                    kept: self.named_side(&c.kept_clock)?,
                    other: self.named_side(&c.lost_clock)?,
                    case_name,
                    conflict: c,
                })
            })
            .collect()
    }

    /// `side_of` a stamp, with the person behind it: this person for this
    /// device, else whoever's confirmed identity signed what its device sent
    /// (`change_signers`, named by their certificates).
    fn named_side(&self, stamp: &str) -> Result<Side> {
        let mut side = side_of(stamp, self.device_id());
        if side.by_this_device {
            side.by = Some(self.user().name.clone());
            return Ok(side);
        }
        let Ok(stamp) = stamp.parse::<crate::hlc::Stamp>() else {
            return Ok(side);
        };
        side.by = crate::queries::signers_of_device(self.connection(), stamp.device)?;
        Ok(side)
    }

    /// Reminders due now, as the words to show (times only). Each
    /// appointment's reminder is returned once per device.
    pub fn take_due_reminders(&mut self, at: DateTime<Utc>) -> Result<Option<String>> {
        let tx = self.begin_local()?;
        let due: Vec<(String, i64, Option<i64>)> = {
            let mut stmt = tx.prepare_cached(
                "SELECT a.id, a.starts_at, a.reminder_minutes FROM appointments a
                 WHERE a.reminder_minutes IS NOT NULL AND a.outcome IS NULL AND a.removed_at IS NULL
                   AND a.starts_at > ?1 AND a.starts_at <= ?1 + 7 * 24 * 3600 * 1000
                   AND NOT EXISTS (SELECT 1 FROM reminders_shown r WHERE r.appointment_id = a.id)",
            )?;
            let rows = stmt.query_map([at.timestamp_millis()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut starts = Vec::new();
        for (id, starts_ms, minutes) in due {
            let Some(start) = DateTime::from_timestamp_millis(starts_ms) else {
                continue;
            };
            if reminder_due(start, minutes, at) {
                tx.execute(
                    "INSERT INTO reminders_shown (appointment_id, shown_at) VALUES (?1, ?2)",
                    rusqlite::params![id, at.timestamp_millis()],
                )?;
                starts.push(start);
            }
        }
        tx.commit()?;
        Ok(reminder_text(&starts, crate::queries::LOCAL_ZONE))
    }
}

pub(crate) fn discard_note_draft(
    conn: &rusqlite::Connection,
    user: Uuid,
    case_id: Uuid,
) -> Result<()> {
    conn.execute(
        "DELETE FROM drafts WHERE user_id = ?1 AND case_id = ?2 AND kind = ?3",
        rusqlite::params![user.to_string(), case_id.to_string(), NOTE_DRAFT],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    #[test]
    fn reminders_name_no_one_and_use_local_time() {
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 13, 0, 0).unwrap();
        assert_eq!(
            reminder_text(&[summer], chrono_tz::Europe::London).unwrap(),
            "1 appointment at 14:00"
        );
        let later = summer + chrono::Duration::minutes(90);
        assert_eq!(
            reminder_text(&[later, summer], chrono_tz::Europe::London).unwrap(),
            "2 appointments at 14:00, 15:30"
        );
        assert_eq!(reminder_text(&[], chrono_tz::Europe::London), None);
    }

    #[test]
    fn settings_outside_their_range_are_refused_by_name() {
        let mut s = Settings {
            lock_minutes: 0,
            ..Default::default()
        };
        assert!(s
            .check()
            .unwrap_err()
            .to_string()
            .starts_with("lock_minutes:"));
        s.lock_minutes = 10;
        s.language = "cy".into();
        assert!(s.check().is_ok(), "Welsh is a language a person can choose");
        s.language = "fr".into();
        assert!(s.check().unwrap_err().to_string().starts_with("language:"));
    }

    #[test]
    fn a_stamp_tells_when_and_which_device_wrote_it() {
        let d = Uuid::new_v4();
        let stamp = format!("{:012x}.{:08x}.{}", 1_700_000_000_000u64, 3, d.simple());
        let side = side_of(&stamp, d);
        assert!(side.by_this_device);
        assert_eq!(
            side.written_at.unwrap().timestamp_millis(),
            1_700_000_000_000
        );
        assert_eq!(side.device, d.simple().to_string()[..8]);
        assert!(!side_of(&stamp, Uuid::nil()).by_this_device);
        assert_eq!(side_of("junk", d).device, "unknown");
    }

    proptest! {
        /// A reminder is due exactly inside [start - minutes, start).
        #[test]
        fn reminder_window(start_min in 0i64..10_000, minutes in 0i64..2_000, now_min in 0i64..12_000) {
            let base = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let start = base + chrono::Duration::minutes(start_min);
            let now = base + chrono::Duration::minutes(now_min);
            let expected = now_min < start_min && start_min - minutes <= now_min;
            prop_assert_eq!(reminder_due(start, Some(minutes), now), expected);
            prop_assert!(!reminder_due(start, None, now));
        }
    }
}
