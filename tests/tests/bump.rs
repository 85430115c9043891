//! `cargo xtask bump` end to end, in a copy of the workspace: a spec that does not generate
//! changes nothing; a good spec replaces `spec/`, regenerates, writes the changelog and bumps
//! the version, after which the drift check and the client tests pass; and a published version
//! is downloaded from a local server.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tests::server::{MockServer, Scripted};

/// What a bump may touch, copied from this workspace (no `target/`, no `.git/`).
const COPIED: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    ".cargo",
    "clippy.toml",
    "rustfmt.toml",
    "codegen",
    "generated",
    "proof",
    "spec",
    "tests",
    "xtask",
];

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("create folder");
        for entry in fs::read_dir(from).expect("list folder") {
            let entry = entry.expect("entry");
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).expect("create folder");
        }
        fs::copy(from, to).expect("copy file");
    }
}

/// Every file of the copy that a bump may change, with its contents.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending: Vec<PathBuf> =
        ["spec", "generated", "Cargo.lock"].iter().map(|p| root.join(p)).collect();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            for entry in fs::read_dir(&path).expect("list") {
                pending.push(entry.expect("entry").path());
            }
        } else if path.exists() {
            files.insert(path.clone(), fs::read(&path).expect("read"));
        }
    }
    files
}

struct Copy {
    root: PathBuf,
    target: PathBuf,
    scratch_target: PathBuf,
    /// This workspace's folder of Intercom's published descriptions, given to the copy, which
    /// has no `../shared` beside it and no download cache of its own.
    published: Option<PathBuf>,
}

/// Under CI the copy's own build (over a gigabyte) is removed when the test ends, since no
/// later run reuses it and the disk is small; a developer keeps it for the next run.
impl Drop for Copy {
    fn drop(&mut self) {
        if std::env::var_os("CI").is_some() {
            let _ = fs::remove_dir_all(&self.target);
        }
    }
}

impl Copy {
    fn new() -> Self {
        let main = tests::workspace_root();
        let root = main.join("target/bump-test/workspace");
        if root.exists() {
            fs::remove_dir_all(&root).expect("clear the old copy");
        }
        for item in COPIED {
            copy_tree(&main.join(item), &root.join(item));
        }
        Copy {
            root,
            target: main.join("target/bump-test/target"),
            scratch_target: main.join("target/scratch"),
            published: tests::published_dir(),
        }
    }

    fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env("XTASK_SCRATCH_TARGET", &self.scratch_target);
        if let Some(dir) = &self.published {
            command.env("INTERCOM_SPECS_DIR", dir);
        }
        command
    }

    /// Runs the copy's own xtask binary (built once; no cargo lock is held while it runs, so
    /// it may run cargo itself).
    fn xtask(&self, args: &[&str]) -> (bool, String) {
        let binary = self.target.join("debug").join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
        let mut command = Command::new(binary);
        command.args(args).current_dir(&self.root).env("XTASK_SCRATCH_TARGET", &self.scratch_target);
        if let Some(dir) = &self.published {
            command.env("INTERCOM_SPECS_DIR", dir);
        }
        let output = command.output().expect("run xtask");
        let text =
            format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), text)
    }

    fn must(&self, args: &[&str]) {
        let output = self.cargo(args).output().expect("run cargo");
        assert!(
            output.status.success(),
            "cargo {} failed in the copy:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root.join(path)).expect("read from the copy")
    }
}

/// Our spec as Intercom's next version might publish it: one more conversation state, one more
/// contact field (no breaking change: a contact is only received), and one more required
/// property of a request (a breaking one).
fn next_version_of(spec: &str) -> String {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(spec).expect("spec is YAML");
    doc["info"]["version"] = "2.17".into();
    let schemas = &mut doc["components"]["schemas"];
    let states = schemas["conversation"]["properties"]["state"]["enum"].as_sequence_mut().expect("states");
    states.push("pending".into());
    let contact = schemas["contact"]["properties"].as_mapping_mut().expect("contact properties");
    let field: serde_yaml::Value =
        serde_yaml::from_str("{type: string, description: The pronouns the contact prefers.}").expect("YAML");
    contact.insert("preferred_pronouns".into(), field);
    // A request type the client tests do not build, so they still compile after the bump.
    let attach = schemas["attach_contact_to_conversation_request"].as_mapping_mut().expect("attach request");
    let reason: serde_yaml::Value =
        serde_yaml::from_str("{type: string, description: Why the contact joins.}").expect("YAML");
    attach
        .get_mut("properties")
        .and_then(serde_yaml::Value::as_mapping_mut)
        .expect("attach properties")
        .insert("reason".into(), reason);
    attach.insert("required".into(), serde_yaml::from_str("[reason]").expect("YAML"));
    serde_yaml::to_string(&doc).expect("encodes")
}

