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
                route: None,
            },
        )?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Saves an edited person whole; who created the case and when cannot
    /// change, and a need given without its day keeps the day held for it,
    /// or is known from today.
    pub fn update_person(&mut self, person: Person) -> Result<()> {
        self.change_person(person.id, |stored, today| {
            Ok(Person {
                created_at: stored.created_at,
                created_by: stored.created_by,
                needs: Need::dated(person.needs, &stored.needs, today),
                ..person
            })
        })
    }

    /// Adds a need to the person, known since `since` (else today).
    pub fn add_need(
        &mut self,
        case_id: Uuid,
        area: NeedArea,
        since: Option<NaiveDate>,
    ) -> Result<()> {
        self.change_person(case_id, |mut person, today| {
            // Listed twice is refused by the person's own check, naming the need.
            person
                .needs
                .push(Need::new(area, Some(since.unwrap_or(today))));
            Ok(person)
        })
    }

    /// Takes a need off the person (it stays in the record's history).
    pub fn remove_need(&mut self, case_id: Uuid, area: NeedArea) -> Result<()> {
        self.change_person(case_id, |mut person, _| {
            let before = person.needs.len();
            person.needs.retain(|n| n.area != area);
            if person.needs.len() == before {
                return Err(Error::because("need", waymark_model::Reason::NotANeed));
            }
            Ok(person)
        })
    }

    /// Saves what the app's edit form changed from what it `shown`
    /// (`PersonEdit::applied_to`: an edit synced meanwhile is kept; a
    /// restricted address the form never showed stays as it is).
    pub fn edit_person(
        &mut self,
        case_id: Uuid,
        shown: &PersonEdit,
        edit: PersonEdit,
    ) -> Result<()> {
        self.change_person(case_id, |stored, today| {
            let held = stored.needs.clone();
            let edited = edit.applied_to(shown, stored);
            Ok(Person {
                needs: Need::dated(edited.needs, &held, today),
                ..edited
            })
        })
    }

    /// Records a consent or information-sharing decision on the person.
    pub fn record_consent(&mut self, case_id: Uuid, consent: ConsentDecision) -> Result<()> {
        self.change_person(case_id, |mut person, _| {
            person.consents.push(ConsentDecision {
                topic: consent.topic.trim().to_owned(),
                note: consent
                    .note
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty()),
                ..consent
            });
            Ok(person)
        })
    }

    /// Reads the person and writes `change` of them in one transaction (a
    /// sync in between cannot be overwritten with what was read before it).
    fn change_person(
        &mut self,
        case_id: Uuid,
        change: impl FnOnce(Person, NaiveDate) -> Result<Person>,
    ) -> Result<()> {
        let mut tx = self.begin()?;
        let stored: Person = get_or(&tx.tx, case_id, "case")?;
        let person = change(stored, tx.now.date_naive())?;
        tx.put(&person)?;
        super::volunteers::keep_brief_in_step(&mut tx, &person)?;
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
            return Err(Error::because(
                "episode",
                waymark_model::Reason::AlreadyClosed,
            ));
        }
        e.status = EpisodeStatus::Closed;
        e.closed_on = Some(closed_on);
        e.closure_reason = Some(reason.trim().to_owned());
        tx.put(&e)?;
        tx.commit()
    }

    /// Fails with "not found" unless this store holds the case.
    pub fn require_case(&self, case_id: Uuid) -> Result<()> {
        require_case(&self.conn, case_id)
    }

    /// Records a case's new keyworker on its current episode (the open one,
    /// else the latest), after the server gave them the case
    /// (`waymark_sync::Client::reassign`): the caseload, "my cases" and the
    /// team view follow the episode. Returns the episode changed, if any.
    pub fn set_keyworker(&mut self, case_id: Uuid, keyworker: &str) -> Result<Option<Uuid>> {
        let keyworker = keyworker.trim();
        if keyworker.is_empty() {
            return Err(Error::because("keyworker", waymark_model::Reason::Required));
        }
        let mut tx = self.begin()?;
        require_case(&tx.tx, case_id)?;
        let current: Option<String> = tx
            .tx
            .query_row(
                "SELECT id FROM episodes WHERE case_id = ?1 AND removed_at IS NULL
                 ORDER BY status = 'open' DESC, opened_on DESC, id DESC LIMIT 1",
                [case_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = current.map(|id| crate::basics::parse_id(&id)).transpose()? else {
            tx.commit()?;
            return Ok(None);
        };
        let mut episode: Episode = get_or(&tx.tx, id, "episode")?;
        if episode.keyworker != keyworker {
            episode.keyworker = keyworker.to_owned();
            tx.put(&episode)?;
        }
        tx.audit("reassign", "episode", Some(id), Some(case_id))?;
        tx.commit()?;
        Ok(Some(id))
    }

    /// Moves an episode on to `to` on `on` (a worker on the case): only a
    /// move `Stage::next` allows from where it stands, dated no earlier than
    /// its last move and not in the future. A move to an end closes the
    /// episode that day if it is still open.
    pub fn move_stage(&mut self, episode_id: Uuid, to: Stage, on: NaiveDate) -> Result<StageMove> {
        let mut tx = self.begin()?;
        let mut episode: Episode = get_or(&tx.tx, episode_id, "episode")?;
        let moves: Vec<StageMove> =
            record::list(&tx.tx, "episode_id = ?1", &[&episode_id.to_string()])?;
        let stands = StageMove::current(episode_id, &moves);
        if !stands.next().contains(&to) {
            let onward = stands.next().to_vec();
            return Err(Error::because(
                "stage",
                match onward.is_empty() {
                    true => waymark_model::Reason::EpisodeEnded { stage: stands },
                    false => waymark_model::Reason::NotOnward {
                        stage: stands,
                        onward,
                        to,
                    },
                },
            ));
        }
        if to == Stage::Completed {
            let unmet = super::conditions::unmet_conditions(&tx.tx, episode_id)?;
            if !unmet.is_empty() {
                return Err(Error::because(
                    "stage",
                    waymark_model::Reason::ConditionsNotMet {
                        unmet: unmet.iter().map(|c| (c.kind, c.due_on, c.status)).collect(),
                    },
                ));
            }
        }
        let last = moves
            .iter()
            .map(|m| m.moved_on)
            .max()
            .unwrap_or(episode.opened_on);
        if on < last {
            return Err(Error::because(
                "on",
                waymark_model::Reason::BeforeLastMove { date: on, last },
            ));
        }
        let moved = StageMove {
            id: record::new_record_id(),
            case_id: episode.case_id,
            episode_id,
            stage: to,
            moved_on: on,
            recorded_by: tx.user,
            recorded_at: tx.now,
        };
        tx.put(&moved)?;
        if to.ends() && episode.status == EpisodeStatus::Open {
            episode.status = EpisodeStatus::Closed;
            episode.closed_on = Some(on);
            episode.closure_reason = Some(to.label().to_owned());
            tx.put(&episode)?;
        }
        tx.commit()?;
        Ok(moved)
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

pub(super) fn write_person(tx: &mut Tx, input: NewPerson) -> Result<Uuid> {
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
        needs: Need::dated(input.needs, &[], tx.now.date_naive()),
        consents: input.consents,
        created_at: tx.now,
        created_by: tx.user,
    };
    tx.put(&person)?;
    Ok(person.id)
}

pub(super) fn write_episode(tx: &mut Tx, input: NewEpisode) -> Result<Uuid> {
    require_case(&tx.tx, input.case_id)?;
    let programme = programme_to_join(&tx.tx, &input.programme)?;
    if let (Some(_), Some(p)) = (input.route, &programme) {
        if !matches!(
            p.kind,
            ProgrammeKind::Diversion | ProgrammeKind::LiaisonAndDiversion | ProgrammeKind::Other
        ) {
            return Err(Error::because(
                "route",
                waymark_model::Reason::RouteOnlyForDiversion {
                    programme: p.name.clone(),
                },
            ));
        }
    }
    let episode = Episode {
        id: record::new_record_id(),
        case_id: input.case_id,
        referral_source: input.referral_source,
        programme: programme
            .as_ref()
            .map_or_else(|| input.programme.trim().to_owned(), |p| p.name.clone()),
        programme_id: programme.as_ref().map(|p| p.id),
        route: input.route,
        keyworker: input.keyworker.trim().to_owned(),
        status: EpisodeStatus::Open,
        opened_on: input.opened_on,
        closed_on: None,
        closure_reason: None,
    };
    tx.put(&episode)?;
    Ok(episode.id)
}

/// The programme an episode joins, by name: one of the organisation's
/// programmes, not retired. An organisation that has defined none keeps
/// naming programmes in free text (`None`).
fn programme_to_join(conn: &Connection, name: &str) -> Result<Option<Programme>> {
    let defined: i64 = conn.query_row(
        "SELECT count(*) FROM programmes WHERE removed_at IS NULL",
        [],
        |r| r.get(0),
    )?;
    if defined == 0 {
        return Ok(None);
    }
    let programme = super::programmes::find_programme(conn, name)?;
    if programme.retired {
        return Err(Error::because(
            "programme",
            waymark_model::Reason::ProgrammeRetired {
                name: programme.name,
            },
        ));
    }
    Ok(Some(programme))
}

/// A day recorded against an episode is not before it opened.
pub(super) fn not_before_opening(field: &str, day: NaiveDate, episode: &Episode) -> Result<()> {
    if day < episode.opened_on {
        return Err(Error::because(
            field,
            waymark_model::Reason::BeforeEpisodeOpened {
                date: day,
                opened: episode.opened_on,
            },
        ));
    }
    Ok(())
}

/// The organisation's programme an episode belongs to; `for_follow_ups`
/// says what asked (else its outcome areas), when it belongs to none.
pub(super) fn programme_of(
    conn: &Connection,
    episode: &Episode,
    for_follow_ups: bool,
) -> Result<Programme> {
    let programme = match episode.programme_id {
        Some(id) => record::get::<Programme>(conn, id)?,
        None => None,
    };
    programme.ok_or_else(|| {
        Error::because(
            "episode",
            waymark_model::Reason::InNoProgramme { for_follow_ups },
        )
    })
}
