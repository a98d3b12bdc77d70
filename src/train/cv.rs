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

/// Assigns each row a fold in `0..k` so that all rows of a group share a fold, and each fold gets about the same
/// share of each class. Groups are taken largest first (seeded order among equals) and each goes to the fold
/// where it least overfills either class, as scikit-learn's `StratifiedGroupKFold` does in spirit.
pub fn grouped_folds(targets: &[bool], groups: &[u32], k: usize, seed: u64) -> Vec<usize> {
    let n_groups = groups.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![(0u64, 0u64); n_groups]; // (positives, negatives)
    for (&g, &y) in groups.iter().zip(targets) {
        let s = &mut sizes[g as usize];
        if y {
            s.0 += 1
        } else {
            s.1 += 1
        }
    }
    let mut order: Vec<usize> = (0..n_groups).filter(|&g| sizes[g].0 + sizes[g].1 > 0).collect();
    SplitMix64::new(seed).shuffle(&mut order);
    order.sort_by_key(|&g| std::cmp::Reverse(sizes[g].0 + sizes[g].1)); // stable: ties keep the seeded order
    let total_pos = sizes.iter().map(|s| s.0).sum::<u64>().max(1) as f64;
    let total_neg = sizes.iter().map(|s| s.1).sum::<u64>().max(1) as f64;
    let mut load = vec![(0u64, 0u64); k];
    let mut fold_of_group = vec![0usize; n_groups];
    for g in order {
        let (p, q) = sizes[g];
        let cost = |f: usize| {
            let (fp, fq) = load[f];
            ((fp + p) as f64 / total_pos).max((fq + q) as f64 / total_neg)
        };
        let best = (0..k).min_by(|&a, &b| cost(a).total_cmp(&cost(b))).unwrap_or(0);
        load[best].0 += p;
        load[best].1 += q;
        fold_of_group[g] = best;
    }
    groups.iter().map(|&g| fold_of_group[g as usize]).collect()
}

/// Numbers the distinct values of a column in order of first appearance, for `grouped_folds`. A row with an
/// empty (or white-space) value belongs to no group: it gets a number of its own.
pub fn group_ids(values: &[String]) -> Vec<u32> {
    let mut seen = std::collections::HashMap::new();
    let mut next = 0u32;
    values
        .iter()
        .map(|v| {
            let v = v.trim();
            if v.is_empty() {
                next += 1;
                return next - 1;
            }
            *seen.entry(v).or_insert_with(|| {
                next += 1;
                next - 1
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_stay_together_and_classes_balance() {
        // 60 articles of 1 to 6 sentences; every third article is propaganda.
        let (mut targets, mut groups) = (Vec::new(), Vec::new());
        for a in 0..60u32 {
            for _ in 0..(1 + a % 6) {
                targets.push(a % 3 == 0);
                groups.push(a);
            }
        }
        let folds = grouped_folds(&targets, &groups, 5, 3);
        assert_eq!(folds, grouped_folds(&targets, &groups, 5, 3));
        for a in 0..60u32 {
            let f: Vec<usize> = (0..groups.len()).filter(|&i| groups[i] == a).map(|i| folds[i]).collect();
            assert!(f.windows(2).all(|w| w[0] == w[1]), "article {a} split across folds {f:?}");
        }
        let pos_total = targets.iter().filter(|&&y| y).count() as f64;
        for f in 0..5 {
            let pos = (0..targets.len()).filter(|&i| folds[i] == f && targets[i]).count() as f64;
            assert!((pos / pos_total - 0.2).abs() < 0.07, "fold {f} has {pos} of {pos_total} positives");
        }
        assert_eq!(group_ids(&["b".into(), "a".into(), "b".into()]), vec![0, 1, 0]);
    }

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
