//! Located diagnostics: every problem names the JSON pointer of the spec node it is about.

use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation goes on, but the user should know (for example a documented fallback was used).
    Warning,
    /// Generation fails; nothing is written.
    Error,
}

/// One problem found in a spec, located by a JSON pointer into the document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The JSON pointer of the offending node, such as `#/paths/~1contacts/get`.
    pub pointer: String,
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
        write!(f, "{level}: {}: {}", self.pointer, self.message)?;
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
    /// Records an error at `pointer`.
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(pointer.into(), Severity::Error, message.into(), None);
    }

    /// Records an error at `pointer` with a hint on how to fix it.
    pub fn error_hint(
        &mut self,
        pointer: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(pointer.into(), Severity::Error, message.into(), Some(hint.into()));
    }

    /// Records a warning at `pointer`.
    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(pointer.into(), Severity::Warning, message.into(), None);
    }

    fn push(&mut self, pointer: String, severity: Severity, message: String, hint: Option<String>) {
        self.items.push(Diagnostic { pointer, severity, message, hint });
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
            let below = d.pointer == pointer || d.pointer.starts_with(&format!("{pointer}/"));
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

    /// The diagnostics sorted by pointer, then severity and text, without repeats.
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
