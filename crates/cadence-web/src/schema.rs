//! The OpenAPI shapes of what the API returns.
//!
//! Responses are the app's records serialized as they are (one source of truth for the
//! bytes); these types only describe them for the document, because the records live in
//! crates that do not depend on utoipa. The integration tests check every response they get
//! against these descriptions (same keys), so the two cannot drift apart. Clinical objects
//! computed by the engine (screening results, score objects, plans, suggestions, forecasts,
//! session records) are `object`s here, documented in `docs/`.

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::Value;
use utoipa::ToSchema;

/// A staff role.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Clinician,
    Nurse,
    FrontDesk,
    Researcher,
}

/// Administrative sex as recorded by the clinic.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}

/// A route of administration.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Route {
    Esketamine,
    IvKetamine,
    ImKetamine,
}

/// An instrument id.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Instrument {
    Phq9,
    Gad7,
    QidsSr16,
    Pcl5,
    Madrs,
    Wsas,
    Cadss,
    Moaas,
    CssrsScreen,
}

/// A clinician's decision.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Decision {
    Continue,
    ExtendInduction,
    StartMaintenance,
    LengthenInterval,
    ShortenInterval,
    Booster,
    Pause,
    Resume,
    Discontinue,
}

/// The state of a treatment session.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SessionStatus {
    Scheduled,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
    Held,
}

/// A screening's decision.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Eligibility {
    Eligible,
    NeedsReview,
    NotEligible,
}

/// Where an assessment came from.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AssessmentSource {
    Clinic,
    PatientLink,
    Import,
}

/// An error: `{"error": {"code", "message"}}`; codes are listed in `docs/api.md`.
#[derive(Debug, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error's stable code and a message for people.
#[derive(Debug, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// The screening input (as `cadence screen` reads it; `docs/screening.md`). Unknown fields
/// are refused.
// `Deserialize` only carries `deny_unknown_fields` into the document (additionalProperties:
// false); the server reads `cadence_clinical::screening::ScreeningInput`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    pub route: Route,
    /// Whole years. Derived from the patient's birth date on the screening day: leave it out,
    /// or give the same number (any other is refused with `invalid_screening`).
    #[schema(required = false)]
    pub age_years: Option<u16>,
    /// Condition ids from the checklist (`docs/screening.md`). May be left out (none), but
    /// not `null`.
    #[schema(required = false, schema_with = condition_ids)]
    pub conditions: Vec<String>,
    /// Medication class ids (`docs/screening.md`). May be left out (none), but not `null`.
    #[schema(required = false, schema_with = medication_ids)]
    pub medications: Vec<String>,
    /// Pre-treatment blood pressure.
    pub bp: Option<BloodPressure>,
    pub failed_adequate_trials: u16,
    /// Treatment history for a Maudsley stage.
    pub maudsley: Option<MaudsleyInput>,
    /// Esketamine only: enrolled in the SPRAVATO REMS.
    pub rems_enrolled: Option<bool>,
}

/// A list of ids from a fixed set, empty by default.
fn id_list(description: &str, ids: &[&'static str]) -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .description(Some(description))
        .default(Some(serde_json::json!([])))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(ids.iter().copied())),
        )
        .build()
}

/// The checklist's condition ids, from the screening rules themselves.
fn condition_ids() -> utoipa::openapi::schema::Array {
    use cadence_clinical::screening::Condition;
    id_list(
        "Condition ids from the checklist (`docs/screening.md`). May be left out (none), but \
         not `null`.",
        &Condition::ALL.map(Condition::as_str),
    )
}

/// The medication class ids, from the screening rules themselves.
fn medication_ids() -> utoipa::openapi::schema::Array {
    use cadence_clinical::screening::MedicationClass;
    id_list(
        "Medication class ids (`docs/screening.md`). May be left out (none), but not `null`.",
        &MedicationClass::ALL.map(MedicationClass::as_str),
    )
}

