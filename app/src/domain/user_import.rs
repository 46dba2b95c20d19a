//! Creating many people at once from a CSV file that a customer admin uploads.
//!
//! The import is all-or-nothing: a half-imported file leaves the admin guessing which people
//! exist and which do not. So the whole file is read and every row checked here, before
//! anything is written, and every problem is reported against the line the admin sees in their
//! editor or spreadsheet, not against a record index.
//!
//! The reader is a small RFC 4180 subset written out by hand rather than a dependency: it has
//! to report the line where each record *starts* (a quoted field may span lines), and it has to
//! stay plain Rust so the browser can show the same preview as the server checks.
//!
//! Problems with the file as a whole (too large, no header, an unclosed quote) are an
//! [`ImportError`]; problems with single rows are collected on each [`ImportRow`] so the admin
//! can fix them all in one go.

use super::email::Email;
use super::person::PersonName;
use super::role::Role;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

/// At most this many people per file: beyond it the preview becomes unreadable and the single
/// transaction that writes them too long.
pub const MAX_ROWS: usize = 10_000;
/// Checked before reading anything, so a huge upload costs nothing.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The longest name accepted, in characters (not bytes).
pub const MAX_NAME_CHARS: usize = PersonName::MAX_LEN;

/// The columns of the file, in the order the error messages name them.
const COLUMNS: [&str; 3] = ["name", "email", "role"];

const ALREADY_EXISTS: &str = "A person with this email already exists.";

/// One data row of the file, with everything wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// 1-based line number of the data row in the file as the user sees it (header is line 1).
    pub line: usize,
    pub name: String,
    /// The email as typed (trimmed), for display.
    pub email_input: String,
    pub email: Option<Email>,
    pub role: Option<Role>,
    /// Every problem of this row, as user-facing sentences. Empty = row is valid (so far).
    pub errors: Vec<String>,
}

/// The checked contents of a file, shown to the admin before they confirm the import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
}

impl ImportPreview {
    /// The import may go ahead: there is at least one row and no row has a problem.
    pub fn is_valid(&self) -> bool {
        !self.rows.is_empty() && self.rows.iter().all(|row| row.errors.is_empty())
    }

    /// The number of rows with at least one problem.
    pub fn error_count(&self) -> usize {
        self.rows
            .iter()
            .filter(|row| !row.errors.is_empty())
            .count()
    }

    /// Marks rows whose email already exists on the platform (the caller looks them up).
    ///
    /// `existing` holds addresses as the platform stores them, i.e. lower-cased like [`Email`].
    /// Calling this twice does not repeat the message.
    pub fn mark_existing(&mut self, existing: &HashSet<String>) {
        for row in &mut self.rows {
            let exists = row
                .email
                .as_ref()
                .is_some_and(|email| existing.contains(email.as_str()));
            if exists && !row.errors.iter().any(|error| error == ALREADY_EXISTS) {
                row.errors.push(ALREADY_EXISTS.to_owned());
            }
        }
    }
}

/// Problems with the file as a whole; no row is shown when one of these occurs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("The file is empty.")]
    Empty,
    #[error("The file is larger than 2 MB.")]
    TooLarge,
    #[error("The file has more than 10,000 rows; split it into smaller files.")]
    TooManyRows,
    #[error("Missing column(s): {0}. The first line must be: name,email,role")]
    MissingColumns(String),
    #[error("Unknown column(s): {0}. Use only: name,email,role")]
    UnknownColumns(String),
    #[error("Line {0}: a quoted field is not closed.")]
    UnclosedQuote(usize),
}

