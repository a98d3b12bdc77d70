//! Tokenisation on Unicode word boundaries (UAX #29).
//!
//! Tokens are byte ranges into the normalised text, so no token is ever allocated. The text is cut into UAX #29
//! word-boundary segments; a segment with a letter or digit is a *word* (exactly what `unicode_word_indices`
//! yields), a segment of whitespace is skipped, and anything else (punctuation, emoji) is a *symbol*: register
//! lives there too ("!!!", "🔥", quotation marks). ASCII text, and text made only of ASCII and the common Latin,
//! Cyrillic and Arabic letters and punctuation listed in `non_ascii_class`, take hand-written scanners that
//! apply the same rules (WB5-WB13b) and are checked against `unicode-segmentation` in the tests; every other text
//! goes to `unicode-segmentation`.

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Contains a letter or digit.
    Word,
    /// Punctuation, emoji or other symbols (one UAX #29 segment).
    Symbol,
}

/// Calls `f` with the byte range and kind of each token of `text`, in order.
#[inline]
pub fn for_each_token(text: &str, mut f: impl FnMut(Range<usize>, TokenKind)) {
    if text.is_ascii() {
        ascii_tokens(text.as_bytes(), &mut f);
    } else if scanner_knows(text) {
        known_tokens(text, &mut f);
    } else {
        for (start, seg) in text.split_word_bound_indices() {
            let kind = if seg.chars().any(char::is_alphanumeric) {
                TokenKind::Word
            } else if seg.chars().all(char::is_whitespace) {
                continue;
            } else {
                TokenKind::Symbol
            };
            f(start..start + seg.len(), kind);
        }
    }
}

/// Calls `f` with the byte range of each word of `text` (symbols skipped), in order.
#[inline]
pub fn for_each_word(text: &str, mut f: impl FnMut(Range<usize>)) {
    for_each_token(text, |r, kind| {
        if kind == TokenKind::Word {
            f(r)
        }
    });
}

/// The words of `text` as string slices (convenience for tests and explanations).
pub fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for_each_word(text, |r| out.push(&text[r]));
    out
}

/// The tokens of `text` as string slices, symbols included.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for_each_token(text, |r, _| out.push(&text[r]));
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Under,
    /// `:` (MidLetter)
    MidLetter,
    /// `.`, `'`, `‘` and `’` (MidNumLet, Single_Quote)
    MidNumLet,
    /// `,`, `;` and the Arabic comma (MidNum)
    MidNum,
    /// White space: never a token.
    Space,
    Other,
}

#[inline(always)]
fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Under,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => Class::Space,
        _ => Class::Other,
    }
}

/// The word-break class of the non-ASCII characters the scanner knows, or `None` for every other character
/// (the whole text then goes to `unicode-segmentation`). These are the characters common in news and posts in
/// the scripts propscan is built for: Latin, Cyrillic and Arabic letters, curly quotes, dashes, the ellipsis,
/// bullets and Arabic punctuation. Each is checked against UAX #29 in the tests.
#[inline]
fn non_ascii_class(c: char) -> Option<Class> {
    Some(match c {
        '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{024F}' => Class::Letter,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => Class::Letter,
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{066F}' | '\u{0671}'..='\u{06D3}' | '\u{06D5}' => Class::Letter,
        '\u{2018}' | '\u{2019}' => Class::MidNumLet,
        '\u{060C}' => Class::MidNum,
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B0}' | '\u{00BB}' | '\u{00BF}' | '\u{00D7}' | '\u{00F7}' => {
            Class::Other
        }
        '\u{061B}' | '\u{061F}' | '\u{066A}' | '\u{066D}' | '\u{06D4}' => Class::Other,
        '\u{2010}'..='\u{2017}' | '\u{201A}'..='\u{2023}' | '\u{2025}' | '\u{2026}' | '\u{2030}'..='\u{203B}' => {
            Class::Other
        }
        _ => return None,
    })
}

#[inline(always)]
fn is_word_char(c: Class) -> bool {
    matches!(c, Class::Letter | Class::Digit | Class::Under)
}

