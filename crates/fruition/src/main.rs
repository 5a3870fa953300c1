//! `fruition`: the one binary of the platform. See `fruition --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Before any thread starts: the allocator's arenas are made per thread on first use.
    fruition::memory::limit_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(err) => {
            eprintln!("错误 error: {err:#}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let cli = fruition::cli::Cli::parse();
    match runtime.block_on(fruition::cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误 error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
