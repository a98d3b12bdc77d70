//! Social-media text, handled as such: the last step of normalisation for models that ask for it
//! ([`crate::features::FeatureConfig::social`]).
//!
//! Posts carry markup that says where a text was typed, not what it asks of the reader. A model that learns it
//! learns its training sources' habits (every link-bearing text came from one source, say). Over normalised
//! (lower-cased, NFKC) text, this pass:
//!
//! - removes **links**: `http://…`, `https://…` and `www.…` up to the next white space, truncated ones such as
//!   `https…` and `htt…` at the end of a retweet, and bare `domain.tld/path` links (`t.co/x`, `bit.ly/y`);
//! - removes **@mentions** (`@` and the handle after it, where the `@` does not follow a letter or digit, so
//!   e-mail addresses are not mentions) and a retweet prefix `rt` directly before a mention, with its colon;
//! - decodes the **HTML entities** that exported tweets carry (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#39;`
//!   `&nbsp;`), so that `amp` never becomes a word.
//!
//! A removed piece becomes one space, mapped back to the whole piece, so evidence offsets stay exact and the words
//! on either side stay apart. Hashtags need nothing here: `#` is a symbol to the tokeniser and the tag a word
//! (`#hijrah` counts as `hijrah`). Emoji and runs of punctuation are symbols too: models trained with
//! `symbols: false` (the default) take no feature from any symbol, so neither a quote mark, a full stop, an emoji
//! nor `!!!` can move a score.

use std::ops::Range;

/// True when `text` may hold something this pass changes (a cheap test on bytes; false positives are fine).
#[inline]
pub fn needs_social(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| match b[i] {
        b'@' | b'&' | b'/' => true,
        b'w' => b[i..].starts_with(b"www."),
        b'h' => b[i..].starts_with(b"htt"),
        _ => false,
    })
}

/// Rewrites `src` into `out` (appending), calling `emit(out_bytes, src_range)` for each piece written.
pub fn social(src: &str, out: &mut String, mut emit: impl FnMut(usize, Range<usize>)) {
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if let Some((end, replacement)) = special_at(src, i) {
            out.push_str(replacement);
            emit(replacement.len(), i..end);
            i = end;
            continue;
        }
        let Some(c) = src[i..].chars().next() else { break };
        out.push(c);
        emit(c.len_utf8(), i..i + c.len_utf8());
        i += c.len_utf8();
    }
}

/// True when the character before byte `i` cannot be part of a handle, link or word (or `i` starts the text).
fn boundary_before(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    if b[i - 1] < 0x80 {
        return !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
    }
    // A multi-byte character: a letter or digit of any script joins the word; a quote mark or emoji does not.
    let start = (0..i).rev().find(|&k| b[k] & 0xC0 != 0x80).unwrap_or(0);
    std::str::from_utf8(&b[start..i]).ok().and_then(|s| s.chars().next()).map_or(true, |c| !c.is_alphanumeric())
}

/// The end of a link starting at `i`: the run of non-white-space, without the punctuation and closing quote
/// marks or brackets that end a sentence or a quotation right after it.
fn run_end(src: &str, i: usize) -> usize {
    let end = src[i..].char_indices().find(|&(_, c)| c.is_whitespace()).map_or(src.len(), |(j, _)| i + j);
    let run = &src[i..end];
    // A link cut short by a retweet (`https://t.co/ab…`) keeps its ellipsis: it is part of the link.
    if run.ends_with('…') || run.ends_with("...") {
        return end;
    }
    let kept = run.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '’', '"', '\'', '›']);
    if kept.is_empty() {
        end
    } else {
        i + kept.len()
    }
}

/// The end of a handle (`[a-z0-9_]+`) starting at `i`.
fn handle_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    j
}

/// If a piece this pass rewrites starts at byte `i`: where it ends and what replaces it.
fn special_at(src: &str, i: usize) -> Option<(usize, &'static str)> {
    let b = src.as_bytes();
    match b[i] {
        b'&' => entity_at(b, i),
        b'@' if boundary_before(b, i) => {
            let end = handle_end(b, i + 1);
            (end > i + 1).then_some((end, " "))
        }
        b'r' if boundary_before(b, i) && b[i..].starts_with(b"rt @") => {
            let end = handle_end(b, i + 4);
            if end == i + 4 {
                return None;
            }
            let end = if b.get(end) == Some(&b':') { end + 1 } else { end };
            Some((end, " "))
        }
        b'h' | b'w' if boundary_before(b, i) && is_link_start(&b[i..]) => Some((run_end(src, i), " ")),
        c if c.is_ascii_alphanumeric() && boundary_before(b, i) => bare_link(src, i).map(|end| (end, " ")),
        _ => None,
    }
}

