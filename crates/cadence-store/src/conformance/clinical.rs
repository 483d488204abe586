//! Safety screenings and assessments.

use super::support::*;
use crate::Store;
use crate::audit::{AuditAction, ObjectType};
use crate::ids::*;
use crate::records::*;
use cadence_clinical::instrument::InstrumentId;
use cadence_clinical::route::Route;
use cadence_clinical::screening::Eligibility;

/// A screening keeps its input and result exactly; create and read are audited about the
/// patient; a patient's screenings list newest first.
pub async fn screening_round_trip(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let input = screening_input(Route::Esketamine);
    let result = cadence_clinical::screening::screen(
        &input,
        &cadence_clinical::screening::ScreeningConfig::default(),
    )
    .unwrap();
    assert_eq!(result.decision, Eligibility::NeedsReview);

    let before = last_seq(s).await;
    let stored = s
        .create_screening(
            NewScreening {
                clinic_id: a.clinic.id,
                patient_id: patient.id,
                route: Route::Esketamine,
                input: input.clone(),
                result: result.clone(),
                decision: Eligibility::NeedsReview,
                created_by: a.clinician.id,
                created_at: at(5),
            },
            Vec::new(),
            create(&a.clinician, ObjectType::Screening),
        )
        .await
        .unwrap();
    assert_eq!(stored.input, input);
    assert_eq!(stored.result, result);
    assert_eq!(stored.route, Route::Esketamine);
    assert_eq!(stored.decision, Eligibility::NeedsReview);
    assert_eq!(stored.patient_id, patient.id);
    assert_eq!(stored.clinic_id, a.clinic.id);
    assert_eq!(stored.created_by, a.clinician.id);
    assert_eq!(stored.created_at, at(5));
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Screening,
        Some(stored.id.to_string()),
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let read_back = s
        .get_screening(
            a.clinic.id,
            stored.id,
            read(&a.clinician, ObjectType::Screening, stored.id),
        )
        .await
        .unwrap();
    assert_eq!(read_back, stored);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::Screening,
        Some(stored.id.to_string()),
        Some(patient.id),
    );

    let before = last_seq(s).await;
    let unknown = ScreeningId(stored.id.0 + 1000);
    assert_not_found(
        s.get_screening(
            a.clinic.id,
            unknown,
            read(&a.clinician, ObjectType::Screening, unknown),
        )
        .await,
        "unknown screening",
    );
    no_new_audit(s, before).await;

    // A later screening lists first; another patient's and another clinic's are not listed.
    let later = s
        .create_screening(
            NewScreening {
                clinic_id: a.clinic.id,
                patient_id: patient.id,
                route: Route::IvKetamine,
                input: screening_input(Route::IvKetamine),
                result: screening_result(Eligibility::Eligible),
                decision: Eligibility::Eligible,
                created_by: a.clinician.id,
                created_at: at(9),
            },
            Vec::new(),
            create(&a.clinician, ObjectType::Screening),
        )
        .await
        .unwrap();
    let other = add_patient(s, &a, "MRN-2").await;
    let before = last_seq(s).await;
    let listed = s
        .list_screenings(
            a.clinic.id,
            patient.id,
            read(&a.clinician, ObjectType::ScreeningList, patient.id),
        )
        .await
        .unwrap();
    assert_eq!(listed, [later, stored]);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::ScreeningList,
        Some(patient.id.to_string()),
        Some(patient.id),
    );
    assert!(
        s.list_screenings(
            a.clinic.id,
            other.id,
            read(&a.clinician, ObjectType::ScreeningList, other.id)
        )
        .await
        .unwrap()
        .is_empty()
    );
    let b = site(s, "B").await;
    assert_not_found(
        s.list_screenings(
            b.clinic.id,
            patient.id,
            read(&b.clinician, ObjectType::ScreeningList, patient.id),
        )
        .await,
        "another clinic's patient",
    );
}

fn new_assessment(
    site: &Site,
    patient: &Patient,
    course: Option<CourseId>,
    taken_on: &str,
) -> NewAssessment {
    NewAssessment {
        clinic_id: site.clinic.id,
        patient_id: patient.id,
        course_id: course,
        instrument: InstrumentId::Phq9,
        answers: vec![
            Some(3),
            Some(2),
            None,
            Some(0),
            Some(1),
            Some(2),
            Some(3),
            Some(0),
            Some(1),
        ],
        total: Some(12),
        score: stored_score(
            serde_json::json!({"total": 12, "band": "moderate", "flags": ["suicide_risk"], "subscales": {}}),
        ),
        source: AssessmentSource::Clinic,
        taken_on: day(taken_on),
        created_by: Some(site.clinician.id),
        created_at: at(6),
    }
}

