//! Safety screening and Maudsley staging (issue 2, section 4): every checklist item per route,
//! every boundary, decision precedence, the JSON contract, and properties.

mod checklist;
mod contract;
mod properties;
mod staging;

use cadence_clinical::history::BloodPressure;
use cadence_clinical::maudsley::{self, MaudsleyConfig, MaudsleyInput, Severity};
use cadence_clinical::route::Route;
use cadence_clinical::screening::{
    Reason, ScreeningConfig, ScreeningInput, ScreeningResult, screen,
};

fn bp(systolic: u16, diastolic: u16) -> BloodPressure {
    BloodPressure {
        systolic,
        diastolic,
    }
}

/// An adult with two failed trials, normal blood pressure and nothing on the checklist.
fn clear(route: Route) -> ScreeningInput {
    ScreeningInput {
        route,
        age_years: Some(40),
        conditions: vec![],
        medications: vec![],
        bp: Some(bp(120, 80)),
        failed_adequate_trials: 2,
        maudsley: None,
        rems_enrolled: None,
    }
}

#[expect(clippy::unwrap_used, reason = "test helper: an error fails the test")]
fn run(input: &ScreeningInput) -> ScreeningResult {
    screen(input, &ScreeningConfig::default()).unwrap()
}

fn codes(result: &ScreeningResult) -> Vec<&'static str> {
    result.reasons.iter().map(|r| r.code.as_str()).collect()
}

/// A message names at least one source key such as `[PI-2019-P2]`.
fn cites_a_source(reason: &Reason) -> bool {
    let m = &reason.message;
    m.find('[').is_some_and(|open| m[open..].contains(']'))
}

/// The Maudsley score with the default configuration.
#[expect(clippy::unwrap_used, reason = "test helper: an error fails the test")]
fn msm(duration_months: u16, severity: Severity, failed: u16, aug: bool, ect: bool) -> u8 {
    let input = MaudsleyInput {
        duration_months,
        severity,
        failed_antidepressants: failed,
        augmentation: aug,
        ect,
    };
    maudsley::stage(&input, &MaudsleyConfig::default())
        .unwrap()
        .score
}
