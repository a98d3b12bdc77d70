//! Command-line definitions (clap): raw values only. The commands in [`crate::commands`] validate them.

use clap::{Args, Parser, Subcommand};
use propscan::model::meta::ClassWeight as LibClassWeight;
use propscan::records::Encoding as LibEncoding;
use propscan::records::{InputFormat as LibInputFormat, OutputFormat as LibOutputFormat};
use propscan::text::StemMode as LibStemMode;
use std::path::PathBuf;

/// Flags recruitment-style calls to action in extremist propaganda, with evidence a reviewer can check.
#[derive(Debug, Parser)]
#[command(name = "propscan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// No progress display and no summary on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
}

/// propscan's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn a model from labelled text (CSV, TSV or JSONL).
    Train(TrainArgs),
    /// Score texts; every input row comes out with `score` and `flagged` added.
    Score(ScoreArgs),
    /// Measure a model on labelled text.
    Eval(EvalArgs),
    /// Cross-validate training on labelled text: figures overall, per fold and per slice.
    Cv(CvArgs),
    /// Explain one text's score: the features that raised it and where they are.
    Explain(ExplainArgs),
    /// Show how a model was made: options, data, threshold, strongest features.
    Inspect(InspectArgs),
}

/// Where the text and labels are.
#[derive(Debug, Args)]
pub struct ColumnArgs {
    /// Column (or JSON field) holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// Input format; by default from the file extension (.csv .tsv .jsonl .txt; stdin: txt).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Replace invalid UTF-8 with U+FFFD instead of treating the row as bad.
    #[arg(long)]
    pub lossy: bool,
    /// Rows longer than this are bad rows (kept in the output with an `error`, their long fields empty); at least 1.
    #[arg(long, default_value_t = propscan::records::MAX_RECORD_BYTES as u64, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_record_bytes: u64,
    /// The inputs' encoding (auto: UTF-8, or UTF-16 when a UTF-16 byte-order mark starts the input).
    #[arg(long, value_enum, default_value = "auto", value_name = "ENCODING")]
    pub encoding: Encoding,
    /// Read TSV fields quoted as in CSV (by default a `"` in TSV is text, as spreadsheets and `cut` write it).
    #[arg(long)]
    pub tsv_quoted: bool,
}

impl ColumnArgs {
    /// The reading options these arguments ask for.
    pub fn read_options(&self) -> propscan::records::ReadOptions {
        propscan::records::ReadOptions {
            lossy: self.lossy,
            max_record_bytes: usize::try_from(self.max_record_bytes).unwrap_or(usize::MAX),
            encoding: self.encoding.into(),
            tsv_quoted: self.tsv_quoted,
        }
    }

    /// The input format asked for, if any.
    pub fn input_format(&self) -> Option<LibInputFormat> {
        self.input_format.map(Into::into)
    }
}

