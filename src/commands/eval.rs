//! `propscan eval`: a model measured on labelled data: confusion matrix, figures at the threshold, a threshold
//! table, figures per slice, and optionally an HTML report.

use super::{check_threshold, load_model, Context, Outcome};
use crate::cli::EvalArgs;
use propscan::error::{Error, Result};
use propscan::metrics::Report;
use propscan::metrics::{slice_table, slices, Slice};
use propscan::metrics::{threshold_table, ThresholdRow, CUTOFFS};
use propscan::records::{atomic_write, read_labeled, resolve_labels, AtomicFile, InputFormat};
use propscan::report::{render, ReportInput};
use propscan::score::score_texts;
use std::io::Write;

pub(super) fn run(args: EvalArgs, ctx: &Context) -> Result<Outcome> {
    let progress = &ctx.progress;
    check_threshold(args.threshold)?;
    if let Some(path) = &args.report {
        let read: Vec<&std::path::Path> =
            [Some(args.input.as_path()), args.model.as_deref()].into_iter().flatten().collect();
        super::refuse_overwriting_inputs(path, &read)?;
        AtomicFile::create(path)?; // an unwritable path fails before any work; dropped unwritten
    }
    let loaded = load_model(args.model.as_deref())?;
    let model = &loaded.model;
    let threshold = args.threshold.unwrap_or(model.threshold());
    let format = InputFormat::resolve(Some(&args.input), args.columns.input_format())?;
    let by: Vec<&str> = args.by.iter().map(String::as_str).collect();
    let (text, label) = (&args.columns.text_column, &args.label_column);
    let rows = read_labeled(Some(&args.input), format, text, label, &by, false, args.columns.read_options())?;
    let source = args.input.display().to_string();
    let positive = args.positive.clone().unwrap_or_else(|| model.meta().labels.positive.clone());
    let labels = resolve_labels(&rows.labels, Some(&positive), &source)?;

    progress.stage("scoring", Some(rows.texts.len() as u64), "rows");
    let texts: Vec<&str> = rows.texts.iter().map(String::as_str).collect();
    let scores = score_texts(model, &texts, &Default::default());
    progress.finish();
    let targets = &labels.targets;
    let report = Report::new(&scores, targets, threshold);
    let mut cutoffs = CUTOFFS.to_vec();
    cutoffs.push(threshold);
    let table = threshold_table(&scores, targets, &cutoffs);
    let flagged: Vec<bool> = scores.iter().map(|&s| s as f64 >= threshold).collect();
    let sliced: Vec<Vec<Slice>> =
        by.iter().zip(&rows.extra).map(|(column, values)| slices(column, values, &flagged, targets)).collect();

    if let Some(path) = &args.report {
        let origin = if args.threshold.is_some() { "given" } else { "the model's" };
        let page = render(&ReportInput {
            title: format!("{} on {}", loaded.name, source),
            facts: vec![
                ("model".into(), loaded.name.clone()),
                ("model SHA-256".into(), loaded.sha256.clone()),
                ("input".into(), source.clone()),
                ("positive label".into(), labels.positive.clone()),
                ("threshold".into(), format!("{threshold:.4} ({origin})")),
                ("created by".into(), format!("propscan {}", env!("CARGO_PKG_VERSION"))),
            ],
            scores: &scores,
            labels: targets,
            report: &report,
            table: &table,
            slices: &sliced,
        });
        atomic_write(path, |w| w.write_all(page.as_bytes()))?;
    }

    let text = if args.json {
        let mut v = serde_json::to_value(&report).map_err(|e| Error::Usage(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("model".into(), loaded.name.clone().into());
            obj.insert("model_sha256".into(), loaded.sha256.clone().into());
            obj.insert("input".into(), source.clone().into());
            obj.insert("positive".into(), labels.positive.clone().into());
            obj.insert("thresholds".into(), serde_json::json!(table));
            let s: serde_json::Map<String, serde_json::Value> =
                by.iter().zip(&sliced).map(|(c, s)| (c.to_string(), serde_json::json!(s))).collect();
            obj.insert("slices".into(), s.into());
        }
        format!("{v}\n")
    } else {
        let mut t = summary(&report, &source, &loaded.name, &labels.positive, args.threshold.is_some());
        t.push_str(&thresholds(&table, threshold));
        for s in &sliced {
            t.push('\n');
            t.push_str(&slice_table(s));
        }
        t
    };
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(Outcome::Success)
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.4}"))
}

/// The threshold table, the row of the threshold in use marked.
fn thresholds(table: &[ThresholdRow], threshold: f64) -> String {
    let mut out =
        format!("\n{:>10} {:>9} {:>9} {:>7} {:>7} {:>7}\n", "threshold", "flagged", "precision", "recall", "f1", "fpr");
    for r in table {
        out.push_str(&format!(
            "{:>10.4} {:>9} {:>9.3} {:>7.3} {:>7.3} {:>7.3}{}\n",
            r.threshold,
            r.flagged,
            r.precision,
            r.recall,
            r.f1,
            r.fpr,
            if r.threshold == threshold { "  <- in use" } else { "" }
        ));
    }
    out
}

/// The readable report.
fn summary(r: &Report, input: &str, model: &str, positive: &str, user_threshold: bool) -> String {
    let origin = if user_threshold { "given" } else { "the model's" };
    format!(
        "input      {input}: {n} rows, {p} labelled '{positive}'\n\
         model      {model}, threshold {t:.4} ({origin})\n\
         \n\
         {blank:>20}{a:>14}{b:>14}\n\
         {ap:>20}{tp:>14}{fnn:>14}\n\
         {an:>20}{fp:>14}{tn:>14}\n\
         \n\
         precision  {pr:.4}\n\
         recall     {re:.4}\n\
         f1         {f1:.4}\n\
         accuracy   {acc:.4}\n\
         roc_auc    {roc}\n\
         pr_auc     {prauc}\n",
        n = r.n,
        p = r.positives,
        t = r.threshold,
        blank = "",
        a = "flagged",
        b = "not flagged",
        ap = "actual positive",
        an = "actual negative",
        tp = r.tp,
        fnn = r.fn_,
        fp = r.fp,
        tn = r.tn,
        pr = r.precision,
        re = r.recall,
        f1 = r.f1,
        acc = r.accuracy,
        roc = opt(r.roc_auc),
        prauc = opt(r.pr_auc),
    )
}
