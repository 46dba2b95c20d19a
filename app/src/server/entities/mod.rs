//! sea-orm entities, one per table; plain data, no business rules.

pub mod audit_log;
pub mod billing_document;
pub mod billing_document_line;
pub mod columns;
pub mod customer;
pub mod email_outbox;
pub mod license_assignment;
pub mod login_history;
pub mod notification;
pub mod order;
pub mod order_event;
pub mod order_line;
pub mod order_resource;
pub mod person;
pub mod person_token;
pub mod plan;
pub mod product;
pub mod reseller;
pub mod resource_rate;
pub mod session;
pub mod subscription;
pub mod subscription_notice;
pub mod subscription_resource;
pub mod trial_claim;
pub mod usage_sample;
