//! What the benchmarks share: a scratch PostgreSQL database, made afresh for a run and dropped
//! after it, when `BENCH_DATABASE_URL` points at a server; and many people for one customer.

#![allow(dead_code)] // each benchmark uses its own part

use app::domain::{PersonName, PersonStatus, Role};
use app::server::entities::person;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, Set};

const FIRST: &[&str] = &[
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kara",
    "Liam", "Maya", "Noah", "Olga", "Pavel", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor",
    "Wen", "Xavier", "Yara", "Zoe",
];
const LAST: &[&str] = &[
    "Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen",
    "Kowalski", "Larsen", "Moreau", "Nakamura", "Olsen", "Petrov", "Quist", "Rossi", "Smith",
    "Tanaka", "Urban", "Varga", "Weber", "Xu", "Young", "Zimmer",
];

/// Adds `people` people to `customer_id` (`name.N@domain`): one in 50 an admin, one in 97
/// disabled, the rest active users; in batches, as a bulk import would.
pub async fn add_people(db: &DatabaseConnection, customer_id: i32, domain: &str, people: usize) {
    let now = chrono::Utc::now();
    for chunk in (0..people).collect::<Vec<_>>().chunks(2_000) {
        let rows = chunk.iter().map(|i| {
            let name = format!(
                "{} {} {i}",
                FIRST[i % FIRST.len()],
                LAST[(i / FIRST.len()) % LAST.len()]
            );
            person::ActiveModel {
                id: NotSet,
                customer_id: Set(Some(customer_id)),
                reseller_id: Set(None),
                role: Set(if i % 50 == 0 { Role::Admin } else { Role::User }),
                name_key: Set(PersonName::key_of(&name)),
                email: Set(format!(
                    "{}.{i}@{domain}",
                    name.split(' ').next().unwrap_or("person").to_lowercase()
                )),
                name: Set(name),
                notification_email: Set(None),
                password_hash: Set(None),
                status: Set(if i % 97 == 0 {
                    PersonStatus::Disabled
                } else {
                    PersonStatus::Active
                }),
                failed_logins: Set(0),
                locked_until: Set(None),
                last_login_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            }
        });
        person::Entity::insert_many(rows).exec(db).await.unwrap();
    }
}

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
