//! The one place that turns wire names into Rust names: case, keywords, symbols, collisions.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (strict, reserved and 2024-edition ones) that cannot name a field or fn.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// The names the generated code takes for itself, by the scope it takes them in: a name from a
/// spec that would be one of them is claimed with a suffix instead (see [`Scope`]). Generic
/// parameters need no list: the emitted impls name theirs `__S` and `__D`, which no
/// `UpperCamelCase` type name can be.
pub mod reserved {
    /// Beside the tag modules, which are also never a module of the crate's shell, a method of
    /// `Client` or a feature (see `crate::shell`): `Client` is `Clone` and the crate's code clones
    /// it, so a handle named `clone` would be called instead; and the crate's dependencies and
    /// the tools whose attributes it uses (`tests/tests/tidy.rs` checks the dependencies).
    pub const MODULES: &[&str] = &[
        "clone",
        // Crates and tools the crate root names: a module of the same name, re-exported by
        // `pub use generated::*`, would make the name ambiguous there.
        "alloc",
        "async_compression",
        "bytes",
        "clippy",
        "core",
        "futures_core",
        "futures_util",
        "hmac",
        "http",
        "httpdate",
        "progenitor_client",
        "reqwest",
        "rustfmt",
        "serde",
        "serde_json",
        "serde_path_to_error",
        "sha1",
        "std",
        "tokio",
        "tokio_util",
        "tracing",
    ];

    /// On a tag's handle: its constructor, and the methods of std's traits (clippy's
    /// `should_implement_trait` list), since a method of that name would read as the trait's.
    pub const HANDLE_METHODS: &[&str] = &[
        "new",
        "add",
        "as_mut",
        "as_ref",
        "bitand",
        "bitor",
        "bitxor",
        "borrow",
        "borrow_mut",
        "clone",
        "cmp",
        "default",
        "deref",
        "deref_mut",
        "div",
        "drop",
        "eq",
        "from_iter",
        "from_str",
        "hash",
        "index",
        "index_mut",
        "into_iter",
        "mul",
        "neg",
        "next",
        "not",
        "rem",
        "shl",
        "shr",
        "sub",
    ];

    /// On a builder: its own fields, its methods, and the locals of `send`.
    pub const BUILDER: &[&str] = &[
        "client",
        "body",
        "options",
        "send",
        "into_future",
        "url",
        "request",
        "response",
        "operation",
        "pages",
        "items",
        "send_page",
        "cursor",
        "following",
    ];

    /// Among a string enum's variants: the one that keeps a value the spec does not list.
    pub const ENUM_VARIANTS: &[&str] = &["Unknown"];

    /// Among a union's variants: the one that keeps a value of a kind no branch takes.
    pub const UNION_VARIANTS: &[&str] = &["Other"];
}

/// Enum values made only of operator symbols get the name of what they mean (Intercom's search
/// operators), not a spelling of their characters.
const SYMBOL_VALUES: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("!=", "Ne"),
    ("<", "Lt"),
    (">", "Gt"),
    ("<=", "Le"),
    (">=", "Ge"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
    ("", "Empty"),
];

/// Replaces every character that cannot be in an identifier by a word break.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// The `UpperCamelCase` type name for a wire name (`ticket.type` → `TicketType`).
pub fn type_name(raw: &str) -> String {
    let name = words(raw).to_upper_camel_case();
    match name.chars().next() {
        None => "Unnamed".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) if name == "Self" => "Self_".to_owned(),
        Some(_) => name,
    }
}

/// The handle type of a tag (`Help Center` → `HelpCenterApi`): the suffix is one of the words,
/// so a tag named `Self` gives `SelfApi`, not the escaped `Self_Api`.
pub fn handle_type(tag: &str) -> String {
    type_name(&format!("{tag} api"))
}

/// The `snake_case` name of a field, parameter or method (`type` → `type_`, `pt-BR` → `pt_br`).
pub fn value_name(raw: &str) -> String {
    let name = words(raw).to_snake_case();
    match name.chars().next() {
        None => "value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("n{name}"),
        Some(_) if KEYWORDS.contains(&name.as_str()) => format!("{name}_"),
        Some(_) => name,
    }
}

