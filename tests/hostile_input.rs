//! Hostile input through the real binary, one test per row of the table in `docs/hostile-input.md`: every bad
//! row stays in the output, in its place, with an `error`; the run goes on and exits 2; only problems with the
//! whole input stop it (exit 1, nothing written). Rows out = rows in everywhere.

mod common;
use common::*;
use std::io::Read;
use std::process::{Command, Stdio};

/// Parses CSV output; returns the header and rows, and checks every row has the header's width.
fn table(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, rows) = parse_csv(out, b',');
    for r in &rows {
        assert_eq!(r.len(), header.len(), "ragged output row {r:?}");
    }
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Runs `score` expecting exit 2 (bad rows kept) and returns stdout.
fn with_bad_rows(args: &[&str], stdin: &[u8], bad: usize) -> String {
    let run = propscan_stdin(args, stdin);
    assert_eq!(run.code, Some(2), "exit code; stderr: {}", run.stderr);
    let rows = if bad == 1 { "row" } else { "rows" };
    assert!(run.stderr.contains(&format!("{bad} bad {rows} kept in the output")), "stderr: {}", run.stderr);
    run.stdout
}

#[test]
fn invalid_utf8_is_a_bad_row_and_lossy_replaces_it() {
    let dir = tempdir();
    let csv = write(dir.path(), "bad.csv", b"id,text\n1,fine\n2,caf\xe9 au lait\n3,also fine\n");
    let out = with_bad_rows(&["score", &csv], b"", 1);
    let (h, rows) = table(&out);
    assert_eq!(rows.len(), 3);
    let (s, e) = (col(&h, "score"), col(&h, "error"));
    assert_eq!(rows[1][0], "2");
    assert!(rows[1][e].contains("bad.csv: line 3") && rows[1][e].contains("column 'text'"), "{}", rows[1][e]);
    assert!(rows[1][s].is_empty() && !rows[0][s].is_empty() && rows[0][e].is_empty());
    assert!(rows[1][1].contains('\u{FFFD}'), "the row keeps what could be read");

    let lossy = propscan(&["score", &csv, "--lossy"]).ok().stdout;
    let (h, rows) = table(&lossy);
    assert!(rows.iter().all(|r| !r[col(&h, "score")].is_empty() && r[col(&h, "error")].is_empty()));

    let txt = with_bad_rows(&["score", "-"], b"one\n\xff\xfe two\nthree\n", 1);
    let (h, rows) = table(&txt);
    assert_eq!(rows.len(), 3);
    assert!(rows[1][col(&h, "error")].contains("<stdin>: line 2"));
    let jsonl = write(dir.path(), "bad.jsonl", b"{\"text\":\"ok\"}\n{\"text\":\"\xff\"}\n");
    let out = with_bad_rows(&["score", &jsonl], b"", 1);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].get("error").is_none() && lines[1]["error"].as_str().is_some_and(|e| e.contains("line 2")));
    assert!(lines[1]["score"].is_null());
}

