//! The demo accounts, loaded into an empty database in demo mode.
//!
//! The catalog comes from `catalog_file` (as in production); the demo reseller, its two
//! customers, their people, subscriptions, orders and invoices are made here, dated relative to
//! today so that every screen has something current to show.

use crate::domain::pricing::{self, PlanPrice, ResourceQuantity};
use crate::domain::{
    BillingPeriod, Currency, DocumentKind, OrderStatus, OrderType, PersonName, PersonStatus,
    ResourceKind, Role, SubscriptionStatus,
};
use crate::error::AppError;
use crate::server::entities::{
    billing_document, billing_document_line, customer, license_assignment, order, order_event,
    order_line, order_resource, person, plan, reseller, resource_rate, subscription,
    subscription_resource, trial_claim,
};
use crate::server::password;
use crate::server::services::{fulfilment, orders};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    PaginatorTrait, QueryFilter, Set,
};

/// The password of every demo login (printed by the run command).
pub const DEMO_PASSWORD: &str = "Demo-pass-2026";

/// The demo logins, as (who, email).
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    (
        "Customer owner (Contoso Dental)",
        "olivia.owner@contoso-dental.example",
    ),
    (
        "Customer admin (Contoso Dental)",
        "adam.admin@contoso-dental.example",
    ),
    (
        "Service user (Contoso Dental)",
        "uma.user@contoso-dental.example",
    ),
    (
        "Customer owner (Fabrikam Logistics)",
        "fiona.owner@fabrikam-logistics.example",
    ),
    (
        "Reseller staff (Northwind Cloud)",
        "rita.reseller@northwind-cloud.example",
    ),
];

/// Loads the catalog and the demo accounts into an empty database, in one transaction.
/// Returns whether anything was loaded.
pub async fn load_if_empty(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, AppError> {
    if reseller::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let password_hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let txn = crate::server::transaction::begin_write(db).await?;
    super::catalog_file::load_if_empty(&txn, now).await?;
    let mut seeder = Seeder {
        db: &txn,
        now,
        today: now.date_naive(),
        password_hash,
        orders: 0,
    };
    seeder.accounts().await?;
    txn.commit().await?;
    Ok(true)
}

struct Seeder<'a, C> {
    db: &'a C,
    now: DateTime<Utc>,
    today: NaiveDate,
    password_hash: String,
    orders: u32,
}

