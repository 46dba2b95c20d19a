//! `server`: migrates, loads demo data when asked, and serves the Customer Control Panel.

use app::server::vendor::SimulatedVendor;
use app::server::worker::email::SmtpMailer;
use app::server::worker::{self, Workers};
use app::server::{AppState, catalog_file, demo_data};
use axum::serve::{Listener, ListenerExt};
use leptos::config::{Env, LeptosOptions};
use server::{Config, db, router, telemetry};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "help" | "--help" | "-h") {
        print!("{}", Config::help());
        return ExitCode::SUCCESS;
    }
    telemetry::init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}\n\n{}", Config::help());
            return ExitCode::from(2);
        }
    };
    match run(&command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "server stopped");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: &str, config: Config) -> Result<(), String> {
    let db = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot connect to the database: {e}"))?;
    db::migrate(&db)
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    let state = AppState::new(db, config.settings.clone());
    match command {
        "migrate" => {
            println!("Database is up to date.");
            Ok(())
        }
        "seed" => {
            seed(&state).await?;
            Ok(())
        }
        "serve" => {
            if state.settings.demo_mode {
                seed(&state).await?;
            } else {
                catalog_file::load_if_empty(&state.db, state.clock.now())
                    .await
                    .map_err(|e| format!("loading the catalog failed: {e}"))?;
            }
            serve(state, &config).await
        }
        other => Err(format!("unknown command {other:?}; see `server --help`")),
    }
}

async fn seed(state: &AppState) -> Result<(), String> {
    let loaded = demo_data::load_if_empty(state)
        .await
        .map_err(|e| format!("loading demo data failed: {e}"))?;
    if loaded {
        tracing::info!("demo data loaded");
    }
    Ok(())
}

/// Refuses to serve pages whose scripts would not be found (found by the break-it review: a
/// binary copied without its `hash.txt` served pages naming `ccp.js`, which the hashed build
/// does not have, and nothing hydrated).
fn check_assets(site_root: &str, hashed: bool) -> Result<(), String> {
    let pkg = std::path::Path::new(site_root).join("pkg");
    if !pkg.is_dir() {
        return Err(format!(
            "{} does not exist: build the site (`make run` does) or set CCP_SITE_ROOT",
            pkg.display()
        ));
    }
    if !hashed && !pkg.join("ccp.js").is_file() {
        return Err(format!(
            "{} holds no ccp.js: its assets have hashed names, so copy the build's hash.txt \
             next to the server binary",
            pkg.display()
        ));
    }
    Ok(())
}

async fn serve(state: AppState, config: &Config) -> Result<(), String> {
    check_assets(&config.site_root, hashed_assets_built())?;
    let leptos_options = LeptosOptions::builder()
        .output_name("ccp")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        // `cargo leptos build` with `hash-files` writes the assets' hashes beside the binary.
        .hash_files(hashed_assets_built())
        .env(match std::env::var("LEPTOS_ENV").as_deref() {
            Ok("DEV") => Env::DEV,
            _ => Env::PROD,
        })
        .build();

    let mailer = match &config.smtp_url {
        Some(url) => Some(SmtpMailer::new(url, &config.mail_from)?),
        None => None,
    };
    worker::start(
        &state,
        Workers {
            vendor: Arc::new(SimulatedVendor {
                latency: state.settings.vendor_latency,
                failure_percent: state.settings.vendor_failure_percent,
            }),
            fulfilment_tasks: config.fulfilment_workers,
            mailer,
        },
    );
    let app = router(state.clone(), leptos_options);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?
        // A page can go out in two writes; without this the second waits for the client's
        // delayed ACK (40 ms on Linux).
        .tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::warn!(error = %err, "cannot set TCP_NODELAY");
            }
        });
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, "listening");
    println!("Customer Control Panel is running at http://{addr}");
    if state.settings.demo_mode {
        print_demo_logins();
        println!(
            "Emails (demo mode, signed in as an owner, admin or reseller staff): {}/dev/outbox",
            state.settings.public_url
        );
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())
}

/// True when the build wrote `hash.txt` (the hashed asset names) next to this binary.
fn hashed_assets_built() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|file| file.is_file())
}

fn print_demo_logins() {
    println!(
        "Demo logins (password for all: {}):",
        demo_data::DEMO_PASSWORD
    );
    for (who, email) in demo_data::DEMO_LOGINS {
        println!("  {who:<42} {email}");
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
