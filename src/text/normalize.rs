//! Text normalisation with a map back to the original text.
//!
//! One pass turns raw text into the form every later stage sees:
//! 1. invisible characters are dropped: zero-width and bidi controls, soft hyphen, variation selectors, and
//!    Arabic tatweel and diacritics (harakat, tanwin, superscript alef, Quranic marks);
//! 2. each *segment* (a starter character and the combining marks after it) is put in Unicode NFKC;
//! 3. characters are lower-cased, with `ς`→`σ` and `ß`→`ss` so that case folding is complete for Greek and
//!    German;
//! 4. letter variants that writers use interchangeably are folded: Arabic alef forms (`أ إ آ ٱ`→`ا`), yeh forms
//!    (`ى ی ئ`→`ي`), `ؤ`→`و`, ta marbuta `ة`→`ه`, keheh `ک`→`ك`, Russian `ё`→`е`, and Arabic-Indic digits to ASCII;
//! 5. disguises are undone word by word ([`super::deobfuscate`]): Latin/Cyrillic homoglyphs, leetspeak digits,
//!    letters spaced out one by one.
//!
//! Normalising by segment rather than by whole string is what lets every output byte point back to the
//! original bytes it came from. The only NFKC compositions it cannot make are between two starters (Hangul
//! jamo sequences), which do not occur in the scripts propscan is built for.
//!
//! ASCII input takes a fast path when it has nothing to undo: lower-casing only, offsets are the identity.

use super::deobfuscate::{deobfuscate, needs_deobfuscation};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Receives, for each run of output bytes, the byte range of the original text they came from.
///
/// Scoring uses `()` (no bookkeeping, compiled away); explanation uses [`OffsetMap`].
pub trait OffsetSink: Default {
    /// `len` output bytes were produced from original bytes `start..end`.
    fn push(&mut self, len: usize, start: usize, end: usize);
    /// `len` output bytes were produced from bytes `range` of an intermediate text whose own origins `via` holds.
    fn push_via(&mut self, len: usize, via: &Self, range: std::ops::Range<usize>);
    /// Forget everything (the sink is about to be reused).
    fn clear(&mut self);
}

impl OffsetSink for () {
    #[inline(always)]
    fn push(&mut self, _len: usize, _start: usize, _end: usize) {}
    #[inline(always)]
    fn push_via(&mut self, _len: usize, _via: &Self, _range: std::ops::Range<usize>) {}
    #[inline(always)]
    fn clear(&mut self) {}
}

/// For every byte of normalised text, the range of original bytes it came from.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OffsetMap {
    start: Vec<u32>,
    end: Vec<u32>,
}

impl OffsetSink for OffsetMap {
    fn push(&mut self, len: usize, start: usize, end: usize) {
        for _ in 0..len {
            self.start.push(start as u32);
            self.end.push(end as u32);
        }
    }
    fn push_via(&mut self, len: usize, via: &Self, range: std::ops::Range<usize>) {
        if let Some(r) = via.original(range) {
            self.push(len, r.start, r.end);
        }
    }
    fn clear(&mut self) {
        self.start.clear();
        self.end.clear();
    }
}

impl OffsetMap {
    /// The original byte range covering normalised bytes `range`, or `None` for an empty or out-of-bounds range.
    pub fn original(&self, range: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        if range.start >= range.end {
            return None;
        }
        let start = *self.start.get(range.start)?;
        let end = *self.end.get(range.end - 1)?;
        Some(start as usize..end as usize)
    }

    /// Number of normalised bytes mapped.
    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
}

