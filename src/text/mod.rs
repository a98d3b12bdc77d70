//! Text preparation: normalisation (with a map back to the original), word tokenisation and stemming.

pub mod deobfuscate;
pub mod normalize;
pub mod stem;
pub mod tokenize;

pub use normalize::{normalize, normalize_into, OffsetMap, OffsetSink};
pub use stem::{Script, StemMode, Stemmers};
pub use tokenize::{for_each_token, for_each_word, tokens, words, TokenKind};
