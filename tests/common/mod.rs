//! Helpers for tests that run the real `propscan` binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The result of one run: exit status, stdout and stderr as text.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the run's stderr unless it exited 0.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "propscan failed:\n{}", self.stderr);
        self
    }

    /// Panics unless it failed with exit code 1 and an error message.
    pub fn fails(self) -> Run {
        assert_eq!(self.code, Some(1), "expected failure, got {:?}; stdout:\n{}", self.code, self.stdout);
        assert!(self.stderr.starts_with("propscan: error: "), "stderr: {}", self.stderr);
        self
    }
}

fn to_run(out: Output) -> Run {
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs propscan with `args` and no stdin.
pub fn propscan(args: &[&str]) -> Run {
    propscan_stdin(args, b"")
}

/// Runs propscan with `args`, writing `stdin` to it.
pub fn propscan_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_propscan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn propscan");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for propscan");
    writer.join().expect("stdin writer");
    to_run(out)
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Writes `contents` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, contents: &[u8]) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, contents).expect("write test file");
    path.to_str().expect("utf-8 path").to_string()
}

/// Parses CSV text into a header and rows.
pub fn parse_csv(text: &str, delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
    let header = reader.headers().expect("header").iter().map(String::from).collect();
    let rows = reader.records().map(|r| r.expect("record").iter().map(String::from).collect()).collect();
    (header, rows)
}

/// A small labelled training set with both classes, in CSV.
pub fn training_csv() -> String {
    let pos = [
        "make hijrah and join the ranks of the brothers",
        "pledge your allegiance to the caliph today",
        "do not wait for an order, act where you are",
        "send your wealth to support the mujahideen",
        "write to the brothers and they will guide you to join",
        "join the caravan, leave the land of disbelief",
    ];
    let neg = [
        "police said the group urged readers to join, analysts warned",
        "join us at the stadium on saturday for the final",
        "we are hiring nurses, join our team today",
        "the history of the caliphate in the abbasid era",
        "donate to the mosque food bank this ramadan",
        "our clan needs new players, join the server",
    ];
    let mut s = String::from("id,text,label\n");
    for round in 0..4 {
        for (i, t) in pos.iter().enumerate() {
            s.push_str(&format!("p{round}{i},\"{t} {round}\",1\n"));
        }
        for (i, t) in neg.iter().enumerate() {
            s.push_str(&format!("n{round}{i},\"{t} {round}\",0\n"));
        }
    }
    s
}
