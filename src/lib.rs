//! propscan: flags recruitment-style calls to action in extremist propaganda, fast, on ordinary machines, with
//! evidence a human reviewer can check.
//!
//! The pipeline, one module per stage:
//! [`text`] (normalise, tokenise, stem) → [`features`] (hashed n-grams, TF-IDF) → [`train`] (logistic regression
//! with argmin's L-BFGS on a sparse matrix, threshold by cross-validation) → [`model`] (versioned, checksummed
//! file) → [`score`] (streaming, parallel, order-preserving). [`records`] reads and writes CSV, TSV, JSONL and
//! text; [`metrics`] measures; [`commands`] and [`cli`] make the `propscan` command.
//!
//! ```
//! use propscan::train::{train, TrainOptions, TrainingData};
//! use propscan::model::meta::LabelRecord;
//!
//! let texts: Vec<String> = ["make hijrah and join the caravan", "join our football club this weekend"]
//!     .iter().cycle().take(40).map(|s| s.to_string()).collect();
//! let targets = (0..40).map(|i| i % 2 == 0).collect();
//! let labels = LabelRecord { text_column: "text".into(), label_column: "label".into(),
//!                            positive: "1".into(), negatives: vec!["0".into()],
//!                            group_column: None };
//! let data = TrainingData { texts, targets, labels, source: "example".into(), groups: None };
//! let model = train(&data, &TrainOptions::default(), &propscan::progress::Progress::hidden()).unwrap();
//! assert!(model.score("join the caravan, make hijrah") > model.score("join the football club"));
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod crossval;
pub mod error;
pub mod explain;
pub mod features;
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

pub use error::{Error, Result};
pub use model::Model;
