//! Cases: the person, their episodes, the case page.
use super::*;

impl Session {
    // --- Cases ----------------------------------------------------------------

    pub fn add_person(&mut self, input: NewPerson) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let id = write_person(&mut tx, input)?;
        tx.commit()?;
        Ok(id)
    }

    /// Opens a new case as the app does: the person and their first episode,
    /// with this person as keyworker, in one transaction.
    pub fn create_case(&mut self, input: NewCase) -> Result<Uuid> {
        let keyworker = self.user.name.clone();
        let mut tx = self.begin()?;
        let case_id = write_person(&mut tx, input.person)?;
        let opened_on = queries::local_today(tx.now);
        write_episode(
            &mut tx,
            NewEpisode {
                case_id,
                referral_source: input.referral_source,
                programme: input.programme,
                keyworker,
                opened_on,
            },
        )?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Saves an edited person; who created the case and when cannot change.
    pub fn update_person(&mut self, mut person: Person) -> Result<()> {
        let mut tx = self.begin()?;
        let stored: Person = get_or(&tx.tx, person.id, "case")?;
        person.created_at = stored.created_at;
        person.created_by = stored.created_by;
        tx.put(&person)?;
        tx.commit()
    }

    pub fn person(&self, case_id: Uuid) -> Result<Person> {
        get_or(&self.conn, case_id, "case")
    }

    /// The case header a worker sees on opening a case (an audited view). The
    /// restricted address is masked here; see `reveal_address`.
    pub fn open_case(&mut self, case_id: Uuid) -> Result<queries::CaseView> {
        let view = queries::case_view(&self.conn, case_id)?;
        let tx = self.begin()?;
        tx.audit("view", "case", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(view)
    }

    /// Shows a restricted address on purpose; the reveal is audited.
    pub fn reveal_address(&mut self, case_id: Uuid) -> Result<Option<String>> {
        let person: Person = get_or(&self.conn, case_id, "case")?;
        let tx = self.begin()?;
        tx.audit("reveal_address", "person", Some(case_id), Some(case_id))?;
        tx.commit()?;
        Ok(person.address)
    }

    pub fn add_episode(&mut self, input: NewEpisode) -> Result<Uuid> {
        let mut tx = self.begin()?;
        let id = write_episode(&mut tx, input)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn close_episode(
        &mut self,
        episode_id: Uuid,
        closed_on: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let mut e: Episode = get_or(&tx.tx, episode_id, "episode")?;
        if e.status == EpisodeStatus::Closed {
            return Err(Error::invalid("episode", "is already closed"));
        }
        e.status = EpisodeStatus::Closed;
        e.closed_on = Some(closed_on);
        e.closure_reason = Some(reason.trim().to_owned());
        tx.put(&e)?;
        tx.commit()
    }

    /// Fills the store with plainly fictional demo data.
    pub fn demo_data(
        &mut self,
        options: &crate::demo::DemoOptions,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<crate::demo::DemoReport> {
        crate::demo::generate(self, options, progress)
    }
}

fn write_person(tx: &mut Tx, input: NewPerson) -> Result<Uuid> {
    let person = Person {
        id: Uuid::new_v4(),
        full_name: input.full_name.trim().to_owned(),
        preferred_name: tidy(input.preferred_name),
        date_of_birth: input.date_of_birth,
        pronouns: tidy(input.pronouns),
        phone: tidy(input.phone),
        email: tidy(input.email),
        safe_contact: input.safe_contact,
        address: tidy(input.address),
        address_restricted: input.address_restricted,
        needs: input.needs,
        consents: input.consents,
        created_at: tx.now,
        created_by: tx.user,
    };
    tx.put(&person)?;
    Ok(person.id)
}

fn write_episode(tx: &mut Tx, input: NewEpisode) -> Result<Uuid> {
    require_case(&tx.tx, input.case_id)?;
    let episode = Episode {
        id: record::new_record_id(),
        case_id: input.case_id,
        referral_source: input.referral_source,
        programme: input.programme.trim().to_owned(),
        keyworker: input.keyworker.trim().to_owned(),
        status: EpisodeStatus::Open,
        opened_on: input.opened_on,
        closed_on: None,
        closure_reason: None,
    };
    tx.put(&episode)?;
    Ok(episode.id)
}
