//! From raw bytes to rows: UTF-8 decoding (strict or lossy), the record size limit, and line endings (`\n`,
//! `\r\n` and a lone `\r`). A row that breaks a rule becomes a bad row with its problem, never a lost row.

use super::reader::{Record, Row};
use std::io::{BufRead, BufReader, Read};

/// Any input stream.
pub(super) type Input = Box<dyn Read + Send>;

/// How leniently to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD instead of marking the row bad.
    pub lossy: bool,
    /// Rows longer than this many bytes are bad rows (their long fields are left empty).
    pub max_record_bytes: usize,
}

/// The default `--max-record-bytes`: 1 MiB.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { lossy: false, max_record_bytes: MAX_RECORD_BYTES }
    }
}

/// Text from bytes: invalid UTF-8 is replaced (U+FFFD), and reported unless `lossy`.
pub(super) fn decode(bytes: &[u8], lossy: bool) -> (std::borrow::Cow<'_, str>, Option<String>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), None),
        Err(e) => {
            let problem = (!lossy).then(|| {
                format!(
                    "invalid UTF-8 at byte {} of the row; re-save the file as UTF-8, or pass --lossy to replace \
                     bad bytes",
                    e.valid_up_to()
                )
            });
            (String::from_utf8_lossy(bytes), problem)
        }
    }
}

/// A CSV/TSV row from its raw fields: decoded, checked against the header, and limited in size.
pub(super) fn delimited_record(raw: &csv::ByteRecord, line: u64, columns: &[String], options: ReadOptions) -> Record {
    let mut problems = Vec::new();
    if raw.len() != columns.len() {
        problems.push(format!(
            "this row has {} fields but the header has {}; check its quoting and delimiters",
            raw.len(),
            columns.len()
        ));
    }
    let size = raw.as_slice().len();
    let too_long = size > options.max_record_bytes;
    if too_long {
        problems.push(format!(
            "the row is {size} bytes, over --max-record-bytes {}; its fields over 1 KiB are left empty",
            options.max_record_bytes
        ));
    }
    let mut fields = csv::StringRecord::with_capacity(size.min(options.max_record_bytes), raw.len());
    for (i, field) in raw.iter().enumerate() {
        if too_long && field.len() > 1024 {
            fields.push_field("");
            continue;
        }
        let (text, bad) = decode(field, options.lossy);
        if bad.is_some() {
            let column = columns.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1));
            problems.push(format!(
                "invalid UTF-8 in column '{column}'; re-save the file as UTF-8, or pass --lossy to replace bad bytes"
            ));
        }
        fields.push_field(&text);
    }
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    Record { line, row: Row::Fields(fields), error }
}

/// Reads one line ending in `\n`, `\r\n` or a lone `\r` (or the end of the input) into `buf`, keeping at most
/// `max` bytes of it. Returns the bytes consumed and whether the line was longer than `max`, or `None` at the end.
pub(super) fn read_line(
    reader: &mut BufReader<Input>,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<(u64, bool)>> {
    buf.clear();
    let (mut consumed, mut overflow, mut any) = (0u64, false, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some((consumed, overflow)));
        }
        any = true;
        let end = available.iter().position(|&b| b == b'\n' || b == b'\r');
        let chunk = &available[..end.unwrap_or(available.len())];
        let room = max.saturating_sub(buf.len());
        if chunk.len() > room {
            overflow = true;
        }
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let step = chunk.len() + usize::from(end.is_some());
        let was_cr = end.is_some_and(|i| available[i] == b'\r');
        reader.consume(step);
        consumed += step as u64;
        if end.is_some() {
            if was_cr && reader.fill_buf()?.first() == Some(&b'\n') {
                reader.consume(1);
                consumed += 1;
            }
            return Ok(Some((consumed, overflow)));
        }
    }
}
