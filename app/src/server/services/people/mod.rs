//! People of a customer account, by concern: the users list (`listing`), inviting people one
//! by one or from a file and their activation link (`invitations`), and one person's details
//! and changes (`changes`). What is assigned to whom lives with licenses.

mod changes;
mod invitations;
mod listing;

pub use changes::{PersonChange, change_person, get_person};
pub use invitations::{
    NewPerson, create_person, import_people, invitation, invite_into, preview_import,
    welcome_owner_again,
};
pub use listing::{PeopleQuery, list_people};
