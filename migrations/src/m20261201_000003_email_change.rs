//! A link can carry the address it confirms: changing one's sign-in email sends a link to the
//! new address, and the change happens only when that link is used.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261201_000003_email_change"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("person_tokens")
                .add_column(string_len_null("new_email", 254))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("person_tokens")
                .drop_column("new_email")
                .take(),
        )
        .await
    }
}
