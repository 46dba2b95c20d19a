//! Configuration from environment variables, each with a default that works on a laptop.

use app::domain::pricing::TaxRate;
use app::server::Settings;
use app::server::limits::LimitSettings;
use std::net::SocketAddr;

/// Every variable the server reads: (name, default, meaning). `--help` prints this table.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "DATABASE_URL",
        "sqlite://data/ccp.db?mode=rwc",
        "SQLite file (created if missing) or postgres://user@host/db",
    ),
    (
        "CCP_LISTEN",
        "127.0.0.1:3000",
        "address and port to serve on",
    ),
    (
        "CCP_MODE",
        "demo",
        "`demo` (demo data, developer outbox; loopback addresses only) or `production`",
    ),
    (
        "CCP_SESSION_IDLE_MINUTES",
        "30",
        "a session unused this long ends",
    ),
    (
        "CCP_ACTING_IDLE_MINUTES",
        "60",
        "a session in which reseller staff act for a customer ends when unused this long",
    ),
    (
        "CCP_SESSION_MAX_HOURS",
        "12",
        "a session ends this long after sign-in",
    ),
    (
        "CCP_SECURE_COOKIES",
        "false",
        "mark the session cookie Secure (set to true behind HTTPS)",
    ),
    (
        "CCP_SITE_ROOT",
        "target/site",
        "folder with the built browser bundle and static files",
    ),
    (
        "CCP_TAX_NAME",
        "",
        "name of a sales tax added to every charge, e.g. `VAT` (none when empty)",
    ),
    (
        "CCP_TAX_PERCENT",
        "",
        "that tax's rate in percent, up to two decimals, e.g. `20` or `8.25`",
    ),
    (
        "CCP_VENDOR_LATENCY_MS",
        "1500",
        "how long each call to the simulated vendor takes",
    ),
    (
        "CCP_VENDOR_FAILURE_PERCENT",
        "0",
        "share of simulated vendor calls that fail and are retried (0-100)",
    ),
    (
        "CCP_FULFILMENT_WORKERS",
        "2",
        "orders this process fulfils at the same time (0: none, another process does it)",
    ),
    (
        "CCP_SIGN_IN_LIMIT_PER_CLIENT",
        "30",
        "sign-in attempts per minute from one client address (then HTTP 429)",
    ),
    (
        "CCP_SIGN_IN_LIMIT_PER_ACCOUNT",
        "10",
        "sign-in attempts for one email address at once, then one every 30 seconds (then HTTP 429)",
    ),
    ("RUST_LOG", "info", "log filter, e.g. `info,app=debug`"),
];

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub listen: SocketAddr,
    pub site_root: String,
    pub fulfilment_workers: usize,
    pub settings: Settings,
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        VARIABLES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, default, _)| (*default).to_owned())
            .unwrap_or_default()
    })
}

fn parse<T: std::str::FromStr>(name: &str) -> Result<T, String> {
    let value = var(name);
    value
        .trim()
        .parse()
        .map_err(|_| format!("{name}={value:?} is not valid"))
}

