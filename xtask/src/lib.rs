//! The project's automation, as a library so that tests can run the same code as the command.
//!
//! `generate` reads a spec, calls the codegen library, and writes the generated files of the
//! client crate atomically, or (with `check`) compares them with what is on disk.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::pagination::SpecTable;
use codegen::{DanglingRefs, GeneratedFile, Options};

pub mod bump;
pub mod checks;
pub mod cli;

pub use proof::{
    OWNED_DIR, PAGINATION_FILE, read_pagination, spec_label, version_pagination_table, with_features,
    workspace_root,
};

/// What `generate` is asked to do.
#[derive(Debug, Clone)]
pub struct GenerateArgs {
    /// The spec to read.
    pub spec: PathBuf,
    /// The client crate's folder; the generator owns its `src/generated/`.
    pub out: PathBuf,
    /// Compare instead of writing.
    pub check: bool,
    /// Print warnings and the list of files.
    pub verbose: bool,
    /// What to do with `$ref`s to schemas that do not exist.
    pub dangling_refs: DanglingRefs,
    /// How generated headers name the spec; by default its path relative to the workspace.
    pub spec_label: Option<String>,
    /// The spec's table (pagination, method and type names); by default `pagination.txt` beside the spec.
    pub pagination: Option<PathBuf>,
    /// Print the time of each phase.
    pub timings: bool,
    /// Leave out operations that cannot be generated instead of failing (`Options::partial`).
    pub partial: bool,
}

impl GenerateArgs {
    /// The checked-in spec and crate of this workspace.
    pub fn default_paths() -> Self {
        let root = workspace_root();
        GenerateArgs {
            spec: root.join("spec/intercom.yaml"),
            out: root.join("generated"),
            check: false,
            verbose: false,
            dangling_refs: DanglingRefs::Error,
            spec_label: None,
            pagination: None,
            timings: false,
            partial: false,
        }
    }
}

/// Why `generate` failed.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec could not be read, or the output could not be written.
    Io(String),
    /// The spec has errors; nothing was written.
    Spec(codegen::Diagnostics),
    /// `--check` found files that differ from what the generator makes.
    Stale(String),
}

impl std::fmt::Display for GenerateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GenerateError::Io(message) => f.write_str(message),
            GenerateError::Spec(diags) => write!(f, "{diags}\nthe spec has errors; nothing was written"),
            GenerateError::Stale(report) => f.write_str(report),
        }
    }
}

/// Runs the generator; returns the report to print.
pub fn generate(args: &GenerateArgs) -> Result<String, GenerateError> {
    let started = std::time::Instant::now();
    let bytes = fs::read(&args.spec)
        .map_err(|e| GenerateError::Io(format!("cannot read the spec {}: {e}", args.spec.display())))?;
    let text = codegen::spec_text(&bytes).map_err(GenerateError::Spec)?;
    let read = started.elapsed();
    let new_crate = !args.check && is_new_crate(&args.out)?;
    let options = options(args, new_crate)?;
    let mut timings = codegen::Timings::default();
    let generated = codegen::generate_timed(text, &options, &mut timings).map_err(GenerateError::Spec)?;
    let writing = std::time::Instant::now();
    let mut report = String::new();
    if args.verbose {
        for warning in &generated.warnings {
            let _ = writeln!(report, "{warning}");
        }
    } else if !generated.warnings.is_empty() {
        let _ = writeln!(report, "{} warnings (run with --verbose to see them)", generated.warnings.len());
    }
    if new_crate {
        let name = args.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let files = proof::manifest::standalone_crate(&name, &generated).map_err(GenerateError::Io)?;
        write_atomically(&args.out, &files, None)?;
        let _ = writeln!(report, "wrote a crate of {} files to {}", files.len(), args.out.display());
    } else {
        report.push_str(&update(args, &generated)?);
    }
    if args.timings {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let _ = writeln!(
            report,
            "timings (ms): read {:.3} parse_yaml {:.3} normalize {:.3} lower {:.3} emit {:.3} format {:.3} write {:.3} total {:.3}",
            ms(read),
            ms(timings.parse_yaml),
            ms(timings.normalize),
            ms(timings.lower),
            ms(timings.emit),
            ms(timings.format),
            ms(writing.elapsed()),
            ms(started.elapsed())
        );
    }
    Ok(report)
}

