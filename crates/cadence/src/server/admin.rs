//! `cadence clinic create` and `cadence user add`: the operator's way in. There are no default
//! accounts: the first admin is added here.

use super::database::Database;
use super::serve::DbArgs;
use crate::output::{CliResult, invalid, print_text};
use cadence_app::{App, AppConfig, SystemClock};
use cadence_store::records::{Role, TimeZoneName};
use std::io::Read;
use std::sync::Arc;

/// Manage clinics.
#[derive(Debug, clap::Args)]
pub struct ClinicArgs {
    #[command(subcommand)]
    action: ClinicAction,
}

#[derive(Debug, clap::Subcommand)]
enum ClinicAction {
    /// Create a clinic (open Monday to Friday; change the calendar in settings).
    Create {
        /// The clinic's name (unique).
        #[arg(long)]
        name: String,
        /// The clinic's IANA time zone.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Manage staff users.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    action: UserAction,
}

#[derive(Debug, clap::Subcommand)]
enum UserAction {
    /// Add a user. Without --password-stdin a one-time password is printed, which must be
    /// changed at first login.
    Add {
        /// The clinic's id or exact name.
        #[arg(long)]
        clinic: String,
        /// Login email.
        #[arg(long)]
        email: String,
        /// admin, clinician, nurse, front_desk or researcher.
        #[arg(long)]
        role: Role,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn app_over(db: &Database) -> App {
    App::new(db.store(), Arc::new(SystemClock), AppConfig::default())
}

/// Runs `clinic …`.
pub fn run_clinic(args: ClinicArgs) -> CliResult {
    let ClinicAction::Create {
        name,
        time_zone,
        db,
    } = args.action;
    let time_zone: TimeZoneName = time_zone.parse().map_err(|_| {
        invalid(format!(
            "--time-zone `{time_zone}` is not a known IANA time zone"
        ))
    })?;
    super::runtime()?.block_on(async {
        let db = Database::open(&db.database_url).await?;
        let clinic = app_over(&db)
            .create_clinic(&name, time_zone.as_str())
            .await
            .map_err(invalid)?;
        db.close().await;
        print_text(&format!("created clinic {} ({})", clinic.id, clinic.name))
    })
}

/// Runs `user …`.
pub fn run_user(args: UserArgs) -> CliResult {
    let UserAction::Add {
        clinic,
        email,
        role,
        password_stdin,
        db,
    } = args.action;
    let password = if password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| invalid(format!("cannot read the password from stdin: {e}")))?;
        Some(text.lines().next().unwrap_or_default().to_owned())
    } else {
        None
    };
    super::runtime()?.block_on(async {
        let db = Database::open(&db.database_url).await?;
        let app = app_over(&db);
        let store = db.store();
        let clinic = match clinic.parse::<i64>() {
            Ok(id) => store.get_clinic(cadence_store::ids::ClinicId(id)).await,
            Err(_) => store.find_clinic_by_name(&clinic).await,
        }
        .map_err(|_| invalid(format!("no clinic `{clinic}`: give its id or exact name")))?;
        let (user, one_time) = app
            .create_user(clinic.id, &email, role, password.as_deref())
            .await
            .map_err(invalid)?;
        db.close().await;
        let mut text = format!("added {} ({}) to {}", user.email, user.role, clinic.name);
        if let Some(otp) = one_time {
            text.push_str(&format!(
                "\none-time password (must be changed at first login): {otp}"
            ));
        }
        print_text(&text)
    })
}
