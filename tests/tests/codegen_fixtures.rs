//! Codegen fixtures: one construct per small spec, snapshot-tested and compiled; error
//! fixtures whose messages are pinned.

use std::fs;

use codegen::Options;
use codegen::pagination::SpecTable;
use proof::scratch::{ScratchWorkspace, scratch_dir};
use tests::{check_snapshot, files_below, fixtures, updating};

fn fixture_names(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = files_below(&fixtures().join(folder))
        .into_iter()
        .filter_map(|f| f.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// A fixture's options, with its pagination table (`<name>.pagination.txt`) when it has one.
fn options(name: &str) -> Options {
    let table = fixtures().join("specs").join(format!("{name}.pagination.txt"));
    let pagination = match fs::read_to_string(&table) {
        Ok(text) => SpecTable::parse(&text, &format!("{name}.pagination.txt")).expect("table parses"),
        Err(_) => SpecTable::default(),
    };
    Options { spec_label: format!("tests/fixtures/specs/{name}.yaml"), pagination, ..Options::default() }
}

/// Every fixture generates, matches its snapshot, and the snapshots compile without warnings
/// under clippy.
#[test]
fn fixtures_match_snapshots_and_compile() {
    let names = fixture_names("specs");
    assert!(names.len() >= 10, "fixtures went missing: {names:?}");
    let mut problems = Vec::new();
    let mut workspace = ScratchWorkspace::new(scratch_dir("fixtures")).expect("scratch workspace");
    let mut wire_tests = Vec::new();
    for name in &names {
        let text =
            fs::read_to_string(fixtures().join("specs").join(format!("{name}.yaml"))).expect("read fixture");
        let generated = match codegen::generate(&text, &options(name)) {
            Ok(generated) => generated,
            Err(diags) => {
                problems.push(format!("{name} does not generate:\n{diags}"));
                continue;
            }
        };
        let snapshot_dir = fixtures().join("snapshots").join(name);
        for file in &generated.files {
            problems.extend(check_snapshot(&snapshot_dir.join(&file.path), &file.contents));
        }
        let mut warnings: String = generated.warnings.iter().map(|w| format!("{w}\n")).collect();
        if warnings.is_empty() {
            warnings.push_str("no warnings\n");
        }
        problems.extend(check_snapshot(&snapshot_dir.join("warnings.txt"), &warnings));
        let expected: Vec<String> =
            files_below(&snapshot_dir).into_iter().filter(|f| f != "warnings.txt").collect();
        let made: Vec<String> = {
            let mut v: Vec<String> = generated.files.iter().map(|f| f.path.clone()).collect();
            v.sort();
            v
        };
        if !updating() && expected != made {
            problems.push(format!("{name}: snapshot files {expected:?} but generated {made:?}"));
        }
        let member = format!("fixture-{}", name.replace('_', "-"));
        workspace.add_crate(&member, &generated.files, &generated.features).expect("scratch crate");
        // A fixture may have a test of its crate on the wire, `wire/<name>.rs`.
        let wire = fixtures().join("wire").join(format!("{name}.rs"));
        if wire.is_file() {
            let tests_dir = workspace.member_dir(&member).join("tests");
            fs::create_dir_all(&tests_dir).expect("create the tests folder");
            fs::copy(&wire, tests_dir.join("wire.rs")).expect("copy the wire test");
            wire_tests.push(member);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    if let Err(e) = workspace.cargo(&["clippy", "--all-targets", "--quiet", "--features", "test-harness"]) {
        panic!("generated fixture code does not compile cleanly:\n{e}");
    }
    for member in &wire_tests {
        if let Err(e) = workspace.cargo_member(member, &["test", "--quiet", "--test", "wire"]) {
            panic!("the wire test of {member} fails:\n{e}");
        }
    }
}

/// Bad specs fail with every error, each naming its JSON pointer; the text is pinned.
#[test]
fn error_fixtures_report_located_errors() {
    let names = fixture_names("errors");
    assert!(names.len() >= 6, "error fixtures went missing: {names:?}");
    let mut problems = Vec::new();
    for name in &names {
        let text =
            fs::read_to_string(fixtures().join("errors").join(format!("{name}.yaml"))).expect("read fixture");
        match codegen::generate(&text, &Options::default()) {
            Ok(_) => problems.push(format!("{name}: generated, but it should have failed")),
            Err(diags) => {
                assert!(diags.has_errors(), "{name}: failed without an error");
                for d in diags.iter() {
                    assert!(
                        d.at.pointer().is_some_and(|p| p.starts_with('#')),
                        "{name}: `{d}` has no JSON pointer"
                    );
                }
                let report = format!("{diags}\n");
                problems
                    .extend(check_snapshot(&fixtures().join("errors").join(format!("{name}.txt")), &report));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// With `partial`, operations that cannot be generated are left out, each error a warning,
/// and the rest generate; an error in a shared schema still fails the spec.
#[test]
fn partial_leaves_out_only_the_operations_that_fail() {
    let text = fs::read_to_string(fixtures().join("errors/per_operation.yaml")).expect("read fixture");
    let options = Options { partial: true, ..Options::default() };
    let generated = codegen::generate(&text, &options).expect("the good operation generates");
    let ids: Vec<&str> =
        generated.api.tags.iter().flat_map(|t| &t.operations).map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["good"]);
    assert_eq!(generated.api.skipped, ["#/paths/~1cookie/get", "#/paths/~1form/post"]);
    let warnings = &generated.warnings;
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.message.ends_with("; the operation is left out")), "{warnings:?}");

    // A component schema is shared, so its error is not one operation's to drop.
    let shared = text.replace(
        "schema: {type: object, properties: {id: {type: string}}}",
        "schema: {$ref: '#/components/schemas/thing'}",
    ) + "components:\n  schemas:\n    thing: {not: {type: string}}\n";
    let diags = codegen::generate(&shared, &options).expect_err("a broken component fails the spec");
    assert!(diags.to_string().contains("the `not` keyword is not supported"), "{diags}");
}

/// The dangling `$ref` that Intercom's 2.7–2.11 descriptions carry is an error by default and
/// untyped JSON, with a warning, when the caller allows it.
#[test]
fn dangling_refs_can_be_allowed() {
    let text = fs::read_to_string(fixtures().join("errors/dangling_ref.yaml")).expect("read fixture");
    let options = Options { dangling_refs: codegen::DanglingRefs::Json, ..Options::default() };
    let generated = codegen::generate(&text, &options).expect("generates with the fallback");
    assert_eq!(generated.warnings.len(), 2, "{:?}", generated.warnings);
    let types = generated.files.iter().find(|f| f.path == "types.rs").expect("types.rs");
    assert!(types.contents.contains("pub custom_attributes: ::std::option::Option<::serde_json::Value>"));
}

/// Two runs on the same spec give the same bytes.
#[test]
fn output_is_deterministic() {
    let text = fs::read_to_string(tests::workspace_root().join("spec/intercom.yaml")).expect("read spec");
    let first = codegen::generate(&text, &Options::default()).expect("generates");
    let second = codegen::generate(&text, &Options::default()).expect("generates");
    assert_eq!(first.files, second.files);
}

fn paging_spec() -> String {
    fs::read_to_string(fixtures().join("specs/paging.yaml")).expect("read fixture")
}

/// Names in the table that do not fit the spec fail with the line and what is wrong.
#[test]
fn name_table_errors_name_the_line() {
    let spec = fs::read_to_string(fixtures().join("specs/names.yaml")).expect("read fixture");
    let table = "[methods]\nGetTranslations list\nrawThing list\nlistGone list\n\
                 post_translations_by_id_publish Publish\n[types]\nSame #/components/schemas/Option\n\
                 Same #/components/schemas/translation\nLost #/components/schemas/nope\n";
    let pagination = SpecTable::parse(table, "t").expect("the table itself is well-formed");
    let diags = codegen::generate(&spec, &Options { pagination, ..Options::default() }).expect_err(table);
    let text = diags.to_string();
    for expected in [
        "t:4: the table names a method for `listGone`, which the spec has no operation for",
        "t:5: `Publish` is not a method name",
        "t:8: `Same` is already the name of another type",
        "t:9: the table names `#/components/schemas/nope`, which is not a schema that becomes a type of its own",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
    let table = "[types]\nlower_case #/components/schemas/translation\n";
    let pagination = SpecTable::parse(table, "t").expect("well-formed");
    let diags = codegen::generate(&spec, &Options { pagination, ..Options::default() }).expect_err(table);
    assert!(diags.to_string().contains("t:2: `lower_case` is not a type name"), "{diags}");
    // Two tags may each have a `list`; one tag may not have two.
    let table = "[methods]\nGetTranslations list\npost_translations_by_id_publish list\n";
    let pagination = SpecTable::parse(table, "t").expect("well-formed");
    let diags = codegen::generate(&spec, &Options { pagination, ..Options::default() }).expect_err(table);
    assert!(
        diags.to_string().contains("t:3: `list` is already a method of the `Help Center` handle"),
        "{diags}"
    );
    let malformed = SpecTable::parse("[names]\n[methods]\nonlyone\n[types]\nName notapointer\n", "t")
        .expect_err("malformed lines");
    let text = malformed.to_string();
    for expected in [
        "t:1: unknown section `[names]`",
        "t:3: cannot read `onlyone`",
        "t:5: `notapointer` is not a JSON pointer",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
}

/// A table that drifted from its spec fails with the line and what is wrong; nothing is made.
#[test]
fn pagination_table_errors_name_the_line() {
    let cases = [
        (
            "listThings cursor data\nlistGone page data\n",
            "t:2: the pagination table names `listGone`, which the spec has no operation for",
        ),
        (
            "listThings cursor items\n",
            "#/paths/~1things/get: the page has no field `items` (items path `items`) (pagination table, t:1)",
        ),
        (
            "listThings cursor pages\n",
            "#/paths/~1things/get: the items path `pages` does not lead to an array (pagination table, t:1)",
        ),
        (
            "listLinks search data\n",
            "#/paths/~1links/get: `listLinks` pages by its request body, which has no `pagination` field (pagination table, t:1)",
        ),
        (
            "searchThings search-page data\n",
            "#/paths/~1things~1search/post: `searchThings` pages by its request body, which has no integer `page` field (pagination table, t:1)",
        ),
        (
            "searchThings next-url data\n",
            "#/paths/~1things~1search/post: `searchThings` is a POST; a next-page URL can only be followed with GET (pagination table, t:1)",
        ),
    ];
    for (table, expected) in cases {
        let pagination = SpecTable::parse(table, "t").expect("the table itself is well-formed");
        let options = Options { pagination, ..Options::default() };
        let diags = codegen::generate(&paging_spec(), &options).expect_err(table);
        assert!(diags.to_string().contains(expected), "{table}: got\n{diags}");
    }
    let malformed = SpecTable::parse("a cursor\nb sideways data\nc cursor data\nc page data\n", "t")
        .expect_err("malformed lines");
    let text = malformed.to_string();
    for expected in [
        "t:1: cannot read `a cursor`",
        "t:2: unknown pagination style `sideways`",
        "t:4: `c` is already listed at t:3",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
}

/// Issue 24: the table's `[evidence]` makes an always-sent property no `Option` (merged types
/// included) and a nullable success body no `Option`; a line that applies to nothing is an
/// error at its line, and so is a malformed one.
#[test]
fn evidence_makes_types_precise_and_stale_lines_name_the_line() {
    let spec = r#"
openapi: 3.0.1
info: {title: Evidence, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
  /things:
    post:
      operationId: createThing
      responses:
        '200':
          description: The new thing.
          content:
            application/json:
              schema:
                allOf:
                - $ref: '#/components/schemas/thing'
                - {type: object, properties: {extra_note: {type: string}}}
components:
  schemas:
    thing:
      type: object
      nullable: true
      properties:
        id: {type: string}
        name: {type: string}
    filter:
      type: object
      properties:
        field: {type: string}
    either:
      anyOf:
      - {type: string}
      - {type: integer}
    group:
      type: object
      properties:
        value:
          oneOf:
          - {type: array, items: {$ref: '#/components/schemas/group'}}
          - {type: array, items: {$ref: '#/components/schemas/filter'}}
"#;
    let table = "[evidence]\nsent #/components/schemas/thing/properties/id  # always there\nobject getThing  # never null\n\
                 mixed #/components/schemas/group/properties/value  # one list\n\
                 field #/components/schemas/thing/properties/score number  # sent too\n\
                 branch #/components/schemas/either boolean  # booleans too\n";
    let pagination = SpecTable::parse(table, "t").expect("well-formed");
    let generated =
        codegen::generate(spec, &Options { pagination, ..Options::default() }).expect("generates");
    let types = &generated.files.iter().find(|f| f.path == "types.rs").expect("types.rs").contents;
    assert!(types.contains("pub id: ::std::string::String,"), "{types}");
    assert!(
        !types.contains("pub id: ::std::option::Option"),
        "every type holding `id` has it required:\n{types}"
    );
    assert!(types.contains("pub name: ::std::option::Option<::std::string::String>,"), "{types}");
    let things =
        &generated.files.iter().find(|f| f.path == "other.rs").expect("the untagged module").contents;
    assert!(things.contains("crate::ResponseValue<crate::types::Thing>"), "{things}");
    // A property the description lacks, and a branch it lacks.
    assert!(types.contains("pub score: ::std::option::Option<f64>,"), "{types}");
    assert!(types.contains("Bool(bool)"), "{types}");
    // The union is of the items, and the value a list of it.
    assert!(types.contains("pub value: ::std::option::Option<::std::vec::Vec<GroupValue>>,"), "{types}");
    assert!(types.contains("Group(Group)") && types.contains("Filter(Filter)"), "{types}");

    let stale = "[evidence]\nsent #/components/schemas/thing/properties/gone\nobject deleteThing\nobject createThing\n\
                 mixed #/components/schemas/thing/properties/name\n\
                 field #/components/schemas/thing/properties/name string\n\
                 field #/components/schemas/nowhere/properties/x string\n\
                 branch #/components/schemas/thing boolean\n";
    let pagination = SpecTable::parse(stale, "t").expect("well-formed");
    let diags = codegen::generate(spec, &Options { pagination, ..Options::default() }).expect_err(stale);
    let text = diags.to_string();
    for expected in [
        "t:2: the table says `#/components/schemas/thing/properties/gone` is always sent, but no object property is at that pointer",
        "t:3: the table says `deleteThing` always answers with an object",
        "t:4: the table says `createThing` always answers with an object",
        "t:5: the table says `#/components/schemas/thing/properties/name` is a list of mixed items",
        "t:6: the table adds `name`, but the description already has it at #/components/schemas/thing/properties/name",
        "t:7: the table adds `#/components/schemas/nowhere/properties/x`, but no object schema is at the pointer",
        "t:8: the table adds a branch to `#/components/schemas/thing`, but no oneOf or anyOf is there",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
    let malformed =
        SpecTable::parse("[evidence]\nsent thing.id\nalways getThing\nfield #/a/properties/b text\n", "t")
            .expect_err("malformed");
    let text = malformed.to_string();
    for expected in [
        "t:2: `thing.id` is not the JSON pointer of a property",
        "t:3: cannot read `always getThing`",
        "t:4: `text` is not a JSON type",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
}