/// Reads and checks an uploaded file. Rows are returned even when they have problems, so the
/// admin sees everything to fix at once; see [`ImportPreview::is_valid`].
///
/// A file with a header but no data rows gives a preview without rows (which is not valid).
pub fn parse_user_csv(text: &str) -> Result<ImportPreview, ImportError> {
    if text.len() > MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    // Excel and Notepad put a byte order mark in front of UTF-8 files.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = split_records(text)?;
    let Some((header, data)) = records.split_first() else {
        return Err(ImportError::Empty);
    };
    let columns = Columns::from_header(&header.fields)?;

    let mut first_line_of: HashMap<Email, usize> = HashMap::new();
    let mut rows = Vec::with_capacity(data.len());
    for record in data {
        let mut row = columns.row(record);
        if let Some(email) = &row.email {
            match first_line_of.entry(email.clone()) {
                Entry::Occupied(first) => row
                    .errors
                    .push(format!("This email also appears on line {}.", first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(row.line);
                }
            }
        }
        rows.push(row);
    }
    Ok(ImportPreview { rows })
}

/// Where each column is in the file; the header may list them in any order.
struct Columns {
    name: usize,
    email: usize,
    role: usize,
}

impl Columns {
    fn from_header(header: &[String]) -> Result<Self, ImportError> {
        let mut found: [Option<usize>; 3] = [None; 3];
        let mut unknown = Vec::new();
        for (index, raw) in header.iter().enumerate() {
            let label = raw.trim();
            match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(label)) {
                Some(known) if found[known].is_none() => found[known] = Some(index),
                Some(_) => unknown.push(format!("{label} (repeated)")),
                None if label.is_empty() => unknown.push("(empty)".to_owned()),
                None => unknown.push(label.to_owned()),
            }
        }
        // Missing columns first: a file without a header reads as "all missing", which says
        // what to do better than a list of names and addresses as "unknown columns".
        if let [Some(name), Some(email), Some(role)] = found {
            if unknown.is_empty() {
                return Ok(Self { name, email, role });
            }
            return Err(ImportError::UnknownColumns(unknown.join(", ")));
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .zip(found)
            .filter(|(_, index)| index.is_none())
            .map(|(column, _)| *column)
            .collect();
        Err(ImportError::MissingColumns(missing.join(", ")))
    }

    fn row(&self, record: &Record) -> ImportRow {
        let value = |index: usize| {
            record
                .fields
                .get(index)
                .map(|field| field.trim())
                .unwrap_or("")
                .to_owned()
        };
        let mut row = ImportRow {
            line: record.line,
            name: value(self.name),
            email_input: value(self.email),
            email: None,
            role: None,
            errors: Vec::new(),
        };
        // With fields missing or extra, which value belongs to which column is a guess
        // (typically an unquoted comma in a name), so nothing else is checked.
        if record.fields.len() != COLUMNS.len() {
            row.errors.push(format!(
                "Expected {} fields, found {}.",
                COLUMNS.len(),
                record.fields.len()
            ));
            return row;
        }
        // The same rule as when one person is created, so a preview that passes cannot fail on
        // write; the row keeps the cleaned-up name that will be stored.
        match PersonName::parse(&row.name) {
            Ok(name) => row.name = name.as_str().to_owned(),
            Err(error) => row.errors.push(error),
        }
        match Email::parse(&row.email_input) {
            Ok(email) => row.email = Some(email),
            Err(error) => row.errors.push(error),
        }
        match parse_role(&value(self.role)) {
            Ok(role) => row.role = Some(role),
            Err(error) => row.errors.push(error),
        }
        row
    }
}

/// Only people who use the service or manage it can be imported; the owner is one person,
/// appointed deliberately, never in bulk. An empty role means an ordinary user.
fn parse_role(input: &str) -> Result<Role, String> {
    match input.to_lowercase().as_str() {
        "" | "user" => Ok(Role::User),
        "admin" => Ok(Role::Admin),
        _ => Err(format!("Unknown role \"{input}\": use user or admin.")),
    }
}

/// One record of the file and the line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field, having read nothing but whitespace.
    FieldStart,
    /// Inside a field that did not start with a quote; quotes in it are plain characters.
    Unquoted,
    /// Inside a quoted field: commas and line breaks are part of the value, `""` is a quote.
    Quoted,
    /// After the closing quote; anything up to the next comma is kept as typed.
    AfterQuote,
}

