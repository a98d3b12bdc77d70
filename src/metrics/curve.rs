//! Figures across thresholds: the threshold table of `propscan eval`, and the ROC and precision-recall curves
//! and score histograms of its HTML report.

use super::{tie_groups, Confusion};
use serde::{Deserialize, Serialize};

/// Precision, recall and F1 at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRow {
    /// Flag when `score >= threshold`.
    pub threshold: f64,
    /// Rows flagged.
    pub flagged: u64,
    /// Precision (0 when nothing is flagged).
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// False-positive rate.
    pub fpr: f64,
}

/// The cut-offs `eval` tabulates besides the model's own threshold.
pub const CUTOFFS: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// One row per threshold, in ascending order of threshold (duplicates removed).
pub fn threshold_table(scores: &[f32], labels: &[bool], thresholds: &[f64]) -> Vec<ThresholdRow> {
    let mut t: Vec<f64> = thresholds.iter().copied().filter(|x| x.is_finite()).collect();
    t.sort_by(f64::total_cmp);
    t.dedup();
    t.into_iter()
        .map(|threshold| {
            let c = Confusion::at(scores, labels, threshold);
            let negatives = c.fp + c.tn;
            ThresholdRow {
                threshold,
                flagged: c.tp + c.fp,
                precision: c.precision(),
                recall: c.recall(),
                f1: c.f1(),
                fpr: if negatives == 0 { 0.0 } else { c.fp as f64 / negatives as f64 },
            }
        })
        .collect()
}

/// One point of the ROC and precision-recall curves: the outcome of flagging every row scored `threshold` or more.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The threshold.
    pub threshold: f32,
    /// False-positive rate.
    pub fpr: f64,
    /// Recall (true-positive rate).
    pub recall: f64,
    /// Precision.
    pub precision: f64,
}

/// The curve at every distinct score, thinned to at most `max_points` (the first and last always kept).
pub fn curve(scores: &[f32], labels: &[bool], max_points: usize) -> Vec<CurvePoint> {
    let pos = labels.iter().filter(|&&y| y).count() as f64;
    let neg = labels.len() as f64 - pos;
    let (mut tp, mut fp) = (0f64, 0f64);
    let mut points = Vec::new();
    for (s, p, n) in tie_groups(scores, labels) {
        tp += p as f64;
        fp += n as f64;
        points.push(CurvePoint {
            threshold: s,
            fpr: if neg > 0.0 { fp / neg } else { 0.0 },
            recall: if pos > 0.0 { tp / pos } else { 0.0 },
            precision: tp / (tp + fp),
        });
    }
    let max_points = max_points.max(2);
    if points.len() > max_points {
        let step = (points.len() - 1) as f64 / (max_points - 1) as f64;
        points = (0..max_points).map(|i| points[((i as f64 * step).round() as usize).min(points.len() - 1)]).collect();
    }
    points
}

/// Counts of positive and negative scores in `bins` equal bins over [0, 1].
pub fn histogram(scores: &[f32], labels: &[bool], bins: usize) -> (Vec<u64>, Vec<u64>) {
    let bins = bins.max(1);
    let (mut pos, mut neg) = (vec![0u64; bins], vec![0u64; bins]);
    for (&s, &y) in scores.iter().zip(labels) {
        let b = ((s.clamp(0.0, 1.0) as f64 * bins as f64) as usize).min(bins - 1);
        if y {
            pos[b] += 1
        } else {
            neg[b] += 1
        }
    }
    (pos, neg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_curve_and_histogram() {
        let scores = [0.9, 0.8, 0.4, 0.3, 0.6];
        let labels = [true, false, true, false, false];
        let t = threshold_table(&scores, &labels, &[0.5, 0.1, 0.5]);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].threshold, t[0].flagged, t[0].recall), (0.1, 5, 1.0));
        assert_eq!((t[1].flagged, t[1].precision, t[1].recall), (3, 1.0 / 3.0, 0.5));
        assert!((t[1].fpr - 2.0 / 3.0).abs() < 1e-12);

        let c = curve(&scores, &labels, 100);
        assert_eq!(c.len(), 5);
        assert_eq!((c[0].threshold, c[0].recall, c[0].fpr, c[0].precision), (0.9, 0.5, 0.0, 1.0));
        let last = c[4];
        assert_eq!((last.recall, last.fpr, last.precision), (1.0, 1.0, 0.4));
        let thin = curve(&scores, &labels, 3);
        assert_eq!(thin.len(), 3);
        assert_eq!((thin[0], thin[2]), (c[0], c[4]));

        let (pos, neg) = histogram(&[0.95, 0.85, 0.45, 0.35, 0.65], &labels, 10);
        assert_eq!(pos.iter().sum::<u64>(), 2);
        assert_eq!(neg.iter().sum::<u64>(), 3);
        assert_eq!((pos[9], pos[4], neg[8], neg[3], neg[6]), (1, 1, 1, 1, 1));
    }
}
