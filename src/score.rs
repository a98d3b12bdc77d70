//! Streaming, parallel, order-preserving batch scoring.
//!
//! Rows are read in chunks; each chunk's texts are scored (and, when asked, explained) in parallel, in blocks of
//! 256 rows handed to threads with a scorer each, while the previous chunk is written and the next one read; rows
//! are written in input order. Memory is bounded by three chunks (being read, scored and written), not by the
//! input size (a single line is still held whole, up to [`crate::records::ReadOptions`]'s `max_record_bytes`). Every row read is written:
//! rows out = rows in — except with `top: Some(n)` in [`score_all`], which by request keeps only the n highest-scoring rows.

use crate::error::Result;
use crate::explain::{Explainer, Explanation};
use crate::model::{Model, Scorer};
use crate::progress::Progress;
use crate::records::writer::Cell;
use crate::records::{Record, RecordReader, RecordWriter};
use rayon::prelude::*;

/// Rows per chunk.
pub const CHUNK_ROWS: usize = 8192;

/// Counts from a scoring run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read.
    pub rows: u64,
    /// Rows written.
    pub written: u64,
    /// Rows flagged.
    pub flagged: u64,
    /// Rows sent to review (with a review band).
    pub review: u64,
    /// Bad rows: written with an `error` and no score.
    pub bad: u64,
}

/// Facts about the model written next to every row when [`ScoreOptions::audit`] is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// SHA-256 of the model file.
    pub model_sha256: String,
    /// The model file's format version.
    pub format_version: u32,
}

/// How rows are decided and what is added to each.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOptions {
    /// Flag at or above this score (without a review band).
    pub threshold: f64,
    /// `(low, high)`: flag at or above `high`, send to review from `low` up to `high`, pass below `low`.
    pub review_band: Option<(f64, f64)>,
    /// Features of evidence per row (0: no `evidence` column).
    pub explain: usize,
    /// Add the model's identity and the threshold to every row.
    pub audit: Option<Audit>,
}

/// A row's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// At or above the (upper) threshold.
    Flag,
    /// Inside the review band.
    Review,
    /// Below.
    Pass,
}

impl Decision {
    /// The word written in the `decision` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Flag => "flag",
            Decision::Review => "review",
            Decision::Pass => "pass",
        }
    }
}

impl ScoreOptions {
    /// Options that add only `score` and `flagged`.
    pub fn with_threshold(threshold: f64) -> Self {
        ScoreOptions { threshold, review_band: None, explain: 0, audit: None }
    }

    /// The threshold that decides `flagged`.
    pub fn flag_threshold(&self) -> f64 {
        self.review_band.map_or(self.threshold, |(_, high)| high)
    }

    /// The decision for `score`.
    pub fn decide(&self, score: f32) -> Decision {
        let s = score as f64;
        match self.review_band {
            Some((_, high)) if s >= high => Decision::Flag,
            Some((low, _)) if s >= low => Decision::Review,
            Some(_) => Decision::Pass,
            None if s >= self.threshold => Decision::Flag,
            None => Decision::Pass,
        }
    }

    /// Names of the columns added to every row, in order.
    pub fn columns(&self) -> Vec<&'static str> {
        let mut c = vec!["score", "flagged"];
        if self.review_band.is_some() {
            c.push("decision");
        }
        if self.explain > 0 {
            c.push("evidence");
        }
        if self.audit.is_some() {
            c.extend(["model_sha256", "model_format_version", "threshold"]);
        }
        c.push("error");
        c
    }

    /// The added cells of one row: its score and decision, or, for a bad row, empty cells and the `error`.
    fn cells(&self, score: f32, explanation: Option<&Explanation>, error: Option<String>) -> (Vec<Cell>, Decision) {
        let decision = self.decide(score);
        let bad = error.is_some();
        let mut cells = if bad {
            vec![Cell::Empty, Cell::Empty]
        } else {
            vec![Cell::Score(score), Cell::Bool(decision == Decision::Flag)]
        };
        if self.review_band.is_some() {
            cells.push(if bad { Cell::Empty } else { Cell::Text(decision.as_str().to_string()) });
        }
        if self.explain > 0 {
            let evidence = explanation.filter(|_| !bad).map(|e| serde_json::to_value(&e.evidence).unwrap_or_default());
            cells.push(evidence.map_or(Cell::Empty, Cell::Json));
        }
        if let Some(a) = &self.audit {
            cells.push(Cell::Text(a.model_sha256.clone()));
            cells.push(Cell::Text(a.format_version.to_string()));
            cells.push(Cell::Text(format!("{}", self.flag_threshold())));
        }
        cells.push(error.map_or(Cell::Absent, Cell::Text));
        (cells, if bad { Decision::Pass } else { decision })
    }
}

