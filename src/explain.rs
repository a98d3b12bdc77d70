//! Evidence for a score: the features that pushed it up most, with their share of the decision and where they
//! occur in the original text, as Unicode code-point offsets (`text[start:end]` in Python gives the surface).

use crate::features::tfidf::tf;
use crate::features::{FeatureKind, FeatureSpan, Featurizer};
use crate::model::{sigmoid, Model, Scorer};
use crate::text::windows::{windows, WindowBuffers};
use crate::text::OffsetMap;
use serde::{Deserialize, Serialize};

/// Where a feature occurs in the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First code point (inclusive).
    pub start: usize,
    /// Last code point (exclusive).
    pub end: usize,
    /// The original text there.
    pub text: String,
}

/// One feature's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The feature as found in the (normalised) text: a word, a phrase, or a character n-gram with `‹ › …`.
    pub feature: String,
    /// Word, phrase or character n-gram.
    pub kind: FeatureKind,
    /// What it added to the log-odds of the score.
    pub contribution: f64,
    /// Every place it occurs, in text order.
    pub spans: Vec<Span>,
}

/// A score with its strongest evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The score, exactly as [`crate::model::Scorer`] computes it.
    pub score: f32,
    /// The features that raised the score most, strongest first (only those that raised it).
    pub evidence: Vec<Evidence>,
    /// For a long text whose score came from one of its windows (see `crate::text::windows`): where that
    /// window is. The evidence lies inside it. Absent when the whole text decided the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Span>,
}

/// Explains scores; holds buffers, one per thread.
#[derive(Debug, Clone)]
pub struct Explainer<'m> {
    model: &'m Model,
    featurizer: Featurizer,
    offsets: OffsetMap,
    found: Vec<(u32, FeatureSpan)>,
    char_starts: Vec<usize>,
    /// Finds the window that decided a long text's score.
    scorer: Scorer<'m>,
    windows: WindowBuffers,
}

impl<'m> Explainer<'m> {
    /// An explainer for `model`.
    pub fn new(model: &'m Model) -> Self {
        Explainer {
            model,
            featurizer: Featurizer::new(&model.meta().features),
            offsets: OffsetMap::default(),
            found: Vec::new(),
            char_starts: Vec::new(),
            scorer: model.scorer(),
            windows: WindowBuffers::default(),
        }
    }

    /// The score of `text` and the (at most) `k` features that raised it most. The score is exactly the
    /// scorer's; for a long text decided by one of its windows, the evidence comes from that window and
    /// [`Explanation::window`] says where it is.
    pub fn explain(&mut self, text: &str, k: usize) -> Explanation {
        windows(text, self.model.meta().features.window_words, &mut self.windows);
        let mut best: Option<(f32, std::ops::Range<usize>)> = None;
        let whole = self.scorer.score_whole(text);
        for w in &self.windows.windows {
            let s = self.scorer.score_whole(&text[w.clone()]);
            if s > whole && !best.as_ref().is_some_and(|(b, _)| s <= *b) {
                best = Some((s, w.clone()));
            }
        }
        let Some((_, range)) = best else {
            return self.explain_whole(text, k);
        };
        let mut e = self.explain_whole(&text[range.clone()], k);
        let shift = text[..range.start].chars().count();
        for ev in &mut e.evidence {
            for span in &mut ev.spans {
                span.start += shift;
                span.end += shift;
            }
        }
        let window = &text[range];
        e.window = Some(Span { start: shift, end: shift + window.chars().count(), text: window.to_string() });
        e
    }

