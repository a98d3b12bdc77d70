//! The objective linfa-logistic minimises, on a sparse matrix, with class weights, as an argmin problem.
//!
//! `cost(w, b) = Σ_i c_i · ln(1 + exp(-y_i (x_i·w + b))) + α/2 · ||w||²`, with `y_i ∈ {-1, +1}`, per-row
//! weights `c_i` (class weighting) and the intercept `b` not penalised: linfa-logistic 0.8's objective when
//! every `c_i` is 1. The parameter vector is `[w, b]`, as in linfa-logistic.
//!
//! The matrix is any [`Design`]; sums run over fixed blocks of rows and are added in block order, so results
//! are bit-identical whatever the number of threads.

use super::design::Design;
use argmin::core::{CostFunction, Error as ArgminError, Gradient};
use ndarray::Array1;
use rayon::prelude::*;
use std::sync::Mutex;

/// Rows per block of a parallel sum. Fixed so that the summation order never depends on the thread count.
const BLOCK: usize = 4096;

/// A weighted, L2-regularised logistic regression problem over sparse rows.
pub struct LogisticProblem<'a, D: Design> {
    x: &'a D,
    ncols: usize,
    /// Targets as 0/1.
    y: Vec<f64>,
    /// Per-row weights.
    c: Vec<f64>,
    alpha: f64,
    /// The weights the penalty pulls toward (zero when `None`): a warm start's old weights.
    prior: Option<Vec<f64>>,
    /// The margins `x_i·w + b` of the last cost evaluation, reused by the gradient.
    last_margins: LastPoint<Vec<f64>>,
    /// The last gradient: argmin's L-BFGS asks again for the gradient its line search has just computed, which
    /// would otherwise cost a third of the fit.
    last_gradient: LastPoint<Array1<f64>>,
}

/// A value computed at one parameter vector, kept until the next one.
struct LastPoint<T>(Mutex<Option<(Array1<f64>, T)>>);

impl<T: Clone> LastPoint<T> {
    fn new() -> Self {
        LastPoint(Mutex::new(None))
    }

    /// The value, if it was computed at exactly `p`.
    fn get(&self, p: &Array1<f64>) -> Option<T> {
        let guard = self.0.lock().ok()?;
        guard.as_ref().filter(|(q, _)| q == p).map(|(_, v)| v.clone())
    }

    fn set(&self, p: &Array1<f64>, value: T) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = Some((p.clone(), value));
        }
    }
}

impl<'a, D: Design> LogisticProblem<'a, D> {
    /// A problem on `x`, targets `y`, row weights `c` and penalty `alpha`.
    pub fn new(x: &'a D, y: &[bool], c: Vec<f64>, alpha: f64) -> Self {
        LogisticProblem {
            x,
            ncols: x.ncols(),
            y: y.iter().map(|&t| if t { 1.0 } else { 0.0 }).collect(),
            c,
            alpha,
            prior: None,
            last_margins: LastPoint::new(),
            last_gradient: LastPoint::new(),
        }
    }

    /// Penalises `alpha/2 · |w - prior|²` instead of `alpha/2 · |w|²` (`prior` has one entry per column).
    pub fn with_prior(mut self, prior: Vec<f64>) -> Self {
        self.prior = (prior.len() == self.ncols).then_some(prior);
        self
    }

    /// Weight `j` minus where the penalty pulls it.
    #[inline]
    fn offset(&self, w: &[f64], j: usize) -> f64 {
        match &self.prior {
            Some(p) => w[j] - p[j],
            None => w[j],
        }
    }

    /// Number of parameters (columns plus the intercept).
    pub fn nparams(&self) -> usize {
        self.ncols + 1
    }

    /// Margins `x_i·w + b` for every row.
    fn margins(&self, p: &Array1<f64>) -> Vec<f64> {
        let w = p.as_slice().unwrap_or(&[]);
        self.x.margins(&w[..self.ncols.min(w.len())], p[self.ncols])
    }