/// The treatment history the Maudsley Staging Method stages (`docs/screening.md`); unknown
/// fields refused.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaudsleyInput {
    /// How long the current episode has lasted, in whole months.
    pub duration_months: u16,
    /// Baseline symptom severity.
    pub severity: Severity,
    /// How many antidepressants have failed in this episode.
    pub failed_antidepressants: u16,
    /// Whether augmentation has been used.
    pub augmentation: bool,
    /// Whether ECT has been used.
    pub ect: bool,
}

/// Baseline symptom severity of the episode.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Subsyndromal,
    Mild,
    Moderate,
    Severe,
    SeverePsychotic,
}

/// When an assessment was taken: a date in the clinic, or an RFC 3339 timestamp, or `null`
/// (today).
pub(crate) fn taken_at() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let text = |format| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    OneOfBuilder::new()
        .description(Some(
            "When taken: a date `YYYY-MM-DD` in the clinic, or an RFC 3339 timestamp (converted \
             to the clinic's date). Default: today in the clinic. Never in the future.",
        ))
        .item(text(KnownFormat::Date))
        .item(text(KnownFormat::DateTime))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// A score as stored with its assessment.
#[derive(Debug, ToSchema)]
pub struct StoredScore {
    /// `null` for the C-SSRS.
    pub total: Option<u16>,
    /// The highest possible total.
    pub max: Option<u16>,
    /// The severity band id.
    pub band: Option<String>,
    /// 1-based numbers of endorsed critical items.
    pub critical_items: Vec<u8>,
    pub flags: Vec<ScoreFlag>,
    /// Subscale or domain scores by id.
    pub subscales: std::collections::BTreeMap<String, u16>,
    /// The C-SSRS risk category.
    #[schema(required = false)]
    pub risk: Option<CssrsRisk>,
    /// PCL-5 provisional PTSD diagnosis.
    #[schema(required = false)]
    pub provisional_ptsd: Option<bool>,
}

/// The C-SSRS screener's risk category.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum CssrsRisk {
    None,
    Low,
    Moderate,
    High,
}

/// A flag a score raises.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ScoreFlag {
    SuicideRisk,
    ProbablePtsd,
    Dissociation,
    Sedation,
}

/// A blood pressure, mmHg.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BloodPressure {
    pub systolic: u16,
    pub diastolic: u16,
}

