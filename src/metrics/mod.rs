//! Evaluation figures for a binary decision: confusion counts, precision, recall, F1, ROC-AUC, PR-AUC
//! (average precision, as scikit-learn computes it), and the choice of a threshold from scores.
//!
//! A row is flagged when its score is at or above the threshold.

pub(crate) mod curve;
pub(crate) mod slices;

pub use curve::{threshold_table, ThresholdRow, CUTOFFS};
pub use slices::{slice_table, slices, Slice};

use crate::error::{Error, Result, TrainingProblem};
use serde::{Deserialize, Serialize};

/// Counts of the four outcomes at one threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// Positives flagged.
    pub tp: u64,
    /// Negatives flagged.
    pub fp: u64,
    /// Negatives not flagged.
    pub tn: u64,
    /// Positives not flagged.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Confusion {
    /// Counts outcomes of flagging `score >= threshold`.
    pub fn at(scores: &[f32], labels: &[bool], threshold: f64) -> Confusion {
        let mut c = Confusion::default();
        for (&s, &y) in scores.iter().zip(labels) {
            c.add(s as f64 >= threshold, y);
        }
        c
    }

    /// Counts one decision.
    pub fn add(&mut self, flagged: bool, positive: bool) {
        match (flagged, positive) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, false) => self.tn += 1,
            (false, true) => self.fn_ += 1,
        }
    }

    /// Counts decisions made row by row (each row may have had its own threshold).
    pub fn from_decisions(flagged: &[bool], labels: &[bool]) -> Confusion {
        let mut c = Confusion::default();
        for (&f, &y) in flagged.iter().zip(labels) {
            c.add(f, y);
        }
        c
    }

    /// `tp / (tp + fp)`, 0 when nothing is flagged.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`, 0 when there are no positives.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }

    /// The precision these decisions would have where a share `prevalence` of all rows is positive (recall and
    /// false-positive rate carried over): `π·TPR / (π·TPR + (1 − π)·FPR)`, 0 when nothing would be flagged.
    pub fn precision_at(&self, prevalence: f64) -> f64 {
        let tpr = self.recall();
        let fpr = ratio(self.fp, self.fp + self.tn);
        let flagged = prevalence * tpr + (1.0 - prevalence) * fpr;
        if flagged > 0.0 {
            prevalence * tpr / flagged
        } else {
            0.0
        }
    }

    /// Share of rows decided correctly.
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Row indices sorted by descending score (ties by index, so the order is deterministic).
fn by_score_desc(scores: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order
}

/// A score per label: the public measures below share this precondition.
fn same_length(scores: &[f32], labels: &[bool]) {
    assert_eq!(scores.len(), labels.len(), "propscan::metrics: one score per label");
}

/// Groups of tied scores, highest first: `(score, positives, negatives)` in each group.
pub(crate) fn tie_groups(scores: &[f32], labels: &[bool]) -> Vec<(f32, u64, u64)> {
    same_length(scores, labels);
    let mut groups: Vec<(f32, u64, u64)> = Vec::new();
    for i in by_score_desc(scores) {
        let s = scores[i];
        match groups.last_mut() {
            Some(g) if g.0 == s => {
                if labels[i] {
                    g.1 += 1
                } else {
                    g.2 += 1
                }
            }
            _ => groups.push((s, labels[i] as u64, !labels[i] as u64)),
        }
    }
    groups
}

/// Area under the ROC curve (ties count one half), or `None` without both classes.
///
/// # Panics
///
/// When `scores` and `labels` differ in length.
pub fn roc_auc(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|&&y| y).count() as f64;
    let neg = labels.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Walk from the highest score down: each negative is outranked by the positives seen before it.
    let mut above_pos = 0f64;
    let mut area = 0f64;
    for (_, p, n) in tie_groups(scores, labels) {
        area += n as f64 * (above_pos + 0.5 * p as f64);
        above_pos += p as f64;
    }
    Some(area / (pos * neg))
}

/// Average precision (area under the precision-recall curve as a step function, scikit-learn's
/// `average_precision_score`), or `None` without positives.
///
/// # Panics
///
/// When `scores` and `labels` differ in length.
pub fn average_precision(scores: &[f32], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|&&y| y).count() as f64;
    if pos == 0.0 {
        return None;
    }
    let (mut tp, mut fp, mut ap) = (0f64, 0f64, 0f64);
    for (_, p, n) in tie_groups(scores, labels) {
        tp += p as f64;
        fp += n as f64;
        ap += (p as f64 / pos) * (tp / (tp + fp));
    }
    Some(ap)
}

