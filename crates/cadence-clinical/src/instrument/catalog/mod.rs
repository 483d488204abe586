//! The instrument catalogue: every instrument described once, as data, with its sources.
//!
//! Source keys refer to `../shared/reference/clinical.md` section 1. Item wording is shipped
//! only for PHQ-9 and GAD-7 ("no permission required to reproduce, translate, display or
//! distribute", Pfizer) and PCL-5 (a US-government work, public domain); every other instrument
//! carries short descriptive labels and says why.

mod rated;
mod self_report;

use super::{Asked, Band, Definition, InstrumentId, Item};
use rated::{CADSS, CSSRS, MADRS, MOAAS};
use self_report::{GAD7, PCL5, PHQ9, QIDS_SR16, WSAS};

/// The description of an instrument.
pub fn definition(id: InstrumentId) -> &'static Definition {
    match id {
        InstrumentId::Phq9 => &PHQ9,
        InstrumentId::Gad7 => &GAD7,
        InstrumentId::QidsSr16 => &QIDS_SR16,
        InstrumentId::Pcl5 => &PCL5,
        InstrumentId::Madrs => &MADRS,
        InstrumentId::Wsas => &WSAS,
        InstrumentId::Cadss => &CADSS,
        InstrumentId::Moaas => &MOAAS,
        InstrumentId::CssrsScreen => &CSSRS,
    }
}

pub(super) const fn item(key: &'static str, label: &'static str) -> Item {
    Item {
        key,
        label,
        text: None,
        loinc: None,
        asked: Asked::Always,
        options: None,
    }
}

pub(super) const fn worded(
    key: &'static str,
    label: &'static str,
    text: &'static str,
    loinc: Option<&'static str>,
) -> Item {
    Item {
        key,
        label,
        text: Some(text),
        loinc,
        asked: Asked::Always,
        options: None,
    }
}

pub(super) const fn band(id: &'static str, label: &'static str, min: u16, max: u16) -> Band {
    Band {
        id,
        label,
        min,
        max,
    }
}