#[test]
fn empty_file_and_header_only() {
    let dir = tempdir();
    for (name, data) in
        [("empty.csv", &b""[..]), ("empty.txt", b""), ("empty.jsonl", b""), ("bom.csv", b"\xEF\xBB\xBF")]
    {
        let f = write(dir.path(), name, data);
        let run = propscan(&["score", &f]).ok();
        let rows = if run.stdout.is_empty() { 0 } else { table(&run.stdout).1.len() };
        assert_eq!(rows, 0, "{name}: no rows in, no rows out: {:?}", run.stdout);
    }
    let header = write(dir.path(), "header.csv", b"id,text\n");
    assert_eq!(propscan(&["score", &header]).ok().stdout, "id,text,score,flagged,error\n");
    let empty = write(dir.path(), "train.csv", b"text,label\n");
    let out = dir.path().join("m.model");
    let run = propscan(&["train", "--input", &empty, "--output", out.to_str().expect("path")]).fails();
    assert!(run.stderr.contains("no rows"), "{}", run.stderr);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn missing_columns_stop_the_run_and_list_the_columns() {
    let dir = tempdir();
    let f = write(dir.path(), "cols.csv", b"id,body,label\n1,x,1\n");
    let out = dir.path().join("out.csv");
    let run = propscan(&["score", &f, "--output", out.to_str().expect("path")]).fails();
    assert!(run.stderr.contains("no column 'text'") && run.stderr.contains("id, body, label"), "{}", run.stderr);
    assert!(!out.exists());
    let f = write(dir.path(), "nolabel.csv", b"text,class\nx,1\n");
    let run = propscan(&["train", "--input", &f, "--output", out.to_str().expect("path")]).fails();
    assert!(run.stderr.contains("no column 'label'") && run.stderr.contains("text, class"), "{}", run.stderr);
}

#[test]
fn ragged_rows_are_bad_rows() {
    let dir = tempdir();
    let f = write(dir.path(), "ragged.csv", b"id,text\n1,a\n2,b,c\n3\n4,d\n");
    let out = with_bad_rows(&["score", &f], b"", 2);
    let (h, rows) = table(&out);
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4"]);
    let e = col(&h, "error");
    assert!(rows[1][e].contains("line 3: this row has 3 fields but the header has 2"), "{}", rows[1][e]);
    assert!(rows[2][e].contains("line 4: this row has 1 fields"), "{}", rows[2][e]);
}

#[test]
fn nul_bytes_bom_and_line_endings() {
    let dir = tempdir();
    let nul = propscan_stdin(&["score", "--format", "jsonl"], b"join\0 us\n").ok().stdout;
    let v: serde_json::Value = serde_json::from_str(nul.trim()).expect("json");
    assert_eq!(v["text"], "join\u{0} us");
    assert!(v["score"].as_f64().is_some());

    let bom = write(dir.path(), "bom.csv", b"\xEF\xBB\xBFtext,id\nhello,1\n");
    let (h, rows) = table(&propscan(&["score", &bom]).ok().stdout);
    assert_eq!((h[0].as_str(), rows.len()), ("text", 1));

    for (name, data) in [("crlf.csv", &b"id,text\r\n1,a\r\n2,b\r\n"[..]), ("cr.csv", b"id,text\r1,a\r2,b\r")] {
        let f = write(dir.path(), name, data);
        let (_, rows) = table(&propscan(&["score", &f]).ok().stdout);
        assert_eq!(rows.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(), ["a", "b"], "{name}");
    }
    for (name, data) in [("crlf.txt", &b"a\r\nb\r\n"[..]), ("cr.txt", b"a\rb\r")] {
        let f = write(dir.path(), name, data);
        let (_, rows) = table(&propscan(&["score", &f]).ok().stdout);
        assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["a", "b"], "{name}");
    }
}

#[test]
fn a_100_mb_line_is_a_bad_row_not_a_crash() {
    let dir = tempdir();
    let path = dir.path().join("huge.txt");
    {
        let mut data = Vec::with_capacity(100 * 1024 * 1024 + 32);
        data.extend_from_slice(b"before\n");
        data.resize(data.len() + 100 * 1024 * 1024, b'a');
        data.extend_from_slice(b"\nafter\n");
        std::fs::write(&path, data).expect("write");
    }
    let out = with_bad_rows(&["score", path.to_str().expect("path")], b"", 1);
    let (h, rows) = table(&out);
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0][0].as_str(), rows[1][0].as_str(), rows[2][0].as_str()), ("before", "", "after"));
    let e = &rows[1][col(&h, "error")];
    assert!(e.contains("line 2") && e.contains("104857601 bytes") && e.contains("--max-record-bytes"), "{e}");
    // A higher limit lets a long row through.
    let long = write(dir.path(), "long.txt", "b".repeat(2 << 20).as_bytes());
    assert_eq!(propscan(&["score", &long]).code, Some(2));
    propscan(&["score", &long, "--max-record-bytes", "4000000"]).ok();
}

