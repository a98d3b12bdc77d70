//! Streaming readers for CSV, TSV, JSONL and plain text, with file/line/column in every error.

use super::decode::ReadOptions;
use super::decode::{decode, delimited_record, read_line, transcode, Input};
use super::delimited::{fields, RawRecord, Splitter};
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
    Delimited { splitter: Box<Splitter>, raw: RawRecord, fields: csv::ByteRecord, delimiter: u8, quoting: bool },
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
    pub fn open(
        path: Option<&Path>,
        format: InputFormat,
        text_column: &str,
        options: ReadOptions,
    ) -> Result<RecordReader> {
        match path {
            Some(p) => {
                let file = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
                Self::from_reader(&p.display().to_string(), Box::new(file), format, text_column, options)
            }
            None => Self::from_reader("<stdin>", Box::new(std::io::stdin()), format, text_column, options),
        }
    }

    /// Wraps any reader; `name` is used in messages.
    pub fn from_reader(
        name: &str,
        input: Input,
        format: InputFormat,
        text_column: &str,
        options: ReadOptions,
    ) -> Result<RecordReader> {
        let input = transcode(input, options.encoding).map_err(|e| Error::io(name, e))?;
        let (inner, columns) = match format {
            InputFormat::Csv | InputFormat::Tsv => {
                let delimiter = if format == InputFormat::Tsv { b'\t' } else { b',' };
                let quoting = format == InputFormat::Csv || options.tsv_quoted;
                let mut splitter = Box::new(Splitter::new(input, delimiter, quoting));
                let mut raw = RawRecord::default();
                // A header may be far longer than a row (a wide export), but not without bound.
                let header_limit = options.max_record_bytes.max(HEADER_BYTES);
                let mut header = csv::ByteRecord::new();
                let found = splitter.next(&mut raw, header_limit).map_err(|e| Error::io(name, e))?;
                if let Some(problem) = raw.problem.filter(|_| found) {
                    return Err(Error::input(Location::line(name, raw.line), format!("the header: {problem}")));
                }
                if found && raw.size > header_limit as u64 {
                    return Err(Error::input(
                        Location::line(name, 1),
                        format!("the header is {} bytes, over the {header_limit} a header may have", raw.size),
                    ));
                }
                fields(&raw.bytes, delimiter, quoting, &mut header);
                let columns: Vec<String> = header
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').to_string())
                    .collect();
                let empty = !found || columns.is_empty() || columns.len() == 1 && columns[0].trim().is_empty();
                if empty {
                    (Inner::Empty, Vec::new()) // an empty file: no header, no rows
                } else {
                    let fields = csv::ByteRecord::new();
                    (Inner::Delimited { splitter, raw, fields, delimiter, quoting }, columns)
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
            options,
        };
        if matches!(reader.inner, Inner::Delimited { .. }) {
            reader.text.index = reader.column_index(text_column)?;
        }
        Ok(reader)
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
            Inner::Delimited { splitter, .. } => splitter.bytes,
            Inner::Lines { .. } | Inner::Empty => self.bytes,
        }
    }

    /// The position of a CSV/TSV column by name, or an error listing the columns there are (the first 50). A name
    /// the header has twice is an error too: which of the two to read would be a guess.
    pub fn column_index(&self, column: &str) -> Result<usize> {
        let mut found = self.columns.iter().enumerate().filter(|(_, c)| *c == column).map(|(i, _)| i);
        match (found.next(), found.next()) {
            (Some(i), None) => Ok(i),
            (Some(i), Some(j)) => Err(Error::input(
                Location::file(&self.name),
                format!(
                    "the header has the column '{column}' twice (columns {} and {}); rename one of them",
                    i + 1,
                    j + 1
                ),
            )),
            (None, _) => {
                let mut names: Vec<&str> = self.columns.iter().take(50).map(String::as_str).collect();
                if self.columns.len() > 50 {
                    names.push("...");
                }
                Err(Error::input(
                    Location::file(&self.name),
                    format!(
                        "no column '{column}'; the columns are ({} in all): {}. Name one of those (names are \
                         case-sensitive)",
                        self.columns.len(),
                        names.join(", ")
                    ),
                ))
            }
        }
    }

    /// The next row, or `None` at the end of the input. A row that cannot be used comes back with its
    /// `error` set (and whatever of it could be recovered); only problems with the whole input are errors.
    pub fn next_record(&mut self) -> Result<Option<Record>> {
        let options = self.options;
        match &mut self.inner {
            Inner::Empty => Ok(None),
            Inner::Delimited { splitter, raw, fields: buf, delimiter, quoting } => loop {
                let limit = options.max_record_bytes;
                if !splitter.next(raw, limit).map_err(|e| Error::io(&self.name, e))? {
                    return Ok(None);
                }
                if raw.size == 0 && raw.problem.is_none() {
                    continue; // a blank line is no row
                }
                fields(&raw.bytes, *delimiter, *quoting, buf);
                let mut record = delimited_record(buf, raw.line, &self.columns, options, raw.size);
                let ragged = buf.len() != self.columns.len() && raw.size <= limit as u64;
                if raw.problem.is_some() || ragged {
                    let (line, _) = decode(&raw.bytes, true);
                    let problem = match raw.problem {
                        // Its fields are a guess: say only what is wrong and what was read.
                        Some(p) => format!("{p}; the lines after it are read as rows"),
                        None => record.error.take().unwrap_or_default(),
                    };
                    record.error = Some(format!("{problem}; the row as read: {line}"));
                }
                return Ok(Some(record));
            },
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
                    if n == 3 && bytes.is_empty() && buf.len() == 3 {
                        return Ok(None); // a file of only a byte-order mark has no rows
                    }
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
                return Ok(Some(match serde_json::from_str::<UniqueKeys>(&text) {
                    Ok(UniqueKeys(object)) => Record::good(line, Row::Json(object)),
                    Err(e) => {
                        let mut raw = Map::new();
                        raw.insert("raw_line".into(), Value::String(text.into_owned()));
                        let problem = if e.to_string().starts_with("recursion limit exceeded") {
                            format!("a JSON object nested more than 128 levels deep: {e}")
                        } else if e.to_string().starts_with("duplicate field") {
                            format!("{e}; which value counts would be a guess, so the row is not scored")
                        } else {
                            format!("not a JSON object: {e}")
                        };
                        Record { line, row: Row::Json(raw), error: Some(problem) }
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

/// The most bytes a CSV/TSV header line may have (when `--max-record-bytes` is smaller).
const HEADER_BYTES: usize = 64 << 20;

/// A JSON object whose keys must be unique: `{"text":"a","text":"b"}` is an error, not a silent choice.
struct UniqueKeys(Map<String, Value>);

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<UniqueKeys, A::Error> {
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!("duplicate field '{key}'")));
                    }
                    let value: Value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueKeys(out))
            }
        }
        d.deserialize_map(Visit)
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
    let mut reader = RecordReader::open(path, format, text_column, options)?;
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
    use crate::records::decode::Encoding;

    fn reader_with(data: &[u8], format: InputFormat, options: ReadOptions) -> Result<RecordReader> {
        RecordReader::from_reader("mem", Box::new(std::io::Cursor::new(data.to_vec())), format, "text", options)
    }

    fn reader(data: &str, format: InputFormat) -> Result<RecordReader> {
        reader_with(data.as_bytes(), format, ReadOptions::default())
    }

    fn texts(mut r: RecordReader) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(rec) = r.next_record().expect("row") {
            out.push(r.text(&rec).expect("text").to_string());
        }
        out
    }

    fn rows(mut r: RecordReader) -> Vec<Record> {
        std::iter::from_fn(|| r.next_record().expect("no whole-input error")).collect()
    }

    #[test]
    fn csv_with_quotes_newlines_and_bom() {
        let r = reader("\u{feff}id,text\n1,\"a, \"\"quoted\"\"\nline\"\n2,простой\n", InputFormat::Csv).expect("open");
        assert_eq!(r.columns(), ["id", "text"]);
        assert_eq!(texts(r), ["a, \"quoted\"\nline", "простой"]);
    }

    #[test]
    fn a_stray_quote_is_a_bad_row_and_the_rows_after_it_are_read() {
        let csv = "text,lang\nok,en\n\"Join the caravan, he wrote,en\nnormal post,en\nsays \"go\" now,en\n";
        let got = rows(reader(csv, InputFormat::Csv).expect("open"));
        assert_eq!(got.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
        let err = got[1].error.as_deref().expect("bad row");
        assert!(err.contains("stray") && err.contains("the row as read: \"Join the caravan, he wrote,en"), "{err}");
        assert!(got[2].error.is_none() && got[3].error.is_none());
        let blank = reader("id,text\n1,a\n\n2,\"b\nc\"\n3,d\n", InputFormat::Csv).expect("open");
        assert_eq!(texts(blank), ["a", "b\nc", "d"]);
    }

    #[test]
    fn tsv_takes_quotes_as_text_unless_told() {
        let tsv = "id\ttext\n1\t\"Join us\" he said\n2\tfine\n";
        assert_eq!(texts(reader(tsv, InputFormat::Tsv).expect("open")), ["\"Join us\" he said", "fine"]);
        let quoted = ReadOptions { tsv_quoted: true, ..ReadOptions::default() };
        let got = rows(reader_with(tsv.as_bytes(), InputFormat::Tsv, quoted).expect("open"));
        assert!(got[0].error.as_deref().is_some_and(|e| e.contains("text after its closing quote")));
        assert!(got[1].error.is_none());
    }

    #[test]
    fn line_numbers_count_every_line_ending() {
        for data in [
            "id,text\n1,a\n2,\"b\nc\"\n3,x,y\n",
            "id,text\r\n1,a\r\n2,\"b\r\nc\"\r\n3,x,y\r\n",
            "id,text\r1,a\r2,\"b\rc\"\r3,x,y\r",
        ] {
            let got = rows(reader(data, InputFormat::Csv).expect("open"));
            assert_eq!(got.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5], "{data:?}");
            assert!(got[2].error.is_some(), "{data:?}");
        }
    }

    #[test]
    fn missing_and_duplicate_columns() {
        let err = reader("id,body\n1,x\n", InputFormat::Csv).expect_err("no text column").to_string();
        assert!(err.contains("no column 'text'") && err.contains("id, body"), "{err}");
        let err = reader("text,id,text\na,1,b\n", InputFormat::Csv).expect_err("twice").to_string();
        assert!(err.contains("'text' twice (columns 1 and 3)"), "{err}");
        let wide: Vec<String> = (0..1000).map(|i| format!("c{i}")).collect();
        let err = reader(&format!("{}\n", wide.join(",")), InputFormat::Csv).expect_err("none").to_string();
        assert!(err.contains("(1000 in all)") && err.contains("c49, ...") && !err.contains("c50"), "{}", err.len());
    }

    #[test]
    fn ragged_rows_are_bad_rows_that_keep_their_place_and_their_text() {
        let got = rows(reader("id,text\n1,a\n2,b, extra make hijrah\n3\n4,d\n", InputFormat::Csv).expect("open"));
        assert_eq!(got.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
        let e = got[1].error.as_deref().expect("bad");
        assert!(
            e.contains("3 fields but the header has 2") && e.contains("the row as read: 2,b, extra make hijrah"),
            "{e}"
        );
        assert!(got[2].error.as_deref().is_some_and(|e| e.contains("1 fields")));
        assert!(got[0].error.is_none() && got[3].error.is_none());
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
        let options = ReadOptions { max_record_bytes: 1000, ..ReadOptions::default() };
        let data = format!("short\n{long}\nafter\n");
        let got = rows(reader_with(data.as_bytes(), InputFormat::Txt, options).expect("open"));
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].row, Row::Line(String::new()));
        assert!(got[1].error.as_deref().is_some_and(|e| e.contains("5001 bytes")), "{:?}", got[1].error);
        assert_eq!(got[2].row, Row::Line("after".into()));
        for field in [long.clone(), format!("\"{long}\nwith a line\"")] {
            let csv = format!("id,text\n1,{field}\n2,ok\n");
            let got = rows(reader_with(csv.as_bytes(), InputFormat::Csv, options).expect("open"));
            assert_eq!(got.len(), 2);
            assert!(got[0].error.as_deref().is_some_and(|e| e.contains("over --max-record-bytes 1000")));
            assert_eq!(got[0].row, Row::Fields(csv::StringRecord::from(vec!["1", ""])));
            assert!(got[1].error.is_none() && got[1].line == if field.contains('\n') { 4 } else { 3 });
        }
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
        let got = rows(
            reader("{\"text\": \n{\"text\":\"make hijrah\",\"text\":\"hello\"}\n", InputFormat::Jsonl).expect("open"),
        );
        assert!(got[0].error.as_deref().is_some_and(|e| e.contains("not a JSON object")));
        assert!(got[1].error.as_deref().is_some_and(|e| e.contains("duplicate field 'text'")), "{:?}", got[1].error);
        let deep = format!("{{\"text\":{}1{}}}\n", "[".repeat(200), "]".repeat(200));
        let got = rows(reader(&deep, InputFormat::Jsonl).expect("open"));
        assert!(got[0].error.as_deref().is_some_and(|e| e.contains("more than 128 levels deep")), "{:?}", got[0].error);
    }

    #[test]
    fn utf16_is_read_by_its_byte_order_mark_or_when_named() {
        let text = "id,text\n1,make hijrah\n2,привет\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        for data in [le, be] {
            let r = reader_with(&data, InputFormat::Csv, ReadOptions::default()).expect("open");
            assert_eq!(texts(r), ["make hijrah", "привет"]);
        }
        let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let named = ReadOptions { encoding: Encoding::Utf16Le, ..ReadOptions::default() };
        assert_eq!(texts(reader_with(&bare, InputFormat::Csv, named).expect("open")), ["make hijrah", "привет"]);
        let latin = ReadOptions { encoding: Encoding::Latin1, ..ReadOptions::default() };
        assert_eq!(texts(reader_with(b"caf\xe9\n", InputFormat::Txt, latin).expect("open")), ["café"]);
    }

    #[test]
    fn invalid_utf8_is_reported_with_line() {
        let mut r = reader_with(b"ok\nbad \xff here\n", InputFormat::Txt, ReadOptions::default()).expect("open");
        r.next_record().expect("first");
        let bad = r.next_record().expect("a bad row").expect("some");
        assert_eq!(bad.line, 2);
        assert!(bad.error.as_deref().is_some_and(|e| e.contains("UTF-8") && e.contains("--lossy")));
        assert_eq!(bad.row, Row::Line("bad \u{FFFD} here".into()));
        let lossy = ReadOptions { lossy: true, ..ReadOptions::default() };
        let mut r = reader_with(b"bad \xff here\n", InputFormat::Txt, lossy).expect("open");
        assert_eq!(r.next_record().expect("row").expect("some").error, None);
        let mut r = reader_with(b"id,text\n1,caf\xe9\n", InputFormat::Csv, ReadOptions::default()).expect("open");
        let rec = r.next_record().expect("row").expect("some");
        assert!(rec.error.as_deref().is_some_and(|e| e.contains("column 'text'")), "{:?}", rec.error);
    }
}