/// Characters removed before and after NFKC: invisible formatting and Arabic marks that writers add or drop freely.
#[inline]
pub fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{00AD}' // soft hyphen
        | '\u{034F}' // combining grapheme joiner
        | '\u{061C}' // Arabic letter mark
        | '\u{0610}'..='\u{061A}' // Arabic honorific and Quranic signs
        | '\u{0640}' // tatweel
        | '\u{064B}'..='\u{065F}' // harakat, tanwin, shadda, sukun, hamza above/below
        | '\u{0670}' // superscript alef
        | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E8}' | '\u{06EA}'..='\u{06ED}' // Quranic annotation
        | '\u{180E}' // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}' // zero-width space, ZWNJ, ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FE00}'..='\u{FE0F}' // variation selectors
        | '\u{FE70}'..='\u{FE7F}' // presentation forms of harakat (NFKC: space or tatweel plus a haraka)
        | '\u{FEFF}' // byte order mark / zero-width no-break space
    )
}

/// Folds one lower-cased character; returns the replacement, or `None` to keep it.
#[inline]
pub(super) fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => "ا",
        'ى' | 'ی' | 'ئ' => "ي",
        'ؤ' => "و",
        'ة' => "ه",
        'ک' => "ك",
        'ё' => "е",
        'ς' => "σ",
        'ß' => "ss",
        '٠' | '۰' => "0",
        '١' | '۱' => "1",
        '٢' | '۲' => "2",
        '٣' | '۳' => "3",
        '٤' | '۴' => "4",
        '٥' | '۵' => "5",
        '٦' | '۶' => "6",
        '٧' | '۷' => "7",
        '٨' | '۸' => "8",
        '٩' | '۹' => "9",
        _ => return None,
    })
}

/// Appends the lower-cased, folded form of `c` to `out`.
#[inline]
fn push_folded(c: char, out: &mut String) {
    if is_removed(c) {
        return;
    }
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    // Basic Cyrillic and Arabic without the case tables (exactly what `to_lowercase` gives for these ranges).
    let simple = match c {
        '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20),
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50),
        '\u{0430}'..='\u{045F}' | '\u{0600}'..='\u{06FF}' => Some(c),
        _ => None,
    };
    if let Some(lower) = simple {
        match fold(lower) {
            Some(s) => out.push_str(s),
            None => out.push(lower),
        }
        return;
    }
    for lower in c.to_lowercase() {
        match fold(lower) {
            Some(s) => out.push_str(s),
            None => out.push(lower),
        }
    }
}

/// True when ASCII text may hold something to undo: a digit next to a letter, or three spaced single letters.
fn ascii_needs_care(b: &[u8]) -> bool {
    let alpha = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphabetic);
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // The cheap, selective test first: a digit, or a space two bytes before another space.
    (0..b.len()).any(|i| match b[i] {
        b'0'..=b'9' => (i > 0 && alpha(i - 1)) || alpha(i + 1),
        b' ' if b.get(i + 2) == Some(&b' ') => {
            i > 0 && alpha(i - 1) && (i < 2 || !alnum(i - 2)) && alpha(i + 1) && alpha(i + 3) && !alnum(i + 4)
        }
        _ => false,
    })
}

thread_local! {
    /// The first pass's output, reused from one text to the next.
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Normalises `text` into `out` (cleared first), reporting original offsets to `offsets`: the character pass
/// (steps 1-4), then, when the result has anything to undo, de-obfuscation (step 5) over the result, so that
/// normalising a normalised text changes nothing.
pub fn normalize_into<S: OffsetSink>(text: &str, out: &mut String, offsets: &mut S) {
    out.clear();
    offsets.clear();
    if text.is_ascii() && !ascii_needs_care(text.as_bytes()) {
        out.push_str(text);
        out.make_ascii_lowercase();
        offsets_identity(text, offsets);
        return;
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut first) => two_passes(text, &mut first, out, offsets),
        Err(_) => two_passes(text, &mut String::new(), out, offsets),
    });
}

fn two_passes<S: OffsetSink>(text: &str, first: &mut String, out: &mut String, offsets: &mut S) {
    first.clear();
    let mut via = S::default();
    characters(text, first, &mut via);
    if needs_deobfuscation(first) {
        deobfuscate(first, out, |len, range| offsets.push_via(len, &via, range));
    } else {
        std::mem::swap(out, first);
        std::mem::swap(offsets, &mut via);
    }
}