/// A patient.
#[derive(Debug, ToSchema)]
pub struct Patient {
    pub id: i64,
    pub clinic_id: i64,
    pub mrn: String,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub weight_kg: Option<f64>,
    /// The day the weight was taken.
    pub weight_measured_on: Option<Date>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub emergency_contact_name: Option<String>,
    pub emergency_contact_phone: Option<String>,
    pub referrer: Option<String>,
    /// Consent to be contacted (`null`: not asked).
    pub contact_consent: Option<bool>,
    /// Who recorded the consent answer and when.
    pub contact_consent_recorded: Option<ConsentRecord>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Who recorded a contact-consent answer, and when.
#[derive(Debug, ToSchema)]
pub struct ConsentRecord {
    pub recorded_by: Option<i64>,
    pub recorded_at: Timestamp,
}

/// A stored screening: the input as given and the engine's result.
#[derive(Debug, ToSchema)]
pub struct Screening {
    pub id: i64,
    pub clinic_id: i64,
    pub patient_id: i64,
    pub route: Route,
    /// The screening input (`docs/screening.md`).
    pub input: Value,
    /// The result: decision, reasons, Maudsley stage.
    pub result: Value,
    pub decision: Eligibility,
    pub created_by: i64,
    pub created_at: Timestamp,
}

/// A stored assessment with its score object.
#[derive(Debug, ToSchema)]
pub struct Assessment {
    pub id: i64,
    pub clinic_id: i64,
    pub patient_id: i64,
    pub course_id: Option<i64>,
    pub instrument: Instrument,
    pub answers: Vec<Option<u8>>,
    pub total: Option<i64>,
    /// The score (`docs/instruments.md`).
    pub score: StoredScore,
    pub source: AssessmentSource,
    pub taken_on: Date,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
}

/// A course.
#[derive(Debug, ToSchema)]
pub struct Course {
    pub id: i64,
    pub clinic_id: i64,
    pub patient_id: i64,
    pub protocol_id: String,
    pub protocol_version: u32,
    pub start_date: Date,
    /// The screening the course started on.
    pub screening_id: Option<i64>,
    /// The clinician's reason for starting on a screening that needed review.
    pub screening_override: Option<String>,
    pub created_by: i64,
    pub created_at: Timestamp,
}

/// A course as staff see it: one course snapshot gives its `summary`, `plan`, `suggestion` and
/// `forecasts`, which therefore agree. `suggestion`, `decisions` and `trajectory` are present
/// for clinical roles only; front desk sees sessions without their clinical records.
#[derive(Debug, ToSchema)]
pub struct CourseView {
    pub course: Course,
    pub protocol_title: String,
    /// The protocol's route of administration.
    pub route: Route,
    pub sessions: Vec<TreatmentSession>,
    /// The next session's day: the first booked one from today, else the plan's.
    pub next_due: Option<Date>,
    /// Whether that session is booked.
    pub next_booked: bool,
    /// Clinical roles only (front desk sees bookings, not plans).
    #[schema(required = false)]
    pub summary: Option<CourseSummary>,
    /// The dated plan from today (`docs/protocols.md`); clinical roles only.
    #[schema(required = false)]
    pub plan: Option<Plan>,
    /// The engine's suggestion (clinical roles only).
    pub suggestion: Option<CourseReview>,
    /// Low / expected / high sessions and cost over 26 and 52 weeks.
    pub forecasts: Vec<Forecast>,
    /// Recorded decisions (clinical roles only).
    pub decisions: Option<Vec<DecisionRecord>>,
    /// What the protocol says to collect that is not yet collected, soonest first.
    pub due_assessments: Vec<DueAssessment>,
    /// The outcome instrument, its baseline and the protocol's lines (clinical roles only).
    pub trajectory: Option<TrajectoryFacts>,
    /// The patient's REMS enrolment, if recorded (clinical roles only).
    #[schema(required = false)]
    pub rems_enrolment: Option<RemsEnrolment>,
}

/// Where a course stands, as the plan, the suggestion and the forecast each state it.
#[derive(Debug, ToSchema)]
pub struct CourseSummary {
    pub phase: CoursePhase,
    /// Induction sessions given.
    pub induction_done: u32,
    /// Induction sessions due (the protocol's plus extensions).
    pub induction_target: u32,
    /// The maintenance interval in force, in weeks.
    pub interval_weeks: u16,
    /// The next session's day: the first booked one from today, else the planner's.
    pub next_due: Option<Date>,
    /// Whether that session is booked.
    pub next_booked: bool,
}

/// A course's phase.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum CoursePhase {
    Induction,
    Maintenance,
    Paused,
    Discontinued,
}

/// The dated plan.
#[derive(Debug, ToSchema)]
pub struct Plan {
    pub course: CourseSummary,
    /// Completed, booked, then planned sessions, in date order.
    pub sessions: Vec<PlannedSession>,
    /// Review points, in date order.
    pub reviews: Vec<ReviewPoint>,
    /// What the clinic should know, in plain words.
    pub warnings: Vec<String>,
}

/// One session of the plan.
#[derive(Debug, ToSchema)]
pub struct PlannedSession {
    pub number: u32,
    pub kind: SessionKind,
    pub date: Date,
    pub status: PlanState,
    /// For maintenance: the nominal weeks from the previous session.
    pub interval_weeks: Option<u16>,
    /// Why a booked day departs from the plan.
    pub booking_reason: Option<String>,
}

/// A session's kind in a course.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SessionKind {
    Induction,
    Maintenance,
    Booster,
}

/// Where a plan's session comes from.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum PlanState {
    Completed,
    Booked,
    Planned,
}

/// A dated review point.
#[derive(Debug, ToSchema)]
pub struct ReviewPoint {
    pub kind: ReviewPointKind,
    pub date: Date,
}

/// What kind of review point.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ReviewPointKind {
    EarlyCheck,
    EndOfInductionReview,
    Reassessment,
}