/// Labelled input: where the text, the labels and the row groups are.
#[derive(Debug, Args)]
pub struct LabeledArgs {
    /// Labelled data (CSV, TSV or JSONL); repeat to train on several files as one (`--input a.csv --input
    /// b.csv`): each needs the text and label columns.
    #[arg(long, short, value_name = "FILE", required = true)]
    pub input: Vec<PathBuf>,
    /// Column (or JSON field) holding the label.
    #[arg(long, default_value = "label", value_name = "NAME")]
    pub label_column: String,
    /// The label value of the flagged class (inferred only from 1/0 or true/false).
    #[arg(long, value_name = "LABEL")]
    pub positive: Option<String>,
    /// Keep rows with the same value here (e.g. one article's sentences, one account's posts) in the same
    /// cross-validation fold. Rows with an empty value, or from an input without the column, are each a group
    /// of their own.
    #[arg(long, value_name = "NAME")]
    pub group_column: Option<String>,
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// How a model is trained: features, solver, threshold.
#[derive(Debug, Args)]
pub struct TrainingArgs {
    /// Hash buckets as a power of two.
    #[arg(long, default_value_t = 18, value_name = "BITS")]
    pub buckets_log2: u8,
    /// Largest word n-gram.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub word_ngrams: u8,
    /// Character n-gram sizes within words, MIN-MAX, or 0 to disable them.
    #[arg(long, default_value = "2-5", value_name = "MIN-MAX")]
    pub char_ngrams: String,
    /// Let punctuation and emoji tokens take part in word n-grams (off by default: they say how a text was
    /// typed, not what it asks).
    #[arg(long)]
    pub symbols: bool,
    /// Keep links, @mentions, retweet prefixes and HTML entities as text instead of handling them as
    /// social-media markup.
    #[arg(long)]
    pub no_social: bool,
    /// Score texts longer than this many words window by window as well (sentences and pairs of sentences),
    /// keeping the highest score; 0 scores every text whole.
    #[arg(long, default_value_t = 40, value_name = "WORDS")]
    pub window_words: u32,
    /// Let function words (the, will, you, онҳо, في ...) be features of their own.
    #[arg(long)]
    pub keep_stopwords: bool,
    /// Stemming of words (English, Russian, Arabic by script).
    #[arg(long, value_enum, default_value = "none")]
    pub stem: StemMode,
    /// Drop buckets seen in fewer training rows than this.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_df: u32,
    /// Use raw term counts instead of 1 + ln(count).
    #[arg(long)]
    pub raw_tf: bool,
    /// L2 penalty on the summed loss (scikit-learn's 1/C).
    #[arg(long, default_value_t = 1.0)]
    pub alpha: f64,
    /// Class weighting for rare positives.
    #[arg(long, value_enum, default_value = "balanced")]
    pub class_weight: ClassWeight,
    /// L-BFGS iteration limit.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_iter: u64,
    /// Stop when the gradient norm falls below this fraction of its starting value.
    #[arg(long, default_value_t = 1e-3)]
    pub tol: f64,
    /// Cross-validation folds for choosing the threshold (0: fixed threshold 0.5).
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub cv_folds: u32,
    /// Seed for the fold assignment.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Choose the threshold for this cross-validated precision instead of the best F1.
    #[arg(long, value_name = "P", conflicts_with = "target_recall")]
    pub target_precision: Option<f64>,
    /// Choose the threshold for this cross-validated recall instead of the best F1.
    #[arg(long, value_name = "R")]
    pub target_recall: Option<f64>,
    /// With --target-precision: the precision is the one expected where this share of texts are calls to action
    /// (for example 0.01), not the training data's own share.
    #[arg(long, value_name = "SHARE", requires = "target_precision")]
    pub prevalence: Option<f64>,
}

/// `propscan train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: LabeledArgs,
    /// Where to write the model.
    #[arg(long, short, value_name = "MODEL")]
    pub output: PathBuf,
    /// Retrain this model on the input (reviewer feedback): same features, old weights as the prior.
    #[arg(long, value_name = "OLD_MODEL")]
    pub warm_start: Option<PathBuf>,
    #[command(flatten)]
    pub training: TrainingArgs,
}

/// `propscan cv`.
#[derive(Debug, Args)]
pub struct CvArgs {
    #[command(flatten)]
    pub data: LabeledArgs,
    /// Folds (each is held out once; the threshold is chosen inside the other folds).
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: u32,
    /// Also report figures per value of this column (repeatable: --by lang --by kind).
    #[arg(long, value_name = "COLUMN")]
    pub by: Vec<String>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Also write every row's out-of-fold result (row, line, fold, label, score, flagged) as CSV here.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub training: TrainingArgs,
}

