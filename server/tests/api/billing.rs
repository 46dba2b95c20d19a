//! Billing documents a person can read and check: lines that name what they charge for and add
//! up, a status and a due date, payments recorded once, and an amount due that is exactly the
//! open invoices.

use crate::helpers::*;
use crate::orders::{fulfil_all, key, plan_by_sku, rate, request, submit};
use app::AppError;
use app::api::billing::{GetDocument, ListDocuments};
use app::api::orders::GetOrder;
use app::domain::pricing::LineKind;
use app::domain::{Currency, DocumentKind, DocumentStatus, Money, Standing};
use app::dto::billing::DocumentDetail;
use app::server::Tenant;
use app::server::entities::billing_document;
use app::server::services::billing::{self, NewDocument, NewDocumentLine};
use chrono::{Days, Duration, Months, SubsecRound};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Places an order as `client`, lets the worker complete it, and opens its invoice.
async fn ordered_invoice(
    app: &TestApp,
    client: &Client,
    body: app::dto::orders::OrderRequest,
    n: usize,
) -> DocumentDetail {
    let placed = submit(client, body, &key(n)).await.unwrap();
    fulfil_all(app).await;
    let order = client.send(GetOrder { id: placed.id }).await.unwrap();
    client
        .send(GetDocument {
            id: order.invoice_id.expect("a completed order has its invoice"),
        })
        .await
        .unwrap()
}

/// Every line reads quantity × unit price = amount, and the lines add up to the total.
fn assert_adds_up(document: &DocumentDetail) {
    for line in &document.lines {
        assert_eq!(
            line.quantity * line.unit_price.cents,
            line.amount.cents,
            "{}",
            line.description
        );
    }
    let sum: i64 = document.lines.iter().map(|l| l.amount.cents).sum();
    assert_eq!(sum, document.row.total.cents);
}

#[tokio::test]
async fn an_invoice_names_product_plan_and_period_and_adds_up() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "veeam-backup-m365-annual").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let storage = rate(&app, plan.id, "backup_storage").await;
    let today = app.state.clock.now().date_naive();
    let invoice = ordered_invoice(
        &app,
        &admin,
        request(plan.id, &[(licenses.id, 25), (storage.id, 750)]),
        1,
    )
    .await;

    assert_adds_up(&invoice);
    assert_eq!(invoice.row.total.cents, 25 * 3000 + 250 * 40 + 19900);
    let kinds: Vec<Option<LineKind>> = invoice.lines.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(LineKind::Resource),
            Some(LineKind::Resource),
            Some(LineKind::SetupFee)
        ]
    );
    for line in &invoice.lines {
        assert_eq!(
            line.product.as_deref(),
            Some("Veeam Backup for Microsoft 365")
        );
        assert_eq!(line.plan.as_deref(), Some(plan.name.as_str()));
    }
    let resources: Vec<Option<&str>> = invoice
        .lines
        .iter()
        .map(|l| l.resource.as_deref())
        .collect();
    assert_eq!(
        resources,
        [
            Some(licenses.name.as_str()),
            Some(storage.name.as_str()),
            None
        ]
    );
    // The service lines cover the first year; the one-off setup fee covers no span.
    let year = (Some(today), today.checked_add_months(Months::new(12)));
    for line in &invoice.lines[..2] {
        assert_eq!((line.period_start, line.period_end), year);
    }
    let setup = &invoice.lines[2];
    assert_eq!((setup.period_start, setup.period_end), (None, None));

    // Open, due in 14 days, all of it left to pay.
    assert_eq!(invoice.row.status, DocumentStatus::Open);
    assert_eq!(invoice.row.standing, Standing::Open);
    assert_eq!(invoice.row.due_on, today.checked_add_days(Days::new(14)));
    assert_eq!(invoice.row.paid_at, None);
    assert_eq!(invoice.amount_due, invoice.row.total);
}

#[tokio::test]
async fn a_trial_invoice_has_its_trial_line_totals_zero_and_is_paid() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "atlassian-jira-standard-monthly").await;
    assert_eq!(plan.trial_days, 30);
    let licenses = rate(&app, plan.id, "licenses").await;
    let today = app.state.clock.now().date_naive();
    let invoice = ordered_invoice(&app, &admin, request(plan.id, &[(licenses.id, 10)]), 2).await;

    assert_adds_up(&invoice);
    assert_eq!(invoice.row.total.cents, 0);
    // The licenses at their price, then the trial taking them off again.
    let charged = &invoice.lines[0];
    assert_eq!(charged.kind, Some(LineKind::Resource));
    assert_eq!((charged.quantity, charged.unit_price.cents), (10, 791));
    let trial = invoice.lines.last().unwrap();
    assert_eq!(trial.kind, Some(LineKind::Trial));
    assert_eq!(trial.description, "Free trial, 30 days");
    assert_eq!(trial.amount.cents, -7910);
    assert_eq!(trial.product.as_deref(), Some("Jira Standard"));
    assert_eq!(
        (trial.period_start, trial.period_end),
        (Some(today), today.checked_add_days(Days::new(30)))
    );
    // Nothing to pay: paid when issued.
    assert_eq!(invoice.row.status, DocumentStatus::Paid);
    assert_eq!(invoice.row.paid_at, Some(invoice.row.issued_at));
    assert_eq!(invoice.amount_due.cents, 0);
}