/// The engine's one suggested next step (`docs/protocols.md`).
#[derive(Debug, ToSchema)]
pub struct CourseReview {
    pub course: CourseSummary,
    pub suggestion: SuggestionId,
    /// Why, each citing the protocol rule that fired.
    pub reasons: Vec<SuggestionReason>,
    /// The latest score of the outcome instrument against its baseline.
    pub outcome: Option<Outcome>,
}

/// What the engine suggests.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SuggestionId {
    Continue,
    HoldForReview,
    ExtendInduction,
    StartMaintenance,
    Discontinue,
    LengthenInterval,
    ShortenInterval,
    Booster,
}

/// One reason behind a suggestion.
#[derive(Debug, ToSchema)]
pub struct SuggestionReason {
    /// Stable snake_case code.
    pub code: String,
    /// The protocol rule (a dotted key) that fired.
    pub rule: String,
    pub message: String,
}

/// A score against its baseline.
#[derive(Debug, ToSchema)]
pub struct Outcome {
    pub instrument: Instrument,
    pub baseline: u16,
    pub current: u16,
    pub change: i32,
    pub percent_change: Option<f64>,
    pub response: bool,
    pub partial_response: bool,
    pub remission: Option<bool>,
    pub reliable_change: Option<ReliableChange>,
    /// The Jacobson-Truax index, when that rule is used.
    #[schema(required = false)]
    pub rci: Option<f64>,
    pub status: OutcomeStatus,
}

/// Reliable change.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ReliableChange {
    Improved,
    Deteriorated,
    NoReliableChange,
}

/// One summary of an outcome.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum OutcomeStatus {
    NonResponse,
    PartialResponse,
    Response,
    Remission,
}

/// How many treatments lie ahead over one horizon.
#[derive(Debug, ToSchema)]
pub struct Forecast {
    pub course: CourseSummary,
    pub horizon_weeks: u16,
    pub remaining_induction: SessionRange,
    pub maintenance: SessionRange,
    pub total: SessionRange,
    /// What the low figure stands for.
    pub low_means: String,
    /// With a price list only.
    #[schema(required = false)]
    pub cost: Option<CostRange>,
    /// In plain words, for patients.
    pub assumptions: Vec<String>,
}

/// Sessions as a range.
#[derive(Debug, ToSchema)]
pub struct SessionRange {
    pub low: u32,
    pub expected: u32,
    pub high: u32,
}

/// A cost range.
#[derive(Debug, ToSchema)]
pub struct CostRange {
    pub currency: String,
    pub low: f64,
    pub expected: f64,
    pub high: f64,
}

/// What the chart's trajectory draws.
#[derive(Debug, ToSchema)]
pub struct TrajectoryFacts {
    pub instrument: Instrument,
    /// The baseline total (the last score before the first dose, within the protocol's window).
    pub baseline: Option<u16>,
    pub response_percent: u8,
    pub remission_at_most: Option<u16>,
}

/// An instrument the course's protocol says to collect (`docs/protocols.md`, "Assessments
/// due").
#[derive(Debug, ToSchema)]
pub struct DueAssessment {
    pub instrument: Instrument,
    pub reason: DueReason,
    /// The day it is due.
    pub due_on: Date,
    /// Whether that day has passed without it.
    pub overdue: bool,
}

/// Why an assessment is due.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum DueReason {
    Baseline,
    BeforeSession,
    Reassessment,
}

/// A treatment session. The clinical records are `null` until recorded, and always `null`
/// (or empty) for front desk. `pre_checks` is the latest reading, `administration` and
/// `discharge` the ones in force; `entries` is the whole record in order (every reading,
/// corrections with what they correct, addenda, the signature).
#[derive(Debug, ToSchema)]
pub struct TreatmentSession {
    pub id: i64,
    pub clinic_id: i64,
    pub course_id: i64,
    pub patient_id: i64,
    pub scheduled_on: Date,
    /// The booked start, `HH:MM` in the clinic's time zone.
    pub starts_at: String,
    /// The booked length, in minutes.
    pub minutes: i32,
    /// The chair (none for sessions booked before chairs were kept).
    pub chair: Option<i32>,
    pub status: SessionStatus,
    /// Why the booking departs from the plan, when it does.
    pub booking_reason: Option<String>,
    pub pre_checks: Option<Value>,
    pub administration: Option<Value>,
    pub discharge: Option<Value>,
    /// `{kind, reason, ended_at, recorded_by}` when a clinician ended the session exceptionally.
    pub exceptional_end: Option<Value>,
    /// `{signed_by, signed_at}` once signed.
    pub signature: Option<Value>,
    pub entries: Vec<SessionEntry>,
    pub monitoring: Vec<MonitoringEntry>,
    pub updated_at: Timestamp,
}

