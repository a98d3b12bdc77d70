//! The `propscan` command: parse arguments, run the command, turn errors into messages and exit codes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;
mod commands;
mod progress_bar;

use clap::Parser;
use cli::Cli;
use commands::Outcome;
use propscan::{Error, TrainingProblem};
use std::process::ExitCode;

fn main() -> ExitCode {
    // SIGINT, SIGTERM and SIGHUP: remove the temporary output files being written (the files they would have
    // replaced stay as they were), then exit as a signalled process would (128 + 2 for an interrupt).
    let _ = ctrlc::set_handler(|| {
        propscan::records::remove_temp_files();
        std::process::exit(130);
    });
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::BadRows(n)) => {
            let rows = if n == 1 { "row" } else { "rows" };
            eprintln!("propscan: {n} bad {rows} kept in the output with an 'error' column and no score");
            ExitCode::from(2)
        }
        // The reader of our output went away (`propscan score | head`): not an error.
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("propscan: error: {}", message(&e));
            ExitCode::from(1)
        }
    }
}

/// The library's name of each option (as `TrainOptions` and `FeatureConfig` call it) and its flag.
const FLAGS: &[(&str, &str)] = &[
    ("alpha", "--alpha"),
    ("tolerance", "--tol"),
    ("max_iter", "--max-iter"),
    ("cv_folds", "--cv-folds"),
    ("folds", "--folds"),
    ("target_precision", "--target-precision"),
    ("target_recall", "--target-recall"),
    ("prevalence", "--prevalence"),
    ("min_df", "--min-df"),
    ("buckets_log2", "--buckets-log2"),
    ("word_ngram_max", "--word-ngrams"),
    ("char_ngrams", "--char-ngrams"),
    ("window_words", "--window-words"),
    ("positive", "--positive"),
];

/// An error's message for the command line: the library names options in backquotes (`` `cv_folds` ``); here
/// they become the flags that set them, with the way out only the command line has.
fn message(e: &Error) -> String {
    let mut text = e.to_string();
    for (name, flag) in FLAGS {
        text = text.replace(&format!("`{name}`"), flag);
    }
    if let Error::Training(TrainingProblem::TooFewForFolds { option: "cv_folds", .. }) = e {
        text.push_str(", or pass --cv-folds 0 to use a fixed threshold");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_become_flags() {
        let e = Error::option("tolerance", "`tolerance` must be between 0 and 1; see `max_iter` and `cv_folds`");
        assert_eq!(message(&e), "--tol must be between 0 and 1; see --max-iter and --cv-folds");
    }

    #[test]
    fn too_few_rows_for_the_threshold_folds_offers_a_fixed_threshold() {
        let problem =
            TrainingProblem::TooFewForFolds { option: "cv_folds", folds: 5, positives: 3, negatives: 9, unit: "rows" };
        let text = message(&Error::Training(problem));
        assert!(text.contains("--cv-folds 5: 3 positive") && text.contains("lower --cv-folds or add data"), "{text}");
        assert!(text.ends_with(", or pass --cv-folds 0 to use a fixed threshold"), "{text}");
        let outer =
            TrainingProblem::TooFewForFolds { option: "folds", folds: 5, positives: 3, negatives: 9, unit: "groups" };
        let text = message(&Error::Training(outer));
        assert!(
            text.contains("--folds 5: 3 positive and 9 negative groups") && !text.contains("--cv-folds 0"),
            "{text}"
        );
    }
}
