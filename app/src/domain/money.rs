//! Money: integer minor units (cents) with a currency. Never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code such as `USD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(code: &str) -> Result<Self, String> {
        let code = code.trim();
        match code.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|b| b.is_ascii_uppercase()) => Ok(Self([*a, *b, *c])),
            _ => Err(format!(
                "{code:?} is not a currency code (three capital letters)."
            )),
        }
    }

    pub fn code(&self) -> &str {
        // Only ASCII capitals are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"USD" => Some("$"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            _ => None,
        }
    }
}

/// An amount in minor units of its currency (cents for USD).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub cents: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(cents: i64, currency: Currency) -> Self {
        Self { cents, currency }
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.cents.checked_add(other.cents))
            .flatten()
            .map(|cents| Money::new(cents, self.currency))
    }

    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.cents
            .checked_mul(factor)
            .map(|cents| Money::new(cents, self.currency))
    }
}

/// Groups thousands with commas: `1234567` -> `1,234,567`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Money {
    /// `$1,234.50`, `-€3.00`, or `1,000.00 CHF` for currencies without a known symbol.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        let amount = format!("{}.{:02}", group_thousands(abs / 100), abs % 100);
        match self.currency.symbol() {
            Some(symbol) => write!(f, "{sign}{symbol}{amount}"),
            None => write!(f, "{sign}{amount} {}", self.currency.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(cents: i64) -> Money {
        Money::new(cents, Currency::USD)
    }

    #[test]
    fn formats_with_symbol_and_grouping() {
        assert_eq!(usd(0).to_string(), "$0.00");
        assert_eq!(usd(5).to_string(), "$0.05");
        assert_eq!(usd(720).to_string(), "$7.20");
        assert_eq!(usd(123_456_789).to_string(), "$1,234,567.89");
        assert_eq!(usd(-1999).to_string(), "-$19.99");
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(Money::new(100_000, chf).to_string(), "1,000.00 CHF");
    }

    #[test]
    fn formats_extremes_without_overflow() {
        assert_eq!(usd(i64::MIN).to_string(), "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn currency_codes() {
        assert_eq!(Currency::parse("EUR").unwrap().code(), "EUR");
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("EURO").is_err());
        assert!(Currency::parse("").is_err());
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let eur = Money::new(1, Currency::parse("EUR").unwrap());
        assert_eq!(usd(1).checked_add(eur), None);
        assert_eq!(usd(1).checked_add(usd(2)), Some(usd(3)));
        assert_eq!(usd(i64::MAX).checked_add(usd(1)), None);
    }

    proptest! {
        #[test]
        fn formatting_round_trips_the_cents(cents in -10_000_000_000i64..10_000_000_000) {
            let text = usd(cents).to_string();
            let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
            let parsed: i64 = digits.parse().unwrap();
            prop_assert_eq!(if text.starts_with('-') { -parsed } else { parsed }, cents);
        }
    }
}
