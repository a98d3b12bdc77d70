//! From text to hashed n-gram occurrences.
//!
//! [`Featurizer`] normalises a text, splits it into tokens (words and, unless disabled, symbols such as
//! punctuation and emoji, which take part in word n-grams but get no character n-grams), and reports every word
//! n-gram and every character
//! n-gram (within a word padded with a boundary mark on each side, like scikit-learn's `char_wb`) as a bucket
//! number with its kind and its byte range in the normalised text. Buffers are reused from one document to the
//! next, so the hot path allocates nothing (stemming aside).

use super::hash::{bigram, bucket, fnv_step, hash_word, CHAR_SEED, WORD_SEED};
use super::FeatureConfig;
use crate::text::stem::{looks_tajik, Stemmers};
use crate::text::{for_each_token, normalize_into, OffsetSink, StemMode, TokenKind};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// What kind of n-gram a feature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeatureKind {
    /// A single word.
    Word,
    /// Two or three consecutive words.
    Phrase,
    /// A character n-gram inside one word.
    Char,
}

/// One occurrence of a feature: its kind and where it is in the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureSpan {
    /// The n-gram's kind.
    pub kind: FeatureKind,
    /// Byte range in the normalised text (for character n-grams, without the boundary marks).
    pub range: Range<usize>,
    /// For character n-grams: the n-gram starts with the word-start mark.
    pub at_start: bool,
    /// For character n-grams: the n-gram ends with the word-end mark.
    pub at_end: bool,
}

impl FeatureSpan {
    /// A readable form of the feature, given the normalised text it was found in: words as they are, character
    /// n-grams with `‹`/`›` where they touch a word boundary and `…` where the word goes on.
    pub fn display(&self, normalized: &str) -> String {
        let body = normalized.get(self.range.clone()).unwrap_or_default();
        match self.kind {
            FeatureKind::Word | FeatureKind::Phrase => body.split_whitespace().collect::<Vec<_>>().join(" "),
            FeatureKind::Char => {
                format!("{}{}{}", if self.at_start { "‹" } else { "…" }, body, if self.at_end { "›" } else { "…" })
            }
        }
    }
}

/// The boundary mark fed to character n-gram hashes (never part of a word).
const BOUNDARY: u8 = b' ';

/// Turns texts into bucket occurrences. One per thread: it owns its buffers.
#[derive(Debug, Clone)]
pub struct Featurizer {
    config: FeatureConfig,
    stemmers: Option<Arc<Stemmers>>,
    normalized: String,
    char_bounds: Vec<u32>,
    padded: Vec<u8>,
}

