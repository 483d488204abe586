//! The screening checklist as rules: for each route, the class and the message of every
//! condition, medication class and derived finding (reference section 4).
//!
//! Esketamine follows its US label and REMS: what the label calls a contraindication is
//! absolute, the rest is relative. For IV and IM racemic ketamine only hypersensitivity is
//! absolute ("esketamine (and ketamine)"). Everything else is relative, including what the
//! reference lists for esketamine only: an unknown risk must reach a clinician, never pass
//! silently, and the message says that no consensus rule was confirmed for the route. Rules the
//! reference gives for IV ketamine are applied to IM ketamine too, with a note that no separate
//! rule was confirmed for IM.

use super::condition::{Condition, MedicationClass};
use super::reason::{Reason, ReasonClass, ReasonCode};
use crate::history::BloodPressure;
use crate::route::Route;

/// Age below which a patient is a minor for the label [PI-2019-P6].
pub(super) const ADULT_AGE_YEARS: u16 = 18;

/// Fewest failed adequate antidepressant trials in the current episode for treatment-resistant
/// depression [SPRAVATO-TRD-CLINIC], [RYBAK-2021].
pub(super) const TRD_MIN_FAILED_TRIALS: u16 = 2;

fn reason(code: ReasonCode, class: ReasonClass, message: String) -> Reason {
    Reason {
        code,
        class,
        message,
    }
}

/// For racemic routes: the clause added to a rule the reference gives for IV ketamine (or for
/// "both" esketamine and IV ketamine) when the route is IM.
fn im_note(route: Route) -> &'static str {
    match route {
        Route::ImKetamine => "; no separate rule confirmed for IM ketamine",
        Route::Esketamine | Route::IvKetamine => "",
    }
}

/// For racemic routes: a rule the reference gives for esketamine only, kept as relative.
fn esketamine_only(route: Route, what: &str, rule: &str, sources: &str) -> String {
    format!(
        "{what}: {rule} for esketamine {sources}; no consensus rule confirmed for {} — clinician \
         review.",
        route.label()
    )
}

/// The reason a checklist condition gives for a route.
pub(super) fn condition(route: Route, c: Condition) -> Reason {
    let (class, message) = match route {
        Route::Esketamine => esketamine_condition(c),
        Route::IvKetamine | Route::ImKetamine => racemic_condition(route, c),
    };
    reason(ReasonCode::Condition(c), class, message)
}

fn esketamine_condition(c: Condition) -> (ReasonClass, String) {
    use ReasonClass::{Absolute, Relative};
    let label = c.label();
    let (class, message) = match c {
        // Label contraindications [PI-2019-P2], [USMED-ISI].
        Condition::AneurysmalVascularDisease => (
            Absolute,
            format!(
                "{label} (thoracic or abdominal aorta, intracranial or peripheral arteries) is a \
                 label contraindication to esketamine [PI-2019-P2], [USMED-ISI]."
            ),
        ),
        Condition::ArteriovenousMalformation
        | Condition::IntracerebralHemorrhageHistory
        | Condition::KetamineHypersensitivity => (
            Absolute,
            format!("{label} is a label contraindication to esketamine [PI-2019-P2], [USMED-ISI]."),
        ),
        // The label contraindicates any condition where a rise in intracranial pressure is a
        // serious risk [JNJ-BP].
        Condition::ElevatedIntracranialPressure => (
            Absolute,
            format!(
                "{label}: the label contraindicates esketamine where a rise in intracranial \
                 pressure is a serious risk [JNJ-BP]."
            ),
        ),
        Condition::UncontrolledHypertension => (
            Relative,
            format!(
                "{label}: esketamine raises blood pressure, so cardiovascular risk factors need a \
                 benefit-risk review [PI-2019-P2], and where a rise in blood pressure is a \
                 serious risk the label contraindicates it [JNJ-BP] — clinician review."
            ),
        ),
        Condition::CardiovascularDisease | Condition::CerebrovascularDisease => (
            Relative,
            format!(
                "{label} raises the risk of blood-pressure-related harm with esketamine: \
                 benefit-risk review before treating [PI-2019-P2]."
            ),
        ),
        Condition::HypertensiveEncephalopathyHistory => (
            Relative,
            format!("{label} calls for caution with esketamine [JNJ-BP] — clinician review."),
        ),
        Condition::Psychosis => (
            Relative,
            format!(
                "{label} excluded patients from the esketamine phase-3 trials: treat only if \
                 benefit outweighs risk [PI-2019-P5], [JNJ-DISSOC]."
            ),
        ),
        Condition::SubstanceUseDisorder => (
            Relative,
            format!(
                "{label} (including alcohol or ketamine misuse) needs careful consideration and \
                 monitoring for abuse and dependence [SPRAVATOHCP-TRD], [MDEDGE-APA]."
            ),
        ),
        Condition::Pregnancy => (
            Relative,
            format!(
                "{label}: esketamine is not recommended (embryo-fetal toxicity); generally do not \
                 treat, and plan contraception [PI-2019-P2], [PI-2019-P21]."
            ),
        ),
        Condition::Breastfeeding => (
            Relative,
            format!("{label}: esketamine is not recommended [PI-2019-P2]."),
        ),
        Condition::HepaticImpairmentModerate => (
            Relative,
            format!(
                "{label}: longer monitoring after esketamine [BUTALBITAL-MONO] (secondary source) \
                 — clinician review."
            ),
        ),
        Condition::HepaticImpairmentSevere => (
            Relative,
            format!(
                "{label}: esketamine is not recommended [BUTALBITAL-MONO] (secondary source) — \
                 clinician review."
            ),
        ),
        Condition::InterstitialCystitis => (
            Relative,
            format!(
                "{label}: monitor urinary symptoms with esketamine [BUTALBITAL-MONO], and the \
                 bladder with repeated ketamine [PSYADVISOR-APA]."
            ),
        ),
    };
    (class, message)
}

