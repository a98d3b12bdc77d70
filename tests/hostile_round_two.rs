//! Hostile input, round two (issue #16): outputs that are devices, FIFOs, inputs or read-only; signals during a
//! run; thread counts; encodings; re-scored files; line numbers; long records; TSV quoting; duplicate names;
//! ragged rows; options checked against the data first; and the smaller cases. Each test is listed in
//! `docs/hostile-input.md`.

mod common;
use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

fn table(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    parse_csv(out, b',')
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn posts(dir: &Path) -> String {
    write(dir, "posts.csv", b"id,text\n1,make hijrah and join us\n2,the weather is mild\n3,hello\n")
}

#[test]
fn a_device_output_is_written_to_not_replaced() {
    let dir = tempdir();
    let input = posts(dir.path());
    propscan(&["score", &input, "-o", "/dev/null"]).ok();
    let meta = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(!meta.is_file(), "/dev/null is still a device");
    // /dev/stdout into a pipe: the rows reach the pipe.
    let run = propscan(&["score", &input, "-o", "/dev/stdout"]).ok();
    assert_eq!(table(&run.stdout).1.len(), 3, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_output_is_written_to_not_replaced() {
    let dir = tempdir();
    let input = posts(dir.path());
    let fifo = dir.path().join("out.fifo");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the fifo"))
    };
    propscan(&["score", &input, "-o", fifo.to_str().expect("path")]).ok();
    let got = reader.join().expect("reader");
    assert_eq!(table(&got).1.len(), 3, "{got}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).expect("fifo").file_type().is_fifo(), "still a FIFO");
}

#[test]
fn an_output_that_is_an_input_is_refused() {
    let dir = tempdir();
    let input = posts(dir.path());
    let before = std::fs::read(&input).expect("input");
    let same = format!("{}/./posts.csv", dir.path().display());
    let run = propscan(&["score", &input, "--top", "3", "-o", &same]).fails();
    assert!(run.stderr.contains("is the same file as the input"), "{}", run.stderr);
    #[cfg(unix)]
    {
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&input, &link).expect("link");
        propscan(&["score", &input, "-o", link.to_str().expect("path")]).fails();
    }
    let data = write(dir.path(), "data.csv", training_csv().as_bytes());
    let data_before = std::fs::read(&data).expect("data");
    propscan(&["train", "--input", &data, "--output", &data, "--cv-folds", "2"]).fails();
    propscan(&["eval", "--input", &data, "--report", &data]).fails();
    propscan(&["cv", "--input", &data, "--folds", "2", "-o", &data]).fails();
    let model = dir.path().join("m.model");
    let model = model.to_str().expect("path");
    propscan(&["train", "--input", &data, "--output", model, "--cv-folds", "2"]).ok();
    propscan(&["score", &input, "--model", model, "-o", model]).fails();
    assert_eq!(std::fs::read(&input).expect("input"), before, "the input is untouched");
    assert_eq!(std::fs::read(&data).expect("data"), data_before, "the training data is untouched");
}

#[test]
fn a_read_only_output_is_refused() {
    let dir = tempdir();
    let input = posts(dir.path());
    let out = write(dir.path(), "out.csv", b"old\n");
    let mut perms = std::fs::metadata(&out).expect("out").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&out, perms).expect("chmod");
    let run = propscan(&["score", &input, "-o", &out]).fails();
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(std::fs::read(&out).expect("out"), b"old\n");
}

#[cfg(unix)]
#[test]
fn a_signal_leaves_no_temporary_file_and_the_old_output() {
    let dir = tempdir();
    // Enough rows that scoring runs for a while.
    let mut big = String::from("text\n");
    for i in 0..400_000 {
        big.push_str(&format!("post number {i} about the weather and the market today\n"));
    }
    let input = write(dir.path(), "big.csv", big.as_bytes());
    let out = write(dir.path(), "out.csv", b"the old output\n");
    for signal in ["TERM", "INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_propscan"))
            .args(["score", &input, "-o", &out])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Wait until the temporary file exists, then signal.
        let tmp_exists = || {
            std::fs::read_dir(dir.path())
                .expect("dir")
                .any(|e| e.map(|e| e.file_name().to_string_lossy().ends_with(".propscan-tmp")).unwrap_or(false))
        };
        let start = std::time::Instant::now();
        while !tmp_exists() && start.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(tmp_exists(), "the run never started writing");
        let pid = child.id().to_string();
        assert!(Command::new("kill").args([&format!("-{signal}"), &pid]).status().expect("kill").success());
        let status = child.wait().expect("wait");
        assert!(!status.success(), "SIG{signal}: {status:?}");
        assert!(!tmp_exists(), "SIG{signal} left a temporary file");
        assert_eq!(std::fs::read(&out).expect("out"), b"the old output\n", "SIG{signal}");
    }
}

