//! Helpers for unit tests: a seeded pseudo-random source, so that randomised tests are the same on every run.

/// A xorshift64 generator started from `seed` (which must not be 0).
pub(crate) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
