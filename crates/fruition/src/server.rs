//! Start-up: open the database, migrate, create the first administrator, serve.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use fruition_store::{Db, clock, sessions, throttle};
use fruition_web::AppState;
use tokio::net::TcpListener;

use crate::bootstrap;
use crate::config::Config;

/// Opens the configured database: PostgreSQL when a URL is given, else SQLite in the data folder.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    match &config.database {
        Some(url) => Db::connect_postgres(url.expose(), config.max_connections)
            .await
            .with_context(|| format!("connecting to {url}")),
        None => {
            std::fs::create_dir_all(&config.data)
                .with_context(|| format!("creating {}", config.data.display()))?;
            let path = config.sqlite_path();
            Db::open_sqlite(&path)
                .await
                .with_context(|| format!("opening {}", path.display()))
        }
    }
}

/// A running server: its address, and the task serving it.
pub struct Running {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds and serves `state` until the process is told to stop.
pub async fn start(state: AppState, listen: &str) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let addr = listener.local_addr()?;
    // The market's search index follows the database's change log for as long as we serve.
    state.search.catch_up(&state.db).await;
    fruition_app::search_sync::spawn(state.search.clone(), state.db.clone());
    let app = fruition_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    });
    Ok(Running { addr, task })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

/// Removes expired sessions and old sign-in attempts once an hour.
fn spawn_housekeeping(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = sessions::purge_expired(&db).await {
                tracing::warn!(error = %e, "purging sessions failed");
            }
            if let Err(e) = throttle::purge(&db, clock::now_ms() - clock::DAY_MS).await {
                tracing::warn!(error = %e, "purging sign-in attempts failed");
            }
        }
    });
}

/// Reminders that come due with time rather than with a step: every five minutes, the service
/// requests that have come to wait past their promised answer are told to their provider and the
/// bureau (once each).
fn spawn_reminders(app: fruition_app::App) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            match fruition_app::services::tell_overdue(&app).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(requests = n, "told of overdue service requests"),
                Err(e) => tracing::warn!(error = %e, "telling of overdue service requests failed"),
            }
        }
    });
}

/// `fruition serve`; with `load_demo`, the demo data set is loaded first into a database that
/// holds no carriers or enterprises (and left alone otherwise).
pub async fn serve(mut config: Config, load_demo: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let db = open_database(&config).await?;
    let status = db.migrate().await?;
    bootstrap::seed_reference(&db, &config.app).await?;
    if load_demo {
        if fruition_store::meta::registry_is_empty(&db).await? {
            let summary = crate::demo::load(&db, &config.app).await?;
            println!("{}", summary.text());
        } else {
            tracing::info!("the database already holds data; the demo data set is not loaded");
        }
    }
    config.app.demo = fruition_store::meta::is_demo(&db).await?;
    if let Some(created) = bootstrap::first_admin(&db, &config.app).await? {
        println!(
            "首次启动：已创建管理员 {}，一次性密码 {}（首次登录须修改）。",
            created.login, created.password
        );
        println!(
            "First start: created administrator {} with one-time password {} (must be changed at first sign-in).",
            created.login, created.password
        );
    }
    spawn_housekeeping(db.clone());
    let where_ = match &config.database {
        Some(url) => format!("PostgreSQL {url}"),
        None => format!("SQLite {}", config.sqlite_path().display()),
    };
    let search = fruition_app::search_sync::SearchSync::open(&config.search_dir())?;
    let app = fruition_app::App::new(db, config.app.clone()).with_search(search);
    spawn_reminders(app.clone());
    let state = AppState::new(app, config.web.clone());
    let running = start(state, &config.listen).await?;
    // Start-up is over (the search index caught up or rebuilt): what it freed goes back.
    crate::memory::trim();
    tracing::info!(schema = status.db_version, database = %where_, ready_ms = started.elapsed().as_millis() as u64, "ready");
    println!(
        "Fruition 已启动 ready: http://{} （{}）",
        running.addr, where_
    );
    running.task.await??;
    Ok(())
}
