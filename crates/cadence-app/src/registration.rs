//! Registration details (issue 16 §4): contact details checked once, and the clinic's MRN
//! pattern that numbers a patient whose MRN is not typed.

use crate::validate;
use crate::{AppError, ErrorCode};
use cadence_store::records::PatientContact;
use std::fmt;
use std::str::FromStr;

/// The pattern used when an admin has not set one: `P-000001`, `P-000002`, ...
pub const DEFAULT_MRN_PATTERN: &str = "P-{n:06}";

/// Longest MRN (as the registration check allows).
pub const MAX_MRN_CHARS: usize = 40;

/// A clinic's MRN pattern: fixed text around one number placeholder, `{n}` (as many digits
/// as needed) or `{n:0W}` (zero-padded to W digits). Every number it makes is a valid MRN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrnPattern {
    prefix: String,
    width: usize,
    suffix: String,
}

impl MrnPattern {
    /// The MRN for the clinic's `n`th patient.
    pub fn mrn(&self, n: u64) -> String {
        format!(
            "{}{:0width$}{}",
            self.prefix,
            n,
            self.suffix,
            width = self.width
        )
    }
}

impl Default for MrnPattern {
    /// [`DEFAULT_MRN_PATTERN`] (a test checks the two agree).
    fn default() -> MrnPattern {
        MrnPattern {
            prefix: "P-".to_owned(),
            width: 6,
            suffix: String::new(),
        }
    }
}

impl fmt::Display for MrnPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.width <= 1 {
            write!(f, "{}{{n}}{}", self.prefix, self.suffix)
        } else {
            write!(f, "{}{{n:0{}}}{}", self.prefix, self.width, self.suffix)
        }
    }
}

impl FromStr for MrnPattern {
    type Err = AppError;

    fn from_str(text: &str) -> Result<MrnPattern, AppError> {
        let bad = |why: &str| {
            AppError::invalid(
                ErrorCode::InvalidMrnPattern,
                format!(
                    "MRN pattern {why}: write fixed text around {{n}} or {{n:06}}, e.g. P-{{n:06}}"
                ),
            )
        };
        let text = text.trim();
        let (prefix, rest) = text
            .split_once('{')
            .ok_or_else(|| bad("has no number placeholder"))?;
        let (placeholder, suffix) = rest
            .split_once('}')
            .ok_or_else(|| bad("has an unclosed placeholder"))?;
        if suffix.contains(['{', '}']) || prefix.contains('}') {
            return Err(bad("has more than one placeholder"));
        }
        let width = match placeholder {
            "n" => 1,
            p => p
                .strip_prefix("n:0")
                .and_then(|w| w.parse::<usize>().ok())
                .filter(|w| (1..=12).contains(w))
                .ok_or_else(|| bad("has a placeholder other than {n} or {n:0W} (W 1 to 12)"))?,
        };
        let fixed_ok = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !fixed_ok(prefix) || !fixed_ok(suffix) {
            return Err(bad(
                "has characters an MRN cannot hold (letters, digits, - and _)",
            ));
        }
        // Room for ten digits (ten billion patients) within the MRN's length.
        if prefix.len() + suffix.len() + width.max(10) > MAX_MRN_CHARS {
            return Err(bad("is too long for a 40-character MRN"));
        }
        Ok(MrnPattern {
            prefix: prefix.to_owned(),
            width,
            suffix: suffix.to_owned(),
        })
    }
}

/// A phone number as the clinic writes it: digits, spaces and `+ - ( ) .`, at least five
/// digits, at most 40 characters.
pub fn check_phone(field: &'static str, value: &str) -> Result<String, AppError> {
    let v = validate::text(field, value, 40)?;
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if !v.chars().all(allowed) || v.chars().filter(char::is_ascii_digit).count() < 5 {
        return Err(AppError::invalid(
            ErrorCode::InvalidPhone,
            format!(
                "{} must be a phone number: digits, spaces and + - ( ) . only, at least 5 digits",
                validate::words(field)
            ),
        ));
    }
    Ok(v)
}

/// Contact details checked: blanks become `None`, each field named in its error.
pub fn check_contact(contact: PatientContact) -> Result<PatientContact, AppError> {
    let present = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let email = present(contact.email)
        .map(|e| crate::admin::check_email(&e))
        .transpose()?;
    let phone = present(contact.phone)
        .map(|p| check_phone("phone", &p))
        .transpose()?;
    let address = validate::note("address", contact.address.as_deref(), 500)?;
    let emergency_contact_name = present(contact.emergency_contact_name)
        .map(|n| validate::text("emergency_contact_name", &n, 100))
        .transpose()?;
    let emergency_contact_phone = present(contact.emergency_contact_phone)
        .map(|p| check_phone("emergency_contact_phone", &p))
        .transpose()?;
    let referrer = present(contact.referrer)
        .map(|r| validate::text("referrer", &r, 200))
        .transpose()?;
    Ok(PatientContact {
        email,
        phone,
        address,
        emergency_contact_name,
        emergency_contact_phone,
        referrer,
        contact_consent: contact.contact_consent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_number_patients_and_round_trip() {
        let p: MrnPattern = "DEMO-{n:03}".parse().unwrap();
        assert_eq!(p.mrn(9), "DEMO-009");
        assert_eq!(p.mrn(1234), "DEMO-1234");
        assert_eq!(p.to_string(), "DEMO-{n:03}");
        let plain: MrnPattern = "{n}X".parse().unwrap();
        assert_eq!(plain.mrn(42), "42X");
        assert_eq!(plain.to_string(), "{n}X");
        assert_eq!(MrnPattern::default().mrn(1), "P-000001");
        assert_eq!(
            DEFAULT_MRN_PATTERN.parse::<MrnPattern>().unwrap(),
            MrnPattern::default()
        );
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        for bad in [
            "P-",
            "P-{n",
            "P-{x}",
            "P-{n:0}",
            "P-{n:013}",
            "{n}{n}",
            "P {n}",
            "P/{n}",
        ] {
            let err = bad.parse::<MrnPattern>().unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidMrnPattern, "{bad}");
        }
    }

    #[test]
    fn phones_and_contacts_are_checked() {
        assert_eq!(
            check_phone("phone", " +1 (555) 010-0100 ").unwrap(),
            "+1 (555) 010-0100"
        );
        for bad in ["1234", "call me", "+1 555 0100 ext 2", "555\u{7}0100"] {
            assert!(check_phone("phone", bad).is_err(), "{bad}");
        }
        let checked = check_contact(PatientContact {
            email: Some("  ".into()),
            phone: Some("".into()),
            referrer: Some(" Dr. Okafor ".into()),
            ..PatientContact::default()
        })
        .unwrap();
        assert_eq!(checked.email, None);
        assert_eq!(checked.phone, None);
        assert_eq!(checked.referrer.as_deref(), Some("Dr. Okafor"));
        let err = check_contact(PatientContact {
            email: Some("not an email".into()),
            ..PatientContact::default()
        })
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidEmail);
    }
}
