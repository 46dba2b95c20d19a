//! Usage of quota resources: the vendor's daily figure recorded once a day whatever runs the
//! scheduler, alerts at 80 % and 100 % once per crossing (in the panel and by email), and the
//! 30-day history only for the account's own subscriptions.

use crate::helpers::*;
use crate::orders::plan_by_sku;
use app::api::subscriptions::GetUsageHistory;
use app::error::AppError;
use app::server::entities::{resource_rate, subscription, subscription_resource, usage_sample};
use app::server::services::usage;
use app::server::vendor::{
    ProvisionRequest, UsageFuture, UsageQuery, VendorConnector, VendorFuture,
};
use chrono::{Duration, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Mutex;

/// A vendor that reports the next figure of a script for one resource, and nothing for others.
struct Scripted {
    resource: i32,
    figures: Mutex<std::collections::VecDeque<i64>>,
}

impl VendorConnector for Scripted {
    fn provision<'a>(&'a self, _: &'a ProvisionRequest) -> VendorFuture<'a> {
        unreachable!("no orders here")
    }

    fn report_usage<'a>(&'a self, query: &'a UsageQuery) -> UsageFuture<'a> {
        let figure = (query.subscription_resource_id == self.resource)
            .then(|| self.figures.lock().unwrap().pop_front())
            .flatten();
        Box::pin(async move { Ok(figure) })
    }
}

/// Contoso's Acronis cloud storage (500 GB).
async fn storage(app: &TestApp) -> (subscription::Model, subscription_resource::Model) {
    let plan = plan_by_sku(app, "acronis-cyber-protect-cloud-annual").await;
    let s = subscription::Entity::find()
        .filter(subscription::Column::PlanId.eq(plan.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let rate = resource_rate::Entity::find()
        .filter(resource_rate::Column::PlanId.eq(plan.id))
        .filter(resource_rate::Column::Code.eq("cloud_storage"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let r = subscription_resource::Entity::find()
        .filter(subscription_resource::Column::SubscriptionId.eq(s.id))
        .filter(subscription_resource::Column::ResourceRateId.eq(rate.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    (s, r)
}

#[tokio::test]
async fn crossing_80_and_100_percent_is_announced_once_per_crossing() {
    let app = TestApp::new().await;
    let (s, r) = storage(&app).await;
    assert_eq!(r.limit_units, 500);
    // Start from a figure below both thresholds, as after the demo's history.
    let figures = [100, 399, 400, 420, 480, 500, 520, 510, 390, 300, 410, 501];
    let vendor = Scripted {
        resource: r.id,
        figures: Mutex::new(figures.into_iter().collect()),
    };
    subscription_resource::Entity::update_many()
        .col_expr(
            subscription_resource::Column::UsageAlert,
            sea_orm::sea_query::Expr::value(0),
        )
        .filter(subscription_resource::Column::Id.eq(r.id))
        .exec(&app.state.db)
        .await
        .unwrap();
    let start = Utc.from_utc_datetime(
        &(app.state.clock.now().date_naive() + Duration::days(1))
            .and_hms_opt(0, 5, 0)
            .unwrap(),
    );
    for day in 0..figures.len() as i64 {
        app.state.clock.travel_to(start + Duration::days(day));
        let today = app.state.clock.now().date_naive();
        assert_eq!(
            usage::record_day(&app.state, &vendor, today).await.unwrap(),
            1
        );
        // A second pass the same day (another process) records nothing more.
        assert_eq!(
            usage::record_day(&app.state, &vendor, today).await.unwrap(),
            0
        );
    }
    let alerts: Vec<String> = outbox(&app, "usage_alert")
        .await
        .into_iter()
        .filter(|e| e.to_address == OWNER)
        .map(|e| e.subject)
        .collect();
    assert_eq!(
        alerts,
        vec![
            "Cloud storage of Acronis Cyber Protect Cloud is at 80% of its limit".to_owned(),
            "Cloud storage of Acronis Cyber Protect Cloud is full".to_owned(),
            "Cloud storage of Acronis Cyber Protect Cloud is at 82% of its limit".to_owned(),
            "Cloud storage of Acronis Cyber Protect Cloud is full".to_owned(),
        ],
        "{alerts:?}"
    );
    let now = subscription_resource::Entity::find_by_id(r.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.usage_units, 501);
    let days = usage_sample::Entity::find()
        .filter(usage_sample::Column::SubscriptionResourceId.eq(r.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert!(days >= figures.len() as u64);

    let owner = app.owner().await;
    let history = owner
        .send(GetUsageHistory {
            subscription_id: s.id,
        })
        .await
        .unwrap();
    let series = history
        .iter()
        .find(|s| s.resource_name == "Cloud storage")
        .unwrap();
    assert_eq!((series.limit, series.used), (500, 501));
    assert!(series.points.len() <= 30);
    assert_eq!(series.points.last().map(|p| p.1), Some(501));
    let other = app.other_owner().await;
    let refused = other
        .send(GetUsageHistory {
            subscription_id: s.id,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.error, AppError::NotFound);
}

#[tokio::test]
async fn the_demo_has_thirty_days_of_usage_from_the_simulated_vendor() {
    let app = TestApp::new().await;
    let (s, _) = storage(&app).await;
    let owner = app.owner().await;
    let history = owner
        .send(GetUsageHistory {
            subscription_id: s.id,
        })
        .await
        .unwrap();
    // Workstations, servers and cloud storage are all measured.
    assert_eq!(history.len(), 3);
    let series = history
        .iter()
        .find(|s| s.resource_name == "Cloud storage")
        .unwrap();
    assert_eq!(series.points.len(), 30);
    assert_eq!(series.points.first().map(|p| p.0), Some(series.from));
    assert_eq!(
        series.points.last().map(|p| (p.0, p.1)),
        Some((series.to, series.used))
    );
    assert!(series.points.iter().all(|(_, u)| (0..=525).contains(u)));
}
