//! Streaming, parallel, order-preserving batch scoring.
//!
//! Rows are read in chunks; each chunk's texts are split into one contiguous part per thread, scored in
//! parallel with one [`Scorer`] per thread, and written in input order. Memory is bounded by the chunk size,
//! not the input size (a single enormous line is still held whole). Every row read is written: rows out = rows in.

use crate::error::Result;
use crate::model::{Model, Scorer};
use crate::progress::Progress;
use crate::records::writer::Cell;
use crate::records::{RecordReader, RecordWriter};
use rayon::prelude::*;

/// Rows per chunk.
pub const CHUNK_ROWS: usize = 8192;

/// Counts from a scoring run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read and written.
    pub rows: u64,
    /// Rows flagged.
    pub flagged: u64,
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

/// Scores every row of every reader into `writer`, flagging rows with `score >= threshold`.
pub fn score_all(
    model: &Model,
    readers: &mut [RecordReader],
    writer: &mut RecordWriter,
    threshold: f64,
    progress: &Progress,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let mut scorers = Vec::new();
    let mut records = Vec::with_capacity(CHUNK_ROWS);
    let mut bytes_before = 0;
    for reader in readers.iter_mut() {
        if !reader.columns().is_empty() {
            writer.begin(reader.columns())?;
        }
        loop {
            records.clear();
            while records.len() < CHUNK_ROWS {
                match reader.next_record()? {
                    Some(r) => records.push(r),
                    None => break,
                }
            }
            if records.is_empty() {
                break;
            }
            let texts = records.iter().map(|r| reader.text(r)).collect::<Result<Vec<&str>>>()?;
            let scores = score_texts(model, &texts, &mut scorers);
            for (record, &score) in records.iter().zip(&scores) {
                let flagged = score as f64 >= threshold;
                summary.flagged += flagged as u64;
                writer.write(reader.name(), record, reader.columns(), &[Cell::Score(score), Cell::Bool(flagged)])?;
            }
            summary.rows += records.len() as u64;
            progress.set(bytes_before + reader.bytes_read());
        }
        bytes_before += reader.bytes_read();
    }
    Ok(summary)
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
    }
}
