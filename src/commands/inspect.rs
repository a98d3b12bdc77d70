//! `propscan inspect`: how a model was made.

use super::{load_model, Outcome};
use crate::cli::InspectArgs;
use propscan::error::{Error, Result};
use propscan::model::meta::NamedFeature;
use std::io::Write;

pub(super) fn run(args: InspectArgs) -> Result<Outcome> {
    let loaded = load_model(args.model.as_deref())?;
    let meta = loaded.model.meta();
    let text = if args.json {
        let mut v = serde_json::to_value(meta).map_err(|e| Error::Usage(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("format_version".into(), loaded.format_version.into());
            obj.insert(
                "file".into(),
                serde_json::json!({"name": loaded.name, "bytes": loaded.bytes, "sha256": loaded.sha256}),
            );
        }
        format!("{}\n", serde_json::to_string_pretty(&v).map_err(|e| Error::Usage(e.to_string()))?)
    } else {
        let f = &meta.features;
        let t = &meta.training;
        let mut s = format!(
            "model        {} ({} bytes, sha256 {})\n\
             format       version {}, written by {} (Unicode {})\n\
             labels       positive '{}' vs [{}]; text column '{}', label column '{}'\n\
             threshold    {:.4} ({})\n\
             data         {}: {} rows, {} positive, sha256 {}\n\
             features     2^{} buckets; word 1-{} grams{}; char {}; stem {}; {} tf; min_df {}{}; {}\n\
             training     alpha {}, class weight {}, max_iter {}, tolerance {}, cv folds {}, seed {}\n\
             fit          {} iterations ({}), {} weighted buckets, {} non-zeros\n",
            loaded.name,
            loaded.bytes,
            loaded.sha256,
            loaded.format_version,
            meta.created_by,
            meta.unicode_version,
            meta.labels.positive,
            meta.labels.negatives.join(", "),
            meta.labels.text_column,
            meta.labels.label_column,
            meta.threshold,
            match t.threshold_rule {
                propscan::metrics::ThresholdRule::MaxF1 if meta.cv.is_some() => "best cross-validated F1".to_string(),
                propscan::metrics::ThresholdRule::MaxF1 => "fixed".to_string(),
                propscan::metrics::ThresholdRule::TargetPrecision(p) => format!("cross-validated precision >= {p}"),
                propscan::metrics::ThresholdRule::TargetRecall(r) => format!("cross-validated recall >= {r}"),
                propscan::metrics::ThresholdRule::TargetPrecisionAt { precision, prevalence } => {
                    format!("cross-validated precision >= {precision} at a prevalence of {prevalence}")
                }
            },
            meta.data.source,
            meta.data.rows,
            meta.data.positives,
            meta.data.sha256,
            f.buckets_log2,
            f.word_ngram_max,
            if f.symbols { " with symbols" } else { "" },
            if f.char_ngram_min == 0 {
                "off".to_string()
            } else {
                format!("{}-{} grams", f.char_ngram_min, f.char_ngram_max)
            },
            serde_name(f.stem),
            if f.sublinear_tf { "sublinear" } else { "raw" },
            f.min_df,
            if f.social { "; social-media markup handled" } else { "" },
            if f.window_words > 0 { format!("windows over {} words", f.window_words) } else { "no windows".into() },
            t.alpha,
            serde_name(t.class_weight),
            t.max_iter,
            match t.tolerance {
                propscan::model::meta::Tolerance::Relative(r) => format!("{r} of the starting gradient norm"),
                propscan::model::meta::Tolerance::Absolute(a) => format!("gradient norm {a}"),
            },
            t.cv_folds,
            t.seed,
            meta.fit.iterations,
            meta.fit.termination,
            meta.fit.columns,
            meta.fit.nonzeros,
        );
        if let Some(cv) = &meta.cv {
            s.push_str(&format!(
                "cv           precision {:.4}, recall {:.4}, F1 {:.4}, ROC-AUC {:.4}, PR-AUC {:.4}\n",
                cv.at_threshold.precision,
                cv.at_threshold.recall,
                cv.at_threshold.f1,
                cv.roc_auc.unwrap_or(f64::NAN),
                cv.pr_auc.unwrap_or(f64::NAN)
            ));
        }
        if let Some(w) = &t.warm_start {
            s.push_str(&format!(
                "warm start   from model sha256 {} (trained on {} rows, data sha256 {})\n",
                w.model_sha256, w.model_rows, w.model_data_sha256
            ));
        }
        if let Some(g) = &meta.labels.group_column {
            s.push_str(&format!("groups       cross-validation kept rows with the same '{g}' together\n"));
        }
        s.push_str("\nstrongest positive features\n");
        list(&mut s, &meta.top_features.positive, args.top);
        s.push_str("\nstrongest negative features\n");
        list(&mut s, &meta.top_features.negative, args.top);
        s
    };
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(Outcome::Success)
}

/// The name an option value has in the model's JSON (`none`, `balanced`, ...).
fn serde_name(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn list(s: &mut String, features: &[NamedFeature], top: usize) {
    for f in features.iter().take(top) {
        let names: Vec<String> = f.ngrams.iter().map(|n| format!("\"{n}\"")).collect();
        s.push_str(&format!("  {:+8.3}  {}\n", f.weight, names.join("  ")));
    }
}