/// The variant name for a string enum value (`tag.list` → `TagList`, `!=` → `Ne`, `2.10` → `V2_10`).
pub fn variant_name(value: &str) -> String {
    if let Some((_, name)) = SYMBOL_VALUES.iter().find(|(v, _)| *v == value) {
        return (*name).to_owned();
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        // Digits only (a version such as `2.10`) keep their separators as `_`; with letters
        // (`3rd_party_error`) the words are joined in UpperCamel case, as rustc expects.
        if value.chars().any(|c| c.is_ascii_alphabetic()) {
            return format!("V{}", words(value).to_upper_camel_case());
        }
        let digits: String = value.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        return format!("V{digits}");
    }
    let name = words(value).to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // `-1`, `+1` or `_2` lose their punctuation and would start with a digit.
        return format!("V{name}");
    }
    if name.is_empty() {
        // Symbols we have no word for: spell their code points so the name stays stable.
        let codes: Vec<String> = value.chars().map(|c| format!("{:X}", c as u32)).collect();
        return format!("U{}", codes.join("_"));
    }
    if name == "Self" { "Self_".to_owned() } else { name }
}

/// A set of names already taken in one scope; later claimants get a numeric suffix.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
    /// For each stem that needed a suffix, the first suffix not yet tried. Names are never
    /// given back, so every suffix below it is taken, and the search starts there: claiming one
    /// name many times stays linear.
    next: std::collections::BTreeMap<String, usize>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { taken: reserved.iter().map(|s| (*s).to_owned()).collect(), next: Default::default() }
    }

    /// Claims `base`, or `base2`, `base3`, … if it is taken, and returns the name claimed.
    pub fn claim(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        // `Self_` (a keyword's escape) numbers as `Self2`: `Self_2` is not UpperCamel case.
        let stem = if base.len() > 1 { base.strip_suffix('_').unwrap_or(base) } else { base };
        let sep = if stem.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut n = self.next.get(stem).copied().unwrap_or(2);
        let mut name = format!("{stem}{sep}{n}");
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{stem}{sep}{n}");
        }
        self.next.insert(stem.to_owned(), n + 1);
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("ticket.type"), "TicketType");
        assert_eq!(type_name("ticket_type"), "TicketType");
        assert_eq!(type_name("contact"), "Contact");
        assert_eq!(type_name("2xx"), "T2xx");
        assert_eq!(type_name(""), "Unnamed");
    }

    #[test]
    fn value_names() {
        assert_eq!(value_name("type"), "type_");
        assert_eq!(value_name("pt-BR"), "pt_br");
        assert_eq!(value_name("listContacts"), "list_contacts");
        assert_eq!(value_name("ListContacts"), "list_contacts");
        assert_eq!(value_name("1st"), "n1st");
        assert_eq!(value_name("self"), "self_");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("="), "Eq");
        assert_eq!(variant_name("!="), "Ne");
        assert_eq!(variant_name("tag.list"), "TagList");
        assert_eq!(variant_name("Back-office"), "BackOffice");
        assert_eq!(variant_name("2.10"), "V2_10");
        assert_eq!(variant_name("3rd_party_error"), "V3rdPartyError");
        assert_eq!(variant_name("2xx"), "V2xx");
        assert_eq!(variant_name("§"), "UA7");
        assert_eq!(variant_name("-1"), "V1");
        assert_eq!(variant_name("_2"), "V2");
    }

    #[test]
    fn scope_suffixes() {
        let mut scope = Scope::with_reserved(&["Client"]);
        assert_eq!(scope.claim("Client"), "Client2");
        assert_eq!(scope.claim("Contact"), "Contact");
        assert_eq!(scope.claim("Contact"), "Contact2");
        assert_eq!(scope.claim("V2"), "V2");
        assert_eq!(scope.claim("V2"), "V2_2");
    }

    /// What `claim` gave before it remembered suffixes: the first free one from 2.
    fn claim_from_two(taken: &mut BTreeSet<String>, base: &str) -> String {
        let stem = if base.len() > 1 { base.strip_suffix('_').unwrap_or(base) } else { base };
        let sep = if stem.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut name = base.to_owned();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{stem}{sep}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    }

    #[test]
    fn remembered_suffixes_give_the_names_a_search_from_two_gives() {
        // Repeats, names that are another's suffixed form, escapes and digit-ended stems, mixed.
        let bases =
            ["A", "A2", "A", "A3", "A", "Self_", "Self", "Self2", "Self_", "V2", "V2_2", "V2", "A", "a"];
        let (mut scope, mut reference) = (Scope::default(), BTreeSet::new());
        for round in 0..50 {
            for base in bases.iter().cycle().skip(round % bases.len()).take(bases.len()) {
                assert_eq!(scope.claim(base), claim_from_two(&mut reference, base), "claiming {base}");
            }
        }
        // Thousands of one name, which searching from 2 made quadratic, get every suffix in turn.
        let mut scope = Scope::default();
        let names: Vec<String> = (0..5_000).map(|_| scope.claim("field")).collect();
        assert_eq!(names[0], "field");
        assert_eq!(names[4_999], "field5000");
    }
}
