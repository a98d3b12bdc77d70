//! Training: counts → TF-IDF → logistic regression (argmin L-BFGS on a sparse matrix), a threshold chosen by
//! internal cross-validation, and a model that records how it was made.
//!
//! Deterministic: the same texts, labels and options give the same model bytes, whatever the thread count.

pub(crate) mod cv;
pub(crate) mod design;
pub(crate) mod dot;
pub(crate) mod fit;
#[cfg(test)]
mod linfa_check;
pub(crate) mod names;
pub(crate) mod objective;
pub(crate) mod warm;

pub use cv::group_ids;
pub use warm::warm_start;

use crate::error::{Error, Result, TrainingProblem};
use crate::features::tfidf::tf;
use crate::features::{count_rows, FeatureConfig, Idf, SparseRows};
use crate::metrics::{average_precision, choose_threshold, roc_auc, ThresholdRule};
use crate::model::format::hex;
use crate::model::meta::{
    ClassWeight, CvRecord, DataRecord, FitRecord, LabelRecord, Metadata, TrainingRecord, WarmStartRecord,
};
use crate::model::{Entry, Model};
use crate::progress::Progress;
use crate::text::windows::longer_than;
use design::{Design, TfidfRows};
use fit::{fit_logistic, row_weights, FitOptions, Fitted, Tolerance};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// Everything that decides how a model is trained.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Feature extraction.
    pub features: FeatureConfig,
    /// L2 penalty on the summed loss (scikit-learn's `1/C`).
    pub alpha: f64,
    /// Class weighting.
    pub class_weight: ClassWeight,
    /// L-BFGS iteration limit.
    pub max_iter: u64,
    /// L-BFGS stops when the gradient norm falls below this fraction of its starting value.
    pub tolerance: f64,
    /// Folds of the internal cross-validation that chooses the threshold; below 2, the threshold is 0.5.
    pub cv_folds: u32,
    /// Seed for the fold assignment.
    pub seed: u64,
    /// How the threshold is chosen.
    pub threshold_rule: ThresholdRule,
    /// How many features to name each way in the model's metadata.
    pub top_features: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            features: FeatureConfig::default(),
            alpha: 1.0,
            class_weight: ClassWeight::Balanced,
            max_iter: 200,
            tolerance: 1e-3,
            cv_folds: 5,
            seed: 42,
            threshold_rule: ThresholdRule::MaxF1,
            top_features: 50,
        }
    }
}

impl TrainOptions {
    /// A builder that starts from the defaults and checks the result (see [`TrainOptionsBuilder::build`]).
    pub fn builder() -> TrainOptionsBuilder {
        TrainOptionsBuilder { options: TrainOptions::default(), precision: None, prevalence: None, recall: None }
    }

    /// Checks ranges before any work is done.
    pub fn validate(&self) -> Result<()> {
        self.features.validate()?;
        if !(self.alpha.is_finite() && self.alpha > 0.0) {
            return Err(Error::option("alpha", format!("`alpha` must be a positive number (got {})", self.alpha)));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0 && self.tolerance < 1.0) {
            return Err(Error::option(
                "tolerance",
                format!("`tolerance` must be between 0 and 1 (got {})", self.tolerance),
            ));
        }
        if self.max_iter == 0 {
            return Err(Error::option("max_iter", "`max_iter` must be at least 1"));
        }
        let target = match self.threshold_rule {
            ThresholdRule::MaxF1 => None,
            ThresholdRule::TargetPrecision(p) => Some(("target_precision", p)),
            ThresholdRule::TargetRecall(r) => Some(("target_recall", r)),
            ThresholdRule::TargetPrecisionAt { precision, prevalence } => {
                if !(prevalence > 0.0 && prevalence < 1.0) {
                    return Err(Error::option(
                        "prevalence",
                        format!("`prevalence` must be between 0 and 1 (got {prevalence})"),
                    ));
                }
                Some(("target_precision", precision))
            }
        };
        if let Some((name, v)) = target {
            if !(v > 0.0 && v <= 1.0) {
                return Err(Error::option(name, format!("`{name}` must be in (0, 1] (got {v})")));
            }
            if self.cv_folds < 2 {
                return Err(Error::option(name, format!("`{name}` needs cross-validation (`cv_folds` 2 or more)")));
            }
        }
        Ok(())
    }

    pub(crate) fn fit_options(&self) -> FitOptions {
        FitOptions {
            alpha: self.alpha,
            max_iter: self.max_iter,
            tolerance: Tolerance::Relative(self.tolerance),
            ..FitOptions::default()
        }
    }
}