/// Assessments keep skipped answers (`None`), a missing total and the score JSON; a patient's
/// list is by date taken then id; a course must be the same patient's.
pub async fn assessment_round_trip(backend: &dyn super::Backend) {
    let store = backend.store();
    let s: &dyn Store = &*store;
    let a = site(s, "A").await;
    let patient = add_patient(s, &a, "MRN-1").await;
    let other = add_patient(s, &a, "MRN-2").await;
    let course = add_course(s, &a, &patient, "2026-03-02", &[]).await;

    let before = last_seq(s).await;
    let mut later = new_assessment(&a, &patient, Some(course.id), "2026-03-10");
    later.instrument = InstrumentId::CssrsScreen;
    later.total = None;
    later.answers = vec![Some(0), Some(0), None, None, None, None];
    later.source = AssessmentSource::PatientLink;
    later.created_by = None;
    later.score = stored_score(serde_json::json!({"risk": "low"}));
    let stored_later = s
        .create_assessment(
            later.clone(),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Create,
        ObjectType::Assessment,
        Some(stored_later.id.to_string()),
        Some(patient.id),
    );
    assert_eq!(stored_later.answers, later.answers);
    assert_eq!(stored_later.total, None);
    assert_eq!(stored_later.score, later.score);
    assert_eq!(stored_later.instrument, InstrumentId::CssrsScreen);
    assert_eq!(stored_later.source, AssessmentSource::PatientLink);
    assert_eq!(stored_later.created_by, None);
    assert_eq!(stored_later.course_id, Some(course.id));
    assert_eq!(stored_later.taken_on, day("2026-03-10"));

    let baseline = new_assessment(&a, &patient, None, "2026-02-20");
    let stored_baseline = s
        .create_assessment(
            baseline.clone(),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    assert_eq!(stored_baseline.answers, baseline.answers);
    assert_eq!(stored_baseline.total, Some(12));
    assert_eq!(stored_baseline.score, baseline.score);
    assert_eq!(stored_baseline.course_id, None);
    assert_eq!(stored_baseline.created_at, at(6));
    let same_day = s
        .create_assessment(
            new_assessment(&a, &patient, Some(course.id), "2026-03-10"),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    s.create_assessment(
        new_assessment(&a, &other, None, "2026-03-01"),
        Vec::new(),
        create(&a.clinician, ObjectType::Assessment),
    )
    .await
    .unwrap();

    let before = last_seq(s).await;
    let listed = s
        .list_assessments(
            a.clinic.id,
            patient.id,
            read_many(&a.clinician, ObjectType::Assessment),
        )
        .await
        .unwrap();
    assert_eq!(listed, [stored_baseline, stored_later, same_day]);
    let row = one_new_audit(s, before).await;
    assert_audit(
        &row,
        AuditAction::Read,
        ObjectType::Assessment,
        None,
        Some(patient.id),
    );

    let before = last_seq(s).await;
    assert_not_found(
        s.create_assessment(
            new_assessment(&a, &other, Some(course.id), "2026-03-11"),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await,
        "a course of another patient",
    );
    assert_not_found(
        s.create_assessment(
            new_assessment(
                &a,
                &patient,
                Some(CourseId(course.id.0 + 1000)),
                "2026-03-11",
            ),
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await,
        "an unknown course",
    );
    let ghost = PatientId(other.id.0 + 1000);
    let mut unknown = new_assessment(&a, &patient, None, "2026-03-11");
    unknown.patient_id = ghost;
    assert_not_found(
        s.create_assessment(
            unknown,
            Vec::new(),
            create(&a.clinician, ObjectType::Assessment),
        )
        .await,
        "an unknown patient",
    );
    assert_not_found(
        s.list_assessments(
            a.clinic.id,
            ghost,
            read_many(&a.clinician, ObjectType::Assessment),
        )
        .await,
        "assessments of an unknown patient",
    );
    no_new_audit(s, before).await;
}
