//! `cargo xtask bench`: how long generation takes and how much memory it peaks at, for
//! spec/box-auth.yaml and for a large synthetic spec this command writes (301 schemas, 200
//! operations, using objects, enums, allOf, tagged oneOf, arrays, maps, nullable fields and
//! path/query parameters). A benchmark, not a test: it reports, it does not assert.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use clientgen::{Config, Spec};

use crate::codegen::project_root;

/// Each index gives two schemas (`Base{i}` and `Thing{i}`), plus one shared `Problem`.
const SCHEMA_PAIRS: usize = 150;
/// Each path has two operations (`GET` and `POST`).
const PATHS: usize = 100;
const RUNS: usize = 10;

/// Runs the benchmark, in a release build of xtask (it re-runs itself that way when needed).
pub(crate) fn run() -> Result<(), String> {
    if cfg!(debug_assertions) {
        let args = [
            "run",
            "--release",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "bench",
        ];
        return crate::cargo(&project_root(), &args, &[]);
    }
    let root = project_root();
    let large = synthetic_spec();
    let large_path = root.join("target/bench/large.yaml");
    std::fs::create_dir_all(root.join("target/bench"))
        .and_then(|()| std::fs::write(&large_path, &large))
        .map_err(|error| format!("error: {}: {error}", large_path.display()))?;
    let box_auth = std::fs::read_to_string(root.join("spec/box-auth.yaml"))
        .map_err(|error| format!("error: spec/box-auth.yaml: {error}"))?;

    println!("generation time, median of {RUNS} runs (parse / lower / whole pipeline):");
    for (label, text) in [
        ("spec/box-auth.yaml", box_auth.as_str()),
        ("target/bench/large.yaml", large.as_str()),
    ] {
        let timing = time(label, text)?;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  {label}: {:.1} / {:.1} / {:.1} ms ({} bytes of spec -> {} files, {} bytes)",
            ms(timing.parse),
            ms(timing.lower),
            ms(timing.total),
            text.len(),
            timing.files,
            timing.bytes
        );
    }
    match peak_memory() {
        Some(kib) => println!(
            "peak resident memory of this process: {:.1} MiB",
            kib as f64 / 1024.0
        ),
        None => println!("peak resident memory: not available on this platform"),
    }
    Ok(())
}

/// Median durations of the stages, and the size of the output.
struct Timing {
    parse: Duration,
    lower: Duration,
    total: Duration,
    files: usize,
    bytes: usize,
}

fn time(label: &str, text: &str) -> Result<Timing, String> {
    let config = Config::new("bench");
    let (mut parse, mut lower, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let (mut files, mut bytes) = (0, 0);
    for _ in 0..RUNS {
        let started = Instant::now();
        let spec = Spec::parse(label, text).map_err(|error| error.to_string())?;
        parse.push(started.elapsed());
        let lowering = Instant::now();
        clientgen::lower(&spec, &config).map_err(|error| error.to_string())?;
        lower.push(lowering.elapsed());
        let whole = Instant::now();
        let output = clientgen::generate(&spec, &config).map_err(|error| error.to_string())?;
        // The whole pipeline is parse plus generate (which lowers again, then emits).
        total.push(parse[parse.len() - 1] + whole.elapsed());
        files = output.files.len();
        bytes = output.files.values().map(String::len).sum();
    }
    let median = |mut durations: Vec<Duration>| {
        durations.sort();
        durations[durations.len() / 2]
    };
    Ok(Timing {
        parse: median(parse),
        lower: median(lower),
        total: median(total),
        files,
        bytes,
    })
}

/// `VmHWM` of `/proc/self/status`, in KiB.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string(Path::new("/proc/self/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A large spec exercising the constructs the generator supports.
fn synthetic_spec() -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Synthetic, version: '1'}\nservers: [{url: 'https://synthetic.example/v1'}]\npaths:\n",
    );
    for op in 0..PATHS {
        let schema = op % SCHEMA_PAIRS;
        let _ = write!(
            spec,
            "  /things{op}/{{id}}:\n    parameters:\n      - {{name: id, in: path, required: true, schema: {{type: string}}}}\n    get:\n      operationId: getThing{op}\n      summary: Get thing {op}\n      parameters:\n        - {{name: limit, in: query, schema: {{type: integer, format: int32}}}}\n        - {{name: order, in: query, schema: {{type: string, enum: [asc, desc]}}}}\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}}}\n        default: {{description: error, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem'}}}}}}}}\n    post:\n      operationId: postThing{op}\n      summary: Create thing {op}\n      requestBody:\n        required: true\n        content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}\n      responses:\n        '201': {{description: created, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Thing{schema}'}}}}}}}}\n"
        );
    }
    spec.push_str("components:\n  schemas:\n    Problem:\n      type: object\n      properties: {error: {type: string}, detail: {type: string, nullable: true}}\n");
    for index in 0..SCHEMA_PAIRS {
        let next = (index + 1) % SCHEMA_PAIRS;
        let _ = write!(
            spec,
            "    Base{index}:\n      type: object\n      required: [id, type]\n      properties:\n        id: {{type: string}}\n        type: {{type: string, enum: [kind{index}]}}\n        etag: {{type: string, nullable: true}}\n    Thing{index}:\n      description: Synthetic thing {index}.\n      allOf:\n        - $ref: '#/components/schemas/Base{index}'\n        - type: object\n          properties:\n            count: {{type: integer, format: int64}}\n            ratio: {{type: number}}\n            flag: {{type: boolean}}\n            status: {{type: string, enum: [active, 'urn:x:inactive', '1.0']}}\n            tags: {{type: array, items: {{type: string}}}}\n            labels: {{type: object, additionalProperties: {{type: string}}}}\n            next: {{$ref: '#/components/schemas/Base{next}'}}\n            either:\n              oneOf:\n                - $ref: '#/components/schemas/Base{index}'\n                - $ref: '#/components/schemas/Base{next}'\n"
        );
    }
    spec
}
