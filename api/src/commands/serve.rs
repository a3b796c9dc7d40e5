//! `benefits serve`: the HTTP service, until SIGINT or SIGTERM.

use std::process::ExitCode;

use anyhow::Context as _;
use tokio::net::TcpListener;

use crate::app::App;
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    let listen = config.listen;
    let app = App::build(config).await?;
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let background = app.start_background();
    crate::http::serve(listener, app, shutdown_signal()).await?;
    drop(background);
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
