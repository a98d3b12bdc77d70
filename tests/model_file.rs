//! The model file: a save/load round trip changes no score, and damaged or foreign files are refused with a
//! message that names the problem.

mod common;
use common::*;
use propscan::features::FeatureConfig;
use propscan::model::format::{from_bytes, to_bytes, FORMAT_VERSION, MAGIC};
use propscan::model::meta::LabelRecord;
use propscan::progress::Progress;
use propscan::train::{train, TrainOptions, TrainingData};
use propscan::Model;
use sha2::{Digest, Sha256};

fn small_model() -> Model {
    let csv = training_csv();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let (mut texts, mut targets) = (Vec::new(), Vec::new());
    for row in reader.records() {
        let row = row.expect("row");
        texts.push(row[1].to_string());
        targets.push(&row[2] == "1");
    }
    let data = TrainingData {
        texts,
        targets,
        labels: LabelRecord {
            text_column: "text".into(),
            label_column: "label".into(),
            positive: "1".into(),
            negatives: vec!["0".into()],
            group_column: None,
        },
        source: "test".into(),
        groups: None,
    };
    let options = TrainOptions {
        features: FeatureConfig { buckets_log2: 12, ..FeatureConfig::default() },
        cv_folds: 3,
        ..TrainOptions::default()
    };
    train(&data, &options, &Progress::hidden()).expect("train")
}

/// Replaces the checksum so that only the structural checks can catch an edit.
fn reseal(bytes: &mut [u8]) {
    let body = bytes.len() - 32;
    let digest = Sha256::digest(&bytes[..body]);
    bytes[body..].copy_from_slice(&digest);
}

const TEXTS: &[&str] = &[
    "make hijrah and join the ranks",
    "police quoted the call to join",
    "",
    "Вступай в ряды братьев",
    "انضم إلى الإخوة 🔥",
    "e\u{301}\u{200B}x",
];

#[test]
fn round_trip_gives_identical_bytes_and_scores() {
    let model = small_model();
    let bytes = to_bytes(&model).expect("encode");
    assert_eq!(bytes, to_bytes(&model).expect("encode again"), "encoding is deterministic");
    assert!(bytes.starts_with(MAGIC));
    let loaded = from_bytes(&bytes, "mem").expect("decode");
    assert!(loaded == model);
    for text in TEXTS {
        let (a, b) = (model.score(text), loaded.score(text));
        assert_eq!(a.to_bits(), b.to_bits(), "score changed for {text:?}");
        assert!((0.0..=1.0).contains(&a));
    }
    assert_eq!(to_bytes(&loaded).expect("re-encode"), bytes);

    let dir = tempdir();
    let path = dir.path().join("saved.model");
    propscan::model::format::save(&model, &path).expect("save");
    assert_eq!(std::fs::read(&path).expect("read back"), bytes);
    assert!(propscan::model::format::load(&path).expect("load") == model);
}

#[test]
fn every_truncation_is_refused() {
    let bytes = to_bytes(&small_model()).expect("encode");
    for len in 0..bytes.len() {
        let err = from_bytes(&bytes[..len], "cut").expect_err("truncated file accepted").to_string();
        assert!(err.contains("truncated") || err.contains("damaged"), "length {len}: {err}");
    }
    let err = from_bytes(&bytes[..bytes.len() / 2], "cut").expect_err("refused").to_string();
    assert!(err.contains("model cut: truncated"), "{err}");
}

#[test]
fn bit_flips_are_refused() {
    let bytes = to_bytes(&small_model()).expect("encode");
    let step = (bytes.len() / 997).max(1);
    for at in (0..bytes.len()).step_by(step) {
        for bit in [0, 3, 7] {
            let mut bad = bytes.clone();
            bad[at] ^= 1 << bit;
            let err = from_bytes(&bad, "flip").expect_err("flipped file accepted").to_string();
            assert!(
                err.contains("damaged") || err.contains("not a propscan model") || err.contains("newer"),
                "byte {at} bit {bit}: {err}"
            );
        }
    }
}

#[test]
fn foreign_newer_and_oversized_files_are_refused() {
    let bytes = to_bytes(&small_model()).expect("encode");

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    assert!(from_bytes(&png, "x").expect_err("png").to_string().contains("not a propscan model"));
    assert!(from_bytes(b"id,text\n1,hello\n", "x").expect_err("csv").to_string().contains("not a propscan model"));

    let mut newer = bytes.clone();
    newer[12..16].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    reseal(&mut newer);
    let err = from_bytes(&newer, "x").expect_err("newer").to_string();
    assert!(err.contains("newer") && err.contains("upgrade"), "{err}");

    // Declared lengths far beyond the file, with a valid checksum: refused without allocating them.
    let mut huge = bytes.clone();
    huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut huge);
    assert!(from_bytes(&huge, "x").expect_err("huge").to_string().contains("damaged"));

    let meta_len = u32::from_le_bytes(bytes[16..20].try_into().expect("4 bytes")) as usize;
    let mut many = bytes.clone();
    many[20 + meta_len..24 + meta_len].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut many);
    assert!(from_bytes(&many, "x").expect_err("entries").to_string().contains("damaged"));
}

#[test]
fn the_binary_refuses_a_damaged_model() {
    let dir = tempdir();
    let good = std::fs::read("models/default.model").expect("default model");
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("cut.model", good[..good.len() - 100].to_vec(), "truncated"),
        ("flip.model", flipped, "damaged: checksum mismatch"),
        ("foreign.model", b"hello, I am a text file\n".to_vec(), "not a propscan model"),
        ("empty.model", Vec::new(), "truncated"),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let run = propscan_stdin(&["score", "--model", &path], b"join the ranks\n").fails();
        assert!(run.stderr.contains(expected) && run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "no output from a refused model");
    }
    // A device that never ends is refused at its first bytes, not read into memory.
    if std::path::Path::new("/dev/zero").exists() {
        let run = propscan_stdin(&["score", "--model", "/dev/zero"], b"x\n").fails();
        assert!(run.stderr.contains("not a propscan model"), "{}", run.stderr);
    }
}

/// A caller tells the problems apart by kind, not by reading messages.
#[test]
fn model_problems_have_kinds_a_caller_can_match() {
    use propscan::{Error, ModelProblem};
    let bytes = to_bytes(&small_model()).expect("encode");
    let problem = |b: &[u8]| match from_bytes(b, "x") {
        Err(Error::Model { path, problem }) => {
            assert_eq!(path, "x");
            problem
        }
        other => panic!("expected a model error, got {other:?}"),
    };
    assert_eq!(problem(b"id,text\n1,hello\n"), ModelProblem::NotAModel);
    assert_eq!(problem(&bytes[..30]), ModelProblem::Truncated { bytes: 30, expected: None });
    let cut = bytes.len() - 100;
    assert_eq!(
        problem(&bytes[..cut]),
        ModelProblem::Truncated { bytes: cut as u64, expected: Some(bytes.len() as u64) }
    );
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    assert_eq!(problem(&flipped), ModelProblem::ChecksumMismatch);
    let mut newer = bytes.clone();
    newer[12..16].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    reseal(&mut newer);
    assert_eq!(problem(&newer), ModelProblem::NewerFormat { version: FORMAT_VERSION + 1, newest: FORMAT_VERSION });
    let mut huge = bytes.clone();
    huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut huge);
    assert!(matches!(problem(&huge), ModelProblem::Damaged(m) if m.contains("metadata length")));
}