/// Builds [`TrainOptions`] from the defaults, one option at a time; [`TrainOptionsBuilder::build`] checks them.
///
/// ```
/// use propscan::TrainOptions;
/// let options = TrainOptions::builder().alpha(0.1).target_precision(0.25).prevalence(0.01).build()?;
/// assert_eq!(options.alpha, 0.1);
/// assert!(TrainOptions::builder().alpha(-1.0).build().is_err());
/// # Ok::<(), propscan::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TrainOptionsBuilder {
    options: TrainOptions,
    // The threshold rule's parts, resolved (and checked against each other) by `build`.
    precision: Option<f64>,
    prevalence: Option<f64>,
    recall: Option<f64>,
}

impl TrainOptionsBuilder {
    /// L2 penalty on the summed loss (default 1).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.options.alpha = alpha;
        self
    }

    /// How text becomes features (default [`FeatureConfig::default`]).
    pub fn features(mut self, features: FeatureConfig) -> Self {
        self.options.features = features;
        self
    }

    /// Class weighting (default balanced).
    pub fn class_weight(mut self, weight: ClassWeight) -> Self {
        self.options.class_weight = weight;
        self
    }

    /// L-BFGS iteration limit (default 200).
    pub fn max_iter(mut self, n: u64) -> Self {
        self.options.max_iter = n;
        self
    }

    /// Stop when the gradient norm falls below this fraction of its start (default 0.001).
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.options.tolerance = tolerance;
        self
    }

    /// Folds of the cross-validation that chooses the threshold (default 5; below 2: a fixed 0.5).
    pub fn cv_folds(mut self, folds: u32) -> Self {
        self.options.cv_folds = folds;
        self
    }

    /// Seed of the fold assignment (default 42).
    pub fn seed(mut self, seed: u64) -> Self {
        self.options.seed = seed;
        self
    }

    /// How many of the strongest features the model's metadata lists (default 50; 0 for none).
    pub fn top_features(mut self, n: usize) -> Self {
        self.options.top_features = n;
        self
    }

    /// Choose the threshold with the best cross-validated F1 (the default): forgets any precision, prevalence
    /// or recall named before.
    pub fn max_f1(mut self) -> Self {
        (self.precision, self.prevalence, self.recall) = (None, None, None);
        self.options.threshold_rule = ThresholdRule::MaxF1;
        self
    }

    /// Choose the lowest threshold whose cross-validated precision reaches `p` (in place of a recall named
    /// before).
    pub fn target_precision(mut self, p: f64) -> Self {
        (self.precision, self.recall) = (Some(p), None);
        self
    }

    /// With [`TrainOptionsBuilder::target_precision`]: the precision is the one expected where this share of
    /// texts are calls to action. Without a target precision, [`TrainOptionsBuilder::build`] refuses it.
    pub fn prevalence(mut self, share: f64) -> Self {
        self.prevalence = Some(share);
        self
    }

    /// Choose the highest threshold whose cross-validated recall reaches `r` (in place of a precision named
    /// before).
    pub fn target_recall(mut self, r: f64) -> Self {
        (self.recall, self.precision) = (Some(r), None);
        self
    }

    /// The options, checked.
    pub fn build(mut self) -> Result<TrainOptions> {
        match (self.precision, self.prevalence, self.recall) {
            (Some(precision), Some(prevalence), _) => {
                self.options.threshold_rule = ThresholdRule::TargetPrecisionAt { precision, prevalence }
            }
            (Some(p), None, _) => self.options.threshold_rule = ThresholdRule::TargetPrecision(p),
            (None, Some(_), _) => {
                return Err(Error::option("prevalence", "a `prevalence` needs a `target_precision`"));
            }
            (None, None, Some(r)) => self.options.threshold_rule = ThresholdRule::TargetRecall(r),
            (None, None, None) => {}
        }
        self.options.validate()?;
        Ok(self.options)
    }
}

/// Labelled texts ready for training.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingData {
    /// The texts.
    pub texts: Vec<String>,
    /// `true` for positive rows.
    pub targets: Vec<bool>,
    /// Column and label names.
    pub labels: LabelRecord,
    /// File name(s) the data came from.
    pub source: String,
    /// A group number per row (rows of one group never straddle cross-validation folds), or `None`.
    pub groups: Option<Vec<u32>>,
}

