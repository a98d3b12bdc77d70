//! Progress on stderr for long runs: shown only when stderr is a terminal, silent otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress display that may be switched off; every method is a no-op when it is.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A display on stderr if `wanted` and stderr is a terminal.
    pub fn stderr(wanted: bool) -> Progress {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        Progress { bar: Some(bar) }
    }

    /// No display.
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Starts a new stage with a message and, when known, a total (in `unit`s).
    pub fn stage(&self, message: &str, total: Option<u64>, unit: &str) {
        if let Some(bar) = &self.bar {
            let template = match (total, unit) {
                (Some(_), "bytes") => "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})".into(),
                (Some(_), _) => {
                    format!("{{spinner}} {{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}})")
                }
                (None, "bytes") => "{spinner} {msg} {binary_bytes} ({binary_bytes_per_sec})".into(),
                (None, "") => "{spinner} {msg}".into(),
                (None, _) => format!("{{spinner}} {{msg}} {{human_pos}} {unit}"),
            };
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_length(total.unwrap_or(0));
            bar.set_position(0);
            bar.set_message(message.to_string());
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
        }
    }

    /// True when progress is being shown (stderr is a terminal and it was wanted).
    pub fn visible(&self) -> bool {
        self.bar.is_some()
    }

    /// Advances by `n`.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Sets the position.
    pub fn set(&self, pos: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(pos);
        }
    }

    /// Clears the display.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
