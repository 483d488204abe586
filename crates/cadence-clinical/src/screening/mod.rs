//! Safety screening before a course: may this patient start treatment by this route?
//!
//! [`screen`] reads the patient's age, conditions, concomitant medication classes, pre-treatment
//! blood pressure and treatment history, and returns a decision (`eligible`, `needs_review`,
//! `not_eligible`) with every reason graded absolute, relative or programme per route, following
//! the checklist of reference section 4 (`rules.rs` holds the rules and their sources). When the
//! treatment history for it is given, it also returns the Maudsley stage ([`crate::maudsley`]).
//!
//! Cadence suggests; a clinician decides. `needs_review` lists what the clinician must weigh, and
//! nothing here stops a clinician recording a different decision.

mod condition;
mod reason;
mod rules;

pub use condition::{Condition, MedicationClass, UnknownCondition, UnknownMedicationClass};
pub use reason::{
    Eligibility, Reason, ReasonClass, ReasonCode, ScreeningResult, UnknownReasonCode,
};

use crate::history::BloodPressure;
use crate::maudsley::{self, MaudsleyConfig, MaudsleyError, MaudsleyInput};
use crate::route::Route;
use crate::vitals::VitalError;
use serde::{Deserialize, Serialize};

/// Oldest plausible age in years; anything above is a data-entry error.
pub const MAX_AGE_YEARS: u16 = 130;
pub use crate::vitals::{DIASTOLIC_RANGE, SYSTOLIC_RANGE};

/// The esketamine pre-dose threshold: above 140/90 mmHg, decide whether to delay [JNJ-BP].
pub const ESKETAMINE_BP_THRESHOLD: BloodPressure = BloodPressure {
    systolic: 140,
    diastolic: 90,
};

/// What screening reads: the input of `cadence screen` and of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    /// The route the course would follow.
    pub route: Route,
    /// The patient's age in whole years (0-130). [`screen`] needs it. Cadence's server derives
    /// it from the patient's birth date on the screening day ([`age_on`]) when it is left out,
    /// and refuses a value that disagrees with that date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_years: Option<u16>,
    /// Conditions from the checklist that the patient has; duplicates are reported once.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Concomitant medication classes; duplicates are reported once.
    #[serde(default)]
    pub medications: Vec<MedicationClass>,
    /// The pre-treatment blood pressure, if taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bp: Option<BloodPressure>,
    /// Failed adequate antidepressant trials in the current episode.
    pub failed_adequate_trials: u16,
    /// The treatment history for a Maudsley stage, if the clinic rates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maudsley: Option<MaudsleyInput>,
    /// Whether an esketamine patient is enrolled in the SPRAVATO REMS; `false` is a programme
    /// reason, unknown (`None`) is not checked. Ignored for other routes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rems_enrolled: Option<bool>,
}

/// The clinic's screening settings.
///
/// Pre-dose blood-pressure thresholds are per route. Esketamine defaults to 140/90 [JNJ-BP]. IV
/// and IM ketamine have no default: the APA consensus cut-offs are UNCONFIRMED (reference
/// section 7, item 1), so each clinic sets its own: IV in its protocol's `[screening]`, IM (no
/// built-in protocol) by the installation's `cadence serve --im-screening-bp-max`; until it
/// does, readings for that route are checked for plausibility only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScreeningConfig {
    /// Esketamine pre-dose threshold. Default 140/90 [JNJ-BP].
    pub esketamine_bp_threshold: Option<BloodPressure>,
    /// IV ketamine pre-dose threshold. No default: the clinic sets it (UNCONFIRMED).
    pub iv_ketamine_bp_threshold: Option<BloodPressure>,
    /// IM ketamine pre-dose threshold. No default: the clinic sets it (UNCONFIRMED).
    pub im_ketamine_bp_threshold: Option<BloodPressure>,
    /// Maudsley sub-scores marked UNCONFIRMED.
    pub maudsley: MaudsleyConfig,
}

impl Default for ScreeningConfig {
    fn default() -> Self {
        ScreeningConfig {
            esketamine_bp_threshold: Some(ESKETAMINE_BP_THRESHOLD),
            iv_ketamine_bp_threshold: None,
            im_ketamine_bp_threshold: None,
            maudsley: MaudsleyConfig::default(),
        }
    }
}

impl ScreeningConfig {
    /// The pre-dose threshold for a route, if set.
    pub fn bp_threshold(&self, route: Route) -> Option<BloodPressure> {
        match route {
            Route::Esketamine => self.esketamine_bp_threshold,
            Route::IvKetamine => self.iv_ketamine_bp_threshold,
            Route::ImKetamine => self.im_ketamine_bp_threshold,
        }
    }

