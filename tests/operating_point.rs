//! An operating point holds on held-out data: a model trained with `--target-precision 0.9` on 70 % of the
//! shipped corpus reaches precision within 0.05 of 0.9 on the other 30 %.

mod common;
use common::*;

#[test]
fn target_precision_holds_on_held_out_rows() {
    let dir = tempdir();
    let mut reader = csv::Reader::from_path("corpora/corpus.csv").expect("corpus");
    let header = reader.headers().expect("header").clone();
    let (mut train, mut test) = (csv::Writer::from_writer(Vec::new()), csv::Writer::from_writer(Vec::new()));
    train.write_record(&header).expect("header");
    test.write_record(&header).expect("header");
    for (i, row) in reader.records().enumerate() {
        let row = row.expect("row");
        // A fixed, interleaved split: the corpus is grouped by batch, so every batch lands on both sides.
        if i % 10 < 3 { &mut test } else { &mut train }.write_record(&row).expect("row");
    }
    let train = write(dir.path(), "train.csv", &train.into_inner().expect("bytes"));
    let test = write(dir.path(), "test.csv", &test.into_inner().expect("bytes"));
    let model = dir.path().join("p90.model");
    let model = model.to_str().expect("path");
    let trained = propscan(&["train", "--input", &train, "--output", model, "--target-precision", "0.9"]).ok();
    assert!(trained.stderr.contains("precision 0.9"), "{}", trained.stderr);

    let eval = propscan(&["eval", "--model", model, "--input", &test, "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&eval).expect("json");
    let precision = v["precision"].as_f64().expect("precision");
    let recall = v["recall"].as_f64().expect("recall");
    eprintln!("held-out precision {precision:.3}, recall {recall:.3} on {} rows", v["n"]);
    assert!((precision - 0.9).abs() <= 0.05, "held-out precision {precision:.3}");
    assert!(recall > 0.5, "a precision target must not cost all recall: {recall:.3}");

    // The model records the rule and what cross-validation predicted for it.
    let inspect = propscan(&["inspect", model, "--json"]).ok().stdout;
    let meta: serde_json::Value = serde_json::from_str(&inspect).expect("json");
    assert_eq!(meta["training"]["threshold_rule"]["target_precision"].as_f64(), Some(0.9));
    let predicted = meta["cv"]["at_threshold"]["precision"].as_f64().expect("cv precision");
    assert!(predicted >= 0.9, "cross-validated precision {predicted}");
}