/// Rows per block of parallel work: small enough that threads share a chunk evenly even while one of them is
/// busy reading or writing.
const BLOCK_ROWS: usize = 256;

/// Per-thread workers ([`Scorer`]s or [`Explainer`]s), lent to one block of rows at a time.
pub struct Workers<W>(std::sync::Mutex<Vec<W>>);

impl<W> Default for Workers<W> {
    fn default() -> Self {
        Workers(std::sync::Mutex::new(Vec::new()))
    }
}

impl<W> Workers<W> {
    /// Runs `f` with a worker from the pool (or a new one from `make`), then returns the worker to the pool.
    fn with<T>(&self, make: impl FnOnce() -> W, f: impl FnOnce(&mut W) -> T) -> T {
        let lent = self.0.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut worker = lent.unwrap_or_else(make);
        let out = f(&mut worker);
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(worker);
        out
    }
}

/// Scores many texts at once on the current rayon pool; scores in input order.
pub fn score_texts<'m>(model: &'m Model, texts: &[&str], scorers: &Workers<Scorer<'m>>) -> Vec<f32> {
    let mut scores = vec![0f32; texts.len()];
    scores.par_chunks_mut(BLOCK_ROWS).zip(texts.par_chunks(BLOCK_ROWS)).for_each(|(out, texts)| {
        scorers.with(
            || model.scorer(),
            |scorer| {
                for (o, t) in out.iter_mut().zip(texts) {
                    *o = scorer.score(t);
                }
            },
        )
    });
    scores
}

/// Explains many texts at once, like [`score_texts`].
pub fn explain_texts<'m>(
    model: &'m Model,
    texts: &[&str],
    k: usize,
    explainers: &Workers<Explainer<'m>>,
) -> Vec<Explanation> {
    let parts: Vec<Vec<Explanation>> = texts
        .par_chunks(BLOCK_ROWS)
        .map(|texts| explainers.with(|| Explainer::new(model), |e| texts.iter().map(|t| e.explain(t, k)).collect()))
        .collect();
    parts.into_iter().flatten().collect()
}

/// A row held back for the top-n queue.
struct Held {
    score: f32,
    seq: u64,
    reader: usize,
    record: Record,
    explanation: Option<Explanation>,
    error: Option<String>,
}

/// A chunk of rows with what scoring found.
struct Scored {
    records: Vec<Record>,
    errors: Vec<Option<String>>,
    scores: Vec<f32>,
    explanations: Vec<Option<Explanation>>,
}

/// Where scored rows go, and the running counts.
struct Sink<'a> {
    writer: &'a mut RecordWriter,
    options: &'a ScoreOptions,
    top: Option<usize>,
    summary: Summary,
    held: Vec<Held>,
}

