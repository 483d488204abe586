//! Problems with a protocol file, and where in the file they are.
//!
//! `cadence protocol check` must say where each problem is, so a clinic can fix its file
//! without guessing: a syntax or type error carries the line and column toml reports; a
//! semantic problem carries its dotted key path (`induction.max_weeks`, `collect[1].when`) and
//! the line of that key, found by scanning the text for the key under its table header. The
//! scan is deliberately simple (no quoted or dotted keys); when it cannot find a key it falls
//! back to the table's header line, then to the path alone.

use std::fmt;

/// One problem with a protocol file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, for syntax and type errors.
    pub column: Option<usize>,
    /// Dotted key path of the offending value, for semantic problems.
    pub path: Option<String>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Problem {
    /// A semantic problem at a key path, line not yet known.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            line: None,
            column: None,
            path: Some(path.into()),
            message: message.into(),
        }
    }
}

/// `line 12, column 3: message`, `line 12 (induction.max_weeks): message` or
/// `induction.max_weeks: message`.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column, &self.path) {
            (Some(l), Some(c), None) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), _, Some(p)) => write!(f, "line {l} ({p}): {}", self.message),
            (Some(l), None, None) => write!(f, "line {l}: {}", self.message),
            (None, _, Some(p)) => write!(f, "{p}: {}", self.message),
            (None, _, None) => f.write_str(&self.message),
        }
    }
}

/// Every problem found in a protocol file (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.problems))]
pub struct ProtocolErrors {
    /// The problems, in file order where lines are known.
    pub problems: Vec<Problem>,
}

/// One problem per line.
fn render(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl ProtocolErrors {
    /// A syntax or type error from toml, with its line and column.
    pub(super) fn from_toml_error(text: &str, e: &toml::de::Error) -> ProtocolErrors {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        ProtocolErrors {
            problems: vec![Problem {
                line,
                column,
                path: None,
                message: e.message().trim().to_owned(),
            }],
        }
    }

    /// Semantic problems, each given the line of its key, sorted by line (stable).
    pub(super) fn located(text: &str, problems: Vec<Problem>) -> ProtocolErrors {
        let mut problems: Vec<Problem> = problems
            .into_iter()
            .map(|mut p| {
                if p.line.is_none() {
                    p.line = p.path.as_deref().and_then(|path| find_line(text, path));
                }
                p
            })
            .collect();
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        ProtocolErrors { problems }
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Always false for errors built by this module; here for the `len` convention.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A table header, with the index of the element for `[[array]]` tables.
#[derive(Debug, PartialEq)]
struct Header {
    name: String,
    index: Option<usize>,
}

/// Splits `collect[1]` into `("collect", Some(1))`.
fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (segment, None),
    }
}

/// The 1-based line of a dotted key path, or of its table header, if found.
pub(super) fn find_line(text: &str, path: &str) -> Option<usize> {
    let segments: Vec<&str> = path.split('.').collect();
    // Try the longest table prefix first, then treat shorter prefixes as the table and the next
    // segment as the key (an inline table such as `bp_max = { … }` has no header of its own).
    for key_at in (0..segments.len()).rev() {
        let table = table_of(&segments[..key_at]);
        let (key, _) = split_index(segments[key_at]);
        if let Some(line) = find_key(text, &table, key) {
            return Some(line);
        }
    }
    (1..=segments.len())
        .rev()
        .find_map(|n| find_header(text, &table_of(&segments[..n])))
}

/// The header a list of segments names: `["collect[1]"]` is the second `[[collect]]`.
fn table_of(segments: &[&str]) -> Header {
    let mut index = None;
    let names: Vec<&str> = segments
        .iter()
        .map(|s| {
            let (name, i) = split_index(s);
            index = i;
            name
        })
        .collect();
    Header {
        name: names.join("."),
        index,
    }
}

/// Walks the lines, yielding each line's number, its text and the header it falls under.
fn walk(text: &str) -> impl Iterator<Item = (usize, &str, Header)> {
    let mut current = Header {
        name: String::new(),
        index: None,
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    text.lines().enumerate().map(move |(i, raw)| {
        let line = raw.trim();
        if let Some(name) = line
            .strip_prefix("[[")
            .and_then(|r| r.split("]]").next())
            .map(str::trim)
        {
            let n = match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    counts.push((name.to_owned(), 0));
                    0
                }
            };
            current = Header {
                name: name.to_owned(),
                index: Some(n),
            };
        } else if let Some(name) = line
            .strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .map(str::trim)
        {
            current = Header {
                name: name.to_owned(),
                index: None,
            };
        }
        (
            i + 1,
            line,
            Header {
                name: current.name.clone(),
                index: current.index,
            },
        )
    })
}

/// The line where `key = …` appears under `table`.
fn find_key(text: &str, table: &Header, key: &str) -> Option<usize> {
    walk(text)
        .find(|(_, line, header)| {
            header_matches(header, table)
                && line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|(n, _, _)| n)
}

/// The line of a table's own header.
fn find_header(text: &str, table: &Header) -> Option<usize> {
    if table.name.is_empty() {
        return None;
    }
    walk(text)
        .find(|(_, line, header)| line.starts_with('[') && header_matches(header, table))
        .map(|(n, _, _)| n)
}

/// Whether a header is the table a path names (an unindexed path matches any element).
fn header_matches(header: &Header, table: &Header) -> bool {
    header.name == table.name && (table.index.is_none() || header.index == table.index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "id = \"x\"\n\
                        [induction]\n\
                        sessions = 6\n\
                        max_weeks = 1\n\
                        [safety]\n\
                        bp_max = { systolic = 300, diastolic = 90 }\n\
                        [maintenance]\n\
                        sessions = 2\n\
                        [maintenance.initial]\n\
                        weeks = 4\n\
                        [[collect]]\n\
                        when = \"baseline\"\n\
                        [[collect]]\n\
                        when = \"baseline\"\n";

    #[test]
    fn keys_are_found_under_their_own_table() {
        assert_eq!(find_line(TEXT, "id"), Some(1));
        assert_eq!(find_line(TEXT, "induction.sessions"), Some(3));
        assert_eq!(find_line(TEXT, "maintenance.sessions"), Some(8));
        assert_eq!(find_line(TEXT, "induction.max_weeks"), Some(4));
        assert_eq!(find_line(TEXT, "maintenance.initial.weeks"), Some(10));
    }

    #[test]
    fn inline_tables_and_array_elements_are_found() {
        assert_eq!(find_line(TEXT, "safety.bp_max.systolic"), Some(6));
        assert_eq!(find_line(TEXT, "collect[0].when"), Some(12));
        assert_eq!(find_line(TEXT, "collect[1].when"), Some(14));
        assert_eq!(find_line(TEXT, "collect[1]"), Some(13));
    }

    #[test]
    fn a_missing_key_falls_back_to_its_table_header() {
        assert_eq!(find_line(TEXT, "safety.source"), Some(5));
        assert_eq!(find_line(TEXT, "reassessment.every_weeks"), None);
    }

    #[test]
    fn problems_display_with_their_location() {
        let p = Problem {
            line: Some(12),
            column: None,
            path: Some("induction.max_weeks".into()),
            message: "too short".into(),
        };
        assert_eq!(p.to_string(), "line 12 (induction.max_weeks): too short");
        let syntax = Problem {
            line: Some(3),
            column: Some(7),
            path: None,
            message: "invalid".into(),
        };
        assert_eq!(syntax.to_string(), "line 3, column 7: invalid");
        assert_eq!(Problem::at("id", "bad").to_string(), "id: bad");
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é\nx", 3), (2, 1));
    }
}
