//! Reading and writing rows: CSV, TSV, JSONL and plain text in; CSV, TSV and JSONL out, every input field kept.
//!
//! Readers stream one row at a time and report every problem with the file, line and column. Writers append
//! `score` and `flagged` (or overwrite columns of those names in place) and write atomically when the output is
//! a file.

pub mod decode;
pub mod labels;
pub mod reader;
pub mod strict;
pub mod writer;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use labels::{resolve_labels, ResolvedLabels};
pub use reader::{read_labeled, LabeledRows, Record, RecordReader, Row};
pub use writer::RecordWriter;

/// The layout of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// A file being written under a temporary name beside its final path; renamed into place by
/// [`AtomicFile::commit`], removed if dropped before.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file now, so that an unwritable destination fails before any work is done.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        // Write through a symbolic link to the file it points at, and keep an existing file's permissions.
        let existing = std::fs::metadata(target).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(Error::Usage(format!("{} is a directory; give a file name for the output", target.display())));
        }
        let resolved = match existing {
            Some(_) => std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf()),
            None => target.to_path_buf(),
        };
        let target = resolved.as_path();
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".{name}.");
        builder.prefix(&prefix).suffix(".propscan-tmp");
        // A temporary file is private (0600) by default; the finished file should be readable like any other.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(existing.map_or_else(|| std::fs::Permissions::from_mode(0o644), |m| m.permissions()));
        }
        let tmp = builder.tempfile_in(&dir).map_err(|e| Error::io(target, e))?;
        Ok(AtomicFile { tmp, target: target.to_path_buf() })
    }

    /// A handle to write through.
    pub fn writer(&self) -> Result<std::fs::File> {
        self.tmp.as_file().try_clone().map_err(|e| Error::io(&self.target, e))
    }

    /// Flushes to disk and renames the file into place.
    pub fn commit(self) -> Result<()> {
        self.tmp.as_file().sync_all().map_err(|e| Error::io(&self.target, e))?;
        let target = self.target.clone();
        self.tmp.persist(&target).map_err(|e| Error::io(&target, e.error))?;
        Ok(())
    }
}

/// Writes a file atomically with `f`.
pub fn atomic_write(path: &Path, f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let file = AtomicFile::create(path)?;
    let mut w = std::io::BufWriter::new(file.writer()?);
    f(&mut w).and_then(|_| w.flush()).map_err(|e| Error::io(path, e))?;
    drop(w);
    file.commit()
}
