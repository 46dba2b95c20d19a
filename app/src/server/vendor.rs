//! Vendor connectors: how an order reaches the vendor that provisions the service. The built-in
//! simulated vendor behaves like a real one: it takes time, sometimes fails for a moment, and
//! refuses what it does not sell.

use sha2::{Digest, Sha256};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// What the vendor is asked to set up. The order number is the vendor's idempotency key: a
/// retried call for the same order must not provision a second service.
#[derive(Clone, Debug)]
pub struct ProvisionRequest {
    pub order_number: String,
    /// A new service (`Sales`), or new limits for one already running (`Change`).
    pub order_type: crate::domain::OrderType,
    pub product_sku: String,
    pub plan_sku: String,
    /// (resource code, units).
    pub resources: Vec<(String, i64)>,
    /// 1 for the first call of this order, 2 for the first retry...
    pub attempt: i32,
    /// The demo catalog's product that no vendor accepts.
    pub always_refused: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provisioned {
    /// The vendor's id of the new service.
    pub reference: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VendorError {
    /// Worth trying again later (timeout, outage).
    Transient(String),
    /// The vendor said no; the reason is shown to the customer.
    Refused(String),
}

pub type VendorFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Provisioned, VendorError>> + Send + 'a>>;

/// What the vendor is asked about the usage of one quota resource (storage, say) on a day.
#[derive(Clone, Debug)]
pub struct UsageQuery {
    pub subscription_resource_id: i32,
    pub resource_code: String,
    pub limit: i64,
    /// The subscription's first day.
    pub start: chrono::NaiveDate,
    pub day: chrono::NaiveDate,
    /// The last figure it reported, if any.
    pub previous: Option<i64>,
}

pub type UsageFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<i64>, VendorError>> + Send + 'a>>;

pub trait VendorConnector: Send + Sync {
    fn provision<'a>(&'a self, request: &'a ProvisionRequest) -> VendorFuture<'a>;

    /// The units in use of a quota resource; `None`: this vendor does not report usage.
    fn report_usage<'a>(&'a self, _query: &'a UsageQuery) -> UsageFuture<'a> {
        Box::pin(async { Ok(None) })
    }
}

/// A vendor that answers after `latency`, fails `failure_percent` of calls with a transient
/// error (decided by the order number and attempt, so a run can be repeated), and refuses
/// products marked to always fail.
#[derive(Clone, Debug, Default)]
pub struct SimulatedVendor {
    pub latency: Duration,
    pub failure_percent: u8,
}

impl SimulatedVendor {
    fn transient_failure(&self, request: &ProvisionRequest) -> bool {
        if self.failure_percent == 0 {
            return false;
        }
        let digest = Sha256::digest(format!("{}#{}", request.order_number, request.attempt));
        u16::from_be_bytes([digest[0], digest[1]]) % 100 < u16::from(self.failure_percent)
    }
}

/// A number in `0..n` from a stable digest of `seed`, so a simulated figure is the same on every
/// run and in every process.
fn stable(seed: &str, n: u16) -> i64 {
    let digest = Sha256::digest(seed);
    i64::from(u16::from_be_bytes([digest[0], digest[1]]) % n)
}

impl SimulatedVendor {
    /// Usage that grows as a real account's does: it starts between 35 % and 60 % of the limit
    /// and climbs 0.4–0.8 % of the limit a day, give or take a little, never below zero nor far
    /// above the limit (storage can run over).
    fn simulated_usage(query: &UsageQuery) -> i64 {
        let id = query.subscription_resource_id;
        let limit = query.limit.max(0);
        let percent_of_limit = |per_mille: i64| limit * per_mille / 1000;
        let Some(previous) = query.previous else {
            let days = (query.day - query.start).num_days().max(0);
            let start = percent_of_limit(350 + 10 * stable(&format!("usage#{id}"), 26));
            return (start + percent_of_limit(2 * days.min(60))).min(percent_of_limit(1050));
        };
        let growth = 4 + stable(&format!("growth#{id}"), 5);
        let wobble = stable(&format!("wobble#{id}#{}", query.day), 9) - 4;
        (previous + percent_of_limit(growth + wobble)).clamp(0, percent_of_limit(1050))
    }
}

impl VendorConnector for SimulatedVendor {
    fn report_usage<'a>(&'a self, query: &'a UsageQuery) -> UsageFuture<'a> {
        Box::pin(async move { Ok(Some(Self::simulated_usage(query))) })
    }

    fn provision<'a>(&'a self, request: &'a ProvisionRequest) -> VendorFuture<'a> {
        Box::pin(async move {
            if !self.latency.is_zero() {
                tokio::time::sleep(self.latency).await;
            }
            if request.always_refused {
                return Err(VendorError::Refused(
                    "The vendor no longer accepts new orders for this product.".into(),
                ));
            }
            if self.transient_failure(request) {
                return Err(VendorError::Transient(
                    "The vendor did not answer in time.".into(),
                ));
            }
            Ok(Provisioned {
                reference: format!("SIM-{}", request.order_number),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(number: &str, attempt: i32) -> ProvisionRequest {
        ProvisionRequest {
            order_number: number.into(),
            order_type: crate::domain::OrderType::Sales,
            product_sku: "p".into(),
            plan_sku: "p-monthly".into(),
            resources: vec![],
            attempt,
            always_refused: false,
        }
    }

    #[tokio::test]
    async fn failure_rate_is_roughly_as_configured() {
        let vendor = SimulatedVendor {
            latency: Duration::ZERO,
            failure_percent: 30,
        };
        let mut failures = 0;
        for i in 0..1000 {
            if vendor
                .provision(&request(&format!("SO-{i}"), 1))
                .await
                .is_err()
            {
                failures += 1;
            }
        }
        assert!(
            (200..400).contains(&failures),
            "{failures} failures in 1000"
        );
        let never = SimulatedVendor::default();
        assert!(never.provision(&request("SO-1", 1)).await.is_ok());
    }

    #[tokio::test]
    async fn refuses_what_always_fails() {
        let mut refused = request("SO-2", 1);
        refused.always_refused = true;
        assert!(matches!(
            SimulatedVendor::default().provision(&refused).await,
            Err(VendorError::Refused(_))
        ));
    }
}
