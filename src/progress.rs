//! Progress of long runs, reported to whoever wants it: the library calls a [`Progress`], which forwards to a
//! [`ProgressSink`] when one is attached (the command line attaches a progress bar) and does nothing otherwise.

use std::sync::Arc;

/// Receives progress reports. Implementations must be cheap: `inc` is called once per block of work.
pub trait ProgressSink: Send + Sync {
    /// A new stage begins, with a message and, when known, a total in `unit`s (`"bytes"`, `"rows"`, `"folds"`...).
    fn stage(&self, message: &str, total: Option<u64>, unit: &str);
    /// `n` more units are done.
    fn inc(&self, n: u64);
    /// The position is `pos` units.
    fn set(&self, pos: u64);
    /// The run is over.
    fn finish(&self);
}

/// A handle the library reports progress to; hidden (a no-op) unless a sink is attached.
#[derive(Clone, Default)]
pub struct Progress {
    sink: Option<Arc<dyn ProgressSink>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("attached", &self.sink.is_some()).finish()
    }
}

impl Progress {
    /// Reports to `sink`.
    pub fn new(sink: Arc<dyn ProgressSink>) -> Progress {
        Progress { sink: Some(sink) }
    }

    /// Reports nowhere.
    pub fn hidden() -> Progress {
        Progress { sink: None }
    }

    /// Starts a new stage with a message and, when known, a total (in `unit`s).
    pub fn stage(&self, message: &str, total: Option<u64>, unit: &str) {
        if let Some(s) = &self.sink {
            s.stage(message, total, unit);
        }
    }

    /// Advances by `n`.
    pub fn inc(&self, n: u64) {
        if let Some(s) = &self.sink {
            s.inc(n);
        }
    }

    /// Sets the position.
    pub fn set(&self, pos: u64) {
        if let Some(s) = &self.sink {
            s.set(pos);
        }
    }

    /// Ends the display.
    pub fn finish(&self) {
        if let Some(s) = &self.sink {
            s.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);
    impl ProgressSink for Log {
        fn stage(&self, message: &str, total: Option<u64>, unit: &str) {
            self.0.lock().expect("log").push(format!("stage {message} {total:?} {unit}"));
        }
        fn inc(&self, n: u64) {
            self.0.lock().expect("log").push(format!("inc {n}"));
        }
        fn set(&self, pos: u64) {
            self.0.lock().expect("log").push(format!("set {pos}"));
        }
        fn finish(&self) {
            self.0.lock().expect("log").push("finish".into());
        }
    }

    #[test]
    fn reports_reach_the_sink_and_hidden_reports_nowhere() {
        let log = Arc::new(Log::default());
        let p = Progress::new(log.clone());
        p.stage("fitting", Some(3), "folds");
        p.inc(1);
        p.set(2);
        p.finish();
        assert_eq!(*log.0.lock().expect("log"), ["stage fitting Some(3) folds", "inc 1", "set 2", "finish"]);
        Progress::hidden().inc(5);
    }
}