impl<C: ConnectionTrait> Seeder<'_, C> {
    async fn accounts(&mut self) -> Result<(), AppError> {
        let reseller = reseller::ActiveModel {
            id: NotSet,
            name: Set("Northwind Cloud Partners".into()),
            contact_email: Set("support@northwind-cloud.example".into()),
            auto_approve_cancellations: Set(false),
            created_at: Set(self.now),
        }
        .insert(self.db)
        .await?;
        self.person(
            None,
            Some(reseller.id),
            Role::ResellerAdmin,
            "Rita Reseller",
            "rita.reseller@northwind-cloud.example",
        )
        .await?;

        // --- Contoso Dental Group: the busy account every screen shows ---
        let contoso = self
            .customer(
                reseller.id,
                "Contoso Dental Group",
                "billing@contoso-dental.example",
                "US",
            )
            .await?;
        let c = contoso.id;
        self.person(
            Some(c),
            None,
            Role::Owner,
            "Olivia Owner",
            "olivia.owner@contoso-dental.example",
        )
        .await?;
        let adam = self
            .person(
                Some(c),
                None,
                Role::Admin,
                "Adam Admin",
                "adam.admin@contoso-dental.example",
            )
            .await?;
        let uma = self
            .person(
                Some(c),
                None,
                Role::User,
                "Uma User",
                "uma.user@contoso-dental.example",
            )
            .await?;
        let mut staff = vec![adam, uma];
        for (name, email) in [
            ("Dr. Priya Raman", "priya.raman@contoso-dental.example"),
            ("Marco Silva", "marco.silva@contoso-dental.example"),
            ("Hannah Lee", "hannah.lee@contoso-dental.example"),
            ("Tomás Ortega", "tomas.ortega@contoso-dental.example"),
            ("Grace Kim", "grace.kim@contoso-dental.example"),
        ] {
            staff.push(self.person(Some(c), None, Role::User, name, email).await?);
        }
        let invited = self
            .person(
                Some(c),
                None,
                Role::User,
                "Noah Newhire",
                "noah.newhire@contoso-dental.example",
            )
            .await?;
        person::Entity::update_many()
            .col_expr(
                person::Column::Status,
                sea_orm::sea_query::Expr::value(PersonStatus::Invited.as_str()),
            )
            .col_expr(
                person::Column::PasswordHash,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .filter(person::Column::Id.eq(invited))
            .exec(self.db)
            .await?;

        self.subscription(
            c,
            "ms365-business-basic-annual",
            &[("licenses", 10)],
            200,
            SubscriptionStatus::Active,
            &staff[..6],
        )
        .await?;
        self.subscription(
            c,
            "acronis-cyber-protect-cloud-monthly",
            &[("workstations", 12), ("servers", 2), ("cloud_storage", 500)],
            75,
            SubscriptionStatus::Active,
            &[],
        )
        .await?;
        self.subscription(
            c,
            "zoom-workplace-pro-monthly",
            &[("licenses", 4)],
            50,
            SubscriptionStatus::Active,
            &staff[..3],
        )
        .await?;
        self.subscription(
            c,
            "dropbox-business-monthly",
            &[("licenses", 5)],
            9,
            SubscriptionStatus::Trial,
            &staff[2..5],
        )
        .await?;
        self.subscription(
            c,
            "bitdefender-gravityzone-business-security-annual",
            &[("protected_devices", 25)],
            340,
            SubscriptionStatus::Active,
            &[],
        )
        .await?;
        self.failed_order(
            c,
            "legacy-fax-gateway-monthly",
            3,
            "The vendor no longer accepts new fax gateway orders.",
        )
        .await?;

        // --- Fabrikam Logistics: a second tenant, to prove nothing leaks across ---
        let fabrikam = self
            .customer(
                reseller.id,
                "Fabrikam Logistics",
                "it@fabrikam-logistics.example",
                "DE",
            )
            .await?;
        let f = fabrikam.id;
        self.person(
            Some(f),
            None,
            Role::Owner,
            "Fiona Owner",
            "fiona.owner@fabrikam-logistics.example",
        )
        .await?;
        let mut fab_staff = vec![
            self.person(
                Some(f),
                None,
                Role::Admin,
                "Felix Admin",
                "felix.admin@fabrikam-logistics.example",
            )
            .await?,
        ];
        for (name, email) in [
            ("Jonas Weber", "jonas.weber@fabrikam-logistics.example"),
            ("Lena Fischer", "lena.fischer@fabrikam-logistics.example"),
            ("Omar Haddad", "omar.haddad@fabrikam-logistics.example"),
        ] {
            fab_staff.push(self.person(Some(f), None, Role::User, name, email).await?);
        }
        self.subscription(
            f,
            "google-workspace-business-standard-annual",
            &[("licenses", 8)],
            120,
            SubscriptionStatus::Active,
            &fab_staff,
        )
        .await?;
        self.subscription(
            f,
            "github-team-monthly",
            &[("licenses", 3)],
            40,
            SubscriptionStatus::Active,
            &fab_staff[..2],
        )
        .await?;
        Ok(())
    }

    async fn customer(
        &self,
        reseller_id: i32,
        name: &str,
        email: &str,
        country: &str,
    ) -> Result<customer::Model, AppError> {
        Ok(customer::ActiveModel {
            id: NotSet,
            reseller_id: Set(reseller_id),
            name: Set(name.into()),
            contact_email: Set(email.into()),
            country: Set(country.into()),
            currency: Set(Currency::USD),
            status: Set("active".into()),
            created_at: Set(self.now - chrono::Duration::days(400)),
        }
        .insert(self.db)
        .await?)
    }

    async fn person(
        &self,
        customer_id: Option<i32>,
        reseller_id: Option<i32>,
        role: Role,
        name: &str,
        email: &str,
    ) -> Result<i32, AppError> {
        let row = person::ActiveModel {
            id: NotSet,
            customer_id: Set(customer_id),
            reseller_id: Set(reseller_id),
            role: Set(role),
            name: Set(name.into()),
            name_key: Set(PersonName::key_of(name)),
            email: Set(email.into()),
            notification_email: Set(None),
            password_hash: Set(Some(self.password_hash.clone())),
            status: Set(PersonStatus::Active),
            failed_logins: Set(0),
            locked_until: Set(None),
            last_login_at: Set(None),
            created_at: Set(self.now - chrono::Duration::days(300)),
            updated_at: Set(self.now),
        }
        .insert(self.db)
        .await?;
        Ok(row.id)
    }

    async fn plan(&self, sku: &str) -> Result<(plan::Model, Vec<resource_rate::Model>), AppError> {
        let plan = plan::Entity::find()
            .filter(plan::Column::Sku.eq(sku))
            .one(self.db)
            .await?
            .ok_or_else(|| invalid(format!("demo data names unknown plan {sku}")))?;
        let rates = resource_rate::Entity::find()
            .filter(resource_rate::Column::PlanId.eq(plan.id))
            .all(self.db)
            .await?;
        Ok((plan, rates))
    }

    /// A completed sales order with its lines, timeline and invoice, as the fulfilment worker
    /// would have left it.
    async fn order(
        &mut self,
        sale: Sale<'_>,
        subscription_id: Option<i32>,
        at: DateTime<Utc>,
        outcome: Result<(), &str>,
    ) -> Result<(), AppError> {
        let Sale {
            customer_id,
            trial,
            plan,
            rates,
            quantities,
        } = sale;
        let currency = plan.currency;
        let quote = pricing::quote_new_subscription(
            &PlanPrice {
                name: plan.name.clone(),
                currency,
                price_cents: plan.price_cents,
                setup_fee_cents: plan.setup_fee_cents,
                trial_days: if trial { plan.trial_days } else { 0 },
            },
            &rates
                .iter()
                .map(|r| ResourceQuantity {
                    name: r.name.clone(),
                    included: r.included_units,
                    quantity: quantity_of(quantities, r),
                    unit_price_cents: r.unit_price_cents,
                })
                .collect::<Vec<_>>(),
            None,
        )
        .map_err(|e| invalid(e.to_string()))?;
        self.orders += 1;
        let status = if outcome.is_ok() {
            OrderStatus::Completed
        } else {
            OrderStatus::Failed
        };
        let order = order::ActiveModel {
            id: NotSet,
            number: Set(format!("demo-order-{}", self.orders)),
            customer_id: Set(customer_id),
            subscription_id: Set(subscription_id),
            plan_id: Set(Some(plan.id)),
            order_type: Set(OrderType::Sales),
            status: Set(status),
            idempotency_key: Set(format!("demo-{}", self.orders)),
            currency: Set(plan.currency),
            total_cents: Set(quote.total.cents),
            created_by: Set(None),
            impersonator_id: Set(None),
            failure_reason: Set(outcome.err().map(str::to_owned)),
            cancel_reason: Set(None),
            cancel_comment: Set(None),
            decision_reason: Set(None),
            attempts: Set(1),
            next_attempt_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            completed_at: Set(Some(at + chrono::Duration::minutes(2))),
        }
        .insert(self.db)
        .await?;
        order::Entity::update_many()
            .col_expr(
                order::Column::Number,
                sea_orm::sea_query::Expr::value(orders::order_number(order.id)),
            )
            .filter(order::Column::Id.eq(order.id))
            .exec(self.db)
            .await?;
        for rate in rates {
            order_resource::ActiveModel {
                id: NotSet,
                order_id: Set(order.id),
                resource_rate_id: Set(rate.id),
                units: Set(quantity_of(quantities, rate)),
            }
            .insert(self.db)
            .await?;
        }
        if trial {
            trial_claim::ActiveModel {
                id: NotSet,
                customer_id: Set(customer_id),
                product_id: Set(plan.product_id),
                order_id: Set(order.id),
                created_at: Set(at),
            }
            .insert(self.db)
            .await?;
        }
        for line in &quote.lines {
            order_line::ActiveModel {
                id: NotSet,
                order_id: Set(order.id),
                kind: Set(line.kind),
                description: Set(line.description.clone()),
                resource_rate_id: Set(rates
                    .iter()
                    .find(|r| r.name == line.description)
                    .map(|r| r.id)),
                quantity: Set(line.quantity),
                unit_price_cents: Set(line.unit_price.cents),
                amount_cents: Set(line.amount.cents),
                period_start: Set(Some(at.date_naive())),
                period_end: Set(None),
            }
            .insert(self.db)
            .await?;
        }
        for (minutes, step) in [
            (0, OrderStatus::Submitted),
            (1, OrderStatus::Provisioning),
            (2, status),
        ] {
            order_event::ActiveModel {
                id: NotSet,
                order_id: Set(order.id),
                status: Set(step),
                note: Set(if step == OrderStatus::Failed {
                    outcome.err().map(str::to_owned)
                } else {
                    None
                }),
                created_at: Set(at + chrono::Duration::minutes(minutes)),
            }
            .insert(self.db)
            .await?;
        }
        if outcome.is_ok() {
            let document = billing_document::ActiveModel {
                id: NotSet,
                number: Set(format!("demo-invoice-{}", self.orders)),
                customer_id: Set(customer_id),
                order_id: Set(Some(order.id)),
                kind: Set(DocumentKind::Invoice),
                currency: Set(plan.currency),
                total_cents: Set(quote.total.cents),
                issued_at: Set(at + chrono::Duration::minutes(2)),
            }
            .insert(self.db)
            .await?;
            billing_document::Entity::update_many()
                .col_expr(
                    billing_document::Column::Number,
                    sea_orm::sea_query::Expr::value(fulfilment::invoice_number(document.id)),
                )
                .filter(billing_document::Column::Id.eq(document.id))
                .exec(self.db)
                .await?;
            for line in &quote.lines {
                billing_document_line::ActiveModel {
                    id: NotSet,
                    document_id: Set(document.id),
                    description: Set(line.description.clone()),
                    quantity: Set(line.quantity),
                    unit_price_cents: Set(line.unit_price.cents),
                    amount_cents: Set(line.amount.cents),
                }
                .insert(self.db)
                .await?;
            }
        }
        Ok(())
    }

    async fn failed_order(
        &mut self,
        customer_id: i32,
        plan_sku: &str,
        days_ago: u64,
        reason: &str,
    ) -> Result<(), AppError> {
        let (plan, rates) = self.plan(plan_sku).await?;
        let at = self.now - chrono::Duration::days(days_ago as i64);
        let sale = Sale {
            customer_id,
            trial: false,
            plan: &plan,
            rates: &rates,
            quantities: &[],
        };
        self.order(sale, None, at, Err(reason)).await
    }

    async fn subscription(
        &mut self,
        customer_id: i32,
        plan_sku: &str,
        quantities: &[(&str, i64)],
        days_ago: u64,
        status: SubscriptionStatus,
        assignees: &[i32],
    ) -> Result<(), AppError> {
        let (plan, rates) = self.plan(plan_sku).await?;
        let period = plan.billing_period;
        let start = self.today - Days::new(days_ago);
        let (period_start, period_end) = current_period(start, period, self.today);
        let created = self.now - chrono::Duration::days(days_ago as i64);
        let sub = subscription::ActiveModel {
            id: NotSet,
            customer_id: Set(customer_id),
            plan_id: Set(plan.id),
            status: Set(status),
            start_date: Set(start),
            period_start: Set(period_start),
            period_end: Set(period_end),
            trial_ends_on: Set((plan.trial_days > 0 && status == SubscriptionStatus::Trial)
                .then(|| start + Days::new(plan.trial_days as u64))),
            auto_renew: Set(true),
            created_at: Set(created),
            updated_at: Set(created),
            terminated_at: Set(None),
        }
        .insert(self.db)
        .await?;
        for rate in &rates {
            let limit = quantity_of(quantities, rate);
            let resource = subscription_resource::ActiveModel {
                id: NotSet,
                subscription_id: Set(sub.id),
                resource_rate_id: Set(rate.id),
                limit_units: Set(limit),
                // Quotas show a realistic, stable usage: about two thirds of the limit.
                usage_units: Set(if rate.kind == ResourceKind::Quota {
                    limit * 2 / 3
                } else {
                    0
                }),
            }
            .insert(self.db)
            .await?;
            if rate.kind == ResourceKind::License {
                for person_id in assignees.iter().take(limit.max(0) as usize) {
                    license_assignment::ActiveModel {
                        id: NotSet,
                        subscription_resource_id: Set(resource.id),
                        person_id: Set(*person_id),
                        assigned_at: Set(created + chrono::Duration::hours(1)),
                    }
                    .insert(self.db)
                    .await?;
                }
            }
        }
        let sale = Sale {
            customer_id,
            trial: status == SubscriptionStatus::Trial,
            plan: &plan,
            rates: &rates,
            quantities,
        };
        self.order(sale, Some(sub.id), created, Ok(())).await
    }
}

