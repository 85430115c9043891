//! The project's automation, as a library so that tests can run the same code as the command.
//!
//! `generate` reads a spec, calls the codegen library, and writes the generated files of the
//! client crate atomically, or (with `check`) compares them with what is on disk.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::pagination::SpecTable;
use codegen::{DanglingRefs, GeneratedFile, Options};

pub mod api;
pub mod bump;
pub mod changelog;
pub mod checks;
pub mod cli;

pub use proof::files::existing_files;
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
    /// The name of a new crate written with `--out`; by default made from the folder's name.
    pub crate_name: Option<String>,
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
            crate_name: None,
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

impl std::error::Error for GenerateError {}

impl From<proof::files::FsError> for GenerateError {
    fn from(e: proof::files::FsError) -> Self {
        GenerateError::Io(e.to_string())
    }
}

impl From<proof::Error> for GenerateError {
    fn from(e: proof::Error) -> Self {
        match e {
            proof::Error::Spec(diags) => GenerateError::Spec(diags),
            other => GenerateError::Io(other.to_string()),
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
        let name = new_crate_name(args)?;
        let files = proof::manifest::standalone_crate(&name, &generated)?;
        proof::files::write_atomically(&args.out, &files, None)?;
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
        Some(path) => read_pagination(&path)?,
        None => SpecTable::default(),
    };
    let crate_name =
        if new_crate { proof::lib_name(&new_crate_name(args)?) } else { Options::default().crate_name };
    Ok(Options {
        spec_label: args.spec_label.clone().unwrap_or_else(|| spec_label(&args.spec)),
        dangling_refs: args.dangling_refs,
        pagination,
        partial: args.partial,
        crate_name,
    })
}

/// The package name of a new crate: `--crate-name` as given, else one made from the folder's name
/// (`tmp.AbC12` makes `tmp-abc12`): lowercase letters, digits, `-` and `_`, from a letter on.
fn new_crate_name(args: &GenerateArgs) -> Result<String, GenerateError> {
    if let Some(name) = &args.crate_name {
        return if proof::manifest::is_crate_name(name) {
            Ok(name.clone())
        } else {
            Err(GenerateError::Io(format!(
                "`{name}` is not a crate name: it takes lowercase letters, digits, `-` and `_`, and starts with a letter"
            )))
        };
    }
    let folder = args.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name = String::new();
    for c in folder.chars().map(|c| c.to_ascii_lowercase()) {
        match c {
            'a'..='z' | '0'..='9' | '_' => name.push(c),
            _ if !name.is_empty() && !name.ends_with('-') => name.push('-'),
            _ => {}
        }
    }
    let name = name.trim_start_matches(|c: char| !c.is_ascii_lowercase()).trim_end_matches('-').to_owned();
    if proof::manifest::is_crate_name(&name) {
        Ok(name)
    } else {
        Err(GenerateError::Io(format!(
            "no crate name can be made from the folder name `{folder}`: give one with --crate-name"
        )))
    }
}

/// Writes (or with `check`, compares) an existing crate's generated folder and the `[features]`
/// table at the end of its manifest; returns the line to report.
fn update(args: &GenerateArgs, generated: &codegen::Generated) -> Result<String, GenerateError> {
    let dir = args.out.join(OWNED_DIR);
    let manifest_path = args.out.join("Cargo.toml");
    let manifest = match fs::read_to_string(&manifest_path) {
        Ok(current) => Some((with_features(&current, &generated.features)?, current)),
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
        proof::files::write_atomically(&dir, &generated.files, manifest_update)?;
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