/// The crate version in a manifest, and the one a breaking change moves it to (below 1.0, the
/// minor number).
fn versions(manifest: &str) -> (String, String) {
    let line = manifest.lines().find(|l| l.starts_with("version = ")).expect("a version line");
    let current = line.trim_start_matches("version = ").trim_matches('"').to_owned();
    let parts: Vec<u64> = current.split('.').map(|p| p.parse().expect("a number")).collect();
    (current, format!("0.{}.0", parts[1] + 1))
}

#[tokio::test(flavor = "multi_thread")]
async fn bumps_change_everything_or_nothing() {
    // Finding the published descriptions may download them, which blocks.
    let copy = tokio::task::spawn_blocking(Copy::new).await.expect("join");
    copy.must(&["build", "--quiet", "-p", "xtask"]);

    // A spec that does not generate leaves every file as it was.
    let before = snapshot(&copy.root);
    let broken = copy.root.join("broken.yaml");
    fs::write(
        &broken,
        copy.read("spec/intercom.yaml").replacen(
            "#/components/schemas/contact_list",
            "#/components/schemas/nope",
            1,
        ),
    )
    .expect("write");
    let (ok, text) = copy.xtask(&["bump", broken.to_str().expect("utf-8")]);
    assert!(!ok, "a broken spec was accepted:\n{text}");
    assert!(text.contains("#/components/schemas/nope") && text.contains("nothing was changed"), "{text}");
    assert!(snapshot(&copy.root) == before, "a failed bump changed files");

    // A good spec: new spec, regenerated crate, changelog, version bump, lock file.
    let next = copy.root.join("next.yaml");
    fs::write(&next, next_version_of(&copy.read("spec/intercom.yaml"))).expect("write");
    let (old, new) = versions(&copy.read("generated/Cargo.toml"));
    let (ok, text) = copy.xtask(&["bump", next.to_str().expect("utf-8")]);
    assert!(ok, "{text}");
    assert!(text.contains(&format!("semver verdict: major; intercom-api {old} -> {new}")), "{text}");
    assert_eq!(copy.read("spec/intercom.yaml"), fs::read_to_string(&next).expect("read"));
    assert!(copy.read("generated/Cargo.toml").contains(&format!("version = \"{new}\"")));
    assert!(copy.read("Cargo.lock").contains(&format!("name = \"intercom-api\"\nversion = \"{new}\"")));
    let changelog = copy.read("generated/CHANGELOG.md");
    assert!(changelog.contains(&format!("# intercom-api {new}")), "{changelog}");
    assert!(
        changelog.contains("field-added: `types::Contact::preferred_pronouns`: field `preferred_pronouns: Option<String>` added; the type is non_exhaustive"),
        "{changelog}"
    );
    assert!(
        changelog.contains("field-added: `types::AttachContactToConversationRequest::reason`: required field `reason: String` added"),
        "{changelog}"
    );
    assert!(changelog.contains("value `pending` (variant `Pending`) added"), "{changelog}");
    assert!(copy.read("generated/src/generated/mod.rs").contains("pub const API_VERSION: &str = \"2.17\";"));
    // The new version's public API is recorded with it.
    let (ok, text) = copy.xtask(&["api"]);
    assert!(ok && text.contains(&format!("the one recorded for {new}")), "{text}");
    // The bumped workspace is consistent: the drift check and the client's tests pass.
    copy.must(&["run", "--quiet", "-p", "xtask", "--", "generate", "--check"]);
    copy.must(&[
        "test",
        "--quiet",
        "--locked",
        "-p",
        "tests",
        "--test",
        "client_wire",
        "--test",
        "client_paging",
    ]);

    // A published version, downloaded from a local server standing in for GitHub.
    let Some(dir) = copy.published.clone() else { return };
    let text_215 = fs::read_to_string(dir.join("2.15.yaml")).expect("read 2.15");
    let server = MockServer::start().await.expect("server");
    server.push(Scripted::raw(200, "text/plain", &text_215));
    let url = server.url();
    // The server answers on this test's runtime while the bump runs on a blocking thread.
    let (copy, (ok, text)) = tokio::task::spawn_blocking(move || {
        let outcome = copy.xtask(&["bump", "--version", "2.15", "--base-url", &url]);
        (copy, outcome)
    })
    .await
    .expect("join");
    assert!(ok, "{text}");
    assert_eq!(copy.read("spec/intercom.yaml"), text_215);
    // The table of the published version comes with it.
    assert_eq!(copy.read("spec/pagination.txt"), copy.read("xtask/pagination/2.15.txt"));
    copy.must(&["run", "--quiet", "-p", "xtask", "--", "generate", "--check"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/intercom/Intercom-OpenAPI/main/descriptions/2.15/api.intercom.io.yaml");
    let sha = {
        use sha2::Digest as _;
        format!("{:x}", sha2::Sha256::digest(text_215.as_bytes()))
    };
    assert!(text.contains(&format!("sha256 {sha}")), "{text}");
}
