//! What the benchmarks share: a scratch PostgreSQL database, made afresh for a run and dropped
//! after it, when `BENCH_DATABASE_URL` points at a server.

use sea_orm::{ConnectionTrait, DatabaseConnection};

pub struct ScratchPostgres {
    admin: DatabaseConnection,
    name: String,
    /// The scratch database's own URL.
    pub url: String,
}

impl ScratchPostgres {
    /// Creates database `name` (dropping any left over); `None` without `BENCH_DATABASE_URL`.
    pub async fn create(name: &str) -> Option<Self> {
        let admin_url = std::env::var("BENCH_DATABASE_URL").ok()?;
        let admin = server::db::connect(&admin_url).await.unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        Some(Self {
            url: format!("{base}/{name}"),
            name: name.to_owned(),
            admin,
        })
    }

    /// Leaves nothing behind: big test data takes disk space.
    pub async fn drop_database(self) {
        self.admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
    }
}
