//! Located diagnostics: every problem names where it is, the JSON pointer of a spec node or a
//! line of the spec's table.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on, but the user should know (for example a documented fallback was used).
    Warning,
    /// Generation fails; nothing is written.
    Error,
}

/// Where a diagnostic is. Pointers sort before lines, and lines by file, then number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A node of the spec, by its JSON pointer (`#/paths/~1contacts/get`).
    Pointer(String),
    /// A line of a file read beside the spec (the table's `spec/pagination.txt`), counted from 1.
    Line {
        /// The file, as the caller named it.
        file: String,
        /// The line number.
        line: usize,
    },
}

impl Location {
    /// The JSON pointer, when this is a spec node.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Location::Pointer(pointer) => Some(pointer),
            Location::Line { .. } => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Pointer(pointer) => f.write_str(pointer),
            Location::Line { file, line } => write!(f, "{file}:{line}"),
        }
    }
}

impl From<String> for Location {
    fn from(pointer: String) -> Self {
        Location::Pointer(pointer)
    }
}

impl From<&String> for Location {
    fn from(pointer: &String) -> Self {
        Location::Pointer(pointer.clone())
    }
}

impl From<&str> for Location {
    fn from(pointer: &str) -> Self {
        Location::Pointer(pointer.to_owned())
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
    }
}

/// One problem found in a spec or its table, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Where the problem is.
    pub at: Location,
    /// Whether this stops generation.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.at, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// A sorted, de-duplicated set of diagnostics collected through a phase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error at `at`.
    pub fn error(&mut self, at: impl Into<Location>, message: impl Into<String>) {
        self.push(at.into(), Severity::Error, message.into(), None);
    }

    /// Records an error at `at` with a hint on how to fix it.
    pub fn error_hint(
        &mut self,
        at: impl Into<Location>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(at.into(), Severity::Error, message.into(), Some(hint.into()));
    }

    /// Records a warning at `at`.
    pub fn warning(&mut self, at: impl Into<Location>, message: impl Into<String>) {
        self.push(at.into(), Severity::Warning, message.into(), None);
    }

    fn push(&mut self, at: Location, severity: Severity, message: String, hint: Option<String>) {
        self.items.push(Diagnostic { at, severity, message, hint });
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// A mark of how many diagnostics there are, for [`Diagnostics::demote_since`].
    pub(crate) fn mark(&self) -> usize {
        self.items.len()
    }

    /// Turns the errors recorded since `mark` at `pointer` or below it into warnings that end
    /// with `consequence`; says whether there were any.
    pub(crate) fn demote_since(&mut self, mark: usize, pointer: &str, consequence: &str) -> bool {
        let mut demoted = false;
        for d in self.items.iter_mut().skip(mark) {
            let below = d.at.pointer().is_some_and(|p| p == pointer || p.starts_with(&format!("{pointer}/")));
            if d.severity == Severity::Error && below {
                d.severity = Severity::Warning;
                d.message = format!("{}; {consequence}", d.message);
                demoted = true;
            }
        }
        demoted
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostics sorted by location, then severity and text, without repeats.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }

    /// The diagnostics in the order they were recorded.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sorted = self.clone().into_sorted();
        for (i, d) in sorted.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Escapes one path segment for use in a JSON pointer (RFC 6901).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The name a `$ref` gives within `#/components/<section>/`: the fragment's percent-encoding
/// decoded, then its JSON pointer escapes (`~1` is `/`, `~0` is `~`), as RFC 3986 and RFC 6901
/// say. `None` when the reference points elsewhere or does not decode.
pub fn component_key(reference: &str, section: &str) -> Option<String> {
    let encoded = reference.strip_prefix("#/components/")?.strip_prefix(section)?.strip_prefix('/')?;
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let key = String::from_utf8(decoded).ok()?;
    Some(key.replace("~1", "/").replace("~0", "~"))
}

/// Appends `segment`, escaped, to `pointer`.
pub fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape(segment))
}

#[cfg(test)]
mod tests {
    use super::component_key;

    #[test]
    fn component_keys_are_decoded_as_pointers_and_fragments() {
        assert_eq!(component_key("#/components/schemas/contact", "schemas").as_deref(), Some("contact"));
        assert_eq!(component_key("#/components/parameters/a~1b", "parameters").as_deref(), Some("a/b"));
        assert_eq!(component_key("#/components/schemas/a~01", "schemas").as_deref(), Some("a~1"));
        assert_eq!(component_key("#/components/schemas/a%20b", "schemas").as_deref(), Some("a b"));
        assert_eq!(component_key("#/components/schemas/a", "responses"), None);
        assert_eq!(component_key("#/components/schemas/a%2", "schemas"), None);
        assert_eq!(component_key("#/components/schemas/%FF", "schemas"), None);
        assert_eq!(component_key("other.yaml#/components/schemas/a", "schemas"), None);
    }
}
