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

/// Everything that can go wrong in propscan.
#[derive(Debug, thiserror::Error)]
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
    #[error("model {path}: {message}")]
    Model {
        /// The model file (`<built-in>` for the embedded default).
        path: String,
        /// What is wrong and what to do about it.
        message: String,
    },

    /// Options that do not fit together or are out of range.
    #[error("{0}")]
    Usage(String),

    /// Training could not produce a model.
    #[error("training failed: {0}")]
    Training(String),

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
    pub fn model(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Model { path: path.into(), message: message.into() }
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
