//! propscan: flags recruitment-style calls to action in extremist propaganda, fast, on ordinary machines, with
//! evidence a human reviewer can check.
//!
//! The types a caller needs are at the crate root: [`Model`] ([`Model::load`], [`Model::from_bytes`],
//! [`Model::builtin`], [`Model::save`], [`Model::to_bytes`], [`Model::score`], [`Model::score_batch`],
//! [`Model::flags`], [`Model::explain`], [`Model::explain_batch`], [`Model::threshold`], [`Model::meta`]),
//! [`TrainingData`] and [`TrainOptions`] (built by [`TrainOptions::builder`]) for [`train()`] and
//! [`warm_start`], [`cross_validate`] and the figures it returns, and the one [`Error`] type, whose
//! [`ModelProblem`] and [`TrainingProblem`] kinds a caller can match. The pipeline, one module per stage:
//! [`text`] (normalise, social-media markup, tokenise, windows, stem) → [`features`] (hashed n-grams, TF-IDF) →
//! [`mod@train`] (logistic regression with argmin's L-BFGS on a sparse matrix, threshold by cross-validation) →
//! [`model`] (versioned, checksummed file) → [`score`] (streaming, parallel, order-preserving). [`records`]
//! reads and writes CSV, TSV, JSONL and text; [`metrics`] measures. The `propscan` command (the `cli` feature,
//! on by default) is a thin binary over this library.
//!
//! ```
//! use propscan::{Model, TrainOptions, TrainingData};
//!
//! // Score with the built-in model.
//! let model = Model::builtin()?;
//! let scores = model.score_batch(&["Brothers, make hijrah and join the ranks", "Join our football club"]);
//! assert!(scores[0] > scores[1]);
//!
//! // Train your own, save it, load it back.
//! let texts = ["make hijrah and join the caravan", "join our football club this weekend"];
//! let texts: Vec<&str> = texts.iter().cycle().take(40).copied().collect();
//! let labels: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
//! let data = TrainingData::new(&texts, &labels)?;
//! let trained = propscan::train(&data, &TrainOptions::builder().cv_folds(2).build()?)?;
//! let path = std::env::temp_dir().join("propscan-doc.model");
//! trained.save(&path)?;
//! assert_eq!(Model::load(&path)?, trained);
//! # std::fs::remove_file(&path).ok();
//! # Ok::<(), propscan::Error>(())
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

pub mod crossval;
pub mod error;
pub mod explain;
pub mod features;
#[cfg(feature = "linfa")]
#[path = "linfa_traits.rs"]
pub mod linfa;
pub mod metrics;
pub mod model;
pub mod progress;
pub mod records;
pub mod report;
pub mod score;
pub mod text;
pub mod train;

#[cfg(test)]
mod testing;

pub use crossval::{CrossValidation, FoldResult};
pub use error::{Error, Location, ModelProblem, Result, TrainingProblem};
pub use explain::{Evidence, Explainer, Explanation, Span};
pub use features::FeatureConfig;
pub use metrics::{Report, ThresholdChoice, ThresholdRule};
pub use model::meta::{ClassWeight, LabelRecord};
pub use model::{Metadata, Model, Scorer};
pub use progress::{Progress, ProgressSink};
pub use train::{TrainOptions, TrainOptionsBuilder, TrainingData};

/// Trains a model on `data` with `options` (no progress display; see [`train::train`] for one).
pub fn train(data: &TrainingData, options: &TrainOptions) -> Result<Model> {
    train::train(data, options, &Progress::hidden())
}

/// Cross-validates training with `options` on `data` in `folds` folds (stratified, and grouped when `data` has
/// groups; seeded by `options.seed`): every row's score and decision come from a model that did not see it.
/// See [`crossval::cross_validate`] for one with a progress display.
///
/// ```
/// use propscan::{TrainOptions, TrainingData};
/// let texts = ["make hijrah and join the caravan", "join our football club this weekend"];
/// let texts: Vec<&str> = texts.iter().cycle().take(40).copied().collect();
/// let labels: Vec<bool> = (0..40).map(|i| i % 2 == 0).collect();
/// let data = TrainingData::new(&texts, &labels)?;
/// let cv = propscan::cross_validate(&data, &TrainOptions::builder().cv_folds(2).build()?, 4)?;
/// assert_eq!(cv.scores.len(), 40);
/// assert_eq!(cv.folds.len(), 4);
/// assert!(cv.fold_of.iter().all(|&k| k < 4));
/// # Ok::<(), propscan::Error>(())
/// ```
pub fn cross_validate(data: &TrainingData, options: &TrainOptions, folds: usize) -> Result<CrossValidation> {
    crossval::cross_validate(data, options, folds, options.seed, &Progress::hidden())
}

/// Retrains `old` on `data` (reviewer feedback). The old model is the prior: the new one keeps its features,
/// vocabulary and idf (so `options.features` is not used), starts from its weights and is fitted on `data` alone,
/// with the L2 penalty pulling weights toward the old ones instead of toward zero
/// (`loss + alpha/2 · |w - w_old|²`). A few hundred corrected rows move the model where they disagree with it
/// and leave it alone elsewhere; words the old model never saw stay unknown (retrain from scratch to add them).
/// The threshold is chosen again by cross-validation on `data`, or the old one kept when `cv_folds` is below 2.
pub fn warm_start(old: &Model, data: &TrainingData, options: &TrainOptions) -> Result<Model> {
    train::warm_start(old, &old.sha256()?, data, options, &Progress::hidden())
}