fn racemic_condition(route: Route, c: Condition) -> (ReasonClass, String) {
    use ReasonClass::{Absolute, Relative};
    let label = c.label();
    let l = route.label();
    let im = im_note(route);
    let message = match c {
        // "Esketamine (and ketamine)" [PI-2019-P2], [USMED-ISI]: the one absolute reason.
        Condition::KetamineHypersensitivity => {
            return (
                Absolute,
                format!(
                    "{label} rules out {l}: a contraindication for esketamine and ketamine \
                     [PI-2019-P2], [USMED-ISI]."
                ),
            );
        }
        Condition::AneurysmalVascularDisease
        | Condition::ArteriovenousMalformation
        | Condition::IntracerebralHemorrhageHistory => esketamine_only(
            route,
            label,
            "a label contraindication",
            "[PI-2019-P2], [USMED-ISI]",
        ),
        Condition::ElevatedIntracranialPressure => format!(
            "{label}: listed as a caution for IV ketamine, consensus wording unconfirmed \
             (reference section 4), and contraindicated for esketamine where a rise is a serious \
             risk [JNJ-BP]{im} — clinician review."
        ),
        // Caution for IV ketamine [DRORACLE-IV] [S]; consensus wording UNCONFIRMED.
        Condition::UncontrolledHypertension
        | Condition::CardiovascularDisease
        | Condition::CerebrovascularDisease => format!(
            "{label} is a caution for IV ketamine [DRORACLE-IV] (secondary source; consensus \
             wording unconfirmed){im} — clinician review."
        ),
        Condition::HypertensiveEncephalopathyHistory => {
            esketamine_only(route, label, "a caution", "[JNJ-BP]")
        }
        // Applies to both esketamine and ketamine [PI-2019-P5], [JNJ-DISSOC].
        Condition::Psychosis => format!(
            "{label}: treat only if benefit outweighs risk [PI-2019-P5], [JNJ-DISSOC]; the \
             ketamine consensus focuses on a history of psychosis{im} — clinician review."
        ),
        Condition::SubstanceUseDisorder => format!(
            "{label} (including alcohol or ketamine misuse) needs careful consideration and \
             monitoring for abuse and dependence with ketamine [SPRAVATOHCP-TRD], \
             [MDEDGE-APA]{im} — clinician review."
        ),
        Condition::Pregnancy => esketamine_only(
            route,
            label,
            "not recommended (embryo-fetal toxicity)",
            "[PI-2019-P2], [PI-2019-P21]",
        ),
        Condition::Breastfeeding => {
            esketamine_only(route, label, "not recommended", "[PI-2019-P2]")
        }
        Condition::HepaticImpairmentModerate => esketamine_only(
            route,
            label,
            "longer monitoring advised",
            "[BUTALBITAL-MONO] (secondary source)",
        ),
        Condition::HepaticImpairmentSevere => esketamine_only(
            route,
            label,
            "not recommended",
            "[BUTALBITAL-MONO] (secondary source)",
        ),
        // Bladder monitoring with repeated ketamine [PSYADVISOR-APA].
        Condition::InterstitialCystitis => format!(
            "{label}: repeated ketamine calls for bladder monitoring [PSYADVISOR-APA] — \
             clinician review."
        ),
    };
    (Relative, message)
}