/// A treatment session with what holds it and its discharge criteria (both empty for front
/// desk, who sees the `held` status only).
#[derive(Debug, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub clinic_id: i64,
    pub course_id: i64,
    pub patient_id: i64,
    pub scheduled_on: Date,
    /// The booked start, `HH:MM` in the clinic's time zone.
    pub starts_at: String,
    /// The booked length, in minutes.
    pub minutes: i32,
    /// The chair (none for sessions booked before chairs were kept).
    pub chair: Option<i32>,
    pub status: SessionStatus,
    pub booking_reason: Option<String>,
    pub pre_checks: Option<Value>,
    pub administration: Option<Value>,
    pub discharge: Option<Value>,
    pub exceptional_end: Option<Value>,
    pub signature: Option<Value>,
    pub entries: Vec<SessionEntry>,
    pub monitoring: Vec<MonitoringEntry>,
    pub updated_at: Timestamp,
    /// What holds the session now: open findings, then failed gates.
    pub holds: Vec<Hold>,
    /// The protocol's discharge criteria on the latest readings.
    pub discharge_criteria: Vec<Criterion>,
    /// The findings raised during this session, open or released.
    pub findings: Vec<Finding>,
    /// The checks that fall due after the dose (empty for front desk).
    pub timers: Vec<Timer>,
    /// The SPRAVATO REMS Patient Monitoring Form summary (esketamine, clinical roles).
    #[schema(required = false)]
    pub rems: Option<RemsSummary>,
}

/// A check that falls due after the dose.
#[derive(Debug, ToSchema)]
pub struct Timer {
    /// What is due, in words ("BP due at").
    pub what: String,
    /// How long after the dose ("(40 min)").
    pub after: String,
    /// When, RFC 3339.
    pub due: String,
    /// `HH:MM` in the clinic.
    pub at: String,
    /// Where it stands, in words.
    pub state: String,
    /// Whether it needs doing now.
    pub now: bool,
}

/// The REMS Patient Monitoring Form, filled from the session record.
#[derive(Debug, ToSchema)]
pub struct RemsSummary {
    /// Every field of the form, in its order.
    pub fields: Vec<RemsField>,
    /// The labels of required fields still missing.
    pub missing: Vec<String>,
    /// Problems with what was recorded (e.g. monitoring under 2 hours).
    pub warnings: Vec<String>,
    /// The in-session alerts of this session.
    pub alerts: Vec<String>,
}

/// One field of the REMS form.
#[derive(Debug, ToSchema)]
pub struct RemsField {
    pub label: String,
    /// `null` while missing.
    pub value: Option<String>,
}

/// One entry of a session's record.
#[derive(Debug, ToSchema)]
pub struct SessionEntry {
    pub id: i64,
    /// `pre_checks`, `administration`, `administration_end`, `discharge`, `exceptional_end`,
    /// `addendum` or `signature`.
    pub kind: String,
    /// The entry's content, in the shape of its kind.
    pub body: Value,
    /// The entry this one corrects.
    pub corrects: Option<i64>,
    /// Why (corrections and addenda).
    pub reason: Option<String>,
    pub recorded_by: i64,
    pub recorded_at: Timestamp,
}

/// One reason a session is held.
#[derive(Debug, ToSchema)]
pub struct Hold {
    pub kind: FindingKind,
    pub label: String,
    /// `high`, `moderate` or `low`.
    pub severity: String,
    pub detail: String,
    /// The stored finding to release; `null` for a gate (release it on the session).
    pub finding_id: Option<i64>,
    pub found_at: Option<Timestamp>,
    /// `false` for a missing REMS enrolment: record the enrolment instead.
    pub releasable: bool,
    /// The protocol rule behind it.
    pub rule: String,
}

