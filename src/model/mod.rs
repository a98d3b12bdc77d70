//! A trained model: metadata, per-bucket idf and weights, intercept; and the scorer that applies it.

pub mod format;
pub mod meta;

use crate::error::{Error, ModelProblem, Result};
use crate::features::tfidf::tf;
use crate::features::{Featurizer, OccurrenceCounter};
use crate::text::windows::{windows, WindowBuffers};
pub use meta::Metadata;

/// The logistic function: a margin to a probability.
#[inline]
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// One bucket the model knows: its idf and its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// Bucket number.
    pub bucket: u32,
    /// Inverse document frequency (> 0).
    pub idf: f32,
    /// Learned weight.
    pub weight: f32,
}

/// A trained classifier.
#[derive(Debug, Clone)]
pub struct Model {
    meta: Metadata,
    entries: Vec<Entry>,
    bias: f64,
    /// Per bucket: `[idf, idf * weight]`, zero for unknown buckets. Built from `entries`, never stored.
    table: Vec<[f32; 2]>,
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta && self.entries == other.entries && self.bias.to_bits() == other.bias.to_bits()
    }
}

impl Model {
    /// Builds a model, checking that `entries` are sorted, in range and finite.
    pub fn new(meta: Metadata, entries: Vec<Entry>, bias: f64) -> Result<Model> {
        meta.features.validate()?;
        let buckets = meta.features.buckets();
        let bad = |msg: String| Error::model("<in memory>", ModelProblem::Damaged(msg));
        if !bias.is_finite() {
            return Err(bad("intercept is not finite".into()));
        }
        if !(0.0..=1.0).contains(&meta.threshold) {
            return Err(bad(format!("threshold {} is outside [0, 1]", meta.threshold)));
        }
        let mut table = vec![[0f32; 2]; buckets];
        let mut last: Option<u32> = None;
        for e in &entries {
            if e.bucket as usize >= buckets || last.is_some_and(|l| e.bucket <= l) {
                return Err(bad(format!("bucket {} out of order or out of range", e.bucket)));
            }
            if !(e.idf.is_finite() && e.idf > 0.0 && e.weight.is_finite() && (e.idf * e.weight).is_finite()) {
                return Err(bad(format!("bucket {} has a non-finite or non-positive value", e.bucket)));
            }
            table[e.bucket as usize] = [e.idf, e.idf * e.weight];
            last = Some(e.bucket);
        }
        Ok(Model { meta, entries, bias, table })
    }

    /// A model that only scores: the weights of a cross-validation fold, with placeholder metadata.
    pub(crate) fn for_scoring(
        features: &crate::features::FeatureConfig,
        entries: Vec<Entry>,
        bias: f64,
    ) -> Result<Model> {
        use meta::{ClassWeight, DataRecord, FitRecord, LabelRecord, TrainingRecord};
        let meta = Metadata {
            created_by: "propscan (a cross-validation fold)".into(),
            unicode_version: String::new(),
            features: features.clone(),
            training: TrainingRecord {
                alpha: 1.0,
                class_weight: ClassWeight::Balanced,
                max_iter: 0,
                tolerance: meta::Tolerance::Relative(1e-3),
                cv_folds: 0,
                seed: 0,
                threshold_rule: crate::metrics::ThresholdRule::MaxF1,
                warm_start: None,
            },
            labels: LabelRecord::text_label_1_0(),
            threshold: 0.5,
            data: DataRecord { source: String::new(), rows: 0, positives: 0, sha256: String::new() },
            cv: None,
            fit: FitRecord { iterations: 0, termination: String::new(), cost: 0.0, columns: 0, nonzeros: 0 },
            top_features: Default::default(),
        };
        Model::new(meta, entries, bias)
    }

    /// Loads and checks a model file: a truncated, damaged, foreign or newer-format file is refused with an error
    /// that says which.
    ///
    /// ```no_run
    /// let model = propscan::Model::load("models/default.model")?;
    /// println!("threshold {}", model.threshold());
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Model> {
        format::load(path.as_ref())
    }

