//! Undoing the disguises posters use to slip past filters, word by word, over text that the character pass of
//! normalisation has already lower-cased and folded:
//!
//! - **spaced letters**: three or more single letters separated by single spaces are one word (`j o i n` →
//!   `join`);
//! - **homoglyphs**: a word that mixes Latin and Cyrillic letters is written in one script, the one with more
//!   letters that have no look-alike in the other (`jоin` with a Cyrillic `о` becomes `join`); a word made only
//!   of look-alikes takes the script that dominates the whole text (`расе` in English text becomes `pace`);
//! - **leetspeak**: in a word with at least two letters and no more than two digits per letter, a run of digits
//!   that touches a letter stands for the letters it imitates: in a Latin word `0 1 3 4 5 7` → `o i e a s t`
//!   (`h1jr4h` → `hijrah`, `50ld13r5` → `soldiers`), in a Cyrillic word `0` → `о` (`бар0дар0н` → `бародарон`).
//!
//! Zero-width characters need nothing here: the character pass drops them. Every rule is stable (applying it to
//! its own output changes nothing), so normalisation is idempotent.

use std::ops::Range;

/// The two scripts whose letters imitate each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters.
    Latin,
    /// Cyrillic letters.
    Cyrillic,
}

/// The Latin look-alike of a lower-case Cyrillic letter.
fn cyrillic_to_latin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'е' => 'e',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        _ => return None,
    })
}

/// The Cyrillic look-alike of a lower-case Latin letter.
fn latin_to_cyrillic(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'b' => 'в',
        'e' => 'е',
        'k' => 'к',
        'm' => 'м',
        'h' => 'н',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        't' => 'т',
        'y' => 'у',
        'x' => 'х',
        'i' => 'і',
        'j' => 'ј',
        's' => 'ѕ',
        _ => return None,
    })
}

/// The letter a leetspeak digit stands for.
fn leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        _ => return None,
    })
}

/// The Cyrillic letter a digit stands for in a Cyrillic word (`бар0дар0н`). Only `0` → `о`: a letter with a Latin
/// look-alike, so that undoing it cannot change which script dominates a text (and normalising twice changes
/// nothing).
fn leet_cyrillic(c: char) -> Option<char> {
    (c == '0').then_some('о')
}

/// The script of a letter, if Latin or Cyrillic (exact ranges: no Unicode table look-up on the hot path).
#[inline]
fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' => Some(Script::Latin),
        '\u{00C0}'..='\u{024F}' if c != '\u{00D7}' && c != '\u{00F7}' => Some(Script::Latin),
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => Some(Script::Cyrillic),
        _ => None,
    }
}

/// `alphabetic`, answered from ranges for ASCII, Latin, Cyrillic and Arabic letters (the common case)
/// before falling back to the Unicode tables, which are slow.
#[inline]
fn alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if script(c).is_some() {
        return true;
    }
    match c {
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{066F}' | '\u{0671}'..='\u{06D3}' => true,
        '\u{0482}'..='\u{0489}' | '\u{064B}'..='\u{065F}' | '\u{0660}'..='\u{0669}' => false,
        // General Punctuation: spaces, dashes, quotes, format characters; no letter, digit or mark.
        '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphabetic(),
    }
}

/// A letter that decides a word's script: it has no look-alike in the other script, and no digit stands for it.
fn sure(c: char) -> Option<Script> {
    let s = script(c)?;
    let ambiguous = cyrillic_to_latin(c).is_some() || latin_to_cyrillic(c).is_some();
    (!ambiguous).then_some(s)
}

/// Part of a word: a letter, a digit, or a combining mark.
#[inline]
fn in_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if ('\u{2000}'..='\u{206F}').contains(&c) {
        return false;
    }
    alphabetic(c) || c.is_numeric() || unicode_normalization::char::is_combining_mark(c)
}

/// True when `s` (normalised by the character pass) has anything to undo: letters of both scripts, a digit
/// touching a letter, or three single letters spaced out.
pub fn needs_deobfuscation(s: &str) -> bool {
    let (mut latin, mut cyrillic) = (false, false);
    let mut prev: Option<char> = None;
    let mut singles = 0; // single letters seen so far in a run "x y z"
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match script(c) {
            Some(Script::Latin) => latin = true,
            Some(Script::Cyrillic) => cyrillic = true,
            None => {}
        }
        let next = chars.peek().copied();
        if c.is_ascii_digit() && (prev.is_some_and(alphabetic) || next.is_some_and(alphabetic)) {
            return true;
        }
        if !prev.is_some_and(in_word) && alphabetic(c) && !next.is_some_and(in_word) {
            singles = if prev == Some(' ') { singles + 1 } else { 1 };
            if singles >= 3 {
                return true;
            }
        } else if c != ' ' {
            singles = 0;
        }
        prev = Some(c);
    }
    latin && cyrillic
}