/// A discharge criterion and whether it is met (`null`: not yet known).
#[derive(Debug, ToSchema)]
pub struct Criterion {
    pub id: String,
    pub label: String,
    pub met: Option<bool>,
    pub observed: String,
    pub rule: String,
}

/// A safety finding, with its release once a clinician recorded one.
#[derive(Debug, ToSchema)]
pub struct Finding {
    pub id: i64,
    pub clinic_id: i64,
    pub patient_id: i64,
    pub course_id: Option<i64>,
    pub treatment_session_id: Option<i64>,
    pub kind: FindingKind,
    /// `high`, `moderate` or `low`.
    pub severity: String,
    pub detail: String,
    /// `assessment`, `pre_checks`, `monitoring_entry`, `screening`, `gate` or `migrated`.
    pub source: String,
    pub source_id: Option<i64>,
    pub found_at: Timestamp,
    pub recorded_by: Option<i64>,
    pub release: Option<FindingRelease>,
}

/// A clinician's release of a finding.
#[derive(Debug, ToSchema)]
pub struct FindingRelease {
    pub note: String,
    pub decision_id: Option<i64>,
    pub released_by: i64,
    pub released_at: Timestamp,
}

/// A patient's SPRAVATO REMS enrolment.
#[derive(Debug, ToSchema)]
pub struct RemsEnrolment {
    pub patient_id: i64,
    pub rems_patient_id: String,
    pub enrolled_on: Date,
    pub recorded_by: i64,
    pub recorded_at: Timestamp,
}

/// A session ended without a normal discharge, for admins: when, how and by whom (no patient,
/// no reason).
#[derive(Debug, ToSchema)]
pub struct ExceptionalEndSummary {
    pub treatment_session_id: i64,
    /// The session's day.
    pub scheduled_on: Date,
    pub kind: ExceptionalEnd,
    pub ended_at: Timestamp,
    /// The clinician who recorded it.
    pub recorded_by: i64,
}

/// A safety finding's kind (`docs/protocols.md`, "Safety findings and holds").
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum FindingKind {
    SuicideRiskItem,
    CssrsRisk,
    MadrsSuicidalThoughts,
    PreDoseBloodPressure,
    ScreeningNotEligible,
    ScreeningNeedsReview,
    LowOxygenSaturation,
    BloodPressureCrisis,
    DeepSedation,
    RespiratoryRate,
    SuicideScreenMissing,
    RemsEnrolmentMissing,
}

/// How a session ended exceptionally.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ExceptionalEnd {
    TransferredToEmergencyCare,
    LeftAgainstAdvice,
}

/// A timed monitoring entry.
#[derive(Debug, ToSchema)]
pub struct MonitoringEntry {
    pub id: i64,
    pub taken_at: Timestamp,
    pub bp_systolic: Option<u16>,
    pub bp_diastolic: Option<u16>,
    pub heart_rate: Option<u16>,
    pub spo2: Option<u8>,
    pub respiratory_rate: Option<u16>,
    pub moaas: Option<u8>,
    pub cadss: Option<u8>,
    pub adverse_effects: Vec<String>,
    pub recorded_by: i64,
}

/// A recorded decision, with the suggestion shown when it was made.
#[derive(Debug, ToSchema)]
pub struct DecisionRecord {
    pub id: i64,
    pub clinic_id: i64,
    pub course_id: i64,
    pub decision: Decision,
    pub suggestion_shown: Option<String>,
    pub note: Option<String>,
    pub decided_by: i64,
    pub decided_on: Date,
    pub created_at: Timestamp,
}

/// Courses on one protocol.
#[derive(Debug, ToSchema)]
pub struct ProtocolCount {
    pub protocol_id: String,
    pub courses: u64,
}

/// De-identified clinic-level counts: no ids, names or dates.
#[derive(Debug, ToSchema)]
pub struct ResearchSummary {
    pub patients: u64,
    pub courses: u64,
    pub courses_by_protocol: Vec<ProtocolCount>,
}

