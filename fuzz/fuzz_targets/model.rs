//! The model loader on any bytes: refuses or loads, never panics or allocates without bound; a loaded model
//! scores into [0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use propscan::model::format::from_bytes;

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = from_bytes(data, "fuzz") {
        let s = model.score("make hijrah and join the brothers");
        assert!((0.0..=1.0).contains(&s));
    }
});
