//! The password rule, shown in forms and enforced on the server.

/// A password that satisfies the platform's rule. Deliberately not `Debug`/`Serialize`.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;
    /// Shown next to every "new password" field.
    pub const RULE: &'static str =
        "At least 10 characters, with at least one letter and one digit.";

    pub fn parse(input: &str) -> Result<Self, String> {
        let chars = input.chars().count();
        if chars < Self::MIN_LEN {
            return Err(format!("Use at least {} characters.", Self::MIN_LEN));
        }
        if chars > Self::MAX_LEN {
            return Err(format!("Use at most {} characters.", Self::MAX_LEN));
        }
        if !input.chars().any(char::is_alphabetic) || !input.chars().any(|c| c.is_ascii_digit()) {
            return Err("Use at least one letter and one digit.".into());
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule() {
        assert!(Password::parse("short1").is_err());
        assert!(Password::parse("onlyletterslong").is_err());
        assert!(Password::parse("1234567890123").is_err());
        assert!(Password::parse(&"a1".repeat(65)).is_err());
        assert_eq!(
            Password::parse("correct horse 9").unwrap().expose(),
            "correct horse 9"
        );
    }
}
