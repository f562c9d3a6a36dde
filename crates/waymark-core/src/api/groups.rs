//! Group sessions and drop-ins with their registers, and outreach tallies.
//!
//! A session is a log of its own (`GroupSession::case_id` is its id), held
//! as a case is: whoever made it, their team's supervisors, managers, and
//! whoever it is shared with. Its register is attendance on each attendee's
//! case, so the session lists no one and a device shows the register of
//! the cases it holds; the group note stays on the session. A tally names
//! no one: it travels in its writer's tally log for the month.

use super::*;
use crate::domain::{Attendance, GroupSession, OutreachTally};
use waymark_model::views::{GroupRegister, RegisterEntry};

impl Session {
    /// Records a group session or drop-in.
    pub fn add_group_session(&mut self, input: NewGroupSession) -> Result<GroupSession> {
        let mut tx = self.begin()?;
        let session = GroupSession {
            id: record::new_record_id(),
            title: input.title.trim().to_owned(),
            programme: tidy(input.programme),
            place: input.place.trim().to_owned(),
            held_on: input.held_on,
            facilitators: input.facilitators.trim().to_owned(),
            note: tidy(input.note),
            recorded_at: tx.now,
            recorded_by: tx.user,
        };
        session.validate(tx.now)?;
        tx.put(&session)?;
        tx.commit()?;
        Ok(session)
    }

    /// The group sessions this device holds, the latest first.
    pub fn group_sessions(&self) -> Result<Vec<GroupSession>> {
        record::list(
            &self.conn,
            "true ORDER BY held_on DESC, recorded_at DESC, id",
            &[],
        )
    }

    /// A session and its register: the people on it whose cases this
    /// device holds, by name.
    pub fn group_register(&self, session_id: Uuid) -> Result<GroupRegister> {
        let session: GroupSession = get_or(&self.conn, session_id, "group session")?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.case_id, p.full_name, a.attended FROM attendance a JOIN persons p ON p.id = a.case_id
             WHERE a.session_id = ?1 AND a.removed_at IS NULL ORDER BY p.full_name, a.case_id",
        )?;
        let rows = stmt.query_map([session_id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut register = Vec::new();
        for row in rows {
            let (case, person_name, attended) = row?;
            register.push(RegisterEntry {
                case_id: crate::basics::parse_id(&case)?,
                person_name,
                attended,
            });
        }
        Ok(GroupRegister { session, register })
    }

    /// Puts a person on a session's register (by their case), or changes
    /// whether they came. The attendance is on their case: its timeline
    /// shows the session's title and day, never the group note.
    pub fn mark_attendance(
        &mut self,
        session_id: Uuid,
        case_id: Uuid,
        attended: bool,
    ) -> Result<GroupRegister> {
        let mut tx = self.begin()?;
        let session: GroupSession = get_or(&tx.tx, session_id, "group session")?;
        require_case(&tx.tx, case_id)?;
        let attendance = Attendance {
            id: Attendance::id_of(case_id, session_id),
            case_id,
            session_id,
            title: session.title,
            held_on: session.held_on,
            attended,
            recorded_at: tx.now,
            recorded_by: tx.user,
        };
        attendance.validate(tx.now)?;
        tx.put(&attendance)?;
        tx.commit()?;
        self.group_register(session_id)
    }

    /// Records an outreach tally: a count of contacts with people who have
    /// no case, where, and what help they had.
    pub fn add_outreach_tally(&mut self, input: NewOutreachTally) -> Result<OutreachTally> {
        let team = self.teams()?.get(&self.user.name).cloned();
        let mut tx = self.begin()?;
        let mut help = input.help;
        help.sort();
        help.dedup();
        let tally = OutreachTally {
            id: record::new_record_id(),
            log_id: OutreachTally::log_of(tx.user, input.counted_on),
            counted_on: input.counted_on,
            site: input.site.trim().to_owned(),
            count: input.count,
            help,
            note: tidy(input.note),
            team,
            recorded_at: tx.now,
            recorded_by: tx.user,
        };
        tally.validate(tx.now)?;
        tx.put(&tally)?;
        tx.commit()?;
        Ok(tally)
    }

    /// The outreach tallies this device holds counted on `from` or after,
    /// the latest first.
    pub fn outreach_tallies(&self, from: NaiveDate) -> Result<Vec<OutreachTally>> {
        record::list(
            &self.conn,
            "counted_on >= ?1 ORDER BY counted_on DESC, recorded_at DESC, id",
            &[&from.to_string()],
        )
    }
}
