//! Money: integer minor units (cents) with a currency. Never floating point.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code such as `USD`; travels as that text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl TryFrom<String> for Currency {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        Self::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.code().to_owned()
    }
}

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

/// `value * numerator / denominator`, rounded half to even (banker's rounding) to a whole cent.
/// `None` for a zero denominator or a result outside `i64`.
pub fn mul_div_half_even(value: i64, numerator: i64, denominator: i64) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let product = i128::from(value) * i128::from(numerator);
    let denominator = i128::from(denominator);
    let mut quotient = product / denominator;
    let remainder = product % denominator;
    // Compare twice the remainder with the divisor, in magnitudes, to decide the rounding.
    let twice = remainder.abs() * 2;
    let away = match twice.cmp(&denominator.abs()) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => quotient % 2 != 0,
        std::cmp::Ordering::Less => false,
    };
    if away {
        quotient += if (product < 0) == (denominator < 0) {
            1
        } else {
            -1
        };
    }
    i64::try_from(quotient).ok()
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

    #[test]
    fn currencies_travel_as_their_code() {
        let json = serde_json::to_string(&usd(150)).unwrap();
        assert_eq!(json, r#"{"cents":150,"currency":"USD"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), usd(150));
        assert!(serde_json::from_str::<Currency>(r#""usd""#).is_err());
    }

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
    fn rounds_half_to_even() {
        assert_eq!(mul_div_half_even(5, 1, 2), Some(2)); // 2.5 -> 2
        assert_eq!(mul_div_half_even(15, 1, 10), Some(2)); // 1.5 -> 2
        assert_eq!(mul_div_half_even(25, 1, 10), Some(2)); // 2.5 -> 2
        assert_eq!(mul_div_half_even(26, 1, 10), Some(3));
        assert_eq!(mul_div_half_even(24, 1, 10), Some(2));
        assert_eq!(mul_div_half_even(-25, 1, 10), Some(-2));
        assert_eq!(mul_div_half_even(-35, 1, 10), Some(-4));
        assert_eq!(mul_div_half_even(1000, 2000, 10_000), Some(200));
        assert_eq!(mul_div_half_even(1, 1, 0), None);
        assert_eq!(mul_div_half_even(i64::MAX, 2, 1), None);
    }

    proptest! {
        #[test]
        fn half_even_is_within_half_a_cent(value in -1_000_000_000i64..1_000_000_000, num in 0i64..100_000, den in 1i64..100_000) {
            let rounded = mul_div_half_even(value, num, den).unwrap();
            let exact = i128::from(value) * i128::from(num);
            let error = (i128::from(rounded) * i128::from(den) - exact).abs() * 2;
            prop_assert!(error <= i128::from(den));
        }
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
