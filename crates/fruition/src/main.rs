//! `fruition`: the one binary of the platform. See `fruition --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = fruition::cli::Cli::parse();
    match fruition::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误 error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
