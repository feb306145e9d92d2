//! `zeinet serve`: the web side and the Telegram transport in one process, until a shutdown
//! signal. On shutdown no new updates are taken, the ones in flight get
//! `Tuning::shutdown_grace` to finish, and the function returns.

use std::future::{Future, IntoFuture};
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::app::App;
use crate::channels::telegram::{Stop, Telegram, Tuning};
use crate::web;

/// Binds `BIND_ADDR` and serves until `shutdown` resolves.
pub async fn run(
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = app.config.bind_addr;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (BIND_ADDR)"))?;
    run_on(app, listener, shutdown).await
}

/// Serves on a listener the caller bound (tests use port 0).
pub async fn run_on(
    app: Arc<App>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    run_with(app, listener, Tuning::default(), shutdown).await
}

/// [`run_on`] with the transport's timings given (tests shorten the backoffs).
pub async fn run_with(
    app: Arc<App>,
    listener: TcpListener,
    tuning: Tuning,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let grace = tuning.shutdown_grace;
    let telegram = Telegram::new(app.clone(), tuning)?;
    let stop = Stop::new();
    // Outbox delivery: workers claim queued messages until the stop, then give back their rows.
    let outbox = crate::outbox::start(&app, stop.clone()).await?;
    {
        let stop = stop.clone();
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down");
            stop.trigger();
        });
    }

    let webhook_mode = telegram.webhook_mode();
    let router = web::router_with(app.clone(), webhook_mode.then(|| telegram.clone()));
    let addr = listener
        .local_addr()
        .context("the listener has no address")?;
    if app.config.public_url.is_none() {
        // Signing links point at this process, as a browser on this machine reaches it.
        app.signing.serve_links_from(addr);
    }
    tracing::info!(
        %addr,
        mode = if webhook_mode { "webhook" } else { "long polling" },
        "serving"
    );
    // Each half stops the other when it ends: the transport only ends early when Telegram
    // refuses our configuration, the web server only when its listener fails.
    let server = {
        let stop = stop.clone();
        let serving = axum::serve(listener, router)
            .with_graceful_shutdown({
                let stop = stop.clone();
                async move { stop.stopped().await }
            })
            .into_future();
        tokio::spawn(async move {
            let result = serving.await;
            let expected = stop.is_stopped();
            stop.trigger();
            match result {
                Ok(()) if expected => Ok(()),
                Ok(()) => Err(anyhow::anyhow!("the web server stopped unexpectedly")),
                Err(error) => Err(anyhow::Error::new(error).context("the web server failed")),
            }
        })
    };
    let transport = {
        let stop = stop.clone();
        let telegram = telegram.clone();
        tokio::spawn(async move {
            let result = telegram.run(stop.clone()).await;
            if let Err(error) = &result {
                tracing::error!(error = %error, "Telegram start-up failed; stopping");
            }
            stop.trigger();
            result
        })
    };

    stop.stopped().await;
    // Updates in flight (a polled batch, webhook requests) get the grace period to finish.
    let deadline = tokio::time::Instant::now() + grace;
    let transport = finish(transport, deadline, "Telegram transport").await;
    let server = finish(server, deadline, "web server").await;
    let outbox = finish(outbox, deadline, "outbox workers").await;
    tracing::info!("stopped");
    transport.and(server).and(outbox)
}

/// Waits for a task until `deadline`; a task still running then is aborted.
async fn finish(
    mut task: tokio::task::JoinHandle<anyhow::Result<()>>,
    deadline: tokio::time::Instant,
    what: &str,
) -> anyhow::Result<()> {
    match tokio::time::timeout_at(deadline, &mut task).await {
        Ok(Ok(result)) => result,
        Ok(Err(error)) => Err(anyhow::Error::new(error).context(format!("the {what} task failed"))),
        Err(_) => {
            tracing::warn!(
                what,
                "shutdown: still busy after the grace period; abandoned"
            );
            task.abort();
            Ok(())
        }
    }
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT). If a handler cannot be installed, that signal is
/// simply not awaited (logged), so the other one still works.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
