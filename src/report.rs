//! `eval --report`: one self-contained HTML file (inline SVG and CSS, no network) with the ROC and
//! precision-recall curves, score histograms per label, the confusion matrix, the threshold table and the
//! per-slice tables. A few lines of inline script count the charts that rendered, for tests and for readers
//! who want to know the page is complete.

use crate::metrics::curve::{curve, histogram, CurvePoint, ThresholdRow};
use crate::metrics::slices::Slice;
use crate::metrics::Report;
use std::fmt::Write as _;

/// What the report is about.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// Title line, e.g. the model and input names.
    pub title: String,
    /// Lines of context (model hash, input, positive label, threshold origin).
    pub facts: Vec<(String, String)>,
    /// Scores and labels of every row.
    pub scores: &'a [f32],
    /// Labels.
    pub labels: &'a [bool],
    /// Figures at the threshold.
    pub report: &'a Report,
    /// The threshold table.
    pub table: &'a [ThresholdRow],
    /// Per-slice tables, one per column.
    pub slices: &'a [Vec<Slice>],
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const W: f64 = 360.0;
const H: f64 = 280.0;
const PAD: f64 = 40.0;

fn axes(out: &mut String, x_label: &str, y_label: &str) {
    let (x0, y0, x1, y1) = (PAD, H - PAD, W - 10.0, 10.0);
    let _ =
        write!(out, "<rect x='{x0}' y='{y1}' width='{}' height='{}' fill='#fafafa' stroke='#999'/>", x1 - x0, y0 - y1);
    for i in 0..=4 {
        let f = i as f64 / 4.0;
        let x = x0 + f * (x1 - x0);
        let y = y0 - f * (y0 - y1);
        let _ = write!(
            out,
            "<text x='{x}' y='{}' font-size='10' text-anchor='middle'>{f:.2}</text>\
             <text x='{}' y='{}' font-size='10' text-anchor='end'>{f:.2}</text>",
            y0 + 14.0,
            x0 - 4.0,
            y + 3.0
        );
    }
    let _ = write!(
        out,
        "<text x='{}' y='{}' font-size='11' text-anchor='middle'>{x_label}</text>\
         <text x='12' y='{}' font-size='11' text-anchor='middle' transform='rotate(-90 12 {})'>{y_label}</text>",
        (x0 + x1) / 2.0,
        H - 6.0,
        (y0 + y1) / 2.0,
        (y0 + y1) / 2.0
    );
}

fn to_xy(fx: f64, fy: f64) -> (f64, f64) {
    (PAD + fx * (W - 10.0 - PAD), (H - PAD) - fy * (H - PAD - 10.0))
}

fn line_chart(id: &str, title: &str, points: &[(f64, f64)], x_label: &str, y_label: &str, diagonal: bool) -> String {
    let mut s = format!("<figure class='chart' id='{id}'><figcaption>{title}</figcaption><svg width='{W}' height='{H}' viewBox='0 0 {W} {H}' role='img'>");
    axes(&mut s, x_label, y_label);
    if diagonal {
        let (a, b) = (to_xy(0.0, 0.0), to_xy(1.0, 1.0));
        let _ =
            write!(s, "<line x1='{}' y1='{}' x2='{}' y2='{}' stroke='#bbb' stroke-dasharray='4'/>", a.0, a.1, b.0, b.1);
    }
    let pts: Vec<String> = points
        .iter()
        .map(|&(x, y)| {
            let (px, py) = to_xy(x.clamp(0.0, 1.0), y.clamp(0.0, 1.0));
            format!("{px:.1},{py:.1}")
        })
        .collect();
    let _ = write!(
        s,
        "<polyline fill='none' stroke='#1f5fa8' stroke-width='2' points='{}'/></svg></figure>",
        pts.join(" ")
    );
    s
}

fn histogram_chart(scores: &[f32], labels: &[bool], threshold: f64) -> String {
    let bins = 20;
    let (pos, neg) = histogram(scores, labels, bins);
    let (tp, tn) = (pos.iter().sum::<u64>().max(1) as f64, neg.iter().sum::<u64>().max(1) as f64);
    let top =
        pos.iter().map(|&c| c as f64 / tp).chain(neg.iter().map(|&c| c as f64 / tn)).fold(0.0, f64::max).max(1e-9);
    let mut s = format!("<figure class='chart' id='histogram'><figcaption>Scores by label (share of each label per bin; the tallest bar, {:.1} % of its label, reaches the top)</figcaption><svg width='{W}' height='{H}' viewBox='0 0 {W} {H}' role='img'>", top * 100.0);
    axes(&mut s, "score", "share of label / tallest bar");
    let bw = (W - 10.0 - PAD) / bins as f64;
    for b in 0..bins {
        for (k, (count, total, color)) in [(pos[b], tp, "#c0392b"), (neg[b], tn, "#7f8c8d")].into_iter().enumerate() {
            let share = count as f64 / total / top;
            let (x, y) = to_xy(b as f64 / bins as f64, share);
            let h = (H - PAD) - y;
            let _ = write!(
                s,
                "<rect x='{:.1}' y='{y:.1}' width='{:.1}' height='{h:.1}' fill='{color}' opacity='0.8'><title>{} {count}</title></rect>",
                x + k as f64 * bw / 2.0,
                bw / 2.0,
                if k == 0 { "positive" } else { "negative" }
            );
        }
    }
    let (tx, _) = to_xy(threshold.clamp(0.0, 1.0), 0.0);
    let _ = write!(s, "<line x1='{tx:.1}' y1='10' x2='{tx:.1}' y2='{}' stroke='#000' stroke-dasharray='3'/>", H - PAD);
    let _ = write!(s, "<text x='{}' y='24' font-size='10'>■ positive</text><text x='{}' y='36' font-size='10' fill='#7f8c8d'>■ negative</text></svg></figure>", W - 90.0, W - 90.0);
    s.replacen("■ positive", "<tspan fill='#c0392b'>■</tspan> positive", 1)
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |x| format!("{x:.3}"))
}

