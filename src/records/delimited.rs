//! CSV and TSV records, split byte by byte within a size limit, with exact line numbers and no row lost to a
//! stray quote.
//!
//! - A record ends at a line end (`\n`, `\r\n` or a lone `\r`) outside quotes; with quoting (CSV, and TSV with
//!   `--tsv-quoted`), a field that starts with `"` runs to its closing `"` (inside it, `""` is a quote and line
//!   ends are text). TSV without quoting, as spreadsheets and `cut` write it, splits every line on tabs and takes
//!   `"` as text.
//! - Line numbers count every line end, so a record's number is the line it starts on in any editor, whatever
//!   the line endings.
//! - At most `max_record_bytes` bytes of a record are kept; the rest is read and dropped, so memory stays bounded
//!   whatever the input (one 1 GB field costs the limit, not a gigabyte). The record is then a bad row.
//! - **Quoting problems** (a quoted field with text after its closing quote, or one never closed before the end
//!   of the input) make a bad row of the *first line* of the record, kept as read, and reading goes on from the
//!   line after it: the rows a stray quote would have swallowed are read as rows. (When the record was longer than
//!   the limit, what followed its first line was not kept: the whole record is then the bad row.)

use super::decode::Input;
use std::io::{BufRead, BufReader};

/// One record as read: where it starts, its raw bytes (without the line end), and what is wrong with it.
#[derive(Debug, Default)]
pub(super) struct RawRecord {
    /// 1-based line the record starts on.
    pub line: u64,
    /// The record's bytes, at most the limit (more only for a header).
    pub bytes: Vec<u8>,
    /// Bytes the record had in all, without its line end (more than `bytes.len()` when it was over the limit).
    pub size: u64,
    /// A quoting problem: the first line of the record is all that `bytes` holds.
    pub problem: Option<&'static str>,
}

/// Where the scanner is inside a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// In an unquoted field.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// In a quoted field, just after a `"`: the end of the field, or the first half of `""`.
    QuoteInQuoted,
    /// After a closing quote: only a delimiter, spaces or a line end may follow.
    AfterClose,
}

/// Splits records out of a stream.
pub(super) struct Splitter {
    input: BufReader<Input>,
    /// Bytes to read again before the input: what followed the first line of a record with a quoting problem.
    replay: Vec<u8>,
    replay_at: usize,
    delimiter: u8,
    quoting: bool,
    /// Line number of the next byte.
    line: u64,
    /// The previous byte was a `\r` (a `\n` right after it belongs to the same line end).
    after_cr: bool,
    /// Bytes read from the input (not counting replays).
    pub bytes: u64,
    started: bool,
}

impl Splitter {
    pub fn new(input: Input, delimiter: u8, quoting: bool) -> Splitter {
        Splitter {
            input: BufReader::with_capacity(1 << 16, input),
            replay: Vec::new(),
            replay_at: 0,
            delimiter,
            quoting,
            line: 1,
            after_cr: false,
            bytes: 0,
            started: false,
        }
    }