    /// This configuration with a route's threshold replaced (e.g. by the clinic's protocol);
    /// `None` turns the check off for that route.
    pub fn with_bp_threshold(mut self, route: Route, threshold: Option<BloodPressure>) -> Self {
        let slot = match route {
            Route::Esketamine => &mut self.esketamine_bp_threshold,
            Route::IvKetamine => &mut self.iv_ketamine_bp_threshold,
            Route::ImKetamine => &mut self.im_ketamine_bp_threshold,
        };
        *slot = threshold;
        self
    }
}

/// Input that cannot be screened: a data-entry error to correct, not a clinical finding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreeningError {
    /// An age outside 0-130.
    #[error(
        "age_years {0} is outside 0-{MAX_AGE_YEARS}: check the patient's age and enter it in \
         whole years"
    )]
    AgeOutOfRange(u16),
    /// No age given.
    #[error("age_years is required: the patient's age in whole years")]
    AgeMissing,
    /// A systolic or diastolic value outside its plausible range.
    #[error(
        "bp.{field} {value} mmHg is outside the plausible range {min}-{max}: re-take the reading \
         or correct the entry"
    )]
    BpOutOfRange {
        /// `systolic` or `diastolic`.
        field: &'static str,
        /// The value given.
        value: u16,
        /// Lowest plausible value.
        min: u16,
        /// Highest plausible value.
        max: u16,
    },
    /// A diastolic value not below the systolic.
    #[error(
        "bp.diastolic {diastolic} mmHg is not below bp.systolic {systolic} mmHg: check whether \
         the two were swapped"
    )]
    DiastolicNotBelowSystolic {
        /// The systolic value given.
        systolic: u16,
        /// The diastolic value given.
        diastolic: u16,
    },
    /// The clinic's threshold for the route is not a plausible reading.
    #[error(
        "the {route} blood-pressure threshold {systolic}/{diastolic} mmHg is not a plausible \
         reading (systolic 50-300, diastolic 20-200 and below systolic): correct the clinic's \
         screening configuration"
    )]
    ImplausibleThreshold {
        /// The route whose threshold is wrong.
        route: Route,
        /// The configured systolic threshold.
        systolic: u16,
        /// The configured diastolic threshold.
        diastolic: u16,
    },
    /// The Maudsley part of the input or configuration is unusable.
    #[error(transparent)]
    Maudsley(#[from] MaudsleyError),
}

/// Checks that a reading could be real ([`BloodPressure::reading`]), naming the first
/// implausible field.
fn check_reading(bp: BloodPressure) -> Result<(), ScreeningError> {
    BloodPressure::reading(bp.systolic, bp.diastolic)
        .map(drop)
        .map_err(|e| match e {
            VitalError::OutOfRange {
                vital,
                value,
                min,
                max,
            } => ScreeningError::BpOutOfRange {
                field: vital.name(),
                value,
                min,
                max,
            },
            VitalError::DiastolicNotBelowSystolic {
                systolic,
                diastolic,
            } => ScreeningError::DiastolicNotBelowSystolic {
                systolic,
                diastolic,
            },
        })
}

/// Returns each value once, in the order first given.
fn first_occurrences<T: Copy + PartialEq>(values: &[T]) -> Vec<T> {
    let mut once = Vec::with_capacity(values.len());
    for &v in values {
        if !once.contains(&v) {
            once.push(v);
        }
    }
    once
}

/// Whole years from `birth` to `day` (a birthday counts on its date); `None` when `day` is
/// before `birth`.
pub fn age_on(birth: jiff::civil::Date, day: jiff::civil::Date) -> Option<u16> {
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    let years = day.year() - birth.year() - i16::from(before_birthday);
    u16::try_from(years).ok()
}

