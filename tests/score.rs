//! `propscan score` through the real binary: rows out = rows in, every field kept, scores in [0, 1].

mod common;
use common::*;

const MIXED_CSV: &str = "id,text,note\n\
1,\"Make hijrah and join the ranks, brother!\",plain\n\
2,\"Quoted \"\"call\"\", with a comma\nand an embedded newline\",\"multi\nline\"\n\
3,Вступай в ряды братьев,кириллица\n\
4,ба сафи бародарон ҳамроҳ шавед,тоҷикӣ\n\
5,انضم إلى إخوانك في أرض الخلافة,عربي\n\
6,,empty text\n\
7,\"emoji 🔥🏴 and e\u{301} combining\",x\n";

fn check_scores(header: &[String], rows: &[Vec<String>], threshold: Option<f64>) {
    let s = header.iter().position(|h| h == "score").expect("score column");
    let f = header.iter().position(|h| h == "flagged").expect("flagged column");
    for row in rows {
        let score: f64 = row[s].parse().expect("numeric score");
        assert!((0.0..=1.0).contains(&score), "score {score} out of range");
        assert!(row[f] == "true" || row[f] == "false");
        if let Some(t) = threshold {
            assert_eq!(row[f] == "true", score >= t, "flag at threshold {t} for {score}");
        }
    }
}

#[test]
fn csv_keeps_every_row_and_field() {
    let dir = tempdir();
    let input = write(dir.path(), "in.csv", MIXED_CSV.as_bytes());
    let run = propscan(&["score", &input]).ok();
    let (header, rows) = parse_csv(&run.stdout, b',');
    let (in_header, in_rows) = parse_csv(MIXED_CSV, b',');
    assert_eq!(header, ["id", "text", "note", "score", "flagged", "error"]);
    assert_eq!(rows.len(), in_rows.len());
    for (out, inp) in rows.iter().zip(&in_rows) {
        assert_eq!(&out[..in_header.len()], &inp[..], "input fields kept in order");
    }
    check_scores(&header, &rows, None);
}

#[test]
fn threshold_option_decides_flags() {
    let dir = tempdir();
    let input = write(dir.path(), "in.csv", MIXED_CSV.as_bytes());
    for t in ["0", "0.5", "1"] {
        let run = propscan(&["score", &input, "--threshold", t]).ok();
        let (header, rows) = parse_csv(&run.stdout, b',');
        check_scores(&header, &rows, Some(t.parse().expect("float")));
    }
    propscan(&["score", &input, "--threshold", "1.5"]).fails();
}

#[test]
fn tsv_in_tsv_out() {
    let dir = tempdir();
    let tsv = "text\tlang\nJoin the caravan now\ten\n\"tab\tinside\"\ten\nПрисягни халифу\tru\n";
    let input = write(dir.path(), "in.tsv", tsv.as_bytes());
    let run = propscan(&["score", &input, "--tsv-quoted"]).ok();
    let (header, rows) = parse_csv(&run.stdout, b'\t');
    assert_eq!(header, ["text", "lang", "score", "flagged", "error"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][0], "tab\tinside");
    check_scores(&header, &rows, None);
    // Without --tsv-quoted a `"` is text, as spreadsheets write TSV: the quoted tab splits that row, which is kept
    // as a bad row with the line as read.
    let run = propscan(&["score", &input]);
    assert_eq!(run.code, Some(2));
    let (header, rows) = parse_csv(&run.stdout, b'\t');
    assert_eq!(rows.len(), 3);
    let error = &rows[1][header.iter().position(|h| h == "error").expect("error column")];
    assert!(error.contains("3 fields") && error.contains("the row as read: \"tab\tinside\"\ten"), "{error}");
}

#[test]
fn jsonl_keeps_fields_in_order() {
    let dir = tempdir();
    let jsonl = "{\"z\":1,\"text\":\"join the ranks\",\"meta\":{\"a\":[1,2]}}\n\
                 \n\
                 {\"text\":\"بيعة\\nسطر\",\"id\":\"x\"}\n";
    let input = write(dir.path(), "in.jsonl", jsonl.as_bytes());
    let run = propscan(&["score", &input]).ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "blank lines are not rows: {}", run.stdout);
    assert!(lines[0].starts_with("{\"z\":1,\"text\":\"join the ranks\",\"meta\":{\"a\":[1,2]},\"score\":"));
    let second: serde_json::Value = serde_json::from_str(lines[1]).expect("json");
    assert_eq!(second["id"], "x");
    assert_eq!(second["text"], "بيعة\nسطر");
    let score = second["score"].as_f64().expect("score");
    assert!((0.0..=1.0).contains(&score));
    assert!(second["flagged"].is_boolean());
}

