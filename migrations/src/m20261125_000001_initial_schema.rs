//! The whole domain of DESIGN.md: tenants and people, sessions, the catalog, subscriptions,
//! orders, billing, notifications, the email outbox and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261125_000001_initial_schema"
    }
}

/// A foreign key from `table.column` to `target.id`.
fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// Like [`fk`] but the child rows go with their parent.
fn fk_cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    fk(table, column, target)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn index(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{name}")).table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.take()
}

fn unique(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    index(table, name, columns).unique().take()
}

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

/// Tables in creation order; dropped in reverse.
const TABLES: &[&str] = &[
    "resellers",
    "customers",
    "people",
    "person_tokens",
    "sessions",
    "login_history",
    "products",
    "plans",
    "resource_rates",
    "subscriptions",
    "subscription_resources",
    "license_assignments",
    "orders",
    "order_lines",
    "order_events",
    "billing_documents",
    "billing_document_lines",
    "notifications",
    "email_outbox",
    "audit_log",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // --- Tenants and people -------------------------------------------------------------
        m.create_table(
            Table::create()
                .table("resellers")
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string("contact_email"))
                .col(boolean("auto_approve_cancellations").default(false))
                .col(created_at())
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("customers")
                .col(pk_auto("id"))
                .col(integer("reseller_id"))
                .col(string("name"))
                .col(string("contact_email"))
                .col(string("country"))
                .col(string_len("currency", 3))
                .col(string("status"))
                .col(created_at())
                .foreign_key(&mut fk("customers", "reseller_id", "resellers"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "customers",
            "reseller_name",
            &["reseller_id", "name"],
        ))
        .await?;

        // Prefix search uses `key >= 'ab' AND key < 'ac'`, which needs byte-wise comparison;
        // PostgreSQL's default collation is linguistic, SQLite's is already byte-wise.
        let byte_order = match m.get_database_backend() {
            sea_orm_migration::sea_orm::DbBackend::Postgres => r#"COLLATE "C""#.to_owned(),
            _ => String::new(),
        };

        // One table for every login: customer people (owner/admin/user) have `customer_id`,
        // reseller staff have `reseller_id`. Emails are stored lower-cased and unique platform-wide.
        m.create_table(
            Table::create()
                .table("people")
                .col(pk_auto("id"))
                .col(integer_null("customer_id"))
                .col(integer_null("reseller_id"))
                .col(string("role"))
                .col(string("name"))
                // Lower-cased name: the sort and prefix-search key of the users list.
                .col(string("name_key").extra(byte_order.clone()))
                .col(string("email").extra(byte_order.clone()))
                .col(string_null("notification_email"))
                .col(string_null("password_hash"))
                .col(string("status"))
                .col(integer("failed_logins").default(0))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone_null("last_login_at"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("people", "customer_id", "customers"))
                .foreign_key(&mut fk("people", "reseller_id", "resellers"))
                .take(),
        )
        .await?;
        m.create_index(unique("people", "email", &["email"]))
            .await?;
        // The users list: sorted by name, searched by name or email prefix, filtered by role or
        // status, always within one customer.
        m.create_index(index(
            "people",
            "customer_name",
            &["customer_id", "name_key"],
        ))
        .await?;
        m.create_index(index("people", "customer_email", &["customer_id", "email"]))
            .await?;
        m.create_index(index(
            "people",
            "customer_role",
            &["customer_id", "role", "name_key"],
        ))
        .await?;
        m.create_index(index(
            "people",
            "customer_status",
            &["customer_id", "status", "name_key"],
        ))
        .await?;
        m.create_index(index(
            "people",
            "customer_role_email",
            &["customer_id", "role", "email"],
        ))
        .await?;
        m.create_index(index(
            "people",
            "customer_status_email",
            &["customer_id", "status", "email"],
        ))
        .await?;
        m.create_index(index("people", "reseller", &["reseller_id"]))
            .await?;

        // Activation and password-reset links: only the SHA-256 of the token is stored.
        m.create_table(
            Table::create()
                .table("person_tokens")
                .col(pk_auto("id"))
                .col(integer("person_id"))
                .col(string("purpose"))
                .col(string("token_hash"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(created_at())
                .foreign_key(&mut fk_cascade("person_tokens", "person_id", "people"))
                .take(),
        )
        .await?;
        m.create_index(unique("person_tokens", "hash", &["token_hash"]))
            .await?;
        m.create_index(index("person_tokens", "person", &["person_id"]))
            .await?;

        // Sessions live here so that any server process can serve any request.
        m.create_table(
            Table::create()
                .table("sessions")
                .col(string("id").primary_key())
                .col(integer("person_id"))
                .col(integer_null("impersonator_id"))
                .col(created_at())
                .col(timestamp_with_time_zone("last_seen_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string_null("ip"))
                .col(string_null("user_agent"))
                .foreign_key(&mut fk_cascade("sessions", "person_id", "people"))
                .foreign_key(&mut fk_cascade("sessions", "impersonator_id", "people"))
                .take(),
        )
        .await?;
        m.create_index(index("sessions", "person", &["person_id"]))
            .await?;
        m.create_index(index("sessions", "expires", &["expires_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table("login_history")
                .col(pk_auto("id"))
                .col(integer_null("person_id"))
                .col(boolean("success"))
                .col(string_null("failure_reason"))
                .col(string_null("ip"))
                .col(string_null("user_agent"))
                .col(created_at())
                .foreign_key(&mut fk_cascade("login_history", "person_id", "people"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "login_history",
            "person_time",
            &["person_id", "created_at"],
        ))
        .await?;

        // --- Catalog --------------------------------------------------------------------------
        m.create_table(
            Table::create()
                .table("products")
                .col(pk_auto("id"))
                .col(string("sku"))
                .col(string("vendor"))
                .col(string("name"))
                .col(string("category"))
                .col(string("short_description"))
                .col(text("long_description"))
                .col(string("icon"))
                .col(string("color"))
                .col(boolean("demo_always_fails").default(false))
                .col(boolean("active").default(true))
                .col(created_at())
                .take(),
        )
        .await?;
        m.create_index(unique("products", "sku", &["sku"])).await?;
        m.create_index(index("products", "category", &["category", "name"]))
            .await?;

        m.create_table(
            Table::create()
                .table("plans")
                .col(pk_auto("id"))
                .col(integer("product_id"))
                .col(string("sku"))
                .col(string("name"))
                .col(string("billing_period"))
                .col(string_len("currency", 3))
                .col(big_integer("price_cents"))
                .col(big_integer("setup_fee_cents"))
                .col(integer("trial_days"))
                .col(integer("full_refund_days"))
                .col(integer("prorated_refund_days"))
                .col(boolean("cancellable_online"))
                .col(boolean("active").default(true))
                .foreign_key(&mut fk("plans", "product_id", "products"))
                .take(),
        )
        .await?;
        m.create_index(unique("plans", "sku", &["sku"])).await?;
        m.create_index(index("plans", "product", &["product_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("resource_rates")
                .col(pk_auto("id"))
                .col(integer("plan_id"))
                .col(string("code"))
                .col(string("name"))
                .col(string("unit"))
                .col(string("kind"))
                .col(big_integer("included_units"))
                .col(big_integer("min_units"))
                .col(big_integer_null("max_units"))
                .col(big_integer("unit_price_cents"))
                .col(integer("downsize_window_days"))
                .foreign_key(&mut fk("resource_rates", "plan_id", "plans"))
                .take(),
        )
        .await?;
        m.create_index(unique("resource_rates", "plan_code", &["plan_id", "code"]))
            .await?;

        // --- Subscriptions ---------------------------------------------------------------------
        m.create_table(
            Table::create()
                .table("subscriptions")
                .col(pk_auto("id"))
                .col(integer("customer_id"))
                .col(integer("plan_id"))
                .col(string("status"))
                .col(date("start_date"))
                .col(date("period_start"))
                .col(date("period_end"))
                .col(date_null("trial_ends_on"))
                .col(boolean("auto_renew").default(true))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("terminated_at"))
                .foreign_key(&mut fk("subscriptions", "customer_id", "customers"))
                .foreign_key(&mut fk("subscriptions", "plan_id", "plans"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "subscriptions",
            "customer_status",
            &["customer_id", "status"],
        ))
        .await?;
        m.create_index(index(
            "subscriptions",
            "customer_renewal",
            &["customer_id", "period_end"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("subscription_resources")
                .col(pk_auto("id"))
                .col(integer("subscription_id"))
                .col(integer("resource_rate_id"))
                .col(big_integer("limit_units"))
                .col(big_integer("usage_units").default(0))
                .foreign_key(&mut fk_cascade(
                    "subscription_resources",
                    "subscription_id",
                    "subscriptions",
                ))
                .foreign_key(&mut fk(
                    "subscription_resources",
                    "resource_rate_id",
                    "resource_rates",
                ))
                .take(),
        )
        .await?;
        m.create_index(unique(
            "subscription_resources",
            "sub_rate",
            &["subscription_id", "resource_rate_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("license_assignments")
                .col(pk_auto("id"))
                .col(integer("subscription_resource_id"))
                .col(integer("person_id"))
                .col(timestamp_with_time_zone("assigned_at"))
                .foreign_key(&mut fk_cascade(
                    "license_assignments",
                    "subscription_resource_id",
                    "subscription_resources",
                ))
                .foreign_key(&mut fk_cascade(
                    "license_assignments",
                    "person_id",
                    "people",
                ))
                .take(),
        )
        .await?;
        m.create_index(unique(
            "license_assignments",
            "resource_person",
            &["subscription_resource_id", "person_id"],
        ))
        .await?;
        m.create_index(index("license_assignments", "person", &["person_id"]))
            .await?;

        // --- Orders ------------------------------------------------------------------------------
        m.create_table(
            Table::create()
                .table("orders")
                .col(pk_auto("id"))
                .col(string("number"))
                .col(integer("customer_id"))
                .col(integer_null("subscription_id"))
                .col(integer_null("plan_id"))
                .col(string("order_type"))
                .col(string("status"))
                .col(string("idempotency_key"))
                .col(string_len("currency", 3))
                .col(big_integer("total_cents"))
                .col(integer_null("created_by"))
                .col(integer_null("impersonator_id"))
                .col(string_null("failure_reason"))
                .col(string_null("cancel_reason"))
                .col(text_null("cancel_comment"))
                .col(string_null("decision_reason"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone_null("next_attempt_at"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("completed_at"))
                .foreign_key(&mut fk("orders", "customer_id", "customers"))
                .foreign_key(&mut fk("orders", "subscription_id", "subscriptions"))
                .foreign_key(&mut fk("orders", "plan_id", "plans"))
                .foreign_key(&mut fk("orders", "created_by", "people"))
                .foreign_key(&mut fk("orders", "impersonator_id", "people"))
                .take(),
        )
        .await?;
        m.create_index(unique("orders", "number", &["number"]))
            .await?;
        // A retried submit with the same key finds the first order instead of creating another.
        m.create_index(unique(
            "orders",
            "idempotency",
            &["customer_id", "idempotency_key"],
        ))
        .await?;
        m.create_index(index(
            "orders",
            "customer_time",
            &["customer_id", "created_at"],
        ))
        .await?;
        m.create_index(index("orders", "queue", &["status", "next_attempt_at"]))
            .await?;
        m.create_index(index("orders", "subscription", &["subscription_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("order_lines")
                .col(pk_auto("id"))
                .col(integer("order_id"))
                .col(string("kind"))
                .col(string("description"))
                .col(integer_null("resource_rate_id"))
                .col(big_integer("quantity"))
                .col(big_integer("unit_price_cents"))
                .col(big_integer("amount_cents"))
                .col(date_null("period_start"))
                .col(date_null("period_end"))
                .foreign_key(&mut fk_cascade("order_lines", "order_id", "orders"))
                .foreign_key(&mut fk("order_lines", "resource_rate_id", "resource_rates"))
                .take(),
        )
        .await?;
        m.create_index(index("order_lines", "order", &["order_id"]))
            .await?;

        // The status timeline of an order.
        m.create_table(
            Table::create()
                .table("order_events")
                .col(pk_auto("id"))
                .col(integer("order_id"))
                .col(string("status"))
                .col(string_null("note"))
                .col(created_at())
                .foreign_key(&mut fk_cascade("order_events", "order_id", "orders"))
                .take(),
        )
        .await?;
        m.create_index(index("order_events", "order", &["order_id", "created_at"]))
            .await?;

        // --- Billing -------------------------------------------------------------------------------
        m.create_table(
            Table::create()
                .table("billing_documents")
                .col(pk_auto("id"))
                .col(string("number"))
                .col(integer("customer_id"))
                .col(integer_null("order_id"))
                .col(string("kind"))
                .col(string_len("currency", 3))
                .col(big_integer("total_cents"))
                .col(timestamp_with_time_zone("issued_at"))
                .foreign_key(&mut fk("billing_documents", "customer_id", "customers"))
                .foreign_key(&mut fk("billing_documents", "order_id", "orders"))
                .take(),
        )
        .await?;
        m.create_index(unique("billing_documents", "number", &["number"]))
            .await?;
        m.create_index(index(
            "billing_documents",
            "customer_time",
            &["customer_id", "issued_at"],
        ))
        .await?;
        m.create_index(index("billing_documents", "order", &["order_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("billing_document_lines")
                .col(pk_auto("id"))
                .col(integer("document_id"))
                .col(string("description"))
                .col(big_integer("quantity"))
                .col(big_integer("unit_price_cents"))
                .col(big_integer("amount_cents"))
                .foreign_key(&mut fk_cascade(
                    "billing_document_lines",
                    "document_id",
                    "billing_documents",
                ))
                .take(),
        )
        .await?;
        m.create_index(index(
            "billing_document_lines",
            "document",
            &["document_id"],
        ))
        .await?;

        // --- Notifications, email, audit ----------------------------------------------------------
        m.create_table(
            Table::create()
                .table("notifications")
                .col(pk_auto("id"))
                .col(integer("person_id"))
                .col(string("kind"))
                .col(string("title"))
                .col(text("body"))
                .col(string_null("link"))
                .col(timestamp_with_time_zone_null("read_at"))
                .col(created_at())
                .foreign_key(&mut fk_cascade("notifications", "person_id", "people"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "notifications",
            "person_time",
            &["person_id", "created_at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("email_outbox")
                .col(pk_auto("id"))
                .col(string("to_address"))
                .col(string("subject"))
                .col(text("body_text"))
                .col(string("kind"))
                .col(string("status"))
                .col(integer("attempts").default(0))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(created_at())
                .col(timestamp_with_time_zone_null("sent_at"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "email_outbox",
            "queue",
            &["status", "next_attempt_at"],
        ))
        .await?;

        // Append-only. No foreign keys on purpose: entries outlive the people they mention.
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(pk_auto("id"))
                .col(integer_null("reseller_id"))
                .col(integer_null("customer_id"))
                .col(integer_null("actor_id"))
                .col(string_null("actor_name"))
                .col(integer_null("impersonator_id"))
                .col(string_null("impersonator_name"))
                .col(string("action"))
                .col(string("target_type"))
                .col(string_null("target_id"))
                .col(text_null("details"))
                .col(string_null("ip"))
                .col(created_at())
                .take(),
        )
        .await?;
        m.create_index(index(
            "audit_log",
            "customer_time",
            &["customer_id", "created_at"],
        ))
        .await?;
        m.create_index(index(
            "audit_log",
            "reseller_time",
            &["reseller_id", "created_at"],
        ))
        .await?;

        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).take()).await?;
        }
        Ok(())
    }
}
