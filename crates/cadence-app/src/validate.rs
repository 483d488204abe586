//! Input checks shared by the services: plausible text, dates and vital signs. A value that
//! fails is an [`AppError::Invalid`] naming the field; nothing is stored.

use crate::{AppError, ErrorCode};
use cadence_clinical::history::BloodPressure;
use cadence_clinical::vitals::Spo2;
use jiff::civil::Date;

/// A field's name in the clinic's words, for messages people read (issue 16 §6): the API's
/// field ids (`birth_date`, `weight_kg`) are for programs, which branch on the error code.
pub fn words(field: &str) -> String {
    match field {
        "mrn" => "MRN".to_owned(),
        "weight_kg" => "weight (kg)".to_owned(),
        "spo2" => "SpO2".to_owned(),
        "moaas" => "MOAA/S".to_owned(),
        "cadss" => "CADSS".to_owned(),
        "bp_systolic" => "systolic blood pressure".to_owned(),
        "bp_diastolic" => "diastolic blood pressure".to_owned(),
        "dose_given_mg" => "dose given (mg)".to_owned(),
        "dose_ordered_mg" => "dose ordered (mg)".to_owned(),
        "taken_at" => "time taken".to_owned(),
        other => other.replace('_', " "),
    }
}

/// A required short text: trimmed, 1..=max characters, no control characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(
            ErrorCode::MissingField,
            format!("{} is required", words(field)),
        ));
    }
    if v.chars().count() > max {
        return Err(AppError::invalid(
            ErrorCode::FieldTooLong,
            format!("{} is longer than {max} characters", words(field)),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(AppError::invalid(
            ErrorCode::InvalidCharacters,
            format!("{} contains control characters", words(field)),
        ));
    }
    Ok(v.to_owned())
}

/// An optional note: trimmed, at most `max` characters; empty becomes `None`. Line breaks are
/// allowed, other control characters are not.
pub fn note(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, AppError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(AppError::invalid(
            ErrorCode::FieldTooLong,
            format!("{} is longer than {max} characters", words(field)),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid(
            ErrorCode::InvalidCharacters,
            format!("{} contains control characters", words(field)),
        ));
    }
    Ok(Some(v.to_owned()))
}

/// A number within physiologic or plausible bounds (inclusive).
pub fn within<T: PartialOrd + std::fmt::Display + Copy>(
    field: &'static str,
    value: T,
    min: T,
    max: T,
) -> Result<T, AppError> {
    if value < min || value > max {
        return Err(AppError::invalid(
            ErrorCode::OutOfRange,
            format!("{} {value} is outside {min}-{max}", words(field)),
        ));
    }
    Ok(value)
}

/// A finite decimal within bounds (rejects NaN and infinity).
pub fn decimal(field: &'static str, value: f64, min: f64, max: f64) -> Result<f64, AppError> {
    if !value.is_finite() {
        return Err(AppError::invalid(
            ErrorCode::OutOfRange,
            format!("{} must be a number", words(field)),
        ));
    }
    within(field, value, min, max)
}

/// A blood-pressure reading ([`BloodPressure::reading`]: systolic 50-300, diastolic 20-200,
/// diastolic below systolic), or `out_of_range` naming the field.
pub fn blood_pressure(systolic: u16, diastolic: u16) -> Result<BloodPressure, AppError> {
    BloodPressure::reading(systolic, diastolic)
        .map_err(|e| AppError::invalid(ErrorCode::OutOfRange, e))
}

/// An SpO2 reading, if taken ([`Spo2::new`]: 50-100 %), or `out_of_range` naming the field.
pub fn spo2(percent: Option<u8>) -> Result<Option<Spo2>, AppError> {
    percent
        .map(Spo2::new)
        .transpose()
        .map_err(|e| AppError::invalid(ErrorCode::OutOfRange, e))
}

/// A date that is not after `today`.
pub fn not_future(field: &'static str, date: Date, today: Date) -> Result<Date, AppError> {
    if date > today {
        return Err(AppError::invalid(
            ErrorCode::DateInFuture,
            format!("{} {date} is after today ({today})", words(field)),
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rejects_blank_long_and_control() {
        assert_eq!(text("name", "  Ada ", 10).unwrap(), "Ada");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn decimals_reject_nan_and_infinity() {
        assert!(decimal("weight", f64::NAN, 1.0, 400.0).is_err());
        assert!(decimal("weight", f64::INFINITY, 1.0, 400.0).is_err());
        assert!(decimal("weight", 70.5, 1.0, 400.0).is_ok());
    }

    #[test]
    fn blood_pressure_bounds() {
        assert!(blood_pressure(120, 80).is_ok());
        assert!(blood_pressure(49, 30).is_err());
        assert!(blood_pressure(120, 120).is_err());
        let err = blood_pressure(301, 80).unwrap_err();
        assert_eq!(err.code(), ErrorCode::OutOfRange);
        assert_eq!(
            err.to_string(),
            "systolic blood pressure 301 is outside 50-300"
        );
    }

    #[test]
    fn spo2_names_the_field() {
        assert_eq!(spo2(None), Ok(None));
        assert_eq!(spo2(Some(97)).unwrap().map(Spo2::percent), Some(97));
        let err = spo2(Some(30)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::OutOfRange);
        assert_eq!(err.to_string(), "SpO2 30 is outside 50-100");
    }
}
