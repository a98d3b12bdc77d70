//! The shipped corpora: the written corpus well formed, as large and as balanced as its README says, and free of
//! near-copies (no two texts share more than half of their word 3-grams); the held-back tenth chosen by its rule;
//! the real tweets whole, their accounts on one side of the split only; augmented posts true to their parts.

use std::collections::{HashMap, HashSet};

struct Row {
    id: String,
    username: String,
    text: String,
    label: String,
    kind: String,
    lang: String,
    source: String,
    movement: String,
}

fn read(file: &str) -> Vec<Row> {
    let path = format!("{}/corpora/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).expect(file);
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (id, text, label, kind, lang) =
        (col("id").expect("id"), col("text").expect("text"), col("label").expect("label"), col("kind"), col("lang"));
    let (user, source, movement) = (col("username"), col("source"), col("movement"));
    let get = |r: &csv::StringRecord, c: Option<usize>| c.map(|c| r[c].to_string()).unwrap_or_default();
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            Row {
                id: r[id].into(),
                username: get(&r, user),
                text: r[text].into(),
                label: r[label].into(),
                kind: get(&r, kind),
                lang: get(&r, lang),
                source: get(&r, source),
                movement: get(&r, movement),
            }
        })
        .collect()
}

/// The written corpus: what the default model trains on, and the tenth held back from it.
fn corpus() -> Vec<Row> {
    let mut rows = read("corpus.csv");
    rows.extend(read("heldout/written.csv"));
    rows
}

const POSITIVE: [&str; 7] =
    ["hijrah_join", "pledge", "lone_actor", "threat_event", "donate", "contact_join", "join_group"];
const NEGATIVE: [&str; 15] = [
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
    "benign_cta",
    "hate_no_call",
    "prayer",
    "praise_boast",
    "media",
];

#[test]
fn rows_are_well_formed_and_counts_hold() {
    let header = |file: &str| {
        let path = format!("{}/corpora/{file}", env!("CARGO_MANIFEST_DIR"));
        csv::Reader::from_path(path).expect(file).headers().expect("header").clone()
    };
    let columns = vec!["id", "username", "text", "label", "kind", "lang", "source", "movement"];
    assert_eq!(header("corpus.csv"), columns);
    assert_eq!(header("heldout/written.csv"), columns);
    let rows = corpus();
    let mut ids = HashSet::new();
    let mut by_kind: HashMap<&str, usize> = HashMap::new();
    let mut by_lang: HashMap<&str, usize> = HashMap::new();
    for r in &rows {
        assert!(ids.insert(r.id.as_str()), "duplicate id {}", r.id);
        assert!(!r.text.trim().is_empty(), "{}: empty text", r.id);
        assert_eq!(r.username, format!("written:{}", r.id), "{}: each written text is a group of its own", r.id);
        assert_eq!(r.source, "written", "{}", r.id);
        assert!(["jihadist", "far_right"].contains(&r.movement.as_str()), "{}: movement {}", r.id, r.movement);
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
    assert!(n >= 7500, "{n} texts");
    assert!(positives >= 1600, "{positives} positives");
    assert!(by_lang["en"] * 2 >= n, "English is {} of {n}", by_lang["en"]);
    for lang in ["ru", "tg", "ar"] {
        assert!(by_lang[lang] * 10 >= n, "{lang} is {} of {n}", by_lang[lang]);
    }
    for kind in ["news", "analysis", "counter_speech", "sports", "job_ad", "religious_life", "politics", "games"] {
        assert!(by_kind[kind] >= 150, "{kind}: {} texts", by_kind[kind]);
    }
    for kind in POSITIVE {
        assert!(by_kind[kind] >= 50, "{kind}: {} texts", by_kind[kind]);
    }
    let far_right = rows.iter().filter(|r| r.movement == "far_right");
    let (fr_pos, fr_neg) = far_right.fold((0, 0), |(p, q), r| if r.label == "1" { (p + 1, q) } else { (p, q + 1) });
    assert!(fr_pos >= 100 && fr_neg >= 400, "far-right: {fr_pos} calls, {fr_neg} other texts");
}

/// A text is held back when the first 32 bits of SHA-256("propscan-heldout:" + id) are 0 modulo 10.
fn held_back(id: &str) -> bool {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("propscan-heldout:{id}").as_bytes());
    u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 10 == 0
}

#[test]
fn the_held_out_tenth_follows_its_rule() {
    let train = read("corpus.csv");
    let held = read("heldout/written.csv");
    assert!(train.iter().all(|r| !held_back(&r.id)), "a held-back text is in corpus.csv");
    assert!(held.iter().all(|r| held_back(&r.id)), "heldout/written.csv has a text the rule keeps");
    assert!(
        held.len() * 12 > train.len() && held.len() * 8 < train.len(),
        "{} held out of {}",
        held.len(),
        train.len()
    );
}

#[test]
fn the_real_tweets_are_whole_and_their_accounts_split() {
    let train = read("isis_tweets.csv");
    let held = read("heldout/isis_tweets.csv");
    assert_eq!(train.len() + held.len(), 11_680, "every tweet of the development part, once");
    let mut ids = HashSet::new();
    for r in train.iter().chain(&held) {
        assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        assert!(r.label == "0" || r.label == "1", "{}: label {}", r.id, r.label);
        assert_eq!(r.source, "real");
        assert!(!r.username.is_empty() && !r.kind.is_empty(), "{}", r.id);
    }
    let accounts = |rows: &[Row]| rows.iter().map(|r| r.username.clone()).collect::<HashSet<_>>();
    assert!(accounts(&train).is_disjoint(&accounts(&held)), "an account is on both sides");
    let calls = train.iter().chain(&held).filter(|r| r.label == "1").count();
    assert_eq!(calls, 11, "the adjudicated labels hold 11 calls to action");
}

#[test]
fn augmented_posts_keep_the_label_and_group_of_their_written_part() {
    let written: HashMap<String, Row> = read("corpus.csv").into_iter().map(|r| (r.username.clone(), r)).collect();
    let tweets: Vec<String> = read("isis_tweets.csv").into_iter().map(|r| r.text).collect();
    let augmented = read("augmented.csv");
    assert!(augmented.len() >= 1000, "{} augmented posts", augmented.len());
    for r in &augmented {
        let part = written.get(&r.username).unwrap_or_else(|| panic!("{}: no written text {}", r.id, r.username));
        assert_eq!((&r.label, &r.kind, &r.lang), (&part.label, &part.kind, &part.lang), "{}", r.id);
        assert!(r.text.contains(part.text.as_str()), "{}: the written text is not in the post", r.id);
        assert_eq!(r.source, "augmented");
    }
    // The English and Arabic jihadist posts are set among real tweets.
    let in_tweets = augmented
        .iter()
        .filter(|r| tweets.iter().any(|t| r.text.contains(t.as_str()) && t.len() > 20))
        .take(50)
        .count();
    assert_eq!(in_tweets, 50);
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
