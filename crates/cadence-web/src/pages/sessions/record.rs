//! The record's five forms (`POST /sessions/{id}/pre-checks`, `/administration`,
//! `/monitoring`, `/discharge`, `/status`): CSRF first, then the role, then the service. A
//! refused value re-renders the record with the message next to that form, what was typed kept.

use super::super::clinical_forms::support::{Fields, fail};
use super::{Forms, Problems, forms, load, page};
use crate::AppState;
use crate::pages::chart::path_id;
use crate::pages::{PageAuth, PageError, render};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cadence_app::AppError;
use cadence_app::authz::Permission;
use cadence_app::ids::TreatmentSessionId;
use cadence_app::records::TreatmentSessionStatus;

/// The five forms of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    PreChecks,
    Administration,
    Monitoring,
    Discharge,
    Status,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::PreChecks => "pre-checks",
            Section::Administration => "administration",
            Section::Monitoring => "monitoring",
            Section::Discharge => "discharge",
            Section::Status => "status",
        }
    }

    fn permission(self) -> Permission {
        match self {
            Section::Status => Permission::Schedule,
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
    let invalid = |m: String| AppError::invalid("invalid_form", m);
    let result: Result<(), AppError> = match section {
        Section::PreChecks => match forms::pre_checks(&fields) {
            Ok(input) => app.record_pre_checks(actor, id, input).await.map(drop),
            Err(m) => Err(invalid(m)),
        },
        Section::Administration => match forms::administration(&fields, today, &tz) {
            Ok(input) => app.record_administration(actor, id, input).await.map(drop),
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
        Section::Status => match fields
            .get("status")
            .map(str::parse::<TreatmentSessionStatus>)
        {
            Some(Ok(status)) => app.set_session_status(actor, id, status).await.map(drop),
            _ => Err(invalid("choose a status".into())),
        },
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/sessions/{}#{}", id.0, section.path())).into_response())
        }
        Err(e @ (AppError::Invalid { .. } | AppError::Conflict { .. })) => {
            let message = Some(format!("{e} (error code {})", e.code()));
            let mut forms = Forms::default();
            let mut problems = Problems::default();
            match section {
                Section::PreChecks => (forms.pre, problems.pre) = (fields, message),
                Section::Administration => (forms.admin, problems.admin) = (fields, message),
                Section::Monitoring => (forms.monitoring, problems.monitoring) = (fields, message),
                Section::Discharge => (forms.discharge, problems.discharge) = (fields, message),
                Section::Status => problems.status = message,
            }
            let loaded = load(&state, &auth, &route, id).await?;
            let patient = state
                .app
                .get_patient(auth.actor(), loaded.session.patient_id)
                .await
                .map_err(|e| PageError::from_app(e, auth.chrome.clone()))?;
            let page = page(&loaded, &patient, &auth, forms, problems);
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
form_handler!(monitoring, Section::Monitoring);
form_handler!(discharge, Section::Discharge);
form_handler!(status, Section::Status);
