//! Why a task of the proof machinery, or of `xtask`, failed: by kind, so that a check that
//! found problems reads apart from a machine that could not run it, and each message is made
//! in one place.

use std::fmt;
use std::path::Path;

pub use crate::files::FsError;

/// Why a task failed.
#[derive(Debug)]
pub enum Error {
    /// A file or folder could not be read, written or listed.
    Fs(FsError),
    /// A spec or a spec's table has errors, each located.
    Spec(codegen::Diagnostics),
    /// A program (cargo, npm, Prism, a runner) could not start, or failed: which, and why.
    Program {
        /// The program and what it was asked to do (`cargo build in target/conformance`).
        program: String,
        /// Why it failed: the system's reason, or what the program printed.
        detail: String,
    },
    /// A download failed, or gave bytes other than the pinned ones.
    Download {
        /// What was downloaded.
        url: String,
        /// Why it failed.
        detail: String,
    },
    /// An input is not as it must be (a manifest without `[lib]`, an argument out of range).
    Invalid(String),
    /// A check ran and found problems: its report, which says which.
    Check(String),
}

/// The result of a task.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A program that could not start or failed, for `map_err`.
    pub fn program<E: fmt::Display>(program: impl Into<String>) -> impl FnOnce(E) -> Error {
        let program = program.into();
        move |detail| Error::Program { program, detail: detail.to_string() }
    }

    /// A file system operation on `path` that failed, for `map_err`.
    pub fn fs<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> Error + 'a {
        move |source| Error::Fs(FsError::new(what, path, source))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fs(e) => e.fmt(f),
            Error::Spec(diags) => diags.fmt(f),
            Error::Program { program, detail } => write!(f, "{program} failed: {detail}"),
            Error::Download { url, detail } => write!(f, "cannot download {url}: {detail}"),
            Error::Invalid(message) | Error::Check(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Fs(e) => Some(e),
            _ => None,
        }
    }
}

impl From<FsError> for Error {
    fn from(e: FsError) -> Self {
        Error::Fs(e)
    }
}

impl From<codegen::Diagnostics> for Error {
    fn from(diags: codegen::Diagnostics) -> Self {
        Error::Spec(diags)
    }
}
