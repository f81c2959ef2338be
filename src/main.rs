//! The `rappel` command: turns `cli::run()` into an exit code.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
