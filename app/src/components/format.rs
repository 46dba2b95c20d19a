//! Text formatting shared by pages, identical on server and browser (no locale, no clock).

use chrono::{DateTime, NaiveDate, Utc};

pub fn date(d: NaiveDate) -> String {
    d.format("%b %-d, %Y").to_string()
}

pub fn date_time(t: DateTime<Utc>) -> String {
    t.format("%b %-d, %Y %H:%M UTC").to_string()
}

/// "1 license", "3 licenses": enough English for unit names from the catalog.
pub fn count(n: i64, unit: &str) -> String {
    if n == 1 || unit.ends_with('s') || unit == "GB" || unit == "TB" {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(date(d), "Mar 5, 2026");
        assert_eq!(count(1, "license"), "1 license");
        assert_eq!(count(3, "license"), "3 licenses");
        assert_eq!(count(500, "GB"), "500 GB");
    }
}
