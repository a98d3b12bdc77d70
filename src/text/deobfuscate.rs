//! Undoing the disguises posters use to slip past filters, word by word, inside normalisation:
//!
//! - **homoglyphs**: a word that mixes Latin and Cyrillic letters is written in one script, the one with more
//!   letters that have no look-alike in the other (`jоin` with a Cyrillic `о` becomes `join`); a word made only
//!   of look-alikes takes the script that dominates the whole text (`расе` in English text becomes `pace`);
//! - **leetspeak**: in a word with at least two letters and no more digits than letters, a digit next to a letter
//!   stands for the letter it imitates (`h1jr4h` → `hijrah`; in Cyrillic words `0`→`о`, `3`→`з`, `4`→`ч`);
//! - **spaced letters**: three or more single letters separated by single spaces are one word (`j o i n` →
//!   `join`).
//!
//! Zero-width characters need nothing here: normalisation drops them before words are seen.

use super::normalize::is_removed;

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
        _ => return None,
    })
}

/// The script of a letter, if Latin or Cyrillic.
fn script(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' if c.is_alphabetic() => Some(Script::Latin),
        '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}' if c.is_alphabetic() => Some(Script::Cyrillic),
        _ => None,
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// True when `c` has a look-alike in the other script.
fn ambiguous(c: char) -> bool {
    let l = lower(c);
    cyrillic_to_latin(l).is_some() || latin_to_cyrillic(l).is_some()
}

/// Letters of each script that have no look-alike in the other: `(latin, cyrillic)`.
fn unambiguous_counts(s: &str) -> (usize, usize) {
    let (mut latin, mut cyrillic) = (0, 0);
    for c in s.chars() {
        match script(c) {
            Some(Script::Latin) if !ambiguous(c) => latin += 1,
            Some(Script::Cyrillic) if !ambiguous(c) => cyrillic += 1,
            _ => {}
        }
    }
    (latin, cyrillic)
}

/// The script that dominates `text` by unambiguous letters, when the text has letters of both scripts at all
/// (otherwise no word can need fixing).
pub fn dominant_script(text: &str) -> Option<Script> {
    let (mut latin, mut cyrillic) = (false, false);
    for c in text.chars() {
        match script(c) {
            Some(Script::Latin) => latin = true,
            Some(Script::Cyrillic) => cyrillic = true,
            None => {}
        }
        if latin && cyrillic {
            let (l, c) = unambiguous_counts(text);
            return Some(if c > l { Script::Cyrillic } else { Script::Latin });
        }
    }
    None
}

/// What to do with the characters of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WordPlan {
    /// Write look-alike letters in this script.
    pub script: Option<Script>,
    /// Read digits next to letters as letters of this script.
    pub leet: Option<Script>,
}

impl WordPlan {
    /// Maps one lower-cased character of the word; `next_to_letter` says whether a neighbour is a letter.
    #[inline]
    pub fn map(&self, c: char, next_to_letter: bool) -> char {
        if c.is_ascii_digit() {
            return match (self.leet, next_to_letter) {
                (Some(Script::Latin), true) => match c {
                    '0' => 'o',
                    '1' => 'i',
                    '3' => 'e',
                    '4' => 'a',
                    '5' => 's',
                    '7' => 't',
                    _ => c,
                },
                (Some(Script::Cyrillic), true) => match c {
                    '0' => 'о',
                    '3' => 'з',
                    '4' => 'ч',
                    '6' => 'б',
                    _ => c,
                },
                _ => c,
            };
        }
        match self.script {
            Some(Script::Latin) => cyrillic_to_latin(c).unwrap_or(c),
            Some(Script::Cyrillic) => latin_to_cyrillic(c).unwrap_or(c),
            None => c,
        }
    }
}

/// Part of a word: a letter, digit, or a character normalisation drops or attaches (zero-width, combining).
#[inline]
pub fn in_word(c: char) -> bool {
    c.is_alphanumeric() || is_removed(c) || unicode_normalization::char::is_combining_mark(c)
}

