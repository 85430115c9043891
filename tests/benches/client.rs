//! The generated client's overhead, beside a hand-written `reqwest` + `serde_json` call of the
//! same endpoint with the same body, against one keep-alive server on loopback; and the decode
//! throughput of a large page of contacts beside `serde_json::Value`.
//!
//! Run by `cargo xtask bench` (or `cargo bench -p tests --bench client`). Criterion writes its
//! samples under `target/criterion/`; the paired comparison and the clients' CPU time per
//! request, which criterion does not measure, go to `target/bench/client-pairs.json`.

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use intercom_api::Client;
use intercom_api::types::ContactList;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A page of `n` contacts shaped like the spec's example.
fn page(n: usize) -> Vec<u8> {
    let data: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "type": "contact", "id": format!("65f1c2a9e4b0d1a2b3c4{i:04}"), "workspace_id": "q8x2k1zr",
                "external_id": format!("cust-{i}"), "role": "user", "email": format!("person{i}@example.org"),
                "name": format!("Person {i}"), "has_hard_bounced": false, "marked_email_as_spam": false,
                "unsubscribed_from_emails": false, "created_at": 1709302400, "updated_at": 1712052311,
                "signed_up_at": 1709302400, "last_seen_at": 1712050000, "custom_attributes": {"plan": "pro", "seats": i},
                "avatar": null, "location": {"type": "location", "country": "Poland", "region": "Mazovia", "city": "Warsaw"},
                "social_profiles": {"data": []}
            })
        })
        .collect();
    let body = json!({"type": "list", "data": data, "total_count": n, "pages": {"type": "pages", "page": 1, "per_page": n, "total_pages": 1}});
    serde_json::to_vec(&body).unwrap_or_default()
}

/// The same page with five keys in each contact that the spec does not declare, as Intercom
/// sends fields its description lacks: they are kept in each contact's `extra`.
fn page_with_undeclared(n: usize) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(&page(n)).unwrap_or_default();
    if let Some(data) = body["data"].as_array_mut() {
        for (i, contact) in data.iter_mut().enumerate() {
            if let Some(contact) = contact.as_object_mut() {
                contact.insert("x_score".into(), json!(i));
                contact.insert("x_flags".into(), json!([true, false]));
                contact.insert("x_meta".into(), json!({"source": "import", "batch": 7}));
                contact.insert("x_note".into(), json!("kept as sent"));
                contact.insert("x_seen_at".into(), json!(1712050000));
            }
        }
    }
    serde_json::to_vec(&body).unwrap_or_default()
}

/// A server that answers every request on a connection with `body`, keeping connections open.
async fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-RateLimit-Remaining: 999\r\n\r\n",
        body.len()
    );
    let response: std::sync::Arc<Vec<u8>> = std::sync::Arc::new([head.as_bytes(), &body].concat());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // Requests here are GETs without a body: a request ends at its blank line.
                    while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        buffer.drain(..end + 4);
                        if stream.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// The same request by hand: the headers the generated client sends, and the same type.
async fn by_hand(http: &reqwest::Client, url: &str) -> ContactList {
    let response = http
        .get(format!("{url}/contacts"))
        .header("Authorization", "Bearer token")
        .header("Intercom-Version", intercom_api::API_VERSION)
        .header("Accept", "application/json")
        .header("User-Agent", "bench")
        .send()
        .await
        .expect("sent");
    let bytes = response.bytes().await.expect("body");
    serde_json::from_slice(&bytes).expect("decodes")
}

async fn generated(client: &Client) -> ContactList {
    client.contacts().list().await.expect("sent").into_inner()
}

/// CPU time of the calling thread so far, in nanoseconds (`/proc/thread-self/schedstat`, Linux).
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn main() {
    // The server has a runtime and a thread of its own; the clients run on this thread, so
    // this thread's CPU time is the clients' alone.
    let server =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let small = page(10);
    let url = server.block_on(serve(small.clone()));
    let client = Client::builder("token").base_url(&url).user_agent("bench").build().expect("client");
    let http = reqwest::Client::new();

    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50);
    {
        let mut group = criterion.benchmark_group("request");
        group.throughput(Throughput::Elements(1));
        group.bench_function("generated", |b| b.to_async(&runtime).iter(|| generated(&client)));
        group.bench_function("by_hand", |b| b.to_async(&runtime).iter(|| by_hand(&http, &url)));
        group.finish();
    }
    let large = page(1000);
    {
        let mut group = criterion.benchmark_group("decode");
        group.throughput(Throughput::Bytes(large.len() as u64));
        group.bench_with_input(BenchmarkId::new("typed", large.len()), &large, |b, body| {
            b.iter(|| serde_json::from_slice::<ContactList>(body).expect("decodes"))
        });
        group.bench_with_input(BenchmarkId::new("value", large.len()), &large, |b, body| {
            b.iter(|| serde_json::from_slice::<Value>(body).expect("decodes"))
        });
        group.finish();
    }
    let undeclared = page_with_undeclared(1000);
    {
        let mut group = criterion.benchmark_group("decode_undeclared");
        group.throughput(Throughput::Bytes(undeclared.len() as u64));
        group.bench_with_input(BenchmarkId::new("typed", undeclared.len()), &undeclared, |b, body| {
            b.iter(|| serde_json::from_slice::<ContactList>(body).expect("decodes"))
        });
        group.finish();
    }
    criterion.final_summary();

    // The comparison the target is about, taken in pairs: blocks of requests by each client,
    // alternating which goes first, so that drift in the machine's speed hits both alike.
    let (rounds, block) = (40, 250);
    let mut wall: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let before = thread_cpu_ns();
            let started = Instant::now();
            runtime.block_on(async {
                for _ in 0..block {
                    if which == 0 {
                        generated(&client).await;
                    } else {
                        by_hand(&http, &url).await;
                    }
                }
            });
            wall[which].push(started.elapsed().as_secs_f64() * 1e6 / f64::from(block));
            if let Some(ns) = before.zip(thread_cpu_ns()).map(|(a, b)| b.saturating_sub(a)) {
                cpu[which].push(ns as f64 / 1000.0 / f64::from(block));
            }
        }
    }
    let ratios: Vec<f64> = wall[0].iter().zip(&wall[1]).map(|(g, h)| g / h).collect();
    let cpu_ratios: Vec<f64> = cpu[0].iter().zip(&cpu[1]).map(|(g, h)| g / h).collect();
    let out = json!({
        "rounds": rounds,
        "block": block,
        "generated": {"wall_us": wall[0], "cpu_us": cpu[0]},
        "by_hand": {"wall_us": wall[1], "cpu_us": cpu[1]},
        "wall_ratio": ratios,
        "cpu_ratio": cpu_ratios,
        "decode_body_bytes": large.len(),
        "decode_undeclared_bytes": undeclared.len(),
        "request_body_bytes": small.len(),
    });
    let dir = tests::workspace_root().join("target/bench");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("client-pairs.json"), out.to_string()));
    if let Err(e) = written {
        eprintln!("cannot write target/bench/client-pairs.json: {e}");
    }
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "paired: generated / by hand, median wall ratio {:.3} over {rounds} rounds of {block}",
        sorted[sorted.len() / 2]
    );
}
