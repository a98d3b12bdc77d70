//! Train a model from labelled texts, save it, load it back, and score with it: propscan as a Rust library.
//!
//! ```text
//! cargo run --release --example train_and_score
//! ```
//!
//! Trains on the written corpus in `corpora/corpus.csv` (a third of it, to be quick), then scores a few posts
//! with the new model and with the built-in one.

use propscan::{Model, TrainOptions, TrainingData};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/corpus.csv");
    let mut reader = csv::Reader::from_path(path)?;
    let (mut texts, mut labels) = (Vec::new(), Vec::new());
    for (i, row) in reader.deserialize::<std::collections::HashMap<String, String>>().enumerate() {
        let row = row?;
        if i % 3 == 0 {
            texts.push(row["text"].clone());
            labels.push(row["label"] == "1");
        }
    }
    let data = TrainingData::new(&texts, &labels)?;
    let options = TrainOptions::builder().alpha(0.1).target_precision(0.25).prevalence(0.01).build()?;
    let model = propscan::train(&data, &options)?;
    println!("trained on {} texts; threshold {:.4}", texts.len(), model.threshold());

    let file = std::env::temp_dir().join(format!("propscan-example-{}.model", std::process::id()));
    model.save(&file)?;
    let loaded = Model::load(&file)?;
    std::fs::remove_file(&file)?;
    assert_eq!(loaded, model, "a saved model loads back unchanged");

    let builtin = Model::builtin()?;
    let posts = [
        "Brothers, make hijrah and take your place in the ranks. Do not wait.",
        "Police said the magazine urged readers to \"make hijrah and join\".",
        "We are hiring night-shift nurses. Join our team.",
    ];
    let scores = loaded.score_batch(&posts);
    for (post, score) in posts.iter().zip(scores) {
        let flagged = if score as f64 >= loaded.threshold() { "flagged" } else { "-" };
        println!("{score:.4} {flagged:<7} (built-in: {:.4})  {post}", builtin.score(post));
    }
    let why = loaded.explain(posts[0], 3);
    for e in why.evidence {
        println!("  {:+.3} {} at {:?}", e.contribution, e.feature, e.spans.iter().map(|s| &s.text).collect::<Vec<_>>());
    }
    Ok(())
}
