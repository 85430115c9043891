//! Doc comments from spec prose, made safe for rustdoc.
//!
//! Spec descriptions are Markdown written for a web page. Rustdoc would run their code blocks
//! as doctests, read `[word]` as a broken intra-doc link and `<id>` as an unclosed HTML tag, and
//! warn about bare URLs; this module rewrites just enough to keep `cargo doc` and doctests clean.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    quote! { #( #[doc = #lines] )* }
}

/// Doc attributes for the spec's `text`, or for `fallback` when the spec says nothing (an empty
/// description is as good as none, and every public item needs docs).
pub(crate) fn doc_or(text: Option<&str>, fallback: &str) -> TokenStream {
    match text {
        Some(text) if !sanitize(text).is_empty() => doc_attrs(text),
        _ => doc_attrs(fallback),
    }
}

/// Rewrites Markdown from the spec into lines that rustdoc accepts without warnings.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    let text = spell_bidi_controls(&text.replace("\r\n", "\n").replace('\r', "\n"));
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with("```") || line.starts_with("~~~") {
            // Fenced code in the spec is an example payload, never Rust to compile.
            out.push(if in_fence { " ```".to_owned() } else { " ```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(format!(" {}", raw.trim_end()));
            continue;
        }
        let line = admonitions(line);
        let line = line.trim();
        // Leading spaces would make an indented code block, which rustdoc also compiles.
        out.push(if line.is_empty() { String::new() } else { format!(" {}", escape_line(line)) });
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// Rewrites Intercom's Markdoc admonitions as bold text rustdoc shows:
/// `{% admonition type="warning" name="Deprecated" %}` becomes `**Warning: Deprecated.**`, and
/// the closing `{% /admonition %}` goes. Other `{% … %}` tags are left as they are.
fn admonitions(line: &str) -> String {
    const OPEN: &str = "{% admonition";
    const CLOSE: &str = "{% /admonition %}";
    if !line.contains("{%") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    // Each round consumes a tag or the rest of the line, so the loop ends.
    loop {
        let open = rest.find(OPEN);
        let close = rest.find(CLOSE);
        match (open, close) {
            (Some(at), close) if close.is_none_or(|c| at < c) => {
                let Some(end) = rest[at..].find("%}") else { break };
                let tag = &rest[at + OPEN.len()..at + end];
                out.push_str(&rest[..at]);
                let label = match attribute(tag, "type").as_deref() {
                    Some("warning") => "Warning",
                    Some("danger") => "Danger",
                    _ => "Note",
                };
                let bold = match attribute(tag, "name") {
                    Some(name) if !name.is_empty() => format!("**{label}: {name}.**"),
                    _ => format!("**{label}:**"),
                };
                join_words(&mut out, &bold);
                rest = rest[at + end + 2..].trim_start();
            }
            (_, Some(at)) => {
                join_words(&mut out, rest[..at].trim_end());
                rest = rest[at + CLOSE.len()..].trim_start();
            }
            _ => break,
        }
    }
    join_words(&mut out, rest);
    out
}

/// Appends `text` to `out` with one space between them.
fn join_words(out: &mut String, text: &str) {
    if text.is_empty() {
        return;
    }
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
    out.push_str(text);
}

/// The value of `key="…"` in a Markdoc tag's attributes.
fn attribute(tag: &str, key: &str) -> Option<String> {
    let start = tag.find(&format!("{key}=\""))? + key.len() + 2;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].trim_end_matches('.').to_owned())
}

/// Writes each bidirectional control character as its code point (`U+202E`): rustc refuses
/// them in comments and literals, where they could make code read otherwise than it compiles.
fn spell_bidi_controls(text: &str) -> String {
    let is_bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.contains(is_bidi) {
        return text.to_owned();
    }
    text.chars().map(|c| if is_bidi(c) { format!("U+{:04X}", c as u32) } else { c.to_string() }).collect()
}

