//! `cadence demo`: the README's first command. It seeds the demo clinic (synthetic patients
//! at every stage of a course, one login per role) into a database of its own and serves it
//! exactly like `cadence serve`, printing the address and the logins.
//!
//! Demo users share a published password, so the demo listens on loopback only, uses its own
//! database file by default (never `CADENCE_DATABASE_URL`), and seeds only a database that holds
//! no other clinic. `cadence demo --walkthrough` prints the older command-line tour of one
//! synthetic course through the real engine instead (no database); its inputs are the files in
//! `crates/cadence/demo/`.

use crate::output::{CliError, CliResult, invalid, print_text};
use crate::server::database::Database;
use crate::server::serve::{init_logging, serve_with};
use cadence_app::audit::{AuditAction, ObjectType};
use cadence_app::demo::{DEMO_CLINIC, DEMO_PASSWORD, DEMO_USERS};
use cadence_app::{App, AppConfig, StoreError, SystemClock};
use cadence_clinical::calendar::ClinicCalendar;
use cadence_clinical::course::{CourseInputs, snapshot};
use cadence_clinical::forecast::forecast;
use cadence_clinical::history::CourseHistory;
use cadence_clinical::planner::plan;
use cadence_clinical::price::PriceList;
use cadence_clinical::protocol;
use cadence_clinical::screening::{ScreeningConfig, ScreeningInput, screen};
use cadence_clinical::suggestion::review;
use jiff::civil::date;
use std::fmt::Write;
use std::net::SocketAddr;
use std::sync::Arc;

const SCREENING: &str = include_str!("../../demo/screening.json");
const HISTORY: &str = include_str!("../../demo/history.json");
const PRICES: &str = include_str!("../../demo/prices.toml");

/// The demo's own database: a separate file, so demo users never land in a real database.
pub const DEMO_DATABASE_URL: &str = "sqlite://./cadence-demo.db";

/// Audit rows read per page while looking for another clinic.
const AUDIT_PAGE: u32 = 1000;

/// Serve the demo clinic (synthetic patients, one login per role), or walk through one
/// synthetic course on the command line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on: loopback only (the demo logins share a published password).
    /// Port 0 picks a free port; the address is printed.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The demo database, seeded on first run (`sqlite://path` or `postgres://...`). Never
    /// taken from CADENCE_DATABASE_URL, so a real database is not touched by accident.
    #[arg(long, default_value = DEMO_DATABASE_URL)]
    pub database_url: String,
    /// Print a command-line walkthrough of one synthetic course instead (no database, no
    /// server).
    #[arg(long)]
    pub walkthrough: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    if args.walkthrough {
        return walkthrough();
    }
    if !args.listen.ip().is_loopback() {
        return Err(invalid(format!(
            "refusing to serve the demo on {}: its logins share a published password. Listen \
             on a loopback address such as 127.0.0.1:8080",
            args.listen
        )));
    }
    init_logging();
    crate::server::runtime()?.block_on(serve_demo(args))
}

async fn serve_demo(args: Args) -> CliResult {
    let db = Database::open(&args.database_url).await?;
    let app = App::new(db.store(), Arc::new(SystemClock), AppConfig::default());
    prepare(&app).await?;
    serve_with(
        db,
        args.listen,
        AppConfig::default(),
        cadence_web::WebConfig::default(),
        |address| {
            if let Err(e) = print_text(&logins(address)) {
                tracing::error!(error = ?e, "could not print the demo logins");
            }
        },
    )
    .await
}

/// Seeds the demo clinic into an empty database; a database that already has it is served as
/// it is; one with any other clinic is refused.
async fn prepare(app: &App) -> CliResult {
    let store = app.store();
    match store.find_clinic_by_name(DEMO_CLINIC).await {
        Ok(_) => return Ok(()),
        Err(StoreError::NotFound) => {}
        Err(e) => return Err(CliError::Failed(e.into())),
    }
    // Every clinic's creation is in the append-only audit log.
    let mut from = 1;
    loop {
        let rows = store
            .audit_page(from, AUDIT_PAGE)
            .await
            .map_err(|e| CliError::Failed(e.into()))?;
        if rows.iter().any(|r| {
            r.event.action == AuditAction::Create && r.event.object_type == ObjectType::Clinic
        }) {
            return Err(invalid(
                "this database holds other clinics: `cadence demo` seeds only a database of its \
                 own, so demo logins never land in a real one. Leave out --database-url (the demo \
                 uses sqlite://./cadence-demo.db) or name a new file; serve a real database with \
                 `cadence serve`",
            ));
        }
        match rows.last() {
            Some(last) => from = last.seq + 1,
            None => break,
        }
    }
    let zone = jiff::tz::TimeZone::system()
        .iana_name()
        .filter(|name| jiff::tz::TimeZone::get(name).is_ok())
        .unwrap_or("UTC")
        .to_owned();
    app.seed_demo_in(&zone)
        .await
        .map_err(|e| CliError::Failed(anyhow::anyhow!("seeding the demo clinic: {e}")))?;
    tracing::info!("seeded the demo clinic");
    Ok(())
}

