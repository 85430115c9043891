//! `cargo xtask`'s command line, through the library `main.rs` calls: every command answers
//! `--help` (which exits 0, since `main` prints a `Help` and succeeds), wrong arguments name the
//! problem and show the command's help, and arguments reach the right fields.

use std::path::PathBuf;

use xtask::cli::{Command, parse};

const COMMANDS: &[&str] = &["test", "generate", "conformance", "contract", "bench", "diff", "bump"];

#[test]
fn every_command_answers_help() {
    for name in COMMANDS {
        for flag in ["--help", "-h"] {
            match parse([*name, flag]) {
                Ok(Command::Help(text)) => {
                    assert!(text.starts_with(&format!("usage: cargo xtask {name}")), "{name} {flag}: {text}")
                }
                other => panic!("{name} {flag}: {other:?}"),
            }
        }
        let Ok(Command::Help(text)) = parse(["help", name]) else { panic!("help {name}") };
        assert!(text.starts_with(&format!("usage: cargo xtask {name}")), "help {name}: {text}");
    }
    let Ok(Command::Help(list)) = parse(["help"]) else { panic!("help") };
    for name in COMMANDS {
        assert!(list.contains(&format!("cargo xtask {name}")), "`help` does not list {name}:\n{list}");
    }
    // `bench`'s own steps have help but are not listed.
    assert!(matches!(parse(["bench-run", "--help"]), Ok(Command::Help(_))));
    assert!(!list.contains("bench-run"));
}

#[test]
fn wrong_arguments_say_what_is_wrong() {
    let error = parse(["generate", "--nope"]).expect_err("unknown flag");
    assert!(error.contains("--nope") && error.contains("usage: cargo xtask generate"), "{error}");
    let error = parse(["diff", "old.yaml"]).expect_err("one spec");
    assert!(error.contains("two specs"), "{error}");
    let error = parse(["bench", "--runs", "0"]).expect_err("zero runs");
    assert!(error.contains("positive number"), "{error}");
    let error = parse(["conformance", "--report"]).expect_err("no value");
    assert!(error.contains("--report"), "{error}");
    let error = parse(["nope"]).expect_err("no such command");
    assert!(error.starts_with("no command `nope`") && error.contains("usage:"), "{error}");
    assert!(parse(Vec::<String>::new()).expect_err("nothing").starts_with("usage:"));
    assert!(parse(["test", "extra"]).is_err());
}

#[test]
fn arguments_reach_their_fields() {
    let Ok(Command::Generate(args)) =
        parse(["generate", "--check", "--spec", "s.yaml", "--out", "dir", "--pagination", "t.txt", "-v"])
    else {
        panic!("generate")
    };
    assert!(args.check && args.verbose && !args.partial && args.crate_name.is_none());
    let Ok(Command::Generate(named)) = parse(["generate", "--out", "x", "--crate-name", "my-client"]) else {
        panic!("generate --crate-name")
    };
    assert_eq!(named.crate_name.as_deref(), Some("my-client"));
    assert_eq!((args.spec, args.out, args.pagination), ("s.yaml".into(), "dir".into(), Some("t.txt".into())));
    let Ok(Command::Conformance(args)) = parse(["conformance", "--only", "2.15,2.16", "--check-report=C.md"])
    else {
        panic!("conformance")
    };
    assert_eq!(args.only, ["2.15", "2.16"]);
    assert_eq!(args.check_report, Some(PathBuf::from("C.md")));
    let Ok(Command::Diff(args)) = parse(["diff", "a.yaml", "--json", "b.yaml", "--new-pagination", "t.txt"])
    else {
        panic!("diff")
    };
    assert_eq!((args.old, args.new, args.json), ("a.yaml".into(), "b.yaml".into(), true));
    assert_eq!((args.old_table, args.new_table), (None, Some(PathBuf::from("t.txt"))));
    let Ok(Command::Bump(args)) = parse(["bump", "--version", "2.16", "--allow-dangling-refs"]) else {
        panic!("bump")
    };
    assert_eq!(args.version.as_deref(), Some("2.16"));
    assert!(args.allow_dangling_refs && args.spec.is_none());
    let Ok(Command::Bench(args)) = parse(["bench", "--runs", "3"]) else { panic!("bench") };
    assert_eq!(args.runs, 3);
    assert!(matches!(parse(["test"]), Ok(Command::Test)));
}
