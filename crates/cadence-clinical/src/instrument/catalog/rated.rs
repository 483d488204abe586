//! Rated instruments: MADRS, CADSS and the C-SSRS screener (a clinician asks or rates), and the
//! MOAA/S (an observer rates sedation during a session).

use super::{band, item};
use crate::instrument::{Asked, Definition, InstrumentId, Item, Licence, Rater, ScoringRule};

pub(super) static MADRS: Definition = Definition {
    id: InstrumentId::Madrs,
    title: "Montgomery-Åsberg Depression Rating Scale",
    version: "MADRS (Montgomery & Åsberg 1979), 10 items",
    rater: Rater::Clinician,
    stem: None,
    items: &[
        item("item1", "Apparent sadness"),
        item("item2", "Reported sadness"),
        item("item3", "Inner tension"),
        item("item4", "Reduced sleep"),
        item("item5", "Reduced appetite"),
        item("item6", "Concentration difficulties"),
        item("item7", "Lassitude"),
        item("item8", "Inability to feel"),
        item("item9", "Pessimistic thoughts"),
        item("item10", "Suicidal thoughts"),
    ],
    item_min: 0,
    item_max: 6,
    options: &[],
    recall: "UNCONFIRMED (commonly the past week; a 24-hour variant exists [MADRS-24HR])",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 60)),
    // Snaith 1986 cut points [SNAITH-VIA-TRANSLATION], [WIKI-MADRS].
    bands: &[
        band("normal", "Normal / absent", 0, 6),
        band("mild", "Mild", 7, 19),
        band("moderate", "Moderate", 20, 34),
        band("severe", "Severe", 35, 60),
    ],
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Copyrighted; CamCOPS records that permission to include it was refused, so only item labels ship [CAMCOPS-MISSING].",
    },
    source: "Sum of 10 items rated 0-6, 0-60 [MEDDATAX-NCT04599855]; bands 0-6/7-19/20-34/35-60 (Snaith 1986) [SNAITH-VIA-TRANSLATION].",
};

pub(super) static CADSS: Definition = Definition {
    id: InstrumentId::Cadss,
    title: "Clinician-Administered Dissociative States Scale",
    version: "CADSS, 23-item version used in ketamine and esketamine studies",
    rater: Rater::Clinician,
    stem: None,
    items: &[
        item("item1", "CADSS item 1"),
        item("item2", "CADSS item 2"),
        item("item3", "CADSS item 3"),
        item("item4", "CADSS item 4"),
        item("item5", "CADSS item 5"),
        item("item6", "CADSS item 6"),
        item("item7", "CADSS item 7"),
        item("item8", "CADSS item 8"),
        item("item9", "CADSS item 9"),
        item("item10", "CADSS item 10"),
        item("item11", "CADSS item 11"),
        item("item12", "CADSS item 12"),
        item("item13", "CADSS item 13"),
        item("item14", "CADSS item 14"),
        item("item15", "CADSS item 15"),
        item("item16", "CADSS item 16"),
        item("item17", "CADSS item 17"),
        item("item18", "CADSS item 18"),
        item("item19", "CADSS item 19"),
        item("item20", "CADSS item 20"),
        item("item21", "CADSS item 21"),
        item("item22", "CADSS item 22"),
        item("item23", "CADSS item 23"),
    ],
    item_min: 0,
    item_max: 4,
    options: &["Normal", "", "", "", "Severe"],
    recall: "the current session (state measure)",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 92)),
    bands: &[],
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Licence UNCONFIRMED: item content is not shipped; items are numbered only.",
    },
    source: "23 items rated 0-4, sum 0-92 [NCT04226963]; total > 4 = dissociative change present, as in the esketamine programme [JNJ-DISSOC]; rate about 40 min after dosing [WILLIAMSON-CADSS].",
};

pub(super) static MOAAS: Definition = Definition {
    id: InstrumentId::Moaas,
    title: "Modified Observer's Assessment of Alertness/Sedation",
    version: "MOAA/S 0-5 (Chernik et al. 1990); not the shifted 1-6 variant [ASJA-MOAAS]",
    rater: Rater::Observer,
    stem: None,
    items: &[item("item1", "Responsiveness level")],
    item_min: 0,
    item_max: 5,
    // Summaries of the levels [THORAX-MOAAS].
    options: &[
        "0: no response to a painful stimulus",
        "1: no response to mild prodding or shaking",
        "2: responds only after mild prodding or shaking",
        "3: responds only when name is called loudly or repeatedly",
        "4: lethargic response to name in normal tone",
        "5: responds readily to name in normal tone",
    ],
    recall: "at the time of rating",
    scoring: ScoringRule::Level,
    total_range: Some((0, 5)),
    // 5 alert; 4 mild sedation; <= 3 moderate or deeper [JNJ-SEDATION].
    bands: &[
        band("moderate_or_deeper", "Moderate or deeper sedation", 0, 3),
        band("mild", "Mild sedation", 4, 4),
        band("none", "No sedation", 5, 5),
    ],
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Published scale (Chernik 1990); terms UNCONFIRMED, so level summaries only [THORAX-MOAAS].",
    },
    source: "A single observed level 0-5 [THORAX-MOAAS]; <= 3 = moderate or deeper sedation [JNJ-SEDATION].",
};

pub(super) static CSSRS: Definition = Definition {
    id: InstrumentId::CssrsScreen,
    title: "Columbia Suicide Severity Rating Scale, Screener (Recent)",
    version: "C-SSRS Screen Version - Recent",
    rater: Rater::Clinician,
    stem: None,
    items: &[
        Item {
            key: "q1",
            label: "Wish to be dead (past month)",
            text: None,
            loinc: None,
            asked: Asked::Always,
        },
        Item {
            key: "q2",
            label: "Suicidal thoughts (past month)",
            text: None,
            loinc: None,
            asked: Asked::Always,
        },
        Item {
            key: "q3",
            label: "Thoughts of a method, no intent (past month)",
            text: None,
            loinc: None,
            asked: Asked::WhenYes(2),
        },
        Item {
            key: "q4",
            label: "Suicidal intent (past month)",
            text: None,
            loinc: None,
            asked: Asked::WhenYes(2),
        },
        Item {
            key: "q5",
            label: "Plan with intent (past month)",
            text: None,
            loinc: None,
            asked: Asked::WhenYes(2),
        },
        Item {
            key: "q6",
            label: "Suicidal behaviour (lifetime)",
            text: None,
            loinc: None,
            asked: Asked::Always,
        },
        Item {
            key: "q6a",
            label: "Suicidal behaviour within the past 3 months",
            text: None,
            loinc: None,
            asked: Asked::WhenYes(6),
        },
    ],
    item_min: 0,
    item_max: 1,
    options: &["No", "Yes"],
    recall: "past month (ideation); lifetime and past 3 months (behaviour)",
    scoring: ScoringRule::CssrsRisk,
    total_range: None,
    bands: &[],
    // Panel 93373-9 and item codes 93246-7... are seen only in the SPiER FHIR artefacts [S]
    // [SPIER-CSSRS-JSON]; not confirmed, so not shipped.
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Copyright 2008 RFMH (Posner et al.); free for providers' EHRs but electronic implementations are licensed via Clario, so the route for open source is unresolved: wording is not shipped [CSSRS-TRIAGE], [CLARIO-CSSRS].",
    },
    source: "Flow and risk ladder [RULA-CSSRS], [CSSRS-TRIAGE], [SPIER-CSSRS-FSH]; yes answers are never summed.",
};