#[test]
fn txt_and_stdin_one_row_per_line() {
    let text = "first line\n\nВступай в ряды\r\nlast line without newline";
    let dir = tempdir();
    let input = write(dir.path(), "in.txt", text.as_bytes());
    let from_file = propscan(&["score", &input]).ok();
    let from_stdin = propscan_stdin(&["score"], text.as_bytes()).ok();
    let from_dash = propscan_stdin(&["score", "-"], text.as_bytes()).ok();
    assert_eq!(from_file.stdout, from_stdin.stdout);
    assert_eq!(from_file.stdout, from_dash.stdout);
    let (header, rows) = parse_csv(&from_file.stdout, b',');
    assert_eq!(header, ["text", "score", "flagged", "error"]);
    let texts: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(texts, ["first line", "", "Вступай в ряды", "last line without newline"]);
    check_scores(&header, &rows, None);
    let jsonl = propscan_stdin(&["score", "--format", "jsonl"], text.as_bytes()).ok();
    assert_eq!(jsonl.stdout.lines().count(), 4);
}

#[test]
fn many_rows_stay_in_order() {
    // More rows than one chunk, so that parallel scoring has to put them back in order.
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("row {i} join the brothers {}\n", i % 7));
    }
    let run = propscan_stdin(&["score", "--threads", "2"], text.as_bytes()).ok();
    let (_, rows) = parse_csv(&run.stdout, b',');
    assert_eq!(rows.len(), 20_000);
    for (i, row) in rows.iter().enumerate() {
        assert!(row[0].starts_with(&format!("row {i} ")), "row {i} out of order: {}", row[0]);
    }
    let one_thread = propscan_stdin(&["score", "--threads", "1"], text.as_bytes()).ok();
    assert_eq!(run.stdout, one_thread.stdout, "thread count changes nothing");
}

#[test]
fn several_inputs_are_concatenated() {
    let dir = tempdir();
    let a = write(dir.path(), "a.csv", b"text,id\none,1\ntwo,2\n");
    let b = write(dir.path(), "b.csv", b"text,id\nthree,3\n");
    let run = propscan(&["score", &a, &b]).ok();
    let (_, rows) = parse_csv(&run.stdout, b',');
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let j = write(dir.path(), "j.jsonl", b"{\"text\":\"five\",\"id\":5}\n");
    let err = propscan(&["score", &a, &j]).fails();
    assert!(err.stderr.contains("--format jsonl"), "{}", err.stderr);
    let mixed = propscan(&["score", &a, &j, "--format", "jsonl"]).ok();
    assert_eq!(mixed.stdout.lines().count(), 3);
    let c = write(dir.path(), "c.csv", b"id,text\n4,four\n");
    let err = propscan(&["score", &a, &c]).fails();
    assert!(err.stderr.contains("same columns"), "{}", err.stderr);
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempdir();
    let input = write(dir.path(), "in.csv", MIXED_CSV.as_bytes());
    let out = dir.path().join("out.csv");
    let out_s = out.to_str().expect("path");
    let run = propscan(&["score", &input, "--output", out_s]).ok();
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).expect("output written");
    assert_eq!(written, propscan(&["score", &input]).ok().stdout);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".propscan-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn errors_name_file_line_and_column() {
    let dir = tempdir();
    let missing = write(dir.path(), "cols.csv", b"id,body\n1,x\n");
    let run = propscan(&["score", &missing]).fails();
    assert!(run.stderr.contains("no column 'text'") && run.stderr.contains("id, body"), "{}", run.stderr);

    let unknown = write(dir.path(), "data.xyz", b"hello\n");
    let run = propscan(&["score", &unknown]).fails();
    assert!(run.stderr.contains("--input-format"), "{}", run.stderr);
    propscan(&["score", &unknown, "--input-format", "txt"]).ok();

    let good = write(dir.path(), "good.csv", b"text\nhello\n");
    let run = propscan(&["score", &good, "--output", dir.path().to_str().expect("path")]).fails();
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
    let run = propscan(&["score", &good, "--output", "/nonexistent-dir/out.csv"]).fails();
    assert!(run.stderr.contains("/nonexistent-dir/out.csv"), "{}", run.stderr);
}
