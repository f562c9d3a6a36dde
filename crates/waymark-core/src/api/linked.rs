//! People linked to a case: children, household members and the other
//! party. Every list shows the other party masked (`LinkedPerson::masked`);
//! `reveal_linked_person` shows them, recorded in the audit trail, as the
//! restricted address is. A child or a household member opens as a case of
//! their own, linked both ways.

use super::*;
use crate::domain::{LinkedPerson, Relation};

impl Session {
    /// Links someone to a case.
    pub fn add_linked_person(&mut self, input: NewLinkedPerson) -> Result<LinkedPerson> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let link = LinkedPerson {
            id: record::new_record_id(),
            case_id: input.case_id,
            relation: input.relation,
            name: input.name.trim().to_owned(),
            date_of_birth: input.date_of_birth,
            lives: tidy(input.lives),
            known_to_childrens_services: input.known_to_childrens_services,
            details: tidy(input.details),
            own_case_id: None,
            added_at: tx.now,
            added_by: tx.user,
        };
        link.validate(tx.now)?;
        tx.put(&link)?;
        tx.commit()?;
        Ok(link.masked())
    }

    /// The people linked to a case, the other party masked.
    pub fn linked_people(&self, case_id: Uuid) -> Result<Vec<LinkedPerson>> {
        require_case(&self.conn, case_id)?;
        queries::linked_people(&self.conn, case_id)
    }

    /// A linked person as recorded, the other party's details included:
    /// recorded in the audit trail.
    pub fn reveal_linked_person(&mut self, link_id: Uuid) -> Result<LinkedPerson> {
        let link: LinkedPerson = get_or(&self.conn, link_id, "linked person")?;
        let tx = self.begin()?;
        tx.audit(
            "reveal_linked",
            LinkedPerson::KIND,
            Some(link.id),
            Some(link.case_id),
        )?;
        tx.commit()?;
        Ok(link)
    }

    /// Opens a linked child or household member as a case of their own (this
    /// person its keyworker), in one act: the new case, its first episode,
    /// and the link to it. The other party is never opened from here.
    pub fn open_linked_case(
        &mut self,
        link_id: Uuid,
        programme: &str,
        referral_source: ReferralSource,
    ) -> Result<Uuid> {
        let keyworker = self.user.name.clone();
        let mut tx = self.begin()?;
        let mut link: LinkedPerson = get_or(&tx.tx, link_id, "linked person")?;
        if link.relation == Relation::OtherParty {
            return Err(Error::because(
                "link_id",
                waymark_model::Reason::OtherPartyNotACase,
            ));
        }
        if link.own_case_id.is_some() {
            return Err(Error::because("link_id", waymark_model::Reason::HasOwnCase));
        }
        let case_id = cases::write_person(
            &mut tx,
            NewPerson {
                full_name: link.name.clone(),
                date_of_birth: link.date_of_birth,
                ..Default::default()
            },
        )?;
        let opened_on = queries::local_today(tx.now);
        cases::write_episode(
            &mut tx,
            NewEpisode {
                case_id,
                referral_source,
                programme: programme.to_owned(),
                keyworker,
                opened_on,
                route: None,
            },
        )?;
        link.own_case_id = Some(case_id);
        tx.put(&link)?;
        tx.commit()?;
        Ok(case_id)
    }
}
