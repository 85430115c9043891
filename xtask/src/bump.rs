//! `cargo xtask diff` and `cargo xtask bump`: the API changelog between two specs, and moving
//! the workspace to a new spec in one step that either completes or changes nothing.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::diff::Changelog;
use codegen::model::Api;
use codegen::pagination::SpecTable;
use codegen::{DanglingRefs, Options};
use sha2::{Digest, Sha256};

use crate::{OWNED_DIR, PAGINATION_FILE, read_pagination, workspace_root};
use proof::scratch::{ScratchWorkspace, scratch_dir};
use proof::{Error, Result};

/// Where Intercom publishes its descriptions (GitHub's raw file host).
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com";

/// The path of one version's description below the base URL.
pub fn description_path(version: &str) -> String {
    format!("/intercom/Intercom-OpenAPI/main/descriptions/{version}/api.intercom.io.yaml")
}

/// The model of a spec for comparing, with the pagination table `table` when given. Dangling
/// `$ref`s are read as JSON, as older Intercom versions need.
fn model_of(text: &str, label: &str, pagination: SpecTable) -> Result<Api> {
    let options = Options {
        spec_label: label.to_owned(),
        dangling_refs: DanglingRefs::Json,
        pagination,
        ..Options::default()
    };
    let (api, _) = codegen::model(text, &options)?;
    Ok(api)
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(Error::fs("read", path))
}

/// The table `given`, or else the one beside a spec, if there is one.
fn table_of(spec: &Path, given: Option<&Path>) -> Result<SpecTable> {
    let beside = || spec.parent().map(|d| d.join(PAGINATION_FILE)).filter(|p| p.is_file());
    match given.map(Path::to_path_buf).or_else(beside) {
        Some(path) => read_pagination(&path),
        None => Ok(SpecTable::default()),
    }
}

/// What `cargo xtask diff` compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffArgs {
    /// The older spec.
    pub old: PathBuf,
    /// The newer spec.
    pub new: PathBuf,
    /// The older spec's table, when it is not beside the spec.
    pub old_table: Option<PathBuf>,
    /// The newer spec's table, when it is not beside the spec.
    pub new_table: Option<PathBuf>,
    /// JSON instead of Markdown.
    pub json: bool,
}

impl DiffArgs {
    /// Two specs, each with the table beside it, as Markdown.
    pub fn new(old: impl Into<PathBuf>, new: impl Into<PathBuf>) -> Self {
        DiffArgs { old: old.into(), new: new.into(), old_table: None, new_table: None, json: false }
    }
}

/// `cargo xtask diff OLD NEW`.
pub fn diff_files(args: &DiffArgs) -> Result<String> {
    let (old, new, json) = (&args.old, &args.new, args.json);
    let old_api =
        model_of(&read(old)?, &old.display().to_string(), table_of(old, args.old_table.as_deref())?)?;
    let new_api =
        model_of(&read(new)?, &new.display().to_string(), table_of(new, args.new_table.as_deref())?)?;
    let changelog = codegen::diff::diff(&old_api, &new_api);
    if json {
        serde_json::to_string_pretty(&changelog)
            .map(|s| s + "\n")
            .map_err(|e| Error::Invalid(format!("the changelog does not encode as JSON: {e}")))
    } else {
        Ok(changelog.markdown(None))
    }
}

/// What `bump` is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BumpArgs {
    /// A new spec on disk.
    pub spec: Option<PathBuf>,
    /// Or a published version to download.
    pub version: Option<String>,
    /// Where to download from (default [`DEFAULT_BASE_URL`]).
    pub base_url: Option<String>,
    /// Read `$ref`s to missing schemas as untyped JSON.
    pub allow_dangling_refs: bool,
}

/// One file the bump writes: where, and the new contents.
struct Planned {
    path: PathBuf,
    contents: String,
}

