//! Cross-validation of the whole training procedure, for `propscan cv`: each fold trains a model exactly as
//! `propscan train` would (its threshold chosen by its own inner cross-validation) on the other folds, then
//! decides the held-out rows. Every row's score and decision therefore comes from a model that never saw it.

use crate::error::{Error, Result, TrainingProblem};
use crate::metrics::{average_precision, roc_auc, Confusion};
use crate::progress::Progress;
use crate::score::score_texts;
use crate::train::{fold_assignment, train, TrainOptions, TrainingData};
use serde::{Deserialize, Serialize};

/// The figures of one held-out fold, at the threshold its model chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// Rows held out.
    pub rows: u64,
    /// Positive rows held out.
    pub positives: u64,
    /// The threshold chosen inside the training folds.
    pub threshold: f64,
    /// Precision on the held-out rows.
    pub precision: f64,
    /// Recall on the held-out rows.
    pub recall: f64,
    /// F1 on the held-out rows.
    pub f1: f64,
    /// ROC-AUC on the held-out rows.
    pub roc_auc: Option<f64>,
    /// Average precision on the held-out rows.
    pub pr_auc: Option<f64>,
}

/// Out-of-fold scores and decisions for every row, and the figures of each fold.
#[derive(Debug, Clone, PartialEq)]
pub struct CrossValidation {
    /// The fold each row was held out in.
    pub fold_of: Vec<usize>,
    /// Each row's score from the model that did not see it.
    pub scores: Vec<f32>,
    /// Each row's decision at its fold model's threshold.
    pub flagged: Vec<bool>,
    /// One entry per fold.
    pub folds: Vec<FoldResult>,
}

impl CrossValidation {
    /// Counts of the pooled decisions.
    pub fn confusion(&self, targets: &[bool]) -> Confusion {
        Confusion::from_decisions(&self.flagged, targets)
    }
}

/// Mean and sample standard deviation of a figure across folds.
pub fn mean_sd(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let v: Vec<f64> = values.into_iter().collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let var = if v.len() > 1 { v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64 } else { 0.0 };
    (mean, var.sqrt())
}

/// Runs `folds`-fold cross-validation of [`train`] with `options` on `data`. Folds are stratified by label and,
/// when `data.groups` is set, keep each group whole. Seeded by `seed`; deterministic for any thread count.
pub fn cross_validate(
    data: &TrainingData,
    options: &TrainOptions,
    folds: usize,
    seed: u64,
    progress: &Progress,
) -> Result<CrossValidation> {
    let n = data.texts.len();
    if folds < 2 {
        return Err(Error::option("folds", format!("`folds` must be at least 2 (got {folds})")));
    }
    // The options and the data's shape, then every option against the data, before any fold is trained: the
    // outer folds, the classes, then the inner folds that choose each fold's threshold (trained on about
    // (folds - 1) / folds of the data).
    options.validate()?;
    data.check()?;
    crate::train::check_folds(data, folds, "folds")?;
    crate::train::check_classes(data, options)?;
    let inner = options.cv_folds as usize;
    if inner >= 2 {
        let (pos, neg) = crate::train::class_units(data);
        let smallest = pos.min(neg) * (folds - 1) / folds;
        if smallest < inner {
            return Err(Error::option(
                "cv_folds",
                format!(
                    "with `folds` {folds}, each fold trains on about {smallest} positive or negative rows or \
                     groups, too few for `cv_folds` {inner}; lower `cv_folds` or `folds`"
                ),
            ));
        }
    }
    let fold_of = fold_assignment(data, folds, seed);
    let options = TrainOptions { top_features: 0, ..options.clone() };
    let mut scores = vec![0f32; n];
    let mut flagged = vec![false; n];
    let mut results = Vec::with_capacity(folds);
    progress.stage("cross-validating", Some(folds as u64), "folds");
    for k in 0..folds {
        let (test, train_rows): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| fold_of[i] == k);
        if test.is_empty() {
            return Err(Error::training(format!(
                "fold {} of {folds} is empty: there are too few rows or groups for {folds} folds",
                k + 1
            )));
        }
        let subset = TrainingData {
            texts: train_rows.iter().map(|&i| data.texts[i].clone()).collect(),
            targets: train_rows.iter().map(|&i| data.targets[i]).collect(),
            labels: data.labels.clone(),
            source: data.source.clone(),
            groups: data.groups.as_ref().map(|g| train_rows.iter().map(|&i| g[i]).collect()),
        };
        let model = train(&subset, &options, &Progress::hidden()).map_err(|e| in_fold(e, k + 1, folds))?;
        let texts: Vec<&str> = test.iter().map(|&i| data.texts[i].as_str()).collect();
        let fold_scores = score_texts(&model, &texts, &Default::default());
        let threshold = model.threshold();
        let labels: Vec<bool> = test.iter().map(|&i| data.targets[i]).collect();
        let c = Confusion::at(&fold_scores, &labels, threshold);
        results.push(FoldResult {
            rows: test.len() as u64,
            positives: labels.iter().filter(|&&y| y).count() as u64,
            threshold,
            precision: c.precision(),
            recall: c.recall(),
            f1: c.f1(),
            roc_auc: roc_auc(&fold_scores, &labels),
            pr_auc: average_precision(&fold_scores, &labels),
        });
        for (&i, &s) in test.iter().zip(&fold_scores) {
            scores[i] = s;
            flagged[i] = s as f64 >= threshold;
        }
        progress.inc(1);
    }
    progress.finish();
    Ok(CrossValidation { fold_of, scores, flagged, folds: results })
}