/// The character pass: removal, NFKC per segment, lower-casing, folding.
fn characters<S: OffsetSink>(text: &str, out: &mut String, offsets: &mut S) {
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
        offsets_identity(text, offsets);
        return;
    }
    // Segments are built over the kept characters only, so that a removed character between a letter and its
    // combining mark does not stop them from composing (normalising twice then gives the same result).
    let mut seg_start: Option<usize> = None;
    let mut seg_end = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            // A run of ASCII characters: each is a starter, so each is a segment of its own, except that the
            // last may take combining marks that follow it.
            let end = bytes[i..].iter().position(|b| !b.is_ascii()).map_or(bytes.len(), |n| i + n);
            if let Some(start) = seg_start.take() {
                flush(text, start, seg_end, out, offsets);
            }
            let before = out.len();
            out.push_str(&text[i..end - 1]);
            out[before..].make_ascii_lowercase();
            for k in i..end - 1 {
                offsets.push(1, k, k + 1);
            }
            (seg_start, seg_end, i) = (Some(end - 1), end, end);
            continue;
        }
        let Some(c) = text[i..].chars().next() else { break };
        let len = c.len_utf8();
        // Below U+0300 only the soft hyphen is removed and every character is a starter.
        let low = (c as u32) < 0x300;
        if if low { c == '\u{00AD}' } else { is_removed(c) } {
            i += len;
            continue;
        }
        if low || canonical_combining_class(c) == 0 || seg_start.is_none() {
            if let Some(start) = seg_start.take() {
                flush(text, start, seg_end, out, offsets);
            }
            seg_start = Some(i);
        }
        seg_end = i + len;
        i += len;
    }
    if let Some(start) = seg_start {
        flush(text, start, seg_end, out, offsets);
    }
}

fn offsets_identity<S: OffsetSink>(text: &str, offsets: &mut S) {
    for i in 0..text.len() {
        offsets.push(1, i, i + 1);
    }
}

/// [`flush_segment`] with the common case inline: a segment of one byte is one ASCII character.
#[inline(always)]
fn flush<S: OffsetSink>(text: &str, start: usize, end: usize, out: &mut String, offsets: &mut S) {
    match text.as_bytes().get(start) {
        Some(&b) if end == start + 1 && b.is_ascii() => {
            out.push(b.to_ascii_lowercase() as char);
            offsets.push(1, start, end);
        }
        _ => flush_segment(text, start, end, out, offsets),
    }
}

/// Normalises original bytes `start..end` (one segment, possibly with removed characters inside) into `out`.
fn flush_segment<S: OffsetSink>(text: &str, start: usize, end: usize, out: &mut String, offsets: &mut S) {
    let segment = &text[start..end];
    let before = out.len();
    let mut chars = segment.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // A lone character already in NFKC (the quick check is exact when it says yes) needs no normaliser.
        (Some(c), None)
            if !is_removed(c)
                && unicode_normalization::is_nfkc_quick(std::iter::once(c))
                    == unicode_normalization::IsNormalized::Yes =>
        {
            push_folded(c, out)
        }
        (_, second) => {
            for c in segment.chars().filter(|&c| !is_removed(c)).nfkc() {
                push_folded(c, out);
            }
            // Folding can leave a letter and marks that compose (`ß` + acute → `s` + `ś`): compose them, so that
            // normalising twice changes nothing.
            if second.is_some() {
                let tail = &out[before..];
                if unicode_normalization::is_nfkc_quick(tail.chars()) != unicode_normalization::IsNormalized::Yes {
                    let composed: String = tail.nfkc().collect();
                    out.truncate(before);
                    out.push_str(&composed);
                }
            }
        }
    }
    offsets.push(out.len() - before, start, end);
}