/// Plans the word that is `word` (a run of [`in_word`] characters), in a text dominated by `dominant`.
pub fn plan_word(word: &str, dominant: Option<Script>) -> WordPlan {
    let (mut latin, mut cyrillic, mut letters, mut digits) = (0usize, 0usize, 0usize, 0usize);
    let (mut latin_sure, mut cyrillic_sure) = (0usize, 0usize);
    for c in word.chars() {
        if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_alphabetic() {
            letters += 1;
            match script(c) {
                Some(Script::Latin) => {
                    latin += 1;
                    latin_sure += usize::from(!ambiguous(c));
                }
                Some(Script::Cyrillic) => {
                    cyrillic += 1;
                    cyrillic_sure += usize::from(!ambiguous(c));
                }
                None => {}
            }
        }
    }
    let majority = if cyrillic > latin { Script::Cyrillic } else { Script::Latin };
    let script = match (latin > 0, cyrillic > 0) {
        (true, true) => Some(match latin_sure.cmp(&cyrillic_sure) {
            std::cmp::Ordering::Greater => Script::Latin,
            std::cmp::Ordering::Less => Script::Cyrillic,
            std::cmp::Ordering::Equal => dominant.unwrap_or(majority),
        }),
        // A word made only of look-alikes of the other script than the text's.
        (true, false) if latin_sure == 0 && dominant == Some(Script::Cyrillic) => Some(Script::Cyrillic),
        (false, true) if cyrillic_sure == 0 && dominant == Some(Script::Latin) => Some(Script::Latin),
        _ => None,
    };
    let leet =
        (digits > 0 && letters >= 2 && letters >= digits && latin + cyrillic > 0).then(|| script.unwrap_or(majority));
    WordPlan { script, leet }
}

/// If a run of three or more single letters separated by single spaces starts at byte `start` of `text`
/// (which holds a letter there), the byte where the run ends.
pub fn spaced_run_end(text: &str, start: usize) -> Option<usize> {
    let mut count = 0;
    let mut end = start;
    let mut rest = text.get(start..)?.char_indices().peekable();
    loop {
        // One letter, then a space or the end, with no letter after the space except the next single letter.
        let (i, c) = rest.next()?;
        if !c.is_alphabetic() {
            break;
        }
        count += 1;
        end = start + i + c.len_utf8();
        match rest.peek() {
            Some(&(_, ' ')) => {
                rest.next();
                match rest.peek() {
                    Some(&(j, c2)) if c2.is_alphabetic() => {
                        // The next letter must stand alone: followed by a space or a non-letter, or the end.
                        let after = text[start + j + c2.len_utf8()..].chars().next();
                        if after.is_some_and(in_word) {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            Some(&(_, c2)) if in_word(c2) => return None, // not a single letter
            _ => break,
        }
    }
    (count >= 3).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        let latin = Some(Script::Latin);
        assert_eq!(plan_word("jоin", latin).script, latin); // Cyrillic о
        assert_eq!(plan_word("расе", latin).script, latin); // all look-alikes, English text
        assert_eq!(plan_word("расе", Some(Script::Cyrillic)).script, None);
        assert_eq!(plan_word("прoсто", None).script, Some(Script::Cyrillic)); // Latin o in a Russian word
        assert_eq!(plan_word("join", latin), WordPlan::default());
        assert_eq!(plan_word("h1jr4h", None).leet, latin);
        assert_eq!(plan_word("2024", None).leet, None);
        assert_eq!(plan_word("x1", None).leet, None);
        assert_eq!(plan_word("пр0сти", None).leet, Some(Script::Cyrillic));
        let p = plan_word("h1jr4h", None);
        let mapped: String = "h1jr4h".chars().map(|c| p.map(c, true)).collect();
        assert_eq!(mapped, "hijrah");
    }

    #[test]
    fn spaced_runs() {
        assert_eq!(spaced_run_end("j o i n us", 0), Some(7));
        assert_eq!(spaced_run_end("h i j r a h", 0), Some(11));
        assert_eq!(spaced_run_end("a b", 0), None);
        assert_eq!(spaced_run_end("I am", 0), None);
        assert_eq!(spaced_run_end("join", 0), None);
        assert_eq!(spaced_run_end("x y zebra", 0), None);
        assert_eq!(spaced_run_end("б р а т", 0), Some(11));
        assert_eq!(dominant_script("plain english"), None);
        assert_eq!(dominant_script("join the rаnks"), Some(Script::Latin));
        assert_eq!(dominant_script("вступай в ряды, join"), Some(Script::Cyrillic));
    }
}
