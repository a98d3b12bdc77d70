//! Properties over arbitrary text (proptest): normalisation is idempotent and maps back onto character
//! boundaries, evidence spans are valid code-point ranges, scores stay in [0, 1].

use propscan::explain::Explainer;
use propscan::model::format::default_model;
use propscan::text::{normalize, normalize_into, OffsetMap};
use proptest::prelude::*;

/// Text mixing the scripts and characters propscan cares about with anything at all.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "join",
        "ЈОІН",
        "jоin",
        "h1jr4h",
        "j o i n",
        "хиджра",
        "ҳиҷрат",
        "هِجْرَة",
        "ـــ",
        "\u{200B}",
        "\u{301}",
        "🏴",
        "👍🏽",
        "ﷺ",
        "ｆｕｌｌ",
        " ",
        "\n",
        "\r",
        "\"",
        "«",
        "0",
        "7",
        "ß",
        "İ",
        "ς",
        "\u{FEFF}",
        "\u{202E}",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat()),
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..40).prop_map(|v| v.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn normalisation_is_idempotent(s in text()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once);
    }

    #[test]
    fn offsets_fall_on_character_boundaries(s in text()) {
        let mut out = String::new();
        let mut map = OffsetMap::default();
        normalize_into(&s, &mut out, &mut map);
        prop_assert_eq!(map.len(), out.len());
        for (i, c) in out.char_indices() {
            let r = map.original(i..i + c.len_utf8()).expect("mapped");
            prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end) && r.start <= r.end);
        }
    }

    #[test]
    fn scores_and_spans_are_well_formed(s in text()) {
        let model = default_model().expect("model");
        let score = model.score(&s);
        prop_assert!((0.0..=1.0).contains(&score), "score {}", score);
        let e = Explainer::new(&model).explain(&s, 5);
        prop_assert_eq!(e.score.to_bits(), score.to_bits());
        let chars: Vec<char> = s.chars().collect();
        for ev in &e.evidence {
            for span in &ev.spans {
                prop_assert!(span.start < span.end && span.end <= chars.len());
                prop_assert_eq!(chars[span.start..span.end].iter().collect::<String>(), span.text.clone());
            }
        }
    }
}
