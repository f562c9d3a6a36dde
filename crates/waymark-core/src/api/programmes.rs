//! Programmes: organisation data an admin defines, which episodes belong to
//! and reports group by. They go to every device of the organisation, which
//! take them only when a confirmed admin signed them.
use super::*;
use waymark_model::vocab::AdminTask;
use waymark_model::Reason;

impl Session {
    // --- Programmes ------------------------------------------------------------------

    /// Every programme, retired ones last.
    pub fn programmes(&self) -> Result<Vec<Programme>> {
        record::list(
            &self.conn,
            "1 ORDER BY retired, name COLLATE NOCASE, id",
            &[],
        )
    }

    /// Adds a programme. Its name must be new (case aside): episodes and
    /// reports name programmes by it.
    pub fn add_programme(&mut self, input: NewProgramme) -> Result<Programme> {
        self.require_admin("programme", AdminTask::AddProgramme)?;
        let mut tx = self.begin()?;
        let programme = Programme {
            id: record::new_record_id(),
            name: input.name.trim().to_owned(),
            kind: input.kind,
            planned_weeks: input.planned_weeks,
            outcome_areas: input
                .outcome_areas
                .iter()
                .map(|a| a.trim().to_owned())
                .collect(),
            follow_up_months: input.follow_up_months,
            retired: false,
        };
        programme.validate(tx.now)?;
        if find_programme(&tx.tx, &programme.name).is_ok() {
            return Err(Error::because(
                "name",
                waymark_model::Reason::ProgrammeNameTaken {
                    name: programme.name.clone(),
                },
            ));
        }
        tx.put(&programme)?;
        tx.commit()?;
        Ok(programme)
    }

    /// Retires a programme: no new episodes join it; its episodes and their
    /// figures stay.
    pub fn retire_programme(&mut self, name: &str) -> Result<Programme> {
        self.require_admin("programme", AdminTask::RetireProgramme)?;
        let mut tx = self.begin()?;
        let mut programme = find_programme(&tx.tx, name)?;
        programme.retired = true;
        tx.put(&programme)?;
        tx.commit()?;
        Ok(programme)
    }

    /// Organisation data goes to every device: only an admin the
    /// organisation confirmed may write it (other devices refuse it anyway).
    pub(super) fn require_admin(&self, field: &str, task: AdminTask) -> Result<()> {
        if self.trust_state()?.confirmed_as != Some(waymark_protocol::Role::Admin) {
            return Err(Error::because(field, Reason::OnlyAdmin { task }));
        }
        Ok(())
    }
}

/// The programme with this name (case aside).
pub(crate) fn find_programme(conn: &Connection, name: &str) -> Result<Programme> {
    let found: Vec<Programme> = record::list(
        conn,
        "name = ?1 COLLATE NOCASE ORDER BY id",
        &[&name.trim()],
    )?;
    match found.len() {
        1 => Ok(found.into_iter().next().expect("one")),
        0 => {
            let open: Vec<String> =
                record::list::<Programme>(conn, "retired = 0 ORDER BY name COLLATE NOCASE", &[])?
                    .into_iter()
                    .map(|p| p.name)
                    .collect();
            Err(Error::because(
                "programme",
                Reason::NoSuchProgramme {
                    name: name.trim().to_owned(),
                    open,
                },
            ))
        }
        // Two admins offline may each have added it.
        _ => Err(Error::because(
            "programme",
            Reason::ProgrammeNamedMoreThanOnce {
                name: name.trim().to_owned(),
                count: found.len(),
            },
        )),
    }
}
