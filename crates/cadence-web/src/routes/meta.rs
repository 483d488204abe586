//! Health and research aggregates.

use crate::AppState;
use crate::auth::Auth;
use crate::error::WebError;
use crate::schema;
use axum::Json;
use axum::extract::State;
use cadence_app::research::ResearchSummary;
use serde_json::{Value, json};

/// Liveness, for load balancers and supervisors: no login, and nothing about the data.
#[utoipa::path(
    get, path = "/healthz", tag = "meta",
    responses((status = 200, description = "The process answers", body = schema::Health))
)]
pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
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
