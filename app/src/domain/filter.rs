//! Filters of lists, as they arrive from an address or a form: text that is empty for "any".
//! Every list endpoint reads its filters through these, so "empty means none" and the date
//! format are decided once.

use chrono::{Datelike, NaiveDate};

/// Empty (after trimming) means "any"; anything else must parse.
pub fn optional<T, E>(
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Option<T>, E> {
    match text.trim() {
        "" => Ok(None),
        text => parse(text).map(Some),
    }
}

/// A calendar day written `YYYY-MM-DD`, as date inputs send it, in the years 2000 to 2999:
/// anything else is a typing mistake here (and a year past 9999 would not even compare with
/// stored times).
pub fn day(text: &str) -> Result<NaiveDate, &'static str> {
    const MESSAGE: &str = "Enter a date between 2000-01-01 and 2999-12-31, as YYYY-MM-DD.";
    let shaped = text.len() == 10
        && text.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(MESSAGE);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|day| (2000..=2999).contains(&day.year()))
        .ok_or(MESSAGE)
}

/// From and to, both included and both optional; the end never comes before the start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl DayRange {
    /// Errors name the field at fault: `("from" | "to", message)`.
    pub fn parse(from: &str, to: &str) -> Result<Self, (&'static str, &'static str)> {
        let from = optional(from, day).map_err(|m| ("from", m))?;
        let to = optional(to, day).map_err(|m| ("to", m))?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(("to", "The end date is before the start date."));
        }
        Ok(Self { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_any() {
        let parse = |t: &str| t.parse::<u8>().map_err(|_| "bad");
        assert_eq!(optional("", parse), Ok(None));
        assert_eq!(optional("  ", parse), Ok(None));
        assert_eq!(optional(" 7 ", parse), Ok(Some(7)));
        assert_eq!(optional("x", parse), Err("bad"));
    }

    #[test]
    fn days() {
        assert_eq!(
            day("2026-02-28"),
            Ok(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap())
        );
        assert!(day("2999-12-31").is_ok());
        for bad in [
            "3000-01-01",
            "9999-12-31",
            "2026-2-28",
            "2026-02-30",
            "1999-12-31",
            "+2026-02-28",
            "20260228",
            "2026-02-28T",
        ] {
            assert!(day(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        assert_eq!(DayRange::parse("", ""), Ok(DayRange::default()));
        assert!(DayRange::parse("2026-01-02", "2026-01-02").is_ok());
        assert_eq!(
            DayRange::parse("2026-01-03", "2026-01-02").unwrap_err().0,
            "to"
        );
        assert_eq!(DayRange::parse("x", "").unwrap_err().0, "from");
    }
}
