//! Format: a parsed file → the text that is written. prettyplease prints it, and blank lines
//! go between items as in hand-written code. The stage after emit; it knows nothing of the model.

/// The Rust text of `file`, as prettyplease prints it.
pub(crate) fn unparse(file: &syn::File) -> String {
    prettyplease::unparse(file)
}

/// A whole file: the generated header, then `text` (one printed file, or the printed parts of
/// one joined in order) with its items spaced.
pub(crate) fn finish(header: &str, text: &str) -> String {
    space_items(&format!("{header}{text}"))
}

/// Puts a blank line between items, as hand-written code has: before an item, attribute, doc
/// comment or comment that follows, at the same indentation, the closing brace of the one before.
/// prettyplease prints items back to back.
pub(crate) fn space_items(text: &str) -> String {
    const STARTS: &[&str] = &[
        "#[",
        "///",
        "//",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "async fn ",
        "const ",
        "static ",
        "struct ",
        "enum ",
        "type ",
        "mod ",
        "use ",
        "trait ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    // Inside a crate-level `#![…]` attribute, and whether the previous line ended one.
    let (mut in_inner, mut after_inner) = (false, false);
    for line in text.lines() {
        if let Some(before) = previous {
            let indent = before.len() - before.trim_start().len();
            let closes = matches!(before.trim_start(), "}" | "};") || after_inner;
            let same_indent = line.len() - line.trim_start().len() == indent && line.len() > indent;
            if closes && same_indent && STARTS.iter().any(|s| line[indent..].starts_with(s)) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("#![") || in_inner {
            in_inner = !line.ends_with(']');
            after_inner = !in_inner;
        } else {
            after_inner = false;
        }
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn items_are_spaced_and_bodies_are_not() {
        let text = "#![allow(\n    x\n)]\n/// A.\nstruct A {\n    a: u8,\n}\nimpl A {\n    fn f() {\n        if x {\n        }\n        let y = 1;\n    }\n    fn g() {}\n}\n";
        let spaced = "#![allow(\n    x\n)]\n\n/// A.\nstruct A {\n    a: u8,\n}\n\nimpl A {\n    fn f() {\n        if x {\n        }\n        let y = 1;\n    }\n\n    fn g() {}\n}\n";
        assert_eq!(space_items(text), spaced);
    }
}