/// A training failure inside fold `k` of `folds`: the same kind, with the fold named.
fn in_fold(e: Error, k: usize, folds: usize) -> Error {
    match e {
        Error::Training(TrainingProblem::Other(m)) => Error::training(format!("fold {k} of {folds}: {m}")),
        Error::Training(TrainingProblem::NoThreshold(m)) => {
            Error::Training(TrainingProblem::NoThreshold(format!("fold {k} of {folds}: {m}")))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::meta::LabelRecord;

    fn data(groups: bool) -> TrainingData {
        let pos = ["make hijrah and join the caravan", "pledge your bay'ah to the emir", "join the ranks, brother"];
        let neg = ["join our football club", "the police said the magazine urged hijrah", "donate to the food bank"];
        let mut texts = Vec::new();
        let mut targets = Vec::new();
        for i in 0..60 {
            let (t, y) = if i % 2 == 0 { (pos[i % 3], true) } else { (neg[i % 3], false) };
            texts.push(format!("{t} {i}"));
            targets.push(y);
        }
        let labels = LabelRecord::text_label_1_0();
        let groups = groups.then(|| (0..60).map(|i| i / 4).collect());
        TrainingData { texts, targets, labels, source: "test".into(), groups }
    }

    #[test]
    fn every_row_is_scored_by_a_model_that_did_not_see_it() {
        let d = data(true);
        let cv = cross_validate(&d, &TrainOptions::default(), 3, 7, &Progress::hidden()).expect("cv");
        assert_eq!(cv.scores.len(), 60);
        assert_eq!(cv.folds.len(), 3);
        assert_eq!(cv.folds.iter().map(|f| f.rows).sum::<u64>(), 60);
        for g in 0..15 {
            let folds: Vec<usize> = (0..60).filter(|i| i / 4 == g).map(|i| cv.fold_of[i]).collect();
            assert!(folds.windows(2).all(|w| w[0] == w[1]), "group {g} split: {folds:?}");
        }
        let c = cv.confusion(&d.targets);
        assert_eq!(c.tp + c.fp + c.tn + c.fn_, 60);
        assert!(c.f1() > 0.9, "an easy problem should be learned: {c:?}");
        assert_eq!(cv, cross_validate(&d, &TrainOptions::default(), 3, 7, &Progress::hidden()).expect("again"));
        let (mean, sd) = mean_sd(cv.folds.iter().map(|f| f.f1));
        assert!(mean > 0.9 && sd >= 0.0);
        assert!(cross_validate(&data(false), &TrainOptions::default(), 1, 7, &Progress::hidden()).is_err());
    }
}