/// The generator's options for `args`: the spec's label and table, and for a new crate, which
/// is named after its folder, that name for the usage examples in its docs.
fn options(args: &GenerateArgs, new_crate: bool) -> Result<Options, GenerateError> {
    let table = match &args.pagination {
        Some(path) => Some(path.clone()),
        None => args.spec.parent().map(|dir| dir.join(PAGINATION_FILE)).filter(|p| p.is_file()),
    };
    let pagination = match table {
        Some(path) => read_pagination(&path).map_err(GenerateError::Io)?,
        None => SpecTable::default(),
    };
    let crate_name = match args.out.file_name() {
        Some(name) if new_crate => name.to_string_lossy().replace('-', "_"),
        _ => Options::default().crate_name,
    };
    Ok(Options {
        spec_label: args.spec_label.clone().unwrap_or_else(|| spec_label(&args.spec)),
        dangling_refs: args.dangling_refs,
        pagination,
        partial: args.partial,
        crate_name,
    })
}

/// Writes (or with `check`, compares) an existing crate's generated folder and the `[features]`
/// table at the end of its manifest; returns the line to report.
fn update(args: &GenerateArgs, generated: &codegen::Generated) -> Result<String, GenerateError> {
    let dir = args.out.join(OWNED_DIR);
    let manifest_path = args.out.join("Cargo.toml");
    let manifest = match fs::read_to_string(&manifest_path) {
        Ok(current) => {
            Some((with_features(&current, &generated.features).map_err(GenerateError::Io)?, current))
        }
        Err(_) => None,
    };
    if args.check {
        let stale_manifest = manifest.as_ref().filter(|(new, current)| new != current);
        match (check(&dir, &generated.files), stale_manifest) {
            (Ok(()), None) => {}
            (Ok(()), Some((new, current))) => {
                return Err(GenerateError::Stale(manifest_report(&manifest_path, current, new)));
            }
            (Err(GenerateError::Stale(mut problems)), Some((new, current))) => {
                problems.insert_str(0, &manifest_report(&manifest_path, current, new));
                return Err(GenerateError::Stale(problems));
            }
            (Err(e), _) => return Err(e),
        }
        Ok(format!("{} is up to date ({} files)\n", dir.display(), generated.files.len()))
    } else {
        let manifest_update = match &manifest {
            Some((new, current)) if new != current => Some((manifest_path.as_path(), new.as_str())),
            _ => None,
        };
        write_atomically(&dir, &generated.files, manifest_update)?;
        Ok(format!("wrote {} files to {}\n", generated.files.len(), dir.display()))
    }
}

/// Whether `out` is to get a whole crate: it is new or empty. A client crate's folder (with a
/// `Cargo.toml`), or a folder with only the generated code (`src/generated/`), gets its
/// generated parts; a folder holding anything else is refused, since writing a crate there
/// would replace what it holds.
fn is_new_crate(out: &Path) -> Result<bool, GenerateError> {
    if out.join("Cargo.toml").exists() || out.join(OWNED_DIR).is_dir() {
        return Ok(false);
    }
    match fs::read_dir(out).map(|mut entries| entries.next().is_none()) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(GenerateError::Io(format!("cannot list {}: {e}", out.display()))),
        Ok(true) => Ok(true),
        Ok(false) => Err(GenerateError::Io(format!(
            "{} has files but no Cargo.toml; give a client crate's folder, an empty one or a new one",
            out.display()
        ))),
    }
}

fn manifest_report(path: &Path, current: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(current, new);
    format!(
        "stale: {} (its generated [features] table)\n{}",
        path.display(),
        diff.unified_diff().context_radius(2).header("Cargo.toml (on disk)", "Cargo.toml (generated)")
    )
}

/// Compares every file before failing once, with a unified diff of each difference.
fn check(dir: &Path, files: &[GeneratedFile]) -> Result<(), GenerateError> {
    let mut problems = String::new();
    for file in files {
        let path = dir.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(on_disk) if on_disk == file.contents => {}
            Ok(on_disk) => {
                let diff = similar::TextDiff::from_lines(&on_disk, &file.contents);
                let _ = writeln!(problems, "stale: {}", path.display());
                let _ = write!(
                    problems,
                    "{}",
                    diff.unified_diff()
                        .context_radius(2)
                        .header(&format!("{} (on disk)", file.path), &format!("{} (generated)", file.path))
                );
            }
            Err(_) => {
                let _ = writeln!(problems, "missing: {}", path.display());
            }
        }
    }
    for extra in existing_files(dir)? {
        if !files.iter().any(|f| f.path == extra) {
            let _ =
                writeln!(problems, "extra: {} (the generator does not make it)", dir.join(&extra).display());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems
            .push_str("\nthe generated crate is stale; run `cargo xtask generate` and commit the result\n");
        Err(GenerateError::Stale(problems))
    }
}

