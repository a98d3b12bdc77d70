//! The shipped corpus: well formed, as large and as balanced as its README says, and free of near-copies
//! (no two texts share more than half of their word 3-grams).

use std::collections::{HashMap, HashSet};

struct Row {
    id: String,
    text: String,
    label: String,
    kind: String,
    lang: String,
}

fn corpus() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/corpus.csv");
    let mut reader = csv::Reader::from_path(path).expect("corpus.csv");
    assert_eq!(reader.headers().expect("header"), vec!["id", "text", "label", "kind", "lang"]);
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            Row { id: r[0].into(), text: r[1].into(), label: r[2].into(), kind: r[3].into(), lang: r[4].into() }
        })
        .collect()
}

const POSITIVE: [&str; 6] = ["hijrah_join", "pledge", "lone_actor", "threat_event", "donate", "contact_join"];
const NEGATIVE: [&str; 10] = [
    "news",
    "analysis",
    "counter_speech",
    "sports",
    "job_ad",
    "religious_life",
    "politics",
    "games",
    "history",
    "chatter",
];

#[test]
fn rows_are_well_formed_and_counts_hold() {
    let rows = corpus();
    let mut ids = HashSet::new();
    let mut by_kind: HashMap<&str, usize> = HashMap::new();
    let mut by_lang: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        assert!(ids.insert(r.id.as_str()), "duplicate id {}", r.id);
        assert!(!r.text.trim().is_empty(), "{}: empty text", r.id);
        match r.label.as_str() {
            "1" => assert!(POSITIVE.contains(&r.kind.as_str()), "{}: kind {} with label 1", r.id, r.kind),
            "0" => assert!(NEGATIVE.contains(&r.kind.as_str()), "{}: kind {} with label 0", r.id, r.kind),
            other => panic!("{}: label {other:?}", r.id),
        }
        assert!(["en", "ru", "tg", "ar"].contains(&r.lang.as_str()), "{}: lang {}", r.id, r.lang);
        *by_kind.entry(&r.kind).or_default() += 1;
        *by_lang.entry(&r.lang).or_default() += 1;
    }
    let n = rows.len();
    let positives = rows.iter().filter(|r| r.label == "1").count();
    assert!(n >= 4000, "{n} texts");
    assert!(positives >= 1200, "{positives} positives");
    assert!(by_lang["en"] * 2 >= n, "English is {} of {n}", by_lang["en"]);
    for lang in ["ru", "tg", "ar"] {
        assert!(by_lang[lang] * 10 >= n, "{lang} is {} of {n}", by_lang[lang]);
    }
    for kind in NEGATIVE {
        assert!(by_kind[kind] >= 150, "{kind}: {} texts", by_kind[kind]);
    }
    for kind in POSITIVE {
        assert!(by_kind[kind] >= 150, "{kind}: {} texts", by_kind[kind]);
    }
}

/// Lower-cased word 3-grams (words: runs of letters, digits and `_`, as Python's `\w+`).
fn trigrams(text: &str) -> HashSet<[String; 3]> {
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()).collect();
    words.windows(3).map(|w| [w[0].to_string(), w[1].to_string(), w[2].to_string()]).collect()
}

#[test]
fn no_two_texts_are_near_copies() {
    let rows = corpus();
    let grams: Vec<HashSet<[String; 3]>> = rows.iter().map(|r| trigrams(&r.text)).collect();
    // Inverted index: only texts sharing a 3-gram can overlap.
    let mut index: HashMap<&[String; 3], Vec<usize>> = HashMap::new();
    for (i, g) in grams.iter().enumerate() {
        for t in g {
            index.entry(t).or_default().push(i);
        }
    }
    let mut worst = (0.0f64, 0, 0);
    let mut bad = Vec::new();
    for (i, g) in grams.iter().enumerate() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for t in g {
            for &j in &index[t] {
                if j > i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (j, inter) in shared {
            let jaccard = inter as f64 / (g.len() + grams[j].len() - inter) as f64;
            if jaccard > worst.0 {
                worst = (jaccard, i, j);
            }
            if jaccard > 0.5 {
                bad.push(format!("{} ~ {} ({jaccard:.2})", rows[i].id, rows[j].id));
            }
        }
    }
    assert!(bad.is_empty(), "near-copies (word 3-gram Jaccard > 0.5): {bad:?}");
    eprintln!("largest overlap: {:.3} ({} ~ {})", worst.0, rows[worst.1].id, rows[worst.2].id);
}
