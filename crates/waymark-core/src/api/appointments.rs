//! Appointments and the agenda.
use super::*;

impl Session {
    // --- Appointments -------------------------------------------------------------

    pub fn add_appointment(&mut self, input: NewAppointment) -> Result<Uuid> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let a = Appointment {
            id: record::new_record_id(),
            case_id: input.case_id,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            place: tidy(input.place),
            agency: input.agency,
            with_whom: tidy(input.with_whom),
            reminder_minutes: input.reminder_minutes,
            accompany: input.accompany,
            outcome: None,
            outcome_note: None,
        };
        tx.put(&a)?;
        tx.commit()?;
        Ok(a.id)
    }

    pub fn record_appointment_outcome(
        &mut self,
        id: Uuid,
        outcome: AppointmentOutcome,
        note: Option<String>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut a: Appointment = get_or(&tx.tx, id, "appointment")?;
        a.outcome = Some(outcome);
        a.outcome_note = tidy(note);
        tx.put(&a)?;
        tx.commit()
    }

    /// Appointments from `from` (inclusive) to `to` (exclusive), soonest first.
    pub fn agenda(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<queries::AgendaEntry>> {
        if to <= from {
            return Err(Error::because("to", waymark_model::Reason::EndsBeforeStart));
        }
        // One read transaction, so one snapshot: a case a sync removes
        // between the two statements cannot leave an appointment nameless.
        let read = self.conn.unchecked_transaction()?;
        let agenda = queries::agenda(&read, from, to)?;
        read.commit()?;
        Ok(agenda)
    }

    /// The agenda of a local day (today if not given), or of its
    /// Monday-to-Sunday week, in the zone shown to people.
    pub fn agenda_of(
        &self,
        date: Option<NaiveDate>,
        week: bool,
    ) -> Result<Vec<queries::AgendaEntry>> {
        let date = date.unwrap_or_else(|| queries::local_today(now()));
        let (from, to) = if week {
            queries::local_week_bounds(date, queries::LOCAL_ZONE)
        } else {
            queries::local_day_bounds(date, queries::LOCAL_ZONE)
        };
        self.agenda(from, to)
    }

    /// A case's appointments, latest first.
    pub fn appointments(&self, case_id: Uuid) -> Result<Vec<Appointment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY starts_at DESC, id",
            &[&case_id.to_string()],
        )
    }
}
