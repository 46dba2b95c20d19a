//! Long lists come a page at a time: the page asked for (always a sane number) and the page
//! answered (its rows, and whether another follows).
//!
//! Every list fetches one row more than a page holds, so "is there a next page" costs no count.

use serde::{Deserialize, Serialize};

/// Pages beyond this are answered as this one: no offset can overflow, and nobody pages through
/// a hundred thousand pages by hand.
pub const MAX_PAGE: u64 = 100_000;

/// A page of a list, as asked for: a number from 1 to `MAX_PAGE` and the list's page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    number: u64,
    per_page: u64,
}

impl PageRequest {
    /// Any number is accepted: 0 is the first page, anything past `MAX_PAGE` the last one.
    pub fn new(number: u64, per_page: u64) -> Self {
        Self {
            number: number.clamp(1, MAX_PAGE),
            per_page: per_page.max(1),
        }
    }

    pub fn number(self) -> u64 {
        self.number
    }

    pub fn per_page(self) -> u64 {
        self.per_page
    }

    /// Rows before this page.
    pub fn offset(self) -> u64 {
        (self.number - 1) * self.per_page
    }

    /// How many rows to fetch: one more than a page, to learn whether another page follows.
    pub fn fetch(self) -> u64 {
        self.per_page + 1
    }

    /// The page made of the rows fetched with `offset` and `fetch`.
    pub fn page_of<T>(self, mut rows: Vec<T>) -> Page<T> {
        let has_next = rows.len() as u64 > self.per_page;
        rows.truncate(self.per_page as usize);
        Page {
            rows,
            page: self.number,
            per_page: self.per_page,
            has_next,
        }
    }
}

/// One page of a list, as answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// The page number, from 1.
    pub page: u64,
    pub per_page: u64,
    /// Another page follows this one.
    pub has_next: bool,
}

impl<T> Page<T> {
    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    /// The same page with every row turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            rows: self.rows.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            has_next: self.has_next,
        }
    }

    /// The same page holding `rows` instead, for rows converted in bulk (`rows` must have been
    /// made from this page's rows, in order).
    pub fn with_rows<U>(self, rows: Vec<U>) -> Page<U> {
        Page {
            rows,
            page: self.page,
            per_page: self.per_page,
            has_next: self.has_next,
        }
    }

    /// As `map`, for a conversion that can fail: the first failure is the answer.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            rows: self.rows.into_iter().map(f).collect::<Result<_, _>>()?,
            page: self.page,
            per_page: self.per_page,
            has_next: self.has_next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_clamped() {
        assert_eq!(PageRequest::new(0, 25).number(), 1);
        assert_eq!(PageRequest::new(u64::MAX, 25).number(), MAX_PAGE);
        assert_eq!(PageRequest::new(u64::MAX, 25).offset(), (MAX_PAGE - 1) * 25);
        assert_eq!(PageRequest::new(3, 25).offset(), 50);
        assert_eq!(PageRequest::new(1, 0).per_page(), 1);
    }

    #[test]
    fn one_extra_row_means_a_next_page() {
        let request = PageRequest::new(2, 3);
        assert_eq!(request.fetch(), 4);
        let page = request.page_of(vec![1, 2, 3, 4]);
        assert_eq!(page.rows, vec![1, 2, 3]);
        assert!(page.has_next);
        assert!(page.has_previous());
        let last = request.page_of(vec![1, 2, 3]);
        assert!(!last.has_next);
        let first = PageRequest::new(1, 3).page_of(Vec::<i32>::new());
        assert!(!first.has_previous() && !first.has_next);
    }
}
