//! The library's one error type.
//!
//! Every variant carries enough context (file, line, column) for a moderator to find the problem and a hint
//! about what to do. Nothing read from disk or stdin may panic; it becomes one of these instead.

use std::fmt;
use std::path::Path;

/// Where in an input a problem was found: the file, the line (1-based) and the column, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, or `<stdin>`.
    pub source: String,
    /// 1-based line number where the record starts.
    pub line: Option<u64>,
    /// Column (CSV/TSV) or field (JSONL) name.
    pub column: Option<String>,
}

impl Location {
    /// A location covering a whole file.
    pub fn file(source: impl Into<String>) -> Self {
        Location { source: source.into(), line: None, column: None }
    }

    /// A location at one line of a file.
    pub fn line(source: impl Into<String>, line: u64) -> Self {
        Location { source: source.into(), line: Some(line), column: None }
    }

    /// The same location, narrowed to one column.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ": line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        Ok(())
    }
}

/// What is wrong with a model file: callers can tell a foreign file from a damaged one, or from one that a
/// newer propscan wrote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelProblem {
    /// The bytes do not start with propscan's magic bytes.
    #[error("not a propscan model file (it does not start with the propscan magic bytes)")]
    NotAModel,
    /// Shorter than a model can be, or than the model its header describes (a damaged header reads the same).
    #[error("{}", truncated(*.bytes, *.expected))]
    Truncated {
        /// Bytes present.
        bytes: u64,
        /// Bytes the header describes, when it can be read.
        expected: Option<u64>,
    },
    /// The checksum does not match: the file was altered or corrupted.
    #[error("damaged: checksum mismatch (the file was altered or corrupted); copy it again or retrain")]
    ChecksumMismatch,
    /// Written in a format version newer than this propscan reads.
    #[error("format version {version} is newer than this propscan reads (up to {newest}); upgrade propscan")]
    NewerFormat {
        /// The file's format version.
        version: u32,
        /// The newest this build reads.
        newest: u32,
    },
    /// Larger than any model can be.
    #[error("larger than {limit_mib} MiB, far larger than any propscan model; is this the right file?")]
    TooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// Damaged in some other way (what is wrong is in the text).
    #[error("damaged: {0}")]
    Damaged(String),
    /// A model that cannot be written (its metadata cannot be encoded or is too large).
    #[error("cannot be written: {0}")]
    Unwritable(String),
}

/// The message of [`ModelProblem::Truncated`].
fn truncated(bytes: u64, expected: Option<u64>) -> String {
    match expected {
        None => format!("truncated: only {bytes} bytes, too short for a model"),
        Some(e) => format!("truncated or damaged: the header describes {e} bytes but the file has {bytes}"),
    }
}

/// Why training could not produce a model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingProblem {
    /// The data has only one class.
    #[error(
        "the training data has only one class ({positives} positive, {negatives} negative rows); it needs examples \
         of both"
    )]
    OneClass {
        /// Positive rows.
        positives: usize,
        /// Negative rows.
        negatives: usize,
    },
    /// Too few rows (or groups) of a class for the folds asked for.
    #[error(
        "`{option}` {folds}: {positives} positive and {negatives} negative {unit} are too few (each of {folds} \
         folds needs {unit} of both classes); lower `{option}` or add data"
    )]
    TooFewForFolds {
        /// The option that asked for the folds: `cv_folds` (the threshold's) or `folds` (cross-validation's).
        option: &'static str,
        /// Folds asked for.
        folds: usize,
        /// Positive rows or groups.
        positives: usize,
        /// Negative rows or groups.
        negatives: usize,
        /// `rows` or `groups`.
        unit: &'static str,
    },
    /// No feature is left after dropping those in fewer than `min_df` training rows.
    #[error("no feature occurs in at least {min_df} training rows; add data or lower `min_df`")]
    NoFeatures {
        /// The `min_df` asked for.
        min_df: u32,
    },
    /// No threshold meets the rule asked for.
    #[error("{0}")]
    NoThreshold(String),
    /// The solver or the data failed in another way.
    #[error("{0}")]
    Other(String),
}

/// Everything that can go wrong in propscan. Model files and training fail with kinds a caller can match
/// ([`ModelProblem`], [`TrainingProblem`], [`Error::InvalidOption`]); messages name options as
/// [`crate::TrainOptions`] does, in backquotes, and the command line turns those names into its flags.
///
/// ```
/// use propscan::{Error, Model, ModelProblem, TrainOptions, TrainingData, TrainingProblem};
///
/// let bytes = Model::builtin()?.to_bytes()?;
/// match Model::from_bytes(&bytes[..bytes.len() / 2]) {
///     Err(Error::Model { problem: ModelProblem::Truncated { .. }, .. }) => {} // copy the file again
///     other => panic!("{other:?}"),
/// }
/// let data = TrainingData::new(&["join us", "the news"], &[true, false])?;
/// match propscan::train(&data, &TrainOptions::builder().cv_folds(5).build()?) {
///     Err(Error::Training(TrainingProblem::TooFewForFolds { folds: 5, positives: 1, .. })) => {}
///     other => panic!("{other:?}"),
/// }
/// assert!(matches!(TrainOptions::builder().alpha(0.0).build(), Err(Error::InvalidOption { option: "alpha", .. })));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operating system refused a read or write.
    #[error("{path}: {source}")]
    Io {
        /// The file involved (`<stdin>`/`<stdout>` for the streams).
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A problem with input data at a known place.
    #[error("{location}: {message}")]
    Input {
        /// Where the problem is.
        location: Location,
        /// What is wrong and what to do about it.
        message: String,
    },

    /// A model file that cannot be used.
    #[error("model {path}: {problem}")]
    Model {
        /// The model file (`<built-in>` for the embedded default, `<bytes>` for bytes given).
        path: String,
        /// What is wrong.
        problem: ModelProblem,
    },

    /// A training option out of range or at odds with another; `option` is its [`crate::TrainOptions`] (or
    /// [`crate::FeatureConfig`]) name, which the message names in backquotes.
    #[error("{message}")]
    InvalidOption {
        /// The option's name.
        option: &'static str,
        /// What is wrong with it.
        message: String,
    },

    /// Arguments that do not fit together (data and labels of different lengths, a path that cannot be an
    /// output...).
    #[error("{0}")]
    Usage(String),

    /// Training could not produce a model.
    #[error("training failed: {0}")]
    Training(TrainingProblem),

    /// The consumer of our output went away (for example `propscan score | head`).
    #[error("output closed")]
    BrokenPipe,
}

impl Error {
    /// An I/O error on a path, turning a closed pipe into [`Error::BrokenPipe`].
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::BrokenPipe;
        }
        Error::Io { path: path.as_ref().display().to_string(), source }
    }

    /// An input problem at `location`.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input { location, message: message.into() }
    }

    /// A model problem for the file at `path`.
    pub fn model(path: impl Into<String>, problem: ModelProblem) -> Self {
        Error::Model { path: path.into(), problem }
    }

    /// An option out of range: `message` names it as `` `option` ``.
    pub fn option(option: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidOption { option, message: message.into() }
    }

    /// A training failure not of a named kind.
    pub fn training(message: impl Into<String>) -> Self {
        Error::Training(TrainingProblem::Other(message.into()))
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