impl Sink<'_> {
    /// Writes one row; `bad` already counts it if it came with an error, and here counts it if the writer marks it.
    fn row(
        &mut self,
        reader: &RecordReader,
        record: Record,
        score: f32,
        explanation: Option<Explanation>,
        error: Option<String>,
    ) -> Result<()> {
        let already_bad = error.is_some();
        let (cells, d) = self.options.cells(score, explanation.as_ref(), error);
        match d {
            Decision::Flag => self.summary.flagged += 1,
            Decision::Review => self.summary.review += 1,
            Decision::Pass => {}
        }
        let marked = self.writer.write(reader.name(), &record, reader.columns(), &cells)?;
        self.summary.bad += u64::from(marked && !already_bad);
        self.summary.written += 1;
        Ok(())
    }

    /// Takes a scored chunk of reader `r`'s rows: writes them, or keeps them for the top-n queue.
    fn chunk(&mut self, reader: &RecordReader, r: usize, scored: Scored) -> Result<()> {
        let Scored { records, errors, scores, explanations } = scored;
        for (((record, score), explanation), error) in records.into_iter().zip(scores).zip(explanations).zip(errors) {
            self.summary.rows += 1;
            self.summary.bad += u64::from(error.is_some());
            // A bad row sorts last in a top-N queue: it has no score.
            let score = if error.is_some() { f32::NEG_INFINITY } else { score };
            match self.top {
                Some(_) => {
                    let seq = self.summary.rows;
                    self.held.push(Held { score, seq, reader: r, record, explanation, error });
                }
                None => self.row(reader, record, score, explanation, error)?,
            }
        }
        if let Some(n) = self.top {
            keep_top(&mut self.held, n);
        }
        Ok(())
    }
}

/// Reads up to [`CHUNK_ROWS`] rows; with a problem with the whole input, also the rows read before it, so that
/// they can still be written.
fn read_chunk(reader: &mut RecordReader) -> (Vec<Record>, Option<crate::error::Error>) {
    let mut records = Vec::with_capacity(CHUNK_ROWS);
    while records.len() < CHUNK_ROWS {
        match reader.next_record() {
            Ok(Some(rec)) => records.push(rec),
            Ok(None) => break,
            Err(e) => return (records, Some(e)),
        }
    }
    (records, None)
}

/// The text of every row, and the error of every row that has none: a bad row, or a JSON row whose text field
/// is missing or not a string, is written with its error.
fn texts<'r>(reader: &RecordReader, records: &'r [Record]) -> (Vec<&'r str>, Vec<Option<String>>) {
    records
        .iter()
        .map(|rec| match (&rec.error, reader.text(rec)) {
            (Some(e), _) => ("", Some(format!("{}: line {}: {e}", reader.name(), rec.line))),
            (None, Ok(t)) => (t, None),
            (None, Err(e)) => ("", Some(e.to_string())),
        })
        .unzip()
}

/// Scores every row of every reader into `writer`. With `top: Some(n)`, writes only the `n` highest-scoring
/// rows, highest first (ties in input order).
///
/// Each chunk is scored on the rayon pool while, at the same time, the previous chunk is written and the next
/// one read: with two or more threads, reading and writing overlap scoring.
pub fn score_all(
    model: &Model,
    readers: &mut [RecordReader],
    writer: &mut RecordWriter,
    options: &ScoreOptions,
    top: Option<usize>,
    progress: &Progress,
) -> Result<Summary> {
    let scorers = Workers::default();
    let explainers = Workers::default();
    let mut sink = Sink { writer, options, top, summary: Summary::default(), held: Vec::new() };
    let mut bytes_before = 0;
    for (r, reader) in readers.iter_mut().enumerate() {
        if !reader.columns().is_empty() {
            sink.writer.begin(reader.columns())?;
        }
        // A problem with the whole input ends the reading; the rows read before it are scored and written, then
        // the run stops with it.
        let (mut next, mut failed) = read_chunk(reader);
        let mut pending: Option<Scored> = None;
        while !next.is_empty() || pending.is_some() {
            let records = std::mem::take(&mut next);
            let (texts, errors) = texts(reader, &records);
            let last = records.is_empty() || failed.is_some();
            let ((scores, explanations), read) = rayon::join(
                || -> (Vec<f32>, Vec<Option<Explanation>>) {
                    if options.explain > 0 {
                        explain_texts(model, &texts, options.explain, &explainers)
                            .into_iter()
                            .map(|e| (e.score, Some(e)))
                            .unzip()
                    } else {
                        let s = score_texts(model, &texts, &scorers);
                        let n = s.len();
                        (s, vec![None; n])
                    }
                },
                || -> Result<(Vec<Record>, Option<crate::error::Error>)> {
                    if let Some(done) = pending.take() {
                        sink.chunk(reader, r, done)?;
                    }
                    Ok(if last { (Vec::new(), None) } else { read_chunk(reader) })
                },
            );
            drop(texts);
            let scored = Scored { records, errors, scores, explanations };
            let (records, error) = read?;
            next = records;
            failed = failed.or(error);
            if !scored.records.is_empty() {
                pending = Some(scored);
            }
            progress.set(bytes_before + reader.bytes_read());
        }
        if let Some(e) = failed {
            return Err(e);
        }
        bytes_before += reader.bytes_read();
    }
    if let Some(n) = top {
        let mut held = std::mem::take(&mut sink.held);
        keep_top(&mut held, n);
        held.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq)));
        for h in held {
            sink.row(&readers[h.reader], h.record, h.score, h.explanation, h.error)?;
        }
    }
    Ok(sink.summary)
}

