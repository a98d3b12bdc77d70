//! Strict quoting for CSV and TSV.
//!
//! The csv crate is lenient: a field that starts with a stray `"` swallows the following lines until another
//! `"` turns up, and the swallowed rows silently become part of one field. For a moderation queue that is a lost
//! row. propscan therefore keeps the raw bytes of each record as the csv crate reads them ([`Tee`]) and refuses
//! a record in which a quoted field is never closed or has text after its closing quote ([`check_quotes`]).

use std::io::Read;
use std::sync::{Arc, Mutex};

/// A reader that keeps a copy of every byte it passes on, until [`RawLog::consume`] forgets it.
pub struct Tee {
    inner: Box<dyn Read + Send>,
    log: Arc<Mutex<Vec<u8>>>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut log = self.log.lock().map_err(|_| std::io::Error::other("raw record log poisoned"))?;
        log.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Bytes of checked records a [`RawLog`] may keep before it forgets them.
const FORGET_AT: usize = 1 << 16;

/// The bytes a [`Tee`] has passed on and not yet been told to forget, with their offset in the stream.
#[derive(Debug)]
pub struct RawLog {
    log: Arc<Mutex<Vec<u8>>>,
    base: u64,
}

impl RawLog {
    /// A tee around `inner` and the log it writes to.
    pub fn tee(inner: Box<dyn Read + Send>) -> (Tee, RawLog) {
        let log = Arc::new(Mutex::new(Vec::new()));
        (Tee { inner, log: log.clone() }, RawLog { log, base: 0 })
    }

    /// Checks the quoting of the record at stream bytes `start..end`, then forgets (in large steps) everything
    /// before `end`.
    /// On failure, returns how many lines into the record the problem is and what it is.
    pub fn consume(&mut self, start: u64, end: u64, delimiter: u8) -> Result<(), (u64, &'static str)> {
        let Ok(mut log) = self.log.lock() else {
            return Err((0, "internal error: raw record log poisoned"));
        };
        let from = start.saturating_sub(self.base) as usize;
        let to = (end.saturating_sub(self.base) as usize).min(log.len());
        let mut raw = log.get(from.min(to)..to).unwrap_or_default();
        if start == 0 {
            raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
        }
        let result = check_quotes(raw, delimiter);
        // Forget in large steps, so that each byte is moved about once rather than once per record after it.
        if to >= FORGET_AT && 2 * to >= log.len() {
            log.drain(..to);
            self.base += to as u64;
        }
        result
    }
}

/// Checks RFC 4180 quoting of one raw record: a field that starts with `"` must end with a `"` followed by the
/// delimiter or the end of the line (optionally after spaces), and quotes inside it must be doubled.
/// Returns the number of line breaks before the problem and a description.
pub fn check_quotes(raw: &[u8], delimiter: u8) -> Result<(), (u64, &'static str)> {
    let lines_before = |i: usize| raw[..i].iter().filter(|&&b| b == b'\n').count() as u64;
    let mut i = 0;
    let mut field_start = true;
    while i < raw.len() {
        let b = raw[i];
        if field_start && b == b'"' {
            let open = i;
            i += 1;
            loop {
                match raw.get(i) {
                    None => return Err((lines_before(open), "a quoted field is never closed (a stray \" opens it)")),
                    Some(b'"') if raw.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        while raw.get(i) == Some(&b' ') {
                            i += 1;
                        }
                        match raw.get(i) {
                            None | Some(b'\n' | b'\r') => break,
                            Some(&c) if c == delimiter => break,
                            Some(_) => {
                                return Err((
                                    lines_before(open),
                                    "a quoted field has text after its closing quote; double the quotes inside it \
                                     (\"\") or remove the stray quote that opens it",
                                ))
                            }
                        }
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        field_start = b == delimiter || b == b'\n' || b == b'\r';
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc4180() {
        for ok in [
            &b"1,plain,\"quoted, with comma\"\r\n"[..],
            b"\"a \"\"b\"\" c\",\"multi\nline\"\n",
            b"x,\"\",y",
            b"\"spaces after\"  ,z\n",
            b"mid\"field\"quotes,are literal\n",
        ] {
            assert_eq!(check_quotes(ok, b','), Ok(()), "{:?}", String::from_utf8_lossy(ok));
        }
    }

    #[test]
    fn refuses_stray_quotes() {
        let merged = b"\"Join the caravan, he wrote\ten\nnormal post\ten\nsays \"go\" now\ten\n";
        let (line, msg) = check_quotes(merged, b'\t').expect_err("stray quote");
        assert_eq!(line, 0);
        assert!(msg.contains("after its closing quote"));
        let (_, msg) = check_quotes(b"a,\"never closed\nb,c\n", b',').expect_err("unclosed");
        assert!(msg.contains("never closed"));
        assert_eq!(check_quotes(b"a\n\"b\"x\n", b',').map_err(|e| e.0), Err(1));
    }

    #[test]
    fn tee_logs_and_checks_each_record() {
        let (mut tee, mut log) = RawLog::tee(Box::new(std::io::Cursor::new(b"ab,\"c\"\nd,e\n".to_vec())));
        let mut all = Vec::new();
        tee.read_to_end(&mut all).expect("read");
        assert_eq!(log.consume(0, 7, b','), Ok(()));
        assert_eq!(log.consume(7, 11, b','), Ok(()));
    }

    #[test]
    fn the_log_stays_small() {
        let record = b"12345,\"a quoted, field\"\n";
        let data: Vec<u8> = record.iter().copied().cycle().take(record.len() * 100_000).collect();
        let (mut tee, mut log) = RawLog::tee(Box::new(std::io::Cursor::new(data)));
        let mut buf = [0u8; 8192];
        let mut start = 0u64;
        loop {
            let n = tee.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            // Every whole record read so far is checked and forgotten, as the reader does.
            let end = log.base + log.log.lock().expect("lock").len() as u64;
            while start + record.len() as u64 <= end {
                assert_eq!(log.consume(start, start + record.len() as u64, b','), Ok(()));
                start += record.len() as u64;
            }
            assert!(log.log.lock().expect("lock").len() <= 2 * FORGET_AT + buf.len(), "log grew at byte {start}");
        }
        assert_eq!(start, record.len() as u64 * 100_000);
    }
}