/// `cargo xtask bump`: validate, then replace the spec, regenerate, write the changelog entry and
/// bump the crate's version. Nothing is written until everything has been computed and the new
/// crate has compiled.
pub fn bump(args: &BumpArgs) -> Result<String> {
    let root = workspace_root();
    let mut report = String::new();
    let new_text = new_spec_text(args, &mut report)?;
    let spec_path = root.join("spec/intercom.yaml");
    let old_text = read(&spec_path)?;
    let table_path = root.join("spec").join(PAGINATION_FILE);
    let table = read_pagination(&table_path)?;
    let new_table_text = new_table_text(args, &table_path)?;
    let new_table = match &new_table_text {
        Some((_, beside)) => read_pagination(beside)?,
        None => table.clone(),
    };

    // 1. The new spec must generate, with its pagination table.
    let dangling_refs = if args.allow_dangling_refs { DanglingRefs::Json } else { DanglingRefs::Error };
    let options = Options {
        spec_label: "spec/intercom.yaml".to_owned(),
        dangling_refs,
        pagination: new_table,
        ..Options::default()
    };
    let generated = codegen::generate(&new_text, &options).map_err(|diags| {
        Error::Check(format!("{diags}\nthe new spec does not generate; nothing was changed"))
    })?;

    // 2. And the crate made from it must compile, without warnings.
    compiles(&generated)?;

    // 3. The changelog and the version it calls for.
    let old_api = model_of(&old_text, "spec/intercom.yaml (old)", table.clone())?;
    let mut changelog = codegen::diff::diff(&old_api, &generated.api);
    let manifest_path = root.join("generated/Cargo.toml");
    let manifest = read(&manifest_path)?;
    let old_version =
        package_version(&manifest).ok_or_else(|| invalid("generated/Cargo.toml has no package version"))?;
    // The public API listing sees what the spec's diff cannot (a change of the generator not
    // yet released, say): the version moves as far as either asks.
    let crate_dir = root.join("generated");
    let listing = new_listing(&crate_dir, &generated)?;
    let recorded_path = proof::public_api::listing_path(&crate_dir, &old_version);
    if let Ok(recorded) = fs::read_to_string(&recorded_path) {
        let (api_bump, _, _) = proof::public_api::verdict(&proof::public_api::from_file(&recorded), &listing);
        changelog.bump = changelog.bump.max(api_bump);
    }
    let new_version = changelog
        .bump
        .apply(&old_version)
        .ok_or_else(|| invalid(format!("the crate version `{old_version}` is not major.minor.patch")))?;

    // 4. Every file, computed before any is written.
    let lock_path = root.join("Cargo.lock");
    let changelog_path = root.join("generated/CHANGELOG.md");
    let existing_changelog = fs::read_to_string(&changelog_path).unwrap_or_default();
    let mut planned = vec![Planned { path: spec_path, contents: new_text }];
    if let Some((text, _)) = new_table_text {
        planned.push(Planned { path: table_path, contents: text });
    }
    planned.extend([Planned {
        path: changelog_path,
        contents: changelog_file(&existing_changelog, &changelog, &old_version, &new_version),
    }]);
    planned.push(Planned {
        path: proof::public_api::listing_path(&crate_dir, &new_version),
        contents: proof::public_api::to_file(&listing),
    });
    let versioned = replace_package_version(&manifest, &old_version, &new_version)
        .ok_or_else(|| invalid("cannot find the version line of generated/Cargo.toml"))?;
    planned.push(Planned {
        path: manifest_path,
        contents: crate::with_features(&versioned, &generated.features)?,
    });
    if new_version != old_version {
        let lock = read(&lock_path)?;
        planned.push(Planned {
            path: lock_path,
            contents: replace_lock_version(&lock, "intercom-api", &old_version, &new_version)
                .ok_or_else(|| invalid("cannot find intercom-api in Cargo.lock"))?,
        });
    }
    write_all(&planned, &root.join("generated").join(OWNED_DIR), &generated.files)?;
    report.push_str(&summary(&changelog, &old_version, &new_version, &generated));
    Ok(report)
}

