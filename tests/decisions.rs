//! Decisions a moderator can defend, through the real binary: evidence spans on multilingual text, review
//! bands, a fixed-size review queue, the audit trail, and `propscan explain`.

mod common;
use common::*;
use propscan::text::normalize;
use serde_json::Value;

const POSTS: &[&str] = &[
    "Brothers, make HIJRAH and take your place in the ranks. Do not wait for an order.",
    "Police said the magazine urged readers to \"make hijrah and join\".",
    "Дай байа халифу и не жди приказа, действуй там, где ты есть 🏴",
    "Ба бародарон нависед, онҳо ба шумо роҳи ҳиҷратро нишон медиҳанд.",
    "يا أخي، هاجِرْ إلى أرض الخلافة والحق بإخوانك 🔥",
    "Make hijrah, akhi\u{301}! Join the caravan 👍🏽 now, the brothers are waiting.",
    "Join our football club this weekend and score the last goal!",
];

fn jsonl_input(dir: &std::path::Path) -> String {
    let lines: Vec<String> =
        POSTS.iter().enumerate().map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string()).collect();
    write(dir, "posts.jsonl", (lines.join("\n") + "\n").as_bytes())
}

/// Every span is a valid code-point range whose text is what it claims, and whose normalised form is the
/// feature's words (or contains the character n-gram).
fn check_evidence(text: &str, evidence: &[Value]) {
    let chars: Vec<char> = text.chars().collect();
    for ev in evidence {
        let feature = ev["feature"].as_str().expect("feature");
        let kind = ev["kind"].as_str().expect("kind");
        assert!(ev["contribution"].as_f64().expect("contribution") > 0.0);
        let spans = ev["spans"].as_array().expect("spans");
        assert!(!spans.is_empty(), "{ev}");
        for s in spans {
            let (start, end) = (s["start"].as_u64().expect("start") as usize, s["end"].as_u64().expect("end") as usize);
            assert!(start < end && end <= chars.len(), "span {start}..{end} in {text:?}");
            let surface: String = chars[start..end].iter().collect();
            assert_eq!(surface, s["text"].as_str().expect("text"), "span text");
            let norm = normalize(&surface).split_whitespace().collect::<Vec<_>>().join(" ");
            let first = feature.split(" | ").next().unwrap_or(feature);
            match kind {
                "word" | "phrase" => assert_eq!(norm, first, "{surface:?} for {feature:?}"),
                "char" => assert_eq!(norm, first.trim_matches(['‹', '›', '…']), "{surface:?} for {feature:?}"),
                other => panic!("unknown kind {other}"),
            }
        }
    }
}

#[test]
fn every_flagged_row_carries_checkable_evidence() {
    let dir = tempdir();
    let input = jsonl_input(dir.path());
    let out = propscan(&["score", &input, "--explain", "5"]).ok().stdout;
    let rows: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).expect("json row")).collect();
    assert_eq!(rows.len(), POSTS.len());
    let mut flagged = 0;
    for (row, text) in rows.iter().zip(POSTS) {
        assert_eq!(row["text"].as_str(), Some(*text));
        let evidence = row["evidence"].as_array().expect("evidence array in JSONL");
        assert!(evidence.len() <= 5);
        if row["flagged"] == Value::Bool(true) {
            flagged += 1;
            assert!(!evidence.is_empty(), "a flagged row without evidence: {text}");
        }
        check_evidence(text, evidence);
    }
    assert!(flagged >= 3, "{out}");

    // CSV: one JSON-encoded column, the same evidence.
    let csv_out = propscan(&["score", &input, "--explain", "5", "--format", "csv"]).ok().stdout;
    let (header, csv_rows) = parse_csv(&csv_out, b',');
    let e = header.iter().position(|h| h == "evidence").expect("evidence column");
    let t = header.iter().position(|h| h == "text").expect("text column");
    for (row, json_row) in csv_rows.iter().zip(&rows) {
        let evidence: Value = serde_json::from_str(&row[e]).expect("JSON in the evidence cell");
        assert_eq!(evidence, json_row["evidence"]);
        check_evidence(&row[t], evidence.as_array().expect("array"));
    }
}

#[test]
fn review_band_top_and_audit() {
    let dir = tempdir();
    let input = jsonl_input(dir.path());
    let all = propscan(&["score", &input, "--format", "csv", "--review-band", "0.2:0.9", "--audit"]).ok().stdout;
    let (header, rows) = parse_csv(&all, b',');
    let col = |n: &str| header.iter().position(|h| h == n).unwrap_or_else(|| panic!("no {n} in {header:?}"));
    let (s, f, d) = (col("score"), col("flagged"), col("decision"));
    assert_eq!(rows.len(), POSTS.len());
    let sha = propscan::model::format::sha256_hex(propscan::model::format::DEFAULT_MODEL);
    for row in &rows {
        let score: f64 = row[s].parse().expect("score");
        let expected = if score >= 0.9 {
            "flag"
        } else if score >= 0.2 {
            "review"
        } else {
            "pass"
        };
        assert_eq!(row[d], expected, "score {score}");
        assert_eq!(row[f] == "true", expected == "flag");
        assert_eq!(row[col("model_sha256")], sha);
        assert_eq!(row[col("model_format_version")], "2");
        assert_eq!(row[col("threshold")], "0.9");
    }

    let top = propscan(&["score", &input, "--format", "csv", "--top", "3"]).ok().stdout;
    let (_, top_rows) = parse_csv(&top, b',');
    assert_eq!(top_rows.len(), 3);
    let mut scores: Vec<f64> = rows.iter().map(|r| r[s].parse().expect("score")).collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    let top_scores: Vec<f64> = top_rows.iter().map(|r| r[col("score")].parse().expect("score")).collect();
    assert_eq!(top_scores, scores[..3], "the three highest, highest first");

    let bad = propscan(&["score", &input, "--review-band", "0.9:0.2"]).fails();
    assert!(bad.stderr.contains("LOW:HIGH"), "{}", bad.stderr);
}

#[test]
fn explain_prints_the_evidence() {
    let run = propscan(&["explain", POSTS[0], "--top", "4"]).ok().stdout;
    assert!(run.starts_with("score ") && run.contains("flagged"), "{run}");
    assert!(run.contains('[') && run.contains(']'), "spans marked when not a terminal: {run}");
    let json = propscan(&["explain", POSTS[2], "--json"]).ok().stdout;
    let v: Value = serde_json::from_str(&json).expect("json");
    check_evidence(POSTS[2], v["evidence"].as_array().expect("evidence"));
    let piped = propscan_stdin(&["explain", "--json"], POSTS[4].as_bytes()).ok().stdout;
    let v: Value = serde_json::from_str(&piped).expect("json");
    assert_eq!(v["text"].as_str(), Some(POSTS[4]));
}