    /// Parses and checks the bytes of a model file.
    ///
    /// ```
    /// let bytes = propscan::Model::builtin()?.to_bytes()?;
    /// let model = propscan::Model::from_bytes(&bytes)?;
    /// assert_eq!(model, propscan::Model::builtin()?);
    /// assert!(propscan::Model::from_bytes(b"not a model").is_err());
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        format::from_bytes(bytes, "<bytes>")
    }

    /// The model built into propscan (trained on `corpora/`; see `models/README.md`).
    ///
    /// ```
    /// let model = propscan::Model::builtin()?;
    /// assert!(model.score("Brothers, make hijrah and join the ranks") > model.score("hello"));
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn builtin() -> Result<Model> {
        format::default_model()
    }

    /// The model file's bytes: the same model always gives the same bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        format::to_bytes(self)
    }

    /// Writes the model file atomically (a temporary file beside `path`, renamed over it).
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        format::save(self, path.as_ref())
    }

    /// SHA-256 of the model file's bytes, hex: what audit trails and warm starts record.
    pub fn sha256(&self) -> Result<String> {
        Ok(format::sha256_hex(&self.to_bytes()?))
    }

    /// The scores of many texts, in parallel on rayon's thread pool, in order.
    ///
    /// ```
    /// let model = propscan::Model::builtin()?;
    /// let scores = model.score_batch(&["make hijrah and join the caravan", "the weather is mild"]);
    /// assert_eq!(scores.len(), 2);
    /// assert_eq!(scores[0], model.score("make hijrah and join the caravan"));
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn score_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<f32> {
        let refs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        crate::score::score_texts(self, &refs, &Default::default())
    }

    /// True when `text` scores at or above the model's threshold.
    pub fn flags(&self, text: &str) -> bool {
        self.score(text) as f64 >= self.threshold()
    }

    /// The score of `text` and the (at most) `k` features that raised it most, with where they are in the text.
    ///
    /// ```
    /// let model = propscan::Model::builtin()?;
    /// let e = model.explain("Brothers, make HIJRAH and join us", 3);
    /// assert_eq!(e.score, model.score("Brothers, make HIJRAH and join us"));
    /// assert!(e.evidence.len() <= 3);
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn explain(&self, text: &str, k: usize) -> crate::explain::Explanation {
        crate::explain::Explainer::new(self).explain(text, k)
    }

    /// [`Model::explain`] for many texts, in parallel on every core, in order: each thread reuses one
    /// explainer for its block of texts, rather than one per text.
    ///
    /// ```
    /// let model = propscan::Model::builtin()?;
    /// let texts = ["Brothers, make HIJRAH and join us", "the weather is mild"];
    /// let all = model.explain_batch(&texts, 3);
    /// assert_eq!(all[1], model.explain(texts[1], 3));
    /// # Ok::<(), propscan::Error>(())
    /// ```
    pub fn explain_batch<S: AsRef<str> + Sync>(&self, texts: &[S], k: usize) -> Vec<crate::explain::Explanation> {
        let refs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        crate::score::explain_texts(self, &refs, k, &Default::default())
    }

    /// The metadata.
    pub fn meta(&self) -> &Metadata {
        &self.meta
    }

    /// The known buckets, in increasing order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The intercept.
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// `(idf, idf × weight)` of a bucket, or `None` for a bucket the model does not know.
    #[inline]
    pub fn bucket(&self, bucket: u32) -> Option<(f32, f32)> {
        match self.table.get(bucket as usize) {
            Some(&[idf, idf_w]) if idf > 0.0 => Some((idf, idf_w)),
            _ => None,
        }
    }

    /// The model's own decision threshold.
    pub fn threshold(&self) -> f64 {
        self.meta.threshold
    }

    /// A scorer with its own buffers (one per thread).
    pub fn scorer(&self) -> Scorer<'_> {
        Scorer {
            model: self,
            featurizer: Featurizer::new(&self.meta.features),
            counter: OccurrenceCounter::new(self.meta.features.buckets()),
            tf: TfTable::new(self.meta.features.sublinear_tf),
            windows: WindowBuffers::default(),
        }
    }

    /// Scores one text (convenience; use a [`Scorer`] for many).
    pub fn score(&self, text: &str) -> f32 {
        self.scorer().score(text)
    }
}

