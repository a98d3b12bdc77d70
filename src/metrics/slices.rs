//! Figures per slice of the data (per language, kind, source, ...) from per-row decisions, so that a model's
//! weak spots show: recall on one language, false positives on news or counter-speech.

use super::Confusion;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The figures for the rows that share one value of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    /// The column.
    pub column: String,
    /// The value.
    pub value: String,
    /// Rows with this value.
    pub rows: u64,
    /// Positive rows among them.
    pub positives: u64,
    /// Outcome counts.
    pub confusion: Confusion,
    /// `tp / (tp + fp)`; absent when nothing was flagged or the slice has no positives.
    pub precision: Option<f64>,
    /// `tp / (tp + fn)`; absent without positives.
    pub recall: Option<f64>,
    /// F1; absent without positives.
    pub f1: Option<f64>,
    /// False-positive rate `fp / (fp + tn)`; absent without negatives.
    pub fpr: Option<f64>,
}

impl Slice {
    fn new(column: &str, value: &str, c: Confusion) -> Slice {
        let positives = c.tp + c.fn_;
        let negatives = c.fp + c.tn;
        Slice {
            column: column.to_string(),
            value: value.to_string(),
            rows: positives + negatives,
            positives,
            confusion: c,
            precision: (positives > 0 && c.tp + c.fp > 0).then(|| c.precision()),
            recall: (positives > 0).then(|| c.recall()),
            f1: (positives > 0).then(|| c.f1()),
            fpr: (negatives > 0).then(|| c.fp as f64 / negatives as f64),
        }
    }
}

/// One [`Slice`] per distinct value of `values` (sorted by value), from decisions and labels.
pub fn slices(column: &str, values: &[String], flagged: &[bool], labels: &[bool]) -> Vec<Slice> {
    let mut by_value: BTreeMap<&str, Confusion> = BTreeMap::new();
    for ((v, &f), &y) in values.iter().zip(flagged).zip(labels) {
        by_value.entry(v.as_str()).or_default().add(f, y);
    }
    by_value.into_iter().map(|(v, c)| Slice::new(column, v, c)).collect()
}

/// A plain-text table of slices of one column.
pub fn slice_table(slices: &[Slice]) -> String {
    let fmt = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |x| format!("{x:.3}"));
    let width = slices.iter().map(|s| s.value.chars().count()).max().unwrap_or(0).max(8);
    let column = slices.first().map_or("", |s| s.column.as_str());
    let mut out = format!(
        "{:<width$}  {:>7} {:>7} {:>6} {:>6}  {:>9} {:>7} {:>7} {:>7}\n",
        column, "rows", "pos", "tp", "fp", "precision", "recall", "f1", "fpr"
    );
    for s in slices {
        out.push_str(&format!(
            "{:<width$}  {:>7} {:>7} {:>6} {:>6}  {:>9} {:>7} {:>7} {:>7}\n",
            s.value,
            s.rows,
            s.positives,
            s.confusion.tp,
            s.confusion.fp,
            fmt(s.precision),
            fmt(s.recall),
            fmt(s.f1),
            fmt(s.fpr)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_count_each_value() {
        let values: Vec<String> = ["en", "ru", "en", "ru", "en"].iter().map(|s| s.to_string()).collect();
        let flagged = [true, true, false, false, true];
        let labels = [true, false, true, false, false];
        let s = slices("lang", &values, &flagged, &labels);
        assert_eq!(s.len(), 2);
        let en = &s[0];
        assert_eq!((en.value.as_str(), en.rows, en.positives), ("en", 3, 2));
        assert_eq!(en.confusion, Confusion { tp: 1, fp: 1, tn: 0, fn_: 1 });
        assert_eq!((en.precision, en.recall, en.fpr), (Some(0.5), Some(0.5), Some(1.0)));
        let ru = &s[1];
        assert_eq!((ru.recall, ru.f1, ru.fpr, ru.precision), (None, None, Some(0.5), None));
        let table = slice_table(&s);
        assert!(table.starts_with("lang") && table.lines().count() == 3, "{table}");
    }
}
