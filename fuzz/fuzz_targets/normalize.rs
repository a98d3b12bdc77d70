//! Normalisation and tokenisation of any text: no panic, the offset map covers every output byte and points
//! at character boundaries of the input, tokens lie on character boundaries of the output.
#![no_main]

use libfuzzer_sys::fuzz_target;
use propscan::text::{for_each_token, normalize_into, OffsetMap};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut out = String::new();
    let mut map = OffsetMap::default();
    normalize_into(&text, &mut out, &mut map);
    assert_eq!(map.len(), out.len());
    for (i, c) in out.char_indices() {
        let r = map.original(i..i + c.len_utf8()).expect("every output character is mapped");
        assert!(r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
    }
    for_each_token(&out, |range, _| {
        assert!(out.is_char_boundary(range.start) && out.is_char_boundary(range.end) && range.start < range.end);
    });
});