/// Applies a model to texts, reusing its buffers from one text to the next.
#[derive(Debug, Clone)]
pub struct Scorer<'m> {
    model: &'m Model,
    featurizer: Featurizer,
    counter: OccurrenceCounter,
    tf: TfTable,
    windows: WindowBuffers,
}

/// Asks the processor to bring `entry` into cache (no effect on other architectures).
#[inline(always)]
fn prefetch<T>(entry: Option<&T>) {
    #[cfg(target_arch = "x86_64")]
    if let Some(e) = entry {
        // SAFETY: a prefetch is a hint that reads nothing and cannot fault; SSE is part of every x86_64 target.
        unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((e as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = entry;
}

/// Term frequency weights of small counts, looked up instead of computed; entry 0 is 0.
#[derive(Debug, Clone)]
struct TfTable {
    small: [f32; 64],
    sublinear: bool,
}

impl TfTable {
    fn new(sublinear: bool) -> Self {
        let mut small = [0f32; 64];
        for (c, t) in small.iter_mut().enumerate().skip(1) {
            *t = tf(c as f32, sublinear);
        }
        TfTable { small, sublinear }
    }

    /// Exactly `tf(count)`, and 0 for a count of 0.
    #[inline(always)]
    fn get(&self, count: u32) -> f32 {
        match self.small.get(count as usize) {
            Some(&t) => t,
            None => tf(count as f32, self.sublinear),
        }
    }
}

impl Scorer<'_> {
    /// The probability, in [0, 1], that `text` belongs to the positive class.
    ///
    /// A text longer than the model's `window_words` scores the highest of its own score and those of its windows
    /// (sentences and pairs of sentences, see `crate::text::windows`), so that padding cannot hide a call. A
    /// text (or window) with no feature the model knows (empty, white space, only punctuation, emoji or links)
    /// scores 0: there is nothing to score, and the intercept alone is not evidence.
    pub fn score(&mut self, text: &str) -> f32 {
        let best = self.score_whole(text);
        windows(text, self.model.meta.features.window_words, &mut self.windows);
        if self.windows.windows.is_empty() {
            return best;
        }
        let found = std::mem::take(&mut self.windows.windows);
        let best = found.iter().fold(best, |best, w| best.max(self.score_whole(&text[w.clone()])));
        self.windows.windows = found;
        best
    }

    /// The score of `text` as one bag of features, without windows.
    pub fn score_whole(&mut self, text: &str) -> f32 {
        let table = &self.model.table;
        let counter = &mut self.counter;
        // Every occurrence is counted, known bucket or not; unknown buckets hold zeros in the table, so they add
        // exactly nothing below, and the hot loop saves a table look-up per occurrence. Repeats come with a count
        // of 0 and add exactly nothing too (x + 0.0 == x), so the sums are those of the unique buckets in order of
        // first occurrence.
        self.featurizer.buckets(text, counter.occurrences());
        let tf = &self.tf;
        let (mut dot, mut norm2) = (0f64, 0f64);
        counter.drain_touching(
            |b| prefetch(table.get(b as usize)),
            |b, c| {
                let t = tf.get(c) as f64;
                let [idf, idf_w] = table[b as usize];
                let v = t * idf as f64;
                norm2 += v * v;
                dot += t * idf_w as f64;
            },
        );
        if norm2 > 0.0 {
            sigmoid(self.model.bias + dot / norm2.sqrt()) as f32
        } else {
            0.0
        }
    }
}