/// Normalises `text` into a new string (convenience for tests and one-off use).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out, &mut ());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("Join The RANKS", "join the ranks"),
            ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),      // NFKC compatibility
            ("e\u{301}", "\u{e9}"),                   // composition
            ("j\u{200B}o\u{200D}i\u{2060}n", "join"), // zero-width inside a word
            ("\u{202E}nioj\u{202C}", "nioj"),         // bidi override removed, text kept
            ("الـــهجرة", "الهجره"),                  // tatweel, ta marbuta
            ("إِلَى", "الي"),                           // diacritics, alef and yeh variants
            ("بَيْعَة", "بيعه"),
            ("ЁЛКА ещё", "елка еще"),
            ("Қувваи ҲИҶРАТ", "қувваи ҳиҷрат"), // Tajik letters lower-cased, not folded
            ("ΟΔΟΣ", "οδοσ"),
            ("Straße", "strasse"),
            ("١٢٣ ۴۵", "123 45"),
            ("ﻻ", "لا"),                             // presentation form
            ("J01N the h1jr4h", "join the hijrah"), // leetspeak
            ("covid 2024 x1", "covid 2024 x1"),     // numbers stay numbers
            ("jоin thе rаnks", "join the ranks"),   // Cyrillic look-alikes in English
            ("прoстo", "просто"),                   // Latin look-alikes in Russian
            ("h i j r a h now", "hijrah now"),      // spaced letters
            ("a b", "a b"),
            ("I am a b c", "i am abc"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn idempotent_on_tricky_text() {
        let inputs = [
            "e\u{200B}\u{301}x",
            "İstanbul ΣΟΦΙΑ",
            "ا\u{654} أ",
            "ﷺ ﷲ ﻷ",
            "ǅemal ﬁne ℡ Ⅻ",
            "a\u{FE71}\u{301}b",
            "\u{301}\u{301}leading marks",
        ];
        for input in inputs {
            let once = normalize(input);
            assert_eq!(normalize(&once), once, "input {input:?}");
        }
    }

    #[test]
    fn offsets_point_into_original() {
        let text = "Жди\u{200B} ПРИКАЗА, أَخي ｆｕｌｌ e\u{301}";
        let mut out = String::new();
        let mut map = OffsetMap::default();
        normalize_into(text, &mut out, &mut map);
        assert_eq!(map.len(), out.len());
        // Every output character maps to a range on char boundaries of the original.
        for (i, c) in out.char_indices() {
            let range = map.original(i..i + c.len_utf8()).expect("mapped");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            assert!(range.start < range.end);
        }
        let find = |word: &str| {
            let at = out.find(word).expect("word present");
            let range = map.original(at..at + word.len()).expect("mapped");
            &text[range]
        };
        assert_eq!(find("приказа"), "ПРИКАЗА");
        assert_eq!(find("اخي"), "أَخي");
        assert_eq!(find("full"), "ｆｕｌｌ");
        assert_eq!(find("\u{e9}"), "e\u{301}");
        assert_eq!(find("жди"), "Жди");
    }

    #[test]
    fn fast_lower_casing_agrees_with_the_unicode_tables() {
        for c in ('\u{0400}'..='\u{045F}').chain('\u{0600}'..='\u{06FF}') {
            let mut fast = String::new();
            push_folded(c, &mut fast);
            let mut slow = String::new();
            for lower in c.to_lowercase() {
                match fold(lower) {
                    Some(s) => slow.push_str(s),
                    None => slow.push(lower),
                }
            }
            if !is_removed(c) {
                assert_eq!(fast, slow, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn ascii_offsets_are_identity() {
        let mut out = String::new();
        let mut map = OffsetMap::default();
        normalize_into("Hello World", &mut out, &mut map);
        assert_eq!(out, "hello world");
        assert_eq!(map.original(6..11), Some(6..11));
        assert_eq!(map.original(3..3), None);
    }
}
