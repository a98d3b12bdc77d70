//! `propscan train`, `eval` and `inspect` through the real binary; reproducibility of models.

mod common;
use common::*;

fn train(dir: &std::path::Path, extra: &[&str]) -> (String, Run) {
    let input = write(dir, "train.csv", training_csv().as_bytes());
    let model = dir.join("m.model").to_str().expect("path").to_string();
    let mut args = vec!["train", "--input", input.as_str(), "--output", model.as_str(), "--cv-folds", "3"];
    args.extend_from_slice(extra);
    let run = propscan(&args);
    (model, run)
}

#[test]
fn train_eval_inspect() {
    let dir = tempdir();
    let (model, run) = train(dir.path(), &[]);
    let run = run.ok();
    assert!(run.stderr.contains("trained on 48 rows (24 positive '1')"), "{}", run.stderr);

    let input = dir.path().join("train.csv");
    let eval = propscan(&["eval", "--model", &model, "--input", input.to_str().expect("path"), "--json"]).ok();
    let report: serde_json::Value = serde_json::from_str(&eval.stdout).expect("one JSON object");
    for key in [
        "n",
        "positives",
        "threshold",
        "precision",
        "recall",
        "f1",
        "accuracy",
        "roc_auc",
        "pr_auc",
        "tp",
        "fp",
        "tn",
        "fn",
    ] {
        assert!(report.get(key).is_some(), "missing key {key} in {report}");
    }
    assert_eq!(report["n"], 48);
    assert_eq!(report["positives"], 24);
    let (tp, fp, tn, fneg) =
        (report["tp"].as_u64(), report["fp"].as_u64(), report["tn"].as_u64(), report["fn"].as_u64());
    assert_eq!(tp.zip(fp).zip(tn).zip(fneg).map(|(((a, b), c), d)| a + b + c + d), Some(48));
    // On its own training data the model separates the classes.
    assert!(report["roc_auc"].as_f64().expect("auc") > 0.9, "{report}");

    let table = propscan(&["eval", "--model", &model, "--input", input.to_str().expect("path")]).ok();
    for word in ["precision", "recall", "f1", "roc_auc", "pr_auc", "flagged"] {
        assert!(table.stdout.contains(word), "table lacks {word}:\n{}", table.stdout);
    }

    let inspect = propscan(&["inspect", &model, "--json"]).ok();
    let meta: serde_json::Value = serde_json::from_str(&inspect.stdout).expect("json");
    assert_eq!(meta["format_version"], 2);
    assert_eq!(meta["labels"]["positive"], "1");
    assert_eq!(meta["data"]["rows"], 48);
    assert_eq!(meta["data"]["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(meta["training"]["cv_folds"], 3);
    assert!(meta["created_by"].as_str().expect("created_by").starts_with("propscan "));
    assert!(!meta["top_features"]["positive"].as_array().expect("list").is_empty());
    let text = propscan(&["inspect", &model]).ok();
    assert!(text.stdout.contains("strongest positive features"), "{}", text.stdout);
}

#[test]
fn training_is_deterministic_across_runs_and_threads() {
    // Enough rows and columns to span several of the fixed blocks that parallel sums run over (4,096 rows,
    // 1,024 columns), so that a thread-dependent summation order would show.
    let words = ["join", "the", "ranks", "match", "goal", "pledge", "brothers", "news", "report", "donate", "clan"];
    let mut csv = String::from("text,label\n");
    let mut state = 7u64;
    for i in 0..9000 {
        let mut text = String::new();
        for _ in 0..8 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(words[(state >> 33) as usize % words.len()]);
            text.push_str(&format!("{} ", (state >> 40) % 300));
        }
        csv.push_str(&format!("{text},{}\n", (i % 3 == 0) as u8));
    }
    let dir = tempdir();
    let input = write(dir.path(), "big.csv", csv.as_bytes());
    let model = |threads: &str| {
        let out = dir.path().join(format!("m{threads}")).to_str().expect("path").to_string();
        let args = ["train", "--input", &input, "--output", &out, "--cv-folds", "2", "--buckets-log2", "14"];
        propscan(&[&args[..], &["--threads", threads]].concat()).ok();
        std::fs::read(out).expect("model")
    };
    let one = model("1");
    assert_eq!(one, model("2"), "thread count changed the model");
    assert_eq!(one, model("1"), "a second run changed the model");
}

#[test]
fn the_default_model_is_what_the_documented_command_builds() {
    // The command in models/README.md, run by the binary under test.
    let dir = tempdir();
    let out = dir.path().join("default.model");
    let out_arg = out.to_str().expect("path");
    let args = [
        "train",
        "--input",
        "corpora/corpus.csv",
        "--input",
        "corpora/isis_tweets.csv",
        "--input",
        "corpora/augmented.csv",
        "--group-column",
        "username",
        "--alpha",
        "0.1",
        "--target-precision",
        "0.25",
        "--prevalence",
        "0.01",
        "--output",
        out_arg,
    ];
    propscan(&args).ok();
    let rebuilt = std::fs::read(&out).expect("rebuilt model");
    let shipped = std::fs::read("models/default.model").expect("models/default.model");
    assert!(rebuilt == shipped, "models/default.model is stale: rebuild it with the command in models/README.md");
    assert!(propscan::model::format::DEFAULT_MODEL == shipped.as_slice(), "the binary embeds another model");
}

#[test]
fn label_problems_are_explained() {
    let dir = tempdir();
    let named = write(dir.path(), "named.csv", b"text,label\na,propaganda\nb,non-propaganda\n");
    let out = dir.path().join("m").to_str().expect("path").to_string();
    let run = propscan(&["train", "--input", &named, "--output", &out]).fails();
    assert!(run.stderr.contains("'propaganda' (1 rows)") && run.stderr.contains("--positive"), "{}", run.stderr);

    let one = write(dir.path(), "one.csv", b"text,label\na,1\nb,1\n");
    let run = propscan(&["train", "--input", &one, "--output", &out]).fails();
    assert!(run.stderr.contains("only one class"), "{}", run.stderr);

    let small = write(dir.path(), "small.csv", b"text,label\njoin now,1\njoin us,0\nplay now,1\n");
    let run = propscan(&["train", "--input", &small, "--output", &out]).fails();
    assert!(run.stderr.contains("--cv-folds"), "{}", run.stderr);
    propscan(&["train", "--input", &small, "--output", &out, "--cv-folds", "0"]).ok();

    let nothing_shared = write(dir.path(), "unique.csv", b"text,label\na,1\nb,0\nc,1\n");
    let run = propscan(&["train", "--input", &nothing_shared, "--output", &out, "--cv-folds", "0"]).fails();
    assert!(run.stderr.contains("lower --min-df"), "{}", run.stderr);

    let nolabel = write(dir.path(), "nolabel.csv", b"text,class\na,1\n");
    let run = propscan(&["train", "--input", &nolabel, "--output", &out]).fails();
    assert!(run.stderr.contains("no column 'label'") && run.stderr.contains("text, class"), "{}", run.stderr);

    let empty = write(dir.path(), "empty.csv", b"text,label\na,1\nb,\n");
    let run = propscan(&["train", "--input", &empty, "--output", &out]).fails();
    assert!(run.stderr.contains("line 3, column 'label'"), "{}", run.stderr);

    let jsonl =
        write(dir.path(), "t.jsonl", b"{\"text\":\"join a\",\"label\":true}\n{\"text\":\"join b\",\"label\":false}\n");
    propscan(&["train", "--input", &jsonl, "--output", &out, "--cv-folds", "0"]).ok();
}

#[test]
fn scoring_with_a_trained_model() {
    let dir = tempdir();
    let (model, run) = train(dir.path(), &[]);
    run.ok();
    let text = "pledge your allegiance to the caliph\njoin us at the stadium on saturday\n";
    let out = propscan_stdin(&["score", "--model", &model, "--format", "jsonl"], text.as_bytes()).ok();
    let rows: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 2);
    let (a, b) = (rows[0]["score"].as_f64().expect("score"), rows[1]["score"].as_f64().expect("score"));
    assert!(a > b, "call to action {a} should outscore sports {b}");
}

