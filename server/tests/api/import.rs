//! Importing people from a CSV file: checked first, all-or-nothing, in the caller's account.

use crate::helpers::*;
use app::server::entities::{email_outbox, person};
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

async fn people_count(app: &TestApp) -> u64 {
    person::Entity::find().count(&app.state.db).await.unwrap()
}

#[tokio::test]
async fn who_may_import() {
    let app = TestApp::new().await;
    let body = json!({ "csv": "name,email,role\nIda Import,ida@contoso-dental.example,user\n" });
    assert_eq!(
        app.call_json("import_users", body.clone(), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let user = app.login(USER).await;
    assert_eq!(
        app.call_json("import_users", body.clone(), Some(&user))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call_json("preview_user_import", body.clone(), Some(&user))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Another customer's admin imports into their own account.
    let other = app.login("felix.admin@fabrikam-logistics.example").await;
    let reply = app.call_json("import_users", body, Some(&other)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let ida = person::Entity::find()
        .filter(person::Column::Email.eq("ida@contoso-dental.example"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let felix = person::Entity::find()
        .filter(person::Column::Email.eq("felix.admin@fabrikam-logistics.example"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ida.customer_id, felix.customer_id);
}

#[tokio::test]
async fn the_preview_marks_every_bad_row_and_writes_nothing() {
    let app = TestApp::new().await;
    let owner = app.login(OWNER).await;
    let csv = "name,email,role\n\
               Good Row,good@contoso-dental.example,user\n\
               Bad Email,not-an-email,user\n\
               Twin,twin@contoso-dental.example,admin\n\
               Twin Again,TWIN@contoso-dental.example,user\n\
               Taken,uma.user@contoso-dental.example,user\n\
               Boss,boss@contoso-dental.example,owner\n";
    let before = people_count(&app).await;
    let reply = app
        .call_json("preview_user_import", json!({ "csv": csv }), Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let rows = reply.body["rows"].as_array().unwrap();
    let errors: Vec<(u64, usize)> = rows
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["errors"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(errors, [(2, 0), (3, 1), (4, 0), (5, 1), (6, 1), (7, 1)]);
    assert!(rows[3]["errors"][0].as_str().unwrap().contains("line 4"));
    assert_eq!(
        rows[4]["errors"][0],
        "A person with this email already exists."
    );
    assert!(
        rows[5]["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("Unknown role")
    );

    // Importing the same file refuses, naming how many rows are wrong, and writes nothing.
    let reply = app
        .call_json("import_users", json!({ "csv": csv }), Some(&owner))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body["Validation"]["message"]
            .as_str()
            .unwrap()
            .starts_with("4 row(s) have problems")
    );
    assert_eq!(people_count(&app).await, before);
    assert_eq!(
        email_outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );

    // A file that is not a people file at all is a clear error.
    let reply = app
        .call_json(
            "preview_user_import",
            json!({ "csv": "first,last\nA,B\n" }),
            Some(&owner),
        )
        .await;
    assert_eq!(reply.body["Validation"]["field"], "csv");
}

#[tokio::test]
async fn a_thousand_rows_import_in_one_go() {
    let app = TestApp::new().await;
    let admin = app.login(ADMIN).await;
    let mut csv = String::from("name,email,role\n");
    for i in 0..1000 {
        csv.push_str(&format!(
            "Person {i:04},person{i:04}@contoso-dental.example,{}\n",
            if i % 10 == 0 { "admin" } else { "user" }
        ));
    }
    let before = people_count(&app).await;
    let reply = app
        .call_json("import_users", json!({ "csv": csv }), Some(&admin))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body, json!(1000));
    assert_eq!(people_count(&app).await, before + 1000);
    assert_eq!(
        email_outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1000
    );
    let admins = person::Entity::find()
        .filter(person::Column::Email.starts_with("person"))
        .filter(person::Column::Role.eq("admin"))
        .filter(person::Column::Status.eq("invited"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(admins, 100);
}
