//! `propscan cv`: cross-validated figures of the training procedure, per fold, pooled, and per slice.

use super::train::{load_training_data, training_options};
use super::{Context, Outcome};
use crate::cli::CvArgs;
use propscan::crossval::{cross_validate, mean_sd, CrossValidation, FoldResult};
use propscan::error::{Error, Result};
use propscan::metrics::{slice_table, slices, Slice};
use propscan::metrics::{Report, ThresholdRule};
use propscan::records::{atomic_write, AtomicFile};
use propscan::train::TrainingData;
use serde_json::{json, Value};
use std::io::Write;

pub(super) fn run(args: CvArgs, ctx: &Context) -> Result<Outcome> {
    let options = training_options(&args.training)?;
    if let Some(path) = &args.output {
        let read: Vec<&std::path::Path> = args.data.input.iter().map(|p| p.as_path()).collect();
        super::refuse_overwriting_inputs(path, &read)?;
        AtomicFile::create(path)?; // fails early on an unwritable path; dropped unwritten
    }
    let by: Vec<&str> = args.by.iter().map(String::as_str).collect();
    let (data, extra, lines) = load_training_data(&args.data, &by)?;
    let cv = cross_validate(&data, &options, args.folds as usize, args.training.seed, &ctx.progress)?;
    if let Some(path) = &args.output {
        atomic_write(path, |w| {
            writeln!(w, "row,line,fold,label,score,flagged")?;
            for (i, line) in lines.iter().enumerate() {
                writeln!(
                    w,
                    "{},{line},{},{},{},{}",
                    i + 1,
                    cv.fold_of[i] + 1,
                    u8::from(data.targets[i]),
                    cv.scores[i],
                    cv.flagged[i]
                )?;
            }
            Ok(())
        })?;
    }
    let pooled = Report::with_confusion(&cv.scores, &data.targets, cv.confusion(&data.targets), f64::NAN);
    let sliced: Vec<Vec<Slice>> =
        by.iter().zip(&extra).map(|(column, values)| slices(column, values, &cv.flagged, &data.targets)).collect();

    let text = if args.json {
        let mut v = json!({
            "input": data.source,
            "rows": data.texts.len(),
            "positives": pooled.positives,
            "folds": cv.folds,
            "seed": args.training.seed,
            "group_column": data.labels.group_column,
            "threshold_rule": options.threshold_rule,
            "mean_sd": summary(&cv),
            "pooled": pooled,
            "precision_at_prevalence": {
                "prevalence": prevalence_of(options.threshold_rule),
                "precision": cv.confusion(&data.targets).precision_at(prevalence_of(options.threshold_rule)),
            },
            "slices": sliced.iter().zip(&by).map(|(s, c)| (c.to_string(), json!(s))).collect::<serde_json::Map<_, _>>(),
        });
        if let Some(p) = v.get_mut("pooled").and_then(Value::as_object_mut) {
            p.remove("threshold"); // each fold had its own
        }
        format!("{v}\n")
    } else {
        table(&data, &cv, &pooled, &sliced, &args, options.threshold_rule)
    };
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(Outcome::Success)
}

/// Mean and standard deviation across folds of each figure: threshold, precision, recall, F1, ROC-AUC, PR-AUC.
fn fold_stats(cv: &CrossValidation) -> [(&'static str, f64, f64); 6] {
    let stat = |name, f: &dyn Fn(&FoldResult) -> Option<f64>| {
        let (mean, sd) = mean_sd(cv.folds.iter().filter_map(f));
        (name, mean, sd)
    };
    [
        stat("threshold", &|f| Some(f.threshold)),
        stat("precision", &|f| Some(f.precision)),
        stat("recall", &|f| Some(f.recall)),
        stat("f1", &|f| Some(f.f1)),
        stat("roc_auc", &|f| f.roc_auc),
        stat("pr_auc", &|f| f.pr_auc),
    ]
}

/// The same as JSON: `{figure: {mean, sd}}`.
fn summary(cv: &CrossValidation) -> Value {
    fold_stats(cv).iter().map(|&(name, mean, sd)| (name.to_string(), json!({ "mean": mean, "sd": sd }))).collect()
}

/// The prevalence the rule assumes, or 1 % (a realistic share of calls to action in a moderation queue).
fn prevalence_of(rule: ThresholdRule) -> f64 {
    match rule {
        ThresholdRule::TargetPrecisionAt { prevalence, .. } => prevalence,
        _ => 0.01,
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |x| format!("{x:.3}"))
}

/// The readable report.
fn table(
    data: &TrainingData,
    cv: &CrossValidation,
    pooled: &Report,
    sliced: &[Vec<Slice>],
    args: &CvArgs,
    rule: ThresholdRule,
) -> String {
    let grouping = match &data.labels.group_column {
        Some(g) => format!("stratified, rows with the same '{g}' kept together"),
        None => "stratified".to_string(),
    };
    let mut out = format!(
        "input      {}: {} rows, {} labelled '{}'\n\
         folds      {} ({grouping}), seed {}; each fold's threshold chosen for {} by {}-fold \
         cross-validation inside its training rows\n\n",
        data.source,
        pooled.n,
        pooled.positives,
        data.labels.positive,
        args.folds,
        args.training.seed,
        rule.describe(),
        args.training.cv_folds,
    );
    out.push_str(&format!(
        "{:<10} {:>7} {:>6} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7}\n",
        "fold", "rows", "pos", "threshold", "precision", "recall", "f1", "roc_auc", "pr_auc"
    ));
    for (k, f) in cv.folds.iter().enumerate() {
        out.push_str(&format!(
            "{:<10} {:>7} {:>6} {:>9.4} {:>9.3} {:>7.3} {:>7.3} {:>7} {:>7}\n",
            k + 1,
            f.rows,
            f.positives,
            f.threshold,
            f.precision,
            f.recall,
            f.f1,
            opt(f.roc_auc),
            opt(f.pr_auc)
        ));
    }
    let s = fold_stats(cv);
    out.push_str(&format!(
        "{:<10} {:>7} {:>6} {:>9.4} {:>9.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3}\n",
        "mean", "", "", s[0].1, s[1].1, s[2].1, s[3].1, s[4].1, s[5].1
    ));
    out.push_str(&format!(
        "{:<10} {:>7} {:>6} {:>9.4} {:>9.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3}\n",
        "sd", "", "", s[0].2, s[1].2, s[2].2, s[3].2, s[4].2, s[5].2
    ));
    out.push_str(&format!(
        "{:<10} {:>7} {:>6} {:>9} {:>9.3} {:>7.3} {:>7.3} {:>7} {:>7}\n",
        "pooled",
        pooled.n,
        pooled.positives,
        "per fold",
        pooled.precision,
        pooled.recall,
        pooled.f1,
        opt(pooled.roc_auc),
        opt(pooled.pr_auc)
    ));
    out.push_str(&format!(
        "\nout-of-fold decisions: {} true positives, {} false positives, {} true negatives, {} false negatives\n",
        pooled.tp, pooled.fp, pooled.tn, pooled.fn_
    ));
    let confusion = cv.confusion(&data.targets);
    let prevalence = prevalence_of(rule);
    out.push_str(&format!(
        "false-positive rate {:.4}; where {} % of texts are calls to action, these decisions would have precision \
         {:.3}\n",
        ratio(confusion.fp, confusion.fp + confusion.tn),
        prevalence * 100.0,
        confusion.precision_at(prevalence)
    ));
    for s in sliced {
        out.push('\n');
        out.push_str(&slice_table(s));
    }
    out
}