/// `http://`, `https://`, `www.`, or a link cut short with an ellipsis (`https…`, `htt...`).
fn is_link_start(b: &[u8]) -> bool {
    if b.starts_with(b"www.") && b.len() > 4 && b[4].is_ascii_alphanumeric() {
        return true;
    }
    for scheme in [&b"https://"[..], b"http://"] {
        if b.starts_with(scheme) {
            return b.len() > scheme.len() && !b[scheme.len()].is_ascii_whitespace();
        }
    }
    // Truncated: a prefix of "https://" (at least "ht") followed directly by an ellipsis.
    let prefix = b.iter().take_while(|&&c| c.is_ascii_alphabetic() || c == b':' || c == b'/').count();
    prefix >= 2
        && b"https://".starts_with(&b[..prefix])
        && (b[prefix..].starts_with("…".as_bytes()) || b[prefix..].starts_with(b"..."))
}

/// A bare link such as `t.co/abc` or `bit.ly/x`: letters, digits, `-` and dots with a dot before a `/`, then a
/// path, all without white space. Returns its end.
fn bare_link(src: &str, i: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut j = i;
    let mut dot = None;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'.') {
        if b[j] == b'.' {
            dot = Some(j);
        }
        j += 1;
    }
    let dot = dot?;
    let tld = &b[dot + 1..j];
    let ok = (2..=6).contains(&tld.len()) && tld.iter().all(u8::is_ascii_alphabetic) && dot > i;
    (ok && b.get(j) == Some(&b'/')).then(|| run_end(src, j))
}

/// A named or numeric HTML entity at `i`, decoded; an escaped entity (`&amp;lt;`, `&amp;amp;`, as exports that
/// escape twice write them) decodes all the way, so that decoding twice changes nothing.
fn entity_at(b: &[u8], i: usize) -> Option<(usize, &'static str)> {
    let (mut end, mut decoded) = entity_once(b, i)?;
    while decoded == "&" {
        // `&amp;` followed by an entity's name: the `&` of that entity, escaped.
        let mut probe = b"&".to_vec();
        probe.extend_from_slice(&b[end..b.len().min(end + 6)]);
        match entity_once(&probe, 0) {
            Some((n, d)) => {
                end += n - 1;
                decoded = d;
            }
            None => break,
        }
    }
    Some((end, decoded))
}

/// One named or numeric HTML entity at `i`, decoded.
fn entity_once(b: &[u8], i: usize) -> Option<(usize, &'static str)> {
    const ENTITIES: [(&[u8], &str); 7] = [
        (b"&amp;", "&"),
        (b"&lt;", "<"),
        (b"&gt;", ">"),
        (b"&quot;", "\""),
        (b"&apos;", "'"),
        (b"&#39;", "'"),
        (b"&nbsp;", " "),
    ];
    ENTITIES.iter().find(|(name, _)| b[i..].starts_with(name)).map(|(name, s)| (i + name.len(), *s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        let mut out = String::new();
        social(s, &mut out, |_, _| {});
        out
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str)] = &[
            ("rt @abu_x: make hijrah https://t.co/5veo", "  make hijrah  "),
            ("'@user thanks akhi", "'  thanks akhi"),
            ("read this https://t.co/abc https…", "read this    "),
            ("the tail htt… and https:/… end", "the tail   and   end"),
            ("see www.example.org/page now", "see   now"),
            ("via t.co/xyz and bit.ly/2ab.", "via   and  ."),
            ("tom &amp; jerry &lt;3 &#39;x&#39; &quot;q&quot;", "tom & jerry <3 'x' \"q\""),
            ("mail me at abu@example.org", "mail me at abu@example.org"),
            ("#hijrah #join_us", "#hijrah #join_us"),
            ("art @ the gallery; start @noon", "art @ the gallery; start  "),
            ("e.g. u.s. 3.5 version 2.0/3", "e.g. u.s. 3.5 version 2.0/3"),
            ("http and https are words", "http and https are words"),
            ("Ҳиҷрат @бародар", "Ҳиҷрат @бародар"),
            ("«rt @abu: go https://t.co/x»", "«  go  »"),
            ("“https://t.co/x” é@x ü https://t.co/y", "“ ” é@x ü  "),
        ];
        for (input, expected) in cases {
            assert_eq!(run(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn offsets_cover_every_byte_in_order() {
        let src = "rt @a_b: join https://t.co/x &amp; ҳиҷрат @z";
        let mut out = String::new();
        let mut pieces = Vec::new();
        social(src, &mut out, |len, range| pieces.push((len, range)));
        assert_eq!(pieces.iter().map(|p| p.0).sum::<usize>(), out.len());
        let mut at = 0;
        for (_, range) in &pieces {
            assert_eq!(range.start, at);
            at = range.end;
        }
        assert_eq!(at, src.len());
    }

    #[test]
    fn idempotent() {
        for s in
            ["rt @a: x https://t.co/y", "&amp;amp; &", "&amp;amp;lt;3 &amp;gt;", "a @ b", "www.x", "htt… x", "x.yz/ a"]
        {
            let once = run(s);
            assert_eq!(run(&once), once, "{s:?}");
        }
    }

    #[test]
    fn quick_test_is_never_wrong_when_it_says_no() {
        for s in ["plain words only", "ҳиҷрат кунед", "join us now!!"] {
            assert!(!needs_social(s));
            assert_eq!(run(s), s);
        }
    }
}
