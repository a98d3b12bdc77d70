//! From text to hashed n-gram occurrences.
//!
//! [`Featurizer`] normalises a text, splits it into tokens (words and, unless disabled, symbols such as
//! punctuation and emoji, which take part in word n-grams but get no character n-grams), and reports every word
//! n-gram and every character
//! n-gram (within a word padded with a boundary mark on each side, like scikit-learn's `char_wb`) as a bucket
//! number with its kind and its byte range in the normalised text. Buffers are reused from one document to the
//! next, so the hot path allocates nothing (stemming aside).

use super::cache::WordCache;
use super::hash::{bigram, bucket, fnv_step, hash_word, CHAR_SEED, WORD_SEED};
use super::FeatureConfig;
use crate::text::social::{needs_social, social};
use crate::text::stem::{looks_tajik, Stemmers};
use crate::text::stopwords::is_stopword_hash;
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

/// Scratch entries kept between texts; a longer text's buffers shrink back to this after it.
pub(crate) const SCRATCH_KEEP: usize = 1 << 16;

/// The boundary mark fed to character n-gram hashes (never part of a word).
const BOUNDARY: u8 = b' ';

/// Turns texts into bucket occurrences. One per thread: it owns its buffers.
#[derive(Debug, Clone)]
pub struct Featurizer {
    config: FeatureConfig,
    stemmers: Option<Arc<Stemmers>>,
    normalized: String,
    /// The text before the social-media pass, when it runs.
    before_social: String,
    chars: CharNgrams,
    /// Character n-gram buckets of recent words, for [`Featurizer::buckets`].
    cache: WordCache,
}

/// Receives what one pass over a text finds, in text order.
trait Visit {
    /// A word (`Word`) or a run of two or three words (`Phrase`), hashed, at `range` of the normalised text.
    fn ngram(&mut self, h: u64, kind: FeatureKind, range: Range<usize>);
    /// The word at `range` of the normalised text `norm`, whose character n-grams are due; `key` is a hash of
    /// its bytes.
    fn word(&mut self, norm: &str, range: Range<usize>, key: u64, chars: &mut CharNgrams);
}

impl Featurizer {
    /// A featurizer for `config`.
    ///
    /// # Panics
    ///
    /// When `config` fails [`FeatureConfig::validate`] (a model's and [`crate::TrainOptions`]' configs have
    /// passed it).
    pub fn new(config: &FeatureConfig) -> Self {
        if let Err(e) = config.validate() {
            panic!("Featurizer::new: {e}");
        }
        let stemmers = match config.stem {
            StemMode::None => None,
            StemMode::Auto => Some(Arc::new(Stemmers::default())),
        };
        let chars = CharNgrams {
            min: config.char_ngram_min as usize,
            max: config.char_ngram_max as usize,
            padded: Vec::with_capacity(64),
            bounds: Vec::with_capacity(64),
            hashes: Vec::with_capacity(256),
        };
        Featurizer {
            config: config.clone(),
            stemmers,
            normalized: String::new(),
            before_social: String::new(),
            chars,
            cache: WordCache::default(),
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
    pub fn featurize<S: OffsetSink>(&mut self, text: &str, offsets: &mut S, emit: impl FnMut(u32, FeatureSpan)) {
        struct Spans<F> {
            bits: u8,
            emit: F,
        }
        impl<F: FnMut(u32, FeatureSpan)> Visit for Spans<F> {
            fn ngram(&mut self, h: u64, kind: FeatureKind, range: Range<usize>) {
                (self.emit)(bucket(h, self.bits), FeatureSpan { kind, range, at_start: false, at_end: false });
            }
            fn word(&mut self, norm: &str, range: Range<usize>, _: u64, chars: &mut CharNgrams) {
                let bits = self.bits;
                chars.spans(&norm[range.clone()], range.start, |h, span| (self.emit)(bucket(h, bits), span));
            }
        }
        self.prepare(text, offsets);
        let bits = self.config.buckets_log2;
        self.visit(&mut Spans { bits, emit });
    }

    /// The bucket of every n-gram occurrence of `text`, in the order [`Featurizer::featurize`] reports them,
    /// appended to `out`: the fast path for scoring and training, which need no spans.
    ///
    /// Character n-grams of words up to 32 bytes come from a cache of recent words when they can
    /// (see `features/cache.rs`): the buckets are the same either way.
    pub fn buckets(&mut self, text: &str, out: &mut Vec<u32>) {
        struct Buckets<'a> {
            out: &'a mut Vec<u32>,
            bits: u8,
            cache: &'a mut WordCache,
        }
        impl Visit for Buckets<'_> {
            #[inline(always)]
            fn ngram(&mut self, h: u64, _: FeatureKind, _: Range<usize>) {
                self.out.push(bucket(h, self.bits));
            }
            #[inline(always)]
            fn word(&mut self, norm: &str, range: Range<usize>, key: u64, chars: &mut CharNgrams) {
                let word = &norm.as_bytes()[range.clone()];
                if let Some(cached) = self.cache.get(key, word) {
                    self.out.extend_from_slice(cached);
                    return;
                }
                let mut hashes = std::mem::take(&mut chars.hashes);
                hashes.clear();
                chars.hashes(&norm[range], &mut hashes);
                let start = self.out.len();
                let bits = self.bits;
                self.out.extend(hashes.iter().map(|&h| bucket(h, bits)));
                // Give back what one unusually long word needed.
                hashes.shrink_to(SCRATCH_KEEP);
                chars.hashes = hashes;
                self.cache.insert(key, word, &self.out[start..]);
            }
        }
        self.prepare(text, &mut ());
        let mut cache = std::mem::take(&mut self.cache);
        let bits = self.config.buckets_log2;
        self.visit(&mut Buckets { out, bits, cache: &mut cache });
        self.cache = cache;
    }

