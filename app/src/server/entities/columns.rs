//! Domain values stored in text columns: an entity field holds the domain type itself, so a
//! status is never a bare string after loading, and a row whose text no longer parses is a
//! loading error (logged, answered as `Internal`) instead of a surprise further on.
//!
//! The domain knows nothing of the database; these impls give each of its text types the
//! conversions sea-orm needs (to a `Value`, from a row, as an active value).

use crate::domain::pricing::LineKind;
use crate::domain::{
    BillingPeriod, Currency, CustomerStatus, DocumentKind, DocumentStatus, EmailStatus,
    OrderStatus, OrderType, PersonStatus, ResourceKind, Role, SubscriptionStatus,
};
use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable, Value};

/// `$to_text` turns a value into its stored text; `$parse` reads it back.
macro_rules! stored_as_text {
    ($($ty:ty: $to_text:expr, $parse:expr;)+) => {$(
        impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                let to_text: fn(&$ty) -> &str = $to_text;
                Value::String(Some(to_text(&value).to_owned()))
            }
        }

        impl TryGetable for $ty {
            fn try_get_by<I: ColIdx>(row: &QueryResult, index: I) -> Result<Self, TryGetError> {
                let text = String::try_get_by(row, index)?;
                let parse: fn(&str) -> Result<$ty, String> = $parse;
                parse(&text).map_err(|error| {
                    TryGetError::DbErr(DbErr::Type(format!(
                        concat!("stored ", stringify!($ty), " does not parse: {}"),
                        error
                    )))
                })
            }
        }

        impl ValueType for $ty {
            fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
                let text = <String as ValueType>::try_from(value)?;
                let parse: fn(&str) -> Result<$ty, String> = $parse;
                parse(&text).map_err(|_| ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($ty).to_owned()
            }

            fn array_type() -> ArrayType {
                ArrayType::String
            }

            fn column_type() -> ColumnType {
                ColumnType::Text
            }
        }

        impl Nullable for $ty {
            fn null() -> Value {
                Value::String(None)
            }
        }

        impl sea_orm::IntoActiveValue<$ty> for $ty {
            fn into_active_value(self) -> sea_orm::ActiveValue<$ty> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    )+};
}

stored_as_text! {
    PersonStatus: |v| v.as_str(), PersonStatus::parse;
    Role: |v| v.as_str(), Role::parse;
    SubscriptionStatus: |v| v.as_str(), SubscriptionStatus::parse;
    OrderType: |v| v.as_str(), OrderType::parse;
    OrderStatus: |v| v.as_str(), OrderStatus::parse;
    BillingPeriod: |v| v.as_str(), BillingPeriod::parse;
    ResourceKind: |v| v.as_str(), ResourceKind::parse;
    LineKind: |v| v.as_str(), LineKind::parse;
    DocumentKind: |v| v.as_str(), DocumentKind::parse;
    DocumentStatus: |v| v.as_str(), DocumentStatus::parse;
    Currency: |v| v.code(), Currency::parse;
    CustomerStatus: |v| v.as_str(), CustomerStatus::parse;
    EmailStatus: |v| v.as_str(), EmailStatus::parse;
}
