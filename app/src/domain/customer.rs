//! A customer company as a reseller creates it: what each field may hold, with the message for
//! the field that is wrong.

use super::text;
use super::{Email, PersonName};
use serde::{Deserialize, Serialize};

/// The countries a customer can be in: ISO 3166 code and name, in the order the form lists them.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("AT", "Austria"),
    ("AU", "Australia"),
    ("BE", "Belgium"),
    ("BR", "Brazil"),
    ("CA", "Canada"),
    ("CH", "Switzerland"),
    ("CZ", "Czechia"),
    ("DE", "Germany"),
    ("DK", "Denmark"),
    ("ES", "Spain"),
    ("FI", "Finland"),
    ("FR", "France"),
    ("GB", "United Kingdom"),
    ("IE", "Ireland"),
    ("IN", "India"),
    ("IT", "Italy"),
    ("JP", "Japan"),
    ("MX", "Mexico"),
    ("NL", "Netherlands"),
    ("NO", "Norway"),
    ("NZ", "New Zealand"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("SE", "Sweden"),
    ("SG", "Singapore"),
    ("US", "United States"),
    ("ZA", "South Africa"),
];

/// The country's name for a code, or the code itself when it is not listed.
pub fn country_name(code: &str) -> &str {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, name)| name)
}

/// What the "new customer" form sends.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerForm {
    pub company_name: String,
    pub address: String,
    pub country: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub owner_name: String,
    pub owner_email: String,
}

/// A checked form: every field as it is stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCustomer {
    pub company_name: String,
    pub address: String,
    pub country: &'static str,
    pub contact_name: PersonName,
    pub contact_email: Email,
    pub contact_phone: Option<String>,
    pub owner_name: PersonName,
    pub owner_email: Email,
}

pub const COMPANY_NAME_MAX: usize = 120;
pub const ADDRESS_MAX: usize = 500;
pub const PHONE_MAX: usize = 30;

/// A field that is wrong, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn field(field: &'static str) -> impl Fn(String) -> FieldError {
    move |message| FieldError { field, message }
}

pub fn parse_company_name(input: &str) -> Result<String, String> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err("Enter the company's name.".into());
    }
    if name.chars().count() > COMPANY_NAME_MAX {
        return Err(format!(
            "A company name has at most {COMPANY_NAME_MAX} characters."
        ));
    }
    text::check(&name, "A company name")?;
    Ok(name)
}

/// Several lines, each trimmed; empty lines dropped.
pub fn parse_address(input: &str) -> Result<String, String> {
    let lines: Vec<&str> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err("Enter the company's address.".into());
    }
    let address = lines.join("\n");
    if address.chars().count() > ADDRESS_MAX {
        return Err(format!("An address has at most {ADDRESS_MAX} characters."));
    }
    for line in &lines {
        text::check(line, "An address")?;
    }
    Ok(address)
}

pub fn parse_country(input: &str) -> Result<&'static str, String> {
    let code = input.trim().to_uppercase();
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(c, _)| *c)
        .ok_or_else(|| "Choose a country from the list.".into())
}

/// Empty is no phone; otherwise digits with the usual separators, as people write them.
pub fn parse_phone(input: &str) -> Result<Option<String>, String> {
    let phone = input.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    if phone.chars().count() > PHONE_MAX {
        return Err(format!(
            "A phone number has at most {PHONE_MAX} characters."
        ));
    }
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.');
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !phone.chars().all(allowed) || digits < 5 || phone.chars().skip(1).any(|c| c == '+') {
        return Err("Enter a phone number such as +1 415 555 0100.".into());
    }
    Ok(Some(phone.to_owned()))
}

impl CustomerForm {
    /// Checks every field, in the order of the form; the first wrong one is named.
    pub fn parse(&self) -> Result<NewCustomer, FieldError> {
        Ok(NewCustomer {
            company_name: parse_company_name(&self.company_name).map_err(field("company_name"))?,
            address: parse_address(&self.address).map_err(field("address"))?,
            country: parse_country(&self.country).map_err(field("country"))?,
            contact_name: PersonName::parse(&self.contact_name).map_err(field("contact_name"))?,
            contact_email: Email::parse(&self.contact_email).map_err(field("contact_email"))?,
            contact_phone: parse_phone(&self.contact_phone).map_err(field("contact_phone"))?,
            owner_name: PersonName::parse(&self.owner_name).map_err(field("owner_name"))?,
            owner_email: Email::parse(&self.owner_email).map_err(field("owner_email"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> CustomerForm {
        CustomerForm {
            company_name: "  Fabrikam   Ltd ".into(),
            address: "1 Main Street\n\n  Springfield  \n".into(),
            country: "us".into(),
            contact_name: "Frank Fab".into(),
            contact_email: "IT@Fabrikam.example".into(),
            contact_phone: "+1 (415) 555-0100".into(),
            owner_name: "Olga Owner".into(),
            owner_email: "olga@fabrikam.example".into(),
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let new = form().parse().unwrap();
        assert_eq!(new.company_name, "Fabrikam Ltd");
        assert_eq!(new.address, "1 Main Street\nSpringfield");
        assert_eq!(new.country, "US");
        assert_eq!(new.contact_email.as_str(), "it@fabrikam.example");
        assert_eq!(new.contact_phone.as_deref(), Some("+1 (415) 555-0100"));
        assert_eq!(country_name("US"), "United States");
        assert_eq!(country_name("XX"), "XX");
    }

    type Breaks = fn(&mut CustomerForm);

    #[test]
    fn each_wrong_field_is_named() {
        let cases: [(Breaks, &str); 9] = [
            (|f| f.company_name = " ".into(), "company_name"),
            (|f| f.company_name = "A\u{202E}B".into(), "company_name"),
            (|f| f.address = "\n \n".into(), "address"),
            (|f| f.address = "x\u{0}y".into(), "address"),
            (|f| f.country = "Atlantis".into(), "country"),
            (|f| f.contact_name = String::new(), "contact_name"),
            (|f| f.contact_email = "nope".into(), "contact_email"),
            (|f| f.contact_phone = "call me".into(), "contact_phone"),
            (|f| f.owner_email = "a@b".into(), "owner_email"),
        ];
        for (break_it, name) in cases {
            let mut f = form();
            break_it(&mut f);
            assert_eq!(f.parse().unwrap_err().field, name);
        }
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(parse_phone("  "), Ok(None));
        for bad in ["123", "+1 415 555 0100 +2", "555-CALL-NOW", &"1".repeat(31)] {
            assert!(parse_phone(bad).is_err(), "{bad}");
        }
        assert!(parse_phone("030 1234567").unwrap().is_some());
    }

    proptest! {
        #[test]
        fn parsing_never_panics(company in any::<String>(), address in any::<String>(), phone in any::<String>()) {
            if let Ok(name) = parse_company_name(&company) {
                prop_assert!(!name.chars().any(text::is_forbidden));
                prop_assert!(name.chars().count() <= COMPANY_NAME_MAX);
            }
            if let Ok(a) = parse_address(&address) {
                prop_assert!(a.lines().all(|l| !l.chars().any(text::is_forbidden)));
            }
            let _ = parse_phone(&phone);
        }
    }
}
