//! The `propscan` command: parse arguments, run the command, turn errors into messages and exit codes.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod cli;
mod commands;
mod progress_bar;

use clap::Parser;
use cli::Cli;
use commands::Outcome;
use propscan::Error;
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
            eprintln!("propscan: error: {e}");
            ExitCode::from(1)
        }
    }
}
