//! The sparse dot product both training products are made of: `Σ_k val_k · x[idx_k]`.
//!
//! It is summed in eight fixed lanes, so that it gives the same bits with or without SIMD: entry `k` goes to
//! lane `k mod 8`, each lane adds `val · x` (a product, then a sum: never fused), and the lanes are added in one
//! fixed order. On x86_64 processors with AVX2 the eight lanes are two vectors of four and the `x` values are
//! fetched with gather instructions; elsewhere the same sums run one by one. Either way the result depends on
//! the entries alone, so whether the processor has AVX2 does not change a model.
//!
//! Why: these products were about half of the processor time of a training run on the 16k-row NLP4IF file
//! (`perf`), and a single running sum waits on every addition before the next.

/// Lanes of the sum.
const LANES: usize = 8;

/// `Σ_k val_k · x[idx_k]` over the shorter of `idx` and `val`, in `LANES` lanes.
///
/// # Panics
/// If an index is outside `x`, as indexing does.
#[inline]
pub fn sparse_dot(idx: &[u32], val: &[f32], x: &[f64]) -> f64 {
    let n = idx.len().min(val.len());
    let (idx, val) = (&idx[..n], &val[..n]);
    #[cfg(target_arch = "x86_64")]
    if n >= 2 * LANES && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        return unsafe { avx2::sparse_dot(idx, val, x) };
    }
    scalar(idx, val, x)
}

/// The lanes one by one: the definition the AVX2 path must equal bit for bit.
fn scalar(idx: &[u32], val: &[f32], x: &[f64]) -> f64 {
    let body = idx.len() - idx.len() % LANES;
    let mut lanes = [0f64; LANES];
    for (i, v) in idx[..body].chunks_exact(LANES).zip(val[..body].chunks_exact(LANES)) {
        for l in 0..LANES {
            lanes[l] += v[l] as f64 * x[i[l] as usize];
        }
    }
    finish(lanes, &idx[body..], &val[body..], x)
}

