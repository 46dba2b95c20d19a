//! Background work shared safely between server processes through the database.

pub mod email;
pub mod fulfilment;