#[tokio::test]
async fn a_payment_moves_an_open_invoice_to_paid_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let invoice = ordered_invoice(&app, &admin, request(plan.id, &[(licenses.id, 3)]), 3).await;
    assert_eq!(invoice.row.status, DocumentStatus::Open);
    let contoso = Tenant::for_system_task(customer_by_name(&app, CONTOSO).await.id);
    let fabrikam = Tenant::for_system_task(customer_by_name(&app, FABRIKAM).await.id);
    let db = &app.state.db;

    // Another customer's invoice does not exist for them.
    // In whole seconds: PostgreSQL keeps microseconds, the clock has nanoseconds.
    let paid_at = (app.state.clock.now() + Duration::days(3)).trunc_subsecs(0);
    let foreign = billing::record_payment(db, fabrikam, invoice.row.id, paid_at).await;
    assert!(matches!(foreign, Err(AppError::NotFound)), "{foreign:?}");

    let paid = billing::record_payment(db, contoso, invoice.row.id, paid_at)
        .await
        .unwrap();
    assert_eq!(paid.status, DocumentStatus::Paid);
    assert_eq!(paid.standing, Standing::Paid);
    assert_eq!(paid.paid_at, Some(paid_at));
    let reread = admin
        .send(GetDocument { id: invoice.row.id })
        .await
        .unwrap();
    assert_eq!(reread.row.status, DocumentStatus::Paid);
    assert_eq!(reread.amount_due.cents, 0);

    // Twice is refused, and the first payment stands.
    let again =
        billing::record_payment(db, contoso, invoice.row.id, paid_at + Duration::days(1)).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
    let stored = billing_document::Entity::find_by_id(invoice.row.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.paid_at, Some(paid_at));

    // A credit note is settled when issued, and is never paid.
    let credit = billing::write_document(
        db,
        NewDocument {
            customer_id: contoso.customer_id(),
            order_id: None,
            kind: DocumentKind::CreditNote,
            currency: Currency::USD,
            lines: vec![NewDocumentLine {
                kind: LineKind::Resource,
                description: "Licenses".into(),
                product_name: Some("Microsoft Defender for Business".into()),
                plan_name: Some(plan.name.clone()),
                resource_name: Some("Licenses".into()),
                period: None,
                quantity: 1,
                unit_price_cents: 360,
                amount_cents: 360,
                proration: None,
            }],
            issued_at: app.state.clock.now(),
        },
    )
    .await
    .unwrap();
    assert_eq!(credit.status, DocumentStatus::Credited);
    assert_eq!(credit.due_on, None);
    let on_credit = billing::record_payment(db, contoso, credit.id, paid_at).await;
    assert!(
        matches!(on_credit, Err(AppError::Conflict(_))),
        "{on_credit:?}"
    );
}

#[tokio::test]
async fn a_line_that_does_not_multiply_out_is_never_written() {
    let app = TestApp::new().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let written = billing::write_document(
        &app.state.db,
        NewDocument {
            customer_id: contoso.id,
            order_id: None,
            kind: DocumentKind::Invoice,
            currency: Currency::USD,
            lines: vec![NewDocumentLine {
                kind: LineKind::Resource,
                description: "Licenses".into(),
                product_name: None,
                plan_name: None,
                resource_name: None,
                period: None,
                quantity: 4,
                unit_price_cents: 875,
                amount_cents: 0,
                proration: None,
            }],
            issued_at: app.state.clock.now(),
        },
    )
    .await;
    assert!(matches!(written, Err(AppError::Internal)), "{written:?}");
}

/// What the account's open invoices add up to, read straight from the table.
async fn open_total(app: &TestApp, customer: &str) -> (i64, u64) {
    let customer = customer_by_name(app, customer).await;
    let open = billing_document::Entity::find()
        .filter(billing_document::Column::CustomerId.eq(customer.id))
        .filter(billing_document::Column::Kind.eq(DocumentKind::Invoice))
        .filter(billing_document::Column::Status.eq(DocumentStatus::Open))
        .all(&app.state.db)
        .await
        .unwrap();
    (open.iter().map(|d| d.total_cents).sum(), open.len() as u64)
}