/// Demo mode shows every email, with live activation and reset links, at `/dev/outbox`: it may
/// only listen where nobody but this machine can reach it.
pub fn check_demo_listen(demo_mode: bool, listen: SocketAddr) -> Result<(), String> {
    if demo_mode && !listen.ip().is_loopback() {
        return Err(format!(
            "CCP_MODE=demo serves only on a loopback address (127.0.0.1 or ::1), because its \
             developer outbox shows every email with its sign-in links. To serve on {listen}, \
             set CCP_MODE=production."
        ));
    }
    Ok(())
}

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let idle: i64 = parse("CCP_SESSION_IDLE_MINUTES")?;
        let max: i64 = parse("CCP_SESSION_MAX_HOURS")?;
        let acting_idle: i64 = parse("CCP_ACTING_IDLE_MINUTES")?;
        if idle <= 0 || max <= 0 || acting_idle <= 0 {
            return Err("session lifetimes must be positive".into());
        }
        // cargo-leptos passes its own address this way when it runs the server.
        let listen: SocketAddr = match std::env::var("LEPTOS_SITE_ADDR") {
            Ok(addr) if std::env::var("CCP_LISTEN").is_err() => addr
                .parse()
                .map_err(|_| format!("LEPTOS_SITE_ADDR={addr:?} is not valid"))?,
            _ => parse("CCP_LISTEN")?,
        };
        let demo_mode = match var("CCP_MODE").as_str() {
            "demo" => true,
            "production" => false,
            other => return Err(format!("CCP_MODE={other:?}: use `demo` or `production`")),
        };
        check_demo_listen(demo_mode, listen)?;
        let public_url = match std::env::var("CCP_PUBLIC_URL") {
            Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
            _ => format!("http://{listen}"),
        };
        let tax = match (var("CCP_TAX_NAME"), var("CCP_TAX_PERCENT")) {
            (name, percent) if name.trim().is_empty() && percent.trim().is_empty() => None,
            (name, percent) => Some(
                TaxRate::parse(&name, &percent)
                    .map_err(|e| format!("CCP_TAX_NAME / CCP_TAX_PERCENT: {e}"))?,
            ),
        };
        let vendor_failure_percent: u8 = parse("CCP_VENDOR_FAILURE_PERCENT")?;
        if vendor_failure_percent > 100 {
            return Err("CCP_VENDOR_FAILURE_PERCENT must be between 0 and 100".into());
        }
        Ok(Self {
            fulfilment_workers: parse("CCP_FULFILMENT_WORKERS")?,
            database_url: var("DATABASE_URL"),
            smtp_url: Some(var("CCP_SMTP_URL")).filter(|url| !url.trim().is_empty()),
            mail_from: var("CCP_MAIL_FROM"),
            listen,
            site_root: std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| var("CCP_SITE_ROOT")),
            settings: Settings {
                session_idle: chrono::Duration::minutes(idle),
                session_absolute: chrono::Duration::hours(max),
                acting_idle: chrono::Duration::minutes(acting_idle),
                secure_cookies: parse("CCP_SECURE_COOKIES")?,
                demo_mode,
                public_url,
                tax,
                vendor_latency: std::time::Duration::from_millis(parse("CCP_VENDOR_LATENCY_MS")?),
                vendor_failure_percent,
                limits: LimitSettings {
                    sign_in_per_client_per_minute: parse("CCP_SIGN_IN_LIMIT_PER_CLIENT")?,
                    sign_in_per_account_burst: parse("CCP_SIGN_IN_LIMIT_PER_ACCOUNT")?,
                },
            },
        })
    }

    pub fn help() -> String {
        let mut out = String::from(
            "Customer Control Panel server\n\n\
             Usage: server [COMMAND]\n\n\
             Commands:\n  \
             serve     migrate the database, load demo data if empty (demo mode), serve (default)\n  \
             migrate   only run database migrations\n  \
             seed      migrate, then load the catalog and demo data into an empty database\n  \
             help      print this help (also --help, -h)\n\n\
             Environment variables:\n",
        );
        for (name, default, meaning) in VARIABLES {
            out.push_str(&format!(
                "  {name:<26} {meaning}\n  {:<26} default: {default}\n",
                ""
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_mode_refuses_to_listen_beyond_this_machine() {
        let loopback: SocketAddr = "127.0.0.1:3000".parse().unwrap();
        let everywhere: SocketAddr = "0.0.0.0:3000".parse().unwrap();
        let v6: SocketAddr = "[::1]:3000".parse().unwrap();
        assert!(check_demo_listen(true, loopback).is_ok());
        assert!(check_demo_listen(true, v6).is_ok());
        let refused = check_demo_listen(true, everywhere).unwrap_err();
        assert!(refused.contains("CCP_MODE=production"), "{refused}");
        assert!(check_demo_listen(false, everywhere).is_ok());
    }
}
