//! The reseller panel: a customer's address and contact person, set when a reseller creates the
//! customer; and the link from a session in which reseller staff act for a customer ("log in to
//! Customer Control Panel") to the staff member's own session, which the return restores.

use crate::{add_column as add, drop_column as remove};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000007_reseller_panel"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add(m, "customers", text_null("address")).await?;
        add(m, "customers", string_null("contact_name")).await?;
        add(m, "customers", string_null("contact_phone")).await?;
        add(m, "sessions", string_null("parent_session_id")).await?;
        m.create_index(
            Index::create()
                .name("ix_sessions_parent")
                .table("sessions")
                .col("parent_session_id")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_sessions_parent")
                .table("sessions")
                .to_owned(),
        )
        .await?;
        remove(m, "sessions", "parent_session_id").await?;
        for column in ["contact_phone", "contact_name", "address"] {
            remove(m, "customers", column).await?;
        }
        Ok(())
    }
}
