//! Writers that keep every input field, in order, and add propscan's columns.
//!
//! Added columns (`score`, `flagged`, ...) are appended after the input's own columns; an input column with the
//! same name is overwritten in place instead, so re-scoring a scored file keeps its shape. An input column that
//! propscan writes ([`OUTPUT_COLUMNS`]) but this run does not (a `decision` from an earlier `--review-band`, an
//! `evidence` from an earlier `--explain`) is left out of the output: it would contradict the new scores.

use super::reader::{Record, Row};
use super::OutputFormat;
use crate::error::{Error, Location, Result};
use serde_json::{Map, Value};
use std::io::Write;

/// Every column propscan may add to a row. On re-scoring, those of an input that this run does not write are
/// dropped and those it writes are replaced.
pub const OUTPUT_COLUMNS: [&str; 8] =
    ["score", "flagged", "decision", "evidence", "model_sha256", "model_format_version", "threshold", "error"];

/// A value propscan adds to a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A score, written in its shortest exact form.
    Score(f32),
    /// A decision.
    Bool(bool),
    /// Free text.
    Text(String),
    /// Structured data: a JSON value in JSONL, JSON-encoded text in CSV/TSV.
    Json(Value),
    /// No value: `null` in JSONL, an empty cell in CSV/TSV.
    Empty,
    /// Nothing to say: the key is left out of JSONL, an empty cell in CSV/TSV.
    Absent,
}

impl Cell {
    fn to_json(&self) -> Value {
        match self {
            Cell::Score(s) => format!("{s}")
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Text(t) => Value::String(t.clone()),
            Cell::Json(v) => v.clone(),
            Cell::Empty | Cell::Absent => Value::Null,
        }
    }

    fn write_text(&self, out: &mut String) {
        use std::fmt::Write as _;
        out.clear();
        let _ = match self {
            Cell::Score(s) => write!(out, "{s}"),
            Cell::Bool(b) => write!(out, "{b}"),
            Cell::Text(t) => write!(out, "{t}"),
            Cell::Json(v) => write!(out, "{v}"),
            Cell::Empty | Cell::Absent => Ok(()),
        };
    }
}

/// Makes a cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) inert by putting a `'` in front of it, as OWASP recommends against CSV injection.
pub fn neutralize_formula(cell: &mut String) {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
}

enum Sink {
    Delimited(Box<csv::Writer<Box<dyn Write + Send>>>),
    Json(std::io::BufWriter<Box<dyn Write + Send>>),
}

/// Layout of delimited output, fixed by the first input's columns (or the first JSON row's fields).
struct Layout {
    /// Output header.
    header: Vec<String>,
    /// For each input column: its position in the output row (`None`: a stale propscan column, left out).
    input_at: Vec<Option<usize>>,
    /// For each added column: its position in the output row.
    added_at: Vec<usize>,
}

/// Writes rows with propscan's added columns.
pub struct RecordWriter {
    neutralize: bool,
    sink: Sink,
    name: String,
    added: Vec<String>,
    layout: Option<Layout>,
    cells: Vec<String>,
}

impl std::fmt::Debug for RecordWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordWriter").field("name", &self.name).field("added", &self.added).finish()
    }
}

impl RecordWriter {
    /// A writer to `out` (named `name` in messages) that adds the columns `added`.
    pub fn new(out: Box<dyn Write + Send>, format: OutputFormat, name: &str, added: &[&str]) -> RecordWriter {
        let sink = match format {
            OutputFormat::Csv | OutputFormat::Tsv => Sink::Delimited(Box::new(
                csv::WriterBuilder::new()
                    .delimiter(if format == OutputFormat::Tsv { b'\t' } else { b',' })
                    .buffer_capacity(1 << 16)
                    .from_writer(out),
            )),
            OutputFormat::Jsonl => Sink::Json(std::io::BufWriter::with_capacity(1 << 16, out)),
        };
        RecordWriter {
            neutralize: format != OutputFormat::Jsonl,
            sink,
            name: name.to_string(),
            added: added.iter().map(|s| s.to_string()).collect(),
            layout: None,
            cells: Vec::new(),
        }
    }