/// True when `joiner` between `before` and `after` keeps them in one word: one `:`/`.`/`'` between letters
/// (WB6/7), one `,`/`;`/`.`/`'` between digits (WB11/12).
#[inline(always)]
fn joins(before: Class, joiner: Class, after: Class) -> bool {
    match joiner {
        Class::MidLetter => before == Class::Letter && after == Class::Letter,
        Class::MidNumLet => {
            (before == Class::Letter && after == Class::Letter) || (before == Class::Digit && after == Class::Digit)
        }
        Class::MidNum => before == Class::Digit && after == Class::Digit,
        _ => false,
    }
}

/// The class and byte length of the character at byte `i` of `text` (a character boundary), or `None` for a
/// character the scanner does not know.
#[inline(always)]
fn class_at(text: &str, i: usize) -> Option<(Class, usize)> {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(&b) if b < 0x80 => Some((class(b), 1)),
        _ => {
            let c = text.get(i..)?.chars().next()?;
            non_ascii_class(c).map(|k| (k, c.len_utf8()))
        }
    }
}

/// True when every character of `text` is one the scanner knows.
fn scanner_knows(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii() || non_ascii_class(c).is_some())
}

/// The ASCII scanner's rules over every character the scanner knows.
fn known_tokens(text: &str, f: &mut impl FnMut(Range<usize>, TokenKind)) {
    let n = text.len();
    // Every character is known (the caller checked), so the fallback is never used; it keeps char boundaries.
    let at = |i: usize| {
        class_at(text, i)
            .unwrap_or_else(|| (Class::Other, text.get(i..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)))
    };
    let mut i = 0;
    while i < n {
        let (mut c, mut len) = at(i);
        if !is_word_char(c) {
            if c != Class::Space {
                f(i..i + len, TokenKind::Symbol);
            }
            i += len;
            continue;
        }
        let start = i;
        let mut has_alnum = false;
        loop {
            has_alnum |= c != Class::Under;
            i += len;
            if i >= n {
                break;
            }
            let (next, next_len) = at(i);
            if is_word_char(next) {
                (c, len) = (next, next_len);
                continue;
            }
            // A single joiner between two letters (WB6/7) or two digits (WB11/12).
            if i + next_len < n {
                let (after, after_len) = at(i + next_len);
                if joins(c, next, after) {
                    i += next_len;
                    (c, len) = (after, after_len);
                    continue;
                }
            }
            break;
        }
        f(start..i, if has_alnum { TokenKind::Word } else { TokenKind::Symbol });
    }
}