#[test]
fn label_problems() {
    let dir = tempdir();
    let out = dir.path().join("m.model");
    let out = out.to_str().expect("path");
    let one = write(dir.path(), "one.csv", b"text,label\na,1\nb,1\nc,1\n");
    assert!(propscan(&["train", "--input", &one, "--output", out]).fails().stderr.contains("only one class"));
    let mut messy = String::from("text,label\n");
    for i in 0..12 {
        let (t, l) = if i % 2 == 0 { ("make hijrah and join", " TRUE ") } else { ("join our football club", "false") };
        messy.push_str(&format!("{t} {i},{l}\n"));
    }
    let messy = write(dir.path(), "messy.csv", messy.as_bytes());
    let run = propscan(&["train", "--input", &messy, "--output", out, "--cv-folds", "3"]).ok();
    assert!(run.stderr.contains("positive 'true'"), "{}", run.stderr);
    let tiny = write(dir.path(), "tiny.csv", b"text,label\njoin now,1\nplay now,0\n");
    let run = propscan(&["train", "--input", &tiny, "--output", out]).fails();
    assert!(run.stderr.contains("too few") && run.stderr.contains("--cv-folds"), "{}", run.stderr);
}

#[test]
fn json_rows_that_are_not_usable_are_bad_rows() {
    let input = b"{\"text\":\"ok\",\"id\":1}\nnot json\n{\"id\":3}\n{\"text\":42}\n\n{\"text\":\"last\"}\n";
    let out = with_bad_rows(&["score", "--input-format", "jsonl"], input, 3);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(rows.len(), 5, "the blank line is not a row");
    assert_eq!(rows[1]["raw_line"], "not json");
    assert!(rows[1]["error"].as_str().is_some_and(|e| e.contains("line 2") && e.contains("not a JSON object")));
    assert!(rows[2]["error"].as_str().is_some_and(|e| e.contains("no field 'text'")));
    assert!(rows[3]["error"].as_str().is_some_and(|e| e.contains("expected a string")));
    assert_eq!(rows[2]["id"], 3);
    assert!(rows[4]["score"].as_f64().is_some());
}

#[test]
fn stray_quotes_are_bad_rows_and_the_rows_after_them_are_read() {
    let dir = tempdir();
    let f = write(dir.path(), "stray.csv", b"id,text\n1,ok\n2,\"stray quote\n3,not lost\n4,\"x\"y\n5,last\n");
    let run = propscan(&["score", &f]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let (h, rows) = table(&run.stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"], "every line is a row");
    let error = |i: usize| rows[i][col(&h, "error")].as_str();
    assert!(
        error(1).contains("stray.csv: line 3") && error(1).contains("the row as read: 2,\"stray quote"),
        "{}",
        error(1)
    );
    assert!(error(3).contains("stray.csv: line 5") && error(3).contains("4,\"x\"y"), "{}", error(3));
    assert!(error(0).is_empty() && error(2).is_empty() && error(4).is_empty());
    assert_eq!(rows[2][1], "not lost");
}

#[test]
fn formula_cells_are_neutralised_unless_raw() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "formula.csv",
        b"id,text\n=1+1,=HYPERLINK(\"http://x\")\n+2,-3 cmd\n@SUM(A1),\"\ttab\"\n\"\rcr\",plain\n",
    );
    let (h, rows) = table(&propscan(&["score", &f]).ok().stdout);
    assert_eq!(rows.len(), 4);
    let cells: Vec<&str> = rows.iter().flat_map(|r| [r[0].as_str(), r[1].as_str()]).collect();
    assert_eq!(
        cells,
        ["'=1+1", "'=HYPERLINK(\"http://x\")", "'+2", "'-3 cmd", "'@SUM(A1)", "'\ttab", "'\rcr", "plain"]
    );
    assert!(rows.iter().all(|r| !r[col(&h, "score")].starts_with('\'')));
    let (_, raw) = table(&propscan(&["score", &f, "--raw-cells"]).ok().stdout);
    assert_eq!(raw[0][0], "=1+1");
    let json = propscan(&["score", &f, "--format", "jsonl"]).ok().stdout;
    assert!(json.contains("\"id\":\"=1+1\""), "JSONL is data, not a spreadsheet: {json}");
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_propscan"))
        .args(["score", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let line = b"join the caravan brothers, make hijrah now\n".repeat(1000);
        for _ in 0..200 {
            if std::io::Write::write_all(&mut stdin, &line).is_err() {
                break;
            }
        }
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout); // like `| head`
    let out = child.wait_with_output().expect("wait");
    let _ = feeder.join();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "quietly: {}", String::from_utf8_lossy(&out.stderr));
}