/// The script that dominates `s` by sure letters, when it has letters of both scripts.
fn dominant_script(s: &str) -> Option<Script> {
    let (mut latin, mut cyrillic, mut l_sure, mut c_sure) = (false, false, 0usize, 0usize);
    for c in s.chars() {
        match script(c) {
            Some(Script::Latin) => latin = true,
            Some(Script::Cyrillic) => cyrillic = true,
            None => continue,
        }
        match sure(c) {
            Some(Script::Latin) => l_sure += 1,
            Some(Script::Cyrillic) => c_sure += 1,
            None => {}
        }
    }
    (latin && cyrillic).then_some(if c_sure > l_sure { Script::Cyrillic } else { Script::Latin })
}

/// Which script a word's look-alike letters are written in, or `None` to leave them.
pub fn word_script(word: &str, dominant: Option<Script>) -> Option<Script> {
    let (mut latin, mut cyrillic, mut l_sure, mut c_sure) = (0usize, 0usize, 0usize, 0usize);
    for c in word.chars() {
        match script(c) {
            Some(Script::Latin) => latin += 1,
            Some(Script::Cyrillic) => cyrillic += 1,
            None => continue,
        }
        match sure(c) {
            Some(Script::Latin) => l_sure += 1,
            Some(Script::Cyrillic) => c_sure += 1,
            None => {}
        }
    }
    match (latin > 0, cyrillic > 0) {
        (true, true) => Some(match l_sure.cmp(&c_sure) {
            std::cmp::Ordering::Greater => Script::Latin,
            std::cmp::Ordering::Less => Script::Cyrillic,
            std::cmp::Ordering::Equal => {
                dominant.unwrap_or(if cyrillic > latin { Script::Cyrillic } else { Script::Latin })
            }
        }),
        // A word made only of look-alikes of the other script than the text's.
        (true, false) if l_sure == 0 && dominant == Some(Script::Cyrillic) => Some(Script::Cyrillic),
        (false, true) if c_sure == 0 && dominant == Some(Script::Latin) => Some(Script::Latin),
        _ => None,
    }
}

/// If `s` has three or more single letters separated by single spaces starting at byte `start` (which holds a
/// letter that starts a word), the byte where they end.
pub fn spaced_run_end(s: &str, start: usize) -> Option<usize> {
    let rest = s.get(start..)?;
    let mut chars = rest.char_indices().peekable();
    let (mut count, mut end) = (0, start);
    while let Some((i, c)) = chars.next() {
        if !alphabetic(c) {
            break;
        }
        match chars.peek() {
            Some(&(_, d)) if in_word(d) => break, // not a single letter
            _ => {}
        }
        count += 1;
        end = start + i + c.len_utf8();
        match chars.peek() {
            Some(&(_, ' ')) => {
                chars.next();
                if !chars.peek().is_some_and(|&(_, d)| alphabetic(d)) {
                    break;
                }
            }
            _ => break,
        }
    }
    (count >= 3).then_some(end)
}

/// Rewrites `src` into `out`, calling `emit(out_bytes, src_range)` for each piece written.
pub fn deobfuscate(src: &str, out: &mut String, mut emit: impl FnMut(usize, Range<usize>)) {
    let dominant = dominant_script(src);
    let mut i = 0;
    let mut word = String::new();
    while i < src.len() {
        let Some(c) = src[i..].chars().next() else { break };
        if !in_word(c) {
            out.push(c);
            emit(c.len_utf8(), i..i + c.len_utf8());
            i += c.len_utf8();
            continue;
        }
        let word_end = src[i..].char_indices().find(|&(_, d)| !in_word(d)).map_or(src.len(), |(j, _)| i + j);
        let spaced = if word_end == i + c.len_utf8() && alphabetic(c) { spaced_run_end(src, i) } else { None };
        let end = spaced.unwrap_or(word_end);
        // The word as it will be read: the letters of a spaced run joined.
        word.clear();
        word.extend(src[i..end].chars().filter(|&d| d != ' ' || spaced.is_none()));
        let target = word_script(&word, dominant);
        let letters = word.chars().filter(|&c| alphabetic(c)).count();
        let digits = word.chars().filter(char::is_ascii_digit).count();
        let has_cyrillic = word.chars().any(|c| script(c) == Some(Script::Cyrillic));
        let latin_after = target == Some(Script::Latin) || (!has_cyrillic && target.is_none());
        let cyrillic_after = target == Some(Script::Cyrillic) || (has_cyrillic && target.is_none());
        let leet_on =
            (digits > 0 && letters >= 2 && 2 * letters >= digits && word.chars().any(|c| script(c).is_some()))
                .then_some(if latin_after { Script::Latin } else { Script::Cyrillic })
                .filter(|s| *s == Script::Latin || cyrillic_after);
        emit_word(src, i, end, spaced.is_some(), target, leet_on, out, &mut emit);
        i = end;
    }
}

