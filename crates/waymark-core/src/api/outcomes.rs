//! Outcomes over time: dated status records per area, ratings of the
//! programme's outcome areas, practical support given, feedback at closure,
//! and equality monitoring (recorded and reported, never on the header).
use super::*;
use crate::queries::CaseOutcomes;

impl Session {
    // --- Outcomes ----------------------------------------------------------------------

    /// Records the state of one area of a person's life on a day.
    pub fn record_status(&mut self, input: NewStatus) -> Result<StatusRecord> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let status = StatusRecord {
            id: record::new_record_id(),
            case_id: input.case_id,
            area: input.area,
            value: input.value.trim().to_owned(),
            point: input.point,
            recorded_on: input.recorded_on,
            recorded_by: tx.user,
        };
        tx.put(&status)?;
        tx.commit()?;
        Ok(status)
    }

    /// Rates one of the episode's programme's outcome areas (named as the
    /// programme names it, case aside).
    pub fn rate_area(&mut self, input: NewAreaRating) -> Result<AreaRating> {
        let mut tx = self.begin()?;
        let episode: Episode = get_or(&tx.tx, input.episode_id, "episode")?;
        let programme = super::cases::programme_of(&tx.tx, &episode, false)?;
        let wanted = input.area.trim().to_lowercase();
        let Some(area) = programme
            .outcome_areas
            .iter()
            .find(|a| a.trim().to_lowercase() == wanted)
        else {
            return Err(Error::because(
                "area",
                waymark_model::Reason::NotAnOutcomeArea {
                    programme: programme.name.clone(),
                    areas: programme.outcome_areas.clone(),
                    asked: input.area.trim().to_owned(),
                },
            ));
        };
        super::cases::not_before_opening("rated_on", input.rated_on, &episode)?;
        let rating = AreaRating {
            id: record::new_record_id(),
            case_id: episode.case_id,
            episode_id: episode.id,
            area: area.clone(),
            rating: input.rating,
            rated_on: input.rated_on,
            rated_by: tx.user,
        };
        tx.put(&rating)?;
        tx.commit()?;
        Ok(rating)
    }

    /// Records practical help given.
    pub fn give_support(&mut self, input: NewSupport) -> Result<SupportGiven> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let given = SupportGiven {
            id: record::new_record_id(),
            case_id: input.case_id,
            kind: input.kind,
            given_on: input.given_on,
            amount_pence: input.amount_pence,
            note: tidy(input.note),
            given_by: tx.user,
        };
        tx.put(&given)?;
        tx.commit()?;
        Ok(given)
    }

    /// Records the person's feedback on an episode: once per episode.
    pub fn record_feedback(&mut self, input: NewFeedback) -> Result<Feedback> {
        let mut tx = self.begin()?;
        let episode: Episode = get_or(&tx.tx, input.episode_id, "episode")?;
        super::cases::not_before_opening("given_on", input.given_on, &episode)?;
        let id = Uuid::new_v5(&episode.id, b"feedback");
        if let Some(given) = record::get::<Feedback>(&tx.tx, id)? {
            return Err(Error::because(
                "episode",
                waymark_model::Reason::FeedbackGiven { on: given.given_on },
            ));
        }
        let feedback = Feedback {
            id,
            case_id: episode.case_id,
            episode_id: episode.id,
            satisfaction: input.satisfaction,
            words: tidy(input.words),
            given_on: input.given_on,
        };
        tx.put(&feedback)?;
        tx.commit()?;
        Ok(feedback)
    }

    /// Sets equality monitoring answers of a case (`None`: not asked),
    /// leaving the questions not named as they were. (`check_equality`
    /// says beforehand whether they will be taken.)
    pub fn set_equality(
        &mut self,
        case_id: Uuid,
        answers: &[(EqualityQuestion, Option<String>)],
    ) -> Result<Equality> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let id = Uuid::new_v5(&case_id, b"equality");
        let mut equality = record::get::<Equality>(&tx.tx, id)?.unwrap_or(Equality {
            id,
            case_id,
            ..Default::default()
        });
        for (question, answer) in answers {
            *equality.answer_mut(*question) = tidy(answer.clone());
        }
        tx.put(&equality)?;
        tx.audit("record", "equality", Some(id), Some(case_id))?;
        tx.commit()?;
        Ok(equality)
    }

    /// A case's outcomes over time.
    pub fn outcomes(&self, case_id: Uuid) -> Result<CaseOutcomes> {
        require_case(&self.conn, case_id)?;
        queries::outcomes(&self.conn, case_id)
    }
}

/// Whether these equality answers would be taken (each one of its
/// question's answers): so a command that also writes something else can
/// refuse before writing anything.
pub fn check_equality(answers: &[(EqualityQuestion, Option<String>)]) -> Result<()> {
    let mut e = Equality::default();
    for (question, answer) in answers {
        *e.answer_mut(*question) = tidy(answer.clone());
    }
    e.validate_fields(now())
}
