//! The commissioner's report, computed from the cases a device holds: a
//! pure function of their facts, the period and the programme. Every figure
//! keeps the cases behind it (for the supervisor's drill-down on the
//! device); what leaves the device is the published `Table`s.
//!
//! Definitions (the README's "Reports" section says them in words):
//! - referrals: episodes opened in the period;
//! - stages reached and engagement: of those, where they had got to by the
//!   end of the period;
//! - endings: episodes whose end stage was reached in the period;
//! - conditions: those due in the period, as they stood at its end;
//! - reoffending: episodes closed at least N months before the period ends
//!   in a programme that follows up at N months, by what their follow-up
//!   found (or that none is recorded);
//! - outcomes, distance travelled, support, feedback: the cases with an
//!   episode open at some time in the period, from records dated up to its
//!   end;
//! - domestic abuse: risk assessments (a template that can prompt a MARAC
//!   referral) completed in the period by the cases open during it, what
//!   their MARAC prompts became by its end, and MARAC referrals made in it;
//! - equality: engagement, endings, the 6-month follow-up and settled
//!   accommodation, each by every monitoring question.

use super::{Figure, Table, SMALLEST_SHOWN};
use crate::records::*;
use crate::vocab::*;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What one case brings to a report: its records, no notes and no names.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub case_id: Uuid,
    pub episodes: Vec<Episode>,
    pub stage_moves: Vec<StageMove>,
    pub conditions: Vec<Condition>,
    pub follow_ups: Vec<FollowUp>,
    pub statuses: Vec<StatusRecord>,
    pub area_ratings: Vec<AreaRating>,
    pub support: Vec<SupportGiven>,
    pub feedback: Vec<Feedback>,
    pub equality: Option<Equality>,
    pub assessments: Vec<Assessed>,
    pub referrals: Vec<Referral>,
    #[serde(default)]
    pub incidents: Vec<Occurred>,
}

/// What an incident brings to a report: when, whether the police came, and
/// what came of an escalation prompt; never what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Occurred {
    pub id: Uuid,
    pub on: NaiveDate,
    pub police_called: bool,
    /// It met the escalation criterion (prompting a MARAC referral) and
    /// what was decided, if anything yet.
    pub escalation: Option<Option<PromptDecision>>,
}

impl Occurred {
    pub fn of(i: &Incident) -> Occurred {
        Occurred {
            id: i.id,
            on: i.occurred_on,
            police_called: i.police_called,
            escalation: i.escalation.as_ref().map(|e| e.decision.clone()),
        }
    }
}

/// What a completed assessment brings to a report: its level and what its
/// MARAC prompt became, never its answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessed {
    pub id: Uuid,
    pub completed_on: NaiveDate,
    /// Its template can prompt a MARAC referral: a domestic-abuse risk
    /// assessment.
    pub risk: bool,
    /// At its template's highest level.
    pub highest: bool,
    /// It prompted a MARAC referral.
    pub marac_prompted: bool,
    /// What was decided about that prompt, if anything yet.
    pub marac_decision: Option<PromptDecision>,
}

impl Assessed {
    /// The facts of `a` by its template. Without the template (its
    /// organisation's change not yet pulled) a MARAC prompt is the sign of
    /// both a risk assessment and its highest level.
    pub fn of(
        a: &Assessment,
        template: Option<&crate::assessment::TemplateDefinition>,
    ) -> Assessed {
        let marac = |p: &crate::assessment::Prompt| p.agency == Agency::Marac;
        let prompt = a.prompts.iter().position(marac);
        let (risk, highest) = match template {
            Some(t) => (
                t.assesses_risk(),
                t.thresholds.last().is_some_and(|t| t.level == a.level),
            ),
            None => (prompt.is_some(), prompt.is_some()),
        };
        Assessed {
            id: a.id,
            completed_on: a.completed_at.date_naive(),
            risk,
            highest,
            marac_prompted: prompt.is_some(),
            marac_decision: prompt
                .and_then(|i| a.decisions.iter().find(|d| d.prompt_index == i))
                .cloned(),
        }
    }
}

/// What a report covers: the days from `from` to `to`, both included, one
/// programme (by name, case aside) or all, and one team or all.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub programme: Option<String>,
    /// The episodes whose keyworker is in this team.
    #[serde(default)]
    pub team: Option<String>,
}

/// Who works in which team: a keyworker's user name to their team, as the
/// organisation certified them.
pub type Teams = BTreeMap<String, String>;

impl Scope {
    /// Which programmes and teams, in words: "all programmes, team outreach".
    pub fn covers(&self) -> String {
        format!(
            "{}, {}",
            self.programme.as_deref().unwrap_or("all programmes"),
            self.team
                .as_deref()
                .map_or_else(|| "all teams".to_owned(), |t| format!("team {t}"))
        )
    }

    fn within(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }

    fn takes(&self, e: &Episode, teams: &Teams) -> bool {
        self.programme
            .as_ref()
            .is_none_or(|p| p.trim().eq_ignore_ascii_case(e.programme.trim()))
            && self
                .team
                .as_ref()
                .is_none_or(|t| teams.get(e.keyworker.trim()) == Some(t))
    }

    /// Open at some time in the period.
    fn open_during(&self, e: &Episode) -> bool {
        e.opened_on <= self.to && e.closed_on.is_none_or(|c| c >= self.from)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub scope: Scope,
    /// The cases this device holds, all of which were looked at.
    pub cases_held: usize,
    pub sections: Vec<Section>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// A stable name (`referrals`, `equality_ethnicity`): the screens say
    /// its title in the person's language by it.
    #[serde(default)]
    pub key: String,
    pub title: String,
    pub breakdowns: Vec<Breakdown>,
    pub measures: Vec<Measure>,
    /// A breakdown of figures given above (equality): shown folded.
    #[serde(default)]
    pub folded: bool,
}

/// A table of counts as published, and the cases behind each cell (one
/// entry per thing counted: a case referred twice is there twice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// A stable name, e.g. `referrals_by_source` (the CSV file's name).
    pub key: String,
    pub title: String,
    pub table: Table,
    /// A thing may be counted in more than one row (stages reached, areas):
    /// the column totals add those up and are not shown.
    pub rows_overlap: bool,
    /// Its rows are what people named (programmes, sites) or months, not
    /// the report's words: never translated.
    #[serde(default)]
    pub rows_are_data: bool,
    /// `behind[row][column]`: never published.
    pub behind: Vec<Vec<Vec<Uuid>>>,
}

/// An average over some cases, shown only when there are at least five.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub key: String,
    pub title: String,
    /// The outcome area a distance travelled is about (its name as the
    /// organisation gave it).
    #[serde(default)]
    pub area: Option<String>,
    pub n: Figure,
    pub value: Option<f64>,
    /// E.g. "from 3.2 to 6.8".
    pub detail: Option<String>,
    /// The averages from and to, for distance travelled (when shown).
    #[serde(default)]
    pub span: Option<(f64, f64)>,
    pub behind: Vec<Uuid>,
}

/// Counts by row and column, each with the cases behind it.
struct Tally {
    rows: Vec<String>,
    columns: Vec<String>,
    cells: BTreeMap<(usize, usize), Vec<Uuid>>,
}

impl Tally {
    fn new(rows: Vec<String>, columns: &[&str]) -> Tally {
        Tally {
            rows,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            cells: BTreeMap::new(),
        }
    }

    fn add(&mut self, row: &str, column: &str, case: Uuid) {
        let i = match self.rows.iter().position(|r| r == row) {
            Some(i) => i,
            None => {
                self.rows.push(row.to_owned());
                self.rows.len() - 1
            }
        };
        let j = self
            .columns
            .iter()
            .position(|c| c == column)
            .expect("a column of the table");
        self.cells.entry((i, j)).or_default().push(case);
    }

    fn breakdown(self, key: &str, title: &str) -> Breakdown {
        self.publish(key, title, false)
    }

    /// A breakdown whose rows may count the same thing twice.
    fn overlapping(self, key: &str, title: &str) -> Breakdown {
        self.publish(key, title, true)
    }

