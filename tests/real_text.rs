//! The built-in model on rows held back from its training (`corpora/heldout/`: tweets of 11 accounts and a tenth
//! of the written corpus): how a text was typed does not decide a score, texts with nothing to say stay below the
//! threshold, and padding cannot hide a call to action.

use propscan::model::format::default_model;
use propscan::model::Model;

/// `(text, label)` of every held-out row of `file` (under `corpora/heldout/`).
fn heldout(file: &str) -> Vec<(String, bool)> {
    let path = format!("{}/corpora/heldout/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).expect("held-out rows");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (text, label) = (col("text"), col("label"));
    reader.records().map(|r| r.expect("row")).map(|r| (r[text].to_string(), &r[label] == "1")).collect()
}

fn all_heldout() -> Vec<(String, bool)> {
    let mut rows = heldout("written.csv");
    rows.extend(heldout("isis_tweets.csv"));
    assert!(rows.len() > 2500, "{} held-out rows", rows.len());
    rows
}

/// True when `s` has no letter or digit: punctuation, quote marks, symbols.
fn only_marks(s: &str) -> bool {
    !s.chars().any(char::is_alphanumeric)
}

#[test]
fn no_punctuation_or_quote_mark_among_the_strongest_features() {
    let model = default_model().expect("model");
    let top = &model.meta().top_features;
    assert!(top.positive.len() >= 50 && top.negative.len() >= 50, "the model names its 50 strongest each way");
    for f in top.positive.iter().take(50).chain(top.negative.iter().take(50)) {
        let names: Vec<&str> = f.ngrams.iter().map(|n| n.trim_matches(['‹', '›', '…'])).collect();
        assert!(!names.is_empty(), "bucket {} has no name", f.bucket);
        for name in names {
            assert!(
                !only_marks(name),
                "feature {:?} (weight {}) is only punctuation or quote marks",
                f.ngrams,
                f.weight
            );
        }
    }
}

/// The score of every held-out row, and of the same row changed by `edit`.
fn shifts(model: &Model, rows: &[(String, bool)], edit: impl Fn(&str) -> String) -> Vec<f32> {
    let mut scorer = model.scorer();
    rows.iter().map(|(t, _)| (scorer.score(&edit(t)) - scorer.score(t)).abs()).collect()
}

#[test]
fn typing_habits_do_not_move_scores() {
    let model = default_model().expect("model");
    let rows = all_heldout();
    type Edit = Box<dyn Fn(&str) -> String>;
    let edits: [(&str, Edit); 7] = [
        ("add a final '.'", Box::new(|t| format!("{t}."))),
        ("add a final '!'", Box::new(|t| format!("{t}!"))),
        ("remove final '.' and '!'", Box::new(|t| t.trim_end().trim_end_matches(['.', '!']).to_string())),
        ("wrap in \"\"", Box::new(|t| format!("\"{t}\""))),
        ("wrap in «»", Box::new(|t| format!("«{t}»"))),
        ("wrap in “”", Box::new(|t| format!("“{t}”"))),
        ("wrap in ''", Box::new(|t| format!("'{t}'"))),
    ];
    for (name, edit) in edits {
        let d = shifts(&model, &rows, edit);
        let max = d.iter().cloned().fold(0f32, f32::max);
        let mean = d.iter().sum::<f32>() / d.len() as f32;
        assert!(max <= 0.1, "{name}: a score moved by {max}");
        assert!(mean <= 0.02, "{name}: scores moved by {mean} on average");
    }
}

#[test]
fn texts_without_a_call_stay_below_the_threshold() {
    let model = default_model().expect("model");
    let t = model.threshold() as f32;
    let texts = [
        ".",
        "",
        "   ",
        "ok",
        "thanks",
        "Hope it will help you",
        "🔥🔥🔥 !!!",
        "https://t.co/abc123",
        "@someone",
        "May Allah grant victory to the mujahideen and accept their shuhada",
        "O Allah, protect our brothers who fight for Your sake and make their feet firm",
        "Police said the suspect had pledged allegiance to the Islamic State in a video before the attack.",
        "Он присягнул на верность ИГ, сообщили следователи.",
    ];
    for text in texts {
        let s = model.score(text);
        assert!(s < t, "{text:?} scores {s}, at or above the threshold {t}");
    }
    for nothing in [".", "", "   ", "🔥🔥🔥 !!!", "https://t.co/abc123", "«»"] {
        assert_eq!(model.score(nothing), 0.0, "{nothing:?} has nothing to score");
    }
}

/// Eight sentences of ordinary news, none about extremism.
const PADDING: [&str; 8] = [
    "The city council approved the new budget for road repairs on Tuesday.",
    "Rain is expected across the north of the country later this week.",
    "Local schools will reopen after the holiday on the usual timetable.",
    "The national football team drew its friendly match one goal each.",
    "Fuel prices fell slightly for the third month in a row, officials said.",
    "A new bridge over the river is due to open before the end of the year.",
    "The museum has extended its opening hours for the summer season.",
    "Farmers reported a good harvest of wheat despite the dry spring.",
];

#[test]
fn padding_does_not_hide_a_call() {
    let model = default_model().expect("model");
    let t = model.threshold() as f32;
    let calls: Vec<String> = heldout("written.csv")
        .into_iter()
        .filter(|(text, label)| *label && text.split_whitespace().count() <= 30 && model.score(text) >= t)
        .map(|(text, _)| text)
        .collect();
    assert!(calls.len() >= 50, "{} held-out calls flagged alone", calls.len());
    let padding = PADDING.join(" ");
    for call in &calls {
        // A call is a sentence: end it where it has no final punctuation (which no score depends on).
        let call = if call.trim_end().ends_with(['.', '!', '?', '…', '؟', '۔']) {
            call.clone()
        } else {
            format!("{call}.")
        };
        let padded = format!("{call} {padding}");
        let s = model.score(&padded);
        assert!(s >= t, "{call:?} scores {s} with eight sentences after it (threshold {t})");
        let before = format!("{padding} {call}");
        assert!(model.score(&before) >= t, "{call:?} is hidden by eight sentences before it");
    }
}
