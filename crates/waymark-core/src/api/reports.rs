//! Reports: the commissioner's figures, computed here from the cases this
//! device holds (the server cannot read them), by
//! `waymark_model::report::compute`.
use super::*;
use std::collections::HashMap;
use waymark_model::report::{self, Assessed, CaseFacts, Report, Scope, Teams};

impl Session {
    // --- Reports -----------------------------------------------------------------------

    /// The report for `scope`, for a supervisor or an admin the
    /// organisation confirmed (a worker's device holds only their own
    /// cases). Running it is audited.
    pub fn report(&mut self, scope: &Scope) -> Result<Report> {
        use waymark_protocol::Role;
        if !matches!(
            self.trust_state()?.confirmed_as,
            Some(Role::Supervisor | Role::Manager | Role::Admin)
        ) {
            return Err(Error::because(
                "report",
                waymark_model::Reason::OnlyReportRoles,
            ));
        }
        if scope.from > scope.to {
            return Err(Error::because(
                "from",
                waymark_model::Reason::AfterPeriodEnd {
                    from: scope.from,
                    to: scope.to,
                },
            ));
        }
        if let Some(name) = &scope.programme {
            super::programmes::find_programme(&self.conn, name)?;
        }
        let teams = self.teams()?;
        let mut scope = scope.clone();
        if let Some(asked) = &scope.team {
            scope.team = Some(named_team(&teams, asked)?);
        }
        let facts = report_facts(&self.conn)?;
        let programmes: Vec<Programme> = record::list(&self.conn, "1", &[])?;
        let mut report = report::compute(&facts, &programmes, &teams, &scope);
        let tallies: Vec<crate::domain::OutreachTally> = record::list(&self.conn, "1", &[])?;
        report.sections.extend(report::outreach(&tallies, &scope));
        let tx = self.begin()?;
        tx.audit("report", "report", None, None)?;
        tx.commit()?;
        Ok(report)
    }
}

impl Session {
    /// Who is in which team, as the organisation certified them (a person
    /// certified before teams were is in none).
    pub fn teams(&self) -> Result<Teams> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT subject_name, team FROM certified_identities
             WHERE user_id = ?1 AND team IS NOT NULL AND subject_name IS NOT NULL",
        )?;
        let rows = stmt.query_map([self.user.id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The teams a report can be run for, by name.
    pub fn team_names(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self.teams()?.into_values().collect();
        names.sort();
        names.dedup();
        Ok(names)
    }
}

/// The certified team `asked` names (case aside), or what the teams are.
fn named_team(teams: &Teams, asked: &str) -> Result<String> {
    let mut names: Vec<&String> = teams.values().collect();
    names.sort();
    names.dedup();
    if let Some(found) = names
        .iter()
        .find(|t| t.trim().eq_ignore_ascii_case(asked.trim()))
    {
        return Ok((*found).clone());
    }
    Err(Error::because(
        "team",
        waymark_model::Reason::NoSuchTeam {
            asked: asked.to_owned(),
            teams: names.iter().map(|t| t.to_string()).collect(),
        },
    ))
}

impl Session {
    /// The names of the cases behind a report's figure, as the caseload
    /// shows them (preferred name first), in the order given; a case this
    /// device no longer holds is left out.
    pub fn case_names(&self, cases: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
        let mut name = self.conn.prepare_cached(
            "SELECT coalesce(preferred_name, full_name) FROM persons WHERE id = ?1 AND removed_at IS NULL",
        )?;
        let mut seen = std::collections::HashSet::new();
        let mut named = Vec::new();
        for &case in cases {
            if !seen.insert(case) {
                continue;
            }
            if let Some(n) = name
                .query_row([case.to_string()], |r| r.get::<_, String>(0))
                .optional()?
            {
                named.push((case, n));
            }
        }
        Ok(named)
    }
}

/// Every case's facts, a query per kind (no notes, no names).
pub fn report_facts(conn: &Connection) -> Result<Vec<CaseFacts>> {
    let mut cases: HashMap<Uuid, CaseFacts> = HashMap::new();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM persons WHERE removed_at IS NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let case_id = parse_id(&id)?;
        cases.insert(
            case_id,
            CaseFacts {
                case_id,
                ..Default::default()
            },
        );
    }
    macro_rules! gather {
        ($field:ident, $ty:ty) => {
            for r in record::list::<$ty>(conn, "1", &[])? {
                if let Some(c) = cases.get_mut(&r.case_id) {
                    c.$field.push(r);
                }
            }
        };
    }
    gather!(episodes, Episode);
    gather!(stage_moves, StageMove);
    gather!(conditions, Condition);
    gather!(follow_ups, FollowUp);
    gather!(statuses, StatusRecord);
    gather!(area_ratings, AreaRating);
    gather!(support, SupportGiven);
    gather!(feedback, Feedback);
    gather!(referrals, Referral);
    let templates: HashMap<Uuid, AssessmentTemplate> = record::list(conn, "1", &[])?
        .into_iter()
        .map(|t: AssessmentTemplate| (t.id, t))
        .collect();
    for a in record::list::<Assessment>(conn, "1", &[])? {
        if let Some(c) = cases.get_mut(&a.case_id) {
            let template = templates.get(&a.template_id).map(|t| &t.definition);
            c.assessments.push(Assessed::of(&a, template));
        }
    }
    for i in record::list::<Incident>(conn, "1", &[])? {
        if let Some(c) = cases.get_mut(&i.case_id) {
            c.incidents.push(report::Occurred::of(&i));
        }
    }
    for e in record::list::<Equality>(conn, "1", &[])? {
        if let Some(c) = cases.get_mut(&e.case_id) {
            c.equality = Some(e);
        }
    }
    let mut facts: Vec<CaseFacts> = cases.into_values().collect();
    facts.sort_by_key(|c| c.case_id);
    Ok(facts)
}
