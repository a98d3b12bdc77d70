//! Features: hashed word and character n-grams, TF-IDF weighting and L2 normalisation.
//!
//! A document becomes a sparse row in three steps: `extract` hashes its n-grams into buckets and counts them,
//! `tfidf` weights the counts (sublinear tf times an idf learned at training time) and normalises the row,
//! and `sparse` stores many rows compactly for training.

mod cache;
pub(crate) mod counts;
pub(crate) mod extract;
pub(crate) mod hash;
pub(crate) mod sparse;
pub(crate) mod tfidf;

use crate::error::{Error, Result};
use crate::text::StemMode;
use serde::{Deserialize, Serialize};

pub(crate) use counts::{count_rows, OccurrenceCounter};
pub use extract::{FeatureKind, FeatureSpan, Featurizer};
pub(crate) use sparse::SparseRows;
pub(crate) use tfidf::Idf;

/// How text becomes features. Stored in every model, so scoring featurises exactly as training did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureConfig {
    /// Number of hash buckets is `2^buckets_log2`.
    pub buckets_log2: u8,
    /// Largest word n-gram (1 = unigrams only, 2 = unigrams and bigrams).
    pub word_ngram_max: u8,
    /// Smallest character n-gram, counted within words padded with a boundary mark; 0 disables them.
    pub char_ngram_min: u8,
    /// Largest character n-gram.
    pub char_ngram_max: u8,
    /// Punctuation and emoji tokens take part in word n-grams. Off by default since format version 2: a full stop
    /// or a quote mark says how a text was typed, not what it asks of the reader.
    pub symbols: bool,
    /// Links, @mentions, retweet prefixes and HTML entities are handled as social-media markup
    /// (`crate::text::social`). Absent (false) in models of format version 1.
    #[serde(default)]
    pub social: bool,
    /// Texts longer than this many words are also scored window by window, and the highest score counts
    /// (`crate::text::windows`); 0 scores every text whole. Absent (0) in models of format version 1.
    #[serde(default)]
    pub window_words: u32,
    /// Function words (`crate::text::stopwords`) get no word feature and no character n-grams, and two of
    /// them together make no phrase. Absent (false) in models of format version 1.
    #[serde(default)]
    pub stopwords: bool,
    /// Stemming of words before word n-grams are hashed.
    pub stem: StemMode,
    /// Use `1 + ln(count)` instead of the raw count.
    pub sublinear_tf: bool,
    /// Buckets seen in fewer training documents than this are dropped.
    pub min_df: u32,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            buckets_log2: 18,
            word_ngram_max: 2,
            char_ngram_min: 2,
            char_ngram_max: 5,
            symbols: false,
            social: true,
            window_words: 40,
            stopwords: true,
            stem: StemMode::None,
            sublinear_tf: true,
            min_df: 2,
        }
    }
}

impl FeatureConfig {
    /// Checks ranges, so that a model file or command line cannot ask for something absurd.
    pub fn validate(&self) -> Result<()> {
        if !(10..=24).contains(&self.buckets_log2) {
            return Err(Error::option(
                "buckets_log2",
                format!(
                    "`buckets_log2` must be between 10 and 24 (got {}); 18 is the measured default",
                    self.buckets_log2
                ),
            ));
        }
        if !(1..=3).contains(&self.word_ngram_max) {
            return Err(Error::option(
                "word_ngram_max",
                format!("`word_ngram_max` (word n-grams) goes up to 1, 2 or 3 (got {})", self.word_ngram_max),
            ));
        }
        let chars_off = self.char_ngram_min == 0 && self.char_ngram_max == 0;
        if !chars_off && !(1..=self.char_ngram_max).contains(&self.char_ngram_min) || self.char_ngram_max > 8 {
            return Err(Error::option(
                "char_ngrams",
                format!(
                    "`char_ngrams` (character n-grams) need 1 <= min <= max <= 8, or 0-0 to disable them (got {}-{})",
                    self.char_ngram_min, self.char_ngram_max
                ),
            ));
        }
        if self.window_words != 0 && !(8..=10_000).contains(&self.window_words) {
            return Err(Error::option(
                "window_words",
                format!("`window_words` must be 0 (off) or between 8 and 10000 (got {})", self.window_words),
            ));
        }
        if self.min_df == 0 {
            return Err(Error::option("min_df", "`min_df` must be at least 1"));
        }
        Ok(())
    }

    /// Number of hash buckets.
    pub fn buckets(&self) -> usize {
        1usize << self.buckets_log2
    }
}