/// Adds the last `idx.len() < LANES` entries to lanes `0..`, then the lanes together in a fixed order.
#[inline(always)]
fn finish(mut lanes: [f64; LANES], idx: &[u32], val: &[f32], x: &[f64]) -> f64 {
    for (l, (&i, &v)) in idx.iter().zip(val).enumerate() {
        lanes[l] += v as f64 * x[i as usize];
    }
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{finish, scalar, LANES};
    use std::arch::x86_64::*;

    /// [`super::scalar`] with lanes 0-3 and 4-7 in two vectors and gathered `x` values.
    ///
    /// # Safety
    /// The processor must have AVX2. Indices need not be inside `x`: see the clamping below.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn sparse_dot(idx: &[u32], val: &[f32], x: &[f64]) -> f64 {
        let n = idx.len().min(val.len());
        let (idx, val) = (&idx[..n], &val[..n]);
        let body = n - n % LANES;
        // The gathers take signed 32-bit indices and read `x` without bounds checks, so every index is clamped to
        // `x`'s last one before it is used, and the largest index seen is kept: if it was outside `x`, the
        // scalar path runs instead and panics where indexing would. Clamping costs no extra pass over the
        // indices, which a separate check would (these products are bound by reading the entries).
        if x.is_empty() || x.len() > i32::MAX as usize {
            return scalar(idx, val, x);
        }
        let last = _mm256_set1_epi32((x.len() - 1) as i32);
        let (ip, vp, xp) = (idx.as_ptr(), val.as_ptr(), x.as_ptr());
        let (mut lo, mut hi) = (_mm256_setzero_pd(), _mm256_setzero_pd());
        let mut largest = _mm256_setzero_si256();
        let mut k = 0;
        while k < body {
            // SAFETY: `k + 8 <= body <= n`, the length of both slices, so both loads are inside them; indices are
            // clamped to `x.len() - 1 <= i32::MAX`, so every gathered address is inside `x`.
            unsafe {
                let i = _mm256_loadu_si256(ip.add(k).cast::<__m256i>());
                largest = _mm256_max_epu32(largest, i);
                let i = _mm256_min_epu32(i, last);
                let v = _mm256_loadu_ps(vp.add(k));
                let w_lo = _mm256_i32gather_pd::<8>(xp, _mm256_castsi256_si128(i));
                let w_hi = _mm256_i32gather_pd::<8>(xp, _mm256_extracti128_si256::<1>(i));
                let v_lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v));
                let v_hi = _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(v));
                lo = _mm256_add_pd(lo, _mm256_mul_pd(v_lo, w_lo));
                hi = _mm256_add_pd(hi, _mm256_mul_pd(v_hi, w_hi));
            }
            k += LANES;
        }
        let mut seen = [0u32; LANES];
        // SAFETY: `seen` has room for eight 32-bit integers.
        unsafe { _mm256_storeu_si256(seen.as_mut_ptr().cast::<__m256i>(), largest) };
        if seen.iter().any(|&i| i as usize >= x.len()) {
            return scalar(idx, val, x);
        }
        let mut lanes = [0f64; LANES];
        // SAFETY: `lanes` has room for two vectors of four.
        unsafe {
            _mm256_storeu_pd(lanes.as_mut_ptr(), lo);
            _mm256_storeu_pd(lanes.as_mut_ptr().add(4), hi);
        }
        finish(lanes, &idx[body..], &val[body..], x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::xorshift;

    /// Random entries: `n` indices into `width` values, with values of very different sizes so that the
    /// summation order shows in the last bits.
    fn entries(seed: u64, n: usize, width: usize) -> (Vec<u32>, Vec<f32>, Vec<f64>) {
        let mut next = xorshift(seed);
        let idx = (0..n).map(|_| (next() % width as u64) as u32).collect();
        let val = (0..n).map(|_| (next() % 10_000) as f32 / 7.0 - 700.0).collect();
        let x =
            (0..width).map(|_| ((next() % 1_000_000) as f64 - 500_000.0) * 1e-3 / ((next() % 97 + 1) as f64)).collect();
        (idx, val, x)
    }

    #[test]
    fn every_path_gives_the_same_bits() {
        for n in 0..200 {
            let (idx, val, x) = entries(n as u64 + 1, n, 1 + n * 3);
            let expected = scalar(&idx, &val, &x);
            assert_eq!(sparse_dot(&idx, &val, &x).to_bits(), expected.to_bits(), "{n} entries");
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present.
                let simd = unsafe { avx2::sparse_dot(&idx, &val, &x) };
                assert_eq!(simd.to_bits(), expected.to_bits(), "{n} entries");
            }
            let plain: f64 = idx.iter().zip(&val).map(|(&i, &v)| v as f64 * x[i as usize]).sum();
            assert!((expected - plain).abs() <= 1e-9 * (1.0 + plain.abs()), "{n}: {expected} vs {plain}");
        }
    }

    #[test]
    fn uses_the_shorter_of_indices_and_values() {
        let x = [1.0, 2.0, 4.0];
        assert_eq!(sparse_dot(&[0, 1, 2], &[1.0, 1.0], &x), 3.0);
        assert_eq!(sparse_dot(&[2], &[0.5, 9.0], &x), 2.0);
        let (idx, val, x) = entries(3, 40, 50);
        let expected = scalar(&idx[..33], &val[..33], &x).to_bits();
        assert_eq!(sparse_dot(&idx, &val[..33], &x).to_bits(), expected);
        assert_eq!(sparse_dot(&idx[..33], &val, &x).to_bits(), expected);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present.
            assert_eq!(unsafe { avx2::sparse_dot(&idx, &val[..33], &x) }.to_bits(), expected);
        }
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn an_index_outside_x_panics() {
        let (mut idx, val, x) = entries(9, 64, 10);
        idx[3] = 10;
        sparse_dot(&idx, &val, &x);
    }

    #[test]
    #[should_panic(expected = "index out of bounds")]
    fn an_index_beyond_the_gathers_reach_panics() {
        let (mut idx, val, x) = entries(10, 64, 10);
        idx[40] = u32::MAX;
        sparse_dot(&idx, &val, &x);
    }
}
