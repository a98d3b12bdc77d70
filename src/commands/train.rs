//! `propscan train`: labelled file in, model file out.

use super::{file_name, load_model, Context, Outcome};
use crate::cli::{LabeledArgs, TrainArgs, TrainingArgs};
use propscan::error::{Error, Result};
use propscan::features::FeatureConfig;
use propscan::metrics::ThresholdRule;
use propscan::model::format;
use propscan::model::meta::LabelRecord;
use propscan::records::{read_labeled, resolve_labels, AtomicFile, InputFormat};
use propscan::train::{group_ids, warm_start};
use propscan::train::{train, TrainOptions, TrainingData};
use std::io::Write;
use std::time::Instant;

/// Parses `MIN-MAX` (or `0`) into character n-gram bounds.
fn parse_char_ngrams(s: &str) -> Result<(u8, u8)> {
    let bad = || Error::Usage(format!("--char-ngrams takes MIN-MAX (like 2-5) or 0 (got '{s}')"));
    if s.trim() == "0" {
        return Ok((0, 0));
    }
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    Ok((a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?))
}

/// Training options from the command line, checked.
pub(super) fn training_options(args: &TrainingArgs) -> Result<TrainOptions> {
    let (char_min, char_max) = parse_char_ngrams(&args.char_ngrams)?;
    let options = TrainOptions {
        features: FeatureConfig {
            buckets_log2: args.buckets_log2,
            word_ngram_max: args.word_ngrams,
            char_ngram_min: char_min,
            char_ngram_max: char_max,
            symbols: args.symbols,
            social: !args.no_social,
            window_words: args.window_words,
            stopwords: !args.keep_stopwords,
            stem: args.stem.into(),
            sublinear_tf: !args.raw_tf,
            min_df: args.min_df,
        },
        alpha: args.alpha,
        class_weight: args.class_weight.into(),
        max_iter: args.max_iter,
        tolerance: args.tol,
        cv_folds: args.cv_folds,
        seed: args.seed,
        threshold_rule: match (args.target_precision, args.target_recall, args.prevalence) {
            (Some(precision), _, Some(prevalence)) => ThresholdRule::TargetPrecisionAt { precision, prevalence },
            (Some(p), _, None) => ThresholdRule::TargetPrecision(p),
            (None, Some(r), _) => ThresholdRule::TargetRecall(r),
            (None, None, _) => ThresholdRule::MaxF1,
        },
        ..TrainOptions::default()
    };
    options.validate()?;
    Ok(options)
}

/// Labelled training data, the values of the extra columns asked for, and the line each row starts on.
pub(super) type Loaded = (TrainingData, Vec<Vec<String>>, Vec<u64>);

/// Reads labelled training data from every input, in order, with the values of the `extra` columns of every
/// row. With several inputs, a column named by `extra` or `--group-column` may be missing from some of them (its
/// values there are empty) but not from all.
pub(super) fn load_training_data(args: &LabeledArgs, extra: &[&str]) -> Result<Loaded> {
    let mut columns: Vec<&str> = extra.to_vec();
    if let Some(g) = &args.group_column {
        columns.push(g);
    }
    let (text, label) = (&args.columns.text_column, &args.label_column);
    let several = args.input.len() > 1;
    let mut rows = propscan::records::LabeledRows {
        extra: vec![Vec::new(); columns.len()],
        present: vec![false; columns.len()],
        ..Default::default()
    };
    for input in &args.input {
        let format = InputFormat::resolve(Some(input), args.columns.input_format())?;
        let part = read_labeled(Some(input), format, text, label, &columns, several, args.columns.read_options())?;
        rows.texts.extend(part.texts);
        rows.labels.extend(part.labels);
        rows.lines.extend(part.lines);
        for (k, values) in part.extra.into_iter().enumerate() {
            rows.extra[k].extend(values);
            rows.present[k] |= part.present[k];
        }
    }
    if let Some(k) = rows.present.iter().position(|&p| !p) {
        let names: Vec<String> = args.input.iter().map(|p| file_name(p)).collect();
        return Err(Error::Usage(format!("no input has a column '{}' (inputs: {})", columns[k], names.join(", "))));
    }
    let names: Vec<String> = args.input.iter().map(|p| file_name(p)).collect();
    let labels = resolve_labels(&rows.labels, args.positive.as_deref(), &names.join(" + "))?;
    let groups = match args.group_column {
        Some(_) => rows.extra.pop().map(|values| group_ids(&values)),
        None => None,
    };
    let data = TrainingData {
        texts: rows.texts,
        targets: labels.targets,
        labels: LabelRecord {
            text_column: args.columns.text_column.clone(),
            label_column: args.label_column.clone(),
            positive: labels.positive,
            negatives: labels.negatives,
            group_column: args.group_column.clone(),
        },
        source: names.join(" + "),
        groups,
    };
    Ok((data, rows.extra, rows.lines))
}

pub(super) fn run(args: TrainArgs, ctx: &Context) -> Result<Outcome> {
    let progress = &ctx.progress;
    let started = Instant::now();
    let options = training_options(&args.training)?;
    let mut read: Vec<&std::path::Path> = args.data.input.iter().map(|p| p.as_path()).collect();
    read.extend(args.warm_start.as_deref());
    super::refuse_overwriting_inputs(&args.output, &read)?;
    let output = AtomicFile::create(&args.output)?;
    let (data, _, _) = load_training_data(&args.data, &[])?;
    let model = match &args.warm_start {
        Some(path) => {
            let old = load_model(Some(path))?;
            let features = &old.model.meta().features;
            if options.features != FeatureConfig::default() && &options.features != features {
                return Err(Error::Usage(
                    "a warm start keeps the old model's features; drop the feature options \
                     (--buckets-log2, --word-ngrams, --char-ngrams, --symbols, --no-social, --window-words, --keep-stopwords, \
                     --stem, \
                     --min-df, --raw-tf)"
                        .into(),
                ));
            }
            warm_start(&old.model, &old.sha256, &data, &options, progress)?
        }
        None => train(&data, &options, progress)?,
    };
    let bytes = format::to_bytes(&model)?;
    let mut w = output.writer()?;
    w.write_all(&bytes).map_err(|e| Error::io(&args.output, e))?;
    drop(w);
    output.commit()?;

    let meta = model.meta();
    let mut msg = format!(
        "trained on {} rows ({} positive '{}') in {:.1} s; {} features; threshold {:.4}",
        meta.data.rows,
        meta.data.positives,
        meta.labels.positive,
        started.elapsed().as_secs_f64(),
        meta.fit.columns,
        meta.threshold
    );
    if let Some(cv) = &meta.cv {
        msg.push_str(&format!(
            "\n{}-fold cross-validation: precision {:.3}, recall {:.3}, F1 {:.3}, PR-AUC {:.3}",
            cv.folds,
            cv.at_threshold.precision,
            cv.at_threshold.recall,
            cv.at_threshold.f1,
            cv.pr_auc.unwrap_or(f64::NAN)
        ));
    }
    if !ctx.quiet {
        eprintln!("{msg}\nwrote {}", args.output.display());
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_ngram_ranges() {
        assert_eq!(parse_char_ngrams("2-5").expect("range"), (2, 5));
        assert_eq!(parse_char_ngrams("0").expect("off"), (0, 0));
        assert!(parse_char_ngrams("5").is_err());
        assert!(parse_char_ngrams("a-b").is_err());
    }
}
