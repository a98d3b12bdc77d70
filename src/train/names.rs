//! Naming hashed features: the n-grams of the training texts that fall into the strongest buckets.
//!
//! A bucket is a number; a researcher needs words. After training, the texts are featurised once more and, for
//! the strongest buckets only, the n-grams found in them are counted. The most frequent ones name the bucket
//! (several n-grams can share one bucket, which the list then shows). Names come from the first
//! [`NAMING_TEXTS`] texts: featurising with spans costs about twice what training's own featurising does (11 % of
//! the instructions of a 16k-row fit without cross-validation, by callgrind), a cost that would otherwise grow
//! with the corpus, and a hundred thousand texts are plenty to find a bucket's most frequent n-grams.

use crate::features::{FeatureConfig, Featurizer};
use crate::model::meta::{NamedFeature, TopFeatures};
use crate::model::Entry;
use rayon::prelude::*;
use std::collections::HashMap;

/// Texts read to name buckets.
pub const NAMING_TEXTS: usize = 100_000;

/// N-grams kept per bucket.
const NAMES_PER_BUCKET: usize = 3;

/// The `k` most positive and `k` most negative entries, named from the first [`NAMING_TEXTS`] of `texts`.
pub fn top_features(texts: &[String], config: &FeatureConfig, entries: &[Entry], k: usize) -> TopFeatures {
    let mut by_weight: Vec<&Entry> = entries.iter().filter(|e| e.weight != 0.0).collect();
    by_weight.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.bucket.cmp(&b.bucket)));
    let positive: Vec<&Entry> = by_weight.iter().copied().filter(|e| e.weight > 0.0).take(k).collect();
    let negative: Vec<&Entry> = by_weight.iter().rev().copied().filter(|e| e.weight < 0.0).take(k).collect();

    let mut slot = vec![u32::MAX; config.buckets()];
    for (i, e) in positive.iter().chain(&negative).enumerate() {
        slot[e.bucket as usize] = i as u32;
    }
    let wanted = positive.len() + negative.len();
    let counts = texts[..texts.len().min(NAMING_TEXTS)]
        .par_chunks(4096)
        .map(|chunk| {
            let mut featurizer = Featurizer::new(config);
            let mut found: Vec<HashMap<String, u32>> = vec![HashMap::new(); wanted];
            let mut hits = Vec::new();
            for text in chunk {
                hits.clear();
                featurizer.featurize(text, &mut (), |b, span| {
                    let s = slot[b as usize];
                    if s != u32::MAX {
                        hits.push((s, span));
                    }
                });
                for (s, span) in hits.drain(..) {
                    *found[s as usize].entry(span.display(featurizer.normalized())).or_default() += 1;
                }
            }
            found
        })
        .reduce(
            || vec![HashMap::new(); wanted],
            |mut a, b| {
                for (into, from) in a.iter_mut().zip(b) {
                    for (name, n) in from {
                        *into.entry(name).or_default() += n;
                    }
                }
                a
            },
        );
    let name = |i: usize, e: &Entry| {
        let mut ngrams: Vec<(&String, &u32)> = counts[i].iter().collect();
        ngrams.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        NamedFeature {
            bucket: e.bucket,
            weight: e.weight,
            ngrams: ngrams.into_iter().take(NAMES_PER_BUCKET).map(|(s, _)| s.clone()).collect(),
        }
    };
    TopFeatures {
        positive: positive.iter().enumerate().map(|(i, e)| name(i, e)).collect(),
        negative: negative.iter().enumerate().map(|(i, e)| name(positive.len() + i, e)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::hash::{bucket, hash_word, WORD_SEED};

    fn entry(word: &str, weight: f32, config: &FeatureConfig) -> Entry {
        Entry { bucket: bucket(hash_word(WORD_SEED, word.as_bytes()), config.buckets_log2), idf: 1.0, weight }
    }

    #[test]
    fn buckets_are_named_from_the_first_texts_only() {
        let config = FeatureConfig { char_ngram_min: 0, char_ngram_max: 0, word_ngram_max: 1, ..Default::default() };
        let mut texts = vec!["join now".to_string(); NAMING_TEXTS];
        texts.push("stay home".to_string());
        let mut entries = vec![entry("join", 2.0, &config), entry("home", -1.0, &config)];
        entries.sort_by_key(|e| e.bucket);
        let top = top_features(&texts, &config, &entries, 5);
        assert_eq!(top.positive.len(), 1);
        assert_eq!(top.positive[0].ngrams, vec!["join".to_string()]);
        // "home" is only in text number NAMING_TEXTS + 1: its bucket is listed, but no text named it.
        assert_eq!(top.negative.len(), 1);
        assert!(top.negative[0].ngrams.is_empty(), "{:?}", top.negative[0]);
    }
}
