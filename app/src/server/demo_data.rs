//! The demo accounts, loaded into an empty database in demo mode.
//!
//! They are made the way people make them, through the same services: the reseller's staff
//! invites each customer's owner, the owner invites the others, everyone activates their
//! account from their link, the owner orders in the marketplace, the fulfilment worker's own
//! step completes (or fails) each order, licenses are assigned. The clock is moved back for each
//! step, so the data is dated relative to today and every screen has something current to show.
//! The reseller's staff create each customer in the reseller panel's way
//! (`reseller::create_customer`, which invites its owner). Only what no service makes yet is
//! written directly: the resellers and their first staff logins, which whoever installs the
//! panel makes; quota usage comes from the simulated vendor's daily reports, as the scheduler
//! records them. Payments, which no processor takes yet, are recorded through
//! `billing::record_payment`: older invoices are paid, each account's newest is open. One
//! cancellation request waits for the reseller's decision.

use crate::domain::cancellation::CancelReason;
use crate::domain::customer::CustomerForm;
use crate::domain::{
    DocumentKind, DocumentStatus, Email, PersonName, PersonStatus, ResourceKind, Role,
};
use crate::dto::cancellations::CancellationRequest;
use crate::dto::orders::OrderRequest;
use crate::error::AppError;
use crate::server::access::{Access, ResellerStaff};
use crate::server::auth::Actor;
use crate::server::entities::{
    billing_document, customer, person, plan, reseller, resource_rate, subscription,
    subscription_resource,
};
use crate::server::services::fulfilment::{self, Outcome};
use crate::server::services::people::{self, NewPerson};
use crate::server::services::reseller as reseller_panel;
use crate::server::services::tokens::{self, Purpose};
use crate::server::services::{
    account, billing, cancellations, licenses, notifications, orders, usage,
};
use crate::server::vendor::SimulatedVendor;
use crate::server::{AppState, Tenant, password};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
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
    (
        "Another reseller's staff (Litware Cloud)",
        "leo.litware@litware-cloud.example",
    ),
];

/// Loads the catalog and the demo accounts into an empty database. Returns whether it did.
/// Runs before the server serves and its workers start: it moves the clock, and puts it back.
pub async fn load_if_empty(state: &AppState) -> Result<bool, AppError> {
    if reseller::Entity::find().count(&state.db).await? > 0 {
        return Ok(false);
    }
    super::catalog_file::load_if_empty(&state.db, state.clock.now()).await?;
    let offset = state.clock.offset();
    let seeder = Seeder {
        state,
        today: state.clock.now(),
        // One hash for every demo login: hashing is slow on purpose, and everyone's password
        // is the same anyway.
        password_hash: password::hash(DEMO_PASSWORD.to_owned()).await?,
        vendor: SimulatedVendor::default(),
        orders: 0,
    };
    let loaded = seeder.accounts().await;
    state.clock.set_offset(offset);
    loaded.map(|()| true)
}

struct Seeder<'a> {
    state: &'a AppState,
    /// The day the demo is loaded; everything is dated before it.
    today: DateTime<Utc>,
    password_hash: String,
    vendor: SimulatedVendor,
    orders: u32,
}

/// A subscription the demo orders: plan, quantities by resource code, how many days ago.
struct Sale<'a> {
    plan_sku: &'a str,
    quantities: &'a [(&'a str, i64)],
    days_ago: i64,
}

