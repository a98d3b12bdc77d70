//! From raw bytes to rows: the input's encoding (UTF-8, or UTF-16 found by its byte-order mark or named, or
//! Latin-1), UTF-8 decoding (strict or lossy), the record size limit, and line endings (`\n`, `\r\n` and a lone
//! `\r`). A row that breaks a rule becomes a bad row with its problem, never a lost row.

use super::reader::{Record, Row};
use std::io::{BufRead, BufReader, Read};

/// Any input stream.
pub(super) type Input = Box<dyn Read + Send>;

/// The encoding of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, or UTF-16 when the input starts with a UTF-16 byte-order mark (Excel's "Unicode text").
    #[default]
    Auto,
    /// UTF-8 (a UTF-16 byte-order mark is then just bytes).
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Latin-1 (read as Windows-1252, as browsers do).
    Latin1,
}

/// How leniently to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD instead of marking the row bad.
    pub lossy: bool,
    /// Rows longer than this many bytes are bad rows (their long fields are left empty).
    pub max_record_bytes: usize,
    /// The input's encoding.
    pub encoding: Encoding,
    /// TSV fields may be quoted as in CSV (by default a TSV `"` is text, as spreadsheets and `cut` write it).
    pub tsv_quoted: bool,
}

/// The default `--max-record-bytes`: 1 MiB.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { lossy: false, max_record_bytes: MAX_RECORD_BYTES, encoding: Encoding::Auto, tsv_quoted: false }
    }
}

/// The input as UTF-8: as it is, or transcoded from UTF-16 (a byte-order mark found by `Auto`, or named) or Latin-1.
/// Only the first bytes are looked at to decide; the rest streams through.
pub(super) fn transcode(mut input: Input, encoding: Encoding) -> std::io::Result<Input> {
    let named = match encoding {
        Encoding::Utf8 => return Ok(input),
        Encoding::Utf16Le => Some(encoding_rs::UTF_16LE),
        Encoding::Utf16Be => Some(encoding_rs::UTF_16BE),
        Encoding::Latin1 => Some(encoding_rs::WINDOWS_1252),
        Encoding::Auto => None,
    };
    let build = |encoding, input: Input| -> Input {
        Box::new(encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(encoding).strip_bom(true).build(input))
    };
    if named.is_some() {
        return Ok(build(named, input));
    }
    // Look at the first two bytes for a UTF-16 byte-order mark, then put them back in front.
    let mut head = [0u8; 2];
    let mut n = 0;
    while n < 2 {
        match input.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    let rest: Input = Box::new(std::io::Cursor::new(head[..n].to_vec()).chain(input));
    Ok(match &head[..n] {
        [0xFF, 0xFE] => build(Some(encoding_rs::UTF_16LE), rest),
        [0xFE, 0xFF] => build(Some(encoding_rs::UTF_16BE), rest),
        _ => rest,
    })
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

/// A CSV/TSV row from its raw fields (of a record of `size` bytes, only the first `max_record_bytes` of which were
/// kept): decoded, checked against the header, and limited in size.
pub(super) fn delimited_record(
    raw: &csv::ByteRecord,
    line: u64,
    columns: &[String],
    options: ReadOptions,
    size: u64,
) -> Record {
    let mut problems = Vec::new();
    let too_long = size > options.max_record_bytes as u64;
    if raw.len() != columns.len() && !too_long {
        problems.push(format!(
            "this row has {} fields but the header has {}; check its quoting and delimiters",
            raw.len(),
            columns.len()
        ));
    }
    if too_long {
        problems.push(format!(
            "the row is {size} bytes, over --max-record-bytes {}; it was read only that far, and its fields over \
             1 KiB and the field it was cut in are left empty",
            options.max_record_bytes
        ));
    }
    let mut fields = csv::StringRecord::with_capacity(raw.as_slice().len(), raw.len());
    let last = raw.len().saturating_sub(1);
    for (i, field) in raw.iter().enumerate() {
        if too_long && (field.len() > 1024 || i == last) {
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
