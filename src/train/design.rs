//! The matrix a fit sees, and the two products L-BFGS needs from it: margins `X·w` and the gradient `Xᵀ·r`.
//!
//! [`TfidfRows`] is what training uses: one shared matrix of term frequencies (computed once for all rows) seen
//! through a fit's own rows, idf and columns, with TF-IDF weighting and L2 row normalisation applied on the fly.
//! No fold copies the data and no transposed copy is made, so training memory is the term-frequency matrix plus,
//! per fit in progress, a few vectors and at most 64 MB of gradient sums. [`ExplicitRows`] is a matrix given
//! value by value, with a transposed copy for the gradient: the tests check the view and the solver against it.
//!
//! Every sum runs in an order fixed by the data alone (rows in order, gradient blocks of fixed size added in
//! block order), so results are bit-identical whatever the number of threads.

use super::dot::sparse_dot;
use crate::features::SparseRows;
use rayon::prelude::*;

/// Rows per parallel block of margins.
const ROW_BLOCK: usize = 4096;
/// Fewest rows per block of the gradient: each block scatters into its own per-column sums, added in block
/// order. Large data gets [`GRADIENT_BLOCKS`] blocks, so the sums stay few.
const GRADIENT_BLOCK: usize = 8192;
/// Most blocks of the gradient.
const GRADIENT_BLOCKS: usize = 16;
/// Bytes of per-column sums one gradient may hold at once (fewer blocks for very wide matrices).
const GRADIENT_SUMS_BYTES: usize = 64 << 20;

/// A matrix of rows by columns, as the logistic objective uses it.
pub trait Design: Sync {
    /// Number of rows.
    fn nrows(&self) -> usize;
    /// Number of columns (weights).
    fn ncols(&self) -> usize;
    /// Stored entries.
    fn nnz(&self) -> u64;
    /// `x_i · w + b` for every row.
    fn margins(&self, w: &[f64], b: f64) -> Vec<f64>;
    /// `Σ_i r_i x_ij` for every column `j`.
    fn transpose_times(&self, r: &[f64]) -> Vec<f64>;
}

/// A matrix given entry by entry, with column indices below `ncols`.
#[cfg(test)]
pub struct ExplicitRows<'a> {
    x: &'a SparseRows,
    xt: SparseRows,
    ncols: usize,
}

#[cfg(test)]
impl<'a> ExplicitRows<'a> {
    /// The matrix `x` with `ncols` columns.
    pub fn new(x: &'a SparseRows, ncols: usize) -> Self {
        ExplicitRows { x, xt: x.transpose(ncols), ncols }
    }
}

#[cfg(test)]
impl Design for ExplicitRows<'_> {
    fn nrows(&self) -> usize {
        self.x.nrows()
    }

    fn ncols(&self) -> usize {
        self.ncols
    }

    fn nnz(&self) -> u64 {
        self.x.nnz() as u64
    }

    fn margins(&self, w: &[f64], b: f64) -> Vec<f64> {
        (0..self.x.nrows())
            .into_par_iter()
            .with_min_len(ROW_BLOCK)
            .map(|i| {
                let (idx, val) = self.x.row(i);
                b + sparse_dot(idx, val, w)
            })
            .collect()
    }

    fn transpose_times(&self, r: &[f64]) -> Vec<f64> {
        (0..self.ncols)
            .into_par_iter()
            .with_min_len(1024)
            .map(|j| {
                let (rows, vals) = self.xt.row(j);
                sparse_dot(rows, vals, r)
            })
            .collect()
    }
}

/// Some rows of a term-frequency matrix (bucket indices, tf values), TF-IDF weighted and L2-normalised on the
/// fly: entry `(i, b)` is `tf_ib · idf_b / ‖row i‖`, and bucket `b` is column `column_of[b]`.
pub struct TfidfRows<'a> {
    tf: &'a SparseRows,
    rows: Option<&'a [usize]>,
    /// Per bucket; 0 for buckets the fit does not use.
    idf: &'a [f32],
    /// Bucket of each column.
    columns: &'a [u32],
    /// `1 / ‖row‖` per selected row (0 for a row with no kept bucket).
    inv_norm: Vec<f64>,
    nnz: u64,
}

impl<'a> TfidfRows<'a> {
    /// Rows `rows` of `tf` (all when `None`), weighted by `idf`, with `columns` naming the buckets kept.
    pub fn new(tf: &'a SparseRows, rows: Option<&'a [usize]>, idf: &'a [f32], columns: &'a [u32]) -> Self {
        let n = rows.map_or(tf.nrows(), <[usize]>::len);
        let (inv_norm, nnz): (Vec<f64>, Vec<u64>) = (0..n)
            .into_par_iter()
            .with_min_len(ROW_BLOCK)
            .map(|k| {
                let (idx, val) = tf.row(rows.map_or(k, |r| r[k]));
                let (mut norm2, mut kept) = (0f64, 0u64);
                for (&b, &t) in idx.iter().zip(val) {
                    let v = t as f64 * idf[b as usize] as f64;
                    norm2 += v * v;
                    kept += u64::from(v != 0.0);
                }
                (if norm2 > 0.0 { 1.0 / norm2.sqrt() } else { 0.0 }, kept)
            })
            .unzip();
        TfidfRows { tf, rows, idf, columns, inv_norm, nnz: nnz.iter().sum() }
    }

