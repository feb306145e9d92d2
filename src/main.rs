//! The `zeinet` binary: reads `.env`, then hands over to the command line.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A missing .env is normal; a malformed one is reported by the config checks.
    let _ = dotenvy::dotenv();
    zeinet::cli::run().await
}
