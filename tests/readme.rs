//! The README cannot drift from the binary: every example with its output (`$ command` followed by what it prints)
//! is run and its output compared byte for byte; every other example command is parsed by the real argument
//! parser (run with `--help` appended, which checks every flag and value before it); and every flag in the
//! synopsis of each command is one that `propscan help COMMAND` lists.

use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// The fenced code blocks of the README, each as its lines.
fn blocks() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme().lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(b) => out.push(b),
                None => current = Some(Vec::new()),
            }
        } else if let Some(b) = current.as_mut() {
            b.push(line.to_string());
        }
    }
    out
}

/// `command` with `propscan` (or `cargo run --release --`) replaced by the binary under test.
fn to_shell(command: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_propscan");
    let command = command.replace("cargo run --release --", bin);
    command
        .split(" | ")
        .map(|part| match part.strip_prefix("propscan ") {
            Some(rest) => format!("{bin} {rest}"),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn sh(command: &str) -> std::process::Output {
    Command::new("sh").arg("-c").arg(command).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("run sh")
}

/// A command line of an example (a synopsis line, with `[...]` and `|` alternatives, is not one).
fn is_command(line: &str) -> bool {
    (line.starts_with("propscan ") || line.starts_with("cargo run --release -- ")) && !line.contains(" [")
}

#[test]
fn examples_with_output_print_that_output() {
    let mut checked = 0;
    for block in blocks() {
        let mut i = 0;
        while i < block.len() {
            let Some(command) = block[i].trim_start().strip_prefix("$ ") else {
                i += 1;
                continue;
            };
            let indent = block[i].len() - block[i].trim_start().len();
            let mut expected = String::new();
            i += 1;
            while i < block.len() && !block[i].trim_start().starts_with("$ ") {
                expected.push_str(block[i].get(indent..).unwrap_or(""));
                expected.push('\n');
                i += 1;
            }
            let out = sh(&to_shell(command));
            let got = String::from_utf8_lossy(&out.stdout);
            assert_eq!(got, expected, "README example `{command}` prints something else");
            checked += 1;
        }
    }
    assert!(checked >= 2, "{checked} examples with output");
}

#[test]
fn example_commands_parse() {
    let mut checked = 0;
    for block in blocks() {
        for line in &block {
            let line = line.split("  #").next().unwrap_or_default().trim();
            if !is_command(line) {
                continue;
            }
            let out = sh(&format!("{} --help", to_shell(line)));
            assert!(
                out.status.success(),
                "README command `{line}` is refused: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked >= 6, "{checked} example commands");
}

#[test]
fn the_synopsis_names_only_flags_that_exist() {
    let synopsis: Vec<String> = blocks()
        .into_iter()
        .find(|b| b.first().is_some_and(|l| l.starts_with("propscan score ")))
        .expect("the synopsis block");
    let mut command = String::new();
    let mut checked = 0;
    for line in synopsis {
        if let Some(rest) = line.strip_prefix("propscan ") {
            command = rest.split_whitespace().next().unwrap_or_default().to_string();
        }
        let help = sh(&format!("{} help {command}", env!("CARGO_BIN_EXE_propscan")));
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        for flag in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).filter(|w| w.starts_with("--")) {
            assert!(help.contains(flag), "the synopsis of `{command}` names {flag}, which `help {command}` lacks");
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} flags");
    // And the other way: every option of explain and inspect is in the synopsis.
    let readme = readme();
    let options: [(&str, &[&str]); 2] =
        [("explain", &["--model", "--top", "--threshold", "--json"]), ("inspect", &["--top", "--json"])];
    for (command, flags) in options {
        let line = readme.lines().find(|l| l.starts_with(&format!("propscan {command} "))).expect("synopsis line");
        for flag in flags {
            assert!(line.contains(flag), "the synopsis of {command} lacks {flag}");
        }
    }
}

#[test]
fn the_rust_example_is_the_crate_doctest() {
    let readme = readme();
    let start = readme.find("## From Rust").expect("a From Rust section");
    let block = readme[start..].split("```rust\n").nth(1).and_then(|b| b.split("\n```").next()).expect("a rust block");
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).expect("lib.rs");
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .filter(|l| !l.starts_with('#'))
        .collect();
    let doc = doc.join("\n");
    assert!(doc.contains(block), "the README's Rust example differs from the doctest in src/lib.rs:\n{block}");
}
