//! The questionnaire form: `GET/POST /patients/{id}/assessments/new?instrument=<id>`.
//!
//! Drawn from the instrument's definition (`cadence_clinical::instrument`): the stem, and each
//! item as a `<fieldset>` whose `<legend>` is the published wording where the licence allows it,
//! else the short label; radio inputs named `item1`..`itemN` carry the values item_min..=item_max.
//! Follow-up items that the flow may skip (C-SSRS q3-q5, q6a) are shown with a note and may be
//! left blank: the scoring engine checks the flow and names the item when it is wrong. A saved
//! assessment goes to the chart, which shows the new score (and the suicide-risk alert); one
//! opened from a session held for its missing suicide screen (`&session=<id>`) goes back to
//! that session.

use super::support::{Fields, fail};
use crate::AppState;
use crate::pages::chart::labels::instrument_name;
use crate::pages::chart::path_id;
use crate::pages::{Chrome, PageAuth, PageError, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::assessments::AssessmentInput;
use cadence_app::authz::Permission;
use cadence_app::ids::PatientId;
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::instrument::{Asked, Definition, InstrumentId};
use jiff::civil::Date;
use serde::Deserialize;

const GET_ROUTE: &str = "GET /patients/{id}/assessments/new";
const POST_ROUTE: &str = "POST /patients/{id}/assessments/new";

/// One response option of an item.
#[derive(Debug, Clone)]
struct OptionView {
    value: u8,
    label: String,
    checked: bool,
}

/// One item as a fieldset.
#[derive(Debug, Clone)]
struct ItemView {
    /// The form field name, `item1`...
    name: String,
    /// The engine's key where it differs from the field name (C-SSRS `q1`...).
    key: &'static str,
    legend: String,
    /// "Optional", or when the item is asked.
    note: Option<String>,
    required: bool,
    options: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "assessment_new.html")]
struct AssessmentPage {
    chrome: Chrome,
    patient_id: i64,
    patient_name: String,
    instrument: &'static str,
    name: &'static str,
    title: &'static str,
    version: &'static str,
    stem: Option<&'static str>,
    recall: &'static str,
    licence_note: Option<&'static str>,
    items: Vec<ItemView>,
    taken_at: String,
    today: Date,
    problem: Option<String>,
    /// The session to return to once saved.
    session: Option<i64>,
}

fn items(def: &Definition, answers: &Fields) -> Vec<ItemView> {
    let licensed = def.licence.ships_item_text;
    def.items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = format!("item{}", i + 1);
            let given = answers.get(&name);
            let legend = match item.text {
                Some(text) if licensed => text.to_owned(),
                _ => item.label.to_owned(),
            };
            let note = match item.asked {
                Asked::Always => None,
                Asked::OptionalUnscored => Some("Optional; not scored.".to_owned()),
                Asked::WhenYes(parent) => {
                    let parent_key = def
                        .items
                        .get(usize::from(parent).saturating_sub(1))
                        .map_or("the previous item", |p| p.key);
                    Some(format!(
                        "Ask only when {parent_key} is yes; otherwise leave it blank."
                    ))
                }
            };
            let options = (def.item_min..=def.item_max)
                .map(|value| {
                    let label = item
                        .option_labels(def)
                        .get(usize::from(value - def.item_min))
                        .filter(|l| !l.is_empty())
                        .map_or_else(|| value.to_string(), |l| format!("{l} ({value})"));
                    OptionView {
                        value,
                        label,
                        checked: given == Some(value.to_string().as_str()),
                    }
                })
                .collect();
            ItemView {
                key: item.key,
                required: item.asked == Asked::Always,
                name,
                legend,
                note,
                options,
            }
        })
        .collect()
}

/// What the form shows besides the instrument: the answers typed so far, why they were
/// refused, and the session to return to.
struct Draft<'a> {
    answers: &'a Fields,
    problem: Option<String>,
    session: Option<i64>,
}

async fn page(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    patient: PatientId,
    instrument: InstrumentId,
    draft: Draft<'_>,
) -> Result<AssessmentPage, PageError> {
    let Draft {
        answers,
        problem,
        session,
    } = draft;
    let app = &state.app;
    let p = match app.get_patient(auth.actor(), patient).await {
        Ok(p) => p,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let today = app
        .clinic_today(auth.actor())
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let def = instrument.definition();
    Ok(AssessmentPage {
        chrome: auth.chrome.clone(),
        patient_id: patient.0,
        patient_name: format!("{} {}", p.details.given_name, p.details.family_name),
        instrument: instrument.as_str(),
        name: instrument_name(instrument),
        title: def.title,
        version: def.version,
        stem: def.stem.filter(|_| def.licence.ships_item_text),
        recall: def.recall,
        licence_note: (!def.licence.ships_item_text).then_some(def.licence.note),
        items: items(def, answers),
        taken_at: answers
            .get("taken_at")
            .map_or_else(|| today.to_string(), str::to_owned),
        today,
        problem,
        session,
    })
}

fn instrument_of(text: Option<&str>, chrome: &Chrome) -> Result<InstrumentId, PageError> {
    text.unwrap_or("phq9").parse::<InstrumentId>().map_err(|e| {
        PageError::from_app(
            AppError::invalid(ErrorCode::UnknownInstrument, e),
            chrome.clone(),
        )
    })
}

fn may_record(auth: &PageAuth) -> Result<(), AppError> {
    if auth.can(Permission::RecordAssessment) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Permission::RecordAssessment.phrase()))
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct InstrumentQuery {
    instrument: Option<String>,
    /// A session id to return to (digits only; anything else is ignored).
    session: Option<String>,
}