/// What was sold to whom.
struct Sale<'a> {
    customer_id: i32,
    /// Sold with the plan's free trial.
    trial: bool,
    plan: &'a plan::Model,
    rates: &'a [resource_rate::Model],
    quantities: &'a [(&'a str, i64)],
}

/// The ordered quantity of a resource, or its minimum when the demo does not name it.
fn invalid(message: String) -> AppError {
    tracing::error!(%message, "demo data does not fit the catalog");
    AppError::Internal
}

fn quantity_of(quantities: &[(&str, i64)], rate: &resource_rate::Model) -> i64 {
    quantities
        .iter()
        .find(|(code, _)| *code == rate.code)
        .map(|(_, q)| *q)
        .unwrap_or(rate.min_units.max(rate.included_units))
}

/// The billing period that contains `today` for a subscription started on `start`.
fn current_period(
    start: NaiveDate,
    period: BillingPeriod,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let step = Months::new(period.months());
    let mut period_start = start;
    loop {
        let next = period_start
            .checked_add_months(step)
            .unwrap_or(period_start);
        if next > today || next == period_start {
            return (period_start, next);
        }
        period_start = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_period_contains_today() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            current_period(d("2026-01-31"), BillingPeriod::Monthly, d("2026-03-05")),
            (d("2026-02-28"), d("2026-03-28"))
        );
        assert_eq!(
            current_period(d("2025-06-01"), BillingPeriod::Annual, d("2026-05-31")),
            (d("2025-06-01"), d("2026-06-01"))
        );
    }
}
