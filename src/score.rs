//! Streaming, parallel, order-preserving batch scoring.
//!
//! Rows are read in chunks; each chunk's texts are split into one contiguous part per thread, scored (and, when
//! asked, explained) in parallel with one scorer per thread, and written in input order. Memory is bounded by the
//! chunk size, not the input size (a single enormous line is still held whole). Every row read is written:
//! rows out = rows in — except with `--top N`, which by request keeps only the N highest-scoring rows.

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

/// Facts about the model written next to every row by `--audit`.
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

/// Scores many texts at once on the current rayon pool, one scorer per part; scores in input order.
pub fn score_texts<'m>(model: &'m Model, texts: &[&str], scorers: &mut Vec<Scorer<'m>>) -> Vec<f32> {
    let threads = rayon::current_num_threads().max(1);
    while scorers.len() < threads {
        scorers.push(model.scorer());
    }
    let part = texts.len().div_ceil(threads).max(1);
    let mut scores = vec![0f32; texts.len()];
    scores.par_chunks_mut(part).zip(texts.par_chunks(part)).zip(scorers.par_iter_mut()).for_each(
        |((out, texts), scorer)| {
            for (o, t) in out.iter_mut().zip(texts) {
                *o = scorer.score(t);
            }
        },
    );
    scores
}

/// Explains many texts at once, like [`score_texts`].
pub fn explain_texts<'m>(
    model: &'m Model,
    texts: &[&str],
    k: usize,
    explainers: &mut Vec<Explainer<'m>>,
) -> Vec<Explanation> {
    let threads = rayon::current_num_threads().max(1);
    while explainers.len() < threads {
        explainers.push(Explainer::new(model));
    }
    let part = texts.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Explanation>> = texts
        .par_chunks(part)
        .zip(explainers.par_iter_mut())
        .map(|(texts, explainer)| texts.iter().map(|t| explainer.explain(t, k)).collect())
        .collect();
    parts.into_iter().flatten().collect()
}

/// A row held back by `--top`.
struct Held {
    score: f32,
    seq: u64,
    reader: usize,
    record: Record,
    explanation: Option<Explanation>,
    error: Option<String>,
}

/// Scores every row of every reader into `writer`. With `top: Some(n)`, writes only the `n` highest-scoring
/// rows, highest first (ties in input order).
pub fn score_all(
    model: &Model,
    readers: &mut [RecordReader],
    writer: &mut RecordWriter,
    options: &ScoreOptions,
    top: Option<usize>,
    progress: &Progress,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut scorers = Vec::new();
    let mut explainers = Vec::new();
    let mut records = Vec::with_capacity(CHUNK_ROWS);
    let mut held: Vec<Held> = Vec::new();
    let mut bytes_before = 0;
    let tally = |summary: &mut Summary, d: Decision| match d {
        Decision::Flag => summary.flagged += 1,
        Decision::Review => summary.review += 1,
        Decision::Pass => {}
    };
    for (r, reader) in readers.iter_mut().enumerate() {
        if !reader.columns().is_empty() {
            writer.begin(reader.columns())?;
        }
        loop {
            records.clear();
            while records.len() < CHUNK_ROWS {
                match reader.next_record()? {
                    Some(rec) => records.push(rec),
                    None => break,
                }
            }
            if records.is_empty() {
                break;
            }
            // A bad row, or a JSON row whose text field is missing or not a string, is written with its error.
            let mut errors: Vec<Option<String>> = Vec::with_capacity(records.len());
            let mut texts: Vec<&str> = Vec::with_capacity(records.len());
            for rec in &records {
                let (text, error) = match (&rec.error, reader.text(rec)) {
                    (Some(e), _) => ("", Some(format!("{}: line {}: {e}", reader.name(), rec.line))),
                    (None, Ok(t)) => (t, None),
                    (None, Err(e)) => ("", Some(e.to_string())),
                };
                texts.push(text);
                errors.push(error);
            }
            let (scores, explanations): (Vec<f32>, Vec<Option<Explanation>>) = if options.explain > 0 {
                explain_texts(model, &texts, options.explain, &mut explainers)
                    .into_iter()
                    .map(|e| (e.score, Some(e)))
                    .unzip()
            } else {
                let s = score_texts(model, &texts, &mut scorers);
                let n = s.len();
                (s, vec![None; n])
            };
            drop(texts);
            for (((record, score), explanation), error) in records.drain(..).zip(scores).zip(explanations).zip(errors) {
                summary.rows += 1;
                summary.bad += u64::from(error.is_some());
                // A bad row sorts last in a top-N queue: it has no score.
                let score = if error.is_some() { f32::NEG_INFINITY } else { score };
                match top {
                    Some(_) => held.push(Held { score, seq: summary.rows, reader: r, record, explanation, error }),
                    None => {
                        let already_bad = error.is_some();
                        let (cells, d) = options.cells(score, explanation.as_ref(), error);
                        tally(&mut summary, d);
                        let marked = writer.write(reader.name(), &record, reader.columns(), &cells)?;
                        summary.bad += u64::from(marked && !already_bad);
                        summary.written += 1;
                    }
                }
            }
            if let Some(n) = top {
                keep_top(&mut held, n);
            }
            progress.set(bytes_before + reader.bytes_read());
        }
        bytes_before += reader.bytes_read();
    }
    if let Some(n) = top {
        keep_top(&mut held, n);
        held.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.seq.cmp(&b.seq)));
        for h in held {
            let reader = &readers[h.reader];
            let already_bad = h.error.is_some();
            let (cells, d) = options.cells(h.score, h.explanation.as_ref(), h.error);
            tally(&mut summary, d);
            let marked = writer.write(reader.name(), &h.record, reader.columns(), &cells)?;
            summary.bad += u64::from(marked && !already_bad);
            summary.written += 1;
        }
    }
    Ok(summary)
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
        let mut scorers = Vec::new();
        let scores = pool.install(|| score_texts(&model, &refs, &mut scorers));
        assert_eq!(scorers.len(), 3);
        assert_eq!(scores.len(), texts.len());
        let mut one = model.scorer();
        for (text, &s) in refs.iter().zip(&scores) {
            assert_eq!(one.score(text).to_bits(), s.to_bits(), "{text}");
        }
        assert!(score_texts(&model, &[], &mut scorers).is_empty());
        let mut explainers = Vec::new();
        let explained = pool.install(|| explain_texts(&model, &refs[..100], 3, &mut explainers));
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