#[test]
fn warm_start_from_reviewer_feedback() {
    let dir = tempdir();
    let base = write(dir.path(), "base.csv", training_csv().as_bytes());
    let old = dir.path().join("old.model");
    let old = old.to_str().expect("path");
    propscan(&["train", "--input", &base, "--output", old, "--cv-folds", "3"]).ok();
    let mut feedback = String::from("text,label\n");
    for i in 0..20 {
        feedback.push_str(&format!("\"Reporters said the channel told followers to make hijrah ({i})\",0\n"));
        feedback.push_str(&format!("\"Brothers, make hijrah now and join the caravan ({i})\",1\n"));
    }
    let feedback = write(dir.path(), "feedback.csv", feedback.as_bytes());
    let new = dir.path().join("new.model");
    let new = new.to_str().expect("path");
    propscan(&["train", "--warm-start", old, "--input", &feedback, "--output", new, "--cv-folds", "3"]).ok();
    let meta: serde_json::Value =
        serde_json::from_str(&propscan(&["inspect", new, "--json"]).ok().stdout).expect("json");
    let old_sha = propscan::model::format::sha256_hex(&std::fs::read(old).expect("old model"));
    assert_eq!(meta["training"]["warm_start"]["model_sha256"].as_str(), Some(old_sha.as_str()));
    assert_eq!(meta["data"]["rows"].as_u64(), Some(40));
    let report = "Reporters said the channel told followers to make hijrah";
    let before: f64 = score_one(old, report);
    let after: f64 = score_one(new, report);
    assert!(after < before, "feedback should lower the quoted report: {before} -> {after}");

    let refused =
        propscan(&["train", "--warm-start", old, "--input", &feedback, "--output", new, "--buckets-log2", "16"]);
    assert!(refused.fails().stderr.contains("keeps the old model's features"));
}

