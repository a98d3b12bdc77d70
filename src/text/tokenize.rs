//! Tokenisation on Unicode word boundaries (UAX #29).
//!
//! Tokens are byte ranges into the normalised text, so no token is ever allocated. The text is cut into UAX #29
//! word-boundary segments; a segment with a letter or digit is a *word* (exactly what `unicode_word_indices`
//! yields), a segment of whitespace is skipped, and anything else (punctuation, emoji) is a *symbol*: register
//! lives there too ("!!!", "🔥", quotation marks). ASCII text takes a hand-written scanner that applies the
//! same rules (WB5-WB13b) and is checked against `unicode-segmentation` in the tests.

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Under,
    /// `:` (MidLetter)
    MidLetter,
    /// `.` and `'` (MidNumLet, Single_Quote)
    MidNumLet,
    /// `,` and `;` (MidNum)
    MidNum,
    Other,
}

#[inline]
fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Under,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

#[inline]
fn is_word_char(c: Class) -> bool {
    matches!(c, Class::Letter | Class::Digit | Class::Under)
}

/// The ASCII subset of UAX #29: runs of letters, digits and `_`, joined across one `:`/`.`/`'` between letters
/// and across one `,`/`;`/`.`/`'` between digits, are words (runs made only of `_` are symbols); every other
/// non-space character is a symbol on its own.
fn ascii_tokens(bytes: &[u8], f: &mut impl FnMut(Range<usize>, TokenKind)) {
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        if !is_word_char(class(bytes[i])) {
            if !bytes[i].is_ascii_whitespace() && bytes[i] != 0x0B {
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
            if i + 1 < n {
                let after = class(bytes[i + 1]);
                let joins = match next {
                    Class::MidLetter => c == Class::Letter && after == Class::Letter,
                    Class::MidNumLet => {
                        (c == Class::Letter && after == Class::Letter) || (c == Class::Digit && after == Class::Digit)
                    }
                    Class::MidNum => c == Class::Digit && after == Class::Digit,
                    _ => false,
                };
                if joins {
                    i += 1;
                    continue;
                }
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

    /// The ASCII scanner must agree with unicode-segmentation on every ASCII string.
    #[test]
    fn ascii_scanner_matches_uax29() {
        const ALPHABET: &[u8] = b"ab1_.':,; -\n\r\t\x0b\x0c\"#";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let s: String = (0..len).map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize] as char).collect();
            let mut ours = Vec::new();
            ascii_tokens(s.as_bytes(), &mut |r, k| ours.push((&s[r], k)));
            let reference: Vec<(&str, TokenKind)> = s
                .split_word_bounds()
                .filter(|seg| !seg.chars().all(char::is_whitespace))
                .map(|seg| {
                    (seg, if seg.chars().any(char::is_alphanumeric) { TokenKind::Word } else { TokenKind::Symbol })
                })
                .collect();
            assert_eq!(ours, reference, "input {s:?}");
        }
    }
}
