//! A person's display name, and the key the users list sorts and searches by.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, String> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err("Enter a name.".into());
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(format!("A name has at most {} characters.", Self::MAX_LEN));
        }
        super::text::check(&name, "A name")?;
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The lower-cased form stored beside the name: sorting and prefix search use it, so they
    /// ignore case the same way on SQLite and PostgreSQL.
    pub fn key_of(name: &str) -> String {
        name.to_lowercase()
    }

    pub fn key(&self) -> String {
        Self::key_of(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_collapses_spaces() {
        assert_eq!(
            PersonName::parse("  Anna   Berg ").unwrap().as_str(),
            "Anna Berg"
        );
        assert_eq!(PersonName::parse("Ånna Berg").unwrap().key(), "ånna berg");
    }

    #[test]
    fn rejects_empty_long_and_control() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
        assert!(PersonName::parse("Anna\u{7}").is_err());
        assert!(PersonName::parse("Anna\0").is_err());
        // Right-to-left override: "Rita\u{202E}nimdA" would display as "RitaAdmin".
        assert!(PersonName::parse("Rita\u{202E}nimdA").is_err());
        assert!(PersonName::parse("Zoë O'Brien-Łukasz 李").is_ok());
        assert!(PersonName::parse(&"a".repeat(100)).is_ok());
    }

    proptest::proptest! {
        /// Any input answers without panicking; an accepted name holds no character that would
        /// make it display as something else.
        #[test]
        fn parsing_any_text_never_panics(input in proptest::prelude::any::<String>()) {
            if let Ok(name) = PersonName::parse(&input) {
                proptest::prop_assert!(!name.as_str().chars().any(crate::domain::text::is_forbidden));
                proptest::prop_assert!(name.as_str().chars().count() <= PersonName::MAX_LEN);
            }
        }
    }
}