/// `propscan score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Inputs (`-` or none: stdin).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Model file (default: the model built into propscan).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output file (default: stdout). Written atomically.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format (default: like the input; plain text gives CSV).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Flag rows at or above this score instead of the model's threshold.
    #[arg(long, value_name = "T", conflicts_with = "review_band")]
    pub threshold: Option<f64>,
    /// Three decisions: `flag` at or above HIGH, `review` from LOW up to HIGH, `pass` below (adds `decision`).
    #[arg(long, value_name = "LOW:HIGH")]
    pub review_band: Option<String>,
    /// Add an `evidence` column: the K features that raised each row's score most, with their spans.
    #[arg(long, value_name = "K")]
    pub explain: Option<usize>,
    /// Write only the N highest-scoring rows, highest first (a review queue of fixed size).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Add the model's SHA-256, its format version and the threshold used to every row.
    #[arg(long)]
    pub audit: bool,
    /// Write cells exactly as they are: no `'` before cells a spreadsheet would run as a formula.
    #[arg(long)]
    pub raw_cells: bool,
    #[command(flatten)]
    pub columns: ColumnArgs,
}

/// `propscan eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Model file (default: the model built into propscan).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Labelled data to evaluate on.
    #[arg(long, short, value_name = "FILE")]
    pub input: PathBuf,
    /// The label value of the flagged class (default: the model's positive label).
    #[arg(long, value_name = "LABEL")]
    pub positive: Option<String>,
    /// Column (or JSON field) holding the label.
    #[arg(long, default_value = "label", value_name = "NAME")]
    pub label_column: String,
    #[command(flatten)]
    pub columns: ColumnArgs,
    /// Evaluate at this threshold instead of the model's.
    #[arg(long, value_name = "T")]
    pub threshold: Option<f64>,
    /// Also report figures per value of this column (repeatable: --by lang --by kind).
    #[arg(long, value_name = "COLUMN")]
    pub by: Vec<String>,
    /// Also write a self-contained HTML report (curves, histograms, tables) here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// `propscan explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The text (`-` or none: read stdin as one text).
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Model file (default: the model built into propscan).
    #[arg(long, short, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Features of evidence to show.
    #[arg(long, default_value_t = 10, value_name = "K")]
    pub top: usize,
    /// Decide at this threshold instead of the model's.
    #[arg(long, value_name = "T")]
    pub threshold: Option<f64>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `propscan inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Model file (default: the model built into propscan).
    #[arg(value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Print the model's metadata as JSON.
    #[arg(long)]
    pub json: bool,
    /// Features to list each way.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
}

/// The command line's names for the library's option enums: the library itself knows no argument parser.
macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident => $lib:ident { $($(#[$vdoc:meta])* $variant:ident $(= $value:literal)?),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
        pub enum $name {
            $($(#[$vdoc])* $(#[value(name = $value)])? $variant),+
        }
        impl From<$name> for $lib {
            fn from(v: $name) -> $lib {
                match v {
                    $($name::$variant => $lib::$variant),+
                }
            }
        }
    };
}

mirror! {
    /// The layout of an input file.
    InputFormat => LibInputFormat {
        /// Comma-separated values with a header row (RFC 4180 quoting)
        Csv,
        /// Tab-separated values with a header row
        Tsv,
        /// One JSON object per line
        Jsonl,
        /// One document per line, no header
        Txt,
    }
}

mirror! {
    /// The layout of the output.
    OutputFormat => LibOutputFormat {
        /// Comma-separated values with a header row
        Csv,
        /// Tab-separated values with a header row
        Tsv,
        /// One JSON object per line
        Jsonl,
    }
}

mirror! {
    /// The encoding of an input.
    Encoding => LibEncoding {
        /// UTF-8, or UTF-16 when the input starts with a UTF-16 byte-order mark
        Auto,
        /// UTF-8
        Utf8 = "utf-8",
        /// UTF-16, little-endian
        Utf16Le = "utf-16le",
        /// UTF-16, big-endian
        Utf16Be = "utf-16be",
        /// Latin-1 (read as Windows-1252)
        Latin1 = "latin1",
    }
}

mirror! {
    /// Stemming of words.
    StemMode => LibStemMode {
        /// Words are used as they are after normalisation
        None,
        /// English, Russian or Arabic stemmer, chosen by the word's script
        Auto,
    }
}

mirror! {
    /// Class weighting.
    ClassWeight => LibClassWeight {
        /// Each class carries half of the total weight
        Balanced,
        /// Every row weighs 1
        None,
    }
}
