//! Self-report instruments: PHQ-9, GAD-7, QIDS-SR16, PCL-5 and WSAS (completed by the patient).

use super::{band, item, worded};
use crate::instrument::{
    Asked, Definition, InstrumentId, Item, Licence, Loinc, Rater, ScoringRule,
};

/// PHQ/GAD response options, coded 0-3 [US-CORE-PHQ9], [CALCIPEDIA]. The lowest option is
/// "Not at all" (the GAD-7 "not at all sure" copying error is avoided, [CAMCOPS-GAD7]).
const PHQ_OPTIONS: &[&str] = &[
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
];

pub(super) static PHQ9: Definition = Definition {
    id: InstrumentId::Phq9,
    title: "Patient Health Questionnaire-9",
    version: "PHQ-9 (Kroenke, Spitzer, Williams 2001)",
    rater: Rater::SelfReport,
    stem: Some(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    ),
    items: &[
        worded(
            "item1",
            "Interest or pleasure",
            "Little interest or pleasure in doing things",
            Some("44250-9"),
        ),
        worded(
            "item2",
            "Feeling down",
            "Feeling down, depressed, or hopeless",
            Some("44255-8"),
        ),
        worded(
            "item3",
            "Sleep",
            "Trouble falling or staying asleep, or sleeping too much",
            Some("44259-0"),
        ),
        worded(
            "item4",
            "Energy",
            "Feeling tired or having little energy",
            Some("44254-1"),
        ),
        worded(
            "item5",
            "Appetite",
            "Poor appetite or overeating",
            Some("44251-7"),
        ),
        worded(
            "item6",
            "Feeling bad about yourself",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
            Some("44258-2"),
        ),
        worded(
            "item7",
            "Concentration",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            Some("44252-5"),
        ),
        worded(
            "item8",
            "Moving or speaking slowly, or restless",
            "Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual",
            Some("44253-3"),
        ),
        worded(
            "item9",
            "Thoughts of death or self-harm",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
            Some("44260-8"),
        ),
        Item {
            key: "item10",
            label: "Difficulty (not scored)",
            text: Some(
                "If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?",
            ),
            // 69722-7 is seen only in a secondary source [S]; not shipped.
            loinc: None,
            asked: Asked::OptionalUnscored,
            options: Some(&[
                "Not difficult at all",
                "Somewhat difficult",
                "Very difficult",
                "Extremely difficult",
            ]),
        },
    ],
    item_min: 0,
    item_max: 3,
    options: PHQ_OPTIONS,
    recall: "last 2 weeks",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 27)),
    // Cut points 5/10/15/20 [EMENTAL] (Kroenke 2001, Löwe 2004), [MII-PROMS].
    bands: &[
        band("minimal", "None or minimal", 0, 4),
        band("mild", "Mild", 5, 9),
        band("moderate", "Moderate", 10, 14),
        band("moderately_severe", "Moderately severe", 15, 19),
        band("severe", "Severe", 20, 27),
    ],
    loinc: Some(Loinc {
        panel: "44249-1",
        total: Some("44261-6"),
    }),
    licence: Licence {
        ships_item_text: true,
        note: "Copyright Pfizer; no permission required to reproduce, translate, display or distribute [US-CORE-PHQ9], [CAMCOPS-PHQ9].",
    },
    source: "Sum of items 1-9, 0-27 [CALCIPEDIA], [EMENTAL]; item 10 not scored [KROENKE-2001-SUM]; item 9 > 0 needs same-day clinician review [MII-PROMS], [CALCIPEDIA].",
};

