//! Term weighting: sublinear term frequency, inverse document frequency learned at training time, L2 rows.
//!
//! The idf of a bucket is scikit-learn's smoothed form, `ln((1 + n) / (1 + df)) + 1`; buckets seen in fewer
//! than `min_df` training documents get idf 0, which drops them from training and from scoring alike.

use super::sparse::SparseRows;

/// Per-bucket inverse document frequency (0 for dropped buckets).
#[derive(Debug, Clone, PartialEq)]
pub struct Idf {
    values: Vec<f32>,
}

impl Idf {
    /// Learns idf from the count rows `rows` of `counts` (all rows when `rows` is `None`).
    pub fn fit(counts: &SparseRows, rows: Option<&[usize]>, buckets: usize, min_df: u32) -> Idf {
        let mut df = vec![0u32; buckets];
        let mut n = 0usize;
        let mut visit = |r: usize| {
            n += 1;
            for &b in counts.row(r).0 {
                df[b as usize] += 1;
            }
        };
        match rows {
            Some(rows) => rows.iter().for_each(|&r| visit(r)),
            None => (0..counts.nrows()).for_each(visit),
        }
        let values = df
            .iter()
            .map(|&d| if d >= min_df && d > 0 { (((1 + n) as f64 / (1 + d) as f64).ln() + 1.0) as f32 } else { 0.0 })
            .collect();
        Idf { values }
    }

    /// The per-bucket values.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    #[cfg(test)]
    /// Weighs and L2-normalises every row of `counts`.
    pub fn transform(&self, counts: &SparseRows, sublinear: bool) -> SparseRows {
        let mut out = SparseRows::with_capacity(counts.nrows(), counts.nnz());
        let mut row: Vec<(u32, f32)> = Vec::new();
        for r in 0..counts.nrows() {
            let (idx, val) = counts.row(r);
            row.clear();
            let mut norm2 = 0f64;
            for (&b, &c) in idx.iter().zip(val) {
                let idf = self.values[b as usize];
                if idf > 0.0 {
                    let w = tf(c, sublinear) as f64 * idf as f64;
                    norm2 += w * w;
                    row.push((b, w as f32));
                }
            }
            let inv = if norm2 > 0.0 { 1.0 / norm2.sqrt() } else { 0.0 };
            out.push_row(row.iter().map(|&(b, w)| (b, (w as f64 * inv) as f32)));
        }
        out
    }
}

/// Term frequency weight of a raw count.
#[inline(always)]
pub fn tf(count: f32, sublinear: bool) -> f32 {
    if sublinear {
        // Most buckets occur once in a document: 1 + ln(1) is exactly 1, so skip the logarithm.
        if count == 1.0 {
            1.0
        } else {
            1.0 + count.ln()
        }
    } else {
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_matches_scikit_learn_smoothing() {
        let mut counts = SparseRows::new();
        counts.push_row([(0, 1.0), (1, 2.0)]);
        counts.push_row([(0, 3.0)]);
        counts.push_row([(2, 1.0)]);
        let idf = Idf::fit(&counts, None, 4, 1);
        // n = 3: df 2 -> ln(4/3)+1, df 1 -> ln(4/2)+1, df 0 -> dropped.
        assert!((idf.values()[0] - ((4.0f64 / 3.0).ln() + 1.0) as f32).abs() < 1e-6);
        assert!((idf.values()[1] - (2.0f64.ln() + 1.0) as f32).abs() < 1e-6);
        assert_eq!(idf.values()[3], 0.0);
        let strict = Idf::fit(&counts, None, 4, 2);
        assert_eq!(strict.values()[1], 0.0);
        assert!(strict.values()[0] > 0.0);
        let subset = Idf::fit(&counts, Some(&[2]), 4, 1);
        assert_eq!(subset.values()[0], 0.0);
    }

    #[test]
    fn rows_are_unit_length_and_sublinear() {
        let mut counts = SparseRows::new();
        counts.push_row([(0, 1.0), (1, 4.0)]);
        counts.push_row([(3, 1.0)]);
        let idf = Idf { values: vec![1.0, 1.0, 1.0, 0.0] };
        let x = idf.transform(&counts, true);
        let (i, v) = x.row(0);
        assert_eq!(i, &[0, 1]);
        let norm: f32 = v.iter().map(|a| a * a).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        assert!((v[1] / v[0] - (1.0 + 4f32.ln())).abs() < 1e-5);
        assert_eq!(x.row(1).0.len(), 0, "a row of dropped buckets is empty");
    }
}
