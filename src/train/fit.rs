//! Fitting the logistic regression with argmin's L-BFGS and More-Thuente line search, the solver
//! linfa-logistic uses, on the sparse objective of [`super::objective`].

use super::design::Design;
use super::objective::LogisticProblem;
use crate::error::{Error, Result};
use argmin::core::{Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::Array1;

pub use crate::model::meta::Tolerance;

/// Solver settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// L2 penalty on the summed loss (linfa-logistic's `alpha`; scikit-learn's `1/C`).
    pub alpha: f64,
    /// Iteration limit.
    pub max_iter: u64,
    /// Stopping rule.
    pub tolerance: Tolerance,
    /// L-BFGS memory: the most correction pairs kept. Fewer are kept (but not fewer than 10) when the pairs
    /// would take more than [`HISTORY_BYTES`].
    pub memory: usize,
}

/// Bytes of L-BFGS correction pairs one fit may keep (two vectors of `f64` per pair).
pub const HISTORY_BYTES: usize = 128 << 20;

impl Default for FitOptions {
    /// 40 correction pairs, where linfa-logistic keeps 10: on the NLP4IF training file, and on 200,000 and
    /// 1,000,000 rows built from it, fits converged in 22, 44 and 108 iterations instead of 36, 116 and 188, to
    /// the same stopping rule and the same dev F1 (`BENCHMARKS.md`).
    fn default() -> Self {
        FitOptions { alpha: 1.0, max_iter: 200, tolerance: Tolerance::Relative(1e-3), memory: 40 }
    }
}

impl FitOptions {
    /// The memory a fit of `nparams` parameters uses: [`FitOptions::memory`], lowered to fit
    /// [`HISTORY_BYTES`] but not below 10 (nor above what was asked).
    pub fn memory_for(&self, nparams: usize) -> usize {
        let fits = HISTORY_BYTES / (16 * nparams.max(1));
        self.memory.min(fits.max(10))
    }
}

/// A fitted linear model and how the solver got there.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// One weight per column.
    pub weights: Vec<f64>,
    /// The intercept.
    pub intercept: f64,
    /// L-BFGS iterations run.
    pub iterations: u64,
    /// Why the solver stopped.
    pub termination: String,
    /// The objective at the solution.
    pub cost: f64,
}

impl Fitted {
    /// The probability of every row of `x` (whose columns are this fit's), computed as the fit computed its
    /// margins.
    pub fn probabilities(&self, x: &impl Design) -> Vec<f32> {
        let z = x.margins(&self.weights, self.intercept);
        z.into_iter().map(|z| super::objective::sigmoid(z) as f32).collect()
    }
}