/// Files below `dir`, relative to it, sorted (none when `dir` does not exist).
pub fn existing_files(dir: &Path) -> Result<Vec<String>, GenerateError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = match fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(GenerateError::Io(format!("cannot list {}: {e}", current.display()))),
        };
        for entry in entries {
            let entry = entry.map_err(|e| GenerateError::Io(e.to_string()))?;
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Replaces the generated folder `dir` with `files`, atomically (see `write_atomically`).
pub(crate) fn write_generated(dir: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    write_atomically(dir, files, None).map_err(|e| e.to_string())
}

/// Writes `files` into a fresh sibling folder, then swaps it in with two renames, so that a
/// failure part-way leaves the old folder as it was.
fn write_atomically(
    dir: &Path,
    files: &[GeneratedFile],
    manifest: Option<(&Path, &str)>,
) -> Result<(), GenerateError> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        GenerateError::Io(format!("cannot {what} {}: {e}", path.display()))
    };
    let parent =
        dir.parent().ok_or_else(|| GenerateError::Io(format!("{} has no parent folder", dir.display())))?;
    fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent.join(format!(".{name}.new"));
    let backup = parent.join(format!(".{name}.old"));
    let manifest_staging = manifest.map(|(path, _)| path.with_extension("toml.new"));
    for leftover in [&staging, &backup] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| io("remove", leftover, e))?;
        }
    }
    // Everything is written beside its place first; a failure there leaves nothing behind.
    let staged = (|| -> Result<(), GenerateError> {
        for file in files {
            let path = staging.join(&file.path);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(|e| io("create", folder, e))?;
            }
            fs::write(&path, &file.contents).map_err(|e| io("write", &path, e))?;
        }
        if let (Some((_, contents)), Some(path)) = (manifest, &manifest_staging) {
            fs::write(path, contents).map_err(|e| io("write", path, e))?;
        }
        Ok(())
    })();
    let discard_staged = || {
        let _ = fs::remove_dir_all(&staging);
        if let Some(path) = &manifest_staging {
            let _ = fs::remove_file(path);
        }
    };
    if let Err(e) = staged {
        discard_staged();
        return Err(e);
    }
    if dir.exists()
        && let Err(e) = fs::rename(dir, &backup)
    {
        discard_staged();
        return Err(io("move aside", dir, e));
    }
    // Then two renames: the folder, and the manifest. If the second fails, the first is undone,
    // so the crate is either wholly old or wholly new.
    let swapped =
        fs::rename(&staging, dir).map_err(|e| io("move into place", dir, e)).and_then(|()| {
            match (manifest, &manifest_staging) {
                (Some((path, _)), Some(staged)) => fs::rename(staged, path).map_err(|e| {
                    let _ = fs::rename(dir, &staging);
                    io("move into place", path, e)
                }),
                _ => Ok(()),
            }
        });
    if let Err(e) = swapped {
        if backup.exists() {
            let _ = fs::rename(&backup, dir);
        }
        discard_staged();
        return Err(e);
    }
    if backup.exists() {
        fs::remove_dir_all(&backup).map_err(|e| io("remove", &backup, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src/generated")).expect("create a scratch folder");
        fs::write(dir.join("src/generated/mod.rs"), "old").expect("write the old file");
        fs::write(dir.join("Cargo.toml"), "old manifest").expect("write the old manifest");
        dir
    }

    fn file(path: &str) -> GeneratedFile {
        GeneratedFile { path: path.to_owned(), contents: "new".to_owned() }
    }

    fn left_in(dir: &Path) -> Vec<String> {
        existing_files(dir).unwrap_or_default()
    }

    #[test]
    fn a_file_that_cannot_be_written_leaves_the_crate_as_it_was() {
        let dir = scratch("write");
        let generated = dir.join("src/generated");
        // A NUL byte is not allowed in a path, so the second file cannot be written.
        let result = write_atomically(&generated, &[file("mod.rs"), file("bad\0.rs")], None);
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(generated.join("mod.rs")).ok().as_deref(), Some("old"));
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_manifest_that_cannot_be_replaced_undoes_the_folder() {
        let dir = scratch("manifest");
        let generated = dir.join("src/generated");
        // A folder where the manifest should go: the rename onto it fails.
        let manifest = dir.join("Manifest.toml");
        fs::create_dir_all(manifest.join("occupied")).expect("create the obstacle");
        let result =
            write_atomically(&generated, &[file("mod.rs"), file("types.rs")], Some((&manifest, "new")));
        assert!(result.is_err());
        assert_eq!(fs::read_to_string(generated.join("mod.rs")).ok().as_deref(), Some("old"));
        assert!(manifest.join("occupied").is_dir());
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn folder_and_manifest_are_replaced_together() {
        let dir = scratch("both");
        let generated = dir.join("src/generated");
        let manifest = dir.join("Cargo.toml");
        write_atomically(&generated, &[file("mod.rs"), file("types.rs")], Some((&manifest, "new manifest")))
            .expect("write");
        assert_eq!(fs::read_to_string(&manifest).ok().as_deref(), Some("new manifest"));
        assert_eq!(left_in(&dir), ["Cargo.toml", "src/generated/mod.rs", "src/generated/types.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
