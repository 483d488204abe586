//! The record's forms: pre-checks, administration, infusion end, monitoring, discharge, the
//! clinician's exceptional end, signature and releases, addenda, and the booking status. CSRF
//! first, then the role, then the service; a refused value re-renders the record with the
//! message next to that form, what was typed kept.

use super::super::clinical_forms::support::{Fields, fail};
use super::{Forms, Problems, forms, gate_kind, load, page};
use crate::AppState;
use crate::pages::chart::path_id;
use crate::pages::{PageAuth, PageError, render};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::authz::Permission;
use cadence_app::ids::{FindingId, TreatmentSessionId};
use cadence_app::records::SessionStatus;
use cadence_app::{AppError, ErrorCode};

/// The forms of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    PreChecks,
    Administration,
    InfusionEnd,
    Monitoring,
    Discharge,
    ExceptionalEnd,
    Sign,
    Addendum,
    Release,
    Status,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::PreChecks => "pre-checks",
            Section::Administration => "administration",
            Section::InfusionEnd => "infusion-end",
            Section::Monitoring => "monitoring",
            Section::Discharge => "discharge",
            Section::ExceptionalEnd => "exceptional-end",
            Section::Sign => "sign",
            Section::Addendum => "addenda",
            Section::Release => "releases",
            Section::Status => "status",
        }
    }

    /// The page anchor to return to.
    fn anchor(self) -> &'static str {
        match self {
            Section::PreChecks => "pre-checks",
            Section::Administration | Section::InfusionEnd => "administration",
            Section::Monitoring => "monitoring",
            Section::Discharge | Section::ExceptionalEnd => "discharge",
            Section::Sign | Section::Addendum => "record",
            Section::Release => "holds",
            Section::Status => "status",
        }
    }

    fn permission(self) -> Permission {
        match self {
            Section::Status => Permission::Schedule,
            Section::ExceptionalEnd | Section::Sign | Section::Release => Permission::Decide,
            _ => Permission::RecordSession,
        }
    }
}

/// Records one form: CSRF first, then the role, then the service; a refused value re-renders
/// the record with the message next to that form and what was typed kept.
async fn record(
    state: AppState,
    auth: PageAuth,
    headers: HeaderMap,
    uri: Uri,
    id: String,
    fields: Vec<(String, String)>,
    section: Section,
) -> Result<Response, PageError> {
    let fields = Fields(fields);
    auth.check_form(&headers, &uri, fields.csrf())?;
    let route = format!("POST /sessions/{{id}}/{}", section.path());
    let id = TreatmentSessionId(path_id(&id, &auth.chrome)?);
    let permission = section.permission();
    if !auth.can(permission) {
        let err = AppError::Forbidden(permission.phrase());
        return Err(fail(&state, &auth, &route, err).await);
    }
    let app = &state.app;
    let actor = auth.actor();
    let tz = app
        .clinic_time_zone(actor)
        .await
        .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
    let today = app.now().to_zoned(tz.clone()).date();
    let invalid = |m: String| AppError::invalid(ErrorCode::InvalidForm, m);
    let result: Result<(), AppError> = match section {
        Section::PreChecks => match forms::pre_checks(&fields) {
            Ok(input) => app.record_pre_checks(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::Administration => match forms::administration(&fields, today, &tz) {
            Ok(input) => app.record_administration(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::InfusionEnd => match forms::infusion_end(&fields, today, &tz) {
            Ok(at) => app.record_infusion_end(actor, id, at).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::Monitoring => match forms::monitoring(&fields, today, &tz) {
            Ok(input) => app.add_monitoring(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::Discharge => match forms::discharge(&fields) {
            Ok(input) => app.record_discharge(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::ExceptionalEnd => match forms::exceptional_end(&fields) {
            Ok(input) => app.record_exceptional_end(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::Sign => app.sign_session(actor, id).await.map(drop),
        Section::Addendum => app
            .add_addendum(actor, id, &fields.text("text"), &fields.text("reason"))
            .await
            .map(drop),
        Section::Release => {
            let note = fields.text("note");
            match (
                fields.number::<i64>("finding", "The finding"),
                fields.get("gate").and_then(gate_kind),
            ) {
                (Ok(Some(finding)), _) => app
                    .release_finding(actor, FindingId(finding), &note)
                    .await
                    .map(drop),
                (Ok(None), Some(gate)) => app.release_gate(actor, id, gate, &note).await.map(drop),
                _ => Err(invalid("choose the finding to release".into())),
            }
        }
        Section::Status => match fields.get("status").map(str::parse::<SessionStatus>) {
            Some(Ok(status)) => app.set_session_status(actor, id, status).await.map(drop),
            _ => Err(invalid("choose a status".into())),
        },
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/sessions/{}#{}", id.0, section.anchor())).into_response())
        }
        Err(e)
            if matches!(e, AppError::Invalid { .. } | AppError::Conflict { .. })
                || (section == Section::Release && e == AppError::NotFound) =>
        {
            let message = Some(format!("{e} (error code {})", e.code()));
            let mut forms = Forms::default();
            let mut problems = Problems::default();
            match section {
                Section::PreChecks => (forms.pre, problems.pre) = (fields, message),
                Section::Administration | Section::InfusionEnd => {
                    (forms.admin, problems.admin) = (fields, message);
                }
                Section::Monitoring => (forms.monitoring, problems.monitoring) = (fields, message),
                Section::Discharge => (forms.discharge, problems.discharge) = (fields, message),
                Section::ExceptionalEnd => (forms.end, problems.end) = (fields, message),
                Section::Sign | Section::Addendum => {
                    (forms.addendum, problems.record) = (fields, message);
                }
                Section::Release => problems.holds = message,
                Section::Status => problems.status = message,
            }
            let loaded = load(&state, &auth, &route, id).await?;
            let page = page(&loaded, &auth, forms, problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(e) => Err(fail(&state, &auth, &route, e).await),
    }
}

macro_rules! form_handler {
    ($name:ident, $section:expr) => {
        pub(super) async fn $name(
            State(state): State<AppState>,
            auth: PageAuth,
            headers: HeaderMap,
            uri: Uri,
            Path(id): Path<String>,
            Form(fields): Form<Vec<(String, String)>>,
        ) -> Result<Response, PageError> {
            record(state, auth, headers, uri, id, fields, $section).await
        }
    };
}

form_handler!(pre_checks, Section::PreChecks);
form_handler!(administration, Section::Administration);
form_handler!(infusion_end, Section::InfusionEnd);
form_handler!(monitoring, Section::Monitoring);
form_handler!(discharge, Section::Discharge);
form_handler!(exceptional_end, Section::ExceptionalEnd);
form_handler!(sign, Section::Sign);
form_handler!(addendum, Section::Addendum);
form_handler!(release, Section::Release);
form_handler!(status, Section::Status);