    /// Normalises `text` into `self.normalized`, then, for models that ask for it, handles social-media markup
    /// (links, mentions, entities); `offsets` maps the result back to `text`.
    fn prepare<S: OffsetSink>(&mut self, text: &str, offsets: &mut S) {
        normalize_into(text, &mut self.normalized, offsets);
        if self.config.social && needs_social(&self.normalized) {
            std::mem::swap(&mut self.normalized, &mut self.before_social);
            self.normalized.clear();
            let via = std::mem::take(offsets);
            social(&self.before_social, &mut self.normalized, |len, range| offsets.push_via(len, &via, range));
        }
    }

    /// One pass over the normalised text: word n-grams of each token, then its character n-grams.
    #[inline(always)]
    fn visit(&mut self, visit: &mut impl Visit) {
        let word_max = self.config.word_ngram_max as usize;
        let norm = self.normalized.as_str();
        let tajik = self.stemmers.is_some() && looks_tajik(norm);
        let stemmers = self.stemmers.as_deref();
        let chars = &mut self.chars;
        // The last two words: (start, hash, function word), newest last.
        let mut prev: [(usize, u64, bool); 2] = [(0, 0, false); 2];
        let mut seen = 0usize;
        let symbols = self.config.symbols;
        let stopwords = self.config.stopwords;
        for_each_token(norm, |range, kind| {
            if kind == TokenKind::Symbol && !symbols {
                return;
            }
            let key = hash_word(WORD_SEED, &norm.as_bytes()[range.clone()]);
            let stop = stopwords && kind == TokenKind::Word && is_stopword_hash(key);
            let h = match stemmers {
                Some(s) => hash_word(WORD_SEED, s.stem(&norm[range.clone()], tajik).as_bytes()),
                None => key,
            };
            if !stop {
                visit.ngram(h, FeatureKind::Word, range.clone());
            }
            if word_max >= 2 && seen >= 1 {
                let (start, h1, stop1) = prev[1];
                if !(stop && stop1) {
                    visit.ngram(bigram(h1, h), FeatureKind::Phrase, start..range.end);
                }
                if word_max >= 3 && seen >= 2 {
                    let (start0, h0, stop0) = prev[0];
                    if !(stop && stop1 && stop0) {
                        visit.ngram(bigram(bigram(h0, h1), h), FeatureKind::Phrase, start0..range.end);
                    }
                }
            }
            prev = [prev[1], (range.start, h, stop)];
            seen += 1;
            if chars.min > 0 && kind == TokenKind::Word && !stop {
                visit.word(norm, range, key, chars);
            }
        });
    }
}

