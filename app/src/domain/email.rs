//! An email address as the platform accepts it: trimmed, lower-cased, plausibly deliverable.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A parsed email address. Logins are unique case-insensitively, so the address is stored
/// lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err("Enter an email address.".into());
        }
        if value.len() > Self::MAX_LEN {
            return Err(format!(
                "An email address has at most {} characters.",
                Self::MAX_LEN
            ));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("An email address needs an @, as in name@example.com.".into());
        };
        let plausible = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
            && !value
                .chars()
                .any(|c| c.is_whitespace() || super::text::is_forbidden(c));
        if !plausible {
            return Err("This is not a valid email address.".into());
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_make_an_address_invalid() {
        // "adam.admin\u{200B}@…" looks exactly like Adam's address.
        for bad in [
            "adam.admin\u{200B}@contoso.example",
            "x\u{202E}@example.com",
            "a\u{0}@b.co",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn accepts_and_normalises() {
        let email = Email::parse("  Anna.Berg@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "anna.berg@example.com");
    }

    #[test]
    fn accepts_plus_and_subdomains() {
        assert!(Email::parse("ops+alerts@mail.example.co.uk").is_ok());
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "anna@",
            "anna@example",
            "anna@.example.com",
            "anna@example..com",
            "anna berg@example.com",
            "anna@exa mple.com",
            "anna@@example.com",
            "anna@example.com.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn rejects_too_long() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    proptest::proptest! {
        /// Any input answers without panicking; what is accepted is lower-case, trimmed, within
        /// the length limit and free of control characters.
        #[test]
        fn parsing_any_text_never_panics(input in proptest::prelude::any::<String>()) {
            if let Ok(email) = Email::parse(&input) {
                proptest::prop_assert!(email.as_str().len() <= Email::MAX_LEN);
                proptest::prop_assert!(!email.as_str().chars().any(char::is_control));
                proptest::prop_assert_eq!(email.as_str(), email.as_str().trim().to_lowercase());
            }
        }
    }
}