    /// Reads the next record into `rec` (`limit` bytes kept at most); `false` at the end of the input.
    pub fn next(&mut self, rec: &mut RawRecord, limit: usize) -> std::io::Result<bool> {
        rec.bytes.clear();
        rec.size = 0;
        rec.problem = None;
        rec.line = self.line;
        let mut state = State::FieldStart;
        // Byte offset in `rec.bytes` of the end of the record's first line, and whether bytes were dropped.
        let mut first_line_end: Option<usize> = None;
        let mut dropped = false;
        let mut any = false;
        // The line end that ended the record (none at the end of the input).
        let mut ended_with: Option<u8> = None;
        loop {
            let from_replay = self.replay_at < self.replay.len();
            let chunk: &[u8] = if from_replay {
                &self.replay[self.replay_at..]
            } else {
                let c = self.input.fill_buf()?;
                if !self.started {
                    self.started = true;
                    if c.starts_with(b"\xEF\xBB\xBF") {
                        self.input.consume(3);
                        self.bytes += 3;
                        continue;
                    }
                }
                c
            };
            if chunk.is_empty() {
                // The end of the input.
                if !any {
                    return Ok(false);
                }
                if matches!(state, State::Quoted) {
                    rec.problem = Some("a quoted field is never closed (a stray \" opens it)");
                }
                break;
            }
            let mut i = 0;
            let mut done = false;
            let mut kept_from = 0;
            while i < chunk.len() {
                let b = chunk[i];
                if std::mem::take(&mut self.after_cr) && b == b'\n' {
                    // The second half of a `\r\n` that ended the previous record or a line inside a field.
                    if !any {
                        i += 1;
                        kept_from = i;
                        continue;
                    }
                    i += 1;
                    continue;
                }
                any = true;
                let line_end = b == b'\n' || b == b'\r';
                if line_end {
                    self.line += 1;
                    self.after_cr = b == b'\r';
                    if first_line_end.is_none() {
                        first_line_end = Some(rec.bytes.len() + (i - kept_from));
                    }
                }
                if self.quoting {
                    state = match (state, b) {
                        (State::Quoted, b'"') => State::QuoteInQuoted,
                        (State::Quoted, _) => State::Quoted,
                        (State::QuoteInQuoted, b'"') => State::Quoted,
                        (State::QuoteInQuoted | State::AfterClose, c) if c == self.delimiter => State::FieldStart,
                        (State::QuoteInQuoted | State::AfterClose, b' ') => State::AfterClose,
                        (State::QuoteInQuoted | State::AfterClose, b'\n' | b'\r') => State::AfterClose,
                        (State::QuoteInQuoted | State::AfterClose, _) => {
                            rec.problem = Some("a quoted field has text after its closing quote (a stray \" opens it)");
                            State::Unquoted
                        }
                        (State::FieldStart, b'"') => State::Quoted,
                        (_, c) if c == self.delimiter => State::FieldStart,
                        _ => State::Unquoted,
                    };
                }
                if line_end && state != State::Quoted {
                    // The end of the record: keep what came before the line end.
                    keep(rec, &chunk[kept_from..i], limit, &mut dropped);
                    ended_with = Some(b);
                    i += 1;
                    done = true;
                    break;
                }
                i += 1;
            }
            if !done {
                keep(rec, &chunk[kept_from..i], limit, &mut dropped);
            }
            if from_replay {
                self.replay_at += i;
                if self.replay_at >= self.replay.len() {
                    self.replay.clear();
                    self.replay_at = 0;
                }
            } else {
                self.input.consume(i);
                self.bytes += i as u64;
            }
            if done {
                break;
            }
        }
        if rec.problem.is_some() {
            self.recover(rec, first_line_end, dropped, ended_with);
        }
        Ok(true)
    }

    /// A record with a quoting problem: its first line becomes the record, and what followed is read again.
    fn recover(&mut self, rec: &mut RawRecord, first_line_end: Option<usize>, dropped: bool, ended_with: Option<u8>) {
        let Some(end) = first_line_end.filter(|&e| e < rec.bytes.len() && !dropped) else {
            return; // one line only, or too long to read again: the whole record is the bad row
        };
        let mut rest = rec.bytes.split_off(end);
        // Drop the line end itself (`\n`, `\r` or `\r\n`).
        let skip = match rest.as_slice() {
            [b'\r', b'\n', ..] => 2,
            [b'\n' | b'\r', ..] => 1,
            _ => 0,
        };
        rest.drain(..skip);
        // The line end that ended the record is not in `bytes`: give it back, so the last line read again ends
        // where it did (a `\r` of a `\r\n` then takes the `\n` still waiting in the input along).
        rest.extend(ended_with);
        let unread = self.replay.split_off(self.replay_at);
        rest.extend_from_slice(&unread);
        self.replay = rest;
        self.replay_at = 0;
        self.line = rec.line + 1;
        self.after_cr = false;
        rec.size = end as u64;
    }
}

/// Appends `bytes` to the record, keeping at most `limit` bytes in all.
fn keep(rec: &mut RawRecord, bytes: &[u8], limit: usize, dropped: &mut bool) {
    rec.size += bytes.len() as u64;
    let room = limit.saturating_sub(rec.bytes.len());
    if bytes.len() > room {
        *dropped = true;
    }
    rec.bytes.extend_from_slice(&bytes[..bytes.len().min(room)]);
}