    /// Whether to neutralise CSV/TSV cells a spreadsheet would run as a formula (on by default; never for JSONL).
    pub fn neutralize(mut self, on: bool) -> Self {
        self.neutralize = on && !matches!(self.sink, Sink::Json(_));
        self
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::io(&self.name, e)
    }

    fn csv_err(&self, e: csv::Error) -> Error {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io(&self.name, io),
            other => Error::Usage(format!("{}: cannot write row: {other:?}", self.name)),
        }
    }

    /// Fixes the delimited layout from input `columns` and writes the header (no-op for JSONL output or when
    /// the layout is already fixed).
    pub fn begin(&mut self, columns: &[String]) -> Result<()> {
        if self.layout.is_some() || matches!(self.sink, Sink::Json(_)) {
            return Ok(());
        }
        let stale = |c: &String| OUTPUT_COLUMNS.contains(&c.as_str()) && !self.added.contains(c);
        let mut header: Vec<String> = Vec::with_capacity(columns.len() + self.added.len());
        let input_at: Vec<Option<usize>> = columns
            .iter()
            .map(|c| {
                (!stale(c)).then(|| {
                    header.push(c.clone());
                    header.len() - 1
                })
            })
            .collect();
        let mut added_at = Vec::with_capacity(self.added.len());
        for name in &self.added {
            match header.iter().position(|h| h == name) {
                Some(i) => added_at.push(i),
                None => {
                    header.push(name.clone());
                    added_at.push(header.len() - 1);
                }
            }
        }
        if let Sink::Delimited(w) = &mut self.sink {
            w.write_record(&header).map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => Error::io(&self.name, io),
                other => Error::Usage(format!("cannot write header: {other:?}")),
            })?;
        }
        self.layout = Some(Layout { input_at, header, added_at });
        Ok(())
    }

    /// The output header, once fixed.
    pub fn header(&self) -> Option<&[String]> {
        self.layout.as_ref().map(|l| l.header.as_slice())
    }

    /// Writes one row: `record` from an input named `source` whose columns are `columns`, plus `cells` for the
    /// added columns (same order as given to [`RecordWriter::new`]). Returns `true` when the writer had to mark
    /// the row bad itself: a JSON row with fields the CSV/TSV header lacks (named in its `error` column).
    pub fn write(&mut self, source: &str, record: &Record, columns: &[String], cells: &[Cell]) -> Result<bool> {
        match &mut self.sink {
            Sink::Json(w) => {
                let mut object = match &record.row {
                    Row::Json(obj) => obj.clone(),
                    Row::Fields(f) => {
                        let mut m = Map::new();
                        for (k, v) in columns.iter().zip(f.iter()) {
                            m.insert(unique_key(&m, k), Value::String(v.to_string()));
                        }
                        m
                    }
                    Row::Line(s) => {
                        let mut m = Map::new();
                        m.insert("text".to_string(), Value::String(s.clone()));
                        m
                    }
                };
                for name in OUTPUT_COLUMNS {
                    if !self.added.iter().any(|a| a == name) {
                        object.shift_remove(name);
                    }
                }
                for (name, cell) in self.added.iter().zip(cells) {
                    if *cell != Cell::Absent {
                        object.insert(name.clone(), cell.to_json());
                    } else {
                        object.shift_remove(name);
                    }
                }
                serde_json::to_writer(&mut *w, &object).map_err(|e| Error::io(&self.name, e.into()))?;
                w.write_all(b"\n").map(|_| false).map_err(|e| Error::io(&self.name, e))
            }
            Sink::Delimited(_) => self.write_delimited(source, record, columns, cells),
        }
    }

    fn write_delimited(&mut self, source: &str, record: &Record, columns: &[String], cells: &[Cell]) -> Result<bool> {
        if self.layout.is_none() {
            let first: Vec<String> = match &record.row {
                Row::Json(obj) => obj.keys().cloned().collect(),
                _ => columns.to_vec(),
            };
            self.begin(&first)?;
        }
        let Some(layout) = self.layout.as_ref() else {
            return Err(Error::Usage("output layout not set".into()));
        };
        let width = layout.header.len();
        let mut dropped: Vec<&str> = Vec::new();
        self.cells.resize(width, String::new());
        for c in self.cells.iter_mut() {
            c.clear();
        }
        match &record.row {
            Row::Fields(f) => {
                for (v, at) in f.iter().zip(&layout.input_at) {
                    if let Some(i) = at {
                        self.cells[*i].push_str(v);
                    }
                }
            }
            Row::Line(s) => {
                if let Some(Some(i)) = layout.input_at.first() {
                    self.cells[*i].push_str(s)
                }
            }
            Row::Json(obj) => {
                for (k, v) in obj {
                    if OUTPUT_COLUMNS.contains(&k.as_str()) {
                        continue; // written below if this run writes it, left out if not
                    }
                    let Some(i) = layout.input_at.iter().filter_map(|a| *a).find(|&i| layout.header[i] == *k) else {
                        dropped.push(k.as_str());
                        continue;
                    };
                    match v {
                        Value::String(s) => self.cells[i].push_str(s),
                        other => self.cells[i].push_str(&other.to_string()),
                    }
                }
            }
        }
        for (&at, cell) in layout.added_at.iter().zip(cells) {
            cell.write_text(&mut self.cells[at]);
        }
        let marked = !dropped.is_empty();
        if marked {
            let problem = format!(
                "{}: line {}: field(s) {} not in the first row, so not in the CSV columns; use --format jsonl to \
                 keep every field",
                source,
                record.line,
                dropped.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ")
            );
            let Some(at) = self.added.iter().position(|a| a == "error").and_then(|k| layout.added_at.get(k)) else {
                return Err(Error::input(Location::line(source, record.line), problem));
            };
            let cell = &mut self.cells[*at];
            if !cell.is_empty() {
                cell.push_str("; ");
            }
            cell.push_str(&problem);
        }
        if self.neutralize {
            for cell in self.cells.iter_mut() {
                neutralize_formula(cell);
            }
        }
        let result = match &mut self.sink {
            Sink::Delimited(w) => w.write_record(&self.cells),
            Sink::Json(_) => Ok(()),
        };
        result.map(|_| marked).map_err(|e| self.csv_err(e))
    }

    /// Flushes everything written.
    pub fn finish(mut self) -> Result<()> {
        let result = match &mut self.sink {
            Sink::Delimited(w) => w.flush(),
            Sink::Json(w) => w.flush(),
        };
        result.map_err(|e| self.io(e))
    }
}