/// Escapes brackets and angle brackets outside code spans, keeps `[text](url)` links, and wraps
/// bare URLs in `<…>`.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    // Where the next `]` and `)` are from each position, found in one pass, so that a line of
    // many `[` is read in linear time.
    let next_of = |wanted: char| {
        let mut next = vec![chars.len(); chars.len() + 1];
        for i in (0..chars.len()).rev() {
            next[i] = if chars[i] == wanted { i } else { next[i + 1] };
        }
        next
    };
    let (next_bracket, next_paren) = (next_of(']'), next_of(')'));
    let mut in_code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            i += 1;
            continue;
        }
        if in_code {
            out.push(c);
            i += 1;
            continue;
        }
        if let Some(len) = link_at(&chars, i, &next_bracket, &next_paren) {
            out.extend(&chars[i..i + len]);
            i += len;
            continue;
        }
        if let Some(len) = url_at(&chars[i..]) {
            out.push('<');
            out.extend(&chars[i..i + len]);
            out.push('>');
            i += len;
            continue;
        }
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        i += 1;
    }
    if in_code {
        // An unbalanced backtick would swallow the next line; close the span.
        out.push('`');
    }
    out
}

/// The length of a Markdown link `[text](http…)` starting at `chars[at]`, given where the next
/// `]` and `)` are from each position.
fn link_at(chars: &[char], at: usize, next_bracket: &[usize], next_paren: &[usize]) -> Option<usize> {
    if chars.get(at) != Some(&'[') {
        return None;
    }
    let close = *next_bracket.get(at)?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let rest: String = chars[close + 2..].iter().take(8).collect();
    if !(rest.starts_with("http://") || rest.starts_with("https://")) {
        return None;
    }
    let end = *next_paren.get(close + 2)?;
    (end < chars.len()).then_some(end + 1 - at)
}

/// The length of a bare `http(s)://` URL starting at `chars[0]`.
fn url_at(chars: &[char]) -> Option<usize> {
    let head: String = chars.iter().take(8).collect();
    if !(head.starts_with("http://") || head.starts_with("https://")) {
        return None;
    }
    let mut len = chars
        .iter()
        .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(chars.len());
    // Sentence punctuation after a URL is not part of it.
    while len > 0 && matches!(chars[len - 1], '.' | ',' | ';' | ':' | '!' | '?' | '\'') {
        len -= 1;
    }
    Some(len)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_what_rustdoc_misreads() {
        assert_eq!(sanitize("See [contact] and <id>."), vec![" See \\[contact\\] and &lt;id&gt;."]);
        assert_eq!(sanitize("Go to https://x.io/a."), vec![" Go to <https://x.io/a>."]);
        assert_eq!(sanitize("[docs](https://x.io)"), vec![" [docs](https://x.io)"]);
        assert_eq!(sanitize("keep `[a]` code"), vec![" keep `[a]` code"]);
    }

    #[test]
    fn markdoc_admonitions_become_bold_notes() {
        assert_eq!(
            sanitize("{% admonition type=\"warning\" name=\"Deprecated\" %}\nGone soon.\n{% /admonition %}"),
            vec![" **Warning: Deprecated.**", " Gone soon."]
        );
        assert_eq!(
            sanitize("{% admonition type=\"info\" %} Read this. {% /admonition %} Then go on."),
            vec![" **Note:** Read this. Then go on."]
        );
        assert_eq!(sanitize("{% other %} stays"), vec![" {% other %} stays"]);
        assert_eq!(
            sanitize("{% admonition type=\"danger\" name=\"x"),
            vec![" {% admonition type=\"danger\" name=\"x"]
        );
    }

    #[test]
    fn fences_become_text_and_indentation_goes() {
        assert_eq!(sanitize("a\n```\n  {}\n```\n    b"), vec![" a", " ```text", "   {}", " ```", " b"]);
    }
}
