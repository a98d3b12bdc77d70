//! The `propscan` command: parse arguments, run the command, turn errors into messages and exit codes.

use clap::Parser;
use propscan::cli::Cli;
use propscan::Error;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match propscan::commands::run(cli) {
        Ok(_) => ExitCode::SUCCESS,
        // The reader of our output went away (`propscan score | head`): not an error.
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("propscan: error: {e}");
            ExitCode::from(1)
        }
    }
}
