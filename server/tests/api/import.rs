//! Importing people from a CSV file: checked first, all-or-nothing, in the caller's account.

use crate::helpers::*;
use app::AppError;
use app::api::users::{ImportUsers, PreviewUserImport};
use app::server::entities::person;
use http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn import(csv: &str) -> ImportUsers {
    ImportUsers {
        csv: csv.to_owned(),
    }
}

fn preview(csv: &str) -> PreviewUserImport {
    PreviewUserImport {
        csv: csv.to_owned(),
    }
}

#[tokio::test]
async fn who_may_import() {
    let app = TestApp::new().await;
    let csv = "name,email,role\nIda Import,ida@contoso-dental.example,user\n";
    assert_eq!(
        app.anonymous().send(import(csv)).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let user = app.user().await;
    assert_eq!(user.send(import(csv)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        user.send(preview(csv)).await.status(),
        StatusCode::FORBIDDEN
    );

    // Another customer's admin imports into their own account.
    app.other_admin().await.send(import(csv)).await.unwrap();
    let ida = person_by_email(&app, "ida@contoso-dental.example").await;
    let felix = person_by_email(&app, OTHER_ADMIN).await;
    assert_eq!(ida.customer_id, felix.customer_id);
}

#[tokio::test]
async fn the_preview_marks_every_bad_row_and_writes_nothing() {
    let app = TestApp::new().await;
    let owner = app.owner().await;
    let csv = "name,email,role\n\
               Good Row,good@contoso-dental.example,user\n\
               Bad Email,not-an-email,user\n\
               Twin,twin@contoso-dental.example,admin\n\
               Twin Again,TWIN@contoso-dental.example,user\n\
               Taken,uma.user@contoso-dental.example,user\n\
               Boss,boss@contoso-dental.example,owner\n";
    let before = people_count(&app).await;
    let checked = owner.send(preview(csv)).await.unwrap();
    let rows = &checked.rows;
    let errors: Vec<(usize, usize)> = rows.iter().map(|r| (r.line, r.errors.len())).collect();
    assert_eq!(errors, [(2, 0), (3, 1), (4, 0), (5, 1), (6, 1), (7, 1)]);
    assert!(rows[3].errors[0].contains("line 4"));
    assert_eq!(
        rows[4].errors[0],
        "A person with this email already exists."
    );
    assert!(rows[5].errors[0].starts_with("Unknown role"));

    // Importing the same file refuses, naming how many rows are wrong, and writes nothing.
    let refused = owner.send(import(csv)).await.unwrap_err();
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let AppError::Validation { message, .. } = &refused.error else {
        panic!("{refused:?}")
    };
    assert!(message.starts_with("4 row(s) have problems"), "{message}");
    assert_eq!(people_count(&app).await, before);
    assert_eq!(outbox_count(&app).await, 0);

    // A file that is not a people file at all is a clear error.
    let refused = owner.send(preview("first,last\nA,B\n")).await;
    assert_eq!(refused.field(), Some("csv"));
}

#[tokio::test]
async fn a_thousand_rows_import_in_one_go() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let mut csv = String::from("name,email,role\n");
    for i in 0..1000 {
        csv.push_str(&format!(
            "Person {i:04},person{i:04}@contoso-dental.example,{}\n",
            if i % 10 == 0 { "admin" } else { "user" }
        ));
    }
    let before = people_count(&app).await;
    assert_eq!(admin.send(import(&csv)).await.unwrap(), 1000);
    assert_eq!(people_count(&app).await, before + 1000);
    assert_eq!(outbox_count(&app).await, 1000);
    let admins = person::Entity::find()
        .filter(person::Column::Email.starts_with("person"))
        .filter(person::Column::Role.eq("admin"))
        .filter(person::Column::Status.eq("invited"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(admins, 100);
}
