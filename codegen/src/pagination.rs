//! The spec's table: data kept beside a spec that the spec itself cannot say. It has three
//! sections; lines before any section header belong to `[pagination]`.
//!
//! `[pagination]`: which operations page, and how. Most of Intercom's list operations do not
//! declare their cursor parameters, and nothing in a spec says which of five styles an
//! operation uses. One line per operation:
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
//!
//! `[methods]`: the Rust method of an operation, where its `operationId` reads badly
//! (`retrieveCompany` lists companies):
//!
//! ```text
//! retrieveCompany         list
//! ```
//!
//! `[types]`: the Rust name of a schema's type, by the schema's JSON pointer (a component's or
//! an inline schema's):
//!
//! ```text
//! DatasetList             #/paths/~1export~1reporting_data~1get_datasets/get/responses/200/content/application~1json/schema
//! ```
//!
//! `[evidence]`: what Intercom's servers do that the spec does not say, each line with a comment
//! citing its evidence (an example in the spec, a documented behaviour, or a recorded response's
//! shape). `sent` names a property (by its schema's JSON pointer) that every response carries:
//! its field is not an `Option`, and a response without it is a decode error. `object` names an
//! operation whose success body is never `null`, though its schema is nullable. `mixed` names a
//! `oneOf` of lists (by its JSON pointer) that the server takes as one list whose items may be of
//! any branch's item type:
//!
//! `field` names a property the description lacks (by the JSON pointer it would have) and its JSON
//! type (`string`, `integer`, `number`, `boolean`, `object` or `array`): an optional field of
//! that type, where it would otherwise land in `extra`. `branch` adds a JSON type to the `oneOf`
//! or `anyOf` at a pointer, where the server sends values of a kind no branch takes:
//!
//! ```text
//! sent     #/components/schemas/contact/properties/id     # every contact in the spec's examples has it
//! object   identifyAdmin                                  # a successful call returns the admin
//! mixed    #/components/schemas/group/properties/value    # groups nest beside filters
//! field    #/components/schemas/contact/properties/sms_consent  boolean   # recorded contacts carry it
//! branch   #/components/schemas/custom_attributes/additionalProperties  boolean   # recorded values
//! ```
//!
//! A comment starts at a `#` followed by a space (or ending the line), so pointers keep theirs.
//! The file is still called `pagination.txt`, its first use.

use crate::diag::{Diagnostics, Location};

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
    pub location: Location,
    /// The operation's `operationId`.
    pub operation: String,
    /// How it pages; `None` for an operation that the table marks as not paged.
    pub style: Option<PageStyle>,
    /// The field path of the items array in a page (`data`, `data.articles`).
    pub items: Vec<String>,
}

/// One line of the `[methods]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodEntry {
    /// Where the line is, for diagnostics.
    pub location: Location,
    /// The operation's id (its `operationId`, or the one derived from method and path).
    pub operation: String,
    /// The method name, a snake_case identifier.
    pub method: String,
}

/// One line of the `[types]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeEntry {
    /// Where the line is, for diagnostics.
    pub location: Location,
    /// The type's name, a CamelCase identifier.
    pub name: String,
    /// The JSON pointer of the schema.
    pub pointer: String,
}
/// One line of the `[evidence]` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceEntry {
    /// Where the line is, for diagnostics.
    pub location: Location,
    /// What the line says.
    pub fact: Evidence,
}

/// What an `[evidence]` line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// The property at this JSON pointer is in every response that holds its object.
    Sent(String),
    /// The success body of the operation with this id is never `null`.
    Object(String),
    /// The `oneOf` of lists at this JSON pointer is one list of any branch's items.
    Mixed(String),
    /// The server sends the property at this JSON pointer, which the description lacks, with
    /// values of this JSON type.
    Field(String, JsonKind),
    /// The server sends values of this JSON type for the union at this JSON pointer.
    Branch(String, JsonKind),
}

/// A JSON type an `[evidence]` line gives a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// `string`.
    String,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `object`: any JSON object, kept as JSON.
    Object,
    /// `array`: a list of any JSON values.
    Array,
}

impl JsonKind {
    fn of_word(word: &str) -> Option<JsonKind> {
        Some(match word {
            "string" => JsonKind::String,
            "integer" => JsonKind::Integer,
            "number" => JsonKind::Number,
            "boolean" => JsonKind::Boolean,
            "object" => JsonKind::Object,
            "array" => JsonKind::Array,
            _ => return None,
        })
    }
}

/// The parsed table of a spec (see the module docs).
/// The parsed table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecTable {
    /// The `[pagination]` lines, in file order.
    pub entries: Vec<PaginationEntry>,
    /// The `[methods]` lines, in file order.
    pub methods: Vec<MethodEntry>,
    /// The `[types]` lines, in file order.
    pub types: Vec<TypeEntry>,
    /// The `[evidence]` lines, in file order.
    pub evidence: Vec<EvidenceEntry>,
}

/// The sections of the table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Pagination,
    Methods,
    Types,
    Evidence,
}

/// A line without its comment: from a `#` that is followed by whitespace or ends the line.
fn without_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))
        .unwrap_or(bytes.len());
    line[..end].trim()
}