impl InstrumentQuery {
    fn session(&self) -> Option<i64> {
        self.session
            .as_deref()
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|id| *id > 0)
    }
}

pub(super) async fn form(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
    Query(q): Query<InstrumentQuery>,
) -> Result<Response, PageError> {
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    if let Err(e) = may_record(&auth) {
        return Err(fail(&state, &auth, GET_ROUTE, e).await);
    }
    let instrument = instrument_of(q.instrument.as_deref(), &auth.chrome)?;
    let page = page(
        &state,
        &auth,
        GET_ROUTE,
        patient,
        instrument,
        Draft {
            answers: &Fields::default(),
            problem: None,
            session: q.session(),
        },
    )
    .await?;
    Ok(render(&page))
}

/// The answers as the engine takes them: one per item, `None` for a blank one.
fn answers_of(def: &Definition, fields: &Fields) -> Result<Vec<Option<u8>>, String> {
    (1..=def.items.len())
        .map(|n| {
            let name = format!("item{n}");
            match fields.get(&name) {
                None => Ok(None),
                Some(v) => v.parse::<u8>().map(Some).map_err(|_| {
                    format!(
                        "item{n}: `{v}` is not one of the values {}-{}",
                        def.item_min, def.item_max
                    )
                }),
            }
        })
        .collect()
}

fn date_of(fields: &Fields) -> Result<Option<Date>, String> {
    match fields.get("taken_at") {
        None => Ok(None),
        Some(text) => text
            .parse::<Date>()
            .map(Some)
            .map_err(|_| format!("taken_at `{text}` is not a date (YYYY-MM-DD)")),
    }
}

pub(super) async fn submit(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Query(q): Query<InstrumentQuery>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    if let Err(e) = may_record(&auth) {
        return Err(fail(&state, &auth, POST_ROUTE, e).await);
    }
    let instrument = instrument_of(
        fields.get("instrument").or(q.instrument.as_deref()),
        &auth.chrome,
    )?;
    let def = instrument.definition();
    let parsed = answers_of(def, &fields).and_then(|a| Ok((a, date_of(&fields)?)));
    let result = match parsed {
        Ok((answers, taken_on)) => {
            let input = AssessmentInput {
                instrument,
                answers,
                taken_on,
            };
            state
                .app
                .create_assessment(auth.actor(), patient, input)
                .await
        }
        Err(message) => Err(AppError::invalid(ErrorCode::InvalidAnswers, message)),
    };
    match result {
        Ok(a) => Ok(match q.session() {
            Some(session) => Redirect::to(&format!("/sessions/{session}#pre-checks")),
            None => Redirect::to(&format!("/patients/{}?saved={}", patient.0, a.id.0)),
        }
        .into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let problem = format!("{e} (error code {})", e.code());
            let page = page(
                &state,
                &auth,
                POST_ROUTE,
                patient,
                instrument,
                Draft {
                    answers: &fields,
                    problem: Some(problem),
                    session: q.session(),
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(fail(&state, &auth, POST_ROUTE, e).await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phq9_items_are_radio_groups_0_to_3_with_wording() {
        let def = InstrumentId::Phq9.definition();
        let items = items(def, &Fields::default());
        assert_eq!(items.len(), 10);
        assert_eq!(items[8].name, "item9");
        assert!(
            items[8]
                .legend
                .starts_with("Thoughts that you would be better off dead")
        );
        let values: Vec<u8> = items[0].options.iter().map(|o| o.value).collect();
        assert_eq!(values, [0, 1, 2, 3]);
        assert_eq!(items[0].options[0].label, "Not at all (0)");
        // Item 10 asks about difficulty, so its answers are about difficulty, not frequency.
        assert_eq!(items[9].options[0].label, "Not difficult at all (0)");
        assert_eq!(items[9].options[3].label, "Extremely difficult (3)");
        assert!(items[0].required && !items[9].required);
    }

    #[test]
    fn unlicensed_wording_is_not_shown_and_follow_ups_say_when_asked() {
        let def = InstrumentId::CssrsScreen.definition();
        let items = items(def, &Fields::default());
        assert_eq!(items.len(), 7);
        assert_eq!(items[6].name, "item7");
        assert_eq!(items[6].key, "q6a");
        assert!(!items[2].required);
        assert!(items[2].note.as_deref().unwrap_or_default().contains("q2"));
        for (item, def_item) in items.iter().zip(def.items) {
            assert_eq!(item.legend, def_item.label);
        }
    }

    #[test]
    fn answers_keep_blanks_and_name_bad_values() {
        let def = InstrumentId::Phq9.definition();
        let f = Fields(vec![
            ("item1".into(), "2".into()),
            ("item3".into(), "x".into()),
        ]);
        let err = answers_of(def, &f).unwrap_err();
        assert!(err.starts_with("item3:"));
        let f = Fields(vec![("item1".into(), "2".into())]);
        let a = answers_of(def, &f).unwrap();
        assert_eq!(a.len(), 10);
        assert_eq!(a[0], Some(2));
        assert_eq!(a[1], None);
        assert!(items(def, &f)[0].options[2].checked);
    }
}
