//! The commands behind the command line: each turns parsed arguments into library calls and output.

mod cv;
mod eval;
mod explain;
mod inspect;
mod score;
mod train;

use crate::cli::{Cli, Command};
use propscan::error::{Error, Result};
use propscan::model::format::{self, sha256_hex};
use propscan::model::Model;
use propscan::progress::Progress;
use propscan::records::AtomicFile;
use std::io::Write;
use std::path::Path;

/// What a command reports back to `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went as asked.
    Success,
    /// Every row was written, but this many were bad rows (written with an `error` and no score).
    BadRows(u64),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    if let Some(n) = cli.threads {
        if n == 0 {
            return Err(Error::Usage("--threads must be at least 1".into()));
        }
        let cap = thread_cap();
        let n = if n > cap {
            if !cli.quiet {
                eprintln!("propscan: warning: --threads {n} is more than 4 per core; using {cap}");
            }
            cap
        } else {
            n
        };
        // Fails only if a pool was already built in this process, in which case that pool is used.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
    let ctx = Context { progress: crate::progress_bar::stderr(!cli.quiet), quiet: cli.quiet };
    match cli.command {
        Command::Train(args) => train::run(args, &ctx),
        Command::Score(args) => score::run(args, &ctx),
        Command::Eval(args) => eval::run(args, &ctx),
        Command::Cv(args) => cv::run(args, &ctx),
        Command::Explain(args) => explain::run(args, &ctx),
        Command::Inspect(args) => inspect::run(args),
    }
}

/// The most worker threads `--threads` may ask for: four per core the system offers (more only wait, and
/// starting them costs time and memory).
pub(crate) fn thread_cap() -> usize {
    4 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What every command gets besides its own arguments.
pub(crate) struct Context {
    /// Progress display (hidden unless stderr is a terminal).
    pub progress: Progress,
    /// No summary lines on stderr.
    pub quiet: bool,
}

/// A model and the facts about its file that audit trails need.
pub(crate) struct LoadedModel {
    pub model: Model,
    /// File name, or `<built-in>`.
    pub name: String,
    /// SHA-256 of the model file.
    pub sha256: String,
    /// Size of the model file in bytes.
    pub bytes: usize,
    /// The format version the file was written in.
    pub format_version: u32,
}

/// Loads the model at `path`, or the built-in default model.
pub(crate) fn load_model(path: Option<&Path>) -> Result<LoadedModel> {
    let (bytes, name) = match path {
        Some(p) => {
            let bytes = format::read_bounded(p)?;
            (std::borrow::Cow::Owned(bytes), p.display().to_string())
        }
        None => {
            if format::DEFAULT_MODEL.is_empty() {
                return Err(Error::Usage(
                    "this build has no default model; build it with the command in models/README.md, or pass --model"
                        .into(),
                ));
            }
            (std::borrow::Cow::Borrowed(format::DEFAULT_MODEL), "<built-in>".to_string())
        }
    };
    let model = format::from_bytes(&bytes, &name)?;
    let format_version = format::version_of(&bytes);
    Ok(LoadedModel { model, sha256: sha256_hex(&bytes), bytes: bytes.len(), name, format_version })
}

/// Refuses an output path that is the same file as one of the inputs (compared by device and inode, so links
/// and other spellings of the path are caught): writing it would destroy the input.
pub(crate) fn refuse_overwriting_inputs(output: &Path, inputs: &[&Path]) -> Result<()> {
    match inputs.iter().find(|input| propscan::records::same_file(output, input)) {
        Some(input) => Err(Error::Usage(format!(
            "the output {} is the same file as the input {}; writing it would destroy the input. Choose another \
             output path",
            output.display(),
            input.display()
        ))),
        None => Ok(()),
    }
}

/// Says so on stderr when a command is about to read standard input from a terminal (where it would otherwise
/// seem to hang).
pub(crate) fn tell_if_waiting_on_a_terminal(quiet: bool) {
    use std::io::IsTerminal;
    if !quiet && std::io::stdin().is_terminal() {
        eprintln!("propscan: reading from standard input; end it with Ctrl-D");
    }
}

/// Checks a user-given threshold.
pub(crate) fn check_threshold(t: Option<f64>) -> Result<()> {
    match t {
        Some(t) if !(0.0..=1.0).contains(&t) => Err(Error::Usage(format!("--threshold must be in [0, 1] (got {t})"))),
        _ => Ok(()),
    }
}

/// Output to a file (written atomically) or to stdout.
pub(crate) enum Output {
    Stdout,
    File(AtomicFile),
}

impl Output {
    /// Prepares the output now, so that an unwritable path fails before any work.
    pub fn open(path: Option<&Path>) -> Result<Output> {
        Ok(match path {
            Some(p) => Output::File(AtomicFile::create(p)?),
            None => Output::Stdout,
        })
    }

    /// A writer for the output.
    pub fn writer(&self) -> Result<Box<dyn Write + Send>> {
        Ok(match self {
            Output::Stdout => Box::new(std::io::stdout()),
            Output::File(f) => Box::new(f.writer()?),
        })
    }

    /// Moves a file output into place.
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout => Ok(()),
            Output::File(f) => f.commit(),
        }
    }
}

/// The file name of a path without its directories (for metadata that must not depend on where data lives).
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