    /// Block-ordered sum of `f(i)` over all rows.
    fn sum_rows(&self, f: impl Fn(usize) -> f64 + Sync) -> f64 {
        let n = self.x.nrows();
        let partial: Vec<f64> = (0..n.div_ceil(BLOCK))
            .into_par_iter()
            .map(|blk| (blk * BLOCK..((blk + 1) * BLOCK).min(n)).map(&f).sum::<f64>())
            .collect();
        partial.iter().sum()
    }
}

/// `ln(1 + exp(-m))` without overflow.
#[inline]
fn log1p_exp_neg(m: f64) -> f64 {
    if m > 0.0 {
        (-m).exp().ln_1p()
    } else {
        -m + m.exp().ln_1p()
    }
}

pub(crate) use crate::model::sigmoid;

impl<D: Design> CostFunction for LogisticProblem<'_, D> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, p: &Array1<f64>) -> Result<f64, ArgminError> {
        let z = self.margins(p);
        let loss = self.sum_rows(|i| {
            let signed = if self.y[i] > 0.5 { z[i] } else { -z[i] };
            self.c[i] * log1p_exp_neg(signed)
        });
        let w = p.as_slice().unwrap_or(&[]);
        let penalty = 0.5 * self.alpha * (0..self.ncols).map(|j| self.offset(w, j).powi(2)).sum::<f64>();
        self.last_margins.set(p, z);
        Ok(loss + penalty)
    }
}

impl<D: Design> Gradient for LogisticProblem<'_, D> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, p: &Array1<f64>) -> Result<Array1<f64>, ArgminError> {
        if let Some(g) = self.last_gradient.get(p) {
            return Ok(g);
        }
        let z = self.last_margins.get(p).unwrap_or_else(|| self.margins(p));
        // r_i = c_i (σ(z_i) - t_i): the derivative of row i's loss with respect to its margin.
        let r: Vec<f64> = z.iter().zip(&self.y).zip(&self.c).map(|((&z, &t), &c)| c * (sigmoid(z) - t)).collect();
        let w = p.as_slice().unwrap_or(&[]);
        let mut g = self.x.transpose_times(&r);
        for (j, gj) in g.iter_mut().enumerate() {
            *gj += self.alpha * self.offset(w, j);
        }
        g.push(self.sum_rows(|i| r[i]));
        let g = Array1::from(g);
        self.last_gradient.set(p, g.clone());
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::SparseRows;
    use crate::train::design::ExplicitRows;

    fn problem_data() -> (SparseRows, Vec<bool>) {
        let mut x = SparseRows::new();
        x.push_row([(0, 1.0), (1, 0.5)]);
        x.push_row([(1, 1.0)]);
        x.push_row([(0, 0.2), (2, 0.7)]);
        x.push_row([]);
        (x, vec![true, false, true, false])
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (x, y) = problem_data();
        let x = ExplicitRows::new(&x, 3);
        let problem = LogisticProblem::new(&x, &y, vec![1.0, 2.0, 0.5, 1.5], 0.3);
        let p = Array1::from(vec![0.3, -0.2, 0.1, 0.05]);
        let g = problem.gradient(&p).expect("gradient");
        for k in 0..p.len() {
            let h = 1e-6;
            let mut plus = p.clone();
            plus[k] += h;
            let mut minus = p.clone();
            minus[k] -= h;
            let numeric = (problem.cost(&plus).expect("cost") - problem.cost(&minus).expect("cost")) / (2.0 * h);
            assert!((numeric - g[k]).abs() < 1e-6, "param {k}: {numeric} vs {}", g[k]);
        }
    }

    #[test]
    fn cost_at_zero_is_weighted_ln2() {
        let (x, y) = problem_data();
        let x = ExplicitRows::new(&x, 3);
        let problem = LogisticProblem::new(&x, &y, vec![1.0, 2.0, 0.5, 1.5], 1.0);
        let cost = problem.cost(&Array1::zeros(4)).expect("cost");
        assert!((cost - 5.0 * std::f64::consts::LN_2).abs() < 1e-12);
    }

    #[test]
    fn stable_for_large_margins() {
        assert_eq!(sigmoid(800.0), 1.0);
        assert_eq!(sigmoid(-800.0), 0.0);
        assert!(log1p_exp_neg(-800.0).is_finite());
        assert!(log1p_exp_neg(800.0) >= 0.0);
    }
}
