//! The clinic admin's settings: users and roles, the clinic calendar and the price list.
//!
//! Every service here needs [`Permission::Administer`] and writes its audit row in the same
//! transaction as the change: `privilege_change` of a `user` for a new account or a changed
//! role or access, `update` of a `clinic_calendar` or a `price_list`. Admins cannot demote or
//! disable themselves, so a clinic is never left without anyone able to manage it by accident.

use crate::admin::{ONE_TIME_PASSWORD_CHARS, check_email};
use crate::auth::new_token;
use crate::authz::{Permission, require};
use crate::registration::MrnPattern;
use crate::{Actor, App, AppError, ErrorCode};
use cadence_clinical::calendar::{OpenDays, TimeZoneName};
use cadence_clinical::price::PriceList;
use cadence_store::StoreError;
use cadence_store::audit::{AuditAction, ObjectType};
use cadence_store::ids::UserId;
use cadence_store::records::{Clinic, NewUser, Role, User};
use jiff::civil::Date;

/// Most closed dates a calendar keeps (about three years of daily closures).
pub const MAX_CLOSED_DATES: usize = 1000;

/// Longest accepted price list file, in bytes.
pub const MAX_PRICE_LIST_BYTES: usize = 64 * 1024;

/// A user just added, with the one-time password to hand over (shown once, stored hashed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The stored user.
    pub user: User,
    /// The one-time password, to be changed at first login.
    pub one_time_password: String,
}

/// Parses closed dates written one `YYYY-MM-DD` per line (blank lines ignored), naming the
/// first line that is not a date.
pub fn parse_closed_date_lines(text: &str) -> Result<Vec<Date>, AppError> {
    let mut dates = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let date = line.parse::<Date>().map_err(|_| {
            AppError::invalid(
                ErrorCode::InvalidClosedDate,
                format!(
                    "closed dates, line {}: `{line}` is not a date; write one YYYY-MM-DD per line",
                    n + 1
                ),
            )
        })?;
        dates.push(date);
    }
    Ok(dates)
}

/// A time zone by its IANA name (canonical spelling), or why it is not one.
pub(crate) fn check_time_zone(name: &str) -> Result<TimeZoneName, AppError> {
    name.parse()
        .map_err(|e| AppError::invalid(ErrorCode::UnknownTimeZone, e))
}

impl App {
    /// The actor's clinic (its name and calendar), for the settings page.
    pub async fn clinic_settings(&self, actor: &Actor) -> Result<Clinic, AppError> {
        require(actor.role, Permission::Administer)?;
        Ok(self.store.get_clinic(actor.clinic_id).await?)
    }

