//! Turning label values into the positive/negative decision.
//!
//! Values are compared after trimming surrounding whitespace and ignoring case. The positive label is the one
//! named with `--positive`; without it, it can only be inferred from `1`/`0` or `true`/`false`.

use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// Labels turned into booleans, with the names of both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLabels {
    /// `true` for positive rows.
    pub targets: Vec<bool>,
    /// The positive label, as given (or inferred).
    pub positive: String,
    /// The other label values seen, in sorted order.
    pub negatives: Vec<String>,
}

fn key(label: &str) -> String {
    label.trim().to_lowercase()
}

/// A short list of the values found with their counts, for messages.
fn describe(counts: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = counts.iter().take(12).map(|(v, n)| format!("'{v}' ({n} rows)")).collect();
    if counts.len() > 12 {
        parts.push(format!("and {} more", counts.len() - 12));
    }
    parts.join(", ")
}

/// Resolves raw `labels` against `positive` (or infers it). `source` names the input in messages.
pub fn resolve_labels(labels: &[String], positive: Option<&str>, source: &str) -> Result<ResolvedLabels> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for l in labels {
        *counts.entry(key(l)).or_default() += 1;
    }
    let positive = match positive {
        Some(p) => {
            if !counts.contains_key(&key(p)) {
                return Err(Error::Usage(format!(
                    "{source}: no row has the label '{p}'; the labels found are {}. Pass one of them with --positive",
                    describe(&counts)
                )));
            }
            p.trim().to_string()
        }
        None => {
            let keys: Vec<&str> = counts.keys().map(String::as_str).collect();
            match keys.as_slice() {
                ["0", "1"] | ["1"] | ["0"] => "1".to_string(),
                ["false", "true"] | ["true"] | ["false"] => "true".to_string(),
                _ => {
                    return Err(Error::Usage(format!(
                        "{source}: cannot tell which label is the flagged class; the labels found are {}. \
                         Name it with --positive LABEL",
                        describe(&counts)
                    )))
                }
            }
        }
    };
    let pk = key(&positive);
    let negatives: Vec<String> = counts.keys().filter(|k| **k != pk).cloned().collect();
    let targets = labels.iter().map(|l| key(l) == pk).collect();
    Ok(ResolvedLabels { targets, positive, negatives })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn infers_numeric_and_boolean() {
        let r = resolve_labels(&strings(&["1", "0", " 1 "]), None, "f").expect("resolve");
        assert_eq!(r.targets, [true, false, true]);
        assert_eq!(r.positive, "1");
        assert_eq!(r.negatives, ["0"]);
        let r = resolve_labels(&strings(&["True", "false"]), None, "f").expect("resolve");
        assert_eq!(r.targets, [true, false]);
    }

    #[test]
    fn named_positive_is_case_and_space_insensitive() {
        let r = resolve_labels(&strings(&["propaganda", "non-propaganda", "Propaganda "]), Some("propaganda"), "f")
            .expect("resolve");
        assert_eq!(r.targets, [true, false, true]);
        assert_eq!(r.negatives, ["non-propaganda"]);
    }

    #[test]
    fn errors_list_the_labels_found() {
        let err = resolve_labels(&strings(&["propaganda", "non-propaganda"]), None, "train.csv")
            .expect_err("ambiguous")
            .to_string();
        assert!(err.contains("'non-propaganda' (1 rows)") && err.contains("--positive"), "{err}");
        let err = resolve_labels(&strings(&["a", "b"]), Some("c"), "f").expect_err("absent").to_string();
        assert!(err.contains("no row has the label 'c'"), "{err}");
    }
}
