//! Reading and writing rows: CSV, TSV, JSONL and plain text in; CSV, TSV and JSONL out, every input field kept.
//!
//! Readers stream one row at a time and report every problem with the file, line and column. Writers append
//! `score` and `flagged` (or overwrite columns of those names in place) and write atomically when the output is
//! a file.

pub(crate) mod decode;
mod delimited;
pub(crate) mod labels;
pub(crate) mod output;
pub(crate) mod reader;
pub(crate) mod writer;

use crate::error::{Error, Result};
use std::path::Path;

pub use decode::{Encoding, ReadOptions, MAX_RECORD_BYTES};
pub use labels::{resolve_labels, ResolvedLabels};
pub use output::{atomic_write, remove_temp_files, same_file, AtomicFile};
pub use reader::{read_labeled, LabeledRows, Record, RecordReader, Row};
pub use writer::RecordWriter;

/// The layout of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON object per line.
    Jsonl,
    /// One document per line, no header.
    Txt,
}

impl InputFormat {
    /// The format implied by a file name's extension.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => InputFormat::Csv,
            "tsv" | "tab" => InputFormat::Tsv,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "txt" | "text" => InputFormat::Txt,
            _ => return None,
        })
    }

    /// The format of an input: `explicit` if given, else from the extension; stdin (`None`) defaults to text.
    pub fn resolve(path: Option<&Path>, explicit: Option<InputFormat>) -> Result<InputFormat> {
        if let Some(f) = explicit {
            return Ok(f);
        }
        match path {
            None => Ok(InputFormat::Txt),
            Some(p) => InputFormat::from_path(p).ok_or_else(|| {
                Error::Usage(format!(
                    "{}: cannot tell the format from the file name; pass --input-format csv, tsv, jsonl or txt",
                    p.display()
                ))
            }),
        }
    }
}

/// The layout of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

impl OutputFormat {
    /// The output format that matches an input format (plain text becomes CSV).
    pub fn for_input(input: InputFormat) -> OutputFormat {
        match input {
            InputFormat::Csv | InputFormat::Txt => OutputFormat::Csv,
            InputFormat::Tsv => OutputFormat::Tsv,
            InputFormat::Jsonl => OutputFormat::Jsonl,
        }
    }
}