/// Screens a patient for a route.
///
/// Reasons are listed absolute first, then relative, then programme; within a class in the order
/// found: age, conditions and medications in input order, blood pressure, failed trials, REMS.
/// A reading is above the threshold when its systolic or its diastolic value is higher than the
/// threshold's (exactly 140/90 is not above 140/90).
pub fn screen(
    input: &ScreeningInput,
    config: &ScreeningConfig,
) -> Result<ScreeningResult, ScreeningError> {
    let route = input.route;
    let age_years = input.age_years.ok_or(ScreeningError::AgeMissing)?;
    if age_years > MAX_AGE_YEARS {
        return Err(ScreeningError::AgeOutOfRange(age_years));
    }
    if let Some(bp) = input.bp {
        check_reading(bp)?;
    }
    let threshold = config.bp_threshold(route);
    if let Some(t) = threshold {
        check_reading(t).map_err(|_| ScreeningError::ImplausibleThreshold {
            route,
            systolic: t.systolic,
            diastolic: t.diastolic,
        })?;
    }
    let maudsley = input
        .maudsley
        .as_ref()
        .map(|m| maudsley::stage(m, &config.maudsley))
        .transpose()?;

    let mut reasons = Vec::new();
    if age_years < rules::ADULT_AGE_YEARS {
        reasons.push(rules::under_18(route, age_years));
    }
    for c in first_occurrences(&input.conditions) {
        reasons.push(rules::condition(route, c));
    }
    for m in first_occurrences(&input.medications) {
        reasons.push(rules::medication(route, m));
    }
    if let (Some(bp), Some(t)) = (input.bp, threshold) {
        if bp.systolic > t.systolic || bp.diastolic > t.diastolic {
            reasons.push(rules::bp_above_threshold(route, bp, t));
        }
    }
    if input.failed_adequate_trials < rules::TRD_MIN_FAILED_TRIALS {
        reasons.push(rules::trd_criteria_not_met(input.failed_adequate_trials));
    }
    if route == Route::Esketamine && input.rems_enrolled == Some(false) {
        reasons.push(rules::rems_not_enrolled());
    }
    // Stable: keeps the order found within each class.
    reasons.sort_by_key(|r| r.class);

    Ok(ScreeningResult {
        decision: Eligibility::from_reasons(&reasons),
        reasons,
        maudsley,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adult(route: Route) -> ScreeningInput {
        ScreeningInput {
            route,
            age_years: Some(40),
            conditions: vec![],
            medications: vec![],
            bp: Some(BloodPressure {
                systolic: 120,
                diastolic: 80,
            }),
            failed_adequate_trials: 2,
            maudsley: None,
            rems_enrolled: None,
        }
    }

    #[test]
    fn a_clear_adult_is_eligible_on_every_route() {
        for route in Route::ALL {
            let r = screen(&adult(route), &ScreeningConfig::default()).unwrap();
            assert_eq!(r.decision, Eligibility::Eligible, "{route}");
            assert!(r.reasons.is_empty());
            assert_eq!(r.maudsley, None);
        }
    }

    #[test]
    fn reasons_are_sorted_by_class_then_found_order() {
        let mut input = adult(Route::Esketamine);
        input.rems_enrolled = Some(false);
        input.medications = vec![MedicationClass::Opioid];
        input.conditions = vec![
            Condition::Psychosis,
            Condition::IntracerebralHemorrhageHistory,
            Condition::Pregnancy,
            Condition::ArteriovenousMalformation,
        ];
        input.failed_adequate_trials = 1;
        let r = screen(&input, &ScreeningConfig::default()).unwrap();
        let codes: Vec<_> = r.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "intracerebral_hemorrhage_history",
                "arteriovenous_malformation",
                "psychosis",
                "pregnancy",
                "opioid",
                "trd_criteria_not_met",
                "rems_not_enrolled",
            ]
        );
        assert_eq!(r.decision, Eligibility::NotEligible);
    }

    #[test]
    fn rems_applies_to_esketamine_only() {
        for route in Route::ALL {
            let mut input = adult(route);
            input.rems_enrolled = Some(false);
            let r = screen(&input, &ScreeningConfig::default()).unwrap();
            let expected = if route == Route::Esketamine {
                Eligibility::NeedsReview
            } else {
                Eligibility::Eligible
            };
            assert_eq!(r.decision, expected, "{route}");
            input.rems_enrolled = Some(true);
            let r = screen(&input, &ScreeningConfig::default()).unwrap();
            assert_eq!(r.decision, Eligibility::Eligible, "{route}");
        }
    }

    #[test]
    fn implausible_threshold_is_an_error() {
        let config = ScreeningConfig::default().with_bp_threshold(
            Route::IvKetamine,
            Some(BloodPressure {
                systolic: 90,
                diastolic: 140,
            }),
        );
        let err = screen(&adult(Route::IvKetamine), &config).unwrap_err();
        assert!(matches!(
            err,
            ScreeningError::ImplausibleThreshold {
                route: Route::IvKetamine,
                ..
            }
        ));
        // Another route's threshold is not consulted.
        assert!(screen(&adult(Route::Esketamine), &config).is_ok());
    }

    #[test]
    fn config_reads_from_toml() {
        let c: ScreeningConfig =
            toml::from_str("iv_ketamine_bp_threshold = { systolic = 150, diastolic = 95 }")
                .unwrap();
        assert_eq!(c.esketamine_bp_threshold, Some(ESKETAMINE_BP_THRESHOLD));
        assert_eq!(
            c.bp_threshold(Route::IvKetamine),
            Some(BloodPressure {
                systolic: 150,
                diastolic: 95
            })
        );
        assert_eq!(c.bp_threshold(Route::ImKetamine), None);
        assert!(toml::from_str::<ScreeningConfig>("ketamine_bp = 1").is_err());
    }
}
