//! Free text people type into the panel: what it may hold, and searches.
//!
//! Control characters (NUL among them) and the invisible characters that reorder or hide text
//! (bidirectional overrides and isolates, zero-width marks) are refused wherever text is parsed:
//! they make a name display as something else than it is ("Rita" that reads "atiR", an email
//! that looks like another), and PostgreSQL cannot store NUL at all.

use serde::{Deserialize, Serialize};

/// True for a character that must not appear in a name, a search or a comment.
pub fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // Bidirectional marks, embeddings, overrides and isolates.
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            // Zero-width space, word joiner, invisible operators, byte-order mark.
            | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
            // Line and paragraph separators, interlinear annotations.
            | '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The message for text holding a forbidden character, naming it by code point.
pub fn check(text: &str, what: &str) -> Result<(), String> {
    match text.chars().find(|c| is_forbidden(*c)) {
        Some(c) => Err(format!(
            "{what} cannot contain control or invisible formatting characters (found U+{:04X}).",
            c as u32
        )),
        None => Ok(()),
    }
}

/// A search typed into a list: trimmed, at most `MAX_LEN` characters, no forbidden characters.
/// Empty means "everything".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchText(String);

impl SearchText {
    pub const MAX_LEN: usize = 100;

    pub fn parse(input: &str) -> Result<Self, String> {
        let text = input.trim();
        if text.chars().count() > Self::MAX_LEN {
            return Err(format!("Search with at most {} characters.", Self::MAX_LEN));
        }
        check(text, "A search")?;
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_nul_controls_and_bidi_overrides() {
        for bad in [
            "a\0b",
            "a\u{7}",
            "\u{202E}nimda",
            "x\u{2066}y",
            "\u{200F}",
            "a\u{FEFF}",
        ] {
            assert!(SearchText::parse(bad).is_err(), "{bad:?}");
        }
        let message = SearchText::parse("\u{202E}x").unwrap_err();
        assert!(message.contains("U+202E"), "{message}");
    }

    #[test]
    fn keeps_ordinary_text_of_any_script() {
        for good in [
            "",
            "  zoë ",
            "Åsa Öberg",
            "محمد",
            "東京",
            "o'brien-smith",
            "👩‍💻",
        ] {
            assert!(SearchText::parse(good).is_ok(), "{good:?}");
        }
        assert_eq!(SearchText::parse("  ab ").unwrap().as_str(), "ab");
        assert!(SearchText::parse(&"a".repeat(101)).is_err());
    }

    proptest! {
        /// Whatever comes in, parsing answers (never panics), and what it accepts holds no
        /// forbidden character and is within the length limit.
        #[test]
        fn parsing_never_panics_and_accepts_only_clean_text(input in any::<String>()) {
            if let Ok(parsed) = SearchText::parse(&input) {
                prop_assert!(!parsed.as_str().chars().any(is_forbidden));
                prop_assert!(parsed.as_str().chars().count() <= SearchText::MAX_LEN);
            }
        }
    }
}