/// The whole page.
pub fn render(input: &ReportInput) -> String {
    let r = input.report;
    let points: Vec<CurvePoint> = curve(input.scores, input.labels, 800);
    let roc: Vec<(f64, f64)> = std::iter::once((0.0, 0.0)).chain(points.iter().map(|p| (p.fpr, p.recall))).collect();
    let pr: Vec<(f64, f64)> = points.iter().map(|p| (p.recall, p.precision)).collect();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{t}</title><style>\
         body{{font-family:system-ui,sans-serif;margin:24px;color:#222}} table{{border-collapse:collapse;margin:8px 0 20px}}\
         td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}} th{{background:#f0f0f0}} td:first-child,th:first-child{{text-align:left}}\
         .facts td{{text-align:left}} .charts{{display:flex;flex-wrap:wrap;gap:16px}} figure{{margin:0}} figcaption{{font-weight:600;margin-bottom:4px}}\
         </style></head><body><h1>propscan evaluation</h1><p>{t}</p><table class='facts'>",
        t = escape(&input.title)
    );
    for (k, v) in &input.facts {
        let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
    }
    let _ = write!(
        h,
        "</table><h2>At threshold {:.4}</h2><table><tr><th></th><th>flagged</th><th>not flagged</th></tr>\
         <tr><th>actual positive</th><td>{}</td><td>{}</td></tr><tr><th>actual negative</th><td>{}</td><td>{}</td></tr></table>\
         <table><tr><th>precision</th><th>recall</th><th>F1</th><th>accuracy</th><th>ROC-AUC</th><th>PR-AUC</th><th>rows</th><th>positives</th></tr>\
         <tr><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td><td>{:.4}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></table>",
        r.threshold, r.tp, r.fn_, r.fp, r.tn, r.precision, r.recall, r.f1, r.accuracy, opt(r.roc_auc), opt(r.pr_auc), r.n, r.positives
    );
    h.push_str("<div class='charts'>");
    h.push_str(&line_chart("pr", "Precision–recall curve", &pr, "recall", "precision", false));
    h.push_str(&line_chart("roc", "ROC curve", &roc, "false-positive rate", "recall", true));
    h.push_str(&histogram_chart(input.scores, input.labels, r.threshold));
    h.push_str("</div><h2>Thresholds</h2><table><tr><th>threshold</th><th>flagged</th><th>precision</th><th>recall</th><th>F1</th><th>FPR</th></tr>");
    for t in input.table {
        let _ = write!(
            h,
            "<tr><td>{:.4}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            t.threshold, t.flagged, t.precision, t.recall, t.f1, t.fpr
        );
    }
    h.push_str("</table>");
    for slices in input.slices {
        let Some(first) = slices.first() else { continue };
        let _ = write!(
            h,
            "<h2>By {}</h2><table><tr><th>{}</th><th>rows</th><th>positives</th><th>TP</th><th>FP</th><th>precision</th><th>recall</th><th>F1</th><th>FPR</th></tr>",
            escape(&first.column),
            escape(&first.column)
        );
        for s in slices {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.value),
                s.rows,
                s.positives,
                s.confusion.tp,
                s.confusion.fp,
                opt(s.precision),
                opt(s.recall),
                opt(s.f1),
                opt(s.fpr)
            );
        }
        h.push_str("</table>");
    }
    h.push_str(
        "<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('figure.chart svg')\
         .forEach(function(s){var b=s.getBoundingClientRect();if(b.width>0&&b.height>0&&s.querySelector('polyline,rect'))n++;});\
         document.body.setAttribute('data-charts-rendered',String(n));});</script></body></html>\n",
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::curve::threshold_table;

    #[test]
    fn the_histogram_says_its_bars_are_relative_to_the_tallest() {
        // 3 of 4 positives in one bin: that bar is 75 % of its label and reaches the top of the chart.
        let scores = [0.92, 0.93, 0.94, 0.1, 0.2, 0.3];
        let labels = [true, true, true, true, false, false];
        let chart = histogram_chart(&scores, &labels, 0.5);
        assert!(chart.contains("the tallest bar, 75.0 % of its label, reaches the top"), "{chart}");
        assert!(chart.contains("share of label / tallest bar"));
    }

    #[test]
    fn page_has_charts_tables_and_escapes_text() {
        let scores = [0.9, 0.8, 0.4, 0.3, 0.6];
        let labels = [true, false, true, false, false];
        let report = Report::new(&scores, &labels, 0.5);
        let table = threshold_table(&scores, &labels, &[0.5, 0.7]);
        let slice = crate::metrics::slices::slices(
            "lang",
            &["<b>en</b>".into(), "ru".into(), "en".into(), "ru".into(), "x".into()],
            &[true, true, false, false, true],
            &labels,
        );
        let page = render(&ReportInput {
            title: "model <x> & data".into(),
            facts: vec![("input".into(), "a\"b".into())],
            scores: &scores,
            labels: &labels,
            report: &report,
            table: &table,
            slices: &[slice],
        });
        for id in
            ["id='pr'", "id='roc'", "id='histogram'", "By lang", "&lt;b&gt;en&lt;/b&gt;", "model &lt;x&gt; &amp; data"]
        {
            assert!(page.contains(id), "missing {id}");
        }
        assert!(!page.contains("<b>en") && !page.contains("http"), "no raw input, no network");
        assert_eq!(page.matches("<polyline").count(), 2);
    }
}