impl TrainingData {
    /// Texts and their labels (`true`: a call to action), labelled `1`/`0` in the model's metadata, no groups.
    ///
    /// ```
    /// use propscan::{TrainOptions, TrainingData};
    /// let calls = ["make hijrah and join the caravan", "pledge bay'ah to the caliph today"];
    /// let other = ["join our football club this weekend", "the report quoted calls to make hijrah"];
    /// let texts: Vec<&str> = calls.iter().chain(&other).cycle().take(40).copied().collect();
    /// let labels: Vec<bool> = (0..40).map(|i| i % 4 < 2).collect();
    /// let data = TrainingData::new(&texts, &labels)?;
    /// let options = TrainOptions::builder().cv_folds(2).build()?;
    /// let model = propscan::train(&data, &options)?;
    /// assert!(model.score("make hijrah and join") > model.score("join our club"));
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn new<S: AsRef<str>>(texts: &[S], labels: &[bool]) -> Result<TrainingData> {
        if texts.len() != labels.len() {
            return Err(Error::Usage(format!("{} texts but {} labels", texts.len(), labels.len())));
        }
        Ok(TrainingData {
            texts: texts.iter().map(|t| t.as_ref().to_string()).collect(),
            targets: labels.to_vec(),
            labels: LabelRecord::text_label_1_0(),
            source: "in memory".into(),
            groups: None,
        })
    }

    /// The same data with a group per row (an account, an article): rows of a group never straddle
    /// cross-validation folds; an empty value is a group of its own.
    pub fn with_groups<S: AsRef<str>>(mut self, groups: &[S]) -> Result<TrainingData> {
        if groups.len() != self.texts.len() {
            return Err(Error::Usage(format!("{} groups for {} texts", groups.len(), self.texts.len())));
        }
        let values: Vec<String> = groups.iter().map(|g| g.as_ref().to_string()).collect();
        self.groups = Some(cv::group_ids(&values));
        Ok(self)
    }

    /// Checks that the public fields agree, before any work: a target (and a group, with groups) per text, and
    /// group numbers below the number of rows (as [`TrainingData::with_groups`] numbers them).
    pub(crate) fn check(&self) -> Result<()> {
        let n = self.texts.len();
        if self.targets.len() != n {
            return Err(Error::Usage(format!("training data: {n} texts but {} targets", self.targets.len())));
        }
        if let Some(groups) = &self.groups {
            if groups.len() != n {
                return Err(Error::Usage(format!("training data: {n} texts but {} groups", groups.len())));
            }
            if let Some(g) = groups.iter().find(|&&g| g as usize >= n) {
                return Err(Error::Usage(format!(
                    "training data: group number {g} is not below the number of rows ({n}); number groups from 0, \
                     as TrainingData::with_groups does"
                )));
            }
        }
        Ok(())
    }

    /// The same data under the name its model's metadata records as its source (the command line records the
    /// input files' names; the default is `in memory`).
    pub fn with_source(mut self, source: impl Into<String>) -> TrainingData {
        self.source = source.into();
        self
    }

    /// SHA-256 over every row's label and text, in order (length-prefixed, so rows cannot run together).
    pub fn sha256(&self) -> String {
        let mut h = Sha256::new();
        for (text, &y) in self.texts.iter().zip(&self.targets) {
            h.update([y as u8]);
            h.update((text.len() as u64).to_le_bytes());
            h.update(text.as_bytes());
        }
        hex(&h.finalize())
    }
}

/// Checks that `data` has both classes, and enough of each for the folds asked for; returns the folds.
pub(crate) fn check_classes(data: &TrainingData, options: &TrainOptions) -> Result<usize> {
    data.check()?;
    let positives = data.targets.iter().filter(|&&y| y).count();
    let negatives = data.targets.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(Error::Training(TrainingProblem::OneClass { positives, negatives }));
    }
    let folds = options.cv_folds as usize;
    if folds >= 2 {
        check_folds(data, folds, "cv_folds")?;
    }
    Ok(folds)
}

/// How many rows, or with groups how many groups, hold each class: the most folds the data can fill.
pub(crate) fn class_units(data: &TrainingData) -> (usize, usize) {
    match &data.groups {
        None => {
            let positives = data.targets.iter().filter(|&&y| y).count();
            (positives, data.targets.len() - positives)
        }
        Some(groups) => {
            let (mut pos, mut neg) = (std::collections::HashSet::new(), std::collections::HashSet::new());
            for (&g, &y) in groups.iter().zip(&data.targets) {
                if y {
                    pos.insert(g);
                } else {
                    neg.insert(g);
                }
            }
            (pos.len(), neg.len())
        }
    }
}

