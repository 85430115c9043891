//! `generated/CHANGELOG.md`: one entry per version of the crate, newest first, each headed
//! `# intercom-api <version>`. `bump` writes the entry of a new Intercom version; `api --bless`
//! starts the entry of a change that comes from the generator.

use std::fmt::Write as _;

use codegen::diff::Bump;

/// What the file starts with, above the entries.
pub const HEADER: &str = "# Changelog of intercom-api\n\nOne entry per version of the crate, newest first. `cargo xtask bump` writes the entry of a new\nIntercom version; `cargo xtask api --bless` starts the entry of a change to the crate's public API\nthat comes from the generator. Each version's public API is listed in `generated/api/`.\n";

/// The heading that opens an entry.
const ENTRY: &str = "# intercom-api ";

/// The entries of a changelog, newest first: each version and its text below the heading.
pub fn entries(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(version) = line.strip_prefix(ENTRY) {
            out.push((version.trim().to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The version of the newest entry.
pub fn newest_version(text: &str) -> Option<String> {
    entries(text).into_iter().next().map(|(version, _)| version)
}

/// The changelog with `entry` (which starts with its heading) above the earlier entries.
pub fn with_entry(existing: &str, entry: &str) -> String {
    let earlier = existing.find(&format!("\n{ENTRY}")).map_or("", |at| &existing[at + 1..]);
    let mut out = format!("{HEADER}\n{}", entry.trim_end());
    if !earlier.is_empty() {
        out.push_str("\n\n");
        out.push_str(earlier.trim_end());
    }
    out.push('\n');
    out
}

/// The start of an entry for a change of the public API alone: the verdict and each item
/// removed and added, for the author to turn into prose.
pub fn api_entry(
    old_version: &str,
    new_version: &str,
    bump: Bump,
    removed: &[String],
    added: &[String],
) -> String {
    let mut out = format!("{ENTRY}{new_version}\n\n");
    let _ = writeln!(
        out,
        "The public API changed since {old_version} ({} items removed, {} added); semver verdict: {bump:?}.\n",
        removed.len(),
        added.len()
    );
    for (title, lines) in [("Removed", removed), ("Added", added)] {
        if !lines.is_empty() {
            let _ = writeln!(out, "## {title}\n");
            for line in lines {
                let _ = writeln!(out, "- `{line}`");
            }
            out.push('\n');
        }
    }
    out
}

/// The calls an entry names as `` `handle().method()` `` (a tag's handle, then one of its
/// methods), in order.
pub fn method_references(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for quoted in text.split('`').skip(1).step_by(2) {
        let quoted = quoted.trim_start_matches("client.");
        let Some((handle, rest)) = quoted.split_once("().") else { continue };
        let Some(method) = rest.strip_suffix("()") else { continue };
        let word = |s: &str| {
            !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if word(handle) && word(method) {
            found.push((handle.to_owned(), method.to_owned()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_newest_first_and_a_new_one_goes_on_top() {
        let text = format!("{HEADER}\n# intercom-api 0.2.0\n\nold text\n\n# intercom-api 0.1.0\n\nfirst\n");
        let read = entries(&text);
        assert_eq!(read.iter().map(|(v, _)| v.as_str()).collect::<Vec<_>>(), ["0.2.0", "0.1.0"]);
        assert!(read[0].1.contains("old text"));
        let updated = with_entry(&text, "# intercom-api 0.3.0\n\nnew text\n");
        assert_eq!(newest_version(&updated).as_deref(), Some("0.3.0"));
        assert_eq!(entries(&updated).len(), 3);
        assert!(updated.starts_with(HEADER));
    }

    #[test]
    fn method_references_are_handle_then_method() {
        let text =
            "`contacts().search()` and `client.tags().attach_contact()`, not `types::Contact` or `x().y`";
        assert_eq!(
            method_references(text),
            [("contacts".to_owned(), "search".to_owned()), ("tags".to_owned(), "attach_contact".to_owned())]
        );
    }
}
