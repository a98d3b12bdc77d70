//! Windows over long texts, so that padding cannot hide a call to action.
//!
//! A model scores a whole text as one bag of features, normalised to unit length: a one-sentence call padded with
//! eight sentences of news counts for a ninth of the text and its score sinks. Texts longer than `window_words`
//! words (white-space separated) are therefore also scored window by window, and the highest score counts
//! (see [`crate::model::Scorer::score`]). Two windows start from every sentence: one takes the sentences after
//! it, the other the sentences before it, until it holds at least half of `window_words` words (as long as the
//! next one fits within `window_words`). Windows are the size of a post, the size of the texts a model learns
//! from, so that a sentence in the middle of a text is never judged without the words around it; a call at
//! either end of a padded text still has a window of its own. A sentence longer than `window_words` words is a
//! window of its own, and one longer than twice that is cut into pieces of `window_words` words, each starting
//! half a piece after the last. A text of one sentence of up to twice `window_words` words has no windows (the
//! whole text is as short as a window could make it), and no window is the whole text again: most long news
//! sentences cost nothing extra. A sentence ends after `.` `!` `?` `…` `؟` `۔` (with any closing quotes or brackets) followed
//! by white space, and at every line break, but never inside quotation marks: a call quoted by a report or a
//! rebuttal stays in one window with the words that frame it.
//!
//! Windows are byte ranges of the original text, so scores and evidence inside a window point straight into it.
//! Texts of at most `window_words` words (almost every post) have no windows and cost nothing extra.

use std::ops::Range;

/// True when `text` has more than `limit` white-space separated words.
#[inline]
pub fn longer_than(text: &str, limit: u32) -> bool {
    let limit = limit as usize;
    // Each word after the first needs at least one separator and one byte.
    if text.len() < 2 * limit + 1 {
        return false;
    }
    if text.is_ascii() {
        let mut words = 0usize;
        let mut in_word = false;
        for &b in text.as_bytes() {
            let space = b.is_ascii_whitespace() || b == 0x0B;
            words += usize::from(!space && !in_word);
            in_word = !space;
        }
        return words > limit;
    }
    text.split_whitespace().nth(limit).is_some()
}

/// Characters that end a sentence when white space follows.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '؟' | '۔')
}

/// Closing characters that may stand between the end of a sentence and the white space after it.
fn closes(c: char) -> bool {
    matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '›')
}

/// Opening and closing quotation marks; the straight `"` does both.
fn opens(c: char) -> bool {
    matches!(c, '«' | '“' | '„' | '‘' | '‹')
}

fn closes_quote(c: char) -> bool {
    matches!(c, '»' | '”' | '’' | '›')
}

/// Single quotes and apostrophes count as quotation marks only at a word's edge (`'join us'`), not inside one
/// (`don't`).
fn single(c: char) -> bool {
    matches!(c, '\'' | '‘' | '’')
}

