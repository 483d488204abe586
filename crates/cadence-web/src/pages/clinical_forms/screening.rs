//! The safety screening: `GET/POST /patients/{id}/screening`.
//!
//! A checklist per route (conditions, concomitant medication classes, pre-treatment blood
//! pressure, failed adequate trials, REMS enrolment for esketamine, optional Maudsley staging).
//! A submitted screening is judged by the clinical engine and stored by the app; the page then
//! shows it (`?result=<screening id>`): the outcome, every reason with its class, and the
//! Maudsley stage. There is no list of earlier screenings yet (no service lists them).

use super::support::{Fields, age_on, fail};
use crate::AppState;
use crate::pages::chart::labels::{eligibility_label, reason_class_label};
use crate::pages::chart::path_id;
use crate::pages::{Chrome, PageAuth, PageError, render};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::authz::Permission;
use cadence_app::ids::{PatientId, ScreeningId};
use cadence_app::{AppError, ErrorCode};
use cadence_clinical::history::BloodPressure;
use cadence_clinical::maudsley::{MaudsleyInput, Severity};
use cadence_clinical::route::Route;
use cadence_clinical::screening::{
    Condition, Eligibility, MedicationClass, ScreeningInput, ScreeningResult,
};
use serde::Deserialize;

const GET_ROUTE: &str = "GET /patients/{id}/screening";
const POST_ROUTE: &str = "POST /patients/{id}/screening";

/// A checkbox or radio choice.
#[derive(Debug, Clone)]
struct Choice {
    id: &'static str,
    label: String,
    checked: bool,
}

/// A stored screening's outcome (the result page and the chart's latest screening).
#[derive(Debug, Clone)]
pub(in crate::pages) struct Outcome {
    pub(in crate::pages) id: i64,
    pub(in crate::pages) route: &'static str,
    pub(in crate::pages) decision: &'static str,
    /// `ok`, `warn` or `alert`: the box's class (the words say the same).
    pub(in crate::pages) class: &'static str,
    /// Message, class label, code and citation keys.
    pub(in crate::pages) reasons: Vec<(String, &'static str, &'static str, String)>,
    pub(in crate::pages) maudsley: Option<String>,
    pub(in crate::pages) at: String,
}

#[derive(Template)]
#[template(path = "screening.html")]
struct ScreeningPage {
    chrome: Chrome,
    patient_id: i64,
    patient_name: String,
    outcome: Option<Outcome>,
    can_screen: bool,
    routes: Vec<Choice>,
    conditions: Vec<Choice>,
    medications: Vec<Choice>,
    severities: Vec<Choice>,
    rems: Vec<Choice>,
    form: Fields,
    problem: Option<String>,
}

fn choices<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    label: fn(T) -> String,
    picked: &[&str],
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            id: id(*v),
            label: label(*v),
            checked: picked.contains(&id(*v)),
        })
        .collect()
}

