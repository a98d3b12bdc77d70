//! Optional stemming of words, by script.
//!
//! rust-stemmers has no Tajik, Persian or Pashto stemmer, so the stemmer is chosen per word from its script and
//! per document from its letters: Latin words get the English stemmer, Arabic-script words the Arabic one, and
//! Cyrillic words the Russian one unless the document contains letters that only Tajik uses (ғ ӣ қ ӯ ҳ ҷ), in
//! which case they are left as they are and character n-grams carry them.

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Whether words are stemmed before word n-grams are hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StemMode {
    /// Words are used as they are after normalisation.
    None,
    /// English, Russian or Arabic stemmer, chosen by the word's script (see the module documentation).
    Auto,
}

/// The writing system of a word, judged from its first letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Latin letters.
    Latin,
    /// Cyrillic letters (Russian, Tajik, ...).
    Cyrillic,
    /// Arabic script (Arabic, Persian, Pashto, Urdu).
    Arabic,
    /// Anything else, including digits.
    Other,
}

impl Script {
    /// The script of the first letter of `word`.
    pub fn of(word: &str) -> Script {
        for c in word.chars() {
            match c {
                'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => return Script::Latin,
                '\u{0400}'..='\u{052F}' => return Script::Cyrillic,
                '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => return Script::Arabic,
                c if c.is_alphabetic() => return Script::Other,
                _ => {}
            }
        }
        Script::Other
    }
}

/// True when normalised `text` contains a letter used in Tajik but not in Russian.
pub fn looks_tajik(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'ғ' | 'ӣ' | 'қ' | 'ӯ' | 'ҳ' | 'ҷ'))
}

/// The stemmers propscan uses, built once and shared.
pub struct Stemmers {
    english: Stemmer,
    russian: Stemmer,
    arabic: Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            english: Stemmer::create(Algorithm::English),
            russian: Stemmer::create(Algorithm::Russian),
            arabic: Stemmer::create(Algorithm::Arabic),
        }
    }
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers")
    }
}

impl Stemmers {
    /// The stem of normalised `word`; `tajik` says the document is Tajik, so Cyrillic words are kept.
    pub fn stem<'a>(&self, word: &'a str, tajik: bool) -> Cow<'a, str> {
        match Script::of(word) {
            Script::Latin => self.english.stem(word),
            Script::Cyrillic if !tajik => self.russian.stem(word),
            Script::Arabic => self.arabic.stem(word),
            _ => Cow::Borrowed(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_by_script() {
        let s = Stemmers::default();
        assert_eq!(s.stem("recruiting", false), "recruit");
        assert_eq!(s.stem("братьев", false), "брат");
        assert_eq!(s.stem("المجاهدين", false), "مجاهد");
        assert_eq!(s.stem("бародарон", true), "бародарон");
        assert_eq!(s.stem("2024", false), "2024");
    }

    #[test]
    fn detects_tajik() {
        assert!(looks_tajik("ба сафи бародарон ҳамроҳ шавед"));
        assert!(!looks_tajik("вступай в ряды братьев"));
    }
}