fn score_one(model: &str, text: &str) -> f64 {
    let out = propscan_stdin(&["score", "--model", model], format!("{text}\n").as_bytes()).ok().stdout;
    let (header, rows) = parse_csv(&out, b',');
    let s = header.iter().position(|h| h == "score").expect("score");
    rows[0][s].parse().expect("number")
}

/// Through the library, each training failure is a kind a caller can match, naming the option by its
/// `TrainOptions` name; the binary turns those names into flags (tested above through its messages).
#[test]
fn training_problems_have_kinds_a_caller_can_match() {
    use propscan::{Error, FeatureConfig, TrainOptions, TrainingData, TrainingProblem};
    let texts: Vec<String> = (0..12).map(|i| format!("join the caravan brothers {i}")).collect();
    let labels: Vec<bool> = (0..12).map(|i| i < 3).collect();
    let data = TrainingData::new(&texts, &labels).expect("data");

    let one_class = TrainingData::new(&texts, &[false; 12]).expect("data");
    let fixed = TrainOptions::builder().cv_folds(0).build().expect("options");
    match propscan::train(&one_class, &fixed) {
        Err(Error::Training(TrainingProblem::OneClass { positives: 0, negatives: 12 })) => {}
        other => panic!("expected OneClass, got {other:?}"),
    }

    let five = TrainOptions::builder().cv_folds(5).build().expect("options");
    match propscan::train(&data, &five) {
        Err(Error::Training(TrainingProblem::TooFewForFolds {
            option: "cv_folds",
            folds: 5,
            positives: 3,
            negatives: 9,
            unit: "rows",
        })) => {}
        other => panic!("expected TooFewForFolds, got {other:?}"),
    }

    let sparse = TrainOptions::builder()
        .cv_folds(0)
        .features(FeatureConfig { min_df: 13, ..FeatureConfig::default() })
        .build()
        .expect("options");
    match propscan::train(&data, &sparse) {
        Err(Error::Training(TrainingProblem::NoFeatures { min_df: 13 })) => {}
        other => panic!("expected NoFeatures, got {other:?}"),
    }

    match TrainOptions::builder().alpha(-1.0).build() {
        Err(e @ Error::InvalidOption { option: "alpha", .. }) => {
            assert!(e.to_string().contains("`alpha` must be a positive number"), "{e}");
            assert!(!e.to_string().contains("--"), "the library names no flag: {e}");
        }
        other => panic!("expected InvalidOption, got {other:?}"),
    }
}

/// The public fields of `TrainingData` cannot make training, warm start or cross-validation panic, and the
/// builder resolves the threshold rule from what was asked, whatever the order.
#[test]
fn hand_built_training_data_and_builder_orders_are_checked() {
    use propscan::{Error, ThresholdRule, TrainOptions, TrainingData};
    let texts: Vec<String> = (0..20).map(|i| format!("join the caravan brothers {i}")).collect();
    let labels: Vec<bool> = (0..20).map(|i| i % 2 == 0).collect();
    let good = TrainingData::new(&texts, &labels).expect("data");
    let options = TrainOptions::builder().cv_folds(2).build().expect("options");

    let mut short = good.clone();
    short.targets.pop();
    let mut bad_groups = good.clone();
    bad_groups.groups = Some(vec![0; 19]);
    let mut huge_group = good.clone();
    huge_group.groups = Some((0..20).map(|i| if i == 3 { u32::MAX } else { i }).collect());
    let model = propscan::train(&good, &options).expect("train");
    for (name, data) in [("short", &short), ("bad groups", &bad_groups), ("huge group", &huge_group)] {
        for result in [
            propscan::train(data, &options).map(|_| ()),
            propscan::warm_start(&model, data, &options).map(|_| ()),
            propscan::cross_validate(data, &options, 2).map(|_| ()),
        ] {
            match result {
                Err(Error::Usage(m)) => assert!(m.starts_with("training data: "), "{name}: {m}"),
                other => panic!("{name}: expected a usage error, got {other:?}"),
            }
        }
    }

    let b = || TrainOptions::builder().cv_folds(3);
    let rule = |o: TrainOptions| o.threshold_rule;
    assert_eq!(
        rule(b().prevalence(0.01).target_precision(0.3).build().expect("either order")),
        ThresholdRule::TargetPrecisionAt { precision: 0.3, prevalence: 0.01 }
    );
    assert_eq!(
        rule(b().target_precision(0.3).target_recall(0.8).build().expect("last wins")),
        ThresholdRule::TargetRecall(0.8)
    );
    assert_eq!(rule(b().target_recall(0.8).max_f1().build().expect("max_f1")), ThresholdRule::MaxF1);
    assert!(matches!(
        b().target_recall(0.8).prevalence(0.01).build(),
        Err(Error::InvalidOption { option: "prevalence", .. })
    ));
    assert!(matches!(
        b().target_precision(f64::NAN).prevalence(0.01).build(),
        Err(Error::InvalidOption { option: "target_precision", .. })
    ));
    assert_eq!(b().top_features(7).build().expect("top").top_features, 7);
}