pub(super) static GAD7: Definition = Definition {
    id: InstrumentId::Gad7,
    title: "Generalized Anxiety Disorder-7",
    version: "GAD-7 (Spitzer et al. 2006)",
    rater: Rater::SelfReport,
    stem: Some(
        "Over the last 2 weeks, how often have you been bothered by the following problems?",
    ),
    items: &[
        worded(
            "item1",
            "Nervous",
            "Feeling nervous, anxious, or on edge",
            None,
        ),
        worded(
            "item2",
            "Uncontrolled worry",
            "Not being able to stop or control worrying",
            None,
        ),
        worded(
            "item3",
            "Worrying too much",
            "Worrying too much about different things",
            None,
        ),
        worded("item4", "Trouble relaxing", "Trouble relaxing", None),
        worded(
            "item5",
            "Restless",
            "Being so restless that it is hard to sit still",
            None,
        ),
        worded(
            "item6",
            "Irritable",
            "Becoming easily annoyed or irritable",
            None,
        ),
        worded(
            "item7",
            "Afraid",
            "Feeling afraid, as if something awful might happen",
            Some("69736-7"),
        ),
    ],
    item_min: 0,
    item_max: 3,
    options: PHQ_OPTIONS,
    recall: "last 2 weeks",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 21)),
    // Cut points 5/10/15 [SPITZER-2006-SUM], [MRCPSYCH-GAD7].
    bands: &[
        band("minimal", "Minimal", 0, 4),
        band("mild", "Mild", 5, 9),
        band("moderate", "Moderate", 10, 14),
        band("severe", "Severe", 15, 21),
    ],
    loinc: Some(Loinc {
        panel: "69737-5",
        total: Some("70274-6"),
    }),
    licence: Licence {
        ships_item_text: true,
        note: "Copyright Pfizer; same phqscreeners statement as PHQ-9, no permission needed [CAMCOPS-GAD7].",
    },
    source: "Sum of 7 items, 0-21 [SPITZER-2006-SUM]; no critical items defined.",
};

pub(super) static QIDS_SR16: Definition = Definition {
    id: InstrumentId::QidsSr16,
    title: "Quick Inventory of Depressive Symptomatology, Self-Report (16 items)",
    version: "QIDS-SR16 (Rush et al. 2003)",
    rater: Rater::SelfReport,
    stem: None,
    items: &[
        item("item1", "Falling asleep"),
        item("item2", "Sleep during the night"),
        item("item3", "Waking up too early"),
        item("item4", "Sleeping too much"),
        item("item5", "Feeling sad"),
        item("item6", "Decreased appetite"),
        item("item7", "Increased appetite"),
        item("item8", "Decreased weight (last two weeks)"),
        item("item9", "Increased weight (last two weeks)"),
        item("item10", "Concentration / decision making"),
        item("item11", "View of myself"),
        item("item12", "Thoughts of death or suicide"),
        item("item13", "General interest"),
        item("item14", "Energy level"),
        item("item15", "Feeling slowed down"),
        item("item16", "Feeling restless"),
    ],
    item_min: 0,
    item_max: 3,
    options: &[],
    recall: "last 7 days",
    scoring: ScoringRule::QidsDomains,
    total_range: Some((0, 27)),
    // [IDSQIDS-INTERP], [MILLISECOND-QIDS].
    bands: &[
        band("none", "None", 0, 5),
        band("mild", "Mild", 6, 10),
        band("moderate", "Moderate", 11, 15),
        band("severe", "Severe", 16, 20),
        band("very_severe", "Very severe", 21, 27),
    ],
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Free for clinicians and researchers on paper; terms for embedding in software are UNCONFIRMED, so only short labels ship [DOCSBAY-QIDS].",
    },
    source: "max(1-4) + 5 + max(6-9) + 10 + 11 + 12 + 13 + 14 + max(15,16), 0-27 [MILLISECOND-QIDS], [GUIDELINECENTRAL-QIDS], [RIVET-QIDS]; item 12 > 0 routed to a clinician (design choice consistent with PHQ-9 item 9).",
};

