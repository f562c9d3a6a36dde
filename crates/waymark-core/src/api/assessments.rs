//! Assessments against versioned templates, and the templates.
use super::*;

impl Session {
    // --- Assessments ----------------------------------------------------------------

    pub fn templates(&self) -> Result<Vec<AssessmentTemplate>> {
        record::list(&self.conn, "1 ORDER BY key, template_version, id", &[])
    }

    /// Adds a template (a new key, or a new version of one) from its JSON:
    /// an admin's act, as it goes to every device of the organisation (which
    /// take organisation records only when a confirmed admin signed them).
    pub fn import_template(&mut self, json: &str) -> Result<Uuid> {
        let definition = TemplateDefinition::from_json(json)?;
        self.require_admin("template", waymark_model::vocab::AdminTask::ImportTemplate)?;
        let mut tx = self.begin()?;
        let exists: bool = tx.tx.query_row(
            "SELECT count(*) > 0 FROM assessment_templates WHERE key = ?1 AND template_version = ?2",
            params![definition.key, definition.version],
            |r| r.get(0),
        )?;
        if exists {
            return Err(Error::because(
                "template",
                waymark_model::Reason::TemplateVersionExists {
                    key: definition.key.clone(),
                    version: definition.version,
                },
            ));
        }
        let id = install_template(&mut tx, definition, Reach::Organisation)?;
        tx.commit()?;
        Ok(id)
    }

    /// Scores the answers against the template and saves the assessment; the
    /// result lists any action its threshold prompts.
    pub fn complete_assessment(&mut self, input: NewAssessment) -> Result<Assessment> {
        let mut tx = self.begin()?;
        require_case(&tx.tx, input.case_id)?;
        let template = find_template(&tx.tx, &input.template_key, input.template_version)?;
        let result = template.definition.score(&input.answers)?;
        let a = Assessment {
            id: record::new_record_id(),
            case_id: input.case_id,
            template_id: template.id,
            template_key: template.key,
            template_version: template.template_version,
            answers: input.answers,
            score: result.score,
            level: result.level,
            prompts: result.prompts,
            decisions: Vec::new(),
            completed_at: tx.now,
            completed_by: tx.user,
        };
        tx.put(&a)?;
        tx.commit()?;
        Ok(a)
    }

    /// Records what the worker decided about a prompted action. Deciding to
    /// make a prompted referral creates it, linked to the assessment.
    pub fn decide_prompt(
        &mut self,
        assessment_id: Uuid,
        prompt_index: usize,
        decision: DecisionKind,
        because: Option<DeclineReason>,
        reason: Option<String>,
    ) -> Result<Option<Uuid>> {
        let mut tx = self.begin()?;
        let mut a: Assessment = get_or(&tx.tx, assessment_id, "assessment")?;
        if a.decisions.iter().any(|d| d.prompt_index == prompt_index) {
            return Err(Error::because(
                "prompt",
                waymark_model::Reason::AlreadyDecided,
            ));
        }
        let prompt = a.prompts.get(prompt_index).cloned().ok_or_else(|| {
            Error::because(
                "prompt",
                waymark_model::Reason::NoSuchPrompt {
                    number: prompt_index,
                },
            )
        })?;
        let decided = decide(
            &mut tx,
            (a.case_id, Some(a.id)),
            &prompt,
            prompt_index,
            (decision, because, reason),
        )?;
        let referral_id = decided.referral_id;
        a.decisions.push(decided);
        tx.put(&a)?;
        tx.commit()?;
        Ok(referral_id)
    }

    pub fn assessments(&self, case_id: Uuid) -> Result<Vec<Assessment>> {
        require_case(&self.conn, case_id)?;
        record::list(
            &self.conn,
            "case_id = ?1 ORDER BY completed_at DESC, id",
            &[&case_id.to_string()],
        )
    }
}

/// A decision on a prompted action: deciding to make a prompted referral
/// makes it (linked to the assessment that prompted it, if one did).
pub(super) fn decide(
    tx: &mut Tx,
    (case_id, assessment_id): (Uuid, Option<Uuid>),
    prompt: &crate::assessment::Prompt,
    prompt_index: usize,
    (decision, because, reason): (DecisionKind, Option<DeclineReason>, Option<String>),
) -> Result<PromptDecision> {
    // A new decision not to act names its reason from the list (the
    // record's own check takes words alone, as older decisions had).
    if decision == DecisionKind::Declined && because.is_none() {
        return Err(Error::because(
            "because",
            waymark_model::Reason::SayWhyNotMade,
        ));
    }
    let reason = tidy(reason);
    let mut referral_id = None;
    if decision == DecisionKind::Made && prompt.action == "referral" {
        let r = Referral {
            id: record::new_record_id(),
            case_id,
            agency: prompt.agency,
            reason: prompt.text.clone(),
            status: ReferralStatus::Made,
            outcome: None,
            made_on: tx.now.date_naive(),
            assessment_id,
            consent_topic: None,
        };
        tx.put(&r)?;
        referral_id = Some(r.id);
    }
    Ok(PromptDecision {
        prompt_index,
        decision,
        because,
        reason,
        referral_id,
        decided_at: tx.now,
        decided_by: tx.user,
    })
}

pub(super) fn install_template(
    tx: &mut Tx,
    definition: TemplateDefinition,
    reach: Reach,
) -> Result<Uuid> {
    let t = AssessmentTemplate {
        // Derived from key and version: every device that installs the same
        // template makes the same record, so syncing them cannot collide.
        id: Uuid::new_v5(
            &TEMPLATE_NAMESPACE,
            format!("{}@{}", definition.key, definition.version).as_bytes(),
        ),
        key: definition.key.clone(),
        template_version: definition.version,
        name: definition.name.clone(),
        definition,
    };
    tx.put(&t)?;
    if reach == Reach::ThisDevice {
        // The outbox's tail is the last stamp issued: keep it first.
        record::persist_last_stamp(&tx.tx)?;
        tx.tx.execute(
            "DELETE FROM outbox WHERE record_id = ?1",
            [t.id.to_string()],
        )?;
    }
    Ok(t.id)
}

pub(crate) fn find_template(
    conn: &Connection,
    key: &str,
    version: Option<i64>,
) -> Result<AssessmentTemplate> {
    let found: Vec<AssessmentTemplate> = match version {
        Some(v) => record::list(conn, "key = ?1 AND template_version = ?2", &[&key, &v])?,
        None => record::list(
            conn,
            "key = ?1 ORDER BY template_version DESC LIMIT 1",
            &[&key],
        )?,
    };
    found.into_iter().next().ok_or_else(|| {
        Error::because(
            "template",
            waymark_model::Reason::NoSuchTemplate {
                key: key.to_owned(),
                version,
            },
        )
    })
}

const TEMPLATE_NAMESPACE: Uuid = Uuid::from_u128(0x5d0c_8a1e_7f3b_4c2a_9e61_0b7d_2f48_a913);

/// Where an installed template goes: a shipped one is installed alike on
/// every device and never sent; an imported one goes to the organisation.
#[derive(PartialEq)]
pub(super) enum Reach {
    ThisDevice,
    Organisation,
}
