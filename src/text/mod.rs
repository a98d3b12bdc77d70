//! Text preparation: normalisation (with a map back to the original), social-media markup, word tokenisation,
//! windows over long texts and stemming.

pub mod deobfuscate;
pub mod normalize;
pub mod social;
pub mod stem;
pub mod stopwords;
pub mod tokenize;
pub mod windows;

pub use normalize::{normalize, normalize_into, OffsetMap, OffsetSink};
pub use stem::{Script, StemMode, Stemmers};
pub use tokenize::{for_each_token, for_each_word, tokens, words, TokenKind};
