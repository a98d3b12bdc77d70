//! A per-thread cache of the character n-gram buckets of recent words.
//!
//! Words repeat: in news text the thousand most frequent words make up about half of all tokens. Hashing a
//! word's character n-grams costs one FNV-1a step per byte of every n-gram and a finaliser per n-gram, about
//! thirty n-grams for an average word; copying its bucket list from a cache costs a look-up and a copy. The
//! cache is keyed by the word's bytes (compared in full, so a hash collision can never return another word's
//! buckets) and is transparent: a hit returns exactly the buckets a miss computes, in the same order.
//!
//! It is direct-mapped: each word has one slot, chosen by its hash, and a new word takes the slot over. Word
//! bytes and bucket lists live in two arenas; when either is full, the whole cache is emptied and starts again,
//! so its memory is bounded (192 KB of slots, 1 MB of buckets, 64 KB of word bytes: 1.25 MB) and frequent
//! words come back at once.

/// Slots, as a power of two.
const SLOTS_LOG2: u32 = 13;
/// Bucket numbers the arena holds before the cache starts again.
const BUCKET_ARENA: usize = 1 << 18;
/// Longest word cached, in bytes: longer words are rare, and their bucket lists long.
pub(crate) const MAX_WORD: usize = 32;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The word's hash; `0` with `len == 0` marks an empty slot (an empty word is never cached).
    key: u64,
    /// Where the word's bytes start in the byte arena.
    bytes_at: u32,
    /// Where its buckets start in the bucket arena.
    buckets_at: u32,
    /// Length of the word in bytes.
    len: u8,
    /// Number of buckets.
    count: u16,
}

/// The cache. Empty (and allocation-free) until first used.
#[derive(Debug, Clone)]
pub(crate) struct WordCache {
    slots: Vec<Slot>,
    slots_log2: u32,
    bytes: Vec<u8>,
    buckets: Vec<u32>,
    bucket_arena: usize,
}

impl Default for WordCache {
    fn default() -> Self {
        WordCache::with_sizes(SLOTS_LOG2, BUCKET_ARENA)
    }
}

impl WordCache {
    /// A cache of `2^slots_log2` slots whose bucket arena holds `bucket_arena` entries (and byte arena a quarter
    /// as many bytes).
    pub(crate) fn with_sizes(slots_log2: u32, bucket_arena: usize) -> Self {
        WordCache { slots: Vec::new(), slots_log2, bytes: Vec::new(), buckets: Vec::new(), bucket_arena }
    }

    /// Word bytes the byte arena holds.
    fn byte_arena(&self) -> usize {
        self.bucket_arena / 4
    }

    #[inline(always)]
    fn slot_of(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.slots_log2)) as usize
    }

    /// The buckets cached for `word` (whose hash is `key`), if any.
    #[inline(always)]
    pub(crate) fn get(&self, key: u64, word: &[u8]) -> Option<&[u32]> {
        let slot = self.slots.get(self.slot_of(key))?;
        if slot.key != key || slot.len as usize != word.len() || word.is_empty() {
            return None;
        }
        let at = slot.bytes_at as usize;
        if self.bytes.get(at..at + word.len())? != word {
            return None;
        }
        let at = slot.buckets_at as usize;
        self.buckets.get(at..at + slot.count as usize)
    }

    /// Remembers `buckets` for `word` (whose hash is `key`). Words that are empty, longer than [`MAX_WORD`] or
    /// with more buckets than a slot can count are not cached.
    pub(crate) fn insert(&mut self, key: u64, word: &[u8], buckets: &[u32]) {
        if word.is_empty() || word.len() > MAX_WORD || buckets.len() > u16::MAX as usize {
            return;
        }
        if self.slots.is_empty() {
            self.slots = vec![Slot::default(); 1 << self.slots_log2];
            self.bytes.reserve(self.byte_arena());
            self.buckets.reserve(self.bucket_arena);
        }
        if self.buckets.len() + buckets.len() > self.bucket_arena || self.bytes.len() + word.len() > self.byte_arena() {
            self.slots.fill(Slot::default());
            self.bytes.clear();
            self.buckets.clear();
            if buckets.len() > self.bucket_arena || word.len() > self.byte_arena() {
                return;
            }
        }
        let i = self.slot_of(key);
        self.slots[i] = Slot {
            key,
            bytes_at: self.bytes.len() as u32,
            buckets_at: self.buckets.len() as u32,
            len: word.len() as u8,
            count: buckets.len() as u16,
        };
        self.bytes.extend_from_slice(word);
        self.buckets.extend_from_slice(buckets);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_what_was_stored_for_the_same_word_only() {
        let mut cache = WordCache::default();
        assert_eq!(cache.get(7, b"join"), None);
        cache.insert(7, b"join", &[1, 2, 3]);
        assert_eq!(cache.get(7, b"join"), Some(&[1, 2, 3][..]));
        // Same key, other bytes (a hash collision): not a hit.
        assert_eq!(cache.get(7, b"jojn"), None);
        assert_eq!(cache.get(7, b"joins"), None);
        // A word that takes the slot over replaces it.
        cache.insert(7, b"jojn", &[9]);
        assert_eq!(cache.get(7, b"join"), None);
        assert_eq!(cache.get(7, b"jojn"), Some(&[9][..]));
        // Not cached: empty and overlong words.
        cache.insert(8, b"", &[1]);
        assert_eq!(cache.get(8, b""), None);
        let long = [b'a'; MAX_WORD + 1];
        cache.insert(9, &long, &[1]);
        assert_eq!(cache.get(9, &long), None);
    }

    #[test]
    fn starts_again_when_full() {
        let mut cache = WordCache::with_sizes(4, 10);
        cache.insert(1, b"a", &[1, 2, 3, 4]);
        cache.insert(2 << 60, b"b", &[5, 6, 7, 8]);
        assert_eq!(cache.get(1, b"a"), Some(&[1, 2, 3, 4][..]));
        // Does not fit: everything goes, then the new word is stored.
        cache.insert(3 << 60, b"c", &[9, 10, 11]);
        assert_eq!(cache.get(1, b"a"), None);
        assert_eq!(cache.get(2 << 60, b"b"), None);
        assert_eq!(cache.get(3 << 60, b"c"), Some(&[9, 10, 11][..]));
        // Larger than the whole arena: not cached.
        cache.insert(4 << 60, b"d", &[0; 11]);
        assert_eq!(cache.get(4 << 60, b"d"), None);
    }
}
