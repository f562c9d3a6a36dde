//! Assessments: `template list|import`, `assessment add|decide|list`.

use crate::cli::{AssessmentCmd, TemplateCmd};
use crate::output;
use std::path::Path;
use waymark_core::api::NewAssessment;
use waymark_core::assessment::Answer;
use waymark_core::{Error, Session};

pub(crate) fn template(s: &mut Session, cmd: TemplateCmd) -> Result<(), Error> {
    match cmd {
        TemplateCmd::List(j) => output::templates(&s.templates()?, j.json)?,
        TemplateCmd::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                Error::invalid("file", format!("cannot read {}: {e}", file.display()))
            })?;
            say!("{}", s.import_template(&text)?)
        }
    }
    Ok(())
}

pub(crate) fn assessment(s: &mut Session, cmd: AssessmentCmd) -> Result<(), Error> {
    match cmd {
        AssessmentCmd::Add {
            case_id,
            template,
            version,
            answers,
            answers_file,
            json,
        } => {
            let answers = parse_answers(&answers, answers_file.as_deref())?;
            let a = s.complete_assessment(NewAssessment {
                case_id,
                template_key: template,
                template_version: version,
                answers,
            })?;
            output::assessment(&a, json.json)?
        }
        AssessmentCmd::Decide {
            assessment_id,
            prompt,
            decided: d,
        } => {
            let made = s.decide_prompt(assessment_id, prompt, d.decision, d.because, d.reason)?;
            if let Some(referral) = made {
                say!("referral made: {referral}");
            }
        }
        AssessmentCmd::List { case_id, json } => {
            output::assessments(&s.assessments(case_id)?, json.json)?
        }
    }
    Ok(())
}

/// Answers from `ID=VALUE` pairs (yes, no, unknown, a number or text) over
/// those in a JSON file.
fn parse_answers(
    pairs: &[String],
    file: Option<&Path>,
) -> Result<std::collections::BTreeMap<String, Answer>, Error> {
    let mut answers = std::collections::BTreeMap::new();
    if let Some(f) = file {
        let text = std::fs::read_to_string(f).map_err(|e| {
            Error::invalid("answers-file", format!("cannot read {}: {e}", f.display()))
        })?;
        answers = serde_json::from_str(&text).map_err(|e| {
            Error::invalid(
                "answers-file",
                format!("is not a JSON object of answers: {e}"),
            )
        })?;
    }
    for pair in pairs {
        let (id, value) = pair
            .split_once('=')
            .ok_or_else(|| Error::invalid("answer", format!("{pair:?} is not ID=VALUE")))?;
        let answer = match value {
            "yes" | "true" => Answer::YesNo(true),
            "no" | "false" => Answer::YesNo(false),
            "unknown" => Answer::NotKnown(()),
            v => v
                .parse::<i64>()
                .map(Answer::Number)
                .unwrap_or_else(|_| Answer::Text(v.to_owned())),
        };
        answers.insert(id.to_owned(), answer);
    }
    Ok(answers)
}
