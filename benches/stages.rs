//! Criterion benches per stage (normalise, tokenise, featurise, score, train), throughput in bytes, on texts
//! from the shipped corpus repeated with a seeded shuffle: offline and reproducible.
//!
//! `cargo bench --bench stages` (add `-- STAGE` to run one).

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use propscan::features::{FeatureConfig, Featurizer};
use propscan::model::format::default_model;
use propscan::progress::Progress;
use propscan::text::{for_each_token, normalize_into};
use propscan::train::{train, TrainOptions, TrainingData};

/// The corpus's texts and labels, shuffled with a fixed seed and repeated to `n` rows.
fn texts(n: usize) -> (Vec<String>, Vec<bool>) {
    let mut reader =
        csv::Reader::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/corpus.csv")).expect("corpus");
    let mut rows: Vec<(String, bool)> =
        reader.records().map(|r| r.expect("row")).map(|r| (r[1].to_string(), &r[2] == "1")).collect();
    // Fisher-Yates with a fixed xorshift generator: the same order on every run.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..rows.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        rows.swap(i, (state % (i as u64 + 1)) as usize);
    }
    let (t, y) = rows.iter().cycle().take(n).cloned().unzip();
    (t, y)
}

fn bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn stages(c: &mut Criterion) {
    let (docs, labels) = texts(5000);
    let total = bytes(&docs);
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(total));
    g.sample_size(20);

    g.bench_function("normalize", |b| {
        let mut out = String::new();
        b.iter(|| {
            for d in &docs {
                normalize_into(black_box(d), &mut out, &mut ());
            }
        })
    });
    let normalized: Vec<String> = docs.iter().map(|d| propscan::text::normalize(d)).collect();
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for d in &normalized {
                for_each_token(black_box(d), |r, _| n += r.len());
            }
            n
        })
    });
    g.bench_function("featurize", |b| {
        let mut f = Featurizer::new(&FeatureConfig::default());
        b.iter(|| {
            let mut sum = 0u64;
            for d in &docs {
                f.featurize(black_box(d), &mut (), |bucket, _| sum += bucket as u64);
            }
            sum
        })
    });
    let model = default_model().expect("model");
    g.bench_function("score", |b| {
        let mut scorer = model.scorer();
        b.iter(|| docs.iter().map(|d| scorer.score(black_box(d))).sum::<f32>())
    });
    g.finish();

    let mut t = c.benchmark_group("train");
    t.throughput(Throughput::Bytes(total));
    t.sample_size(10);
    let data = TrainingData {
        texts: docs.clone(),
        targets: labels,
        labels: propscan::model::meta::LabelRecord {
            text_column: "text".into(),
            label_column: "label".into(),
            positive: "1".into(),
            negatives: vec!["0".into()],
            group_column: None,
        },
        source: "bench".into(),
        groups: None,
    };
    let options = TrainOptions { cv_folds: 0, top_features: 0, ..TrainOptions::default() };
    t.bench_function("train (no cv)", |b| {
        b.iter_batched(
            || data.clone(),
            |d| train(&d, &options, &Progress::hidden()).expect("train"),
            BatchSize::LargeInput,
        )
    });
    t.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