/// The new spec's text: the file given, or the version downloaded (its URL and hash reported).
fn new_spec_text(args: &BumpArgs, report: &mut String) -> Result<String> {
    match (&args.spec, &args.version) {
        (Some(path), None) => read(path),
        (None, Some(version)) => {
            let base = args.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL).trim_end_matches('/');
            let url = format!("{base}{}", description_path(version));
            let text = proof::download(&url)?;
            let _ = writeln!(report, "downloaded {url}\nsha256 {:x}", Sha256::digest(text.as_bytes()));
            Ok(text)
        }
        _ => Err(invalid("bump needs a spec file or --version VERSION (not both)")),
    }
}

/// The new spec's own table and its path, when it has one: beside the new spec file, or the
/// project's table of a published version (a version that adds paged operations needs new
/// lines). Without one, the workspace's table `current` must fit the new spec as well.
fn new_table_text(args: &BumpArgs, current: &Path) -> Result<Option<(String, PathBuf)>> {
    let path = match (&args.spec, &args.version) {
        (Some(spec), _) => spec.parent().map(|d| d.join(PAGINATION_FILE)),
        (None, Some(version)) => Some(crate::version_pagination_table(version)),
        (None, None) => None,
    };
    match path {
        Some(path) if path.is_file() && path != current => Ok(Some((read(&path)?, path))),
        _ => Ok(None),
    }
}

/// The public API of the client crate once `generated` replaces its generated folder.
fn new_listing(
    crate_dir: &Path,
    generated: &codegen::Generated,
) -> Result<std::collections::BTreeSet<String>> {
    let owned = crate_dir.join(OWNED_DIR);
    let read = |path: &Path| -> Result<String> {
        let new_file = path.strip_prefix(&owned).ok().and_then(|relative| {
            let relative = relative.to_string_lossy().replace('\\', "/");
            generated.files.iter().find(|f| f.path == relative)
        });
        match new_file {
            Some(file) => Ok(file.contents.clone()),
            None if path.starts_with(&owned) => {
                Err(Error::fs("read", path)(std::io::ErrorKind::NotFound.into()))
            }
            None => read(path),
        }
    };
    proof::public_api::list(crate_dir, &read)
}

/// Builds the crate made from `generated` in a scratch workspace; an error unless it compiles
/// without warnings.
fn compiles(generated: &codegen::Generated) -> Result<()> {
    let dir = scratch_dir("bump");
    let mut workspace = ScratchWorkspace::new(&dir).map_err(Error::fs("create", &dir))?;
    workspace
        .add_crate("bump-candidate", &generated.files, &generated.features)
        .map_err(Error::fs("write the scratch crate in", &dir))?;
    workspace.cargo(&["build", "--quiet"]).map_err(|e| {
        Error::Check(format!(
            "{e}\nthe crate generated from the new spec does not compile; nothing was changed"
        ))
    })?;
    Ok(())
}

/// What `bump` did, for the report.
fn summary(
    changelog: &Changelog,
    old_version: &str,
    new_version: &str,
    generated: &codegen::Generated,
) -> String {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "bumped spec/intercom.yaml from Intercom {} to {}: {} changes, {} breaking",
        changelog.old_version,
        changelog.new_version,
        changelog.changes.len(),
        changelog.breaking()
    );
    let _ =
        writeln!(report, "semver verdict: {}; intercom-api {old_version} -> {new_version}", changelog.bump);
    let _ = writeln!(
        report,
        "regenerated generated/ ({} files); changelog entry in generated/CHANGELOG.md",
        generated.files.len()
    );
    if !generated.warnings.is_empty() {
        let _ = writeln!(
            report,
            "{} generator warnings (cargo xtask generate --verbose shows them)",
            generated.warnings.len()
        );
    }
    report
}

/// The changelog file with the new entry on top of the earlier ones.
fn changelog_file(existing: &str, changelog: &Changelog, old_version: &str, new_version: &str) -> String {
    let mut entry = format!("# intercom-api {new_version}\n\n");
    entry.push_str(
        &changelog.markdown(Some(old_version)).replace("\n## ", "\n### ").replace("\n### ", "\n#### "),
    );
    crate::changelog::with_entry(existing, &entry)
}