/// Keeps the `n` highest-scoring rows (ties: earliest first) once the buffer holds more than `2n`.
fn keep_top(held: &mut Vec<Held>, n: usize) {
    if held.len() <= n.max(1) * 2 && held.len() <= n + CHUNK_ROWS {
        return;
    }
    if held.len() > n {
        let order = |a: &Held, b: &Held| b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq));
        if n > 0 {
            held.select_nth_unstable_by(n - 1, order);
        }
        held.truncate(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::default_model;

    #[test]
    fn parallel_scores_equal_one_by_one_scores_in_order() {
        let model = default_model().expect("built-in model");
        let texts: Vec<String> =
            (0..3000).map(|i| format!("post {i}: join the brothers {} or watch the match", i % 13)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().expect("pool");
        let scorers = Workers::default();
        let scores = pool.install(|| score_texts(&model, &refs, &scorers));
        let lent = scorers.0.lock().expect("pool").len();
        assert!((1..=3).contains(&lent), "{lent} scorers for 3 threads");
        assert_eq!(scores.len(), texts.len());
        let mut one = model.scorer();
        for (text, &s) in refs.iter().zip(&scores) {
            assert_eq!(one.score(text).to_bits(), s.to_bits(), "{text}");
        }
        assert!(score_texts(&model, &[], &scorers).is_empty());
        let explainers = Workers::default();
        let explained = pool.install(|| explain_texts(&model, &refs[..100], 3, &explainers));
        for (e, &s) in explained.iter().zip(&scores) {
            assert_eq!(e.score.to_bits(), s.to_bits());
        }
    }

    #[test]
    fn decisions_with_and_without_a_band() {
        let plain = ScoreOptions::with_threshold(0.5);
        assert_eq!((plain.decide(0.5), plain.decide(0.49)), (Decision::Flag, Decision::Pass));
        assert_eq!(plain.columns(), ["score", "flagged", "error"]);
        let band = ScoreOptions {
            review_band: Some((0.3, 0.8)),
            explain: 2,
            audit: Some(Audit { model_sha256: "ab".into(), format_version: 1 }),
            ..plain
        };
        assert_eq!(
            [band.decide(0.9), band.decide(0.8), band.decide(0.5), band.decide(0.3), band.decide(0.29)],
            [Decision::Flag, Decision::Flag, Decision::Review, Decision::Review, Decision::Pass]
        );
        assert_eq!(
            band.columns(),
            ["score", "flagged", "decision", "evidence", "model_sha256", "model_format_version", "threshold", "error"]
        );
        let (cells, _) = band.cells(0.5, None, None);
        assert_eq!(cells.len(), 8);
        assert_eq!(cells[7], Cell::Absent);
        let (bad, d) = band.cells(0.5, None, Some("line 3: invalid UTF-8".into()));
        assert_eq!(
            (&bad[0], &bad[2], &bad[7], d),
            (&Cell::Empty, &Cell::Empty, &Cell::Text("line 3: invalid UTF-8".into()), Decision::Pass)
        );
        assert_eq!(cells[2], Cell::Text("review".into()));
        assert_eq!(cells[6], Cell::Text("0.8".into()));
    }
}
