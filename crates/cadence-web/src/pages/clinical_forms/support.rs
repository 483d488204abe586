//! Small helpers the clinical pages share: reading submitted forms (repeated keys included),
//! turning service errors into pages (a refusal by the permission matrix is audited as
//! `denied`, as the API does), and showing times in the clinic's time zone.

use crate::AppState;
use crate::pages::{PageAuth, PageError};
use cadence_app::AppError;
use cadence_app::audit::{AuditAction, ObjectType};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// A submitted form as its name/value pairs, in order (checkbox groups repeat a name, which a
/// plain struct cannot hold).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, trimmed; `None` when absent or blank.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first value as typed (untrimmed), or `""`.
    pub(crate) fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every non-blank value of a field.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Whether a checkbox was ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The CSRF token the form carried.
    pub(crate) fn csrf(&self) -> &str {
        self.get("csrf_token").unwrap_or_default()
    }

    /// An optional number; a value that is not one is a message naming the field.
    pub(crate) fn number<T: std::str::FromStr>(
        &self,
        name: &str,
        what: &str,
    ) -> Result<Option<T>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| format!("{what} must be a whole number (got `{v}`)")),
        }
    }

    /// A required number.
    pub(crate) fn required<T: std::str::FromStr>(
        &self,
        name: &str,
        what: &str,
    ) -> Result<T, String> {
        self.number(name, what)?
            .ok_or_else(|| format!("{what} is required"))
    }

    /// An optional decimal (doses).
    pub(crate) fn decimal(&self, name: &str, what: &str) -> Result<Option<f64>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| format!("{what} must be a number (got `{v}`)")),
        }
    }
}

/// A service error as a page; a refusal by the permission matrix is written to the audit log
/// as `denied` first (ASVS 16.3.2), like the API's.
pub(crate) async fn fail(
    state: &AppState,
    auth: &PageAuth,
    route: &str,
    err: AppError,
) -> PageError {
    if let AppError::Forbidden(_) = err {
        let action = if route.starts_with("GET ") {
            AuditAction::Read
        } else {
            AuditAction::Create
        };
        if let Err(e) = state
            .app
            .record_denied(
                auth.actor(),
                action,
                ObjectType::Route,
                Some(route.to_owned()),
            )
            .await
        {
            tracing::error!(error = %e, "could not audit a denied page request");
        }
    }
    PageError::from_app(err, auth.chrome.clone())
}

/// `HH:MM` in the clinic's time zone.
pub(crate) fn clock(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// The date and `HH:MM` in the clinic's time zone.
pub(crate) fn date_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A time of day typed into a form (`HH:MM`) on `date` in the clinic's time zone.
pub(crate) fn parse_clock(text: &str, date: Date, tz: &TimeZone) -> Result<Timestamp, String> {
    let time: jiff::civil::Time = text
        .parse()
        .map_err(|_| format!("`{text}` is not a time of day (HH:MM)"))?;
    date.to_datetime(time)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| format!("`{text}` cannot be placed on {date}: {e}"))
}

/// Whole years from `birth` to `today`.
pub(crate) fn age_on(birth: Date, today: Date) -> i16 {
    let before_birthday = (today.month(), today.day()) < (birth.month(), birth.day());
    today.year() - birth.year() - i16::from(before_birthday)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn repeated_fields_and_blanks() {
        let f = Fields(vec![
            ("c".into(), "a".into()),
            ("c".into(), " ".into()),
            ("c".into(), "b".into()),
            ("n".into(), " 12 ".into()),
            ("x".into(), "twelve".into()),
        ]);
        assert_eq!(f.all("c"), ["a", "b"]);
        assert_eq!(f.number::<u16>("n", "n").unwrap(), Some(12));
        assert!(
            f.number::<u16>("x", "Heart rate")
                .unwrap_err()
                .contains("Heart rate")
        );
        assert_eq!(f.number::<u16>("missing", "m").unwrap(), None);
        assert!(f.required::<u16>("missing", "Systolic").is_err());
        assert!(!f.checked("missing"));
    }

    #[test]
    fn ages_count_birthdays() {
        assert_eq!(age_on(date(1980, 5, 17), date(2026, 5, 16)), 45);
        assert_eq!(age_on(date(1980, 5, 17), date(2026, 5, 17)), 46);
    }

    #[test]
    fn clock_times_are_in_the_clinic_zone() {
        let tz = TimeZone::get("Europe/Paris").unwrap();
        let at = parse_clock("09:30", date(2026, 3, 2), &tz).unwrap();
        assert_eq!(at.to_string(), "2026-03-02T08:30:00Z");
        assert_eq!(clock(at, &tz), "09:30");
        assert!(parse_clock("25:00", date(2026, 3, 2), &tz).is_err());
    }
}

/// A message as clinicians read it, and the citation keys it carried (`[PI-2019-P2]`), which
/// the page shows behind a "source" disclosure (issue 16 §6).
pub(crate) fn without_citations(message: &str) -> (String, Vec<String>) {
    let mut text = String::with_capacity(message.len());
    let mut keys = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let key = &rest[open + 1..close];
        let is_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if is_key {
            // The key goes, with the space before it.
            text.push_str(rest[..open].trim_end_matches(' '));
            keys.push(key.to_owned());
        } else {
            text.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    text.push_str(rest);
    // Commas left between removed keys ("esketamine, ." or "esketamine,.") go too.
    let mut tidy = text;
    for (from, to) in [
        (", ,", ","),
        (",,", ","),
        (", .", "."),
        (",.", "."),
        (", ;", ";"),
    ] {
        while tidy.contains(from) {
            tidy = tidy.replace(from, to);
        }
    }
    (tidy.trim_end_matches([',', ' ']).to_owned(), keys)
}

#[cfg(test)]
mod citation_tests {
    use super::without_citations;

    #[test]
    fn citation_keys_go_behind_the_source() {
        let (t, k) = without_citations(
            "Aneurysm is a label contraindication to esketamine [PI-2019-P2], [USMED-ISI].",
        );
        assert_eq!(t, "Aneurysm is a label contraindication to esketamine.");
        assert_eq!(k, ["PI-2019-P2", "USMED-ISI"]);
        let (t, k) = without_citations("Caution [JNJ-BP] — clinician review.");
        assert_eq!(t, "Caution — clinician review.");
        assert_eq!(k, ["JNJ-BP"]);
        let (t, k) = without_citations("A note [with words] stays.");
        assert_eq!(t, "A note [with words] stays.");
        assert!(k.is_empty());
    }
}
