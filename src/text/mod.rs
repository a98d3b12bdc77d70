//! Text preparation: normalisation (with a map back to the original), social-media markup, word tokenisation,
//! windows over long texts and stemming.

pub(crate) mod deobfuscate;
pub(crate) mod normalize;
pub(crate) mod social;
pub(crate) mod stem;
pub(crate) mod stopwords;
pub(crate) mod tokenize;
pub(crate) mod windows;

pub use normalize::{normalize, normalize_into, OffsetMap, OffsetSink};
pub use stem::{Script, StemMode, Stemmers};
pub use tokenize::{for_each_token, for_each_word, tokens, words, TokenKind};
