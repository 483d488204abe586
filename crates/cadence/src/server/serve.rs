//! `cadence serve`: the HTTP service over the chosen database.

use super::database::{DEFAULT_DATABASE_URL, Database};
use crate::output::{CliError, CliResult, invalid};
use cadence_app::{App, AppConfig, SystemClock};
use std::net::SocketAddr;
use std::sync::Arc;

/// Where the database is (shared by every service command).
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// `sqlite://path` (embedded, created on first run) or `postgres://user@host/db`.
    #[arg(long, env = "CADENCE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
}

/// Serve the clinic web app and the JSON API.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. Plain HTTP is refused on a non-loopback address unless
    /// --behind-tls-proxy says a TLS-terminating proxy is in front.
    #[arg(long, env = "CADENCE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// A TLS-terminating reverse proxy is in front: allow a non-loopback address and mark
    /// cookies Secure. Needs --trusted-proxy.
    #[arg(long, env = "CADENCE_BEHIND_TLS_PROXY")]
    pub behind_tls_proxy: bool,
    /// A reverse proxy whose X-Forwarded-For is believed: an IP address or a CIDR network
    /// (repeat the flag, or separate with commas). The client address used for login
    /// throttling is then the right-most forwarded entry that is not a trusted proxy. Without
    /// it every client behind the proxy shares the proxy's address.
    #[arg(
        long = "trusted-proxy",
        env = "CADENCE_TRUSTED_PROXY",
        value_name = "IP|CIDR",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<cadence_web::proxy::TrustedProxy>,
    /// Minutes of inactivity after which a staff session ends.
    #[arg(long, env = "CADENCE_IDLE_TIMEOUT_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u16).range(1..=720))]
    pub idle_timeout_minutes: u16,
    /// Seconds a client may take to send a request's header (and an idle kept-alive
    /// connection may stay open) before it is closed.
    #[arg(long, env = "CADENCE_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=300))]
    pub header_timeout_secs: u16,
    /// The IM ketamine screening blood-pressure threshold, as SYSTOLIC/DIASTOLIC mmHg (e.g.
    /// 140/90): an IM screening with a reading above it needs review. No default: no cut-off
    /// is confirmed for IM ketamine, so the clinic sets its own; unset, IM readings are checked
    /// for plausibility only.
    #[arg(long, env = "CADENCE_IM_SCREENING_BP_MAX", value_name = "SYS/DIA", value_parser = parse_bp_max)]
    pub im_screening_bp_max: Option<cadence_clinical::history::BloodPressure>,
    /// Most connections served at once; more clients wait to be accepted.
    #[arg(long, env = "CADENCE_MAX_CONNECTIONS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_connections: u32,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    if !args.listen.ip().is_loopback() && !args.behind_tls_proxy {
        return Err(invalid(format!(
            "refusing to serve plain HTTP on {}: health data must travel over TLS. Listen on \
             127.0.0.1 or pass --behind-tls-proxy when a TLS proxy is in front",
            args.listen
        )));
    }
    if args.behind_tls_proxy && args.trusted_proxies.is_empty() {
        return Err(invalid(
            "--behind-tls-proxy needs --trusted-proxy <the proxy's address or network>: \
             otherwise every login attempt seems to come from the proxy, and 50 failures from \
             anyone would lock every user of the clinic out",
        ));
    }
    init_logging();
    super::runtime()?.block_on(serve(args))
}

/// A blood-pressure threshold written `SYSTOLIC/DIASTOLIC`, plausible as a reading.
fn parse_bp_max(text: &str) -> Result<cadence_clinical::history::BloodPressure, String> {
    let (s, d) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not SYSTOLIC/DIASTOLIC (e.g. 140/90)"))?;
    let number = |v: &str| {
        v.trim()
            .parse::<u16>()
            .map_err(|_| format!("`{text}` is not SYSTOLIC/DIASTOLIC in whole mmHg (e.g. 140/90)"))
    };
    cadence_clinical::history::BloodPressure::reading(number(s)?, number(d)?)
        .map_err(|e| e.to_string())
}

/// Structured logs on stderr. Handlers log request ids, routes and statuses, never names,
/// answers, tokens or the database URL.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CADENCE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

async fn serve(args: Args) -> CliResult {
    let db = Database::open(&args.db.database_url).await?;
    let config = AppConfig {
        idle_timeout: jiff::SignedDuration::from_mins(i64::from(args.idle_timeout_minutes)),
        im_screening_bp_max: args.im_screening_bp_max,
        ..AppConfig::default()
    };
    let web = cadence_web::WebConfig {
        secure_cookies: args.behind_tls_proxy,
        trusted_proxies: args.trusted_proxies,
        header_read_timeout: std::time::Duration::from_secs(u64::from(args.header_timeout_secs)),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        ..cadence_web::WebConfig::default()
    };
    serve_with(db, args.listen, config, web, |_| {}).await
}

/// Serves the API and pages over an opened database until Ctrl-C or SIGTERM, then closes it.
/// `announce` is called with the bound address (the real port when `listen` asks for port 0)
/// once the server accepts connections.
pub async fn serve_with(
    db: Database,
    listen: SocketAddr,
    config: AppConfig,
    web: cadence_web::WebConfig,
    announce: impl FnOnce(SocketAddr),
) -> CliResult {
    let (header_read_timeout, max_connections) = (web.header_read_timeout, web.max_connections);
    let app = App::new(db.store(), Arc::new(SystemClock), config);
    // The course read model's stale summaries (all of them after an upgrade) are recomputed in
    // the background, so the first page views do not replay the whole clinic (issue 18).
    let refresh = app.clone();
    tokio::spawn(async move {
        match refresh.refresh_stale_summaries().await {
            Ok(0) => {}
            Ok(stored) => tracing::info!(stored, "course summaries brought up to date"),
            Err(e) => {
                tracing::warn!(error = %e, "course summaries not refreshed; pages recompute them")
            }
        }
    });
    let router = cadence_web::router(app, web);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| invalid(format!("cannot listen on {listen}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Failed(e.into()))?;
    tracing::info!(address = %local, "Cadence is listening on http://{local}");
    announce(local);
    super::connections::serve(
        listener,
        router,
        header_read_timeout,
        max_connections,
        shutdown_signal(),
    )
    .await;
    tracing::info!("shutting down: in-flight requests finished");
    db.close().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; axum then stops accepting and finishes in-flight requests.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::parse_bp_max;

    #[test]
    fn the_im_screening_threshold_is_a_plausible_reading() {
        let bp = parse_bp_max("150/95").unwrap();
        assert_eq!((bp.systolic, bp.diastolic), (150, 95));
        for bad in ["150", "150/x", "95/150", "400/90", "-1/90"] {
            assert!(parse_bp_max(bad).is_err(), "{bad}");
        }
    }
}
