//! `propscan explain`: one text's score and the evidence for it, highlighted in the terminal.

use super::{check_threshold, load_model, Context, Outcome};
use crate::cli::ExplainArgs;
use propscan::error::{Error, Result};
use propscan::explain::{Explainer, Explanation};
use std::io::{IsTerminal, Read, Write};

pub(super) fn run(args: ExplainArgs, _ctx: &Context) -> Result<Outcome> {
    check_threshold(args.threshold)?;
    if args.top == 0 || args.top > 100 {
        return Err(Error::Usage("--top takes a number of features from 1 to 100".into()));
    }
    let text = match args.text.as_deref() {
        None | Some("-") => {
            super::tell_if_waiting_on_a_terminal(false);
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| Error::io("<stdin>", e))?;
            s.trim_end_matches(['\n', '\r']).to_string()
        }
        Some(t) => t.to_string(),
    };
    let loaded = load_model(args.model.as_deref())?;
    let model = &loaded.model;
    let explanation = Explainer::new(model).explain(&text, args.top);
    let threshold = args.threshold.unwrap_or(model.threshold());
    let mut out = std::io::stdout().lock();
    let rendered = if args.json {
        let v = serde_json::json!({
            "text": text,
            "score": explanation.score,
            "flagged": explanation.score as f64 >= threshold,
            "threshold": threshold,
            "model": loaded.name,
            "model_sha256": loaded.sha256,
            "evidence": explanation.evidence,
            "window": explanation.window,
        });
        format!("{v}\n")
    } else {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        render(&text, &explanation, threshold, color)
    };
    out.write_all(rendered.as_bytes()).map_err(|e| Error::io("<stdout>", e))?;
    Ok(Outcome::Success)
}

/// The readable form: decision, the text with evidence marked, and the evidence list.
pub(crate) fn render(text: &str, e: &Explanation, threshold: f64, color: bool) -> String {
    let flagged = e.score as f64 >= threshold;
    let mut out = format!(
        "score {:.4}: {} (threshold {threshold:.4})\n\n",
        e.score,
        if flagged { "flagged" } else { "not flagged" }
    );
    let chars: Vec<char> = text.chars().collect();
    let mut marked = vec![false; chars.len()];
    for ev in &e.evidence {
        for s in &ev.spans {
            for m in marked.iter_mut().take(s.end).skip(s.start) {
                *m = true;
            }
        }
    }
    let (open, close) = if color { ("\x1b[1;33m", "\x1b[0m") } else { ("[", "]") };
    let mut inside = false;
    for (c, &m) in chars.iter().zip(&marked) {
        if m != inside {
            out.push_str(if m { open } else { close });
            inside = m;
        }
        out.push(*c);
    }
    if inside {
        out.push_str(close);
    }
    out.push_str("\n\n");
    if let Some(w) = &e.window {
        out.push_str(&format!(
            "scored by its window {}..{} (the highest-scoring part of a long text)\n",
            w.start, w.end
        ));
    }
    if e.evidence.is_empty() {
        out.push_str("no feature raised the score\n");
    }
    for ev in &e.evidence {
        let at: Vec<String> = ev.spans.iter().map(|s| format!("{}..{} {:?}", s.start, s.end, s.text)).collect();
        let kind = serde_json::to_value(ev.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        out.push_str(&format!("  {:+.3}  {} ({kind})  at {}\n", ev.contribution, ev.feature, at.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use propscan::explain::{Evidence, Span};
    use propscan::features::FeatureKind;

    #[test]
    fn marks_spans_in_brackets() {
        let e = Explanation {
            score: 0.9,
            evidence: vec![Evidence {
                feature: "hijrah".into(),
                kind: FeatureKind::Word,
                contribution: 1.5,
                spans: vec![Span { start: 5, end: 11, text: "hijrah".into() }],
            }],
            window: None,
        };
        let r = render("make hijrah now", &e, 0.5, false);
        assert!(r.starts_with("score 0.9000: flagged"), "{r}");
        assert!(r.contains("make [hijrah] now"), "{r}");
        assert!(r.contains("+1.500  hijrah (word)  at 5..11 \"hijrah\""), "{r}");
        assert!(render("x", &e, 0.95, true).contains("not flagged"));
    }
}
