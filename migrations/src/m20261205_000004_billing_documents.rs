//! Billing documents a person can read and check: each document gets a status (`open`,
//! `paid`, `credited`), a due date and the time it was paid; each line says what it charges
//! for (its kind, product, plan, resource) and the span of service it covers.
//!
//! Documents written before this migration get the status and due date the rules of the day
//! give them (an invoice is due 14 days after issue and open, unless it totals zero, when it
//! was paid at issue; a credit note is credited), and their lines get what can still be read
//! from the order they document.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000004_billing_documents"
    }
}

use crate::{add_column as add, drop_column as remove};

const DOCUMENT_COLUMNS: &[&str] = &["status", "due_on", "paid_at"];
const LINE_COLUMNS: &[&str] = &[
    "kind",
    "product_name",
    "plan_name",
    "resource_name",
    "period_start",
    "period_end",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let documents = "billing_documents";
        add(m, documents, string("status").default("open").take()).await?;
        add(m, documents, date_null("due_on")).await?;
        add(m, documents, timestamp_with_time_zone_null("paid_at")).await?;
        let lines = "billing_document_lines";
        add(m, lines, string_null("kind")).await?;
        add(m, lines, string_null("product_name")).await?;
        add(m, lines, string_null("plan_name")).await?;
        add(m, lines, string_null("resource_name")).await?;
        add(m, lines, date_null("period_start")).await?;
        add(m, lines, date_null("period_end")).await?;
        m.create_index(
            Index::create()
                .name("ix_billing_documents_customer_status")
                .table(documents)
                .col("customer_id")
                .col("status")
                .take(),
        )
        .await?;

        let db = m.get_connection();
        let due_in_14_days = match m.get_database_backend() {
            DbBackend::Postgres => "CAST((issued_at AT TIME ZONE 'UTC') AS DATE) + 14",
            _ => "date(issued_at, '+14 days')",
        };
        db.execute_unprepared(&format!(
            "UPDATE billing_documents SET due_on = {due_in_14_days} \
             WHERE kind = 'invoice' AND total_cents <> 0"
        ))
        .await?;
        let issue_day = match m.get_database_backend() {
            DbBackend::Postgres => "CAST((issued_at AT TIME ZONE 'UTC') AS DATE)",
            _ => "date(issued_at)",
        };
        db.execute_unprepared(&format!(
            "UPDATE billing_documents SET status = 'paid', paid_at = issued_at, \
             due_on = {issue_day} WHERE kind = 'invoice' AND total_cents = 0"
        ))
        .await?;
        db.execute_unprepared(
            "UPDATE billing_documents SET status = 'credited' WHERE kind = 'credit_note'",
        )
        .await?;
        // The product and plan of a document's order; a line's kind and span from the order
        // line it was copied from (same description and amount).
        db.execute_unprepared(
            "UPDATE billing_document_lines SET \
             plan_name = (SELECT p.name FROM billing_documents d \
                 JOIN orders o ON o.id = d.order_id JOIN plans p ON p.id = o.plan_id \
                 WHERE d.id = billing_document_lines.document_id), \
             product_name = (SELECT pr.name FROM billing_documents d \
                 JOIN orders o ON o.id = d.order_id JOIN plans p ON p.id = o.plan_id \
                 JOIN products pr ON pr.id = p.product_id \
                 WHERE d.id = billing_document_lines.document_id)",
        )
        .await?;
        for column in ["kind", "period_start", "period_end"] {
            db.execute_unprepared(&format!(
                "UPDATE billing_document_lines SET {column} = (SELECT ol.{column} \
                 FROM billing_documents d JOIN order_lines ol ON ol.order_id = d.order_id \
                 WHERE d.id = billing_document_lines.document_id \
                 AND ol.description = billing_document_lines.description \
                 AND ol.amount_cents = billing_document_lines.amount_cents \
                 ORDER BY ol.id LIMIT 1)"
            ))
            .await?;
        }
        db.execute_unprepared(
            "UPDATE billing_document_lines SET resource_name = description WHERE kind = 'resource'",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE billing_document_lines SET period_start = NULL, period_end = NULL \
             WHERE kind IN ('setup_fee', 'tax')",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_billing_documents_customer_status")
                .table("billing_documents")
                .to_owned(),
        )
        .await?;
        for column in LINE_COLUMNS {
            remove(m, "billing_document_lines", column).await?;
        }
        for column in DOCUMENT_COLUMNS {
            remove(m, "billing_documents", column).await?;
        }
        Ok(())
    }
}