    /// [`Explainer::explain`] over the whole text, without windows.
    fn explain_whole(&mut self, text: &str, k: usize) -> Explanation {
        let model = self.model;
        let found = &mut self.found;
        found.clear();
        self.featurizer.featurize(text, &mut self.offsets, |b, span| {
            if model.bucket(b).is_some() {
                found.push((b, span));
            }
        });
        // Occurrences grouped by bucket, buckets in order of first occurrence (as the scorer counts them).
        let mut order: Vec<u32> = Vec::new();
        let mut count: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for &(b, _) in found.iter() {
            let c = count.entry(b).or_insert(0);
            if *c == 0 {
                order.push(b);
            }
            *c += 1;
        }
        let sublinear = model.meta().features.sublinear_tf;
        let (mut dot, mut norm2) = (0f64, 0f64);
        let mut raw: Vec<(u32, f64)> = Vec::with_capacity(order.len());
        for &b in &order {
            let t = tf(count[&b] as f32, sublinear) as f64;
            let (idf, idf_w) = model.bucket(b).unwrap_or((0.0, 0.0));
            let v = t * idf as f64;
            norm2 += v * v;
            dot += t * idf_w as f64;
            raw.push((b, t * idf_w as f64));
        }
        let norm = norm2.sqrt();
        // Nothing known to score: 0, as the scorer says.
        let score = if norm2 > 0.0 { sigmoid(model.bias() + dot / norm) as f32 } else { 0.0 };

        let mut up: Vec<(u32, f64)> = raw.into_iter().filter(|&(_, c)| c > 0.0).map(|(b, c)| (b, c / norm)).collect();
        up.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        up.truncate(k);

        self.char_starts.clear();
        self.char_starts.extend(text.char_indices().map(|(i, _)| i));
        let normalized = self.featurizer.normalized();
        let evidence = up
            .into_iter()
            .map(|(b, contribution)| {
                let mut names: Vec<String> = Vec::new();
                let mut kind = FeatureKind::Word;
                let mut spans: Vec<Span> = Vec::new();
                for (_, span) in found.iter().filter(|(x, _)| *x == b) {
                    let name = span.display(normalized);
                    if names.is_empty() {
                        kind = span.kind;
                    }
                    if !names.contains(&name) {
                        names.push(name);
                    }
                    if let Some(r) = self.offsets.original(span.range.clone()) {
                        let start = self.char_starts.partition_point(|&i| i < r.start);
                        let end = self.char_starts.partition_point(|&i| i < r.end);
                        if !spans.iter().any(|s| s.start == start && s.end == end) {
                            spans.push(Span { start, end, text: text[r].to_string() });
                        }
                    }
                }
                spans.sort_by_key(|s| (s.start, s.end));
                Evidence { feature: names.join(" | "), kind, contribution, spans }
            })
            .collect();
        Explanation { score, evidence, window: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::default_model;

    #[test]
    fn scores_match_the_scorer_and_spans_point_into_the_text() {
        let model = default_model().expect("model");
        let mut explainer = Explainer::new(&model);
        let mut scorer = model.scorer();
        let texts = [
            "Make HIJRAH and join the ranks of the brothers, akhi!",
            "Вступай в ряды братьев, не жди приказа 🏴",
            "Бародарон, ҳиҷрат кунед ва ҳамроҳ шавед",
            "هاجِرْ إلى أرض الخلافة وانضمّ إلى الإخوة",
            "e\u{301}\u{301} join\u{200B}us 👍🏽 now",
            "",
        ];
        for text in texts {
            let e = explainer.explain(text, 5);
            assert_eq!(e.score.to_bits(), scorer.score(text).to_bits(), "{text}");
            assert!(e.evidence.len() <= 5);
            let chars: Vec<char> = text.chars().collect();
            for ev in &e.evidence {
                assert!(ev.contribution > 0.0 && !ev.spans.is_empty(), "{ev:?}");
                for s in &ev.spans {
                    assert!(s.start < s.end && s.end <= chars.len(), "{s:?} in {text}");
                    assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
                }
            }
            let contributions: Vec<f64> = e.evidence.iter().map(|x| x.contribution).collect();
            assert!(contributions.windows(2).all(|w| w[0] >= w[1]));
        }
        assert!(!explainer.explain(texts[0], 5).evidence.is_empty());
    }
}
