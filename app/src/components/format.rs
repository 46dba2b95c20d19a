//! Text formatting shared by pages, identical on server and browser (no locale, no clock).

use chrono::{DateTime, NaiveDate, Utc};

pub fn date(d: NaiveDate) -> String {
    d.format("%b %-d, %Y").to_string()
}

/// A moment in UTC, as the server renders it (see `components::time` for the viewer's zone).
pub fn date_time(t: DateTime<Utc>) -> String {
    t.format("%b %-d, %Y %H:%M UTC").to_string()
}

/// A moment already moved into the viewer's zone.
pub fn local_date_time(t: chrono::NaiveDateTime) -> String {
    t.format("%b %-d, %Y %H:%M").to_string()
}

/// "1 license", "3 licenses": enough English for unit names from the catalog.
pub fn count(n: i64, unit: &str) -> String {
    if n == 1 || unit.ends_with('s') || unit == "GB" || unit == "TB" {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "$2.00 per license", or "per extra license" once some are included in the plan's price.
pub fn unit_price_text(price: crate::domain::Money, unit: &str, included: i64) -> String {
    if included > 0 {
        format!("{price} per extra {unit}")
    } else {
        format!("{price} per {unit}")
    }
}

/// `a=1&b=x%20y` from pairs, skipping empty values; for links that carry filters.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", url_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A count with thousands separators: `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "Chrome 156 on Linux" from a user-agent string; the raw string when nothing is recognised.
pub fn browser(user_agent: &str) -> String {
    let version_after = |marker: &str| {
        user_agent.split(marker).nth(1).map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or_default()
                .to_owned()
        })
    };
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ]
    .iter()
    .find_map(|(marker, name)| version_after(marker).map(|v| format!("{name} {v}")));
    let os = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b,
        (None, Some(o)) => o.to_owned(),
        (None, None) => user_agent.to_owned(),
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
        assert_eq!(
            query_string(&[("q", "anna b&c"), ("role", ""), ("page", "2")]),
            "q=anna%20b%26c&page=2"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";
        assert_eq!(browser(chrome), "Chrome 156 on Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser(iphone), "Safari 17 on iOS");
        assert_eq!(browser("curl/8.0"), "curl/8.0");
    }
}
