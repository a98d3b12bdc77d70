//! Streaming readers for CSV, TSV, JSONL and plain text, with file/line/column in every error.

use super::strict::{RawLog, Tee};
use super::InputFormat;
use crate::error::{Error, Location, Result};
use serde_json::{Map, Value};
use std::io::{BufRead, BufReader, Read};
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

/// A row and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number where the row starts.
    pub line: u64,
    /// The row.
    pub row: Row,
}

type Input = Box<dyn Read + Send>;

enum Inner {
    Delimited { csv: csv::Reader<Tee>, raw: RawLog, delimiter: u8 },
    Lines { reader: BufReader<Input>, buf: Vec<u8>, next_line: u64 },
}

/// Reads the rows of one input.
pub struct RecordReader {
    name: String,
    format: InputFormat,
    columns: Vec<String>,
    text: TextField,
    inner: Inner,
    bytes: u64,
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
                    .flexible(false)
                    .buffer_capacity(1 << 16)
                    .from_reader(tee);
                let header = csv.headers().map_err(|e| csv_error(name, &[], e))?.clone();
                raw.consume(0, csv.position().byte(), delimiter)
                    .map_err(|(_, msg)| Error::input(Location::line(name, 1), msg))?;
                if header.is_empty() {
                    return Err(Error::input(
                        Location::file(name),
                        format!("the file is empty; expected a header row with a '{text_column}' column"),
                    ));
                }
                let columns = header.iter().map(|h| h.trim_start_matches('\u{feff}').to_string()).collect();
                (Inner::Delimited { csv, raw, delimiter }, columns)
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
        };
        if matches!(format, InputFormat::Csv | InputFormat::Tsv) {
            reader.text.index = reader.column_index(text_column)?;
        }
        Ok(reader)
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
            Inner::Lines { .. } => self.bytes,
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

    /// The next row, or `None` at the end of the input.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        match &mut self.inner {
            Inner::Delimited { csv, raw, delimiter } => {
                let mut record = csv::StringRecord::new();
                match csv.read_record(&mut record) {
                    Ok(true) => {
                        let (line, start) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
                        raw.consume(start, csv.position().byte(), *delimiter)
                            .map_err(|(lines, msg)| Error::input(Location::line(&self.name, line + lines), msg))?;
                        Ok(Some(Record { line, row: Row::Fields(record) }))
                    }
                    Ok(false) => Ok(None),
                    Err(e) => Err(csv_error(&self.name, &self.columns, e)),
                }
            }
            Inner::Lines { reader, buf, next_line } => loop {
                buf.clear();
                let n = reader.read_until(b'\n', buf).map_err(|e| Error::io(&self.name, e))?;
                if n == 0 {
                    return Ok(None);
                }
                self.bytes += n as u64;
                let line = *next_line;
                *next_line += 1;
                while matches!(buf.last(), Some(b'\n' | b'\r')) {
                    buf.pop();
                }
                let mut bytes = buf.as_slice();
                if line == 1 {
                    bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                }
                let text = std::str::from_utf8(bytes).map_err(|e| {
                    Error::input(
                        Location::line(&self.name, line),
                        format!("invalid UTF-8 at byte {} of the line; re-save the file as UTF-8", e.valid_up_to()),
                    )
                })?;
                if self.format == InputFormat::Txt {
                    return Ok(Some(Record { line, row: Row::Line(text.to_string()) }));
                }
                if text.trim().is_empty() {
                    continue; // blank lines separate nothing in JSONL
                }
                let object: Map<String, Value> = serde_json::from_str(text)
                    .map_err(|e| Error::input(Location::line(&self.name, line), format!("not a JSON object: {e}")))?;
                return Ok(Some(Record { line, row: Row::Json(object) }));
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
}

/// Reads every row's text and label from a labelled input. An empty label is an error: every row must say
/// which class it is.
pub fn read_labeled(
    path: Option<&Path>,
    format: InputFormat,
    text_column: &str,
    label_column: &str,
    extra: &[&str],
) -> Result<LabeledRows> {
    if format == InputFormat::Txt {
        return Err(Error::Usage("a labelled input must be CSV, TSV or JSONL (plain text has no labels)".into()));
    }
    let mut reader = RecordReader::open(path, format, text_column)?;
    let label_index = match format {
        InputFormat::Csv | InputFormat::Tsv => Some(reader.column_index(label_column)?),
        _ => None,
    };
    let extra_index: Vec<Option<usize>> = match format {
        InputFormat::Csv | InputFormat::Tsv => {
            extra.iter().map(|c| reader.column_index(c).map(Some)).collect::<Result<_>>()?
        }
        _ => vec![None; extra.len()],
    };
    let mut out = LabeledRows { extra: vec![Vec::new(); extra.len()], ..LabeledRows::default() };
    while let Some(record) = reader.next_record()? {
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
        for ((column, &index), values) in extra.iter().zip(&extra_index).zip(&mut out.extra) {
            values.push(reader.field(&record, column, index)?);
        }
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
    fn ragged_row_names_the_line() {
        let mut r = reader("id,text\n1,a\n2,b,extra\n", InputFormat::Csv).expect("open");
        r.next_record().expect("first row");
        let err = r.next_record().expect_err("ragged").to_string();
        assert!(err.contains("mem: line 3") && err.contains("3 fields"), "{err}");
    }

    #[test]
    fn txt_keeps_empty_lines_and_strips_crlf() {
        let r = reader("one\r\n\r\nthree", InputFormat::Txt).expect("open");
        assert_eq!(texts(r), ["one", "", "three"]);
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
        assert!(broken.next_record().expect_err("syntax").to_string().contains("not a JSON object"));
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let data = b"ok\nbad \xff here\n".to_vec();
        let mut r = RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(data)), InputFormat::Txt, "text")
            .expect("open");
        r.next_record().expect("first");
        let err = r.next_record().expect_err("utf8").to_string();
        assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
    }
}
