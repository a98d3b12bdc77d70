//! Cross-validation inside training: seeded, stratified folds, and out-of-fold scores from which the decision
//! threshold is chosen.

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same folds on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Shuffles `v` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Assigns each row a fold in `0..k`, so that every fold gets the same share of each class (within one row).
pub fn stratified_folds(targets: &[bool], k: usize, seed: u64) -> Vec<usize> {
    let mut rng = SplitMix64::new(seed);
    let mut fold = vec![0usize; targets.len()];
    let mut offset = 0;
    for class in [true, false] {
        let mut rows: Vec<usize> = (0..targets.len()).filter(|&i| targets[i] == class).collect();
        rng.shuffle(&mut rows);
        for (n, &r) in rows.iter().enumerate() {
            fold[r] = (n + offset) % k;
        }
        offset = (offset + rows.len()) % k;
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_balanced_and_seeded() {
        let targets: Vec<bool> = (0..103).map(|i| i % 4 == 0).collect();
        let folds = stratified_folds(&targets, 5, 7);
        assert_eq!(folds, stratified_folds(&targets, 5, 7));
        assert_ne!(folds, stratified_folds(&targets, 5, 8));
        for f in 0..5 {
            let pos = (0..103).filter(|&i| folds[i] == f && targets[i]).count();
            let all = folds.iter().filter(|&&x| x == f).count();
            assert!((5..=6).contains(&pos), "fold {f}: {pos} positives");
            assert!((20..=21).contains(&all), "fold {f}: {all} rows");
        }
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut v: Vec<u32> = (0..50).collect();
        SplitMix64::new(1).shuffle(&mut v);
        let mut sorted = v.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(v, sorted);
    }
}