/// Splits the text into records, skipping blank ones, and stops as soon as there are more
/// than a header and [`MAX_ROWS`] rows.
///
/// Lenient where spreadsheets and hand-edited files differ from RFC 4180: whitespace before an
/// opening quote is ignored, a quote inside an unquoted field is a plain character, and a lone
/// CR (old Mac files) is a line break like LF and CRLF.
fn split_records(text: &str) -> Result<Vec<Record>, ImportError> {
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut state = State::FieldStart;
    let mut line = 1;
    let mut record_line = 1;
    let mut quote_line = 1;
    let mut chars = text.chars().peekable();

    while let Some(mut c) = chars.next() {
        if c == '\r' {
            let _ = chars.next_if_eq(&'\n');
            c = '\n';
        }
        if state == State::Quoted {
            match c {
                '"' => {
                    if chars.next_if_eq(&'"').is_some() {
                        field.push('"');
                    } else {
                        state = State::AfterQuote;
                    }
                }
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            ',' => {
                fields.push(std::mem::take(&mut field));
                state = State::FieldStart;
            }
            '\n' => {
                fields.push(std::mem::take(&mut field));
                push_record(&mut records, record_line, std::mem::take(&mut fields))?;
                line += 1;
                record_line = line;
                state = State::FieldStart;
            }
            '"' if state == State::FieldStart => {
                field.clear();
                quote_line = line;
                state = State::Quoted;
            }
            _ => {
                field.push(c);
                if state == State::FieldStart && !c.is_whitespace() {
                    state = State::Unquoted;
                }
            }
        }
    }
    if state == State::Quoted {
        return Err(ImportError::UnclosedQuote(quote_line));
    }
    // The last line need not end with a line break; if it does, this record is blank.
    fields.push(field);
    push_record(&mut records, record_line, fields)?;
    Ok(records)
}

/// Keeps a record unless every field is blank: besides empty lines, spreadsheets export rows
/// of bare commas for cells that were only formatted, and those carry nothing to import.
fn push_record(
    records: &mut Vec<Record>,
    line: usize,
    fields: Vec<String>,
) -> Result<(), ImportError> {
    if fields.iter().all(|field| field.trim().is_empty()) {
        return Ok(());
    }
    // The header plus MAX_ROWS rows are already there.
    if records.len() > MAX_ROWS {
        return Err(ImportError::TooManyRows);
    }
    records.push(Record { line, fields });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ImportPreview {
        parse_user_csv(text).expect("the file as a whole should be accepted")
    }

    fn generated(rows: usize) -> String {
        let mut text = String::from("name,email,role\n");
        for i in 1..=rows {
            text.push_str(&format!("Person {i},person{i}@example.com,user\n"));
        }
        text
    }

    fn email(text: &str) -> Option<Email> {
        Some(Email::parse(text).unwrap())
    }

    #[test]
    fn happy_path_with_columns_in_any_order_and_case() {
        let preview = parse(
            "Role, EMAIL ,Name\nadmin,Anna.Berg@Example.com,Anna Berg\nUSER, bo@example.com ,  Bo  \n",
        );
        assert_eq!(
            preview.rows,
            vec![
                ImportRow {
                    line: 2,
                    name: "Anna Berg".into(),
                    email_input: "Anna.Berg@Example.com".into(),
                    email: email("anna.berg@example.com"),
                    role: Some(Role::Admin),
                    errors: vec![],
                },
                ImportRow {
                    line: 3,
                    name: "Bo".into(),
                    email_input: "bo@example.com".into(),
                    email: email("bo@example.com"),
                    role: Some(Role::User),
                    errors: vec![],
                },
            ]
        );
        assert!(preview.is_valid());
        assert_eq!(preview.error_count(), 0);
    }

    #[test]
    fn quoted_fields_with_commas_newlines_and_quotes() {
        let preview = parse(concat!(
            "name,email,role\n",
            "\"Berg, Anna\",anna@example.com,user\n",
            "\"Multi\nLine\",ml@example.com,\n",
            "\"Say \"\"hi\"\"\",hi@example.com,\"admin\"\n",
            " O\"Brien , \"ob@example.com\" ,user\n",
        ));
        let rows = &preview.rows;
        assert_eq!(rows.len(), 4);
        assert!(preview.is_valid(), "{rows:?}");
        assert_eq!((rows[0].line, rows[0].name.as_str()), (2, "Berg, Anna"));
        // Line breaks inside a name are read, then folded to spaces like any name typed in.
        assert_eq!((rows[1].line, rows[1].name.as_str()), (3, "Multi Line"));
        // The row after a field spanning two lines starts on line 5.
        assert_eq!((rows[2].line, rows[2].name.as_str()), (5, "Say \"hi\""));
        assert_eq!(rows[2].role, Some(Role::Admin));
        assert_eq!((rows[3].line, rows[3].name.as_str()), (6, "O\"Brien"));
        assert_eq!(rows[3].email_input, "ob@example.com");
    }

    #[test]
    fn byte_order_mark_is_ignored() {
        let preview = parse("\u{feff}name,email,role\nAnna,anna@example.com,user");
        assert!(preview.is_valid());
        assert_eq!(preview.rows[0].line, 2);
        assert_eq!(preview.rows[0].name, "Anna");
    }

    #[test]
    fn crlf_line_endings() {
        let preview = parse(concat!(
            "name,email,role\r\n",
            "Anna,anna@example.com,user\r\n",
            "\"Two\r\nLines\",two@example.com,admin\r\n",
            "Carl,carl@example.com,\r\n",
        ));
        assert!(preview.is_valid(), "{:?}", preview.rows);
        let lines: Vec<usize> = preview.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(preview.rows[1].name, "Two Lines");
        assert_eq!(preview.rows[2].role, Some(Role::User));
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let preview = parse(
            "\nname,email,role\n\nAnna,anna@example.com,user\n   \n,,\n\nBo,bo@example.com,user\n\n\n",
        );
        assert!(preview.is_valid());
        let lines: Vec<usize> = preview.rows.iter().map(|row| row.line).collect();
        assert_eq!(lines, [4, 8]);
    }

    #[test]
    fn empty_files() {
        for text in ["", "\u{feff}", "\n\n  \r\n", ",,\n"] {
            assert_eq!(parse_user_csv(text), Err(ImportError::Empty), "{text:?}");
        }
    }

    #[test]
    fn header_only_has_no_rows_and_is_not_valid() {
        let preview = parse("name,email,role\n");
        assert!(preview.rows.is_empty());
        assert!(!preview.is_valid());
        assert_eq!(preview.error_count(), 0);
    }

    #[test]
    fn duplicates_in_the_file_name_the_first_line() {
        let preview = parse(concat!(
            "name,email,role\n",
            "Anna,anna@example.com,user\n",
            "Anna B,ANNA@example.com,user\n",
            "Other,other@example.com,user\n",
            "Anna C, Anna@Example.COM ,admin\n",
        ));
        let again = ["This email also appears on line 2."];
        assert!(preview.rows[0].errors.is_empty());
        assert_eq!(preview.rows[1].errors, again);
        assert!(preview.rows[2].errors.is_empty());
        assert_eq!(preview.rows[3].errors, again);
        assert_eq!(preview.rows[3].email, email("anna@example.com"));
        assert_eq!(preview.error_count(), 2);
        assert!(!preview.is_valid());
    }

    #[test]
    fn roles() {
        let preview = parse(concat!(
            "name,email,role\n",
            "A,a@example.com,owner\n",
            "B,b@example.com,superuser\n",
            "C,c@example.com, Admin \n",
            "D,d@example.com,\n",
            "E,e@example.com,USER\n",
            "F,f@example.com,reseller_admin\n",
        ));
        let roles: Vec<Option<Role>> = preview.rows.iter().map(|row| row.role).collect();
        assert_eq!(
            roles,
            [
                None,
                None,
                Some(Role::Admin),
                Some(Role::User),
                Some(Role::User),
                None
            ]
        );
        assert_eq!(
            preview.rows[0].errors,
            ["Unknown role \"owner\": use user or admin."]
        );
        assert_eq!(
            preview.rows[1].errors,
            ["Unknown role \"superuser\": use user or admin."]
        );
        assert_eq!(preview.error_count(), 3);
    }

    #[test]
    fn missing_columns() {
        assert_eq!(
            parse_user_csv("name,role\nAnna,user\n"),
            Err(ImportError::MissingColumns("email".into()))
        );
        assert_eq!(
            parse_user_csv("Email\n"),
            Err(ImportError::MissingColumns("name, role".into()))
        );
        // No header at all: the first person is read as one.
        assert_eq!(
            parse_user_csv("Anna,anna@example.com,user\n"),
            Err(ImportError::MissingColumns("name, email, role".into()))
        );
        // A misspelt column is reported as missing, which names the right spelling.
        assert_eq!(
            parse_user_csv("nme,email,role\n"),
            Err(ImportError::MissingColumns("name".into()))
        );
        assert_eq!(
            ImportError::MissingColumns("email".into()).to_string(),
            "Missing column(s): email. The first line must be: name,email,role"
        );
    }

    #[test]
    fn unknown_columns() {
        assert_eq!(
            parse_user_csv("name,email,role,Phone,team\n"),
            Err(ImportError::UnknownColumns("Phone, team".into()))
        );
        assert_eq!(
            parse_user_csv("name,email,role,Name\n"),
            Err(ImportError::UnknownColumns("Name (repeated)".into()))
        );
        assert_eq!(
            parse_user_csv("name,email,role,\n"),
            Err(ImportError::UnknownColumns("(empty)".into()))
        );
        assert_eq!(
            ImportError::UnknownColumns("phone".into()).to_string(),
            "Unknown column(s): phone. Use only: name,email,role"
        );
    }

    #[test]
    fn wrong_field_count_is_reported_not_dropped() {
        let preview = parse(concat!(
            "name,email,role\n",
            "Anna,anna@example.com\n",
            "Berg, Bo,bo@example.com,user\n",
            "Carl,carl@example.com,user\n",
        ));
        let rows = &preview.rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].errors, ["Expected 3 fields, found 2."]);
        assert_eq!(rows[0].name, "Anna");
        assert_eq!(rows[0].email_input, "anna@example.com");
        assert_eq!((rows[0].email.clone(), rows[0].role), (None, None));
        assert_eq!(rows[1].errors, ["Expected 3 fields, found 4."]);
        assert!(rows[2].errors.is_empty());
        assert_eq!(preview.error_count(), 2);
    }

    #[test]
    fn name_and_email_problems() {
        let long = "é".repeat(MAX_NAME_CHARS + 1);
        let longest = "é".repeat(MAX_NAME_CHARS);
        let preview = parse(&format!(
            "name,email,role\n  ,,boss\n{long},a@example.com,user\n{longest},anna@example,user\n"
        ));
        let rows = &preview.rows;
        assert_eq!(
            rows[0].errors,
            [
                "Enter a name.",
                "Enter an email address.",
                "Unknown role \"boss\": use user or admin.",
            ]
        );
        assert_eq!(rows[1].errors, ["A name has at most 100 characters."]);
        assert_eq!(rows[2].errors, ["This is not a valid email address."]);
        assert_eq!(rows[2].email, None);
        assert_eq!(rows[2].email_input, "anna@example");
        assert_eq!(preview.error_count(), 3);
        assert!(!preview.is_valid());
    }

    #[test]
    fn too_many_rows() {
        let at_limit = parse(&generated(MAX_ROWS));
        assert_eq!(at_limit.rows.len(), MAX_ROWS);
        assert!(at_limit.is_valid());
        // Blank lines do not count towards the limit.
        let with_blanks = format!("{}\n\n\n", generated(MAX_ROWS));
        assert!(parse_user_csv(&with_blanks).is_ok());
        assert_eq!(
            parse_user_csv(&generated(MAX_ROWS + 1)),
            Err(ImportError::TooManyRows)
        );
    }

    #[test]
    fn too_large() {
        let header = "name,email,role\n";
        let at_limit = format!("{header}{}", "\n".repeat(MAX_BYTES - header.len()));
        assert_eq!(at_limit.len(), MAX_BYTES);
        assert!(parse_user_csv(&at_limit).is_ok());
        let over = format!("{at_limit}\n");
        assert_eq!(parse_user_csv(&over), Err(ImportError::TooLarge));
    }

    #[test]
    fn unclosed_quote_names_the_line_it_opened_on() {
        assert_eq!(
            parse_user_csv(concat!(
                "name,email,role\n",
                "Anna,anna@example.com,user\n",
                "\"Bo,bo@example.com,user\n",
                "Carl,carl@example.com,user\n",
            )),
            Err(ImportError::UnclosedQuote(3))
        );
        assert_eq!(
            parse_user_csv("\"name,email,role\n"),
            Err(ImportError::UnclosedQuote(1))
        );
        assert_eq!(
            ImportError::UnclosedQuote(3).to_string(),
            "Line 3: a quoted field is not closed."
        );
    }

    #[test]
    fn mark_existing_flags_known_addresses_once() {
        let mut preview = parse(concat!(
            "name,email,role\n",
            "Anna,Anna@Example.com,user\n",
            "Bo,bo@example.com,user\n",
            "Bad,anna@example,user\n",
        ));
        assert_eq!(preview.error_count(), 1);
        let existing: HashSet<String> = ["anna@example.com".to_owned(), "anna@example".to_owned()]
            .into_iter()
            .collect();
        preview.mark_existing(&existing);
        preview.mark_existing(&existing);
        assert_eq!(preview.rows[0].errors, [ALREADY_EXISTS]);
        assert!(preview.rows[1].errors.is_empty());
        // An invalid address is not looked up.
        assert_eq!(
            preview.rows[2].errors,
            ["This is not a valid email address."]
        );
        assert_eq!(preview.error_count(), 2);
        assert!(!preview.is_valid());
    }

    #[test]
    fn validity_and_error_count() {
        assert!(!ImportPreview { rows: vec![] }.is_valid());
        let mut preview = parse("name,email,role\nAnna,anna@example.com,user\n");
        assert!(preview.is_valid());
        assert_eq!(preview.error_count(), 0);
        preview.rows[0].errors.push("Something.".into());
        preview.rows[0].errors.push("Something else.".into());
        assert!(!preview.is_valid());
        assert_eq!(preview.error_count(), 1);
    }

    #[test]
    fn a_thousand_generated_rows_are_valid() {
        let preview = parse(&generated(1_000));
        assert_eq!(preview.rows.len(), 1_000);
        assert!(preview.is_valid());
        assert_eq!(preview.rows[999].line, 1_001);
        assert_eq!(preview.rows[999].email, email("person1000@example.com"));
    }

    #[test]
    fn preview_round_trips_through_json() {
        let preview = parse("name,email,role\nAnna,anna@example.com,admin\nBo,bo,x\n");
        let json = serde_json::to_string(&preview).unwrap();
        assert_eq!(
            serde_json::from_str::<ImportPreview>(&json).unwrap(),
            preview
        );
    }

    proptest::proptest! {
        /// Any file content, however broken (quotes, NULs, bidi marks, odd line ends), gives a
        /// preview or an error, never a panic.
        #[test]
        fn checking_any_text_never_panics(input in "(?s).{0,400}") {
            if let Ok(preview) = parse_user_csv(&input) {
                let _ = preview.is_valid();
            }
        }
    }
}