/// Health: the process answers and storage takes writes. Says nothing about the data.
#[derive(Debug, ToSchema)]
pub struct Health {
    /// `ok`, or `storage_unavailable` (with status 503).
    pub status: String,
}

#[cfg(test)]
mod tests {
    use utoipa::PartialSchema;

    fn variants<T: PartialSchema>() -> Vec<String> {
        let json = serde_json::to_value(T::schema()).unwrap();
        json["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    fn strings<T: std::fmt::Display>(all: impl IntoIterator<Item = T>) -> Vec<String> {
        all.into_iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn described_enums_match_the_real_ones() {
        use cadence_app::records;
        assert_eq!(variants::<super::Role>(), strings(records::Role::ALL));
        assert_eq!(variants::<super::Sex>(), strings(records::Sex::ALL));
        assert_eq!(
            variants::<super::SessionStatus>(),
            strings(records::SessionStatus::ALL)
        );
        assert_eq!(
            variants::<super::AssessmentSource>(),
            strings(records::AssessmentSource::ALL)
        );
        use cadence_clinical::{decision, instrument, route};
        assert_eq!(
            variants::<super::Decision>(),
            serde_names(&decision::Decision::ALL)
        );
        assert_eq!(variants::<super::Route>(), serde_names(&route::Route::ALL));
        assert_eq!(
            variants::<super::FindingKind>(),
            strings(cadence_clinical::safety::FindingKind::ALL.map(|k| k.as_str()))
        );
        assert_eq!(
            variants::<super::Instrument>(),
            serde_names(&instrument::InstrumentId::ALL)
        );
    }

    fn serde_names<T: serde::Serialize>(all: &[T]) -> Vec<String> {
        all.iter()
            .map(|v| {
                serde_json::to_value(v)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }
}

/// The schedule for a day or a week (issue 16 §1).
#[derive(Debug, ToSchema)]
pub struct ScheduleView {
    /// The clinic's today.
    pub today: Date,
    /// The days, in order.
    pub days: Vec<ScheduleDay>,
    /// Chairs the clinic treats in at once.
    pub chairs: i32,
    /// The clinic's session length in minutes (a protocol's observation can lengthen one).
    pub session_minutes: i32,
    /// Every booked session from today that no longer fits.
    pub to_move: Vec<ToMove>,
}

/// One day of the schedule.
#[derive(Debug, ToSchema)]
pub struct ScheduleDay {
    pub date: Date,
    /// Whether the clinic is open that day.
    pub open: bool,
    /// `HH:MM`.
    pub opens: String,
    /// `HH:MM`.
    pub closes: String,
    /// Sessions (cancelled and missed ones too), by start time.
    pub sessions: Vec<ScheduleEntry>,
    /// Start times with a chair free for a session of the clinic's length (none in the past
    /// or on a closed day).
    pub open_slots: Vec<OpenSlot>,
}

/// A session on the schedule.
#[derive(Debug, ToSchema)]
pub struct ScheduleEntry {
    /// The session (front desk: the booking only).
    pub session: TreatmentSession,
    pub patient_id: i64,
    /// Given and family name.
    pub patient_name: String,
    pub mrn: String,
    /// Why it must move, when it no longer fits.
    #[schema(required = false)]
    pub to_move: Option<String>,
}

/// A start time with chairs free.
#[derive(Debug, ToSchema)]
pub struct OpenSlot {
    /// `HH:MM`.
    pub start: String,
    /// Chairs free for a whole session from it.
    pub free_chairs: i32,
}

/// A booked session that no longer fits, for front desk to move.
#[derive(Debug, ToSchema)]
pub struct ToMove {
    pub session_id: i64,
    pub course_id: i64,
    pub patient_id: i64,
    pub patient_name: String,
    /// The booked day.
    pub date: Date,
    /// The booked start, `HH:MM`.
    pub start_time: String,
    /// Why: `{kind}` with `kind` one of `clinic_closed`, `outside_hours`, `course_not_active`,
    /// or `interval_changed` (with `interval_weeks` and `due`, the day the plan now gives).
    pub reason: Value,
    /// Why, in words.
    pub message: String,
}
