//! The command line's progress bar on stderr: shown only when stderr is a terminal, silent otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use propscan::progress::{Progress, ProgressSink};
use std::io::IsTerminal;
use std::sync::Arc;

/// An indicatif bar behind the library's [`ProgressSink`].
struct Bar(ProgressBar);

impl ProgressSink for Bar {
    fn stage(&self, message: &str, total: Option<u64>, unit: &str) {
        let template = match (total, unit) {
            (Some(_), "bytes") => "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})".into(),
            (Some(_), _) => format!("{{spinner}} {{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}})"),
            (None, "bytes") => "{spinner} {msg} {binary_bytes} ({binary_bytes_per_sec})".into(),
            (None, "") => "{spinner} {msg}".into(),
            (None, _) => format!("{{spinner}} {{msg}} {{human_pos}} {unit}"),
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            self.0.set_style(style.progress_chars("=> "));
        }
        self.0.set_length(total.unwrap_or(0));
        self.0.set_position(0);
        self.0.set_message(message.to_string());
        self.0.enable_steady_tick(std::time::Duration::from_millis(120));
    }

    fn inc(&self, n: u64) {
        self.0.inc(n);
    }

    fn set(&self, pos: u64) {
        self.0.set_position(pos);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Progress on stderr if `wanted` and stderr is a terminal; hidden otherwise.
pub fn stderr(wanted: bool) -> Progress {
    if !wanted || !std::io::stderr().is_terminal() {
        return Progress::hidden();
    }
    Progress::new(Arc::new(Bar(ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()))))
}