#[test]
fn thread_counts_are_capped() {
    let dir = tempdir();
    let input = posts(dir.path());
    let run = propscan(&["--threads", "100000", "score", &input]).ok();
    assert!(run.stderr.contains("more than 4 per core"), "{}", run.stderr);
    assert_eq!(table(&run.stdout).1.len(), 3);
    propscan(&["--threads", "0", "score", &input]).fails();
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in std::iter::once(0xFEFF).filter(|_| bom).chain(text.encode_utf16()) {
        out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
    }
    out
}

#[test]
fn utf16_input_is_decoded() {
    let dir = tempdir();
    let csv = "id,text\n1,Brothers make hijrah and join the ranks of the mujahideen\n2,hello\n";
    let plain = table(&propscan(&["score", &write(dir.path(), "plain.csv", csv.as_bytes())]).ok().stdout).1;
    for (name, bytes, extra) in [
        ("le.csv", utf16(csv, false, true), None),
        ("be.csv", utf16(csv, true, true), None),
        ("bare.csv", utf16(csv, false, false), Some("utf-16le")),
    ] {
        let f = write(dir.path(), name, &bytes);
        let mut args = vec!["score", f.as_str()];
        if let Some(e) = extra {
            args.extend(["--encoding", e]);
        }
        let rows = table(&propscan(&args).ok().stdout).1;
        assert_eq!(rows, plain, "{name} scores as its UTF-8 twin");
    }
    let txt = write(dir.path(), "excel.txt", &utf16("hello\nmake hijrah now\n", false, true));
    let rows = table(&propscan(&["score", &txt]).ok().stdout).1;
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["hello", "make hijrah now"]);
}