/// Splits a raw record into fields: with `quoting`, RFC 4180 (a field that starts with `"` is unquoted and `""`
/// becomes `"`); without, on every delimiter.
pub(super) fn fields(raw: &[u8], delimiter: u8, quoting: bool, out: &mut csv::ByteRecord) {
    out.clear();
    if !quoting {
        for f in raw.split(|&b| b == delimiter) {
            out.push_field(f);
        }
        return;
    }
    let mut field: Vec<u8> = Vec::new();
    let mut i = 0;
    loop {
        field.clear();
        if raw.get(i) == Some(&b'"') {
            i += 1;
            while i < raw.len() {
                if raw[i] == b'"' {
                    if raw.get(i + 1) == Some(&b'"') {
                        field.push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                field.push(raw[i]);
                i += 1;
            }
            // Anything up to the delimiter after the closing quote (spaces, or text of a bad row) is kept.
            while i < raw.len() && raw[i] != delimiter {
                if raw[i] != b' ' {
                    field.push(raw[i]);
                }
                i += 1;
            }
        } else {
            while i < raw.len() && raw[i] != delimiter {
                field.push(raw[i]);
                i += 1;
            }
        }
        out.push_field(&field);
        if i >= raw.len() {
            return;
        }
        i += 1; // the delimiter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(data: &str, delimiter: u8, quoting: bool, max: usize) -> Vec<(u64, String, Option<&'static str>, u64)> {
        let mut s = Splitter::new(Box::new(std::io::Cursor::new(data.as_bytes().to_vec())), delimiter, quoting);
        let mut rec = RawRecord::default();
        let mut out = Vec::new();
        while s.next(&mut rec, max).expect("read") {
            out.push((rec.line, String::from_utf8_lossy(&rec.bytes).into_owned(), rec.problem, rec.size));
        }
        out
    }

    fn lines(data: &str) -> Vec<(u64, String)> {
        split(data, b',', true, 1 << 20).into_iter().map(|(l, t, _, _)| (l, t)).collect()
    }

    #[test]
    fn line_numbers_hold_for_every_line_ending() {
        let want =
            vec![(1, "a,b".to_string()), (2, "1,x".to_string()), (3, "2,\"y\nz\"".to_string()), (5, "3,w".to_string())];
        assert_eq!(lines("a,b\n1,x\n2,\"y\nz\"\n3,w\n"), want);
        let crlf = vec![
            (1, "a,b".to_string()),
            (2, "1,x".to_string()),
            (3, "2,\"y\r\nz\"".to_string()),
            (5, "3,w".to_string()),
        ];
        assert_eq!(lines("a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n3,w\r\n"), crlf);
        let cr =
            vec![(1, "a,b".to_string()), (2, "1,x".to_string()), (3, "2,\"y\rz\"".to_string()), (5, "3,w".to_string())];
        assert_eq!(lines("a,b\r1,x\r2,\"y\rz\"\r3,w"), cr);
        assert_eq!(lines("\u{feff}a\n"), vec![(1, "a".to_string())]);
        assert_eq!(lines("a\n\nb"), vec![(1, "a".to_string()), (2, "".to_string()), (3, "b".to_string())]);
    }

    #[test]
    fn a_stray_quote_costs_one_line_not_the_rest() {
        for data in [
            "id,text\n1,\"join us\" he said\n2,fine\n3,\"never closed\n4,ok\n5,last\n",
            "id,text\r\n1,\"join us\" he said\r\n2,fine\r\n3,\"never closed\r\n4,ok\r\n5,last\r\n",
            "id,text\n1,\"join us\" he said\n2,fine\n3,\"never closed\n4,ok\n5,last",
        ] {
            let got = split(data, b',', true, 1 << 20);
            let rows: Vec<(u64, String, bool)> =
                got.iter().map(|(l, t, p, _)| (*l, t.trim_end_matches('\r').to_string(), p.is_some())).collect();
            assert_eq!(rows.len(), 6, "{data:?}: {rows:?}");
            assert_eq!(rows[5], (6, "5,last".to_string(), false), "{data:?}");
        }
        let got =
            split("id,text\n1,\"join us\" he said\n2,fine\n3,\"never closed\n4,ok\n5,last\n", b',', true, 1 << 20);
        let rows: Vec<(u64, &str, bool)> = got.iter().map(|(l, t, p, _)| (*l, t.as_str(), p.is_some())).collect();
        assert_eq!(
            rows,
            [
                (1, "id,text", false),
                (2, "1,\"join us\" he said", true),
                (3, "2,fine", false),
                (4, "3,\"never closed", true),
                (5, "4,ok", false),
                (6, "5,last", false),
            ]
        );
    }

    #[test]
    fn records_are_cut_at_the_limit_and_read_to_their_end() {
        let big = format!("a,b\n1,\"{}\"\n2,after\n", "x".repeat(5000));
        let got = split(&big, b',', true, 100);
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].1.len(), 100);
        assert_eq!(got[1].3, 5000 + 4, "the whole record was read past");
        assert_eq!((got[2].0, got[2].1.as_str()), (3, "2,after"));
    }

    #[test]
    fn tsv_without_quoting_takes_quotes_as_text() {
        let got = split("id\ttext\n1\t\"Join us\" he said\n2\tx\n", b'\t', false, 1 << 20);
        assert!(got.iter().all(|r| r.2.is_none()));
        let mut rec = csv::ByteRecord::new();
        fields(got[1].1.as_bytes(), b'\t', false, &mut rec);
        assert_eq!(&rec[1], b"\"Join us\" he said");
    }

    #[test]
    fn fields_follow_rfc_4180() {
        let mut rec = csv::ByteRecord::new();
        fields(b"1,\"a,b\",\"say \"\"hi\"\"\",,\"x\ny\"", b',', true, &mut rec);
        let got: Vec<&[u8]> = rec.iter().collect();
        assert_eq!(got, [&b"1"[..], b"a,b", b"say \"hi\"", b"", b"x\ny"]);
        fields(b"", b',', true, &mut rec);
        assert_eq!(rec.len(), 1);
    }
}
