//! Vital signs in records: typed ([`BloodPressure`] readings, [`Spo2`]), stored and served in
//! the shape they have always had (`bp_systolic`, `bp_diastolic`, `spo2` as plain numbers),
//! so stored session entries and API clients are unaffected. Decoding checks plausibility
//! ([`BloodPressure::reading`], [`Spo2::new`]) like every write does.

use super::{BloodPressure, Spo2};
use crate::StoreError;

/// A monitoring entry's blood pressure from its two stored columns: both or neither, and a
/// plausible reading ([`BloodPressure::reading`]); anything else was not written by Cadence.
pub fn stored_blood_pressure(
    systolic: Option<u16>,
    diastolic: Option<u16>,
) -> Result<Option<BloodPressure>, StoreError> {
    match (systolic, diastolic) {
        (Some(s), Some(d)) => BloodPressure::reading(s, d)
            .map(Some)
            .map_err(|_| StoreError::other("columns bp_systolic, bp_diastolic hold no reading")),
        (None, None) => Ok(None),
        _ => Err(StoreError::other(
            "columns bp_systolic, bp_diastolic hold half a reading",
        )),
    }
}

/// A monitoring entry's SpO2 from its stored column (a plausible reading, or nothing).
pub fn stored_spo2(percent: Option<u8>) -> Result<Option<Spo2>, StoreError> {
    percent
        .map(Spo2::new)
        .transpose()
        .map_err(|_| StoreError::other("column spo2 holds no reading"))
}

/// A reading's blood pressure as the two JSON fields records have always had, `bp_systolic`
/// and `bp_diastolic` (stored session entries and the API keep their shape), checked on the
/// way in.
pub(super) mod bp_fields {
    use cadence_clinical::history::BloodPressure;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wire {
        bp_systolic: u16,
        bp_diastolic: u16,
    }

    pub(in crate::records) fn serialize<S: Serializer>(
        bp: &BloodPressure,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        Wire {
            bp_systolic: bp.systolic,
            bp_diastolic: bp.diastolic,
        }
        .serialize(s)
    }

    pub(in crate::records) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BloodPressure, D::Error> {
        let w = Wire::deserialize(d)?;
        BloodPressure::reading(w.bp_systolic, w.bp_diastolic).map_err(serde::de::Error::custom)
    }
}

/// [`bp_fields`] for a reading that may not have been taken: both fields or neither (`null`
/// when not taken, as always).
pub(super) mod optional_bp_fields {
    use cadence_clinical::history::BloodPressure;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wire {
        bp_systolic: Option<u16>,
        bp_diastolic: Option<u16>,
    }

    pub(in crate::records) fn serialize<S: Serializer>(
        bp: &Option<BloodPressure>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        Wire {
            bp_systolic: bp.map(|b| b.systolic),
            bp_diastolic: bp.map(|b| b.diastolic),
        }
        .serialize(s)
    }

