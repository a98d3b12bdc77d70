//! A compact sparse matrix (compressed rows) of bucket or column indices with `f32` values.

/// Rows of `(index, value)` pairs stored back to back (CSR). Memory grows with the non-zeros only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseRows {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl SparseRows {
    /// An empty matrix.
    pub fn new() -> Self {
        SparseRows { indptr: vec![0], indices: Vec::new(), values: Vec::new() }
    }

    /// An empty matrix with room for `rows` rows and `nnz` non-zeros.
    pub fn with_capacity(rows: usize, nnz: usize) -> Self {
        let mut indptr = Vec::with_capacity(rows + 1);
        indptr.push(0);
        SparseRows { indptr, indices: Vec::with_capacity(nnz), values: Vec::with_capacity(nnz) }
    }

    /// Appends one row.
    pub fn push_row(&mut self, entries: impl IntoIterator<Item = (u32, f32)>) {
        for (i, v) in entries {
            self.indices.push(i);
            self.values.push(v);
        }
        self.indptr.push(self.indices.len());
    }

    /// Appends every row of `other`.
    pub fn append(&mut self, other: &SparseRows) {
        let base = self.indices.len();
        self.indices.extend_from_slice(&other.indices);
        self.values.extend_from_slice(&other.values);
        self.indptr.extend(other.indptr.iter().skip(1).map(|p| p + base));
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    #[cfg(test)]
    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// [`SparseRows::remap`] in place: every index `i` becomes `map[i]`, entries mapped to `u32::MAX` go.
    pub fn remap_in_place(&mut self, map: &[u32]) {
        let mut write = 0;
        let mut start = 0;
        for r in 0..self.nrows() {
            let end = self.indptr[r + 1];
            for read in start..end {
                let m = map[self.indices[read] as usize];
                if m != u32::MAX {
                    self.indices[write] = m;
                    self.values[write] = self.values[read];
                    write += 1;
                }
            }
            start = end;
            self.indptr[r + 1] = write;
        }
        self.indices.truncate(write);
        self.values.truncate(write);
    }

    /// Replaces every value `v` by `f(v)`, in place.
    pub fn map_values(&mut self, f: impl Fn(f32) -> f32) {
        self.values.iter_mut().for_each(|v| *v = f(*v));
    }

    /// Row `i`: its indices and values.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    #[cfg(test)]
    /// The transpose (rows become columns) for a matrix with `ncols` columns; every index must be below `ncols`.
    /// Within each output row, entries are in increasing order of the original row.
    pub fn transpose(&self, ncols: usize) -> SparseRows {
        let mut counts = vec![0usize; ncols + 1];
        for &i in &self.indices {
            counts[i as usize + 1] += 1;
        }
        for c in 0..ncols {
            counts[c + 1] += counts[c];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut values = vec![0f32; self.nnz()];
        for r in 0..self.nrows() {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                let at = next[c as usize];
                indices[at] = r as u32;
                values[at] = v;
                next[c as usize] += 1;
            }
        }
        SparseRows { indptr, indices, values }
    }

    #[cfg(test)]
    /// Replaces every index `i` by `map[i]`, dropping entries where the map gives `u32::MAX`.
    pub fn remap(&self, map: &[u32]) -> SparseRows {
        let mut out = self.clone();
        out.remap_in_place(map);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SparseRows {
        let mut m = SparseRows::new();
        m.push_row([(0, 1.0), (2, 2.0)]);
        m.push_row([]);
        m.push_row([(1, 3.0), (2, 4.0)]);
        m
    }

    #[test]
    fn rows_and_append() {
        let m = sample();
        assert_eq!(m.nrows(), 3);
        assert_eq!(m.nnz(), 4);
        assert_eq!(m.row(1), (&[][..], &[][..]));
        assert_eq!(m.row(2), (&[1, 2][..], &[3.0, 4.0][..]));
        let mut a = m.clone();
        a.append(&m);
        assert_eq!((a.nrows(), a.nnz()), (6, 8));
        assert_eq!(a.row(3), m.row(0));
        assert_eq!(a.row(5), m.row(2));
    }

    #[test]
    fn transpose_twice_is_identity() {
        let m = sample();
        let t = m.transpose(3);
        assert_eq!(t.nrows(), 3);
        assert_eq!(t.row(2), (&[0, 2][..], &[2.0, 4.0][..]));
        assert_eq!(t.transpose(3), m);
    }

    #[test]
    fn remap_drops_unmapped() {
        let m = sample().remap(&[u32::MAX, 0, 1]);
        let mut in_place = sample();
        in_place.remap_in_place(&[u32::MAX, 0, 1]);
        assert_eq!(in_place, m);
        assert_eq!(m.row(0), (&[1][..], &[2.0][..]));
        assert_eq!(m.row(2), (&[0, 1][..], &[3.0, 4.0][..]));
    }
}
