//! Retraining from reviewer feedback (`propscan train --warm-start OLD_MODEL` on the command line).
//!
//! The old model is the prior. The new model keeps the old one's features, vocabulary and idf, starts L-BFGS
//! from the old weights, and is fitted on the new rows only, with the L2 penalty pulling weights toward the old
//! weights instead of toward zero: `loss(new rows) + alpha/2 · |w - w_old|²`. So a few hundred corrected rows
//! move the model where they disagree with it and leave it alone elsewhere, without the old training data
//! (which a model file does not carry). Words the old model never saw stay unknown: to add vocabulary, retrain
//! from scratch on old and new data together.

use super::design::{Design, TfidfRows};
use super::fit::{fit_logistic, row_weights, Fitted};
use super::{check_classes, finish, oof_threshold, Finished, TrainOptions, TrainingData};
use crate::error::{Error, Result};
use crate::features::tfidf::tf;
use crate::features::{count_rows, SparseRows};
use crate::model::meta::{ClassWeight, WarmStartRecord};
use crate::model::Model;
use crate::progress::Progress;
use ndarray::Array1;

/// The old model's columns, as training needs them.
struct Prior {
    /// Bucket → column (`u32::MAX` for buckets the old model does not know).
    map: Vec<u32>,
    columns: Vec<u32>,
    /// `0, 1, 2, ...`: term frequencies renamed through `map` are indexed by column already.
    identity: Vec<u32>,
    idf: Vec<f32>,
    weights: Vec<f64>,
    bias: f64,
}

impl Prior {
    fn of(model: &Model) -> Prior {
        let buckets = model.meta().features.buckets();
        let mut map = vec![u32::MAX; buckets];
        let entries = model.entries();
        for (k, e) in entries.iter().enumerate() {
            map[e.bucket as usize] = k as u32;
        }
        Prior {
            map,
            columns: entries.iter().map(|e| e.bucket).collect(),
            identity: (0..entries.len() as u32).collect(),
            idf: entries.iter().map(|e| e.idf).collect(),
            weights: entries.iter().map(|e| e.weight as f64).collect(),
            bias: model.bias(),
        }
    }

    fn init(&self) -> Array1<f64> {
        self.weights.iter().copied().chain(std::iter::once(self.bias)).collect()
    }

    /// Rows `rows` (all when `None`) of term frequencies renamed through `map`, TF-IDF weighted with the old idf.
    fn view<'a>(&'a self, tf: &'a SparseRows, rows: Option<&'a [usize]>) -> TfidfRows<'a> {
        TfidfRows::new(tf, rows, &self.idf, &self.identity)
    }

    fn fit(&self, x: &TfidfRows<'_>, y: &[bool], options: &TrainOptions) -> Result<Fitted> {
        let c = row_weights(y, options.class_weight == ClassWeight::Balanced);
        fit_logistic(x, y, c, &options.fit_options(), Some(self.init()), Some(self.weights.clone()))
    }
}

/// [`crate::warm_start`] with a progress display, for `old` whose file has SHA-256 `old_sha256` (recorded in
/// the new model's metadata; the command line passes the hash of the file it read, so that the record names
/// those exact bytes). `options.features` is not used: the old model's features are kept.
pub fn warm_start(
    old: &Model,
    old_sha256: &str,
    data: &TrainingData,
    options: &TrainOptions,
    progress: &Progress,
) -> Result<Model> {
    options.validate()?;
    let wanted = &old.meta().labels.positive;
    if !data.labels.positive.eq_ignore_ascii_case(wanted) {
        let has_it = data.labels.negatives.iter().any(|l| l.eq_ignore_ascii_case(wanted));
        let fix = if has_it {
            format!("make `positive` {wanted}")
        } else {
            format!(
                "no row of the corrections is labelled '{wanted}': label the flagged rows '{wanted}' (as the old \
                 model's data was), or train a new model from scratch"
            )
        };
        return Err(Error::training(format!(
            "the old model flags '{wanted}' but the corrections' positive label is '{}'; {fix}",
            data.labels.positive
        )));
    }
    let folds = check_classes(data, options)?;
    let features = &old.meta().features;
    let prior = Prior::of(old);
    progress.stage("featurising", Some(data.texts.len() as u64), "rows");
    // Term frequencies in the old model's column numbers (buckets it does not know dropped), seen through the
    // same on-the-fly TF-IDF view as training from scratch, with the old idf: no fit copies the data.
    let mut counts = count_rows(&data.texts, features);
    counts.map_values(|c| tf(c, features.sublinear_tf));
    counts.remap_in_place(&prior.map);

    let (threshold, cv) = if folds >= 2 {
        let (threshold, record) = oof_threshold(data, options, folds, progress, |train, test| {
            let y: Vec<bool> = train.iter().map(|&i| data.targets[i]).collect();
            let fitted = prior.fit(&prior.view(&counts, Some(train)), &y, options)?;
            Ok(fitted.probabilities(&prior.view(&counts, Some(test))))
        })?;
        (threshold, Some(record))
    } else {
        (old.threshold(), None)
    };

    progress.stage("fitting", None, "");
    let x = prior.view(&counts, None);
    let fitted = prior.fit(&x, &data.targets, options)?;
    let done = Finished { columns: prior.columns.clone(), idf: prior.idf.clone(), fitted, nonzeros: x.nnz() };
    let record = WarmStartRecord {
        model_sha256: old_sha256.to_string(),
        model_rows: old.meta().data.rows,
        model_data_sha256: old.meta().data.sha256.clone(),
    };
    finish(data, options, features, threshold, cv, done, Some(record), progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::meta::LabelRecord;
    use crate::train::train;

    fn data(texts: &[(&str, bool)], copies: usize) -> TrainingData {
        let mut t = Vec::new();
        let mut y = Vec::new();
        for i in 0..copies {
            for (s, label) in texts {
                t.push(format!("{s} {}", i % 7));
                y.push(*label);
            }
        }
        TrainingData {
            texts: t,
            targets: y,
            labels: LabelRecord::text_label_1_0(),
            source: "test".into(),
            groups: None,
        }
    }

    #[test]
    fn feedback_moves_the_model_where_it_was_wrong() {
        let base = data(
            &[
                ("make hijrah and join the caravan", true),
                ("join our football club", false),
                ("pledge bay'ah now", true),
            ],
            20,
        );
        let options = TrainOptions { cv_folds: 3, ..TrainOptions::default() };
        let old = train(&base, &options, &Progress::hidden()).expect("train");
        let tricky = "reporters said the caravan left";
        // Reviewers mark quoting reports as negative, and confirm a call.
        let feedback = data(&[(tricky, false), ("make hijrah and join the caravan", true)], 15);
        let new = warm_start(&old, "abc", &feedback, &options, &Progress::hidden()).expect("warm start");
        assert!(new.score(tricky) < old.score(tricky), "{} -> {}", old.score(tricky), new.score(tricky));
        assert!(new.score("make hijrah and join the caravan") > 0.5);
        assert_eq!(new.meta().features, old.meta().features);
        assert_eq!(new.entries().len(), old.entries().len(), "vocabulary kept");
        let ws = new.meta().training.warm_start.as_ref().expect("recorded");
        assert_eq!((ws.model_sha256.as_str(), ws.model_rows), ("abc", 60));
        // Deterministic.
        let again = warm_start(&old, "abc", &feedback, &options, &Progress::hidden()).expect("again");
        assert_eq!(new, again);
    }
}