pub(in crate::pages) fn outcome_of(s: &cadence_app::records::Screening) -> Outcome {
    let result: Option<ScreeningResult> = Some(s.result.clone());
    let decision = Some(s.decision);
    Outcome {
        id: s.id.0,
        route: s.route.label(),
        decision: decision.map_or("unknown", eligibility_label),
        class: match decision {
            Some(Eligibility::Eligible) => "ok",
            Some(Eligibility::NeedsReview) => "warn",
            _ => "alert",
        },
        reasons: result
            .as_ref()
            .map(|r| {
                r.reasons
                    .iter()
                    .map(|x| {
                        let (message, keys) = super::support::without_citations(&x.message);
                        (
                            message,
                            reason_class_label(x.class),
                            x.code.as_str(),
                            keys.join(", "),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        maudsley: result
            .and_then(|r| r.maudsley)
            .map(|m| format!("{} of 15 ({})", m.score, m.band)),
        at: s.created_at.strftime("%Y-%m-%d").to_string(),
    }
}

async fn page(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    patient: PatientId,
    result: Option<ScreeningId>,
    mut form: Fields,
    problem: Option<String>,
) -> Result<ScreeningPage, PageError> {
    let app = &state.app;
    let chrome = || auth.chrome.clone();
    let p = match app.get_patient(auth.actor(), patient).await {
        Ok(p) => p,
        Err(e) => return Err(fail(state, auth, route, e).await),
    };
    let outcome = match result {
        Some(id) => {
            let s = match app.get_screening(auth.actor(), id).await {
                Ok(s) => s,
                Err(e) => return Err(fail(state, auth, route, e).await),
            };
            if s.patient_id != patient {
                return Err(PageError::not_found(chrome()));
            }
            Some(outcome_of(&s))
        }
        None => None,
    };
    if form.get("age_years").is_none() {
        let today = app
            .clinic_today(auth.actor())
            .await
            .map_err(|e| PageError::from_app(e, chrome()))?;
        let age = age_on(p.details.birth_date, today).max(0);
        form.0.push(("age_years".into(), age.to_string()));
    }
    let picked = |name: &str| form.all(name);
    let route_ids = picked("route");
    let rems_picked = form.get("rems_enrolled").unwrap_or("unknown");
    Ok(ScreeningPage {
        chrome: chrome(),
        patient_id: patient.0,
        patient_name: format!("{} {}", p.details.given_name, p.details.family_name),
        outcome,
        can_screen: auth.can(Permission::Screen),
        routes: choices(
            &Route::ALL,
            Route::as_str,
            |r| r.label().to_owned(),
            &route_ids,
        ),
        conditions: choices(
            &Condition::ALL,
            Condition::as_str,
            |c| c.label().to_owned(),
            &picked("conditions"),
        ),
        medications: choices(
            &MedicationClass::ALL,
            MedicationClass::as_str,
            |m| {
                let l = m.label();
                let mut s = l[..1].to_uppercase();
                s.push_str(&l[1..]);
                s
            },
            &picked("medications"),
        ),
        severities: choices(
            &Severity::ALL,
            Severity::as_str,
            |s| s.as_str().replace('_', " "),
            &picked("maudsley_severity"),
        ),
        rems: [
            ("yes", "Enrolled"),
            ("no", "Not enrolled"),
            ("unknown", "Not checked"),
        ]
        .into_iter()
        .map(|(id, label)| Choice {
            id,
            label: label.to_owned(),
            checked: id == rems_picked,
        })
        .collect(),
        problem,
        form,
    })
}

#[derive(Debug, Deserialize)]
pub(super) struct ResultQuery {
    result: Option<String>,
}

pub(super) async fn form(
    State(state): State<AppState>,
    auth: PageAuth,
    Path(id): Path<String>,
    Query(q): Query<ResultQuery>,
) -> Result<Response, PageError> {
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    let result = match q.result.as_deref() {
        Some(r) => Some(ScreeningId(path_id(r, &auth.chrome)?)),
        None => None,
    };
    // Reading a result needs clinical access; the blank form needs the right to screen.
    let needed = if result.is_some() {
        Permission::ReadClinical
    } else {
        Permission::Screen
    };
    if !auth.can(needed) {
        let err = AppError::Forbidden(needed.phrase());
        return Err(fail(&state, &auth, GET_ROUTE, err).await);
    }
    let page = page(
        &state,
        &auth,
        GET_ROUTE,
        patient,
        result,
        Fields::default(),
        None,
    )
    .await?;
    Ok(render(&page))
}

/// The engine's input from the form; a message naming the field when something is unusable.
fn input_of(f: &Fields) -> Result<ScreeningInput, String> {
    let route: Route = f
        .get("route")
        .ok_or("choose the route of administration")?
        .parse()
        .map_err(|e| format!("{e}"))?;
    let conditions = f
        .all("conditions")
        .into_iter()
        .map(|c| c.parse::<Condition>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let medications = f
        .all("medications")
        .into_iter()
        .map(|m| m.parse::<MedicationClass>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let bp = match (
        f.number::<u16>("bp_systolic", "Systolic blood pressure")?,
        f.number::<u16>("bp_diastolic", "Diastolic blood pressure")?,
    ) {
        (Some(systolic), Some(diastolic)) => Some(BloodPressure {
            systolic,
            diastolic,
        }),
        (None, None) => None,
        _ => return Err("enter both systolic and diastolic blood pressure, or neither".into()),
    };
    let maudsley = match f.number::<u16>("maudsley_duration_months", "Episode duration")? {
        None => None,
        Some(duration_months) => Some(MaudsleyInput {
            duration_months,
            severity: f
                .get("maudsley_severity")
                .ok_or("choose the baseline severity for Maudsley staging")?
                .parse()
                .map_err(|e| format!("{e}"))?,
            failed_antidepressants: f
                .required("maudsley_failed", "Failed antidepressants (Maudsley)")?,
            augmentation: f.checked("maudsley_augmentation"),
            ect: f.checked("maudsley_ect"),
        }),
    };
    Ok(ScreeningInput {
        route,
        age_years: Some(f.required("age_years", "Age")?),
        conditions,
        medications,
        bp,
        failed_adequate_trials: f.required("failed_adequate_trials", "Failed adequate trials")?,
        maudsley,
        rems_enrolled: match f.get("rems_enrolled") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
    })
}

pub(super) async fn submit(
    State(state): State<AppState>,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let patient = PatientId(path_id(&id, &auth.chrome)?);
    let result = match input_of(&fields) {
        Ok(input) => {
            state
                .app
                .create_screening(auth.actor(), patient, input)
                .await
        }
        Err(message) => {
            if auth.can(Permission::Screen) {
                Err(AppError::invalid(ErrorCode::InvalidScreening, message))
            } else {
                Err(AppError::Forbidden(Permission::Screen.phrase()))
            }
        }
    };
    match result {
        Ok(s) => Ok(Redirect::to(&format!(
            "/patients/{}/screening?result={}",
            patient.0, s.id.0
        ))
        .into_response()),
        Err(e @ AppError::Invalid { .. }) => {
            let problem = format!("{e} (error code {})", e.code());
            let page = page(
                &state,
                &auth,
                POST_ROUTE,
                patient,
                None,
                fields,
                Some(problem),
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

    fn f(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        )
    }

    #[test]
    fn a_full_form_becomes_the_engine_input() {
        let input = input_of(&f(&[
            ("route", "esketamine"),
            ("age_years", "40"),
            ("conditions", "psychosis"),
            ("conditions", "pregnancy"),
            ("medications", "maoi"),
            ("bp_systolic", "150"),
            ("bp_diastolic", "95"),
            ("failed_adequate_trials", "2"),
            ("rems_enrolled", "no"),
            ("maudsley_duration_months", "14"),
            ("maudsley_severity", "severe"),
            ("maudsley_failed", "3"),
            ("maudsley_ect", "on"),
        ]))
        .unwrap();
        assert_eq!(input.route, Route::Esketamine);
        assert_eq!(
            input.conditions,
            [Condition::Psychosis, Condition::Pregnancy]
        );
        assert_eq!(input.medications, [MedicationClass::Maoi]);
        assert_eq!(input.bp.map(|b| b.systolic), Some(150));
        assert_eq!(input.rems_enrolled, Some(false));
        let m = input.maudsley.unwrap();
        assert!(m.ect && !m.augmentation);
    }

    #[test]
    fn missing_or_bad_fields_are_named() {
        assert!(
            input_of(&f(&[("age_years", "40")]))
                .unwrap_err()
                .contains("route")
        );
        let err = input_of(&f(&[
            ("route", "iv_ketamine"),
            ("age_years", "40"),
            ("failed_adequate_trials", "2"),
            ("bp_systolic", "150"),
        ]))
        .unwrap_err();
        assert!(err.contains("diastolic"));
        let err = input_of(&f(&[("route", "iv_ketamine"), ("age_years", "forty")])).unwrap_err();
        assert!(err.contains("Age"));
    }
}
