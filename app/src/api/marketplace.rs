//! The in-panel marketplace: browsing the catalog and pricing an order before it is placed.

use crate::dto::marketplace::{Marketplace, ProductDetail};
use crate::error::AppError;
use leptos::prelude::*;

/// Products of the marketplace. `search` matches words of the name, vendor, category or short
/// description, ignoring case; `category` empty is every category.
#[server(endpoint = "list_products")]
pub async fn list_products(search: String, category: String) -> Result<Marketplace, AppError> {
    use super::context;
    use crate::server::services::marketplace;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    let search =
        crate::domain::SearchText::parse(&search).map_err(|m| AppError::validation("search", m))?;
    let category = crate::domain::SearchText::parse(&category)
        .map_err(|m| AppError::validation("category", m))?;
    marketplace::list_products(&call.state.db, search.as_str(), category.as_str()).await
}

#[server(endpoint = "get_product")]
pub async fn get_product(id: i32) -> Result<ProductDetail, AppError> {
    use super::context;
    use crate::server::services::marketplace;

    let call = context::authorize::<crate::server::access::AccountManager>().await?;
    marketplace::get_product(&call.state.db, call.scope, id).await
}