pub(super) static PCL5: Definition = Definition {
    id: InstrumentId::Pcl5,
    title: "PTSD Checklist for DSM-5",
    version: "PCL-5 (Weathers et al. 2013)",
    rater: Rater::SelfReport,
    stem: Some("In the past month, how much were you bothered by:"),
    items: &[
        worded(
            "item1",
            "Intrusive memories",
            "Repeated, disturbing, and unwanted memories of the stressful experience?",
            None,
        ),
        worded(
            "item2",
            "Disturbing dreams",
            "Repeated, disturbing dreams of the stressful experience?",
            None,
        ),
        worded(
            "item3",
            "Reliving",
            "Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?",
            None,
        ),
        worded(
            "item4",
            "Upset at reminders",
            "Feeling very upset when something reminded you of the stressful experience?",
            None,
        ),
        worded(
            "item5",
            "Physical reactions",
            "Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?",
            None,
        ),
        worded(
            "item6",
            "Avoiding memories",
            "Avoiding memories, thoughts, or feelings related to the stressful experience?",
            None,
        ),
        worded(
            "item7",
            "Avoiding reminders",
            "Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?",
            None,
        ),
        worded(
            "item8",
            "Trouble remembering",
            "Trouble remembering important parts of the stressful experience?",
            None,
        ),
        worded(
            "item9",
            "Negative beliefs",
            "Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?",
            None,
        ),
        worded(
            "item10",
            "Blame",
            "Blaming yourself or someone else for the stressful experience or what happened after it?",
            None,
        ),
        worded(
            "item11",
            "Negative feelings",
            "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
            None,
        ),
        worded(
            "item12",
            "Loss of interest",
            "Loss of interest in activities that you used to enjoy?",
            None,
        ),
        worded(
            "item13",
            "Feeling distant",
            "Feeling distant or cut off from other people?",
            None,
        ),
        worded(
            "item14",
            "Trouble with positive feelings",
            "Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?",
            None,
        ),
        worded(
            "item15",
            "Irritability",
            "Irritable behavior, angry outbursts, or acting aggressively?",
            None,
        ),
        worded(
            "item16",
            "Risk taking",
            "Taking too many risks or doing things that could cause you harm?",
            None,
        ),
        worded(
            "item17",
            "Superalert",
            "Being \"superalert\" or watchful or on guard?",
            None,
        ),
        worded("item18", "Jumpy", "Feeling jumpy or easily startled?", None),
        worded(
            "item19",
            "Concentration",
            "Having difficulty concentrating?",
            None,
        ),
        worded(
            "item20",
            "Sleep",
            "Trouble falling or staying asleep?",
            None,
        ),
    ],
    item_min: 0,
    item_max: 4,
    options: &[
        "Not at all",
        "A little bit",
        "Moderately",
        "Quite a bit",
        "Extremely",
    ],
    recall: "past month",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 80)),
    // "No empirically derived severity bands": none are invented [COMORBIDITY-AU].
    bands: &[],
    // The one LOINC total seen (91006-2) comes from a file that mislabels GAD-7: not trusted.
    loinc: None,
    licence: Licence {
        ships_item_text: true,
        note: "A work of the US Government (Weathers et al. 2013), public domain [CAMCOPS-PCL5].",
    },
    source: "Sum 0-80; clusters B 1-5, C 6-7, D 8-14, E 15-20; provisional diagnosis counts items rated >= 2: >= 1 B, >= 1 C, >= 2 D, >= 2 E [AWELL-PCL5], [COMORBIDITY-AU]; probable PTSD at 31-33 [COMORBIDITY-AU].",
};

pub(super) static WSAS: Definition = Definition {
    id: InstrumentId::Wsas,
    title: "Work and Social Adjustment Scale",
    version: "WSAS (Mundt et al. 2002), 5 items",
    rater: Rater::SelfReport,
    stem: None,
    items: &[
        item("item1", "Ability to work"),
        item("item2", "Home management"),
        item("item3", "Social leisure activities"),
        item("item4", "Private leisure activities"),
        item("item5", "Close relationships"),
    ],
    item_min: 0,
    item_max: 8,
    options: &[
        "Not at all impaired",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "Very severely impaired",
    ],
    recall: "UNCONFIRMED",
    scoring: ScoringRule::Sum,
    total_range: Some((0, 40)),
    // Mundt 2002: < 10 subclinical, 10-20 significant impairment, > 20 moderately severe or
    // worse [GREENSPACE-WSAS], [MUNDT-SUM].
    bands: &[
        band("subclinical", "Subclinical", 0, 9),
        band("significant", "Significant impairment", 10, 20),
        band("moderately_severe", "Moderately severe or worse", 21, 40),
    ],
    loinc: None,
    licence: Licence {
        ships_item_text: false,
        note: "Copyright Isaac M. Marks; reproduced by others only with his permission, so only domain labels ship [CAMCOPS-WSAS], [GREENSPACE-WSAS].",
    },
    source: "Sum of 5 items rated 0-8, 0-40 [WSAS-FORM]; the retired / not-working scoring variant is UNCONFIRMED and not applied: all 5 items are required.",
};