/// How the decision threshold is chosen from scored, labelled rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRule {
    /// The threshold with the highest F1.
    MaxF1,
    /// The lowest threshold whose precision reaches the target (the most recall at that precision).
    TargetPrecision(f64),
    /// The highest threshold whose recall reaches the target (the most precision at that recall).
    TargetRecall(f64),
    /// The lowest threshold whose precision would reach `precision` where a share `prevalence` of all texts are
    /// calls to action (see [`Confusion::precision_at`]): the rule for real streams of posts, where calls are
    /// rare and the training data's own class balance says nothing about how many flags are false.
    TargetPrecisionAt {
        /// Precision to reach.
        precision: f64,
        /// Share of positives assumed.
        prevalence: f64,
    },
}

impl ThresholdRule {
    /// The rule in words, for tables and messages.
    pub fn describe(&self) -> String {
        match self {
            ThresholdRule::MaxF1 => "best F1".into(),
            ThresholdRule::TargetPrecision(p) => format!("precision {p}"),
            ThresholdRule::TargetRecall(r) => format!("recall {r}"),
            ThresholdRule::TargetPrecisionAt { precision, prevalence } => {
                format!("precision {precision} at a prevalence of {prevalence}")
            }
        }
    }
}

/// A chosen threshold and the figures it gives on the rows it was chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdChoice {
    /// Flag when `score >= threshold`.
    pub threshold: f64,
    /// Precision at the threshold.
    pub precision: f64,
    /// Recall at the threshold.
    pub recall: f64,
    /// F1 at the threshold.
    pub f1: f64,
}

/// Picks a threshold by `rule`. The threshold sits halfway between the last score flagged and the next one
/// below it, so that small changes in scores do not flip decisions on the rows it was chosen from.
pub fn choose_threshold(scores: &[f32], labels: &[bool], rule: ThresholdRule) -> Result<ThresholdChoice> {
    if scores.len() != labels.len() {
        return Err(Error::Usage(format!("{} scores but {} labels", scores.len(), labels.len())));
    }
    let pos = labels.iter().filter(|&&y| y).count() as u64;
    if pos == 0 || pos == labels.len() as u64 {
        let (positives, negatives) = (pos as usize, labels.len() - pos as usize);
        return Err(Error::Training(TrainingProblem::OneClass { positives, negatives }));
    }
    let groups = tie_groups(scores, labels);
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut best: Option<(usize, Confusion)> = None;
    let mut best_precision = 0f64;
    for (k, &(_, p, n)) in groups.iter().enumerate() {
        tp += p;
        fp += n;
        let c = Confusion { tp, fp, fn_: pos - tp, tn: (labels.len() as u64 - pos) - fp };
        best_precision = best_precision.max(c.precision());
        let better = match (rule, &best) {
            (_, None) if matches!(rule, ThresholdRule::MaxF1) => true,
            (ThresholdRule::MaxF1, Some((_, b))) => c.f1() > b.f1(),
            (ThresholdRule::TargetPrecision(target), _) => c.precision() >= target,
            (ThresholdRule::TargetPrecisionAt { precision, prevalence }, _) => c.precision_at(prevalence) >= precision,
            (ThresholdRule::TargetRecall(target), None) => c.recall() >= target,
            _ => false,
        };
        if better {
            best = Some((k, c));
        }
    }
    let (k, c) = best.ok_or_else(|| {
        let message = match rule {
            ThresholdRule::TargetPrecision(t) => format!(
                "no threshold reaches precision {t} in cross-validation (the best is {best_precision:.3}); lower \
                 `target_precision` or add training data"
            ),
            ThresholdRule::TargetPrecisionAt { precision, prevalence } => format!(
                "no threshold reaches precision {precision} at a prevalence of {prevalence} in cross-validation; \
                 lower `target_precision`, raise `prevalence`, or add training data"
            ),
            ThresholdRule::TargetRecall(t) => format!("no threshold reaches recall {t}"),
            ThresholdRule::MaxF1 => "no threshold found".into(),
        };
        Error::Training(TrainingProblem::NoThreshold(message))
    })?;
    let threshold = match groups.get(k + 1) {
        Some(next) => (groups[k].0 as f64 + next.0 as f64) / 2.0,
        None => groups[k].0 as f64,
    };
    Ok(ThresholdChoice { threshold, precision: c.precision(), recall: c.recall(), f1: c.f1() })
}

