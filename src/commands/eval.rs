//! `propscan eval`: a model measured on labelled data.

use super::{check_threshold, load_model, Context, Outcome};
use crate::cli::EvalArgs;
use crate::error::{Error, Result};
use crate::metrics::Report;
use crate::records::{read_labeled, resolve_labels, InputFormat};
use crate::score::score_texts;
use std::io::Write;

pub(super) fn run(args: EvalArgs, ctx: &Context) -> Result<Outcome> {
    let progress = &ctx.progress;
    check_threshold(args.threshold)?;
    let loaded = load_model(args.model.as_deref())?;
    let model = &loaded.model;
    let threshold = args.threshold.unwrap_or(model.threshold());
    let format = InputFormat::resolve(Some(&args.input), args.columns.input_format)?;
    let rows = read_labeled(Some(&args.input), format, &args.columns.text_column, &args.label_column, &[])?;
    let source = args.input.display().to_string();
    let positive = args.positive.clone().unwrap_or_else(|| model.meta().labels.positive.clone());
    let labels = resolve_labels(&rows.labels, Some(&positive), &source)?;

    progress.stage("scoring", Some(rows.texts.len() as u64), "rows");
    let texts: Vec<&str> = rows.texts.iter().map(String::as_str).collect();
    let mut scorers = Vec::new();
    let scores = score_texts(model, &texts, &mut scorers);
    progress.finish();
    let report = Report::new(&scores, &labels.targets, threshold);

    let mut out = std::io::stdout().lock();
    let text = if args.json {
        let mut v = serde_json::to_value(&report).map_err(|e| Error::Usage(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("model".into(), loaded.name.clone().into());
            obj.insert("model_sha256".into(), loaded.sha256.clone().into());
            obj.insert("input".into(), source.clone().into());
            obj.insert("positive".into(), labels.positive.clone().into());
        }
        format!("{v}\n")
    } else {
        table(&report, &source, &loaded.name, &labels.positive, args.threshold.is_some())
    };
    out.write_all(text.as_bytes()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(Outcome::Success)
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.4}"))
}

/// The readable report.
fn table(r: &Report, input: &str, model: &str, positive: &str, user_threshold: bool) -> String {
    let c = r;
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
        tp = c.tp,
        fnn = c.fn_,
        fp = c.fp,
        tn = c.tn,
        pr = r.precision,
        re = r.recall,
        f1 = r.f1,
        acc = r.accuracy,
        roc = opt(r.roc_auc),
        prauc = opt(r.pr_auc),
    )
}