/// Fails, before any work, when `folds` folds cannot each hold both classes: every class needs at least `folds`
/// rows, or with groups `folds` groups. `option` names the option that asked for the folds.
pub(crate) fn check_folds(data: &TrainingData, folds: usize, option: &'static str) -> Result<()> {
    let (pos, neg) = class_units(data);
    if pos.min(neg) >= folds {
        return Ok(());
    }
    let unit = if data.groups.is_some() { "groups" } else { "rows" };
    Err(Error::Training(TrainingProblem::TooFewForFolds { option, folds, positives: pos, negatives: neg, unit }))
}

/// The fold of every row for the threshold's cross-validation: grouped when the data has groups.
pub(crate) fn fold_assignment(data: &TrainingData, folds: usize, seed: u64) -> Vec<usize> {
    match &data.groups {
        Some(groups) => cv::grouped_folds(&data.targets, groups, folds, seed),
        None => cv::stratified_folds(&data.targets, folds, seed),
    }
}

/// A linear model fitted on some rows, with the idf and columns it was fitted with.
struct Fit {
    /// Per index of the term-frequency matrix.
    idf: Idf,
    /// Index (in the term-frequency matrix) of each column.
    columns: Vec<u32>,
    fitted: Fitted,
    nonzeros: u64,
}

/// The bucket of every column: the buckets whose idf is not 0, in order.
fn columns(idf: &Idf) -> Vec<u32> {
    idf.values().iter().enumerate().filter(|(_, &v)| v > 0.0).map(|(b, _)| b as u32).collect()
}

/// The shared term-frequency matrix (indices dense, `width` of them). Every fit reads it through a
/// [`TfidfRows`] view of its own rows, idf and columns, so no fit copies it: on the 16k-row file that was as fast
/// as giving each fit its own weighted matrix and transpose, with half the peak memory (`BENCHMARKS.md`).
struct TermFrequencies {
    tf: SparseRows,
    width: usize,
}

/// Learns idf and fits the model on `rows` of the term frequencies (all rows when `None`).
fn fit_rows(tf: &TermFrequencies, rows: Option<&[usize]>, targets: &[bool], options: &TrainOptions) -> Result<Fit> {
    let f = &options.features;
    let idf = Idf::fit(&tf.tf, rows, tf.width, f.min_df);
    let columns = columns(&idf);
    if columns.is_empty() {
        return Err(Error::Training(TrainingProblem::NoFeatures { min_df: f.min_df }));
    }
    let y: Vec<bool> = match rows {
        Some(r) => r.iter().map(|&i| targets[i]).collect(),
        None => targets.to_vec(),
    };
    let c = row_weights(&y, options.class_weight == ClassWeight::Balanced);
    let x = TfidfRows::new(&tf.tf, rows, idf.values(), &columns);
    let (fitted, nonzeros) = (fit_logistic(&x, &y, c, &options.fit_options(), None, None)?, x.nnz());
    Ok(Fit { idf, columns, fitted, nonzeros })
}

/// The inverse of `columns` over `0..len`: the column of every index, `u32::MAX` for indices without one.
fn column_of(columns: &[u32], len: usize) -> Vec<u32> {
    let mut map = vec![u32::MAX; len];
    for (j, &k) in columns.iter().enumerate() {
        map[k as usize] = j as u32;
    }
    map
}

impl Fit {
    /// Probabilities for `rows` of the term frequencies, computed as the fit computed its margins.
    fn score_rows(&self, tf: &TermFrequencies, rows: &[usize]) -> Vec<f32> {
        self.fitted.probabilities(&TfidfRows::new(&tf.tf, Some(rows), self.idf.values(), &self.columns))
    }