    fn publish(mut self, key: &str, title: &str, rows_overlap: bool) -> Breakdown {
        let (r, c) = (self.rows.len(), self.columns.len());
        let behind: Vec<Vec<Vec<Uuid>>> = (0..r)
            .map(|i| {
                (0..c)
                    .map(|j| self.cells.remove(&(i, j)).unwrap_or_default())
                    .collect()
            })
            .collect();
        let counts: Vec<Vec<u64>> = behind
            .iter()
            .map(|row| row.iter().map(|cell| cell.len() as u64).collect())
            .collect();
        Breakdown {
            key: key.into(),
            title: title.into(),
            table: Table::publish(self.rows, self.columns, &counts),
            rows_overlap,
            rows_are_data: false,
            behind,
        }
    }
}

fn names(all: &[&str]) -> Vec<String> {
    all.iter().map(|s| s.to_string()).collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn measure(key: &str, title: &str, behind: Vec<Uuid>, value: f64) -> Measure {
    let n = behind.len() as u64;
    let shown = n >= SMALLEST_SHOWN;
    Measure {
        key: key.into(),
        title: title.into(),
        area: None,
        n: match (1..SMALLEST_SHOWN).contains(&n) {
            true => Figure::Small,
            false => Figure::Count(n),
        },
        value: shown.then_some(value),
        detail: None,
        span: None,
        behind,
    }
}

/// Distance travelled: the average latest rating less the first.
fn distance(key: &str, title: &str, behind: Vec<Uuid>, from: f64, to: f64) -> Measure {
    let m = measure(key, title, behind, to - from);
    let shown = m.value.is_some();
    Measure {
        detail: shown.then(|| format!("from {from:.1} to {to:.1}")),
        span: shown.then_some((from, to)),
        ..m
    }
}

/// An episode's moves made by `day`, and the stages they reached.
fn reached_by(moves: &[StageMove], episode: Uuid, day: NaiveDate) -> Vec<&StageMove> {
    moves
        .iter()
        .filter(|m| m.episode_id == episode && m.moved_on <= day)
        .collect()
}

/// Outreach without a case: the contacts the tallies in `scope` counted, by
/// site and by kind of help (a contact may have had several), under the
/// small-number rule like every other table. `None` when no tally is in
/// scope. A tally names no one, so nothing is behind its figures; a
/// programme scope leaves tallies out (they belong to none).
pub fn outreach(tallies: &[OutreachTally], scope: &Scope) -> Option<Section> {
    if scope.programme.is_some() {
        return None;
    }
    let counted: Vec<&OutreachTally> = tallies
        .iter()
        .filter(|t| scope.within(t.counted_on))
        .filter(|t| {
            scope
                .team
                .as_ref()
                .is_none_or(|team| t.team.as_ref() == Some(team))
        })
        .collect();
    if counted.is_empty() {
        return None;
    }
    // `overlap`: a contact may be in several rows; `rows_are_data`: the rows
    // are what people named (sites), not words of ours.
    let breakdown = |key: &str,
                     title: &str,
                     rows: Vec<String>,
                     counts: Vec<u64>,
                     overlap: bool,
                     rows_are_data: bool| {
        let behind = rows.iter().map(|_| vec![Vec::new()]).collect();
        let counts: Vec<Vec<u64>> = counts.into_iter().map(|n| vec![n]).collect();
        Breakdown {
            key: key.into(),
            title: title.into(),
            table: Table::publish(rows, vec!["Contacts".into()], &counts),
            rows_overlap: overlap,
            rows_are_data,
            behind,
        }
    };
    let mut sites: BTreeMap<String, u64> = BTreeMap::new();
    let mut help: BTreeMap<HelpKind, u64> = BTreeMap::new();
    for t in &counted {
        *sites.entry(t.site.trim().to_owned()).or_default() += u64::from(t.count);
        for h in &t.help {
            *help.entry(*h).or_default() += u64::from(t.count);
        }
    }
    let mut breakdowns = vec![breakdown(
        "outreach_by_site",
        "Outreach contacts without a case, by site",
        sites.keys().cloned().collect(),
        sites.values().copied().collect(),
        false,
        true,
    )];
    if !help.is_empty() {
        breakdowns.push(breakdown(
            "outreach_by_help",
            "Outreach contacts without a case, by help given",
            help.keys().map(|h| h.to_string()).collect(),
            help.values().copied().collect(),
            true,
            false,
        ));
    }
    Some(Section {
        key: "outreach".into(),
        title: "Outreach without a case".into(),
        breakdowns,
        measures: Vec::new(),
        folded: false,
    })
}

/// The report for `scope` from every case's facts, the organisation's
/// programmes and who is in which team.
pub fn compute(
    cases: &[CaseFacts],
    programmes: &[Programme],
    teams: &Teams,
    scope: &Scope,
) -> Report {
    let episodes = || {
        cases.iter().flat_map(move |c| {
            c.episodes
                .iter()
                .filter(|e| scope.takes(e, teams))
                .map(move |e| (c, e))
        })
    };
    let referred: Vec<(&CaseFacts, &Episode)> = episodes()
        .filter(|(_, e)| scope.within(e.opened_on))
        .collect();
    let engaged = |c: &CaseFacts, e: &Episode| {
        reached_by(&c.stage_moves, e.id, scope.to)
            .iter()
            .any(|m| m.stage == Stage::Engaged)
    };
    // Cases with an episode in scope open during the period.
    let active: Vec<&CaseFacts> = cases
        .iter()
        .filter(|c| {
            c.episodes
                .iter()
                .any(|e| scope.takes(e, teams) && scope.open_during(e))
        })
        .collect();

    let mut sections = Vec::new();

    // Referrals.
    let mut by_source = Tally::new(names(ReferralSource::ALL), &["referrals"]);
    let mut by_programme = Tally::new(Vec::new(), &["referrals"]);
    let mut by_month = Tally::new(months(scope.from, scope.to), &["referrals"]);
    for (c, e) in &referred {
        by_source.add(e.referral_source.as_str(), "referrals", c.case_id);
        by_programme.add(&e.programme, "referrals", c.case_id);
        by_month.add(
            &e.opened_on.format("%Y-%m").to_string(),
            "referrals",
            c.case_id,
        );
    }
    by_programme.rows.sort();
    sections.push(Section {
        key: "referrals".into(),
        title: "Referrals".into(),
        breakdowns: vec![
            by_source.breakdown("referrals_by_source", "Referrals by source"),
            Breakdown {
                rows_are_data: true,
                ..by_programme.breakdown("referrals_by_programme", "Referrals by programme")
            },
            Breakdown {
                rows_are_data: true,
                ..by_month.breakdown("referrals_by_month", "Referrals by month")
            },
        ],
        measures: vec![],
        folded: false,
    });

    // Stages.
    let mut stages = Tally::new(names(Stage::ALL), &["episodes"]);
    let mut engagement = Tally::new(names(&["engaged"]), &["yes", "no"]);
    for (c, e) in &referred {
        stages.add(Stage::Referred.as_str(), "episodes", c.case_id);
        let moves = reached_by(&c.stage_moves, e.id, scope.to);
        let mut seen: Vec<Stage> = moves.iter().map(|m| m.stage).collect();
        seen.sort();
        seen.dedup();
        for s in seen {
            stages.add(s.as_str(), "episodes", c.case_id);
        }
        let yes = if engaged(c, e) { "yes" } else { "no" };
        engagement.add("engaged", yes, c.case_id);
    }
    let ends: Vec<&str> = Stage::ALL[2..].to_vec();
    let mut endings = Tally::new(names(&ends), &["episodes"]);
    let mut completion = Tally::new(names(&["completed", "breached"]), &["yes", "no"]);
    let mut ended: Vec<(&CaseFacts, &str)> = Vec::new();
    for (c, e) in episodes() {
        // The first end an episode reached, if that was in the period.
        let end = c
            .stage_moves
            .iter()
            .filter(|m| m.episode_id == e.id && m.stage.ends())
            .min_by_key(|m| (m.moved_on, m.recorded_at, m.id));
        let Some(end) = end.filter(|m| scope.within(m.moved_on)) else {
            continue;
        };
        endings.add(end.stage.as_str(), "episodes", c.case_id);
        let how = match end.stage {
            Stage::Completed => "completed",
            Stage::Breached => "breached",
            _ => "ended otherwise",
        };
        ended.push((c, how));
        for (row, stage) in [
            ("completed", Stage::Completed),
            ("breached", Stage::Breached),
        ] {
            let yes = if end.stage == stage { "yes" } else { "no" };
            completion.add(row, yes, c.case_id);
        }
    }
    sections.push(Section {
        key: "stages".into(),
        title: "Stages".into(),
        breakdowns: vec![
            stages.overlapping(
                "stages_reached",
                "Stages reached by the end of the period (episodes referred in it)",
            ),
            engagement.breakdown("engagement", "Engaged, of those referred in the period"),
            endings.breakdown("endings", "How episodes ended in the period"),
            completion.overlapping(
                "completion",
                "Completed and breached, of the episodes that ended in the period",
            ),
        ],
        measures: vec![],
        folded: false,
    });

    // Conditions.
    let mut conditions = Tally::new(names(ConditionKind::ALL), ConditionStatus::ALL);
    for (c, e) in episodes() {
        for k in c
            .conditions
            .iter()
            .filter(|k| k.episode_id == e.id && scope.within(k.due_on))
        {
            let status = match k.status_on {
                Some(on) if on <= scope.to => k.status,
                _ => ConditionStatus::Pending,
            };
            conditions.add(k.kind.as_str(), status.as_str(), c.case_id);
        }
    }
    sections.push(Section {
        key: "conditions".into(),
        title: "Conditions".into(),
        breakdowns: vec![conditions.breakdown(
            "conditions",
            "Conditions due in the period, as they stood at its end",
        )],
        measures: vec![],
        folded: false,
    });

    // Reoffending.
    let found = [
        "none known",
        "further offence",
        "could not check",
        "not recorded",
    ];
    let mut reoffending = Tally::new(Vec::new(), &found);
    let mut followed: Vec<(&CaseFacts, &str)> = Vec::new();
    let follows: BTreeMap<Uuid, &Programme> = programmes.iter().map(|p| (p.id, p)).collect();
    for months_after in [6, 12] {
        let row = format!("{months_after} months");
        reoffending.rows.push(row.clone());
        for (c, e) in episodes() {
            let Some(closed) = e.closed_on else { continue };
            let Some(p) = e.programme_id.and_then(|id| follows.get(&id)) else {
                continue;
            };
            if !p.follow_up_months.contains(&months_after) {
                continue;
            }
            let due = follow_ups_due(closed, &[months_after]);
            if due.first().is_none_or(|(_, due)| *due > scope.to) {
                continue;
            }
            let recorded = c.follow_ups.iter().find(|f| {
                f.episode_id == e.id && f.months == months_after && f.checked_on <= scope.to
            });
            let column = match recorded.map(|f| f.result) {
                Some(FollowUpResult::NoneKnown) => found[0],
                Some(FollowUpResult::FurtherOffence) => found[1],
                Some(FollowUpResult::CouldNotCheck) => found[2],
                None => found[3],
            };
            reoffending.add(&row, column, c.case_id);
            if months_after == 6 {
                followed.push((c, column));
            }
        }
    }
    sections.push(Section {
        key: "reoffending".into(),
        title: "Reoffending".into(),
        breakdowns: vec![reoffending.overlapping(
                "reoffending",
            "Episodes closed at least 6 or 12 months before the period ended, by what their follow-up found",
        )],
        measures: vec![],
        folded: false,
    });

    // Outcomes: first and latest status per area; distance travelled.
    let areas: Vec<StatusArea> = StatusArea::ALL
        .iter()
        .map(|a| a.parse().expect("listed"))
        .collect();
    let mut changes = Tally::new(Vec::new(), &["improved", "unchanged", "worsened"]);
    let mut latest_good = Tally::new(Vec::new(), &["yes", "no"]);
    let mut housed: Vec<(&CaseFacts, &str)> = Vec::new();
    for area in &areas {
        changes.rows.push(area.as_str().into());
        latest_good.rows.push(area.as_str().into());
        for c in &active {
            let mut taken: Vec<&StatusRecord> = c
                .statuses
                .iter()
                .filter(|s| s.area == *area && s.recorded_on <= scope.to)
                .collect();
            taken.sort_by_key(|s| (s.recorded_on, s.id));
            let (Some(first), Some(last)) = (taken.first(), taken.last()) else {
                continue;
            };
            let good = |s: &StatusRecord| area.good().contains(&s.value.as_str());
            let yes = if good(last) { "yes" } else { "no" };
            latest_good.add(area.as_str(), yes, c.case_id);
            if *area == StatusArea::Accommodation {
                housed.push((c, yes));
            }
            if taken.len() >= 2 {
                let column = match (good(first), good(last)) {
                    (false, true) => "improved",
                    (true, false) => "worsened",
                    _ => "unchanged",
                };
                changes.add(area.as_str(), column, c.case_id);
            }
        }
    }
    let mut distance = Vec::new();
    let mut rated: BTreeMap<&str, Vec<(Uuid, f64, f64)>> = BTreeMap::new();
    for c in &active {
        let mut by_area: BTreeMap<&str, Vec<&AreaRating>> = BTreeMap::new();
        for r in c.area_ratings.iter().filter(|r| r.rated_on <= scope.to) {
            let in_scope = c
                .episodes
                .iter()
                .any(|e| e.id == r.episode_id && scope.takes(e, teams));
            if in_scope {
                by_area.entry(r.area.as_str()).or_default().push(r);
            }
        }
        for (area, mut rs) in by_area {
            rs.sort_by_key(|r| (r.rated_on, r.id));
            if rs.len() >= 2 {
                let (first, last) = (rs[0].rating as f64, rs[rs.len() - 1].rating as f64);
                rated
                    .entry(area)
                    .or_default()
                    .push((c.case_id, first, last));
            }
        }
    }
    for (area, points) in rated {
        let firsts: Vec<f64> = points.iter().map(|p| p.1).collect();
        let lasts: Vec<f64> = points.iter().map(|p| p.2).collect();
        let (from, to) = (mean(&firsts), mean(&lasts));
        distance.push(Measure {
            area: Some(area.to_owned()),
            ..self::distance(
                &format!("distance_{}", area.to_lowercase().replace(' ', "_")),
                &format!("{area}: distance travelled (cases rated twice or more)"),
                points.iter().map(|p| p.0).collect(),
                from,
                to,
            )
        });
    }
    sections.push(Section {
        key: "outcomes".into(),
        title: "Outcomes".into(),
        breakdowns: vec![
            changes.overlapping(
                "status_changes",
                "From the first to the latest status (cases with two or more)",
            ),
            latest_good.overlapping(
                "status_latest_good",
                "A good outcome at the latest status (e.g. settled accommodation)",
            ),
        ],
        measures: distance,
        folded: false,
    });

    // Practical support and feedback.
    let mut support = Tally::new(names(SupportKind::ALL), &["times given"]);
    let mut amounts = Vec::new();
    let mut pounds = 0i64;
    let mut satisfaction = Tally::new(names(&["1", "2", "3", "4", "5"]), &["people"]);
    let mut scores = Vec::new();
    for c in &active {
        for g in c.support.iter().filter(|g| scope.within(g.given_on)) {
            support.add(g.kind.as_str(), "times given", c.case_id);
            if let Some(p) = g.amount_pence {
                amounts.push(c.case_id);
                pounds += p;
            }
        }
        for f in c.feedback.iter().filter(|f| scope.within(f.given_on)) {
            let in_scope = c
                .episodes
                .iter()
                .any(|e| e.id == f.episode_id && scope.takes(e, teams));
            if let (true, Some(s)) = (in_scope, f.satisfaction) {
                satisfaction.add(&s.to_string(), "people", c.case_id);
                scores.push((c.case_id, s as f64));
            }
        }
    }
    sections.push(Section {
        key: "support".into(),
        title: "Practical support and feedback".into(),
        breakdowns: vec![
            support.breakdown("support_given", "Practical support given in the period"),
            satisfaction.breakdown(
                "satisfaction",
                "Satisfaction at closure (1 very unhappy, 5 very happy)",
            ),
        ],
        measures: vec![
            measure(
                "grants_total",
                "Grants and vouchers given, in pounds",
                amounts,
                pounds as f64 / 100.0,
            ),
            measure(
                "satisfaction_mean",
                "Average satisfaction (1 to 5)",
                scores.iter().map(|s| s.0).collect(),
                mean(&scores.iter().map(|s| s.1).collect::<Vec<_>>()),
            ),
        ],
        folded: false,
    });

    // Domestic abuse: risk assessments, who is at high risk, MARAC.
    let mut levels = Tally::new(
        names(&["at the highest level", "below it"]),
        &["assessments"],
    );
    let mut high_now = Tally::new(names(&["at the highest level"]), &["yes", "no"]);
    // One table, its rows disjoint: a separate table of the reasons would
    // publish the declined count as its total beside this one's "<5".
    let not_made = |why: &str| format!("not made: {}", why.replace('_', " "));
    let mut prompted = Tally::new(vec!["made".into()], &["prompts"]);
    for why in DeclineReason::ALL.iter().chain(&["reason not given"]) {
        prompted.rows.push(not_made(why));
    }
    prompted.rows.push("not yet decided".into());
    let mut marac = Tally::new(names(ReferralStatus::ALL), &["referrals"]);
    let mut incidents = Tally::new(
        names(&["police called", "police not called"]),
        &["incidents"],
    );
    for c in &active {
        let risk = || c.assessments.iter().filter(|a| a.risk);
        let by_assessment = risk()
            .filter(|a| scope.within(a.completed_on))
            .inspect(|a| {
                let level = if a.highest {
                    "at the highest level"
                } else {
                    "below it"
                };
                levels.add(level, "assessments", c.case_id);
            })
            .filter(|a| a.marac_prompted)
            .map(|a| a.marac_decision.as_ref());
        let in_period: Vec<&Occurred> = c.incidents.iter().filter(|i| scope.within(i.on)).collect();
        for i in &in_period {
            let police = if i.police_called {
                "police called"
            } else {
                "police not called"
            };
            incidents.add(police, "incidents", c.case_id);
        }
        let by_escalation = in_period
            .iter()
            .filter_map(|i| i.escalation.as_ref().map(Option::as_ref));
        let prompts: Vec<Option<&PromptDecision>> = by_assessment.chain(by_escalation).collect();
        for decision in prompts {
            let decided = decision.filter(|d| d.decided_at.date_naive() <= scope.to);
            match decided {
                None => prompted.add("not yet decided", "prompts", c.case_id),
                Some(d) if d.decision == DecisionKind::Made => {
                    prompted.add("made", "prompts", c.case_id)
                }
                Some(d) => {
                    let why = d.because.map_or("reason not given", |b| b.as_str());
                    prompted.add(&not_made(why), "prompts", c.case_id);
                }
            }
        }
        let latest = risk()
            .filter(|a| a.completed_on <= scope.to)
            .max_by_key(|a| (a.completed_on, a.id));
        if let Some(a) = latest {
            let yes = if a.highest { "yes" } else { "no" };
            high_now.add("at the highest level", yes, c.case_id);
        }
        for r in c
            .referrals
            .iter()
            .filter(|r| r.agency == Agency::Marac && scope.within(r.made_on))
        {
            marac.add(r.status.as_str(), "referrals", c.case_id);
        }
    }
    sections.push(Section {
        key: "domestic_abuse".into(),
        title: "Domestic abuse".into(),
        breakdowns: vec![
            levels.breakdown(
                "risk_assessments",
                "Risk assessments completed in the period, by level",
            ),
            high_now.breakdown(
                "high_risk",
                "People whose latest risk assessment by the end of the period is at the highest level",
            ),
            incidents.breakdown("incidents", "Incidents in the period, by whether the police were called"),
            prompted.breakdown(
                "marac_prompts",
                "MARAC referrals prompted in the period (by a risk assessment, or by police call-outs meeting the escalation criterion): made, or not and why",
            ),
            marac.breakdown(
                "marac_referrals",
                "MARAC referrals made in the period, by what came of them (as recorded now)",
            ),
        ],
        measures: vec![],
        folded: false,
    });

    // Equality: each figure above that is a share, by each monitoring
    // question, so a gap in access or outcome shows.
    let referred_engaged: Vec<(&CaseFacts, &str)> = referred
        .iter()
        .map(|&(c, e)| {
            (
                c,
                if engaged(c, e) {
                    "engaged"
                } else {
                    "not engaged"
                },
            )
        })
        .collect();
    for q in EqualityQuestion::ALL
        .iter()
        .map(|q| q.parse::<EqualityQuestion>().expect("listed"))
    {
        let words = q.as_str().replace('_', " ");
        sections.push(Section {
            key: format!("equality_{}", q.as_str()),
            title: format!("Equality: {words}"),
            breakdowns: vec![
                by_answer(
                    q,
                    &referred_engaged,
                    &["engaged", "not engaged"],
                    &format!("equality_{}", q.as_str()),
                    &format!("Referred in the period, engaged or not, by {words}"),
                ),
                by_answer(
                    q,
                    &ended,
                    &["completed", "breached", "ended otherwise"],
                    &format!("equality_{}_endings", q.as_str()),
                    &format!("How episodes ended in the period, by {words}"),
                ),
                by_answer(
                    q,
                    &followed,
                    &found,
                    &format!("equality_{}_reoffending", q.as_str()),
                    &format!("What the 6-month follow-up found, by {words}"),
                ),
                by_answer(
                    q,
                    &housed,
                    &["yes", "no"],
                    &format!("equality_{}_housed", q.as_str()),
                    &format!("Settled accommodation at the latest status, by {words}"),
                ),
            ],
            measures: vec![],
            folded: true,
        });
    }

    hide_alike(&mut sections);
    Report {
        scope: scope.clone(),
        cases_held: cases.len(),
        sections,
    }
}

/// Where a figure stands in its table (row, column; the totals last) and
/// the things it counts, sorted.
type Entry = ((usize, usize), Vec<Uuid>);

/// Each entry of a breakdown: a row's total counts its cells' cases.
fn entries(b: &Breakdown) -> Vec<Entry> {
    let (r, c) = (b.table.rows.len(), b.table.columns.len());
    let mut out = Vec::with_capacity((r + 1) * (c + 1));
    let mut all = Vec::new();
    let mut columns: Vec<Vec<Uuid>> = vec![Vec::new(); c];
    for (i, row) in b.behind.iter().enumerate() {
        let mut row_total = Vec::new();
        for (j, cell) in row.iter().enumerate() {
            let mut sorted = cell.clone();
            sorted.sort_unstable();
            row_total.extend_from_slice(&sorted);
            columns[j].extend_from_slice(&sorted);
            out.push(((i, j), sorted));
        }
        row_total.sort_unstable();
        all.extend_from_slice(&row_total);
        out.push(((i, c), row_total));
    }
    for (j, mut column) in columns.into_iter().enumerate() {
        column.sort_unstable();
        out.push(((r, j), column));
    }
    all.sort_unstable();
    out.push(((r, c), all));
    out
}

fn figure_at(t: &Table, (i, j): (usize, usize)) -> Figure {
    let (r, c) = (t.rows.len(), t.columns.len());
    match (i == r, j == c) {
        (false, false) => t.cells[i][j],
        (false, true) => t.row_totals[i],
        (true, false) => t.column_totals[j],
        (true, true) => t.total,
    }
}

/// The same cases are often counted in more than one table (one table's
/// cell is another's total): a figure hidden in one is hidden wherever the
/// same things are counted, and that table's rule re-run, until no table
/// shows what another hides. So that a headline figure (all referred) is
/// not lost to a small table, each table withholds first what is counted
/// in the fewest other places.
fn hide_alike(sections: &mut [Section]) {
    let count = sections.iter().map(|s| s.breakdowns.len()).sum::<usize>();
    let mut forced: Vec<Vec<(usize, usize)>> = vec![Vec::new(); count];
    let all_entries: Vec<Vec<Entry>> = sections
        .iter()
        .flat_map(|s| &s.breakdowns)
        .map(entries)
        .collect();
    let mut counted: std::collections::HashMap<&[Uuid], u64> = Default::default();
    for (_, cases) in all_entries.iter().flatten() {
        *counted.entry(cases.as_slice()).or_default() += 1;
    }
    let costs: Vec<Vec<Vec<u64>>> = sections
        .iter()
        .flat_map(|s| &s.breakdowns)
        .zip(&all_entries)
        .map(|(b, es)| {
            let mut cost = vec![vec![0; b.table.columns.len() + 1]; b.table.rows.len() + 1];
            for ((i, j), cases) in es {
                cost[*i][*j] = counted[cases.as_slice()];
            }
            cost
        })
        .collect();
    let republish = |b: &mut Breakdown, hide: &[(usize, usize)], cost: &[Vec<u64>]| {
        let counts: Vec<Vec<u64>> = b
            .behind
            .iter()
            .map(|row| row.iter().map(|cell| cell.len() as u64).collect())
            .collect();
        b.table = Table::publish_with(
            b.table.rows.clone(),
            b.table.columns.clone(),
            &counts,
            hide,
            cost,
        );
    };
    for (k, b) in sections
        .iter_mut()
        .flat_map(|s| s.breakdowns.iter_mut())
        .enumerate()
    {
        republish(b, &[], &costs[k]);
    }
    loop {
        let hidden: std::collections::HashSet<&[Uuid]> = sections
            .iter()
            .flat_map(|s| &s.breakdowns)
            .zip(&all_entries)
            .flat_map(|(b, es)| {
                es.iter()
                    .filter(|(at, cases)| !cases.is_empty() && figure_at(&b.table, *at).is_hidden())
                    .map(|(_, cases)| cases.as_slice())
            })
            .collect();
        let mut changed = false;
        for (k, b) in sections
            .iter_mut()
            .flat_map(|s| s.breakdowns.iter_mut())
            .enumerate()
        {
            let more: Vec<(usize, usize)> = all_entries[k]
                .iter()
                .filter(|(at, cases)| {
                    !cases.is_empty()
                        && !figure_at(&b.table, *at).is_hidden()
                        && hidden.contains(cases.as_slice())
                })
                .map(|(at, _)| *at)
                .collect();
            if more.is_empty() {
                continue;
            }
            forced[k].extend(more);
            republish(b, &forced[k], &costs[k]);
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

/// `counted` (a case and its column each) by their answer to `q`. A
/// free-text answer given by fewer than five would name itself in its
/// row's label: those share one row.
fn by_answer(
    q: EqualityQuestion,
    counted: &[(&CaseFacts, &str)],
    columns: &[&str],
    key: &str,
    title: &str,
) -> Breakdown {
    let answer_of = |c: &CaseFacts| {
        c.equality
            .as_ref()
            .and_then(|eq| eq.answer(q).clone())
            .unwrap_or_else(|| "not asked".into())
    };
    let mut given: BTreeMap<String, u64> = BTreeMap::new();
    for (c, _) in counted {
        *given.entry(answer_of(c)).or_default() += 1;
    }
    let rare = |a: &str| a != "not asked" && given[a] < SMALLEST_SHOWN;
    let others = "others, fewer than 5 each";
    // The same rows in every period, "not asked" last.
    let mut rows = match q.answers() {
        Some(answers) => names(answers),
        None => {
            let mut rows: Vec<String> = given
                .keys()
                .filter(|a| *a != "not asked" && !rare(a))
                .cloned()
                .collect();
            if given.keys().any(|a| rare(a)) {
                rows.push(others.into());
            }
            rows
        }
    };
    rows.push("not asked".into());
    let mut tally = Tally::new(rows, columns);
    for (c, column) in counted {
        let answer = answer_of(c);
        let row = match q.answers().is_none() && rare(&answer) {
            true => others,
            false => &answer,
        };
        tally.add(row, column, c.case_id);
    }
    tally.breakdown(key, title)
}

/// The months from `from` to `to` as "YYYY-MM".
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = from.with_day0(0).unwrap_or(from);
    while m <= to {
        out.push(m.format("%Y-%m").to_string());
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    out
}

impl Measure {
    /// Its value as published: with its detail, or why it is not shown.
    pub fn shown(&self) -> String {
        match (self.value, &self.detail) {
            (Some(v), Some(d)) => format!("{v:+.1} ({d})"),
            (Some(v), None) => format!("{v:.2}"),
            (None, _) if self.n == Figure::Count(0) => "none".into(),
            (None, _) => "not shown (fewer than 5)".into(),
        }
    }
}

impl Report {
    /// A breakdown by its key.
    pub fn breakdown(&self, key: &str) -> Option<&Breakdown> {
        self.sections
            .iter()
            .flat_map(|s| &s.breakdowns)
            .find(|b| b.key == key)
    }

    /// A measure by its key.
    pub fn measure(&self, key: &str) -> Option<&Measure> {
        self.sections
            .iter()
            .flat_map(|s| &s.measures)
            .find(|m| m.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Days, Utc};
    use proptest::prelude::*;

    /// A new id (this crate makes none: ids come from the core).
    fn fresh() -> Uuid {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Uuid::from_u128(u128::from(
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        ))
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at() -> DateTime<Utc> {
        DateTime::from_timestamp_millis(1_780_000_000_000).unwrap()
    }

    fn programme(name: &str, follow_ups: &[i64]) -> Programme {
        Programme {
            id: fresh(),
            name: name.into(),
            kind: ProgrammeKind::Diversion,
            planned_weeks: Some(16),
            outcome_areas: vec!["Housing".into()],
            follow_up_months: follow_ups.to_vec(),
            retired: false,
        }
    }

    /// A case with one episode of `p`, opened on `opened` from `source`.
    fn case(p: &Programme, source: ReferralSource, opened: NaiveDate) -> CaseFacts {
        let case_id = fresh();
        CaseFacts {
            case_id,
            episodes: vec![Episode {
                id: fresh(),
                case_id,
                referral_source: source,
                programme: p.name.clone(),
                keyworker: "amira".into(),
                status: EpisodeStatus::Open,
                opened_on: opened,
                closed_on: None,
                closure_reason: None,
                programme_id: Some(p.id),
                route: Some(DisposalRoute::DeferredProsecution),
            }],
            ..Default::default()
        }
    }

    impl CaseFacts {
        fn moved(&mut self, stage: Stage, on: NaiveDate) -> &mut Self {
            let e = &mut self.episodes[0];
            self.stage_moves.push(StageMove {
                id: fresh(),
                case_id: self.case_id,
                episode_id: e.id,
                stage,
                moved_on: on,
                recorded_by: Uuid::nil(),
                recorded_at: at(),
            });
            if stage.ends() && e.closed_on.is_none() {
                e.status = EpisodeStatus::Closed;
                e.closed_on = Some(on);
                e.closure_reason = Some(stage.label().into());
            }
            self
        }

        fn condition(&mut self, status: ConditionStatus, on: NaiveDate) -> &mut Self {
            self.conditions.push(Condition {
                id: fresh(),
                case_id: self.case_id,
                episode_id: self.episodes[0].id,
                kind: ConditionKind::Apology,
                detail: None,
                due_on: day(2026, 3, 15),
                status,
                status_on: Some(on),
                note: None,
                set_at: at(),
            });
            self
        }

        fn status(&mut self, value: &str, on: NaiveDate) -> &mut Self {
            self.statuses.push(StatusRecord {
                id: fresh(),
                case_id: self.case_id,
                area: StatusArea::Accommodation,
                value: value.into(),
                point: StatusPoint::Review,
                recorded_on: on,
                recorded_by: Uuid::nil(),
            });
            self
        }

        fn rated(&mut self, rating: i64, on: NaiveDate) -> &mut Self {
            self.area_ratings.push(AreaRating {
                id: fresh(),
                case_id: self.case_id,
                episode_id: self.episodes[0].id,
                area: "Housing".into(),
                rating,
                rated_on: on,
                rated_by: Uuid::nil(),
            });
            self
        }

        fn followed(&mut self, months: i64, result: FollowUpResult, on: NaiveDate) -> &mut Self {
            let further = result == FollowUpResult::FurtherOffence;
            self.follow_ups.push(FollowUp {
                id: fresh(),
                case_id: self.case_id,
                episode_id: self.episodes[0].id,
                months,
                result,
                offence_on: further.then_some(on),
                offence: further.then(|| "theft".into()),
                checked_on: on,
                recorded_at: at(),
            });
            self
        }
    }

    /// No set of things counted is shown in one table and hidden in another.
    fn hidden_everywhere_alike(r: &Report) -> Result<(), String> {
        let mut shown = std::collections::HashMap::new();
        let mut hidden = std::collections::HashMap::new();
        for b in r.sections.iter().flat_map(|s| &s.breakdowns) {
            for (at, cases) in entries(b) {
                if cases.is_empty() {
                    continue;
                }
                let place = format!("{} {at:?}", b.key);
                match figure_at(&b.table, at).is_hidden() {
                    true => hidden.insert(cases, place),
                    false => shown.insert(cases, place),
                };
            }
        }
        match hidden.iter().find(|(cases, _)| shown.contains_key(*cases)) {
            Some((cases, place)) => Err(format!("hidden at {place}, shown at {}", shown[cases])),
            None => Ok(()),
        }
    }

    fn counts(b: &Breakdown) -> Vec<Vec<Figure>> {
        b.table.cells.clone()
    }

    fn row<'a>(b: &'a Breakdown, name: &str) -> &'a [Figure] {
        let i = b.table.rows.iter().position(|r| r == name).unwrap();
        &b.table.cells[i]
    }

    fn seeded() -> (Vec<CaseFacts>, Programme, Scope) {
        seeded_times(1)
    }

    /// A risk assessment completed on `on`, at the highest level or not,
    /// with its MARAC prompt decided as `decision` (a highest one prompts).
    fn assessed(
        on: NaiveDate,
        highest: bool,
        decision: Option<(DecisionKind, Option<DeclineReason>)>,
    ) -> Assessed {
        Assessed {
            id: fresh(),
            completed_on: on,
            risk: true,
            highest,
            marac_prompted: highest,
            marac_decision: decision.map(|(decision, because)| PromptDecision {
                prompt_index: 0,
                decision,
                because,
                reason: None,
                referral_id: None,
                decided_at: on.and_hms_opt(12, 0, 0).unwrap().and_utc(),
                decided_by: Uuid::nil(),
            }),
        }
    }

    /// A service seeded `k` times over so that every figure is known (each
    /// count is `k` times the one given): 40 referred in February and March
    /// (25 by the police, 15 by a court), 30 engaged, 20 completed and 5
    /// breached, each with an apology condition; 20 risk assessments; 10
    /// older episodes at their 6- and 12-month follow-ups. Three Gypsy or
    /// Irish Traveller women are referred once, whatever `k`: a small group.
    fn seeded_times(k: u32) -> (Vec<CaseFacts>, Programme, Scope) {
        let p = programme("Diversion scheme", &[6, 12]);
        let mut cases = Vec::new();
        for n in 0..40 * k {
            let (copy, i) = (n / 40, n % 40);
            let source = if i < 25 {
                ReferralSource::Police
            } else {
                ReferralSource::Court
            };
            let opened = day(2026, 2 + i % 2, 1 + i % 20);
            let mut c = case(&p, source, opened);
            let mut eq = Equality {
                id: fresh(),
                case_id: c.case_id,
                ..Default::default()
            };
            eq.sex = (i < 35).then(|| "female".into());
            eq.ethnicity = Some(
                match (copy, i) {
                    (0, 0..3) => "white_gypsy_or_irish_traveller",
                    (_, i) if i % 2 == 0 => "white_british",
                    _ => "black_caribbean",
                }
                .into(),
            );
            c.equality = Some(eq);
            // Risk assessments: of the 20 who complete, 11 at the highest
            // level in April (6 MARAC referrals made, 5 not, the person not
            // agreeing), 9 below; 6 of the 11 assessed again in May, lower.
            if i < 20 {
                let decision = match i {
                    0..6 => Some((DecisionKind::Made, None)),
                    6..11 => Some((DecisionKind::Declined, Some(DeclineReason::NoConsent))),
                    _ => None,
                };
                c.assessments
                    .push(assessed(day(2026, 4, 2), i < 11, decision));
                if i < 6 {
                    c.assessments.push(assessed(day(2026, 5, 2), false, None));
                    c.referrals.push(Referral {
                        id: fresh(),
                        case_id: c.case_id,
                        agency: Agency::Marac,
                        reason: "high risk".into(),
                        status: ReferralStatus::Accepted,
                        outcome: None,
                        made_on: day(2026, 4, 2),
                        assessment_id: None,
                        consent_topic: None,
                    });
                }
            }
            match i {
                0..20 => {
                    c.moved(Stage::Engaged, day(2026, 4, 1))
                        .condition(ConditionStatus::Met, day(2026, 3, 10))
                        .moved(Stage::Completed, day(2026, 5, 1))
                        .status("sofa_surfing", day(2026, 4, 2))
                        .status("settled", day(2026, 5, 1))
                        .rated(3, day(2026, 4, 2))
                        .rated(8, day(2026, 5, 1));
                    c.feedback.push(Feedback {
                        id: fresh(),
                        case_id: c.case_id,
                        episode_id: c.episodes[0].id,
                        satisfaction: Some(if i < 10 { 4 } else { 5 }),
                        words: None,
                        given_on: day(2026, 5, 1),
                    });
                }
                20..25 => {
                    c.moved(Stage::Engaged, day(2026, 4, 1))
                        .condition(ConditionStatus::Missed, day(2026, 3, 16))
                        .moved(Stage::Breached, day(2026, 4, 20))
                        .status("settled", day(2026, 4, 2))
                        .status("custody", day(2026, 4, 25));
                }
                25..30 => {
                    c.moved(Stage::Engaged, day(2026, 4, 1));
                }
                30..35 => {
                    c.moved(Stage::Declined, day(2026, 4, 1));
                }
                _ => {}
            }
            if i < 10 {
                c.support.push(SupportGiven {
                    id: fresh(),
                    case_id: c.case_id,
                    kind: SupportKind::Grant,
                    given_on: day(2026, 4, 3),
                    amount_pence: Some(2550),
                    note: None,
                    given_by: Uuid::nil(),
                });
            }
            cases.push(c);
        }
        for n in 0..10 * k {
            let i = n % 10;
            let mut c = case(&p, ReferralSource::Probation, day(2024, 9, 1));
            c.moved(Stage::Engaged, day(2024, 9, 5))
                .moved(Stage::Completed, day(2025, 1, 1));
            let six = if i < 5 {
                FollowUpResult::NoneKnown
            } else {
                FollowUpResult::CouldNotCheck
            };
            let twelve = if i < 5 {
                FollowUpResult::NoneKnown
            } else {
                FollowUpResult::FurtherOffence
            };
            c.followed(6, six, day(2025, 7, 2))
                .followed(12, twelve, day(2026, 1, 5));
            cases.push(c);
        }
        // Outside the period: counted nowhere in it.
        let mut late = case(&p, ReferralSource::Police, day(2026, 7, 2));
        late.moved(Stage::Engaged, day(2026, 7, 3));
        cases.push(late);
        let scope = Scope {
            from: day(2026, 1, 1),
            to: day(2026, 6, 30),
            programme: None,
            team: None,
        };
        (cases, p, scope)
    }
    use Figure::Count;

    #[test]
    fn a_seeded_service_gives_the_known_figures() {
        known_figures(1);
    }

    /// Hundreds of cases: every count ten times over, the averages the same,
    /// and the small group still hidden.
    #[test]
    fn a_service_ten_times_the_size_gives_ten_times_the_counts() {
        known_figures(10);
    }

    fn known_figures(k: u32) {
        let (cases, p, scope) = seeded_times(k);
        let r = compute(&cases, std::slice::from_ref(&p), &Teams::new(), &scope);
        hidden_everywhere_alike(&r).unwrap();
        assert_eq!(r.cases_held, 50 * k as usize + 1);
        let n = |count: u64| Count(count * u64::from(k));
        let b = |key: &str| r.breakdown(key).unwrap_or_else(|| panic!("{key}"));

        let by_source = b("referrals_by_source");
        assert_eq!(row(by_source, "police"), [n(25)]);
        assert_eq!(row(by_source, "court"), [n(15)]);
        assert_eq!(by_source.table.total, n(40));
        let by_month = b("referrals_by_month");
        assert_eq!(
            by_month.table.rows,
            ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
        );
        assert_eq!(
            counts(by_month),
            [[n(0)], [n(20)], [n(20)], [n(0)], [n(0)], [n(0)]]
        );
        assert_eq!(b("referrals_by_programme").table.rows, ["Diversion scheme"]);

        assert_eq!(row(b("engagement"), "engaged"), [n(30), n(10)]);
        let stages = b("stages_reached");
        assert_eq!(row(stages, "referred"), [n(40)]);
        assert_eq!(row(stages, "engaged"), [n(30)]);
        assert_eq!(row(stages, "completed"), [n(20)]);
        assert_eq!(row(stages, "breached"), [n(5)]);
        assert_eq!(row(stages, "declined"), [n(5)]);
        let endings = b("endings");
        assert_eq!(
            endings.table.total,
            n(30),
            "the older episodes ended before the period"
        );
        assert_eq!(row(b("completion"), "completed"), [n(20), n(10)]);
        assert_eq!(row(b("completion"), "breached"), [n(5), n(25)]);

        let conditions = b("conditions");
        assert_eq!(row(conditions, "apology"), [n(0), n(20), n(5), n(0)]);

        let reoffending = b("reoffending");
        assert_eq!(row(reoffending, "6 months"), [n(5), n(0), n(5), n(0)]);
        assert_eq!(row(reoffending, "12 months"), [n(5), n(5), n(0), n(0)]);
        assert_eq!(
            reoffending.table.row_totals,
            [n(10), n(10)],
            "the denominators"
        );

        assert_eq!(
            row(b("status_changes"), "accommodation"),
            [n(20), n(0), n(5)]
        );
        assert_eq!(row(b("status_latest_good"), "accommodation"), [n(20), n(5)]);
        let distance = r.measure("distance_housing").unwrap();
        assert_eq!((distance.n, distance.value), (n(20), Some(5.0)));
        assert_eq!(distance.span, Some((3.0, 8.0)));
        assert_eq!(distance.detail.as_deref(), Some("from 3.0 to 8.0"));

        assert_eq!(row(b("support_given"), "grant"), [n(10)]);
        let grants = r.measure("grants_total").unwrap();
        assert_eq!(
            (grants.n, grants.value),
            (n(10), Some(255.0 * f64::from(k)))
        );
        assert_eq!(r.measure("satisfaction_mean").unwrap().value, Some(4.5));
        assert_eq!(row(b("satisfaction"), "4"), [n(10)]);

        let sex = b("equality_sex");
        assert_eq!(row(sex, "female"), [n(30), n(5)]);
        assert_eq!(row(sex, "not asked"), [n(0), n(5)]);
        assert_eq!(sex.table.total, n(40));
        let endings = b("equality_sex_endings");
        assert_eq!(row(endings, "female"), [n(20), n(5), n(5)]);
        assert_eq!(row(endings, "not asked"), [n(0), n(0), n(0)]);
        assert_eq!(
            row(b("equality_sex_reoffending"), "not asked"),
            [n(5), n(0), n(5), n(0)],
            "the older episodes' answers were not asked"
        );
        assert_eq!(row(b("equality_sex_housed"), "female"), [n(20), n(5)]);

        // The three Traveller women (engaged and completed) are a small
        // group in every table, and another count in their column is
        // withheld so that theirs cannot be worked out.
        let ethnicity = b("equality_ethnicity");
        let travellers = row(ethnicity, "white_gypsy_or_irish_traveller");
        assert_eq!(travellers, [Figure::Small, Count(0)]);
        let engaged_column: Vec<Figure> = ethnicity.table.cells.iter().map(|r| r[0]).collect();
        assert!(
            engaged_column.contains(&Figure::Withheld),
            "{engaged_column:?}"
        );
        assert_eq!(ethnicity.table.column_totals[0], n(30));
        assert_eq!(
            row(
                b("equality_ethnicity_endings"),
                "white_gypsy_or_irish_traveller"
            )[0],
            Figure::Small
        );

        // Domestic abuse.
        let levels = b("risk_assessments");
        assert_eq!(row(levels, "at the highest level"), [n(11)]);
        assert_eq!(row(levels, "below it"), [n(15)]);
        assert_eq!(
            row(b("high_risk"), "at the highest level"),
            [n(5), n(15)],
            "six were assessed lower later"
        );
        let prompts = b("marac_prompts");
        assert_eq!(row(prompts, "made"), [n(6)]);
        assert_eq!(row(prompts, "not made: no consent"), [n(5)]);
        assert_eq!(row(prompts, "not made: reason not given"), [n(0)]);
        assert_eq!(row(prompts, "not yet decided"), [n(0)]);
        assert_eq!(prompts.table.total, n(11));
        assert_eq!(row(b("marac_referrals"), "accepted"), [n(6)]);
        assert_eq!(b("marac_referrals").table.total, n(6));
    }

    /// Incidents in the period, and the MARAC prompts police call-outs
    /// meeting the escalation criterion made, counted with the risk
    /// assessments' prompts; incidents outside the period are not.
    #[test]
    fn escalation_prompts_count_with_the_risk_assessments() {
        let (mut cases, p, scope) = seeded();
        let programmes = [p];
        let before = compute(&cases, &programmes, &Teams::new(), &scope);
        let prompts_before = before.breakdown("marac_prompts").unwrap().clone();
        let decided = |decision| {
            Some(PromptDecision {
                prompt_index: 0,
                decision,
                because: (decision == DecisionKind::Declined).then_some(DeclineReason::RiskReduced),
                reason: None,
                referral_id: None,
                decided_at: day(2026, 3, 20).and_hms_opt(9, 0, 0).unwrap().and_utc(),
                decided_by: Uuid::nil(),
            })
        };
        // Twenty of the period's cases: an incident each in March, the
        // police called to twelve; of those, eleven met the criterion (six
        // made, five not made: risk reduced); and one incident a year
        // before the period.
        for (i, c) in cases.iter_mut().take(20).enumerate() {
            let escalation = match i {
                0..6 => Some(decided(DecisionKind::Made)),
                6..11 => Some(decided(DecisionKind::Declined)),
                _ => None,
            };
            c.incidents.push(Occurred {
                id: fresh(),
                on: day(2026, 3, 10),
                police_called: i < 12,
                escalation,
            });
            c.incidents.push(Occurred {
                id: fresh(),
                on: day(2025, 1, 10),
                police_called: true,
                escalation: Some(None),
            });
        }
        let r = compute(&cases, &programmes, &Teams::new(), &scope);
        let b = |id: &str| r.breakdown(id).unwrap();
        let incidents = b("incidents");
        assert_eq!(row(incidents, "police called"), [Count(12)]);
        assert_eq!(row(incidents, "police not called"), [Count(8)]);
        let prompts = b("marac_prompts");
        let was = |name: &str| match row(&prompts_before, name)[0] {
            Count(c) => c,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(row(prompts, "made"), [Count(was("made") + 6)]);
        assert_eq!(row(prompts, "not made: risk reduced"), [Count(5)]);
        assert_eq!(
            row(prompts, "not yet decided"),
            [Count(was("not yet decided"))],
            "the prompt a year before the period is not counted"
        );
        assert_eq!(
            b("risk_assessments").table,
            before.breakdown("risk_assessments").unwrap().table,
            "incidents are not risk assessments"
        );
    }

    #[test]
    fn small_groups_are_hidden_and_a_programme_filter_counts_only_its_episodes() {
        let (mut cases, p, scope) = seeded();
        let (p_again, scope_again) = (p.clone(), scope.clone());
        let other = programme("Women's centre", &[]);
        for i in 0..3 {
            cases.push(case(
                &other,
                ReferralSource::SelfReferral,
                day(2026, 3, 1 + i),
            ));
        }
        let all = compute(&cases, &[p.clone(), other.clone()], &Teams::new(), &scope);
        let by_programme = all.breakdown("referrals_by_programme").unwrap();
        assert_eq!(
            by_programme.table.rows,
            ["Diversion scheme", "Women's centre"]
        );
        assert_eq!(
            row(by_programme, "Women's centre"),
            [Figure::Small],
            "three is shown as <5"
        );
        assert_eq!(
            row(by_programme, "Diversion scheme"),
            [Figure::Withheld],
            "it would give the three away"
        );
        let only = compute(
            &cases,
            &[p, other],
            &Teams::new(),
            &Scope {
                programme: Some("women's CENTRE".into()),
                ..scope
            },
        );
        let by_source = only.breakdown("referrals_by_source").unwrap();
        assert_eq!(
            by_source
                .behind
                .iter()
                .flatten()
                .map(Vec::len)
                .sum::<usize>(),
            3
        );
        // A mean over none says so; the grants of fewer than five are not shown.
        let mean = only.measure("satisfaction_mean").unwrap();
        assert_eq!((mean.value, mean.shown().as_str()), (None, "none"));
        let mut few = cases.clone();
        for c in &mut few[..10] {
            c.support.truncate(0);
        }
        for c in &mut few[..3] {
            c.support.push(SupportGiven {
                id: fresh(),
                case_id: c.case_id,
                kind: SupportKind::Grant,
                given_on: day(2026, 4, 3),
                amount_pence: Some(1000),
                note: None,
                given_by: Uuid::nil(),
            });
        }
        let grants = compute(
            &few,
            std::slice::from_ref(&p_again),
            &Teams::new(),
            &scope_again,
        );
        let grants = grants.measure("grants_total").unwrap();
        assert_eq!(grants.n, Figure::Small);
        assert_eq!(
            (grants.value, grants.shown().as_str()),
            (None, "not shown (fewer than 5)")
        );
    }

    #[test]
    fn a_team_report_counts_the_episodes_of_its_members() {
        let (mut cases, p, scope) = seeded();
        // Ten of the forty referred are Cai's, in the diversion team.
        for c in cases.iter_mut().take(10) {
            c.episodes[0].keyworker = "cai".into();
        }
        let teams = Teams::from([
            ("amira".to_owned(), "outreach".to_owned()),
            ("cai".to_owned(), "diversion".to_owned()),
        ]);
        let report_of = |cases: &[CaseFacts], team: &str| {
            let scope = Scope {
                team: Some(team.into()),
                ..scope.clone()
            };
            compute(cases, std::slice::from_ref(&p), &teams, &scope)
        };
        let report = |team: &str| report_of(&cases, team);
        let referred = |r: &Report| r.breakdown("referrals_by_source").unwrap().table.total;
        assert_eq!(referred(&report("diversion")), Count(10));
        // Six of Cai's ten were assessed lower in May, four are still at the
        // highest level: "<5" and the six withheld; the assessments' table
        // withholds its total, not the ten that every table counts, so the
        // six cannot be worked out there.
        let diversion = report("diversion");
        let high = diversion.breakdown("high_risk").unwrap();
        assert_eq!(high.table.cells[0], [Figure::Small, Figure::Withheld]);
        let levels = diversion.breakdown("risk_assessments").unwrap();
        assert_eq!(
            (levels.table.cells.clone(), levels.table.total),
            (
                vec![vec![Count(10)], vec![Figure::Withheld]],
                Figure::Withheld
            )
        );
        hidden_everywhere_alike(&diversion).unwrap();
        assert_eq!(referred(&report("outreach")), Count(30));
        assert_eq!(referred(&report("nobody's")), Count(0));
        // Cai's ten are the first ten: all engaged and completed.
        assert_eq!(
            row(diversion.breakdown("completion").unwrap(), "completed"),
            [Count(10), Count(0)]
        );
        // Someone in no team is in no team's report, and in the whole one.
        cases[0].episodes[0].keyworker = "a locum".into();
        assert_eq!(referred(&report_of(&cases, "diversion")), Count(9));
        let all = compute(&cases, std::slice::from_ref(&p), &teams, &scope);
        assert_eq!(referred(&all), Count(40));
    }

    #[test]
    fn a_rare_first_language_is_not_named_in_a_row() {
        let (mut cases, p, scope) = seeded();
        for (i, c) in cases.iter_mut().take(40).enumerate() {
            let eq = c.equality.as_mut().unwrap();
            eq.first_language = Some(if i < 2 { "Tigrinya" } else { "English" }.into());
        }
        let r = compute(&cases, &[p], &Teams::new(), &scope);
        let rows = &r.breakdown("equality_first_language").unwrap().table.rows;
        assert_eq!(rows, &["English", "others, fewer than 5 each", "not asked"]);
    }

    fn arbitrary_cases() -> impl Strategy<Value = Vec<(u8, u8, u32, u8, u8)>> {
        // (source, programme, opened day offset, furthest stage, end offset)
        proptest::collection::vec((0u8..10, 0u8..2, 0u32..400, 0u8..4, 0u8..90), 0..60)
    }

    proptest! {
        /// Whatever the cases: the referral breakdowns, the stages' referred
        /// row and engagement all count the same episodes; every published
        /// count is the number of cases behind it; every case behind a
        /// figure is one of the cases given.
        #[test]
        fn every_figure_is_the_cases_behind_it(spec in arbitrary_cases()) {
            let ps = [programme("A", &[6, 12]), programme("B", &[6])];
            let start = day(2025, 6, 1);
            let cases: Vec<CaseFacts> = spec
                .iter()
                .map(|&(source, p, offset, furthest, end)| {
                    let source = ReferralSource::ALL[usize::from(source)].parse().unwrap();
                    let opened = start + Days::new(offset.into());
                    let mut c = case(&ps[usize::from(p)], source, opened);
                    if furthest >= 1 {
                        c.moved(Stage::Engaged, opened + Days::new(1));
                    }
                    match furthest {
                        2 => { c.moved(Stage::Completed, opened + Days::new(2 + u64::from(end))); }
                        3 => { c.moved(Stage::Breached, opened + Days::new(2 + u64::from(end))); }
                        _ => {}
                    }
                    c
                })
                .collect();
            let scope = Scope { from: day(2026, 1, 1), to: day(2026, 3, 31), programme: None, team: None };
            let r = compute(&cases, &ps, &Teams::new(), &scope);
            let total = |key: &str| -> usize {
                r.breakdown(key).unwrap().behind.iter().flatten().map(Vec::len).sum()
            };
            let referred = cases
                .iter()
                .filter(|c| scope.within(c.episodes[0].opened_on))
                .count();
            for key in ["referrals_by_source", "referrals_by_programme", "referrals_by_month", "engagement"] {
                prop_assert_eq!(total(key), referred, "{}", key);
            }
            let stages = r.breakdown("stages_reached").unwrap();
            prop_assert_eq!(stages.behind[0][0].len(), referred);
            prop_assert_eq!(hidden_everywhere_alike(&r), Ok(()));
            let known: std::collections::BTreeSet<Uuid> = cases.iter().map(|c| c.case_id).collect();
            for b in r.sections.iter().flat_map(|s| &s.breakdowns) {
                for (i, cells) in b.behind.iter().enumerate() {
                    for (j, behind) in cells.iter().enumerate() {
                        prop_assert!(behind.iter().all(|id| known.contains(id)));
                        match b.table.cells[i][j] {
                            Figure::Count(n) => prop_assert_eq!(n as usize, behind.len(), "{}", b.key),
                            Figure::Small => prop_assert!((1..5).contains(&behind.len())),
                            Figure::Withheld => prop_assert!(!behind.is_empty()),
                        }
                    }
                }
            }
        }
    }
}
