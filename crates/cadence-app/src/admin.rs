//! The operator's way in: creating clinics and staff users. There are no default accounts
//! (ASVS 6.3.2); the first admin of a clinic is added with `cadence user add`, which calls
//! [`App::create_user`].
//!
//! These run without an acting user (the command line is the operator's own authority), so
//! their audit rows have no actor: `create` of a `clinic`, and `privilege_change` of a `user`
//! (a new account is a grant of a role, which is what an access review looks for).

use crate::auth::{check_new_password, new_token};
use crate::{App, AppError, ErrorCode, validate};
use cadence_store::audit::{AuditAction, AuditEvent, AuditOutcome, ObjectType};
use cadence_store::ids::ClinicId;
use cadence_store::records::{Clinic, NewClinic, NewUser, Role, User};

/// Length of a one-time password in hex characters (96 random bits).
pub const ONE_TIME_PASSWORD_CHARS: usize = 24;

/// The request id of audit rows written by operator commands.
pub const OPERATOR_REQUEST_ID: &str = "operator";

/// Longest accepted login email (RFC 5321's path limit).
const MAX_EMAIL_CHARS: usize = 254;

impl App {
    pub(crate) fn operator_event(
        &self,
        action: AuditAction,
        object_type: ObjectType,
    ) -> AuditEvent {
        AuditEvent {
            at: self.now(),
            actor_id: None,
            actor_role: None,
            clinic_id: None,
            patient_id: None,
            action,
            object_type,
            object_id: None,
            outcome: AuditOutcome::Success,
            request_id: OPERATOR_REQUEST_ID.to_owned(),
        }
    }

    /// Creates a clinic with an IANA time zone (open Monday to Friday until its calendar is
    /// set).
    pub async fn create_clinic(&self, name: &str, time_zone: &str) -> Result<Clinic, AppError> {
        let name = validate::text("name", name, 100)?;
        let time_zone = crate::settings::check_time_zone(time_zone)?;
        let new = NewClinic {
            name,
            time_zone,
            created_at: self.now(),
        };
        let event = self.operator_event(AuditAction::Create, ObjectType::Clinic);
        Ok(self.store.create_clinic(new, event).await?)
    }

    /// Sets a clinic's day as the operator (command line, test kit): opening hours
    /// (`mon 09:00-17:00` lines), chairs and session length, with the admin's checks.
    pub async fn configure_clinic_day(
        &self,
        clinic: ClinicId,
        opening_hours: &str,
        chairs: u16,
        session_minutes: u16,
    ) -> Result<Clinic, AppError> {
        let hours = crate::schedule::check_day(opening_hours, chairs, session_minutes)?;
        let mut event = self.operator_event(AuditAction::Update, ObjectType::ClinicHours);
        event.clinic_id = Some(clinic);
        Ok(self
            .store
            .update_clinic_schedule(clinic, &hours, chairs, session_minutes, event)
            .await?)
    }

    /// Adds a staff user to a clinic. With a password, the account is ready to use; without,
    /// a random one-time password is returned (shown once, never stored in clear), which must
    /// be changed at first login.
    pub async fn create_user(
        &self,
        clinic: ClinicId,
        email: &str,
        role: Role,
        password: Option<&str>,
    ) -> Result<(User, Option<String>), AppError> {
        let email = check_email(email)?;
        let (password, one_time) = match password {
            Some(p) => {
                check_new_password(p)?;
                (p.to_owned(), None)
            }
            None => {
                let mut otp = new_token()?;
                otp.truncate(ONE_TIME_PASSWORD_CHARS);
                (otp.clone(), Some(otp))
            }
        };
        let new = NewUser {
            clinic_id: clinic,
            email,
            role,
            password_hash: self.hashing.hash(&password).await?,
            must_change_password: one_time.is_some(),
            created_at: self.now(),
        };
        let mut event = self.operator_event(AuditAction::PrivilegeChange, ObjectType::User);
        event.clinic_id = Some(clinic);
        let user = self.store.create_user(new, event).await?;
        Ok((user, one_time))
    }
}

/// A login email: trimmed, lower-cased, one `@` between non-empty parts, no spaces or
/// control characters.
pub fn check_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let bad = || {
        AppError::invalid(
            ErrorCode::InvalidEmail,
            "email must look like name@example.org, without spaces",
        )
    };
    if email.is_empty() || email.chars().count() > MAX_EMAIL_CHARS {
        return Err(bad());
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(email)
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            check_email("  Ada@Example.ORG ").unwrap(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "@example.org",
            "ada@",
            "a b@example.org",
            "a@b@c",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
