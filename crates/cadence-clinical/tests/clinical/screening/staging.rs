//! Maudsley staging (reference section 5.1): every dimension's boundaries, the band edges, the
//! configurable sub-scores, and staging inside screening.

use super::{clear, msm, run};
use cadence_clinical::maudsley::{
    self, FailureLevel, MaudsleyBand, MaudsleyConfig, MaudsleyConfigError, MaudsleyError,
    MaudsleyInput, MaudsleyStage, Severity,
};
use cadence_clinical::route::Route;
use cadence_clinical::screening::{Eligibility, ScreeningConfig, ScreeningError, screen};

#[test]
fn duration_points_at_12_13_24_25_months() {
    // Baseline: subsyndromal 1 + one failed drug 1.
    let points = |months| msm(months, Severity::Subsyndromal, 1, false, false) - 2;
    assert_eq!([0, 12, 13, 24, 25, 240].map(points), [1, 1, 2, 2, 3, 3]);
}

#[test]
fn severity_points() {
    let points = |s| msm(1, s, 1, false, false) - 2;
    assert_eq!(Severity::ALL.map(points), [1, 2, 3, 4, 5]);
}

#[test]
fn failed_antidepressant_levels() {
    let points = |n| msm(1, Severity::Subsyndromal, n, false, false) - 2;
    assert_eq!(
        [1, 2, 3, 4, 5, 6, 7, 10, 11, 40].map(points),
        [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    );
}

#[test]
fn augmentation_and_ect_add_a_point_each() {
    let base = msm(1, Severity::Mild, 1, false, false);
    assert_eq!(msm(1, Severity::Mild, 1, true, false), base + 1);
    assert_eq!(msm(1, Severity::Mild, 1, false, true), base + 1);
    assert_eq!(msm(1, Severity::Mild, 1, true, true), base + 2);
}

#[test]
fn band_edges() {
    let stage = |months, severity, failed| {
        let input = MaudsleyInput {
            duration_months: months,
            severity,
            failed_antidepressants: failed,
            augmentation: false,
            ect: false,
        };
        maudsley::stage(&input, &MaudsleyConfig::default()).unwrap()
    };
    let expect = |score, band| MaudsleyStage { score, band };
    // 1 + 3 + 2 = 6; 1 + 4 + 2 = 7; 2 + 5 + 3 = 10; 3 + 5 + 3 = 11.
    assert_eq!(
        stage(6, Severity::Moderate, 3),
        expect(6, MaudsleyBand::Mild)
    );
    assert_eq!(
        stage(6, Severity::Severe, 3),
        expect(7, MaudsleyBand::Moderate)
    );
    assert_eq!(
        stage(18, Severity::SeverePsychotic, 5),
        expect(10, MaudsleyBand::Moderate)
    );
    assert_eq!(
        stage(30, Severity::SeverePsychotic, 5),
        expect(11, MaudsleyBand::Severe)
    );
    assert_eq!(MaudsleyBand::for_score(2), None);
    assert_eq!(MaudsleyBand::for_score(16), None);
}

#[test]
fn screening_stages_when_given_and_reports_staging_errors() {
    let mut input = clear(Route::IvKetamine);
    input.maudsley = Some(MaudsleyInput {
        duration_months: 13,
        severity: Severity::Severe,
        failed_antidepressants: 4,
        augmentation: true,
        ect: false,
    });
    let r = run(&input);
    assert_eq!(
        r.maudsley,
        Some(MaudsleyStage {
            score: 9,
            band: MaudsleyBand::Moderate
        })
    );
    assert_eq!(r.decision, Eligibility::Eligible);

    if let Some(m) = input.maudsley.as_mut() {
        m.failed_antidepressants = 0;
    }
    let err = screen(&input, &ScreeningConfig::default()).unwrap_err();
    assert_eq!(
        err,
        ScreeningError::Maudsley(MaudsleyError::NoFailedAntidepressant)
    );
}

#[test]
fn lowest_and_highest_stage() {
    let lowest = msm(0, Severity::Subsyndromal, 1, false, false);
    assert_eq!(lowest, 3);
    assert_eq!(msm(25, Severity::SeverePsychotic, 11, true, true), 15);
}

/// Failure levels as `(up_to, points)` pairs.
type Levels = &'static [(Option<u16>, u8)];

fn with_levels(levels: &[(Option<u16>, u8)]) -> MaudsleyConfig {
    MaudsleyConfig {
        failure_levels: levels
            .iter()
            .map(|&(up_to, points)| FailureLevel { up_to, points })
            .collect(),
        ..MaudsleyConfig::default()
    }
}

#[test]
fn configs_that_break_the_method_are_rejected() {
    let default = [
        (Some(2), 1),
        (Some(4), 2),
        (Some(6), 3),
        (Some(10), 4),
        (None, 5),
    ];
    assert_eq!(with_levels(&default).validate(), Ok(()));
    assert_eq!(with_levels(&default), MaudsleyConfig::default());

    let cases: [(Levels, MaudsleyConfigError); 6] = [
        (&[], MaudsleyConfigError::NoFailureLevels),
        (
            &[(Some(2), 1), (Some(2), 2), (None, 3)],
            MaudsleyConfigError::LevelsNotAscending { index: 1 },
        ),
        (
            &[(Some(2), 1), (None, 2), (None, 3)],
            MaudsleyConfigError::LevelsNotAscending { index: 1 },
        ),
        (
            &[(Some(2), 1), (Some(4), 2)],
            MaudsleyConfigError::LastLevelBounded,
        ),
        (
            &[(Some(2), 0), (None, 2)],
            MaudsleyConfigError::PointsNotRising { index: 0 },
        ),
        (
            &[(Some(2), 2), (None, 1)],
            MaudsleyConfigError::PointsNotRising { index: 1 },
        ),
    ];
    for (levels, expected) in cases {
        assert_eq!(with_levels(levels).validate(), Err(expected), "{levels:?}");
    }

    let too_many_points = MaudsleyConfig {
        ect_points: 2,
        ..MaudsleyConfig::default()
    };
    let expected = MaudsleyConfigError::TreatmentPointsTooHigh { total: 8 };
    assert_eq!(too_many_points.validate(), Err(expected.clone()));
    let input = MaudsleyInput {
        duration_months: 1,
        severity: Severity::Mild,
        failed_antidepressants: 1,
        augmentation: false,
        ect: false,
    };
    assert_eq!(
        maudsley::stage(&input, &too_many_points),
        Err(MaudsleyError::Config(expected.clone()))
    );
    let config = ScreeningConfig {
        maudsley: too_many_points,
        ..ScreeningConfig::default()
    };
    let mut screening = clear(Route::Esketamine);
    screening.maudsley = Some(input);
    assert_eq!(
        screen(&screening, &config),
        Err(ScreeningError::Maudsley(MaudsleyError::Config(expected)))
    );
}

#[test]
fn a_clinic_can_change_the_unconfirmed_sub_scores() {
    let config = MaudsleyConfig {
        failure_levels: vec![FailureLevel {
            up_to: None,
            points: 3,
        }],
        augmentation_points: 2,
        ect_points: 2,
    };
    assert_eq!(config.validate(), Ok(()));
    let input = MaudsleyInput {
        duration_months: 12,
        severity: Severity::Mild,
        failed_antidepressants: 40,
        augmentation: true,
        ect: false,
    };
    let stage = maudsley::stage(&input, &config).unwrap();
    assert_eq!(
        stage,
        MaudsleyStage {
            score: 1 + 2 + 3 + 2,
            band: MaudsleyBand::Moderate
        }
    );
}