/// The `version = "…"` of a manifest's `[package]` table.
pub(crate) fn package_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(rest) = line.strip_prefix("version") {
            return rest
                .trim_start()
                .strip_prefix('=')?
                .trim()
                .strip_prefix('"')?
                .strip_suffix('"')
                .map(str::to_owned);
        }
    }
    None
}

pub(crate) fn replace_package_version(manifest: &str, old: &str, new: &str) -> Option<String> {
    let line = format!("version = \"{old}\"");
    manifest.contains(&line).then(|| manifest.replacen(&line, &format!("version = \"{new}\""), 1))
}

/// Cargo.lock names each package as `name = "…"` followed by `version = "…"`.
pub(crate) fn replace_lock_version(lock: &str, package: &str, old: &str, new: &str) -> Option<String> {
    let entry = format!("name = \"{package}\"\nversion = \"{old}\"");
    lock.contains(&entry)
        .then(|| lock.replacen(&entry, &format!("name = \"{package}\"\nversion = \"{new}\""), 1))
}

/// Writes every planned file and the generated folder, or, when any step fails, puts back what
/// was already replaced. Each file is first written beside its target, then renamed over it.
fn write_all(planned: &[Planned], generated_dir: &Path, files: &[codegen::GeneratedFile]) -> Result<()> {
    let staged: Vec<PathBuf> = planned.iter().map(|p| sibling(&p.path, "bump-new")).collect();
    for (p, staging) in planned.iter().zip(&staged) {
        if let Err(e) = fs::write(staging, &p.contents) {
            for s in &staged {
                let _ = fs::remove_file(s);
            }
            return Err(unchanged(Error::fs("write", staging)(e)));
        }
    }
    // Move the originals aside, then the new files in; undo on the first failure.
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let undo = |done: &[(PathBuf, Option<PathBuf>)]| {
        for (target, backup) in done.iter().rev() {
            match backup {
                Some(backup) => {
                    let _ = fs::rename(backup, target);
                }
                None => {
                    let _ = fs::remove_file(target);
                }
            }
        }
    };
    for (p, staging) in planned.iter().zip(&staged) {
        let backup = p.path.exists().then(|| sibling(&p.path, "bump-old"));
        if let Some(backup) = &backup
            && let Err(e) = fs::rename(&p.path, backup)
        {
            undo(&done);
            return Err(unchanged(Error::fs("move aside", &p.path)(e)));
        }
        if let Err(e) = fs::rename(staging, &p.path) {
            if let Some(backup) = &backup {
                let _ = fs::rename(backup, &p.path);
            }
            undo(&done);
            return Err(unchanged(Error::fs("move into place", &p.path)(e)));
        }
        done.push((p.path.clone(), backup));
    }
    if let Err(e) = proof::files::write_atomically(generated_dir, files, None) {
        undo(&done);
        return Err(unchanged(e.into()));
    }
    for (_, backup) in done {
        if let Some(backup) = backup {
            let _ = fs::remove_file(backup);
        }
    }
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{suffix}"))
}

/// An input `bump` cannot work with.
fn invalid(message: impl Into<String>) -> Error {
    Error::Invalid(message.into())
}

/// A failure after which `bump` put everything back as it was.
fn unchanged(e: Error) -> Error {
    Error::Invalid(format!("{e}; nothing was changed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_and_replaced() {
        let manifest = "[package]\nname = \"intercom-api\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"1\" }\n";
        assert_eq!(package_version(manifest).as_deref(), Some("0.1.0"));
        assert_eq!(
            replace_package_version(manifest, "0.1.0", "0.2.0").as_deref(),
            Some(
                "[package]\nname = \"intercom-api\"\nversion = \"0.2.0\"\n\n[dependencies]\nx = { version = \"1\" }\n"
            )
        );
        let lock = "[[package]]\nname = \"intercom-api\"\nversion = \"0.1.0\"\ndependencies = []\n";
        assert!(
            replace_lock_version(lock, "intercom-api", "0.1.0", "0.1.1")
                .is_some_and(|l| l.contains("version = \"0.1.1\""))
        );
        assert_eq!(replace_lock_version(lock, "other", "0.1.0", "0.1.1"), None);
    }
}