impl Seeder<'_> {
    async fn accounts(mut self) -> Result<(), AppError> {
        self.travel(400);
        let reseller = self
            .reseller(
                "Northwind Cloud Partners",
                "support@northwind-cloud.example",
            )
            .await?;
        let rita = self
            .reseller_staff(
                &reseller,
                "Rita Reseller",
                "rita.reseller@northwind-cloud.example",
            )
            .await?;

        // --- Contoso Dental Group: the busy account every screen shows ---
        // The owner is there from the start: every order below is hers.
        let olivia = self
            .customer(
                &rita,
                CustomerForm {
                    company_name: "Contoso Dental Group".into(),
                    address: "400 Market Street, Suite 12\nSan Francisco, CA 94105".into(),
                    country: "US".into(),
                    contact_name: "Olivia Owner".into(),
                    contact_email: "billing@contoso-dental.example".into(),
                    contact_phone: "+1 415 555 0142".into(),
                    owner_name: "Olivia Owner".into(),
                    owner_email: "olivia.owner@contoso-dental.example".into(),
                },
            )
            .await?;
        self.travel(299);
        let adam = self
            .person(
                &olivia,
                Role::Admin,
                "Adam Admin",
                "adam.admin@contoso-dental.example",
            )
            .await?;
        let uma = self
            .person(
                &olivia,
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
            staff.push(self.person(&olivia, Role::User, name, email).await?);
        }
        let sales = [
            (
                Sale {
                    plan_sku: "bitdefender-gravityzone-business-security-annual",
                    quantities: &[("protected_devices", 25)],
                    days_ago: 340,
                },
                &[][..],
            ),
            (
                Sale {
                    plan_sku: "ms365-business-basic-annual",
                    quantities: &[("licenses", 10)],
                    days_ago: 200,
                },
                &staff[..6],
            ),
            (
                Sale {
                    plan_sku: "acronis-cyber-protect-cloud-annual",
                    quantities: &[("workstations", 12), ("servers", 2), ("cloud_storage", 500)],
                    days_ago: 75,
                },
                &[],
            ),
            (
                Sale {
                    plan_sku: "zoom-workplace-pro-monthly",
                    quantities: &[("licenses", 4)],
                    days_ago: 12,
                },
                &staff[..3],
            ),
            // Ordered a month ago today: its period ends today, so the scheduler renews it a
            // minute after a fresh demo starts, and a person trying the panel sees it happen.
            (
                Sale {
                    plan_sku: "ms-defender-business-monthly",
                    quantities: &[("licenses", 5)],
                    days_ago: self.days_since_a_month_ago(),
                },
                &[],
            ),
            // Ordered with its free trial, which is still running.
            (
                Sale {
                    plan_sku: "dropbox-business-monthly",
                    quantities: &[("licenses", 5)],
                    days_ago: 9,
                },
                &staff[2..5],
            ),
        ];
        for (sale, holders) in sales {
            self.sell(&olivia, sale, holders).await?;
        }
        // The vendor refuses this one: a failed order, and no charge.
        self.sell(
            &olivia,
            Sale {
                plan_sku: "legacy-fax-gateway-monthly",
                quantities: &[],
                days_ago: 3,
            },
            &[],
        )
        .await?;
        // Contoso pays each invoice five days after it arrives; the newest is still open.
        self.pay_all_but_newest(&olivia, Duration::days(5)).await?;
        // Invited yesterday, not activated yet.
        self.travel(1);
        self.invite(
            &olivia,
            Role::User,
            "Noah Newhire",
            "noah.newhire@contoso-dental.example",
        )
        .await?;

        // --- Fabrikam Logistics: a second tenant, to prove nothing leaks across ---
        self.travel(200);
        let fiona = self
            .customer(
                &rita,
                CustomerForm {
                    company_name: "Fabrikam Logistics".into(),
                    address: "Hafenstraße 8\n20457 Hamburg".into(),
                    country: "DE".into(),
                    contact_name: "Felix Admin".into(),
                    contact_email: "it@fabrikam-logistics.example".into(),
                    contact_phone: "+49 40 5550 1234".into(),
                    owner_name: "Fiona Owner".into(),
                    owner_email: "fiona.owner@fabrikam-logistics.example".into(),
                },
            )
            .await?;
        let mut fab_staff = vec![
            self.person(
                &fiona,
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
            fab_staff.push(self.person(&fiona, Role::User, name, email).await?);
        }
        let sale = Sale {
            plan_sku: "google-workspace-business-standard-annual",
            quantities: &[("licenses", 8)],
            days_ago: 120,
        };
        self.sell(&fiona, sale, &fab_staff).await?;
        let sale = Sale {
            plan_sku: "github-team-monthly",
            quantities: &[("licenses", 3)],
            days_ago: 25,
        };
        self.sell(&fiona, sale, &fab_staff[..2]).await?;
        // Fabrikam paid its first invoice late, and its newest is now overdue.
        self.pay_all_but_newest(&fiona, Duration::days(20)).await?;
        // Fabrikam wants to stop GitHub: the request waits for Northwind's decision.
        self.travel(2);
        self.request_cancellation(&fiona, "github-team-monthly", CancelReason::TooExpensive)
            .await?;

        // --- Litware Cloud Services: a second reseller, whose customer Northwind never sees ---
        self.travel(60);
        let litware = self
            .reseller("Litware Cloud Services", "hello@litware-cloud.example")
            .await?;
        let leo = self
            .reseller_staff(&litware, "Leo Litware", "leo.litware@litware-cloud.example")
            .await?;
        let tara = self
            .customer(
                &leo,
                CustomerForm {
                    company_name: "Tailspin Toys".into(),
                    address: "12 Harbour Road\nAuckland 1010".into(),
                    country: "NZ".into(),
                    contact_name: "Tara Owner".into(),
                    contact_email: "office@tailspin-toys.example".into(),
                    contact_phone: String::new(),
                    owner_name: "Tara Owner".into(),
                    owner_email: "tara.owner@tailspin-toys.example".into(),
                },
            )
            .await?;
        let sale = Sale {
            plan_sku: "ms365-business-basic-annual",
            quantities: &[("licenses", 3)],
            days_ago: 45,
        };
        self.sell(&tara, sale, &[]).await?;

        self.usage_history().await?;
        // The owners have read the news of their past orders.
        self.travel(0);
        for owner in [&olivia, &fiona, &tara] {
            notifications::mark_read(
                &self.state.db,
                owner.person_id,
                None,
                self.state.clock.now(),
            )
            .await?;
        }
        Ok(())
    }

    /// Records the payment of every open invoice of the owner's account but the newest, `after`
    /// its issue, as the reseller panel will when a payment comes in.
    async fn pay_all_but_newest(&self, owner: &Actor, after: Duration) -> Result<(), AppError> {
        let customer_id = owner.customer_id.ok_or(AppError::Internal)?;
        let mut open = billing_document::Entity::find()
            .filter(billing_document::Column::CustomerId.eq(customer_id))
            .filter(billing_document::Column::Kind.eq(DocumentKind::Invoice))
            .filter(billing_document::Column::Status.eq(DocumentStatus::Open))
            .order_by_asc(billing_document::Column::IssuedAt)
            .all(&self.state.db)
            .await?;
        open.pop();
        for invoice in open {
            self.state.clock.travel_to(invoice.issued_at + after);
            let txn = crate::server::transaction::begin_write(&self.state.db).await?;
            billing::record_payment(
                &txn,
                Tenant::for_system_task(customer_id),
                invoice.id,
                self.now(),
            )
            .await?;
            txn.commit().await?;
        }
        Ok(())
    }

    /// Moves the application's clock to `days_ago` days before the demo's day.
    /// The vendor's usage reports of the last 30 days, day by day, as the scheduler records
    /// them: the charts have a history and the alerts have fired where usage is high.
    async fn usage_history(&self) -> Result<(), AppError> {
        let days = i64::try_from(usage::HISTORY_DAYS).unwrap_or(30);
        for days_ago in (0..days).rev() {
            self.travel(days_ago);
            usage::record_day(self.state, &self.vendor, self.now().date_naive()).await?;
        }
        Ok(())
    }

    fn days_since_a_month_ago(&self) -> i64 {
        let today = self.today.date_naive();
        today
            .checked_sub_months(chrono::Months::new(1))
            .map_or(30, |then| (today - then).num_days())
    }

    fn travel(&self, days_ago: i64) {
        self.state
            .clock
            .travel_to(self.today - Duration::days(days_ago));
    }

    fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    async fn reseller(&self, name: &str, email: &str) -> Result<reseller::Model, AppError> {
        Ok(reseller::ActiveModel {
            id: NotSet,
            name: Set(name.into()),
            contact_email: Set(email.into()),
            auto_approve_cancellations: Set(false),
            created_at: Set(self.now()),
        }
        .insert(&self.state.db)
        .await?)
    }

    /// The reseller's first login, which whoever installs the panel makes.
    async fn reseller_staff(
        &self,
        reseller: &reseller::Model,
        name: &str,
        email: &str,
    ) -> Result<Actor, AppError> {
        let now = self.now();
        let row = person::ActiveModel {
            id: NotSet,
            customer_id: Set(None),
            reseller_id: Set(Some(reseller.id)),
            role: Set(Role::ResellerAdmin),
            name: Set(name.into()),
            name_key: Set(PersonName::key_of(name)),
            email: Set(email.into()),
            notification_email: Set(None),
            password_hash: Set(Some(self.password_hash.clone())),
            status: Set(PersonStatus::Active),
            failed_logins: Set(0),
            locked_until: Set(None),
            last_login_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.state.db)
        .await?;
        Ok(Actor {
            session_id: String::new(),
            person_id: row.id,
            name: row.name,
            email: row.email,
            role: Role::ResellerAdmin,
            customer_id: None,
            customer_name: None,
            reseller_id: reseller.id,
            reseller_name: reseller.name.clone(),
            impersonator: None,
        })
    }

    /// The reseller's staff create the customer; its owner activates from the welcome email.
    async fn customer(&self, staff: &Actor, form: CustomerForm) -> Result<Actor, AppError> {
        let new = form.parse().map_err(|e| invalid(e.message))?;
        let scope = ResellerStaff::admit(staff)?;
        let customer_id =
            reseller_panel::create_customer(self.state, staff, scope, None, new).await?;
        let customer = customer::Entity::find_by_id(customer_id)
            .one(&self.state.db)
            .await?
            .ok_or(AppError::Internal)?;
        let owner = person::Entity::find()
            .filter(person::Column::CustomerId.eq(customer_id))
            .filter(person::Column::Role.eq(Role::Owner))
            .one(&self.state.db)
            .await?
            .ok_or(AppError::Internal)?;
        self.activate(owner.id).await?;
        Ok(Actor {
            customer_id: Some(customer.id),
            customer_name: Some(customer.name),
            role: Role::Owner,
            person_id: owner.id,
            name: owner.name,
            email: owner.email,
            ..staff.clone()
        })
    }

    /// The owner asks to cancel their subscription of `plan_sku`, as on its cancel page.
    async fn request_cancellation(
        &self,
        owner: &Actor,
        plan_sku: &str,
        reason: CancelReason,
    ) -> Result<(), AppError> {
        let customer_id = owner.customer_id.ok_or(AppError::Internal)?;
        let plan = plan::Entity::find()
            .filter(plan::Column::Sku.eq(plan_sku))
            .one(&self.state.db)
            .await?
            .ok_or_else(|| invalid(format!("demo data names unknown plan {plan_sku}")))?;
        let subscription = subscription::Entity::find()
            .filter(subscription::Column::CustomerId.eq(customer_id))
            .filter(subscription::Column::PlanId.eq(plan.id))
            .one(&self.state.db)
            .await?
            .ok_or_else(|| invalid(format!("no subscription of {plan_sku} to cancel")))?;
        let request = CancellationRequest {
            subscription_id: subscription.id,
            reason,
            comment: Some("We moved our code to the vendor's free tier.".into()),
        };
        cancellations::request_cancellation(
            self.state,
            owner,
            Tenant::for_system_task(customer_id),
            &request,
            &format!("demo-data-cancellation-{}", subscription.id),
            None,
            None,
        )
        .await?;
        Ok(())
    }

    /// Someone the owner adds on the users page, who activates their account.
    async fn person(
        &self,
        owner: &Actor,
        role: Role,
        name: &str,
        email: &str,
    ) -> Result<i32, AppError> {
        let id = self.invite(owner, role, name, email).await?;
        self.activate(id).await?;
        Ok(id)
    }

    async fn invite(
        &self,
        owner: &Actor,
        role: Role,
        name: &str,
        email: &str,
    ) -> Result<i32, AppError> {
        let tenant = Tenant::for_system_task(owner.customer_id.ok_or(AppError::Internal)?);
        let created = people::create_person(
            self.state,
            owner,
            tenant,
            None,
            new_person(role, name, email)?,
        )
        .await?;
        Ok(created.id)
    }

    /// What following the activation link does; the link itself went out in an email.
    async fn activate(&self, person_id: i32) -> Result<(), AppError> {
        let token =
            tokens::issue(&self.state.db, person_id, Purpose::Activation, self.now()).await?;
        account::use_password_link(
            self.state,
            &token,
            Purpose::Activation,
            self.password_hash.clone(),
            None,
        )
        .await?;
        Ok(())
    }

    /// The owner orders in the marketplace; the fulfilment step runs a minute later; licenses
    /// are handed out an hour after that.
    async fn sell(
        &mut self,
        owner: &Actor,
        sale: Sale<'_>,
        holders: &[i32],
    ) -> Result<(), AppError> {
        let db = &self.state.db;
        let tenant = Tenant::for_system_task(owner.customer_id.ok_or(AppError::Internal)?);
        let plan = plan::Entity::find()
            .filter(plan::Column::Sku.eq(sale.plan_sku))
            .one(db)
            .await?
            .ok_or_else(|| invalid(format!("demo data names unknown plan {}", sale.plan_sku)))?;
        let rates = resource_rate::Entity::find()
            .filter(resource_rate::Column::PlanId.eq(plan.id))
            .all(db)
            .await?;
        let resources =
            sale.quantities
                .iter()
                .map(|(code, units)| {
                    let rate = rates.iter().find(|r| r.code == *code).ok_or_else(|| {
                        invalid(format!("{} has no resource {code}", sale.plan_sku))
                    })?;
                    Ok((rate.id, *units))
                })
                .collect::<Result<Vec<_>, AppError>>()?;
        self.travel(sale.days_ago);
        self.orders += 1;
        let key = format!("demo-data-order-{:04}", self.orders);
        let request = OrderRequest {
            plan_id: plan.id,
            resources,
        };
        orders::submit_order(self.state, owner, tenant, &request, &key, None, None).await?;
        self.state.clock.advance(Duration::minutes(1));
        let outcome = fulfilment::fulfil_next(self.state, &self.vendor).await?;
        let Some(Outcome::Completed {
            subscription_id, ..
        }) = outcome
        else {
            return Ok(());
        };
        self.state.clock.advance(Duration::hours(1));
        let resources = subscription_resource::Entity::find()
            .filter(subscription_resource::Column::SubscriptionId.eq(subscription_id))
            .all(db)
            .await?;
        for resource in resources {
            let Some(rate) = rates.iter().find(|r| r.id == resource.resource_rate_id) else {
                continue;
            };
            match rate.kind {
                ResourceKind::License => {
                    for person_id in holders.iter().take(resource.limit_units.max(0) as usize) {
                        licenses::assign(self.state, owner, tenant, None, resource.id, *person_id)
                            .await?;
                    }
                }
                // Usage comes from the vendor's daily reports (`usage_history`).
                ResourceKind::Quota => {}
            }
        }
        Ok(())
    }
}

fn new_person(role: Role, name: &str, email: &str) -> Result<NewPerson, AppError> {
    Ok(NewPerson {
        name: PersonName::parse(name).map_err(|m| invalid(m.to_string()))?,
        email: Email::parse(email).map_err(|m| invalid(m.to_string()))?,
        role,
        notification_email: None,
    })
}

fn invalid(message: String) -> AppError {
    tracing::error!(%message, "demo data does not fit the catalog");
    AppError::Internal
}