impl SpecTable {
    /// Parses a table; `label` names the file in diagnostics. Every malformed line is reported.
    pub fn parse(text: &str, label: &str) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::default();
        let mut table = SpecTable::default();
        let mut section = Section::Pagination;
        for (i, line) in text.lines().enumerate() {
            let location = Location::Line { file: label.to_owned(), line: i + 1 };
            let content = without_comment(line);
            if content.is_empty() {
                continue;
            }
            let words: Vec<&str> = content.split_whitespace().collect();
            match (words.as_slice(), section) {
                (["[pagination]"], _) => section = Section::Pagination,
                (["[methods]"], _) => section = Section::Methods,
                (["[types]"], _) => section = Section::Types,
                (["[evidence]"], _) => section = Section::Evidence,
                ([header], _) if header.starts_with('[') => diags.error_hint(
                    &location,
                    format!("unknown section `{header}`"),
                    "the sections are [pagination], [methods], [types] and [evidence]",
                ),
                (words, Section::Pagination) => table.pagination_line(words, content, location, &mut diags),
                ([operation, method], Section::Methods) => {
                    if let Some(first) = table.methods.iter().find(|e| e.operation == *operation) {
                        diags.error(
                            &location,
                            format!("`{operation}` is already named at {}", first.location),
                        );
                        continue;
                    }
                    let method = (*method).to_owned();
                    table.methods.push(MethodEntry { location, operation: (*operation).to_owned(), method });
                }
                ([name, pointer], Section::Types) => {
                    if !pointer.starts_with("#/") {
                        diags.error_hint(
                            &location,
                            format!("`{pointer}` is not a JSON pointer"),
                            "write `#/…`",
                        );
                        continue;
                    }
                    if let Some(first) = table.types.iter().find(|e| e.pointer == *pointer) {
                        diags.error(&location, format!("`{pointer}` is already named at {}", first.location));
                        continue;
                    }
                    let (name, pointer) = ((*name).to_owned(), (*pointer).to_owned());
                    table.types.push(TypeEntry { location, name, pointer });
                }
                ([kind, target], Section::Evidence) if matches!(*kind, "sent" | "object" | "mixed") => {
                    let fact = if *kind == "mixed" {
                        if !target.starts_with("#/") {
                            diags.error_hint(&location, format!("`{target}` is not a JSON pointer"), "write `#/…`");
                            continue;
                        }
                        Evidence::Mixed((*target).to_owned())
                    } else if *kind == "sent" {
                        if !target.starts_with("#/") || !target.contains("/properties/") {
                            diags.error_hint(
                                &location,
                                format!("`{target}` is not the JSON pointer of a property"),
                                "write `#/components/schemas/<schema>/properties/<property>`",
                            );
                            continue;
                        }
                        Evidence::Sent((*target).to_owned())
                    } else {
                        Evidence::Object((*target).to_owned())
                    };
                    if let Some(first) = table.evidence.iter().find(|e| e.fact == fact) {
                        diags.error(&location, format!("`{target}` is already listed at {}", first.location));
                        continue;
                    }
                    table.evidence.push(EvidenceEntry { location, fact });
                }
                ([kind @ ("field" | "branch"), target, json], Section::Evidence) => {
                    let Some(json_kind) = JsonKind::of_word(json) else {
                        diags.error_hint(
                            &location,
                            format!("`{json}` is not a JSON type"),
                            "write string, integer, number, boolean, object or array",
                        );
                        continue;
                    };
                    if !target.starts_with("#/") || (*kind == "field" && !target.contains("/properties/")) {
                        diags.error_hint(
                            &location,
                            format!("`{target}` is not the JSON pointer of a {}", if *kind == "field" { "property" } else { "schema" }),
                            "write `#/components/schemas/<schema>/…`",
                        );
                        continue;
                    }
                    let target = (*target).to_owned();
                    let fact = if *kind == "field" { Evidence::Field(target, json_kind) } else { Evidence::Branch(target, json_kind) };
                    if let Some(first) = table.evidence.iter().find(|e| e.fact == fact) {
                        diags.error(&location, format!("this is already listed at {}", first.location));
                        continue;
                    }
                    table.evidence.push(EvidenceEntry { location, fact });
                }
                (_, Section::Evidence) => diags.error_hint(
                    &location,
                    format!("cannot read `{content}`"),
                    "write `sent <pointer>`, `object <operation-id>`, `mixed <pointer>`, `field <pointer> <JSON type>` or `branch <pointer> <JSON type>`, then `# ` and the evidence",
                ),
                (_, Section::Methods) => diags.error_hint(
                    &location,
                    format!("cannot read `{content}`"),
                    "write `<operation-id> <method_name>`",
                ),
                (_, Section::Types) => diags.error_hint(
                    &location,
                    format!("cannot read `{content}`"),
                    "write `<TypeName> <JSON pointer of the schema>`",
                ),
            }
        }
        if diags.has_errors() { Err(diags) } else { Ok(table) }
    }

    fn pagination_line(
        &mut self,
        words: &[&str],
        content: &str,
        location: Location,
        diags: &mut Diagnostics,
    ) {
        let (operation, style, items) = match words {
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
                    return;
                }
            },
            _ => {
                diags.error_hint(
                    &location,
                    format!("cannot read `{content}`"),
                    "write `<operation-id> <style> <items field path>`, or `<operation-id> none`",
                );
                return;
            }
        };
        if items.iter().any(String::is_empty) {
            diags.error(&location, format!("the items path of `{operation}` has an empty field name"));
            return;
        }
        if let Some(first) = self.entries.iter().find(|e| e.operation == operation) {
            diags.error(&location, format!("`{operation}` is already listed at {}", first.location));
            return;
        }
        self.entries.push(PaginationEntry { location, operation: operation.to_owned(), style, items });
    }
}