#[test]
fn re_scoring_replaces_or_drops_every_column_propscan_wrote() {
    let dir = tempdir();
    let input = posts(dir.path());
    let first = dir.path().join("first.csv");
    let first = first.to_str().expect("path");
    let run = propscan(&["score", &input, "--explain", "2", "--review-band", "0.3:0.8", "--audit", "-o", first]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let (h, _) = table(&std::fs::read_to_string(first).expect("first"));
    assert!(h.contains(&"decision".to_string()) && h.contains(&"evidence".to_string()));
    let (h, rows) = table(&propscan(&["score", first]).ok().stdout);
    assert_eq!(h, ["id", "text", "score", "flagged", "error"], "no stale decision, evidence, audit columns");
    assert_eq!(rows.len(), 3);
    let json = propscan(&["score", first, "--format", "jsonl"]).ok().stdout;
    for stale in ["decision", "evidence", "model_sha256", "threshold"] {
        assert!(!json.contains(&format!("\"{stale}\"")), "{stale} in {json}");
    }
}

#[test]
fn line_numbers_are_right_for_crlf_and_cr_files() {
    let dir = tempdir();
    for (name, eol) in [("crlf.csv", "\r\n"), ("cr.csv", "\r"), ("lf.csv", "\n")] {
        let mut csv = format!("id,text{eol}");
        for i in 1..999 {
            csv.push_str(&format!("{i},post {i}{eol}"));
        }
        csv.push_str(&format!("999,ragged,row{eol}1000,last{eol}"));
        let f = write(dir.path(), name, csv.as_bytes());
        let run = propscan(&["score", &f]);
        assert_eq!(run.code, Some(2));
        let (h, rows) = table(&run.stdout);
        let error = &rows[998][col(&h, "error")];
        assert!(error.contains(&format!("{name}: line 1000:")), "{name}: {error}");
        let labels = write(dir.path(), &format!("labels-{name}"), format!("text,label{eol}a,{eol}b,1{eol}").as_bytes());
        let run = propscan(&["train", "--input", &labels, "--output", "/dev/null", "--cv-folds", "0"]).fails();
        assert!(run.stderr.contains("line 2") && run.stderr.contains("empty label"), "{name}: {}", run.stderr);
    }
}

#[test]
fn a_long_quoted_field_is_a_bad_row_and_the_rows_after_it_survive() {
    let dir = tempdir();
    let field = "make hijrah ".repeat(1000);
    let f = write(dir.path(), "long.csv", format!("id,text\n1,a\n2,\"{field}\nsecond line\"\n3,c\n").as_bytes());
    let run = propscan(&["score", &f, "--max-record-bytes", "1000"]);
    assert_eq!(run.code, Some(2));
    let (h, rows) = table(&run.stdout);
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert!(rows[1][col(&h, "error")].contains("over --max-record-bytes 1000"));
    let run = propscan(&["score", &f, "--max-record-bytes", "0"]);
    assert_eq!(run.code, Some(2), "refused by the argument parser");
    assert!(run.stderr.contains("--max-record-bytes"), "{}", run.stderr);
}

#[test]
fn duplicate_names_are_errors_or_bad_rows_not_silent_choices() {
    let dir = tempdir();
    let json =
        write(dir.path(), "dup.jsonl", b"{\"text\":\"make hijrah and join\",\"text\":\"hello\"}\n{\"text\":\"ok\"}\n");
    let run = propscan(&["score", &json]);
    assert_eq!(run.code, Some(2));
    let first = run.stdout.lines().next().expect("row");
    assert!(first.contains("duplicate field 'text'") && first.contains("make hijrah and join"), "{first}");
    let csv = write(dir.path(), "dup.csv", b"text,id,text\na,1,b\n");
    let run = propscan(&["score", &csv]).fails();
    assert!(run.stderr.contains("'text' twice (columns 1 and 3)"), "{}", run.stderr);
}

#[test]
fn a_ragged_row_keeps_what_was_read() {
    let dir = tempdir();
    let f = write(dir.path(), "ragged.csv", b"id,text\n1,hello, world make hijrah\n2,fine\n");
    let run = propscan(&["score", &f]);
    assert_eq!(run.code, Some(2));
    let (h, rows) = table(&run.stdout);
    assert!(rows[0][col(&h, "error")].contains("the row as read: 1,hello, world make hijrah"), "{:?}", rows[0]);
}

#[test]
fn fold_counts_are_checked_against_the_data_first() {
    let dir = tempdir();
    let data = write(dir.path(), "small.csv", training_csv().as_bytes());
    let run = propscan(&["cv", "--input", &data, "--folds", "500"]).fails();
    assert!(run.stderr.contains("--folds 500") && run.stderr.contains("too few"), "{}", run.stderr);
    // 24 rows of each class: a fold of 10 trains on about 21, too few for 23 inner folds.
    let run = propscan(&["cv", "--input", &data, "--folds", "10", "--cv-folds", "23"]).fails();
    assert!(run.stderr.contains("--cv-folds 23"), "{}", run.stderr);
}

#[test]
fn smaller_cases() {
    let dir = tempdir();
    let input = posts(dir.path());
    // The summary reaches stderr when it is not a terminal, and --quiet silences it.
    let run = propscan(&["score", &input]).ok();
    assert!(run.stderr.contains("scored 3 rows, wrote 3"), "{}", run.stderr);
    assert!(propscan(&["--quiet", "score", &input]).ok().stderr.is_empty());
    // A JSON line nested too deep says so.
    let deep = format!("{{\"text\":{}1{}}}\n", "[".repeat(200), "]".repeat(200));
    let run = propscan(&["score", &write(dir.path(), "deep.jsonl", deep.as_bytes())]);
    assert!(run.stdout.contains("more than 128 levels deep"), "{}", run.stdout);
    // A missing column in a very wide file: a short message.
    let wide: Vec<String> = (0..100_000).map(|i| format!("column{i}")).collect();
    let run = propscan(&["score", &write(dir.path(), "wide.csv", format!("{}\n", wide.join(",")).as_bytes())]).fails();
    assert!(run.stderr.len() < 2000 && run.stderr.contains("(100000 in all)"), "{} bytes", run.stderr.len());
    // Warm-starting a 'propaganda' model with 1/0 corrections: a way out that works.
    let named = training_csv().replace(",1\n", ",propaganda\n").replace(",0\n", ",other\n");
    let named = write(dir.path(), "named.csv", named.as_bytes());
    let model = dir.path().join("p.model");
    let model = model.to_str().expect("path");
    propscan(&["train", "--input", &named, "--positive", "propaganda", "--output", model, "--cv-folds", "2"]).ok();
    let corrections = write(dir.path(), "fix.csv", training_csv().as_bytes());
    let out = dir.path().join("w.model");
    let run =
        propscan(&["train", "--input", &corrections, "--warm-start", model, "--output", out.to_str().expect("p")])
            .fails();
    assert!(
        run.stderr.contains("label the flagged rows 'propaganda'") && !run.stderr.contains("pass --positive"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn reading_a_terminal_says_so() {
    // `script` gives the command a terminal for standard input.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` command to make a terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_propscan");
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} score"), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            stdin.write_all(b"make hijrah\n\x04")?;
            drop(stdin);
            child.wait_with_output()
        })
        .expect("script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reading from standard input; end it with Ctrl-D"), "{text}");
}