impl Featurizer {
    /// A featurizer for `config` (which must be valid).
    pub fn new(config: &FeatureConfig) -> Self {
        let stemmers = match config.stem {
            StemMode::None => None,
            StemMode::Auto => Some(Arc::new(Stemmers::default())),
        };
        Featurizer {
            config: config.clone(),
            stemmers,
            normalized: String::new(),
            char_bounds: Vec::new(),
            padded: Vec::with_capacity(64),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &FeatureConfig {
        &self.config
    }

    /// The normalised form of the last text featurised.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Featurises `text`: calls `emit(bucket, span)` for every n-gram occurrence, in text order (word n-grams of
    /// a word and its character n-grams together). `offsets` receives the normalisation offset map.
    #[inline]
    pub fn featurize<S: OffsetSink>(&mut self, text: &str, offsets: &mut S, mut emit: impl FnMut(u32, FeatureSpan)) {
        normalize_into(text, &mut self.normalized, offsets);
        let bits = self.config.buckets_log2;
        let word_max = self.config.word_ngram_max as usize;
        let (char_min, char_max) = (self.config.char_ngram_min as usize, self.config.char_ngram_max as usize);
        let norm = self.normalized.as_str();
        let tajik = self.stemmers.is_some() && looks_tajik(norm);
        let stemmers = self.stemmers.as_deref();
        let bounds = &mut self.char_bounds;
        let padded = &mut self.padded;
        // The last two words: (start, hash), newest last.
        let mut prev: [(usize, u64); 2] = [(0, 0); 2];
        let mut seen = 0usize;
        let symbols = self.config.symbols;
        for_each_token(norm, |range, kind| {
            if kind == TokenKind::Symbol && !symbols {
                return;
            }
            let word = &norm.as_bytes()[range.clone()];
            let h = match stemmers {
                Some(s) => hash_word(WORD_SEED, s.stem(&norm[range.clone()], tajik).as_bytes()),
                None => hash_word(WORD_SEED, word),
            };
            emit(bucket(h, bits), span(FeatureKind::Word, range.clone()));
            if word_max >= 2 && seen >= 1 {
                let (start, h1) = prev[1];
                let h12 = bigram(h1, h);
                emit(bucket(h12, bits), span(FeatureKind::Phrase, start..range.end));
                if word_max >= 3 && seen >= 2 {
                    let (start0, h0) = prev[0];
                    emit(bucket(bigram(bigram(h0, h1), h), bits), span(FeatureKind::Phrase, start0..range.end));
                }
            }
            prev = [prev[1], (range.start, h)];
            seen += 1;
            if char_min > 0 && kind == TokenKind::Word {
                if word.is_ascii() {
                    ascii_char_ngrams(word, range.start, char_min, char_max, bits, padded, &mut emit);
                } else {
                    char_ngrams(&norm[range.clone()], range.start, char_min, char_max, bits, bounds, &mut emit);
                }
            }
        });
    }
}

#[inline(always)]
fn span(kind: FeatureKind, range: Range<usize>) -> FeatureSpan {
    FeatureSpan { kind, range, at_start: false, at_end: false }
}

/// [`char_ngrams`] for an ASCII word, where characters are bytes: the same hashes in the same order, from one
/// padded copy of the word, without per-character bounds.
#[inline]
fn ascii_char_ngrams(
    word: &[u8],
    offset: usize,
    min: usize,
    max: usize,
    bits: u8,
    padded: &mut Vec<u8>,
    emit: &mut impl FnMut(u32, FeatureSpan),
) {
    padded.clear();
    padded.push(BOUNDARY);
    padded.extend_from_slice(word);
    padded.push(BOUNDARY);
    let m = word.len();
    let p = padded.as_slice();
    for s in 0..p.len() {
        let end = (s + max).min(p.len());
        let first = s + min - 1;
        let mut h = CHAR_SEED;
        for &b in p.get(s..first.min(end)).unwrap_or_default() {
            h = fnv_step(h, b);
        }
        for (k, &b) in p.iter().enumerate().take(end).skip(first) {
            h = fnv_step(h, b);
            // A boundary mark on its own is not a feature.
            if k == s && (k == 0 || k == m + 1) {
                continue;
            }
            emit(
                bucket(h, bits),
                FeatureSpan {
                    kind: FeatureKind::Char,
                    range: offset + s.max(1) - 1..offset + k.min(m),
                    at_start: s == 0,
                    at_end: k == m + 1,
                },
            );
        }
    }
}

/// Character n-grams of `word` (at byte `offset` of the normalised text) padded with a boundary mark each side.
#[inline]
fn char_ngrams(
    word: &str,
    offset: usize,
    min: usize,
    max: usize,
    bits: u8,
    bounds: &mut Vec<u32>,
    emit: &mut impl FnMut(u32, FeatureSpan),
) {
    // bounds[k] = byte offset of character k; bounds[m] = word length.
    bounds.clear();
    bounds.extend(word.char_indices().map(|(i, _)| i as u32));
    let m = bounds.len();
    bounds.push(word.len() as u32);
    let bytes = word.as_bytes();
    // Padded positions: 0 = start mark, 1..=m = characters, m + 1 = end mark.
    let padded = m + 2;
    for s in 0..padded {
        let mut h = CHAR_SEED;
        let last = (s + max).min(padded);
        for k in s..last {
            if k == 0 || k == m + 1 {
                h = fnv_step(h, BOUNDARY);
            } else {
                for &b in &bytes[bounds[k - 1] as usize..bounds[k] as usize] {
                    h = fnv_step(h, b);
                }
            }
            let n = k - s + 1;
            // A boundary mark on its own is not a feature.
            if n < min || (n == 1 && (k == 0 || k == m + 1)) {
                continue;
            }
            let first_char = s.max(1) - 1;
            let end_char = k.min(m);
            emit(
                bucket(h, bits),
                FeatureSpan {
                    kind: FeatureKind::Char,
                    range: offset + bounds[first_char] as usize..offset + bounds[end_char] as usize,
                    at_start: s == 0,
                    at_end: k == m + 1,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(config: &FeatureConfig, text: &str) -> (String, Vec<(u32, FeatureSpan)>) {
        let mut f = Featurizer::new(config);
        let mut out = Vec::new();
        f.featurize(text, &mut (), |b, s| out.push((b, s)));
        (f.normalized().to_string(), out)
    }

    #[test]
    fn word_and_phrase_features() {
        let config = FeatureConfig { char_ngram_min: 0, char_ngram_max: 0, ..FeatureConfig::default() };
        let (norm, feats) = collect(&config, "Join the Caravan!");
        let names: Vec<String> = feats.iter().map(|(_, s)| s.display(&norm)).collect();
        assert_eq!(names, ["join", "the", "join the", "caravan", "the caravan", "!", "caravan!"]);
        let kinds: Vec<FeatureKind> = feats.iter().map(|(_, s)| s.kind).collect();
        assert_eq!(kinds[2], FeatureKind::Phrase);
    }

    #[test]
    fn ascii_char_ngrams_equal_the_general_ones() {
        let mut bounds = Vec::new();
        let mut padded = Vec::new();
        for word in ["a", "ab", "join", "brothers", "x_1", "aaaaaaaaaaaa"] {
            for min in 1..=4 {
                for max in min..=8 {
                    let (mut general, mut fast) = (Vec::new(), Vec::new());
                    char_ngrams(word, 7, min, max, 18, &mut bounds, &mut |b, s| general.push((b, s)));
                    ascii_char_ngrams(word.as_bytes(), 7, min, max, 18, &mut padded, &mut |b, s| fast.push((b, s)));
                    assert_eq!(general, fast, "{word} {min}-{max}");
                }
            }
        }
    }

    #[test]
    fn char_ngrams_are_padded_and_bounded() {
        let config =
            FeatureConfig { word_ngram_max: 1, char_ngram_min: 2, char_ngram_max: 3, ..FeatureConfig::default() };
        let (norm, feats) = collect(&config, "Ҳам");
        let names: Vec<String> =
            feats.iter().filter(|(_, s)| s.kind == FeatureKind::Char).map(|(_, s)| s.display(&norm)).collect();
        assert_eq!(names, ["‹ҳ…", "‹ҳа…", "…ҳа…", "…ҳам…", "…ам…", "…ам›", "…м›"]);
        for (_, s) in &feats {
            assert!(norm.is_char_boundary(s.range.start) && norm.is_char_boundary(s.range.end));
        }
    }

    #[test]
    fn same_ngram_same_bucket_across_words() {
        let config = FeatureConfig { word_ngram_max: 1, char_ngram_min: 3, char_ngram_max: 3, ..Default::default() };
        let (norm, feats) = collect(&config, "join joined");
        let find = |name: &str| -> Vec<u32> {
            feats.iter().filter(|(_, s)| s.display(&norm) == name).map(|(b, _)| *b).collect()
        };
        let oin = find("…oin…");
        assert_eq!(oin.len(), 2);
        assert_eq!(oin[0], oin[1]);
        // A word and the identical character n-gram live in different hash namespaces.
        assert_ne!(find("join")[0], find("‹jo…")[0]);
    }

    #[test]
    fn normalisation_applies_before_hashing() {
        let config = FeatureConfig::default();
        let plain: Vec<u32> = collect(&config, "join the brothers").1.into_iter().map(|(b, _)| b).collect();
        let disguised: Vec<u32> =
            collect(&config, "JO\u{200B}IN the ｂｒｏｔｈｅｒｓ").1.into_iter().map(|(b, _)| b).collect();
        assert_eq!(plain, disguised);
    }

    #[test]
    fn trigrams_when_asked() {
        let config = FeatureConfig { word_ngram_max: 3, char_ngram_min: 0, char_ngram_max: 0, ..Default::default() };
        let (norm, feats) = collect(&config, "ab cd ef");
        let names: Vec<String> = feats.iter().map(|(_, s)| s.display(&norm)).collect();
        assert_eq!(names, ["ab", "cd", "ab cd", "ef", "cd ef", "ab cd ef"]);
    }
}
