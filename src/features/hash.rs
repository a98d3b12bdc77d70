//! Hash functions for n-gram features: deterministic on every platform, no allocation, no per-process seed.

/// Seed for word unigrams.
pub const WORD_SEED: u64 = 0x243F_6A88_85A3_08D3;
/// Seed for character n-grams.
pub const CHAR_SEED: u64 = 0x1319_8A2E_0370_7344;
/// Mixed into the pair of word hashes that make a bigram.
pub const BIGRAM_SALT: u64 = 0xA409_3822_299F_31D0;

const K: u64 = 0x9E37_79B9_7F4A_7C15;
const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;

/// Finalisation step of MurmurHash3: spreads every input bit over the output.
#[inline(always)]
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h
}

/// Hash of a whole word, eight bytes at a time.
#[inline]
pub fn hash_word(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(b)).wrapping_mul(K).rotate_left(29);
    }
    h
}

/// The hash of a word bigram from the hashes of its two words (order matters).
#[inline(always)]
pub fn bigram(first: u64, second: u64) -> u64 {
    (first.rotate_left(23) ^ BIGRAM_SALT).wrapping_mul(K) ^ second
}

/// One step of FNV-1a: extends a character n-gram hash by one byte.
#[inline(always)]
pub fn fnv_step(h: u64, byte: u8) -> u64 {
    (h ^ byte as u64).wrapping_mul(FNV_PRIME)
}

/// The bucket of a raw hash in a table of `2^bits` buckets.
#[inline(always)]
pub fn bucket(h: u64, bits: u8) -> u32 {
    (fmix64(h) >> (64 - bits as u32)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // These values are part of the model format: changing them invalidates every saved model.
        assert_eq!(hash_word(WORD_SEED, b""), WORD_SEED);
        // Character n-grams: FNV-1a from CHAR_SEED over the n-gram's bytes, a boundary mark being one space.
        let chars = |s: &str| bucket(s.bytes().fold(CHAR_SEED, fnv_step), 18);
        assert_eq!(chars(" jo"), 2_096);
        assert_eq!(chars("oin "), 11_891);
        assert_eq!(chars("ҳиҷ"), 7_881);
        assert_eq!(chars("اله"), 110_251);
        assert_eq!(bucket(hash_word(WORD_SEED, b"join"), 18), 37_900);
        assert_eq!(bucket(bigram(hash_word(WORD_SEED, b"join"), hash_word(WORD_SEED, b"us")), 18), 220_460);
    }

    #[test]
    fn distinguishes_order_and_length() {
        let a = hash_word(WORD_SEED, b"ab");
        let b = hash_word(WORD_SEED, b"ba");
        assert_ne!(a, b);
        assert_ne!(hash_word(WORD_SEED, b"a"), hash_word(WORD_SEED, b"a\0"));
        assert_ne!(bigram(a, b), bigram(b, a));
    }

    #[test]
    fn buckets_spread() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..10_000u32 {
            seen.insert(bucket(hash_word(WORD_SEED, format!("w{i}").as_bytes()), 18));
        }
        // With 10k keys in 262k buckets, expect ~190 collisions; far more means a weak hash.
        assert!(seen.len() > 9_700, "{} distinct buckets", seen.len());
    }
}