/// Character n-grams within a word padded with a boundary mark on each side, and the buffers to make them.
///
/// The n-grams run over padded positions (0 = start mark, 1..=m = the word's m characters, m + 1 = end mark):
/// for each start, every length from `min` to `max` that fits, shortest first; a boundary mark on its own is
/// not a feature. The hash is FNV-1a over the n-gram's bytes, the mark being one space.
#[derive(Debug, Clone)]
struct CharNgrams {
    min: usize,
    max: usize,
    /// The word with a boundary mark each side.
    padded: Vec<u8>,
    /// Byte offset in `padded` of each padded position, and of the end.
    bounds: Vec<u32>,
    /// Scratch for hashes.
    hashes: Vec<u64>,
}

impl CharNgrams {
    /// Appends the hash of every character n-gram of `word` to `out`, in order.
    #[inline(always)]
    fn hashes(&mut self, word: &str, out: &mut Vec<u64>) {
        self.padded.clear();
        self.padded.push(BOUNDARY);
        self.padded.extend_from_slice(word.as_bytes());
        self.padded.push(BOUNDARY);
        let (min, max, p) = (self.min, self.max, self.padded.as_slice());
        if word.is_ascii() {
            // Characters are bytes: positions are offsets.
            let len = p.len();
            out.reserve(len * (max - min + 1));
            for s in 0..len {
                let first = s + min - 1;
                let end = (s + max).min(len);
                if first >= end {
                    break;
                }
                let mut h = CHAR_SEED;
                for &b in &p[s..first] {
                    h = fnv_step(h, b);
                }
                let lone_mark = min == 1 && (s == 0 || s == len - 1);
                for (j, &b) in p[first..end].iter().enumerate() {
                    h = fnv_step(h, b);
                    if !(lone_mark && j == 0) {
                        out.push(h);
                    }
                }
            }
            return;
        }
        self.bounds.clear();
        self.bounds.push(0);
        self.bounds.extend(word.char_indices().map(|(i, _)| i as u32 + 1));
        self.bounds.push(word.len() as u32 + 1);
        self.bounds.push(word.len() as u32 + 2);
        let (b, positions) = (&self.bounds, self.bounds.len() - 1);
        for s in 0..positions {
            let mut h = CHAR_SEED;
            for k in s..(s + max).min(positions) {
                for &byte in &p[b[k] as usize..b[k + 1] as usize] {
                    h = fnv_step(h, byte);
                }
                let n = k - s + 1;
                if n >= min && !(n == 1 && (k == 0 || k == positions - 1)) {
                    out.push(h);
                }
            }
        }
    }

