//! The `linfa` feature against the plain API: fitting through linfa's `Fit` (after `ParamGuard`) gives the model
//! `propscan::train` gives, `FitWith` the one `propscan::warm_start` gives, and `Predict` the decisions and scores
//! of `score_batch`. Run with `cargo test --features linfa --test linfa_api` (as `.ci/run` does).
#![cfg(feature = "linfa")]

use linfa::prelude::*;
use linfa::DatasetBase;
use ndarray::Array1;
use propscan::linfa::Params;
use propscan::{Model, TrainOptions, TrainingData};

fn sample() -> (Vec<String>, Vec<bool>) {
    let calls = ["make hijrah and join the caravan", "pledge bay'ah to the caliph today", "send zakat to the brothers"];
    let other = ["join our football club", "the report quoted calls to make hijrah", "donate to the food bank"];
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for i in 0..60 {
        let (pool, y) = if i % 2 == 0 { (&calls, true) } else { (&other, false) };
        texts.push(format!("{} {}", pool[i % 3], ["now", "today", "brothers", "friends", "soon"][i % 5]));
        labels.push(y);
    }
    (texts, labels)
}

#[test]
fn linfa_fit_predict_and_fit_with_equal_the_plain_api() {
    let (texts, labels) = sample();
    let options = TrainOptions::builder().alpha(0.5).cv_folds(3).build().expect("options");
    let records: Array1<String> = texts.iter().cloned().collect();
    let dataset = DatasetBase::new(records.clone(), Array1::from(labels.clone()));

    let via_linfa: Model = Params::new(options.clone()).fit(&dataset).expect("linfa fit");
    let data = TrainingData::new(&texts, &labels).expect("data");
    let plain = propscan::train(&data, &options).expect("train");
    assert_eq!(via_linfa.to_bytes().expect("bytes"), plain.to_bytes().expect("bytes"));

    let decisions: Array1<bool> = via_linfa.predict(&records);
    let scores: Array1<f32> = via_linfa.predict(&records);
    let batch = plain.score_batch(&texts);
    assert_eq!(scores.to_vec(), batch);
    let expected: Vec<bool> = batch.iter().map(|&s| s as f64 >= plain.threshold()).collect();
    assert_eq!(decisions.to_vec(), expected);

    let corrections =
        DatasetBase::new(records.slice(ndarray::s![..20]).to_owned(), Array1::from(labels[..20].to_vec()));
    let checked = Params::new(options.clone()).check().expect("checked");
    let warm = checked.fit_with(&plain, &corrections).expect("fit_with");
    let data = TrainingData::new(&texts[..20], &labels[..20]).expect("data");
    let plain_warm = propscan::warm_start(&plain, &data, &options).expect("warm start");
    assert_eq!(warm.to_bytes().expect("bytes"), plain_warm.to_bytes().expect("bytes"));

    // Unchecked options fail the guard, and fitting through it.
    let bad = Params::new(TrainOptions { alpha: -1.0, ..TrainOptions::default() });
    assert!(bad.clone().check().is_err());
    assert!(bad.fit(&dataset).is_err());
}
