//! The pagination table: which operations page, and how.
//!
//! Most of Intercom's list operations do not declare their cursor parameters, and nothing in a
//! spec says which of five styles an operation uses, so this is data kept beside the spec. One
//! line per operation:
//!
//! ```text
//! # operation-id          style     items
//! ListContacts            cursor    data
//! searchArticles          page      data.articles
//! listSegments            none
//! ```
//!
//! `items` is the path of the array of items in a page, field by field. `none` says that an
//! operation whose response carries `pages` returns everything at once, so that the generator
//! does not warn about it.

use crate::diag::Diagnostics;

/// How an operation's pages follow one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `starting_after` in the query; the next cursor is `pages.next.starting_after`.
    Cursor,
    /// `pagination.starting_after` in a JSON request body; the next cursor as for `Cursor`.
    Search,
    /// `page` (and `per_page`) in the query; stops at `pages.total_pages` or an empty page.
    Page,
    /// `page` at the top of a JSON request body; stops as for `Page`.
    SearchPage,
    /// `pages.next` is the URL of the next page.
    NextUrl,
    /// `scroll_param` in the query, from the page's own `scroll_param`; stops on an empty page.
    Scroll,
}

impl PageStyle {
    /// The word the table uses.
    pub fn word(self) -> &'static str {
        match self {
            PageStyle::Cursor => "cursor",
            PageStyle::Search => "search",
            PageStyle::Page => "page",
            PageStyle::SearchPage => "search-page",
            PageStyle::NextUrl => "next-url",
            PageStyle::Scroll => "scroll",
        }
    }

    const ALL: [PageStyle; 6] = [
        PageStyle::Cursor,
        PageStyle::Search,
        PageStyle::Page,
        PageStyle::SearchPage,
        PageStyle::NextUrl,
        PageStyle::Scroll,
    ];
}

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationEntry {
    /// Where the line is (`spec/pagination.txt:12`), for diagnostics.
    pub location: String,
    /// The operation's `operationId`.
    pub operation: String,
    /// How it pages; `None` for an operation that the table marks as not paged.
    pub style: Option<PageStyle>,
    /// The field path of the items array in a page (`data`, `data.articles`).
    pub items: Vec<String>,
}

/// The parsed table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationTable {
    /// The lines, in file order.
    pub entries: Vec<PaginationEntry>,
}

impl PaginationTable {
    /// Parses a table; `label` names the file in diagnostics. Every malformed line is reported.
    pub fn parse(text: &str, label: &str) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut entries: Vec<PaginationEntry> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let location = format!("{label}:{}", i + 1);
            let content = line.split('#').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            let words: Vec<&str> = content.split_whitespace().collect();
            let (operation, style, items) = match words.as_slice() {
                [op, "none"] => (*op, None, Vec::new()),
                [op, style, items] => match PageStyle::ALL.iter().find(|s| s.word() == *style) {
                    Some(style) => (*op, Some(*style), items.split('.').map(str::to_owned).collect()),
                    None => {
                        let styles: Vec<&str> = PageStyle::ALL.iter().map(|s| s.word()).collect();
                        diags.error_hint(
                            &location,
                            format!("unknown pagination style `{style}`"),
                            format!("use {} or none", styles.join(", ")),
                        );
                        continue;
                    }
                },
                _ => {
                    diags.error_hint(
                        &location,
                        format!("cannot read `{content}`"),
                        "write `<operation-id> <style> <items field path>`, or `<operation-id> none`",
                    );
                    continue;
                }
            };
            if items.iter().any(String::is_empty) {
                diags.error(&location, format!("the items path of `{operation}` has an empty field name"));
                continue;
            }
            if let Some(first) = entries.iter().find(|e| e.operation == operation) {
                diags.error(&location, format!("`{operation}` is already listed at {}", first.location));
                continue;
            }
            entries.push(PaginationEntry { location, operation: operation.to_owned(), style, items });
        }
        if diags.has_errors() { Err(diags) } else { Ok(PaginationTable { entries }) }
    }
}
