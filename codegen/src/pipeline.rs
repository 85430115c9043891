//! The pipeline: load → lower → emit → format, in that order, with the time of each phase.
//! It only sequences the phases and decides which file is made on which thread; each phase
//! is a module of its own that knows nothing of the ones after it.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;
use crate::emit::{self, Emitted, features::Gates};
use crate::model::Api;
use crate::options::{Options, Timings};
use crate::output::GeneratedFile;
use crate::{format, load, lower};

/// Parses and lowers a spec into the model, or returns every error found.
pub(crate) fn model(
    spec_text: &str,
    options: &Options,
    timings: &mut Timings,
) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let started = Instant::now();
    let spec = load::load(spec_text, &mut diags, timings);
    timings.normalize = started.elapsed().saturating_sub(timings.parse_yaml);
    let Some(loaded) = spec else { return Err(diags) };
    let sha = format!("{:x}", Sha256::digest(spec_text.as_bytes()));
    let started = Instant::now();
    let api = lower::lower(&loaded.api, sha, options, &mut diags);
    timings.lower = started.elapsed();
    // An operation lost between the document and the model would be a silent loss: count both.
    let lowered: usize = api.tags.iter().map(|tag| tag.operations.len()).sum::<usize>() + api.skipped.len();
    if lowered != loaded.operations && !diags.has_errors() {
        diags.error(
            "#/paths",
            format!("the document declares {} operations but the model holds {lowered}", loaded.operations),
        );
    }
    if diags.has_errors() { Err(diags) } else { Ok((api, diags)) }
}

/// Emits and formats every file of `api`, or reports a file that did not parse as Rust (a
/// generator bug). `types.rs` is the largest file: its first half is emitted and formatted on
/// a thread of its own while this one does the other files and the second half. Token streams
/// cannot cross threads, so each side emits its own.
pub(crate) fn files(
    api: &Api,
    spec_label: &str,
    crate_name: &str,
    timings: &mut Timings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let gates = &Gates::new(api);
    let half = api.types.len() / 2;
    let (mut texts, second_half, first_half) = std::thread::scope(|scope| {
        let job = scope.spawn(|| {
            let started = Instant::now();
            let emitted = emit::types(api, gates, 0..half, true);
            let emit_time = started.elapsed();
            (emitted.map(|e| format::unparse(&e.file)), emit_time, started.elapsed() - emit_time)
        });
        let started = Instant::now();
        let mut emitted = vec![emit::root(api), emit::harness(api)];
        emitted.extend(emit::tags(api, crate_name));
        let second_half = emit::types(api, gates, half..api.types.len(), false);
        let formatting = Instant::now();
        timings.emit = formatting - started;
        let texts: Vec<Result<(String, String), String>> = emitted
            .into_iter()
            .map(|e| e.map(|Emitted { path, file }| (path, format::unparse(&file))))
            .collect();
        let second_half = second_half.map(|e| format::unparse(&e.file));
        timings.format = formatting.elapsed();
        let first_half = job.join().unwrap_or_else(|_| {
            (
                Err("internal error: the thread emitting types.rs panicked".to_owned()),
                Duration::ZERO,
                Duration::ZERO,
            )
        });
        (texts, second_half, first_half)
    });
    let (first_half, emit_time, format_time) = first_half;
    timings.emit += emit_time;
    timings.format += format_time;
    // Files keep their order: mod.rs, types.rs, the harness, then the tags.
    let types = first_half.and_then(|first| Ok(("types.rs".to_owned(), format!("{first}{}", second_half?))));
    texts.insert(1.min(texts.len()), types);
    let mut diags = Diagnostics::default();
    let mut out = Vec::new();
    for text in texts {
        match text {
            Ok((path, text)) => {
                let header = emit::header(api, spec_label, &path);
                out.push(GeneratedFile { path, contents: format::finish(&header, &text) });
            }
            Err(message) => diags.error("#", message),
        }
    }
    if diags.has_errors() { Err(diags) } else { Ok(out) }
}