    /// The clinic's users, by email.
    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        require(actor.role, Permission::Administer)?;
        Ok(self.store.list_users(actor.clinic_id).await?)
    }

    /// Adds a user to the actor's clinic with a one-time password (returned once, changed at
    /// first login).
    pub async fn add_user(
        &self,
        actor: &Actor,
        email: &str,
        role: Role,
    ) -> Result<NewAccount, AppError> {
        require(actor.role, Permission::Administer)?;
        let email = check_email(email)?;
        let mut otp = new_token()?;
        otp.truncate(ONE_TIME_PASSWORD_CHARS);
        let new = NewUser {
            clinic_id: actor.clinic_id,
            email,
            role,
            password_hash: self.hashing.hash(&otp).await?,
            must_change_password: true,
            created_at: self.now(),
        };
        let event = actor.event(self, AuditAction::PrivilegeChange, ObjectType::User);
        let user = match self.store.create_user(new, event).await {
            Ok(user) => user,
            // Emails are unique across the installation, so the address may belong to another
            // clinic's user: the answer must not say so (issue 15 §10), and reads the same
            // whichever clinic has it.
            Err(StoreError::Conflict { .. }) => {
                return Err(AppError::Conflict {
                    code: ErrorCode::Conflict,
                    message: "this email cannot be used for a new account; use another address"
                        .into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        Ok(NewAccount {
            user,
            one_time_password: otp,
        })
    }

    /// Changes a user's role or disables them (their sessions end). Admins may not change
    /// their own access.
    pub async fn update_user_access(
        &self,
        actor: &Actor,
        user: UserId,
        role: Role,
        disabled: bool,
    ) -> Result<User, AppError> {
        require(actor.role, Permission::Administer)?;
        if user == actor.user_id {
            return Err(AppError::Conflict {
                code: ErrorCode::OwnAccess,
                message: "you cannot change your own role or disable yourself; ask another admin"
                    .into(),
            });
        }
        let event = actor
            .event(self, AuditAction::PrivilegeChange, ObjectType::User)
            .with_object_id(user);
        Ok(self
            .store
            .update_user_access(actor.clinic_id, user, role, disabled, event)
            .await?)
    }

    /// Sets the clinic's calendar: an IANA time zone, the open weekdays (at least one) and the
    /// closed dates.
    pub async fn update_calendar(
        &self,
        actor: &Actor,
        time_zone: &str,
        open_days: OpenDays,
        closed_dates: &[Date],
    ) -> Result<Clinic, AppError> {
        require(actor.role, Permission::Administer)?;
        let time_zone = check_time_zone(time_zone)?;
        if closed_dates.len() > MAX_CLOSED_DATES {
            return Err(AppError::invalid(
                ErrorCode::TooManyClosedDates,
                format!("at most {MAX_CLOSED_DATES} closed dates; remove past ones"),
            ));
        }
        let mut closed = closed_dates.to_vec();
        closed.sort();
        closed.dedup();
        let event = actor
            .event(self, AuditAction::Update, ObjectType::ClinicCalendar)
            .with_object_id(actor.clinic_id);
        Ok(self
            .store
            .update_clinic_calendar(actor.clinic_id, &time_zone, open_days, &closed, event)
            .await?)
    }

    /// The clinic's price list file, if one is set.
    pub async fn price_list_text(&self, actor: &Actor) -> Result<Option<String>, AppError> {
        require(actor.role, Permission::Administer)?;
        Ok(self.store.get_price_list(actor.clinic_id).await?)
    }

    /// Replaces the clinic's price list after checking it; an error names the line to fix.
    pub async fn set_price_list(&self, actor: &Actor, text: &str) -> Result<PriceList, AppError> {
        require(actor.role, Permission::Administer)?;
        if text.len() > MAX_PRICE_LIST_BYTES {
            return Err(AppError::invalid(
                ErrorCode::InvalidPriceList,
                format!("the price list is longer than {MAX_PRICE_LIST_BYTES} bytes"),
            ));
        }
        let prices = PriceList::from_toml(text).map_err(|e| {
            AppError::invalid(ErrorCode::InvalidPriceList, format!("price list, {e}"))
        })?;
        let event = actor
            .event(self, AuditAction::Update, ObjectType::PriceList)
            .with_object_id(actor.clinic_id);
        self.store
            .set_price_list(actor.clinic_id, text, event)
            .await?;
        Ok(prices)
    }

    /// The clinic's MRN pattern (the default until one is set), for the settings page.
    pub async fn registration_mrn_pattern(&self, actor: &Actor) -> Result<MrnPattern, AppError> {
        require(actor.role, Permission::Administer)?;
        self.mrn_pattern(actor.clinic_id).await
    }

    /// Sets the pattern that numbers patients registered without a typed MRN.
    pub async fn set_mrn_pattern(&self, actor: &Actor, text: &str) -> Result<MrnPattern, AppError> {
        require(actor.role, Permission::Administer)?;
        let pattern: MrnPattern = text.parse()?;
        let event = actor
            .event(self, AuditAction::Update, ObjectType::RegistrationSettings)
            .with_object_id(actor.clinic_id);
        self.store
            .set_mrn_pattern(actor.clinic_id, &pattern.to_string(), event)
            .await?;
        Ok(pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_dates_name_the_bad_line() {
        let dates = parse_closed_date_lines("2026-12-25\n\n 2027-01-01 \n").unwrap();
        assert_eq!(dates.len(), 2);
        let err = parse_closed_date_lines("2026-12-25\nChristmas\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        assert_eq!(
            check_time_zone(" Europe/London ").unwrap().as_str(),
            "Europe/London"
        );
        assert_eq!(check_time_zone("UTC").unwrap().as_str(), "UTC");
        for bad in ["", "Mars/Olympus", "Europe/ London", "UTC+25"] {
            assert!(check_time_zone(bad).is_err(), "{bad}");
        }
    }
}