/// Sentence ranges of `text`, trimmed of white space, with their word counts; empty sentences are left out. A
/// sentence never ends inside quotation marks, so a quoted call stays with the words that report or rebut it
/// (`"Make hijrah. Join us," the video says.` is one sentence); quotation marks around the whole text do not
/// count.
fn sentences(text: &str, out: &mut Vec<(Range<usize>, usize)>) {
    out.clear();
    let trimmed = text.trim();
    let lead = text.len() - text.trim_start().len();
    let mut inner = lead..lead + trimmed.len();
    let (first, last) = (trimmed.chars().next(), trimmed.chars().next_back());
    if let (Some(a), Some(b)) = (first, last) {
        let straight = |c: char| c == '"' || c == '\'';
        if trimmed.len() > a.len_utf8() && (opens(a) || straight(a)) && (closes_quote(b) || straight(b)) {
            inner = inner.start + a.len_utf8()..inner.end - b.len_utf8();
        }
    }
    let body = &text[inner.clone()];
    let mut start = inner.start;
    let mut depth = 0u32; // curly and angle quotes, nested
    let mut straight = false; // inside straight double quotes
    let mut straight_single = false; // inside straight single quotes
    let mut prev_end = false; // the last non-closing character ended a sentence
    let mut prev: Option<char> = None;
    let cut = |start: &mut usize, end: usize, out: &mut Vec<(Range<usize>, usize)>| {
        let piece = &text[*start..end];
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start().len();
            let s = *start + lead;
            out.push((s..s + trimmed.len(), trimmed.split_whitespace().count()));
        }
        *start = end;
    };
    let mut chars = body.char_indices().peekable();
    while let Some((j, c)) = chars.next() {
        let i = inner.start + j;
        let next = chars.peek().map(|&(_, d)| d);
        let word_before = prev.is_some_and(char::is_alphanumeric);
        let word_after = next.is_some_and(char::is_alphanumeric);
        let quoted = depth > 0 || straight || straight_single;
        if !quoted && (c == '\n' || c == '\r' || (c.is_whitespace() && prev_end)) {
            cut(&mut start, i, out);
            prev_end = false;
            prev = Some(c);
            continue;
        }
        if single(c) && !(word_before && word_after) {
            // A quotation mark at a word's edge: opening before a word, closing after one.
            match c {
                '\'' if word_after && !word_before => straight_single = true,
                '\'' if word_before || !word_after => straight_single = false,
                '‘' => depth += 1,
                _ => depth = depth.saturating_sub(1),
            }
        } else if c == '"' {
            straight = !straight;
        } else if opens(c) {
            depth += 1;
        } else if closes_quote(c) {
            depth = depth.saturating_sub(1);
        }
        if ends_sentence(c) {
            // A full stop inside quotation marks ends the quoted sentence, not the one that quotes it.
            prev_end = !quoted;
        } else if !closes(c) {
            prev_end = false;
        }
        prev = Some(c);
    }
    cut(&mut start, inner.end, out);
}

/// Byte ranges of pieces of at most `limit` words covering `range` of `text`, each starting `limit / 2` words
/// after the last (the last piece ends where the range ends). `words` is scratch for the words' ranges.
fn pieces(text: &str, range: Range<usize>, limit: usize, words: &mut Vec<Range<usize>>, out: &mut Vec<Range<usize>>) {
    words.clear();
    let mut in_word = false;
    for (i, c) in text[range.clone()].char_indices() {
        let space = c.is_whitespace();
        if !space && !in_word {
            words.push(range.start + i..range.end);
        }
        if space && in_word {
            if let Some(last) = words.last_mut() {
                last.end = range.start + i;
            }
        }
        in_word = !space;
    }
    let step = (limit / 2).max(1);
    let mut first = 0usize;
    while first < words.len() {
        let last = (first + limit).min(words.len());
        out.push(words[first].start..words[last - 1].end);
        if last == words.len() {
            break;
        }
        first += step;
    }
}

/// Reusable buffers for [`windows`].
#[derive(Debug, Clone, Default)]
pub struct WindowBuffers {
    sentences: Vec<(Range<usize>, usize)>,
    words: Vec<Range<usize>>,
    /// The windows found by the last call, as byte ranges of the text.
    pub windows: Vec<Range<usize>>,
}

