//! Not part of the API: the program the repository's conformance and contract runs drive each
//! generated crate through (the `test-harness` feature).
//!
//! It reads JSON lines on stdin and writes one result line for each, `{"ok": …}` or
//! `{"err": …}`: examples to decode and encode again (`{"operation", "part", "json"}`), or, with
//! the arguments `contract BASE_URL`, operations to call against a server
//! (`{"operation", "args"}`).

use std::io::BufRead;

/// The program: serves stdin until it ends, and fails with a message when it cannot.
pub fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match serve_stdio(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Serves requests from stdin until it ends; `args` are the program's arguments after its name.
fn serve_stdio(args: &[String]) -> Result<(), String> {
    let contract = match args {
        [mode, base_url] if mode == "contract" => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("no runtime: {e}"))?;
            let client = crate::Client::builder("contract-test-token")
                .base_url(base_url.as_str())
                .build()
                .map_err(|e| format!("no client: {e}"))?;
            Some((runtime, client))
        }
        [] => None,
        _ => return Err(format!("unknown arguments {args:?}; give none, or `contract BASE_URL`")),
    };
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("cannot read stdin: {e}"))?;
        let result = match (serde_json::from_str::<serde_json::Value>(&line), &contract) {
            (Ok(input), Some((runtime, client))) => {
                let operation = input["operation"].as_str().unwrap_or_default();
                runtime
                    .block_on(crate::harness::call(client, operation, &input["args"]))
                    .map(|value| value.to_string())
            }
            (Ok(input), None) => {
                let operation = input["operation"].as_str().unwrap_or_default();
                let part = input["part"].as_str().unwrap_or_default();
                crate::harness::check(operation, part, &input["json"].to_string())
            }
            (Err(e), _) => Err(format!("unreadable input: {e}")),
        };
        let output = match result {
            Ok(json) => serde_json::json!({ "ok": json }),
            Err(e) => serde_json::json!({ "err": e }),
        };
        println!("{output}");
    }
    Ok(())
}
