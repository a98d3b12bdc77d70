//! Streaming readers for CSV, TSV, JSONL and plain text, with file/line/column in every error.

use super::decode::{decode, delimited_record, read_line, Input};
pub use super::decode::{ReadOptions, MAX_RECORD_BYTES};
use super::strict::{RawLog, Tee};
use super::InputFormat;
use crate::error::{Error, Location, Result};
use serde_json::{Map, Value};
use std::io::BufReader;
use std::path::Path;

/// One input row, kept whole so that the output can reproduce every field.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// The fields of a CSV or TSV row.
    Fields(csv::StringRecord),
    /// A JSON object, fields in their original order.
    Json(Map<String, Value>),
    /// A line of a text file (without its line ending).
    Line(String),
}

/// A row, the line it starts on, and what is wrong with it, if anything.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number where the row starts.
    pub line: u64,
    /// The row (for a bad row: what could be recovered, so that the output keeps it in its place).
    pub row: Row,
    /// Why the row cannot be used (invalid UTF-8, wrong number of fields, too long, not JSON...).
    pub error: Option<String>,
}

impl Record {
    fn good(line: u64, row: Row) -> Record {
        Record { line, row, error: None }
    }
}

enum Inner {
    Delimited { csv: csv::Reader<Tee>, raw: RawLog, delimiter: u8 },
    Lines { reader: BufReader<Input>, buf: Vec<u8>, next_line: u64 },
    Empty,
}

/// Reads the rows of one input.
pub struct RecordReader {
    name: String,
    format: InputFormat,
    columns: Vec<String>,
    text: TextField,
    inner: Inner,
    bytes: u64,
    options: ReadOptions,
}

/// Finds the text of a row: which column or field holds it, and the input's name for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    source: String,
    column: String,
    index: usize,
}

impl TextField {
    /// The text of a row.
    pub fn get<'r>(&self, record: &'r Record) -> Result<&'r str> {
        match &record.row {
            Row::Fields(f) => Ok(f.get(self.index).unwrap_or_default()),
            Row::Line(s) => Ok(s),
            Row::Json(obj) => match obj.get(&self.column) {
                Some(Value::String(s)) => Ok(s),
                Some(other) => Err(Error::input(
                    location(&self.source, record, &self.column),
                    format!("expected a string, found {}", json_kind(other)),
                )),
                None => Err(missing_field(&self.source, record, &self.column)),
            },
        }
    }
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader").field("name", &self.name).field("format", &self.format).finish()
    }
}

impl RecordReader {
    /// Opens `path` (stdin when `None`) and, for CSV/TSV, reads the header and finds `text_column`.
    pub fn open(path: Option<&Path>, format: InputFormat, text_column: &str) -> Result<RecordReader> {
        match path {
            Some(p) => {
                let file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
                Self::from_reader(&p.display().to_string(), Box::new(file), format, text_column)
            }
            None => Self::from_reader("<stdin>", Box::new(std::io::stdin()), format, text_column),
        }
    }

    /// Wraps any reader; `name` is used in messages.
    pub fn from_reader(name: &str, input: Input, format: InputFormat, text_column: &str) -> Result<RecordReader> {
        let (inner, columns) = match format {
            InputFormat::Csv | InputFormat::Tsv => {
                let delimiter = if format == InputFormat::Tsv { b'\t' } else { b',' };
                let (tee, mut raw) = RawLog::tee(input);
                let mut csv = csv::ReaderBuilder::new()
                    .delimiter(delimiter)
                    .has_headers(true)
                    .flexible(true)
                    .buffer_capacity(1 << 16)
                    .from_reader(tee);
                let header = csv.headers().map_err(|e| csv_error(name, &[], e))?.clone();
                raw.consume(0, csv.position().byte(), delimiter)
                    .map_err(|(_, msg)| Error::input(Location::line(name, 1), msg))?;
                let columns: Vec<String> =
                    header.iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
                if columns.is_empty() || columns.iter().all(|c| c.trim().is_empty()) && columns.len() == 1 {
                    (Inner::Empty, Vec::new()) // an empty file: no header, no rows
                } else {
                    (Inner::Delimited { csv, raw, delimiter }, columns)
                }
            }
            InputFormat::Txt | InputFormat::Jsonl => {
                let lines =
                    Inner::Lines { reader: BufReader::with_capacity(1 << 16, input), buf: Vec::new(), next_line: 1 };
                let columns = if format == InputFormat::Txt { vec!["text".to_string()] } else { Vec::new() };
                (lines, columns)
            }
        };
        let mut reader = RecordReader {
            name: name.to_string(),
            format,
            columns,
            text: TextField { source: name.to_string(), column: text_column.to_string(), index: 0 },
            inner,
            bytes: 0,
            options: ReadOptions::default(),
        };
        if matches!(reader.inner, Inner::Delimited { .. }) {
            reader.text.index = reader.column_index(text_column)?;
        }
        Ok(reader)
    }

