//! Reusable view pieces. They receive data; they never call the database.

pub mod badges;
pub mod feedback;
pub mod filters;
pub mod format;
pub mod lines;
pub mod live;
pub mod loaded;
pub mod navigation;
pub mod orders_in_progress;
pub mod pager;
pub mod shell;
pub mod time;
pub mod usage_chart;
