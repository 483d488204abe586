//! Health and research aggregates.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::schema;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cadence_app::health::StorageStatus;
use cadence_app::research::ResearchSummary;
use serde_json::{Value, json};

/// Health, for load balancers and supervisors: no login, and nothing about the data. 503
/// `storage_unavailable` when the database cannot be reached or written (read-only, or the
/// last write failed for lack of storage and none has succeeded since).
#[utoipa::path(
    get, path = "/healthz", tag = "meta",
    responses(
        (status = 200, description = "The process answers and storage takes writes", body = schema::Health),
        (status = 503, description = "Storage cannot take writes (`storage_unavailable`)", body = schema::Health),
    )
)]
pub(crate) async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.app.storage_status().await {
        StorageStatus::Ok => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        StorageStatus::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "storage_unavailable" })),
        ),
    }
}

/// Clinic-level counts for research: no patient ids, names or dates.
#[utoipa::path(
    get, path = "/api/v1/research/summary", tag = "research",
    security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "Counts", body = schema::ResearchSummary))
)]
pub(crate) async fn research_summary(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Json<ResearchSummary>, WebError> {
    let result = state.app.research_summary(auth.actor()).await;
    Ok(Json(auth.done(&state, result).await?))
}