/// The reason a concomitant medication class gives for a route: always relative.
pub(super) fn medication(route: Route, m: MedicationClass) -> Reason {
    let label = m.label();
    let message = match (route, m.is_cns_depressant()) {
        // CNS depressants: both routes [PI-2019-P5], [JNJ-PMF-VIDEO].
        (Route::Esketamine, true) => format!(
            "Concomitant {label} use: CNS depressants add to sedation and respiratory depression; \
             monitor closely [PI-2019-P5], [JNJ-PMF-VIDEO]."
        ),
        (Route::IvKetamine | Route::ImKetamine, true) => format!(
            "Concomitant {label} use: CNS depressants add to sedation and respiratory depression \
             with ketamine; monitor closely [PI-2019-P5], [JNJ-PMF-VIDEO]{} — clinician review.",
            im_note(route)
        ),
        // Psychostimulants and MAOIs: esketamine [PMF-MANUALSPRO], [PI-2019-P21].
        (Route::Esketamine, false) => format!(
            "Concomitant {label} use can raise blood pressure with esketamine; monitor closely \
             [PMF-MANUALSPRO], [PI-2019-P21]."
        ),
        (Route::IvKetamine | Route::ImKetamine, false) => esketamine_only(
            route,
            &format!("Concomitant {label} use"),
            "a blood-pressure caution",
            "[PMF-MANUALSPRO], [PI-2019-P21]",
        ),
    };
    reason(ReasonCode::Medication(m), ReasonClass::Relative, message)
}

/// The reason a patient younger than [`ADULT_AGE_YEARS`] gives: absolute for esketamine, which
/// is not approved in paediatrics [PI-2019-P6]; relative for IV and IM ketamine, where no
/// consensus rule was confirmed.
pub(super) fn under_18(route: Route, age_years: u16) -> Reason {
    let (class, message) = match route {
        Route::Esketamine => (
            ReasonClass::Absolute,
            format!("Age {age_years}: esketamine is not approved under 18 [PI-2019-P6]."),
        ),
        Route::IvKetamine | Route::ImKetamine => (
            ReasonClass::Relative,
            format!(
                "Age {age_years}: no approved paediatric use — esketamine is not approved under \
                 18 [PI-2019-P6] and {} for depression is off-label; no consensus rule confirmed \
                 — clinician review.",
                route.label()
            ),
        ),
    };
    reason(ReasonCode::Under18, class, message)
}

/// The reason a pre-treatment reading above the route's threshold gives: relative, decide
/// whether to delay or proceed [JNJ-BP].
pub(super) fn bp_above_threshold(
    route: Route,
    reading: BloodPressure,
    threshold: BloodPressure,
) -> Reason {
    let (s, d) = (reading.systolic, reading.diastolic);
    let (ts, td) = (threshold.systolic, threshold.diastolic);
    let message = match route {
        Route::Esketamine => format!(
            "Pre-treatment blood pressure {s}/{d} mmHg is above the esketamine threshold of \
             {ts}/{td} mmHg: decide whether to delay or proceed [JNJ-BP]."
        ),
        Route::IvKetamine | Route::ImKetamine => format!(
            "Pre-treatment blood pressure {s}/{d} mmHg is above the clinic's {} threshold of \
             {ts}/{td} mmHg (the consensus cut-offs are unconfirmed, so the clinic sets it): \
             decide whether to delay or proceed — clinician review.",
            route.label()
        ),
    };
    reason(ReasonCode::BpAboveThreshold, ReasonClass::Relative, message)
}

/// The reason fewer than [`TRD_MIN_FAILED_TRIALS`] failed adequate trials give: relative, the
/// patient may not have treatment-resistant depression [SPRAVATO-TRD-CLINIC], [RYBAK-2021].
pub(super) fn trd_criteria_not_met(failed_trials: u16) -> Reason {
    let trials = if failed_trials == 1 {
        "trial"
    } else {
        "trials"
    };
    reason(
        ReasonCode::TrdCriteriaNotMet,
        ReasonClass::Relative,
        format!(
            "{failed_trials} failed adequate antidepressant {trials} in this episode: \
             treatment-resistant depression is usually defined by at least \
             {TRD_MIN_FAILED_TRIALS} [SPRAVATO-TRD-CLINIC], [RYBAK-2021] — clinician review."
        ),
    )
}

/// The programme reason for an esketamine patient not enrolled in the REMS, which must happen
/// before the first dose [FDA-REMS], [SPRAVATOREMS-OUT].
pub(super) fn rems_not_enrolled() -> Reason {
    reason(
        ReasonCode::RemsNotEnrolled,
        ReasonClass::Programme,
        "Not enrolled in the SPRAVATO REMS: enrol the patient before the first esketamine dose \
         [FDA-REMS], [SPRAVATOREMS-OUT]."
            .to_owned(),
    )
}