/// Fits weights for `x` with targets `y` and per-row weights `c`, starting from `init` (weights then intercept;
/// zeros when `None`). With `prior`, the penalty pulls the weights toward it instead of toward zero.
pub fn fit_logistic<D: Design>(
    x: &D,
    y: &[bool],
    c: Vec<f64>,
    options: &FitOptions,
    init: Option<Array1<f64>>,
    prior: Option<Vec<f64>>,
) -> Result<Fitted> {
    if x.nrows() != y.len() || y.len() != c.len() {
        return Err(Error::training(format!("{} rows, {} targets and {} weights", x.nrows(), y.len(), c.len())));
    }
    let mut problem = LogisticProblem::new(x, y, c, options.alpha);
    if let Some(prior) = prior {
        problem = problem.with_prior(prior);
    }
    let init = match init {
        Some(p) if p.len() == problem.nparams() => p,
        Some(p) => {
            return Err(Error::training(format!(
                "initial parameters have length {}, expected {}",
                p.len(),
                problem.nparams()
            )))
        }
        None => Array1::zeros(problem.nparams()),
    };
    let solver_err = |e: argmin::core::Error| Error::training(format!("L-BFGS: {e}"));
    let start_grad = problem.gradient(&init).map_err(solver_err)?;
    let tol = match options.tolerance {
        Tolerance::Relative(r) => r * start_grad.dot(&start_grad).sqrt(),
        Tolerance::Absolute(a) => a,
    };
    let memory = options.memory_for(problem.nparams());
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), memory).with_tolerance_grad(tol).map_err(solver_err)?;
    let result = Executor::new(problem, solver)
        // Only the parameters: L-BFGS evaluates cost and gradient itself (a preset cost would read as "no change").
        .configure(|state| state.param(init.clone()).max_iters(options.max_iter))
        .run()
        .map_err(solver_err)?;
    let state = result.state();
    let termination = match state.get_termination_status() {
        TerminationStatus::Terminated(TerminationReason::SolverConverged) => "converged".to_string(),
        TerminationStatus::Terminated(reason) => reason.to_string(),
        TerminationStatus::NotTerminated => "not terminated".to_string(),
    };
    let cost = state.get_best_cost();
    let iterations = state.get_iter();
    let best = state.get_best_param().cloned().unwrap_or(init);
    let mut weights = best.to_vec();
    let intercept = weights.pop().unwrap_or(0.0);
    if !intercept.is_finite() || weights.iter().any(|w| !w.is_finite()) {
        return Err(Error::training("the solver produced non-finite weights; try a larger `alpha`"));
    }
    Ok(Fitted { weights, intercept, iterations, termination, cost })
}

/// Per-row weights: `1` for every row, or balanced so that each class carries half the total weight
/// (`n / (2 · n_class)`, scikit-learn's `class_weight="balanced"`).
pub fn row_weights(y: &[bool], balanced: bool) -> Vec<f64> {
    if !balanced {
        return vec![1.0; y.len()];
    }
    let n = y.len() as f64;
    let pos = y.iter().filter(|&&t| t).count() as f64;
    let neg = n - pos;
    let (wp, wn) = (if pos > 0.0 { n / (2.0 * pos) } else { 1.0 }, if neg > 0.0 { n / (2.0 * neg) } else { 1.0 });
    y.iter().map(|&t| if t { wp } else { wn }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::SparseRows;
    use crate::train::design::ExplicitRows;

    #[test]
    fn separates_a_simple_problem() {
        let mut x = SparseRows::new();
        let mut y = Vec::new();
        for i in 0..40 {
            let pos = i % 3 == 0;
            x.push_row(if pos { [(0, 1.0), (2, 0.3)] } else { [(1, 1.0), (2, 0.3)] });
            y.push(pos);
        }
        let x = ExplicitRows::new(&x, 3);
        let fitted = fit_logistic(&x, &y, row_weights(&y, true), &FitOptions::default(), None, None).expect("fit");
        assert!(fitted.weights[0] > 0.5 && fitted.weights[1] < -0.5, "{fitted:?}");
        assert!(fitted.iterations > 0);
    }

    #[test]
    fn memory_shrinks_for_wide_problems_but_not_below_ten() {
        let options = FitOptions::default();
        assert_eq!(options.memory_for(106_654), 40);
        // 2^22 columns: 40 pairs would take 2.7 GB.
        assert_eq!(options.memory_for((1 << 22) + 1), 10);
        assert_eq!(options.memory_for(HISTORY_BYTES / (16 * 25)), 25);
        assert_eq!(FitOptions { memory: 5, ..options }.memory_for(100), 5);
        assert_eq!(options.memory_for(0), 40);
    }

    #[test]
    fn balanced_weights_sum_per_class() {
        let y = [true, false, false, false];
        let c = row_weights(&y, true);
        assert_eq!(c, vec![2.0, 2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0]);
        assert_eq!(row_weights(&y, false), vec![1.0; 4]);
    }

    #[test]
    fn rejects_mismatched_shapes() {
        let x = SparseRows::new();
        let x = ExplicitRows::new(&x, 1);
        assert!(fit_logistic(&x, &[true], vec![1.0], &FitOptions::default(), None, None).is_err());
    }
}