    /// Held-out scores as the scorer computes them: [`Fit::score_rows`], except for the rows it would score
    /// differently, which a scorer of this fit's weights scores: rows with no feature this fit knows (0), and
    /// rows long enough for windows (see [`crate::text::windows`]). The threshold is then chosen on the scores a
    /// model of these weights would really give. `buckets` is the bucket of every index of the term frequencies.
    fn score_rows_as_scored(
        &self,
        tf: &TermFrequencies,
        rows: &[usize],
        buckets: &[u32],
        texts: &[String],
        features: &crate::features::FeatureConfig,
    ) -> Result<Vec<f32>> {
        let mut scores = self.score_rows(tf, rows);
        let idf = self.idf.values();
        let mut long = Vec::new();
        for (k, (score, &r)) in scores.iter_mut().zip(rows).enumerate() {
            if !tf.tf.row(r).0.iter().any(|&j| idf[j as usize] > 0.0) {
                *score = 0.0;
            } else if features.window_words > 0 && longer_than(&texts[r], features.window_words) {
                long.push(k);
            }
        }
        if !long.is_empty() {
            let entries = self
                .columns
                .iter()
                .zip(&self.fitted.weights)
                .map(|(&j, &w)| Entry { bucket: buckets[j as usize], idf: idf[j as usize], weight: w as f32 })
                .collect();
            let model = Model::for_scoring(features, entries, self.fitted.intercept)?;
            let mut scorer = model.scorer();
            for k in long {
                scores[k] = scorer.score(&texts[rows[k]]);
            }
        }
        Ok(scores)
    }
}

/// Trains a model on `data`.
pub fn train(data: &TrainingData, options: &TrainOptions, progress: &Progress) -> Result<Model> {
    options.validate()?;
    let n = data.texts.len();
    let folds = check_classes(data, options)?;
    progress.stage("featurising", Some(n as u64), "rows");
    // Term frequencies, computed once: the only copy of the data that the fits below share.
    let mut counts = count_rows(&data.texts, &options.features);
    let sublinear = options.features.sublinear_tf;
    counts.map_values(|c| tf(c, sublinear));
    // Buckets in fewer than min_df rows of all the data are in fewer in any fold too: drop them, and number the
    // rest densely, so that every per-bucket vector of the fits is as short as it can be.
    let kept = Idf::fit(&counts, None, options.features.buckets(), options.features.min_df);
    let buckets = columns(&kept);
    counts.remap_in_place(&column_of(&buckets, options.features.buckets()));
    let tf = TermFrequencies { tf: counts, width: buckets.len() };
    progress.set(n as u64);

    // The final fit runs alongside the cross-validation folds, so that no core waits for the slowest fold.
    let (cv, fit) = rayon::join(
        || -> Result<(f64, Option<CvRecord>)> {
            if folds < 2 {
                progress.stage("fitting", None, "");
                return Ok((0.5, None));
            }
            let (threshold, record) = oof_threshold(data, options, folds, progress, |train, test| {
                let fit = fit_rows(&tf, Some(train), &data.targets, options)?;
                fit.score_rows_as_scored(&tf, test, &buckets, &data.texts, &options.features)
            })?;
            Ok((threshold, Some(record)))
        },
        || fit_rows(&tf, None, &data.targets, options),
    );
    let ((threshold, cv), fit) = (cv?, fit?);
    let idf: Vec<f32> = fit.columns.iter().map(|&k| fit.idf.values()[k as usize]).collect();
    let columns = fit.columns.iter().map(|&k| buckets[k as usize]).collect();
    let done = Finished { columns, idf, fitted: fit.fitted, nonzeros: fit.nonzeros };
    finish(data, options, &options.features, threshold, cv, done, None, progress)
}

/// Chooses the threshold from out-of-fold scores over `folds` folds (in parallel): `fit_score(train, test)` fits
/// on the `train` rows and returns scores for the `test` rows. Returns the threshold and the figures at it.
pub(crate) fn oof_threshold(
    data: &TrainingData,
    options: &TrainOptions,
    folds: usize,
    progress: &Progress,
    fit_score: impl Fn(&[usize], &[usize]) -> Result<Vec<f32>> + Sync,
) -> Result<(f64, CvRecord)> {
    let n = data.texts.len();
    progress.stage("cross-validating", Some(folds as u64), "folds");
    let assignment = fold_assignment(data, folds, options.seed);
    let per_fold: Vec<Result<(Vec<usize>, Vec<f32>)>> = (0..folds)
        .into_par_iter()
        .map(|k| {
            let (test, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| assignment[i] == k);
            let scores = fit_score(&train, &test)?;
            progress.inc(1);
            Ok((test, scores))
        })
        .collect();
    let mut oof = vec![0f32; n];
    for fold in per_fold {
        let (rows, scores) = fold?;
        for (r, s) in rows.into_iter().zip(scores) {
            oof[r] = s;
        }
    }
    let choice = choose_threshold(&oof, &data.targets, options.threshold_rule)?;
    let record = CvRecord {
        folds: folds as u32,
        at_threshold: choice,
        roc_auc: roc_auc(&oof, &data.targets),
        pr_auc: average_precision(&oof, &data.targets),
    };
    Ok((choice.threshold, record))
}