    pub(in crate::records) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<BloodPressure>, D::Error> {
        match Wire::deserialize(d)? {
            Wire {
                bp_systolic: Some(s),
                bp_diastolic: Some(d),
            } => BloodPressure::reading(s, d)
                .map(Some)
                .map_err(serde::de::Error::custom),
            Wire {
                bp_systolic: None,
                bp_diastolic: None,
            } => Ok(None),
            _ => Err(serde::de::Error::custom(
                "bp_systolic and bp_diastolic: give both or neither",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MonitoringEntryId;
    use crate::ids::UserId;
    use crate::records::{Discharge, MonitoringEntry, NewMonitoringEntry, PreChecks};
    use serde_json::json;

    fn at() -> jiff::Timestamp {
        "2026-03-02T09:30:00Z".parse().unwrap()
    }

    /// The JSON of stored session entries and of the API, exactly as before the types.
    #[test]
    fn pre_checks_keep_their_json() {
        let stored = json!({
            "identity_confirmed": true,
            "fasting_confirmed": true,
            "transport_arranged": false,
            "bp_systolic": 128,
            "bp_diastolic": 82,
            "heart_rate": 71,
            "spo2": 97,
            "recorded_by": 3,
            "recorded_at": "2026-03-02T09:30:00Z",
        });
        let read: PreChecks = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(read.bp, BloodPressure::reading(128, 82).unwrap());
        assert_eq!(read.spo2, Some(Spo2::new(97).unwrap()));
        assert_eq!(read.recorded_at, at());
        assert_eq!(serde_json::to_value(&read).unwrap(), stored);
    }

    #[test]
    fn discharge_keeps_its_json() {
        let d = Discharge {
            discharged_at: at(),
            moaas: 5,
            bp: BloodPressure::reading(126, 80).unwrap(),
            clinically_stable: true,
            escort_present: true,
            ready_after_minutes: Some(90),
            recorded_by: UserId(3),
        };
        let value = serde_json::to_value(&d).unwrap();
        assert_eq!(
            value,
            json!({
                "discharged_at": "2026-03-02T09:30:00Z",
                "moaas": 5,
                "bp_systolic": 126,
                "bp_diastolic": 80,
                "clinically_stable": true,
                "escort_present": true,
                "ready_after_minutes": 90,
                "recorded_by": 3,
            })
        );
        assert_eq!(serde_json::from_value::<Discharge>(value).unwrap(), d);
    }

    #[test]
    fn monitoring_entries_keep_their_json_with_or_without_a_reading() {
        let entry = |bp, spo2| MonitoringEntry {
            id: MonitoringEntryId(9),
            entry: NewMonitoringEntry {
                taken_at: at(),
                bp,
                heart_rate: None,
                spo2,
                respiratory_rate: None,
                moaas: Some(4),
                cadss: None,
                adverse_effects: vec!["nausea".into()],
                recorded_by: UserId(3),
            },
        };
        let full = entry(BloodPressure::reading(150, 95).ok(), Spo2::new(92).ok());
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            json!({
                "id": 9,
                "taken_at": "2026-03-02T09:30:00Z",
                "bp_systolic": 150,
                "bp_diastolic": 95,
                "heart_rate": null,
                "spo2": 92,
                "respiratory_rate": null,
                "moaas": 4,
                "cadss": null,
                "adverse_effects": ["nausea"],
                "recorded_by": 3,
            })
        );
        let empty = serde_json::to_value(entry(None, None)).unwrap();
        assert_eq!(
            (
                &empty["bp_systolic"],
                &empty["bp_diastolic"],
                &empty["spo2"]
            ),
            (&json!(null), &json!(null), &json!(null))
        );
        let back: NewMonitoringEntry = serde_json::from_value(empty).unwrap();
        assert_eq!((back.bp, back.spo2), (None, None));
    }

    #[test]
    fn implausible_or_half_readings_do_not_decode() {
        let mut body = json!({
            "identity_confirmed": true, "fasting_confirmed": true, "transport_arranged": true,
            "bp_systolic": 82, "bp_diastolic": 128, "heart_rate": null, "spo2": null,
            "recorded_by": 3, "recorded_at": "2026-03-02T09:30:00Z",
        });
        assert!(
            serde_json::from_value::<PreChecks>(body.clone()).is_err(),
            "swapped"
        );
        body["bp_systolic"] = json!(128);
        body["bp_diastolic"] = json!(82);
        body["spo2"] = json!(30);
        assert!(
            serde_json::from_value::<PreChecks>(body).is_err(),
            "spo2 30"
        );
        assert_eq!(stored_blood_pressure(None, None), Ok(None));
        assert!(stored_blood_pressure(Some(120), None).is_err());
        assert!(stored_blood_pressure(Some(400), Some(80)).is_err());
        assert_eq!(stored_spo2(None), Ok(None));
        assert!(matches!(stored_spo2(Some(49)), Err(StoreError::Other(_))));
    }
}