/// `key`, or `key_2`, `key_3`, ... if the object already has it (CSV headers may repeat a name; JSON keys may not).
fn unique_key(object: &Map<String, Value>, key: &str) -> String {
    if !object.contains_key(key) {
        return key.to_string();
    }
    (2..).map(|n| format!("{key}_{n}")).find(|k| !object.contains_key(k)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn run(format: OutputFormat, columns: &[&str], rows: Vec<Row>) -> String {
        let out = Shared::default();
        let mut w = RecordWriter::new(Box::new(out.clone()), format, "out", &["score", "flagged"]);
        let columns: Vec<String> = columns.iter().map(|s| s.to_string()).collect();
        if !columns.is_empty() {
            w.begin(&columns).expect("header");
        }
        for (i, row) in rows.into_iter().enumerate() {
            let rec = Record { line: i as u64 + 2, row, error: None };
            w.write("in", &rec, &columns, &[Cell::Score(0.25), Cell::Bool(i == 0)]).expect("row");
        }
        w.finish().expect("flush");
        let bytes = out.0.lock().expect("lock").clone();
        String::from_utf8(bytes).expect("utf8")
    }

    #[test]
    fn csv_appends_and_quotes() {
        let rec = csv::StringRecord::from(vec!["1", "a,\"b\"\nc"]);
        let out = run(OutputFormat::Csv, &["id", "text"], vec![Row::Fields(rec)]);
        assert_eq!(out, "id,text,score,flagged\n1,\"a,\"\"b\"\"\nc\",0.25,true\n");
    }

    #[test]
    fn existing_score_column_is_overwritten_in_place() {
        let rec = csv::StringRecord::from(vec!["0.9", "x"]);
        let out = run(OutputFormat::Csv, &["score", "text"], vec![Row::Fields(rec)]);
        assert_eq!(out, "score,text,flagged\n0.25,x,true\n");
    }

    #[test]
    fn jsonl_keeps_field_order() {
        let obj: Map<String, Value> = serde_json::from_str(r#"{"z":1,"text":"hi","a":[1]}"#).expect("json");
        let out = run(OutputFormat::Jsonl, &[], vec![Row::Json(obj)]);
        assert_eq!(out, "{\"z\":1,\"text\":\"hi\",\"a\":[1],\"score\":0.25,\"flagged\":true}\n");
    }

    #[test]
    fn repeated_csv_headers_keep_every_value_in_jsonl() {
        let rec = csv::StringRecord::from(vec!["a", "b", "c"]);
        let out = run(OutputFormat::Jsonl, &["x", "x", "x_2"], vec![Row::Fields(rec)]);
        assert_eq!(out, "{\"x\":\"a\",\"x_2\":\"b\",\"x_2_2\":\"c\",\"score\":0.25,\"flagged\":true}\n");
    }

    #[test]
    fn big_json_numbers_are_kept_exactly() {
        let obj: Map<String, Value> =
            serde_json::from_str(r#"{"id":123456789012345678901,"x":1e400,"text":"t"}"#).expect("json");
        let out = run(OutputFormat::Jsonl, &[], vec![Row::Json(obj)]);
        assert!(out.starts_with("{\"id\":123456789012345678901,\"x\":1e+400,"), "{out}");
    }

    #[test]
    fn jsonl_to_csv_uses_first_row_fields() {
        let a: Map<String, Value> = serde_json::from_str(r#"{"id":1,"text":"x"}"#).expect("json");
        let b: Map<String, Value> = serde_json::from_str(r#"{"text":"y","id":2}"#).expect("json");
        let out = run(OutputFormat::Csv, &[], vec![Row::Json(a), Row::Json(b)]);
        assert_eq!(out, "id,text,score,flagged\n1,x,0.25,true\n2,y,0.25,false\n");
    }

    #[test]
    fn json_fields_outside_the_csv_header_mark_the_row() {
        let out = Shared::default();
        let mut w = RecordWriter::new(Box::new(out.clone()), OutputFormat::Csv, "out", &["score", "error"]);
        let a: Map<String, Value> = serde_json::from_str(r#"{"text":"x"}"#).expect("json");
        let b: Map<String, Value> = serde_json::from_str(r#"{"text":"y","extra":1}"#).expect("json");
        let first = Record { line: 1, row: Row::Json(a), error: None };
        let second = Record { line: 2, row: Row::Json(b), error: None };
        assert!(!w.write("in", &first, &[], &[Cell::Score(0.5), Cell::Absent]).expect("row"));
        assert!(w.write("in", &second, &[], &[Cell::Score(0.5), Cell::Absent]).expect("row"), "marked bad");
        w.finish().expect("flush");
        let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("utf8");
        assert!(text.contains("y,0.5,\"in: line 2: field(s) 'extra' not in the first row"), "{text}");
    }

    #[test]
    fn formulas_are_neutralised() {
        for (cell, expected) in
            [("=1+1", "'=1+1"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("ok", "ok"), ("", "")]
        {
            let mut c = cell.to_string();
            neutralize_formula(&mut c);
            assert_eq!(c, expected);
        }
    }
}