/// What the demo prints once it listens: where to go and who to log in as.
fn logins(address: SocketAddr) -> String {
    let mut text = format!(
        "Cadence demo clinic: synthetic patients only, never real data.\n\
         Open http://{address}/login and log in as one of these (password: {DEMO_PASSWORD}):\n"
    );
    for (email, role) in DEMO_USERS {
        let _ = writeln!(text, "  {email:<22} {role}");
    }
    text.push_str("Stop with Ctrl-C.\n");
    text
}

/// The command-line walkthrough of one synthetic course.
fn walkthrough() -> CliResult {
    let fail = |what: &str, e: &dyn std::fmt::Display| invalid(format!("demo {what}: {e}"));
    let input: ScreeningInput =
        serde_json::from_str(SCREENING).map_err(|e| fail("screening", &e))?;
    let history: CourseHistory = serde_json::from_str(HISTORY).map_err(|e| fail("history", &e))?;
    let prices = PriceList::from_toml(PRICES).map_err(|e| fail("prices", &e))?;
    let protocol =
        protocol::builtin("iv-ketamine-6").ok_or_else(|| invalid("demo protocol missing"))?;
    let start = date(2026, 12, 7);
    let review_day = date(2026, 12, 23);
    let scoring = protocol.scoring_config();
    let calendar = ClinicCalendar::default();
    let snap = snapshot(&CourseInputs {
        protocol: &protocol,
        calendar: &calendar,
        history: &history,
        start: Some(start),
        today: review_day,
        scoring: &scoring,
    })
    .map_err(|e| fail("course", &e))?;

    let mut text = String::from(
        "Cadence demo: one synthetic patient (no real data), IV ketamine, protocol iv-ketamine-6.\n\n",
    );
    let screening =
        screen(&input, &ScreeningConfig::default()).map_err(|e| fail("screening", &e))?;
    let _ = writeln!(text, "1. Screening: {}", serde_label(&screening.decision));
    for r in &screening.reasons {
        let _ = writeln!(text, "   - {}", r.message);
    }
    if let Some(m) = &screening.maudsley {
        let _ = writeln!(
            text,
            "   Maudsley stage: {} ({})",
            m.score,
            serde_label(&m.band)
        );
    }

    let course_plan = plan(&protocol, &calendar, &snap, 26).map_err(|e| fail("plan", &e))?;
    let _ = writeln!(text, "\n2. Plan (Mon-Fri clinic, as of {review_day}):");
    for s in course_plan.sessions.iter().take(10) {
        let _ = writeln!(
            text,
            "   {:>2}. {} {:<11} {}",
            s.number,
            s.date,
            s.kind.as_str(),
            serde_label(&s.status)
        );
    }
    let _ = writeln!(
        text,
        "   ... {} sessions done or planned up to 26 weeks ahead",
        course_plan.sessions.len()
    );

    let r = review(&protocol, &snap).map_err(|e| fail("review", &e))?;
    let _ = writeln!(
        text,
        "\n3. End-of-induction review: suggests {}",
        r.suggestion.as_str()
    );
    for reason in &r.reasons {
        let _ = writeln!(text, "   - {}", reason.message);
    }
    text.push_str(
        "   (A suggestion never changes the course: a clinician records the decision.)\n",
    );

    let f = forecast(&protocol, &calendar, &snap, 52, Some(&prices))
        .map_err(|e| fail("forecast", &e))?;
    let _ = writeln!(
        text,
        "\n4. How many treatments in the next 52 weeks: {} / {} / {} (low / expected / high)",
        f.total.low, f.total.expected, f.total.high
    );
    let _ = writeln!(text, "   Low: {}", f.low_means);
    if let Some(c) = &f.cost {
        let _ = writeln!(
            text,
            "   Cost: {} {} / {} / {}",
            c.currency, c.low, c.expected, c.high
        );
    }
    for a in &f.assumptions {
        let _ = writeln!(text, "   - {a}");
    }
    text.push_str(
        "\nTry it yourself: `cadence review --protocol iv-ketamine-6 --history crates/cadence/demo/history.json --today 2026-12-23`.\n",
    );
    print_text(&text)
}

/// The serde id of a unit enum value, for display.
fn serde_label(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}