/// The figures of an evaluation: counts, precision, recall, F1, ROC-AUC and PR-AUC (what `propscan eval`
/// prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Rows scored.
    pub n: u64,
    /// Positive rows.
    pub positives: u64,
    /// Threshold used.
    pub threshold: f64,
    /// Precision at the threshold.
    pub precision: f64,
    /// Recall at the threshold.
    pub recall: f64,
    /// F1 at the threshold.
    pub f1: f64,
    /// Accuracy at the threshold.
    pub accuracy: f64,
    /// ROC-AUC (null without both classes).
    pub roc_auc: Option<f64>,
    /// Average precision (null without positives).
    pub pr_auc: Option<f64>,
    /// Positives flagged.
    pub tp: u64,
    /// Negatives flagged.
    pub fp: u64,
    /// Negatives not flagged.
    pub tn: u64,
    /// Positives not flagged.
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Report {
    /// Evaluates `scores` against `labels` at `threshold`.
    ///
    /// # Panics
    ///
    /// When `scores` and `labels` differ in length.
    pub fn new(scores: &[f32], labels: &[bool], threshold: f64) -> Report {
        Report::with_confusion(scores, labels, Confusion::at(scores, labels, threshold), threshold)
    }

    /// Evaluates decisions already made (as in cross-validation, where each fold has its own threshold);
    /// `threshold` is the one to report.
    pub fn with_confusion(scores: &[f32], labels: &[bool], confusion: Confusion, threshold: f64) -> Report {
        Report {
            n: scores.len() as u64,
            positives: labels.iter().filter(|&&y| y).count() as u64,
            threshold,
            precision: confusion.precision(),
            recall: confusion.recall(),
            f1: confusion.f1(),
            accuracy: confusion.accuracy(),
            roc_auc: roc_auc(scores, labels),
            pr_auc: average_precision(scores, labels),
            tp: confusion.tp,
            fp: confusion.fp,
            tn: confusion.tn,
            fn_: confusion.fn_,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_figures() {
        let scores = [0.9, 0.8, 0.4, 0.3, 0.6];
        let labels = [true, false, true, false, false];
        let c = Confusion::at(&scores, &labels, 0.5);
        assert_eq!(c, Confusion { tp: 1, fp: 2, tn: 1, fn_: 1 });
        assert!((c.precision() - 1.0 / 3.0).abs() < 1e-12);
        assert!((c.recall() - 0.5).abs() < 1e-12);
        assert!((c.f1() - 0.4).abs() < 1e-12);
        assert!((c.accuracy() - 0.4).abs() < 1e-12);
    }

    #[test]
    fn auc_values_from_scikit_learn() {
        // sklearn.metrics.roc_auc_score / average_precision_score on the same data: 0.75 and 0.8333...
        let scores = [0.1, 0.4, 0.35, 0.8];
        let labels = [false, false, true, true];
        assert!((roc_auc(&scores, &labels).expect("auc") - 0.75).abs() < 1e-12);
        assert!((average_precision(&scores, &labels).expect("ap") - 0.833_333_333_333_333_4).abs() < 1e-12);
        // Ties: one positive tied with one negative counts one half.
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(roc_auc(&[0.5, 0.5], &[true, true]), None);
    }

    #[test]
    #[should_panic(expected = "one score per label")]
    fn measures_refuse_scores_and_labels_of_different_lengths() {
        roc_auc(&[0.1, 0.9], &[true, false, true]);
    }

    #[test]
    fn an_unreachable_target_is_a_no_threshold_problem_naming_the_option() {
        // The top score is a negative: no threshold reaches precision 1.
        let (scores, labels) = ([0.9f32, 0.8, 0.7, 0.2], [false, true, true, false]);
        match choose_threshold(&scores, &labels, ThresholdRule::TargetPrecision(1.0)) {
            Err(Error::Training(TrainingProblem::NoThreshold(m))) => {
                assert!(m.contains("precision 1") && m.contains("the best is 0.667"), "{m}");
                assert!(m.contains("lower `target_precision`") && !m.contains("--"), "{m}");
            }
            other => panic!("expected NoThreshold, got {other:?}"),
        }
        let one_class = choose_threshold(&scores, &[true; 4], ThresholdRule::MaxF1);
        assert!(
            matches!(one_class, Err(Error::Training(TrainingProblem::OneClass { positives: 4, negatives: 0 }))),
            "{one_class:?}"
        );
        assert!(matches!(choose_threshold(&scores, &[true; 3], ThresholdRule::MaxF1), Err(Error::Usage(_))));
    }

    #[test]
    fn max_f1_threshold_sits_between_scores() {
        let scores = [0.9, 0.8, 0.7, 0.2, 0.1];
        let labels = [true, true, false, false, false];
        let t = choose_threshold(&scores, &labels, ThresholdRule::MaxF1).expect("threshold");
        assert!((t.threshold - 0.75).abs() < 1e-6);
        assert_eq!((t.precision, t.recall, t.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn target_precision_takes_the_most_recall() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let labels = [true, false, true, true, false, true];
        let t = choose_threshold(&scores, &labels, ThresholdRule::TargetPrecision(0.75)).expect("threshold");
        assert!((t.threshold - 0.55).abs() < 1e-6, "{t:?}");
        assert_eq!(t.recall, 0.75);
        let none = choose_threshold(&[0.9, 0.1], &[false, true], ThresholdRule::TargetPrecision(0.9));
        assert!(none.is_err());
    }
}
