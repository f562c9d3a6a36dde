//! The supervisor's team view: each keyworker's open cases, high-risk
//! cases, overdue reviews and follow-ups, conditions and undecided prompts,
//! over the cases this device holds (`views::team_view` counts).

use super::*;
use waymark_model::views::{team_view, TeamMember};

impl Session {
    /// Each keyworker's line, by name (the unnamed last).
    pub fn team(&self) -> Result<Vec<TeamMember>> {
        let caseload = queries::caseload(&self.conn, &Default::default(), now())?;
        let due = self.due(false)?;
        Ok(team_view(&caseload, &due))
    }
}