/// Writes `src[start..end]` mapped by `target` (look-alikes) and `leet_on` (digit runs touching letters, read as
/// letters of that script).
#[allow(clippy::too_many_arguments)]
fn emit_word(
    src: &str,
    start: usize,
    end: usize,
    spaced: bool,
    target: Option<Script>,
    leet_on: Option<Script>,
    out: &mut String,
    emit: &mut impl FnMut(usize, Range<usize>),
) {
    let piece = &src[start..end];
    let mut prev_letter = false;
    let mut run_touches = false;
    let mut prev_digit = false;
    let mut chars = piece.char_indices().peekable();
    while let Some((j, c)) = chars.next() {
        let at = start + j;
        if spaced && c == ' ' {
            continue;
        }
        let next = chars.peek().map(|&(_, d)| d);
        let mapped = if c.is_ascii_digit() {
            if !prev_digit {
                let after = piece[j..].chars().find(|d| !d.is_ascii_digit());
                run_touches = prev_letter || after.is_some_and(alphabetic);
            }
            let marked = next.is_some_and(unicode_normalization::char::is_combining_mark);
            let mapped = match leet_on {
                Some(Script::Latin) => leet(c),
                Some(Script::Cyrillic) => leet_cyrillic(c),
                None => None,
            };
            match (run_touches && !marked, mapped) {
                (true, Some(l)) => l,
                _ => c,
            }
        } else if next.is_some_and(unicode_normalization::char::is_combining_mark) {
            c // a letter carrying a mark keeps its script: the pair may compose differently in the other
        } else {
            match target {
                Some(Script::Latin) => cyrillic_to_latin(c).unwrap_or(c),
                Some(Script::Cyrillic) if !c.is_ascii_digit() => latin_to_cyrillic(c).unwrap_or(c),
                _ => c,
            }
        };
        if !unicode_normalization::char::is_combining_mark(c) {
            prev_letter = alphabetic(c) || alphabetic(mapped);
            prev_digit = c.is_ascii_digit();
        }
        out.push(mapped);
        emit(mapped.len_utf8(), at..at + c.len_utf8());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut out = String::new();
        deobfuscate(s, &mut out, |_, _| {});
        out
    }

    #[test]
    fn rules() {
        assert_eq!(run("jоin thе rаnks"), "join the ranks");
        assert_eq!(run("расе and join"), "pace and join");
        assert_eq!(run("прoстo"), "просто");
        assert_eq!(run("h1jr4h and j01n"), "hijrah and join");
        assert_eq!(run("2024 x1 covid19"), "2024 x1 covidi9");
        assert_eq!(run("h i j r a h now"), "hijrah now");
        assert_eq!(run("a b"), "a b");
        assert_eq!(run("i am a b c"), "i am abc");
        assert_eq!(run("б р а т"), "брат");
        for s in ["jоin thе rаnks", "h1jr4h", "h i j r a h", "x9 a91 00join"] {
            let once = run(s);
            assert_eq!(run(&once), once, "{s}");
        }
    }

    /// The ranges answered without the Unicode tables give what the tables give, except for the Cyrillic and
    /// Arabic combining marks, which are deliberately not letters here.
    #[test]
    fn letter_ranges_agree_with_unicode() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            let marks = ('\u{0482}'..='\u{0489}').contains(&c) || ('\u{064B}'..='\u{065F}').contains(&c);
            assert_eq!(alphabetic(c), c.is_alphabetic() && !marks, "{c:?}");
            let table = c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
            assert_eq!(in_word(c), table, "{c:?}");
        }
    }

    #[test]
    fn what_needs_it() {
        assert!(!needs_deobfuscation("plain english, 2024"));
        assert!(!needs_deobfuscation(""));
        assert!(needs_deobfuscation("j0in"));
        assert!(needs_deobfuscation("h i j"));
        assert!(!needs_deobfuscation("h i"));
        assert!(needs_deobfuscation("вступай join"));
        assert!(!needs_deobfuscation("вступай в ряды"));
    }
}