#[tokio::test]
async fn the_amount_due_is_the_open_invoices() {
    let app = TestApp::new().await;
    let owner = app.owner().await;

    // The demo: older invoices paid, the newest open and not yet due.
    let overview = owner.send(ListDocuments { page: 1 }).await.unwrap();
    let (open, count) = open_total(&app, CONTOSO).await;
    assert_eq!(count, 1, "only the newest demo invoice is open");
    let [due] = overview.due.as_slice() else {
        panic!("one currency due: {:?}", overview.due);
    };
    assert_eq!(due.amount, Money::new(open, Currency::USD));
    assert_eq!(due.open_invoices, 1);
    assert_eq!(due.overdue_invoices, 0);
    let newest = overview
        .documents
        .rows
        .iter()
        .find(|d| d.status == DocumentStatus::Open)
        .unwrap();
    assert_eq!(due.earliest_due, newest.due_on);
    assert!(
        overview
            .documents
            .rows
            .iter()
            .filter(|d| d.id != newest.id)
            .all(|d| d.status == DocumentStatus::Paid),
        "every older demo invoice is paid"
    );
    let paid_before: i64 = overview.paid.iter().map(|m| m.cents).sum();
    assert!(paid_before > 0, "the demo paid its older invoices");

    // A new invoice adds to what is due; its payment moves it to what was paid.
    let plan = plan_by_sku(&app, "ms-defender-business-monthly").await;
    let licenses = rate(&app, plan.id, "licenses").await;
    let invoice = ordered_invoice(&app, &owner, request(plan.id, &[(licenses.id, 3)]), 4).await;
    let overview = owner.send(ListDocuments { page: 1 }).await.unwrap();
    assert_eq!(overview.due[0].amount.cents, open + 1080);
    assert_eq!(overview.due[0].open_invoices, 2);
    assert_eq!(open_total(&app, CONTOSO).await.0, open + 1080);

    let tenant = Tenant::for_system_task(customer_by_name(&app, CONTOSO).await.id);
    billing::record_payment(&app.state.db, tenant, invoice.row.id, app.state.clock.now())
        .await
        .unwrap();
    let overview = owner.send(ListDocuments { page: 1 }).await.unwrap();
    assert_eq!(overview.due[0].amount.cents, open);
    let paid_after: i64 = overview.paid.iter().map(|m| m.cents).sum();
    assert_eq!(paid_after, paid_before + 1080);

    // Past the due date, the open invoice is overdue, on the list and in the summary. (The
    // session has expired meanwhile: the owner signs in again.)
    app.state.clock.advance(Duration::days(15));
    let owner = app.owner().await;
    let overview = owner.send(ListDocuments { page: 1 }).await.unwrap();
    assert_eq!(overview.due[0].overdue_invoices, 1);
    assert_eq!(overview.due[0].overdue.cents, open);
    let late = overview
        .documents
        .rows
        .iter()
        .find(|d| d.status == DocumentStatus::Open)
        .unwrap();
    assert_eq!(late.standing, Standing::Overdue);
}

#[tokio::test]
async fn another_customers_document_is_not_found() {
    let app = TestApp::new().await;
    let contoso = customer_by_name(&app, CONTOSO).await;
    let document = billing_document::Entity::find()
        .filter(billing_document::Column::CustomerId.eq(contoso.id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let reply = app
        .other_owner()
        .await
        .send(GetDocument { id: document.id })
        .await;
    assert_eq!(reply.status(), StatusCode::NOT_FOUND);
    assert!(matches!(
        reply,
        Err(Refused {
            error: AppError::NotFound,
            ..
        })
    ));
    // Nor is it counted in their amount due or list.
    let theirs = app
        .other_owner()
        .await
        .send(ListDocuments { page: 1 })
        .await
        .unwrap();
    assert!(theirs.documents.rows.iter().all(|d| d.id != document.id));
    let (open, _) = open_total(&app, FABRIKAM).await;
    let due: i64 = theirs.due.iter().map(|d| d.amount.cents).sum();
    assert_eq!(due, open);
}

/// The pages as rendered on the server: the summary says what is due (never a bare balance),
/// the list and the document say each document's status in words.
#[tokio::test]
async fn the_billing_pages_say_what_is_due_and_where_each_document_stands() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let page = |path: &'static str| {
        let cookie = owner.cookie().unwrap().to_owned();
        let app = app.clone();
        async move {
            let request = http::Request::get(path)
                .header(http::header::ACCEPT, "text/html")
                .header(http::header::COOKIE, cookie)
                .body(axum::body::Body::empty())
                .unwrap();
            let reply = app.request(request).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}");
            reply.body.as_str().unwrap_or_default().to_owned()
        }
    };
    let billing = page("/billing").await;
    assert!(billing.contains("Amount due"), "{billing}");
    assert!(billing.contains("Paid in the last 12 months"));
    assert!(!billing.contains("Balance"));
    assert!(billing.contains(">Open</span>") && billing.contains(">Paid</span>"));

    let overview = owner.send(ListDocuments { page: 1 }).await.unwrap();
    let open = overview
        .documents
        .rows
        .iter()
        .find(|d| d.status == DocumentStatus::Open)
        .unwrap();
    let path: &'static str = format!("/billing/{}", open.id).leak();
    let document = page(path).await;
    assert!(document.contains(">Open</span>"), "{document}");
    assert!(document.contains("Amount due"));
    assert!(document.contains("Zoom Workplace Pro — Monthly, no commitment"));
}