    #[inline]
    fn row(&self, k: usize) -> (&[u32], &[f32]) {
        self.tf.row(self.rows.map_or(k, |r| r[k]))
    }

    /// Per bucket: `idf_b · w_column(b)`, 0 for buckets without a column.
    fn bucket_weights(&self, w: &[f64]) -> Vec<f64> {
        let mut u = vec![0f64; self.idf.len()];
        for (&b, &wj) in self.columns.iter().zip(w) {
            u[b as usize] = self.idf[b as usize] as f64 * wj;
        }
        u
    }
}

impl Design for TfidfRows<'_> {
    fn nrows(&self) -> usize {
        self.inv_norm.len()
    }

    fn ncols(&self) -> usize {
        self.columns.len()
    }

    fn nnz(&self) -> u64 {
        self.nnz
    }

    fn margins(&self, w: &[f64], b: f64) -> Vec<f64> {
        let u = self.bucket_weights(w);
        (0..self.nrows())
            .into_par_iter()
            .with_min_len(ROW_BLOCK)
            .map(|k| {
                let (idx, val) = self.row(k);
                b + sparse_dot(idx, val, &u) * self.inv_norm[k]
            })
            .collect()
    }

    fn transpose_times(&self, r: &[f64]) -> Vec<f64> {
        let n = self.nrows();
        let buckets = self.idf.len();
        let most = (GRADIENT_SUMS_BYTES / (8 * buckets.max(1))).clamp(1, GRADIENT_BLOCKS);
        let size = n.div_ceil(most).max(GRADIENT_BLOCK);
        // Per block of rows: Σ_i r_i tf_ib / ‖row i‖ per bucket.
        let blocks: Vec<Vec<f64>> = (0..n.div_ceil(size))
            .into_par_iter()
            .map(|blk| {
                let mut acc = vec![0f64; buckets];
                let block = blk * size..((blk + 1) * size).min(n);
                for (k, (&rk, &inv)) in r[block.clone()].iter().zip(&self.inv_norm[block.clone()]).enumerate() {
                    let s = rk * inv;
                    let (idx, val) = self.row(block.start + k);
                    for (&bk, &t) in idx.iter().zip(val) {
                        acc[bk as usize] += t as f64 * s;
                    }
                }
                acc
            })
            .collect();
        self.columns
            .iter()
            .map(|&bk| {
                let sum: f64 = blocks.iter().map(|acc| acc[bk as usize]).sum();
                self.idf[bk as usize] as f64 * sum
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The on-the-fly view gives what weighting the rows explicitly gives.
    #[test]
    fn tfidf_view_equals_the_explicit_matrix() {
        let mut tf = SparseRows::new();
        tf.push_row([(0, 1.0), (3, 2.0), (5, 1.0)]);
        tf.push_row([(1, 1.0)]);
        tf.push_row([(3, 1.0), (4, 1.5)]);
        tf.push_row([(2, 1.0)]);
        let idf = [1.5f32, 0.0, 2.0, 1.2, 1.1, 0.0];
        let columns = [0u32, 2, 3, 4];
        let rows = [2usize, 0, 1, 3];
        let view = TfidfRows::new(&tf, Some(&rows), &idf, &columns);
        // The same rows weighted by hand, in column numbers.
        let column_of = |b: u32| columns.iter().position(|&c| c == b).map(|j| j as u32);
        let mut explicit = SparseRows::new();
        for &r in &rows {
            let (idx, val) = tf.row(r);
            let kept: Vec<(u32, f64)> = idx
                .iter()
                .zip(val)
                .filter_map(|(&b, &t)| column_of(b).map(|j| (j, t as f64 * idf[b as usize] as f64)))
                .collect();
            let norm = kept.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
            explicit.push_row(kept.iter().map(|&(j, v)| (j, if norm > 0.0 { (v / norm) as f32 } else { 0.0 })));
        }
        let explicit = ExplicitRows::new(&explicit, columns.len());
        assert_eq!((view.nrows(), view.ncols(), view.nnz()), (4, 4, explicit.nnz()));
        let w = [0.3, -1.2, 0.7, 2.0];
        for (a, b) in view.margins(&w, 0.1).iter().zip(explicit.margins(&w, 0.1)) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
        let r = [0.5, -0.25, 1.0, 2.0];
        for (a, b) in view.transpose_times(&r).iter().zip(explicit.transpose_times(&r)) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }
}