    /// Reads with `options` from now on.
    pub fn with_options(mut self, options: ReadOptions) -> Self {
        self.options = options;
        self
    }

    /// True when the input had no header and no rows at all (an empty CSV/TSV file).
    pub fn is_empty_input(&self) -> bool {
        matches!(self.inner, Inner::Empty)
    }

    /// The input's name as used in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The input's format.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// Column names: the header of CSV/TSV, `["text"]` for plain text, empty for JSONL.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Bytes consumed so far (for progress display).
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Delimited { csv, .. } => csv.position().byte(),
            Inner::Lines { .. } | Inner::Empty => self.bytes,
        }
    }

    /// The position of a CSV/TSV column by name, or an error listing the columns there are.
    pub fn column_index(&self, column: &str) -> Result<usize> {
        self.columns.iter().position(|c| c == column).ok_or_else(|| {
            Error::input(
                Location::file(&self.name),
                format!(
                    "no column '{column}'; the columns are: {}. Name one of those (names are case-sensitive)",
                    self.columns.join(", ")
                ),
            )
        })
    }

    /// The next row, or `None` at the end of the input. A row that cannot be used comes back with its
    /// `error` set (and whatever of it could be recovered); only problems with the whole input are errors.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        let options = self.options;
        match &mut self.inner {
            Inner::Empty => Ok(None),
            Inner::Delimited { csv, raw, delimiter } => {
                let mut record = csv::ByteRecord::new();
                match csv.read_byte_record(&mut record) {
                    Ok(true) => {
                        let (line, start) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
                        raw.consume(start, csv.position().byte(), *delimiter).map_err(|(lines, msg)| {
                            Error::input(
                                Location::line(&self.name, line + lines),
                                format!("{msg}; the rows after it cannot be told apart reliably"),
                            )
                        })?;
                        Ok(Some(delimited_record(&record, line, &self.columns, options)))
                    }
                    Ok(false) => Ok(None),
                    Err(e) => Err(csv_error(&self.name, &self.columns, e)),
                }
            }
            Inner::Lines { reader, buf, next_line } => loop {
                let Some((n, overflow)) =
                    read_line(reader, buf, options.max_record_bytes).map_err(|e| Error::io(&self.name, e))?
                else {
                    return Ok(None);
                };
                self.bytes += n;
                let line = *next_line;
                *next_line += 1;
                let mut bytes = buf.as_slice();
                if line == 1 {
                    bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                }
                let too_long = overflow.then(|| {
                    format!(
                        "the line is {n} bytes, over --max-record-bytes {}; it is left empty",
                        options.max_record_bytes
                    )
                });
                let (text, bad_utf8) = decode(bytes, options.lossy);
                if self.format == InputFormat::Txt {
                    return Ok(Some(match too_long {
                        Some(e) => Record { line, row: Row::Line(String::new()), error: Some(e) },
                        None => Record { line, row: Row::Line(text.into_owned()), error: bad_utf8 },
                    }));
                }
                if too_long.is_none() && text.trim().is_empty() {
                    continue; // blank lines separate nothing in JSONL
                }
                if let Some(e) = too_long.or(bad_utf8) {
                    return Ok(Some(Record { line, row: Row::Json(Map::new()), error: Some(e) }));
                }
                return Ok(Some(match serde_json::from_str::<Map<String, Value>>(&text) {
                    Ok(object) => Record::good(line, Row::Json(object)),
                    Err(e) => {
                        let mut raw = Map::new();
                        raw.insert("raw_line".into(), Value::String(text.into_owned()));
                        Record { line, row: Row::Json(raw), error: Some(format!("not a JSON object: {e}")) }
                    }
                }));
            },
        }
    }

    /// The text of a row.
    pub fn text<'r>(&self, record: &'r Record) -> Result<&'r str> {
        self.text.get(record)
    }

    /// A field of a row as a string (JSON numbers and booleans are written out), or an error if it is absent.
    pub fn field(&self, record: &Record, column: &str, index: Option<usize>) -> Result<String> {
        match &record.row {
            Row::Fields(f) => Ok(index.and_then(|i| f.get(i)).unwrap_or_default().to_string()),
            Row::Line(s) => Ok(s.clone()),
            Row::Json(obj) => match obj.get(column) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(v.to_string()),
                Some(other) => Err(Error::input(
                    location(&self.name, record, column),
                    format!("expected a string, number or boolean, found {}", json_kind(other)),
                )),
                None => Err(missing_field(&self.name, record, column)),
            },
        }
    }
}

