//! `propscan score`: texts in, the same rows out with `score` and `flagged`.

use super::{check_threshold, load_model, Context, Outcome, Output};
use crate::cli::ScoreArgs;
use propscan::error::{Error, Result};
use propscan::records::{InputFormat, OutputFormat, RecordReader, RecordWriter};
use propscan::score::{score_all, Audit, ScoreOptions};
use std::path::PathBuf;

pub(super) fn run(args: ScoreArgs, ctx: &Context) -> Result<Outcome> {
    let progress = &ctx.progress;
    check_threshold(args.threshold)?;
    let review_band = args.review_band.as_deref().map(parse_band).transpose()?;
    if args.explain == Some(0) || args.explain.is_some_and(|k| k > 100) {
        return Err(Error::Usage("--explain takes a number of features from 1 to 100".into()));
    }
    if let Some(out) = &args.output {
        let mut read: Vec<&std::path::Path> = args.inputs.iter().map(PathBuf::as_path).collect();
        read.extend(args.model.as_deref());
        super::refuse_overwriting_inputs(out, &read)?;
    }
    let loaded = load_model(args.model.as_deref())?;
    let options = ScoreOptions {
        threshold: args.threshold.unwrap_or(loaded.model.threshold()),
        review_band,
        explain: args.explain.unwrap_or(0),
        audit: args.audit.then(|| Audit { model_sha256: loaded.sha256.clone(), format_version: loaded.format_version }),
    };

    let inputs: Vec<Option<PathBuf>> = if args.inputs.is_empty() {
        vec![None]
    } else {
        args.inputs.iter().map(|p| if p.as_os_str() == "-" { None } else { Some(p.clone()) }).collect()
    };
    if inputs.iter().filter(|p| p.is_none()).count() > 1 {
        return Err(Error::Usage("stdin ('-') can be read only once".into()));
    }
    if inputs.iter().any(Option::is_none) {
        super::tell_if_waiting_on_a_terminal(ctx.quiet);
    }
    // Open every input first: a missing file or column stops the run before any output.
    let mut readers = inputs
        .iter()
        .map(|path| {
            let format = InputFormat::resolve(path.as_deref(), args.columns.input_format())?;
            RecordReader::open(path.as_deref(), format, &args.columns.text_column, args.columns.read_options())
        })
        .collect::<Result<Vec<_>>>()?;
    let format = args.format.map(Into::into).unwrap_or_else(|| OutputFormat::for_input(readers[0].format()));
    if format != OutputFormat::Jsonl {
        let json = readers.iter().filter(|r| r.format() == InputFormat::Jsonl).count();
        if json > 0 && json < readers.len() {
            return Err(Error::Usage(
                "JSONL inputs mixed with other inputs have no common columns; use --format jsonl".into(),
            ));
        }
        let first = readers.iter().find(|r| !r.columns().is_empty()).map(|r| r.columns().to_vec());
        for r in &readers {
            if let Some(first) = &first {
                if !r.columns().is_empty() && r.columns() != first.as_slice() {
                    return Err(Error::Usage(format!(
                        "{} has columns [{}] but the first input has [{}]; CSV/TSV output needs the same columns \
                         in every input (or use --format jsonl)",
                        r.name(),
                        r.columns().join(", "),
                        first.join(", ")
                    )));
                }
            }
        }
    }

    let output = Output::open(args.output.as_deref())?;
    let out_name = args.output.as_ref().map_or_else(|| "<stdout>".to_string(), |p| p.display().to_string());
    let mut writer =
        RecordWriter::new(output.writer()?, format, &out_name, &options.columns()).neutralize(!args.raw_cells);
    let total: Option<u64> =
        inputs.iter().map(|p| p.as_ref().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len())).sum();
    progress.stage("scoring", total, "bytes");
    let summary = score_all(&loaded.model, &mut readers, &mut writer, &options, args.top, progress)?;
    writer.finish()?;
    output.commit()?;
    progress.finish();
    // On stderr unless --quiet, wherever stderr goes (a terminal, a log file, a pipe).
    if !ctx.quiet {
        let review =
            if options.review_band.is_some() { format!(", {} to review", summary.review) } else { String::new() };
        eprintln!(
            "scored {} rows, wrote {}; {} flagged at threshold {:.4}{review}",
            summary.rows,
            summary.written,
            summary.flagged,
            options.flag_threshold()
        );
    }
    if summary.bad > 0 {
        return Ok(Outcome::BadRows(summary.bad));
    }
    Ok(Outcome::Success)
}

/// Parses `LOW:HIGH` into a review band with `0 <= LOW <= HIGH <= 1`.
fn parse_band(s: &str) -> Result<(f64, f64)> {
    let bad =
        || Error::Usage(format!("--review-band takes LOW:HIGH with 0 <= LOW <= HIGH <= 1, like 0.3:0.7 (got '{s}')"));
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    let (low, high): (f64, f64) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
    if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) || low > high {
        return Err(bad());
    }
    Ok((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(parse_band("0.3:0.7").expect("band"), (0.3, 0.7));
        assert_eq!(parse_band(" 0 : 1 ").expect("band"), (0.0, 1.0));
        for bad in ["0.7:0.3", "0.5", "a:b", "-1:0.5", "0.2:1.5"] {
            assert!(parse_band(bad).is_err(), "{bad}");
        }
    }
}