/// The ASCII subset of UAX #29: runs of letters, digits and `_`, joined across one `:`/`.`/`'` between letters
/// and across one `,`/`;`/`.`/`'` between digits, are words (runs made only of `_` are symbols); every other
/// non-space character is a symbol on its own.
fn ascii_tokens(bytes: &[u8], f: &mut impl FnMut(Range<usize>, TokenKind)) {
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        if !is_word_char(class(bytes[i])) {
            if class(bytes[i]) != Class::Space {
                f(i..i + 1, TokenKind::Symbol);
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut has_alnum = false;
        loop {
            let c = class(bytes[i]);
            has_alnum |= c != Class::Under;
            i += 1;
            if i >= n {
                break;
            }
            let next = class(bytes[i]);
            if is_word_char(next) {
                continue;
            }
            // A single joiner between two letters (WB6/7) or two digits (WB11/12).
            if i + 1 < n && joins(c, next, class(bytes[i + 1])) {
                i += 1;
                continue;
            }
            break;
        }
        f(start..i, if has_alnum { TokenKind::Word } else { TokenKind::Symbol });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multilingual_words() {
        assert_eq!(words("join us, brothers!"), ["join", "us", "brothers"]);
        assert_eq!(words("don't wait… #hijrah 🚀🔥 now"), ["don't", "wait", "hijrah", "now"]);
        assert_eq!(words("вступай в ряды братьев"), ["вступай", "в", "ряды", "братьев"]);
        assert_eq!(words("ба сафи бародарон ҳамроҳ шавед"), ["ба", "сафи", "бародарон", "ҳамроҳ", "шавед"]);
        assert_eq!(words("انضم إلى الإخوة، الآن"), ["انضم", "إلى", "الإخوة", "الآن"]);
        assert_eq!(words("e.g. 3.14 1,000 a:b __ _x U.S."), ["e.g", "3.14", "1,000", "a:b", "_x", "U.S"]);
    }

    #[test]
    fn symbols_are_tokens() {
        assert_eq!(tokens("join!! now 🔥🔥 «go»"), ["join", "!", "!", "now", "🔥", "🔥", "«", "go", "»"]);
        assert_eq!(tokens("a.\r\n__ b"), ["a", ".", "__", "b"]);
    }

    fn reference(s: &str) -> Vec<(&str, TokenKind)> {
        s.split_word_bounds()
            .filter(|seg| !seg.chars().all(char::is_whitespace))
            .map(|seg| (seg, if seg.chars().any(char::is_alphanumeric) { TokenKind::Word } else { TokenKind::Symbol }))
            .collect()
    }

    fn known(s: &str) -> Vec<(&str, TokenKind)> {
        assert!(scanner_knows(s), "{s:?}");
        let mut ours = Vec::new();
        known_tokens(s, &mut |r, k| ours.push((&s[r], k)));
        ours
    }

    /// Every non-ASCII character the scanner knows behaves as UAX #29 says, next to letters, digits and alone.
    #[test]
    fn known_characters_match_uax29() {
        let mut checked = 0;
        for c in (0x80..0x3_0000).filter_map(char::from_u32).filter(|&c| non_ascii_class(c).is_some()) {
            for pattern in
                ["a{}b", "1{}2", "{}", "a{}", "{}a", "1{}", "{}1", "{}{}", " {} ", "a:{}", "1,{}", "{}.a", "{}'1"]
            {
                let s = pattern.replace("{}", &c.to_string());
                assert_eq!(known(&s), reference(&s), "{c:?} (U+{:04X}) in {s:?}", c as u32);
            }
            checked += 1;
        }
        assert!(checked > 850, "{checked} characters checked");
    }

    /// 20,000 strings of up to 11 characters drawn from `alphabet` (xorshift, fixed seed).
    fn random_strings(alphabet: &[char], seed: u64) -> impl Iterator<Item = String> + '_ {
        let mut next = crate::testing::xorshift(seed);
        (0..20_000).map(move |_| {
            let len = (next() % 12) as usize;
            (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
        })
    }

    /// The scanner for known characters agrees with unicode-segmentation on random mixtures of them.
    #[test]
    fn known_scanner_matches_uax29() {
        const ALPHABET: &[char] = &[
            'a', 'b', '1', '_', '.', '\'', ':', ',', ';', ' ', '\n', '\r', '\t', '"', '#', 'é', 'ß', 'ж', 'ҳ', 'ب',
            'ي', '\u{2019}', '\u{2018}', '\u{201C}', '\u{2014}', '\u{2026}', '\u{060C}', '\u{061F}', '\u{00AB}',
        ];
        for s in random_strings(ALPHABET, 0x2545_F491_4F6C_DD1D) {
            assert_eq!(known(&s), reference(&s), "input {s:?}");
        }
    }

    /// The ASCII scanner must agree with unicode-segmentation on every ASCII string.
    #[test]
    fn ascii_scanner_matches_uax29() {
        const ALPHABET: &[char] =
            &['a', 'b', '1', '_', '.', '\'', ':', ',', ';', ' ', '-', '\n', '\r', '\t', '\x0b', '\x0c', '"', '#'];
        for s in random_strings(ALPHABET, 0x9E37_79B9_7F4A_7C15) {
            let mut ours = Vec::new();
            ascii_tokens(s.as_bytes(), &mut |r, k| ours.push((&s[r], k)));
            assert_eq!(ours, reference(&s), "input {s:?}");
        }
    }
}
