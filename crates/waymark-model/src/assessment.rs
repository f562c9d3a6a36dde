//! Assessment templates are data (versioned JSON), not code. Scoring and
//! threshold selection are pure functions, property-tested below.

use crate::vocab::Agency;
use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

type Result<T> = std::result::Result<T, Invalid>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateDefinition {
    pub key: String,
    pub version: i64,
    pub name: String,
    pub description: String,
    pub questions: Vec<Question>,
    /// Ascending by `min_score`; the first starts at 0.
    pub thresholds: Vec<Threshold>,
    /// A risk template's escalation criterion, when not the standard one
    /// (`Escalation::STANDARD`); ignored by a template that assesses no risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalation: Option<Escalation>,
}

/// The escalation criterion for a MARAC referral: this many police
/// call-outs within this many months prompt one, as a high score does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    pub police_call_outs: u32,
    pub within_months: u32,
}

impl Escalation {
    /// Three or more police call-outs in twelve months (the usual MARAC
    /// criterion of potential escalation).
    pub const STANDARD: Escalation = Escalation {
        police_call_outs: 3,
        within_months: 12,
    };

    /// The criterion in force: of the newest version of each risk template
    /// held, the one that prompts soonest (fewest call-outs, then the
    /// longest window). None when no template assesses risk.
    pub fn in_force<'a>(
        templates: impl IntoIterator<Item = &'a TemplateDefinition>,
    ) -> Option<Escalation> {
        let mut newest: BTreeMap<&str, &TemplateDefinition> = BTreeMap::new();
        for t in templates {
            if newest
                .get(t.key.as_str())
                .is_none_or(|n| n.version < t.version)
            {
                newest.insert(&t.key, t);
            }
        }
        newest
            .into_values()
            .filter(|t| t.assesses_risk())
            .map(|t| t.escalation.unwrap_or(Escalation::STANDARD))
            .min_by_key(|e| (e.police_call_outs, std::cmp::Reverse(e.within_months)))
    }

    /// The first day counted for an incident on `day`: call-outs on this
    /// day or later, up to `day`, are within the window.
    pub fn window_start(&self, day: chrono::NaiveDate) -> chrono::NaiveDate {
        day.checked_sub_months(chrono::Months::new(self.within_months))
            .and_then(|d| d.succ_opt())
            .unwrap_or(chrono::NaiveDate::MIN)
    }

    /// The words of the prompt this criterion makes.
    pub fn prompt(&self, counted: u32) -> Prompt {
        Prompt {
            action: "referral".into(),
            agency: Agency::Marac,
            text: format!(
                "{counted} police call-outs in {} months meets the escalation criterion ({} or more): refer to MARAC, and review the risk assessment and the safety plan.",
                self.within_months, self.police_call_outs
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub answer: AnswerKind,
    #[serde(default = "one")]
    pub weight: i64,
    /// A "yes" here lifts the result to at least this level whatever the
    /// score (professional judgement).
    #[serde(default)]
    pub escalates_to: Option<String>,
}

fn one() -> i64 {
    1
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerKind {
    YesNo,
    Scale { min: i64, max: i64 },
    Choice { options: Vec<ChoiceOption> },
    Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub min_score: i64,
    pub level: String,
    pub label: String,
    #[serde(default)]
    pub prompt: Option<Prompt>,
}

/// The action a threshold asks the worker to consider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prompt {
    pub action: String,
    pub agency: Agency,
    pub text: String,
}

/// One answer. `NotKnown` is a deliberate "don't know", scored as zero.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    YesNo(bool),
    Number(i64),
    Text(String),
    NotKnown(()),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub score: i64,
    pub level: String,
    pub label: String,
    pub prompts: Vec<Prompt>,
}

impl TemplateDefinition {
    /// Whether this template assesses risk (one of its levels can prompt a
    /// MARAC referral): its level is the case's risk level, which no other
    /// kind of assessment (a needs assessment) overwrites. The caseload's
    /// summary asks the same of the stored definition, in SQL.
    pub fn assesses_risk(&self) -> bool {
        self.thresholds
            .iter()
            .any(|t| t.prompt.as_ref().is_some_and(|p| p.agency == Agency::Marac))
    }

    pub fn from_json(text: &str) -> Result<Self> {
        let t: TemplateDefinition = serde_json::from_str(text)
            .map_err(|e| Invalid::new("template", format!("is not a valid template: {e}")))?;
        t.check()?;
        Ok(t)
    }

    /// A template must make sense before anyone fills it in.
    pub fn check(&self) -> Result<()> {
        if self.key.trim().is_empty() || self.name.trim().is_empty() {
            return Err(Invalid::new("template", "needs a key and a name"));
        }
        if self.version < 1 {
            return Err(Invalid::new("template.version", "must be 1 or more"));
        }
        if self.questions.is_empty() {
            return Err(Invalid::new("template.questions", "must not be empty"));
        }
        for (i, q) in self.questions.iter().enumerate() {
            let field = format!("template.questions.{}", q.id);
            if self.questions[..i].iter().any(|p| p.id == q.id) {
                return Err(Invalid::new(field, "question id is used twice"));
            }
            if q.weight < 0 {
                return Err(Invalid::new(field, "weights must not be negative"));
            }
            match &q.answer {
                AnswerKind::Scale { min, max } if min >= max || *min < 0 => {
                    return Err(Invalid::new(field, "a scale needs 0 <= min < max"));
                }
                AnswerKind::Choice { options }
                    if options.is_empty() || options.iter().any(|o| o.points < 0) =>
                {
                    return Err(Invalid::new(
                        field,
                        "a choice needs options with points >= 0",
                    ));
                }
                _ => {}
            }
            if let Some(level) = &q.escalates_to {
                if !self.thresholds.iter().any(|t| &t.level == level) {
                    return Err(Invalid::new(
                        field,
                        format!("escalates to unknown level {level:?}"),
                    ));
                }
            }
        }
        if let Some(e) = self.escalation {
            if !(1..=50).contains(&e.police_call_outs) || !(1..=36).contains(&e.within_months) {
                return Err(Invalid::new(
                    "template.escalation",
                    "needs police_call_outs from 1 to 50 and within_months from 1 to 36",
                ));
            }
        }
        if self.thresholds.first().map(|t| t.min_score) != Some(0) {
            return Err(Invalid::new(
                "template.thresholds",
                "must start at a min_score of 0",
            ));
        }
        if self
            .thresholds
            .windows(2)
            .any(|w| w[0].min_score >= w[1].min_score)
        {
            return Err(Invalid::new(
                "template.thresholds",
                "must rise strictly by min_score",
            ));
        }
        Ok(())
    }

    fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Scores a complete set of answers. Every question must be answered
    /// (possibly "not known"); unknown questions or answers of the wrong kind
    /// are refused, naming the question.
    pub fn score(&self, answers: &BTreeMap<String, Answer>) -> Result<ScoreResult> {
        for id in answers.keys() {
            if self.question(id).is_none() {
                return Err(Invalid::new(
                    format!("answers.{id}"),
                    format!("no such question in {} v{}", self.key, self.version),
                ));
            }
        }
        let mut score = 0i64;
        let mut floor: Option<usize> = None;
        for q in &self.questions {
            let field = format!("answers.{}", q.id);
            let answer = answers
                .get(&q.id)
                .ok_or_else(|| Invalid::new(&field, "is not answered"))?;
            let points = match (&q.answer, answer) {
                (_, Answer::NotKnown(())) => 0,
                (AnswerKind::YesNo, Answer::YesNo(yes)) => {
                    if *yes {
                        if let Some(level) = &q.escalates_to {
                            let idx = self
                                .thresholds
                                .iter()
                                .position(|t| &t.level == level)
                                .unwrap_or(0);
                            floor = floor.max(Some(idx));
                        }
                    }
                    i64::from(*yes)
                }
                (AnswerKind::Scale { min, max }, Answer::Number(n)) => {
                    if n < min || n > max {
                        return Err(Invalid::new(field, format!("{n} is outside {min}..={max}")));
                    }
                    *n
                }
                (AnswerKind::Choice { options }, Answer::Text(v)) => options
                    .iter()
                    .find(|o| &o.value == v)
                    .map(|o| o.points)
                    .ok_or_else(|| {
                        let allowed: Vec<_> = options.iter().map(|o| o.value.as_str()).collect();
                        Invalid::new(
                            &field,
                            format!("{v:?} is not one of: {}", allowed.join(", ")),
                        )
                    })?,
                (AnswerKind::Text, Answer::Text(_)) => 0,
                (kind, _) => {
                    let wanted = match kind {
                        AnswerKind::YesNo => "yes or no",
                        AnswerKind::Scale { .. } => "a number",
                        AnswerKind::Choice { .. } => "one of the options",
                        AnswerKind::Text => "text",
                    };
                    return Err(Invalid::new(field, format!("must be {wanted}")));
                }
            };
            score = score.saturating_add(points.saturating_mul(q.weight));
        }
        let by_score = self
            .thresholds
            .iter()
            .rposition(|t| t.min_score <= score)
            .unwrap_or(0);
        let idx = by_score.max(floor.unwrap_or(0));
        let t = &self.thresholds[idx];
        Ok(ScoreResult {
            score,
            level: t.level.clone(),
            label: t.label.clone(),
            prompts: t.prompt.iter().cloned().collect(),
        })
    }

    /// Rank of a level (0 = lowest), for comparing results.
    pub fn level_rank(&self, level: &str) -> Option<usize> {
        self.thresholds.iter().position(|t| t.level == level)
    }
}

/// Templates shipped with Waymark and installed in every new store.
pub fn builtin_templates() -> Vec<TemplateDefinition> {
    [include_str!("../templates/da-risk-checklist-v1.json")]
        .iter()
        .map(|t| TemplateDefinition::from_json(t).expect("shipped templates are valid"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn checklist() -> TemplateDefinition {
        builtin_templates().remove(0)
    }

    fn answers_from(bits: &[bool], t: &TemplateDefinition) -> BTreeMap<String, Answer> {
        t.questions
            .iter()
            .zip(bits)
            .map(|(q, b)| {
                let a = match q.answer {
                    AnswerKind::Text => Answer::Text(String::new()),
                    _ => Answer::YesNo(*b),
                };
                (q.id.clone(), a)
            })
            .collect()
    }

    #[test]
    fn high_risk_prompts_a_risk_conference_referral() {
        let t = checklist();
        let all_yes = answers_from(&vec![true; t.questions.len()], &t);
        let r = t.score(&all_yes).unwrap();
        assert_eq!(r.level, "high");
        assert_eq!(r.prompts.len(), 1);
        assert_eq!(r.prompts[0].agency, Agency::Marac);
        let all_no = answers_from(&vec![false; t.questions.len()], &t);
        let r = t.score(&all_no).unwrap();
        assert_eq!((r.score, r.level.as_str()), (0, "standard"));
        assert!(r.prompts.is_empty());
    }

    #[test]
    fn professional_judgement_escalates_whatever_the_score() {
        let t = checklist();
        let mut a = answers_from(&vec![false; t.questions.len()], &t);
        let judged = t
            .questions
            .iter()
            .find(|q| q.escalates_to.is_some())
            .unwrap();
        a.insert(judged.id.clone(), Answer::YesNo(true));
        assert_eq!(t.score(&a).unwrap().level, "high");
    }

    #[test]
    fn bad_answers_name_the_question() {
        let t = checklist();
        let mut a = answers_from(&vec![false; t.questions.len()], &t);
        a.insert("no_such_question".into(), Answer::YesNo(true));
        let e = t.score(&a).unwrap_err().to_string();
        assert!(
            e.contains("answers.no_such_question") && e.contains("no such question"),
            "{e}"
        );

        let mut a = answers_from(&vec![false; t.questions.len()], &t);
        let first = t.questions[0].id.clone();
        a.insert(first.clone(), Answer::Number(3));
        let e = t.score(&a).unwrap_err().to_string();
        assert!(e.contains(&first) && e.contains("yes or no"), "{e}");

        let mut a = answers_from(&vec![false; t.questions.len()], &t);
        a.remove(&first);
        assert!(t
            .score(&a)
            .unwrap_err()
            .to_string()
            .contains("is not answered"));
    }

    proptest! {
        // The score is the number of weighted "yes" answers, and the level is
        // exactly the band that score falls in (unless judgement lifts it).
        #[test]
        fn score_and_band_agree(bits in prop::collection::vec(any::<bool>(), 40)) {
            let t = checklist();
            let a = answers_from(&bits, &t);
            let r = t.score(&a).unwrap();
            let expected: i64 = t.questions.iter().zip(&bits).filter(|(_, b)| **b).map(|(q, _)| q.weight).sum();
            prop_assert_eq!(r.score, expected);
            let rank = t.level_rank(&r.level).unwrap();
            prop_assert!(t.thresholds[rank].min_score <= r.score
                || t.questions.iter().zip(&bits).any(|(q, b)| *b && q.escalates_to.is_some()));
            if let Some(next) = t.thresholds.get(rank + 1) {
                prop_assert!(r.score < next.min_score);
            }
        }

        // Saying "yes" to one more question never lowers the score or the level.
        #[test]
        fn one_more_yes_never_lowers_the_result(bits in prop::collection::vec(any::<bool>(), 40), flip in 0usize..40) {
            let t = checklist();
            let n = t.questions.len();
            let before = t.score(&answers_from(&bits, &t)).unwrap();
            let mut more = bits.clone();
            more[flip % n] = true;
            let after = t.score(&answers_from(&more, &t)).unwrap();
            prop_assert!(after.score >= before.score);
            prop_assert!(t.level_rank(&after.level) >= t.level_rank(&before.level));
        }
    }
}
