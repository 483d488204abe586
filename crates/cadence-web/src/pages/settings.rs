//! Pages: settings (being written).

use crate::AppState;
use axum::Router;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
