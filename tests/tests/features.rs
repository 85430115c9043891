//! One cargo feature per tag: the checked-in crate builds, without warnings, with each tag's
//! feature alone (beside `webhooks`), with none, with `webhooks` alone, with each response
//! decoder (`gzip`, `brotli`) alone and with `native-tls` instead of the default TLS backend, and its manifest lists exactly the spec's tags.

use codegen::Options;
use proof::scratch::{ScratchWorkspace, scratch_dir};

fn generated() -> codegen::Generated {
    let text =
        std::fs::read_to_string(tests::workspace_root().join("spec/intercom.yaml")).expect("read spec");
    let table = xtask::read_pagination(&tests::workspace_root().join("spec/pagination.txt")).expect("table");
    codegen::generate(&text, &Options { pagination: table, ..Options::default() }).expect("generates")
}

#[test]
fn the_manifest_has_one_feature_per_tag() {
    let generated = generated();
    let manifest =
        std::fs::read_to_string(tests::workspace_root().join("generated/Cargo.toml")).expect("read manifest");
    for tag in &generated.api.tags {
        let line = format!("\n{} = [\"{}\"]\n", tag.module, codegen::shell::ANY_TAG_FEATURE);
        assert!(manifest.contains(&line), "no feature for {}", tag.module);
    }
    assert!(manifest.ends_with(&generated.features), "the [features] table is not the generator's");
}

#[test]
fn each_tag_builds_alone() {
    let generated = generated();
    let mut workspace = ScratchWorkspace::new(scratch_dir("features")).expect("scratch workspace");
    workspace.add_crate("features-check", &generated.files, &generated.features).expect("scratch crate");
    let mut failures = Vec::new();
    // Each tag is built with the `webhooks` module too, whose item variants depend on the tags'
    // types; no tag, `webhooks` alone, and each response decoder alone are built as well.
    let tags = generated.api.tags.iter().map(|t| format!("{},webhooks", t.module));
    let others = ["", "webhooks", "contacts,gzip", "contacts,brotli"].map(str::to_owned);
    for features in tags.chain(others) {
        if let Err(e) =
            workspace.cargo(&["clippy", "--quiet", "--no-default-features", "--features", &features])
        {
            failures.push(format!("with only `{features}`:\n{e}"));
        }
    }
    // The `native-tls` backend links the platform's TLS library; on Linux that takes OpenSSL's
    // headers, which a machine with only Rust lacks.
    let has_openssl = std::process::Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .is_ok_and(|s| s.success());
    if cfg!(target_os = "linux") && !has_openssl {
        println!("skipped the `native-tls` build: pkg-config finds no OpenSSL on this machine");
    } else if let Err(e) =
        workspace.cargo(&["clippy", "--quiet", "--no-default-features", "--features", "contacts,native-tls"])
    {
        failures.push(format!("with `contacts,native-tls`:\n{e}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A type is compiled with the tags whose operations reach it, and only with those.
#[test]
fn types_are_gated_by_the_tags_that_reach_them() {
    let generated = generated();
    let types = generated.files.iter().find(|f| f.path == "types.rs").expect("types.rs");
    let gate = |name: &str| {
        let at = types.contents.find(&format!("pub struct {name} ")).expect("the type");
        let before = &types.contents[..at];
        before[before.rfind("#[cfg(").expect("a cfg")..].lines().next().unwrap_or_default().to_owned()
    };
    assert_eq!(gate("CreateDataExportsRequest"), "#[cfg(feature = \"data_export\")]");
    assert_eq!(gate("ContactArchived"), "#[cfg(feature = \"contacts\")]");
    // Tickets come back from the tickets endpoints and from converting a conversation.
    assert_eq!(gate("Ticket"), "#[cfg(any(feature = \"conversations\", feature = \"tickets\"))]");
}

/// Whatever set of tags is on, a compiled type finds every type it refers to compiled too: the
/// features of a type include those of each type that refers to it. Checked on our spec and on
/// every published version.
#[test]
fn every_type_a_compiled_type_needs_is_compiled() {
    use codegen::model::{TypeKind, TypeRef};
    fn named(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named { name, .. } => Some(name),
            TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => named(inner),
            _ => None,
        }
    }
    let mut specs = vec![tests::workspace_root().join("spec/intercom.yaml")];
    specs.extend(tests::published_specs());
    let mut problems = Vec::new();
    for spec in specs {
        let text = std::fs::read_to_string(&spec).expect("read spec");
        let options = Options { dangling_refs: codegen::DanglingRefs::Json, ..Options::default() };
        let (api, _) = codegen::model(&text, &options).expect("lowers");
        let features = codegen::type_features(&api);
        for def in &api.types {
            let refs: Vec<&TypeRef> = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(s.additional.iter()).collect(),
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias(target) => vec![target],
                TypeKind::Enum(_) => Vec::new(),
            };
            for target in refs.into_iter().filter_map(named) {
                let (outer, inner) = (&features[&def.name], &features[target]);
                if !outer.is_subset(inner) {
                    problems.push(format!(
                        "{}: {} needs {target}, compiled with fewer tags",
                        spec.display(),
                        def.name
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