    /// Calls `emit(hash, span)` for every character n-gram of `word` (at byte `offset` of the normalised text).
    fn spans(&mut self, word: &str, offset: usize, mut emit: impl FnMut(u64, FeatureSpan)) {
        let mut hashes = std::mem::take(&mut self.hashes);
        hashes.clear();
        self.hashes(word, &mut hashes);
        // Byte offset of each character of the word, and of its end.
        let starts: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
        let m = starts.len() - 1;
        let mut next = hashes.iter();
        for s in 0..m + 2 {
            for k in s..(s + self.max).min(m + 2) {
                let n = k - s + 1;
                if n < self.min || (n == 1 && (k == 0 || k == m + 1)) {
                    continue;
                }
                let Some(&h) = next.next() else {
                    debug_assert!(false, "fewer hashes than n-gram positions in {word:?}");
                    break;
                };
                let span = FeatureSpan {
                    kind: FeatureKind::Char,
                    range: offset + starts[s.max(1) - 1]..offset + starts[k.min(m)],
                    at_start: s == 0,
                    at_end: k == m + 1,
                };
                emit(h, span);
            }
        }
        debug_assert!(next.next().is_none(), "more hashes than n-gram positions in {word:?}");
        self.hashes = hashes;
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

    /// Words only, with symbols and function words as features (the format-1 behaviour).
    fn every_token() -> FeatureConfig {
        FeatureConfig { symbols: true, stopwords: false, ..FeatureConfig::default() }
    }

    #[test]
    fn word_and_phrase_features() {
        let config = FeatureConfig { char_ngram_min: 0, char_ngram_max: 0, ..every_token() };
        let (norm, feats) = collect(&config, "Join the Caravan!");
        let names: Vec<String> = feats.iter().map(|(_, s)| s.display(&norm)).collect();
        assert_eq!(names, ["join", "the", "join the", "caravan", "the caravan", "!", "caravan!"]);
        let kinds: Vec<FeatureKind> = feats.iter().map(|(_, s)| s.kind).collect();
        assert_eq!(kinds[2], FeatureKind::Phrase);
    }

    /// By default a symbol is no feature, a function word is no word, and two function words make no phrase; a
    /// function word next to a content word still makes one.
    #[test]
    fn symbols_and_function_words_by_default() {
        let config = FeatureConfig { char_ngram_min: 0, char_ngram_max: 0, ..FeatureConfig::default() };
        let (norm, feats) = collect(&config, "«Will you join the caravan?!» 🔥 ...");
        let names: Vec<String> = feats.iter().map(|(_, s)| s.display(&norm)).collect();
        assert_eq!(names, ["join", "you join", "join the", "caravan", "the caravan"]);
        let config = FeatureConfig { char_ngram_min: 2, char_ngram_max: 3, ..FeatureConfig::default() };
        let (norm, feats) = collect(&config, "онҳо ва ту");
        assert!(feats.is_empty(), "{:?}", feats.iter().map(|(_, s)| s.display(&norm)).collect::<Vec<_>>());
        let (_, only_marks) = collect(&FeatureConfig::default(), ". «» \" !!! 🔥🔥 ...");
        assert!(only_marks.is_empty());
    }

    /// Links, mentions and retweet prefixes are no features, and evidence for the words around them still points
    /// at the original text.
    #[test]
    fn social_markup_is_no_feature() {
        let config = FeatureConfig { char_ngram_min: 0, char_ngram_max: 0, ..FeatureConfig::default() };
        let text = "RT @Abu_X: Make HIJRAH https://t.co/5veo &amp; @someone";
        let mut f = Featurizer::new(&config);
        let mut map = crate::text::OffsetMap::default();
        let mut spans = Vec::new();
        f.featurize(text, &mut map, |_, s| spans.push(s));
        let found: Vec<(String, &str)> = spans
            .iter()
            .map(|s| (s.display(f.normalized()), &text[map.original(s.range.clone()).expect("mapped")]))
            .collect();
        assert_eq!(
            found,
            [("make".into(), "Make"), ("hijrah".into(), "HIJRAH"), ("make hijrah".into(), "Make HIJRAH")]
        );
    }

    /// The plain definition of character n-grams: every start, every length, hashing each character's bytes.
    fn reference_char_ngrams(word: &str, offset: usize, min: usize, max: usize) -> Vec<(u32, FeatureSpan)> {
        let mut bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        let m = bounds.len();
        bounds.push(word.len());
        let mut out = Vec::new();
        for s in 0..m + 2 {
            let mut h = CHAR_SEED;
            for k in s..(s + max).min(m + 2) {
                if k == 0 || k == m + 1 {
                    h = fnv_step(h, BOUNDARY);
                } else {
                    word.as_bytes()[bounds[k - 1]..bounds[k]].iter().for_each(|&b| h = fnv_step(h, b));
                }
                let n = k - s + 1;
                if n < min || (n == 1 && (k == 0 || k == m + 1)) {
                    continue;
                }
                let range = offset + bounds[s.max(1) - 1]..offset + bounds[k.min(m)];
                out.push((
                    bucket(h, 18),
                    FeatureSpan { kind: FeatureKind::Char, range, at_start: s == 0, at_end: k == m + 1 },
                ));
            }
        }
        out
    }

    #[test]
    fn char_ngrams_follow_the_plain_definition() {
        for word in ["a", "ab", "join", "brothers", "x_1", "ҳамроҳ", "الإخوة", "naïve", "über"] {
            for min in 1..=4 {
                for max in min..=8 {
                    let config = FeatureConfig {
                        word_ngram_max: 1,
                        char_ngram_min: min as u8,
                        char_ngram_max: max as u8,
                        ..every_token()
                    };
                    let text = format!("w {word}");
                    let (_, feats) = collect(&config, &text);
                    let ours: Vec<(u32, FeatureSpan)> =
                        feats.into_iter().filter(|(_, s)| s.kind == FeatureKind::Char && s.range.start >= 2).collect();
                    let expected = reference_char_ngrams(&crate::text::normalize(word), 2, min, max);
                    assert_eq!(ours, expected, "{word} {min}-{max}");
                }
            }
        }
    }

    /// The fast path gives the same buckets in the same order as `featurize`, for every configuration.
    #[test]
    fn buckets_equal_featurize() {
        let texts = [
            "Join the caravan!! Don't wait, brothers.",
            "a b c",
            "вступай в ряды братьев",
            "ба сафи бародарон ҳамроҳ шавед",
            "انضم إلى الإخوة، الآن",
            "e.g. 3.14 1,000 a:b __ _x U.S. 🔥🔥 «go» naïve café",
            "",
            "x",
        ];
        for min in 0..=4u8 {
            for max in min.max(1)..=8 {
                for word_max in 1..=3 {
                    let (min, max) = if min == 0 { (0, 0) } else { (min, max) };
                    let config = FeatureConfig {
                        char_ngram_min: min,
                        char_ngram_max: max,
                        word_ngram_max: word_max,
                        ..Default::default()
                    };
                    let mut f = Featurizer::new(&config);
                    // Twice: the second round finds every word in the cache.
                    for text in texts.iter().chain(&texts) {
                        let mut slow = Vec::new();
                        f.featurize(text, &mut (), |b, _| slow.push(b));
                        let mut fast = Vec::new();
                        f.buckets(text, &mut fast);
                        assert_eq!(slow, fast, "{text:?} {min}-{max} words {word_max}");
                    }
                }
            }
        }
    }

    /// With a cache small enough to be taken over and emptied all the time, buckets are still those of the
    /// plain path.
    #[test]
    fn a_small_word_cache_changes_nothing() {
        let config = FeatureConfig::default();
        let mut f = Featurizer::new(&config);
        f.cache = WordCache::with_sizes(3, 200);
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let syllables = ["jo", "in", "бра", "ть", "ба", "ро", "ال", "خ", "é", "ҳа", "x"];
        for _ in 0..500 {
            let words: Vec<String> = (0..next() % 12)
                .map(|_| (0..1 + next() % 4).map(|_| syllables[(next() % syllables.len() as u64) as usize]).collect())
                .collect();
            let text = words.join(" ");
            let mut slow = Vec::new();
            f.featurize(&text, &mut (), |b, _| slow.push(b));
            let mut fast = Vec::new();
            f.buckets(&text, &mut fast);
            assert_eq!(slow, fast, "{text:?}");
        }
    }

    #[test]
    fn char_ngrams_are_padded_and_bounded() {
        let config = FeatureConfig { word_ngram_max: 1, char_ngram_min: 2, char_ngram_max: 3, ..every_token() };
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
        let config = FeatureConfig { word_ngram_max: 1, char_ngram_min: 3, char_ngram_max: 4, ..every_token() };
        let (norm, feats) = collect(&config, "join joined");
        let find = |name: &str| -> Vec<u32> {
            feats.iter().filter(|(_, s)| s.display(&norm) == name).map(|(b, _)| *b).collect()
        };
        let oin = find("…oin…");
        assert_eq!(oin.len(), 2, "in both words");
        assert_eq!(oin[0], oin[1], "the same n-gram in two words, the same bucket");
        let char_join = find("…join…");
        let word_join = find("join");
        assert_eq!((char_join.len(), word_join.len()), (2, 1));
        // The same letters as a word and as a character n-gram live in different hash spaces.
        assert_ne!(char_join[0], word_join[0]);
    }

    #[test]
    fn extraction_gives_the_pinned_character_buckets() {
        let config = FeatureConfig { word_ngram_max: 1, char_ngram_min: 2, char_ngram_max: 4, ..every_token() };
        let (norm, feats) = collect(&config, "join");
        let bucket_of = |name: &str| feats.iter().find(|(_, s)| s.display(&norm) == name).map(|(b, _)| *b);
        assert_eq!(bucket_of("‹jo…"), Some(2_096));
        assert_eq!(bucket_of("…oin›"), Some(11_891));
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
