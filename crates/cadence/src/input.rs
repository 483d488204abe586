//! Reading user input: files or stdin, JSON documents, and comma-separated answer lists.

use crate::output::{CliError, invalid};
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// Reads a file, or stdin when the path is `-`.
pub fn read_source(path: &Path) -> Result<String, CliError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| invalid(format!("cannot read standard input: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))
}

/// Parses a JSON document, naming the file, line and column of a problem.
pub fn parse_json<T: DeserializeOwned>(text: &str, origin: &Path) -> Result<T, CliError> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{}: {e}", origin.display())))
}

/// Parses `--answers`: comma-separated integers, `-` for an item the flow does not ask.
pub fn parse_answers(list: &str) -> Result<Vec<Option<u8>>, CliError> {
    if list.trim().is_empty() {
        return Err(invalid(
            "--answers is empty: give one value per item, e.g. 1,0,2",
        ));
    }
    list.split(',')
        .enumerate()
        .map(|(i, raw)| {
            let token = raw.trim();
            if token == "-" {
                return Ok(None);
            }
            token.parse::<u8>().map(Some).map_err(|_| {
                invalid(format!(
                    "--answers item {}: `{token}` is not a whole number 0-255 or `-`",
                    i + 1
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_parse_values_and_skips() {
        assert_eq!(
            parse_answers("1, 0,-,3").unwrap(),
            vec![Some(1), Some(0), None, Some(3)]
        );
    }

    #[test]
    fn answers_reject_junk_naming_the_item() {
        let CliError::Invalid(msg) = parse_answers("1,x").unwrap_err() else {
            panic!("expected invalid input")
        };
        assert!(msg.contains("item 2"), "{msg}");
        assert!(parse_answers("1,-1").is_err());
        assert!(parse_answers("").is_err());
        assert!(parse_answers("1,,2").is_err());
    }
}