fn location(source: &str, record: &Record, column: &str) -> Location {
    Location::line(source, record.line).with_column(column)
}

fn missing_field(source: &str, record: &Record, column: &str) -> Error {
    let keys = match &record.row {
        Row::Json(obj) => obj.keys().cloned().collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    Error::input(
        location(source, record, column),
        format!("no field '{column}' in this object (fields: {keys}); choose one with --text-column / --label-column"),
    )
}

fn csv_error(name: &str, columns: &[String], e: csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let loc = if line > 0 { Location::line(name, line) } else { Location::file(name) };
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(name, io),
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = columns.get(err.field()).cloned().unwrap_or_else(|| format!("#{}", err.field() + 1));
            Error::input(loc.with_column(column), "invalid UTF-8; re-save the file as UTF-8")
        }
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Error::input(
            loc,
            format!("this row has {len} fields but the header has {expected_len}; check its quoting and delimiters"),
        ),
        other => Error::input(loc, format!("{other:?}")),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Texts and raw label values read from one labelled input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabeledRows {
    /// The texts, in file order.
    pub texts: Vec<String>,
    /// The label of each text, as written in the file.
    pub labels: Vec<String>,
    /// Where each row starts (line numbers), for messages.
    pub lines: Vec<u64>,
    /// The values of each extra column asked for (one `Vec` per column, one value per row).
    pub extra: Vec<Vec<String>>,
    /// Whether the input has each extra column (with `optional` reading, an absent one gives empty values).
    pub present: Vec<bool>,
}

/// Reads every row's text and label from a labelled input. An empty label is an error: every row must say
/// which class it is. With `optional`, an `extra` column the input lacks (a CSV/TSV header without it, a JSON
/// object without the field) gives empty values instead of an error; [`LabeledRows::present`] says which were
/// found.
pub fn read_labeled(
    path: Option<&Path>,
    format: InputFormat,
    text_column: &str,
    label_column: &str,
    extra: &[&str],
    optional: bool,
    options: ReadOptions,
) -> Result<LabeledRows> {
    if format == InputFormat::Txt {
        return Err(Error::Usage("a labelled input must be CSV, TSV or JSONL (plain text has no labels)".into()));
    }
    let mut reader = RecordReader::open(path, format, text_column)?.with_options(options);
    let no_rows = |name: &str| {
        Error::input(Location::file(name), "no rows: the file is empty or has only a header; labelled rows are needed")
    };
    if reader.is_empty_input() {
        return Err(no_rows(reader.name()));
    }
    let label_index = match format {
        InputFormat::Csv | InputFormat::Tsv => Some(reader.column_index(label_column)?),
        _ => None,
    };
    let delimited = matches!(format, InputFormat::Csv | InputFormat::Tsv);
    let extra_index: Vec<Option<usize>> = match delimited {
        true if optional => extra.iter().map(|c| reader.column_index(c).ok()).collect(),
        true => extra.iter().map(|c| reader.column_index(c).map(Some)).collect::<Result<_>>()?,
        false => vec![None; extra.len()],
    };
    let mut out = LabeledRows {
        extra: vec![Vec::new(); extra.len()],
        present: if delimited { extra_index.iter().map(Option::is_some).collect() } else { vec![false; extra.len()] },
        ..LabeledRows::default()
    };
    while let Some(record) = reader.next_record()? {
        if let Some(problem) = &record.error {
            return Err(Error::input(Location::line(reader.name(), record.line), problem.clone()));
        }
        let label = reader.field(&record, label_column, label_index)?;
        if label.trim().is_empty() {
            return Err(Error::input(
                Location::line(reader.name(), record.line).with_column(label_column),
                "empty label; every training row needs one",
            ));
        }
        out.texts.push(reader.text(&record)?.to_string());
        out.labels.push(label);
        out.lines.push(record.line);
        for (k, ((column, &index), values)) in extra.iter().zip(&extra_index).zip(&mut out.extra).enumerate() {
            let value = match &record.row {
                Row::Json(obj) if optional && !obj.contains_key(*column) => String::new(),
                Row::Json(_) => {
                    out.present[k] = true;
                    reader.field(&record, column, index)?
                }
                _ => reader.field(&record, column, index)?,
            };
            values.push(value);
        }
    }
    if out.texts.is_empty() {
        return Err(no_rows(reader.name()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(data: &str, format: InputFormat) -> Result<RecordReader> {
        RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(data.as_bytes().to_vec())), format, "text")
    }

    fn texts(mut r: RecordReader) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().expect("row") {
            out.push(r.text(&rec).expect("text").to_string());
        }
        out
    }

    #[test]
    fn csv_with_quotes_newlines_and_bom() {
        let r = reader("\u{feff}id,text\n1,\"a, \"\"quoted\"\"\nline\"\n2,простой\n", InputFormat::Csv).expect("open");
        assert_eq!(r.columns(), ["id", "text"]);
        assert_eq!(texts(r), ["a, \"quoted\"\nline", "простой"]);
    }

    #[test]
    fn stray_quote_is_refused_not_merged() {
        let tsv = "text\tlang\nok\ten\n\"Join the caravan, he wrote\ten\nnormal post\ten\nsays \"go\" now\ten\n";
        let mut r = reader(tsv, InputFormat::Tsv).expect("open");
        assert_eq!(r.next_record().expect("row 1").map(|rec| rec.line), Some(2));
        let err = r.next_record().expect_err("merged rows").to_string();
        assert!(err.contains("mem: line 3") && err.contains("closing quote"), "{err}");
        let blank = reader("id,text\n1,a\n\n2,\"b\nc\"\n3,d\n", InputFormat::Csv).expect("open");
        assert_eq!(texts(blank), ["a", "b\nc", "d"]);
    }

    #[test]
    fn missing_column_lists_columns() {
        let err = reader("id,body\n1,x\n", InputFormat::Csv).expect_err("no text column").to_string();
        assert!(err.contains("no column 'text'") && err.contains("id, body"), "{err}");
    }

    #[test]
    fn ragged_rows_are_bad_rows_that_keep_their_place() {
        let mut r = reader("id,text\n1,a\n2,b,extra\n3\n4,d\n", InputFormat::Csv).expect("open");
        let rows: Vec<Record> = std::iter::from_fn(|| r.next_record().expect("no whole-input error")).collect();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
        assert!(rows[1].error.as_deref().is_some_and(|e| e.contains("3 fields but the header has 2")));
        assert!(rows[2].error.as_deref().is_some_and(|e| e.contains("1 fields")));
        assert!(rows[0].error.is_none() && rows[3].error.is_none());
    }

    #[test]
    fn txt_keeps_empty_lines_and_every_line_ending() {
        let r = reader("one\r\n\r\nthree", InputFormat::Txt).expect("open");
        assert_eq!(texts(r), ["one", "", "three"]);
        let r = reader("mac\rstyle\r\rend\n", InputFormat::Txt).expect("open");
        assert_eq!(texts(r), ["mac", "style", "", "end"]);
        let r = reader("a\0b\n", InputFormat::Txt).expect("open");
        assert_eq!(texts(r), ["a\0b"]);
    }

    #[test]
    fn long_rows_are_bad_rows_read_within_the_limit() {
        let long = "x".repeat(5000);
        let options = ReadOptions { lossy: false, max_record_bytes: 1000 };
        let data = format!("short\n{long}\nafter\n");
        let mut r = reader(&data, InputFormat::Txt).expect("open").with_options(options);
        let rows: Vec<Record> = std::iter::from_fn(|| r.next_record().expect("row")).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].row, Row::Line(String::new()));
        assert!(rows[1].error.as_deref().is_some_and(|e| e.contains("5001 bytes")), "{:?}", rows[1].error);
        assert_eq!(rows[2].row, Row::Line("after".into()));
        let csv = format!("id,text\n1,{long}\n2,ok\n");
        let mut r = reader(&csv, InputFormat::Csv).expect("open").with_options(options);
        let first = r.next_record().expect("row").expect("some");
        assert!(first.error.is_some());
        assert_eq!(first.row, Row::Fields(csv::StringRecord::from(vec!["1", ""])));
        assert!(r.next_record().expect("row").expect("some").error.is_none());
    }

    #[test]
    fn empty_and_header_only_inputs_have_no_rows() {
        let mut empty = reader("", InputFormat::Csv).expect("an empty file is not an error");
        assert!(empty.is_empty_input() && empty.next_record().expect("none").is_none());
        let mut header = reader("id,text\n", InputFormat::Csv).expect("open");
        assert!(!header.is_empty_input() && header.next_record().expect("none").is_none());
    }

    #[test]
    fn jsonl_rows_and_errors() {
        let r = reader("{\"text\":\"a\",\"id\":1}\n\n{\"id\":2,\"text\":\"b\"}\n", InputFormat::Jsonl).expect("open");
        assert_eq!(texts(r), ["a", "b"]);
        let mut bad = reader("{\"id\":1}\n", InputFormat::Jsonl).expect("open");
        let rec = bad.next_record().expect("row").expect("some");
        let err = bad.text(&rec).expect_err("missing").to_string();
        assert!(err.contains("line 1, column 'text'") && err.contains("fields: id"), "{err}");
        let mut broken = reader("{\"text\": \n", InputFormat::Jsonl).expect("open");
        let rec = broken.next_record().expect("a bad row, not an error").expect("some");
        assert!(rec.error.as_deref().is_some_and(|e| e.contains("not a JSON object")));
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let data = b"ok\nbad \xff here\n".to_vec();
        let mut r = RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(data)), InputFormat::Txt, "text")
            .expect("open");
        r.next_record().expect("first");
        let bad = r.next_record().expect("a bad row").expect("some");
        assert_eq!(bad.line, 2);
        assert!(bad.error.as_deref().is_some_and(|e| e.contains("UTF-8") && e.contains("--lossy")));
        assert_eq!(bad.row, Row::Line("bad \u{FFFD} here".into()));
        let data = b"bad \xff here\n".to_vec();
        let mut lossy =
            RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(data)), InputFormat::Txt, "text")
                .expect("open")
                .with_options(ReadOptions { lossy: true, ..ReadOptions::default() });
        assert_eq!(lossy.next_record().expect("row").expect("some").error, None);
        let csv = b"id,text\n1,caf\xe9\n".to_vec();
        let mut r = RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(csv)), InputFormat::Csv, "text")
            .expect("open");
        let rec = r.next_record().expect("row").expect("some");
        assert!(rec.error.as_deref().is_some_and(|e| e.contains("column 'text'")), "{:?}", rec.error);
    }
}
