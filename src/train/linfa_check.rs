//! (Unit tests.) propscan's sparse trainer minimises linfa-logistic's objective with the same solver (argmin L-BFGS, memory
//! 10, More-Thuente line search); on a small dense problem both must reach the same weights.
//!
//! The positive class is the minority on purpose: linfa-logistic 0.8.1 calls the *more frequent* class
//! positive (upstream issue #393), so its parameters are oriented by `labels()` before comparing.

use super::design::ExplicitRows;
use super::fit::{fit_logistic, FitOptions, Tolerance};
use super::objective::sigmoid;
use crate::features::SparseRows;
use crate::metrics::{roc_auc, Confusion};
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

/// A deterministic problem: 120 rows, 6 features (some rows sparse), about 30 % positive, with label noise.
fn problem() -> (Array2<f64>, Vec<bool>) {
    let (n, f) = (120, 6);
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut uniform = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let truth = [1.5, -2.0, 0.7, 0.0, 1.1, -0.4];
    let mut x = Array2::zeros((n, f));
    let mut y = Vec::with_capacity(n);
    for i in 0..n {
        let mut z = -1.3;
        for j in 0..f {
            if uniform() < 0.6 {
                // Exactly representable in f32, the precision of propscan's sparse matrix.
                let v = (uniform() * 2.0 - 0.5) as f32 as f64;
                x[[i, j]] = v;
                z += truth[j] * v;
            }
        }
        y.push(uniform() < sigmoid(z));
    }
    (x, y)
}

#[test]
fn same_weights_as_linfa_logistic() {
    let (x, y) = problem();
    let positives = y.iter().filter(|&&t| t).count();
    assert!(positives * 2 < y.len(), "the positive class must be the minority ({positives} of {})", y.len());

    let alpha = 1.0;
    let dataset = Dataset::new(x.clone(), Array1::from(y.clone()));
    let linfa = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(1000)
        .gradient_tolerance(1e-10)
        .fit(&dataset)
        .expect("linfa-logistic fits");
    // Orient linfa's parameters so that they give P(true).
    let sign = if linfa.labels().pos.class { 1.0 } else { -1.0 };
    let linfa_w: Vec<f64> = linfa.params().iter().map(|w| sign * w).collect();
    let linfa_b = sign * linfa.intercept();

    let mut sparse = SparseRows::new();
    for row in x.rows() {
        sparse.push_row(row.iter().enumerate().filter(|(_, v)| **v != 0.0).map(|(j, v)| (j as u32, *v as f32)));
    }
    let options = FitOptions { alpha, max_iter: 1000, tolerance: Tolerance::Absolute(1e-10), memory: 10 };
    let design = ExplicitRows::new(&sparse, x.ncols());
    let ours = fit_logistic(&design, &y, vec![1.0; y.len()], &options, None, None).expect("propscan fits");

    for (j, (a, b)) in linfa_w.iter().zip(&ours.weights).enumerate() {
        assert!((a - b).abs() < 1e-6, "weight {j}: linfa {a}, propscan {b}");
    }
    assert!((linfa_b - ours.intercept).abs() < 1e-6, "intercept: linfa {linfa_b}, propscan {}", ours.intercept);
    // The weights are not trivially zero: the problem has signal.
    assert!(ours.weights[0] > 0.3 && ours.weights[1] < -0.3, "{:?}", ours.weights);
}

/// propscan's confusion counts and ROC-AUC agree with linfa's metrics on the same decisions and scores.
/// (linfa computes in f32 and reports the first label in sorted order, `false`, as its "positive" class, so
/// propscan keeps its own f64 metrics and checks them against linfa here.)
#[test]
fn metrics_agree_with_linfa() {
    let scores: Vec<f32> = (0..200).map(|i| ((i * 37 % 101) as f32 / 100.0).min(0.999)).collect();
    let labels: Vec<bool> =
        (0..200).map(|i| (i * 37 % 101) as f32 / 100.0 + ((i % 7) as f32 - 3.0) / 10.0 > 0.5).collect();
    let ours = Confusion::at(&scores, &labels, 0.5);
    let predicted = ndarray::Array1::from_iter(scores.iter().map(|&s| s as f64 >= 0.5));
    let truth = ndarray::Array1::from(labels.clone());
    let cm = predicted.confusion_matrix(&truth).expect("confusion matrix");
    // linfa's binary figures are for its first label, `false`: its precision is our negative predictive value.
    let npv = ours.tn as f32 / (ours.tn + ours.fn_) as f32;
    let specificity = ours.tn as f32 / (ours.tn + ours.fp) as f32;
    assert!((cm.precision() - npv).abs() < 1e-6, "{} vs {npv}", cm.precision());
    assert!((cm.recall() - specificity).abs() < 1e-6, "{} vs {specificity}", cm.recall());
    assert!((cm.accuracy() - ours.accuracy() as f32).abs() < 1e-6);

    let probs: Vec<linfa::dataset::Pr> = scores.iter().map(|&s| linfa::dataset::Pr::new(s)).collect();
    let roc = probs.as_slice().roc(&labels).expect("roc");
    let ours_auc = roc_auc(&scores, &labels).expect("auc");
    eprintln!("ROC-AUC: propscan {ours_auc:.6}, linfa {:.6}", roc.area_under_curve());
    assert!((roc.area_under_curve() as f64 - ours_auc).abs() < 1e-5);
}
