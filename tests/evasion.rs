//! Evasion: positive texts held back from the default model's training (`corpora/heldout/written.csv`),
//! rewritten the way posters dodge filters (Latin/Cyrillic homoglyphs, zero-width characters inside words,
//! leetspeak, spaced-out letters), must keep at least 90 % of the default model's recall on the originals.

use propscan::model::format::default_model;

/// Held-out positive texts of the written corpus, with their language.
fn positives() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/corpora/heldout/written.csv"))
        .expect("held-out rows");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (text, label, lang) = (col("text"), col("label"), col("lang"));
    reader
        .records()
        .map(|r| r.expect("row"))
        .filter(|r| &r[label] == "1")
        .map(|r| (r[text].to_string(), r[lang].to_string()))
        .collect()
}

/// Applies `f` to every word (a maximal run of alphanumeric characters) of `text`.
fn map_words(text: &str, mut f: impl FnMut(usize, &str) -> String) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let mut n = 0;
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push_str(&f(n, &word));
                n += 1;
                word.clear();
            }
            out.push(c);
        }
    }
    out.pop();
    out
}

/// Latin letters swapped for Cyrillic look-alikes in Latin script, and the other way round in Cyrillic script.
fn homoglyphs(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            'y' => 'у',
            'x' => 'х',
            'а' => 'a',
            'е' => 'e',
            'о' => 'o',
            'р' => 'p',
            'с' => 'c',
            'у' => 'y',
            'х' => 'x',
            'ی' => 'ي', // Persian yeh for Arabic yeh
            'ک' => 'ك',
            'ي' => 'ی',
            'ك' => 'ک',
            other => other,
        })
        .collect()
}

/// A zero-width character (cycling through ZWSP, ZWNJ, ZWJ, word joiner) in the middle of every word of 4+ letters.
fn zero_width(text: &str) -> String {
    let marks = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];
    map_words(text, |n, w| {
        let chars: Vec<char> = w.chars().collect();
        if chars.len() < 4 {
            return w.to_string();
        }
        let mid = chars.len() / 2;
        chars[..mid].iter().chain(std::iter::once(&marks[n % 4])).chain(&chars[mid..]).collect()
    })
}

/// Leetspeak: o→0, i→1, e→3, a→4, s→5 (Latin), о→0, з→3 (Cyrillic), in every word of 3+ letters.
fn leetspeak(text: &str) -> String {
    map_words(text, |_, w| {
        if w.chars().count() < 3 {
            return w.to_string();
        }
        w.chars()
            .map(|c| match c {
                'o' | 'O' | 'о' | 'О' => '0',
                'i' | 'I' => '1',
                'e' | 'E' => '3',
                'a' | 'A' => '4',
                's' | 'S' => '5',
                'з' | 'З' => '3',
                other => other,
            })
            .collect()
    })
}

/// Every other word of 4+ letters spelled out with spaces: "h i j r a h".
fn spaced(text: &str) -> String {
    map_words(text, |n, w| {
        if n % 2 == 1 || w.chars().count() < 4 {
            return w.to_string();
        }
        w.chars().map(String::from).collect::<Vec<_>>().join(" ")
    })
}

/// A rewriting of a text.
type Rewrite = &'static dyn Fn(&str) -> String;

#[test]
fn rewritten_positives_keep_their_recall() {
    let model = default_model().expect("default model");
    let threshold = model.threshold();
    let texts = positives();
    assert!(texts.len() >= 150, "{} held-out positives", texts.len());
    let recall = |f: &dyn Fn(&str) -> String| {
        let mut scorer = model.scorer();
        let flagged = texts.iter().filter(|(t, _)| scorer.score(&f(t)) as f64 >= threshold).count();
        flagged as f64 / texts.len() as f64
    };
    let base = recall(&|t| t.to_string());
    assert!(base > 0.75, "recall on the held-out positives is {base:.3}");
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let attacks: [(&str, Rewrite); 4] =
        [("homoglyphs", &homoglyphs), ("zero-width", &zero_width), ("leetspeak", &leetspeak), ("spaced", &spaced)];
    for (name, f) in attacks {
        let changed = texts.iter().filter(|(t, _)| f(t) != *t).count();
        assert!(changed * 2 > texts.len(), "{name} changed only {changed} of {} texts", texts.len());
        let r = recall(f);
        report.push(format!("{name}: recall {r:.3} ({:.1} % of {base:.3}; {changed} texts changed)", 100.0 * r / base));
        if r < 0.9 * base {
            failures.push(name);
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "below 90 % of the original recall: {failures:?}\n{}", report.join("\n"));
}

#[test]
fn attacks_do_what_they_say() {
    assert_eq!(leetspeak("Join the hijrah"), "J01n th3 h1jr4h");
    assert_eq!(spaced("join us in hijrah now"), "j o i n us in hijrah now");
    assert_eq!(zero_width("join"), "jo\u{200B}in");
    assert_eq!(homoglyphs("pace"), "расе");
}
