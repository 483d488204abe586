//! Vital signs as checked readings: a [`BloodPressure`] reading and an [`Spo2`] are built only
//! through the one plausibility check here, so a session record, a monitoring entry or a
//! screening never holds a value no patient could have (a data-entry error, such as the two
//! pressures swapped). The bounds are physiological plausibility, not clinical limits: the
//! protocol's limits (pre-dose hold, in-session alerts) are judged on readings that pass.

use crate::history::BloodPressure;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Plausible systolic range, mmHg: outside it the reading is a data-entry error.
pub const SYSTOLIC_RANGE: (u16, u16) = (50, 300);
/// Plausible diastolic range, mmHg: outside it the reading is a data-entry error.
pub const DIASTOLIC_RANGE: (u16, u16) = (20, 200);
/// Plausible SpO2 range, percent: below 50 % a pulse oximeter reading is not a reading.
pub const SPO2_RANGE: (u8, u8) = (50, 100);

/// Which vital sign a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vital {
    /// Systolic blood pressure.
    Systolic,
    /// Diastolic blood pressure.
    Diastolic,
    /// Oxygen saturation.
    Spo2,
}

impl Vital {
    /// The short name: `systolic`, `diastolic` or `spo2`.
    pub fn name(self) -> &'static str {
        match self {
            Vital::Systolic => "systolic",
            Vital::Diastolic => "diastolic",
            Vital::Spo2 => "spo2",
        }
    }
}

/// `systolic blood pressure`, `diastolic blood pressure` or `SpO2` (the field, as named in
/// messages).
impl fmt::Display for Vital {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Vital::Systolic => f.write_str("systolic blood pressure"),
            Vital::Diastolic => f.write_str("diastolic blood pressure"),
            Vital::Spo2 => f.write_str("SpO2"),
        }
    }
}

/// A value no patient could have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VitalError {
    /// Outside its plausible range.
    #[error("{vital} {value} is outside {min}-{max}")]
    OutOfRange {
        /// Which vital sign.
        vital: Vital,
        /// The value given.
        value: u16,
        /// Lowest plausible value.
        min: u16,
        /// Highest plausible value.
        max: u16,
    },
    /// A diastolic pressure not below the systolic.
    #[error("diastolic blood pressure must be below systolic")]
    DiastolicNotBelowSystolic {
        /// The systolic value given.
        systolic: u16,
        /// The diastolic value given.
        diastolic: u16,
    },
}

fn within(vital: Vital, value: u16, (min, max): (u16, u16)) -> Result<(), VitalError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(VitalError::OutOfRange {
            vital,
            value,
            min,
            max,
        })
    }
}

impl BloodPressure {
    /// A measured reading, if it could be real: systolic 50-300 mmHg, diastolic 20-200 mmHg
    /// and below the systolic. Limits and thresholds (protocol settings) are not readings and
    /// are checked where they are configured.
    pub fn reading(systolic: u16, diastolic: u16) -> Result<BloodPressure, VitalError> {
        within(Vital::Systolic, systolic, SYSTOLIC_RANGE)?;
        within(Vital::Diastolic, diastolic, DIASTOLIC_RANGE)?;
        if diastolic >= systolic {
            return Err(VitalError::DiastolicNotBelowSystolic {
                systolic,
                diastolic,
            });
        }
        Ok(BloodPressure {
            systolic,
            diastolic,
        })
    }
}

/// Peripheral oxygen saturation, percent (50-100), as a pulse oximeter reads it. Serialized
/// as the bare number; deserializing checks the range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Spo2(u8);

impl Spo2 {
    /// A reading, if it could be real (50-100 %).
    pub fn new(percent: u8) -> Result<Spo2, VitalError> {
        within(
            Vital::Spo2,
            u16::from(percent),
            (u16::from(SPO2_RANGE.0), u16::from(SPO2_RANGE.1)),
        )?;
        Ok(Spo2(percent))
    }

    /// The saturation, percent.
    pub fn percent(self) -> u8 {
        self.0
    }
}

/// The number, without the `%`.
impl fmt::Display for Spo2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for Spo2 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Spo2::new(u8::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_readings_pass_and_implausible_ones_name_the_field() {
        assert_eq!(
            BloodPressure::reading(120, 80),
            Ok(BloodPressure {
                systolic: 120,
                diastolic: 80
            })
        );
        let cases = [
            ((49, 30), "systolic blood pressure 49 is outside 50-300"),
            ((301, 80), "systolic blood pressure 301 is outside 50-300"),
            ((120, 19), "diastolic blood pressure 19 is outside 20-200"),
            ((250, 201), "diastolic blood pressure 201 is outside 20-200"),
            (
                (120, 120),
                "diastolic blood pressure must be below systolic",
            ),
            ((80, 120), "diastolic blood pressure must be below systolic"),
        ];
        for ((s, d), message) in cases {
            assert_eq!(
                BloodPressure::reading(s, d).unwrap_err().to_string(),
                message
            );
        }
        assert!(BloodPressure::reading(50, 20).is_ok());
        assert!(BloodPressure::reading(300, 200).is_ok());
    }

    #[test]
    fn spo2_is_50_to_100_percent() {
        assert_eq!(Spo2::new(97).map(Spo2::percent), Ok(97));
        assert!(Spo2::new(50).is_ok() && Spo2::new(100).is_ok());
        assert_eq!(
            Spo2::new(49).unwrap_err().to_string(),
            "SpO2 49 is outside 50-100"
        );
        assert!(Spo2::new(101).is_err());
    }

    #[test]
    fn spo2_serde_is_the_bare_number_and_checks_the_range() {
        let s = Spo2::new(96).unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "96");
        assert_eq!(serde_json::from_str::<Spo2>("96").unwrap(), s);
        let err = serde_json::from_str::<Spo2>("30").unwrap_err();
        assert!(
            err.to_string().contains("SpO2 30 is outside 50-100"),
            "{err}"
        );
    }
}