/// A final fit: the bucket and idf of each column, the weights, and the training matrix's size.
pub(crate) struct Finished {
    pub columns: Vec<u32>,
    pub idf: Vec<f32>,
    pub fitted: Fitted,
    pub nonzeros: u64,
}

/// Names the strongest features and assembles the model and its metadata.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    data: &TrainingData,
    options: &TrainOptions,
    features: &crate::features::FeatureConfig,
    threshold: f64,
    cv: Option<CvRecord>,
    fit: Finished,
    warm_start: Option<WarmStartRecord>,
    progress: &Progress,
) -> Result<Model> {
    let n = data.texts.len();
    let positives = data.targets.iter().filter(|&&y| y).count();
    let entries: Vec<Entry> = fit
        .columns
        .iter()
        .zip(&fit.idf)
        .zip(&fit.fitted.weights)
        .map(|((&bucket, &idf), &w)| Entry { bucket, idf, weight: w as f32 })
        .collect();

    progress.stage("naming features", Some(n as u64), "rows");
    let top_features = names::top_features(&data.texts, features, &entries, options.top_features);
    progress.finish();

    let meta = Metadata {
        created_by: format!("propscan {}", env!("CARGO_PKG_VERSION")),
        unicode_version: {
            let (major, minor, patch) = char::UNICODE_VERSION;
            format!("{major}.{minor}.{patch}")
        },
        features: features.clone(),
        training: TrainingRecord {
            alpha: options.alpha,
            class_weight: options.class_weight,
            max_iter: options.max_iter,
            tolerance: Tolerance::Relative(options.tolerance),
            cv_folds: options.cv_folds,
            seed: options.seed,
            threshold_rule: options.threshold_rule,
            warm_start,
        },
        labels: data.labels.clone(),
        threshold,
        data: DataRecord {
            source: data.source.clone(),
            rows: n as u64,
            positives: positives as u64,
            sha256: data.sha256(),
        },
        cv,
        fit: FitRecord {
            iterations: fit.fitted.iterations,
            termination: fit.fitted.termination.clone(),
            cost: fit.fitted.cost,
            columns: fit.columns.len() as u64,
            nonzeros: fit.nonzeros,
        },
        top_features,
    };
    Model::new(meta, entries, fit.fitted.intercept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use design::ExplicitRows;

    /// A fit through the on-the-fly view of the term frequencies equals a fit on the explicitly weighted matrix
    /// (an independent computation of the same TF-IDF rows), up to rounding.
    #[test]
    fn the_view_fits_what_the_weighted_matrix_fits() {
        let calls = ["make hijrah and join the caravan", "pledge bay'ah and send zakat to the brothers"];
        let other = ["join our football club this weekend", "the report quoted calls to make hijrah"];
        let (mut texts, mut targets) = (Vec::new(), Vec::new());
        for i in 0..120 {
            let (pool, positive) = if i % 3 == 0 { (&calls, true) } else { (&other, false) };
            texts.push(format!("{} {}", pool[i % 2], ["now", "today", "brothers", "friends", "soon"][i % 5]));
            targets.push(positive);
        }
        let options = TrainOptions { tolerance: 1e-6, ..TrainOptions::default() };
        let f = &options.features;
        let mut counts = count_rows(&texts, f);
        counts.map_values(|c| tf(c, f.sublinear_tf));
        let idf = Idf::fit(&counts, None, f.buckets(), f.min_df);
        let columns = columns(&idf);
        let c = row_weights(&targets, true);
        let view = TfidfRows::new(&counts, None, idf.values(), &columns);
        let a = fit_logistic(&view, &targets, c.clone(), &options.fit_options(), None, None).expect("view");
        // The values are already term frequencies: weigh them as raw counts.
        let weighted = idf.transform(&counts, false).remap(&column_of(&columns, idf.values().len()));
        let explicit = ExplicitRows::new(&weighted, columns.len());
        let b = fit_logistic(&explicit, &targets, c, &options.fit_options(), None, None).expect("explicit");
        assert_eq!(view.nnz(), explicit.nnz());
        assert!(a.weights.len() > 10 && a.weights.len() == b.weights.len());
        for (x, y) in a.weights.iter().zip(&b.weights) {
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
        assert!((a.intercept - b.intercept).abs() < 1e-4);
    }
}
