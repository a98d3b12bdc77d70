//! The model's metadata: how it was made, from what, and how well it did. Stored as JSON inside the model file.

use crate::features::FeatureConfig;
use crate::metrics::{ThresholdChoice, ThresholdRule};
use serde::{Deserialize, Serialize};

/// Everything a researcher needs to know about a model besides its weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The program that wrote the model, e.g. `propscan 0.1.0`.
    pub created_by: String,
    /// The Unicode version of the lower-casing and letter tables the model was trained with.
    pub unicode_version: String,
    /// How text becomes features.
    pub features: FeatureConfig,
    /// Training options.
    pub training: TrainingRecord,
    /// Label and column names.
    pub labels: LabelRecord,
    /// Default decision threshold: flag when `score >= threshold`.
    pub threshold: f64,
    /// The training data.
    pub data: DataRecord,
    /// Cross-validated figures at the threshold (absent when trained without cross-validation).
    pub cv: Option<CvRecord>,
    /// What the solver did.
    pub fit: FitRecord,
    /// The strongest features, named from the training texts.
    pub top_features: TopFeatures,
}

/// When L-BFGS stops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// Stop when the gradient norm falls below this fraction of its value at the start.
    Relative(f64),
    /// Stop when the gradient norm falls below this value (linfa-logistic's rule).
    Absolute(f64),
}

/// Options the model was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// L2 penalty on the summed loss.
    pub alpha: f64,
    /// `balanced` or `none`.
    pub class_weight: ClassWeight,
    /// Iteration limit of L-BFGS.
    pub max_iter: u64,
    /// Stopping rule of L-BFGS.
    pub tolerance: Tolerance,
    /// Folds of the internal cross-validation that chose the threshold (0: none).
    pub cv_folds: u32,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// How the threshold was chosen.
    pub threshold_rule: ThresholdRule,
    /// The model this one was warm-started from (absent: trained from scratch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_start: Option<WarmStartRecord>,
}

/// Where a warm-started model came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarmStartRecord {
    /// SHA-256 of the old model file.
    pub model_sha256: String,
    /// Rows the old model was trained on.
    pub model_rows: u64,
    /// SHA-256 of the old model's training data.
    pub model_data_sha256: String,
}

/// Class weighting in the loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    /// Each class carries half of the total weight.
    Balanced,
    /// Every row weighs 1.
    None,
}

/// Names of the columns and labels the model was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRecord {
    /// Column (or JSON field) holding the text.
    pub text_column: String,
    /// Column (or JSON field) holding the label.
    pub label_column: String,
    /// The label value of the flagged class.
    pub positive: String,
    /// The other label values seen, sorted.
    pub negatives: Vec<String>,
    /// Column whose values kept related rows in one cross-validation fold (absent: rows were split freely).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_column: Option<String>,
}

impl LabelRecord {
    /// Columns `text` and `label`, labels `1` (flagged) and `0`, no groups: the usual set-up of tests.
    pub fn text_label_1_0() -> Self {
        LabelRecord {
            text_column: "text".into(),
            label_column: "label".into(),
            positive: "1".into(),
            negatives: vec!["0".into()],
            group_column: None,
        }
    }
}

/// Where the training data came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataRecord {
    /// File name(s) of the training input, without directories.
    pub source: String,
    /// Training rows.
    pub rows: u64,
    /// Positive rows.
    pub positives: u64,
    /// SHA-256 over the training rows (label and text of each, in order), hex.
    pub sha256: String,
}

/// Cross-validated figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CvRecord {
    /// Number of folds.
    pub folds: u32,
    /// Threshold and its out-of-fold precision, recall and F1. (Nested, not flattened: serde's `flatten` does
    /// not round-trip numbers with serde_json's `arbitrary_precision`.)
    pub at_threshold: ThresholdChoice,
    /// Out-of-fold ROC-AUC.
    pub roc_auc: Option<f64>,
    /// Out-of-fold average precision.
    pub pr_auc: Option<f64>,
}

/// What the solver did on the final fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitRecord {
    /// L-BFGS iterations.
    pub iterations: u64,
    /// Why it stopped.
    pub termination: String,
    /// Objective value at the solution.
    pub cost: f64,
    /// Buckets with a weight (seen in at least `min_df` training documents).
    pub columns: u64,
    /// Non-zeros in the training matrix.
    pub nonzeros: u64,
}

/// The strongest features each way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopFeatures {
    /// Largest positive weights first.
    pub positive: Vec<NamedFeature>,
    /// Most negative weights first.
    pub negative: Vec<NamedFeature>,
}

/// One bucket, its weight, and the n-grams that fell into it most often in the training texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedFeature {
    /// Bucket number.
    pub bucket: u32,
    /// Learned weight.
    pub weight: f32,
    /// Most frequent n-grams in this bucket, most frequent first (`‹`/`›` mark word boundaries,
    /// `…` a character n-gram inside a word).
    pub ngrams: Vec<String>,
}