/// Fills `buf.windows` with the windows of `text` (none when it has at most `limit` words or `limit` is 0).
pub fn windows(text: &str, limit: u32, buf: &mut WindowBuffers) {
    buf.windows.clear();
    if limit == 0 || !longer_than(text, limit) {
        return;
    }
    let limit = limit as usize;
    let least = limit.div_ceil(2);
    sentences(text, &mut buf.sentences);
    let s = &buf.sentences;
    // One sentence that a window could not shorten much: the whole text says it all.
    if s.len() == 1 && s[0].1 <= 2 * limit {
        return;
    }
    let whole = text.trim();
    let whole = {
        let start = text.len() - text.trim_start().len();
        start..start + whole.len()
    };
    let push = |w: Range<usize>, out: &mut Vec<Range<usize>>| {
        if w != whole && !out.contains(&w) {
            out.push(w);
        }
    };
    for (k, (range, words)) in s.iter().enumerate() {
        if *words > 2 * limit {
            pieces(text, range.clone(), limit, &mut buf.words, &mut buf.windows);
            continue;
        }
        if *words > limit {
            // A long sentence is a window of its own.
            push(range.clone(), &mut buf.windows);
            continue;
        }
        // Forward: sentences from here on, while the window is short of half the limit and the next one fits.
        let (mut end, mut total) = (range.end, *words);
        for (next, next_words) in &s[k + 1..] {
            if total >= least || total + next_words > limit {
                break;
            }
            (end, total) = (next.end, total + next_words);
        }
        push(range.start..end, &mut buf.windows);
        // Backward: the same, ending with this sentence.
        let (mut start, mut total) = (range.start, *words);
        for (prev, prev_words) in s[..k].iter().rev() {
            if total >= least || total + prev_words > limit {
                break;
            }
            (start, total) = (prev.start, total + prev_words);
        }
        push(start..range.end, &mut buf.windows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, limit: u32) -> Vec<&str> {
        let mut buf = WindowBuffers::default();
        windows(text, limit, &mut buf);
        buf.windows.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn counts_words() {
        assert!(!longer_than("", 1));
        assert!(!longer_than("a b", 2));
        assert!(longer_than("a b c", 2));
        assert!(!longer_than("  a   b  ", 2));
        assert!(longer_than("ба бародарон нависед", 2));
    }

    #[test]
    fn short_texts_have_no_windows() {
        assert!(texts("Join us. Now.", 8).is_empty());
        assert!(texts("one two three four five six seven eight nine", 0).is_empty());
    }

    #[test]
    fn windows_hold_at_least_half_the_limit_when_they_can() {
        let text =
            "Make hijrah now. The weather was mild! Markets rose (slightly).\nA quote: «Go.» Then more words here";
        assert_eq!(
            texts(text, 8),
            [
                "Make hijrah now. The weather was mild!",
                "Make hijrah now.",
                "The weather was mild!",
                "Markets rose (slightly).",
                "The weather was mild! Markets rose (slightly).",
                "A quote: «Go.» Then more words here",
            ]
        );
        let text = "One two. Three four. Five six. Seven eight. Nine ten.";
        let expected = [
            "One two. Three four.",
            "One two.",
            "Three four. Five six.",
            "Five six. Seven eight.",
            "Seven eight. Nine ten.",
            "Nine ten.",
        ];
        assert_eq!(texts(text, 8), expected, "windows of two sentences, and the first and last alone");
    }

    #[test]
    fn quotations_stay_with_their_frame() {
        let text = "\"Make hijrah. Join the caravan. Do not wait,\" the video says. Officials said the account was closed \
                    after a day. «Leave everything. Come.» — a poster found by police. Don't worry, it's 'fine. really' ok.";
        assert_eq!(
            texts(text, 16),
            [
                "\"Make hijrah. Join the caravan. Do not wait,\" the video says.",
                "Officials said the account was closed after a day.",
                "«Leave everything. Come.» — a poster found by police.",
                "Don't worry, it's 'fine. really' ok.",
                "«Leave everything. Come.» — a poster found by police. Don't worry, it's 'fine. really' ok.",
            ]
        );
        // Quotation marks around the whole text do not make it one sentence.
        let plain = "Make hijrah now. The weather was mild! Markets rose (slightly). More words here and there.";
        for (open, close) in [("«", "»"), ("\"", "\""), ("'", "'"), ("“", "”")] {
            assert_eq!(texts(&format!("{open}{plain}{close}"), 8), texts(plain, 8), "{open}{close}");
        }
    }

    #[test]
    fn abbreviations_inside_words_do_not_cut() {
        let text = "The U.S. said 3.5 percent of them joined; e.g. this one and that one and more words";
        assert_eq!(texts(text, 8).len(), 3, "one long sentence, cut into overlapping pieces");
    }

    #[test]
    fn long_sentences_are_cut_into_overlapping_pieces() {
        let text = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10";
        assert_eq!(texts(text, 4), ["w1 w2 w3 w4", "w3 w4 w5 w6", "w5 w6 w7 w8", "w7 w8 w9 w10"]);
        let text = "w1 w2 w3 w4 w5 w6 w7 w8 w9";
        assert_eq!(texts(text, 4), ["w1 w2 w3 w4", "w3 w4 w5 w6", "w5 w6 w7 w8", "w7 w8 w9"]);
    }

    #[test]
    fn windows_are_on_char_boundaries_in_every_script() {
        let text = "Ба бародарон нависед. Ҳиҷрат кунед؟ انضموا الى القافلة۔ Вступай в ряды… сейчас";
        let mut buf = WindowBuffers::default();
        windows(text, 3, &mut buf);
        assert!(!buf.windows.is_empty());
        for r in &buf.windows {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end) && r.start < r.end);
        }
    }
}
